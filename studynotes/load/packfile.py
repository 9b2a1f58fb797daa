"""Pack files: a class pack reused every term, as YAML, checked like notes.

    title: GS II — Week 3          # required
    class: Batch B
    teacher: Ms Rao
    date: 2026-11-25               # any text, as it is to be printed (25 Nov 2026 too)
    duplex: true
    watermark: DRAFT
    topics:                        # required, at least one
      - topic: india-japan         # an id from the notes folder, or a path (relative to this file)
        kinds: [revision, mindmap] # layout presets (a path is relative to this file); default: the default ones
        sections: [defence]        # optional picks, as -s / -x / -t
        exclude: []
        tags: []

The cover values follow one rule whether they come from a pack file or from
the command line (``cover_problem``), so a pack file and ``--title`` … never
disagree about what is allowed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import NotesError, Problem
from .reader import Reader
from .yamlfile import BAD_CHARS, MappingNode, Node, ScalarNode, SequenceNode, bad_char_message, compose, read_text

PACK_KEYS = {"title": True, "class": False, "teacher": False, "date": False, "duplex": False, "watermark": False,
             "topics": True}
ENTRY_KEYS = {"topic": True, "kinds": False, "sections": False, "exclude": False, "tags": False}
# The longest text each cover value may be, on the command line and in a pack file alike.
COVER_LIMITS = {"title": 200, "class": 200, "teacher": 200, "date": 100, "watermark": 200}
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\Z")
_BREAKS = re.compile(r"[\t\n\r]")


def cover_problem(key: str, value: str) -> str | None:
    """What is wrong with one cover value (title, class, teacher, date, watermark), or None.

    A date is any text, as it is to be printed ("2026-11-25", "25 Nov 2026"); one written as
    YYYY-MM-DD must be a day of the calendar, since "2026-11-31" can only be a slip."""
    if not value.strip():
        return "must not be blank"
    limit = COVER_LIMITS[key]
    if len(value) > limit:
        return f"is {len(value):,} characters long; the limit is {limit:,}"
    bad = BAD_CHARS.search(value)
    if bad:
        return bad_char_message(bad.group())
    if _BREAKS.search(value):
        return "must be on one line (it holds a tab or a line break)"
    iso = _ISO_DATE.match(value.strip()) if key == "date" else None
    if iso:
        try:
            dt.date(*(int(n) for n in iso.groups()))
        except ValueError:
            return f"'{value.strip()}' is not a day of the calendar (YYYY-MM-DD)"
    return None


@dataclass(frozen=True)
class Entry:
    topic: str
    kinds: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    line: int = 0  # where the entry stands in the pack file, for messages
    col: int = 0
    places: tuple[tuple[str, int, int], ...] = ()  # (key, line, col) of its kinds, sections … values

    def place(self, *keys: str) -> tuple[int, int]:
        """Where the first of these keys stands in the pack file (else the entry's topic)."""
        for key in keys:
            for k, line, col in self.places:
                if k == key:
                    return line, col
        return self.line, self.col

    @property
    def same_as(self) -> tuple[object, ...]:
        """What makes two entries print the same pages: the topic (a path made absolute) and its kinds and picks."""
        topic = os.path.abspath(self.topic) if is_path(self.topic) else self.topic
        return topic, self.kinds, self.sections, self.exclude, self.tags


@dataclass(frozen=True)
class PackSpec:
    title: str
    entries: tuple[Entry, ...]
    class_: str = ""
    teacher: str = ""
    date: str = ""
    duplex: bool = False
    watermark: str = ""
    path: str = ""
    warnings: tuple[Problem, ...] = ()  # located notes about the pack file, printed once by the caller


def is_path(name: str) -> bool:
    """A topic or kind written as a file path rather than a name (the rule of discover and presets.find)."""
    return Path(name).suffix in (".yaml", ".yml", ".md") or "/" in name or "\\" in name or os.sep in name


def _beside(name: str, folder: Path) -> str:
    """A path in a pack file is relative to the pack file (as a preset's ``extends`` is); a name stays a name."""
    if not is_path(name) or Path(name).is_absolute():
        return name
    return str(folder / name)


def _cover(r: Reader, node: Node, key: str) -> str | None:
    if not isinstance(node, ScalarNode):
        return r.text(node, key)  # reports "expected text, found a list"
    value = "" if node.tag.endswith(":null") else node.value
    problem = cover_problem(key, value)
    if problem:
        r.error(node, key, problem)
        return None
    return str(value)


def _topic_items(r: Reader, node: Node) -> list[Node]:
    """The entries of ``topics:``, with one message for each way of getting the list wrong."""
    if isinstance(node, SequenceNode):
        if not node.value:
            r.error(node, "topics", "a pack needs at least one topic")
        return list(node.value)
    if isinstance(node, ScalarNode) and (node.tag.endswith(":null") or not node.value.strip()):
        r.error(node, "topics", "a pack needs at least one topic: a list of entries such as '- topic: india-japan'")
    elif isinstance(node, ScalarNode):
        r.error(node, "topics", f"expected a list of entries, found '{node.value[:40]}'; write each entry on its "
                f"own line as '- topic: {node.value[:40]}'")
    elif isinstance(node, MappingNode):
        r.error(node, "topics", "expected a list of entries, found a mapping; start each entry with '- ', "
                "as in '- topic: india-japan'")
    return []


def _written(item: Node) -> str:
    """The topic of a valid entry as the user wrote it (the entry keeps it resolved against the pack file)."""
    assert isinstance(item, MappingNode)
    return next(str(v.value) for k, v in item.value if k.value == "topic")


def _entry(r: Reader, item: Node, where: str, folder: Path) -> Entry | None:
    fields = r.mapping(item, where, ENTRY_KEYS)
    if fields is None:
        return None
    get = {k: v for k, (_, v) in fields.items()}
    topic = r.text(get["topic"], f"{where}.topic", limit=500) if "topic" in get else None
    lists = {k: r.texts(get[k], f"{where}.{k}", one_ok=True) or () for k in ("kinds", "sections", "exclude", "tags")
             if k in get}
    if topic is None:
        return None
    lists["kinds"] = tuple(_beside(k, folder) for k in lists.get("kinds", ()))
    mark = get["topic"].start_mark
    places = tuple((k, v.start_mark.line + 1, v.start_mark.column + 1) for k, v in get.items())
    return Entry(_beside(topic, folder), **lists, line=mark.line + 1, col=mark.column + 1, places=places)


def _repeats(entries: list[tuple[str, str, Entry]], shown: str) -> tuple[tuple[Entry, ...], tuple[Problem, ...]]:
    """A topic listed twice is a warning at the second entry; an exact repeat (same topic, kinds and picks)
    would only print the same pages again, so it is left out."""
    kept: list[Entry] = []
    first: dict[object, Entry] = {}
    exact: set[tuple[object, ...]] = set()
    warnings = []
    for where, written, e in entries:
        key = e.same_as
        if key[0] in first:
            again = f"'{written}' is already in the pack (line {first[key[0]].line})"
            message = (f"{again} with the same kinds and picks; this entry is left out" if key in exact else
                       f"{again}; it is printed again, here with other kinds or picks")
            warnings.append(Problem(shown, e.line, e.col, where, message, severity="warning"))
        first.setdefault(key[0], e)
        if key not in exact:
            exact.add(key)
            kept.append(e)
    return tuple(kept), tuple(warnings)


def load(path: Path) -> PackSpec:
    shown = str(path)
    text = read_text(path, shown)
    root = compose(text, shown)
    r = Reader(shown, text)
    fields = r.mapping(root, "", PACK_KEYS) or {}
    get = {k: v for k, (_, v) in fields.items()}
    values = {k: _cover(r, get[k], k) for k in COVER_LIMITS if k in get}
    duplex = r.boolean(get["duplex"], "duplex") if "duplex" in get else False
    entries: list[tuple[str, str, Entry]] = []  # (where, the topic as written, the entry)
    for i, item in enumerate(_topic_items(r, get["topics"]) if "topics" in get else []):
        entry = _entry(r, item, f"topics[{i}]", path.parent)
        if entry is not None:
            entries.append((f"topics[{i}]", _written(item), entry))
    if r.problems:
        raise NotesError(r.problems)
    kept, warnings = _repeats(entries, shown)
    return PackSpec(values.get("title") or "", kept, values.get("class") or "", values.get("teacher") or "",
                    values.get("date") or "", bool(duplex), values.get("watermark") or "", shown, warnings)
