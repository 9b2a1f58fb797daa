"""Class rosters: a CSV with a header row holding ``name`` and optionally ``roll`` and ``batch``.

Teachers export rosters from Excel and school systems, so the reader takes
what those write (UTF-8 with or without a byte-order mark, Excel's "Unicode
Text" UTF-16, commas, semicolons or tabs, CRLF, a ``sep=;`` first line,
trailing empty rows and cells, extra columns such as Email) and refuses,
with the line and column, what would print a wrong name: a duplicate
column, a cell that runs over lines, a quote never closed, a control
character. The CSV is read by a small reader of our own rather than the
``csv`` module because every cell must know where it stands in the file.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Loc, NotesError, Problem
from ..names import file_stem
from .yamlfile import BAD_CHARS, bad_char_message

MAX_STUDENTS = 2000
MAX_BYTES = 2 * 1024 * 1024   # 2,000 students with a dozen columns each is well under 1 MiB
MAX_CELL = 200                # characters in a name, roll or batch; the stamp line holds far fewer
MAX_CELLS = 1000              # in one row
MAX_PROBLEMS = 50             # a file that is not a roster at all should not print thousands of lines
DELIMITERS = ",;\t"
FIELDS = ("name", "roll", "batch")
# Header spellings per field, compared after _spelling(): "Roll No", "roll no.", "Roll_No", "ROLL-NO" are all "roll no".
ALIASES = {"name": "name", "roll": "roll", "roll no": "roll", "rollno": "roll", "roll number": "roll",
           "roll num": "roll", "batch": "batch"}


@dataclass(frozen=True)
class Student:
    name: str
    roll: str = ""
    batch: str = ""
    loc: Loc = field(default=Loc(), compare=False)  # the name's cell, so later stages can point at the row

    @property
    def label(self) -> str:
        """What is printed on each page of the student's copy."""
        return f"Prepared for {self.name}" + (f" · Roll {self.roll}" if self.roll else "") + (
            f" · {self.batch}" if self.batch else "")

    def file_stem(self, index: int) -> str:
        """A safe file name: letters, marks and digits of any script (so Hindi names stay readable),
        everything else a hyphen; no path separators or control characters, never empty."""
        name = file_stem(self.name, 60) or f"student-{index}"
        roll = file_stem(self.roll, 20)
        return f"{roll}-{name}" if roll else f"{index:03d}-{name}"


@dataclass(frozen=True)
class Roster:
    students: tuple[Student, ...]
    warnings: tuple[Problem, ...] = ()  # e.g. the columns that were ignored; printed once by the caller


def file_stems(students: list[Student]) -> list[str]:
    """Each student's file name stem, made unique where two would be the same."""
    out: list[str] = []
    seen: set[str] = set()
    for i, s in enumerate(students, 1):
        stem = s.file_stem(i)
        base, n = stem, 2
        while stem.casefold() in seen:
            stem, n = f"{base}-{n}", n + 1
        seen.add(stem.casefold())
        out.append(stem)
    return out


# -- bytes to text ------------------------------------------------------------------------------------------

def _bytes(path: Path, shown: str) -> bytes:
    """At most MAX_BYTES + 1 bytes, so a huge file or a device never fills the memory."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise NotesError(Problem(shown, 1, 1, "", f"cannot read the roster: {exc.strerror or exc}")) from None
    if len(data) > MAX_BYTES:
        raise NotesError(Problem(shown, 1, 1, "", f"the roster is larger than {MAX_BYTES // 1048576} MiB; "
                                 f"a roster holds at most {MAX_STUDENTS} students"))
    return data


def _not_text(data: bytes, start: int, shown: str, what: str) -> NotesError:
    line_start = data.rfind(b"\n", 0, start) + 1
    line = data.count(b"\n", 0, start) + 1
    col = len(data[line_start:start].decode("utf-8", "replace")) + 1
    return NotesError(Problem(shown, line, col, "", f"the roster is not {what} (byte 0x{data[start]:02x}); "
                              "in Excel: Save As → CSV UTF-8"))


def _decode(data: bytes, shown: str) -> str:
    """UTF-8 (a BOM is dropped), or UTF-16 when a BOM says so (Excel's "Unicode Text")."""
    if data.startswith(b"PK\x03\x04"):
        raise NotesError(Problem(shown, 1, 1, "", "this is an Excel workbook, not a CSV file; "
                                 "in Excel: Save As → CSV UTF-8"))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise NotesError(Problem(shown, 1, 1, "", "the roster starts like UTF-16 but is not; "
                                     "in Excel: Save As → CSV UTF-8")) from None
    if data[:200].count(0) * 4 >= len(data[:200]) > 0:  # every other byte a NUL: UTF-16 that lost its BOM
        raise NotesError(Problem(shown, 1, 1, "", "the roster looks like UTF-16 without a byte-order mark; "
                                 "in Excel: Save As → CSV UTF-8"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _not_text(data, exc.start, shown, "UTF-8") from None


# -- text to cells ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    text: str  # as written, quotes removed, not yet stripped
    line: int
    col: int   # of the cell's first character (for a quoted cell, its opening quote)
    quoted: bool = False


@dataclass(frozen=True)
class Record:
    cells: tuple[Cell, ...]
    line: int
    broken: tuple[int, int, str] | None = None  # (line, col, message) of a quote that spans lines or never closes

    @property
    def blank(self) -> bool:
        return not any(c.text.strip() for c in self.cells)


_OPEN = re.compile(r' *"')
_UNPRINTABLE = re.compile(BAD_CHARS.pattern[:-1] + "\t\n\r]")
_QUOTED = re.compile(r'[^"]*(?:""[^"]*)*')


def _separator(text: str, shown: str) -> tuple[str, str]:
    """The separator, and the text with Excel's ``sep=;`` line blanked (so every line keeps its number)."""
    first, nl, rest = text.partition("\n")
    if first.lower().startswith("sep="):
        sep = first[4:].rstrip(" ")
        sep = sep[0] if len(set(sep)) == 1 else sep  # "sep=;;;" from a sheet with three columns
        if len(sep) != 1 or sep in '" ' or sep.isalnum():
            raise NotesError(Problem(shown, 1, 1, "", f"the first line '{first[:20]}' should name one separator, "
                                     "e.g. sep=; or sep=,"))
        return sep, nl + rest
    counts = {d: len(re.sub(r'"[^"]*"', "", first).split(d)) - 1 for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])  # ties go to the first: comma, then semicolon
    return (best if counts[best] else ","), text


class _Scanner:
    """Reads records cell by cell, keeping the line and column of each (Excel's quoting rules)."""

    def __init__(self, text: str, sep: str):
        self.text, self.sep = text, sep
        self.pos, self.line = 0, 1
        self._at(0)

    def _at(self, line_start: int) -> None:
        self.line_start = line_start
        eol = self.text.find("\n", line_start)
        self.eol = eol if eol >= 0 else len(self.text)

    def _plain_end(self, pos: int) -> int:
        end = self.text.find(self.sep, pos, self.eol)
        return end if end >= 0 else self.eol

    def _cell(self) -> tuple[Cell, tuple[int, int, str] | None]:
        """One cell from ``pos``, and what is wrong with its quotes; ``pos`` moves to the cell's end."""
        text, pos, line = self.text, self.pos, self.line
        col = pos - self.line_start + 1
        opening = _OPEN.match(text, pos, self.eol)
        if opening is None:
            self.pos = self._plain_end(pos)
            return Cell(text[pos:self.pos], line, col), None
        quote_col = opening.end() - self.line_start
        inner = _QUOTED.match(text, opening.end())
        assert inner is not None  # the pattern matches the empty string
        body = inner.group().replace('""', '"')
        if inner.end() >= len(text):  # no closing quote: it swallowed the rest of the file
            last = line + inner.group().rstrip("\n").count("\n")
            self.pos, self.line = len(text), line + inner.group().count("\n")
            return Cell(body, line, col, True), (line, quote_col, (
                f"this quote is never closed, so lines {line}–{last} are read as one cell; add the closing quote"
                if last > line else "this quote is never closed; add the closing quote"))
        breaks = inner.group().count("\n")
        if breaks:
            self.line += breaks
            self._at(text.rfind("\n", 0, inner.end()) + 1)
        self.pos = self._plain_end(inner.end() + 1)  # Excel keeps text after the closing quote: "Asha" Rao
        body += text[inner.end() + 1: self.pos]
        if not breaks:
            return Cell(body, line, col, True), None
        return Cell(body, line, col, True), (line, quote_col, f"this quoted cell holds a line break (it runs over "
                                             f"lines {line}–{line + breaks}); a cell must be on one line, or is a "
                                             "closing quote missing?")

    def record(self) -> Record:
        start = self.line
        cells: list[Cell] = []
        broken = None
        while True:
            cell, wrong = self._cell()
            cells.append(cell)
            broken = broken or wrong
            if self.pos >= len(self.text) or self.text[self.pos] == "\n":
                break
            if len(cells) >= MAX_CELLS:
                broken = broken or (start, 1, f"row {start} has more than {MAX_CELLS} cells")
                self.pos = self.eol
                break
            self.pos += 1  # the separator
        self.pos, self.line = self.pos + 1, self.line + 1
        self._at(self.pos)
        return Record(tuple(cells), start, broken)


def records(text: str, sep: str) -> Iterator[Record]:
    """The records of a CSV text (line breaks already ``\\n``), each cell with its line and column."""
    scan = _Scanner(text, sep)
    while scan.pos < len(text):
        yield scan.record()


# -- cells to students ---------------------------------------------------------------------------------------

def _printable(text: str, limit: int = 40) -> str:
    """A header cell as a message may show it: no NUL or escape reaches the terminal, no screenful of it."""
    text = _UNPRINTABLE.sub("?", text.strip())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _spelling(header: str) -> str:
    return re.sub(r"[\s_.#-]+", " ", header.strip().casefold()).strip()


@dataclass(frozen=True)
class Columns:
    index: dict[str, int]          # field → cell index
    width: int                     # cells in the header
    ignored: tuple[Cell, ...] = ()


def _columns(header: Record, shown: str) -> tuple[Columns, list[Problem]]:
    index: dict[str, int] = {}
    ignored: list[Cell] = []
    problems: list[Problem] = []
    for i, cell in enumerate(header.cells):
        name = _spelling(cell.text)
        fld = ALIASES.get(name)
        if fld is None:
            ignored += [cell] if name else []
        elif fld in index:
            first = header.cells[index[fld]]
            both = f"the columns '{_printable(first.text)}' and '{_printable(cell.text)}' both give the {fld}"
            same = _spelling(first.text) == name
            problems.append(Problem(shown, cell.line, cell.col, "", f"the column '{fld}' appears twice" if same else
                                    f"{both}; keep one"))
        else:
            index[fld] = i
    if "name" not in index:
        found = ", ".join(_printable(c.text) for c in header.cells if c.text.strip()) or "nothing"
        problems.insert(0, Problem(shown, header.line, 1, "", f"the header row needs a 'name' column (found: "
                                   f"{found[:100]}); the first row names the columns: name,roll,batch"))
    return Columns(index, len(header.cells), tuple(ignored)), problems


def _ignored_note(cols: Columns, shown: str) -> tuple[Problem, ...]:
    if not cols.ignored:
        return ()
    names = ", ".join(f"'{_printable(c.text)}'" for c in cols.ignored)
    s = "s" if len(cols.ignored) > 1 else ""
    first = cols.ignored[0]
    return (Problem(shown, first.line, first.col, "", f"the column{s} {names} {'are' if s else 'is'} ignored "
                    "(a roster uses name, roll and batch)", severity="warning"),)


def _cell_problem(rec: Record, cols: Columns, fld: str) -> tuple[int, str] | None:
    """(column, message) of what is wrong in one field of a row."""
    if fld not in cols.index or cols.index[fld] >= len(rec.cells):
        return (1, f"row {rec.line}: the name is empty") if fld == "name" else None
    cell = rec.cells[cols.index[fld]]
    value = cell.text.strip()
    if fld == "name" and not value:
        return cell.col, f"row {rec.line}: the name is empty"
    bad = _UNPRINTABLE.search(cell.text)
    if bad:
        return cell.col + bad.start() + cell.quoted, f"row {rec.line}: {bad_char_message(bad.group())}"
    if len(value) > MAX_CELL:
        return cell.col, f"row {rec.line}: the {fld} is {len(value):,} characters long; the limit is {MAX_CELL}"
    return None


def _row_problem(rec: Record, cols: Columns) -> tuple[int, int, str] | None:
    """(line, column, message) of what is wrong with a row, or None."""
    if rec.broken:
        return rec.broken
    if any(c.text.strip() for c in rec.cells[cols.width:]):
        return rec.line, 1, f"row {rec.line} has {len(rec.cells)} cells but the header has {cols.width}"
    for fld in FIELDS:
        wrong = _cell_problem(rec, cols, fld)
        if wrong:
            return rec.line, wrong[0], wrong[1]
    return None


def _student(rec: Record, cols: Columns, shown: str) -> Student:
    def value(fld: str) -> str:
        i = cols.index.get(fld, len(rec.cells))
        return rec.cells[i].text.strip() if i < len(rec.cells) else ""

    name_cell = rec.cells[cols.index["name"]]
    return Student(value("name"), value("roll"), value("batch"), Loc(shown, name_cell.line, name_cell.col))


class _Students:
    """The students read so far, with the row each key (roll, else the name) was first seen on."""

    def __init__(self, shown: str):
        self.shown = shown
        self.students: list[Student] = []
        self.seen: dict[str, int] = {}
        self.problems: list[Problem] = []

    def add(self, rec: Record, cols: Columns) -> bool:
        """Add the row's student (or its problem); False when reading should stop."""
        wrong = _row_problem(rec, cols)
        if wrong is None:
            s = _student(rec, cols, self.shown)
            key = (s.roll or s.name).casefold()
            if key in self.seen:
                wrong = rec.line, 1, f"row {rec.line} repeats row {self.seen[key]} " \
                                     f"({'roll ' + s.roll if s.roll else s.name})"
            else:
                self.seen[key] = rec.line
                self.students.append(s)
        if wrong:
            self.problems.append(Problem(self.shown, wrong[0], wrong[1], "", wrong[2]))
        if len(self.students) > MAX_STUDENTS:
            self.problems.append(Problem(self.shown, rec.line, 1, "", f"more than {MAX_STUDENTS} students; "
                                         "split the class into rosters of at most that many"))
            return False
        if len(self.problems) >= MAX_PROBLEMS:
            self.problems.append(Problem(self.shown, rec.line, 1, "", f"stopped after {MAX_PROBLEMS} problems"))
            return False
        return True


def read(path: Path) -> Roster:
    """The students of a roster file and the notes about it; every problem located, all at once."""
    shown = str(path)
    text = _decode(_bytes(path, shown), shown).replace("\r\n", "\n").replace("\r", "\n")
    sep, text = _separator(text, shown)
    rows = (rec for rec in records(text, sep) if rec.broken or not rec.blank)
    header = next(rows, None)
    if header is None:
        raise NotesError(Problem(shown, 1, 1, "", "the roster is empty; it needs a header row with 'name'"))
    cols, problems = _columns(header, shown)
    if header.broken:
        problems.append(Problem(shown, *header.broken[:2], "", header.broken[2]))
    if problems:
        raise NotesError(problems)
    found = _Students(shown)
    for rec in rows:
        if not found.add(rec, cols):
            break
    if found.problems:
        raise NotesError(found.problems)
    if not found.students:
        raise NotesError(Problem(shown, header.line + 1, 1, "", "the roster has no students"))
    return Roster(tuple(found.students), _ignored_note(cols, shown))


def load(path: Path) -> list[Student]:
    """Just the students (the notes of ``read`` are left out)."""
    return list(read(path).students)
