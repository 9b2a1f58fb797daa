"""Inline markup (notes-format.md, "Inline markup" and "Markup details"), plus properties over any text."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studynotes.errors import NotesError
from studynotes.load import notes as loader
from studynotes.markup import MarkupError, Run, key_phrases, parse, plain


def styles(text: str) -> list[tuple[str, str]]:
    """Each run as (text, flags), flags being some of 'b', 'i', 'k' — short to compare."""
    return [(r.text, "b" * r.bold + "i" * r.italic + "k" * r.key) for r in parse(text)]


def error_at(text: str) -> tuple[int, str]:
    with pytest.raises(MarkupError) as info:
        parse(text)
    return info.value.offset, info.value.message


# ---------------------------------------------------------------- the three markers


def test_bold():
    assert parse("a **b c** d") == (Run("a "), Run("b c", bold=True), Run(" d"))


def test_italic():
    assert parse("*Ibid.*") == (Run("Ibid.", italic=True),)


def test_key():
    assert parse("in ==April 1952==.") == (Run("in "), Run("April 1952", key=True), Run("."))


def test_plain_text_is_one_run_and_empty_text_none():
    assert parse("just text") == (Run("just text"),)
    assert parse("") == ()


# ---------------------------------------------------------------- nesting


@pytest.mark.parametrize("text, expected", [
    ("**bold ==key== text**", [("bold ", "b"), ("key", "bk"), (" text", "b")]),
    ("==a **b** c==", [("a ", "k"), ("b", "bk"), (" c", "k")]),
    ("*a **b** c*", [("a ", "i"), ("b", "bi"), (" c", "i")]),
    ("**a *b* c**", [("a ", "b"), ("b", "bi"), (" c", "b")]),
    ("***a***", [("a", "bi")]),
    ("**a *b***", [("a ", "b"), ("b", "bi")]),
    ("*a **b***", [("a ", "i"), ("b", "bi")]),
    ("***a* b**", [("a", "bi"), (" b", "b")]),
    ("***a** b*", [("a", "bi"), (" b", "i")]),           # italic around bold, both opening together
    ("*==**a** b== c*", [("a", "bik"), (" b", "ik"), (" c", "i")]),
])
def test_different_markers_nest(text, expected):
    assert styles(text) == expected


@pytest.mark.parametrize("text, offset, name", [
    ("**a **b** c**", 4, "bold '**'"),
    ("*a *b* c*", 3, "italic '*'"),
    ("==a ==b== c==", 4, "key '=='"),
])
def test_the_same_marker_may_not_nest(text, offset, name):
    at, message = error_at(text)
    assert at == offset
    assert message.startswith(f"{name} is already open; the same marker may not nest")


# ---------------------------------------------------------------- where markers count


def test_markers_inside_words():
    assert styles("日本の==首都==は東京") == [("日本の", ""), ("首都", "k"), ("は東京", "")]
    assert styles("un**believ**able") == [("un", ""), ("believ", "b"), ("able", "")]
    assert styles("H*2*O") == [("H", ""), ("2", "i"), ("O", "")]


@pytest.mark.parametrize("text", [
    "5 * 3", "5 * 3 * 2", "a == b", "a == b == c", "x ** 2", "a = b", "x=y", "a=b=c", "= =", "1 =2= 3",
    "*", "**", "==", "* list", "rate: 5 %", "<b>&amp;</b> \"quotes\" 'single'", "नमस्ते", "→ ✓ ≥",
])
def test_literal_text(text):
    assert parse(text) == (Run(text),)


def test_single_equals_is_always_literal():
    assert styles("=a=") == [("=a=", "")]
    assert styles("==a=b==") == [("a=b", "k")]


# ---------------------------------------------------------------- escapes


@pytest.mark.parametrize("text, expected", [
    (r"\*not italic\*", "*not italic*"),
    (r"\*\*not bold\*\*", "**not bold**"),
    (r"\=\=not key\=\=", "==not key=="),
    (r"a\\b", "a\\b"),
    (r"ends with \\", "ends with \\"),
    (r"C:\path\to", r"C:\path\to"),      # a backslash before any other character is literal
    (r"\n \t \u \_", r"\n \t \u \_"),
    ("\\", "\\"),
    ("a\\", "a\\"),
])
def test_escapes(text, expected):
    assert parse(text) == (Run(expected),)


def test_escaped_backslash_does_not_escape_the_marker_after_it():
    assert styles(r"\\**b**") == [("\\", ""), ("b", "b")]


def test_escape_inside_a_marker():
    assert styles(r"**2 \* 3**") == [("2 * 3", "b")]


# ---------------------------------------------------------------- unclosed markers


@pytest.mark.parametrize("text, offset, name, hint", [
    ("**open", 0, "bold '**'", "\\*"),
    ("a *b", 2, "italic '*'", "\\*"),
    ("the ==key", 4, "key '=='", "\\="),
    ("x ** y **z", 7, "bold '**'", "\\*"),
    ("a*b", 1, "italic '*'", "\\*"),
    ("**a *b**", 0, "bold '**'", "\\*"),
    ("日本の==首都", 3, "key '=='", "\\="),
    (r"**a\**", 0, "bold '**'", "\\*"),
])
def test_unclosed_marker_is_an_error_with_its_offset(text, offset, name, hint):
    at, message = error_at(text)
    assert at == offset
    assert message == f"{name} opens here and never closes (write {hint} for a literal '{hint[1]}')"


def test_markup_error_is_a_value_error():
    assert issubclass(MarkupError, ValueError)


# ---------------------------------------------------------------- helpers built on parse


def test_plain_drops_markers_and_keeps_broken_text():
    assert plain("**India**–Japan ==ties== \\*") == "India–Japan ties *"
    assert plain("**broken") == "**broken"


def test_key_phrases_in_order():
    assert key_phrases("==ACSA== (2020) and ==**SSGP**==, ==2014==") == ["ACSA", "SSGP", "2014"]
    assert key_phrases("==unclosed") == []


# ---------------------------------------------------------------- properties

MARKUPISH = st.text(alphabet=st.sampled_from("*=\\ ab日\n"), max_size=30)
ANY_TEXT = st.one_of(MARKUPISH, st.text(max_size=40))
NO_SPECIALS = st.text(max_size=40).filter(lambda t: not any(c in t for c in "*=\\$"))


def test_the_hypothesis_profile_follows_ci_and_reaches_tests_with_their_own_settings():
    """conftest.py picks the profile; a test's ``@settings(max_examples=…)`` keeps the rest of it."""
    name = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if "CI" in os.environ else "dev")
    assert settings.get_current_profile_name() == name
    profile = settings.get_profile(name)
    assert profile.derandomize is (name == "ci") and profile.deadline is None
    own = settings(max_examples=7)  # as a decorator makes it, at import time
    assert (own.max_examples, own.derandomize, own.deadline, own.database) == (7, profile.derandomize, None,
                                                                                 profile.database)
    decorated = test_parse_returns_runs_from_the_text_or_raises_markup_error
    assert decorated.hypothesis.inner_test is not None  # really a hypothesis test, whose settings follow:
    assert decorated._hypothesis_internal_use_settings.derandomize is profile.derandomize


def is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(c in it for c in small)


@settings(max_examples=400, deadline=None)
@given(ANY_TEXT)
def test_parse_returns_runs_from_the_text_or_raises_markup_error(text):
    try:
        runs = parse(text)
    except MarkupError as exc:
        assert 0 <= exc.offset < len(text)
        assert text[exc.offset] in "*=" or exc.message.startswith("formula: ")  # TeX: anywhere in it
        return
    assert all(r.text for r in runs)
    joined = "".join(r.text for r in runs)
    assert is_subsequence(joined, text)  # only markers and escaping backslashes are dropped
    dropped = list(text)
    for c in joined:
        dropped.remove(c)
    assert all(c in "*=\\$" for c in dropped)  # a formula's text is its TeX, without its dollars


@settings(max_examples=200, deadline=None)
@given(NO_SPECIALS)
def test_text_without_marker_characters_is_one_plain_run(text):
    assert parse(text) == ((Run(text),) if text else ())


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("=", "\\=").replace("$", "\\$")


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_escaped_text_reads_back_literally(text):
    assert parse(escape(text)) == ((Run(text),) if text else ())


WORD = st.text(alphabet=st.sampled_from("abxy日本<&'"), min_size=1, max_size=4)
MARKERS = {"**": "b", "*": "i", "==": "k"}


def joined(parts, flags: str):
    """Parts separated by single spaces: the markup, and every printed character with its flags."""
    chars: list[tuple[str, str]] = []
    for i, (_, part_chars) in enumerate(parts):
        if i:
            chars.append((" ", flags))
        chars.extend(part_chars)
    return " ".join(markup for markup, _ in parts), chars


def spans(depth: int = 0, outer: frozenset = frozenset()):
    """Well-formed markup up to three markers deep, never the same marker inside itself."""
    flags = "".join(sorted(outer))  # 'b' < 'i' < 'k', the order styles() uses
    word = WORD.map(lambda w: (w, [(c, flags) for c in w]))
    if depth == 3:
        return word

    def wrap(marker: str):
        inside = outer | {MARKERS[marker]}
        return st.lists(spans(depth + 1, inside), min_size=1, max_size=3).map(
            lambda parts: (lambda m, cs: (marker + m + marker, cs))(*joined(parts, "".join(sorted(inside)))))

    return st.one_of(word, *(wrap(m) for m, f in MARKERS.items() if f not in outer))


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(spans(), min_size=1, max_size=4))
def test_well_formed_markup_gives_the_intended_styles(parts):
    text, chars = joined(parts, "")
    got = [(c, flags) for run, flags in styles(text) for c in run]
    assert got == chars, text


# ---------------------------------------------------------------- the loader never fails otherwise

PREFIX = "topic: T\nsections:\n  - title: A\n    points:\n      - "


def assert_located(exc: NotesError, text: str) -> None:
    assert exc.problems
    lines = text.count("\n") + 2
    for p in exc.problems:
        assert p.path == "p.yaml"
        assert 1 <= p.line <= lines, p
        assert p.col >= 1, p
        assert str(p).startswith(f"p.yaml:{p.line}:{p.col}: ")


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_any_point_written_quoted_loads_exactly_or_is_a_located_error(value):
    text = PREFIX + json.dumps(value) + "\n"
    try:
        topic = loader.load_text(text, "p.yaml", "p")
    except NotesError as exc:
        assert_located(exc, text)
        return
    (point,) = topic.sections[0].points
    assert point.text == value
    parse(point.text)  # whatever loads has passed the markup rules


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_any_point_written_raw_loads_or_is_a_located_error(value):
    text = PREFIX + value + "\n"
    try:
        topic = loader.load_text(text, "p.yaml", "p")
    except NotesError as exc:
        assert_located(exc, text)
        return
    for section, _ in topic.walk():
        for point in section.points:
            parse(point.text)


@pytest.mark.parametrize("text", ["a *** b", "a === b", "****", "x ==== y", "rate = 5 % ** 2"])
def test_a_run_of_markers_standing_alone_is_literal(text):
    assert parse(text) == (Run(text),)
