"""pydantic models of the files users write (format ``pathways/1``): the untrusted edge.

Unknown keys are errors (``extra="forbid"``). Requirement trees and prerequisite expressions
are kept as raw data here and parsed by :mod:`pathways.io.trees`, which gives better messages
than a union of models would.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
    "CatalogFileIn",
    "CourseIn",
    "CredentialIn",
    "JobIn",
    "LearnerFileIn",
    "ProviderIn",
    "SkillIn",
]

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Level = Annotated[int, Field(ge=1, le=4)]
Season = Literal["winter", "summer", "fall"]
Delivery = Literal["online", "in-person", "hybrid"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


class ProviderIn(_In):
    id: Id
    name: str = ""
    url: str | None = None


class SkillIn(_In):
    id: Id
    label: str
    alt_labels: list[str] = []
    description: str = ""


class SkillRefIn(_In):
    skill: Id
    level: Level = 1


class CourseIn(_In):
    id: Id
    title: str
    hours: Annotated[float, Field(gt=0)]
    provider: Id | None = None
    cost: Annotated[float, Field(ge=0)] | None = None
    delivery: Delivery | None = None
    terms: list[Season] | None = None
    prerequisites: str | list[Any] | dict[str, Any] | None = None
    skills: list[SkillRefIn] = []
    badge_valid_months: Annotated[int, Field(gt=0)] | None = None
    description: str = ""
    badge_id: str | None = None
    url: str | None = None


class CredentialIn(_In):
    id: Id
    title: str
    level: Literal["microcredential", "certificate", "diploma", "degree", "other"]
    requires: str | list[Any] | dict[str, Any]
    provider: Id | None = None
    recency_months: Annotated[int, Field(gt=0)] | None = None
    exclusive: bool = False
    description: str = ""
    badge_id: str | None = None
    url: str | None = None


class JobSkillIn(_In):
    skill: Id
    importance: Literal["essential", "optional"] | Annotated[float, Field(gt=0, le=1)] = (
        "essential"
    )
    level: Level = 1


class JobIn(_In):
    id: Id
    title: str
    skills: list[JobSkillIn] = []
    description: str = ""
    url: str | None = None


class CatalogFileIn(_In):
    format: Literal["pathways/1"] | None = None
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    providers: list[ProviderIn] = []
    skills: list[SkillIn] = []
    courses: list[CourseIn] = []
    credentials: list[CredentialIn] = []
    jobs: list[JobIn] = []


# --------------------------------------------------------------------------- learner files
class HoldingIn(_In):
    course: Id | None = None
    credential: Id | None = None
    date: dt.date
    expires: dt.date | None = None


class GoalsIn(_In):
    credentials: list[Id] = []
    job: Id | None = None


class ConstraintsIn(_In):
    start: Annotated[
        str, StringConstraints(strip_whitespace=True, pattern=r"^\d{4}-(0?[1-9]|1[0-2]|winter|summer|fall)$")
    ] | dt.date | None = None
    max_courses_per_term: Annotated[int, Field(ge=1)] | None = None
    max_hours_per_term: Annotated[float, Field(gt=0)] | None = None
    budget: Annotated[float, Field(ge=0)] | None = None
    exclude_providers: list[Id] = []
    delivery: list[Delivery] | None = None


class LearnerIn(_In):
    id: Id
    name: str = ""
    completed: list[HoldingIn] = []
    skills: list[SkillRefIn] = []
    badges: list[str] = []
    goals: GoalsIn = GoalsIn()
    constraints: ConstraintsIn = ConstraintsIn()
    cv: str = ""


class LearnerFileIn(_In):
    format: Literal["pathways/1"] | None = None
    learner: LearnerIn
