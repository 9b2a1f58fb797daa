"""Pack files: a class pack reused every term, as YAML, checked like notes.

    title: GS II — Week 3          # required
    class: Batch B
    teacher: Ms Rao
    date: 2026-11-25
    duplex: true
    watermark: DRAFT
    topics:                        # required, at least one
      - topic: india-japan         # an id from the notes folder, or a path
        kinds: [revision, mindmap] # layout presets; default: the default ones
        sections: [defence]        # optional picks, as -s / -x / -t
        exclude: []
        tags: []
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import NotesError
from .reader import Reader
from .yamlfile import compose, read_text

PACK_KEYS = {"title": True, "class": False, "teacher": False, "date": False, "duplex": False, "watermark": False,
             "topics": True}
ENTRY_KEYS = {"topic": True, "kinds": False, "sections": False, "exclude": False, "tags": False}


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


def load(path: Path) -> PackSpec:
    shown = str(path)
    text = read_text(path, shown)
    root = compose(text, shown)
    r = Reader(shown, text)
    fields = r.mapping(root, "", PACK_KEYS) or {}
    get = {k: v for k, (_, v) in fields.items()}
    title = r.text(get["title"], "title", limit=200) if "title" in get else None
    values = {k: r.text(get[k], k, limit=200) for k in ("class", "teacher", "watermark") if k in get}
    date = r.date(get["date"], "date") if "date" in get else ""
    duplex = r.boolean(get["duplex"], "duplex") if "duplex" in get else False
    entries = []
    if "topics" in get:
        items = r.sequence(get["topics"], "topics") or []
        if not items and isinstance(items, list):
            r.error(get["topics"], "topics", "a pack needs at least one topic")
        for i, item in enumerate(items):
            w = f"topics[{i}]"
            ef = r.mapping(item, w, ENTRY_KEYS)
            if ef is None:
                continue
            eget = {k: v for k, (_, v) in ef.items()}
            topic = r.text(eget["topic"], f"{w}.topic", limit=500) if "topic" in eget else None
            lists = {k: r.texts(eget[k], f"{w}.{k}", one_ok=True) or ()
                     for k in ("kinds", "sections", "exclude", "tags") if k in eget}
            if topic is not None:
                mark = eget["topic"].start_mark
                places = tuple((k, v.start_mark.line + 1, v.start_mark.column + 1) for k, v in eget.items())
                entries.append(Entry(topic, **lists, line=mark.line + 1, col=mark.column + 1, places=places))
    if r.problems:
        raise NotesError(r.problems)
    return PackSpec(title or "", tuple(entries), values.get("class") or "", values.get("teacher") or "",
                    date or "", bool(duplex), values.get("watermark") or "", shown)
