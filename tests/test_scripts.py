"""Every script of Indian exams, maths, Hebrew and emoji, in every kind: printed (no missing glyph,
real bold, ink where the text is), every font embedded (no base-14 font), and copied out as typed.

The notes (tests/data/scripts/scripts.yaml) hold a line in each script, plain and in bold; the
roster beside them a name in each. pdfium (the engine of Chrome and of our PNGs) honours the
/ActualText spans round shaped words, so it is the extractor the words are measured with; pypdf
reads only the fonts' ToUnicode maps and is checked for what those give (no control characters).
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from studynotes import fonts
from studynotes.cli import main
from studynotes.load import notes as loader
from studynotes.load import presets
from studynotes.render import KINDS, engine

DATA = Path(__file__).parent / "data" / "scripts"
NOTES = DATA / "scripts.yaml"
ROSTER = DATA / "roster.csv"
BASE14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")
INDIC = ("Devanagari", "Bengali", "Gurmukhi", "Gujarati", "Odia", "Tamil", "Telugu", "Kannada", "Malayalam")
CJK_INSTALLED = fonts.face_path(next(f for f in fonts.FACES if f.name == fonts.CJK)) is not None


# ---------------------------------------------------------------- reading PDFs back

def font_dicts(pdf: bytes) -> dict[str, bool]:
    """Every font of every page and form XObject: its name, and whether its program is embedded."""
    found: dict[str, bool] = {}
    seen: set[int] = set()

    def walk(resources):
        if resources is None:
            return
        resources = resources.get_object()
        for f in (resources.get("/Font") or {}).values():
            f = f.get_object()
            desc = f.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in f:
                desc = f["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            found[str(f.get("/BaseFont"))] = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        for x in (resources.get("/XObject") or {}).values():
            x = x.get_object()
            if id(x) not in seen:
                seen.add(id(x))
                walk(x.get("/Resources"))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        walk(page.get("/Resources"))
    return found


def pdfium_text(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    return "\n".join(page.get_textpage().get_text_range() for page in doc)


def typed_words() -> dict[str, list[str]]:
    """The words of the notes' points and titles as typed, by script (markup and punctuation off)."""
    data = yaml.safe_load(NOTES.read_text(encoding="utf-8"))
    lines = [s["title"] for s in data["sections"]] + [p for s in data["sections"] for p in s.get("points", [])]
    words: dict[str, list[str]] = {}
    for line in lines:
        for word in line.replace("**", " ").split():
            word = word.strip(":,;—()·.")
            if word and not word.isascii():
                words.setdefault(fonts.script_of(word[0]), []).append(word)
    return words


def extracted_share(pdf: bytes, scripts: tuple[str, ...]) -> dict[str, float]:
    text = pdfium_text(pdf)
    words = typed_words()
    return {s: sum(w in text for w in words[s]) / len(words[s]) for s in scripts if s in words}


def assert_fonts_embedded(pdf: bytes) -> set[str]:
    found = font_dicts(pdf)
    assert found, "no fonts at all"
    assert [name for name, embedded in found.items() if not embedded] == []
    assert not [name for name in found if name.lstrip("/").startswith(BASE14)]
    return {name.split("+")[-1] for name in found}


def no_control_characters(text: str) -> bool:
    return not any(unicodedata.category(c) == "Cc" and c not in "\n\r\t" for c in text)


# ---------------------------------------------------------------- the revision sheet (everyday)

@pytest.fixture(scope="module")
def revision():
    return engine("revision")(loader.load(NOTES), presets.load("revision"))


def test_every_script_prints_with_no_missing_glyph_warning(revision):
    assert revision.warnings == ()


def test_every_font_is_embedded_and_none_is_base_14(revision):
    names = assert_fonts_embedded(revision.pdf)
    for script in ("Devanagari", "Tamil", "Telugu", "Kannada", "Malayalam", "Bengali", "Gujarati", "Gurmukhi",
                   "Oriya", "Arabic", "Hebrew"):
        assert f"NotoSans{script}-Regular" in names and f"NotoSans{script}-Bold" in names  # bold is real bold
    assert "STIXTwoMath-Regular" in names and "NotoEmoji-Regular" in names


def test_every_indic_word_copies_out_as_typed(revision):
    shares = extracted_share(revision.pdf, INDIC)
    assert set(shares) == set(INDIC)
    assert all(share >= 0.99 for share in shares.values()), shares


def test_urdu_and_hebrew_words_copy_out_as_typed(revision):
    shares = extracted_share(revision.pdf, ("Arabic-script", "Hebrew"))
    assert shares == {"Arabic-script": 1.0, "Hebrew": 1.0}


def test_maths_and_emoji_copy_out_with_either_extractor(revision):
    plain = "".join(p.extract_text() for p in PdfReader(io.BytesIO(revision.pdf)).pages)
    for text in (pdfium_text(revision.pdf), plain):
        assert "∇·E = ρ/ε₀; x ∈ A ∪ B ⇒ x ∉ ∅" in text
        assert "🌏" in text and "✅" in text


def test_bullets_and_decorations_never_extract_as_control_characters(revision):
    plain = "".join(p.extract_text() for p in PdfReader(io.BytesIO(revision.pdf)).pages)
    assert no_control_characters(pdfium_text(revision.pdf)) and no_control_characters(plain)
    assert "• Hindi:" in pdfium_text(revision.pdf)


def test_ink_where_each_script_is_printed(revision):
    """Each script's first word, found with pdfium, has dark pixels in its box on the page at 100 dpi."""
    doc = pdfium.PdfDocument(revision.pdf)
    page = doc[0]
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    scale = 100 / 72
    image = page.render(scale=scale, grayscale=True).to_pil()
    height = page.get_height()
    for script, words in typed_words().items():
        if script in ("emoji",):
            continue
        at = text.find(words[0])
        assert at >= 0, script
        boxes = [textpage.get_charbox(i) for i in range(at, at + len(words[0]))]
        left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
        bottom, top = min(b[1] for b in boxes), max(b[3] for b in boxes)
        crop = image.crop((int(left * scale), int((height - top) * scale) - 1,
                           int(right * scale) + 1, int((height - bottom) * scale) + 1))
        values = sorted(crop.tobytes())  # one byte a pixel (grey)
        ground = values[len(values) // 2]  # most of a word's box is paper (or the band it is printed on)
        ink = sum(1 for v in values if abs(v - ground) > 80)
        assert ink >= 0.03 * len(values), f"{script}: {words[0]} has no ink"


# ---------------------------------------------------------------- every kind, packs and copies (slow)

@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(set(KINDS) - {"revision"}))
def test_every_kind_prints_and_copies_every_script(kind):
    result = engine(kind)(loader.load(NOTES), presets.load(kind))
    assert result.warnings == ()
    assert_fonts_embedded(result.pdf)
    text = pdfium_text(result.pdf)
    assert no_control_characters(text)
    if kind == "summary":  # the other kinds show some of the notes, shortened or as questions
        shares = extracted_share(result.pdf, INDIC)
        assert all(share >= 0.99 for share in shares.values()), shares
    for extra in result.extras:
        if extra.suffix.endswith(".pdf"):
            assert_fonts_embedded(extra.data)


@pytest.mark.slow
def test_a_pack_with_a_roster_in_every_script_embeds_every_font_and_names_each_student(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "scripts.yaml").write_bytes(NOTES.read_bytes())
    r = CliRunner().invoke(main, ["pack", "scripts", "-l", "revision", "-l", "mindmap", "--roster", str(ROSTER),
                                  "--collate", "-o", "out/pack.pdf"])
    assert r.exit_code == 0, r.output
    assert "warning" not in r.output
    names = [line.split(",")[0] for line in ROSTER.read_text(encoding="utf-8").splitlines()[1:]]
    files = sorted((tmp_path / "out").rglob("*.pdf"))
    assert len(files) == len(names) + 2  # the pack, each copy, the collated file
    for f in files:
        assert_fonts_embedded(f.read_bytes())
    collated = pdfium_text((tmp_path / "out" / "pack" / "all-copies.pdf").read_bytes())
    squashed = re.sub(r"\s+", "", collated)
    for name in names:
        assert re.sub(r"\s+", "", name) in squashed or all(w in collated for w in name.split()), name


@pytest.mark.slow  # the first Japanese text on a machine makes its TrueType font: half a minute
@pytest.mark.skipif(not CJK_INSTALLED, reason="the cjk extra is not installed")
def test_japanese_and_chinese_print_embedded_with_the_cjk_extra(tmp_path):
    src = tmp_path / "cjk.yaml"
    src.write_text("topic: 日本と中国\nsections:\n  - title: 首都\n    points: ['日本の首都は**東京**です', "
                   "'中国的首都是北京。']\n", encoding="utf-8")
    result = engine("revision")(loader.load(src), presets.load("revision"))
    assert result.warnings == ()
    assert "NotoSansCJKjp-Regular" in assert_fonts_embedded(result.pdf)
    text = pdfium_text(result.pdf)
    assert "日本の首都は東京です" in text and "中国的首都是北京。" in text
