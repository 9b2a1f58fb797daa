"""Rosters as teachers really export them, and as they break: every problem located, never a traceback.

The reader is tested on its own (``roster.read`` on files in a temporary folder); the command line only
for what it adds: the note about ignored columns is printed once, before the pack is made.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import string
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studynotes import build
from studynotes.cli import main
from studynotes.errors import NotesError, UsageError
from studynotes.load import roster
from studynotes.load.yamlfile import BAD_CHARS

ROOT = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str, name: str = "r.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def problems(path: Path) -> list[str]:
    """The problems of a bad roster as printed, without the path."""
    with pytest.raises(NotesError) as err:
        roster.read(path)
    assert all(p.path == str(path) for p in err.value.problems)
    return [str(p).removeprefix(f"{path}:") for p in err.value.problems]


def students(path: Path) -> list[tuple[str, str, str]]:
    return [(s.name, s.roll, s.batch) for s in roster.read(path).students]


# -- columns ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("header, col, column", [
    ("name,name,roll", 6, "name"), ("name,roll,roll", 11, "roll"), ("name,batch,roll,batch", 17, "batch"),
    ("Name,NAME", 6, "name"),
])
def test_a_column_named_twice_is_an_error_at_the_second(tmp_path, header, col, column):
    path = write(tmp_path, f"{header}\nAsha,Verma,1,B\n")
    assert problems(path) == [f"1:{col}: the column '{column}' appears twice"]


def test_two_spellings_of_the_roll_column_are_an_error_naming_both(tmp_path):
    path = write(tmp_path, "name,roll,Roll No\nAsha,1,2\n")
    assert problems(path) == ["1:11: the columns 'roll' and 'Roll No' both give the roll; keep one"]


@pytest.mark.parametrize("spelling", ["roll", "Roll", "Roll No", "roll no", "Roll No.", "ROLL NO", "Roll_No",
                                      "roll-no", "RollNo", "Roll Number", "roll_number", "Roll Num", " Roll  No "])
def test_the_roll_column_may_be_spelled_as_school_systems_spell_it(tmp_path, spelling):
    path = write(tmp_path, f"Name,{spelling},Batch\nAsha Rao,12,B\n")
    r = roster.read(path)
    assert [(s.name, s.roll, s.batch) for s in r.students] == [("Asha Rao", "12", "B")]
    assert r.warnings == ()


def test_extra_columns_are_ignored_with_one_note_naming_them(tmp_path):
    path = write(tmp_path, "name,Email,roll,Phone No\nAsha,asha@x.org,1,98\nRavi,ravi@x.org,2,97\n")
    r = roster.read(path)
    assert [(s.name, s.roll) for s in r.students] == [("Asha", "1"), ("Ravi", "2")]
    assert [str(w) for w in r.warnings] == [
        f"{path}:1:6: warning: the columns 'Email', 'Phone No' are ignored (a roster uses name, roll and batch)"]
    assert r.warnings[0].severity == "warning"


def test_an_empty_header_cell_is_ignored_without_a_note(tmp_path):
    path = write(tmp_path, "name,roll,\nAsha,1,\n")
    assert roster.read(path).warnings == ()


def test_the_ignored_columns_note_is_printed_once_before_the_pack_is_made(tmp_path, monkeypatch):
    path = write(tmp_path, "name,Email\n" + "".join(f"S{i},s{i}@x.org\n" for i in range(30)))
    seen = []

    def make_pack(spec, notes_dir, layouts, students, *rest, **kw):
        seen.append(len(students))
        raise UsageError("stopped before rendering")

    monkeypatch.setattr(build, "make_pack", make_pack)
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["pack", "india-japan", "--roster", str(path), "--notes", str(ROOT / "notes")])
    assert r.exit_code == 2 and seen == [30], r.output
    assert r.stderr.count("the column 'Email' is ignored") == 1, r.stderr
    assert r.stderr.index("warning:") < r.stderr.index("stopped before rendering")


def test_a_header_without_name_says_what_it_found(tmp_path):
    path = write(tmp_path, "student,roll\nAsha,1\n")
    assert problems(path) == ["1:1: the header row needs a 'name' column (found: student, roll); "
                              "the first row names the columns: name,roll,batch"]
    path = write(tmp_path, "stu\x1b[2Jdent\n")  # what it found is shown, but no escape reaches the terminal
    assert problems(path)[0].startswith("1:1: the header row needs a 'name' column (found: stu?[2Jdent)")
    path = write(tmp_path, "name,E\x1bmail\nAsha,a\n")
    assert roster.read(path).warnings[0].message.startswith("the column 'E?mail' is ignored")


# -- Excel's quirks ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sep", [";", ",", "\t", "|"])
def test_excels_sep_line_names_the_separator_and_is_skipped(tmp_path, sep):
    path = write(tmp_path, f"sep={sep}\r\nname{sep}roll\r\nAsha Rao{sep}1\r\n{sep}2\r\n")
    assert problems(path) == ["4:1: row 4: the name is empty"]  # every line keeps its number
    path = write(tmp_path, f"\ufeffsep={sep}\nname{sep}roll\nAsha Rao{sep}1\n")
    assert students(path) == [("Asha Rao", "1", "")]


def test_with_sep_semicolon_a_comma_is_part_of_the_name(tmp_path):
    path = write(tmp_path, "sep=;\nname\nRao, Asha\n")
    assert students(path) == [("Rao, Asha", "", "")]  # without the sep line: two cells, one column


@pytest.mark.parametrize("line", ["sep=", "sep=ab", "sep=x", 'sep="'])
def test_a_sep_line_that_names_no_separator_is_an_error(tmp_path, line):
    path = write(tmp_path, f"{line}\nname\nAsha\n")
    (only,) = problems(path)
    assert only.startswith("1:1: the first line") and "should name one separator" in only


def test_a_sep_line_repeated_across_empty_cells_is_understood(tmp_path):
    path = write(tmp_path, "sep=;;;\nname;roll;batch\nAsha;1;B\n")
    assert students(path) == [("Asha", "1", "B")]


def test_a_quoted_cell_with_a_line_break_is_named_at_the_line_its_quote_opens(tmp_path):
    path = write(tmp_path, 'name,roll\nAsha,1\nRavi,"2\n3"\nMeena,4\n')
    assert problems(path) == ["3:6: this quoted cell holds a line break (it runs over lines 3–4); "
                              "a cell must be on one line, or is a closing quote missing?"]


def test_an_unterminated_quote_is_named_at_the_line_it_opens(tmp_path):
    path = write(tmp_path, 'name,roll\nAsha,1\n"Ravi,2\nMeena,3\nNoor,4\n')
    assert problems(path) == ["3:1: this quote is never closed, so lines 3–5 are read as one cell; "
                              "add the closing quote"]
    path = write(tmp_path, 'name,roll\nAsha,1\nRavi,"2')
    assert problems(path) == ["3:6: this quote is never closed; add the closing quote"]


def test_quotes_as_excel_writes_them(tmp_path):
    path = write(tmp_path, 'name,roll\n"Rao, Asha",1\n"Asha ""Ash"" Rao",2\n  "Ravi" Kumar ,3\nO"Brien,4\n')
    assert students(path) == [("Rao, Asha", "1", ""), ('Asha "Ash" Rao', "2", ""), ("Ravi Kumar", "3", ""),
                              ('O"Brien', "4", "")]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_separators_and_line_ends(tmp_path, sep, newline):
    rows = ["name", "roll", "batch"], ["Asha Rao", "1", "B"], ["", "", ""], ["Ravi", "2", ""], ["", "", ""]
    path = write(tmp_path, newline.join(sep.join(r) for r in rows) + newline)
    assert students(path) == [("Asha Rao", "1", "B"), ("Ravi", "2", "")]


def test_trailing_empty_cells_and_rows_are_fine_but_extra_text_is_not(tmp_path):
    path = write(tmp_path, "name,roll\nAsha,1,,\n,,,\n\n")
    assert students(path) == [("Asha", "1", "")]
    path = write(tmp_path, "name,roll\nAsha,1,,x\n")
    assert problems(path) == ["2:1: row 2 has 4 cells but the header has 2"]


# -- encodings ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding, bom", [("utf-8", ""), ("utf-8", "\ufeff"), ("utf-16", ""),
                                           ("utf-16-le", "\ufeff"), ("utf-16-be", "\ufeff")])
def test_utf8_and_excels_unicode_text_are_read(tmp_path, encoding, bom):
    path = write(tmp_path, bom + "name\troll\nअनन्या शर्मा\t7\nAsha\t8\n", encoding=encoding)
    assert students(path) == [("अनन्या शर्मा", "7", ""), ("Asha", "8", "")]


def test_latin1_is_refused_at_the_first_byte_that_is_not_utf8(tmp_path):
    path = write(tmp_path, "name,roll\nAsha,1\nJosé,2\n", encoding="latin-1")
    assert problems(path) == ["3:4: the roster is not UTF-8 (byte 0xe9); in Excel: Save As → CSV UTF-8"]


def test_utf16_without_a_byte_order_mark_is_refused(tmp_path):
    path = write(tmp_path, "name,roll\nAsha,1\n", encoding="utf-16-le")
    assert problems(path) == ["1:1: the roster looks like UTF-16 without a byte-order mark; "
                              "in Excel: Save As → CSV UTF-8"]


def test_an_excel_workbook_is_named(tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)))
    assert problems(path) == ["1:1: this is an Excel workbook, not a CSV file; in Excel: Save As → CSV UTF-8"]


# -- names and cells ----------------------------------------------------------------------------------------

SCRIPTS = {"Devanagari": "अनन्या शर्मा", "Tamil": "கார்த்திக் சுப்பிரமணியம்", "Bengali": "সৌমিত্র চট্টোপাধ্যায়",
           "Arabic": "محمد علي", "Chinese": "李小龙", "Hebrew": "שלום כהן", "Gurmukhi": "ਹਰਪ੍ਰੀਤ ਸਿੰਘ",
           "Telugu": "వెంకట లక్ష్మి", "Malayalam": "അനിൽ കുമാർ", "Latin": "Zoë Ñúñez-O'Brien", "Emoji": "😀 Kid"}


def test_names_in_every_script_are_read_as_written(tmp_path):
    rows = [(name, str(i), script) for i, (script, name) in enumerate(SCRIPTS.items(), 1)]
    path = write(tmp_path, "\ufeffname,roll,batch\n" + "".join(",".join(r) + "\n" for r in rows))
    assert students(path) == rows


def test_each_student_knows_the_line_and_column_of_their_name(tmp_path):
    path = write(tmp_path, "sep=;\nroll;name\n\n1;Asha\n2; \"Ravi\"\n")
    got = [(s.name, s.loc.path, s.loc.line, s.loc.col) for s in roster.read(path).students]
    assert got == [("Asha", str(path), 4, 3), ("Ravi", str(path), 5, 3)]


def test_the_line_of_a_student_after_a_broken_quote_is_still_true(tmp_path):
    path = write(tmp_path, 'name,roll\n"A\nB",1\nRavi,2\n')
    with pytest.raises(NotesError):
        roster.read(path)
    recs = list(roster.records(path.read_text(), ","))
    assert [(r.line, [c.text for c in r.cells]) for r in recs] == [(1, ["name", "roll"]), (2, ["A\nB", "1"]),
                                                                    (4, ["Ravi", "2"])]


@pytest.mark.parametrize("char, col", [("\x00", 3), ("\x07", 3), ("\x1b", 3), ("\x85", 3), ("\u2028", 3),
                                       ("\t", 3)])
def test_control_characters_are_refused_where_they_stand(tmp_path, char, col):
    path = write(tmp_path, f"name,roll\nAs{char}ha,1\n")
    (only,) = problems(path)
    assert only.startswith(f"2:{col}: row 2: ") and f"U+{ord(char):04X}" in only


def test_a_control_character_in_an_ignored_column_does_no_harm(tmp_path):
    path = write(tmp_path, "name,notes\nAsha,a\x07b\n")
    assert students(path) == [("Asha", "", "")]


def test_very_long_cells(tmp_path):
    path = write(tmp_path, f"name,roll,Address\n{'A' * 5000},1,x\nRavi,2,{'y' * 50_000}\n")
    assert problems(path) == ["2:1: row 2: the name is 5,000 characters long; the limit is 200"]
    path = write(tmp_path, f"name,roll\n{'A' * 200},1\n")
    assert students(path) == [("A" * 200, "1", "")]


@pytest.mark.parametrize("n, ok", [(2000, True), (2001, False)])
def test_at_most_2000_students(tmp_path, n, ok):
    path = write(tmp_path, "name,roll\n" + "".join(f"Student {i},{i}\n" for i in range(1, n + 1)))
    if ok:
        assert len(roster.read(path).students) == n
    else:
        assert problems(path) == ["2002:1: more than 2000 students; split the class into rosters of at most that "
                                  "many"]


def test_a_file_too_large_for_a_roster_is_refused_before_it_is_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(roster, "MAX_BYTES", 1000)
    path = write(tmp_path, "name\n" + "x\n" * 600)
    (only,) = problems(path)
    assert only.startswith("1:1: the roster is larger than")
    if Path("/dev/zero").exists():
        assert "larger than" in problems(Path("/dev/zero"))[0]


def test_a_row_of_thousands_of_cells_is_refused(tmp_path):
    path = write(tmp_path, "name,roll\nAsha," + "," * 5000 + "\n")
    assert problems(path) == ["2:1: row 2 has more than 1000 cells"]


def test_a_file_that_is_no_roster_stops_after_fifty_problems(tmp_path):
    path = write(tmp_path, "name,roll\n" + ",1\n" * 500)
    found = problems(path)
    assert len(found) == 51 and found[-1] == "51:1: stopped after 50 problems"


BAD = {
    "empty": ("", ["1:1: the roster is empty; it needs a header row with 'name'"]),
    "blank lines only": ("\n\n \n", ["1:1: the roster is empty; it needs a header row with 'name'"]),
    "header only": ("name,roll\n", ["2:1: the roster has no students"]),
    "empty name": ("name,roll\nAsha,1\n ,2\n", ["3:1: row 3: the name is empty"]),
    "short row": ("roll,name\n1\n", ["2:1: row 2: the name is empty"]),
    "repeated roll": ("name,roll\nAsha,1\nRavi,1\n", ["3:1: row 3 repeats row 2 (roll 1)"]),
    "repeated name": ("name\nAsha Rao\nASHA RAO\n", ["3:1: row 3 repeats row 2 (ASHA RAO)"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_rosters_keep_their_messages(tmp_path, case):
    text, expected = BAD[case]
    assert problems(write(tmp_path, text)) == expected


def test_a_missing_file(tmp_path):
    assert problems(tmp_path / "nope.csv") == ["1:1: cannot read the roster: No such file or directory"]


# -- hypothesis -----------------------------------------------------------------------------------------------

def _cell_text(s: str) -> bool:
    return bool(s.strip()) and not BAD_CHARS.search(s) and not re.search(r"[\t\n\r]", s)


cell = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30).filter(_cell_text)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(cell, min_size=1, max_size=8), batch=cell, sep=st.sampled_from(",;\t"),
       newline=st.sampled_from(["\n", "\r\n"]), bom=st.booleans(), quoting=st.sampled_from([csv.QUOTE_MINIMAL,
                                                                                            csv.QUOTE_ALL]))
def test_any_roster_csv_writes_is_read_back(names, batch, sep, newline, bom, quoting):
    """Whatever a spreadsheet writes with proper quoting comes back the same, in every script."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=sep, lineterminator=newline, quoting=quoting)
    w.writerow(["name", "roll", "batch"])
    rows = [(n, str(i), batch) for i, n in enumerate(names, 1)]
    w.writerows(rows)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "r.csv"
        path.write_bytes((codecs.BOM_UTF8 if bom else b"") + out.getvalue().encode("utf-8"))
        got = roster.read(path).students
    assert [(s.name, s.roll, s.batch) for s in got] == [(n.strip(), r, b.strip()) for n, r, b in rows]


ROSTERISH = st.text(alphabet=string.ascii_letters[:6] + ",;\t\"\n\r \x00é" + "अ", max_size=120)


@settings(max_examples=300, deadline=None)
@given(data=st.one_of(st.binary(max_size=200), ROSTERISH.map(lambda s: ("name,roll\n" + s).encode()),
                      ROSTERISH.map(lambda s: ("sep=;\n" + s).encode()), ROSTERISH.map(str.encode)))
def test_any_bytes_give_students_or_located_problems(data):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "r.csv"
        path.write_bytes(data)
        try:
            r = roster.read(path)
        except NotesError as exc:
            assert exc.problems
            lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
            for p in exc.problems:
                assert p.path == str(path) and 1 <= p.line <= lines + 1 and p.col >= 1, (p, data)
            return
    assert r.students and all(s.name.strip() == s.name and s.name for s in r.students)
    assert all(1 <= s.loc.line <= data.replace(b"\r", b"\n").count(b"\n") + 1 for s in r.students)
