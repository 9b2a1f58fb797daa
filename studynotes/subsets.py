"""Font subsets that the parts of one pack can share.

ReportLab numbers a font's characters per document in the order they are
first drawn, so every document embeds its own subset of each font: a pack of
six parts carried eight copies of Lato Regular (124 KB of a 500 KB pack).
While ``shared()`` is on, each document's first subset of every TrueType font
is seeded with one fixed list of characters in one fixed order (ASCII,
Latin-1 and the typography notes use), so every part embeds byte-identical
font programs for them and the pack keeps one copy (``finish.pack``). A
single document is better off with its own small subset, so builds leave
this off.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from reportlab.pdfbase.ttfonts import TTFont

# The first subset of every document: ASCII, Latin-1 and the punctuation, currency and arrows notes
# use, in this order (the code order in the PDF). It is closed after them, so what else a document
# draws starts a subset of its own and the first is the same in every document.
COMMON = ("".join(chr(c) for c in range(0x20, 0x7F)) + "".join(chr(c) for c in range(0xA1, 0x100))
          + "–—‘’‚“”„•…′″‹›€₹−×÷±≈≠≤≥→←↑↓↔·§¶©®™°µ")
SUBSET = 256  # codes in one subset of a ReportLab TrueType font

_plain_split = TTFont.splitString


def _seeded_split(self: TTFont, text: str, doc: Any, encoding: str = "utf-8") -> list[tuple[int, bytes]]:
    """``TTFont.splitString`` that first gives a document it has not seen the common characters."""
    if doc not in self.state:
        have = self.face.charToGlyph
        _plain_split(self, "".join(ch for ch in COMMON if ord(ch) in have), doc, encoding)
        state = self.state[doc]
        # ReportLab hands out codes in order and opens the next subset at code 256: moving the next
        # code there leaves the rest of the first subset unused (ttfonts.TTFont.State, ReportLab 4-5)
        state.nextCode = max(state.nextCode, SUBSET)
    return _plain_split(self, text, doc, encoding)


@contextmanager
def shared(on: bool = True) -> Iterator[None]:
    """Documents begun inside share their fonts' first subsets with every other such document."""
    if not on or TTFont.splitString is _seeded_split:
        yield
        return
    TTFont.splitString = _seeded_split
    try:
        yield
    finally:
        TTFont.splitString = _plain_split
