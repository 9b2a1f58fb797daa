"""The quiz's quality rules over many generated topics (hypothesis) and many seeds of the shipped
notes: four options unequal after normalising, the answer never in its question, options of one
form, no letter right more than 40 % of a quiz, the right option not systematically the longest, no
question twice and no notes item in two questions, fewer questions (with the note) rather than junk."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studynotes.load import notes as loader
from studynotes.markup import plain
from studynotes.model import Card, Event, Fact, Point, Section, Term, Topic
from studynotes.render import _questions as qs

ROOT = Path(__file__).resolve().parent.parent
NOTES = sorted(p.stem for p in (ROOT / "notes").glob("*.yaml"))
WORDS = ("river", "treaty", "council", "monsoon", "harbour", "charter", "summit", "railway", "corridor",
         "plateau", "reform", "tariff", "alliance", "satellite", "doctrine", "census", "budget", "court")
NAMES = ("Asoka", "Kerala", "Deccan", "Nehru", "Tokyo", "Malabar", "Indus", "Ganga", "Himalaya", "Konkan")
MONTHS = ("January", "March", "May", "July", "September", "November")
UNITS = (("US$ ", " bn"), ("", "%"), ("", " km"), ("", ""), ("Rs ", " crore"))


@st.composite
def topics(draw) -> Topic:
    """A topic of a few sections holding dates, terms, figures, cards and key points, all made up."""
    words = st.lists(st.sampled_from(WORDS), min_size=2, max_size=6).map(" ".join)
    sections = []
    used_years: set[int] = set()
    for k in range(draw(st.integers(1, 4))):
        years = draw(st.lists(st.integers(1800, 2030), max_size=7, unique=True))
        events = []
        for y in years:
            if y in used_years:
                continue
            used_years.add(y)
            when = f"{draw(st.sampled_from(MONTHS))} {y}" if draw(st.booleans()) else str(y)
            events.append(Event(when, f"{draw(st.sampled_from(NAMES))} {draw(words)} {y % 97}"))
        terms = tuple(Term(f"{draw(st.sampled_from(NAMES))[:2].upper()}{chr(65 + k)}{j}",
                           f"{draw(words).capitalize()} of {draw(st.sampled_from(NAMES))} {j}")
                      for j in range(draw(st.integers(0, 5))))
        facts = []
        for j in range(draw(st.integers(0, 4))):
            pre, post = draw(st.sampled_from(UNITS))
            number = draw(st.one_of(st.integers(1, 90000).map(lambda n: f"{n:,}"),
                                    st.floats(0.1, 99.9).map(lambda x: f"{x:.1f}")))
            facts.append(Fact(f"{draw(words).capitalize()} {j}", f"{pre}{number}{post}"))
        cards = tuple(Card(f"Which {draw(words)} {j}?", f"{draw(st.sampled_from(NAMES))} {draw(words)}")
                      for j in range(draw(st.integers(0, 4))))
        points = tuple(Point(f"The {draw(words)} of =={draw(st.sampled_from(NAMES))} {j}== began in "
                             f"{draw(st.integers(1800, 2030))}; the {draw(words)} went to "
                             f"=={draw(st.sampled_from(NAMES))}{k}{j}==", key=draw(st.booleans()))
                       for j in range(draw(st.integers(0, 6))))
        sections.append(Section(f"s{k}", f"Section {k}", number=str(k + 1), timeline=tuple(events), terms=terms,
                                facts=tuple(facts), cards=cards, points=points))
    return Topic("made-up", "Made-up topic", tuple(sections))


def check(quiz: qs.Quiz) -> None:
    questions = quiz.questions
    assert len(questions) <= quiz.asked
    assert (quiz.note("t") is None) == (len(questions) == quiz.asked)
    seen, uses = set(), set()
    for q in questions:
        options = [qs.norm(o) for o in q.options]
        assert len(set(options)) == 4 and all(options), q
        asked = qs.norm(" ".join((q.stem, *q.items, q.ask)))
        if not q.fixed:
            assert qs.norm(q.answer) not in asked, q
        assert (q.stem, q.items) not in seen, q
        seen.add((q.stem, q.items))
        assert not uses & set(q.uses), q
        uses |= set(q.uses)
        if q.kind == "when":
            assert len({qs.date_form(o)[0] for o in q.options}) == 1, q
        if q.kind == "figure":
            figs = [qs.figure(plain(o)) for o in q.options]
            assert all(figs) and len({f.unit for f in figs}) == 1, q
        if q.kind == "order":
            codes = [o.split("–") for o in q.options]
            assert all(sorted(c) == ["1", "2", "3", "4"] for c in codes)
            assert all(sum(a != b for a, b in zip(c, d, strict=True)) >= 2 for c in codes for d in codes if c != d)
    if len(questions) >= 5:
        letters = [q.right for q in questions]
        assert max(letters.count(k) for k in range(4)) <= 0.4 * len(questions), letters


GENERATED = (topics(), st.integers(1, 40), st.integers(0, 2**31 - 1), st.sampled_from(["", "B", "S1-X"]))


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(*GENERATED)
def test_quality_rules_on_generated_topics(topic, count, seed, variant):
    check(qs.make(topic, count, seed, variant))


@pytest.mark.slow
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(*GENERATED)
def test_quality_rules_on_hundreds_of_generated_topics(topic, count, seed, variant):
    check(qs.make(topic, count, seed, variant))


@cache
def shipped(name: str) -> Topic:
    return loader.load(ROOT / "notes" / f"{name}.yaml")


def many_seeds(seeds: int) -> None:
    """Quizzes of every shipped topic: the rules each time, and the right option the longest in no
    more than a third of the questions where it could be (a quarter by chance)."""
    for name in NOTES:
        longest = free = 0
        for seed in range(seeds):
            made = qs.make(shipped(name), 20, seed, "" if seed % 2 else f"V{seed}")
            check(made)
            for q in made.questions:
                if not q.fixed:
                    lengths = [len(plain(o)) for o in q.options]
                    free += 1
                    longest += lengths[q.right] == max(lengths) and lengths.count(max(lengths)) == 1
        assert longest <= free / 3, (name, longest, free)


def test_quality_rules_over_seeds_of_the_shipped_notes():
    many_seeds(10)


@pytest.mark.slow
def test_quality_rules_over_hundreds_of_quizzes_of_the_shipped_notes():
    many_seeds(100)
