"""The tidy-tree layout on its own, as numbers: which side each branch goes to, and how a side stacks."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studynotes.render._tree import Node, column_edges, height, layout_side, split_balanced

GAP = 2.0
COL_GAP = 5.0


def gap(depth: int) -> float:
    return GAP


def node(w: float, h: float, *children: Node[str], name: str = "") -> Node[str]:
    return Node(w, h, name, list(children))


def overlaps(a: Node[str], b: Node[str]) -> bool:
    return a.x < b.x + b.w - 1e-9 and b.x < a.x + a.w - 1e-9 and a.y < b.y + b.h - 1e-9 and b.y < a.y + a.h - 1e-9


# -- split_balanced --------------------------------------------------------------

def test_no_branch_or_one_branch_goes_right():
    assert split_balanced([]) == ([], [])
    assert split_balanced([4.0]) == ([0], [])


def test_the_reading_order_is_kept_when_its_split_is_about_as_good():
    assert split_balanced([3, 1, 1, 1]) == ([0], [1, 2, 3])
    assert split_balanced([1, 1, 1, 1]) == ([0, 1], [2, 3])
    assert split_balanced([1, 1, 1, 5]) == ([0, 1, 2], [3])  # 3 : 5, and no split does better


def test_large_branches_are_dealt_out_when_the_reading_order_is_lopsided():
    # in reading order the best split is 5+5 : 1+1+1+1 (10 : 4); dealing out gives 7 : 7
    assert split_balanced([5, 5, 1, 1, 1, 1]) == ([0, 2, 4], [1, 3, 5])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=1, max_value=100), min_size=2, max_size=12))
def test_every_branch_goes_to_exactly_one_side_in_order(heights):
    right, left = split_balanced(heights)
    assert sorted(right + left) == list(range(len(heights)))
    assert right == sorted(right) and left == sorted(left) and right
    # never worse than 10% over dealing the largest out first, which is within the tallest branch of even
    taller = max(sum(heights[i] for i in right), sum(heights[i] for i in left))
    assert taller <= 1.1 * (sum(heights) / 2 + max(heights)) + 1e-9


# -- layout_side -----------------------------------------------------------------

def test_leaf_branches_stack_top_down_one_gap_apart_in_one_column():
    a, b, c = node(30, 10), node(20, 20), node(40, 5)
    mid = layout_side([a, b, c], gap, COL_GAP, 100, +1)
    assert [n.y for n in (a, b, c)] == [0, 12, 34]
    assert [n.x for n in (a, b, c)] == [100, 100, 100]  # the column's left edge is x0
    assert mid == pytest.approx((5 + 36.5) / 2)  # between the middles of the first and last branch


def test_a_parent_is_centred_on_its_first_and_last_child_in_the_next_column():
    kids = [node(10, 10), node(50, 10), node(30, 10)]
    parent = node(40, 6, *kids)
    layout_side([parent], gap, COL_GAP, 0, +1)
    assert [k.y for k in kids] == [0, 12, 24]
    assert parent.y + parent.h / 2 == pytest.approx((kids[0].y + 5 + kids[2].y + 5) / 2)
    assert [k.x for k in kids] == [40 + COL_GAP] * 3  # column 2 starts one gap after the widest of column 1
    assert column_edges([parent]) == {1: (0, 40), 2: (45, 95)}


def test_a_leaf_branch_tucks_in_beside_its_neighbours_children():
    # only column 1 is shared, so the leaf clears the parent, not the parent's taller children
    kids = [node(10, 10), node(10, 10), node(10, 10)]
    parent, leaf = node(20, 10, *kids), node(20, 10)
    layout_side([parent, leaf], gap, COL_GAP, 0, +1)
    assert parent.y == 12 and leaf.y == parent.y + parent.h + GAP
    assert leaf.y < kids[-1].y + kids[-1].h  # beside the children, not below them
    assert height(node(20, 10, *[node(10, 10) for _ in range(3)]), gap) == 34


def test_the_left_side_grows_leftwards_with_right_edges_on_the_column_edge():
    kids = [node(10, 10), node(25, 10)]
    a, b = node(30, 10, *kids), node(20, 10)
    layout_side([a, b], gap, COL_GAP, -50, -1)
    assert a.x + a.w == -50 and b.x + b.w == -50
    assert [k.x + k.w for k in kids] == [-50 - 30 - COL_GAP] * 2
    assert column_edges([a, b]) == {1: (-80, -50), 2: (-110, -85)}


def test_an_empty_side_is_nothing():
    assert layout_side([], gap, COL_GAP, 0, +1) == 0.0


sizes = st.tuples(st.floats(min_value=1, max_value=80), st.floats(min_value=1, max_value=30))


@st.composite
def trees(draw, depth: int = 1) -> Node[str]:
    w, h = draw(sizes)
    children = draw(st.lists(trees(depth + 1), max_size=3)) if depth < 4 else []
    return Node(w, h, "", children)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(st.lists(trees(), min_size=1, max_size=5), st.sampled_from([+1, -1]))
def test_no_two_nodes_overlap_and_columns_keep_their_gap(branches, direction):
    layout_side(branches, lambda d: 1.0 + d, COL_GAP, 0, direction)
    nodes = [n for b in branches for n in b.walk()]
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            assert not overlaps(a, b)
    edges = sorted(column_edges(branches).values())
    for (_, hi), (lo, _) in pairwise(edges):
        assert lo - hi == pytest.approx(COL_GAP)
    for n in nodes:
        if n.children:  # centred on its first and last child
            first, last = n.children[0], n.children[-1]
            assert n.y + n.h / 2 == pytest.approx((first.y + first.h / 2 + last.y + last.h / 2) / 2)
