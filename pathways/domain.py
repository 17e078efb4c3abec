"""The domain model: small frozen data classes that the engines trust.

Nothing here reads files or validates untrusted input; :mod:`pathways.io` does that and builds
these objects. Requirement trees and prerequisite expressions share one node vocabulary
(:class:`Ref`, :class:`AllOf`, :class:`AnyOf`, :class:`Choose`, :class:`MinHours`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property
from types import MappingProxyType
from typing import Any, Literal, Union

__all__ = [
    "CREDENTIAL_LEVELS",
    "DELIVERY_MODES",
    "SEASONS",
    "AllOf",
    "AnyOf",
    "Catalog",
    "Choose",
    "Constraints",
    "Course",
    "Credential",
    "Goals",
    "Holding",
    "Job",
    "JobSkill",
    "LearnerProfile",
    "MinHours",
    "Node",
    "Provider",
    "ReadOnlyMapping",
    "Ref",
    "Skill",
    "SkillLevel",
    "Term",
    "add_months",
    "holding_expiry",
    "iter_nodes",
    "leaf_ids",
    "prerequisite_refs",
]

DELIVERY_MODES = ("online", "in-person", "hybrid")
CREDENTIAL_LEVELS = ("microcredential", "certificate", "diploma", "degree", "other")
SEASONS = ("winter", "summer", "fall")
_SEASON_START_MONTH = {"winter": 1, "summer": 5, "fall": 9}


# --------------------------------------------------------------------------- requirement nodes
@dataclass(frozen=True, slots=True)
class Ref:
    """A leaf: a course completed or a credential earned."""

    id: str
    label: str | None = None


@dataclass(frozen=True, slots=True)
class AllOf:
    """Every child satisfied."""

    children: tuple[Node, ...]
    label: str | None = None

    @property
    def k(self) -> int:
        return len(self.children)


@dataclass(frozen=True, slots=True)
class AnyOf:
    """At least one child satisfied (the same as ``Choose(k=1)``)."""

    children: tuple[Node, ...]
    label: str | None = None

    @property
    def k(self) -> int:
        return 1


@dataclass(frozen=True, slots=True)
class Choose:
    """At least ``k`` children satisfied."""

    k: int
    children: tuple[Node, ...]
    label: str | None = None


@dataclass(frozen=True, slots=True)
class MinHours:
    """Completed courses from ``courses`` total at least ``hours`` (a threshold, not a slot)."""

    hours: float
    courses: tuple[str, ...]
    label: str | None = None


Node = Union[Ref, AllOf, AnyOf, Choose, MinHours]


def iter_nodes(node: Node) -> Iterator[Node]:
    """Yield ``node`` and all its descendants, depth first, parents before children.

    >>> tree = AllOf((Ref("A"), Choose(1, (Ref("B"), Ref("C")))))
    >>> [type(n).__name__ for n in iter_nodes(tree)]
    ['AllOf', 'Ref', 'Choose', 'Ref', 'Ref']
    """
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, (AllOf, AnyOf, Choose)):
            stack.extend(reversed(current.children))


def leaf_ids(node: Node) -> tuple[str, ...]:
    """Every id a tree mentions (leaves and ``min_hours`` lists), in first-seen order.

    >>> leaf_ids(AllOf((Ref("A"), MinHours(10, ("B", "A")))))
    ('A', 'B')
    """
    if isinstance(node, Ref):
        return (node.id,)
    seen: dict[str, None] = {}
    _collect_ids(node, seen)
    return tuple(seen)


def _collect_ids(node: Node, seen: dict[str, None]) -> None:
    """Add the ids below ``node`` to ``seen`` (a dict keeps the position of a first insert)."""
    if isinstance(node, MinHours):
        seen.update(dict.fromkeys(node.courses))
        return
    for child in getattr(node, "children", ()):
        if isinstance(child, Ref):
            seen[child.id] = None
        else:
            _collect_ids(child, seen)


def prerequisite_refs(tree: Node) -> dict[str, bool]:
    """Course id -> is only an alternative, for every course a prerequisite tree names, in
    first-seen order (the keys are :func:`leaf_ids`). A course named both as a must and inside
    an ``or`` is a must (``False``).

    >>> prerequisite_refs(AllOf((Ref("A"), AnyOf((Ref("B"), Ref("A"))))))
    {'A': False, 'B': True}
    """
    if isinstance(tree, Ref):
        return {tree.id: False}
    found: dict[str, bool] = {}
    _collect_refs(tree, False, found)
    return found


def _collect_refs(node: Node, alternative: bool, found: dict[str, bool]) -> None:
    """Add the courses below ``node`` to ``found`` (see :func:`prerequisite_refs`)."""
    if not isinstance(node, (AllOf, AnyOf, Choose)):
        return
    alt = alternative or isinstance(node, AnyOf) or (
        isinstance(node, Choose) and node.k < len(node.children))
    for child in node.children:
        if isinstance(child, Ref):
            if alt:
                found.setdefault(child.id, True)
            else:
                found[child.id] = False  # a must, wherever else it is an option
        else:
            _collect_refs(child, alt, found)


# --------------------------------------------------------------------------- catalog entities
@dataclass(frozen=True, slots=True)
class Provider:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Skill:
    """A skill of the vocabulary; ``id`` is ``esco:<uuid>`` for ESCO concepts."""

    id: str
    label: str
    alt_labels: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class SkillLevel:
    """A skill at a proficiency level, 1 (basic) .. 4 (expert)."""

    skill: str
    level: int = 1


@dataclass(frozen=True, slots=True)
class Course:
    id: str
    title: str
    hours: float
    provider: str | None = None
    cost: float = 0.0
    delivery: str | None = None
    terms: frozenset[str] | None = None  # None = offered every term
    prerequisites: Node | None = None
    skills: tuple[SkillLevel, ...] = ()
    badge_valid_months: int | None = None
    description: str = ""
    badge_id: str | None = None
    #: False when the source did not state learning hours: ``hours`` is then a placeholder
    #: (validation warns; see docs/format.md).
    hours_stated: bool = True
    #: What the source record says that pathways keeps but does not plan with (renewal,
    #: corequisites, costs ...): ``((key, (text, ...)), ...)``.
    details: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def offered_in(self, season: str) -> bool:
        return self.terms is None or season in self.terms


@dataclass(frozen=True, slots=True)
class Credential:
    id: str
    title: str
    level: str
    requires: Node
    provider: str | None = None
    recency_months: int | None = None
    exclusive: bool = False
    description: str = ""
    badge_id: str | None = None
    #: What the source record says that pathways keeps but does not plan with (see
    #: :attr:`Course.details`).
    details: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class JobSkill:
    """One skill a job requires; ``importance`` in (0, 1], essential ones are 1.0."""

    skill: str
    importance: float = 1.0
    essential: bool = True
    level: int = 1


@dataclass(frozen=True, slots=True)
class Job:
    id: str
    title: str
    skills: tuple[JobSkill, ...] = ()
    description: str = ""


class ReadOnlyMapping(Mapping[str, Any]):
    """A read-only mapping a :class:`Catalog` keeps as it is (not copied into a dict), e.g.
    a table whose items are built on first use (:mod:`pathways.io.snapshot`). Subclasses
    must be picklable on their own."""

    __slots__ = ()


@dataclass(frozen=True)
class Catalog:
    """Everything a catalog defines, keyed by id (read-only mappings, in file order)."""

    courses: Mapping[str, Course] = field(default_factory=dict)
    credentials: Mapping[str, Credential] = field(default_factory=dict)
    providers: Mapping[str, Provider] = field(default_factory=dict)
    skills: Mapping[str, Skill] = field(default_factory=dict)
    jobs: Mapping[str, Job] = field(default_factory=dict)
    currency: str = "CAD"
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("courses", "credentials", "providers", "skills", "jobs"):
            value = getattr(self, name)
            if not isinstance(value, (MappingProxyType, ReadOnlyMapping)):
                object.__setattr__(self, name, MappingProxyType(dict(value)))

    def __reduce__(self) -> tuple[type[Catalog], tuple[object, ...]]:
        """Pickle and deep-copy as plain dicts (read-only mapping views cannot be pickled),
        or as the read-only mappings themselves; cached derived data is left out and
        recomputed when asked for."""
        values = (getattr(self, f.name) for f in fields(self))
        return (Catalog, tuple(dict(v) if isinstance(v, MappingProxyType) else v for v in values))

    @cached_property
    def prerequisite_refs(self) -> Mapping[str, Mapping[str, bool]]:
        """Course id -> :func:`prerequisite_refs` of its prerequisites, for each course that has
        any; computed once per catalog (the loader's checks and the graph both need it)."""
        return MappingProxyType({c.id: prerequisite_refs(c.prerequisites)
                                 for c in self.courses.values() if c.prerequisites is not None})

    def skill_label(self, skill_id: str) -> str:
        """The skill's label, or its id when the catalog does not list it."""
        skill = self.skills.get(skill_id)
        return skill.label if skill else skill_id

    def title(self, item_id: str) -> str:
        """Title of a course, credential or job; the id itself when unknown."""
        for table in (self.courses, self.credentials, self.jobs):
            item = table.get(item_id)
            if item is not None:
                return item.title
        return item_id


# --------------------------------------------------------------------------- terms and learners
@dataclass(frozen=True, slots=True, order=True)
class Term:
    """An academic term: ``YYYY-winter`` (Jan-Apr), ``YYYY-summer`` (May-Aug), ``YYYY-fall``.

    >>> Term.parse("2027-01"), Term.parse("2027-06").next(), str(Term(2026, 2).next())
    (Term(year=2027, index=0), Term(year=2027, index=2), '2027-winter')
    """

    year: int
    index: int  # 0 winter, 1 summer, 2 fall

    @classmethod
    def parse(cls, text: str) -> Term:
        """From ``YYYY-MM`` (the term containing that month) or ``YYYY-season``."""
        year_text, _, rest = text.strip().partition("-")
        year = int(year_text)
        if rest in SEASONS:
            return cls(year, SEASONS.index(rest))
        month = int(rest)
        if not 1 <= month <= 12:
            raise ValueError(f"month {month} is not 1..12")
        return cls(year, (month - 1) // 4)

    @classmethod
    def of_date(cls, date: dt.date) -> Term:
        """The term that contains ``date``."""
        return cls(date.year, (date.month - 1) // 4)

    @classmethod
    def first_not_begun(cls, today: dt.date) -> Term:
        """The first term that has not begun on ``today`` (a term begins on its first day):
        the default first term of a plan made that day.

        >>> str(Term.first_not_begun(dt.date(2026, 12, 6))), str(Term.first_not_begun(dt.date(2027, 1, 1)))
        ('2027-winter', '2027-summer')
        """
        return cls.of_date(today).next()

    @property
    def season(self) -> str:
        return SEASONS[self.index]

    def next(self, steps: int = 1) -> Term:
        n = self.year * 3 + self.index + steps
        return Term(n // 3, n % 3)

    def minus(self, other: Term) -> int:
        """How many terms ``self`` is after ``other``."""
        return (self.year * 3 + self.index) - (other.year * 3 + other.index)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, _SEASON_START_MONTH[self.season], 1)

    @property
    def end(self) -> dt.date:
        """Last day of the term."""
        return self.next().start - dt.timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.year}-{self.season}"


def add_months(date: dt.date, months: int) -> dt.date:
    """``date`` plus ``months`` calendar months, clamped to the month's last day.

    >>> add_months(dt.date(2024, 1, 31), 1)
    datetime.date(2024, 2, 29)
    """
    n = date.year * 12 + date.month - 1 + months
    year, month = divmod(n, 12)
    month += 1
    next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(date.day, last_day))


@dataclass(frozen=True, slots=True)
class Holding:
    """A completed course or earned credential, with its date.

    ``expires`` overrides the course's ``badge_valid_months`` (an Open Badge's own expiry).
    """

    kind: Literal["course", "credential"]
    id: str
    date: dt.date
    expires: dt.date | None = None
    source: str = "profile"


@dataclass(frozen=True, slots=True)
class Goals:
    credentials: tuple[str, ...] = ()
    job: str | None = None


@dataclass(frozen=True, slots=True)
class Constraints:
    start: Term | None = None
    max_courses_per_term: int | None = None
    max_hours_per_term: float | None = None
    budget: float | None = None
    exclude_providers: frozenset[str] = frozenset()
    delivery: frozenset[str] | None = None  # None = any mode


@dataclass(frozen=True, slots=True)
class LearnerProfile:
    id: str
    name: str = ""
    completed: tuple[Holding, ...] = ()
    skills: tuple[SkillLevel, ...] = ()
    goals: Goals = Goals()
    constraints: Constraints = Constraints()
    badges: tuple[str, ...] = ()  # badge file paths as written in the profile
    cv_text: str = ""
    source: str = ""
    notes: tuple[str, ...] = ()  # what reading the profile found worth telling (e.g. unmapped badges)


def holding_expiry(catalog: Catalog, holding: Holding) -> dt.date | None:
    """When a holding's badge expires: its own ``expires``, else the course's
    ``date + badge_valid_months`` (credentials expire only through ``expires``); None = never.

    >>> cat = Catalog(courses={"A": Course("A", "A", 10, badge_valid_months=36)})
    >>> holding_expiry(cat, Holding("course", "A", dt.date(2022, 3, 1)))
    datetime.date(2025, 3, 1)
    """
    if holding.expires is not None:
        return holding.expires
    if holding.kind == "course":
        course = catalog.courses.get(holding.id)
        if course is not None and course.badge_valid_months is not None:
            return add_months(holding.date, course.badge_valid_months)
    return None
