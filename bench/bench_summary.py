"""Benchmark: the one-page summary of the sample topic, whole process, fit search included.

Run from the repository root after `pip install .`:  python bench/bench_summary.py
Target (issue 4): under 0.6 s whole process.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import fmt, whole_process  # noqa: E402


def main() -> None:
    times, out = whole_process(["build", "india-japan", "-l", "summary"])
    passes = re.search(r"\((\d+) layout passes\)", out)
    print(f"whole process, build india-japan -l summary: {fmt(times)}; "
          f"{passes.group(1) if passes else '?'} layout passes")
    print(out.strip().splitlines()[0])


if __name__ == "__main__":
    main()
