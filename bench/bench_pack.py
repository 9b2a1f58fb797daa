"""Benchmark: a class pack of 100 generated topics × the three kinds (about 400 pages), and 200
student copies of a 20-page pack.

    python bench/bench_pack.py [--runs K] [--against CHECKOUT]

Prints wall and CPU seconds of each whole process and the peak memory of the pack's main process and
of its largest worker, with the baseline beside (``--against`` measures another checkout in the same
sitting, interleaved run by run; without it, the figures measured on the date below).
Targets: the 100-topic pack under 15 s on 2 cores (issue 5); under 150 MB in its main process and in
each worker (issue 12); 200 copies of a 20-page pack under 15 s (issue 5).
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth  # noqa: E402
from timing import DATE, MACHINE, Measured, beside, checkouts, env_for, interleaved, median, notes_cmd  # noqa: E402

KINDS = ["-l", "revision", "-l", "mindmap", "-l", "summary"]
# measured on DATE at the commit before issue 12 (cd6b657), medians of 3 interleaved runs:
# the big pack (wall s, CPU s, main MB, worker MB) and the copies (wall s)
BASELINE = {"pack": (10.0, 16.6, 229.0, 60.0), "copies": 7.1}


def students(path: Path, n: int = 200) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(["name", "roll"])
        for i in range(n):
            w.writerow([f"Student {i + 1}", f"{1000 + i}"])
    return path


def figures(runs: list[Measured]) -> tuple[float, float, float, float]:
    return (median([m.wall for m in runs]), median([m.cpu for m in runs]), max(m.main_mb for m in runs),
            max(m.worker_mb for m in runs))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--against", type=Path, help="another checkout, measured in the same sitting")
    a = ap.parse_args()
    roots = checkouts(a.against)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        synth.write(folder / "notes", 100)
        ids = [f"synth-{i:03d}" for i in range(100)]
        roster = students(folder / "students.csv")
        cmds = {}
        for name, root in roots.items():
            common = ["--notes", str(folder / "notes"), "--force"]
            cmds[f"{name} pack"] = (notes_cmd(root, ["pack", *ids, *KINDS, "--title", "Benchmark pack", "--class",
                                                     "Batch Z", "-o", str(folder / name / "pack.pdf"), *common]),
                                    env_for(root))
            cmds[f"{name} copies"] = (notes_cmd(root, ["pack", *ids[:5], *KINDS, "--title", "Small", "-o",
                                                       str(folder / name / "small.pdf"), "--roster", str(roster),
                                                       "--collate", *common]), env_for(root))
        got = interleaved(a.runs, cmds, cwd=folder)
    said = next(line for line in got["now pack"][-1].out.splitlines() if line.startswith("pack:"))
    pack, copies = figures(got["now pack"]), median([m.wall for m in got["now copies"]])
    base_pack, base_copies = BASELINE["pack"], BASELINE["copies"]
    if a.against:
        base_pack, base_copies = figures(got["baseline pack"]), median([m.wall for m in got["baseline copies"]])
    print(f"class packs; {MACHINE}; medians of {a.runs} interleaved runs")
    print(f"baseline: {a.against if a.against else f'the commit before issue 12, measured {DATE}'}")
    print(f"100 topics × 3 kinds ({said}):")
    print(f"  wall {beside(pack[0], base_pack[0] or None, ' s', digits=1)}; "
          f"CPU {beside(pack[1], base_pack[1] or None, ' s', digits=1)}")
    print(f"  peak memory: main process {beside(pack[2], base_pack[2] or None, ' MB', digits=0)}, "
          f"largest worker {beside(pack[3], base_pack[3] or None, ' MB', digits=0)}")
    print(f"200 student copies + the collated file of a 5-topic pack: wall "
          f"{beside(copies, base_copies or None, ' s', digits=1)}")


if __name__ == "__main__":
    main()
