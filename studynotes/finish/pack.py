"""Class packs: rendered PDFs joined into one print-ready document.

Cover, contents with page numbers and links, bookmarks nested topic → kind
→ section, page labels (i, ii … for the front matter, then 1, 2, 3 …), a
footer with the class and "page X of Y" on every content page, blank
left-hand pages when printing double-sided, and an optional watermark.
The pack knows nothing of the kinds: each rendered part brings its pages
and its own bookmarks.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from .. import __version__, fonts, markup, text
from ..load.presets import PAPERS, Layout
from ..model import Topic
from ..render import Rendered
from ..render import title as kind_title
from ..style import HOUSE, MM, colour
from .geometry import FOOT_BASELINE, FOOT_MM, FOOT_PT, FOOT_STRIP_MM, STAMP_BASELINE

BLANK_TEXT = "This page is intentionally left blank."


@dataclass(frozen=True)
class Part:
    """One rendered document of the pack."""

    topic: Topic
    layout: Layout
    rendered: Rendered


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


@dataclass
class _Slot:
    """One physical page of the pack."""

    kind: str                 # "cover", "contents", "blank", "content"
    size: tuple[float, float]
    part: int = -1            # index into parts, for content pages
    page: int = -1            # page index inside the part
    number: int = 0           # content page number (1 …), 0 for front matter


@dataclass(frozen=True)
class Pack:
    pdf: bytes
    pages: int
    front: int                                 # cover and contents pages (numbered i, ii …)
    sizes: tuple[tuple[float, float], ...]     # every page's size, for stamping
    contents: tuple[tuple[str, int, int], ...] = field(default=())  # (title, level, content page number)


def pack_layout(layout: Layout) -> Layout:
    """The layout a part is rendered with inside a pack: room at the foot for the pack's footer."""
    top, right, bottom, left = layout.margins
    return replace(layout, page_numbers=False, margins=(top, right, max(bottom, FOOT_MM) + FOOT_STRIP_MM, left))


def _outline(reader: PdfReader) -> list[tuple[str, int, int]]:
    """A part's own bookmarks as (title, level, page index)."""
    out: list[tuple[str, int, int]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((str(item.title), level, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return out


class _Front:
    """Draws the cover, the contents and blank pages with ReportLab."""

    def __init__(self, info: PackInfo):
        fonts.register_body()
        self.info = info
        self.size = PAPERS[info.paper]
        self.accent = colour(HOUSE.accent, info.grayscale)
        self.muted = colour(HOUSE.muted, info.grayscale)
        self.ink = colour(HOUSE.text, info.grayscale)
        self.rule = colour(HOUSE.rule, info.grayscale)
        self.missing: list[str] = []
        self.margin = 18 * MM

    def cover(self, c: Canvas, groups: list[tuple[Topic, list[str]]]) -> None:
        w, h = self.size
        m = self.margin
        c.setFillColor(self.accent)
        c.rect(m, h - m - 150, w - 2 * m, 150, stroke=0, fill=1)
        y = h - m - 60
        for line in text.wrap_width(self.info.title, 26, w - 2 * m - 40, bold=True):
            text.draw(c, m + 20, y, line, 26, colors.white, bold=True, missing=self.missing)
            y -= 31
        details = [(label, value) for label, value in (("Class", self.info.class_), ("Teacher", self.info.teacher),
                                                       ("Date", self.info.date)) if value]
        y = h - m - 190
        for label, value in details:
            text.draw(c, m + 20, y, label, 11, self.muted, missing=self.missing)
            text.draw(c, m + 90, y, value, 13, self.ink, bold=True, missing=self.missing)
            y -= 22
        y -= 14
        text.draw(c, m + 20, y, "In this pack", 12, self.accent, bold=True, missing=self.missing)
        c.setStrokeColor(self.rule)
        c.line(m + 20, y - 6, w - m - 20, y - 6)
        y -= 26
        for topic, kinds in groups:
            if y < m + 40:
                text.draw(c, m + 20, y, f"… and {len(groups) - groups.index((topic, kinds))} more topics "
                          "(see the contents)", 10, self.muted, missing=self.missing)
                break
            text.draw(c, m + 20, y, markup.plain(topic.title), 11.5, self.ink, bold=True, missing=self.missing)
            text.draw(c, m + 20, y - 14, " · ".join(kinds), 9, self.muted, missing=self.missing)
            y -= 34

    LINE = 17.0

    def per_page(self) -> int:
        return int((self.size[1] - 2 * self.margin - 60) // self.LINE)

    def contents(self, c: Canvas, entries: list[tuple[str, int, int]], first: bool) -> list[tuple[tuple, int]]:
        """Draw contents entries; returns (link rectangle, content page number) for each."""
        w, h = self.size
        m = self.margin
        y = h - m - 20
        if first:
            text.draw(c, m, y, "Contents", 20, self.accent, bold=True, missing=self.missing)
        y -= 40
        links = []
        for label, level, number in entries:
            indent = m + (0 if level == 0 else 16)
            size = 11 if level == 0 else 10
            bold = level == 0
            num = str(number)
            right = w - m
            label_w = text.draw(c, indent, y, text.fit(label, size, right - indent - 60, bold), size,
                                self.ink if level == 0 else self.muted, bold=bold, missing=self.missing)
            num_w = text.width(num, size, bold)
            text.draw(c, right - num_w, y, num, size, self.ink, bold=bold, missing=self.missing)
            c.setStrokeColor(self.rule)
            c.setDash([0.6, 2.4], 0)
            c.line(indent + label_w + 6, y + 2, right - num_w - 6, y + 2)
            c.setDash([], 0)
            links.append(((indent, y - 4, right, y + size), number))
            y -= self.LINE
        return links

    def blank(self, c: Canvas, size) -> None:
        w, h = size
        width = text.width(BLANK_TEXT, 10)
        text.draw(c, (w - width) / 2, h / 2, BLANK_TEXT, 10, self.muted, missing=self.missing)


def assemble(parts: list[Part], info: PackInfo) -> Pack:
    """Join rendered parts into one pack."""
    readers = [PdfReader(io.BytesIO(p.rendered.pdf)) for p in parts]
    front = _Front(info)

    # which parts belong to which topic, in order
    groups: list[tuple[Topic, list[int]]] = []
    for i, p in enumerate(parts):
        if groups and groups[-1][0].id == p.topic.id:
            groups[-1][1].append(i)
        else:
            groups.append((p.topic, [i]))

    def kind_name(p: Part) -> str:
        name = kind_title(p.layout.kind)
        return name if p.layout.name == p.layout.kind else f"{name} ({p.layout.name})"

    per = front.per_page()
    # contents pages: a topic's lines stay on one page (unless a topic alone fills more than a page)
    chunks: list[list[int]] = [[]]
    for g, (_, idx) in enumerate(groups):
        size = 1 + len(idx)
        if chunks[-1] and sum(len(groups[h][1]) + 1 for h in chunks[-1]) + size > per:
            chunks.append([])
        chunks[-1].append(g)
    contents_pages = max(1, sum(max(1, -(-sum(len(groups[h][1]) + 1 for h in ch) // per)) for ch in chunks))

    # plan the physical pages
    slots = [_Slot("cover", front.size)] + [_Slot("contents", front.size) for _ in range(contents_pages)]
    if info.duplex and len(slots) % 2 == 1:
        slots.append(_Slot("blank", front.size))
    n_front = len(slots)
    first_page_of: dict[int, int] = {}  # part index → physical index of its first page
    for _, idx in groups:
        if info.duplex and len(slots) % 2 == 1:  # the next page would be a left-hand page
            size = tuple(float(x) for x in readers[idx[0]].pages[0].mediabox[2:])
            slots.append(_Slot("blank", size))
        for i in idx:
            first_page_of[i] = len(slots)
            for k, page in enumerate(readers[i].pages):
                slots.append(_Slot("content", (float(page.mediabox.width), float(page.mediabox.height)), i, k))
    content_total = len(slots) - n_front
    for n, slot in enumerate(slots[n_front:], 1):
        slot.number = n

    # contents entries: topic, then each kind, with content page numbers
    entries: list[tuple[str, int, int]] = []
    for topic, idx in groups:
        entries.append((markup.plain(topic.title), 0, slots[first_page_of[idx[0]]].number))
        for i in idx:
            entries.append((kind_name(parts[i]), 1, slots[first_page_of[i]].number))

    # front matter and blank pages, drawn with ReportLab
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=front.size, invariant=1)
    links: list[tuple[int, tuple, int]] = []
    pages_of_entries: list[list[tuple[str, int, int]]] = []
    at = 0
    for ch in chunks:
        count = sum(len(groups[h][1]) + 1 for h in ch)
        lines = entries[at:at + count]
        at += count
        pages_of_entries += [lines[i:i + per] for i in range(0, max(len(lines), 1), per)]
    for n, slot in enumerate(slots):
        if slot.kind == "content":
            continue
        c.setPageSize(slot.size)
        if slot.kind == "cover":
            front.cover(c, [(t, [kind_name(parts[i]) for i in idx]) for t, idx in groups])
        elif slot.kind == "contents":
            k = n - 1
            for rect, number in front.contents(c, pages_of_entries[k] if k < len(pages_of_entries) else [], k == 0):
                links.append((n, rect, number))
        else:
            front.blank(c, slot.size)
        c.showPage()
    c.save()
    made = PdfReader(io.BytesIO(buf.getvalue()))

    # the stamps: footer above, watermark below the content
    over = _overlay(slots, info, content_total, footer=True)
    under = _overlay(slots, info, content_total, footer=False) if info.watermark else None

    writer = PdfWriter()
    made_i = 0
    for n, slot in enumerate(slots):
        if slot.kind == "content":
            writer.add_page(readers[slot.part].pages[slot.page])
        else:
            writer.add_page(made.pages[made_i])
            made_i += 1
        page = writer.pages[n]
        if under is not None:
            page.merge_page(under.pages[n], over=False)
        page.merge_page(over.pages[n])

    physical_of_number = {s.number: i for i, s in enumerate(slots) if s.number}
    for page_n, rect, number in links:
        writer.add_annotation(page_n, Link(rect=rect, target_page_index=physical_of_number[number]))

    # bookmarks: topic → kind → the part's own sections
    for topic, idx in groups:
        top = writer.add_outline_item(title=markup.plain(topic.title), page_number=first_page_of[idx[0]])
        for i in idx:
            kind_item = writer.add_outline_item(title=kind_name(parts[i]), page_number=first_page_of[i], parent=top,
                                                is_open=False)
            last_at_level: dict[int, object] = {-1: kind_item}
            for title, level, page_index in _outline(readers[i]):
                parent = last_at_level.get(level - 1, kind_item)
                last_at_level[level] = writer.add_outline_item(title=title, page_number=first_page_of[i] + page_index,
                                                               parent=parent)
    writer.set_page_label(0, n_front - 1, style="/r")
    writer.set_page_label(n_front, len(slots) - 1, style="/D", start=1)
    writer.add_metadata({"/Title": info.title, "/Author": info.teacher or "studynotes",
                         "/Subject": info.class_, "/Creator": f"studynotes {__version__}",
                         "/Producer": f"studynotes {__version__} (pypdf)"})
    out = io.BytesIO()
    writer.write(out)
    sizes = tuple(s.size for s in slots)
    return Pack(out.getvalue(), len(slots), n_front, sizes, tuple(entries))


def _overlay(slots: list[_Slot], info: PackInfo, total: int, footer: bool) -> PdfReader:
    """One overlay page per pack page: the footer (class, title, page X of Y) or the watermark."""
    buf = io.BytesIO()
    c = Canvas(buf, invariant=1)
    muted = colour(HOUSE.muted, info.grayscale)
    rule = colour(HOUSE.rule, info.grayscale)
    left_text = " · ".join(x for x in (info.class_, info.title) if x)
    for slot in slots:
        w, h = slot.size
        c.setPageSize(slot.size)
        if footer and slot.number:
            y = FOOT_BASELINE
            x0, x1 = FOOT_MM * MM + 4 * MM, w - FOOT_MM * MM - 4 * MM
            c.setStrokeColor(rule)
            c.setLineWidth(0.4)
            c.line(x0, STAMP_BASELINE + 11, x1, STAMP_BASELINE + 11)  # above the student's line
            num = f"page {slot.number} of {total}"
            text.draw(c, x1 - text.width(num, FOOT_PT), y, num, FOOT_PT, muted)
            text.draw(c, x0, y, text.fit(left_text, FOOT_PT, (x1 - x0) * 0.4, False), FOOT_PT, muted)
        elif not footer and info.watermark:
            c.saveState()
            grey = colour(HOUSE.watermark, info.grayscale)
            ink = colors.Color(grey.red, grey.green, grey.blue, alpha=0.16)  # light: the notes read through it
            c.translate(w / 2, h / 2)
            c.rotate(35)
            size = min(90.0, (w * 0.9) / max(text.width(info.watermark, 1, True), 1))
            text.draw(c, -text.width(info.watermark, size, True) / 2, -size / 3, info.watermark, size, ink,
                      bold=True)
            c.restoreState()
        c.showPage()
    c.save()
    return PdfReader(io.BytesIO(buf.getvalue()))
