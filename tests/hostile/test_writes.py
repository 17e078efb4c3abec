"""Point 8 of issue 16 for single files: atomic writes that fail with a clear error, keep the
old file, write through symbolic links and clean up after a killed writer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pathways.errors import WriteError
from pathways.io._yaml import atomic_write_text, locked


def test_a_directory_target_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="is a directory"):
        atomic_write_text(tmp_path, "x")


def test_a_symlink_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text("old")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    atomic_write_text(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_temporary_files_of_a_killed_writer_are_removed(tmp_path: Path) -> None:
    dead = tmp_path / ".out.yaml.999999999.x1y2.tmp"  # no process has this id
    dead.write_text("half")
    mine = tmp_path / f".out.yaml.{os.getpid()}.a1b2.tmp"  # a live writer's: kept
    mine.write_text("busy")
    other = tmp_path / ".other.yaml.999999999.x1y2.tmp"  # another file's: not ours to judge
    other.write_text("half")
    atomic_write_text(tmp_path / "out.yaml", "done")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["out.yaml", mine.name, other.name])


def test_the_lock_file_sits_beside_the_target(tmp_path: Path) -> None:
    with locked(tmp_path / "me.yaml"):
        assert (tmp_path / ".me.yaml.lock").exists()
