"""What the user can get wrong, as types that know how to leave.

Every user-facing failure is a ``StudyNotesError``: it carries its exit code
and prints itself (``show``), so the command line catches one type in one
place (click's ``ClickException`` pattern). Anything else is a bug and may
show a traceback.

- ``NotesError`` (exit 1): located problems in notes, presets, pack files, rosters.
- ``UsageError`` (exit 2): what was asked on the command line names nothing real.
- ``ReadError`` / ``WriteError`` (exit 1): the file system said no.
- ``Interrupted`` (exit 130): Ctrl-C; what was finished is kept.

Warnings are ``Problem``\\ s with ``severity="warning"``: located like errors,
printed by the caller, never fatal.
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass, field
from typing import IO


@dataclass(frozen=True, order=True)
class Loc:
    """Where something stands in the user's files; kept on model objects (never in equality)."""

    path: str = ""
    line: int = 1
    col: int = 1


@dataclass(frozen=True, order=True)
class Problem:
    """One located mistake (or warning). Fields are ordered so problems sort by position."""

    path: str
    line: int
    col: int
    where: str
    message: str
    severity: str = field(default="error", compare=False)

    @classmethod
    def at(cls, loc: Loc, where: str, message: str, severity: str = "error") -> Problem:
        return cls(loc.path, loc.line, loc.col, where, message, severity)

    def __str__(self) -> str:
        where = f"{self.where}: " if self.where else ""
        if not self.path:  # about what was typed on the command line: no file to point at
            return f"{self.severity}: {where}{self.message}"
        kind = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}:{self.col}: {kind}{where}{self.message}"


class StudyNotesError(Exception):
    """The root of every error a user can cause; ``show`` prints it, ``exit_code`` ends the run."""

    exit_code = 1

    def show(self, file: IO[str] | None = None) -> None:
        print(f"error: {self}", file=file or sys.stderr)


class NotesError(StudyNotesError):
    """One or more located problems in the user's input; never a bug in the program."""

    exit_code = 1

    def __init__(self, problems: list[Problem] | Problem, wrote: bool = True):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = sorted(problems)
        self.wrote = wrote  # whether the command writes files, so the closing line can say none were
        super().__init__("\n".join(str(p) for p in self.problems))

    def show(self, file: IO[str] | None = None) -> None:
        out = file or sys.stderr
        for p in self.problems:
            print(str(p), file=out)
        n = len(self.problems)
        tail = f"; nothing was written for {'them' if n != 1 else 'it'}" if self.wrote else ""
        print(f"{n} problem{'s' if n != 1 else ''} found{tail}.", file=out)


class UsageError(StudyNotesError):
    """What was asked on the command line names nothing real (a topic, section, layout, option)."""

    exit_code = 2


class ReadError(StudyNotesError):
    """A file the user named could not be read (missing, not a file, no permission, not a PDF)."""

    exit_code = 1


class WriteError(StudyNotesError):
    """An output could not be written (a full disk, a folder where a file should go, no permission)."""

    exit_code = 1

    @classmethod
    def of(cls, exc: OSError, target: object = None) -> WriteError:
        where = target if target is not None else exc.filename
        return cls(f"cannot write{f' {where}' if where else ''}: {exc.strerror or exc}")


class Interrupted(StudyNotesError):
    """Ctrl-C: what was finished is kept and recorded; one line says so (exit 130, as a shell does)."""

    exit_code = 130

    def __init__(self, finished: int):
        self.finished = finished
        n = f"{finished} output{'s were' if finished != 1 else ' was'}"
        super().__init__(f"interrupted; {n} finished and recorded" if finished else "interrupted; nothing was finished")

    def show(self, file: IO[str] | None = None) -> None:
        print(str(self), file=file or sys.stderr)


def closest(word: str, choices: list[str] | tuple[str, ...], n: int = 3) -> list[str]:
    """Valid names closest to a mistyped one, best first."""
    return difflib.get_close_matches(word, list(choices), n=n, cutoff=0.5)


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """`` (did you mean 'a' or 'b'?)`` for the closest choices, or '' when none is close."""
    near = closest(word, choices)
    if not near:
        return ""
    return " (did you mean " + " or ".join(f"'{c}'" for c in near) + "?)"
