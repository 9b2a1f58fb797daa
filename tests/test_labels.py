"""Short labels for mind maps and summaries: the author's ``short``, a key phrase, or a first clause."""

from __future__ import annotations

from studynotes.model import Point, Section
from studynotes.render.labels import MAX_WORD, point_label, section_label


def test_the_authors_short_label_wins():
    assert point_label(Point("Peace treaty signed in ==April 1952==", short="Short one")) == "Short one"
    assert point_label(Point("x", short="A **bold** label")) == "A bold label"


def test_else_the_first_key_phrase():
    assert point_label(Point("Peace treaty signed in ==April 1952== after the war")) == "April 1952"


def test_else_the_first_clause_of_at_least_three_words():
    assert point_label(Point("Life, material and earth sciences; physics")) == "Life, material and earth sciences"
    assert point_label(Point("Trade grew (slowly) after 2000")) == "Trade grew (slowly) after 2000"
    assert point_label(Point("Three small words: then the rest")) == "Three small words"


def test_else_a_few_words_never_cut_inside_a_word():
    assert point_label(Point("One two three four five six seven eight nine")) == "One two three four five six…"
    long = "x" * (MAX_WORD + 10)
    assert point_label(Point(f"See {long}")) == f"See {'x' * MAX_WORD}…"


def test_section_labels():
    assert section_label(Section("s", "The ==long== title")) == "The long title"
    assert section_label(Section("s", "The long title", short="Short")) == "Short"
