"""Learner skills and gap analysis: priya against the data analyst job, worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from pathways.domain import (
    AllOf,
    Catalog,
    Choose,
    Course,
    Credential,
    Holding,
    Job,
    JobSkill,
    LearnerProfile,
    MinHours,
    Ref,
    SkillLevel,
)
from pathways.errors import PathwaysError
from pathways.io import load_catalog, load_learner
from pathways.skills.gap import gap_analysis, readiness
from pathways.skills.learner import LearnerSkills, guaranteed_skills, learner_skills
from tests.conftest import EXAMPLES

ANALYST = "esco-occ:d3edb8f8-3a06-47a0-8fb9-9b212c006aa2"
SQL = "esco:598de5b0-5b58-4ea7-8058-a4bc4d18c742"
STATS = "esco:7ee4c2ea-b349-4bd2-81a3-ec31475d4833"
ETHICS = "esco:cef5c0f8-1e40-4c09-b6a7-aa7811849e5d"
AI = "esco:e465a154-93f7-4973-9ce1-31659fe16dd2"
DQA = "esco:cc7370dd-69fa-4c67-a96f-d4d135d38700"
ANALYSIS = "esco:2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f"
VIZ = "esco:348b74cd-49ce-4844-8bdf-ec188b497213"
PYTHON = "esco:ccd0a1d9-afda-43d9-b901-96344886e14d"
BI = "esco:143769cb-b61e-47d8-a61e-eedfbec1016c"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(EXAMPLES / "catalog.yaml")


@pytest.fixture(scope="module")
def priya(catalog: Catalog) -> LearnerProfile:
    return load_learner(EXAMPLES / "learner-priya.yaml", catalog)


def test_priya_skills_and_expired_badge(catalog: Catalog, priya: LearnerProfile) -> None:
    held = learner_skills(catalog, priya)
    assert held.as_of == dt.date(2027, 1, 1)  # the start term of her plan
    assert held.level(STATS) == 2  # UT-STAT-1 teaches level 2, UT-DA-100 level 1: the max
    assert held.level(SQL) == 1  # declared
    # AU-AIE-1 (2022-03-01, valid 36 months) expired on 2025-03-01: one level lower each
    assert held.level(ETHICS) == 1
    assert held.level(AI) == 0 and AI not in held.levels
    assert "expired 2025-03-01" in held.explain(ETHICS, catalog)
    assert held.valid_courses == {"UT-DA-100", "UT-STAT-1"}
    assert held.completed_courses == {"UT-DA-100", "UT-STAT-1", "AU-AIE-1"}
    # before the expiry the badge counts in full
    early = learner_skills(catalog, priya, as_of=dt.date(2024, 12, 1))
    assert early.level(ETHICS) == 2 and early.level(AI) == 1
    assert "AU-AIE-1" in early.valid_courses
    # a course completed after the as-of date does not count yet
    assert learner_skills(catalog, priya, as_of=dt.date(2024, 6, 1)).level(STATS) == 1


def test_priya_gap_for_data_analyst(catalog: Catalog, priya: LearnerProfile) -> None:
    report = gap_analysis(catalog, priya)  # the goal job
    assert report.job == ANALYST and report.title == "data analyst"
    stats = report.skill(STATS)
    assert (stats.required_level, stats.held_level, stats.deficit, stats.met) == (2, 2, 0, True)
    assert "UT-STAT-1" in stats.held_from
    sql = report.skill(SQL)
    assert (sql.required_level, sql.held_level, sql.deficit, sql.essential) == (2, 1, 1, True)
    assert report.skill(BI).importance == 0.4 and not report.skill(BI).essential
    # essential gaps first, met skills last
    essentials = [s.skill for s in report.skills[:4]]
    assert set(essentials) == {ANALYSIS, VIZ, DQA, SQL}
    assert report.skills[-1].skill == STATS
    assert [s.skill for s in report.essential_gaps] == essentials
    # (stats 1 + sql 1/2) over weights 5 essential + 0.5 optional + 0.4
    assert report.readiness == pytest.approx(100 * 1.5 / 5.9)
    data = report.to_dict()
    assert set(data) >= {"job", "readiness", "skills"}
    assert set(data["skills"][0]) >= {"skill", "label", "importance", "required_level",
                                      "held_level", "deficit"}


def test_unknown_job_and_missing_goal(catalog: Catalog, priya: LearnerProfile) -> None:
    with pytest.raises(PathwaysError, match="not a job of the catalog"):
        gap_analysis(catalog, priya, "no-such-job")
    assert gap_analysis(catalog, priya, "Data Analyst").job == ANALYST  # a unique title
    with pytest.raises(PathwaysError, match="did you mean esco-occ:d3edb8f8"):
        gap_analysis(catalog, priya, "data analyts")
    with pytest.raises(PathwaysError, match="no goal job"):
        gap_analysis(catalog, LearnerProfile("x"))


def test_readiness_formula() -> None:
    job = Job("j", "j", (JobSkill("a", 1.0, True, 3), JobSkill("b", 0.25, False, 1)))
    assert readiness({}, job) == 0.0
    assert readiness({"a": 1}, job) == pytest.approx(100 * (1 / 3) / 1.25)
    assert readiness({"a": 4, "b": 2}, job) == pytest.approx(100.0)  # above required: capped
    assert readiness({}, Job("e", "empty")) == 100.0


def _catalog_with_credential() -> Catalog:
    courses = {c: Course(c, c, 10, skills=(SkillLevel("s", lv), SkillLevel(f"only-{c}", 1)))
               for c, lv in (("A", 1), ("B", 2), ("C", 3), ("D", 4))}
    inner = Credential("INNER", "inner", "microcredential", AllOf((Ref("D"),)))
    outer = Credential("OUTER", "outer", "certificate",
                       AllOf((Ref("A"), Choose(2, (Ref("B"), Ref("C"), Ref("D"))),
                              MinHours(10, ("D",)), Ref("INNER"))))
    return Catalog(courses=courses, credentials={"INNER": inner, "OUTER": outer})


def test_credential_teaches_what_every_way_of_earning_it_teaches() -> None:
    cat = _catalog_with_credential()
    got = guaranteed_skills(cat, cat.credentials["OUTER"].requires)
    # A always; choose 2 of B, C, D guarantees the 2nd smallest level (3); INNER gives D: 4
    assert got == {"s": 4, "only-A": 1, "only-D": 1}
    without_inner = AllOf((Ref("A"), Choose(2, (Ref("B"), Ref("C"), Ref("D")))))
    assert guaranteed_skills(cat, without_inner) == {"s": 3, "only-A": 1}
    me = LearnerProfile("me", completed=(Holding("credential", "OUTER", dt.date(2024, 1, 1)),))
    held = learner_skills(cat, me, as_of=dt.date(2025, 1, 1))
    assert held.level("s") == 4 and held.earned_credentials == {"OUTER"}
    assert "credential OUTER" in held.explain("s")
    # a credential whose holding expired counts one level lower
    old = LearnerProfile("old", completed=(Holding("credential", "OUTER", dt.date(2020, 1, 1),
                                                   expires=dt.date(2022, 1, 1)),))
    held = learner_skills(cat, old, as_of=dt.date(2025, 1, 1))
    assert held.level("s") == 3 and "only-A" not in held.levels and not held.earned_credentials


class _FakeExtractor:
    def predict(self, texts: list[str]) -> list[list[tuple[str, str, float]]]:
        return [[("sql", "SQL", 0.9), ("python", "Python", 0.2)] for _ in texts]


def test_cv_skills_count_at_level_one() -> None:
    cat = Catalog()
    me = LearnerProfile("me", skills=(SkillLevel("sql", 3),), cv_text="I write SQL and Python.")
    held = learner_skills(cat, me, as_of=dt.date(2025, 1, 1), extractor=_FakeExtractor())
    assert held.levels == {"sql": 3, "python": 1}  # max over sources
    assert [s.kind for s in held.sources["sql"]] == ["declared", "cv"]
    assert "read from the CV" in held.explain("python")
    strict = learner_skills(cat, me, as_of=dt.date(2025, 1, 1), extractor=_FakeExtractor(),
                            cv_threshold=0.5)
    assert "python" not in strict.levels
    # no extractor: the CV is not read
    assert "python" not in learner_skills(cat, me, as_of=dt.date(2025, 1, 1)).levels


def test_gap_accepts_precomputed_skills(catalog: Catalog) -> None:
    held = LearnerSkills.from_levels({SQL: 2, STATS: 3}, learner="x")
    report = gap_analysis(catalog, held, ANALYST)
    assert report.skill(SQL).met and report.skill(STATS).met
    assert report.skill(PYTHON).deficit == 2
