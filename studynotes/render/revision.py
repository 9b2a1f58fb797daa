"""The revision sheet: dense multi-column notes with a title band, numbered sections,
facts boxes, timelines, glossaries, tables, sources, running headers and bookmarks."""

from __future__ import annotations

import io
import math
from urllib.parse import quote
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Frame, KeepTogether, LayoutError,
                                NextPageTemplate, PageTemplate, Paragraph, Spacer, Table, TableStyle)

from .. import fonts, markup, text
from ..errors import NotesError, Problem
from ..model import Section, Table as NotesTable, Topic, iter_points
from ..load.presets import Layout
from . import Rendered
from ..style import MM
from .common import Box, Palette, Writer, paged_canvas, printable, style
from .page import fill, metadata, placeholders

BULLETS = ("•", "–", "·")


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


class _Doc(BaseDocTemplate):
    """Tracks which section is current on each page, for the running header and bookmarks."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = ""
        self.top_section: dict[int, str] = {}
        self.drawn_on_page = 0

    def handle_pageBegin(self):  # noqa: N802
        super().handle_pageBegin()
        self.top_section[self.page] = self.current
        self.drawn_on_page = 0

    def afterFlowable(self, flowable):  # noqa: N802
        if isinstance(flowable, Heading):
            c = self.canv
            c.bookmarkPage(flowable.key)
            c.addOutlineEntry(flowable.title, flowable.key, level=flowable.level, closed=False)
            if flowable.level == 0:
                self.current = flowable.title
                if self.drawn_on_page == 0:
                    self.top_section[self.page] = flowable.title
        if isinstance(flowable, (Paragraph, Table)):  # spacers and page-break markers print nothing
            self.drawn_on_page += 1


class _Sheet:
    """Builds the story of one revision sheet."""

    def __init__(self, topic: Topic, layout: Layout, squeeze: float = 1.0):
        self.topic, self.layout = topic, layout
        self.pal = Palette(layout)
        self.w = Writer(topic, self.pal)
        self.box = printable(layout)
        gap = layout.column_gap * MM
        self.col_w = (self.box.width - gap * (layout.columns - 1)) / layout.columns
        f, p = layout.fonts, self.pal
        body = f["body"]
        B = fonts.BODY
        q = squeeze  # < 1 tightens the spacing (never the type) to save a nearly empty last page
        lead = 1.24 - (1 - q) * 0.25
        self.s_h1 = style("h1", f"{B}-Bold", f["heading"], p.accent, 1.2, spaceBefore=f["heading"] * 0.75 * q,
                          spaceAfter=f["heading"] * 0.45 * q, keepWithNext=1)
        self.s_h2 = style("h2", f"{B}-Bold", f["subheading"], p.accent, 1.2, spaceBefore=f["subheading"] * 0.7 * q,
                          spaceAfter=f["subheading"] * 0.35 * q, keepWithNext=1)
        self.s_label = style("label", f"{B}-Bold", max(f["small"], 7.0), p.accent, 1.2)
        self.s_label_next = style("label-next", f"{B}-Bold", max(f["small"], 7.0), p.accent, 1.2,
                                  spaceAfter=body * 0.2, keepWithNext=1)
        self.label_gap = body * 0.5 * q
        self.s_cell = style("cell", B, max(body - 0.6, 7.0), p.text, 1.22)
        self.s_cell_b = style("cellb", f"{B}-Bold", max(body - 0.6, 7.0), p.text, 1.22)
        self.s_small = style("small", B, f["small"], p.muted, 1.25)
        self.s_points = [
            style(f"p{d}", B, max(body - 0.4 * d, 7.0), p.text, lead, leftIndent=9 + 10 * d,
                  bulletIndent=1 + 10 * d, bulletFontName=f"{B}-Bold" if d == 0 else B,
                  bulletColor=p.accent, spaceAfter=body * (0.2 if d == 0 else 0.1) * q)
            for d in range(3)
        ]
        self.s_numbered = style("numbered", B, body, p.text, lead, leftIndent=13, bulletIndent=0,
                                bulletFontName=f"{B}-Bold", bulletColor=p.accent, spaceAfter=body * 0.15 * q)

    # -- pieces -----------------------------------------------------------
    def title_band(self, meta_in_band: bool = True, gist_in_band: bool = True) -> Table:
        t, p, f = self.topic, self.pal, self.layout.fonts
        B = fonts.BODY
        w = self.box.width
        s_title = style("title", f"{B}-Bold", f["title"], p.white, 1.15)
        s_meta = style("meta", B, max(f["body"], 7.5), p.white, 1.3)
        s_gist = style("gist", f"{B}-Italic", f["body"] + 0.6, p.text, 1.3)
        meta = " · ".join(x for x in (t.subject, *(t.syllabus), f"updated {t.updated}" if t.updated else None) if x)
        rows = [[self.w.para(t.title, s_title)]]
        if meta and meta_in_band:
            rows.append([self.w.para(meta, s_meta)])
        styles = [("BACKGROUND", (0, 0), (-1, len(rows) - 1), p.accent),
                  ("LEFTPADDING", (0, 0), (-1, -1), 9), ("RIGHTPADDING", (0, 0), (-1, -1), 9),
                  ("TOPPADDING", (0, 0), (-1, 0), 8), ("BOTTOMPADDING", (0, len(rows) - 1), (-1, len(rows) - 1), 8),
                  ("TOPPADDING", (0, 1), (-1, -1), 2)]
        if t.summary and gist_in_band:
            self.w.place("summary", t.loc)
            rows.append([self.w.para(t.summary, s_gist)])
            n = len(rows) - 1
            styles += [("BACKGROUND", (0, n), (-1, n), p.box), ("TOPPADDING", (0, n), (-1, n), 6),
                       ("BOTTOMPADDING", (0, n), (-1, n), 7), ("LINEBELOW", (0, n), (-1, n), 1.2, p.accent)]
        table = Table(rows, colWidths=[w])
        table.setStyle(TableStyle(styles))
        return table

    def opening(self) -> list:
        """The title band, and what must flow in the columns instead when a very long gist or
        syllabus would make the band taller than a good part of the page."""
        t, f, p = self.topic, self.layout.fonts, self.pal
        limit = self.box.height * 0.4
        flow: list = []
        band = self.title_band()
        if band.wrap(self.box.width, 1e6)[1] > limit and t.summary:
            band = self.title_band(gist_in_band=False)
            self.w.place("summary", t.loc)
            flow.append(self.w.para(t.summary, style("gist-flow", f"{fonts.BODY}-Italic", f["body"], p.text, 1.25,
                                                     spaceAfter=f["body"])))
        if band.wrap(self.box.width, 1e6)[1] > limit:
            band = self.title_band(meta_in_band=False, gist_in_band=False)
            meta = " · ".join(x for x in (t.subject, *t.syllabus, f"updated {t.updated}" if t.updated else None) if x)
            flow.insert(0, self.w.para(meta, style("meta-flow", fonts.BODY, f["body"], p.muted, 1.25,
                                                   spaceAfter=f["body"] * 0.5)))
        return [band, NextPageTemplate("later"), *flow]

    def points(self, sec: Section) -> list:
        out = []
        for pt, depth in iter_points(sec.points):
            st = self.s_points[depth]
            out.append(self.w.para(pt.text, st, bulletText=BULLETS[depth]))
        return out

    def titled(self, label: str, rows: list[list], widths: list[float], cmds: list, head: int = 0) -> list:
        """A table whose first row is its label: the label repeats when the table runs on in the
        next column, and a label never stands alone at the foot of a column."""
        n = len(widths)
        table = Table([[self.w.para(label, self.s_label), *[""] * (n - 1)], *rows], colWidths=widths,
                      repeatRows=1 + head, splitInRow=1)
        table.setStyle(TableStyle([
            ("SPAN", (0, 0), (-1, 0)), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, 0), 0), ("TOPPADDING", (0, 0), (-1, 0), self.label_gap),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 1.5),
            ("LEFTPADDING", (0, 1), (-1, -1), 4), ("RIGHTPADDING", (0, 1), (-1, -1), 4),
            ("TOPPADDING", (0, 1), (-1, -1), 2), ("BOTTOMPADDING", (0, 1), (-1, -1), 2), *cmds]))
        return [table, Spacer(1, 3)]

    def facts(self, sec: Section) -> list:
        rows = []
        for fact in sec.facts:
            value = self.w.para(fact.value, self.s_cell, bold=True)
            cell = [value] + ([self.w.para(fact.note, self.s_small)] if fact.note else [])
            rows.append([self.w.para(fact.label, self.s_cell), cell])
        p, cw = self.pal, self.col_w
        return self.titled("Key numbers", rows, [cw * 0.5, cw * 0.5], [
            ("BACKGROUND", (0, 1), (-1, -1), p.box), ("BOX", (0, 1), (-1, -1), 0.6, p.rule),
            ("LINEBELOW", (0, 1), (-1, -2), 0.3, p.rule)])

    def timeline(self, sec: Section) -> list:
        p = self.pal
        s_when = style("when", f"{fonts.BODY}-Bold", self.s_cell.fontSize, p.accent, 1.22)
        rows = [[self.w.para(e.when, s_when), self.w.para(e.what, self.s_cell)] for e in sec.timeline]
        widest = max(self._width(e.when, s_when) for e in sec.timeline) + 9
        first = min(max(widest, self.col_w * 0.16), self.col_w * 0.38)
        return self.titled("Timeline", rows, [first, self.col_w - first], [
            ("LINEAFTER", (0, 1), (0, -1), 1.4, p.accent), ("TOPPADDING", (0, 1), (-1, -1), 1.6),
            ("BOTTOMPADDING", (0, 1), (-1, -1), 1.6)])

    def terms(self, sec: Section) -> list:
        p = self.pal
        rows = [[self.w.para(t.term, self.s_cell_b), self.w.para(t.meaning, self.s_cell)] for t in sec.terms]
        widest = max(self._width(t.term, self.s_cell_b) for t in sec.terms) + 9
        first = min(max(widest, self.col_w * 0.18), self.col_w * 0.4)
        return self.titled("Terms", rows, [first, self.col_w - first], [
            ("LINEBELOW", (0, 1), (-1, -2), 0.3, p.rule), ("LEFTPADDING", (0, 1), (-1, -1), 3)])

    def table(self, t: NotesTable) -> list:
        p = self.pal
        head = [self.w.para(c, self.s_cell_b) for c in t.columns]
        body = [[self.w.para(c, self.s_cell) for c in row] for row in t.rows]
        return self.titled(t.title or "Table", [head, *body], self._column_widths(t), [
            ("BACKGROUND", (0, 1), (-1, 1), p.box), ("LINEBELOW", (0, 1), (-1, 1), 0.9, p.accent),
            ("LINEBELOW", (0, 2), (-1, -2), 0.3, p.rule), ("BOX", (0, 1), (-1, -1), 0.5, p.rule),
            ("LEFTPADDING", (0, 1), (-1, -1), 3), ("RIGHTPADDING", (0, 1), (-1, -1), 3)], head=1)

    def _column_widths(self, t: NotesTable) -> list[float]:
        """Every column at least as wide as its longest word (so words are not cut), the rest
        of the width shared by how much text each column holds."""
        pad = 6.5
        n = len(t.columns)
        rows = (t.columns, *t.rows)
        need = [max(self._width(word, self.s_cell_b) for r in rows for word in markup.plain(r[i]).split() or [""])
                + pad for i in range(n)]
        bulk = [math.sqrt(sum(len(markup.plain(r[i])) for r in rows)) + 1 for i in range(n)]
        if sum(need) >= self.col_w:  # too many long words to avoid cutting: share by bulk alone
            return [self.col_w * b / sum(bulk) for b in bulk]
        spare = self.col_w - sum(need)
        return [need[i] + spare * bulk[i] / sum(bulk) for i in range(n)]

    def cards(self, sec: Section) -> list:
        out = [Spacer(1, self.label_gap), self.w.para("Check yourself", self.s_label_next, literal=True)]
        st = self.s_points[0]
        for i, card in enumerate(sec.cards, 1):
            (q, a), shaping = self.w.joined((card.q, False), (card.a, False))
            text = f"<b>{q.markup}</b><br/><i>Answer:</i> {a.markup}"
            out.append(Paragraph(text, self.w.shaped(st) if shaping else st, bulletText=f"Q{i}"))
        return out

    def _width(self, text: str, st) -> float:
        return stringWidth(markup.plain(text), st.fontName, st.fontSize)

    # -- the whole sheet --------------------------------------------------
    def section(self, sec: Section, level: int) -> list:
        number = sec.number
        self.w.place(f"section '{sec.id}'", sec.loc)
        st = self.s_h1 if level == 0 else self.s_h2
        styled = self.w.markup(sec.title)
        gap = " " if styled.shaping else "&nbsp;&nbsp;"  # a shaped paragraph needs one font per word
        heading = Heading(f"{number}{gap}{styled.markup}",
                          self.w.shaped(st) if styled.shaping else st,
                          key=f"s-{sec.id}", title=f"{number} {markup.plain(sec.title)}", level=level,
                          rule=self.pal.rule if level == 0 else None)
        out: list = [CondPageBreak(st.fontSize * 4), heading]
        out += self.points(sec)
        if sec.facts:
            out += self.facts(sec)
        if sec.timeline:
            out += self.timeline(sec)
        if sec.table is not None:
            out += self.table(sec.table)
        if sec.terms:
            out += self.terms(sec)
        if sec.cards:
            out += self.cards(sec)
        for sub in sec.sections:
            out += self.section(sub, 1)
        return out

    def sources(self) -> list:
        self.w.place("sources", self.topic.loc)
        p = self.pal
        out: list = [Heading("Sources", self.s_h1, key="s--sources", title="Sources", level=0, rule=p.rule)]
        for i, src in enumerate(self.topic.sources, 1):
            if src.url:
                (title, shown), shaping = self.w.joined((src.title, False), (src.url, True))
                text = (f'<link href="{_href(src.url)}" color="{p.hex("link")}"><u>{title.markup}</u></link> '
                        f'<font size="{max(self.layout.fonts["small"], 7)}" color="{p.hex("muted")}">'
                        f'{shown.markup}</font>')
            else:
                styled = self.w.markup(src.title)
                text, shaping = styled.markup, styled.shaping
            st = self.s_numbered
            out.append(Paragraph(text, self.w.shaped(st) if shaping else st, bulletText=f"{i}."))
        # A short list is kept whole: a lone source at the top of a new page helps nobody.
        return [KeepTogether(out)] if len(out) <= 12 else [CondPageBreak(self.s_h1.fontSize * 4), *out]

    def story(self) -> list:
        story: list = self.opening()
        for sec in self.topic.sections:
            story += self.section(sec, 0)
        if self.topic.sources:
            story += self.sources()
        return story


def _href(url: str) -> str:
    """A link target safe in ReportLab markup: non-ASCII and quotes percent-encoded, then escaped."""
    return escape(quote(url, safe=":/?#[]@!$&'()*+,;=%~-._"), {'"': "&quot;"})


SPARSE_LAST_PAGE = 6  # paragraphs or tables; fewer than this on the last page is worth a tighter try


def render(topic: Topic, layout: Layout) -> Rendered:
    """A revision sheet of the topic as PDF bytes.

    When the last page would hold only a few lines, the sheet is laid out
    again with tighter spacing (the type size stays) and kept if that saves
    the page.
    """
    pdf, pages, last, warnings = _layout(topic, layout, 1.0)
    if pages > 1 and last < SPARSE_LAST_PAGE:
        for squeeze in (0.85, 0.7):
            tight = _layout(topic, layout, squeeze)
            if tight[1] < pages:
                pdf, pages, _, warnings = tight
                break
    return Rendered(pdf, pages, warnings)


def _layout(topic: Topic, layout: Layout, squeeze: float) -> tuple[bytes, int, int, tuple[str, ...]]:
    sheet = _Sheet(topic, layout, squeeze)
    box: Box = sheet.box
    f, pal = layout.fonts, sheet.pal
    band_h = f["small"] * 1.5 + 5  # header and footer bands, inside the margins
    foot_h = band_h if layout.page_numbers else 0  # in a class pack the pack numbers the pages
    gap = layout.column_gap * MM

    def columns(top: float, pid: str) -> list[Frame]:
        return [Frame(box.x0 + i * (sheet.col_w + gap), box.y0 + foot_h, sheet.col_w, top - box.y0 - foot_h,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=f"{pid}{i}")
                for i in range(layout.columns)]

    story = sheet.story()
    band = story[0]
    _, title_h = band.wrap(box.width, box.height)
    title_h = min(title_h, box.height * 0.5)
    first = [Frame(box.x0, box.y1 - title_h, box.width, title_h, leftPadding=0, rightPadding=0, topPadding=0,
                   bottomPadding=0, id="title")] + columns(box.y1 - title_h - 8, "f")
    later = columns(box.y1 - band_h, "c")

    buf = io.BytesIO()
    doc = _Doc(buf, pagesize=layout.pagesize, invariant=1, **metadata(topic, layout), leftMargin=box.x0, rightMargin=layout.pagesize[0] - box.x1, topMargin=layout.pagesize[1] - box.y1,
               bottomMargin=box.y0)
    doc.addPageTemplates([PageTemplate("first", first), PageTemplate("later", later)])
    small = style("hf", fonts.BODY, f["small"], pal.muted, 1.2)
    small_c = style("hfc", fonts.BODY, f["small"], pal.muted, 1.2, alignment=TA_CENTER)

    def line_at(canvas, line, st, y):
        para = sheet.w.para(text.fit(line, st.fontSize, box.width - 2), st, literal=True)  # never wraps
        para.wrap(box.width, band_h)
        para.drawOn(canvas, box.x0, y)

    def decorate(canvas, page: int, pages: int) -> None:
        v = placeholders(topic, layout, page, pages, doc.top_section.get(page, ""))
        canvas.saveState()
        canvas.setStrokeColor(pal.rule)
        canvas.setLineWidth(0.5)
        if page > 1:
            line_at(canvas, fill(layout.header, v), small, box.y1 - f["small"] * 1.2)
            canvas.line(box.x0, box.y1 - band_h + 3, box.x1, box.y1 - band_h + 3)
        if layout.page_numbers:
            canvas.line(box.x0, box.y0 + band_h - 3, box.x1, box.y0 + band_h - 3)
            line_at(canvas, fill(layout.footer, v), small_c, box.y0)
        canvas.restoreState()

    try:
        doc.build(story, canvasmaker=paged_canvas(decorate))
    except LayoutError:  # a cell or a title taller than a page; the limits make this very unlikely
        raise NotesError(Problem.at(topic.loc, "", "cannot lay out the revision sheet: one piece of it "
                                 "(a title, or a table cell) is taller than a page; shorten it")) from None
    return buf.getvalue(), doc.page, doc.drawn_on_page, sheet.w.warnings()
