"""A class pack from its rendered parts to the files a teacher prints: the pack, each student's
stamped copy, the collated print file, n-up sheets, booklets and pictures.

Everything is written atomically and recorded for the closing report. The
pack's folder (``week3/`` beside ``week3.pdf``) holds one roster's copies
only: a run with another roster removes the earlier students' copies (as a
build removes pictures of pages a PDF no longer has). A file is removed
only if the program wrote it as a copy, which its pages say (the student's
stamp or the placed pack pages are form XObjects named ``/SnStudent…`` and
``/SnPage…``), never a file of the teacher's. Two packs finishing into one
folder at once take turns.
"""

from __future__ import annotations

import io
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from ..errors import WriteError
from ..files import Written, write
from ..load.roster import Student, file_stems
from . import impose, stamp
from .options import PackOptions, PackResult
from .pack import Pack, PackInfo, Part, assemble
from .pictures import write_pictures

if sys.platform != "win32":
    import fcntl

COLLATED = "all-copies"

Step = Callable[[int], None]


@dataclass(frozen=True)
class Progress:
    """Where a long finish tells how far it is: ``plan(total)`` once, then ``step(k)`` as pages land."""

    plan: Callable[[int], None] | None = None
    step: Step | None = None

    def tick(self, k: int) -> None:
        if self.step is not None:
            self.step(k)


def work(students: int, pages: int, per_copy: int, opts: PackOptions) -> int:
    """How many pages and sheets the copies, the collated file and its impositions make: the length
    of the progress bar."""
    total = students * pages
    if opts.collate:
        total += students * per_copy
        if opts.nup:
            total += len(impose.nup_order(students * per_copy, opts.nup, per_copy))
        if opts.booklet:
            total += len(impose.booklet_sheets(students * per_copy, per_copy))
    return total


@dataclass(frozen=True)
class Paper:
    """One version of a pack with a quiz in it: the code printed on the quiz (a series letter, or a
    student's own code) and the parts, of which only the quiz differs from one version to the next."""

    code: str
    parts: list[Part]


SERIES_FILES = 26  # at most this many versions are also written as whole packs (test-booklet series)


def finish_pack(parts: list[Part], info: PackInfo, students: list[Student], opts: PackOptions,
                progress: Progress | None = None, papers: Sequence[Paper] = (),
                which: Sequence[int] = ()) -> PackResult:
    """Assemble the pack and write it with every copy and imposition asked for. ``papers``: the
    versions of a pack with a quiz (``parts`` is then the first's), and ``which[i]`` the version of
    the i-th student; each copy is stamped from its student's version."""
    progress = progress or Progress()
    opts.check(students)
    versions = list(papers) or [Paper("", parts)]
    packs = _same_length([assemble(p.parts, info) for p in versions])
    pack = packs[0]
    per_copy = pack.pages + (pack.pages % 2 if info.duplex else 0)
    if progress.plan is not None:
        progress.plan(work(len(students), pack.pages, per_copy, opts))
    written: list[Written] = []
    folder = opts.target.with_suffix("")
    names = copy_names(students, opts)
    with _taking_turns(opts.target.parent):
        write(opts.target, pack.pdf, pack.pages, written)
        written[0] = replace(written[0], warnings=pack.warnings)
        if opts.png:
            write_pictures(opts.target, pack.pdf, written)
        if 1 < len(versions) <= SERIES_FILES and not opts.per_student:  # each series as a whole pack too
            for paper, other in zip(versions[1:], packs[1:], strict=True):
                write(series_path(opts.target, paper.code), other.pdf, other.pages, written)
        _teacher_files(versions, info, opts.target, written)
        for k, paper_pack in enumerate(packs):
            mine = [i for i in range(len(students)) if (which[i] if which else 0) == k]
            _copies(folder, paper_pack.pdf, paper_pack.pages, [students[i] for i in mine], info.grayscale,
                    [names[i] for i in mine], written, progress)
        _impose(folder, pack.pdf, pack.pages, None, opts, written)
        if opts.collate:
            collated = stamp.collate([p.pdf for p in packs], students, info.grayscale, info.duplex, progress.tick,
                                     which)
            total = per_copy * len(students)
            write(folder / f"{COLLATED}.pdf", collated, total, written)
            _impose(folder / COLLATED, collated, total, per_copy, opts, written, progress.tick)
        removed = remove_stale(folder, set(names))
    if removed and written:
        note = f"removed {removed} cop{'ies' if removed != 1 else 'y'} of an earlier roster from {folder}"
        written[-1] = replace(written[-1], notes=(*written[-1].notes, note))
    return PackResult(pack.pages, pack.front, len(parts), len(students), written)


def series_path(target: Path, code: str) -> Path:
    """A version of the pack beside it: ``week3.pdf`` → ``week3-B.pdf``."""
    return target.with_name(f"{target.stem}-{code}.pdf")


def _same_length(packs: list[Pack]) -> list[Pack]:
    """Versions of one pack padded with blank pages to the longest, so every student's copy has as
    many pages (a collated file imposed copy by copy needs it)."""
    longest = max(p.pages for p in packs)
    if all(p.pages == longest for p in packs):
        return packs
    out = []
    for p in packs:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(p.pdf)))
        last = writer.pages[-1].mediabox
        for _ in range(longest - p.pages):
            writer.add_blank_page(float(last.width), float(last.height))
        buf = io.BytesIO()
        writer.write(buf)
        out.append(replace(p, pdf=buf.getvalue(), pages=longest))
    return out


def answers_path(target: Path) -> Path:
    """The teacher's file of a pack's answer keys: ``week3.pdf`` → ``week3-answers.pdf``."""
    return target.with_name(f"{target.stem}-answers.pdf")


def _teacher_files(papers: list[Paper], info: PackInfo, target: Path, written: list[Written]) -> None:
    """What only the teacher gets: the parts' answer pages as one file with its own cover and
    contents (each version's key of a quiz), and the files the parts bring beside them (a quiz's key
    rows as one CSV for the pack, its OMR templates named by topic, layout and version)."""
    seen: set[int] = set()
    coded: list[tuple[str, Part]] = []
    for paper in papers:  # a part every version shares (a worksheet) counts once
        for p in paper.parts:
            if id(p) not in seen:
                seen.add(id(p))
                coded.append((paper.code, p))
    parts = [p for _, p in coded]
    if any(p.rendered.answers for p in parts):
        key = assemble(parts, replace(info, title=f"{info.title} — answers", watermark=""), answers=True)
        held = sum(1 for p in parts if p.rendered.answers)
        write(answers_path(target), key.pdf, key.pages, written)
        written[-1] = replace(written[-1], beside=True, notes=(
            f"the answers of {held} part{'s' if held != 1 else ''} are in {answers_path(target)} (the teacher's: "
            "not in the pack or any student's copy)",))
    tables: dict[str, list[bytes]] = {}
    for code, p in coded:
        for extra in p.rendered.extras:
            if extra.suffix.lower().endswith(".csv"):
                tables.setdefault(extra.suffix, []).append(extra.data)
            elif not extra.suffix.lower().endswith(".pdf"):
                name = f"{target.stem}-{p.topic.id}-{p.layout.name}{f'-{code}' if code else ''}{extra.suffix}"
                write(target.with_name(name), extra.data, 0, written)
                written[-1] = replace(written[-1], beside=True)
    for suffix, chunks in tables.items():
        write(target.with_name(target.stem + suffix), join_tables(chunks), 0, written)
        written[-1] = replace(written[-1], beside=True)


def join_tables(chunks: list[bytes]) -> bytes:
    """CSV files of one kind as one: the first one's header, then every file's rows."""
    out: list[bytes] = []
    for k, chunk in enumerate(chunks):
        lines = chunk.splitlines(keepends=True)
        out += lines if k == 0 else lines[1:]
    return b"".join(out)


def copy_names(students: list[Student], opts: PackOptions) -> list[str]:
    """The files this run writes into the pack's folder: a copy per student, the collated file and
    its impositions."""
    names = [f"{stem}.pdf" for stem in file_stems(students)]
    if opts.collate:
        names.append(f"{COLLATED}.pdf")
        names += [f"{COLLATED}-{opts.nup}up.pdf"] if opts.nup else []
        names += [f"{COLLATED}-booklet.pdf"] if opts.booklet else []
    return names


def _copies(folder: Path, pdf: bytes, pages: int, students: list[Student], grayscale: bool, names: list[str],
            written: list[Written], progress: Progress) -> None:
    if not students:  # opening the pack to copy it would read all of it once more, for nothing
        return
    for name, (_, copy) in zip(names, stamp.copies(pdf, students, grayscale), strict=True):
        write(folder / name, copy, pages, written)
        progress.tick(pages)


def _impose(base: Path, pdf: bytes, pages: int, group: int | None, opts: PackOptions, written: list[Written],
            step: Step | None = None) -> None:
    """N-up sheets and booklets of one PDF of ``pages`` pages; ``group`` pages (a student's copy) never
    share a sheet."""
    if opts.nup:
        sheets = impose.nup(pdf, opts.nup, opts.paper or "A4", group, step)
        count = len(impose.nup_order(pages, opts.nup, group))
        write(base.with_name(f"{base.name}-{opts.nup}up.pdf"), sheets, count, written)
    if opts.booklet:
        sheets = impose.booklet(pdf, opts.paper or "A4", group, step)
        count = len(impose.booklet_sheets(pages, group))
        write(base.with_name(f"{base.name}-booklet.pdf"), sheets, count, written)


# -- the pack's folder: one roster at a time ----------------------------------------------------------------

@contextmanager
def _taking_turns(parent: Path) -> Iterator[None]:
    """Hold the output folder while a pack is finished into it, so two packs into one ``-o`` do not
    mix their students' copies (an advisory lock, released when the process ends however it ends)."""
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(parent, os.O_RDONLY)
    except OSError as exc:
        raise WriteError.of(exc, parent) from None
    try:
        if sys.platform != "win32":
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def pdf_title(path: Path) -> str | None:
    """The /Title of an existing PDF; None when it has none or is no PDF (pypdf kept quiet)."""
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        meta = PdfReader(path).metadata
        return str(meta.title) if meta is not None and meta.title else None
    except Exception:  # anything a damaged or foreign file makes pypdf raise means: not one of our packs
        return None
    finally:
        log.setLevel(level)


def copy_of_ours(path: Path) -> bool:
    """Whether the program wrote this PDF as a student's copy, the collated file or its sheets: their
    first page places the student's stamp (or, on the sheets, the collated pages) as form XObjects
    of names no other PDF uses."""
    try:
        with impose.quiet_pypdf():
            reader = PdfReader(path)
            if not reader.pages:
                return False
            resources = reader.pages[0].get("/Resources")
            named = resources.get_object().get("/XObject") if resources is not None else None
            names = [str(k) for k in named.get_object()] if named is not None else []
    except Exception:  # whatever a foreign or damaged file makes pypdf raise: not one of ours
        return False
    if any(n.startswith("/SnStudent") for n in names):  # a stamped copy, or the collated file
        return True
    return path.name.startswith(COLLATED) and any(n.startswith("/SnPage") for n in names)  # its sheets


def remove_stale(folder: Path, keep: set[str]) -> int:
    """Remove the copies an earlier run left in the pack's folder that this run did not write; only
    regular files the program wrote as copies (``copy_of_ours``). Returns how many; with none left,
    an empty folder goes too."""
    if not folder.is_dir():
        return 0
    stale = [p for p in sorted(folder.iterdir()) if p.suffix.lower() == ".pdf" and p.name not in keep
             and not p.is_symlink() and p.is_file() and copy_of_ours(p)]
    for path in stale:
        try:
            path.unlink()
        except OSError as exc:
            raise WriteError.of(exc, path) from None
    if stale and not any(folder.iterdir()):
        folder.rmdir()
    return len(stale)
