"""A generator of realistic synthetic topics for benchmarks: sections with points, sub-points,
key points, facts, timelines, terms and the odd table, in the sizes real notes have.

    python bench/synth.py DIR [COUNT]     writes COUNT topics (default 100) into DIR

``write(..., small=True)`` writes tiny topics (two sections, one with a tagged sub-section), for tests that need many
outputs but not realistic pages: what the build record knows of a topic, not how long it renders.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

WORDS = ("policy reform trade treaty monsoon river plateau parliament court right duty council "
         "agreement corridor investment growth export import budget census tribe forest coast "
         "delta basin ocean summit alliance security defence energy climate rainfall drought "
         "federal state union district village market bank credit inflation subsidy welfare "
         "literacy health nutrition railway port highway canal dam harvest wheat rice cotton").split()


def sentence(rng: random.Random, lo: int = 6, hi: int = 16, key: bool = True) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    words[0] = words[0].capitalize()
    if key and rng.random() < 0.5:
        i = rng.randrange(len(words) - 1)
        words[i] = f"=={words[i]} {words[i + 1]}=="
        del words[i + 1]
    return " ".join(words)


def topic(i: int) -> str:
    rng = random.Random(i)
    lines = [f"topic: Synthetic topic {i}", f"id: synth-{i:03d}", "subject: General Studies",
             "syllabus: GS III — Indian economy", f"tags: [synthetic, set-{i % 5}]",
             f"summary: '{sentence(rng, 18, 30, key=False)}'", "sections:"]
    for s in range(rng.randint(5, 8)):
        lines += [f"  - id: part-{s + 1}", f"    title: {sentence(rng, 2, 5, key=False)}",
                  f"    short: Part {s + 1}", "    points:"]
        lines += points(rng)
        lines += extras(rng)
    return "\n".join(lines) + "\n"


def points(rng: random.Random) -> list[str]:
    lines = []
    for p in range(rng.randint(4, 8)):
        lines.append(f"      - text: '{sentence(rng)}'")
        lines.append(f"        short: {rng.choice(WORDS).capitalize()} {p + 1}")
        if rng.random() < 0.25:
            lines.append("        key: true")
        if rng.random() < 0.4:
            lines.append("        points:")
            for _ in range(rng.randint(1, 3)):
                lines.append(f"          - '{sentence(rng, 4, 10, key=False)}'")
    return lines


def extras(rng: random.Random) -> list[str]:
    """Facts, a timeline, terms and a table, each in some sections only."""
    lines: list[str] = []
    if rng.random() < 0.5:
        lines.append("    facts:")
        for _ in range(rng.randint(1, 3)):
            lines.append(f"      - {{label: {sentence(rng, 2, 4, key=False)}, value: '{rng.randint(2, 990)} bn'}}")
    if rng.random() < 0.3:
        lines.append("    timeline:")
        for _ in range(rng.randint(2, 4)):
            lines.append(f"      - {{when: '{rng.randint(1950, 2024)}', what: {sentence(rng, 3, 7, key=False)}}}")
    if rng.random() < 0.5:
        lines.append("    terms:")
        for _ in range(rng.randint(1, 3)):
            lines.append(f"      - {{term: {rng.choice(WORDS).upper()}, meaning: {sentence(rng, 4, 9, key=False)}}}")
    if rng.random() < 0.15:
        lines += ["    table:", "      columns: [Item, Value, Note]", "      rows:"]
        for _ in range(rng.randint(2, 5)):
            lines.append(f"        - [{rng.choice(WORDS)}, '{rng.randint(1, 99)}%', "
                         f"{sentence(rng, 2, 5, key=False)}]")
    return lines


def tiny(i: int) -> str:
    return (f"topic: Tiny topic {i}\nid: synth-{i:03d}\ntags: [synthetic, set-{i % 5}]\nsections:\n"
            "  - {id: part-1, title: One, points: [a point, another point]}\n"
            "  - id: part-2\n    title: Two\n    sections:\n"
            "      - {id: part-2-1, title: Two one, tags: [sub], points: [a sub-point]}\n")


def write(folder: Path, count: int = 100, small: bool = False) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"synth-{i:03d}.yaml"
        path.write_text(tiny(i) if small else topic(i), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    out = write(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 100)
    print(f"wrote {len(out)} topics to {sys.argv[1]}")
