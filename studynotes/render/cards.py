"""Flashcards: the notes' questions, terms, facts, dates and key points as cards to cut and print
double-sided, every back exactly behind its front.

``plan`` decides everything in PDF points: which items become cards (in the
order of the notes; the preset's ``from:`` says which sources), the grid of
card slots, where each back goes (the front's slot mirrored through the
sheet's flip, then moved by the printer's ``back_offset``), the cut marks
(outside every card, a few mm short of the paper's edge), the one-line
instruction in the margin, and per card side the largest type size between
the preset's ``size`` and its ``floor`` at which the text fits the card's
safe area. A text that does not fit at the floor is a located error, never
cut and never tiny. ``draw`` only strokes and sets what the plan holds;
``render = draw ∘ plan``.

Modes: ``duplex`` (fronts on odd pages, backs on even pages), ``fold``
(front and back side by side on one page, mirrored about a fold line) and
``separate`` (every front, then every back in the same places).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from .. import fonts, markup, text
from ..errors import Loc, NotesError, Problem
from ..load.presets import Layout
from ..markup import Run
from ..model import Section, Topic, iter_points
from ..style import MM
from . import Rendered
from .common import Palette, Writer
from .labels import section_label
from .page import metadata, set_metadata

SOURCES = ("cards", "terms", "facts", "timeline", "key")
DEFAULTS = {"rows": 4, "cols": 2, "gutter": 4.0, "mode": "duplex", "flip": "long", "from": SOURCES,
            "size": 14.0, "floor": 9.0, "back_offset": (0.0, 0.0)}
MARK = {"cards": "Q & A", "terms": "term", "facts": "fact", "timeline": "when?", "key": "key point"}
SAFE = 4.0 * MM          # no text this near a card's edge: a back misregistered by up to 4 mm keeps its text
TICK_GAP = 1.5 * MM      # cut marks start this far off a card …
TICK_END = 4.0 * MM      # … and end this far from the paper's edge (a mark at the edge makes viewers shrink to fit)
INNER_GAP = 0.5 * MM     # marks in a gutter keep this far from the cards on either side
MIN_INNER = 2.0 * MM     # a narrower gutter gets no marks of its own (the margins' marks still show every cut)
MIN_CARD = (40.0, 25.0)  # mm: the least card that holds a header, a line of text at the floor and a mark
STEP = 0.5               # type sizes tried, in points, from the preset's size down to the floor
LEADING = 1.2
BLANK = "_______"
DUPLEX = {"long": "DuplexFlipLongEdge", "short": "DuplexFlipShortEdge"}


@dataclass(frozen=True)
class Rect:
    """A rectangle on the page in points, y up (PDF's own coordinates)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def x1(self) -> float:
        return self.x + self.w

    @property
    def y1(self) -> float:
        return self.y + self.h

    def moved(self, dx: float, dy: float) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.w, self.h)

    def inset(self, d: float) -> Rect:
        return Rect(self.x + d, self.y + d, self.w - 2 * d, self.h - 2 * d)

    def holds(self, other: Rect, fuzz: float = 0.01) -> bool:
        return (other.x >= self.x - fuzz and other.y >= self.y - fuzz and other.x1 <= self.x1 + fuzz
                and other.y1 <= self.y1 + fuzz)


@dataclass(frozen=True)
class Line:
    """One line of small type placed by the plan: its start (x, baseline), size and ink (a palette name)."""

    x: float
    y: float
    text: str
    size: float
    ink: str = "muted"
    bold: bool = False
    width: float = 0.0

    @property
    def box(self) -> Rect:
        """The room the line takes, ascenders and descenders included (for tests and overlap checks)."""
        return Rect(self.x, self.y - 0.25 * self.size, self.width, 1.2 * self.size)


@dataclass(frozen=True)
class Card:
    """One card as the notes give it: both texts as markup, what it is and where it is written."""

    number: int               # 1, 2, … in print order
    ident: str                # "IJ·12", on both sides
    source: str               # one of SOURCES
    where: str                # the item, as a message names it: "card 'Which 2011 …'"
    context: str              # topic and section, in small type on both sides
    front: fonts.Styled
    back: fonts.Styled
    plain: tuple[str, str]    # both texts as they read, for tests and messages
    loc: Loc = field(default=Loc(), compare=False)


@dataclass(frozen=True)
class Face:
    """One side of one card on a page: its slot, its safe area and its text at the size that fits."""

    card: int                 # index into CardsPlan.cards
    side: str                 # "front" or "back"
    slot: Rect                # the card as cut
    safe: Rect                # text stays inside
    body: fonts.Styled
    size: float
    room: Rect                # where the text may go: the safe area less the header and the source mark
    text_box: Rect            # where the paragraph is set: its measured height, centred in the room
    lines: tuple[Line, ...]   # context, id, source mark


@dataclass(frozen=True)
class Page:
    side: str                                         # "front", "back", "fold", "answers"
    sheet: int                                        # 1, 2, …
    faces: tuple[Face, ...]
    marks: tuple[tuple[float, float, float, float], ...]  # cut marks: x0, y0, x1, y1
    lines: tuple[Line, ...]                           # the margin's instruction and sheet line
    fold: tuple[float, float, float, float] | None = None  # the fold line (fold mode)
    title: str = ""                                   # its bookmark


@dataclass(frozen=True)
class CardsPlan:
    pagesize: tuple[float, float]
    mode: str
    flip: str
    grid: tuple[Rect, ...]                 # the front slots, in reading order
    cards: tuple[Card, ...]
    pages: tuple[Page, ...]
    back_offset: tuple[float, float]       # points, right and up as seen on the back
    duplex: str                            # the /Duplex viewer preference
    colours: tuple[tuple[str, str], ...]   # palette name → hex, as printed
    metadata: tuple[tuple[str, str], ...]
    sheets: int
    warnings: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()


# -- settings and geometry ---------------------------------------------------------

def settings(layout: Layout) -> dict:
    """The preset's ``cards:`` keys and the command line's, over the defaults."""
    got = {**DEFAULTS, **{k: v for k, v in layout.settings.items() if v is not None}}
    got["back_offset"] = tuple(float(v) for v in got["back_offset"])
    return got


def _place(layout: Layout, key: str) -> Loc:
    return layout.places.get(key) or Loc(layout.path)


def grid(layout: Layout, rows: int, cols: int, gutter: float) -> tuple[Rect, ...]:
    """The front slots, row by row from the top, inside the margins; a card too small to hold its
    text is an error at the preset."""
    w, h = layout.pagesize
    top, right, bottom, left = (m * MM for m in layout.margins)
    g = gutter * MM
    cw = (w - left - right - (cols - 1) * g) / cols
    ch = (h - top - bottom - (rows - 1) * g) / rows
    if cw < MIN_CARD[0] * MM or ch < MIN_CARD[1] * MM:
        key = "cards.cols" if cw < MIN_CARD[0] * MM else "cards.rows"
        raise NotesError(Problem.at(_place(layout, key), key, f"cards of {cw / MM:.0f} × {ch / MM:.0f} mm are too "
                                    f"small for text: a card needs at least {MIN_CARD[0]:g} × {MIN_CARD[1]:g} mm "
                                    f"(use fewer rows or columns, a smaller gutter or smaller margins)"))
    return tuple(Rect(left + c * (cw + g), h - top - r * (ch + g) - ch, cw, ch)
                 for r in range(rows) for c in range(cols))


def mirror_x(pagesize: tuple[float, float], flip: str) -> bool:
    """Whether a sheet turned over for its back mirrors left and right (else top and bottom): turning
    over the long edge of a portrait sheet, or the short edge of a landscape one, swaps left and right."""
    w, h = pagesize
    return (flip == "long") == (h >= w)


def behind(r: Rect, pagesize: tuple[float, float], across: bool) -> Rect:
    """The place on the back, as the back is seen, that lies exactly behind ``r`` on the front."""
    w, h = pagesize
    return Rect(w - r.x1, r.y, r.w, r.h) if across else Rect(r.x, h - r.y1, r.w, r.h)


def cut_marks(rects: tuple[Rect, ...], pagesize: tuple[float, float],
              gutter: float) -> tuple[tuple[float, float, float, float], ...]:
    """Marks on every card edge: in the margins from just off the cards to a few mm before the paper's
    edge, and in gutters wide enough, short marks that touch no card. Never on a card."""
    w, h = pagesize
    xs = sorted({round(v, 3) for r in rects for v in (r.x, r.x1)})
    ys = sorted({round(v, 3) for r in rects for v in (r.y, r.y1)})
    lo_x, hi_x = min(r.x for r in rects), max(r.x1 for r in rects)
    lo_y, hi_y = min(r.y for r in rects), max(r.y1 for r in rects)
    marks = []
    for x in xs:
        marks += [(x, hi_y + TICK_GAP, x, h - TICK_END), (x, lo_y - TICK_GAP, x, TICK_END)]
    for y in ys:
        marks += [(lo_x - TICK_GAP, y, TICK_END, y), (hi_x + TICK_GAP, y, w - TICK_END, y)]
    if gutter * MM >= MIN_INNER:
        # the gaps between cards, found from the cards themselves (a mirrored grid has its own)
        gaps_y = [(a, b) for a, b in zip(ys[:-1], ys[1:], strict=True)
                  if not any(r.y < (a + b) / 2 < r.y1 for r in rects)]
        gaps_x = [(a, b) for a, b in zip(xs[:-1], xs[1:], strict=True)
                  if not any(r.x < (a + b) / 2 < r.x1 for r in rects)]
        for a, b in gaps_y:
            marks += [(x, a + INNER_GAP, x, b - INNER_GAP) for x in xs]
        for a, b in gaps_x:
            marks += [(a + INNER_GAP, y, b - INNER_GAP, y) for y in ys]
    return tuple(marks)


# -- what the cards say --------------------------------------------------------------

def initials(topic_id: str) -> str:
    """The card id's prefix: the initials of the topic id's words (``india-japan`` → ``IJ``)."""
    parts = [p for p in topic_id.split("-") if p]
    if len(parts) == 1:
        return parts[0][:2].upper()
    return "".join(p[0] for p in parts[:4]).upper()


def _blanked(text_: str) -> tuple[tuple[Run, ...], tuple[tuple[Run, ...], ...]]:
    """A key point with each ==key== phrase as a blank (numbered when there are several), and the phrases."""
    runs = markup.parse(text_)
    phrases: list[list[Run]] = []
    out: list[Run] = []
    prev = False
    for r in runs:
        if r.key:
            if not prev:
                phrases.append([])
                out.append(Run(BLANK))
            phrases[-1].append(replace(r, key=False))
        else:
            out.append(r)
        prev = r.key
    if len(phrases) > 1:
        n = 0
        numbered = []
        for r in out:
            if r.text == BLANK and not r.bold and not r.italic:
                n += 1
                r = Run(f"({n}){BLANK}")
            numbered.append(r)
        out = numbered
    return tuple(out), tuple(tuple(p) for p in phrases)


def _short(s: str, n: int = 48) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


@dataclass(frozen=True)
class _Item:
    source: str
    front: str
    back: str
    plain: tuple[str, str]
    where: str
    section: Section
    loc: Loc
    key_runs: tuple[tuple[Run, ...], tuple[tuple[Run, ...], ...]] | None = None  # key cards: front, phrases


def items(topic: Topic, sources: tuple[str, ...]) -> list[_Item]:
    """Every card the notes give, in notes order: section by section, within a section by source in
    the order the preset lists them. Key points are the points marked ``key: true`` that hold a
    ==key== phrase: the point with the phrase blanked asks for the phrase."""
    out: list[_Item] = []
    for sec, _ in topic.walk():
        for source in sources:
            if source == "cards":
                out += [_Item(source, c.q, c.a, (markup.plain(c.q), markup.plain(c.a)),
                              f"card '{_short(markup.plain(c.q))}'", sec, c.loc) for c in sec.cards]
            elif source == "terms":
                out += [_Item(source, t.term, t.meaning, (markup.plain(t.term), markup.plain(t.meaning)),
                              f"term '{_short(markup.plain(t.term))}'", sec, t.loc) for t in sec.terms]
            elif source == "facts":
                out += [_Item(source, f.label, f.value if not f.note else f"{f.value}\n{f.note}",
                              (markup.plain(f.label), markup.plain(f.value)),
                              f"fact '{_short(markup.plain(f.label))}'", sec, f.loc) for f in sec.facts]
            elif source == "timeline":
                out += [_Item(source, e.what, e.when, (markup.plain(e.what), markup.plain(e.when)),
                              f"timeline entry '{_short(markup.plain(e.what))}'", sec, e.loc) for e in sec.timeline]
            elif source == "key":
                for p, _ in iter_points(sec.points):
                    if not p.key or not markup.key_phrases(p.text):
                        continue
                    front, phrases = _blanked(p.text)
                    if len(phrases) > 1:  # one numbered line each
                        phrases = tuple((Run(f"({i}) "), *ph) for i, ph in enumerate(phrases, 1))
                    out.append(_Item(source, p.text, "", ("".join(r.text for r in front),
                                                          "\n".join("".join(r.text for r in ph) for ph in phrases)),
                                     f"key point '{_short(markup.plain(p.text))}'", sec, p.loc,
                                     (front, phrases)))
    return out


# -- fitting -------------------------------------------------------------------------

def body_style(size: float, ink: str, shaping: bool) -> ParagraphStyle:
    """The card text's style at one size; plan measures and draw sets with the same one."""
    return ParagraphStyle(f"card-{size}", fontName=fonts.BODY, fontSize=size, leading=round(size * LEADING, 2),
                          alignment=TA_CENTER, textColor=HexColor(ink), shaping=1 if shaping else 0)


def fit(body: fonts.Styled, room: Rect, top: float, floor: float) -> tuple[float, float] | None:
    """The largest size from ``top`` down to ``floor`` (in STEPs) at which the text fits the room, and
    its height there; None when it does not fit even at the floor. Bisects: a smaller size never needs
    more room."""
    sizes = []
    s = top
    while s >= floor - 1e-9:
        sizes.append(round(s, 2))
        s -= STEP
    if not sizes or sizes[-1] > floor:
        sizes.append(floor)

    def height(size: float) -> float | None:
        p = Paragraph(body.markup, body_style(size, "#000000", body.shaping))
        _, used = p.wrap(room.w, room.h)
        return used if used <= room.h + 0.01 and p.minWidth() <= room.w + 0.01 else None

    lo, hi = 0, len(sizes) - 1
    if (h := height(sizes[0])) is not None:
        return sizes[0], h
    if height(sizes[-1]) is None:
        return None
    lo = 0  # sizes[lo] does not fit, sizes[hi] does
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if height(sizes[mid]) is None:
            lo = mid
        else:
            hi = mid
    h = height(sizes[hi])
    assert h is not None
    return sizes[hi], h


# -- the plan ----------------------------------------------------------------------------

class _Cards:
    """Builds the cards of one topic: texts as markup (with fallback fonts), sizes that fit, faces."""

    def __init__(self, topic: Topic, layout: Layout, cfg: dict):
        self.topic, self.layout, self.cfg = topic, layout, cfg
        self.palette = Palette(layout)
        self.writer = Writer(topic, self.palette)
        self.small = max(layout.fonts["small"], 7.0)
        self.problems: list[Problem] = []

    def cards(self, found: list[_Item]) -> list[Card]:
        prefix = initials(self.topic.id)
        title = markup.plain(self.topic.title)
        out = []
        for n, it in enumerate(found, 1):
            self.writer.place(it.where, it.loc)
            if it.key_runs is not None:
                front = self.writer.runs(it.key_runs[0])
                lines = [self.writer.runs(ph) for ph in it.key_runs[1]]
                if any(ln.shaping for ln in lines):  # one paragraph: every line safe for shaping
                    lines = [fonts.to_markup(ph, self.palette.hex("highlight"), [], shaped=True)
                             for ph in it.key_runs[1]]
                back = fonts.Styled("<br/>".join(ln.markup for ln in lines), any(ln.shaping for ln in lines))
            elif it.source == "facts" and "\n" in it.back:
                value, note = it.back.split("\n", 1)
                parts, _ = self.writer.joined((value, False), (note, False))
                back = fonts.Styled(f"{parts[0].markup}<br/><i>{parts[1].markup}</i>", parts[0].shaping)
                front = self.writer.markup(it.front)
            else:
                front, back = self.writer.markup(it.front), self.writer.markup(it.back)
            context = f"{title} · {section_label(it.section)}"
            out.append(Card(n, f"{prefix}·{n}", it.source, it.where, context, front, back, it.plain, it.loc))
        return out

    def face(self, index: int, card: Card, side: str, slot: Rect) -> Face | None:
        """One side of a card in its slot; None (and a located problem) when its text cannot fit."""
        small = self.small
        safe = slot.inset(SAFE)
        band = small * 1.6
        room = Rect(safe.x, safe.y + band, safe.w, safe.h - 2 * band)
        body = card.front if side == "front" else card.back
        fitted = fit(body, room, self.cfg["size"], self.cfg["floor"])
        if fitted is None:
            what = "question" if side == "front" else "answer"
            self.problems.append(Problem.at(card.loc, "", (
                f"the {what} of {card.where} does not fit a {slot.w / MM:.0f} × {slot.h / MM:.0f} mm card "
                f"(card {card.ident}) even at the {self.cfg['floor']:g} pt floor: shorten it, or use bigger cards "
                f"(-l cards-a6)")))
            return None
        size, used = fitted
        text_box = Rect(room.x, room.y + (room.h - used) / 2, room.w, used)
        ident_w = text.width(card.ident, small, bold=True)
        ident = Line(safe.x1 - ident_w, safe.y1 - small, card.ident, small, "accent", True, ident_w)
        context = text.fit(card.context, small, safe.w - ident_w - small)
        mark = MARK[card.source] + ("" if side == "front" else " · answer")
        lines = (Line(safe.x, safe.y1 - small, context, small, "muted", False, text.width(context, small)),
                 ident,
                 Line(safe.x, safe.y + 0.3 * small, mark, small, "muted", False, text.width(mark, small)))
        return Face(index, side, slot, safe, body, size, room, text_box, lines)


def _margin_lines(layout: Layout, rects: tuple[Rect, ...], first: str, short: str, second: str,
                  small: float) -> tuple[Line, ...]:
    """The instruction in the top margin and the sheet line in the bottom margin, each in the span of
    the first column of cards (between cut marks), the shorter wording where the longer does not fit."""
    w, h = layout.pagesize
    top, _, bottom, _ = (m * MM for m in layout.margins)
    left_col = min(rects, key=lambda r: (round(r.x, 1), -r.y))
    x0, span = left_col.x + TICK_GAP, left_col.w - 2 * TICK_GAP
    hi_y = max(r.y1 for r in rects)
    lo_y = min(r.y for r in rects)
    said = first if text.width(first, small) <= span else text.fit(short, small, span)
    sheet = text.fit(second, small, span)
    return (Line(x0, (hi_y + h) / 2 - small * 0.35, said, small, "text", False, text.width(said, small)),
            Line(x0, lo_y / 2 - small * 0.35, sheet, small, "muted", False, text.width(sheet, small)))


def _moved(page: Page, dx: float, dy: float) -> Page:
    """A back page moved by the printer's offset: everything on it, so it stays one piece."""
    if not dx and not dy:
        return page
    faces = tuple(replace(f, slot=f.slot.moved(dx, dy), safe=f.safe.moved(dx, dy), room=f.room.moved(dx, dy),
                          text_box=f.text_box.moved(dx, dy),
                          lines=tuple(replace(ln, x=ln.x + dx, y=ln.y + dy) for ln in f.lines)) for f in page.faces)
    return replace(page, faces=faces, marks=tuple((a + dx, b + dy, c + dx, d + dy) for a, b, c, d in page.marks),
                   lines=tuple(replace(ln, x=ln.x + dx, y=ln.y + dy) for ln in page.lines))


def _span(chunk: list[tuple[int, Card]]) -> str:
    """The ids of a sheet's cards: ``IJ·9–16``."""
    first, last = chunk[0][1].ident, chunk[-1][1].ident
    return f"{first}–{last.split('·')[1]}" if len(chunk) > 1 else first


@dataclass(frozen=True)
class _Sheet:
    """What every page of a plan shares: the page, the grid, where backs go, the margin type."""

    layout: Layout
    title: str
    slots: tuple[Rect, ...]
    fronts: tuple[Rect, ...]
    backs: tuple[Rect, ...]
    across: bool
    gutter: float
    small: float
    sheets: int


def _duplex(sh: _Sheet, s: int, make: _Cards, chunk: list[tuple[int, Card]], flip: str) -> list[Page]:
    """A sheet's fronts, and its backs behind them (the whole grid mirrored, so the marks match)."""
    pagesize, span = sh.layout.pagesize, _span(chunk)
    front = tuple(f for (i, c), slot in zip(chunk, sh.fronts, strict=False) if (f := make.face(i, c, "front", slot)))
    back = tuple(f for (i, c), slot in zip(chunk, sh.backs, strict=False) if (f := make.face(i, c, "back", slot)))
    bslots = tuple(behind(r, pagesize, sh.across) for r in sh.slots)
    say = (f"Print at actual size · two-sided · flip on {flip} edge", f"Actual size · two-sided · {flip}-edge flip")
    where = f"{sh.title} · sheet {s + 1} of {sh.sheets}"
    return [Page("front", s + 1, front, cut_marks(sh.slots, pagesize, sh.gutter),
                 _margin_lines(sh.layout, sh.slots, *say, f"{where} · fronts {span}", sh.small),
                 title=f"Sheet {s + 1}: fronts {span}"),
            Page("back", s + 1, back, cut_marks(bslots, pagesize, sh.gutter),
                 _margin_lines(sh.layout, bslots, *say, f"{where} · backs {span}", sh.small),
                 title=f"Sheet {s + 1}: backs {span}")]


def _fold(sh: _Sheet, s: int, make: _Cards, chunk: list[tuple[int, Card]]) -> Page:
    """Fronts on the left, each back mirrored about the page's middle, where the fold line runs."""
    pagesize, span = sh.layout.pagesize, _span(chunk)
    faces = tuple(f for (i, c), slot in zip(chunk, sh.fronts, strict=False) if (f := make.face(i, c, "front", slot)))
    faces += tuple(f for (i, c), slot in zip(chunk, sh.backs, strict=False) if (f := make.face(i, c, "back", slot)))
    used = sh.fronts + sh.backs
    lines = _margin_lines(sh.layout, used, "Print at actual size · one-sided · fold on the dashed line, then cut",
                          "Actual size · fold on the dashed line",
                          f"{sh.title} · sheet {s + 1} of {sh.sheets} · {span}", sh.small)
    middle = pagesize[0] / 2
    fold = (middle, min(r.y for r in used) - TICK_GAP, middle, max(r.y1 for r in used) + TICK_GAP)
    return Page("fold", s + 1, faces, cut_marks(used, pagesize, sh.gutter), lines, fold, title=f"Sheet {s + 1}: {span}")


def _separate(sh: _Sheet, s: int, make: _Cards, chunk: list[tuple[int, Card]], side: str) -> Page:
    """A page of questions, or the page of their answers in the same places."""
    span, n = _span(chunk), sh.sheets
    faces = tuple(f for (i, c), slot in zip(chunk, sh.fronts, strict=False) if (f := make.face(i, c, side, slot)))
    if side == "front":
        say = (f"Print at actual size · questions on pages 1–{n}, answers on pages {n + 1}–{2 * n} in the same "
               "places", "Actual size · answers after the questions")
        line, title = f"{sh.title} · page {s + 1} of {n} · questions {span}", f"Questions {span}"
    else:
        say = ("Answers, in the places of their questions", "Answers")
        line, title = f"{sh.title} · answers {span}", f"Answers {span}"
    return Page("front" if side == "front" else "answers", s + 1, faces,
                cut_marks(sh.slots, sh.layout.pagesize, sh.gutter),
                _margin_lines(sh.layout, sh.slots, *say, line, sh.small), title=title)


def _said(topic: Topic, mode: str, n: int, sheets: int, pages: int) -> str:
    """The build's note: ``cards of india-japan: 62 cards on 8 sheets (16 pages)``."""
    def many(k: int, word: str) -> str:
        return f"{k} {word}{'s' if k != 1 else ''}"

    if mode == "duplex":
        return f"cards of {topic.id}: {many(n, 'card')} on {many(sheets, 'sheet')} ({pages} pages)"
    if mode == "fold":
        return f"cards of {topic.id}: {many(n, 'card')} on {many(sheets, 'sheet')} to fold ({pages} pages, one-sided)"
    return (f"cards of {topic.id}: {many(n, 'card')} on {many(sheets, 'page')} of questions and {sheets} of answers "
            f"({pages} pages)")


def plan(topic: Topic, layout: Layout) -> CardsPlan:
    """Every decision: the cards, their pages and slots, the sizes that fit, marks and margin lines."""
    cfg = settings(layout)
    mode, flip = cfg["mode"], cfg["flip"]
    rows, cols, gutter = int(cfg["rows"]), int(cfg["cols"]), float(cfg["gutter"])
    cfg["size"] = max(float(cfg["size"]), float(cfg["floor"]))
    slots = grid(layout, rows, cols, gutter)
    pagesize = layout.pagesize
    across = mirror_x(pagesize, flip)
    found = items(topic, tuple(cfg["from"]))
    if not found:
        raise NotesError(Problem.at(topic.loc, "", f"no cards in topic '{topic.id}': the picked sections have no "
                                    f"{', '.join(cfg['from'])} (key points are points marked key: true that "
                                    "hold a ==key== phrase)"))
    if mode == "fold" and cols < 2:
        raise NotesError(Problem.at(_place(layout, "cards.mode"), "cards.mode",
                                    "fold mode puts fronts and backs side by side: it needs at least 2 columns"))
    make = _Cards(topic, layout, cfg)
    cards = make.cards(found)
    if mode == "fold":
        fronts = tuple(s for i, s in enumerate(slots) if i % cols < cols // 2)
        backs = tuple(behind(s, pagesize, True) for s in fronts)
    else:
        fronts = slots
        backs = tuple(behind(s, pagesize, across) for s in fronts) if mode == "duplex" else slots
    sheets = -(-len(cards) // len(fronts))
    sh = _Sheet(layout, markup.plain(topic.title), slots, fronts, backs, across, gutter, make.small, sheets)
    notes: list[str] = []
    dx, dy = (v * MM for v in cfg["back_offset"])
    if mode != "duplex" and (dx or dy):
        notes.append(f"back offset ignored: in {mode} mode the backs are not printed on the other side")
        dx = dy = 0.0
    chunks = [list(enumerate(cards))[s * len(fronts):(s + 1) * len(fronts)] for s in range(sheets)]
    pages: list[Page] = []
    for s, chunk in enumerate(chunks):
        if mode == "duplex":
            front, back = _duplex(sh, s, make, chunk, flip)
            pages += [front, _moved(back, dx, dy)]
        elif mode == "fold":
            pages.append(_fold(sh, s, make, chunk))
        else:
            pages.append(_separate(sh, s, make, chunk, "front"))
    if mode == "separate":
        pages += [_separate(sh, s, make, chunk, "back") for s, chunk in enumerate(chunks)]
    if make.problems:
        raise NotesError(sorted(set(make.problems)))
    notes.insert(0, _said(topic, mode, len(cards), sheets, len(pages)))
    colours = tuple((name, make.palette.hex(name)) for name in ("text", "muted", "accent", "rule", "highlight"))
    return CardsPlan(pagesize, mode, flip, slots, tuple(cards), tuple(pages), (dx, dy),
                     DUPLEX[flip] if mode == "duplex" else "Simplex", colours,
                     tuple(metadata(topic, layout, "flashcards").items()), sheets,
                     make.writer.warnings(), tuple(notes))


# -- drawing -------------------------------------------------------------------------

def draw(plan: CardsPlan) -> Rendered:
    """The plan as PDF bytes, with the duplex mode and actual-size printing as viewer preferences."""
    ink = {name: HexColor(hex_) for name, hex_ in plan.colours}
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=plan.pagesize, invariant=1)
    set_metadata(c, dict(plan.metadata))
    c.setViewerPreference("Duplex", plan.duplex)
    c.setViewerPreference("PrintScaling", "None")
    for n, page in enumerate(plan.pages):
        key = f"p{n}"
        c.bookmarkPage(key)
        c.addOutlineEntry(page.title, key, level=0)
        c.saveState()
        c.setStrokeColor(ink["muted"])
        c.setLineWidth(0.4)
        for x0, y0, x1, y1 in page.marks:
            c.line(x0, y0, x1, y1)
        if page.fold is not None:
            c.setDash([3, 2], 0)
            c.line(*page.fold)
        c.restoreState()
        for line in page.lines:
            text.draw(c, line.x, line.y, line.text, line.size, ink[line.ink], bold=line.bold)
        for face in page.faces:
            for line in face.lines:
                text.draw(c, line.x, line.y, line.text, line.size, ink[line.ink], bold=line.bold)
            p = Paragraph(face.body.markup, body_style(face.size, plan.colours[0][1], face.body.shaping))
            p.wrap(face.text_box.w, face.text_box.h + 1)
            p.drawOn(c, face.text_box.x, face.text_box.y)
        c.showPage()
    c.save()
    return Rendered(buf.getvalue(), len(plan.pages), plan.warnings, plan.notes,
                    paired=plan.mode == "duplex")  # a double-sided pack starts the fronts on a right-hand page


def render(topic: Topic, layout: Layout) -> Rendered:
    """Flashcards of the topic as PDF bytes."""
    return draw(plan(topic, layout))
