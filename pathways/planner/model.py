"""The planning MILPs, built over a relevant subgraph only (:mod:`pathways._milp`, HiGHS).

Two models share one encoding of the requirement trees:

**Set model** (objectives ``hours`` and ``cost``); the requirement trees are encoded by
:class:`pathways._milp.Requirements`, shared with the recommender. Binary variables:

- ``x[c]``: take course ``c`` (only courses of the targets' relevant subgraph that the learner
  may take: not from an excluded provider, an accepted delivery mode, offered in some term and
  within ``max_hours_per_term``; a course already held is a variable only where the holding does
  not count for some credential, i.e. a renewal);
- course leaves, aggregated per credential: a course that fills a single leaf of credential
  ``K`` (and is in no exclusive conflict) enters ``K``'s nodes as ``x[c]`` itself (or 1 when a
  holding counts for ``K``); a course listed under several leaves of ``K`` gets one
  ``y[K, leaf]`` per leaf and the single row ``sum(y[K, leaves of c]) <= have(c, K)`` -- within
  a credential a course fills one leaf;
- one satisfaction variable per internal node that the constants do not decide (``all``:
  ``s <= child``; ``choose k`` / ``any``: ``k s <= sum(children)``; ``min_hours h``:
  ``(h - held hours) s <= sum(hours[c] x[c])``); the root's variable is "``K`` earned"; a
  nested credential leaf is 1 when the holding counts for the parent, else the nested
  credential's root;
- prerequisites: ``x[c] <= x[p]`` for each course of an ``and``, ``x[c] <= sum(x[p])`` for an
  ``or`` of courses (completed courses are 1), nested expressions through auxiliary variables.

For an exclusive ``K``, ``sum(y[K, c]) + sum(y[J, c]) <= 1`` for every other credential ``J`` of
the scope (the targets and everything nested in them). Targets: root = 1. Budget:
``sum(cost x) <= budget``.

**Reductions** (exact for every objective, see :meth:`PlanModel.dominated`): a course that
fills leaves of ``choose``/``any`` nodes only (or adds hours to ``min_hours`` lists), is no
prerequisite of another candidate, and has at least as many *dominators* as the slots its
nodes can use is dropped. A dominator is listed in exactly the same nodes, has no missing
prerequisite, at most the hours (equal hours when a ``min_hours`` list names them) and cost,
every offering season of the course, and comes first by (hours, cost, id). Identical options
(symmetry) are the special case of equal hours and cost: the first ones by id are kept.

**Time-indexed model** (objective ``terms``): the set model plus ``z[c, t]`` (course ``c`` in
term ``t`` of a horizon of ``H`` terms, only in seasons it is offered), ``x[c] = sum_t z[c, t]``,
the prerequisite tree of ``c`` at ``t`` evaluated over held courses and ``sum_{t' < t} z``, per
term course and hours limits, and ``a[t] >= z[c, t]``, ``a[t] >= a[t+1]``: the number of terms
used is ``sum(a)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from pathways._milp import (
    HIGHS_OPTIONS,
    ONE,
    ZERO,
    Deadline,
    Expr,
    Model,
    Requirements,
    SolveResult,
)
from pathways._milp import solve as _solve
from pathways.domain import (
    AllOf,
    AnyOf,
    Catalog,
    Choose,
    Constraints,
    MinHours,
    Node,
    Ref,
    Term,
)
from pathways.planner.validity import Validity

__all__ = ["FAMILIES", "HIGHS_OPTIONS", "LP", "PlanModel", "SolveResult", "solve"]

#: Learner constraints that the infeasibility diagnosis relaxes one at a time.
FAMILIES = ("budget", "providers", "delivery", "load", "offering", "exclusive")

#: The 0-1 model of :mod:`pathways._milp` (the name the planner has always used).
LP = Model

_SEASONS = frozenset(("winter", "summer", "fall"))


def solve(lp: Model, objective: np.ndarray, *, deadline: float | Deadline) -> SolveResult:
    """Minimise ``objective @ v`` over ``lp`` until ``deadline`` (see :func:`pathways._milp.solve`)."""
    return _solve(lp, objective, deadline=deadline)


def _var(j: int) -> Expr:
    return (0.0, {j: 1.0})


# --------------------------------------------------------------------------- the planning model
@dataclass
class PlanModel:
    """The set model (see the module docstring) for one request.

    Parameters
    ----------
    catalog, validity
        The catalog, and the counting rules at the assumed completion date (its ``scope`` is
        the targets and everything nested in them, children first).
    targets : sequence of str
    courses : sequence of str
        The courses of the relevant subgraph.
    constraints : Constraints
    relax : frozenset of str
        Constraint families (:data:`FAMILIES`) to ignore.
    forbid : frozenset of str
        Courses that may not be taken (to price alternatives).
    reduce : bool
        Drop dominated courses (see :meth:`dominated`).
    """

    catalog: Catalog
    validity: Validity
    targets: Sequence[str]
    courses: Sequence[str]
    constraints: Constraints
    relax: frozenset[str] = frozenset()
    forbid: frozenset[str] = frozenset()
    reduce: bool = True
    lp: Model = field(default_factory=Model, init=False)
    x: dict[str, int] = field(default_factory=dict, init=False)
    infeasible: str | None = field(default=None, init=False)
    blocked: dict[str, str] = field(default_factory=dict, init=False)
    dropped: dict[str, str] = field(default_factory=dict, init=False)
    #: the candidates whose presence let :meth:`dominated` drop others (forbidding one of them
    #: needs a model built without it)
    dominating: set[str] = field(default_factory=set, init=False)

    def __post_init__(self) -> None:
        cat, val = self.catalog, self.validity
        self._index()
        candidates: list[str] = []
        for c in sorted(self.courses):
            if c in val.completed_courses and all(val.course_counts(c, k)
                                                  for k in self.mentioned.get(c, ())):
                continue  # held and counting wherever it is named: nothing to gain by retaking
            why = self.why_blocked(c)
            if why is not None:
                self.blocked[c] = why
                continue
            candidates.append(c)
        if self.reduce:
            self.dropped = self.dominated(candidates)
        for c in candidates:
            if c not in self.dropped:
                self.x[c] = self.lp.var()
        self._encode()
        del cat

    # ----------------------------------------------------------------------- structure
    def _index(self) -> None:
        """Where each course appears in the scope's trees (see
        :class:`pathways._milp.Requirements`)."""
        self.requirements = Requirements(self.lp, self.catalog, self.validity.scope,
                                         self.validity, exclusive="exclusive" not in self.relax)
        req = self.requirements
        self.mentioned = req.mentioned
        self.leaf_count = req.leaf_count
        self.places = req.places
        self.nodes = req.nodes
        self.conflicted = req.conflicted

    # ----------------------------------------------------------------------- eligibility
    def why_blocked(self, c: str) -> str | None:
        """The family that keeps course ``c`` out of plans (None when it may be taken)."""
        course = self.catalog.courses[c]
        cons = self.constraints
        if c in self.forbid:
            return "forbidden"
        if "providers" not in self.relax and course.provider in cons.exclude_providers:
            return "providers"
        if "delivery" not in self.relax and cons.delivery is not None \
                and course.delivery is not None and course.delivery not in cons.delivery:
            return "delivery"
        if "load" not in self.relax and cons.max_hours_per_term is not None \
                and course.hours > cons.max_hours_per_term + 1e-9:
            return "load"
        if "offering" not in self.relax and course.terms is not None and not course.terms:
            return "offering"
        return None

    def dominated(self, candidates: Sequence[str]) -> dict[str, str]:
        """Candidates no optimal plan needs, each with the course that dominates it.

        A course ``c`` is dropped when it is not held, is no prerequisite of a remaining
        candidate, every place it counts is a leaf of a ``choose``/``any`` node with fewer
        required than listed or a ``min_hours`` list, and at least ``cap`` candidates
        dominate it (same places; prerequisites already met; hours at most -- equal when a
        ``min_hours`` list names it --, cost at most, offered in every season it is; first by
        (hours, cost, id)). ``cap`` is the number of courses those places can use (the ``k`` of
        each node, and ``ceil(hours needed / hours of c)`` of each list). In a plan that takes
        ``c`` at most ``cap - 1`` dominators are taken (a plan takes no more courses of one
        kind than their places use), so ``c`` can be swapped for a free dominator at no extra
        hours, cost or terms: no optimal plan needs it. Courses that only served as
        prerequisites of dropped courses go too; repeated to a fixed point.
        """
        cat, val = self.catalog, self.validity
        dropped: dict[str, str] = {}
        remaining = list(candidates)
        refs = cat.prerequisite_refs
        while True:
            needed: set[str] = set()
            for c in remaining:
                pre = refs.get(c)
                if pre is not None:
                    needed.update(pre)
            classes: dict[tuple[object, ...], list[str]] = {}
            newly: dict[str, str] = {}
            for c in remaining:
                if c in needed or c in val.completed_courses or c in self.conflicted:
                    continue
                places = self.places.get(c)
                if not places:
                    newly[c] = "not needed"  # counts nowhere and is no prerequisite
                    continue
                if any(kind == "fixed" for _, _, kind in places):
                    continue
                hours_key = cat.courses[c].hours if any(k == "hours" for _, _, k in places) \
                    else None
                sig = tuple(sorted(set(places)))
                classes.setdefault((sig, hours_key), []).append(c)
            for (sig, _), members in classes.items():
                if len(members) < 2:
                    continue
                cap = self._cap(sig, cat.courses[members[0]].hours)  # type: ignore[arg-type]
                free = [d for d in members if _prerequisites_met(cat.courses[d].prerequisites,
                                                                 val.completed_courses)]
                if len(free) < cap:
                    continue
                free.sort(key=lambda d: (cat.courses[d].hours, cat.courses[d].cost, d))
                for c in members:
                    course = cat.courses[c]
                    key = (course.hours, course.cost, c)
                    seasons = course.terms if course.terms is not None else _SEASONS
                    counted: list[str] = []
                    for d in free:
                        other = cat.courses[d]
                        if (other.hours, other.cost, d) >= key:
                            break
                        if other.cost <= course.cost and (
                                other.terms is None or other.terms >= seasons):
                            counted.append(d)
                            if len(counted) >= cap:
                                break
                    if len(counted) >= cap:
                        newly[c] = counted[0]
                        self.dominating.update(counted)
            if not newly:
                return dropped
            dropped.update(newly)
            remaining = [c for c in remaining if c not in newly]

    def _cap(self, sig: Sequence[tuple[str, tuple[int, ...], str]], hours: float) -> int:
        cap = 0
        for cid, path, kind in sig:
            node = self.nodes[(cid, path)]
            if kind == "hours":
                assert isinstance(node, MinHours)
                cap += math.ceil(node.hours / hours) if hours > 0 else len(node.courses)
            else:
                cap += node.k  # type: ignore[union-attr]
        return cap

    # ----------------------------------------------------------------------- encoding
    def have(self, c: str, cred: str) -> Expr:
        return self.requirements.have(c, cred, self._take)

    def _take(self, c: str) -> Expr:
        j = self.x.get(c)
        return _var(j) if j is not None else ZERO

    def prerequisite(self, node: Node, leaf: Callable[[str], Expr] | None = None) -> Expr:
        """The value of a prerequisite tree; ``leaf`` gives the value of a course leaf that is
        not completed (default: ``x``)."""
        if isinstance(node, Ref):
            if node.id in self.validity.completed_courses:
                return ONE
            if leaf is not None:
                return leaf(node.id)
            j = self.x.get(node.id)
            return _var(j) if j is not None else ZERO
        children = [self.prerequisite(c, leaf) for c in node.children]  # type: ignore[union-attr]
        k = node.k if isinstance(node, (Choose, AnyOf)) else len(children)
        return self.lp.at_least(children, k)

    def require(self, lp: Model, lhs: Expr, node: Node,
                leaf: Callable[[str], Expr] | None = None) -> None:
        """Rows for ``lhs <= value of the prerequisite tree``, without an auxiliary variable for
        an ``and`` (one row per part) or an ``or`` of single courses (one row)."""
        if isinstance(node, AllOf):
            for child in node.children:
                self.require(lp, lhs, child, leaf)
            return
        if isinstance(node, (AnyOf, Choose)) and node.k == 1 \
                and all(isinstance(c, Ref) for c in node.children):
            total: dict[int, float] = {}
            for child in node.children:
                e = self.prerequisite(child, leaf)
                if not e[1] and e[0] >= 1:
                    return
                for j, v in e[1].items():
                    total[j] = total.get(j, 0.0) + v
            lp.le(lhs, (0.0, total))
            return
        saved, self.lp = self.lp, lp
        try:
            lp.le(lhs, self.prerequisite(node, leaf))
        finally:
            self.lp = saved

    def _encode(self) -> None:
        cat, val = self.catalog, self.validity
        self.earned = self.requirements.encode(self._take)
        self.slots = self.requirements.slots
        for t in self.targets:
            if val.credential_counts(t, None):
                continue
            e = self.earned[t]
            if not e[1] and e[0] < 1:
                self.infeasible = f"{t} cannot be earned from the courses that may be taken"
                continue
            self.lp.le(ONE, e)
        for c, j in self.x.items():
            pre = cat.courses[c].prerequisites
            if pre is not None:
                self.require(self.lp, _var(j), pre)
        budget = self.constraints.budget
        if budget is not None and "budget" not in self.relax:
            self.lp.add({j: cat.courses[c].cost for c, j in self.x.items()}, hi=budget + 1e-6)

    # ----------------------------------------------------------------------- objectives
    def vector(self, weights: Mapping[str, float], lp: Model | None = None) -> np.ndarray:
        lp = lp or self.lp
        v = np.zeros(lp.n)
        for c, j in self.x.items():
            v[j] = weights.get(c, 0.0)
        return v

    def hours(self) -> dict[str, float]:
        return {c: self.catalog.courses[c].hours for c in self.x}

    def cost(self) -> dict[str, float]:
        return {c: self.catalog.courses[c].cost for c in self.x}

    def ranks(self) -> dict[str, float]:
        return {c: float(i + 1) for i, c in enumerate(sorted(self.x))}

    def chosen(self, sol: np.ndarray) -> list[str]:
        """The courses taken in a solution, sorted."""
        if not self.x:
            return []
        names = list(self.x)
        cols = np.fromiter(self.x.values(), dtype=np.int64, count=len(names))
        return sorted(names[i] for i in np.flatnonzero(sol[cols] > 0.5))

    def no_good(self, lp: Model, chosen: Iterable[str]) -> None:
        """Exclude exactly this course set from further solutions."""
        chosen = set(chosen)
        row = {j: (-1.0 if c in chosen else 1.0) for c, j in self.x.items()}
        lp.add(row, lo=1.0 - len(chosen))

    def cap(self, lp: Model, weights: Mapping[str, float] | np.ndarray, value: float) -> None:
        """Row ``sum(weights x) <= value`` (+ a tolerance for fractional values)."""
        if isinstance(weights, np.ndarray):
            lp.add({j: float(w) for j, w in enumerate(weights) if w},
                   hi=value + 1e-6 * max(1.0, abs(value)))
            return
        lp.add({j: weights.get(c, 0.0) for c, j in self.x.items()},
               hi=value + 1e-6 * max(1.0, abs(value)))

    # ----------------------------------------------------------------------- time-indexed
    def earliest(self, seasons: Sequence[str]) -> dict[str, int]:
        """The earliest term index each course could run in (prerequisites and offering
        seasons, ignoring per-term limits); courses that cannot run within the horizon get
        ``len(seasons)``."""
        cat = self.catalog
        horizon = len(seasons)
        memo: dict[str, int] = {}

        def value(node: Node) -> int:  # the earliest index after which the tree holds
            if isinstance(node, Ref):
                if node.id in self.validity.completed_courses:
                    return 0
                if node.id not in self.x:
                    return horizon
                return min(horizon, est(node.id) + 1)
            kids = sorted(value(c) for c in node.children)  # type: ignore[union-attr]
            k = node.k if isinstance(node, (Choose, AnyOf)) else len(kids)
            return kids[k - 1] if k <= len(kids) else horizon

        def est(c: str) -> int:
            if c not in memo:
                memo[c] = horizon  # guards against cycles
                pre = cat.courses[c].prerequisites
                t = value(pre) if pre is not None else 0
                while t < horizon and not cat.courses[c].offered_in(seasons[t]):
                    t += 1
                memo[c] = t
            return memo[c]

        return {c: est(c) for c in self.x}

    def timed(self, start: Term, horizon: int) -> tuple[Model, dict[tuple[str, int], int], list[int]]:
        """The time-indexed model: a copy of the set model with ``z[c, t]`` and ``a[t]``."""
        lp = self.lp.copy()
        cat, cons = self.catalog, self.constraints
        z: dict[tuple[str, int], int] = {}
        seasons = [start.next(t).season for t in range(horizon)]
        earliest = self.earliest(seasons)
        for c, j in self.x.items():
            course = cat.courses[c]
            row = {j: 1.0}
            for t in range(earliest.get(c, horizon), horizon):
                if course.offered_in(seasons[t]):
                    z[c, t] = lp.var()
                    row[z[c, t]] = -1.0
            lp.add(row, lo=0.0, hi=0.0)
        active = [lp.var() for _ in range(horizon)]
        for t in range(horizon - 1):
            lp.add({active[t]: 1.0, active[t + 1]: -1.0}, lo=0.0)
        for (c, t), v in z.items():
            lp.add({active[t]: 1.0, v: -1.0}, lo=0.0)
        for c in self.x:
            pre = cat.courses[c].prerequisites
            if pre is None:
                continue
            for t in range(horizon):
                if (c, t) not in z:
                    continue

                def before(p: str, t: int = t) -> Expr:
                    return (0.0, {z[p, u]: 1.0 for u in range(t) if (p, u) in z})

                self.require(lp, _var(z[c, t]), pre, before)
        for t in range(horizon):
            here = {v: 1.0 for (c, u), v in z.items() if u == t}
            if cons.max_courses_per_term is not None and here:
                lp.add(here, hi=float(cons.max_courses_per_term))
            if cons.max_hours_per_term is not None and "load" not in self.relax and here:
                lp.add({v: cat.courses[c].hours for (c, u), v in z.items() if u == t},
                       hi=cons.max_hours_per_term + 1e-9)
        return lp, z, active


def _prerequisites_met(node: Node | None, done: frozenset[str]) -> bool:
    if node is None:
        return True
    if isinstance(node, Ref):
        return node.id in done
    k = node.k if isinstance(node, (AnyOf, Choose)) else len(node.children)  # type: ignore[union-attr]
    return sum(_prerequisites_met(c, done) for c in node.children) >= k  # type: ignore[union-attr]
