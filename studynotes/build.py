"""What to build and where: topics × layouts → files under output/, rendering only what changed.

The incremental build runs in named steps: index the notes files (from the
build record where their content is unchanged), pick sections, plan the
outputs, find the stale ones, load the real text of just those topics,
render and write them. Class packs are planned here too (their parts are
rendered like any output) and finished in ``finish.packs``.
"""

from __future__ import annotations

import io
import re
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import select
from .cache import BuildCache, layout_key, output_key
from .errors import Interrupted, NotesError, Problem, UsageError
from .files import Written, check_target, clean_temporaries, file_hash, uninterrupted, write_atomic
from .finish.options import PackOptions, PackResult
from .load import discover, notes, presets
from .load.packfile import PackSpec
from .load.presets import Layout
from .load.roster import Student
from .model import Topic
from .names import file_stem, reserved
from .render import Extra, has_versions, kinds, options
from .workers import render_many, spooled

if TYPE_CHECKING:
    from .finish.pack import Part
    from .finish.packs import Paper

COMMON_OPTIONS = ("paper", "landscape", "grayscale")
FORMULAS_NAME = ".studynotes-formulas.json"  # beside the build record: every formula's layout, by TeX and size

Picks = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]  # -s ids, -x ids, -t tags


@dataclass(frozen=True)
class Job:
    topic: Topic
    layout: Layout
    out: Path


@dataclass(frozen=True)
class Report:
    written: list[Written]
    current: int            # outputs that were up to date
    failed: list[NotesError]
    cleaned: int = 0        # temporary files of a killed build removed
    outputs: tuple[Path, ...] = ()  # every output of the build, written or already current
    warnings: tuple[Problem, ...] = ()  # e.g. a broken preset the build does not use
    kept: tuple[Written, ...] = ()  # up-to-date outputs with what their engine said when they were written


def output_name(topic: Topic, layout: Layout) -> str:
    """Deterministic file name: the layout, then the picks and overrides that change the content."""
    parts = [layout.name, *topic.picks, *layout.changes]
    return "_".join(parts) + ".pdf"


def extra_path(pdf: Path, suffix: str) -> Path:
    """Where a file that goes with a PDF is written: ``worksheet.pdf`` → ``worksheet-answers.pdf``."""
    return pdf.with_name(pdf.stem + suffix)


def _pages(extra: Extra) -> int:
    """The pages of a PDF written beside an output (0 for keys and templates), for the report."""
    if not extra.suffix.lower().endswith(".pdf"):
        return 0
    from pypdf import PdfReader  # only when a kind writes a second PDF

    return len(PdfReader(io.BytesIO(extra.data)).pages)


def output_root(out: Path | None) -> Path:
    """The folder the build owns: its record and its leftovers live here."""
    if out is None:
        return Path("output")
    return out.parent if out.suffix.lower() == ".pdf" else out


def plan(topics: list[Topic], layouts: list[Layout], out: Path | None, broken: int = 0) -> list[Job]:
    """Every output of the build. ``out`` is a folder, or the file when there is one output. ``broken``
    notes files (which could not be loaded) still count: ``-o x.pdf`` for one broken file is their
    error, not a usage mistake, and two files into one name is a usage mistake even if one is broken."""
    jobs: list[Job] = []
    count = (len(topics) + broken) * len(layouts)
    if out is not None and out.exists() and not out.is_dir() and out.suffix.lower() != ".pdf":
        raise UsageError(f"-o {out} is a file, not a folder; name a folder, or a .pdf file for a single output")
    if out is not None and out.suffix.lower() == ".pdf" and count > 1:
        raise UsageError(f"-o {out} names one file, but this build makes {count} PDFs; give a folder instead")
    if out is not None and out.suffix.lower() == ".pdf":
        check_target(out)  # a folder, pipe, device or link named like a PDF: refused before rendering
    for t in topics:
        for lay in layouts:
            if out is not None and out.suffix.lower() == ".pdf":
                path = out
            else:
                path = (out or Path("output")) / t.id / output_name(t, lay)
            twin = next((j for j in jobs if j.out == path), None)
            if twin is not None:
                raise UsageError(f"the layouts {twin.layout.path} and {lay.path} would both write {path}; "
                                 "give one preset file another name")
            jobs.append(Job(t, lay, path))
    return jobs


def _room(lay: Layout) -> list[Problem]:
    """A kind that sets text in columns (it honours --columns) needs room for them; a mind map
    places its own boxes and fits any page the preset schema allows."""
    return presets.room_for_columns(lay) if "columns" in options(lay.kind) else []


def layout(name: str) -> Layout:
    """A preset and what can be known of it before anything is rendered: its kind, and room for text."""
    lay = presets.load(name)
    if lay.kind not in kinds():
        raise NotesError(Problem.at(lay.kind_at, "kind", f"unknown layout kind '{lay.kind}'; kinds: "
                                    + ", ".join(kinds())))
    problems = _room(lay)
    if problems:
        raise NotesError(problems)
    return lay


def _left_out(exc: NotesError, name: str) -> list[Problem]:
    return [replace(p, severity="warning", message=f"{p.message} (the preset '{name}' is not default: "
                    "left out of this build)") for p in exc.problems]


def default_layouts(warnings: list[Problem] | None = None) -> list[Layout]:
    """Every preset marked default. A broken preset that is not marked default is left out, with
    its problems as warnings: a build that does not use it must not stop for it. A broken one marked
    default, or one whose YAML cannot be read to tell, stops the build as if it had been named."""
    chosen: list[Layout] = []
    problems: list[Problem] = []
    for name, path in presets.available().items():
        try:
            lay = layout(name)
        except NotesError as exc:
            if presets.says_default(path) is False:
                (warnings if warnings is not None else []).extend(_left_out(exc, name))
            else:
                problems.extend(exc.problems)
            continue
        if lay.default:
            chosen.append(lay)
    if problems:
        raise NotesError(problems)
    return chosen or [layout("revision")]


def _adjusted(lay: Layout, overrides: dict[str, Any]) -> Layout:
    """The preset with the command-line overrides its kind honours (``--split`` changes mind maps,
    not revision sheets); overrides that leave no room for text are a usage mistake."""
    honoured = COMMON_OPTIONS + (options(lay.kind) if overrides else ())
    given = {k: v for k, v in overrides.items() if k in honoured}
    new = lay.adjusted(**given)
    problems = _room(new) if given else []
    if problems:
        flags = " ".join(f"--{k.replace('_', '-')}" + ("" if v is True else f" {v}") for k, v in given.items())
        raise UsageError(f"{flags} with the layout {lay.name}: {problems[0].message}")
    return new


def load_layouts(names: tuple[str, ...], overrides: dict[str, Any] | None = None,
                 warnings: list[Problem] | None = None) -> list[Layout]:
    """Presets by name or path (every default preset when none is named), each checked before
    anything is rendered, with the command-line overrides each kind honours."""
    if names:
        chosen, problems = [], []
        for n in dict.fromkeys(names):
            try:
                chosen.append(layout(n))
            except NotesError as exc:  # every named preset's problems at once
                problems.extend(exc.problems)
        if problems:
            raise NotesError(problems)
    else:
        chosen = default_layouts(warnings)
    return [_adjusted(lay, overrides or {}) for lay in chosen]


def run(jobs: list[Job], workers: int | None = None, on_done: Callable[[Job, Written], None] | None = None,
        on_each: Callable[[int], None] | None = None) -> tuple[list[Written], list[NotesError]]:
    """Render and write every job; one failing topic does not stop the others. Each output is
    handed to ``on_done`` as it lands (to be recorded at once); on Ctrl-C the workers are stopped
    before the interrupt goes on."""
    written: list[Written] = []
    failed: list[NotesError] = []
    results = render_many([(j.topic, j.layout) for j in jobs], workers, on_each)
    try:
        for job, result in zip(jobs, results, strict=True):
            if isinstance(result, NotesError):
                failed.append(result)
                continue
            with uninterrupted():  # Ctrl-C waits: an output on disk is always one the record knows
                for extra in result.extras:  # before the PDF: a recorded PDF always has its files beside it
                    write_atomic(extra_path(job.out, extra.suffix), extra.data)
                write_atomic(job.out, result.pdf)
                w = Written(job.out, result.pages, len(result.pdf), result.warnings, result.notes)
                written.append(w)
                written.extend(Written(extra_path(job.out, e.suffix), _pages(e), len(e.data), beside=True)
                               for e in result.extras)
                if on_done:
                    on_done(job, w)
    finally:
        results.close()  # leaves the worker pool now, not when the generator is collected
    return written, failed


# -- the incremental build, step by step ------------------------------------------

@dataclass
class _Index:
    """What the build knows of its notes files before rendering anything."""

    digests: dict[str, str] = field(default_factory=dict)   # shown path → content hash
    full: dict[str, Topic] = field(default_factory=dict)    # topics parsed in this run
    stubs: list[Topic] = field(default_factory=list)        # every topic, parsed or from the record
    failed: list[NotesError] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)   # e.g. Markdown folded deeper than the model


def _index_topics(files: list[Path], cache: BuildCache, force: bool) -> _Index:
    """Hash every file; parse only those the record does not know."""
    index = _Index()
    for path in files:
        shown = str(path)
        if not path.is_file():  # a folder or a pipe named like notes: reading it would fail or hang
            index.failed.append(NotesError(Problem(shown, 1, 1, "", "not a regular file")))
            continue
        try:
            digest = file_hash(path)
        except OSError as exc:
            index.failed.append(NotesError(Problem(shown, 1, 1, "", f"cannot read the file: {exc.strerror}")))
            continue
        index.digests[shown] = digest
        known = None if force else cache.topic(digest, path.stem)
        if known is not None:
            index.stubs.append(known.stub(shown))
            continue
        try:
            topic, found = notes.read(path)
        except NotesError as exc:
            index.failed.append(exc)
            continue
        index.warnings.extend(found)
        cache.remember_topic(digest, path.stem, topic)
        index.full[shown] = topic
        index.stubs.append(topic)
    discover.unique_ids(index.stubs)
    return index


def _pick(index: _Index, picks: Picks) -> list[Topic]:
    ids, exclude, tags = picks
    try:
        return select.pick_all(index.stubs, ids, exclude, tags) if index.stubs else []
    except UsageError:
        if index.failed:  # the section or tag may be in a file that did not load: its errors come first
            raise NotesError([p for exc in index.failed for p in exc.problems]) from None
        raise


def _stale_jobs(jobs: list[Job], index: _Index, cache: BuildCache, force: bool) -> tuple[dict[Path, str], list[Job]]:
    """Each output's key (a hash of all it depends on) and the jobs whose output is not current."""
    layouts = {id(lay): layout_key(lay) for lay in {id(j.layout): j.layout for j in jobs}.values()}  # once each
    keys = {j.out: output_key(index.digests[j.topic.path], j.layout, j.topic.picks, layouts[id(j.layout)])
            for j in jobs}
    return keys, [j for j in jobs if force or not cache.current(j.out, keys[j.out])]


def _load_stale(stale: list[Job], index: _Index, picks: Picks) -> list[Job]:
    """The stale jobs with the real text of their topics (known so far only by their record)."""
    ready = []
    broken: set[str] = set()
    for job in stale:
        path = job.topic.path
        if path in broken:
            continue
        if path not in index.full:
            try:
                index.full[path] = notes.load(Path(path))
            except NotesError as exc:
                index.failed.append(exc)
                broken.add(path)
                continue
        real = select.pick(index.full[path], *picks)
        if real is not None:
            ready.append(Job(real, job.layout, job.out))
    return ready


def incremental(topic_args: tuple[str, ...], notes_dir: Path, layout_names: tuple[str, ...], picks: Picks,
                overrides: dict[str, Any], out: Path | None, workers: int | None = None, force: bool = False,
                on_each: Callable[[int], None] | None = None,
                on_plan: Callable[[int], None] | None = None) -> Report:
    """A whole build: only what is out of date is rendered; every topic that can be built is.

    Topics are parsed only when one of their outputs must be rendered: the
    record of earlier builds knows their ids, tags and sections. Each output
    is recorded as it lands, so Ctrl-C (``Interrupted``) or a kill loses none.
    """
    root = output_root(out)
    cleaned = clean_temporaries(root, recursive=not (out is not None and out.suffix.lower() == ".pdf"))
    cache = BuildCache.open(root)
    files = discover.topic_files(topic_args, notes_dir, cache.known_id)
    index = _index_topics(files, cache, force)
    warnings = list(index.warnings)
    jobs = plan(_pick(index, picks), load_layouts(layout_names, overrides, warnings), out, len(index.failed))
    keys, stale = _stale_jobs(jobs, index, cache, force)
    ready = _load_stale(stale, index, picks)
    if ready:  # formulas set by earlier builds are not set again (workers inherit them, and add theirs)
        from .formula import use_disk  # ReportLab: only when something is to be rendered

        use_disk(root / FORMULAS_NAME)
    if on_plan:
        on_plan(len(ready))
    finished: list[Path] = []

    def done(job: Job, w: Written) -> None:
        cache.remember_output(job.out, keys[job.out], w.size, w.warnings, w.notes)
        finished.append(job.out)

    try:
        written, render_failed = run(ready, workers, on_done=done, on_each=on_each)
        if written or root.is_dir():  # a build that wrote nothing leaves no trace either
            cache.save()
    except KeyboardInterrupt:  # each finished output is in the record's journal already
        raise Interrupted(len(finished)) from None
    failed_paths = {j.out for j in ready} - {w.path for w in written}
    outputs = tuple(j.out for j in jobs if j.out not in failed_paths and j.out.exists())
    stale_paths = {j.out for j in stale}
    kept = tuple(Written(j.out, 0, 0, *cache.said(j.out)) for j in jobs if j.out not in stale_paths)
    return Report(written, len(jobs) - len(stale), index.failed + render_failed, cleaned, outputs, tuple(warnings),
                  tuple(k for k in kept if k.warnings or k.notes))


# -- class packs -----------------------------------------------------------------

def pack_target(title: str, force: bool = False, folder: Path = Path("output")) -> Path:
    """Where a pack goes when no -o is given: its title's letters, in any script
    (``output/इतिहास-सप्ताह-3.pdf``). Titles that differ only in punctuation still share a name
    ("Week 3: India/Japan", "Week 3 — India & Japan"), so a pack of another title found there
    (its PDF's /Title says which) is not replaced without ``force``."""
    stem = file_stem(title).lower()
    if not stem or reserved(stem):
        stem = f"{stem}-pack" if stem else "pack"
    target = folder / f"{stem}.pdf"
    if force or not target.exists():
        return target
    from .finish.packs import pdf_title  # pypdf, only to look at a pack that is about to be replaced

    found = pdf_title(target)
    if found is not None and _same_title(found, title):
        return target
    held = f"the pack '{found}'" if found else "a file that is not a pack"
    raise UsageError(f"{target} already holds {held}; this pack is '{title}'. Name another file with -o, "
                     "or replace it with --force")


def _same_title(a: str, b: str) -> bool:
    return unicodedata.normalize("NFC", a).strip() == unicodedata.normalize("NFC", b).strip()


def pack_parts(spec: PackSpec, notes_dir: Path, default_layouts: tuple[str, ...], overrides: dict[str, Any],
               workers: int | None = None, warnings: list[Problem] | None = None,
               spool: Path | None = None) -> list[Part]:
    """Render every (topic, kind) of a pack, in order; a bad entry is an error at its place in the pack file.
    A broken preset the pack does not use is added to ``warnings``. With ``spool`` (a folder), each part's
    PDF waits there instead of in memory until the pack is merged."""
    from .finish.pack import Part, pack_layout  # ReportLab and pypdf: only for packs (ARCHITECTURE.md)

    pairs: list[tuple[Topic, Layout]] = []
    problems: list[Problem] = []
    for entry in spec.entries:
        step = "topic"
        try:
            (topic,) = discover.load_topics((entry.topic,), notes_dir)
            step = "picks"
            (picked,) = select.pick_all([topic], entry.sections, entry.exclude, entry.tags)
            step = "kinds"
            layouts = load_layouts(entry.kinds or default_layouts, overrides, warnings)
        except UsageError as exc:
            if not spec.path:
                raise
            line, col = entry.place(*{"topic": ("topic",), "picks": ("sections", "exclude", "tags"),
                                      "kinds": ("kinds",)}[step])
            problems.append(Problem(spec.path, line, col, "topics", str(exc)))
            continue
        except NotesError as exc:  # a broken notes file or preset: every problem, then the next entry
            problems.extend(exc.problems)
            continue
        pairs += [(picked, pack_layout(lay)) for lay in layouts]
    if problems:
        raise NotesError(problems)
    rendered = []
    failed: list[Problem] = []
    results = render_many(pairs, workers, spool=spool)
    for k, ((topic, lay), result) in enumerate(zip(pairs, results, strict=True)):
        if isinstance(result, NotesError):
            failed.extend(result.problems)
        else:
            rendered.append(Part(topic, lay, result, spooled(spool, k) if spool is not None else None))
    if failed:
        raise NotesError(failed)
    return rendered


def student_codes(students: list[Student]) -> list[str]:
    """Each student's own paper code: the roll number in letters, digits, - and _ (their row number
    when there is none), made unique."""
    codes: list[str] = []
    for k, s in enumerate(students):
        code = re.sub(r"[^A-Za-z0-9_-]+", "-", s.roll).strip("-")[:12] or f"S{k + 1:03d}"
        codes.append(code if code not in codes else f"{code}-{k + 1}")
    return codes


def _versions(parts: list[Part], students: list[Student], opts: PackOptions, workers: int | None,
              spool: Path) -> tuple[list[Paper], list[int]]:
    """With a quiz in the pack and ``--series`` or ``--per-student``: the versions of the pack (each
    series' or student's quiz, the other parts shared) and which one each student gets."""
    from .finish.packs import Paper

    varying = [k for k, p in enumerate(parts) if has_versions(p.layout.kind)]
    if not varying or not (opts.series or opts.per_student):
        return [], []
    codes = student_codes(students) if opts.per_student else list(opts.series)
    which = list(range(len(students))) if opts.per_student else [k % len(codes) for k in range(len(students))]
    key = "variant" if opts.per_student else "series"
    pairs = [(parts[k].topic, replace(parts[k].layout, settings={**parts[k].layout.settings, key: code}))
             for code in codes for k in varying]
    spool.mkdir()
    results = list(render_many(pairs, workers, spool=spool))
    problems = [p for r in results if isinstance(r, NotesError) for p in r.problems]
    if problems:
        raise NotesError(list(dict.fromkeys(problems)))
    papers = []
    for c, code in enumerate(codes):
        own = list(parts)
        for j, k in enumerate(varying):
            n = c * len(varying) + j
            result = results[n]
            assert not isinstance(result, NotesError)
            own[k] = replace(parts[k], layout=pairs[n][1], rendered=result, file=spooled(spool, n))
        papers.append(Paper(code, own))
    return papers, which


def make_pack(spec: PackSpec, notes_dir: Path, layout_names: tuple[str, ...], students: list[Student],
              opts: PackOptions, workers: int | None = None, on_plan: Callable[[int], None] | None = None,
              on_each: Callable[[int], None] | None = None) -> PackResult:
    """A class pack from its spec: render the parts, then finish them (cover, copies, imposition).
    ``on_plan(total)`` and ``on_each(k)`` follow the copies and impositions (a class of 2,000 takes a while)."""
    from .finish.pack import PackInfo, check_cover
    from .finish.packs import Progress, finish_pack

    opts.check(students)
    info = PackInfo(spec.title, spec.class_, spec.teacher, spec.date, spec.duplex, spec.watermark,
                    opts.paper or "A4", opts.grayscale)
    check_cover(info)  # before the parts are rendered: a title that cannot fit is known now
    overrides = {k: v for k, v in (("paper", opts.paper), ("grayscale", opts.grayscale)) if v}
    warnings: list[Problem] = []
    with tempfile.TemporaryDirectory(prefix="studynotes-parts-") as spool:  # the parts wait on disk, not in memory
        parts = pack_parts(spec, notes_dir, layout_names, overrides, workers, warnings, Path(spool))
        papers, which = _versions(parts, students, opts, workers, Path(spool) / "versions")
        result = finish_pack(parts, info, students, opts, Progress(on_plan, on_each), papers, which)
    found = [*warnings, *(w for p in parts for w in p.rendered.warnings)]
    notes = tuple(n for p in parts for n in p.rendered.notes)
    return replace(result, warnings=tuple(dict.fromkeys(found)), notes=notes)
