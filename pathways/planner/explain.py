"""Why each course is in a plan, and what the alternative would have cost.

Reasons are read from the independent audit of the finished plan (which leaf of which
credential a course fills, which ``min_hours`` threshold its hours count toward) and from the
prerequisite trees of the other planned courses, so they describe the plan as audited, not the
optimiser's internals:

- ``fills 'Methods electives' (choose 2) of UT-CERT-DA``;
- ``adds 40 h to 'Capstone hours' (40 h needed) of UT-CERT-DA``;
- ``prerequisite of UT-DA-101``;
- ``renews AU-AIE-1 (badge expired on 2025-03-01)``.

For a course that is not forced (not required through ``all`` nodes of a target, nor an
``and`` prerequisite of such a course) the planner re-solves with that course forbidden and
reports the difference truthfully: ``UT-CAP-3 (40 h) over UT-CAP-1 + UT-CAP-2 (50 h)`` (the
courses the plan takes instead of the alternative's, with their totals in the objective's unit),
or that no plan exists without it, or -- when the plan's time limit came first -- that the
alternative was not priced.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from pathways.describe import money, prerequisite_text
from pathways.domain import AllOf, AnyOf, Choose, MinHours, Node, Ref, Term
from pathways.planner._request import Request, Solution
from pathways.planner.audit import AuditResult, Use, prerequisites_met
from pathways.planner.model import solve
from pathways.planner.result import PlannedCourse
from pathways.planner.schedule import span
from pathways.planner.validity import Validity, credential_scope

__all__ = ["describe_use", "explain_courses", "forced_courses"]


def _node_at(tree: Node, path: Sequence[int]) -> Node:
    node = tree
    for i in path:
        node = node.children[i]  # type: ignore[union-attr]
    return node


def describe_use(tree: Node, use: Use, hours: float) -> str:
    """One use of a course as text (without the credential's target context).

    >>> from pathways.io.trees import parse_requirement
    >>> tree = parse_requirement({"all": ["A", {"choose": 2, "from": ["B", "C", "D"],
    ...                                        "label": "Electives"}]})
    >>> describe_use(tree, Use("B", "X", (1, 0), "slot", True), 30)
    "fills 'Electives' (choose 2) of X"
    >>> describe_use(tree, Use("A", "X", (0,), "slot", True), 30)
    'required by X'
    """
    cred = use.credential
    if use.kind == "hours":
        node = _node_at(tree, use.path)
        assert isinstance(node, MinHours)
        if node.label:
            return f"adds {hours:g} h to '{node.label}' ({node.hours:g} h needed) of {cred}"
        return f"adds {hours:g} h toward the {node.hours:g}-hour requirement of {cred}"
    if not use.path:
        return f"is the requirement of {cred}"
    parent = _node_at(tree, use.path[:-1])
    label = getattr(parent, "label", None)
    if isinstance(parent, AllOf) or (isinstance(parent, Choose)
                                     and parent.k >= len(parent.children)):
        return f"required in '{label}' of {cred}" if label else f"required by {cred}"
    if isinstance(parent, AnyOf) or (isinstance(parent, Choose) and parent.k == 1):
        return f"fills '{label}' (any one) of {cred}" if label else f"fills a one-of choice of {cred}"
    k = parent.k  # type: ignore[union-attr]
    return f"fills '{label}' (choose {k}) of {cred}" if label else \
        f"fills a choose-{k} requirement of {cred}"


def forced_courses(catalog: Any, validity: Validity, targets: Sequence[str]) -> set[str]:
    """Courses every plan must take: required through ``all`` nodes (and choose-all-of) of the
    targets and of credentials so required, and their ``and`` prerequisites."""
    forced: set[str] = set()
    seen: set[str] = set()

    def walk(cred: str, node: Node) -> None:
        if isinstance(node, Ref):
            if node.id in catalog.credentials:
                if not validity.credential_counts(node.id, cred):
                    need(node.id)
            elif not validity.course_counts(node.id, cred):
                forced.add(node.id)
        elif isinstance(node, AllOf) or (isinstance(node, Choose)
                                         and node.k >= len(node.children)):
            for child in node.children:
                walk(cred, child)

    def need(cred: str) -> None:
        if cred not in seen:
            seen.add(cred)
            walk(cred, catalog.credentials[cred].requires)

    for t in targets:
        if not validity.credential_counts(t, None):
            need(t)
    stack = list(forced)
    while stack:
        pre = catalog.courses[stack.pop()].prerequisites
        todo = [pre] if pre is not None else []
        while todo:
            node = todo.pop()
            if isinstance(node, Ref):
                if node.id not in validity.completed_courses and node.id not in forced:
                    forced.add(node.id)
                    stack.append(node.id)
            elif isinstance(node, AllOf):
                todo.extend(node.children)
    return forced


def _fmt(value: float, objective: str, currency: str) -> str:
    return money(value, currency) if objective == "cost" else f"{value:g} h"


def _alternative(req: Request, validity: Validity, solution: Solution, course: str) -> str:
    """What the best plan without ``course`` would take instead (one extra solve)."""

    cat = req.catalog
    current = set(solution.schedule)
    if req.objective == "terms":
        fresh = req.model(validity, forbid={course})
        if fresh.infeasible:
            return f"no alternative: every plan within the constraints needs {course}"
        return _alternative_terms(req, validity, solution, course, fresh)
    model = solution.model
    assert model is not None
    twin = _twin(req, validity, solution, course) if solution.optimal else None
    if twin is not None:  # an equally good plan swaps it for a twin: no solve needed
        return (f"{course} ({_fmt(_value(cat, [course], req.objective), req.objective, cat.currency)})"
                f" over {twin} ({_fmt(_value(cat, [twin], req.objective), req.objective, cat.currency)})"
                ", equal hours and cost; chosen by the terms and id tie-breaks")
    if course in model.dominating or course not in model.x:  # options dropped for it: rebuild
        model = req.model(validity, forbid={course})
        if model.infeasible:
            return f"no alternative: every plan within the constraints needs {course}"
        lp = model.lp
    else:
        lp = model.lp.copy()
        lp.ub[model.x[course]] = 0.0  # forbid the course: the rest of the model is unchanged
    attr = "hours" if req.objective == "hours" else "cost"
    weights = {c: getattr(cat.courses[c], attr) for c in model.x}
    r = solve(lp, model.vector(weights, lp), deadline=req.deadline)
    if r.status == "timeout":
        return _NOT_PRICED
    if not r.ok:
        return f"no alternative: every plan within the constraints needs {course}"
    alt = set(model.chosen(r.x))  # type: ignore[arg-type]
    removed, added = sorted(current - alt), sorted(alt - current)

    def value(ids: list[str]) -> float:
        return float(sum(getattr(cat.courses[c], attr) for c in ids))

    a, b = value(removed), value(added)
    text = (f"{' + '.join(removed)} ({_fmt(a, req.objective, cat.currency)}) over "
            f"{' + '.join(added) or 'nothing'} ({_fmt(b, req.objective, cat.currency)})")
    if abs(a - b) <= 1e-6 * max(1.0, abs(a)):
        other = "cost" if attr == "hours" else "hours"
        a2 = sum(getattr(cat.courses[c], other) for c in removed)
        b2 = sum(getattr(cat.courses[c], other) for c in added)
        if abs(a2 - b2) > 1e-6 * max(1.0, abs(a2)):
            text += (f", equal {attr}; {_fmt(a2, other, cat.currency)} vs "
                     f"{_fmt(b2, other, cat.currency)}")
        else:
            text += f", equal {attr} and {other}; chosen by the terms and id tie-breaks"
    return text


def _value(cat: Any, ids: Sequence[str], objective: str) -> float:
    attr = "cost" if objective == "cost" else "hours"
    return float(sum(getattr(cat.courses[c], attr) for c in ids))


def _twin(req: Request, validity: Validity, solution: Solution, course: str) -> str | None:
    """A course not in the plan that can take ``course``'s place at the same hours and cost:
    listed wherever ``course`` is (every leaf and ``min_hours`` list), no exclusive conflict,
    its prerequisites met without ``course``, and ``course`` no prerequisite of the rest. The
    plan with the twin instead is equally good, so it is the best plan without ``course``
    (the first such course by id; None when there is none)."""
    model = solution.model
    assert model is not None
    cat = req.catalog
    places = set(model.places.get(course, ()))
    if not places or course in model.conflicted:
        return None
    plan = set(solution.schedule)
    rest = validity.completed_courses | (plan - {course})
    for other in plan - {course}:
        if not prerequisites_met(cat.courses[other].prerequisites, rest):
            return None  # the course is needed as a prerequisite
    mine = cat.courses[course]
    for d in sorted(set(model.x) | set(model.dropped)):
        if d in plan or d in model.conflicted or d in validity.completed_courses:
            continue
        other = cat.courses[d]
        if other.hours != mine.hours or other.cost != mine.cost:
            continue
        if places <= set(model.places.get(d, ())) \
                and prerequisites_met(other.prerequisites, rest):
            return d
    return None


def _alternative_terms(req: Request, validity: Validity, solution: Solution, course: str,
                       model: Any) -> str:
    """The fewest-terms (then fewest-hours) plan without ``course``."""
    cat = req.catalog
    deadline = req.deadline
    hours = model.hours()
    seed = solve(model.lp, model.vector(hours), deadline=deadline)
    if seed.status == "timeout":
        return _NOT_PRICED
    if not seed.ok:
        return f"no alternative: every plan within the constraints needs {course}"
    seed_set = model.chosen(seed.x)
    horizon = max(1, span(req.schedule(seed_set, validity), req.start))
    lp, _, active = model.timed(req.start, horizon)
    vec = np.zeros(lp.n)
    vec[active] = 1.0
    r = solve(lp, vec, deadline=deadline)
    if r.status == "timeout":
        return _NOT_PRICED
    if not r.ok:
        return f"no alternative: every plan within the constraints needs {course}"
    n_alt = int(round(r.x[active].sum()))  # type: ignore[index]
    lp.add({a: 1.0 for a in active}, hi=n_alt + 0.5)
    r2 = solve(lp, model.vector(hours, lp), deadline=deadline)
    alt = set(model.chosen((r2 if r2.ok else r).x))  # type: ignore[arg-type]
    current = set(solution.schedule)
    n_now = span(solution.schedule, req.start)
    removed, added = sorted(current - alt), sorted(alt - current)
    a = sum(cat.courses[c].hours for c in removed)
    b = sum(cat.courses[c].hours for c in added)
    what = f"{' + '.join(removed)} over {' + '.join(added) or 'a different schedule'}"
    if n_alt == n_now:
        return f"{what} (both {n_now} terms; {a:g} h vs {b:g} h)"
    return f"{what} ({n_alt} terms instead of {n_now})"


#: The alternative of a course when the time limit came before its solve.
_NOT_PRICED = "alternative not priced: the time limit was reached"


def explain_courses(req: Request, validity: Validity, solution: Solution,
                    planned: Sequence[tuple[str, Term]], audits: Sequence[AuditResult], *,
                    explain: bool = True) -> list[PlannedCourse]:
    """The :class:`~pathways.planner.result.PlannedCourse` records of a plan, with reasons."""
    cat = req.catalog
    chosen = [c for c, _ in planned]
    toward: dict[str, str] = {}
    for t in req.targets:
        for k in credential_scope(cat, [t]):
            toward.setdefault(k, t)
    uses: dict[str, dict[tuple[str, tuple[int, ...], str], Use]] = {}
    for a in audits:
        for u in a.uses:
            if u.credential_met:
                uses.setdefault(u.course, {}).setdefault((u.credential, u.path, u.kind), u)
    needed_by: dict[str, list[tuple[str, bool]]] = {}
    terms = dict(planned)
    for d in chosen:
        pre = cat.courses[d].prerequisites
        if pre is None:
            continue
        before = validity.completed_courses | {c for c, t in planned if t < terms[d]}
        for p, optional in _prereq_leaves(pre):
            # named only when it is really needed: taken earlier, and the prerequisites of d
            # would fail without it
            if p in terms and terms[p] < terms[d] and p not in validity.completed_courses \
                    and not prerequisites_met(pre, before - {p}):
                needed_by.setdefault(p, []).append((d, optional))
    forced = forced_courses(cat, validity, req.targets) if explain else set()
    out = []
    for c, term in planned:
        course = cat.courses[c]
        parts: list[str] = []
        renewal = validity.is_held("course", c)
        if renewal:
            why = next((validity.reason_not_counting("course", c, k) for k in req.scope
                        if validity.reason_not_counting("course", c, k)), None)
            parts.append(f"renews {c}" + (f" ({why})" if why else ""))
        seen: set[str] = set()
        for (cred, _, _), u in sorted(uses.get(c, {}).items(),
                                      key=lambda kv: (kv[0][0] not in req.targets, kv[0])):
            text = describe_use(cat.credentials[cred].requires, u, course.hours)
            if cred not in req.targets and cred in toward:
                text += f" (toward {toward[cred]})"
            if text not in seen:
                seen.add(text)
                parts.append(text)
        if c in needed_by:
            items = []
            for d, optional in needed_by[c]:
                items.append(f"{d} (one option of {_pre_text(cat.courses[d].prerequisites)})"
                             if optional else d)
            parts.append("prerequisite of " + ", ".join(items))
        if not parts:
            parts.append("counts toward the targets")
        alternative = None
        if explain and c not in forced:
            alternative = (_alternative(req, validity, solution, c)
                           if time.perf_counter() < req.deadline else _NOT_PRICED)
        reason = "; ".join(parts) + (f"; {alternative}" if alternative else "")
        counts = tuple(sorted({cred for (cred, _, _) in uses.get(c, {})}))
        out.append(PlannedCourse(id=c, title=course.title, term=term, hours=course.hours,
                                 cost=course.cost, provider=course.provider,
                                 counts_toward=counts, reason=reason, renewal=renewal,
                                 alternative=alternative))
    return out


def _pre_text(node: Node | None) -> str:
    return prerequisite_text(node) if node is not None else ""


def _prereq_leaves(node: Node, optional: bool = False) -> list[tuple[str, bool]]:
    """(course id, inside an ``or``) for each leaf of a prerequisite tree."""
    if isinstance(node, Ref):
        return [(node.id, optional)]
    opt = optional or isinstance(node, AnyOf) or (isinstance(node, Choose)
                                                  and node.k < len(node.children))
    out: list[tuple[str, bool]] = []
    for child in node.children:  # type: ignore[union-attr]
        out.extend(_prereq_leaves(child, opt))
    return out

