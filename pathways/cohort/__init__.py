"""Cohorts at institution scale: plans, readiness and recommendations for many learners,
on a Dask cluster (a LocalCluster by default) or in this process.

- :func:`cohort_plan` -- every learner planned toward their goals (or given targets): one row
  per learner and target (feasible, optimal, hours, cost, terms, completion, courses, reason,
  or the learner's error);
- :func:`cohort_readiness` -- readiness (0-100) of every learner for every job (sparse batch
  scoring, partitioned by learners);
- :func:`cohort_recommend` -- each learner's top courses toward the goal job;
- :func:`cohort_summary` -- the cohort's most missing essential skills per job, the courses
  that would close the most gaps for the most learners, and the credentials most learners are
  nearest to.

Learners come from :func:`read_learners` (a folder of profiles, a Parquet/CSV table, or the
workspace database). Results are pandas DataFrames, sorted so that a cluster run and a
synchronous run give the same rows in the same order; :func:`write_table` writes them as
Parquet (pyarrow) or CSV, atomically. See :mod:`pathways.cohort._run` for how the work is
spread.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pathways.cohort._learners import (
    LearnerInput,
    learners_from_frame,
    learners_from_table_bytes,
    read_learners,
    synthetic_learners,
)
from pathways.cohort._run import RunStats, batch_size_for, run_batches
from pathways.domain import Catalog, Job
from pathways.errors import InvalidParameterError, PathwaysError, WriteError

__all__ = [
    "CohortResult",
    "LearnerInput",
    "RunStats",
    "batch_size_for",
    "cohort_plan",
    "cohort_readiness",
    "cohort_recommend",
    "cohort_summary",
    "learners_from_frame",
    "learners_from_table_bytes",
    "read_learners",
    "synthetic_learners",
    "table_csv",
    "write_table",
]

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class CohortResult:
    """A cohort run's table(s) and how the run went."""

    frame: Any  # pandas.DataFrame (the summary: a dict of them in ``tables``)
    stats: RunStats
    tables: dict[str, Any] | None = None


def _options(today: dt.date | None, **more: Any) -> dict[str, Any]:
    day = today or dt.date.today()
    return {"today": day.isoformat(), **more}


def _check(learners: Sequence[LearnerInput]) -> None:
    if not learners:
        raise PathwaysError("no learners in the cohort")
    seen: dict[str, str] = {}
    for item in learners:
        if item.id in seen:
            raise PathwaysError(f"learner {item.id} is in the cohort twice ({seen[item.id]} and "
                                f"{item.source}); give each learner its own id")
        seen[item.id] = item.source


def cohort_plan(catalog: Catalog, learners: Sequence[LearnerInput], *,
                targets: Sequence[str] | None = None, objective: str = "hours",
                time_limit: float = 10.0, today: dt.date | None = None,
                scheduler: str = "local", workers: int | None = None,
                batch_size: int | None = None, progress: Progress | None = None) -> CohortResult:
    """Plan every learner toward their goal credentials (or ``targets``).

    Returns
    -------
    CohortResult
        ``frame``: one row per learner and target, sorted by learner then target, with
        columns learner, target, feasible, optimal, status, hours, cost, currency, terms,
        start, completion, courses (a list), reason and error (a learner whose profile does
        not fit the catalog gets one row with the loader's message).
    """
    import pandas as pd

    from pathways.cohort._tasks import plan_batch

    _check(learners)
    if objective not in ("hours", "cost", "terms"):
        raise InvalidParameterError(f"unknown objective {objective!r}: use hours, cost or terms")
    for t in targets or ():
        if t not in catalog.credentials:
            raise PathwaysError(f"unknown target {t}: not a credential of the catalog")
    options = _options(today, targets=list(targets or []), objective=objective,
                       time_limit=time_limit)
    results, stats = run_batches(plan_batch, catalog, learners, options, scheduler=scheduler,
                                 workers=workers, batch_size=batch_size, progress=progress)
    rows = [row for batch in results for row in batch]
    frame = pd.DataFrame(rows).sort_values(["learner", "target"], na_position="first",
                                           kind="stable").reset_index(drop=True)
    return CohortResult(frame, stats)


def _jobs(catalog: Catalog, jobs: Sequence[Job] | None) -> list[Job]:
    merged = {j.id: j for j in catalog.jobs.values()}
    for job in jobs or ():
        merged.setdefault(job.id, job)
    return [merged[k] for k in sorted(merged)]


def cohort_readiness(catalog: Catalog, learners: Sequence[LearnerInput], *,
                     jobs: Sequence[Job] | None = None, today: dt.date | None = None,
                     scheduler: str = "local", workers: int | None = None,
                     batch_size: int | None = None, progress: Progress | None = None) -> CohortResult:
    """Readiness (0-100, the same number as :func:`pathways.gap_analysis`) of every learner
    for every job of the catalog and ``jobs``: one row per learner (sorted), one column per
    job id, and ``error``."""
    import numpy as np
    import pandas as pd

    from pathways.cohort._tasks import readiness_batch

    _check(learners)
    all_jobs = _jobs(catalog, jobs)
    if not all_jobs:
        raise PathwaysError("no jobs: the catalog has none and none were given (--jobs)")
    options = _options(today, job_objects=all_jobs)
    results, stats = run_batches(readiness_batch, catalog, learners, options, scheduler=scheduler,
                                 workers=workers, batch_size=batch_size, progress=progress)
    ids = [i for r in results for i in r[0]]
    errors = [e for r in results for e in r[1]]
    matrix = np.vstack([r[2] for r in results]) if results else np.zeros((0, len(all_jobs)))
    frame = pd.DataFrame(matrix.round(3), columns=[j.id for j in all_jobs])
    frame.insert(0, "learner", ids)
    frame["error"] = errors
    return CohortResult(frame.sort_values("learner", kind="stable").reset_index(drop=True), stats)


def cohort_recommend(catalog: Catalog, learners: Sequence[LearnerInput], *, top: int = 10,
                     today: dt.date | None = None, scheduler: str = "local",
                     workers: int | None = None, batch_size: int | None = None,
                     progress: Progress | None = None) -> CohortResult:
    """Each learner's ``top`` courses with the most readiness gain per hour toward the goal
    job (prerequisite hours included): rows learner, job, rank, course, points_per_hour."""
    import pandas as pd

    from pathways.cohort._tasks import recommend_batch

    _check(learners)
    if top < 1:
        raise InvalidParameterError(f"--top must be at least 1, got {top}")
    results, stats = run_batches(recommend_batch, catalog, learners, _options(today, top=top),
                                 scheduler=scheduler, workers=workers, batch_size=batch_size,
                                 progress=progress)
    frame = pd.DataFrame([row for batch in results for row in batch],
                         columns=["learner", "job", "rank", "course", "points_per_hour", "error"])
    frame = frame.sort_values(["learner", "rank"], na_position="first", kind="stable")
    return CohortResult(frame.reset_index(drop=True), stats)


def cohort_summary(catalog: Catalog, learners: Sequence[LearnerInput], *, top: int = 20,
                   today: dt.date | None = None, scheduler: str = "local",
                   workers: int | None = None, batch_size: int | None = None,
                   progress: Progress | None = None) -> CohortResult:
    """What the cohort needs most, as three tables (``tables``): ``missing_skills`` (goal
    job, essential skill, learners missing it), ``courses`` (courses among the learners' top
    five suggestions, by learners), ``credentials`` (the credential each learner is nearest
    to, by learners, with the median hours still needed); each cut to ``top`` rows."""
    import statistics

    import pandas as pd

    from pathways.cohort._tasks import summary_batch

    _check(learners)
    results, stats = run_batches(summary_batch, catalog, learners, _options(today, top=5),
                                 scheduler=scheduler, workers=workers, batch_size=batch_size,
                                 progress=progress)
    missing: Counter[tuple[str, str]] = Counter()
    suggested: Counter[str] = Counter()
    nearest: Counter[str] = Counter()
    hours: dict[str, list[float]] = {}
    for part in results:
        missing.update(part["missing"])
        suggested.update(part["suggested"])
        nearest.update(part["nearest"])
        for cred, values in part["hours"].items():
            hours.setdefault(cred, []).extend(values)

    def ranked(counter: Counter[Any]) -> list[tuple[Any, int]]:
        return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:top]

    tables = {
        "missing_skills": pd.DataFrame(
            [{"job": j, "job_title": catalog.title(j), "skill": s,
              "label": catalog.skill_label(s), "learners": n} for (j, s), n in ranked(missing)],
            columns=["job", "job_title", "skill", "label", "learners"]),
        "courses": pd.DataFrame(
            [{"course": c, "title": catalog.title(c), "learners": n} for c, n in ranked(suggested)],
            columns=["course", "title", "learners"]),
        "credentials": pd.DataFrame(
            [{"credential": c, "title": catalog.title(c), "learners": n,
              "median_hours": statistics.median(hours[c])} for c, n in ranked(nearest)],
            columns=["credential", "title", "learners", "median_hours"]),
    }
    counts = pd.DataFrame([{"learners": sum(p["learners"] for p in results),
                            "errors": sum(p["errors"] for p in results)}])
    return CohortResult(counts, stats, tables)


def write_table(frame: Any, path: str | os.PathLike[str]) -> Path:
    """Write a result table atomically, as Parquet (``.parquet``) or CSV (anything else; cells
    that a spreadsheet would run as a formula are quoted with a leading ``'``).

    Raises
    ------
    WriteError
        When the file cannot be written (the message names it and the reason).
    """
    import tempfile

    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
    except OSError as err:
        raise WriteError(f"cannot write {path}: {err.strerror or err}") from None
    try:
        if target.suffix.lower() == ".parquet":
            frame.to_parquet(tmp, index=False, engine="pyarrow")
        else:
            Path(tmp).write_text(table_csv(frame), encoding="utf-8")
        os.replace(tmp, target)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise WriteError(f"cannot write {path}: {err.strerror or err}") from None
        raise
    return target


def table_csv(frame: Any) -> str:
    """CSV text of a result table for a spreadsheet: lists joined by ``; ``, and cells a
    spreadsheet would run as a formula neutralised (:func:`pathways.io.tables.frame_csv`)."""
    from pathways.io.tables import frame_csv

    flat = frame.copy()
    for column in flat.columns:
        if flat[column].map(lambda v: isinstance(v, (list, tuple))).any():
            flat[column] = flat[column].map(
                lambda v: "; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    return frame_csv(flat)
