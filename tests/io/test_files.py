"""pathways.io.read_text_file: a user's text file (a CV, a job ad, a profile) read safely."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pathways.errors import CatalogError
from pathways.io import read_text_file


def test_utf8_text_is_read_without_its_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "ad.txt"
    path.write_bytes("\ufeffData analyst: SQL, Python — €".encode())
    assert read_text_file(path) == "Data analyst: SQL, Python — €"


def test_what_cannot_be_read_is_an_error_naming_the_file(tmp_path: Path) -> None:
    latin = tmp_path / "cv.txt"
    latin.write_bytes("Zürich".encode("latin-1"))
    with pytest.raises(CatalogError, match="cv.txt: not UTF-8 text"):
        read_text_file(latin)
    with pytest.raises(CatalogError, match="cannot read the profile"):
        read_text_file(tmp_path / "none.yaml", what="profile")
    with pytest.raises(CatalogError, match="not a regular file"):
        read_text_file(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "ad.txt"
    os.mkfifo(fifo)
    with pytest.raises(CatalogError, match="named pipe"):
        read_text_file(fifo)
