"""Point 3 of issue 16: every CSV the project writes neutralises cells a spreadsheet would run
as a formula (OWASP: prefix a single quote), and ``csv import`` reads its own exports back
unchanged."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.domain import Catalog, Course, Credential, Job, JobSkill, Ref, Skill
from pathways.io import catalog_to_data, validate_catalog
from pathways.io.tables import safe_cell, unquote_cell, write_csv_catalog

HOSTILE = ['=HYPERLINK("http://evil.example","Free certificate")', "+1+cmd|' /C calc'!A0",
           "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1", "'=already quoted", "''=twice"]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _live(cell: str) -> bool:
    """Whether a spreadsheet would read the cell as a formula."""
    return cell[:1] in TRIGGERS and not _number(cell)


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return cell.strip() == cell and cell.lower().lstrip("+-") not in ("inf", "nan", "infinity")


@pytest.mark.parametrize("text", HOSTILE)
def test_safe_cell_neutralises_and_unquote_cell_restores(text: str) -> None:
    assert not _live(safe_cell(text))
    assert unquote_cell(safe_cell(text)) == text


@pytest.mark.parametrize("value", [-5, -2.5, "-5", "+3", "-1e5", "12", 0])
def test_numbers_stay_numbers(value) -> None:
    assert safe_cell(value) == value


def _catalog(title: str) -> Catalog:
    return Catalog(
        courses={"A": Course("A", title, 3, description=title), "-B": Course("-B", "b", 2)},
        credentials={"C": Credential("C", title, "certificate", Ref("A"), description=title)},
        skills={"s": Skill("s", title, (title,), title)},
        jobs={"J": Job("J", title, (JobSkill("s", 1.0, True, 2),), title)})


def test_csv_export_writes_no_live_formula(tmp_path: Path) -> None:
    for n, title in enumerate(HOSTILE):
        out = tmp_path / f"out{n}"
        write_csv_catalog(_catalog(title), out)
        for table in out.glob("*.csv"):
            live = [c for c in _cells(table.read_text()) if _live(c)]
            assert not live, (table.name, live)


@pytest.mark.parametrize("title", HOSTILE)
def test_csv_import_reads_its_own_export_back(tmp_path: Path, title: str) -> None:
    catalog = _catalog(title)
    write_csv_catalog(catalog, tmp_path / "out")
    assert catalog_to_data(validate_catalog(tmp_path / "out").catalog) == catalog_to_data(catalog)


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(
    ["=", "+", "-", "@", "'", "\t", "\n", '"', ",", ";"]), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=_TEXT.filter(lambda t: t.strip() == t and t))
def test_round_trip_property(tmp_path_factory, title: str) -> None:
    out = tmp_path_factory.mktemp("rt")
    catalog = _catalog(title)
    write_csv_catalog(catalog, out / "cat")
    for table in (out / "cat").glob("*.csv"):
        assert not [c for c in _cells(table.read_text()) if _live(c)]
    assert catalog_to_data(validate_catalog(out / "cat").catalog) == catalog_to_data(catalog)
