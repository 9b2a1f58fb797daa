"""Benchmark: the quiz of the sample topic (whole process) and 200 student variants of it.

    python bench/bench_quiz.py [--runs K]

- whole process, `build india-japan -l quiz -j 1 --force`: 20 questions, paper, answer sheet, key,
  key CSV and OMRChecker files; wall and CPU seconds;
- in one process: 200 variants (codes S001 … S200, one seed) planned and drawn, as a pack with a
  roster would make them: questions made, arranged, laid out, sheet and key, PDF bytes.

Targets (issue 14): under 0.5 s whole process; 200 variants under 10 s.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import MACHINE, ROOT, env_for, interleaved, median, notes_cmd  # noqa: E402

BUILD = ["build", "india-japan", "-l", "quiz", "-j", "1", "--force", "--notes", str(ROOT / "notes"),
         "-o", "/tmp/bench-quiz"]

VARIANTS = '''
import sys, time
sys.path.insert(0, sys.argv[1])
from studynotes.load import notes, presets
from studynotes.render import quiz
topic = notes.load(sys.argv[1] + "/notes/india-japan.yaml")
base = presets.load("quiz")
quiz.render(topic, base)  # fonts registered, modules warm, as in a pack's worker
count = int(sys.argv[2])
t0 = time.perf_counter()
pages = 0
for k in range(1, count + 1):
    r = quiz.render(topic, base.adjusted(variant=f"S{k:03d}", seed=7))
    pages += r.pages
print(time.perf_counter() - t0, pages)
'''


def variants(count: int) -> tuple[float, int]:
    out = subprocess.run([sys.executable, "-c", VARIANTS, str(ROOT), str(count)], capture_output=True, text=True,
                         check=True, env=env_for(ROOT)).stdout.split()
    return float(out[0]), int(out[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--variants", type=int, default=200)
    a = ap.parse_args()
    got = interleaved(a.runs, {"now": (notes_cmd(ROOT, BUILD), env_for(ROOT))}, cwd=ROOT)["now"]
    print(f"quiz; {MACHINE}; medians of {a.runs} runs")
    print(f"whole process, build india-japan -l quiz (20 questions, sheet, key, CSV, OMR files): wall "
          f"{median([m.wall for m in got]):.3f} s; CPU {median([m.cpu for m in got]):.3f} s (target < 0.5 s)")
    seconds, pages = variants(a.variants)
    print(f"{a.variants} student variants planned and drawn in one process: {seconds:.2f} s, "
          f"{seconds / a.variants * 1000:.0f} ms each, {pages} pages (target < 10 s)")


if __name__ == "__main__":
    main()
