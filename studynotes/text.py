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
from reportlab.pdfbase.ttfonts import shapeStr

from . import fonts


def face(font: str, bold: bool) -> str:
    """The face a run is set in: its bold where asked and the font has one."""
    return fonts.bold_face(font) if bold else font


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
    if not lost and faces.count(fonts.BODY) == len(faces):  # nearly every line: one font, left to right
        return ((face(fonts.BODY, bold), text),) if text else (), ()
    chars = fonts.visual(list(zip(text, faces, strict=True)))  # right-to-left words as a line shows them
    runs: list[tuple[str, str]] = []
    for ch, f in chars:
        if runs and runs[-1][0] == face(f, bold):
            runs[-1] = (runs[-1][0], runs[-1][1] + ch)
        else:
            runs.append((face(f, bold), ch))
    return tuple(runs), tuple(lost)


def _shaped(f: str) -> bool:
    return f.removesuffix("-Bold") in fonts.SHAPED


@functools.lru_cache(maxsize=8192)
def _unit_width(piece: str, f: str) -> float:
    """Width of a run at 1 pt: as HarfBuzz sets it for a shaped script (conjuncts, vowel signs and
    joined letters are narrower than their characters side by side), else from the font's widths."""
    if not _shaped(f):
        return stringWidth(piece, f, 1.0)
    total = 0.0
    for word in piece.split(" "):
        if word:
            shaped = shapeStr(word, f, 1000.0)
            data = getattr(shaped, "__shapeData__", None)
            total += sum(sd.x_advance for sd in data) / 1000 if data else stringWidth(word, f, 1.0)
    return total + piece.count(" ") * stringWidth(" ", f, 1.0)


def width(text: str, size: float, bold: bool = False, missing: list[str] | None = None) -> float:
    """Width of one line of text, each piece in the font that prints it."""
    runs, lost = _runs(text, bold)
    if missing is not None:
        missing.extend(lost)
    if len(runs) == 1 and not _shaped(runs[0][0]):
        return stringWidth(runs[0][1], runs[0][0], size)
    return sum(_unit_width(piece, f) for f, piece in runs) * size


def draw(canvas: Any, x: float, y: float, text: str, size: float, ink: Any, bold: bool = False,
         missing: list[str] | None = None) -> float:
    """Draw one line of text from (x, y) with fallback fonts per piece; returns its width."""
    canvas.setFillColor(ink)
    start = x
    for f, piece in runs_by_font(text, bold, missing):
        canvas.setFont(f, size)
        if _shaped(f):  # word by word, as a paragraph shapes it, so that widths agree with ``width``;
            # shaped here (ReportLab's drawString(shaping=True) shapes nothing without rlbidi), in one
            # text object, so that extractors put a right-to-left run back in order as a whole
            words = canvas.beginText(x, y)
            words.setFont(f, size)
            at = x
            for word in piece.split(" "):
                if word:
                    words.setTextOrigin(at, y)
                    words.textOut(shapeStr(word, f, size))
                at += (_unit_width(word, f) + stringWidth(" ", f, 1.0)) * size
            canvas.drawText(words)
        else:
            canvas.drawString(x, y, piece)
        x += _unit_width(piece, f) * size
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
