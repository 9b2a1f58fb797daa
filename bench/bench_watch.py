"""Benchmark: saved edit → new PDF on disk with `make_notes.py watch`, against a cold build.

Run from the repository root:  python bench/bench_watch.py [RUNS]
Target (issue 12): under 150 ms for the revision sheet of the sample topic.

A watch runs in a subprocess on a temporary copy of notes/; each run edits india-japan.yaml (in
place, then by writing a temporary file and renaming it over, as vim and most IDEs save) and
times, from the moment the save is complete, until the PDF on disk is a new file. Cold builds
(what a save costs without a watch) are interleaved with the edits, so both are measured in the
same sitting on a shared machine. Also printed: the watch's own "rebuilt in" figure and the
in-process re-render alone (load + render, warm), the floor a watch can approach.
"""

from __future__ import annotations

import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOPIC = "india-japan"
TARGET_MS = 150
POLL_S = 0.0005


def ms(times: list[float]) -> str:
    return (f"median {statistics.median(times):6.1f} ms   (min {min(times):6.1f}, max {max(times):6.1f}, "
            f"{len(times)} runs)")


def cold_build(folder: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "make_notes.py"), "build", TOPIC, "-l", "revision", "--notes",
                    "notes", "-o", "cold", "--force", "-j", "1"], cwd=folder, check=True, capture_output=True)
    return (time.perf_counter() - t0) * 1000


class Watch:
    """A `make_notes.py watch` subprocess and the lines it prints."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.lines: queue.Queue[str] = queue.Queue()
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "make_notes.py"), "watch", TOPIC, "-l", "revision",
                                      "--notes", "notes", "-o", "live"], cwd=folder, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for("watching", 60)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.strip())

    def wait_for(self, text: str, timeout: float = 10) -> str:
        deadline = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            if text in line:
                return line

    def stop(self) -> None:
        self.proc.send_signal(2)  # SIGINT, as Ctrl-C
        self.proc.wait(timeout=10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def save(path: Path, text: str, by_rename: bool) -> None:
    if by_rename:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    else:
        path.write_text(text, encoding="utf-8")


def edit_latency(watch: Watch, source: str, n: int, by_rename: bool) -> tuple[float, float]:
    """Milliseconds from a complete save to a new PDF on disk, and the watch's own figure."""
    pdf = watch.folder / "live" / TOPIC / "revision.pdf"
    notes = watch.folder / "notes" / f"{TOPIC}.yaml"
    before = _identity(pdf)
    save(notes, source.replace("Context — the 2+2", f"Context (edit {n}) — the 2+2"), by_rename)
    t0 = time.perf_counter()
    while _identity(pdf) == before:
        time.sleep(POLL_S)
        if time.perf_counter() - t0 > 10:
            raise RuntimeError("the watch did not rebuild within 10 s")
    latency = (time.perf_counter() - t0) * 1000
    own = float(watch.wait_for("rebuilt in").split(" rebuilt in ")[1].split()[0])
    return latency, own


def in_process(runs: int) -> tuple[list[float], list[float]]:
    """Warm load + render, and render alone, of the revision sheet (what a watch's round does at least)."""
    from studynotes.load import notes as loader
    from studynotes.load import presets
    from studynotes.render import engine

    layout = presets.load("revision")
    render = engine("revision")
    path = ROOT / "notes" / f"{TOPIC}.yaml"
    for _ in range(2):  # fonts, caches
        render(loader.load(path), layout)
    both, alone = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        topic = loader.load(path)
        t1 = time.perf_counter()
        render(topic, layout)
        t2 = time.perf_counter()
        both.append((t2 - t0) * 1000)
        alone.append((t2 - t1) * 1000)
    return both, alone


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copytree(ROOT / "notes", folder / "notes")
        source = (folder / "notes" / f"{TOPIC}.yaml").read_text(encoding="utf-8")
        watch = Watch(folder)
        cold, in_place, renamed, own = [], [], [], []
        try:
            for n in range(runs):  # interleaved: the machine's noise falls on all three alike
                cold.append(cold_build(folder))
                time.sleep(0.3)
                latency, figure = edit_latency(watch, source, 2 * n, by_rename=False)
                in_place.append(latency)
                own.append(figure)
                time.sleep(0.3)
                latency, figure = edit_latency(watch, source, 2 * n + 1, by_rename=True)
                renamed.append(latency)
                own.append(figure)
                time.sleep(0.3)
        finally:
            watch.stop()
    both, alone = in_process(runs)
    print(f"saved edit → new PDF on disk, {TOPIC} revision sheet (target < {TARGET_MS} ms):")
    print(f"  watch, saved in place          {ms(in_place)}")
    print(f"  watch, saved by rename         {ms(renamed)}")
    print(f"  the watch's own 'rebuilt in'   {ms(own)}")
    print(f"  baseline: cold `build` process {ms(cold)}")
    print("in process, warm (the floor of a round):")
    print(f"  load + render                  {ms(both)}")
    print(f"  render alone                   {ms(alone)}")


if __name__ == "__main__":
    main()
