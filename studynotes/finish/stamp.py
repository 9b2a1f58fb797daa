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

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, RectangleObject
from reportlab.pdfgen.canvas import Canvas

from .. import fonts, text
from ..load.roster import Student
from ..style import HOUSE, colour
from .geometry import STAMP_BASELINE

STAMP_PT = 8.0


def _stamp_pages(student: Student, sizes: list[tuple[float, float]], grayscale: bool) -> PdfReader:
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


def _stream(writer: PdfWriter, data: bytes):
    s = DecodedStreamObject()
    s.set_data(data)
    return writer._add_object(s)


def stamp(writer: PdfWriter, student: Student, grayscale: bool = False, first: int = 0, tag: str = "") -> None:
    """Add the student's line to every page of the writer's document from ``first`` on.

    ``tag`` keeps the names of different students' stamps apart where
    copies share resources (a collated print file)."""
    pages = list(writer.pages)[first:]
    sizes = []
    for page in pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        if size not in sizes:
            sizes.append(size)
    stamps = _stamp_pages(student, sizes, grayscale)
    forms = {}
    for size, spage in zip(sizes, stamps.pages):
        form = DecodedStreamObject()
        form.set_data(spage.get_contents().get_data())
        form[NameObject("/Type")] = NameObject("/XObject")
        form[NameObject("/Subtype")] = NameObject("/Form")
        form[NameObject("/BBox")] = RectangleObject([0, 0, size[0], size[1]])
        form[NameObject("/Resources")] = spage["/Resources"].clone(writer)
        forms[size] = writer._add_object(form)
    push, pop = _stream(writer, b"q\n"), None
    for page in pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        name = NameObject(f"/SnStudent{tag}x{sizes.index(size)}")
        resources = page["/Resources"].get_object() if "/Resources" in page else DictionaryObject()
        if "/Resources" not in page:
            page[NameObject("/Resources")] = resources
        xobjects = resources.get("/XObject")
        if xobjects is None:
            xobjects = DictionaryObject()
            resources[NameObject("/XObject")] = xobjects
        xobjects.get_object()[name] = forms[size]
        if pop is None or pop[1] != name:
            pop = (_stream(writer, b"Q\nq " + name.encode() + b" Do Q\n"), name)
        contents = page.get("/Contents")
        original = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([push, *original, pop[0]])


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
