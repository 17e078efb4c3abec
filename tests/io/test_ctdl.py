"""CTDL JSON-LD: hand-written CTDL examples import as expected; our export round-trips exactly."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.domain import (
    AllOf,
    AnyOf,
    Catalog,
    Choose,
    Course,
    Credential,
    MinHours,
    Ref,
)
from pathways.errors import CatalogError
from pathways.io import catalog_from_data, catalog_to_data, validate_catalog
from pathways.io.ctdl import (
    CTDL_CONTEXT,
    catalog_from_ctdl,
    catalog_to_ctdl,
    credential_level,
    ctid,
    import_ctdl,
    read_ctdl,
    write_ctdl,
)
from pathways.synth import synthetic_catalog

from tests.conftest import FIXTURES, SAMPLE

CTDL = FIXTURES / "ctdl"


def round_trip(catalog: Catalog) -> Catalog:
    doc = json.loads(json.dumps(catalog_to_ctdl(catalog)))  # through JSON text, as in a file
    messages: list[str] = []
    back = catalog_from_data(import_ctdl(doc, messages=messages)).catalog
    assert messages == []
    return back


def plain(data: dict) -> dict:
    """Import data without ``details.aliases`` (each record's CTID and @id, checked in
    tests/io/test_ctdl_registry.py)."""
    for table in ("courses", "credentials"):
        for entry in data.get(table, []):
            details = entry.get("details", {})
            details.pop("aliases", None)
            if "details" in entry and not details:
                del entry["details"]
    return data


def assert_lossless(catalog: Catalog) -> None:
    assert catalog_to_data(round_trip(catalog)) == catalog_to_data(catalog)


# --------------------------------------------------------------------------- hand-written CTDL
@pytest.fixture(scope="module")
def northern() -> tuple[dict, list[str]]:
    messages: list[str] = []
    return plain(import_ctdl(CTDL / "credentials.json", messages=messages)), messages


def test_courses_from_ctdl(northern) -> None:
    data, _ = northern
    courses = {c["id"]: c for c in data["courses"]}
    assert list(courses) == ["DA-110", "DA-120", "DA-130", "DA-140", "DA-150", "DA-160",
                             "ce-1a000000-0000-4000-8000-000000000190"]
    assert courses["DA-110"] == {
        "id": "DA-110", "title": "Spreadsheets for Analysis", "provider": "northern-skills-college",
        "hours": 24, "cost": 450, "delivery": "online",
        "skills": [{"skill": "esco:1973c966-f236-40c9-b2d4-5d71a89019be"}],
        "description": "Formulas, pivot tables and charts."}
    assert courses["DA-120"]["prerequisites"] == "DA-110"  # entryCondition
    assert courses["DA-120"]["delivery"] == "in-person"
    assert courses["DA-130"]["hours"] == 24  # creditValue in clock hours
    assert courses["DA-130"]["cost"] == 450  # tuition + fee, no aggregate cost given
    assert courses["DA-140"]["prerequisites"] == {"any": ["DA-120", "DA-130"]}  # requiredNumber 1
    assert courses["DA-150"]["hours"] == 20  # P6W is calendar time; contact hours are used
    assert data["currency"] == "CAD"
    assert data["providers"] == [{"id": "northern-skills-college", "name": "Northern Skills College"}]


def test_credentials_from_ctdl(northern) -> None:
    data, messages = northern
    creds = {c["id"]: c for c in data["credentials"]}
    capstone = "ce-1a000000-0000-4000-8000-000000000190"
    # ceterms:Badge with hasPart, plus a course that says isPartOf it
    assert creds["BADGE-DF"]["level"] == "microcredential"
    assert creds["BADGE-DF"]["requires"] == {"all": ["DA-110", "DA-130", "DA-160"]}
    # several condition profiles = all of them; requiredNumber = choose; hours = min_hours
    assert creds["CERT-DA"]["level"] == "certificate"
    assert creds["CERT-DA"]["requires"] == {"all": [
        {"all": ["DA-110", "DA-120"], "label": "Core"},
        {"choose": 2, "from": ["DA-130", "DA-140", "DA-150"], "label": "Electives"},
        {"min_hours": 40, "from": [capstone]}]}
    # alternativeCondition = any of
    assert creds["DIP-DATA"]["level"] == "diploma"
    assert creds["DIP-DATA"]["requires"] == {"any": ["CERT-DA", {"all": [capstone, "BADGE-DF"]}]}
    assert messages == [
        ("credential CERT-DA: condition without courses or credentials skipped "
         "(Applicants must be 18 or older.)")]
    # P6W is calendar time: the contact hours are the hours, the duration is kept
    course = {c["id"]: c for c in data["courses"]}["DA-150"]
    assert course["hours"] == 20 and course["details"] == {"duration": ["P6W"]}


def test_ctdl_example_validates_as_a_catalog() -> None:
    report = catalog_from_ctdl(CTDL / "credentials.json")
    cert = report.catalog.credentials["CERT-DA"]
    assert isinstance(cert.requires, AllOf) and isinstance(cert.requires.children[2], MinHours)


def test_pathway_components_become_requirements() -> None:
    messages: list[str] = []
    data = plain(import_ctdl(CTDL / "pathway.json", messages=messages))
    sre = "ce-3c000000-0000-4000-8000-000000000203"
    assert data["credentials"] == [{
        "id": "CERT-CLOUD", "title": "Certificate in Cloud Operations", "level": "certificate",
        "requires": {"all": [
            {"all": ["CL-101", "CL-102"], "label": "Foundations"},
            {"choose": 2, "from": ["CL-201", "CL-202", sre], "label": "Specialization"}]}}]
    courses = {c["id"]: c for c in data["courses"]}
    assert courses[sre]["hours"] == 25 and courses[sre]["title"] == "Site Reliability Basics"
    assert messages == [("pathway Cloud Operations Pathway: CompetencyComponent Linux "
                         "administration (demonstrated) cannot be planned; dropped")]
    catalog = catalog_from_ctdl(CTDL / "pathway.json").catalog
    assert isinstance(catalog.credentials["CERT-CLOUD"].requires.children[1], Choose)


def test_pathway_to_a_basic_destination_makes_the_pathway_a_credential() -> None:
    doc = json.loads((CTDL / "pathway.json").read_text())
    graph = [n for n in doc["@graph"] if n.get("ceterms:codedNotation") != "CERT-CLOUD"]
    for node in graph:
        if node["@type"] == "ceterms:CredentialComponent":
            node["@type"] = "ceterms:BasicComponent"
            del node["ceterms:proxyFor"]
    data = import_ctdl({"@graph": graph})
    (cred,) = data["credentials"]
    assert cred["id"] == "ce-3c000000-0000-4000-8000-000000000000"
    assert cred["title"] == "Cloud Operations Pathway" and cred["level"] == "other"
    assert cred["requires"]["all"][0] == {"all": ["CL-101", "CL-102"], "label": "Foundations"}


def test_full_iris_and_language_maps() -> None:
    data = plain(import_ctdl(CTDL / "expanded-iris.json"))
    assert data["courses"] == [{"id": "LEAD-1", "title": "Inclusive Leadership", "hours": 1.5}]
    assert data["credentials"] == [{
        "id": "ce-6f000000-0000-4000-8000-000000000002",
        "title": "Inclusive Leadership Micro-credential", "level": "microcredential",
        "requires": "LEAD-1"}]


def test_missing_hours_and_requirements_are_reported() -> None:
    messages: list[str] = []
    data = import_ctdl([
        {"@id": "x:c", "@type": "ceterms:Course", "ceterms:name": {"en-US": "No hours"},
         "ceterms:codedNotation": "C"},
        {"@id": "x:b", "@type": "ceterms:Certificate", "ceterms:name": {"en-US": "Empty"},
         "ceterms:codedNotation": "B"}], messages=messages)
    assert data["courses"][0]["hours"] == 1 and data["courses"][0]["hours_stated"] is False
    assert "credentials" not in data
    assert messages == [
        ("credential B (Empty): no requirements (no requires condition naming courses or "
         "credentials, no hasPart, no pathway); skipped"),
        ("1 course(s) without learning hours (hours_stated: false, 1 h placeholder; validate "
         "and health list them): course C")]


@pytest.mark.parametrize(("ctdl_type", "level"), [
    ("ceterms:MicroCredential", "microcredential"), ("ceterms:DigitalBadge", "microcredential"),
    ("ceterms:Certificate", "certificate"), ("ceterms:CertificateOfCompletion", "certificate"),
    ("ceterms:Certification", "certificate"), ("ceterms:Diploma", "diploma"),
    ("ceterms:AssociateDegree", "degree"), ("ceterms:MasterDegree", "degree"),
    ("ceterms:ResearchDoctorate", "degree"), ("ceterms:License", "other"),
    ("ceterms:Credential", "other"), ("ceterms:Course", None), ("ceterms:Pathway", None)])
def test_credential_levels(ctdl_type: str, level: str | None) -> None:
    assert credential_level(ctdl_type) == level


def test_read_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"@graph": [\n  {"@id": "x",}\n]}')
    with pytest.raises(CatalogError) as info:
        read_ctdl(bad)
    assert "bad.json:2" in str(info.value) and "not valid JSON" in str(info.value)
    with pytest.raises(CatalogError, match="no such file|cannot read"):
        import_ctdl(tmp_path / "missing.json")
    with pytest.raises(CatalogError, match="not JSON-LD objects"):
        import_ctdl("just text" and 42)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- export
def test_export_uses_ctdl_terms(examples_dir: Path) -> None:
    catalog = validate_catalog(examples_dir / "catalog.yaml").catalog
    doc = catalog_to_ctdl(catalog)
    assert doc["@context"][0] == CTDL_CONTEXT
    nodes = {n.get("ceterms:codedNotation") or n.get("ceasn:codedNotation") or n["@id"]: n
             for n in doc["@graph"]}
    course = nodes["UT-DA-101"]
    assert course["@type"] == "ceterms:Course"
    assert course["ceterms:ctid"] == ctid("UT-DA-101")
    assert re.fullmatch(r"ce-[0-9a-f-]{36}", course["ceterms:ctid"])
    assert course["@id"].endswith(course["ceterms:ctid"])
    assert course["ceterms:estimatedDuration"][0]["ceterms:exactDuration"] == "PT36H"
    assert course["ceterms:estimatedCost"][0]["ceterms:price"] == 795
    assert course["ceterms:estimatedCost"][0]["ceterms:currency"] == "CAD"
    assert {p["pathways:operator"] for p in course["ceterms:entryCondition"]} == {"ref", "any"}
    cert = nodes["UT-CERT-DA"]
    assert cert["@type"] == "ceterms:Certificate"
    core, electives, hours = cert["ceterms:requires"]  # the top "all" is one profile per child
    assert core["ceterms:targetLearningOpportunity"] == [nodes["UT-DA-101"]["@id"]]
    assert electives["ceterms:requiredNumber"] == 2
    assert electives["ceterms:name"] == {"en-US": "Methods electives"}
    assert len(electives["ceterms:targetLearningOpportunity"]) == 3
    assert hours["ceterms:creditValue"][0]["schema:minValue"] == 40
    assert hours["ceterms:creditValue"][0]["ceterms:creditUnitType"][0]["ceterms:targetNode"] == \
        "creditUnit:ClockHour"
    diploma = nodes["UT-DIP-DATA"]
    assert diploma["@type"] == "ceterms:Diploma"
    assert diploma["ceterms:requires"][0]["ceterms:targetCredential"] == [nodes["UT-CERT-DA"]["@id"]]
    assert nodes["AU-AI-ETHICS"]["@type"] == "ceterms:MicroCredential"
    assert len(nodes["UT-CERT-DA"]["ceterms:hasPart"]) == 7


def test_ctids_are_deterministic() -> None:
    assert ctid("A") == ctid("A") != ctid("B")
    assert ctid("A", "provider") != ctid("A")


def test_write_ctdl_is_json(tmp_path: Path, examples_dir: Path) -> None:
    catalog = validate_catalog(examples_dir / "catalog.yaml").catalog
    write_ctdl(catalog, tmp_path / "out.json")
    assert catalog_to_data(catalog_from_ctdl(tmp_path / "out.json").catalog) == catalog_to_data(catalog)


# --------------------------------------------------------------------------- round trips
def test_round_trip_example_catalog(examples_dir: Path) -> None:
    assert_lossless(validate_catalog(examples_dir / "catalog.yaml").catalog)


def test_round_trip_sample_data() -> None:
    if not SAMPLE.is_dir():
        pytest.skip("the sample catalog data/ is not there")
    assert_lossless(validate_catalog(SAMPLE).catalog)


@pytest.mark.parametrize("tree", [
    AllOf((Ref("A"), Ref("B")), "Core"),          # a labelled top all stays one profile
    AllOf((Ref("A"),)),                            # an all of one child
    Ref("A", "Only A"),                            # a labelled leaf
    AnyOf((Ref("A"), Choose(1, (Ref("B"), Ref("A"))))),  # any vs choose 1, a repeated leaf
    AllOf((MinHours(12.5, ("A", "B"), "Hours"), AllOf((Ref("B"), AnyOf((Ref("A"), Ref("C", "c")))),
                                                          "Nested"))),
])
def test_round_trip_trees(tree) -> None:
    courses = {i: Course(i, f"Course {i}", 10.0) for i in "ABC"}
    catalog = Catalog(courses=courses, credentials={"X": Credential("X", "X", "other", tree)})
    back = round_trip(catalog)
    assert back.credentials["X"].requires == tree


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(1, 80), seed=st.integers(0, 10_000))
def test_round_trip_synthetic(n: int, seed: int) -> None:
    assert_lossless(synthetic_catalog(n, seed=seed))
