"""`pathways overlap`, `pathways health` and `pathways demand` as a user runs them."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pathways.cli import app

from tests.conftest import EXAMPLES, SAMPLE

EXAMPLE = EXAMPLES / "catalog.yaml"
HAS_PLANNER = importlib.util.find_spec("pathways.planner") is not None

runner = CliRunner()


def run(*args: str):
    result = runner.invoke(app, list(args))
    return result


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.output


# --------------------------------------------------------------------------- overlap
def test_overlap_json_pairs_and_clusters() -> None:
    data = json.loads(ok("overlap", "-c", str(EXAMPLE), "--format", "json", "--threshold", "0.3"))
    assert {"pairs", "clusters", "parameters"} <= set(data)
    assert data["pairs"], "the capstones and the two statistics courses overlap"
    for pair in data["pairs"]:
        assert {"a", "b", "skill_similarity", "text_similarity", "score", "shared_skills"} <= set(pair)
    scores = [p["score"] for p in data["pairs"]]
    assert scores == sorted(scores, reverse=True)
    assert ("UT-CAP-1", "UT-CAP-2") in {(p["a"], p["b"]) for p in data["pairs"]}
    assert all({"members", "explanation", "shared_skills"} <= set(c) for c in data["clusters"])
    assert data["parameters"]["threshold"] == 0.3


def test_overlap_table_and_course_neighbours() -> None:
    out = ok("overlap", "-c", str(EXAMPLE), "--course", "UT-CAP-1", "-k", "3")
    assert "Similar courses" in out and "Most similar to UT-CAP-1" in out
    assert "UT-CAP-2" in out


def test_overlap_unknown_course_is_one_line_error() -> None:
    result = run("overlap", "-c", str(EXAMPLE), "--course", "UT-CAP-9")
    assert result.exit_code == 1
    assert "not a course of the catalog" in result.output and "Traceback" not in result.output


def test_overlap_bad_threshold() -> None:
    result = run("overlap", "-c", str(EXAMPLE), "--threshold", "2")
    # a usage error now (exit 2), checked by the option before the catalog is read
    assert result.exit_code == 2 and "--threshold" in result.output and "<= 1" in result.output


def test_overlap_csv() -> None:
    rows = list(csv.DictReader(io.StringIO(ok("overlap", "-c", str(EXAMPLE), "--format", "csv",
                                              "--threshold", "0.3"))))
    assert rows and {"a", "b", "score", "shared_skills"} <= set(rows[0])


def test_overlap_credentials_json() -> None:
    data = json.loads(ok("overlap", "-c", str(EXAMPLE), "--credentials", "--format", "json"))
    cred = data["credentials"]
    assert {"pairs", "stack_on", "hours_still_needed"} <= set(cred)
    row = next(p for p in cred["pairs"] if (p["a"], p["b"]) == ("UT-CERT-BI", "UT-MC-REPORTING"))
    assert row["shared_courses"] == ["UT-SQL-1", "UT-VIZ-1", "UT-BI-1"]
    if HAS_PLANNER:
        assert cred["hours_still_needed"]["UT-CERT-DA"]["UT-DIP-DATA"] == 90
    else:
        assert row["hours_still_needed"] is None
    assert "NaN" not in json.dumps(data)


def test_overlap_credentials_table() -> None:
    out = ok("overlap", "-c", str(EXAMPLE), "--credentials")
    assert "UT-DIP-DATA" in out
    if HAS_PLANNER:
        assert "Best stack-on pairs" in out and "Hours still needed" in out


# --------------------------------------------------------------------------- health
def test_health_json() -> None:
    data = json.loads(ok("health", "-c", str(EXAMPLE), "--format", "json"))
    cats = {f["category"] for f in data["findings"]}
    assert {"single-source-skill", "missing-prerequisite", "single-path", "no-credential"} <= cats
    assert all({"category", "severity", "ids", "message", "action"} <= set(f) for f in data["findings"])
    assert sum(s["count"] for s in data["summary"]) == len(data["findings"])


def test_health_category_filter_and_table() -> None:
    out = ok("health", "-c", str(EXAMPLE), "--category", "missing-prerequisite")
    assert "UT-CAP-3" in out and "what to do" in out
    assert "single-path" not in out
    out = ok("health", "-c", str(EXAMPLE), "--max-chain", "3", "--format", "csv")
    assert "long-chain" in out


def test_health_unknown_category() -> None:
    result = run("health", "-c", str(EXAMPLE), "--category", "nonsense")
    assert result.exit_code == 1 and "unknown category" in result.output


# --------------------------------------------------------------------------- demand
def test_demand_json() -> None:
    data = json.loads(ok("demand", "-c", str(EXAMPLE), "--format", "json"))
    assert {"summary", "unmet", "undersupplied", "oversupply", "skills"} <= set(data)
    assert [s["label"] for s in data["unmet"]] == ["data quality assessment"]
    assert data["summary"]["jobs"] == 1


def test_demand_extra_jobs(tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.yaml"
    jobs.write_text("jobs:\n  - id: esco-occ:x\n    title: ethicist\n    skills:\n"
                    "      - {skill: 'esco:cef5c0f8-1e40-4c09-b6a7-aa7811849e5d', level: 3}\n")
    data = json.loads(ok("demand", "-c", str(EXAMPLE), "--jobs", str(jobs), "--format", "json"))
    assert data["summary"]["jobs"] == 2
    ethics = next(s for s in data["skills"] if s["label"] == "ethics")
    assert ethics["status"] == "supplied" and ethics["top_jobs"] == ["ethicist"]


def test_demand_table() -> None:
    out = ok("demand", "-c", str(EXAMPLE))
    assert "Unmet demand" in out and "data quality assessment" in out


# --------------------------------------------------------------------------- the sample data
@pytest.mark.skipif(not SAMPLE.is_dir(), reason="no sample data/")
@pytest.mark.parametrize("command", ["overlap", "health", "demand"])
def test_commands_on_the_sample_catalog(command: str) -> None:
    data = json.loads(ok(command, "--format", "json"))
    assert data
