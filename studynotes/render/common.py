"""What the ReportLab engines share: the printable area, the preset's palette, paragraph styles,
notes text as Paragraphs with fallback fonts, deferred "page X of Y" decoration, and
missing-glyph warnings located at the text that needs the glyph."""

from __future__ import annotations

from dataclasses import dataclass, replace

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from .. import fonts, markup
from ..errors import Loc, Problem
from ..load.presets import Layout
from ..markup import Run
from ..model import Topic
from ..style import MM, colour


@dataclass(frozen=True)
class Box:
    """The printable area inside the margins, in points."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def printable(layout: Layout) -> Box:
    w, h = layout.pagesize
    top, right, bottom, left = (m * MM for m in layout.margins)
    return Box(left, bottom, w - right, h - top)


class Palette:
    """The preset's colours as ReportLab colours (grey when printing in grayscale)."""

    def __init__(self, layout: Layout):
        self.grayscale = layout.grayscale
        for name, hex_ in layout.colours.items():
            setattr(self, name, colour(hex_, layout.grayscale))
        self.white = colors.white

    def hex(self, name: str) -> str:
        c = getattr(self, name)
        return f"#{round(c.red * 255):02X}{round(c.green * 255):02X}{round(c.blue * 255):02X}"


class Writer:
    """Turns notes text into Paragraphs with escaped markup and fallback fonts,
    collecting characters no font can print together with where they stand."""

    def __init__(self, topic: Topic, palette: Palette):
        fonts.register_body()
        self.topic = topic
        self.palette = palette
        self.where = "title"
        self.at: Loc = topic.loc
        self._missing: dict[str, dict[str, Loc]] = {}  # character → where it stands (first place first)
        self._shaped: dict[int, tuple[ParagraphStyle, ParagraphStyle]] = {}
        self._styled: dict[tuple, tuple[fonts.Styled, str]] = {}

    def place(self, where: str, at: Loc) -> None:
        """Name the part of the notes the next texts come from, for missing-glyph warnings."""
        self.where, self.at = where, at

    def markup(self, text: str, literal: bool = False, bold: bool = False, shaped: bool = False) -> fonts.Styled:
        """Markup for notes text (``literal``: no inline markup; ``bold``: all of it bold; ``shaped``:
        it shares a shaped paragraph with other text)."""
        key = (text, literal, bold, shaped)
        if key not in self._styled:  # engines that fit by trial lay the same text out often
            runs = (markup.Run(text),) if literal else markup.parse(text)
            if bold:
                runs = tuple(replace(r, bold=True) for r in runs)
            self._styled[key] = self._render(runs, shaped)
        return self._noted(self._styled[key])

    def joined(self, *texts: tuple[str, bool]) -> tuple[list[fonts.Styled], bool]:
        """Markup for several texts (each with its ``literal`` flag) that share one paragraph: if any
        needs shaping, all are made safe for it."""
        parts = [self.markup(t, literal) for t, literal in texts]
        if any(p.shaping for p in parts):
            parts = [self.markup(t, literal, shaped=True) for t, literal in texts]
            return parts, True
        return parts, False

    def runs(self, runs: tuple[Run, ...]) -> fonts.Styled:
        """Markup for runs an engine put together itself (a glossary line, say)."""
        return self._noted(self._render(runs))

    def _render(self, runs, shaped: bool = False) -> tuple[fonts.Styled, str]:
        missing: list[str] = []
        styled = fonts.to_markup(runs, self.palette.hex("highlight"), missing, shaped)
        return styled, "".join(missing)

    def _noted(self, result: tuple[fonts.Styled, str]) -> fonts.Styled:
        styled, missing = result
        for ch in missing:
            self._missing.setdefault(ch, {}).setdefault(self.where, self.at)
        return styled

    def para(self, text: str, style: ParagraphStyle, literal: bool = False, bold: bool = False, **kw) -> Paragraph:
        styled = self.markup(text, literal, bold)
        return Paragraph(styled.markup, self.shaped(style) if styled.shaping else style, **kw)

    def shaped(self, style: ParagraphStyle) -> ParagraphStyle:
        """The same style with HarfBuzz shaping on (only for text that needs it: it is slower)."""
        if id(style) not in self._shaped:  # the style is kept alive with it, so its id stays its own
            self._shaped[id(style)] = (style, ParagraphStyle(f"{style.name}-shaped", parent=style, shaping=1))
        return self._shaped[id(style)][1]

    def warnings(self) -> tuple[Problem, ...]:
        """One located warning per character no font has, at its first place, naming every place."""
        return tuple(missing_glyph(ch, places, self.topic) for ch, places in self._missing.items())


def paged_canvas(decorate):
    """A canvas class that holds every page until the end, so decorations can say "page X of Y".

    ``decorate(canvas, page_number, page_count)`` draws on each page just
    before it is written out.
    """

    class PagedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self):  # noqa: N802 (ReportLab's name)
            if not self._held:
                self._first_counter = self._doc.pageCounter
            self._held.append(dict(self.__dict__))
            # bookmarks on the next page must name the next page, though none is written yet
            self._doc.pageCounter += 1
            self._pageNumber += 1
            self._startPage()

        def save(self):
            total = len(self._held)
            if self._held:
                self._doc.pageCounter = self._first_counter  # the pages are written now, in order
            for number, state in enumerate(self._held, 1):
                self.__dict__.update(state)
                decorate(self, number, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return PagedCanvas


def style(name: str, font: str, size: float, color, leading: float = 1.25, **kw) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=round(size * leading, 2), textColor=color,
                          **kw)


def missing_glyph(ch: str, places: dict[str, Loc], topic: Topic, kind: str = "") -> Problem:
    """The warning for a character no font has: where it first stands, and every part it is in."""
    first = next(iter(places.values()), topic.loc)
    within = f" of the {kind}" if kind else ""
    return Problem.at(first, "", f"no font has {fonts.describe(ch)}: it prints as a blank box{within} in "
                      f"topic '{topic.id}', {', '.join(places)}", severity="warning")
