"""Writing outputs atomically, cleaning up after killed builds, and hashing by content."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from studynotes import files
from studynotes.errors import WriteError
from studynotes.files import TMP_PREFIX, Written, clean_temporaries, file_hash, write, write_atomic


def temporaries(folder: Path) -> list[Path]:
    return sorted(folder.rglob(f"{TMP_PREFIX}*.tmp"))


def test_a_file_is_written_whole_into_new_folders_and_replaced_whole(tmp_path):
    target = tmp_path / "a" / "b" / "out.pdf"
    write_atomic(target, b"first")
    assert target.read_bytes() == b"first"
    write_atomic(target, b"second, longer")
    assert target.read_bytes() == b"second, longer"
    assert temporaries(tmp_path) == []


def test_an_output_gets_the_permissions_of_an_ordinary_file(tmp_path):
    write_atomic(tmp_path / "out.pdf", b"x")  # not the private 0o600 of a temporary file
    assert (tmp_path / "out.pdf").stat().st_mode & 0o777 == 0o666 & ~files._UMASK


def test_a_failed_write_leaves_the_old_file_and_no_temporary_and_names_the_target(tmp_path, monkeypatch):
    target = tmp_path / "out.pdf"
    target.write_bytes(b"the old complete file")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(WriteError) as info:
        write_atomic(target, b"new")
    assert str(info.value) == f"cannot write {target}: No space left on device"
    assert target.read_bytes() == b"the old complete file"
    assert temporaries(tmp_path) == []


def test_a_failed_rename_names_the_target_not_the_temporary_file(tmp_path):
    target = tmp_path / "a-folder.pdf"
    target.mkdir()  # a folder where the file should go: the rename fails, naming the temporary file
    with pytest.raises(WriteError) as info:
        write_atomic(target, b"x")
    assert str(info.value).startswith(f"cannot write {target}: ")
    assert TMP_PREFIX not in str(info.value)
    assert temporaries(tmp_path) == []


def test_an_interrupted_write_removes_its_temporary_and_lets_the_interrupt_through(tmp_path, monkeypatch):
    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "out.pdf", b"x")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_made_is_a_write_error(tmp_path):
    (tmp_path / "file").write_text("a file, not a folder")
    with pytest.raises(WriteError, match="cannot write"):
        write_atomic(tmp_path / "file" / "out.pdf", b"x")


def test_write_records_what_it_wrote(tmp_path):
    written: list[Written] = []
    write(tmp_path / "a.pdf", b"12345", 3, written)
    assert written == [Written(tmp_path / "a.pdf", 3, 5)]


def test_leftovers_of_a_killed_build_are_removed_and_counted(tmp_path):
    (tmp_path / "t").mkdir()
    for p in (tmp_path / f"{TMP_PREFIX}a.tmp", tmp_path / "t" / f"{TMP_PREFIX}b.tmp"):
        p.write_bytes(b"half a PDF")
    keep = [tmp_path / "t" / "revision.pdf", tmp_path / "t" / "notes.tmp", tmp_path / f"{TMP_PREFIX}cache.json"]
    for p in keep:
        p.write_bytes(b"x")
    assert clean_temporaries(tmp_path, recursive=False) == 1
    assert temporaries(tmp_path) == [tmp_path / "t" / f"{TMP_PREFIX}b.tmp"]
    assert clean_temporaries(tmp_path) == 1
    assert temporaries(tmp_path) == [] and all(p.exists() for p in keep)
    assert clean_temporaries(tmp_path / "no-such-folder") == 0


def test_the_hash_is_of_the_content_not_the_time(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("topic: T\n")
    b.write_text("topic: T\n")
    os.utime(b, (0, 0))
    assert file_hash(a) == file_hash(b)
    b.write_text("topic: U\n")
    assert file_hash(a) != file_hash(b)


def test_ctrl_c_inside_an_uninterrupted_block_arrives_after_it():
    import os
    import signal

    from studynotes.files import uninterrupted

    done = []
    with pytest.raises(KeyboardInterrupt):
        with uninterrupted():
            os.kill(os.getpid(), signal.SIGINT)
            done.append("written")
            done.append("recorded")
    assert done == ["written", "recorded"]
