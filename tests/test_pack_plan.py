"""The class pack's page plan as numbers, no PDF: duplex blanks, even front matter, contents
pagination, page numbers, each part's first page, and where contents lines (and their links) stand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studynotes.finish.pack import LINE, MARGIN, Entry, Group, PackPlan, contents_rows, lines_per_page, plan_pages
from studynotes.load.presets import PAPERS

A4 = PAPERS["A4"]
LANDSCAPE = (A4[1], A4[0])
LETTER = PAPERS["Letter"]
PER_PAGE = 39  # contents lines on an A4 page


def pages(*counts: int, size: tuple[float, float] = A4) -> list[list[tuple[float, float]]]:
    """Page sizes for parts of these page counts."""
    return [[size] * n for n in counts]


def kinds(plan: PackPlan) -> str:
    """The plan at a glance: C cover, T contents, B blank, then each content page's part number."""
    mark = {"cover": "C", "contents": "T", "blank": "B"}
    return "".join(mark.get(s.kind) or str(s.part) for s in plan.slots)


def blanks(plan: PackPlan) -> list[int]:
    return [i for i, s in enumerate(plan.slots) if s.kind == "blank"]


def starts(plan: PackPlan) -> list[int]:
    """The physical index of each topic's first page."""
    return [plan.first_page[plan.parts(g).start] for g in range(len(plan.groups))]


TWO = [Group("India–Japan Relations", ("Revision sheet", "Mind map")),
       Group("The Indian Monsoon", ("Revision sheet", "Mind map"))]


# -- duplex blanks ------------------------------------------------------------------------------------------

def test_a_topic_that_would_start_on_a_left_hand_page_gets_a_blank_before_it():
    # the first topic's 3 + 2 pages fill physical pages 3-7 (indices 2-6): the next would be page 8, a left page
    plan = plan_pages(TWO, pages(3, 2, 2, 1), PER_PAGE, duplex=True)
    assert kinds(plan) == "CT00011B223"
    assert blanks(plan) == [7]
    assert starts(plan) == [2, 8]
    assert plan.first_page == (2, 5, 8, 10)
    assert len(plan.slots) == 11 and plan.front == 2 and plan.total == 9


def test_no_blank_where_the_topic_starts_on_a_right_hand_page_anyway():
    plan = plan_pages(TWO, pages(3, 1, 2, 1), PER_PAGE, duplex=True)
    assert kinds(plan) == "CT0001223"
    assert blanks(plan) == []
    assert starts(plan) == [2, 6]


def test_no_blanks_without_duplex_even_where_a_topic_starts_on_a_left_hand_page():
    plan = plan_pages(TWO, pages(3, 2, 2, 1), PER_PAGE, duplex=False)
    assert kinds(plan) == "CT00011223"
    assert blanks(plan) == []
    assert starts(plan) == [2, 7]  # physical page 8, a left-hand page


def test_one_page_topics_in_duplex_get_a_blank_after_all_but_the_last():
    """20 one-page topics: two contents pages, so the front matter is padded too."""
    groups = [Group(f"Tiny topic {i:02d}", ("One-page summary",)) for i in range(1, 21)]
    plan = plan_pages(groups, pages(*[1] * 20), PER_PAGE, duplex=True)
    assert plan.front == 4
    assert starts(plan) == [4 + 2 * k for k in range(20)]
    assert blanks(plan) == [3] + [5 + 2 * k for k in range(19)]
    assert len(plan.slots) == 4 + 20 + 19
    assert plan.entries[-2:] == (Entry("Tiny topic 20", 0, 39), Entry("One-page summary", 1, 39))


@given(st.lists(st.lists(st.integers(1, 5), min_size=1, max_size=3), min_size=1, max_size=8), st.booleans())
def test_duplex_blanks_exactly_where_needed_for_any_page_counts(counts, two_contents_pages):
    groups = [Group(f"T{g}", tuple(f"k{k}" for k in range(len(parts)))) for g, parts in enumerate(counts)]
    per_page = 2 if two_contents_pages else PER_PAGE
    plan = plan_pages(groups, pages(*[n for parts in counts for n in parts]), per_page, duplex=True)
    assert plan.front % 2 == 0
    topic_starts = starts(plan)
    assert all(s % 2 == 0 for s in topic_starts), kinds(plan)  # every topic on a right-hand page
    for b in blanks(plan):  # and a blank only where that needed one: on a left-hand page before a start
        assert b % 2 == 1 and (b + 1 in topic_starts or b + 1 == plan.front), kinds(plan)
    # the parts' pages, all of them, in order
    content = [(s.part, s.page) for s in plan.slots if s.kind == "content"]
    assert content == [(p, k) for p, parts in enumerate(n for c in counts for n in c) for k in range(parts)]


def test_a_blank_before_a_topic_has_the_size_of_that_topics_first_page():
    plan = plan_pages(TWO, [[A4] * 3, [A4] * 2, [LANDSCAPE], [A4]], PER_PAGE, duplex=True, front_size=LETTER)
    assert [s.size for s in plan.slots[:2]] == [LETTER, LETTER]
    assert plan.slots[7].kind == "blank" and plan.slots[7].size == LANDSCAPE
    assert plan.slots[8].size == LANDSCAPE and plan.slots[9].size == A4


# -- front matter -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("topics, contents_pages, duplex, front", [
    (2, 1, True, 2),    # cover, contents
    (4, 2, True, 4),    # cover, 2 contents, a blank
    (6, 3, True, 4),    # cover, 3 contents: even already
    (4, 2, False, 3),   # printed one-sided, never padded
])
def test_front_matter_is_even_in_duplex(topics, contents_pages, duplex, front):
    groups = [Group(f"T{i}", ("Mind map",)) for i in range(topics)]
    plan = plan_pages(groups, pages(*[1] * topics), 4, duplex)  # two topics (4 lines) to a contents page
    assert len(plan.contents) == contents_pages
    assert [s.kind for s in plan.slots[1:1 + contents_pages]] == ["contents"] * contents_pages
    assert plan.front == front
    assert all(s.number == 0 for s in plan.slots[:front])
    assert plan.slots[front].kind == "content" and plan.slots[front].number == 1


def test_an_empty_pack_still_has_a_cover_and_a_contents_page():
    plan = plan_pages([], [], PER_PAGE, duplex=True)
    assert kinds(plan) == "CT" and plan.contents == ((),) and plan.total == 0


# -- contents pagination ------------------------------------------------------------------------------------

def test_a_topics_lines_stay_on_one_contents_page():
    groups = [Group("A", ("r", "m")), Group("B", ("r", "m")), Group("C", ("s",))]
    plan = plan_pages(groups, pages(1, 1, 1, 1, 1), 5, duplex=False)
    # A's 3 lines, then B's 3 would make 6 > 5: B starts the second page, and C (2 lines) joins it
    assert [[e.label for e in page] for page in plan.contents] == [["A", "r", "m"], ["B", "r", "m", "C", "s"]]


def test_the_last_topic_does_not_leave_its_kind_behind():
    groups = [Group(f"Tiny topic {i:02d}", ("One-page summary",)) for i in range(1, 21)]
    plan = plan_pages(groups, pages(*[1] * 20), PER_PAGE, duplex=False)
    assert [len(page) for page in plan.contents] == [38, 2]  # 40 lines: 39 would fit, but not topic 20's both
    assert [e.label for e in plan.contents[1]] == ["Tiny topic 20", "One-page summary"]


def test_a_topic_longer_than_a_page_spills_onto_the_next():
    groups = [Group("A", ("r",)), Group("Big", tuple(f"k{k}" for k in range(6))), Group("C", ("s",))]
    plan = plan_pages(groups, pages(*[1] * 8), 4, duplex=False)
    labels = [[e.label for e in page] for page in plan.contents]
    assert labels[0] == ["A", "r"]  # Big (7 lines) does not fit beside A
    assert labels[1] == ["Big", "k0", "k1", "k2"] and labels[2] == ["k3", "k4", "k5"]
    assert ["C", "s"] in labels
    assert all(len(page) <= 4 for page in plan.contents)
    assert len(plan.contents) == len([s for s in plan.slots if s.kind == "contents"])


# -- numbers and first pages --------------------------------------------------------------------------------

def test_content_pages_are_numbered_from_one_and_blanks_between_topics_count():
    plan = plan_pages(TWO, pages(3, 2, 2, 1), PER_PAGE, duplex=True)
    assert [s.number for s in plan.slots] == [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert plan.slots[7].kind == "blank" and plan.slots[7].number == 6
    assert [plan.physical(n) for n in (1, 6, 9)] == [2, 7, 10]


def test_contents_entries_carry_the_number_of_each_parts_first_page():
    plan = plan_pages(TWO, pages(3, 2, 2, 1), PER_PAGE, duplex=True)
    assert plan.first_page == (2, 5, 8, 10)
    assert [(e.label, e.level, e.number) for e in plan.entries] == [
        ("India–Japan Relations", 0, 1), ("Revision sheet", 1, 1), ("Mind map", 1, 4),
        ("The Indian Monsoon", 0, 7), ("Revision sheet", 1, 7), ("Mind map", 1, 9)]
    for e in plan.entries:
        assert plan.slots[plan.physical(e.number)].kind == "content"
    assert [(s.part, s.page) for s in plan.slots[8:]] == [(2, 0), (2, 1), (3, 0)]


def test_the_plan_checks_its_inputs():
    with pytest.raises(ValueError, match="page sizes"):
        plan_pages(TWO, pages(3, 2, 2), PER_PAGE, duplex=True)
    with pytest.raises(ValueError, match="at least one line"):
        plan_pages(TWO, pages(3, 2, 2, 1), 0, duplex=True)


# -- where the contents lines stand -------------------------------------------------------------------------

@pytest.mark.parametrize("paper, lines", [("A4", 39), ("Letter", 37), ("A5", 25)])
def test_contents_lines_per_page(paper, lines):
    assert lines_per_page(PAPERS[paper]) == lines


def test_contents_rows_and_their_link_rectangles():
    entries = [Entry("India–Japan Relations", 0, 1), Entry("Revision sheet", 1, 1), Entry("Mind map", 1, 4)]
    rows = contents_rows(A4, entries)
    assert MARGIN == pytest.approx(51.02, abs=0.01)
    assert [r.y for r in rows] == pytest.approx([730.87, 713.87, 696.87], abs=0.01)
    assert [r.x for r in rows] == pytest.approx([MARGIN, MARGIN + 16, MARGIN + 16])
    assert [r.size for r in rows] == [11, 10, 10]
    assert rows[0].link == pytest.approx((51.02, 726.87, 544.25, 741.87), abs=0.01)
    assert rows[2].link == pytest.approx((67.02, 692.87, 544.25, 706.87), abs=0.01)
    # the last line a page holds stays above the bottom margin
    last = contents_rows(A4, [entries[1]] * lines_per_page(A4))[-1]
    assert last.y - 4 >= MARGIN and rows[0].y - rows[1].y == pytest.approx(LINE)
