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

from studynotes import markup, select, text
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


def check_geometry(plan: mindmap.MindmapPlan, layout: presets.Layout | None = None) -> None:
    box = printable(layout or presets.load("mindmap"))
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
    text = "topic: Ticks\nsources:\n  - Checklist \u0f40\nsections:\n  - title: A\n    points: [one]\n"
    topic = loader.load_text(text, "t.yaml")
    plan = mindmap.plan(topic, presets.load("mindmap"))
    assert len(plan.warnings) == 1 and "U+0F40" in str(plan.warnings[0])  # Tibetan: no font ships for it
    assert plan.warnings[0].severity == "warning"


@pytest.mark.slow
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
    assert [len(p.nodes) - 1 for p in plan.pages[1:]] == [45, 45]  # even parts: greedy filling left 50/40
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


@pytest.mark.parametrize(("notes", "sizes", "side", "line"), [
    (f"  - title: {LONG}\n    points: [one, two]\n", {"title": 40, "heading": 30}, 12, 5),   # the page's centre
    (f"  - title: Big\n    points: [one]\n    sections:\n      - title: {LONG}\n        points: [two]\n",
     {"subheading": 40}, 50, 8)])         # a branch beside it, on a page 48 mm wide: shrunk, the centre is under 7 pt
def test_a_label_no_page_holds_at_7pt_is_a_located_error(notes, sizes, side, line):
    topic = loader.load_text(f"topic: T\nsections:\n  - title: Fine\n    points: [a, b]\n{notes}", "long.yaml")
    base = presets.load("mindmap")
    layout = replace(base, paper="A5", landscape=False, fonts={**base.fonts, **sizes}, margins=(12, side, 12, side))
    with pytest.raises(NotesError) as caught:
        mindmap.plan(topic, layout)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line) == ("long.yaml", line)
    assert "word000 word001" in problem.message and "too long for one page" in problem.message


# -- print bars on other papers: furniture inside the margins, even parts, nothing under 7 pt --

PAPERS = {"A5 portrait": ("A5", False), "A4 landscape": ("A4", True)}


@cache
def paper_layout(paper: str, split: bool = False, **sizes: float) -> presets.Layout:
    base = presets.load("mindmap")
    name, landscape = PAPERS[paper]
    return replace(base, paper=name, landscape=landscape, split=split, fonts={**base.fonts, **sizes})


@cache
def paper_plan(name: str, paper: str, split: bool = False) -> mindmap.MindmapPlan:
    return mindmap.plan(loader.load(ROOT / "notes" / f"{name}.yaml"), paper_layout(paper, split))


def ends(line: mindmap.Line) -> float:
    return line.x + text.width(line.text, line.size, bold=line.bold)


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("name", ["india-japan", "fundamental-rights"])  # a long footer; long sources
def test_every_furniture_line_ends_inside_the_printable_area(name, paper):
    plan = paper_plan(name, paper)
    box = printable(paper_layout(paper))
    for page in plan.pages:
        assert page.footer is not None  # cut to fit, never left out
        for line in page.furniture():
            assert box.x0 - EPS <= line.x and ends(line) <= box.x1 + EPS, (page.title, line.text)
            assert box.y0 < line.y < box.y1
        assert page.sources is not None and page.page_number is not None
        assert ends(page.sources) < page.page_number.x - page.sources.size  # one baseline: sources stop short
    if paper == "A5 portrait":
        assert plan.pages[0].footer is not None and plan.pages[0].footer.text.endswith("…")


def _uneven(points: int) -> str:
    """One section whose points hold 0 to 3 sub-points in turn."""
    lines = ["topic: Uneven", "sections:", "  - title: One long section", "    points:"]
    for p in range(points):
        lines.append(f"      - text: Point {p:03d} says something rather specific")
        if p % 4:
            lines.append(f"        points: [{', '.join(f'detail {p:03d}-{k}' for k in range(p % 4))}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("points", "parts", "spread"), [(164, 4, 0), (100, 3, 3)])
def test_part_pages_share_a_big_section_out_evenly_in_order(tmp_path, points, parts, spread):
    """Part pages hold about as much as each other (greedy filling left 50/50/50/14); ``spread`` is
    how many more nodes than the smallest child the biggest child of the section has."""
    if spread:
        topic = loader.load_text(_uneven(points), "uneven.yaml")
    else:
        topic = loader.load(big_topic(tmp_path, sections=1, points=points, subs=0))
    plan = mindmap.plan(topic, presets.load("mindmap"))
    pages = plan.pages[1:]
    assert [p.title[-5:] for p in pages] == [f"({n}/{parts})" for n in range(1, parts + 1)]
    sizes = [len(p.nodes) - 1 for p in pages]
    assert max(sizes) - min(sizes) <= 1 + spread, sizes
    index = {point_label(p): i for i, p in enumerate(topic.sections[0].points)}
    runs = [sorted(index[n.text] for n in p.nodes if n.column == 1) for p in pages]
    assert [i for run in runs for i in run] == list(range(points))  # in order, each once


def _all_at_7pt(plan: mindmap.MindmapPlan) -> None:
    small = [(p.title, n.text, round(n.size, 2)) for p in plan.pages for n in p.nodes if n.size < MIN_BODY_PT - EPS]
    assert small == []


@pytest.mark.parametrize(("paper", "split"), [("A5 portrait", False), ("A4 landscape", True)])
def test_every_label_of_every_page_prints_at_7pt_or_more(paper, split):
    plan = paper_plan("india-japan", paper, split)
    assert plan.how == mindmap.SPLIT and plan.pages[0].title == "Overview"
    _all_at_7pt(plan)
    check_geometry(plan, paper_layout(paper, split))


@pytest.mark.parametrize(("paper", "overviews"), [("A5 portrait", 2), ("A4 landscape", 1)])
def test_an_overview_too_big_for_7pt_runs_over_pages_and_names_every_section(tmp_path, paper, overviews):
    topic = loader.load(big_topic(tmp_path, sections=40, points=3, subs=1))
    plan = mindmap.plan(topic, paper_layout(paper))
    _all_at_7pt(plan)
    first = plan.pages[:overviews]
    assert [p.key for p in first] == (["overview"] if overviews == 1 else [f"overview-{n}" for n in (1, 2)])
    assert plan.pages[overviews].key.startswith("s-")
    assert first[0].heading.text == "A Very Large Topic" + (" — Overview (1/2)" if overviews == 2 else "")
    runs = [sorted((n for n in p.nodes if n.level == mindmap.BRANCH), key=lambda n: n.branch) for p in first]
    assert max(map(len, runs)) - min(map(len, runs)) <= 1
    branches = [n for run in runs for n in run]
    assert [n.branch for n in branches] == list(range(40))  # in order, each once
    assert [n.text for n in branches] == [f"{s.number} {section_label(s)}" for s in topic.sections]
    assert all(n.hidden == 3 * 2 for n in branches)  # each says what its own pages show
    assert ("an overview page plus" if overviews == 1 else "an overview over 2 pages plus") in plan.notes[0]
    check_geometry(plan, paper_layout(paper))


def test_the_map_with_plus_n_keeps_small_sub_section_headings_at_7pt():
    """The folded map was checked against the leaves' size only: sub-section headings set smaller
    than the leaves printed at 6 pt."""
    plan = mindmap.plan(loader.load(ROOT / "notes" / "india-japan.yaml"), paper_layout("A4 landscape", subheading=7.5))
    assert plan.how == mindmap.FOLDED
    assert any(n.level == mindmap.SUB for n in plan.pages[0].nodes)
    _all_at_7pt(plan)


def test_children_folded_at_the_start_of_parts_share_a_page_when_they_fit_together():
    """Folds are found at the start of a part; the parts are counted again once all are known, so
    "2.1 Alpha +160" does not stand alone on a page because unfolded "2.2 Beta" did not fit beside it."""
    lines = ["topic: Crowded", "sections:", "  - title: Small", "    points: [Small one, Small two]",
             "  - title: Big", "    points: [Plain p000, Plain p001]", "    sections:"]
    for name in ("Alpha", "Beta"):
        lines += [f"      - title: {name}", "        points:"] + [f"          - {name} c{k:03d}" for k in range(160)]
    plan = mindmap.plan(loader.load_text("\n".join(lines) + "\n", "crowded.yaml"), presets.load("mindmap"))
    big = [p for p in plan.pages if p.key.startswith("s-big") and "." not in p.key]
    assert [p.title for p in big] == ["2 Big"]
    assert sorted(n.hidden for n in big[0].nodes if n.hidden) == [160, 160]
    alpha = [p for p in plan.pages if p.key.startswith("s-big.1-")]
    assert [len(p.nodes) - 1 for p in alpha] == [40] * 4  # greedy filling left 50/50/50/10
