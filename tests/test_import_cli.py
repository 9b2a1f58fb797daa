"""`make_notes.py import` as a user runs it: what it prints and writes, what it refuses to overwrite,
and hostile inputs (a located error, exit 1, nothing written, no hang)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from limits import time_limit

from studynotes.cli import main
from studynotes.load import markdown
from studynotes.load import notes as loader

SAMPLE = Path(__file__).resolve().parent.parent.parent / "shared" / "sources" / \
    "india-japan-relationship-explained-pointwise.txt"
LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): ")
EPOCH = "1767571200"  # 2026-01-05


def invoke(*args: object, limit: float = 20):
    with time_limit(limit):
        return CliRunner(env={"SOURCE_DATE_EPOCH": EPOCH}).invoke(main, [str(a) for a in args])


def assert_refused(result, out_dir: Path) -> list[re.Match]:
    """Exit 1, no traceback, located problems, and nothing written."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    found = [m for m in map(LOCATED.match, result.output.splitlines()) if m]
    assert found, result.output
    assert not out_dir.exists() or not any(out_dir.iterdir())
    return found


def test_import_prints_what_it_made_and_the_file_passes_check(tmp_path):
    notes = tmp_path / "notes"
    r = invoke("import", SAMPLE, "-o", notes)
    assert r.exit_code == 0, r.output
    target = notes / "india-japan-relationship.yaml"
    assert f"{target}: 6 sections, 92 points, 5 sub-sections; skipped 2 boilerplate lines; dropped 1 empty " \
           "sub-heading 'Other Areas of Cooperation in India Japan Relationship'" in r.output
    assert re.search(r"pointwise\.txt:53:1: warning: sub-heading 'Other Areas", r.output)
    assert target.read_text().startswith("# Imported from india-japan-relationship-explained-pointwise.txt on "
                                         "2026-01-05 by make_notes.py import.")
    assert invoke("check", target).exit_code == 0


@pytest.mark.slow
def test_the_imported_sample_builds_with_every_kind(tmp_path):
    assert invoke("import", SAMPLE, "-o", tmp_path / "notes").exit_code == 0
    r = invoke("build", tmp_path / "notes" / "india-japan-relationship.yaml", "-l", "revision", "-l", "mindmap", "-l",
               "summary", "-o", tmp_path / "out", "-j", "1", limit=120)
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in (tmp_path / "out" / "india-japan-relationship").glob("*.pdf")) == [
        "mindmap.pdf", "revision.pdf", "summary.pdf"]


def test_never_overwrites_without_force(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    target = notes / "india-japan-relationship.yaml"
    target.write_text("mine\n")
    r = invoke("import", SAMPLE, "-o", notes)
    assert r.exit_code == 1 and f"{target}:1:1: already exists: use --force" in r.output
    assert target.read_text() == "mine\n"
    assert invoke("import", SAMPLE, "-o", notes, "--force").exit_code == 0
    assert target.read_text().startswith("# Imported from")


def test_id_names_the_topic_and_the_file(tmp_path):
    r = invoke("import", SAMPLE, "-o", tmp_path, "--id", "ij")
    assert r.exit_code == 0, r.output
    assert loader.load(tmp_path / "ij.yaml").id == "ij"


@pytest.mark.parametrize("args, message", [
    (("--id", "Not An Id"), "is not a valid id"),
    (("--id", "x", "second.txt"), "--id names one topic"),
])
def test_id_mistakes_are_usage_errors(tmp_path, args, message):
    r = invoke("import", SAMPLE, "-o", tmp_path / "notes", *args)
    assert r.exit_code == 2 and message in r.output
    assert not (tmp_path / "notes").exists()


def test_one_bad_file_among_several_writes_nothing(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Title\n\n\xff\xfe broken")
    assert_refused(invoke("import", SAMPLE, bad, "-o", tmp_path / "notes"), tmp_path / "notes")


def test_two_files_for_one_target_are_refused(tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_bytes(SAMPLE.read_bytes())
    r = invoke("import", SAMPLE, copy, "-o", tmp_path / "notes")
    assert "as " in assert_refused(r, tmp_path / "notes")[0].string


@pytest.mark.parametrize("name, message", [("notes.pdf", "cannot import '.pdf' files"),
                                           ("old.doc", "save it as .docx"),
                                           ("missing.txt", "cannot read the file")])
def test_what_cannot_be_imported_is_located(tmp_path, name, message):
    if name != "missing.txt":
        (tmp_path / name).write_bytes(b"x")
    r = invoke("import", tmp_path / name, "-o", tmp_path / "notes")
    [m] = assert_refused(r, tmp_path / "notes")
    assert m["file"] == str(tmp_path / name) and message in m.string


def test_a_folder_in_the_way_is_refused(tmp_path):
    (tmp_path / "notes" / "india-japan-relationship.yaml").mkdir(parents=True)
    r = invoke("import", SAMPLE, "-o", tmp_path / "notes", "--force")
    assert r.exit_code == 1 and "it is a folder" in r.output


def test_an_article_without_questions_imports_flat_with_a_warning(tmp_path):
    src = tmp_path / "flat.txt"
    src.write_text("Flat Piece\n\nA gist sentence. Another one.\n\nMore text here. And here.\n")
    r = invoke("import", src, "-o", tmp_path / "notes")
    assert r.exit_code == 0 and "flat.txt:1:1: warning: no question headings" in r.output


def test_markdown_is_converted_to_yaml_that_loads_as_the_same_topic(tmp_path):
    src = tmp_path / "monsoon.md"
    src.write_text("# Monsoon\n\nThe rains of June.\n\n## Onset {#onset}\n\n- Kerala first\n  - by **June 1**\n"
                   "- Then ==north==\n\n## Retreat\n\n| Month | Event |\n|---|---|\n| Oct | Withdrawal |\n")
    r = invoke("import", src, "-o", tmp_path / "notes")
    assert r.exit_code == 0, r.output
    [out] = (tmp_path / "notes").glob("*.yaml")
    from_yaml = loader.load(out)
    from_md = markdown.load(src)
    assert from_yaml.sections == from_md.sections and from_yaml.title == from_md.title
    assert from_yaml.summary == from_md.summary


def test_markdown_beside_its_yaml_is_warned_about(tmp_path):
    (tmp_path / "m.md").write_text("# M\n\n## S\n\n- p\n")
    r = invoke("import", tmp_path / "m.md", "-o", tmp_path)
    assert r.exit_code == 0 and "m.md and m.yaml now both hold the topic 'm'" in r.output


def test_import_twice_gives_the_same_bytes(tmp_path):
    invoke("import", SAMPLE, "-o", tmp_path / "a")
    invoke("import", SAMPLE, "-o", tmp_path / "b")
    assert (tmp_path / "a" / "india-japan-relationship.yaml").read_bytes() == \
        (tmp_path / "b" / "india-japan-relationship.yaml").read_bytes()


# ------------------------------------------------------------------ hostile inputs

def _fake_docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")  # a spreadsheet renamed to .docx


HOSTILE = {
    "binary.txt": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "binary file"),
    "latin1.txt": (lambda p: p.write_bytes("Titre\n\nCafé".encode("latin-1")), "not valid UTF-8"),
    "spreadsheet.docx": (_fake_docx, "no word/document.xml"),
    "huge.txt": (lambda p: p.write_bytes(b"Title\n\n" + b"Words and more words. " * 240_000), "5.0 MiB"),
    "empty.md": (lambda p: p.write_bytes(b""), "the file is empty"),
    "deep.md": (lambda p: p.write_text("# Deep\n\n" + "".join("  " * i + f"- level {i}\n" for i in range(10))
                                       + "\n" + "".join("#" * min(i, 6) + f" h{i}\n\ntext\n\n" for i in range(2, 12))),
                None),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_inputs(tmp_path, name):
    make, message = HOSTILE[name]
    src = tmp_path / name
    make(src)
    r = invoke("import", src, "-o", tmp_path / "notes", limit=10)
    if message is None:  # a clean result: what the Markdown reader keeps, the YAML keeps
        assert r.exit_code == 0, r.output
        [out] = (tmp_path / "notes").glob("*.yaml")
        assert "level 9" in out.read_text() and "h11" in out.read_text()
        return
    found = assert_refused(r, tmp_path / "notes")
    assert found[0]["file"] == str(src) and message in found[0].string
