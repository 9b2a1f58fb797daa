"""Benchmark: the cold start of one revision sheet, whole process and in process, and where its time goes.

    python bench/bench_revision.py [--runs K] [--against CHECKOUT]

Prints, with the baseline beside each figure (``--against`` measures another checkout in the same
sitting, interleaved run by run; without it, the figures measured on the date below):
  * ``build india-japan -l revision -j 1 --force``: wall and CPU seconds of the whole process;
  * Python starting and importing what that build imports, nothing rendered;
  * the imports by package, from ``python -X importtime`` (self time summed per top-level package);
  * in process: loading the notes and rendering the sheet, warm.
Target (issue 12): the whole process under 0.35 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import DATE, MACHINE, ROOT, beside, checkouts, env_for, interleaved, median, notes_cmd  # noqa: E402

BUILD = ["build", "india-japan", "-l", "revision", "-j", "1", "--force", "--notes", str(ROOT / "notes")]
IMPORTS = "import studynotes.cli, studynotes.render.revision"
# measured on DATE at the commit before issue 12 (cd6b657), medians of 15 interleaved runs
BASELINE = {"whole process": (0.340, 0.337), "imports only": (0.205, 0.205), "in process": 0.0789}


def imports_by_package(root: Path) -> Counter[str]:
    """Self time of every module the build imports, summed by top-level package (ms; best of 3)."""
    best: Counter[str] = Counter()
    for k in range(3):
        with_times = subprocess.run([sys.executable, "-X", "importtime", *notes_cmd(root, [*BUILD, "-o",
                                    f"/tmp/bench-revision-{k}"])[1:]], capture_output=True, text=True, cwd=ROOT,
                                    env=env_for(root)).stderr
        got: Counter[str] = Counter()
        for m in re.finditer(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", with_times):
            got[m.group(2).split(".")[0]] += int(m.group(1)) / 1000
        best = got if not best else Counter({p: min(best[p], got[p]) for p in set(best) | set(got)})
    return best


def in_process(root: Path, runs: int) -> tuple[float, int]:
    """Median ms of loading and rendering the sample sheet in a warm process (fonts loaded once)."""
    code = (f"import sys, time, statistics; sys.path.insert(0, {str(root)!r}); from pathlib import Path; "
            "from studynotes.load import notes, presets; from studynotes.render import engine; "
            "lay = presets.load('revision'); r = engine('revision'); p = Path(sys.argv[1]); r(notes.load(p), lay); "
            "t = []\nfor _ in range(int(sys.argv[2])):\n t0 = time.perf_counter(); res = r(notes.load(p), lay); "
            "t.append(time.perf_counter() - t0)\nprint(statistics.median(t), res.pages)")
    out = subprocess.run([sys.executable, "-c", code, str(ROOT / "notes" / "india-japan.yaml"), str(runs)],
                         capture_output=True, text=True, check=True, env=env_for(root)).stdout.split()
    return float(out[0]), int(out[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--against", type=Path, help="another checkout, measured in the same sitting")
    a = ap.parse_args()
    roots = checkouts(a.against)
    cmds = {}
    for name, root in roots.items():
        cmds[f"{name} build"] = (notes_cmd(root, [*BUILD, "-o", f"/tmp/bench-revision-{name}"]), env_for(root))
        cmds[f"{name} imports"] = ([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(root)!r}); {IMPORTS}"],
                                   env_for(root))
    got = interleaved(a.runs, cmds, cwd=ROOT)
    base = {k: v for k, v in BASELINE.items()}
    if a.against:
        b, i = got["baseline build"], got["baseline imports"]
        base = {"whole process": (median([m.wall for m in b]), median([m.cpu for m in b])),
                "imports only": (median([m.wall for m in i]), median([m.cpu for m in i])),
                "in process": in_process(roots["baseline"], a.runs)[0]}
    print(f"revision sheet of the sample topic; {MACHINE}; medians of {a.runs} interleaved runs")
    print(f"baseline: {a.against if a.against else f'the commit before issue 12, measured {DATE}'}")
    for label, key in (("whole process (build … -j 1 --force)", "build"), ("python + imports only", "imports")):
        runs = got[f"now {key}"]
        b_wall, b_cpu = base["whole process" if key == "build" else "imports only"]
        print(f"{label:<40} wall {beside(median([m.wall for m in runs]), b_wall or None, ' s', digits=3)}; "
              f"CPU {beside(median([m.cpu for m in runs]), b_cpu or None, ' s', digits=3)}")
    ms, pages = in_process(ROOT, a.runs)
    print(f"{'in process, load + render (' + str(pages) + ' pages)':<40} "
          f"{beside(ms * 1000, base['in process'] * 1000 or None, ' ms', digits=1)}")
    now = imports_by_package(ROOT)
    then = imports_by_package(roots["baseline"]) if a.against else Counter()
    print("imports by package, self ms (python -X importtime, best of 3):")
    for package, ms_now in (now + Counter()).most_common(12):
        print(f"  {package:<24} {beside(ms_now, then.get(package) or None, ' ms', digits=1)}")
    print(f"  {'all':<24} {beside(sum(now.values()), sum(then.values()) or None, ' ms', digits=1)}")


if __name__ == "__main__":
    main()
