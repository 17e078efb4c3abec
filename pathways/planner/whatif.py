"""What-if: plans for alternative targets (and renewed badges) side by side.

"What does going on to the diploma add to stopping at the certificate?" and "what changes if I
renew this expired badge first?" -- :func:`what_if` plans each scenario with the same objective
and constraints and lines the totals up against the first scenario (the baseline).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pathways.domain import Catalog, Holding, LearnerProfile
from pathways.errors import PathwaysError
from pathways.planner.core import Objective, plan
from pathways.planner.result import Plan
from pathways.planner.validity import start_term

__all__ = ["WhatIf", "what_if"]


@dataclass(frozen=True)
class WhatIf:
    """Scenario plans and their comparison rows (the first row is the baseline)."""

    rows: tuple[dict[str, Any], ...]
    plans: Mapping[str, Plan] = field(repr=False)

    def to_frame(self) -> Any:
        """The comparison as a :class:`pandas.DataFrame`, one row per scenario."""
        import pandas as pd

        return pd.DataFrame(list(self.rows)).set_index("scenario")

    def to_dict(self) -> dict[str, Any]:
        return {"rows": [dict(r) for r in self.rows],
                "plans": {name: p.to_dict() for name, p in self.plans.items()}}


def _renewed(catalog: Catalog, learner: LearnerProfile, ids: Sequence[str],
             today: dt.date | None) -> tuple[Holding, ...]:
    held = {h.id for h in learner.completed}
    missing = [i for i in ids if i not in held]
    if missing:
        raise PathwaysError(f"cannot renew {', '.join(missing)}: learner {learner.id} does not "
                            "hold it")
    day = start_term(learner, today).start - dt.timedelta(days=1)
    out = [h for h in learner.completed if h.id not in ids]
    for i in ids:
        kind = next(h.kind for h in learner.completed if h.id == i)
        out.append(Holding(kind, i, day, None, "what-if renewal"))  # type: ignore[arg-type]
    return tuple(out)


def what_if(catalog: Catalog, learner: LearnerProfile,
            scenarios: Mapping[str, Sequence[str]] | Sequence[Sequence[str]], *,
            objective: Objective = "hours", renew: Iterable[str] = (), graph: Any = None,
            time_limit: float = 10.0, today: dt.date | None = None) -> WhatIf:
    """Plan each scenario and compare them with the first.

    Parameters
    ----------
    catalog : Catalog
    learner : LearnerProfile
    scenarios : mapping of name -> target ids, or a sequence of target-id lists
        Alternative targets, e.g. ``{"certificate": ["UT-CERT-DA"], "diploma":
        ["UT-DIP-DATA"]}``; unnamed scenarios are named by their targets.
    objective : {"hours", "cost", "terms"}
    renew : iterable of str
        Held course or credential ids to treat as renewed just before the start term: every
        scenario is then also planned with them renewed.
    graph : networkx.DiGraph, optional
    time_limit : float
        Seconds for all the scenarios' plans together (each may use its share of the time
        left).
    today : datetime.date, optional
        The day the plans are made (default: the real date), for the default start term.

    Returns
    -------
    WhatIf
        ``rows``: scenario, targets, renewed, feasible, optimal, courses, hours, cost, terms,
        the extra hours / cost / terms over the first scenario, and the reason when
        infeasible; ``plans``: the plans by scenario name.

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
    >>> w = what_if(cat, me, {"micro": ["M"], "certificate": ["C"]})
    >>> [(r["scenario"], r["hours"], r["extra_hours"]) for r in w.rows]
    [('micro', 10.0, 0.0), ('certificate', 30.0, 20.0)]
    """
    from pathways.graph import build_graph

    if isinstance(scenarios, Mapping):
        named = [(str(k), list(v)) for k, v in scenarios.items()]
    else:
        named = [(" + ".join(v), list(v)) for v in scenarios]
    if not named:
        raise PathwaysError("no scenario given")
    G = graph if graph is not None else build_graph(catalog)
    renew = list(dict.fromkeys(renew))
    variants: list[tuple[str, list[str], tuple[str, ...], tuple[Holding, ...] | None]] = []
    renewed_holdings = _renewed(catalog, learner, renew, today) if renew else None
    for name, targets in named:
        variants.append((name, targets, (), None))
        if renew:
            variants.append((f"{name} (renewed {', '.join(renew)})", targets, tuple(renew),
                             renewed_holdings))
    plans: dict[str, Plan] = {}
    rows: list[dict[str, Any]] = []
    base: Plan | None = None
    deadline = time.perf_counter() + max(0.0, time_limit)
    for i, (name, targets, renewed, holdings) in enumerate(variants):
        share = max(0.0, deadline - time.perf_counter()) / (len(variants) - i)
        p = plan(catalog, learner, targets, objective=objective, graph=G,
                 time_limit=share, holdings=holdings, today=today)
        plans[name] = p
        base = base or p
        comparable = p.feasible and base.feasible
        rows.append({
            "scenario": name, "targets": ", ".join(p.targets), "renewed": ", ".join(renewed),
            "feasible": p.feasible, "optimal": p.optimal, "courses": len(p.courses),
            "hours": p.total_hours, "cost": p.total_cost, "terms": p.terms,
            "extra_hours": p.total_hours - base.total_hours if comparable else None,
            "extra_cost": p.total_cost - base.total_cost if comparable else None,
            "extra_terms": p.terms - base.terms if comparable else None,
            "renewals": ", ".join(p.renewals), "reason": p.reason or "",
        })
    return WhatIf(tuple(rows), plans)
