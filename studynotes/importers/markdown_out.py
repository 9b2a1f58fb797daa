"""Topic → Markdown in the mapping of docs/notes-format.md ("Markdown notes"), for Markdown editors and markmap.

The notes' inline markup is a subset of Markdown's, so text is written as
it is, and only what Markdown would read otherwise is escaped: ``_`` and
``[`` anywhere, a ``#``, ``>``, ``-`` or ``1.`` that would start a block,
``&`` before a name, ``<`` before a tag, a backslash before punctuation.
What Markdown trims or joins — spaces at either end, line breaks, tabs — is
written as a character reference. Reading the result back
(``load.markdown``) gives a topic equal to the one written, which the tests
check on every sample and on generated topics.
"""

from __future__ import annotations

import re
import string

import yaml

from .. import markup
from ..model import Point, Section, Table, Topic
from ..names import slug

TYPED_HEADERS = {("label", "value"), ("label", "value", "note"), ("when", "what"), ("term", "meaning"), ("q", "a")}
_PUNCT = frozenset(string.punctuation)
_LIST_NUMBER = re.compile(r"\d{1,9}[.)](?=[ \t]|$)")
_RULE = re.compile(r"\*[ \t*]*\Z")  # a line of asterisks (and spaces) is a thematic break
_FENCE = re.compile(r"^( {0,3}-{3,}|\.\.\.)[ \t]*$", re.M)  # what closes front matter (mdit-py-plugins)
_BARE_TAG = re.compile(r"[^\s{}\"'=\\#.][^\s{}\"'=\\]*\Z")


def to_markdown(topic: Topic) -> str:
    """The whole topic as a Markdown file: front matter, '# title', sections, sub-sections."""
    parts = [_front_matter(topic), f"# {inline(topic.title)}\n"]
    ids = _ids(topic)
    for sec in topic.sections:
        parts += _section(sec, 2, ids)
    return "\n".join(parts)


# ------------------------------------------------------------------ front matter

def _front_matter(topic: Topic) -> str:
    """The topic-level keys, as YAML: exact for any text (YAML quotes what it must)."""
    data: dict[str, object] = {"id": topic.id}
    if topic.subject is not None:
        data["subject"] = topic.subject
    if topic.syllabus:
        data["syllabus"] = topic.syllabus[0] if len(topic.syllabus) == 1 else list(topic.syllabus)
    if topic.tags:
        data["tags"] = list(topic.tags)
    if topic.updated is not None:
        data["updated"] = topic.updated
    if topic.summary is not None:
        data["summary"] = topic.summary
    if topic.sources:
        data["sources"] = [s.title if s.url is None else {"title": s.title, "url": s.url} for s in topic.sources]
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)
    if _FENCE.search(body):  # a line of text that would end the front matter early: every value on one line
        body = yaml.dump(data, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False, default_style='"',
                         default_flow_style=False, width=1 << 30)
    return f"---\n{body}---\n"


class _Dumper(yaml.SafeDumper):
    """Text with line breaks (a summary written with ``>``) folded as it was written, where YAML can."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=">" if "\n" in value else None)


_Dumper.add_representer(str, _text)


# ------------------------------------------------------------------ sections

def _ids(topic: Topic) -> dict[str, int]:
    """How many sections of the topic carry each id (an id is left implicit only when it is unique)."""
    count: dict[str, int] = {}
    for sec, _ in topic.walk():
        count[sec.id] = count.get(sec.id, 0) + 1
    return count


def _section(sec: Section, level: int, ids: dict[str, int]) -> list[str]:
    out = [f"{'#' * level} {inline(sec.title)}{_section_attrs(sec, ids)}\n"]
    if sec.points:
        out.append("".join(_points(sec.points, 0)))
    if sec.timeline:
        out.append(_grid(("When", "What"), [(e.when, e.what) for e in sec.timeline]))
    if sec.facts:
        with_notes = any(f.note is not None for f in sec.facts)
        head = ("Label", "Value", "Note") if with_notes else ("Label", "Value")
        out.append(_grid(head, [(f.label, f.value, f.note or "") if with_notes else (f.label, f.value)
                                for f in sec.facts]))
    if sec.terms:
        out.append(_grid(("Term", "Meaning"), [(t.term, t.meaning) for t in sec.terms]))
    if sec.table is not None:
        out.append(_table(sec.table))
    if sec.cards:
        out.append(_grid(("Q", "A"), [(c.q, c.a) for c in sec.cards]))
    for sub in sec.sections:
        out += _section(sub, level + 1, ids)
    return out


def _section_attrs(sec: Section, ids: dict[str, int]) -> str:
    items = []
    default = slug(markup.plain(sec.title))
    if sec.id != default or ids.get(sec.id, 0) > 1:
        items.append(f"#{sec.id}")
    for tag in sec.tags:
        items.append(f".{tag}" if _BARE_TAG.match(tag) and tag != "key" else f"tag={_quote(tag)}")
    if sec.short is not None:
        items.append(f"short={_quote(sec.short)}")
    return f" {{{' '.join(items)}}}" if items else ""


def _points(points: tuple[Point, ...], depth: int) -> list[str]:
    out = []
    for p in points:
        attrs = [".key"] if p.key else []
        if p.short is not None:
            attrs.append(f"short={_quote(p.short)}")
        tail = f" {{{' '.join(attrs)}}}" if attrs else ""
        out.append(f"{'  ' * depth}- {inline(p.text)}{tail}\n")
        out += _points(p.points, depth + 1)
    return out


def _table(table: Table) -> str:
    """A table; its title (or, when its header reads like facts or terms, an empty title) as a caption."""
    plain = tuple(markup.plain(c).strip().lower() for c in table.columns)
    caption = ""
    if table.title is not None:
        caption = f"Table: {inline(table.title)}\n\n"
    elif plain in TYPED_HEADERS:
        caption = "Table:\n\n"
    return caption + _grid(table.columns, table.rows, escape_head=True)


def _grid(head: tuple[str, ...], rows: list[tuple[str, ...]] | tuple[tuple[str, ...], ...],
          escape_head: bool = False) -> str:
    cols = [inline(h, cell=True) if escape_head else h for h in head]
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    lines += ["| " + " | ".join(inline(c, cell=True) if c else "" for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _quote(value: str) -> str:
    """An attribute value in double quotes (escapes: backslash, quote, line break, tab, return)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r") + '"'


# ------------------------------------------------------------------ inline text

def _entity(ch: str) -> str:
    return f"&#{ord(ch)};"


def _pieces(text: str, cell: bool) -> list[tuple[str, bool]]:
    """The text as Markdown pieces; True marks a lone backslash, written once its neighbour is known."""
    out: list[tuple[str, bool]] = []
    n = len(text)
    lead = len(text) - len(text.lstrip())
    trail = len(text.rstrip())
    formulas = dict(markup.formula_spans(text))  # a formula's TeX is written as it is: Markdown reads it so
    i = 0
    while i < n:
        ch = text[i]
        if i in formulas:
            out.append((text[i:formulas[i]], False))
            i = formulas[i]
            continue
        if ch == "\\":
            if i + 1 < n and text[i + 1] in "*=$\\":  # the notes' own escapes are Markdown's too
                out.append((text[i:i + 2], False))
                i += 2
                continue
            out.append(("\\", True))
        elif i < lead or i >= trail or ch in "\n\r\t":
            out.append((_entity(ch), False))
        else:
            out.append((_char(text, i, cell, lead), False))
        i += 1
    return out


def _char(text: str, i: int, cell: bool, lead: int) -> str:
    """One character, escaped when Markdown would read it as syntax here."""
    ch = text[i]
    prev = text[i - 1] if i else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if i == lead:
        start = _line_start(text, i)
        if start is not None:
            return start
    if ch in "`[" or (ch == "|" and cell):
        return "\\" + ch
    if ch == "_" and not (prev.isalnum() and nxt.isalnum()):
        return "\\_"
    if ch == "~" and "~" in (prev, nxt):
        return "\\~"
    if (ch == "&" and (nxt == "#" or nxt.isascii() and nxt.isalpha())) or (ch == "<" and nxt.strip()):
        return "\\" + ch
    if i == len(text) - 1 and ch in "}#":  # an attribute block, or a heading's closing '#'
        return "\\" + ch
    return ch


def _line_start(text: str, i: int) -> str | None:
    """The escape for the first character when it would start a heading, quote, list or rule."""
    ch = text[i]
    rest = text[i:]
    if ch in "#>-+":
        return "\\" + ch
    if ch == "*" and (_RULE.match(rest) or rest[1:2] in ("", " ", "\t")):
        return _entity(ch)
    return None


def inline(text: str, cell: bool = False) -> str:
    """Notes text as Markdown inline content that reads back as exactly this text."""
    pieces = _pieces(text, cell)
    number = _LIST_NUMBER.match(text.lstrip())
    out = []
    for k, (piece, lone) in enumerate(pieces):
        if lone:
            nxt = pieces[k + 1][0] if k + 1 < len(pieces) else ""
            piece = _entity("\\") if nxt[:1] in _PUNCT else "\\"
        out.append(piece)
    if number:  # "1952. Treaty" would start a numbered list: escape its '.' or ')'
        at = (len(text) - len(text.lstrip())) + number.end() - 1
        out[at] = "\\" + out[at]
    return "".join(out)
