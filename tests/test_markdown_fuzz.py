"""Hostile Markdown notes: broken, huge, deep and random files must load or give located errors, fast,
and never crash, hang or write anything (the Markdown side of test_hostile.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from limits import time_limit

from studynotes.cli import main
from studynotes.errors import NotesError
from studynotes.load import markdown, notes
from studynotes.model import Topic

HEAD = "# T\n\n## S\n\n"


def located(path: Path) -> list[str]:
    """The problems of a file that must not load, each as 'line:col: message' (a hang fails the test)."""
    with time_limit(10), pytest.raises(NotesError) as info:
        notes.load(path)
    for p in info.value.problems:
        assert p.path == str(path) and p.line >= 1 and p.col >= 1 and p.message.strip(), p
    return [f"{p.line}:{p.col}: {p.message}" for p in info.value.problems]


@pytest.fixture()
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("data, expect", [
    (b"", "1:1: the file is empty"),
    (b"  \n\n\t\n", "1:1: the file is empty"),
    (b"---\ntitle: Only front matter\n---\n", "1:1: a topic needs at least one section"),
    (b"# T\n\n## S\n\n- caf\xe9\n", "5:6: the file is not valid UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "1:1: the file is not valid UTF-8"),
    (b"# T\n\n## S\n\n- a\x00b\n", "5:4: control character U+0000"),
    (b"# T\n\n## S\n\n- a &#x2028; b\n", "5:3: line separator U+2028"),
])
def test_empty_binary_and_broken_files_are_located_errors(data, expect, cwd):
    f = cwd / "bad.md"
    f.write_bytes(data)
    (first, *_) = located(f)
    assert first.startswith(expect), first


def test_a_byte_order_mark_is_allowed(cwd):
    f = cwd / "bom.md"
    f.write_bytes(b"\xef\xbb\xbf# T\n\n## S\n\n- p\n")
    assert notes.load(f).title == "T"


def test_ten_levels_of_nesting_load_with_nothing_lost(cwd):
    f = cwd / "deep.md"
    f.write_text(HEAD + "".join("  " * i + f"- level {i}\n" for i in range(10)) + HEAD[5:] + "> " * 10 + "quote\n")
    topic, warnings = notes.read(f)
    words = " ".join(p.text for s, _ in topic.walk() for p in _all(s.points))
    assert all(f"level {i}" in words for i in range(10)) and "quote" in words
    assert [w.line for w in warnings] == [7]


def _all(points):
    for p in points:
        yield p
        yield from _all(p.points)


@pytest.mark.parametrize("body", ["".join("  " * i + "- x\n" for i in range(120)), "> " * 120 + "x\n",
                                  "".join("  " * i + ("> " if i % 2 else "- ") + "x\n" for i in range(120))])
def test_absurd_nesting_is_a_located_error_not_a_crash(body, cwd):
    f = cwd / "deep.md"
    f.write_text(HEAD + body)
    assert any("nests more than" in p for p in located(f))


@pytest.mark.parametrize("name, body, expect", [
    ("over 2 MiB", "- " + "word " * 450_000 + "\n", "1:1: the file is 2.1 MiB"),
    ("too many lines", "- x\n" * 41_000, "40001:1: the file has 41,005 lines"),
    ("one huge paragraph", "- " + "word " * 300_000 + "\n", "5:3: is 1,499,999 characters long"),
    ("too many points", "- x\n" * 5001, "5005:3: the topic has more than 5,000 points"),
])
def test_huge_files_are_refused_fast_with_a_located_error(name, body, expect, cwd):
    f = cwd / "huge.md"
    f.write_text(HEAD + body)
    assert any(expect in p for p in located(f)), name


def test_markup_everywhere_is_refused_past_a_budget_before_it_is_parsed(cwd, monkeypatch):
    monkeypatch.setattr(markdown, "MAX_MARKS", 2000)  # the real budget (200,000) costs a second to reach
    f = cwd / "stars.md"
    f.write_text(HEAD + ("- " + "*a " * 1300 + "\n") * 30)
    assert any(p.startswith("6:1: the file holds more than 2,000 markup") for p in located(f))


def test_many_brackets_are_read_in_linear_time_as_plain_brackets(cwd):
    f = cwd / "brackets.md"
    f.write_text(HEAD + ("- " + "[" * 3000 + "]\n") * 20)
    with time_limit(10):
        topic, warnings = notes.read(f)
    assert topic.sections[0].points[0].text == "[" * 3000 + "]" and len(warnings) == 20


def test_a_build_of_a_broken_markdown_file_writes_nothing(cwd):
    (cwd / "bad.md").write_text("# T\n\n## S\n\n- a ==b\n")
    with time_limit(30):
        r = CliRunner().invoke(main, ["build", "bad.md", "-l", "revision", "-o", "out"])
    assert r.exit_code == 1 and "bad.md:5:5: point:" in r.output and "Traceback" not in r.output, r.output
    assert not (cwd / "out").exists() or not any((cwd / "out").rglob("*.pdf"))


# ---------------------------------------------------------------- fuzzing

def assert_loaded_or_located(text: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "fuzz.md"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
        try:
            with time_limit(20):
                topic = markdown.load(path)
        except NotesError as exc:
            assert exc.problems
            for p in exc.problems:
                assert p.path == str(path) and p.line >= 1 and p.col >= 1 and p.message.strip(), p
        else:
            assert isinstance(topic, Topic) and topic.sections


TOKENS = ["# ", "## ", "### ", "#### ", "- ", "* ", "+ ", "1. ", "2) ", "> ", "  ", "    ", "\n", "\n\n", "\t", "\r\n",
          "**", "*", "_", "__", "==", "~~", "`", "```", "~~~", "\\", "\\*", "[", "]", "(", ")", "![", "](http://x.y)",
          "<", ">", "<!--", "-->", "<b>", "&", "&amp;", "&#10;", "&#x2028;", "&#0;", "|", "|---|",
          "| a | b |\n|--|--|\n",
          "{", "}", " {#id .t short=\"s\"}", " {.key}", "{#Bad}", "---\n", "---\ntitle: x\n---\n", "Table:", "[ ] ",
          "[x] ", "\u00a0", "\x00", "\u2028", "\ufeff", "日本", "नमस्ते", "\U0001F600", "text", "1952"]

markdown_ish = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=3)), max_size=50).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(max_size=200), markdown_ish, markdown_ish.map(lambda s: HEAD + s)))
def test_fuzz_the_reader_with_text(text):
    assert_loaded_or_located(text)


@settings(max_examples=60, deadline=None)
@given(data=st.one_of(st.binary(max_size=200), st.binary(max_size=100).map(lambda b: HEAD.encode() + b)))
def test_fuzz_the_reader_with_bytes(data):
    assert_loaded_or_located(data)


@pytest.mark.slow
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(markdown_ish, markdown_ish.map(lambda s: HEAD + s),
                      st.lists(markdown_ish, max_size=8).map("\n".join)))
def test_fuzz_the_reader_at_length(text):
    assert_loaded_or_located(text)
