"""The mind map: geometry checked on the plan as numbers, labels in the PDF text, splitting, bytes."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner
from pdfcheck import outline_titles, page_size, page_texts, print_faults, reader, squash

from studynotes import markup, select
from studynotes.cli import main
from studynotes.errors import NotesError
from studynotes.load import notes as loader
from studynotes.load import presets
from studynotes.model import iter_points
from studynotes.render import Rendered, mindmap
from studynotes.render.common import Box, printable
from studynotes.render.labels import point_label, section_label
from studynotes.style import MIN_BODY_PT

ROOT = Path(__file__).resolve().parent.parent
NOTES = sorted(p.stem for p in (ROOT / "notes").glob("*.yaml"))
EPS = 1e-6


@cache
def sample_plan(name: str) -> mindmap.MindmapPlan:
    return mindmap.plan(loader.load(ROOT / "notes" / f"{name}.yaml"), presets.load("mindmap"))


@cache
def sample_pdf(name: str) -> Rendered:
    return mindmap.draw(sample_plan(name))


def big_topic(tmp_path, sections=8, points=40, subs=2) -> Path:
    lines = ["topic: A Very Large Topic", "sections:"]
    for s in range(sections):
        lines += [f"  - title: Section number {s + 1} about things", "    points:"]
        for p in range(points):
            lines.append(f"      - text: Point {s}-{p} says something rather specific about item {p}")
            lines.append(f"        points: [{', '.join(f'detail {s}-{p}-{k}' for k in range(subs))}]")
    path = tmp_path / "large.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def overlaps(a, b) -> bool:
    return a.x < b.x + b.w - EPS and b.x < a.x + a.w - EPS and a.y < b.y + b.h - EPS and b.y < a.y + a.h - EPS


def columns(nodes, side: int) -> list[tuple[float, float]]:
    """Left and right edge of each column of one side, left to right."""
    edges: dict[int, tuple[float, float]] = {}
    for n in nodes:
        if n.side == side:
            lo, hi = edges.get(n.column, (n.x, n.x + n.w))
            edges[n.column] = (min(lo, n.x), max(hi, n.x + n.w))
    return sorted(edges.values())


def check_boxes(page: mindmap.MapPage, area: Box) -> None:
    for n in page.nodes:
        assert n.size >= MIN_BODY_PT - EPS, n.text
        assert area.x0 - EPS <= n.x and n.x + n.w <= area.x1 + EPS, n.text
        assert area.y0 - EPS <= n.y and n.y + n.h <= area.y1 + EPS, n.text
        for line in n.lines:  # every line starts and has its baseline inside its box
            assert n.x < line.x and n.y < line.y < n.y + n.h, (n.text, line.text)
    nodes = page.nodes
    for i, a in enumerate(nodes):  # no two boxes overlap (quadratic, but maps are small)
        for b in nodes[i + 1:]:
            assert not overlaps(a, b), (a.text, b.text)


def check_connectors(page: mindmap.MapPage) -> None:
    """Connectors run only in the gaps between columns: the columns of a side never overlap and none
    reaches into the centre box, no curve crosses a box, and a stem runs along its parent's row."""
    centre = page.nodes[0]
    assert centre.level == mindmap.CENTRE
    for side in (+1, -1):
        edges = columns(page.nodes, side)
        for (_, hi1), (lo2, _) in pairwise(edges):
            assert hi1 < lo2
        for lo, hi in edges:
            assert hi < centre.x or lo > centre.x + centre.w
    assert len(page.connectors) == len(page.nodes) - 1  # every box but the centre hangs from a parent
    for con in page.connectors:
        lo, hi = sorted((con.curve[0][0], con.curve[3][0]))
        for n in page.nodes:
            assert n.x + n.w <= lo + EPS or n.x >= hi - EPS, n.text
        if con.stem:
            (x0, y), (x1, y1) = con.stem
            assert y1 == y
            lo, hi = sorted((x0, x1))
            for n in page.nodes:
                assert not (n.y < y < n.y + n.h and n.x < hi - EPS and n.x + n.w > lo + EPS), n.text


def check_geometry(plan: mindmap.MindmapPlan) -> None:
    box = printable(presets.load("mindmap"))
    assert box.x0 <= plan.area.x0 and plan.area.x1 <= box.x1 and box.y0 < plan.area.y0 and plan.area.y1 < box.y1
    for page in plan.pages:
        check_boxes(page, plan.area)
        check_connectors(page)


@pytest.mark.parametrize("name", NOTES)
def test_layout_geometry_of_the_sample_maps(name):
    check_geometry(sample_plan(name))


@pytest.mark.parametrize("name", NOTES)
def test_every_section_and_first_level_point_has_a_label_in_the_pdf(name):
    topic = loader.load(ROOT / "notes" / f"{name}.yaml")
    text = squash("".join(page_texts(sample_pdf(name).pdf)))
    for sec, _ in topic.walk():
        assert squash(section_label(sec)) in text, sec.id
        for p in sec.points:
            assert squash(point_label(p)) in text, point_label(p)


@pytest.mark.parametrize("name", NOTES)
def test_glyphs_inside_the_margins_and_at_least_7pt(name):
    layout = presets.load("mindmap")
    pdf = sample_pdf(name).pdf
    w, h = page_size(pdf)
    assert w > h  # landscape
    faults, count = print_faults(pdf, layout.margins, 7.0)
    assert faults == [] and count > 300


def test_a_map_that_fits_one_page_is_drawn_whole():
    plan = sample_plan("indian-monsoon")
    assert plan.how == mindmap.WHOLE and plan.folded == () and plan.notes == ()
    assert len(plan.pages) == 1 and plan.pages[0].title == "Mind map"
    assert plan.pages[0].scale == pytest.approx(0.76, abs=0.01)
    assert all(n.hidden == 0 for n in plan.pages[0].nodes)  # nothing folded into "+N"
    assert sample_pdf("indian-monsoon").pages == 1


def test_a_map_too_big_at_7pt_folds_sub_points_into_plus_n_and_gives_them_pages():
    topic = loader.load(ROOT / "notes" / "india-japan.yaml")
    plan = sample_plan("india-japan")
    assert plan.how == mindmap.FOLDED and plan.folded == ("current-status",)
    assert "'+N' on the map" in plan.notes[0]
    assert [p.title for p in plan.pages] == ["Mind map", "3 Current status"]
    sec = next(s for s in topic.sections if s.id == "current-status")
    branch = topic.sections.index(sec)
    folded = [n for n in plan.pages[0].nodes if n.hidden]
    assert folded and all(n.branch == branch for n in folded)  # only that section's points say "+N"
    points = [p for s in (sec, *sec.sections) for p in s.points]  # first-level points, sub-sections' too
    assert sum(n.hidden for n in folded) == sum(len(list(iter_points(p.points))) for p in points) > 0
    assert all(n.hidden == 0 for n in plan.pages[1].nodes)  # its own page shows them in full
    assert plan.pages[1].scale < plan.pages[0].scale
    result = sample_pdf("india-japan")
    assert result.pages == 2 and result.notes == plan.notes
    assert re.search(r"\+\d", page_texts(result.pdf)[0])  # the hidden counts are printed on the map


def test_furniture_sits_around_the_map():
    plan = sample_plan("india-japan")
    box = printable(presets.load("mindmap"))
    first, second = plan.pages
    title = markup.plain(loader.load(ROOT / "notes" / "india-japan.yaml").title)
    assert first.heading.text == title and second.heading.text == f"{title} — 3 Current status"
    for page in plan.pages:
        assert page.heading.y > plan.area.y1 and page.heading.bold
        assert page.footer is None or plan.area.y1 < page.footer.y < page.heading.y
        assert page.sources is not None and page.sources.y < plan.area.y0
        assert page.sources.text.startswith("Sources: ")
    assert [p.page_number.text for p in plan.pages if p.page_number] == ["page 1 of 2", "page 2 of 2"]
    assert second.page_number is not None and second.page_number.x < box.x1 - 30
    in_pack = mindmap.plan(loader.load(ROOT / "notes" / "india-japan.yaml"),
                           replace(presets.load("mindmap"), page_numbers=False))
    assert all(p.page_number is None for p in in_pack.pages)


def test_a_character_no_font_has_is_reported_even_when_only_the_furniture_prints_it():
    text = "topic: Ticks\nsources:\n  - Checklist \u2713\nsections:\n  - title: A\n    points: [one]\n"
    topic = loader.load_text(text, "t.yaml")
    plan = mindmap.plan(topic, presets.load("mindmap"))
    assert len(plan.warnings) == 1 and "U+2713" in str(plan.warnings[0])
    assert plan.warnings[0].severity == "warning"


def test_a_topic_too_big_for_one_page_splits_with_bookmarks_and_loses_nothing(tmp_path):
    topic = loader.load(big_topic(tmp_path))
    plan = mindmap.plan(topic, presets.load("mindmap"))
    assert plan.how == mindmap.SPLIT
    assert "too big for one page at 7 pt" in plan.notes[0]
    assert len(plan.pages) >= 1 + len(topic.sections)
    assert [n.hidden for n in plan.pages[0].nodes[1:]] == [40 * 3] * len(topic.sections)  # the overview counts
    check_geometry(plan)
    result = mindmap.draw(plan)
    titles = outline_titles(result.pdf)
    assert titles[0] == "Overview"
    for sec in topic.sections:
        assert any(t.startswith(f"{sec.number} {section_label(sec)}") for t in titles)
    text = squash("".join(page_texts(result.pdf)))
    for sec in topic.sections:
        for p, _ in iter_points(sec.points):  # sub-points too: a section's pages show all it holds
            assert squash(point_label(p)) in text


def test_a_section_too_big_for_one_page_runs_over_several(tmp_path):
    topic = loader.load(big_topic(tmp_path, sections=1, points=90, subs=0))
    plan = mindmap.plan(topic, presets.load("mindmap"))
    parts = [p.title for p in plan.pages if re.search(r"\(\d+/\d+\)$", p.title)]
    assert len(parts) >= 2
    check_geometry(plan)
    shown = [n.text for p in plan.pages[1:] for n in p.nodes if n.level != mindmap.CENTRE]
    assert sorted(shown) == sorted(point_label(p) for p in topic.sections[0].points)  # each point once
    text = squash("".join(page_texts(mindmap.draw(plan).pdf)))
    for p in topic.sections[0].points:
        assert squash(point_label(p)) in text


def test_split_on_the_command_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["build", "indian-monsoon", "-l", "mindmap", "--split", "--notes",
                                  str(ROOT / "notes")])
    assert r.exit_code == 0, r.output
    assert "--split: an overview page plus 10 section pages" in r.output
    pdf = (tmp_path / "output/indian-monsoon/mindmap_split.pdf").read_bytes()
    assert len(reader(pdf).pages) == 11
    assert outline_titles(pdf)[0] == "Overview"


def test_section_picks_work_as_for_the_revision_sheet():
    topic = loader.load(ROOT / "notes" / "india-japan.yaml")
    picked = select.pick(topic, ids=("defence", "issues"))
    assert picked is not None
    result = mindmap.render(picked, presets.load("mindmap"))
    text = squash("".join(page_texts(result.pdf)))
    assert squash("Russia divide") in text and squash("ACSA (2020)") in text
    assert squash("Buddhist links") not in text


def test_same_inputs_same_bytes():
    topic = loader.load(ROOT / "notes" / "fundamental-rights.yaml")
    layout = presets.load("mindmap")
    assert mindmap.render(topic, layout).pdf == mindmap.render(topic, layout).pdf


def test_branches_differ_by_line_style_as_well_as_colour():
    styles = [mindmap.DASHES[i % len(mindmap.DASHES)] for i in range(8)]
    assert len(set(styles[:7])) == 7
    palette = presets.load("mindmap").palette
    assert len(palette) % len(mindmap.DASHES) != 0  # colour and style cycles do not line up
    page = sample_plan("indian-monsoon").pages[0]
    by_branch = {(con.ink, con.dash) for con in page.connectors}
    assert len(by_branch) == len({n.branch for n in page.nodes if n.branch >= 0})


def test_long_labels_wrap_and_very_long_words_are_cut_to_fit():
    m = mindmap.Measure(presets.load("mindmap"))
    lines = m.wrap("A label with quite a number of words that must wrap onto several lines", mindmap.LEAF, 1.0)
    assert len(lines) >= 2
    assert " ".join(lines) == "A label with quite a number of words that must wrap onto several lines"
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3
    lines = m.wrap(word, mindmap.LEAF, 1.0)
    assert "".join(lines) == word
    assert all(m.width(ln, mindmap.LEAF, m.size[mindmap.LEAF]) <= m.max_w[mindmap.LEAF] * 1.25 for ln in lines)


def _deep_point(name: str, subs: int, fine: int, indent: str) -> list[str]:
    """A point with ``subs`` sub-points of ``fine`` sub-sub-points each, as YAML lines; every text is
    unique even with its white space squashed out (fixed-width numbers), and is its own label."""
    lines = [f"{indent}- text: {name} main", f"{indent}  points:"]
    for k in range(subs):
        lines += [f"{indent}    - text: {name} detail d{k:03d}", f"{indent}      points:"]
        lines += [f"{indent}        - {name} fine f{k:03d}x{j}" for j in range(fine)]
    return lines


def _crowded_topic(shape: str) -> str:
    """A section with one child too big for any page at 7 pt: the section's only first-level point,
    one point among many, or a sub-section of very many points."""
    lines = ["topic: Crowded", "sections:", "  - title: Small", "    points: [Small one, Small two]",
             "  - title: Big", "    points:"]
    if shape == "only point":
        lines += _deep_point("Huge", 70, 2, "      ")
    elif shape == "among points":
        lines += [f"      - Plain p{k:03d}" for k in range(30)]
        lines += _deep_point("Huge", 70, 2, "      ")
        lines += [f"      - Plain p{k:03d}" for k in range(30, 60)]
    else:
        lines += ["      - Plain p000", "    sections:", "      - title: Crowd", "        points:"]
        lines += [f"          - Crowd c{k:03d}" for k in range(160)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("shape", "how"), [("only point", mindmap.FOLDED), ("among points", mindmap.SPLIT),
                                           ("sub-section", mindmap.SPLIT)])
def test_a_child_too_big_for_a_page_loses_no_point_and_every_plus_n_is_true(shape, how):
    topic = loader.load_text(_crowded_topic(shape), "crowded.yaml")
    plan = mindmap.plan(topic, presets.load("mindmap"))
    check_geometry(plan)
    assert len({p.key for p in plan.pages}) == len(plan.pages)  # every bookmark has a page of its own
    assert plan.how == how and len(plan.notes) == 1
    assert plan.how != mindmap.FOLDED or "in full on their own pages;" in plan.notes[0]  # not "page": it has 3
    assert "1 branch too big for a section page is shown there as '+N' and in full on pages of its own" in plan.notes[0]
    points = [p for sec, _ in topic.walk() for p, _ in iter_points(sec.points)]
    label = {markup.plain(p.text): p for p in points}
    assert len(label) == len(points) and all(point_label(p) == markup.plain(p.text) for p in points)
    subsection = {f"{s.number} {section_label(s)}": s for s, depth in topic.walk() if depth == 1}
    for page in plan.pages:  # "+N" is what a branch holds less what this page shows of it
        on_page = {n.text for n in page.nodes}
        for n in page.nodes[1:]:  # a part page's centre shows a share of its points: the title says "(2/3)"
            if n.text in label:
                inside = [q.text for q, _ in iter_points(label[n.text].points)]
            elif n.text in subsection:
                inside = [q.text for q, _ in iter_points(subsection[n.text].points)]
            else:
                continue
            assert n.hidden == sum(markup.plain(t) not in on_page for t in inside), (page.title, n.text)
    texts = page_texts(mindmap.draw(plan).pdf)
    text = squash("".join(texts))
    missing = [p.text for p in points if squash(markup.plain(p.text)) not in text]
    assert missing == []
    for page, page_text in zip(plan.pages, texts, strict=True):  # the counts are printed as planned
        for n in page.nodes:
            if n.hidden:
                assert squash(f"{n.text}+{n.hidden}") in squash(page_text)


LONG = " ".join(f"word{k:03d}" for k in range(37))  # 295 characters: a title may have 300


@pytest.mark.parametrize(("notes", "sizes", "line"), [
    (f"  - title: {LONG}\n    points: [one, two]\n", {"title": 40, "heading": 30}, 5),   # the page's centre
    (f"  - title: Big\n    points: [one]\n    sections:\n      - title: {LONG}\n        points: [two]\n",
     {"subheading": 40}, 8)])                                                           # a branch beside it
def test_a_label_no_page_holds_at_7pt_is_a_located_error(notes, sizes, line):
    topic = loader.load_text(f"topic: T\nsections:\n  - title: Fine\n    points: [a, b]\n{notes}", "long.yaml")
    base = presets.load("mindmap")
    layout = replace(base, paper="A5", landscape=False, fonts={**base.fonts, **sizes})
    with pytest.raises(NotesError) as caught:
        mindmap.plan(topic, layout)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line) == ("long.yaml", line)
    assert "word000 word001" in problem.message and "too long for one page" in problem.message
