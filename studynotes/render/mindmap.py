"""The mind map: the topic in the centre, sections as coloured branches, points as leaves.

Labels are measured with the real fonts, placed by the tidy-tree layout in
``_tree`` and the whole map is scaled to the page. A map that cannot be
drawn with its leaves at 7 pt or more first hides sub-points (the node says
"+N"), then becomes an overview page plus one page per section.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from .. import fonts, markup, text
from ..model import Point, Section, Topic
from ..errors import Problem
from ..load.presets import Layout
from . import Rendered
from ._tree import Box, column_edges, layout_side, split_balanced
from ..style import MIN_BODY_PT, colour
from .common import Palette, printable
from .labels import point_label, section_label
from .page import fill, metadata, placeholders, set_metadata

CENTRE, BRANCH, SUB, LEAF = 0, 1, 2, 3
LINE = 1.15                # line height, in type sizes
MAX_SCALE = 1.3            # a small map may grow this much beyond the preset's sizes
WIDTH_FACTORS = (1.0, 1.45, 2.0)  # wider labels trade height for width on a landscape page
# line styles for the connectors, so branches differ in grayscale too; 7 styles against 8 colours
# means two branches share both only after 56
DASHES = (None, (5, 2), (1.2, 1.8), (6, 2, 1.5, 2), (3, 3), (9, 2.5), (1.2, 1.2, 4, 1.2))
# boxes below the centre: (how light a tint of the branch colour, outline width, corner radius);
# leaves have no outline, so they read lighter than their branch
BOX_STYLE = {BRANCH: (0.82, 1.6, 7), SUB: (0.9, 0.9, 5), LEAF: (0.93, 0, 3)}


@dataclass
class Label:
    """What one node shows: wrapped lines in one font, and what it stands for."""

    text: str
    level: int          # CENTRE, BRANCH, SUB or LEAF
    branch: int         # which branch (colour and line style); -1 for the centre
    size: float         # type size before scaling
    hidden: int = 0     # points this node holds that the map does not show


class _Measure:
    """Measures and wraps labels with the real fonts (and their fallbacks)."""

    def __init__(self, layout: Layout):
        fonts.register_body()
        f = layout.fonts
        self.size = {CENTRE: f["title"], BRANCH: f["heading"], SUB: f["subheading"], LEAF: f["body"]}
        self.max_w = {CENTRE: 9.5 * f["title"], BRANCH: 10 * f["heading"], SUB: 12 * f["subheading"],
                      LEAF: 14 * f["body"]}
        self.missing: list[str] = []
        self._unit: dict[tuple[str, int], float] = {}   # width at 1 pt: widths grow with the size
        self._wrapped: dict[tuple[str, int, float], list[str]] = {}

    def width(self, text: str, level: int, size: float) -> float:
        key = (text, level)
        if key not in self._unit:
            self._unit[key] = self._measure(text, level)
        return self._unit[key] * size

    def _measure(self, line: str, level: int) -> float:
        return text.width(line, 1.0, bold=level != LEAF, missing=self.missing)

    def wrap(self, text: str, level: int, factor: float) -> list[str]:
        """Greedy word wrap; a word longer than the line is cut into pieces that fit."""
        key = (text, level, factor)
        if key not in self._wrapped:
            self._wrapped[key] = self._wrap(text, level, factor)
        return self._wrapped[key]

    def _wrap(self, label: str, level: int, factor: float) -> list[str]:
        size, limit = self.size[level], self.max_w[level] * factor
        return text.wrap(label, lambda line: self.width(line, level, size) <= limit,
                         lambda word: self.width(word, level, size) > limit * 1.25)

    def box(self, label: Label, factor: float) -> Box:
        """A box for the label wrapped at this width factor; the box keeps its own lines."""
        text = f"{label.text}  +{label.hidden}" if label.hidden else label.text
        lines = self.wrap(text, label.level, factor)
        size = label.size
        pad_x, pad_y = self.padding(label.level, size)
        w = max(self.width(line, label.level, size) for line in lines) + 2 * pad_x
        h = len(lines) * size * LINE + 2 * pad_y
        return Box(w, h, data=(label, lines))

    @staticmethod
    def padding(level: int, size: float) -> tuple[float, float]:
        return {CENTRE: (size * 0.8, size * 0.6), BRANCH: (size * 0.55, size * 0.35),
                SUB: (size * 0.45, size * 0.25), LEAF: (size * 0.35, size * 0.13)}[level]


# -- what the map shows --------------------------------------------------------

def _count(points: tuple[Point, ...]) -> int:
    return sum(1 + _count(p.points) for p in points)


def _point_node(p: Point, branch: int, depth_left: int, m: _Measure) -> tuple[Label, list]:
    label = Label(point_label(p), LEAF, branch, m.size[LEAF])
    if depth_left <= 0:
        label.hidden = _count(p.points)
        return label, []
    return label, [_point_node(q, branch, depth_left - 1, m) for q in p.points]


def _section_children(sec: Section, branch: int, detail: int, m: _Measure) -> list:
    """Sub-sections and first-level points under a section; ``detail`` is how many levels of
    sub-points to show below a first-level point."""
    out = []
    for sub in sec.sections:
        label = Label(f"{sub.number} {section_label(sub)}", SUB, branch, m.size[SUB])
        out.append((label, [_point_node(p, branch, detail, m) for p in sub.points]))
    for p in sec.points:
        out.append(_point_node(p, branch, detail, m))
    if not out:  # a section of only key numbers or dates still shows what it holds
        out += [(Label(f"{markup.plain(f.label)}: {markup.plain(f.value)}", LEAF, branch, m.size[LEAF]), [])
                for f in sec.facts]
        out += [(Label(f"{markup.plain(e.when)} · {_short(markup.plain(e.what))}", LEAF, branch, m.size[LEAF]), [])
                for e in sec.timeline]
    return out


def _short(text: str, words: int = 6) -> str:
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words]) + "…"


def _hidden(sec: Section) -> int:
    """Sub-points a map without sub-points would leave out of this section."""
    return sum(_count(p.points) for p in sec.points) + sum(_count(p.points) for sub in sec.sections for p in sub.points)


def _content_count(sec: Section) -> int:
    return _count(sec.points) + sum(1 + _content_count(s) for s in sec.sections)


# -- placing one map -----------------------------------------------------------

@dataclass
class Placed:
    centre: Box
    right: list[Box]
    left: list[Box]
    width: float
    height: float
    scale: float = 1.0

    def boxes(self):
        yield self.centre
        for b in self.right + self.left:
            yield from b.walk()


def _build_boxes(tree, m: _Measure, factor: float) -> Box:
    label, children = tree
    box = m.box(label, factor)
    box.children = [_build_boxes(c, m, factor) for c in children]
    return box


def place(tree, m: _Measure, factor: float, spread: float = 1.0) -> Placed:
    """Measure and lay out one map at the preset's sizes; coordinates are in points, y down."""
    centre = _build_boxes(tree, m, factor)
    branches = centre.children
    size = m.size[LEAF]
    col_gap = size * 2.6

    def gap(depth: int) -> float:
        return size * spread * (0.8 if depth <= 1 else 0.3 if depth == 2 else 0.2)

    heights = []
    for b in branches:
        from ._tree import _stack  # measure each branch alone to balance the sides

        contour = _stack([b], gap, 1)
        heights.append(max(c[1] for c in contour) - min(c[0] for c in contour))
    r_idx, l_idx = split_balanced(heights)
    right = [branches[i] for i in r_idx]
    left = [branches[i] for i in reversed(l_idx)]  # clockwise: the left side reads bottom to top
    r_top, r_bottom, r_mid = layout_side(right, gap, col_gap, centre.w / 2 + col_gap, +1)
    l_top, l_bottom, l_mid = layout_side(left, gap, col_gap, -centre.w / 2 - col_gap, -1)
    # line both sides up on the centre box, which sits at y = 0
    for side, mid in ((right, r_mid), (left, l_mid)):
        for b in side:
            for n in b.walk():
                n.y -= mid
    centre.x, centre.y = -centre.w / 2, -centre.h / 2
    boxes = [centre] + [n for b in branches for n in b.walk()]
    x0, x1 = min(b.x for b in boxes), max(b.x + b.w for b in boxes)
    y0, y1 = min(b.y for b in boxes), max(b.y + b.h for b in boxes)
    for b in boxes:
        b.x -= x0
        b.y -= y0
    return Placed(centre, right, left, x1 - x0, y1 - y0)


def fit(tree, m: _Measure, area_w: float, area_h: float) -> Placed:
    """The label width that lets the map be largest on the page, scaled to fit; a map held back
    by the page's width gets more air between its rows instead of empty bands."""
    best = None
    for factor in WIDTH_FACTORS:
        placed = place(tree, m, factor)
        placed.scale = min(area_w / placed.width, area_h / placed.height, MAX_SCALE)
        if best is None or placed.scale > best.scale + 1e-9:
            best, best_factor = placed, factor
    room = area_h / (best.height * best.scale)
    if room > 1.15:
        spread = min(room, 2.5)
        for _ in range(3):  # the rows grow but the labels do not, so a few tries settle it
            airy = place(tree, m, best_factor, spread)
            airy.scale = min(area_w / airy.width, area_h / airy.height, MAX_SCALE)
            if airy.scale >= best.scale - 1e-9:
                return airy
            spread = 1 + (spread - 1) * 0.6
    return best


def legible(placed: Placed, m: _Measure) -> bool:
    return m.size[LEAF] * placed.scale >= MIN_BODY_PT - 1e-9


# -- drawing -------------------------------------------------------------------

class _Painter:
    def __init__(self, canvas: Canvas, layout: Layout, m: _Measure):
        self.c, self.layout, self.m = canvas, layout, m
        self.pal = Palette(layout)
        pal = layout.palette or ("#1F6FB2", "#C0392B", "#2E8B57", "#8E44AD", "#D35400", "#16808A")
        self.branch_colours = [colour(h, layout.grayscale) for h in pal]

    def branch_colour(self, i: int):
        return self.pal.accent if i < 0 else self.branch_colours[i % len(self.branch_colours)]

    @staticmethod
    def tint(c, amount: float):
        return colors.Color(c.red + (1 - c.red) * amount, c.green + (1 - c.green) * amount,
                            c.blue + (1 - c.blue) * amount)

    def text(self, x: float, y: float, line: str, level: int, size: float, ink) -> None:
        """One line of a label from its left end, each piece in a font that has its glyphs."""
        text.draw(self.c, x, y, line, size, ink, bold=level != LEAF, missing=self.m.missing)

    def node(self, box: Box, ox: float, oy: float, s: float) -> None:
        label, lines = box.data
        c = self.c
        x, top, w, h = ox + box.x * s, oy - box.y * s, box.w * s, box.h * s
        y = top - h
        col = self.branch_colour(label.branch)
        size = label.size * s
        pad_x, pad_y = self.m.padding(label.level, size)
        c.saveState()
        if label.level == CENTRE:
            c.setFillColor(self.pal.accent)
            c.setStrokeColor(self.pal.accent)
            c.roundRect(x, y, w, h, min(h / 2, 10 * s), stroke=0, fill=1)
            ink = colors.white
        else:
            tint, line, radius = BOX_STYLE[label.level]
            c.setFillColor(self.tint(col, tint))
            if line:
                c.setStrokeColor(col)
                c.setLineWidth(line * s)
            c.roundRect(x, y, w, h, min(h / 2, radius * s), stroke=1 if line else 0, fill=1)
            ink = self.pal.text
        c.restoreState()
        line_h = size * LINE
        for i, line in enumerate(lines):
            ly = top - pad_y - (i + 1) * line_h + size * 0.25
            if label.level == CENTRE:
                lx = x + (w - self.m.width(line, label.level, size)) / 2
            else:
                lx = x + pad_x
            self.text(lx, ly, line, label.level, size, ink)

    def _dash(self, branch: int, s: float) -> None:
        dash = DASHES[branch % len(DASHES)] if branch >= 0 else None
        if dash:
            self.c.setDash([d * s for d in dash], 0)
        else:
            self.c.setDash([], 0)

    def connectors(self, placed: Placed, ox: float, oy: float, s: float) -> None:
        """Curves from a parent to its children, drawn only in the gaps between columns."""
        c = self.c
        for side, direction in ((placed.right, +1), (placed.left, -1)):
            edges = column_edges(side)
            centre = placed.centre
            cx = centre.x + (centre.w if direction > 0 else 0)
            pairs = [(centre, b, cx) for b in side]
            for b in side:
                for n in b.walk():
                    for child in n.children:
                        lo, hi = edges[n.depth]
                        pairs.append((n, child, hi if direction > 0 else lo))
            for parent, child, start_x in pairs:
                label: Label = child.data[0]
                col = self.branch_colour(label.branch)
                width = {BRANCH: 2.6, SUB: 1.5, LEAF: 1.0}[label.level] * s
                py = oy - (parent.y + parent.h / 2) * s
                cy = oy - (child.y + child.h / 2) * s
                px_edge = ox + (parent.x + (parent.w if direction > 0 else 0)) * s
                x0 = ox + start_x * s
                x1 = ox + (child.x if direction > 0 else child.x + child.w) * s
                c.saveState()
                c.setStrokeColor(col)
                c.setLineWidth(width)
                c.setLineCap(1)
                self._dash(label.branch, s)
                if abs(x0 - px_edge) > 0.1:
                    c.line(px_edge, py, x0, py)  # along the parent's own row to the column edge
                mx = (x0 + x1) / 2
                p = c.beginPath()
                p.moveTo(x0, py)
                p.curveTo(mx, py, mx, cy, x1, cy)
                c.drawPath(p, stroke=1, fill=0)
                c.restoreState()

    def map(self, placed: Placed, area) -> None:
        s = placed.scale
        ox = area[0] + (area[2] - area[0] - placed.width * s) / 2
        oy = area[3] - (area[3] - area[1] - placed.height * s) / 2
        self.connectors(placed, ox, oy, s)
        for box in placed.boxes():
            self.node(box, ox, oy, s)


# -- pages ---------------------------------------------------------------------

@dataclass
class _Page:
    title: str       # bookmark
    placed: Placed
    key: str


def _plan(topic: Topic, layout: Layout, m: _Measure, area_w: float, area_h: float) -> tuple[list[_Page], str]:
    """The pages of the map and a sentence saying how it was adapted ('' when it fits whole)."""
    centre = Label(markup.plain(topic.title), CENTRE, -1, m.size[CENTRE])

    def whole(details: list[int]):
        return (centre, [(Label(f"{s.number} {section_label(s)}", BRANCH, i, m.size[BRANCH]),
                          _section_children(s, i, details[i], m)) for i, s in enumerate(topic.sections)])

    n = len(topic.sections)
    if not layout.split:
        placed = fit(whole([2] * n), m, area_w, area_h)
        if legible(placed, m):
            return [_Page("Mind map", placed, "map")], ""
        details = [0] * n
        placed = fit(whole(details), m, area_w, area_h)
        if legible(placed, m):
            # sub-points appear where they still fit, the smallest sections first
            for i in sorted(range(n), key=lambda i: _hidden(topic.sections[i])):
                if not _hidden(topic.sections[i]):
                    continue
                trial = fit(whole(details[:i] + [2] + details[i + 1:]), m, area_w, area_h)
                if legible(trial, m):
                    details[i], placed = 2, trial
            folded = [s for i, s in enumerate(topic.sections) if details[i] == 0 and _hidden(s)]
            pages = [_Page("Mind map", placed, "map")] + _section_pages(topic, folded, m, area_w, area_h)
            return pages, (f"sub-points of {len(folded)} section{'s' if len(folded) != 1 else ''} are shown as "
                           f"'+N' on the map and in full on their own page{'s' if len(folded) != 1 else ''}")
    overview = (centre, [(Label(f"{s.number} {section_label(s)}", BRANCH, i, m.size[BRANCH],
                                hidden=_content_count(s)), []) for i, s in enumerate(topic.sections)])
    pages = [_Page("Overview", fit(overview, m, area_w, area_h), "overview")]
    pages += _section_pages(topic, list(topic.sections), m, area_w, area_h)
    reason = "--split" if layout.split else "too big for one page at 7 pt"
    return pages, f"{reason}: an overview page plus {len(pages) - 1} section page{'s' if len(pages) != 2 else ''}"


def _section_pages(topic: Topic, sections: list[Section], m: _Measure, area_w: float, area_h: float) -> list[_Page]:
    """One page per section with the section in the centre; a section too big for one page at
    7 pt runs over several pages, its points shared out in order."""
    pages = []
    for sec in sections:
        branch = topic.sections.index(sec)
        title = f"{sec.number} {section_label(sec)}"
        children = None
        for detail in (2, 0):
            kids = _section_children(sec, branch, detail, m)
            tree = (Label(title, CENTRE, -1, m.size[CENTRE]), [_as_branch(k) for k in kids])
            placed = fit(tree, m, area_w, area_h)
            if legible(placed, m):
                pages.append(_Page(title, placed, f"s-{sec.id}"))
                break
            children = kids
        else:
            parts = _chunks(children, m, area_w, area_h, title)
            for n, part in enumerate(parts, 1):
                pages.append(_Page(f"{title} ({n}/{len(parts)})", part, f"s-{sec.id}-{n}"))
    return pages


def _as_branch(node) -> tuple:
    label, children = node
    promoted = Label(label.text, BRANCH if label.level in (SUB, LEAF) else label.level, label.branch,
                     label.size, label.hidden)
    return promoted, [(Label(c[0].text, LEAF if c[0].level == LEAF else SUB, c[0].branch, c[0].size,
                             c[0].hidden), c[1]) for c in children]


def _chunks(children: list, m: _Measure, area_w: float, area_h: float, title: str) -> list[Placed]:
    """Share children out over as few pages as keep every label at 7 pt or more."""
    out: list[Placed] = []
    start = 0
    while start < len(children):
        lo, hi = start + 1, len(children)
        best = None
        while lo <= hi:  # the most children from ``start`` that still fit
            mid = (lo + hi) // 2
            tree = (Label(title, CENTRE, -1, m.size[CENTRE]), [_as_branch(k) for k in children[start:mid]])
            placed = fit(tree, m, area_w, area_h)
            if legible(placed, m):
                best, lo = (mid, placed), mid + 1
            else:
                hi = mid - 1
        if best is None:  # one child alone is too big: show it without its sub-points
            label, _ = children[start]
            label.hidden += 1
            tree = (Label(title, CENTRE, -1, m.size[CENTRE]), [_as_branch((label, []))])
            best = (start + 1, fit(tree, m, area_w, area_h))
        out.append(best[1])
        start = best[0]
    return out


def render(topic: Topic, layout: Layout) -> Rendered:
    """A mind map of the topic as PDF bytes."""
    m = _Measure(layout)
    box = printable(layout)
    f = layout.fonts
    title_h = f["heading"] * 1.25 + f["small"] * 1.4 + 8
    foot_h = f["small"] * 2.6 + 4
    area = (box.x0, box.y0 + foot_h, box.x1, box.y1 - title_h)
    pages, adapted = _plan(topic, layout, m, area[2] - area[0], area[3] - area[1])

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=layout.pagesize, invariant=1)
    set_metadata(c, metadata(topic, layout, "mind map"))
    painter = _Painter(c, layout, m)
    pal = painter.pal
    sources = "; ".join(markup.plain(s.title) for s in topic.sources)
    for n, page in enumerate(pages, 1):
        c.bookmarkPage(page.key)
        c.addOutlineEntry(page.title, page.key, level=0)
        heading = markup.plain(topic.title) if n == 1 else f"{markup.plain(topic.title)} — {page.title}"
        painter.text(box.x0, box.y1 - f["heading"], heading, BRANCH, f["heading"], pal.accent)
        sub = fill(layout.footer, placeholders(topic, layout, n, len(pages)))
        if sub:
            painter.text(box.x0, box.y1 - f["heading"] * 1.25 - f["small"] * 1.1, sub, LEAF, f["small"], pal.muted)
        if sources:
            line = text.fit(f"Sources: {sources}", f["small"], box.width * 0.82)
            painter.text(box.x0, box.y0 + 1, line, LEAF, f["small"], pal.muted)
        if layout.page_numbers:  # in a class pack the pack numbers the pages
            pages_text = f"page {n} of {len(pages)}"
            painter.text(box.x1 - m.width(pages_text, LEAF, f["small"]), box.y0 + 1, pages_text, LEAF,
                         f["small"], pal.muted)
        painter.map(page.placed, area)
        c.showPage()
    c.save()
    warnings: tuple[Problem, ...] = ()
    if m.missing:
        chars = ", ".join(dict.fromkeys(fonts.describe(ch) for ch in m.missing))
        warnings = (Problem.at(topic.loc, "", f"no font has {chars}: it prints as a blank box in the mind map of "
                               f"topic '{topic.id}'", severity="warning"),)
    notes = (f"mindmap of {topic.id}: {adapted}",) if adapted else ()
    return Rendered(buf.getvalue(), len(pages), warnings, notes)
