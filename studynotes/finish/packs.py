"""A class pack from its rendered parts to the files a teacher prints: the pack, each student's
stamped copy, the collated print file, n-up sheets, booklets and pictures.

Everything is written atomically and recorded for the closing report.
"""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from ..files import Written, write
from ..load.roster import Student, file_stems
from . import impose, stamp
from .options import PackOptions, PackResult
from .pack import PackInfo, Part, assemble
from .pictures import write_pictures


def _count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def finish_pack(parts: list[Part], info: PackInfo, students: list[Student], opts: PackOptions) -> PackResult:
    """Assemble the pack and write it with every copy and imposition asked for."""
    opts.check(students)
    pack = assemble(parts, info)
    written: list[Written] = []
    write(opts.target, pack.pdf, pack.pages, written)
    if opts.png:
        write_pictures(opts.target, pack.pdf, written)
    folder = opts.target.with_suffix("")
    for stem, (_, pdf) in zip(file_stems(students), stamp.copies(pack.pdf, students, info.grayscale), strict=True):
        write(folder / f"{stem}.pdf", pdf, pack.pages, written)
    collated, per_copy = None, pack.pages
    if opts.collate:
        collated = stamp.collate(pack.pdf, students, info.grayscale, info.duplex)
        per_copy = pack.pages + (pack.pages % 2 if info.duplex else 0)
        write(folder / "all-copies.pdf", collated, per_copy * len(students), written)
    _impose(folder, pack.pdf, None, opts, written)
    if collated is not None:
        _impose(folder / "all-copies", collated, per_copy, opts, written)
    return PackResult(pack.pages, pack.front, len(parts), len(students), written)


def _impose(base: Path, pdf: bytes, group: int | None, opts: PackOptions, written: list[Written]) -> None:
    """N-up sheets and booklets of one PDF; ``group`` pages (a student's copy) never share a sheet."""
    if opts.nup:
        sheets = impose.nup(pdf, opts.nup, opts.paper or "A4", group)
        write(base.with_name(f"{base.name}-{opts.nup}up.pdf"), sheets, _count(sheets), written)
    if opts.booklet:
        sheets = impose.booklet(pdf, opts.paper or "A4", group)
        write(base.with_name(f"{base.name}-booklet.pdf"), sheets, _count(sheets), written)
