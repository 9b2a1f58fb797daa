"""Writing and hashing files safely: the one place the program touches output paths byte by byte.

A file in output/ is always either the previous complete file or the new
complete one: each is written to a temporary file beside it, then renamed,
so a build killed at any moment (even ``kill -9``) leaves nothing half-written.

Only a regular file (or nothing) is ever replaced. Renaming over a device, a named pipe or a
symbolic link would replace the thing itself, not write into it (as root, ``-o /dev/full`` turned
the device into a file). A link is refused rather than followed: the file it leads to may be
anywhere, and a user who means it can name that file.
"""

from __future__ import annotations

import hashlib
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, ReadError, WriteError

TMP_PREFIX = ".studynotes-"
_UMASK = os.umask(0)
os.umask(_UMASK)


@dataclass(frozen=True)
class Written:
    """One file a command wrote, for the closing report."""

    path: Path
    pages: int
    size: int
    warnings: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()  # how an engine adapted the content to the page
    beside: bool = False  # a file that goes with an output (answers apart, a key), not an output itself


def _not_a_file(path: Path) -> str | None:
    """What stands at ``path`` when it is something other than a regular file; None for a file or nothing."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:  # nothing there (or nothing we may look at: the write will say why)
        return None
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        try:
            to = f" to {os.readlink(path)}"
        except OSError:
            to = ""
        return f"it is a symbolic link{to}; name the file itself, or remove the link"
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a device"),
             (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))
    what = next((f"{name}, not a file" for test, name in kinds if test(mode)), "not a regular file")
    return f"it is {what}; name another file"


def check_target(path: Path) -> None:
    """A WriteError when ``path`` holds something a write must not replace; called by write_atomic,
    and by a command before it renders, so that a refusal costs no work."""
    special = _not_a_file(path)
    if special:
        raise WriteError(f"cannot write {path}: {special}")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` so that ``path`` is never seen half-written, even if the process dies; only a
    regular file is ever replaced."""
    check_target(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise WriteError.of(exc, path) from None
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes the file private; outputs are ordinary files
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise WriteError.of(exc, path if exc.filename in (None, tmp) else None) from None
        raise


def write(path: Path, data: bytes, pages: int, written: list[Written]) -> None:
    """Write atomically and record it for the report."""
    write_atomic(path, data)
    written.append(Written(path, pages, len(data)))


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


def read_bytes(path: Path) -> bytes:
    """A file the program wrote or the user named, or a ReadError that says which and why."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read {path}: {exc.strerror or exc}") from None


def file_hash(path: Path) -> str:
    """The content hash the build record keys on: content, not timestamps, decides what is current."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold Ctrl-C until the block is done, so that writing a file and recording it are one step: the
    interrupt arrives right after. (A handler, not a signal mask: a mask holds one thread, and a
    process with a worker pool has several, any of which may take the signal.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    before = signal.signal(signal.SIGINT, lambda signum, frame: held.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)
    if held and callable(before):
        before(signal.SIGINT, None)  # Python's own handler raises KeyboardInterrupt
    elif held and before == signal.SIG_DFL:
        raise KeyboardInterrupt
