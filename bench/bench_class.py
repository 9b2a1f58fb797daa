"""Benchmark: a class of 2,000 students, collated, 2-up and as booklets (issue 10, D9).

    python bench/bench_class.py [--students N] [--runs K] [--root CHECKOUT]

Runs ``pack india-japan -l summary --roster N.csv --collate --nup 2 --booklet`` as a whole process
and prints the wall time (median over the runs), the peak resident memory of the largest process
(the main one or a worker) and the size of every imposed file against its source. ``--root`` runs
another checkout's ``make_notes.py`` (e.g. a ``git archive HEAD`` copy) for a before/after figure.
Targets: under 90 s and under 300 MB for 2,000 students on 2 cores; imposed files within 1.2× their
source.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST = ("Asha", "Ravi", "Meera", "Arjun", "Kavya", "Rohan", "Ishita", "Vikram", "Sneha", "Aditya", "अनन्या",
         "राहुल", "Fatima", "Joseph", "Lakshmi", "Venkata")
LAST = ("Rao", "Sharma", "Iyer", "Verma", "Kumar", "Nair", "शर्मा", "गुप्ता", "Khan", "D'Souza", "Reddy")


def write_roster(path: Path, n: int) -> None:
    """``n`` students with realistic names (some in Devanagari), rolls and two batches."""
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(["name", "roll", "batch"])
        for i in range(n):
            name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"
            w.writerow([name, str(1000 + i), "Morning" if i % 2 else "Evening"])


def peak_mb() -> float:
    """Peak resident memory of the largest child process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run_once(root: Path, roster: Path, out: Path) -> tuple[float, str]:
    args = [sys.executable, str(root / "make_notes.py"), "pack", "india-japan", "-l", "summary", "--notes",
            str(ROOT / "notes"), "--roster", str(roster), "--collate", "--nup", "2", "--booklet", "-o",
            str(out / "pack.pdf")]
    env = {**os.environ, "PYTHONPATH": str(root)}
    t0 = time.perf_counter()
    r = subprocess.run(args, capture_output=True, text=True, check=True, env=env, cwd=out)
    return time.perf_counter() - t0, r.stdout


def sizes(out: Path) -> list[str]:
    """Each imposed file's size against the file it was imposed from."""
    pairs = [("pack.pdf", "pack-2up.pdf"), ("pack.pdf", "pack-booklet.pdf"),
             ("pack/all-copies.pdf", "pack/all-copies-2up.pdf"), ("pack/all-copies.pdf", "pack/all-copies-booklet.pdf")]
    lines = []
    for src, imposed in pairs:
        a, b = (out / src).stat().st_size, (out / imposed).stat().st_size
        lines.append(f"  {imposed:<30} {b / 1048576:8.2f} MB  = {b / a:.2f} × {src} ({a / 1048576:.2f} MB)")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--root", type=Path, default=ROOT, help="the checkout whose make_notes.py is run")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        roster = Path(tmp) / f"{a.students}.csv"
        write_roster(roster, a.students)
        times = []
        for k in range(a.runs):
            out = Path(tmp) / f"run{k}"
            out.mkdir()
            seconds, stdout = run_once(a.root.resolve(), roster, out)
            times.append(seconds)
        print(f"{a.students} students, --collate --nup 2 --booklet ({a.root}): median {statistics.median(times):.1f} s "
              f"wall over {len(times)} run(s), peak {peak_mb():.0f} MB RSS in one process")
        print(stdout.splitlines()[0])
        print("\n".join(sizes(out)))


if __name__ == "__main__":
    main()
