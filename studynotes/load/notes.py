"""Notes YAML → Topic, enforcing the contract in notes-format.md.

Every problem in a file is collected and reported at once, sorted by
position; a file that loads has passed every rule, markup included.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlparse

from .. import markup
from ..errors import Loc, NotesError, Problem
from ..model import Card, Event, Fact, Point, Section, Source, Table, Term, Topic
from ..names import slug
from .reader import Reader
from .yamlfile import Node, ScalarNode, SequenceNode, compose, read_text

R = TypeVar("R")

MAX_POINT_DEPTH = 3
MAX_POINTS = 5000        # points in one topic, all levels
MAX_SECTIONS = 500
MAX_COLUMNS = 12
YAML_SUFFIXES = (".yaml", ".yml")
MARKDOWN_SUFFIXES = (".md", ".markdown")
SUFFIXES = YAML_SUFFIXES + MARKDOWN_SUFFIXES  # what a notes file is called

TOPIC_KEYS = {"topic": True, "id": False, "subject": False, "syllabus": False, "tags": False,
              "updated": False, "summary": False, "sources": False, "sections": True}
SECTION_KEYS = {"title": True, "id": False, "short": False, "tags": False, "points": False, "facts": False,
                "timeline": False, "terms": False, "table": False, "cards": False, "sections": False}
POINT_KEYS = {"text": True, "short": False, "key": False, "points": False}
FACT_KEYS = {"label": True, "value": True, "note": False}
EVENT_KEYS = {"when": True, "what": True}
TERM_KEYS = {"term": True, "meaning": True}
TABLE_KEYS = {"title": False, "columns": True, "rows": True}
CARD_KEYS = {"q": True, "a": True}
SOURCE_KEYS = {"title": True, "url": False}
CONTENT_KEYS = ("points", "facts", "timeline", "terms", "table", "cards", "sections")


class _TopicReader(Reader):
    def __init__(self, shown: str, text: str):
        super().__init__(shown, text)
        self.point_count = 0
        self.id_sites: list[tuple[str, str, Node]] = []  # (section id, where, node to point at), in file order

    def at(self, node: Node) -> Loc:
        return Loc(self.shown, node.start_mark.line + 1, node.start_mark.column + 1)

    def marked(self, node: Node, where: str, *, limit: int = 4000) -> str | None:
        """Text that may hold inline markup; unbalanced markers are located errors."""
        value = self.text(node, where, limit=limit)
        if value is None:
            return None
        try:
            markup.parse(value)
        except markup.MarkupError as exc:
            self.error(node, where, exc.message, offset=exc.offset)
            return None
        return value

    def items(self, node: Node, where: str, keys: dict[str, bool], make: Callable[..., R]) -> tuple[R, ...]:
        """A list of small records (facts, events, terms, cards) built by ``make``."""
        out: list[R] = []
        for i, item in enumerate(self.sequence(node, where) or ()):
            w = f"{where}[{i}]"
            fields = self.mapping(item, w, keys)
            if fields is None:
                continue
            values = {k: self.marked(v, f"{w}.{k}") for k, (_, v) in fields.items()}
            if all(values.get(k) is not None for k, req in keys.items() if req):
                out.append(make(**values, loc=self.at(item)))
        return tuple(out)

    def point(self, node: Node, where: str, depth: int) -> Point | None:
        self.point_count += 1
        if self.point_count == MAX_POINTS + 1:
            self.error(node, where, f"the topic has more than {MAX_POINTS:,} points; split it into several topics")
        if self.point_count > MAX_POINTS:
            return None  # already refused: checking the rest one by one only costs time
        if isinstance(node, ScalarNode):
            text = self.marked(node, where)
            return None if text is None else Point(text, loc=self.at(node))
        fields = self.mapping(node, where, POINT_KEYS)
        if fields is None:
            return None
        text = self.marked(fields["text"][1], f"{where}.text") if "text" in fields else None
        short = self.marked(fields["short"][1], f"{where}.short", limit=200) if "short" in fields else None
        key = self.boolean(fields["key"][1], f"{where}.key") if "key" in fields else False
        subs: tuple[Point, ...] = ()
        if "points" in fields:
            knode, vnode = fields["points"]
            if depth + 1 >= MAX_POINT_DEPTH:
                self.error(knode, f"{where}.points", f"points nest at most {MAX_POINT_DEPTH} levels")
            else:
                subs = self.points(vnode, f"{where}.points", depth + 1)
        if text is None:
            return None
        return Point(text, short, bool(key), subs, loc=self.at(node))

    def points(self, node: Node, where: str, depth: int = 0) -> tuple[Point, ...]:
        out = [self.point(item, f"{where}[{i}]", depth) for i, item in enumerate(self.sequence(node, where) or ())]
        return tuple(p for p in out if p is not None)

    def table(self, node: Node, where: str) -> Table | None:
        fields = self.mapping(node, where, TABLE_KEYS)
        if fields is None:
            return None
        title = self.marked(fields["title"][1], f"{where}.title") if "title" in fields else None
        columns = self.columns(fields["columns"][1], f"{where}.columns") if "columns" in fields else None
        rows = self.rows(fields["rows"][1], f"{where}.rows", columns) if "rows" in fields else []
        if columns is None:
            return None
        return Table(columns, tuple(rows), title, loc=self.at(node))

    def columns(self, cnode: Node, where: str) -> tuple[str, ...] | None:
        items = self.sequence(cnode, where)
        if items is None:
            return None
        if not items or len(items) > MAX_COLUMNS:
            self.error(cnode, where, f"a table needs 1 to {MAX_COLUMNS} columns, found {len(items)}")
            return None
        cols = [self.marked(c, f"{where}[{i}]") for i, c in enumerate(items)]
        return tuple(c for c in cols if c is not None) if all(c is not None for c in cols) else None

    def rows(self, rnode: Node, where: str, columns: tuple[str, ...] | None) -> list[tuple[str, ...]]:
        rows: list[tuple[str, ...]] = []
        for r, row in enumerate(self.sequence(rnode, where) or ()):
            w = f"{where}[{r}]"
            cells = self.sequence(row, w)
            if cells is None:
                continue
            if columns is not None and len(cells) != len(columns):
                self.error(row, w, f"has {len(cells)} cell{'s' if len(cells) != 1 else ''} but the table has "
                           f"{len(columns)} columns")
                continue
            values = [self.marked(c, f"{w}[{i}]") for i, c in enumerate(cells)]
            if all(v is not None for v in values):
                rows.append(tuple(v for v in values if v is not None))
        if isinstance(rnode, SequenceNode) and not rnode.value:
            self.error(rnode, where, "a table needs at least one row")
        return rows

    def sources(self, node: Node, where: str) -> tuple[Source, ...]:
        out = []
        for i, item in enumerate(self.sequence(node, where) or ()):
            w = f"{where}[{i}]"
            if isinstance(item, ScalarNode):
                title = self.marked(item, w)
                if title is not None:
                    out.append(Source(title))
                continue
            fields = self.mapping(item, w, SOURCE_KEYS)
            if fields is None:
                continue
            title = self.marked(fields["title"][1], f"{w}.title") if "title" in fields else None
            url = None
            if "url" in fields:
                unode = fields["url"][1]
                url = self.text(unode, f"{w}.url", limit=2000)
                if url is not None:
                    parsed = urlparse(url)
                    if parsed.scheme not in ("http", "https") or not parsed.netloc or any(c.isspace() for c in url):
                        self.error(unode, f"{w}.url", f"'{url}' is not a web address: it must start with "
                                   "http:// or https://")
                        url = None
            if title is not None:
                out.append(Source(title, url))
        return tuple(out)

    def section(self, node: Node, where: str, number: str, depth: int) -> Section | None:
        fields = self.mapping(node, where, SECTION_KEYS)
        if fields is None:
            return None

        def get(key: str) -> Node:
            return fields[key][1]

        title = self.marked(get("title"), f"{where}.title", limit=300) if "title" in fields else None
        sid = self.ident(get("id"), f"{where}.id") if "id" in fields else None
        if sid is None and title is not None and "id" not in fields:
            sid = slug(markup.plain(title)) or f"section-{number}"
            self.id_sites.append((sid, where, node))
        elif sid is not None:
            self.id_sites.append((sid, f"{where}.id", get("id")))
        short = self.marked(get("short"), f"{where}.short", limit=200) if "short" in fields else None
        tags = self.texts(get("tags"), f"{where}.tags") if "tags" in fields else ()
        points = self.points(get("points"), f"{where}.points") if "points" in fields else ()
        facts = self.items(get("facts"), f"{where}.facts", FACT_KEYS, Fact) if "facts" in fields else ()
        timeline = self.items(get("timeline"), f"{where}.timeline", EVENT_KEYS, Event) if "timeline" in fields else ()
        terms = self.items(get("terms"), f"{where}.terms", TERM_KEYS, Term) if "terms" in fields else ()
        cards = self.items(get("cards"), f"{where}.cards", CARD_KEYS, Card) if "cards" in fields else ()
        table = self.table(get("table"), f"{where}.table") if "table" in fields else None
        subs: tuple[Section, ...] = ()
        if "sections" in fields:
            knode, vnode = fields["sections"]
            if depth >= 1:
                self.error(knode, f"{where}.sections", "sub-sections nest one level only: a sub-section "
                           "cannot have sections of its own")
            else:
                subs = self.sections(vnode, f"{where}.sections", f"{number}-", depth + 1)
        present = [fields[k][1] for k in CONTENT_KEYS if k in fields]
        wrong_type = any(isinstance(v, ScalarNode) and v.tag != "tag:yaml.org,2002:null" for v in present)
        if not wrong_type and not any(not isinstance(v, ScalarNode) and v.value for v in present):
            self.error(node, where, "a section needs content: at least one of " + ", ".join(CONTENT_KEYS)
                       + " (empty lists do not count)")
        if title is None or sid is None:
            return None
        return Section(sid, title, short, tags or (), points, facts, timeline, terms, table, cards, subs,
                       number=number.replace("-", "."), loc=self.at(node))

    def sections(self, node: Node, where: str, prefix: str = "", depth: int = 0) -> tuple[Section, ...]:
        items = self.sequence(node, where)
        if items is None:
            return ()
        if depth == 0 and not items:
            self.error(node, where, "a topic needs at least one section")
        out = [self.section(item, f"{where}[{i}]", f"{prefix}{i + 1}", depth) for i, item in enumerate(items)]
        return tuple(s for s in out if s is not None)


def _check_ids(reader: _TopicReader, root: Node, sections: tuple[Section, ...]) -> None:
    seen: dict[str, int] = {}
    for sid, where, node in reader.id_sites:
        if sid in seen:
            reader.error(node, where, f"two sections have the id '{sid}' (the other at line {seen[sid]}); "
                         "give them explicit, different ids")
        else:
            seen[sid] = node.start_mark.line + 1
    if len(seen) > MAX_SECTIONS:
        reader.error(root, "sections", f"the topic has {len(seen)} sections; the limit is {MAX_SECTIONS}")


def load_text(text: str, shown: str, stem: str = "topic") -> Topic:
    """Parse notes from text; ``shown`` is the name used in messages."""
    root = compose(text, shown)
    r = _TopicReader(shown, text)
    fields = r.mapping(root, "", TOPIC_KEYS)
    if fields is None:
        raise NotesError(r.problems)

    def get(key: str) -> Node:
        return fields[key][1]

    title = r.marked(get("topic"), "topic", limit=300) if "topic" in fields else None
    tid = r.ident(get("id"), "id") if "id" in fields else (slug(stem) or "topic")
    subject = r.marked(get("subject"), "subject", limit=300) if "subject" in fields else None
    syllabus = r.texts(get("syllabus"), "syllabus", one_ok=True) if "syllabus" in fields else ()
    tags = r.texts(get("tags"), "tags") if "tags" in fields else ()
    updated = r.date(get("updated"), "updated") if "updated" in fields else None
    summary = r.marked(get("summary"), "summary") if "summary" in fields else None
    sources = r.sources(get("sources"), "sources") if "sources" in fields else ()
    sections = r.sections(get("sections"), "sections") if "sections" in fields else ()
    if syllabus:  # texts() checked the type; check the markup of each entry where it stands
        snode = get("syllabus")
        entries = [(snode, "syllabus")] if isinstance(snode, ScalarNode) else \
            [(item, f"syllabus[{i}]") for i, item in enumerate(snode.value)]
        for item, where in entries:
            if isinstance(item, ScalarNode) and item.value in syllabus:
                r.marked(item, where)
    _check_ids(r, root, sections)
    if r.problems:
        raise NotesError(r.problems)
    assert title is not None and tid is not None
    return Topic(tid, title, sections, subject, syllabus or (), tags or (), updated, summary, sources, shown,
                 loc=Loc(shown), id_at=r.at(get("id")) if "id" in fields else Loc(shown))


def is_markdown(path: Path) -> bool:
    return path.suffix.lower() in MARKDOWN_SUFFIXES


def read(path: str | Path) -> tuple[Topic, tuple[Problem, ...]]:
    """Load one notes file (YAML or Markdown) with its warnings; raises NotesError with every problem it has."""
    path = Path(path)
    if is_markdown(path):
        from . import markdown  # markdown-it: loaded only when a Markdown file is read

        parsed = markdown.read(path)
        return parsed.topic, parsed.warnings
    shown = str(path)
    return load_text(read_text(path, shown), shown, path.stem), ()


def load(path: str | Path) -> Topic:
    """Load one notes file (YAML, or Markdown for ``.md``); raises NotesError with every problem it has."""
    return read(path)[0]
