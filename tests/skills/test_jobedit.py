"""Editing a job read from an ad (skills/jobedit.py): search by label, rows to a job, the job
as a catalog file that loads back to the same job."""

from __future__ import annotations

import pytest
import yaml

from pathways.domain import Job, JobSkill
from pathways.errors import InvalidParameterError
from pathways.io import catalog_from_data, load_catalog
from pathways.skills import gap_analysis
from pathways.skills.jobedit import job_from_rows, job_yaml, search_skills
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(SAMPLE)


def test_search_finds_labels_and_alternative_labels(catalog) -> None:
    found = search_skills(catalog.skills, "sql")
    assert found[0].label == "SQL"  # the label itself first
    assert all("sql" in (s.label + " ".join(s.alt_labels)).casefold() for s in found)
    both = search_skills(catalog.skills, "data analysis")
    assert both and all(all(w in (s.label + " " + " ".join(s.alt_labels)).casefold()
                            for w in ("data", "analysis")) for s in both)
    assert search_skills(catalog.skills, "   ") == [] and len(search_skills(catalog.skills, "a", limit=3)) == 3


def test_rows_to_job_and_back_through_yaml(catalog) -> None:
    ids = list(catalog.skills)[:3]
    rows = [{"skill": ids[0], "essential": True, "level": 3},
            {"skill": ids[1], "essential": False, "level": 1},
            {"skill": ids[0], "essential": False, "level": 1},  # a repeat: the first row wins
            {"skill": None}]
    job = job_from_rows(rows, job_id="ad-1", title="Data analyst at Acme")
    assert job.skills == (JobSkill(ids[0], 1.0, True, 3), JobSkill(ids[1], 0.5, False, 1))
    text = job_yaml(job, {s: catalog.skills[s].label for s in ids}, source="read from a job ad")
    assert text.startswith("# Job edited in pathways, read from a job ad.")
    loaded = catalog_from_data(yaml.safe_load(text)).catalog
    assert loaded.jobs["ad-1"] == Job("ad-1", "Data analyst at Acme", job.skills)
    assert loaded.skills[ids[0]].label == catalog.skills[ids[0]].label


def test_edited_levels_change_the_gap(catalog) -> None:
    from pathways.io import load_learner

    maria = load_learner(SAMPLE / "learners" / "career-changer-maria.yaml", catalog)
    held = [s for s in gap_analysis(catalog, maria).held.levels]
    skill = held[0]
    easy = job_from_rows([{"skill": skill, "essential": True, "level": 1}])
    hard = job_from_rows([{"skill": skill, "essential": True, "level": 4}])
    assert gap_analysis(catalog, maria, easy).readiness > gap_analysis(catalog, maria, hard).readiness


@pytest.mark.parametrize("level", [0, 5, "two"])
def test_bad_levels_name_the_skill(level: object) -> None:
    with pytest.raises(InvalidParameterError, match="level of esco:x"):
        job_from_rows([{"skill": "esco:x", "level": level}])
