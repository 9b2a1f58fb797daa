"""Multiple-choice questions from the notes: pure and deterministic (a seeded ``random.Random``, no
ReportLab), so a quiz, its series and every student's variant can be made again from the seed alone.

Every question has four options of which exactly one is right by construction: distractors are
*siblings* of the key from the same topic (other dates written in the same form, other terms'
meanings, other figures of the same currency or unit, other cards' answers of the same type), and a
sibling that could be right too (a date that overlaps the key's, an equal figure, an equal text after
normalising) is never taken. Where the notes have too few siblings a figure gets close numbers
formatted exactly like it (``US$ 13.7 bn`` → ``US$ 11.0 bn``); nothing else is invented except the
false statements of statement questions, which are flagged for the teacher with the point they were
made from ("check before use").

The right letter of each question is chosen before the question is made (a balanced sequence of
letters), so the key spreads evenly over (a)–(d), also for the ordered code lists ("1 only … Neither
1 nor 2"), whose right code is picked by choosing which statements are true.
"""

from __future__ import annotations

import functools
import math
import random
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from ..errors import Loc
from ..markup import MarkupError, key_phrases, parse, plain
from ..model import Card, Event, Fact, Point, Section, Term, Topic, iter_points

LETTERS = "ABCD"
KINDS = ("when", "happened", "order", "meaning", "term", "figure", "card", "pairs", "statements", "how-many")
# what each kind is made from, for the note that says why a quiz is short
SOURCES = {"when": "timeline", "happened": "timeline", "order": "timeline", "meaning": "terms", "term": "terms",
           "figure": "figures", "card": "cards", "pairs": "terms or tables", "statements": "key points",
           "how-many": "key points"}
TWO_CODES = ("1 only", "2 only", "Both 1 and 2", "Neither 1 nor 2")  # (T,F) (F,T) (T,T) (F,F)
TWO_TRUTH = ((True, False), (False, True), (True, True), (False, False))
HOW_MANY = ("Only one", "Only two", "All three", "None")
HOW_MANY_TRUE = (1, 2, 3, 0)
PAIR_CODES = ("Only one pair", "Only two pairs", "All three pairs", "None of the pairs")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
MAX_OPTION = 160  # characters: a longer answer makes a poor option (cards with whole sentences)
MAX_STATEMENT = 230


@dataclass(frozen=True)
class Question:
    """One question as printed: its stem, numbered items (events, pairs, statements), the line that asks,
    four options and which is right. ``subject`` names what is asked about (an event, a term, a
    figure's label, a card's question) so that tests can check the key against the notes on their own."""

    kind: str
    stem: str
    options: tuple[str, ...]
    right: int  # index into options
    subject: str = ""
    items: tuple[str, ...] = ()
    ask: str = ""
    fixed: bool = False  # the options are an ordered code list: series keep their order
    source: str = ""  # "3.2 Economic ties and trade"
    loc: Loc = Loc()
    uses: tuple[str, ...] = ()  # the notes' items it is made of: no item serves two questions
    flags: tuple[str, ...] = ()  # for the teacher: generated false statements, with the original
    explain: str = ""  # for the key: which statements or pairs are right, the events in order
    origin: int = 0  # its number in the master paper (series and variants reorder)

    @property
    def letter(self) -> str:
        return LETTERS[self.right]

    @property
    def answer(self) -> str:
        return self.options[self.right]


@dataclass(frozen=True)
class Quiz:
    questions: tuple[Question, ...]
    seed: int
    variant: str
    asked: int  # how many were asked for
    short_of: tuple[str, ...] = ()  # what the notes lacked when fewer were made

    def note(self, topic_id: str) -> str | None:
        if len(self.questions) >= self.asked:
            return None
        why = f"; not enough {' or '.join(self.short_of)} for {self.asked}" if self.short_of else ""
        return f"quiz of {topic_id}: {len(self.questions)} questions{why}"


def default_seed(topic: Topic) -> int:
    """The same notes give the same quiz: a seed from the topic's id (stable across runs and machines)."""
    return zlib.crc32(topic.id.encode()) & 0x7FFFFFFF


def shown(text: str) -> str:
    """Notes text as a question prints it: its markup (bold, italic, formulas) kept, its ==key==
    marks dropped (a highlighted phrase would point at the answer)."""
    try:
        runs = parse(text)
    except MarkupError:
        return text
    out = []
    for r in runs:
        if getattr(r, "math", ""):
            out.append(f"${r.text}$")  # display maths sits inline in an option
            continue
        t = re.sub(r"([\\*=])", r"\\\1", r.text)
        core = t.strip()
        lead, tail = t[: len(t) - len(t.lstrip())], t[len(t.rstrip()):]  # markers hug the words
        core = f"**{core}**" if r.bold and core else core
        core = f"*{core}*" if r.italic and core else core
        out.append(f"{lead}{core}{tail}")
    return "".join(out).strip()


@functools.lru_cache(maxsize=4096)
def norm(text: str) -> str:
    """An option as compared for equality: markup gone, case and spaces folded, end punctuation dropped."""
    return re.sub(r"\s+", " ", plain(text)).strip().strip(".;:").casefold()


# -- dates -------------------------------------------------------------------------------------------

_YEAR = re.compile(r"(\d{3,4})")
_MONTH_YEAR = re.compile(rf"({'|'.join(MONTHS)}) (\d{{3,4}})")
_DAY = re.compile(rf"(\d{{1,2}}) ({'|'.join(MONTHS)}) (\d{{3,4}})")
_DECADE = re.compile(r"(\d{2,3})0s")
_CENTURY = re.compile(r"(\d{1,2})(?:st|nd|rd|th) century")


def date_form(when: str) -> tuple[str, tuple[int, int] | None]:
    """A date's form ("year", "day", "month-year", "decade", "century", "other") and the months it covers,
    so that only dates written alike are options together and overlapping ones never are."""
    w = plain(when).strip()
    if m := _YEAR.fullmatch(w):
        y = int(m.group(1))
        return "year", (y * 12, y * 12 + 11)
    if m := _DAY.fullmatch(w):  # compared by month: two days of one month are never both options
        y, mo = int(m.group(3)), MONTHS.index(m.group(2))
        return "day", (y * 12 + mo, y * 12 + mo)
    if m := _MONTH_YEAR.fullmatch(w):
        y, mo = int(m.group(2)), MONTHS.index(m.group(1))
        return "month-year", (y * 12 + mo, y * 12 + mo)
    if m := _DECADE.fullmatch(w):
        y = int(m.group(1)) * 10
        return "decade", (y * 12, y * 12 + 119)
    if m := _CENTURY.fullmatch(w):
        c = int(m.group(1))
        return "century", ((c - 1) * 1200, c * 1200 - 1)
    return "other", None


def _apart(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and (a[1] < b[0] or b[1] < a[0])


# -- numbers -----------------------------------------------------------------------------------------

_NUMBER = re.compile(r"(?P<pre>\D*?)(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<dec>\d+))?(?P<post>\D*)")


@dataclass(frozen=True)
class Figure:
    """A value with exactly one number: what stands around it and how it is written."""

    pre: str
    value: float
    decimals: int
    commas: bool
    post: str
    digits: int  # significant digits of a whole number ("30,000" → 1), for rounding close numbers alike

    @property
    def unit(self) -> tuple[str, str]:
        return self.pre.strip(" ~≈").casefold(), self.post.strip().casefold()

    def written(self, value: float, pre: str | None = None, post: str | None = None) -> str:
        text = f"{value:,.{self.decimals}f}" if self.commas else f"{value:.{self.decimals}f}"
        return f"{self.pre if pre is None else pre}{text}{self.post if post is None else post}"


def figure(value: str) -> Figure | None:
    m = _NUMBER.fullmatch(plain(value).strip())
    if not m:
        return None
    whole = m.group("int").replace(",", "")
    dec = m.group("dec") or ""
    return Figure(m.group("pre"), float(f"{whole}.{dec}" if dec else whole), len(dec), "," in m.group("int"),
                  m.group("post"), max(1, len(whole.rstrip("0"))) if not dec else 0)


def _rounded(f: Figure, x: float) -> float:
    if f.decimals:
        return round(x, f.decimals)
    if x < 1:
        return 0
    places = len(str(int(x))) - f.digits
    step = 10 ** max(0, places)
    return math.floor(x / step + 0.5) * step


def close_numbers(f: Figure, rng: random.Random, want: int, taken: set[float]) -> list[float]:
    """Numbers near the figure, rounded as it is, on both sides of it in a random split (so the right
    one is not always the middle or an end), never equal to it or to ``taken``, never absurd (a share
    stays within 100, nothing drops to zero)."""
    below = [_rounded(f, f.value * k) for k in (0.8, 0.65, 0.5)]
    above = [_rounded(f, f.value * k) for k in (1.25, 1.5, 2.0)]
    percent = "%" in f.post
    out: list[float] = []
    seen = set(taken) | {f.value}
    for side in rng.sample((below, above), 2) if rng.random() < 0.5 else (below, above):
        for x in side:
            if len(out) < want and x > 0 and x not in seen and not (percent and x > 100):
                out.append(x)
                seen.add(x)
    return out


# -- the notes, gathered once -------------------------------------------------------------------------

@dataclass(frozen=True)
class Stuff:
    """What a topic offers, each item with the section it comes from."""

    events: tuple[tuple[Event, Section], ...]
    terms: tuple[tuple[Term, Section], ...]
    facts: tuple[tuple[Fact, Section], ...]
    cards: tuple[tuple[Card, Section], ...]
    rows: tuple[tuple[str, str, Section, Loc, str], ...]  # two-column table rows: left, right, section, loc, title
    points: tuple[tuple[Point, Section], ...]  # statements: key points and points with key phrases

    @staticmethod
    def of(topic: Topic) -> Stuff:
        ev, te, fa, ca, ro, po = [], [], [], [], [], []
        for sec, _ in topic.walk():
            ev += [(e, sec) for e in sec.timeline]
            te += [(t, sec) for t in sec.terms]
            fa += [(f, sec) for f in sec.facts]
            ca += [(c, sec) for c in sec.cards]
            if sec.table is not None and len(sec.table.columns) == 2:
                ro += [(r[0], r[1], sec, sec.table.loc, sec.table.title or "") for r in sec.table.rows]
            po += [(p, sec) for p, depth in iter_points(sec.points) if depth <= 1
                   and (p.key or key_phrases(p.text)) and 25 <= len(plain(p.text)) <= MAX_STATEMENT]
        return Stuff(tuple(ev), tuple(te), tuple(fa), tuple(ca), tuple(ro), tuple(po))

    def true_statements(self) -> set[str]:
        """Every statement the notes make, normalised: a false one must not be among them."""
        return {norm(p.text) for p, _ in self.points} | {norm(_fact_statement(f)) for f, _ in self.facts}


def source(sec: Section) -> str:
    return f"{sec.number} {plain(sec.title)}".strip()


def _fact_statement(f: Fact) -> str:
    return f"{plain(f.label).rstrip(':')}: {plain(f.value)}"


def _head(meaning: str) -> str:
    """A meaning's first part: the expansion or definition before a dash or semicolon."""
    return re.split(r"\s[—–]\s|;\s", shown(meaning).strip(), maxsplit=1)[0].strip()


def _acronym(term: str) -> bool:
    t = plain(term).strip()
    return bool(re.fullmatch(r"[A-Z][A-Za-z0-9&+\-/]*", t)) and sum(c.isupper() for c in t) >= 2


def _card_type(answer: str) -> str:
    a = plain(answer)
    words = len(a.split())
    if re.search(r"\d", a) and words <= 5:
        return "number"
    if words > 8 or a.split()[0] in _PRONOUNS:
        return "sentence"
    return "phrase"


_SIMPLE = re.compile(r"[\w\s~≈%.,$£€₹-]{1,30}")  # "About 5%", "US$ 4.3 bn": no formula, no sentence
_PRONOUNS = {"It", "Its", "It's", "They", "Their", "He", "His", "She", "Her", "This", "These", "That", "Those"}


# -- options --------------------------------------------------------------------------------------

def _pick_like(rng: random.Random, right: str, pool: list[str], want: int = 3) -> list[str] | None:
    """``want`` distractors from ``pool``, each unlike the right answer and one another after
    normalising, preferring lengths near the right answer's (no length cue)."""
    seen = {norm(right)}
    cands: list[str] = []
    for p in pool:
        n = norm(p)
        if n and n not in seen and n not in norm(right) and norm(right) not in n:
            seen.add(n)
            cands.append(p)
    if len(cands) < want:
        return None
    rng.shuffle(cands)
    cands.sort(key=lambda c: abs(len(c) - len(right)) / max(len(right), 1) > 0.4)  # near lengths first, stable
    near = cands[: max(want, min(len(cands), want + 2))]
    return rng.sample(near, want)


def _placed(right: str, wrong: list[str], target: int, rng: random.Random) -> tuple[tuple[str, ...], int]:
    others = list(wrong)
    rng.shuffle(others)
    others.insert(target, right)
    return tuple(others), target


def _uses(kind: str, sec: Section, i: int) -> str:
    return f"{kind}:{sec.number}:{sec.id}:{i}"


# -- the generators: each yields questions lazily, for a target letter it is given ------------------

Maker = Callable[[int], Question | None]


def _timeline(stuff: Stuff, rng: random.Random) -> dict[str, list[Maker]]:
    events = [(e, sec, i, *date_form(e.when)) for i, (e, sec) in enumerate(stuff.events)]
    when_makers: list[Maker] = []
    happened: list[Maker] = []
    for e, sec, i, form, span in events:
        if span is None:
            continue
        others = [(o, s) for o, _, j, f, s in events if j != i and f == form and _apart(s, span)]
        whens = [shown(o.when) for o, _ in others]
        whats = [shown(o.what) for o, _ in others]

        def when(target: int, e=e, sec=sec, i=i, whens=whens) -> Question | None:
            wrong = _pick_like(rng, shown(e.when), whens)
            if wrong is None:
                return None
            opts, right = _placed(shown(e.when), wrong, target, rng)
            return Question("when", f"When did this happen: {shown(e.what).rstrip('.')}?", opts, right,
                            subject=plain(e.what), source=source(sec), loc=e.loc, uses=(_uses("event", sec, i),))

        def did(target: int, e=e, sec=sec, i=i, whats=whats) -> Question | None:
            wrong = _pick_like(rng, shown(e.what), whats)
            if wrong is None:
                return None
            opts, right = _placed(shown(e.what), wrong, target, rng)
            return Question("happened", f"Which of these happened in {shown(e.when)}?", opts, right,
                            subject=plain(e.when), source=source(sec), loc=e.loc, uses=(_uses("event", sec, i),))

        when_makers.append(when)
        happened.append(did)
    return {"when": when_makers, "happened": happened, "order": _orders(events, rng)}


def _orders(events: list, rng: random.Random) -> list[Maker]:
    """Chronological order: four events whose dates do not overlap, listed out of order, with four
    orderings as options (any two orderings differ in at least two places)."""
    dated = [(e, sec, i, span) for e, sec, i, _, span in events if span is not None]
    makers: list[Maker] = []
    for _ in range(len(dated) // 4):
        def order(target: int) -> Question | None:
            pool = list(dated)
            rng.shuffle(pool)
            chosen: list = []
            for cand in pool:
                if all(_apart(cand[3], c[3]) for c in chosen):
                    chosen.append(cand)
                if len(chosen) == 4:
                    break
            if len(chosen) < 4:
                return None
            listed = list(chosen)
            while True:
                rng.shuffle(listed)
                if [c[2] for c in listed] != [c[2] for c in sorted(chosen, key=lambda c: c[3][0])]:
                    break
            truth = tuple(sorted(range(4), key=lambda k: listed[k][3][0]))
            perms = [truth]
            while len(perms) < 4:
                p = tuple(rng.sample(range(4), 4))
                if all(sum(a != b for a, b in zip(p, q, strict=True)) >= 2 for q in perms):
                    perms.append(p)
            wrong = ["–".join(str(k + 1) for k in p) for p in perms[1:]]
            opts, right = _placed("–".join(str(k + 1) for k in truth), wrong, target, rng)
            first = listed[0]
            return Question("order", "Arrange the following events in chronological order (earliest first):",
                            opts, right, items=tuple(shown(c[0].what) for c in listed),
                            ask="Select the correct answer using the code given below:",
                            source="; ".join(dict.fromkeys(source(c[1]) for c in listed)), loc=first[0].loc,
                            uses=tuple(_uses("event", c[1], c[2]) for c in listed),
                            explain="; ".join(f"{plain(listed[k][0].when)}: {k + 1}" for k in truth))
        makers.append(order)
    return makers


def _terms(stuff: Stuff, rng: random.Random) -> dict[str, list[Maker]]:
    terms = [(t, sec, i, _head(t.meaning), _acronym(t.term)) for i, (t, sec) in enumerate(stuff.terms)]
    meaning_makers: list[Maker] = []
    term_makers: list[Maker] = []
    for t, sec, i, head, acro in terms:
        name = shown(t.term).strip()
        siblings = [(o, h) for o, _, j, h, a in terms if j != i and a == acro and norm(o.term) != norm(t.term)]
        heads = [h for _, h in siblings if len(h) <= MAX_OPTION]
        names = [shown(o.term).strip() for o, _ in siblings]

        def meaning(target: int, t=t, sec=sec, i=i, head=head, heads=heads, name=name, acro=acro) -> Question | None:
            if len(head) > MAX_OPTION or norm(head) in norm(name):
                return None
            wrong = _pick_like(rng, head, [h for h in heads if norm(name) not in norm(h)])
            if wrong is None:
                return None
            opts, right = _placed(head, wrong, target, rng)
            stem = f"What does {name} stand for?" if acro else f"Which of the following best describes “{name}”?"
            return Question("meaning", stem, opts, right, subject=plain(name), source=source(sec), loc=t.loc,
                            uses=(_uses("term", sec, i),))

        def term(target: int, t=t, sec=sec, i=i, head=head, names=names, name=name, acro=acro) -> Question | None:
            if len(head) > MAX_OPTION or norm(name) in norm(head):
                return None
            wrong = _pick_like(rng, name, [n for n in names if norm(n) not in norm(head)])
            if wrong is None:
                return None
            opts, right = _placed(name, wrong, target, rng)
            what = "abbreviation" if acro else "term"
            return Question("term", f"Which {what} means: {head.rstrip('.')}?", opts, right, subject=plain(head),
                            source=source(sec), loc=t.loc, uses=(_uses("term", sec, i),))

        meaning_makers.append(meaning)
        term_makers.append(term)
    return {"meaning": meaning_makers, "term": term_makers}


def _figures(stuff: Stuff, rng: random.Random) -> list[Maker]:
    facts = [(f, sec, i, figure(f.value)) for i, (f, sec) in enumerate(stuff.facts)]
    makers: list[Maker] = []
    for f, sec, i, fig in facts:
        if fig is None:
            continue
        same = [g for _, _, j, g in facts if j != i and g is not None and g.unit == fig.unit and g.value != fig.value
                and 0.25 <= g.value / max(fig.value, 1e-9) <= 4]  # of a size: "12" and "30,000" are no siblings

        def ask(target: int, f=f, sec=sec, i=i, fig=fig, same=same) -> Question | None:
            right_text = fig.written(fig.value)
            values: list[float] = []
            wrong: list[str] = []
            for g in rng.sample(same, len(same)):
                if g.value not in values and len(values) < 3:
                    values.append(g.value)
                    # another fact's number as it is written, with this figure's currency and unit
                    wrong.append(g.written(g.value, pre=fig.pre, post=fig.post))
            if len(values) < 3:
                wrong += [fig.written(v) for v in close_numbers(fig, rng, 3 - len(values), set(values))]
            if len(wrong) < 3:
                return None
            if len({norm(w) for w in wrong} | {norm(right_text)}) < 4:
                return None
            opts, right = _placed(right_text, wrong, target, rng)
            label = shown(f.label).rstrip(":")
            return Question("figure", f"What is the figure for: {label}?", opts, right, subject=plain(label),
                            source=source(sec), loc=f.loc, uses=(_uses("fact", sec, i),))
        makers.append(ask)
    return makers


def _cards(stuff: Stuff, rng: random.Random) -> list[Maker]:
    cards = [(c, sec, i, shown(c.a).strip(), _card_type(c.a)) for i, (c, sec) in enumerate(stuff.cards)]
    makers: list[Maker] = []
    for c, sec, i, a, kind in cards:
        pool = [o for _, _, j, o, k in cards if j != i and k == kind and len(o) <= MAX_OPTION]

        def ask(target: int, c=c, sec=sec, i=i, a=a, pool=pool) -> Question | None:
            q = shown(c.q).strip()
            if len(a) > MAX_OPTION or norm(a) in norm(q):
                return None
            wrong = _pick_like(rng, a, pool)
            fig = figure(a) if _SIMPLE.fullmatch(plain(a)) else None
            if wrong is None and fig is not None:  # "About 5%": close numbers written alike
                wrong = [fig.written(v) for v in close_numbers(fig, rng, 3, set())]
                wrong = wrong if len(wrong) == 3 else None
            if wrong is None:
                return None
            opts, right = _placed(a, wrong, target, rng)
            return Question("card", q, opts, right, subject=plain(q), source=source(sec), loc=c.loc,
                            uses=(_uses("card", sec, i),))
        makers.append(ask)
    return makers


def _pairs(stuff: Stuff, rng: random.Random) -> list[Maker]:
    """"Consider the following pairs": three pairs from one table (or the terms), some swapped;
    how many are correctly matched. A swapped pair takes another row's right-hand side that differs
    from its own and is no true pair anywhere in the pool."""
    pools: list[tuple[list[tuple[str, str, str]], str, Section, Loc]] = []  # (left, right, use), heading
    by_table: dict[str, list] = {}
    for left, right, sec, loc, title in stuff.rows:
        by_table.setdefault(f"{sec.number}:{sec.id}", []).append((shown(left), shown(right), sec, loc, title))
    for key, rows in by_table.items():
        sec, loc, title = rows[0][2], rows[0][3], rows[0][4]
        cols = sec.table.columns if sec.table else ("", "")
        pools.append(([(lf, rt, f"row:{key}:{k}") for k, (lf, rt, *_) in enumerate(rows)],
                      f"{plain(cols[0])} : {plain(cols[1])}" if title == "" else
                      f"{plain(title)} ({plain(cols[0])} : {plain(cols[1])})", sec, loc))
    terms = [(shown(t.term).strip(), _head(t.meaning), _uses("term", sec, i))
             for i, (t, sec) in enumerate(stuff.terms) if len(_head(t.meaning)) <= 70]
    if stuff.terms:
        pools.append((terms, "Term : Meaning", stuff.terms[0][1], stuff.terms[0][0].loc))
    makers: list[Maker] = []
    for rows, heading, sec, loc in pools:
        if len({norm(r) for _, r, _ in rows}) < 3:
            continue
        for _ in range(max(1, len(rows) // 3)):
            def ask(target: int, rows=rows, heading=heading, sec=sec, loc=loc) -> Question | None:
                true_pairs = {(norm(lf), norm(rt)) for lf, rt, _ in rows}
                n_true = (1, 2, 3, 0)[target]
                chosen = rng.sample(rows, 3) if len(rows) >= 3 else None
                if chosen is None:
                    return None
                wrong_at = set(rng.sample(range(3), 3 - n_true))
                items = []
                shown = {norm(rt) for k, (_, rt, _) in enumerate(chosen) if k not in wrong_at}
                for k, (lf, rt, _) in enumerate(chosen):
                    if k not in wrong_at:
                        items.append(f"{lf} : {rt}")
                        continue
                    swaps = [r for _, r, _ in rows if norm(r) != norm(rt) and norm(r) not in shown
                             and (norm(lf), norm(r)) not in true_pairs]
                    if not swaps:
                        return None
                    swap = rng.choice(swaps)
                    shown.add(norm(swap))
                    items.append(f"{lf} : {swap}")
                said = "; ".join(f"{k} {'wrong' if k - 1 in wrong_at else 'right'}" for k in range(1, 4))
                return Question("pairs", f"Consider the following pairs ({heading}):", PAIR_CODES, target,
                                items=tuple(items), ask="How many of the pairs given above are correctly matched?",
                                fixed=True, source=source(sec), loc=loc, uses=tuple(u for *_, u in chosen),
                                explain=said)
            makers.append(ask)
    return makers


_SWAP_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")


def _phrase_class(p: str, terms: set[str]) -> str:
    """Year, number, a term the notes define, an abbreviation, a name, or a phrase: only a phrase of
    the same class may stand in for another (a term for a term, a year for a year)."""
    p = p.strip()
    form, _ = date_form(p)
    if form != "other":
        return f"date:{form}"
    if re.search(r"\d", p):
        f = figure(p)
        return f"number:{f.unit}" if f else "number"
    if p.casefold() in terms:
        return "term:abbreviation" if _acronym(p) else "term:concept"
    if _acronym(p):
        return "abbreviation"
    return "name" if p[:1].isupper() else "phrase"


def _falsified(point: Point, sec: Section, stuff: Stuff, rng: random.Random,
               truths: set[str]) -> tuple[str, str] | None:
    """A false statement from a true point: one year, figure or key phrase swapped for a sibling of the
    same class from another point (a year for a year, an abbreviation for an abbreviation); never one
    the point already holds, never a sentence the notes make elsewhere. Years and figures are tried
    first (the exam's "wrong timing" trap reads best), then abbreviations, then names and phrases of
    the point's own section."""
    text = shown(point.text).strip()
    whole = " ".join(plain(p.text) for p, _ in iter_points((point,))).casefold()
    terms = {plain(t.term).strip().casefold() for t, _ in stuff.terms}
    tiers: list[list[tuple[str, str]]] = [[], [], []]
    for phrase in key_phrases(point.text):
        cls = _phrase_class(phrase, terms)
        n = len(phrase.split())
        sibs = {k: s is sec for p, s in stuff.points if p is not point for k in key_phrases(p.text)
                if _phrase_class(k, terms) == cls and abs(len(k.split()) - n) <= 1 and k.casefold() not in whole}
        near = sorted(k for k, same in sibs.items() if same)  # siblings of the same section first
        # names, concepts and plain phrases only stand in for ones of their own section: from elsewhere
        # they read as nonsense ("Divergent approaches to Northeast"); dates, figures and abbreviations
        # of a kind may come from anywhere in the topic
        local = cls in ("phrase", "name", "term:concept")
        tier = 0 if cls.startswith(("date", "number")) else 2 if local else 1
        tiers[tier] += [(phrase, s) for s in (near if local else near or sorted(sibs))]
    years = sorted({y for p, _ in stuff.points for y in _SWAP_YEAR.findall(plain(p.text))}
                   | {y for e, _ in stuff.events for y in _SWAP_YEAR.findall(plain(e.when))})
    for y in dict.fromkeys(_SWAP_YEAR.findall(plain(point.text))):
        tiers[0] += [(y, o) for o in years if o not in whole]
    for choices in tiers:
        rng.shuffle(choices)
        for old, new in choices:
            changed = re.sub(rf"(?<!\w){re.escape(old)}(?!\w)", new, text, count=1)
            if changed != text and norm(changed) not in truths:
                return changed, text
    return None


def _statements(stuff: Stuff, rng: random.Random, topic: Topic) -> dict[str, list[Maker]]:
    truths = stuff.true_statements()
    points = list(enumerate(stuff.points))

    def make(kind: str, count: int, target: int) -> Question | None:
        truth = TWO_TRUTH[target] if kind == "statements" else \
            tuple(rng.sample([True] * HOW_MANY_TRUE[target] + [False] * (3 - HOW_MANY_TRUE[target]), 3))
        order = rng.sample(points, len(points))
        items, uses, flags, secs = [], [], [], []
        used_secs: set[str] = set()
        for t in truth:
            for i, (p, sec) in order:
                use = _uses("point", sec, i)
                if use in uses or (sec.id in used_secs and len(order) > 3 * count):
                    continue
                if t:
                    items.append(shown(p.text).strip().rstrip("."))
                else:
                    made = _falsified(p, sec, stuff, rng, truths)
                    if made is None:
                        continue
                    items.append(made[0].rstrip("."))
                    flags.append(f"statement {len(items)} was made false from “{made[1]}”")
                uses.append(use)
                secs.append(sec)
                used_secs.add(sec.id)
                break
            else:
                return None
        src = "; ".join(dict.fromkeys(source(s) for s in secs))
        said = "; ".join(f"{k} {'true' if t else 'false'}" for k, t in enumerate(truth, 1))
        title = shown(topic.title)
        if kind == "statements":
            return Question(kind, f"With reference to {title}, consider the following statements:", TWO_CODES,
                            target, items=tuple(items), ask="Which of the statements given above is/are correct?",
                            fixed=True, source=src, loc=secs[0].loc, uses=tuple(uses), flags=tuple(flags),
                            explain=said)
        return Question(kind, f"With reference to {title}, consider the following statements:", HOW_MANY, target,
                        items=tuple(items), ask="How many of the above statements are correct?", fixed=True,
                        source=src, loc=secs[0].loc, uses=tuple(uses), flags=tuple(flags), explain=said)

    n = len(points)
    return {"statements": [lambda t: make("statements", 2, t)] * (n // 4),
            "how-many": [lambda t: make("how-many", 3, t)] * (n // 6)}


# -- a quiz --------------------------------------------------------------------------------------

def balanced(n: int, rng: random.Random) -> list[int]:
    """``n`` right letters, each letter as often as any other (±1), in a random order."""
    letters = [k % 4 for k in range(n)]
    start = rng.randrange(4)
    letters = [(k + start) % 4 for k in letters]
    rng.shuffle(letters)
    return letters


def make(topic: Topic, count: int = 20, seed: int | None = None, variant: str = "") -> Quiz:
    """The quiz of a topic: ``count`` questions (fewer, with the reason, when the notes cannot give
    them), chosen round-robin over the question kinds in a seeded order; then arranged for
    ``variant`` (see ``arrange``)."""
    seed = default_seed(topic) if seed is None else seed
    rng = random.Random(f"quiz:{seed}")
    stuff = Stuff.of(topic)
    makers: dict[str, list[Maker]] = {**_timeline(stuff, rng), **_terms(stuff, rng), "figure": _figures(stuff, rng),
                                      "card": _cards(stuff, rng), "pairs": _pairs(stuff, rng),
                                      **_statements(stuff, rng, topic)}
    for k in makers:
        rng.shuffle(makers[k])
    order = [k for k in KINDS if makers.get(k)]
    rng.shuffle(order)
    targets = balanced(count, rng)
    chosen: list[Question] = []
    used: set[str] = set()
    answers: set[str] = set()
    queues = {k: iter(makers[k]) for k in order}
    while len(chosen) < count and queues:
        for kind in list(queues):
            if len(chosen) >= count:
                break
            q = _next(queues[kind], targets[len(chosen)], used, answers, chosen)
            if q is None:
                del queues[kind]
                continue
            chosen.append(replace(q, origin=len(chosen) + 1))
            used.update(q.uses)
            if not q.fixed:
                answers.add(norm(q.answer))
    short: tuple[str, ...] = ()
    if len(chosen) < count:
        have = {q.kind for q in chosen}
        short = tuple(dict.fromkeys(SOURCES[k] for k in KINDS if k not in have or not makers.get(k)))
        chosen = list(_rebalanced(chosen, rng))  # the letters were balanced for more questions
    quiz = Quiz(tuple(chosen), seed, "", count, short)
    return arrange(quiz, variant)


def _next(queue: Iterator[Maker], target: int, used: set[str], answers: set[str],
          chosen: list[Question]) -> Question | None:
    """The next question a kind can make that shares no notes item with the quiz so far, repeats no
    stem, and whose answer no other question's text gives away (nor gives away theirs)."""
    for maker in queue:
        q = maker(target)
        if q is None or used & set(q.uses):
            continue
        text = norm(" ".join((q.stem, *q.items)))
        if any(norm(c.stem) == norm(q.stem) and c.items == q.items for c in chosen):
            continue
        if not q.fixed and any(len(norm(q.answer)) >= 4 and norm(q.answer) in norm(" ".join((c.stem, *c.items)))
                               for c in chosen):
            continue
        if any(len(a) >= 4 and a in text for a in answers):
            continue
        return q
    return None


def arrange(quiz: Quiz, variant: str) -> Quiz:
    """A series or a student's variant: the same questions in another order, each question's options
    in another order (except ordered code lists), right letters balanced again. The master paper is
    variant "" or "A"; any other code gives its own permutation from the seed and the code alone."""
    if variant in ("", "A"):
        return replace(quiz, variant=variant or "A")
    rng = random.Random(f"variant:{quiz.seed}:{variant}")
    questions = list(quiz.questions)
    rng.shuffle(questions)
    return replace(quiz, questions=_rebalanced(questions, rng), variant=variant)


def _rebalanced(questions: list[Question], rng: random.Random) -> tuple[Question, ...]:
    """The options of the shufflable questions placed again so that every letter is right about as
    often as any other, the ordered code lists (whose letter their truth decides) counted first."""
    counts = [0, 0, 0, 0]
    for q in questions:
        if q.fixed:
            counts[q.right] += 1
    free = sum(not q.fixed for q in questions)
    wanted: list[int] = []
    for _ in range(free):
        k = min(range(4), key=lambda k: (counts[k], rng.random()))
        counts[k] += 1
        wanted.append(k)
    rng.shuffle(wanted)
    targets = iter(wanted)
    out = []
    for q in questions:
        if q.fixed:
            out.append(q)
            continue
        wrong = [o for k, o in enumerate(q.options) if k != q.right]
        opts, right = _placed(q.answer, wrong, next(targets), rng)
        out.append(replace(q, options=opts, right=right))
    return tuple(out)
