"""Markdown notes → Topic: a second front end to the same model (docs/notes-format.md, "Markdown notes").

markdown-it-py does the parsing (CommonMark with GFM tables, strikethrough,
task lists and front matter) and gives every block its lines; this module maps
the tree onto the notes model. The notes' own inline markup (``**``, ``*``,
``==``, ``\\*``, ``\\=``, ``\\\\``) is a subset of Markdown's, so Markdown text is
read *as* notes markup, and only what is Markdown's alone (links, code spans,
entities, escapes of other characters, ``_`` emphasis, ``~~``, HTML) is
converted: no Markdown syntax reaches print, and a topic written by
``importers.markdown_out`` reads back equal to the one it came from.

Problems point at lines of the ``.md`` file. What the model cannot hold (points
nested too deep, a second table in a section, a link's target) is kept in
another form and reported as a located warning, never dropped silently.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from .. import markup
from ..errors import Loc, NotesError, Problem, did_you_mean
from ..model import Card, Event, Fact, Point, Section, Source, Table, Term, Topic
from ..names import slug
from .notes import MAX_COLUMNS, MAX_POINT_DEPTH, MAX_POINTS, MAX_SECTIONS, _TopicReader
from .reader import ID_RE
from .yamlfile import BAD_CHARS, MappingNode, Node, ScalarNode, SequenceNode, bad_char_message, check_chars, compose
from .yamlfile import read_text as read_file

MAX_NESTING = 100     # blocks: markdown-it stops reading at this depth and drops the rest, so it is refused
INLINE_NESTING = 20   # links and emphasis inside each other (markdown-it's CommonMark default)
MAX_LINES = 40_000    # markdown-it reads ~30 µs a line of tiny blocks: a 2 MiB file of them would take 15 s
# Other text costs markdown-it at most ~1.5 µs a character, so the 2 MiB file limit bounds it (~3 s).
MAX_BRACKETS = 200    # '[' in one paragraph beyond which they are read as plain brackets (each costs a scan)
MAX_MARKS = 200_000   # characters that may each become a token (~8 µs apiece): about 40 a point
_MARK_CHARS = "\\&*_`[]<>!~"
OVERVIEW = "Overview"  # the section that holds what stands before the first section heading
FOLD = " › "  # joins a point and the points folded into it
TASK = {False: "□", True: "√"}  # task-list boxes, in glyphs the body font has
CAPTION = "Table:"
FRONT_KEYS = ("topic", "title", "id", "subject", "syllabus", "tags", "updated", "summary", "sources", "markmap")
TYPED = {("label", "value"): "facts", ("label", "value", "note"): "facts", ("when", "what"): "timeline",
         ("term", "meaning"): "terms", ("q", "a"): "cards"}
SECTION_ATTRS = ("#id", ".tag", "tag", "short")
POINT_ATTRS = (".key", "short")
_WORD_STOP = frozenset(" \t\n{}\"'=\\")
_KEY = re.compile(r"([A-Za-z][\w-]*)=")
_QUOTED_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}
_UNESCAPED_BRACKET = re.compile(r"\\.|\[", re.S)


@dataclass(frozen=True)
class Parsed:
    """A topic read from Markdown, with the located warnings about what was kept in another form."""

    topic: Topic
    warnings: tuple[Problem, ...] = ()


# ------------------------------------------------------------------ the parser and attribute blocks

@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    md.use(front_matter_plugin).use(tasklists_plugin)
    # $…$ and $$…$$ are formulas, read by the notes' own rules (a $ opens before a non-space, closes after
    # one, never before a digit): their TeX passes through untouched, not read as Markdown
    md.use(dollarmath_plugin, allow_labels=False, allow_space=False, allow_digits=False, double_inline=True,
           allow_blank_lines=False)
    md.disable("text_join")  # escapes and entities stay apart from text: they tell literal characters from markup
    md.core.ruler.after("block", "notes_prepare", _prepare)
    return md


def _prepare(state: StateCore) -> None:
    """Between block and inline parsing: take a trailing ``{#id .tag key="value"}`` off headings and
    paragraphs (nothing inside it is Markdown), and keep the inline parser's work linear on hostile text."""
    state.md.options["maxNesting"] = INLINE_NESTING  # each '[' costs a scan this deep
    tokens = state.tokens
    marks = 0
    for i, tok in enumerate(tokens):
        if tok.type != "inline":
            continue
        marks += sum(map(tok.content.count, _MARK_CHARS))
        if marks > MAX_MARKS:  # refused unread
            tok.meta["refused"] = True
            tok.content = ""
            continue
        if i and tokens[i - 1].type in ("heading_open", "paragraph_open"):
            found = _split_attrs(tok.content)
            if found is not None:
                tok.content, tok.meta["attrs"], tok.meta["attrs_raw"] = found
        if tok.content.count("[") > MAX_BRACKETS:
            tok.content = _UNESCAPED_BRACKET.sub(lambda m: "\\[" if m.group() == "[" else m.group(), tok.content)
            tok.meta["brackets"] = True


def _split_attrs(text: str) -> tuple[str, list[tuple[str, str]], str] | None:
    """(text before, attribute items, the block as written) when ``text`` ends in an attribute block
    after a space; None otherwise, also for braces that are not one (``a set {1, 2}``)."""
    end = len(text.rstrip())
    if not end or text[end - 1] != "}" or _escaped(text, end - 1):
        return None
    p = text.rfind("{", 0, end)
    for _ in range(50):  # a quoted value may hold " {": the first block that reads to the end wins
        if p <= 0:
            return None
        if text[p - 1] in " \t\n":
            items = _scan_attrs(text, p, end)
            if items is not None and text[:p].strip():
                return text[:p].rstrip(), items, text[p:end]
        p = text.rfind("{", 0, p)
    return None


def _escaped(text: str, i: int) -> bool:
    n = 0
    while i - n - 1 >= 0 and text[i - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def _scan_attrs(text: str, p: int, end: int) -> list[tuple[str, str]] | None:
    """The items of the block ``{…}`` at ``p`` that ends exactly at ``end``; None when it is not one."""
    items: list[tuple[str, str]] = []
    i = p + 1
    while True:
        while i < end and text[i] in " \t\n":
            i += 1
        if i >= end:
            return None
        if text[i] == "}":
            return items if items and i == end - 1 else None
        item = _attr_item(text, i, end)
        if item is None:
            return None
        (kind, value), i = item
        items.append((kind, value))
        if i < end and text[i] not in " \t\n}":
            return None


def _attr_item(text: str, i: int, end: int) -> tuple[tuple[str, str], int] | None:
    if text[i] in "#.":
        j = _word_end(text, i + 1, end)
        return ((text[i], text[i + 1:j]), j) if j > i + 1 else None
    m = _KEY.match(text, i, end)
    if not m:
        return None
    j = m.end()
    if j < end and text[j] == '"':
        quoted = _quoted(text, j, end)
        if quoted is None:
            return None
        value, j = quoted
        return (m.group(1), value), j
    k = _word_end(text, j, end)
    return ((m.group(1), text[j:k]), k) if k > j else None


def _word_end(text: str, i: int, end: int) -> int:
    while i < end and text[i] not in _WORD_STOP:
        i += 1
    return i


def _quoted(text: str, i: int, end: int) -> tuple[str, int] | None:
    """A double-quoted value from ``i`` (the quote): ``\\"``, ``\\\\``, ``\\n``, ``\\t``, ``\\r`` are escapes."""
    out: list[str] = []
    j = i + 1
    while j < end:
        ch = text[j]
        if ch == '"':
            return "".join(out), j + 1
        if ch == "\\" and j + 1 < end:
            nxt = text[j + 1]
            out.append(_QUOTED_ESCAPES.get(nxt, nxt))
            j += 2
            continue
        out.append(ch)
        j += 1
    return None


# ------------------------------------------------------------------ inline content → notes markup

@dataclass(frozen=True)
class _Inline:
    """One stretch of Markdown inline content as notes markup."""

    text: str
    stars: tuple[int, ...]  # offsets of '*' that Markdown prints as they are: escaped if the markup fails
    verbatim: bool          # the markup is the source itself, so an offset in it is a column in the file


def code_literal(text: str) -> str:
    """Text printed exactly as written: every notes markup character escaped."""
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("=", "\\=").replace("$", "\\$")


class _InlineReader:
    """Walks the inline tokens of one block; links and images are reported to the file's reader."""

    def __init__(self, owner: _Reader, at: Loc):
        self.owner, self.at = owner, at
        self.parts: list[str] = []
        self.kinds: list[str] = []  # "text", "html" or "" for each part
        self.stars: list[int] = []
        self.size = 0
        self.link: tuple[int, str] | None = None  # where the open link's text starts, and its target

    def add(self, piece: str, literal: bool = False, kind: str = "") -> None:
        if literal and "*" in piece:
            self.stars.extend(self.size + k for k, ch in enumerate(piece) if ch == "*")
        self.parts.append(piece)
        self.kinds.append(kind)
        self.size += len(piece)

    def run(self, tokens: list[Token]) -> str:
        for tok in tokens:
            self.token(tok)
        self.trim()
        return "".join(self.parts)

    def trim(self) -> None:
        """The space between a dropped HTML tag or comment and the edge of the text goes with it."""
        parts, kinds = self.parts, self.kinds
        if "html" not in kinds:
            return
        dropped = False
        while kinds and kinds[-1] == "html" and not parts[-1]:
            kinds.pop()
            parts.pop()
            dropped = True
        if dropped and kinds and kinds[-1] == "text":
            parts[-1] = parts[-1].rstrip(" ")
        head = 0
        while head < len(parts) and kinds[head] == "html" and not parts[head]:
            head += 1
        if head and head < len(parts) and kinds[head] == "text":
            cut = len(parts[head]) - len(parts[head].lstrip(" "))
            parts[head] = parts[head][cut:]
            self.stars = [k - cut for k in self.stars]

    def token(self, tok: Token) -> None:
        kind = tok.type
        if kind == "text_special":
            escape = tok.info == "escape"
            self.add(tok.markup if escape and tok.content in "*=\\$" else tok.content, literal=not escape)
        elif kind in ("math_inline", "math_inline_double"):
            mark = "$$" if kind == "math_inline_double" else "$"
            self.add(f"{mark}{tok.content}{mark}")
        elif kind in ("em_open", "em_close"):
            self.add("*")
        elif kind in ("strong_open", "strong_close"):
            self.add("**")
        elif kind in ("softbreak", "hardbreak"):
            self.add(" ")
        elif kind == "code_inline":
            self.add(code_literal(tok.content))
        elif kind in ("link_open", "link_close"):
            self.link_edge(tok)
        elif kind == "image":
            self.image(tok)
        elif kind == "html_inline":
            self.add(self.html(tok.content), kind="html")
        else:  # text; the tokens of ~~strikethrough~~ hold no text: it prints as plain text
            self.add(tok.content, literal=True, kind="text")

    def html(self, raw: str) -> str:
        if "task-list-item-checkbox" in raw:
            return TASK["checked" in raw]
        return " " if re.fullmatch(r"<br\s*/?>", raw, re.I) else ""  # a tag's text is outside it; comments go

    def link_edge(self, tok: Token) -> None:
        if tok.type == "link_open":
            self.link = (self.size, str(tok.attrs.get("href", "")) if tok.markup != "autolink" else "")
            return
        if self.link is not None and self.link[1]:
            start, href = self.link
            self.owner.linked(href, "".join(self.parts)[start:], self.at)
        self.link = None

    def image(self, tok: Token) -> None:
        alt = _InlineReader(self.owner, self.at).run(tok.children or [])
        src = str(tok.attrs.get("src", ""))
        kept = f"; its description '{markup.plain(alt)}' is printed instead" if alt.strip() else ""
        self.owner.warn(self.at, "image", f"the image '{src}' is not printed (images are not supported){kept}")
        self.add(alt)


# ------------------------------------------------------------------ what is built before it is frozen

@dataclass
class _P:
    """A point being built; frozen (and folded) once the whole file is read."""

    text: str
    loc: Loc
    short: str | None = None
    key: bool = False
    kids: list[_P] = field(default_factory=list)
    plain: bool = False  # a paragraph without attributes: what an introduction's summary is made of


@dataclass
class _Front:
    """The topic-level keys of the front matter, as read."""

    title: str | None = None
    title_at: Loc | None = None
    id: str | None = None
    subject: str | None = None
    syllabus: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    updated: str | None = None
    summary: str | None = None
    sources: tuple[Source, ...] = ()


@dataclass
class _S:
    """A section being built."""

    title: str | None
    loc: Loc
    id: str | None = None
    id_loc: Loc | None = None
    short: str | None = None
    tags: list[str] = field(default_factory=list)
    points: list[_P] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    timeline: list[Event] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    table: Table | None = None
    subs: list[_S] = field(default_factory=list)
    others: bool = False  # holds something besides plain paragraphs (for the introduction)

    def has_content(self) -> bool:
        return bool(self.points or self.facts or self.timeline or self.terms or self.cards or self.table
                    or self.subs)


# ------------------------------------------------------------------ the reader

class _Reader:
    """Reads one Markdown file; collects every problem and warning with its line."""

    def __init__(self, shown: str, text: str):
        self.shown = shown
        self.lines = text.split("\n")
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.link_sources: list[Source] = []
        self.count = 0
        self.marks_refused = False

    # -- messages

    def error(self, at: Loc, where: str, message: str) -> None:
        self.problems.append(Problem.at(at, where, message))

    def warn(self, at: Loc, where: str, message: str) -> None:
        self.warnings.append(Problem.at(at, where, message, severity="warning"))

    def line_loc(self, node: _Node | Token, offset: int = 0) -> Loc:
        line = (node.map[0] + 1 + offset) if node.map else 1
        return Loc(self.shown, line, 1)

    def content_loc(self, tok: Token) -> Loc:
        """Where a block's inline content starts in the file."""
        known = tok.meta.get("loc")
        if known is None:
            known = tok.meta["loc"] = self.find_content(tok)
        return known

    def find_content(self, tok: Token) -> Loc:
        line = tok.map[0] + 1 if tok.map else 1
        first = tok.content.split("\n", 1)[0].strip()
        src = self.lines[line - 1] if line <= len(self.lines) else ""
        col = src.find(first) if first else -1
        return Loc(self.shown, line, col + 1 if col >= 0 else 1)

    def offset_loc(self, tok: Token, offset: int) -> Loc:
        """The file position of a character of inline content that is read verbatim."""
        start = self.content_loc(tok)
        content = tok.content
        k = content.count("\n", 0, offset)
        if k == 0:
            return Loc(self.shown, start.line, start.col + offset)
        seg_start = content.rfind("\n", 0, offset) + 1
        seg = content[seg_start:].split("\n", 1)[0]
        line = start.line + k
        src = self.lines[line - 1] if line <= len(self.lines) else ""
        col = src.find(seg) if seg else -1
        return Loc(self.shown, line, (col + 1 if col >= 0 else 1) + offset - seg_start)

    # -- inline text

    def inline(self, tok: Token, where: str) -> _Inline:
        refused = tok.meta.get("refused")
        if refused and not self.marks_refused:
            self.marks_refused = True
            self.error(self.line_loc(tok), "", f"the file holds more than {MAX_MARKS:,} markup characters "
                       f"({' '.join(_MARK_CHARS)}) from here on; split the topic")
        if refused:
            return _Inline("", (), False)
        if tok.meta.get("brackets"):
            self.warn(self.content_loc(tok), where, f"more than {MAX_BRACKETS} '[' in one paragraph: they are "
                      "printed as they are, and no links are looked for")
        walker = _InlineReader(self, self.content_loc(tok))
        text = walker.run(tok.children or [])
        return _Inline(text, tuple(walker.stars), text == tok.content)

    def text(self, tok: Token, where: str, limit: int = 4000) -> str | None:
        """The markup of a block's inline content, checked as the YAML loader checks text."""
        conv = self.inline(tok, where)
        if "refused" in tok.meta:
            return None
        return self.checked(conv.text, where, limit, conv, tok)

    def checked(self, value: str, where: str, limit: int, conv: _Inline | None = None,
                tok: Token | None = None, at: Loc | None = None) -> str | None:
        here = at or (self.content_loc(tok) if tok is not None else Loc(self.shown))
        bad = BAD_CHARS.search(value)  # from a character reference such as &#x2028;
        if bad:
            self.error(here, where, bad_char_message(bad.group()))
            return None
        if not value.strip():
            self.error(here, where, "is empty")
            return None
        if len(value) > limit:
            self.error(here, where, f"is {len(value):,} characters long; the limit is {limit:,}")
            return None
        try:
            markup.parse(value)
        except markup.MarkupError as exc:
            repaired = _escape_stars(value, conv.stars) if conv and conv.stars else None
            if repaired is not None and _valid(repaired):
                return repaired  # asterisks Markdown prints as they are: printed as they are
            exact = conv is not None and conv.verbatim and tok is not None
            self.error(self.offset_loc(tok, exc.offset) if exact and tok else here, where, exc.message)
            return None
        return value

    def linked(self, href: str, label: str, at: Loc) -> None:
        """A link's text is printed where it stands; a web link's target joins the topic's sources."""
        parsed = urlparse(href)
        if parsed.scheme in ("http", "https") and parsed.netloc and not any(c.isspace() for c in href):
            title = label if label.strip() and _valid(label) else code_literal(href)
            self.link_sources.append(Source(title, href))
        elif not href.startswith("#"):
            self.warn(at, "link", f"the link target '{href}' is not printed (only web links are kept, "
                      "as sources); its text is")

    # -- attributes

    def attrs(self, tok: Token, allowed: tuple[str, ...], where: str) -> dict[str, list[str]]:
        """The attribute block of a heading or paragraph, by kind ('#id', '.tag', '.key', 'short', 'tag')."""
        items: list[tuple[str, str]] = tok.meta.get("attrs") or []
        out: dict[str, list[str]] = {}
        if not items:
            return out
        at = self.attrs_loc(tok)
        for kind, value in items:
            name = self.attr_name(kind, value)
            if name not in allowed:
                self.error(at, where, self.attr_refusal(name, allowed))
                continue
            out.setdefault(name, []).append(value)
        return out

    @staticmethod
    def attr_name(kind: str, value: str) -> str:
        if kind == "#":
            return "#id"
        if kind == ".":
            return ".key" if value == "key" else ".tag"
        return kind

    @staticmethod
    def attr_refusal(name: str, allowed: tuple[str, ...]) -> str:
        if not allowed:
            return f"'{name}' is not taken here: put the topic's id, tags and other keys in the front matter"
        if name in ("#id", ".tag", "tag") and "#id" not in allowed:
            return f"a point has no {'id' if name == '#id' else 'tags'}; only {{.key short=\"…\"}}"
        if name == ".key":
            return "a section has no key; mark its points with {.key}"
        names = [a.lstrip("#.") for a in allowed]
        return f"unknown attribute '{name}'{did_you_mean(name.lstrip('#.'), names)}; here: {' '.join(allowed)}"

    def attrs_loc(self, tok: Token) -> Loc:
        raw = str(tok.meta.get("attrs_raw", ""))
        first = tok.map[0] if tok.map else 0
        last = tok.map[1] if tok.map else len(self.lines)
        for i in range(last - 1, first - 1, -1):
            col = self.lines[i].rfind(raw.split("\n", 1)[0]) if i < len(self.lines) else -1
            if col >= 0:
                return Loc(self.shown, i + 1, col + 1)
        return self.content_loc(tok)

    def short(self, values: list[str] | None, tok: Token, where: str) -> str | None:
        if not values:
            return None
        return self.checked(values[-1], f"{where}.short", 200, at=self.attrs_loc(tok))

    # -- points

    def point(self, tok: Token, where: str = "point", prefix: str = "") -> _P | None:
        """A point from a paragraph or heading; None when nothing of it prints (an image, a comment)."""
        conv = self.inline(tok, where)
        attrs = self.attrs(tok, POINT_ATTRS, where)
        if "refused" in tok.meta:
            return _P("", self.line_loc(tok))  # reported: stands in for the point, so the section is not empty
        if not conv.text and not attrs and not prefix:
            return None
        if prefix:
            conv = _Inline(prefix + conv.text, tuple(k + len(prefix) for k in conv.stars), False)
        text = self.checked(conv.text, where, 4000, conv, tok)
        short = self.short(attrs.get("short"), tok, where)
        plain = not tok.meta.get("attrs") and not prefix
        return _P(text or "", self.content_loc(tok), short, ".key" in attrs, plain=plain)

    def freeze(self, p: _P, depth: int) -> Point:
        text, kids = p.text, p.kids
        if kids and depth == MAX_POINT_DEPTH - 1:
            text = p.text + FOLD + "; ".join(_fold(k) for k in kids)
            n = sum(_size(k) for k in kids)
            self.warn(p.loc, "point", f"{n} point{'s' if n != 1 else ''} nested deeper than {MAX_POINT_DEPTH} "
                      "levels folded into this point's text")
            if len(text) > 4000:
                self.error(p.loc, "point", f"is {len(text):,} characters long with the points folded into it; "
                           "the limit is 4,000 (nest less deeply)")
            kids = []
        self.count += 1
        if self.count == MAX_POINTS + 1:
            self.error(p.loc, "point", f"the topic has more than {MAX_POINTS:,} points; split it into several topics")
        return Point(text, p.short, p.key, tuple(self.freeze(k, depth + 1) for k in kids), loc=p.loc)


def _valid(text: str) -> bool:
    try:
        markup.parse(text)
    except markup.MarkupError:
        return False
    return True


def _escape_stars(text: str, stars: tuple[int, ...]) -> str:
    out, last = [], 0
    for i in stars:
        out += [text[last:i], "\\*"]
        last = i + 1
    return "".join(out) + text[last:]


def _fold(p: _P) -> str:
    return p.text + (FOLD + "; ".join(_fold(k) for k in p.kids) if p.kids else "")


def _size(p: _P) -> int:
    return 1 + sum(_size(k) for k in p.kids)


# ------------------------------------------------------------------ blocks

@dataclass
class _Node:
    """A block and its children (markdown-it's SyntaxTreeNode would also wrap every inline token)."""

    type: str
    tag: str = ""
    map: list[int] | None = None
    info: str = ""
    markup: str = ""
    content: str = ""
    token: Token | None = None  # the token itself, for inline content
    children: list[_Node] = field(default_factory=list)


def _tree(tokens: list[Token]) -> _Node:
    root = _Node("root")
    stack = [root]
    for tok in tokens:
        if tok.nesting == 1:
            node = _Node(tok.type.removesuffix("_open"), tok.tag, tok.map, tok.info, tok.markup)
            stack[-1].children.append(node)
            stack.append(node)
        elif tok.nesting == -1:
            if len(stack) > 1:
                stack.pop()
        else:
            stack[-1].children.append(_Node(tok.type, tok.tag, tok.map, tok.info, tok.markup, tok.content, tok))
    return root


def _inline_of(node: _Node) -> Token | None:
    """The inline token of a heading or paragraph (or a table cell)."""
    for child in node.children:
        if child.type == "inline" and child.token is not None:
            return child.token
    return None


def _caption_of(node: _Node) -> Token | None:
    tok = _inline_of(node) if node.type == "paragraph" else None
    return tok if tok is not None and tok.content.startswith(CAPTION) else None


def _paired(nodes: list[_Node]) -> list[tuple[_Node, Token | None]]:
    """Blocks with the caption paragraph (``Table: title``) that stands right before a table."""
    out: list[tuple[_Node, Token | None]] = []
    skip = False
    for i, node in enumerate(nodes):
        if skip:
            skip = False
            continue
        cap = _caption_of(node)
        if cap is not None and i + 1 < len(nodes) and nodes[i + 1].type == "table":
            out.append((nodes[i + 1], cap))
            skip = True
        else:
            out.append((node, None))
    return out


class _Blocks(_Reader):
    """Blocks → points, tables, facts, timeline, terms and cards of the section they stand in."""

    def block(self, node: _Node, target: list[_P], sec: _S, caption: Token | None = None) -> None:
        kind = node.type
        if kind in ("paragraph", "heading"):
            tok = _inline_of(node)
            p = self.point(tok) if tok is not None else None
            if p is not None:
                sec.others = sec.others or not p.plain or kind == "heading"
                target.append(p)
            return
        sec.others = sec.others or kind not in ("hr", "front_matter", "html_block")
        if kind in ("bullet_list", "ordered_list"):
            for item in node.children:
                number = f"{item.info}{item.markup} " if kind == "ordered_list" else ""
                self.item(item.children, target, sec, self.line_loc(item), number)
        elif kind == "blockquote":
            self.item(node.children, target, sec, self.line_loc(node), "")
        elif kind == "table":
            self.table(node, caption, target, sec)
        elif kind in ("fence", "code_block"):
            self.code(node, target)
        elif kind == "math_block":  # $$ … $$ on lines of their own: a point that is a display formula
            at = self.line_loc(node)
            text = self.checked(f"$${' '.join(node.content.split())}$$", "formula", 4000, at=at)
            if text is not None:
                target.append(_P(text, at))
        elif kind == "html_block":
            sec.others = self.html(node, target) or sec.others

    def item(self, children: list[_Node], target: list[_P], sec: _S, at: Loc, number: str) -> None:
        """A list item or a quote: its first paragraph is the point, the rest its sub-points."""
        pairs = _paired(children)
        if not pairs:
            self.warn(at, "point", "an empty list item is left out")
            return
        first, caption = pairs[0]
        tok = _inline_of(first) if first.type in ("paragraph", "heading") and caption is None else None
        lead = self.point(tok, prefix=number) if tok is not None else None
        if lead is None and number:
            lead = _P(number.strip(), at)
            pairs = pairs[1:] if tok is not None else pairs
        elif lead is not None:
            pairs = pairs[1:]
        if lead is not None:
            sec.others = True
            target.append(lead)
            target = lead.kids
        for node, cap in pairs:
            self.block(node, target, sec, cap)

    def code(self, node: _Node, target: list[_P]) -> None:
        """A code block: one point a line, printed literally."""
        first = (node.map[0] + (1 if node.type == "fence" else 0)) if node.map else 0
        for i, line in enumerate(node.content.split("\n")):
            if line.strip():
                at = Loc(self.shown, first + i + 1, 1)
                text = self.checked(code_literal(line.rstrip()), "code", 4000, at=at)
                if text is not None:
                    target.append(_P(text, at))

    def html(self, node: _Node, target: list[_P]) -> bool:
        """An HTML block: comments go (markmap's magic comments among them); the text of tags stays.
        True when it held text."""
        text = re.sub(r"<!--.*?(-->|\Z)", "", node.content, flags=re.S)
        text = html.unescape(re.sub(r"<[^>]*>", " ", text))
        first = node.map[0] if node.map else 0
        for i, line in enumerate(text.split("\n")):
            if line.strip():
                at = Loc(self.shown, first + i + 1, 1)
                value = self.checked(code_literal(" ".join(line.split())), "html", 4000, at=at)
                if value is not None:
                    target.append(_P(value, at))
        return any(line.strip() for line in text.split("\n"))

    # -- tables

    def cells(self, row: _Node, where: str, fill: str | None) -> tuple[list[str | None], bool]:
        """The cells of a row as markup (an empty cell is ``fill``), and whether every cell could be read."""
        out: list[str | None] = []
        ok = True
        for cell in row.children:
            tok = _inline_of(cell)
            if tok is None or not tok.content.strip():
                out.append(fill)
                continue
            value = self.text(tok, where)
            ok = ok and value is not None
            out.append(value)
        return out, ok

    def table(self, node: _Node, caption: Token | None, target: list[_P], sec: _S) -> None:
        head = [r for part in node.children if part.type == "thead" for r in part.children]
        body = [r for part in node.children if part.type == "tbody" for r in part.children]
        at = self.line_loc(node)
        columns, ok = self.cells(head[0], "table", "–") if head else ([], False)
        if len(columns) > MAX_COLUMNS:
            self.error(at, "table", f"a table needs 1 to {MAX_COLUMNS} columns, found {len(columns)}")
            return
        self.extra_cells(body, len(columns))
        kind = TYPED.get(tuple(markup.plain(c or "").strip().lower() for c in columns))
        if kind and caption is None:
            self.typed(kind, body, sec)
            return
        title = self.caption(caption) if caption is not None else None
        rows = [self.cells(r, "table", "–") for r in body]
        if not body:
            self.error(at, "table", "a table needs at least one row under its header")
        if not ok or not body or not all(r_ok for _, r_ok in rows):
            return
        table = Table(tuple(c or "" for c in columns), tuple(tuple(c or "" for c in r) for r, _ in rows), title,
                      loc=at)
        if sec.table is None:
            sec.table = table
            return
        self.warn(at, "table", "a section holds one table: this one is kept as points (put it in a sub-section "
                  "of its own to keep it a table)")
        lead = _P(" · ".join(table.columns), at)
        lead.kids = [_P(" · ".join(r), self.line_loc(row)) for r, row in zip(table.rows, body, strict=True)]
        target.append(lead)

    def caption(self, tok: Token) -> str | None:
        """The title of a ``Table: title`` paragraph (None when it is left empty)."""
        if tok.meta.get("attrs"):
            self.error(self.attrs_loc(tok), "table", "a table's caption takes no attributes")
        children = list(tok.children or [])
        if children and children[0].type == "text":
            first = children[0].copy()
            first.content = first.content[len(CAPTION):].lstrip(" \t")
            children[0] = first
        walker = _InlineReader(self, self.content_loc(tok))
        text = walker.run(children)
        if not text.strip():
            return None
        return self.checked(text, "table.title", 4000, _Inline(text, tuple(walker.stars), False), tok)

    def extra_cells(self, body: list[_Node], width: int) -> None:
        """GFM drops the cells of a row beyond the header's: say so (a rough count of unescaped pipes)."""
        for row in body:
            line = self.lines[row.map[0]] if row.map and row.map[0] < len(self.lines) else ""
            inner = line.strip().removeprefix("|").removesuffix("|")
            cells = len(re.findall(r"(?<!\\)\|", inner)) + 1
            if cells > width:
                self.warn(self.line_loc(row), "table", f"this row has {cells} cells but the header has {width}: "
                          "Markdown leaves the extra cells out")

    def typed(self, kind: str, body: list[_Node], sec: _S) -> None:
        """A table headed with the keys of facts, timeline, terms or cards fills that list."""
        for row in body:
            cells, ok = self.cells(row, kind, None)
            at = self.line_loc(row)
            if ok and (cells[0] is None or cells[1] is None):
                self.error(at, kind, f"a row of {kind} needs its first two cells")
            elif ok:
                first, second = cells[0] or "", cells[1] or ""
                if kind == "facts":
                    sec.facts.append(Fact(first, second, cells[2] if len(cells) > 2 else None, loc=at))
                elif kind == "timeline":
                    sec.timeline.append(Event(first, second, loc=at))
                elif kind == "terms":
                    sec.terms.append(Term(first, second, loc=at))
                else:
                    sec.cards.append(Card(first, second, loc=at))


# ------------------------------------------------------------------ the document

class _Document(_Blocks):
    """The whole file: front matter, title, sections and sub-sections."""

    def __init__(self, shown: str, text: str, stem: str):
        super().__init__(shown, text)
        self.stem = stem
        self.front = _Front()
        self.id_at = Loc(shown)
        self.title: str | None = None
        self.title_node: _Node | None = None
        self.top = 2  # the heading level of sections
        self.intro = _S(OVERVIEW, Loc(shown))
        self.sections: list[_S] = []
        self.sec: _S | None = None
        self.sub: _S | None = None
        self.stack: list[tuple[int, _P]] = []  # the heading points open under the current (sub-)section

    # -- front matter

    def front_matter(self, node: _Node) -> None:
        """Topic-level keys, read with the YAML loader's own rules; positions are lines of the .md file."""
        content = node.content
        if not content.strip():
            return
        start = (node.map[0] + 1) if node.map else 1
        padded = "\n" * start + content + "\n"  # the plugin drops the last line break, which YAML may keep
        try:
            root = compose(padded, self.shown)
        except NotesError as exc:
            self.problems.extend(exc.problems)
            return
        r = _TopicReader(self.shown, padded)
        if not isinstance(root, MappingNode):
            r.error(root, "front matter", "expected a mapping of keys (title, id, subject, syllabus, tags, "
                    "updated, summary, sources)")
        else:
            self.front_keys(r, root)
        self.problems.extend(r.problems)

    def front_keys(self, r: _TopicReader, root: MappingNode) -> None:
        fields: dict[str, tuple[Node, Node]] = {}
        for k, v in root.value:
            if not isinstance(k, ScalarNode):
                continue
            if k.value not in FRONT_KEYS:
                self.warn(r.at(k), "front matter", f"unknown key '{k.value}' is ignored"
                          f"{did_you_mean(k.value, list(FRONT_KEYS))}")
            else:
                fields[k.value] = (k, v)
        if "topic" in fields and "title" in fields:
            r.error(fields["title"][0], "title", "the title is given twice (as 'topic' and 'title'); keep one")
        f = self.front

        def get(key: str) -> Node:
            return fields[key][1]

        for key in ("topic", "title"):
            if key in fields:
                f.title, f.title_at = r.marked(get(key), key, limit=300), r.at(get(key))
        if "id" in fields:
            f.id, self.id_at = r.ident(get("id"), "id"), r.at(get("id"))
        f.subject = r.marked(get("subject"), "subject", limit=300) if "subject" in fields else None
        f.syllabus = self.syllabus(r, get("syllabus")) if "syllabus" in fields else ()
        f.tags = (r.texts(get("tags"), "tags") or ()) if "tags" in fields else ()
        f.updated = r.date(get("updated"), "updated") if "updated" in fields else None
        f.summary = r.marked(get("summary"), "summary") if "summary" in fields else None
        f.sources = r.sources(get("sources"), "sources") if "sources" in fields else ()

    @staticmethod
    def syllabus(r: _TopicReader, node: Node) -> tuple[str, ...]:
        """One text or a list of them, each with its markup checked where it stands."""
        values = r.texts(node, "syllabus", one_ok=True) or ()
        items = [(node, "syllabus")] if isinstance(node, ScalarNode) else \
            [(item, f"syllabus[{i}]") for i, item in enumerate(node.value)] if isinstance(node, SequenceNode) else []
        for item, where in items:
            if isinstance(item, ScalarNode) and item.value in values:
                r.marked(item, where)
        return values

    def walk(self, root: _Node) -> None:
        nodes = list(root.children)
        if nodes and nodes[0].type == "front_matter":
            self.front_matter(nodes.pop(0))
        heads = [n for n in nodes if n.type == "heading"]
        h1 = [n for n in heads if n.tag == "h1"]
        self.title_node = h1[0] if len(h1) == 1 else None
        self.top = 1 if len(h1) > 1 else min((int(n.tag[1]) for n in heads if n is not self.title_node), default=2)
        self.sec = self.sub = None
        self.stack = []
        for node, caption in _paired(nodes):
            if node.type == "heading":
                self.heading_node(node)
            else:
                holder = self.sub or self.sec or self.intro
                self.block(node, self.stack[-1][1].kids if self.stack else holder.points, holder, caption)

    def heading_node(self, node: _Node) -> None:
        """The title, a section, a sub-section, or (deeper) a point whose sub-points follow it."""
        level = int(node.tag[1])
        if node is self.title_node:
            self.read_title(node)
            self.sec, self.sub, self.stack = None, None, []
        elif level == self.top or (level == self.top + 1 and self.sec is None):
            self.sec, self.sub, self.stack = self.heading(node), None, []
            self.sections.append(self.sec)
        elif level == self.top + 1 and self.sec is not None:
            self.sub, self.stack = self.heading(node), []
            self.sec.subs.append(self.sub)
        else:
            self.heading_point(node, level, self.sub or self.sec or self.intro)

    def heading_point(self, node: _Node, level: int, holder: _S) -> None:
        """A heading deeper than a sub-section is a point; what follows it, its sub-points."""
        tok = _inline_of(node)
        if tok is None:
            return
        stack = self.stack
        while stack and stack[-1][0] >= level:
            stack.pop()
        p = self.point(tok)
        holder.others = True
        if p is not None:
            (stack[-1][1].kids if stack else holder.points).append(p)
            stack.append((level, p))

    def read_title(self, node: _Node) -> None:
        tok = _inline_of(node)
        if tok is None:
            return
        self.attrs(tok, (), "title")
        self.title = self.text(tok, "title", 300)

    def heading(self, node: _Node) -> _S:
        tok = _inline_of(node)
        at = self.line_loc(node)
        if tok is None:
            return _S(None, at)
        attrs = self.attrs(tok, SECTION_ATTRS, "section")
        s = _S(self.text(tok, "section", 300), at, short=self.short(attrs.get("short"), tok, "section"))
        for value in attrs.get("#id", []):
            if ID_RE.match(value) and len(value) <= 80:
                s.id, s.id_loc = value, self.attrs_loc(tok)
            else:
                self.error(self.attrs_loc(tok), "section.id", f"'{value}' is not a valid id: use lower-case "
                           "letters a-z, digits and '-', starting with a letter or digit")
        for value in attrs.get(".tag", []) + attrs.get("tag", []):
            if value.strip() and not BAD_CHARS.search(value):
                s.tags.append(value)
            else:
                self.error(self.attrs_loc(tok), "section.tags", "a tag must not be empty")
        return s


# ------------------------------------------------------------------ assembling the topic

def _assemble(doc: _Document) -> Topic:
    sections = doc.sections
    summary = doc.front.summary
    intro = doc.intro
    if intro.has_content():
        if summary is None and not intro.others and sections:
            summary = doc.checked(" ".join(p.text for p in intro.points), "summary", 4000, at=intro.points[0].loc)
        else:
            intro.loc = intro.points[0].loc if intro.points else intro.loc
            sections = [intro, *sections]
    for s in sections:
        _empty_subs_to_points(s)
    if not sections:
        doc.error(Loc(doc.shown), "sections", "a topic needs at least one section: start one with '## Title'")
    _give_ids(doc, sections)
    frozen = tuple(_freeze_section(doc, s, str(i + 1)) for i, s in enumerate(sections))
    return _topic(doc, _title(doc), frozen, summary)


def _title(doc: _Document) -> str:
    """The one '# ' heading; else the front matter's title; else the file name."""
    front = doc.front
    if doc.title_node is not None:
        if front.title is not None:
            doc.warn(front.title_at or Loc(doc.shown), "title",
                     "the title is the '# ' heading; the front matter's title is ignored")
        return doc.title or ""
    if front.title is not None or front.title_at is not None:
        return front.title or ""
    doc.warn(Loc(doc.shown), "title", "no title: the file name is used (start the file with '# Title')")
    return doc.checked(code_literal(doc.stem), "title", 300, at=Loc(doc.shown)) or ""


def _topic(doc: _Document, title: str, sections: tuple[Section, ...], summary: str | None) -> Topic:
    f = doc.front
    sources = f.sources
    known = {s.url for s in sources if s.url}
    for s in doc.link_sources:
        if s.url and s.url not in known:
            sources += (s,)
            known.add(s.url)
    tid = f.id or slug(doc.stem) or "topic"
    return Topic(tid, title, sections, f.subject, f.syllabus, f.tags, f.updated, summary, sources, doc.shown,
                 loc=Loc(doc.shown), id_at=doc.id_at)


def _empty_subs_to_points(s: _S) -> None:
    """A sub-heading with nothing under it is a point of its section (in markmap, a leaf)."""
    kept = []
    for sub in s.subs:
        if sub.has_content() or sub.id or sub.tags or sub.title is None:
            kept.append(sub)
        else:
            s.points.append(_P(sub.title, sub.loc, sub.short))
    s.subs = kept


def _give_ids(doc: _Document, sections: list[_S]) -> None:
    """Ids as written; the others the slug of the title, made unique (markmap files repeat headings)."""
    seen: dict[str, Loc] = {}
    for s in _all(sections):
        if s.id is None:
            continue
        if s.id in seen:
            doc.error(s.id_loc or s.loc, "section.id", f"two sections have the id '{s.id}' (the other at line "
                      f"{seen[s.id].line}); give them different ids")
        seen.setdefault(s.id, s.id_loc or s.loc)
    for number, s in _numbered(sections):
        if s.id is not None or s.title is None:
            continue
        base = "overview" if s is doc.intro else slug(markup.plain(s.title)) or f"section-{number}"
        sid, n = base, 1
        while sid in seen:
            n += 1
            sid = f"{base}-{n}"
        s.id = sid
        seen[sid] = s.loc
    if len(seen) > MAX_SECTIONS:
        doc.error(Loc(doc.shown), "sections", f"the topic has {len(seen)} sections; the limit is {MAX_SECTIONS}")


def _all(sections: list[_S]) -> list[_S]:
    return [x for s in sections for x in (s, *s.subs)]


def _numbered(sections: list[_S]) -> list[tuple[str, _S]]:
    out: list[tuple[str, _S]] = []
    for i, s in enumerate(sections):
        out.append((str(i + 1), s))
        out += [(f"{i + 1}-{j + 1}", sub) for j, sub in enumerate(s.subs)]
    return out


def _freeze_section(doc: _Document, s: _S, number: str) -> Section:
    if not s.has_content() and s.title is not None:
        doc.error(s.loc, "section", f"the section '{markup.plain(s.title)}' has no content: write points, a "
                  "table or sub-sections under it")
    subs = tuple(_freeze_section(doc, sub, f"{number}.{j + 1}") for j, sub in enumerate(s.subs))
    return Section(s.id or "", s.title or "", s.short, tuple(s.tags), tuple(doc.freeze(p, 0) for p in s.points),
                   tuple(s.facts), tuple(s.timeline), tuple(s.terms), s.table, tuple(s.cards), subs,
                   number=number, loc=s.loc)


# ------------------------------------------------------------------ the public face

def parse(text: str, shown: str, stem: str = "topic") -> Parsed:
    """Markdown text → topic and warnings; NotesError with every located problem."""
    check_chars(text, shown)
    if not text.strip():
        raise NotesError(Problem(shown, 1, 1, "", "the file is empty"))
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise NotesError(Problem(shown, MAX_LINES + 1, 1, "", f"the file has {lines:,} lines; Markdown notes may "
                                 f"have at most {MAX_LINES:,} (split the topic)"))
    doc = _Document(shown, text, stem)
    md = _parser()
    md.options["maxNesting"] = MAX_NESTING  # for the blocks; _prepare sets the inline depth
    try:
        tokens = md.parse(text)
        deep = next((t for t in tokens if t.level >= MAX_NESTING - 1), None)
        if deep is not None:
            line = next((t.map[0] + 1 for t in reversed(tokens[:tokens.index(deep) + 1]) if t.map), 1)
            raise NotesError(Problem(shown, line, 1, "", f"the file nests more than {MAX_NESTING // 2} levels "
                                     "deep (lists in lists, quotes in quotes); Markdown would lose the rest"))
        doc.walk(_tree(tokens))
    except RecursionError:
        raise NotesError(Problem(shown, 1, 1, "", "the file nests too deeply")) from None
    topic = _assemble(doc)
    if doc.problems:
        raise NotesError(doc.problems)
    return Parsed(topic, tuple(sorted(doc.warnings)))


def read(path: str | Path) -> Parsed:
    """A Markdown notes file → topic and warnings."""
    path = Path(path)
    shown = str(path)
    return parse(read_file(path, shown), shown, path.stem)


def load_text(text: str, shown: str, stem: str = "topic") -> Topic:
    """Like notes.load_text, for Markdown."""
    return parse(text, shown, stem).topic


def load(path: str | Path) -> Topic:
    """Like notes.load, for Markdown: raises NotesError with every problem the file has."""
    return read(path).topic
