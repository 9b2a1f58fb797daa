"""The one-page summary: the whole topic on exactly one page, by fitting, never by cutting.

Content, in order: a title band; the gist; a strip of key numbers; a
timeline strip; then each section's points in columns (``key: true`` first,
then the other first-level points). The largest scale of type and spacing
that fits, between the preset's sizes and a 6.5 pt floor, is found in a
few layouts by ReportLab's frames. Each text is parsed once and its words
measured once, at 1 pt; the columns' heights stacked by arithmetic (no
frames) say where the next layout should go; the search's layouts count
lines by arithmetic exactly as ReportLab breaks them, and one layout of
ReportLab's own paragraphs at the chosen scale has the last word. Past the
floor the policy leaves out sub-points, then terms, then tables; if that is
not enough the build fails, pointing at the largest section, and says how
much too big the topic is and which sections take the room.

``plan`` makes every decision (scale, policy, what each section shows, the
geometry) and proves with ReportLab's own frames that the page is one page;
``draw`` only builds the PDF the plan describes; ``render = draw ∘ plan``.
"""

from __future__ import annotations

import functools
import io
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import NamedTuple

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import LayoutError
from reportlab.rl_config import _FUZZ

from .. import fonts, formula, markup
from ..errors import Loc, NotesError, Problem
from ..load.presets import Layout
from ..model import Point, Section, Topic
from ..style import MM
from . import Rendered
from .common import Box, Palette, Writer, printable, style
from .page import fill, metadata, placeholders

FLOOR_PT = 6.5          # no text below this
CLOSE = 0.015           # a scale that fits is taken when the largest that fits is thought within 1.5% above it
MARGIN = 0.005          # layout passes aim this far (of the columns) inside the edge the stacked heights predict
WASTE = -0.02           # columns lost to column ends less those gained by overlapping spaces, before any layout
NOISE = 0.03            # how much less a layout a little larger may waste than the nearest pass did
PROBES = 4              # layout passes per policy before the floor decides
EDGE_STEPS = 6          # stacked heights measured to find where the columns just fit
TRIES = 6               # real layouts tried, each 2% smaller, before the plan gives up
SURE = 0.02             # a policy is passed over unlaid-out when its heights alone overfill the columns by this

Shaped = Callable[[ParagraphStyle], ParagraphStyle]


@dataclass(frozen=True)
class Policy:
    """What a summary shows besides its promised points."""

    subpoints: bool = True
    terms: bool = True
    tables: bool = True

    def left_out(self, tables: int) -> str:
        out = [name for name, on in (("sub-points", self.subpoints), ("terms", self.terms)) if not on]
        if not self.tables and tables:
            out.append(f"{tables} table{'s' if tables != 1 else ''}")
        return " and ".join([", ".join(out[:-1]), out[-1]] if len(out) > 1 else out)


POLICIES = (Policy(), Policy(subpoints=False), Policy(subpoints=False, terms=False),
            Policy(subpoints=False, terms=False, tables=False))


# -- what the page shows, decided once: text as markup with its fonts, in reading order ----------

@dataclass(frozen=True)
class Item:
    """One bulleted line of a section."""

    text: fonts.Styled
    depth: int = 0          # 0 a point, 1 a sub-point, 2 a sub-point of a sub-point
    key: bool = False
    loc: Loc = field(default=Loc(), compare=False)  # the point in the notes
    folded: fonts.Styled | None = None  # a point that only introduces its sub-points, with the first of them


@dataclass(frozen=True)
class TablePlan:
    """A section's table: header cells, rows of cells, and how the column's width is shared."""

    header: tuple[fonts.Styled, ...]
    rows: tuple[tuple[fonts.Styled, ...], ...]
    weights: tuple[float, ...]  # column widths in proportion: long text gets more room, but not linearly


@dataclass(frozen=True)
class SectionPlan:
    """What one section shows, its nested sections included."""

    id: str
    loc: Loc
    level: int              # 0 a top-level section, 1 a nested one
    heading: fonts.Styled   # its number and title
    items: tuple[Item, ...] = ()
    table: TablePlan | None = None
    terms: fonts.Styled | None = None   # one dense line: term — meaning; term — meaning
    sections: tuple[SectionPlan, ...] = ()
    pointer: fonts.Styled | None = None  # what a policy left out, where the section shows nothing else
    left: fonts.Styled | None = None     # that line, made ready: "glossary: 4 terms — see the revision sheet"

    @property
    def shown(self) -> int:
        return len(self.items) + sum(s.shown for s in self.sections)

    def under(self, policy: Policy) -> SectionPlan | None:
        """What it shows under a policy; None when that is only its heading (its facts and dates are
        in the strips on top)."""
        nested = tuple(s for s in (sub.under(policy) for sub in self.sections) if s is not None)
        items = self.items if policy.subpoints else \
            tuple(replace(i, text=i.folded or i.text) for i in self.items if i.depth == 0)
        table = self.table if policy.tables else None
        terms = self.terms if policy.terms else None
        if not (items or table or terms or nested):
            if self.left is None or (table, terms) == (self.table, self.terms):
                return None
            # a table-only or glossary-only section keeps its heading, with where to find what it holds
            return replace(self, items=(), table=None, terms=None, sections=(), pointer=self.left)
        return replace(self, items=items, table=table, terms=terms, sections=nested)


@dataclass(frozen=True)
class Top:
    """The full-width block above the columns."""

    title: fonts.Styled
    meta: fonts.Styled | None                       # subject · syllabus · date
    gist: fonts.Styled | None
    facts: tuple[tuple[fonts.Styled, fonts.Styled], ...] = ()   # value, label
    events: tuple[tuple[fonts.Styled, fonts.Styled], ...] = ()  # when, what


class _Content(NamedTuple):
    """Everything the summary could show, before any fitting."""

    top: Top
    sections: tuple[SectionPlan, ...]   # every top-level section, each with all it could show
    footer: fonts.Styled | None         # None inside a class pack: the pack prints the footer
    total: int                          # points in the picked sections, all levels
    capped: int                         # left out by --max-points
    tables: int


def _count(points: tuple[Point, ...]) -> int:
    return sum(1 + _count(p.points) for p in points)


def _ordered(points: tuple[Point, ...], cap: int | None) -> tuple[list[Point], int]:
    """Key points first, then the others in their order; with a cap, at most that many."""
    order = [p for p in points if p.key] + [p for p in points if not p.key]
    if cap is not None and len(order) > cap:
        return order[:cap], len(order) - cap
    return order, 0


def _top(topic: Topic, w: Writer) -> Top:
    w.place("title", topic.loc)
    meta = " · ".join(x for x in (topic.subject, *topic.syllabus, topic.updated) if x)
    title, meta_ = w.markup(topic.title), (w.markup(meta) if meta else None)
    gist = None
    if topic.summary:
        w.place("summary", topic.loc)
        gist = w.markup(topic.summary)
    w.place("key numbers", topic.loc)
    facts = tuple((w.markup(f.value), w.markup(f.label)) for sec, _ in topic.walk() for f in sec.facts)
    w.place("timeline", topic.loc)
    events = tuple((w.markup(e.when), w.markup(e.what)) for sec, _ in topic.walk() for e in sec.timeline)
    return Top(title, meta_, gist, facts, events)


FOLD_WORDS = 4  # a point of at most this many words with sub-points only introduces them
FOLDED = 2      # sub-points folded into it when sub-points are left out
_ASKS = {"what", "which", "how", "why", "where", "when", "who", "whom", "whose"}


def _folded(p: Point, w: Writer) -> fonts.Styled | None:
    """A point whose content is all in its sub-points ("What India sells to Japan", "Exports:"),
    with its first sub-points, for a summary that leaves sub-points out (it would print bare)."""
    text = p.text.rstrip()
    words = markup.plain(text).split()
    if not p.points or not words or not (text.endswith(":") or words[0].lower() in _ASKS
                                         or len(words) <= FOLD_WORDS):
        return None
    runs = list(markup.parse(p.text))  # each text parsed on its own: joined, their markers could pair up
    last = runs[-1] if runs else None
    if last is not None and not last.math and last.text.rstrip().endswith(":"):
        runs[-1] = replace(last, text=last.text.rstrip()[:-1])
    for k, q in enumerate(p.points[:FOLDED]):
        runs += [markup.Run(": " if k == 0 else "; "), *markup.parse(q.text)]
    if len(p.points) > FOLDED:
        runs.append(markup.Run("; …"))
    return w.runs(tuple(r for r in runs if r.text or r.math))


def _items(points: list[Point], w: Writer) -> tuple[Item, ...]:
    out = []
    for p in points:
        out.append(Item(w.markup(p.text), 0, p.key, p.loc, _folded(p, w)))
        for q in p.points:
            out.append(Item(w.markup(q.text), 1, loc=q.loc))
            out += [Item(w.markup(r.text), 2, loc=r.loc) for r in q.points]
    return tuple(out)


def _table(sec: Section, w: Writer) -> TablePlan | None:
    t = sec.table
    if t is None:
        return None
    header = tuple(w.markup(c) for c in t.columns)
    rows = tuple(tuple(w.markup(c) for c in row) for row in t.rows)
    weights = tuple(math.sqrt(sum(len(markup.plain(r[i])) for r in (t.columns, *t.rows))) + 2
                    for i in range(len(t.columns)))
    return TablePlan(header, rows, weights)


def _terms(sec: Section, w: Writer) -> fonts.Styled | None:
    if not sec.terms:
        return None
    runs: list[markup.Run] = []
    for i, t in enumerate(sec.terms):
        runs += [markup.Run(("; " if i else "") + markup.plain(t.term), bold=True), markup.Run(" — ")]
        runs += markup.parse(t.meaning)
    return w.runs(tuple(runs))


def _section(sec: Section, cap: int | None, w: Writer, level: int = 0) -> SectionPlan:
    w.place(f"section '{sec.id}'", sec.loc)
    title = w.markup(sec.title)
    gap = " " if title.shaping else "&nbsp;&nbsp;"  # a shaped paragraph needs one font per word
    heading = fonts.Styled(f"{sec.number}{gap}{title.markup}", title.shaping)
    items = _items(_ordered(sec.points, cap)[0], w)
    table, terms = _table(sec, w), _terms(sec, w)
    nested = tuple(_section(sub, cap, w, 1) for sub in sec.sections)
    return SectionPlan(sec.id, sec.loc, level, heading, items, table, terms, nested, left=_left(sec, w))


def _left(sec: Section, w: Writer) -> fonts.Styled | None:
    """The line that stands for a section's table and glossary where a summary leaves them out."""
    said = []
    if sec.table is not None:
        rows = len(sec.table.rows)
        name = f"table “{sec.table.title}”" if sec.table.title else "table"
        said.append(f"{name}: {rows} row{'s' if rows != 1 else ''}")
    if sec.terms:
        said.append(f"glossary: {len(sec.terms)} term{'s' if len(sec.terms) != 1 else ''}")
    return w.markup("; ".join(said) + " — see the revision sheet", literal=True) if said else None


def _all_sections(sections: tuple[Section, ...]) -> list[Section]:
    return [s for sec in sections for s in (sec, *_all_sections(sec.sections))]


def _content(topic: Topic, layout: Layout, w: Writer) -> _Content:
    """The text of everything the page could show, marked up once, in reading order (so that
    missing-glyph warnings name places in the order a reader meets them)."""
    top = _top(topic, w)
    sections = tuple(_section(sec, layout.max_points, w) for sec in topic.sections)
    footer = None
    if layout.page_numbers:
        w.place("footer", topic.loc)
        footer = w.markup(fill(layout.footer, placeholders(topic, layout)), literal=True)
    every = _all_sections(topic.sections)
    return _Content(top, sections, footer, total=sum(_count(s.points) for s in every),
                    capped=sum(_ordered(s.points, layout.max_points)[1] for s in every),
                    tables=sum(1 for s in every if s.table is not None))


# -- type and geometry at one scale ------------------------------------------------------------

@dataclass(frozen=True)
class Inks:
    """The preset's colours the summary uses, by name (``Palette`` sets them at run time, where a
    type checker cannot see them)."""

    text: Color
    accent: Color
    muted: Color
    box: Color
    rule: Color
    white: Color

    @classmethod
    def of(cls, pal: Palette) -> Inks:
        return cls(**{f.name: getattr(pal, f.name) for f in fields(cls)})


@dataclass(frozen=True)
class Styles:
    """The summary's paragraph styles at one scale; a new scale is a new value, never a change."""

    scale: float
    body: float
    title: ParagraphStyle
    meta: ParagraphStyle
    gist: ParagraphStyle
    h: ParagraphStyle
    h2: ParagraphStyle
    pt: ParagraphStyle
    key: ParagraphStyle
    sub: ParagraphStyle
    cell: ParagraphStyle
    cellb: ParagraphStyle
    value: ParagraphStyle
    label: ParagraphStyle
    when: ParagraphStyle
    what: ParagraphStyle
    terms: ParagraphStyle

    @classmethod
    def at(cls, layout: Layout, p: Inks, s: float) -> Styles:
        """The preset's sizes times s, none below the floor; spacing follows the body size."""
        f, B = layout.fonts, fonts.BODY

        def size(pt: float) -> float:
            return max(pt * s, FLOOR_PT)

        body = size(f["body"])
        bullet = {"leftIndent": body * 1.1, "bulletIndent": 0, "spaceAfter": body * 0.18}
        return cls(
            s, body,
            title=style("title", f"{B}-Bold", size(f["title"]), p.white, 1.15),
            meta=style("meta", B, size(f["small"] + 0.5), p.white, 1.25),
            gist=style("gist", f"{B}-Italic", size(f["body"] + 0.4), p.text, 1.28),
            h=style("h", f"{B}-Bold", size(f["heading"]), p.accent, 1.18, spaceBefore=body * 0.8,
                    spaceAfter=body * 0.25, keepWithNext=1),
            h2=style("h2", f"{B}-Bold", size(f["subheading"]), p.accent, 1.18, spaceBefore=body * 0.4,
                     spaceAfter=body * 0.15, keepWithNext=1),
            pt=style("pt", B, body, p.text, 1.2, bulletColor=p.muted, **bullet),
            key=style("key", B, body, p.text, 1.2, bulletColor=p.accent, bulletFontName=f"{B}-Bold", **bullet),
            sub=style("sub", B, size(f["body"] - 0.6), p.text, 1.18, leftIndent=body * 2.1,
                      bulletIndent=body * 1.1, spaceAfter=body * 0.1, bulletColor=p.muted),
            cell=style("cell", B, size(f["body"] - 0.8), p.text, 1.15),
            cellb=style("cellb", f"{B}-Bold", size(f["body"] - 0.8), p.text, 1.15),
            value=style("value", f"{B}-Bold", size(f["heading"]), p.accent, 1.1, alignment=TA_CENTER),
            label=style("label", B, size(f["small"]), p.muted, 1.15, alignment=TA_CENTER),
            when=style("when", f"{B}-Bold", size(f["small"] + 0.5), p.accent, 1.1),
            what=style("what", B, size(f["small"]), p.text, 1.15),
            terms=style("terms", B, size(f["body"] - 0.6), p.text, 1.18, spaceBefore=body * 0.2,
                        spaceAfter=body * 0.2))


@dataclass(frozen=True)
class Room:
    """The page's fixed geometry, in points: the printable box, the columns, the footer's band."""

    box: Box
    columns: int
    col_w: float
    gap: float
    foot_h: float           # the footer line and air above it (0 in a class pack)
    area_h: float           # everything above the footer band

    @classmethod
    def of(cls, layout: Layout) -> Room:
        box, gap = printable(layout), layout.column_gap * MM
        foot_h = max(layout.fonts["small"], FLOOR_PT) * 1.4 + 6 if layout.page_numbers else 0.0
        return cls(box, layout.columns, (box.width - gap * (layout.columns - 1)) / layout.columns, gap,
                   foot_h, box.height - foot_h)


def _balanced(n: int, most: int) -> int:
    """Items per row so that rows are as even as can be (7 + 1 becomes 4 + 4)."""
    most = max(1, min(n, most))
    rows = math.ceil(n / most)
    return math.ceil(n / rows)


def _per_row(n: int, width: float, slot: float, s: float) -> int:
    """Strip cells per row: as many slots of at least ``slot`` (scaled, but not below 80%) as fit."""
    return _balanced(n, int(width // (slot * max(s, 0.8)))) if n else 0


# -- flowables: the same for laying out and for drawing --------------------------------------------

class _Para(Paragraph):
    """A paragraph that breaks its lines once per width: frames and tables ask again at the width
    they asked before (a heading kept with its next paragraph, say)."""

    def wrap(self, availWidth, availHeight):  # noqa: N803 (ReportLab's names)
        if self.__dict__.get("_wrapped_at") == availWidth and "blPara" in self.__dict__:
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_at = availWidth
        return size


class TimelineStrip(Flowable):
    """Events along a horizontal line, in rows when there are many: the date above, what below."""

    def __init__(self, cells: list[tuple[Flowable, Flowable]], width: float, per_row: int, colour,
                 axis_gap: float):
        super().__init__()
        self.width, self.colour, self.per_row, self.axis_gap = width, colour, per_row, axis_gap
        self.cells = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
        self.slot = width / per_row

    def wrap(self, aw, ah):
        self.row_h = []
        for row in self.cells:
            when_h = max(w.wrap(self.slot - 4, 1e6)[1] for w, _ in row)
            what_h = max(t.wrap(self.slot - 4, 1e6)[1] for _, t in row)
            self.row_h.append((when_h, what_h))
        self.height = sum(a + b + 2 * self.axis_gap + 3 for a, b in self.row_h)
        return self.width, self.height

    def draw(self):
        c = self.canv
        y = self.height
        for row, (when_h, what_h) in zip(self.cells, self.row_h, strict=True):
            axis = y - when_h - self.axis_gap
            c.saveState()
            c.setStrokeColor(self.colour)
            c.setFillColor(self.colour)
            c.setLineWidth(1.2)
            c.line(0, axis, self.slot * len(row), axis)
            for i, (when, what) in enumerate(row):
                x = i * self.slot + 2
                c.circle(x + 2.2, axis, 2.2, stroke=0, fill=1)
                when.drawOn(c, x, axis + self.axis_gap * 0.6)
                what.drawOn(c, x, axis - self.axis_gap * 0.6 - what.height)
            c.restoreState()
            y -= when_h + what_h + 2 * self.axis_gap + 3


# -- texts parsed once: fragments for every layout, words for the stacked heights -------------------

_SPACE = " \t\n\r\x0b\x0c"                       # what ReportLab breaks lines at
_GAPS = re.compile(f"([{_SPACE}]+)")
_OWN_RULES = re.compile(f"[\u00ad\u200b]|[^\\S{_SPACE}\u00a0]")  # soft hyphens, zero-width and exotic spaces


class _Words(NamedTuple):
    """A paragraph's words at 1 pt, as ReportLab's line breaker sees them."""

    widths: tuple[float, ...]
    spaces: tuple[float, ...]   # the space after each word, in the font of the text it stands in (0 at the end)
    one: float                  # all of them on one line
    gaps: float                 # the spaces between them
    longest: float

    @classmethod
    def of(cls, widths: Sequence[float], spaces: Sequence[float]) -> _Words:
        if not widths:
            return cls((), (), 0.0, 0.0, 0.0)
        gaps = sum(spaces[:-1])
        return cls(tuple(widths), (*spaces[:-1], 0.0), sum(widths) + gaps, gaps, max(widths))


def _words(frags: Sequence) -> _Words | None:
    """The words of parsed text, or None where ReportLab's own rules are needed (soft hyphens,
    exotic spaces, images, breaks, sizes of their own)."""
    widths: list[float] = []
    spaces: list[float] = []
    width, in_word = 0.0, False
    for f in frags:
        text = getattr(f, "text", None)
        if text is None or hasattr(f, "cbDefn") or hasattr(f, "lineBreak") or f.fontSize != 1 \
                or _OWN_RULES.search(text):
            return None
        for piece in _GAPS.split(text):
            if piece and piece[0] in _SPACE:
                if in_word:
                    widths.append(width)
                    spaces.append(stringWidth(" ", f.fontName, 1))
                width, in_word = 0.0, False
            elif piece:
                width += stringWidth(piece, f.fontName, 1)
                in_word = True
    if in_word:
        widths.append(width)
        spaces.append(0.0)
    return _Words.of(widths, spaces)


class _Parsed(NamedTuple):
    frags: tuple            # ReportLab's fragments of the text set in one font at 1 pt
    words: _Words | None    # its words as the line breaker sees them (None: only ReportLab can say)
    scalable: bool          # the fragments at any size are these with the size multiplied


def _scalable(frags: Sequence) -> bool:
    """Fragments that scale with the type size alone: no size or rise of their own (a superscript's
    is set as it is parsed) and no image, whose size (a formula's) is fixed when it is first made."""
    return all(getattr(f, "fontSize", 1) == 1 and not getattr(f, "rise", 0) and not hasattr(f, "cbDefn")
               for f in frags)


_STYLE_INK = Color(0.1234, 0.5678, 0.9012)  # stands for the style's colour in text parsed once for every style


class _Texts:
    """Each text parsed once per plan, at 1 pt, in each font it is set in. A layout at any scale
    takes the fragments at its size, so ReportLab breaks the lines without parsing them again;
    the stacked heights take the words and break the lines by arithmetic."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, str], _Parsed] = {}
        self.units: dict[str, ParagraphStyle] = {}

    def parsed(self, markup: str, font: str) -> _Parsed:
        key = (markup, font)
        if key not in self.known:
            if font not in self.units:
                self.units[font] = ParagraphStyle(f"unit-{font}", fontName=font, fontSize=1, leading=1,
                                                  textColor=_STYLE_INK)
            frags = tuple(Paragraph(markup, self.units[font]).frags)
            self.known[key] = _Parsed(frags, _words(frags), _scalable(frags))
        return self.known[key]

    def frags(self, markup: str, style: ParagraphStyle) -> list | None:
        """The text's fragments at the style's size (copies: ReportLab's line breaker marks them), or
        None when only parsing it at that size gives them."""
        size, ink, parsed = style.fontSize, style.textColor, self.parsed(markup, style.fontName)
        if not parsed.scalable:
            return None
        return [f.clone(fontSize=f.fontSize * size, textColor=ink) if f.textColor is _STYLE_INK else
                f.clone(fontSize=f.fontSize * size) for f in parsed.frags]


def _breaks(words: _Words, first: float, later: float, shrink: float) -> tuple[int, ...] | None:
    """Where ReportLab's greedy breaker starts each line (word indices) in lines this wide (in the
    words' unit), spaces shrinking by up to ``shrink``; None for a word wider than a line (ReportLab
    cuts it)."""
    widths, spaces = words.widths, words.spaces
    if not widths:
        return ()
    if words.longest > min(first, later):
        return None
    if words.one <= first + shrink * words.gaps:  # what fits whole fits word by word
        return (0,)
    starts, width, room, squeeze, space = [0], widths[0], first, 0.0, spaces[0]
    for i in range(1, len(widths)):
        w = widths[i]
        if width + space + w > room + shrink * (squeeze + space):
            starts.append(i)
            width, room, squeeze = w, later, 0.0
        else:
            width, squeeze = width + space + w, squeeze + space
        space = spaces[i]
    return tuple(starts)


@functools.lru_cache(maxsize=64)
def _bullet_width(bullet: str, font: str, size: float) -> float:
    return stringWidth(bullet, font, size)


def _bullet_cut(style: ParagraphStyle, bullet: str | None) -> float:
    """How much shorter a bulleted paragraph's first line is, as ReportLab reckons it."""
    if not bullet:
        return 0.0
    end = style.bulletIndent + _bullet_width(bullet, style.bulletFontName, style.bulletFontSize) \
        + 0.6 * style.bulletFontSize
    return max(0.0, end - style.leftIndent - style.firstLineIndent)


class _Lines(Flowable):
    """A paragraph as the search measures it: lines broken by arithmetic from words measured once,
    at the style's size. It wraps and splits as ReportLab's Paragraph does: a split cuts the lines
    of the last wrap, whatever its width, and the parts break their words again when wrapped; no
    orphans, widows as the style says. ``real`` builds the Paragraph itself, for a word wider than
    a line."""

    def __init__(self, words: _Words, style: ParagraphStyle, bullet: str | None, real: Callable[[], Paragraph]):
        super().__init__()
        self.words, self.style, self.bullet, self.real = words, style, bullet, real
        self.starts: tuple[int, ...] | None = None  # the lines of the last wrap
        self.para: Paragraph | None = None          # the real paragraph, once a word is too wide

    def _part(self, a: int, b: int | None, bullet: str | None) -> _Lines:
        w = self.words
        return _Lines(_Words.of(w.widths[a:b], w.spaces[a:b]), self.style, bullet, self.real)

    def wrap(self, aw, ah):
        st, size = self.style, self.style.fontSize
        later = aw - st.leftIndent - st.rightIndent
        first = later - st.firstLineIndent - _bullet_cut(st, self.bullet)
        self.starts = None if self.para else _breaks(self.words, first / size, later / size, st.spaceShrinkage)
        if self.starts is None:
            self.para = self.para or self.real()
            self.width, self.height = self.para.wrap(aw, ah)
        else:
            self.width, self.height = aw, len(self.starts) * st.leading
        return self.width, self.height

    def split(self, aw, ah):
        if aw < _FUZZ or ah < _FUZZ:
            return []
        if self.para is None and self.starts is None:
            self.wrap(aw, ah)
        if self.para is not None:
            return self.para.split(aw, ah)
        st, starts = self.style, self.starts or ()
        n, fit = len(starts), int(ah / st.leading)
        if fit == 0 or (fit == 1 and not st.allowOrphans):
            self.starts = None  # ReportLab forgets its lines too
            return []
        if n <= fit:
            return [self]
        cut = fit
        if not st.allowWidows and n == fit + 1:
            if not (n > 3 or (st.allowOrphans and n == 3)):
                self.starts = None
                return []
            cut -= 1
        head = self._part(0, starts[cut], self.bullet)
        head.width, head.height = aw, fit * st.leading
        return [head, self._part(starts[cut], None, None)]


class _Piece(NamedTuple):
    """A paragraph of the columns: its text, the style it takes (a name in ``Styles``), its bullet."""

    text: fonts.Styled
    role: str
    bullet: str | None = None


def _pieces(sec: SectionPlan) -> Iterator[_Piece | TablePlan]:
    """What a section puts in the columns, in order: its heading, its points, its table and terms,
    then its nested sections."""
    yield _Piece(sec.heading, "h" if sec.level == 0 else "h2")
    if sec.pointer is not None:
        yield _Piece(sec.pointer, "terms")
    for item in sec.items:
        if item.depth == 0:
            yield _Piece(item.text, "key" if item.key else "pt", "•")
        else:
            yield _Piece(item.text, "sub", "–" if item.depth == 1 else "·")
    if sec.table is not None:
        yield sec.table
    if sec.terms is not None:
        yield _Piece(sec.terms, "terms")
    for sub in sec.sections:
        yield from _pieces(sub)


class _Flow(NamedTuple):
    """Flowables for planned content at one scale."""

    st: Styles
    ink: Inks
    shaped: Shaped          # the shaping variant of a style (for Devanagari)
    room: Room
    texts: _Texts | None = None     # given: paragraphs take their texts parsed once for the plan
    counted: bool = False           # and count their lines by arithmetic (the search's layouts)

    def para(self, text: fonts.Styled, st: ParagraphStyle, **kw) -> Flowable:
        style = self.shaped(st) if text.shaping else st
        texts = self.texts
        if texts is None:
            return _Para(text.markup, style, **kw)

        def real() -> Paragraph:
            return _Para(text.markup, style, frags=texts.frags(text.markup, style), **kw)

        words = texts.parsed(text.markup, style.fontName).words \
            if self.counted and not text.shaping and not formula.has_formula(text.markup) else None
        return real() if words is None else _Lines(words, style, kw.get("bulletText"), real)

    def top(self, top: Top, facts_per_row: int, events_per_row: int) -> list[Flowable]:
        s, p, w = self.st.scale, self.ink, self.room.box.width
        rows = [[self.para(top.title, self.st.title)]]
        if top.meta:
            rows.append([self.para(top.meta, self.st.meta)])
        band = Table(rows, colWidths=[w])
        band.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), p.accent),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 7 * s), ("RIGHTPADDING", (0, 0), (-1, -1), 7 * s),
                                  ("TOPPADDING", (0, 0), (-1, 0), 5 * s), ("TOPPADDING", (0, 1), (-1, -1), 1),
                                  ("BOTTOMPADDING", (0, -1), (-1, -1), 5 * s),
                                  ("BOTTOMPADDING", (0, 0), (-1, -2), 1)]))
        out: list[Flowable] = [band, Spacer(1, 4 * s)]
        if top.gist:
            out += [self.para(top.gist, self.st.gist), Spacer(1, 4 * s)]
        if top.facts:
            out += [self.facts(top.facts, facts_per_row), Spacer(1, 5 * s)]
        if top.events:
            cells = [(self.para(when, self.st.when), self.para(what, self.st.what)) for when, what in top.events]
            out += [TimelineStrip(cells, w, events_per_row, p.accent, self.st.when.fontSize * 0.5),
                    Spacer(1, 4 * s)]
        return out

    def facts(self, facts: tuple[tuple[fonts.Styled, fonts.Styled], ...], per_row: int) -> Table:
        s, p, w = self.st.scale, self.ink, self.room.box.width
        cells = [[self.para(value, self.st.value), self.para(label, self.st.label)] for value, label in facts]
        rows: list[list] = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
        rows[-1] += [""] * (per_row - len(rows[-1]))
        table = Table(rows, colWidths=[w / per_row] * per_row)
        table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), p.box),
                                   ("LINEAFTER", (0, 0), (-2, -1), 0.5, p.white),
                                   ("LINEBELOW", (0, 0), (-1, -2), 0.5, p.white),
                                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                   ("TOPPADDING", (0, 0), (-1, -1), 2.5 * s),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5 * s),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]))
        return table

    def section(self, sec: SectionPlan) -> list[Flowable]:
        return [self.piece(p) for p in _pieces(sec)]

    def piece(self, p: _Piece | TablePlan) -> Flowable:
        if isinstance(p, TablePlan):
            return self.table(p)
        if p.bullet:
            return self.para(p.text, getattr(self.st, p.role), bulletText=p.bullet)
        return self.para(p.text, getattr(self.st, p.role))

    def columns(self, sections: tuple[SectionPlan, ...]) -> list[Flowable]:
        return [f for sec in sections for f in self.section(sec)]

    def table(self, t: TablePlan) -> Table:
        p, total = self.ink, sum(t.weights)
        rows = [[self.para(c, self.st.cellb) for c in t.header]]
        rows += [[self.para(c, self.st.cell) for c in row] for row in t.rows]
        table = Table(rows, colWidths=[self.room.col_w * b / total for b in t.weights], repeatRows=1,
                      splitInRow=1, spaceBefore=self.st.body * 0.3, spaceAfter=self.st.body * 0.3)
        table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), p.box),
                                   ("LINEBELOW", (0, 0), (-1, -1), 0.3, p.rule),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                                   ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2)]))
        return table


def _height(flowables: list[Flowable], width: float) -> float:
    """Height of flowables stacked in one column of unlimited height."""
    total = 0.0
    for f in flowables:
        _, h = f.wrap(width, 1e6)
        total += h + f.getSpaceBefore() + f.getSpaceAfter()
    return total


class _Stand(Flowable):
    """Takes a flowable's room in a trial layout without drawing it. ReportLab's own frames place
    it, keep headings with what follows and split it, just as they will when drawing."""

    def __init__(self, inner: Flowable):
        super().__init__()
        self.inner = inner
        self.keepWithNext = inner.getKeepWithNext()  # the frames clear it on the stand-in, as on the real one

    def _on(self, call: Callable, *args):
        """Call the inner flowable with the canvas and frame the frames gave the stand-in."""
        inner = self.inner
        for name in ("canv", "_frame"):
            if name in self.__dict__:
                setattr(inner, name, self.__dict__[name])
        try:
            return call(*args)
        finally:
            for name in ("canv", "_frame"):
                inner.__dict__.pop(name, None)

    def wrap(self, aw, ah):
        self.width, self.height = self._on(self.inner.wrap, aw, ah)
        return self.width, self.height

    def split(self, aw, ah):
        return [_Stand(part) for part in self._on(self.inner.split, aw, ah)]

    def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802, N803 (ReportLab's names)
        """Draws nothing: notes where the frames put the inner piece (wrapped for this very place),
        so that the page is drawn from the trial that was kept."""
        canvas._doctemplate.placed.append(Placed(x, y, _sW, self.inner))

    def getSpaceBefore(self):  # noqa: N802 (ReportLab's name)
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self):  # noqa: N802 (ReportLab's name)
        return self.inner.getSpaceAfter()

    def draw(self):
        pass


class Placed(NamedTuple):
    """A piece of the columns where the kept trial put it: ``draw`` draws it there as it is."""

    x: float
    y: float
    slack: float            # the frame's width left over, for justified and centred lines
    ink: Flowable           # wrapped for this place; drawing it decides nothing


class _Placed(Flowable):
    """The columns of the kept trial, drawn where it put them, after the top block (so text reads in
    that order)."""

    _ZEROSIZE = True

    def __init__(self, placed: tuple[Placed, ...]):
        super().__init__()
        self.placed = placed

    def wrap(self, aw, ah):
        return 0, 0

    def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802, N803 (ReportLab's names)
        for piece in self.placed:
            piece.ink.drawOn(canvas, piece.x, piece.y, _sW=piece.slack)


class _Doc(BaseDocTemplate):
    """A document that notes where its last flowable ended, to say how many columns it filled, and
    (in a trial) where each piece would print."""

    end: tuple[int, Frame | None] = (1, None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.placed: list[Placed] = []

    def afterFlowable(self, flowable):  # noqa: N802 (ReportLab's name)
        if self.frame is not None:
            self.end = (self.page, self.frame)

    def filled(self) -> float:
        """Columns filled: the whole ones before the last flowable's, and that one as far as it went."""
        page, frame = self.end
        if frame is None:
            return 0.0
        frames = self.pageTemplate.frames
        return ((page - 1) * len(frames) + frames.index(frame)
                + (frame._y2 - frame._y) / frame._height)  # noqa: SLF001 (where the frame has got to)


def _doc(buf: io.BytesIO, layout: Layout, room: Room, top_h: float, *, top: bool = True, on_page=None,
         meta: dict[str, str] | None = None) -> _Doc:
    """The page: a full-width frame for the top block (unless ``top`` is false), then the columns down
    to the footer band."""
    box = room.box
    frames = [Frame(box.x0, box.y1 - top_h, box.width, top_h, 0, 0, 0, 0, id="top")] if top else []
    frames += [Frame(box.x0 + i * (room.col_w + room.gap), box.y0 + room.foot_h, room.col_w, room.area_h - top_h,
                     0, 0, 0, 0, id=f"c{i}") for i in range(room.columns)]
    doc = _Doc(buf, pagesize=layout.pagesize, invariant=1, **(meta or {}), leftMargin=box.x0, bottomMargin=box.y0)
    doc.addPageTemplates([PageTemplate("page", frames, onPage=on_page or (lambda canvas, doc: None))])
    return doc


# -- planning ------------------------------------------------------------------------------------

class _Stacked(NamedTuple):
    """Columns the content fills stacked in one column of their height, without layout."""

    total: float            # with every space before and after
    bare: float             # its heights alone: no layout needs fewer columns than this


class _Probe(NamedTuple):
    """One layout pass of the search: the columns at one scale laid out by ReportLab's frames,
    with lines counted by arithmetic."""

    scale: float
    fits: bool              # on one page
    needed: float           # columns the frames filled
    waste: float            # needed less the stacked total: lost at column ends, gained by overlapping spaces
    pages: float            # pages it takes


class _Waste(NamedTuple):
    """What layouts lose to column ends (and gain by overlapping spaces), in columns, by scale:
    between two passes as a straight line, beyond them as the nearest one saw."""

    seen: tuple[tuple[float, float], ...]   # (scale, waste), by scale

    def at(self, s: float) -> float:
        seen = self.seen
        if s <= seen[0][0]:
            return seen[0][1]
        for (a, wa), (b, wb) in zip(seen, seen[1:], strict=False):
            if s <= b:
                return wa + (wb - wa) * (s - a) / (b - a)
        return seen[-1][1]

    def more(self, s: float, waste: float) -> _Waste:
        return _Waste(tuple(sorted([(x, w) for x, w in self.seen if x != s] + [(s, waste)])))

    def less(self, by: float) -> _Waste:
        return _Waste(tuple((x, w - by) for x, w in self.seen))


class _Measure:
    """Lays the content out at a scale and under a policy, and stacks it, as often as the search needs."""

    def __init__(self, content: _Content, layout: Layout, ink: Inks, shaped: Shaped, room: Room):
        self.content, self.layout, self.ink, self.shaped, self.room = content, layout, ink, shaped, room
        self.texts = _Texts()
        self.tops: dict[tuple[float, bool], float] = {}  # the top block's height by scale, lines counted or not
        self.views: dict[Policy, tuple[SectionPlan, ...]] = {}  # what the sections show, by policy
        self.recipes: dict[Policy, list[_Piece | TablePlan]] = {}  # the columns' pieces, by policy
        self.stacks: dict[tuple[float, Policy], tuple[float, float]] = {}  # stacked heights: total, bare

    @property
    def floor(self) -> float:
        return FLOOR_PT / self.layout.fonts["body"]

    def flow(self, s: float, counted: bool = True) -> _Flow:
        """Flowables at scale s: the search's (lines counted by arithmetic) or ReportLab's own."""
        return _Flow(Styles.at(self.layout, self.ink, s), self.ink, self.shaped, self.room, self.texts, counted)

    def rows(self, s: float) -> tuple[int, int]:
        top, w = self.content.top, self.room.box.width
        return _per_row(len(top.facts), w, 95, s), _per_row(len(top.events), w, 78, s)

    def sections(self, policy: Policy) -> tuple[SectionPlan, ...]:
        if policy not in self.views:
            shown = (sec.under(policy) for sec in self.content.sections)
            self.views[policy] = tuple(s for s in shown if s is not None)
        return self.views[policy]

    def pieces(self, policy: Policy) -> list[_Piece | TablePlan]:
        if policy not in self.recipes:
            self.recipes[policy] = [p for sec in self.sections(policy) for p in _pieces(sec)]
        return self.recipes[policy]

    def top_height(self, s: float, counted: bool = True) -> float:
        """The top block's height at scale s; it does not depend on the policy."""
        if (s, counted) not in self.tops:
            top = self.flow(s, counted).top(self.content.top, *self.rows(s))
            self.tops[s, counted] = _height(top, self.room.box.width)
        return self.tops[s, counted]

    def _laid_out(self, s: float, policy: Policy, counted: bool) -> tuple[_Doc | None, float]:
        """The columns at scale s laid out by ReportLab's own frames below the top block's frame,
        and that frame's height; no document when the top block leaves no room or something taller
        than a column cannot be split.

        The top block's frame is 2 pt taller than its flowables stacked (none has space before or
        after), and what would come next, a heading, has more space before it than that; so the
        first page's columns get the same flowables with the top block laid out or not.
        """
        top_h = self.top_height(s, counted) + 2
        if self.room.area_h - top_h <= self.room.area_h * 0.1:  # the top block alone nearly fills the page
            return None, top_h
        doc = _doc(io.BytesIO(), self.layout, self.room, top_h, top=False)
        doc._doSave = 0  # nothing is drawn, so there is nothing to write
        try:
            doc.build([_Stand(f) for f in self.flow(s, counted).columns(self.sections(policy))])
        except LayoutError:
            return None, top_h
        return doc, top_h

    def probe(self, s: float, policy: Policy) -> _Probe:
        """One layout pass of the search: the frames' layout with lines counted by arithmetic."""
        n, area_h = self.room.columns, self.room.area_h
        doc, top_h = self._laid_out(s, policy, counted=True)
        if doc is None:
            return _Probe(s, False, math.inf, 0.0, 1 + top_h / area_h)
        needed, col_h = doc.filled(), area_h - top_h
        pages = (top_h + min(needed, n) * col_h / n) / area_h + max(0.0, needed - n) * col_h / n / area_h
        stacked = self.stacked(s, policy).total
        return _Probe(s, doc.page == 1, needed, needed - stacked if stacked < math.inf else 0.0, pages)

    def trial(self, s: float, policy: Policy) -> tuple[float, bool, tuple[Placed, ...]]:
        """The page at scale s laid out by ReportLab's frames with its own paragraphs (the texts
        parsed once, set at this scale's sizes): the top block's frame height, whether it is
        one page, and where each piece of the columns goes."""
        doc, top_h = self._laid_out(s, policy, counted=False)
        fits = doc is not None and doc.page == 1
        return top_h, fits, tuple(doc.placed) if doc is not None and fits else ()

    def stacked(self, s: float, policy: Policy) -> _Stacked:
        """The columns' content at scale s stacked in one column of their height, without layout:
        paragraphs by arithmetic, tables (and text only ReportLab can break) as flowables."""
        if (s, policy) not in self.stacks:
            flow, total, bare = self.flow(s), 0.0, 0.0
            for piece in self.pieces(policy):
                h, around = self._stack(piece, flow)
                total, bare = total + h + around, bare + h
            self.stacks[s, policy] = (total, bare)
        total, bare = self.stacks[s, policy]
        col_h = self.room.area_h - self.top_height(s) - 2
        return _Stacked(total / col_h, bare / col_h) if col_h > 0 else _Stacked(math.inf, math.inf)

    def _stack(self, piece: _Piece | TablePlan, flow: _Flow) -> tuple[float, float]:
        """A piece's height in a column, and its space before and after."""
        width = self.room.col_w
        if isinstance(piece, _Piece) and not piece.text.shaping:
            st = getattr(flow.st, piece.role)
            words = self.texts.parsed(piece.text.markup, st.fontName).words
            if words is not None:
                size, later = st.fontSize, width - st.leftIndent - st.rightIndent
                first = later - st.firstLineIndent - _bullet_cut(st, piece.bullet)
                starts = _breaks(words, first / size, later / size, st.spaceShrinkage)
                if starts is not None:
                    return len(starts) * st.leading, st.spaceBefore + st.spaceAfter
        f = flow.piece(piece)
        return f.wrap(width, 1e6)[1], f.getSpaceBefore() + f.getSpaceAfter()

    def edge(self, policy: Policy, waste: _Waste, target: float, lo: float, hi: float) -> float | None:
        """The largest scale in [lo, hi] at which the stacked columns plus the waste come to at most
        ``target`` columns (None: not even at lo). The stacked height is smooth and rises with the
        scale about as a power of it, so the edge is found on the log-log line between the
        bracket's ends (Illinois' safeguard), in a few measurements."""
        def gap(s: float) -> float:  # log of stacked over what may be stacked: <= 0 fits
            room = target - waste.at(s)
            return math.log(self.stacked(s, policy).total / room) if room > 0 else math.inf

        g_hi = gap(hi)
        if g_hi <= 0:
            return hi
        g_lo = gap(lo)
        if g_lo > 0:
            return None
        a, b, side = math.log(lo), math.log(hi), 0
        for _ in range(EDGE_STEPS):
            if b - a < 2e-3 or g_lo > -2e-3 or math.isinf(g_hi):
                break
            c = a + (b - a) * g_lo / (g_lo - g_hi)
            g_c = gap(math.exp(c))
            if g_c <= 0:
                a, g_lo = c, g_c
                g_hi, side = (g_hi / 2 if side == -1 else g_hi), -1
            else:
                b, g_hi = c, g_c
                g_lo, side = (g_lo / 2 if side == 1 else g_lo), 1
        return math.exp(a)

    def shares(self, s: float, policy: Policy) -> list[_Share]:
        """Each top-level section's share of the columns' height, largest first."""
        flow = self.flow(s)
        heights = []
        for sec in self.content.sections:
            shown = sec.under(policy)
            heights.append((sec, _height(flow.section(shown), self.room.col_w) if shown else 0.0))
        total = sum(h for _, h in heights) or 1.0
        return sorted((_Share(sec.id, sec.loc, h / total) for sec, h in heights), key=lambda x: -x.part)


class _Fit(NamedTuple):
    """What the search found under one policy."""

    best: _Probe | None     # the largest pass that fits; None: the policy does not fit even at the floor
    passes: int             # layout passes so far, all policies together
    waste: float            # what the last pass lost to column ends, for the next policy's first guess
    pages: float | None = None  # when it does not fit: pages it takes at the floor, if laid out there


def _next_scale(m: _Measure, policy: Policy, seen: _Waste, best: _Probe | None, hi: float, known: bool) -> float | None:
    """Where the next layout pass goes, or None when the best pass so far is the answer: the
    largest scale that fits is within ``CLOSE`` above it, by the passes (an overflow close above)
    or by the stacked heights, even with the waste ``NOISE`` lower than the passes saw."""
    n, floor = m.room.columns, m.floor
    if best is None:
        return m.edge(policy, seen, n * (1 - MARGIN), floor, hi) or floor
    top = best.scale * (1 + CLOSE)
    if best.scale >= hi or (known and hi <= top):
        return None
    hopeful = m.edge(policy, seen.less(NOISE), n, best.scale, hi)
    if hopeful is None or hopeful <= top:
        return None
    return min(max(m.edge(policy, seen, n * (1 - MARGIN), best.scale, hi) or top, top), hi)


def _fit(m: _Measure, policy: Policy, passes: int, waste: float) -> _Fit:
    """The largest scale at which the columns fit under one policy, to within ``CLOSE``.

    Each layout pass goes where the stacked heights, with the waste the
    passes saw, say the columns will just fit; the answer is a pass that
    fits. Stacked heights need no frames and cost a sixth of a layout, so
    they are asked for freely. A policy whose heights alone overfill the
    columns at the floor is passed over without a layout.
    """
    n, floor = m.room.columns, m.floor
    if m.stacked(1.0, policy).total + waste > n and m.stacked(floor, policy).bare > n * (1 + SURE):
        return _Fit(None, passes, waste)
    best: _Probe | None = None
    hi, known = 1.0, False  # scales above hi overflow; known: hi itself was seen to
    seen: _Waste | None = None
    for _ in range(PROBES):
        s = _next_scale(m, policy, seen or _Waste(((1.0, waste),)), best, hi, known)
        if s is None:
            break
        probe = m.probe(s, policy)
        passes, waste = passes + 1, probe.waste
        seen = seen.more(s, waste) if seen else _Waste(((s, waste),))
        if probe.fits:
            best = probe
        elif s <= floor:
            return _Fit(None, passes, waste, probe.pages)
        else:
            hi, known = s * (1 - 1e-4), True
    if best is None:  # no more guessing: the floor decides
        probe = m.probe(floor, policy)
        passes, waste = passes + 1, probe.waste
        if not probe.fits:
            return _Fit(None, passes, waste, probe.pages)
        best = probe
    return _Fit(best, passes, waste)


class _Share(NamedTuple):
    """A top-level section's part of the columns, for saying what takes the room."""

    id: str
    loc: Loc
    part: float


def _largest(shares: list[_Share], topic: Topic) -> Loc:
    """Where an overflow is reported: at the section that takes the most room."""
    return shares[0].loc if shares else topic.loc


def _search(m: _Measure, topic: Topic) -> tuple[Policy, float, int]:
    """The first policy that fits at some scale, with the largest such scale and the passes taken."""
    passes, pages, waste = 0, None, WASTE
    for policy in POLICIES:
        fit = _fit(m, policy, passes, waste)
        passes, waste, pages = fit.passes, fit.waste, fit.pages
        if fit.best is not None:
            return policy, fit.best.scale, passes
    if pages is None:  # the leanest policy was never laid out: its heights alone were too many
        pages = m.probe(m.floor, POLICIES[-1]).pages
    # nothing fits: say which sections take the room, at the floor, under the leanest policy
    shares = m.shares(m.floor, POLICIES[-1])
    largest = ", ".join(f"{s.id} ({s.part:.0%})" for s in shares[:3])
    raise NotesError(Problem.at(_largest(shares, topic), "", (
        f"summary of {topic.id} needs {pages:.1f} pages at {FLOOR_PT} pt, even without sub-points, terms "
        f"and tables; largest sections: {largest}; pick sections with -s or mark fewer points key: true")))


def _one_page(m: _Measure, topic: Topic, policy: Policy, scale: float) -> tuple[float, float, int,
                                                                            tuple[Placed, ...]]:
    """The searched scale if ReportLab's frames with its own paragraphs agree that it is one page,
    else a little smaller. The search's layouts count lines as ReportLab breaks them, so they agree;
    should they not, this catches it. Returns the scale, the top block's frame height, the
    layouts tried and where the kept layout put each piece."""
    for tries in range(1, TRIES + 1):
        top_h, fits, placed = m.trial(scale, policy)
        if fits:
            return scale, top_h, tries, placed
        scale = max(scale * 0.98, m.floor)
    shares = m.shares(scale, policy)
    raise NotesError(Problem.at(_largest(shares, topic), "", f"summary of {topic.id} does not fit on one page "
                                f"at {FLOOR_PT} pt; pick sections with -s"))


@dataclass(frozen=True)
class SummaryPlan:
    """Every decision of a summary page: ``draw`` only carries it out."""

    topic: Topic = field(repr=False)
    layout: Layout = field(repr=False)
    scale: float            # of the preset's type sizes and spacing
    pt: float               # the body type size that gives
    policy: Policy          # what is left out to fit
    shown: int              # points on the page, all levels
    total: int              # points in the picked sections, all levels
    capped: int             # points --max-points leaves out
    tables: int             # tables in the picked sections (shown unless the policy leaves them out)
    passes: int             # layouts of the columns by ReportLab's frames: the search's, then the page's own
    room: Room
    top_h: float            # height of the top block's frame
    facts_per_row: int
    events_per_row: int
    top: Top
    sections: tuple[SectionPlan, ...]   # what the columns show, in order
    footer: fonts.Styled | None
    warnings: tuple[Problem, ...]       # characters no font has, where they stand
    placed: tuple[Placed, ...] = field(default=(), repr=False, compare=False)  # the columns, as the trial laid them

    @property
    def columns(self) -> int:
        return self.room.columns

    @property
    def left_out(self) -> str:
        """What the policy leaves out, in words ("sub-points and terms"), or ''."""
        return self.policy.left_out(self.tables)

    def report(self) -> str:
        """The line the build prints: what was shown, at what size, and what was left out and why."""
        reasons = [f"{self.left_out} left out to fit" if self.left_out else "",
                   f"--max-points {self.layout.max_points} leaves out {self.capped}" if self.capped else ""]
        reasons = [r for r in reasons if r]
        return (f"summary of {self.topic.id}: {self.shown} of {self.total} points shown at {self.pt:.1f} pt"
                + (f"; {'; '.join(reasons)}" if reasons else "") + f" ({self.passes} layout passes)")


def plan(topic: Topic, layout: Layout) -> SummaryPlan:
    """The whole topic on one page: the largest type that fits, and what is left out to fit.

    Raises ``NotesError`` at the largest section when the topic cannot fit even at 6.5 pt with
    sub-points, terms and tables left out.
    """
    pal = Palette(layout)
    writer = Writer(topic, pal)
    content = _content(topic, layout, writer)
    m = _Measure(content, layout, Inks.of(pal), writer.shaped, Room.of(layout))
    policy, scale, passes = _search(m, topic)
    scale, top_h, tries, placed = _one_page(m, topic, policy, scale)
    sections = m.sections(policy)
    return SummaryPlan(topic, layout, scale, max(layout.fonts["body"] * scale, FLOOR_PT), policy,
                       sum(s.shown for s in sections), content.total, content.capped, content.tables,
                       passes + tries, m.room, top_h, *m.rows(scale), content.top, sections, content.footer,
                       writer.warnings(), placed)


# -- drawing -------------------------------------------------------------------------------------

def _footer(plan: SummaryPlan, flow: _Flow, footer: fonts.Styled):
    """The page callback that draws the rule and the footer line."""
    box, ink, foot_h = plan.room.box, flow.ink, plan.room.foot_h
    small = style("foot", fonts.BODY, max(plan.layout.fonts["small"], FLOOR_PT), ink.muted, 1.2,
                  alignment=TA_CENTER)

    def draw_footer(canvas, doc):
        canvas.saveState()
        canvas.setStrokeColor(ink.rule)
        canvas.setLineWidth(0.5)
        canvas.line(box.x0, box.y0 + foot_h - 4, box.x1, box.y0 + foot_h - 4)
        para = flow.para(footer, small)
        para.wrap(box.width, foot_h)
        para.drawOn(canvas, box.x0, box.y0)
        canvas.restoreState()

    return draw_footer


def draw(plan: SummaryPlan) -> Rendered:
    """The page the plan describes, as PDF bytes."""
    pal = Palette(plan.layout)
    writer = Writer(plan.topic, pal)  # registers the fonts; gives the shaping variant of a style
    ink = Inks.of(pal)
    flow = _Flow(Styles.at(plan.layout, ink, plan.scale), ink, writer.shaped, plan.room)
    columns = [_Placed(plan.placed)] if plan.placed else flow.columns(plan.sections)  # a plan made by hand: lay out
    story = flow.top(plan.top, plan.facts_per_row, plan.events_per_row) + columns
    buf = io.BytesIO()
    doc = _doc(buf, plan.layout, plan.room, plan.top_h, meta=metadata(plan.topic, plan.layout, "summary"),
               on_page=_footer(plan, flow, plan.footer) if plan.footer is not None else None)
    doc.build(story)
    if doc.page != 1:  # the plan's trial layout is this very layout
        raise RuntimeError(f"summary of {plan.topic.id}: planned one page, drew {doc.page}")
    return Rendered(buf.getvalue(), 1, plan.warnings, (plan.report(),))


def render(topic: Topic, layout: Layout) -> Rendered:
    """The whole topic on exactly one page, as PDF bytes."""
    return draw(plan(topic, layout))
