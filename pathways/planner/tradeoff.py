"""The objectives side by side: the fewest-hours, lowest-cost and fewest-terms plans toward the
same targets, and whether they are one plan or several.

"Is this plan also the cheapest and the shortest?" -- :func:`compare_objectives` plans the
targets once per objective (same learner, constraints and day) and groups the objectives whose
plans are the **same plan**: the same courses in the same terms. Each objective's plan is
optimal for that objective with the others as tie-breaks (see :mod:`pathways.planner.core`), so
when the plans differ, each one is best at something: the comparison says what the others cost
in hours, money and terms against the first objective's plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pathways.describe import money
from pathways.domain import Catalog, LearnerProfile
from pathways.errors import InvalidParameterError
from pathways.planner.core import plan
from pathways.planner.result import Plan

__all__ = ["OBJECTIVE_LABELS", "ObjectiveComparison", "compare_objectives", "same_plan"]

#: How each objective is named for people ("fewest hours"), in the planner's order.
OBJECTIVE_LABELS = {"hours": "fewest hours", "cost": "lowest cost", "terms": "fewest terms"}


def same_plan(a: Plan, b: Plan) -> bool:
    """Whether two plans are the same plan: both feasible, the same courses in the same terms
    (renewals included), or both infeasible.

    >>> from pathways.domain import Term
    >>> from pathways.planner.result import PlannedCourse
    >>> one = Plan("me", ("X",), "hours", True, True,
    ...            courses=(PlannedCourse("A", "A", Term(2027, 0), 10, 100),))
    >>> same_plan(one, Plan("me", ("X",), "cost", True, True, courses=one.courses))
    True
    >>> same_plan(one, Plan("me", ("X",), "cost", True, True))
    False
    """
    if a.feasible != b.feasible:
        return False
    if not a.feasible:
        return True
    return (sorted((c.id, c.term, c.renewal) for c in a.courses)
            == sorted((c.id, c.term, c.renewal) for c in b.courses))


@dataclass(frozen=True)
class ObjectiveComparison:
    """One plan per objective, and which objectives share a plan.

    Attributes
    ----------
    targets : tuple of str
    plans : dict of str to Plan
        Objective -> its plan, in the order asked.
    groups : tuple of tuple of str
        The objectives grouped by plan (:func:`same_plan`), in the order asked: one group when
        a single plan is best for every objective.
    """

    targets: tuple[str, ...]
    plans: dict[str, Plan] = field(repr=False)
    groups: tuple[tuple[str, ...], ...]

    @property
    def objectives(self) -> tuple[str, ...]:
        return tuple(self.plans)

    @property
    def feasible(self) -> bool:
        """Whether a plan exists (the constraints are the same for every objective)."""
        return all(p.feasible for p in self.plans.values())

    @property
    def all_same(self) -> bool:
        """Whether one plan is best for every objective compared."""
        return len(self.groups) == 1

    def group_of(self, objective: str) -> tuple[str, ...]:
        """The objectives whose plan is the same as ``objective``'s."""
        return next(g for g in self.groups if objective in g)

    def rows(self) -> list[dict[str, Any]]:
        """One row per objective: its plan's totals, its courses, the differences to the first
        objective's plan and the objectives it shares its plan with (``same_as``)."""
        first = next(iter(self.plans.values()))
        out = []
        for objective, p in self.plans.items():
            others = [o for o in self.group_of(objective) if o != objective]
            out.append({
                "objective": objective, "label": OBJECTIVE_LABELS.get(objective, objective),
                "feasible": p.feasible, "hours": p.total_hours, "cost": p.total_cost,
                "terms": p.terms, "courses": len(p.courses),
                "course_ids": ", ".join(c.id for c in p.courses),
                "completion": p.completion.isoformat() if p.completion else None,
                "extra_hours": p.total_hours - first.total_hours,
                "extra_cost": p.total_cost - first.total_cost,
                "extra_terms": p.terms - first.terms,
                "same_as": ", ".join(OBJECTIVE_LABELS.get(o, o) for o in others),
            })
        return out

    def summary(self) -> str:
        """For people: "The same plan is the fewest hours, the lowest cost and the fewest
        terms.", or each plan's totals ("Fewest hours and fewest terms: one plan, 90 h, 2,695
        CAD, 2 terms. Lowest cost: 96 h, 1,500 CAD, 2 terms.")."""
        if not self.feasible:
            return "No plan fits the constraints, whatever the objective."
        if self.all_same:
            names = [OBJECTIVE_LABELS.get(o, o) for o in self.objectives]
            return f"The same plan is {_join(names, 'the ')}."
        parts = []
        for group in self.groups:
            p = self.plans[group[0]]
            names = _join([OBJECTIVE_LABELS.get(o, o) for o in group], "")
            what = "one plan, " if len(group) > 1 else ""
            parts.append(f"{names[:1].upper()}{names[1:]}: {what}{p.total_hours:g} h, "
                         f"{money(p.total_cost, p.currency)}, {p.terms} term"
                         f"{'s' if p.terms != 1 else ''}.")
        return " ".join(parts)

    def compared_to(self, objective: str) -> str:
        """What the other objectives' plans trade against ``objective``'s, for people: "This
        is also the fewest-terms plan. The lowest-cost plan: 48 h more, 1,296 CAD less, 1 term
        more." (or :meth:`summary` when one plan is best for every objective)."""
        if not self.feasible or self.all_same:
            return self.summary()
        mine = self.plans[objective]
        own = [OBJECTIVE_LABELS.get(o, o) for o in self.group_of(objective) if o != objective]
        hyphen = [o.replace(" ", "-") for o in own]
        parts = [f"This is also the {_join(hyphen, '')} plan."] if own else []
        for group in self.groups:
            if objective in group:
                continue
            other = self.plans[group[0]]
            names = _join([OBJECTIVE_LABELS.get(o, o).replace(" ", "-") for o in group], "")
            diffs = [_diff(other.total_hours - mine.total_hours, "h", lambda v: f"{v:g}"),
                     _diff(other.total_cost - mine.total_cost, "",
                           lambda v: money(v, mine.currency)),
                     _diff(other.terms - mine.terms, "term", lambda v: f"{v:g}")]
            said = ", ".join(d for d in diffs if d) or "the same totals with other courses"
            parts.append(f"The {names} plan: {said}.")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"targets": list(self.targets), "groups": [list(g) for g in self.groups],
                "summary": self.summary(), "rows": self.rows(),
                "plans": {o: p.to_dict() for o, p in self.plans.items()}}


def _diff(delta: float, unit: str, fmt: Any) -> str:
    """``"48 h more"``, ``"1,296 CAD less"``, ``"2 terms fewer"``; empty for no difference."""
    if abs(delta) < 1e-9:
        return ""
    size = abs(delta)
    if unit == "term":
        return f"{fmt(size)} term{'s' if size != 1 else ''} {'more' if delta > 0 else 'fewer'}"
    text = fmt(size) + (f" {unit}" if unit else "")
    return f"{text} {'more' if delta > 0 else 'less'}"


def _join(names: Sequence[str], article: str) -> str:
    names = [article + n for n in names]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def compare_objectives(catalog: Catalog, learner: LearnerProfile,
                       targets: Sequence[str] | str | None = None, *,
                       objectives: Sequence[str] = ("hours", "cost", "terms"),
                       graph: Any = None, time_limit: float = 10.0, explain: bool = True,
                       today: dt.date | None = None) -> ObjectiveComparison:
    """Plan ``targets`` once per objective and group the objectives that give the same plan.

    Parameters
    ----------
    catalog, learner, targets, graph, explain, today
        As for :func:`pathways.planner.plan`.
    objectives : sequence of {"hours", "cost", "terms"}
        The objectives to compare, the first one being the reference of the differences.
    time_limit : float
        Seconds for each objective's plan.

    Returns
    -------
    ObjectiveComparison

    Raises
    ------
    InvalidParameterError
        If no objective is given, or one is unknown or repeated.
    PathwaysError
        For unknown or missing targets (as :func:`pathways.planner.plan`).

    Examples
    --------
    >>> from pathways.io import catalog_from_data
    >>> from pathways.domain import LearnerProfile, Constraints, Term
    >>> cat = catalog_from_data({"courses": [
    ...     {"id": "MOOC", "title": "Long and cheap", "hours": 40, "cost": 50},
    ...     {"id": "CAMP", "title": "Short and dear", "hours": 10, "cost": 900}],
    ...   "credentials": [{"id": "X", "title": "X", "level": "certificate",
    ...                    "requires": {"any": ["MOOC", "CAMP"]}}]}).catalog
    >>> me = LearnerProfile("me", constraints=Constraints(start=Term(2027, 0)))
    >>> cmp = compare_objectives(cat, me, ["X"])
    >>> cmp.groups
    (('hours', 'terms'), ('cost',))
    >>> [c.id for c in cmp.plans["cost"].courses]
    ['MOOC']
    """
    chosen = list(objectives)
    if not chosen:
        raise InvalidParameterError("no objective to compare: give hours, cost or terms")
    unknown = [o for o in chosen if o not in OBJECTIVE_LABELS]
    if unknown:
        raise InvalidParameterError(f"unknown objective {unknown[0]!r}: use hours, cost or terms")
    if len(set(chosen)) != len(chosen):
        raise InvalidParameterError(f"objectives repeated: {', '.join(chosen)}")
    plans = {o: plan(catalog, learner, targets, objective=o, graph=graph,  # type: ignore[arg-type]
                     time_limit=time_limit, explain=explain, today=today) for o in chosen}
    groups: list[list[str]] = []
    for o in chosen:
        for g in groups:
            if same_plan(plans[g[0]], plans[o]):
                g.append(o)
                break
        else:
            groups.append([o])
    first = plans[chosen[0]]
    return ObjectiveComparison(first.targets, plans, tuple(tuple(g) for g in groups))
