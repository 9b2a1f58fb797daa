"""What a teacher asks of a class pack beyond its content, and what came of it: plain data, so the
command line can say it without loading the PDF libraries."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import fonts
from ..errors import Loc, NotesError, Problem, UsageError
from ..files import Written
from ..load.roster import Student


@dataclass(frozen=True)
class PackOptions:
    """What the teacher asked for beyond the pack itself."""

    target: Path
    collate: bool = False
    nup: int | None = None
    booklet: bool = False
    png: bool = False
    paper: str | None = None
    grayscale: bool = False
    series: tuple[str, ...] = ()  # quizzes: test-booklet series, handed out in roster order (A, B, C, A …)
    per_student: bool = False  # quizzes: every student a paper of their own

    def check(self, students: list[Student]) -> None:
        """Usage mistakes, found before anything is rendered."""
        if self.target.suffix.lower() != ".pdf":
            raise UsageError(f"-o {self.target}: the pack is one PDF; name a .pdf file")
        if self.collate and not students:
            raise UsageError("--collate goes with --roster")
        if self.per_student and not students:
            raise UsageError("--per-student goes with --roster: a paper of their own for each student on it")
        if self.per_student and self.series:
            raise UsageError("--per-student and --series: give each student a paper of their own, or a series")
        problems = unprintable(students)
        if problems:
            raise NotesError(problems)


def unprintable(students: list[Student]) -> list[Problem]:
    """A row whose name (or roll, or batch) has a character no font prints: its copy would say
    "Prepared for  · Roll 1", so the roster is refused at that row before anything is rendered."""
    problems = []
    for index, student in enumerate(students):
        missing: list[str] = []
        fonts.assign_fonts(student.label, missing)
        if missing:
            loc = student.loc if student.loc.path else Loc("roster", index + 2, 1)  # a roster made in code
            problems.append(Problem.at(loc, "", f"row {loc.line}: the name cannot be printed, so the copy could not "
                                       f"say who it is for: {fonts.lacking(missing)}"))
    return problems


@dataclass(frozen=True)
class PackResult:
    pages: int
    front: int  # cover and contents pages
    parts: int
    students: int
    written: list[Written] = field(default_factory=list)
    warnings: tuple[Problem, ...] = ()  # the parts', the presets' and the cover's, each once
    notes: tuple[str, ...] = ()  # how the engines adapted the parts
