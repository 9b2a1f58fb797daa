"""Imposition for printing: several pages on one sheet (n-up) and saddle-stitched booklets.

Pages are scaled (never cut) into equal cells, centred, in reading order,
with thin cut marks between cells. A booklet puts two pages side by side on
landscape sheets in the order that, printed double-sided (flip on the short
edge), stacked and folded once, reads 1, 2, 3 …; it is padded with blank
pages to a multiple of four.

``plan`` decides where each page goes (numbers only: the visible part of each
page, its crop box, turned as a viewer shows it, and one matrix per cell);
``draw`` turns each source page into ONE form XObject and places it on its
sheet by reference, so an imposed file shares the pages' content and
resources and stays about the size of its source, however many sheets a
collated class file makes.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import FileNotDecryptedError, PyPdfError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    RectangleObject,
    StreamObject,
)

from ..errors import UsageError
from ..files import read_bytes
from ..load.presets import PAPERS

GUTTER = 8.0  # points of white around each page in its cell
MARK = 12.0   # length of a cut mark from the sheet's edge

Size = tuple[float, float]
Cell = tuple[float, float, float, float]  # x, y, width, height on the sheet
Matrix = tuple[float, float, float, float, float, float]  # a b c d e f, as the PDF ``cm`` operator takes it
Order = Callable[[int], Sequence[Sequence[int | None]]]
Step = Callable[[int], None]

# /Rotate (clockwise, as a viewer turns the page) as the matrix that turns a box of width w and height h
# lying at the origin, and whether it swaps width and height.
_TURNS: dict[int, Callable[[float, float], Matrix]] = {
    0: lambda w, h: (1, 0, 0, 1, 0, 0),
    90: lambda w, h: (0, -1, 1, 0, 0, w),
    180: lambda w, h: (-1, 0, 0, -1, w, h),
    270: lambda w, h: (0, 1, -1, 0, h, 0),
}


# -- the plan: where every page goes, as numbers -----------------------------------------------------------

@dataclass(frozen=True)
class PageBox:
    """What a viewer shows of a source page: its crop box (inside its media box) in the page's own
    units, and the page's /Rotate (0, 90, 180 or 270, clockwise)."""

    left: float
    bottom: float
    width: float
    height: float
    rotate: int = 0

    @property
    def shown(self) -> Size:
        """The size the page is seen at, turned."""
        return (self.height, self.width) if self.rotate in (90, 270) else (self.width, self.height)


@dataclass(frozen=True)
class Placement:
    """One page on a sheet: which page, and the matrix from its own space onto the sheet."""

    page: int
    cell: int
    matrix: Matrix
    scale: float


@dataclass(frozen=True)
class ImposePlan:
    size: Size                                   # every sheet's size
    cells: tuple[Cell, ...]
    sheets: tuple[tuple[Placement, ...], ...]    # the pages on each sheet


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


def place(box: PageBox, cell: Cell) -> tuple[Matrix, float]:
    """The matrix that shows the page's crop box turned as a viewer shows it, scaled to fit the cell
    inside the gutter and centred in it; and the scale."""
    x, y, cw, ch = cell
    w, h = box.shown
    s = min((cw - 2 * GUTTER) / w, (ch - 2 * GUTTER) / h)
    a, b, c, d, e, f = _TURNS[box.rotate](box.width, box.height)
    e -= a * box.left + c * box.bottom  # the crop box's corner to the origin first
    f -= b * box.left + d * box.bottom
    tx, ty = x + (cw - w * s) / 2, y + (ch - h * s) / 2
    return (a * s, b * s, c * s, d * s, e * s + tx, f * s + ty), s


def plan(boxes: Sequence[PageBox], n: int, paper: str, order: Order) -> ImposePlan:
    """Every sheet: ``order`` says, from the page count, which page goes in each cell (None leaves it empty)."""
    size, cells = _cells(n, PAPERS[paper])
    sheets = []
    for indices in order(len(boxes)):
        placed = []
        for k, (index, cell) in enumerate(zip(indices, cells, strict=False)):  # the last sheet may be short
            if index is not None:
                matrix, scale = place(boxes[index], cell)
                placed.append(Placement(index, k, matrix, scale))
        sheets.append(tuple(placed))
    return ImposePlan(size, tuple(cells), tuple(sheets))


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


def marks(size: Size, cells: Sequence[Cell]) -> list[tuple[float, float, float, float]]:
    """Thin cut marks (x0, y0, x1, y1) where cells meet, at the sheet's edges."""
    w, h = size
    xs = sorted({round(x, 2) for x, _, _, _ in cells} - {0})
    ys = sorted({round(y, 2) for _, y, _, _ in cells} - {0})
    return ([(x, 0, x, MARK) for x in xs] + [(x, h - MARK, x, h) for x in xs]
            + [(0, y, MARK, y) for y in ys] + [(w - MARK, y, w, y) for y in ys])


# -- reading a source: its boxes, or a clear error --------------------------------------------------------

@contextmanager
def quiet_pypdf() -> Iterator[list[str]]:
    """pypdf's own warnings (``EOF marker not found``, ``invalid pdf header``) are not for the user
    as they are: they are collected here, so an error can say what went wrong in its own words."""
    heard: list[str] = []

    class _Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            heard.append(record.getMessage())

    log = logging.getLogger("pypdf")
    handler, propagate = _Keep(), log.propagate
    log.addHandler(handler)
    log.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.showwarning = lambda message, *_, **__: heard.append(str(message))
            yield heard
    finally:
        log.removeHandler(handler)
        log.propagate = propagate


class PageError(ValueError):
    """A page no viewer can show as it is (its message names the page)."""


def _rect(page: PageObject, key: str) -> tuple[float, float, float, float] | None:
    value = page.get(key)
    if value is None:
        return None
    x0, y0, x1, y1 = (float(v) for v in cast(ArrayObject, value.get_object()))
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def page_box(page: PageObject, number: int) -> PageBox:
    """The part of the page a viewer shows: the crop box clipped to the media box, turned by /Rotate.
    A page that shows nothing, or turned by other than a multiple of 90°, is a PageError."""
    media = _rect(page, "/MediaBox") or (0.0, 0.0, 612.0, 792.0)  # the PDF default, US Letter
    crop = _rect(page, "/CropBox") or media
    x0, y0 = max(media[0], crop[0]), max(media[1], crop[1])
    x1, y1 = min(media[2], crop[2]), min(media[3], crop[3])
    if x1 - x0 < 1 or y1 - y0 < 1:
        raise PageError(f"page {number} shows nothing: its crop box and media box do not overlap")
    rotate = page.get("/Rotate", 0)
    rotate = rotate.get_object() if isinstance(rotate, IndirectObject) else rotate
    if not isinstance(rotate, (int, float)) or rotate % 90:
        raise PageError(f"page {number} has /Rotate {rotate}; a page can only be turned by a multiple of 90°")
    return PageBox(x0, y0, x1 - x0, y1 - y0, int(rotate) % 360)


# -- drawing: one form XObject per source page, placed by reference ----------------------------------------

def _register(writer: PdfWriter, obj: PdfObject) -> IndirectObject:
    """An object of the writer's file; see ``stamp._register`` for why the private call."""
    return writer._add_object(obj)


def _streams(page: PageObject) -> list[StreamObject]:
    contents = page.get("/Contents")
    if contents is None:
        return []
    obj = contents.get_object()
    items = list(obj) if isinstance(obj, ArrayObject) else [obj]
    return [s for s in (i.get_object() for i in items) if isinstance(s, StreamObject)]


def page_form(writer: PdfWriter, page: PageObject, box: PageBox) -> IndirectObject:
    """The page as one form XObject of the writer's file: its content (kept encoded where it is one
    stream), its resources (shared with every other page that uses them) and its crop box as the
    form's bounding box."""
    streams = _streams(page)
    if len(streams) == 1:
        form = cast(StreamObject, streams[0].clone(writer, force_duplicate=True))
    else:
        joined = DecodedStreamObject()
        joined.set_data(b"\n".join(s.get_data() for s in streams))
        form = joined.flate_encode()
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = RectangleObject([box.left, box.bottom, box.left + box.width,
                                                 box.bottom + box.height])
    resources = page.get("/Resources")
    form[NameObject("/Resources")] = (resources.get_object().clone(writer) if resources is not None
                                      else DictionaryObject())
    if "/Group" in page:  # a transparency group the page's content relies on
        form[NameObject("/Group")] = page["/Group"].clone(writer)
    made = getattr(form, "indirect_reference", None)  # a clone is already an object of the writer's file
    return made if made is not None and made.pdf is writer else _register(writer, form)


def _canon(obj: object, depth: int = 0) -> object:
    """A hashable stand-in for a resources value: references by number, direct values by content."""
    if isinstance(obj, IndirectObject):
        return ("ref", obj.idnum, obj.generation)
    if depth > 4:
        return ("deep", id(obj))  # never equal to another: no sharing, never a wrong sharing
    if isinstance(obj, DictionaryObject):
        return tuple(sorted((str(k), _canon(v, depth + 1)) for k, v in obj.items()))
    if isinstance(obj, ArrayObject):
        return tuple(_canon(v, depth + 1) for v in obj)
    if isinstance(obj, StreamObject):
        return ("stream", id(obj))
    return (type(obj).__name__, str(obj))


def form_key(page: PageObject, box: PageBox) -> object:
    """Pages with the same content streams, resources and box make the same form: the one made for
    the first is used for the others (the pages of a file that repeats one page)."""
    contents = page.get("/Contents")
    items = contents.get_object() if contents is not None else ArrayObject()
    refs = list(items) if isinstance(items, ArrayObject) else [contents]
    if not all(isinstance(r, IndirectObject) for r in refs):
        return ("page", id(page))
    return (_canon(ArrayObject(refs)), _canon(page.get("/Resources")), _canon(page.get("/Group")), box)


def _stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    s = DecodedStreamObject()
    s.set_data(data)
    return _register(writer, s)


def _num(v: float) -> str:
    return f"{v:.5f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))


_ONLY_FORMS = re.compile(rb"(?:\s*/[^\s/\[\]()<>{}%#]+\s+Do)+\s*")
_NAME = re.compile(rb"/([^\s/\[\]()<>{}%#]+)\s+Do")


def inner_forms(page: PageObject, box: PageBox) -> list[IndirectObject] | None:
    """The form XObjects a page does nothing but place, in order (a page of a collated class file
    places the pack's page and the student's stamp), when each lies inside the page's box: the sheet
    can place them itself, without a form of its own for the page. None for any other page."""
    streams = _streams(page)
    if len(streams) != 1 or "/Group" in page:
        return None
    data = streams[0].get_data()
    resources = page.get("/Resources")
    res = resources.get_object() if resources is not None else None
    if len(data) > 512 or not _ONLY_FORMS.fullmatch(data) or not isinstance(res, DictionaryObject) \
            or set(res) - {"/XObject", "/ProcSet"}:
        return None
    named = res.get("/XObject")
    named = named.get_object() if named is not None else None
    if not isinstance(named, DictionaryObject):
        return None
    refs = [named.get("/" + name.decode("latin-1")) for name in _NAME.findall(data)]
    ok = all(isinstance(r, IndirectObject) and _inside(r.get_object(), box) for r in refs)
    return cast(list[IndirectObject], refs) if ok else None


def _inside(form: PdfObject | None, box: PageBox) -> bool:
    """A form drawn as it is (no /Matrix) whose bounding box lies inside the page's box."""
    if not isinstance(form, StreamObject) or form.get("/Subtype") != "/Form" or "/Matrix" in form:
        return False
    bbox = form.get("/BBox")
    if not isinstance(bbox, ArrayObject) or len(bbox) != 4:
        return False
    x0, y0, x1, y1 = (float(v) for v in bbox)
    eps = 0.01
    return (min(x0, x1) >= box.left - eps and min(y0, y1) >= box.bottom - eps
            and max(x0, x1) <= box.left + box.width + eps and max(y0, y1) <= box.bottom + box.height + eps)


class _Sheets:
    """Writes the sheets: each source page's form made once (or the forms it places, used as they
    are), each distinct sheet content stream written once."""

    def __init__(self, src: PdfReader, boxes: Sequence[PageBox], marks_ops: bytes):
        self.writer = PdfWriter()
        self.src, self.boxes, self.marks_ops = src, boxes, marks_ops
        self.forms: dict[object, IndirectObject] = {}
        self.streams: dict[bytes, IndirectObject] = {}

    def shown(self, index: int) -> list[IndirectObject]:
        """The forms that show one source page."""
        page, box = self.src.pages[index], self.boxes[index]
        inner = inner_forms(page, box)
        if inner is not None:
            return [ref.clone(self.writer) for ref in inner]
        key = form_key(page, box)
        if key not in self.forms:
            self.forms[key] = page_form(self.writer, page, box)
        return [self.forms[key]]

    def stream(self, data: bytes) -> IndirectObject:
        if data not in self.streams:
            self.streams[data] = _stream(self.writer, data)
        return self.streams[data]

    def sheet(self, size: Size, placements: Sequence[Placement]) -> None:
        page = self.writer.add_blank_page(*size)
        xobjects = DictionaryObject()
        ops = []
        for placed in placements:
            names = []
            for k, form in enumerate(self.shown(placed.page)):
                name = f"/SnPage{placed.cell}" + (f"x{k}" if k else "")
                xobjects[NameObject(name)] = form
                names.append(f"{name} Do")
            ops.append(f"q {' '.join(_num(v) for v in placed.matrix)} cm {' '.join(names)} Q\n")
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjects})
        page[NameObject("/Contents")] = self.stream("".join(ops).encode() + self.marks_ops)

    def pdf(self) -> bytes:
        out = io.BytesIO()
        self.writer.write(out)
        return out.getvalue()


def _marks_ops(size: Size, cells: Sequence[Cell]) -> bytes:
    """The cut marks, in PDF operators."""
    lines = [f"{_num(a)} {_num(b)} m {_num(c)} {_num(d)} l S" for a, b, c, d in marks(size, cells)]
    return ("q 0.3 w 0.45 G\n" + "\n".join(lines) + "\nQ\n").encode()


def draw(p: ImposePlan, src: PdfReader, boxes: Sequence[PageBox], step: Step | None = None) -> bytes:
    """The sheets of the plan: each page placed by its matrix, then the cut marks."""
    sheets = _Sheets(src, boxes, _marks_ops(p.size, p.cells))
    for placements in p.sheets:
        sheets.sheet(p.size, placements)
        if step is not None:
            step(1)
    return sheets.pdf()


def _impose(pdf: bytes, n: int, paper: str, order: Order, step: Step | None = None) -> bytes:
    src = PdfReader(io.BytesIO(pdf))
    boxes = [page_box(page, k + 1) for k, page in enumerate(src.pages)]
    return draw(plan(boxes, n, paper, order), src, boxes, step)


def nup(pdf: bytes, n: int, paper: str = "A4", group: int | None = None, step: Step | None = None) -> bytes:
    """n pages (2 or 4) on each sheet of the paper, in reading order, with cut marks; with
    ``group``, every that many pages start a new sheet. ``step(1)`` after each sheet."""
    with quiet_pypdf():
        return _impose(pdf, n, paper, lambda pages: nup_order(pages, n, group), step)


def booklet(pdf: bytes, paper: str = "A4", group: int | None = None, step: Step | None = None) -> bytes:
    """A saddle-stitch booklet on landscape sheets: fold the printed stack once. With ``group``,
    every that many pages make a booklet of their own (one per student in a collated file)."""
    with quiet_pypdf():
        return _impose(pdf, 2, paper, lambda pages: booklet_sheets(pages, group), step)


# -- any PDF the user names ---------------------------------------------------------------------------------

_SAID = {  # pypdf's warnings that explain a failure, in the user's words
    "invalid pdf header": "it does not start like a PDF",
    "EOF marker not found": "it is cut short (no end-of-file marker)",
}


def _reason(exc: Exception, heard: list[str]) -> str:
    if isinstance(exc, FileNotDecryptedError):
        return "it is locked with a password; save a copy without one"
    for message in heard:
        for start, said in _SAID.items():
            if message.startswith(start):
                return said
    return str(exc)


def impose_file(path: Path, n: int | None, paper: str) -> tuple[bytes, int]:
    """Any PDF imposed ``n``-up, or as a booklet when ``n`` is None: the sheets and their count."""
    data = read_bytes(path)
    order: Order = (lambda pages: nup_order(pages, n)) if n else booklet_sheets
    with quiet_pypdf() as heard:
        try:
            src = PdfReader(io.BytesIO(data))
            boxes = [page_box(page, k + 1) for k, page in enumerate(src.pages)]
            if not boxes:
                raise UsageError(f"{path} has no pages")
            p = plan(boxes, n or 2, paper, order)
            sheets = draw(p, src, boxes)
        except PageError as exc:
            raise UsageError(f"{path}: {exc}") from None
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:  # pypdf on a broken file
            raise UsageError(f"{path}: not a PDF that can be read ({_reason(exc, heard)})") from None
    return sheets, len(p.sheets)
