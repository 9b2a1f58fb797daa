"""Answer keys never reach students: in a pack, the parts' teacher pages (``Rendered.answers``) go
into a separate file of the teacher's, and fronts-and-backs parts (duplex flashcards) start on a
right-hand page so every back stays behind its front. Made-up parts, nothing rendered."""

from __future__ import annotations

import io
from pathlib import Path

from pdfcheck import page_texts, reader
from reportlab.pdfgen.canvas import Canvas

from studynotes.finish.options import PackOptions
from studynotes.finish.pack import Group, PackInfo, Part, assemble, plan_pages
from studynotes.finish.packs import answers_path, finish_pack, join_tables
from studynotes.load import presets
from studynotes.load.roster import Student
from studynotes.model import Topic
from studynotes.render import Extra, Rendered

A4 = presets.PAPERS["A4"]


def part_pdf(label: str, pages: int, answers: int = 0) -> bytes:
    """A part of ``pages`` pages, the last ``answers`` of them saying ANSWER, each with a bookmark."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4)
    for k in range(pages):
        word = "ANSWER" if k >= pages - answers else "QUESTION"
        c.drawString(72, 700, f"{label} {word} {k + 1}")
        c.bookmarkPage(f"p{k}")
        c.addOutlineEntry(f"{label} {word.lower()} {k + 1}", f"p{k}", level=0)
        c.showPage()
    c.save()
    return buf.getvalue()


def part(topic: str, kind: str, pages: int, answers: int = 0, **kw) -> Part:
    layout = presets.load("summary")
    rendered = Rendered(part_pdf(f"{topic.upper()}-{kind.upper()}", pages, answers), pages, answers=answers, **kw)
    return Part(Topic(topic, topic.title(), ()), layout, rendered)


PARTS = [part("alpha", "sheet", 2), part("alpha", "quiz", 3, answers=1), part("beta", "quiz", 4, answers=2)]


def test_the_pack_has_every_students_page_and_no_answer_page():
    pack = assemble(PARTS, PackInfo("Week 3"))
    text = "\n".join(page_texts(pack.pdf))
    assert "ANSWER" not in text
    assert text.count("QUESTION") == 2 + 2 + 2
    assert pack.pages == 2 + 6  # cover, contents, then the students' pages


def test_the_teachers_file_has_every_answer_page_and_nothing_else():
    key = assemble(PARTS, PackInfo("Week 3 — answers"), answers=True)
    texts = page_texts(key.pdf)
    body = "\n".join(texts[key.front:])
    assert "QUESTION" not in body
    assert [line.split()[0] for line in body.splitlines() if "ANSWER" in line] == \
        ["ALPHA-QUIZ", "BETA-QUIZ", "BETA-QUIZ"]
    # bookmarks of the answer pages lead to them; those of the students' pages are gone
    r = reader(key.pdf)
    titles = [item.title for item in _flat(r.outline)]
    assert "ALPHA-QUIZ answer 3" in titles and not any("question" in t for t in titles)


def _flat(items):
    for item in items:
        if isinstance(item, list):
            yield from _flat(item)
        else:
            yield item


def test_a_pack_with_a_roster_writes_the_answers_for_the_teacher_only(tmp_path: Path):
    target = tmp_path / "week3.pdf"
    students = [Student("Asha Rao", "1"), Student("Ravi Kumar", "2")]
    csv = b"variant,number,answer\nA,1,b\n"
    parts = [*PARTS[:2], part("beta", "quiz", 4, answers=2, extras=(Extra("-key.csv", csv),))]
    result = finish_pack(parts, PackInfo("Week 3"), students, PackOptions(target, collate=True))
    copies = [w.path for w in result.written if w.path.parent == tmp_path / "week3"]
    assert len(copies) == 3  # two students and the collated file
    for copy in copies:
        assert "ANSWER" not in "\n".join(page_texts(copy.read_bytes()))
    assert "ANSWER" in "\n".join(page_texts(answers_path(target).read_bytes()))
    assert (tmp_path / "week3-key.csv").read_bytes() == csv
    noted = [n for w in result.written for n in w.notes]
    assert any("week3-answers.pdf" in n and "not in the pack" in n for n in noted)


def test_no_teachers_file_when_no_part_has_answers(tmp_path: Path):
    target = tmp_path / "plain.pdf"
    finish_pack(PARTS[:1], PackInfo("Plain"), [], PackOptions(target))
    assert target.exists() and not answers_path(target).exists()


def test_key_tables_join_under_one_header():
    assert join_tables([b"a,b\n1,2\n", b"a,b\n3,4\n"]) == b"a,b\n1,2\n3,4\n"


def test_fronts_and_backs_start_on_a_right_hand_page_when_double_sided():
    # cover + contents = 2 pages; the sheet takes physical pages 3-5, so the cards would start on page 6 (left)
    groups = [Group("Alpha", ("Revision sheet", "Flashcards"), paired=(False, True))]
    plan = plan_pages(groups, [[A4] * 3, [A4] * 4], 39, duplex=True)
    assert plan.first_page == (2, 6)
    assert [s.kind for s in plan.slots][5] == "blank"
    single = plan_pages(groups, [[A4] * 3, [A4] * 4], 39, duplex=False)
    assert single.first_page == (2, 5)  # one-sided: no blank
    unpaired = plan_pages([Group("Alpha", ("Revision sheet", "Mind map"))], [[A4] * 3, [A4] * 4], 39, duplex=True)
    assert unpaired.first_page == (2, 5)


def test_each_student_gets_the_paper_of_their_series_and_the_teacher_every_key(tmp_path: Path):
    from studynotes.finish.packs import Paper, series_path

    sheet = part("alpha", "sheet", 2)
    papers = [Paper(code, [sheet, part("alpha", f"quiz{code}", 3 + k, answers=1)]) for k, code in enumerate("AB")]
    students = [Student(f"Student {k}", str(k + 1)) for k in range(4)]
    target = tmp_path / "week3.pdf"
    finish_pack(papers[0].parts, PackInfo("Week 3"), students, PackOptions(target, collate=True),
                papers=papers, which=[0, 1, 0, 1])
    for k in range(len(students)):
        text = "\n".join(page_texts((tmp_path / "week3" / f"{k + 1}-Student-{k}.pdf").read_bytes()))
        assert f"QUIZ{'AB'[k % 2]} QUESTION" in text and f"QUIZ{'BA'[k % 2]}" not in text
        assert "ANSWER" not in text
    collated = page_texts((tmp_path / "week3" / "all-copies.pdf").read_bytes())
    quizzes = [t.split("ALPHA-QUIZ")[1][0] for t in collated if "ALPHA-QUIZ" in t]
    assert "".join(dict.fromkeys(quizzes)) == "AB" and quizzes[:2] == ["A", "A"]
    # B's paper has a page more: every copy is padded to the longest, so copies stay in step
    assert len(collated) == 4 * len(page_texts(target.read_bytes()))
    assert "QUIZB" in "\n".join(page_texts(series_path(target, "B").read_bytes()))
    key = "\n".join(page_texts(answers_path(target).read_bytes()))
    assert "ALPHA-QUIZA ANSWER" in key and "ALPHA-QUIZB ANSWER" in key
