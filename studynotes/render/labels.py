"""Short labels for points and sections, for the kinds that cannot print whole sentences
(mind maps, summaries): the author's ``short`` when given, else one derived from the text."""

from __future__ import annotations

import re

from ..markup import MarkupError, compact, key_phrases, parse
from ..model import Point, Section

MAX_WORDS = 6
MIN_WORDS = 3
MAX_WORD = 40  # a longer "word" (a URL, a chemical name) is cut in a derived label
_CLAUSE_END = re.compile(r"\s[—–]\s|[;:,(.](?:\s|$)|\s\(")


def _words(text: str, limit: int) -> str:
    words = [w if len(w) <= MAX_WORD else w[:MAX_WORD] + "…" for w in text.split()]
    if len(words) <= limit:
        return " ".join(words)
    return " ".join(words[:limit]).rstrip(",;:—–-") + "…"


def point_label(point: Point) -> str:
    """The ``short`` label; else the point's first ==key== phrase; else its first clause, a few
    words, never cut inside a word."""
    if point.short:
        return compact(point.short)
    if point.text.strip().startswith("$") and compact(point.text) != point.text and _one_formula(point.text):
        return compact(point.text)  # a formula is never cut short
    keys = key_phrases(point.text)
    if keys:
        return _words(keys[0], MAX_WORDS)
    text = compact(point.text).strip()
    for clause_end in _CLAUSE_END.finditer(text):  # the first clause of at least three words
        if len(text[: clause_end.start()].split()) >= MIN_WORDS:
            return _words(text[: clause_end.start()], MAX_WORDS)
    return _words(text, MAX_WORDS)


def _one_formula(text: str) -> bool:
    try:
        runs = parse(text)
    except MarkupError:
        return False
    return len(runs) == 1 and bool(runs[0].math)


def section_label(section: Section) -> str:
    return compact(section.short) if section.short else compact(section.title)
