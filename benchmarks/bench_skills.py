"""Benchmarks of the skills engine (run on demand: ``python benchmarks/bench_skills.py``).

Prints a table of medians against the targets of issue 4:

- gap + ranked recommendations (with explanations) for one learner, 10k-course catalog: < 20 ms
- the optimal bundle (exact MILP over the relevant courses only): < 200 ms
- readiness of 100k learners x 1k jobs over a 10k-skill vocabulary: < 10 s and < 4 GB
- top-10 course suggestions for 100k learners over 10k courses: < 10 s

``--quick`` uses smaller sizes (a smoke test, not the targets).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import resource
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import sparse

from pathways.domain import Catalog, Goals, Holding, LearnerProfile, SkillLevel
from pathways.skills.batch import encode_jobs, readiness_matrix, requirement_matrix
from pathways.skills.recommend import CourseRecommender

AS_OF = dt.date(2027, 1, 1)


#: CPU seconds of every timed call, by benchmark (reported beside the wall-clock medians:
#: on a shared, oversubscribed machine wall time overstates the cost).
CPU: dict[str, list[float]] = {}


def _median(func: Callable[[], Any], repeat: int, name: str = "") -> tuple[float, Any]:
    times = []
    out = None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        out = func()
        times.append(time.perf_counter() - t)
        CPU.setdefault(name, []).append(time.process_time() - c)
    return statistics.median(times), out


def _peak_gb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def _learners(cat: Catalog, n: int, seed: int) -> list[tuple[LearnerProfile, str]]:
    """Learners who took a few courses of their goal job's area and declare a skill or two."""
    rng = np.random.default_rng(seed)
    jobs = list(cat.jobs.values())
    by_skill: dict[str, list[str]] = {}
    for c in cat.courses.values():
        for s in c.skills:
            by_skill.setdefault(s.skill, []).append(c.id)
    out = []
    for i in range(n):
        job = jobs[int(rng.integers(len(jobs)))]
        near = sorted({c for s in job.skills for c in by_skill.get(s.skill, [])})
        took = rng.choice(near, size=min(len(near), 3), replace=False) if near else []
        skills = tuple(SkillLevel(s.skill, 1) for s in job.skills[:2])
        me = LearnerProfile(f"L{i}", completed=tuple(Holding("course", str(c), dt.date(2025, 1, 1))
                                                      for c in took),
                            skills=skills, goals=Goals(job=job.id))
        out.append((me, job.id))
    return out


def bench_single(n_courses: int, repeat: int) -> list[tuple[str, float, str]]:
    from pathways.synth import synthetic_catalog

    t = time.perf_counter()
    cat = synthetic_catalog(n_courses, seed=0)
    build = time.perf_counter() - t
    t = time.perf_counter()
    rec = CourseRecommender().fit(cat)
    fit = time.perf_counter() - t
    people = _learners(cat, 15, seed=1)
    ranked, bundle, with_creds, sizes = [], [], [], []
    for me, job in people:
        dt_rank, items = _median(lambda: rec.rank(me, job, as_of=AS_OF), repeat, "rank")
        if not all(r.reason for r in items):
            raise SystemExit("a ranked course has no explanation")
        ranked.append(dt_rank)
        dt_b, b = _median(lambda: rec.bundle(me, job, credentials=False, as_of=AS_OF), repeat,
                              "bundle")
        bundle.append(dt_b)
        sizes.append(len(b.items))
        dt_c, _ = _median(lambda: rec.bundle(me, job, as_of=AS_OF), max(1, repeat // 3), "credentials")
        with_creds.append(dt_c)
    n = f"{len(cat.courses):,} courses, {len(people)} learners"
    return [
        ("synthetic catalog build (setup)", build, f"{n_courses:,} courses"),
        ("CourseRecommender.fit (setup)", fit, f"{len(rec.vocabulary_):,} skills"),
        ("gap + ranked (explained), one learner", statistics.median(ranked), n + "; target < 20 ms"),
        ("optimal bundle (MILP), one learner", statistics.median(bundle),
         f"{n}; median {statistics.median(sizes):g} courses; target < 200 ms"),
        ("bundle + credentials earned/nearly", statistics.median(with_creds), n),
    ]


def bench_readiness(n_learners: int, n_jobs: int, n_skills: int, repeat: int) -> list[tuple[str, float, str]]:
    rng = np.random.default_rng(2)
    # skill popularity is skewed (a few skills are everywhere), as in ESCO
    popularity = 1.0 / np.arange(1, n_skills + 1) ** 0.8
    popularity /= popularity.sum()

    def random_levels(rows: int, per_row: int) -> sparse.csr_matrix:
        cols = rng.choice(n_skills, size=(rows, per_row), p=popularity)
        data = rng.integers(1, 5, size=rows * per_row).astype(np.int8)
        m = sparse.csr_matrix((data, (np.repeat(np.arange(rows), per_row), cols.ravel())),
                              shape=(rows, n_skills))
        m.sum_duplicates()
        m.data = np.minimum(m.data, 4).astype(np.int8)
        return m

    held = random_levels(n_learners, 20)
    required = random_levels(n_jobs, 25)
    importance = required.astype(np.float32)
    importance.data = rng.choice(np.array([1.0, 0.5, 0.3], np.float32), importance.nnz)
    gc.collect()
    before = _peak_gb()
    dt_r, R = _median(lambda: readiness_matrix(held, required, importance), repeat, "readiness")
    return [("readiness learners x jobs (sparse)", dt_r,
             f"{n_learners:,} x {n_jobs:,} over {n_skills:,} skills; {R.nnz:,} nonzero; "
             f"peak RSS {_peak_gb():.2f} GB (before {before:.2f}); target < 10 s, < 4 GB")]


def bench_top_courses(n_learners: int, n_courses: int, repeat: int) -> list[tuple[str, float, str]]:
    from pathways.synth import synthetic_catalog

    cat = synthetic_catalog(n_courses, seed=0)
    rec = CourseRecommender(top_k=10).fit(cat)
    rng = np.random.default_rng(3)
    vocab = rec.vocabulary_
    jobs = list(cat.jobs.values())
    req, imp = encode_jobs(jobs, vocab)
    R = requirement_matrix(req, imp)
    goal = rng.integers(0, len(jobs), n_learners)
    # each learner holds some skills of their goal job (levels 1-2) and a few courses
    per = 8
    req = req.tocsr()
    length = np.diff(req.indptr)[goal]
    offset = (rng.random((n_learners, per)) * np.maximum(length, 1)[:, None]).astype(np.int64)
    cols = np.where(length[:, None] > 0, req.indices[np.minimum(req.indptr[goal][:, None] + offset,
                                                                 req.indices.size - 1)],
                    rng.integers(0, len(vocab), (n_learners, per)))
    levels = sparse.csr_matrix((rng.integers(1, 3, n_learners * per).astype(np.int8),
                                (np.repeat(np.arange(n_learners), per), cols.ravel())),
                               shape=(n_learners, len(vocab)))
    levels.sum_duplicates()
    levels.data = np.minimum(levels.data, 4).astype(np.int8)
    owned = sparse.csr_matrix((np.ones(n_learners * 5, np.int8),
                               (np.repeat(np.arange(n_learners), 5),
                                rng.integers(0, len(rec.course_ids_), n_learners * 5))),
                              shape=(n_learners, len(rec.course_ids_)))
    goals = R[goal]
    gc.collect()
    dt_t, (idx, _) = _median(lambda: rec.predict(levels, goals, held_courses=owned, k=10), repeat, "top")
    filled = float((idx >= 0).sum(axis=1).mean())
    return [("top-10 courses for many learners", dt_t,
             f"{n_learners:,} learners x {len(rec.course_ids_):,} courses; {filled:.1f} suggestions "
             f"a learner; prerequisites charged; peak RSS {_peak_gb():.2f} GB; target < 10 s")]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    if args.quick:
        sizes = dict(courses=1000, learners=5000, jobs=100, skills=1000)
    else:
        sizes = dict(courses=10000, learners=100000, jobs=1000, skills=10000)
    rows = []
    rows += bench_single(sizes["courses"], args.repeat)
    rows += bench_readiness(sizes["learners"], sizes["jobs"], sizes["skills"], max(1, args.repeat // 2))
    rows += bench_top_courses(sizes["learners"], sizes["courses"], max(1, args.repeat // 2))
    keys = [None, None, "rank", "bundle", "credentials", "readiness", "top"]
    width = max(len(r[0]) for r in rows)

    def fmt(seconds: float) -> str:
        return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"

    print(f"{'benchmark':<{width}}  {'wall':>10}  {'cpu':>10}  notes")
    for (name, seconds, note), key in zip(rows, keys, strict=True):
        cpu = fmt(statistics.median(CPU[key])) if key in CPU else ""
        print(f"{name:<{width}}  {fmt(seconds):>10}  {cpu:>10}  {note}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
