"""Sentences of a paragraph, for editorials written in Indian English.

A small rule splitter of our own rather than a PyPI one: the four measured in the research (pysbd,
syntok, blingfire, sentencex) all split after "Rs.", "cr." or "Govt.", one is 99 MB, one hangs on some
input. The rules here are linear in the text and err towards *not* splitting: a missed boundary
leaves two sentences in one point, a wrong one cuts a sentence in half.

A boundary is '.', '?', '!', '…', the danda '।' (and closing quotes or brackets after them), then
white space, then something that can start a sentence (not a lower-case letter). A full stop does
not end a sentence after an abbreviation that always leads into what follows ("Dr.", "Rs.", "No.",
"e.g.", "Govt.", initials such as "A. K."), nor after a dotted acronym or a unit ("U.S.", "cr.")
unless the next word is one that usually starts a sentence ("The", "It", "However" …). Pieces are
cut only at white space, so joining them with single spaces gives back the paragraph.
"""

from __future__ import annotations

import re

# Always followed by a name, a number or more of the same sentence: never the end of one.
LEADING = frozenset("""
mr mrs ms mx dr prof shri sri smt sh kum hon hon'ble rev fr st mt ft jr sr
gen lt col capt maj brig adm cdr sgt supt insp const dy addl asst jt secy adv er
govt dept univ dist distt pvt
rs re no nos art arts sec secs cl ch para paras sl fig figs p pp vol vols ed eds
vs v viz cf approx est ca c e.g i.e eg ie al
jan feb mar apr jun jul aug sep sept oct nov dec
""".split())

# May end a sentence, but usually does not: a boundary only before a word that typically starts one.
WEAK = frozenset("cr crs bn mn mln bln lac km kg sq inc ltd co corp bros".split())

STARTERS = frozenset("""
the this that these those it its he she they we i you there their his her our my your
in on at as by for from with after before since during under over about among between
but and or so yet however moreover further furthermore also thus hence therefore meanwhile
while when where if although though because unless despite such both each every all some
many most several a an one no not
""".split())

_ENDS = re.compile(r"[.?!…।॥]+[\"'”’)\]»]*(?=\s)|[.?!…।॥]+[\"'”’)\]»]*\Z")
_SPACE = re.compile(r"\s+")
_OPENERS = "\"'“‘([«¡¿"
_TOKEN_STRIP = "\"'“‘([{«"
_DOTTED = re.compile(r"(?:[^\W\d_]\.){2,}\Z")  # U.S. / e.g. / a.m. / U.S.A. (the last dot included)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def _token_before(text: str, end: int) -> str:
    """The word that ends at ``end`` (just before the punctuation), without opening quotes."""
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end].lstrip(_TOKEN_STRIP)


def _starts_sentence(text: str, i: int) -> bool:
    """Whether the text at ``i`` can begin a sentence: not a lower-case letter (after any opening quote)."""
    n = len(text)
    while i < n and text[i] in _OPENERS:
        i += 1
    if i >= n:
        return False
    ch = text[i]
    return not ch.islower() and not ch.isspace() and ch not in ",;:)]}"


def _next_word(text: str, i: int) -> str:
    while i < len(text) and text[i] in _OPENERS:
        i += 1
    m = _WORD.match(text, i)
    return m.group().lower() if m else ""


def _full_stop_ends(text: str, dot: int, after: int) -> bool:
    """Whether the full stop at ``dot`` ends a sentence, given the next sentence would start at ``after``."""
    token = _token_before(text, dot + 1)  # with its final dot
    word = token[:-1]
    low = word.lower()
    if not word:
        return True
    if low in LEADING or low.rstrip(".") in LEADING:
        return False
    if len(word) == 1 and word.isalpha():  # an initial: "A. K. Sen", "Plan B." stays joined
        return False
    if dot - len(token) + 1 == 0 and word.isdigit() and len(word) <= 3:  # "1. India …": a list number
        return False
    if _DOTTED.match(token) or low in WEAK:
        return _next_word(text, after) in STARTERS
    return True


def boundaries(text: str) -> list[int]:
    """Offsets where a new sentence starts (after the white space that follows a boundary)."""
    out: list[int] = []
    for m in _ENDS.finditer(text):
        end = m.end()
        space = _SPACE.match(text, end)
        if space is None:  # the end of the text
            continue
        after = space.end()
        punct = m.group()
        if "।" in punct or "॥" in punct:
            out.append(after)
            continue
        if not _starts_sentence(text, after):
            continue
        stop = m.start() + len(punct.rstrip("\"'”’)]»"))  # just after the last mark
        if text[stop - 1] == "." and not punct.startswith(("..", "…")) and len(punct.rstrip("\"'”’)]»")) == 1:
            if not _full_stop_ends(text, stop - 1, after):
                continue
        out.append(after)
    return out


def spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, trimmed of white space; together they hold every non-space character."""
    cuts = [0, *boundaries(text), len(text)]
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        if trail > lead:
            out.append((a + lead, a + trail))
    return out


def split(text: str) -> list[str]:
    """The sentences of ``text``, in order."""
    return [text[a:b] for a, b in spans(text)]
