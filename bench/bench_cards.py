"""Benchmark: flashcards, whole process and in process.

Run from the repository root after `pip install .`:  python bench/bench_cards.py [COUNT]

- whole process, `build TOPIC -l cards -j 1 --force` for each sample topic: wall and CPU time
  (target, issue 13: under 0.5 s for the sample topic), and what the build said;
- over COUNT (100) generated topics (bench/synth.py), in process: cards per topic, plan and draw CPU
  per topic (medians), and the topics whose cards did not fit (they are errors, by design).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from timing import DATE, MACHINE, ROOT, env_for, measure, notes_cmd

RUNS = 7


def whole(topic: str) -> None:
    walls, cpus, said = [], [], ""
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(RUNS):
            m = measure(notes_cmd(ROOT, ["build", topic, "-l", "cards", "-j", "1", "--force", "--notes",
                                         str(ROOT / "notes"), "-o", tmp]), cwd=ROOT, env=env_for(ROOT))
            walls.append(m.wall)
            cpus.append(m.cpu)
            said = next((ln for ln in m.out.splitlines() if ln.startswith("note: cards")), "")
    print(f"whole process, build {topic} -l cards: median {statistics.median(walls):.3f} s wall "
          f"(best {min(walls):.3f}), {statistics.median(cpus):.3f} s CPU over {RUNS} runs; {said}")


def in_process(count: int) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import synth

    from studynotes.errors import NotesError
    from studynotes.load import notes as loader
    from studynotes.load import presets
    from studynotes.render import cards

    layout = presets.load("cards")
    with tempfile.TemporaryDirectory() as tmp:
        topics = [loader.load(p) for p in synth.write(Path(tmp), count)]
    cards.render(topics[0], layout)  # fonts registered, modules warm
    plans, draws, made, refused = [], [], [], 0
    for t in topics:
        c0 = time.process_time()
        try:
            p = cards.plan(t, layout)
        except NotesError:
            refused += 1
            continue
        c1 = time.process_time()
        cards.draw(p)
        c2 = time.process_time()
        plans.append(c1 - c0)
        draws.append(c2 - c1)
        made.append(len(p.cards))
    print(f"\n{count} generated topics, cards preset, in process: {sum(made)} cards "
          f"(median {statistics.median(made):.0f} a topic); plan median {statistics.median(plans) * 1000:.1f} ms, "
          f"draw median {statistics.median(draws) * 1000:.1f} ms, total {sum(plans) + sum(draws):.2f} s CPU; "
          f"{refused} topics refused (a card too long for the floor)")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    print(f"{DATE}, {MACHINE}")
    for topic in sorted(p.stem for p in (ROOT / "notes").glob("*.yaml")):
        whole(topic)
    in_process(count)


if __name__ == "__main__":
    main()
