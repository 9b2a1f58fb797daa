"""The practice kinds in a class pack, end to end: a worksheet, a quiz with a paper per student and
duplex flashcards. Students' copies hold no answer key, the teacher's file holds every one, each
student's quiz carries their own code, and card fronts stay on right-hand pages."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pdfcheck import page_texts

from studynotes.cli import main

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    where = tmp_path_factory.mktemp("practice")
    shutil.copytree(ROOT / "notes", where / "notes")
    (where / "class.csv").write_text("name,roll\nAsha Rao,11\nRavi Kumar,12\nMeena Iyer,13\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["pack", "india-japan", "-l", "worksheet", "-l", "quiz", "-l", "cards",
                                       "--duplex", "--roster", str(where / "class.csv"), "--per-student", "--collate",
                                       "--notes", str(where / "notes"), "-o", str(where / "week.pdf")])
    assert result.exit_code == 0, result.output
    return where, result.output


def texts(path: Path) -> list[str]:
    return page_texts(path.read_bytes())


def test_students_copies_have_no_answer_key_and_the_teacher_has_them_all(pack):
    where, output = pack
    copies = sorted((where / "week").glob("1*-*.pdf"))
    assert len(copies) == 3
    for copy in copies:
        text = "\n".join(texts(copy))
        assert "Answer key" not in text and "\nAnswers\n" not in f"\n{text}\n"
        assert "handed out separately" in text  # the worksheet says where its answers are
    teacher = "\n".join(texts(where / "week-answers.pdf"))
    assert teacher.count("Answer key") >= 3  # one key per student's paper
    assert "Answers" in teacher  # the worksheet's answers
    assert "week-answers.pdf" in output and "not in the pack" in output


def test_each_student_gets_a_paper_of_their_own_code_and_the_key_has_a_row_for_each(pack):
    where, _ = pack
    for roll, copy in zip(("11", "12", "13"), sorted((where / "week").glob("1*-*.pdf")), strict=True):
        quiz = [t for t in texts(copy) if "Practice test" in t]
        assert quiz and all(f"Code {roll}" in t for t in quiz), roll
    rows = list(csv.DictReader((where / "week-key.csv").read_text(encoding="utf-8").splitlines()))
    assert {r["variant"] for r in rows} == {"11", "12", "13"}
    by = {v: [r["question"] for r in rows if r["variant"] == v] for v in ("11", "12")}
    assert sorted(by["11"]) == sorted(by["12"]) and by["11"] != by["12"]  # the same questions, another order
    assert not (where / "week-12.pdf").exists()  # papers of one student are their copies, not packs


def test_card_fronts_are_on_right_hand_pages(pack):
    where, _ = pack
    pages = texts(where / "week" / "11-Asha-Rao.pdf")
    fronts = [k + 1 for k, t in enumerate(pages) if "· fronts " in t]
    backs = [k + 1 for k, t in enumerate(pages) if "· backs " in t]
    assert fronts and all(n % 2 == 1 for n in fronts) and [n + 1 for n in fronts] == backs
