"""Writing and hashing files safely: the one place the program touches output paths byte by byte.

A file in output/ is always either the previous complete file or the new
complete one: each is written to a temporary file beside it, then renamed,
so a build killed at any moment (even ``kill -9``) leaves nothing half-written.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
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


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` so that ``path`` is never seen half-written, even if the process dies."""
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
