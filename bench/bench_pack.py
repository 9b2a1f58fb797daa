"""Benchmark: a class pack of 100 generated topics × the three kinds, and 200 student copies
of a 20-page pack.

Run from the repository root after `pip install .`:  python bench/bench_pack.py
Targets (issue 5): the 100-topic pack under 15 s on 2 cores; 200 copies of a 20-page pack under 15 s.
"""

from __future__ import annotations

import csv
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], cwd: Path) -> tuple[float, str]:
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, str(ROOT / "make_notes.py"), *args], cwd=cwd, capture_output=True,
                       text=True, check=True)
    return time.perf_counter() - t0, r.stdout


def peak_mb() -> float:
    """Peak resident memory of the largest child process so far (the main process or a worker)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        synth.write(tmp / "notes", 100)
        ids = [f"synth-{i:03d}" for i in range(100)]
        seconds, out = run(["pack", *ids, "-l", "revision", "-l", "mindmap", "-l", "summary", "--title",
                            "Benchmark pack", "--class", "Batch Z", "-o", "pack.pdf"], tmp)
        first = next(line for line in out.splitlines() if line.startswith("pack:"))
        print(f"100 topics × 3 kinds: {first}; {seconds:.1f} s wall, peak {peak_mb():.0f} MB in one process")

        students = tmp / "students.csv"
        with students.open("w", newline="", encoding="utf-8-sig") as f:
            w = csv.writer(f)
            w.writerow(["name", "roll"])
            for i in range(200):
                w.writerow([f"Student {i + 1}", f"{1000 + i}"])
        picks = ids[:5]  # about 20 pages
        base_s, out = run(["pack", *picks, "-l", "revision", "-l", "mindmap", "-l", "summary", "--title", "Small",
                           "-o", "small.pdf"], tmp)
        pages = next(line for line in out.splitlines() if line.startswith("pack:"))
        seconds, out = run(["pack", *picks, "-l", "revision", "-l", "mindmap", "-l", "summary", "--title", "Small",
                            "-o", "small.pdf", "--roster", str(students), "--collate"], tmp)
        print(f"200 student copies + collated file of a pack ({pages}): {seconds:.1f} s wall "
              f"({seconds - base_s:.1f} s more than the pack alone)")


if __name__ == "__main__":
    main()
