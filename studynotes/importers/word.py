"""Word files (.docx) → a topic, through python-docx.

The title (or the first heading) is the topic; the two highest heading levels left are sections and
sub-sections, deeper headings are points with what follows them as their sub-points; list
paragraphs are points nested by their list level; other paragraphs are a lead sentence with the
rest as sub-points; bold, italic and highlighted runs are ``**``, ``*`` and ``==``; a table is its
section's table (the first row the header). A file with no headings at all is read as a pointwise
article. Images, text boxes, footnotes and a table of contents are skipped with a warning.

Word gives no line numbers: a location ``file.docx:12:1`` names the 12th paragraph or table of the
body, counted from 1.

python-docx has no public list-level API: the level is the paragraph's own ``w:ilvl``, else the
digit of a "List Bullet 2"-style name, else an ``ilvl`` found on the style or a style it is based
on. ``w:numId="0"`` switches numbering off, and a style with an ``ilvl`` but no ``numId`` (Word's
Subtitle) is no list.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.run import Run as DocxRun

from ..errors import Loc, NotesError, Problem
from ..markup import Run
from ..model import Topic
from ..names import slug
from . import inline, pointwise, textfile
from .outline import (
    EMPTY_CELL,
    MAX_DEPTH,
    TITLE_LIMIT,
    DraftPoint,
    DraftSection,
    Imported,
    Notes,
    attach_table,
    dropped_phrases,
    finish,
    one_point,
    paragraph_points,
    plural,
    short_label,
    text_of,
)

MAX_BYTES = 50 * 1024 * 1024          # the .docx itself (images included)
MAX_UNPACKED = 200 * 1024 * 1024      # all its parts, unpacked: a zip bomb is refused before python-docx reads it
_HEADING = re.compile(r"Heading ([1-9])\Z")
_LIST_NAME = re.compile(r"List(?: Bullet| Number| Continue)?(?: ([2-9]))?\Z")
_CONTAINERS = {qn(t) for t in ("w:hyperlink", "w:ins", "w:smartTag", "w:sdt", "w:sdtContent", "w:fldSimple",
                               "w:customXml", "w:moveTo")}
_R, _P, _TBL = qn("w:r"), qn("w:p"), qn("w:tbl")
_SDT, _SDT_CONTENT, _CUSTOM = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")


# ------------------------------------------------------------------ reading the package

def _open(path: Path, shown: str) -> Any:
    """The python-docx Document, or a located error for what is not a Word file."""
    textfile.read_bytes(path, shown, MAX_BYTES)  # a regular file of a sane size
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise NotesError(Problem(shown, 1, 1, "", "not a Word file: a .docx is a zip package, and this is not "
                                 "one (an old .doc? open it in Word and save it as .docx)")) from None
    if "word/document.xml" not in names:
        raise NotesError(Problem(shown, 1, 1, "", "not a Word file: the zip package has no word/document.xml "
                                 "(is it another kind of file renamed to .docx?)"))
    if unpacked > MAX_UNPACKED:
        raise NotesError(Problem(shown, 1, 1, "", f"the Word file unpacks to {unpacked / 1048576:.0f} MiB; "
                                 f"the limit is {MAX_UNPACKED // 1048576} MiB"))
    try:
        return docx.Document(str(path))
    except Exception as exc:  # python-docx and lxml raise many kinds: any of them means a broken file
        raise NotesError(Problem(shown, 1, 1, "", f"cannot read the Word file: {exc}")) from None


# ------------------------------------------------------------------ styles

def _numpr(element: Any) -> Any:
    ppr = element.pPr if element is not None else None
    return ppr.numPr if ppr is not None else None


class StyleBook:
    """What the document's styles say, worked out once per style: python-docx finds a paragraph's
    style by scanning every style of the document on each look-up, which made a long file slow."""

    def __init__(self, document: Any):
        styles = list(document.styles)
        self.by_id = {st.style_id: st for st in styles}
        self.default = next((st for st in styles if st.type == WD_STYLE_TYPE.PARAGRAPH and st.element.default),
                            None)
        self._chains: dict[str, tuple[Any, ...]] = {}
        self._flags: dict[tuple[str, str], bool] = {}

    def paragraph_style(self, p_el: Any) -> Any:
        sid = p_el.style
        return self.by_id.get(sid, self.default) if sid else self.default

    def chain(self, style: Any) -> tuple[Any, ...]:
        """A style and the styles it is based on, nearest first."""
        if style is None:
            return ()
        key = style.style_id
        if key not in self._chains:
            out: list[Any] = []
            while style is not None and len(out) < 20 and style not in out:
                out.append(style)
                base = style.element.basedOn_val
                style = self.by_id.get(base) if base else None
            self._chains[key] = tuple(out)
        return self._chains[key]

    def heading_level(self, p_el: Any) -> int | None:
        """1–9 for a heading (its style or one it is based on), 0 for the Title style, else None."""
        for st in self.chain(self.paragraph_style(p_el)):
            if st.name == "Title":
                return 0
            m = _HEADING.match(st.name or "")
            if m:
                return int(m.group(1))
        return None

    def list_level(self, p_el: Any) -> int | None:
        """The paragraph's list level (0 the outermost), or None when it is not a list item."""
        own = _numpr(p_el)
        if own is not None and own.numId is not None:
            if own.numId.val == 0:
                return None
            if own.ilvl is not None:
                return int(own.ilvl.val)
        level = None
        numbered = own is not None and own.numId is not None
        for st in self.chain(self.paragraph_style(p_el)):
            m = _LIST_NAME.match(st.name or "")
            if m and level is None and (m.group(1) or "Bullet" in st.name or "Number" in st.name):
                level = int(m.group(1) or 1) - 1
            nump = _numpr(st.element)
            if nump is not None and nump.numId is not None and nump.numId.val != 0:
                numbered = True
                if level is None and nump.ilvl is not None:
                    level = int(nump.ilvl.val)
        if not numbered and level is None:
            return None
        return level or 0

    def flag(self, run: DocxRun, name: str) -> bool:
        """Bold or italic as the author set it on the run: its own setting, else its character
        style's. A paragraph style's look (Subtitle in italics, a bold caption) is no emphasis."""
        value = getattr(run, name)
        if value is not None:
            return bool(value)
        char_id = run._r.style or ""
        key = (char_id, name)
        if key not in self._flags:
            self._flags[key] = next((bool(v) for st in self.chain(self.by_id.get(char_id))
                                     if (v := getattr(st.font, name, None)) is not None), False)
        return self._flags[key]


def _highlighted(r: Any) -> bool:
    rpr = r.find(qn("w:rPr"))
    mark = rpr.find(qn("w:highlight")) if rpr is not None else None
    return mark is not None and mark.get(qn("w:val")) not in (None, "none", "default")


# ------------------------------------------------------------------ paragraphs

def _run_elements(element: Any) -> Iterator[Any]:
    """The ``w:r`` of a paragraph in reading order, also inside links, insertions, fields and content
    controls; deleted and moved-away text (``w:del``, ``w:moveFrom``) is not entered."""
    for child in element:
        if child.tag == _R:
            yield child
        elif child.tag in _CONTAINERS:
            yield from _run_elements(child)


def runs_of(p_el: Any, book: StyleBook) -> tuple[Run, ...]:
    out = []
    for r in _run_elements(p_el):
        run = DocxRun(r, None)  # type: ignore[arg-type]  # the parent is only needed to change the run
        text = run.text
        if text:
            out.append(Run(text, bold=book.flag(run, "bold"), italic=book.flag(run, "italic"),
                           key=_highlighted(r)))
    return inline.normalize(out)


def _extras(p_el: Any, loc: Loc, notes: Notes) -> None:
    """Warnings for what a paragraph holds that notes cannot: images, drawings, footnotes."""
    drawings = len(p_el.xpath(".//w:drawing | .//w:pict"))
    if drawings:
        notes.warn(loc, f"{plural(drawings, 'image')} or drawing{'s' if drawings != 1 else ''} skipped "
                   "(notes hold text only)")
    if p_el.xpath(".//w:footnoteReference | .//w:endnoteReference"):
        notes.warn(loc, "a footnote is not imported: add its text to the notes by hand if it matters")


# ------------------------------------------------------------------ tables

def _cell_text(tc: Any, book: StyleBook, notes: Notes, loc: Loc) -> str:
    """Every paragraph of a cell (nested tables included), joined with spaces."""
    runs: list[Run] = []
    for p_el in tc.iter(qn("w:p")):
        found = runs_of(p_el, book)
        if found:
            runs += [Run(" "), *found] if runs else found
    text = text_of(inline.normalize(runs), notes, loc)
    return text or EMPTY_CELL


def grid(table: DocxTable, book: StyleBook, notes: Notes, loc: Loc) -> tuple[tuple[str, ...], ...]:
    """The table's cells as markup, every row as wide as the widest; a cell merged over several
    columns keeps its text in the first and shows EMPTY_CELL in the others."""
    rows: list[list[str]] = []
    merged = False
    for row in table.rows:
        cells: list[str] = []
        prev = None
        for cell in row.cells:
            if prev is not None and cell._tc is prev:
                cells.append(EMPTY_CELL)
                merged = True
            else:
                cells.append(_cell_text(cell._tc, book, notes, loc))
            prev = cell._tc
        rows.append(cells)
    if merged:
        notes.warn(loc, f"merged table cells are split again: the text stands in the first, the others show "
                   f"'{EMPTY_CELL}'")
    width = max((len(r) for r in rows), default=0)
    return tuple(tuple(r + [EMPTY_CELL] * (width - len(r))) for r in rows)


# ------------------------------------------------------------------ the outline

@dataclass(frozen=True)
class Block:
    """One paragraph (its styled text, heading or list level) or table (its cells) of the body."""

    loc: Loc
    runs: tuple[Run, ...] = ()
    grid: tuple[tuple[str, ...], ...] = ()
    heading: int | None = None
    level: int | None = None


def _body(element: Any) -> Iterator[Any]:
    """The paragraphs and tables of the body in reading order, also those inside block-level content
    controls (a cover page, a table of contents) and custom XML, which python-docx's iteration skips."""
    for child in element:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag in (_SDT, _SDT_CONTENT, _CUSTOM):
            yield from _body(child)


def blocks(document: Any, shown: str, notes: Notes) -> list[Block]:
    """The body in reading order; empty paragraphs and a table of contents left out."""
    book = StyleBook(document)
    out: list[Block] = []
    toc = 0
    for n, p_el in enumerate(_body(document.element.body), 1):
        loc = Loc(shown, n, 1)
        if p_el.tag == _TBL:
            cells = grid(DocxTable(p_el, document._body), book, notes, loc)
            if cells:
                out.append(Block(loc, grid=cells))
            continue
        style = book.paragraph_style(p_el)
        if style is not None and (style.name or "").upper().startswith("TOC"):
            toc += 1
            continue
        _extras(p_el, loc, notes)
        runs = runs_of(p_el, book)
        if runs:
            out.append(Block(loc, runs, heading=book.heading_level(p_el), level=book.list_level(p_el)))
    if toc:
        notes.warn(Loc(shown), f"a table of contents ({plural(toc, 'line')}) is skipped: the sections are "
                   "read from the headings")
    return out


@dataclass(eq=False)
class _Builder:
    topic_title: str
    notes: Notes
    section_level: int
    sub_level: int | None
    deep_levels: list[int]
    intro: DraftSection
    sections: list[DraftSection] = field(default_factory=list)
    top: DraftSection | None = None
    sub: DraftSection | None = None
    heads: list[DraftPoint] = field(default_factory=list)   # points made from deeper headings, by depth
    spine: list[DraftPoint] = field(default_factory=list)   # the last point at each depth
    folded: bool = False

    def box(self) -> DraftSection:
        return self.sub or self.top or self.intro

    def place(self, point: DraftPoint, depth: int, loc: Loc) -> None:
        """``point`` at ``depth`` under the last point one level up (never skipping a level); what is
        deeper than the notes allow stays at the deepest level, with one warning."""
        if depth >= MAX_DEPTH and not self.folded:
            self.folded = True
            self.notes.warn(loc, f"lists and headings nest deeper than the {MAX_DEPTH} levels notes allow: "
                            "the deeper items are kept at the third level")
        depth = min(depth, len(self.spine), MAX_DEPTH - 1)
        (self.spine[depth - 1].points if depth else self.box().points).append(point)
        self.spine[depth:] = [point]

    def heading(self, level: int, runs: tuple[Run, ...], loc: Loc) -> None:
        text = inline.plain(runs)
        if len(text) > TITLE_LIMIT:
            self.notes.warn(loc, f"a heading of {len(text)} characters is too long for a title: kept as a point")
            self.paragraph(runs, loc, as_item=True)
            return
        title = inline.escape(text)
        if level == self.section_level or (level == self.sub_level and self.top is None):
            self.top = DraftSection(title, loc, short_label(text, self.topic_title), kind="heading")
            self.sections.append(self.top)
            self.sub = None
        elif level == self.sub_level:
            assert self.top is not None
            self.sub = DraftSection(title, loc, short_label(text, self.topic_title), kind="sub-heading")
            self.top.sections.append(self.sub)
        else:
            depth = min(self.deep_levels.index(level), len(self.heads))
            point = DraftPoint(title, loc)
            self.spine[:] = self.heads[:depth]
            self.place(point, depth, loc)
            self.heads[depth:] = [point]
            return
        self.heads.clear()
        self.spine.clear()

    def paragraph(self, runs: tuple[Run, ...], loc: Loc, level: int | None = None, as_item: bool = False) -> None:
        base = len(self.heads)
        if level is not None or as_item:
            for i, point in enumerate(one_point(runs, loc, self.notes)):
                self.place(point, base + (level or 0) if i == 0 else base + (level or 0) + 1, loc)
            return
        self.spine[base:] = []
        for point in paragraph_points(runs, loc, min(base, MAX_DEPTH - 1), self.notes):
            self.place(point, base, loc)

    def table(self, cells: tuple[tuple[str, ...], ...], loc: Loc) -> None:
        for p in attach_table(self.box(), cells, loc, self.notes):
            self.place(p, len(self.heads), loc)


def _title(found: list[Block], path: Path, notes: Notes) -> tuple[str, list[Block]]:
    """The Title paragraph, else the first heading (taken out of the body); else the file's name."""
    for want in (0, None):
        for i, b in enumerate(found):
            if b.heading is not None and (want is None or b.heading == want):
                text = inline.plain(b.runs)
                if len(text) <= TITLE_LIMIT:
                    return text, found[:i] + found[i + 1:]
    name = path.stem.replace("_", " ").replace("-", " ").strip() or "Topic"
    notes.warn(Loc(str(path)), f"no Title or heading paragraph: the topic is named '{name}' after the file")
    return name, found


def _as_article(found: list[Block], path: Path, topic_id: str | None, notes: Notes) -> Imported:
    """A document without any heading style (an editorial pasted into Word): read as a pointwise
    article, its lists and tables kept where they stand."""
    lines = [[pointwise.Line(b.runs, b.loc, level=b.level, grid=b.grid)] for b in found]
    return pointwise.parse(lines, str(path), path.stem, topic_id, notes=notes)


def read(path: Path, topic_id: str | None = None) -> Imported:
    """Import one Word file."""
    shown = str(path)
    notes = Notes(shown)
    found = blocks(_open(path, shown), shown, notes)
    if not any(b.heading for b in found):  # no heading (a Title alone is the article's first line)
        return _as_article(found, path, topic_id, notes)
    title, body = _title(found, path, notes)
    levels = sorted({b.heading for b in body if b.heading})
    b = _Builder(title, notes, levels[0] if levels else 1, levels[1] if len(levels) > 1 else None, levels[2:],
                 DraftSection("Introduction", Loc(shown), id="introduction", kind="intro"))
    for blk in body:
        if blk.grid:
            b.table(blk.grid, blk.loc)
        elif blk.heading:
            b.heading(blk.heading, blk.runs, blk.loc)
        else:
            b.paragraph(blk.runs, blk.loc, blk.level)
    drafts = ([b.intro] if not b.intro.empty() else []) + b.sections
    sections, _ = finish(drafts, title, notes)
    if not sections:
        raise NotesError(Problem(shown, 1, 1, "", "the Word file has no text under its title to import"))
    tid = topic_id or slug(title)[:60].strip("-") or slug(path.stem) or "topic"
    topic = Topic(tid, inline.escape(title), sections, path=shown, loc=Loc(shown))
    return Imported(topic, tuple(notes.warnings), (), tuple(dropped_phrases(notes.dropped)))
