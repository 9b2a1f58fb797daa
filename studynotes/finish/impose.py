"""Imposition for printing: several pages on one sheet (n-up) and saddle-stitched booklets.

Pages are scaled (never cut) into equal cells, centred, in reading order,
with thin cut marks between cells. A booklet puts two pages side by side on
landscape sheets in the order that, printed double-sided (flip on the short
edge), stacked and folded once, reads 1, 2, 3 …; it is padded with blank
pages to a multiple of four.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import PdfReadError
from reportlab.pdfgen.canvas import Canvas

from ..errors import UsageError
from ..files import read_bytes
from ..load.presets import PAPERS

GUTTER = 8.0  # points of white around each page in its cell

Size = tuple[float, float]
Cell = tuple[float, float, float, float]  # x, y, width, height on the sheet


def booklet_order(pages: int) -> list[tuple[int | None, int | None]]:
    """(left, right) page indices for each printed side, front then back of each sheet;
    None is a blank page added to reach a multiple of four."""
    n = -(-max(pages, 1) // 4) * 4
    sides = []
    for sheet in range(n // 4):
        sides.append((n - 1 - 2 * sheet, 2 * sheet))          # front
        sides.append((2 * sheet + 1, n - 2 - 2 * sheet))      # back
    return [(left if left < pages else None, right if right < pages else None) for left, right in sides]


def _cells(n: int, sheet: Size) -> tuple[Size, list[Cell]]:
    """Sheet size and the cells (x, y, w, h) in reading order for 2-up (landscape) or 4-up."""
    w, h = sheet
    if n == 2:
        w, h = h, w
        return (w, h), [(0, 0, w / 2, h), (w / 2, 0, w / 2, h)]
    if n == 4:
        return (w, h), [(0, h / 2, w / 2, h / 2), (w / 2, h / 2, w / 2, h / 2), (0, 0, w / 2, h / 2),
                        (w / 2, 0, w / 2, h / 2)]
    raise UsageError(f"--nup takes 2 or 4, not {n}")


def _place(sheet_page: PageObject, src: PageObject, cell: Cell) -> None:
    """Scale a page into a cell, centred; a page shown turned (/Rotate, as phone scans are) is turned
    the same way on the sheet."""
    x, y, cw, ch = cell
    box = src.mediabox
    pw, ph = float(box.width), float(box.height)
    turn = -(src.rotation % 360)  # /Rotate turns clockwise; Transformation.rotate counter-clockwise
    t = Transformation().translate(-float(box.left), -float(box.bottom))
    corners = [(0.0, 0.0), (pw, 0.0), (0.0, ph), (pw, ph)]
    if turn:
        t = t.rotate(turn)
        c, s_ = math.cos(math.radians(turn)), math.sin(math.radians(turn))
        corners = [(px * c - py * s_, px * s_ + py * c) for px, py in corners]
    minx, miny = min(p[0] for p in corners), min(p[1] for p in corners)
    w, h = max(p[0] for p in corners) - minx, max(p[1] for p in corners) - miny
    s = min((cw - 2 * GUTTER) / w, (ch - 2 * GUTTER) / h)
    t = t.translate(-minx, -miny).scale(s, s).translate(x + (cw - w * s) / 2, y + (ch - h * s) / 2)
    sheet_page.merge_transformed_page(src, t)


def _marks(size: Size, cells: Sequence[Cell]) -> PdfReader:
    """Thin cut marks where cells meet, at the sheet's edges."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=size, invariant=1)
    w, h = size
    c.setLineWidth(0.3)
    c.setStrokeGray(0.45)
    xs = sorted({round(x, 2) for x, _, _, _ in cells} - {0})
    ys = sorted({round(y, 2) for _, y, _, _ in cells} - {0})
    for x in xs:
        c.line(x, 0, x, 12)
        c.line(x, h - 12, x, h)
    for y in ys:
        c.line(0, y, 12, y)
        c.line(w - 12, y, w, y)
    c.showPage()
    c.save()
    return PdfReader(io.BytesIO(buf.getvalue()))


def _groups(total: int, group: int | None) -> list[range]:
    """Page ranges that must not share a sheet (one student's copy in a collated file)."""
    group = group or total or 1
    return [range(s, min(s + group, total)) for s in range(0, total, group)]


def nup_order(pages: int, n: int, group: int | None = None) -> list[list[int]]:
    """The page indices on each sheet, n at a time in reading order; a group starts a new sheet."""
    return [list(g[start:start + n]) for g in _groups(pages, group) for start in range(0, len(g), n)]


def booklet_sheets(pages: int, group: int | None = None) -> list[list[int | None]]:
    """The page indices (left, right) on each printed side: one booklet per group."""
    return [[None if i is None else g.start + i for i in side]
            for g in _groups(pages, group) for side in booklet_order(len(g))]


def nup(pdf: bytes, n: int, paper: str = "A4", group: int | None = None) -> bytes:
    """n pages (2 or 4) on each sheet of the paper, in reading order, with cut marks; with
    ``group``, every that many pages start a new sheet."""
    return _impose(pdf, n, paper, lambda pages: nup_order(pages, n, group))


def booklet(pdf: bytes, paper: str = "A4", group: int | None = None) -> bytes:
    """A saddle-stitch booklet on landscape sheets: fold the printed stack once. With ``group``,
    every that many pages make a booklet of their own (one per student in a collated file)."""
    return _impose(pdf, 2, paper, lambda pages: booklet_sheets(pages, group))


def _impose(pdf: bytes, n: int, paper: str, order: Callable[[int], Sequence[Sequence[int | None]]]) -> bytes:
    """Sheets of n cells with cut marks; ``order`` says, from the page count, which page goes in
    each cell of each sheet (None leaves a cell empty)."""
    src = PdfReader(io.BytesIO(pdf))
    size, cells = _cells(n, PAPERS[paper])
    marks = _marks(size, cells).pages[0]
    writer = PdfWriter()
    for indices in order(len(src.pages)):
        sheet = writer.add_blank_page(*size)
        for index, cell in zip(indices, cells, strict=False):  # the last sheet may be short
            if index is not None:
                _place(sheet, src.pages[index], cell)
        sheet.merge_page(marks)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def impose_file(path: Path, n: int | None, paper: str) -> tuple[bytes, int]:
    """Any PDF imposed ``n``-up, or as a booklet when ``n`` is None: the sheets and their count."""
    data = read_bytes(path)
    try:
        pages = len(PdfReader(io.BytesIO(data)).pages)
        sheets = nup(data, n, paper) if n else booklet(data, paper)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise UsageError(f"{path}: not a PDF that can be read ({exc})") from None
    return sheets, -(-pages // n) if n else len(booklet_order(pages))
