"""Compact two-sided tidy-tree layout for boxes of different sizes (no drawing, no fonts).

Each depth of the tree is a column; inside a column, nodes of one subtree
are stacked and the next sibling subtree is pushed down just as far as its
contour (the top and bottom of each of its columns) needs to clear the
contour of the subtrees above it — the Reingold–Tilford idea for layered
trees. Parents are centred on their first and last child. Nodes in one
column never overlap because of the stacking, and nodes in different
columns never overlap because columns do not; the gaps between columns
carry the connectors, so no connector crosses a node. Time is linear in the
number of nodes times the depth (at most 4 here).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")
Gap = Callable[[int], float]  # the vertical gap between neighbouring subtrees whose tops are at this depth
Contour = list[list[float]]   # [top, bottom] of each column of a subtree, first column first


@dataclass(eq=False)
class Node(Generic[T]):
    """One box of the tree; the layout fills in ``x``, ``y`` and ``depth`` (the column)."""

    w: float
    h: float
    data: T
    children: list[Node[T]] = field(default_factory=list)
    x: float = 0.0       # left edge, absolute after layout
    y: float = 0.0       # top edge (y grows downwards), absolute after layout
    depth: int = 0
    _rel: float = 0.0    # top relative to the subtree's origin
    _off: float = 0.0    # subtree origin relative to the parent's subtree origin

    def walk(self) -> Iterator[Node[T]]:
        yield self
        for c in self.children:
            yield from c.walk()


def _subtree(node: Node[T], gap: Gap, depth: int) -> Contour:
    """Lay out below ``node``; returns its contour relative to the subtree."""
    node.depth = depth
    if not node.children:
        node._rel = 0.0
        return [[0.0, node.h]]
    merged = _stack(node.children, gap, depth + 1)
    first, last = node.children[0], node.children[-1]
    mid = ((first._off + first._rel + first.h / 2) + (last._off + last._rel + last.h / 2)) / 2
    node._rel = mid - node.h / 2
    return [[node._rel, node._rel + node.h], *merged]


def _stack(nodes: list[Node[T]], gap: Gap, depth: int) -> Contour:
    """Stack sibling subtrees top to bottom as closely as their contours allow."""
    merged: Contour = []
    for child in nodes:
        contour = _subtree(child, gap, depth)
        if not merged:
            shift = 0.0
        else:
            shared = min(len(merged), len(contour))
            shift = max(merged[d][1] + gap(depth + d) - contour[d][0] for d in range(shared))
        child._off = shift
        for d, (top, bottom) in enumerate(contour):
            if d < len(merged):
                merged[d][0] = min(merged[d][0], top + shift)
                merged[d][1] = max(merged[d][1], bottom + shift)
            else:
                merged.append([top + shift, bottom + shift])
    return merged


def _place(node: Node[T], origin: float) -> None:
    node.y = origin + node._rel
    for c in node.children:
        _place(c, origin + c._off)


def height(branch: Node[T], gap: Gap) -> float:
    """How tall one branch is when laid out alone (to share the branches out between the sides)."""
    contour = _stack([branch], gap, 1)
    return max(c[1] for c in contour) - min(c[0] for c in contour)


def layout_side(branches: list[Node[T]], gap: Gap, col_gap: float, x0: float, direction: int) -> float:
    """Lay out one side of a map: branches in column 1, their children in column 2, …

    ``direction`` is +1 (columns grow to the right of x0) or -1 (to the left).
    Returns the middle of the branch span (between the centres of the first and last
    branch), so the caller can line the side up on the centre of the map.
    """
    if not branches:
        return 0.0
    _stack(branches, gap, 1)
    for b in branches:
        _place(b, b._off)
    widths: dict[int, float] = {}
    for b in branches:
        for n in b.walk():
            widths[n.depth] = max(widths.get(n.depth, 0.0), n.w)
    edge = {}
    x = x0
    for d in sorted(widths):
        edge[d] = x
        x += direction * (widths[d] + col_gap)
    for b in branches:
        for n in b.walk():
            n.x = edge[n.depth] if direction > 0 else edge[n.depth] - n.w
    return (branches[0].y + branches[0].h / 2 + branches[-1].y + branches[-1].h / 2) / 2


def column_edges(branches: list[Node[T]]) -> dict[int, tuple[float, float]]:
    """Left and right edge of each column of a laid-out side."""
    edges: dict[int, tuple[float, float]] = {}
    for b in branches:
        for n in b.walk():
            lo, hi = edges.get(n.depth, (n.x, n.x + n.w))
            edges[n.depth] = (min(lo, n.x), max(hi, n.x + n.w))
    return edges


def split_balanced(heights: list[float]) -> tuple[list[int], list[int]]:
    """Which branches go right and which left, so both sides are about as tall.

    The reading order (clockwise from the top right) is kept when a split
    of it is within 10% of the best balance; otherwise the largest branches
    are dealt out first to the shorter side, each side keeping its order.
    """
    n = len(heights)
    if n <= 1:
        return list(range(n)), []
    total, run, best_k, best = sum(heights), 0.0, 1, float("inf")
    for k in range(1, n):
        run += heights[k - 1]
        if max(run, total - run) < best:
            best, best_k = max(run, total - run), k
    right: list[int] = []
    left: list[int] = []
    hr = hl = 0.0
    for i in sorted(range(n), key=lambda i: -heights[i]):
        if hr <= hl:
            right.append(i)
            hr += heights[i]
        else:
            left.append(i)
            hl += heights[i]
    if best <= 1.1 * max(hr, hl):
        return list(range(best_k)), list(range(best_k, n))
    return sorted(right), sorted(left)
