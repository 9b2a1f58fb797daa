"""``watch``: what a rebuild on save does, called directly (no file watching, tiny topics), and one
real watcher in a subprocess (slow tier).

A round is an incremental build, so the tests ask: exactly the outputs an edit affects are
rebuilt, a broken save keeps the last good PDF and the watch goes on, the PDFs are those a build
makes, the record is the one a build leaves, and the ways editors save all count.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from studynotes import build
from studynotes.errors import Interrupted, UsageError
from studynotes.watch import Request, Round, Watcher, wanted

ROOT = Path(__file__).resolve().parent.parent


def topic(name: str, point: str = "a point") -> str:
    return (f"topic: {name.title()}\nid: {name}\nsections:\n  - {{id: one, title: One, points: [{point}, another]}}\n"
            "  - {id: two, title: Two, points: [a third point]}\n")


PRESET = "extends: revision\ndescription: mine\nfonts: {body: 9}\n"
REQUEST = Request(layouts=("mine", "mindmap"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Two tiny topics, a user preset and a mind map, built once; each test gets a copy."""
    base = tmp_path_factory.mktemp("watch")
    (base / "notes").mkdir()
    (base / "layouts").mkdir()
    for name in ("alpha", "beta"):
        (base / "notes" / f"{name}.yaml").write_text(topic(name), encoding="utf-8")
    (base / "layouts" / "mine.yaml").write_text(PRESET, encoding="utf-8")
    old = Path.cwd()
    os.chdir(base)
    try:
        Watcher(REQUEST, io.StringIO(), io.StringIO()).rebuild(1, first=True)
    finally:
        os.chdir(old)
    return base


@pytest.fixture()
def here(built, tmp_path, monkeypatch):
    shutil.copytree(built, tmp_path / "w")
    monkeypatch.chdir(tmp_path / "w")
    return tmp_path / "w"


def watcher(request: Request = REQUEST) -> Watcher:
    w = Watcher(request, io.StringIO(), io.StringIO())
    w._look_around()  # what start() knows after its first build
    w.seen = w.inputs()
    return w


def stamps(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in sorted(folder.rglob("*.pdf"))}


def rebuilt(done: Round | None) -> set[str]:
    assert done is not None
    return {str(w.path) for w in done.pdfs}


def test_an_edit_rebuilds_exactly_the_outputs_of_that_topic(here):
    w = watcher()
    before = stamps(here / "output")
    (here / "notes/alpha.yaml").write_text(topic("alpha", "an edited point"), encoding="utf-8")
    done = w.handle(["notes/alpha.yaml"])
    assert rebuilt(done) == {"output/alpha/mine.pdf", "output/alpha/mindmap.pdf"}
    after = stamps(here / "output")
    assert {k for k in before if before[k] != after[k]} == {"alpha/mine.pdf", "alpha/mindmap.pdf"}
    lines = w.out.getvalue().splitlines()
    assert sorted(line.split(" rebuilt in ")[0] for line in lines) == ["alpha/mindmap.pdf", "alpha/mine.pdf"]
    assert all(line.endswith(" ms") for line in lines)


def test_a_save_that_changes_nothing_rebuilds_nothing_and_says_nothing(here):
    w = watcher()
    done = w.handle([here / "notes/alpha.yaml"])  # an editor's save of the same text, by absolute path
    assert rebuilt(done) == set() and done.current == 4
    assert w.out.getvalue() == "" and w.err.getvalue() == ""


def test_a_preset_edit_rebuilds_the_outputs_of_that_layout(here):
    w = watcher()
    (here / "layouts/mine.yaml").write_text(PRESET.replace("body: 9", "body: 10"), encoding="utf-8")
    assert rebuilt(w.handle(["layouts/mine.yaml"])) == {"output/alpha/mine.pdf", "output/beta/mine.pdf"}


def test_a_broken_save_is_shown_located_and_the_last_good_pdf_stays(here):
    w = watcher()
    good = (here / "output/alpha/mine.pdf").read_bytes()
    (here / "notes/alpha.yaml").write_text("topic: Alpha\nid: alpha\nsections: [a, b\n", encoding="utf-8")
    done = w.handle(["notes/alpha.yaml"])
    assert done is not None and rebuilt(done) == set()
    assert [(p.path, p.line) for p in done.problems] == [("notes/alpha.yaml", 4)]
    assert "notes/alpha.yaml:4:" in w.err.getvalue() and "the last good PDF stays" in w.err.getvalue()
    assert (here / "output/alpha/mine.pdf").read_bytes() == good
    (here / "notes/alpha.yaml").write_text(topic("alpha", "fixed"), encoding="utf-8")  # the watch goes on
    assert rebuilt(w.handle(["notes/alpha.yaml"])) == {"output/alpha/mine.pdf", "output/alpha/mindmap.pdf"}


def test_a_rename_save_counts_by_the_path_it_lands_on(here):
    """vim, most IDEs: write a temporary file, rename it over the notes file. The batch names both."""
    w = watcher()
    tmp = here / "notes/alpha.yaml___jb_tmp___"
    tmp.write_text(topic("alpha", "renamed into place"), encoding="utf-8")
    os.replace(tmp, here / "notes/alpha.yaml")
    done = w.handle([str(tmp), str(here / "notes/alpha.yaml")])
    assert rebuilt(done) == {"output/alpha/mine.pdf", "output/alpha/mindmap.pdf"}


def test_editor_leftovers_and_other_folders_are_not_inputs(here):
    folders = [(here / "notes").resolve(), (here / "layouts").resolve()]
    for name in ("notes/.alpha.yaml.swp", "notes/alpha.yaml~", "notes/4913", "notes/.#alpha.yaml",
                 "notes/alpha.yaml___jb_old___", "output/alpha/mine.pdf", "elsewhere/alpha.yaml"):
        assert not wanted(here / name, folders), name
    assert wanted(here / "notes/alpha.yml", folders) and wanted(Path("layouts/mine.yaml"), folders)
    assert watcher().handle(["notes/.alpha.yaml.swp", "notes/alpha.yaml~"]) is None


def test_a_delete_then_create_save_is_waited_for(here):
    """An editor that deletes, then creates: the file is missing for a moment, not gone."""
    w = watcher()
    path = here / "notes/alpha.yaml"
    path.unlink()
    later = threading.Timer(0.05, lambda: path.write_text(topic("alpha", "created again"), encoding="utf-8"))
    later.start()
    try:
        done = w.handle([str(path)])
    finally:
        later.join()
    assert rebuilt(done) == {"output/alpha/mine.pdf", "output/alpha/mindmap.pdf"}


def test_a_save_made_before_the_watcher_was_live_is_caught_up(here):
    """Between the first build and the moment the watcher is live, no event reports a save."""
    w = watcher()
    assert w.live() is False and w.out.getvalue().startswith("watching ")
    tmp = here / "notes/alpha.yaml.tmp"
    tmp.write_text(topic("alpha"), encoding="utf-8")  # the same text, saved by rename: a new file all the same
    os.replace(tmp, here / "notes/alpha.yaml")
    assert w.missed() == [(here / "notes/alpha.yaml").resolve()]
    assert w.live() is True and w.out.getvalue().count("watching ") == 1


def test_the_pdfs_and_the_record_are_those_a_build_makes(here):
    w = watcher()
    (here / "notes/beta.yaml").write_text(topic("beta", "edited for the comparison"), encoding="utf-8")
    w.handle(["notes/beta.yaml"])
    again = build.incremental((), Path("notes"), REQUEST.layouts, REQUEST.picks, {}, None, 1)
    assert again.written == [] and again.current == 4  # the record is the one a build leaves
    cold = build.incremental((), Path("notes"), REQUEST.layouts, REQUEST.picks, {}, Path("cold"), 1, force=True)
    assert len(cold.written) == 4
    for w_ in cold.written:
        assert w_.path.read_bytes() == (Path("output") / w_.path.relative_to("cold")).read_bytes()


def test_png_refreshes_the_pictures_of_what_was_rebuilt(here):
    w = watcher(Request(("alpha",), layouts=("mine",), png=True))
    (here / "notes/alpha.yaml").write_text(topic("alpha", "pictured"), encoding="utf-8")
    done = w.handle(["notes/alpha.yaml"])
    assert done is not None and done.pictures == 1
    picture = here / "output/alpha/mine-1.png"
    assert picture.stat().st_mtime_ns >= (here / "output/alpha/mine.pdf").stat().st_mtime_ns
    assert "1 picture" in w.out.getvalue()


def test_a_usage_mistake_ends_the_first_build_and_is_shown_later(here, monkeypatch):
    monkeypatch.setattr("studynotes.watch.SETTLE_S", 0.01)
    with pytest.raises(UsageError):
        Watcher(Request(("gamma",), layouts=("mine",)), io.StringIO(), io.StringIO()).rebuild(first=True)
    w = watcher(Request(("notes/alpha.yaml",), layouts=("mine",)))
    (here / "notes/alpha.yaml").unlink()  # renamed away for good: an error, and the watch goes on
    done = w.handle(["notes/alpha.yaml"])
    assert done is not None and isinstance(done.error, UsageError)
    assert "error: no notes file 'notes/alpha.yaml'" in w.err.getvalue()


@pytest.mark.parametrize("ticks_before", [1, 2])  # Ctrl-C as the PDF is rendered, or just after
def test_ctrl_c_during_a_rebuild_is_interrupted(here, ticks_before):
    ticks = iter([0.0] * ticks_before)

    def clock() -> float:
        try:
            return next(ticks)
        except StopIteration:
            raise KeyboardInterrupt from None

    w = Watcher(Request(layouts=("mine",)), io.StringIO(), io.StringIO(), clock=clock)
    (here / "notes/alpha.yaml").write_text(topic("alpha", "cut short"), encoding="utf-8")
    with pytest.raises(Interrupted) as info:
        w.handle(["notes/alpha.yaml"])
    assert info.value.exit_code == 130


def test_the_folders_watched_include_those_of_presets_in_use(here):
    """A preset named by path, and the one it extends in yet another folder."""
    for folder, text in (("elsewhere/far.yaml", "extends: ../deep/base.yaml\n"), ("deep/base.yaml", PRESET)):
        (here / folder).parent.mkdir()
        (here / folder).write_text(text, encoding="utf-8")
    w = watcher(Request(layouts=("elsewhere/far.yaml",)))
    assert set(w.folders()) >= {(here / d).resolve() for d in ("notes", "layouts", "elsewhere", "deep")}


# ------------------------------------------------------------------ a real watcher (slow tier)

def _lines(stream, into: list[str]) -> None:
    for line in stream:
        into.append(line.rstrip("\n"))


def _wait_for(lines: list[str], text: str, count: int = 1, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while sum(text in line for line in lines) < count:
        assert time.monotonic() < deadline, f"no {count} × {text!r} in {lines}"
        time.sleep(0.01)


@pytest.mark.slow
def test_a_real_watch_rebuilds_on_each_kind_of_save_and_stops_cleanly_on_ctrl_c(here):
    cmd = [sys.executable, str(ROOT / "make_notes.py"), "watch", "alpha", "-l", "mine", "-o", "live"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out: list[str] = []
    err: list[str] = []
    readers = [threading.Thread(target=_lines, args=(s, into), daemon=True)
               for s, into in ((proc.stdout, out), (proc.stderr, err))]
    for r in readers:
        r.start()
    path = here / "notes/alpha.yaml"
    try:
        _wait_for(out, "watching")
        path.write_text(topic("alpha", "saved in place"), encoding="utf-8")
        _wait_for(out, "alpha/mine.pdf rebuilt in")
        (here / "notes/alpha.yaml.tmp").write_text(topic("alpha", "saved by rename"), encoding="utf-8")
        os.replace(here / "notes/alpha.yaml.tmp", path)
        _wait_for(out, "alpha/mine.pdf rebuilt in", 2)
        path.unlink()
        path.write_text(topic("alpha", "deleted and created"), encoding="utf-8")
        _wait_for(out, "alpha/mine.pdf rebuilt in", 3)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        proc.kill()
    for r in readers:
        r.join(timeout=5)
    proc.stdout.close()
    proc.stderr.close()
    assert out[-1] == "stopped watching"
    assert not any("Traceback" in line for line in err), err
    cold = subprocess.run([sys.executable, str(ROOT / "make_notes.py"), "build", "alpha", "-l", "mine", "-o", "cold",
                           "-j", "1"], capture_output=True, text=True)
    assert cold.returncode == 0, cold.stderr
    assert (here / "live/alpha/mine.pdf").read_bytes() == (here / "cold/alpha/mine.pdf").read_bytes()
