"""The notes as frozen data: what the loader produces and every renderer reads.

Text fields keep the notes' inline markup (see markup.py); they are exactly
as written in the file, so ``when: 1952`` is the string ``"1952"``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .errors import Loc

NOWHERE = Loc()


def _where() -> Loc:
    """Where a thing stands in its file: for messages only, so never part of equality or the cache."""
    return field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Point:
    text: str
    short: str | None = None
    key: bool = False
    points: tuple[Point, ...] = ()
    loc: Loc = _where()


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    note: str | None = None
    loc: Loc = _where()


@dataclass(frozen=True)
class Event:
    when: str
    what: str
    loc: Loc = _where()


@dataclass(frozen=True)
class Term:
    term: str
    meaning: str
    loc: Loc = _where()


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    title: str | None = None
    loc: Loc = _where()


@dataclass(frozen=True)
class Card:
    q: str
    a: str
    loc: Loc = _where()


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None = None


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    short: str | None = None
    tags: tuple[str, ...] = ()
    points: tuple[Point, ...] = ()
    facts: tuple[Fact, ...] = ()
    timeline: tuple[Event, ...] = ()
    terms: tuple[Term, ...] = ()
    table: Table | None = None
    cards: tuple[Card, ...] = ()
    sections: tuple[Section, ...] = ()
    number: str = ""  # "3" or "3.1": its place in the whole topic, kept when sections are picked
    loc: Loc = _where()


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    sections: tuple[Section, ...]
    subject: str | None = None
    syllabus: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    updated: str | None = None
    summary: str | None = None
    sources: tuple[Source, ...] = ()
    path: str = ""  # the file it came from, as shown in messages
    picks: tuple[str, ...] = field(default=(), compare=False)  # how sections were picked, for names
    # every section before picking (empty when none were picked): a worksheet's word bank takes its
    # distractors from the key phrases of the sections left out
    whole: tuple[Section, ...] = field(default=(), compare=False, repr=False)
    loc: Loc = _where()  # the top of the file
    id_at: Loc = _where()  # the id (or the top, when the id is the file name)

    def walk(self) -> Iterator[tuple[Section, int]]:
        """Every section, depth first, with its depth (0 or 1)."""
        for s in self.sections:
            yield s, 0
            for sub in s.sections:
                yield sub, 1


def iter_points(points: tuple[Point, ...], depth: int = 0) -> Iterator[tuple[Point, int]]:
    """Every point with its depth, in reading order."""
    for p in points:
        yield p, depth
        yield from iter_points(p.points, depth + 1)
