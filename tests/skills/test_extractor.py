"""pathways.skills.extractor: the ESCO folder, the extractor's disk cache, jobs read from text."""

from __future__ import annotations

from pathlib import Path

import pytest

from pathways.errors import CatalogError
from pathways.io.esco import CLASSIFICATION_ZIP, default_esco_dir, has_esco
from pathways.skills.extractor import extractor_cache_key, job_from_text, load_extractor
from tests.conftest import REAL_DATA


def test_the_esco_folder_is_pathways_esco_then_the_old_name_then_shared_data(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PATHWAYS_ESCO", raising=False)
    monkeypatch.delenv("PATHWAYS_ESCO_DIR", raising=False)
    assert default_esco_dir() == REAL_DATA / "esco-1.1.1"
    monkeypatch.setenv("PATHWAYS_ESCO_DIR", str(tmp_path / "old"))  # the app's old variable
    assert default_esco_dir() == tmp_path / "old"
    monkeypatch.setenv("PATHWAYS_ESCO", str(tmp_path / "new"))  # wins over the old one
    assert default_esco_dir() == tmp_path / "new"
    assert not has_esco()
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / CLASSIFICATION_ZIP).write_bytes(b"zip")
    assert has_esco() and has_esco(tmp_path / "new") and not has_esco(tmp_path)


def test_load_extractor_without_the_folder_names_it(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="ESCO data not found") as info:
        load_extractor(tmp_path / "none", cache=False)
    assert str(tmp_path / "none") in str(info.value) and "PATHWAYS_ESCO" in str(info.value)


class _Extractor:
    def __init__(self, top_k: int = 20) -> None:
        self.top_k = top_k

    def get_params(self) -> dict[str, int]:
        return {"top_k": self.top_k}


def test_the_cache_key_follows_the_files_and_the_parameters(tmp_path: Path) -> None:
    (tmp_path / "a.zip").write_bytes(b"one")
    key = extractor_cache_key(tmp_path, _Extractor())
    assert key == extractor_cache_key(tmp_path, _Extractor())
    assert key != extractor_cache_key(tmp_path, _Extractor(top_k=5))
    (tmp_path / "a.zip").write_bytes(b"a new release")
    assert key != extractor_cache_key(tmp_path, _Extractor())


def test_a_job_from_text_asks_for_each_skill_read_essential_at_level_1() -> None:
    class Reader:
        def predict(self, texts: list[str]) -> list[list[tuple[str, str, float]]]:
            assert texts == ["SQL and Python, SQL again"]
            return [[("sql", "SQL", 0.9), ("python", "Python", 0.5), ("sql", "SQL", 0.2)]]

    job = job_from_text("SQL and Python, SQL again", Reader(), job_id="ad-1", title="an ad")
    assert (job.id, job.title, job.description) == ("ad-1", "an ad", "SQL and Python, SQL again")
    assert [(s.skill, s.importance, s.essential, s.level) for s in job.skills] == [
        ("sql", 1.0, True, 1), ("python", 1.0, True, 1)]
