"""The command line: argument parsing and messages only; the work is done in build, select, render."""

from __future__ import annotations

import io
import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from . import __version__, build, presets
from .errors import NotesError, UsageError

PAPERS = ("A4", "Letter", "A5")
LIST_ALL = 40  # a longer list of written files is cut to its first half and a total


def _fail_notes(exc: NotesError, wrote: bool = True) -> None:
    for p in exc.problems:
        click.echo(str(p), err=True)
    n = len(exc.problems)
    tail = f"; nothing was written for {'them' if n != 1 else 'it'}" if wrote else ""
    click.echo(f"{n} problem{'s' if n != 1 else ''} found{tail}.", err=True)


@contextmanager
def _user_errors():
    """Mistakes in notes or presets exit 1 with every problem located; usage mistakes exit 2."""
    try:
        yield
    except NotesError as exc:
        _fail_notes(exc)
        sys.exit(1)
    except UsageError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except OSError as exc:  # a full disk, a folder where a file should go, no permission
        where = f" {exc.filename}" if exc.filename else ""
        click.echo(f"error: cannot write{where}: {exc.strerror or exc}", err=True)
        sys.exit(1)


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1048576:.1f} MB"


def _report(written: list[build.Written]) -> None:
    for w in written:
        for warning in w.warnings:
            click.echo(f"warning: {warning}", err=True)
        for note in w.notes:
            click.echo(f"note: {note}")
    if written:
        click.echo(f"wrote {len(written)} file{'s' if len(written) != 1 else ''}:")
        shown = written if len(written) <= LIST_ALL else written[:LIST_ALL // 2]
        width = max(len(str(w.path)) for w in shown)
        for w in shown:
            click.echo(f"  {str(w.path):<{width}}  {w.pages:>3} page{'s' if w.pages != 1 else ' '}  {_size(w.size):>7}")
        if len(shown) < len(written):
            rest = written[len(shown):]
            click.echo(f"  … and {len(rest)} more: {sum(w.pages for w in rest)} pages, "
                       f"{_size(sum(w.size for w in rest))}")


def _progress_wanted() -> bool:
    """A progress bar on a terminal; never in logs or CI."""
    return sys.stderr.isatty() and not os.environ.get("CI")


def _build(topics_args=(), layout_names=(), sections=(), exclude=(), tags=(), out=None, notes="notes",
           jobs=None, png=False, force=False, **overrides) -> None:
    """Every build: load → select → render → write, then the report."""
    bar = None

    def plan(n: int) -> None:
        nonlocal bar
        if n > 1 and _progress_wanted():
            bar = click.progressbar(length=n, label="rendering", file=sys.stderr, show_pos=True)
            bar.__enter__()

    def step(k: int) -> None:
        if bar is not None:
            bar.update(k)

    with _user_errors():
        given = {k: v for k, v in overrides.items() if v not in (None, False)}
        try:
            report = build.incremental(tuple(topics_args), Path(notes), tuple(layout_names),
                                       (tuple(sections), tuple(exclude), tuple(tags)), given,
                                       Path(out) if out else None, jobs, force, on_each=step, on_plan=plan)
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
        if png:  # pictures of every output, also of those that were already up to date
            for path in report.outputs:
                _pictures(path, path.read_bytes(), report.written)
    _report(report.written)
    summary = [f"{len([w for w in report.written if w.path.suffix == '.pdf'])} written" if report.written else "",
               f"{report.current} up to date" if report.current else "",
               f"{len(report.failed)} failed" if report.failed else "",
               f"{report.cleaned} leftover temporary file{'s' if report.cleaned != 1 else ''} of a killed build "
               "removed" if report.cleaned else ""]
    click.echo(", ".join(x for x in summary if x) or "nothing to build")
    if report.failed:
        for exc in report.failed:
            _fail_notes(exc)
        sys.exit(1)


_build_options = [
    click.option("-l", "--layout", "layout_names", multiple=True, metavar="NAME|PATH",
                 help="Layout preset by name (see `layouts`) or path to a preset file; repeatable. "
                      "Default: every preset marked default."),
    click.option("-s", "--section", "sections", multiple=True, metavar="ID",
                 help="Only this section (id at any depth, see `list`); repeatable."),
    click.option("-x", "--exclude", multiple=True, metavar="ID", help="Leave this section out; repeatable."),
    click.option("-t", "--tag", "tags", multiple=True, metavar="TAG",
                 help="Only topics or sections with this tag; repeatable."),
    click.option("--paper", type=click.Choice(PAPERS), help="Paper size (overrides the preset)."),
    click.option("--landscape", is_flag=True, help="Landscape pages (overrides the preset)."),
    click.option("--grayscale", is_flag=True, help="Print in shades of grey."),
    click.option("--split", is_flag=True,
                 help="Mind maps: an overview page plus one page per section, even when the map fits one page."),
    click.option("--columns", type=click.IntRange(2, 3), metavar="2|3",
                 help="Summaries and revision sheets: number of columns (overrides the preset)."),
    click.option("--max-points", type=click.IntRange(1, 999), metavar="N",
                 help="Summaries: at most N points per section (key points first)."),
    click.option("--png", is_flag=True, help="Also write every page as a 150 dpi PNG beside its PDF."),
    click.option("-j", "--jobs", type=click.IntRange(1, 64), metavar="N",
                 help="Render in N worker processes (default: the number of cores)."),
    click.option("--force", is_flag=True, help="Rebuild even the outputs that are up to date."),
    click.option("-o", "--out", metavar="PATH",
                 help="Output folder (default: output/), or the PDF's file name when the build makes one file."),
    click.option("--notes", default="notes", show_default=True, metavar="DIR", help="Folder of notes files."),
]


def _with_build_options(f):
    for option in reversed(_build_options):
        f = option(f)
    return f


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="studynotes")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Turn study notes (YAML, one topic per file in notes/) into printable PDFs.

    With no command, builds every topic in notes/ with the default layouts into output/.
    """
    if ctx.invoked_subcommand is None:
        _build()


@main.command("build")
@click.argument("topics", nargs=-1, metavar="[TOPIC|PATH]...")
@_with_build_options
def build_cmd(topics, **options) -> None:
    """Build PDFs of topics (ids from the notes folder, or paths to notes files; default: all)."""
    _build(topics, **options)


@main.command("list")
@click.argument("topics", nargs=-1, metavar="[TOPIC|PATH]...")
@click.option("--notes", default="notes", show_default=True, metavar="DIR", help="Folder of notes files.")
def list_cmd(topics, notes) -> None:
    """Show topics and their section ids (what -s and -x accept)."""
    with _user_errors():
        loaded = build.load_topics(tuple(topics), Path(notes))
    from .markup import plain

    for t in loaded:
        tags = f"  [{', '.join(t.tags)}]" if t.tags else ""
        click.echo(f"{t.id}  —  {plain(t.title)}  ({t.path}){tags}")
        for sec, depth in t.walk():
            stags = f"  [{', '.join(sec.tags)}]" if sec.tags else ""
            click.echo(f"  {'  ' * depth}{sec.id:<{32 - 2 * depth}} {plain(sec.title)}{stags}")


@main.command("check")
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--notes", default="notes", show_default=True, metavar="DIR", help="Folder of notes files.")
def check_cmd(paths, notes) -> None:
    """Validate notes files (default: every file in the notes folder); errors as file:line:col."""
    from . import loader

    files: list[Path] = []
    problems = []
    with _user_errors():
        for p in map(Path, paths):  # a folder named on the command line is checked file by file
            if p.is_dir():
                try:
                    files += build.notes_files(p)
                except NotesError as exc:
                    problems.extend(exc.problems)
            else:
                files.append(p)
        if not paths:
            try:
                files = build.notes_files(Path(notes))
            except NotesError as exc:
                problems.extend(exc.problems)
    loaded = []
    for f in files:
        try:
            loaded.append(loader.load(f))
        except NotesError as exc:
            problems.extend(exc.problems)
    try:
        build.unique_ids(loaded)
    except NotesError as exc:
        problems.extend(exc.problems)
    if problems:
        _fail_notes(NotesError(problems), wrote=False)
        sys.exit(1)
    click.echo(f"{len(files)} file(s) OK")


@main.command("layouts")
def layouts_cmd() -> None:
    """List the layout presets (./layouts first, then the shipped ones)."""
    problems = []
    for name, path in presets.available().items():
        try:
            lay = presets.load(name)
        except NotesError as exc:
            problems.extend(exc.problems)
            continue
        mark = "*" if lay.default else " "
        click.echo(f"{mark} {name:<22} {lay.kind:<9} {lay.description}")
    click.echo("(* built when no -l is given)")
    if problems:
        _fail_notes(NotesError(problems))
        sys.exit(1)


def _slug(text: str) -> str:
    from .nodes import slug

    return slug(text) or "pack"


def _write(path: Path, data: bytes, pages: int, written: list) -> None:
    build.write_atomic(path, data)
    written.append(build.Written(path, pages, len(data)))


def _pictures(pdf_path: Path, pdf: bytes, written: list) -> None:
    from .finish import pictures

    images = pictures.pngs(pdf)
    for path, data in zip(pictures.png_paths(pdf_path, len(images)), images):
        _write(path, data, 1, written)
    for stale in pictures.stale_paths(pdf_path, len(images)):  # a PDF that got shorter
        stale.unlink()


def _count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


@main.command("pack")
@click.argument("topics", nargs=-1, metavar="[TOPIC|PATH]...")
@click.option("-f", "--file", "pack_file", type=click.Path(dir_okay=False), metavar="PACK.yaml",
              help="A pack file (title, class, teacher, date, topics with their kinds and picks).")
@click.option("-l", "--layout", "layout_names", multiple=True, metavar="NAME|PATH",
              help="Kinds for every topic (default: every default preset); repeatable.")
@click.option("-s", "--section", "sections", multiple=True, metavar="ID", help="Only this section; repeatable.")
@click.option("-x", "--exclude", multiple=True, metavar="ID", help="Leave this section out; repeatable.")
@click.option("-t", "--tag", "tags", multiple=True, metavar="TAG", help="Only sections with this tag; repeatable.")
@click.option("--title", help="Title on the cover (default: the pack file's, else 'Class pack').")
@click.option("--class", "class_", metavar="NAME", help="The class or batch, on the cover and every page.")
@click.option("--teacher", help="The teacher's name, on the cover.")
@click.option("--date", help="The date on the cover (any text, e.g. 2026-11-25).")
@click.option("--duplex", is_flag=True, help="Double-sided printing: every topic starts on a right-hand page.")
@click.option("--watermark", metavar="TEXT", help="Light diagonal text behind the content of every page.")
@click.option("--roster", type=click.Path(dir_okay=False), metavar="CSV",
              help="Students (CSV with name, optional roll and batch): one stamped copy each.")
@click.option("--collate", is_flag=True, help="With --roster: also one file with every copy, in roster order.")
@click.option("--nup", type=click.Choice(["2", "4"]), help="Also write the pack 2 or 4 pages to a sheet.")
@click.option("--booklet", is_flag=True, help="Also write the pack as a saddle-stitch booklet (fold to A5).")
@click.option("--png", is_flag=True, help="Also write every page as a 150 dpi PNG.")
@click.option("--paper", type=click.Choice(PAPERS), help="Paper size for every part and the sheets.")
@click.option("--grayscale", is_flag=True, help="Print in shades of grey.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), metavar="N",
              help="Render in N worker processes (default: the number of cores).")
@click.option("-o", "--out", metavar="FILE.pdf", help="The pack's file (default: output/<title>.pdf).")
@click.option("--notes", default="notes", show_default=True, metavar="DIR", help="Folder of notes files.")
def pack_cmd(topics, pack_file, layout_names, sections, exclude, tags, title, class_, teacher, date, duplex,
             watermark, roster, collate, nup, booklet, png, paper, grayscale, jobs, out, notes) -> None:
    """Join topics and kinds into one print-ready class pack (cover, contents, bookmarks, page numbers)."""
    from dataclasses import replace

    from .finish import impose, packfile, roster as roster_mod, stamp
    from .finish.pack import PackInfo, assemble

    written: list[build.Written] = []
    with _user_errors():
        if pack_file:
            spec = packfile.load(Path(pack_file))
            if topics or sections or exclude or tags:
                raise UsageError("with a pack file, name topics and their -s/-x/-t picks in the file, "
                                 "not on the command line")
        else:
            if not topics:
                raise UsageError("name the topics of the pack, or give a pack file with -f")
            spec = packfile.PackSpec("Class pack", tuple(packfile.Entry(t, (), sections, exclude, tags)
                                                          for t in topics))
        spec = replace(spec, title=title or spec.title, class_=class_ or spec.class_, teacher=teacher or spec.teacher,
                       date=date or spec.date, duplex=duplex or spec.duplex, watermark=watermark or spec.watermark)
        if collate and not roster:
            raise UsageError("--collate goes with --roster")
        students = roster_mod.load(Path(roster)) if roster else []
        overrides = {k: v for k, v in (("paper", paper), ("grayscale", grayscale)) if v}
        parts = build.pack_parts(spec, Path(notes), tuple(layout_names), overrides, jobs)
        info = PackInfo(spec.title, spec.class_, spec.teacher, spec.date, spec.duplex, spec.watermark,
                        paper or "A4", bool(grayscale))
        result = assemble(parts, info)
        target = Path(out) if out else Path("output") / f"{_slug(spec.title)}.pdf"
        if target.suffix.lower() != ".pdf":
            raise UsageError(f"-o {target}: the pack is one PDF; name a .pdf file")
        _write(target, result.pdf, result.pages, written)
        if png:
            _pictures(target, result.pdf, written)
        folder = target.with_suffix("")
        if students:
            stems = roster_mod.file_stems(students)
            for stem, (student, pdf) in zip(stems, stamp.copies(result.pdf, students, bool(grayscale))):
                _write(folder / f"{stem}.pdf", pdf, result.pages, written)
        collated, per_copy = None, result.pages
        if collate:
            collated = stamp.collate(result.pdf, students, bool(grayscale), spec.duplex)
            per_copy = result.pages + (result.pages % 2 if spec.duplex else 0)
            _write(folder / "all-copies.pdf", collated, per_copy * len(students), written)
        for base, pdf, group in ((target.with_suffix(""), result.pdf, None), (folder / "all-copies", collated,
                                                                               per_copy)):
            if pdf is None:
                continue
            if nup:  # a student's copy never shares a sheet with the next one
                sheets = impose.nup(pdf, int(nup), paper or "A4", group)
                _write(base.with_name(f"{base.name}-{nup}up.pdf"), sheets, _count(sheets), written)
            if booklet:
                sheets = impose.booklet(pdf, paper or "A4", group)
                _write(base.with_name(f"{base.name}-booklet.pdf"), sheets, _count(sheets), written)
    click.echo(f"pack: {result.pages} pages ({result.front} front matter), {len(parts)} parts"
               + (f", {len(students)} student copies" if students else ""))
    _report(written)


@main.command("impose")
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False), metavar="IN.pdf")
@click.option("--nup", type=click.Choice(["2", "4"]), help="2 or 4 pages to a sheet, in reading order.")
@click.option("--booklet", is_flag=True, help="Saddle-stitch booklet on landscape sheets (fold to A5).")
@click.option("--paper", type=click.Choice(PAPERS), default="A4", show_default=True, help="Sheet size.")
@click.option("-o", "--out", required=True, metavar="OUT.pdf", help="The imposed PDF.")
def impose_cmd(pdf, nup, booklet, paper, out) -> None:
    """Impose any PDF for printing: n-up sheets or a booklet."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from .finish import impose

    written: list[build.Written] = []
    with _user_errors():
        if bool(nup) == bool(booklet):
            raise UsageError("give one of --nup 2|4 or --booklet")
        data = Path(pdf).read_bytes()
        try:
            pages = len(PdfReader(io.BytesIO(data)).pages)
            sheets = impose.nup(data, int(nup), paper) if nup else impose.booklet(data, paper)
        except (PdfReadError, ValueError, KeyError) as exc:
            raise UsageError(f"{pdf}: not a PDF that can be read ({exc})") from None
        count = -(-pages // int(nup)) if nup else len(impose.booklet_order(pages))
        _write(Path(out), sheets, count, written)
    _report(written)
