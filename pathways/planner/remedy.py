"""What would make an infeasible plan feasible: the least change of one of the learner's limits.

The planner says which constraint blocks a plan (``Plan.reason``); :func:`remedies` says what to
change, and to what, so that a plan exists:

- **budget**: the cost of the cheapest plan within the other limits (the smallest budget that
  works, exactly);
- **max_hours_per_term**: the smallest per-term hours limit that works, searched over the
  catalog's course lengths (a larger limit never removes a plan, so a bisection finds it);
- **exclude_providers**: each excluded provider whose courses, allowed again, make a plan
  possible (all of them together when no single one does);
- **delivery**: each delivery mode that, accepted too, makes a plan possible (likewise).

Each change is tried alone, the learner's other limits kept. When no single change works but
dropping them all does, one combined change is given: the limits the cheapest plan without any
of them needs. When even that finds no plan (no combination of courses earns the targets, or
offering terms block it) there is nothing the learner can change, and the result says why.
Every remedy carries the plan that the changed limits give, for the objective asked.

The search is bounded: ``time_limit`` covers all the plans it makes, and the result's ``note``
says when it stopped early.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pathways.describe import money
from pathways.domain import DELIVERY_MODES, Catalog, Constraints, LearnerProfile
from pathways.planner.core import Objective, plan
from pathways.planner.result import Plan

__all__ = ["Remedies", "Remedy", "remedies"]


@dataclass(frozen=True)
class Remedy:
    """One change of the learner's limits that makes a plan possible.

    Attributes
    ----------
    constraint : str
        ``"budget"``, ``"max_hours_per_term"``, ``"exclude_providers"``, ``"delivery"``, or
        ``"several"`` (a combined change).
    text : str
        For people: ``"a budget of at least 5,639 CAD (now 5,000 CAD)"``.
    changes : mapping
        Constraint field -> its new value (a :class:`~pathways.domain.Constraints` field).
    plan : Plan
        The plan with the changed limits (feasible).
    """

    constraint: str
    text: str
    changes: Mapping[str, Any]
    plan: Plan = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        def plain(v: Any) -> Any:
            return sorted(v) if isinstance(v, (set, frozenset)) else v

        return {"constraint": self.constraint, "text": self.text,
                "changes": {k: plain(v) for k, v in self.changes.items()},
                "hours": self.plan.total_hours, "cost": self.plan.total_cost,
                "terms": self.plan.terms}


@dataclass(frozen=True)
class Remedies:
    """The changes that make a plan possible (empty when none exists or none is needed), and a
    note: why nothing helps, or that the time limit stopped the search."""

    items: tuple[Remedy, ...] = ()
    note: str = ""

    def __iter__(self) -> Iterator[Remedy]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def to_dict(self) -> dict[str, Any]:
        return {"remedies": [r.to_dict() for r in self.items], "note": self.note}


class _OutOfTime(Exception):
    pass


def remedies(catalog: Catalog, learner: LearnerProfile,
             targets: Sequence[str] | str | None = None, *, objective: Objective = "hours",
             graph: Any = None, time_limit: float = 20.0,
             today: dt.date | None = None) -> Remedies:
    """What would make the plan toward ``targets`` feasible (see the module docstring).

    Parameters
    ----------
    catalog, learner, targets, objective, graph, today
        As for :func:`pathways.planner.plan`.
    time_limit : float
        Seconds for the whole search (every plan it makes).

    Returns
    -------
    Remedies
        Empty, with a note, when the plan is feasible already or no change of the learner's
        limits gives one.

    Raises
    ------
    PathwaysError
        For unknown or missing targets (as :func:`pathways.planner.plan`).

    Examples
    --------
    >>> from pathways.io import catalog_from_data
    >>> from pathways.domain import LearnerProfile, Constraints, Term
    >>> cat = catalog_from_data({"courses": [
    ...     {"id": "A", "title": "A", "hours": 30, "cost": 600},
    ...     {"id": "B", "title": "B", "hours": 45, "cost": 400}],
    ...   "credentials": [{"id": "X", "title": "X", "level": "certificate",
    ...                    "requires": {"all": ["A", "B"]}}]}).catalog
    >>> def me(**limits):
    ...     return LearnerProfile("me", constraints=Constraints(start=Term(2027, 0), **limits))
    >>> [r.text for r in remedies(cat, me(budget=500), ["X"])]
    ['a budget of at least 1,000 CAD (now 500 CAD)']
    >>> [r.changes for r in remedies(cat, me(max_hours_per_term=40), ["X"])]
    [{'max_hours_per_term': 45.0}]
    >>> [r.text for r in remedies(cat, me(budget=500, max_hours_per_term=40), ["X"])]
    ['all of: a budget of at least 1,000 CAD (now 500 CAD); at least 45 hours a term (now 40)']
    """
    deadline = time.perf_counter() + time_limit
    cons = learner.constraints

    def attempt(changes: Mapping[str, Any], goal: str = objective) -> Plan:
        left = deadline - time.perf_counter()
        if left <= 0:
            raise _OutOfTime
        changed = dataclasses.replace(learner, constraints=dataclasses.replace(cons, **changes))
        return plan(catalog, changed, targets, objective=goal, graph=graph,  # type: ignore[arg-type]
                    time_limit=min(10.0, left), explain=False, today=today)

    found: list[Remedy] = []
    try:
        if attempt({}).feasible:
            return Remedies((), "the plan is feasible: nothing needs to change")
        free = {"budget": None, "max_hours_per_term": None,
                "exclude_providers": frozenset(), "delivery": None}
        loosest = attempt(free, "cost")
        if not loosest.feasible:
            return Remedies((), "no change of the learner's limits gives a plan: "
                                f"{loosest.reason or 'no plan exists'}")
        found.extend(_budget(catalog, cons, attempt))
        found.extend(_load(catalog, cons, attempt))
        found.extend(_choices(catalog, cons, attempt, "exclude_providers"))
        found.extend(_choices(catalog, cons, attempt, "delivery"))
        if not found:
            found.append(_combined(catalog, cons, loosest, attempt))
    except _OutOfTime:
        return Remedies(tuple(found), f"the time limit ({time_limit:g} s) stopped the search; "
                                      "other changes may help too")
    return Remedies(tuple(found))


def _budget(catalog: Catalog, cons: Constraints, attempt: Any) -> list[Remedy]:
    if cons.budget is None:
        return []
    cheapest = attempt({"budget": None}, "cost")
    if not cheapest.feasible:
        return []
    needed = cheapest.total_cost
    result = attempt({"budget": needed})
    if not result.feasible:  # pragma: no cover - the cheapest plan fits its own cost
        return []
    return [Remedy("budget", f"a budget of at least {money(needed, catalog.currency)} "
                             f"(now {money(cons.budget, catalog.currency)})",
                   {"budget": needed}, result)]


def _load(catalog: Catalog, cons: Constraints, attempt: Any) -> list[Remedy]:
    cap = cons.max_hours_per_term
    if cap is None or not attempt({"max_hours_per_term": None}).feasible:
        return []
    lengths = sorted({float(c.hours) for c in catalog.courses.values() if c.hours > cap})
    lo, hi = 0, len(lengths) - 1  # the longest course always fits: hi works
    best: Plan | None = None
    while lo < hi:
        mid = (lo + hi) // 2
        p = attempt({"max_hours_per_term": lengths[mid]})
        if p.feasible:
            hi, best = mid, p
        else:
            lo = mid + 1
    needed = lengths[lo]
    if best is None:
        best = attempt({"max_hours_per_term": needed})
    if not best.feasible:  # pragma: no cover - a limit as long as every course lifts it
        return []
    return [Remedy("max_hours_per_term", f"at least {needed:g} hours a term (now {cap:g})",
                   {"max_hours_per_term": needed}, best)]


def _choices(catalog: Catalog, cons: Constraints, attempt: Any, name: str) -> list[Remedy]:
    if name == "exclude_providers":
        options = sorted(cons.exclude_providers)
        if not options:
            return []

        def allow(chosen: Sequence[str]) -> frozenset[str]:
            return cons.exclude_providers - set(chosen)

        def say(chosen: Sequence[str]) -> str:
            names = ", ".join(_provider(catalog, p) for p in chosen)
            return f"allow courses of {names} (now excluded)"
    else:
        if cons.delivery is None:
            return []
        options = [m for m in DELIVERY_MODES if m not in cons.delivery]
        if not options:
            return []

        def allow(chosen: Sequence[str]) -> frozenset[str]:
            return frozenset(cons.delivery or ()) | set(chosen)

        def say(chosen: Sequence[str]) -> str:
            now = ", ".join(m for m in DELIVERY_MODES if m in (cons.delivery or ()))
            return f"accept {' and '.join(chosen)} delivery too (now {now or 'none'})"

    out = []
    for option in options:
        p = attempt({name: allow([option])})
        if p.feasible:
            out.append(Remedy(name, say([option]), {name: allow([option])}, p))
    if not out and len(options) > 1:
        p = attempt({name: allow(options)})
        if p.feasible:
            out.append(Remedy(name, say(options), {name: allow(options)}, p))
    return out


def _provider(catalog: Catalog, provider: str) -> str:
    found = catalog.providers.get(provider)
    return f"{found.name} ({provider})" if found is not None and found.name else provider


def _combined(catalog: Catalog, cons: Constraints, loosest: Plan, attempt: Any) -> Remedy:
    """The limits the cheapest plan without any of the learner's limits needs."""
    courses = [catalog.courses[c.id] for c in loosest.courses]
    changes: dict[str, Any] = {}
    parts = []
    if cons.budget is not None and loosest.total_cost > cons.budget:
        changes["budget"] = loosest.total_cost
        parts.append(f"a budget of at least {money(loosest.total_cost, catalog.currency)} "
                     f"(now {money(cons.budget, catalog.currency)})")
    longest = max((float(c.hours) for c in courses), default=0.0)
    if cons.max_hours_per_term is not None and longest > cons.max_hours_per_term:
        changes["max_hours_per_term"] = longest
        parts.append(f"at least {longest:g} hours a term (now {cons.max_hours_per_term:g})")
    used = {c.provider for c in courses if c.provider in cons.exclude_providers}
    if used:
        changes["exclude_providers"] = cons.exclude_providers - used
        parts.append("allow courses of " + ", ".join(_provider(catalog, p) for p in sorted(used)))
    modes = {c.delivery for c in courses}
    if cons.delivery is not None and not modes <= cons.delivery:
        changes["delivery"] = frozenset(cons.delivery) | modes
        parts.append("accept " + " and ".join(sorted(modes - cons.delivery)) + " delivery too")
    result = attempt(changes)
    return Remedy("several", "all of: " + "; ".join(parts), changes,
                  result if result.feasible else loosest)
