"""The planning MILPs (``scipy.optimize.milp``, HiGHS), built over a relevant subgraph only.

Two models share one encoding of the requirement trees:

**Set model** (objectives ``hours`` and ``cost``). Binary variables:

- ``x[c]``: take course ``c`` (only courses of the targets' relevant subgraph that the learner
  may take: not from an excluded provider, an accepted delivery mode, offered in some term and
  within ``max_hours_per_term``; a course already held is a variable only where the holding does
  not count for some credential, i.e. a renewal);
- ``y[K, leaf]``: course leaf ``leaf`` of credential ``K`` is filled, ``y <= have(c, K)`` where
  ``have`` is 1 for a holding that counts for ``K`` and ``x[c]`` otherwise;
- one satisfaction variable per internal node (``all``: ``s <= child``; ``choose k`` / ``any``:
  ``k s <= sum(children)``; ``min_hours h``: ``(h - held hours) s <= sum(hours[c] x[c])``); the
  root's variable is "``K`` earned"; a nested credential leaf is 1 when the holding counts for
  the parent, else the nested credential's root;
- prerequisites: ``x[c] <= value of c's prerequisite tree`` over held courses (1) and ``x``.

Counting rules: ``sum(y[K, leaves of c]) <= 1`` within a credential, and for an exclusive ``K``
``sum(y[K, c]) + sum(y[J, c]) <= 1`` for every other credential ``J`` of the scope. Targets:
root = 1. Budget: ``sum(cost x) <= budget``. Constants are folded while encoding, so trees
collapse to few variables.

**Time-indexed model** (objective ``terms``): the set model plus ``z[c, t]`` (course ``c`` in
term ``t`` of a horizon of ``H`` terms, only in seasons it is offered), ``x[c] = sum_t z[c, t]``,
the prerequisite tree of ``c`` at ``t`` evaluated over held courses and ``sum_{t' < t} z``, per
term course and hours limits, and ``a[t] >= z[c, t]``, ``a[t] >= a[t+1]``: the number of terms
used is ``sum(a)``.

:func:`solve` runs HiGHS with ``mip_rel_gap=0`` and reports whether optimality was proved.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

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

Expr = tuple[float, dict[int, float]]  # constant + linear terms
_ZERO: Expr = (0.0, {})
_ONE: Expr = (1.0, {})


# --------------------------------------------------------------------------- a tiny LP builder
class LP:
    """Binary variables and sparse rows ``lo <= a @ v <= hi`` for ``scipy.optimize.milp``."""

    def __init__(self) -> None:
        self.n = 0
        self.ub: list[float] = []
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.lo: list[float] = []
        self.hi: list[float] = []

    def var(self, ub: float = 1.0) -> int:
        self.ub.append(ub)
        self.n += 1
        return self.n - 1

    def add(self, terms: Mapping[int, float], lo: float = -np.inf, hi: float = np.inf) -> None:
        r = len(self.lo)
        for j, v in terms.items():
            if v:
                self.rows.append(r)
                self.cols.append(j)
                self.vals.append(v)
        self.lo.append(lo)
        self.hi.append(hi)

    def le(self, left: Expr, right: Expr) -> None:
        """Row ``left <= right`` for two affine expressions over binaries (rows that always
        hold are skipped)."""
        if not right[1] and left[0] + sum(v for v in left[1].values() if v > 0) <= right[0] + 1e-12:
            return
        terms: dict[int, float] = dict(left[1])
        for j, v in right[1].items():
            terms[j] = terms.get(j, 0.0) - v
        self.add(terms, hi=right[0] - left[0])

    def copy(self) -> LP:
        other = LP()
        other.n = self.n
        other.ub = list(self.ub)
        other.rows, other.cols, other.vals = list(self.rows), list(self.cols), list(self.vals)
        other.lo, other.hi = list(self.lo), list(self.hi)
        return other


@dataclass
class SolveResult:
    """``status``: ``"optimal"``, ``"feasible"`` (time limit hit with a solution),
    ``"infeasible"`` or ``"timeout"`` (time limit hit without a solution)."""

    status: str
    x: np.ndarray | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status in ("optimal", "feasible")


#: HiGHS options beyond the ones ``milp`` names, passed through verbatim. The feasibility-jump
#: primal heuristic costs more than the whole solve of the small planning models (about 2.5x
#: CPU per solve measured); turning it off changes no optimality proof, only how an incumbent
#: is found.
HIGHS_OPTIONS: dict[str, object] = {"mip_heuristic_run_feasibility_jump": False}


def solve(lp: LP, objective: np.ndarray, *, deadline: float) -> SolveResult:
    """Minimise ``objective @ v`` over the binaries of ``lp`` with HiGHS, until ``deadline``
    (a ``time.perf_counter()`` value). ``mip_rel_gap`` is 0: optimal means proved optimal."""
    remaining = deadline - time.perf_counter()
    if remaining <= 0:
        return SolveResult("timeout", message="no time left")
    n = lp.n
    if n == 0:  # nothing to decide: check the constant rows
        ok = all(lo <= 1e-9 and hi >= -1e-9 for lo, hi in zip(lp.lo, lp.hi))
        return SolveResult("optimal", np.zeros(0)) if ok else SolveResult("infeasible")
    constraints = []
    if lp.lo:
        a = csr_array((np.asarray(lp.vals, float), (np.asarray(lp.rows), np.asarray(lp.cols))),
                      shape=(len(lp.lo), n))
        constraints.append(LinearConstraint(a, np.asarray(lp.lo), np.asarray(lp.hi)))
    with warnings.catch_warnings():
        # extra HiGHS options are passed through verbatim, with a warning saying so
        warnings.filterwarnings("ignore", message="Unrecognized options detected")
        res = milp(np.asarray(objective, float), integrality=np.ones(n),
                   bounds=Bounds(np.zeros(n), np.asarray(lp.ub, float)),
                   constraints=constraints,
                   options={"time_limit": remaining, "mip_rel_gap": 0.0, **HIGHS_OPTIONS})
    if res.status == 0:
        return SolveResult("optimal", np.round(res.x), res.message)
    if res.status == 2:
        return SolveResult("infeasible", message=res.message)
    if res.x is not None:
        return SolveResult("feasible", np.round(res.x), res.message)
    if res.status == 1:
        return SolveResult("timeout", message=res.message)
    return SolveResult("infeasible" if "infeasible" in res.message.lower() else "timeout",
                       message=res.message)


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
    """

    catalog: Catalog
    validity: Validity
    targets: Sequence[str]
    courses: Sequence[str]
    constraints: Constraints
    relax: frozenset[str] = frozenset()
    forbid: frozenset[str] = frozenset()
    lp: LP = field(default_factory=LP, init=False)
    x: dict[str, int] = field(default_factory=dict, init=False)
    infeasible: str | None = field(default=None, init=False)
    blocked: dict[str, str] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        cat, val = self.catalog, self.validity
        mentioned: dict[str, set[str]] = {}
        for cid in val.scope:
            for node in _nodes(cat.credentials[cid].requires):
                if isinstance(node, Ref) and node.id in cat.courses:
                    mentioned.setdefault(node.id, set()).add(cid)
                elif isinstance(node, MinHours):
                    for c in node.courses:
                        mentioned.setdefault(c, set()).add(cid)
        for c in sorted(self.courses):
            if c in val.completed_courses and all(val.course_counts(c, k)
                                                  for k in mentioned.get(c, ())):
                continue  # held and counting wherever it is named: nothing to gain by retaking
            why = self.why_blocked(c)
            if why is not None:
                self.blocked[c] = why
                continue
            self.x[c] = self.lp.var()
        self._encode()

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

    # ----------------------------------------------------------------------- encoding
    def _new(self, terms: Iterable[Expr], k: float) -> Expr:
        """A fresh binary ``s`` with ``k s <= sum(terms)``."""
        s = self.lp.var()
        total: dict[int, float] = {}
        const = 0.0
        for c0, lin in terms:
            const += c0
            for j, v in lin.items():
                total[j] = total.get(j, 0.0) + v
        self.lp.le((0.0, {s: k}), (const, total))
        return (0.0, {s: 1.0})

    def _combine(self, children: list[Expr], k: int) -> Expr:
        """At least ``k`` of the children (each 0..1)."""
        ones = sum(1 for c in children if not c[1] and c[0] >= 1)
        rest = [c for c in children if c[1]]
        need = k - ones
        if need <= 0:
            return _ONE
        if len(rest) < need:
            return _ZERO
        if len(rest) == 1:
            return rest[0]
        if need == len(rest):  # all of them: s <= each child
            s = self.lp.var()
            for child in rest:
                self.lp.le((0.0, {s: 1.0}), child)
            return (0.0, {s: 1.0})
        return self._new(rest, float(need))

    def have(self, c: str, cred: str) -> Expr:
        if self.validity.course_counts(c, cred):
            return _ONE
        j = self.x.get(c)
        return (0.0, {j: 1.0}) if j is not None else _ZERO

    def _requirement(self, cred: str, node: Node, path: tuple[int, ...]) -> Expr:
        cat = self.catalog
        if isinstance(node, Ref):
            if node.id in cat.credentials:
                if self.validity.credential_counts(node.id, cred):
                    return _ONE
                return self.earned[node.id]
            have = self.have(node.id, cred)
            if not have[1] and have[0] < 1:
                return _ZERO
            y = self.lp.var()
            self.lp.le((0.0, {y: 1.0}), have)
            self.slots.setdefault((cred, node.id), []).append(y)
            return (0.0, {y: 1.0})
        if isinstance(node, MinHours):
            held = 0.0
            lin: dict[int, float] = {}
            for c in dict.fromkeys(node.courses):
                h = cat.courses[c].hours
                have = self.have(c, cred)
                if have[1]:
                    (j, _), = have[1].items()
                    lin[j] = h
                elif have[0] >= 1:
                    held += h
            need = node.hours - held
            if need <= 1e-9:
                return _ONE
            if sum(lin.values()) < need - 1e-9:
                return _ZERO
            s = self.lp.var()
            self.lp.le((0.0, {s: need}), (0.0, lin))
            return (0.0, {s: 1.0})
        children = [self._requirement(cred, child, path + (i,))
                    for i, child in enumerate(node.children)]
        k = node.k if isinstance(node, (Choose, AnyOf)) else len(node.children)
        return self._combine(children, k)

    def prerequisite(self, node: Node, leaf: Callable[[str], Expr] | None = None) -> Expr:
        """The value of a prerequisite tree; ``leaf`` gives the value of a course leaf that is
        not completed (default: ``x``)."""
        if isinstance(node, Ref):
            if node.id in self.validity.completed_courses:
                return _ONE
            if leaf is not None:
                return leaf(node.id)
            j = self.x.get(node.id)
            return (0.0, {j: 1.0}) if j is not None else _ZERO
        children = [self.prerequisite(c, leaf) for c in node.children]  # type: ignore[union-attr]
        k = node.k if isinstance(node, (Choose, AnyOf)) else len(children)
        return self._combine(children, k)

    def _encode(self) -> None:
        cat, val = self.catalog, self.validity
        self.slots: dict[tuple[str, str], list[int]] = {}
        self.earned: dict[str, Expr] = {}
        for cid in val.scope:  # children first
            self.earned[cid] = self._requirement(cid, cat.credentials[cid].requires, ())
        for t in self.targets:
            if val.credential_counts(t, None):
                continue
            e = self.earned[t]
            if not e[1] and e[0] < 1:
                self.infeasible = f"{t} cannot be earned from the courses that may be taken"
                continue
            self.lp.le(_ONE, e)
        # within a credential a course fills one leaf
        for (cid, c), ys in self.slots.items():
            if len(ys) > 1:
                self.lp.add({y: 1.0 for y in ys}, hi=1.0)
        # exclusive credentials share no course leaves
        if "exclusive" not in self.relax:
            by_course: dict[str, list[str]] = {}
            for (cid, c) in self.slots:
                by_course.setdefault(c, []).append(cid)
            for c, creds in by_course.items():
                for k in creds:
                    if not cat.credentials[k].exclusive:
                        continue
                    for other in creds:
                        if other != k and (not cat.credentials[other].exclusive or other > k):
                            row = {y: 1.0 for y in self.slots[(k, c)]}
                            row.update({y: 1.0 for y in self.slots[(other, c)]})
                            self.lp.add(row, hi=1.0)
        for c, j in self.x.items():
            pre = cat.courses[c].prerequisites
            if pre is not None:
                self.lp.le((0.0, {j: 1.0}), self.prerequisite(pre))
        budget = self.constraints.budget
        if budget is not None and "budget" not in self.relax:
            self.lp.add({j: cat.courses[c].cost for c, j in self.x.items()}, hi=budget + 1e-6)

    # ----------------------------------------------------------------------- objectives
    def vector(self, weights: Mapping[str, float], lp: LP | None = None) -> np.ndarray:
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

    def no_good(self, lp: LP, chosen: Iterable[str]) -> None:
        """Exclude exactly this course set from further solutions."""
        chosen = set(chosen)
        row = {j: (-1.0 if c in chosen else 1.0) for c, j in self.x.items()}
        lp.add(row, lo=1.0 - len(chosen))

    def cap(self, lp: LP, weights: Mapping[str, float], value: float) -> None:
        """Row ``sum(weights x) <= value`` (+ a tolerance for fractional hours)."""
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

    def timed(self, start: Term, horizon: int) -> tuple[LP, dict[tuple[str, int], int], list[int]]:
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
        saved, self.lp = self.lp, lp  # encode prerequisite trees into the copy
        try:
            for c in self.x:
                pre = cat.courses[c].prerequisites
                if pre is None:
                    continue
                for t in range(horizon):
                    if (c, t) not in z:
                        continue
                    def before(p: str, t: int = t) -> Expr:
                        return (0.0, {z[p, u]: 1.0 for u in range(t) if (p, u) in z})

                    self.lp.le((0.0, {z[c, t]: 1.0}), self.prerequisite(pre, before))
        finally:
            self.lp = saved
        for t in range(horizon):
            here = {v: 1.0 for (c, u), v in z.items() if u == t}
            if cons.max_courses_per_term is not None and here:
                lp.add(here, hi=float(cons.max_courses_per_term))
            if cons.max_hours_per_term is not None and "load" not in self.relax and here:
                lp.add({v: cat.courses[c].hours for (c, u), v in z.items() if u == t},
                       hi=cons.max_hours_per_term + 1e-9)
        return lp, z, active


def _nodes(node: Node) -> Iterable[Node]:
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, (AllOf, AnyOf, Choose)):
            stack.extend(n.children)
