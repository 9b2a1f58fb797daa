"""``make_notes.py import``: each file read by the importer its suffix names, written as notes YAML.

All inputs are read and checked before anything is written, so a bad file among several leaves
nothing behind. What is written has already been loaded back with the notes loader and found equal
to the topic it was made from: an import never writes notes that ``check`` would refuse.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import Loc, NotesError, Problem
from ..files import check_target, write_atomic
from ..load import notes as loader
from ..load.notes import MAX_POINTS, MAX_SECTIONS
from ..load.yamlfile import MAX_FILE_BYTES
from ..model import Topic
from . import pointwise, yaml_out
from .outline import Imported, counts, plural


@dataclass(frozen=True)
class Made:
    """One notes file an import makes: where it goes, its text, and what to tell the user."""

    source: Path
    target: Path
    text: str
    imported: Imported

    def line(self) -> str:
        secs, subs, points = counts(self.imported.topic)
        head = f"{self.target}: {plural(secs, 'section')}, {plural(points, 'point')}, {plural(subs, 'sub-section')}"
        return "; ".join([head, *self.imported.report])


def today() -> dt.date:
    """The import date for the header comment; SOURCE_DATE_EPOCH fixes it (reproducible files, tests)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def _markdown(path: Path, topic_id: str | None) -> Imported:
    from ..load import markdown  # the Markdown reader (markdown-it) is loaded only for .md files

    parsed = markdown.read(path)
    topic = replace(parsed.topic, id=topic_id) if topic_id else parsed.topic
    return Imported(topic, parsed.warnings)


def read(path: Path, topic_id: str | None = None) -> Imported:
    """The topic in one file, by its suffix."""
    suffix = suffix_of(path)
    if suffix == ".txt":
        return pointwise.read(path, topic_id)
    if suffix == ".docx":
        from . import word  # python-docx: loaded only for Word files

        return word.read(path, topic_id)
    if suffix in (".md", ".markdown"):
        return _markdown(path, topic_id)
    hint = " (save it as .docx in Word)" if suffix == ".doc" else ""
    raise NotesError(Problem(str(path), 1, 1, "", f"cannot import '{suffix or path.name}' files{hint}: give "
                             "a pointwise article (.txt), a Word file (.docx) or Markdown (.md)"))


def _header(source: Path, on: dt.date, imported: Imported) -> list[str]:
    lines = [f"Imported from {source.name} on {on.isoformat()} by make_notes.py import."]
    if suffix_of(source) in (".txt", ".docx"):  # an outline read from prose: a person should look it over
        lines.append("Review it before printing: merge, shorten and mark ==key== points; add short: labels for "
                     "mind maps.")
    if imported.checks:
        lines.append("Lines marked '# check:' are suggestions made from the text: keep, correct or delete them.")
    lines += [f"note: {p.message} (line {p.line})" for p in imported.warnings]
    return lines


def _limits(imported: Imported, text: str, shown: str) -> None:
    """Notes the loader would refuse for their size, refused here with the input's name."""
    secs, subs, points = counts(imported.topic)
    problem = (f"the notes would hold {points:,} points; a topic may have at most {MAX_POINTS:,}"
               if points > MAX_POINTS else
               f"the notes would hold {secs + subs:,} sections; a topic may have at most {MAX_SECTIONS:,}"
               if secs + subs > MAX_SECTIONS else
               f"the notes would be {len(text.encode()) / 1048576:.1f} MiB; a notes file may be at most "
               f"{MAX_FILE_BYTES // 1048576} MiB" if len(text.encode()) > MAX_FILE_BYTES else "")
    if problem:
        raise NotesError(Problem(shown, 1, 1, "", f"{problem}: split the source and import each part"))


def _same(written: Topic, loaded: Topic) -> bool:
    return replace(loaded, path=written.path) == written


def make(path: Path, out_dir: Path, topic_id: str | None = None, on: dt.date | None = None) -> Made:
    """Read one file and write its notes text (not yet the file): checked by loading it back."""
    imported = read(path, topic_id)
    text = yaml_out.dump(imported.topic, _header(path, on or today(), imported), dict(imported.checks))
    _limits(imported, text, str(path))
    target = out_dir / f"{imported.topic.id}.yaml"
    try:
        loaded = loader.load_text(text, str(target), imported.topic.id)
    except NotesError as exc:  # a bug: the importer made notes its own loader refuses
        raise NotesError([Problem(str(path), 1, 1, "", f"the notes made from this file do not load (a bug in "
                                  f"the importer; please report it): {p}") for p in exc.problems]) from None
    if not _same(imported.topic, loaded):
        raise NotesError(Problem(str(path), 1, 1, "", "the notes made from this file do not read back as made "
                                 "(a bug in the importer; please report it)"))
    if suffix_of(path) in (".md", ".markdown") and path.resolve().parent == out_dir.resolve():
        both = Problem(str(path), 1, 1, "", f"{path.name} and {target.name} now both hold the topic "
                       f"'{imported.topic.id}': move or delete one before building", "warning")
        imported = replace(imported, warnings=(*imported.warnings, both))
    return Made(path, target, text, imported)


def suffix_of(path: Path) -> str:
    return path.suffix.lower()


def make_all(paths: Sequence[Path], out_dir: Path, topic_id: str | None = None, force: bool = False,
             on: dt.date | None = None) -> list[Made]:
    """Every input read and checked, every target free (or --force), before any is written."""
    made: list[Made] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            made.append(make(path, out_dir, topic_id, on))
        except NotesError as exc:
            problems += exc.problems
    problems += _target_problems(made, force)
    if problems:
        raise NotesError(problems)
    return made


def _target_problems(made: list[Made], force: bool) -> list[Problem]:
    problems = []
    seen: dict[Path, Path] = {}
    for m in made:
        if m.target in seen:
            problems.append(Problem(str(m.source), 1, 1, "", f"makes {m.target}, as {seen[m.target]} does; import "
                                    "them one at a time with --id"))
        seen[m.target] = m.source
        if m.target.exists() and not force and not m.target.is_symlink():
            problems.append(Problem.at(Loc(str(m.target)), "", "already exists: use --force to replace it, or "
                                       "--id or -o to write another file"))
        check_target(m.target)
    return problems


def write(made: Sequence[Made]) -> None:
    for m in made:
        write_atomic(m.target, m.text.encode("utf-8"))
