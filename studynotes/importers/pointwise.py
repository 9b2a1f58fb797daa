"""Articles in the "Explained, pointwise" style (plain text) → a topic a person can review.

The format, as the rules below read it (docs: README "Importing an article"):

- the first line is the title, without a suffix such as " – Explained, pointwise";
- boilerplate lines ("For 7PM Editorial Archives click HERE", "Print Friendly and PDF") are skipped;
- lines ending in '?' are the sections; short lines without end punctuation under a question are its
  sub-sections (elsewhere they are sections of their own); a heading with nothing under it is dropped
  with a warning that names it, never kept empty and never swallowing the next heading;
- the paragraphs before the first heading are the intro: its first sentence (two when the first is
  short) is the summary, the rest a "Context" section;
- a paragraph opening with an ordinal ("First, …", "Sixth, …") is one point; a paragraph without one
  after it continues that item, as a sub-point; other paragraphs become a lead sentence with the
  rest of their sentences as sub-points;
- the last prose paragraph is the closing one: a "Conclusion" section, never part of the last item;
- "Syllabus:" and "Source:" lines are the syllabus and sources.

Every sentence of the article lands in exactly one place, its characters untouched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Loc, NotesError, Problem
from ..markup import Run
from ..model import Source, Topic
from ..names import slug
from . import inline, suggest, textfile
from .outline import (
    MAX_DEPTH,
    DraftPoint,
    DraftSection,
    Imported,
    Notes,
    attach_table,
    dropped_phrases,
    finish,
    one_point,
    paragraph_points,
    plural,
    sentence_points,
    sentence_runs,
    short_label,
    text_of,
)

TITLE_CHARS = 200
HEADING_WORDS = 12
QUESTION_WORDS = 30
LONG_LINE = 100      # a line longer than this is a whole paragraph, not a line of a wrapped one
SUMMARY_WORDS = 15   # a first sentence shorter than this takes the next one into the summary

_SUFFIX = re.compile(r"\s*[-–—|:]\s*(?:explained(?:\s*[,:]?\s*pointwise)?|pointwise(?:\s+explained)?|upsc\b.*|"
                     r"7\s*pm\b.*|editorial\s+analysis\b.*)\s*$", re.I)
_BOILERPLATE = re.compile(r"""^(?:
      for\s+7\s*pm\s+editorial\s+archives?\b.{0,40}
    | .{0,60}\bclick\s+here\b.{0,20}
    | print\s+friendly(?:\s*(?:,|and|&)\s*pdf)?
    | (?:also\s+read|read\s+also|read\s+more)\s*[:–-].{0,150}
    | (?:share|tweet)\s+(?:this|on)\b.{0,40}
    | advertisement
)\s*$""", re.I | re.X)
_LEAD_IN = re.compile(r"[A-Z][^\s:]*(?:\s+[^\s:]+){0,4}:\s+\S")  # "Health: …", "Way ahead: …"
_META = re.compile(r"^(syllabus|sources?)\s*[:–-]\s*(.*)$", re.I)
_ORDINALS = ("first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
             "fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth")
_ORDINAL = re.compile(rf"^(?:(?:{_ORDINALS})(?:ly)?\s*,|\(?\d{{1,2}}[.)]|\([a-z]\)|[a-z]\)|\(?[ivx]{{1,5}}\))\s*\S",
                      re.I)
_FINAL = re.compile(r"^(?:finally|lastly)\s*,\s*\S", re.I)
_CONCLUSION = re.compile(r"^(?:conclusion|concluding remarks|(?:the\s+)?way\s+(?:forward|ahead)|"
                         r"conclusion and (?:the\s+)?way\s+forward)$", re.I)
_END_PUNCT = ".,;:!?…"
_CLOSERS = "\"'”’)]»"
_GOVERNMENT = re.compile(r"(?:ministry|government|department|embassy|high commission)\b", re.I)
_PAPER = re.compile(r"\s*;\s*|(?:,\s*|\s+and\s+)(?=(?:GS|General Studies)(?:\s*Paper)?\s*[-–]?\s*(?:[IVX]+|\d)\b)")


@dataclass(frozen=True)
class Line:
    """A line of text; from a Word file also a list item (its level) or a table (its cells)."""

    runs: tuple[Run, ...]
    loc: Loc
    level: int | None = None
    grid: tuple[tuple[str, ...], ...] = ()

    @property
    def text(self) -> str:
        return inline.plain(self.runs)


@dataclass(frozen=True)
class Unit:
    kind: str  # "question", "heading", "para", "syllabus", "source"; from Word also "item", "table"
    runs: tuple[Run, ...]
    loc: Loc
    level: int = 0
    grid: tuple[tuple[str, ...], ...] = ()

    @property
    def text(self) -> str:
        return inline.plain(self.runs)


# ------------------------------------------------------------------ what a line is

def _words(text: str) -> list[str]:
    return text.split()


def _starts_upper(text: str) -> bool:
    first = next((c for c in text if c.isalnum()), "")
    return bool(first) and not first.islower()


def is_ordinal(text: str) -> bool:
    return bool(_ORDINAL.match(text))


def is_question(text: str) -> bool:
    body = text.rstrip(_CLOSERS)
    return (body.endswith("?") and len(_words(text)) <= QUESTION_WORDS and len(text) <= TITLE_CHARS
            and _starts_upper(text) and not is_ordinal(text))


def is_heading(text: str) -> bool:
    """A short line without end punctuation, in title case when it is more than a few words."""
    words = _words(text)
    if not words or len(words) > HEADING_WORDS or len(text) > TITLE_CHARS or text.rstrip(_CLOSERS)[-1:] in \
            _END_PUNCT or not _starts_upper(text) or is_ordinal(text) or not any(c.isalpha() for c in text):
        return False
    long_words = [w for w in words if len(w) >= 4 and w[0].isalpha()]
    return len(words) <= 5 or sum(w[0].isupper() for w in long_words) * 2 >= len(long_words)


def _ends_paragraph(prev: str, line: str) -> bool:
    """Whether ``line`` starts a new paragraph inside a block of lines with no blank line between:
    after a long unwrapped line that ends a sentence, or where an item, a heading or a lead-in such
    as "Health: …" begins."""
    if is_ordinal(line) and not line[0].islower():  # an item begins, even after one without a full stop
        return True
    if prev.rstrip(_CLOSERS)[-1:] not in ".!?…:":
        return False
    return len(prev) > LONG_LINE or is_question(line) or is_heading(line) or bool(_LEAD_IN.match(line))


def _join(lines: list[Line]) -> tuple[Run, ...]:
    runs: list[Run] = []
    for ln in lines:
        if runs:
            runs.append(Run(" "))
        runs += ln.runs
    return inline.normalize(runs)


def _kind(text: str, can_head: bool, wrapped_on: bool) -> str:
    """What a line is on its own: a syllabus or source line, a question or a heading ('' for text).
    A heading candidate whose next line goes on in lower case is the start of a wrapped paragraph."""
    meta = _META.match(text)
    if meta:
        return "syllabus" if meta.group(1).lower() == "syllabus" else "source"
    if not can_head or wrapped_on:
        return ""
    return "question" if is_question(text) else "heading" if is_heading(text) else ""


def units(blocks: Iterable[list[Line]]) -> list[Unit]:
    """Headings, paragraphs and syllabus/source lines, in order."""
    out: list[Unit] = []
    for block in blocks:
        para: list[Line] = []
        after_heading = True  # the first line of a block may be a heading

        def flush(para: list[Line] = para) -> None:
            if para:
                out.append(Unit("para", _join(para), para[0].loc))
                para.clear()

        for i, line in enumerate(block):
            if line.grid or line.level is not None:
                flush()
                out.append(Unit("table" if line.grid else "item", line.runs, line.loc, line.level or 0, line.grid))
                after_heading = False
                continue
            text = line.text
            following = block[i + 1].text if i + 1 < len(block) else ""
            can_head = after_heading or not para or _ends_paragraph(para[-1].text, text)
            kind = _kind(text, can_head, following[:1].islower())
            if kind:
                flush()
                out.append(Unit(kind, line.runs, line.loc))
                after_heading = True
                continue
            if para and _ends_paragraph(para[-1].text, text):
                flush()
            para.append(line)
            after_heading = False
        flush()
    return out


# ------------------------------------------------------------------ lines of a text file

def text_blocks(raw: list[str], shown: str) -> list[list[Line]]:
    """Blocks of non-blank lines, as blank lines separate them."""
    blocks: list[list[Line]] = [[]]
    for n, raw_line in enumerate(raw, 1):
        text = inline.clean(raw_line).strip()
        if not text:
            blocks.append([])
            continue
        col = len(raw_line) - len(raw_line.lstrip()) + 1
        blocks[-1].append(Line((Run(text),), Loc(shown, n, col)))
    return [b for b in blocks if b]


def without_boilerplate(blocks: list[list[Line]]) -> tuple[list[list[Line]], int]:
    """The blocks without boilerplate lines, and how many there were."""
    out = []
    skipped = 0
    for block in blocks:
        kept = [ln for ln in block if ln.grid or ln.level is not None or not _BOILERPLATE.match(ln.text)]
        skipped += len(block) - len(kept)
        if kept:
            out.append(kept)
    return out, skipped


def _title(blocks: list[list[Line]], stem: str, notes: Notes) -> str:
    """The first line, when it reads as a title (it is then taken out of the blocks); else the file's name."""
    first = blocks[0][0]
    text = _SUFFIX.sub("", first.text).strip()
    if text and len(text) <= TITLE_CHARS and text.rstrip(_CLOSERS)[-1:] not in ".,;:" and not is_ordinal(text):
        del blocks[0][0]
        if not blocks[0]:
            del blocks[0]
        return inline.escape(text)
    name = re.sub(r"(?i)\s*explained\s*pointwise\s*$", "", re.sub(r"[-_\s]+", " ", stem)).strip() or "Topic"
    name = name[:1].upper() + name[1:]
    notes.warn(first.loc, f"the first line does not read as a title; the topic is named '{name}' after the file")
    return inline.escape(name)


# ------------------------------------------------------------------ the outline

@dataclass(eq=False)
class _Builder:
    """Places units in sections as the article is read, top to bottom."""

    title: str
    notes: Notes
    closing: int                      # index of the closing paragraph among the units, -1 when none
    intro: DraftSection
    sections: list[DraftSection] = field(default_factory=list)
    top: DraftSection | None = None
    sub: DraftSection | None = None
    under_question: bool = False
    item: DraftPoint | None = None    # the last enumerated item, which a plain paragraph continues
    spine: list[DraftPoint] = field(default_factory=list)  # the last list item at each level (Word lists)
    conclusion: DraftSection | None = None
    summary: str | None = None
    syllabus: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def container(self) -> DraftSection:
        return self.sub or self.top or self.intro

    def heading(self, u: Unit) -> None:
        text = text_of(u.runs, self.notes, u.loc)
        self.item = None
        self.spine.clear()
        if u.kind == "heading" and self.top is not None and self.under_question and not _CONCLUSION.match(u.text):
            self.sub = DraftSection(text, u.loc, kind="sub-heading")
            self.top.sections.append(self.sub)
            return
        self.under_question = u.kind == "question"
        self.top = DraftSection(text, u.loc, short_label(u.text, self.title), kind="heading")
        self.sub = None
        self.sections.append(self.top)

    def meta(self, u: Unit) -> None:
        self.item = None
        m = _META.match(u.text)
        value = (m.group(2) if m else u.text).strip().strip(",;").strip()
        if not value:
            return
        if u.kind == "syllabus":
            papers = (p.strip().strip(",;").strip() for p in _PAPER.split(value))
            self.syllabus += [inline.escape(p) for p in papers if p]
        else:
            self.sources += _sources(value)

    def listed(self, u: Unit) -> None:
        """A list item: one point, under the last item one level up."""
        box = self.container()
        for i, point in enumerate(one_point(u.runs, u.loc, self.notes)):
            depth = min(u.level + (i > 0), len(self.spine), MAX_DEPTH - 1)
            (self.spine[depth - 1].points if depth else box.points).append(point)
            self.spine[depth:] = [point]

    def table(self, u: Unit) -> None:
        box = self.container()
        box.points += attach_table(box, u.grid, u.loc, self.notes)

    def para(self, index: int, u: Unit) -> None:
        self.spine.clear()
        box = self.container()
        item = is_ordinal(u.text) or (_FINAL.match(u.text) is not None and self.item is not None)
        if index == self.closing and not item and not box.empty() and not _CONCLUSION.match(box.title):
            self.conclusion = DraftSection("Conclusion", u.loc, id="conclusion", kind="heading")
            self.conclusion.points += paragraph_points(u.runs, u.loc, 0, self.notes)
            return
        if box is self.intro and self.summary is None:
            self._summary(u)
            return
        if item:
            points = paragraph_points(u.runs, u.loc, 0, self.notes)
            box.points += points
            self.item = points[0] if points else None
        elif self.item is not None:
            self.item.points += paragraph_points(u.runs, u.loc, 1, self.notes)
        else:
            box.points += paragraph_points(u.runs, u.loc, 0, self.notes)

    def _summary(self, u: Unit) -> None:
        """The intro's first sentence (two when the first is short) is the gist; the rest stays in Context."""
        sentences = sentence_runs(u.runs, self.notes, u.loc)
        take = 2 if len(sentences) > 1 and len(inline.plain(sentences[0]).split()) < SUMMARY_WORDS else 1
        joined: list[Run] = []
        for s in sentences[:take]:
            joined += [Run(" "), *s] if joined else s
        self.summary = text_of(inline.normalize(joined), self.notes, u.loc)
        self.intro.points += sentence_points(sentences[take:], u.loc, 0, self.notes)


def _sources(value: str) -> list[str]:
    """Sources named on one line, split at commas; a lone word after a ministry or government
    ("Ministry of Foreign Affairs, Japan") stays with it."""
    out: list[str] = []
    for piece in (p.strip() for p in re.split(r"[;,]", value)):
        if not piece:
            continue
        if out and len(piece.split()) == 1 and not piece.isupper() and _GOVERNMENT.match(out[-1]):
            out[-1] += ", " + piece
        else:
            out.append(piece)
    return [inline.escape(s) for s in out]


def _closing(found: list[Unit]) -> int:
    content = [i for i, u in enumerate(found) if u.kind in ("para", "item", "table")]
    return content[-1] if content and found[content[-1]].kind == "para" else -1


def outline(found: list[Unit], title: str, notes: Notes, flat_loc: Loc) -> _Builder:
    b = _Builder(inline.plain(inline.normalize((Run(title),))), notes, _closing(found),
                 DraftSection("Context", flat_loc, id="context", kind="intro"))
    for i, u in enumerate(found):
        if u.kind in ("question", "heading"):
            b.heading(u)
        elif u.kind == "para":
            b.para(i, u)
        elif u.kind == "item":
            b.listed(u)
        elif u.kind == "table":
            b.table(u)
        else:
            b.meta(u)
    if not b.sections:
        b.intro.title, b.intro.id = "Main points", "main-points"
        notes.warn(flat_loc, "no question headings (lines ending in '?') or short heading lines: the article is "
                   "imported as one section; add headings to the notes by hand to split it")
    return b


def parse(lines: list[list[Line]], shown: str, stem: str, topic_id: str | None,
          notes: Notes | None = None) -> Imported:
    """An article's lines (in blocks separated by blank lines) → the imported topic."""
    notes = notes or Notes(shown)
    blocks, skipped = without_boilerplate(lines)
    if not blocks:
        raise NotesError(Problem(shown, 1, 1, "", "the file has no text to import"))
    top_loc = blocks[0][0].loc
    title = _title(blocks, stem, notes)
    found = units(blocks)
    if not any(u.kind in ("para", "item", "table") for u in found):
        raise NotesError(Problem.at(top_loc, "", "the article has no paragraphs to import under its title"))
    b = outline(found, title, notes, top_loc)
    drafts = ([b.intro] if not b.intro.empty() else []) + b.sections + ([b.conclusion] if b.conclusion else [])
    suggested = suggest.add(drafts)
    sections, checks = finish(drafts, b.title, notes)
    if not sections:  # only a summary: it is the one point
        sections, checks = finish([DraftSection("Main points", top_loc, id="main-points",
                                                points=[DraftPoint(b.summary or title, top_loc)])], b.title, notes)
    tid = topic_id or slug(inline.plain((Run(b.title),))) or slug(stem) or "topic"
    topic = Topic(tid[:60].strip("-") or "topic", title, sections, syllabus=tuple(b.syllabus),
                  summary=b.summary, sources=tuple(Source(s) for s in b.sources), path=shown, loc=Loc(shown))
    report = [f"skipped {plural(skipped, 'boilerplate line')}"] if skipped else []
    report += dropped_phrases(notes.dropped) + ([suggested] if suggested else [])
    return Imported(topic, tuple(notes.warnings), checks, tuple(report))


def read(path: Path, topic_id: str | None = None) -> Imported:
    """Import one pointwise article (a UTF-8 text file)."""
    shown = str(path)
    notes = Notes(shown)
    return parse(text_blocks(textfile.lines(path, shown), shown), shown, path.stem, topic_id, notes)
