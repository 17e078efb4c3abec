"""One learner (and job) against a fitted :class:`~pathways.skills.recommend.CourseRecommender`:
what is held, allowed and missing, the cheapest prerequisite packages of each course, and the
planner's counting of holdings toward credentials. Shared by the recommender and the job
matching (:mod:`pathways.skills.match`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from pathways.domain import AllOf, Course, Holding, Job, LearnerProfile, MinHours, Node, Ref
from pathways.skills.gap import gap_analysis, resolve_job
from pathways.skills.learner import LearnerSkills, learner_skills

if TYPE_CHECKING:
    from pathways.skills.recommend import CourseRecommender

__all__ = ["Context"]


class Context:
    """One learner (and job) against the fitted catalog: what is held, allowed and missing."""

    def __init__(self, rec: CourseRecommender, learner: LearnerProfile | LearnerSkills,
                 job: Job | str | None, *, as_of: dt.date | None, extractor: Any,
                 held: LearnerSkills | None = None,
                 packages: dict[str, tuple[float, frozenset[str]] | None] | None = None) -> None:
        cat = rec.catalog_
        self.rec = rec
        self.cat = cat
        self.profile = learner if isinstance(learner, LearnerProfile) else None
        if held is None:
            held = (learner_skills(cat, learner, as_of=as_of, extractor=extractor)
                    if isinstance(learner, LearnerProfile) else learner)
        self.held = held
        self.job = resolve_job(cat, job, self.profile)
        self.gap = gap_analysis(cat, self.held, self.job)
        cons = self.profile.constraints if self.profile is not None else None
        self.exclude = cons.exclude_providers if cons is not None else frozenset()
        self.delivery = cons.delivery if cons is not None else None
        self.budget = cons.budget if cons is not None else None
        self.valid = self.held.valid_courses
        self.completed = self.held.completed_courses
        # packages depend on the learner only: callers may share them across jobs
        self._packages = {} if packages is None else packages
        self._counting: dict[str, Any] = {}

    def counting(self, cred_id: str) -> Any:
        """Which holdings count toward ``cred_id`` and the credentials nested in it, at the
        learner's date: the planner's :class:`pathways.planner.validity.Validity` (expiry, the
        strictest recency window of the enclosing credentials). A learner given as skills only
        has no dates: its valid courses and earned credentials count."""
        hit = self._counting.get(cred_id)
        if hit is None:
            from pathways.planner.validity import Validity, credential_scope

            profile = self.profile
            if profile is None:
                when = self.held.as_of
                profile = LearnerProfile(self.held.learner or "learner", completed=tuple(
                    [Holding("course", c, when) for c in sorted(self.held.valid_courses)]
                    + [Holding("credential", k, when)
                       for k in sorted(self.held.earned_credentials)]))
            hit = Validity(self.cat, profile, credential_scope(self.cat, [cred_id]),
                           self.held.as_of)
            self._counting[cred_id] = hit
        return hit

    # -- what may be taken
    def allowed(self, course: Course) -> bool:
        return (course.provider not in self.exclude
                and (self.delivery is None or course.delivery is None or course.delivery in self.delivery))

    def why_not(self, course: Course) -> str:
        """Why ``course`` is not allowed, in words."""
        if course.provider in self.exclude:
            name = self.cat.providers[course.provider].name if course.provider in self.cat.providers else course.provider
            return f"is from {name}, a provider you exclude"
        modes = " or ".join(sorted(self.delivery or ()))
        return f"is {course.delivery} only, you accept {modes}"

    def takeable(self, course_id: str) -> bool:
        course = self.cat.courses.get(course_id)
        return course is not None and course_id not in self.valid and self.allowed(course)

    # -- cheapest prerequisite packages (or-aware, hours first)
    def package(self, course_id: str) -> tuple[float, frozenset[str]] | None:
        """``course_id`` plus the cheapest missing prerequisites: (hours, course ids) or None."""
        if course_id in self._packages:
            return self._packages[course_id]
        self._packages[course_id] = None  # cycle guard
        course = self.cat.courses[course_id]
        result: tuple[float, frozenset[str]] | None = None
        if self.takeable(course_id):
            pre = self._expr(course.prerequisites) if course.prerequisites is not None else frozenset()
            if pre is not None:
                ids = pre | {course_id}
                result = (self._hours(ids), ids)
        self._packages[course_id] = result
        return result

    def _expr(self, node: Node) -> frozenset[str] | None:
        if isinstance(node, Ref):
            if node.id in self.completed:
                return frozenset()
            if node.id not in self.cat.courses:
                return None
            pkg = self.package(node.id)
            return pkg[1] if pkg is not None else None
        if isinstance(node, MinHours):
            options = sorted(((p[0], c, p[1]) for c in node.courses
                              if c not in self.completed and (p := self.package(c)) is not None))
            got = sum(self.cat.courses[c].hours for c in node.courses if c in self.completed)
            chosen: set[str] = set()
            for _, c, ids in options:
                if got >= node.hours:
                    break
                chosen |= ids
                got += self.cat.courses[c].hours
            return frozenset(chosen) if got >= node.hours else None
        parts = [self._expr(ch) for ch in node.children]
        if isinstance(node, AllOf):
            if any(p is None for p in parts):
                return None
            return frozenset().union(*parts)  # type: ignore[arg-type]
        k = node.k
        ok = sorted((p for p in parts if p is not None), key=self._hours)
        if len(ok) < k:
            return None
        return frozenset().union(*ok[:k])

    def _hours(self, ids: Iterable[str]) -> float:
        hours = self.rec.hours_by_id_
        return sum(hours[c] for c in ids)

    def _cost(self, ids: Iterable[str]) -> float:
        return sum(self.cat.courses[c].cost for c in ids)

    # -- gains
    def levels_after(self, ids: Iterable[str]) -> dict[str, int]:
        levels = dict(self.held.levels)
        for c in ids:
            for s in self.cat.courses[c].skills:
                if s.level > levels.get(s.skill, 0):
                    levels[s.skill] = s.level
        return levels

    def raises(self, course_id: str, before: Mapping[str, int]) -> list[tuple[str, int, int]]:
        """(job skill, from, to) that ``course_id`` raises from the levels ``before``."""
        req = {g.skill: g for g in self.gap.skills}
        out = []
        for s in self.cat.courses[course_id].skills:
            g = req.get(s.skill)
            if g is not None and s.level > before.get(s.skill, 0) and before.get(s.skill, 0) < g.required_level:
                out.append((s.skill, before.get(s.skill, 0), s.level))
        return out
