"""The revision sheet: dense multi-column notes with a title band, numbered sections,
facts boxes, timelines, glossaries, tables, sources, running headers and bookmarks.

``plan`` makes every decision: the title band's form, the width of every table
column, the spacing ("squeeze") that saves a nearly empty last page, where each
piece lands on which page, and which section heads each page. It lets Platypus
lay the story out to paginate, but nothing is drawn: the frames note where each
piece would print. ``draw`` replays that on a canvas. The pieces a plan places
ride along with it (``Block.ink``), wrapped and split exactly as they were
measured, so a sheet is laid out once, not once to plan and again to draw.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    LayoutError,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .. import fonts, markup, text
from ..errors import Loc, NotesError, Problem
from ..load.presets import Layout
from ..model import Section, Topic, iter_points
from ..model import Table as NotesTable
from ..style import MM
from . import Rendered
from .common import Box, Palette, Writer, paged_canvas, printable, style
from .page import fill, metadata, placeholders, set_metadata

BULLETS = ("•", "–", "·")
SPARSE_LAST_PAGE = 6  # paragraphs or tables; fewer than this on the last page is worth a tighter try
SQUEEZES = (0.85, 0.7)  # the tighter spacings tried, in turn, to save that page
BAND_LIMIT = 0.4  # of the printable height: a taller title band sends the gist, then the subject line, to the columns
BAND_CAP = 0.5  # of the printable height: the most the title band's frame may take
BAND_GAP = 8  # points between the title band and the columns
CELL_PAD = 6.5  # a table cell's left and right padding, and a little air
LABEL_PAD = 9  # the same for the first column of a timeline or glossary

# -- the plan ---------------------------------------------------------------


@dataclass(frozen=True)
class Rect:
    """A frame on the page, in points from its bottom left corner."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Band:
    """The title band: whether the subject line and the gist print in it (or flow in the first column)."""

    meta_in_band: bool
    gist_in_band: bool  # False when the gist flows, and when there is none
    height: float  # of its frame


@dataclass(frozen=True)
class Widths:
    """The column widths of one facts box, timeline, glossary or table."""

    section: str  # the section's id
    what: str  # "facts", "timeline", "terms" or "table"
    widths: tuple[float, ...]


@dataclass(frozen=True)
class Mark:
    """A heading's bookmark and outline entry."""

    key: str
    title: str
    level: int  # 0 for a section, 1 for a sub-section


@dataclass(frozen=True)
class Block:
    """One laid-out piece (a paragraph, a table or the part of one that fits, a space) where it prints."""

    frame: int  # index into its page's frames
    x: float
    y: float  # its bottom left corner
    width: float
    height: float
    kind: str  # "heading", "text", "table" or "space"
    mark: Mark | None = None  # a heading's bookmark
    slack: float = 0.0  # the frame width the piece leaves free (ReportLab aligns by it)
    ink: Any = field(default=None, compare=False, repr=False)  # the flowable, as it was wrapped and split


@dataclass(frozen=True)
class Line:
    """A running header or footer: its text, where it prints, and the rule that sets it off."""

    text: str
    x0: float
    x1: float
    y: float
    height: float  # the band it prints in
    rule_y: float


@dataclass(frozen=True)
class Page:
    number: int
    section: str  # the section that heads the page: what the header's {section} prints
    frames: tuple[Rect, ...]
    blocks: tuple[Block, ...]
    header: Line | None
    footer: Line | None


@dataclass(frozen=True)
class RevisionPlan:
    topic: Topic = field(repr=False)
    layout: Layout = field(repr=False)
    squeeze: float  # 1, or the tighter spacing that saved the last page
    band: Band
    widths: tuple[Widths, ...]
    pages: tuple[Page, ...]
    warnings: tuple[Problem, ...]

    def widths_of(self, section: str, what: str) -> tuple[float, ...]:
        return next(w.widths for w in self.widths if (w.section, w.what) == (section, what))


# -- the decisions, as functions of numbers -----------------------------------


def column_widths(rows: Sequence[Sequence[str]], col_w: float, measure: Callable[[str], float]) -> list[float]:
    """Every column at least as wide as its longest word (so words are not cut), the rest of the width
    shared by how much text each column holds; when the longest words alone overflow the width, by
    text alone. ``rows`` are plain texts, the header row first."""
    n = len(rows[0])
    need = [max(measure(word) for r in rows for word in r[i].split() or [""]) + CELL_PAD for i in range(n)]
    bulk = [math.sqrt(sum(len(r[i]) for r in rows)) + 1 for i in range(n)]
    if sum(need) >= col_w:  # too many long words to avoid cutting: share by bulk alone
        return [col_w * b / sum(bulk) for b in bulk]
    spare = col_w - sum(need)
    return [need[i] + spare * bulk[i] / sum(bulk) for i in range(n)]


def label_column(labels: Sequence[str], col_w: float, measure: Callable[[str], float], low: float,
                 high: float) -> list[float]:
    """A timeline's or glossary's two columns: the first as wide as its widest label, but no less than
    ``low`` and no more than ``high`` of the column; the text takes the rest."""
    widest = max(measure(label) for label in labels) + LABEL_PAD
    first = min(max(widest, col_w * low), col_w * high)
    return [first, col_w - first]


def band_form(height: Callable[[bool, bool], float], limit: float, gist: bool) -> tuple[bool, bool]:
    """Whether the subject line and the gist stay in the title band, given the band's ``height(meta_in,
    gist_in)``: while it is taller than ``limit``, the gist leaves first, then the subject line."""
    if height(True, gist) <= limit:
        return True, gist
    if gist and height(True, False) <= limit:
        return True, False
    return False, False


def printed(blocks: Sequence[Block]) -> int:
    """Paragraphs and tables (spaces print nothing)."""
    return sum(1 for b in blocks if b.kind != "space")


def worth_squeezing(pages: Sequence[Sequence[Block]]) -> bool:
    """A last page with only a few lines on it is worth a tighter try."""
    return len(pages) > 1 and printed(pages[-1]) < SPARSE_LAST_PAGE


def page_sections(pages: Sequence[Sequence[Block]]) -> tuple[str, ...]:
    """The section that heads each page: the one whose heading is the first thing printed on it, else the
    one that runs on from the page before."""
    current, out = "", []
    for blocks in pages:
        top, seen = current, 0
        for b in blocks:
            if b.mark is not None and b.mark.level == 0:
                current = b.mark.title
                top = current if seen == 0 else top
            seen += b.kind != "space"
        out.append(top)
    return tuple(out)


def column_rects(box: Box, columns: int, col_w: float, gap: float, top: float, foot: float) -> tuple[Rect, ...]:
    """The columns of a page, between ``top`` and the footer band."""
    return tuple(Rect(box.x0 + i * (col_w + gap), box.y0 + foot, col_w, top - box.y0 - foot) for i in range(columns))


# -- styles -------------------------------------------------------------------


@dataclass(frozen=True)
class Inks:
    """The palette's colours by name (``Palette`` sets them at run time, out of a type checker's sight)."""

    accent: Any
    box: Any
    rule: Any
    text: Any
    muted: Any
    white: Any

    @classmethod
    def of(cls, pal: Palette) -> Inks:
        given = vars(pal)
        return cls(**{name: given[name] for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Styles:
    """Every paragraph style of one sheet."""

    h1: ParagraphStyle
    h2: ParagraphStyle
    label: ParagraphStyle  # a facts box's, timeline's, glossary's or table's name
    label_next: ParagraphStyle  # "Check yourself", kept with the first question
    label_gap: float  # the space above such a label
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    when: ParagraphStyle  # a timeline's dates
    small: ParagraphStyle  # notes under a fact
    points: tuple[ParagraphStyle, ...]  # by depth
    numbered: ParagraphStyle  # sources
    title: ParagraphStyle
    meta: ParagraphStyle  # the subject line in the band
    gist: ParagraphStyle  # the gist in the band
    meta_flow: ParagraphStyle  # the subject line when it flows in the columns
    gist_flow: ParagraphStyle
    header: ParagraphStyle
    footer: ParagraphStyle


def styles(layout: Layout, ink: Inks, squeeze: float = 1.0) -> Styles:
    """The styles at the preset's sizes; ``squeeze`` < 1 tightens the spacing (never the type)."""
    f, body, q = layout.fonts, layout.fonts["body"], squeeze
    regular, bold, italic = fonts.BODY, f"{fonts.BODY}-Bold", f"{fonts.BODY}-Italic"
    lead = 1.24 - (1 - q) * 0.25
    cell = max(body - 0.6, 7.0)
    return Styles(
        h1=style("h1", bold, f["heading"], ink.accent, 1.2, spaceBefore=f["heading"] * 0.75 * q,
                 spaceAfter=f["heading"] * 0.45 * q, keepWithNext=1),
        h2=style("h2", bold, f["subheading"], ink.accent, 1.2, spaceBefore=f["subheading"] * 0.7 * q,
                 spaceAfter=f["subheading"] * 0.35 * q, keepWithNext=1),
        label=style("label", bold, max(f["small"], 7.0), ink.accent, 1.2),
        label_next=style("label-next", bold, max(f["small"], 7.0), ink.accent, 1.2, spaceAfter=body * 0.2,
                         keepWithNext=1),
        label_gap=body * 0.5 * q,
        cell=style("cell", regular, cell, ink.text, 1.22),
        cell_bold=style("cellb", bold, cell, ink.text, 1.22),
        when=style("when", bold, cell, ink.accent, 1.22),
        small=style("small", regular, f["small"], ink.muted, 1.25),
        points=tuple(style(f"p{d}", regular, max(body - 0.4 * d, 7.0), ink.text, lead, leftIndent=9 + 10 * d,
                           bulletIndent=1 + 10 * d, bulletFontName=bold if d == 0 else regular,
                           bulletColor=ink.accent, spaceAfter=body * (0.2 if d == 0 else 0.1) * q)
                     for d in range(3)),
        numbered=style("numbered", regular, body, ink.text, lead, leftIndent=13, bulletIndent=0,
                       bulletFontName=bold, bulletColor=ink.accent, spaceAfter=body * 0.15 * q),
        title=style("title", bold, f["title"], ink.white, 1.15),
        meta=style("meta", regular, max(body, 7.5), ink.white, 1.3),
        gist=style("gist", italic, body + 0.6, ink.text, 1.3),
        meta_flow=style("meta-flow", regular, body, ink.muted, 1.25, spaceAfter=body * 0.5),
        gist_flow=style("gist-flow", italic, body, ink.text, 1.25, spaceAfter=body),
        header=style("hf", regular, f["small"], ink.muted, 1.2),
        footer=style("hfc", regular, f["small"], ink.muted, 1.2, alignment=TA_CENTER),
    )


# -- the story ----------------------------------------------------------------


class Heading(Paragraph):
    """A section heading: bookmarked, followed in the running header, ruled underneath."""

    def __init__(self, text, pstyle, *, key: str, title: str, level: int, rule=None):
        super().__init__(text, pstyle)
        self.key, self.title, self.level, self.rule = key, title, level, rule

    def draw(self):
        super().draw()
        if self.rule is not None:
            c = self.canv
            c.saveState()
            c.setStrokeColor(self.rule)
            c.setLineWidth(0.8 if self.level == 0 else 0.4)
            c.line(0, -2, self.width, -2)
            c.restoreState()


def _meta_line(t: Topic) -> str:
    return " · ".join(x for x in (t.subject, *t.syllabus, f"updated {t.updated}" if t.updated else None) if x)


class _Sheet:
    """Builds the story of one revision sheet, noting its width decisions and which part of the notes
    each piece comes from (to name it when it cannot be laid out)."""

    def __init__(self, topic: Topic, layout: Layout, squeeze: float = 1.0):
        self.topic, self.layout = topic, layout
        self.pal = Palette(layout)
        self.ink = Inks.of(self.pal)
        self.w = Writer(topic, self.pal)
        self.box = printable(layout)
        gap = layout.column_gap * MM
        self.col_w = (self.box.width - gap * (layout.columns - 1)) / layout.columns
        self.st = styles(layout, self.ink, squeeze)
        self.widths: list[Widths] = []
        self.owners: dict[int, tuple[Any, Loc, str]] = {}  # id → (flowable, where it comes from, what it is)
        self.band = Band(True, bool(topic.summary), 0.0)
        self._bands: dict[tuple[bool, bool], Table] = {}

    def _own(self, items: list, at: Loc, where: str) -> list:
        for item in items:
            self.owners[id(item)] = (item, at, where)  # the flowable is kept, so its id stays its own
        return items

    # -- pieces -----------------------------------------------------------
    def title_band(self, meta_in_band: bool, gist_in_band: bool) -> Table:
        key = (meta_in_band, gist_in_band)
        if key not in self._bands:
            self._bands[key] = self._title_band(meta_in_band, gist_in_band)
        return self._bands[key]

    def _title_band(self, meta_in_band: bool, gist_in_band: bool) -> Table:
        t, p, st = self.topic, self.ink, self.st
        meta = _meta_line(t)
        rows = [[self.w.para(t.title, st.title)]]
        if meta and meta_in_band:
            rows.append([self.w.para(meta, st.meta)])
        last = len(rows) - 1
        cmds: list[tuple] = [("BACKGROUND", (0, 0), (-1, last), p.accent),
                             ("LEFTPADDING", (0, 0), (-1, -1), 9), ("RIGHTPADDING", (0, 0), (-1, -1), 9),
                             ("TOPPADDING", (0, 0), (-1, 0), 8), ("BOTTOMPADDING", (0, last), (-1, last), 8),
                             ("TOPPADDING", (0, 1), (-1, -1), 2)]
        if t.summary and gist_in_band:
            self.w.place("summary", t.loc)
            rows.append([self.w.para(t.summary, st.gist)])
            n = len(rows) - 1
            cmds += [("BACKGROUND", (0, n), (-1, n), p.box), ("TOPPADDING", (0, n), (-1, n), 6),
                     ("BOTTOMPADDING", (0, n), (-1, n), 7), ("LINEBELOW", (0, n), (-1, n), 1.2, p.accent)]
        table = Table(rows, colWidths=[self.box.width])
        table.setStyle(TableStyle(cmds))
        return table

    def _band_height(self, meta_in_band: bool, gist_in_band: bool) -> float:
        height: float = self.title_band(meta_in_band, gist_in_band).wrap(self.box.width, 1e6)[1]
        return height

    def opening(self) -> list:
        """The title band, and what flows in the columns instead when a very long gist or syllabus
        would make the band taller than a good part of the page."""
        t = self.topic
        meta_in, gist_in = band_form(self._band_height, self.box.height * BAND_LIMIT, bool(t.summary))
        band = self.title_band(meta_in, gist_in)
        flow: list = []
        if t.summary and not gist_in:
            self.w.place("summary", t.loc)
            flow.append(self.w.para(t.summary, self.st.gist_flow))
        if not meta_in:
            flow.insert(0, self.w.para(_meta_line(t), self.st.meta_flow))
        height = min(band.wrap(self.box.width, self.box.height)[1], self.box.height * BAND_CAP)
        self.band = Band(meta_in, gist_in, height)
        return self._own([band, NextPageTemplate("later"), *flow], t.loc, "title band")

    def points(self, sec: Section) -> list:
        out: list[Paragraph] = []
        for pt, depth in iter_points(sec.points):
            if out and markup.displayed(pt.text):
                out[-1].keepWithNext = 1  # a point that is a display formula stays with the point it follows
            out.append(self.w.para(pt.text, self.st.points[depth], bulletText=BULLETS[depth]))
        return out

    def titled(self, label: str, rows: list[list], widths: list[float], cmds: list, head: int = 0) -> list:
        """A table whose first row is its label: the label repeats when the table runs on in the
        next column, and a label never stands alone at the foot of a column."""
        n = len(widths)
        table = Table([[self.w.para(label, self.st.label), *[""] * (n - 1)], *rows], colWidths=widths,
                      repeatRows=1 + head, splitInRow=1)
        table.setStyle(TableStyle([
            ("SPAN", (0, 0), (-1, 0)), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, 0), 0), ("TOPPADDING", (0, 0), (-1, 0), self.st.label_gap),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 1.5),
            ("LEFTPADDING", (0, 1), (-1, -1), 4), ("RIGHTPADDING", (0, 1), (-1, -1), 4),
            ("TOPPADDING", (0, 1), (-1, -1), 2), ("BOTTOMPADDING", (0, 1), (-1, -1), 2), *cmds]))
        return [table, Spacer(1, 3)]

    def _decided(self, sec: Section, what: str, widths: list[float]) -> list[float]:
        self.widths.append(Widths(sec.id, what, tuple(widths)))
        return widths

    def facts(self, sec: Section) -> list:
        st, rows = self.st, []
        for fact in sec.facts:
            value = self.w.para(fact.value, st.cell, bold=True)
            cell = [value] + ([self.w.para(fact.note, st.small)] if fact.note else [])
            rows.append([self.w.para(fact.label, st.cell), cell])
        p, cw = self.ink, self.col_w
        widths = self._decided(sec, "facts", [cw * 0.5, cw * 0.5])
        return self._own(self.titled("Key numbers", rows, widths, [
            ("BACKGROUND", (0, 1), (-1, -1), p.box), ("BOX", (0, 1), (-1, -1), 0.6, p.rule),
            ("LINEBELOW", (0, 1), (-1, -2), 0.3, p.rule)]), sec.facts[0].loc, f"key numbers of section '{sec.id}'")

    def timeline(self, sec: Section) -> list:
        st = self.st
        rows = [[self.w.para(e.when, st.when), self.w.para(e.what, st.cell)] for e in sec.timeline]
        widths = label_column([e.when for e in sec.timeline], self.col_w, lambda s: self._width(s, st.when),
                              0.16, 0.38)
        return self._own(self.titled("Timeline", rows, self._decided(sec, "timeline", widths), [
            ("LINEAFTER", (0, 1), (0, -1), 1.4, self.ink.accent), ("TOPPADDING", (0, 1), (-1, -1), 1.6),
            ("BOTTOMPADDING", (0, 1), (-1, -1), 1.6)]), sec.timeline[0].loc, f"timeline of section '{sec.id}'")

    def terms(self, sec: Section) -> list:
        st = self.st
        rows = [[self.w.para(t.term, st.cell_bold), self.w.para(t.meaning, st.cell)] for t in sec.terms]
        widths = label_column([t.term for t in sec.terms], self.col_w, lambda s: self._width(s, st.cell_bold),
                              0.18, 0.4)
        return self._own(self.titled("Terms", rows, self._decided(sec, "terms", widths), [
            ("LINEBELOW", (0, 1), (-1, -2), 0.3, self.ink.rule), ("LEFTPADDING", (0, 1), (-1, -1), 3)]),
            sec.terms[0].loc, f"terms of section '{sec.id}'")

    def table(self, sec: Section, t: NotesTable) -> list:
        p, st = self.ink, self.st
        head = [self.w.para(c, st.cell_bold) for c in t.columns]
        body = [[self.w.para(c, st.cell) for c in row] for row in t.rows]
        plain = [[markup.plain(c) for c in row] for row in (t.columns, *t.rows)]
        widths = column_widths(plain, self.col_w, lambda word: self._width(word, st.cell_bold))
        return self._own(self.titled(t.title or "Table", [head, *body], self._decided(sec, "table", widths), [
            ("BACKGROUND", (0, 1), (-1, 1), p.box), ("LINEBELOW", (0, 1), (-1, 1), 0.9, p.accent),
            ("LINEBELOW", (0, 2), (-1, -2), 0.3, p.rule), ("BOX", (0, 1), (-1, -1), 0.5, p.rule),
            ("LEFTPADDING", (0, 1), (-1, -1), 3), ("RIGHTPADDING", (0, 1), (-1, -1), 3)], head=1),
            t.loc, f"table of section '{sec.id}'")

    def cards(self, sec: Section) -> list:
        out = [Spacer(1, self.st.label_gap), self.w.para("Check yourself", self.st.label_next, literal=True)]
        st = self.st.points[0]
        for i, card in enumerate(sec.cards, 1):
            (q, a), shaping = self.w.joined((card.q, False), (card.a, False))
            text = f"<b>{q.markup}</b><br/><i>Answer:</i> {a.markup}"
            out.append(self.w.paragraph(fonts.Styled(text, shaping), st, bulletText=f"Q{i}"))
        return out

    def _width(self, text: str, st: ParagraphStyle) -> float:
        width: float = stringWidth(markup.plain(text), st.fontName, st.fontSize)
        return width

    # -- the whole sheet --------------------------------------------------
    def heading(self, sec: Section, level: int) -> list:
        st = self.st.h1 if level == 0 else self.st.h2
        styled = self.w.markup(sec.title)
        gap = " " if styled.shaping else "&nbsp;&nbsp;"  # a shaped paragraph needs one font per word
        heading = Heading(f"{sec.number}{gap}{styled.markup}", self.w.shaped(st) if styled.shaping else st,
                          key=f"s-{sec.id}", title=f"{sec.number} {markup.plain(sec.title)}", level=level,
                          rule=self.ink.rule if level == 0 else None)
        return [CondPageBreak(st.fontSize * 4), heading]

    def section(self, sec: Section, level: int) -> list:
        self.w.place(f"section '{sec.id}'", sec.loc)
        out = self._own(self.heading(sec, level) + self.points(sec), sec.loc, f"section '{sec.id}'")
        if sec.facts:
            out += self.facts(sec)
        if sec.timeline:
            out += self.timeline(sec)
        if sec.table is not None:
            out += self.table(sec, sec.table)
        if sec.terms:
            out += self.terms(sec)
        if sec.cards:
            out += self._own(self.cards(sec), sec.cards[0].loc, f"section '{sec.id}'")
        for sub in sec.sections:
            out += self.section(sub, 1)
        return out

    def sources(self) -> list:
        self.w.place("sources", self.topic.loc)
        p = self.pal
        out: list = [Heading("Sources", self.st.h1, key="s--sources", title="Sources", level=0, rule=self.ink.rule)]
        for i, src in enumerate(self.topic.sources, 1):
            if src.url:
                (title, shown), shaping = self.w.joined((src.title, False), (src.url, True))
                text = (f'<link href="{_href(src.url)}" color="{p.hex("link")}"><u>{title.markup}</u></link> '
                        f'<font size="{max(self.layout.fonts["small"], 7)}" color="{p.hex("muted")}">'
                        f'{shown.markup}</font>')
            else:
                styled = self.w.markup(src.title)
                text, shaping = styled.markup, styled.shaping
            st = self.st.numbered
            out.append(self.w.paragraph(fonts.Styled(text, shaping), st, bulletText=f"{i}."))
        # A short list is kept whole: a lone source at the top of a new page helps nobody.
        whole = [KeepTogether(out)] if len(out) <= 12 else [CondPageBreak(self.st.h1.fontSize * 4), *out]
        return self._own(whole, self.topic.loc, "sources")

    def story(self) -> list:
        story: list = self.opening()
        for sec in self.topic.sections:
            story += self.section(sec, 0)
        if self.topic.sources:
            story += self.sources()
        return story


def _href(url: str) -> str:
    """A link target safe in ReportLab markup: non-ASCII and quotes percent-encoded, then escaped."""
    return fonts.escape(quote(url, safe=":/?#[]@!$&'()*+,;=%~-._"), quote=True)


# -- laying out without drawing -------------------------------------------------


def piece_kind(flowable: Any) -> str:
    """What a laid-out piece is, for its Block; a flowable of an engine's own may name itself (``piece``)."""
    if isinstance(flowable, Heading):
        return "heading"
    if isinstance(flowable, Paragraph):
        return "text"
    if isinstance(flowable, Table):
        return "table"
    return str(getattr(flowable, "piece", "space"))


def piece_size(flowable: Any) -> tuple[float, float]:
    """The size the piece was wrapped to (a conditional page break has none)."""
    if isinstance(flowable, Table):
        return flowable._width, flowable._height
    if isinstance(flowable, CondPageBreak):
        return 0.0, 0.0
    return flowable.width, flowable.height


class MeasuredColumn(Frame):
    """A frame that notes where each piece would print, and draws nothing."""

    def __init__(self, rect: Rect, index: int):
        super().__init__(rect.x, rect.y, rect.width, rect.height, leftPadding=0, rightPadding=0, topPadding=0,
                         bottomPadding=0, id=str(index))
        self.index = index  # frames are deep-copied to try a fit, so they hold no more than this

    def add(self, flowable, canv, trySplit=0):  # noqa: N803 (ReportLab's name)
        spot: list[tuple[float, float, float]] = []
        # Platypus draws a piece as soon as it fits; here the piece only says where it would be
        flowable.drawOn = lambda _canvas, x, y, _sW=0: spot.append((x, y, _sW))  # noqa: N803
        try:
            done = super().add(flowable, canv, trySplit)
        finally:
            del flowable.drawOn
        if spot:
            x, y, slack = spot[0]
            width, height = piece_size(flowable)
            mark = Mark(flowable.key, flowable.title, flowable.level) if isinstance(flowable, Heading) else None
            canv._doctemplate.note(Block(self.index, x, y, width, height, piece_kind(flowable), mark, slack, flowable))
        return done


class Measure(BaseDocTemplate):
    """Lays the story out as a build would, keeping the pages' pieces instead of drawing them, and
    remembering which part of the notes is being laid out, to name it when it does not fit."""

    def __init__(self, layout: Layout, owners: dict[int, tuple[Any, Loc, str]] | None = None):
        super().__init__(io.BytesIO(), pagesize=layout.pagesize)
        self._doSave = 0  # nothing is drawn, so there is nothing to write
        self.owners = owners or {}
        self.laid: list[list[Block]] = []
        self.piece: tuple[Loc, str] = (Loc(), "")

    def note(self, block: Block) -> None:
        self.laid[-1].append(block)

    def handle_pageBegin(self):  # noqa: N802 (ReportLab's name)
        super().handle_pageBegin()
        self.laid.append([])

    def handle_flowable(self, flowables):
        owner = self.owners.get(id(flowables[0]))
        if owner is not None:  # pieces split off a flowable belong where it does
            self.piece = owner[1], owner[2]
        super().handle_flowable(flowables)


@dataclass(frozen=True)
class _Attempt:
    """One layout of the sheet at one spacing."""

    sheet: _Sheet
    squeeze: float
    first: tuple[Rect, ...]  # the first page's frames: the title band, then the columns
    later: tuple[Rect, ...]
    laid: tuple[tuple[Block, ...], ...]


def furniture_height(layout: Layout) -> float:
    """The header and footer bands, inside the margins."""
    return layout.fonts["small"] * 1.5 + 5


def _attempt(topic: Topic, layout: Layout, squeeze: float) -> _Attempt:
    sheet = _Sheet(topic, layout, squeeze)
    box, gap = sheet.box, layout.column_gap * MM
    story = sheet.story()
    band_h = furniture_height(layout)
    foot_h = band_h if layout.page_numbers else 0  # in a class pack the pack numbers the pages
    title_h = sheet.band.height
    first = (Rect(box.x0, box.y1 - title_h, box.width, title_h),
             *column_rects(box, layout.columns, sheet.col_w, gap, box.y1 - title_h - BAND_GAP, foot_h))
    later = column_rects(box, layout.columns, sheet.col_w, gap, box.y1 - band_h, foot_h)
    doc = Measure(layout, sheet.owners)
    doc.addPageTemplates([PageTemplate("first", [MeasuredColumn(r, i) for i, r in enumerate(first)]),
                          PageTemplate("later", [MeasuredColumn(r, i) for i, r in enumerate(later)])])
    try:
        doc.build(story)
    except LayoutError:  # a cell or a title taller than a column; the limits make this very unlikely
        at, where = doc.piece
        raise NotesError(Problem.at(at, where, "cannot lay out the revision sheet: this piece is taller than "
                                    "the page has room for; shorten it")) from None
    return _Attempt(sheet, squeeze, first, later, tuple(tuple(blocks) for blocks in doc.laid))


def _line(sheet: _Sheet, template: str, values: dict[str, str], st: ParagraphStyle, y: float,
          rule_y: float) -> Line:
    box = sheet.box
    shown = text.fit(fill(template, values), st.fontSize, box.width - 2)  # never wraps
    sheet.w.markup(shown, literal=True)  # a character no font has is warned about, as in the notes
    return Line(shown, box.x0, box.x1, y, furniture_height(sheet.layout), rule_y)


def _page(a: _Attempt, number: int, section: str) -> Page:
    sheet, layout, pages = a.sheet, a.sheet.layout, len(a.laid)
    box, band_h, small = sheet.box, furniture_height(a.sheet.layout), layout.fonts["small"]
    values = placeholders(sheet.topic, layout, number, pages, section)
    header = footer = None
    if number > 1:
        header = _line(sheet, layout.header, values, sheet.st.header, box.y1 - small * 1.2, box.y1 - band_h + 3)
    if layout.page_numbers:
        footer = _line(sheet, layout.footer, values, sheet.st.footer, box.y0, box.y0 + band_h - 3)
    return Page(number, section, a.first if number == 1 else a.later, a.laid[number - 1], header, footer)


def plan(topic: Topic, layout: Layout) -> RevisionPlan:
    """Every decision of the topic's revision sheet, and where each piece lands.

    When the last page would hold only a few lines, the sheet is laid out
    again with tighter spacing (the type size stays) and kept if that saves
    the page.
    """
    best = _attempt(topic, layout, 1.0)
    if worth_squeezing(best.laid):
        for squeeze in SQUEEZES:
            tight = _attempt(topic, layout, squeeze)
            if len(tight.laid) < len(best.laid):
                best = tight
                break
    sections = page_sections(best.laid)
    pages = tuple(_page(best, n, section) for n, section in enumerate(sections, 1))
    sheet = best.sheet
    return RevisionPlan(topic, layout, best.squeeze, sheet.band, tuple(sheet.widths), pages, sheet.w.warnings())


# -- drawing ------------------------------------------------------------------


def _draw_line(canvas: Canvas, line: Line, w: Writer, st: ParagraphStyle) -> None:
    para = w.para(line.text, st, literal=True)
    para.wrap(line.x1 - line.x0, line.height)
    para.drawOn(canvas, line.x0, line.y)


def _draw_furniture(canvas: Canvas, page: Page, w: Writer, st: Styles, rule: Any) -> None:
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


def draw(plan: RevisionPlan) -> Rendered:
    """The planned sheet as PDF bytes: every piece where the plan put it, then the running header
    and footer the plan wrote."""
    layout = plan.layout
    pal = Palette(layout)
    ink = Inks.of(pal)
    st, w = styles(layout, ink), Writer(plan.topic, pal)
    buf = io.BytesIO()

    def furniture(canvas: Canvas, number: int, _pages: int) -> None:
        _draw_furniture(canvas, plan.pages[number - 1], w, st, ink.rule)

    # pages are held and finished at the end, so links and bookmarks precede the pages in the PDF, as they always did
    canvas = paged_canvas(furniture)(buf, pagesize=layout.pagesize, invariant=1)
    set_metadata(canvas, metadata(plan.topic, layout))
    for page in plan.pages:
        for block in page.blocks:
            block.ink.drawOn(canvas, block.x, block.y, _sW=block.slack)
            if block.mark is not None:
                canvas.bookmarkPage(block.mark.key)
                canvas.addOutlineEntry(block.mark.title, block.mark.key, level=block.mark.level, closed=False)
        canvas.showPage()
    canvas.save()
    return Rendered(buf.getvalue(), len(plan.pages), plan.warnings)


def render(topic: Topic, layout: Layout) -> Rendered:
    """A revision sheet of the topic as PDF bytes."""
    return draw(plan(topic, layout))
