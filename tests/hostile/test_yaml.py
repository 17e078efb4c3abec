"""Point 5 (alias bombs counted in bytes) and point 7 (duplicate keys) of issue 16: the YAML
loader."""

from __future__ import annotations

import pytest

from pathways.errors import CatalogError
from pathways.io import catalog_from_data, validate_catalog
from pathways.io._yaml import MAX_ALIAS_BYTES, parse_yaml

from ._bounds import MB, measured


def _word_bomb(words: int, copies: int) -> str:
    """A small file that reuses one long description ``copies`` times through an alias."""
    text = " ".join(f"w{i}" for i in range(words))
    lines = ["courses:", f"  - id: C0", "    title: zero", "    hours: 1",
             f"    description: &d \"{text}\""]
    for i in range(1, copies):
        lines += [f"  - id: C{i}", f"    title: t{i}", "    hours: 1", "    description: *d"]
    return "\n".join(lines) + "\n"


def test_alias_bytes_bomb_is_refused_early_in_bytes() -> None:
    # 300 copies of a ~2 MB description: 0.0023 MB of aliases, 600 MB once expanded; few
    # nodes, so a node count alone let it through
    text = _word_bomb(300_000, 300)
    assert len(text) < 3 * MB
    with measured() as used:
        with pytest.raises(CatalogError) as info:
            parse_yaml(text, "bomb.yaml")
    message = str(info.value)
    assert "bomb.yaml" in message and "expand" in message and "bytes" in message, message
    assert used.peak_bytes < 200 * MB, used
    assert used.seconds < 60, used


def test_aliases_within_the_limit_still_work() -> None:
    text = _word_bomb(100, 50)
    data = parse_yaml(text, "ok.yaml")
    assert data["courses"][49]["description"] == data["courses"][0]["description"]
    assert MAX_ALIAS_BYTES >= 1 * MB  # real catalogs reuse small things freely


def test_duplicate_key_in_a_course_names_both_lines(tmp_path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("courses:\n  - id: A\n    title: One\n    hours: 2\n    id: B\n")
    with pytest.raises(CatalogError) as info:
        validate_catalog(path)
    message = str(info.value)
    assert 'duplicate key "id"' in message and "line 2" in message and ":5:" in message, message


def test_second_top_level_key_is_an_error_not_a_silent_drop(tmp_path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("courses:\n  - id: A\n    title: One\n    hours: 2\n"
                    "credentials: []\n"
                    "courses:\n  - id: B\n    title: Two\n    hours: 3\n")
    with pytest.raises(CatalogError) as info:
        validate_catalog(path)
    message = str(info.value)
    assert 'duplicate key "courses"' in message and "line 1" in message and ":6:" in message, message


def test_every_duplicate_is_reported_in_one_run(tmp_path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("courses:\n  - {id: A, title: One, hours: 2, hours: 3}\n"
                    "  - {id: B, title: Two, title: Deux, hours: 1}\n")
    with pytest.raises(CatalogError) as info:
        validate_catalog(path)
    assert len(info.value.diagnostics) == 2, str(info.value)


def test_merge_keys_may_be_overridden() -> None:
    # '<<' merges are YAML's way to share defaults: overriding a merged key is not a duplicate
    data = parse_yaml("base: &b {hours: 1, cost: 0}\nc: {<<: *b, hours: 5}\n", "m.yaml")
    assert data["c"] == {"hours": 5, "cost": 0}


def test_duplicate_beside_a_merge_is_still_found() -> None:
    with pytest.raises(CatalogError, match='duplicate key "x"'):
        parse_yaml("base: &b {y: 1, z: 2}\nc: {<<: *b, x: 1, x: 2}\n", "m.yaml")


def test_equal_values_in_data_are_fine() -> None:
    report = catalog_from_data({"courses": [{"id": "A", "title": "A", "hours": 1}]})
    assert list(report.catalog.courses) == ["A"]
