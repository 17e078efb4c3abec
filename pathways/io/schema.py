"""pydantic models of the files users write (format ``pathways/1``): the untrusted edge.

Unknown keys are errors (``extra="forbid"``). Requirement trees are kept as raw data here
(typed ``Any``: no copy of 100k lists) and parsed by :mod:`pathways.io.trees`, which checks
their shape with better messages than a union of models would; a course's prerequisites are
parsed by the same module as the course is validated (:func:`prerequisites_node`).

Courses, the bulk of a large catalog, are validated straight into frozen domain objects
(:class:`Into`): pydantic-core builds each :class:`~pathways.domain.Course` and its
:class:`~pathways.domain.SkillLevel` items itself, with no Python call per course.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    StringConstraints,
    TypeAdapter,
)
from pydantic_core import CoreSchema, PydanticCustomError, core_schema
from typing_extensions import NotRequired, TypedDict

from pathways.domain import Course, Node, SkillLevel
from pathways.io.trees import TreeProblem, parse_prerequisites

__all__ = [
    "CATALOG_FILE",
    "TREE_ERROR",
    "CatalogFileIn",
    "CourseIn",
    "CredentialIn",
    "Into",
    "JobIn",
    "LearnerFileIn",
    "ID_PATTERN",
    "MAX_BUDGET",
    "MAX_COST",
    "MAX_COUNT",
    "MAX_DETAILS",
    "MAX_DETAIL_TEXT",
    "MAX_HOURS",
    "MAX_MONTHS",
    "MAX_TOTAL_HOURS",
    "ProviderIn",
    "SkillIn",
    "bad_id_character",
    "frozen_details",
    "prerequisites_node",
]

#: Characters no id may hold (checked by pydantic-core's regex engine, no Python call per id):
#: control and format characters (NUL, newline, ESC, zero-width and bidirectional controls),
#: line and paragraph separators, private-use and surrogate code points, characters that are
#: ignored when shown (soft hyphen, Hangul fillers, variation selectors) and spaces other than
#: the plain one. Such ids look like another id, or hide something, when printed.
ID_PATTERN = (r"^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Default_Ignorable_Code_Point}"
              r"\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]*$")
Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=ID_PATTERN)]
Level = Annotated[int, Field(ge=1, le=4)]

#: The largest numbers the files may hold: beyond them a value is a typo (or an attack), and
#: the planner's arithmetic stays exact well within them. Infinity and NaN are never numbers.
MAX_HOURS = 1_000_000.0  # learning hours of one course
MAX_TOTAL_HOURS = 10_000_000.0  # min_hours, max_hours_per_term
MAX_COST = 1_000_000_000.0  # cost of one course
MAX_BUDGET = 1_000_000_000_000.0
MAX_MONTHS = 1_200  # recency and badge validity (100 years)
MAX_COUNT = 100_000  # courses per term

_FINITE = {"allow_inf_nan": False}


def bad_id_character(text: str) -> str | None:
    """What is wrong with an id that :data:`ID_PATTERN` refuses: the first offending
    character, named, or None when there is none.

    >>> bad_id_character("A\u200bB")
    'U+200B ZERO WIDTH SPACE at character 2'
    >>> bad_id_character("Ü-101") is None
    True
    """
    import unicodedata

    for i, ch in enumerate(text, 1):
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Zl", "Zp", "Co", "Cs") or (cat == "Zs" and ch != " ") \
                or ch in _IGNORABLE or "\ufe00" <= ch <= "\ufe0f" \
                or "\U000e0100" <= ch <= "\U000e01ef" or "\u180b" <= ch <= "\u180f":
            name = unicodedata.name(ch, "a control character" if cat == "Cc" else "unnamed")
            return f"U+{ord(ch):04X} {name} at character {i}"
    return None


_IGNORABLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0")
Season = Literal["winter", "summer", "fall"]
Delivery = Literal["online", "in-person", "hybrid"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


_TD_CONFIG = ConfigDict(extra="forbid", coerce_numbers_to_str=True)

# Catalog entities are TypedDicts: validating 100k courses into dicts is about twice as fast
# as building model instances; the loader turns them into domain objects right away, and
# courses are built by pydantic-core itself (see Into).

#: The pydantic error type of a malformed prerequisite expression; its context holds the
#: problem's ``keypath`` (below ``prerequisites``), ``message`` and ``hint``.
TREE_ERROR = "malformed_prerequisites"


@dataclasses.dataclass(frozen=True)
class Into:
    """Annotation: validate a TypedDict's keys straight into the dataclass ``cls``.

    The TypedDict stays the declaration of the input (keys, types, bounds, unknown keys
    forbidden); pydantic-core validates each key as declared and builds ``cls`` from the result
    itself, setting its fields without calling ``__init__`` (so ``cls`` must not need a
    ``__post_init__``). Keys left out take ``cls``'s defaults; keys ``cls`` has no field for
    (``url``) are validated and dropped.

    >>> TypeAdapter(Annotated[SkillRefIn, Into(SkillLevel)]).validate_python({"skill": " sql "})
    SkillLevel(skill='sql', level=1)
    """

    cls: type

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        cls = self.cls
        if hasattr(cls, "__post_init__"):
            raise TypeError(f"Into({cls.__name__}): pydantic-core would skip its __post_init__")
        typed_dict = handler.resolve_ref_schema(handler(source))
        defaults = {f.name: f.default for f in dataclasses.fields(cls)}
        fields = []
        for name, field in typed_dict["fields"].items():
            schema = field["schema"]
            if not field["required"]:
                default = defaults.get(name)
                if default is dataclasses.MISSING:
                    raise TypeError(f"Into({cls.__name__}): optional key {name} needs a default")
                schema = core_schema.with_default_schema(schema, default=default)
            fields.append(core_schema.dataclass_field(name, schema, init_only=name not in defaults))
        arguments = core_schema.dataclass_args_schema(
            cls.__name__, fields, collect_init_only=False,
            extra_behavior=typed_dict.get("extra_behavior"))
        return core_schema.dataclass_schema(
            cls, arguments, list(defaults), slots=hasattr(cls, "__slots__"),
            frozen=cls.__dataclass_params__.frozen,  # type: ignore[attr-defined]
            config=typed_dict.get("config"))


def prerequisites_node(value: Any) -> Node | None:
    """A course's ``prerequisites`` as a node tree (:func:`~pathways.io.trees.parse_prerequisites`);
    a malformed one is a :data:`TREE_ERROR` for the loader to place."""
    if value is None:
        return None
    tree = parse_prerequisites(value)
    if isinstance(tree, TreeProblem):
        raise PydanticCustomError(TREE_ERROR, "{message}", {
            "message": tree.message, "hint": tree.hint, "keypath": tree.keypath})
    return tree


def _zero_if_none(value: float | None) -> float:
    return 0.0 if value is None else value


#: Most keys, and texts per key, in an item's ``details``; longest text.
MAX_DETAILS = 50
MAX_DETAIL_TEXT = 4000


def frozen_details(value: dict[str, list[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """An item's ``details`` mapping as the frozen pairs the domain keeps.

    >>> frozen_details({"renewal": ["every 3 years"], "costs": []})
    (('renewal', ('every 3 years',)),)
    """
    return tuple((k, tuple(v)) for k, v in value.items() if v)


_DetailText = Annotated[str, StringConstraints(max_length=MAX_DETAIL_TEXT)]
Details = Annotated[
    dict[Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=r"^[a-z][a-z0-9_]*$")],
         Annotated[list[_DetailText], Field(max_length=MAX_DETAILS)]],
    Field(max_length=MAX_DETAILS), AfterValidator(frozen_details)]


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
    """A course as written; validated into a :class:`~pathways.domain.Course` (see ``Into``)."""

    __pydantic_config__ = _TD_CONFIG  # type: ignore[misc]
    id: Id
    title: str
    hours: Annotated[float, Field(gt=0, le=MAX_HOURS, **_FINITE)]
    provider: NotRequired[Id | None]
    cost: NotRequired[Annotated[Annotated[float, Field(ge=0, le=MAX_COST, **_FINITE)] | None,
                                AfterValidator(_zero_if_none)]]
    delivery: NotRequired[Delivery | None]
    terms: NotRequired[Annotated[list[Season], AfterValidator(frozenset)] | None]
    # a str, list or mapping, parsed by io.trees
    prerequisites: NotRequired[Annotated[Any, AfterValidator(prerequisites_node)]]
    skills: NotRequired[Annotated[list[Annotated[SkillRefIn, Into(SkillLevel)]], AfterValidator(tuple)]]
    badge_valid_months: NotRequired[Annotated[int, Field(gt=0, le=MAX_MONTHS)] | None]
    description: NotRequired[str]
    badge_id: NotRequired[str | None]
    url: NotRequired[str | None]
    hours_stated: NotRequired[bool]
    details: NotRequired[Details]


class CredentialIn(TypedDict):
    __pydantic_config__ = _TD_CONFIG  # type: ignore[misc]
    id: Id
    title: str
    level: Literal["microcredential", "certificate", "diploma", "degree", "other"]
    requires: Any  # an id, list or mapping: checked by io.trees
    provider: NotRequired[Id | None]
    recency_months: NotRequired[Annotated[int, Field(gt=0, le=MAX_MONTHS)] | None]
    exclusive: NotRequired[bool]
    description: NotRequired[str]
    badge_id: NotRequired[str | None]
    url: NotRequired[str | None]
    details: NotRequired[Details]


class JobSkillIn(TypedDict):
    __pydantic_config__ = _TD_CONFIG  # type: ignore[misc]
    skill: Id
    importance: NotRequired[Literal["essential", "optional"] | Annotated[float, Field(gt=0, le=1, **_FINITE)]]
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
    courses: NotRequired[list[Annotated[CourseIn, Into(Course)]]]
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
    max_courses_per_term: Annotated[int, Field(ge=1, le=MAX_COUNT)] | None = None
    max_hours_per_term: Annotated[float, Field(gt=0, le=MAX_TOTAL_HOURS, **_FINITE)] | None = None
    budget: Annotated[float, Field(ge=0, le=MAX_BUDGET, **_FINITE)] | None = None
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
