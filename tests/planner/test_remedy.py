"""What would make an infeasible plan feasible (planner/remedy.py): each change is the least
that works, checked by brute force over every choice of courses, and one step less fails."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pathways.domain import Constraints, LearnerProfile, Term
from pathways.io import catalog_from_data, load_catalog, load_learner
from pathways.planner import plan, remedies

from tests.conftest import SAMPLE

W27 = Term(2027, 0)


def _catalog(courses: list[dict[str, Any]], requires: Any):
    return catalog_from_data({"providers": [{"id": "p1", "name": "One"}, {"id": "p2", "name": "Two"}],
                              "courses": courses, "credentials": [
        {"id": "X", "title": "X", "level": "certificate", "requires": requires}]}).catalog


def _me(**limits: Any) -> LearnerProfile:
    return LearnerProfile("me", constraints=Constraints(start=W27, **limits))


def _with(person: LearnerProfile, **changes: Any) -> LearnerProfile:
    return dataclasses.replace(person, constraints=dataclasses.replace(person.constraints, **changes))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 8), st.integers(0, 9)), min_size=2, max_size=5),
       st.integers(1, 3), st.integers(0, 20), st.integers(1, 8))
def test_budget_and_load_remedies_are_the_least_that_work(
        courses: list[tuple[int, int]], k: int, budget: int, cap: int) -> None:
    # choose k of n courses with a budget and a per-term hours limit; brute force over every
    # choice of k courses gives the least budget (within the hours limit) and the least hours
    # limit (within the budget) that admit a plan
    k = min(k, len(courses))
    data = [{"id": f"C{i}", "title": f"C{i}", "hours": 10 * h, "cost": 100 * c}
            for i, (h, c) in enumerate(courses)]
    cat = _catalog(data, {"choose": k, "from": [c["id"] for c in data]})
    me = _me(budget=100 * budget, max_hours_per_term=10 * cap)
    choices = list(itertools.combinations(courses, k))
    fits = [ch for ch in choices if sum(100 * c for _, c in ch) <= 100 * budget
            and all(10 * h <= 10 * cap for h, _ in ch)]
    assume(not fits)  # an infeasible request
    found = {r.constraint: r for r in remedies(cat, me, ["X"])}
    in_load = [sum(100 * c for _, c in ch) for ch in choices if all(h <= cap for h, _ in ch)]
    if in_load:
        need = min(in_load)
        assert found["budget"].changes == {"budget": need}
        assert found["budget"].plan.feasible and found["budget"].plan.total_cost <= need
    else:
        assert "budget" not in found
    in_budget = [max(h for h, _ in ch) * 10 for ch in choices
                 if sum(c for _, c in ch) <= budget]
    if in_budget:
        need = min(in_budget)
        assert found["max_hours_per_term"].changes == {"max_hours_per_term": need}
        # one step less (the next shorter course length) gives no plan
        shorter = [10 * h for h, _ in courses if 10 * h < need]
        if shorter and max(shorter) > 10 * cap:
            assert not plan(cat, _with(me, max_hours_per_term=max(shorter)), ["X"]).feasible
    else:
        assert "max_hours_per_term" not in found
    if not in_load and not in_budget:
        (combined,) = found.values()
        assert combined.constraint == "several" and combined.plan.feasible
    for r in found.values():
        assert plan(cat, _with(me, **r.changes), ["X"]).feasible


def test_provider_and_delivery_remedies_name_what_to_allow() -> None:
    cat = _catalog([
        {"id": "A", "title": "A", "hours": 10, "cost": 100, "provider": "p1", "delivery": "in-person"},
        {"id": "B", "title": "B", "hours": 10, "cost": 100, "provider": "p2", "delivery": "hybrid"}],
        {"any": ["A", "B"]})
    only_online = _me(delivery=frozenset({"online"}))
    assert [r.text for r in remedies(cat, only_online, ["X"])] == [
        "accept in-person delivery too (now online)", "accept hybrid delivery too (now online)"]
    no_providers = _me(exclude_providers=frozenset({"p1", "p2"}))
    found = remedies(cat, no_providers, ["X"])
    assert [r.changes for r in found] == [{"exclude_providers": frozenset({"p2"})},
                                          {"exclude_providers": frozenset({"p1"})}]
    assert found.items[0].text == "allow courses of One (p1) (now excluded)"


def test_nothing_to_change() -> None:
    cat = _catalog([{"id": "A", "title": "A", "hours": 10, "cost": 100, "terms": ["fall"]}], "A")
    assert remedies(cat, _me(), ["X"]).note == "the plan is feasible: nothing needs to change"
    # an exclusive credential whose only course another target needs too: no limit of the
    # learner's can help, and the result says why
    both = catalog_from_data({"courses": [{"id": "A", "title": "A", "hours": 10, "cost": 100}],
                              "credentials": [
        {"id": "X", "title": "X", "level": "certificate", "requires": "A", "exclusive": True},
        {"id": "Y", "title": "Y", "level": "certificate", "requires": "A"}]}).catalog
    found = remedies(both, _me(budget=10), ["X", "Y"])
    assert not found.items
    assert found.note.startswith("no change of the learner's limits gives a plan: cannot finish")
    assert "exclusive" in found.note


def test_time_limit_is_said() -> None:
    cat = _catalog([{"id": "A", "title": "A", "hours": 10, "cost": 100}], "A")
    found = remedies(cat, _me(budget=50), ["X"], time_limit=0.0)
    assert not found.items and "time limit (0 s) stopped the search" in found.note


def test_jonas_diploma_needs_a_larger_budget() -> None:
    # issue 20: Jonas -> UT-DIP-DATA is over budget; the page says what budget it needs
    cat = load_catalog(SAMPLE)
    jonas = load_learner(SAMPLE / "learners" / "halfway-jonas.yaml", cat)
    day = dt.date(2026, 12, 6)
    blocked = plan(cat, jonas, ["UT-DIP-DATA"], today=day)
    assert not blocked.feasible and blocked.reason.startswith("over budget")
    (fix,) = remedies(cat, jonas, ["UT-DIP-DATA"], today=day)
    cheapest = plan(cat, _with(jonas, budget=None), ["UT-DIP-DATA"], objective="cost", today=day)
    assert fix.constraint == "budget" and fix.changes == {"budget": cheapest.total_cost}
    assert f"{cheapest.total_cost:,.0f} CAD" in blocked.reason  # the planner's reason agrees
    assert fix.plan.feasible and fix.plan.total_cost <= cheapest.total_cost
    assert not plan(cat, _with(jonas, budget=cheapest.total_cost - 1), ["UT-DIP-DATA"],
                    today=day).feasible
