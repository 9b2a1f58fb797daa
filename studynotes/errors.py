"""User-facing errors: every mistake in a notes file or a preset carries a location.

The CLI prints these as ``file:line:col: where: message`` and exits 1;
anything that is not a NotesError is a bug and may show a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One located mistake. Fields are ordered so problems sort by position."""

    path: str
    line: int
    col: int
    where: str
    message: str

    def __str__(self) -> str:
        where = f"{self.where}: " if self.where else ""
        return f"{self.path}:{self.line}:{self.col}: {where}{self.message}"


class NotesError(Exception):
    """One or more problems in the user's input; never a bug in the program."""

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(Exception):
    """A problem with what was asked on the command line (unknown topic, section, layout)."""


def closest(word: str, choices: list[str] | tuple[str, ...], n: int = 3) -> list[str]:
    """Valid names closest to a mistyped one, best first."""
    import difflib

    return difflib.get_close_matches(word, list(choices), n=n, cutoff=0.5)


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    near = closest(word, choices)
    if not near:
        return ""
    return " (did you mean " + " or ".join(f"'{c}'" for c in near) + "?)"
