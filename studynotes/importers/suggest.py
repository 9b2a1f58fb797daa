"""Timeline entries and facts suggested from sentences with one clear date or one amount.

Only where it is safe: a sentence with exactly one year (not a range, not a financial year such as
2022-23) gives a timeline entry; a sentence with an amount of money or a percentage gives a fact
when a short label can be read off the words before it. The sentence itself always stays a point:
a suggestion is an extra, and carries a ``# check:`` comment naming the sentence it came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..markup import plain
from ..model import Event, Fact
from . import inline
from .outline import DraftPoint, DraftSection, plural

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_YEAR = re.compile(r"(?<![\w-])(?:19|20)\d{2}(?![\w-])")
_RANGE = re.compile(r"\b(?:19|20)\d{2}\s*[-–/]\s*\d{2,4}\b|\b(?:19|20)\d{2}s\b")
_DATE = re.compile(rf"(?P<lead>\b(?:[Ii]n|[Oo]n)\s+)(?P<when>(?:(?:\d{{1,2}}\s+)?(?:{MONTHS})"
                   rf"(?:\s+\d{{1,2}})?,?\s+)?(?:19|20)\d{{2}})(?![\w-])")
_MONEY = re.compile(r"(?:(?:more than|over|about|around|nearly|almost|approximately)\s+)?~?\s?"
                    r"(?:(?:US\$|USD|Rs\.?|INR|₹|\$|€|£)\s?~?\d[\d,]*(?:\.\d+)?"
                    r"(?:\s(?:billion|million|trillion|crore|lakh|bn|mn|cr\b\.?))?"
                    r"|\d[\d,]*(?:\.\d+)?\s?(?:%|per\s?cent\b))")
_LINKING = re.compile(r"(?:\s+(?:stood|stands|stand|is|was|are|were|has been|have been|reached|touched|crossed|"
                      r"amounted|amounting|worth|at|of|to|by|about|around|nearly|over))+$", re.I)
EVENT_WORDS = (3, 20)
LABEL_WORDS = (2, 8)


def _points(points: list[DraftPoint]) -> Iterator[DraftPoint]:
    for p in points:
        yield p
        yield from _points(p.points)


def _first_words(text: str, n: int = 6) -> str:
    words = text.split()
    return " ".join(words[:n]) + ("…" if len(words) > n else "")


def event(sentence: str) -> Event | None:
    """A dated event from a sentence with one year: the date, and the sentence without it."""
    if len(_YEAR.findall(sentence)) != 1 or _RANGE.search(sentence):
        return None
    m = _DATE.search(sentence)
    if m is None:
        return None
    what = (sentence[: m.start()] + sentence[m.end():]).strip()
    what = re.sub(r"^,\s*", "", re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s{2,}", " ", what)))
    what = what.rstrip(" .;,")
    if not EVENT_WORDS[0] <= len(what.split()) <= EVENT_WORDS[1]:
        return None
    what = what[:1].upper() + what[1:]
    return Event(inline.escape(re.sub(r",(?=\s+\d{4})", "", m.group("when"))), inline.escape(what))


def fact(sentence: str) -> Fact | None:
    """A fact from the first amount in a sentence, labelled by the words before it in its clause."""
    m = _MONEY.search(sentence)
    if m is None:
        return None
    clause = re.split(r"[,;:(]\s", sentence[: m.start()])[-1]
    label = _LINKING.sub("", clause.strip()).strip()
    if not LABEL_WORDS[0] <= len(label.split()) <= LABEL_WORDS[1]:
        return None
    year = re.match(r"\s+in\s+((?:19|20)\d{2})\b", sentence[m.end():])
    label = label[:1].upper() + label[1:] + (f" ({year.group(1)})" if year else "")
    return Fact(inline.escape(label), inline.escape(m.group().strip()))


def _sections(drafts: list[DraftSection]) -> Iterator[DraftSection]:
    for d in drafts:
        yield d
        yield from d.sections


def add(drafts: list[DraftSection]) -> str:
    """Suggestions added to the sections whose points they come from; the report phrase, or ''."""
    events = facts = 0
    for d in _sections(drafts):
        for p in _points(d.points):
            sentence = plain(p.text)
            note = f"check: suggested from \"{_first_words(sentence)}\""
            e, f = event(sentence), fact(sentence)
            if e is not None:
                d.timeline.append((e, note))
                events += 1
            if f is not None:
                d.facts.append((f, note))
                facts += 1
    if not events and not facts:
        return ""
    found = " and ".join(x for x in (plural(events, "timeline entry", "timeline entries") if events else "",
                                     plural(facts, "fact") if facts else "") if x)
    return f"suggested {found} (marked '# check:')"
