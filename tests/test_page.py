"""Page furniture every engine shares: header/footer templates filled from the topic, and PDF metadata."""

from __future__ import annotations

import pytest

from studynotes import __version__
from studynotes.load import presets
from studynotes.model import Point, Section, Topic
from studynotes.render.page import fill, metadata, placeholders

TOPIC = Topic("india-japan", "India–**Japan** Relations", (Section("a", "A", points=(Point("p"),)),),
              subject="International ==Relations==", syllabus=("GS II", "Bilateral *ties*"),
              tags=("ir", "==asia=="), updated="2022-09-10")
BARE = Topic("bare", "Bare", (Section("a", "A", points=(Point("p"),)),))


@pytest.fixture(scope="module")
def revision():
    return presets.load("revision")


# ---------------------------------------------------------------- fill

@pytest.mark.parametrize("template, values, expected", [
    ("{topic} · {section}", {"topic": "T", "section": "S"}, "T · S"),
    ("{topic} · {section}", {"topic": "T", "section": ""}, "T"),
    ("{section} — {topic}", {"topic": "T", "section": ""}, "T"),
    ("{topic} — {section}", {"topic": "", "section": ""}, ""),
    ("{subject}  ·  page {page} of {pages}", {"subject": "", "page": "2", "pages": "5"}, "page 2 of 5"),
    ("{a} | {b} | {c}", {"b": "B"}, "B"),
    ("{topic} - {section}", {"topic": "T"}, "T"),
    ("Page {page} of {pages}", {"page": "2", "pages": "5"}, "Page 2 of 5"),
    ("{topic} · {nothing-known}", {"topic": "T"}, "T · {nothing-known}"),  # not a placeholder: \w only
    ("{topic} · {unknown}", {"topic": "T"}, "T"),
    ("India–Japan · {page}", {"page": "3"}, "India–Japan · 3"),  # a dash inside a piece stays
])
def test_empty_placeholders_vanish_with_their_separators(template, values, expected):
    assert fill(template, values) == expected


@pytest.mark.parametrize("template", ["{topic} · {subject} · page {page}", "{topic} | {subject} | page {page}",
                                      "{topic}  —  {subject}  —  {syllabus}  —  page {page}"])
def test_empty_pieces_in_the_middle_leave_one_separator(template):
    out = fill(template, {"topic": "T", "subject": "", "syllabus": "", "page": "1"})
    assert out.startswith("T ") and out.endswith(" page 1")
    assert len([c for c in out if c in "·|—"]) == 1, out


def test_an_empty_piece_in_the_middle_leaves_one_separator_with_its_own_spacing():
    assert fill("{topic} · {subject} · page {page}", {"topic": "T", "subject": "", "page": "1"}) == "T · page 1"


def test_a_value_keeps_its_own_characters_that_look_like_separators():
    assert fill("{topic} · {section}", {"topic": "North-", "section": ""}) == "North-"
    assert fill("{section} | {topic}", {"topic": "| x |", "section": ""}) == "| x |"


# ---------------------------------------------------------------- placeholders and metadata

def test_placeholders_are_plain_text_of_the_topic_and_the_page(revision):
    values = placeholders(TOPIC, revision, page=2, pages=5, section="3 Economy")
    assert values == {"topic": "India–Japan Relations", "subject": "International Relations",
                      "syllabus": "GS II · Bilateral ties", "date": "2022-09-10", "layout": "revision",
                      "section": "3 Economy", "page": "2", "pages": "5"}
    assert set(values) == set(presets.PLACEHOLDERS)  # every name a preset may use, and no other


def test_placeholders_of_a_bare_topic_are_empty_not_none(revision):
    values = placeholders(BARE, revision)
    assert values["subject"] == values["syllabus"] == values["date"] == values["section"] == ""
    assert (values["page"], values["pages"]) == ("1", "1")
    assert fill(revision.header, values) == "Bare"


def test_metadata_names_the_topic_the_kind_and_the_program(revision):
    meta = metadata(TOPIC, revision, "revision sheet")
    assert meta == {"title": "India–Japan Relations — revision sheet", "author": "studynotes",
                    "subject": "International Relations", "keywords": "ir, asia, GS II, Bilateral ties",
                    "creator": f"studynotes {__version__} (revision)", "producer": f"studynotes {__version__}"}
    assert metadata(BARE, revision)["title"] == "Bare"
    assert metadata(BARE, revision)["keywords"] == metadata(BARE, revision)["subject"] == ""
