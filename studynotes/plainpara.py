"""Paragraphs of plain text skip ReportLab's markup parser.

Most texts an engine sets (four in five on a revision sheet) hold no tag and
no entity, yet ReportLab feeds each through ``html.parser`` to find that out:
a sixth of a revision sheet's time. Such a text comes out of the parser as
one fragment, the style's own (its face, size and colour) holding the
cleaned text, so that fragment is made here from the one the parser gives
for the same style, once per style. Anything else goes to the parser.
``tests/test_plainpara.py`` compares both ways on every text of the samples.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import paragraph
from reportlab.platypus.paraparser import ParaFrag, ParaParser

_KEPT = 256  # styles remembered; an engine makes a few dozen per page
_first: dict[tuple[Any, ...], dict[str, Any]] = {}  # the style's fragment as the parser makes it, without text


def _style_key(style: Any) -> tuple[Any, ...] | None:
    """What the parser's first fragment takes from a style (``ParaParser._initial_frag``)."""
    try:
        key = (style.fontName, style.fontSize, style.textColor, getattr(style, "textTransform", None))
        hash(key)
    except (AttributeError, TypeError):
        return None
    return key


def _template(style: Any, key: tuple[Any, ...]) -> dict[str, Any] | None:
    found = _first.get(key)
    if found is None:
        parser = ParaParser()
        parser.caseSensitive = 1  # as a Paragraph sets it
        _, frags, bullets = parser.parse("x", style)
        if not frags or len(frags) != 1 or bullets:
            return None
        found = {k: v for k, v in frags[0].__dict__.items() if k != "text"}
        if len(_first) >= _KEPT:
            _first.clear()
        _first[key] = found
    return found


def plain_frags(text: str, style: Any) -> tuple[str, list[ParaFrag]] | None:
    """The cleaned text and its one fragment, as the parser would give them; None when the text has
    markup (or an entity), is empty once cleaned, or the style is one the parser must see."""
    if "<" in text or "&" in text:
        return None
    cleaned = paragraph.cleanBlockQuotedText(text)
    key = _style_key(style) if cleaned else None
    first = _template(style, key) if key is not None else None
    if first is None:
        return None
    frag = ParaFrag()
    frag.__dict__.update(first)
    frag.link, frag.us_lines = [], []  # the parser makes these afresh for each paragraph
    frag.text = cleaned
    paragraph.textTransformFrags([frag], style)
    return cleaned, [frag]


_setup = paragraph.Paragraph._setup


def _plain_setup(self: Any, text: Any, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> Any:  # noqa: N803
    if frags is None and isinstance(text, str) and cleaner is paragraph.cleanBlockQuotedText:
        plain = plain_frags(text, style)
        if plain is not None:
            text, frags = plain
    return _setup(self, text, style, bulletText, frags, cleaner)


if not getattr(_setup, "plain", False):
    _plain_setup.plain = True  # type: ignore[attr-defined]
    setattr(paragraph.Paragraph, "_setup", _plain_setup)  # noqa: B010 (the module's one purpose: see above)
