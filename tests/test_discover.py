"""Which notes files a command is about: the folder, or topics named by id, file name or path."""

from __future__ import annotations

from pathlib import Path

import pytest

from studynotes.errors import NotesError, UsageError
from studynotes.load import discover, notes


def write(path: Path, title: str, topic_id: str | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    head = f"topic: {title}\n" + (f"id: {topic_id}\n" if topic_id else "")
    path.write_text(head + "sections:\n  - title: A\n    points: [one]\n")
    return path


@pytest.fixture()
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "notes" / "monsoon.yaml", "Monsoon")
    write(tmp_path / "notes" / "ij-relations.yaml", "India–Japan", "india-japan")
    write(tmp_path / "notes" / "rights.yml", "Rights")
    return Path("notes")


def test_the_folder_gives_every_notes_file_sorted(folder):
    assert [p.name for p in discover.notes_files(folder)] == ["ij-relations.yaml", "monsoon.yaml", "rights.yml"]
    assert discover.topic_files((), folder) == discover.notes_files(folder)


def test_a_topic_is_found_by_its_id_even_when_the_file_is_named_otherwise(folder):
    assert discover.topic_files(("india-japan",), folder) == [folder / "ij-relations.yaml"]
    assert discover.topic_files(("monsoon", "ij-relations"), folder) == [folder / "monsoon.yaml",
                                                                         folder / "ij-relations.yaml"]


def test_a_known_id_spares_parsing_the_file(folder, monkeypatch):
    def no_parsing(path):
        raise AssertionError(f"{path} was parsed")

    monkeypatch.setattr(notes, "load", no_parsing)
    known = {"ij-relations": "india-japan", "monsoon": "monsoon", "rights": "rights"}
    assert discover.topic_files(("india-japan",), folder, lambda p: known[p.stem]) == [folder / "ij-relations.yaml"]


def test_a_topic_named_twice_is_built_once(folder):
    assert discover.topic_files(("india-japan", "ij-relations", "notes/ij-relations.yaml"), folder) == [
        folder / "ij-relations.yaml"]


def test_a_path_to_a_notes_file_anywhere_is_taken_as_it_is(folder, tmp_path):
    other = write(tmp_path / "elsewhere" / "mine.yaml", "Mine")
    assert discover.topic_files((str(other),), folder) == [other]
    with pytest.raises(UsageError, match="no notes file 'elsewhere/missing.yaml'"):
        discover.topic_files(("elsewhere/missing.yaml",), folder)


def test_an_unknown_topic_names_the_closest_ids(folder):
    with pytest.raises(UsageError) as info:
        discover.topic_files(("india-japn",), folder)
    assert str(info.value).startswith("unknown topic 'india-japn' (did you mean 'india-japan'?)")
    assert "topics in notes/: india-japan, monsoon, rights" in str(info.value)


def test_a_missing_notes_folder_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError, match="no notes folder 'nowhere'"):
        discover.topic_files((), Path("nowhere"))


def test_two_files_with_one_id_are_an_error_at_the_second_files_id(folder):
    write(folder / "zz-copy.yaml", "Copy", "india-japan")
    with pytest.raises(NotesError) as info:
        discover.load_topics((), folder)
    (problem,) = info.value.problems
    assert (problem.path, problem.line, problem.col, problem.where) == ("notes/zz-copy.yaml", 2, 5, "id")
    assert "the topic id 'india-japan' is already used by notes/ij-relations.yaml" in problem.message
    copy = notes.load(folder / "zz-copy.yaml")
    assert (copy.id_at.line, copy.id_at.col) == (problem.line, problem.col)


def test_a_file_named_like_an_id_clashes_at_its_top(folder):
    write(folder / "india-japan.yaml", "Clash")  # its id is its file name: there is no id line to point at
    with pytest.raises(NotesError) as info:
        discover.load_topics((), folder)
    assert [(p.path, p.line, p.col) for p in info.value.problems] == [("notes/india-japan.yaml", 1, 1)]


def test_every_broken_file_and_the_id_clash_are_reported_together(folder):
    (folder / "broken.yaml").write_text("topic: Broken\nsections: []\n")
    write(folder / "zz-copy.yaml", "Copy", "monsoon")
    with pytest.raises(NotesError) as info:
        discover.load_topics((), folder)
    assert [(p.path, p.line) for p in info.value.problems] == [("notes/broken.yaml", 2), ("notes/zz-copy.yaml", 2)]


def test_links_out_of_the_folder_are_refused_and_links_inside_are_fine(folder, tmp_path):
    secret = write(tmp_path / "outside" / "secret.yaml", "Secret")
    (folder / "out-link.yaml").symlink_to(secret)
    (folder / "in-link.yaml").symlink_to(tmp_path / "notes" / "monsoon.yaml")
    (folder / "dangling.yaml").symlink_to(tmp_path / "no-such-file.yaml")
    with pytest.raises(NotesError) as info:
        discover.notes_files(folder)
    found = {p.path: p.message for p in info.value.problems}
    assert set(found) == {"notes/out-link.yaml", "notes/dangling.yaml"}
    assert "leads out of the notes folder" in found["notes/out-link.yaml"]
    assert "leads nowhere" in found["notes/dangling.yaml"]
    (folder / "out-link.yaml").unlink()
    (folder / "dangling.yaml").unlink()
    assert folder / "in-link.yaml" in discover.notes_files(folder)
