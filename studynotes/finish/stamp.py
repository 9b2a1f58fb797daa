"""Per-student copies: the pack is rendered once, then each copy gets "Prepared for NAME · Roll N"
on every page.

The stamp is drawn with ReportLab (so any script prints) and added to each
page as a form XObject; the pages' own content is never parsed or
rewritten, which keeps 200 copies of a 20-page pack to a few seconds. A
stamp line is planned first (``plan_stamp``): a long name is set smaller, down
to a floor, then cut with an ellipsis, so it never runs off the page.

The collated print file of a whole class shares everything it can: each
pack page is one form XObject, every student's stamp is drawn in one
ReportLab document (one font subset for the class), and each page of a copy
is a few bytes that place the two; so 2,000 copies cost little more than
the pack, and imposing them stays as small.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import cast

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    RectangleObject,
)
from reportlab.pdfgen.canvas import Canvas

from .. import fonts, text
from ..load.roster import Student
from ..style import HOUSE, MM, colour
from .geometry import FOOT_MM, STAMP_BASELINE
from .impose import PageBox, page_form

STAMP_PT = 8.0
STAMP_FLOOR_PT = 6.5           # a long name is set smaller down to this size, then cut
STAMP_MARGIN = FOOT_MM * MM + 4 * MM  # from each side of the page: where the footer line ends
PREFIX = "Prepared for "

Size = tuple[float, float]
Step = Callable[[int], None]


# -- the stamp line, planned --------------------------------------------------------------------------------

@dataclass(frozen=True)
class StampLine:
    """What a page of one student's copy says at its foot, and where: decided before drawing."""

    text: str
    size: float
    x: float
    y: float
    width: float
    cut: bool = False  # the name (or the line) was cut with an ellipsis


def plan_stamp(student: Student, page_width: float) -> StampLine:
    """The student's line centred between the margins: at 8 pt if it fits, else smaller down to the
    floor, else at the floor with the name (or, when the roll and batch alone fill the line, the
    whole line) cut with an ellipsis."""
    limit = page_width - 2 * STAMP_MARGIN
    label = student.label
    full = text.width(label, STAMP_PT, bold=True)
    size = STAMP_PT if full <= limit else max(STAMP_FLOOR_PT, math.floor(STAMP_PT * limit / full * 100) / 100)
    cut = text.width(label, size, bold=True) > limit
    if cut:
        label = _shorten(student, limit)
    width = text.width(label, size, bold=True)
    return StampLine(label, size, (page_width - width) / 2, STAMP_BASELINE, width, cut)


def _shorten(student: Student, limit: float) -> str:
    """The line at the floor size with its name cut to what is left beside the rest of the line."""
    rest = student.label.removeprefix(PREFIX + student.name)
    room = limit - text.width(PREFIX + rest, STAMP_FLOOR_PT, bold=True)
    if room >= limit / 3:
        return PREFIX + text.fit(student.name, STAMP_FLOOR_PT, room, bold=True) + rest
    return text.fit(student.label, STAMP_FLOOR_PT, limit, bold=True)


def _draw_stamps(students: Sequence[Student], sizes: list[Size], grayscale: bool) -> PdfReader:
    """One page per student and distinct page size, in that order, with the student's line."""
    fonts.register_body()
    buf = io.BytesIO()
    c = Canvas(buf, invariant=1)
    ink = colour(HOUSE.accent, grayscale)
    for student in students:
        for w, h in sizes:
            c.setPageSize((w, h))
            line = plan_stamp(student, w)
            text.draw(c, line.x, line.y, line.text, line.size, ink, bold=True)
            c.showPage()
    c.save()
    return PdfReader(io.BytesIO(buf.getvalue()))


# -- pypdf helpers -----------------------------------------------------------------------------------------

def _register(writer: PdfWriter, obj: PdfObject) -> IndirectObject:
    """Make an object of the writer's file and return a reference to it.

    pypdf (7.1) has no public call for this: ``add_page``, ``add_annotation`` and the outline calls
    register their own objects, but a bare stream or form XObject shared by many pages has no
    public way in. ``PdfWriter._add_object`` is that private method; it is called only here, so a
    pypdf that renames it breaks one line."""
    return writer._add_object(obj)


def _stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    """A content stream of the writer's file, to be shared by every page it is added to."""
    s = DecodedStreamObject()
    s.set_data(data)
    return _register(writer, s)


def _size(page: PageObject) -> Size:
    return (float(page.mediabox.width), float(page.mediabox.height))


def _forms(writer: PdfWriter, pages: Sequence[PageObject], sizes: list[Size]) -> dict[Size, IndirectObject]:
    """Each stamp page as a form XObject of the writer's file, by page size."""
    forms: dict[Size, IndirectObject] = {}
    for size, spage in zip(sizes, pages, strict=True):
        contents = spage.get_contents()
        form = DecodedStreamObject()
        form.set_data(contents.get_data() if contents is not None else b"")
        form[NameObject("/Type")] = NameObject("/XObject")
        form[NameObject("/Subtype")] = NameObject("/Form")
        form[NameObject("/BBox")] = RectangleObject([0, 0, size[0], size[1]])
        form[NameObject("/Resources")] = spage["/Resources"].clone(writer)
        forms[size] = _register(writer, form)
    return forms


def _xobjects(page: PageObject) -> DictionaryObject:
    """The page's named XObjects, made where the page has none."""
    if "/Resources" not in page:
        page[NameObject("/Resources")] = DictionaryObject()
    resources = cast(DictionaryObject, page["/Resources"].get_object())
    if resources.get("/XObject") is None:
        resources[NameObject("/XObject")] = DictionaryObject()
    return cast(DictionaryObject, resources["/XObject"].get_object())


def _contents(page: PageObject) -> list[PdfObject]:
    """The page's content streams as they are, never parsed."""
    contents = page.get("/Contents")
    if contents is None:
        return []
    streams = contents.get_object()
    return list(streams) if isinstance(streams, ArrayObject) else [contents]


# -- one student's copy -------------------------------------------------------------------------------------

def stamp(writer: PdfWriter, student: Student, grayscale: bool = False) -> None:
    """Add the student's line to every page of the writer's document."""
    pages = list(writer.pages)
    sizes = list(dict.fromkeys(_size(page) for page in pages))  # distinct, in page order
    forms = _forms(writer, _draw_stamps([student], sizes, grayscale).pages, sizes)
    push = _stream(writer, b"q\n")
    pop: tuple[IndirectObject, NameObject] | None = None
    for page in pages:
        size = _size(page)
        name = NameObject(f"/SnStudentx{sizes.index(size)}")
        _xobjects(page)[name] = forms[size]
        if pop is None or pop[1] != name:  # neighbouring pages of one size share the closing stream
            pop = (_stream(writer, b"Q\nq " + name.encode() + b" Do Q\n"), name)
        page[NameObject("/Contents")] = ArrayObject([push, *_contents(page), pop[0]])


def copies(pack_pdf: bytes, students: list[Student], grayscale: bool = False) -> Iterator[tuple[Student, bytes]]:
    """Each student's copy of the pack, in roster order."""
    base = PdfReader(io.BytesIO(pack_pdf))
    for student in students:
        writer = PdfWriter(clone_from=base)
        stamp(writer, student, grayscale)
        out = io.BytesIO()
        writer.write(out)
        yield student, out.getvalue()


# -- the whole class in one file ----------------------------------------------------------------------------

_SHOW = b"/SnPage Do /SnStudent Do\n"  # every page of the collated file: the pack page, then the stamp
_PAGE_KEYS = ("/MediaBox", "/CropBox", "/Rotate", "/UserUnit")


@dataclass(frozen=True)
class _Base:
    """One page of the pack, made once into the collated file."""

    page: PageObject
    form: IndirectObject
    size: Size


def _bases(writer: PdfWriter, base: PdfReader) -> list[_Base]:
    out = []
    for page in base.pages:
        box = page.mediabox
        whole = PageBox(float(box.left), float(box.bottom), float(box.width), float(box.height))
        out.append(_Base(page, page_form(writer, page, whole), _size(page)))
    return out


def _copy_pages(writer: PdfWriter, bases: list[_Base], show: IndirectObject,
                stamps: dict[Size, IndirectObject]) -> list[PageObject]:
    """One student's pages: each shows its pack page and the student's stamp, by reference."""
    made = []
    for b in bases:
        page = writer.add_blank_page(*b.size)
        for key in _PAGE_KEYS:
            if key in b.page:
                page[NameObject(key)] = b.page[key].clone(writer)
        xobjects = DictionaryObject({NameObject("/SnPage"): b.form, NameObject("/SnStudent"): stamps[b.size]})
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjects})
        page[NameObject("/Contents")] = show
        made.append(page)
    return made


def _ref(page: PageObject) -> IndirectObject:
    return cast(IndirectObject, page.indirect_reference)


def _copy_links(writer: PdfWriter, bases: list[_Base], made: list[PageObject]) -> None:
    """The pack's links (the contents lines), each leading to the page of this copy."""
    where = {_ref(b.page).idnum: _ref(page) for b, page in zip(bases, made, strict=True)}
    for b, page in zip(bases, made, strict=True):
        annots = ArrayObject()
        for a in b.page.get("/Annots") or []:
            link = a.get_object()
            dest = link.get("/Dest")
            target = dest[0] if isinstance(dest, ArrayObject) and dest else None
            if not isinstance(target, IndirectObject) or target.idnum not in where:
                continue  # only links inside the pack are kept (the pack makes no others)
            copy = cast(DictionaryObject, link.clone(writer, force_duplicate=True,  # one link per copy
                                                     ignore_fields=["/Dest", "/P", "/Parent"]))
            copy[NameObject("/Dest")] = ArrayObject([where[target.idnum], *(x.clone(writer) for x in dest[1:])])
            copy[NameObject("/P")] = _ref(page)
            annots.append(_register(writer, copy))
        if annots:
            page[NameObject("/Annots")] = annots


def collate(pack_pdf: bytes | Sequence[bytes], students: list[Student], grayscale: bool = False,
            duplex: bool = False, step: Step | None = None, which: Sequence[int] = ()) -> bytes:
    """All copies in one file, in roster order, each with a bookmark, ready for the printer.
    Double-sided, each copy is padded to an even number of pages so the next starts on a new sheet.
    ``step(pages)`` after each copy. With several packs (the papers of a quiz's series), ``which``
    says each student's: every pack's pages are made once and placed in the copies of its students."""
    packs = [pack_pdf] if isinstance(pack_pdf, bytes) else list(pack_pdf)
    writer = PdfWriter()
    every = [_bases(writer, PdfReader(io.BytesIO(pdf))) for pdf in packs]
    sizes = list(dict.fromkeys(b.size for bases in every for b in bases))
    drawn = _draw_stamps(students, sizes, grayscale).pages
    show = _stream(writer, _SHOW)
    n = len(sizes)
    for i, student in enumerate(students):
        bases = every[which[i] if which else 0]
        start = len(writer.pages)
        stamps = _forms(writer, [drawn[i * n + k] for k in range(n)], sizes)
        _copy_links(writer, bases, _copy_pages(writer, bases, show, stamps))
        if duplex and len(bases) % 2:
            writer.add_blank_page(*bases[-1].size)
        writer.add_outline_item(title=student.label.removeprefix(PREFIX), page_number=start)
        if step is not None:
            step(len(writer.pages) - start)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
