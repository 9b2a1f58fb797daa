"""Builds: what is planned and named, up-to-date checks, workers, crash safety.

The tests marked ``slow`` start processes, kill them or build a hundred
topics; ``pytest -m "not slow"`` leaves them out. Timing is measured in
bench/ (bench_uptodate.py, bench_build.py), never asserted here.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from limits import slow_disk
from pdfcheck import page_texts, squash
from pypdf import PdfReader

from studynotes import build, cache
from studynotes.build import output_name
from studynotes.cli import main
from studynotes.errors import UsageError
from studynotes.files import TMP_PREFIX
from studynotes.load import notes, presets
from studynotes.model import Point, Section, Topic
from studynotes.select import pick

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import synth  # noqa: E402


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture()
def project(tmp_path, monkeypatch):
    # the three humanities samples, which the counts here are of (the science sample: test_formula.py)
    shutil.copytree(ROOT / "notes", tmp_path / "notes", ignore=shutil.ignore_patterns("kinematics.yaml"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def no_parsing(monkeypatch) -> None:
    """From here on, parsing a notes file fails the test: the build record must be enough."""
    def refuse(path):
        raise AssertionError(f"{path} was parsed")

    monkeypatch.setattr(notes, "load", refuse)


def temporaries(folder: Path) -> list[Path]:
    return sorted(folder.rglob(f"{TMP_PREFIX}*.tmp"))


# ---------------------------------------------------------------- names and plans, without rendering

T = Topic("t", "T", (Section("a", "A", points=(Point("p"),)), Section("b", "B", points=(Point("q"),))))
U = Topic("u", "U", (Section("c", "C", points=(Point("r"),)),))


@pytest.fixture(scope="module")
def revision():
    return presets.load("revision")


@pytest.fixture(scope="module")
def summary():
    return presets.load("summary")


def test_an_output_is_named_by_its_layout_picks_and_overrides(revision):
    assert output_name(T, revision) == "revision.pdf"
    picked = pick(T, ("a",), ("b",), ("x",))
    assert picked is not None and output_name(picked, revision) == "revision_s-a_t-x_x-b.pdf"
    changed = revision.adjusted(paper="Letter", landscape=True, grayscale=True, columns=3)
    assert output_name(picked, changed) == "revision_s-a_t-x_x-b_letter_landscape_gray_3col.pdf"
    assert output_name(T, revision.adjusted(paper="A4", columns=2)) == "revision.pdf"  # no change, no suffix


def test_the_plan_is_every_topic_by_every_layout_under_output(revision, summary):
    jobs = build.plan([T, U], [revision, summary], None)
    assert [(j.topic.id, j.layout.name, j.out) for j in jobs] == [
        ("t", "revision", Path("output/t/revision.pdf")), ("t", "summary", Path("output/t/summary.pdf")),
        ("u", "revision", Path("output/u/revision.pdf")), ("u", "summary", Path("output/u/summary.pdf"))]
    assert [j.out for j in build.plan([T], [revision], Path("dist"))] == [Path("dist/t/revision.pdf")]


@pytest.mark.parametrize("name", ["mine.pdf", "sub/Mine.PDF"])
def test_one_output_may_be_named_as_a_file(revision, name):
    (job,) = build.plan([T], [revision], Path(name))
    assert job.out == Path(name)
    assert build.output_root(Path(name)) == Path(name).parent


@pytest.mark.parametrize("name", ["x.pdf", "X.PDF"])
def test_a_file_name_for_several_outputs_is_a_usage_error(revision, summary, name):
    with pytest.raises(UsageError, match=rf"-o {name} names one file, but this build makes 2 PDFs; give a folder"):
        build.plan([T], [revision, summary], Path(name))
    with pytest.raises(UsageError, match="makes 2 PDFs"):
        build.plan([T, U], [revision], Path(name))


def test_an_existing_file_is_no_folder_to_build_into(revision, tmp_path):
    (tmp_path / "notes.txt").write_text("a file")
    with pytest.raises(UsageError, match="is a file, not a folder"):
        build.plan([T], [revision], tmp_path / "notes.txt")


def test_two_layouts_that_would_write_one_file_are_refused(revision, tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "revision.yaml").write_text("extends: revision\nfonts: {body: 12}\n")
    mine = presets.load(str(tmp_path / "mine" / "revision.yaml"))
    with pytest.raises(UsageError, match="would both write output/t/revision.pdf"):
        build.plan([T], [revision, mine], None)


# ---------------------------------------------------------------- incremental builds

def test_second_build_is_up_to_date_and_says_so_without_parsing_any_notes(project, monkeypatch):
    first = run("build", "-l", "revision", "-j", "1")
    assert first.exit_code == 0 and "3 written" in first.output
    assert "1 written" in run("build", "india-japan", "-l", "revision", "-s", "defence", "-j", "1").output
    stamps = {p: p.stat().st_mtime_ns for p in (project / "output").rglob("*.pdf")}
    no_parsing(monkeypatch)
    second = run("build", "-l", "revision", "-j", "1")
    assert second.exit_code == 0
    assert second.output.strip().endswith("3 up to date")
    picked = run("build", "india-japan", "-l", "revision", "-s", "defence", "-j", "1")  # picks from the record
    assert picked.exit_code == 0 and picked.output.strip().endswith("1 up to date")
    assert {p: p.stat().st_mtime_ns for p in (project / "output").rglob("*.pdf")} == stamps


@pytest.mark.slow
def test_what_changes_is_rebuilt_and_nothing_else(project):
    run("build", "-l", "revision", "-l", "summary", "-j", "1")
    notes = project / "notes" / "indian-monsoon.yaml"
    notes.write_text(notes.read_text() + "\n# a comment changes the file's content\n")
    r = run("build", "-l", "revision", "-l", "summary", "-j", "1")
    assert "output/indian-monsoon/revision.pdf" in r.output and "output/indian-monsoon/summary.pdf" in r.output
    assert "india-japan" not in r.output.split("wrote")[1].split("up to date")[0]
    assert "2 written, 4 up to date" in r.output


@pytest.mark.slow
def test_a_changed_preset_rebuilds_its_outputs(project):
    (project / "layouts").mkdir()
    (project / "layouts" / "mine.yaml").write_text("extends: revision\ndescription: mine\n")
    assert "3 written" in run("build", "-l", "mine", "-j", "1").output
    assert "3 up to date" in run("build", "-l", "mine", "-j", "1").output
    (project / "layouts" / "mine.yaml").write_text("extends: revision\ndescription: mine\nfonts: {body: 9.5}\n")
    assert "3 written" in run("build", "-l", "mine", "-j", "1").output


def test_options_and_force(project):
    run("build", "india-japan", "-l", "revision", "-j", "1")
    r = run("build", "india-japan", "-l", "revision", "--grayscale", "-j", "1")
    assert "revision_gray.pdf" in r.output and "1 written" in r.output
    r = run("build", "india-japan", "-l", "revision", "--force", "-j", "1")
    assert "1 written" in r.output and "up to date" not in r.output


def test_a_deleted_or_damaged_output_is_rebuilt(project):
    run("build", "india-japan", "-l", "revision", "-j", "1")
    pdf = project / "output/india-japan/revision.pdf"
    pdf.write_bytes(pdf.read_bytes()[:1000])
    assert "1 written" in run("build", "india-japan", "-l", "revision", "-j", "1").output
    pdf.unlink()
    assert "1 written" in run("build", "india-japan", "-l", "revision", "-j", "1").output


@pytest.mark.slow
def test_workers_give_the_same_bytes_as_one_process(project):
    run("build", "-j", "1", "-o", "one")
    run("build", "-j", "2", "-o", "two")
    ones = sorted((project / "one").rglob("*.pdf"))
    assert len(ones) == 9
    for p in ones:
        assert p.read_bytes() == (project / "two" / p.relative_to(project / "one")).read_bytes()


# A fresh process, as a user runs it: the up-to-date build must not import ReportLab. It takes the
# program fingerprint of the test process, so that an edit to the checkout meanwhile rebuilds nothing.
UP_TO_DATE_PROBE = """\
import sys
from studynotes import cache
cache._program = sys.argv.pop(1)
from studynotes.cli import main
try:
    main()
finally:
    print("ReportLab imported" if "reportlab" in sys.modules else "ReportLab not imported")
"""


@pytest.mark.slow
def test_an_up_to_date_build_of_300_outputs_parses_nothing_and_imports_no_reportlab(tmp_path, monkeypatch):
    synth.write(tmp_path / "notes", 100, small=True)  # many outputs, not realistic pages: bench/ measures those
    monkeypatch.chdir(tmp_path)
    kinds = ["-l", "revision", "-l", "mindmap", "-l", "summary"]
    first = run("build", *kinds)
    assert first.exit_code == 0 and first.output.strip().endswith("300 written"), first.output
    no_parsing(monkeypatch)
    again = run("build", *kinds)
    assert again.exit_code == 0 and again.output.strip().endswith("300 up to date"), again.output
    r = subprocess.run([sys.executable, "-c", UP_TO_DATE_PROBE, cache.program_fingerprint(), "build", *kinds],
                       cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-2:] == ["300 up to date", "ReportLab not imported"], r.stdout


# The build under a slow disk: each output stays a temporary file for a while before it is renamed,
# so that the kill lands while a file is being written, every time.
SLOW_DISK = slow_disk(0.2)


def kill_mid_build(cmd: list[str], cwd: Path, ready) -> int:
    """Start the build in its own process group, SIGKILL the group as soon as ``ready()``; the return code."""
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while proc.poll() is None and not ready():
            if time.monotonic() > deadline:
                pytest.fail("the build wrote nothing in 120 s")
            time.sleep(0.01)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    return proc.returncode


@pytest.mark.slow
def test_killed_build_leaves_only_complete_pdfs_and_the_next_run_cleans_up(tmp_path, monkeypatch):
    synth.write(tmp_path / "notes", 12)
    monkeypatch.chdir(tmp_path)
    args = ["build", "-l", "revision", "-l", "summary", "-j", "2"]
    assert run(*args).exit_code == 0
    out = tmp_path / "output"
    old = {p: (p.stat().st_ino, p.read_bytes()) for p in out.rglob("*.pdf")}
    assert len(old) == 24
    for p in (tmp_path / "notes").glob("*.yaml"):  # every topic changes, so everything is rebuilt
        p.write_text(p.read_text().replace("Synthetic topic", "Changed topic"))

    def replaced() -> int:
        return sum(p.stat().st_ino != ino for p, (ino, _) in old.items())

    code = kill_mid_build([sys.executable, "-c", SLOW_DISK, *args], tmp_path,
                          lambda: bool(temporaries(out)) and 0 < replaced() < len(old))
    assert code == -signal.SIGKILL, "the build finished before it could be killed"
    left = temporaries(out)
    assert left, "killed while writing: its temporary file stays"
    assert sorted(out.rglob("*.pdf")) == sorted(old)  # no partial PDF under an output's name
    new = [p for p, (_, data) in old.items() if p.read_bytes() != data]
    assert 0 < len(new) < len(old)
    for p in new:  # complete: the new file, whole
        pdf = p.read_bytes()
        PdfReader(io.BytesIO(pdf), strict=True)
        assert squash("Changed topic") in squash(page_texts(pdf)[0]), p

    monkeypatch.setattr(cache, "_program", None)  # hashed again, as the killed build did (the code may be edited)
    recorded = [p for p in new if cache.BuildCache.open(out).outputs.get(str(p.relative_to(tmp_path)))]
    assert len(recorded) >= len(new) - 1  # each recorded as it landed (the kill may fall between the two)
    r = run(*args)
    assert r.exit_code == 0, r.output
    current = f"{len(recorded)} up to date, " if recorded else ""
    assert f"{24 - len(recorded)} written, {current}{len(left)} leftover temporary " \
           f"file{'s' if len(left) != 1 else ''} of a killed build removed" in r.output
    assert temporaries(out) == []


def test_png_also_for_outputs_that_are_up_to_date(project):
    run("build", "indian-monsoon", "-l", "summary", "-j", "1")
    r = run("build", "indian-monsoon", "-l", "summary", "-j", "1", "--png")
    assert r.exit_code == 0 and "1 up to date" in r.output
    assert (project / "output/indian-monsoon/summary-1.png").exists()


@pytest.mark.slow
def test_a_renamed_notes_file_without_an_id_builds_under_its_new_name(project):
    src = project / "notes" / "indian-monsoon.yaml"
    text = "\n".join(ln for ln in src.read_text().splitlines() if not ln.startswith("id:")) + "\n"
    src.unlink()
    (project / "notes" / "old-name.yaml").write_text(text)
    run("build", "-l", "summary", "-j", "1")
    (project / "notes" / "old-name.yaml").rename(project / "notes" / "new-name.yaml")
    r = run("build", "-l", "summary", "-j", "1")
    assert r.exit_code == 0, r.output
    assert (project / "output/new-name/summary.pdf").exists()


def test_two_presets_with_one_name_are_refused_not_overwritten(project):
    (project / "mine").mkdir()
    (project / "mine" / "revision.yaml").write_text("extends: revision\nfonts: {body: 12}\n")
    r = run("build", "india-japan", "-l", "revision", "-l", "mine/revision.yaml")
    assert r.exit_code == 2 and "would both write" in r.output


def test_a_user_preset_may_extend_the_shipped_preset_of_its_own_name(project):
    (project / "layouts").mkdir()
    (project / "layouts" / "revision.yaml").write_text("extends: revision\nfonts: {body: 10}\n")
    r = run("build", "india-japan", "-l", "revision", "-j", "1")
    assert r.exit_code == 0, r.output


def test_tags_in_file_names_are_made_safe(project):
    (project / "notes" / "t.yaml").write_text("topic: T\nid: t\nsections:\n  - title: A\n    tags: ['GS II/IR']\n"
                                              "    points: [one]\n")
    r = run("build", "t", "-l", "summary", "-t", "GS II/IR", "-j", "1")
    assert r.exit_code == 0, r.output
    assert [p.name for p in (project / "output" / "t").iterdir()] == ["summary_t-gs-ii-ir.pdf"]


def test_a_single_file_output_does_not_sweep_other_folders(project):
    (project / "other" / "deep").mkdir(parents=True)
    stray = project / "other" / "deep" / ".studynotes-abc.tmp"
    stray.write_text("another build's file")
    r = run("build", "india-japan", "-l", "summary", "-o", "mine.pdf", "-j", "1")
    assert r.exit_code == 0 and stray.exists()


def test_a_broken_file_is_reported_before_a_pick_it_may_hold(project):
    notes = project / "notes" / "india-japan.yaml"
    notes.write_text(notes.read_text().replace("topic: India–Japan Relations", "topic: India **Japan", 1))
    r = run("build", "-l", "revision", "-s", "defence", "-j", "1")
    assert r.exit_code == 1 and "india-japan.yaml:1:" in r.output and "never closes" in r.output


def test_cannot_write_is_a_message_not_a_traceback(project):
    (project / "d.pdf").mkdir()
    r = CliRunner().invoke(main, ["build", "india-japan", "-l", "summary", "-o", "d.pdf", "-j", "1"])
    assert r.exit_code == 1 and "error: cannot write" in r.output
    assert isinstance(r.exception, SystemExit)  # no traceback


def test_check_finds_two_files_with_one_id(project):
    shutil.copy(project / "notes" / "india-japan.yaml", project / "notes" / "dup.yaml")
    r = run("check")
    assert r.exit_code == 1 and "is already used by" in r.output


@pytest.mark.slow
def test_two_builds_into_one_folder_keep_each_others_records(project):
    run("build", "-l", "revision", "-j", "1")
    run("build", "-l", "summary", "-j", "1")
    r = run("build", "-l", "revision", "-l", "summary", "-j", "1")
    assert r.output.strip().endswith("6 up to date")


@pytest.mark.slow
def test_pictures_of_pages_a_pdf_no_longer_has_are_removed(project):
    run("build", "india-japan", "-l", "revision", "--png", "-j", "1")
    out = project / "output/india-japan"
    assert sorted(p.name for p in out.glob("revision-*.png")) == ["revision-1.png", "revision-2.png", "revision-3.png"]
    (out / "revision-9.png").write_bytes(b"a picture of a page the PDF had before")
    run("build", "india-japan", "-l", "revision", "--png", "-j", "1")
    assert sorted(p.name for p in out.glob("revision-*.png")) == ["revision-1.png", "revision-2.png", "revision-3.png"]
