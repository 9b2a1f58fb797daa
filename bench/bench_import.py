"""Benchmark: `make_notes.py import` of a 10,000-word pointwise article and of a Word file of the
same text, as whole processes (Python start-up included).

Run from the repository root:  python bench/bench_import.py [RUNS]
Target (issue 11): a 10,000-word article imports in under 1 s.

The article is made here from varied sentences (numbers, abbreviations, dates) under question
headings, sub-headings and enumerated items, so that every rule of the importer is exercised.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = 10_000
SUBJECTS = ["India", "Japan", "The Govt. of India", "Dr. A. K. Sen", "The U.S. delegation", "The Ministry",
            "Bilateral trade", "The 2+2 dialogue", "The Quad", "JICA"]
VERBS = ["signed an agreement worth Rs. 5,000 cr. in", "raised investment to US$ 13.7 billion in",
         "reported growth of 7.2% in", "held talks (e.g. on defence) in", "launched a scheme No. 4 in",
         "expanded cooperation with partners in"]
PLACES = ["2016", "October 2008", "2022-23", "the Indo-Pacific", "Tokyo", "New Delhi", "the northeast region"]
ORDINALS = ["First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth"]


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(PLACES)}."


def article(words: int = WORDS, seed: int = 11) -> str:
    rng = random.Random(seed)
    out = ["A Long Partnership – Explained, pointwise", "", "For 7PM Editorial Archives click HERE", ""]
    count = 0
    q = 0
    while count < words:
        q += 1
        out += [f"What is the state of cooperation number {q}?", f"Area of Work {q}", ""]
        for i in range(rng.randint(3, 6)):
            lead = f"{ORDINALS[i]}, " if q % 2 else ""
            para = lead + " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))
            out += [para, ""]
            count += len(para.split())
    out += ["It is time to consolidate this shared heritage for a better tomorrow.", "",
            "Syllabus: GS II, International Relations,", "Source: The Hindu, Indian Express,"]
    return "\n".join(out) + "\n"


def timed(args: list[str], cwd: Path) -> tuple[float, str]:
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, str(ROOT / "make_notes.py"), "import", *args], cwd=cwd, capture_output=True,
                       text=True)
    elapsed = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(r.stdout + r.stderr)
    return elapsed, r.stdout.strip().splitlines()[-1]


def word_file(text: str, path: Path) -> None:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        if line:
            document.add_paragraph(line)
    document.save(str(path))


def report(name: str, times: list[float], last: str) -> None:
    print(f"{name}: median {statistics.median(times):.3f} s, best {min(times):.3f} s over {len(times)} runs")
    print(f"  {last}")


def main(runs: int = 7) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        text = article()
        src = cwd / "long-article.txt"
        src.write_text(text, encoding="utf-8")
        print(f"article: {len(text.split()):,} words, {len(text.encode()) / 1024:.0f} KB")
        results = [timed([str(src), "-o", str(cwd / "notes"), "--force"], cwd) for _ in range(runs)]
        report("import .txt", [t for t, _ in results], results[-1][1])
        word_file(text, cwd / "long-article.docx")
        results = [timed([str(cwd / "long-article.docx"), "-o", str(cwd / "notes-docx"), "--force"], cwd)
                   for _ in range(runs)]
        report("import .docx", [t for t, _ in results], results[-1][1])


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
