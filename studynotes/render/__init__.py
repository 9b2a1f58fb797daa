"""Renderers: one module per layout kind, each with ``plan(topic, layout) -> Plan`` (pure, testable
geometry and choices), ``draw(plan) -> Rendered`` (no decisions left) and ``render = draw ∘ plan``.

A new kind is one module here, one entry in ``KINDS`` and one preset in
layouts/. The registry is explicit so that a helper module can never
become a kind by accident, and so that a kind's title and options are known
without importing ReportLab (an up-to-date build never does).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import Problem, UsageError
from ..load.presets import Layout
from ..model import Topic


@dataclass(frozen=True)
class Extra:
    """A file written beside the PDF: its name is the PDF's stem, then ``suffix``."""

    suffix: str  # "-answers.pdf", "-key.csv", "-omr-template.json"
    data: bytes


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    warnings: tuple[Problem, ...] = ()  # located, with severity "warning"
    notes: tuple[str, ...] = ()  # what the engine adapted, said once per run
    answers: int = 0  # the last pages are the teacher's (answers, keys): never in a student's copy
    extras: tuple[Extra, ...] = ()  # files beside the PDF (answers apart, keys, OMR templates)
    paired: bool = False  # fronts and backs (duplex cards): a double-sided pack starts them on a right-hand page


@dataclass(frozen=True)
class Kind:
    title: str  # what a reader calls it, on covers and contents pages
    options: tuple[str, ...] = ()  # the command-line options (like ``split``) that change what it prints
    versions: bool = False  # prints a version per series or student (``settings["series"|"variant"]``)


KINDS: dict[str, Kind] = {
    "cards": Kind("Flashcards", ("back_offset",)),
    "mindmap": Kind("Mind map", ("split",)),
    "quiz": Kind("Quiz", ("questions", "seed", "series", "title", "minutes", "marks", "answers"), versions=True),
    "revision": Kind("Revision sheet", ("columns",)),
    "summary": Kind("One-page summary", ("columns", "max_points")),
    "worksheet": Kind("Worksheet", ("columns", "gap", "word_bank", "answers")),
}


def kinds() -> list[str]:
    return sorted(KINDS)


def options(kind: str) -> tuple[str, ...]:
    return KINDS[kind].options


def has_versions(kind: str) -> bool:
    """Whether a kind prints a version per test series or per student (a quiz)."""
    return KINDS[kind].versions


def title(kind: str) -> str:
    """What a reader calls this kind ("Mind map"), for covers and contents pages."""
    return KINDS[kind].title


def engine(kind: str) -> Callable[[Topic, Layout], Rendered]:
    """The render function of a layout kind (its module is imported only now: ReportLab is heavy)."""
    if kind not in KINDS:
        raise UsageError(f"unknown layout kind '{kind}'; kinds: {', '.join(kinds())}")
    render: Callable[[Topic, Layout], Rendered] = importlib.import_module(f"{__name__}.{kind}").render
    return render
