"""The mind map: geometry checked on the layout itself, labels in the PDF text, splitting, bytes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdfcheck import print_faults, outline_titles, page_size, page_texts, reader, squash
from studynotes import select
from studynotes.load import notes as loader
from studynotes.load import presets
from studynotes.cli import main
from studynotes.render.labels import point_label, section_label
from studynotes.render import mindmap
from studynotes.render.common import printable
from studynotes.style import MIN_BODY_PT

ROOT = Path(__file__).resolve().parent.parent
NOTES = sorted(p.stem for p in (ROOT / "notes").glob("*.yaml"))
MM = 72 / 25.4


def plan(topic, layout):
    m = mindmap._Measure(layout)
    box = printable(layout)
    return mindmap._plan(topic, layout, m, box.width, box.height * 0.85), m


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
    return a.x < b.x + b.w - 1e-6 and b.x < a.x + a.w - 1e-6 and a.y < b.y + b.h - 1e-6 and b.y < a.y + a.h - 1e-6


def check_geometry(placed, m, area_w, area_h):
    boxes = list(placed.boxes())
    s = placed.scale
    for b in boxes:
        label = b.data[0]
        assert label.size * s >= MIN_BODY_PT - 1e-6, label.text
        assert -1e-6 <= b.x and b.x + b.w <= placed.width + 1e-6
        assert -1e-6 <= b.y and b.y + b.h <= placed.height + 1e-6
    assert placed.width * s <= area_w + 1e-6 and placed.height * s <= area_h + 1e-6
    for i, a in enumerate(boxes):  # no two boxes overlap (quadratic, but maps are small)
        for b in boxes[i + 1:]:
            assert not overlaps(a, b), (a.data[0].text, b.data[0].text)
    # connectors run only in the gaps between columns: the columns of a side never overlap,
    # and none reaches into the centre box
    for side in (placed.right, placed.left):
        edges = sorted(mindmap.column_edges(side).values())
        for (lo1, hi1), (lo2, hi2) in zip(edges, edges[1:]):
            assert hi1 < lo2
        c = placed.centre
        for lo, hi in edges:
            assert hi < c.x or lo > c.x + c.w


@pytest.mark.parametrize("name", NOTES)
def test_layout_geometry_of_the_sample_maps(name):
    topic = loader.load(ROOT / "notes" / f"{name}.yaml")
    layout = presets.load("mindmap")
    (pages, _), m = plan(topic, layout)
    box = printable(layout)
    for page in pages:
        check_geometry(page.placed, m, box.width, box.height * 0.85)


@pytest.mark.parametrize("name", NOTES)
def test_every_section_and_first_level_point_has_a_label_in_the_pdf(name):
    topic = loader.load(ROOT / "notes" / f"{name}.yaml")
    result = mindmap.render(topic, presets.load("mindmap"))
    text = squash("".join(page_texts(result.pdf)))
    for sec, _ in topic.walk():
        assert squash(section_label(sec)) in text, sec.id
        for p in sec.points:
            assert squash(point_label(p)) in text, point_label(p)


@pytest.mark.parametrize("name", NOTES)
def test_glyphs_inside_the_margins_and_at_least_7pt(name):
    layout = presets.load("mindmap")
    result = mindmap.render(loader.load(ROOT / "notes" / f"{name}.yaml"), layout)
    w, h = page_size(result.pdf)
    assert w > h  # landscape
    faults, count = print_faults(result.pdf, layout.margins, 7.0)
    assert faults == [] and count > 300


def test_sample_map_fits_one_page_or_says_how_it_was_adapted():
    topic = loader.load(ROOT / "notes" / "indian-monsoon.yaml")
    result = mindmap.render(topic, presets.load("mindmap"))
    assert result.pages == 1 and result.notes == ()
    topic = loader.load(ROOT / "notes" / "india-japan.yaml")
    result = mindmap.render(topic, presets.load("mindmap"))
    if result.pages > 1:
        assert "+N" in result.notes[0]
        text = "".join(page_texts(result.pdf))
        assert re.search(r"\+\d", text)  # the hidden counts are printed on the map


def test_a_topic_too_big_for_one_page_splits_with_bookmarks_and_loses_nothing(tmp_path):
    topic = loader.load(big_topic(tmp_path))
    layout = presets.load("mindmap")
    result = mindmap.render(topic, layout)
    assert "too big for one page at 7 pt" in result.notes[0]
    assert result.pages >= 1 + len(topic.sections)
    titles = outline_titles(result.pdf)
    assert titles[0] == "Overview"
    for sec in topic.sections:
        assert any(t.startswith(f"{sec.number} {section_label(sec)}") for t in titles)
    text = squash("".join(page_texts(result.pdf)))
    for sec in topic.sections:
        for p in sec.points:
            assert squash(point_label(p)) in text
    (pages, _), m = plan(topic, layout)
    box = printable(layout)
    for page in pages:
        check_geometry(page.placed, m, box.width, box.height * 0.85)


def test_a_section_too_big_for_one_page_runs_over_several(tmp_path):
    topic = loader.load(big_topic(tmp_path, sections=1, points=90, subs=0))
    result = mindmap.render(topic, presets.load("mindmap"))
    titles = outline_titles(result.pdf)
    parts = [t for t in titles if re.search(r"\(\d+/\d+\)$", t)]
    assert len(parts) >= 2
    text = squash("".join(page_texts(result.pdf)))
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


def test_long_labels_wrap_and_very_long_words_are_cut_to_fit():
    m = mindmap._Measure(presets.load("mindmap"))
    lines = m.wrap("A label with quite a number of words that must wrap onto several lines", mindmap.LEAF, 1.0)
    assert len(lines) >= 2
    assert " ".join(lines) == "A label with quite a number of words that must wrap onto several lines"
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3
    lines = m.wrap(word, mindmap.LEAF, 1.0)
    assert "".join(lines) == word
    assert all(m.width(ln, mindmap.LEAF, m.size[mindmap.LEAF]) <= m.max_w[mindmap.LEAF] * 1.25 for ln in lines)


def test_derived_labels():
    from studynotes.model import Point

    assert point_label(Point("Peace treaty signed in ==April 1952== after the war")) == "April 1952"
    assert point_label(Point("x", short="Short one")) == "Short one"
    assert point_label(Point("Life, material and earth sciences; physics")) == "Life, material and earth sciences"
    label = point_label(Point("One two three four five six seven eight nine"))
    assert label == "One two three four five six…"
