"""The optimal plan: which courses to take, term by term, to earn the target credentials.

:func:`plan` answers "what is the shortest / cheapest way to these credentials from what I
hold?" exactly, with a MILP over the targets' relevant subgraph (:mod:`pathways.planner.model`,
HiGHS through :mod:`pathways._milp`), never over the whole catalog.

Objectives and tie-breaking (lexicographic):

- ``hours``: total hours, then total cost, then number of terms, then course ids;
- ``cost``: total cost, then total hours, then number of terms, then course ids;
- ``terms``: number of terms (a time-indexed MILP over a horizon taken from a list schedule
  of the hours-optimal plan), then total hours, then total cost, then course ids.

For ``hours`` and ``cost`` the course set is chosen by the set model, in **one** HiGHS solve
when the objectives fold exactly into one weighted objective (:func:`pathways._milp.fold`;
otherwise one solve per objective), and scheduled term by term by deterministic list
scheduling (:mod:`pathways.planner.schedule`). The id tie-break (the smallest sum of id ranks)
is folded in as well when the folded weights stay exact; on large models HiGHS' deterministic
choice among equally good sets stands. The terms tie-break looks for other equally good course
sets (no-good cuts) only when ties can matter: when the list schedule is longer than a lower
bound on the terms of any plan (the prerequisite chains, offering seasons and per-term limits
of the requirement trees), it compares the list schedules of up to eight equally good sets
found within the time limit. ``optimal`` is True only when HiGHS proved the primary and
secondary objectives optimal.

Among schedules of the chosen courses with the same number of terms, the plan prefers the one
that earns the credentials stacked below the targets earliest (``Plan.earned`` says when each
credential of the plan is earned: ``UT-MC-DA earned after 2027-summer``).

**Time limit.** ``time_limit`` bounds the whole request: every solve gets only the time left,
explanations and the infeasibility diagnosis stop at the limit, and what comes after the last
solve (scheduling, the audit) runs within a small grace period. When the limit stops HiGHS the
best plan found is returned with ``optimal=False``, ``status`` saying so and a note; when it
found none, a greedy plan (all eligible courses, then dropping the most expensive ones while the
audit still passes, for as long as the grace period allows) is returned, labelled as such.

Validity depends on the completion date, which depends on the plan: the planner first assumes
completion at the start of the start term, then re-checks which holdings count at the plan's
actual completion date (the end of its last term) and re-plans with that date while the counting
changes (a bounded loop; dates only move later, so counting only shrinks and the final plan is
valid at its own completion date). The plan is optimal among plans judged at that date.

Infeasible requests return a :class:`Plan` with ``feasible=False`` and a ``reason`` naming the
blocking constraint, found by relaxing the learner's constraints (budget, excluded providers,
delivery modes, the per-term hours limit, offering terms) one at a time and then together.

Every plan is re-audited by :func:`pathways.planner.audit.audit_many` (independent code: a
matching search, no shared model) for all targets at its completion date, with the schedule
checks; a failure raises :class:`~pathways.errors.PlanAuditError`.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import numpy as np

from pathways._milp import fold, lexmin
from pathways.describe import money
from pathways.domain import (
    AnyOf,
    Catalog,
    Choose,
    Holding,
    LearnerProfile,
    MinHours,
    Node,
    Ref,
    Term,
    iter_nodes,
    leaf_ids,
)
from pathways.errors import (
    InfeasiblePlanError,
    InvalidParameterError,
    PathwaysError,
    PlanAuditError,
)
from pathways.planner._request import Infeasible, Request, Solution
from pathways.planner.audit import MetCheck, audit_many, prerequisites_met
from pathways.planner.explain import explain_courses
from pathways.planner.model import FAMILIES, LP, PlanModel, SolveResult, solve
from pathways.planner.result import TIME_LIMIT, Plan, PlannedCourse
from pathways.planner.schedule import list_schedule, span
from pathways.planner.validity import Validity, credential_scope

__all__ = [
    "TIME_LIMIT",
    "Objective",
    "Plan",
    "PlannedCourse",
    "plan",
    "resolve_targets",
]

Objective = Literal["hours", "cost", "terms"]
_OBJECTIVES = ("hours", "cost", "terms")
_MAX_TIES = 8
_MAX_REPLANS = 10


# --------------------------------------------------------------------------- optimisation
def _weights(model: PlanModel, name: str) -> dict[str, float]:
    return {"hours": model.hours, "cost": model.cost, "ranks": model.ranks}[name]()


def _total(catalog: Catalog, courses: Iterable[str], name: str) -> float:
    attr = "hours" if name == "hours" else "cost"
    return float(sum(getattr(catalog.courses[c], attr) for c in courses))


def _stages(req: Request, model: PlanModel, names: Sequence[str], lp: LP) -> list[np.ndarray]:
    out = []
    for name in names:
        if name == "earliness":
            out.append(model.vector(_earliness(req, model), lp))
        else:
            out.append(model.vector(_weights(model, name), lp))
    return out


def _earliness(req: Request, model: PlanModel) -> dict[str, float]:
    """Each course's earliest term index (prerequisite chains and offering seasons): the
    tie-break stage that prefers, among equally good sets, courses that can run early."""
    horizon = 3 * (len(model.x) + 2)
    est = model.earliest([req.start.next(t).season for t in range(horizon)])
    return {c: float(min(t, horizon)) for c, t in est.items()}


def _lex_solve(req: Request, model: PlanModel, lp: LP, names: Sequence[str],
               deadline: float) -> SolveResult:
    """Minimise ``names`` lexicographically over ``lp``: the first two always (folded into one
    objective when exact, else in two solves with a cap added to ``lp``), the later ones as
    tie-breaks folded in only while the fold stays exact (:func:`pathways._milp.fold`)."""
    stages = _stages(req, model, names, lp)
    for end in range(len(stages), 1, -1):
        folded = fold(stages[:end], lp)
        if folded is not None:
            return solve(lp, folded, deadline=deadline)
    first = solve(lp, stages[0], deadline=deadline)
    if not first.ok:
        return first
    model.cap(lp, stages[0], float(stages[0] @ first.x))  # type: ignore[operator]
    second = solve(lp, stages[1], deadline=deadline)
    if not second.ok:
        return SolveResult("feasible", first.x, second.message)
    return second if first.status == "optimal" else SolveResult("feasible", second.x,
                                                                second.message)


def _select(req: Request, model: PlanModel, validity: Validity, objective: str) -> Solution:
    """The hours- or cost-optimal course set (then the other of the two, then terms, then ids),
    with its list schedule (see the module docstring)."""
    if model.infeasible:
        raise Infeasible(model.infeasible)
    primary, secondary = ("hours", "cost") if objective == "hours" else ("cost", "hours")
    cat = req.catalog
    lp = model.lp.copy()  # the caps and cuts below stay out of the model
    started = time.perf_counter()
    first = _lex_solve(req, model, lp, [primary, secondary, "earliness", "ranks"],
                       req.deadline)
    if first.status == "infeasible":
        raise Infeasible("no plan")
    if first.status == "timeout":
        return _greedy(req, model, validity, primary)
    notes: list[str] = []
    optimal = first.status == "optimal"
    if not optimal:
        notes.append("the time limit stopped the search: the best plan found is not proved "
                     "optimal")
    s0 = model.chosen(first.x)  # type: ignore[arg-type]
    sched0 = req.schedule(s0, validity)
    pool = [(s0, sched0)]
    span0 = span(sched0, req.start)
    if optimal and span0 > 1 and span0 > _terms_bound(req, model, validity, s0):
        # equally good sets may take fewer terms: look for some, for about as long as the
        # first solve took
        spent = time.perf_counter() - started
        deadline = min(req.deadline, time.perf_counter() + max(0.01, spent))
        for name in (primary, secondary):
            model.cap(lp, _weights(model, name), _total(cat, s0, name))
        model.no_good(lp, s0)
        order = model.vector(_earliness(req, model), lp)
        while len(pool) < _MAX_TIES:
            r = solve(lp, order, deadline=deadline)
            if not r.ok:
                if r.status != "infeasible":
                    notes.append("the search for equally good course sets with fewer terms was "
                                 "cut short by its time budget")
                break
            found = model.chosen(r.x)  # type: ignore[arg-type]
            pool.append((found, req.schedule(found, validity)))
            model.no_good(lp, found)
            if span(pool[-1][1], req.start) <= _terms_bound(req, model, validity, found):
                break
        else:
            notes.append(f"{_MAX_TIES} or more equally good course sets: the terms tie-break "
                         f"compared {_MAX_TIES} of them")
    rank = model.ranks()
    best: tuple[Any, ...] | None = None
    result: tuple[list[str], dict[str, Term]] | None = None
    for courses, sched in pool:
        key = (span(sched, req.start), sum(rank[c] for c in courses), courses)
        if best is None or key < best:
            best, result = key, (courses, sched)
    assert result is not None
    return Solution(result[0], result[1], optimal, _status(optimal), notes, model)


def _status(optimal: bool) -> str:
    return "optimal" if optimal else TIME_LIMIT


def _terms_bound(req: Request, model: PlanModel, validity: Validity,
                 chosen: Sequence[str]) -> int:
    """A lower bound on the terms of any plan with the hours of ``chosen``: the earliest term
    the requirement trees can be met in (prerequisite chains and offering seasons, ignoring
    per-term limits), and the hours and courses over the per-term limits."""
    cat, cons = req.catalog, req.constraints
    horizon = 3 * (len(model.x) + 2)
    seasons = [req.start.next(t).season for t in range(horizon)]
    est = model.earliest(seasons)
    memo: dict[str, int] = {}

    def node_value(cred: str, node: Node) -> int:  # terms after which the node can hold
        if isinstance(node, Ref):
            if node.id in cat.credentials:
                if validity.credential_counts(node.id, cred):
                    return 0
                return cred_value(node.id)
            if validity.course_counts(node.id, cred):
                return 0
            return est[node.id] + 1 if node.id in est else horizon
        if isinstance(node, MinHours):
            held = sum(cat.courses[c].hours for c in set(node.courses)
                       if validity.course_counts(c, cred))
            need = node.hours - held
            if need <= 1e-9:
                return 0
            got, when = 0.0, horizon
            for t, c in sorted((est[c] + 1, c) for c in set(node.courses) if c in est):
                got += cat.courses[c].hours
                if got >= need - 1e-9:
                    when = t
                    break
            return when
        values = sorted(node_value(cred, c) for c in node.children)  # type: ignore[union-attr]
        k = node.k if isinstance(node, (AnyOf, Choose)) else len(values)
        if k <= 0:
            return 0
        return values[k - 1] if k <= len(values) else horizon

    def cred_value(cred: str) -> int:
        if cred not in memo:
            memo[cred] = horizon  # guards against cycles
            memo[cred] = node_value(cred, cat.credentials[cred].requires)
        return memo[cred]

    bound = max((cred_value(t) for t in req.targets if not validity.credential_counts(t, None)),
                default=0)
    hours = _total(cat, chosen, "hours")
    if cons.max_hours_per_term:
        bound = max(bound, math.ceil(hours / cons.max_hours_per_term - 1e-9))
    if cons.max_courses_per_term and model.x:
        most = max(cat.courses[c].hours for c in model.x)
        if most > 0:
            fewest = math.ceil(hours / most - 1e-9)
            bound = max(bound, math.ceil(fewest / cons.max_courses_per_term))
    return bound


def _greedy(req: Request, model: PlanModel, validity: Validity, primary: str) -> Solution:
    """Fallback when HiGHS found nothing in time: a constructed plan (for each requirement the
    cheapest options with their missing prerequisites), or all eligible courses when that does
    not earn the targets; then the costliest courses are dropped while the targets stay earned
    (checked by the audit's search), for as long as the grace period after the deadline allows.
    """
    cat = req.catalog
    stop = max(req.deadline, time.perf_counter()) + req.grace
    weight = {c: float(getattr(cat.courses[c], "hours" if primary == "hours" else "cost"))
              for c in model.x}
    notes = ["the time limit came before the solver found a plan: a greedy plan (the cheapest "
             "options of each requirement, the costliest courses dropped while the targets "
             "stay earned), not optimal"]
    check = MetCheck(cat, validity, req.targets)

    def earns(courses: set[str], deadline: float) -> bool:
        met = check(courses, deadline=deadline)
        return all(met[t] for t in req.targets)

    current = _construct(req, model, validity, weight)
    if current is None or not earns(current, stop):
        current = _closed(cat, validity, set(model.x))
        if not earns(current, stop + req.grace):
            raise Infeasible("no plan")
    for c in sorted(current, key=lambda c: (-weight.get(c, 0.0), c)):
        if time.perf_counter() > stop:
            notes.append("the greedy plan was cut short by the time limit: it keeps courses "
                         "it had no time to try dropping")
            break
        if c not in current:
            continue
        trial = _closed(cat, validity, current - {c})
        if earns(trial, stop):
            current = trial
    budget = req.constraints.budget
    if budget is not None and _total(cat, current, "cost") > budget + 1e-6:
        raise Infeasible("time limit reached before any plan within the budget was found")
    sched = req.schedule(current, validity)
    return Solution(sorted(current), sched, False, TIME_LIMIT, notes, model)


def _closed(cat: Catalog, validity: Validity, courses: set[str]) -> set[str]:
    """The courses whose prerequisites the others (and the completed ones) satisfy."""
    courses = set(courses)
    changed = True
    while changed:
        changed = False
        for c in sorted(courses):
            if not prerequisites_met(cat.courses[c].prerequisites,
                                     validity.completed_courses | (courses - {c})):
                courses.discard(c)
                changed = True
    return courses


def _construct(req: Request, model: PlanModel, validity: Validity,
               weight: dict[str, float]) -> set[str] | None:
    """A quick plan: for each requirement node the cheapest options (each course priced with
    its cheapest missing prerequisites), courses already chosen first; None when some
    requirement has no option."""
    cat = req.catalog
    done = validity.completed_courses
    packages: dict[str, tuple[float, frozenset[str]] | None] = {}

    def package(c: str) -> tuple[float, frozenset[str]] | None:
        if c in packages:
            return packages[c]
        packages[c] = None  # guards against cycles
        if c not in weight:
            return None
        pre = cat.courses[c].prerequisites
        need = _cheapest(pre) if pre is not None else frozenset()
        if need is None:
            return None
        ids = need | {c}
        packages[c] = (sum(weight[i] for i in ids), ids)
        return packages[c]

    def _cheapest(node: Node) -> frozenset[str] | None:
        if isinstance(node, Ref):
            if node.id in done:
                return frozenset()
            got = package(node.id)
            return got[1] if got is not None else None
        parts = [_cheapest(c) for c in node.children]  # type: ignore[union-attr]
        k = node.k if isinstance(node, (AnyOf, Choose)) else len(parts)
        ok = sorted((p for p in parts if p is not None), key=lambda p: sum(weight[i] for i in p))
        if len(ok) < k:
            return None
        return frozenset().union(*ok[:k])

    chosen: set[str] = set()
    used: dict[str, set[str]] = {}  # credential -> courses that fill one of its leaves

    def price(cred: str, node: Node) -> float:
        if isinstance(node, Ref):
            if node.id in cat.credentials:
                return 0.0 if validity.credential_counts(node.id, cred) else \
                    price(node.id, cat.credentials[node.id].requires)
            if node.id in used.get(cred, ()):
                return float("inf")  # it fills another leaf of this credential already
            if validity.course_counts(node.id, cred) or node.id in chosen:
                return 0.0
            got = package(node.id)
            return got[0] if got is not None else float("inf")
        if isinstance(node, MinHours):
            return 0.0
        values = sorted(price(cred, c) for c in node.children)  # type: ignore[union-attr]
        k = node.k if isinstance(node, (AnyOf, Choose)) else len(values)
        return sum(values[:k]) if k <= len(values) else float("inf")

    def take(cred: str, node: Node) -> bool:
        if isinstance(node, Ref):
            if node.id in cat.credentials:
                if validity.credential_counts(node.id, cred):
                    return True
                return take(node.id, cat.credentials[node.id].requires)
            mine = used.setdefault(cred, set())
            if node.id in mine:
                return False
            if not (validity.course_counts(node.id, cred) or node.id in chosen):
                got = package(node.id)
                if got is None:
                    return False
                chosen.update(got[1])
            mine.add(node.id)
            return True
        if isinstance(node, MinHours):
            held = sum(cat.courses[c].hours for c in set(node.courses)
                       if validity.course_counts(c, cred) or c in chosen)
            options = sorted((p[0] / max(cat.courses[c].hours, 1e-9), c)
                             for c in set(node.courses)
                             if c not in chosen and not validity.course_counts(c, cred)
                             and (p := package(c)) is not None)
            for _, c in options:
                if held >= node.hours - 1e-9:
                    break
                chosen.update(packages[c][1])  # type: ignore[index]
                held += cat.courses[c].hours
            return held >= node.hours - 1e-9
        children = list(node.children)  # type: ignore[union-attr]
        k = node.k if isinstance(node, (AnyOf, Choose)) else len(children)
        ranked = sorted(range(len(children)), key=lambda i: (price(cred, children[i]), i))
        met = 0
        for i in ranked:
            if met >= k:
                break
            met += take(cred, children[i])
        return met >= k

    for t in req.targets:
        if not validity.credential_counts(t, None) and \
                not take(t, cat.credentials[t].requires):
            return None
    return chosen


def _terms(req: Request, model: PlanModel, validity: Validity) -> Solution:
    """Fewest terms, then hours, then cost, then ids (time-indexed MILP)."""
    seed = _select(req, model, validity, "hours")
    horizon = span(seed.schedule, req.start)
    if horizon <= 1 or not seed.optimal:
        if not seed.optimal:
            seed.notes.append("terms objective: no time left for the time-indexed model; "
                              "hours-optimal plan returned")
            seed.optimal = False
        return seed
    if horizon <= max(_terms_bound(req, model, validity, seed.courses),
                      _fewest_courses_bound(req, model)):
        # the hours-optimal plan already takes the fewest terms any plan can: it is also
        # the fewest-terms plan with the fewest hours, then the lowest cost
        seed.notes.append("terms: the hours-optimal schedule meets the lower bound on terms")
        return seed
    lp, z, active = model.timed(req.start, horizon)
    terms_vec = np.zeros(lp.n)
    terms_vec[active] = 1.0
    stages = [terms_vec] + [model.vector(_weights(model, n), lp)
                            for n in ("hours", "cost", "ranks")]
    r, solves = lexmin(lp, stages, deadline=req.deadline)
    if not r.ok:
        seed.optimal = False
        seed.status = TIME_LIMIT
        seed.notes.append("the time limit stopped the time-indexed model: the hours-optimal "
                          "plan is returned")
        return seed
    optimal = r.status == "optimal"
    sol = r.x
    assert sol is not None
    n_terms = int(round(sol[active].sum()))
    chosen = model.chosen(sol)
    sched = req.schedule(chosen, validity)
    if span(sched, req.start) > n_terms:  # the list schedule is longer: keep the MILP's terms
        sched = {c: req.start.next(t) for (c, t), v in z.items() if sol[v] > 0.5}
        sched = dict(sorted(sched.items(), key=lambda kv: (kv[1], kv[0])))
    status = _status(optimal)
    notes = [] if optimal else ["the time limit stopped the time-indexed model: the best plan "
                                "found is not proved optimal"]
    return Solution(chosen, sched, optimal, status, notes, model)


def _fewest_courses_bound(req: Request, model: PlanModel) -> int:
    """Terms needed by the fewest courses any plan takes, at the per-term course limit (one
    solve; 1 without a limit)."""
    limit = req.constraints.max_courses_per_term
    if not limit:
        return 1
    r = solve(model.lp, model.vector({c: 1.0 for c in model.x}), deadline=req.deadline)
    if r.status != "optimal":
        return 1
    return math.ceil(len(model.chosen(r.x)) / limit)  # type: ignore[arg-type]


def _optimise(req: Request, validity: Validity) -> Solution:
    model = req.model(validity)
    if req.objective == "terms":
        return _terms(req, model, validity)
    return _select(req, model, validity, req.objective)


# --------------------------------------------------------------------------- infeasibility
class _OutOfTime(Exception):
    pass


def _checked(r: SolveResult) -> SolveResult:
    if r.status == "timeout":
        raise _OutOfTime
    return r


def _feasible(req: Request, validity: Validity, relax: Iterable[str],
              weights: dict[str, float] | None = None) -> tuple[PlanModel, SolveResult]:
    model = req.model(validity, relax)
    if model.infeasible:
        return model, SolveResult("infeasible")
    vec = model.vector(weights or {})
    return model, _checked(solve(model.lp, vec, deadline=req.deadline + req.grace))


def _detail(req: Request, validity: Validity, family: str, relax: frozenset[str],
            strict: PlanModel) -> str:
    cat, cons = req.catalog, req.constraints
    if family == "budget":
        model, r = _feasible(req, validity, relax, None)
        r = _checked(solve(model.lp, model.vector(model.cost()), deadline=req.deadline + req.grace))
        cheapest = _total(cat, model.chosen(r.x), "cost") if r.ok else float("nan")  # type: ignore[arg-type]
        return (f"over budget: the cheapest plan costs {money(cheapest, cat.currency)} but the "
                f"budget is {money(cons.budget or 0.0, cat.currency)}")
    blocked = {c for c, f in strict.blocked.items() if f == family}
    model, r = _feasible(req, validity, relax, {c: 1.0 for c in blocked})
    needed = [c for c in model.chosen(r.x) if c in blocked] if r.ok else []  # type: ignore[arg-type]
    parts = []
    for c in needed:
        course = cat.courses[c]
        if family == "providers":
            parts.append(f"{c} is needed and is offered only by excluded provider "
                         f"{course.provider}")
        elif family == "delivery":
            accepted = ", ".join(sorted(cons.delivery or ()))
            parts.append(f"{c} is needed and is delivered {course.delivery}; delivery "
                         f"{course.delivery} is not accepted (accepted: {accepted})")
        elif family == "load":
            parts.append(f"{c} ({course.hours:g} h) is needed but is longer than "
                         f"max_hours_per_term {cons.max_hours_per_term:g}")
        elif family == "offering":
            parts.append(f"{c} is needed but is not offered in any term")
    names = {"providers": "excluded providers", "delivery": "delivery modes",
             "load": "max_hours_per_term", "offering": "offering terms"}
    return "; ".join(parts) or f"the {names[family]} constraint blocks every plan"


def _diagnose(req: Request, validity: Validity) -> str:
    """Name the constraint that blocks every plan (see the module docstring)."""
    try:
        return _diagnosis(req, validity)
    except _OutOfTime:
        return ("no plan satisfies the constraints; the time limit stopped the search for the "
                "constraint that blocks it (allow more time to find out)")


def _diagnosis(req: Request, validity: Validity) -> str:
    cons = req.constraints
    strict = req.model(validity)
    families = [f for f in FAMILIES if f != "exclusive" and (
        (f == "budget" and cons.budget is not None)
        or f in set(strict.blocked.values()))]
    targets = ", ".join(req.targets)
    everything = frozenset(families) | {"exclusive"}
    if not _feasible(req, validity, everything)[1].ok:
        bad = [t for t in req.targets
               if not _feasible_one(req, validity, t, everything)]
        names = ", ".join(bad or req.targets)
        return (f"cannot finish: no combination of the catalog's courses earns {names}"
                + (" (courses that no longer count would have to be retaken, and even then)"
                   if any(not validity.course_counts(c, k) for k in req.scope
                          for c in req.mentions[k] if validity.is_held("course", c)) else ""))
    if not _feasible(req, validity, frozenset(families))[1].ok:
        excl = sorted(k for k in req.scope if req.catalog.credentials[k].exclusive)
        return (f"cannot finish: {', '.join(excl)} is exclusive (its courses may not count "
                f"toward another credential of the plan), and no plan earns {targets} that way")
    singles = [f for f in families if _feasible(req, validity, {f})[1].ok]
    if singles:
        return "; or ".join(_detail(req, validity, f, frozenset({f}), strict) for f in singles)
    minimal = set(families)
    for f in families:
        if _feasible(req, validity, minimal - {f})[1].ok:
            minimal.discard(f)
    relax = frozenset(minimal)
    return "the constraints together block every plan: " + "; ".join(
        _detail(req, validity, f, relax, strict) for f in families if f in minimal)


def _feasible_one(req: Request, validity: Validity, target: str, relax: frozenset[str]) -> bool:
    model = PlanModel(req.catalog, validity, [target], req.courses, req.constraints, relax)
    if model.infeasible:
        return False
    return _checked(solve(model.lp, model.vector({}), deadline=req.deadline + req.grace)).ok


# --------------------------------------------------------------------------- public
def resolve_targets(catalog: Catalog, learner: LearnerProfile,
                    targets: Sequence[str] | str | None) -> tuple[str, ...]:
    """The targets (default: the learner's goal credentials), checked and de-duplicated.

    Raises
    ------
    PathwaysError
        If there is no target, or a target is not a credential of the catalog.
    """
    if isinstance(targets, str):
        targets = [targets]
    chosen = list(targets) if targets else list(learner.goals.credentials)
    if not chosen:
        raise PathwaysError(f"no target: learner {learner.id} has no goal credentials; "
                            "name a target credential")
    for t in chosen:
        if t not in catalog.credentials:
            import difflib

            close = difflib.get_close_matches(t, list(catalog.credentials), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            kind = " (it is a course)" if t in catalog.courses else ""
            raise PathwaysError(f"unknown target {t}: not a credential of the catalog{kind}{hint}")
    return tuple(dict.fromkeys(chosen))


def plan(catalog: Catalog, learner: LearnerProfile, targets: Sequence[str] | str | None = None,
         *, objective: Objective = "hours", graph: Any = None, time_limit: float = 10.0,
         explain: bool = True, holdings: Sequence[Holding] | None = None,
         today: dt.date | None = None) -> Plan:
    """The optimal plan toward ``targets`` for ``learner`` (see the module docstring).

    Parameters
    ----------
    catalog : Catalog
    learner : LearnerProfile
        Holdings, constraints (all optional) and start term (default: the first term that has
        not begun on ``today``; the plan's ``start_note`` says which, and flags an explicit
        start that has already begun as a what-if plan).
    targets : sequence of str, optional
        Target credential ids; default the learner's goal credentials.
    objective : {"hours", "cost", "terms"}
        What to minimise first.
    graph : networkx.DiGraph, optional
        Not needed: the courses that could count are read from the catalog
        (:func:`pathways.planner._request.relevant_courses`, the courses of
        :func:`pathways.graph.relevant_subgraph`); accepted so that callers holding a prebuilt
        graph keep working.
    time_limit : float
        Seconds for all HiGHS solves of the request together.
    explain : bool
        Price the alternatives of every optional choice (extra solves); reasons are always
        given.
    holdings : sequence of Holding, optional
        Replaces the learner's holdings (what-if scenarios).
    today : datetime.date, optional
        The day the plan is made (default: the real date); it decides the default start term.

    Returns
    -------
    Plan
        Feasible and audited, or ``feasible=False`` with the blocking ``reason``.

    Raises
    ------
    PathwaysError
        For unknown or missing targets or an unknown objective.
    PlanAuditError
        If the independent audit rejects the plan (a bug).

    Examples
    --------
    >>> from pathways.io import catalog_from_data
    >>> from pathways.domain import LearnerProfile, Constraints, Term
    >>> cat = catalog_from_data({"courses": [
    ...     {"id": "A", "title": "A", "hours": 10, "cost": 100},
    ...     {"id": "B", "title": "B", "hours": 20, "cost": 50},
    ...     {"id": "C", "title": "C", "hours": 5, "prerequisites": "A"}],
    ...   "credentials": [{"id": "X", "title": "X", "level": "certificate",
    ...                    "requires": {"all": ["C", {"any": ["A", "B"]}]}}]}).catalog
    >>> me = LearnerProfile("me", constraints=Constraints(start=Term(2027, 0)))
    >>> p = plan(cat, me, ["X"])
    >>> [(c.id, str(c.term)) for c in p.courses], p.total_hours, p.terms, p.optimal
    ([('A', '2027-winter'), ('C', '2027-summer')], 15.0, 2, True)
    """
    if objective not in _OBJECTIVES:
        raise InvalidParameterError(f"unknown objective {objective!r}: use hours, cost or terms")
    chosen_targets = resolve_targets(catalog, learner, targets)
    req = Request(catalog, learner, chosen_targets, objective, time_limit, holdings, today)
    as_of = req.start.start
    validity = req.validity(as_of)
    solution: Solution | None = None
    notes: list[str] = []
    for _ in range(_MAX_REPLANS):
        try:
            solution = _optimise(req, validity)
        except Infeasible:
            return _infeasible_plan(req, validity)
        completion = (max(solution.schedule.values()).end if solution.schedule
                      else req.start.start)
        if completion <= as_of:
            break
        later = req.validity(completion)
        if req.counting(later) == req.counting(validity):
            break
        notes.append(f"re-planned: some holdings no longer count at {completion.isoformat()}")
        as_of, validity = completion, later
    else:  # pragma: no cover - counting can only shrink a bounded number of times
        notes.append("re-planning stopped after the iteration limit")
    assert solution is not None
    return _finish(req, validity, solution, notes, explain)


def _infeasible_plan(req: Request, validity: Validity) -> Plan:
    reason = _diagnose(req, validity)
    return Plan(learner=req.learner.id, targets=req.targets, objective=req.objective,
                feasible=False, optimal=False, start=req.start, reason=reason,
                currency=req.catalog.currency, status="infeasible",
                start_note=str(req.start_info), start_in_past=req.start_info.in_past)


def _finish(req: Request, validity: Validity, solution: Solution, notes: list[str],
            explain: bool) -> Plan:
    cat = req.catalog
    stop = max(req.deadline, time.perf_counter()) + req.grace
    milestones = _Milestones(req, validity, solution.courses, stop)
    schedule = milestones.earliest_schedule(solution.schedule)
    planned = [(c, t) for c, t in sorted(schedule.items(), key=lambda kv: (kv[1], kv[0]))]
    completion = max(t for _, t in planned).end if planned else req.start.start
    audits = audit_many(cat, req.learner, req.targets, planned=planned, as_of=completion,
                        holdings=req.holdings, time_limit=max(0.0, stop - time.perf_counter()))
    failed = [a for a in audits if not a.ok]
    unconfirmed = [a for a in failed if not a.exact and not a.problems]
    wrong = [a for a in failed if a not in unconfirmed]
    if wrong:
        lines = []
        for a in wrong:
            lines.append(f"{a.credential}: " + ("; ".join(a.problems) if a.problems
                                                 else "requirements not met: "
                                                 + "; ".join(a.missing)))
        raise PlanAuditError("the plan failed the independent audit (a bug in the planner): "
                             + " | ".join(lines))
    if unconfirmed:  # the time limit stopped the audit's search before it found the assignment
        notes.append("the time limit stopped the independent audit before it confirmed the plan")
    renewals = tuple(c for c, _ in planned if validity.is_held("course", c))
    unstated = [c for c, _ in planned if not cat.courses[c].hours_stated]
    if unstated:  # e.g. records a CTDL import could not find: placeholders, not real courses
        notes.append(f"{len(unstated)} planned course(s) have no stated hours ("
                     f"{', '.join(unstated[:5])}{', ...' if len(unstated) > 5 else ''}): their "
                     "hours are placeholders, so the totals are not exact; check them with the "
                     "provider")
    solution = Solution(solution.courses, schedule, solution.optimal, solution.status,
                         solution.notes, solution.model)
    courses = explain_courses(req, validity, solution, planned, audits, explain=explain)
    earned = milestones.earned(schedule)
    if planned and len(req.targets) == 1:
        already: tuple[str, ...] = ()  # one target that needs courses is not met yet
    elif planned:
        already = tuple(t for t in req.targets if t in milestones.met_at_start)
    else:
        already = req.targets
    return Plan(
        learner=req.learner.id, targets=req.targets, objective=req.objective, feasible=True,
        optimal=solution.optimal, courses=tuple(courses), renewals=renewals,
        total_hours=_total(cat, schedule, "hours"),
        total_cost=_total(cat, schedule, "cost"),
        terms=span(schedule, req.start), start=req.start, completion=completion,
        currency=cat.currency, already_met=already,
        status=solution.status, notes=tuple(notes + solution.notes + milestones.notes),
        audits=audits, start_note=str(req.start_info), start_in_past=req.start_info.in_past,
        earned=tuple(earned))


class _Milestones:
    """When each credential of the plan is earned, and schedules that earn them early.

    The credentials are the targets and everything nested in them that the holdings alone do
    not earn; "earned after term t" means the holdings and the courses planned up to ``t``
    meet its requirements (counted at the plan's completion date, like the plan itself),
    checked by the audit's assignment search.
    """

    def __init__(self, req: Request, validity: Validity, courses: Sequence[str],
                 stop: float) -> None:
        self.req = req
        self.validity = validity
        self.stop = stop
        self.notes: list[str] = []
        self.cut = False
        cat = req.catalog
        start = MetCheck(cat, validity, req.targets)((), deadline=stop)
        self.met_at_start = {k for k, ok in start.items() if ok}
        self.pending = [k for k in validity.scope if k not in self.met_at_start]
        self.courses = list(courses)
        self._checks: dict[str, MetCheck] = {}
        self._cache: dict[tuple[str, frozenset[str]], bool] = {}

    def met(self, cred: str, courses: frozenset[str]) -> bool:
        if cred not in self._checks:
            self._checks[cred] = MetCheck(self.req.catalog, self.validity, [cred])
        check = self._checks[cred]
        key = (cred, courses & check.mentioned_all)
        if key not in self._cache:
            if time.perf_counter() > self.stop:
                self.cut = True
                return False
            self._cache[key] = check(key[1], deadline=self.stop)[cred]
        return self._cache[key]

    def earned(self, schedule: dict[str, Term]) -> list[tuple[str, Term]]:
        """(credential, term) for each pending credential the schedule earns, by term."""
        terms = sorted(set(schedule.values()))
        out: list[tuple[str, Term]] = []
        if not terms:
            return out
        prefixes = [frozenset(c for c, t in schedule.items() if t <= term) for term in terms]
        for k in self.pending:
            if len(self.req.targets) == 1 and k in self.req.targets:
                out.append((k, terms[-1]))  # the plan is complete when its target is earned
                continue
            if not self.met(k, prefixes[-1]):
                continue
            lo, hi = 0, len(terms) - 1
            while lo < hi:
                mid = (lo + hi) // 2
                if self.met(k, prefixes[mid]):
                    hi = mid
                else:
                    lo = mid + 1
            out.append((k, terms[lo]))
        if self.cut and "the time limit stopped" not in " ".join(self.notes):
            self.notes.append("the time limit stopped the check of when stacked credentials "
                              "are earned")
        out.sort(key=lambda kt: (kt[1], self.pending.index(kt[0])))
        return out

    def earliest_schedule(self, base: dict[str, Term]) -> dict[str, Term]:
        """Among list schedules of the plan's courses no longer than ``base``, the one that
        earns the stacked credentials earliest (the sorted earning terms compared in order);
        ``base`` on ties."""
        nested = [k for k in self.pending if k not in self.req.targets]
        req = self.req
        cons = req.constraints
        if not nested or len(base) < 2 or (cons.max_courses_per_term is None
                                           and cons.max_hours_per_term is None):
            return base  # without per-term limits every course already runs at its earliest
        # the earliest each credential can be earned with these courses: without the limits
        # every course runs at its earliest term
        free = list_schedule(req.catalog, self.courses, req.start,
                             completed=self.validity.completed_courses)
        bound = dict(self.earned(free))
        now = dict(self.earned(base))
        every = nested
        nested = [k for k in nested if k in now and k in bound and now[k] > bound[k]]
        if not nested:
            return base
        start_span = span(base, req.start)
        need: dict[str, list[str]] = {}
        for k in nested:
            used = self._used(k)
            if used is not None:
                need[k] = used
        if not need:
            return base
        order = sorted(need, key=lambda k: (len(need[k]), nested.index(k)))
        combined: dict[str, int] = {}
        for i, k in enumerate(order):
            for c in need[k]:
                combined.setdefault(c, i)
        candidates = [combined] + [{c: 0 for c in need[k]} for k in order[:3]]

        def score(sched: dict[str, Term]) -> tuple[int, ...]:
            got = dict(self.earned(sched))
            return tuple(sorted(got[k].minus(req.start) if k in got else 10 ** 6
                                for k in every))

        best, best_score = base, score(base)
        target = tuple(sorted(bound[k].minus(req.start) if k in bound else 10 ** 6
                              for k in every))
        seen = [base]
        for prefer in candidates:
            if time.perf_counter() > self.stop or best_score <= target:
                break  # out of time, or every credential is earned as early as it can be
            try:
                sched = req.schedule(self.courses, self.validity, prefer=prefer)
            except InfeasiblePlanError:  # pragma: no cover - the base schedule exists
                continue
            if span(sched, req.start) > start_span or sched in seen:
                continue
            seen.append(sched)
            got = score(sched)
            if got < best_score:
                best, best_score = sched, got
        return best

    def _used(self, cred: str) -> list[str] | None:
        """A small set of the plan's courses (with their prerequisites in the plan) that earns
        ``cred``: the courses its trees name, thinned while it stays earned."""
        cat = self.req.catalog
        named: set[str] = set()
        for k in credential_scope(cat, [cred]):
            named.update(i for i in leaf_ids(cat.credentials[k].requires) if i in cat.courses)
            for node in iter_nodes(cat.credentials[k].requires):
                if isinstance(node, MinHours):
                    named.update(node.courses)
        chosen = [c for c in self.courses if c in named]
        if not chosen or not self.met(cred, frozenset(chosen)):
            return None
        for c in sorted(chosen, key=lambda c: (-cat.courses[c].hours, c)):
            if time.perf_counter() > self.stop:
                break
            trial = [d for d in chosen if d != c]
            if self.met(cred, frozenset(trial)):
                chosen = trial
        plan = set(self.courses)
        closure = set(chosen)
        todo = list(chosen)
        while todo:
            pre = cat.courses[todo.pop()].prerequisites
            if pre is None:
                continue
            for p in leaf_ids(pre):
                if p in plan and p not in closure:
                    closure.add(p)
                    todo.append(p)
        return sorted(closure)
