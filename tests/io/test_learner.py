"""Learner profiles: shape, dates, terms and references to the catalog."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from pathways.domain import Term
from pathways.errors import CatalogError
from pathways.io import learner_from_data, learner_to_data, load_catalog, load_learner, write_learner


@pytest.fixture(scope="module")
def catalog(examples_dir: Path):
    return load_catalog(examples_dir / "catalog.yaml")


def profile(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "learner.yaml"
    path.write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return path


def test_priya_loads(examples_dir: Path, catalog) -> None:
    priya = load_learner(examples_dir / "learner-priya.yaml", catalog)
    assert [(h.kind, h.id, h.date) for h in priya.completed] == [
        ("course", "UT-DA-100", dt.date(2024, 5, 1)),
        ("course", "UT-STAT-1", dt.date(2024, 9, 15)),
        ("course", "AU-AIE-1", dt.date(2022, 3, 1)),
    ]
    assert priya.goals.credentials == ("UT-CERT-DA",)
    assert priya.constraints.start == Term(2027, 0)
    assert priya.constraints.max_courses_per_term == 2 and priya.constraints.budget == 6000


@pytest.mark.parametrize(("body", "expected"), [
    ("learner:\n  id: x\n  completed:\n    - {course: UT-DA-100, date: 2024-13-01}\n",
     "learner.yaml:4:"),
    ("learner:\n  id: x\n  completed:\n    - {course: UT-NOPE, date: 2024-01-01}\n",
     "unknown course UT-NOPE"),
    ("learner:\n  id: x\n  completed:\n    - {course: UT-DA-100, credential: UT-CERT-DA, date: 2024-01-01}\n",
     "exactly one course: or credential:"),
    ("learner:\n  id: x\n  goals: {credentials: [UT-CERT-XX]}\n", "unknown credential UT-CERT-XX"),
    ("learner:\n  id: x\n  goals: {job: nope}\n", "unknown job nope"),
    ("learner:\n  id: x\n  constraints: {start: 2027-13}\n", "YYYY-MM"),
    ("learner:\n  id: x\n  constraints: {budget: -5}\n", "budget must be >= 0"),
    ("learner:\n  id: x\n  constraints: {exclude_providers: [nobody]}\n", "unknown provider nobody"),
    ("learner:\n  id: x\n  constrains: {}\n", 'unknown key "constrains"'),
    ("courses: []\n", 'unknown key "courses"'),
])
def test_bad_profiles_are_rejected_clearly(tmp_path: Path, catalog, body: str, expected: str) -> None:
    with pytest.raises(CatalogError) as info:
        load_learner(profile(tmp_path, body), catalog)
    assert expected in str(info.value)
    assert "learner.yaml" in str(info.value)


def test_start_accepts_seasons_and_dates(tmp_path: Path) -> None:
    for start, term in [("2027-fall", Term(2027, 2)), ("2027-05", Term(2027, 1)),
                        ("2027-09-15", Term(2027, 2))]:
        learner = load_learner(profile(tmp_path, f"learner: {{id: x, constraints: {{start: {start}}}}}\n"))
        assert learner.constraints.start == term


def test_write_learner_round_trips_and_is_atomic(tmp_path: Path, examples_dir: Path, catalog) -> None:
    priya = load_learner(examples_dir / "learner-priya.yaml", catalog)
    out = tmp_path / "priya.yaml"
    write_learner(priya, out)
    again = load_learner(out, catalog)
    assert learner_to_data(again) == learner_to_data(priya)
    assert [p.name for p in tmp_path.iterdir()] == ["priya.yaml"]  # no temp file left behind


def test_a_failed_write_leaves_the_old_file_whole(tmp_path: Path, monkeypatch) -> None:
    import os

    out = tmp_path / "profile.yaml"
    out.write_text("learner: {id: old}\n")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    from pathways.errors import WriteError

    with pytest.raises(WriteError, match="No space left on device"):
        write_learner(learner_from_data({"learner": {"id": "new"}}), out)
    assert out.read_text() == "learner: {id: old}\n"
    assert [p.name for p in tmp_path.iterdir()] == ["profile.yaml"]


def test_learner_from_data_without_catalog_skips_reference_checks() -> None:
    learner = learner_from_data({"learner": {"id": "x", "goals": {"credentials": ["ANY"]}}})
    assert learner.goals.credentials == ("ANY",)


def test_a_typo_does_not_hide_the_profiles_other_problems(tmp_path: Path, catalog) -> None:
    path = profile(tmp_path, """
        learner:
          id: me
          completed:
            - course: NOPE-1
              date: 2024-01-01
              expirs: 2026-01-01
          goal:
            credentials: [UT-CERT-DA]
        """)
    with pytest.raises(CatalogError) as info:
        load_learner(path, catalog)
    assert [(d.line, d.path, d.message) for d in info.value.diagnostics] == [
        (6, "learner.completed[0].expirs", 'unknown key "expirs" (did you mean "expires"?)'),
        (7, "learner.goal", 'unknown key "goal" (did you mean "goals"?)'),
        (4, "learner.completed[0].course", "unknown course NOPE-1"),
    ]
