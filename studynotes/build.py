"""What to build and where: topics × layouts → files under output/, written atomically.

A file in output/ is always either the previous complete PDF or the new
complete one: each is written to a temporary file beside it, then renamed.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import loader, presets
from .errors import NotesError, Problem, UsageError, closest
from .model import Topic
from .presets import Layout
from .render import kinds, options

TMP_PREFIX = ".studynotes-"
_UMASK = os.umask(0)
os.umask(_UMASK)


@dataclass(frozen=True)
class Job:
    topic: Topic
    layout: Layout
    out: Path


@dataclass(frozen=True)
class Written:
    path: Path
    pages: int
    size: int
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # how an engine adapted the content to the page


def notes_files(notes_dir: Path) -> list[Path]:
    """The notes files of a folder, sorted; links that lead out of the folder (or in a circle) are refused."""
    if not notes_dir.is_dir():
        raise UsageError(f"no notes folder '{notes_dir}' (use --notes DIR)")
    root = notes_dir.resolve()
    files, problems = [], []
    for p in sorted([*notes_dir.glob("*.yaml"), *notes_dir.glob("*.yml")]):
        try:
            inside = root in p.resolve(strict=True).parents
        except (OSError, RuntimeError):  # a dangling link, or links in a circle
            problems.append(Problem(str(p), 1, 1, "", "this link leads nowhere (or in a circle); remove it"))
            continue
        if not inside:
            problems.append(Problem(str(p), 1, 1, "", "this link leads out of the notes folder; "
                                    "copy the file into the folder instead"))
            continue
        files.append(p)
    if problems:
        raise NotesError(problems)
    return files


def load_topics(args: tuple[str, ...], notes_dir: Path) -> list[Topic]:
    """Topics named by id (from the notes folder) or by path; all of the folder when none is named.

    Every file is loaded even when one fails, so all errors are reported at once.
    """
    from .cache import BuildCache

    problems = []
    topics: list[Topic] = []
    for path in _topic_files(args, notes_dir, BuildCache(Path("."))):
        try:
            topics.append(loader.load(path))
        except NotesError as exc:
            problems.extend(exc.problems)
    if problems:
        raise NotesError(problems)
    unique_ids(topics)
    return topics


def output_name(topic: Topic, layout: Layout) -> str:
    """Deterministic file name: the layout, then the picks and overrides that change the content."""
    parts = [layout.name, *topic.picks, *layout.changes]
    return "_".join(parts) + ".pdf"


def plan(topics: list[Topic], layouts: list[Layout], out: Path | None) -> list[Job]:
    """Every output of the build. ``out`` is a folder, or the file when there is one output."""
    jobs = []
    single = len(topics) * len(layouts) == 1
    if out is not None and out.exists() and not out.is_dir() and out.suffix.lower() != ".pdf":
        raise UsageError(f"-o {out} is a file, not a folder; name a folder, or a .pdf file for a single output")
    if out is not None and out.suffix.lower() == ".pdf" and not single:
        raise UsageError(f"-o {out} names one file, but this build makes {len(topics) * len(layouts)} PDFs; "
                         "give a folder instead")
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


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` so that ``path`` is never seen half-written, even if the process dies."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes the file private; outputs are ordinary files
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def clean_temporaries(root: Path, recursive: bool = True) -> int:
    """Remove temporary files left by a build that was killed; returns how many. Only the folder
    the build owns is searched in depth (not the folder a single ``-o FILE.pdf`` lands in)."""
    n = 0
    if root.is_dir():
        found = root.rglob(f"{TMP_PREFIX}*.tmp") if recursive else root.glob(f"{TMP_PREFIX}*.tmp")
        for p in found:
            try:
                p.unlink()
                n += 1
            except OSError:
                pass
    return n


def run(jobs: list[Job], workers: int | None = None, on_done=None,
        on_each=None) -> tuple[list[Written], list[NotesError]]:
    """Render and write every job; one failing topic does not stop the others."""
    from .workers import render_many

    written: list[Written] = []
    failed: list[NotesError] = []
    for job, result in zip(jobs, render_many([(j.topic, j.layout) for j in jobs], workers, on_each)):
        if isinstance(result, NotesError):
            failed.append(result)
            continue
        write_atomic(job.out, result.pdf)
        w = Written(job.out, result.pages, len(result.pdf), result.warnings, result.notes)
        written.append(w)
        if on_done:
            on_done(job, w)
    return written, failed


@dataclass
class Report:
    written: list[Written]
    current: int            # outputs that were up to date
    failed: list[NotesError]
    cleaned: int = 0        # temporary files of a killed build removed
    outputs: tuple[Path, ...] = ()  # every output of the build, written or already current


def output_root(out: Path | None) -> Path:
    if out is None:
        return Path("output")
    return out.parent if out.suffix.lower() == ".pdf" else out


def incremental(topic_args: tuple[str, ...], notes_dir: Path, layout_names: tuple[str, ...],
                picks: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], overrides: dict,
                out: Path | None, workers: int | None = None, force: bool = False, on_each=None,
                on_plan=None) -> Report:
    """A whole build: only what is out of date is rendered; every topic that can be built is.

    Topics are parsed only when one of their outputs must be rendered: the
    record of earlier builds knows their ids, tags and sections.
    """
    from . import select
    from .cache import BuildCache, file_hash, output_key

    root = output_root(out)
    cleaned = clean_temporaries(root, recursive=not (out is not None and out.suffix.lower() == ".pdf"))
    cache = BuildCache.open(root)
    files = _topic_files(topic_args, notes_dir, cache)
    digests: dict[str, str] = {}
    full: dict[str, Topic] = {}
    stubs: list[Topic] = []
    failed: list[NotesError] = []
    for path in files:
        shown = str(path)
        if not path.is_file():  # a folder or a pipe named like notes: reading it would fail or hang
            failed.append(NotesError(Problem(shown, 1, 1, "", "not a regular file")))
            continue
        try:
            digest = file_hash(path)
        except OSError as exc:
            failed.append(NotesError(Problem(shown, 1, 1, "", f"cannot read the file: {exc.strerror}")))
            continue
        digests[shown] = digest
        index = None if force else cache.topic(digest, path.stem)
        if index is not None:
            stubs.append(index.stub(shown))
            continue
        try:
            topic = loader.load(path)
        except NotesError as exc:
            failed.append(exc)
            continue
        cache.remember_topic(digest, path.stem, topic)
        full[shown] = topic
        stubs.append(topic)
    unique_ids(stubs)
    ids, exclude, tags = picks
    try:
        picked = select.pick_all(stubs, ids, exclude, tags) if stubs else []
    except UsageError:
        if failed:  # the section or tag may be in a file that did not load: its errors come first
            raise NotesError([p for exc in failed for p in exc.problems]) from None
        raise
    layouts = load_layouts(layout_names, overrides)
    jobs = plan(picked, layouts, out)
    keys = {j.out: output_key(digests[j.topic.path], j.layout, j.topic.picks) for j in jobs}
    stale = [j for j in jobs if force or not cache.current(j.out, keys[j.out])]
    ready = []
    for job in stale:  # the real text of topics known only by their record
        if job.topic.path not in full:
            try:
                full[job.topic.path] = loader.load(Path(job.topic.path))
            except NotesError as exc:
                failed.append(exc)
                full[job.topic.path] = None  # type: ignore[assignment]
        topic = full[job.topic.path]
        if topic is None:
            continue
        real = select.pick(topic, ids, exclude, tags)
        if real is not None:
            ready.append(Job(real, job.layout, job.out))
    if on_plan:
        on_plan(len(ready))

    def done(job: Job, w: Written) -> None:
        cache.remember_output(job.out, keys[job.out], w.size)

    written, render_failed = run(ready, workers, on_done=done, on_each=on_each)
    if written or root.is_dir():  # a build that wrote nothing leaves no trace either
        cache.save()
    done_paths = {w.path for w in written}
    failed_paths = {j.out for j in ready} - done_paths
    outputs = tuple(j.out for j in jobs if j.out not in failed_paths and j.out.exists())
    return Report(written, len(jobs) - len(stale), failed + render_failed, cleaned, outputs)


def unique_ids(topics: list[Topic]) -> None:
    """Two files with one topic id would write the same outputs: an error at the second id."""
    import re

    seen: dict[str, str] = {}
    problems = []
    for t in topics:
        if t.id in seen and seen[t.id] != t.path:
            line, col = 1, 1
            try:
                text = Path(t.path).read_text(encoding="utf-8-sig")
                m = re.search(rf"^id:[ \t]*['\"]?{re.escape(t.id)}", text, re.M)
                if m:
                    line, col = text.count("\n", 0, m.start()) + 1, m.end() - len(t.id) - m.start() + 1
            except (OSError, UnicodeDecodeError):
                pass
            problems.append(Problem(t.path, line, col, "id", f"the topic id '{t.id}' is already used by "
                                    f"{seen[t.id]}; give this topic another id"))
        else:
            seen.setdefault(t.id, t.path)
    if problems:
        raise NotesError(problems)


def _topic_files(args: tuple[str, ...], notes_dir: Path, cache) -> list[Path]:
    """The notes files a build is about: all of the folder, or those named by path, file name or id."""
    if not args:
        return notes_files(notes_dir)
    by_stem = {p.stem: p for p in notes_files(notes_dir)} if notes_dir.is_dir() else {}
    out: list[Path] = []
    for arg in args:
        path = Path(arg)
        if path.suffix in (".yaml", ".yml") or os.sep in arg or "/" in arg:
            if not path.is_file():
                raise UsageError(f"no notes file '{arg}'")
            out.append(path)
        elif arg in by_stem:
            out.append(by_stem[arg])
        else:
            ids = {}
            for p in by_stem.values():  # an id that differs from its file name
                from .cache import file_hash

                index = cache.topic(file_hash(p), p.stem)
                if index is None:
                    try:
                        index_id = loader.load(p).id
                    except NotesError:
                        continue
                else:
                    index_id = index.id
                ids[index_id] = p
            if arg in ids:
                out.append(ids[arg])
                continue
            near = closest(arg, sorted(set(ids) | set(by_stem)))
            raise UsageError(f"unknown topic '{arg}'"
                             + (f" (did you mean {' or '.join(repr(n) for n in near)}?)" if near else "")
                             + f"; topics in {notes_dir}/: {', '.join(sorted(ids)) or 'none'}")
    return list(dict.fromkeys(out))


COMMON_OPTIONS = ("paper", "landscape", "grayscale")


def load_layouts(names: tuple[str, ...], overrides: dict | None = None) -> list[Layout]:
    """Presets by name or path (every default preset when none is named), with the command-line
    overrides each kind honours (``--split`` changes mind maps, not revision sheets)."""
    overrides = overrides or {}
    if not names:
        names = tuple(n for n, p in presets.available().items() if presets.load(n).default) or ("revision",)
    layouts = []
    for n in dict.fromkeys(names):
        lay = presets.load(n)
        if lay.kind not in kinds():  # an unknown kind is reported before anything is rendered
            raise NotesError(Problem(lay.path, 1, 1, "kind", f"unknown layout kind '{lay.kind}'; kinds: "
                                     + ", ".join(kinds())))
        honoured = COMMON_OPTIONS + (options(lay.kind) if overrides else ())
        layouts.append(lay.adjusted(**{k: v for k, v in overrides.items() if k in honoured}))
    return layouts


# -- class packs -----------------------------------------------------------------

def pack_parts(spec, notes_dir: Path, default_layouts: tuple[str, ...], overrides: dict,
               workers: int | None = None) -> list:
    """Render every (topic, kind) of a pack, in order; a bad entry is an error at its place in the pack file."""
    from .finish.pack import Part, pack_layout
    from .select import pick_all

    parts = []
    problems = []
    for entry in spec.entries:
        step = "topic"
        try:
            (topic,) = load_topics((entry.topic,), notes_dir)
            step = "picks"
            (picked,) = pick_all([topic], entry.sections, entry.exclude, entry.tags)
            step = "kinds"
            layouts = load_layouts(entry.kinds or default_layouts, overrides)
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
        for lay in layouts:
            parts.append((picked, pack_layout(lay)))
    if problems:
        raise NotesError(problems)
    from .workers import render_many

    rendered = []
    failed = []
    for (topic, lay), result in zip(parts, render_many(parts, workers)):
        if isinstance(result, NotesError):
            failed.extend(result.problems)
        else:
            rendered.append(Part(topic, lay, result))
    if failed:
        raise NotesError(failed)
    return rendered
