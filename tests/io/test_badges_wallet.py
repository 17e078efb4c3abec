"""Badges as real wallets hold them (issue 19, point 6): only competency alignments are skills,
CTIDs map, status lists are reported or applied, a course is held once, and a credential that
is not a badge does not stop the batch."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pathways.cli import app
from pathways.domain import Holding, LearnerProfile
from pathways.errors import CatalogError
from pathways.io import load_learner, validate_catalog
from pathways.io.badges import (
    RevocationLists,
    better_holding,
    import_badge_bytes,
    import_badge_files,
    merge_badges,
)
from pathways.io.ctdl import catalog_from_ctdl

from tests.conftest import EXAMPLES, FIXTURES

WALLET = FIXTURES / "badges" / "wallet"
TODAY = dt.date(2026, 6, 1)
ESCO = "esco:2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f"


@pytest.fixture(scope="module")
def catalog():
    return validate_catalog(EXAMPLES / "catalog.yaml").catalog


def _status_list(tmp_path: Path, revoked: set[int], url: str = "https://issuer.example/status/3",
                 purpose: str = "revocation") -> Path:
    """A BitstringStatusListCredential with the bits of ``revoked`` set (bit 0 = the left-most
    bit of the first byte, as the Bitstring Status List spec says)."""
    bits = bytearray(16 * 1024)  # 131,072 entries, the spec's minimum
    for i in revoked:
        bits[i // 8] |= 0x80 >> (i % 8)
    encoded = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits))).decode().rstrip("=")
    path = tmp_path / "status.json"
    path.write_text(json.dumps({
        "@context": ["https://www.w3.org/ns/credentials/v2"], "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": "https://issuer.example/profile", "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": url + "#list", "type": "BitstringStatusList",
                              "statusPurpose": purpose, "encodedList": encoded}}))
    return path


def test_only_competency_alignments_become_skills(catalog) -> None:
    result = import_badge_files([WALLET / "ob3-data-analysis-aligned.json"], catalog, today=TODAY)
    (record,) = result.badges
    assert record.item_id == "UT-DA-101"
    # ESCO by URL; the CASE competency by its name, a skill of the catalog ("statistics")
    assert {s.skill for s in record.skills} == {ESCO, "esco:7ee4c2ea-b349-4bd2-81a3-ec31475d4833"}
    assert "alignments not read as skills (not competencies): EQF level 6 (no targetType), " \
           "Bachelor of Science (degree) (targetType CFItem), Accredited by the Regional " \
           "Commission (targetType CTDL)" in record.message


def test_credential_status_is_reported_when_the_list_is_not_given(catalog) -> None:
    result = import_badge_files([WALLET / "ob3-data-analysis-aligned.json"], catalog, today=TODAY)
    (record,) = result.badges
    assert record.status == "valid" and record.holding is not None
    assert "revocation not checked offline: status list at https://issuer.example/status/3" \
           in record.message


def test_a_status_list_file_revokes_or_clears_the_badge(catalog, tmp_path: Path) -> None:
    revoked = RevocationLists.from_files([_status_list(tmp_path, {5})])
    (record,) = import_badge_files([WALLET / "ob3-data-analysis-aligned.json"], catalog,
                                   today=TODAY, revocations=revoked).badges
    assert record.status == "revoked" and record.holding is None
    assert "revoked in the status list (index 5)" in record.message
    clear = RevocationLists.from_files([_status_list(tmp_path, {4, 6})])
    (record,) = import_badge_files([WALLET / "ob3-data-analysis-aligned.json"], catalog,
                                   today=TODAY, revocations=clear).badges
    assert record.status == "valid" and "status checked: not revoked" in record.message


def test_an_ob2_revocation_list_applies_to_its_issuers_assertions(catalog) -> None:
    lists = RevocationLists.from_files([WALLET / "ob2-revocation-list.json"])
    (record,) = import_badge_files([WALLET / "ob2-revocation-list-entry.json"], catalog,
                                   today=TODAY, revocations=lists).badges
    assert record.status == "revoked" and "Issued in error" in record.message
    (unchecked,) = import_badge_files([WALLET / "ob2-revocation-list-entry.json"], catalog,
                                      today=TODAY).badges
    assert unchecked.status == "valid"
    assert "revocation not checked offline: status list at https://issuer.example/revocations" \
           in unchecked.message


def test_a_file_that_is_no_list_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="not a status or revocation list"):
        RevocationLists.from_files([WALLET / "endorsement.json"])
    bomb = tmp_path / "bomb.json"
    big = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(40 * 1024 * 1024))).decode()
    bomb.write_text(json.dumps({"id": "x", "type": ["BitstringStatusListCredential"],
                                "credentialSubject": {"encodedList": big}}))
    with pytest.raises(CatalogError, match="decompresses to more than"):
        RevocationLists.from_files([bomb])


def test_one_holding_per_course_the_valid_one_kept(catalog) -> None:
    result = import_badge_files([WALLET / "ob3-data-analysis-aligned.json",
                                 WALLET / "ob3-data-analysis-expired.json"], catalog, today=TODAY)
    assert [(h.id, h.date) for h in result.holdings] == [("UT-DA-101", dt.date(2025, 6, 15))]
    (said,) = [m for m in result.messages if "is held once" in m]
    assert said.startswith("ob3-data-analysis-expired.json: course UT-DA-101 is held once")
    # the same, in the other order
    result = import_badge_files([WALLET / "ob3-data-analysis-expired.json",
                                 WALLET / "ob3-data-analysis-aligned.json"], catalog, today=TODAY)
    assert [h.date for h in result.holdings] == [dt.date(2025, 6, 15)]


def test_merging_keeps_the_profiles_valid_holding_over_an_expired_badge() -> None:
    valid = Holding("course", "A", dt.date(2024, 1, 1), dt.date(2028, 1, 1))
    expired = Holding("course", "A", dt.date(2019, 1, 1), dt.date(2021, 1, 1))
    replaced: list = []
    merged, added, _ = merge_badges(LearnerProfile("me", completed=(valid,)), [expired], [],
                                    today=TODAY, replaced=replaced)
    assert merged.completed == (valid,) and added == [] and replaced == [(expired, valid)]
    merged, added, _ = merge_badges(LearnerProfile("me", completed=(expired,)), [valid], [],
                                    today=TODAY, replaced=replaced)
    assert merged.completed == (valid,) and added == [valid]
    assert better_holding(valid, Holding("course", "A", dt.date(2025, 1, 1)), TODAY).expires is None


def test_a_non_badge_credential_is_skipped_and_the_batch_goes_on(catalog) -> None:
    result = import_badge_files([WALLET / "endorsement.json",
                                 WALLET / "ob3-data-analysis-aligned.json"], catalog, today=TODAY)
    assert [b.status for b in result.badges] == ["skipped", "valid"]
    assert result.problems == [] and len(result.holdings) == 1
    assert result.badges[0].message == ("endorsement.json: skipped: EndorsementCredential: a "
                                        "verifiable credential that is not a badge (no achievement)")


def test_a_badge_aligned_to_a_registry_resource_maps_by_its_ctid() -> None:
    catalog = catalog_from_ctdl([FIXTURES / "ctdl" / "registry"]).catalog
    assert "STAT-102" in catalog.courses  # the id is the codedNotation; the CTID is an alias
    result = import_badge_files([WALLET / "ob3-registry-ctid.json"], catalog, today=TODAY)
    (record,) = result.badges
    assert record.item_id == "STAT-102" and record.match == "alignment targetUrl = CTID"


def test_uploaded_bytes_read_like_files(catalog) -> None:
    files = [WALLET / "ob3-data-analysis-aligned.json", WALLET / "endorsement.json"]
    from_bytes = import_badge_bytes([(f.name, f.read_bytes()) for f in files], catalog, today=TODAY)
    from_files = import_badge_files(files, catalog, today=TODAY)
    assert from_bytes.holdings[0].id == from_files.holdings[0].id
    assert [b.status for b in from_bytes.badges] == [b.status for b in from_files.badges]


# --------------------------------------------------------------------------- the CLI
runner = CliRunner()
CATALOG = ("--catalog", str(EXAMPLES / "catalog.yaml"))


def test_cli_badges_import_with_a_revocation_list_and_a_did_key_issuer(tmp_path: Path) -> None:
    profile = Path(shutil.copy(EXAMPLES / "learner-priya.yaml", tmp_path / "priya.yaml"))
    out = tmp_path / "out.yaml"
    status = _status_list(tmp_path, {5})
    result = runner.invoke(app, ["badges", "import", str(WALLET / "ob3-data-analysis-aligned.json"),
                                 str(WALLET / "endorsement.json"),
                                 str(WALLET / "ob3-registry-ctid.json"), "--learner", str(profile),
                                 "--out", str(out), *CATALOG, "--today", "2026-06-01",
                                 "--revocation-list", str(status)])
    assert result.exit_code == 0, result.output
    assert "revoked (revoked in the status list (index 5)" in result.output
    assert "endorsement.json: skipped" in result.output
    assert "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK" in result.output
    assert "\N{KEY}" not in result.output
    result = runner.invoke(app, ["badges", "import", str(WALLET / "endorsement.json"),
                                 "--learner", str(profile), "--out", str(out), *CATALOG,
                                 "--revocation-list", str(WALLET / "endorsement.json")])
    assert result.exit_code == 1 and "not a status or revocation list" in result.output


def test_cli_plan_and_audit_report_the_profiles_badges(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    shutil.copy(WALLET / "ob3-data-analysis-aligned.json", tmp_path / "b" / "da.json")
    profile = tmp_path / "p.yaml"
    profile.write_text("learner:\n  id: p\n  goals: {credentials: [UT-CERT-DA]}\n"
                       "  badges: [b/da.json]\n")
    person = load_learner(profile, validate_catalog(EXAMPLES / "catalog.yaml").catalog)
    assert [h.id for h in person.completed] == ["UT-DA-101"]  # applied
    for command in ("plan", "audit"):
        result = runner.invoke(app, [command, "--learner", str(profile), *CATALOG])
        assert result.exit_code in (0, 2), result.output
        assert "note: p.yaml: da.json: OB 3.0 'Data Analysis with Python'" in result.output, command
