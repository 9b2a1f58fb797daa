"""Up-to-date checks: an output is current when the hash of everything it depends on — the notes
file, every preset file of its chain, the options and the program itself — is the one recorded
when it was written. Content hashes, not timestamps: a checkout or a copy changes times, not content.

The record also keeps, per notes file content, the topic's id, tags and section ids, so that a
build where everything is current never parses a notes file (nor imports ReportLab).

Each output is recorded as it lands, by one line appended to a journal beside the record: a build
stopped by Ctrl-C or ``kill -9`` loses nothing it finished. Rewriting the whole record after every
output would cost a 300-output build 300 rewrites of a growing file; the journal costs one short
append each, and is merged into the record (and removed) when a run ends.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .errors import Loc, Problem
from .files import file_hash, write_atomic
from .load.presets import Layout
from .model import Section, Topic

CACHE_NAME = ".studynotes-cache.json"
JOURNAL_NAME = ".studynotes-journal.jsonl"
FORMAT = 3

_program: str | None = None
# opening a named pipe that someone left under the record's name must fail, not wait for a writer
_NOT_A_PIPE = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)


def _read_file(path: Path) -> bytes:
    """The bytes of a regular file; OSError for anything else (a pipe would block the build forever)."""
    fd = os.open(path, os.O_RDONLY | _NOT_A_PIPE)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    finally:
        os.close(fd)


def program_fingerprint() -> str:
    """The program's version and a hash of its own files: a new release or a local edit rebuilds all."""
    global _program
    if _program is None:
        h = hashlib.sha256(__version__.encode())
        package = Path(__file__).parent
        for p in sorted(package.rglob("*")):
            if p.suffix in (".py", ".json", ".yaml") and "__pycache__" not in p.parts:
                h.update(str(p.relative_to(package)).encode())
                h.update(p.read_bytes())
        _program = h.hexdigest()
    return _program


@dataclass
class TopicIndex:
    """What selection needs to know of a topic, without its text."""

    id: str
    tags: list[str]
    sections: list[list[Any]]  # [id, tags, [[sub id, sub tags], …]]
    id_at: tuple[int, int] = (1, 1)  # where the id stands, for the duplicate-id error

    @classmethod
    def of(cls, topic: Topic) -> TopicIndex:
        return cls(topic.id, list(topic.tags),
                   [[s.id, list(s.tags), [[u.id, list(u.tags)] for u in s.sections]] for s in topic.sections],
                   (topic.id_at.line, topic.id_at.col))

    def stub(self, path: str) -> Topic:
        """A stand-in with ids and tags only: enough to pick sections and name outputs, never to render."""
        secs = tuple(Section(sid, sid, tags=tuple(tags), sections=tuple(Section(u, u, tags=tuple(ut))
                                                                       for u, ut in subs))
                     for sid, tags, subs in self.sections)
        return Topic(self.id, self.id, secs, tags=tuple(self.tags), path=path, loc=Loc(path),
                     id_at=Loc(path, *self.id_at))


@dataclass
class BuildCache:
    root: Path
    topics: dict[str, dict[str, Any]] = field(default_factory=dict)   # notes file hash → TopicIndex
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)  # output path → {key, size}
    pending: list[dict[str, Any]] = field(default_factory=list)        # topics to journal with the next output

    @classmethod
    def open(cls, root: Path) -> BuildCache:
        cache = cls(root)
        try:
            data = json.loads(_read_file(root / CACHE_NAME).decode("utf-8"))
            if data.get("format") == FORMAT and data.get("program") == program_fingerprint():
                cache.topics = data.get("topics", {})
                cache.outputs = data.get("outputs", {})
        except (OSError, ValueError, AttributeError):  # UnicodeDecodeError is a ValueError
            pass  # no record, or a damaged one: everything is simply built again
        cache._replay()
        return cache

    def _replay(self) -> None:
        """What builds since the last saved record journaled (a build that was stopped, or one running now)."""
        try:
            lines = _read_file(self.root / JOURNAL_NAME).splitlines()
        except OSError:
            return
        for line in lines:
            try:
                entry = json.loads(line)
                if entry["program"] != program_fingerprint():
                    continue
                if "out" in entry:
                    self.outputs[entry["out"]] = {k: entry[k] for k in ("key", "size", "said") if k in entry}
                else:
                    self.topics[entry["topic"]] = entry["index"]
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by a kill, or not ours: that output is simply built again

    def topic(self, digest: str, stem: str) -> TopicIndex | None:
        """The record of a notes file with this content and this name (the name is the default id)."""
        entry = self.topics.get(f"{digest}:{stem}")
        if not entry:
            return None
        return TopicIndex(entry["id"], entry["tags"], entry["sections"], tuple(entry["id_at"]))

    def known_id(self, path: Path) -> str | None:
        """The topic id of a notes file as recorded, without parsing it (None when not recorded)."""
        try:
            index = self.topic(file_hash(path), path.stem)
        except OSError:
            return None
        return index.id if index else None

    def remember_topic(self, digest: str, stem: str, topic: Topic) -> None:
        """Journaled with the next output: a build that writes nothing leaves no trace."""
        self.topics[f"{digest}:{stem}"] = asdict(TopicIndex.of(topic))
        self.pending.append({"topic": f"{digest}:{stem}", "index": self.topics[f"{digest}:{stem}"]})

    def current(self, out: Path, key: str) -> bool:
        entry = self.outputs.get(str(out))
        if not entry or entry.get("key") != key:
            return False
        try:
            return out.stat().st_size == entry.get("size")
        except OSError:
            return False

    def remember_output(self, out: Path, key: str, size: int, warnings: tuple[Problem, ...] = (),
                        notes: tuple[str, ...] = ()) -> None:
        """Recorded at once (journaled), so that a build stopped after this output does not render it again.
        What the engine said of it (warnings, how it adapted the content) is kept, to be said again by a
        build that finds it up to date."""
        entry: dict[str, Any] = {"key": key, "size": size}
        if warnings or notes:
            entry["said"] = {"warnings": [asdict(w) for w in warnings], "notes": list(notes)}
        self.outputs[str(out)] = entry
        self._journal([*self.pending, {"out": str(out), **entry}])
        self.pending.clear()

    def said(self, out: Path) -> tuple[tuple[Problem, ...], tuple[str, ...]]:
        """The warnings and notes recorded with an output."""
        said = (self.outputs.get(str(out)) or {}).get("said") or {}
        try:
            warnings = tuple(Problem(**w) for w in said.get("warnings", ()))
            return warnings, tuple(str(n) for n in said.get("notes", ()))
        except TypeError:  # a record written by hand or damaged: nothing to repeat
            return (), ()

    def _journal(self, entries: list[dict[str, Any]]) -> None:
        """One append of whole lines (O_APPEND: builds running side by side never mix their lines)."""
        program = program_fingerprint()
        data = "".join(json.dumps({"program": program, **e}, sort_keys=True) + "\n" for e in entries).encode()
        try:
            fd = os.open(self.root / JOURNAL_NAME, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOT_A_PIPE, 0o666)
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                os.close(fd)
                return
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
        except OSError:
            pass  # the journal only saves work after a kill; the record written at the end has it all

    def save(self) -> None:
        """Write the record, merged with what another build into the same folder may have recorded
        since this one started (ours wins where both speak of the same file)."""
        other = BuildCache.open(self.root)
        topics = {**other.topics, **self.topics}
        outputs = {**other.outputs, **self.outputs}
        live = {k: v for k, v in outputs.items() if Path(k).exists()}
        data = {"format": FORMAT, "program": program_fingerprint(), "topics": topics, "outputs": live}
        self.root.mkdir(parents=True, exist_ok=True)
        write_atomic(self.root / CACHE_NAME, json.dumps(data, sort_keys=True).encode())
        try:  # merged into the record: lines another build appends from now on start a new journal
            (self.root / JOURNAL_NAME).unlink()
        except OSError:
            pass


def output_key(notes_digest: str, layout: Layout, picks: tuple[str, ...], layout_part: bytes | None = None) -> str:
    """Everything an output depends on, hashed. ``layout_part`` is ``layout_key(layout)`` when the
    caller already has it (a build of 100 topics asks for the same layouts 100 times)."""
    h = hashlib.sha256()
    h.update(program_fingerprint().encode())
    h.update(notes_digest.encode())
    h.update(layout_key(layout) if layout_part is None else layout_part)
    h.update(json.dumps(list(picks)).encode())
    return h.hexdigest()


def layout_key(layout: Layout) -> bytes:
    """What of a layout goes into an output's key: the hash of every preset file of its chain, then
    its values."""
    parts = [file_hash(Path(preset)).encode() for preset in layout.chain]
    # the files are hashed above; where each value stands in them only serves messages
    fields = {k: v for k, v in sorted(asdict(layout).items()) if k not in ("chain", "path", "kind_at", "places")}
    parts.append(json.dumps(fields, sort_keys=True, default=str).encode())
    return b"".join(parts)
