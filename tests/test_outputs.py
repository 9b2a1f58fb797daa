"""Where outputs go: every kind of ``-o`` target, default pack names, and the messages about them.

Only a regular file (or nothing) is ever replaced: a folder, a named pipe or a symbolic link at
the target is refused before anything is rendered, and named as the user wrote it (never as the
temporary file beside it). Devices behave like pipes here; they are not tested on real devices.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from limits import time_limit
from pypdf import PdfWriter

from studynotes import build, names
from studynotes.cli import main
from studynotes.errors import UsageError, WriteError
from studynotes.files import TMP_PREFIX, write_atomic

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import synth  # noqa: E402

BROKEN = "topic: Broken\nsections: [a, b\n"  # an unclosed flow list: a YAML syntax error on line 3


@pytest.fixture()
def tiny(tmp_path, monkeypatch):
    """A folder with one tiny topic (synth-000), so that every build here renders in a blink."""
    synth.write(tmp_path / "notes", 1, small=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)




def specials(folder: Path) -> dict[str, Path]:
    """One of each thing that is not a regular file, each named like a PDF."""
    folder.mkdir(exist_ok=True)
    os.mkfifo(folder / "fifo.pdf")
    (folder / "real.pdf").write_bytes(b"the file a link leads to")
    (folder / "link.pdf").symlink_to("real.pdf")
    (folder / "dangling.pdf").symlink_to("nowhere.pdf")
    (folder / "dir.pdf").mkdir()
    return {"fifo": folder / "fifo.pdf", "link": folder / "link.pdf", "dangling": folder / "dangling.pdf",
            "dir": folder / "dir.pdf"}


SAYS = {"fifo": "it is a named pipe (FIFO), not a file", "link": "it is a symbolic link to real.pdf",
        "dangling": "it is a symbolic link to nowhere.pdf", "dir": "it is a folder, not a file"}


def unchanged(targets: dict[str, Path]) -> None:
    folder = targets["fifo"].parent
    assert targets["fifo"].is_fifo() and targets["link"].is_symlink() and targets["dangling"].is_symlink()
    assert (folder / "real.pdf").read_bytes() == b"the file a link leads to"
    assert targets["dir"].is_dir() and not any(targets["dir"].iterdir())
    assert not list(folder.glob(f"{TMP_PREFIX}*"))


# ---------------------------------------------------------------- write_atomic, the one place


@pytest.mark.parametrize("kind", ["fifo", "link", "dangling", "dir"])
def test_only_a_regular_file_is_ever_replaced(tmp_path, kind):
    targets = specials(tmp_path / "out")
    with time_limit(5), pytest.raises(WriteError) as info:
        write_atomic(targets[kind], b"%PDF-")
    assert str(info.value).startswith(f"cannot write {targets[kind]}: {SAYS[kind]}")
    unchanged(targets)


def test_a_regular_file_with_two_names_is_replaced_as_before(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"old")
    os.link(tmp_path / "a.pdf", tmp_path / "b.pdf")
    write_atomic(tmp_path / "a.pdf", b"new")
    assert (tmp_path / "a.pdf").read_bytes() == b"new"


# ---------------------------------------------------------------- through the commands


@pytest.mark.parametrize("kind", ["fifo", "link", "dangling", "dir"])
def test_build_refuses_a_target_that_is_not_a_file_before_rendering(tiny, kind, monkeypatch):
    targets = specials(tiny / "out")
    monkeypatch.setattr(build, "run", lambda *a, **k: pytest.fail("rendered before refusing the target"))
    with time_limit(10):
        r = run("build", "synth-000", "-l", "summary", "-o", str(targets[kind]), "-j", "1")
    assert r.exit_code == 1
    assert r.output.strip().splitlines()[-1] == f"error: cannot write {targets[kind]}: {SAYS[kind]}" + (
        "; name the file itself, or remove the link" if "link" in SAYS[kind] else "; name another file")
    unchanged(targets)


@pytest.mark.parametrize("kind", ["fifo", "link"])
def test_pack_refuses_a_target_that_is_not_a_file(tiny, kind):
    targets = specials(tiny / "out")
    with time_limit(10):
        r = run("pack", "synth-000", "-l", "summary", "-o", str(targets[kind]), "-j", "1")
    assert r.exit_code == 1 and f"error: cannot write {targets[kind]}: {SAYS[kind]}" in r.output
    unchanged(targets)


@pytest.mark.parametrize("kind", ["fifo", "link", "dir"])
def test_impose_refuses_a_target_that_is_not_a_file_and_names_it(tmp_path, monkeypatch, kind):
    monkeypatch.chdir(tmp_path)
    pdf = PdfWriter()
    pdf.add_blank_page(595, 842)
    pdf.add_blank_page(595, 842)
    pdf.write(tmp_path / "in.pdf")
    targets = specials(tmp_path / "out")
    with time_limit(10):
        r = run("impose", "in.pdf", "--nup", "2", "-o", str(targets[kind]))
    assert r.exit_code == 1 and f"error: cannot write {targets[kind]}: {SAYS[kind]}" in r.output
    assert TMP_PREFIX not in r.output
    unchanged(targets)


def test_an_upper_case_pdf_suffix_is_counted_as_written(tiny):
    r = run("build", "synth-000", "-l", "summary", "-o", "out/UP.PDF", "-j", "1")
    assert r.exit_code == 0 and (tiny / "out/UP.PDF").is_file()
    assert r.output.strip().splitlines()[-1] == "1 written"


# ---------------------------------------------------------------- a broken notes file with -o FILE.pdf


@pytest.mark.parametrize("extra", [[], ["--png"]])
def test_a_broken_file_with_o_file_reports_the_file_not_the_count(tiny, extra):
    (tiny / "broken.yaml").write_text(BROKEN)
    r = run("build", "broken.yaml", "-l", "summary", "-o", "out/some.pdf", "-j", "1", *extra)
    assert r.exit_code == 1, r.output
    assert "broken.yaml:3:1: YAML syntax" in r.output and "names one file" not in r.output
    assert not (tiny / "out" / "some.pdf").exists()


def test_a_broken_file_in_a_notes_folder_named_by_id_with_o_file(tiny):
    (tiny / "notes" / "synth-000.yaml").write_text(BROKEN)
    r = run("build", "synth-000", "--notes", "notes", "-l", "summary", "-o", "out/some.pdf", "-j", "1")
    assert r.exit_code == 1 and "notes/synth-000.yaml:3:1: YAML syntax" in r.output, r.output


def test_a_broken_file_still_counts_towards_one_file_for_two_outputs(tiny):
    (tiny / "broken.yaml").write_text(BROKEN)
    with pytest.raises(UsageError, match="names one file, but this build makes 2 PDFs"):
        build.incremental(("broken.yaml", "synth-000"), Path("notes"), ("summary",), ((), (), ()), {},
                          Path("out/some.pdf"), 1)


def test_list_never_says_nothing_was_written(tiny):
    (tiny / "notes" / "gone.yaml").symlink_to("nowhere.yaml")  # a problem of the folder, before any file
    r = run("list")
    assert r.exit_code == 1 and "gone.yaml:1:1" in r.output and "written" not in r.output
    (tiny / "notes" / "gone.yaml").unlink()
    (tiny / "notes" / "broken.yaml").write_text(BROKEN)
    r = run("list")
    assert r.exit_code == 1 and "broken.yaml:3:1" in r.output and "written" not in r.output


# ---------------------------------------------------------------- default pack names


@pytest.mark.parametrize("text, stem", [
    ("इतिहास सप्ताह 3", "इतिहास-सप्ताह-3"),
    ("भूगोल सप्ताह 3", "भूगोल-सप्ताह-3"),
    ("Week 3: India/Japan", "Week-3-India-Japan"),
    ("../../etc/passwd", "etc-passwd"),
    (".hidden", "hidden"),
    ("-rf", "rf"),
    ("a/b\\c", "a-b-c"),
    ("😀 Emoji Kid", "Emoji-Kid"),
    ("محمد علي", "محمد-علي"),
    ("क्\u200dष", "क्ष"),           # an invisible joiner inside a word is dropped, not a hyphen
    ("Re\u0301sume\u0301", "Résumé"),  # one form (NFC) whatever the keyboard wrote
    ("!!!", ""),
])
def test_a_file_stem_keeps_the_letters_of_any_script(text, stem):
    assert names.file_stem(text) == stem


def test_a_long_file_stem_is_cut_between_letters_not_inside_one():
    stem = names.file_stem("x" + "कि" * 40)  # a consonant and its vowel sign forty times: the 61st is a sign
    assert len(stem) == 59 and stem.endswith("कि")


@pytest.mark.parametrize("title, name", [("इतिहास सप्ताह 3", "इतिहास-सप्ताह-3.pdf"), ("Week 3", "week-3.pdf"),
                                         ("CON", "con-pack.pdf"), ("***", "pack.pdf")])
def test_a_default_pack_name_keeps_the_title(tmp_path, title, name):
    assert build.pack_target(title, folder=tmp_path) == tmp_path / name


def pack_titled(path: Path, title: str) -> None:
    pdf = PdfWriter()
    pdf.add_blank_page(100, 100)
    pdf.add_metadata({"/Title": title})
    pdf.write(path)


def test_a_pack_of_another_title_is_not_replaced_without_force(tmp_path):
    pack_titled(tmp_path / "week-3-india-japan.pdf", "Week 3: India/Japan")
    with pytest.raises(UsageError) as info:
        build.pack_target("Week 3 — India & Japan", folder=tmp_path)
    assert str(info.value) == (f"{tmp_path}/week-3-india-japan.pdf already holds the pack 'Week 3: India/Japan'; "
                               "this pack is 'Week 3 — India & Japan'. Name another file with -o, or replace it "
                               "with --force")
    assert build.pack_target("Week 3 — India & Japan", force=True, folder=tmp_path).name == "week-3-india-japan.pdf"
    assert build.pack_target("Week 3: India/Japan", folder=tmp_path).name == "week-3-india-japan.pdf"  # itself


def test_a_file_that_is_no_pack_is_not_replaced_without_force(tmp_path, caplog):
    (tmp_path / "week-3.pdf").write_bytes(b"hello, not a PDF")
    with pytest.raises(UsageError, match="already holds a file that is not a pack"):
        build.pack_target("Week 3", folder=tmp_path)
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]  # its complaints are not printed


def test_two_devanagari_packs_get_two_files_and_a_third_title_is_refused(tiny):
    one = run("pack", "synth-000", "-l", "summary", "--title", "इतिहास सप्ताह 3", "-j", "1")
    two = run("pack", "synth-000", "-l", "summary", "--title", "भूगोल सप्ताह 3", "-j", "1")
    assert one.exit_code == 0 and two.exit_code == 0, one.output + two.output
    assert sorted(p.name for p in (tiny / "output").glob("*.pdf")) == ["इतिहास-सप्ताह-3.pdf", "भूगोल-सप्ताह-3.pdf"]
    before = (tiny / "output" / "इतिहास-सप्ताह-3.pdf").read_bytes()
    clash = run("pack", "synth-000", "-l", "summary", "--title", "इतिहास: सप्ताह 3", "-j", "1")
    assert clash.exit_code == 2 and "--force" in clash.output
    assert (tiny / "output" / "इतिहास-सप्ताह-3.pdf").read_bytes() == before
    again = run("pack", "synth-000", "-l", "summary", "--title", "इतिहास सप्ताह 3", "-j", "1")
    assert again.exit_code == 0  # the same pack again replaces itself
    forced = run("pack", "synth-000", "-l", "summary", "--title", "इतिहास: सप्ताह 3", "-j", "1", "--force")
    assert forced.exit_code == 0
