"""The error root: exit codes, how each error prints itself, located problems and their order."""

from __future__ import annotations

import errno
import io

import pytest

from studynotes.errors import (
    Loc,
    NotesError,
    Problem,
    ReadError,
    StudyNotesError,
    UsageError,
    WriteError,
    closest,
    did_you_mean,
)


def shown(exc: StudyNotesError) -> str:
    out = io.StringIO()
    exc.show(out)
    return out.getvalue()


@pytest.mark.parametrize("exc, code", [
    (NotesError(Problem("a.yaml", 1, 1, "", "bad")), 1),
    (UsageError("no section 'x'"), 2),
    (ReadError("cannot read a.pdf"), 1),
    (WriteError("cannot write out.pdf: disk full"), 1),
])
def test_every_error_is_one_root_with_its_exit_code(exc, code):
    assert isinstance(exc, StudyNotesError)
    assert exc.exit_code == code


def test_a_plain_error_shows_itself_as_one_error_line():
    assert shown(UsageError("unknown layout 'revison'")) == "error: unknown layout 'revison'\n"
    assert shown(WriteError("cannot write x.pdf: No space left on device")) == \
        "error: cannot write x.pdf: No space left on device\n"


def test_notes_errors_show_every_problem_then_a_count():
    one = NotesError(Problem("a.yaml", 2, 3, "id", "bad id"))
    assert shown(one) == "a.yaml:2:3: id: bad id\n1 problem found; nothing was written for it.\n"
    two = NotesError([Problem("b.yaml", 1, 1, "", "empty"), Problem("a.yaml", 9, 1, "", "late")])
    assert shown(two).splitlines() == ["a.yaml:9:1: late", "b.yaml:1:1: empty",
                                       "2 problems found; nothing was written for them."]
    checked = NotesError([Problem("a.yaml", 1, 1, "", "x"), Problem("a.yaml", 2, 1, "", "y")], wrote=False)
    assert shown(checked).splitlines()[-1] == "2 problems found."


def test_problems_sort_by_file_line_and_column_whatever_the_order_found():
    found = [Problem("b.yaml", 1, 1, "", "b"), Problem("a.yaml", 10, 2, "", "late"),
             Problem("a.yaml", 2, 9, "", "right"), Problem("a.yaml", 2, 3, "", "left")]
    assert [(p.path, p.line, p.col) for p in NotesError(found).problems] == [
        ("a.yaml", 2, 3), ("a.yaml", 2, 9), ("a.yaml", 10, 2), ("b.yaml", 1, 1)]
    assert str(NotesError(found)).splitlines()[0] == "a.yaml:2:3: left"


def test_severity_does_not_take_part_in_order_or_equality():
    assert Problem("a", 1, 1, "", "m", "warning") == Problem("a", 1, 1, "", "m")
    assert sorted([Problem("a", 2, 1, "", "m"), Problem("a", 1, 1, "", "m", "warning")])[0].line == 1


def test_a_problem_is_made_at_a_location_and_a_warning_says_so():
    loc = Loc("notes/t.yaml", 7, 9)
    error = Problem.at(loc, "sections[0].points[1]", "no font has U+E000")
    assert str(error) == "notes/t.yaml:7:9: sections[0].points[1]: no font has U+E000"
    warning = Problem.at(loc, "sections[0].points[1]", "no font has U+E000", severity="warning")
    assert str(warning) == "notes/t.yaml:7:9: warning: sections[0].points[1]: no font has U+E000"
    assert str(Problem.at(loc, "", "plain", "warning")) == "notes/t.yaml:7:9: warning: plain"


def test_locations_order_by_file_then_position():
    assert sorted([Loc("b", 1, 1), Loc("a", 3, 1), Loc("a", 2, 5)]) == [Loc("a", 2, 5), Loc("a", 3, 1), Loc("b", 1, 1)]
    assert Loc() == Loc("", 1, 1)


def test_did_you_mean_names_the_close_choices_or_nothing():
    assert did_you_mean("revison", ["revision", "mindmap", "summary"]) == " (did you mean 'revision'?)"
    both = did_you_mean("sumary", ["summary", "summary-landscape", "mindmap"])
    assert both == " (did you mean 'summary' or 'summary-landscape'?)"
    assert did_you_mean("zzz", ["revision", "mindmap"]) == ""
    assert closest("defense", ["economy", "defence", "issues"]) == ["defence"]


def test_a_write_error_names_the_target_and_what_the_system_said():
    exc = OSError(errno.ENOSPC, "No space left on device", "/tmp/out/.studynotes-x.tmp")
    assert str(WriteError.of(exc, "out/a.pdf")) == "cannot write out/a.pdf: No space left on device"
    denied = OSError(errno.EACCES, "Permission denied", "out")
    assert str(WriteError.of(denied)) == "cannot write out: Permission denied"
    assert str(WriteError.of(OSError("strange"))) == "cannot write: strange"


def test_a_problem_with_no_file_says_error_or_warning_instead_of_a_place():
    assert str(Problem("", 0, 0, "", "no font has U+0645")) == "error: no font has U+0645"
    assert str(Problem("", 0, 0, "cover", "no font", severity="warning")) == "warning: cover: no font"
