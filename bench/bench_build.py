"""Benchmark: 100 generated topics built from cold, all three kinds and each kind alone, against the floor,
and the practice kinds (flashcards, worksheets, quizzes) alone and together.

    python bench/bench_build.py [--topics N] [--runs K] [--against CHECKOUT]

Every figure is a whole process (``make_notes.py build … --force``: start-up, imports, loading,
rendering, writing): wall time, pages per second, CPU seconds of the process and its workers,
pages per CPU second, and the peak memory of the main process and of the largest worker. The
floor is the same text laid out with nothing of studynotes (``bench_floor.py``: plain ReportLab
Platypus, one font, no markup, two processes; and Typst, when its Python package is installed).
``--against`` runs another checkout (e.g. a ``git archive`` of the commit before) in the same
sitting, interleaved run by run, and prints its figures beside these; without it the baseline
measured on the date below is printed beside them.

Targets (issue 12): all three kinds at ``-j 2`` at least 2.5× the baseline's pages per second;
revision sheets at least 50 % of the ReportLab floor's pages per second; under 150 MB per process.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth  # noqa: E402
from timing import DATE, MACHINE, ROOT, Measured, beside, env_for, measure, median, notes_cmd  # noqa: E402

ALL = ("revision", "mindmap", "summary")
# measured on DATE at the commit before issue 12 (cd6b657), 100 topics, medians of 3 interleaved runs:
# (wall s, CPU s, pages, main MB, worker MB)
BASELINE: dict[str, tuple[float, float, int, float, float]] = {
    "all three kinds, -j 2": (7.68, 14.26, 394, 50, 51),
    "all three kinds, -j 1": (13.86, 13.69, 394, 58, 0),
    "revision, -j 2": (2.92, 4.93, 194, 49, 53),
    "mindmap, -j 2": (1.68, 2.57, 100, 49, 45),
    "summary, -j 2": (4.62, 8.36, 100, 49, 45),
}


BASELINE_ENGINES = {"revision": 3.61, "mindmap": 1.44, "summary": 7.11}  # CPU s for the 100 topics, in process


@dataclass(frozen=True)
class Case:
    name: str
    kinds: tuple[str, ...]
    jobs: int


PRACTICE = ("cards", "worksheet", "quiz")  # the kinds of issues 13 and 14: no baseline (they did not exist)
CASES = (Case("all three kinds, -j 2", ALL, 2), Case("all three kinds, -j 1", ALL, 1),
         Case("revision, -j 2", ("revision",), 2), Case("mindmap, -j 2", ("mindmap",), 2),
         Case("summary, -j 2", ("summary",), 2), Case("practice kinds, -j 2", PRACTICE, 2),
         *(Case(f"{k}, -j 2", (k,), 2) for k in PRACTICE))


def pages(out: str) -> int:
    listed = sum(int(m) for m in re.findall(r"\s(\d+) pages?\s", out))
    more = re.search(r"… and \d+ more: (\d+) pages", out)
    return listed + (int(more.group(1)) if more else 0)


def build(root: Path, case: Case, notes: Path, out: Path) -> tuple[Measured, int]:
    args = ["build", *[a for k in case.kinds for a in ("-l", k)], "--notes", str(notes), "-o", str(out), "-j",
            str(case.jobs), "--force"]
    m = measure(notes_cmd(root, args), cwd=out.parent, env=env_for(root))
    return m, pages(m.out)


def floor(engine: str, jobs: int, notes: Path, out: Path) -> tuple[Measured, int]:
    cmd = [sys.executable, str(Path(__file__).with_name("bench_floor.py")), str(notes), str(out), "-j", str(jobs)]
    m = measure(cmd + (["--typst"] if engine == "typst" else []))
    found = re.search(r"(\d+) pages", m.out)
    return m, int(found.group(1)) if found else 0


IN_PROCESS = """
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from studynotes.load import notes, presets
from studynotes.render import engine
topics = [notes.load(p) for p in sorted(Path(sys.argv[2]).glob("*.yaml"))]
for kind in sys.argv[3:]:
    lay, render = presets.load(kind), engine(kind)
    render(topics[0], lay)  # fonts and modules loaded: what follows is the warm render
    t0, pages = time.process_time(), 0
    for t in topics:
        pages += render(t, lay).pages
    print(kind, time.process_time() - t0, pages)
"""


def in_process(root: Path, notes: Path) -> dict[str, tuple[float, int]]:
    """CPU seconds and pages of rendering every topic of each kind in one warm process (no loading, no
    writing, one core): the engines alone."""
    out = subprocess.run([sys.executable, "-c", IN_PROCESS, str(root), str(notes), *ALL], capture_output=True,
                         text=True, check=True, env=env_for(root)).stdout
    return {kind: (float(cpu), int(n)) for kind, cpu, n in (row.split() for row in out.splitlines())}


def line(name: str, runs: list[tuple[Measured, int]], base: tuple[float, float, int, float, float] | None) -> str:
    wall, cpu = median([m.wall for m, _ in runs]), median([m.cpu for m, _ in runs])
    n = runs[-1][1]
    main_mb, worker_mb = max(m.main_mb for m, _ in runs), max(m.worker_mb for m, _ in runs)
    b_wall, b_cpu, b_pages, b_main, b_worker = base if base and base[0] else (None, None, 0, None, None)
    return (f"{name:<24} {n:4d} pages  wall {beside(wall, b_wall, ' s')}\n"
            f"{'':<30} pages/s {beside(n / wall, b_pages / b_wall if b_wall else None, better='higher', digits=1)}\n"
            f"{'':<30} CPU {beside(cpu, b_cpu, ' s')}, pages per CPU-s "
            f"{beside(n / cpu, b_pages / b_cpu if b_cpu else None, better='higher', digits=1)}\n"
            f"{'':<30} peak main {beside(main_mb, b_main, ' MB', digits=0)}, worker "
            f"{beside(worker_mb, b_worker, ' MB', digits=0)}")


def summary(m: list[tuple[Measured, int]]) -> tuple[float, float, int, float, float]:
    return (median([x.wall for x, _ in m]), median([x.cpu for x, _ in m]), m[-1][1], max(x.main_mb for x, _ in m),
            max(x.worker_mb for x, _ in m))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--topics", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--against", type=Path, help="another checkout, measured in the same sitting")
    ap.add_argument("--only", help="run the cases whose name contains this")
    a = ap.parse_args()
    roots = [ROOT] + ([a.against.resolve()] if a.against else [])
    cases = [c for c in CASES if not a.only or a.only in c.name]
    typst = importlib.util.find_spec("typst") is not None
    floors = [("reportlab", 2)] + ([("typst", 1), ("typst", 2)] if typst else [])
    with tempfile.TemporaryDirectory() as tmp:
        notes = Path(tmp) / "notes"
        synth.write(notes, a.topics)
        engines = [[in_process(root, notes) for root in roots] for _ in range(a.runs)]
        got: dict[tuple[str, int], list[tuple[Measured, int]]] = {}
        for run in range(a.runs):  # interleaved: every case and checkout once per round
            for case in cases:
                for k, root in enumerate(roots):
                    if k and set(case.kinds) & set(PRACTICE):
                        continue  # an older checkout has no such kind
                    got.setdefault((case.name, k), []).append(build(root, case, notes, Path(tmp) / f"out{k}-{run}"))
            for engine, jobs in floors:
                got.setdefault((f"floor {engine}, -j {jobs}", 0), []).append(
                    floor(engine, jobs, notes, Path(tmp) / f"floor-{engine}-{jobs}-{run}"))
    print(f"{a.topics} generated topics (bench/synth.py), whole processes, medians of {a.runs} interleaved runs; "
          f"{MACHINE}")
    print(f"baseline: {a.against if a.against else f'the commit before issue 12, measured {DATE}'}")
    print("in process, one core, warm (rendering only):")
    for kind in ALL:
        cpu = median([e[0][kind][0] for e in engines])
        n = engines[0][0][kind][1]
        stored = BASELINE_ENGINES.get(kind, 0.0) if a.topics == 100 else 0.0  # measured for 100 topics
        b_cpu = median([e[1][kind][0] for e in engines]) if a.against else stored
        per_topic = beside(1000 * cpu / a.topics, 1000 * b_cpu / a.topics or None, " ms/topic", digits=1)
        print(f"  {kind:<9} {n:4d} pages  {per_topic}, "
              f"pages per CPU-s {beside(n / cpu, n / b_cpu if b_cpu else None, better='higher', digits=1)}")
    print("whole processes:")
    for case in cases:
        against = a.against and (case.name, 1) in got
        base = summary(got[(case.name, 1)]) if against else BASELINE.get(case.name) if a.topics == 100 else None
        print(line(case.name, got[(case.name, 0)], base))
    for engine, jobs in floors:
        name = f"floor {engine}, -j {jobs}"
        print(line(name, got[(name, 0)], None))
    ratios(got, cases, typst)


def ratios(got: dict[tuple[str, int], list[tuple[Measured, int]]], cases: list[Case], typst: bool) -> None:
    """Revision sheets against the floors, in pages per second and per topic (the same text in both)."""
    if not any(c.name == "revision, -j 2" for c in cases):
        return
    rev = summary(got[("revision, -j 2", 0)])
    for name in ["floor reportlab, -j 2"] + (["floor typst, -j 1", "floor typst, -j 2"] if typst else []):
        fl = summary(got[(name, 0)])
        print(f"revision sheets at -j 2 against the {name}: {(rev[2] / rev[0]) / (fl[2] / fl[0]):.0%} of its "
              f"pages per second, {fl[0] / rev[0]:.0%} of its topics per second")


if __name__ == "__main__":
    main()
