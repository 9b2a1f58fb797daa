"""Typed reading of YAML nodes that collects located problems instead of stopping at the first.

Shared by the notes loader and the preset loader so both report mistakes
the same way: ``file:line:col: where.in.the.doc: what is wrong``.
"""

from __future__ import annotations

import datetime as _dt
import math
import re

from ..errors import Problem, did_you_mean
from .yamlfile import BAD_CHARS, MappingNode, Node, ScalarNode, SequenceNode, bad_char_message

_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*\Z")


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == _NULL:
        return "nothing"
    return f"'{node.value}'" if len(node.value) < 30 else "text"


def _decimal(node: Node, tags: tuple[str, ...]) -> float | None:
    """The value of a scalar YAML tagged as one of ``tags``, when Python reads it as a decimal (a
    decimal too large for a float is infinite, and out of any range)."""
    if not isinstance(node, ScalarNode) or node.tag not in tags:
        return None
    try:
        value = float(node.value.replace("_", ""))
    except ValueError:  # 0x10, 0b11, 1:20, .inf, .nan: numbers to YAML 1.1, not to a reader of the preset
        return None
    return None if math.isnan(value) else value


class Reader:
    """Collects problems for one file; each accessor returns None when the value is unusable."""

    def __init__(self, shown: str, text: str):
        self.shown = shown
        self.source = text
        self.problems: list[Problem] = []

    def error(self, node: Node, where: str, message: str, offset: int | None = None) -> None:
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        if offset is not None and isinstance(node, ScalarNode):
            line, col = self._inside(node, offset, line, col)
        self.problems.append(Problem(self.shown, line, col, where, message))

    def _inside(self, node: ScalarNode, offset: int, line: int, col: int) -> tuple[int, int]:
        """Position of a character inside a scalar, where the source shows it verbatim."""
        src = self.source[node.start_mark.index: node.end_mark.index]
        if node.style in ("'", '"'):
            src = src[1:-1]
            col += 1
        if src == node.value and "\n" not in src:
            return line, col + offset
        return line, col

    def mapping(self, node: Node, where: str, keys: dict[str, bool]) -> dict[str, tuple[Node, Node]] | None:
        """Keys of a mapping; ``keys`` maps each allowed key to whether it is required."""
        if not isinstance(node, MappingNode):
            self.error(node, where, f"expected a mapping of keys ({', '.join(keys)}), found {_kind(node)}")
            return None
        out: dict[str, tuple[Node, Node]] = {}
        for k, v in node.value:
            if not isinstance(k, ScalarNode):
                continue  # reported by the composer
            if k.value not in keys:
                self.error(k, where, f"unknown key '{k.value}'{did_you_mean(k.value, list(keys))}")
            elif k.value not in out:
                out[k.value] = (k, v)
        for key, required in keys.items():
            if required and key not in out:
                self.error(node, where, f"missing required key '{key}'")
        return out

    def sequence(self, node: Node, where: str) -> list[Node] | None:
        if not isinstance(node, SequenceNode):
            self.error(node, where, f"expected a list, found {_kind(node)}")
            return None
        return list(node.value)

    def text(self, node: Node, where: str, *, limit: int = 4000) -> str | None:
        """A string; numbers and dates written bare are kept exactly as written."""
        if not isinstance(node, ScalarNode):
            self.error(node, where, f"expected text, found {_kind(node)}")
            return None
        if node.tag == _NULL or not node.value.strip():
            self.error(node, where, "must not be empty")
            return None
        if len(node.value) > limit:
            self.error(node, where, f"is {len(node.value):,} characters long; the limit is {limit:,}")
            return None
        bad = BAD_CHARS.search(node.value)  # a double-quoted escape such as "\0" or "\ud800"
        if bad:
            self.error(node, where, bad_char_message(bad.group()))
            return None
        return str(node.value)

    def boolean(self, node: Node, where: str) -> bool | None:
        if isinstance(node, ScalarNode) and node.tag == _BOOL and node.value.lower() in ("true", "false"):
            return bool(node.value.lower() == "true")
        self.error(node, where, f"expected true or false, found {_kind(node)}")
        return None

    def number(self, node: Node, where: str, lo: float, hi: float, integer: bool = False) -> float | None:
        """A decimal number in [lo, hi]. YAML 1.1 also reads ``.nan``, ``.inf``, ``0x10``, ``0b11`` and
        ``1:20`` (base 60) as numbers; no preset means those, so they are mistakes like any other text."""
        value = _decimal(node, (_INT,) if integer else (_INT, _FLOAT))
        if value is None:
            self.error(node, where, f"expected {'a whole number' if integer else 'a number'}, found {_kind(node)}")
            return None
        if lo <= value <= hi:
            return int(value) if integer else value
        shown = node.value if len(node.value) < 30 else node.value[:20] + "…"
        self.error(node, where, f"must be between {lo:g} and {hi:g}, found {shown}")
        return None

    def date(self, node: Node, where: str) -> str | None:
        value = self.text(node, where)
        if value is None:
            return None
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):  # fromisoformat also takes 20220910, 2022-W36-6
                raise ValueError(value)
            _dt.date.fromisoformat(value)
        except ValueError:
            self.error(node, where, f"expected a date as YYYY-MM-DD, found '{value}'")
            return None
        return value

    def ident(self, node: Node, where: str) -> str | None:
        value = self.text(node, where, limit=80)
        if value is None:
            return None
        if not ID_RE.match(value):
            self.error(node, where, f"'{value}' is not a valid id: use lower-case letters a-z, digits and '-' "
                       "(no spaces, '/', '\\' or '.'), starting with a letter or digit")
            return None
        return value

    def texts(self, node: Node, where: str, *, one_ok: bool = False) -> tuple[str, ...] | None:
        """A list of strings (or, with one_ok, a single string)."""
        if one_ok and isinstance(node, ScalarNode):
            value = self.text(node, where)
            return None if value is None else (value,)
        items = self.sequence(node, where)
        if items is None:
            return None
        out = [self.text(item, f"{where}[{i}]") for i, item in enumerate(items)]
        return tuple(v for v in out if v is not None)
