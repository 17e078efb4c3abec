"""What the recommender returns (:mod:`pathways.skills.recommend`): ranked single courses, the
optimal bundle with the credentials it earns or nearly earns, the gaps no course closes, and
the whole :class:`Recommendation`, each with its JSON form (``to_dict``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pathways.skills.gap import GapReport, SkillGap

__all__ = [
    "Bundle",
    "BundleItem",
    "CredentialProgress",
    "RankedCourse",
    "Recommendation",
    "UnclosableGap",
]


@dataclass(frozen=True, slots=True)
class RankedCourse:
    """One course (with its missing prerequisites) scored by readiness gain per hour."""

    id: str
    title: str
    hours: float
    cost: float
    total_hours: float
    total_cost: float
    prerequisites: tuple[str, ...]
    raises: tuple[tuple[str, int, int], ...]
    gain: float
    reason: str

    @property
    def per_hour(self) -> float:
        """Readiness points per hour of the package."""
        return self.gain / self.total_hours if self.total_hours > 0 else float("inf")

    @property
    def per_dollar(self) -> float | None:
        """Readiness points per currency unit of the package; None when it is free."""
        return self.gain / self.total_cost if self.total_cost > 0 else None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "hours": self.hours, "cost": self.cost,
                "total_hours": self.total_hours, "total_cost": self.total_cost,
                "prerequisites": list(self.prerequisites),
                "raises": [{"skill": s, "from": a, "to": b} for s, a, b in self.raises],
                "gain": round(self.gain, 3), "score": round(self.per_hour, 4),
                "per_hour": round(self.per_hour, 4),
                "per_dollar": None if self.per_dollar is None else round(self.per_dollar, 6),
                "reason": self.reason}


@dataclass(frozen=True, slots=True)
class BundleItem:
    """A course of a bundle: what it closes, what it raises, what it is a prerequisite of."""

    id: str
    title: str
    hours: float
    cost: float
    closes: tuple[str, ...]
    raises: tuple[tuple[str, int, int], ...]
    prerequisite_for: tuple[str, ...]
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "hours": self.hours, "cost": self.cost,
                "closes": list(self.closes),
                "raises": [{"skill": s, "from": a, "to": b} for s, a, b in self.raises],
                "prerequisite_for": list(self.prerequisite_for), "reason": self.reason}


@dataclass(frozen=True, slots=True)
class CredentialProgress:
    """A credential a bundle earns (``remaining_hours == 0``) or nearly earns."""

    id: str
    title: str
    level: str
    earned: bool
    remaining_hours: float
    missing: tuple[str, ...]
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "level": self.level,
                "status": "earned" if self.earned else "nearly",
                "remaining_hours": self.remaining_hours, "missing": list(self.missing),
                "text": self.text}


@dataclass(frozen=True, slots=True)
class UnclosableGap:
    """A gap the recommendation cannot close, and why."""

    skill: str
    label: str
    essential: bool
    required_level: int
    held_level: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"skill": self.skill, "label": self.label, "essential": self.essential,
                "required_level": self.required_level, "held_level": self.held_level,
                "reason": self.reason}


@dataclass(frozen=True)
class Bundle:
    """A set of courses to take, in prerequisite order, with totals and explanations."""

    items: tuple[BundleItem, ...]
    total_hours: float
    total_cost: float
    readiness_after: float
    closes: tuple[str, ...]
    credentials: tuple[CredentialProgress, ...] = ()
    objective: str = "hours"
    credential: str | None = None
    extra_hours: float = 0.0
    notes: tuple[str, ...] = ()

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)

    def to_dict(self) -> dict[str, Any]:
        return {"bundle": [i.to_dict() for i in self.items], "total_hours": self.total_hours,
                "total_cost": self.total_cost, "readiness_after": round(self.readiness_after, 2),
                "closes": list(self.closes), "objective": self.objective,
                "credential": self.credential, "extra_hours": self.extra_hours,
                "credentials": [c.to_dict() for c in self.credentials], "notes": list(self.notes)}


@dataclass(frozen=True)
class Recommendation:
    """The full answer for one learner and job: gap, ranked courses, bundle, unclosable gaps.

    ``plain`` is the default (fewest-hours) bundle when ``bundle`` was chosen differently
    (``prefer_credentials``), so the extra hours can be shown; otherwise it is ``bundle``.
    """

    gap: GapReport
    ranked: tuple[RankedCourse, ...]
    bundle: Bundle
    unclosable: tuple[UnclosableGap, ...]
    currency: str = "CAD"
    plain: Bundle | None = None

    def skills_by_gap(self) -> tuple[SkillGap, ...]:
        """The job's skills by importance and gap, as the gap analysis orders them (essential
        gaps first, largest first, then optional gaps, then the skills met), and among equal
        gaps those the bundle closes first (otherwise in the analysis' order)."""
        closes = set(self.bundle.closes)
        return tuple(sorted(self.gap.skills, key=lambda s: (
            s.met, not s.essential, -s.importance, -s.deficit, s.skill not in closes)))

    def to_dict(self) -> dict[str, Any]:
        out = {"job": self.gap.job, "title": self.gap.title, "learner": self.gap.held.learner,
               "readiness": round(self.gap.readiness, 2), "currency": self.currency}
        out.update(self.bundle.to_dict())
        out["unclosable"] = [u.skill for u in self.unclosable]
        out["unclosable_detail"] = [u.to_dict() for u in self.unclosable]
        out["ranked"] = [r.to_dict() for r in self.ranked]
        if self.plain is not None and self.plain is not self.bundle:
            out["plain_bundle"] = self.plain.to_dict()
        return out
