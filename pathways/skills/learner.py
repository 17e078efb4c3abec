"""What a learner can do: skills from the profile, from valid holdings and from a CV text.

A learner's skill levels come from four kinds of source, and the held level of a skill is the
**maximum over its sources**:

``declared``
    The profile's ``skills:`` list (self-declared or assessed), at the level given.
``course``
    A completed course teaches each of its skills at the course's level.
``credential``
    An earned credential teaches what *every* way of earning it teaches (see
    :func:`guaranteed_skills`): a course leaf under ``all`` always counts, a ``choose k`` node
    guarantees the k-th smallest level among its children (the learner may have taken the k
    weakest options), ``min_hours`` lists guarantee nothing, and nested credentials recurse.
``cv``
    Skills that a fitted text-to-skills extractor reads from the profile's ``cv_text``, each at
    **level 1** (a CV says that someone has used a skill, not how well).

**Expiry** (a documented choice): a completed course whose badge has expired at the as-of date
(``date + badge_valid_months``, or the holding's own ``expires``) still teaches its skills, but
**one level lower**; a skill that falls to level 0 is dropped. The same holds for an earned
credential whose holding expired. Expired courses are not *valid holdings*: the recommender may
suggest retaking them. They still satisfy prerequisites (the learner has done the material).

The as-of date defaults to the start of the learner's planning term (``constraints.start``),
else today: the skills the learner brings to the plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, Literal

from pathways.domain import (
    AllOf,
    AnyOf,
    Catalog,
    Choose,
    Holding,  # noqa: F401  (used by the doctests)
    LearnerProfile,
    MinHours,
    Node,
    Ref,
    holding_expiry,
)

__all__ = [
    "LearnerSkills",
    "SkillSource",
    "as_of_date",
    "guaranteed_skills",
    "holding_expiry",
    "learner_skills",
    "valid_courses",
]

SourceKind = Literal["declared", "course", "credential", "cv"]


@dataclass(frozen=True, slots=True)
class SkillSource:
    """One reason the learner holds a skill.

    ``level`` is the level this source gives (after expiry), ``taught`` the level before expiry;
    ``via`` names the course or credential (empty for declared and CV skills).
    """

    skill: str
    level: int
    kind: SourceKind
    via: str = ""
    taught: int = 0
    expired: dt.date | None = None
    score: float | None = None

    def describe(self, catalog: Catalog | None = None) -> str:
        """The source in words, e.g. ``"level 2 from course UT-STAT-1 Applied Statistics I"``.

        >>> SkillSource("x", 1, "course", "C-1", taught=2, expired=dt.date(2025, 3, 1)).describe()
        'level 1 from course C-1 (badge expired 2025-03-01, level 2 lowered by one)'
        """
        if self.kind == "declared":
            text = f"level {self.level} declared in the profile"
        elif self.kind == "cv":
            text = f"level {self.level} read from the CV" + (
                f" (score {self.score:.2f})" if self.score is not None else "")
        else:
            title = catalog.title(self.via) if catalog is not None else self.via
            name = self.via if title == self.via else f"{self.via} {title}"
            text = f"level {self.level} from {self.kind} {name}"
        if self.expired is not None:
            text += (f" (badge expired {self.expired.isoformat()}, level {self.taught} "
                     "lowered by one)")
        return text


@dataclass(frozen=True)
class LearnerSkills:
    """Held skill levels (``levels``: skill id -> level >= 1) and where each came from.

    ``sources`` keeps every source of a skill, strongest first, including expired ones that
    fell to level 0 (so an explanation can say why a skill is missing).
    """

    learner: str
    as_of: dt.date
    levels: Mapping[str, int] = field(default_factory=dict)
    sources: Mapping[str, tuple[SkillSource, ...]] = field(default_factory=dict)
    valid_courses: frozenset[str] = frozenset()
    completed_courses: frozenset[str] = frozenset()
    earned_credentials: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for name in ("levels", "sources"):
            value = getattr(self, name)
            if not isinstance(value, MappingProxyType):
                object.__setattr__(self, name, MappingProxyType(dict(value)))

    def __reduce__(self) -> tuple[type[LearnerSkills], tuple[object, ...]]:
        """Pickle (and deep-copy) the read-only mappings as plain dicts: the app caches gap
        reports and recommendations, which hold these."""
        values = (getattr(self, f.name) for f in fields(self))
        return (LearnerSkills, tuple(dict(v) if isinstance(v, MappingProxyType) else v
                                     for v in values))

    def level(self, skill: str) -> int:
        """The held level of ``skill`` (0 when not held)."""
        return self.levels.get(skill, 0)

    def explain(self, skill: str, catalog: Catalog | None = None) -> str:
        """Why the learner holds ``skill`` at its level, in words."""
        found = self.sources.get(skill, ())
        if not found:
            return "not held"
        return "; ".join(s.describe(catalog) for s in found)

    @classmethod
    def from_levels(cls, levels: Mapping[str, int], *, learner: str = "",
                    as_of: dt.date | None = None) -> LearnerSkills:
        """Skills given directly (all ``declared``), e.g. for tests and batch inputs.

        >>> LearnerSkills.from_levels({"sql": 2, "python": 0}).levels
        mappingproxy({'sql': 2})
        """
        kept = {s: int(v) for s, v in levels.items() if v > 0}
        return cls(learner, as_of or dt.date.today(), kept,
                   {s: (SkillSource(s, v, "declared", taught=v),) for s, v in kept.items()})


def as_of_date(learner: LearnerProfile, as_of: dt.date | None = None) -> dt.date:
    """``as_of``, else the start of the learner's planning term, else today."""
    if as_of is not None:
        return as_of
    if learner.constraints.start is not None:
        return learner.constraints.start.start
    return dt.date.today()


def valid_courses(catalog: Catalog, learner: LearnerProfile, as_of: dt.date | None = None) -> set[str]:
    """Courses the learner completed whose badge has not expired at ``as_of``."""
    when = as_of_date(learner, as_of)
    return {h.id for h in learner.completed if h.kind == "course" and h.date <= when
            and ((exp := holding_expiry(catalog, h)) is None or exp >= when)}


def _merge_max(into: dict[str, int], other: Mapping[str, int]) -> None:
    for skill, level in other.items():
        if level > into.get(skill, 0):
            into[skill] = level


def guaranteed_skills(catalog: Catalog, node: Node, _seen: frozenset[str] = frozenset()) -> dict[str, int]:
    """Skill levels that every way of satisfying requirement ``node`` teaches.

    ``all`` takes the maximum over its children; ``choose k`` (and ``any``, k = 1) the k-th
    smallest level among its children, since the learner may have picked the k weakest
    options; ``min_hours`` guarantees nothing; a credential leaf recurses into its tree.

    >>> from pathways.domain import Course, SkillLevel
    >>> cat = Catalog(courses={c: Course(c, c, 10, skills=(SkillLevel("s", lv),))
    ...                        for c, lv in (("A", 1), ("B", 2), ("C", 3))})
    >>> guaranteed_skills(cat, AllOf((Ref("A"), Choose(2, (Ref("B"), Ref("C"))))))
    {'s': 3}
    >>> guaranteed_skills(cat, AnyOf((Ref("A"), Ref("C"))))
    {'s': 1}
    """
    if isinstance(node, Ref):
        course = catalog.courses.get(node.id)
        if course is not None:
            out: dict[str, int] = {}
            _merge_max(out, {s.skill: s.level for s in course.skills})
            return out
        cred = catalog.credentials.get(node.id)
        if cred is not None and node.id not in _seen:
            return guaranteed_skills(catalog, cred.requires, _seen | {node.id})
        return {}
    if isinstance(node, MinHours):
        return {}
    children = [guaranteed_skills(catalog, c, _seen) for c in node.children]
    if isinstance(node, AllOf):
        out = {}
        for child in children:
            _merge_max(out, child)
        return out
    k = node.k if isinstance(node, (AnyOf, Choose)) else len(children)
    out = {}
    for skill in {s for child in children for s in child}:
        levels = sorted(child.get(skill, 0) for child in children)
        level = levels[k - 1] if 0 < k <= len(levels) else 0
        if level > 0:
            out[skill] = level
    return out


def _cv_skills(extractor: Any, text: str, threshold: float | None) -> list[tuple[str, float]]:
    predicted = extractor.predict([text])[0]
    out = []
    for item in predicted:
        skill, score = item[0], float(item[-1])
        if threshold is None or score >= threshold:
            out.append((skill, score))
    return out


def learner_skills(catalog: Catalog, learner: LearnerProfile, *, as_of: dt.date | None = None,
                   extractor: Any = None, cv_threshold: float | None = None) -> LearnerSkills:
    """The learner's skill levels with their sources (see the module docstring for the rules).

    Parameters
    ----------
    catalog : Catalog
        Defines what the learner's courses and credentials teach.
    learner : LearnerProfile
    as_of : datetime.date, optional
        Date at which badges are checked for expiry; default :func:`as_of_date`.
    extractor : fitted text-to-skills estimator, optional
        Anything with ``predict(texts) -> [[(skill_id, label, score), ...]]`` (e.g.
        ``pathways.skills.text.SkillExtractor``). When given and the profile has ``cv_text``,
        the extracted skills count at level 1.
    cv_threshold : float, optional
        Keep only extracted skills scoring at least this (the extractor's own threshold
        applies first).

    Returns
    -------
    LearnerSkills

    Examples
    --------
    >>> from pathways.domain import Course, SkillLevel
    >>> cat = Catalog(courses={"A": Course("A", "A", 10, skills=(SkillLevel("sql", 2),),
    ...                                    badge_valid_months=12)})
    >>> me = LearnerProfile("me", completed=(Holding("course", "A", dt.date(2020, 1, 1)),))
    >>> learner_skills(cat, me, as_of=dt.date(2020, 6, 1)).levels
    mappingproxy({'sql': 2})
    >>> learner_skills(cat, me, as_of=dt.date(2024, 1, 1)).levels  # expired: one level lower
    mappingproxy({'sql': 1})
    """
    when = as_of_date(learner, as_of)
    found: dict[str, list[SkillSource]] = {}

    def add(src: SkillSource) -> None:
        found.setdefault(src.skill, []).append(src)

    for s in learner.skills:
        add(SkillSource(s.skill, s.level, "declared", taught=s.level))
    completed: set[str] = set()
    earned: set[str] = set()
    valid: set[str] = set()
    for h in learner.completed:
        if h.date > when:
            continue
        expiry = holding_expiry(catalog, h)
        expired = expiry if expiry is not None and expiry < when else None
        if h.kind == "course":
            course = catalog.courses.get(h.id)
            if course is None:
                continue
            completed.add(h.id)
            if expired is None:
                valid.add(h.id)
            taught = {s.skill: s.level for s in course.skills}
        else:
            cred = catalog.credentials.get(h.id)
            if cred is None:
                continue
            if expired is None:
                earned.add(h.id)
            taught = guaranteed_skills(catalog, cred.requires, frozenset({h.id}))
        for skill, level in taught.items():
            held = level - 1 if expired is not None else level
            add(SkillSource(skill, max(held, 0), h.kind, h.id, taught=level, expired=expired))
    if extractor is not None and learner.cv_text.strip():
        for skill, score in _cv_skills(extractor, learner.cv_text, cv_threshold):
            add(SkillSource(skill, 1, "cv", taught=1, score=score))

    order = {"declared": 0, "course": 1, "credential": 2, "cv": 3}
    sources = {skill: tuple(sorted(srcs, key=lambda s: (-s.level, order[s.kind], s.via)))
               for skill, srcs in found.items()}
    levels = {skill: srcs[0].level for skill, srcs in sources.items() if srcs[0].level > 0}
    return LearnerSkills(learner.id, when, levels, sources, frozenset(valid), frozenset(completed),
                         frozenset(earned))

