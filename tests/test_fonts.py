"""Fonts per script, with numbers and names rather than PDFs: which font prints each script, real
bold, right-to-left order, what a missing glyph says, and the maps that make shaped text copy as typed."""

from __future__ import annotations

import io

import pytest
from reportlab.pdfgen.canvas import Canvas

from studynotes import fonts, markup, text
from studynotes.errors import Loc
from studynotes.render.common import missing_glyphs

SCRIPTS = {  # a word of each script and the font that must print it
    "हिन्दी": "NotoSansDevanagari", "मराठी": "NotoSansDevanagari", "தமிழ்": "NotoSansTamil",
    "తెలుగు": "NotoSansTelugu", "ಕನ್ನಡ": "NotoSansKannada", "മലയാളം": "NotoSansMalayalam",
    "বাংলা": "NotoSansBengali", "ગુજરાતી": "NotoSansGujarati", "ਪੰਜਾਬੀ": "NotoSansGurmukhi",
    "ଓଡ଼ିଆ": "NotoSansOriya", "اردو": "NotoSansArabic", "עברית": "NotoSansHebrew",
    "∇∈∉∪⇒": "STIXTwoMath", "🌏": "NotoEmoji",
}


@pytest.mark.parametrize("word, font", SCRIPTS.items())
def test_every_script_has_its_font_and_nothing_is_missing(word, font):
    missing: list[str] = []
    faces = fonts.assign_fonts(word, missing)
    assert missing == []
    assert set(faces) == {font}


@pytest.mark.parametrize("font", sorted({f for f in SCRIPTS.values() if f not in ("STIXTwoMath", "NotoEmoji")}))
def test_every_script_has_a_real_bold(font):
    from reportlab.pdfbase.pdfmetrics import getFont

    fonts.face_for({v: k for k, v in SCRIPTS.items()}[font][0])
    bold = fonts.bold_face(font)
    assert bold == f"{font}-Bold"
    assert getFont(bold).face.name != getFont(font).face.name  # its own instance, not the regular again
    assert text.width("क" if "Deva" in font else {v: k for k, v in SCRIPTS.items()}[font], 10, bold=True) > 0


def test_fallbacks_are_scaled_to_the_x_height_of_lato():
    from reportlab.pdfbase.pdfmetrics import getFont

    fonts.face_for("Ω")
    lato, noto = getFont("Lato").face, getFont("NotoSans").face
    # the same letter x in both, as drawn at one size: Noto's glyph scaled to Lato's x-height
    x_lato = text.width("x", 1000)
    assert noto.unitsPerEm != 1000 and lato is not noto
    assert 0.88 < fonts.LATO_X / 0.536 < 0.95 and x_lato > 0


def test_spaces_beside_emoji_are_the_text_familys():
    runs = list(text.runs_by_font("Emoji: 🌏 🌧 ok"))
    assert ("NotoEmoji", "🌏") in runs and ("Lato", " ") in runs


# ---------------------------------------------------------------- right to left

def test_a_right_to_left_run_shows_its_words_in_reverse_order():
    assert list(text.runs_by_font("Urdu: اردو ہندوستان کی")) == [
        ("Lato", "Urdu: "), ("NotoSansArabic", "کی ہندوستان اردو")]


def test_numbers_keep_their_order_and_edge_punctuation_the_lines_direction():
    shown = "".join(p for _, p in text.runs_by_font("x اردو 2024 میں y"))
    assert shown == "x میں 2024 اردو y"  # the number inside the run, its digits in order
    assert "".join(p for _, p in text.runs_by_font("x (اردو) y")) == "x (اردو) y"  # brackets at the edges stay


def test_left_to_right_text_is_never_reordered():
    line = "India भारत 日本 ✓ (x)"
    items = list(zip(line, "a" * len(line), strict=True))
    assert fonts.visual(items) == items


def test_markup_of_a_right_to_left_run_reverses_its_words_not_its_runs():
    styled = fonts.to_markup(markup.parse("a **اردو** ہندوستان b"), "#FF0", [])
    assert styled.shaping
    assert styled.markup.index("ہندوستان") < styled.markup.index("اردو")
    assert "<b>" in styled.markup and styled.markup.startswith("a ")


# ---------------------------------------------------------------- missing glyphs

def test_missing_glyphs_are_one_warning_per_script_and_part_with_a_count():
    w = missing_glyphs("Tibetan", "section 'south'", Loc("notes/x.yaml", 48, 9), list("ཀཁགཀཁ"))
    message = str(w)
    assert message.startswith("notes/x.yaml:48:9: warning: section 'south': 5 Tibetan characters have no font")
    assert "U+0F40" in message and "README" in message


def test_a_missing_cjk_font_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(fonts, "_unavailable", {fonts.CJK})
    assert fonts.install_hint("Chinese and Japanese", "日本") == \
        "install the Chinese and Japanese fonts: pip install 'studynotes[cjk]'"


def test_scripts_are_named_for_warnings():
    assert [fonts.script_of(c) for c in "മاཀ😀∇"] == ["Malayalam", "Arabic-script", "Tibetan", "emoji", "maths"]
    assert fonts.summarize(list("ཀཁ")) == [("Tibetan", 2, fonts.install_hint("Tibetan", "ཀཁ"))]


def test_characters_no_font_has_are_said_once_per_script_marks_with_their_letters():
    tibetan = "བཀྲ་ཤིས"  # the tsheg (་) is a punctuation mark named TIBETAN MARK: it counts as Tibetan
    by = fonts.by_script(list(tibetan + "ཀ\ua838"))
    assert list(by) == ["Tibetan", "symbol"] and by["symbol"] == ["\ua838"]
    assert sorted(by["Tibetan"]) == sorted("བཀྲ་ཤིས")
    said = fonts.lacking(list(tibetan + "\ua838"))
    assert said.startswith("7 Tibetan characters (first U+0F56 TIBETAN LETTER BA ('བ')) have no font; ")
    assert "; 1 symbol character (first U+A838 NORTH INDIC RUPEE MARK ('꠸')) has no font; " in said


# ---------------------------------------------------------------- embedded, copyable

def test_a_canvas_starts_in_an_embedded_font_never_helvetica():
    from reportlab.lib.styles import ParagraphStyle

    fonts.register_body()
    assert Canvas(io.BytesIO())._fontname == fonts.BODY
    assert ParagraphStyle("x").bulletFontName == fonts.BODY


def test_shaped_words_carry_the_text_they_were_shaped_from():
    from reportlab.pdfbase.ttfonts import shapeStr

    fonts.face_for("क")
    word = "स्वतंत्रता"
    shaped = shapeStr(word, fonts.DEVANAGARI, 10)
    assert str(shaped) != word  # the glyphs do not spell the word ...
    assert fonts._actual_text(shaped) == word  # ... so the span around them does


def test_to_unicode_maps_glyphs_beyond_the_basic_plane_and_conjuncts():
    fonts.register_body()
    cmap = fonts._to_unicode_cmap("AAAAAA+Test", [0x20, 0x1F30F])
    assert "<01> <D83CDF0F>" in cmap  # 🌏 as UTF-16, not cut to 1F30
    fonts._PRIVATE[("Test", 0xE000)] = "क्ष"
    assert "<00> <0915094D0937>" in fonts._to_unicode_cmap("AAAAAB+Test", [0xE000])
