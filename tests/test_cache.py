"""The build record: what makes an output current, and what it remembers of a topic without parsing it."""

from __future__ import annotations

import json
import textwrap
from dataclasses import asdict
from pathlib import Path

import pytest

from studynotes import cache
from studynotes.cache import CACHE_NAME, BuildCache, TopicIndex, output_key
from studynotes.errors import Loc
from studynotes.load import notes as loader
from studynotes.load import presets
from studynotes.select import pick_all

NOTES = textwrap.dedent("""\
    topic: Tee
    tags: [whole, GS II]
    id: tee
    sections:
      - id: a
        title: Alpha
        tags: [x]
        points: [a point]
      - id: b
        title: Beta
        sections:
          - id: b1
            title: Beta one
            tags: [y, z]
            points: [b1 point]
          - title: Beta two
            points: [b2 point]
    """)
TOPIC = loader.load_text(NOTES, "notes/t.yaml", "t")


@pytest.fixture()
def chain(tmp_path, monkeypatch):
    """A user preset that extends another user preset that extends a shipped one, and a file beside them."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "base.yaml").write_text("extends: revision\nfonts: {body: 10}\n")
    (folder / "child.yaml").write_text("extends: base.yaml\ndescription: mine\n")
    (folder / "other.yaml").write_text("extends: summary\n")
    return folder


def key(layout_path: str, digest: str = "n1", picks: tuple[str, ...] = ()) -> str:
    return output_key(digest, presets.load(layout_path), picks)


# ---------------------------------------------------------------- output_key

def test_the_key_is_stable_for_the_same_inputs(chain):
    assert key("mine/child.yaml") == key("mine/child.yaml")
    assert len(presets.load("mine/child.yaml").chain) == 3


def test_the_key_changes_with_the_notes_the_options_and_the_picks(chain):
    base = key("mine/child.yaml")
    assert key("mine/child.yaml", digest="n2") != base
    assert key("mine/child.yaml", picks=("s-a",)) != base
    assert key("mine/child.yaml", picks=("s-a", "x-b")) != key("mine/child.yaml", picks=("s-a",))
    grey = output_key("n1", presets.load("mine/child.yaml").adjusted(grayscale=True), ())
    assert grey != base


@pytest.mark.parametrize("edited", ["child.yaml", "base.yaml"])
def test_the_key_changes_when_any_preset_of_the_chain_changes(chain, edited):
    before = key("mine/child.yaml")
    (chain / edited).write_text((chain / edited).read_text() + "# only a comment: the file is not the same\n")
    assert key("mine/child.yaml") != before


def test_the_key_does_not_change_with_files_the_output_does_not_depend_on(chain):
    before = key("mine/child.yaml")
    (chain / "other.yaml").write_text("extends: mindmap\n")
    (chain / "unrelated.txt").write_text("anything")
    assert key("mine/child.yaml") == before


def test_a_new_program_changes_every_key(chain, monkeypatch):
    before = key("mine/child.yaml")
    monkeypatch.setattr(cache, "_program", "another build of the program")
    assert key("mine/child.yaml") != before


# ---------------------------------------------------------------- TopicIndex

def test_a_topic_index_keeps_ids_tags_sub_sections_and_where_the_id_stands():
    index = TopicIndex.of(TOPIC)
    assert index.id == "tee" and index.tags == ["whole", "GS II"] and index.id_at == (3, 5)
    assert index.sections == [["a", ["x"], []], ["b", [], [["b1", ["y", "z"]], ["beta-two", []]]]]


def test_a_topic_index_survives_the_record_and_its_stub_picks_like_the_topic():
    record = json.loads(json.dumps({"k": asdict(TopicIndex.of(TOPIC))}))  # as saved and read back
    back = TopicIndex(**{**record["k"], "id_at": tuple(record["k"]["id_at"])})
    assert back == TopicIndex.of(TOPIC)
    stub = back.stub("notes/t.yaml")
    assert (stub.id, stub.tags, stub.path, stub.id_at) == ("tee", TOPIC.tags, "notes/t.yaml", Loc("notes/t.yaml", 3, 5))
    walk = [(s.id, s.tags, depth) for s, depth in stub.walk()]
    assert walk == [(s.id, s.tags, depth) for s, depth in TOPIC.walk()]
    for picks in [(("b1",), (), ()), ((), ("a",), ()), ((), (), ("z",)), ((), (), ("whole",))]:
        from_stub = [(t.picks, [s.id for s, _ in t.walk()]) for t in pick_all([stub], *picks)]
        assert from_stub == [(t.picks, [s.id for s, _ in t.walk()]) for t in pick_all([TOPIC], *picks)]


# ---------------------------------------------------------------- BuildCache

def test_a_saved_record_is_read_back(tmp_path):
    out = tmp_path / "t" / "revision.pdf"
    out.parent.mkdir()
    out.write_bytes(b"%PDF-1.4 twelve")
    record = BuildCache.open(tmp_path)
    record.remember_topic("d1", "t", TOPIC)
    record.remember_output(out, "k1", out.stat().st_size)
    record.save()
    again = BuildCache.open(tmp_path)
    assert again.topic("d1", "t") == TopicIndex.of(TOPIC)
    assert again.topic("d1", "renamed") is None  # the file name is the default id: another name, no record
    assert again.topic("d2", "t") is None
    assert again.current(out, "k1")


def test_an_output_is_current_only_with_its_key_and_its_size(tmp_path):
    out = tmp_path / "a.pdf"
    out.write_bytes(b"0123456789")
    record = BuildCache(tmp_path)
    assert not record.current(out, "k")  # never written by a build
    record.remember_output(out, "k", 10)
    assert record.current(out, "k")
    assert not record.current(out, "another key")
    out.write_bytes(b"01234")  # cut short
    assert not record.current(out, "k")
    out.unlink()
    assert not record.current(out, "k")


@pytest.mark.parametrize("content", [b"{not json", b"[]", json.dumps({"format": 0}).encode()])
def test_a_damaged_or_foreign_record_is_an_empty_one(tmp_path, content):
    (tmp_path / CACHE_NAME).write_bytes(content)
    record = BuildCache.open(tmp_path)
    assert record.topics == {} and record.outputs == {}


def test_a_record_of_another_program_is_forgotten(tmp_path, monkeypatch):
    record = BuildCache(tmp_path)
    record.remember_topic("d1", "t", TOPIC)
    record.save()
    monkeypatch.setattr(cache, "_program", "a newer program")
    assert BuildCache.open(tmp_path).topics == {}


def test_saving_keeps_what_another_build_recorded_meanwhile_and_forgets_deleted_outputs(tmp_path):
    kept, gone = tmp_path / "kept.pdf", tmp_path / "gone.pdf"
    kept.write_bytes(b"x")
    ours, theirs = BuildCache.open(tmp_path), BuildCache.open(tmp_path)
    theirs.remember_output(kept, "theirs", 1)
    theirs.remember_topic("d2", "o", TOPIC)
    theirs.save()
    ours.remember_output(Path(gone), "ours", 1)
    ours.remember_topic("d1", "t", TOPIC)
    ours.save()
    merged = BuildCache.open(tmp_path)
    assert set(merged.topics) == {"d1:t", "d2:o"}
    assert set(merged.outputs) == {str(kept)}


def test_what_an_engine_said_is_kept_with_its_output_and_survives_the_record(tmp_path):
    out = tmp_path / "t" / "summary.pdf"
    out.parent.mkdir()
    out.write_bytes(b"%PDF")
    warning = cache.Problem("notes/t.yaml", 4, 9, "section 'a'", "2 characters have no font", "warning")
    record = BuildCache.open(tmp_path)
    record.remember_output(out, "k", 4, (warning,), ("summary of t: 3 of 5 points shown",))
    assert BuildCache.open(tmp_path).said(out) == ((warning,), ("summary of t: 3 of 5 points shown",))  # journal
    record.save()
    reread = BuildCache.open(tmp_path)
    assert reread.said(out) == ((warning,), ("summary of t: 3 of 5 points shown",))
    assert reread.said(out)[0][0].severity == "warning"
    assert reread.said(tmp_path / "other.pdf") == ((), ())


def test_an_up_to_date_build_says_again_what_the_engines_said(tmp_path, monkeypatch):
    from studynotes import build

    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "t.yaml").write_text(NOTES)
    args = ((), Path("notes"), ("summary",), ((), (), ()), {"max_points": 1}, Path("out"), 1)
    first = build.incremental(*args)
    said = [n for w in first.written for n in w.notes]
    assert said and not first.kept
    again = build.incremental(*args)
    assert again.current == 1 and not again.written
    assert [n for k in again.kept for n in k.notes] == said
