"""The recommender's bundle model: binary course variables on the shared MILP layer
(:mod:`pathways._milp`), the rows that close gaps and price optional ones, and the order a
bundle's courses are taken in. Used by :class:`pathways.skills.recommend.CourseRecommender`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from pathways._milp import ONE, ZERO, Deadline, Expr, Model, SolveResult, lexmin, solve
from pathways.domain import Catalog, leaf_ids
from pathways.errors import PathwaysError
from pathways.skills.gap import SkillGap

if TYPE_CHECKING:
    from pathways.skills._context import Context

__all__ = [
    "TOL",
    "BundleModel",
    "combine",
    "cover_rows",
    "optional_gain_vars",
    "part",
    "prereq_order",
    "solution",
]

#: Tolerance of the lexicographic stages and of the hour comparisons.
TOL = 1e-6


class BundleModel(Model):
    """A model of the shared MILP layer (:mod:`pathways._milp`) with the recommender's
    spelling: ``var(lb, ub, integer)``, ``row(coefficients, lb, ub)``, solves with a time
    limit in seconds."""

    def var(self, lb: float = 0.0, ub: float = 1.0, integer: bool = True) -> int:  # type: ignore[override]
        return super().var(ub, lb=lb, integer=integer)

    def row(self, coeffs: Iterable[tuple[int, float]], lb: float = -np.inf, ub: float = np.inf) -> None:
        self.add(coeffs, lo=lb, hi=ub)

    def solve(self, objective: Mapping[int, float], *, time_limit: float) -> np.ndarray | None:
        """Minimize ``objective``; the solution vector, or None if infeasible."""
        return solution(solve(self, objective, deadline=Deadline(time_limit)))

    def lexmin(self, stages: Sequence[Mapping[int, float]], *, time_limit: float) -> np.ndarray | None:
        """Minimize each objective in turn, keeping the earlier ones at their optimum (folded
        into one solve where that is exact; :func:`pathways._milp.lexmin`)."""
        result, _ = lexmin(self, [self.vector(stage) for stage in stages],
                           deadline=Deadline(time_limit), tolerance=TOL)
        return solution(result)


def solution(result: SolveResult) -> np.ndarray | None:
    if result.status == "infeasible":
        return None
    if result.x is None:
        raise PathwaysError(f"the bundle optimization did not finish: {result.message}")
    return result.x


def combine(m: BundleModel, parts: Sequence[int | bool], k: int) -> int | bool:
    """A variable (or constant) that can be 1 only if at least ``k`` of ``parts`` are
    (:meth:`pathways._milp.Model.at_least`)."""
    exprs = [ONE if p is True else ZERO if p is False else (0.0, {p: 1.0}) for p in parts]
    return part(m, m.at_least(exprs, k))


def part(m: BundleModel, e: Expr) -> int | bool:
    """An expression of the shared layer as the recommender's ``int | bool``."""
    const, lin = e
    if not lin:
        return const >= 1
    if const == 0 and len(lin) == 1:
        (j, v), = lin.items()
        if v == 1.0:
            return j
    s = m.var()
    m.le((0.0, {s: 1.0}), e)
    return s


def cover_rows(m: BundleModel, ctx: Context, xs: Mapping[str, int], gaps: Iterable[SkillGap],
               teaches: Mapping[str, Sequence[tuple[str, int]]]) -> None:
    """Each gap closed: some chosen course teaches the skill at >= the required level."""
    for g in gaps:
        row = [(xs[c], 1.0) for c, lv in teaches.get(g.skill, ()) if lv >= g.required_level and c in xs]
        m.row(row, lb=1.0)


def optional_gain_vars(m: BundleModel, ctx: Context, xs: Mapping[str, int], gaps: Iterable[SkillGap],
                       teaches: Mapping[str, Sequence[tuple[str, int]]]) -> dict[int, float]:
    """Continuous z[g, l] <= sum of chosen courses teaching g at >= l; the objective to minimize
    (negative importance-weighted coverage gained)."""
    obj: dict[int, float] = {}
    for g in gaps:
        for level in range(g.held_level + 1, g.required_level + 1):
            row = [(xs[c], -1.0) for c, lv in teaches.get(g.skill, ()) if lv >= level and c in xs]
            if not row:
                continue
            z = m.var(integer=False)
            m.row([(z, 1.0)] + row, ub=0.0)
            obj[z] = -g.importance / g.required_level
    return obj


def prereq_order(cat: Catalog, chosen: Iterable[str], ranks: Mapping[str, int]) -> list[str]:
    """``chosen`` with prerequisites first (ties by id)."""
    chosen = set(chosen)
    deps: dict[str, set[str]] = {}
    for c in chosen:
        pre = cat.courses[c].prerequisites
        deps[c] = {r for r in leaf_ids(pre) if r in chosen} if pre is not None else set()
    order: list[str] = []
    done: set[str] = set()
    while len(order) < len(chosen):
        ready = sorted((c for c in chosen if c not in done and deps[c] <= done), key=lambda c: ranks.get(c, 0))
        if not ready:  # a cycle cannot happen in a validated catalog; keep going anyway
            ready = sorted((c for c in chosen if c not in done), key=lambda c: ranks.get(c, 0))
        order.append(ready[0])
        done.add(ready[0])
    return order
