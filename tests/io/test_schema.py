"""pathways.io.schema: the pydantic edge (unknown keys, bounds, ids, courses built straight into
domain objects) and the guards of ``Into``."""

from __future__ import annotations

import dataclasses
import math
from typing import Annotated

import pytest
from pydantic import TypeAdapter, ValidationError
from typing_extensions import TypedDict

from pathways.domain import AllOf, AnyOf, Course, Ref, SkillLevel
from pathways.io.schema import (
    CATALOG_FILE,
    MAX_COST,
    MAX_HOURS,
    TREE_ERROR,
    Into,
    LearnerFileIn,
    bad_id_character,
)


def courses(*rows: dict[str, object]) -> list[Course]:
    return CATALOG_FILE.validate_python({"courses": list(rows)})["courses"]


def error_types(rows: list[dict[str, object]]) -> set[str]:
    with pytest.raises(ValidationError) as info:
        courses(*rows)
    return {e["type"] for e in info.value.errors()}


def test_a_course_is_built_as_a_frozen_domain_object() -> None:
    (c,) = courses({"id": " DA-101 ", "title": "Data", "hours": 12, "cost": None,
                    "terms": ["fall", "winter"], "prerequisites": "A and (B or C)",
                    "skills": [{"skill": "sql", "level": 2}, {"skill": "python"}],
                    "url": "https://example.org"})
    assert isinstance(c, Course) and c.id == "DA-101"  # ids are stripped; url dropped
    assert (c.hours, c.cost, c.terms) == (12.0, 0.0, frozenset({"fall", "winter"}))
    assert c.skills == (SkillLevel("sql", 2), SkillLevel("python", 1))
    assert c.prerequisites == AllOf((Ref("A"), AnyOf((Ref("B"), Ref("C")))))
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.hours = 1  # type: ignore[misc]


@pytest.mark.parametrize("row, kind", [
    ({"hours": 0}, "greater_than"),
    ({"hours": MAX_HOURS * 2}, "less_than_equal"),
    ({"hours": math.nan}, "finite_number"),
    ({"cost": -1}, "greater_than_equal"),
    ({"cost": MAX_COST * 2}, "less_than_equal"),
    ({"delivery": "by carrier pigeon"}, "literal_error"),
    ({"terms": ["spring"]}, "literal_error"),
    ({"skills": [{"skill": "sql", "level": 5}]}, "less_than_equal"),
    ({"colour": "blue"}, "unexpected_keyword_argument"),  # unknown keys: errors
    ({"prerequisites": "A and"}, TREE_ERROR),
    ({"id": "A\u200bB"}, "string_pattern_mismatch"),
])
def test_bad_course_values_are_refused(row: dict[str, object], kind: str) -> None:
    assert kind in error_types([{"id": "A", "title": "A", "hours": 10, **row}])


def test_a_malformed_prerequisite_carries_its_place_and_hint() -> None:
    with pytest.raises(ValidationError) as info:
        courses({"id": "A", "title": "A", "hours": 1, "prerequisites": {"all": ["B", {"x": 1}]}})
    (err,) = info.value.errors()
    assert err["type"] == TREE_ERROR and err["ctx"]["keypath"] == ("all", 1)
    assert "hint" in err["ctx"]


def test_bad_id_characters_are_named() -> None:
    assert bad_id_character("A\u202eB") == "U+202E RIGHT-TO-LEFT OVERRIDE at character 2"
    assert bad_id_character("A\u00a0B") == "U+00A0 NO-BREAK SPACE at character 2"
    assert bad_id_character("Ünïcødé-ok 1") is None


def test_learner_files_forbid_unknown_keys_and_bad_levels() -> None:
    LearnerFileIn.model_validate({"learner": {"id": "me", "skills": [{"skill": "sql", "level": 2}]}})
    with pytest.raises(ValidationError, match="extra"):
        LearnerFileIn.model_validate({"learner": {"id": "me", "favourite": "tea"}})
    with pytest.raises(ValidationError):
        LearnerFileIn.model_validate({"learner": {"id": "me", "skills": [{"skill": "sql", "level": 0}]}})


def test_into_refuses_what_pydantic_core_would_get_wrong() -> None:
    class RowIn(TypedDict, total=False):
        id: str

    @dataclasses.dataclass(frozen=True)
    class Checked:
        id: str = ""

        def __post_init__(self) -> None:  # pydantic-core would never call it
            raise AssertionError

    @dataclasses.dataclass(frozen=True)
    class NoDefault:
        id: str

    with pytest.raises(TypeError, match="__post_init__"):
        TypeAdapter(Annotated[RowIn, Into(Checked)])
    with pytest.raises(TypeError, match="optional key id needs a default"):
        TypeAdapter(Annotated[RowIn, Into(NoDefault)])
