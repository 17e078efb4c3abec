"""`pathways validate` and `pathways show` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pathways.cli import app

from tests.conftest import REPO

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_validate_example_prints_counts(examples_dir: Path) -> None:
    result = run("validate", str(examples_dir / "catalog.yaml"))
    assert result.exit_code == 0, result.output
    assert "Valid catalog" in result.output
    assert "courses" in result.output and "16" in result.output


def test_validate_json(examples_dir: Path) -> None:
    result = run("validate", str(examples_dir / "catalog.yaml"), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["valid"] is True
    assert data["counts"]["courses"] == 16 and data["counts"]["credentials"] == 6


@pytest.mark.parametrize("name", sorted(p.name for p in (REPO.parent / "shared" / "spec" /
                                                          "examples" / "invalid").glob("*.yaml")))
def test_validate_invalid_exits_1_without_traceback(examples_dir: Path, name: str) -> None:
    result = run("validate", str(examples_dir / "invalid" / name))
    assert result.exit_code == 1, result.output
    assert "error:" in result.output and name in result.output
    assert "Traceback" not in result.output


def test_validate_sample_data() -> None:
    result = run("validate", str(REPO / "data"))
    assert result.exit_code == 0, result.output


def test_show_credential_and_course(examples_dir: Path) -> None:
    cat = str(examples_dir / "catalog.yaml")
    result = run("show", "UT-CERT-DA", "--catalog", cat)
    assert result.exit_code == 0, result.output
    assert "Methods electives: choose 2 of" in result.output
    assert "stacks into: UT-DIP-DATA" in result.output
    result = run("show", "UT-DA-101", "--catalog", cat, "--format", "json")
    data = json.loads(result.output)
    assert data["prerequisites"] == "UT-PY-1 and (UT-STAT-1 or UT-STAT-2)"
    assert data["counts_toward"] == ["UT-CERT-DA"]
    assert data["unlocks"] == ["UT-CAP-1", "UT-CAP-2", "UT-CAP-3", "UT-ML-1"]


def test_show_unknown_id_suggests(examples_dir: Path) -> None:
    result = run("show", "UT-DA-110", "--catalog", str(examples_dir / "catalog.yaml"))
    assert result.exit_code == 1
    assert "did you mean" in result.output and "UT-DA-100" in result.output


def test_missing_catalog_path_is_one_clear_line(tmp_path: Path) -> None:
    result = run("show", "X", "--catalog", str(tmp_path / "missing"))
    assert result.exit_code == 1
    assert "no such file or directory" in result.output


def test_module_entry_point_runs(examples_dir: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "pathways", "validate",
                           str(examples_dir / "invalid" / "cycle.yaml")],
                          capture_output=True, text=True, cwd=REPO, check=False)
    assert proc.returncode == 1
    assert "prerequisite cycle between A-2 and A-3" in proc.stderr
    assert "Traceback" not in proc.stderr
