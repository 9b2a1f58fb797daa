"""Benchmark: the mind map of the sample topic (whole process) and the layout of a synthetic
1,000-node tree (measuring and placing, no drawing).

Run from the repository root after `pip install .`:  python bench/bench_mindmap.py
Targets (issue 3): sample map under 0.4 s whole process; 1,000-node layout under 0.2 s.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import fmt, whole_process  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7


def synthetic_tree(nodes: int = 1000):
    """Centre + 10 branches, each with first-level points and two sub-points per point."""
    from studynotes.load import presets
    from studynotes.render import mindmap as mm

    m = mm.Measure(presets.load("mindmap"))
    per_branch = (nodes - 11) // 10
    points = -(-per_branch // 3)
    branches = []
    count = 11
    for b in range(10):
        kids = []
        for p in range(points):
            subs = tuple(mm.Tree(mm.Label(f"detail {b}.{p}.{k} of the point", mm.LEAF, b, m.size[mm.LEAF]), ())
                         for k in range(2))
            kids.append(mm.Tree(mm.Label(f"Point {b}.{p} with a label of several words", mm.LEAF, b,
                                         m.size[mm.LEAF]), subs))
            count += 3
        branches.append(mm.Tree(mm.Label(f"Branch number {b}", mm.BRANCH, b, m.size[mm.BRANCH]), tuple(kids)))
    return mm.Tree(mm.Label("A synthetic topic", mm.CENTRE, -1, m.size[mm.CENTRE]), tuple(branches)), m, count


def layout_times() -> tuple[list[float], int]:
    from studynotes.render import mindmap as mm

    times = []
    for _ in range(RUNS):
        tree, m, count = synthetic_tree()  # a fresh measurer: no label has been measured before
        t0 = time.perf_counter()
        mm.place(tree, m, 1.0)
        times.append(time.perf_counter() - t0)
    return times, count


def main() -> None:
    whole = whole_process(["build", "india-japan", "-l", "mindmap"])[0]
    print(f"whole process, build india-japan -l mindmap: {fmt(whole)}")
    times, count = layout_times()
    print(f"layout of a {count}-node tree (measure + place): {fmt(times)}")


if __name__ == "__main__":
    main()
