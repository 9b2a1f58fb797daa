"""Pages as PNG pictures (150 dpi) for sharing in messaging groups."""

from __future__ import annotations

import io
from pathlib import Path

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
    import re

    pattern = re.compile(rf"{re.escape(pdf_path.stem)}-(\d+)\.png")
    out = []
    for p in pdf_path.parent.glob(f"{pdf_path.stem}-*.png"):
        m = pattern.fullmatch(p.name)
        if m and int(m.group(1)) > pages:
            out.append(p)
    return sorted(out)
