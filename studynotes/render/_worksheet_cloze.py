"""The cloze of a worksheet, without ReportLab: which ``==key==`` phrases become numbered blanks, which
stay printed because the sheet shows them in clear elsewhere (the leak check), and every text of the
sheet cut into clear runs and blanks.

Two passes over the same texts in the same (reading) order: ``Cloze.of`` reads them all, decides the
answers, their numbers (the order of their first blank) and the leaks; the engine then asks
``parts`` for each text as it builds the sheet. A number stands for one answer: where the same answer
is blanked again (a timeline that repeats a point's date), the blank carries the same number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from .. import markup
from ..markup import Run
from ..model import Section, Topic, iter_points

Part = tuple[Run, ...] | int  # clear runs, or the number of a blank
LEAKS = ("blank", "keep")  # an answer printed in clear elsewhere: blank it there too, or print it everywhere


@dataclass(frozen=True)
class Text:
    """One text of the sheet, in reading order: where it stands and whether it may hold blanks."""

    section: str  # the section's id ("" for the title band, the header and the footer)
    role: str  # "heading", "title", "point", "facts", "timeline", "terms", "table", "question", "furniture"
    text: str
    blankable: bool  # headings, the title and the page furniture print in clear


def normal(text: str) -> str:
    """An answer as it is compared: plain, with single spaces."""
    return " ".join(text.split())


def sheet_texts(topic: Topic, furniture: Iterable[str] = ()) -> Iterator[Text]:
    """Every text the worksheet prints, in the order the engine lays them out. Cards' answers are not
    on the sheet (they are the answers page's); their questions are, at the end."""
    yield Text("", "title", topic.title, False)
    for line in (topic.subject, *topic.syllabus, *furniture):
        if line:
            yield Text("", "furniture", line, False)
    for sec, _ in topic.walk():
        yield from section_texts(sec)
    for sec, _ in topic.walk():
        for card in sec.cards:
            yield Text(sec.id, "question", card.q, True)


def section_texts(sec: Section) -> Iterator[Text]:
    """A section's own texts (not its sub-sections'), as the engine lays them out."""
    yield Text(sec.id, "heading", sec.title, False)
    for pt, _ in iter_points(sec.points):
        yield Text(sec.id, "point", pt.text, True)
    for f in sec.facts:
        yield from (Text(sec.id, "facts", t, True) for t in (f.label, f.value, f.note) if t)
    for e in sec.timeline:
        yield from (Text(sec.id, "timeline", t, True) for t in (e.when, e.what))
    if sec.table is not None:
        yield from (Text(sec.id, "table", t, True) for t in (sec.table.title or "",) if t)
        yield from (Text(sec.id, "table", c, True) for row in (sec.table.columns, *sec.table.rows) for c in row)
    for t in sec.terms:
        yield from (Text(sec.id, "terms", x, True) for x in (t.term, t.meaning))


def _stretches(runs: tuple[Run, ...]) -> Iterator[tuple[bool, tuple[Run, ...]]]:
    """Neighbouring runs grouped into key phrases and clear stretches: (is_key, runs)."""
    group: list[Run] = []
    for r in runs:
        if group and group[-1].key != r.key:
            yield group[-1].key, tuple(group)
            group = []
        group.append(r)
    if group:
        yield group[-1].key, tuple(group)


def _runs(text: str) -> tuple[Run, ...]:
    try:
        return markup.parse(text)
    except markup.MarkupError:  # the loader refuses these; a hand-made topic prints its text as it is
        return (Run(text),)


def _plain(runs: Iterable[Run]) -> str:
    return "".join(_shown(r) for r in runs)


def _shown(r: Run) -> str:
    """A run as answers are written: a formula with its dollars, so an answer that is a formula is set."""
    if not r.math:
        return r.text
    mark = "$$" if r.math == markup.DISPLAY else "$"
    return f"{mark}{r.text}{mark}"


def _alternative(answer: str) -> str:
    """An answer as a regular expression: whole words where it starts or ends with a letter or digit,
    any white space between its words, and any case unless it is written in capitals (an acronym,
    a number: ``US`` must not find "us")."""
    body = r"\s+".join(re.escape(w) for w in answer.split())
    start = r"(?<!\w)" if answer[0].isalnum() else ""
    end = r"(?!\w)" if answer[-1].isalnum() else ""
    cased = any(c.islower() for c in answer)
    return f"{start}(?i:{body}){end}" if cased else f"{start}{body}{end}"


def pattern(answers: Iterable[str]) -> re.Pattern[str] | None:
    """One expression finding any of the answers in clear text, the longest first."""
    alts = sorted(set(answers), key=lambda a: (-len(a), a))
    return re.compile("|".join(_alternative(a) for a in alts)) if alts else None


def _cut(runs: tuple[Run, ...], start: int, end: int) -> tuple[Run, ...]:
    """The runs between two character offsets of their joined text."""
    out, at = [], 0
    for r in runs:
        size = len(_shown(r))
        lo, hi = max(start, at), min(end, at + size)
        if lo < hi:
            out.append(r if r.math else replace(r, text=r.text[lo - at: hi - at]))  # a formula goes whole
        at += size
    return tuple(out)


def _inside_formula(runs: tuple[Run, ...], start: int, end: int) -> bool:
    """A match that cuts into a formula (an answer found inside its TeX): never blanked."""
    at = 0
    for r in runs:
        size = len(_shown(r))
        if r.math and start < at + size and end > at and not (start <= at and end >= at + size):
            return True
        at += size
    return False


@dataclass(frozen=True)
class Leak:
    """An answer also printed in clear on the sheet, and where."""

    answer: str
    where: tuple[str, ...]  # "heading", "timeline", "terms" …, in reading order


@dataclass
class Cloze:
    """The decisions of one sheet: every answer's number, the answers kept in clear, and where
    answers were blanked again outside their own key phrase."""

    policy: str
    numbers: dict[str, int] = field(default_factory=dict)  # answer → number
    first: dict[str, str] = field(default_factory=dict)  # answer → the section of its first blank
    kept: dict[str, Leak] = field(default_factory=dict)  # answers printed in clear: the leak check's skips
    repeated: dict[str, Leak] = field(default_factory=dict)  # answers blanked again where the sheet repeats them
    keys: list[str] = field(default_factory=list)  # every key phrase of the sheet (blanked or kept), in order
    skipped: int = 0  # key phrases printed in clear because their answer is visible elsewhere
    _pattern: re.Pattern[str] | None = None
    _blanked: set[str] = field(default_factory=set)  # the answers that are blanks

    @classmethod
    def of(cls, texts: Iterable[Text], policy: str = "blank") -> Cloze:
        texts = list(texts)
        keys: dict[str, None] = {}
        for t in texts:
            if t.blankable and t.role != "question":  # a question's ==key== is no answer: it prints
                for is_key, runs in _stretches(_runs(t.text)):
                    if is_key and (a := normal(_plain(runs))):
                        keys.setdefault(a)
        c = cls(policy, keys=list(keys))
        c.kept = c._leaks(texts, set(keys))
        c._blanked = set(c._active())
        c._pattern = pattern(c._blanked)
        for t in texts:  # numbers in the order of first blanks, the order the engine lays the texts out
            for _ in c._split(t, count=True):
                pass
        return c

    def _leaks(self, texts: list[Text], keys: set[str]) -> dict[str, Leak]:
        """The answers printed in clear where no blank can go (a heading, the title: always kept), or
        anywhere in clear with the ``keep`` policy (until no kept answer shows another)."""
        kept: dict[str, list[str]] = {}
        while True:
            found = pattern(a for a in keys if a not in kept)
            if found is None:
                break
            new: dict[str, list[str]] = {}
            for t in texts:
                for is_key, runs in _stretches(_runs(t.text)):
                    phrase = normal(_plain(runs))
                    if is_key and t.blankable and phrase in keys and phrase not in kept:
                        continue  # a blank: nothing of it shows
                    if t.blankable and self.policy == "blank":
                        continue  # clear text is blanked where it repeats an answer
                    for m in found.finditer(_plain(runs)):
                        a = self._answer(m.group(0), keys)
                        if a != phrase or not is_key:
                            new.setdefault(a, []).append(t.role)
            if not new:
                break
            for a, where in new.items():
                kept.setdefault(a, []).extend(where)
        return {a: Leak(a, tuple(dict.fromkeys(where))) for a, where in kept.items()}

    @staticmethod
    def _answer(found: str, answers: Iterable[str]) -> str:
        """The answer a match stands for (matches may differ in case and spacing)."""
        got = normal(found)
        return next((a for a in answers if a == got), next(a for a in answers if a.casefold() == got.casefold()))

    def parts(self, text: str, blankable: bool = True) -> tuple[Part, ...]:
        """A text as the sheet prints it: clear runs (key phrases in clear lose their highlight and stay
        bold) and the numbers of blanks."""
        return tuple(self._split(Text("", "", text, blankable)))

    def _split(self, t: Text, count: bool = False) -> Iterator[Part]:
        for is_key, runs in _stretches(_runs(t.text)):
            phrase = normal(_plain(runs))
            if is_key and t.blankable and phrase in self._blanked:
                yield self._number(phrase, t.section)
                continue
            if is_key:  # printed in clear: bold, but not highlighted as a key
                runs = tuple(replace(r, key=False, bold=True) for r in runs)
                if count and t.blankable and phrase in self.kept:
                    self.skipped += 1
            if not t.blankable or self._pattern is None:
                yield runs
                continue
            yield from self._blank_repeats(runs, t, count)

    def _blank_repeats(self, runs: tuple[Run, ...], t: Text, count: bool) -> Iterator[Part]:
        """Clear text with every answer it repeats blanked (with the answer's number)."""
        assert self._pattern is not None
        plain, at = _plain(runs), 0
        for m in self._pattern.finditer(plain):
            if _inside_formula(runs, m.start(), m.end()):
                continue
            answer = self._answer(m.group(0), self._active())
            if m.start() > at:
                yield _cut(runs, at, m.start())
            yield self._number(answer, t.section)
            if count:
                leak = self.repeated.get(answer, Leak(answer, ()))
                self.repeated[answer] = Leak(answer, tuple(dict.fromkeys((*leak.where, t.role))))
            at = m.end()
        if at < len(plain):
            yield _cut(runs, at, len(plain))

    def _active(self) -> list[str]:
        return [a for a in self.keys if a not in self.kept]

    def _number(self, answer: str, section: str) -> int:
        if answer not in self.numbers:
            self.numbers[answer] = len(self.numbers) + 1
            self.first[answer] = section
        return self.numbers[answer]

    @property
    def answers(self) -> list[str]:
        """The blanked answers, by number."""
        return sorted(self.numbers, key=self.numbers.__getitem__)
