"""What the benchmarks share: timing whole `make_notes.py` processes, their CPU time and their peak memory.

``measure`` runs a command and watches it and every process it starts (the build's workers) through
/proc: the peak resident memory of each (VmHWM, read until it ends) and the CPU time of the whole tree
(from the operating system once all have ended). The machine these figures come from has 2 cores
shared with other work, so wall times wander; CPU seconds wander much less, and every benchmark
takes medians over interleaved runs.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATE, MACHINE = "2026-12-01", "2 cores (shared), Linux, Python 3.11"


@dataclass(frozen=True)
class Measured:
    wall: float       # seconds
    cpu: float        # user + system seconds of the process and everything it started
    out: str          # what it printed
    main_mb: float    # peak resident memory of the process itself
    worker_mb: float  # the largest peak of the processes it started (0 when it started none)


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class _Watch(threading.Thread):
    """Reads the peak memory of a process and its children every few milliseconds until it ends."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.main_kb, self.worker_kb = pid, 0, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.main_kb = max(self.main_kb, _hwm_kb(self.pid))
            for child in _children(self.pid):
                self.worker_kb = max(self.worker_kb, _hwm_kb(child))
            time.sleep(0.005)


def measure(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Measured:
    """Run ``cmd`` to the end; its wall and CPU time, output and peak memory (main process, workers)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watch = _Watch(proc.pid)
    watch.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    watch.done.set()
    watch.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out}{err}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(wall, cpu, out, watch.main_kb / 1024, watch.worker_kb / 1024)


def notes_cmd(root: Path, args: list[str]) -> list[str]:
    """``make_notes.py ARGS`` of the checkout at ``root`` (its own package first on the path)."""
    return [sys.executable, str(root / "make_notes.py"), *args]


def env_for(root: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(root)}


def median(values: list[float]) -> float:
    return statistics.median(values)


def whole_process(args: list[str], runs: int = 7, root: Path = ROOT) -> tuple[list[float], str]:
    """Wall times of `make_notes.py ARGS --notes notes -o TMP --force`, and the last run's output."""
    times, out = [], ""
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            m = measure(notes_cmd(root, [*args, "--notes", str(ROOT / "notes"), "-o", tmp, "--force"]), cwd=ROOT,
                        env=env_for(root))
            times.append(m.wall)
            out = m.out
    return times, out


def fmt(times: list[float]) -> str:
    return f"median {statistics.median(times):.3f} s, best {min(times):.3f} s over {len(times)} runs"


def beside(now: float, base: float | None, unit: str = "", better: str = "lower", digits: int = 2) -> str:
    """``now`` with the baseline beside it and the factor between them."""
    text = f"{now:.{digits}f}{unit}"
    if base is None or base == 0 or now == 0:
        return text
    factor = base / now if better == "lower" else now / base
    return f"{text} (baseline {base:.{digits}f}{unit}, {factor:.2f}×)"


def interleaved(runs: int, commands: dict[str, tuple[list[str], dict[str, str] | None]],
                cwd: Path | None = None) -> dict[str, list[Measured]]:
    """Every command once per round, ``runs`` rounds: a busy spell of the machine touches all alike."""
    got: dict[str, list[Measured]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (cmd, env) in commands.items():
            got[name].append(measure(cmd, cwd=cwd, env=env))
    return got


def checkouts(against: Path | None) -> dict[str, Path]:
    """This checkout, and the one to compare with (``--against``), by the names the reports use."""
    return {"now": ROOT, **({"baseline": against.resolve()} if against else {})}
