"""How far a learner is from every credential, and the exits on the way.

For one learner, :func:`distances` plans every credential of the catalog on its own (the
hours-optimal plan under the learner's constraints) and ranks them by the hours still needed;
credentials no plan can reach under those constraints come last, with the reason. Each
:class:`Distance` also tells the stacking exits: the credentials of its stack (itself and the
ones nested in it) that the learner already holds or has earned, and the first one its plan
earns on the way ("if you stop now you hold A; the next exit is B").

The graph is built once and every plan is a small MILP over one credential's relevant
subgraph, so the whole table is quick on the sample catalog.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

from pathways.domain import Catalog, LearnerProfile
from pathways.planner.audit import audit_many
from pathways.planner.core import plan
from pathways.planner.result import Plan
from pathways.planner.validity import credential_scope, start_term

__all__ = ["Distance", "distances"]

#: Seconds kept for each credential still to plan while an earlier one may use the rest.
_SLICE = 0.05


@dataclass(frozen=True)
class Distance:
    """One credential's distance from a learner (see :func:`distances`)."""

    credential: str
    title: str
    level: str
    feasible: bool
    complete: bool
    held: bool
    courses: int = 0
    hours: float = 0.0
    cost: float = 0.0
    terms: int = 0
    reason: str | None = None
    holds_now: tuple[str, ...] = ()
    next_exit: str | None = None
    next_exit_term: str | None = None
    next_exit_hours: float | None = None
    stacks_into: tuple[str, ...] = ()
    currency: str = "CAD"
    plan: Plan | None = field(default=None, repr=False, compare=False)

    @property
    def summary(self) -> str:
        """``"2 courses / 46 hours from X"``, ``"complete"`` or why it cannot be reached."""
        if not self.feasible:
            return f"not reachable: {self.reason}"
        if self.complete:
            return "held" if self.held else "complete (requirements met; claim it)"
        noun = "course" if self.courses == 1 else "courses"
        return f"{self.courses} {noun} / {self.hours:g} hours from {self.credential}"

    @property
    def exits(self) -> str:
        """``"if you stop now you hold A; the next exit is B (2027-fall, 66 h)"``."""
        held = ", ".join(self.holds_now) if self.holds_now else "nothing of this stack"
        if self.complete:
            up = f"; it stacks into {', '.join(self.stacks_into)}" if self.stacks_into else ""
            return f"you hold {held}{up}"
        if self.next_exit is None:
            return f"if you stop now you hold {held}"
        return (f"if you stop now you hold {held}; the next exit is {self.next_exit} "
                f"({self.next_exit_term}, {self.next_exit_hours:g} h)")

    def to_dict(self) -> dict[str, Any]:
        return {
            "credential": self.credential, "title": self.title, "level": self.level,
            "feasible": self.feasible, "complete": self.complete, "held": self.held,
            "courses": self.courses, "hours": self.hours, "cost": self.cost,
            "currency": self.currency, "terms": self.terms, "summary": self.summary,
            "reason": self.reason, "holds_now": list(self.holds_now),
            "next_exit": self.next_exit, "next_exit_term": self.next_exit_term,
            "next_exit_hours": self.next_exit_hours, "stacks_into": list(self.stacks_into),
            "exits": self.exits,
        }


def _exits(catalog: Catalog, learner: LearnerProfile, cred: str, p: Plan, today: dt.date | None,
           time_limit: float) -> tuple[tuple[str, ...], str | None, str | None, float | None]:
    """What the learner holds of ``cred``'s stack now, and the first credential the plan earns
    on the way (from :attr:`Plan.earned`) with its term and the hours taken until then."""
    scope = credential_scope(catalog, [cred])
    start = start_term(learner, today)
    now = audit_many(catalog, learner, scope, as_of=start.start, check_schedule=False,
                     time_limit=time_limit)
    holds = tuple(a.credential for a in now if a.met)
    if not p.feasible or not p.courses:
        return holds, None, None, None
    for k, term in p.earned:
        if k in holds:
            continue
        hours = sum(c.hours for c in p.courses if c.term <= term)
        return holds, k, str(term), hours
    return holds, cred, str(max(c.term for c in p.courses)), p.total_hours


def distances(catalog: Catalog, learner: LearnerProfile, *, graph: Any = None,
              time_limit: float = 10.0, today: dt.date | None = None) -> list[Distance]:
    """Every credential of the catalog, nearest first, for one learner.

    Parameters
    ----------
    catalog : Catalog
    learner : LearnerProfile
    graph : networkx.DiGraph, optional
        A prebuilt :func:`pathways.graph.build_graph` (built once here when None).
    time_limit : float
        Seconds for the whole table. Each credential's plan may use the time left (keeping a
        short slice for each credential still to come); credentials not reached when the
        time is up are listed last as not planned, with that reason.
    today : datetime.date, optional
        The day the plans are made (default: the real date), for the default start term.

    Returns
    -------
    list of Distance
        Reachable credentials by (hours, cost, id) -- complete ones first, with 0 hours --
        then the unreachable ones by id, each with the reason.

    Examples
    --------
    >>> from pathways.io import catalog_from_data
    >>> from pathways.domain import LearnerProfile, Constraints, Term
    >>> cat = catalog_from_data({"courses": [{"id": "A", "title": "A", "hours": 10},
    ...                                      {"id": "B", "title": "B", "hours": 20}],
    ...   "credentials": [{"id": "M", "title": "M", "level": "microcredential", "requires": "A"},
    ...                   {"id": "C", "title": "C", "level": "certificate",
    ...                    "requires": {"all": ["M", "B"]}}]}).catalog
    >>> me = LearnerProfile("me", constraints=Constraints(start=Term(2027, 0)))
    >>> [d.summary for d in distances(cat, me)]
    ['1 course / 10 hours from M', '2 courses / 30 hours from C']
    """
    from pathways.graph import build_graph, ladder

    deadline = time.perf_counter() + max(0.0, time_limit)
    G = graph if graph is not None else build_graph(catalog)
    out: list[Distance] = []
    todo = sorted(catalog.credentials)
    for i, cid in enumerate(todo):
        cred = catalog.credentials[cid]
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            out.append(Distance(
                credential=cid, title=cred.title, level=cred.level, feasible=False,
                complete=False, held=False, currency=catalog.currency,
                reason="not planned: the time limit was reached before this credential",
                stacks_into=tuple(ladder(G, cid))))
            continue
        later = len(todo) - i - 1
        budget = max(remaining - later * min(_SLICE, remaining / (later + 1)), 0.0)
        p = plan(catalog, learner, [cid], objective="hours", graph=G, time_limit=budget,
                 explain=False, today=today)
        holds, nxt, nxt_term, nxt_hours = _exits(
            catalog, learner, cid, p, today, max(0.0, deadline - time.perf_counter()))
        out.append(Distance(
            credential=cid, title=cred.title, level=cred.level, feasible=p.feasible,
            complete=p.feasible and not p.courses,
            held=bool(p.audits and p.audits[0].held), courses=len(p.courses),
            hours=p.total_hours, cost=p.total_cost, terms=p.terms, reason=p.reason,
            holds_now=holds, next_exit=nxt, next_exit_term=nxt_term, next_exit_hours=nxt_hours,
            stacks_into=tuple(ladder(G, cid)), currency=catalog.currency, plan=p))
    out.sort(key=lambda d: (not d.feasible, d.hours if d.feasible else 0.0,
                            d.cost if d.feasible else 0.0, d.credential))
    return out
