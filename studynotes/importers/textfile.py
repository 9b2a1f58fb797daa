"""A text file as lines, or a located error that says why it is not one.

Articles come from browsers, PDFs and Word, so the reader is lenient where nothing can be lost
(a byte-order mark, UTF-16 from Notepad, form feeds and Unicode line separators read as line
breaks) and strict where guessing would garble text: bytes that are not UTF-8 and binary files
are refused at their line and column.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path

from ..errors import NotesError, Problem
from ..load.yamlfile import MAX_FILE_BYTES, check_chars, position

_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def _refuse(shown: str, message: str, line: int = 1, col: int = 1) -> NotesError:
    return NotesError(Problem(shown, line, col, "", message))


def read_bytes(path: Path, shown: str, limit: int) -> bytes:
    """The file's bytes: a regular file no larger than ``limit``."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise _refuse(shown, f"cannot read the file: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(shown, "not a regular file")
    if info.st_size > limit:
        raise _refuse(shown, f"the file is {info.st_size / 1048576:.1f} MiB; the notes made from it could not "
                      f"load (notes files may be at most {MAX_FILE_BYTES // 1048576} MiB): split it and import "
                      "each part")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _refuse(shown, f"cannot read the file: {exc.strerror}") from None


def decode(data: bytes, shown: str) -> str:
    """UTF-8 (with or without a byte-order mark) or UTF-16 with one; anything else is refused where
    it first goes wrong."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _refuse(shown, "the file starts like UTF-16 text but is not: save it as UTF-8") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    nul = data.find(b"\x00")
    if nul >= 0:
        before = data[:nul].decode("utf-8", "replace")
        line, col = position(before, len(before))
        raise _refuse(shown, "this is a binary file, not text (a NUL byte): give the article as plain text "
                      "(.txt), a Word file (.docx) or Markdown (.md)", line, col)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", "replace")
        line, col = position(good, len(good))
        raise _refuse(shown, f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8 "
                      "(in most editors: Save As, encoding UTF-8)", line, col) from None


def lines(path: Path, shown: str) -> list[str]:
    """The file's lines, without their line breaks; control characters are located errors."""
    text = decode(read_bytes(path, shown, MAX_FILE_BYTES), shown)
    text = _LINE_BREAKS.sub("\n", text)
    check_chars(text, shown, _CONTROL)
    return text.split("\n")
