"""What the ReportLab engines share: the printable area, the preset's palette, paragraph styles,
notes text as Paragraphs with fallback fonts, deferred "page X of Y" decoration, and
missing-glyph warnings located at the text that needs the glyph."""

from __future__ import annotations

from dataclasses import dataclass, replace

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from .. import fonts, formula, markup, plainpara  # noqa: F401 (plainpara: plain paragraphs skip the parser)
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
        # characters no font has, by script and the place in the notes file: the parts named there
        # (a title and the footer that repeats it), and the characters, each text counted once
        self._missing: dict[tuple[str, Loc], tuple[list[str], list[str]]] = {}
        self._seen: set[object] = set()  # texts counted: one laid out again, or repeated in a footer, is not
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
        return self._noted(self._styled[key], key)

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
        return self._noted(self._render(runs), runs)

    def _render(self, runs, shaped: bool = False) -> tuple[fonts.Styled, str]:
        missing: list[str] = []
        if not any(r.math for r in runs):
            styled = fonts.to_markup(runs, self.palette.hex("highlight"), missing, shaped)
            return styled, "".join(missing)
        # formulas are placeholders the paragraph sizes (formula.fill); the text between them as usual
        pieces: list[tuple[Run, ...] | Run] = []
        tails: dict[int, str] = {}  # punctuation after an inline formula goes with it (no line starts with it)
        heads: dict[int, str] = {}  # and an opening bracket right before it
        for r in runs:
            last = pieces[-1] if pieces else None
            head = formula.HEAD.search(last[-1].text) if r.math == markup.INLINE and isinstance(last, tuple) else None
            if head and isinstance(last, tuple):
                rest = replace(last[-1], text=last[-1].text[:head.start()])
                pieces[-1] = last[:-1] + ((rest,) if rest.text else ())
                if not pieces[-1]:
                    pieces.pop()
                heads[len(pieces)] = head.group()
            tail = formula.TAIL.match(r.text) if pieces and isinstance(pieces[-1], Run) and not r.math \
                and pieces[-1].math != markup.DISPLAY else None
            if tail:
                tails[len(pieces) - 1] = tail.group()
                r = replace(r, text=r.text[tail.end():])
                if not r.text:
                    continue
            if r.math:
                pieces.append(r)
            elif pieces and isinstance(pieces[-1], tuple):
                pieces[-1] += (r,)
            else:
                pieces.append((r,))
        plain = {i: p for i, p in enumerate(pieces) if isinstance(p, tuple)}
        texts = {i: fonts.to_markup(p, self.palette.hex("highlight"), missing, shaped) for i, p in plain.items()}
        shaping = any(t.shaping for t in texts.values())
        if shaping:  # one shaped piece makes the paragraph shaped: every piece must be safe for it
            texts = {i: fonts.to_markup(p, self.palette.hex("highlight"), [], True) for i, p in plain.items()}
        out = [texts[i].markup if isinstance(p, tuple) else
               formula.markup(p, before=i > 0, after=i < len(pieces) - 1, head=heads.get(i, ""), tail=tails.get(i, ""),
                              loc=formula.locate(self.topic, p) or self.at)
               for i, p in enumerate(pieces)]
        return fonts.Styled("".join(out), shaping), "".join(missing)

    def _noted(self, result: tuple[fonts.Styled, str], key: object) -> fonts.Styled:
        styled, missing = result
        if missing:
            counted = key in self._seen
            self._seen.add(key)
            for ch in missing:
                wheres, chars = self._missing.setdefault((fonts.script_of(ch), self.at), ([], []))
                if self.where not in wheres:
                    wheres.append(self.where)
                if not counted:
                    chars.append(ch)
        return styled

    def para(self, text: str, style: ParagraphStyle, literal: bool = False, bold: bool = False, **kw) -> Paragraph:
        styled = self.markup(text, literal, bold)
        return self.paragraph(styled, style, **kw)

    def paragraph(self, styled: fonts.Styled, style: ParagraphStyle, **kw) -> Paragraph:
        """A Paragraph of markup this writer made, its formulas sized for the style (``formula.fill``)."""
        return Paragraph(styled.markup, self.shaped(style) if styled.shaping else style, **kw)

    def shaped(self, style: ParagraphStyle) -> ParagraphStyle:
        """The same style with HarfBuzz shaping on (only for text that needs it: it is slower)."""
        if id(style) not in self._shaped:  # the style is kept alive with it, so its id stays its own
            self._shaped[id(style)] = (style, ParagraphStyle(f"{style.name}-shaped", parent=style, shaping=1))
        return self._shaped[id(style)][1]

    def warnings(self) -> tuple[Problem, ...]:
        """One located warning per script and part of the notes for the characters no font has."""
        return tuple(missing_glyphs(script, ", ".join(wheres), at, chars)
                     for (script, at), (wheres, chars) in self._missing.items())


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
    kw.setdefault("bulletFontName", font)  # never ReportLab's default, base-14 Helvetica
    kw.setdefault("allowWidows", 0)  # a paragraph broken across columns keeps two lines on each side
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=round(size * leading, 2), textColor=color,
                          **kw)


def missing_glyphs(script: str, where: str, at: Loc, chars: list[str]) -> Problem:
    """The warning for the characters of one script that no font has in one part of the notes:
    how many, which (the first few), and how to get a font for them."""
    distinct = list(dict.fromkeys(chars))
    named = ", ".join(fonts.describe(ch) for ch in distinct[:3]) + (", …" if len(distinct) > 3 else "")
    n = len(chars)
    said = "1 {} character has no font and prints as a blank box" if n == 1 else \
        f"{n} {{}} characters have no font and print as blank boxes"
    return Problem.at(at, "", f"{where}: {said.format(script)} ({named}); "
                      f"{fonts.install_hint(script, ''.join(distinct))}", severity="warning")
