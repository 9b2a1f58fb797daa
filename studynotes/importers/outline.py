"""What every importer shares: drafts of sections and points while a source is read, the rule that
turns a paragraph into points, readable ids and short labels, and the finished ``Imported`` result.

Drafts are mutable on purpose (a section grows as its source is read); ``finish`` turns them into
the frozen model, dropping what came out empty and saying so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..errors import Loc, Problem
from ..load.notes import MAX_COLUMNS
from ..markup import Run
from ..model import Event, Fact, Point, Section, Table, Topic, iter_points
from ..names import slug
from . import inline, sentences

MAX_DEPTH = 3           # points nest at most three levels (notes-format.md)
CHUNK = 1500            # a "sentence" longer than this many characters is cut at spaces (the loader allows 4,000)
TITLE_LIMIT = 300       # the loader's limit for titles
ID_WORDS = 4

STOP = frozenset("a an the and or of in on at to for with by from as is are was were be been has have had "
                 "how what why which who whom when where can could should would will shall may might must do "
                 "does did its their this that these those further".split())
Key = tuple[str, str, int]  # (section id, "facts" | "timeline", index): where a '# check:' comment goes


@dataclass(eq=False)
class DraftPoint:
    text: str
    loc: Loc
    points: list[DraftPoint] = field(default_factory=list)


@dataclass(eq=False)
class DraftSection:
    title: str
    loc: Loc
    short: str | None = None
    id: str | None = None
    kind: str = "section"  # what the report and warnings call it: "heading", "sub-heading", …
    points: list[DraftPoint] = field(default_factory=list)
    table: Table | None = None
    facts: list[tuple[Fact, str]] = field(default_factory=list)       # with the '# check:' note
    timeline: list[tuple[Event, str]] = field(default_factory=list)
    sections: list[DraftSection] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.points or self.table or self.facts or self.timeline or
                    any(not s.empty() for s in self.sections))


@dataclass(frozen=True)
class Imported:
    """A topic read from a foreign source, with what the person reviewing it should know."""

    topic: Topic
    warnings: tuple[Problem, ...] = ()
    checks: tuple[tuple[Key, str], ...] = ()  # '# check:' comments on suggested facts and timeline entries
    report: tuple[str, ...] = ()             # phrases for the closing line ("dropped 1 empty sub-heading '…'")


class Notes:
    """Warnings and report phrases gathered while one source is read."""

    def __init__(self, path: str):
        self.path = path
        self.warnings: list[Problem] = []
        self.dropped: list[str] = []

    def warn(self, loc: Loc, message: str) -> None:
        self.warnings.append(Problem.at(loc, "", message, severity="warning"))


# ------------------------------------------------------------------ text into points

def text_of(runs: Sequence[Run], notes: Notes, loc: Loc) -> str:
    """Markup for runs; formatting that cannot be written back exactly is dropped with a warning."""
    text, kept = inline.to_markup(runs)
    if not kept:
        notes.warn(loc, "formatting of this text could not be written as markup; the text is kept plain")
    return text


def _chunks(runs: tuple[Run, ...], notes: Notes, loc: Loc) -> list[tuple[Run, ...]]:
    """A sentence too long for one point, cut at spaces into pieces the loader accepts."""
    text = inline.plain(runs)
    if len(text) <= CHUNK:
        return [runs]
    out: list[tuple[Run, ...]] = []
    start = 0
    while start < len(text):
        end = len(text) if len(text) - start <= CHUNK else text.rfind(" ", start + 1, start + CHUNK)
        if end <= start:
            end = start + CHUNK  # no space to cut at: cut inside the word
        out.append(inline.normalize(inline.cut(runs, start, end)))
        start = end
    out = [c for c in out if c]
    notes.warn(loc, f"a sentence of {len(text):,} characters is cut into {len(out)} points")
    return out


def sentence_runs(runs: tuple[Run, ...], notes: Notes, loc: Loc) -> list[tuple[Run, ...]]:
    """The sentences of a paragraph as runs (every character kept, in order)."""
    text = inline.plain(runs)
    out: list[tuple[Run, ...]] = []
    for a, b in sentences.spans(text):
        out += _chunks(inline.cut(runs, a, b), notes, loc)
    return out


def paragraph_points(runs: tuple[Run, ...], loc: Loc, depth: int, notes: Notes) -> list[DraftPoint]:
    """A paragraph as points: its first sentence leads, the others are its sub-points; where the
    depth allows no sub-points, every sentence is a point of its own."""
    return sentence_points(sentence_runs(runs, notes, loc), loc, depth, notes)


def sentence_points(found: list[tuple[Run, ...]], loc: Loc, depth: int, notes: Notes) -> list[DraftPoint]:
    """Sentences as points, the first leading the others (see paragraph_points)."""
    texts = [text_of(s, notes, loc) for s in found]
    if not texts:
        return []
    if depth + 1 >= MAX_DEPTH:
        return [DraftPoint(t, loc) for t in texts]
    return [DraftPoint(texts[0], loc, [DraftPoint(t, loc) for t in texts[1:]])]


def one_point(runs: tuple[Run, ...], loc: Loc, notes: Notes) -> list[DraftPoint]:
    """A unit the author made one item (a list item): one point, cut only when too long to load."""
    pieces = _chunks(runs, notes, loc)
    return [DraftPoint(text_of(p, notes, loc), loc) for p in pieces]


EMPTY_CELL = "—"   # what an empty table cell shows (the loader refuses empty text)


def attach_table(box: DraftSection, grid: Sequence[Sequence[str]], loc: Loc, notes: Notes) -> list[DraftPoint]:
    """The grid as the section's table, its first row the header; when the section has a table
    already or the grid cannot be one (one row, too many columns), the points to place instead, one
    a row, with a warning."""
    if not grid or not grid[0]:
        return []
    if len(grid) >= 2 and len(grid[0]) <= MAX_COLUMNS and box.table is None:
        box.table = Table(tuple(grid[0]), tuple(tuple(r) for r in grid[1:]), loc=loc)
        return []
    if len(grid) >= 2:
        why = "the section already has a table" if box.table is not None else \
            f"it has more than {MAX_COLUMNS} columns"
        notes.warn(loc, f"a table is kept as points, one a row: {why}")
    return [DraftPoint(" · ".join(c for c in row if c != EMPTY_CELL) or EMPTY_CELL, loc) for row in grid]


# ------------------------------------------------------------------ labels and ids

def _topic_phrase(topic_title: str) -> re.Pattern[str] | None:
    words = re.findall(r"\w+", topic_title)
    if not words:
        return None
    body = r"[\s‐‑–—-]+".join(re.escape(w) for w in words)
    return re.compile(rf"\s*\b(?:(?:of|in|for|with|between|on|to|limiting|deepen)\s+)?(?:the\s+)?{body}\w*",
                      re.IGNORECASE)


_NOUNS = ("significance|importance|challenges|issues|concerns|benefits|advantages|features|key features|reasons|"
          "causes|impacts?|implications|provisions|objectives|criticisms?|limitations|opportunities|achievements")
_QUESTIONS: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (re.compile(rf"^(?:what|which)\s+(?:is|are|were|was)\s+(?:the\s+)?(?:main\s+|major\s+|key\s+)?({_NOUNS})\b",
                re.I), None),
    (re.compile(r"^what\s+(?:steps|measures|reforms|actions)\s+(?:can|could|should|must|need|are)\b", re.I),
     "Way forward"),
    (re.compile(r"^what\s+(?:should|can|must)\s+be\s+(?:done|the way forward)\b|^what\s+is\s+the\s+way\s+forward",
                re.I), "Way forward"),
    (re.compile(r"^how\s+(?:has|have|did)\b.*\b(evolved|developed|grown|changed|progressed)$", re.I), None),
    (re.compile(r"^(?:what|which)\s+(?:is|are|was|were)\s+(?:the\s+)?(.+?)(?:\s+(?:of|in|for|limiting|facing|"
                r"affecting|behind|between|with|to|on|regarding|about|hampering|hindering))?$", re.I), None),
)
_VERB_NOUNS = {"evolved": "Evolution", "developed": "Development", "grown": "Growth", "changed": "Changes",
               "progressed": "Progress"}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def short_label(title: str, topic_title: str) -> str | None:
    """A mind-map label for a long heading, only when a rule finds a good one: a question's subject
    ("What is the current status of X?" → "Current status"), or the heading without the topic's name."""
    phrase = _topic_phrase(topic_title)
    bare = title.strip().rstrip("?").strip()
    if phrase is not None:
        bare = re.sub(r"\s{2,}", " ", phrase.sub("", bare)).strip()
    if title.rstrip().endswith("?"):
        for pattern, fixed in _QUESTIONS:
            m = pattern.search(bare)
            if m:
                found = fixed or _VERB_NOUNS.get(m.group(1).lower()) or m.group(1)
                return _capital(found) if 1 <= len(found.split()) <= 4 else None
        return None
    if bare and bare != title.strip() and len(title.split()) > 5 and len(bare.split()) <= 5:
        return _capital(bare)
    return None


def readable_id(title: str, short: str | None, topic_title: str, taken: set[str], fallback: str) -> str:
    """A short, unique id: the short label's slug, else the heading's first few content words."""
    base = slug(short) if short else ""
    if not base:
        topic_words = set(slug(topic_title).split("-"))
        words = [w for w in slug(title).split("-") if w]
        kept = [w for w in words if w not in STOP and w not in topic_words] or [w for w in words if w not in STOP]
        base = "-".join(kept[:ID_WORDS]) or "-".join(words[:ID_WORDS])
    base = base or fallback
    sid, n = base, 2
    while sid in taken:
        sid, n = f"{base}-{n}", n + 1
    taken.add(sid)
    return sid


# ------------------------------------------------------------------ drafts into the model

def _point(d: DraftPoint) -> Point:
    return Point(d.text, points=tuple(_point(p) for p in d.points), loc=d.loc)


def _drop_empty(drafts: list[DraftSection], notes: Notes) -> list[DraftSection]:
    kept = []
    for d in drafts:
        for sub in d.sections:
            if sub.empty():
                notes.dropped.append(f"empty {sub.kind} '{sub.title}'")
                notes.warn(sub.loc, f"{sub.kind} '{sub.title}' has no text under it: dropped")
        d.sections = [s for s in d.sections if not s.empty()]
        if d.empty():
            notes.dropped.append(f"empty {d.kind} '{d.title}'")
            notes.warn(d.loc, f"{d.kind} '{d.title}' has no text under it: dropped")
        else:
            kept.append(d)
    return kept


def _section(d: DraftSection, number: str, topic_title: str, taken: set[str],
             checks: list[tuple[Key, str]]) -> Section:
    sid = d.id or readable_id(d.title, d.short, topic_title, taken, f"section-{number.replace('.', '-')}")
    checks += [((sid, "facts", i), note) for i, (_, note) in enumerate(d.facts) if note]
    checks += [((sid, "timeline", i), note) for i, (_, note) in enumerate(d.timeline) if note]
    subs = tuple(_section(s, f"{number}.{i}", topic_title, taken, checks) for i, s in enumerate(d.sections, 1))
    return Section(sid, d.title, d.short, (), tuple(_point(p) for p in d.points), tuple(f for f, _ in d.facts),
                   tuple(e for e, _ in d.timeline), (), d.table, (), subs, number=number, loc=d.loc)


def finish(drafts: list[DraftSection], topic_title: str, notes: Notes) -> tuple[tuple[Section, ...],
                                                                                 tuple[tuple[Key, str], ...]]:
    """Frozen sections with unique readable ids and their numbers; empty drafts dropped with a warning."""
    kept = _drop_empty(drafts, notes)
    taken = {s.id for d in kept for s in (d, *d.sections) if s.id}  # fixed ids ("context", "conclusion") first
    checks: list[tuple[Key, str]] = []
    sections = tuple(_section(d, str(i), topic_title, taken, checks) for i, d in enumerate(kept, 1))
    return sections, tuple(checks)


def counts(topic: Topic) -> tuple[int, int, int]:
    """(sections, sub-sections, points at every level) for the closing line."""
    subs = sum(len(s.sections) for s in topic.sections)
    points = sum(1 for s, _ in topic.walk() for _ in iter_points(s.points))
    return len(topic.sections), subs, points


def dropped_phrases(dropped: list[str]) -> list[str]:
    """The report's phrase for headings dropped as empty."""
    if not dropped:
        return []
    if len(dropped) == 1:
        return [f"dropped 1 {dropped[0]}"]
    return [f"dropped {len(dropped)} empty headings: " + ", ".join(d.split(" ", 2)[-1] for d in dropped)]


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else many or word + 's'}"
