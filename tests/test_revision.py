"""The revision sheet read back from the PDF: content, outline, metadata, page numbers, geometry, bytes."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from pdfcheck import DEVANAGARI, glyphs, outline_titles, page_size, page_texts, print_faults, reader, squash

from studynotes import fonts as font_faces
from studynotes.load import notes as loader
from studynotes.load import presets
from studynotes.markup import plain
from studynotes.model import iter_points
from studynotes.render import engine, revision
from studynotes.render.revision import BULLETS

ROOT = Path(__file__).resolve().parent.parent
NOTES = sorted((ROOT / "notes").glob("*.yaml"))
MM = 72 / 25.4


def every_text(topic):
    """Every piece of notes text a revision sheet must print."""
    yield topic.title
    if topic.summary:
        yield topic.summary
    for sec, _ in topic.walk():
        yield sec.title
        for p, _ in iter_points(sec.points):
            yield p.text
        for f in sec.facts:
            yield f.label
            yield f.value
            if f.note:
                yield f.note
        for e in sec.timeline:
            yield e.when
            yield e.what
        for t in sec.terms:
            yield t.term
            yield t.meaning
        if sec.table:
            yield from sec.table.columns
            for row in sec.table.rows:
                yield from row
        for c in sec.cards:
            yield c.q
            yield c.a
    for s in topic.sources:
        yield s.title


@pytest.fixture(scope="module", params=[p.stem for p in NOTES])
def built(request):
    topic = loader.load(ROOT / "notes" / f"{request.param}.yaml")
    layout = presets.load("revision")
    return topic, layout, engine("revision")(topic, layout)


def test_every_point_fact_event_term_and_cell_is_in_the_text(built):
    topic, _, result = built
    # running headers and footers are drawn last, so they can stand inside a paragraph that runs on
    lines = [ln for page in page_texts(result.pdf) for ln in page.splitlines()
             if not re.search(r"page \d+ of \d+", ln) and not ln.startswith(f"{plain(topic.title)} — ")]
    text = squash("".join(lines))
    missing = [t for t in every_text(topic) if not DEVANAGARI.search(t) and squash(plain(t)) not in text]
    assert missing == []


def test_bookmarks_for_every_section_and_sub_section(built):
    topic, _, result = built
    titles = outline_titles(result.pdf)
    for sec, _ in topic.walk():
        assert any(t.endswith(plain(sec.title)) for t in titles), sec.id
    numbered = [t for t in titles if t[0].isdigit()]
    assert len(numbered) == sum(1 for _ in topic.walk())


def test_metadata(built):
    topic, _, result = built
    meta = reader(result.pdf).metadata
    assert meta.title == plain(topic.title)
    assert meta.subject == plain(topic.subject or "")
    for tag in topic.tags:
        assert tag in meta["/Keywords"]


def test_page_x_of_y_on_every_page(built):
    _, _, result = built
    texts = page_texts(result.pdf)
    assert len(texts) == result.pages >= 1
    for i, text in enumerate(texts, 1):
        assert f"page {i} of {len(texts)}" in text


def test_no_glyph_outside_the_margins_or_under_7pt(built):
    _, layout, result = built
    faults, count = print_faults(result.pdf, layout.margins, 7.0)
    assert faults == [] and count > 1000


def test_same_inputs_same_bytes(built):
    topic, layout, result = built
    assert engine("revision")(topic, layout).pdf == result.pdf


@pytest.mark.parametrize("preset, one_column, columns, landscape", [
    ("revision-landscape", False, 3, True),
    ("revision", False, 2, False),
    ("revision", True, 1, False),  # the count tells one column from two or three
])
def test_presets_print_in_their_number_of_columns(preset, one_column, columns, landscape):
    topic = loader.load(ROOT / "notes" / "india-japan.yaml")
    layout = presets.load(preset)
    if one_column:
        layout = dataclasses.replace(layout, columns=1)
    sheet = revision.plan(topic, layout)
    pdf = revision.draw(sheet).pdf
    w, h = page_size(pdf)
    assert (w > h) is landscape
    # on a full page, the pieces start at exactly this many left edges ...
    starts = sorted({round(b.x, 1) for b in sheet.pages[1].blocks})
    assert len(starts) == columns
    # ... and so do the printed lines: every top-level point starts with its bullet one point in from its column
    bullets = sorted({round(left, 1) for page, ch, left, *_ in glyphs(pdf) if page == 1 and ch == BULLETS[0]})
    assert len(bullets) == columns
    assert all(0 < b - s < 3 for b, s in zip(bullets, starts, strict=True))


def test_grayscale_has_no_colour():
    topic = loader.load(ROOT / "notes" / "india-japan.yaml")
    layout = presets.load("revision").adjusted(grayscale=True)
    result = engine("revision")(topic, layout)
    import pypdfium2 as pdfium
    from PIL import ImageChops

    img = pdfium.PdfDocument(result.pdf)[0].render(scale=0.5).to_pil().convert("RGB")
    r, g, b = img.split()
    assert max(ImageChops.difference(r, g).getextrema()[1], ImageChops.difference(g, b).getextrema()[1]) <= 3
    colour = presets.load("revision")
    img = pdfium.PdfDocument(engine("revision")(topic, colour).pdf)[0].render(scale=0.5).to_pil().convert("RGB")
    r, g, b = img.split()
    assert ImageChops.difference(r, b).getextrema()[1] > 40  # the same page in colour is not grey


def test_hindi_is_shaped_and_japanese_does_not_crash(tmp_path):
    src = tmp_path / "mixed.yaml"
    src.write_text("topic: मिश्रित — Mixed scripts\nsections:\n  - title: प्रधानमंत्री\n    points:\n"
                   "      - संयुक्त राष्ट्र परिषद and ==日本の首都== is 東京\n      - 'Symbols: ≤ ≥ → ₹'\n"
                   "      - ==Kaal Baisakhi== (काल बैसाखी) — West, dusty office winds\n",
                   encoding="utf-8")
    topic = loader.load(src)
    result = engine("revision")(topic, presets.load("revision"))
    assert result.pages == 1
    cjk = font_faces.face_path(next(f for f in font_faces.FACES if f.name == font_faces.CJK)) is not None
    if cjk:  # the optional extra: Japanese embedded
        assert result.warnings == ()
    else:  # without it Japanese is warned about, with how to install its font
        (w,) = result.warnings
        assert "Chinese and Japanese characters have no font" in w.message and "studynotes[cjk]" in w.message
    text = page_texts(result.pdf)[0]
    assert ("東京" in text or not cjk) and "≤" in text
    # English words in a shaped (Hindi) paragraph keep their letters: no "st" or "ffi" ligatures
    assert "West, dusty office winds" in text
    fonts = set()
    for page in reader(result.pdf).pages:
        for f in page["/Resources"]["/Font"].values():
            fonts.add(str(f.get_object()["/BaseFont"]))
    assert any("NotoSansDevanagari" in f for f in fonts)
    assert any("NotoSansCJK" in f for f in fonts) or not cjk


def test_a_character_no_font_has_is_a_warning_naming_it(tmp_path):
    src = tmp_path / "odd.yaml"
    src.write_text("topic: Odd\nsections:\n  - id: marks\n    title: Marks\n    points: ['Tibetan ཀཁ here ཀ']\n",
                   encoding="utf-8")  # no font for Tibetan ships with studynotes
    result = engine("revision")(loader.load(src), presets.load("revision"))
    (w,) = result.warnings
    assert (w.path, w.line, w.col, w.severity) == (str(src), 3, 5, "warning")  # the section it stands in
    assert "U+0F40" in w.message and "U+0F41" in w.message
    assert str(w).startswith(f"{src}:3:5: warning: section 'marks': 3 Tibetan characters have no font")


def test_literal_markup_prints_as_written(tmp_path):
    src = tmp_path / "lit.yaml"
    src.write_text("topic: Literal\nsections:\n  - title: Tags\n    points:\n"
                   "      - '<b>not bold</b> & </para> <font x>'\n"
                   "      - '5 * 3 and a == b, \\*stars\\*'\n", encoding="utf-8")
    result = engine("revision")(loader.load(src), presets.load("revision"))
    text = squash(page_texts(result.pdf)[0])
    assert squash("<b>not bold</b> & </para> <font x>") in text
    assert squash("5 * 3 and a == b, *stars*") in text
