"""pydantic models of the files users write (format ``pathways/1``): the untrusted edge.

Unknown keys are errors (``extra="forbid"``). Requirement trees and prerequisite expressions
are kept as raw data here (typed ``Any``: no copy of 100k lists) and parsed by
:mod:`pathways.io.trees`, which checks their shape with better messages than a union of models
would.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter
from typing_extensions import NotRequired, TypedDict

__all__ = [
    "CATALOG_FILE",
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


_TD_CONFIG = ConfigDict(extra="forbid", coerce_numbers_to_str=True)

# Catalog entities are TypedDicts: validating 100k courses into dicts is about twice as fast
# as building model instances, and the loader turns them into domain objects right away.


class ProviderIn(TypedDict):
    __pydantic_config__ = _TD_CONFIG  # type: ignore[misc]
    id: Id
    name: NotRequired[str]
    url: NotRequired[str | None]


class SkillIn(TypedDict):
    __pydantic_config__ = _TD_CONFIG  # type: ignore[misc]
    id: Id
    label: str
    alt_labels: NotRequired[list[str]]
    description: NotRequired[str]


class SkillRefIn(TypedDict):
    __pydantic_config__ = _TD_CONFIG  # type: ignore[misc]
    skill: Id
    level: NotRequired[Level]


class CourseIn(TypedDict):
    __pydantic_config__ = _TD_CONFIG  # type: ignore[misc]
    id: Id
    title: str
    hours: Annotated[float, Field(gt=0)]
    provider: NotRequired[Id | None]
    cost: NotRequired[Annotated[float, Field(ge=0)] | None]
    delivery: NotRequired[Delivery | None]
    terms: NotRequired[list[Season] | None]
    prerequisites: NotRequired[Any]  # str, list or mapping: checked by io.trees
    skills: NotRequired[list[SkillRefIn]]
    badge_valid_months: NotRequired[Annotated[int, Field(gt=0)] | None]
    description: NotRequired[str]
    badge_id: NotRequired[str | None]
    url: NotRequired[str | None]


class CredentialIn(TypedDict):
    __pydantic_config__ = _TD_CONFIG  # type: ignore[misc]
    id: Id
    title: str
    level: Literal["microcredential", "certificate", "diploma", "degree", "other"]
    requires: Any  # an id, list or mapping: checked by io.trees
    provider: NotRequired[Id | None]
    recency_months: NotRequired[Annotated[int, Field(gt=0)] | None]
    exclusive: NotRequired[bool]
    description: NotRequired[str]
    badge_id: NotRequired[str | None]
    url: NotRequired[str | None]


class JobSkillIn(TypedDict):
    __pydantic_config__ = _TD_CONFIG  # type: ignore[misc]
    skill: Id
    importance: NotRequired[Literal["essential", "optional"] | Annotated[float, Field(gt=0, le=1)]]
    level: NotRequired[Level]


class JobIn(TypedDict):
    __pydantic_config__ = _TD_CONFIG  # type: ignore[misc]
    id: Id
    title: str
    skills: NotRequired[list[JobSkillIn]]
    description: NotRequired[str]
    url: NotRequired[str | None]


class CatalogFileIn(TypedDict):
    __pydantic_config__ = _TD_CONFIG  # type: ignore[misc]
    format: NotRequired[Literal["pathways/1"] | None]
    currency: NotRequired[Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None]
    providers: NotRequired[list[ProviderIn]]
    skills: NotRequired[list[SkillIn]]
    courses: NotRequired[list[CourseIn]]
    credentials: NotRequired[list[CredentialIn]]
    jobs: NotRequired[list[JobIn]]


CATALOG_FILE = TypeAdapter(CatalogFileIn)


# --------------------------------------------------------------------------- learner files
class LearnerSkillIn(_In):
    skill: Id
    level: Level = 1


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
    skills: list[LearnerSkillIn] = []
    badges: list[str] = []
    goals: GoalsIn = GoalsIn()
    constraints: ConstraintsIn = ConstraintsIn()
    cv: str = ""


class LearnerFileIn(_In):
    format: Literal["pathways/1"] | None = None
    learner: LearnerIn
