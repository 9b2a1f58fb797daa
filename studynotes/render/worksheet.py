"""The cloze worksheet: the picked sections laid out like a revision sheet, every ``==key==`` phrase a
numbered blank, an optional word bank at the top, the topic's cards as questions with ruled lines, and
the answers on their own page (or in a second PDF).

``plan`` decides everything: the cloze (``_worksheet_cloze``: answers, numbers, the leak check), the
width of every blank, the word bank and its distractors, and where each piece lands on which page (laid
out by Platypus into frames that only note positions, as the revision sheet is). ``draw`` replays that.
A blank is an inline slot of the paragraph it stands in: ReportLab breaks lines around it as around a
word, and lines that hold one are set taller, for handwriting. Drawing a slot draws its rule.
"""

from __future__ import annotations

import hashlib
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    LayoutError,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .. import markup, text
from ..errors import Loc, NotesError, Problem
from ..load.presets import Layout
from ..markup import Run
from ..model import Section, Topic, iter_points
from ..style import MM
from . import Extra, Rendered
from ._worksheet_cloze import Cloze, Part, normal, section_texts, sheet_texts
from .common import Palette, Writer, paged_canvas, printable
from .page import fill, metadata, placeholders, set_metadata
from .revision import (
    BULLETS,
    Block,
    Heading,
    Inks,
    Line,
    Measure,
    MeasuredColumn,
    Rect,
    Styles,
    column_rects,
    furniture_height,
    label_column,
    styles,
)

MIN_BLANK = 20 * MM  # the shortest blank: room for a short answer in handwriting
HAND = 1.1  # handwriting is wider than print: a blank is the answer's printed width times this …
PAD = 4 * MM  # … plus this
ROOM = 1.9  # a line with a blank rises this many body sizes above its baseline: room to write in
RULE_GAP = 8 * MM  # between the ruled lines under a question
CELL_PAD = 4  # a table cell's left and right padding
LABEL_GAP = 1.5  # between a blank's number and its rule, and after the rule
BANK_CAP = 0.45  # of the printable height: the most the title band and word bank may take at the top
BAND_GAP = 8

AFTER = "\u00a0"  # a no-break space after each blank: a word of text (see _Sheet._blank) and air
DEFAULTS = {"gap": "same", "word_bank": False, "distractors": 0, "answers": "end", "leaks": "blank"}


# -- the plan ---------------------------------------------------------------------


@dataclass(frozen=True)
class Blank:
    """One blank where it stands: its number, the width of its rule and the room the place had."""

    number: int
    section: str  # the section's id
    where: str  # "point", "facts", "timeline", "terms", "table" or "question"
    width: float  # of the rule, in points
    room: float  # the widest rule the place could hold (a narrow table cell, a deep sub-point)


@dataclass(frozen=True)
class Answer:
    number: int
    text: str  # plain, as the answers page prints it
    section: str  # the section of its first blank
    width: float  # its printed width at the body size (what the blank width is made from)


@dataclass(frozen=True)
class Question:
    number: int
    q: str
    a: str
    section: str
    lines: int  # ruled lines to answer on


@dataclass(frozen=True)
class Page:
    number: int  # counted within the sheet, or within the answers
    frames: tuple[Rect, ...]
    blocks: tuple[Block, ...]
    header: Line | None
    footer: Line | None


@dataclass(frozen=True)
class WorksheetPlan:
    topic: Topic = field(repr=False)
    layout: Layout = field(repr=False)
    gap: str  # "same" or "fit"
    width: float  # the one width of every blank (gap "same"), before a narrow place shortens it
    answers: tuple[Answer, ...]  # by number
    blanks: tuple[Blank, ...]  # every blank, in reading order
    kept: tuple[str, ...]  # key phrases printed in clear: visible elsewhere on the sheet (the leak check)
    bank: tuple[str, ...]  # the word bank, alphabetical (answers and distractors), or ()
    distractors: tuple[str, ...]
    questions: tuple[Question, ...]
    pages: tuple[Page, ...]  # the sheet
    answer_pages: tuple[Page, ...]  # the answers: at the end, or in the second PDF
    separate: bool  # the answers go to a second PDF
    notes: tuple[str, ...]
    warnings: tuple[Problem, ...]

    def promised(self, number: int) -> float:
        """The width a blank of this answer is given where there is room for it."""
        if self.gap == "same":
            return self.width
        return blank_width(self.answers[number - 1].width, self.width)


# -- the decisions, as functions of numbers -----------------------------------------


def blank_width(printed: float, cap: float) -> float:
    """A blank for an answer of this printed width: wider for handwriting, never under the minimum,
    never wider than ``cap`` (the column)."""
    return min(max(printed * HAND + PAD, MIN_BLANK), cap)


def bullet_overflow(st: ParagraphStyle, bullet: str) -> float:
    """How far a bullet pushes the first line of its paragraph past the indent (ReportLab ends a bullet
    0.6 of its size after its text, and starts the line no earlier)."""
    end = st.bulletIndent + stringWidth(bullet, st.bulletFontName, st.bulletFontSize) + st.bulletFontSize * 0.6
    return max(0.0, end - st.leftIndent)


def answer_lines(printed: float, width: float) -> int:
    """Ruled lines under a question: its answer written by hand, with a line to spare, 2 to 4."""
    return max(2, min(4, 1 + math.ceil(printed * HAND / max(width, 1.0))))


def pick_distractors(pool: Sequence[str], n: int, salt: str) -> list[str]:
    """``n`` phrases of the pool, the same ones on every build (by a hash of the topic and the phrase)."""
    ranked = sorted(dict.fromkeys(pool), key=lambda p: hashlib.sha256(f"{salt}\0{p}".encode()).hexdigest())
    return ranked[:n]


def alphabetical(entries: Sequence[str]) -> list[str]:
    """The word bank's order: by letters, ignoring case, so the order tells nothing."""
    return sorted(dict.fromkeys(entries), key=lambda e: (e.casefold(), e))


# -- pieces that ReportLab lays out ------------------------------------------------


@dataclass
class Slot:
    """A blank in a paragraph, standing in for an image: ReportLab breaks lines around it by its width
    and asks the canvas to draw it where it lands."""

    number: int
    rule: float  # the rule's width
    label: float  # the width of its number "(3)" and the air after it; the slot is both, and air after the rule
    size: float  # of the number

    @property
    def width(self) -> float:
        return self.label + self.rule


class BlankPara(Paragraph):
    """A paragraph whose lines with a blank are taller. ReportLab starts a paragraph's first line one
    font size below its top whatever that line holds; here a first line with a blank starts lower, by
    the extra room it was measured with, so the room lies above it, not under the paragraph."""

    def breakLines(self, width):  # noqa: N802 (ReportLab's name)
        """ReportLab's lines, each as tall as the blanks on it: a line that a blank opens because it did
        not fit on the line before is measured by the text font alone."""
        lines = super().breakLines(width)
        for line in lines.lines if lines.kind == 1 else ():
            for frag in line.words:
                slot = getattr(getattr(frag, "cbDefn", None), "image", None)
                if isinstance(slot, Slot):
                    line.ascent = max(line.ascent, frag.cbDefn.height)
        return lines

    def draw(self):
        if getattr(self, "_formula_lowered", False):  # a tall formula's paragraph is lowered already, alike
            super().draw()
            return
        lines = getattr(self.blPara, "lines", None)
        first = lines[0] if lines and self.blPara.kind == 1 else None
        drop = max(0.0, getattr(first, "ascent", 0.0) - self.style.fontSize) if first is not None else 0.0
        if drop:
            self.canv.saveState()
            self.canv.translate(0, -drop)
        super().draw()
        if drop:
            self.canv.restoreState()


class Ruled(Flowable):
    """Ruled lines to write an answer on."""

    piece = "rules"  # its kind in the measured layout (revision.piece_kind)

    def __init__(self, lines: int, gap: float, ink: Any):
        super().__init__()
        self.lines, self.gap, self.ink = lines, gap, ink

    def wrap(self, aW, aH):  # noqa: N803 (ReportLab's names)
        self.width = aW
        return aW, self.lines * self.gap

    def draw(self):
        c = self.canv
        c.saveState()
        c.setStrokeColor(self.ink)
        c.setLineWidth(0.5)
        for i in range(self.lines):
            y = (self.lines - 1 - i) * self.gap + 2
            c.line(14, y, self.width, y)
        c.restoreState()


def _slots(para: Paragraph, slots: dict[int, Slot], height: float) -> Paragraph:
    """The paragraph with each ``<onDraw name="blank">`` mark made a slot of its blank's width."""
    for frag in para.frags:
        d = getattr(frag, "cbDefn", None)
        if d is not None and d.kind == "onDraw" and d.name == "blank":
            slot = slots[int(d.label)]
            d.kind, d.image, d.width, d.height, d.valign = "img", slot, slot.width, height, "baseline"
    return para


# -- the sheet ------------------------------------------------------------------------


class _Sheet:
    """Builds the stories of one worksheet (the sheet, the answers), noting every blank it places."""

    def __init__(self, topic: Topic, layout: Layout, cloze: Cloze, answers: dict[int, Answer], gap: str,
                 width: float):
        self.topic, self.layout, self.cloze, self.gap, self.width = topic, layout, cloze, gap, width
        self.answers = answers
        self.pal = Palette(layout)
        self.ink = Inks.of(self.pal)
        self.w = Writer(topic, self.pal)
        self.box = printable(layout)
        gap_pt = layout.column_gap * MM
        self.col_w = (self.box.width - gap_pt * (layout.columns - 1)) / layout.columns
        self.st: Styles = styles(layout, self.ink)
        self.body = layout.fonts["body"]
        self.number_size = max(layout.fonts["small"] - 0.4, 6.5)
        self.blanks: list[Blank] = []
        self.slots: dict[int, Slot] = {}
        self._tall: dict[int, tuple[ParagraphStyle, ParagraphStyle]] = {}
        self.current = ""

    # -- blanks in text --------------------------------------------------------
    def label_width(self, number: int) -> float:
        return text.width(f"({number})", self.number_size, bold=True) + LABEL_GAP

    def room(self, width: float, number: int) -> float:
        """The widest rule a place this wide holds after the blank's number, with room after it for the
        space and punctuation that may stay on its line."""
        return width - self.label_width(number) - 2 * LABEL_GAP - self.body * 0.6

    def _markup(self, parts: tuple[Part, ...], where: str, room: float) -> tuple[str, bool, bool]:
        """Paragraph markup of a text cut into clear runs and blanks; whether it needs shaping, and
        whether it holds a blank."""
        runs: list[Run] = []
        tokens: dict[str, str] = {}
        for part in parts:
            if isinstance(part, int):
                token = f"WSBLANK{len(tokens)}Z"
                tokens[token] = self._blank(part, where, room)
                runs.append(Run(token))
            else:
                runs.extend(part)
        styled = self.w.runs(tuple(runs))
        out = styled.markup
        for token, blank in tokens.items():
            out = out.replace(token, blank, 1)
        return out, styled.shaping, bool(tokens)

    def _blank(self, number: int, where: str, room: float) -> str:
        here = self.room(room, number)
        promised = self.promised(number)
        rule = max(min(promised, here), 6.0)
        self.blanks.append(Blank(number, self.current, where, rule, here))
        self.slots[len(self.slots)] = Slot(number, rule, self.label_width(number), self.number_size)
        # ReportLab adds the word after an image that opens a line whatever its width, unless a word with
        # text stands between them: the no-break space is that word (with what is glued to it: "),").
        return f'<onDraw name="blank" label="{len(self.slots) - 1}"/>{AFTER}'

    def promised(self, number: int) -> float:
        return self.width if self.gap == "same" else blank_width(self.answers[number].width, self.width)

    def tall(self, st: ParagraphStyle) -> ParagraphStyle:
        """The style with room to write on each line that holds a blank."""
        if id(st) not in self._tall:
            self._tall[id(st)] = (st, ParagraphStyle(f"{st.name}-tall", parent=st, autoLeading="max"))
        return self._tall[id(st)][1]

    def para(self, source: str, st: ParagraphStyle, where: str, room: float, blankable: bool = True,
             **kw: Any) -> Paragraph:
        parts = self.cloze.parts(source, blankable)
        out, shaping, has_blank = self._markup(parts, where, room)
        if has_blank:
            st = self.tall(st)
        para = BlankPara(out, self.w.shaped(st) if shaping else st, **kw)
        return _slots(para, self.slots, self.body * ROOM) if has_blank else para

    # -- pieces ----------------------------------------------------------------
    def opening(self, bank: Sequence[str], separate: bool | None) -> list:
        t, st, p = self.topic, self.st, self.ink
        meta = " · ".join(x for x in (t.subject, *t.syllabus) if x)
        rows = [[self.para(t.title, st.title, "title", self.box.width, blankable=False)]]
        if meta:
            rows.append([self.para(meta, st.meta, "title", self.box.width, blankable=False)])
        last = len(rows) - 1
        band = Table(rows, colWidths=[self.box.width])
        band.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, last), p.accent),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 9), ("RIGHTPADDING", (0, 0), (-1, -1), 9),
                                  ("TOPPADDING", (0, 0), (-1, 0), 7), ("BOTTOMPADDING", (0, last), (-1, last), 7),
                                  ("TOPPADDING", (0, 1), (-1, -1), 2)]))
        out: list = [band, Spacer(1, 6), self.name_line()]
        if separate is not None:  # None: nothing to answer
            where = "handed out separately" if separate else "on the last page"
            how = (f"Fill in each numbered blank. A number that comes back is the same answer. "
                   f"Answers: {where}.")
            out.append(self.w.para(how, st.small, literal=True))
        if bank:
            out += [Spacer(1, 5), self.word_bank(bank, self.box.width)]
        return out

    def name_line(self) -> Table:
        """Name, class and date, each with a rule to write on."""
        st = self.st.cell
        labels = ("Name", "Class", "Date")
        widths = [self.box.width * f for f in (0.5, 0.22, 0.28)]
        cells = [[self.w.para(label, st, literal=True) for label in labels]]
        table = Table(cells, colWidths=widths, rowHeights=[self.body * 2.2])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 10), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                                   ("LINEBELOW", (0, 0), (-1, -1), 0.6, self.ink.rule)]))
        return table

    def word_bank(self, bank: Sequence[str], width: float) -> Table:
        """The answers (and distractors) in a box, in one flowing line after another, each kept whole."""
        entries = "  ·  ".join(markup.compact_formulas(e).replace(" ", "\u00a0") for e in bank)
        table = Table([[self.w.para("Word bank", self.st.label, literal=True)],
                       [self.w.para(entries, self.st.cell, literal=True)]], colWidths=[width])
        table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, self.ink.accent),
                                   ("BACKGROUND", (0, 0), (-1, -1), self.ink.box),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                                   ("TOPPADDING", (0, 0), (-1, 0), 5), ("BOTTOMPADDING", (0, 0), (-1, 0), 1),
                                   ("BOTTOMPADDING", (0, -1), (-1, -1), 6)]))
        return table

    def heading(self, sec: Section, level: int) -> list:
        st = self.st.h1 if level == 0 else self.st.h2
        styled = self.w.runs(tuple(r for p in self.cloze.parts(sec.title, False) if not isinstance(p, int)
                                   for r in p))
        gap = " " if styled.shaping else "&nbsp;&nbsp;"
        head = Heading(f"{sec.number}{gap}{styled.markup}", self.w.shaped(st) if styled.shaping else st,
                       key=f"s-{sec.id}", title=f"{sec.number} {markup.plain(sec.title)}", level=level,
                       rule=self.ink.rule if level == 0 else None)
        room = st.fontSize * 4 + self.body * ROOM
        if sec.sections and not _own_content(sec):  # a parent heading stays with its first sub-heading
            room += self.st.h2.fontSize * 4
        return [CondPageBreak(room), head]

    def points(self, sec: Section) -> list:
        out = []
        for pt, depth in iter_points(sec.points):
            st = self.st.points[depth]
            room = self.col_w - st.leftIndent - bullet_overflow(st, BULLETS[depth])
            out.append(self.para(pt.text, st, "point", room, bulletText=BULLETS[depth]))
        return out

    def titled(self, label: str | Paragraph, rows: list[list], widths: list[float], cmds: list,
               head: int = 0) -> list:
        """A table whose first row is its label, repeated when the table runs on in the next column."""
        n = len(widths)
        if isinstance(label, str):
            label = self.w.para(label, self.st.label, literal=True)
        table = Table([[label, *[""] * (n - 1)], *rows],
                      colWidths=widths, repeatRows=1 + head, splitInRow=1)
        table.setStyle(TableStyle([
            ("SPAN", (0, 0), (-1, 0)), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, 0), 0), ("TOPPADDING", (0, 0), (-1, 0), self.st.label_gap),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 1.5),
            ("LEFTPADDING", (0, 1), (-1, -1), CELL_PAD), ("RIGHTPADDING", (0, 1), (-1, -1), CELL_PAD),
            ("TOPPADDING", (0, 1), (-1, -1), 2), ("BOTTOMPADDING", (0, 1), (-1, -1), 2), *cmds]))
        return [table, Spacer(1, 3)]

    def cell(self, source: str, st: ParagraphStyle, where: str, width: float, **kw: Any) -> Paragraph:
        return self.para(source, st, where, width - 2 * CELL_PAD, **kw)

    def facts(self, sec: Section) -> list:
        st, p, half = self.st, self.ink, self.col_w * 0.5
        rows = []
        for fact in sec.facts:
            cell = [self.cell(fact.value, st.cell_bold, "facts", half)]
            if fact.note:
                cell.append(self.cell(fact.note, st.small, "facts", half))
            rows.append([self.cell(fact.label, st.cell, "facts", half), cell])
        return self.titled("Key numbers", rows, [half, half], [
            ("BACKGROUND", (0, 1), (-1, -1), p.box), ("BOX", (0, 1), (-1, -1), 0.6, p.rule),
            ("LINEBELOW", (0, 1), (-1, -2), 0.3, p.rule)])

    def timeline(self, sec: Section) -> list:
        st = self.st
        widths = label_column([markup.plain(e.when) for e in sec.timeline], self.col_w,
                              lambda s: text.width(s, st.when.fontSize, bold=True), 0.16, 0.38)
        rows = [[self.cell(e.when, st.when, "timeline", widths[0]), self.cell(e.what, st.cell, "timeline", widths[1])]
                for e in sec.timeline]
        return self.titled("Timeline", rows, widths, [
            ("LINEAFTER", (0, 1), (0, -1), 1.4, self.ink.accent), ("TOPPADDING", (0, 1), (-1, -1), 1.6),
            ("BOTTOMPADDING", (0, 1), (-1, -1), 1.6),
            # a line with a blank is set taller: rules keep each date with its event
            ("LINEBELOW", (0, 1), (-1, -2), 0.3, self.ink.rule)])

    def terms(self, sec: Section) -> list:
        st = self.st
        widths = label_column([markup.plain(t.term) for t in sec.terms], self.col_w,
                              lambda s: text.width(s, st.cell_bold.fontSize, bold=True), 0.18, 0.4)
        rows = [[self.cell(t.term, st.cell_bold, "terms", widths[0]), self.cell(t.meaning, st.cell, "terms", widths[1])]
                for t in sec.terms]
        return self.titled("Terms", rows, widths, [("LINEBELOW", (0, 1), (-1, -2), 0.3, self.ink.rule)])

    def table(self, sec: Section) -> list:
        assert sec.table is not None
        t, p, st = sec.table, self.ink, self.st
        n = len(t.columns)
        widths = [self.col_w / n] * n
        label: str | Paragraph = self.para(t.title, st.label, "table", self.col_w) if t.title else "Table"
        head = [self.cell(c, st.cell_bold, "table", widths[i]) for i, c in enumerate(t.columns)]
        body = [[self.cell(c, st.cell, "table", widths[i]) for i, c in enumerate(row)] for row in t.rows]
        return self.titled(label, [head, *body], widths, [
            ("BACKGROUND", (0, 1), (-1, 1), p.box), ("LINEBELOW", (0, 1), (-1, 1), 0.9, p.accent),
            ("LINEBELOW", (0, 2), (-1, -2), 0.3, p.rule), ("BOX", (0, 1), (-1, -1), 0.5, p.rule)], head=1)

    def section(self, sec: Section, level: int) -> list:
        self.current = sec.id
        self.w.place(f"section '{sec.id}'", sec.loc)
        out = self.heading(sec, level) + self.points(sec)
        if sec.facts:
            out += self.facts(sec)
        if sec.timeline:
            out += self.timeline(sec)
        if sec.table is not None:
            out += self.table(sec)
        if sec.terms:
            out += self.terms(sec)
        for sub in sec.sections:
            out += self.section(sub, 1)
        return out

    def questions(self, questions: Sequence[Question]) -> list:
        if not questions:
            return []
        out: list = [CondPageBreak(self.st.h1.fontSize * 4 + RULE_GAP * 3),
                     Heading("Check yourself", self.st.h1, key="s--questions", title="Check yourself", level=0,
                             rule=self.ink.rule)]
        st = self.st.numbered
        for q in questions:
            self.current = q.section
            bullet = f"{q.number}."
            para = self.para(q.q, st, "question", self.col_w - st.leftIndent - bullet_overflow(st, bullet),
                             bulletText=bullet)
            out.append(KeepTogether([para, Ruled(q.lines, RULE_GAP, self.ink.rule), Spacer(1, 4)]))
        return out

    def story(self, bank: Sequence[str], separate: bool | None, questions: Sequence[Question]) -> tuple[list, list]:
        """The top of the first page (full width), and the columns."""
        top = self.opening(bank, separate)
        flow: list = []
        for sec in self.topic.sections:
            flow += self.section(sec, 0)
        flow += self.questions(questions)
        return top, flow

    # -- the answers -------------------------------------------------------------
    def answer_story(self, answers: Sequence[Answer], questions: Sequence[Question], kept: Sequence[str]) -> list:
        st = self.st
        out: list = [Heading("Answers", st.h1, key="s--answers", title="Answers", level=0, rule=self.ink.rule)]
        entry = ParagraphStyle("answer", parent=st.numbered, leftIndent=20, bulletIndent=0)
        titles = {sec.id: (sec, depth) for sec, depth in self.topic.walk()}
        current = None
        for a in answers:
            if a.section != current:
                current = a.section
                sec, depth = titles.get(a.section, (None, 0))
                if sec is not None:
                    head = f"{sec.number}{'&nbsp;&nbsp;'}{self.w.markup(markup.plain(sec.title), literal=True).markup}"
                    out.append(Paragraph(head, st.h2))
            out.append(self._entry(f"({a.number})", a.text, entry))
        if questions:
            out.append(Paragraph("Check yourself", st.h2))
            for q in questions:
                styled = self.w.markup(q.a)
                out.append(Paragraph(styled.markup, self.w.shaped(entry) if styled.shaping else entry,
                                     bulletText=f"{q.number}."))
        if kept:
            out.append(Paragraph("Printed on the sheet, not blanked (visible elsewhere on it)", st.h2))
            out.append(self.w.para(" · ".join(kept), st.points[0], literal=True))
        return out

    def _entry(self, label: str, answer: str, st: ParagraphStyle) -> Paragraph:
        styled = self.w.runs(markup.literal_runs(answer))  # an answer that is a formula is set
        return Paragraph(styled.markup, self.w.shaped(st) if styled.shaping else st, bulletText=label)


def _own_content(sec: Section) -> bool:
    return bool(sec.points or sec.facts or sec.timeline or sec.terms or sec.table is not None)


# -- laying out without drawing -------------------------------------------------------


def _lay(layout: Layout, templates: list[PageTemplate], story: list, at: Loc, what: str) -> list[list[Block]]:
    doc = Measure(layout)
    doc.addPageTemplates(templates)
    try:
        doc.build(story)
    except LayoutError:
        raise NotesError(Problem.at(at, "", f"cannot lay out the worksheet's {what}: a piece is taller than the "
                                    "page has room for; shorten it")) from None
    return doc.laid


def _line(sheet: _Sheet, template: str, values: dict[str, str], y: float, rule_y: float) -> Line:
    box = sheet.box
    shown = text.fit(fill(template, values), sheet.st.header.fontSize, box.width - 2)
    sheet.w.markup(shown, literal=True)
    return Line(shown, box.x0, box.x1, y, furniture_height(sheet.layout), rule_y)


def _pages(sheet: _Sheet, laid: list[list[Block]], first: tuple[Rect, ...], later: tuple[Rect, ...],
           answers: bool) -> tuple[Page, ...]:
    layout, box = sheet.layout, sheet.box
    band_h, small = furniture_height(layout), layout.fonts["small"]
    out = []
    for n, blocks in enumerate(laid, 1):
        values = placeholders(sheet.topic, layout, n, len(laid))
        header = footer = None
        if n > 1 or answers:
            template = f"{layout.header} · answers" if answers else layout.header
            header = _line(sheet, template, values, box.y1 - small * 1.2, box.y1 - band_h + 3)
        if layout.page_numbers:
            template = "answers · page {page} of {pages}" if answers else layout.footer
            footer = _line(sheet, template, values, box.y0, box.y0 + band_h - 3)
        out.append(Page(n, first if n == 1 else later, tuple(blocks), header, footer))
    return tuple(out)


def _other_keys(topic: Topic) -> list[str]:
    """Key phrases of the topic that are on no sheet: its gist's, and those of the sections left out
    by ``-s``/``-x``/``-t`` (``select.pick`` keeps every section in ``topic.whole``)."""
    found = list(markup.key_phrases(topic.summary or ""))
    picked = {sec.id for sec, _ in topic.walk() if sec.points or sec.facts or sec.timeline or sec.terms}
    for sec, _ in replace(topic, sections=topic.whole).walk():
        if sec.id not in picked:
            found += [k for t in section_texts(sec) if t.blankable for k in markup.key_phrases(t.text)]
    return [normal(k) for k in found if normal(k)]


def plan(topic: Topic, layout: Layout) -> WorksheetPlan:
    """Every decision of the topic's worksheet, and where each piece lands."""
    settings = {**DEFAULTS, **layout.settings}
    gap, policy = str(settings["gap"]), str(settings["leaks"])
    separate = settings["answers"] == "separate"
    furniture = [fill(layout.header, placeholders(topic, layout)), fill(layout.footer, placeholders(topic, layout))]
    cloze = Cloze.of(sheet_texts(topic, furniture), policy)
    body = layout.fonts["body"]
    measured = {a: text.width(markup.compact_formulas(a), body) for a in cloze.answers}
    answers = {cloze.numbers[a]: Answer(cloze.numbers[a], a, cloze.first[a], measured[a]) for a in cloze.answers}

    probe = _Sheet(topic, layout, cloze, answers, gap, 0.0)
    cap = probe.room(probe.col_w - probe.st.points[0].leftIndent, max(answers, default=1))
    width = blank_width(max(measured.values(), default=0.0), cap) if gap == "same" else cap
    sheet = _Sheet(topic, layout, cloze, answers, gap, width)

    questions: list[Question] = []
    for sec, _ in topic.walk():
        for card in sec.cards:
            printed = text.width(markup.plain(card.a), body)
            questions.append(Question(len(questions) + 1, card.q, card.a, sec.id,
                                      answer_lines(printed, sheet.col_w - sheet.st.numbered.leftIndent)))

    notes: list[str] = []
    bank: list[str] = []
    chosen: list[str] = []
    if settings["word_bank"]:
        visible = " ".join(markup.plain(t.text) for t in sheet_texts(topic, furniture)).casefold()
        pool = [k for k in _other_keys(topic) if k not in cloze.numbers and k.casefold() not in visible]
        chosen = pick_distractors(pool, int(settings["distractors"]), topic.id)
        bank = alphabetical([*cloze.answers, *chosen])
        if int(settings["distractors"]) > len(chosen):
            notes.append(f"word bank: {len(chosen)} of {settings['distractors']} distractors (the topic has no "
                         "more key phrases off the sheet)")

    has_answers = bool(cloze.keys or questions)
    # in a pack the answer pages go to the teacher's file (finish.pack_layout says so): "handed out separately"
    apart = separate or bool(settings.get("answers_apart"))
    top, flow = sheet.story(bank, apart if has_answers else None, questions)
    box, gap_pt = sheet.box, layout.column_gap * MM
    band_h = furniture_height(layout)
    foot_h = band_h if layout.page_numbers else 0
    top_h = sum(f.wrap(box.width, box.height)[1] for f in top)
    if top_h > box.height * BANK_CAP and bank:  # a very long word bank opens the first column
        top.pop()
        flow = [sheet.word_bank(bank, sheet.col_w), Spacer(1, 6), *flow]
        top_h = sum(f.wrap(box.width, box.height)[1] for f in top)
        notes.append("word bank too long for the top of the page: it opens the first column")
    first = (Rect(box.x0, box.y1 - top_h - 1, box.width, top_h + 1),
             *column_rects(box, layout.columns, sheet.col_w, gap_pt, box.y1 - top_h - BAND_GAP, foot_h))
    later = column_rects(box, layout.columns, sheet.col_w, gap_pt, box.y1 - band_h, foot_h)
    templates = [PageTemplate("first", [MeasuredColumn(r, i) for i, r in enumerate(first)]),
                 PageTemplate("later", [MeasuredColumn(r, i) for i, r in enumerate(later)])]
    laid = _lay(layout, templates, [*top, NextPageTemplate("later"), *flow], topic.loc, "sheet")
    pages = _pages(sheet, laid, first, later, answers=False)

    kept = tuple(a for a in cloze.keys if a in cloze.kept)
    by_number = tuple(answers[n] for n in sorted(answers))
    answer_pages: tuple[Page, ...] = ()
    if has_answers:
        answer_frames = column_rects(box, layout.columns, sheet.col_w, gap_pt, box.y1 - band_h, foot_h)
        columns = [MeasuredColumn(r, i) for i, r in enumerate(answer_frames)]
        answer_laid = _lay(layout, [PageTemplate("answers", columns)],
                           sheet.answer_story(by_number, questions, kept), topic.loc, "answers")
        answer_pages = _pages(sheet, answer_laid, answer_frames, answer_frames, answers=True)
    else:
        separate = False
        notes.append("no ==key== phrases and no cards in the picked sections: nothing to blank and no answers")

    if cloze.skipped:
        notes.append(f"{cloze.skipped} blank{'s' if cloze.skipped != 1 else ''} skipped: answer visible elsewhere "
                     f"on the sheet ({', '.join(kept)})")
    if cloze.repeated:
        notes.append(f"{len(cloze.repeated)} answer{'s' if len(cloze.repeated) != 1 else ''} also printed elsewhere "
                     f"on the sheet: blanked there too, with the same number")
    apart = "; answers in -answers.pdf" if separate else ""
    tail = (f" ({len(answer_pages)} page{'s' if len(answer_pages) != 1 else ''})" if separate else
            f" + {len(answer_pages)} answer page{'s' if len(answer_pages) != 1 else ''}" if answer_pages else "")
    notes.insert(0, f"worksheet of {topic.id}: {len(sheet.blanks)} blanks ({len(by_number)} answers), "
                    f"{len(questions)} question{'s' if len(questions) != 1 else ''}, "
                    f"{len(pages)} page{'s' if len(pages) != 1 else ''}{apart}{tail}")
    return WorksheetPlan(topic, layout, gap, width, by_number, tuple(sheet.blanks), kept, tuple(bank),
                         tuple(alphabetical(chosen)), tuple(questions), pages, answer_pages, separate,
                         tuple(notes), sheet.w.warnings())


# -- drawing ------------------------------------------------------------------------


@dataclass(frozen=True)
class Drawn:
    """A blank as drawn: its page (1-based, across the whole PDF) and its rule."""

    page: int
    number: int
    x: float
    y: float
    width: float


def _canvas_class(decorate, drawn: list[Drawn]):
    class WorksheetCanvas(paged_canvas(decorate)):  # type: ignore[misc]
        def drawImage(self, image, x, y, width=None, height=None, **kw):  # noqa: N802 (ReportLab's name)
            if not isinstance(image, Slot):
                return super().drawImage(image, x, y, width, height, **kw)
            a, b, c, d, e, f = self._currentMatrix
            x0, y0 = x + image.label, y - 1.2
            self.saveState()
            # Drawing the number begins a text object; a formula later on the line writes its source into
            # the paragraph's text object, which the canvas remembers as the last one begun (formula.py)
            paragraph_text = getattr(self, "_formula_text", None)
            text.draw(self, x, y, f"({image.number})", image.size, self._number_ink, bold=True)
            if paragraph_text is not None:
                self._formula_text = paragraph_text
            self.setStrokeColor(self._blank_ink)
            self.setLineWidth(0.7)
            self.line(x0, y0, x0 + image.rule, y0)
            self.restoreState()
            drawn.append(Drawn(self._sheet_page, image.number, a * x0 + c * y0 + e, b * x0 + d * y0 + f,
                               image.rule))
            return None

    return WorksheetCanvas


def _draw_line(canvas: Canvas, line: Line, w: Writer, st: ParagraphStyle) -> None:
    para = w.para(line.text, st, literal=True)
    para.wrap(line.x1 - line.x0, line.height)
    para.drawOn(canvas, line.x0, line.y)


def _furniture(canvas: Canvas, page: Page, w: Writer, st: Styles, rule: Any) -> None:
    canvas.saveState()
    canvas.setStrokeColor(rule)
    canvas.setLineWidth(0.5)
    if page.header is not None:
        _draw_line(canvas, page.header, w, st.header)
        canvas.line(page.header.x0, page.header.rule_y, page.header.x1, page.header.rule_y)
    if page.footer is not None:
        canvas.line(page.footer.x0, page.footer.rule_y, page.footer.x1, page.footer.rule_y)
        _draw_line(canvas, page.footer, w, st.footer)
    canvas.restoreState()


def _pdf(plan: WorksheetPlan, pages: Sequence[Page], what: str, drawn: list[Drawn]) -> bytes:
    layout = plan.layout
    pal = Palette(layout)
    ink = Inks.of(pal)
    st, w = styles(layout, ink), Writer(plan.topic, pal)
    buf = io.BytesIO()

    def decorate(canvas: Canvas, number: int, _pages: int) -> None:
        _furniture(canvas, pages[number - 1], w, st, ink.rule)

    canvas = _canvas_class(decorate, drawn)(buf, pagesize=layout.pagesize, invariant=1)
    canvas._blank_ink, canvas._number_ink = ink.text, ink.accent
    set_metadata(canvas, metadata(plan.topic, layout, what))
    for n, page in enumerate(pages, 1):
        canvas._sheet_page = n
        for block in page.blocks:
            block.ink.drawOn(canvas, block.x, block.y, _sW=block.slack)
            if block.mark is not None:
                canvas.bookmarkPage(block.mark.key)
                canvas.addOutlineEntry(block.mark.title, block.mark.key, level=block.mark.level, closed=False)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


def drawn(plan: WorksheetPlan) -> tuple[Rendered, tuple[Drawn, ...]]:
    """The worksheet as PDF bytes, and every blank as it was drawn (for tests that hold the drawing to
    the plan)."""
    placed: list[Drawn] = []
    if plan.separate:
        pdf = _pdf(plan, plan.pages, "worksheet", placed)
        key = _pdf(plan, plan.answer_pages, "worksheet answers", [])
        return Rendered(pdf, len(plan.pages), plan.warnings, plan.notes, 0, (Extra("-answers.pdf", key),)), \
            tuple(placed)
    pdf = _pdf(plan, (*plan.pages, *plan.answer_pages), "worksheet", placed)
    return Rendered(pdf, len(plan.pages) + len(plan.answer_pages), plan.warnings, plan.notes,
                    len(plan.answer_pages)), tuple(placed)


def draw(plan: WorksheetPlan) -> Rendered:
    """The planned worksheet as PDF bytes (with the answers at the end, or beside it)."""
    return drawn(plan)[0]


def render(topic: Topic, layout: Layout) -> Rendered:
    """A cloze worksheet of the topic."""
    return draw(plan(topic, layout))
