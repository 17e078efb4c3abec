"""Points 6 (numbers that are not numbers) and 9 (ids with invisible characters) of issue 16:
the loaders refuse them with the loader's clear message."""

from __future__ import annotations

import pytest

from pathways.errors import CatalogError
from pathways.io import catalog_from_data, learner_from_data, validate_catalog
from pathways.io.schema import MAX_COST, MAX_HOURS, MAX_MONTHS


def _course(**extra):
    return {"id": "A", "title": "A", "hours": 10, **extra}


def _problem(data) -> str:
    with pytest.raises(CatalogError) as info:
        catalog_from_data(data, source="c.yaml")
    return str(info.value)


@pytest.mark.parametrize("field,value", [
    ("hours", float("inf")), ("hours", float("nan")), ("hours", 1e309), ("hours", -float("inf")),
    ("cost", float("inf")), ("cost", float("nan")),
    ("hours", MAX_HOURS * 10), ("cost", MAX_COST * 10),
    ("badge_valid_months", MAX_MONTHS + 1),
])
def test_course_numbers_are_finite_and_in_range(field: str, value: float) -> None:
    message = _problem({"courses": [_course(**{field: value})]})
    assert "c.yaml" in message and field in message and "A" in message, message


def test_yaml_inf_and_nan_are_refused_with_the_line(tmp_path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("courses:\n  - id: A\n    title: A\n    hours: .inf\n"
                    "  - id: B\n    title: B\n    hours: 1\n    cost: .nan\n")
    with pytest.raises(CatalogError) as info:
        validate_catalog(path)
    lines = sorted(d.line for d in info.value.diagnostics)
    assert lines == [4, 8], str(info.value)
    assert all("finite" in d.message for d in info.value.diagnostics), str(info.value)


@pytest.mark.parametrize("hours", [float("nan"), float("inf"), 1e12])
def test_min_hours_is_finite_and_in_range(hours: float) -> None:
    message = _problem({"courses": [_course()], "credentials": [
        {"id": "X", "title": "X", "level": "certificate",
         "requires": {"min_hours": hours, "from": ["A"]}}]})
    assert "min_hours" in message and "X" in message, message


def test_csv_1e309_is_refused(tmp_path) -> None:
    (tmp_path / "courses.csv").write_text("id,title,hours\nA,A,1e309\nB,B,nan\n")
    with pytest.raises(CatalogError) as info:
        validate_catalog(tmp_path)
    assert [d.line for d in info.value.diagnostics] == [2, 3], str(info.value)
    assert all(d.path == "hours" for d in info.value.diagnostics)


@pytest.mark.parametrize("key,value", [("budget", float("inf")), ("budget", float("nan")),
                                       ("max_hours_per_term", float("inf")),
                                       ("max_hours_per_term", float("nan"))])
def test_learner_limits_are_finite(key: str, value: float) -> None:
    with pytest.raises(CatalogError) as info:
        learner_from_data({"learner": {"id": "me", "constraints": {key: value}}}, source="me.yaml")
    assert key in str(info.value) and "me.yaml" in str(info.value)


@pytest.mark.parametrize("bad", ["A\x00B", "A\nB", "A\u200bB", "A\u202eB", "A\u2066B", "A\x1b[2J",
                                 "A\u00adB", "A\u3164B", "A\ufeffB", "A\u2028B"])
def test_ids_with_control_or_invisible_characters_are_refused(bad: str) -> None:
    message = _problem({"courses": [_course(id=bad)]})
    assert "U+" in message and "invisible or a control character" in message, message


def test_a_reference_with_an_invisible_character_is_refused_too() -> None:
    message = _problem({"courses": [_course(), _course(id="B", prerequisites="A\u200b")]})
    assert "U+200B" in message, message


def test_ordinary_international_ids_are_accepted() -> None:
    ids = ["Ü-101", "데이터-1", "Курс 2", "A.B/C:D_E", "東京-3"]
    report = catalog_from_data({"courses": [_course(id=i) for i in ids]})
    assert list(report.catalog.courses) == ids


def test_an_id_mixing_look_alike_alphabets_is_flagged() -> None:
    # "UT-DA-100" with a Cyrillic "А" (U+0410): valid, but a warning names it
    report = catalog_from_data({"courses": [_course(id="UT-DA-100"), _course(id="UT-D\u0410-100")]})
    warnings = [str(w) for w in report.warnings]
    assert len([w for w in warnings if "mixes Latin and Cyrillic letters" in w]) == 1
    assert any("UT-D\u0410-100" in w for w in warnings)
    # one alphabet, or Latin beside letters that look like nothing Latin: no warning
    plain = catalog_from_data({"courses": [_course(id=i) for i in ["Курс-2", "Ü-101", "東京-A"]]})
    assert not any("mixes" in str(w) for w in plain.warnings)
