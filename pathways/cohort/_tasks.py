"""What a worker does with one batch of learners (module-level functions: Dask ships them by
name). Every function takes the catalog first, returns plain data, and turns a learner's
problem (a profile that does not fit, a target that is not a credential) into that learner's
error row: a batch never stops for one learner.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from pathways.cohort._learners import LearnerInput
from pathways.domain import Catalog, LearnerProfile
from pathways.errors import PathwaysError

__all__ = ["plan_batch", "readiness_batch", "recommend_batch", "summary_batch"]

# per worker process: the graph and matrices of the catalog(s) it was sent, built once
_CACHE: dict[tuple[int, str], tuple[Catalog, Any]] = {}


def _cached(catalog: Catalog, name: str, build: Any) -> Any:
    key = (id(catalog), name)
    found = _CACHE.get(key)
    if found is None or found[0] is not catalog:
        if len(_CACHE) > 32:
            _CACHE.clear()
        found = _CACHE[key] = (catalog, build())
    return found[1]


def _profile(catalog: Catalog, item: LearnerInput) -> LearnerProfile | str:
    """The validated profile, or the loader's message."""
    from pathways.io import learner_from_data

    data = item.data
    if isinstance(data, dict) and "__error__" in data:
        return str(data["__error__"])
    if isinstance(data, dict) and isinstance(data.get("learner"), dict) and "badges" in data["learner"]:
        data = {**data, "learner": {k: v for k, v in data["learner"].items() if k != "badges"}}
    try:
        return learner_from_data(data, source=item.source, catalog=catalog)
    except PathwaysError as err:
        return str(err)


def _timed(rows: Any, start: float) -> tuple[Any, tuple[float, float, str]]:
    """The result with when the task ran: the seconds it took (its own clock: what the run's
    overhead is measured against), when it ended (epoch seconds) and where (host:pid), from
    which the run tells scheduling gaps from start-up and the wait for the last tasks."""
    spent = time.perf_counter() - start
    return rows, (spent, time.time(), f"{socket.gethostname()}:{os.getpid()}")


# --------------------------------------------------------------------------- plans
def plan_batch(catalog: Catalog, batch: Sequence[LearnerInput], options: dict[str, Any]
               ) -> tuple[list[dict[str, Any]], float]:
    """One row per learner and target: the plan's outcome, or the learner's error."""
    from pathways.graph import build_graph
    from pathways.planner import plan

    start = time.perf_counter()
    graph = _cached(catalog, "graph", lambda: build_graph(catalog))
    today = dt.date.fromisoformat(options["today"]) if options.get("today") else None
    rows: list[dict[str, Any]] = []
    for item in batch:
        learner = _profile(catalog, item)
        if isinstance(learner, str):
            rows.append(_plan_row(item.id, None, error=learner))
            continue
        targets = options.get("targets") or list(learner.goals.credentials)
        if not targets:
            rows.append(_plan_row(item.id, None, error="no target: the learner has no goal "
                                  "credential and none was given (--target)"))
            continue
        for target in targets:
            try:
                p = plan(catalog, learner, [target], objective=options.get("objective", "hours"),
                         graph=graph, time_limit=options.get("time_limit", 10.0),
                         explain=False, today=today)
            except PathwaysError as err:
                rows.append(_plan_row(item.id, target, error=str(err)))
                continue
            rows.append(_plan_row(
                item.id, target, feasible=p.feasible, optimal=p.optimal, status=p.status,
                hours=p.total_hours if p.feasible else None,
                cost=p.total_cost if p.feasible else None, currency=p.currency,
                terms=p.terms if p.feasible else None,
                start=str(p.start) if p.start else None,
                completion=p.completion.isoformat() if p.completion else None,
                courses=[c.id for c in p.courses], reason=p.reason or ""))
    return _timed(rows, start)


def _plan_row(learner: str, target: str | None, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"learner": learner, "target": target, "feasible": None,
                           "optimal": None, "status": "", "hours": None, "cost": None,
                           "currency": None, "terms": None, "start": None, "completion": None,
                           "courses": [], "reason": "", "error": ""}
    row.update(values)
    return row


# --------------------------------------------------------------------------- readiness
def _levels(catalog: Catalog, learners: Sequence[LearnerProfile], today: dt.date | None
            ) -> list[dict[str, int]]:
    from pathways.skills import learner_skills

    return [dict(learner_skills(catalog, learner, as_of=today).levels) for learner in learners]


def readiness_batch(catalog: Catalog, batch: Sequence[LearnerInput], options: dict[str, Any]
                    ) -> tuple[tuple[list[str], list[str], np.ndarray], float]:
    """Readiness (0-100) of each learner for each job of ``options["jobs"]`` (ids of the
    catalog's jobs and of the extra jobs sent along), as (learners, errors, matrix)."""
    from pathways.skills.batch import encode_jobs, encode_levels, readiness_matrix

    start = time.perf_counter()
    jobs = options["job_objects"]
    today = dt.date.fromisoformat(options["today"]) if options.get("today") else None
    vocab = _cached(catalog, "vocab-jobs", lambda: sorted({s.skill for j in jobs for s in j.skills}))
    required, importance = _cached(catalog, "jobs-matrix", lambda: encode_jobs(jobs, vocab))
    ids, errors, good = [], [], []
    for item in batch:
        learner = _profile(catalog, item)
        ids.append(item.id)
        errors.append(learner if isinstance(learner, str) else "")
        good.append(learner if not isinstance(learner, str) else None)
    matrix = np.full((len(batch), len(jobs)), np.nan, dtype=np.float32)
    ok = [i for i, learner in enumerate(good) if learner is not None]
    if ok and jobs:
        held = encode_levels(_levels(catalog, [good[i] for i in ok], today), vocab)  # type: ignore[misc]
        matrix[ok] = readiness_matrix(held, required, importance).toarray()
    return _timed((ids, errors, matrix), start)


# --------------------------------------------------------------------------- recommendations
def _course_tables(catalog: Catalog) -> Any:
    from pathways.skills.batch import course_matrix, prerequisite_chains

    courses, vocab, ids, hours, _costs = course_matrix(catalog)
    return courses, vocab, ids, hours, prerequisite_chains(catalog, ids)


def _suggestions(catalog: Catalog, learners: Sequence[LearnerProfile], k: int,
                 today: dt.date | None) -> list[list[tuple[str, float]]]:
    """For each learner, the ``k`` courses with the most readiness gain per hour for the
    goal job (prerequisite hours included; held courses never suggested)."""
    from scipy import sparse

    from pathways.skills.batch import encode_levels, requirement_matrix

    courses, vocab, ids, hours, chains = _cached(catalog, "courses", lambda: _course_tables(catalog))
    index = {c: i for i, c in enumerate(ids)}
    column = {s: i for i, s in enumerate(vocab)}
    out: list[list[tuple[str, float]]] = [[] for _ in learners]
    rows = [i for i, learner in enumerate(learners) if learner.goals.job in catalog.jobs]
    if not rows:
        return out
    chosen = [learners[i] for i in rows]
    levels = _levels(catalog, chosen, today)
    held = encode_levels(levels, vocab)
    req = np.zeros((len(rows), len(vocab)), dtype=np.int8)
    imp = np.zeros((len(rows), len(vocab)), dtype=np.float32)
    for r, learner in enumerate(chosen):
        for s in catalog.jobs[learner.goals.job].skills:  # type: ignore[index]
            if s.skill in column:
                req[r, column[s.skill]] = s.level
                imp[r, column[s.skill]] = s.importance
    goal = requirement_matrix(req, imp)
    done = sparse.lil_matrix((len(rows), len(ids)), dtype=np.float32)
    for r, learner in enumerate(chosen):
        for h in learner.completed:
            if h.kind == "course" and h.id in index:
                done[r, index[h.id]] = 1
    from pathways.skills.batch import top_courses

    top, score = top_courses(held, goal, courses, hours, held_courses=done.tocsr(),
                             chains=chains, k=k)
    for r, i in enumerate(rows):
        out[i] = [(ids[c], float(s)) for c, s in zip(top[r], score[r]) if c >= 0]
    return out


def recommend_batch(catalog: Catalog, batch: Sequence[LearnerInput], options: dict[str, Any]
                    ) -> tuple[list[dict[str, Any]], float]:
    """Each learner's top ``options["top"]`` courses toward the goal job, one row each."""
    start = time.perf_counter()
    today = dt.date.fromisoformat(options["today"]) if options.get("today") else None
    learners, rows = [], []
    for item in batch:
        learner = _profile(catalog, item)
        if isinstance(learner, str):
            rows.append({"learner": item.id, "job": None, "rank": None, "course": None,
                         "points_per_hour": None, "error": learner})
        elif learner.goals.job not in catalog.jobs:
            rows.append({"learner": item.id, "job": learner.goals.job, "rank": None,
                         "course": None, "points_per_hour": None,
                         "error": "no goal job of the catalog: nothing to recommend toward"})
        else:
            learners.append(learner)
    for learner, picks in zip(learners, _suggestions(catalog, learners, options.get("top", 10), today)):
        for rank, (course, score) in enumerate(picks, 1):
            rows.append({"learner": learner.id, "job": learner.goals.job, "rank": rank,
                         "course": course, "points_per_hour": round(score, 6), "error": ""})
    return _timed(rows, start)


# --------------------------------------------------------------------------- summary
def summary_batch(catalog: Catalog, batch: Sequence[LearnerInput], options: dict[str, Any]
                  ) -> tuple[dict[str, Any], float]:
    """Counts for the cohort summary, to be added up across batches: missing essential
    skills per goal job, courses among the top suggestions, the nearest credential of each
    learner (the goal or a credential stacked in it, fewest hours still needed)."""
    from pathways.graph import build_graph
    from pathways.planner import plan
    from pathways.planner.validity import credential_scope

    start = time.perf_counter()
    today = dt.date.fromisoformat(options["today"]) if options.get("today") else None
    graph = _cached(catalog, "graph", lambda: build_graph(catalog))
    missing: Counter[tuple[str, str]] = Counter()
    suggested: Counter[str] = Counter()
    nearest: Counter[str] = Counter()
    hours: dict[str, list[float]] = {}
    errors = 0
    learners = []
    for item in batch:
        learner = _profile(catalog, item)
        if isinstance(learner, str):
            errors += 1
            continue
        learners.append(learner)
    for learner, levels in zip(learners, _levels(catalog, learners, today)):
        job = catalog.jobs.get(learner.goals.job or "")
        if job is not None:
            for s in job.skills:
                if s.essential and levels.get(s.skill, 0) < s.level:
                    missing[(job.id, s.skill)] += 1
        best: tuple[float, str] | None = None
        scope = credential_scope(catalog, [c for c in learner.goals.credentials
                                           if c in catalog.credentials])
        for cred in scope[: options.get("max_credentials", 12)]:
            p = plan(catalog, learner, [cred], graph=graph, explain=False, today=today,
                     time_limit=options.get("time_limit", 5.0))
            if p.feasible and p.courses and (best is None or (p.total_hours, cred) < best):
                best = (p.total_hours, cred)
        if best is not None:
            nearest[best[1]] += 1
            hours.setdefault(best[1], []).append(best[0])
    for picks in _suggestions(catalog, learners, options.get("top", 5), today):
        suggested.update(course for course, _ in picks)
    return _timed({"missing": missing, "suggested": suggested, "nearest": nearest,
                   "hours": hours, "learners": len(learners), "errors": errors}, start)
