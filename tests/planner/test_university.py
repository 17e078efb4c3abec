"""Property tests on small university programs (:func:`pathways.synth.university_data`).

The shapes of real programs (choose lists that overlap between groups, nested choose,
distribution areas, hour thresholds, stacked credentials, prerequisite sequences), scaled down
so that the brute force of :mod:`tests.planner.test_properties` (every subset of courses, every
assignment of courses to leaves, on the raw data) can check the planner's optimum and the
audit's verdict -- also when the audit's combinatorial search is given no budget, so that its
MILP of its own formulation decides.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pathways.domain import Constraints, Holding, LearnerProfile
from pathways.graph import build_graph
from pathways.io import catalog_from_data
from pathways.planner import audit_many, plan
from pathways.synth import university_data
from tests.planner.test_properties import (
    OLD,
    RECENT,
    SETTINGS,
    START,
    Brute,
    check_audit_agrees,
    cost_key,
    hours_key,
)


@st.composite
def program(draw: Any) -> dict[str, Any]:
    """A small university (two departments of 4-5 courses, groups of at most 4 options), one
    target program, holdings far from the plan's dates and some constraints."""
    data = university_data(draw(st.integers(1, 4)), n_departments=2,
                           department_size=draw(st.sampled_from([4, 5])), max_options=4,
                           seed=draw(st.integers(0, 10**6)))
    courses = [c["id"] for c in data["courses"]]
    credentials = [c["id"] for c in data["credentials"]]
    held = {c: draw(st.sampled_from([None] * 5 + [RECENT, OLD])) for c in courses}
    held.update({k: draw(st.sampled_from([None] * 8 + [RECENT, OLD])) for k in credentials})
    cons = {"budget": draw(st.sampled_from([None, None, 3000, 6000])),
            "exclude_providers": (), "delivery": None,
            "max_courses_per_term": draw(st.sampled_from([None, 2, 3])),
            "max_hours_per_term": None}
    targets = draw(st.lists(st.sampled_from(credentials), min_size=1, max_size=2, unique=True))
    return {"data": data, "held": {k: v for k, v in held.items() if v}, "cons": cons,
            "targets": targets}


def build(s: dict[str, Any]):
    cat = catalog_from_data(s["data"]).catalog
    c = s["cons"]
    holdings = tuple(Holding("credential" if i in cat.credentials else "course", i, d)
                     for i, d in sorted(s["held"].items()))
    learner = LearnerProfile("u", completed=holdings, constraints=Constraints(
        start=START, max_courses_per_term=c["max_courses_per_term"], budget=c["budget"]))
    return cat, learner


@settings(max_examples=60, **SETTINGS)
@given(program())
def test_plans_of_university_programs_equal_the_brute_force(s: dict[str, Any]) -> None:
    b = Brute(s)
    assume(b.assignments(s["targets"]) <= 512 and len(b.courses) <= 10)
    cat, learner = build(s)
    p = plan(cat, learner, s["targets"], graph=build_graph(cat), explain=False)
    best = b.optimum(s["targets"], hours_key(b))
    assert p.feasible == (best is not None), (p.reason, best)
    if best is not None:
        assert p.optimal and (p.total_hours, p.total_cost) == best
        assert all(a.ok for a in p.audits)
        # each credential the plan says it earns along the way is met by then
        for cred, term in p.earned:
            upto = [(c.id, c.term) for c in p.courses if c.term <= term]
            got = audit_many(cat, learner, [cred], planned=upto, as_of=p.completion,
                             check_schedule=False)[0]
            assert got.met, (cred, term)


@settings(max_examples=30, **SETTINGS)
@given(program())
def test_cost_plans_of_university_programs_equal_the_brute_force(s: dict[str, Any]) -> None:
    b = Brute(s)
    assume(b.assignments(s["targets"]) <= 512 and len(b.courses) <= 10)
    cat, learner = build(s)
    p = plan(cat, learner, s["targets"], objective="cost", explain=False)
    best = b.optimum(s["targets"], cost_key(b))
    assert p.feasible == (best is not None), (p.reason, best)
    if best is not None:
        assert (p.total_cost, p.total_hours) == best


@pytest.mark.parametrize("budget", [None, 0])
@settings(max_examples=60, **SETTINGS)
@given(s=program(), data=st.data())
def test_audit_of_university_programs_agrees_with_the_enumerator(
        s: dict[str, Any], data: Any, budget: int | None) -> None:
    """With the default budget the matching search decides; with none, every contested
    credential goes to the audit's MILP (and the exclusive sides to the scope-wide one)."""
    b = Brute(s)
    assume(b.assignments(s["targets"]) <= 512)
    cat, learner = build(s)
    taken = data.draw(st.sets(st.sampled_from(sorted(b.courses))))
    check_audit_agrees(b, cat, learner, s["targets"], taken, budget)


def test_the_small_instances_have_the_shapes_of_programs() -> None:
    """The generator's small instances keep overlapping groups, nesting and sequences."""
    from pathways.domain import Choose, Ref, iter_nodes

    seen = {"choose": 0, "nested credential": 0, "shared course": 0}
    for seed in range(20):
        cat = catalog_from_data(university_data(4, n_departments=2, department_size=5,
                                                max_options=4, seed=seed)).catalog
        for cred in cat.credentials.values():
            leaves: dict[str, int] = {}
            for node in iter_nodes(cred.requires):
                if isinstance(node, Choose):
                    seen["choose"] += 1
                if isinstance(node, Ref):
                    if node.id in cat.credentials:
                        seen["nested credential"] += 1
                    else:
                        leaves[node.id] = leaves.get(node.id, 0) + 1
            seen["shared course"] += sum(n > 1 for n in leaves.values())
    assert all(v > 0 for v in seen.values()), seen
