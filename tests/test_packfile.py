"""Pack files: paths relative to the file, repeated topics, one message per mistake, and one rule for the
cover values whether they come from a pack file or from the command line; hypothesis mutates a valid
pack file and the result must always be a pack or located problems, never a traceback.

Nothing here renders: where a test goes through ``build.pack_parts`` or the command line, the renderer
is replaced by one that answers with a located "rendered" marker, so the checks before rendering are
what is tested.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studynotes import build
from studynotes.cli import main
from studynotes.errors import NotesError, Problem, UsageError
from studynotes.load import packfile

ROOT = Path(__file__).resolve().parent.parent
NOTES = ROOT / "notes"
LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): ")
RENDERED = Problem("rendered", 1, 1, "", "the checks passed and rendering began")


def fake_render(pairs, *args, **kwargs):
    """Stands in for the worker pool: every part 'fails' with the marker, so nothing is drawn."""
    return [NotesError(RENDERED) for _ in pairs]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(NotesError) as err:
        packfile.load(path)
    return [str(p).removeprefix(f"{path}:") for p in err.value.problems]


def pack(*args: str):
    return CliRunner().invoke(main, ["pack", *args])


@pytest.fixture()
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture()
def no_render(monkeypatch):
    monkeypatch.setattr(build, "render_many", fake_render)


@pytest.fixture()
def captured(monkeypatch):
    """The spec the command line hands to make_pack (which then stops, before rendering)."""
    specs: list[packfile.PackSpec] = []

    def make_pack(spec, *rest, **kw):
        specs.append(spec)
        raise UsageError("stopped before rendering")

    monkeypatch.setattr(build, "make_pack", make_pack)
    return specs


# -- D11: paths are relative to the pack file -----------------------------------------------------------------

def test_topic_paths_are_relative_to_the_pack_file_wherever_it_is_run_from(cwd, no_render):
    write(cwd / "packs/sub/ij.yaml", (NOTES / "india-japan.yaml").read_text(encoding="utf-8"))
    write(cwd / "packs/rel.yaml", "title: Rel\ntopics:\n  - topic: sub/ij.yaml\n    kinds: summary\n"
          "  - topic: india-japan\n    kinds: summary\n")
    (cwd / "elsewhere").mkdir()
    for here, pack_file in ((cwd, "packs/rel.yaml"), (cwd / "elsewhere", "../packs/rel.yaml"),
                            (cwd / "packs/sub", str(cwd / "packs/rel.yaml"))):
        spec = packfile.load(here / pack_file)
        with pytest.raises(NotesError) as err:
            build.pack_parts(spec, NOTES, ("summary",), {})
        assert err.value.problems == [RENDERED, RENDERED]  # both topics were found: rendering began


def test_topic_paths_resolve_beside_the_pack_file_and_ids_stay_ids(cwd):
    write(cwd / "packs/p.yaml", "title: P\ntopics:\n  - topic: sub/ij.yaml\n  - topic: india-japan\n"
          "  - topic: /abs/x.yaml\n  - topic: ij.yml\n")
    spec = packfile.load(Path("packs/p.yaml"))
    assert [e.topic for e in spec.entries] == ["packs/sub/ij.yaml", "india-japan", "/abs/x.yaml", "packs/ij.yml"]


def test_a_missing_topic_path_names_where_it_was_looked_for(cwd, no_render):
    write(cwd / "packs/p.yaml", "title: P\ntopics:\n  - topic: nosuch/x.yaml\n")
    spec = packfile.load(Path("packs/p.yaml"))
    with pytest.raises(NotesError) as err:
        build.pack_parts(spec, NOTES, ("summary",), {})
    assert [str(p) for p in err.value.problems] == ["packs/p.yaml:3:12: topics: no notes file 'packs/nosuch/x.yaml'"]


def test_layout_paths_in_kinds_are_relative_to_the_pack_file_too(cwd, no_render):
    write(cwd / "packs/lay/mine.yaml", "extends: summary\ndescription: mine\n")
    write(cwd / "packs/p.yaml", "title: P\ntopics:\n  - topic: india-japan\n    kinds: [lay/mine.yaml, summary]\n")
    spec = packfile.load(Path("packs/p.yaml"))
    assert spec.entries[0].kinds == ("packs/lay/mine.yaml", "summary")
    with pytest.raises(NotesError) as err:
        build.pack_parts(spec, NOTES, (), {})
    assert err.value.problems == [RENDERED, RENDERED]


# -- the same topic twice ----------------------------------------------------------------------------------------

REPEATS = """\
title: R
topics:
  - topic: india-japan
    kinds: [summary]
    sections: [conclusion]
  - topic: indian-monsoon
  - topic: india-japan
    kinds: summary
    sections: conclusion
  - topic: india-japan
    kinds: [revision]
"""


def test_a_topic_listed_twice_is_a_warning_at_the_second_entry(tmp_path):
    path = write(tmp_path / "r.yaml", REPEATS)
    spec = packfile.load(path)
    assert [str(w) for w in spec.warnings] == [
        f"{path}:7:12: warning: topics[2]: 'india-japan' is already in the pack (line 3) with the same kinds and "
        "picks; this entry is left out",
        f"{path}:10:12: warning: topics[3]: 'india-japan' is already in the pack (line 3); it is printed again, "
        "here with other kinds or picks"]
    assert all(w.severity == "warning" for w in spec.warnings)
    # the exact repeat would only print the same pages again; the other kinds are what the teacher asked for
    assert [(e.topic, e.kinds, e.line) for e in spec.entries] == [
        ("india-japan", ("summary",), 3), ("indian-monsoon", (), 6), ("india-japan", ("revision",), 10)]


def test_two_spellings_of_one_path_are_one_topic(tmp_path):
    spec = packfile.load(write(tmp_path / "r.yaml", "title: R\ntopics:\n  - topic: sub/a.yaml\n"
                                                    "  - topic: ./sub/../sub/a.yaml\n"))
    assert len(spec.entries) == 1 and len(spec.warnings) == 1
    assert "'./sub/../sub/a.yaml' is already in the pack (line 3)" in spec.warnings[0].message


def test_three_hundred_repeats_make_one_part_and_the_warnings_are_printed(cwd, captured):
    text = "title: R\ntopics:\n" + "  - topic: india-japan\n    kinds: [summary]\n" * 300
    write(cwd / "rep.yaml", text)
    r = pack("-f", "rep.yaml", "--notes", str(NOTES))
    assert r.exit_code == 2, r.output
    assert len(captured[0].entries) == 1
    assert r.stderr.count("warning: topics[") == 299
    assert r.stderr.index("rep.yaml:5:12: warning: topics[1]:") < r.stderr.index("stopped before rendering")


# -- D13: one message per mistake in topics --------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("", "2:8: topics: a pack needs at least one topic: a list of entries such as '- topic: india-japan'"),
    (" ~", "2:9: topics: a pack needs at least one topic: a list of entries such as '- topic: india-japan'"),
    (" ''", "2:9: topics: a pack needs at least one topic: a list of entries such as '- topic: india-japan'"),
    (" []", "2:9: topics: a pack needs at least one topic"),
    (" india-japan", "2:9: topics: expected a list of entries, found 'india-japan'; write each entry on its own "
                     "line as '- topic: india-japan'"),
    ("\n  topic: india-japan", "3:3: topics: expected a list of entries, found a mapping; start each entry with "
                               "'- ', as in '- topic: india-japan'"),
])
def test_each_wrong_topics_value_gets_one_right_message(tmp_path, value, expected):
    path = write(tmp_path / "p.yaml", f"title: X\ntopics:{value}\n")
    assert problems(path) == [expected]


# -- D13: one rule for the cover values, in a pack file and on the command line ------------------------------

WRONG_COVER = [
    ("title", "   ", "must not be blank"),
    ("title", "", "must not be blank"),
    ("class", " ", "must not be blank"),
    ("watermark", "  ", "must not be blank"),
    ("teacher", "\t", "must not be blank"),
    ("title", "T" * 201, "is 201 characters long; the limit is 200"),
    ("watermark", "W" * 500, "is 500 characters long; the limit is 200"),
    ("date", "D" * 101, "is 101 characters long; the limit is 100"),
    ("class", "B\x07", "control character U+0007 is not allowed"),
    ("teacher", "Ms\tRao", "must be on one line (it holds a tab or a line break)"),
    ("title", "Week\n3", "must be on one line (it holds a tab or a line break)"),
    ("date", "2026-11-31", "'2026-11-31' is not a day of the calendar (YYYY-MM-DD)"),
    ("date", "2026-13-01", "'2026-13-01' is not a day of the calendar (YYYY-MM-DD)"),
]
RIGHT_COVER = [("date", "25 Nov 2026"), ("date", "2026-11-25"), ("date", "2026-2-5"), ("date", "Monday, Week 3"),
               ("title", "T" * 200), ("watermark", "W" * 200), ("class", "बैच बी"), ("teacher", "Ms Rao")]


@pytest.mark.parametrize("key, value, message", WRONG_COVER)
def test_a_wrong_cover_value_in_a_pack_file_is_located(tmp_path, key, value, message):
    title = "" if key == "title" else "title: X\n"
    path = write(tmp_path / "p.yaml", f"{key}: {json.dumps(value)}\n{title}topics:\n  - topic: india-japan\n")
    assert problems(path) == [f"1:{len(key) + 3}: {key}: {message}"]


@pytest.mark.parametrize("key, value, message", WRONG_COVER)
def test_the_same_value_on_the_command_line_gets_the_same_message(cwd, captured, key, value, message):
    r = pack("india-japan", f"--{key}", value, "--notes", str(NOTES))
    assert r.exit_code == 2, r.output
    assert r.stderr == f"error: --{key}: {message}\n"
    assert captured == []


@pytest.mark.parametrize("key, value", RIGHT_COVER)
def test_a_right_cover_value_is_taken_from_both(cwd, captured, key, value):
    title = "" if key == "title" else "title: X\n"
    write(cwd / "p.yaml", f"{title}{key}: {json.dumps(value, ensure_ascii=False)}\ntopics:\n  - topic: t\n")
    assert getattr(packfile.load(cwd / "p.yaml"), key.replace("class", "class_")) == value
    r = pack("india-japan", f"--{key}", value, "--notes", str(NOTES))
    assert "stopped before rendering" in r.output
    assert getattr(captured[0], key.replace("class", "class_")) == value


def test_a_date_written_bare_is_kept_as_written(tmp_path):
    spec = packfile.load(write(tmp_path / "p.yaml", "title: X\ndate: 2026-11-25\ntopics: [{topic: t}]\n"))
    assert spec.date == "2026-11-25"


def test_an_empty_cover_key_is_blank_not_the_word_null(tmp_path):
    path = write(tmp_path / "p.yaml", "title: X\nclass:\nteacher: null\ntopics: [{topic: t}]\n")
    assert problems(path) == ["2:7: class: must not be blank", "3:10: teacher: must not be blank"]


# -- what behaved well keeps behaving well -----------------------------------------------------------------------

STILL_LOCATED = {
    "unknown key": ("title: X\nteachr: Y\ntopics: [{topic: t}]\n", "2:1: unknown key 'teachr' (did you mean "
                                                                    "'teacher'?)"),
    "too long": ("title: X\nwatermark: " + "W" * 201 + "\ntopics: [{topic: t}]\n", "2:12: watermark: is 201"),
    "wrong type": ("title: X\nduplex: maybe\ntopics: [{topic: t}]\n", "2:9: duplex: expected true or false"),
    "list class": ("title: X\nclass: [B]\ntopics: [{topic: t}]\n", "2:8: class: expected text, found a list"),
    "root list": ("- title: X\n", "1:1: expected a mapping of keys"),
    "empty": ("", "1:1: the file is empty"),
    "alias": ("title: &t X\nclass: *t\ntopics: [{topic: t}]\n", "1:8: title: YAML anchors are not allowed"),
    "tag": ("title: !!python/name:os.system X\ntopics: [{topic: t}]\n", "1:8: title: YAML tags are not allowed"),
    "duplicate key": ("title: X\ntitle: Y\ntopics: [{topic: t}]\n", "2:1: title: duplicate key 'title'"),
    "entry key": ("title: X\ntopics:\n  - topic: t\n    sectons: [a]\n", "4:5: topics[0]: unknown key 'sectons' "
                                                                        "(did you mean 'sections'?)"),
    "entry text": ("title: X\ntopics:\n  - india-japan\n", "3:5: topics[0]: expected a mapping of keys"),
}


@pytest.mark.parametrize("case", sorted(STILL_LOCATED))
def test_mistakes_that_were_located_still_are(tmp_path, case):
    text, expected = STILL_LOCATED[case]
    found = problems(write(tmp_path / "p.yaml", text))
    assert any(p.startswith(expected) for p in found), found


# -- hypothesis: a valid pack file, mutated -------------------------------------------------------------------

VALID = """\
title: GS II — Week 3
class: Batch B
teacher: Ms Rao
date: 2026-11-25
duplex: true
watermark: DRAFT
topics:
  - topic: india-japan
    kinds: [revision, summary]
    sections: [conclusion]
  - topic: indian-monsoon
    kinds: summary
    exclude: [meaning]
    tags: []
"""
TOKENS = [":", "-", " ", "  ", "\n", "\n  - ", "[", "]", "{", "}", "'", '"', ",", "#", "&a ", "*a", "!!str ", "~",
          "\t", "\x00", "\x85", "\\", "null", "true", "0x10", ".nan", "2026-13-45", "é", "क", "😀", "topic: ",
          "- topic: india-japan", "kinds: ", "sections: ", "../", "sub/x.yaml", "/dev/null", "india-japn", "?",
          "|", ">", "---\n", "...\n", "<<: ", "A" * 300]


@st.composite
def mutated(draw) -> str:
    """The valid pack file after a few random edits: characters deleted or inserted, lines dropped, doubled,
    swapped or cut off."""
    text = VALID
    for _ in range(draw(st.integers(1, 4))):
        lines = text.split("\n")
        op = draw(st.sampled_from(["delete", "insert", "drop", "double", "swap", "truncate"]))
        at = draw(st.integers(0, max(0, len(text) - 1)))
        i, j = (draw(st.integers(0, max(0, len(lines) - 1))) for _ in range(2))
        if op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 12)):]
        elif op == "insert":
            text = text[:at] + draw(st.sampled_from(TOKENS)) + text[at:]
        elif op == "drop":
            text = "\n".join(lines[:i] + lines[i + 1:])
        elif op == "double":
            text = "\n".join(lines[:i] + [lines[i]] + lines[i:])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        else:
            text = text[:at]
    return text


def assert_pack_or_located(path: Path, text: str) -> None:
    try:
        spec = packfile.load(path)
    except NotesError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.path == str(path) and 1 <= p.line <= text.count("\n") + 2 and p.col >= 1, (p, text)
        return
    assert spec.title.strip() and spec.entries and all(e.topic.strip() for e in spec.entries)
    assert all(1 <= e.line <= text.count("\n") + 1 for e in spec.entries)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated())
def test_mutated_pack_files_load_or_give_located_problems(text):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "pack.yaml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        assert_pack_or_located(path, text)


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated())
def test_mutated_pack_files_on_the_command_line_exit_1_with_located_problems(work, text):
    """Through pack -f as a user runs it (rendering stubbed): exit 1, every line located, no traceback,
    nothing written."""
    path = work / "pack.yaml"
    path.write_bytes(text.encode("utf-8"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build, "render_many", fake_render)
        mp.chdir(work)
        r = pack("-f", str(path), "--notes", str(NOTES), "-o", str(work / "out/p.pdf"))
    assert r.exception is None or isinstance(r.exception, SystemExit), (r.exception, text)
    assert "Traceback" not in r.output and r.exit_code == 1, (r.output, text)
    lines = r.stderr.splitlines()
    assert lines[-1].endswith("found; nothing was written for it.") or lines[-1].endswith("for them."), r.stderr
    assert all(LOCATED.match(ln) for ln in lines[:-1]), r.stderr
    assert not (work / "out").exists()
