"""A topic written as a notes YAML file that reads as if a person had typed it.

Block style, ids on every section, plain scalars wherever YAML reads them back as the same text
(quoted only where it would not), one-line ``{…}`` records for facts, timeline entries and terms as
in docs/notes-format.md, the summary folded over lines. It knows nothing of where the topic came
from: ``dump`` takes a ``Topic`` plus comments, so every importer (and Markdown) writes the same way.
``run.py`` loads what it writes before it writes it, so a file that would not load is never made.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import yaml

from ..model import Card, Event, Fact, Point, Section, Table, Term, Topic

Key = tuple[str, str, int]  # (section id, field, index) of a record that carries a comment
WIDTH = 100                 # the folded summary's lines
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_FLOW_UNSAFE = set(",[]{}:")
_RESOLVERS = yaml.SafeLoader.yaml_implicit_resolvers
# YAML's printable characters, less the Unicode line and paragraph separators (line breaks to YAML)
_HIDDEN = re.compile("[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _reads_as_text(value: str) -> bool:
    """Whether YAML reads the bare value as a string (not a number, date, boolean or null)."""
    resolvers = [*_RESOLVERS.get(value[:1], []), *_RESOLVERS.get(None, [])]
    return not any(regexp.match(value) for _, regexp in resolvers)


def plain_ok(value: str, flow: bool = False) -> bool:
    """Whether ``value`` may stand unquoted: a conservative reading of YAML's rules for plain scalars."""
    if not value or value != value.strip() or value[0] in _INDICATORS or not _shown(value):
        return False
    if ": " in value or " #" in value or value.endswith(":"):
        return False
    if flow and any(c in _FLOW_UNSAFE for c in value):
        return False
    return _reads_as_text(value)


def _shown(text: str) -> bool:
    """Whether YAML shows every character as it is (no line break, nothing it would refuse)."""
    return not _HIDDEN.search(text)


def _escaped(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if _shown(ch):
        return ch
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else \
        f"\\U{ord(ch):08x}"


def scalar(value: str, flow: bool = False) -> str:
    """The value as YAML writes it here: plain when safe, else single-quoted; double-quoted with
    escapes only when it holds a line break or a character YAML cannot show as it is."""
    if plain_ok(value, flow):
        return value
    if _shown(value):
        return "'" + value.replace("'", "''") + "'"
    return '"' + "".join(_escaped(ch) for ch in value) + '"'


def folded(value: str, indent: str) -> list[str]:
    """A long text as a folded block (``>-``, or ``>`` when it ends in one line break), broken at
    single spaces; [] when the text cannot be folded faithfully (inner line breaks, leading, trailing
    or doubled spaces, characters that need escapes)."""
    body, style = (value[:-1], ">") if value.endswith("\n") else (value, ">-")
    if not body or body != body.strip() or "  " in body or not _shown(body):
        return []
    lines: list[str] = []
    line = ""
    for word in body.split(" "):
        if line and len(indent) + len(line) + 1 + len(word) > WIDTH:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return [style, *(indent + ln for ln in lines)]


def _record(pairs: Iterable[tuple[str, str | None]]) -> str:
    return "{" + ", ".join(f"{k}: {scalar(v, flow=True)}" for k, v in pairs if v is not None) + "}"


def _row(cells: Sequence[str]) -> str:
    return "[" + ", ".join(scalar(c, flow=True) for c in cells) + "]"


class _Writer:
    def __init__(self, comments: Mapping[Key, str]):
        self.lines: list[str] = []
        self.comments = comments

    def add(self, indent: int, text: str, comment: str | None = None) -> None:
        self.lines.append(" " * indent + text + (f"  # {comment}" if comment else ""))

    def point(self, p: Point, indent: int) -> None:
        if p.short is None and not p.key and not p.points:
            self.add(indent, f"- {scalar(p.text)}")
            return
        self.add(indent, f"- text: {scalar(p.text)}")
        if p.short is not None:
            self.add(indent + 2, f"short: {scalar(p.short)}")
        if p.key:
            self.add(indent + 2, "key: true")
        if p.points:
            self.add(indent + 2, "points:")
            for sub in p.points:
                self.point(sub, indent + 4)

    def records(self, sid: str, name: str, items: Sequence[Fact | Event | Term | Card], indent: int) -> None:
        if not items:
            return
        self.add(indent, f"{name}:")
        for i, item in enumerate(items):
            self.add(indent + 2, f"- {_record(_pairs(item))}", self.comments.get((sid, name, i)))

    def table(self, t: Table, indent: int) -> None:
        self.add(indent, "table:")
        if t.title is not None:
            self.add(indent + 2, f"title: {scalar(t.title)}")
        self.add(indent + 2, f"columns: {_row(t.columns)}")
        self.add(indent + 2, "rows:")
        for r in t.rows:
            self.add(indent + 4, f"- {_row(r)}")

    def section(self, s: Section, indent: int) -> None:
        self.add(indent, f"- id: {scalar(s.id)}")
        inner = indent + 2
        self.add(inner, f"title: {scalar(s.title)}")
        if s.short is not None:
            self.add(inner, f"short: {scalar(s.short)}")
        if s.tags:
            self.add(inner, f"tags: {_row(s.tags)}")
        if s.points:
            self.add(inner, "points:")
            for p in s.points:
                self.point(p, inner + 2)
        self.records(s.id, "facts", s.facts, inner)
        self.records(s.id, "timeline", s.timeline, inner)
        self.records(s.id, "terms", s.terms, inner)
        if s.table is not None:
            self.table(s.table, inner)
        self.records(s.id, "cards", s.cards, inner)
        if s.sections:
            self.add(inner, "sections:")
            for sub in s.sections:
                self.section(sub, inner + 2)


def _pairs(item: Fact | Event | Term | Card) -> list[tuple[str, str | None]]:
    if isinstance(item, Fact):
        return [("label", item.label), ("value", item.value), ("note", item.note)]
    if isinstance(item, Event):
        return [("when", item.when), ("what", item.what)]
    if isinstance(item, Term):
        return [("term", item.term), ("meaning", item.meaning)]
    return [("q", item.q), ("a", item.a)]


def _list_or_one(w: _Writer, key: str, values: Sequence[str]) -> None:
    if len(values) == 1:
        w.add(0, f"{key}: {scalar(values[0])}")
    elif values:
        w.add(0, f"{key}:")
        for v in values:
            w.add(2, f"- {scalar(v)}")


def _head(w: _Writer, topic: Topic) -> None:
    w.add(0, f"topic: {scalar(topic.title)}")
    w.add(0, f"id: {scalar(topic.id)}")
    if topic.subject is not None:
        w.add(0, f"subject: {scalar(topic.subject)}")
    _list_or_one(w, "syllabus", topic.syllabus)
    if topic.tags:
        w.add(0, f"tags: {_row(topic.tags)}")
    if topic.updated is not None:
        w.add(0, f"updated: {topic.updated}")
    if topic.summary is not None:
        body = folded(topic.summary, "  ")
        w.lines += [f"summary: {body[0]}", *body[1:]] if body else [f"summary: {scalar(topic.summary)}"]
    if topic.sources:
        w.add(0, "sources:")
        for src in topic.sources:
            w.add(2, f"- {_record([('title', src.title), ('url', src.url)])}" if src.url else f"- {scalar(src.title)}")


def dump(topic: Topic, header: Sequence[str] = (), comments: Mapping[Key, str] | None = None) -> str:
    """The notes file for ``topic``; ``header`` lines become comments at the top, ``comments`` go at
    the end of the line of the fact, timeline entry, term or card they are keyed to."""
    w = _Writer(comments or {})
    w.lines += [f"# {line}".rstrip() for text in header for line in text.split("\n")]
    _head(w, topic)
    w.add(0, "")
    w.add(0, "sections:")
    for i, s in enumerate(topic.sections):
        if i:
            w.add(0, "")
        w.section(s, 2)
    return "\n".join(w.lines) + "\n"
