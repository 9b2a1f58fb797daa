"""Lines of text by font runs: measure, draw, wrap and shorten, once for every engine and finisher.

A line of notes text may mix Latin, Devanagari, symbols and Japanese; each
run of characters is set in the font that has its glyphs (``fonts.assign_fonts``),
so widths are the sum of the runs' widths and drawing sets the font run by
run. Paragraph text (with inline markup) goes through ReportLab's Paragraph
instead; this module is for the single lines that engines place themselves:
labels, headers, footers, covers, stamps.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth

from . import fonts


def face(font: str, bold: bool) -> str:
    """The face a run is set in: the text family's bold where asked, a fallback font as it is."""
    return f"{fonts.BODY}-Bold" if bold and font == fonts.BODY else font


def runs_by_font(text: str, bold: bool = False, missing: list[str] | None = None) -> Iterator[tuple[str, str]]:
    """(face, piece) for each run of characters one font prints; characters no font has go to ``missing``."""
    runs, lost = _runs(text, bold)
    if missing is not None:
        missing.extend(lost)
    yield from runs


@functools.lru_cache(maxsize=8192)
def _runs(text: str, bold: bool) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """The runs of a line and the characters no font has, once per line: engines measure a line again
    and again as they wrap and shorten it."""
    lost: list[str] = []
    faces = fonts.assign_fonts(text, lost)
    runs = []
    start = 0
    for k in range(1, len(text) + 1):
        if k == len(text) or faces[k] != faces[start]:
            runs.append((face(faces[start], bold), text[start:k]))
            start = k
    return tuple(runs), tuple(lost)


def width(text: str, size: float, bold: bool = False, missing: list[str] | None = None) -> float:
    """Width of one line of text, each piece in the font that prints it."""
    runs, lost = _runs(text, bold)
    if missing is not None:
        missing.extend(lost)
    if len(runs) == 1:
        return stringWidth(runs[0][1], runs[0][0], size)
    return sum(stringWidth(piece, f, size) for f, piece in runs)


def draw(canvas: Any, x: float, y: float, text: str, size: float, ink: Any, bold: bool = False,
         missing: list[str] | None = None) -> float:
    """Draw one line of text from (x, y) with fallback fonts per piece; returns its width."""
    canvas.setFillColor(ink)
    start = x
    for f, piece in runs_by_font(text, bold, missing):
        canvas.setFont(f, size)
        canvas.drawString(x, y, piece, shaping=f == fonts.DEVANAGARI)
        x += stringWidth(piece, f, size)
    return x - start


def longest_fit(text: str, fits: Callable[[str], bool], lo: int = 0) -> int:
    """The most leading characters of ``text`` that still fit (``fits`` grows false with length), by bisection."""
    hi = len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(text[:mid]):
            lo = mid
        else:
            hi = mid - 1
    return lo


def wrap(text: str, fits: Callable[[str], bool], too_long: Callable[[str], bool] | None = None) -> list[str]:
    """Greedy word wrap: a word joins the line while ``fits(line)``. A word for which ``too_long``
    holds is first cut into the longest pieces that fit (a URL or a compound that no line can hold)."""
    lines: list[str] = []
    for word in text.split():
        while too_long is not None and too_long(word) and len(word) > 1:
            cut = max(1, longest_fit(word[:-1], fits, 1))
            lines.append(word[:cut])
            word = word[cut:]
        if lines and fits(f"{lines[-1]} {word}"):
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def wrap_width(text: str, size: float, limit: float, bold: bool = False) -> list[str]:
    """Greedy word wrap to a width in points."""
    return wrap(text, lambda line: width(line, size, bold) <= limit)


def fit(text: str, size: float, limit: float, bold: bool = False) -> str:
    """The text, or its longest beginning that fits the width with an ellipsis, cut at a word
    boundary where there is one (for one-line decorations: source lines, contents, footers)."""
    if width(text, size, bold) <= limit:
        return text
    lo = longest_fit(text, lambda head: width(head.rstrip() + "…", size, bold) <= limit)
    cut = text[:lo]
    if " " in cut.strip() and not text[lo:lo + 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ;,·—–") + "…"
