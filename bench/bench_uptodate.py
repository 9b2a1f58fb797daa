"""Benchmark: a build where everything is up to date, and one where one topic of 100 changed.

Run from the repository root:  python bench/bench_uptodate.py [RUNS]
Target (issue 6): 100 topics × 3 kinds up to date under 0.5 s, as a whole process (the test in
tests/test_build.py checks the behaviour behind it: no notes parsed, no ReportLab imported).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth  # noqa: E402
from timing import fmt  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BUILD = [sys.executable, str(ROOT / "make_notes.py"), "build", "-l", "revision", "-l", "mindmap", "-l", "summary"]


def timed(cwd: Path) -> tuple[float, str]:
    t0 = time.perf_counter()
    r = subprocess.run(BUILD, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(r.stdout + r.stderr)
    return elapsed, r.stdout.strip().splitlines()[-1]


def main(runs: int = 7) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        paths = synth.write(cwd / "notes", 100)
        cold, last = timed(cwd)
        print(f"cold build: {cold:.1f} s ({last})")
        current = [timed(cwd) for _ in range(runs)]
        print(f"all up to date: {fmt([t for t, _ in current])} ({current[-1][1]})")
        changed = []
        for k in range(runs):
            paths[k].write_text(paths[k].read_text() + f"\n# edit {k}\n", encoding="utf-8")
            changed.append(timed(cwd))
        print(f"one topic changed: {fmt([t for t, _ in changed])} ({changed[-1][1]})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
