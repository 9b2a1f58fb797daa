"""The one-page summary's plan, as numbers: the scale and type size it fits at, what it leaves out,
what each section shows, and that ReportLab's own frames agree it is one page."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, replace
from pathlib import Path

import pytest
from pdfcheck import reader

from studynotes.errors import NotesError
from studynotes.load import notes as loader
from studynotes.load import presets
from studynotes.render import summary
from studynotes.render.common import Palette

ROOT = Path(__file__).resolve().parent.parent
BODY_PT = 8.6  # the summary preset's body size


def topic(name: str):
    return loader.load(ROOT / "notes" / f"{name}.yaml")


def every(sections):
    for sec in sections:
        yield sec
        yield from every(sec.sections)


def items(sections):
    return [i for sec in every(sections) for i in sec.items]


@pytest.fixture(scope="module")
def india_japan():
    return summary.plan(topic("india-japan"), presets.load("summary"))


def long_points(sections: int, points: int, words: int) -> str:
    """Sections of a few long points: a heading kept with a whole long point is what the search's
    estimate (a heading and two lines) gets wrong."""
    lines = ["topic: Long points", "sections:"]
    for s in range(sections):
        lines += [f"  - id: s{s + 1}", f"    title: Section {s + 1}", "    points:"]
        for p in range(points):
            lines.append(f"      - Point {s}.{p} " + " ".join(f"word{(s * 7 + p * 3 + k) % 11}" for k in range(words)))
    return "\n".join(lines) + "\n"


def test_india_japan_fits_at_7_pt_by_leaving_out_sub_points(india_japan):
    plan = india_japan
    assert plan.scale == pytest.approx(0.815, abs=0.01)
    assert plan.pt == pytest.approx(7.0, abs=0.05)
    assert plan.policy == summary.Policy(subpoints=False)
    assert plan.left_out == "sub-points"
    assert (plan.shown, plan.total, plan.capped, plan.tables) == (53, 113, 0, 1)
    assert plan.columns == 2
    assert [s.id for s in plan.sections] == ["context", "evolution", "current-status", "issues", "way-forward",
                                             "conclusion"]
    assert all(i.depth == 0 for i in items(plan.sections))
    assert plan.report() == ("summary of india-japan: 53 of 113 points shown at 7.0 pt; sub-points left out to fit "
                             f"({plan.passes} layout passes)")


def test_max_points_keeps_the_first_points_of_each_section_key_points_first(india_japan):
    t = topic("india-japan")
    plan = summary.plan(t, replace(presets.load("summary"), max_points=3))
    assert (plan.shown, plan.total, plan.capped) == (33, 113, 20)
    assert plan.scale > india_japan.scale  # fewer points, larger type
    assert plan.pt == pytest.approx(8.1, abs=0.05)
    sources = {sec.id: sec for sec, _ in t.walk()}
    for sec in every(plan.sections):
        points = sources[sec.id].points
        expected = ([p for p in points if p.key] + [p for p in points if not p.key])[:3]
        assert [i.loc for i in sec.items] == [p.loc for p in expected]
        assert [i.key for i in sec.items] == [p.key for p in expected]


def test_a_small_topic_is_at_the_presets_sizes_with_everything():
    text = ("topic: Small\nsections:\n  - id: a\n    title: A\n    points:\n      - text: one\n"
            "        points: [one a, one b]\n      - two\n    terms:\n      - {term: T, meaning: m}\n"
            "    table:\n      columns: [X, Y]\n      rows: [['1', '2']]\n"
            "  - id: b\n    title: B\n    facts:\n      - {label: L, value: '7'}\n")
    plan = summary.plan(loader.load_text(text, "small.yaml", "small"), presets.load("summary"))
    assert plan.scale == 1.0 and plan.pt == BODY_PT
    assert plan.policy == summary.Policy() and plan.left_out == ""
    assert (plan.shown, plan.total, plan.capped) == (4, 4, 0)
    assert plan.passes == 2  # one measuring pass, one real layout
    (a,) = plan.sections  # b shows only a fact, and that is in the strip on top
    assert a.id == "a" and [i.depth for i in a.items] == [0, 1, 1, 0]
    assert a.table is not None and a.terms is not None
    assert len(plan.top.facts) == 1 and plan.facts_per_row == 1 and plan.events_per_row == 0
    assert plan.report() == "summary of small: 4 of 4 points shown at 8.6 pt (2 layout passes)"


def test_a_topic_with_many_sub_points_leaves_them_out_and_keeps_every_point():
    lines = ["topic: Subby", "sections:"]
    for s in range(4):
        lines += [f"  - id: part-{s + 1}", f"    title: Part {s + 1}", "    points:"]
        for p in range(22):
            lines.append(f"      - text: Point {s}.{p} states a fact that students must remember for the test")
            lines.append(f"        points: [{', '.join(f'sub {s}.{p}.{k}' for k in range(3))}]")
    plan = summary.plan(loader.load_text("\n".join(lines) + "\n", "subby.yaml", "subby"), presets.load("summary"))
    assert plan.policy == summary.Policy(subpoints=False)
    assert (plan.shown, plan.total) == (88, 352)
    assert [len(s.items) for s in plan.sections] == [22] * 4
    assert all(i.depth == 0 for i in items(plan.sections))
    assert plan.pt == BODY_PT  # with everything it overflows even at 6.5 pt; without sub-points it fits as is


def test_the_leanest_policy_leaves_out_sub_points_terms_and_tables():
    plan = summary.plan(topic("india-japan"), replace(presets.load("summary-landscape"), columns=2))
    assert plan.policy == summary.POLICIES[-1]
    assert plan.left_out == "sub-points, terms and 1 table"
    assert plan.pt == pytest.approx(6.5, abs=0.05)
    assert all(s.table is None and s.terms is None for s in every(plan.sections))
    assert plan.shown == 53


def test_a_plan_is_a_value_the_same_for_the_same_inputs(india_japan):
    again = summary.plan(topic("india-japan"), presets.load("summary"))
    assert again == india_japan
    with pytest.raises(FrozenInstanceError):
        again.scale = 1.0  # type: ignore[misc]
    assert summary.draw(again).pdf == summary.draw(india_japan).pdf


def test_styles_scale_every_size_and_never_go_below_the_floor():
    layout = presets.load("summary")
    ink = summary.Inks.of(Palette(layout))
    full, small = summary.Styles.at(layout, ink, 1.0), summary.Styles.at(layout, ink, 0.5)
    assert full.body == BODY_PT and full.h.fontSize == layout.fonts["heading"]
    assert small.body == 6.5 and small.cell.fontSize == 6.5
    assert small.title.fontSize == pytest.approx(max(layout.fonts["title"] * 0.5, 6.5))
    assert small.h.spaceBefore == pytest.approx(6.5 * 0.8)
    with pytest.raises(FrozenInstanceError):
        full.body = 9.0  # type: ignore[misc]


def test_where_the_estimate_overflows_the_real_frames_the_plan_shrinks_until_one_page():
    t = loader.load_text(long_points(7, 2, 70), "long.yaml", "long")
    layout = replace(presets.load("summary"), columns=3)
    plan = summary.plan(t, layout)
    result = summary.draw(plan)  # draw refuses a plan that is not one page
    assert result.pages == 1 and len(reader(result.pdf).pages) == 1
    assert plan.pt < BODY_PT


def test_a_real_layout_of_two_pages_costs_one_more_pass_at_a_2_percent_smaller_scale(india_japan, monkeypatch):
    trial = summary._Measure.trial
    calls = []

    def first_overflows(self, s, policy):
        laid_out, fits = trial(self, s, policy)
        calls.append(s)
        return laid_out, fits and len(calls) > 1

    monkeypatch.setattr(summary._Measure, "trial", first_overflows)
    plan = summary.plan(topic("india-japan"), presets.load("summary"))
    assert calls == [india_japan.scale, plan.scale]
    assert plan.scale == pytest.approx(india_japan.scale * 0.98)
    assert plan.passes == india_japan.passes + 1


def test_a_page_the_real_frames_never_fit_fails_at_the_largest_section(monkeypatch):
    t = topic("india-japan")
    monkeypatch.setattr(summary._Measure, "trial", lambda self, s, policy: (0.0, False))
    with pytest.raises(NotesError) as info:
        summary.plan(t, presets.load("summary"))
    (problem,) = info.value.problems
    current = next(sec for sec in t.sections if sec.id == "current-status")  # half of the columns
    assert (problem.path, problem.line, problem.col) == (current.loc.path, current.loc.line, current.loc.col)
    assert problem.message == "summary of india-japan does not fit on one page at 6.5 pt; pick sections with -s"


def test_a_character_no_font_has_is_reported_where_it_stands_and_in_the_footer():
    text = "topic: Odd \U0001F600 title\nsections:\n  - id: a\n    title: A\n    points: [one]\n" \
           "  - id: b\n    title: B\n    points: [two \u2603]\n"
    t = loader.load_text(text, "odd.yaml", "odd")
    face, snowman = summary.plan(t, presets.load("summary")).warnings
    assert face.message.endswith("in topic 'odd', title, footer")  # the footer repeats the title
    assert (snowman.line, snowman.message.endswith("in topic 'odd', section 'b'")) == (6, True)
    (in_pack, _) = summary.plan(t, replace(presets.load("summary"), page_numbers=False)).warnings
    assert in_pack.message.endswith("in topic 'odd', title")  # a class pack prints its own footer
