"""The calibration sheet for two-sided flashcards: how far a printer puts the backs off.

Printers misregister backs by 1–4 mm, differently per tray and paper. The
sheet has a grid of crosshairs on the front; on the back, exactly behind
each crosshair as a perfect printer would print it, a small square moved by
the offset its row and column name (−3 to +3 mm in 0.5 mm steps, right and
up as seen on the back). Held to the light, back towards you, the square
that sits on its crosshair names the ``--back-offset`` that cancels the
printer's error. ``plan`` places everything; ``draw`` strokes it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from .. import text
from ..load.presets import PAPERS
from ..style import HOUSE, MM
from .cards import DUPLEX, Rect, behind, mirror_x

STEPS = tuple(k / 2 for k in range(-6, 7))   # −3 … +3 mm
CROSS = 2.5 * MM     # half the crosshair's arm
SQUARE = 2.0 * MM    # the square's side
SIZE = 7.0           # labels


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    size: float = SIZE
    bold: bool = False


@dataclass(frozen=True)
class CalibrationPlan:
    pagesize: tuple[float, float]
    flip: str
    crosses: tuple[tuple[float, float], ...]            # front: centres
    squares: tuple[tuple[float, float, str], ...]       # back: centres moved by their offset, and the offset
    front: tuple[Label, ...]
    back: tuple[Label, ...]
    cell: float
    grid: tuple[float, float, float, float]             # back: the cells' outer edges (x0, y0, x1, y1)


def plan(paper: str = "A4", flip: str = "long") -> CalibrationPlan:
    """The grid fills the page inside 15 mm margins, at most 12 mm a cell."""
    pagesize = PAPERS[paper]
    w, h = pagesize
    n = len(STEPS)
    cell = min(12 * MM, (w - 30 * MM) / (n + 1), (h - 75 * MM) / (n + 1))
    x0 = (w - n * cell) / 2 + cell / 2           # back-side centres, as the back is seen
    y_top = h - 45 * MM - cell / 2
    across = mirror_x(pagesize, flip)
    crosses, squares, back = [], [], []
    for i, oy in enumerate(reversed(STEPS)):     # +3 at the top: up is up
        for j, ox in enumerate(STEPS):
            bx, by = x0 + j * cell, y_top - i * cell
            spot = behind(_pt(bx, by), pagesize, across)  # the front place this back place lies behind
            crosses.append((spot.x, spot.y))
            squares.append((bx + ox * MM, by + oy * MM, f"{_signed(ox)},{_signed(oy)}"))
    for j, ox in enumerate(STEPS):
        label = _signed(ox)
        back.append(Label(x0 + j * cell - text.width(label, SIZE) / 2, y_top + cell * 0.8, label))
    for i, oy in enumerate(reversed(STEPS)):
        label = _signed(oy)
        back.append(Label(x0 - cell * 0.75 - text.width(label, SIZE), y_top - i * cell - SIZE * 0.35, label))
    say_back = ("Back side. Hold the sheet to the light, this side towards you. Find the square that sits "
                "exactly on its cross:")
    say_back2 = "its column is X, its row is Y. Build with --back-offset X,Y (or back-offset: [X, Y] in the preset)."
    back += [Label(15 * MM, h - 15 * MM, "Flashcards: printer calibration (back)", 11, True),
             Label(15 * MM, h - 21 * MM, text.fit(say_back, SIZE + 1, w - 30 * MM), SIZE + 1),
             Label(15 * MM, h - 25.5 * MM, text.fit(say_back2, SIZE + 1, w - 30 * MM), SIZE + 1),
             Label(x0 + (n - 1) * cell / 2 - text.width("X: mm right", SIZE) / 2, y_top + cell * 1.6, "X: mm right"),
             Label(15 * MM, y_top - (n - 1) * cell - cell * 1.3, "Y: mm up (rows)", SIZE)]
    where = "long" if flip == "long" else "short"
    front = (Label(15 * MM, h - 15 * MM, "Flashcards: printer calibration (front)", 11, True),
             Label(15 * MM, h - 21 * MM, f"Print at actual size (no fit to page), two-sided, flip on {where} edge, "
                   "from the tray and paper you use for cards.", SIZE + 1),
             Label(15 * MM, h - 25.5 * MM, "Then turn the sheet over: the back says how to read it.", SIZE + 1))
    edges = (x0 - cell / 2, y_top - (n - 0.5) * cell, x0 + (n - 0.5) * cell, y_top + cell / 2)
    return CalibrationPlan(pagesize, flip, tuple(crosses), tuple(squares), front, tuple(back), cell, edges)


def _signed(mm: float) -> str:
    return "0" if mm == 0 else f"{mm:+g}"


def _pt(x: float, y: float) -> Rect:
    return Rect(x, y, 0, 0)


def draw(p: CalibrationPlan) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=p.pagesize, invariant=1)
    c.setTitle("Flashcards: printer calibration")
    c.setCreator("studynotes cards-calibrate")
    c.setViewerPreference("Duplex", DUPLEX[p.flip])
    c.setViewerPreference("PrintScaling", "None")
    ink, muted = HexColor(HOUSE.text), HexColor(HOUSE.muted)
    for label in p.front:
        text.draw(c, label.x, label.y, label.text, label.size, ink, bold=label.bold)
    c.setLineWidth(0.3)
    c.setStrokeColor(ink)
    for x, y in p.crosses:
        c.line(x - CROSS, y, x + CROSS, y)
        c.line(x, y - CROSS, x, y + CROSS)
    c.showPage()
    for label in p.back:
        text.draw(c, label.x, label.y, label.text, label.size, ink if label.bold else muted, bold=label.bold)
    gx0, gy0, gx1, gy1 = p.grid  # faint cells, so each square is seen in its row and column
    c.setLineWidth(0.25)
    c.setStrokeColor(HexColor(HOUSE.rule))
    for k in range(len(STEPS) + 1):
        c.line(gx0 + k * p.cell, gy0, gx0 + k * p.cell, gy1)
        c.line(gx0, gy0 + k * p.cell, gx1, gy0 + k * p.cell)
    c.setLineWidth(0.3)
    c.setStrokeColor(ink)
    for x, y, _ in p.squares:
        c.rect(x - SQUARE / 2, y - SQUARE / 2, SQUARE, SQUARE, stroke=1, fill=0)
    c.showPage()
    c.save()
    return buf.getvalue()


def sheet(paper: str = "A4", flip: str = "long") -> bytes:
    """The two-page calibration PDF."""
    return draw(plan(paper, flip))
