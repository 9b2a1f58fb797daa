"""Fonts: the embedded text family, per-run fallback fonts, and missing-glyph warnings.

Everything comes from pip: Lato (static regular, bold, italic, bold
italic) for text; Noto Sans for symbols Lato lacks; Noto Sans Devanagari for
Hindi, shaped by HarfBuzz (ReportLab's ``shaping=1``); ReportLab's built-in
Japanese CID font for kana and kanji. Fonts are registered once per process
and only when text needs them, because parsing a TTF costs time.
"""

from __future__ import annotations

import functools
import importlib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .markup import Run

BODY = "Lato"


@dataclass(frozen=True)
class _Face:
    name: str          # ReportLab font (family) name
    family: str        # fontpkg family
    cid: bool = False  # ReportLab built-in CID font (not embedded)


_FALLBACKS = (  # in order of preference; Devanagari first so Hindi is always shaped
    _Face("NotoSansDevanagari", "Noto Sans Devanagari"),
    _Face("NotoSans", "Noto Sans"),
    _Face("HeiseiKakuGo-W5", "", cid=True),
)
_CID = "HeiseiKakuGo-W5"
_registered: dict[str, Any] = {}  # ReportLab TTFonts by name
_coverage: dict[str, frozenset[int] | None] = {}
_body_chars: frozenset[str] = frozenset()  # what the text family prints, as characters, with tabs and line breaks


def _cjk(cp: int) -> bool:
    return (0x3000 <= cp <= 0x30FF or 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF
            or 0xFF00 <= cp <= 0xFFEF or 0x31F0 <= cp <= 0x31FF)


def register_body() -> None:
    """Register the text family (regular, bold, italic, bold italic) once per process."""
    global _body_chars
    if BODY in _registered:
        return
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    names = {(0, 0): BODY, (1, 0): f"{BODY}-Bold", (0, 1): f"{BODY}-Italic", (1, 1): f"{BODY}-BoldItalic"}
    for (bold, italic), name in names.items():
        font = TTFont(name, font_file("Lato", 700 if bold else 400, "italic" if italic else "normal"))
        pdfmetrics.registerFont(font)
        addMapping(BODY, bold, italic, name)
        _registered[name] = font
    covered = frozenset(_registered[BODY].face.charToGlyph)
    _coverage[BODY] = covered
    _body_chars = frozenset(map(chr, covered)) | {"\n", "\t"}
    # ReportLab shapes every word of a shaped paragraph with liga and dlig on; Lato's discretionary
    # ligatures (a joined "st") then print in English words and break copied text. The Indic
    # features HarfBuzz needs for Devanagari are applied whatever this says.
    from reportlab.pdfbase import ttfonts

    if ttfonts.shapeFragWord.__defaults__:
        ttfonts.shapeFragWord.__defaults__ = (dict(kern=True, liga=False, dlig=False),
                                             *ttfonts.shapeFragWord.__defaults__[1:])


def font_file(family: str, weight: int = 400, style: str = "normal") -> str:
    """The file of a font installed from pip (fontpkg's packages). ``fontpkg.path`` first finds every
    family among the entry points of every installed package (importlib.metadata: a sixth of a cold
    start); each family's own package (``fontpkg_lato``) describes its files in ``metadata.json``,
    so the file is picked there, and fontpkg's search is only the fallback."""
    try:
        package = importlib.import_module("fontpkg_" + re.sub(r"[\s_-]+", "_", family.strip().lower()))
        root = Path(str(package.__file__)).parent
        return str(root / _pick(json.loads((root / "metadata.json").read_text(encoding="utf-8")), weight, style))
    except (ImportError, OSError, ValueError, LookupError, TypeError, StopIteration):
        import fontpkg

        return str(fontpkg.path(family, weight, style))


def _pick(meta: dict[str, Any], weight: int, style: str) -> str:
    """A file of the style: a variable one whose weight axis holds the weight, else the one of that weight."""
    axis = next((a for a in meta.get("axes", []) if a["tag"] == "wght"), None)
    styled = [f for f in meta["files"] if f["style"] == style]
    for f in styled:
        if f["variable"] and axis is not None and axis["min"] <= weight <= axis["max"]:
            return str(f["path"])
    return next(str(f["path"]) for f in styled if f["weight"] == weight)


def _face_font(face: _Face) -> frozenset[int] | None:
    """Register a fallback face on first use; returns its coverage."""
    if face.name not in _coverage:
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics

        if face.cid:
            from reportlab.pdfbase.cidfonts import UnicodeCIDFont

            pdfmetrics.registerFont(UnicodeCIDFont(face.name))
            _coverage[face.name] = None  # decided by _cjk()
        else:
            from reportlab.pdfbase.ttfonts import TTFont

            font = TTFont(face.name, font_file(face.family))
            pdfmetrics.registerFont(font)
            _coverage[face.name] = frozenset(font.face.charToGlyph)
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(face.name, bold, italic, face.name)
    return _coverage[face.name]


def _covers(name: str, cp: int) -> bool:
    cov = _coverage.get(name)
    return _cjk(cp) if cov is None else cp in cov


def face_for(ch: str) -> str | None:
    """The first font that has a glyph for ``ch``: the text family, then the fallbacks."""
    cp = ord(ch)
    if _covers(BODY, cp):
        return BODY
    for face in _FALLBACKS:
        if face.cid and not _cjk(cp):
            continue
        if face.name == DEVANAGARI and not (_is_devanagari(ch) or cp in (0x200C, 0x200D)):
            continue
        _face_font(face)
        if _covers(face.name, cp):
            return face.name
    return None


_NEUTRAL = {"Zs", "Po", "Pd", "Ps", "Pe", "Pi", "Pf", "Nd", "Mn", "Mc", "Cf"}
DEVANAGARI = "NotoSansDevanagari"


def _is_devanagari(ch: str) -> bool:
    cp = ord(ch)
    return 0x0900 <= cp <= 0x097F or 0xA8E0 <= cp <= 0xA8FF or 0x1CD0 <= cp <= 0x1CFF


def assign_fonts(text: str, missing: list[str]) -> list[str]:
    """The font for each character, so that each prints in a font that has its glyph.

    Spaces, digits, punctuation and marks stay in the font of the text
    around them. Characters no font has are appended to ``missing`` and
    left in Lato. (A paragraph that is shaped needs one font per word: see
    ``shaped_pieces``.)
    """
    register_body()
    faces, lost = _faces(text)
    missing.extend(lost)
    return list(faces)


@functools.lru_cache(maxsize=8192)
def _faces(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Each character's font and the characters no font has. Which font has a glyph never changes
    in a process, so engines that measure a label again and again ask once."""
    if _body_chars.issuperset(text):  # nearly every text: the text family has every character
        return (BODY,) * len(text), ()
    out: list[str] = []
    lost: list[str] = []
    for ch in text:
        cp = ord(ch)
        current = out[-1] if out else BODY
        if ch in "\n\t" or (unicodedata.category(ch) in _NEUTRAL and _covers(current, cp)):
            out.append(current)
            continue
        font = face_for(ch)
        if font is None:
            lost.append(ch)
            font = BODY
        out.append(font)
    return tuple(out), tuple(lost)


THIN_SPACE = "\u2009"


def shaped_pieces(text: str, faces: Sequence[str]) -> list[tuple[str, str]]:
    """Characters with their fonts, made safe for a shaped paragraph.

    ReportLab shapes each word with the font of its first character and
    then looks every glyph up in the font of its own piece, so a word that
    mixes fonts prints wrong glyphs or crashes. Each word is therefore put
    in one font that has all its characters (Devanagari first, then the
    Japanese font, then the others); where no font has them all, a thin
    space is set between the pieces — a small gap instead of a wrong glyph.
    """
    out = list(zip(text, faces, strict=True))
    i, n = 0, len(text)
    while i < n:
        j = i
        while j < n and not text[j].isspace():
            j += 1
        word = faces[i:j]
        if len(set(word)) > 1:
            for font in (DEVANAGARI, _CID, "NotoSans", BODY):
                if font in word and all(_covers_in_word(font, ord(text[k])) for k in range(i, j)):
                    for k in range(i, j):
                        out[k] = (text[k], font)
                    break
            else:
                for k in range(i + 1, j):
                    if faces[k] != faces[k - 1]:
                        out[k] = (THIN_SPACE + text[k], faces[k])
        i = j + 1
    return out


def _covers_in_word(font: str, cp: int) -> bool:
    """Coverage for whole-word fonts: the Japanese font also has the ASCII characters."""
    if font == _CID:
        return _cjk(cp) or 0x20 <= cp <= 0x7E
    return _covers(font, cp)


@dataclass(frozen=True)
class Styled:
    markup: str      # ReportLab paragraph markup, every character of the notes escaped
    shaping: bool    # the paragraph needs HarfBuzz shaping


def to_markup(runs: tuple[Run, ...], highlight: str, missing: list[str], shaped: bool = False) -> Styled:
    """ReportLab markup for styled runs, with a fallback font for each piece that needs one.
    ``shaped``: the text goes into a shaped paragraph even if it holds no Devanagari itself."""
    register_body()
    styled, lost = _styled(runs, highlight, shaped)
    missing.extend(lost)
    return styled


@functools.lru_cache(maxsize=8192)
def _styled(runs: tuple[Run, ...], highlight: str, shaped: bool) -> tuple[Styled, tuple[str, ...]]:
    """``to_markup`` once per text: each pass of an engine that fits by trial asks again."""
    text = "".join(r.text for r in runs)
    faces, lost = _faces(text)
    shaping = shaped or DEVANAGARI in faces
    chars = shaped_pieces(text, faces) if shaping else list(zip(text, faces, strict=True))
    one_font = not shaping and faces.count(BODY) == len(faces)
    out: list[str] = []
    at = 0
    for run in runs:
        pieces = [(run.text, BODY)] if one_font else _pieces(chars[at: at + len(run.text)])
        at += len(run.text)
        s = "".join(escape(piece) if font == BODY else f'<font face="{font}">{escape(piece)}</font>'
                    for piece, font in pieces)
        if run.italic:
            s = f"<i>{s}</i>"
        if run.bold or run.key:
            s = f"<b>{s}</b>"
        if run.key:
            s = f'<span backColor="{highlight}">{s}</span>'
        out.append(s)
    return Styled("".join(out), shaping), lost


def _pieces(chars: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Neighbouring characters of one font joined into one piece."""
    pieces: list[tuple[str, str]] = []
    for ch, font in chars:
        if pieces and pieces[-1][1] == font:
            pieces[-1] = (pieces[-1][0] + ch, font)
        else:
            pieces.append((ch, font))
    return pieces


def escape(text: str, quote: bool = False) -> str:
    """Text made safe inside ReportLab paragraph markup (``quote``: also inside an attribute).
    The standard library's ``xml.sax.saxutils.escape`` does the same, but importing it loads
    urllib.request, http.client and email: a fifth of a cold start."""
    text = text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    return text.replace('"', "&quot;") if quote else text


def describe(ch: str) -> str:
    name = unicodedata.name(ch, "unnamed character")
    return f"U+{ord(ch):04X} {name} ({ch!r})"
