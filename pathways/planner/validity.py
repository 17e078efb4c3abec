"""Which holdings count, toward which credential, at a date.

The counting rules of the format (``docs/format.md``), made precise:

- A course holding **expires** on its own ``expires`` date when it has one (an Open Badge's
  expiry), else ``badge_valid_months`` after its completion date; a course without
  ``badge_valid_months`` never expires. A credential holding expires only on its own ``expires``.
  A holding counts at a date ``as_of`` when it has not expired before it
  (``expires >= as_of``).
- A credential's ``recency_months`` applies to every component counted toward it, including the
  components of the credentials nested in it that are earned in the same plan: a nested
  credential earned now from courses taken years ago must not smuggle those old courses past
  the recency rule of the credential above it. The **effective recency** of a credential is the
  strictest ``recency_months`` of itself and of every credential above it within the credentials
  being audited or planned (the *scope*: the targets and everything nested in them). A
  component counts for a credential when it was completed no longer than that many months
  before ``as_of`` (``add_months(date, months) >= as_of``). This is conservative for a
  credential nested under two parents of which only the one without a window is used.
- **Prerequisites** are satisfied by any completed course, even one whose badge has expired or
  that is too old for a recency window: the learner did learn it.
- A course taken **within the plan** counts at the plan's completion (the plan is the unit of
  completion; badges valid for less than the plan's length are not modelled).
- Several holdings of one course or credential: it counts when any of them does.

Everything here is plain bookkeeping shared by the audit, the optimiser and the recommender's
credential checks (:mod:`pathways.skills.recommend`): the one definition of what counts. None
of them decides anything about assignments here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from pathways.domain import (
    AllOf,
    AnyOf,
    Catalog,
    Choose,
    Holding,
    LearnerProfile,
    Node,
    Ref,
    Term,
    add_months,
    holding_expiry,
    iter_nodes,
)
from pathways.errors import PathwaysError

__all__ = [
    "Validity",
    "course_leaves",
    "credential_scope",
    "effective_recency",
    "holding_expiry",
    "StartInfo",
    "start_term",
    "with_start",
]


def start_term(learner: LearnerProfile, today: dt.date | None = None) -> Term:
    """The learner's first plan term: ``constraints.start``, else the first term that has not
    begun on ``today`` (default: the real date).

    >>> from pathways.domain import LearnerProfile, Constraints
    >>> str(start_term(LearnerProfile("x", constraints=Constraints(start=Term(2027, 0)))))
    '2027-winter'
    >>> str(start_term(LearnerProfile("x"), today=dt.date(2026, 6, 2)))
    '2026-fall'
    """
    if learner.constraints.start is not None:
        return learner.constraints.start
    return Term.first_not_begun(today or dt.date.today())


def with_start(learner: LearnerProfile, today: dt.date | None = None) -> LearnerProfile:
    """``learner`` with its start term made explicit (:func:`start_term`), so that everything
    downstream (schedule checks, audits) works from the same term whatever the date."""
    if learner.constraints.start is not None:
        return learner
    start = start_term(learner, today)
    return replace(learner, constraints=replace(learner.constraints, start=start))


@dataclass(frozen=True, slots=True)
class StartInfo:
    """Where a plan's first term came from, for the sentence that says so.

    >>> print(StartInfo(Term(2027, 0), "next", dt.date(2026, 12, 6)))
    starting 2027-winter, the next term
    >>> print(StartInfo(Term(2025, 2), "profile", dt.date(2026, 12, 6)))
    starting 2025-fall (the profile's start), which is in the past on 2026-12-06: a what-if plan
    """

    term: Term
    basis: str  # "next": the first term not yet begun; "profile": the learner's constraints
    today: dt.date

    @classmethod
    def of(cls, learner: LearnerProfile, today: dt.date | None = None) -> StartInfo:
        day = today or dt.date.today()
        basis = "profile" if learner.constraints.start is not None else "next"
        return cls(start_term(learner, day), basis, day)

    @property
    def in_past(self) -> bool:
        """True when the term has already begun on ``today`` (allowed, for what-if plans)."""
        return self.term.start <= self.today

    def __str__(self) -> str:
        if self.basis == "next":
            return f"starting {self.term}, the next term"
        if not self.in_past:
            return f"starting {self.term}, as the profile asks"
        when = "is in the past" if self.term.end < self.today else "has already begun"
        return (f"starting {self.term} (the profile's start), which {when} on "
                f"{self.today.isoformat()}: a what-if plan")


def credential_scope(catalog: Catalog, targets: Iterable[str]) -> list[str]:
    """The targets and every credential nested in them (at any depth), children first.

    The order is deterministic: a credential comes after every credential nested in it, ties
    in first-seen order of a depth-first walk from the targets.

    Raises
    ------
    PathwaysError
        If a target is not a credential of the catalog, or credentials nest in a cycle.
    """
    order: list[str] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(cred_id: str, path: tuple[str, ...]) -> None:
        if state.get(cred_id) == 2:
            return
        if state.get(cred_id) == 1:
            raise PathwaysError("credentials nest in a cycle: " + " -> ".join(path + (cred_id,)))
        state[cred_id] = 1
        for node in iter_nodes(catalog.credentials[cred_id].requires):
            if isinstance(node, Ref) and node.id in catalog.credentials:
                visit(node.id, path + (cred_id,))
        state[cred_id] = 2
        order.append(cred_id)

    for t in targets:
        if t not in catalog.credentials:
            raise PathwaysError(f"{t} is not a credential of the catalog")
        visit(t, ())
    return order


def effective_recency(catalog: Catalog, scope: Sequence[str]) -> dict[str, tuple[int, str] | None]:
    """For each credential of ``scope`` (children first, as from :func:`credential_scope`):
    the strictest ``recency_months`` of itself and the credentials above it in the scope, with
    the id of the credential that sets it; None when no window applies."""
    members = set(scope)
    parents: dict[str, set[str]] = {c: set() for c in scope}
    for cred_id in scope:
        for node in iter_nodes(catalog.credentials[cred_id].requires):
            if isinstance(node, Ref) and node.id in members and node.id != cred_id:
                parents[node.id].add(cred_id)
    out: dict[str, tuple[int, str] | None] = {}
    for cred_id in reversed(scope):  # parents before children
        own = catalog.credentials[cred_id].recency_months
        best = (own, cred_id) if own is not None else None
        for p in sorted(parents[cred_id]):
            inherited = out[p]
            if inherited is not None and (best is None or inherited[0] < best[0]):
                best = inherited
        out[cred_id] = best
    return out


def course_leaves(node: Node, catalog: Catalog, path: tuple[int, ...] = ()) -> list[tuple[tuple[int, ...], str]]:
    """``(path, course id)`` of every course leaf (``Ref`` to a course) of a requirement tree.

    ``path`` is the tuple of child indices from the root; leaves inside ``min_hours`` lists are
    not leaves (they are a threshold, not slots).
    """
    out: list[tuple[tuple[int, ...], str]] = []
    if isinstance(node, Ref):
        if node.id in catalog.courses:
            out.append((path, node.id))
    elif isinstance(node, (AllOf, AnyOf, Choose)):
        for i, child in enumerate(node.children):
            out.extend(course_leaves(child, catalog, path + (i,)))
    return out


@dataclass(frozen=True)
class _Why:
    counts: bool
    reason: str | None = None


class Validity:
    """Which of a learner's holdings count toward which credential of a scope at ``as_of``.

    Parameters
    ----------
    catalog : Catalog
    learner : LearnerProfile
    scope : sequence of str
        Credential ids, children first (see :func:`credential_scope`).
    as_of : datetime.date
        The date the counting is for (a plan's completion date).
    holdings : sequence of Holding, optional
        Replaces ``learner.completed`` (what-if scenarios).
    """

    def __init__(self, catalog: Catalog, learner: LearnerProfile, scope: Sequence[str],
                 as_of: dt.date, *, holdings: Sequence[Holding] | None = None) -> None:
        self.catalog = catalog
        self.as_of = as_of
        self.scope = tuple(scope)
        self.recency = effective_recency(catalog, self.scope)
        self.holdings: dict[tuple[str, str], list[Holding]] = {}
        for h in (learner.completed if holdings is None else holdings):
            self.holdings.setdefault((h.kind, h.id), []).append(h)
        #: courses the learner has completed at all (prerequisites are satisfied by these)
        self.completed_courses: frozenset[str] = frozenset(
            i for (k, i) in self.holdings if k == "course")
        self._cache: dict[tuple[str, str, str | None], _Why] = {}

    # ----------------------------------------------------------------------- queries
    def _why(self, kind: str, item: str, credential: str | None) -> _Why:
        key = (kind, item, credential)
        found = self._cache.get(key)
        if found is not None:
            return found
        found = self._compute(kind, item, credential)
        self._cache[key] = found
        return found

    def _compute(self, kind: str, item: str, credential: str | None) -> _Why:
        held = self.holdings.get((kind, item))
        if not held:
            return _Why(False, None)
        window = self.recency.get(credential) if credential is not None else None
        reasons: list[str] = []
        for h in sorted(held, key=lambda h: h.date, reverse=True):
            expiry = holding_expiry(self.catalog, h)
            if expiry is not None and expiry < self.as_of:
                reasons.append(f"badge expired on {expiry.isoformat()}")
                continue
            if window is not None and add_months(h.date, window[0]) < self.as_of:
                months, setter = window
                reasons.append(f"completed {h.date.isoformat()}, outside the {months}-month "
                               f"recency window of {setter}")
                continue
            return _Why(True, None)
        return _Why(False, reasons[0] if reasons else None)

    def course_counts(self, course_id: str, credential: str) -> bool:
        """Whether a completed course counts toward ``credential`` (False if not held)."""
        return self._why("course", course_id, credential).counts

    def credential_counts(self, cred_id: str, parent: str | None) -> bool:
        """Whether a held credential counts: as a component of ``parent``, or (``parent`` None)
        as earned in its own right."""
        return self._why("credential", cred_id, parent).counts

    def reason_not_counting(self, kind: str, item: str, credential: str | None) -> str | None:
        """Why a held course or credential does not count (None if it counts or is not held)."""
        return self._why(kind, item, credential).reason

    def holding(self, kind: str, item: str) -> Holding | None:
        """The latest holding of an item, or None."""
        held = self.holdings.get((kind, item))
        return max(held, key=lambda h: h.date) if held else None

    def is_held(self, kind: str, item: str) -> bool:
        return (kind, item) in self.holdings

    def signature(self, items: Mapping[str, Iterable[str]]) -> frozenset[tuple[str, str, str]]:
        """The (kind, item, credential) triples that count, for credential -> item ids: two
        dates with equal signatures give the same counting (used to stop re-planning)."""
        out = set()
        for cred, ids in items.items():
            for item in ids:
                kind = "credential" if item in self.catalog.credentials else "course"
                if self._why(kind, item, cred).counts:
                    out.add((kind, item, cred))
        return frozenset(out)

