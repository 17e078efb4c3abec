"""The stacking planner and audit: optimal, explained, term-by-term plans toward credentials.

- :func:`audit` -- a credential's requirement tree, node by node, for a learner and optional
  planned courses (independent of the optimiser: a matching search, bounded by a time limit);
- :func:`plan` -- the hours-, cost- or terms-optimal plan toward target credentials (a MILP
  over the targets' relevant subgraph), re-audited before it is returned;
- :func:`distances` -- every credential ranked by the hours still needed, with the exits;
- :func:`what_if` -- plans for alternative targets or renewed badges, side by side;
- :func:`compare_objectives` -- the fewest-hours, lowest-cost and fewest-terms plans side by
  side, saying when they are one plan (:mod:`pathways.planner.tradeoff`);
- :func:`remedies` -- what change of the learner's limits would make an infeasible plan
  feasible, and to what (:mod:`pathways.planner.remedy`).

The counting rules (expiry, recency, one slot per course within a credential, ``min_hours`` as
a threshold, exclusive credentials) are documented in :mod:`pathways.planner.validity` and
:mod:`pathways.planner.audit`; the optimisation in :mod:`pathways.planner.core` and
:mod:`pathways.planner.model`, on the MILP layer :mod:`pathways._milp` shared with the
recommender; the term-by-term schedule in :mod:`pathways.planner.schedule`, the reasons and
priced alternatives in :mod:`pathways.planner.explain`, and what a plan is (:class:`Plan`, its
JSON form) in :mod:`pathways.planner.result`.
"""

from pathways.planner.audit import (
    AuditNode,
    AuditResult,
    NotCounting,
    audit,
    audit_many,
)
from pathways.planner.core import plan, resolve_targets
from pathways.planner.distance import Distance, distances
from pathways.planner.remedy import Remedies, Remedy, remedies
from pathways.planner.result import Plan, PlannedCourse
from pathways.planner.tradeoff import ObjectiveComparison, compare_objectives
from pathways.planner.whatif import WhatIf, what_if

__all__ = [
    "AuditNode",
    "AuditResult",
    "Distance",
    "NotCounting",
    "ObjectiveComparison",
    "Plan",
    "PlannedCourse",
    "Remedies",
    "Remedy",
    "WhatIf",
    "audit",
    "audit_many",
    "compare_objectives",
    "distances",
    "plan",
    "remedies",
    "resolve_targets",
    "what_if",
]
