"""Class rosters: a CSV with a header row holding ``name`` and optionally ``roll`` and ``batch``.

Excel writes UTF-8 with a byte-order mark and sometimes semicolons; both
are accepted. Bad rows are errors with their line number.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import NotesError, Problem

MAX_STUDENTS = 2000


@dataclass(frozen=True)
class Student:
    name: str
    roll: str = ""
    batch: str = ""

    @property
    def label(self) -> str:
        """What is printed on each page of the student's copy."""
        return f"Prepared for {self.name}" + (f" · Roll {self.roll}" if self.roll else "") + (
            f" · {self.batch}" if self.batch else "")

    def file_stem(self, index: int) -> str:
        """A safe file name: letters, marks and digits of any script (so Hindi names stay readable),
        everything else a hyphen; no path separators or control characters, never empty."""
        name = _safe(self.name)[:60] or f"student-{index}"
        roll = _safe(self.roll)[:20]
        return f"{roll}-{name}" if roll else f"{index:03d}-{name}"


def _safe(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    kept = "".join(ch if unicodedata.category(ch)[0] in "LMN" else "-" for ch in text)
    return re.sub(r"-+", "-", kept).strip("-")


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


def _text(path: Path, shown: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NotesError(Problem(shown, 1, 1, "", f"cannot read the roster: {exc.strerror}")) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise NotesError(Problem(shown, line, 1, "", "the roster is not UTF-8 (in Excel: Save As → "
                                 "CSV UTF-8)")) from None


def _columns(header: list[str], shown: str) -> tuple[list[str], list[Problem]]:
    cols = [h.strip().lower() for h in header]
    if "name" not in cols:
        raise NotesError(Problem(shown, 1, 1, "", f"the header row needs a 'name' column (found: "
                                 f"{', '.join(h for h in cols if h) or 'nothing'})"))
    unknown = [h for h in cols if h and h not in ("name", "roll", "batch")]
    return cols, [Problem(shown, 1, cols.index(h) + 1, "", f"unknown column '{h}'; use name, roll and batch")
                  for h in unknown]


def _values(row: list[str], cols: list[str]) -> dict[str, str]:
    return dict(zip(cols, [cell.strip() for cell in row] + [""] * (len(cols) - len(row)), strict=True))


def _row_problem(row: list[str], cols: list[str], line: int, seen: dict[str, int]) -> tuple[int, str] | None:
    """(column, message) of what is wrong with a row, or None."""
    if len(row) > len(cols):
        return 1, f"row {line} has {len(row)} cells but the header has {len(cols)}"
    values = _values(row, cols)
    if not values["name"]:
        return cols.index("name") + 1, f"row {line}: the name is empty"
    if any(ord(ch) < 32 for v in values.values() for ch in v):
        return 1, f"row {line}: control characters are not allowed"
    key = (values.get("roll") or values["name"]).casefold()
    if key in seen:
        return 1, f"row {line} repeats row {seen[key]} " \
                  f"({'roll ' + values['roll'] if values.get('roll') else values['name']})"
    return None


def load(path: Path) -> list[Student]:
    shown = str(path)
    text = _text(path, shown)
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(rows)
    except StopIteration:
        raise NotesError(Problem(shown, 1, 1, "", "the roster is empty; it needs a header row with 'name'")) from None
    cols, problems = _columns(header, shown)
    students: list[Student] = []
    seen: dict[str, int] = {}
    last = rows.line_num
    for row in rows:
        line, last = last + 1, rows.line_num  # where the record starts, even if a quoted cell spans lines
        if not any(cell.strip() for cell in row):
            continue
        wrong = _row_problem(row, cols, line, seen)
        if wrong is not None:
            problems.append(Problem(shown, line, wrong[0], "", wrong[1]))
            continue
        values = _values(row, cols)
        seen[(values.get("roll") or values["name"]).casefold()] = line
        students.append(Student(values["name"], values.get("roll", ""), values.get("batch", "")))
        if len(students) > MAX_STUDENTS:
            problems.append(Problem(shown, line, 1, "", f"more than {MAX_STUDENTS} students"))
            break
    if problems:
        raise NotesError(problems)
    if not students:
        raise NotesError(Problem(shown, 2, 1, "", "the roster has no students"))
    return students
