"""Gap analysis: what a job requires, what the learner holds, and how ready the learner is.

**Readiness** is the importance-weighted coverage of the job's skills, in percent::

    readiness = 100 * sum_s importance_s * min(held_s, required_s) / required_s
                    / sum_s importance_s

A skill held at level 1 of a required 2 counts half; held above the requirement counts fully
(never more). Essential skills have importance 1, ``optional`` 0.5, numbers as given. A job
with no skills is 100 % ready.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pathways.domain import Catalog, Job, JobSkill, LearnerProfile
from pathways.errors import PathwaysError
from pathways.skills.learner import LearnerSkills, learner_skills

__all__ = ["GapReport", "SkillGap", "gap_analysis", "readiness", "resolve_job"]


@dataclass(frozen=True, slots=True)
class SkillGap:
    """One required skill of a job against the learner's level."""

    skill: str
    label: str
    importance: float
    essential: bool
    required_level: int
    held_level: int
    held_from: str = "not held"

    @property
    def deficit(self) -> int:
        """Levels missing (0 when met)."""
        return max(0, self.required_level - self.held_level)

    @property
    def coverage(self) -> float:
        """``min(held, required) / required``, in [0, 1]."""
        return min(self.held_level, self.required_level) / self.required_level

    @property
    def met(self) -> bool:
        return self.deficit == 0

    def to_dict(self) -> dict[str, Any]:
        return {"skill": self.skill, "label": self.label, "importance": self.importance,
                "essential": self.essential, "required_level": self.required_level,
                "held_level": self.held_level, "deficit": self.deficit,
                "held_from": self.held_from}


@dataclass(frozen=True)
class GapReport:
    """A learner against a job: every required skill (essential gaps first) and the readiness."""

    job: str
    title: str
    readiness: float
    skills: tuple[SkillGap, ...]
    held: LearnerSkills

    @property
    def gaps(self) -> tuple[SkillGap, ...]:
        """Skills not met, essential first."""
        return tuple(s for s in self.skills if not s.met)

    @property
    def essential_gaps(self) -> tuple[SkillGap, ...]:
        return tuple(s for s in self.skills if s.essential and not s.met)

    @property
    def met(self) -> tuple[SkillGap, ...]:
        return tuple(s for s in self.skills if s.met)

    def skill(self, skill_id: str) -> SkillGap:
        """The entry for ``skill_id`` (KeyError if the job does not require it)."""
        for s in self.skills:
            if s.skill == skill_id:
                return s
        raise KeyError(skill_id)

    def to_dict(self) -> dict[str, Any]:
        return {"job": self.job, "title": self.title, "learner": self.held.learner,
                "as_of": self.held.as_of.isoformat(), "readiness": round(self.readiness, 2),
                "skills": [s.to_dict() for s in self.skills]}


def _requirements(job: Job) -> list[JobSkill]:
    """The job's skills, one per skill id (the strongest requirement wins)."""
    best: dict[str, JobSkill] = {}
    for s in job.skills:
        old = best.get(s.skill)
        if old is None or (s.essential, s.importance, s.level) > (old.essential, old.importance, old.level):
            best[s.skill] = s
    return list(best.values())


def readiness(held: Mapping[str, int], job: Job) -> float:
    """Importance-weighted coverage of ``job`` by skill levels ``held``, 0-100.

    >>> from pathways.domain import JobSkill
    >>> job = Job("j", "j", (JobSkill("a", 1.0, True, 2), JobSkill("b", 0.5, False, 1)))
    >>> round(readiness({"a": 1}, job), 2)   # (1 * 1/2 + 0.5 * 0) / 1.5
    33.33
    >>> readiness({"a": 4, "b": 1}, job)
    100.0
    """
    reqs = _requirements(job)
    total = sum(s.importance for s in reqs)
    if total <= 0:
        return 100.0
    got = sum(s.importance * min(held.get(s.skill, 0), s.level) / s.level for s in reqs)
    return 100.0 * got / total


def resolve_job(catalog: Catalog, job: Job | str | None, learner: LearnerProfile | None = None) -> Job:
    """``job`` as a :class:`Job`: an id (or unique title) of a catalog job, or the learner's
    goal job when None.

    Raises
    ------
    PathwaysError
        If no job is given and the learner has no goal job, or the id is not a catalog job.
    """
    if isinstance(job, Job):
        return job
    if job is None:
        job = learner.goals.job if learner is not None else None
        if job is None:
            raise PathwaysError("no job given and the learner has no goal job; pass a job id")
    found = catalog.jobs.get(job)
    if found is None:  # a unique title works too
        titled = [j for j in catalog.jobs.values() if j.title.casefold() == job.strip().casefold()]
        if len(titled) == 1:
            return titled[0]
    if found is None:
        import difflib

        titles = {j.title: j.id for j in catalog.jobs.values()}
        close = difflib.get_close_matches(job, list(catalog.jobs) + list(titles), n=3)
        hint = f"; did you mean {', '.join(titles.get(c, c) for c in close)}?" if close else ""
        raise PathwaysError(f"{job} is not a job of the catalog ({len(catalog.jobs)} jobs){hint}")
    return found


def gap_analysis(catalog: Catalog, learner: LearnerProfile | LearnerSkills, job: Job | str | None = None,
                 *, as_of: dt.date | None = None, extractor: Any = None,
                 labels: Mapping[str, str] | None = None) -> GapReport:
    """Every skill ``job`` requires against what ``learner`` holds.

    Parameters
    ----------
    catalog : Catalog
    learner : LearnerProfile or LearnerSkills
        A profile (its skills are computed with :func:`~pathways.skills.learner.learner_skills`)
        or skills already computed.
    job : Job or str, optional
        A job or a job id of the catalog; default the learner's goal job.
    as_of, extractor
        Passed to :func:`~pathways.skills.learner.learner_skills`.
    labels : mapping, optional
        Skill id -> label for skills the catalog does not list (e.g. the ESCO skills read from
        a job ad, :func:`pathways.skills.extractor.job_from_text`); the catalog's own labels
        come first.

    Returns
    -------
    GapReport
        Skills ordered: essential gaps, other gaps, then met skills; within each group by
        importance, then deficit (largest first), then label.

    Raises
    ------
    PathwaysError
        If the job cannot be resolved (see :func:`resolve_job`).
    """
    profile = learner if isinstance(learner, LearnerProfile) else None
    target = resolve_job(catalog, job, profile)
    held = (learner_skills(catalog, learner, as_of=as_of, extractor=extractor)
            if isinstance(learner, LearnerProfile) else learner)
    rows = []
    for s in _requirements(target):
        level = held.level(s.skill)
        label = catalog.skill_label(s.skill)
        if labels and s.skill not in catalog.skills:
            label = labels.get(s.skill, label)
        rows.append(SkillGap(s.skill, label, s.importance, s.essential,
                             s.level, level, held.explain(s.skill, catalog)))
    rows.sort(key=lambda g: (g.met, not g.essential, -g.importance, -g.deficit, g.label.lower(), g.skill))
    return GapReport(target.id, target.title, readiness(held.levels, target), tuple(rows), held)
