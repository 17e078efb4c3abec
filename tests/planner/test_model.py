"""pathways.planner.model: the set model's reductions keep the optimum (solved with and
without them on synthetic catalogs), blocked courses name their constraint, and the model's
helpers (no-good cuts, earliest terms, the time-indexed copy) do what they say."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways._milp import Deadline
from pathways.domain import Catalog, Constraints, Holding, LearnerProfile, Term
from pathways.io import catalog_from_data
from pathways.planner._request import relevant_courses
from pathways.planner.model import PlanModel, solve
from pathways.planner.validity import Validity, credential_scope

DAY = dt.date(2027, 1, 1)


def model(cat: Catalog, target: str, learner: LearnerProfile | None = None, *,
          reduce: bool = True, **kw: Any) -> PlanModel:
    learner = learner or LearnerProfile("t")
    scope = credential_scope(cat, [target])
    validity = Validity(cat, learner, scope, DAY)
    return PlanModel(cat, validity, [target], relevant_courses(cat, scope),
                     learner.constraints, reduce=reduce, **kw)


def optimum(m: PlanModel, weights: dict[str, float]) -> float | None:
    """The least total of ``weights`` over the model's plans (None: no plan)."""
    if m.infeasible:
        return None
    r = solve(m.lp, m.vector(weights), deadline=Deadline(30))
    assert r.status in ("optimal", "infeasible"), r.message
    return None if not r.ok else sum(weights[c] for c in m.chosen(r.x))  # type: ignore[arg-type]


def tied_catalog(seed: int) -> Catalog:
    """A small program with many equally good options (hours and costs from short lists),
    some fall-only or prerequisite-bound: what the reductions act on."""
    draw = random.Random(seed)
    ids = [f"C{i}" for i in range(draw.randint(6, 11))]
    courses = []
    for i, cid in enumerate(ids):
        row: dict[str, Any] = {"id": cid, "title": cid, "hours": draw.choice([5, 10, 10, 15]),
                               "cost": draw.choice([50, 100, 100])}
        if i and draw.random() < 0.25:
            row["prerequisites"] = draw.choice(ids[:i])
        if draw.random() < 0.2:
            row["terms"] = ["fall"]
        courses.append(row)
    pool = draw.sample(ids, draw.randint(3, len(ids)))
    parts: list[Any] = [{"choose": draw.randint(1, 3), "from": pool[: draw.randint(3, len(pool))]}]
    if draw.random() < 0.5:
        listed = draw.sample(ids, 4)
        total = sum(next(c["hours"] for c in courses if c["id"] == i) for i in listed)
        # a threshold the listed courses can reach (the loader refuses one they cannot)
        parts.append({"min_hours": min(draw.choice([10, 20, 25]), total), "from": listed})
    if draw.random() < 0.5:
        parts.append({"any": draw.sample(ids, 3)})
    credentials = [{"id": "M", "title": "M", "level": "microcredential",
                    "requires": {"choose": 1, "from": draw.sample(ids, 3)}},
                   {"id": "X", "title": "X", "level": "certificate",
                    "requires": {"all": parts + (["M"] if draw.random() < 0.5 else [])}}]
    return catalog_from_data({"courses": courses, "credentials": credentials}).catalog


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 100_000), n_held=st.integers(0, 3))
def test_dropping_dominated_courses_keeps_the_optimal_hours_and_cost(seed: int, n_held: int) -> None:
    cat = tied_catalog(seed)
    holdings = tuple(Holding("course", c, dt.date(2026, 1, 1))
                     for c in random.Random(seed + 1).sample(sorted(cat.courses), n_held))
    me = LearnerProfile("t", completed=holdings)
    full, reduced = model(cat, "X", me, reduce=False), model(cat, "X", me)
    for attr in ("hours", "cost"):
        weights = {c: float(getattr(cat.courses[c], attr)) for c in cat.courses}
        assert optimum(reduced, weights) == pytest.approx(optimum(full, weights)), attr
    assert set(reduced.x) <= set(full.x) and set(reduced.dropped).isdisjoint(reduced.x)


def test_the_reductions_are_exercised() -> None:
    """The property above is not vacuous: the generator's programs do drop courses."""
    assert sum(bool(model(tied_catalog(seed), "X").dropped) for seed in range(100)) >= 15


def catalog(courses: list[dict[str, Any]], credentials: list[dict[str, Any]],
            **kw: Any) -> Catalog:
    return catalog_from_data({"courses": courses, "credentials": credentials, **kw}).catalog


def course(cid: str, hours: float = 10, cost: float = 100, **kw: Any) -> dict[str, Any]:
    return {"id": cid, "title": cid, "hours": hours, "cost": cost, **kw}


def test_identical_options_are_reduced_to_the_first_ones_by_id() -> None:
    cat = catalog([course("A"), course("B"), course("C"), course("D", hours=5)],
                  [{"id": "X", "title": "X", "level": "certificate",
                    "requires": {"choose": 2, "from": ["A", "B", "C", "D"]}}])
    m = model(cat, "X")
    assert set(m.x) == {"A", "D"} and set(m.dropped) == {"B", "C"}  # two slots: D and one twin
    assert optimum(m, m.hours()) == 15.0


def test_a_blocked_course_names_the_constraint_that_blocks_it() -> None:
    cat = catalog([course("P", provider="far"), course("H", delivery="in-person"),
                   course("L", hours=90), course("N", terms=[]), course("F"), course("OK")],
                  [{"id": "X", "title": "X", "level": "certificate",
                    "requires": {"any": ["P", "H", "L", "N", "F", "OK"]}}],
                  providers=[{"id": "far"}])
    cons = Constraints(exclude_providers=frozenset({"far"}), delivery=frozenset({"online"}),
                       max_hours_per_term=40)
    m = model(cat, "X", LearnerProfile("t", constraints=cons), forbid=frozenset({"F"}))
    assert m.blocked == {"P": "providers", "H": "delivery", "L": "load", "N": "offering",
                         "F": "forbidden"}
    assert list(m.x) == ["OK"]
    relaxed = model(cat, "X", LearnerProfile("t", constraints=cons),
                    relax=frozenset({"providers", "load"}))
    assert set(relaxed.blocked) == {"H", "N"}


def test_a_no_good_cut_excludes_exactly_that_set() -> None:
    cat = catalog([course("A", 10), course("B", 12), course("C", 14)],
                  [{"id": "X", "title": "X", "level": "certificate",
                    "requires": {"any": ["A", "B", "C"]}}])
    m = model(cat, "X", reduce=False)
    lp = m.lp.copy()
    seen = []
    for _ in range(3):
        r = solve(lp, m.vector(m.hours(), lp), deadline=Deadline(10))
        seen.append(m.chosen(r.x))  # type: ignore[arg-type]
        m.no_good(lp, seen[-1])
    assert seen == [["A"], ["B"], ["C"]]  # each cut moves to the next best set
    r = solve(lp, m.vector(m.hours(), lp), deadline=Deadline(10))
    assert m.chosen(r.x) == ["A", "B"]  # type: ignore[arg-type]  # then two courses, 22 h


def test_earliest_terms_follow_prerequisites_and_seasons() -> None:
    cat = catalog([course("A"), course("B", prerequisites="A", terms=["fall"]),
                   course("C", prerequisites="B")],
                  [{"id": "X", "title": "X", "level": "certificate", "requires": ["C"]}])
    m = model(cat, "X", reduce=False)
    seasons = [Term(2027, 0).next(t).season for t in range(9)]
    assert m.earliest(seasons) == {"A": 0, "B": 2, "C": 3}
    assert model(cat, "X", LearnerProfile("t", completed=(
        Holding("course", "A", DAY),)), reduce=False).earliest(seasons) == {"B": 2, "C": 3}


def test_the_time_indexed_model_counts_terms() -> None:
    import numpy as np

    cat = catalog([course("A"), course("B", prerequisites="A"), course("C")],
                  [{"id": "X", "title": "X", "level": "certificate", "requires": ["B", "C"]}])
    m = model(cat, "X", reduce=False)
    lp, z, active = m.timed(Term(2027, 0), 3)
    terms = np.zeros(lp.n)
    terms[active] = 1.0
    r = solve(lp, terms, deadline=Deadline(10))
    assert r.status == "optimal" and round(r.x[active].sum()) == 2  # type: ignore[index]
    placed = {c: t for (c, t), v in z.items() if r.x[v] > 0.5}  # type: ignore[index]
    assert placed["A"] < placed["B"] and set(placed) == {"A", "B", "C"}
