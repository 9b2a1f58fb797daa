"""The cloze worksheet: its decisions on the plan (answers, numbers, widths, the leak check, the word
bank), and on the PDF what only the PDF shows (no answer in the sheet's text, every one in the answers,
blanks drawn where and as wide as planned, in reading order)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pdfcheck import page_texts
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth

from studynotes import markup, select
from studynotes.cli import main
from studynotes.load import notes as loader
from studynotes.load import presets
from studynotes.render import worksheet
from studynotes.render._worksheet_cloze import Cloze, sheet_texts
from studynotes.render.worksheet import (
    MIN_BLANK,
    alphabetical,
    answer_lines,
    blank_width,
    bullet_overflow,
    pick_distractors,
)
from studynotes.style import MM

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "notes" / "india-japan.yaml"


def layout(**settings):
    return presets.load("worksheet").adjusted(**settings)


@pytest.fixture(scope="module")
def topic():
    return loader.load(SAMPLE)


@pytest.fixture(scope="module")
def sheet(topic):
    """The sample topic's worksheet: the plan, the PDF and the blanks as drawn (one build for the file)."""
    p = worksheet.plan(topic, layout())
    rendered, drawn = worksheet.drawn(p)
    return p, rendered, drawn


def flat(text: str) -> str:
    """Extracted text with its line breaks as spaces (no-break spaces after blanks too)."""
    return " ".join(text.split())


def shows(answer: str, text: str) -> bool:
    """Whether the answer reads in the text as a phrase of its own (not inside a longer word)."""
    body = r"\s+".join(re.escape(w) for w in answer.split())
    flags = re.IGNORECASE if any(c.islower() for c in answer) else 0
    return re.search(rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])", text, flags) is not None


def tiny(yaml: str, tmp_path: Path, name: str = "tiny"):
    src = tmp_path / f"{name}.yaml"
    src.write_text(yaml, encoding="utf-8")
    return loader.load(src)


LEAKY = """\
topic: Leaks
subject: Test
sections:
  - id: one
    title: The Look East years
    points:
      - India's ==Look East== policy began in the 1990s
      - Peace treaty in ==April 1952==
      - The ==2+2== meeting and the ==Special Strategic and Global Partnership==
    timeline:
      - {when: April 1952, what: Peace treaty}
  - id: two
    title: Later
    points:
      - Upgraded in ==2014==; the 2+2 talks followed
      - A ==Quad== summit, backed by the ==US==
    cards:
      - {q: "When was the ==peace treaty== signed?", a: April 1952}
"""


# -- the decisions, on numbers ---------------------------------------------------------


def test_a_blank_is_the_printed_width_widened_for_handwriting_at_least_20_mm_and_at_most_the_cap():
    assert blank_width(0, 300) == pytest.approx(MIN_BLANK)
    assert MIN_BLANK == pytest.approx(20 * MM)
    assert blank_width(100, 300) == pytest.approx(100 * worksheet.HAND + worksheet.PAD)
    assert blank_width(1000, 180) == 180


def test_the_word_bank_is_alphabetical_ignoring_case_and_without_repeats():
    assert alphabetical(["monsoon", "ACSA", "Look East", "acsa", "ACSA"]) == ["ACSA", "acsa", "Look East", "monsoon"]


def test_distractors_are_the_same_on_every_build_and_differ_by_topic():
    pool = [f"phrase {i}" for i in range(20)]
    assert pick_distractors(pool, 4, "india-japan") == pick_distractors(list(reversed(pool)), 4, "india-japan")
    assert pick_distractors(pool, 4, "india-japan") != pick_distractors(pool, 4, "monsoon")
    assert len(pick_distractors(pool[:2], 4, "x")) == 2


def test_a_wide_bullet_pushes_the_first_line_and_so_shortens_its_room():
    st = ParagraphStyle("p", fontName="Helvetica", fontSize=8, bulletFontName="Helvetica", bulletFontSize=8,
                        leftIndent=19, bulletIndent=11)
    assert bullet_overflow(st, "–") == pytest.approx(11 + stringWidth("–", "Helvetica", 8) + 4.8 - 19)
    assert bullet_overflow(st, "") == 0


def test_every_line_with_a_blank_has_the_room_to_write_above_it_also_when_the_blank_opens_it():
    st = ParagraphStyle("p", fontName="Helvetica", fontSize=9, leading=11, autoLeading="max")
    slots = {0: worksheet.Slot(1, 150, 12, 7), 1: worksheet.Slot(2, 150, 12, 7)}
    blank = '<onDraw name="blank" label="{}"/>' + worksheet.AFTER
    para = worksheet._slots(worksheet.BlankPara(f"{blank.format(0)} opens; then words that fill the line and "
                                                f"{blank.format(1)} does not fit after them", st), slots, 17)
    para.wrap(200, 1000)
    with_blank = [line for line in para.blPara.lines if any(hasattr(f, "cbDefn") for f in line.words)]
    assert len(with_blank) == 2 and all(line.ascent >= 17 for line in with_blank)
    assert para.height == pytest.approx(sum(max(line.ascent - line.descent, 11) for line in para.blPara.lines))


def test_questions_get_two_to_four_ruled_lines_by_the_length_of_their_answer():
    assert answer_lines(10, 200) == 2
    assert answer_lines(390, 200) == 4
    assert answer_lines(5000, 200) == 4


# -- the cloze and the leak check -----------------------------------------------------------


def test_answers_are_numbered_by_their_first_blank_and_a_repeat_keeps_its_number(tmp_path):
    c = Cloze.of(sheet_texts(tiny(LEAKY, tmp_path)))
    # Look East is in a heading: it stays in clear (the next test)
    assert c.answers == ["April 1952", "2+2", "Special Strategic and Global Partnership", "2014", "Quad", "US"]
    # the timeline repeats April 1952 and the second section's point repeats 2+2: blanked there, same numbers
    assert c.parts("April 1952") == (1,)
    parts = c.parts("Upgraded in ==2014==; the 2+2 talks followed")
    assert [p for p in parts if isinstance(p, int)] == [4, 2]
    assert set(c.repeated) == {"April 1952", "2+2"}


def test_a_key_phrase_in_a_question_prints_and_is_no_answer(tmp_path):
    c = Cloze.of(sheet_texts(tiny(LEAKY, tmp_path)))
    assert "peace treaty" not in c.answers
    parts = c.parts("When was the ==peace treaty== signed?")
    assert [r for p in parts if not isinstance(p, int) for r in p][1] == markup.Run("peace treaty", bold=True)


def test_an_answer_in_a_heading_is_kept_in_clear_everywhere_and_said(tmp_path):
    p = worksheet.plan(tiny(LEAKY, tmp_path), layout())
    assert p.kept == ("Look East",)
    assert "Look East" not in [a.text for a in p.answers]
    assert "1 blank skipped: answer visible elsewhere on the sheet (Look East)" in p.notes


def test_with_leaks_keep_every_answer_printed_elsewhere_stays_unblanked(tmp_path):
    p = worksheet.plan(tiny(LEAKY, tmp_path), layout(leaks="keep"))
    assert set(p.kept) == {"Look East", "April 1952", "2+2"}
    assert [a.text for a in p.answers] == ["Special Strategic and Global Partnership", "2014", "Quad", "US"]
    assert "3 blanks skipped: answer visible elsewhere on the sheet (Look East, April 1952, 2+2)" in p.notes


def test_answers_are_found_as_whole_words_and_capitals_only_in_their_case(tmp_path):
    c = Cloze.of(sheet_texts(tiny(LEAKY, tmp_path)))
    clear = "a Quadrant, the US$ and us"
    assert [p for p in c.parts(clear) if isinstance(p, int)] == [6]  # "US" of "US$"; not "Quadrant", not "us"
    assert [p for p in c.parts("a quad summit") if isinstance(p, int)] == [5]


def test_a_sheet_with_nothing_to_blank_has_no_answer_pages_and_says_so(tmp_path):
    plain = tiny("topic: Plain\nsections:\n  - title: A\n    points: [nothing marked here]\n", tmp_path, "plain")
    rendered = worksheet.render(plain, layout(answers="separate", word_bank=True))
    assert (rendered.pages, rendered.answers, rendered.extras) == (1, 0, ())
    assert "nothing to blank and no answers" in rendered.notes[1]


# -- the sample's plan ---------------------------------------------------------------------------


def test_every_key_phrase_of_the_sample_is_blanked_or_kept_and_said(sheet, topic):
    p, _, _ = sheet
    keys = {" ".join(k.split()) for s, _ in topic.walk() for t in _texts(s) for k in markup.key_phrases(t)}
    assert keys == {a.text for a in p.answers} | set(p.kept)
    assert p.kept == ("2+2",)  # a sub-section is headed "Context — the 2+2 meeting in Tokyo"


def _texts(section):
    from studynotes.render._worksheet_cloze import section_texts
    return [t.text for t in section_texts(section) if t.blankable]


def test_every_blank_is_as_wide_as_promised_unless_its_place_is_narrower(sheet):
    p, _, _ = sheet
    assert p.gap == "same"
    assert MIN_BLANK <= p.width
    for b in p.blanks:
        assert b.width == pytest.approx(min(p.width, b.room)), b
    points = [b for b in p.blanks if b.where == "point"]
    assert len({round(b.width, 3) for b in points if b.room >= p.width}) == 1


def test_gap_fit_gives_each_answer_its_own_width(topic):
    p = worksheet.plan(topic, layout(gap="fit"))
    for b in p.blanks:
        answer = p.answers[b.number - 1]
        assert b.width == pytest.approx(min(blank_width(answer.width, p.width), b.room)), b
    assert len({round(b.width) for b in p.blanks}) > 10


def test_word_bank_holds_the_answers_alphabetically(topic):
    p = worksheet.plan(topic, layout(word_bank=True))
    assert list(p.bank) == alphabetical([a.text for a in p.answers])
    assert p.distractors == ()


def test_distractors_come_from_the_sections_left_out_and_never_show_on_the_sheet(topic):
    picked = select.pick(topic, ("defence",))
    p = worksheet.plan(picked, layout(word_bank=True, distractors=4))
    assert len(p.distractors) == 4
    answers = {a.text for a in p.answers}
    assert set(p.bank) == answers | set(p.distractors) and not answers & set(p.distractors)
    others = {" ".join(k.split()) for s, _ in topic.walk() if s.id != "defence" for t in _texts(s)
              for k in markup.key_phrases(t)}
    assert set(p.distractors) <= others


def test_picked_sections_make_a_sheet_of_their_own_answers_only(topic):
    p = worksheet.plan(select.pick(topic, ("defence", "economy")), layout())
    assert {a.section for a in p.answers} <= {"defence", "economy"}
    others = tuple(s.id for s in topic.sections if s.id not in ("context", "evolution"))
    left = worksheet.plan(select.pick(topic, exclude=others), layout())
    assert {a.section for a in left.answers} == {"context", "evolution"}


def test_questions_are_the_topics_cards_in_order(sheet, topic):
    p, _, _ = sheet
    cards = [c for s, _ in topic.walk() for c in s.cards]
    assert [(q.number, q.q, q.a) for q in p.questions] == [(i, c.q, c.a) for i, c in enumerate(cards, 1)]


# -- the PDF -----------------------------------------------------------------------------------


def test_no_answer_reads_on_the_sheet_and_every_key_phrase_in_the_answers(sheet):
    p, rendered, _ = sheet
    texts = [flat(t) for t in page_texts(rendered.pdf)]
    sheet_text, answers_text = " ".join(texts[:len(p.pages)]), " ".join(texts[len(p.pages):])
    assert rendered.pages == len(p.pages) + len(p.answer_pages) and rendered.answers == len(p.answer_pages) >= 1
    shown = [a.text for a in p.answers if shows(a.text, sheet_text)]
    assert shown == []
    for a in p.answers:
        assert f"({a.number}) {a.text}" in answers_text
    for k in p.kept:
        assert k in answers_text
    for q in p.questions:
        assert flat(markup.plain(q.a)) in answers_text
    assert answers_text.startswith("Answers 1 Context")


def test_blanks_are_drawn_where_planned_and_numbered_in_reading_order(sheet):
    p, _, drawn = sheet
    assert [(d.number, round(d.width, 3)) for d in drawn] == [(b.number, round(b.width, 3)) for b in p.blanks]
    order = []
    for page in p.pages:
        columns = page.frames[-p.layout.columns:]
        on_page = [d for d in drawn if d.page == page.number]
        column = [next(i for i, f in enumerate(columns) if f.x - 1 <= d.x <= f.x + f.width + 1) for d in on_page]
        order += [d.number for _, d in sorted(zip(column, on_page, strict=True), key=lambda cd: (cd[0], -cd[1].y,
                                                                                                   cd[1].x))]
    firsts = list(dict.fromkeys(order))
    assert firsts == list(range(1, len(p.answers) + 1))


def test_every_blank_stays_inside_its_column(sheet):
    p, _, drawn = sheet
    for d in drawn:
        page = p.pages[d.page - 1]
        assert any(f.x - 0.5 <= d.x and d.x + d.width <= f.x + f.width + 0.5 for f in page.frames), d


def test_separate_answers_go_to_a_second_pdf(topic):
    p = worksheet.plan(select.pick(topic, ("defence",)), layout(answers="separate"))
    rendered = worksheet.draw(p)
    assert rendered.answers == 0 and rendered.pages == len(p.pages)
    (extra,) = rendered.extras
    assert extra.suffix == "-answers.pdf"
    sheet_text = flat(" ".join(page_texts(rendered.pdf)))
    key_text = flat(" ".join(page_texts(extra.data)))
    assert "worksheet · answers" not in sheet_text and "handed out separately" in sheet_text
    assert key_text.startswith("Answers")
    for a in p.answers:
        assert not shows(a.text, sheet_text) and f"({a.number}) {a.text}" in key_text
    assert "answers in -answers.pdf" in p.notes[0]


# -- the whole program ----------------------------------------------------------------------------


@pytest.mark.slow
def test_every_sample_topic_builds_with_a_note_and_its_answers(tmp_path):
    result = CliRunner().invoke(main, ["build", "-l", "worksheet", "--word-bank", "--notes", str(ROOT / "notes"),
                                       "-o", str(tmp_path), "-j", "1"])
    assert result.exit_code == 0, result.output
    ids = [loader.load(f).id for f in sorted((ROOT / "notes").glob("*.yaml"))]
    assert {"india-japan", "fundamental-rights", "indian-monsoon"} <= set(ids)
    for name in ids:
        assert re.search(rf"note: worksheet of {name}: \d+ blanks \(\d+ answers\), \d+ questions?, \d+ pages? "
                         r"\+ 1 answer page", result.output), result.output
    assert len(list(tmp_path.rglob("*.pdf"))) == len(ids)


@pytest.mark.slow
def test_answers_separate_on_the_command_line_writes_the_answers_beside(tmp_path):
    result = CliRunner().invoke(main, ["build", "india-japan", "-l", "worksheet", "-s", "economy", "--answers",
                                       "separate", "--notes", str(ROOT / "notes"), "-o", str(tmp_path), "-j", "1"])
    assert result.exit_code == 0, result.output
    pdfs = sorted(p.name for p in tmp_path.rglob("*.pdf"))
    assert len(pdfs) == 2 and any(n.endswith("-answers.pdf") for n in pdfs), pdfs
