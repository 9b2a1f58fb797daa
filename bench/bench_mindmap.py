"""Benchmark: the mind map of the sample topic (whole process) and the layout of a synthetic
1,000-node tree (measuring and placing, no drawing).

    python bench/bench_mindmap.py [--runs K] [--against CHECKOUT]

``--against`` measures another checkout in the same sitting, interleaved run by run, and prints it
beside; without it the baseline measured on the date below is printed beside.
Targets (issue 3): sample map under 0.4 s whole process; 1,000-node layout under 0.2 s.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import DATE, MACHINE, ROOT, beside, checkouts, env_for, interleaved, median, notes_cmd  # noqa: E402

BUILD = ["build", "india-japan", "-l", "mindmap", "-j", "1", "--force", "--notes", str(ROOT / "notes")]
# measured on DATE at the commit before issue 12 (cd6b657), medians of 9 interleaved runs: whole process
# wall and CPU s, layout s
BASELINE = (0.321, 0.319, 0.042)

LAYOUT = '''
import statistics, sys, time
sys.path.insert(0, sys.argv[1])
from studynotes.load import presets
from studynotes.render import mindmap as mm

def tree(nodes=1000):
    """Centre + 10 branches, each with first-level points and two sub-points per point."""
    m = mm.Measure(presets.load("mindmap"))
    points = -(-((nodes - 11) // 10) // 3)
    branches = []
    for b in range(10):
        kids = [mm.Tree(mm.Label(f"Point {b}.{p} with a label of several words", mm.LEAF, b, m.size[mm.LEAF]),
                        tuple(mm.Tree(mm.Label(f"detail {b}.{p}.{k} of the point", mm.LEAF, b, m.size[mm.LEAF]), ())
                              for k in range(2))) for p in range(points)]
        branches.append(mm.Tree(mm.Label(f"Branch number {b}", mm.BRANCH, b, m.size[mm.BRANCH]), tuple(kids)))
    return mm.Tree(mm.Label("A synthetic topic", mm.CENTRE, -1, m.size[mm.CENTRE]), tuple(branches)), m

times = []
for _ in range(int(sys.argv[2])):
    t, m = tree()  # a fresh measurer: no label has been measured before
    t0 = time.perf_counter()
    mm.place(t, m, 1.0)
    times.append(time.perf_counter() - t0)
print(statistics.median(times))
'''


def layout_time(root: Path, runs: int) -> float:
    """Median seconds to measure and place the 1,000-node tree, in a process of ``root``'s code."""
    out = subprocess.run([sys.executable, "-c", LAYOUT, str(root), str(runs)], capture_output=True, text=True,
                         check=True, env=env_for(root)).stdout
    return float(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--against", type=Path, help="another checkout, measured in the same sitting")
    a = ap.parse_args()
    roots = checkouts(a.against)
    got = interleaved(a.runs, {name: (notes_cmd(root, [*BUILD, "-o", f"/tmp/bench-mindmap-{name}"]), env_for(root))
                               for name, root in roots.items()}, cwd=ROOT)
    base = BASELINE
    if a.against:
        b = got["baseline"]
        base = (median([m.wall for m in b]), median([m.cpu for m in b]), layout_time(roots["baseline"], a.runs))
    print(f"mind map; {MACHINE}; medians of {a.runs} interleaved runs")
    print(f"baseline: {a.against if a.against else f'the commit before issue 12, measured {DATE}'}")
    now = got["now"]
    print(f"whole process, build india-japan -l mindmap: wall "
          f"{beside(median([m.wall for m in now]), base[0] or None, ' s', digits=3)}; CPU "
          f"{beside(median([m.cpu for m in now]), base[1] or None, ' s', digits=3)}")
    print(f"layout of a 1,000-node tree (measure + place): "
          f"{beside(layout_time(ROOT, a.runs), base[2] or None, ' s', digits=3)}")


if __name__ == "__main__":
    main()
