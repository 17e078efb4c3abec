"""Validated-catalog snapshots: the second open of unchanged files reads the snapshot, which
gives back a catalog equal to the validated one, built lazily, under the caller's file names."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.errors import CatalogError
from pathways.io import catalog_from_data, validate_catalog
from pathways.io.snapshot import Table, cache_dir, files_hash, open_snapshot, write_snapshot

from tests.conftest import REPO


@pytest.fixture
def snapshots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PATHWAYS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PATHWAYS_SNAPSHOTS", "always")
    return tmp_path / "cache" / "catalogs"


def _folders(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir()) if root.is_dir() else []


def test_the_second_open_reads_the_snapshot_and_equals_the_validated_catalog(
        snapshots: Path, examples_dir: Path) -> None:
    for source in (REPO / "data", examples_dir / "catalog.yaml"):
        first = validate_catalog(source)
        assert not isinstance(first.catalog.courses, Table)
        second = validate_catalog(source)
        assert isinstance(second.catalog.courses, Table)  # from the snapshot
        assert second.catalog == first.catalog
        assert (second.warnings, second.files, second.catalog.sources) == (
            first.warnings, first.files, first.catalog.sources)
        for kind in ("courses", "credentials", "skills", "jobs", "providers"):
            assert list(getattr(second.catalog, kind)) == list(getattr(first.catalog, kind))
    assert len(_folders(snapshots)) == 2


def test_file_names_follow_the_caller(snapshots: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    validate_catalog(REPO / "data")
    monkeypatch.chdir(REPO)
    again = validate_catalog(Path("data"))
    assert isinstance(again.catalog.courses, Table)
    assert all(f.startswith("data/") for f in again.files)
    assert all(w.file is None or w.file.startswith("data/") for w in again.warnings)


def test_a_changed_file_is_validated_again_and_a_bad_one_writes_nothing(snapshots: Path, tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("courses:\n  - {id: A, title: A, hours: 1}\n", encoding="utf-8")
    validate_catalog(path)
    path.write_text("courses:\n  - {id: A, title: A, hours: 2}\n", encoding="utf-8")
    changed = validate_catalog(path)
    assert not isinstance(changed.catalog.courses, Table) and changed.catalog.courses["A"].hours == 2
    assert len(_folders(snapshots)) == 2
    path.write_text("courses:\n  - {id: A, title: A, hours: -2}\n", encoding="utf-8")
    with pytest.raises(CatalogError):
        validate_catalog(path)
    assert len(_folders(snapshots)) == 2


def test_a_broken_snapshot_is_ignored_and_replaced(snapshots: Path) -> None:
    validate_catalog(REPO / "data")
    (folder,) = _folders(snapshots)
    (folder / "courses.arrow").write_bytes(b"not arrow")
    report = validate_catalog(REPO / "data")  # validated again, no error
    assert not isinstance(report.catalog.courses, Table) and len(report.catalog.courses) == 70
    shutil.rmtree(folder)
    validate_catalog(REPO / "data")
    assert isinstance(validate_catalog(REPO / "data").catalog.courses, Table)


def test_writing_is_atomic_and_leaves_no_temporary_folder(snapshots: Path, tmp_path: Path) -> None:
    report = validate_catalog(REPO / "data")
    files = sorted((REPO / "data").glob("*.yaml"))
    target = snapshots / files_hash(files)
    assert target.is_dir()
    # a second writer of the same snapshot (another process that validated at the same time)
    write_snapshot(report, target)
    assert [p.name for p in snapshots.iterdir()] == [target.name]
    assert open_snapshot(target).catalog == report.catalog


def test_items_are_built_on_first_use_and_pickling_keeps_the_columns(snapshots: Path) -> None:
    validate_catalog(REPO / "data")
    catalog = validate_catalog(REPO / "data").catalog
    courses = catalog.courses
    assert isinstance(courses, Table) and not courses._built and len(courses) == 70
    one = courses["UT-DA-100"]
    assert list(courses._built) == ["UT-DA-100"] and courses["UT-DA-100"] is one
    blob = pickle.dumps(catalog)
    assert len(courses._built) == 1  # pickled as Arrow columns, nothing built for it
    restored = pickle.loads(blob)
    assert isinstance(restored.courses, Table) and restored == catalog
    assert list(courses.values())[0] is courses[next(iter(courses))]  # iteration in file order
    with pytest.raises(KeyError):
        courses["NOPE"]


def test_snapshots_are_used_for_large_catalogs_only_unless_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATHWAYS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("PATHWAYS_SNAPSHOTS", raising=False)
    validate_catalog(REPO / "data")  # 150 kB: below MIN_BYTES
    assert not cache_dir().exists()
    monkeypatch.setenv("PATHWAYS_SNAPSHOTS", "never")
    validate_catalog(REPO / "data")
    assert not cache_dir().exists()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), size=st.integers(1, 120))
def test_any_synthetic_catalog_round_trips(seed: int, size: int, tmp_path: Path) -> None:
    from pathways.synth import synthetic_data

    report = catalog_from_data(synthetic_data(size, seed=seed))
    target = tmp_path / f"s{seed}-{size}"
    shutil.rmtree(target, ignore_errors=True)
    back = open_snapshot(write_snapshot(report, target))
    assert back.catalog == report.catalog and back.warnings == report.warnings
    for kind in ("courses", "credentials", "skills", "jobs", "providers"):
        assert list(getattr(back.catalog, kind)) == list(getattr(report.catalog, kind))


def test_a_snapshot_catalog_serves_the_engines(snapshots: Path, tmp_path: Path) -> None:
    """A plan on the snapshot catalog equals the plan on the validated one."""
    import datetime as dt

    from pathways.io import load_learner
    from pathways.planner import plan

    fresh = validate_catalog(REPO / "data").catalog
    snap = validate_catalog(REPO / "data").catalog
    assert isinstance(snap.courses, Table)
    maria = REPO / "data" / "learners" / "career-changer-maria.yaml"
    day = dt.date(2026, 12, 6)
    a = plan(fresh, load_learner(maria, fresh), today=day).to_dict()
    b = plan(snap, load_learner(maria, snap), today=day).to_dict()
    assert a == b
