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


def load(path: Path) -> list[Student]:
    shown = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NotesError(Problem(shown, 1, 1, "", f"cannot read the roster: {exc.strerror}")) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise NotesError(Problem(shown, line, 1, "", "the roster is not UTF-8 (in Excel: Save As → "
                                 "CSV UTF-8)")) from None
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(rows)
    except StopIteration:
        raise NotesError(Problem(shown, 1, 1, "", "the roster is empty; it needs a header row with 'name'")) from None
    cols = [h.strip().lower() for h in header]
    if "name" not in cols:
        raise NotesError(Problem(shown, 1, 1, "", f"the header row needs a 'name' column (found: "
                                 f"{', '.join(h for h in cols if h) or 'nothing'})"))
    unknown = [h for h in cols if h and h not in ("name", "roll", "batch")]
    problems = [Problem(shown, 1, cols.index(h) + 1, "", f"unknown column '{h}'; use name, roll and batch")
                for h in unknown]
    students: list[Student] = []
    seen: dict[str, int] = {}
    last = rows.line_num
    for row in rows:
        line, last = last + 1, rows.line_num  # where the record starts, even if a quoted cell spans lines
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(cols):
            problems.append(Problem(shown, line, 1, "", f"row {line} has {len(row)} cells but the header has "
                                    f"{len(cols)}"))
            continue
        values = {c: (row[i].strip() if i < len(row) else "") for i, c in enumerate(cols)}
        if not values["name"]:
            problems.append(Problem(shown, line, cols.index("name") + 1, "", f"row {line}: the name is empty"))
            continue
        if any(ord(ch) < 32 for v in values.values() for ch in v):
            problems.append(Problem(shown, line, 1, "", f"row {line}: control characters are not allowed"))
            continue
        key = (values.get("roll") or values["name"]).casefold()
        if key in seen:
            problems.append(Problem(shown, line, 1, "", f"row {line} repeats row {seen[key]} "
                                    f"({'roll ' + values['roll'] if values.get('roll') else values['name']})"))
            continue
        seen[key] = line
        students.append(Student(values["name"], values.get("roll", ""), values.get("batch", "")))
        if len(students) > MAX_STUDENTS:
            problems.append(Problem(shown, line, 1, "", f"more than {MAX_STUDENTS} students"))
            break
    if problems:
        raise NotesError(problems)
    if not students:
        raise NotesError(Problem(shown, 2, 1, "", "the roster has no students"))
    return students
