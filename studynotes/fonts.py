"""Fonts: the embedded text family, per-run fallback fonts, and missing-glyph warnings.

Everything comes from pip: Lato (static regular, bold, italic, bold
italic) for text; Noto Sans for symbols Lato lacks; Noto Sans Devanagari for
Hindi, shaped by HarfBuzz (ReportLab's ``shaping=1``); ReportLab's built-in
Japanese CID font for kana and kanji. Fonts are registered once per process
and only when text needs them, because parsing a TTF costs time.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .markup import Run

BODY = "Lato"


@dataclass(frozen=True)
class _Face:
    name: str          # ReportLab font (family) name
    family: str        # fontpkg family
    shaping: bool      # needs HarfBuzz shaping
    cid: bool = False  # ReportLab built-in CID font (not embedded)


_FALLBACKS = (  # in order of preference; Devanagari first so Hindi is always shaped
    _Face("NotoSansDevanagari", "Noto Sans Devanagari", True),
    _Face("NotoSans", "Noto Sans", False),
    _Face("HeiseiKakuGo-W5", "", False, cid=True),
)
_registered: dict[str, object] = {}
_coverage: dict[str, frozenset[int] | None] = {}


def _cjk(cp: int) -> bool:
    return (0x3000 <= cp <= 0x30FF or 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF
            or 0xFF00 <= cp <= 0xFFEF or 0x31F0 <= cp <= 0x31FF)


def register_body() -> None:
    """Register the text family (regular, bold, italic, bold italic) once per process."""
    if BODY in _registered:
        return
    import fontpkg
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    names = {(0, 0): BODY, (1, 0): f"{BODY}-Bold", (0, 1): f"{BODY}-Italic", (1, 1): f"{BODY}-BoldItalic"}
    for (bold, italic), name in names.items():
        path = fontpkg.path("Lato", 700 if bold else 400, "italic" if italic else "normal")
        font = TTFont(name, str(path))
        pdfmetrics.registerFont(font)
        addMapping(BODY, bold, italic, name)
        _registered[name] = font
    _coverage[BODY] = frozenset(_registered[BODY].face.charToGlyph)
    # ReportLab shapes every word of a shaped paragraph with liga and dlig on; Lato's discretionary
    # ligatures (a joined "st") then print in English words and break copied text. The Indic
    # features HarfBuzz needs for Devanagari are applied whatever this says.
    from reportlab.pdfbase import ttfonts

    if ttfonts.shapeFragWord.__defaults__:
        ttfonts.shapeFragWord.__defaults__ = (dict(kern=True, liga=False, dlig=False),
                                             *ttfonts.shapeFragWord.__defaults__[1:])


def _face_font(face: _Face):
    """Register a fallback face on first use; returns its coverage."""
    if face.name not in _coverage:
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics

        if face.cid:
            from reportlab.pdfbase.cidfonts import UnicodeCIDFont

            pdfmetrics.registerFont(UnicodeCIDFont(face.name))
            _coverage[face.name] = None  # decided by _cjk()
        else:
            import fontpkg
            from reportlab.pdfbase.ttfonts import TTFont

            font = TTFont(face.name, str(fontpkg.path(face.family)))
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
    around them. A word holding Devanagari is set wholly in the Devanagari
    font (it has Latin punctuation too): ReportLab shapes a word with the
    font of its first piece, so a word like "(काल" must not start in Lato.
    Characters no font has are appended to ``missing`` and left in Lato.
    """
    register_body()
    out: list[str] = []
    for ch in text:
        cp = ord(ch)
        current = out[-1] if out else BODY
        if ch in "\n\t" or (unicodedata.category(ch) in _NEUTRAL and _covers(current, cp)):
            out.append(current)
            continue
        font = face_for(ch)
        if font is None:
            missing.append(ch)
            font = BODY
        out.append(font)
    if DEVANAGARI in out:
        i, n = 0, len(text)
        while i < n:
            j = i
            while j < n and not text[j].isspace():
                j += 1
            if any(f == DEVANAGARI for f in out[i:j]):
                for k in range(i, j):
                    if _covers(DEVANAGARI, ord(text[k])):
                        out[k] = DEVANAGARI
            i = j + 1
    return out


@dataclass(frozen=True)
class Styled:
    markup: str      # ReportLab paragraph markup, every character of the notes escaped
    shaping: bool    # the paragraph needs HarfBuzz shaping


def to_markup(runs: tuple[Run, ...], highlight: str, missing: list[str]) -> Styled:
    """ReportLab markup for styled runs, with a fallback font for each piece that needs one."""
    fonts_ = assign_fonts("".join(r.text for r in runs), missing)
    out: list[str] = []
    at = 0
    for run in runs:
        pieces: list[str] = []
        start = at
        for k in range(at, at + len(run.text) + 1):
            if k == at + len(run.text) or fonts_[k] != fonts_[start]:
                esc = escape(run.text[start - at: k - at])
                font = fonts_[start] if start < len(fonts_) else BODY
                if esc:
                    pieces.append(esc if font == BODY else f'<font face="{font}">{esc}</font>')
                start = k
        at += len(run.text)
        s = "".join(pieces)
        if run.italic:
            s = f"<i>{s}</i>"
        if run.bold or run.key:
            s = f"<b>{s}</b>"
        if run.key:
            s = f'<span backColor="{highlight}">{s}</span>'
        out.append(s)
    return Styled("".join(out), DEVANAGARI in fonts_)


def describe(ch: str) -> str:
    name = unicodedata.name(ch, "unnamed character")
    return f"U+{ord(ch):04X} {name} ({ch!r})"
