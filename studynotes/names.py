"""Names made from titles: ids, file names and tags share one rule, so a section's default id,
an output's file name and a tag's file-safe form never disagree.

``slug`` is for ids (ASCII, what ``-s`` accepts); ``file_stem`` is for names made from what a
person wrote (a pack's title, a student's name), which keep their letters in any script.
"""

from __future__ import annotations

import re
import unicodedata

# names Windows keeps for devices, in any case and with any extension: never a file's stem
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def slug(title: str) -> str:
    """Lower-case ASCII letters and digits joined by single hyphens; '' when none."""
    ascii_ = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


def _kept(ch: str) -> str:
    """Letters, marks and digits of any script stay; invisible format characters (the joiners
    inside Indic words) go; anything else (spaces, '/', '.', ':', emoji) separates words."""
    cat = unicodedata.category(ch)
    if cat[0] in "LMN":
        return ch
    return "" if cat == "Cf" else "-"


def file_stem(text: str, limit: int = 60) -> str:
    """A file name stem that keeps the text's letters in any script, joined by single hyphens, at
    most ``limit`` characters and never cut inside a letter's marks; '' when none. No separators,
    dots, spaces or control characters (see ``reserved`` for a stem that stands alone)."""
    kept = "".join(_kept(ch) for ch in unicodedata.normalize("NFC", text))
    stem = re.sub(r"-+", "-", kept).strip("-")
    if len(stem) > limit:
        cut = limit
        while cut > 0 and unicodedata.category(stem[cut])[0] == "M":  # a vowel sign belongs to its letter
            cut -= 1
        stem = stem[:cut].rstrip("-")
    return stem


def reserved(stem: str) -> bool:
    """A name Windows keeps for a device (CON, NUL, COM1…): not a file's whole stem."""
    return stem.casefold() in _RESERVED
