"""`pathways badges`, `pathways ctdl` and `pathways csv` as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pathways.cli import app
from pathways.io import catalog_to_data, load_learner, read_yaml, validate_catalog

from tests.conftest import EXAMPLES, FIXTURES

BADGES = FIXTURES / "badges"
CTDL = FIXTURES / "ctdl"

runner = CliRunner()


def run(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture()
def priya(tmp_path: Path) -> Path:
    return Path(shutil.copy(EXAMPLES / "learner-priya.yaml", tmp_path / "priya.yaml"))


CATALOG = ("--catalog", EXAMPLES / "catalog.yaml")


# --------------------------------------------------------------------------- badges
def test_badges_import_updates_the_profile(priya: Path, tmp_path: Path) -> None:
    out = tmp_path / "priya2.yaml"
    result = run("badges", "import", BADGES / "ob3-data-analysis.json",
                 BADGES / "ob2-ai-ethics-expired.json", BADGES / "ob3-unknown-achievement.json",
                 "--learner", priya, "--out", out, *CATALOG, "--today", "2026-06-01")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("ob3-data-analysis.json: OB 3.0 'Data Analysis with Python'")
    assert "-> course UT-DA-101 by alignment targetCode (explicit)" in lines[0]
    assert "expired 2025-03-01 (kept as an expired holding)" in lines[1]
    assert "unmapped" in lines[2]
    assert all("read, not verified" in line for line in lines[:3])
    assert lines[-1].startswith("added or updated 2 holdings (1 expired)")
    learner = load_learner(out, validate_catalog(EXAMPLES / "catalog.yaml").catalog)
    held = {(h.id, h.date.isoformat(), h.expires and h.expires.isoformat()) for h in learner.completed}
    assert ("UT-DA-101", "2025-06-15", "2030-06-15") in held
    assert ("AU-AIE-1", "2022-03-01", "2025-03-01") in held  # the badge's expiry was added
    assert len(learner.completed) == 4
    assert out.read_text().startswith("# A learner for examples/catalog.yaml.")  # header kept


def test_badges_import_bad_input_leaves_the_file_intact(priya: Path) -> None:
    before = priya.read_text()
    result = run("badges", "import", BADGES / "ob3-vc11-sql.json", BADGES / "ob2-malformed.json",
                 "--learner", priya, "--out", priya, *CATALOG)
    assert result.exit_code == 1, result.output
    assert "ob2-malformed.json: malformed: not valid JSON" in result.output
    assert "1 badge file(s) could not be read (ob2-malformed.json)" in result.output
    assert "was not written" in result.output
    assert priya.read_text() == before


def test_badges_import_missing_file_and_bad_profile(priya: Path, tmp_path: Path) -> None:
    result = run("badges", "import", tmp_path / "nope.json", "--learner", priya,
                 "--out", tmp_path / "x.yaml", *CATALOG)
    assert result.exit_code == 1 and "unreadable: cannot read the file" in result.output
    assert not (tmp_path / "x.yaml").exists()
    result = run("badges", "import", BADGES / "ob3-vc11-sql.json", "--learner", tmp_path / "none.yaml",
                 "--out", tmp_path / "x.yaml", *CATALOG)
    assert result.exit_code == 1 and "no such learner file" in result.output
    result = run("badges", "import", BADGES / "ob3-vc11-sql.json", "--learner", priya,
                 "--out", tmp_path / "x.yaml", *CATALOG, "--today", "June")
    assert result.exit_code == 1 and "is not a date" in result.output


def test_badges_import_keeps_the_profile_badges_list(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    shutil.copy(BADGES / "ob3-vc11-sql.json", tmp_path / "b" / "sql.json")
    profile = tmp_path / "p.yaml"
    profile.write_text("learner:\n  id: x\n  badges: [b/sql.json]\n")
    out = tmp_path / "p2.yaml"
    result = run("badges", "import", BADGES / "ob3-data-analysis.json", "--learner", profile,
                 "--out", out, *CATALOG, "--today", "2026-06-01")
    assert result.exit_code == 0, result.output
    assert "(badges listed in the profile): sql.json: OB 3.0 'SQL for analysts'" in result.output
    written = read_yaml(out)["learner"]
    assert written["badges"] == ["b/sql.json"]
    # listed badges stay in badges: (read on every load), they are not copied to completed
    assert [h["course"] for h in written["completed"]] == ["UT-DA-101"]


def test_badges_export(tmp_path: Path) -> None:
    result = run("badges", "export", "UT-CERT-DA", *CATALOG)
    assert result.exit_code == 0, result.output
    achievement = json.loads(result.output)
    assert achievement["achievementType"] == "Certificate"
    assert achievement["id"] == "urn:pathways:credential:UT-CERT-DA"
    out = tmp_path / "a.json"
    result = run("badges", "export", "UT-DA-101", *CATALOG, "--out", out,
                 "--base-url", "https://badges.example.org/achievements/")
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["id"] == "https://badges.example.org/achievements/UT-DA-101"
    result = run("badges", "export", "NOPE", *CATALOG)
    assert result.exit_code == 1 and "NOPE is neither a course nor a credential" in result.output


# --------------------------------------------------------------------------- ctdl
def test_ctdl_export_then_import(tmp_path: Path) -> None:
    doc = tmp_path / "catalog.json"
    result = run("ctdl", "export", *CATALOG, "--out", doc)
    assert result.exit_code == 0, result.output
    assert "16 courses, 6 credentials" in result.output
    assert json.loads(doc.read_text())["@graph"]
    back = tmp_path / "back.yaml"
    result = run("ctdl", "import", doc, "--out", back)
    assert result.exit_code == 0, result.output
    assert catalog_to_data(validate_catalog(back).catalog) == catalog_to_data(
        validate_catalog(EXAMPLES / "catalog.yaml").catalog)


def test_ctdl_import_prints_notes(tmp_path: Path) -> None:
    result = run("ctdl", "import", CTDL / "credentials.json", "--out", tmp_path / "c.yaml")
    assert result.exit_code == 0, result.output
    assert "note: credential CERT-DA: condition without courses or credentials skipped" in result.output
    assert "7 courses, 3 credentials" in result.output


def test_ctdl_import_bad_file_leaves_the_output_intact(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    out = tmp_path / "out.yaml"
    out.write_text("old\n")
    result = run("ctdl", "import", bad, "--out", out)
    assert result.exit_code == 1 and "not valid JSON" in result.output
    assert out.read_text() == "old\n"
    # valid JSON, but a catalog that does not validate: choose 3 of 2 courses
    course = {"@type": "ceterms:Course", "ceterms:estimatedDuration": [
        {"@type": "ceterms:DurationProfile", "ceterms:exactDuration": "PT5H"}]}
    bad.write_text(json.dumps({"@graph": [
        {**course, "@id": "x:a", "ceterms:codedNotation": "A"},
        {**course, "@id": "x:b", "ceterms:codedNotation": "B"},
        {"@id": "x:m", "@type": "ceterms:Badge", "ceterms:codedNotation": "M",
         "ceterms:requires": [{"@type": "ceterms:ConditionProfile", "ceterms:requiredNumber": 3,
                               "ceterms:targetLearningOpportunity": ["x:a", "x:b"]}]}]}))
    result = run("ctdl", "import", bad, "--out", out)
    assert result.exit_code == 1 and "credential M can never be earned" in result.output
    assert out.read_text() == "old\n"


# --------------------------------------------------------------------------- csv
def test_csv_export_then_import(tmp_path: Path) -> None:
    directory = tmp_path / "sheets"
    result = run("csv", "export", *CATALOG, "--out", directory)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in directory.iterdir()) == [
        "catalog.yaml", "courses.csv", "credentials.csv", "jobs.csv", "providers.csv", "skills.csv"]
    result = run("validate", directory)  # a CSV directory simply loads
    assert result.exit_code == 0, result.output
    out = tmp_path / "catalog.yaml"
    result = run("csv", "import", directory, "--out", out)
    assert result.exit_code == 0, result.output
    assert catalog_to_data(validate_catalog(out).catalog) == catalog_to_data(
        validate_catalog(EXAMPLES / "catalog.yaml").catalog)


def test_csv_import_bad_cell_and_export_into_a_used_directory(tmp_path: Path) -> None:
    directory = tmp_path / "sheets"
    directory.mkdir()
    (directory / "courses.csv").write_text("id,title,hours\nA,One,lots\n")
    out = tmp_path / "out.yaml"
    out.write_text("old\n")
    result = run("csv", "import", directory, "--out", out)
    assert result.exit_code == 1
    assert "courses.csv:2: A (hours): hours must be a number > 0 (found 'lots')" in result.output
    assert out.read_text() == "old\n"
    (directory / "notes.yaml").write_text("courses: []\n")
    result = run("csv", "export", *CATALOG, "--out", directory)
    assert result.exit_code == 1 and "already holds other catalog files" in result.output


def test_ctdl_import_of_a_registry_folder_then_validate_and_health_flag_unstated_hours(
        tmp_path: Path) -> None:
    out = tmp_path / "reg.yaml"
    result = run("ctdl", "import", CTDL / "registry", "--out", out)
    assert result.exit_code == 0, result.output
    assert "5 courses, 1 credentials" in result.output
    assert "(3 course(s) with hours not stated: see pathways validate)" in result.output
    assert "1 required record(s) not in the input" in result.output
    unstated = ["DATA-103", "DATA-104", "ce-7b000000-0000-4000-8000-000000000199"]
    for command in (("validate", out), ("health", "-c", out)):
        result = run(*command)
        assert result.exit_code == 0, result.output
        for course in unstated:
            assert f"course {course}: hours not stated" in result.output, (command, course)
    # with the conversions given, only the record that is not in the input stays unstated
    result = run("ctdl", "import", CTDL / "registry", "--out", out, "--hours-per-week", "5",
                 "--hours-per-credit", "DegreeCredit=15")
    assert result.exit_code == 0, result.output
    assert "(1 course(s) with hours not stated" in result.output
    result = run("ctdl", "import", CTDL / "registry", "--out", out, "--hours-per-week", "500")
    assert result.exit_code == 1 and "hours per week must be in (0, 168]" in result.output


def test_ctdl_import_with_nothing_to_import_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    doc = tmp_path / "orgs.json"
    doc.write_text(json.dumps({"@graph": [{"@id": "x:o", "@type": "ceterms:CredentialOrganization",
                                           "ceterms:name": "Org"}]}))
    out = tmp_path / "out.yaml"
    result = run("ctdl", "import", doc, "--out", out)
    assert result.exit_code == 1 and "nothing to import" in result.output
    assert not out.exists()
