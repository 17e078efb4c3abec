"""Term-by-term scheduling of a chosen set of courses (deterministic list scheduling).

Terms run ``YYYY-winter``, ``YYYY-summer``, ``YYYY-fall`` from the learner's start term. A
course may run in a term when it is offered in that season and its prerequisites are completed
in an earlier term (or held: a completed course satisfies prerequisites even if its badge has
expired). Each term takes the available courses in priority order, as long as they fit
``max_courses_per_term`` and ``max_hours_per_term`` (first fit), by priority: the course whose
as-late-as-possible term is earliest first (so a course that unlocks a fall-only course goes
before one with slack), and separately the one with the longest chain of courses waiting on it;
the shorter of the two schedules is kept. The earliest-term rule makes the
schedule deterministic; it is not guaranteed shortest (the ``terms`` objective uses a
time-indexed MILP for that).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pathways.domain import Catalog, Term, leaf_ids
from pathways.errors import InfeasiblePlanError
from pathways.planner.audit import prerequisites_met

__all__ = ["list_schedule", "span"]


def _tails(catalog: Catalog, courses: set[str]) -> dict[str, int]:
    """Length of the longest chain of courses of the set that wait on each course."""
    needers: dict[str, list[str]] = {c: [] for c in courses}
    for c in courses:
        pre = catalog.courses[c].prerequisites
        if pre is not None:
            for p in leaf_ids(pre):
                if p in needers:
                    needers[p].append(c)
    memo: dict[str, int] = {}

    def tail(c: str) -> int:
        if c not in memo:
            memo[c] = 0  # cycles cannot occur in a valid catalog; this guards anyway
            memo[c] = max((1 + tail(n) for n in needers[c]), default=0)
        return memo[c]

    return {c: tail(c) for c in courses}


def _alap(catalog: Catalog, courses: set[str], start: Term) -> dict[str, int]:
    """As-late-as-possible term index of each course (offering seasons respected) in a long
    horizon: a course with little slack before the courses that wait on it has a small value."""
    needers: dict[str, list[str]] = {c: [] for c in courses}
    for c in courses:
        pre = catalog.courses[c].prerequisites
        if pre is not None:
            for p in leaf_ids(pre):
                if p in needers and p != c:
                    needers[p].append(c)
    horizon = 3 * (len(courses) + 2)
    memo: dict[str, int] = {}

    def latest(c: str) -> int:
        if c not in memo:
            memo[c] = horizon  # guards against cycles (a valid catalog has none)
            t = min((latest(n) - 1 for n in needers[c]), default=horizon)
            course = catalog.courses[c]
            while t > -horizon and not course.offered_in(start.next(t).season):
                t -= 1
            memo[c] = t
        return memo[c]

    return {c: latest(c) for c in courses}


def _run(catalog: Catalog, order: list[str], start: Term, done: set[str],
         max_courses: int | None, max_hours: float | None) -> dict[str, Term]:
    remaining = set(order)
    schedule: dict[str, Term] = {}
    term = start
    idle = 0
    while remaining:
        chosen: list[str] = []
        hours = 0.0
        for c in order:
            if c not in remaining:
                continue
            course = catalog.courses[c]
            if not course.offered_in(term.season) or not prerequisites_met(course.prerequisites, done):
                continue
            if max_courses is not None and len(chosen) >= max_courses:
                break
            if max_hours is not None and hours + course.hours > max_hours + 1e-9:
                continue
            chosen.append(c)
            hours += course.hours
        for c in chosen:
            schedule[c] = term
            remaining.discard(c)
        done.update(chosen)
        idle = 0 if chosen else idle + 1
        if idle > 3:
            stuck = ", ".join(sorted(remaining))
            raise InfeasiblePlanError(f"cannot schedule {stuck}: never offered, over the hours "
                                      "limit, or missing prerequisites")
        term = term.next()
    return schedule


def list_schedule(catalog: Catalog, courses: Iterable[str], start: Term, *,
                  completed: Iterable[str] = (), max_courses: int | None = None,
                  max_hours: float | None = None,
                  prefer: Mapping[str, int] | None = None) -> dict[str, Term]:
    """Schedule ``courses`` term by term from ``start`` (see the module docstring).

    Two priority rules are tried and the shorter schedule kept (the first on ties): the
    as-late-as-possible term of each course (offering seasons included), and the longest chain
    of courses waiting on it; both then by id. With ``prefer`` (course -> rank, smaller first;
    courses not in it last) the preference comes first in both rules: used to earn a stacked
    credential early.

    Parameters
    ----------
    catalog : Catalog
    courses : iterable of str
        The courses to take.
    start : Term
        The first term.
    completed : iterable of str
        Courses already completed (they satisfy prerequisites).
    max_courses, max_hours : optional
        Per-term limits.

    Returns
    -------
    dict
        Course id -> term, in schedule order.

    Raises
    ------
    InfeasiblePlanError
        If some course can never be scheduled (never offered, longer than the hours limit, or
        its prerequisites are neither completed nor in the set).

    Examples
    --------
    >>> from pathways.io import catalog_from_data
    >>> cat = catalog_from_data({"courses": [
    ...     {"id": "A", "title": "A", "hours": 10},
    ...     {"id": "B", "title": "B", "hours": 10, "prerequisites": "A", "terms": ["fall"]}]}).catalog
    >>> {c: str(t) for c, t in list_schedule(cat, ["B", "A"], Term(2027, 0)).items()}
    {'A': '2027-winter', 'B': '2027-fall'}
    """
    todo = set(courses)
    if not todo:
        return {}
    tails = _tails(catalog, todo)
    alap = _alap(catalog, todo, start)
    rank = prefer or {}
    last = len(rank) + 1
    best: dict[str, Term] | None = None
    for key in ((lambda c: (rank.get(c, last), alap[c], -tails[c], c)),
                (lambda c: (rank.get(c, last), -tails[c], c))):
        sched = _run(catalog, sorted(todo, key=key), start, set(completed), max_courses,
                     max_hours)
        if best is None or span(sched, start) < span(best, start):
            best = sched
    assert best is not None
    return best


def span(schedule: Mapping[str, Term], start: Term) -> int:
    """Number of terms from ``start`` to the last scheduled term, inclusive (0 when empty)."""
    if not schedule:
        return 0
    return max(schedule.values()).minus(start) + 1
