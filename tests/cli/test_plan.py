"""`pathways audit`, `plan`, `distances` and `what-if` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pathways.cli import app

from tests.conftest import EXAMPLES, REPO

CAT = str(EXAMPLES / "catalog.yaml")
PRIYA = str(EXAMPLES / "learner-priya.yaml")

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def test_plan_table_for_priya() -> None:
    result = run("plan", "--catalog", CAT, "--learner", PRIYA)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Plan for priya -> UT-CERT-DA (objective: hours; optimal)" in out
    assert "2027-winter" in out and "2027-fall" in out
    assert "Total: 5 courses, 166 hours, 3,680 CAD, 3 terms" in out
    assert "UT-CAP-3" in out and "Methods electives" in out  # reasons (cells may wrap)
    assert "Audit at completion: ✓ UT-CERT-DA" in out


def test_plan_json_for_priya() -> None:
    result = run("plan", "-c", CAT, "-l", PRIYA, "--target", "UT-DIP-DATA", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["targets"] == ["UT-DIP-DATA"] and data["objective"] == "hours"
    assert data["feasible"] is True and data["optimal"] is True
    assert data["total_hours"] == 256 and data["renewals"] == ["AU-AIE-1"]
    assert data["terms"] == 5
    aie = next(c for c in data["courses"] if c["id"] == "AU-AIE-1")
    assert aie["term"].startswith("20") and aie["counts_toward"] == ["AU-AI-ETHICS"]
    assert "badge expired" in aie["reason"]


def test_plan_cost_objective_and_csv() -> None:
    result = run("plan", "-c", CAT, "-l", PRIYA, "--objective", "cost", "--format", "csv")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("id,title,term,hours,cost")
    assert any(line.startswith("UT-CAP-1,") for line in lines)


def test_plan_with_audit_trees() -> None:
    result = run("plan", "-c", CAT, "-l", PRIYA, "--audit")
    assert result.exit_code == 0, result.output
    assert "✓ Methods electives: choose 2 of  [2 of 2 chosen]" in result.output


def test_infeasible_plan_exits_2_with_the_reason(tmp_path: Path) -> None:
    poor = tmp_path / "poor.yaml"
    poor.write_text("learner:\n  id: poor\n  goals:\n    credentials: [UT-CERT-DA]\n"
                    "  constraints:\n    start: 2027-01\n    budget: 1000\n")
    result = run("plan", "-c", CAT, "-l", str(poor))
    assert result.exit_code == 2, result.output
    assert "No plan for poor -> UT-CERT-DA" in result.output
    assert "over budget: the cheapest plan costs" in result.output
    result = run("plan", "-c", CAT, "-l", str(poor), "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.output)
    assert data["feasible"] is False and data["reason"].startswith("over budget")


def test_unknown_target_is_one_line_exit_1() -> None:
    result = run("plan", "-c", CAT, "-l", PRIYA, "--target", "UT-CERT-XX")
    assert result.exit_code == 1, result.output
    assert "unknown target UT-CERT-XX" in result.output
    assert "Traceback" not in result.output


def test_bad_learner_file_is_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("learner:\n  id: x\n  completd: []\n")
    result = run("plan", "-c", CAT, "-l", str(bad))
    assert result.exit_code == 1, result.output
    assert "error:" in result.output and "Traceback" not in result.output
    missing = run("plan", "-c", CAT, "-l", str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 1 and "no such learner file" in missing.output


def test_audit_table_and_json() -> None:
    result = run("audit", "-c", CAT, "-l", PRIYA, "--target", "AU-AI-ETHICS")
    assert result.exit_code == 0, result.output
    assert "✗ AU-AIE-1" in result.output and "badge expired on 2025-03-01" in result.output
    result = run("audit", "-c", CAT, "-l", PRIYA, "-t", "UT-CERT-DA", "-f", "json")
    data = json.loads(result.output)
    assert data["audits"][0]["credential"] == "UT-CERT-DA"
    assert data["audits"][0]["status"] == "not met"
    assert run("audit", "-c", CAT, "-l", PRIYA, "-t", "NOPE").exit_code == 1
    assert run("audit", "-c", CAT, "-l", PRIYA, "--as-of", "soon").exit_code == 1


def test_distances() -> None:
    result = run("distances", "-c", CAT, "-l", PRIYA)
    assert result.exit_code == 0, result.output
    assert "2 courses / 40 hours from DAL-COM-MC" in result.output
    assert "Next exit: DAL-COM-MC" in result.output
    data = json.loads(run("distances", "-c", CAT, "-l", PRIYA, "-f", "json").output)
    assert [d["credential"] for d in data["distances"]][0] == "DAL-COM-MC"


def test_what_if() -> None:
    result = run("what-if", "-c", CAT, "-l", PRIYA, "-s", "UT-CERT-DA", "-s", "UT-DIP-DATA",
                 "--renew", "AU-AIE-1")
    assert result.exit_code == 0, result.output
    assert "+90 h, +2,100 CAD, +2 terms" in result.output
    assert "(renewed" in result.output and "+65 h" in result.output
    data = json.loads(run("what-if", "-c", CAT, "-l", PRIYA, "-s", "UT-CERT-DA", "-s",
                          "UT-DIP-DATA", "--renew", "AU-AIE-1", "-f", "json").output)
    assert [r["hours"] for r in data["rows"]] == [166, 166, 256, 231]
    assert run("what-if", "-c", CAT, "-l", PRIYA, "-s", "NOPE").exit_code == 1


@pytest.mark.parametrize("name", sorted(p.name for p in (REPO / "data" / "learners").glob("*.yaml")))
def test_every_sample_learner_gets_a_plan(name: str) -> None:
    """`pathways plan` without --catalog uses the sample data/."""
    result = run("plan", "--learner", str(REPO / "data" / "learners" / name), "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["feasible"] and data["optimal"]
    assert all(a["ok"] for a in data["audit"])


def test_plan_prints_the_credentials_earned_along_the_way() -> None:
    # Maria's diploma: UT-STAT-120 (it needs only UT-DA-100) runs in the second term, so the
    # UT-MC-DA microcredential is in hand after 2027-summer (issue 15)
    data = str(REPO / "data")
    maria = str(REPO / "data" / "learners" / "career-changer-maria.yaml")
    result = run("plan", "-c", data, "-l", maria, "-t", "UT-DIP-DATA")
    assert result.exit_code == 0, result.output
    assert "Credentials earned along the way:" in result.output
    assert "UT-MC-DA earned after 2027-summer" in result.output
    assert "Total: 9 courses, 274 hours, 7,495 CAD, 5 terms" in result.output
    as_json = json.loads(run("plan", "-c", data, "-l", maria, "-t", "UT-DIP-DATA", "-f",
                             "json").output)
    assert {"credential": "UT-MC-DA", "term": "2027-summer"} in as_json["earned"]
    assert as_json["earned"][-1]["credential"] == "UT-DIP-DATA"
