"""Quizzes: every keyed option re-derived from the notes independently of the generator, series and
variants as permutations with matching keys, the answer sheet's bubbles (size, margins, and the
template.json that OMRChecker grades by, against the drawn page's pixels), the key CSV and
evaluation files, settings errors, and one PDF read back (the option under the keyed letter)."""

from __future__ import annotations

import csv
import io
import json
import re
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pdfcheck import page_texts, print_faults

from studynotes.errors import NotesError, UsageError
from studynotes.load import notes as loader
from studynotes.load import presets
from studynotes.markup import plain
from studynotes.model import Event, Section, Term, Topic
from studynotes.render import _omr as omr
from studynotes.render import _questions as qs
from studynotes.render import quiz

ROOT = Path(__file__).resolve().parent.parent
NOTES = sorted(p.stem for p in (ROOT / "notes").glob("*.yaml"))
MM = 72 / 25.4
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]


@cache
def topic(name: str = "india-japan") -> Topic:
    return loader.load(ROOT / "notes" / f"{name}.yaml")


def layout(name: str = "quiz", **settings):
    return presets.load(name).adjusted(**settings)


# -- the notes, read again by the test's own rules ---------------------------------------------------

def sections(t: Topic) -> list[Section]:
    return [s for s, _ in t.walk()]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", plain(text)).strip().rstrip(".").casefold()


def months(when: str) -> tuple[int, int] | None:
    """The test's own reading of a date: the first and last month it can mean."""
    w = when.strip().casefold()
    if w.isdigit():
        return int(w) * 12, int(w) * 12 + 11
    parts = w.split()
    if len(parts) == 3 and parts[0].isdigit():
        parts = parts[1:]  # a day: its month
    if len(parts) == 2 and parts[0] in MONTHS and parts[1].isdigit():
        m = int(parts[1]) * 12 + MONTHS.index(parts[0])
        return m, m
    if w.endswith("0s") and w[:-1].isdigit():
        return int(w[:-1]) * 12, int(w[:-1]) * 12 + 119
    if w.endswith("century"):
        c = int(re.match(r"\d+", w).group())
        return (c - 1) * 1200, c * 1200 - 1
    return None


def head(meaning: str) -> str:
    text = plain(meaning)
    for sep in (" — ", " – ", "; "):
        text = text.split(sep)[0]
    return text.strip()


def true_sentences(t: Topic) -> set[str]:
    out = set()
    for s in sections(t):
        stack = list(s.points)
        while stack:
            p = stack.pop()
            out.add(squeeze(p.text))
            stack += p.points
        out |= {squeeze(f"{plain(f.label)}: {plain(f.value)}") for f in s.facts}
    return out


def true_pairs(t: Topic) -> set[tuple[str, str]]:
    out = set()
    for s in sections(t):
        out |= {(squeeze(x.term), squeeze(head(x.meaning))) for x in s.terms}
        if s.table is not None and len(s.table.columns) == 2:
            out |= {(squeeze(a), squeeze(b)) for a, b in s.table.rows}
    return out


def expected(q: qs.Question, t: Topic) -> str:
    """The right option's text, worked out from the notes and the question's printed text alone."""
    secs = sections(t)
    events = [e for s in secs for e in s.timeline]
    if q.kind == "when":
        (e,) = [e for e in events if plain(e.what) == q.subject]
        return plain(e.when)
    if q.kind == "happened":
        hits = [plain(e.what) for e in events if plain(e.when) == q.subject]
        assert sum(plain(o) in hits for o in q.options) == 1, q
        return next(plain(o) for o in q.options if plain(o) in hits)
    if q.kind == "order":
        when = {plain(e.what): months(plain(e.when)) for e in events}
        ranked = sorted(range(4), key=lambda k: when[plain(q.items[k])][0])
        return "–".join(str(k + 1) for k in ranked)
    if q.kind == "meaning":
        (x,) = [x for s in secs for x in s.terms if plain(x.term).strip() == q.subject]
        return head(x.meaning)
    if q.kind == "term":
        (x,) = [x for s in secs for x in s.terms if head(x.meaning) == q.subject]
        return plain(x.term).strip()
    if q.kind == "figure":
        (f,) = [f for s in secs for f in s.facts if plain(f.label) == q.subject]
        return plain(f.value).strip()
    if q.kind == "card":
        (c,) = [c for s in secs for c in s.cards if plain(c.q).strip() == q.subject]
        return plain(c.a).strip()
    if q.kind == "pairs":
        pairs = true_pairs(t)
        n = sum((squeeze(i.split(" : ")[0]), squeeze(i.split(" : ", 1)[1])) in pairs for i in map(plain, q.items))
        return {0: "None of the pairs", 1: "Only one pair", 2: "Only two pairs", 3: "All three pairs"}[n]
    truths = true_sentences(t)
    said = [squeeze(i) in truths for i in q.items]
    if q.kind == "statements":
        return {(True, False): "1 only", (False, True): "2 only", (True, True): "Both 1 and 2",
                (False, False): "Neither 1 nor 2"}[tuple(said)]
    assert q.kind == "how-many"
    return {0: "None", 1: "Only one", 2: "Only two", 3: "All three"}[sum(said)]


@pytest.mark.parametrize("name", NOTES)
@pytest.mark.parametrize("seed", [0, 1, 7, 12345])
def test_every_keyed_option_is_right_by_the_notes(name, seed):
    t = topic(name)
    made = qs.make(t, 40, seed)
    assert made.questions
    for q in made.questions:
        assert plain(q.answer) == expected(q, t), q
        if q.kind in ("statements", "how-many"):  # a false statement is flagged with the point it came from
            falses = sum(squeeze(i) not in true_sentences(t) for i in q.items)
            assert len(q.flags) == falses, q


@pytest.mark.parametrize("name", NOTES)
def test_distractors_are_wrong_by_the_notes(name):
    """No distractor is right too: another date of the event's, the figure itself, an equal text."""
    t = topic(name)
    events = [e for s in sections(t) for e in s.timeline]
    for seed in range(6):
        for q in qs.make(t, 40, seed).questions:
            wrong = [o for k, o in enumerate(q.options) if k != q.right]
            if q.kind == "when":
                right = months(plain(q.answer))
                assert all(months(plain(o))[1] < right[0] or right[1] < months(plain(o))[0] for o in wrong), q
            if q.kind == "happened":
                span = months(q.subject)
                for o in wrong:
                    for e in events:
                        if plain(e.what) == plain(o):
                            m = months(plain(e.when))
                            assert m[1] < span[0] or span[1] < m[0], (q, o)
            assert len({squeeze(o) for o in q.options}) == 4, q


def test_the_sample_quiz_has_every_kind_and_balanced_letters():
    made = qs.make(topic(), 20)
    assert len(made.questions) == 20
    assert made.note("india-japan") is None
    kinds = {q.kind for q in made.questions}
    assert kinds == set(qs.KINDS), kinds
    letters = [q.right for q in made.questions]
    assert max(letters.count(k) for k in range(4)) <= 6
    assert qs.make(topic(), 20) == made  # the same notes give the same quiz
    assert qs.make(topic(), 20, seed=99) != made


def test_close_numbers_are_written_like_the_figure():
    import random

    for value, pattern in (("US$ 13.7 bn", r"US\$ \d+\.\d bn"), ("30,000", r"\d{2},000"),
                           ("~US$ 32 bn", r"~US\$ \d+ bn"),
                           ("about 75%", r"about \d+%"), ("4", r"\d")):
        f = qs.figure(value)
        assert f is not None
        for seed in range(20):
            near = qs.close_numbers(f, random.Random(seed), 3, set())
            assert len(near) == 3 and f.value not in near
            for x in near:
                assert re.fullmatch(pattern, f.written(x)), (value, f.written(x))
                assert 0.45 * f.value <= x <= 2.1 * f.value
                assert "%" not in value or x <= 100


def test_fewer_questions_with_a_note_when_the_notes_run_out():
    t = Topic("tiny", "Tiny", (Section("s", "Dates", number="1", timeline=tuple(
        Event(str(1990 + k), f"Event number {k}") for k in range(5))),))
    made = qs.make(t, 20)
    assert 0 < len(made.questions) < 20
    assert made.note("tiny") == f"quiz of tiny: {len(made.questions)} questions; not enough " \
        + " or ".join(made.short_of) + " for 20"
    assert "terms" in made.short_of and "figures" in made.short_of
    nothing = Topic("bare", "Bare", (Section("s", "Only terms", number="1", terms=(Term("A", "a thing"),)),))
    with pytest.raises(NotesError, match="no quiz can be made from topic 'bare'"):
        quiz.plan(nothing, layout())


# -- series and variants --------------------------------------------------------------------------

@pytest.mark.parametrize("code", ["B", "C", "D", "S07-4F2A", "roll-12"])
def test_variants_are_permutations_with_matching_keys(code):
    master = qs.make(topic(), 20, 5)
    other = qs.arrange(master, code)
    assert other.variant == code
    assert sorted(q.origin for q in other.questions) == list(range(1, 21))
    assert [q.origin for q in other.questions] != list(range(1, 21))
    by_origin = {q.origin: q for q in master.questions}
    for q in other.questions:
        m = by_origin[q.origin]
        assert (q.stem, q.items, q.kind) == (m.stem, m.items, m.kind)
        assert sorted(q.options) == sorted(m.options)
        assert q.answer == m.answer
        if q.fixed:
            assert q.options == m.options  # "1 only … Neither 1 nor 2" keeps its order
    letters = [q.right for q in other.questions]
    assert max(letters.count(k) for k in range(4)) <= 6
    assert qs.arrange(master, code) == other  # the same code and seed give the same paper
    assert qs.arrange(master, "A") == qs.arrange(master, "") or qs.arrange(master, "A").questions == master.questions


def test_series_plan_files_and_keys():
    p = quiz.plan(topic(), layout(series="A,B,C,D"))
    assert [d.suffix for d in p.docs] == ["", "-B.pdf", "-C.pdf", "-D.pdf"]
    files = {e.suffix: e.data for e in p.files}
    assert set(files) == {"-key.csv", "-omr-template.json", *(f"-omr-evaluation-{c}.json" for c in "ABCD")}
    rows = list(csv.DictReader(io.StringIO(files["-key.csv"].decode("utf-8"))))
    assert list(rows[0]) == ["variant", "number", "answer", "question", "correct", "source", "kind"]
    assert len(rows) == 4 * 20
    for qz in p.quizzes:
        mine = [r for r in rows if r["variant"] == qz.variant]
        assert [r["answer"] for r in mine] == [q.letter for q in qz.questions]
        assert [r["correct"] for r in mine] == [q.answer for q in qz.questions]
        ev = json.loads(files[f"-omr-evaluation-{qz.variant}.json"])
        assert ev["options"]["answers_in_order"] == [q.letter for q in qz.questions]
        assert ev["options"]["questions_in_order"] == ["q1..20"]
        assert ev["marking_schemes"]["DEFAULT"] == {"correct": "2", "incorrect": "-2/3", "unmarked": "0"}
    # the answer key is in the first file only, as its last pages
    assert p.main.answers >= 1 and [pg.role for pg in p.main.pages][-p.main.answers:] == ["key"] * p.main.answers
    assert all(d.answers == 0 and "key" not in {pg.role for pg in d.pages} for d in p.docs[1:])


def test_jee_preset_marks_and_separate_answers():
    p = quiz.plan(topic(), layout("quiz-jee", answers="separate"))
    assert p.main.answers == 0 and "key" not in {pg.role for pg in p.main.pages}
    assert p.docs[-1].suffix == "-answers.pdf" and p.docs[-1].answers == len(p.docs[-1].pages)
    ev = json.loads({e.suffix: e.data for e in p.files}["-omr-evaluation.json"])
    assert ev["marking_schemes"]["DEFAULT"] == {"correct": "4", "incorrect": "-1", "unmarked": "0"}


def test_a_variant_is_printed_with_its_code():
    p = quiz.plan(topic(), layout(variant="S07-4F2A", seed=3))
    assert len(p.quizzes) == 1 and p.quizzes[0].variant == "S07-4F2A"
    for page in p.main.pages:
        if page.role == "sheet":
            assert any("S07-4F2A" in t.text for t in page.sheet.texts)
        elif page.role == "paper":
            assert any("S07-4F2A" in piece.text for piece in page.pieces)


@pytest.mark.parametrize("series, message", [("A,A", "named twice"), ("A,B C", "not a code"), (",", "no series")])
def test_bad_series_are_refused(series, message):
    with pytest.raises(UsageError, match=message):
        quiz.plan(topic(), layout(series=series))


# -- the answer sheet ------------------------------------------------------------------------------

@pytest.mark.parametrize("n, paper", [(1, "A4"), (20, "A4"), (47, "Letter"), (150, "A4"), (200, "A4"), (60, "A5")])
def test_sheet_bubbles_are_big_enough_and_inside_the_margins(n, paper):
    lay = layout(paper=paper)
    w, h = lay.pagesize
    top, right, bottom, left = (m * MM for m in lay.margins)
    s = omr.sheet(w, h, (left, top, w - right, h - bottom), n, ("A", "B", "C", "D"), "Test", "Series A")
    numbers = []
    for page in s.pages:
        for x, y in page.markers:
            assert left - 1e-6 <= x and x + omr.MARKER <= w - right + 1e-6
            assert top - 1e-6 <= y and y + omr.MARKER <= h - bottom + 1e-6
        spans = []
        for b in page.blocks:
            assert b.size >= 4 * MM
            assert left <= b.x and b.right <= w - right and top <= b.y and b.bottom <= h - bottom - omr.MARKER
            if b.field_type == "QTYPE_MCQ4":
                assert len(b.labels) <= 15 and b.values == tuple("ABCD")
                numbers += [int(label[1:]) for label in b.labels]
                spans.append((b.x - omr.NUMBER_W, b.y - omr.BLOCK_HEAD, b.right, b.bottom))
        for i, a in enumerate(spans):  # blocks never overlap
            for c in spans[i + 1:]:
                assert a[2] <= c[0] or c[2] <= a[0] or a[3] <= c[1] or c[3] <= a[1]
    assert numbers == list(range(1, n + 1))


def template_bubbles(t: dict) -> list[tuple[str, str, int, int, int]]:
    """Bubbles as OMRChecker places them (src/template.py), read from template.json only."""
    types = {"QTYPE_MCQ4": (list("ABCD"), "horizontal"), "QTYPE_INT": (list("0123456789"), "vertical")}
    out = []
    for blk in t["fieldBlocks"].values():
        values, direction = types[blk["fieldType"]] if "fieldType" in blk else (blk["bubbleValues"], blk["direction"])
        size = blk.get("bubbleDimensions", t["bubbleDimensions"])[0]
        labels = []
        for spec in blk["fieldLabels"]:
            m = re.fullmatch(r"([^\d.]+)(\d+)\.\.(\d+)", spec)
            labels += [f"{m.group(1)}{k}" for k in range(int(m.group(2)), int(m.group(3)) + 1)] if m else [spec]
        lead = list(map(float, blk["origin"]))
        h, v = (1, 0) if direction == "vertical" else (0, 1)
        for label in labels:
            point = lead.copy()
            for value in values:
                out.append((label, value, round(point[0]), round(point[1]), size))
                point[h] += blk["bubblesGap"]
            lead[v] += blk["labelsGap"]
    return out


@pytest.fixture(scope="module")
def built():
    """One quiz of the sample topic, in four series, drawn once for every PDF test here."""
    lay = layout(series="A,B,C,D")
    p = quiz.plan(topic(), lay)
    return lay, p, quiz.draw(p)


def test_template_matches_the_sheet_drawn(built):
    lay, p, r = built
    t = json.loads({e.suffix: e.data for e in r.extras}["-omr-template.json"])
    assert t["pageDimensions"] == [round(lay.pagesize[0] * 2), round(lay.pagesize[1] * 2)]
    from_template = template_bubbles(t)
    from_plan = [(f, v, round(x * 2), round(y * 2), round(b.size * 2)) for b in p.sheet.pages[0].blocks
                 for f, v, x, y in b.bubbles()]
    assert sorted(from_template) == sorted(from_plan)
    assert sum(1 for b in from_template if b[0].startswith("q")) == 20 * 4
    # and the page as printed: at 144 dpi (2 px a point) each bubble's ring is dark where the template
    # says, its centre is not filled, and just outside it the paper is white
    sheet_page = [k for k, pg in enumerate(p.main.pages) if pg.role == "sheet"][0]
    doc = pdfium.PdfDocument(r.pdf)
    img = doc[sheet_page].render(scale=2).to_pil().convert("L")
    px = img.load()
    for _field, _value, x, y, d in from_template:
        ring = min(px[x + i, y + d // 2 + j] for i in range(0, 3) for j in (-1, 0, 1))
        outside = min(px[x - 4, y + d // 2 + j] for j in (-1, 0, 1))
        right_edge = min(px[x + d - 1 - i, y + d // 2 + j] for i in range(0, 3) for j in (-1, 0, 1))
        assert ring < 140 and right_edge < 140 and outside > 230, (_field, _value, ring, right_edge, outside)


def test_pdf_holds_the_keyed_option_under_its_letter(built):
    _, p, r = built
    texts = page_texts(r.pdf)
    roles = [pg.role for pg in p.main.pages]
    assert r.pages == len(roles) and r.answers == roles.count("key") and roles[-r.answers:] == ["key"] * r.answers
    paper = re.sub(r"\s+", " ", " ".join(t for t, role in zip(texts, roles, strict=True) if role == "paper"))
    questions = p.quizzes[0].questions
    for n, q in enumerate(questions, 1):
        start = paper.index(f"{n}. {q.stem[:20]}")
        end = paper.index(f"{n + 1}. {questions[n].stem[:20]}") if n < len(questions) else len(paper)
        block = paper[start:end]
        letter = "abcd"[q.right]
        got = block.split(f"({letter}) ", 1)[1]
        nxt = "abcd"[q.right + 1] if q.right < 3 else None
        got = got.split(f"({nxt}) ", 1)[0] if nxt else got
        assert got.strip().startswith(q.answer.strip()[:40]), (n, got, q.answer)
    key = " ".join(t for t, role in zip(texts, roles, strict=True) if role == "key")
    assert "Answer key" in key and "Check before use" in key
    for suffix in ("-B.pdf", "-C.pdf", "-D.pdf"):
        other = {e.suffix: e.data for e in r.extras}[suffix]
        assert f"Series {suffix[1]}" in page_texts(other)[0]
        assert "Answer key" not in " ".join(page_texts(other))


def test_paper_type_and_margins(built):
    lay, _, r = built
    faults, count = print_faults(r.pdf, lay.margins, quiz.FLOOR)
    assert count > 1000 and faults == []


def test_small_paper_keeps_type_and_bubbles_inside():
    lay = layout(paper="A5", questions=30, series="A,B")
    r = quiz.render(topic(), lay)
    faults, count = print_faults(r.pdf, lay.margins, quiz.FLOOR)
    assert count > 1000 and faults == []


@pytest.mark.slow
def test_the_command_line_writes_the_quiz_and_its_files(tmp_path, monkeypatch):
    """build -l quiz: series files, the key apart, the CSV and OMR files beside it; a short quiz's note."""
    import shutil

    from click.testing import CliRunner

    from studynotes.cli import main

    shutil.copytree(ROOT / "notes", tmp_path / "notes")
    monkeypatch.chdir(tmp_path)
    got = CliRunner().invoke(main, ["build", "india-japan", "indian-monsoon", "-l", "quiz", "--series", "A,B",
                                    "--answers", "separate", "--questions", "30", "-j", "1", "-o", "out"],
                             catch_exceptions=False)
    assert got.exit_code == 0, got.output
    assert "note: quiz of indian-monsoon: " in got.output and "for 30" in got.output
    names = sorted(p.name for p in (tmp_path / "out" / "india-japan").iterdir())
    assert any(n.endswith("-B.pdf") for n in names) and any(n.endswith("-answers.pdf") for n in names)
    assert any(n.endswith("-key.csv") for n in names) and any(n.endswith("-omr-template.json") for n in names)
    assert sum(n.endswith(".json") and "evaluation" in n for n in names) == 2, names
    bad = CliRunner().invoke(main, ["build", "india-japan", "-l", "quiz", "--series", "A,A", "-o", "out"])
    assert bad.exit_code == 2 and "named twice" in bad.output


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_a_question_stays_whole_in_one_column(paper):
    lay = layout(paper=paper, questions=30)
    p = quiz.plan(topic(), lay)
    w, h = lay.pagesize
    top, right, bottom, left = (m * MM for m in lay.margins)
    seen = []
    for page in p.main.pages:
        if page.role != "paper":
            continue
        group: list = []
        for piece in [*(x for x in page.pieces if x.style in ("num", "q", "item", "opt")), None]:
            if piece is None or piece.style == "num":
                if group:
                    xs = {round(g.x - (quiz.NUM_W if g.style != "num" else 0), 3) for g in group}
                    assert len(xs) == 1, group  # one column
                    assert all(bottom <= g.top - g.height and g.top <= h - top for g in group)
                    assert all(left <= g.x and g.x + g.width <= w - right + 1e-6 for g in group)
                group = [piece] if piece is not None else []
                if piece is not None:
                    seen.append(int(piece.text.rstrip(".")))
            elif group:
                group.append(piece)
    assert seen == list(range(1, len(p.quizzes[0].questions) + 1))
