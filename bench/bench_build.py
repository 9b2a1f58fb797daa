"""Benchmark: building 100 generated topics × every kind, cold and up to date, with 1 and 2 workers.

Run from the repository root after `pip install .`:  python bench/bench_build.py
Targets (issue 6): cold 100 × 3 kinds under 10 s on 2 cores; up to date under 0.5 s; peak memory
under 150 MB per worker.
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
KINDS = ["-l", "revision", "-l", "mindmap", "-l", "summary"]


def timed(args: list[str], cwd: Path) -> tuple[float, str, float]:
    """Wall time, output, and the peak memory of the largest process of the run (main or a worker)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, str(ROOT / "make_notes.py"), *args], cwd=cwd, capture_output=True,
                       text=True)
    elapsed = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(r.stdout + r.stderr)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, r.stdout, max(peak, before) / 1024


def pages(out: str) -> int:
    listed = sum(int(m) for m in re.findall(r"\s(\d+) pages?\s", out))
    more = re.search(r"… and \d+ more: (\d+) pages", out)
    return listed + (int(more.group(1)) if more else 0)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        synth.write(tmp / "notes", 100)
        for jobs in ("1", "2"):
            out = f"out-j{jobs}"
            cold, text, peak = timed(["build", *KINDS, "-j", jobs, "-o", out], tmp)
            n = pages(text)
            warm, text2, _ = timed(["build", *KINDS, "-j", jobs, "-o", out], tmp)
            print(f"-j {jobs}: cold {cold:.1f} s for 300 PDFs, {n} pages ({n / cold:.0f} pages/s), "
                  f"peak {peak:.0f} MB per process; up to date {warm:.2f} s ({text2.strip().splitlines()[-1]})")


if __name__ == "__main__":
    main()
