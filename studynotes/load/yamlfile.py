"""Read a YAML file into a node tree with positions, refusing what could lose or hide notes.

PyYAML's own loaders keep the last of two duplicate keys, expand aliases
(so a small file can explode in memory) and build objects from tags; we use
only its composer, which keeps line and column for every value, and check
those things ourselves.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import NotesError, Problem

MAX_FILE_BYTES = 2 * 1024 * 1024   # 2 MiB: the largest real topic is well under 100 KiB
MAX_DEPTH = 32                     # YAML nesting; the contract itself needs about 12
MAX_NODES = 200_000                # values in one file

# Characters a notes file may not hold (YAML refuses them too); lone surrogates can only come from
# text handed to compose() directly or from a "\ud800" escape (see nodes.Reader.text).
# The Unicode line and paragraph separators (pasted from PDFs) are refused too: YAML counts them as
# line breaks and editors do not, so every line number after one would be off.
BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def bad_char_message(ch: str) -> str:
    cp = ord(ch)
    if cp in (0x2028, 0x2029):
        return (f"{'line' if cp == 0x2028 else 'paragraph'} separator U+{cp:04X} is not allowed; "
                "replace it with a space or a line break")
    what = "a lone surrogate" if 0xD800 <= cp <= 0xDFFF else "control character"
    return f"{what} U+{cp:04X} is not allowed"


def check_chars(text: str, shown: str, bad: re.Pattern[str] = BAD_CHARS) -> None:
    """Located errors for characters that YAML and print cannot take (the first 20); ``bad`` says
    which (a plain-text importer allows the line separators its line splitting handles)."""
    problems = []
    for m in bad.finditer(text):
        line, col = position(text, m.start())
        problems.append(Problem(shown, line, col, "", bad_char_message(m.group())))
        if len(problems) >= 20:
            break
    if problems:
        raise NotesError(problems)

__all__ = ["MappingNode", "Node", "ScalarNode", "SequenceNode", "read_text", "compose", "position"]


def position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def read_text(path: Path, shown: str) -> str:
    """The file's text, or a located error for size, encoding and control characters."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise NotesError(Problem(shown, 1, 1, "", f"cannot read the file: {exc.strerror}")) from None
    if not stat.S_ISREG(info.st_mode):  # a folder, or a pipe that would never end
        raise NotesError(Problem(shown, 1, 1, "", "not a regular file"))
    size = info.st_size
    if size > MAX_FILE_BYTES:
        raise NotesError(Problem(shown, 1, 1, "", f"the file is {size / 1048576:.1f} MiB; notes files "
                                 f"may be at most {MAX_FILE_BYTES // 1048576} MiB (split the topic)"))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NotesError(Problem(shown, 1, 1, "", f"cannot read the file: {exc.strerror}")) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", "replace")
        line, col = position(good, len(good))
        raise NotesError(Problem(shown, line, col, "", f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); "
                                 "save it as UTF-8")) from None
    check_chars(text, shown)
    return text.replace("\r\n", "\n").replace("\r", "\n")


class _Stop(Exception):
    pass


try:  # libyaml parses about ten times faster; the checks below stay in Python either way
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]  # untyped in the stubs

    class _Base(yaml.composer.Composer, _Parser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        def __init__(self, text: str):
            _Parser.__init__(self, text)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
except ImportError:  # PyYAML built without libyaml
    _Base = yaml.SafeLoader  # type: ignore[misc,assignment]


class _Composer(_Base):
    """A composer with checks for aliases, anchors, tags, depth, size and duplicate keys."""

    def __init__(self, text: str, shown: str):
        super().__init__(text)
        self.shown = shown
        self.problems: list[Problem] = []
        self.depth = 0
        self.count = 0
        self.paths: list[str] = []  # where each node being composed sits, as the Reader names it

    def _problem(self, mark: Any, message: str, where: str = "") -> None:
        self.problems.append(Problem(self.shown, mark.line + 1, mark.column + 1, where, message))

    def _child(self, parent: Node | None, index: object) -> str:
        """The path of the node composed for ``parent`` at ``index`` (a list index, a key node, or None for a key)."""
        base = self.paths[-1] if self.paths else ""
        if isinstance(index, int):
            return f"{base}[{index}]"
        if isinstance(index, ScalarNode):
            return f"{base}.{index.value}" if base else str(index.value)
        return base

    def compose_node(self, parent: Node | None, index: Any) -> Any:
        where = self._child(parent, index)
        if self.check_event(yaml.AliasEvent):
            alias: Any = self.get_event()
            self._problem(alias.start_mark, f"YAML aliases are not allowed (*{alias.anchor}): "
                          "write the value out in full", where)
            raise _Stop
        event: Any = self.peek_event()
        if getattr(event, "anchor", None):
            self._problem(event.start_mark, f"YAML anchors are not allowed (&{event.anchor})", where)
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            self._problem(event.start_mark, f"YAML tags are not allowed ({tag.replace('tag:yaml.org,2002:', '!!')})",
                          where)
        self.depth += 1
        self.count += 1
        if self.depth > MAX_DEPTH:
            self._problem(event.start_mark, f"the file nests deeper than {MAX_DEPTH} levels", where)
            raise _Stop
        if self.count > MAX_NODES:
            self._problem(event.start_mark, f"the file holds more than {MAX_NODES:,} values", where)
            raise _Stop
        self.paths.append(where)
        node = super().compose_node(parent, index)
        self.paths.pop()
        self.depth -= 1
        return node

    def compose_mapping_node(self, anchor: Any) -> Any:
        node = super().compose_mapping_node(anchor)
        seen: dict[str, Node] = {}
        base = self.paths[-1] if self.paths else ""
        for key, _ in node.value:
            if not isinstance(key, ScalarNode):
                self._problem(key.start_mark, "a key must be plain text", base)
                continue
            if key.value in seen:
                first = seen[key.value].start_mark.line + 1
                self._problem(key.start_mark, f"duplicate key '{key.value}' (first at line {first}); "
                              "only one is allowed", f"{base}.{key.value}" if base else key.value)
            else:
                seen[key.value] = key
        return node


def compose(text: str, shown: str) -> Node:
    """The document's root node; located errors for syntax, aliases, tags, duplicates, an empty file."""
    check_chars(text, shown)
    loader = _Composer(text, shown)
    try:
        root = loader.get_single_node()
    except _Stop:
        root = None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or "invalid YAML"
        line_text = text.split("\n")[mark.line] if mark and mark.line < text.count("\n") + 1 else ""
        if "\t" in message or "'\\t'" in message or "\t" in line_text[: (mark.column + 1) if mark else 0]:
            message += " (indent with spaces, not tabs)"
        if exc.context and exc.context not in message:
            if message.startswith("but "):  # e.g. "expected a single document …, but found another document"
                message = f"{exc.context}, {message}"
            else:
                message = f"{message} ({exc.context})"
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        loader.problems.append(Problem(shown, line, col, "", f"YAML syntax: {message}"))
        root = None
    except RecursionError:
        loader.problems.append(Problem(shown, 1, 1, "", "the file nests too deeply"))
        root = None
    finally:
        loader.dispose()
    if loader.problems:
        raise NotesError(loader.problems)
    if root is None or (isinstance(root, ScalarNode) and root.tag.endswith(":null") and not root.value):
        raise NotesError(Problem(shown, 1, 1, "", "the file is empty"))  # also a lone "---"
    return root
