"""Picking sections (-s), tags (-t) and exclusion (-x) on loaded topics, without rendering anything."""

from __future__ import annotations

import textwrap
from dataclasses import replace

import pytest

from studynotes.errors import UsageError
from studynotes.load import notes as loader
from studynotes.model import Topic
from studynotes.select import pick, pick_all

NOTES = """\
    topic: Tee
    tags: [whole]
    sections:
      - id: a
        title: Alpha
        tags: [x]
        points: [a point]
      - id: b
        title: Beta
        points: [the parent's own point]
        facts: [{label: L, value: V}]
        sections:
          - id: b1
            title: Beta one
            tags: [y]
            points: [b1 point]
          - id: b2
            title: Beta two
            points: [b2 point]
      - id: c
        title: Gamma
        tags: [GS II/IR, 日本]
        points: [c point]
    """


def topic(text: str = NOTES, stem: str = "t") -> Topic:
    return loader.load_text(textwrap.dedent(text), f"{stem}.yaml", stem)


T = topic()
A, B, C = T.sections
B1, B2 = B.sections


def picked(topic: Topic, *args: tuple[str, ...], **kwargs: tuple[str, ...]) -> Topic:
    """``pick`` where something must be picked."""
    out = pick(topic, *args, **kwargs)
    assert out is not None
    return out


def ids(t: Topic) -> list[tuple[str, int]]:
    return [(s.id, depth) for s, depth in t.walk()]


def test_no_picks_keep_the_whole_topic():
    assert picked(T) == T and picked(T).picks == ()


def test_a_picked_sub_section_keeps_its_parent_as_a_heading_without_the_parents_content():
    sub = picked(T, ("b1",))
    (parent,) = sub.sections
    assert (parent.id, parent.title, parent.number) == ("b", "Beta", "2")
    assert parent.points == parent.facts == parent.timeline == parent.terms == parent.cards == ()
    assert parent.table is None
    assert parent.sections == (B1,) and parent.sections[0].number == "2.1"
    assert sub.picks == ("s-b1",)


def test_a_picked_parent_keeps_all_it_holds():
    assert picked(T, ("b",)).sections == (B,)


def test_exclusion_removes_a_section_or_a_sub_section_and_nothing_else():
    assert ids(picked(T, exclude=("a",))) == [("b", 0), ("b1", 1), ("b2", 1), ("c", 0)]
    kept = picked(T, exclude=("b2",))
    assert kept.sections[1] == replace(B, sections=(B1,))  # the parent keeps its own points
    assert kept.picks == ("x-b2",)
    assert ids(picked(T, ("b",), exclude=("b1",))) == [("b", 0), ("b2", 1)]


def test_tags_pick_sections_at_any_depth_and_a_topic_tag_picks_the_whole_topic():
    assert ids(picked(T, tags=("x",))) == [("a", 0)]
    by_sub = picked(T, tags=("y",))
    assert ids(by_sub) == [("b", 0), ("b1", 1)] and by_sub.sections[0].points == ()
    assert ids(picked(T, tags=("whole",))) == ids(T)
    assert ids(picked(T, ("a",), tags=("y",))) == [("a", 0), ("b", 0), ("b1", 1)]


def test_picks_name_the_output_safely_in_a_fixed_order():
    assert picked(T, ("a",), ("b2",), ("GS II/IR",)).picks == ("s-a", "t-gs-ii-ir", "x-b2")
    (name,) = picked(T, tags=("日本",)).picks
    assert name.startswith("t-") and len(name) == 10 and name[2:].isalnum()  # a hash: no letters to keep


def test_a_topic_with_nothing_picked_is_none():
    assert pick(T, ("nowhere",)) is None
    assert pick(T, exclude=("a", "b", "c")) is None


# ---------------------------------------------------------------- several topics, and what is unknown

OTHER = topic("""\
    topic: Other
    sections:
      - id: z
        title: Zed
        tags: [x]
        points: [z point]
    """, "o")


def test_pick_all_drops_topics_with_nothing_picked():
    assert [t.id for t in pick_all([T, OTHER], ("b1",))] == ["t"]
    assert [t.id for t in pick_all([T, OTHER], tags=("x",))] == ["t", "o"]
    assert [t.id for t in pick_all([T, OTHER])] == ["t", "o"]


def test_an_unknown_section_id_is_a_usage_error_naming_the_closest_ids_first():
    with pytest.raises(UsageError) as info:
        pick_all([T, OTHER], ("b3",))
    assert str(info.value) == "no section 'b3' in t, o; known ids (closest first): b, b2, b1 …"
    with pytest.raises(UsageError) as info:
        pick_all([OTHER], ("qqq",))
    assert str(info.value) == "no section 'qqq' in o; known ids: z"  # nothing close: every id


def test_an_unknown_excluded_id_is_as_wrong_as_an_unknown_picked_one():
    with pytest.raises(UsageError, match="no section 'bb'"):
        pick_all([T], exclude=("bb",))


def test_an_unknown_tag_is_a_usage_error_with_did_you_mean():
    with pytest.raises(UsageError) as info:
        pick_all([T, OTHER], tags=("whol",))
    assert "no topic or section is tagged 'whol' (did you mean 'whole'?)" in str(info.value)
    assert "tags: GS II/IR, whole, x, y, 日本" in str(info.value)


def test_picks_that_leave_nothing_are_a_usage_error():
    with pytest.raises(UsageError, match=r"-s a, -x a leaves nothing to print in t"):
        pick_all([T], ("a",), ("a",))
