"""Ctrl-C and kills: what was finished stays finished and recorded, and the next build renders only
what is missing.

A terminal's Ctrl-C sends SIGINT to every process of the group: the build stops its workers (no
worker tracebacks), exits 130 with one line, and leaves no temporary file. Each output is recorded
the moment it lands (a line in the record's journal), so even ``kill -9`` loses no finished work.
The subprocess tests are marked ``slow``; the in-process ones interrupt the renderer on cue.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from limits import slow_disk

from studynotes import build, cache
from studynotes.cache import CACHE_NAME, JOURNAL_NAME, BuildCache
from studynotes.cli import main
from studynotes.files import TMP_PREFIX
from studynotes.load import notes

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import synth  # noqa: E402

TOPICS = 12
ARGS = ["build", "-l", "revision", "-l", "summary"]
TOTAL = 2 * TOPICS
ONE_LINE = re.compile(r"interrupted; (?:(\d+) outputs? (?:was|were) finished and recorded|nothing was finished)")

# The build on a slow disk (each output takes a tenth of a second to land), so that a signal sent
# after the k-th output arrives while the build is still running, every time.
SLOW_DISK = slow_disk(0.1)


@pytest.fixture()
def project(tmp_path, monkeypatch):
    synth.write(tmp_path / "notes", TOPICS, small=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def pdfs(folder: Path) -> dict[Path, int]:
    """Every output and its inode: a file that was not written again keeps its inode."""
    return {p: p.stat().st_ino for p in folder.rglob("*.pdf")}


def temporaries(folder: Path) -> list[Path]:
    return sorted(folder.rglob(f"{TMP_PREFIX}*.tmp"))


def journaled(folder: Path) -> set[str]:
    try:
        lines = (folder / JOURNAL_NAME).read_bytes().splitlines()
    except OSError:
        return set()
    out = set()
    for line in lines:
        try:
            out.add(json.loads(line)["out"])
        except (ValueError, KeyError):
            pass
    return out


def summary(written: int, current: int, left: int = 0) -> str:
    """The closing line of a build, as the command says it."""
    return ", ".join(part for part in (
        f"{written} written" if written else "", f"{current} up to date" if current else "",
        f"{left} leftover temporary file{'s' if left != 1 else ''} of a killed build removed" if left else "") if part)


def rebuild_renders_only_what_is_missing(project: Path, finished: dict[Path, int]) -> None:
    r = run(*ARGS, "-j", "2")
    assert r.exit_code == 0, r.output
    assert r.output.strip().splitlines()[-1] == summary(TOTAL - len(finished), len(finished))
    now = pdfs(project / "output")
    assert len(now) == TOTAL
    assert {p: now[p] for p in finished} == finished  # the finished ones were not written again
    assert temporaries(project / "output") == []
    assert run(*ARGS).output.strip().endswith(f"{TOTAL} up to date")


# ---------------------------------------------------------------- on cue, in this process


def interrupt_after(monkeypatch, k: int) -> None:
    """The renderer hands back ``k`` results, then the user presses Ctrl-C."""
    real = build.render_many

    def render_many(pairs, workers=None, on_each=None):
        results = real(pairs, workers, on_each)
        for i, result in enumerate(results):
            if i == k:
                results.close()
                raise KeyboardInterrupt
            yield result

    monkeypatch.setattr(build, "render_many", render_many)


@pytest.mark.parametrize("k", [0, 1, 5])
def test_ctrl_c_keeps_and_records_what_was_finished(project, monkeypatch, k):
    interrupt_after(monkeypatch, k)
    r = CliRunner().invoke(main, [*ARGS, "-j", "1"], catch_exceptions=False)
    assert r.exit_code == 130
    assert r.stderr == ("interrupted; nothing was finished\n" if k == 0 else
                        f"interrupted; {k} output{'s were' if k != 1 else ' was'} finished and recorded\n")
    finished = pdfs(project / "output") if k else {}
    assert len(finished) == k and journaled(project / "output") == {str(p.relative_to(project)) for p in finished}
    monkeypatch.undo()
    monkeypatch.chdir(project)
    rebuild_renders_only_what_is_missing(project, finished)


def test_ctrl_c_outside_a_build_is_one_line_and_130(project, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "make_pack", interrupted)
    r = CliRunner().invoke(main, ["pack", "synth-000", "-l", "summary", "-o", "p.pdf"])
    assert (r.exit_code, r.stderr) == (130, "interrupted\n")


# ---------------------------------------------------------------- the journal


def test_the_journal_is_merged_into_the_record_and_removed(tmp_path):
    out = tmp_path / "a.pdf"
    out.write_bytes(b"12345")
    record = BuildCache(tmp_path)
    record.remember_output(out, "k1", 5)
    assert BuildCache.open(tmp_path).current(out, "k1")  # known from the journal alone
    assert not (tmp_path / CACHE_NAME).exists()
    record.save()
    assert not (tmp_path / JOURNAL_NAME).exists()
    assert BuildCache.open(tmp_path).current(out, "k1")


def test_a_line_cut_by_a_kill_or_of_another_program_is_ignored(tmp_path):
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        (tmp_path / name).write_bytes(b"12345")
    record = BuildCache(tmp_path)
    record.remember_output(tmp_path / "a.pdf", "k1", 5)
    old = json.dumps({"program": "an older version", "out": str(tmp_path / "b.pdf"), "key": "k1", "size": 5})
    with open(tmp_path / JOURNAL_NAME, "a", encoding="utf-8") as f:
        f.write(old + "\n" + '{"program": "' + cache.program_fingerprint() + '", "out": "' + str(tmp_path / "c.pdf"))
    again = BuildCache.open(tmp_path)
    assert again.current(tmp_path / "a.pdf", "k1")
    assert not again.current(tmp_path / "b.pdf", "k1") and not again.current(tmp_path / "c.pdf", "k1")


def test_topics_are_journaled_with_the_next_output_only(project):
    record = BuildCache(project / "fresh")
    topic = notes.load(project / "notes" / "synth-000.yaml")
    record.remember_topic("d", "synth-000", topic)
    assert not (project / "fresh").exists()  # a build that writes nothing leaves no trace
    (project / "fresh").mkdir()
    record.remember_output(project / "fresh" / "x.pdf", "k", 1)
    assert BuildCache.open(project / "fresh").topic("d", "synth-000").id == "synth-000"


@pytest.mark.parametrize("name", [CACHE_NAME, JOURNAL_NAME])
def test_a_pipe_under_the_records_name_does_not_hang_the_build(tmp_path, name):
    os.mkfifo(tmp_path / name)  # opening it to read or write would wait for the other end for ever
    (tmp_path / "a.pdf").write_bytes(b"12345")
    signal.signal(signal.SIGALRM, lambda *a: pytest.fail("the build waits on the pipe"))
    signal.setitimer(signal.ITIMER_REAL, 5)
    try:
        record = BuildCache.open(tmp_path)
        record.remember_output(tmp_path / "a.pdf", "k", 5)
        assert record.current(tmp_path / "a.pdf", "k")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
    assert (tmp_path / name).is_fifo()


# ---------------------------------------------------------------- real signals, to the whole process group


def start(project: Path, jobs: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", SLOW_DISK, *ARGS, "-j", jobs], cwd=project, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def same_program(monkeypatch) -> None:
    """This process hashes the program once; the build it started hashed it again. Where the code is
    edited while the tests run, the two would differ and no record would match: hash it again here."""
    monkeypatch.setattr(cache, "_program", None)


def signal_when(proc: subprocess.Popen[str], sig: int, ready) -> tuple[str, str]:
    deadline = time.monotonic() + 120
    while proc.poll() is None and not ready():
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail("the build did not get there in 120 s")
        time.sleep(0.005)
    assert proc.poll() is None, "the build finished before the signal"
    os.killpg(proc.pid, sig)
    return proc.communicate(timeout=60)


@pytest.mark.slow
@pytest.mark.parametrize("jobs, moment", [("2", "writing the first"), ("2", 1), ("2", 7), ("1", 3)])
def test_sigint_to_the_group_at_any_moment(project, monkeypatch, jobs, moment):
    out = project / "output"
    if moment == "writing the first":
        def ready() -> bool:
            return bool(temporaries(out)) if out.is_dir() else False
    else:
        def ready() -> bool:
            return len(list(out.rglob("*.pdf"))) >= int(moment) if out.is_dir() else False
    proc = start(project, jobs)
    stdout, stderr = signal_when(proc, signal.SIGINT, ready)
    assert proc.returncode == 130, stderr
    same_program(monkeypatch)
    lines = stderr.splitlines()
    assert len(lines) == 1 and ONE_LINE.fullmatch(lines[0]), stderr  # no worker traceback, no "Aborted!"
    finished = pdfs(out)
    said = ONE_LINE.fullmatch(lines[0]).group(1)  # type: ignore[union-attr]
    assert len(finished) == int(said or 0)
    assert journaled(out) == {str(p.relative_to(project)) for p in finished}
    assert temporaries(out) == []
    rebuild_renders_only_what_is_missing(project, finished)


@pytest.mark.slow
@pytest.mark.parametrize("moment", [1, 6])
def test_sigkill_loses_no_finished_output(project, monkeypatch, moment):
    out = project / "output"
    proc = start(project, "2")
    signal_when(proc, signal.SIGKILL, lambda: out.is_dir() and len(list(out.rglob("*.pdf"))) >= moment)
    assert proc.returncode == -signal.SIGKILL
    same_program(monkeypatch)
    recorded = journaled(out)
    finished = {p: ino for p, ino in pdfs(out).items() if str(p.relative_to(project)) in recorded}
    assert len(finished) >= moment - 1  # at most the last one landed without its line
    left = len(temporaries(out))
    r = run(*ARGS, "-j", "2")
    assert r.exit_code == 0, r.output
    assert r.output.strip().splitlines()[-1] == summary(TOTAL - len(finished), len(finished), left)
    assert {p: p.stat().st_ino for p in finished} == finished
    assert temporaries(out) == []
