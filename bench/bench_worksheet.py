"""Benchmark: cloze worksheets, whole process and in process.

Run from the repository root after `pip install .`:  python bench/bench_worksheet.py [COUNT]

- whole process, `build TOPIC -l worksheet -j 1 --force` for each sample topic: wall and CPU time
  (target, issue 13: under 0.5 s for the sample topic), and what the build said;
- the same for india-japan with `--word-bank --answers separate` (two PDFs);
- over COUNT (100) generated topics (bench/synth.py), in process: blanks per topic, plan and draw CPU
  per topic (medians).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from timing import DATE, MACHINE, ROOT, env_for, measure, notes_cmd

RUNS = 7


def whole(topic: str, *options: str) -> None:
    walls, cpus, said = [], [], ""
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(RUNS):
            m = measure(notes_cmd(ROOT, ["build", topic, "-l", "worksheet", *options, "-j", "1", "--force",
                                         "--notes", str(ROOT / "notes"), "-o", tmp]), cwd=ROOT, env=env_for(ROOT))
            walls.append(m.wall)
            cpus.append(m.cpu)
            said = next((ln for ln in m.out.splitlines() if ln.startswith("note: worksheet")), "")
    shown = " ".join(("-l worksheet", *options))
    print(f"whole process, build {topic} {shown}: median {statistics.median(walls):.3f} s wall "
          f"(best {min(walls):.3f}), {statistics.median(cpus):.3f} s CPU over {RUNS} runs; {said}")


def in_process(count: int) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import synth

    from studynotes.load import notes as loader
    from studynotes.load import presets
    from studynotes.render import worksheet

    layout = presets.load("worksheet")
    with tempfile.TemporaryDirectory() as tmp:
        topics = [loader.load(p) for p in synth.write(Path(tmp), count)]
    worksheet.render(topics[0], layout)  # fonts registered, modules warm
    plans, draws, blanks, pages = [], [], [], []
    for t in topics:
        c0 = time.process_time()
        p = worksheet.plan(t, layout)
        c1 = time.process_time()
        worksheet.draw(p)
        c2 = time.process_time()
        plans.append(c1 - c0)
        draws.append(c2 - c1)
        blanks.append(len(p.blanks))
        pages.append(len(p.pages) + len(p.answer_pages))
    print(f"\n{count} generated topics, worksheet preset, in process: {sum(blanks)} blanks "
          f"(median {statistics.median(blanks):.0f} a topic), {sum(pages)} pages; plan median "
          f"{statistics.median(plans) * 1000:.1f} ms, draw median {statistics.median(draws) * 1000:.1f} ms, "
          f"total {sum(plans) + sum(draws):.2f} s CPU")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    print(f"{DATE}, {MACHINE}")
    for topic in sorted(p.stem for p in (ROOT / "notes").glob("*.yaml")):
        whole(topic)
    whole("india-japan", "--word-bank", "--answers", "separate")
    in_process(count)


if __name__ == "__main__":
    main()
