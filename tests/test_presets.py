"""Layout presets: the shipped ones, `extends:`, and located errors for every kind of mistake."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from studynotes.errors import NotesError, Problem, UsageError
from studynotes.load import presets

ROOT = Path(__file__).resolve().parent.parent
REVISION_FONTS = {"body": 8.8, "title": 19.0, "heading": 11.0, "subheading": 9.6, "small": 7.4}
REVISION_COLOURS = {"accent": "#1F4E79", "highlight": "#FFE38A", "box": "#EDF2F8", "rule": "#A9BCD0",
                    "text": "#1B1B1B", "link": "#1457A8", "muted": "#5A6470"}


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problems(path: Path) -> list[Problem]:
    with pytest.raises(NotesError) as info:
        presets.load(str(path))
    return info.value.problems


def only(path: Path) -> Problem:
    found = problems(path)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def check(p: Problem, path: Path, line: int, col: int, where: str, fragment: str) -> None:
    assert (p.path, p.line, p.col, p.where) == (str(path), line, col, where), str(p)
    assert fragment in p.message, str(p)


# ---------------------------------------------------------------- shipped presets


def test_shipped_presets_are_listed():
    assert {"revision", "revision-landscape"} <= set(presets.available())


def test_revision_preset():
    lay = presets.load("revision")
    assert (lay.name, lay.kind, lay.paper, lay.landscape) == ("revision", "revision", "A4", False)
    assert (lay.columns, lay.column_gap, lay.margins) == (2, 6.0, (14.0, 14.0, 14.0, 14.0))
    assert lay.fonts == REVISION_FONTS
    assert lay.colours == REVISION_COLOURS
    assert lay.header == "{topic} — {section}"
    assert lay.footer == "{subject}  ·  page {page} of {pages}"
    assert lay.default is True
    assert lay.pagesize == pytest.approx((595.2756, 841.8898))
    assert len(lay.chain) == 1


def test_revision_landscape_changes_three_things_and_inherits_the_rest():
    base, lay = presets.load("revision"), presets.load("revision-landscape")
    assert (lay.name, lay.landscape, lay.columns, lay.column_gap) == ("revision-landscape", True, 3, 5.0)
    assert lay.pagesize == pytest.approx((841.8898, 595.2756))
    assert lay.description.startswith("A4 landscape, 3 columns")
    assert lay.default is False  # `default` belongs to the file that says it, not to its children
    assert (lay.kind, lay.paper, lay.margins, lay.header, lay.footer) == (
        base.kind, base.paper, base.margins, base.header, base.footer)
    assert lay.fonts == REVISION_FONTS and lay.colours == REVISION_COLOURS
    assert [Path(c).name for c in lay.chain] == ["revision-landscape.yaml", "revision.yaml"]


def test_shipped_presets_are_found_from_any_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lay = presets.load("revision-landscape")
    assert lay.columns == 3
    # the shipped copy (installed package, or the checkout's layouts/) is the one in the repository
    assert Path(lay.path).name == "revision-landscape.yaml"
    assert Path(lay.path).read_bytes() == (ROOT / "layouts" / "revision-landscape.yaml").read_bytes()


def test_adjusted_overrides_paper_and_orientation():
    lay = presets.load("revision").adjusted(paper="Letter", landscape=True, grayscale=True)
    assert (lay.paper, lay.landscape, lay.grayscale, lay.pagesize) == ("Letter", True, True, (792.0, 612.0))


# ---------------------------------------------------------------- extends


def test_user_preset_extends_a_shipped_one(tmp_path):
    path = write(tmp_path / "big.yaml", """
        extends: revision
        columns: 1
        fonts:
          body: 11
        colours:
          highlight: "#C0FFEE"
        """)
    lay = presets.load(str(path))
    assert (lay.name, lay.columns, lay.column_gap, lay.kind) == ("big", 1, 6.0, "revision")
    assert lay.fonts == {**REVISION_FONTS, "body": 11.0}
    assert lay.colours == {**REVISION_COLOURS, "highlight": "#C0FFEE"}
    assert lay.default is False


@pytest.mark.parametrize("parent", ["base.yaml", "./base.yaml", "base", "sub/../base.yaml"])
def test_user_preset_extends_a_sibling_by_relative_path(tmp_path, parent):
    (tmp_path / "sub").mkdir()
    write(tmp_path / "base.yaml", """
        extends: revision-landscape
        page:
          margins: {top: 20, bottom: 20}
        colours:
          accent: "#000000"
        """)
    child = write(tmp_path / "child.yaml", f"""
        extends: {parent}
        columns: 4
        colours:
          link: "#0000FF"
        """)
    lay = presets.load(str(child))
    assert (lay.columns, lay.landscape, lay.column_gap) == (4, True, 5.0)  # child, then landscape, then base
    assert lay.margins == (20.0, 14.0, 20.0, 14.0)
    assert lay.colours == {**REVISION_COLOURS, "accent": "#000000", "link": "#0000FF"}
    assert [Path(c).name for c in lay.chain] == ["child.yaml", "base.yaml", "revision-landscape.yaml",
                                                "revision.yaml"]


def test_extends_cycle_is_an_error(tmp_path):
    write(tmp_path / "a.yaml", "extends: b.yaml\n")
    write(tmp_path / "b.yaml", "columns: 2\nextends: a.yaml\n")
    p = only(tmp_path / "a.yaml")
    check(p, tmp_path / "b.yaml", 2, 10, "extends", "the presets extend each other in a circle: a → b → a")


def test_preset_extending_itself_is_an_error(tmp_path):
    path = write(tmp_path / "me.yaml", "extends: me\n")
    p = only(path)
    check(p, path, 1, 10, "extends", "in a circle: me → me")


def test_extends_an_unknown_preset_is_located(tmp_path):
    path = write(tmp_path / "mine.yaml", "# mine\nextends: revison\n")
    p = only(path)
    check(p, path, 2, 10, "extends", "unknown layout 'revison' (did you mean 'revision'")


def test_preset_without_extends_must_be_complete(tmp_path):
    path = write(tmp_path / "bare.yaml", "columns: 2\nfonts: {body: 9}\n")
    p = only(path)
    check(p, path, 1, 1, "", "the preset lacks colours.accent, colours.box")
    assert "fonts.body" not in p.message and "columns," not in p.message
    assert "extends: revision" in p.message


# ---------------------------------------------------------------- located mistakes


def test_unknown_keys_suggest_the_close_ones(tmp_path):
    path = write(tmp_path / "typos.yaml", """
        extends: revision
        colums: 3
        page:
          orientaton: landscape
        fonts:
          bodyy: 9
        """)
    found = problems(path)
    assert len(found) == 3
    check(found[0], path, 2, 1, "", "unknown key 'colums' (did you mean 'columns'")
    check(found[1], path, 4, 3, "page", "unknown key 'orientaton' (did you mean 'orientation'?)")
    check(found[2], path, 6, 3, "fonts", "unknown key 'bodyy' (did you mean 'body'")


def test_bad_colours_are_located(tmp_path):
    path = write(tmp_path / "colours.yaml", """
        extends: revision
        colours:
          accent: red
          text: "#12345"
          muted: "#GGGGGG"
          pink: "#FFC0CB"
        """)
    found = problems(path)
    assert [(p.line, p.col, p.where) for p in found] == [
        (3, 11, "colours.accent"), (4, 9, "colours.text"), (5, 10, "colours.muted"), (6, 3, "colours")]
    assert found[0].message == "'red' is not a colour: write it as #RRGGBB"
    assert found[3].message == "unknown key 'pink' (did you mean 'link'?)"


def test_bad_numbers_are_located(tmp_path):
    path = write(tmp_path / "numbers.yaml", """
        extends: revision
        columns: 5
        column-gap: wide
        fonts:
          body: 100
          title: 2.5.1
        page:
          margins: {top: 5, left: 61}
        """)
    found = problems(path)
    assert [(p.line, p.col, p.where, p.message) for p in found] == [
        (2, 10, "columns", "must be between 1 and 4, found 5"),
        (3, 13, "column-gap", "expected a number, found 'wide'"),
        (5, 9, "fonts.body", "must be between 7 and 16, found 100"),
        (6, 10, "fonts.title", "expected a number, found '2.5.1'"),
        (8, 18, "page.margins.top", "must be between 10 and 60, found 5"),
        (8, 27, "page.margins.left", "must be between 10 and 60, found 61"),
    ]


def test_columns_must_be_a_whole_number(tmp_path):
    path = write(tmp_path / "cols.yaml", "extends: revision\ncolumns: 2.5\n")
    check(only(path), path, 2, 10, "columns", "expected a whole number, found '2.5'")


def test_choices_are_checked(tmp_path):
    path = write(tmp_path / "paper.yaml", """
        extends: revision
        page:
          paper: a4
          orientation: sideways
        """)
    found = problems(path)
    check(found[0], path, 3, 10, "page.paper", "'a4' is not one of A4, Letter, A5 (did you mean 'A4'?)")
    check(found[1], path, 4, 16, "page.orientation", "'sideways' is not one of portrait, landscape")


def test_unknown_placeholders_in_header_and_footer_are_located_at_the_brace(tmp_path):
    path = write(tmp_path / "header.yaml", """
        extends: revision
        header: "{topic} — {sectoin} · {page}"
        footer: page {page} of {total}
        """)
    found = problems(path)
    assert [(p.line, p.col, p.where) for p in found] == [(2, 20, "header"), (3, 24, "footer")]
    assert found[0].message.startswith("unknown placeholder {sectoin}; use {topic}, {subject}")
    assert found[1].message.startswith("unknown placeholder {total}")


def test_known_placeholders_are_all_accepted(tmp_path):
    path = write(tmp_path / "all.yaml", """
        extends: revision
        header: "{topic} {subject} {syllabus} {section}"
        footer: "{page}/{pages} {date} {layout}"
        """)
    lay = presets.load(str(path))
    assert lay.footer == "{page}/{pages} {date} {layout}"


def test_preset_files_get_the_notes_yaml_checks(tmp_path):
    path = write(tmp_path / "yaml.yaml", """
        extends: revision
        columns: 2
        columns: 3
        fonts: &f {body: 9}
        """)
    found = problems(path)
    check(found[0], path, 3, 1, "columns", "duplicate key 'columns' (first at line 2)")
    check(found[1], path, 4, 8, "fonts", "YAML anchors are not allowed (&f)")


# ---------------------------------------------------------------- by name


@pytest.mark.parametrize("name, closest", [("revison", "'revision'"), ("revision-landscap", "'revision-landscape'"),
                                           ("Revision", "'revision'")])
def test_unknown_layout_name_is_a_usage_error_naming_the_closest(name, closest):
    with pytest.raises(UsageError) as info:
        presets.load(name)
    message = str(info.value)
    assert message.startswith(f"unknown layout '{name}' (did you mean {closest}")
    assert message.endswith("layouts: " + ", ".join(presets.available()))
    assert "revision-landscape" in presets.available()


def test_unknown_layout_far_from_any_lists_them_all():
    with pytest.raises(UsageError) as info:
        presets.load("zzz")
    assert str(info.value) == "unknown layout 'zzz'; layouts: " + ", ".join(presets.available())
    assert {"revision", "revision-landscape", "mindmap"} <= set(presets.available())


def test_missing_layout_file_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="no layout file"):
        presets.load(str(tmp_path / "nope.yaml"))
