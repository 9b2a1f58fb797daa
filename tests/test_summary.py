"""The one-page summary: exactly one page, every promised point, honest reports, clear failures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pdfcheck import DEVANAGARI, page_texts, print_faults, reader, squash

from studynotes import select
from studynotes.cli import main
from studynotes.errors import NotesError
from studynotes.load import notes as loader
from studynotes.load import presets
from studynotes.markup import plain
from studynotes.render import summary

ROOT = Path(__file__).resolve().parent.parent
NOTES = sorted(p.stem for p in (ROOT / "notes").glob("*.yaml"))
MM = 72 / 25.4


def generated(tmp_path, sections=6, points=40, key_every=1, subs=0, name="huge") -> Path:
    lines = [f"topic: Generated {name}", f"id: {name}", "sections:"]
    for s in range(sections):
        lines += [f"  - id: part-{s + 1}", f"    title: Part {s + 1}", "    points:"]
        for p in range(points):
            key = "true" if p % key_every == 0 else "false"
            lines.append(f"      - text: Point {s}.{p} states a fact that students must remember for the test")
            lines.append(f"        key: {key}")
            if subs:
                lines.append(f"        points: [{', '.join(f'sub {s}.{p}.{k}' for k in range(subs))}]")
    path = tmp_path / f"{name}.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def count(points) -> int:
    return sum(1 + count(p.points) for p in points)


def shown_items(sec) -> int:
    return len(sec.items) + sum(shown_items(s) for s in sec.sections)


def promised(topic):
    """What the policy promises: every key point and every first-level point."""
    for sec, _ in topic.walk():
        for p in sec.points:
            yield p.text


@pytest.fixture(scope="module", params=[(n, lay) for n in NOTES for lay in ("summary", "summary-landscape")],
                ids=lambda p: f"{p[0]}-{p[1]}")
def planned(request):
    name, lay = request.param
    topic = loader.load(ROOT / "notes" / f"{name}.yaml")
    layout = presets.load(lay)
    plan = summary.plan(topic, layout)
    return topic, layout, plan, summary.draw(plan)


@pytest.fixture
def built(planned):
    topic, layout, _, result = planned
    return topic, layout, result


def test_exactly_one_page(built):
    _, _, result = built
    assert result.pages == 1
    assert len(reader(result.pdf).pages) == 1


def test_every_promised_point_is_in_the_text(built):
    topic, _, result = built
    text = squash(page_texts(result.pdf)[0])
    missing = [p for p in promised(topic) if not DEVANAGARI.search(p) and squash(plain(p)) not in text]
    assert missing == []


def test_facts_and_timeline_are_on_the_page(built):
    topic, _, result = built
    text = squash(page_texts(result.pdf)[0])
    for sec, _ in topic.walk():
        for f in sec.facts:
            assert squash(plain(f.value)) in text
        for e in sec.timeline:
            assert squash(plain(e.when)) in text


def test_glyphs_at_least_6_5pt_and_inside_the_margins(built):
    _, layout, result = built
    faults, count = print_faults(result.pdf, layout.margins, 6.5)
    assert faults == [] and count > 2000


def test_the_plan_shows_every_first_level_point_and_counts_what_it_leaves_out(planned):
    topic, layout, plan, _ = planned
    firsts = sum(len(sec.points) for sec, _ in topic.walk())
    assert plan.total == sum(count(sec.points) for sec, _ in topic.walk())
    assert plan.capped == 0
    assert firsts <= plan.shown <= plan.total
    assert plan.shown == sum(shown_items(s) for s in plan.sections)
    if plan.shown < plan.total:
        assert not plan.policy.subpoints
    assert plan.pt >= 6.5 and plan.pt == pytest.approx(max(layout.fonts["body"] * plan.scale, 6.5))


def test_the_report_line_is_made_from_the_plan(planned):
    topic, _, plan, result = planned
    assert result.notes == (plan.report(),)
    m = re.fullmatch(rf"summary of {topic.id}: (\d+) of (\d+) points shown at (\d+\.\d) pt(.*) \((\d+) layout passes\)",
                     plan.report())
    assert m, plan.report()
    assert (int(m[1]), int(m[2]), float(m[3]), int(m[5])) == (plan.shown, plan.total, round(plan.pt, 1), plan.passes)
    assert m[4] == (f"; {plan.left_out} left out to fit" if plan.left_out else "")


def test_at_most_three_layout_passes(planned):
    _, _, plan, _ = planned
    assert plan.passes <= 3


def test_same_inputs_same_plan_and_bytes(planned):
    topic, layout, plan, result = planned
    again = summary.plan(topic, layout)
    assert again == plan
    if layout.name == "summary":  # drawing is drawing: one preset is enough to show it repeats itself
        assert summary.draw(again).pdf == result.pdf


def test_too_large_a_topic_fails_with_what_overflows_and_what_to_do(tmp_path):
    topic = loader.load(generated(tmp_path, sections=6, points=40))
    with pytest.raises(NotesError) as info:
        summary.plan(topic, presets.load("summary"))
    (problem,) = info.value.problems
    m = re.match(r"summary of huge needs (\d+\.\d) pages at 6\.5 pt, even without sub-points, terms and tables; "
                 r"largest sections: (part-\d) \(\d+%\), part-\d \(\d+%\), part-\d \(\d+%\); "
                 r"pick sections with -s or mark fewer points key: true$", problem.message)
    assert m, problem.message
    assert float(m.group(1)) > 1.0
    largest = next(sec for sec in topic.sections if sec.id == m.group(2))
    assert (problem.path, problem.line, problem.col) == (largest.loc.path, largest.loc.line, largest.loc.col)


def test_too_large_on_the_command_line_is_exit_1_at_the_largest_section_and_nothing_written(tmp_path, monkeypatch):
    path = generated(tmp_path, sections=5, points=45)
    path.write_text(path.read_text().replace("Point 3.", "Point 3. with a much longer text "))  # part-4 is largest
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["build", str(path), "-l", "summary"])
    assert r.exit_code == 1
    assert "Traceback" not in r.output
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if text == "  - id: part-4")
    assert f"{path}:{line}:5: summary of huge needs " in r.output, r.output
    assert "largest sections: part-4 (" in r.output
    assert not (tmp_path / "output" / "huge" / "summary.pdf").exists()


def test_policy_leaves_out_sub_points_first_and_keeps_every_first_level_point(tmp_path):
    topic = loader.load(generated(tmp_path, sections=4, points=22, subs=3, name="subby"))
    result = summary.render(topic, presets.load("summary"))
    assert result.pages == 1
    assert "sub-points left out to fit" in result.notes[0]
    text = squash(page_texts(result.pdf)[0])
    for p in promised(topic):
        assert squash(plain(p)) in text
    assert squash("sub 0.0.0") not in text


def test_key_points_come_first_in_their_section(tmp_path):
    path = tmp_path / "order.yaml"
    path.write_text("topic: Order\nsections:\n  - title: A\n    points:\n      - first plain point\n"
                    "      - {text: the key point, key: true}\n")
    text = page_texts(summary.render(loader.load(path), presets.load("summary")).pdf)[0]
    assert text.index("the key point") < text.index("first plain point")


def test_max_points_and_columns_from_the_command_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["build", "india-japan", "-l", "summary", "--max-points", "2", "--columns", "3",
                                  "--notes", str(ROOT / "notes")])
    assert r.exit_code == 0, r.output
    assert re.search(r"summary of india-japan: \d+ of 113 points shown .*--max-points 2 leaves out \d+", r.output)
    pdf = (tmp_path / "output/india-japan/summary_3col_max2.pdf").read_bytes()
    text = squash(page_texts(pdf)[0])
    topic = loader.load(ROOT / "notes" / "india-japan.yaml")
    for sec, _ in topic.walk():
        keys = [p for p in sec.points if p.key]
        others = [p for p in sec.points if not p.key]
        for p in (keys + others)[:2]:
            assert squash(plain(p.text)) in text
        for p in (keys + others)[2:]:
            assert squash(plain(p.text)) not in text
    r = CliRunner().invoke(main, ["build", "india-japan", "-l", "summary", "--columns", "5",
                                  "--notes", str(ROOT / "notes")])
    assert r.exit_code == 2


def test_section_picks_work_as_everywhere():
    topic = select.pick(loader.load(ROOT / "notes" / "india-japan.yaml"), ids=("issues",))
    assert topic is not None
    result = summary.render(topic, presets.load("summary"))
    text = squash(page_texts(result.pdf)[0])
    assert squash("Divergent approaches to Russia") in text
    assert squash("Look East") not in text
