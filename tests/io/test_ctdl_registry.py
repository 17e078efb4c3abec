"""CTDL as the Credential Registry publishes it (issue 19): several files and directories read
together, envelopes, compacted and expanded JSON-LD, records the input lacks, pathways with
k-of-n conditions, and hours from credits and durations through an explicit conversion."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from pathways.domain import Choose, Holding, LearnerProfile, Ref
from pathways.errors import CatalogError, InvalidParameterError
from pathways.io import catalog_from_data, catalog_to_data
from pathways.io.ctdl import (
    CREDIT_UNIT_HOURS,
    CtdlOptions,
    catalog_from_ctdl,
    catalog_from_ctdl_bytes,
    catalog_to_ctdl,
    import_ctdl,
)
from pathways.planner import plan

from tests.conftest import FIXTURES

CTDL = FIXTURES / "ctdl"
REGISTRY = CTDL / "registry"
DEGREE = "ce-7a000000-0000-4000-8000-0000000000d1"
MISSING = "https://credentialengineregistry.org/resources/ce-7b000000-0000-4000-8000-000000000199"


def _import(*sources: Path, options: CtdlOptions | None = None) -> tuple[dict, list[str]]:
    messages: list[str] = []
    return import_ctdl(list(sources), messages=messages, options=options), messages


def _by_id(table: list[dict]) -> dict[str, dict]:
    return {entry["id"]: entry for entry in table}


# --------------------------------------------------------------------------- point 1
def test_a_registry_credential_and_its_course_records_import_together() -> None:
    data, messages = _import(REGISTRY)  # a directory: envelope, search result, expanded JSON-LD
    degree = _by_id(data["credentials"])[DEGREE]
    assert degree["level"] == "degree"
    assert degree["requires"] == {"all": ["DATA-101", "STAT-102", "DATA-103", "DATA-104",
                                          "ce-7b000000-0000-4000-8000-000000000199"]}
    courses = _by_id(data["courses"])
    assert courses["DATA-104"]["title"] == "Research Project"  # from expanded JSON-LD (graph/ IRI)
    assert courses["DATA-101"]["hours"] == 45
    # the record the requirement names but no file holds: kept, visible, and said
    missing = courses["ce-7b000000-0000-4000-8000-000000000199"]
    assert missing["hours_stated"] is False and missing["details"]["external"] == [MISSING]
    assert missing["title"] == f"Not in the import: {MISSING}"
    said = [m for m in messages if m.startswith(f"credential {DEGREE}: 1 required record(s) not in "
                                                "the input")]
    assert len(said) == 1 and MISSING in said[0]


def test_the_same_files_given_one_by_one_or_as_bytes_give_the_same_catalog() -> None:
    files = sorted(REGISTRY.iterdir())
    from_dir, _ = _import(REGISTRY)
    from_files, _ = _import(*files)
    assert from_files == from_dir
    report = catalog_from_ctdl_bytes([(f.name, f.read_bytes()) for f in files])
    assert catalog_to_data(report.catalog) == catalog_to_data(catalog_from_data(from_dir).catalog)


def _zip(members: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_of_the_files_gives_the_same_catalog(tmp_path: Path) -> None:
    files = sorted(REGISTRY.iterdir())
    from_dir, _ = _import(REGISTRY)
    data = _zip({f"export/{f.name}": f.read_bytes() for f in files}
                | {"export/README.txt": b"not read", "../evil.json": b"{oops"})
    uploaded = catalog_from_ctdl_bytes([("registry.zip", data)])
    assert catalog_to_data(uploaded.catalog) == catalog_to_data(catalog_from_data(from_dir).catalog)
    (tmp_path / "registry.zip").write_bytes(data)  # the CLI's path: a .zip file given by name
    from_zip, _ = _import(tmp_path / "registry.zip")
    assert from_zip == from_dir


def test_a_zip_member_that_is_not_json_is_named_and_an_empty_zip_is_refused() -> None:
    bad = _zip({"a/good.json": (REGISTRY / sorted(p.name for p in REGISTRY.iterdir())[0]).read_bytes(),
                "a/bad.jsonld": b"{oops"})
    with pytest.raises(CatalogError, match=r"x\.zip:a/bad\.jsonld.*not valid JSON"):
        catalog_from_ctdl_bytes([("x.zip", bad)])
    with pytest.raises(CatalogError, match="the archive holds no CTDL files"):
        catalog_from_ctdl_bytes([("y.zip", _zip({"notes.txt": b"hello"}))])
    with pytest.raises(CatalogError, match="not a zip archive"):
        catalog_from_ctdl_bytes([("z.zip", b"PK but not really")])


def test_one_file_alone_keeps_the_credential_with_every_course_external() -> None:
    messages: list[str] = []
    report = catalog_from_ctdl(REGISTRY / "degree-envelope.json", messages=messages)
    degree = report.catalog.credentials[DEGREE]
    placeholders = [report.catalog.courses[r.id] for r in degree.requires.children]  # type: ignore[union-attr]
    assert len(placeholders) == 5 and not any(c.hours_stated for c in placeholders)
    assert any("5 required record(s) not in the input" in m for m in messages)
    warned = [w.message for w in report.warnings if "hours not stated" in w.message]
    assert len(warned) == 5


def test_planning_toward_a_credential_with_missing_records_names_them() -> None:
    catalog = catalog_from_ctdl([REGISTRY]).catalog
    me = LearnerProfile("me", completed=(Holding("course", "DATA-101", dt.date(2024, 1, 10)),))
    result = plan(catalog, me, [DEGREE])
    assert result.feasible
    titles = {c.id: c.title for c in result.courses}
    assert titles["ce-7b000000-0000-4000-8000-000000000199"] == f"Not in the import: {MISSING}"


def test_a_graph_split_over_files_resolves_by_ctid_across_bases() -> None:
    data, messages = _import(CTDL / "split" / "credential.json", CTDL / "split" / "courses.json")
    assert _by_id(data["credentials"])["SM-MC"]["requires"] == {"any": ["SM-1", "SM-2"]}
    assert not any("not in the input" in m for m in messages)
    alone, messages = _import(CTDL / "split" / "credential.json")
    assert len(alone["courses"]) == 2 and all(not c.get("hours_stated", True) for c in alone["courses"])


def test_compacted_and_expanded_json_ld_read_alike() -> None:
    compact = {"@context": "https://credreg.net/ctdl/schema/context/json", "@graph": [
        {"@id": "https://example.org/c/1", "@type": "ceterms:Course", "ceterms:codedNotation": "C1",
         "ceterms:name": {"en-US": "One"}, "ceterms:estimatedDuration": [
             {"@type": "ceterms:DurationProfile", "ceterms:exactDuration": "PT10H"}]},
        {"@id": "https://example.org/b/1", "@type": "ceterms:Badge", "ceterms:codedNotation": "B1",
         "ceterms:name": {"en-US": "Badge"}, "ceterms:requires": {
             "@type": "ceterms:ConditionProfile", "ceterms:targetLearningOpportunity": "https://example.org/c/1"}}]}
    from pyld import jsonld

    from pathways.io.ctdl._context import READ_CONTEXT

    expanded = jsonld.expand({**compact, "@context": READ_CONTEXT}, {"base": None})
    assert "https://purl.org/ctdl/terms/name" in expanded[0] or "https://purl.org/ctdl/terms/name" in expanded[1]
    assert import_ctdl(expanded) == import_ctdl(compact)
    assert import_ctdl(compact)["credentials"][0]["requires"] == "C1"


# --------------------------------------------------------------------------- point 2
def test_linked_only_organisations_become_providers_and_the_catalog_validates() -> None:
    messages: list[str] = []
    report = catalog_from_ctdl([REGISTRY], messages=messages)
    providers = report.catalog.providers
    owner = "ce-7a000000-0000-4000-8000-0000000000a1"
    assert owner in providers and "only linked" in providers[owner].name
    assert report.catalog.credentials[DEGREE].provider == owner
    assert "regional-accreditation-commission" in providers  # the QA body described
    assert any(m.startswith("provider https://credentialengineregistry.org/resources/" + owner)
               for m in messages)


def test_nothing_to_import_is_an_error_not_an_empty_catalog(tmp_path: Path) -> None:
    orgs = {"@graph": [{"@id": "x:o", "@type": "ceterms:CredentialOrganization",
                        "ceterms:name": "Org"}]}
    with pytest.raises(CatalogError, match="nothing to import"):
        import_ctdl(orgs)
    (tmp_path / "empty").mkdir()
    with pytest.raises(CatalogError, match="no CTDL files"):
        import_ctdl(tmp_path / "empty")
    envelope = {"envelope_id": "e", "envelope_type": "resource_data", "resource": "not.a.jwt"}
    with pytest.raises(CatalogError, match="nothing to import"):
        import_ctdl(envelope)


def test_a_credential_without_requirements_named_by_another_stays_as_an_external_item() -> None:
    doc = {"@graph": [
        {"@id": "x:inner", "@type": "ceterms:Certificate", "ceterms:codedNotation": "INNER",
         "ceterms:name": "Inner"},
        {"@id": "x:outer", "@type": "ceterms:Diploma", "ceterms:codedNotation": "OUTER",
         "ceterms:name": "Outer", "ceterms:requires": {"@type": "ceterms:ConditionProfile",
                                                       "ceterms:targetCredential": "x:inner"}}]}
    messages: list[str] = []
    report = catalog_from_ctdl(doc, messages=messages)
    assert report.catalog.credentials["OUTER"].requires == Ref("INNER")
    assert report.catalog.courses["INNER"].hours_stated is False
    assert any("credential INNER (Inner): no requirements in the input; kept as an external item"
               in m for m in messages)


def test_an_envelope_with_only_its_signed_resource_is_read_with_a_note() -> None:
    import base64

    inner = {"@context": "https://credreg.net/ctdl/schema/context/json", "@id": "x:c",
             "@type": "ceterms:Course", "ceterms:name": {"en-US": "Signed"},
             "ceterms:estimatedDuration": {"@type": "ceterms:DurationProfile",
                                           "ceterms:exactDuration": "PT3H"}}
    payload = base64.urlsafe_b64encode(json.dumps(inner).encode()).decode().rstrip("=")
    messages: list[str] = []
    data = import_ctdl([{"envelope_id": "e1", "envelope_type": "resource_data",
                         "resource": f"eyJhbGciOiJSUzI1NiJ9.{payload}.sig"}], messages=messages)
    assert data["courses"] == [{"id": "x:c", "title": "Signed", "hours": 3}]  # @id = id: no alias
    assert any("signature is not checked" in m for m in messages)


def test_an_unknown_remote_context_is_not_fetched() -> None:
    doc = {"@context": "https://example.org/never-fetched/context.jsonld", "@id": "x:c",
           "@type": "ceterms:Course", "ceterms:name": "Offline", "ceterms:codedNotation": "OFF"}
    messages: list[str] = []
    data = import_ctdl(doc, messages=messages)
    assert data["courses"][0]["id"] == "OFF"
    assert any("is not fetched" in m for m in messages)


# --------------------------------------------------------------------------- point 3
def test_pathway_destination_without_proxy_and_k_of_n_intermediate() -> None:
    messages: list[str] = []
    report = catalog_from_ctdl(CTDL / "pathway-k-of-n.json", messages=messages)
    creds = report.catalog.credentials
    assert set(creds) == {"NET-DIP", "NET-CERT"}  # the destination has no proxyFor: made
    assert creds["NET-DIP"].level == "diploma"
    cert = creds["NET-CERT"].requires  # proxyFor written as [{"@id": ...}]
    assert isinstance(cert, Choose) and cert.k == 3 and cert.label == "Three of four"
    assert [c.id for c in cert.children] == ["NET-110", "NET-120", "NET-130", "NET-140"]
    # precedes (Cabling before Switching) is a suggested order in CTDL: kept, not a prerequisite
    switching = report.catalog.courses["NET-120"]
    assert switching.prerequisites is None
    assert dict(switching.details)["suggested_after"] == ("NET-110",)
    assert any("1 suggested order(s) (ceterms:precedes)" in m for m in messages)
    # a component made into a course from its own credit value (contact hours)
    assert report.catalog.courses["NET-140"].hours == 30
    # the capstone's proxyFor is not in the file: an external placeholder, named after it
    cap = report.catalog.courses["https://example.org/pw/res/cap"]
    assert cap.title == "Capstone (not in the import: https://example.org/pw/res/cap)"


def test_a_component_prerequisite_is_a_required_order() -> None:
    doc = json.loads((CTDL / "pathway-k-of-n.json").read_text())
    for node in doc["@graph"]:
        if node["@id"] == "https://example.org/pw/n3":  # Routing needs Switching
            node["ceterms:prerequisite"] = ["https://example.org/pw/n2"]
    courses = catalog_from_ctdl(doc).catalog.courses
    assert courses["NET-130"].prerequisites == Ref("NET-120")
    assert courses["NET-120"].prerequisites is None  # still only suggested after NET-110


def test_pathway_round_trip_export_then_import_keeps_everything() -> None:
    catalog = catalog_from_ctdl(CTDL / "pathway-k-of-n.json").catalog
    messages: list[str] = []
    back = catalog_from_data(import_ctdl(json.loads(json.dumps(catalog_to_ctdl(catalog))),
                                         messages=messages)).catalog
    assert messages == []
    assert catalog_to_data(back) == catalog_to_data(catalog)


def test_registry_import_round_trips_with_details_and_placeholders() -> None:
    catalog = catalog_from_ctdl([REGISTRY]).catalog
    back = catalog_from_data(import_ctdl(json.loads(json.dumps(catalog_to_ctdl(catalog))))).catalog
    assert catalog_to_data(back) == catalog_to_data(catalog)
    assert back.credentials[DEGREE].details == catalog.credentials[DEGREE].details != ()


# --------------------------------------------------------------------------- point 4
def test_hours_from_credits_and_durations_follow_the_options() -> None:
    default, messages = _import(REGISTRY)
    courses = _by_id(default["courses"])
    assert courses["STAT-102"]["hours"] == 3 * CREDIT_UNIT_HOURS["semesterhour"] == 45
    assert courses["STAT-102"]["details"]["hours"] == ["45 h converted from 3 SemesterHour x 15 h"]
    assert courses["DATA-103"]["hours_stated"] is False  # P8W: calendar time, not converted
    assert courses["DATA-104"]["hours_stated"] is False  # DegreeCredit has no size in hours
    assert any("course DATA-103: the duration P8W is calendar time" in m for m in messages)
    options = CtdlOptions(hours_per_credit={"SemesterHour": 45, "degree credit": 15},
                          hours_per_week=6)
    converted = _by_id(_import(REGISTRY, options=options)[0]["courses"])
    assert converted["STAT-102"]["hours"] == 135
    assert converted["DATA-104"]["hours"] == 90 and "hours_stated" not in converted["DATA-104"]
    assert converted["DATA-103"]["hours"] == 48
    assert converted["DATA-103"]["details"]["hours"] == ["48 h converted from P8W at 6 h a week"]


@pytest.mark.parametrize("kwargs", [{"hours_per_week": 0}, {"hours_per_week": float("nan")},
                                    {"hours_per_credit": {"ECTS": -1}},
                                    {"hours_per_credit": {"": 3}}])
def test_bad_conversion_options_are_refused(kwargs) -> None:
    with pytest.raises(InvalidParameterError):
        CtdlOptions(**kwargs)


def test_months_and_years_convert_with_hours_per_week() -> None:
    doc = {"@graph": [{"@id": "x:c", "@type": "ceterms:Course", "ceterms:codedNotation": "C",
                       "ceterms:estimatedDuration": {"@type": "ceterms:DurationProfile",
                                                     "ceterms:exactDuration": "P9M"}}]}
    (course,) = import_ctdl(doc, options=CtdlOptions(hours_per_week=10))["courses"]
    assert course["hours"] == pytest.approx(9 * 52 / 12 * 10)


# --------------------------------------------------------------------------- point 5
def test_what_the_records_say_is_kept_in_details_and_the_rest_listed() -> None:
    data, messages = _import(REGISTRY)
    details = _by_id(data["credentials"])[DEGREE]["details"]
    assert details["renewal"] == ["Not renewable: awarded once."]
    assert details["recommended"] == ["Secondary-school algebra."]
    assert details["occupations"] == ["Data Scientists (15-2051.00)"]
    assert details["delivery"] == ["Blended Delivery", "Lecture (learning delivery)"]
    assert "Tuition: 27000 USD" in details["costs"] and "Application: 60 USD" in details["costs"]
    assert details["duration"] == ["P3Y"]
    assert _by_id(data["courses"])["DATA-101"]["details"] == {
        "corequisites": ["items: STAT-102"],
        "aliases": ["ce-7b000000-0000-4000-8000-000000000101",  # the CTID and @id: badges map
                    "https://credentialengineregistry.org/resources/ce-7b000000-0000-4000-8000-000000000101"]}
    (dropped,) = [m for m in messages if m.startswith("not kept")]
    assert "ceterms:keyword (1)" in dropped and "ceterms:accreditedBy (1)" in dropped


def test_a_copy_of_the_registry_folder_in_a_subfolder_is_read_recursively(tmp_path: Path) -> None:
    shutil.copytree(REGISTRY, tmp_path / "a" / "b")
    (tmp_path / "a" / ".hidden.json").write_text("{not json")  # hidden files are not read
    data, _ = _import(tmp_path / "a")
    assert DEGREE in _by_id(data["credentials"])
