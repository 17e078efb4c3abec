"""pathways.planner.explain: reasons read from the audit, forced courses, and alternatives that
are priced truthfully (the numbers checked against plans made without the course)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pathways.domain import Catalog, Constraints, Holding, LearnerProfile, Term
from pathways.io import catalog_from_data
from pathways.io.trees import parse_requirement
from pathways.planner import plan
from pathways.planner.audit import Use
from pathways.planner.explain import describe_use, forced_courses
from pathways.planner.validity import Validity, credential_scope

W27 = Term(2027, 0)


def catalog(courses: list[dict[str, Any]], credentials: list[dict[str, Any]]) -> Catalog:
    return catalog_from_data({"courses": courses, "credentials": credentials}).catalog


def course(cid: str, hours: float = 10, cost: float = 100, **kw: Any) -> dict[str, Any]:
    return {"id": cid, "title": cid, "hours": hours, "cost": cost, **kw}


def cred(cid: str, requires: Any) -> dict[str, Any]:
    return {"id": cid, "title": cid, "level": "certificate", "requires": requires}


def me(*held: str) -> LearnerProfile:
    return LearnerProfile("t", completed=tuple(Holding("course", c, dt.date(2026, 1, 1))
                                               for c in held),
                          constraints=Constraints(start=W27))


def reasons(p: Any) -> dict[str, str]:
    return {c.id: c.reason for c in p.courses}


def test_describe_use_names_the_node_kind_and_label() -> None:
    tree = parse_requirement({"all": [
        "A", {"any": ["B", "C"], "label": "Stats"}, {"choose": 2, "from": ["D", "E", "F"]},
        {"min_hours": 30, "from": ["G", "H"]}, {"choose": 2, "from": ["I", "J"]}]})
    use = lambda c, path, kind="slot": describe_use(tree, Use(c, "X", path, kind, True), 20)  # noqa: E731
    assert use("A", (0,)) == "required by X"
    assert use("B", (1, 0)) == "fills 'Stats' (any one) of X"
    assert use("D", (2, 0)) == "fills a choose-2 requirement of X"
    assert use("G", (3,), "hours") == "adds 20 h toward the 30-hour requirement of X"
    assert use("I", (4, 0)) == "required by X"  # choose 2 of 2 is all of them


def test_forced_courses_follow_all_nodes_and_and_prerequisites_only() -> None:
    cat = catalog([course("A", prerequisites="P"), course("P"), course("B", prerequisites="Q or R"),
                   course("Q"), course("R"), course("C"), course("D"), course("K1")],
                  [cred("M", {"all": ["K1"]}),
                   cred("X", {"all": ["A", "B", "M", {"any": ["C", "D"]}]})])
    validity = Validity(cat, me(), credential_scope(cat, ["X"]), W27.start)
    assert forced_courses(cat, validity, ["X"]) == {"A", "P", "B", "K1"}
    held = Validity(cat, me("P", "A"), credential_scope(cat, ["X"]), W27.start)
    assert forced_courses(cat, held, ["X"]) == {"B", "K1"}  # held and counting: not forced


def test_reasons_and_priced_alternatives_match_the_plans_without_the_course() -> None:
    cat = catalog([course("A", 10), course("B", 25), course("C", 10, prerequisites="P"),
                   course("P", 5)],
                  [cred("X", {"all": [{"any": ["A", "B"], "label": "Methods"}, "C"]})])
    p = plan(cat, me(), ["X"])
    why = reasons(p)
    assert set(why) == {"A", "C", "P"}
    assert why["P"].startswith("prerequisite of C")
    assert why["C"].startswith("required by X") and "over" not in why["C"]  # forced: no alternative
    assert p.total_hours == 25  # A, C, P
    # the alternative of A is B: 10 h against 25 h, the difference a plan without A pays
    assert "fills 'Methods' (any one) of X" in why["A"] and "A (10 h) over B (25 h)" in why["A"]
    without_a = plan(catalog([course("B", 25), course("C", 10, prerequisites="P"),
                              course("P", 5)],
                             [cred("X", {"all": [{"any": ["B"], "label": "Methods"}, "C"]})]),
                     me(), ["X"])
    assert without_a.total_hours - p.total_hours == 25 - 10


def test_an_equally_good_twin_is_named_without_a_solve() -> None:
    cat = catalog([course("A", 10, 100), course("B", 10, 100), course("C", 30)],
                  [cred("X", {"any": ["A", "B", "C"]})])
    (only,) = plan(cat, me(), ["X"]).courses
    assert only.id == "A"
    assert only.alternative == ("A (10 h) over B (10 h), equal hours and cost; chosen by the "
                                "terms and id tie-breaks")


def test_a_course_every_plan_needs_says_so() -> None:
    cat = catalog([course("A", 10), course("B", 10, delivery="in-person")],
                  [cred("X", {"any": ["A", "B"]})])
    online = LearnerProfile("t", constraints=Constraints(start=W27, delivery=frozenset({"online"})))
    (only,) = plan(cat, online, ["X"]).courses
    assert only.alternative == "no alternative: every plan within the constraints needs A"


def test_without_explain_no_alternative_is_priced() -> None:
    cat = catalog([course("A", 10), course("B", 25)], [cred("X", {"any": ["A", "B"]})])
    (only,) = plan(cat, me(), ["X"], explain=False).courses
    assert only.alternative is None and only.reason == "fills a one-of choice of X"


def test_a_renewal_says_why_the_holding_no_longer_counts() -> None:
    cat = catalog([course("A", 10, badge_valid_months=12)], [cred("X", ["A"])])
    old = LearnerProfile("t", completed=(Holding("course", "A", dt.date(2024, 1, 1)),),
                         constraints=Constraints(start=W27))
    (only,) = plan(cat, old, ["X"]).courses
    assert only.renewal and only.reason.startswith("renews A (badge expired on 2025-01-01)")
