"""The sentence splitter for imported articles: Indian abbreviations, numbers, initials, and the
promise that pieces are cut only at white space (nothing lost, nothing moved)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studynotes.importers.sentences import boundaries, split

SAMPLE = Path(__file__).resolve().parent.parent.parent / "shared" / "sources" / \
    "india-japan-relationship-explained-pointwise.txt"


@pytest.mark.parametrize("text, expected", [
    ("He paid Rs. 5,000 cr. to the Govt. of India. Then he left.",
     ["He paid Rs. 5,000 cr. to the Govt. of India.", "Then he left."]),
    ("Prof. A. K. Sen and Dr. Rao met Smt. Devi. They talked.",
     ["Prof. A. K. Sen and Dr. Rao met Smt. Devi.", "They talked."]),
    ("Trade stood at US$ 13.7 billion. It grew ~5% in 2022-23.",
     ["Trade stood at US$ 13.7 billion.", "It grew ~5% in 2022-23."]),
    ("See Art. 370 and Sec. 144, e.g. in J&K, i.e. Kashmir. No. 5 is next.",
     ["See Art. 370 and Sec. 144, e.g. in J&K, i.e. Kashmir.", "No. 5 is next."]),
    ("The U.S. and the U.K. agreed. The U.S. The end.", ["The U.S. and the U.K. agreed.", "The U.S.", "The end."]),
    ("A scheme of ₹ 5,000 cr. was approved. The next one, Rs. 200 cr. The end.",
     ["A scheme of ₹ 5,000 cr. was approved.", "The next one, Rs. 200 cr.", "The end."]),
    ("Is it working? Yes! \"Quite so.\" And more.", ["Is it working?", "Yes!", "\"Quite so.\"", "And more."]),
    ("यह पहला वाक्य है। यह दूसरा है।", ["यह पहला वाक्य है।", "यह दूसरा है।"]),
    ("1. India is large. Japan is small.", ["1. India is large.", "Japan is small."]),
    ("machinery etc. India’s imports are large.", ["machinery etc.", "India’s imports are large."]),
    ("ICT, outer space etc. have been signed.", ["ICT, outer space etc. have been signed."]),
    ("It ended with a ‘pact.’ Then talks began.", ["It ended with a ‘pact.’", "Then talks began."]),
    ("Values like 13.7 and 0.5 stay whole, as does v. 2.0 here.", ["Values like 13.7 and 0.5 stay whole, as does "
                                                                    "v. 2.0 here."]),
    ("", []),
    ("   ", []),
])
def test_split(text, expected):
    assert split(text) == expected


def test_the_sample_article_splits_where_a_reader_would():
    paragraphs = [p for p in SAMPLE.read_text(encoding="utf-8").split("\n") if len(p) > 100]
    sentences = [s for p in paragraphs for s in split(p)]
    assert len(sentences) == 93  # as pysbd counts (research §5), with no wrong cut
    assert "India Japan bilateral trade stood at US$ 13.7 billion in 2020, with Indian exports worth US$ 4.3 " \
           "billion and imports worth US$ 9.4 billion." in sentences
    assert "Between 2000-2019, Japan has invested ~US$ 32 billion." in sentences
    assert all(s[0].isupper() or s[0] in "‘“" for s in sentences)


def test_a_boundary_is_after_white_space():
    text = "One. Two.   Three."
    assert [text[b - 1] for b in boundaries(text)] == [" ", " "]


words = st.sampled_from(["India", "Rs.", "cr.", "U.S.", "A.", "Dr.", "e.g.", "13.7", "the", "The", "it", "?", "!",
                         "।", "“Yes.”", "etc.", "No.", "1.", "(a)", "~5%", "2022-23", "…", "..."])
texts = st.lists(st.one_of(words, st.text(min_size=1, max_size=6)), max_size=40).map(" ".join)


@given(texts)
def test_pieces_hold_every_character_once_in_order(text):
    pieces = split(text)
    assert all(p and p == p.strip() for p in pieces)
    assert "".join(re.sub(r"\s+", "", p) for p in pieces) == re.sub(r"\s+", "", text)
    joined = " ".join(pieces)
    assert re.sub(r"\s+", " ", joined) == re.sub(r"\s+", " ", text).strip()


def test_long_text_is_linear():
    text = "Rs. 5 cr. U.S. A. B. " * 5000  # 100 KB of abbreviations and initials: no pathological case
    assert len(split(text)) >= 1
