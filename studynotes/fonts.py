"""Fonts: the embedded text family, per-script fallback fonts, and what no font prints.

Everything comes from pip and everything is embedded: Lato (static regular,
bold, italic, bold italic) for text; for each script of Indian exams a Noto
Sans face (Devanagari from fontpkg, the others from the ``manimgx-fonts``
bundle), shaped by HarfBuzz (ReportLab's ``shaping=1``); Noto Sans for other
alphabets; STIX Two Math (shipped by ziamath) and Noto Sans Symbols for
maths and symbols; Noto Emoji (monochrome) for emoji; Noto Sans CJK for
Japanese and Chinese when the ``cjk`` extra is installed.

The Noto faces are variable fonts. ReportLab embeds only TrueType outlines
of one instance, so each face is instanced once (regular and a real bold)
with fontTools and scaled so that its x-height matches Lato's, then cached on
disk (``fonts_cache``); later processes only read the cached file. Fonts are
registered once per process and only when text needs them.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import importlib.util
import io
import json
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .markup import Run

BODY = "Lato"
LATO_X = 0.49          # Lato's x-height in ems: fallbacks are scaled to it
_RECIPE = "4"          # bump when the way derived fonts are made changes (the cache key)
CJK_EXTRA = "pip install 'studynotes[cjk]'"


@dataclass(frozen=True)
class Face:
    """A fallback font: where its file comes from, which characters it is for, how it is set."""

    name: str                 # ReportLab font name (the bold one is name + "-Bold")
    script: str               # what a reader calls what it prints (in warnings)
    package: str              # the pip distribution that ships it
    module: str               # the importable package the file is in
    file: str                 # the file inside that package ("" = found by fontpkg's metadata)
    ranges: tuple[tuple[int, int], ...] = ()  # only these characters (empty: any it has)
    prefer: tuple[tuple[int, int], ...] = ()  # these it prints before the general fallbacks do
    shaped: bool = False      # needs HarfBuzz shaping (complex scripts)
    scale: float = LATO_X / 0.536  # Noto Sans' x-height matched to Lato's
    bold: bool = True         # has a real bold (an instance at weight 700)
    family: str = ""          # fontpkg family, for files found by fontpkg


def _noto(script: str, name: str, *ranges: tuple[int, int], shaped: bool = True) -> Face:
    return Face(f"NotoSans{name}", script, "manimgx-fonts", "manimgx_fonts", f"NotoSans{name}[wght].ttf",
                ranges, shaped=shaped)


DEVANAGARI = "NotoSansDevanagari"
_DEVA_RANGES = ((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF))
MATHS = ((0x2100, 0x214F), (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2300, 0x23FF), (0x27C0, 0x27EF),
         (0x27F0, 0x27FF), (0x2900, 0x297F), (0x2980, 0x29FF), (0x2A00, 0x2AFF), (0x1D400, 0x1D7FF),
         (0x2070, 0x209F))
_CJK_RANGES = ((0x2E80, 0x2FDF), (0x3000, 0x30FF), (0x3100, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
               (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x2FFFF))
EMOJI_RANGES = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0x2300, 0x23FF))

FACES: tuple[Face, ...] = (  # in order of preference after Lato
    Face(DEVANAGARI, "Devanagari", "fontpkg-noto-sans-devanagari", "fontpkg_noto_sans_devanagari", "",
         _DEVA_RANGES, shaped=True, family="Noto Sans Devanagari"),
    _noto("Bengali", "Bengali", (0x0980, 0x09FF)),
    _noto("Gurmukhi", "Gurmukhi", (0x0A00, 0x0A7F)),
    _noto("Gujarati", "Gujarati", (0x0A80, 0x0AFF)),
    _noto("Odia", "Oriya", (0x0B00, 0x0B7F)),
    _noto("Tamil", "Tamil", (0x0B80, 0x0BFF), (0x11FC0, 0x11FFF)),
    _noto("Telugu", "Telugu", (0x0C00, 0x0C7F)),
    _noto("Kannada", "Kannada", (0x0C80, 0x0CFF)),
    _noto("Malayalam", "Malayalam", (0x0D00, 0x0D7F)),
    _noto("Sinhala", "Sinhala", (0x0D80, 0x0DFF)),
    _noto("Arabic-script", "Arabic", (0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF),
          (0xFE70, 0xFEFF)),
    _noto("Hebrew", "Hebrew", (0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
    _noto("Thai", "Thai", (0x0E00, 0x0E7F)),
    Face("NotoSans", "Latin, Greek and Cyrillic", "fontpkg-noto-sans", "fontpkg_noto_sans", "",
         family="Noto Sans"),
    Face("STIXTwoMath", "maths", "ziamath", "ziamath", "fonts/STIXTwoMath-Regular.ttf", prefer=MATHS,
         scale=LATO_X / 0.473, bold=False),
    _noto("symbol", "Symbols", shaped=False),
    Face("NotoEmoji", "emoji", "manimgx-fonts", "manimgx_fonts", "NotoEmoji[wght].ttf", EMOJI_RANGES,
         scale=0.8, bold=False),
    Face("NotoSansCJK", "Chinese and Japanese", "studynotes[cjk]", "manimgx_fonts_cjk", "NotoSansCJK-VF.otf.ttc",
         _CJK_RANGES, scale=0.92, bold=False),
)
_BY_NAME = {f.name: f for f in FACES}
SHAPED = frozenset(f.name for f in FACES if f.shaped)
CJK = "NotoSansCJK"
_IGNORABLE = {0xFE0E, 0xFE0F, 0x200B, 0x2060, 0xFEFF}  # variation selectors, zero widths: print as nothing

_registered: dict[str, Any] = {}  # ReportLab TTFonts by name
_coverage: dict[str, frozenset[int]] = {}
_unavailable: set[str] = set()    # faces whose package is not installed
_body_chars: frozenset[str] = frozenset()  # what the text family prints, as characters, with tabs and line breaks


def register_body() -> None:
    """Register the text family (regular, bold, italic, bold italic) once per process."""
    global _body_chars
    if BODY in _registered:
        return
    from reportlab import rl_config
    from reportlab.lib.fonts import addMapping
    from reportlab.lib.styles import ParagraphStyle
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
    # No base-14 font anywhere: a canvas starts in (and a style defaults to) the embedded text family,
    # so neither a page's preamble nor a bullet without a font of its own names Helvetica.
    from reportlab.platypus import tables

    rl_config.canvas_basefontname = BODY
    ParagraphStyle.defaults["fontName"] = BODY
    ParagraphStyle.defaults["bulletFontName"] = BODY
    tables.CellStyle.fontname = BODY  # a table cell sets its font before drawing its paragraph
    _copyable()


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


def face_path(face: Face) -> Path | None:
    """The installed file of a fallback face, or None when its package is not installed. The package
    is found without importing it (a font bundle has nothing to run)."""
    if face.family:
        try:
            return Path(font_file(face.family))
        except Exception:  # fontpkg raises its own errors for a family it cannot find
            return None
    spec = importlib.util.find_spec(face.module)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / face.file
    return path if path.is_file() else None


def cache_dir() -> Path:
    """Where derived fonts are kept: $STUDYNOTES_CACHE, else the user's cache folder."""
    root = os.environ.get("STUDYNOTES_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "studynotes")
    return Path(root) / "fonts"


def derived(face: Face, path: Path, weight: int) -> str | io.BytesIO:
    """The face as a static TrueType font of the weight, scaled to Lato's x-height: from the cache, or
    made now with fontTools (once per machine) and cached. Where the cache cannot be written it is
    kept in memory for this process."""
    st = path.stat()
    key = hashlib.sha256(f"{path}|{st.st_size}|{st.st_mtime_ns}|{weight}|{face.scale}|{_RECIPE}".encode())
    target = cache_dir() / f"{face.name}-{weight}-{key.hexdigest()[:16]}.ttf"
    if target.is_file():
        return str(target)
    data = _make(path, weight, face.scale, CJK if face.name == CJK else "")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        return str(target)
    except OSError:
        return io.BytesIO(data)


def _make(path: Path, weight: int, scale: float, kind: str) -> bytes:
    """Instance a variable font at the weight and scale it by its units per em (outlines, metrics and
    positions all follow, and a PDF reader scales by the same number)."""
    from fontTools.ttLib import TTFont as FTFont

    if kind == CJK:
        return _make_cjk(path, weight, scale)
    font = FTFont(str(path), lazy=True, fontNumber=0)
    axes = font["fvar"].axes if "fvar" in font else []
    if any(a.axisTag == "wght" and a.defaultValue != weight for a in axes):
        from fontTools.varLib import instancer  # a weight other than the default: outlines of its own

        where = {a.axisTag: (weight if a.axisTag == "wght" else a.defaultValue) for a in axes}
        font.close()
        with FTFont(str(path), fontNumber=0) as variable:
            font = instancer.instantiateVariableFont(variable, where, inplace=False)
    # the default weight keeps its tables as they are: only head and name are rewritten
    font["head"].unitsPerEm = round(font["head"].unitsPerEm / scale)
    style = "Bold" if weight >= 700 else "Regular"
    family = path.name.split("[")[0].split("-")[0].split(".")[0]
    for record in font["name"].names:  # ReportLab knows a face by its PostScript name: bold is its own
        if record.nameID in (4, 6):
            record.string = f"{family}-{style}" if record.nameID == 6 else f"{family} {style}"
        elif record.nameID == 2:
            record.string = style
    if weight >= 700 and "OS/2" in font:
        font["OS/2"].usWeightClass = 700
    out = io.BytesIO()
    font.save(out)
    font.close()  # a lazily read font holds its file open
    return out.getvalue()


def _make_cjk(path: Path, weight: int, scale: float) -> bytes:
    """A TrueType font of the Japanese face of Noto Sans CJK (a variable CFF2 collection, which ReportLab
    cannot embed) for kana, CJK punctuation, full-width forms and the unified ideographs: each glyph drawn
    at the weight and its cubic curves turned into quadratic ones. About 21,000 glyphs, twenty seconds,
    once per machine."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont as FTFont

    src = FTFont(str(path), fontNumber=0, lazy=True)
    cmap = src.getBestCmap()
    wanted = {cp: cmap[cp] for lo, hi in _CJK_RANGES if hi < 0x20000 for cp in range(lo, hi + 1) if cp in cmap}
    glyph_set = src.getGlyphSet(location={"wght": weight})
    names = [".notdef", *sorted(set(wanted.values()) - {".notdef"})]
    glyphs, advances = {}, {}
    for name in names:
        pen = TTGlyphPen(None)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
        advances[name] = round(glyph_set[name].width)
    builder = FontBuilder(round(src["head"].unitsPerEm / scale), isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap(wanted)
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({n: (advances[n], getattr(glyphs[n], "xMin", 0)) for n in names})
    builder.setupHorizontalHeader(ascent=src["hhea"].ascent, descent=src["hhea"].descent)
    style = "Bold" if weight >= 700 else "Regular"
    builder.setupNameTable({"familyName": "Noto Sans CJK JP", "styleName": style, "psName": f"NotoSansCJKjp-{style}"})
    os2 = src["OS/2"]
    builder.setupOS2(sTypoAscender=os2.sTypoAscender, sTypoDescender=os2.sTypoDescender, usWinAscent=os2.usWinAscent,
                     usWinDescent=os2.usWinDescent, sxHeight=os2.sxHeight, sCapHeight=os2.sCapHeight, fsType=0,
                     usWeightClass=weight)
    builder.setupPost()
    src.close()
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def _copyable() -> None:
    """Shaped text that copies and searches as typed.

    HarfBuzz turns a word into glyphs that need not map back to its
    characters one by one (a conjunct is one glyph, a vowel sign is drawn
    before its consonant, a right-to-left word is drawn backwards), so the
    font's ToUnicode map alone cannot give the word back. Each shaped piece
    therefore remembers the text it was shaped from (on its first glyph's
    ``ShapeData``, which survives ReportLab joining and cutting pieces), and
    when it is drawn it is wrapped in a ``/Span <</ActualText …>> BDC … EMC``
    marked-content span, which pdfium, Acrobat and pdf.js extract instead of
    the glyphs. ReportLab shapes each word with liga and dlig on; Lato's
    discretionary ligatures (a joined "st") would print in English words, so
    they are off (the features Indic scripts need are applied whatever this
    says)."""
    from reportlab.pdfbase import ttfonts
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas, textobject
    from reportlab.platypus import paragraph

    original = ttfonts.shapeFragWord
    if getattr(original, "studynotes", False):
        return

    def shape(w, features=None, force=False):
        features = dict(kern=True, liga=False, dlig=False) if features is None else features
        groups = None if isinstance(w, ttfonts.ShapedFragWord) else _font_groups(w)
        if groups is None:
            out = original(w, features, force)
        else:  # each font's piece shaped with its own font: ReportLab would shape all with the first
            out = ttfonts.makeShapedFragWord(w)([0.0])
            for g in groups:
                sub = w.__class__([sum(stringWidth(s, f.fontName, f.fontSize) for f, s in g), *g])
                part = original(sub, features, True)
                _remember_source(sub, part)
                out[0] += part[0]
                out.extend(part[1:])
            return out
        if out is not w:
            _remember_source(w, out)
        return out

    shape.studynotes = True  # type: ignore[attr-defined]
    for module in (ttfonts, canvas, paragraph):
        module.shapeFragWord = shape
    text_out = textobject.PDFTextObject._formatText

    def format_text(self, text):
        code = text_out(self, text)
        actual = _actual_text(text)
        if actual is None:
            return code
        return f"/Span <</ActualText <FEFF{actual.encode('utf-16-be').hex().upper()}>>> BDC {code} EMC"

    textobject.PDFTextObject._formatText = format_text
    set_rise = textobject.PDFTextObject.setRise

    def rise(self, value):  # ReportLab looks at the last operator, and a shaped word may start with a raised mark
        if not self._code:
            self._code.append("")
        set_rise(self, value)

    textobject.PDFTextObject.setRise = rise
    _fonts_keep_weight()
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def _fonts_keep_weight() -> None:
    """``<font face="NotoSansTamil">`` inside bold text (``<b>``, a bold heading style) stays bold.

    ReportLab's paragraph parser takes the weight and slant from the face
    named in a font tag, so a fallback font named by its family would set
    every piece it holds in the regular weight; here a family name keeps
    the weight and slant of the text around it, and the family's bold is
    chosen at the end as for the text family."""
    from reportlab.lib.fonts import ps2tt
    from reportlab.platypus import paraparser

    def start_font(self, attr):
        found = self.getAttributes(attr, paraparser._spanAttrMap)
        if "fontName" in found:
            found["fontName"], bold, italic = ps2tt(found["fontName"])
            if bold:
                found["bold"] = bold
            if italic:
                found["italic"] = italic
        self._push("font", **found)

    paraparser.ParaParser.start_font = start_font


_PRIVATE: dict[tuple[str, int], str] = {}  # (font face, private code ReportLab gave a glyph) → its characters


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """ReportLab's ToUnicode map of a font subset, with two mistakes put right: a glyph that no
    character maps to (a conjunct, a joined Arabic letter) gets the characters HarfBuzz made it from
    instead of the private-use code ReportLab numbered it with, and a character beyond U+FFFF (an
    emoji) is written as UTF-16 instead of being cut to four hex digits."""
    face = fontname.split("+", 1)[-1]
    pairs = []
    for i, v in enumerate(subset):
        chars = _PRIVATE.get((face, v), chr(v))
        pairs.append(f"<{i:02X}> <{chars.encode('utf-16-be').hex().upper()}>")
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        f"/CIDSystemInfo\n<< /Registry ({fontname})\n/Ordering ({fontname})\n/Supplement 0\n>> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
        f"{len(subset)} beginbfchar", *pairs, "endbfchar",
        "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"])


def _font_groups(word: Any) -> list[list[Any]] | None:
    """The (frag, text) pieces of a paragraph word grouped by font where it has more than one font
    (and nothing but text): None where ReportLab's own shaping is right."""
    pieces = word[1:]
    if len(pieces) < 2 or any(hasattr(f, "cbDefn") for f, _ in pieces):
        return None
    groups: list[list[Any]] = []
    for f, s in pieces:
        if groups and groups[-1][-1][0].fontName == f.fontName:
            groups[-1].append((f, s))
        else:
            groups.append([(f, s)])
    return groups if len(groups) > 1 else None


def _remember_source(word: Any, shaped: Any) -> None:
    """Put on the first glyph of each shaped piece of a word the characters its glyphs came from,
    and note for each glyph without a character of its own the characters of its cluster."""
    from reportlab.pdfbase.pdfmetrics import getFont

    text = "".join(s for f, s in word[1:] if not hasattr(f, "cbDefn"))
    frags = [(f, s) for f, s in shaped[1:] if not hasattr(f, "cbDefn") and getattr(s, "__shapeData__", None)]
    pieces = [s for f, s in frags]
    starts = sorted({sd.cluster for s in pieces for sd in s.__shapeData__ if 0 <= sd.cluster < len(text)})
    for f, s in frags:
        face = _face_name(getFont(f.fontName))
        for ch, sd in zip(str(s), s.__shapeData__, strict=False):
            if 0xE000 <= ord(ch) <= 0xF8FF and 0 <= sd.cluster < len(text) and (face, ord(ch)) not in _PRIVATE:
                end = next((c for c in starts if c > sd.cluster), len(text))
                _PRIVATE[(face, ord(ch))] = text[sd.cluster:end]
    for s in pieces:
        clusters = [sd.cluster for sd in s.__shapeData__ if 0 <= sd.cluster < len(text)]
        if not clusters:
            continue
        lo, hi = min(clusters), max(clusters)
        end = next((c for c in starts if c > hi), len(text))
        for k, sd in enumerate(s.__shapeData__):
            if 0 <= sd.cluster < len(text):
                sd.source = text[lo:end] if k == 0 else ""


def _face_name(font: Any) -> str:
    name = font.face.name
    return name.decode("latin-1") if isinstance(name, bytes) else str(name)


def _actual_text(text: Any) -> str | None:
    """The characters a shaped string was made from, or None where its glyphs' own characters say it."""
    data = getattr(text, "__shapeData__", None)
    if not data or not any(hasattr(sd, "source") for sd in data):
        return None
    actual = "".join(getattr(sd, "source", ch) for ch, sd in zip(str(text), data, strict=False))
    # Right-to-left words are drawn backwards, as PDFs of every other program draw them; extractors
    # turn such a run back themselves (and would turn an /ActualText back too), from the ToUnicode map.
    if actual == str(text):
        return None
    return actual[::-1] if any(_rtl(ch) for ch in actual) else actual


def _face_font(face: Face) -> frozenset[int]:
    """Register a fallback face (and its bold) on first use; returns its coverage (empty when its
    package is not installed)."""
    if face.name in _coverage:
        return _coverage[face.name]
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = face_path(face)
    if path is None:
        _unavailable.add(face.name)
        _coverage[face.name] = frozenset()
        return _coverage[face.name]
    regular = TTFont(face.name, derived(face, path, 400))
    pdfmetrics.registerFont(regular)
    _registered[face.name] = regular
    bold_name = face.name
    if face.bold:
        bold_name = f"{face.name}-Bold"
        bold = TTFont(bold_name, derived(face, path, 700))
        pdfmetrics.registerFont(bold)
        _registered[bold_name] = bold
    for b in (0, 1):
        for italic in (0, 1):
            addMapping(face.name, b, italic, bold_name if b else face.name)
    cover = frozenset(cp for cp in regular.face.charToGlyph if not _private(cp))  # a private code is each font's own
    if face.ranges:
        cover = frozenset(cp for cp in cover if _within(cp, face.ranges)) | frozenset(
            cp for cp in cover if unicodedata.category(chr(cp)) in _NEUTRAL)
    _coverage[face.name] = cover
    return cover


def _private(cp: int) -> bool:
    return 0xE000 <= cp <= 0xF8FF or cp >= 0xF0000


def bold_face(name: str) -> str:
    """The bold of a font: Lato's, a fallback's own bold instance, or the font itself where it has none."""
    if name == BODY:
        return f"{BODY}-Bold"
    face = _BY_NAME.get(name)
    return f"{name}-Bold" if face is not None and face.bold and name not in _unavailable else name


def _within(cp: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(lo <= cp <= hi for lo, hi in ranges)


def _covers(name: str, cp: int) -> bool:
    return cp in _coverage.get(name, frozenset())


_LAST = ("NotoEmoji",)  # only for what no other font has


@functools.lru_cache(maxsize=4096)
def _candidates(cp: int) -> tuple[Face, ...]:
    """The fallback faces meant for a character: the script's own, then a font that is preferred for
    it (STIX Two Math for maths), then the general ones, then emoji and CJK."""
    own = [f for f in FACES if f.ranges and _within(cp, f.ranges) and f.name not in _LAST]
    preferred = [f for f in FACES if _within(cp, f.prefer)]
    general = [f for f in FACES if not f.ranges and f not in preferred]
    last = [f for f in FACES if f.name in _LAST and _within(cp, f.ranges)]
    return tuple(own + preferred + general + last)


def face_for(ch: str) -> str | None:
    """The first font that has a glyph for ``ch``: the text family, then the fallbacks."""
    cp = ord(ch)
    if _covers(BODY, cp):
        return BODY
    for face in _candidates(cp):
        _face_font(face)
        if _covers(face.name, cp):
            return face.name
    return None


_NEUTRAL = {"Zs", "Po", "Pd", "Ps", "Pe", "Pi", "Pf", "Nd", "Mn", "Mc", "Cf"}


def script_of(ch: str) -> str:
    """What a reader would call the script of a character, for warnings ("Malayalam", "emoji")."""
    cp = ord(ch)
    for face in FACES:
        if face.ranges and _within(cp, face.ranges):
            return face.script
    if _within(cp, MATHS):
        return "maths"
    name = unicodedata.name(ch, "")
    if not name:
        return "unassigned"
    if unicodedata.category(ch)[0] in "SPZNC":
        return "symbol"
    first = name.split()[0].capitalize()
    return first if first not in ("Latin", "Combining", "Modifier", "Private") else "symbol"


def install_hint(script: str, chars: str) -> str:
    """How to get a font for the characters, as the end of a warning."""
    faces = {f.name for ch in chars for f in _candidates(ord(ch))}
    missing = [f for f in FACES if f.name in faces and f.name in _unavailable]
    if any(f.name == CJK for f in missing):
        return f"install the Chinese and Japanese fonts: {CJK_EXTRA}"
    if missing:
        return f"install their font: pip install {missing[0].package}"
    return "no font installed with studynotes has them (see 'Scripts and fonts' in the README)"


def assign_fonts(text: str, missing: list[str]) -> list[str]:
    """The font for each character, so that each prints in a font that has its glyph.

    Spaces, digits, punctuation and marks stay in the font of the text
    around them. Characters no font has are appended to ``missing`` and
    left in Lato. (In a shaped paragraph each font's piece of a word is
    shaped with its own font: see ``_copyable``.)
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
        if ch == " " and current not in SHAPED:  # a space beside emoji or symbols is the text family's, not theirs
            out.append(BODY)
            continue
        if ch in "\n\t" or cp in _IGNORABLE or (unicodedata.category(ch) in _NEUTRAL and _covers(current, cp)):
            out.append(current)
            continue
        font = face_for(ch)
        if font is None:
            lost.append(ch)
            font = BODY
        out.append(font)
    return tuple(out), tuple(lost)


@dataclass(frozen=True)
class Styled:
    markup: str      # ReportLab paragraph markup, every character of the notes escaped
    shaping: bool    # the paragraph needs HarfBuzz shaping


def to_markup(runs: tuple[Run, ...], highlight: str, missing: list[str], shaped: bool = False) -> Styled:
    """ReportLab markup for styled runs, with a fallback font for each piece that needs one.
    ``shaped``: the text goes into a shaped paragraph even if it holds no complex script itself."""
    register_body()
    styled, lost = _styled(runs, highlight, shaped)
    missing.extend(lost)
    return styled


@functools.lru_cache(maxsize=8192)
def _styled(runs: tuple[Run, ...], highlight: str, shaped: bool) -> tuple[Styled, tuple[str, ...]]:
    """``to_markup`` once per text: each pass of an engine that fits by trial asks again."""
    text = "".join(r.text for r in runs)
    faces, lost = _faces(text)
    shaping = shaped or not SHAPED.isdisjoint(faces)
    chars = list(zip(text, faces, strict=True))
    one_font = not shaping and faces.count(BODY) == len(faces)
    if one_font:
        order = [(k, run.text, BODY) for k, run in enumerate(runs)]
    else:
        owner = [k for k, run in enumerate(runs) for _ in run.text]
        order = _pieces(visual([(ch, font, owner[i]) for i, (ch, font) in enumerate(chars)]))
    out: list[str] = []
    for k, piece, font in order:
        run = runs[k]
        s = escape(piece) if font == BODY else f'<font face="{font}">{escape(piece)}</font>'
        if run.italic:
            s = f"<i>{s}</i>"
        if run.bold or run.key:
            s = f"<b>{s}</b>"
        if run.key:
            s = f'<span backColor="{highlight}">{s}</span>'
        out.append(s)
    return Styled("".join(out), shaping), lost


def _pieces(chars: list[tuple[str, str, int]]) -> list[tuple[int, str, str]]:
    """Neighbouring characters of one run and one font joined into one piece: (run, text, font)."""
    pieces: list[tuple[int, str, str]] = []
    for ch, font, k in chars:
        if pieces and pieces[-1][0] == k and pieces[-1][2] == font:
            pieces[-1] = (k, pieces[-1][1] + ch, font)
        else:
            pieces.append((k, ch, font))
    return pieces


def _rtl(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("R", "AL")


def _strong_ltr(ch: str) -> bool:
    return unicodedata.bidirectional(ch) == "L"


def visual(chars: list[Any]) -> list[Any]:
    """Items whose first element is a character (or a piece ending with one) and second its font, in
    the order a left-to-right line shows them.

    A run of right-to-left text (Urdu, Hebrew) — from a right-to-left letter
    to the last one before a left-to-right letter, with the spaces, numbers
    and punctuation between — is shown with its pieces (words, numbers, each
    font's part of a word) in reverse order; HarfBuzz turns each piece itself
    right to left when it shapes it. Together the run reads right to left
    with its numbers left to right, and the punctuation at its edges keeps
    the line's direction, as the Unicode bidirectional algorithm sets a
    right-to-left run inside a left-to-right paragraph."""
    text = "".join(c[0][-1] if c[0] else " " for c in chars)  # one character per item (a thin space prefix dropped)
    if not any(_rtl(ch) for ch in text):
        return chars
    strong = ["R" if _rtl(ch) else "L" if _strong_ltr(ch) else "N" for ch in text]
    out: list[Any] = []
    i, n = 0, len(text)
    while i < n:
        if strong[i] != "R":
            out.append(chars[i])
            i += 1
            continue
        j, last = i, i
        while j < n and strong[j] != "L":
            if strong[j] == "R":
                last = j
            j += 1
        pieces: list[list[Any]] = []
        for k in range(i, last + 1):
            key = (chars[k][1], text[k].isspace())
            if pieces and (pieces[-1][-1][1], text[k - 1].isspace()) == key:
                pieces[-1].append(chars[k])
            else:
                pieces.append([chars[k]])
        out.extend(item for piece in reversed(pieces) for item in piece)
        i = last + 1
    return out


def escape(text: str, quote: bool = False) -> str:
    """Text made safe inside ReportLab paragraph markup (``quote``: also inside an attribute).
    The standard library's ``xml.sax.saxutils.escape`` does the same, but importing it loads
    urllib.request, http.client and email: a fifth of a cold start."""
    text = text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    return text.replace('"', "&quot;") if quote else text


def describe(ch: str) -> str:
    name = unicodedata.name(ch, "unnamed character")
    return f"U+{ord(ch):04X} {name} ({ch!r})"


def by_script(missing: Sequence[str]) -> dict[str, list[str]]:
    """Characters no font has, grouped by script in order of first sight, each character once."""
    by: dict[str, list[str]] = {}
    for ch in dict.fromkeys(missing):
        by.setdefault(script_of(ch), []).append(ch)
    for ch in by.pop("symbol", []):  # a script's own marks (TIBETAN MARK TSHEG) count with its letters
        first = unicodedata.name(ch, "").split(" ")[0].capitalize()
        by.setdefault(first if first in by else "symbol", []).append(ch)
    return by


def summarize(missing: Sequence[str]) -> list[tuple[str, int, str]]:
    """Characters no font has, by script: (script, how many, how to get a font), as ``by_script`` orders them."""
    return [(script, len(chars), install_hint(script, "".join(chars))) for script, chars in by_script(missing).items()]


def lacking(missing: Sequence[str]) -> str:
    """Characters no font has, said once per script: "6 Tibetan characters (first U+0F56 …) have no font; …"."""
    return "; ".join(f"{len(chars)} {script} character{'s' if len(chars) != 1 else ''} (first {describe(chars[0])}) "
                     f"{'have' if len(chars) != 1 else 'has'} no font; {install_hint(script, ''.join(chars))}"
                     for script, chars in by_script(missing).items())
