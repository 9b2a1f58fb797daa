"""The mind map: the topic in the centre, sections as coloured branches, points as leaves.

``plan`` decides everything: labels are measured with the real fonts, placed
by the tidy-tree layout in ``_tree``, the whole map is scaled to the page,
and every box, line of text and connector gets its place on the page in PDF
points. A map that cannot be drawn with every label at 7 pt or more first
hides sub-points (the node says "+N"), then becomes an overview plus one
page per section. A section's own pages show every point it holds: a
section too big for one page runs over several parts of about equal height,
and a branch too big for any page says "+N" there and gets pages of its
own; an overview too big for one page runs over parts the same way. The
heading, footer and sources are cut to the width they have. ``draw`` only
strokes what the plan holds.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import accumulate

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from .. import fonts, markup, text
from ..errors import Loc, NotesError, Problem
from ..load.presets import Layout
from ..model import Point, Section, Topic
from ..style import MIN_BODY_PT, colour
from . import Rendered
from ._tree import Gap, Node, column_edges, height, layout_side, split_balanced
from .common import Box, printable
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
CONNECTOR_WIDTH = {BRANCH: 2.6, SUB: 1.5, LEAF: 1.0}   # by the level of the node the connector leads to
BRANCH_COLOURS = ("#1F6FB2", "#C0392B", "#2E8B57", "#8E44AD", "#D35400", "#16808A")  # when the preset has none

WHOLE, FOLDED, SPLIT = "whole", "folded", "split"   # how a map was adapted to the page

Rgb = tuple[float, float, float]
XY = tuple[float, float]


@dataclass(frozen=True)
class Label:
    """What one node shows, and what it stands for."""

    text: str
    level: int          # CENTRE, BRANCH, SUB or LEAF
    branch: int         # which branch (colour and line style); -1 for the centre
    size: float         # type size before scaling
    hidden: int = 0     # points this node holds that the map does not show
    loc: Loc = field(default=Loc(), compare=False, repr=False)  # where its text is written, for errors


@dataclass(frozen=True)
class Tree:
    """A label and the labels below it, before anything is measured."""

    label: Label
    children: tuple[Tree, ...] = ()


@dataclass(frozen=True)
class Shown:
    """A label wrapped into the lines its box holds (the data of a layout node)."""

    label: Label
    lines: tuple[str, ...]


def padding(level: int, size: float) -> tuple[float, float]:
    """Room between a box's edge and its text, across and down."""
    return {CENTRE: (size * 0.8, size * 0.6), BRANCH: (size * 0.55, size * 0.35),
            SUB: (size * 0.45, size * 0.25), LEAF: (size * 0.35, size * 0.13)}[level]


class Measure:
    """Measures and wraps labels with the real fonts (and their fallbacks), remembering characters
    that no font has."""

    def __init__(self, layout: Layout):
        fonts.register_body()
        sizes = layout.fonts
        self.size = {CENTRE: sizes["title"], BRANCH: sizes["heading"], SUB: sizes["subheading"], LEAF: sizes["body"]}
        self.max_w = {CENTRE: 9.5 * sizes["title"], BRANCH: 10 * sizes["heading"], SUB: 12 * sizes["subheading"],
                      LEAF: 14 * sizes["body"]}
        self.missing: list[str] = []
        self._unit: dict[tuple[str, int], float] = {}   # width at 1 pt: widths grow with the size
        self._wrapped: dict[tuple[str, int, float], tuple[str, ...]] = {}

    def width(self, line: str, level: int, size: float) -> float:
        key = (line, level)
        if key not in self._unit:
            self._unit[key] = text.width(line, 1.0, bold=level != LEAF, missing=self.missing)
        return self._unit[key] * size

    def wrap(self, label: str, level: int, factor: float) -> tuple[str, ...]:
        """Greedy word wrap; a word longer than the line is cut into pieces that fit."""
        key = (label, level, factor)
        if key not in self._wrapped:
            size, limit = self.size[level], self.max_w[level] * factor
            self._wrapped[key] = tuple(text.wrap(label, lambda line: self.width(line, level, size) <= limit,
                                                 lambda word: self.width(word, level, size) > limit * 1.25))
        return self._wrapped[key]

    def node(self, label: Label, factor: float) -> Node[Shown]:
        """A layout node for the label wrapped at this width factor; the node keeps its own lines."""
        shown = f"{label.text}  +{label.hidden}" if label.hidden else label.text
        lines = self.wrap(shown, label.level, factor)
        size = label.size
        pad_x, pad_y = padding(label.level, size)
        w = max(self.width(line, label.level, size) for line in lines) + 2 * pad_x
        h = len(lines) * size * LINE + 2 * pad_y
        return Node(w, h, Shown(label, lines))

    def note(self, line: str) -> None:
        """Remember the characters of a line that is printed but not measured here (page furniture)."""
        fonts.assign_fonts(line, self.missing)


# -- what the map shows --------------------------------------------------------

def _count(points: tuple[Point, ...]) -> int:
    return sum(1 + _count(p.points) for p in points)


def _point_tree(point: Point, branch: int, depth_left: int, size: float) -> Tree:
    if depth_left <= 0:
        return Tree(Label(point_label(point), LEAF, branch, size, hidden=_count(point.points), loc=point.loc))
    return Tree(Label(point_label(point), LEAF, branch, size, loc=point.loc),
                tuple(_point_tree(q, branch, depth_left - 1, size) for q in point.points))


def _section_children(sec: Section, branch: int, detail: int, measure: Measure) -> tuple[Tree, ...]:
    """Sub-sections and first-level points under a section; ``detail`` is how many levels of
    sub-points to show below a first-level point."""
    leaf = measure.size[LEAF]
    out = [Tree(Label(f"{sub.number} {section_label(sub)}", SUB, branch, measure.size[SUB], loc=sub.loc),
                tuple(_point_tree(p, branch, detail, leaf) for p in sub.points)) for sub in sec.sections]
    out += [_point_tree(p, branch, detail, leaf) for p in sec.points]
    if not out:  # a section of only key numbers or dates still shows what it holds
        out += [Tree(Label(f"{markup.compact(f.label)}: {markup.compact(f.value)}", LEAF, branch, leaf, loc=f.loc))
                for f in sec.facts]
        out += [Tree(Label(f"{markup.compact(e.when)} · {_short(markup.compact(e.what))}", LEAF, branch, leaf,
                           loc=e.loc)) for e in sec.timeline]
    return tuple(out)


def _short(line: str, words: int = 6) -> str:
    parts = line.split()
    return line if len(parts) <= words else " ".join(parts[:words]) + "…"


def _hidden(sec: Section) -> int:
    """Sub-points a map without sub-points would leave out of this section."""
    return sum(_count(p.points) for p in sec.points) + sum(_count(p.points) for sub in sec.sections for p in sub.points)


def _content_count(sec: Section) -> int:
    return _count(sec.points) + sum(1 + _content_count(s) for s in sec.sections)


def _branch_label(sec: Section, branch: int, measure: Measure, hidden: int = 0) -> Label:
    return Label(f"{sec.number} {section_label(sec)}", BRANCH, branch, measure.size[BRANCH], hidden, loc=sec.loc)


def _title_label(topic: Topic, measure: Measure) -> Label:
    return Label(markup.plain(topic.title), CENTRE, -1, measure.size[CENTRE], loc=topic.loc)


def _whole(topic: Topic, details: list[int], measure: Measure) -> Tree:
    """The whole topic, each section showing ``details[i]`` levels of sub-points."""
    return Tree(_title_label(topic, measure),
                tuple(Tree(_branch_label(s, i, measure), _section_children(s, i, details[i], measure))
                      for i, s in enumerate(topic.sections)))


def _overview(topic: Topic, measure: Measure) -> Tree:
    """The sections alone, each saying how many things its own page shows."""
    return Tree(_title_label(topic, measure),
                tuple(Tree(_branch_label(s, i, measure, _content_count(s)))
                      for i, s in enumerate(topic.sections)))


# -- placing one map -----------------------------------------------------------

@dataclass(frozen=True)
class Placed:
    """One map laid out at the preset's sizes, in points, y down from its top-left corner."""

    centre: Node[Shown]
    right: list[Node[Shown]]
    left: list[Node[Shown]]
    width: float
    height: float
    scale: float = 1.0

    def nodes(self) -> Iterator[Node[Shown]]:
        yield self.centre
        for b in self.right + self.left:
            yield from b.walk()


def _build(tree: Tree, measure: Measure, factor: float) -> Node[Shown]:
    node = measure.node(tree.label, factor)
    node.children = [_build(c, measure, factor) for c in tree.children]
    return node


def _gaps(size: float, spread: float) -> Gap:
    """The gap under a subtree whose top is at this depth: branches stand further apart than leaves."""
    def gap(depth: int) -> float:
        return size * spread * (0.8 if depth <= 1 else 0.3 if depth == 2 else 0.2)

    return gap


def place(tree: Tree, measure: Measure, factor: float, spread: float = 1.0) -> Placed:
    """Measure and lay out one map at the preset's sizes; coordinates are in points, y down."""
    centre = _build(tree, measure, factor)
    branches = centre.children
    size = measure.size[LEAF]
    col_gap = size * 2.6
    gap = _gaps(size, spread)
    r_idx, l_idx = split_balanced([height(b, gap) for b in branches])
    right = [branches[i] for i in r_idx]
    left = [branches[i] for i in reversed(l_idx)]  # clockwise: the left side reads bottom to top
    _side(right, gap, col_gap, centre.w / 2 + col_gap, +1)
    _side(left, gap, col_gap, -centre.w / 2 - col_gap, -1)
    centre.x, centre.y = -centre.w / 2, -centre.h / 2
    nodes = [centre] + [n for b in branches for n in b.walk()]
    x0, x1 = min(n.x for n in nodes), max(n.x + n.w for n in nodes)
    y0, y1 = min(n.y for n in nodes), max(n.y + n.h for n in nodes)
    for n in nodes:
        n.x -= x0
        n.y -= y0
    return Placed(centre, right, left, x1 - x0, y1 - y0)


def _side(branches: list[Node[Shown]], gap: Gap, col_gap: float, x0: float, direction: int) -> None:
    """Lay out one side and line it up on the centre box, which sits at y = 0."""
    mid = layout_side(branches, gap, col_gap, x0, direction)
    for b in branches:
        for n in b.walk():
            n.y -= mid


def _scaled(placed: Placed, area_w: float, area_h: float) -> Placed:
    return replace(placed, scale=min(area_w / placed.width, area_h / placed.height, MAX_SCALE))


def fit(tree: Tree, measure: Measure, area_w: float, area_h: float) -> Placed:
    """The label width that lets the map be largest on the page, scaled to fit; a map held back
    by the page's width gets more air between its rows instead of empty bands."""
    best, best_factor = _scaled(place(tree, measure, WIDTH_FACTORS[0]), area_w, area_h), WIDTH_FACTORS[0]
    for factor in WIDTH_FACTORS[1:]:
        placed = _scaled(place(tree, measure, factor), area_w, area_h)
        if placed.scale > best.scale + 1e-9:
            best, best_factor = placed, factor
    room = area_h / (best.height * best.scale)
    if room > 1.15:
        spread = min(room, 2.5)
        for _ in range(3):  # the rows grow but the labels do not, so a few tries settle it
            airy = _scaled(place(tree, measure, best_factor, spread), area_w, area_h)
            if airy.scale >= best.scale - 1e-9:
                return airy
            spread = 1 + (spread - 1) * 0.6
    return best


def legible(placed: Placed) -> bool:
    """Every label prints at 7 pt or more: the smallest, not the leaves' size, since a page need not
    have leaves (an overview) and a preset may make some other level smaller."""
    smallest = min(n.data.label.size for n in placed.nodes())
    return smallest * placed.scale >= MIN_BODY_PT - 1e-9


# -- which maps, on which pages ------------------------------------------------

@dataclass(frozen=True)
class _Map:
    title: str       # bookmark
    placed: Placed
    key: str


@dataclass(frozen=True)
class _Maps:
    maps: list[_Map]
    how: str                       # WHOLE, FOLDED or SPLIT
    note: str = ""                 # how it was adapted, for the build's report
    folded: tuple[str, ...] = ()   # ids of the sections shown as "+N" on the map


def _choose(topic: Topic, layout: Layout, measure: Measure, area_w: float, area_h: float) -> _Maps:
    """The pages of the map: whole if it fits, else with sub-points folded, else split."""
    if not layout.split:
        one = _one_map(topic, measure, area_w, area_h)
        if one is not None:
            return one
    overview = _overview(topic, measure)  # in parts, like a section's, when one page cannot hold it at 7 pt
    maps = _pages(overview.label, overview.children, "Overview", "overview", _Room(measure, area_w, area_h))
    own = _section_maps(topic, list(topic.sections), measure, area_w, area_h)
    reason = "--split" if layout.split else "too big for one page at 7 pt"
    pages = len(own)
    first = "an overview page" if len(maps) == 1 else f"an overview over {len(maps)} pages"
    note = f"{reason}: {first} plus {pages} section page{'s' if pages != 1 else ''}"
    return _Maps(maps + own, SPLIT, note + _spilled(own))


def _one_map(topic: Topic, measure: Measure, area_w: float, area_h: float) -> _Maps | None:
    """The whole map, or a map with some sections' sub-points folded into "+N" (those sections then
    get pages of their own); None when even the folded map is too small to read."""
    n = len(topic.sections)
    placed = fit(_whole(topic, [2] * n, measure), measure, area_w, area_h)
    if legible(placed):
        return _Maps([_Map("Mind map", placed, "map")], WHOLE)
    details = [0] * n
    placed = fit(_whole(topic, details, measure), measure, area_w, area_h)
    if not legible(placed):
        return None
    # sub-points appear where they still fit, the smallest sections first
    for i in sorted(range(n), key=lambda i: _hidden(topic.sections[i])):
        if not _hidden(topic.sections[i]):
            continue
        trial = fit(_whole(topic, details[:i] + [2] + details[i + 1:], measure), measure, area_w, area_h)
        if legible(trial):
            details[i], placed = 2, trial
    folded = [s for i, s in enumerate(topic.sections) if details[i] == 0 and _hidden(s)]
    own = _section_maps(topic, folded, measure, area_w, area_h)
    s = "s" if len(folded) != 1 else ""
    where = "on their own page" + ("s" if len(own) != 1 else "")
    note = f"sub-points of {len(folded)} section{s} are shown as '+N' on the map and in full {where}"
    return _Maps([_Map("Mind map", placed, "map"), *own], FOLDED, note + _spilled(own), tuple(sec.id for sec in folded))


def _spilled(own: list[_Map]) -> str:
    """The note's word on branches too big for any page of their section (they say "+N" there)."""
    n = sum(1 for m in own for node in m.placed.nodes() if node.data.label.hidden)
    if not n:
        return ""
    return (f"; {n} branch{'es' if n != 1 else ''} too big for a section page {'are' if n != 1 else 'is'} "
            f"shown there as '+N' and in full on pages of {'their' if n != 1 else 'its'} own")


@dataclass(frozen=True)
class _Room:
    """Where one page's map goes, and the measure that sizes its labels."""

    measure: Measure
    w: float
    h: float

    def around(self, centre: Label, children: tuple[Tree, ...]) -> Placed:
        """The children as branches of a page with ``centre`` in the middle, scaled to the page."""
        return fit(Tree(centre, tuple(_as_branch(k) for k in children)), self.measure, self.w, self.h)

    def legible(self, placed: Placed) -> bool:
        return legible(placed)

    def height_of(self, child: Tree) -> float:
        """How tall a child stands as a branch at the preset's sizes, with the gap under it: what
        part pages share out."""
        gap = _gaps(self.measure.size[LEAF], 1.0)
        return height(_build(_as_branch(child), self.measure, WIDTH_FACTORS[0]), gap) + gap(1)


def _section_maps(topic: Topic, sections: list[Section], measure: Measure, area_w: float,
                  area_h: float) -> list[_Map]:
    """The pages of each section, with the section in the centre, showing every point it holds."""
    room = _Room(measure, area_w, area_h)
    maps = []
    for sec in sections:
        title = f"{sec.number} {section_label(sec)}"
        centre = Label(title, CENTRE, -1, measure.size[CENTRE], loc=sec.loc)
        children = _section_children(sec, topic.sections.index(sec), 2, measure)
        maps += _pages(centre, children, title, f"s-{sec.id}", room)
    return maps


def _pages(centre: Label, children: tuple[Tree, ...], title: str, key: str, room: _Room) -> list[_Map]:
    """One page with ``centre`` in the middle if its children fit at 7 pt; else parts, the children
    shared out in order. A child too big for any page says "+N" on its part and gets pages of its
    own after the parts, its children shared out the same way."""
    placed = room.around(centre, children)
    if room.legible(placed):
        return [_Map(title, placed, key)]
    parts, own = _chunks(children, centre, room)
    if len(parts) == 1:
        maps = [_Map(title, parts[0], key)]
    else:
        maps = [_Map(f"{title} ({n}/{len(parts)})", part, f"{key}-{n}") for n, part in enumerate(parts, 1)]
    for i, child in own:
        label = child.label
        inner = Label(label.text, CENTRE, -1, room.measure.size[CENTRE], loc=label.loc)
        maps += _pages(inner, child.children, f"{title} — {label.text}", f"{key}.{i + 1}", room)
    return maps


def _as_branch(tree: Tree) -> Tree:
    """A section's child as a branch of the section's own page, its children one level up too."""
    label = tree.label
    promoted = replace(label, level=BRANCH if label.level in (SUB, LEAF) else label.level)
    return Tree(promoted, tuple(Tree(replace(c.label, level=LEAF if c.label.level == LEAF else SUB), c.children)
                                for c in tree.children))


def _held(tree: Tree) -> int:
    """Points below a node, shown or already counted in a "+N"."""
    return sum(1 + c.label.hidden + _held(c) for c in tree.children)


def _chunks(children: tuple[Tree, ...], centre: Label, room: _Room) -> tuple[list[Placed], list[tuple[int, Tree]]]:
    """Share children out over as few pages as keep every label at 7 pt or more, in order and as
    evenly as their heights allow. A child too big for a page by itself is shown folded, "+N"
    counting every point below it; it comes back with its index, to get pages of its own."""
    shown = list(children)
    own: list[tuple[int, Tree]] = []
    greedy = _greedy(shown, centre, room, own)
    if own:  # a fold found at the start of a part left the part before it short: count again
        greedy = _greedy(shown, centre, room, own)
    if len(greedy) == 1:
        return [greedy[0][1]], own
    return _balanced(shown, len(greedy), centre, room) or [placed for _, placed in greedy], own


def _greedy(shown: list[Tree], centre: Label, room: _Room, own: list[tuple[int, Tree]]) -> list[tuple[int, Placed]]:
    """(end, map) of each part when every page takes as many children as fit: the fewest parts. A
    child too big alone is folded in ``shown`` and noted in ``own``."""
    out: list[tuple[int, Placed]] = []
    start = 0
    while start < len(shown):
        best = _most(shown, start, centre, room)
        if best is None:  # one child alone is too big: fold it, and try again
            child = shown[start]
            if not child.children:
                raise _too_big(centre, child.label, room)
            own.append((start, child))
            shown[start] = Tree(replace(child.label, hidden=child.label.hidden + _held(child)))
            continue
        out.append(best)
        start = best[0]
    return out


def _balanced(shown: list[Tree], parts: int, centre: Label, room: _Room) -> list[Placed] | None:
    """The children cut into ``parts`` runs of about equal height, so no part is left nearly empty.
    A run too big for its page at 7 pt (a page's scale may be held back by its width too) keeps as
    many as fit and the runs after it share the rest; None when they cannot."""
    heights = [room.height_of(child) for child in shown]
    out: list[Placed] = []
    start = 0
    while start < len(shown):
        if len(out) == parts:
            return None
        end = _even_end(heights, start, parts - len(out))
        placed = room.around(centre, tuple(shown[start:end]))
        if not room.legible(placed):
            most = _most(shown[:end], start, centre, room)
            if most is None:
                return None
            end, placed = most
        out.append(placed)
        start = end
    return out


def _even_end(heights: list[float], start: int, parts: int) -> int:
    """Where the first of ``parts`` runs of about equal height from ``start`` ends: where the running
    total comes nearest its share, leaving a child for each run after it."""
    share = sum(heights[start:]) / parts
    running = list(accumulate(heights[start:len(heights) - parts + 1]))  # the first 1, 2, … children's height
    return start + 1 + min(range(len(running)), key=lambda i: abs(running[i] - share))


def _most(children: list[Tree], start: int, centre: Label, room: _Room) -> tuple[int, Placed] | None:
    """(end, map) for the most children from ``start`` that still fit a page at 7 pt; None when
    not even the first does."""
    lo, hi = start + 1, len(children)
    best = None
    while lo <= hi:
        mid = (lo + hi) // 2
        placed = room.around(centre, tuple(children[start:mid]))
        if room.legible(placed):
            best, lo = (mid, placed), mid + 1
        else:
            hi = mid - 1
    return best


def _too_big(centre: Label, label: Label, room: _Room) -> NotesError:
    """A label that no page holds at 7 pt: the page's own centre when the scale it needs even alone
    would print the child below 7 pt, else the child beside it."""
    if room.around(centre, ()).scale * label.size < MIN_BODY_PT - 1e-9:
        label = centre
    return NotesError(Problem.at(label.loc, "", (
        f"the mind map cannot print '{_short(label.text, 8)}' at {MIN_BODY_PT:g} pt or more: the label is too "
        "long for one page at this layout's type sizes; give it a shorter 'short:'")))


# -- the plan: every mark on every page, in PDF points (y up) -------------------

@dataclass(frozen=True)
class Line:
    """One line of text: ``x`` is its left end, ``y`` its baseline."""

    text: str
    x: float
    y: float
    size: float
    ink: Rgb
    bold: bool = False


@dataclass(frozen=True)
class MapNode:
    """A label's box on the page: ``x``, ``y`` is its bottom-left corner, ``size`` the printed type size."""

    text: str
    level: int
    branch: int
    hidden: int
    side: int        # +1 right of the centre, -1 left, 0 the centre itself
    column: int      # 0 the centre, 1 the branches, 2 their children, …
    x: float
    y: float
    w: float
    h: float
    size: float
    radius: float
    fill: Rgb
    outline: Rgb | None   # the stroke colour set for the box (the centre sets it but does not stroke)
    outline_width: float  # 0: the box is not stroked
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Connector:
    """A line from a parent to a child: along the parent's row to its column's edge (``stem``, when
    the parent is narrower than its column), then a curve across the gap to the child."""

    stem: tuple[XY, XY] | None
    curve: tuple[XY, XY, XY, XY]   # start, two control points, end
    ink: Rgb
    width: float
    dash: tuple[float, ...]        # empty: a solid line


@dataclass(frozen=True)
class MapPage:
    """One page: a map scaled into the area, and the lines around it."""

    title: str                 # the bookmark
    key: str                   # the bookmark's destination name
    scale: float               # printed size / preset size of every label on the page
    nodes: tuple[MapNode, ...]
    connectors: tuple[Connector, ...]
    heading: Line
    footer: Line | None        # the preset's footer text, under the heading
    sources: Line | None
    page_number: Line | None   # None inside a class pack, which numbers the pages itself

    def furniture(self) -> tuple[Line, ...]:
        return tuple(line for line in (self.heading, self.footer, self.sources, self.page_number) if line)


@dataclass(frozen=True)
class MindmapPlan:
    """Everything the mind map of a topic prints, decided; ``draw`` only strokes it."""

    pagesize: tuple[float, float]
    metadata: tuple[tuple[str, str], ...]
    area: Box                          # where the maps go: the printable area less heading and sources
    pages: tuple[MapPage, ...]
    how: str                           # WHOLE, FOLDED ("+N" on the map, folded sections on pages of their own)
    folded: tuple[str, ...]            # or SPLIT (an overview page plus pages per section)
    notes: tuple[str, ...]             # how the map was adapted, for the build's report; () when it fits whole
    warnings: tuple[Problem, ...]


@dataclass(frozen=True)
class _Inks:
    accent: Rgb
    text: Rgb
    muted: Rgb
    branches: tuple[Rgb, ...]

    @staticmethod
    def of(layout: Layout) -> _Inks:
        def rgb(hex_: str) -> Rgb:
            c = colour(hex_, layout.grayscale)
            return (c.red, c.green, c.blue)

        return _Inks(rgb(layout.colours["accent"]), rgb(layout.colours["text"]), rgb(layout.colours["muted"]),
                     tuple(rgb(h) for h in layout.palette or BRANCH_COLOURS))

    def branch(self, i: int) -> Rgb:
        return self.accent if i < 0 else self.branches[i % len(self.branches)]


def _tint(ink: Rgb, amount: float) -> Rgb:
    return (ink[0] + (1 - ink[0]) * amount, ink[1] + (1 - ink[1]) * amount, ink[2] + (1 - ink[2]) * amount)


@dataclass(frozen=True)
class _Frame:
    """Where one placed map lands on the page: page x = ox + x * scale, page y = oy - y * scale."""

    ox: float
    oy: float
    s: float

    @staticmethod
    def centred(placed: Placed, area: Box) -> _Frame:
        s = placed.scale
        return _Frame(area.x0 + (area.x1 - area.x0 - placed.width * s) / 2,
                      area.y1 - (area.y1 - area.y0 - placed.height * s) / 2, s)


def _look(label: Label, h: float, s: float, inks: _Inks) -> tuple[Rgb, Rgb | None, float, float, Rgb]:
    """(fill, outline colour, outline width, corner radius, text ink) of a box ``h`` high at scale ``s``."""
    if label.level == CENTRE:  # its stroke colour is set, but it is not stroked
        return inks.accent, inks.accent, 0.0, min(h / 2, 10 * s), (1.0, 1.0, 1.0)
    col = inks.branch(label.branch)
    tint, line, corner = BOX_STYLE[label.level]
    return _tint(col, tint), col if line else None, line * s, min(h / 2, corner * s), inks.text


def _map_node(node: Node[Shown], side: int, at: _Frame, measure: Measure, inks: _Inks) -> MapNode:
    label, s = node.data.label, at.s
    x, top, w, h = at.ox + node.x * s, at.oy - node.y * s, node.w * s, node.h * s
    size = label.size * s
    pad_x, pad_y = padding(label.level, size)
    fill_, outline, outline_width, radius, ink = _look(label, h, s, inks)
    line_h = size * LINE
    lines = []
    for i, line_text in enumerate(node.data.lines):
        ly = top - pad_y - (i + 1) * line_h + size * 0.25
        if label.level == CENTRE:
            lx = x + (w - measure.width(line_text, label.level, size)) / 2
        else:
            lx = x + pad_x
        lines.append(Line(line_text, lx, ly, size, ink, bold=label.level != LEAF))
    return MapNode(label.text, label.level, label.branch, label.hidden, side, node.depth, x, top - h, w, h, size,
                   radius, fill_, outline, outline_width, tuple(lines))


def _nodes(placed: Placed, at: _Frame, measure: Measure, inks: _Inks) -> tuple[MapNode, ...]:
    out = [_map_node(placed.centre, 0, at, measure, inks)]
    for side, branches in ((+1, placed.right), (-1, placed.left)):
        out += [_map_node(n, side, at, measure, inks) for b in branches for n in b.walk()]
    return tuple(out)


Route = tuple[Node[Shown], Node[Shown], float]


def _routes(placed: Placed, side: list[Node[Shown]], direction: int) -> Iterator[Route]:
    """(parent, child, x where the curve starts): curves start at the edge of the parent's column,
    so they run only in the gaps between columns."""
    centre = placed.centre
    cx = centre.x + (centre.w if direction > 0 else 0)
    for b in side:
        yield centre, b, cx
    edges = column_edges(side)
    for b in side:
        for n in b.walk():
            lo, hi = edges[n.depth]
            for child in n.children:
                yield n, child, hi if direction > 0 else lo


def _connector(parent: Node[Shown], child: Node[Shown], start_x: float, direction: int, at: _Frame,
               inks: _Inks) -> Connector:
    label, ox, oy, s = child.data.label, at.ox, at.oy, at.s
    py = oy - (parent.y + parent.h / 2) * s
    cy = oy - (child.y + child.h / 2) * s
    px_edge = ox + (parent.x + (parent.w if direction > 0 else 0)) * s
    x0 = ox + start_x * s
    x1 = ox + (child.x if direction > 0 else child.x + child.w) * s
    stem = ((px_edge, py), (x0, py)) if abs(x0 - px_edge) > 0.1 else None
    mx = (x0 + x1) / 2
    dash = DASHES[label.branch % len(DASHES)] if label.branch >= 0 else None
    return Connector(stem, ((x0, py), (mx, py), (mx, cy), (x1, cy)), inks.branch(label.branch),
                     CONNECTOR_WIDTH[label.level] * s, tuple(d * s for d in dash) if dash else ())


def _connectors(placed: Placed, at: _Frame, inks: _Inks) -> tuple[Connector, ...]:
    return tuple(_connector(parent, child, start_x, direction, at, inks)
                 for side, direction in ((placed.right, +1), (placed.left, -1))
                 for parent, child, start_x in _routes(placed, side, direction))


@dataclass(frozen=True)
class _Furniture:
    """What every page carries around the map, and where."""

    topic: Topic
    layout: Layout
    box: Box
    inks: _Inks
    sources: str

    def page(self, n: int, count: int, title: str, measure: Measure) -> tuple[Line, Line | None, Line | None,
                                                                              Line | None]:
        """Heading and footer above the map, sources and page number below it; each line is cut to
        the width it has, so none runs past the margin on a narrow page."""
        sizes, box, muted = self.layout.fonts, self.box, self.inks.muted
        small = sizes["small"]
        name = markup.plain(self.topic.title)
        whole = title in ("Mind map", "Overview")  # the topic's own page; "Overview (1/2)" says it goes on
        head = text.fit(name if whole else f"{name} — {title}", sizes["heading"], box.width, bold=True)
        heading = Line(head, box.x0, box.y1 - sizes["heading"], sizes["heading"], self.inks.accent, bold=True)
        sub = text.fit(fill(self.layout.footer, placeholders(self.topic, self.layout, n, count)), small, box.width)
        footer = Line(sub, box.x0, box.y1 - sizes["heading"] * 1.25 - small * 1.1, small, muted) if sub else None
        number = None
        room = box.width
        if self.layout.page_numbers:  # in a class pack the pack numbers the pages
            words = f"page {n} of {count}"
            number_w = measure.width(words, LEAF, small)
            number = Line(words, box.x1 - number_w, box.y0 + 1, small, muted)
            room -= number_w + 2 * small  # the sources line stops short of the number beside it
        sources = None
        if self.sources:
            sources = Line(text.fit(f"Sources: {self.sources}", small, room), box.x0, box.y0 + 1, small, muted)
        return heading, footer, sources, number


def _area(layout: Layout, box: Box) -> Box:
    """The printable area less the heading above and the sources line below."""
    sizes = layout.fonts
    title_h = sizes["heading"] * 1.25 + sizes["small"] * 1.4 + 8
    foot_h = sizes["small"] * 2.6 + 4
    return Box(box.x0, box.y0 + foot_h, box.x1, box.y1 - title_h)


def _warnings(topic: Topic, missing: list[str]) -> tuple[Problem, ...]:
    if not missing:
        return ()
    chars = list(dict.fromkeys(missing))
    return tuple(Problem.at(topic.loc, "", f"{count} {script} character{'s have' if count != 1 else ' has'} no font "
                            f"(first {fonts.describe(next(c for c in chars if fonts.script_of(c) == script))}) and "
                            f"print{'' if count != 1 else 's'} as blank boxes in the mind map of topic '{topic.id}'; "
                            f"{hint}", severity="warning")
                 for script, count, hint in fonts.summarize(chars))


def plan(topic: Topic, layout: Layout) -> MindmapPlan:
    """Every page of the topic's mind map: which maps, and every box, line and connector on them."""
    measure = Measure(layout)
    box = printable(layout)
    area = _area(layout, box)
    chosen = _choose(topic, layout, measure, area.width, area.height)
    inks = _Inks.of(layout)
    furniture = _Furniture(topic, layout, box, inks, "; ".join(markup.plain(s.title) for s in topic.sources))
    pages = []
    for n, one in enumerate(chosen.maps, 1):
        at = _Frame.centred(one.placed, area)
        heading, footer, sources, number = furniture.page(n, len(chosen.maps), one.title, measure)
        pages.append(MapPage(one.title, one.key, one.placed.scale, _nodes(one.placed, at, measure, inks),
                             _connectors(one.placed, at, inks), heading, footer, sources, number))
    for page in pages:  # the labels were measured while planning; the furniture is printed unmeasured
        for line in page.furniture():
            measure.note(line.text)
    notes = (f"mindmap of {topic.id}: {chosen.note}",) if chosen.note else ()
    return MindmapPlan(layout.pagesize, tuple(metadata(topic, layout, "mind map").items()), area, tuple(pages),
                       chosen.how, chosen.folded, notes, _warnings(topic, measure.missing))


# -- drawing -------------------------------------------------------------------

def _ink(rgb: Rgb) -> colors.Color:
    return colors.Color(*rgb)


def _text(c: Canvas, line: Line) -> None:
    text.draw(c, line.x, line.y, line.text, line.size, _ink(line.ink), bold=line.bold)


def _box(c: Canvas, node: MapNode) -> None:
    c.saveState()
    c.setFillColor(_ink(node.fill))
    if node.outline is not None:
        c.setStrokeColor(_ink(node.outline))
    if node.outline_width:
        c.setLineWidth(node.outline_width)
    c.roundRect(node.x, node.y, node.w, node.h, node.radius, stroke=1 if node.outline_width else 0, fill=1)
    c.restoreState()
    for line in node.lines:
        _text(c, line)


def _stroke(c: Canvas, con: Connector) -> None:
    c.saveState()
    c.setStrokeColor(_ink(con.ink))
    c.setLineWidth(con.width)
    c.setLineCap(1)
    c.setDash(list(con.dash), 0)
    if con.stem:
        (x0, y0), (x1, y1) = con.stem
        c.line(x0, y0, x1, y1)
    (x0, y0), (ax, ay), (bx, by), (x1, y1) = con.curve
    path = c.beginPath()
    path.moveTo(x0, y0)
    path.curveTo(ax, ay, bx, by, x1, y1)
    c.drawPath(path, stroke=1, fill=0)
    c.restoreState()


def draw(plan: MindmapPlan) -> Rendered:
    """The plan as PDF bytes: bookmarks, furniture, connectors under the boxes, boxes and their text."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=plan.pagesize, invariant=1)
    set_metadata(c, dict(plan.metadata))
    for page in plan.pages:
        c.bookmarkPage(page.key)
        c.addOutlineEntry(page.title, page.key, level=0)
        for line in page.furniture():
            _text(c, line)
        for con in page.connectors:
            _stroke(c, con)
        for node in page.nodes:
            _box(c, node)
        c.showPage()
    c.save()
    return Rendered(buf.getvalue(), len(plan.pages), plan.warnings, plan.notes)


def render(topic: Topic, layout: Layout) -> Rendered:
    """A mind map of the topic as PDF bytes."""
    return draw(plan(topic, layout))
