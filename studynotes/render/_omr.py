"""The OMR answer sheet as pure geometry, and OMRChecker's ``template.json`` and ``evaluation.json``
computed from that same geometry, so the sheet a teacher prints and the template that grades its
scans can never disagree.

Coordinates are points from the page's top-left corner (y grows downwards, as in an image), on a
half-point grid: OMRChecker wants whole pixels, and at ``PX_PER_PT`` = 2 (144 dpi) every bubble's
corner is one. The template uses OMRChecker's ``CropPage`` step (the sheet is found by its edges and
warped to ``pageDimensions``); the solid corner markers are there for any reader that looks for them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from ..style import MM

PX_PER_PT = 2
BUBBLE = 13.0        # answer bubbles: 13 pt = 4.6 mm across (at least 4 mm, for pencil and ballpoint)
ROLL_BUBBLE = 11.5   # roll-number bubbles: 4.06 mm
ALONG = 18.5         # answer bubbles, centre to centre across a row (6.5 mm)
PITCH = 16.5         # questions, row to row (5.8 mm)
ROLL_PITCH = 13.5    # roll digits 0–9, row to row
ROLL_ACROSS = 15.0   # roll columns
NUMBER_W = 20.0      # the question number left of its bubbles
BLOCK_GAP = 17.0     # between blocks side by side
BLOCK_HEAD = 13.0    # the A B C D letters above a block
PER_BLOCK = 15       # questions in one block at most: bent paper still reads (OMRChecker's advice)
MARKER = 20.0        # solid corner squares (7 mm)
TOP = 118.0          # from the markers' top to the blocks: title, name, roll grid, series, instructions


def snap(x: float) -> float:
    """To the half-point grid (whole pixels at 144 dpi)."""
    return round(x * 2) / 2


@dataclass(frozen=True)
class Block:
    """A grid of bubbles OMRChecker reads as one field block: ``labels`` one field each (a question,
    a roll digit), ``values`` its bubbles; bubble (i, j) has its top-left corner at
    origin + j·``along`` in the bubble direction + i·``across`` in the other."""

    name: str
    labels: tuple[str, ...]      # "q1", "q2" … or "roll1" …
    values: tuple[str, ...]      # "A".."D" or "0".."9"
    x: float                     # the first bubble's top-left corner
    y: float
    size: float                  # bubble diameter
    along: float                 # between the bubbles of one field
    across: float                # between fields
    vertical: bool               # a field's bubbles run downwards (roll digits) or across (answers)
    field_type: str = ""         # OMRChecker's type: "QTYPE_MCQ4", "QTYPE_INT", or "" with values given

    def bubbles(self) -> list[tuple[str, str, float, float]]:
        """(field, value, x, y) of every bubble, top-left corners."""
        out = []
        for i, label in enumerate(self.labels):
            for j, value in enumerate(self.values):
                dx, dy = (i * self.across, j * self.along) if self.vertical else (j * self.along, i * self.across)
                out.append((label, value, self.x + dx, self.y + dy))
        return out

    @property
    def right(self) -> float:
        n, m = len(self.labels) - 1, len(self.values) - 1
        return self.x + (n * self.across if self.vertical else m * self.along) + self.size

    @property
    def bottom(self) -> float:
        n, m = len(self.labels) - 1, len(self.values) - 1
        return self.y + (m * self.along if self.vertical else n * self.across) + self.size


@dataclass(frozen=True)
class Box:
    """A box to write in, with its label above it (top-down points)."""

    x: float
    y: float
    w: float
    h: float
    label: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline, top-down
    text: str
    size: float
    bold: bool = False
    align: str = "left"  # left, centre, right


@dataclass(frozen=True)
class SheetPage:
    markers: tuple[tuple[float, float], ...]  # top-left corners of the solid squares, each MARKER wide
    blocks: tuple[Block, ...]
    boxes: tuple[Box, ...] = ()
    texts: tuple[Text, ...] = ()


@dataclass(frozen=True)
class Sheet:
    width: float
    height: float
    pages: tuple[SheetPage, ...]
    questions: int

    def answer_blocks(self) -> list[Block]:
        return [b for p in self.pages for b in p.blocks if b.field_type == "QTYPE_MCQ4"]


def _block_of(first: int, count: int, x: float, y: float) -> Block:
    labels = tuple(f"q{n}" for n in range(first, first + count))
    return Block(f"q{first}block", labels, tuple("ABCD"), snap(x + NUMBER_W), snap(y + BLOCK_HEAD), BUBBLE,
                 ALONG, PITCH, False, "QTYPE_MCQ4")


def block_width() -> float:
    return NUMBER_W + 3 * ALONG + BUBBLE


def block_height(count: int) -> float:
    return BLOCK_HEAD + (count - 1) * PITCH + BUBBLE


def sheet(width: float, height: float, box: tuple[float, float, float, float], questions: int,
          series: tuple[str, ...], title: str, code: str, digits: int = 6, text_size: float = 8.5) -> Sheet:
    """The answer sheet for ``questions`` questions on a page ``width`` × ``height`` points, inside
    ``box`` (left, top, right, bottom, top-down points): corner markers, title and code, name and
    roll-number boxes, the roll-number bubble grid, the series bubbles, then blocks of at most 15
    questions, as many side by side as fit, continued on further pages when one page cannot hold them."""
    left, top, right, bottom = box
    markers = ((left, top), (right - MARKER, top), (left, bottom - MARKER), (right - MARKER, bottom - MARKER))
    inner_r = right - MARKER - 6
    across = max(1, int((right - left + BLOCK_GAP) // (block_width() + BLOCK_GAP)))
    blocks_n = math.ceil(questions / PER_BLOCK)
    per = math.ceil(questions / blocks_n) if blocks_n else 0  # blocks filled evenly: 20 → 10 + 10
    texts = [Text((left + right) / 2, top + 12, f"ANSWER SHEET · {title}", text_size + 3, bold=True, align="centre")]
    texts.append(Text(inner_r, top + MARKER + 10, code, text_size + 2, bold=True, align="right"))
    y0 = top + MARKER + 22
    # roll number: boxes to write the digits in, and under each its column of bubbles 0–9
    roll_x = left + 4
    boxes = [Box(roll_x - 2, y0 + 8, digits * ROLL_ACROSS, 14, "Roll number")]
    roll = Block("Roll", tuple(f"roll{k}" for k in range(1, digits + 1)), tuple("0123456789"), snap(roll_x),
                 snap(y0 + 26), ROLL_BUBBLE, ROLL_PITCH, ROLL_ACROSS, True, "QTYPE_INT")
    side = roll.right + 30
    boxes.append(Box(side, y0 + 8, inner_r - side, 18, "Name"))
    letters = tuple(series) or ("A", "B", "C", "D")
    ser = Block("Series", ("series",), letters, snap(side + 2), snap(y0 + 48), BUBBLE, ALONG + 4, 0, False)
    texts.append(Text(side, y0 + 44, "Test booklet series", text_size, bold=True))
    texts += [Text(side, ser.bottom + 18 + (text_size + 3) * k, line, text_size) for k, line in enumerate((
        "Use a black or blue ballpoint pen.", "Fill one bubble completely.",
        "Write and bubble your roll number.", "Bubble your test booklet series.",
        "Do not fold; keep clear of the black squares."))]  # short lines: they fit beside the roll grid on A5
    start = max(roll.bottom, ser.bottom + 18 + 5 * (text_size + 3)) + 14
    later = top + MARKER + 24  # where blocks start on a continuation page
    limit = bottom - MARKER - 4
    # a block as tall as a continuation page can hold, at most 15 questions
    per = max(1, min(per, PER_BLOCK, int((limit - later - BLOCK_HEAD - BUBBLE) // PITCH) + 1))
    more = (Text((left + right) / 2, top + 12, f"ANSWER SHEET · {title} (continued)", text_size + 3, True,
                 "centre"), Text(inner_r, top + MARKER + 10, code, text_size + 2, True, "right"))
    pages: list[SheetPage] = []
    here: list[Block] = [roll, ser]
    y, first = start, 1
    while first <= questions:
        if y + block_height(min(per, questions - first + 1)) > limit:
            pages.append(SheetPage(markers, tuple(here), tuple(boxes) if not pages else (),
                                   tuple(texts) if not pages else more))
            here, y = [], later
        row_h = block_height(min(per, questions - first + 1))
        spare = right - left - across * block_width() - (across - 1) * BLOCK_GAP
        for k in range(across):
            if first > questions:
                break
            count = min(per, questions - first + 1)
            here.append(_block_of(first, count, left + spare / 2 + k * (block_width() + BLOCK_GAP), y))
            first += count
        y += row_h + 12
    pages.append(SheetPage(markers, tuple(here), tuple(boxes) if not pages else (),
                           tuple(texts) if not pages else more))
    return Sheet(width, height, tuple(pages), questions)


def _px(x: float) -> int:
    return round(x * PX_PER_PT)


def _labels(labels: tuple[str, ...]) -> list[str]:
    """OMRChecker's ranges: ``q1..15``; one field is its own name."""
    if len(labels) == 1:
        return [labels[0]]
    head = labels[0].rstrip("0123456789")
    return [f"{head}{labels[0][len(head):]}..{labels[-1][len(head):]}"]


def template(s: Sheet, page: int = 0) -> dict:
    """OMRChecker's template.json for one page of the sheet, from the very numbers the sheet is drawn by."""
    blocks = {}
    custom: dict[str, list[str]] = {}
    for b in s.pages[page].blocks:
        entry: dict[str, object] = {"origin": [_px(b.x), _px(b.y)], "bubblesGap": b.along * PX_PER_PT,
                                    "labelsGap": b.across * PX_PER_PT, "fieldLabels": _labels(b.labels)}
        if b.field_type:
            entry["fieldType"] = b.field_type
        else:
            entry["bubbleValues"] = list(b.values)
            entry["direction"] = "vertical" if b.vertical else "horizontal"
        if b.size != BUBBLE:
            entry["bubbleDimensions"] = [_px(b.size), _px(b.size)]
        blocks[b.name] = entry
        if b.name == "Roll":
            custom["Roll"] = _labels(b.labels)
    out: dict[str, object] = {"pageDimensions": [_px(s.width), _px(s.height)],
                              "bubbleDimensions": [_px(BUBBLE), _px(BUBBLE)]}
    if custom:
        out["customLabels"] = custom
    out["fieldBlocks"] = blocks
    out["preProcessors"] = [{"name": "CropPage", "options": {"morphKernel": [10, 10]}}]
    return out


def score(x: float) -> str:
    """A mark as OMRChecker writes it: "2", "-2/3", "-1"."""
    f = Fraction(x).limit_denominator(12)
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def evaluation(letters: list[str], right: float, wrong: float) -> dict:
    """OMRChecker's evaluation.json: the key in question order and the marking scheme."""
    n = len(letters)
    return {"source_type": "custom",
            "options": {"questions_in_order": [f"q1..{n}" if n > 1 else "q1"], "answers_in_order": letters,
                        "should_explain_scoring": True},
            "marking_schemes": {"DEFAULT": {"correct": score(right), "incorrect": score(wrong), "unmarked": "0"}}}


def mm(points: float) -> float:
    return points / MM
