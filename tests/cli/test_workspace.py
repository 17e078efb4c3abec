"""`pathways workspace` as an advisor runs it, on an SQLite file (the same records the app
reads: tests/test_workspace.py checks the store itself on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from pathways.cli import app
from pathways.io import load_catalog, load_learner

from tests.conftest import REPO

MARIA = REPO / "data" / "learners" / "career-changer-maria.yaml"
JONAS = REPO / "data" / "learners" / "halfway-jonas.yaml"

runner = CliRunner()


@pytest.fixture
def run(tmp_path: Path):
    env = {"COLUMNS": "200", "PATHWAYS_DB": str(tmp_path / "w.db"), "PATHWAYS_ADVISOR": "alice",
           "PATHWAYS_TODAY": "2026-12-06"}

    def invoke(*args: str):
        return runner.invoke(app, list(args), env=env)

    return invoke


def test_a_workspace_from_init_to_export(run, tmp_path: Path) -> None:
    from pathways.planner import plan

    result = run("workspace", "list")
    assert result.exit_code == 1 and "no workspace at" in result.output and "workspace init" in result.output
    assert not (tmp_path / "w.db").exists()
    assert run("workspace", "init").exit_code == 0
    added = run("workspace", "add", str(MARIA))
    assert added.exit_code == 0, added.output
    assert "added learner maria (Maria G.), version 1, to the caseload of alice" in added.output
    assert run("workspace", "add", str(JONAS)).exit_code == 0
    again = run("workspace", "add", str(MARIA))
    assert again.exit_code == 1 and "--base-version 1" in again.output

    listed = json.loads(run("workspace", "list", "--format", "json").output)
    assert [r["learner"] for r in listed["learners"]] == ["jonas", "maria"]
    assert all(r["computed"] and r["plan_id"] is None for r in listed["learners"])

    made = run("workspace", "plan", "maria", "--format", "json")
    assert made.exit_code == 0, made.output
    record = json.loads(made.output)
    catalog = load_catalog(REPO / "data")
    import datetime as dt

    expected = plan(catalog, load_learner(MARIA, catalog), today=dt.date(2026, 12, 6))
    assert record["plan"]["result"] == json.loads(json.dumps(expected.to_dict()))
    assert record["changes"] == ["first plan"]
    table = run("workspace", "plan", "maria", "--objective", "cost")
    assert table.exit_code == 0 and "kept as plan 2; since the previous plan:" in table.output

    assert run("workspace", "note", "maria", "Wants evening classes", "--plan", "1").exit_code == 0
    history = json.loads(run("workspace", "history", "maria", "--format", "json").output)
    assert [e["kind"] for e in history] == ["version", "plan", "plan", "note"]
    assert history[-1]["text"] == "Wants evening classes" and history[-1]["by"] == "alice"

    changed = tmp_path / "maria.yaml"
    changed.write_text(MARIA.read_text(encoding="utf-8").replace("7500", "8000"), encoding="utf-8")
    saved = run("workspace", "add", str(changed), "--base-version", "1", "--by", "bob")
    assert saved.exit_code == 0 and "saved learner maria version 2" in saved.output
    conflict = run("workspace", "add", str(changed), "--base-version", "1")
    assert conflict.exit_code == 1 and "changed by bob" in conflict.output

    rows = {r["learner"]: r for r in json.loads(run("workspace", "list", "--format", "json").output)["learners"]}
    assert rows["maria"]["stale"] and "profile changed" in rows["maria"]["stale_why"]

    out = tmp_path / "export"
    exported = run("workspace", "export", "--out", str(out))
    assert exported.exit_code == 0, exported.output
    assert (out / "maria.yaml").read_text(encoding="utf-8") == changed.read_text(encoding="utf-8")
    plans = json.loads((out / "maria.plans.json").read_text(encoding="utf-8"))
    assert [p["id"] for p in plans] == [1, 2] and plans[0]["result"]["targets"] == ["UT-CERT-DA"]
    rest = json.loads((out / "maria.history.json").read_text(encoding="utf-8"))
    assert [v["version"] for v in rest["versions"]] == [1, 2] and rest["notes"][0]["plan"] == 1
    # the exported profile is a learner file the loader reads back
    assert yaml.safe_load((out / "jonas.yaml").read_text(encoding="utf-8"))["learner"]["id"] == "jonas"
    assert load_learner(out / "jonas.yaml", catalog).id == "jonas"


def test_unknown_learner_and_bad_profile_are_clear_errors(run, tmp_path: Path) -> None:
    assert run("workspace", "init").exit_code == 0
    missing = run("workspace", "show", "nobody")
    assert missing.exit_code == 1 and "no learner nobody in the workspace" in missing.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("learner:\n  id: x\n  completed:\n    - {course: NOPE-1, date: 2024-01-01}\n",
                   encoding="utf-8")
    result = run("workspace", "add", str(bad))
    assert result.exit_code == 1 and "unknown course NOPE-1" in result.output
    assert "Traceback" not in result.output
    wrong = run("workspace", "list", "--db", "nonsense://x")
    assert wrong.exit_code == 1 and "unknown kind of database" in wrong.output
