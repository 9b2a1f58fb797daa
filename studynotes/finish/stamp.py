"""Per-student copies: the pack is rendered once, then each copy gets "Prepared for NAME · Roll N"
on every page.

The stamp is drawn once per student with ReportLab (so any script prints)
and added to each page as a form XObject in an extra content stream; the
pages' own content is never parsed or rewritten, which keeps 200 copies of
a 20-page pack to a few seconds.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
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
from ..style import HOUSE, colour
from .geometry import STAMP_BASELINE

STAMP_PT = 8.0

Size = tuple[float, float]


def _stamp_pages(student: Student, sizes: list[Size], grayscale: bool) -> PdfReader:
    """One page per distinct page size with the student's line, centred in the footer strip."""
    fonts.register_body()
    buf = io.BytesIO()
    c = Canvas(buf, invariant=1)
    ink = colour(HOUSE.accent, grayscale)
    for w, h in sizes:
        c.setPageSize((w, h))
        width = text.width(student.label, STAMP_PT, bold=True)
        text.draw(c, (w - width) / 2, STAMP_BASELINE, student.label, STAMP_PT, ink, bold=True)
        c.showPage()
    c.save()
    return PdfReader(io.BytesIO(buf.getvalue()))


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


def stamp(writer: PdfWriter, student: Student, grayscale: bool = False, first: int = 0, tag: str = "") -> None:
    """Add the student's line to every page of the writer's document from ``first`` on.

    ``tag`` keeps the names of different students' stamps apart where
    copies share resources (a collated print file)."""
    pages = list(writer.pages)[first:]
    sizes = list(dict.fromkeys(_size(page) for page in pages))  # distinct, in page order
    forms = _forms(writer, _stamp_pages(student, sizes, grayscale), sizes)
    push = _stream(writer, b"q\n")
    pop: tuple[IndirectObject, NameObject] | None = None
    for page in pages:
        size = _size(page)
        name = NameObject(f"/SnStudent{tag}x{sizes.index(size)}")
        _xobjects(page)[name] = forms[size]
        if pop is None or pop[1] != name:  # neighbouring pages of one size share the closing stream
            pop = (_stream(writer, b"Q\nq " + name.encode() + b" Do Q\n"), name)
        page[NameObject("/Contents")] = ArrayObject([push, *_contents(page), pop[0]])


def _size(page: PageObject) -> Size:
    return (float(page.mediabox.width), float(page.mediabox.height))


def _forms(writer: PdfWriter, stamps: PdfReader, sizes: list[Size]) -> dict[Size, IndirectObject]:
    """Each stamp page as a form XObject of the writer's file, by page size."""
    forms: dict[Size, IndirectObject] = {}
    for size, spage in zip(sizes, stamps.pages, strict=True):
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


def copies(pack_pdf: bytes, students: list[Student], grayscale: bool = False) -> Iterator[tuple[Student, bytes]]:
    """Each student's copy of the pack, in roster order."""
    base = PdfReader(io.BytesIO(pack_pdf))
    for student in students:
        writer = PdfWriter(clone_from=base)
        stamp(writer, student, grayscale)
        out = io.BytesIO()
        writer.write(out)
        yield student, out.getvalue()


def collate(pack_pdf: bytes, students: list[Student], grayscale: bool = False, duplex: bool = False) -> bytes:
    """All copies in one file, in roster order, each with a bookmark, ready for the printer.
    Double-sided, each copy is padded to an even number of pages so the next starts on a new sheet."""
    base = PdfReader(io.BytesIO(pack_pdf))
    writer = PdfWriter()
    for i, student in enumerate(students):
        start = len(writer.pages)
        writer.append(base, import_outline=False)  # the copies share fonts and page content
        stamp(writer, student, grayscale, first=start, tag=str(i))
        if duplex and len(base.pages) % 2:
            last = base.pages[-1].mediabox
            writer.add_blank_page(float(last.width), float(last.height))
        writer.add_outline_item(title=student.label.removeprefix("Prepared for "), page_number=start)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
