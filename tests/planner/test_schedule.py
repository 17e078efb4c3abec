"""pathways.planner.schedule: list schedules obey offerings, prerequisites and per-term limits
(checked by an independent checker on synthetic catalogs), and say when a course never fits."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.domain import Catalog, Term, leaf_ids
from pathways.errors import InfeasiblePlanError
from pathways.io import catalog_from_data
from pathways.planner.audit import prerequisites_met
from pathways.planner.schedule import list_schedule, span
from pathways.synth import synthetic_catalog

W27 = Term(2027, 0)


def course(cid: str, hours: float = 10, **kw: object) -> dict[str, object]:
    return {"id": cid, "title": cid, "hours": hours, **kw}


def catalog(*courses: dict[str, object]) -> Catalog:
    return catalog_from_data({"courses": list(courses)}).catalog


def problems(cat: Catalog, schedule: dict[str, Term], courses: set[str], completed: set[str],
             start: Term, max_courses: int | None, max_hours: float | None) -> list[str]:
    """What is wrong with a schedule, checked from the definitions (not the scheduler's code)."""
    out = []
    if set(schedule) != courses:
        out.append(f"schedules {sorted(schedule)}, not {sorted(courses)}")
    for c, term in schedule.items():
        if term < start:
            out.append(f"{c} before the start")
        if not cat.courses[c].offered_in(term.season):
            out.append(f"{c} in {term}, not offered then")
        before = completed | {d for d, t in schedule.items() if t < term}
        if not prerequisites_met(cat.courses[c].prerequisites, before):
            out.append(f"{c} in {term} before its prerequisites")
    for term in set(schedule.values()):
        taken = [c for c, t in schedule.items() if t == term]
        if max_courses is not None and len(taken) > max_courses:
            out.append(f"{len(taken)} courses in {term}")
        if max_hours is not None and sum(cat.courses[c].hours for c in taken) > max_hours + 1e-9:
            out.append(f"over {max_hours} hours in {term}")
    return out


def closed_under_prerequisites(cat: Catalog, picks: set[str], completed: set[str]) -> set[str]:
    """``picks`` with every course any of their prerequisites names (all options of an
    ``or``), except the completed ones: a set whose prerequisites can always be met."""
    out, todo = set(picks), list(picks)
    while todo:
        pre = cat.courses[todo.pop()].prerequisites
        for p in leaf_ids(pre) if pre is not None else ():
            if p in cat.courses and p not in out and p not in completed:
                out.add(p)
                todo.append(p)
    return out


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), picks=st.integers(1, 12), done=st.integers(0, 6),
       max_courses=st.sampled_from([None, 1, 2, 3]), limit=st.sampled_from([None, 40.0, 80.0]))
def test_list_schedules_obey_offerings_prerequisites_and_limits(
        seed: int, picks: int, done: int, max_courses: int | None, limit: float | None) -> None:
    cat = synthetic_catalog(40, seed=seed)
    draw = random.Random(seed)
    ids = sorted(cat.courses)
    completed = set(draw.sample(ids, done))
    wanted = closed_under_prerequisites(cat, set(draw.sample(ids, picks)) - completed, completed)
    if limit is not None:  # a course longer than the limit can never be scheduled
        wanted = {c for c in wanted if cat.courses[c].hours <= limit}
        wanted = {c for c in wanted
                  if closed_under_prerequisites(cat, {c}, completed) <= wanted}
    offered = {c for c in wanted if cat.courses[c].terms is None or cat.courses[c].terms}
    wanted = {c for c in offered if closed_under_prerequisites(cat, {c}, completed) <= offered}
    sched = list_schedule(cat, wanted, W27, completed=completed, max_courses=max_courses,
                          max_hours=limit)
    assert problems(cat, sched, wanted, completed, W27, max_courses, limit) == []
    assert span(sched, W27) == (max(sched.values()).minus(W27) + 1 if sched else 0)
    if max_courses is not None and sched:  # the per-term limit is a lower bound on terms
        assert span(sched, W27) >= math.ceil(len(wanted) / max_courses)


def test_a_chain_runs_one_course_a_term_in_its_seasons() -> None:
    cat = catalog(course("A"), course("B", prerequisites="A", terms=["fall"]),
                  course("C", prerequisites="B"))
    sched = list_schedule(cat, ["C", "B", "A"], W27)
    assert {c: str(t) for c, t in sched.items()} == {
        "A": "2027-winter", "B": "2027-fall", "C": "2028-winter"}
    assert span(sched, W27) == 4 and span({}, W27) == 0


def test_completed_courses_satisfy_prerequisites() -> None:
    cat = catalog(course("A"), course("B", prerequisites="A"))
    assert {c: str(t) for c, t in list_schedule(cat, ["B"], W27, completed=["A"]).items()} == {
        "B": "2027-winter"}


def test_an_or_prerequisite_needs_one_option() -> None:
    cat = catalog(course("A"), course("Z", terms=["fall"]), course("B", prerequisites="A or Z"))
    sched = list_schedule(cat, ["A", "B", "Z"], W27)
    assert str(sched["B"]) == "2027-summer"  # after A, not waiting for Z in the fall


def test_per_term_limits() -> None:
    cat = catalog(*(course(c, 30) for c in "ABCDE"))
    by_count = list_schedule(cat, "ABCDE", W27, max_courses=2)
    assert span(by_count, W27) == 3
    by_hours = list_schedule(cat, "ABCDE", W27, max_hours=65)
    assert span(by_hours, W27) == 3 and problems(cat, by_hours, set("ABCDE"), set(), W27, None,
                                                   65) == []


def test_the_course_with_a_late_successor_goes_first() -> None:
    # one course a term: A unlocks a fall-only course, so it must not wait behind X and Y
    cat = catalog(course("A"), course("X"), course("Y"),
                  course("F", prerequisites="A", terms=["fall"]))
    sched = list_schedule(cat, ["X", "Y", "A", "F"], W27, max_courses=1)
    assert str(sched["A"]) == "2027-winter" and str(sched["F"]) == "2027-fall"
    assert span(sched, W27) == 4


def test_preferred_courses_come_first() -> None:
    cat = catalog(course("A"), course("B"), course("C"))
    sched = list_schedule(cat, "ABC", W27, max_courses=1, prefer={"C": 0})
    assert str(sched["C"]) == "2027-winter"


@pytest.mark.parametrize("courses, kw, stuck", [
    ([course("A", terms=[])], {}, "A"),  # never offered
    ([course("A", 50)], {"max_hours": 40}, "A"),  # longer than a term may hold
    ([course("A", prerequisites="Q"), course("Q")], {}, "A"),  # prerequisite not in the set
])
def test_a_course_that_never_fits_is_an_error(courses: list[dict[str, object]],
                                              kw: dict[str, object], stuck: str) -> None:
    cat = catalog(*courses)
    with pytest.raises(InfeasiblePlanError, match=f"cannot schedule {stuck}"):
        list_schedule(cat, [stuck], W27, **kw)  # type: ignore[arg-type]
