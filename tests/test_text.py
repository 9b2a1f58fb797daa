"""Single lines of text by font runs: measuring, wrapping and shortening, with numbers, not PDFs.

``wrap`` and ``longest_fit`` take the test of "does it fit" as a function,
so they are checked here with character counts; ``width``, ``wrap_width``
and ``fit`` measure with the real fonts.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth

from studynotes.text import fit, longest_fit, runs_by_font, width, wrap, wrap_width

WORDS = st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=12), min_size=1, max_size=12).map(" ".join)


def at_most(n: int):
    return lambda s: len(s) <= n


# ---------------------------------------------------------------- longest_fit and wrap, by counting

@given(st.text(max_size=40), st.integers(0, 50))
def test_longest_fit_is_the_longest_beginning_that_fits(s, n):
    assert longest_fit(s, at_most(n)) == min(n, len(s))


def test_longest_fit_trusts_its_lower_bound():
    assert longest_fit("abc", lambda s: False) == 0
    assert longest_fit("abc", lambda s: False, lo=1) == 1  # the caller knows one character must go on a line


def test_wrap_is_greedy():
    assert wrap("a bb ccc dddd", at_most(6)) == ["a bb", "ccc", "dddd"]
    assert wrap("one two three", at_most(100)) == ["one two three"]
    assert wrap("  spaced   out  ", at_most(100)) == ["spaced out"]


def test_wrap_of_nothing_is_one_empty_line():
    assert wrap("", at_most(5)) == [""]
    assert wrap("   ", at_most(5)) == [""]


def test_a_word_no_line_can_hold_is_cut_into_the_longest_pieces_that_fit():
    assert wrap("abcdefghijkl mn", at_most(5), lambda w: len(w) > 5) == ["abcde", "fghij", "kl mn"]
    assert wrap("abcdefghijkl", at_most(5)) == ["abcdefghijkl"]  # without too_long a word is never cut


@given(WORDS, st.integers(1, 30))
def test_wrap_keeps_every_word_in_order_and_lines_fit_unless_one_word_is_too_long(s, n):
    lines = wrap(s, at_most(n))
    assert " ".join(lines).split() == s.split()
    assert all(len(line) <= n or " " not in line for line in lines)
    for first, second in zip(lines, lines[1:], strict=False):  # greedy: the next word did not fit
        assert len(f"{first} {second.split()[0]}") > n


@given(WORDS, st.integers(1, 30))
def test_wrap_with_cutting_makes_every_line_fit(s, n):
    lines = wrap(s, at_most(n), lambda w: len(w) > n)
    assert all(len(line) <= n for line in lines)
    assert "".join("".join(lines).split()) == "".join(s.split())


# ---------------------------------------------------------------- runs and widths, with the real fonts

def test_each_run_is_set_in_the_font_that_has_its_glyphs():
    assert list(runs_by_font("India भारत தமிழ், ok")) == [
        ("Lato", "India "), ("NotoSansDevanagari", "भारत "), ("NotoSansTamil", "தமிழ், "), ("Lato", "ok")]


def test_bold_applies_to_every_font_that_has_a_bold():
    assert list(runs_by_font("India भारत தமிழ் ∈", bold=True)) == [
        ("Lato-Bold", "India "), ("NotoSansDevanagari-Bold", "भारत "), ("NotoSansTamil-Bold", "தமிழ் "),
        ("STIXTwoMath", "∈")]  # STIX Two Math has no bold


def test_characters_no_font_has_are_reported_and_set_in_the_text_family():
    missing: list[str] = []
    assert list(runs_by_font("a\ue000b", missing=missing)) == [("Lato", "a\ue000b")]
    assert missing == ["\ue000"]


def test_width_is_the_sum_of_its_runs_and_grows_with_the_size():
    mixed = "India भारत ∈ A"
    pieces = sum(stringWidth(piece, face, 10) for face, piece in runs_by_font(mixed))  # each in its own font
    assert width(mixed, 10) == pytest.approx(pieces)
    assert width(mixed, 20) == pytest.approx(2 * width(mixed, 10))
    assert width("", 10) == 0
    assert width("alpha", 10, bold=True) > width("alpha", 10)


def test_shaped_text_is_as_wide_as_harfbuzz_sets_it():
    """A conjunct is one glyph: the shaped word is narrower than its characters side by side."""
    word = "स्वतंत्रता"
    assert width(word, 10) < sum(stringWidth(ch, "NotoSansDevanagari", 10) for ch in word)

def test_wrap_width_fits_every_line_in_points():
    s = "the south-west monsoon brings three quarters of the rain between June and September"
    limit = width("the south-west monsoon", 9) + 0.01
    lines = wrap_width(s, 9, limit)
    assert lines[0] == "the south-west monsoon"
    assert all(width(line, 9) <= limit for line in lines) and " ".join(lines) == s


# ---------------------------------------------------------------- fit: one line with an ellipsis

def test_a_line_that_fits_is_kept_as_it_is():
    assert fit("alpha beta", 10, width("alpha beta", 10)) == "alpha beta"


def test_a_long_line_is_cut_at_a_word_boundary_with_an_ellipsis():
    line = "alpha beta gamma delta epsilon"
    assert fit(line, 10, width("alpha beta gamma de…", 10) + 0.01) == "alpha beta gamma…"
    assert fit(line, 10, width("alpha beta gamma…", 10) + 0.01) == "alpha beta gamma…"
    assert fit(line, 10, width("alpha beta gamma…", 10) - 0.01) == "alpha beta…"


def test_one_long_word_is_cut_inside_the_word():
    assert fit("abcdefghijklmnop", 10, width("abcdef…", 10) + 0.01) == "abcdef…"


def test_punctuation_before_the_cut_goes():
    assert fit("alpha, beta", 10, width("alpha, b…", 10) + 0.01) == "alpha…"
    assert fit("alpha — beta", 10, width("alpha — b…", 10) + 0.01) == "alpha…"


@given(WORDS, st.floats(0.05, 0.95), st.booleans())
def test_fit_always_fits_and_is_a_beginning_of_the_text(s, share, bold):
    limit = width("…", 8, bold) + share * width(s, 8, bold)
    out = fit(s, 8, limit, bold)
    assert width(out, 8, bold) <= limit + 1e-9
    if out != s:
        assert out.endswith("…") and s.startswith(out[:-1])



# ---------------------------------------------------------------- paragraphs broken across columns

def test_a_paragraph_broken_across_columns_keeps_two_lines_on_each_side():
    """No widow (one last line alone at the top of the next column) and no orphan (one first line alone
    at the foot of a column), in every kind: the house paragraph style says so, and ReportLab's split
    (and the summary's counted lines, which follow the style) keep to it."""
    from reportlab.lib.colors import black
    from reportlab.platypus import Paragraph

    from studynotes import fonts
    from studynotes.render.common import style

    fonts.register_body()
    st = style("body", "Lato", 10, black)
    assert (st.allowWidows, st.allowOrphans) == (0, 0)
    words = " ".join(["radiation"] * 40)
    para = Paragraph(words, st)
    _, height = para.wrap(100, 10_000)
    lines = round(height / st.leading)
    assert lines >= 4
    head, tail = para.split(100, (lines - 1) * st.leading + 1)  # room for all lines but one
    assert round(tail.wrap(100, 10_000)[1] / st.leading) == 2  # two lines go over, not one
    three = Paragraph(" ".join(["radiation"] * (3 * len(words.split()) // lines - 1)), st)
    assert round(three.wrap(100, 10_000)[1] / st.leading) == 3
    assert three.split(100, 2 * st.leading + 1) == []  # 2 + 1 would leave a widow: the whole goes over
    assert Paragraph(words, st).split(100, st.leading + 1) == []  # 1 + the rest would leave an orphan
