"""The revision sheet's plan: its decisions as numbers, and where each piece lands, without reading a PDF
(except where only the PDF can show that the drawing follows the plan)."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest
from click.testing import CliRunner
from pdfcheck import page_texts

from studynotes.cli import main
from studynotes.errors import NotesError
from studynotes.load import notes as loader
from studynotes.load import presets
from studynotes.render import revision
from studynotes.render.common import printable
from studynotes.render.revision import (
    Block,
    Mark,
    band_form,
    column_widths,
    draw,
    label_column,
    page_sections,
    plan,
    printed,
    render,
    worth_squeezing,
)

ROOT = Path(__file__).resolve().parent.parent


def five_per_letter(word: str) -> float:
    return 5.0 * len(word)


@pytest.fixture(scope="module")
def india_japan():
    return plan(loader.load(ROOT / "notes" / "india-japan.yaml"), presets.load("revision"))


def notes(tmp_path: Path, name: str, yaml: str):
    src = tmp_path / f"{name}.yaml"
    src.write_text(yaml, encoding="utf-8")
    return loader.load(src)


# -- the decisions, on numbers --------------------------------------------------


def test_table_columns_hold_their_longest_word_and_share_the_rest_by_text():
    rows = [["Exercise", "Service"], ["Dharma Guardian", "Army"], ["JIMEX", "Navy"]]
    widths = column_widths(rows, 200, five_per_letter)
    # the longest words ("Exercise", "Service") and padding need 46.5 and 41.5; the 112 left over is shared
    # by the square root of each column's letters, 28 and 15
    share = [math.sqrt(28) + 1, math.sqrt(15) + 1]
    assert widths == pytest.approx([46.5 + 112 * share[0] / sum(share), 41.5 + 112 * share[1] / sum(share)])
    assert widths == pytest.approx([109.61, 90.39], abs=0.01)


def test_table_columns_share_by_text_alone_when_the_long_words_overflow():
    widths = column_widths([["Supercalifragilistic", "B"], ["x", "yy"]], 100, five_per_letter)
    assert widths == pytest.approx([67.14, 32.86], abs=0.01)  # √21+1 : √3+1, though the long word needs 106.5
    assert sum(widths) == pytest.approx(100)


def test_an_empty_cell_still_gets_its_padding():
    assert column_widths([["A", ""], ["B", ""]], 50, five_per_letter)[1] >= 6.5


@pytest.mark.parametrize("labels, expected", [
    (["1952"], 200 * 0.16),  # a short date: the column's least share
    (["Sixth century"], 13 * 5 + 9),  # as wide as the label, and its padding
    (["From the sixth century onwards"], 200 * 0.38),  # a long one: the most share; it wraps
])
def test_the_first_column_of_a_timeline_fits_its_widest_label_within_limits(labels, expected):
    first, rest = label_column(labels, 200, five_per_letter, 0.16, 0.38)
    assert first == pytest.approx(expected)
    assert first + rest == pytest.approx(200)


@pytest.mark.parametrize("heights, gist, expected", [
    ({(True, True): 100}, True, (True, True)),
    ({(True, True): 400, (True, False): 120}, True, (True, False)),  # the gist leaves first
    ({(True, True): 400, (True, False): 350}, True, (False, False)),  # then the subject line
    ({(True, False): 100}, False, (True, False)),
    ({(True, False): 350}, False, (False, False)),
])
def test_the_title_band_sends_the_gist_then_the_subject_line_to_the_columns(heights, gist, expected):
    asked = []

    def height(meta: bool, gist_in: bool) -> float:
        asked.append((meta, gist_in))
        return heights[meta, gist_in]

    assert band_form(height, 300, gist) == expected
    assert len(asked) == len(set(asked)) == len(heights)  # each form measured once, and only when needed


def block(kind: str, title: str = "", level: int = 0) -> Block:
    return Block(1, 0, 0, 10, 10, kind, Mark("k", title, level) if title else None)


def test_a_page_is_headed_by_its_first_printed_heading_or_the_section_running_on():
    space, text = block("space"), block("text")
    pages = [[space, block("heading", "1 A"), text],
             [text, block("heading", "2 B"), text],  # 1 A runs on to the top of the page
             [space, block("heading", "3 C"), text],  # a space before the heading prints nothing
             [block("heading", "3.1 Sub", level=1), text]]  # a sub-section does not change it
    assert page_sections(pages) == ("1 A", "1 A", "3 C", "3 C")


def test_only_a_sparse_last_page_is_worth_a_tighter_try():
    text = block("text")
    assert worth_squeezing([[text] * 40, [text] * 5 + [block("space")] * 9])
    assert not worth_squeezing([[text] * 40, [text] * 6])
    assert not worth_squeezing([[text] * 3])  # one page is one page
    assert printed([text, block("space"), block("heading", "1 A")]) == 2


# -- plans of whole sheets ---------------------------------------------------------


def test_india_japan_is_three_pages_headed_by_their_sections(india_japan):
    assert len(india_japan.pages) == 3
    assert india_japan.squeeze == 1.0
    assert [p.section for p in india_japan.pages] == ["", "3 Current status of the relationship",
                                                      "3 Current status of the relationship"]
    assert [p.header.text if p.header else None for p in india_japan.pages] == [
        None, "India–Japan Relations — 3 Current status of the relationship",
        "India–Japan Relations — 3 Current status of the relationship"]
    assert [p.footer.text for p in india_japan.pages if p.footer] == [
        f"International Relations  ·  page {n} of 3" for n in (1, 2, 3)]


def test_a_page_is_headed_by_the_section_running_on_or_the_one_printed_first():
    fr = plan(loader.load(ROOT / "notes" / "fundamental-rights.yaml"), presets.load("revision-landscape"))
    assert [p.section for p in fr.pages] == ["", "5 Right to Freedom of Religion (Art. 25–28)",
                                             "9 Landmark cases and amendments"]
    second, third = fr.pages[1].blocks, fr.pages[2].blocks
    assert second[0].kind == "text"  # section 5 runs on, though 6, 7 and 8 begin on this page
    assert [b.mark.title for b in second if b.mark and b.mark.level == 0][0].startswith("6 ")
    assert next(b for b in third if b.kind != "space").mark.title.startswith("9 ")


def test_the_columns_of_the_plan(india_japan):
    box = printable(presets.load("revision"))
    first, later = india_japan.pages[0].frames, india_japan.pages[1].frames
    assert len(first) == 3 and len(later) == 2  # the title band, then two columns
    assert first[0].height == india_japan.band.height == pytest.approx(127.61, abs=0.01)
    assert [f.x for f in later] == pytest.approx([39.69, 306.14], abs=0.01)
    assert later[0].width == later[1].width == pytest.approx((box.width - 6 * 72 / 25.4) / 2)
    assert first[1].y + first[1].height == pytest.approx(box.y1 - india_japan.band.height - 8)
    for page in india_japan.pages:
        for b in page.blocks:
            frame = page.frames[b.frame]
            assert b.x == pytest.approx(frame.x) and frame.y - 0.01 <= b.y <= frame.y + frame.height


def test_the_width_of_every_table_like_block_is_in_the_plan(india_japan):
    col = india_japan.pages[1].frames[0].width
    assert india_japan.widths_of("evolution", "timeline") == pytest.approx((69.94, 179.51), abs=0.01)
    assert india_japan.widths_of("defence", "table") == pytest.approx((129.02, 120.43), abs=0.01)
    assert india_japan.widths_of("economy", "facts") == pytest.approx((col / 2, col / 2))
    assert india_japan.widths_of("issues", "terms") == pytest.approx((80.63, 168.82), abs=0.01)
    assert {w.what for w in india_japan.widths} == {"timeline", "table", "facts", "terms"}
    assert all(sum(w.widths) == pytest.approx(col) for w in india_japan.widths)


def test_squeeze_saves_a_sparse_last_page():
    topic = loader.load(ROOT / "notes" / "fundamental-rights.yaml")
    layout = presets.load("revision")
    loose = revision._attempt(topic, layout, 1.0).laid
    assert len(loose) == 3 and printed(loose[-1]) < revision.SPARSE_LAST_PAGE
    tight = plan(topic, layout)
    assert tight.squeeze == 0.85 and len(tight.pages) == 2
    landscape = plan(loader.load(ROOT / "notes" / "india-japan.yaml"), presets.load("revision-landscape"))
    assert landscape.squeeze == 0.85 and len(landscape.pages) == 3


def test_squeeze_is_not_kept_when_it_saves_no_page(tmp_path):
    long = " ".join(["monsoon winds reverse with the seasons"] * 95)  # 3,800 characters
    topic = notes(tmp_path, "long", f"topic: Long\nsections:\n  - title: One\n    points: ['{long}', '{long}']\n")
    sheet = plan(topic, presets.load("revision"))
    assert len(sheet.pages) == 2 and printed(sheet.pages[-1].blocks) < revision.SPARSE_LAST_PAGE
    assert sheet.squeeze == 1.0


def test_a_very_long_gist_flows_in_the_first_column(tmp_path):
    gist = " ".join(["The gist of it, told at length."] * 120)
    topic = notes(tmp_path, "gist", f"topic: Gist\nsubject: Geography\nsummary: '{gist}'\n"
                                    "sections:\n  - title: One\n    points: [a]\n")
    layout = presets.load("revision")
    sheet = plan(topic, layout)
    assert (sheet.band.meta_in_band, sheet.band.gist_in_band) == (True, False)
    assert sheet.band.height < printable(layout).height * revision.BAND_LIMIT
    first = [b for b in sheet.pages[0].blocks if b.frame > 0]
    assert first[0].kind == "text" and first[0].ink.getPlainText().startswith("The gist of it")
    assert first[1].kind == "space" and first[2].mark.title == "1 One"


def test_a_very_long_syllabus_flows_too(tmp_path):
    syllabus = "".join(f"\n  - GS {i} — a long line of the syllabus that goes on and on about it" for i in range(60))
    topic = notes(tmp_path, "syl", f"topic: Syl\nsummary: A short gist.\nsyllabus:{syllabus}\n"
                                   "sections:\n  - title: One\n    points: [a]\n")
    sheet = plan(topic, presets.load("revision"))
    assert (sheet.band.meta_in_band, sheet.band.gist_in_band) == (False, False)
    flowing = [b.ink.getPlainText() for b in sheet.pages[0].blocks if b.frame > 0 and b.kind == "text"][:2]
    assert flowing[0].startswith("GS 0 — a long line") and flowing[1] == "A short gist."


def test_the_plan_is_plain_data_and_draw_follows_it(india_japan):
    topic, layout = india_japan.topic, india_japan.layout
    assert plan(topic, layout) == india_japan  # the same decisions every time
    assert "Paragraph" not in repr(india_japan) and "Table" not in repr(india_japan)
    assert draw(india_japan).pdf == draw(india_japan).pdf == render(topic, layout).pdf  # drawing changes no plan
    # draw decides nothing: a header written into the plan is the header printed
    second = india_japan.pages[1]
    edited = dataclasses.replace(second, header=dataclasses.replace(second.header, text="Written by the test"))
    pages = page_texts(draw(dataclasses.replace(india_japan, pages=(india_japan.pages[0], edited,
                                                                    *india_japan.pages[2:]))).pdf)
    assert "Written by the test" in pages[1] and "Written by the test" not in pages[2]


# -- a piece too big for any page is named where it stands ---------------------------

SMALL_PAGE = "extends: revision\npage: {paper: A5, orientation: landscape, margins: {top: 50, bottom: 50}}\n" \
             "columns: 4\nfonts: {heading: 24, title: 40}\n"
TALL = {
    "table": ("topic: T\nsections:\n  - id: s\n    title: S\n    table:\n      columns: [A, B]\n      rows:\n"
              f"        - [x, {'word ' * 700}]\n", (6, 7), "table of section 's'"),
    "heading": (f"topic: T\nsections:\n  - id: s\n    title: {'Long words here ' * 18}\n    points: [a]\n",
                (3, 5), "section 's'"),
    "title": (f"# a comment first\ntopic: {'Topic ' * 45}\nsections:\n  - title: S\n    points: [a]\n",
              (1, 1), "title band"),
}


@pytest.mark.parametrize("what", sorted(TALL))
def test_a_piece_taller_than_a_page_is_located(tmp_path, what):
    yaml, (line, col), where = TALL[what]
    (tmp_path / "small.yaml").write_text(SMALL_PAGE)
    topic = notes(tmp_path, "tall", yaml)
    with pytest.raises(NotesError) as caught:
        plan(topic, presets.load(str(tmp_path / "small.yaml")))
    (problem,) = caught.value.problems
    assert (problem.path, problem.line, problem.col, problem.where) == (str(tmp_path / "tall.yaml"), line, col, where)
    assert problem.message.startswith("cannot lay out the revision sheet")


def test_the_command_line_names_the_oversize_table(tmp_path, monkeypatch):
    yaml, (line, col), _ = TALL["table"]
    (tmp_path / "small.yaml").write_text(SMALL_PAGE)
    (tmp_path / "tall.yaml").write_text(yaml)
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["build", "tall.yaml", "-l", "small.yaml", "-o", "out", "-j", "1"],
                           catch_exceptions=False)
    assert r.exit_code == 1
    assert f"tall.yaml:{line}:{col}: table of section 's': cannot lay out the revision sheet" in r.output
    assert ":1:1:" not in r.output
