"""The quiz: a multiple-choice test paper from the notes, its OMR answer sheet and its answer key.

``plan`` makes the questions (``_questions``: pure and seeded), lays the paper out in columns with
every question whole in one column (measured with the real paragraphs), computes the answer sheet
(``_omr``: the same numbers give the drawing and OMRChecker's template) and the key pages, and
writes the key CSV and OMRChecker files. ``draw`` only paints the pages the plan holds.

What one build gives (``Rendered``): the PDF is the paper of the first series (or of the variant
asked for), then its answer sheet, then the answer-key pages as the LAST pages (``answers`` counts
them; ``answers: separate`` puts them in ``-answers.pdf`` instead). Every further series is a file
of its own beside it, ``-B.pdf`` …, paper and sheet. Beside them: ``-key.csv`` (a row per series and
question), ``-omr-template.json`` (one sheet serves all series) and ``-omr-evaluation.json`` (one per
series, ``-omr-evaluation-B.json`` …, when there are several).

For per-student papers a caller sets ``layout.settings["variant"]`` to a code (with the same
``seed``): the questions are the same, in that variant's own order, and the code is printed on
every page and on the answer sheet.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas

from .. import fonts, markup, text
from ..errors import Loc, NotesError, Problem, UsageError
from ..load.presets import Layout
from ..model import Topic
from ..style import MM
from . import Extra, Rendered
from . import _omr as omr
from ._questions import Question, Quiz, arrange, default_seed, make
from .common import Palette, Writer, printable, style
from .page import metadata, set_metadata

FLOOR = 8.0            # no type below this, anywhere on the paper, sheet or key
NUM_W = 17.0           # the question number's room left of the question
ITEM_INDENT = 12.0     # "1. " before a statement, pair or event
OPTION_INDENT = 17.0   # "(a) " before an option
GAP = 9.0              # between questions
LIGHT = colors.Color(0.62, 0.62, 0.62)  # the letters inside bubbles: light, so a mark reads far darker
CODE = re.compile(r"[A-Za-z0-9_-]{1,24}\Z")  # a series letter, or a student's code (a pack's: roll-based)
DEFAULTS = {"questions": 20, "title": "Practice test", "right": 2.0, "wrong": -2 / 3, "answers": "end",
            "series": "A"}


@dataclass(frozen=True)
class Piece:
    """A paragraph placed on a page: its text (printed literally), style, top-left corner and size."""

    text: str
    style: str
    x: float
    top: float  # PDF points, from the bottom of the page
    width: float
    height: float
    literal: bool = True  # the program's own text; question text keeps the notes' markup and formulas


@dataclass(frozen=True)
class PagePlan:
    role: str  # "paper", "sheet" or "key"
    pieces: tuple[Piece, ...] = ()
    rules: tuple[tuple[float, float, float, float], ...] = ()  # x0, y0, x1, y1
    boxes: tuple[tuple[float, float, float, float], ...] = ()  # x, y, w, h: the series code's frame
    sheet: omr.SheetPage | None = None


@dataclass(frozen=True)
class Doc:
    suffix: str  # "" for the PDF itself, "-B.pdf", "-answers.pdf"
    pages: tuple[PagePlan, ...]
    answers: int = 0


@dataclass(frozen=True)
class QuizPlan:
    topic: Topic
    layout: Layout
    sizes: dict[str, float]
    quizzes: tuple[Quiz, ...]  # one per series (or the one variant)
    sheet: omr.Sheet
    docs: tuple[Doc, ...]
    files: tuple[Extra, ...]  # the key CSV and OMRChecker's files
    notes: tuple[str, ...]
    warnings: tuple[Problem, ...]

    @property
    def main(self) -> Doc:
        return self.docs[0]


def _setting(layout: Layout, key: str) -> Loc:
    return layout.places.get(f"quiz.{key}", Loc(layout.path))


def codes(layout: Layout) -> tuple[str, ...]:
    """The series (or the one variant) to print, checked: short codes of letters, digits, - and _."""
    variant = layout.settings.get("variant")
    raw = str(variant) if variant else str(layout.settings.get("series") or DEFAULTS["series"])
    found = tuple(c.strip() for c in raw.split(",") if c.strip()) if not variant else (raw,)
    bad = [c for c in found if not CODE.match(c)]
    if bad or not found or len(set(found)) != len(found):
        why = f"'{bad[0]}' is not a code (letters, digits, - or _, at most 24)" if bad else \
            "a series is named twice" if found else "no series named"
        if any(c.startswith(("series", "variant")) for c in layout.changes):  # typed on the command line
            raise UsageError(f"--series: {why}: write e.g. A,B,C,D")
        raise NotesError(Problem.at(_setting(layout, "series"), "quiz.series", f"{why}: write e.g. A,B,C,D"))
    return found


def styles(layout: Layout, pal: Any) -> dict[str, ParagraphStyle]:  # a Palette: colours set at run time
    body = max(FLOOR, layout.fonts["body"])
    small = max(FLOOR, layout.fonts["small"])
    regular, bold = fonts.BODY, f"{fonts.BODY}-Bold"
    ink, muted = pal.text, pal.muted
    return {
        "title": style("title", bold, max(FLOOR, min(layout.fonts["title"], 18)), pal.accent, 1.2),
        "meta": style("meta", regular, body, ink, 1.3),
        "code": style("code", bold, body + 3, pal.accent, 1.2, alignment=1),
        "num": style("num", bold, body, ink, 1.28),
        "q": style("q", regular, body, ink, 1.28),
        "item": style("item", regular, body, ink, 1.28, leftIndent=ITEM_INDENT, firstLineIndent=-ITEM_INDENT),
        "opt": style("opt", regular, body, ink, 1.28, leftIndent=OPTION_INDENT, firstLineIndent=-OPTION_INDENT),
        "head": style("head", bold, max(FLOOR, layout.fonts["heading"]), pal.accent, 1.25),
        "src": style("src", regular, small, muted, 1.25, leftIndent=0),
        "flag": style("flag", regular, small, pal.accent, 1.25),
        "line": style("line", regular, small, muted, 1.2),
    }


class _Measure:
    """Paragraph heights, through the text layer, as ``draw`` will set them."""

    def __init__(self, w: Writer, st: dict[str, ParagraphStyle]):
        self.w, self.st = w, st
        self._seen: dict[tuple[str, str, float, bool], float] = {}

    def height(self, text_: str, style_: str, width: float, literal: bool = True) -> float:
        key = (text_, style_, width, literal)
        if key not in self._seen:  # a piece is measured as a block is made, then again where it is placed
            _, h = self.w.para(text_, self.st[style_], literal=literal).wrap(width, 1e6)
            self._seen[key] = float(h)
        return self._seen[key]


Placed = tuple[str, str, float, float, float, bool]  # text, style, dx, dy from the block's top, width, literal


def _question_block(q: Question, n: int, width: float, m: _Measure) -> list[Placed]:
    """The pieces of one question, and its height last."""
    out = []
    inner = width - NUM_W
    y = 0.0
    out.append((f"{n}.", "num", 0.0, 0.0, NUM_W, True))
    for t, st, gap in ((q.stem, "q", 1.5),
                       *((f"{k}. {item}", "item", 1.0) for k, item in enumerate(q.items, 1)),
                       *(((q.ask, "q", 1.5),) if q.ask else ()),
                       *((f"({'abcd'[k]}) {o}", "opt", 0.6) for k, o in enumerate(q.options))):
        out.append((t, st, NUM_W, y, inner, False))
        y += m.height(t, st, inner, False) + gap
    return [*out, ("", "", 0.0, y, 0.0, True)]


@dataclass
class _Flow:
    """Blocks into columns, page after page; a block never splits."""

    cols: list[tuple[float, float]]  # x, width of each column
    first_top: float
    later_top: float
    bottom: float

    def __post_init__(self):
        self.pages: list[list[Piece]] = [[]]
        self.col = 0
        self.y = self.first_top

    def place(self, block: list[Placed], loc: Loc, what: str) -> None:
        height = block[-1][3]
        if self.y - height < self.bottom:
            self.col += 1
            if self.col == len(self.cols):
                self.pages.append([])
                self.col = 0
            self.y = self.first_top if len(self.pages) == 1 else self.later_top
            if self.y - height < self.bottom:
                raise NotesError(Problem.at(loc, "", f"{what} is taller than a column of the page "
                                            f"({height / MM:.0f} mm); shorten it"))
        x, _ = self.cols[self.col]
        for t, st, dx, dy, w, literal in block[:-1]:
            self.pages[-1].append(Piece(t, st, x + dx, self.y - dy, w, 0.0, literal))
        self.y -= height + GAP


def _fill_heights(pieces: list[Piece], m: _Measure) -> tuple[Piece, ...]:
    return tuple(Piece(p.text, p.style, p.x, p.top, p.width, m.height(p.text, p.style, p.width, p.literal),
                       p.literal) for p in pieces)


def _header(topic: Topic, layout: Layout, settings: dict, count: int, code: str, variant: bool, m: _Measure,
            box, marks: float, minutes: int) -> tuple[list[Piece], float, tuple]:
    """The paper's head: the test's title, topic, time and marks, the marking, and the series code."""
    code_w = 78.0
    left_w = box.width - code_w - 10
    right, wrong = float(settings["right"]), float(settings["wrong"])
    rows = [(str(settings["title"]), "title"),
            (f"Topic: {markup.plain(topic.title)}", "meta"),
            (f"Time allowed: {minutes} minutes   ·   Maximum marks: {marks:g}   ·   Questions: {count}", "meta"),
            (f"Each question has four options (a)–(d); mark the one right answer on the answer sheet. "
             f"Right answer: {_num(right)}; wrong answer: {_num(wrong)}; unanswered: 0.", "meta")]
    pieces = []
    y = box.y1
    for t, st in rows:
        h = m.height(t, st, left_w)
        pieces.append(Piece(t, st, box.x0, y, left_w, h))
        y -= h + 2
    label = f"Code {code}" if variant else f"Series {code}"
    ch = m.height(label, "code", code_w - 8)
    frame = (box.x1 - code_w, box.y1 - ch - 14, code_w, ch + 14)
    pieces.append(Piece(label, "code", box.x1 - code_w + 4, box.y1 - 7, code_w - 8, ch))
    y = min(y, frame[1]) - 6
    return pieces, y, frame


def _num(x: float) -> str:
    return omr.score(x).replace("-", "−")


def _paper(quiz: Quiz, topic: Topic, layout: Layout, settings: dict, m: _Measure, code: str, variant: bool,
           marks: float, minutes: int) -> list[PagePlan]:
    box = printable(layout)
    line_h = max(FLOOR, layout.fonts["small"]) * 1.2
    foot = line_h + 6
    head, y, frame = _header(topic, layout, settings, len(quiz.questions), code, variant, m, box, marks, minutes)
    gap = layout.column_gap * MM
    cols = layout.columns
    cw = (box.width - gap * (cols - 1)) / cols
    flow = _Flow([(box.x0 + k * (cw + gap), cw) for k in range(cols)], y - 8, box.y1 - line_h - 8, box.y0 + foot)
    for n, q in enumerate(quiz.questions, 1):
        flow.place(_question_block(q, n, cw, m), q.loc, f"question {n} ({q.kind}, from {q.source})")
    pages = []
    for k, pieces in enumerate(flow.pages):
        first = k == 0
        extra = list(head) if first else []
        rules = [(box.x0, y - 2, box.x1, y - 2)] if first else [(box.x0, box.y1 - line_h - 3, box.x1,
                                                                  box.y1 - line_h - 3)]
        pages.append(PagePlan("paper", tuple(extra) + _fill_heights(pieces, m), tuple(rules),
                              (frame,) if first else ()))
    return pages


def _key(quizzes: tuple[Quiz, ...], topic: Topic, layout: Layout, settings: dict, m: _Measure,
         variant: bool) -> list[PagePlan]:
    """The teacher's pages: for the first series each question's letter, right answer, the section it
    comes from and any generated statement to check; for further series the letters, each with the
    question's number in the first series."""
    box = printable(layout)
    line_h = max(FLOOR, layout.fonts["small"]) * 1.2
    gap = layout.column_gap * MM
    cols = layout.columns
    cw = (box.width - gap * (cols - 1)) / cols
    title = f"Answer key · {settings['title']} · {markup.plain(topic.title)}"
    th = m.height(title, "head", box.width)
    note = "For the teacher: keep these pages out of the students' copies."
    nh = m.height(note, "line", box.width)
    flow = _Flow([(box.x0 + k * (cw + gap), cw) for k in range(cols)], box.y1 - th - nh - 10,
                 box.y1 - line_h - 8, box.y0 + line_h + 6)
    first = quizzes[0]
    label = "Code" if variant else "Series"
    flow.place([(f"{label} {first.variant}", "head", 0.0, 0.0, cw, True),
                ("", "", 0.0, m.height(f"{label} {first.variant}", "head", cw) + 2, 0.0, True)], topic.loc,
               "a heading")
    for n, q in enumerate(first.questions, 1):
        rows = [(f"({'abcd'[q.right]}) {q.answer}", "q", 1.0, False)]
        rows += [(q.explain, "src", 0.5, False)] if q.explain else []
        rows += [(f"from {q.source}", "src", 0.5, True)]
        rows += [(f"Check before use: {f}", "flag", 0.5, False) for f in q.flags]
        block: list[Placed] = [(f"{n}.", "num", 0.0, 0.0, NUM_W, True)]
        y = 0.0
        for t, st, g, literal in rows:
            block.append((t, st, NUM_W, y, cw - NUM_W, literal))
            y += m.height(t, st, cw - NUM_W, literal) + g
        block.append(("", "", 0.0, y - 4, 0.0, True))
        flow.place(block, q.loc, f"the key of question {n}")
    per_row = 4
    cell = cw / per_row
    for quiz in quizzes[1:]:
        head = f"{label} {quiz.variant}   (= its question in {label.lower()} {first.variant})"
        hh = m.height(head, "head", cw)
        grid: list[Placed] = [(head, "head", 0.0, 0.0, cw, True)]
        y = hh + 2
        for k, q in enumerate(quiz.questions):
            entry = f"{k + 1} ({'abcd'[q.right]}) = {first.variant}{q.origin}"
            grid.append((entry, "q", (k % per_row) * cell, y, cell, True))
            if k % per_row == per_row - 1 or k == len(quiz.questions) - 1:
                y += m.height(entry, "q", cell) + 1
        grid.append(("", "", 0.0, y + 2, 0.0, True))
        flow.place(grid, topic.loc, f"the key of series {quiz.variant}")
    pages = []
    for k, pieces in enumerate(flow.pages):
        top = [Piece(title, "head", box.x0, box.y1, box.width, th),
               Piece(note, "line", box.x0, box.y1 - th - 2, box.width, nh)] if k == 0 else []
        rules = [(box.x0, box.y1 - th - nh - 6, box.x1, box.y1 - th - nh - 6)] if k == 0 else \
            [(box.x0, box.y1 - line_h - 3, box.x1, box.y1 - line_h - 3)]
        pages.append(PagePlan("key", tuple(top) + _fill_heights(pieces, m), tuple(rules)))
    return pages


def _furnish(pages: list[PagePlan], layout: Layout, running: str, m: _Measure) -> tuple[PagePlan, ...]:
    """Running head (after the first page of each part) and the footer with the code and page number."""
    box = printable(layout)
    out = []
    total = len(pages)
    for n, p in enumerate(pages, 1):
        extra = []
        if n > 1 and p.role != "sheet" and pages[n - 2].role == p.role:
            extra.append(Piece(text.fit(running, max(FLOOR, layout.fonts["small"]), box.width), "line", box.x0,
                               box.y1, box.width, m.height(running, "line", box.width)))
        if layout.page_numbers and p.role != "sheet":
            foot = f"{running}   ·   page {n} of {total}"
            extra.append(Piece(foot, "line", box.x0, box.y0 + max(FLOOR, layout.fonts["small"]) * 1.2, box.width,
                               max(FLOOR, layout.fonts["small"]) * 1.2))
        out.append(PagePlan(p.role, p.pieces + tuple(extra), p.rules, p.boxes, p.sheet))
    return tuple(out)


def _csv(quizzes: tuple[Quiz, ...]) -> bytes:
    buf = io.StringIO()
    wr = csv.writer(buf, lineterminator="\n")
    wr.writerow(["variant", "number", "answer", "question", "correct", "source", "kind"])
    for quiz in quizzes:
        for n, q in enumerate(quiz.questions, 1):
            asked = " / ".join(markup.plain(t) for t in (q.stem, *q.items, *((q.ask,) if q.ask else ())))
            wr.writerow([quiz.variant, n, "ABCD"[q.right], asked, markup.plain(q.answer), q.source, q.kind])
    return buf.getvalue().encode("utf-8")


@functools.lru_cache(maxsize=8)
def _master(topic: Topic, count: int, seed: int) -> Quiz:
    """The master quiz, made once for all the variants of a pack (it depends on these three only)."""
    return make(topic, count, seed)


def plan(topic: Topic, layout: Layout) -> QuizPlan:
    """Every decision of the quiz: its questions per series, the pages, the sheet, the key and the
    files beside the PDF."""
    settings = {**DEFAULTS, **{k: v for k, v in layout.settings.items() if v is not None}}
    count = int(settings["questions"])
    seed = int(settings["seed"]) if settings.get("seed") is not None else default_seed(topic)
    series = codes(layout)
    variant = bool(layout.settings.get("variant"))
    master = _master(topic, count, seed)
    if not master.questions:
        raise NotesError(Problem.at(topic.loc, "", f"no quiz can be made from topic '{topic.id}': it has no "
                                    "timeline, terms, figures, cards, two-column tables or key points to ask about"))
    quizzes = tuple(arrange(master, c) for c in series)
    n = len(master.questions)
    right, wrong = float(settings["right"]), float(settings["wrong"])
    marks = float(settings["marks"]) if settings.get("marks") is not None else right * n
    minutes = int(settings["minutes"]) if settings.get("minutes") is not None else max(5, 5 * round(1.2 * n / 5))
    pal = Palette(layout)
    st = styles(layout, pal)
    w = Writer(topic, pal)
    m = _Measure(w, st)
    box = printable(layout)
    height = layout.pagesize[1]
    sheet_of = {c: omr.sheet(layout.pagesize[0], height, (box.x0, height - box.y1, box.x1, height - box.y0), n,
                             series if len(series) > 1 and not variant else ("A", "B", "C", "D"),
                             str(settings["title"]),
                             f"Code {c}" if variant else f"Series {c}", text_size=max(FLOOR, layout.fonts["small"]))
                for c in series}
    key = _key(quizzes, topic, layout, settings, m, variant)
    docs = []
    for k, (c, quiz) in enumerate(zip(series, quizzes, strict=True)):
        paper = _paper(quiz, topic, layout, settings, m, c, variant, marks, minutes)
        sheet = [PagePlan("sheet", sheet=p) for p in sheet_of[c].pages]
        running = f"{settings['title']} · {'Code' if variant else 'Series'} {c}"
        if k == 0:
            end = key if settings["answers"] == "end" else []
            docs.append(Doc("", _furnish(paper + sheet + end, layout, running, m), len(end)))
        else:
            docs.append(Doc(f"-{c}.pdf", _furnish(paper + sheet, layout, running, m)))
    if settings["answers"] != "end":
        docs.append(Doc("-answers.pdf", _furnish(key, layout, f"Answer key · {settings['title']}", m), len(key)))
    files = [Extra("-key.csv", _csv(quizzes))]
    sheet0 = sheet_of[series[0]]
    for p in range(len(sheet0.pages)):
        files.append(Extra("-omr-template.json" if p == 0 else f"-omr-template-{p + 1}.json",
                           _json(omr.template(sheet0, p))))
    for quiz in quizzes:
        files.append(Extra("-omr-evaluation.json" if len(quizzes) == 1 else f"-omr-evaluation-{quiz.variant}.json",
                           _json(omr.evaluation(["ABCD"[q.right] for q in quiz.questions], right, wrong))))
    note = master.note(topic.id)
    return QuizPlan(topic, layout, {k: float(v.fontSize) for k, v in st.items()}, quizzes, sheet0, tuple(docs),
                    tuple(files), (note,) if note else (), w.warnings())


def _json(data: dict) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


# -- drawing ----------------------------------------------------------------------------------------

def _draw_sheet(c: Canvas, s: omr.SheetPage, height: float, w: Writer, pal: Any) -> None:
    def line(t: omr.Text) -> None:
        w.markup(t.text, literal=True)  # a character no font has is warned about
        x = t.x - (text.width(t.text, t.size, t.bold) / (2 if t.align == "centre" else 1)
                   if t.align != "left" else 0)
        text.draw(c, x, height - t.y, t.text, t.size, pal.text, t.bold)

    c.setFillColor(colors.black)
    for x, y in s.markers:
        c.rect(x, height - y - omr.MARKER, omr.MARKER, omr.MARKER, stroke=0, fill=1)
    for t in s.texts:
        line(t)
    c.setStrokeColor(pal.text)
    c.setLineWidth(0.7)
    for b in s.boxes:
        c.rect(b.x, height - b.y - b.h, b.w, b.h, stroke=1, fill=0)
        text.draw(c, b.x, height - b.y + 3, b.label, FLOOR, pal.text, True)
    small = FLOOR
    for blk in s.blocks:
        c.setLineWidth(0.8)
        r = blk.size / 2
        for _field, value, x, y in blk.bubbles():
            c.setStrokeColor(pal.text)
            c.circle(x + r, height - y - r, r, stroke=1, fill=0)
            vw = text.width(value, small)  # light, inside the bubble: a reader sees through it, a scanner too
            text.draw(c, x + r - vw / 2, height - y - r - small * 0.35, value, small, LIGHT)
        if blk.field_type == "QTYPE_MCQ4":
            for j, v in enumerate(blk.values):
                vw = text.width(v, small, True)
                text.draw(c, blk.x + j * blk.along + r - vw / 2, height - blk.y + 4, v, small, pal.text, True)
            for i, label in enumerate(blk.labels):
                num = label[1:]
                nw = text.width(num, small + 0.5, True)
                text.draw(c, blk.x - 5 - nw, height - blk.y - i * blk.across - r - 3, num, small + 0.5, pal.text, True)


def _draw_doc(doc: Doc, p: QuizPlan) -> bytes:
    pal: Any = Palette(p.layout)
    st = styles(p.layout, pal)
    w = Writer(p.topic, pal)
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=p.layout.pagesize, invariant=1)
    set_metadata(c, metadata(p.topic, p.layout, "Quiz"))
    height = p.layout.pagesize[1]
    for page in doc.pages:
        if page.sheet is not None:
            _draw_sheet(c, page.sheet, height, w, pal)
        c.setStrokeColor(pal.rule)
        c.setLineWidth(0.6)
        for x0, y0, x1, y1 in page.rules:
            c.line(x0, y0, x1, y1)
        c.setStrokeColor(pal.accent)
        c.setLineWidth(1.2)
        for x, y, bw, bh in page.boxes:
            c.roundRect(x, y, bw, bh, 4, stroke=1, fill=0)
        for piece in page.pieces:
            para = w.para(piece.text, st[piece.style], literal=piece.literal)
            para.wrap(piece.width, 1e6)
            para.drawOn(c, piece.x, piece.top - piece.height)
        c.showPage()
    c.save()
    return buf.getvalue()


def draw(plan: QuizPlan) -> Rendered:
    """The planned documents as PDF bytes: the main one, the other series, the key apart if asked;
    and the files the plan wrote."""
    main = plan.main
    extras = [Extra(d.suffix, _draw_doc(d, plan)) for d in plan.docs[1:]]
    return Rendered(_draw_doc(main, plan), len(main.pages), plan.warnings, plan.notes, main.answers,
                    tuple(extras) + plan.files)


def render(topic: Topic, layout: Layout) -> Rendered:
    """A quiz of the topic: paper, answer sheet and key, with the files beside it."""
    return draw(plan(topic, layout))
