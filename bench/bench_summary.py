"""Benchmark: the one-page summary of the sample topic, whole process, fit search included.

Run from the repository root after `pip install .`:  python bench/bench_summary.py
Target (issue 4): under 0.6 s whole process.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7


def main() -> None:
    times, out_text = [], ""
    with tempfile.TemporaryDirectory() as out:
        for _ in range(RUNS):
            t0 = time.perf_counter()
            r = subprocess.run([sys.executable, str(ROOT / "make_notes.py"), "build", "india-japan", "-l", "summary",
                                "--notes", str(ROOT / "notes"), "-o", out, "--force"], check=True, capture_output=True,
                               cwd=ROOT, text=True)
            times.append(time.perf_counter() - t0)
            out_text = r.stdout
    passes = re.search(r"\((\d+) layout passes\)", out_text)
    print(f"whole process, build india-japan -l summary: median {statistics.median(times):.3f} s, "
          f"best {min(times):.3f} s over {RUNS} runs; {passes.group(1) if passes else '?'} layout passes")
    print(out_text.strip().splitlines()[0])


if __name__ == "__main__":
    main()
