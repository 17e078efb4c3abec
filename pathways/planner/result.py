"""What the planner returns: a :class:`Plan` of :class:`PlannedCourse` records, and their JSON
form (:meth:`Plan.to_dict`), which the command line prints and the app offers for download.

Both are frozen dataclasses of plain values (terms, dates, tuples and the audits of the plan),
so they can be compared, pickled (the app caches plans) and shared between threads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pathways.domain import Term
from pathways.planner.audit import AuditResult

__all__ = ["TIME_LIMIT", "Plan", "PlannedCourse"]

#: ``Plan.status`` when the time limit stopped the search (the plan is the best found).
TIME_LIMIT = "time_limit"


@dataclass(frozen=True)
class PlannedCourse:
    """One course of a plan: when, what it costs, what it counts toward and why it is there."""

    id: str
    title: str
    term: Term
    hours: float
    cost: float
    provider: str | None = None
    counts_toward: tuple[str, ...] = ()
    reason: str = ""
    renewal: bool = False
    alternative: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "term": str(self.term), "hours": self.hours,
                "cost": self.cost, "provider": self.provider,
                "counts_toward": list(self.counts_toward), "reason": self.reason,
                "renewal": self.renewal, "alternative": self.alternative}


@dataclass(frozen=True)
class Plan:
    """A plan toward one or more target credentials (see :func:`pathways.planner.plan`).

    ``terms`` is the number of terms from the start term to the last planned term, inclusive
    (idle terms waiting for an offering count); 0 when nothing needs to be taken. ``status`` is
    ``"optimal"`` (proved), ``"time_limit"`` (the time limit stopped the search: the best plan
    found, or a greedy one, with a note saying which) or ``"infeasible"``. ``earned``
    lists, by term, the credentials of the plan (the targets and those stacked below them)
    that the holdings alone do not earn, each with the term after which it is earned.
    """

    learner: str
    targets: tuple[str, ...]
    objective: str
    feasible: bool
    optimal: bool
    courses: tuple[PlannedCourse, ...] = ()
    renewals: tuple[str, ...] = ()
    total_hours: float = 0.0
    total_cost: float = 0.0
    terms: int = 0
    start: Term | None = None
    completion: dt.date | None = None
    reason: str | None = None
    currency: str = "CAD"
    already_met: tuple[str, ...] = ()
    status: str = ""
    notes: tuple[str, ...] = ()
    start_note: str = ""  # "starting 2027-winter, the next term" (see StartInfo)
    start_in_past: bool = False  # an explicit start that has already begun: a what-if plan
    audits: tuple[AuditResult, ...] = field(default=(), repr=False)
    earned: tuple[tuple[str, Term], ...] = ()  # (credential, the term after which it is earned)

    def schedule(self) -> list[tuple[Term, list[PlannedCourse]]]:
        """The plan term by term, from the start term to the last one (empty terms included)."""
        if not self.courses or self.start is None:
            return []
        last = max(c.term for c in self.courses)
        out = []
        term = self.start
        while term <= last:
            out.append((term, [c for c in self.courses if c.term == term]))
            term = term.next()
        return out

    def earned_text(self) -> list[str]:
        """``"UT-MC-DA earned after 2027-summer"`` for each credential of :attr:`earned`."""
        return [f"{k} earned after {t}" for k, t in self.earned]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (terms as ``"2027-winter"``, dates as ISO strings)."""
        out: dict[str, Any] = {
            "learner": self.learner, "targets": list(self.targets), "objective": self.objective,
            "feasible": self.feasible, "optimal": self.optimal, "status": self.status,
            "courses": [c.to_dict() for c in self.courses],
            "renewals": list(self.renewals), "total_hours": self.total_hours,
            "total_cost": self.total_cost, "currency": self.currency, "terms": self.terms,
            "start": str(self.start) if self.start else None,
            "start_note": self.start_note, "start_in_past": self.start_in_past,
            "completion": self.completion.isoformat() if self.completion else None,
            "already_met": list(self.already_met),
            "schedule": [{"term": str(t), "courses": [c.id for c in cs]}
                         for t, cs in self.schedule()],
            "earned": [{"credential": k, "term": str(t)} for k, t in self.earned],
            "notes": list(self.notes),
        }
        if not self.feasible:
            out["reason"] = self.reason
        out["audit"] = [a.to_dict() for a in self.audits]
        return out
