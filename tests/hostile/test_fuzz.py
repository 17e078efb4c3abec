"""Fuzz every loader (issue 16): YAML catalogs, CSV catalogs, badges, CTDL and learner profiles
end in a clear error (``PathwaysError``) or a valid result, never another exception.

Three kinds of input each: structured data with hostile values (infinities, NaN, huge and
negative numbers, control and invisible characters, deep nesting, wrong types), random text,
and byte-level mutations of a valid file.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.errors import PathwaysError
from pathways.io import catalog_from_data, learner_from_data, load_catalog, validate_catalog
from pathways.io.badges import import_badge_files
from pathways.io.tables import COURSE_COLUMNS, CREDENTIAL_COLUMNS, JOB_COLUMNS
from pathways.io.ctdl import catalog_from_ctdl, catalog_to_ctdl

from tests.conftest import EXAMPLES, FIXTURES

BADGES = FIXTURES / "badges"
#: ``PATHWAYS_FUZZ_EXAMPLES=5000`` runs a longer, random campaign; the default is a fixed
#: (derandomised) set of examples, so CI is reproducible.
_EXAMPLES = int(os.environ.get("PATHWAYS_FUZZ_EXAMPLES", "0"))
SETTINGS = settings(max_examples=_EXAMPLES or 150, deadline=None, derandomize=not _EXAMPLES,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.function_scoped_fixture])

if not EXAMPLES.is_dir():  # the format examples are part of the project's contract
    pytest.fail(f"format examples not found at {EXAMPLES}", pytrace=False)
CATALOG = load_catalog(EXAMPLES / "catalog.yaml")


def clear_or_valid(call, *args, **kwargs):
    """``call(...)``'s result, or None when it raised a PathwaysError (the clear kind)."""
    try:
        return call(*args, **kwargs)
    except PathwaysError as err:
        assert str(err).strip(), "an error without a message"
        return None


# --------------------------------------------------------------------------- value strategies
_hostile_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["", " ", "\x00", "A\u200bB", "\u202eA", "=1+1", "[/x]", "\x1b[2J", "null", "~", "1e309",
     "-1", ".inf", "2024-02-30", "9999-12-31", "A and (B or", "all(", "'", '"'])
_numbers = st.sampled_from([0, -1, 1, 2.5, 1e308, -1e308, 10**30, float("inf"), float("-inf"),
                            float("nan"), True, 1e-300])
_scalars = _hostile_text | _numbers | st.none() | st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31))
_data = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(_hostile_text | st.sampled_from(
                         ["id", "title", "hours", "cost", "requires", "all", "any", "choose",
                          "from", "min_hours", "prerequisites", "skills", "level", "terms"]),
                                       inner, max_size=5), max_leaves=20)

_course = st.fixed_dictionaries(
    {"id": _hostile_text, "title": _hostile_text, "hours": _numbers | _hostile_text},
    optional={"cost": _numbers, "prerequisites": _data, "terms": _data, "skills": _data,
              "delivery": _hostile_text, "badge_valid_months": _numbers})
_credential = st.fixed_dictionaries(
    {"id": _hostile_text, "title": _hostile_text, "level": st.sampled_from(
        ["certificate", "degree", "x"]), "requires": _data},
    optional={"recency_months": _numbers, "exclusive": _data})
_catalog_data = st.fixed_dictionaries(
    {}, optional={"courses": st.lists(_course, max_size=4),
                  "credentials": st.lists(_credential, max_size=3),
                  "jobs": _data, "skills": _data, "providers": _data, "currency": _hostile_text,
                  "format": _hostile_text}) | _data


def _mutations(data: bytes):
    """Byte-level mutations of ``data``: replace, insert or delete a few bytes."""
    return st.lists(st.tuples(st.integers(0, max(len(data) - 1, 0)),
                              st.sampled_from(["set", "insert", "delete"]),
                              st.binary(min_size=1, max_size=3)), min_size=1, max_size=6).map(
        lambda edits: _apply(data, edits))


def _apply(data: bytes, edits) -> bytes:
    out = bytearray(data)
    for pos, kind, blob in edits:
        pos = min(pos, len(out))
        if kind == "set":
            out[pos:pos + len(blob)] = blob
        elif kind == "insert":
            out[pos:pos] = blob
        else:
            del out[pos:pos + len(blob)]
    return bytes(out)


def _yaml_text(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, default_flow_style=None)


# --------------------------------------------------------------------------- YAML catalogs
@SETTINGS
@given(data=_catalog_data)
def test_yaml_catalog_data(tmp_path: Path, data) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(_yaml_text(data), encoding="utf-8")
    clear_or_valid(validate_catalog, path)
    if isinstance(data, dict):
        clear_or_valid(catalog_from_data, data)


@SETTINGS
@given(text=st.text(max_size=200))
def test_yaml_catalog_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    clear_or_valid(validate_catalog, path)


@SETTINGS
@given(blob=_mutations((EXAMPLES / "catalog.yaml").read_bytes()))
def test_yaml_catalog_mutations(tmp_path: Path, blob: bytes) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(blob)
    clear_or_valid(validate_catalog, path)


# --------------------------------------------------------------------------- CSV catalogs
_cell = _hostile_text | _numbers.map(str) | st.sampled_from(["A", "B", "2", "all(A, B)", "A=2; B"])


@SETTINGS
@given(table=st.sampled_from([("courses", COURSE_COLUMNS), ("credentials", CREDENTIAL_COLUMNS),
                              ("jobs", JOB_COLUMNS)]),
       header=st.lists(st.integers(0, 11), min_size=1, max_size=8),
       rows=st.lists(st.lists(_cell, max_size=9), max_size=5))
def test_csv_tables(tmp_path: Path, table, header, rows) -> None:
    import csv

    name, columns = table
    names = [columns[i % len(columns)] for i in header]
    folder = tmp_path / "cat"
    folder.mkdir(exist_ok=True)
    with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8", errors="surrogatepass") as fh:
        writer = csv.writer(fh)
        writer.writerow(names)
        writer.writerows(rows)
    clear_or_valid(validate_catalog, folder)


@SETTINGS
@given(blob=_mutations(b"id,title,hours,cost,prerequisites,skills\nA,One,2,10,,s=2\n"
                       b"B,Two,3,,A,s=3; t=1\n"))
def test_csv_mutations(tmp_path: Path, blob: bytes) -> None:
    folder = tmp_path / "cat"
    folder.mkdir(exist_ok=True)
    (folder / "courses.csv").write_bytes(blob)
    clear_or_valid(validate_catalog, folder)


# --------------------------------------------------------------------------- badges
def _badge_records(path: Path) -> None:
    result = import_badge_files([path], CATALOG, today=dt.date(2026, 6, 1))
    (record,) = result.badges
    assert record.status in ("valid", "expired", "not-yet-valid", "revoked", "malformed",
                             "unreadable", "skipped")  # skipped: a credential that is no badge
    assert record.message


_badge = st.fixed_dictionaries(
    {}, optional={"@context": _data, "type": _data, "badge": _data, "issuedOn": _scalars,
                  "expires": _scalars, "credentialSubject": _data, "validFrom": _scalars,
                  "validUntil": _scalars, "vc": _data, "revoked": _data, "recipient": _data})


@SETTINGS
@given(data=_badge)
def test_badge_json(tmp_path: Path, data) -> None:
    path = tmp_path / "b.json"
    path.write_text(json.dumps(data, default=str))
    _badge_records(path)


@SETTINGS
@given(name=st.sampled_from(sorted(p.name for p in BADGES.glob("*.json"))), seed=st.data())
def test_badge_mutations(tmp_path: Path, name: str, seed) -> None:
    blob = seed.draw(_mutations((BADGES / name).read_bytes()))
    path = tmp_path / name
    path.write_bytes(blob)
    _badge_records(path)


@SETTINGS
@given(blob=st.binary(max_size=300), prefix=st.sampled_from(
    [b"", b"\x89PNG\r\n\x1a\n", b"<svg", b"<?xml version='1.0'?>", b"eyJ"]))
def test_badge_bytes(tmp_path: Path, blob: bytes, prefix: bytes) -> None:
    path = tmp_path / "b.bin"
    path.write_bytes(prefix + blob)
    _badge_records(path)


# --------------------------------------------------------------------------- CTDL
_node = st.fixed_dictionaries(
    {"@id": _hostile_text, "@type": st.sampled_from(
        ["ceterms:Course", "ceterms:Certificate", "ceterms:Badge", "ceterms:Pathway",
         "ceterms:BasicComponent", "ceterms:CourseComponent", "ceasn:Competency",
         "ceterms:CredentialOrganization", "ceterms:Occupation", "x"])},
    optional={"ceterms:name": _data, "ceterms:codedNotation": _data, "ceterms:requires": _data,
              "ceterms:estimatedDuration": _data, "ceterms:hasChild": _data,
              "ceterms:proxyFor": _data, "ceterms:hasDestinationComponent": _data,
              "ceterms:estimatedCost": _data, "ceterms:entryCondition": _data,
              "ceterms:hasCondition": _data, "ceterms:teaches": _data})


@SETTINGS
@given(graph=st.lists(_node, max_size=6) | _data)
def test_ctdl_data(graph) -> None:
    doc = {"@graph": graph} if isinstance(graph, list) else graph
    clear_or_valid(catalog_from_ctdl, doc)


@SETTINGS
@given(blob=_mutations(json.dumps(catalog_to_ctdl(CATALOG)).encode()[:6000]))
def test_ctdl_mutations(tmp_path: Path, blob: bytes) -> None:
    path = tmp_path / "c.json"
    path.write_bytes(blob)
    clear_or_valid(catalog_from_ctdl, path)


# --------------------------------------------------------------------------- learners
_holding = st.fixed_dictionaries({}, optional={
    "course": _scalars, "credential": _scalars, "date": _scalars, "expires": _scalars})
_learner = st.fixed_dictionaries({"learner": st.fixed_dictionaries(
    {"id": _hostile_text}, optional={
        "name": _data, "completed": st.lists(_holding, max_size=3) | _data, "skills": _data,
        "goals": _data, "constraints": st.fixed_dictionaries({}, optional={
            "budget": _numbers, "max_hours_per_term": _numbers, "max_courses_per_term": _numbers,
            "start": _scalars, "delivery": _data}) | _data,
        "badges": st.lists(_hostile_text, max_size=2), "cv": _data})}) | _data


@SETTINGS
@given(data=_learner)
def test_learner_data(tmp_path: Path, data) -> None:
    clear_or_valid(learner_from_data, data, source=str(tmp_path / "me.yaml"), catalog=CATALOG)
    path = tmp_path / "me.yaml"
    path.write_text(_yaml_text(data), encoding="utf-8")
    from pathways.io import load_learner

    clear_or_valid(load_learner, path, CATALOG)


@SETTINGS
@given(blob=_mutations((EXAMPLES / "learner-priya.yaml").read_bytes()))
def test_learner_mutations(tmp_path: Path, blob: bytes) -> None:
    from pathways.io import load_learner

    path = tmp_path / "me.yaml"
    path.write_bytes(blob)
    clear_or_valid(load_learner, path, CATALOG)


def test_the_strategies_reach_valid_results_too() -> None:
    """The fuzz is not all errors: valid inputs of each kind load."""
    assert catalog_from_data({"courses": [{"id": "A", "title": "A", "hours": 1}]}).catalog.courses
    assert catalog_from_ctdl(catalog_to_ctdl(CATALOG)).catalog.courses
    assert math.isfinite(min(c.hours for c in CATALOG.courses.values()))
