"""Styled text of a source (Word runs, or plain article text) written as the notes' inline markup.

Whatever the source holds must print as it was: a literal '*', '=' or '\\' is escaped where the
notes' parser would read it as markup, and bold, italic and highlighted runs become ``**``, ``*``
and ``==`` only when the result parses back to the same characters with the same styles (checked,
not hoped): otherwise the text is kept plain and the caller is told the formatting was dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..markup import MarkupError, Run, parse

STYLES = ("key", "bold", "italic")  # opened in this order, so '==' is the outermost marker
MARKS = {"key": "==", "bold": "**", "italic": "*"}
_BREAKS = re.compile("[\t\n\r\x0b\x0c\x85\u2028\u2029]")
_SPACES = re.compile(" {2,}")
_SPECIAL = re.compile(r"[*=\\]")


def clean(text: str) -> str:
    """One line of text: tabs and line breaks of any kind are spaces, runs of spaces are one."""
    return _SPACES.sub(" ", _BREAKS.sub(" ", text))


def escape(text: str) -> str:
    """``text`` as notes markup that prints exactly ``text``: unchanged when nothing in it is markup."""
    try:
        runs = parse(text)
    except MarkupError:
        runs = ()
    if not text or runs == (Run(text),):
        return text
    return _SPECIAL.sub(lambda m: "\\" + m.group(), text)


def _style(run: Run) -> tuple[bool, bool, bool]:
    return run.key, run.bold, run.italic


def _restyle(run: Run, text: str, style: tuple[bool, bool, bool] | None = None) -> Run:
    key, bold, italic = _style(run) if style is None else style
    return Run(text, bold=bold, italic=italic, key=key)


def _merge(runs: Iterable[Run]) -> list[Run]:
    out: list[Run] = []
    for r in runs:
        if not r.text:
            continue
        if out and _style(out[-1]) == _style(r):
            out[-1] = _restyle(r, out[-1].text + r.text)
        else:
            out.append(r)
    return out


def _spaces_plain(runs: list[Run]) -> list[Run]:
    """Leading and trailing spaces of a styled run move outside it (a marker must touch text); a run
    of spaces alone takes only the styles its neighbours share, so '**a** **b**' stays '**a b**'."""
    out: list[Run] = []
    for i, r in enumerate(runs):
        if not r.text.strip():
            before = _style(runs[i - 1]) if i else (False, False, False)
            after = _style(runs[i + 1]) if i + 1 < len(runs) else (False, False, False)
            out.append(_restyle(r, r.text, tuple(a and b for a, b in zip(before, after, strict=True))))  # type: ignore[arg-type]
            continue
        body = r.text.strip()
        lead, trail = r.text[: len(r.text) - len(r.text.lstrip())], r.text[len(r.text.rstrip()):]
        plain = (False, False, False)
        out += [_restyle(r, lead, plain), _restyle(r, body), _restyle(r, trail, plain)]
    return _merge(out)


def normalize(runs: Iterable[Run]) -> tuple[Run, ...]:
    """Runs of one paragraph: breaks and runs of spaces made single spaces (also across runs), no
    space at either end, neighbours of one style joined."""
    out: list[Run] = []
    prev_space = True  # drops the paragraph's leading space
    for r in _merge(runs):
        text = clean(r.text)
        if prev_space:
            text = text.lstrip(" ")
        if text:
            out.append(_restyle(r, text))
            prev_space = text.endswith(" ")
    while out and out[-1].text.endswith(" "):
        last = out.pop()
        if last.text.rstrip(" "):
            out.append(_restyle(last, last.text.rstrip(" ")))
            break
    return tuple(_spaces_plain(out))


def plain(runs: Sequence[Run]) -> str:
    return "".join(r.text for r in runs)


def cut(runs: Sequence[Run], start: int, end: int) -> tuple[Run, ...]:
    """The runs covering characters ``start:end`` of their joined text."""
    out: list[Run] = []
    pos = 0
    for r in runs:
        a, b = max(start, pos), min(end, pos + len(r.text))
        if a < b:
            out.append(_restyle(r, r.text[a - pos: b - pos]))
        pos += len(r.text)
        if pos >= end:
            break
    return tuple(out)


def _styled_chars(runs: Iterable[Run]) -> list[tuple[str, tuple[bool, bool, bool]]]:
    """Each visible character with its style: what must survive the round trip (a space has no style)."""
    return [(ch, _style(r) if not ch.isspace() else (False, False, False)) for r in runs for ch in r.text]


def _marked(runs: Sequence[Run]) -> str:
    escape_all = any(_SPECIAL.search(r.text) for r in runs)
    stack: list[str] = []
    out: list[str] = []
    for r in runs:
        want = {name for name, on in zip(STYLES, _style(r), strict=True) if on}
        while any(s not in want for s in stack):
            out.append(MARKS[stack.pop()])
        for name in STYLES:
            if name in want and name not in stack:
                stack.append(name)
                out.append(MARKS[name])
        out.append(_SPECIAL.sub(lambda m: "\\" + m.group(), r.text) if escape_all else r.text)
    out += [MARKS[s] for s in reversed(stack)]
    return "".join(out)


def to_markup(runs: Sequence[Run]) -> tuple[str, bool]:
    """Notes markup for normalized runs, and whether their styles were kept (False: kept as plain text)."""
    text = plain(runs)
    if not any(any(_style(r)) for r in runs):
        return escape(text), True
    marked = _marked(runs)
    try:
        back = parse(marked)
    except MarkupError:
        back = ()
    if _styled_chars(back) == _styled_chars(runs):
        return marked, True
    return escape(text), False
