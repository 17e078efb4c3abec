"""Point 5 of issue 16: ``health`` is near-linear in the catalog's size. Counted, not timed:
the number of course records the missing-prerequisite analysis reads grows like the catalog
(it used to scan every course for every course that teaches an advanced skill)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from pathways.overlap._health import _missing_prerequisites
from pathways.synth import synthetic_catalog


class _Counting(Mapping):
    """A read-only mapping that counts every record handed out."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data
        self.reads = 0

    def __getitem__(self, key: str) -> Any:
        self.reads += 1
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        for key in self._data:
            self.reads += 1
            yield key

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data


class _Catalog:
    def __init__(self, catalog: Any) -> None:
        self._catalog = catalog
        self.courses = _Counting(catalog.courses)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._catalog, name)


def _reads(n: int) -> tuple[int, list[dict[str, Any]]]:
    catalog = synthetic_catalog(n, seed=3)
    counted = _Catalog(catalog)
    found = _missing_prerequisites(counted)  # type: ignore[arg-type]
    return counted.courses.reads, found


def test_missing_prerequisites_reads_each_course_a_bounded_number_of_times() -> None:
    small, found_small = _reads(500)
    large, found_large = _reads(2000)
    assert found_small and found_large  # the analysis has work to do at both sizes
    per_course_small, per_course_large = small / 500, large / 2000
    # linear: the reads per course stay flat (the quadratic scan grew them 4x here)
    assert per_course_large < 1.5 * per_course_small + 5, (per_course_small, per_course_large)
    assert per_course_large < 50, per_course_large


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_findings_are_those_of_the_plain_definition(seed: int) -> None:
    """The indexed analysis finds exactly what the definition in the module doc says, checked
    against a direct (quadratic, small) implementation of that definition."""
    from pathways.domain import leaf_ids

    catalog = synthetic_catalog(150, seed=seed)
    teaches = {c.id: {} for c in catalog.courses.values()}
    for c in catalog.courses.values():
        for s in c.skills:
            teaches[c.id][s.skill] = max(teaches[c.id].get(s.skill, 0), s.level)

    def before(cid: str) -> set[str]:
        seen, stack = set(), [cid]
        while stack:
            pre = catalog.courses[stack.pop()].prerequisites
            for p in (leaf_ids(pre) if pre is not None else ()):
                if p not in seen:
                    seen.add(p)
                    stack.append(p)
        return seen

    expected = {}
    for c in catalog.courses.values():
        prior = before(c.id)
        for skill, level in teaches[c.id].items():
            if level >= 3 and max((teaches[p].get(skill, 0) for p in prior), default=0) < level - 1:
                options = [o for o in catalog.courses if c.id not in before(o) and o != c.id
                           and teaches[o].get(skill, 0) == level - 1]
                expected.setdefault(c.id, []).append(options[:3])
    found = {f["ids"][0]: f for f in _missing_prerequisites(catalog)}
    assert set(found) == set(expected)
    for cid, option_lists in expected.items():
        named = [o for options in option_lists for o in options]
        assert found[cid]["ids"][1:] == list(dict.fromkeys(named))
