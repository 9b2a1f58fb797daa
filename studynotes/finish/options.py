"""What a teacher asks of a class pack beyond its content, and what came of it: plain data, so the
command line can say it without loading the PDF libraries."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError
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

    def check(self, students: list[Student]) -> None:
        """Usage mistakes, found before anything is rendered."""
        if self.target.suffix.lower() != ".pdf":
            raise UsageError(f"-o {self.target}: the pack is one PDF; name a .pdf file")
        if self.collate and not students:
            raise UsageError("--collate goes with --roster")


@dataclass(frozen=True)
class PackResult:
    pages: int
    front: int  # cover and contents pages
    parts: int
    students: int
    written: list[Written] = field(default_factory=list)
