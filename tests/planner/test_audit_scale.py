"""The audit's search at the scale of university programs: exact, and bounded.

Scenario tests build tiny catalogs inline; the scale tests use :mod:`pathways.synth`'s
university programs and check the audit against the planner (a different formulation: the
planner's MILP over course choices), whose plan for a learner is empty exactly when the
learner's transcript already meets the program.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import pathways.planner._assign as assign
from pathways.domain import Constraints, Holding, LearnerProfile, Term
from pathways.graph import build_graph
from pathways.io import catalog_from_data
from pathways.planner import audit, audit_many, plan
from pathways.synth import university_catalog, university_learner

W27 = Term(2027, 0)


def catalog(courses: list[str], credentials: list[dict[str, Any]]):
    return catalog_from_data({
        "courses": [{"id": c, "title": c, "hours": 10} for c in courses],
        "credentials": [{"title": k["id"], "level": "certificate", **k} for k in credentials],
    }).catalog


def holder(*ids: str) -> LearnerProfile:
    return LearnerProfile("t", completed=tuple(Holding("course", c, dt.date(2026, 6, 1))
                                               for c in ids),
                          constraints=Constraints(start=W27))


@pytest.fixture
def no_budget():
    """Leave the combinatorial search no steps: the audit's MILP decides."""
    saved = assign.NODE_BUDGET
    assign.NODE_BUDGET = 0
    yield
    assign.NODE_BUDGET = saved


# --------------------------------------------------------------------------- contested groups
CONTESTED = [
    {"id": "X", "requires": {"all": [
        {"choose": 2, "from": ["A", "B", "C"], "label": "Methods"},
        {"choose": 2, "from": ["B", "C", "D"], "label": "Electives"},
        {"any": ["A", "D"], "label": "Capstone"}]}},
]


@pytest.mark.parametrize("budget", ["default", "none"])
def test_contested_groups_are_resolved_exactly(budget: str, request: Any) -> None:
    if budget == "none":
        request.getfixturevalue("no_budget")
    cat = catalog(["A", "B", "C", "D", "E"], CONTESTED)
    # five leaves to fill from four courses, six with the capstone: A, B, C, D cannot do it
    four = audit(cat, holder("A", "B", "C", "D"), "X")
    assert not four.met and four.exact
    assert four.root.detail == "2 of 3 met"  # the best partial assignment meets two groups
    # a fifth course that fits nowhere changes nothing; one more of the lists does
    assert not audit(cat, holder("A", "B", "C", "D", "E"), "X").met
    cat2 = catalog(["A", "B", "C", "D", "E"], [{"id": "X", "requires": {"all": [
        {"choose": 2, "from": ["A", "B", "C", "E"]}, {"choose": 2, "from": ["B", "C", "D"]},
        {"any": ["A", "D"]}]}}])
    met = audit(cat2, holder("A", "B", "C", "D", "E"), "X")
    assert met.met and met.exact
    used = sorted(u.course for u in met.uses)
    assert used == ["A", "B", "C", "D", "E"]  # every course fills one leaf


@pytest.mark.parametrize("budget", ["default", "none"])
def test_exclusive_sides_are_chosen_for_the_most_targets(budget: str, request: Any) -> None:
    if budget == "none":
        request.getfixturevalue("no_budget")
    cat = catalog(["A", "B", "C"], [
        {"id": "X", "requires": {"any": ["A", "B"]}, "exclusive": True},
        {"id": "Y", "requires": "A"},
        {"id": "Z", "requires": {"any": ["B", "C"]}}])
    x, y, z = audit_many(cat, holder("A", "B"), ["X", "Y", "Z"])
    # the course X takes counts toward X alone: Y (A) or Z (B) goes without -- two of three
    assert x.met and y.met != z.met
    x, y, z = audit_many(cat, holder("A", "B", "C"), ["X", "Y", "Z"])
    assert x.met and y.met and z.met and all(r.exact for r in (x, y, z))


def test_a_search_stopped_by_the_time_limit_says_so() -> None:
    cat = catalog(["A", "B", "C", "D"], CONTESTED)
    result = audit(cat, holder("A", "B", "C", "D"), "X", time_limit=0.0)
    assert not result.exact and any("time limit" in n for n in result.notes)
    assert result.to_dict()["exact"] is False
    # an uncontested audit needs one matching, no search: the time limit does not matter
    easy = audit(catalog(["A", "B"], [{"id": "Y", "requires": {"all": ["A", "B"]}}]),
                 holder("A", "B"), "Y", time_limit=0.0)
    assert easy.met and easy.exact


# --------------------------------------------------------------------------- university scale
@pytest.fixture(scope="module")
def university():
    cat = university_catalog(12, seed=5)
    return cat, build_graph(cat)


@pytest.mark.parametrize("n_courses", [20, 60])
def test_transcript_audits_agree_with_the_planner(university: Any, n_courses: int) -> None:
    """A program is met by a transcript exactly when the planner needs no course for it."""
    cat, G = university
    outcomes = set()
    for program in sorted(cat.credentials):
        me = university_learner(cat, n_courses, program=program, seed=7)
        result = audit(cat, me, program)
        assert result.exact
        p = plan(cat, me, [program], graph=G, explain=False)
        assert p.feasible and p.optimal
        assert result.met == (not p.courses), (program, p.total_hours)
        outcomes.add(result.met)
    assert outcomes == {True, False}  # both verdicts are exercised


def test_big_groups_fill_every_leaf_a_course_can(university: Any) -> None:
    cat, _ = university
    program = max(cat.credentials, key=lambda k: len(cat.credentials[k].requires.children))
    me = university_learner(cat, 60, program=program, seed=3)
    result = audit(cat, me, program)
    held = {h.id for h in me.completed}
    slots = [u for u in result.uses if u.kind == "slot" and u.credential == program]
    # within the program each course fills at most one leaf
    assert len({u.course for u in slots}) == len(slots)
    assert {u.course for u in slots} <= held
