"""Benchmark: the one-page summary's fit search, against the baseline commit in the same sitting.

Run from the repository root after `pip install .`:  python bench/bench_summary.py [COUNT]

- whole process, `build india-japan -l summary`: wall time and the layout passes it reports;
- over COUNT (100) realistic generated topics (bench/synth.py), in process: layout passes per topic
  (median, max), summary render CPU (plan + draw) and plan CPU per topic, retries (real layouts the
  search got wrong), and the distance to the largest scale that fits, found by an oracle: the real
  frames' verdict bisected to 0.1 % under the plan's own policy, then scanned 2.5 % upward in
  0.25 % steps (fitting need not be monotone).

The baseline is this tree at BASELINE, unpacked with `git archive` and run from its own folder, so
both sets of figures come from one sitting; runs alternate between the two and CPU times are medians
over ROUNDS. Targets (issue 12): at most 3 passes for most topics and 5 for any, no retries, every
scale within 2 % of the largest that fits, summary render CPU down by 30 % or more.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "cd6b657"    # the commit before issue 12's summary search
ROUNDS = 3              # in-process rounds per tree, alternating
RUNS = 5                # whole-process runs per tree, alternating

# Runs inside a fresh interpreter whose path starts at one tree: plans and draws every topic, ROUNDS
# times over, and prints what it saw as JSON (per topic: passes, scale, policy, CPU medians, retries).
WORKER = r"""
import json, statistics, sys, time
from pathlib import Path
from studynotes.load import notes as loader, presets
from studynotes.render import summary

layout = presets.load("summary")
topics = [loader.load(Path(p)) for p in sys.argv[2:]]
summary.render(topics[0], layout)  # fonts registered, modules warm
trial, tried = summary._Measure.trial, []
def counting(self, s, policy):
    tried.append(s)
    return trial(self, s, policy)
summary._Measure.trial = counting
rows = {t.id: {"render": [], "plan": []} for t in topics}
for _ in range(int(sys.argv[1])):
    for t in topics:
        tried.clear()
        c0 = time.process_time()
        plan = summary.plan(t, layout)
        c1 = time.process_time()
        summary.draw(plan)
        c2 = time.process_time()
        row = rows[t.id]
        row["plan"].append(c1 - c0)
        row["render"].append(c2 - c0)
        row.update(passes=plan.passes, scale=plan.scale, pt=plan.pt, retries=len(tried) - 1,
                   policy=summary.POLICIES.index(plan.policy))
for row in rows.values():
    row["plan"], row["render"] = statistics.median(row["plan"]), statistics.median(row["render"])
print(json.dumps(rows))
"""


def baseline_tree(into: Path) -> Path:
    """The package and launcher as they were at BASELINE."""
    tar = subprocess.run(["git", "archive", BASELINE, "studynotes", "make_notes.py", "layouts"], cwd=ROOT,
                         check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(tar)) as archive:
        archive.extractall(into, filter="data")
    return into


def in_process(tree: Path, paths: list[Path], rounds: int) -> dict[str, dict]:
    out = subprocess.run([sys.executable, "-c", WORKER, str(rounds), *map(str, paths)], cwd=tree, check=True,
                         capture_output=True, text=True, env=_env(tree)).stdout
    return json.loads(out)


def whole_process(tree: Path, out: Path) -> tuple[float, str]:
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, str(tree / "make_notes.py"), "build", "india-japan", "-l", "summary",
                        "--notes", str(ROOT / "notes"), "-o", str(out), "--force", "-j", "1"], cwd=tree,
                       check=True, capture_output=True, text=True, env=_env(tree))
    return time.perf_counter() - t0, r.stdout


def _env(tree: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree)}


def largest_fit(path: Path, policy: int) -> float:
    """The oracle: the largest scale at which ReportLab's real frames put the columns on one page."""
    from studynotes.load import notes as loader
    from studynotes.load import presets
    from studynotes.render import summary
    from studynotes.render.common import Palette, Writer

    topic, layout = loader.load(path), presets.load("summary")
    pal = Palette(layout)
    writer = Writer(topic, pal)
    m = summary._Measure(summary._content(topic, layout, writer), layout, summary.Inks.of(pal), writer.shaped,
                         summary.Room.of(layout))
    pol = summary.POLICIES[policy]

    def fits(s: float) -> bool:
        return m.trial(s, pol)[1]

    if fits(1.0):
        return 1.0
    lo, hi = m.floor, 1.0
    while hi - lo > 0.001:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if fits(mid) else (lo, mid)
    best, s = lo, lo
    while s < min(1.0, lo * 1.025):
        s = min(1.0, s + 0.0025)
        best = s if fits(s) else best
    return best


def spread(values: list[float], unit: str = "", digits: int = 0) -> str:
    return (f"median {statistics.median(values):.{digits}f}{unit}, max {max(values):.{digits}f}{unit}"
            if values else "-")


def report(name: str, rows: dict[str, dict], oracle: dict[str, float]) -> dict[str, str]:
    passes = [r["passes"] for r in rows.values()]
    ratios = [r["scale"] / oracle[t] for t, r in rows.items()]
    worst = min(rows, key=lambda t: rows[t]["scale"] / oracle[t])
    hist = {k: passes.count(k) for k in sorted(set(passes))}
    return {
        "tree": name,
        "passes": f"{spread(passes)}; ≤ 3 for {sum(p <= 3 for p in passes)} of {len(passes)}; {hist}",
        "render": f"{sum(r['render'] for r in rows.values()):.2f} s in all, "
                  f"median {statistics.median(r['render'] for r in rows.values()) * 1000:.1f} ms per topic",
        "plan": f"{sum(r['plan'] for r in rows.values()):.2f} s in all, "
                f"median {statistics.median(r['plan'] for r in rows.values()) * 1000:.1f} ms per topic",
        "retries": f"{sum(r['retries'] for r in rows.values())} (topics with any: "
                   f"{sum(r['retries'] > 0 for r in rows.values())})",
        "fit": f"scale / largest that fits: worst {min(ratios):.4f} ({worst}), median {statistics.median(ratios):.4f}; "
               f"below 0.98 for {sum(x < 0.98 for x in ratios)}",
    }


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    sys.path.insert(0, str(ROOT / "bench"))
    import synth

    with tempfile.TemporaryDirectory() as tmp_:
        tmp = Path(tmp_)
        base = baseline_tree(tmp / "baseline")
        paths = synth.write(tmp / "topics", count)
        trees = {"now": ROOT, "baseline": base}

        walls: dict[str, list[float]] = {name: [] for name in trees}
        said = {}
        for _ in range(RUNS):
            for name, tree in trees.items():
                wall, said[name] = whole_process(tree, tmp / "out" / name)
                walls[name].append(wall)
        for name in trees:
            passes = said[name].split("layout passes")[0].rsplit("(", 1)[-1]
            print(f"whole process, build india-japan -l summary, {name:>8}: "
                  f"median {statistics.median(walls[name]):.3f} s, best {min(walls[name]):.3f} s over {RUNS} runs; "
                  f"{passes.strip()} layout passes")

        runs: dict[str, list[dict]] = {name: [] for name in trees}
        for _ in range(ROUNDS):  # alternate, so both see the same machine
            for name, tree in trees.items():
                runs[name].append(in_process(tree, paths, 1))
        rows = {name: _medians(runs[name]) for name in trees}

        now = rows["now"]
        oracle = {t: largest_fit(tmp / "topics" / f"{t}.yaml", r["policy"]) for t, r in now.items()}
        for name in trees:
            if any(rows[name][t]["policy"] != now[t]["policy"] for t in now):
                print(f"  ({name} chose another policy for some topics: its distance is to this tree's oracle)")
        lines = {name: report(name, rows[name], oracle) for name in trees}
        print(f"\n{count} generated topics, summary preset, in process (CPU medians over {ROUNDS} rounds):")
        for key in ("passes", "retries", "render", "plan", "fit"):
            print(f"  {key}:")
            for name in trees:
                print(f"    {name:>8}: {lines[name][key]}")
        total = {name: sum(r["render"] for r in rows[name].values()) for name in trees}
        print(f"\nsummary render CPU: {total['now'] / total['baseline'] - 1:+.0%} against the baseline")


def _medians(rounds: list[dict]) -> dict[str, dict]:
    """Per topic: the CPU medians over the rounds; passes, scale and retries from the first (they never vary)."""
    out = {}
    for topic, first in rounds[0].items():
        out[topic] = {**first, "render": statistics.median(r[topic]["render"] for r in rounds),
                      "plan": statistics.median(r[topic]["plan"] for r in rounds)}
    return out


if __name__ == "__main__":
    main()
