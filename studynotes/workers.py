"""Rendering in worker processes: fonts and ReportLab load once per worker, not once per document.

Results come back in the order the work was given, so output and reports
are the same whatever the number of workers.

Ctrl-C is the main process's to handle: a terminal sends SIGINT to every
process of the group, and a worker that took it would print its own
traceback. Workers ignore it from the moment they are forked; the main
process stops them (SIGTERM, quietly) when it leaves the pool.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Generator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from . import fonts
from .errors import NotesError
from .load.presets import Layout
from .model import Topic
from .render import Rendered, engine


def cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _render(pair: tuple[Topic, Layout]) -> Rendered | NotesError:
    topic, layout = pair
    from .formula import save_disk  # ReportLab: only once something is rendered
    from .subsets import shared

    try:
        with shared(layout.shared_fonts):  # a pack's part: subsets all parts share
            return engine(layout.kind)(topic, layout)
    except NotesError as exc:  # a user's mistake travels back as a value; anything else is a bug
        return exc
    finally:
        save_disk()  # the formulas this render set, for the next build (when the build keeps them)


def _render_to(job: tuple[Topic, Layout, Path]) -> Rendered | NotesError:
    """Render and leave the PDF in a file; what comes back has no bytes (``spool`` of ``render_many``)."""
    topic, layout, path = job
    result = _render((topic, layout))
    if isinstance(result, NotesError):
        return result
    path.write_bytes(result.pdf)
    return replace(result, pdf=b"")


def _warm() -> None:
    fonts.register_body()


def _worker_start() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _warm()


@contextmanager
def _sigint_ignored() -> Generator[None, None, None]:
    """While workers are forked: they inherit SIGINT ignored, so none can take a Ctrl-C before its
    initializer runs. (Only the main thread may change signal handlers.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old if old is not None else signal.SIG_DFL)


def spooled(spool: Path, k: int) -> Path:
    """Where ``render_many(..., spool=spool)`` leaves the PDF of its ``k``-th pair."""
    return spool / f"{k:05d}.pdf"


def render_many(pairs: list[tuple[Topic, Layout]], jobs: int | None = None,
                on_each: Callable[[int], None] | None = None,
                spool: Path | None = None) -> Generator[Rendered | NotesError, None, None]:
    """Render every (topic, layout), yielding results in the given order. With ``spool`` (a folder),
    each PDF is left in ``spooled(spool, k)`` and its result comes back without bytes: a class pack
    of hundreds of parts then never holds them all in memory."""
    jobs = min(jobs or cores(), len(pairs))
    work: list = pairs if spool is None else [(t, lay, spooled(spool, k)) for k, (t, lay) in enumerate(pairs)]
    render = _render if spool is None else _render_to
    if jobs <= 1:
        for item in work:
            result = render(item)
            if on_each:
                on_each(1)
            yield result
        return
    import multiprocessing  # only for more than one worker: -j 1 never pays for it (HEAVY in test_architecture)

    _warm()  # workers are forked from here and inherit the loaded fonts and modules
    ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    with _sigint_ignored():
        pool = (ctx or multiprocessing).Pool(jobs, initializer=_worker_start)
    with pool:
        for result in pool.imap(render, work, chunksize=1):
            if on_each:
                on_each(1)
            yield result
