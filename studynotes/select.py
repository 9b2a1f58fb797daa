"""Section picking: by id at any depth (-s), by tag (-t), and exclusion (-x).

Picking a parent picks its sub-sections; picking a sub-section keeps its
parent's title as context. Unknown ids are errors naming the closest ones.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from .errors import UsageError, closest, did_you_mean
from .model import Section, Topic
from .names import slug


def section_ids(topic: Topic) -> list[str]:
    return [s.id for s, _ in topic.walk()]


def unknown_ids(ids: tuple[str, ...], topics: list[Topic]) -> None:
    """Raise for ids that no topic of the build has, naming the closest known ones."""
    known = sorted({i for t in topics for i in section_ids(t)})
    for sid in ids:
        if sid not in known:
            near = closest(sid, known, n=5) or known[:8]
            raise UsageError(f"no section '{sid}' in {', '.join(t.id for t in topics)}; "
                             f"known ids{' (closest first)' if closest(sid, known) else ''}: {', '.join(near)}"
                             + (" …" if len(near) < len(known) else ""))


def _wanted(sec: Section, ids: set[str], tags: set[str]) -> bool:
    return sec.id in ids or bool(tags & set(sec.tags))


def pick(topic: Topic, ids: tuple[str, ...] = (), exclude: tuple[str, ...] = (),
         tags: tuple[str, ...] = ()) -> Topic | None:
    """The topic with only the picked sections, or None when nothing of it is picked."""
    want, drop, tagset = set(ids), set(exclude), set(tags)
    whole_topic = bool(tagset & set(topic.tags))
    choosing = bool(want or (tagset and not whole_topic))
    kept: list[Section] = []
    for sec in topic.sections:
        if sec.id in drop:
            continue
        subs = tuple(s for s in sec.sections if s.id not in drop)
        if not choosing or _wanted(sec, want, tagset):
            kept.append(replace(sec, sections=subs))
            continue
        chosen = tuple(s for s in subs if _wanted(s, want, tagset))
        if chosen:  # the parent stays as a heading for context, without its own content
            kept.append(replace(sec, sections=chosen, points=(), facts=(), timeline=(), terms=(), table=None,
                                cards=()))
    if not kept:
        return None
    picks = (tuple(f"s-{i}" for i in ids) + tuple(f"t-{_name(t)}" for t in tags)
             + tuple(f"x-{x}" for x in exclude))
    return replace(topic, sections=tuple(kept), picks=picks, whole=topic.whole or topic.sections)


def _name(tag: str) -> str:
    """A tag as it may stand in a file name: no path separators, spaces or dots."""
    return slug(tag) or hashlib.sha256(tag.encode()).hexdigest()[:8]


def pick_all(topics: list[Topic], ids: tuple[str, ...] = (), exclude: tuple[str, ...] = (),
             tags: tuple[str, ...] = ()) -> list[Topic]:
    """Pick in every topic; topics with nothing picked drop out, but not all of them."""
    unknown_ids(ids + exclude, topics)
    known_tags = sorted({g for t in topics for g in (*t.tags, *(g for s, _ in t.walk() for g in s.tags))})
    for tag in tags:
        if tag not in known_tags:
            raise UsageError(f"no topic or section is tagged '{tag}'{did_you_mean(tag, known_tags)}"
                             f"; tags: {', '.join(known_tags) or 'none'}")
    out = [p for t in topics if (p := pick(t, ids, exclude, tags)) is not None]
    if not out:
        what = ", ".join([*(f"-s {i}" for i in ids), *(f"-t {t}" for t in tags), *(f"-x {x}" for x in exclude)])
        raise UsageError(f"{what} leaves nothing to print in {', '.join(t.id for t in topics)}")
    return out
