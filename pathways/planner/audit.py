"""The audit: what a learner (and a plan) has toward a credential, node by node.

Like a degree audit, and independent of the optimiser (it shares no model with the planner):
the audit finds an assignment of courses to the course leaves of each credential by its own
search, so a plan the optimiser returns is checked by different code.

How courses count (the format's rules; see :mod:`pathways.planner.validity` for dates):

- Within one credential a course fills at most one course leaf of that credential's own tree;
  leaves inside a nested credential belong to the nested credential.
- ``min_hours`` is a threshold, not a slot: it sums the hours of every counting course of its
  list, whether or not those courses fill leaves.
- Across credentials a course may fill a leaf in each, unless one is ``exclusive``: a course
  that fills a leaf of an exclusive credential fills no leaf of any other credential audited
  together (the targets of a plan and everything nested in them).
- A nested credential leaf is met when the credential is held and counts for the parent, or when
  its own requirements are met by the courses.

The search (:mod:`pathways.planner._assign`): within a credential, filling leaves is a
bipartite matching of courses to the tree's groups (the nodes whose children are course
leaves), solved by augmenting paths; above the groups the tree is monotone, and a bounded
branch and bound (then a small MILP of the audit's own formulation, until the time limit)
chooses which contested groups to satisfy. Among all assignments it keeps the best by
(targets met, credentials met, nodes met, leaves filled): if the requirements can be met, the
audit finds it; otherwise it shows the assignment that satisfies the most. A search stopped
by the time limit says so (``exact=False`` and a note).

The audit of planned courses also re-checks the schedule: prerequisites completed in an earlier
term (or held: a completed course satisfies prerequisites even if its badge expired), the terms
a course is offered, the start term, per-term course and hours limits, excluded providers,
delivery modes and the budget. Any violation is a ``problem``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pathways.domain import (
    AllOf,
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
from pathways.errors import PathwaysError
from pathways.planner._assign import solve_scope
from pathways.planner.validity import (
    Validity,
    credential_scope,
    start_term,
)

__all__ = [
    "AuditNode",
    "AuditResult",
    "MetCheck",
    "NotCounting",
    "Use",
    "audit",
    "audit_many",
    "credentials_met",
    "prerequisites_met",
    "schedule_problems",
]

Status = Literal["met", "partial", "not met"]

#: Seconds an audit's assignment search may take when no time limit is given.
DEFAULT_TIME_LIMIT = 10.0
_MARKS = {"met": "✓", "partial": "~", "not met": "✗"}
Path = tuple[int, ...]


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class AuditNode:
    """One node of an audited requirement tree.

    ``kind`` is ``"all"``, ``"any"``, ``"choose"``, ``"min_hours"``, ``"course"`` or
    ``"credential"``; ``status`` is ``"met"``, ``"partial"`` or ``"not met"``; ``detail`` says
    how (``"1 of 2 chosen"``, ``"20 of 40 hours"``, ``"held, completed 2024-05-01"``,
    ``"planned 2027-fall"``).
    """

    kind: str
    text: str
    status: Status
    detail: str = ""
    id: str | None = None
    label: str | None = None
    source: str | None = None  # "held", "planned" or "earned" for met leaves
    term: str | None = None  # the planned term of a course leaf filled by a planned course
    counted: tuple[str, ...] = ()  # min_hours: the courses whose hours count
    children: tuple[AuditNode, ...] = ()

    @property
    def mark(self) -> str:
        """✓ met, ~ partly met, ✗ not met."""
        return _MARKS[self.status]

    def lines(self, indent: str = "  ", depth: int = 0) -> list[str]:
        """The subtree as indented text lines with marks."""
        text = f"{indent * depth}{self.mark} {self.text}"
        if self.detail:
            text += f"  [{self.detail}]"
        out = [text]
        for child in self.children:
            out.extend(child.lines(indent, depth + 1))
        return out

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "text": self.text, "status": self.status,
                               "detail": self.detail}
        for key in ("id", "label", "source", "term"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.counted:
            out["counted"] = list(self.counted)
        if self.children:
            out["children"] = [c.to_dict() for c in self.children]
        return out


@dataclass(frozen=True)
class NotCounting:
    """A holding that does not count toward ``credential``, and why."""

    kind: str
    id: str
    credential: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id, "credential": self.credential,
                "reason": self.reason}


@dataclass(frozen=True)
class Use:
    """A course counting toward a credential: filling the leaf at ``path`` (``kind="slot"``)
    or adding its hours to the ``min_hours`` node at ``path`` (``kind="hours"``)."""

    course: str
    credential: str
    path: Path
    kind: Literal["slot", "hours"]
    credential_met: bool


@dataclass(frozen=True)
class AuditResult:
    """The audit of one credential for one learner (and optional planned courses) at ``as_of``.

    ``met`` is True when the credential is earned: held and still counting, or its requirements
    satisfied. ``problems`` lists schedule or constraint violations of the planned courses
    (empty for an audit without a plan); ``ok`` is ``met and not problems``. ``exact`` is False
    when the time limit stopped the assignment search before it proved its assignment best
    (``notes`` says so).
    """

    credential: str
    title: str
    as_of: dt.date
    met: bool
    held: bool
    root: AuditNode
    missing: tuple[str, ...] = ()
    not_counting: tuple[NotCounting, ...] = ()
    problems: tuple[str, ...] = ()
    uses: tuple[Use, ...] = field(default=(), repr=False)
    exact: bool = True
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.met and not self.problems

    @property
    def status(self) -> Status:
        return "met" if self.met else self.root.status

    def lines(self) -> list[str]:
        """A readable text rendering: heading, tree with marks, missing, not counting."""
        state = "held" if self.held else ("met" if self.met else self.root.status)
        head = (f"{_MARKS[self.status]} {self.credential}  {self.title}  ({state}, as of "
                f"{self.as_of.isoformat()})")
        out = [head]
        out.extend(self.root.lines(depth=1))
        if self.missing and not self.met:
            out.append("missing:")
            out.extend(f"  - {m}" for m in self.missing)
        if self.not_counting:
            out.append("not counting:")
            out.extend(f"  - {n.id} toward {n.credential}: {n.reason}" for n in self.not_counting)
        if self.problems:
            out.append("plan problems:")
            out.extend(f"  - {p}" for p in self.problems)
        out.extend(f"note: {n}" for n in self.notes)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "credential": self.credential, "title": self.title,
            "as_of": self.as_of.isoformat(), "met": self.met, "held": self.held,
            "status": self.status, "ok": self.ok, "tree": self.root.to_dict(),
            "missing": list(self.missing),
            "not_counting": [n.to_dict() for n in self.not_counting],
            "problems": list(self.problems), "exact": self.exact, "notes": list(self.notes),
        }


# --------------------------------------------------------------------------- prerequisites
def prerequisites_met(node: Node | None, done: Iterable[str] | frozenset[str]) -> bool:
    """Whether a prerequisite expression is satisfied by the completed course ids ``done``.

    >>> from pathways.io.trees import parse_prerequisites
    >>> prerequisites_met(parse_prerequisites("A and (B or C)"), {"A", "C"})
    True
    >>> prerequisites_met(parse_prerequisites("A and (B or C)"), {"B", "C"})
    False
    """
    if node is None:
        return True
    done = done if isinstance(done, (set, frozenset)) else set(done)
    if isinstance(node, Ref):
        return node.id in done
    if isinstance(node, AllOf):
        return all(prerequisites_met(c, done) for c in node.children)
    if isinstance(node, (AnyOf, Choose)):
        k = node.k if isinstance(node, Choose) else 1
        return sum(prerequisites_met(c, done) for c in node.children) >= k
    raise TypeError(f"not a prerequisite node: {node!r}")


def schedule_problems(catalog: Catalog, learner: LearnerProfile,
                      planned: Sequence[tuple[str, Term]], *,
                      completed: Iterable[str] | None = None,
                      today: dt.date | None = None) -> list[str]:
    """Every way the planned courses break the schedule rules or the learner's constraints.

    Checks: known course ids, no course planned twice, no term before the learner's start,
    offered in the term's season, prerequisites completed before the term (holdings count even
    when expired), per-term course and hours limits, excluded providers, delivery modes and the
    budget. Returns readable sentences, empty when the schedule is sound.
    """
    cons = learner.constraints
    done = set(completed if completed is not None else
               (h.id for h in learner.completed if h.kind == "course"))
    start = start_term(learner, today)
    problems: list[str] = []
    seen: dict[str, Term] = {}
    by_term: dict[Term, list[str]] = {}
    for cid, term in planned:
        course = catalog.courses.get(cid)
        if course is None:
            problems.append(f"{cid} is not a course of the catalog")
            continue
        if cid in seen:
            problems.append(f"{cid} is planned twice ({seen[cid]} and {term})")
            continue
        seen[cid] = term
        by_term.setdefault(term, []).append(cid)
        if term < start:
            problems.append(f"{cid} is planned in {term}, before the start term {start}")
        if not course.offered_in(term.season):
            offered = ", ".join(sorted(course.terms or ())) or "no term"
            problems.append(f"{cid} is not offered in {term.season} (offered: {offered})")
        if course.provider is not None and course.provider in cons.exclude_providers:
            problems.append(f"{cid} is from excluded provider {course.provider}")
        if cons.delivery is not None and course.delivery is not None \
                and course.delivery not in cons.delivery:
            problems.append(f"{cid} is delivered {course.delivery}, which is not accepted "
                            f"({', '.join(sorted(cons.delivery))})")
    for cid, term in planned:
        course = catalog.courses.get(cid)
        if course is None or seen.get(cid) != term or course.prerequisites is None:
            continue
        before = done | {c for c, t in seen.items() if t < term}
        if not prerequisites_met(course.prerequisites, before):
            from pathways.describe import prerequisite_text

            problems.append(f"{cid} in {term} lacks its prerequisites "
                            f"({prerequisite_text(course.prerequisites)}) from earlier terms")
    for term in sorted(by_term):
        ids = by_term[term]
        if cons.max_courses_per_term is not None and len(ids) > cons.max_courses_per_term:
            problems.append(f"{term} has {len(ids)} courses, more than max_courses_per_term "
                            f"{cons.max_courses_per_term}")
        hours = sum(catalog.courses[c].hours for c in ids)
        if cons.max_hours_per_term is not None and hours > cons.max_hours_per_term + 1e-9:
            problems.append(f"{term} has {hours:g} hours, more than max_hours_per_term "
                            f"{cons.max_hours_per_term:g}")
    total = sum(catalog.courses[c].cost for c in seen)
    if cons.budget is not None and total > cons.budget + 1e-6:
        problems.append(f"the planned courses cost {total:,.2f} {catalog.currency}, over the "
                        f"budget of {cons.budget:,.2f} {catalog.currency}")
    return problems


# --------------------------------------------------------------------------- the search
@dataclass
class _Cred:
    id: str
    tree: Node
    exclusive: bool
    have: frozenset[str]  # courses that count toward it (held and valid, or planned)


class _Engine:
    """The assignment search over a scope of credentials (children first); see
    :mod:`pathways.planner._assign`."""

    def __init__(self, catalog: Catalog, validity: Validity, targets: Sequence[str],
                 scope: Sequence[str], planned: Iterable[str]) -> None:
        self.catalog = catalog
        self.validity = validity
        self.targets = tuple(targets)
        self.scope = tuple(scope)
        planned = set(planned)
        self.creds: dict[str, _Cred] = {}
        for cid in self.scope:
            cred = catalog.credentials[cid]
            mentioned = [i for i in leaf_ids(cred.requires) if i in catalog.courses]
            have = frozenset(c for c in mentioned
                             if c in planned or validity.course_counts(c, cid))
            self.creds[cid] = _Cred(cid, cred.requires, cred.exclusive, have)
        self.held_counts: dict[tuple[str, str | None], bool] = {}
        self.exact = True
        self.message = ""

    def cred_held(self, cred_id: str, parent: str | None) -> bool:
        key = (cred_id, parent)
        if key not in self.held_counts:
            self.held_counts[key] = self.validity.credential_counts(cred_id, parent)
        return self.held_counts[key]

    def search(self, deadline: float) -> tuple[set[tuple[str, Path]], dict[str, bool]]:
        """The best assignment: the (credential, leaf path) pairs filled, and which credentials
        of the scope are met."""
        held: dict[tuple[str, str], bool] = {}
        for cid in self.scope:
            for node in iter_nodes(self.catalog.credentials[cid].requires):
                if isinstance(node, Ref) and node.id in self.catalog.credentials:
                    held[(node.id, cid)] = self.cred_held(node.id, cid)
        for t in self.targets:
            held[(t, "")] = self.cred_held(t, None)
        solution = solve_scope(self.catalog, self.scope, self.targets,
                               {k: c.have for k, c in self.creds.items()}, held,
                               deadline=deadline)
        self.exact, self.message = solution.exact, solution.message
        return solution.filled, solution.met


# --------------------------------------------------------------------------- building results
class _Builder:
    def __init__(self, engine: _Engine, filled: set[tuple[str, Path]], met: dict[str, bool],
                 planned_terms: Mapping[str, Term]) -> None:
        self.e = engine
        self.cat = engine.catalog
        self.filled = filled
        self.met = met
        self.planned = planned_terms
        self.used_in: dict[str, list[tuple[str, Path]]] = {}
        for cid, path in sorted(filled):
            course = self._leaf_id(cid, path)
            self.used_in.setdefault(course, []).append((cid, path))

    def _leaf_id(self, cid: str, path: Path) -> str:
        node: Node = self.cat.credentials[cid].requires
        for i in path:
            node = node.children[i]  # type: ignore[union-attr]
        return node.id  # type: ignore[union-attr]

    def _source(self, course: str, cid: str) -> tuple[str, str, str | None]:
        """(source, detail, term) of a course that counts toward ``cid``."""
        if self.e.validity.course_counts(course, cid):
            h = self.e.validity.holding("course", course)
            return "held", f"held, completed {h.date.isoformat()}" if h else "held", None
        term = self.planned.get(course)
        return "planned", f"planned {term}", str(term) if term else None

    def course_title(self, cid: str) -> str:
        title = self.cat.title(cid)
        return f"{cid}  {title}" if title != cid else cid

    def node(self, cid: str, node: Node, path: Path) -> AuditNode:
        label = getattr(node, "label", None)
        if isinstance(node, Ref):
            if node.id in self.cat.credentials:
                return self._credential_leaf(cid, node)
            return self._course_leaf(cid, node, path)
        if isinstance(node, MinHours):
            have = self.e.creds[cid].have
            counted = tuple(c for c in dict.fromkeys(node.courses) if c in have)
            total = sum(self.cat.courses[c].hours for c in counted)
            status: Status = ("met" if total >= node.hours - 1e-9 else
                              "partial" if total > 0 else "not met")
            head = f"at least {node.hours:g} hours from {', '.join(node.courses)}"
            detail = f"{total:g} of {node.hours:g} hours"
            if counted:
                detail += " (" + ", ".join(counted) + ")"
            return AuditNode("min_hours", f"{label}: {head}" if label else head, status, detail,
                             label=label, counted=counted)
        children = tuple(self.node(cid, child, path + (i,))
                         for i, child in enumerate(node.children))
        n_met = sum(c.status == "met" for c in children)
        if isinstance(node, AllOf):
            kind, k, head = "all", len(children), "all of"
            detail = f"{n_met} of {k} met"
        else:
            kind = "any" if isinstance(node, AnyOf) else "choose"
            k = node.k
            head = "any one of" if isinstance(node, AnyOf) else f"choose {k} of"
            detail = f"{min(n_met, k)} of {k} chosen"
        if n_met >= k:
            status = "met"
        elif n_met or any(c.status == "partial" for c in children):
            status = "partial"
        else:
            status = "not met"
        return AuditNode(kind, f"{label}: {head}" if label else head, status, detail,
                         label=label, children=children)

    def _course_leaf(self, cid: str, node: Ref, path: Path) -> AuditNode:
        course = node.id
        text = self.course_title(course)
        if (cid, path) in self.filled:
            source, detail, term = self._source(course, cid)
            return AuditNode("course", text, "met", detail, id=course, label=node.label,
                             source=source, term=term)
        cred = self.e.creds[cid]
        if course in cred.have:
            elsewhere = [c for c, p in self.used_in.get(course, []) if c == cid]
            if elsewhere:
                detail = f"{course} already fills another slot of {cid}"
            else:
                others = sorted({c for c, _ in self.used_in.get(course, [])
                                 if self.e.creds[c].exclusive and c != cid})
                detail = (f"{course} counts toward exclusive {', '.join(others)}" if others
                          else f"{course} is not used here")
        else:
            why = self.e.validity.reason_not_counting("course", course, cid)
            detail = f"does not count: {why}" if why else "not taken"
        return AuditNode("course", text, "not met", detail, id=course, label=node.label)

    def _credential_leaf(self, parent: str, node: Ref) -> AuditNode:
        j = node.id
        text = self.course_title(j)
        if self.e.cred_held(j, parent):
            h = self.e.validity.holding("credential", j)
            detail = f"held, earned {h.date.isoformat()}" if h else "held"
            return AuditNode("credential", text, "met", detail, id=j, label=node.label,
                             source="held")
        inner = self.node(j, self.cat.credentials[j].requires, ())
        why = self.e.validity.reason_not_counting("credential", j, parent)
        prefix = f"held but does not count ({why}); " if why else ""
        if self.met.get(j):
            return AuditNode("credential", text, "met", prefix + "earned by its requirements",
                             id=j, label=node.label, source="earned", children=(inner,))
        return AuditNode("credential", text, inner.status if inner.status != "met" else "not met",
                         prefix + f"requirements {inner.detail}", id=j, label=node.label,
                         children=(inner,))

    # ----------------------------------------------------------------------- missing etc.
    def missing(self, node: AuditNode, tree: Node) -> list[str]:
        if node.status == "met":
            return []
        if isinstance(tree, Ref):
            if tree.id in self.cat.credentials:
                inner = node.children[0] if node.children else None
                if inner is None:
                    return [tree.id]
                return [f"{tree.id}: {m}" for m in
                        self.missing(inner, self.cat.credentials[tree.id].requires)]
            return [self.course_title(tree.id) if node.detail == "not taken"
                    else f"{tree.id} ({node.detail})"]
        name = f"'{tree.label}'" if getattr(tree, "label", None) else None
        if isinstance(tree, MinHours):
            total = sum(self.cat.courses[c].hours for c in node.counted)
            rest = [c for c in dict.fromkeys(tree.courses) if c not in node.counted]
            where = f" of {name}" if name else ""
            return [f"{tree.hours - total:g} more hours{where} from {', '.join(rest)}"]
        if isinstance(tree, AllOf):
            out: list[str] = []
            for child_node, child in zip(node.children, tree.children):
                out.extend(self.missing(child_node, child))
            return out
        k = tree.k
        n_met = sum(c.status == "met" for c in node.children)
        options = [self._short(child) for child_node, child in zip(node.children, tree.children)
                   if child_node.status != "met"]
        where = f" of {name}" if name else ""
        return [f"{k - n_met} more{where} (choose {k}) from {', '.join(options)}"]

    def _short(self, tree: Node) -> str:
        if isinstance(tree, Ref):
            return tree.id
        if getattr(tree, "label", None):
            return f"'{tree.label}'"
        if isinstance(tree, MinHours):
            return f"{tree.hours:g} h from {', '.join(tree.courses)}"
        inner = ", ".join(self._short(c) for c in tree.children)  # type: ignore[union-attr]
        return f"{'all' if isinstance(tree, AllOf) else 'one'} of ({inner})"

    def uses(self, scope: Iterable[str]) -> list[Use]:
        out = []
        for cid in scope:
            for (c, path) in sorted(p for p in self.filled if p[0] == cid):
                out.append(Use(self._leaf_id(c, path), cid, path, "slot", self.met.get(cid, False)))
            have = self.e.creds[cid].have
            for path, node in _walk(self.cat.credentials[cid].requires):
                if isinstance(node, MinHours):
                    for course in dict.fromkeys(node.courses):
                        if course in have:
                            out.append(Use(course, cid, path, "hours", self.met.get(cid, False)))
        return out


def _walk(node: Node, path: Path = ()) -> Iterable[tuple[Path, Node]]:
    yield path, node
    if isinstance(node, (AllOf, AnyOf, Choose)):
        for i, child in enumerate(node.children):
            yield from _walk(child, path + (i,))


# --------------------------------------------------------------------------- public functions
def _default_as_of(learner: LearnerProfile, planned: Sequence[tuple[str, Term]],
                   today: dt.date | None) -> dt.date:
    if planned:
        return max(t for _, t in planned).end
    return start_term(learner, today).start


def audit_many(catalog: Catalog, learner: LearnerProfile, targets: Sequence[str], *,
               planned: Iterable[tuple[str, Term]] = (), as_of: dt.date | None = None,
               holdings: Sequence[Holding] | None = None,
               check_schedule: bool = True, today: dt.date | None = None,
               time_limit: float | None = None) -> tuple[AuditResult, ...]:
    """Audit several credentials together, with one assignment of courses (exclusive
    credentials see each other), e.g. the targets of a plan. See :func:`audit`.

    Returns
    -------
    tuple of AuditResult
        One per target, in the order given; ``problems`` (the schedule check) is shared.
    """
    deadline = time.perf_counter() + (DEFAULT_TIME_LIMIT if time_limit is None
                                      else max(0.0, time_limit))
    planned = [(c, t if isinstance(t, Term) else Term.parse(str(t))) for c, t in planned]
    for cid, _ in planned:
        if cid not in catalog.courses:
            raise PathwaysError(f"planned course {cid} is not a course of the catalog")
    as_of = as_of or _default_as_of(learner, planned, today)
    scope = credential_scope(catalog, targets)
    validity = Validity(catalog, learner, scope, as_of, holdings=holdings)
    counting = {c for c, t in planned if t.end <= as_of}
    terms = {c: t for c, t in planned}
    engine = _Engine(catalog, validity, targets, scope, counting)
    filled, met = engine.search(deadline)
    builder = _Builder(engine, filled, met, terms)
    problems: tuple[str, ...] = ()
    if check_schedule and planned:
        problems = tuple(schedule_problems(catalog, learner, planned,
                                           completed=validity.completed_courses, today=today))
    results = []
    for target in targets:
        cred = catalog.credentials[target]
        sub = credential_scope(catalog, [target])
        root = builder.node(target, cred.requires, ())
        held = engine.cred_held(target, None)
        is_met = held or met[target]
        not_counting: dict[tuple[str, str, str], NotCounting] = {}
        for cid in sub:
            for item in leaf_ids(catalog.credentials[cid].requires):
                kind = "credential" if item in catalog.credentials else "course"
                reason = validity.reason_not_counting(kind, item, cid)
                if reason and not (kind == "course" and item in counting):
                    not_counting.setdefault((kind, item, cid), NotCounting(kind, item, cid, reason))
        if not held:
            reason = validity.reason_not_counting("credential", target, None)
            if reason:
                not_counting[("credential", target, "")] = NotCounting(
                    "credential", target, target, reason)
        missing = () if is_met else tuple(builder.missing(root, cred.requires))
        results.append(AuditResult(
            credential=target, title=cred.title, as_of=as_of, met=is_met, held=held, root=root,
            missing=missing, not_counting=tuple(not_counting.values()), problems=problems,
            uses=tuple(builder.uses(sub)), exact=engine.exact,
            notes=(engine.message,) if engine.message else ()))
    return tuple(results)


def audit(catalog: Catalog, learner: LearnerProfile, credential_id: str, *,
          planned: Iterable[tuple[str, Term]] = (), as_of: dt.date | None = None,
          graph: Any = None, holdings: Sequence[Holding] | None = None,
          today: dt.date | None = None, time_limit: float | None = None) -> AuditResult:
    """Audit one credential for a learner, optionally with planned courses.

    Parameters
    ----------
    catalog : Catalog
    learner : LearnerProfile
    credential_id : str
        The credential to audit.
    planned : iterable of (course id, Term)
        Courses the learner plans to take, with their terms; they count toward credentials and
        their schedule is checked (``AuditResult.problems``).
    as_of : datetime.date, optional
        The date the counting is for. Default: the end of the last planned term; without
        planned courses, the start of the learner's start term (without one, the first term
        that has not begun on ``today``).
    graph : networkx.DiGraph, optional
        Accepted for symmetry with the planner; the audit reads the catalog only.
    holdings : sequence of Holding, optional
        Replaces the learner's holdings (what-if scenarios).
    today : datetime.date, optional
        The day of the audit (default: the real date), for the default start term.
    time_limit : float, optional
        Seconds for the assignment search (default :data:`DEFAULT_TIME_LIMIT`). The usual
        shapes take a few matchings; when the limit stops the exact search the best assignment
        found is returned with ``exact=False`` and a note.

    Returns
    -------
    AuditResult

    Raises
    ------
    PathwaysError
        If ``credential_id`` or a planned course is not in the catalog.

    Examples
    --------
    >>> from pathways.io import catalog_from_data
    >>> from pathways.domain import LearnerProfile, Holding
    >>> cat = catalog_from_data({"courses": [{"id": "A", "title": "A", "hours": 10},
    ...                                      {"id": "B", "title": "B", "hours": 20}],
    ...     "credentials": [{"id": "C", "title": "C", "level": "certificate",
    ...                      "requires": {"choose": 2, "from": ["A", "B", "A"]}}]}).catalog
    >>> me = LearnerProfile("me", completed=(Holding("course", "A", dt.date(2026, 1, 5)),))
    >>> result = audit(cat, me, "C", as_of=dt.date(2026, 6, 1))
    >>> result.met, result.root.detail
    (False, '1 of 2 chosen')
    """
    if credential_id not in catalog.credentials:
        raise PathwaysError(f"{credential_id} is not a credential of the catalog")
    return audit_many(catalog, learner, [credential_id], planned=planned, as_of=as_of,
                      holdings=holdings, today=today, time_limit=time_limit)[0]


class MetCheck:
    """Whether sets of courses (taken now) plus the valid holdings earn credentials: the
    audit's assignment search without result trees, prepared once for many checks (a plan's
    terms, the greedy fallback).

    Parameters
    ----------
    catalog : Catalog
    validity : Validity
        The counting rules; its scope must contain ``credentials`` and what is nested in them.
    credentials : sequence of str
    """

    def __init__(self, catalog: Catalog, validity: Validity, credentials: Sequence[str]) -> None:
        wanted = set(credential_scope(catalog, credentials))
        self.catalog = catalog
        self.validity = validity
        self.credentials = tuple(credentials)
        self.scope = [k for k in validity.scope if k in wanted]
        self.mentioned: dict[str, frozenset[str]] = {}
        self.counting: dict[str, frozenset[str]] = {}
        for k in self.scope:
            ids = frozenset(i for i in leaf_ids(catalog.credentials[k].requires)
                            if i in catalog.courses)
            self.mentioned[k] = ids
            self.counting[k] = frozenset(c for c in ids if validity.course_counts(c, k))
        self.mentioned_all = frozenset().union(*self.mentioned.values()) if self.mentioned \
            else frozenset()
        self.held: dict[tuple[str, str], bool] = {}
        for k in self.scope:
            for node in iter_nodes(catalog.credentials[k].requires):
                if isinstance(node, Ref) and node.id in catalog.credentials:
                    self.held[(node.id, k)] = validity.credential_counts(node.id, k)
            self.held[(k, "")] = validity.credential_counts(k, None)

    def __call__(self, courses: Iterable[str], *, deadline: float | None = None) -> dict[str, bool]:
        """Credential -> earned, for every credential of the scope."""
        courses = courses if isinstance(courses, (set, frozenset)) else set(courses)
        have = {k: self.counting[k] | (self.mentioned[k] & courses) for k in self.scope}
        solution = solve_scope(self.catalog, self.scope, self.credentials, have, self.held,
                               deadline=deadline if deadline is not None
                               else time.perf_counter() + DEFAULT_TIME_LIMIT)
        return {k: solution.met[k] or self.held[(k, "")] for k in self.scope}


def credentials_met(catalog: Catalog, validity: Validity, credentials: Sequence[str],
                    courses: Iterable[str], *, deadline: float | None = None) -> dict[str, bool]:
    """Which of ``credentials`` (and the credentials nested in them) the courses (taken now)
    plus the valid holdings earn: the assignment search only, no result tree. Credentials
    held and counting are earned. (:class:`MetCheck` for many checks.)
    """
    return MetCheck(catalog, validity, credentials)(courses, deadline=deadline)


def targets_met(catalog: Catalog, validity: Validity, targets: Sequence[str],
                courses: Iterable[str], *, deadline: float | None = None) -> bool:
    """Whether the courses (taken now) plus the valid holdings earn every target
    (the assignment search only; used by the greedy fallback)."""
    met = credentials_met(catalog, validity, targets, courses, deadline=deadline)
    return all(met[t] for t in targets)

