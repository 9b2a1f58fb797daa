"""Benchmark: building a topic from Markdown costs what building it from YAML costs (issue 11: ± 10 %).

Run from the repository root:  python bench/bench_markdown.py [RUNS]

Whole processes, as a user runs them: `build india-japan --force -j 1` with the default kinds, once from
notes/india-japan.yaml and once from the same topic exported as Markdown (`export --md`), alternating
so that a busy machine slows both alike; then the same for `check` (parsing alone, no rendering) and
the in-process parse times of the two readers.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import fmt  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MAKE = [sys.executable, str(ROOT / "make_notes.py")]


def run(args: list[str], cwd: Path) -> float:
    t0 = time.perf_counter()
    r = subprocess.run(MAKE + args, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(r.stdout + r.stderr)
    return elapsed


def compare(label: str, args: list[str], cwd: Path, runs: int) -> None:
    times: dict[str, list[float]] = {"yaml": [], "md": []}
    for _ in range(runs):
        for kind in times:
            times[kind].append(run([*args[:1], f"{kind}/{'india-japan.yaml' if kind == 'yaml' else 'ij.md'}",
                                    *args[1:]], cwd))
    y, m = statistics.median(times["yaml"]), statistics.median(times["md"])
    print(f"{label} from YAML:     {fmt(times['yaml'])}")
    print(f"{label} from Markdown: {fmt(times['md'])}  ({(m / y - 1) * 100:+.1f} %)")


def in_process(cwd: Path, runs: int = 50) -> None:
    from studynotes.load import markdown, notes

    yaml_text = (cwd / "yaml" / "india-japan.yaml").read_text(encoding="utf-8")
    md_text = (cwd / "md" / "ij.md").read_text(encoding="utf-8")
    markdown.parse(md_text, "ij.md", "ij")  # the parser is built once per process
    for label, parse in (("YAML reader", lambda: notes.load_text(yaml_text, "y.yaml", "india-japan")),
                         ("Markdown reader", lambda: markdown.parse(md_text, "ij.md", "ij"))):
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            parse()
            times.append(time.perf_counter() - t0)
        print(f"{label} (in process): median {statistics.median(times) * 1000:.1f} ms")


def main(runs: int = 7) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        (cwd / "yaml").mkdir()
        (cwd / "md").mkdir()
        (cwd / "yaml" / "india-japan.yaml").write_bytes((ROOT / "notes" / "india-japan.yaml").read_bytes())
        run(["export", "yaml/india-japan.yaml", "--md", "-o", "md/ij.md"], cwd)
        compare("build india-japan", ["build", "--force", "-j", "1", "-o", "out"], cwd, runs)
        compare("check india-japan", ["check"], cwd, runs)
        in_process(cwd)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
