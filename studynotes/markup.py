"""Inline markup of the notes (``**bold**``, ``*italic*``, ``==key==``) parsed into styled runs.

The parser never produces ReportLab markup itself: renderers escape each
run's text, so ``<b>``, ``&`` or ``</para>`` in the notes print literally.
Rules (notes-format.md): a marker opens only before a non-space character
and closes only after one; the same marker may not nest; a backslash
escapes ``*``, ``=`` and ``\\``; any other backslash is literal.
"""

from __future__ import annotations

from dataclasses import dataclass

BOLD, ITALIC, KEY = "**", "*", "=="
_NAMES = {BOLD: "bold '**'", ITALIC: "italic '*'", KEY: "key '=='"}


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


def parse(text: str) -> tuple[Run, ...]:
    """Runs of text with their styles; raises MarkupError for a marker that never closes."""
    runs: list[Run] = []
    stack: list[tuple[str, int]] = []  # (marker, offset where it opened)
    buf: list[str] = []
    n = len(text)
    i = 0

    def flush() -> None:
        if buf:
            open_ = {m for m, _ in stack}
            runs.append(Run("".join(buf), BOLD in open_, ITALIC in open_, KEY in open_))
            buf.clear()

    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in "*=\\":
            buf.append(text[i + 1])
            i += 2
            continue
        marker = _marker_at(text, i)
        if marker is None:
            buf.append(c)
            i += 1
            continue
        if i == 0 or text[i - 1].isspace():  # only a run after a space can stand alone: scan it once
            j = i
            while j < n and text[j] == c:
                j += 1
            if j == n or text[j].isspace():
                buf.append(text[i:j])  # a run standing alone ("a *** b", "====") is literal
                i = j
                continue
        after = text[i + len(marker)] if i + len(marker) < n else " "
        before = text[i - 1] if i > 0 else " "
        # Close the innermost open marker first, so ***a*** and **a *b*** work.
        if stack and before.strip():
            top = stack[-1][0]
            if marker != top and len(stack) > 1 and stack[-2][0] == marker \
                    and stack[-2][1] + len(marker) == stack[-1][1]:
                # The two innermost opened side by side with no text between (***a** b*): which is
                # inside the other is only known now, so the one that closes here is the inner one.
                stack[-2], stack[-1] = stack[-1], stack[-2]
                top = marker
            closing = top if text.startswith(top, i) else None
            if closing:
                flush()
                stack.pop()
                i += len(closing)
                continue
        if after.strip():
            if any(m == marker for m, _ in stack):
                raise MarkupError(i, f"{_NAMES[marker]} is already open; the same marker may not nest "
                                  f"(write \\{marker[0]} for a literal '{marker[0]}')")
            flush()
            stack.append((marker, i))
            i += len(marker)
            continue
        buf.append(text[i: i + len(marker)])
        i += len(marker)
    if stack:
        marker, at = stack[-1]
        raise MarkupError(at, f"{_NAMES[marker]} opens here and never closes "
                          f"(write \\{marker[0]} for a literal '{marker[0]}')")
    flush()
    return tuple(r for r in runs if r.text)


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
