"""Synthetic catalogs: deterministic, the sizes asked for, realistic structure, always valid."""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import subprocess
import sys
from collections import Counter
from functools import cache
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.domain import (
    AllOf,
    AnyOf,
    Catalog,
    Choose,
    MinHours,
    iter_nodes,
    leaf_ids,
)
from pathways.graph import build_graph, relevant_subgraph
from pathways.io import catalog_from_data, dump_yaml, validate_catalog
from pathways.synth import synthetic_catalog, synthetic_data


@cache
def _report(n_courses: int, seed: int = 0, descriptions: bool = True) -> Any:
    data = synthetic_data(n_courses, seed=seed, descriptions=descriptions)
    return data, catalog_from_data(data).catalog


def _prerequisite_depth(catalog: Catalog) -> int:
    """Courses on the longest prerequisite chain (every edge, ``or`` options included)."""
    depth: dict[str, int] = {}
    for course_id in catalog.courses:  # iterative depth-first walk, children first
        stack = [course_id]
        while stack:
            current = stack[-1]
            if current in depth:
                stack.pop()
                continue
            prereq = catalog.courses[current].prerequisites
            refs = leaf_ids(prereq) if prereq is not None else ()
            todo = [r for r in refs if r not in depth]
            if todo:
                stack.extend(todo)
                continue
            depth[current] = 1 + max((depth[r] for r in refs), default=0)
            stack.pop()
    return max(depth.values())


def _nesting(catalog: Catalog, cred_id: str) -> int:
    """Credential levels in the deepest stack under ``cred_id`` (1 = only courses)."""
    inner = [r for r in leaf_ids(catalog.credentials[cred_id].requires) if r in catalog.credentials]
    return 1 + max((_nesting(catalog, r) for r in inner), default=0)


# --------------------------------------------------------------------------- determinism
def test_same_seed_gives_equal_data_and_another_seed_differs() -> None:
    first = synthetic_data(300, seed=7)
    assert synthetic_data(300, seed=7) == first
    assert synthetic_data(300, seed=8) != first
    assert synthetic_data(300, seed=7, descriptions=False) != first


def test_data_does_not_depend_on_the_process() -> None:
    """String hashing is randomised per process; the generator must not depend on it."""
    code = ("import hashlib, json; from pathways.synth import synthetic_data; "
            "print(hashlib.sha1(json.dumps(synthetic_data(500, seed=3)).encode()).hexdigest())")
    here = hashlib.sha1(json.dumps(synthetic_data(500, seed=3)).encode()).hexdigest()
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == here, out.stderr


# --------------------------------------------------------------------------- sizes
@pytest.mark.parametrize(("n_courses", "n_credentials", "n_skills", "n_jobs", "n_providers"), [
    (1, 0, 0, 0, 1),
    (5, 1, 3, 1, 2),
    (7, 40, 10, 2, 1),
    (250, 30, 60, 4, 5),
    (1200, 100, 300, 10, 20),
])
def test_sizes_are_honoured(n_courses: int, n_credentials: int, n_skills: int, n_jobs: int,
                            n_providers: int) -> None:
    data = synthetic_data(n_courses, n_credentials, n_skills=n_skills, n_jobs=n_jobs,
                          n_providers=n_providers, seed=1)
    assert [len(data[k]) for k in ("courses", "credentials", "skills", "jobs", "providers")] == [
        n_courses, n_credentials, n_skills, n_jobs, n_providers]
    catalog = catalog_from_data(data).catalog
    assert (len(catalog.courses), len(catalog.credentials)) == (n_courses, n_credentials)


def test_default_sizes() -> None:
    data = synthetic_data(800)
    assert data["format"] == "pathways/1" and data["currency"] == "CAD"
    assert [len(data[k]) for k in ("courses", "credentials", "skills", "jobs", "providers")] == [
        800, 100, 160, 16, 14]
    assert len(synthetic_data(40)["skills"]) == 50  # the vocabulary has at least 50 skills
    assert len(synthetic_data(40)["jobs"]) == 3


@pytest.mark.parametrize("bad", [{"n_courses": 0}, {"n_courses": 10, "n_credentials": -1},
                                 {"n_courses": 10, "n_skills": 2.5},
                                 {"n_courses": 10, "n_providers": 0}])
def test_bad_counts_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="must be a whole number"):
        synthetic_data(**bad)


def test_synthetic_catalog_is_the_validated_data() -> None:
    catalog = synthetic_catalog(120, 16, seed=4, descriptions=False)
    data = synthetic_data(120, 16, seed=4, descriptions=False)
    assert isinstance(catalog, Catalog)
    assert list(catalog.courses) == [c["id"] for c in data["courses"]]
    assert list(catalog.credentials) == [c["id"] for c in data["credentials"]]
    assert all(c.description == "" for c in catalog.courses.values())


# --------------------------------------------------------------------------- structure
def test_ids_are_unique_across_kinds() -> None:
    data, _ = _report(3000)
    ids = [item["id"] for kind in ("courses", "credentials", "skills", "jobs")
           for item in data[kind]]
    assert len(ids) == len(set(ids))


def test_prerequisite_dag_is_up_to_eight_deep() -> None:
    for n in (40, 300, 3000):
        _, catalog = _report(n)
        assert 1 < _prerequisite_depth(catalog) <= 8, n
    assert _prerequisite_depth(_report(3000)[1]) == 8
    assert _prerequisite_depth(synthetic_catalog(3, 1)) == 1  # too small for levels


def test_prerequisites_use_every_form() -> None:
    data, _ = _report(3000)
    forms: Counter[str] = Counter()
    for course in data["courses"]:
        p = course.get("prerequisites")
        if isinstance(p, str):
            forms["and" if " and " in p else "or" if " or " in p else "id"] += 1
            forms["parentheses"] += "(" in p
        elif isinstance(p, list):
            forms["list"] += 1
        elif isinstance(p, dict):
            forms[next(iter(p))] += 1
    assert all(forms[f] > 0 for f in ("and", "or", "id", "parentheses", "list", "all", "any"))


def test_credentials_nest_three_levels_with_choose_and_min_hours() -> None:
    _, catalog = _report(3000)
    by_level = Counter(c.level for c in catalog.credentials.values())
    assert set(by_level) == {"microcredential", "certificate", "diploma"}
    assert by_level["microcredential"] > by_level["certificate"] > by_level["diploma"]
    assert max(_nesting(catalog, c) for c in catalog.credentials) == 3
    for cred in catalog.credentials.values():
        expected = {"microcredential": 1, "certificate": 2, "diploma": 3}[cred.level]
        assert _nesting(catalog, cred.id) <= expected
        if cred.level == "microcredential":
            assert 1 <= len(leaf_ids(cred.requires)) <= 5
    nodes = [n for c in catalog.credentials.values() for n in iter_nodes(c.requires)]
    chooses = [n for n in nodes if isinstance(n, Choose)]
    hours = [n for n in nodes if isinstance(n, MinHours)]
    assert chooses and hours
    for node in chooses:  # earnable: k distinct options at least
        assert node.k <= len({getattr(c, "id", id(c)) for c in node.children})
    for threshold in hours:
        assert threshold.hours <= sum(catalog.courses[c].hours for c in set(threshold.courses))
    assert any(c.exclusive for c in catalog.credentials.values())
    assert any(c.recency_months for c in catalog.credentials.values())
    assert any(isinstance(n, (AllOf, AnyOf)) for n in nodes)


def test_course_attributes_are_realistic() -> None:
    _, catalog = _report(3000)
    courses = list(catalog.courses.values())
    assert all(10 <= c.hours <= 60 and 200 <= c.cost <= 1500 for c in courses)
    assert {c.delivery for c in courses} == {"online", "hybrid", "in-person", None}
    assert any(c.terms for c in courses) and any(c.terms is None for c in courses)
    assert any(c.badge_valid_months for c in courses)
    vocabulary = set(catalog.skills)
    assert all(s.skill in vocabulary and 1 <= s.level <= 4 for c in courses for s in c.skills)
    # higher levels teach higher proficiency: the course number's first digit is the level
    by_level: dict[int, list[int]] = {}
    for c in courses:
        level = int(c.id.rsplit("-", 1)[1][0])
        by_level.setdefault(level, []).extend(s.level for s in c.skills)
    assert statistics.mean(by_level[8]) > statistics.mean(by_level[4]) > statistics.mean(by_level[1])
    # near-duplicate descriptions for overlap analysis
    descriptions = [c.description for c in courses]
    assert any(b.startswith(a) and a != b for a, b in pairwise(descriptions))


def test_jobs_weight_five_to_fifteen_skills() -> None:
    _, catalog = _report(3000)
    importance: Counter[str] = Counter()
    for job in catalog.jobs.values():
        assert 5 <= len(job.skills) <= 15
        assert len({s.skill for s in job.skills}) == len(job.skills)
        for s in job.skills:
            importance["essential" if s.essential else "optional" if s.importance == 0.5
                       else "number"] += 1
    assert set(importance) == {"essential", "optional", "number"}


def test_a_certificate_draws_on_a_local_subgraph() -> None:
    """At 10k courses a certificate needs tens to a few hundred courses, not thousands."""
    _, catalog = _report(10_000, descriptions=False)
    G = build_graph(catalog)
    certificates = [c for c in catalog.credentials.values() if c.level == "certificate"]
    sizes = []
    for cred in certificates[::10]:
        sub = relevant_subgraph(G, cred.id)
        sizes.append(sum(1 for _, kind in sub.nodes(data="kind") if kind == "course"))
    assert 3 <= min(sizes) and max(sizes) <= 300, (min(sizes), max(sizes))
    assert statistics.median(sizes) >= 10


# --------------------------------------------------------------------------- always valid
@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(n_courses=st.integers(5, 400), seed=st.integers(0, 2**32 - 1),
       n_credentials=st.none() | st.integers(0, 80), descriptions=st.booleans())
def test_synthetic_catalogs_always_validate(n_courses: int, seed: int,
                                            n_credentials: int | None,
                                            descriptions: bool) -> None:
    data = synthetic_data(n_courses, n_credentials, seed=seed, descriptions=descriptions)
    report = catalog_from_data(data)  # raises CatalogError on any problem
    assert len(report.catalog.courses) == n_courses
    assert all(w.severity == "warning" for w in report.warnings)


def test_yaml_round_trip_validates(tmp_path: Any) -> None:
    data = synthetic_data(300, seed=11)
    text = dump_yaml(data, header="synthetic catalog, seed 11")
    assert "&id" not in text  # no list shared between two places: no YAML aliases
    path = tmp_path / "synthetic.yaml"
    path.write_text(text, encoding="utf-8")
    report = validate_catalog(path)
    in_memory = catalog_from_data(data).catalog
    assert list(report.catalog.courses) == [c["id"] for c in data["courses"]]
    for table in ("courses", "credentials", "skills", "jobs", "providers"):
        assert dict(getattr(report.catalog, table)) == dict(getattr(in_memory, table)), table


# --------------------------------------------------------------------------- university programs
@cache
def _university(n_programs: int = 24, seed: int = 0) -> Any:
    from pathways.synth import university_data

    data = university_data(n_programs, seed=seed)
    return data, catalog_from_data(data).catalog


def test_university_data_is_deterministic_and_valid() -> None:
    from pathways.synth import university_catalog, university_data

    data, cat = _university()
    assert university_data(24, seed=0) == data and university_data(24, seed=1) != data
    assert len(cat.credentials) == 24 and len(cat.courses) == len(data["courses"])
    assert list(university_catalog(24, seed=0).credentials) == list(cat.credentials)
    with pytest.raises(ValueError, match="must be a whole number"):
        university_data(0)


def test_university_programs_have_the_shapes_of_real_ones() -> None:
    from pathways.domain import Ref

    _, cat = _university()
    kinds = Counter(k.split("-")[1] for k in cat.credentials)
    assert set(kinds) == {"CERT", "MIN", "MAJ", "DEG"}
    big_lists, hour_lists, labels, nested_choose, stacked, overlaps, groups = [], [], set(), 0, 0, 0, []
    for cred in cat.credentials.values():
        top = cred.requires.children if isinstance(cred.requires, AllOf) else (cred.requires,)
        groups.append(len(top))
        where: Counter[str] = Counter()
        for node in iter_nodes(cred.requires):
            if isinstance(node, (AnyOf, Choose)):
                refs = [c for c in node.children if isinstance(c, Ref)]
                if len(refs) >= 20:
                    big_lists.append(len(refs))
                    where.update({r.id for r in refs})
                if any(isinstance(c, (AnyOf, Choose, AllOf)) for c in node.children):
                    nested_choose += 1
            if isinstance(node, MinHours):
                hour_lists.append(len(node.courses))
            if getattr(node, "label", None):
                labels.add(node.label.split(":")[0])
            if isinstance(node, Ref) and node.id in cat.credentials:
                stacked += 1
        overlaps += sum(n > 1 for n in where.values())  # a course in two big groups
    assert min(big_lists) >= 20 and 200 <= max(big_lists) <= 300
    assert hour_lists and max(hour_lists) >= 100
    assert {"Area", "Distribution requirement", "Core courses"} <= labels
    assert any("300 level or above" in lab for lab in labels)
    assert nested_choose and stacked and overlaps
    majors = [n for k, n in zip(cat.credentials, groups) if "-MAJ-" in k]
    assert min(majors) >= 6 and max(majors) <= 14
    assert 4 <= _prerequisite_depth(cat) <= 8


def test_university_learner_holds_a_consistent_transcript() -> None:
    from pathways.domain import Term
    from pathways.synth import university_learner

    _, cat = _university()
    program = next(k for k in cat.credentials if "-MAJ-" in k)
    me = university_learner(cat, 60, program=program, seed=4)
    assert len(me.completed) == 60 and me.goals.credentials == (program,)
    assert me.constraints.start == Term(2027, 0)
    assert all(h.date < Term(2027, 0).start for h in me.completed)
    order = sorted(me.completed, key=lambda h: h.date)
    seen: set[str] = set()
    for h in order:  # prerequisites completed in an earlier or the same term
        pre = cat.courses[h.id].prerequisites
        same = {g.id for g in me.completed if g.date == h.date}
        assert pre is None or _prereq_ok(pre, seen | same), h.id
        seen.add(h.id)
    named = set(leaf_ids(cat.credentials[program].requires))
    assert sum(h.id in named for h in me.completed) >= 10  # aimed at the program
    assert university_learner(cat, 60, program=program, seed=4) == me


def _prereq_ok(node: Any, have: set[str]) -> bool:
    from pathways.domain import Ref

    if isinstance(node, Ref):
        return node.id in have
    ok = [_prereq_ok(c, have) for c in node.children]
    return all(ok) if isinstance(node, AllOf) else sum(ok) >= node.k
