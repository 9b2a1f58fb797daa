"""Renderers: one module per layout kind, each with ``render(topic, layout) -> Rendered``.

A new kind is one new module here plus one preset in layouts/; nothing
else needs to change.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

from ..errors import UsageError


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # what the engine adapted, said once per run


def kinds() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")
                  and m.name != "common")


def options(kind: str) -> tuple[str, ...]:
    """The command-line options (like ``split``) that change what this kind prints."""
    return getattr(importlib.import_module(f"{__name__}.{kind}"), "OPTIONS", ())


def title(kind: str) -> str:
    """What a reader calls this kind ("Mind map"), for covers and contents pages."""
    return getattr(importlib.import_module(f"{__name__}.{kind}"), "TITLE", kind.replace("-", " ").capitalize())


def engine(kind: str):
    """The render function for a layout kind."""
    if kind not in kinds():
        raise UsageError(f"unknown layout kind '{kind}'; kinds: {', '.join(kinds())}")
    return importlib.import_module(f"{__name__}.{kind}").render
