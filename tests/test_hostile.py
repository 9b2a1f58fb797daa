"""Hostile input: broken, huge, tricky and random notes must never crash, hang or write anything.

Every file in tests/data/bad/ breaks exactly one rule; its first line is a YAML
comment that says what it breaks and where the error must point::

    # two 'title' keys in one section — expect 5:5 "duplicate key 'title'"

`check` and `build` must both exit 1 with ``FILE:LINE:COL:`` for that position
and the quoted keyword, no traceback, never hanging, and `build` must
leave the output folder empty. Larger hostile files are generated at test
time; hypothesis fuzzes the loader, the loader through YAML structures, and
the renderers.

Tests marked ``xfail(strict=True, reason="bug: …")`` pin bugs that are still
open: when one is fixed the test turns XPASS → red, and the marker goes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import string
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from limits import Hung, time_limit
from pdfcheck import glyphs, page_size, page_texts, squash

from studynotes import markup
from studynotes.cli import main
from studynotes.errors import NotesError
from studynotes.load import notes as loader
from studynotes.load import presets
from studynotes.model import Topic
from studynotes.render import Rendered, engine

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "data" / "bad"
OK = ROOT / "tests" / "data" / "ok"
BAD_FILES = sorted(p for p in BAD.iterdir() if p.suffix in (".yaml", ".yml"))

EXPECT = re.compile(r'expect (\d+):(\d+) "([^"]+)"((?: or \d+:\d+ "[^"]+")*)')
ALTERNATIVE = re.compile(r' or (\d+):(\d+) "([^"]+)"')
# A file that must stay empty cannot carry its comment line.
NO_COMMENT = {"empty-file.yaml": [(1, 1, "the file is empty")]}
LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): ")


# ------------------------------------------------------------------ helpers




def invoke(*args: str, limit: float = 30):
    """The CLI through CliRunner, as a user would run it; a run past ``limit`` seconds is a hang
    (how fast it should be is measured in bench/, not here)."""
    with time_limit(limit):
        return CliRunner().invoke(main, [str(a) for a in args])


def assert_user_error(result) -> None:
    """Exit 1, no exception, no traceback, no unlocated 'error:' line, and at least one FILE:LINE:COL: problem."""
    out = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"crashed with {result.exception!r}\n{out}"
    assert "Traceback" not in out, out
    assert result.exit_code == 1, f"exit {result.exit_code}\n{out}"
    assert not [ln for ln in out.splitlines() if ln.startswith("error:")], out
    problems = [ln for ln in out.splitlines() if LOCATED.match(ln)]
    assert problems, f"no FILE:LINE:COL: in\n{out}"
    for m in map(LOCATED.match, problems):
        assert int(m["line"]) >= 1 and int(m["col"]) >= 1, out


def expectations(path: Path) -> list[tuple[int, int, str]]:
    """(line, col, keyword) from the file's first line; ``… or LINE:COL "keyword"`` adds accepted alternatives
    (the parser with and without libyaml may word or place a YAML-level error differently)."""
    if path.name in NO_COMMENT:
        return NO_COMMENT[path.name]
    first = path.read_bytes().removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    first = first.decode("utf-8").rstrip("\r")
    assert first.startswith("#"), f"{path.name}: the first line must be a comment saying what breaks"
    m = EXPECT.search(first)
    assert m, f'{path.name}: the first line needs `expect LINE:COL "keyword"`'
    return [(int(m[1]), int(m[2]), m[3])] + [(int(a), int(b), k) for a, b, k in ALTERNATIVE.findall(m[4])]


def assert_reported(path: Path, output: str) -> None:
    """The output holds PATH:LINE:COL: and the keyword of one of the file's expectations."""
    wanted = expectations(path)
    assert any(f"{path}:{line}:{col}:" in output and keyword.lower() in output.lower()
               for line, col, keyword in wanted), f"expected one of {wanted} in\n{output}"


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if not p.is_dir()) if folder.exists() else []


NOTES_HEAD = "topic: Generated\nsections:\n  - title: A\n    points:\n"


@pytest.fixture()
def cwd(tmp_path, monkeypatch):
    """A fresh working folder, so nothing can land in the checkout."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ------------------------------------------------------------------ the bad files, one rule each

def test_there_are_enough_bad_files_and_each_says_what_it_breaks():
    assert len(BAD_FILES) >= 32
    for p in BAD_FILES:
        for line, col, keyword in expectations(p):
            assert line >= 1 and col >= 1 and keyword


@pytest.mark.parametrize("path", BAD_FILES, ids=[p.name for p in BAD_FILES])
def test_check_reports_the_bad_file_at_its_line_and_column(path, cwd):
    result = invoke("check", path, limit=10)
    assert_user_error(result)
    assert_reported(path, result.output)


@pytest.mark.parametrize("path", BAD_FILES, ids=[p.name for p in BAD_FILES])
def test_build_of_the_bad_file_fails_and_writes_nothing(path, cwd):
    out = cwd / "out"
    result = invoke("build", path, "-o", out, limit=10)
    assert_user_error(result)
    assert_reported(path, result.output)
    assert files_under(out) == [], files_under(out)  # no PDF, no temporary file, no build record
    assert not (cwd / "output").exists()


def test_a_failed_build_leaves_the_output_folder_empty(cwd):
    out = cwd / "out"
    result = invoke("build", BAD / "unknown-key.yaml", "-o", out)
    assert_user_error(result)
    assert files_under(out) == []


def test_the_python_tag_runs_nothing(cwd):
    marker = Path("/tmp/studynotes-pwned")
    assert not marker.exists()
    invoke("check", BAD / "python-tag.yaml")
    invoke("build", BAD / "python-tag.yaml", "-o", cwd / "out")
    assert not marker.exists()


# ------------------------------------------------------------------ generated hostile files

def test_a_20_mb_file_is_refused_fast_without_reading_it_as_yaml(cwd):
    big = cwd / "big.yaml"
    with open(big, "w") as f:
        f.write(NOTES_HEAD)
        line = "      - " + "x" * 90 + "\n"
        f.write(line * (20 * 1024 * 1024 // len(line)))
    assert big.stat().st_size >= 20 * 1000 * 1000
    for args in (("check", big), ("build", big, "-o", cwd / "out")):
        result = invoke(*args)
        assert_user_error(result)
        assert f"{big}:1:1:" in result.output and "MiB" in result.output, result.output
    assert files_under(cwd / "out") == []


@pytest.mark.parametrize("shape", ["flow lists", "flow mappings", "block mappings"])
def test_absurd_nesting_is_a_located_error_not_a_crash(shape, cwd):
    deep = cwd / "deep.yaml"
    if shape == "flow lists":
        deep.write_text("tags: " + "[" * 100_000 + "]" * 100_000 + "\n")
    elif shape == "flow mappings":
        deep.write_text("tags: " + "{a: " * 100_000 + "}" * 100_000 + "\n")
    else:
        deep.write_text("".join(" " * i + "k:\n" for i in range(1400)))
    result = invoke("check", deep)
    assert_user_error(result)
    assert re.search(r"nest", result.output), result.output


@pytest.mark.slow
def test_100_000_points_are_refused_with_a_located_error(cwd):
    many = cwd / "many.yaml"
    many.write_text(NOTES_HEAD + "".join(f"      - point {i}\n" for i in range(100_000)))
    result = invoke("check", many)
    assert_user_error(result)
    # the 5,001st point is on line 5 + 5000
    assert f"{many}:5005:9: sections[0].points[5000]: the topic has more than 5,000 points" in result.output


def test_10_000_character_words_are_over_the_limit(cwd):
    f = cwd / "words.yaml"
    f.write_text(NOTES_HEAD + "      - fine\n      - " + "w" * 10_000 + " " + "v" * 10_000 + "\n")
    result = invoke("check", f)
    assert_user_error(result)
    assert f"{f}:6:9: sections[0].points[1]: is 20,001 characters long; the limit is 4,000" in result.output


def test_a_3900_character_word_builds_and_stays_inside_the_page(cwd):
    word = "abcdefghij" * 390
    f = cwd / "word.yaml"
    f.write_text(NOTES_HEAD + f"      - {word}\n      - a short point after it\n")
    result = invoke("build", f, "-l", "revision", "-o", cwd / "word.pdf")
    assert result.exit_code == 0, result.output
    pdf = (cwd / "word.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert word in squash("".join(page_texts(pdf)))
    sizes: dict[int, tuple[float, float]] = {}
    count = 0
    for page, ch, left, bottom, right, top, _ in glyphs(pdf):
        if page not in sizes:
            sizes[page] = page_size(pdf, page)
        w, h = sizes[page]
        assert 0 <= left and right <= w and 0 <= bottom and top <= h, (page, ch, left, bottom, right, top)
        count += 1
    assert count >= len(word)


@pytest.mark.parametrize("kind", ["mindmap", "summary"])
def test_a_3900_character_word_in_a_mind_map_or_summary_is_not_slow(kind):
    # The mind map once cut long words one character at a time: 3,900 characters took ~45 s.
    topic = loader.load_text(NOTES_HEAD + "      - " + "abcdefghij" * 390 + "\n", "w.yaml")
    with time_limit(20):  # a hang guard: it once took ~45 s
        result = engine(kind)(topic, presets.load(kind))
    assert result.pdf.startswith(b"%PDF")


def test_a_sources_line_wider_than_the_mind_map_does_not_hang():
    # The mind map's footer once shortened "Sources: …" in an endless loop once it ended in " …".
    text = "topic: T\nsources:\n" + "".join(f"  - {'word ' * 100}\n" for _ in range(3)) \
        + "sections:\n  - title: A\n    points: [one]\n"
    topic = loader.load_text(text, "s.yaml")
    with time_limit(20):
        result = engine("mindmap")(topic, presets.load("mindmap"))
    assert result.pdf.startswith(b"%PDF")


def test_markup_runs_are_parsed_in_linear_time():
    def seconds(point: str) -> float:
        start = time.perf_counter()
        loader.load_text(NOTES_HEAD + f"      - {point}\n" * 10, "runs.yaml")
        return time.perf_counter() - start

    plain = seconds("a" + "b" * 3996 + "a")
    runs = seconds("a" + "=" * 3996 + "a")  # valid: 1,998 empty ==…== pairs
    # Compared with plain text of the same length, so the machine's speed does not matter.
    assert runs < 20 * plain + 0.1, f"10 points of 4,000 characters: {runs:.2f} s with '=' runs, {plain:.3f} s plain"


# ------------------------------------------------------------------ notes folders

def _topic(title: str) -> str:
    return f"topic: {title}\nsections:\n  - title: A\n    points: [one]\n"


def test_a_link_out_of_the_notes_folder_is_refused(cwd):
    (cwd / "outside").mkdir()
    (cwd / "outside" / "secret.yaml").write_text(_topic("Secret"))
    (cwd / "notes").mkdir()
    (cwd / "notes" / "link.yaml").symlink_to(cwd / "outside" / "secret.yaml")
    result = invoke("build", "--notes", "notes", "-o", "out")
    assert_user_error(result)
    assert "notes/link.yaml:1:1:" in result.output and "leads out of the notes folder" in result.output
    assert not (cwd / "out" / "secret").exists()
    result = invoke("check", "--notes", "notes")
    assert_user_error(result)
    assert "leads out of the notes folder" in result.output


def test_a_symlink_loop_in_the_notes_folder_is_a_located_error(cwd):
    (cwd / "notes").mkdir()
    (cwd / "notes" / "good.yaml").write_text(_topic("Good"))
    (cwd / "notes" / "loop.yaml").symlink_to("loop.yaml")
    result = invoke("build", "--notes", "notes", "-l", "revision", "-o", "out")
    assert_user_error(result)
    assert "notes/loop.yaml:1:1:" in result.output


def test_a_fifo_named_like_notes_does_not_hang(cwd):
    os.mkfifo(cwd / "pipe.yaml")
    try:
        result = invoke("check", "pipe.yaml", limit=1.5)
    except Hung:
        pytest.fail("check pipe.yaml hung")
    assert_user_error(result)
    assert "pipe.yaml:1:1:" in result.output


def test_one_bad_topic_does_not_stop_the_good_one(cwd):
    (cwd / "notes").mkdir()
    (cwd / "notes" / "good.yaml").write_text(_topic("Good"))
    (cwd / "notes" / "bad.yaml").write_text("topic: Bad\nsections:\n  - title: A\n    pionts: [x]\n")
    result = invoke("build", "--notes", "notes", "-l", "revision", "-o", "out", "-j", "1")
    assert_user_error(result)
    assert "notes/bad.yaml:4:5: sections[0]: unknown key 'pionts'" in result.output
    good = cwd / "out" / "good" / "revision.pdf"
    assert good.exists() and good.read_bytes().startswith(b"%PDF"), result.output
    assert not (cwd / "out" / "bad").exists()
    assert not [p for p in files_under(cwd / "out") if p.name.endswith(".tmp")]


def test_two_topics_with_one_id_is_a_located_error(cwd):
    (cwd / "notes").mkdir()
    (cwd / "notes" / "a.yaml").write_text("topic: A\nid: same\nsections:\n  - title: A\n    points: [one]\n")
    (cwd / "notes" / "b.yaml").write_text("topic: B\nid: same\nsections:\n  - title: A\n    points: [one]\n")
    result = invoke("build", "--notes", "notes", "-l", "revision", "-o", "out")
    assert_user_error(result)
    assert "notes/b.yaml:2:5:" in result.output, result.output


def test_check_and_build_agree_on_a_folder_named_like_notes(cwd):
    (cwd / "notes" / "dir.yaml").mkdir(parents=True)
    (cwd / "notes" / "good.yaml").write_text(_topic("Good"))
    built = invoke("build", "--notes", "notes", "-l", "revision", "-o", "out")
    checked = invoke("check", "--notes", "notes")
    assert checked.exit_code == built.exit_code, checked.output


def test_out_naming_an_existing_file_is_an_error_not_a_crash(cwd):
    (cwd / "notes.txt").write_text("not a folder")
    f = cwd / "t.yaml"
    f.write_text(_topic("T"))
    result = invoke("build", f, "-l", "revision", "-o", cwd / "notes.txt")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (1, 2) and "notes.txt" in result.output, result.output
    assert (cwd / "notes.txt").read_text() == "not a folder"


# ------------------------------------------------------------------ text that is valid but nasty

def test_html_and_reportlab_markup_in_the_notes_prints_literally(cwd):
    src = OK / "markup-html.yaml"
    result = invoke("check", src)
    assert result.exit_code == 0, result.output
    for kind in ("revision", "summary", "mindmap"):
        result = invoke("build", src, "-l", kind, "-o", cwd / f"{kind}.pdf")
        assert result.exit_code == 0, result.output
        text = squash("".join(page_texts((cwd / f"{kind}.pdf").read_bytes())))
        for literal in ("<b>bold tag</b>", "</para>", "<font name=x>", "&amp;", "<i>and</i>",
                        "Literal <b>tags</b> & entities"):
            assert squash(literal) in text, (kind, literal)
        if kind != "mindmap":  # the mind map shows short labels only
            for literal in ("&lt;", "&#65;", "<br/>", "&nbsp;", "<u>underline tag</u>"):
                assert squash(literal) in text, (kind, literal)


@pytest.mark.parametrize("url", ["https://example.jp/パス", "https://例え.jp/", "https://example.org/a\"b"])
def test_a_url_with_non_latin_characters_or_quotes_builds(url, cwd):
    f = cwd / "url.yaml"
    f.write_text(f"topic: T\nsources:\n  - title: Source\n    url: '{url}'\nsections:\n  - title: A\n"
                 "    points: [one]\n", encoding="utf-8")
    result = invoke("build", f, "-l", "revision", "-o", cwd / "url.pdf")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("kind", ["revision", "summary"])
@pytest.mark.parametrize("title", ["भारत का संविधान", "l“र"])
def test_a_hindi_section_title_builds(kind, title, cwd):
    f = cwd / "hindi.yaml"
    f.write_text(f"topic: Constitution\nsections:\n  - title: '{title}'\n    points: [one]\n", encoding="utf-8")
    result = invoke("build", f, "-l", kind, "-o", cwd / "hindi.pdf")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 0, result.output
    assert (cwd / "hindi.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("kind", ["revision", "summary"])
@pytest.mark.parametrize("where", ["topic", "point"])
def test_hindi_next_to_japanese_in_one_word_builds(kind, where, cwd):
    f = cwd / "mixed.yaml"
    mixed = "भारत–जापान संबंध (日印関係)"
    topic, point = (mixed, "one") if where == "topic" else ("India and Japan", mixed)
    f.write_text(f"topic: {topic}\nsections:\n  - title: A\n    points: ['{point}']\n", encoding="utf-8")
    result = invoke("build", f, "-l", kind, "-o", cwd / "mixed.pdf")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 0, result.output


def test_a_hindi_section_title_in_a_mind_map_builds(cwd):
    f = cwd / "hindi.yaml"
    f.write_text("topic: Constitution\nsections:\n  - title: भारत का संविधान\n    points: [one]\n", encoding="utf-8")
    result = invoke("build", f, "-l", "mindmap", "-o", cwd / "hindi.pdf")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("value", ["'US$ 13.7 bn '", "'C:\\'", "'a *'"])
def test_a_fact_value_ending_in_a_space_or_backslash_builds(value, cwd):
    f = cwd / "fact.yaml"
    f.write_text(f"topic: T\nsections:\n  - title: A\n    facts:\n      - {{label: Trade, value: {value}}}\n")
    assert invoke("check", f).exit_code == 0
    result = invoke("build", f, "-l", "revision", "-o", cwd / "fact.pdf")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("meaning", ["'*'", "'=='"])
def test_a_lone_marker_as_a_term_meaning_builds_a_summary(meaning, cwd):
    f = cwd / "terms.yaml"
    f.write_text("topic: T\nsections:\n  - title: A\n    points: [x]\n    terms:\n"
                 f"      - {{term: Asterisk, meaning: {meaning}}}\n      - {{term: B, meaning: b}}\n")
    assert invoke("check", f).exit_code == 0
    result = invoke("build", f, "-l", "summary", "-o", cwd / "terms.pdf")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 0, result.output


def test_a_unicode_line_separator_does_not_shift_line_numbers(cwd):
    f = cwd / "sep.yaml"
    f.write_text("topic: Pasted\u2028text\nsections:\n  - title: A\n    points: [one]\n    colour: red\n",
                 encoding="utf-8")
    result = invoke("check", f)
    assert_user_error(result)
    # refused where it stands, so that no line number after it can be off
    assert f"{f}:1:14: line separator U+2028 is not allowed" in result.output, result.output


def test_a_summary_at_the_text_limit_builds_or_points_at_the_summary(cwd):
    f = cwd / "gist.yaml"
    f.write_text("topic: T\nsummary: " + ("word " * 800).strip() + "\nsections:\n  - title: A\n    points: [one]\n")
    result = invoke("check", f)
    assert result.exit_code == 0, result.output
    result = invoke("build", f, "-l", "revision", "-o", cwd / "gist.pdf")
    if result.exit_code != 0:
        assert_user_error(result)
        assert f"{f}:2:10:" in result.output and "0x" not in result.output, result.output


@pytest.mark.parametrize("date", ["20220910", "2022-W36-6"])
def test_updated_must_be_written_yyyy_mm_dd(date, cwd):
    f = cwd / "date.yaml"
    f.write_text(f"topic: T\nupdated: {date}\nsections:\n  - title: A\n    points: [one]\n")
    result = invoke("check", f)
    assert_user_error(result)
    assert f"{f}:2:10: updated: expected a date as YYYY-MM-DD" in result.output, result.output


# ------------------------------------------------------------------ fuzzing

def assert_loaded_or_located(path: Path) -> None:
    try:
        result = loader.load(path)
    except NotesError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.line >= 1 and p.col >= 1, p
            assert p.message.strip(), p
            assert p.path == str(path), p
    else:
        assert isinstance(result, Topic)


TOKENS = [":", ": ", "-", "- ", " ", "  ", "\n", "\n  ", "\n    - ", "\t", "\r\n", "\r", '"', "'", "[", "]", "{", "}",
          ",", "*", "**", "=", "==", "&", "!!", "!", "&a ", "*a", "#", "|", ">", "%", "@", "`", "?", "---", "...",
          "\\", "\x00", "\x07", "\x1b", "\x7f", "\x85", "\ufeff", "\u2028", "\ufffe", "\U0001F600", "नमस्ते", "日本",
          "topic", "topic: ", "sections", "sections:\n  - title: ", "points: ", "id: ", "key: ", "<<: ", "!!str ",
          "!!python/object/apply:os.system ", "~", "null", "yes", "1952", "2022-02-30", "0x1F", ".nan"]

yaml_ish = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=4)), max_size=40).map("".join)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(max_size=200), yaml_ish, yaml_ish.map(lambda s: NOTES_HEAD + "      - " + s)))
def test_fuzz_loader_with_text(text):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "fuzz.yaml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        assert_loaded_or_located(path)


@settings(max_examples=200, deadline=None)
@given(data=st.one_of(st.binary(max_size=300),
                      st.binary(max_size=100).map(lambda b: b"\xef\xbb\xbf" + b),
                      st.binary(max_size=100).map(lambda b: NOTES_HEAD.encode() + b"      - " + b)))
def test_fuzz_loader_with_bytes(data):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "fuzz.yaml"
        path.write_bytes(data)
        assert_loaded_or_located(path)


CONTRACT_KEYS = ["topic", "id", "subject", "syllabus", "tags", "updated", "summary", "sources", "sections", "title",
                 "short", "points", "facts", "timeline", "terms", "table", "cards", "text", "key", "label", "value",
                 "note", "when", "what", "term", "meaning", "columns", "rows", "q", "a", "url"]
JUNK_KEYS = ["pionts", "Title", "", " ", "<<", "colour", "topic ", "1952"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1, 1, 1)), st.datetimes(),
    st.text(max_size=30), st.sampled_from(["", " ", "**", "==x", "a *b", "../etc", "javascript:x", "https://e.org",
                                           "true", "yes", "2022-09-10", "section-1", "\\", "<b>", "&amp;"]),
)
keys = st.one_of(st.sampled_from(CONTRACT_KEYS), st.sampled_from(JUNK_KEYS), st.text(max_size=8), st.integers())
notes_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=5)),
    max_leaves=25,
)


def _point_like():
    return st.one_of(st.text(min_size=1, max_size=20), st.fixed_dictionaries(
        {"text": scalars}, optional={"key": scalars, "short": scalars, "points": st.lists(notes_values, max_size=3)}))


section_like = st.fixed_dictionaries(
    {"title": scalars},
    optional={"id": scalars, "points": st.lists(_point_like(), max_size=4), "facts": notes_values,
              "table": notes_values, "sections": notes_values, "junk": notes_values, "tags": notes_values},
)
topic_like = st.fixed_dictionaries(
    {"topic": scalars, "sections": st.one_of(st.lists(section_like, max_size=3), notes_values)},
    optional={"id": scalars, "tags": notes_values, "updated": scalars, "sources": notes_values,
              "syllabus": notes_values, "summary": scalars},
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=st.one_of(topic_like, notes_values))
def test_fuzz_loader_with_yaml_structures(doc):
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "fuzz.yaml"
        path.write_text(text, encoding="utf-8")
        assert_loaded_or_located(path)


LATIN = string.ascii_letters + string.digits + string.punctuation + "    " + "<&*=\\<&*=\\" + "éüß—–“”…€₹"
DEVANAGARI = "नमस्तेभारतकाविधान्"
JAPANESE = "日本語のテストひらがなカタカナ東京"


def _text(alphabet: str):
    return st.text(alphabet=alphabet, min_size=1, max_size=60).map(lambda s: s if s.strip() else s + "x")


def _safe_markup(s: str) -> str:
    """The text itself when its markup is balanced, else with every marker escaped (a valid text either way)."""
    try:
        markup.parse(s)
        return s
    except markup.MarkupError:
        return s.replace("\\", "\\\\").replace("*", "\\*").replace("=", "\\=")


# Texts mixing every script and every markup character.
any_text = _text(LATIN + DEVANAGARI + JAPANESE).map(_safe_markup)


def valid_topics(text, title):
    """Small valid notes: 1–3 sections (one maybe with sub-sections) of 1–6 points (some with sub-points),
    facts, timelines, terms, cards and small tables."""
    points = st.lists(st.one_of(text, st.fixed_dictionaries(
        {"text": text}, optional={"key": st.booleans(), "short": text,
                                  "points": st.lists(text, min_size=1, max_size=3)})), min_size=1, max_size=6)
    table = st.integers(1, 4).flatmap(lambda n: st.fixed_dictionaries(
        {"columns": st.lists(text, min_size=n, max_size=n),
         "rows": st.lists(st.lists(text, min_size=n, max_size=n), min_size=1, max_size=3)}, optional={"title": text}))
    leaf = st.fixed_dictionaries(
        {"title": title, "points": points},
        optional={"short": title,
                  "facts": st.lists(st.fixed_dictionaries({"label": text, "value": text}),
                                    min_size=1, max_size=2),
                  "timeline": st.lists(st.fixed_dictionaries({"when": text, "what": text}), min_size=1,
                                       max_size=2),
                  "terms": st.lists(st.fixed_dictionaries({"term": text, "meaning": text}), max_size=2),
                  "cards": st.lists(st.fixed_dictionaries({"q": text, "a": text}), max_size=2),
                  "table": table})
    parent = st.fixed_dictionaries({"title": title, "sections": st.lists(leaf, min_size=1, max_size=2)})
    sections = st.lists(st.one_of(leaf, leaf, parent), min_size=1, max_size=3)
    sources = st.lists(st.one_of(text, st.fixed_dictionaries({"title": text}, optional={
        "url": st.text(alphabet=string.ascii_letters + string.digits + "/-._~?&=%#()", max_size=20).map(
            lambda s: "https://example.org/" + s)})), max_size=2)
    return st.fixed_dictionaries({"topic": title, "sections": sections},
                                 optional={"summary": text, "subject": text, "tags": st.lists(text, max_size=2),
                                           "syllabus": st.one_of(text, st.lists(text, max_size=2)),
                                           "updated": st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)).map(str),
                                           "sources": sources}).map(_numbered_ids)


def _numbered_ids(doc: dict) -> dict:
    n = 0
    for sec in doc["sections"]:  # generated titles may slug alike; duplicate ids are tested elsewhere
        sec["id"] = f"s{n}"
        n += 1
        for sub in sec.get("sections", ()):
            sub["id"] = f"s{n}"
            n += 1
    return doc


def _render_fuzz(kind: str, doc: dict) -> None:
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    try:
        topic = loader.load_text(text, "fuzz.yaml", "fuzz")
    except NotesError:
        return
    layout = presets.load(kind)
    try:
        with time_limit(30):
            result = engine(kind)(topic, layout)
    except NotesError as exc:
        assert all(p.line >= 1 and p.col >= 1 and p.message for p in exc.problems)
        return
    assert isinstance(result, Rendered)
    assert result.pdf.startswith(b"%PDF") and result.pages >= 1


FUZZ_RENDER = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PAGE_TOPICS = valid_topics(any_text, any_text)


@pytest.mark.slow
@FUZZ_RENDER
@given(doc=PAGE_TOPICS)
def test_fuzz_render_revision(doc):
    _render_fuzz("revision", doc)


@pytest.mark.slow
@FUZZ_RENDER
@given(doc=PAGE_TOPICS)
def test_fuzz_render_summary(doc):
    _render_fuzz("summary", doc)


@pytest.mark.slow
@FUZZ_RENDER
@given(doc=valid_topics(any_text, any_text))
def test_fuzz_render_mindmap(doc):
    _render_fuzz("mindmap", doc)
