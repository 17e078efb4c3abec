"""Batch scoring: the sparse products agree with the per-learner definitions."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from pathways.domain import Job, JobSkill
from pathways.io import load_catalog, load_learner
from pathways.skills.batch import (
    course_matrix,
    encode_jobs,
    encode_levels,
    level_indicators,
    readiness_matrix,
    requirement_matrix,
    top_courses,
)
from pathways.skills.gap import readiness
from pathways.skills.learner import learner_skills
from pathways.skills.recommend import CourseRecommender
from tests.conftest import EXAMPLES


def _random(seed: int, n_learners: int = 40, n_jobs: int = 15, n_skills: int = 12):
    rng = np.random.default_rng(seed)
    held = sparse.random(n_learners, n_skills, density=0.3, random_state=rng, format="csr",
                         data_rvs=lambda k: rng.integers(1, 5, k)).astype(np.int8)
    required = sparse.random(n_jobs, n_skills, density=0.3, random_state=rng, format="csr",
                             data_rvs=lambda k: rng.integers(1, 5, k)).astype(np.int8)
    importance = required.copy().astype(np.float32)
    importance.data = rng.choice([1.0, 0.5, 0.3], importance.data.size).astype(np.float32)
    return held, required, importance


def _job(required: sparse.csr_matrix, importance: sparse.csr_matrix, j: int) -> Job:
    row, w = required.getrow(j), importance.getrow(j)
    return Job(str(j), str(j), tuple(JobSkill(str(s), float(w[0, s]), w[0, s] == 1.0, int(lv))
                                     for s, lv in zip(row.indices, row.data, strict=True)))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_readiness_matrix_matches_definition(seed: int) -> None:
    held, required, importance = _random(seed)
    got = readiness_matrix(held, required, importance).toarray()
    for i in range(held.shape[0]):
        levels = {str(s): int(v) for s, v in zip(held.getrow(i).indices, held.getrow(i).data, strict=True)}
        for j in range(required.shape[0]):
            job = _job(required, importance, j)
            expected = readiness(levels, job) if job.skills else 0.0
            assert got[i, j] == pytest.approx(expected, abs=1e-4)


def test_indicators_and_requirements_shapes() -> None:
    H = level_indicators(sparse.csr_matrix(np.array([[0, 3], [4, 1]])))
    assert H.shape == (2, 8) and H.sum() == 8
    assert H.toarray()[0].tolist() == [0, 0, 0, 0, 1, 1, 1, 0]
    R = requirement_matrix(np.array([[0, 2], [0, 0]]), np.array([[0, 1.0], [0, 0]]))
    assert R.toarray()[0, 4:6].tolist() == [0.5, 0.5] and R.getrow(1).nnz == 0


def test_encoders_round_trip() -> None:
    vocab = ["a", "b", "c"]
    X = encode_levels([{"a": 2}, {}, {"c": 4, "zz": 1}], vocab)
    assert X.toarray().tolist() == [[2, 0, 0], [0, 0, 0], [0, 0, 4]]
    req, imp = encode_jobs([Job("j", "j", (JobSkill("b", 0.5, False, 3),))], vocab)
    assert req.toarray().tolist() == [[0, 3, 0]] and imp.toarray().tolist() == [[0, 0.5, 0]]


def test_top_courses_match_brute_force() -> None:
    rng = np.random.default_rng(7)
    held, required, importance = _random(7, n_learners=30, n_jobs=5, n_skills=10)
    courses = sparse.random(25, 10, density=0.2, random_state=rng, format="csr",
                            data_rvs=lambda k: rng.integers(1, 5, k)).astype(np.int8)
    hours = rng.integers(5, 40, 25).astype(float)
    goal = rng.integers(0, 5, 30)
    owned = sparse.random(30, 25, density=0.1, random_state=rng, format="csr")
    R = requirement_matrix(required, importance)
    idx, score = top_courses(held, R[goal], level_indicators(courses), hours,
                             held_courses=owned, k=4)
    for i in range(30):
        base = {s: v for s, v in zip(held.getrow(i).indices, held.getrow(i).data, strict=True)}
        job = _job(required, importance, int(goal[i]))
        job = Job(job.id, job.title, tuple(JobSkill(int(s.skill), s.importance, s.essential, s.level)
                                           for s in job.skills))  # type: ignore[arg-type]
        gains = []
        for c in range(25):
            if owned[i, c] != 0:
                continue
            after = dict(base)
            for s, lv in zip(courses.getrow(c).indices, courses.getrow(c).data, strict=True):
                after[s] = max(after.get(s, 0), lv)
            g = (readiness(after, job) - readiness(base, job)) / hours[c] if job.skills else 0.0
            if g > 1e-9:
                gains.append((-round(g, 5), c))
        gains.sort()
        expected = [c for _, c in gains[:4]]
        got = [c for c in idx[i].tolist() if c >= 0]
        assert [round(-g, 3) for g, _ in gains[:4]] == pytest.approx(score[i, :len(got)].tolist(), abs=1e-3)
        assert len(got) == len(expected)


def test_top_courses_charge_missing_prerequisites() -> None:
    rng = np.random.default_rng(3)
    held, required, importance = _random(3, n_learners=20, n_jobs=3, n_skills=8)
    courses = sparse.random(12, 8, density=0.3, random_state=rng, format="csr",
                            data_rvs=lambda k: rng.integers(1, 5, k)).astype(np.int8)
    hours = rng.integers(5, 40, 12).astype(float)
    chains = sparse.random(12, 12, density=0.2, random_state=rng, format="csr")
    chains.data = hours[chains.indices]
    owned = sparse.random(20, 12, density=0.2, random_state=rng, format="csr")
    goal = rng.integers(0, 3, 20)
    R = requirement_matrix(required, importance)
    C = level_indicators(courses)
    plain_idx, plain = top_courses(held, R[goal], C, hours, held_courses=owned, k=12)
    idx, score = top_courses(held, R[goal], C, hours, held_courses=owned, chains=chains, k=12)
    for i in range(20):
        gains = {c: s * hours[c] for c, s in zip(plain_idx[i], plain[i], strict=True) if c >= 0}
        got = {c: s for c, s in zip(idx[i], score[i], strict=True) if c >= 0}
        assert set(got) == set(gains)
        for c, g in gains.items():
            row = chains.getrow(c)
            missing = sum(h for p, h in zip(row.indices, row.data, strict=True) if owned[i, p] == 0)
            assert got[c] == pytest.approx(g / (hours[c] + missing), rel=1e-4)


def test_recommender_predict_on_priya() -> None:
    cat = load_catalog(EXAMPLES / "catalog.yaml")
    priya = load_learner(EXAMPLES / "learner-priya.yaml", cat)
    rec = CourseRecommender(top_k=3).fit(cat)
    vocab = rec.vocabulary_
    levels = encode_levels([learner_skills(cat, priya).levels], vocab)
    job = cat.jobs[priya.goals.job]
    R = requirement_matrix(*encode_jobs([job], vocab))
    owned = sparse.csr_matrix(([1, 1], ([0, 0], [rec.course_ids_.index("UT-DA-100"),
                                                 rec.course_ids_.index("UT-STAT-1")])),
                              shape=(1, len(rec.course_ids_)))
    idx, score = rec.predict(levels, R, held_courses=owned)
    # UT-VIZ-1 (16.9 points / 24 h) first; UT-CAP-1 (16.9 points) carries UT-DA-101 and
    # UT-PY-1 (UT-DA-100 and UT-STAT-1 of its chain are held): 16.9 / 92 h
    assert rec.course_ids_[idx[0, 0]] == "UT-VIZ-1"
    assert score[0, 0] == pytest.approx(100 / 5.9 / 24, rel=1e-5)
    all_idx, all_score = rec.predict(levels, R, held_courses=owned, k=20)
    got = dict(zip((rec.course_ids_[i] for i in all_idx[0] if i >= 0), all_score[0].tolist()))
    assert got["UT-CAP-1"] == pytest.approx(100 / 5.9 / 92, rel=1e-5)
    assert "UT-STAT-1" not in got and "UT-DA-100" not in got
    M, vocab2, ids, hours, costs = course_matrix(cat)
    assert M.shape[0] == len(ids) == len(hours) == len(costs) and vocab2 == vocab
