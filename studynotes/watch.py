"""``make_notes.py watch``: a warm process that rebuilds, on save, what an edited notes file or preset affects.

Why a process that stays: a cold build of one revision sheet spends most of its time importing
ReportLab and loading fonts; in a warm process only the re-render is left. Each rebuild is an
ordinary incremental build (``build.incremental``, in this process, one output at a time, no
worker pool), so the outputs and the build record are exactly what ``build`` would leave: content
hashes decide what is stale, a broken file fails alone, and its last good PDF stays.

Editors save in place, by writing a temporary file and renaming it over the old one (vim, most
IDEs), or by deleting and creating. Folders are watched, not files (a watch on a file is lost at
the first rename), and a change counts by the path it lands on, so all three look alike. The
watching is watchfiles (Rust's notify: inotify, FSEvents, ReadDirectoryChangesW), imported by
this command only. No event reports a save made before a watcher is live (during the first
build, say): when one goes live, the inputs are compared with what the last build started from.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from .build import Picks, Report, incremental, load_layouts, output_root
from .errors import Interrupted, NotesError, Problem, StudyNotesError
from .files import Written, read_bytes
from .finish.pictures import write_pictures
from .load import discover, notes, presets
from .render import engine

NOTES_SUFFIXES = (".yaml", ".yml")
QUIET_MS = 10  # a batch is handled once a step this long brings no new change (an editor's save takes ~1 ms)
LONGEST_MS = 1000  # ... or after this long, if changes keep coming (a checkout, a sync tool)
SETTLE_S = 0.3  # a known file found missing may be between an editor's delete and its create


@dataclass(frozen=True)
class Request:
    """What the user asked to watch: the arguments of a build."""

    topics: tuple[str, ...] = ()
    notes_dir: Path = Path("notes")
    layouts: tuple[str, ...] = ()
    picks: Picks = ((), (), ())
    overrides: dict[str, Any] = field(default_factory=dict, hash=False)
    out: Path | None = None
    png: bool = False


@dataclass(frozen=True)
class Round:
    """What one build of the watch did; its lines are printed from this, and tests read it."""

    pdfs: tuple[Written, ...] = ()
    times_ms: tuple[float, ...] = ()  # per PDF: from the start of the round to the PDF rendered
    current: int = 0  # outputs that were up to date
    problems: tuple[Problem, ...] = ()  # located errors; the outputs they stopped keep their last good PDF
    error: StudyNotesError | None = None  # a round that could not run at all (e.g. a named file is gone)
    warnings: tuple[Problem, ...] = ()  # the build's own (a broken preset it does not use)
    pictures: int = 0


Stamp = tuple[int, int, int]  # inode, modification time (ns), size: a rename-save changes the inode


def stamp(path: Path) -> Stamp:
    st = path.stat()
    return st.st_ino, st.st_mtime_ns, st.st_size


def input_name(path: Path) -> bool:
    """Named like a notes file or preset; an editor's swap, backup and hidden temporary files are
    not (``.x.yaml.swp``, ``x.yaml~``, ``x.yaml___jb_tmp___``, ``.#x.yaml``)."""
    return path.suffix in NOTES_SUFFIXES and not path.name.startswith(".")


def wanted(path: Path, folders: Iterable[Path]) -> bool:
    """A notes file or preset in a watched folder."""
    return input_name(path) and path.parent.resolve() in set(folders)


def settle(paths: Iterable[Path], wait_s: float = SETTLE_S) -> None:
    """Wait a moment for files that are missing: an editor that deletes and then creates may be
    between the two. A file that stays away was deleted (or renamed) for good."""
    missing = [p for p in paths if not p.exists()]
    deadline = time.monotonic() + wait_s
    while missing and time.monotonic() < deadline:
        time.sleep(0.01)
        missing = [p for p in missing if not p.exists()]


def _named_paths(args: Iterable[str]) -> list[Path]:
    """The command-line arguments that are paths (as ``discover.topic_files`` and ``presets.find`` tell)."""
    return [Path(a) for a in args if Path(a).suffix in NOTES_SUFFIXES or "/" in a or "\\" in a]


class Watcher:
    """The state a watch keeps between rounds: which folders to watch, what it said last."""

    def __init__(self, request: Request, out: TextIO | None = None, err: TextIO | None = None,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.request = request
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.clock = clock
        self.root = output_root(request.out)
        self.preset_files: tuple[Path, ...] = ()
        self.seen: dict[Path, Stamp] = {}  # the notes files and presets as the last round started
        self.announced = False
        self.warned: tuple[Problem, ...] = ()

    # -- what is watched ---------------------------------------------------------

    def folders(self) -> tuple[Path, ...]:
        """The notes folder, the folders of named files, the preset folders and the folder of
        every preset file in use (a preset may extend one anywhere); resolved, existing."""
        req = self.request
        candidates = [req.notes_dir, *(p.parent for p in _named_paths(req.topics)),
                      *presets.preset_dirs(), *(p.parent for p in _named_paths(req.layouts)),
                      *(p.parent for p in self.preset_files)]
        return tuple(dict.fromkeys(p.resolve() for p in candidates if p.is_dir()))

    def wanted(self, path: Path) -> bool:
        return wanted(path, self.folders())

    def _look_around(self) -> None:
        """After a round: the presets in use (their folders are watched) and the files there now."""
        try:
            layouts = load_layouts(self.request.layouts, self.request.overrides)
            self.preset_files = tuple(dict.fromkeys(Path(f) for lay in layouts for f in lay.chain))
        except StudyNotesError:
            pass  # a broken preset: its folder is watched already, the last known ones stay watched

    def inputs(self) -> dict[Path, Stamp]:
        """Every notes file and preset in the watched folders, with what tells a new version."""
        found = {}
        for folder in self.folders():  # resolved: the paths found are those the watcher reports
            for path in sorted(p for s in NOTES_SUFFIXES for p in folder.glob(f"*{s}") if input_name(p)):
                try:
                    found[path] = stamp(path)
                except OSError:  # gone since the folder was listed: as if not there
                    continue
        return found

    def missed(self) -> list[Path]:
        """Inputs saved since the last round started, while no watcher was live to see it (during the
        first build and warm-up, or as a watcher restarts)."""
        now = self.inputs()
        return [p for p in {**self.seen, **now} if self.seen.get(p) != now.get(p)]

    # -- rounds --------------------------------------------------------------------

    def handle(self, paths: Iterable[str | Path]) -> Round | None:
        """One rebuild for a batch of changed paths; None when none of them is a notes file or preset."""
        changed = [p for p in map(Path, paths) if self.wanted(p)]
        if not changed:
            return None
        settle((p for p in changed if p.resolve() in self.seen), SETTLE_S)
        return self.rebuild()

    def rebuild(self, jobs: int | None = 1, force: bool = False, first: bool = False) -> Round:
        """An incremental build. A problem in a file is shown, never the end of the watch; at the
        first build, a usage mistake (an unknown topic, an -o that cannot be written) is. Ctrl-C
        during a build is ``Interrupted`` (exit 130): a build was cut short."""
        start = self.clock()
        self.seen = self.inputs()
        stamps: list[float] = []
        req = self.request
        try:
            report = incremental(req.topics, req.notes_dir, req.layouts, req.picks, req.overrides, req.out,
                                 jobs, force, on_each=lambda _: stamps.append(self.clock()))
            done = self._round(report, start, stamps, first)
        except Interrupted:
            raise
        except KeyboardInterrupt:
            raise Interrupted(0) from None
        except NotesError as exc:
            done = Round(problems=tuple(exc.problems))
        except StudyNotesError as exc:
            if first:
                raise
            done = Round(error=exc)
        self._look_around()
        self.show(done, first)
        return done

    def _round(self, report: Report, start: float, stamps: list[float], first: bool) -> Round:
        end = self.clock()
        pdfs = tuple(w for w in report.written if not w.beside)
        # each render's stamp, when every render landed (a render that failed has a stamp, no file)
        ends = stamps if len(stamps) == len(pdfs) else [end] * len(pdfs)
        error = None
        try:
            pictures = self._pictures(report.outputs if first else tuple(w.path for w in pdfs))
        except StudyNotesError as exc:  # a picture that cannot be written: the PDFs are there all the same
            pictures, error = 0, exc
        return Round(pdfs, tuple((t - start) * 1000 for t in ends), report.current,
                     tuple(p for exc in report.failed for p in exc.problems), error, report.warnings, pictures)

    def _pictures(self, paths: tuple[Path, ...]) -> int:
        """--png: the pictures of the PDFs of this round, for a preview window."""
        if not self.request.png:
            return 0
        written: list[Written] = []
        for path in paths:
            write_pictures(path, read_bytes(path), written)
        return len(written)

    def warm_up(self) -> None:
        """Render once in memory each kind in use: a process's first render loads fonts and fills
        ReportLab's and HarfBuzz's caches, and the first save must not pay for it."""
        req = self.request
        try:
            layouts = load_layouts(req.layouts, req.overrides)
            topic = notes.load(discover.topic_files(req.topics, req.notes_dir)[0])
        except (StudyNotesError, IndexError):
            return  # nothing loads yet: the first successful round warms up instead
        for lay in {lay.kind: lay for lay in layouts}.values():
            try:
                engine(lay.kind)(topic, lay)
            except NotesError:
                continue

    # -- what is said --------------------------------------------------------------

    def _say(self, line: str, err: bool = False) -> None:
        print(line, file=self.err if err else self.out, flush=True)

    def _shown(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def show(self, done: Round, first: bool = False) -> None:
        """One line per PDF; warnings, notes and problems as ``build`` prints them."""
        verb = "built" if first else "rebuilt"
        pics = f", {done.pictures} picture{'s' if done.pictures != 1 else ''}" if done.pictures else ""
        for w, ms in zip(done.pdfs, done.times_ms, strict=True):
            for p in w.warnings:
                self._say(str(p), err=True)
            for note in w.notes:
                self._say(f"note: {note}")
            self._say(f"{self._shown(w.path)} {verb} in {ms:.0f} ms")
        if pics:
            self._say(pics[2:])
        if first and done.current:
            self._say(f"{done.current} up to date")
        if done.warnings != self.warned:  # a broken unused preset: said once, not at every save
            for p in done.warnings:
                self._say(str(p), err=True)
            self.warned = done.warnings
        for p in done.problems:
            self._say(str(p), err=True)
        if done.problems:
            n = len(done.problems)
            self._say(f"{n} problem{'s' if n != 1 else ''} found; the last good PDF stays until it builds again",
                      err=True)
        if done.error is not None:
            done.error.show(self.err)
            self.err.flush()

    # -- the loop ------------------------------------------------------------------

    def _shown_folder(self, folder: Path) -> str:
        try:
            return f"{folder.relative_to(Path.cwd().resolve())}/"
        except ValueError:
            return f"{folder}/"

    def start(self, jobs: int | None = None, force: bool = False) -> Round:
        """The first build (in worker processes when there is much to do), then a warm-up."""
        done = self.rebuild(jobs, force, first=True)
        self.warm_up()
        return done

    def live(self) -> bool:
        """Called by watchfiles at every step once its watcher is live (as ``stop_event.is_set``): the
        first time, say that the watch is on, and stop this watcher if a save was missed before it."""
        if not self.announced:
            folders = ", ".join(self._shown_folder(f) for f in self.folders())
            self._say(f"watching {folders} for changes; Ctrl-C stops")
            self.announced = True
        return bool(self.missed())

    def run(self, jobs: int | None = None, force: bool = False) -> None:
        """Build, then rebuild on every save until Ctrl-C. Ctrl-C while waiting ends the watch
        normally (every PDF on disk is that of the last save); during a rebuild it is ``Interrupted``."""
        from watchfiles import watch  # a Rust extension and anyio, ~17 ms: for this command only

        try:
            self.start(jobs, force)  # Ctrl-C in its build is Interrupted; in the warm-up, nothing is cut short
            while True:
                folders = self.folders()
                check = _Once(self.live)
                for changes in watch(*folders, watch_filter=lambda _, p: self.wanted(Path(p)), debounce=LONGEST_MS,
                                     step=QUIET_MS, stop_event=check, recursive=False, raise_interrupt=True):
                    self.handle(p for _, p in changes)
                    if self.folders() != folders:
                        break  # a preset now extends one in another folder: watch that one too
                if check.result:
                    self.handle(self.missed())
        except KeyboardInterrupt:
            self._say("stopped watching")


class _Once:
    """A ``stop_event`` for watchfiles that asks its question once, at the first step of a live watcher."""

    def __init__(self, question: Callable[[], bool]) -> None:
        self.question = question
        self.result: bool | None = None

    def is_set(self) -> bool:
        if self.result is None:
            self.result = self.question()
        return self.result
