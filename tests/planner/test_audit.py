"""The audit: counting rules, the assignment search, statuses and the schedule checks.

Scenario tests build a tiny catalog inline and assert the audited outcome, worked out by hand.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from pathways.domain import Constraints, Holding, LearnerProfile, Term
from pathways.errors import PathwaysError
from pathways.io import catalog_from_data, load_catalog, load_learner
from pathways.planner import audit, audit_many
from pathways.planner.audit import prerequisites_met, schedule_problems

from tests.conftest import EXAMPLES

W27 = Term(2027, 0)
S27 = Term(2027, 1)
F27 = Term(2027, 2)
START = Constraints(start=W27)


def course(cid: str, hours: float = 10, **kw: Any) -> dict[str, Any]:
    return {"id": cid, "title": f"Course {cid}", "hours": hours, **kw}


def cred(cid: str, requires: Any, **kw: Any) -> dict[str, Any]:
    return {"id": cid, "title": f"Credential {cid}", "level": "certificate",
            "requires": requires, **kw}


def catalog(courses: list[dict[str, Any]], credentials: list[dict[str, Any]], **kw: Any):
    return catalog_from_data({"courses": courses, "credentials": credentials, **kw}).catalog


def learner(*held: tuple[str, str] | tuple[str, str, str], constraints: Constraints = START,
            ) -> LearnerProfile:
    holdings = []
    for h in held:
        kind = "credential" if h[0].startswith("K") else "course"
        holdings.append(Holding(kind, h[0], dt.date.fromisoformat(h[1]),  # type: ignore[arg-type]
                                dt.date.fromisoformat(h[2]) if len(h) > 2 else None))
    return LearnerProfile("t", completed=tuple(holdings), constraints=constraints)


# --------------------------------------------------------------------------- the examples
@pytest.fixture(scope="module")
def examples():
    cat = load_catalog(EXAMPLES / "catalog.yaml")
    return cat, load_learner(EXAMPLES / "learner-priya.yaml", cat)


def test_priya_certificate_has_nothing_yet(examples) -> None:
    cat, priya = examples
    result = audit(cat, priya, "UT-CERT-DA")
    assert not result.met and result.status == "not met"
    assert result.as_of == dt.date(2027, 1, 1)  # start of her start term
    texts = [n.detail for n in result.root.children]
    assert texts == ["not taken", "0 of 2 chosen", "0 of 40 hours"]
    assert result.missing[0].startswith("UT-DA-101")
    assert "2 more of 'Methods electives' (choose 2)" in result.missing[1]


def test_priya_expired_badge_does_not_count(examples) -> None:
    cat, priya = examples
    result = audit(cat, priya, "AU-AI-ETHICS")
    assert not result.met
    leaf = result.root.children[0]
    assert leaf.id == "AU-AIE-1" and leaf.status == "not met"
    assert "badge expired on 2025-03-01" in leaf.detail
    assert [(n.id, n.reason) for n in result.not_counting] == [
        ("AU-AIE-1", "badge expired on 2025-03-01")]


def test_priya_with_her_plan_meets_the_certificate(examples) -> None:
    cat, priya = examples
    planned = [("UT-PY-1", W27), ("UT-STAT-2", W27), ("UT-DA-101", S27), ("UT-VIZ-1", S27),
               ("UT-CAP-3", F27)]
    result = audit(cat, priya, "UT-CERT-DA", planned=planned)
    assert result.met and result.ok and not result.problems
    assert result.as_of == F27.end
    capstone = result.root.children[2]
    assert capstone.status == "met" and capstone.detail.startswith("40 of 40 hours")
    da101 = result.root.children[0]
    assert da101.source == "planned" and da101.term == "2027-summer"
    json.dumps(result.to_dict())  # JSON-ready


def test_reporting_viz_cannot_fill_both_slots(examples) -> None:
    cat, priya = examples
    result = audit(cat, priya, "UT-MC-REPORTING", planned=[("UT-VIZ-1", W27)])
    assert not result.met and result.status == "partial"
    assert [c.status for c in result.root.children] in (["met", "not met"], ["not met", "met"])
    unmet = next(c for c in result.root.children if c.status == "not met")
    assert any("already fills another slot" in g.detail for g in unmet.children
               if g.id == "UT-VIZ-1")
    both = audit(cat, priya, "UT-MC-REPORTING", planned=[("UT-VIZ-1", W27), ("UT-SQL-1", W27)])
    assert both.met


# --------------------------------------------------------------------------- the assignment search
def test_assignment_is_a_matching_not_first_fit() -> None:
    # A is listed first in both nodes; first fit gives A to the first node and fails the second
    cat = catalog([course("A"), course("B")],
                  [cred("X", {"all": [{"any": ["A", "B"]}, {"any": ["A"]}]})])
    result = audit(cat, learner(("A", "2026-06-01"), ("B", "2026-06-01")), "X")
    assert result.met
    first, second = result.root.children
    assert first.children[1].status == "met" and second.children[0].status == "met"


def test_choose_with_overlapping_lists_needs_distinct_courses() -> None:
    cat = catalog([course("A"), course("B"), course("C")],
                  [cred("X", {"all": [{"choose": 2, "from": ["A", "B"]},
                                      {"choose": 1, "from": ["A", "C"]}]})])
    me = learner(("A", "2026-06-01"), ("B", "2026-06-01"))
    result = audit(cat, me, "X")
    assert not result.met  # A cannot count in both: 3 slots, 2 courses
    assert result.root.detail == "1 of 2 met"
    assert audit(cat, learner(("A", "2026-06-01"), ("B", "2026-06-01"), ("C", "2026-06-01")),
                 "X").met


def test_prefers_the_assignment_that_satisfies_most() -> None:
    # A alone: either node can have it; the audit must report 1 of 2 met, not 0
    cat = catalog([course("A"), course("B"), course("C")],
                  [cred("X", {"all": [{"choose": 2, "from": ["A", "B"]}, {"any": ["A", "C"]}]})])
    result = audit(cat, learner(("A", "2026-06-01")), "X")
    assert result.root.detail == "1 of 2 met"
    assert result.root.status == "partial"


def test_min_hours_is_a_threshold_not_a_slot() -> None:
    cat = catalog([course("A", 20), course("B", 10)],
                  [cred("X", {"all": ["A", {"min_hours": 20, "from": ["A", "B"],
                                            "label": "Hours"}]})])
    result = audit(cat, learner(("A", "2026-06-01")), "X")
    assert result.met
    hours = result.root.children[1]
    assert hours.counted == ("A",) and hours.detail == "20 of 20 hours (A)"
    partial = audit(cat, learner(("B", "2026-06-01")), "X")
    assert partial.root.children[1].status == "partial"
    assert partial.root.children[1].detail.startswith("10 of 20 hours")
    assert "10 more hours of 'Hours' from A" in partial.missing


# --------------------------------------------------------------------------- nesting
def test_nested_credential_earned_by_courses_or_held() -> None:
    cat = catalog([course("A"), course("B"), course("C")],
                  [cred("M", {"all": ["A", "B"]}),
                   cred("D", {"all": ["M", "C"]}, level="diploma")])
    by_courses = audit(cat, learner(("A", "2026-01-01"), ("B", "2026-01-01"),
                                    ("C", "2026-01-01")), "D")
    assert by_courses.met
    m_node = by_courses.root.children[0]
    assert m_node.kind == "credential" and m_node.source == "earned"
    held = audit(cat, learner(("KM", "2026-01-01"), ("C", "2026-01-01")), "D")
    assert not held.met  # KM is not M
    cat2 = catalog([course("A"), course("B"), course("C")],
                   [cred("KM", {"all": ["A", "B"]}),
                    cred("KD", {"all": ["KM", "C"]}, level="diploma")])
    held = audit(cat2, learner(("KM", "2026-01-01"), ("C", "2026-01-01")), "KD")
    assert held.met and held.root.children[0].source == "held"


def test_leaves_of_a_nested_credential_belong_to_it() -> None:
    # A fills a leaf of M and, separately, a leaf of D: different credentials may share it
    cat = catalog([course("A"), course("B")],
                  [cred("M", {"all": ["A", "B"]}),
                   cred("D", {"all": ["M", "A"]}, level="diploma")])
    assert audit(cat, learner(("A", "2026-01-01"), ("B", "2026-01-01")), "D").met


# --------------------------------------------------------------------------- validity
def test_badge_expiry_and_own_expires() -> None:
    cat = catalog([course("A", badge_valid_months=12), course("B")],
                  [cred("X", {"all": ["A", "B"]})])
    me = learner(("A", "2025-06-01"), ("B", "2025-06-01"))
    assert audit(cat, me, "X", as_of=dt.date(2026, 6, 1)).met  # expires that very day
    late = audit(cat, me, "X", as_of=dt.date(2026, 6, 2))
    assert not late.met and "badge expired on 2026-06-01" in late.root.children[0].detail
    # a holding's own expires date wins over badge_valid_months
    me2 = learner(("A", "2025-06-01", "2030-01-01"), ("B", "2025-06-01", "2026-01-01"))
    result = audit(cat, me2, "X", as_of=dt.date(2026, 6, 2))
    assert [c.status for c in result.root.children] == ["met", "not met"]


def test_recency_applies_to_nested_components() -> None:
    cat = catalog([course("A"), course("B")],
                  [cred("M", {"all": ["A"]}),
                   cred("D", {"all": ["M", "B"]}, level="diploma", recency_months=24)])
    me = learner(("A", "2020-01-01"), ("B", "2026-01-01"))
    as_of = dt.date(2027, 1, 1)
    assert audit(cat, me, "M", as_of=as_of).met  # M alone has no recency window
    result = audit(cat, me, "D", as_of=as_of)
    assert not result.met
    reasons = {(n.id, n.credential): n.reason for n in result.not_counting}
    assert reasons[("A", "M")] == ("completed 2020-01-01, outside the 24-month recency window "
                                   "of D")


def test_expired_course_still_satisfies_prerequisites() -> None:
    cat = catalog([course("A", badge_valid_months=12), course("B", prerequisites="A")],
                  [cred("X", "B")])
    me = learner(("A", "2020-01-01"))
    assert schedule_problems(cat, me, [("B", W27)]) == []
    result = audit(cat, me, "X", planned=[("B", W27)])
    assert result.ok


# --------------------------------------------------------------------------- exclusive
def test_exclusive_credentials_share_no_course_leaves() -> None:
    cat = catalog([course("A"), course("B")],
                  [cred("X", {"any": ["A", "B"]}, exclusive=True), cred("Y", "A")])
    only_a = learner(("A", "2026-01-01"))
    x, y = audit_many(cat, only_a, ["X", "Y"])
    assert x.met != y.met  # A counts toward one of them only
    both = learner(("A", "2026-01-01"), ("B", "2026-01-01"))
    x, y = audit_many(cat, both, ["X", "Y"])
    assert x.met and y.met
    assert x.root.children[1].status == "met"  # X takes B so that Y can have A
    # audited alone, each is met with A
    assert audit(cat, only_a, "X").met and audit(cat, only_a, "Y").met


def test_exclusive_does_not_block_min_hours() -> None:
    cat = catalog([course("A", 20), course("B")],
                  [cred("X", {"all": ["A"]}, exclusive=True),
                   cred("Y", {"min_hours": 20, "from": ["A", "B"]})])
    x, y = audit_many(cat, learner(("A", "2026-01-01")), ["X", "Y"])
    assert x.met and y.met


# --------------------------------------------------------------------------- schedule checks
def test_schedule_problems_are_found() -> None:
    cat = catalog(
        [course("A", 30, cost=500, provider="p1"),
         course("B", 30, cost=500, prerequisites="A", terms=["fall"], provider="p2",
                delivery="in-person"),
         course("C", 30, cost=500, provider="p1")],
        [cred("X", {"all": ["A", "B", "C"]})],
        providers=[{"id": "p1", "name": "P1"}, {"id": "p2", "name": "P2"}])
    cons = Constraints(start=S27, max_courses_per_term=1, max_hours_per_term=50, budget=1000,
                       exclude_providers=frozenset({"p2"}), delivery=frozenset({"online"}))
    me = learner(constraints=cons)
    problems = schedule_problems(cat, me, [("A", W27), ("B", S27), ("C", S27), ("A", F27)])
    text = "\n".join(problems)
    assert "before the start term 2027-summer" in text
    assert "B is not offered in summer" in text
    assert "B is from excluded provider p2" in text
    assert "B is delivered in-person" in text
    assert "B in 2027-summer lacks its prerequisites" not in text  # A is in an earlier term
    assert "A is planned twice" in text
    assert "2027-summer has 2 courses" in text
    assert "2027-summer has 60 hours" in text
    assert "over the budget" in text
    same_term = schedule_problems(cat, learner(), [("A", F27), ("B", F27)])
    assert any("B in 2027-fall lacks its prerequisites (A)" in p for p in same_term)
    result = audit(cat, me, "X", planned=[("A", W27), ("B", S27), ("C", S27)])
    assert result.met and not result.ok and result.problems


def test_prerequisite_expressions() -> None:
    from pathways.io.trees import parse_prerequisites

    tree = parse_prerequisites("A and (B or C)")
    assert prerequisites_met(tree, {"A", "B"}) and not prerequisites_met(tree, {"A"})
    assert prerequisites_met(None, set())


def test_unknown_ids_raise() -> None:
    cat = catalog([course("A")], [cred("X", "A")])
    with pytest.raises(PathwaysError, match="NOPE is not a credential"):
        audit(cat, learner(), "NOPE")
    with pytest.raises(PathwaysError, match="planned course Z"):
        audit(cat, learner(), "X", planned=[("Z", W27)])


def test_lines_show_marks(examples) -> None:
    cat, priya = examples
    result = audit(cat, priya, "UT-CERT-DA", planned=[("UT-PY-1", W27), ("UT-STAT-2", W27),
                                                      ("UT-DA-101", S27)])
    text = "\n".join(result.lines())
    assert "~ UT-CERT-DA" in text and "✓ UT-DA-101" in text and "✗ UT-ML-1" in text
    assert "~ Methods electives: choose 2 of  [1 of 2 chosen]" in text
