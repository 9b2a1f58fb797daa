"""Benchmark: formulas — the science sample in every kind, cold, and what formulas cost in a process.

    python bench/bench_formula.py [--runs K]

Prints medians of K runs:
  * ``build kinematics -l <every kind> -j 1 --force``: wall and CPU seconds of the whole process
    (issue 16: under 1.5 s cold);
  * in one process: importing the engine (ziamath, on the first formula), setting every formula of
    the sample cold, and again from the memory cache (a warm rebuild, as ``watch`` does: issue 16
    wants it under 50 ms) and from the disk cache (a new process that finds the layouts on disk);
  * the cost per formula.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import ROOT, env_for, fmt, median, whole_process  # noqa: E402

KINDS = ["revision", "summary", "mindmap", "cards", "quiz", "worksheet"]
SAMPLE = ROOT / "notes" / "kinematics.yaml"

IN_PROCESS = r"""
import sys, time, tempfile
from pathlib import Path
t0 = time.perf_counter()
from studynotes.load import notes
from studynotes.markup import parse
topic = notes.load(Path(sys.argv[1]))
seen = set()
def walk(o):
    if isinstance(o, str):
        seen.update((r.text, r.math == "display") for r in parse(o) if r.math)
    elif isinstance(o, (tuple, list)):
        for x in o: walk(x)
    elif hasattr(o, "__dataclass_fields__"):
        for k in o.__dataclass_fields__: walk(getattr(o, k))
walk(topic)
t1 = time.perf_counter()
from studynotes import formula
formula._ziamath()
t2 = time.perf_counter()
cache = Path(tempfile.mkdtemp()) / "formulas.json"
formula.use_disk(cache)
for tex, display in seen: formula.outline(tex, display)
t3 = time.perf_counter()
for tex, display in seen: formula.layout(tex, 9.5, display)
t4 = time.perf_counter()
formula.save_disk(); formula.outline.cache_clear(); formula.use_disk(cache)
t5 = time.perf_counter()
for tex, display in seen: formula.outline(tex, display)
t6 = time.perf_counter()
print(len(seen), t2 - t1, t3 - t2, t4 - t3, t6 - t5)
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    build = ["build", "kinematics", *[a for k in KINDS for a in ("-l", k)], "-j", "1"]  # whole_process adds --force
    times, _ = whole_process(build, runs=args.runs)
    print(f"build kinematics, every kind, -j 1 --force: {fmt(times)} (issue 16: under 1.5 s)")
    rows = []
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, "-c", IN_PROCESS, str(SAMPLE)], capture_output=True, text=True,
                             check=True, env=env_for(ROOT)).stdout.split()
        rows.append([float(v) for v in out[1:]] + [int(out[0])])
    n = int(rows[0][-1])
    imp, cold, warm, disk = (median([r[k] for r in rows]) for k in range(4))
    print(f"{n} distinct formulas in the sample")
    print(f"  import ziamath (first formula only):     {imp * 1000:6.1f} ms")
    print(f"  set every formula, cold:                 {cold * 1000:6.1f} ms ({cold / n * 1000:.1f} ms each)")
    print(f"  again from memory (a warm rebuild):      {warm * 1000:6.1f} ms (issue 16: under 50 ms)")
    print(f"  again from the disk cache, no ziamath:   {disk * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
