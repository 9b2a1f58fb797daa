"""Benchmark: the revision sheet of the sample topic, whole process and in process.

Run from the repository root after `pip install .`:  python bench/bench_revision.py
Targets (issue 2): whole process under 0.5 s on a 2-core machine.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import fmt, whole_process  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7


def in_process() -> tuple[list[float], int]:
    from studynotes.load import notes as loader
    from studynotes.load import presets
    from studynotes.render import engine

    layout = presets.load("revision")
    render = engine("revision")
    times, pages = [], 0
    for _ in range(RUNS):
        t0 = time.perf_counter()
        topic = loader.load(ROOT / "notes" / "india-japan.yaml")
        result = render(topic, layout)
        times.append(time.perf_counter() - t0)
        pages = result.pages
    return times, pages


def imports_only() -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import studynotes.cli, studynotes.render.revision"], check=True)
    return time.perf_counter() - t0


def main() -> None:
    bare = min(imports_only() for _ in range(3))
    print(f"python + imports only:                    {bare:.3f} s")
    whole = whole_process(["build", "india-japan", "-l", "revision"])[0]
    print(f"whole process, build india-japan -l revision: {fmt(whole)}")
    times, pages = in_process()
    print(f"in process, load + render ({pages} pages):      first {times[0]:.3f} s (fonts load), then {fmt(times[1:])}")


if __name__ == "__main__":
    main()
