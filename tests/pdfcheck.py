"""Reading PDFs back for tests: text, outline, and the position and size of every glyph."""

from __future__ import annotations

import io
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdf import PdfReader

_WS = re.compile(r"\s+")
DEVANAGARI = re.compile("[\u0900-\u097F]")


def squash(text: str) -> str:
    """Text without any white space: line breaks in print fall anywhere."""
    return _WS.sub("", text)


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf), strict=True)


def page_texts(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in reader(pdf).pages]


def outline_titles(pdf: bytes) -> list[str]:
    out: list[str] = []

    def walk(items):
        for it in items:
            if isinstance(it, list):
                walk(it)
            else:
                out.append(it.title)

    walk(reader(pdf).outline)
    return out


def glyphs(pdf: bytes):
    """(page index, char, left, bottom, right, top, font size) for every visible character."""
    doc = pdfium.PdfDocument(pdf)
    try:
        for i in range(len(doc)):
            page = doc[i]
            tp = page.get_textpage()
            for k in range(tp.count_chars()):
                ch = chr(pdfium_c.FPDFText_GetUnicode(tp, k))
                if not ch.strip():
                    continue
                left, bottom, right, top = tp.get_charbox(k)
                size = pdfium_c.FPDFText_GetFontSize(tp, k)
                yield i, ch, left, bottom, right, top, size
            tp.close()
            page.close()
    finally:
        doc.close()


def page_size(pdf: bytes, index: int = 0) -> tuple[float, float]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return doc[index].get_size()
    finally:
        doc.close()


def print_faults(pdf: bytes, margins_mm: tuple[float, float, float, float], min_pt: float) -> tuple[list, int]:
    """Glyphs outside the margins (top, right, bottom, left in mm) or under a size, and how many glyphs
    there are in all; every page is measured against its own size."""
    mm = 72 / 25.4
    top, right, bottom, left = (m * mm for m in margins_mm)
    sizes: dict[int, tuple[float, float]] = {}
    faults, count = [], 0
    for page, ch, x0, y0, x1, y1, size in glyphs(pdf):
        count += 1
        if page not in sizes:
            sizes[page] = page_size(pdf, page)
        w, h = sizes[page]
        if size < min_pt - 1e-6 or x0 < left - 0.5 or x1 > w - right + 0.5 or y0 < bottom - 0.5 or y1 > h - top + 0.5:
            faults.append((page, ch, round(x0, 1), round(y0, 1), round(x1, 1), round(y1, 1), round(size, 2)))
    return faults, count
