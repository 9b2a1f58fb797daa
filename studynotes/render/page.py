"""Page furniture every engine writes the same way: header and footer text, and PDF metadata."""

from __future__ import annotations

import re

from .. import __version__, markup
from ..load.presets import Layout
from ..model import Topic

_PLACE = re.compile(r"\{(\w+)\}")


def placeholders(topic: Topic, layout: Layout, page: int = 1, pages: int = 1, section: str = "") -> dict[str, str]:
    """What a preset's ``{topic}``, ``{page}`` … stand for on one page."""
    return {"topic": markup.plain(topic.title), "subject": markup.plain(topic.subject or ""),
            "syllabus": markup.plain(" · ".join(topic.syllabus)), "date": topic.updated or "",
            "layout": layout.name, "section": section, "page": str(page), "pages": str(pages)}


def fill(template: str, values: dict[str, str]) -> str:
    """A header or footer template with its placeholders filled; empty pieces and their separators vanish.

    Values are fenced off while separators are tidied, so a value's own
    characters ("North-") are never taken for a separator.
    """
    text = _PLACE.sub(lambda m: f"\0{values.get(m.group(1), '')}\1", template).replace("\0\1", "")
    text = re.sub(r"^[\s·—–|-]+|[\s·—–|-]+$", "", text)
    text = re.sub(r"(\s[·—–|])\s+(?:[·—–|]\s+)+", r"\1 ", text)
    return text.replace("\0", "").replace("\1", "")


def metadata(topic: Topic, layout: Layout, what: str = "") -> dict[str, str]:
    """The document properties (keyword names as ReportLab's doc templates take them)."""
    title = markup.plain(topic.title)
    return {"title": f"{title} — {what}" if what else title, "author": "studynotes",
            "subject": markup.plain(topic.subject or ""),
            "keywords": ", ".join(markup.plain(k) for k in (*topic.tags, *topic.syllabus)),
            "creator": f"studynotes {__version__} ({layout.name})", "producer": f"studynotes {__version__}"}


def set_metadata(canvas: object, meta: dict[str, str]) -> None:
    """The same properties on a bare canvas (engines that draw without a doc template)."""
    for key, value in meta.items():
        getattr(canvas, f"set{key.capitalize()}")(value)
