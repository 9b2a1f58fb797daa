"""The command line: parse the options, call one function per command, print what it did.

Every user-facing error is a ``StudyNotesError``; the group catches it in
one place, prints it and exits with its code (1 for problems in files,
2 for usage). Anything else is a bug and shows a traceback.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__, build, markup, watch
from .errors import NotesError, Problem, StudyNotesError, UsageError
from .files import Written, check_target, read_bytes, write
from .finish.options import PackOptions
from .finish.pictures import write_pictures
from .load import discover, packfile, presets, roster
from .load.reader import ID_RE

PAPERS = tuple(presets.PAPERS)
LIST_ALL = 40  # a longer list of written files is cut to its first half and a total
F = TypeVar("F", bound=Callable[..., Any])


class _Commands(click.Group):
    """Catches the error root once for every command: show it, exit with its code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StudyNotesError as exc:
            exc.show()
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:  # Ctrl-C outside a build's rendering: one line, the shell's status
            click.echo("interrupted", err=True)
            ctx.exit(130)


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1048576:.1f} MB"


def _warn(problems: tuple[Problem, ...]) -> None:
    for p in problems:
        click.echo(str(p), err=True)


def _report(written: list[Written]) -> None:
    for w in written:
        _warn(w.warnings)
        for note in w.notes:
            click.echo(f"note: {note}")
    if written:
        click.echo(f"wrote {len(written)} file{'s' if len(written) != 1 else ''}:")
        shown = written if len(written) <= LIST_ALL else written[:LIST_ALL // 2]
        width = max(len(str(w.path)) for w in shown)
        for w in shown:
            pages = f"{w.pages:>3} page{'s' if w.pages != 1 else ' '}" if w.path.suffix.lower() == ".pdf" else " " * 9
            click.echo(f"  {str(w.path):<{width}}  {pages}  {_size(w.size):>7}")
        if len(shown) < len(written):
            rest = written[len(shown):]
            click.echo(f"  … and {len(rest)} more: {sum(w.pages for w in rest)} pages, "
                       f"{_size(sum(w.size for w in rest))}")


def _progress_wanted() -> bool:
    """A progress bar on a terminal; never in logs or CI."""
    return sys.stderr.isatty() and not os.environ.get("CI")


class _Progress:
    """A progress bar over the renders (or a pack's copies), shown only on a terminal."""

    def __init__(self, label: str = "rendering") -> None:
        self.bar: Any = None
        self.label = label

    def plan(self, n: int) -> None:
        if n > 1 and _progress_wanted():
            self.bar = click.progressbar(length=n, label=self.label, file=sys.stderr, show_pos=True)
            self.bar.__enter__()

    def step(self, k: int) -> None:
        if self.bar is not None:
            self.bar.update(k)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _build(topics_args: tuple[str, ...] = (), layout_names: tuple[str, ...] = (), sections: tuple[str, ...] = (),
           exclude: tuple[str, ...] = (), tags: tuple[str, ...] = (), out: str | None = None, notes: str = "notes",
           jobs: int | None = None, png: bool = False, force: bool = False, **overrides: Any) -> None:
    """Every build: load → select → render → write, then the report."""
    given = {k: v for k, v in overrides.items() if v not in (None, False)}
    progress = _Progress()
    try:
        report = build.incremental(topics_args, Path(notes), layout_names, (sections, exclude, tags), given,
                                   Path(out) if out else None, jobs, force, on_each=progress.step,
                                   on_plan=progress.plan)
    finally:
        progress.close()
    _warn(report.warnings)
    for kept in report.kept:  # an up-to-date output: what was said when it was written still holds
        _warn(kept.warnings)
        for note in kept.notes:
            click.echo(f"note: {note}")
    written = list(report.written)
    if png:  # pictures of every output, also of those that were already up to date
        for path in report.outputs:
            write_pictures(path, read_bytes(path), written)
    _report(written)
    outputs = [w for w in written if w.path.suffix.lower() == ".pdf" and not w.beside]
    summary = [f"{len(outputs)} written" if written else "",
               f"{report.current} up to date" if report.current else "",
               f"{len(report.failed)} failed" if report.failed else "",
               f"{report.cleaned} leftover temporary file{'s' if report.cleaned != 1 else ''} of a killed build "
               "removed" if report.cleaned else ""]
    click.echo(", ".join(x for x in summary if x) or "nothing to build")
    if report.failed:
        raise NotesError([p for exc in report.failed for p in exc.problems])


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
    click.option("--back-offset", callback=lambda ctx, param, v: _offset(v), metavar="X,Y",
                 help="Flashcards: shift the backs X mm right and Y mm up (read it off `cards-calibrate`)."),
    click.option("--gap", type=click.Choice(["same", "fit"]),
                 help="Worksheets: every blank one width (same, the default) or each as wide as its answer (fit)."),
    click.option("--word-bank", is_flag=True, default=None, help="Worksheets: the answers in a box at the top."),
    click.option("--answers", type=click.Choice(["end", "separate"]),
                 help="Worksheets and quizzes: answers on the last pages (end) or in a second PDF (separate)."),
    click.option("--questions", type=click.IntRange(1, 200), metavar="N", help="Quizzes: how many questions (20)."),
    click.option("--seed", type=click.IntRange(0, 2**31 - 1), metavar="S",
                 help="Quizzes: another paper from the same notes (default: from the topic's id)."),
    click.option("--series", metavar="A,B,…", help="Quizzes: test-booklet series, each its own order."),
    click.option("--title", metavar="TEXT", help="Quizzes: the test's title."),
    click.option("--minutes", type=click.IntRange(1, 600), metavar="N", help="Quizzes: time allowed."),
    click.option("--marks", type=click.FloatRange(0, 10000), metavar="N", help="Quizzes: maximum marks."),
    click.option("--png", is_flag=True, help="Also write every page as a 150 dpi PNG beside its PDF."),
    click.option("-j", "--jobs", type=click.IntRange(1, 64), metavar="N",
                 help="Render in N worker processes (default: the number of cores)."),
    click.option("--force", is_flag=True, help="Rebuild even the outputs that are up to date."),
    click.option("-o", "--out", metavar="PATH",
                 help="Output folder (default: output/), or the PDF's file name when the build makes one file."),
    click.option("--notes", default="notes", show_default=True, metavar="DIR", help="Folder of notes files."),
]


def _offset(value: str | None) -> tuple[float, float] | None:
    """``--back-offset 1.5,-0.5`` → (1.5, -0.5) mm; each within ±20 mm."""
    if value is None:
        return None
    try:
        x, y = (float(v) for v in value.replace(" ", "").split(","))
    except ValueError:
        raise click.BadParameter(f"'{value}' is not two numbers in mm, like 1.5,-0.5") from None
    if not (abs(x) <= 20 and abs(y) <= 20):
        raise click.BadParameter(f"'{value}': a printer misregisters by a few mm; each must be within ±20")
    return (x, y)


def _with_build_options(f: F) -> F:
    for option in reversed(_build_options):
        f = option(f)
    return f


@click.group(cls=_Commands, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
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
def build_cmd(topics: tuple[str, ...], **options: Any) -> None:
    """Build PDFs of topics (ids from the notes folder, or paths to notes files; default: all)."""
    _build(topics, **options)


@main.command("watch")
@click.argument("topics", nargs=-1, metavar="[TOPIC|PATH]...")
@_with_build_options
def watch_cmd(topics: tuple[str, ...], layout_names: tuple[str, ...], sections: tuple[str, ...],
              exclude: tuple[str, ...], tags: tuple[str, ...], out: str | None, notes: str, jobs: int | None,
              png: bool, force: bool, **overrides: Any) -> None:
    """Build, then rebuild what each saved notes file or preset changes, in this warm process, until Ctrl-C.

    -j and --force apply to the first build; a rebuild renders here, one PDF at a time.
    """
    given = {k: v for k, v in overrides.items() if v not in (None, False)}
    request = watch.Request(topics, Path(notes), layout_names, (sections, exclude, tags), given,
                            Path(out) if out else None, png)
    watch.Watcher(request).run(jobs, force)


@main.command("list")
@click.argument("topics", nargs=-1, metavar="[TOPIC|PATH]...")
@click.option("--notes", default="notes", show_default=True, metavar="DIR", help="Folder of notes files.")
def list_cmd(topics: tuple[str, ...], notes: str) -> None:
    """Show topics and their section ids (what -s and -x accept)."""
    try:
        files = discover.topic_files(topics, Path(notes))
    except NotesError as exc:  # `list` writes nothing: its closing line must not say nothing was written
        raise NotesError(exc.problems, wrote=False) from None
    for t in discover.load_files(files, wrote=False):
        tags = f"  [{', '.join(t.tags)}]" if t.tags else ""
        click.echo(f"{t.id}  —  {markup.plain(t.title)}  ({t.path}){tags}")
        for sec, depth in t.walk():
            stags = f"  [{', '.join(sec.tags)}]" if sec.tags else ""
            click.echo(f"  {'  ' * depth}{sec.id:<{32 - 2 * depth}} {markup.plain(sec.title)}{stags}")


@main.command("check")
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--notes", default="notes", show_default=True, metavar="DIR", help="Folder of notes files.")
def check_cmd(paths: tuple[str, ...], notes: str) -> None:
    """Validate notes files (default: every file in the notes folder); errors as file:line:col."""
    files: list[Path] = []
    problems: list[Problem] = []
    for folder_or_file in [Path(p) for p in paths] or [Path(notes)]:
        if folder_or_file.is_dir() or not paths:  # a folder named on the command line is checked file by file
            try:
                files += discover.notes_files(folder_or_file)
            except NotesError as exc:
                problems.extend(exc.problems)
        else:
            files.append(folder_or_file)
    warnings: list[Problem] = []
    try:
        discover.load_files(files, wrote=False, warnings=warnings)
    except NotesError as exc:
        problems.extend(exc.problems)
    _warn(tuple(warnings))
    if problems:
        raise NotesError(problems, wrote=False)
    click.echo(f"{len(files)} file(s) OK")


@main.command("export")
@click.argument("topic", metavar="TOPIC|PATH")
@click.option("--md", "as_markdown", is_flag=True, help="As Markdown (the mapping of docs/notes-format.md).")
@click.option("-o", "--out", metavar="FILE.md", help="The file to write (default: print it).")
@click.option("--force", is_flag=True, help="Replace FILE.md if it exists.")
@click.option("--notes", default="notes", show_default=True, metavar="DIR", help="Folder of notes files.")
def export_cmd(topic: str, as_markdown: bool, out: str | None, force: bool, notes: str) -> None:
    """Write a topic as Markdown notes, for Markdown editors and markmap; it builds exactly as the topic does."""
    if not as_markdown:
        raise UsageError("name the format: --md (Markdown is the one there is)")
    target = Path(out) if out else None
    if target is not None and target.suffix.lower() not in (".md", ".markdown"):
        raise UsageError(f"-o {out}: the export is Markdown; name the file .md")
    if target is not None and os.path.lexists(target) and not force:
        raise UsageError(f"{out} exists; add --force to replace it")
    from .importers import markdown_out  # the importers load only for import and export

    (found,) = discover.load_topics((topic,), Path(notes))
    text = markdown_out.to_markdown(found)
    if target is None:
        click.echo(text, nl=False)
        return
    write(target, text.encode("utf-8"), 0, [])
    click.echo(f"wrote {target}")


@main.command("layouts")
def layouts_cmd() -> None:
    """List the layout presets (./layouts first, then the shipped ones)."""
    problems = []
    for name in presets.available():
        try:
            lay = build.layout(name)  # checked as a build checks it: kind, room for text
        except NotesError as exc:
            problems.extend(exc.problems)
            continue
        mark = "*" if lay.default else " "
        click.echo(f"{mark} {name:<22} {lay.kind:<9} {lay.description}")
    click.echo("(* built when no -l is given)")
    if problems:
        raise NotesError(problems, wrote=False)


def _series(value: str | None) -> tuple[str, ...]:
    """``--series A,B,C,D`` → ("A", "B", "C", "D"): short codes of letters and digits, each once."""
    if not value:
        return ()
    codes = tuple(c.strip() for c in value.split(","))
    if not all(re.fullmatch(r"[A-Za-z0-9_-]{1,8}", c) for c in codes) or len(set(codes)) != len(codes):
        raise UsageError(f"--series {value}: name each series once with letters or digits, e.g. A,B,C,D")
    return codes


def _pack_spec(topics: tuple[str, ...], pack_file: str | None, picks: build.Picks,
               **cover: Any) -> packfile.PackSpec:
    """The pack's topics and cover: from the pack file, or from the command line; options override."""
    for key, value in cover.items():  # the pack file's own rule for each cover value (packfile.cover_problem)
        name = key.rstrip("_")
        problem = packfile.cover_problem(name, value) if isinstance(value, str) else None
        if problem:
            raise UsageError(f"--{name}: {problem}")
    if pack_file:
        if topics or any(picks):
            raise UsageError("with a pack file, name topics and their -s/-x/-t picks in the file, "
                             "not on the command line")
        spec = packfile.load(Path(pack_file))
        _warn(spec.warnings)
    else:
        if not topics:
            raise UsageError("name the topics of the pack, or give a pack file with -f")
        sections, exclude, tags = picks
        spec = packfile.PackSpec("Class pack", tuple(packfile.Entry(t, (), sections, exclude, tags) for t in topics))
    given = {k: v for k, v in cover.items() if v}
    return replace(spec, **{k: v for k, v in given.items()})


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
@click.option("--date", help="The date on the cover, as it is to be printed (any text, e.g. 2026-11-25 or "
                             "'25 Nov 2026'; a YYYY-MM-DD date must be a real day).")
@click.option("--duplex", is_flag=True, help="Double-sided printing: every topic starts on a right-hand page.")
@click.option("--watermark", metavar="TEXT", help="Light diagonal text behind the content of every page.")
@click.option("--roster", "roster_file", type=click.Path(dir_okay=False), metavar="CSV",
              help="Students (CSV with name, optional roll and batch): one stamped copy each.")
@click.option("--collate", is_flag=True, help="With --roster: also one file with every copy, in roster order.")
@click.option("--series", "series_", metavar="A,B,…",
              help="Quizzes: test-booklet series, handed out in roster order; each also as <pack>-B.pdf.")
@click.option("--per-student", is_flag=True,
              help="Quizzes, with --roster: every student a paper of their own (code: their roll number).")
@click.option("--nup", type=click.Choice(["2", "4"]), help="Also write the pack 2 or 4 pages to a sheet.")
@click.option("--booklet", is_flag=True, help="Also write the pack as a saddle-stitch booklet (fold to A5).")
@click.option("--png", is_flag=True, help="Also write every page as a 150 dpi PNG.")
@click.option("--paper", type=click.Choice(PAPERS), help="Paper size for every part and the sheets.")
@click.option("--grayscale", is_flag=True, help="Print in shades of grey.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), metavar="N",
              help="Render in N worker processes (default: the number of cores).")
@click.option("-o", "--out", metavar="FILE.pdf", help="The pack's file (default: output/<title>.pdf).")
@click.option("--force", is_flag=True, help="Replace a pack of another title at the default output/<title>.pdf.")
@click.option("--notes", default="notes", show_default=True, metavar="DIR", help="Folder of notes files.")
def pack_cmd(topics: tuple[str, ...], pack_file: str | None, layout_names: tuple[str, ...],
             sections: tuple[str, ...], exclude: tuple[str, ...], tags: tuple[str, ...], title: str | None,
             class_: str | None, teacher: str | None, date: str | None, duplex: bool, watermark: str | None,
             roster_file: str | None, collate: bool, series_: str | None, per_student: bool, nup: str | None,
             booklet: bool, png: bool, paper: str | None, grayscale: bool, jobs: int | None, out: str | None,
             force: bool, notes: str) -> None:
    """Join topics and kinds into one print-ready class pack (cover, contents, bookmarks, page numbers)."""
    if collate and not roster_file:
        raise UsageError("--collate goes with --roster")
    spec = _pack_spec(topics, pack_file, (sections, exclude, tags), title=title, class_=class_, teacher=teacher,
                      date=date, duplex=duplex, watermark=watermark)
    found = roster.read(Path(roster_file)) if roster_file else roster.Roster(())
    _warn(found.warnings)  # e.g. the columns it ignores, once
    students = list(found.students)
    target = Path(out) if out else build.pack_target(spec.title, force)
    check_target(target)  # refused before anything is rendered
    opts = PackOptions(target, collate, int(nup) if nup else None, booklet, png, paper, grayscale,
                       _series(series_), per_student)
    progress = _Progress("finishing")  # the copies and impositions of a large class take a while
    try:
        result = build.make_pack(spec, Path(notes), layout_names, students, opts, jobs, on_plan=progress.plan,
                                 on_each=progress.step)
    finally:
        progress.close()
    _warn(result.warnings)
    for note in result.notes:
        click.echo(f"note: {note}")
    click.echo(f"pack: {result.pages} pages ({result.front} front matter), {result.parts} parts"
               + (f", {result.students} student copies" if result.students else ""))
    _report(result.written)


@main.command("import")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("-o", "--out", default="notes", show_default=True, metavar="DIR", help="Folder for the notes files.")
@click.option("--id", "topic_id", metavar="ID", help="The topic's id and file name (with one FILE only).")
@click.option("--force", is_flag=True, help="Replace notes files that exist.")
def import_cmd(files: tuple[str, ...], out: str, topic_id: str | None, force: bool) -> None:
    """Turn an article (.txt, "Explained, pointwise"), a Word file (.docx) or Markdown (.md) into notes YAML."""
    if topic_id is not None and len(files) > 1:
        raise UsageError("--id names one topic: import one file with it")
    if topic_id is not None and not ID_RE.match(topic_id):
        raise UsageError(f"--id '{topic_id}' is not a valid id: use lower-case letters a-z, digits and '-'")
    from .importers import run as importing  # the importers load only for import and export

    made = importing.make_all([Path(f) for f in files], Path(out), topic_id, force)
    for m in made:
        _warn(m.imported.warnings)
    importing.write(made)
    for m in made:
        click.echo(m.line())


@main.command("cards-calibrate")
@click.option("--paper", type=click.Choice(PAPERS), default="A4", show_default=True, help="Paper size.")
@click.option("--flip", type=click.Choice(["long", "short"]), default="long", show_default=True,
              help="How the printer turns the sheet for the back.")
@click.option("-o", "--out", default="output/cards-calibrate.pdf", show_default=True, metavar="FILE.pdf",
              help="The sheet's file.")
def cards_calibrate_cmd(paper: str, flip: str, out: str) -> None:
    """Write a two-sided sheet that tells how far your printer puts the backs off (for --back-offset)."""
    from .render import calibrate  # ReportLab: loaded only for the commands that draw

    written: list[Written] = []
    write(Path(out), calibrate.sheet(paper, flip), 2, written)  # atomic (files.write_atomic)
    _report(written)
    click.echo("print it two-sided at actual size; the back says how to read it")


@main.command("impose")
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False), metavar="IN.pdf")
@click.option("--nup", type=click.Choice(["2", "4"]), help="2 or 4 pages to a sheet, in reading order.")
@click.option("--booklet", is_flag=True, help="Saddle-stitch booklet on landscape sheets (fold to A5).")
@click.option("--paper", type=click.Choice(PAPERS), default="A4", show_default=True, help="Sheet size.")
@click.option("-o", "--out", required=True, metavar="OUT.pdf", help="The imposed PDF.")
def impose_cmd(pdf: str, nup: str | None, booklet: bool, paper: str, out: str) -> None:
    """Impose any PDF for printing: n-up sheets or a booklet."""
    from .finish import impose  # pypdf: loaded only for the commands that need it

    if bool(nup) == bool(booklet):
        raise UsageError("give one of --nup 2|4 or --booklet")
    check_target(Path(out))  # a device, pipe or link at -o is refused before the work
    sheets, count = impose.impose_file(Path(pdf), int(nup) if nup else None, paper)
    written: list[Written] = []
    write(Path(out), sheets, count, written)
    _report(written)

