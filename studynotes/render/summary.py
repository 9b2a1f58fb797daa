"""The one-page summary: the whole topic on exactly one page, by fitting, never by cutting.

Content, in order: a title band; the gist; a strip of key numbers; a
timeline strip; then each section's points in columns (``key: true`` first,
then the other first-level points). The largest scale of type and spacing
that fits is found by bisection between the preset's sizes and a 6.5 pt
floor, measuring with the real fonts. Past the floor the policy leaves out
sub-points, then terms, then tables; if that is not enough the build fails
and says how much too big the topic is and which sections take the room.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from reportlab.lib.enums import TA_CENTER
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

from .. import fonts, markup
from ..errors import NotesError, Problem
from ..model import Point, Section, Topic
from ..load.presets import Layout
from . import Rendered
from ..style import MM
from .common import Palette, Writer, printable, style
from .page import fill, metadata, placeholders

FLOOR_PT = 6.5          # no text below this
TOLERANCE = 0.02        # the scale found is within 2% of the largest that fits


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


def _balanced(n: int, most: int) -> int:
    """Items per row so that rows are as even as can be (7 + 1 becomes 4 + 4)."""
    most = max(1, min(n, most))
    rows = math.ceil(n / most)
    return math.ceil(n / rows)


def _count(points: tuple[Point, ...]) -> int:
    return sum(1 + _count(p.points) for p in points)


def _ordered(points: tuple[Point, ...], cap: int | None) -> tuple[list[Point], int]:
    """Key points first, then the others in their order; with a cap, at most that many."""
    order = [p for p in points if p.key] + [p for p in points if not p.key]
    if cap is not None and len(order) > cap:
        return order[:cap], len(order) - cap
    return order, 0


class TimelineStrip(Flowable):
    """Events along a horizontal line, in rows when there are many: the date above, what below."""

    def __init__(self, events, width: float, s_when, s_what, writer: Writer, colour, min_slot: float):
        super().__init__()
        self.events, self.width, self.colour = events, width, colour
        self.per_row = _balanced(len(events), int(width // min_slot))
        self.rows = [events[i:i + self.per_row] for i in range(0, len(events), self.per_row)]
        self.slot = width / self.per_row
        self.cells = [[(writer.para(e.when, s_when), writer.para(e.what, s_what)) for e in row]
                      for row in self.rows]
        self.axis_gap = s_when.fontSize * 0.5

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
        for row, (when_h, what_h) in zip(self.cells, self.row_h):
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


@dataclass
class _Stats:
    total: int = 0          # points in the picked sections, all levels
    shown: int = 0
    capped: int = 0         # left out by --max-points
    tables: int = 0


class _Sheet:
    """The summary's flowables at one scale under one policy."""

    def __init__(self, topic: Topic, layout: Layout, writer: Writer, pal: Palette):
        self.topic, self.layout, self.w, self.pal = topic, layout, writer, pal
        self.box = printable(layout)
        gap = layout.column_gap * MM
        self.gap = gap
        self.col_w = (self.box.width - gap * (layout.columns - 1)) / layout.columns

    def styles(self, s: float) -> None:
        f, p, B = self.layout.fonts, self.pal, fonts.BODY

        def size(pt: float) -> float:
            return max(pt * s, FLOOR_PT)

        body = size(f["body"])
        self.body = body
        self.s_title = style("title", f"{B}-Bold", size(f["title"]), p.white, 1.15)
        self.s_meta = style("meta", B, size(f["small"] + 0.5), p.white, 1.25)
        self.s_gist = style("gist", f"{B}-Italic", size(f["body"] + 0.4), p.text, 1.28)
        self.s_h = style("h", f"{B}-Bold", size(f["heading"]), p.accent, 1.18, spaceBefore=body * 0.8,
                         spaceAfter=body * 0.25, keepWithNext=1)
        self.s_h2 = style("h2", f"{B}-Bold", size(f["subheading"]), p.accent, 1.18, spaceBefore=body * 0.4,
                          spaceAfter=body * 0.15, keepWithNext=1)
        self.s_pt = style("pt", B, body, p.text, 1.2, leftIndent=body * 1.1, bulletIndent=0,
                          spaceAfter=body * 0.18, bulletColor=p.muted)
        self.s_key = style("key", B, body, p.text, 1.2, leftIndent=body * 1.1, bulletIndent=0,
                           spaceAfter=body * 0.18, bulletColor=p.accent, bulletFontName=f"{B}-Bold")
        self.s_sub = style("sub", B, size(f["body"] - 0.6), p.text, 1.18, leftIndent=body * 2.1,
                           bulletIndent=body * 1.1, spaceAfter=body * 0.1, bulletColor=p.muted)
        self.s_cell = style("cell", B, size(f["body"] - 0.8), p.text, 1.15)
        self.s_cellb = style("cellb", f"{B}-Bold", size(f["body"] - 0.8), p.text, 1.15)
        self.s_value = style("value", f"{B}-Bold", size(f["heading"]), p.accent, 1.1, alignment=TA_CENTER)
        self.s_label = style("label", B, size(f["small"]), p.muted, 1.15, alignment=TA_CENTER)
        self.s_when = style("when", f"{B}-Bold", size(f["small"] + 0.5), p.accent, 1.1)
        self.s_what = style("what", B, size(f["small"]), p.text, 1.15)
        self.s_terms = style("terms", B, size(f["body"] - 0.6), p.text, 1.18, spaceBefore=body * 0.2,
                             spaceAfter=body * 0.2)

    # -- the full-width block on top -------------------------------------------
    def top(self, s: float) -> list:
        t, p, w = self.topic, self.pal, self.box.width
        self.w.place("title", t.loc)
        meta = " · ".join(x for x in (t.subject, *t.syllabus, t.updated) if x)
        rows = [[self.w.para(t.title, self.s_title)]]
        if meta:
            rows.append([self.w.para(meta, self.s_meta)])
        band = Table(rows, colWidths=[w])
        band.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), p.accent),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 7 * s), ("RIGHTPADDING", (0, 0), (-1, -1), 7 * s),
                                  ("TOPPADDING", (0, 0), (-1, 0), 5 * s), ("TOPPADDING", (0, 1), (-1, -1), 1),
                                  ("BOTTOMPADDING", (0, -1), (-1, -1), 5 * s),
                                  ("BOTTOMPADDING", (0, 0), (-1, -2), 1)]))
        out: list = [band, Spacer(1, 4 * s)]
        if t.summary:
            self.w.place("summary", t.loc)
            out += [self.w.para(t.summary, self.s_gist), Spacer(1, 4 * s)]
        facts = [f for sec, _ in t.walk() for f in sec.facts]
        if facts:
            self.w.place("key numbers", t.loc)
            per_row = _balanced(len(facts), int(w // (95 * max(s, 0.8))))
            cells = [[self.w.para(f.value, self.s_value), self.w.para(f.label, self.s_label)] for f in facts]
            rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
            rows[-1] += [""] * (per_row - len(rows[-1]))
            table = Table(rows, colWidths=[w / per_row] * per_row)
            table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), p.box),
                                       ("LINEAFTER", (0, 0), (-2, -1), 0.5, p.white),
                                       ("LINEBELOW", (0, 0), (-1, -2), 0.5, p.white),
                                       ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                       ("TOPPADDING", (0, 0), (-1, -1), 2.5 * s),
                                       ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5 * s),
                                       ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]))
            out += [table, Spacer(1, 5 * s)]
        events = [e for sec, _ in t.walk() for e in sec.timeline]
        if events:
            self.w.place("timeline", t.loc)
            out += [TimelineStrip(events, w, self.s_when, self.s_what, self.w, p.accent, 78 * max(s, 0.8)),
                    Spacer(1, 4 * s)]
        return out

    # -- the columns ---------------------------------------------------------
    def section(self, sec: Section, policy: Policy, stats: _Stats, level: int = 0) -> list:
        self.w.place(f"section '{sec.id}'", sec.loc)
        styled = self.w.markup(sec.title)
        head_style = self.s_h if level == 0 else self.s_h2
        gap = " " if styled.shaping else "&nbsp;&nbsp;"  # a shaped paragraph needs one font per word
        out = [Paragraph(f"{sec.number}{gap}{styled.markup}",
                         self.w.shaped(head_style) if styled.shaping else head_style)]
        stats.total += _count(sec.points)
        order, capped = _ordered(sec.points, self.layout.max_points)
        stats.capped += capped
        for p in order:
            st = self.s_key if p.key else self.s_pt
            out.append(self.w.para(p.text, st, bulletText="•"))
            stats.shown += 1
            if policy.subpoints:
                for q in p.points:
                    out.append(self.w.para(q.text, self.s_sub, bulletText="–"))
                    stats.shown += 1
                    for r in q.points:
                        out.append(self.w.para(r.text, self.s_sub, bulletText="·"))
                        stats.shown += 1
        if sec.table is not None:
            stats.tables += 1
            if policy.tables:
                out.append(self.table(sec))
        if sec.terms and policy.terms:  # one dense line: term — meaning; term — meaning
            runs: list[markup.Run] = []
            for i, t in enumerate(sec.terms):
                runs += [markup.Run(("; " if i else "") + markup.plain(t.term), bold=True), markup.Run(" — ")]
                runs += markup.parse(t.meaning)
            styled = self.w.runs(tuple(runs))
            out.append(Paragraph(styled.markup, self.w.shaped(self.s_terms) if styled.shaping else self.s_terms))
        for sub in sec.sections:
            out += self.section(sub, policy, stats, 1)
        return out if len(out) > 1 else []  # its facts and dates are in the strips on top

    def table(self, sec: Section) -> Table:
        t, p = sec.table, self.pal
        rows = [[self.w.para(c, self.s_cellb) for c in t.columns]]
        rows += [[self.w.para(c, self.s_cell) for c in row] for row in t.rows]
        n = len(t.columns)
        bulk = [math.sqrt(sum(len(markup.plain(r[i])) for r in (t.columns, *t.rows))) + 2 for i in range(n)]
        table = Table(rows, colWidths=[self.col_w * b / sum(bulk) for b in bulk], repeatRows=1, splitInRow=1,
                      spaceBefore=self.body * 0.3, spaceAfter=self.body * 0.3)
        table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), p.box),
                                   ("LINEBELOW", (0, 0), (-1, -1), 0.3, p.rule),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                                   ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2)]))
        return table

    def columns(self, policy: Policy) -> tuple[list, list[tuple[str, list]], _Stats]:
        stats = _Stats()
        per_section = [(sec.id, self.section(sec, policy, stats)) for sec in self.topic.sections]
        flat = [f for _, fl in per_section for f in fl]
        return flat, per_section, stats


def _height(flowables: list, width: float) -> float:
    """Height of flowables stacked in one column of unlimited height."""
    total = 0.0
    for f in flowables:
        _, h = f.wrap(width, 1e6)
        total += h + f.getSpaceBefore() + f.getSpaceAfter()
    return total


def _columns_needed(flowables: list, width: float, height: float) -> float:
    """How many columns of this size the flowables fill, splitting paragraphs and tables at
    line and row boundaries as ReportLab will, and keeping headings with what follows."""
    cols, avail = 0, height
    queue = list(flowables)
    at_top = True
    while queue:
        f = queue.pop(0)
        _, h = f.wrap(width, avail)
        h += (0 if at_top else f.getSpaceBefore()) + f.getSpaceAfter()
        keep = getattr(f.style, "keepWithNext", 0) if hasattr(f, "style") else 0
        if keep and queue:
            _, nh = queue[0].wrap(width, avail)
            first_line = min(nh, queue[0].style.leading * 2 if hasattr(queue[0], "style") else nh)
            if h + first_line > avail and not at_top:
                cols, avail, at_top = cols + 1, height, True
                queue.insert(0, f)
                continue
        if h <= avail + 1e-6:
            avail -= h
            at_top = False
            continue
        parts = f.split(width, avail - (0 if at_top else f.getSpaceBefore())) if avail > 0 else []
        if len(parts) > 1:
            queue[:0] = parts[1:]
        elif not at_top:
            queue.insert(0, f)
        # else: taller than a whole column and unsplittable; it cannot fit, count it as filling one
        cols, avail, at_top = cols + 1, height, True
    return cols + (height - avail) / height


@dataclass
class _Fit:
    scale: float
    policy: Policy
    passes: int


def _needed(sheet: _Sheet, s: float, policy: Policy, area_h: float) -> tuple[float, float]:
    """Columns the content needs at scale s (the page has ``layout.columns``), and pages it would take."""
    sheet.styles(s)
    top_h = _height(sheet.top(s), sheet.box.width)
    cols, _, _ = sheet.columns(policy)
    n = sheet.layout.columns
    col_h = area_h - top_h
    if col_h <= area_h * 0.1:  # the top block alone nearly fills the page
        return float("inf"), 1 + top_h / area_h
    needed = _columns_needed(cols, sheet.col_w, col_h)
    pages = (top_h + min(needed, n) * col_h / n) / area_h + max(0.0, needed - n) * col_h / n / area_h
    return needed, pages


def _search(sheet: _Sheet, area_h: float) -> tuple[_Fit | None, float, list[tuple[str, float]]]:
    """The first policy that fits at some scale, with the largest such scale.

    The columns needed fall smoothly as the scale falls, so a bracketed
    search that interpolates between the two ends finds the scale in a few
    passes where bisection would need seven or more.
    """
    n = sheet.layout.columns
    floor = FLOOR_PT / sheet.layout.fonts["body"]
    passes = 0
    pages_at_floor = 0.0
    for policy in POLICIES:
        need_hi, _ = _needed(sheet, 1.0, policy, area_h)  # most topics fit at the preset's sizes
        passes += 1
        if need_hi <= n:
            return _Fit(1.0, policy, passes), 1.0, []
        lo, hi, n_hi = floor, 1.0, need_hi
        # type and spacing shrink in both directions, so the room needed goes about as the square
        guess = max(floor, min(0.995, math.sqrt(n / need_hi) * 0.99))
        need, pages = _needed(sheet, guess, policy, area_h)
        passes += 1
        if need <= n:
            lo, n_lo = guess, max(need, 1e-3)
        else:
            hi, n_hi = guess, need
            if guess > floor:
                need, pages = _needed(sheet, floor, policy, area_h)
                passes += 1
            if need > n:
                pages_at_floor = pages
                continue
            n_lo = max(need, 1e-3)
        while hi - lo > TOLERANCE and passes < 10:  # interpolate log(needed) against log(scale)
            k = math.log(n_hi / n_lo) / math.log(hi / lo)
            guess = lo * (n / n_lo) ** (1 / k) if k > 0 else (lo + hi) / 2
            guess = min(max(guess - 0.004, lo + (hi - lo) * 0.05), hi - (hi - lo) * 0.05)
            need, _ = _needed(sheet, guess, policy, area_h)
            passes += 1
            if need <= n:
                lo, n_lo = guess, max(need, 1e-3)
            else:
                hi, n_hi = guess, need
        return _Fit(lo, policy, passes), pages_at_floor, []
    # nothing fits: say which sections take the room, at the floor, under the leanest policy
    sheet.styles(floor)
    _, per_section, _ = sheet.columns(POLICIES[-1])
    heights = [(sid, _height(fl, sheet.col_w)) for sid, fl in per_section]
    total = sum(h for _, h in heights) or 1.0
    shares = sorted(((sid, h / total) for sid, h in heights), key=lambda x: -x[1])
    return None, pages_at_floor, shares


def render(topic: Topic, layout: Layout) -> Rendered:
    """The whole topic on exactly one page, as PDF bytes."""
    pal = Palette(layout)
    writer = Writer(topic, pal)
    sheet = _Sheet(topic, layout, writer, pal)
    box = sheet.box
    # the footer line and air above it; in a class pack the pack prints the footer
    foot_h = max(layout.fonts["small"], FLOOR_PT) * 1.4 + 6 if layout.page_numbers else 0.0
    area_h = box.height - foot_h
    fit, pages, shares = _search(sheet, area_h)
    if fit is None:
        largest = ", ".join(f"{sid} ({share:.0%})" for sid, share in shares[:3])
        raise NotesError(Problem(topic.path, 1, 1, "", (
            f"summary of {topic.id} needs {pages:.1f} pages at {FLOOR_PT} pt, even without sub-points, terms "
            f"and tables; largest sections: {largest}; pick sections with -s or mark fewer points key: true")))
    scale = fit.scale
    for attempt in range(6):  # the real layout decides; the estimate is seldom off, and then by little
        pdf, page_count, stats = _build(topic, layout, sheet, scale, fit.policy, area_h, foot_h)
        if page_count == 1:
            break
        scale = max(scale * 0.98, FLOOR_PT / layout.fonts["body"])
    else:
        raise NotesError(Problem(topic.path, 1, 1, "", f"summary of {topic.id} does not fit on one page at "
                                 f"{FLOOR_PT} pt; pick sections with -s"))
    left = fit.policy.left_out(stats.tables)
    reasons = [f"{left} left out to fit" if left else "",
               f"--max-points {layout.max_points} leaves out {stats.capped}" if stats.capped else ""]
    reasons = [r for r in reasons if r]
    note = (f"summary of {topic.id}: {stats.shown} of {stats.total} points shown at "
            f"{max(layout.fonts['body'] * scale, FLOOR_PT):.1f} pt"
            + (f"; {'; '.join(reasons)}" if reasons else "")
            + f" ({fit.passes + attempt + 1} layout passes)")
    return Rendered(pdf, 1, writer.warnings(), (note,))


def _build(topic: Topic, layout: Layout, sheet: _Sheet, s: float, policy: Policy, area_h: float,
           foot_h: float) -> tuple[bytes, int, _Stats]:
    box, pal = sheet.box, sheet.pal
    sheet.styles(s)
    top = sheet.top(s)
    top_h = _height(top, box.width) + 2
    cols, _, stats = sheet.columns(policy)
    y_cols = box.y0 + foot_h
    frames = [Frame(box.x0, box.y1 - top_h, box.width, top_h, 0, 0, 0, 0, id="top")]
    frames += [Frame(box.x0 + i * (sheet.col_w + sheet.gap), y_cols, sheet.col_w, area_h - top_h, 0, 0, 0, 0,
                     id=f"c{i}") for i in range(layout.columns)]
    small = style("foot", fonts.BODY, max(layout.fonts["small"], FLOOR_PT), pal.muted, 1.2, alignment=TA_CENTER)
    values = placeholders(topic, layout)

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setStrokeColor(pal.rule)
        canvas.setLineWidth(0.5)
        canvas.line(box.x0, box.y0 + foot_h - 4, box.x1, box.y0 + foot_h - 4)
        para = sheet.w.para(fill(layout.footer, values), small, literal=True)
        para.wrap(box.width, foot_h)
        para.drawOn(canvas, box.x0, box.y0)
        canvas.restoreState()

    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=layout.pagesize, invariant=1, **metadata(topic, layout, "summary"),
                          leftMargin=box.x0, bottomMargin=box.y0)
    doc.addPageTemplates([PageTemplate("page", frames, onPage=footer if layout.page_numbers else (lambda canvas, doc: None))])
    doc.build(top + cols)
    return buf.getvalue(), doc.page, stats
