"""Inline markup of the notes (``**bold**``, ``*italic*``, ``==key==``, ``$formula$``) parsed into styled runs.

The parser never produces ReportLab markup itself: renderers escape each
run's text, so ``<b>``, ``&`` or ``</para>`` in the notes print literally.
Rules (notes-format.md): a marker opens only before a non-space character
and closes only after one; the same marker may not nest; a backslash
escapes ``*``, ``=``, ``$`` and ``\\``; any other backslash is literal.

``$…$`` (inline) and ``$$…$$`` (display) hold TeX maths: the run's text is the
TeX source and ``math`` says which. A ``$`` that finds no partner by these
rules is a literal dollar (``US$ 13.7 bn``, ``$5 and $10``). The TeX is checked
here, so a file that loads has formulas that render (``tex_problem``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

BOLD, ITALIC, KEY = "**", "*", "=="
_NAMES = {BOLD: "bold '**'", ITALIC: "italic '*'", KEY: "key '=='"}
_SPECIAL = re.compile(r"[*=$\\]")  # the only characters that can start a marker, a formula or an escape
INLINE, DISPLAY = "inline", "display"


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    key: bool = False
    math: str = ""  # INLINE or DISPLAY: the text is TeX source, set as a formula


class MarkupError(ValueError):
    """An unbalanced marker; ``offset`` is its index in the text."""

    def __init__(self, offset: int, message: str):
        super().__init__(message)
        self.offset = offset
        self.message = message


def _marker_at(text: str, i: int) -> str | None:
    if text.startswith("**", i):
        return BOLD
    if text[i] == "*":
        return ITALIC
    if text.startswith("==", i):
        return KEY
    return None


class _Parser:
    """One pass over the text, left to right; each step consumes one character, escape or marker."""

    def __init__(self, text: str):
        self.text, self.n, self.i = text, len(text), 0
        self.runs: list[Run] = []
        self.spans: list[tuple[int, int]] = []  # where each formula stands, its dollars included
        self.stack: list[tuple[str, int]] = []  # (marker, offset where it opened)
        self.buf: list[str] = []

    def flush(self) -> None:
        if self.buf:
            open_ = {m for m, _ in self.stack}
            self.runs.append(Run("".join(self.buf), BOLD in open_, ITALIC in open_, KEY in open_))
            self.buf.clear()

    def literal(self, length: int) -> None:
        self.buf.append(self.text[self.i: self.i + length])
        self.i += length

    def lone_run(self) -> int:
        """The length of a run of one marker character standing alone ("a *** b", "===="), else 0.
        Only a run after a space can stand alone, so each is scanned once."""
        text, i = self.text, self.i
        if i and not text[i - 1].isspace():
            return 0
        j = i
        while j < self.n and text[j] == text[i]:
            j += 1
        return j - i if j == self.n or text[j].isspace() else 0

    def closes(self, marker: str) -> str | None:
        """The open marker that closes here, innermost first, so ***a*** and **a *b*** work."""
        stack = self.stack
        top = stack[-1][0]
        if marker != top and len(stack) > 1 and stack[-2][0] == marker and stack[-2][1] + len(marker) == stack[-1][1]:
            # The two innermost opened side by side with no text between (***a** b*): which is
            # inside the other is only known now, so the one that closes here is the inner one.
            stack[-2], stack[-1] = stack[-1], stack[-2]
            top = marker
        return top if self.text.startswith(top, self.i) else None

    def marker(self, marker: str) -> None:
        text, i = self.text, self.i
        lone = self.lone_run()
        if lone:
            self.literal(lone)
            return
        after = text[i + len(marker)] if i + len(marker) < self.n else " "
        before = text[i - 1] if i > 0 else " "
        closing = self.closes(marker) if self.stack and before.strip() else None
        if closing:
            self.flush()
            self.stack.pop()
            self.i += len(closing)
        elif after.strip():
            if any(m == marker for m, _ in self.stack):
                raise MarkupError(i, f"{_NAMES[marker]} is already open; the same marker may not nest "
                                  f"(write \\{marker[0]} for a literal '{marker[0]}')")
            self.flush()
            self.stack.append((marker, i))
            self.i += len(marker)
        else:
            self.literal(len(marker))

    def formula(self) -> bool:
        """A formula from the ``$`` or ``$$`` here, if it has a partner: it opens before a non-space, and
        the next unescaped ``$`` closes it after a non-space (and, inline, not before a digit, so money
        stays literal). Otherwise the dollar is literal and False is returned."""
        text, i, n = self.text, self.i, self.n
        mark = "$$" if text.startswith("$$", i) else "$"
        start = i + len(mark)
        if start >= n or text[start].isspace() or text[start] == "$":
            return False
        j = start
        while j < n and text[j] != "$":
            j += 2 if text[j] == "\\" else 1
        if j >= n or text[j - 1].isspace() or not text.startswith(mark, j):
            return False
        after = text[j + len(mark): j + len(mark) + 1]
        if mark == "$" and (after.isdigit() or after == "$"):
            return False
        tex = text[start:j]
        for marker in (KEY, BOLD):
            k = tex.find(marker)
            if k >= 0:
                raise MarkupError(start + k, f"formula: the marker {_NAMES[marker]} may not stand inside a formula "
                                  f"(put it around the whole formula: {marker}${tex.replace(marker, '')}${marker})")
        problem = tex_problem(tex)
        if problem is not None:
            raise MarkupError(start + problem[0], f"formula: {problem[1]}")
        self.flush()
        open_ = {m for m, _ in self.stack}
        self.runs.append(Run(tex, BOLD in open_, ITALIC in open_, KEY in open_, DISPLAY if mark == "$$" else INLINE))
        self.spans.append((i, j + len(mark)))
        self.i = j + len(mark)
        return True

    def run(self) -> tuple[Run, ...]:
        text = self.text
        while self.i < self.n:
            found = _SPECIAL.search(text, self.i)  # everything before it is plain text, taken at once
            j = found.start() if found else self.n
            if j > self.i:
                self.literal(j - self.i)
                continue
            i = self.i
            if text[i] == "\\" and i + 1 < self.n and text[i + 1] in "*=$\\":
                self.buf.append(text[i + 1])
                self.i += 2
                continue
            if text[i] == "$":
                if not self.formula():
                    self.literal(1)
                continue
            marker = _marker_at(text, i)
            if marker is None:
                self.literal(1)
            else:
                self.marker(marker)
        if self.stack:
            marker, at = self.stack[-1]
            raise MarkupError(at, f"{_NAMES[marker]} opens here and never closes "
                              f"(write \\{marker[0]} for a literal '{marker[0]}')")
        self.flush()
        return tuple(r for r in self.runs if r.text)


@functools.lru_cache(maxsize=8192)
def parse(text: str) -> tuple[Run, ...]:
    """Runs of text with their styles; raises MarkupError for a marker that never closes.

    Kept for the texts seen last: loading checks every text, and engines parse the same label
    again as they measure, wrap and draw it (a mind map asked 1,166 times for 321 texts). The
    runs are frozen, so every caller may share them."""
    if not _SPECIAL.search(text):
        return (Run(text),) if text else ()
    return _Parser(text).run()


@functools.lru_cache(maxsize=1024)
def formula_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where the formulas of a text stand, as (start, end) offsets with their dollars (for writers of
    other formats, which copy a formula as it is); none when the markup is broken."""
    if "$" not in text:
        return ()
    parser = _Parser(text)
    try:
        parser.run()
    except MarkupError:
        return ()
    return tuple(parser.spans)


def displayed(text: str) -> bool:
    """The text is one display formula and nothing else (a point that belongs with the one before it)."""
    if not text.startswith("$$"):
        return False
    try:
        runs = parse(text.strip())
    except MarkupError:
        return False
    return len(runs) == 1 and runs[0].math == DISPLAY


def literal_runs(text: str) -> tuple[Run, ...]:
    """Text printed as it is, but for its formulas (``$…$``, ``$$…$$`` by the notes' rules), which are
    set: a worksheet's answer or an engine's own line that quotes a formula of the notes."""
    spans = formula_spans(text) if "$" in text else ()
    if not spans:
        return (Run(text),) if text else ()
    out, at = [], 0
    for start, end in spans:
        if start > at:
            out.append(Run(text[at:start]))
        display = text.startswith("$$", start)
        mark = 2 if display else 1
        out.append(Run(text[start + mark:end - mark], math=DISPLAY if display else INLINE))
        at = end
    if at < len(text):
        out.append(Run(text[at:]))
    return tuple(out)


def compact_formulas(text: str) -> str:
    """Text printed as it is, its formulas written compactly (``½mv²``): for a line of plain text."""
    return "".join(_compact_tex(r.text) if r.math else r.text for r in literal_runs(text))


def plain(text: str) -> str:
    """The text without markers, as it reads in print (for labels, bookmarks, metadata)."""
    try:
        return "".join(r.text for r in parse(text))
    except MarkupError:
        return text


def key_phrases(text: str) -> list[str]:
    """The ==key== phrases of a text, in order."""
    try:
        runs = parse(text)
    except MarkupError:
        return []
    out: list[str] = []
    prev_key = False
    for r in runs:
        if r.key and prev_key:
            out[-1] += r.text
        elif r.key:
            out.append(r.text)
        prev_key = r.key
    return out


_TEX_ERRORS = {  # latex2mathml's exceptions, said for a person
    "MissingSuperScriptOrSubscriptError": "'^' or '_' has nothing after it",
    "NumeratorNotFoundError": "a fraction has no numerator: write \\frac{a}{b}",
    "DenominatorNotFoundError": "a fraction has no denominator: write \\frac{a}{b}",
    "ExtraLeftOrMissingRightError": "\\left without its \\right",
    "MissingEndError": "\\begin{…} without its \\end{…}",
    "DoubleSubscriptsError": "two subscripts in a row: write x_{ab} or {x_a}_b",
    "DoubleSuperscriptsError": "two superscripts in a row: write x^{ab} or {x^a}^b",
    "NoAvailableTokensError": "a command or '{' is missing what follows it",
    "LimitsMustFollowMathOperatorError": "\\limits must follow an operator such as \\sum",
}
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_TWO_ARGUMENTS = re.compile(r"<m(frac)\b[^>]*>")
_HINTS = {"ce": " (mhchem's \\ce{} is not supported: write \\mathrm{H_2O}, \\rightleftharpoons)",
          "pu": " (write units with \\mathrm{…})"}


@functools.lru_cache(maxsize=2048)
def tex_problem(tex: str) -> tuple[int, str] | None:
    """Why the TeX of a formula cannot be set, and the offset in it to point at; None if it can.

    Checked with latex2mathml, the parser the formula engine (ziamath) uses: braces, unknown
    commands (which it would print as their name), missing arguments. Imported on the first
    formula only (a tenth of a second)."""
    opened: list[int] = []
    k = 0
    while k < len(tex):
        ch = tex[k]
        if ch == "\\":
            k += 2
            continue
        if ch == "{":
            opened.append(k)
        elif ch == "}":
            if not opened:
                return k, "'}' closes nothing"
            opened.pop()
        k += 1
    if opened:
        return opened[-1], "'{' never closes"
    try:
        root = _mathml(tex)
    except Exception as exc:  # noqa: BLE001 (the converter raises bare Exceptions, some with no message)
        name = type(exc).__name__
        return 0, _TEX_ERRORS.get(name, f"cannot be read ({name.removesuffix('Error')} {exc})".strip())
    for el in root.iter():
        m = _COMMAND.search(el.text or "")  # a command the converter does not know stays its name
        if m:
            at = next((c.start() for c in _COMMAND.finditer(tex) if c.group(1) == m.group(1)), 0)
            return at, f"unknown command \\{m.group(1)}{_HINTS.get(m.group(1), '')}"
        if el.tag.endswith("mfrac") and len(el) != 2:  # \frac{1} parses
            return max(tex.find("\\frac"), 0), "a fraction needs two arguments: write \\frac{a}{b}"
    return None


def _mathml(tex: str) -> Any:
    """The MathML tree of TeX (latex2mathml, the parser ziamath uses; imported on the first formula)."""
    from latex2mathml.converter import convert_to_element

    return convert_to_element(tex)


_ENTITY = re.compile(r"&#x([0-9A-Fa-f]+);")


def compact(text: str) -> str:
    """The text as ``plain`` gives it, each formula written out on one line in Unicode (``½mv²``,
    ``v⃗_AB``, ``√(2gh)``): for labels too small for a set formula (mind maps, bookmarks)."""
    try:
        runs = parse(text)
    except MarkupError:
        return text
    return "".join(_compact_tex(r.text) if r.math else r.text for r in runs)


_SUP = dict(zip("0123456789+-−=()niT∘′tx", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱᵀ°′ᵗˣ", strict=True))
_SUB = dict(zip("0123456789+-−=()aeoxhklmnpstij", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼ", strict=True))
_ACCENT = {"→": "\u20d7", "¯": "\u0304", "^": "\u0302", "~": "\u0303", "˙": "\u0307", "¨": "\u0308",
           "\u02c6": "\u0302", "\u02dc": "\u0303"}
_FUNCTIONS = {"sin", "cos", "tan", "cot", "sec", "csc", "log", "ln", "exp", "lim", "max", "min", "det"}


@functools.lru_cache(maxsize=2048)
def _compact_tex(tex: str) -> str:
    if tex_problem(tex) is not None:
        return tex
    text = re.sub(r"\s+", " ", _linear(_mathml(tex))).strip()
    return re.sub(r"\(\s+|\s+\)", lambda m: m.group().strip(), text)


def _linear(el: Any) -> str:  # noqa: C901 (one case per MathML element)
    tag = el.tag.rsplit("}", 1)[-1]
    kids = list(el)
    if tag in ("mi", "mn", "mtext", "ms"):
        t = _text(el).replace("\xa0", " ")
        return f" {t} " if tag == "mi" and t in _FUNCTIONS else t
    if tag == "mo":
        t = _text(el)
        return f" {t} " if t in "=<>≤≥≈≠→←⇌⇒∝±+−×" and t and el.get("fence") is None else t
    if tag == "mspace":
        return " " if el.get("linebreak") is None else "; "
    if tag in ("msup", "msub", "msubsup") and kids:
        base = _linear(kids[0])
        gap = " " if base.endswith(" ") else ""
        base = base.rstrip()
        if tag == "msubsup" and len(kids) == 3:
            return base + _script(_linear(kids[1]), _SUB, "_") + _script(_linear(kids[2]), _SUP, "^")
        return base + (_script(_linear(kids[1]), _SUP if tag == "msup" else _SUB, "^" if tag == "msup" else "_")
                       if len(kids) > 1 else "") + gap
    if tag == "mfrac" and len(kids) == 2:
        top, bottom = _linear(kids[0]).strip(), _linear(kids[1]).strip()
        halves = {("1", "2"): "½", ("1", "3"): "⅓", ("1", "4"): "¼", ("3", "4"): "¾", ("2", "3"): "⅔"}
        if (top, bottom) in halves:
            return halves[top, bottom]
        below = bottom if len(bottom) <= 1 or bottom.isdigit() or bottom.isalpha() else f"({bottom})"
        return f"{_group(top)}/{below}"
    if tag in ("msqrt", "mroot"):
        inner = "".join(_linear(k) for k in kids[:1 if tag == "mroot" else None]).strip()
        return "√" + (inner if len(inner) == 1 else f"({inner})")
    if tag in ("mover", "munder", "munderover") and kids:
        base = _linear(kids[0])
        mark = _text(kids[1]) if len(kids) > 1 else ""
        if tag == "mover" and mark in _ACCENT:
            return base + _ACCENT[mark]
        if tag == "munder" and len(kids) > 1:
            return base + _script(_linear(kids[1]), _SUB, "_")
        return base + "".join(_script(_linear(k), _SUP, "^") for k in kids[1:])
    return "".join(_linear(k) for k in kids)


def _text(el: Any) -> str:
    """An element's text, its character references (which the converter writes as text) resolved."""
    return _ENTITY.sub(lambda m: chr(int(m.group(1), 16)), el.text or "")


def _script(text: str, table: dict[str, str], mark: str) -> str:
    text = re.sub(r"\s+", "", text) if len(text) < 6 else text.strip()
    if text and all(ch in table for ch in text):
        return "".join(table[ch] for ch in text)
    return f"{mark}{_group(text)}" if len(text) > 1 else f"{mark}{text}"


def _group(text: str) -> str:
    return text if len(text) <= 1 or text.isalnum() or re.fullmatch(r"\w+", text) else f"({text})"
