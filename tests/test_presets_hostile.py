"""Hostile presets: every key with every wrong type, numbers YAML reads but Python cannot, impossible
geometry, unknown kinds, and a broken preset beside the ones a build uses.

A preset either loads or is refused with located problems (``file:line:col``, in a file of its
chain); it never raises anything else. What the build checks before rendering (the kind, room for
columns of text) is checked here through ``build.layout``, as every command does.
"""

from __future__ import annotations

import tempfile
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from studynotes import build
from studynotes.cli import main
from studynotes.errors import NotesError, Problem, UsageError
from studynotes.load import presets
from studynotes.load.presets import MIN_COLUMN_MM, MIN_TEXT_HEIGHT_MM, SCHEMA
from studynotes.render import kinds

PAPER_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4), "A5": (148.0, 210.0)}  # independent of the code


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def refused(path: Path) -> list[Problem]:
    with pytest.raises(NotesError) as info:
        build.layout(str(path))
    return info.value.problems


def one(path: Path) -> Problem:
    found = refused(path)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def flow(dotted: str, value: str) -> tuple[str, int]:
    """``page.margins.top`` and a value as one line of nested flow mappings, with the value's column."""
    *outer, last = dotted.split(".")
    text = f"{last}: {value}"
    for key in reversed(outer):
        text = f"{key}: {{{text}}}"
    return text, text.index(f"{last}: {value}") + len(last) + 3


NUMBER_KEYS = [(f"{section}.{k}" if section else k).replace("margins.", "page.margins.")
               for section in ("", "margins", "fonts") for k, spec in SCHEMA[section].items()
               if spec[0] in ("num", "int")]


# ---------------------------------------------------------------- numbers YAML 1.1 reads and Python cannot


@pytest.mark.parametrize("key", NUMBER_KEYS)
@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.Inf", "+.INF", "0x10", "0b11", "1:20", "1:20.5",
                                   "0o17", "12.5e0", "1e400"])
def test_a_number_python_cannot_read_is_a_located_error(tmp_path, key, value):
    line, col = flow(key, value)
    path = write(tmp_path / "num.yaml", f"extends: revision\n{line}\n")
    p = one(path)
    whole = "a whole number" if SCHEMA[""].get(key, ("",))[0] == "int" else "a number"
    assert str(p) == f"{path}:2:{col}: {key}: expected {whole}, found '{value}'"


@pytest.mark.parametrize("value, shown", [("1.0e+400", "1.0e+400"), ("1" + "0" * 400, "1" + "0" * 19 + "…")])
def test_a_decimal_too_large_for_a_float_is_out_of_range(tmp_path, value, shown):
    path = write(tmp_path / "big.yaml", f"extends: revision\nfonts: {{body: {value}}}\n")
    assert str(one(path)) == f"{path}:2:15: fonts.body: must be between 7 and 16, found {shown}"


@pytest.mark.parametrize("value, read", [("9", 9.0), ("9.", 9.0), ("+9.5", 9.5), ("1_0", 10.0), ("1.05e+1", 10.5)])
def test_decimal_numbers_in_every_form_yaml_allows_still_load(tmp_path, value, read):
    path = write(tmp_path / "ok.yaml", f"extends: revision\nfonts: {{body: {value}}}\n")
    assert build.layout(str(path)).fonts["body"] == read


# ---------------------------------------------------------------- every key, every wrong type


def _every_key() -> list[tuple[str, str]]:
    out = []
    for section, prefix in (("", ""), ("page", "page."), ("margins", "page.margins."), ("fonts", "fonts."),
                            ("colours", "colours.")):
        out += [(prefix + k, spec[0]) for k, spec in SCHEMA[section].items()]
    return [(key, kind) for key, kind in out if key not in ("extends", "kind")]  # each has tests of its own


WRONG = {"a list": "[1, 2]", "a mapping": "{a: 1}", "nothing": "~", "empty text": "''", "a boolean": "true",
         "a word": "abc", "a date": "2026-11-25", "a huge number": "9" * 40}
ACCEPTS = {"text": {"a word", "a date", "a huge number", "a boolean"}, "template": {"a word", "a date",
           "a huge number", "a boolean"}, "bool": {"a boolean"}}


@pytest.mark.parametrize("key, kind", _every_key())
@pytest.mark.parametrize("wrong", list(WRONG))
def test_every_key_with_every_wrong_type_is_located_or_read(tmp_path, key, kind, wrong):
    line, col = flow(key, WRONG[wrong])
    path = write(tmp_path / "wrong.yaml", f"extends: revision\n{line}\n")
    if wrong in ACCEPTS.get(kind, set()):
        build.layout(str(path))
        return
    found = refused(path)
    shown = "\n".join(map(str, found))
    assert all((p.path, p.line) == (str(path), 2) and p.where.startswith(key) for p in found), shown
    assert found[0].col == col or kind in ("map", "colours"), shown  # a mapping's or a list's own keys and items


def test_an_unknown_kind_is_located_at_its_line(tmp_path):
    path = write(tmp_path / "cards.yaml", """
        # flash cards, one day
        extends: revision
        kind: flashcards
        """)
    assert str(one(path)) == (f"{path}:3:7: kind: unknown layout kind 'flashcards'; "
                              f"kinds: {', '.join(kinds())}")
    assert "revision" in kinds() and "flashcards" not in kinds()


# ---------------------------------------------------------------- room for text


def test_margins_and_gaps_wider_than_the_paper_are_the_presets_fault(tmp_path):
    path = write(tmp_path / "narrow3.yaml", """
        extends: revision
        page: {paper: A5, margins: {left: 60, right: 60}}
        columns: 2
        column-gap: 30
        """)
    assert str(one(path)) == (
        f"{path}:2:35: page.margins.left: margins and column gaps leave no room for text: 148 mm paper − "
        "120 mm margins − 30 mm gap = −2 mm across the A5 page; a column needs at least 35 mm")


def test_columns_narrower_than_the_minimum_are_refused_naming_the_key_that_takes_most(tmp_path):
    path = write(tmp_path / "four.yaml", """
        extends: revision
        page: {margins: {left: 30, right: 30}}
        columns: 4
        column-gap: 20
        """)  # 210 − 60 − 60 = 90 mm for 4 columns: 22.5 mm each
    p = one(path)
    assert (p.line, p.col, p.where) == (4, 13, "column-gap")  # 3 gaps of 20 mm take more than one margin
    assert "210 mm paper − 60 mm margins − 60 mm gaps = 90 mm across the A4 page, 22.5 mm for each of 4 columns; " \
           "a column needs at least 35 mm" in p.message


def test_margins_that_leave_no_height_are_refused(tmp_path):
    path = write(tmp_path / "low.yaml", """
        extends: revision
        page:
          paper: A5
          orientation: landscape
          margins: {top: 60, bottom: 60}
        """)
    assert str(one(path)) == (f"{path}:5:18: page.margins.top: margins leave no room for text: 148 mm paper − "
                              "120 mm margins = 28 mm down the A5 page; a page of text needs at least 40 mm")


def test_the_problem_is_put_in_the_preset_asked_for_when_it_sets_any_of_the_keys(tmp_path):
    write(tmp_path / "wide.yaml", "extends: revision\npage: {margins: {left: 50, right: 50}}\n")
    child = write(tmp_path / "child.yaml", "# mine\nextends: wide.yaml\ncolumns: 3\n")
    p = one(child)  # 210 − 100 − 12 = 98 mm for 3 columns: the parent's margins take most, the child chose 3
    assert (p.path, p.line, p.where) == (str(child), 3, "columns")


def test_a_parent_that_is_impossible_is_blamed_in_the_parent(tmp_path):
    parent = write(tmp_path / "bad.yaml", "extends: revision\npage: {paper: A5, margins: {left: 60, right: 60}}\n")
    child = write(tmp_path / "child.yaml", "extends: bad.yaml\ndescription: mine\n")
    p = one(child)
    assert (p.path, p.line, p.where) == (str(parent), 2, "page.margins.left")


def test_a_mind_map_needs_no_columns_of_text(tmp_path):
    path = write(tmp_path / "tiny-map.yaml", """
        extends: mindmap
        page:
          paper: A5
          orientation: portrait
          margins: {top: 60, bottom: 60, left: 60, right: 60}
        """)
    assert build.layout(str(path)).kind == "mindmap"  # 28 × 90 mm: the map takes pages of its own


@pytest.mark.parametrize("name", sorted(presets.available()))
@pytest.mark.parametrize("paper", ["A4", "Letter", "A5"])
@pytest.mark.parametrize("landscape", [None, True])
@pytest.mark.parametrize("columns", [None, 2, 3])
def test_every_shipped_preset_has_room_with_every_paper_and_columns(name, paper, landscape, columns):
    overrides = {k: v for k, v in (("paper", paper), ("landscape", landscape), ("columns", columns)) if v}
    (lay,) = build.load_layouts((name,), overrides)
    assert lay.paper == paper


def test_options_that_leave_no_room_are_a_usage_mistake(tmp_path):
    path = write(tmp_path / "wide.yaml", "extends: revision\npage: {margins: {left: 40, right: 40}}\n")
    assert build.load_layouts((str(path),), {})  # as the preset says: 210 − 80 − 6 = 124 mm, 62 each
    with pytest.raises(UsageError) as info:
        build.load_layouts((str(path),), {"paper": "A5", "columns": 3})
    assert str(info.value).startswith("--paper A5 --columns 3 with the layout wide: columns too narrow to read: "
                                      "148 mm paper − 80 mm margins − 12 mm gaps = 56 mm across the A5 page")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["revision", "summary", "mindmap"]), paper=st.sampled_from(sorted(PAPER_MM)),
       landscape=st.booleans(), margins=st.tuples(*[st.integers(10, 60)] * 4), columns=st.integers(1, 4),
       gap=st.integers(2, 30))
def test_geometry_is_accepted_exactly_when_there_is_room(kind, paper, landscape, margins, columns, gap):
    top, bottom, left, right = margins
    text = f"""extends: {kind}
page:
  paper: {paper}
  orientation: {"landscape" if landscape else "portrait"}
  margins: {{top: {top}, bottom: {bottom}, left: {left}, right: {right}}}
columns: {columns}
column-gap: {gap}
"""
    width, height = PAPER_MM[paper][::-1] if landscape else PAPER_MM[paper]
    column, tall = (width - left - right - gap * (columns - 1)) / columns, height - top - bottom
    assume(abs(column - MIN_COLUMN_MM) > 0.01 and abs(tall - MIN_TEXT_HEIGHT_MM) > 0.01)  # no rounding at the edge
    room = column >= MIN_COLUMN_MM and tall >= MIN_TEXT_HEIGHT_MM
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "geometry.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            build.layout(str(path))
        except NotesError as exc:
            assert kind != "mindmap" and not room, "\n".join(map(str, exc.problems))
            for p in exc.problems:
                assert p.path == str(path) and 3 <= p.line <= 7, p
                assert "no room for text" in p.message or "too narrow" in p.message, p
        else:
            assert room or kind == "mindmap"


# ---------------------------------------------------------------- fuzzing, like the notes loader


PRESET_KEYS = ["extends", "kind", "description", "default", "page", "paper", "orientation", "margins", "top",
               "bottom", "left", "right", "columns", "column-gap", "fonts", "body", "title", "heading",
               "subheading", "small", "colours", "accent", "highlight", "box", "rule", "text", "link", "muted",
               "header", "footer", "palette"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
                    st.sampled_from(["revision", "summary", "mindmap", "A5", "landscape", "#1F4E79", "{page}",
                                     "{nosuch}", "red", "../revision.yaml", ""]))
keys = st.one_of(st.sampled_from(PRESET_KEYS), st.text(max_size=6))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                        st.dictionaries(keys, inner, max_size=4)), max_leaves=15)


def assert_loaded_or_located(path: Path) -> None:
    try:
        lay = build.layout(str(path))
    except NotesError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.line >= 1 and p.col >= 1 and p.message.strip(), p
    except UsageError:
        pass  # ``extends`` naming a file that is not there, when given as the preset itself
    else:
        assert lay.kind in ("mindmap", "revision", "summary")


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(doc=st.dictionaries(keys, values, max_size=6), parent=st.sampled_from([None, "revision", "mindmap"]))
def test_fuzz_presets_with_yaml_structures(doc, parent):
    if parent:
        doc = {"extends": parent, **doc}
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "fuzz.yaml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        assert_loaded_or_located(path)


TOKENS = ["extends: revision\n", "extends: summary\n", "kind: ", "columns: ", "column-gap: ", "fonts: {body: ",
          "page: {margins: {left: ", "page:\n  paper: ", "}", "}}", "\n", " ", ": ", "- ", "[", "]", ",", "'", '"',
          ".nan", ".inf", "-.Inf", "0x10", "0b11", "0o17", "1:20", "1_000", "12.5e0", "1e400", "1.0e+400", "~", "yes",
          "true", "2026-11-25", "&a ", "*a", "!!float ", "<<: ", "#", "\t", "\x00", "\ufeff", "नमस्ते", "A5", "60",
          "30", "4", "7"]


@settings(max_examples=200, deadline=None)
@given(text=st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=3)), max_size=25).map("".join))
def test_fuzz_presets_with_text(text):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "fuzz.yaml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        assert_loaded_or_located(path)


# ---------------------------------------------------------------- a broken preset beside the used ones


@pytest.fixture()
def project(tmp_path, monkeypatch):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "t.yaml").write_text("topic: T\nsections:\n  - {title: One, points: [a point]}\n")
    (tmp_path / "layouts").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_a_broken_preset_the_build_does_not_use_is_a_warning(project):
    write(project / "layouts" / "num.yaml", "extends: revision\nfonts: {body: .nan}\n")
    warnings: list[Problem] = []
    layouts = build.load_layouts((), None, warnings)
    assert sorted(lay.name for lay in layouts) == ["mindmap", "revision", "summary"]
    assert [str(w) for w in warnings] == [
        "layouts/num.yaml:2:15: warning: fonts.body: expected a number, found '.nan' (the preset 'num' is not "
        "default: left out of this build)"]


def test_the_default_build_goes_on_beside_a_broken_preset_and_layouts_reports_it(project):
    write(project / "layouts" / "num.yaml", "extends: revision\nfonts: {body: .nan}\n")
    r = run("build", "-j", "1")
    assert r.exit_code == 0, r.output
    assert "layouts/num.yaml:2:15: warning: fonts.body: expected a number" in r.output
    assert sorted(p.name for p in (project / "output" / "t").glob("*.pdf")) == ["mindmap.pdf", "revision.pdf",
                                                                                "summary.pdf"]
    r = run("layouts")
    assert r.exit_code == 1
    assert "  revision-landscape " in r.output and "layouts/num.yaml:2:15: fonts.body" in r.output


@pytest.mark.parametrize("text", ["extends: revision\ndefault: true\nfonts: {body: .nan}\n",
                                  "extends: revision\nfonts: {body: [1\n"])
def test_a_broken_preset_that_is_or_may_be_default_stops_the_build(project, text):
    write(project / "layouts" / "mine.yaml", text)
    with pytest.raises(NotesError) as info:
        build.load_layouts((), None, [])
    assert all(p.path == "layouts/mine.yaml" and p.severity == "error" for p in info.value.problems)


def test_says_default_reads_a_broken_preset(tmp_path):
    assert presets.says_default(write(tmp_path / "a.yaml", "default: true\nfonts: {body: .nan}\n")) is True
    assert presets.says_default(write(tmp_path / "b.yaml", "default: 'yes'\ncolumns: 9\n")) is False
    assert presets.says_default(write(tmp_path / "c.yaml", "fonts: {body: [1\n")) is None
