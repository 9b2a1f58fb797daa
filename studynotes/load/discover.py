"""Which notes files a command is about: the notes folder, or topics named by id, file name or path.

Every file is loaded even when one fails, so all errors are reported at once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import NotesError, Problem, UsageError, did_you_mean
from ..model import Topic
from . import notes

# the id of a notes file when something already knows it (the build record), else None
KnownId = Callable[[Path], "str | None"]


def notes_files(notes_dir: Path) -> list[Path]:
    """The notes files (YAML and Markdown) of a folder, sorted; links that lead out of the folder (or in a
    circle) are refused."""
    if not notes_dir.is_dir():
        raise UsageError(f"no notes folder '{notes_dir}' (use --notes DIR)")
    root = notes_dir.resolve()
    files, problems = [], []
    found = [p for suffix in notes.SUFFIXES for p in notes_dir.glob(f"*{suffix}")]
    for p in sorted(p for p in found if not (notes.is_markdown(p) and p.stem.lower() == "readme")):  # no topic
        try:
            inside = root in p.resolve(strict=True).parents
        except (OSError, RuntimeError):  # a dangling link, or links in a circle
            problems.append(Problem(str(p), 1, 1, "", "this link leads nowhere (or in a circle); remove it"))
            continue
        if not inside:
            problems.append(Problem(str(p), 1, 1, "", "this link leads out of the notes folder; "
                                    "copy the file into the folder instead"))
            continue
        files.append(p)
    if problems:
        raise NotesError(problems)
    return files


def topic_files(args: tuple[str, ...], notes_dir: Path, known_id: KnownId | None = None) -> list[Path]:
    """The notes files a command is about: all of the folder, or those named by path, file name or id."""
    if not args:
        return notes_files(notes_dir)
    stems: dict[str, list[Path]] = {}
    for p in notes_files(notes_dir) if notes_dir.is_dir() else []:
        stems.setdefault(p.stem, []).append(p)
    by_stem = {stem: paths[0] for stem, paths in stems.items()}
    out: list[Path] = []
    ids: dict[str, Path] | None = None
    for arg in args:
        path = Path(arg)
        if path.suffix.lower() in notes.SUFFIXES or os.sep in arg or "/" in arg:
            if not path.is_file():
                raise UsageError(f"no notes file '{arg}'")
            out.append(path)
        elif len(stems.get(arg, ())) > 1:
            raise UsageError(f"'{arg}' names {' and '.join(str(p) for p in stems[arg])}; name one by its path")
        elif arg in by_stem:
            out.append(by_stem[arg])
        else:
            if ids is None:
                ids = _ids(by_stem.values(), known_id)
            if arg not in ids:
                raise UsageError(f"unknown topic '{arg}'{did_you_mean(arg, sorted(set(ids) | set(by_stem)))}"
                                 f"; topics in {notes_dir}/: {', '.join(sorted(ids)) or 'none'}")
            out.append(ids[arg])
    return list(dict.fromkeys(out))


def _ids(files: Iterable[Path], known_id: KnownId | None) -> dict[str, Path]:
    """Every topic id of the folder (an id may differ from its file name); broken files are skipped."""
    ids: dict[str, Path] = {}
    for p in files:
        tid = known_id(p) if known_id else None
        if tid is None:
            try:
                tid = notes.load(p).id
            except NotesError:
                continue
        ids[tid] = p
    return ids


def unique_ids(topics: list[Topic]) -> None:
    """Two files with one topic id would write the same outputs: an error at the second id."""
    seen: dict[str, str] = {}
    problems = []
    for t in topics:
        if t.id in seen and seen[t.id] != t.path:
            problems.append(Problem.at(t.id_at, "id", f"the topic id '{t.id}' is already used by "
                                       f"{seen[t.id]}; give this topic another id"))
        else:
            seen.setdefault(t.id, t.path)
    if problems:
        raise NotesError(problems)


def load_topics(args: tuple[str, ...], notes_dir: Path) -> list[Topic]:
    """Topics named by id (from the notes folder) or by path; all of the folder when none is named."""
    return load_files(topic_files(args, notes_dir))


def load_files(files: list[Path], wrote: bool = True, warnings: list[Problem] | None = None) -> list[Topic]:
    """Load every file, then check their ids; every problem of every file in one error. The warnings of
    the files (a Markdown file's points folded into their parents, say) go to ``warnings`` when given."""
    problems: list[Problem] = []
    topics: list[Topic] = []
    for path in files:
        try:
            topic, found = notes.read(path)
        except NotesError as exc:
            problems.extend(exc.problems)
            continue
        topics.append(topic)
        if warnings is not None:
            warnings.extend(found)
    try:
        unique_ids(topics)
    except NotesError as exc:
        problems.extend(exc.problems)
    if problems:
        raise NotesError(problems, wrote)
    return topics
