"""Inline markup of the notes (``**bold**``, ``*italic*``, ``==key==``) parsed into styled runs.

The parser never produces ReportLab markup itself: renderers escape each
run's text, so ``<b>``, ``&`` or ``</para>`` in the notes print literally.
Rules (notes-format.md): a marker opens only before a non-space character
and closes only after one; the same marker may not nest; a backslash
escapes ``*``, ``=`` and ``\\``; any other backslash is literal.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

BOLD, ITALIC, KEY = "**", "*", "=="
_NAMES = {BOLD: "bold '**'", ITALIC: "italic '*'", KEY: "key '=='"}
_SPECIAL = re.compile(r"[*=\\]")  # the only characters that can start a marker or an escape


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    key: bool = False


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

    def run(self) -> tuple[Run, ...]:
        text = self.text
        while self.i < self.n:
            found = _SPECIAL.search(text, self.i)  # everything before it is plain text, taken at once
            j = found.start() if found else self.n
            if j > self.i:
                self.literal(j - self.i)
                continue
            i = self.i
            if text[i] == "\\" and i + 1 < self.n and text[i + 1] in "*=\\":
                self.buf.append(text[i + 1])
                self.i += 2
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
