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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

__all__ = [
    "FOLD_LIMIT",
    "HIGHS_OPTIONS",
    "ONE",
    "ZERO",
    "Deadline",
    "Expr",
    "Model",
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
    """Minimise ``stages`` in order (see the module docstring); the result and the number of
    HiGHS solves it took. A stage cut short by the deadline ends the sequence with the best
    solution found (status ``"feasible"``)."""
    if not stages:
        return solve(model, np.zeros(model.n), deadline=deadline), 1
    folded = fold(stages, model) if len(stages) > 1 else np.asarray(stages[0], float)
    if folded is not None:
        return solve(model, folded, deadline=deadline), 1
    work = model.copy()
    result: SolveResult | None = None
    solves = 0
    for i, stage in enumerate(stages):
        r = solve(work, stage, deadline=deadline)
        solves += 1
        if not r.ok:
            if result is None:
                return r, solves
            return SolveResult("feasible", result.x, r.message, result.objective), solves
        result = r if result is None or result.status == "optimal" else \
            SolveResult(r.status if r.status != "optimal" else "feasible", r.x, r.message,
                        r.objective)
        if i < len(stages) - 1:
            value = float(np.asarray(stage, float) @ r.x)  # type: ignore[operator]
            work.add({j: float(c) for j, c in enumerate(stage) if c},
                     hi=value + tolerance * max(1.0, abs(value)))
    assert result is not None
    return result, solves
