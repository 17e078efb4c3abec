"""``pathways report``: writes the advising report; an infeasible plan is reported, not an error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from pathways.cli import app
from pathways.io import load_catalog, load_learner
from pathways.skills.report import advising_report, report_html, report_pdf

from tests.conftest import SAMPLE

ENV = {"PATHWAYS_TODAY": "2026-12-06", "COLUMNS": "200", "NO_COLOR": "1"}
JONAS = SAMPLE / "learners" / "halfway-jonas.yaml"


def run(*args: str):
    return CliRunner().invoke(app, list(args), env=ENV)


def test_report_writes_the_pdf_and_html(tmp_path: Path) -> None:
    cat = load_catalog(SAMPLE)
    jonas = load_learner(JONAS, cat)
    expected = advising_report(cat, jonas, ["UT-CERT-DA"], "data analyst",
                               today=dt.date(2026, 12, 6))
    for name, render in (("r.pdf", report_pdf), ("r.html", lambda r: report_html(r).encode())):
        result = run("report", "-l", str(JONAS), "-t", "UT-CERT-DA", "--job", "data analyst",
                     "--out", str(tmp_path / name))
        assert result.exit_code == 0, result.output
        assert f"Wrote {tmp_path / name}: Jonas K. -> UT-CERT-DA, data analyst" in result.output
        assert (tmp_path / name).read_bytes() == render(expected)


def test_an_infeasible_plan_is_reported(tmp_path: Path) -> None:
    result = run("report", "-l", str(JONAS), "-t", "UT-DIP-DATA", "--out", str(tmp_path / "r.html"))
    assert result.exit_code == 0, result.output
    assert "no plan fits the learner's limits: the report says why" in result.output
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "over budget" in page and "a budget of at least" in page


def test_report_errors_are_one_line(tmp_path: Path) -> None:
    result = run("report", "-l", str(JONAS), "--out", str(tmp_path / "r.docx"))
    assert result.exit_code == 1 and "name the file *.pdf or *.html" in result.output
    result = run("report", "-l", str(JONAS), "--job", "astronaut", "--out", str(tmp_path / "r.pdf"))
    assert result.exit_code == 1 and "astronaut is not a job of the catalog" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "r.pdf").exists()
