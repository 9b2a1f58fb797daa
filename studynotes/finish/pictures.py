"""Pages as PNG pictures (150 dpi) for sharing in messaging groups."""

from __future__ import annotations

import io
import re
from pathlib import Path

from ..errors import WriteError
from ..files import Written, write

DPI = 150


def pngs(pdf: bytes, dpi: int = DPI) -> list[bytes]:
    """Every page of the PDF as PNG bytes."""
    import pypdfium2 as pdfium  # only needed for --png

    doc = pdfium.PdfDocument(pdf)
    out = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            image = page.render(scale=dpi / 72).to_pil()
            buf = io.BytesIO()
            image.save(buf, format="PNG", optimize=False)
            out.append(buf.getvalue())
            page.close()
    finally:
        doc.close()
    return out


def png_paths(pdf_path: Path, pages: int) -> list[Path]:
    """Where the pictures of a PDF go: beside it, NAME-1.png, NAME-2.png …"""
    width = len(str(pages))
    return [pdf_path.with_name(f"{pdf_path.stem}-{i:0{width}d}.png") for i in range(1, pages + 1)]


def stale_paths(pdf_path: Path, pages: int) -> list[Path]:
    """Pictures of pages the PDF no longer has (NAME-k.png with k past its last page)."""
    pattern = re.compile(rf"{re.escape(pdf_path.stem)}-(\d+)\.png")
    out = []
    for p in pdf_path.parent.glob(f"{pdf_path.stem}-*.png"):
        m = pattern.fullmatch(p.name)
        if m and int(m.group(1)) > pages:
            out.append(p)
    return sorted(out)


def write_pictures(pdf_path: Path, pdf: bytes, written: list[Written]) -> None:
    """The pictures of a PDF beside it; pictures of pages it no longer has are removed."""
    images = pngs(pdf)
    for path, data in zip(png_paths(pdf_path, len(images)), images, strict=True):
        write(path, data, 1, written)
    for stale in stale_paths(pdf_path, len(images)):  # a PDF that got shorter
        try:
            stale.unlink()
        except OSError as exc:
            raise WriteError.of(exc, stale) from None
