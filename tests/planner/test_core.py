"""The planner: the examples worked out by hand, and one inline scenario per rule."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from pathways.domain import Constraints, Holding, LearnerProfile, Term
from pathways.errors import PathwaysError, PlanAuditError
from pathways.graph import build_graph
from pathways.io import catalog_from_data, load_catalog, load_learner
from pathways.planner import audit, distances, plan, what_if

from tests.conftest import EXAMPLES, SAMPLE

W27 = Term(2027, 0)


def course(cid: str, hours: float = 10, cost: float = 100, **kw: Any) -> dict[str, Any]:
    return {"id": cid, "title": f"Course {cid}", "hours": hours, "cost": cost, **kw}


def cred(cid: str, requires: Any, **kw: Any) -> dict[str, Any]:
    return {"id": cid, "title": f"Credential {cid}", "level": "certificate",
            "requires": requires, **kw}


def catalog(courses: list[dict[str, Any]], credentials: list[dict[str, Any]], **kw: Any):
    return catalog_from_data({"courses": courses, "credentials": credentials, **kw}).catalog


def learner(*held: tuple[str, str], **constraints: Any) -> LearnerProfile:
    constraints.setdefault("start", W27)
    holdings = tuple(Holding("credential" if h[0].startswith("K") else "course", h[0],
                             dt.date.fromisoformat(h[1])) for h in held)
    return LearnerProfile("t", completed=holdings, constraints=Constraints(**constraints))


def ids(p) -> list[str]:
    return sorted(c.id for c in p.courses)


# --------------------------------------------------------------------------- the examples
@pytest.fixture(scope="module")
def ex():
    cat = load_catalog(EXAMPLES / "catalog.yaml")
    return cat, load_learner(EXAMPLES / "learner-priya.yaml", cat), build_graph(cat)


def test_priya_certificate_hours_optimal(ex) -> None:
    # By hand: UT-PY-1 36 + UT-DA-101 36 (UT-STAT-1 is held) + the two cheapest electives
    # UT-STAT-2 30 + UT-VIZ-1 24 + UT-CAP-3 40 = 166 h. UT-CAP-3 runs in fall only and needs
    # UT-DA-101, which needs UT-PY-1: winter, summer, fall = 3 terms.
    cat, priya, G = ex
    p = plan(cat, priya, ["UT-CERT-DA"], graph=G)
    assert p.feasible and p.optimal
    assert p.total_hours == 166 and p.terms == 3
    assert ids(p) == ["UT-CAP-3", "UT-DA-101", "UT-PY-1", "UT-STAT-2", "UT-VIZ-1"]
    terms = {c.id: str(c.term) for c in p.courses}
    assert terms["UT-CAP-3"] == "2027-fall" and terms["UT-PY-1"] == "2027-winter"
    assert p.renewals == () and p.total_cost == 3680
    assert all(len([c for c in p.courses if c.term == t]) <= 2 for t, _ in p.schedule())


def test_priya_certificate_cost_optimal_picks_two_capstones(ex) -> None:
    # UT-CAP-1 + UT-CAP-2 cost 650 against 900 for UT-CAP-3
    cat, priya, G = ex
    p = plan(cat, priya, ["UT-CERT-DA"], objective="cost", graph=G)
    assert {"UT-CAP-1", "UT-CAP-2"} <= set(ids(p)) and "UT-CAP-3" not in ids(p)
    assert p.total_cost == 3430 and p.total_hours == 176 and p.optimal
    cap1 = next(c for c in p.courses if c.id == "UT-CAP-1")
    assert cap1.alternative == "UT-CAP-1 + UT-CAP-2 (650 CAD) over UT-CAP-3 (900 CAD)"


def test_priya_diploma_renews_the_expired_badge(ex) -> None:
    # 166 (certificate) + DAL-COM-1 20 + DAL-COM-2 20 + AI ethics (AU-AIE-1 retaken 25 +
    # AU-AIE-2 25 = 50, cheaper than UT-CERT-BI's UT-SQL-1 24 + UT-BI-1 30 = 54) = 256 h
    cat, priya, G = ex
    p = plan(cat, priya, ["UT-DIP-DATA"], graph=G)
    assert p.feasible and p.optimal and p.total_hours == 256
    assert p.renewals == ("AU-AIE-1",)
    aie = next(c for c in p.courses if c.id == "AU-AIE-1")
    assert aie.renewal and "badge expired on 2025-03-01" in aie.reason
    assert aie.counts_toward == ("AU-AI-ETHICS",)
    assert p.total_cost <= 6000  # her budget


def test_priya_reporting_takes_48_hours(ex) -> None:
    # UT-VIZ-1 cannot fill both slots: UT-VIZ-1 24 + UT-SQL-1 24 = 48
    cat, priya, G = ex
    p = plan(cat, priya, ["UT-MC-REPORTING"], graph=G)
    assert p.total_hours == 48 and ids(p) == ["UT-SQL-1", "UT-VIZ-1"]


def test_reasons_and_alternatives(ex) -> None:
    cat, priya, G = ex
    p = plan(cat, priya, ["UT-CERT-DA"], graph=G)
    by_id = {c.id: c for c in p.courses}
    assert by_id["UT-PY-1"].reason == "prerequisite of UT-DA-101"
    assert by_id["UT-PY-1"].counts_toward == ()
    assert "fills 'Methods electives' (choose 2) of UT-CERT-DA" in by_id["UT-VIZ-1"].reason
    assert by_id["UT-VIZ-1"].alternative == "UT-VIZ-1 (24 h) over UT-ML-1 (40 h)"
    assert by_id["UT-CAP-3"].alternative == "UT-CAP-3 (40 h) over UT-CAP-1 + UT-CAP-2 (50 h)"
    assert "adds 40 h to 'Capstone hours' (40 h needed)" in by_id["UT-CAP-3"].reason
    assert by_id["UT-DA-101"].alternative is None  # required: nothing to compare


def test_plan_json_has_the_contract_keys(ex) -> None:
    cat, priya, G = ex
    data = json.loads(json.dumps(plan(cat, priya, graph=G).to_dict()))
    for key in ("targets", "objective", "feasible", "optimal", "courses", "renewals",
                "total_hours", "total_cost", "terms"):
        assert key in data
    assert data["targets"] == ["UT-CERT-DA"]  # her goal
    first = data["courses"][0]
    assert set(first) >= {"id", "term", "hours", "cost", "counts_toward", "reason"}
    assert first["term"] == "2027-winter"


def test_plans_are_deterministic(ex) -> None:
    cat, priya, G = ex
    a = plan(cat, priya, ["UT-DIP-DATA"], graph=G).to_dict()
    b = plan(cat, priya, ["UT-DIP-DATA"], graph=G).to_dict()
    assert a == b


def test_terms_objective_on_the_diploma(ex) -> None:
    # 9 courses at 2 a term need 5 terms; UT-CAP-3 (fall) needs UT-DA-101 (after UT-PY-1)
    cat, priya, G = ex
    p = plan(cat, priya, ["UT-DIP-DATA"], objective="terms", graph=G)
    assert p.terms == 5 and p.optimal and p.total_hours == 256


# --------------------------------------------------------------------------- rules
def test_exclusive_forces_a_second_course() -> None:
    cat = catalog([course("A", 10), course("B", 20)],
                  [cred("X", {"any": ["A", "B"]}, exclusive=True), cred("Y", "A")])
    p = plan(cat, learner(), ["X", "Y"])
    assert ids(p) == ["A", "B"] and p.total_hours == 30
    by_id = {c.id: c for c in p.courses}
    assert by_id["A"].counts_toward == ("Y",) and by_id["B"].counts_toward == ("X",)
    shared = catalog([course("A", 10), course("B", 20)],
                     [cred("X", {"any": ["A", "B"]}), cred("Y", "A")])
    assert ids(plan(shared, learner(), ["X", "Y"])) == ["A"]


def test_exclusive_conflict_that_cannot_be_resolved() -> None:
    cat = catalog([course("A", 10)], [cred("X", "A", exclusive=True), cred("Y", "A")])
    p = plan(cat, learner(), ["X", "Y"])
    assert not p.feasible and "X is exclusive" in p.reason


def test_recency_forces_a_retake() -> None:
    cat = catalog([course("A", 10), course("B", 10)],
                  [cred("X", {"all": ["A", "B"]}, recency_months=24)])
    p = plan(cat, learner(("A", "2020-01-01"), ("B", "2026-01-01")), ["X"])
    assert ids(p) == ["A"] and p.renewals == ("A",)
    assert "outside the 24-month recency window of X" in p.courses[0].reason


def test_expired_badge_is_a_renewal_and_expiry_during_the_plan_is_caught() -> None:
    # A (held, expires 2027-06-01) is valid when the plan starts but not when it ends:
    # C needs B first, so the plan ends in summer 2027 and A must be retaken.
    cat = catalog([course("A", 10, badge_valid_months=12), course("B", 10),
                   course("C", 10, prerequisites="B")],
                  [cred("X", {"all": ["A", "C"]})])
    p = plan(cat, learner(("A", "2026-06-01")), ["X"])
    assert ids(p) == ["A", "B", "C"] and p.renewals == ("A",)
    assert any("re-planned" in n for n in p.notes)
    assert p.completion == dt.date(2027, 8, 31)
    # without the chain the plan ends in winter, while A still counts
    cat2 = catalog([course("A", 10, badge_valid_months=12), course("C", 10)],
                   [cred("X", {"all": ["A", "C"]})])
    assert ids(plan(cat2, learner(("A", "2026-06-01")), ["X"])) == ["C"]


def test_or_prerequisite_adds_the_cheaper_option() -> None:
    cat = catalog([course("P1", 12), course("P2", 5), course("C", 10, prerequisites="P1 or P2")],
                  [cred("X", "C")])
    p = plan(cat, learner(), ["X"])
    assert ids(p) == ["C", "P2"] and p.total_hours == 15 and p.terms == 2
    p2 = next(c for c in p.courses if c.id == "P2")
    assert p2.counts_toward == () and p2.reason.startswith("prerequisite of C (one option of P1 or P2)")
    assert p2.alternative == "P2 (5 h) over P1 (12 h)"
    held = plan(cat, learner(("P1", "2010-01-01")), ["X"])
    assert ids(held) == ["C"]


def test_min_hours_threshold_does_not_consume_slots() -> None:
    cat = catalog([course("A", 20), course("B", 10), course("C", 25)],
                  [cred("X", {"all": ["A", {"min_hours": 30, "from": ["A", "B", "C"]}]})])
    p = plan(cat, learner(), ["X"])
    assert ids(p) == ["A", "B"] and p.total_hours == 30


def test_nested_credentials_share_courses() -> None:
    cat = catalog([course("A", 10), course("B", 10), course("C", 10), course("D", 5)],
                  [cred("M1", {"any": ["A", "B"]}), cred("M2", {"all": ["B", "C"]}),
                   cred("D1", {"all": ["M1", "M2", {"any": ["D", "B"]}]}, level="diploma")])
    p = plan(cat, learner(), ["D1"])
    assert ids(p) == ["B", "C"] and p.total_hours == 20
    b = next(c for c in p.courses if c.id == "B")
    assert b.counts_toward == ("D1", "M1", "M2")


def test_held_nested_credential_counts() -> None:
    cat = catalog([course("A", 10), course("B", 10)],
                  [cred("KM", {"all": ["A"]}), cred("KD", {"all": ["KM", "B"]}, level="diploma")])
    p = plan(cat, learner(("KM", "2025-01-01")), ["KD"])
    assert ids(p) == ["B"]


def test_already_complete_and_held_targets() -> None:
    cat = catalog([course("A", 10)], [cred("KX", "A")])
    done = plan(cat, learner(("A", "2026-01-01")), ["KX"])
    assert done.feasible and done.courses == () and done.terms == 0
    assert done.already_met == ("KX",) and done.completion == W27.start
    held = plan(cat, learner(("KX", "2026-01-01")), ["KX"])
    assert held.feasible and held.courses == () and held.audits[0].held


def test_over_budget_reason() -> None:
    cat = catalog([course("A", 10, 2000), course("B", 10, 1410), course("C", 10, 3000)],
                  [cred("X", {"all": ["A", {"any": ["B", "C"]}]})])
    p = plan(cat, learner(budget=3000), ["X"])
    assert not p.feasible and not p.optimal and p.courses == ()
    assert p.reason == "over budget: the cheapest plan costs 3,410 CAD but the budget is 3,000 CAD"


def test_excluded_provider_reason() -> None:
    cat = catalog([course("A", provider="p"), course("B", provider="q")],
                  [cred("X", {"all": ["A", "B"]})],
                  providers=[{"id": "p", "name": "P"}, {"id": "q", "name": "Q"}])
    p = plan(cat, learner(exclude_providers=frozenset({"p"})), ["X"])
    assert not p.feasible
    assert p.reason == "A is needed and is offered only by excluded provider p"


def test_delivery_reason() -> None:
    cat = catalog([course("A", delivery="in-person"), course("B"), course("C", delivery="online")],
                  [cred("X", {"all": ["A", "B"]})])
    p = plan(cat, learner(delivery=frozenset({"online"})), ["X"])
    assert not p.feasible and "delivery in-person is not accepted" in p.reason
    assert p.reason.startswith("A is needed")
    ok = catalog([course("A", delivery="in-person"), course("B"), course("C", delivery="online")],
                 [cred("X", {"all": [{"any": ["A", "C"]}, "B"]})])
    assert ids(plan(ok, learner(delivery=frozenset({"online"})), ["X"])) == ["B", "C"]


def test_two_constraints_together() -> None:
    cat = catalog([course("A", 10, 100, provider="p"), course("B", 10, 900, provider="q")],
                  [cred("X", {"any": ["A", "B"]})],
                  providers=[{"id": "p", "name": "P"}, {"id": "q", "name": "Q"}])
    p = plan(cat, learner(budget=500, exclude_providers=frozenset({"p"})), ["X"])
    assert not p.feasible
    assert p.reason.startswith("over budget: the cheapest plan costs 900 CAD")
    assert "A is needed and is offered only by excluded provider p" in p.reason


def test_hours_limit_reason_and_schedule() -> None:
    cat = catalog([course("A", 45), course("B", 30)], [cred("X", {"all": ["A", "B"]})])
    p = plan(cat, learner(max_hours_per_term=40), ["X"])
    assert not p.feasible and p.reason == "A (45 h) is needed but is longer than max_hours_per_term 40"
    ok = plan(cat, learner(max_hours_per_term=50), ["X"])
    assert ok.terms == 2  # 75 hours do not fit one term


def test_cannot_finish_reason() -> None:
    cat = catalog([course("A"), course("B")], [cred("X", {"choose": 2, "from": ["A", "A", "B"]}),
                                                cred("Y", {"all": [{"any": ["A"]}, {"any": ["A"]}]})])
    p = plan(cat, learner(), ["Y"])
    assert not p.feasible and p.reason.startswith("cannot finish")


def test_offering_terms_and_load_limits() -> None:
    cat = catalog([course("A"), course("B"), course("C"), course("F", terms=["fall"])],
                  [cred("X", {"all": ["A", "B", "C", "F"]})])
    p = plan(cat, learner(max_courses_per_term=1), ["X"])
    terms = {c.id: str(c.term) for c in p.courses}
    assert terms["F"] == "2027-fall" and p.terms == 4
    assert sorted(terms.values()) == ["2027-fall", "2027-summer", "2027-winter", "2028-winter"]


def test_terms_objective_trades_hours_for_time() -> None:
    # A -> B -> C chain (30 h, 3 terms) against D (40 h, 1 term)
    cat = catalog([course("A"), course("B", prerequisites="A"), course("C", prerequisites="B"),
                   course("D", 40), course("E", 45)],
                  [cred("X", {"any": [{"all": ["A", "B", "C"]}, "D", "E"]})])
    hours = plan(cat, learner(), ["X"])
    assert ids(hours) == ["A", "B", "C"] and hours.terms == 3
    terms = plan(cat, learner(), ["X"], objective="terms")
    assert ids(terms) == ["D"] and terms.terms == 1 and terms.optimal  # D beats E on hours
    d = terms.courses[0]
    assert "1 terms instead of" not in (d.alternative or "")
    assert d.alternative == "D over E (both 1 terms; 40 h vs 45 h)"


def test_terms_objective_respects_limits_and_seasons() -> None:
    # 4 independent courses, 2 a term, one fall-only: winter 2, summer 1, fall 1 = 3 terms
    cat = catalog([course("A"), course("B"), course("C"), course("F", terms=["fall"])],
                  [cred("X", {"all": ["A", "B", "C", "F"]})])
    p = plan(cat, learner(max_courses_per_term=2), ["X"], objective="terms")
    assert p.terms == 3
    assert str(next(c.term for c in p.courses if c.id == "F")) == "2027-fall"


def test_cost_objective_breaks_ties_by_hours() -> None:
    cat = catalog([course("A", 30, 100), course("B", 20, 100), course("C", 10, 200)],
                  [cred("X", {"any": ["A", "B", "C"]})])
    assert ids(plan(cat, learner(), ["X"], objective="cost")) == ["B"]
    assert ids(plan(cat, learner(), ["X"], objective="hours")) == ["C"]


def test_ties_broken_by_terms_then_id() -> None:
    # A and B tie on hours and cost; B can start at once, A waits for fall
    cat = catalog([course("A", terms=["fall"]), course("B")], [cred("X", {"any": ["A", "B"]})])
    assert ids(plan(cat, learner(), ["X"])) == ["B"]
    cat2 = catalog([course("A"), course("B")], [cred("X", {"any": ["B", "A"]})])
    assert ids(plan(cat2, learner(), ["X"])) == ["A"]


def test_fractional_hours_are_exact() -> None:
    cat = catalog([course("A", 10.1, 100), course("B", 10.2, 50), course("C", 10.1, 60)],
                  [cred("X", {"any": ["A", "B", "C"]})])
    assert ids(plan(cat, learner(), ["X"])) == ["C"]  # 10.1 h, and cheaper than A


# --------------------------------------------------------------------------- errors and checks
def test_unknown_or_missing_targets() -> None:
    cat = catalog([course("A")], [cred("X", "A")])
    with pytest.raises(PathwaysError, match="unknown target NOPE"):
        plan(cat, learner(), ["NOPE"])
    with pytest.raises(PathwaysError, match="it is a course"):
        plan(cat, learner(), ["A"])
    with pytest.raises(PathwaysError, match="no goal credentials"):
        plan(cat, learner())
    with pytest.raises(PathwaysError, match="unknown objective"):
        plan(cat, learner(), ["X"], objective="fun")  # type: ignore[arg-type]


@pytest.mark.parametrize(("today", "expected"), [
    (dt.date(2026, 12, 6), "2027-winter"),   # fall is under way: the next term is winter
    (dt.date(2027, 1, 1), "2027-summer"),    # winter begins on Jan 1: it has begun that day
    (dt.date(2026, 4, 30), "2026-summer"),   # the last day of winter
    (dt.date(2026, 8, 31), "2026-fall"),
])
def test_default_start_is_the_first_term_not_yet_begun(today: dt.date, expected: str) -> None:
    cat = catalog([course("A")], [cred("X", "A")])
    p = plan(cat, LearnerProfile("t"), ["X"], today=today)
    assert str(p.start) == expected and [str(c.term) for c in p.courses] == [expected]
    assert p.start is not None and p.start.start > today
    assert p.start_note == f"starting {expected}, the next term" and not p.start_in_past
    assert p.to_dict()["start_note"] == p.start_note
    # the audit of the plan and a plain audit work from the same term
    assert p.audits[0].met
    a = audit(cat, LearnerProfile("t"), "X", planned=[("A", Term.parse("2026-fall"))],
              as_of=dt.date(2027, 12, 31), today=dt.date(2026, 12, 6))
    assert "A is planned in 2026-fall, before the start term 2027-winter" in a.problems


def test_an_explicit_start_in_the_past_is_kept_and_flagged() -> None:
    cat = catalog([course("A")], [cred("X", "A")])
    today = dt.date(2026, 12, 6)
    past = LearnerProfile("t", constraints=Constraints(start=Term(2025, 2)))
    p = plan(cat, past, ["X"], today=today)
    assert str(p.start) == "2025-fall" and [str(c.term) for c in p.courses] == ["2025-fall"]
    assert p.start_in_past and "in the past" in p.start_note and "what-if" in p.start_note
    current = plan(cat, LearnerProfile("t", constraints=Constraints(start=Term(2026, 2))), ["X"],
                   today=today)
    assert current.start_in_past and "has already begun" in current.start_note
    future = plan(cat, LearnerProfile("t", constraints=Constraints(start=Term(2027, 1))), ["X"],
                  today=today)
    assert not future.start_in_past and future.start_note == "starting 2027-summer, as the profile asks"


def test_a_failed_audit_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    import pathways.planner.core as core

    cat = catalog([course("A")], [cred("X", "A")])
    real = core.audit_many

    def broken(*args: Any, **kw: Any):
        results = real(*args, **kw)
        from dataclasses import replace

        return tuple(replace(r, met=False, missing=("A",)) for r in results)

    monkeypatch.setattr(core, "audit_many", broken)
    with pytest.raises(PlanAuditError, match="independent audit"):
        plan(cat, learner(), ["X"])


def test_time_limit_falls_back_to_a_labelled_plan() -> None:
    cat = catalog([course("A"), course("B", 5), course("C", prerequisites="A or B")],
                  [cred("X", {"all": ["C"]})])
    p = plan(cat, learner(), ["X"], time_limit=0.0)
    assert p.feasible and not p.optimal and p.status == "time_limit"
    assert any("greedy plan" in n for n in p.notes)
    assert ids(p) == ["B", "C"]


# --------------------------------------------------------------------------- distances, what-if
def test_distances_rank_every_credential(ex) -> None:
    cat, priya, G = ex
    found = distances(cat, priya, graph=G)
    assert [d.credential for d in found][:3] == ["DAL-COM-MC", "UT-MC-REPORTING", "AU-AI-ETHICS"]
    assert len(found) == len(cat.credentials)
    first = found[0]
    assert first.summary == "2 courses / 40 hours from DAL-COM-MC"
    dip = next(d for d in found if d.credential == "UT-DIP-DATA")
    assert dip.hours == 256 and dip.next_exit in ("AU-AI-ETHICS", "DAL-COM-MC", "UT-CERT-DA")
    assert "the next exit is" in dip.exits
    cert = next(d for d in found if d.credential == "UT-CERT-DA")
    assert cert.stacks_into == ("UT-DIP-DATA",)


def test_distances_put_unreachable_last(ex) -> None:
    cat, priya, G = ex
    from dataclasses import replace

    no_dal = replace(priya, constraints=replace(priya.constraints,
                                                exclude_providers=frozenset({"dal"})))
    found = distances(cat, no_dal, graph=G)
    tail = [d.credential for d in found if not d.feasible]
    assert tail == ["DAL-COM-MC", "UT-DIP-DATA"]
    assert [d.credential for d in found][-2:] == tail
    assert "excluded provider dal" in found[-1].reason


def test_distances_for_a_qualified_learner() -> None:
    cat = catalog([course("A"), course("B")],
                  [cred("M", "A"), cred("C", {"all": ["M", "B"]})])
    found = distances(cat, learner(("A", "2026-01-01")))
    assert [(d.credential, d.complete) for d in found] == [("M", True), ("C", False)]
    assert found[1].holds_now == ("M",)
    assert found[1].exits.startswith("if you stop now you hold M; the next exit is C")


def test_what_if_diploma_and_renewal(ex) -> None:
    cat, priya, G = ex
    w = what_if(cat, priya, {"certificate": ["UT-CERT-DA"], "diploma": ["UT-DIP-DATA"]},
                renew=["AU-AIE-1"], graph=G)
    rows = {r["scenario"]: r for r in w.rows}
    assert rows["diploma"]["extra_hours"] == 90 and rows["diploma"]["renewals"] == "AU-AIE-1"
    renewed = rows["diploma (renewed AU-AIE-1)"]
    assert renewed["hours"] == 231 and renewed["renewals"] == ""
    frame = w.to_frame()
    assert list(frame.index)[0] == "certificate"
    json.dumps(w.to_dict())
    with pytest.raises(PathwaysError, match="does not hold"):
        what_if(cat, priya, [["UT-CERT-DA"]], renew=["UT-ML-1"], graph=G)


# --------------------------------------------------------------------------- credentials on the way


def test_stacked_credentials_are_earned_as_early_as_the_schedule_allows() -> None:
    # Maria's diploma plan (274 h, 7,495 CAD, 5 terms at 2 courses a term). UT-MC-DA is
    # UT-DA-100 + an SQL course + UT-STAT-120, and UT-STAT-120 needs only UT-DA-100, so it
    # can run in 2027-summer: UT-MC-DA is then earned after the second term instead of at the
    # very end, with the same courses, hours, cost and terms (issue 15).
    cat = load_catalog(SAMPLE)
    maria = load_learner(SAMPLE / "learners" / "career-changer-maria.yaml", cat)
    p = plan(cat, maria, ["UT-DIP-DATA"])
    assert (p.total_hours, p.total_cost, p.terms) == (274, 7495, 5) and p.optimal
    terms = {c.id: str(c.term) for c in p.courses}
    assert terms["UT-DA-100"] == "2027-winter" and terms["UT-STAT-120"] == "2027-summer"
    earned = {k: str(t) for k, t in p.earned}
    assert earned["UT-MC-DA"] == "2027-summer"
    assert earned["UT-DIP-DATA"] == max(terms.values(), key=lambda t: Term.parse(t).minus(W27))
    assert "UT-MC-DA earned after 2027-summer" in p.earned_text()
    assert {"credential": "UT-MC-DA", "term": "2027-summer"} in p.to_dict()["earned"]
    # earned after a term: the courses planned up to it meet the credential, not before
    for cred, term in p.earned:
        upto = [(c.id, c.term) for c in p.courses if c.term <= term]
        before = [(c.id, c.term) for c in p.courses if c.term < term]
        assert audit(cat, maria, cred, planned=upto, as_of=p.completion).met
        assert not audit(cat, maria, cred, planned=before, as_of=p.completion).met


def test_earned_lists_only_what_the_holdings_do_not_already_earn() -> None:
    cat = catalog([course("A"), course("B"), course("C")],
                  [cred("M1", "A"), cred("M2", {"all": ["B", "C"]}),
                   cred("D", {"all": ["M1", "M2"]}, level="diploma")])
    p = plan(cat, learner(("A", "2026-01-01"), max_courses_per_term=1), ["D"])
    assert [k for k, _ in p.earned] == ["M2", "D"]  # M1 is earned by the holding of A
    assert [str(t) for _, t in p.earned] == ["2027-summer", "2027-summer"]
    # two targets: the first is earned when its own course is done, not at the plan's end
    two = plan(cat, learner(max_courses_per_term=1), ["M1", "M2"])
    assert {k: str(t) for k, t in two.earned} == {"M1": "2027-winter", "M2": "2027-fall"}


# --------------------------------------------------------------------------- time limits
def test_a_solve_stopped_by_the_time_limit_gives_the_best_plan_found(monkeypatch) -> None:
    import pathways.planner.core as core
    from pathways._milp import SolveResult

    real = core.solve

    def stopped(*args: Any, **kw: Any) -> SolveResult:  # as HiGHS at its time limit
        r = real(*args, **kw)
        return SolveResult("feasible", r.x, "time limit reached") if r.ok else r

    monkeypatch.setattr(core, "solve", stopped)
    cat = catalog([course("A", 10), course("B", 20)], [cred("X", {"any": ["A", "B"]})])
    p = plan(cat, learner(), ["X"])
    assert p.feasible and not p.optimal and p.status == "time_limit"
    assert any("not proved optimal" in n for n in p.notes)
    assert p.audits[0].ok and ids(p) == ["A"]


def test_distances_stop_at_their_time_limit() -> None:
    cat = catalog([course("A"), course("B")], [cred("M", "A"), cred("C", {"all": ["M", "B"]})])
    found = distances(cat, learner(), time_limit=0.0)
    assert [d.feasible for d in found] == [False, False]
    assert all("time limit" in d.reason for d in found)
    assert [d.summary for d in distances(cat, learner())] == [
        "1 course / 10 hours from M", "2 courses / 20 hours from C"]


def test_an_identical_option_is_the_alternative() -> None:
    # A and B are interchangeable (same lists, hours and cost): the best plan without A takes
    # B, equally good; C fills a different list and its alternative needs a solve
    cat = catalog([course("A", 10, 100), course("B", 10, 100), course("C", 20, 50),
                   course("D", 25, 50)],
                  [cred("X", {"all": [{"any": ["A", "B"]}, {"any": ["C", "D"]}]})])
    p = plan(cat, learner(), ["X"])
    by_id = {c.id: c for c in p.courses}
    assert sorted(by_id) == ["A", "C"]
    assert by_id["A"].alternative == ("A (10 h) over B (10 h), equal hours and cost; chosen by "
                                      "the terms and id tie-breaks")
    assert by_id["C"].alternative == "C (20 h) over D (25 h)"


def test_planned_courses_without_stated_hours_are_named_in_the_notes() -> None:
    cat = catalog_from_data({"courses": [
        {"id": "A", "title": "Not in the import: urn:x", "hours": 1, "hours_stated": False},
        {"id": "B", "title": "B", "hours": 5}],
        "credentials": [{"id": "X", "title": "X", "level": "certificate", "requires": ["A", "B"]}]}).catalog
    p = plan(cat, LearnerProfile("t", constraints=Constraints(start=Term(2027, 0))), ["X"])
    (note,) = [n for n in p.notes if "no stated hours" in n]
    assert "(A)" in note and "placeholders" in note
    stated = catalog_from_data({"courses": [{"id": "B", "title": "B", "hours": 5}],
                                "credentials": [{"id": "X", "title": "X", "level": "certificate",
                                                 "requires": ["B"]}]}).catalog
    q = plan(stated, LearnerProfile("t", constraints=Constraints(start=Term(2027, 0))), ["X"])
    assert not any("no stated hours" in n for n in q.notes)
