"""One planning request, prepared once: the learner at the start term, the targets, the
credentials nested in them, the courses that could count, the time limit; and what the
optimiser hands back (:class:`Solution`) before the audit and the explanations.

Shared by :mod:`pathways.planner.core` (the optimisation) and :mod:`pathways.planner.explain`
(reasons and alternatives), so that neither imports the other.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pathways.domain import Catalog, Holding, LearnerProfile, Term, leaf_ids
from pathways.planner.model import PlanModel
from pathways.planner.schedule import list_schedule
from pathways.planner.validity import StartInfo, Validity, credential_scope, with_start

__all__ = ["GRACE", "Infeasible", "Request", "Solution", "relevant_courses"]

#: Seconds past the time limit that the work after the last solve (scheduling, the audit, the
#: greedy fallback, the infeasibility diagnosis) may take; half the time limit when that is
#: shorter (at least 20 ms).
GRACE = 0.25


def relevant_courses(catalog: Catalog, scope: Iterable[str]) -> list[str]:
    """The courses that could count toward the credentials of ``scope`` (targets and every
    credential nested in them: :func:`~pathways.planner.validity.credential_scope`), with every
    course that is a prerequisite option of one of them, sorted: the courses of
    :func:`pathways.graph.relevant_subgraph`, read from the catalog without building a graph.

    >>> from pathways.io import catalog_from_data
    >>> cat = catalog_from_data({"courses": [
    ...     {"id": "A", "title": "A", "hours": 1}, {"id": "B", "title": "B", "hours": 1,
    ...      "prerequisites": "A or Z"}, {"id": "Z", "title": "Z", "hours": 1},
    ...     {"id": "Q", "title": "Q", "hours": 1}],
    ...   "credentials": [{"id": "X", "title": "X", "level": "certificate", "requires": "B"}]}
    ...   ).catalog
    >>> relevant_courses(cat, ["X"])
    ['A', 'B', 'Z']
    """
    found: set[str] = set()
    for cred in scope:
        found.update(i for i in leaf_ids(catalog.credentials[cred].requires)
                     if i in catalog.courses)
    todo = list(found)
    refs = catalog.prerequisite_refs
    while todo:
        for pre in refs.get(todo.pop(), ()):
            if pre in catalog.courses and pre not in found:
                found.add(pre)
                todo.append(pre)
    return sorted(found)


@dataclass
class Solution:
    """A chosen course set with its schedule, before the audit and the explanations."""

    courses: list[str]
    schedule: dict[str, Term]
    optimal: bool
    status: str
    notes: list[str] = field(default_factory=list)
    model: PlanModel | None = None


class Infeasible(Exception):
    """No plan satisfies the request (the diagnosis names the blocking constraint)."""


class Request:
    """Everything one planning request needs, computed once."""

    def __init__(self, catalog: Catalog, learner: LearnerProfile, targets: Sequence[str],
                 objective: str, time_limit: float,
                 holdings: Sequence[Holding] | None, today: dt.date | None = None) -> None:
        self.deadline = time.perf_counter() + max(0.0, time_limit)
        self.grace = min(GRACE, max(0.02, 0.5 * time_limit))
        self.start_info = StartInfo.of(learner, today)
        learner = with_start(learner, self.start_info.today)
        self.catalog = catalog
        self.learner = learner
        self.targets = tuple(targets)
        self.objective = objective
        self.scope = credential_scope(catalog, self.targets)
        self.courses = relevant_courses(catalog, self.scope)
        self.start = self.start_info.term
        self.constraints = learner.constraints
        self.holdings = holdings
        self.mentions: dict[str | None, list[str]] = {
            cid: list(leaf_ids(catalog.credentials[cid].requires)) for cid in self.scope}
        self.mentions[None] = list(self.targets)

    def validity(self, as_of: dt.date) -> Validity:
        return Validity(self.catalog, self.learner, self.scope, as_of, holdings=self.holdings)

    def counting(self, validity: Validity) -> frozenset[tuple[str, str, str | None]]:
        out = set()
        for cred, items in self.mentions.items():
            for item in items:
                kind = "credential" if item in self.catalog.credentials else "course"
                if kind == "course" and not validity.is_held("course", item):
                    continue
                ok = (validity.credential_counts(item, cred) if kind == "credential"
                      else validity.course_counts(item, cred))  # type: ignore[arg-type]
                if ok:
                    out.add((kind, item, cred))
        return frozenset(out)

    def model(self, validity: Validity, relax: Iterable[str] = (),
              forbid: Iterable[str] = ()) -> PlanModel:
        return PlanModel(self.catalog, validity, self.targets, self.courses, self.constraints,
                         frozenset(relax), frozenset(forbid))

    def schedule(self, courses: Iterable[str], validity: Validity,
                 prefer: dict[str, int] | None = None) -> dict[str, Term]:
        cons = self.constraints
        return list_schedule(self.catalog, courses, self.start,
                             completed=validity.completed_courses,
                             max_courses=cons.max_courses_per_term,
                             max_hours=cons.max_hours_per_term, prefer=prefer)
