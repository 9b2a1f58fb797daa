"""The command line through click's CliRunner: commands, flags, names, messages and exit codes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pdfcheck import outline_titles, page_texts, reader, squash

from studynotes.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def project(tmp_path, monkeypatch):
    """A copy of the sample notes in a fresh folder, as a user's checkout would be."""
    # the three humanities samples, which the counts here are of (the science sample: test_formula.py)
    shutil.copytree(ROOT / "notes", tmp_path / "notes", ignore=shutil.ignore_patterns("kinematics.yaml"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_no_arguments_builds_every_topic_with_the_default_layouts(project):
    result = run()
    assert result.exit_code == 0, result.output
    pdfs = sorted(str(p.relative_to(project)) for p in (project / "output").rglob("*.pdf"))
    assert pdfs == [f"output/{t}/{kind}.pdf" for t in ("fundamental-rights", "india-japan", "indian-monsoon")
                    for kind in ("mindmap", "revision", "summary")]
    assert "wrote 9 files" in result.output
    for p in pdfs:
        assert p in result.output
    leftovers = [p.name for p in (project / "output").rglob("*") if p.is_file() and not p.name.endswith(".pdf")]
    assert leftovers == [".studynotes-cache.json"]  # the record of what is up to date: no temporary file


def test_build_one_topic_reports_path_pages_and_size(project):
    result = run("build", "india-japan", "-l", "revision")
    assert result.exit_code == 0
    pdf = (project / "output/india-japan/revision.pdf").read_bytes()
    pages = len(reader(pdf).pages)
    line = [ln for ln in result.output.splitlines() if "revision.pdf" in ln][0]
    assert f"{pages} pages" in line and "KB" in line


def test_section_picks_exclusion_and_tags_change_content_and_name(project):
    assert run("build", "india-japan", "-s", "defence", "-s", "economy").exit_code == 0
    pdf = (project / "output/india-japan/revision_s-defence_s-economy.pdf").read_bytes()
    titles = outline_titles(pdf)
    assert "3 Current status of the relationship" in titles  # parent kept as context
    assert "3.1 Strategic and defence cooperation" in titles and "3.2 Economic ties and trade" in titles
    assert not any("evolved" in t for t in titles)
    text = squash("".join(page_texts(pdf)))
    assert squash("Dharma Guardian") in text and squash("US$ 13.7 bn") in text
    assert squash("Look East") not in text

    assert run("build", "india-japan", "-x", "issues").exit_code == 0
    titles = outline_titles((project / "output/india-japan/revision_x-issues.pdf").read_bytes())
    assert not any("Issues" in t for t in titles) and any("Conclusion" in t for t in titles)

    assert run("build", "-t", "defence").exit_code == 0
    assert (project / "output/india-japan/revision_t-defence.pdf").exists()


def test_unknown_topic_section_tag_and_layout_name_the_closest(project):
    r = run("build", "india-japn")
    assert r.exit_code == 2 and "did you mean 'india-japan'" in r.output
    r = run("build", "india-japan", "-s", "defense")
    assert r.exit_code == 2 and "no section 'defense'" in r.output and "defence" in r.output
    r = run("build", "india-japan", "-l", "revison")
    assert r.exit_code == 2 and "did you mean 'revision'" in r.output
    r = run("build", "india-japan", "-t", "defense")
    assert r.exit_code == 2 and "'defence'" in r.output
    assert not (project / "output").exists()


def test_a_bad_topic_is_reported_exit_1_and_the_others_are_still_built(project):
    (project / "notes" / "broken.yaml").write_text("topic: Broken\nsections:\n  - title: A\n    pionts: [x]\n")
    r = run()
    assert r.exit_code == 1
    assert "notes/broken.yaml:4:5: sections[0]: unknown key 'pionts' (did you mean 'points'" in r.output
    assert "Traceback" not in r.output
    assert "9 written, 1 failed" in r.output
    assert not (project / "output" / "broken").exists()
    assert (project / "output" / "india-japan" / "revision.pdf").exists()


def test_dash_o_names_the_file_for_one_output_and_a_folder_otherwise(project):
    r = run("build", "india-japan", "-l", "revision", "-o", "mine.pdf")
    assert r.exit_code == 0 and (project / "mine.pdf").exists()
    r = run("build", "-o", "all.pdf")
    assert r.exit_code == 2 and "names one file" in r.output
    r = run("build", "india-japan", "-o", "elsewhere")
    assert r.exit_code == 0 and (project / "elsewhere/india-japan/revision.pdf").exists()


def test_paper_landscape_grayscale_flags(project):
    r = run("build", "india-japan", "--paper", "Letter", "--landscape", "--grayscale")
    assert r.exit_code == 0
    pdf = (project / "output/india-japan/revision_letter_landscape_gray.pdf").read_bytes()
    box = reader(pdf).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (792, 612)
    r = run("build", "india-japan", "--paper", "A3")
    assert r.exit_code == 2


def test_a_path_to_any_notes_file_works(project, tmp_path):
    other = tmp_path / "elsewhere" / "my-topic.yaml"
    other.parent.mkdir()
    other.write_text("topic: Mine\nsections:\n  - title: Only\n    points: [one point]\n")
    r = run("build", str(other))
    assert r.exit_code == 0 and (project / "output/my-topic/revision.pdf").exists()


def test_rebuild_gives_identical_bytes(project):
    pdf = project / "output/indian-monsoon/revision.pdf"
    run("build", "indian-monsoon", "-l", "revision")
    first, inode = pdf.read_bytes(), pdf.stat().st_ino
    again = run("build", "indian-monsoon", "-l", "revision", "--force")  # rendered again, not found up to date
    assert again.output.strip().endswith("1 written") and pdf.stat().st_ino != inode
    assert pdf.read_bytes() == first


def test_list_check_and_layouts(project):
    r = run("list", "india-japan")
    assert r.exit_code == 0
    for sid in ("evolution", "current-status", "defence", "economy", "issues", "way-forward"):
        assert sid in r.output
    r = run("check")
    assert r.exit_code == 0 and "3 file(s) OK" in r.output
    (project / "bad.yaml").write_text("topic: X\nsections: []\n")
    r = run("check", "bad.yaml")
    assert r.exit_code == 1 and "bad.yaml:2:11: sections: a topic needs at least one section" in r.output
    r = run("layouts")
    assert r.exit_code == 0 and "revision-landscape" in r.output and "3 columns" in r.output


def test_user_preset_extends_a_shipped_one(project):
    (project / "layouts").mkdir()
    (project / "layouts" / "big.yaml").write_text("extends: revision\ndescription: big type\nfonts: {body: 11}\n")
    r = run("build", "india-japan", "-l", "big", "-l", "revision")
    assert r.exit_code == 0, r.output
    big = reader((project / "output/india-japan/big.pdf").read_bytes())
    normal = reader((project / "output/india-japan/revision.pdf").read_bytes())
    assert len(big.pages) > len(normal.pages)
    (project / "layouts" / "bad.yaml").write_text("extends: revision\nfonts: {body: 3}\n")
    r = run("build", "india-japan", "-l", "bad")
    assert r.exit_code == 1 and "layouts/bad.yaml:2:15: fonts.body: must be between 7 and 16, found 3" in r.output


def test_help_lists_every_command_and_flag():
    out = run("--help").output
    for cmd in ("build", "list", "check", "layouts"):
        assert cmd in out
    out = run("build", "--help").output
    for flag in ("--layout", "--section", "--exclude", "--tag", "--paper", "--landscape", "--grayscale", "--out",
                 "--notes"):
        assert flag in out


@pytest.mark.slow
def test_make_notes_py_runs_the_cli(project):
    env = dict(os.environ)
    r = subprocess.run([sys.executable, str(ROOT / "make_notes.py"), "build", "india-japan", "-s", "conclusion"],
                       capture_output=True, text=True, cwd=project, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    assert (project / "output/india-japan/revision_s-conclusion.pdf").exists()
