"""Class packs: rendered PDFs joined into one print-ready document.

Cover, contents with page numbers and links, bookmarks nested topic → kind
→ section, page labels (i, ii … for the front matter, then 1, 2, 3 …), a
footer with the class and "page X of Y" on every content page, blank
left-hand pages when printing double-sided, and an optional watermark.
The pack knows nothing of the kinds: each rendered part brings its pages
and its own bookmarks.

``assemble`` is four steps: ``plan_pages`` decides which page goes where
(pure numbers, no PDF library), ``draw_front`` and ``overlays`` draw what
the pack adds with ReportLab, and ``merge`` joins it all with pypdf.
"""

from __future__ import annotations

import hashlib
import io
import math
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any, NoReturn

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.constants import PageLabelStyle
from pypdf.generic import DictionaryObject, IndirectObject, NameObject, NullObject, PdfObject, StreamObject
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from .. import __version__, fonts, markup, subsets, text
from ..errors import Problem, UsageError
from ..load.presets import PAPERS, Layout
from ..model import Topic
from ..render import Rendered
from ..render import title as kind_title
from ..style import HOUSE, MM, colour
from .geometry import FOOT_BASELINE, FOOT_MM, FOOT_PT, FOOT_STRIP_MM, STAMP_BASELINE

BLANK_TEXT = "This page is intentionally left blank."
MARGIN = 18 * MM   # around the front matter
LINE = 17.0        # from one contents line to the next
BAND = 150.0       # the cover's title band, in points
TITLE_PT = 26.0    # the title's size on the cover, shrunk for long titles down to
TITLE_FLOOR_PT = 14.0

Size = tuple[float, float]


@dataclass(frozen=True)
class Part:
    """One rendered document of the pack."""

    topic: Topic
    layout: Layout
    rendered: Rendered
    file: Path | None = None  # where its PDF waits when ``rendered`` came back without it (a big pack)

    def pdf(self) -> bytes:
        return self.file.read_bytes() if self.file is not None else self.rendered.pdf

    def chosen(self, count: int, answers: bool) -> range:
        """The pages of this part that go into a pack of students' pages, or (``answers``) into the
        teacher's file of answer keys: the last ``rendered.answers`` pages are the teacher's."""
        split = count - min(self.rendered.answers, count)
        return range(split, count) if answers else range(split)


@dataclass(frozen=True)
class PackInfo:
    title: str
    class_: str = ""
    teacher: str = ""
    date: str = ""
    duplex: bool = False
    watermark: str = ""
    paper: str = "A4"
    grayscale: bool = False


@dataclass(frozen=True)
class Pack:
    pdf: bytes
    pages: int
    front: int  # cover and contents pages (numbered i, ii …)
    warnings: tuple[Problem, ...] = ()  # characters of the cover no font has


@dataclass(frozen=True)
class CoverTitle:
    """How the title sits in the cover's band: its size, its lines and their baselines from the band's top."""

    size: float
    lines: tuple[str, ...]
    baselines: tuple[float, ...]


def cover_title(title: str, width: float) -> CoverTitle:
    """The largest size from 26 pt down to 14 pt at which the wrapped title fits the band (a word
    wider than the band is cut); a title that fits at no size is refused with the limit."""
    room = int((BAND - 8 - TITLE_FLOOR_PT * 0.25 - 34 - TITLE_FLOOR_PT) // (TITLE_FLOOR_PT * 31 / 26)) + 1
    least = math.ceil(text.width(title, TITLE_FLOOR_PT, bold=True) / width)  # lines it needs, wrapped perfectly
    if least > room:  # known without wrapping (a title of thousands of characters would take seconds)
        _too_long(least, room, width)
    size = TITLE_PT
    while size >= TITLE_FLOOR_PT:
        def fits(line: str, size: float = size) -> bool:
            return text.width(line, size, bold=True) <= width

        lines = text.wrap(title, fits, lambda word: not fits(word))
        first, step = 34 + size, size * 31 / 26  # at 26 pt: the first baseline 60 pt down, 31 pt apart
        if first + (len(lines) - 1) * step + size * 0.25 <= BAND - 8:
            if size < TITLE_PT:  # a shrunk title fills the band: centre the block
                first = (BAND - (len(lines) - 1) * step - size * 1.0) / 2 + size * 0.75
            return CoverTitle(size, tuple(lines), tuple(first + k * step for k in range(len(lines))))
        size -= 1
    _too_long(len(lines), room, width)


def _too_long(lines: int, room: int, width: float) -> NoReturn:
    raise UsageError(f"the pack title is too long for the cover: at {TITLE_FLOOR_PT:g} pt it needs {lines} "
                     f"lines and the cover holds {room} (about {_title_room(width, room)} characters of ordinary "
                     f"text); shorten it")


def _title_room(width: float, lines: int) -> int:
    """About how many characters of ordinary text fit the band at the floor size."""
    sample = "the quick brown fox jumps over a lazy dog "
    per_line = width / (text.width(sample, TITLE_FLOOR_PT, bold=True) / len(sample))
    return int(per_line * lines * 0.9) // 10 * 10


def check_cover(info: PackInfo) -> None:
    """What can be known of the cover before anything is rendered: the title must fit its band."""
    w, _ = PAPERS[info.paper]
    cover_title(info.title, w - 2 * MARGIN - 40)


def pack_layout(layout: Layout) -> Layout:
    """The layout a part is rendered with inside a pack: room at the foot for the pack's footer."""
    top, right, bottom, left = layout.margins
    # answers as the part's last pages, which the pack puts in the teacher's file
    settings = {**layout.settings, "answers": "end", "answers_apart": True}
    return replace(layout, page_numbers=False, margins=(top, right, max(bottom, FOOT_MM) + FOOT_STRIP_MM, left),
                   settings=settings, shared_fonts=True)


def assemble(parts: list[Part], info: PackInfo, answers: bool = False) -> Pack:
    """Join rendered parts into one pack: the students' pages, or (``answers``) only the teacher's
    pages of the parts that have them (answer keys never go into a pack students are given)."""
    shapes = [_shape(p, answers) for p in parts]
    if answers:
        parts, shapes = [p for p, s in zip(parts, shapes, strict=True) if s[0]], [s for s in shapes if s[0]]
    paper = PAPERS[info.paper]
    plan = plan_pages(groups_of(parts), [sizes for sizes, _, _ in shapes], lines_per_page(paper), info.duplex,
                      paper)
    missing: list[str] = []
    with subsets.shared():  # the cover and footers share the parts' fonts
        front = draw_front(plan, info, missing)
        stamps = overlays(plan, info)
    pdf = merge(plan, parts, [outline for _, outline, _ in shapes], front, stamps, info,
                [first for _, _, first in shapes])
    return Pack(pdf, len(plan.slots), plan.front, _missing_warnings(missing, info))


def _shape(part: Part, answers: bool = False) -> tuple[list[Size], list[tuple[str, int, int]], int]:
    """The sizes of a part's chosen pages, the bookmarks that point into them (page indexes counted
    from the first chosen page) and the index of that page. Read once and let go: the merge opens
    each part again only while its pages are copied, so a pack never holds all its parts parsed."""
    reader = PdfReader(io.BytesIO(part.pdf()))
    sizes = page_sizes(reader)
    chosen = part.chosen(len(sizes), answers)
    outline = [(t, level, page - chosen.start) for t, level, page in _outline(reader) if page in chosen]
    return sizes[chosen.start:chosen.stop], outline, chosen.start


def _missing_warnings(missing: list[str], info: PackInfo) -> tuple[Problem, ...]:
    """One warning for the characters of the cover, contents, footer or watermark that print as blanks."""
    fonts.assign_fonts(f"{info.class_} {info.watermark}", missing)
    if not missing:
        return ()
    return (Problem("", 0, 0, "", f"the cover, contents or watermark of '{info.title}' print blanks: "
                    f"{fonts.lacking(missing)}", severity="warning"),)


# -- the plan: which page goes where, as numbers ------------------------------------------------------------

@dataclass(frozen=True)
class Group:
    """One topic of the pack: its title and what its parts are called, in order. Parts are numbered
    on from one group to the next."""

    title: str
    kinds: tuple[str, ...]
    paired: tuple[bool, ...] = ()  # per part: fronts and backs, to start on a right-hand page when double-sided


@dataclass(frozen=True)
class Slot:
    """One physical page of the pack."""

    kind: str                 # "cover", "contents", "blank" or "content"
    size: Size
    part: int = -1            # content pages: which part
    page: int = -1            # content pages: the page inside the part; contents pages: which contents page
    number: int = 0           # counted from the first content page (1 …); 0 for the front matter


@dataclass(frozen=True)
class Entry:
    """One line of the contents: a topic (level 0) or one of its parts (level 1), and its page number."""

    label: str
    level: int
    number: int


@dataclass(frozen=True)
class PackPlan:
    """Every physical page of the pack and what the contents say, decided before anything is drawn."""

    groups: tuple[Group, ...]
    slots: tuple[Slot, ...]
    contents: tuple[tuple[Entry, ...], ...]  # the lines of each contents page
    first_page: tuple[int, ...]              # the physical index of each part's first page
    front: int                               # cover, contents and a blank to make them even in duplex

    @property
    def total(self) -> int:
        """Pages numbered 1, 2, 3 …: the parts' pages and the blanks between topics."""
        return len(self.slots) - self.front

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(e for page in self.contents for e in page)

    def physical(self, number: int) -> int:
        """The physical index of the page numbered ``number``."""
        return self.front + number - 1

    def parts(self, group: int) -> range:
        """The parts of one group."""
        start = sum(len(g.kinds) for g in self.groups[:group])
        return range(start, start + len(self.groups[group].kinds))


def plan_pages(groups: Sequence[Group], page_sizes: Sequence[Sequence[Size]], per_page: int, duplex: bool,
               front_size: Size = PAPERS["A4"]) -> PackPlan:
    """Every page of the pack in order. ``page_sizes`` holds each part's page sizes; ``per_page`` is
    how many lines a contents page holds. Double-sided, the front matter is made even and a topic
    that would start on a left-hand page gets a blank page before it."""
    if per_page < 1:
        raise ValueError(f"a contents page must hold at least one line, not {per_page}")
    if sum(len(g.kinds) for g in groups) != len(page_sizes):
        raise ValueError("one list of page sizes for each part of the groups")
    chunks = _chunks(groups, per_page)
    front = [Slot("cover", front_size)]
    front += [Slot("contents", front_size, page=k) for k in range(sum(_pages_for(n, per_page) for n in chunks))]
    if duplex and len(front) % 2:
        front.append(Slot("blank", front_size))
    body, first_page = _body(groups, page_sizes, duplex, len(front))
    entries = _entries(groups, [p - len(front) + 1 for p in first_page])
    return PackPlan(tuple(groups), tuple(front + body), _paginate(entries, chunks, per_page), tuple(first_page),
                    len(front))


def _chunks(groups: Sequence[Group], per_page: int) -> list[int]:
    """Contents lines that start on a fresh contents page: a topic's lines stay on one page unless
    the topic alone fills more than a page."""
    chunks = [0]
    for g in groups:
        lines = 1 + len(g.kinds)
        if chunks[-1] and chunks[-1] + lines > per_page:
            chunks.append(0)
        chunks[-1] += lines
    return chunks


def _pages_for(lines: int, per_page: int) -> int:
    return max(1, -(-lines // per_page))


def _body(groups: Sequence[Group], page_sizes: Sequence[Sequence[Size]], duplex: bool,
          front: int) -> tuple[list[Slot], list[int]]:
    """The numbered pages, and the physical index of each part's first page."""
    slots: list[Slot] = []
    first_page: list[int] = []
    part = 0
    for g in groups:
        if duplex and (front + len(slots)) % 2:  # the topic would start on a left-hand page
            slots.append(Slot("blank", page_sizes[part][0], number=len(slots) + 1))
        for k in range(len(g.kinds)):
            if duplex and k and k < len(g.paired) and g.paired[k] and (front + len(slots)) % 2:
                slots.append(Slot("blank", page_sizes[part][0], number=len(slots) + 1))  # fronts on the right
            first_page.append(front + len(slots))
            for k, size in enumerate(page_sizes[part]):
                slots.append(Slot("content", size, part, k, len(slots) + 1))
            part += 1
    return slots, first_page


def _entries(groups: Sequence[Group], numbers: list[int]) -> list[Entry]:
    """Each topic, then each of its parts, with the number of the page it starts on."""
    out: list[Entry] = []
    part = 0
    for g in groups:
        out.append(Entry(g.title, 0, numbers[part]))
        out += [Entry(kind, 1, numbers[part + k]) for k, kind in enumerate(g.kinds)]
        part += len(g.kinds)
    return out


def _paginate(entries: list[Entry], chunks: list[int], per_page: int) -> tuple[tuple[Entry, ...], ...]:
    pages: list[tuple[Entry, ...]] = []
    at = 0
    for lines in chunks:
        chunk = entries[at:at + lines]
        at += lines
        pages += [tuple(chunk[i:i + per_page]) for i in range(0, max(lines, 1), per_page)]
    return tuple(pages)


# -- what the plan is made from -----------------------------------------------------------------------------

def groups_of(parts: Sequence[Part]) -> list[Group]:
    """Neighbouring parts of one topic make a group."""
    runs: list[tuple[Topic, list[str], list[bool]]] = []
    for p in parts:
        if not (runs and runs[-1][0].id == p.topic.id):
            runs.append((p.topic, [], []))
        runs[-1][1].append(_kind_name(p.layout))
        runs[-1][2].append(p.rendered.paired)
    return [Group(markup.plain(topic.title), tuple(kinds), tuple(paired) if any(paired) else ())
            for topic, kinds, paired in runs]


def _kind_name(layout: Layout) -> str:
    name = kind_title(layout.kind)
    return name if layout.name == layout.kind else f"{name} ({layout.name})"


def page_sizes(source: PdfReader) -> list[Size]:
    return [(float(page.mediabox.width), float(page.mediabox.height)) for page in source.pages]


def lines_per_page(size: Size) -> int:
    """How many contents lines a front-matter page of this size holds."""
    return int((size[1] - 2 * MARGIN - 60) // LINE)


@dataclass(frozen=True)
class Row:
    """Where one contents line stands on its page."""

    entry: Entry
    x: float
    y: float           # baseline
    right: float       # where the page number ends
    size: float        # type size

    @property
    def link(self) -> tuple[float, float, float, float]:
        """The rectangle that leads to the entry's page."""
        return (self.x, self.y - 4, self.right, self.y + self.size)


def contents_rows(size: Size, entries: Sequence[Entry]) -> list[Row]:
    """The lines of one contents page, top down, below the heading's room."""
    w, h = size
    y = h - MARGIN - 20 - 40
    rows = []
    for e in entries:
        rows.append(Row(e, MARGIN + (0 if e.level == 0 else 16), y, w - MARGIN, 11 if e.level == 0 else 10))
        y -= LINE
    return rows


# -- drawing what the pack adds (ReportLab) -----------------------------------------------------------------

def _draw_pages(slots: Sequence[Slot], draw: Callable[[Canvas, Slot], None]) -> bytes:
    """One page for each slot, of the slot's size."""
    buf = io.BytesIO()
    c = Canvas(buf, invariant=1)
    for slot in slots:
        c.setPageSize(slot.size)
        draw(c, slot)
        c.showPage()
    c.save()
    return buf.getvalue()


def draw_front(plan: PackPlan, info: PackInfo, missing: list[str] | None = None) -> bytes:
    """The cover, contents and blank pages, in the plan's order, as a PDF of their own; characters no
    font has are added to ``missing``."""
    front = _Front(info, missing if missing is not None else [])

    def draw(c: Canvas, slot: Slot) -> None:
        if slot.kind == "cover":
            front.cover(c, slot.size, plan.groups)
        elif slot.kind == "contents":
            front.contents(c, slot.size, plan.contents[slot.page], first=slot.page == 0)
        else:
            front.blank(c, slot.size)

    return _draw_pages([s for s in plan.slots if s.kind != "content"], draw)


class _Front:
    """Draws the cover, the contents and blank pages."""

    def __init__(self, info: PackInfo, missing: list[str]):
        fonts.register_body()
        self.info = info
        self.missing = missing
        self.accent = colour(HOUSE.accent, info.grayscale)
        self.muted = colour(HOUSE.muted, info.grayscale)
        self.ink = colour(HOUSE.text, info.grayscale)
        self.rule = colour(HOUSE.rule, info.grayscale)

    def cover(self, c: Canvas, size: Size, groups: Sequence[Group]) -> None:
        w, h = size
        m = MARGIN
        c.setFillColor(self.accent)
        c.rect(m, h - m - BAND, w - 2 * m, BAND, stroke=0, fill=1)
        title = cover_title(self.info.title, w - 2 * m - 40)
        for line, down in zip(title.lines, title.baselines, strict=True):
            text.draw(c, m + 20, h - m - down, line, title.size, colors.white, bold=True, missing=self.missing)
        details = [(label, value) for label, value in (("Class", self.info.class_), ("Teacher", self.info.teacher),
                                                       ("Date", self.info.date)) if value]
        y = h - m - 190
        for label, value in details:
            text.draw(c, m + 20, y, label, 11, self.muted)
            text.draw(c, m + 90, y, text.fit(value, 13, w - 2 * m - 90, bold=True), 13, self.ink, bold=True,
                      missing=self.missing)
            y -= 22
        self._topics(c, w, y - 14, groups)

    def _topics(self, c: Canvas, w: float, y: float, groups: Sequence[Group]) -> None:
        """"In this pack": each topic with its kinds, as many as the cover holds."""
        m = MARGIN
        text.draw(c, m + 20, y, "In this pack", 12, self.accent, bold=True)
        c.setStrokeColor(self.rule)
        c.line(m + 20, y - 6, w - m - 20, y - 6)
        y -= 26
        for k, group in enumerate(groups):
            if y < m + 40:
                text.draw(c, m + 20, y, f"… and {len(groups) - k} more topics (see the contents)", 10, self.muted)
                break
            text.draw(c, m + 20, y, text.fit(group.title, 11.5, w - 2 * m - 40, bold=True), 11.5, self.ink,
                      bold=True, missing=self.missing)
            text.draw(c, m + 20, y - 14, " · ".join(group.kinds), 9, self.muted)
            y -= 34

    def contents(self, c: Canvas, size: Size, entries: Sequence[Entry], first: bool) -> None:
        if first:
            text.draw(c, MARGIN, size[1] - MARGIN - 20, "Contents", 20, self.accent, bold=True)
        for row in contents_rows(size, entries):
            self._row(c, row)

    def _row(self, c: Canvas, row: Row) -> None:
        """The title, a dotted leader and the page number."""
        bold = row.entry.level == 0
        num = str(row.entry.number)
        label = text.fit(row.entry.label, row.size, row.right - row.x - 60, bold)
        label_w = text.draw(c, row.x, row.y, label, row.size, self.ink if bold else self.muted, bold=bold,
                            missing=self.missing)
        num_w = text.width(num, row.size, bold)
        text.draw(c, row.right - num_w, row.y, num, row.size, self.ink, bold=bold)
        c.setStrokeColor(self.rule)
        c.setDash([0.6, 2.4], 0)
        c.line(row.x + label_w + 6, row.y + 2, row.right - num_w - 6, row.y + 2)
        c.setDash([], 0)

    def blank(self, c: Canvas, size: Size) -> None:
        w, h = size
        width = text.width(BLANK_TEXT, 10)
        text.draw(c, (w - width) / 2, h / 2, BLANK_TEXT, 10, self.muted)


def overlays(plan: PackPlan, info: PackInfo) -> tuple[bytes, bytes | None]:
    """One page for each pack page: the footer (laid over the content) and, if asked, the watermark
    (laid under it)."""
    fonts.register_body()
    footer = _draw_pages(plan.slots, lambda c, slot: _footer(c, slot, plan.total, info))
    watermark = _draw_pages(plan.slots, lambda c, slot: _watermark(c, slot.size, info)) if info.watermark else None
    return footer, watermark


def _footer(c: Canvas, slot: Slot, total: int, info: PackInfo) -> None:
    """Class · title on the left, "page X of Y" on the right, on numbered pages only."""
    if not slot.number:
        return
    muted = colour(HOUSE.muted, info.grayscale)
    left_text = " · ".join(x for x in (info.class_, info.title) if x)
    w = slot.size[0]
    y = FOOT_BASELINE
    x0, x1 = FOOT_MM * MM + 4 * MM, w - FOOT_MM * MM - 4 * MM
    c.setStrokeColor(colour(HOUSE.rule, info.grayscale))
    c.setLineWidth(0.4)
    c.line(x0, STAMP_BASELINE + 11, x1, STAMP_BASELINE + 11)  # above the student's line
    num = f"page {slot.number} of {total}"
    text.draw(c, x1 - text.width(num, FOOT_PT), y, num, FOOT_PT, muted)
    text.draw(c, x0, y, text.fit(left_text, FOOT_PT, (x1 - x0) * 0.4, False), FOOT_PT, muted)


def _watermark(c: Canvas, size: Size, info: PackInfo) -> None:
    """The watermark across the page's centre, light enough that the notes read through it."""
    w, h = size
    c.saveState()
    grey = colour(HOUSE.watermark, info.grayscale)
    ink = colors.Color(grey.red, grey.green, grey.blue, alpha=0.16)
    c.translate(w / 2, h / 2)
    c.rotate(35)
    mark = info.watermark
    type_size = min(90.0, (w * 0.9) / max(text.width(mark, 1, True), 1))
    text.draw(c, -text.width(mark, type_size, True) / 2, -type_size / 3, mark, type_size, ink, bold=True)
    c.restoreState()


# -- joining it all (pypdf) ---------------------------------------------------------------------------------

def merge(plan: PackPlan, sources: Sequence[Part], outlines: Sequence[list[tuple[str, int, int]]], front: bytes,
          stamps: tuple[bytes, bytes | None], info: PackInfo, firsts: Sequence[int] = ()) -> bytes:
    """The pack: the plan's pages with their stamps, contents links, bookmarks, page labels and metadata.
    ``outlines`` are the parts' own bookmarks (``_shape``); ``firsts`` the index of each part's first
    chosen page (0 when not given)."""
    writer = PdfWriter()
    _add_pages(writer, plan, sources, front, stamps, firsts)
    _add_links(writer, plan)
    _add_bookmarks(writer, plan, outlines)
    writer.set_page_label(0, plan.front - 1, style=PageLabelStyle.LOWERCASE_ROMAN)
    writer.set_page_label(plan.front, len(plan.slots) - 1, style=PageLabelStyle.DECIMAL, start=1)
    writer.add_metadata({"/Title": info.title, "/Author": info.teacher or "studynotes",
                         "/Subject": info.class_, "/Creator": f"studynotes {__version__}",
                         "/Producer": f"studynotes {__version__} (pypdf)"})
    with tempfile.TemporaryFile() as out:  # a growing buffer in memory would hold the pack up to twice
        writer.write(out)
        del writer  # its objects go before the pack's bytes come in
        out.seek(0)
        return out.read()


def _add_pages(writer: PdfWriter, plan: PackPlan, sources: Sequence[Part], front: bytes,
               stamps: tuple[bytes, bytes | None], firsts: Sequence[int] = ()) -> None:
    """Every page in the plan's order with its footer (and watermark). A part is opened when its first
    page is placed and let go after its last (each part's pages are neighbours in the plan)."""
    made = iter(PdfReader(io.BytesIO(front)).pages)
    over = PdfReader(io.BytesIO(stamps[0]))
    under = PdfReader(io.BytesIO(stamps[1])) if stamps[1] is not None else None
    reader: PdfReader | None = None
    at, links = -1, 0
    programs: dict[bytes, IndirectObject] = {}
    for n, slot in enumerate(plan.slots):
        if slot.kind == "content":
            if slot.part != at:
                _let_go(writer, reader, links, programs)
                reader, at = PdfReader(io.BytesIO(sources[slot.part].pdf())), slot.part
                links = len(writer._unresolved_links)
            assert reader is not None
            writer.add_page(reader.pages[slot.page + (firsts[slot.part] if firsts else 0)])
        else:
            writer.add_page(next(made))
        page = writer.pages[n]
        if under is not None:
            page.merge_page(under.pages[n], over=False)
        page.merge_page(over.pages[n])
        page.compress_content_streams()  # pypdf writes a merged page's content uncompressed: 30 KB a page
    _let_go(writer, reader, links, programs)
    for idnum in range(1, len(writer._objects) + 1):  # the front matter and footers: after the parts
        _share_program(writer, writer._objects[idnum - 1], programs)


def _share_program(writer: PdfWriter, obj: Any, programs: dict[bytes, IndirectObject]) -> None:
    """A font descriptor whose font program the pack already holds points at that one; its own copy
    is left as ``null``. Parts rendered with ``subsets.shared`` embed byte-identical programs for the
    characters most text uses, so a pack carries each font about once instead of once per part."""
    if not (isinstance(obj, DictionaryObject) and obj.get("/Type") == "/FontDescriptor"):
        return
    ref = obj.get("/FontFile2")
    if not isinstance(ref, IndirectObject):
        return
    program = ref.get_object()
    if not isinstance(program, StreamObject):
        return
    key = hashlib.sha256(program.get_data()).digest()
    first = programs.setdefault(key, ref)
    if first.idnum != ref.idnum:
        obj[NameObject("/FontFile2")] = first
        writer._objects[ref.idnum - 1] = _Final(NullObject(), ref)


def _let_go(writer: PdfWriter, reader: PdfReader | None, links: int,
            programs: dict[bytes, IndirectObject] | None = None) -> None:
    """Free a part whose pages are all in the writer. pypdf remembers every source page it copied, to
    repoint links between merged pages when it writes, and so kept every part of a 400-page pack parsed
    at once (40 MB); a part whose pages brought no such links (``links``: how many pypdf had before
    them) is forgotten. (Private pypdf state, as in ``impose._register``.)"""
    if reader is None:
        return
    copied = [n for k, n in writer._id_translated.get(id(reader), {}).items() if k != "PreventGC"]
    for idnum in copied:
        if programs is not None:
            _share_program(writer, writer._objects[idnum - 1], programs)
    for idnum in copied:  # the part's fonts: nothing changes them once its pages are in
        obj = writer._objects[idnum - 1]
        if isinstance(obj, DictionaryObject) and obj.get("/Type") in ("/Font", "/FontDescriptor"):
            writer._objects[idnum - 1] = _Final(obj)
    writer.reset_translation(reader)
    if len(writer._unresolved_links) > links:
        return
    for key in [k for k in writer._merged_in_pages if k is not None and k.pdf is reader]:
        del writer._merged_in_pages[key]


class _Final(PdfObject):
    """An object of the pack already in the bytes it is written as. A font's widths are hundreds of
    pypdf numbers: a 400-page pack held 11 MB of them as Python objects until it was written."""

    def __init__(self, obj: PdfObject, ref: IndirectObject | None = None) -> None:
        out = io.BytesIO()
        obj.write_to_stream(out)
        self.data = out.getvalue()
        self.indirect_reference = ref if ref is not None else obj.indirect_reference

    def write_to_stream(self, stream: IO[Any]) -> None:
        stream.write(self.data)


def _add_links(writer: PdfWriter, plan: PackPlan) -> None:
    """Each contents line leads to the page its number names."""
    for n, slot in enumerate(plan.slots):
        if slot.kind == "contents":
            for row in contents_rows(slot.size, plan.contents[slot.page]):
                writer.add_annotation(n, Link(rect=row.link, target_page_index=plan.physical(row.entry.number)))


def _add_bookmarks(writer: PdfWriter, plan: PackPlan, outlines: Sequence[list[tuple[str, int, int]]]) -> None:
    """Topic → kind → the part's own sections."""
    for g, group in enumerate(plan.groups):
        parts = plan.parts(g)
        top = writer.add_outline_item(title=group.title, page_number=plan.first_page[parts.start])
        for i, kind in zip(parts, group.kinds, strict=True):
            first = plan.first_page[i]
            kind_item = writer.add_outline_item(title=kind, page_number=first, parent=top, is_open=False)
            last_at_level: dict[int, IndirectObject] = {-1: kind_item}
            for title, level, page_index in outlines[i]:
                parent = last_at_level.get(level - 1, kind_item)
                last_at_level[level] = writer.add_outline_item(title=title, page_number=first + page_index,
                                                               parent=parent)


def _outline(reader: PdfReader) -> list[tuple[str, int, int]]:
    """A part's own bookmarks as (title, level, page index)."""
    out: list[tuple[str, int, int]] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            elif (page := reader.get_destination_page_number(item)) is not None:
                out.append((str(item.title), level, page))

    walk(reader.outline, 0)
    return out
