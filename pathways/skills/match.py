"""Job matching: which jobs is a learner closest to, by readiness and by hours to ready.

*Hours to ready* is the hours of the essential bundle: the courses (with missing
prerequisites) that close every essential gap the catalog can close. An exact MILP per job is
too slow for thousands of jobs (e.g. every ESCO occupation of a
:class:`~pathways.taxonomy.Taxonomy`), so every job first gets a **greedy estimate** (weighted
set cover: repeatedly take the course package with the fewest new hours per essential gap it
closes), and only the ``exact_top`` best jobs of the chosen order are re-solved exactly with
:meth:`~pathways.skills.recommend.CourseRecommender.bundle` (``JobMatch.exact`` says which).
The greedy estimate is never below the exact optimum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from pathways.domain import Catalog, Job, LearnerProfile
from pathways.skills.learner import LearnerSkills, learner_skills
from pathways.skills._context import Context
from pathways.skills.recommend import CourseRecommender, recommender_for

__all__ = ["JobMatch", "match_jobs"]


@dataclass(frozen=True, slots=True)
class JobMatch:
    """One job for a learner: readiness now, and the hours to close its essential gaps."""

    job: str
    title: str
    readiness: float
    hours_to_ready: float
    exact: bool
    essential_gaps: int
    unclosable: int
    courses: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"job": self.job, "title": self.title, "readiness": round(self.readiness, 2),
                "hours_to_ready": self.hours_to_ready, "exact": self.exact,
                "essential_gaps": self.essential_gaps, "unclosable": self.unclosable,
                "courses": list(self.courses)}


def _greedy(ctx: Context, rec: CourseRecommender) -> tuple[float, tuple[str, ...], int, int]:
    """(hours, courses, essential gaps, unclosable essential gaps) by greedy set cover."""
    gaps = ctx.gap.essential_gaps
    options: dict[str, frozenset[str]] = {}
    closes: dict[str, set[str]] = {}
    uncovered: set[str] = set()
    for g in gaps:
        found = False
        for cid, level in rec.teaches_.get(g.skill, ()):
            if level < g.required_level:
                break
            pkg = ctx.package(cid)
            if pkg is None:
                continue
            found = True
            options[cid] = pkg[1]
            closes.setdefault(cid, set()).add(g.skill)
        if found:
            uncovered.add(g.skill)
    n_unclosable = len(gaps) - len(uncovered)
    chosen: set[str] = set()
    hours = ctx.cat.courses
    while uncovered:
        best: tuple[float, str] | None = None
        for cid, group in options.items():
            covered = len(closes[cid] & uncovered)
            if not covered:
                continue
            new = sum(hours[c].hours for c in group - chosen)
            key = (new / covered, cid)
            if best is None or key < best:
                best = key
        if best is None:  # pragma: no cover - every uncovered gap has an option
            break
        cid = best[1]
        chosen |= options[cid]
        uncovered -= closes[cid]
    total = sum(hours[c].hours for c in chosen)
    return total, tuple(sorted(chosen)), len(gaps), n_unclosable


def match_jobs(catalog: Catalog, learner: LearnerProfile | LearnerSkills,
               jobs: Iterable[Job] | None = None, *, top: int | None = None,
               sort: Literal["readiness", "hours"] = "readiness", exact_top: int = 10,
               as_of: dt.date | None = None, extractor: Any = None) -> list[JobMatch]:
    """Rank jobs for ``learner``.

    Parameters
    ----------
    catalog : Catalog
        The courses that can close gaps (and the default jobs).
    learner : LearnerProfile or LearnerSkills
    jobs : iterable of Job, optional
        Default: the catalog's jobs. Any jobs work, e.g. ``taxonomy.jobs.values()``.
    top : int, optional
        Return only the first ``top`` matches.
    sort : {"readiness", "hours"}
        Readiness first (highest, then fewest hours), or hours to ready first (fewest, then
        highest readiness). Ties by title.
    exact_top : int, default 10
        How many of the best jobs get the exact bundle hours (the rest keep the greedy
        estimate, see the module docstring).
    as_of, extractor
        See :func:`pathways.skills.learner.learner_skills`.

    Returns
    -------
    list of JobMatch
    """
    rec = recommender_for(catalog)
    held = (learner_skills(catalog, learner, as_of=as_of, extractor=extractor)
            if isinstance(learner, LearnerProfile) else learner)
    packages: dict[str, Any] = {}
    matches: list[JobMatch] = []
    contexts: dict[str, Context] = {}
    for job in (catalog.jobs.values() if jobs is None else jobs):
        ctx = Context(rec, learner, job, as_of=as_of, extractor=None, held=held, packages=packages)
        hours, courses, n_gaps, n_unclosable = _greedy(ctx, rec)
        contexts[job.id] = ctx
        matches.append(JobMatch(job.id, job.title, ctx.gap.readiness, hours, n_gaps == 0,
                                n_gaps, n_unclosable, courses))

    def key(m: JobMatch) -> tuple[Any, ...]:
        if sort == "hours":
            return (m.hours_to_ready, -m.readiness, m.title, m.job)
        return (-m.readiness, m.hours_to_ready, m.title, m.job)

    matches.sort(key=key)
    for i, m in enumerate(matches[:exact_top]):
        if m.exact:
            continue
        ctx = contexts[m.job]
        closable, _ = rec._closability(ctx)
        b = rec._solve_bundle(ctx, closable, optional=False, max_hours=None)
        matches[i] = JobMatch(m.job, m.title, m.readiness, b.total_hours, True, m.essential_gaps,
                              m.unclosable, b.ids)
    matches.sort(key=key)
    return matches[:top] if top is not None else matches
