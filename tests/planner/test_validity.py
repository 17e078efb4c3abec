"""pathways.planner.validity: which holdings count toward which credential at a date (expiry,
recency inherited from the credentials above, several holdings), and the scope's order."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pathways.domain import Catalog, Constraints, Holding, LearnerProfile, Term, add_months
from pathways.errors import PathwaysError
from pathways.io import catalog_from_data
from pathways.planner.validity import (
    StartInfo,
    Validity,
    course_leaves,
    credential_scope,
    effective_recency,
    start_term,
    with_start,
)

DAY = dt.date(2026, 6, 1)


def catalog(courses: list[dict[str, Any]], credentials: list[dict[str, Any]]) -> Catalog:
    return catalog_from_data({"courses": courses, "credentials": credentials}).catalog


def course(cid: str, **kw: Any) -> dict[str, Any]:
    return {"id": cid, "title": cid, "hours": 10, **kw}


def cred(cid: str, requires: Any, **kw: Any) -> dict[str, Any]:
    return {"id": cid, "title": cid, "level": "certificate", "requires": requires, **kw}


def held(*items: tuple[str, dt.date] | tuple[str, dt.date, dt.date]) -> LearnerProfile:
    return LearnerProfile("t", completed=tuple(
        Holding("credential" if i[0].startswith("K") else "course", *i) for i in items))


def test_a_badge_counts_until_its_expiry_day_inclusive() -> None:
    cat = catalog([course("A", badge_valid_months=12)], [cred("X", "A")])
    me = held(("A", dt.date(2024, 3, 1)))
    assert Validity(cat, me, ["X"], dt.date(2025, 3, 1)).course_counts("A", "X")
    late = Validity(cat, me, ["X"], dt.date(2025, 3, 2))
    assert not late.course_counts("A", "X")
    assert late.reason_not_counting("course", "A", "X") == "badge expired on 2025-03-01"
    assert late.is_held("course", "A") and "A" in late.completed_courses  # still a prerequisite


def test_a_holdings_own_expiry_overrides_the_courses_validity() -> None:
    cat = catalog([course("A", badge_valid_months=120)], [cred("X", "A")])
    me = held(("A", dt.date(2024, 3, 1), dt.date(2025, 1, 1)))
    assert not Validity(cat, me, ["X"], DAY).course_counts("A", "X")
    never = catalog([course("A")], [cred("X", "A")])  # no badge_valid_months: never expires
    assert Validity(never, held(("A", dt.date(1990, 1, 1))), ["X"], DAY).course_counts("A", "X")


def test_recency_is_inherited_from_the_credentials_above() -> None:
    cat = catalog([course("A"), course("B")],
                  [cred("M", "A"), cred("D", {"all": ["M", "B"]}, recency_months=24)])
    old = dt.date(2023, 6, 1)  # 36 months before DAY
    me = held(("A", old))
    alone = Validity(cat, me, credential_scope(cat, ["M"]), DAY)
    assert alone.course_counts("A", "M")  # M has no window of its own
    under_d = Validity(cat, me, credential_scope(cat, ["D"]), DAY)
    assert not under_d.course_counts("A", "M")  # inside D's plan, D's 24 months apply to M too
    assert under_d.reason_not_counting("course", "A", "M") == (
        "completed 2023-06-01, outside the 24-month recency window of D")
    recent = held(("A", add_months(DAY, -24)))  # exactly 24 months: still inside
    assert Validity(cat, recent, credential_scope(cat, ["D"]), DAY).course_counts("A", "M")


def test_the_strictest_window_wins_and_names_its_credential() -> None:
    cat = catalog([course("A")], [cred("M", "A", recency_months=12),
                                  cred("D", ["M"], recency_months=36),
                                  cred("E", ["D"], recency_months=24)])
    scope = credential_scope(cat, ["E"])
    assert scope == ["M", "D", "E"]  # children first
    assert effective_recency(cat, scope) == {"E": (24, "E"), "D": (24, "E"), "M": (12, "M")}
    assert effective_recency(cat, credential_scope(cat, ["D"]))["D"] == (36, "D")


def test_one_holding_that_counts_is_enough() -> None:
    cat = catalog([course("A", badge_valid_months=12)], [cred("X", "A")])
    me = held(("A", dt.date(2020, 1, 1)), ("A", dt.date(2026, 1, 1)))
    v = Validity(cat, me, ["X"], DAY)
    assert v.course_counts("A", "X") and v.holding("course", "A").date == dt.date(2026, 1, 1)
    assert v.reason_not_counting("course", "A", "X") is None


def test_a_held_credential_counts_in_its_own_right_and_as_a_component() -> None:
    cat = catalog([course("A"), course("B")],
                  [cred("K1", "A"), cred("K2", {"all": ["K1", "B"]}, recency_months=12)])
    me = held(("K1", dt.date(2024, 1, 1)))
    v = Validity(cat, me, credential_scope(cat, ["K2"]), DAY)
    assert v.credential_counts("K1", None)  # earned, whatever its age
    assert not v.credential_counts("K1", "K2")  # too old for K2's window
    assert not v.course_counts("A", "K1") and not v.is_held("course", "A")


def test_signature_lists_what_counts() -> None:
    cat = catalog([course("A", badge_valid_months=12), course("B")], [cred("X", ["A", "B"])])
    me = held(("A", dt.date(2025, 1, 1)), ("B", dt.date(2025, 1, 1)))
    mentions = {"X": ["A", "B"]}
    early = Validity(cat, me, ["X"], dt.date(2025, 6, 1)).signature(mentions)
    late = Validity(cat, me, ["X"], dt.date(2026, 2, 1)).signature(mentions)
    assert early == {("course", "A", "X"), ("course", "B", "X")}
    assert late == {("course", "B", "X")}


def test_the_scope_refuses_unknown_targets_and_cycles() -> None:
    cat = catalog([course("A")], [cred("X", "A")])
    with pytest.raises(PathwaysError, match="A is not a credential"):
        credential_scope(cat, ["A"])
    from pathways.domain import AllOf, Credential, Ref
    loop = Catalog(credentials={
        "P": Credential("P", "P", "certificate", AllOf((Ref("Q"),))),
        "Q": Credential("Q", "Q", "certificate", AllOf((Ref("P"),)))})
    with pytest.raises(PathwaysError, match="cycle: P -> Q -> P"):
        credential_scope(loop, ["P"])


def test_course_leaves_are_slots_not_min_hours_lists() -> None:
    cat = catalog([course(c) for c in "ABCD"],
                  [cred("K", "A"),
                   cred("X", {"all": ["A", {"choose": 1, "from": ["B", "K"]},
                                      {"min_hours": 10, "from": ["C", "D"]}]})])
    assert course_leaves(cat.credentials["X"].requires, cat) == [((0,), "A"), ((1, 0), "B")]


def test_the_start_term_is_the_profiles_or_the_next_one() -> None:
    explicit = LearnerProfile("x", constraints=Constraints(start=Term(2027, 1)))
    assert with_start(explicit, DAY) is explicit
    fresh = with_start(LearnerProfile("x"), dt.date(2026, 12, 6))
    assert fresh.constraints.start == Term(2027, 0) == start_term(LearnerProfile("x"),
                                                                  dt.date(2026, 12, 6))
    info = StartInfo.of(LearnerProfile("x", constraints=Constraints(start=Term(2026, 2))),
                        dt.date(2026, 10, 1))
    assert info.in_past and "has already begun" in str(info)
