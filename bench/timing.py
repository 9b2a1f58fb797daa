"""What the benchmarks share: timing whole `make_notes.py` processes."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def whole_process(args: list[str], runs: int = 7) -> tuple[list[float], str]:
    """Wall times of `make_notes.py ARGS --notes notes -o TMP --force`, and the last run's output."""
    times, out = [], ""
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            t0 = time.perf_counter()
            r = subprocess.run([sys.executable, str(ROOT / "make_notes.py"), *args, "--notes", str(ROOT / "notes"),
                                "-o", tmp, "--force"], check=True, capture_output=True, cwd=ROOT, text=True)
            times.append(time.perf_counter() - t0)
            out = r.stdout
    return times, out


def fmt(times: list[float]) -> str:
    return f"median {statistics.median(times):.3f} s, best {min(times):.3f} s over {len(times)} runs"
