"""Formulas: TeX → ziamath's glyph outlines → vector paths on the ReportLab canvas, in every kind.

ziamath (pure Python, its own STIX Two Math font, no TeX) lays a formula out
as SVG; with its plain-path output (``svg2`` off) that is nothing but
``<path d>`` of absolute ``M L Q Z`` commands and ``<rect>`` rules, baseline
at y = 0, one unit a point at the size asked. Those map one to one onto
canvas paths (each quadratic becomes a cubic), so formulas stay vector and
print sharp; no SVG converter is needed.

A formula reads as its TeX source: it is drawn inside a marked-content span
whose ``/ActualText`` is the source, holding the source as invisible text
squeezed into the formula's box, so pdfium (ActualText) and pypdf (the
invisible text) both extract ``\\frac{1}{2}mv^2`` where it stands, and
searching "frac" finds it.

In a paragraph a formula is an ``<img>`` of ReportLab's paragraph markup:
the paragraph reserves its box on the line (wrapped like a word, placed after
justification, lines made taller for it), and the canvas, asked to draw that
image, draws the formula instead. ``markup`` gives the placeholder (the
Writer of render/common.py uses it for every formula run); every Paragraph
sizes its placeholders for its font size as it is made (``fill``). So any
engine that sets notes text as Paragraphs prints formulas, with no code of
its own. Three ReportLab methods are wrapped for that, at the end of this
module, and act on this module's placeholders only: ``Paragraph.__init__``,
``Canvas.drawImage`` and ``Canvas.beginText``.

Outlines are made once per (source, display or inline, engine version) at a
reference size and scaled (layout is linear in the size): kept in memory for
the process (a ``watch`` rebuild sets none again) and, given ``use_disk``, in
a JSON file that another process reads without importing ziamath at all.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import re
import struct
import warnings
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import FILL_NON_ZERO, Canvas
from reportlab.platypus import Paragraph

from . import fonts
from .errors import Loc, NotesError, Problem, StudyNotesError
from .files import write_atomic
from .markup import DISPLAY, Run

MIN_SCALE = 0.8  # a display formula is shrunk to its column down to 80 % of the body size, never further


class FormulaError(ValueError):
    """A formula the engine could not set (the notes loader has checked the TeX, so this is rare)."""


@dataclass(frozen=True)
class Outline:
    """A formula as the engine lays it out at the reference size (``REF`` points), baseline at y = 0,
    y upwards. Layout is linear in the size (scripts have a floor, ``MIN_SCRIPT``), so one outline
    serves every size."""

    tex: str
    display: bool
    width: float
    ascent: float    # above the baseline
    descent: float   # below the baseline, positive
    ops: tuple[tuple[float | str, ...], ...]  # ("M", x, y), ("L", x, y), ("C", x1, y1, x2, y2, x, y), ("Z",)
    rects: tuple[tuple[float, float, float, float], ...]  # x, y (bottom), width, height

    def to_json(self) -> list[Any]:
        return [self.tex, self.display, self.width, self.ascent, self.descent,
                [list(o) for o in self.ops], [list(r) for r in self.rects]]

    @classmethod
    def from_json(cls, v: list[Any]) -> Outline:
        return cls(v[0], v[1], v[2], v[3], v[4], tuple(tuple(o) for o in v[5]), tuple(tuple(r) for r in v[6]))


@dataclass(frozen=True)
class Formula:
    """A formula at one size, in points: its box and its outline scaled."""

    outline: Outline
    size: float

    @property
    def tex(self) -> str:
        return self.outline.tex

    @property
    def display(self) -> bool:
        return self.outline.display

    @property
    def factor(self) -> float:
        return self.size / REF

    @property
    def width(self) -> float:
        return self.outline.width * self.factor

    @property
    def ascent(self) -> float:
        return self.outline.ascent * self.factor

    @property
    def descent(self) -> float:
        return self.outline.descent * self.factor

    @property
    def height(self) -> float:
        return self.ascent + self.descent


# ------------------------------------------------------------------ layout (ziamath → paths), cached

REF = 100.0       # the size outlines are made at
MIN_SCRIPT = 0.5  # scripts of scripts never below half the size: legible in a 7 pt mind-map label
_NUMBER = re.compile(r"[A-Za-z]|-?[0-9.]+(?:e-?\d+)?")
_disk: dict[str, Any] = {"path": None, "entries": {}, "dirty": False}


def key(tex: str, display: bool) -> str:
    return hashlib.sha1(f"{engine()}\0{REF}\0{MIN_SCRIPT}\0{tex}\0{display}".encode()).hexdigest()[:20]


@functools.cache
def engine() -> str:
    """The installed engine's versions, from the names of its packages' metadata folders (reading the
    metadata itself costs 70 ms; importing ziamath 100 ms, which a rebuild from the cache never pays)."""
    out = []
    for name in ("ziamath", "ziafont", "latex2mathml"):
        spec = importlib.util.find_spec(name)
        site = Path(spec.origin).parent.parent if spec is not None and spec.origin else None
        found = sorted(p.name for p in site.glob(f"{name}-*.dist-info")) if site is not None else []
        out.append(found[-1].removesuffix(".dist-info") if found else f"{name}-?")
    return ", ".join(out)


@functools.cache
def _ziamath() -> Any:
    """ziamath, imported on the first formula that is not in the cache, set up for plain paths."""
    with warnings.catch_warnings():  # it finds its font with importlib.resources' deprecated path()
        warnings.simplefilter("ignore", DeprecationWarning)
        import ziafont
        import ziamath
    ziamath.config.svg2 = False  # a plain <path> per glyph, no <symbol>/<use>: what maps onto canvas paths
    ziafont.config.svg2 = False
    ziamath.config.math.fontsize = REF  # ziamath's floor for scripts is minsizefraction × this size
    ziamath.config.minsizefraction = MIN_SCRIPT
    return ziamath


def layout(tex: str, size: float, display: bool = False) -> Formula:
    """The formula set at ``size`` points: text style inline, display style for display formulas."""
    return Formula(outline(tex, display), size)


@functools.lru_cache(maxsize=4096)
def outline(tex: str, display: bool = False) -> Outline:
    """The formula's outline, from the disk cache or from the engine."""
    k = key(tex, display)
    cached = _disk["entries"].get(k)
    if cached is not None:
        return Outline.from_json(cached)
    try:
        svg = _ziamath().Latex(tex, size=REF, inline=not display, margin=0).svg()
    except Exception as exc:  # noqa: BLE001 (ziamath raises what its parsers raise)
        raise FormulaError(f"cannot be set ({type(exc).__name__}{': ' if str(exc) else ''}{exc})") from exc
    o = _from_svg(tex, display, svg)
    if _disk["path"] is not None:
        _disk["entries"][k] = o.to_json()
        _disk["dirty"] = True
    return o


def _from_svg(tex: str, display: bool, svg: str) -> Outline:
    root = ET.fromstring(svg)
    vx, vy, vw, vh = (float(v) for v in root.attrib["viewBox"].split())
    ops: list[tuple[float | str, ...]] = []
    rects: list[tuple[float, float, float, float]] = []
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "path":
            ops += _path_ops(el.attrib.get("d", ""), vx)
        elif tag == "rect":
            x, y = float(el.attrib.get("x", 0)), float(el.attrib.get("y", 0))
            w, h = float(el.attrib.get("width", 0)), float(el.attrib.get("height", 0))
            rects.append((round(x - vx, 2), round(-(y + h), 2), round(w, 2), round(h, 2)))
    return Outline(tex, display, round(vw, 3), round(-vy, 3), round(vy + vh, 3), tuple(ops), tuple(rects))


def _path_ops(d: str, vx: float) -> list[tuple[float | str, ...]]:
    """SVG path data (absolute M L Q Z, y down) as canvas operations (y up, x from the formula's left edge)."""
    out: list[tuple[float | str, ...]] = []
    tokens = _NUMBER.findall(d)
    i, x, y = 0, 0.0, 0.0

    def pt(k: int) -> tuple[float, float]:
        return float(tokens[k]) - vx, -float(tokens[k + 1])

    while i < len(tokens):
        cmd = tokens[i]
        if cmd in ("M", "L"):
            x, y = pt(i + 1)
            out.append((cmd, round(x, 2), round(y, 2)))
            i += 3
        elif cmd == "Q":
            (qx, qy), (ex, ey) = pt(i + 1), pt(i + 3)
            c1 = (x + 2 / 3 * (qx - x), y + 2 / 3 * (qy - y))
            c2 = (ex + 2 / 3 * (qx - ex), ey + 2 / 3 * (qy - ey))
            out.append(("C", *(round(v, 2) for v in (*c1, *c2, ex, ey))))
            x, y = ex, ey
            i += 5
        elif cmd == "Z":
            out.append(("Z",))
            i += 1
        else:
            raise FormulaError(f"the engine drew a path command '{cmd}' this module does not know")
    return out


def use_disk(path: Path | None) -> None:
    """Keep layouts in ``path`` (a JSON file beside the build record) across processes; None: memory only."""
    _disk["path"], _disk["entries"], _disk["dirty"] = path, {}, False
    if path is not None:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            if data.get("engine") == engine():
                _disk["entries"] = data["formulas"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass


def save_disk() -> None:
    """Write the layouts made since ``use_disk`` (atomically; a lost race only loses a cache)."""
    path = _disk["path"]
    if path is None or not _disk["dirty"]:
        return
    path = Path(path)
    try:  # what another worker saved meanwhile is kept (ours wins where both set one formula)
        found = json.loads(path.read_text(encoding="utf-8"))
        if found.get("engine") == engine() and isinstance(found.get("formulas"), dict):
            _disk["entries"] = {**found["formulas"], **_disk["entries"]}
    except (OSError, ValueError, AttributeError):
        pass
    data = json.dumps({"engine": engine(), "formulas": _disk["entries"]}, separators=(",", ":")).encode()
    try:
        write_atomic(path, data)  # its temporary file is one a killed build's next run removes
        _disk["dirty"] = False
    except (OSError, StudyNotesError):
        pass


# ------------------------------------------------------------------ drawing


def draw(canvas: Canvas, f: Formula, x: float, y: float, scale: float = 1.0, ink: Any = None) -> None:
    """Draw the formula with its baseline's left end at (x, y), ``scale`` times its size, with its TeX
    as the text a reader extracts (for engines that place formulas themselves)."""
    canvas.saveState()
    if ink is not None:
        canvas.setFillColor(ink)
    _paths(canvas, f, x, y, scale)
    canvas.restoreState()
    tx = canvas.beginText(x, y)
    _source(tx, f, x, y, scale)
    canvas.drawText(tx)


def _paths(canvas: Canvas, f: Formula, x: float, y: float, scale: float) -> None:
    k = f.factor * scale
    o = f.outline
    if o.ops:
        p = canvas.beginPath()
        for op in o.ops:
            c = op[0]
            v = [float(n) * k for n in op[1:]]
            if c == "M":
                p.moveTo(x + v[0], y + v[1])
            elif c == "L":
                p.lineTo(x + v[0], y + v[1])
            elif c == "C":
                p.curveTo(x + v[0], y + v[1], x + v[2], y + v[3], x + v[4], y + v[5])
            else:
                p.close()
        canvas.drawPath(p, stroke=0, fill=1, fillMode=FILL_NON_ZERO)
    for rx, ry, rw, rh in o.rects:
        canvas.rect(x + rx * k, y + ry * k, rw * k, rh * k, stroke=0, fill=1)


def actual_text(text: str) -> str:
    """A PDF text string (UTF-16BE with its byte-order mark) for /ActualText."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _source(tx: Any, f: Formula, x: float, y: float, scale: float, leading: float | None = None) -> None:
    """The TeX source as invisible text over the formula's box, inside an /ActualText span, written
    into a text object (a paragraph's own, so that the source stands where the formula reads). The
    font is set with the text object's ``leading``: a subset switch writes it, and the paragraph's
    next line moves down by it."""
    size = max(f.size * scale, 1.0)
    natural = stringWidth(f.tex, fonts.BODY, size)
    squeeze = max(1.0, min(100.0, 100 * f.width * scale / natural)) if natural else 100.0
    tx._code.append(f"/Span <</ActualText {actual_text(f.tex)}>> BDC")
    tx.setTextRenderMode(3)
    tx.setFont(fonts.BODY, size, leading)
    tx._code.append(f"{squeeze:.2f} Tz")
    tx.setTextOrigin(x, y)
    tx._textOut(f.tex)
    tx._code.append("100 Tz")
    tx.setTextRenderMode(0)
    tx._code.append("EMC")


# ------------------------------------------------------------------ formulas inside paragraphs

_registry: dict[tuple[str, bool, str, str], int] = {}  # (tex, display, head, tail) → number in the placeholder
_by_number: list[tuple[str, bool, str, str]] = []
TAIL = re.compile(r"[,.;:!?)\]’”%]+(?=\s|$)")  # punctuation right after a formula: kept on its line
HEAD = re.compile(r"(?:(?<=\s)|^)[(\[‘“]+$")   # and right before it


def _number(tex: str, display: bool, head: str = "", tail: str = "") -> int:
    k = (tex, display, head, tail)
    if k not in _registry:
        _registry[k] = len(_by_number) + 1
        _by_number.append(k)
    return _registry[k]


PLACEHOLDER = Path(__file__).with_name("formula-placeholder.png")


def placeholder() -> str:
    """A 1×1 transparent PNG the paragraph parser can open (its ``<img>`` needs a readable file, and
    takes no data URI); the formula is drawn in its place. Shipped with the package
    (``_one_pixel_png`` makes it; a test checks the two agree)."""
    return str(PLACEHOLDER)


def _one_pixel_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)  # 1×1, 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0\0")) \
        + chunk(b"IEND", b"")


_locs: dict[int, Loc] = {}  # where each numbered formula is written, for an error found while laying it out


def markup(run: Run, before: bool, after: bool, head: str = "", tail: str = "", loc: Loc | None = None) -> str:
    """Paragraph markup for a formula run: a placeholder image numbered by the formula, which every
    Paragraph sizes for its font size as it is made (``fill``). A display formula stands on a line of
    its own, so it breaks the line before and after it when text stands there. ``tail``: punctuation
    right after an inline formula (``head``: right before it), drawn with it in the text font so that
    no line starts with a comma or ends with a bracket. ``loc``: where the formula is written."""
    display = run.math == DISPLAY
    number = _number(run.text, display, head, tail)
    if loc is not None:
        _locs.setdefault(number, loc)
    img = f'<img src="{placeholder()}" width="{number}" height="1" valign="0"/>'
    if not display:
        return img
    return ("<br/>" if before else "") + img + ("<br/>" if after else "")


def has_formula(markup_text: str) -> bool:
    return "<img " in markup_text and placeholder() in markup_text


def locate(topic: Any, run: Run) -> Loc | None:
    """Where a formula is written in the notes: the first text of the topic that holds it."""
    return _find(topic, f"$${run.text}$$" if run.math == DISPLAY else f"${run.text}$")


def _find(obj: Any, needle: str) -> Loc | None:
    if isinstance(obj, (tuple, list)):
        for item in obj:
            hit = _find(item, needle)
            if hit is not None:
                return hit
        return None
    fields = getattr(obj, "__dataclass_fields__", None)
    if not fields:
        return None
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, str) and needle in value and isinstance(getattr(obj, "loc", None), Loc):
            return obj.loc
        if isinstance(value, (tuple, list)) or hasattr(value, "__dataclass_fields__"):
            hit = _find(value, needle)
            if hit is not None:
                return hit
    return None


class _Placed:
    """What a paragraph's placeholder image draws: the formula, and for a display formula the width
    of the line it was given, to centre it there."""

    def __init__(self, f: Formula, span: _Span | None, head: str = "", tail: str = ""):
        self.formula, self.span, self.head, self.tail = f, span, head, tail
        self.head_width = stringWidth(head, fonts.BODY, f.size) if head else 0.0
        self.tail_width = stringWidth(tail, fonts.BODY, f.size) if tail else 0.0

    def getSize(self) -> tuple[float, float]:  # noqa: N802 (ReportLab's name)
        return self.head_width + self.formula.width + self.tail_width, self.formula.height


class Refused(NotesError):
    """A formula that cannot be printed: wider than its column at the smallest size allowed, or one
    the engine could not set. Raised while ReportLab makes or lays out a paragraph, which may raise it
    again with only a longer message (``annotateException``): the problems are kept, so that the error
    still says where the formula is written."""

    last: list[Problem] = []

    def __init__(self, problems: list[Problem] | str, wrote: bool = True):
        if isinstance(problems, str):
            problems = Refused.last
        Refused.last = list(problems)
        super().__init__(problems, wrote)


class _Span(float):
    """The width of a display formula's line: the whole line, so that the formula is centred on it.
    ReportLab measures a width like this against the line while breaking lines (setting
    ``_normalizer`` first) and against the paragraph while drawing; the line is what counts."""

    formula: Formula
    loc: Loc | None
    line: float

    def __new__(cls, natural: float, formula: Formula, loc: Loc | None) -> _Span:
        self = float.__new__(cls, natural)
        self.formula, self.loc, self.line = formula, loc, 0.0
        return self

    def normalizedValue(self, width: float) -> float:  # noqa: N802 (ReportLab's name)
        self.line = float(getattr(self, "_normalizer", None) or width)
        return self.line

    def check(self) -> None:
        """Refuse the formula when even at MIN_SCALE it is wider than its line. Checked as it is drawn,
        on the layout an engine settled on: an engine that fits by trial may try wider columns or
        larger type first, where the formula would fit, or narrower ones, where it would not."""
        f = self.formula
        if f.width * MIN_SCALE > self.line + 0.01:
            over = (f.width * MIN_SCALE - self.line) / 72 * 25.4
            tex = f.tex if len(f.tex) <= 60 else f.tex[:57] + "…"
            raise Refused([Problem.at(self.loc or Loc("?"), "formula", (
                f"the display formula $${tex}$$ is {over:.1f} mm too wide for its column even at "
                f"{MIN_SCALE * 100:.0f} % of the body size: split it into two formulas or shorten it"))])


_autoleading: dict[int, tuple[ParagraphStyle, ParagraphStyle]] = {}


def fill(para: Paragraph) -> Paragraph:
    """Size the formula placeholders of a paragraph for its font size, and give the paragraph the
    leading its tallest formulas need (lines without formulas keep theirs). Every Paragraph does this
    as it is made (see the end of this module), whichever engine makes it."""
    placeholder_src = placeholder()
    tall = False
    style = para.style
    for frag in getattr(para, "frags", None) or ():
        cb = getattr(frag, "cbDefn", None)
        if cb is None or getattr(cb, "kind", "") != "img" or getattr(cb, "src", "") != placeholder_src:
            continue
        if not isinstance(cb.image, _Placed):  # parsed frags may be shared by paragraphs: placed once
            number = int(cb.width)
            tex, display, head, tail = _by_number[number - 1]
            try:
                f = layout(tex, float(frag.fontSize), display)
            except FormulaError as exc:
                raise Refused([Problem.at(_locs.get(number) or Loc("?"), "formula", f"${tex}$ {exc}")]) from exc
            span = _Span(f.width, f, _locs.get(number)) if display else None
            cb.image = placed = _Placed(f, span, head, tail)
            cb.width = span if span is not None else placed.getSize()[0]
            cb.height = f.height
            cb.valign = -f.descent
        f = cb.image.formula
        tall = tall or f.ascent > style.leading * 5 / 6 - 0.01 or f.descent > style.leading / 6 + 0.01 \
            or f.display
    para.__class__ = _with_formulas(para.__class__)
    if tall:
        if getattr(style, "autoLeading", "") != "max":
            if id(style) not in _autoleading:
                _autoleading[id(style)] = (style, ParagraphStyle(f"{style.name}-formula", parent=style,
                                                                 autoLeading="max"))
            para.style = _autoleading[id(style)][1]
    return para


# The canvas draws a placeholder image of a paragraph as its formula. ReportLab's paragraph calls
# ``canvas.drawImage(image, x, y, w, h)`` for an <img> after justifying the line, inside the drawing of
# the paragraph's text object; the text object is the last one the canvas began.
_draw_image = Canvas.drawImage
_begin_text = Canvas.beginText


def _drawImage(self: Canvas, image: Any, x: float, y: float, width: float | None = None,  # noqa: N802
               height: float | None = None, *args: Any, **kw: Any) -> Any:
    if not isinstance(image, _Placed):
        return _draw_image(self, image, x, y, width, height, *args, **kw)
    f = image.formula
    base = y + f.descent  # ReportLab puts the image's bottom at the baseline plus valign (= −descent)
    scale = 1.0
    if image.span is not None:  # display: centred on its line, shrunk to fit it
        image.span.check()
        line = image.span.line or float(width or f.width)
        scale = min(1.0, line / f.width) if f.width else 1.0
        x += max(0.0, (line - f.width * scale) / 2)
    tx = getattr(self, "_formula_text", None)
    xs = getattr(tx, "XtraState", None)
    start, x = x, x + image.head_width
    self.saveState()
    ink = getattr(xs, "textColor", None) or getattr(getattr(xs, "style", None), "textColor", None)
    if ink is not None:
        self.setFillColor(ink)
    _paths(self, f, x, base, scale)
    self.restoreState()
    if tx is not None and tx._canvas is self:
        # the source goes into the paragraph's text object, in reading order; then the text object is
        # put back where the paragraph left it: its line starts at _x0 on this baseline, in its font
        x0, font, size, leading = tx._x0, tx._fontname, tx._fontsize, tx._leading
        for text, at in ((image.head, start), (None, x), (image.tail, x + f.width * scale)):
            if text is None:
                _source(tx, f, x, base, scale, leading)
            elif text:  # the punctuation kept with the formula, visible, in the text font
                tx.setFont(fonts.BODY, f.size, leading)
                tx.setTextOrigin(at, base)
                if xs is not None and getattr(xs, "textColor", None) is not None:
                    tx.setFillColor(xs.textColor)
                tx._textOut(text)
        if font is not None:
            tx.setFont(font, size, leading)
        if leading is not None:
            tx.setLeading(leading)
        tx.setTextOrigin(x0, base)
        if xs is not None and getattr(xs, "textColor", None) is not None:
            tx.setFillColor(xs.textColor)
    return (f.width, f.height)


@functools.cache
def _with_formulas(cls: Any) -> Any:
    """The paragraph class, with two fixes for lines that hold formulas (a split keeps the class).

    * Justified lines: ReportLab spreads a line's spare room over ``wordCount - 1`` gaps but counts
      only words of text, while it widens every space of the line, those beside a formula too; a
      justified line with formulas would run past the margin by a gap for each. The count is set
      to the spaces that stand before the last thing on the line.
    * Tall first lines: ReportLab puts a paragraph's first baseline one font size below its top,
      whatever the line holds (``paraFontSizeHeightOffset``), though with ``autoLeading="max"`` it
      counts the line's full height; a fraction or a display formula on the first line would reach
      into the text above. The paragraph is as tall as it should be, so its first line is drawn lower
      by what it reaches above one font size.
    """
    if getattr(cls, "_formulas", False):
        return cls

    def breakLines(self: Any, width: Any) -> Any:  # noqa: N802 (ReportLab's name)
        bl = cls.breakLines(self, width)
        if getattr(bl, "kind", 0) == 1:
            for line in bl.lines:
                if any(hasattr(w, "cbDefn") for w in line.words):
                    line.wordCount = _gaps(line.words) + 1
        return bl

    def drawPara(self: Any, debug: int = 0) -> Any:  # noqa: N802 (ReportLab's name)
        lines = getattr(getattr(self, "blPara", None), "lines", None) or []
        first = lines[0] if lines else None
        drop = max(0.0, getattr(first, "ascent", 0.0) - self.style.fontSize) if first is not None else 0.0
        if not drop:
            return cls.drawPara(self, debug)
        self.height -= drop
        try:
            return cls.drawPara(self, debug)
        finally:
            self.height += drop

    return type(cls.__name__, (cls,), {"breakLines": breakLines, "drawPara": drawPara, "_formulas": True})


def _gaps(words: list[Any]) -> int:
    """The spaces of a line that stand before its last word, text or formula (what justification widens),
    less its no-break spaces (which ReportLab adds to the count itself)."""
    spaces = pending = nbsp = 0
    for w in words:
        if hasattr(w, "cbDefn"):
            if getattr(w.cbDefn, "width", 0):
                spaces, pending = spaces + pending, 0
            continue
        text = w.text
        nbsp += text.count("\xa0")
        for ch in text:
            if ch in " \xa0":
                pending += 1
            else:
                spaces, pending = spaces + pending, 0
    return spaces - nbsp


def _beginText(self: Canvas, *args: Any, **kw: Any) -> Any:  # noqa: N802
    tx = _begin_text(self, *args, **kw)
    self._formula_text = tx
    return tx


_paragraph_init = Paragraph.__init__


def _paragraph(self: Paragraph, *args: Any, **kw: Any) -> None:
    _paragraph_init(self, *args, **kw)
    if any(hasattr(f, "cbDefn") for f in getattr(self, "frags", None) or ()):
        fill(self)


setattr(Canvas, "drawImage", _drawImage)  # noqa: B010 (the module's one purpose: see above)
setattr(Canvas, "beginText", _beginText)  # noqa: B010
setattr(Paragraph, "__init__", _paragraph)  # noqa: B010
