"""A class of 200 through the command line: every copy is there and right, the collated file and its
impositions keep each student on their own sheets, and imposing shares the pages' content, so the
imposed files stay within 1.2× the size of their source. The 2,000-student figures (time, memory)
belong to bench/bench_class.py, not here."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from studynotes.cli import main

ROOT = Path(__file__).resolve().parent.parent
STUDENTS = 200
NAMES = ("Asha Rao", "अनन्या शर्मा", "Ravi Kumar", "Meera D'Souza", "Vikram Iyer")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    shutil.copytree(ROOT / "notes", root / "notes")
    with (root / "class.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["name", "roll", "batch"])
        for k in range(STUDENTS):
            w.writerow([f"{NAMES[k % len(NAMES)]} {k}", str(1000 + k), "B"])
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        r = CliRunner().invoke(main, ["pack", "india-japan", "-l", "summary", "--roster", "class.csv", "--collate",
                                      "--nup", "2", "--booklet", "-o", "out/week.pdf", "-j", "1"])
    assert r.exit_code == 0, r.output
    return root / "out"


def read(path: Path) -> PdfReader:
    return PdfReader(io.BytesIO(path.read_bytes()))


@pytest.mark.parametrize("source, imposed", [
    ("week.pdf", "week-2up.pdf"), ("week.pdf", "week-booklet.pdf"),
    ("week/all-copies.pdf", "week/all-copies-2up.pdf"), ("week/all-copies.pdf", "week/all-copies-booklet.pdf")])
def test_imposed_files_stay_within_1_2_times_their_source(klass, source, imposed):
    a, b = (klass / source).stat().st_size, (klass / imposed).stat().st_size
    assert b <= 1.2 * a, f"{imposed}: {b} bytes against {a} for {source}"


def test_every_student_has_a_copy_stamped_with_their_name(klass):
    folder = klass / "week"
    copies = sorted(p for p in folder.iterdir() if p.name[0].isdigit())
    assert len(copies) == STUDENTS
    assert sorted(p.name for p in folder.iterdir() if not p.name[0].isdigit()) == [
        "all-copies-2up.pdf", "all-copies-booklet.pdf", "all-copies.pdf"]
    for k in (0, 1, 57, 199):
        (copy,) = folder.glob(f"{1000 + k}-*.pdf")
        texts = [p.extract_text() for p in read(copy).pages]
        assert len(texts) == 3
        assert all(f"Roll {1000 + k} · B" in t for t in texts), (k, texts)


def test_the_collated_file_holds_each_copy_in_roster_order_with_its_bookmark(klass):
    r = read(klass / "week/all-copies.pdf")
    assert len(r.pages) == 3 * STUDENTS
    marks = [(str(o.title), r.get_destination_page_number(o)) for o in r.outline]
    assert [page for _, page in marks] == [3 * k for k in range(STUDENTS)]
    assert marks[1] == (f"{NAMES[1]} 1 · Roll 1001 · B", 3)
    for k in (0, 123, 199):
        assert all(f"Roll {1000 + k} · B" in r.pages[3 * k + i].extract_text() for i in range(3)), k


@pytest.mark.parametrize("name, sides_per_copy", [("all-copies-2up.pdf", 2), ("all-copies-booklet.pdf", 2)])
def test_impositions_keep_each_student_on_their_own_sheets(klass, name, sides_per_copy):
    r = read(klass / "week" / name)
    assert len(r.pages) == sides_per_copy * STUDENTS
    for i in range(0, len(r.pages), 23):
        rolls = set(re.findall(r"Roll (\d+) ·", r.pages[i].extract_text()))
        assert rolls == {str(1000 + i // sides_per_copy)}, (i, rolls)
