"""The shared MILP layer: "at least k", the exact lexicographic fold, deadlines.

Checked against enumeration of every 0-1 vector of small random models.
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways._milp import FOLD_LIMIT, ONE, ZERO, Deadline, Model, fold, lexmin, solve


@st.composite
def models(draw: st.DrawFn) -> tuple[Model, list[np.ndarray]]:
    """A model of 3-7 binaries with random "at least" rows and 2-3 integer objectives."""
    n = draw(st.integers(3, 7))
    m = Model()
    for _ in range(n):
        m.var()
    for _ in range(draw(st.integers(1, 4))):
        cols = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True))
        need = draw(st.integers(1, len(cols)))
        m.add({j: 1.0 for j in cols}, lo=float(need))
    stages = [np.array(draw(st.lists(st.integers(0, 60), min_size=n, max_size=n)), float)
              for _ in range(draw(st.integers(2, 3)))]
    return m, stages


def feasible_points(m: Model) -> list[np.ndarray]:
    a = np.zeros((len(m.lo), m.n))
    for r, c, v in zip(m.rows, m.cols, m.vals):
        a[r, c] += v
    out = []
    for bits in itertools.product([0.0, 1.0], repeat=m.n):
        x = np.array(bits)
        y = a @ x
        if np.all(y >= np.array(m.lo) - 1e-9) and np.all(y <= np.array(m.hi) + 1e-9):
            out.append(x)
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models())
def test_lexmin_equals_the_lexicographic_minimum(case: tuple[Model, list[np.ndarray]]) -> None:
    m, stages = case
    points = feasible_points(m)
    r, solves = lexmin(m, stages, deadline=Deadline(10))
    if not points:
        assert r.status == "infeasible"
        return
    best = min(tuple(float(s @ x) for s in stages) for x in points)
    assert r.status == "optimal"
    assert tuple(float(s @ r.x) for s in stages) == best
    assert solves == 1  # small integer objectives always fold into one


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=1, max_size=5), st.integers(0, 6))
def test_at_least_k_of_n(values: list[int], k: int) -> None:
    """``at_least`` can be 1 exactly when k of the children are: constants fold, and with the
    children forced to their values the expression's maximum is [count >= k]."""
    m = Model()
    children = []
    ones = 0
    for v in values:  # 0, 1: constants; 2, 3: a variable fixed at 0 or 1
        if v < 2:
            children.append(ONE if v else ZERO)
            ones += v
        else:
            j = m.var(lb=float(v - 2), ub=float(v - 2))
            children.append((0.0, {j: 1.0}))
            ones += v - 2
    e = m.at_least(children, k)
    if not e[1]:
        assert e[0] == float(ones >= k)
        return
    objective = m.vector({j: -c for j, c in e[1].items()})
    r = solve(m, objective, deadline=Deadline(10))
    assert r.status == "optimal"
    assert round(e[0] + sum(c * r.x[j] for j, c in e[1].items())) == int(ones >= k)


def test_fold_scales_decimals_and_refuses_what_it_cannot_fold_exactly() -> None:
    m = Model()
    for _ in range(3):
        m.var()
    hours = np.array([10.1, 10.2, 10.1])
    cost = np.array([100.0, 50.0, 60.0])
    folded = fold([hours, cost], m)
    assert folded is not None
    # the fold orders the three single choices as hours, then cost, would
    order = sorted(range(3), key=lambda j: folded[j])
    assert order == sorted(range(3), key=lambda j: (hours[j], cost[j]))
    assert fold([np.array([0.3333333, 1.0, 2.0]), cost], m) is None  # not decimal
    big = np.array([FOLD_LIMIT, FOLD_LIMIT - 1, 1.0])  # coprime: no common factor to divide
    assert fold([big, cost], m) is None  # beyond exact comparison
    assert fold([np.full(3, FOLD_LIMIT), cost], m) is not None  # equal: divided by the gcd


def test_a_deadline_in_the_past_stops_before_solving() -> None:
    m = Model()
    m.var()
    assert solve(m, np.ones(1), deadline=Deadline(0.0)).status == "timeout"
    r, solves = lexmin(m, [np.ones(1), np.ones(1)], deadline=Deadline(0.0))
    assert r.status == "timeout" and solves == 1


def test_stages_that_do_not_fold_are_solved_in_blocks() -> None:
    m = Model()
    a, b, c = m.var(), m.var(), m.var()
    m.add({a: 1.0, b: 1.0, c: 1.0}, lo=1.0)
    first = np.array([1.0, 1.0, 1.0])
    second = np.array([0.5, 0.25, 1 / 3])  # not decimal: a block of its own
    r, solves = lexmin(m, [first, second], deadline=Deadline(10))
    assert r.status == "optimal" and solves == 2 and r.x.tolist() == [0.0, 1.0, 0.0]
