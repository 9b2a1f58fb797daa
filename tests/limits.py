"""Hostile situations for tests: hang guards (a block that would wait for ever fails the test instead) and a
slow disk (so a signal or a kill lands while a build is still writing)."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager


class Hung(BaseException):
    """Raised by ``time_limit``; a BaseException so that no ``except Exception`` in the program swallows it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block (even a blocking open() or read()) when it runs longer than ``seconds``."""

    def alarm(signum: int, frame: object) -> None:
        raise Hung(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def slow_disk(delay: float) -> str:
    """A ``python -c`` program that runs the command line with every fsync taking ``delay`` seconds, so each
    output stays a temporary file for a while before it is renamed."""
    return (f"import os, time\n_fsync = os.fsync\ndef slow_fsync(fd):\n    time.sleep({delay})\n    _fsync(fd)\n"
            "os.fsync = slow_fsync\nfrom studynotes.cli import main\nmain()\n")
