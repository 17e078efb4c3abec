"""The one MILP layer of pathways: 0-1 models, "at least k of n", deadlines, lexicographic solves.

The planner (:mod:`pathways.planner.model`) and the recommender
(:mod:`pathways.skills.recommend`) build their models here and solve them with HiGHS through
``scipy.optimize.milp``:

- :class:`Model` holds variables (binary by default) and sparse rows ``lo <= a @ v <= hi``;
  affine expressions over its variables are ``(constant, {column: coefficient})`` pairs
  (:data:`ONE` and :data:`ZERO` are the constants), so trees fold constants while they are
  encoded and collapse to few variables.
- :meth:`Model.at_least` is the one encoding of "at least ``k`` of these ``n`` 0-1 expressions"
  (``all`` is ``k = n``, disaggregated into ``s <= child`` rows, the stronger form; ``k < n`` is
  ``k s <= sum(children)``).
- :class:`Deadline` is a point in time (``time.perf_counter``); every solve takes one and gives
  HiGHS only the time left, so a request of several solves ends on time.
- :class:`Requirements` encodes credentials' requirement trees with the format's counting
  rules (one leaf per course within a credential, ``min_hours`` as a threshold, nested
  credentials, exclusive credentials), given which holdings count (:class:`Counting`, e.g.
  :class:`pathways.planner.validity.Validity`): the planner and the recommender share it.
- :func:`lexmin` minimises objectives in order. When the objectives have integer coefficients
  (after scaling by a power of ten) and the folded weights stay small enough for HiGHS to
  compare objective values exactly (below :data:`FOLD_LIMIT`), the stages are folded into one
  objective ``w = sum_i c_i * M_i`` with ``M_i`` larger than the range of every later stage,
  which has the same minimisers, in **one** solve. Otherwise it solves stage by stage, capping
  each stage at its optimum.

HiGHS runs with ``mip_rel_gap=0``: ``"optimal"`` means proved optimal.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from pathways.domain import AnyOf, Choose, MinHours, Ref

__all__ = [
    "FOLD_LIMIT",
    "HIGHS_OPTIONS",
    "ONE",
    "ZERO",
    "Counting",
    "Deadline",
    "Expr",
    "Model",
    "Requirements",
    "SolveResult",
    "fold",
    "lexmin",
    "solve",
]

Expr = tuple[float, dict[int, float]]  # constant + linear terms
ONE: Expr = (1.0, {})
ZERO: Expr = (0.0, {})

#: HiGHS options beyond the ones ``milp`` names, passed through verbatim. The feasibility-jump
#: primal heuristic costs more than the whole solve of the small planning models (about 2.5x
#: CPU per solve measured); turning it off changes no optimality proof, only how an incumbent
#: is found.
HIGHS_OPTIONS: dict[str, object] = {"mip_heuristic_run_feasibility_jump": False}

#: The largest objective magnitude a folded lexicographic objective may reach: integer
#: objective values up to this size are represented exactly and differ by at least one, far
#: above HiGHS' tolerances (about 1e-9 relative on the bounds it compares).
FOLD_LIMIT = 2.0 ** 31


# --------------------------------------------------------------------------- deadlines
class Deadline:
    """A point in time (``time.perf_counter()`` seconds) that solves and searches stop at.

    >>> d = Deadline(5.0)
    >>> 4.0 < d.remaining() <= 5.0, d.expired()
    (True, False)
    >>> Deadline(0.0).expired()
    True
    """

    __slots__ = ("at",)

    def __init__(self, seconds: float) -> None:
        self.at = time.perf_counter() + max(0.0, float(seconds))

    @classmethod
    def at_time(cls, at: float) -> Deadline:
        d = cls(0.0)
        d.at = at
        return d

    def remaining(self) -> float:
        return self.at - time.perf_counter()

    def expired(self) -> bool:
        return time.perf_counter() >= self.at

    def sooner(self, seconds: float) -> Deadline:
        """This deadline or ``seconds`` from now, whichever comes first."""
        return Deadline.at_time(min(self.at, time.perf_counter() + max(0.0, seconds)))


def _at(deadline: Deadline | float) -> float:
    return deadline.at if isinstance(deadline, Deadline) else float(deadline)


# --------------------------------------------------------------------------- models
class Model:
    """Variables (binary unless stated) and sparse rows ``lo <= a @ v <= hi``.

    >>> m = Model()
    >>> a, b, c = m.var(), m.var(), m.var()
    >>> two = m.at_least([(0.0, {a: 1.0}), (0.0, {b: 1.0}), (0.0, {c: 1.0})], 2)
    >>> m.le(ONE, two)                        # at least two of a, b, c
    >>> r = solve(m, np.array([3.0, 1.0, 2.0, 0.0]), deadline=Deadline(5))
    >>> r.status, r.x[:3].tolist()
    ('optimal', [0.0, 1.0, 1.0])
    """

    def __init__(self) -> None:
        self.n = 0
        self.lb: list[float] = []
        self.ub: list[float] = []
        self.integer: list[int] = []
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.lo: list[float] = []
        self.hi: list[float] = []

    def var(self, ub: float = 1.0, *, lb: float = 0.0, integer: bool = True) -> int:
        """A new variable in ``[lb, ub]`` (binary by default); its column."""
        self.lb.append(lb)
        self.ub.append(ub)
        self.integer.append(1 if integer else 0)
        self.n += 1
        return self.n - 1

    def add(self, terms: Mapping[int, float] | Iterable[tuple[int, float]],
            lo: float = -np.inf, hi: float = np.inf) -> None:
        """The row ``lo <= sum(coefficient * variable) <= hi``."""
        r = len(self.lo)
        items = terms.items() if isinstance(terms, Mapping) else terms
        for j, v in items:
            if v:
                self.rows.append(r)
                self.cols.append(j)
                self.vals.append(v)
        self.lo.append(lo)
        self.hi.append(hi)

    def le(self, left: Expr, right: Expr) -> None:
        """The row ``left <= right`` for two affine expressions (rows that always hold over
        binaries are skipped)."""
        if not right[1] and left[0] + sum(v for v in left[1].values() if v > 0) <= right[0] + 1e-12:
            return
        terms: dict[int, float] = dict(left[1])
        for j, v in right[1].items():
            terms[j] = terms.get(j, 0.0) - v
        self.add(terms, hi=right[0] - left[0])

    def at_least(self, children: Sequence[Expr], k: float) -> Expr:
        """An expression that can be 1 only when at least ``k`` of ``children`` (each 0..1)
        are: a constant when the constants decide it, the child itself when one is left, else a
        new binary ``s`` with ``s <= child`` for each (``k`` = all of them) or
        ``k s <= sum(children)``."""
        ones = sum(1 for c in children if not c[1] and c[0] >= 1)
        rest = [c for c in children if c[1]]
        need = k - ones
        if need <= 0:
            return ONE
        if len(rest) < need:
            return ZERO
        if len(rest) == 1:
            return rest[0]
        s = self.var()
        if need >= len(rest):
            for child in rest:
                self.le((0.0, {s: 1.0}), child)
            return (0.0, {s: 1.0})
        total: dict[int, float] = {}
        const = 0.0
        for c0, lin in rest:
            const += c0
            for j, v in lin.items():
                total[j] = total.get(j, 0.0) + v
        self.le((0.0, {s: float(need)}), (const, total))
        return (0.0, {s: 1.0})

    def threshold(self, weights: Mapping[int, float], need: float) -> Expr:
        """An expression that can be 1 only when ``sum(weights[j] * v[j]) >= need``
        (``min_hours``): a constant when ``need <= 0`` or the weights cannot reach it."""
        if need <= 1e-9:
            return ONE
        if sum(w for w in weights.values() if w > 0) < need - 1e-9:
            return ZERO
        s = self.var()
        self.le((0.0, {s: need}), (0.0, dict(weights)))
        return (0.0, {s: 1.0})

    def copy(self) -> Model:
        other = type(self).__new__(type(self))
        other.__dict__.update({k: (list(v) if isinstance(v, list) else v)
                               for k, v in self.__dict__.items()})
        return other

    def vector(self, weights: Mapping[int, float]) -> np.ndarray:
        """An objective over the model's columns from ``{column: coefficient}``."""
        v = np.zeros(self.n)
        for j, w in weights.items():
            v[j] += w
        return v


# --------------------------------------------------------------------------- solving
@dataclass
class SolveResult:
    """``status``: ``"optimal"`` (proved), ``"feasible"`` (the time limit stopped HiGHS with a
    solution), ``"infeasible"`` or ``"timeout"`` (stopped without a solution)."""

    status: str
    x: np.ndarray | None = None
    message: str = ""
    objective: float | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("optimal", "feasible")


def solve(model: Model, objective: np.ndarray | Mapping[int, float], *,
          deadline: Deadline | float, presolve: bool = True) -> SolveResult:
    """Minimise ``objective @ v`` over ``model`` with HiGHS until ``deadline`` (a
    :class:`Deadline` or a ``time.perf_counter()`` value)."""
    remaining = _at(deadline) - time.perf_counter()
    if remaining <= 0:
        return SolveResult("timeout", message="no time left")
    if not isinstance(objective, np.ndarray):
        objective = model.vector(objective)
    n = model.n
    if n == 0:  # nothing to decide: check the constant rows
        ok = all(lo <= 1e-9 and hi >= -1e-9 for lo, hi in zip(model.lo, model.hi))
        return SolveResult("optimal", np.zeros(0), objective=0.0) if ok else \
            SolveResult("infeasible")
    constraints = []
    if model.lo:
        a = csr_array((np.asarray(model.vals, float),
                       (np.asarray(model.rows), np.asarray(model.cols))),
                      shape=(len(model.lo), n))
        constraints.append(LinearConstraint(a, np.asarray(model.lo), np.asarray(model.hi)))
    options = {"time_limit": remaining, "mip_rel_gap": 0.0, **HIGHS_OPTIONS}
    if not presolve:
        options["presolve"] = False
    args = dict(integrality=np.asarray(model.integer), constraints=constraints,
                bounds=Bounds(np.asarray(model.lb, float), np.asarray(model.ub, float)))
    with warnings.catch_warnings():
        # extra HiGHS options are passed through verbatim, with a warning saying so
        warnings.filterwarnings("ignore", message="Unrecognized options detected")
        res = milp(np.asarray(objective, float), **args, options=options)
        if res.status == 4 and presolve:  # HiGHS presolve sometimes fails on tiny models
            res = milp(np.asarray(objective, float), **args,
                       options={**options, "presolve": False,
                                "time_limit": max(1e-3, _at(deadline) - time.perf_counter())})
    x = None if res.x is None else _round(np.asarray(res.x), model.integer)
    fun = None if res.fun is None else float(res.fun)
    if res.status == 0:
        return SolveResult("optimal", x, res.message, fun)
    if res.status == 2:
        return SolveResult("infeasible", message=res.message)
    if x is not None:
        return SolveResult("feasible", x, res.message, fun)
    if res.status == 1:
        return SolveResult("timeout", message=res.message)
    return SolveResult("infeasible" if "infeasible" in res.message.lower() else "timeout",
                       message=res.message)


def _round(x: np.ndarray, integer: Sequence[int]) -> np.ndarray:
    mask = np.asarray(integer, bool)
    if mask.all():
        return np.round(x)
    out = x.copy()
    out[mask] = np.round(x[mask])
    return out


def _integral(v: np.ndarray) -> tuple[np.ndarray, int] | None:
    """``v`` times the smallest power of ten (up to 10^4) that makes it integral."""
    for p in range(5):
        scaled = v * 10 ** p
        rounded = np.round(scaled)
        if np.all(np.abs(scaled - rounded) <= 1e-9 * np.maximum(1.0, np.abs(scaled))):
            return rounded, p
    return None


def fold(stages: Sequence[np.ndarray], model: Model,
         limit: float = FOLD_LIMIT) -> np.ndarray | None:
    """One objective with the same minimisers as minimising ``stages`` lexicographically, or
    None when that cannot be done exactly within ``limit``.

    Each stage is scaled to integers and divided by the gcd of its coefficients; a stage's
    range over the model's variable bounds (every variable between its bounds, which contains
    every feasible point) bounds how much it can vary, and the stage above it is weighted by
    the product of the ranges below plus one. Exact when the folded objective's magnitude stays
    below ``limit``.

    >>> m = Model(); _ = m.var(), m.var()
    >>> fold([np.array([2.0, 1.0]), np.array([0.0, 5.0])], m).tolist()
    [4.0, 3.0]
    """
    lb = np.asarray(model.lb, float)
    ub = np.asarray(model.ub, float)
    weight = 1.0
    total = np.zeros(model.n)
    for stage in reversed(stages):
        got = _integral(np.asarray(stage, float))
        if got is None:
            return None
        ints, _ = got
        nz = np.abs(ints[ints != 0]).astype(np.int64)
        if nz.size:
            g = int(np.gcd.reduce(nz))
            if g > 1:
                ints = ints / g
        high = float(np.sum(np.maximum(ints * lb, ints * ub)))
        low = float(np.sum(np.minimum(ints * lb, ints * ub)))
        total = total + ints * weight
        weight *= (high - low) + 1.0
        if not math.isfinite(weight):
            return None
    magnitude = float(np.sum(np.maximum(np.abs(total * lb), np.abs(total * ub))))
    if magnitude >= limit:
        return None
    return total


def lexmin(model: Model, stages: Sequence[np.ndarray], *, deadline: Deadline | float,
           tolerance: float = 1e-6) -> tuple[SolveResult, int]:
    """Minimise ``stages`` in order; the result and the number of HiGHS solves it took.

    The stages are taken in blocks: each block is the longest run of stages that
    :func:`fold` folds exactly, solved once; a later block is solved with the earlier blocks
    capped at their optimum (``<= value + tolerance``, or ``+ 0.5`` for an exact folded, integer
    objective). Usually everything folds into one block and one solve. A block cut short by the
    deadline ends the sequence with the best solution found (status ``"feasible"``).
    """
    if not stages:
        return solve(model, np.zeros(model.n), deadline=deadline), 1
    blocks: list[tuple[np.ndarray, bool]] = []  # objective, integral
    i = 0
    while i < len(stages):
        for j in range(len(stages), i, -1):
            folded = fold(stages[i:j], model)
            if folded is not None:
                blocks.append((folded, True))
                i = j
                break
        else:
            blocks.append((np.asarray(stages[i], float), False))
            i += 1
    work = model if len(blocks) == 1 else model.copy()
    result: SolveResult | None = None
    for k, (objective, integral) in enumerate(blocks):
        r = solve(work, objective, deadline=deadline)
        if not r.ok:
            if result is None:
                return r, k + 1
            return SolveResult("feasible", result.x, r.message, result.objective), k + 1
        if result is not None and result.status != "optimal" and r.status == "optimal":
            r = SolveResult("feasible", r.x, r.message, r.objective)
        result = r
        if k < len(blocks) - 1:
            value = float(objective @ r.x)  # type: ignore[operator]
            slack = 0.5 if integral else tolerance * max(1.0, abs(value))
            work.add({j: float(c) for j, c in enumerate(objective) if c}, hi=value + slack)
    assert result is not None
    return result, len(blocks)


# --------------------------------------------------------------------------- requirement trees
class Counting(Protocol):
    """Which holdings count (:class:`pathways.planner.validity.Validity` is one)."""

    def course_counts(self, course_id: str, credential: str) -> bool: ...

    def credential_counts(self, cred_id: str, parent: str | None) -> bool: ...


class Requirements:
    """Credentials' requirement trees encoded over a :class:`Model`, with the format's counting
    rules (``docs/format.md``), for the planner and the recommender alike.

    - A course leaf of credential ``K`` is 1 when a holding counts for ``K`` (``counting``),
      else the expression ``take(course)`` (a variable of the caller's model, or :data:`ZERO`).
      Within a credential a course fills one leaf: a course listed under one leaf of ``K``
      (and in no exclusive conflict) enters ``K``'s nodes as itself; one listed under several
      gets a variable per leaf and the row ``sum(leaf variables) <= have`` (1 for a holding).
    - ``all`` / ``any`` / ``choose k`` through :meth:`Model.at_least`; ``min_hours`` through
      :meth:`Model.threshold` over the hours of the listed courses that count or are taken.
    - A nested credential leaf is 1 when a held credential counts for the parent, else the
      nested credential's own root (each credential is encoded once, children first).
    - Exclusive credentials (unless ``exclusive=False``): a course filling a leaf of an
      exclusive ``K`` fills no leaf of another credential of the scope.

    Parameters
    ----------
    model : Model
    catalog : Catalog
    scope : sequence of str
        Credential ids, children first (``pathways.planner.validity.credential_scope``).
    counting : Counting
        Which holdings count toward which credential (the recency windows of enclosing
        credentials included: build it for the same scope).
    exclusive : bool
        Apply the exclusive rule.

    Attributes
    ----------
    leaf_count : dict
        ``(credential, course)`` -> the number of leaves of the course in the credential's tree.
    places : dict
        Course -> ``(credential, node path, kind)`` for each place it counts: ``"slot"`` (a leaf
        of a ``choose``/``any`` needing fewer children than it lists), ``"fixed"`` (another
        leaf) or ``"hours"`` (a ``min_hours`` list; the path is the list's).
    nodes : dict
        ``(credential, node path)`` -> the node, for the paths of :attr:`places`.
    mentioned : dict
        Course -> the credentials whose trees name it.
    conflicted : set
        Courses listed as leaves of an exclusive credential and of another one.
    """

    def __init__(self, model: Model, catalog: Any, scope: Sequence[str], counting: Counting,
                 *, exclusive: bool = True) -> None:
        self.model = model
        self.catalog = catalog
        self.scope = tuple(scope)
        self.counting = counting
        self.exclusive = exclusive
        self.mentioned: dict[str, set[str]] = {}
        self.leaf_count: dict[tuple[str, str], int] = {}
        self.places: dict[str, list[tuple[str, tuple[int, ...], str]]] = {}
        self.nodes: dict[tuple[str, tuple[int, ...]], Any] = {}
        self.slots: dict[tuple[str, str], list[int]] = {}
        self.earned: dict[str, Expr] = {}
        self._index()

    def _index(self) -> None:
        cat = self.catalog
        for cid in self.scope:
            stack: list[tuple[Any, tuple[int, ...], Any]] = [(cat.credentials[cid].requires, (),
                                                              None)]
            while stack:
                node, path, parent = stack.pop()
                if isinstance(node, Ref):
                    if node.id in cat.courses:
                        self.mentioned.setdefault(node.id, set()).add(cid)
                        key = (cid, node.id)
                        self.leaf_count[key] = self.leaf_count.get(key, 0) + 1
                        slot = isinstance(parent, (AnyOf, Choose)) \
                            and parent.k < len(parent.children)
                        self.places.setdefault(node.id, []).append(
                            (cid, path[:-1], "slot" if slot else "fixed"))
                        if parent is not None:
                            self.nodes[(cid, path[:-1])] = parent
                elif isinstance(node, MinHours):
                    self.nodes[(cid, path)] = node
                    for c in dict.fromkeys(node.courses):
                        self.mentioned.setdefault(c, set()).add(cid)
                        self.places.setdefault(c, []).append((cid, path, "hours"))
                else:
                    for i, child in enumerate(node.children):
                        stack.append((child, path + (i,), node))
        self.conflicted: set[str] = set()
        if self.exclusive:
            by_course: dict[str, set[str]] = {}
            for (cid, c) in self.leaf_count:
                by_course.setdefault(c, set()).add(cid)
            for c, creds in by_course.items():
                if len(creds) > 1 and any(cat.credentials[k].exclusive for k in creds):
                    self.conflicted.add(c)

    def have(self, course: str, cred: str, take: Callable[[str], Expr]) -> Expr:
        """1 when a holding of ``course`` counts for ``cred``, else ``take(course)``."""
        if self.counting.course_counts(course, cred):
            return ONE
        return take(course)

    def encode(self, take: Callable[[str], Expr]) -> dict[str, Expr]:
        """Encode every credential of the scope (children first) and the rows that tie leaves
        to courses; each credential's "earned" expression."""
        cat = self.catalog
        for cid in self.scope:
            self.earned[cid] = self._node(cid, cat.credentials[cid].requires, take)
        for (cid, c), ys in self.slots.items():
            have = self.have(c, cid, take)
            row = {y: 1.0 for y in ys}
            const = have[0]
            for j, v in have[1].items():
                row[j] = row.get(j, 0.0) - v
            self.model.add(row, hi=const)
        if self.exclusive:
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
                            self.model.add(row, hi=1.0)
        return self.earned

    def _node(self, cred: str, node: Any, take: Callable[[str], Expr]) -> Expr:
        cat = self.catalog
        m = self.model
        if isinstance(node, Ref):
            if node.id in cat.credentials:
                if self.counting.credential_counts(node.id, cred):
                    return ONE
                return self.earned.get(node.id, ZERO)
            if node.id not in cat.courses:
                return ZERO
            have = self.have(node.id, cred, take)
            if not have[1] and have[0] < 1:
                return ZERO
            if self.leaf_count[(cred, node.id)] == 1 and node.id not in self.conflicted:
                return have  # the course fills this leaf only: no assignment variable
            y = m.var()
            self.slots.setdefault((cred, node.id), []).append(y)
            return (0.0, {y: 1.0})
        if isinstance(node, MinHours):
            held = 0.0
            lin: dict[int, float] = {}
            for c in dict.fromkeys(node.courses):
                if c not in cat.courses:
                    continue
                have = self.have(c, cred, take)
                hours = cat.courses[c].hours
                if have[1]:
                    for j, v in have[1].items():
                        lin[j] = lin.get(j, 0.0) + v * hours
                elif have[0] >= 1:
                    held += hours
            return m.threshold(lin, node.hours - held)
        children = [self._node(cred, child, take) for child in node.children]
        k = node.k if isinstance(node, (Choose, AnyOf)) else len(children)
        return m.at_least(children, k)
