"""The advisor workspace on a real database: SQLite always, PostgreSQL when
``PATHWAYS_TEST_POSTGRES_URL`` names a server (``.ci/run`` starts a throwaway one).

Expected numbers come from the library called directly on the same data (plan, gap analysis),
not from the workspace's own output.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from pathways.errors import CatalogError
from pathways.io import catalog_from_data, catalog_to_data, load_catalog, load_learner
from pathways.workspace import (
    ConflictError,
    Workspace,
    WorkspaceError,
    add_learner,
    as_url,
    caseload,
    catalog_hash,
    make_plan,
    replan,
    update_learner,
)

from tests.conftest import REPO

LEARNERS = sorted((REPO / "data" / "learners").glob("*.yaml"))
PG_ENV = "PATHWAYS_TEST_POSTGRES_URL"


def _reset(url: str) -> None:
    """Drop every table of the test database (PostgreSQL is shared between tests)."""
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    meta.reflect(engine)
    meta.drop_all(engine)
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield as_url(str(tmp_path / "workspace.db"))
        return
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"no PostgreSQL server: set {PG_ENV} (.ci/run starts one)")
    _reset(url)
    yield url
    _reset(url)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(REPO / "data")


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    workspace = Workspace.open(db_url, create=True)
    yield workspace
    workspace.close()


def maria_text() -> str:
    return (REPO / "data" / "learners" / "career-changer-maria.yaml").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- schema
def test_only_init_creates_the_schema_and_an_old_one_is_upgraded(db_url: str) -> None:
    if db_url.startswith("sqlite"):
        with pytest.raises(WorkspaceError, match="no workspace at .*workspace init"):
            Workspace.open(db_url)
        assert not Path(sa.engine.make_url(db_url).database).exists()  # a read created nothing
    ws = Workspace.open(db_url, create=True)
    assert ws.revision() == "0002"
    ws.close()
    ws = Workspace.open(db_url)  # opens without writing
    assert ws.revision() == "0002"
    ws.close()


def test_migration_from_the_previous_revision_keeps_the_data(db_url: str, catalog) -> None:
    if db_url.startswith("sqlite"):
        Path(sa.engine.make_url(db_url).database).touch()
    ws = Workspace(sa.create_engine(db_url))
    assert ws.init("0001") == "0001"
    with pytest.raises(WorkspaceError, match="is at schema 0001, this release needs 0002"):
        Workspace.open(db_url)
    ws.save_learner("maria", maria_text(), by="alice", name="Maria G.")  # 0001 has learners
    assert ws.init() == "0002"
    upgraded = Workspace.open(db_url)
    assert upgraded.learner("maria").profile == maria_text()
    assert upgraded.save_job({"id": "J", "title": "Analyst", "skills": []}, by="alice") == 1
    upgraded.close()
    ws.close()


def test_no_sql_is_built_from_strings() -> None:
    package = REPO / "pathways" / "workspace"
    for path in package.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for banned in ("text(", "exec_driver_sql", "execute(\"", "execute('", "executescript"):
            assert banned not in source, f"{path.relative_to(REPO)} uses {banned}"


# --------------------------------------------------------------------------- learners
def test_versions_are_kept_and_a_stale_save_is_a_conflict(ws: Workspace, catalog) -> None:
    text = maria_text()
    info = add_learner(ws, text, catalog, by="alice", advisor="alice")
    assert (info.id, info.version, info.name) == ("maria", 1, "Maria G.")
    with pytest.raises(WorkspaceError, match="already in the workspace .*--base-version 1"):
        add_learner(ws, text, catalog, by="bob")
    alice = text.replace("budget: 7500", "budget: 8000")
    bob = text.replace("max_courses_per_term: 2", "max_courses_per_term: 3")
    assert alice != text and bob != text
    assert update_learner(ws, "maria", alice, catalog, by="alice", base_version=1).version == 2
    with pytest.raises(ConflictError) as info_:
        update_learner(ws, "maria", bob, catalog, by="bob", base_version=1)
    err = info_.value
    assert (err.current_version, err.changed_by, err.theirs) == (2, "alice", alice)
    assert "-    budget: 7500" in err.diff and "+    budget: 8000" in err.diff
    assert "changed by alice" in str(err) and "nothing was saved" in str(err)
    assert [v.profile for v in ws.versions("maria")] == [text, alice]  # nothing overwritten
    # the same text again is not a new version
    assert update_learner(ws, "maria", alice, catalog, by="alice", base_version=2).version == 2
    assert len(ws.versions("maria")) == 2


def test_a_profile_is_validated_by_the_loader_before_it_is_kept(ws: Workspace, catalog) -> None:
    bad = "learner:\n  id: x\n  completed:\n    - {course: NOPE-1, date: 2024-01-01}\n"
    with pytest.raises(CatalogError, match="unknown course NOPE-1"):
        add_learner(ws, bad, catalog, by="alice")
    assert ws.learners() == []
    with pytest.raises(WorkspaceError, match="not maria"):
        add_learner(ws, maria_text(), catalog, by="alice")
        update_learner(ws, "maria", maria_text().replace("id: maria", "id: other"), catalog,
                       by="alice", base_version=1)


def test_two_advisors_saving_the_same_version_at_once_one_wins_nothing_lost(db_url: str, catalog) -> None:
    ws = Workspace.open(db_url, create=True)
    add_learner(ws, maria_text(), catalog, by="alice")
    results: dict[str, object] = {}
    barrier = threading.Barrier(2)

    def save(who: str, budget: str) -> None:
        mine = Workspace.open(db_url)
        barrier.wait()
        try:
            results[who] = update_learner(mine, "maria", maria_text().replace("7500", budget),
                                          catalog, by=who, base_version=1).version
        except ConflictError as err:
            results[who] = err
        finally:
            mine.close()

    threads = [threading.Thread(target=save, args=(w, b)) for w, b in (("alice", "8000"), ("bob", "9000"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outcomes = sorted(type(v).__name__ for v in results.values())
    assert outcomes == ["ConflictError", "int"], results
    winner = next(w for w, v in results.items() if v == 2)
    assert ws.learner("maria").updated_by == winner and len(ws.versions("maria")) == 2
    ws.close()


# --------------------------------------------------------------------------- plans, notes, export
def test_plans_notes_history_and_export_keep_what_was_made(ws: Workspace, catalog) -> None:
    from pathways.planner import plan

    add_learner(ws, maria_text(), catalog, by="alice")
    record, made = make_plan(ws, catalog, "maria", by="alice", today=__import__("datetime").date(2026, 12, 6))
    maria = load_learner(REPO / "data" / "learners" / "career-changer-maria.yaml", catalog)
    expected = plan(catalog, maria, today=__import__("datetime").date(2026, 12, 6))
    assert record.result == expected.to_dict() == made.to_dict()
    assert (record.catalog_hash, record.learner_version) == (catalog_hash(catalog), 1)
    assert record.request["objective"] == "hours" and record.package_version
    ws.add_note("maria", "wants evening classes", by="bob", plan_id=record.id)
    with pytest.raises(WorkspaceError, match="empty note"):
        ws.add_note("maria", "  ", by="bob")
    kinds = [(e.kind, e.by) for e in ws.history("maria")]
    assert kinds == [("version", "alice"), ("plan", "alice"), ("note", "bob")]
    exported = ws.export("maria")
    assert exported["profile"] == maria_text()
    assert exported["plans"][0]["result"] == expected.to_dict()
    assert exported["notes"][0]["text"] == "wants evening classes"
    with pytest.raises(WorkspaceError, match="no learner mari .*did you mean maria"):
        ws.plans("mari")


def test_the_catalog_hash_is_the_content_not_the_file(catalog) -> None:
    same = catalog_from_data(catalog_to_data(catalog)).catalog
    assert catalog_hash(same) == catalog_hash(catalog)
    data = catalog_to_data(catalog)
    data["courses"][0]["hours"] += 1
    assert catalog_hash(catalog_from_data(data).catalog) != catalog_hash(catalog)


# --------------------------------------------------------------------------- caseload
def test_caseload_shows_readiness_distance_next_term_and_staleness(ws: Workspace, catalog) -> None:
    import datetime as dt

    from pathways.planner import plan
    from pathways.skills import gap_analysis

    day = dt.date(2026, 12, 6)
    for path in LEARNERS:
        add_learner(ws, path.read_text(encoding="utf-8"), catalog, by="alice",
                    advisor="alice" if path.stem != "halfway-jonas" else "bob")
    rows = {r.learner: r for r in caseload(ws, catalog, "alice", today=day)}
    assert "jonas" not in rows and len(rows) == len(LEARNERS) - 1
    for path in LEARNERS:
        learner = load_learner(path, catalog)
        if learner.id == "jonas":
            continue
        row = rows[learner.id]
        expected = plan(catalog, learner, explain=False, today=day)
        assert row.computed and row.plan_id is None and not row.stale
        assert row.hours_to_goal == (expected.total_hours if expected.feasible else None)
        first = next(((str(t), [c.id for c in cs]) for t, cs in expected.schedule() if cs), (None, []))
        assert (row.next_term, list(row.next_courses)) == first
        if learner.goals.job:
            assert row.readiness == pytest.approx(gap_analysis(catalog, learner, as_of=day).readiness)

    record, _ = make_plan(ws, catalog, "maria", by="alice", today=day)
    fresh = {r.learner: r for r in caseload(ws, catalog, "alice", today=day)}["maria"]
    assert (fresh.plan_id, fresh.stale, fresh.computed) == (record.id, False, False)
    # another catalog: the saved plan is stale, and a re-plan says what changed
    data = catalog_to_data(catalog)
    for c in data["courses"]:
        if c["id"] == "UT-STAT-120":
            c["hours"] = 60
    changed = catalog_from_data(data).catalog
    stale = {r.learner: r for r in caseload(ws, changed, "alice", today=day)}["maria"]
    assert stale.stale and stale.stale_why == "the catalog changed"
    assert stale.hours_to_goal == record.result["total_hours"]  # the old plan's, marked stale
    new, changes = replan(ws, changed, "maria", by="alice", today=day)
    assert new.id != record.id and any("hours" in c for c in changes), changes
    assert not {r.learner: r for r in caseload(ws, changed, "alice", today=day)}["maria"].stale
    # a profile change makes it stale too
    text = ws.learner("maria").profile
    update_learner(ws, "maria", text.replace("7500", "9000"), changed, by="alice", base_version=1)
    again = {r.learner: r for r in caseload(ws, changed, "alice", today=day)}["maria"]
    assert again.stale and "profile changed (version 1 -> 2)" in again.stale_why


def test_a_profile_that_no_longer_fits_the_catalog_is_shown_with_the_loaders_message(ws: Workspace, catalog) -> None:
    add_learner(ws, maria_text(), catalog, by="alice", advisor="alice")
    held = load_learner(REPO / "data" / "learners" / "career-changer-maria.yaml", catalog).completed
    other = catalog_from_data({"courses": [{"id": "Z-1", "title": "Another provider's course",
                                            "hours": 10}]}).catalog
    (row,) = caseload(ws, other, "alice")
    assert f"unknown course {held[0].id}" in row.problem and row.hours_to_goal is None
    assert ws.learner("maria").profile == maria_text()  # kept, not dropped


# --------------------------------------------------------------------------- safety
def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_reading_never_writes(tmp_path: Path, catalog) -> None:
    url = as_url(str(tmp_path / "w.db"))
    ws = Workspace.open(url, create=True)
    add_learner(ws, maria_text(), catalog, by="alice", advisor="alice")
    make_plan(ws, catalog, "maria", by="alice")
    ws.add_note("maria", "n", by="alice")
    ws.close()
    before = _digest(tmp_path / "w.db")
    ws = Workspace.open(url)
    caseload(ws, catalog, "alice")
    ws.learners(), ws.learner("maria"), ws.history("maria"), ws.export("maria"), ws.catalogs()
    with pytest.raises(WorkspaceError):
        ws.learner("nobody")
    ws.close()
    assert _digest(tmp_path / "w.db") == before


CRASH = textwrap.dedent("""
    import os, sys
    from sqlalchemy.orm import Session
    from pathways.workspace import Workspace
    from pathways.workspace._models import LearnerVersion
    real_add = Session.add
    def add(self, obj, *args, **kwargs):
        if isinstance(obj, LearnerVersion):  # after the version bump was sent, before commit
            os._exit(3)
        return real_add(self, obj, *args, **kwargs)
    Session.add = add
    ws = Workspace.open(sys.argv[1])
    ws.save_learner("maria", "learner:\\n  id: maria\\n  name: half\\n", by="crash", base_version=1)
""")


def test_a_crash_in_the_middle_of_a_write_leaves_the_last_committed_state(db_url: str, catalog) -> None:
    ws = Workspace.open(db_url, create=True)
    add_learner(ws, maria_text(), catalog, by="alice")
    proc = subprocess.run([sys.executable, "-c", CRASH, db_url], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 3, proc.stderr
    after = Workspace.open(db_url)
    info = after.learner("maria")
    assert (info.version, info.updated_by, info.profile) == (1, "alice", maria_text())
    assert len(after.versions("maria")) == 1
    after.close()
    ws.close()


def test_a_bad_url_or_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="unknown kind of database 'nonsense'"):
        Workspace.open("nonsense://")
    with pytest.raises(WorkspaceError, match="not a database URL"):
        Workspace.open("postgresql://u@host:notaport/db")
    with pytest.raises(WorkspaceError, match="cannot"):
        Workspace.open("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_dataclasses_are_frozen() -> None:
    from pathways.workspace import CaseloadRow

    row = CaseloadRow("a", "A", 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.learner = "b"  # type: ignore[misc]
