"""Open Badges import (2.0, 3.0, baked PNG and SVG, JWS) and OB 3.0 achievement export."""

from __future__ import annotations

import base64
import datetime as dt
import json
import shutil
import struct
import textwrap
import zlib
from pathlib import Path

import pytest

from pathways.domain import Catalog, Holding, SkillLevel
from pathways.errors import CatalogError
from pathways.io import catalog_from_data, catalog_to_data, load_catalog, load_learner
from pathways.io.badges import (
    achievement_id,
    export_achievement,
    extract_baked,
    import_badge_files,
    read_badge,
)

from tests.conftest import EXAMPLES, FIXTURES

BADGES = FIXTURES / "badges"
TODAY = dt.date(2026, 6, 1)
ETHICS = "esco:cef5c0f8-1e40-4c09-b6a7-aa7811849e5d"
PYTHON = "esco:ccd0a1d9-afda-43d9-b901-96344886e14d"
ANALYSIS = "esco:2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f"
REPORTS = "esco:d0f2f8a7-d935-4a6d-8e54-dcc3e5e2cbeb"
COMMUNICATION = "esco:15d76317-c71a-4fa2-aadc-2ecc34e627b7"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(EXAMPLES / "catalog.yaml")


def one(path: Path, catalog: Catalog):
    result = import_badge_files([path], catalog, today=TODAY)
    assert len(result.badges) == len(result.messages) == 1
    return result.badges[0], result


# --------------------------------------------------------------------------- JSON badges
@pytest.mark.parametrize(("name", "status", "item", "confidence", "how", "issued", "expires"), [
    ("ob2-ai-ethics-expired.json", "expired", ("course", "AU-AIE-1"), "high", "name",
     dt.date(2022, 3, 1), dt.date(2025, 3, 1)),
    ("ob3-data-analysis.json", "valid", ("course", "UT-DA-101"), "explicit",
     "alignment targetCode", dt.date(2025, 6, 15), dt.date(2030, 6, 15)),
    ("ob3-vc11-sql.json", "valid", ("course", "UT-SQL-1"), "high", "name",
     dt.date(2024, 4, 30), dt.date(2029, 4, 30)),
    ("ob3-fuzzy-visualisation.json", "valid", ("course", "UT-VIZ-1"), "medium", "similar name",
     dt.date(2025, 1, 20), None),
    ("ob3-credential-by-pathways-id.json", "valid", ("credential", "DAL-COM-MC"), "explicit",
     "achievement id = pathways id", dt.date(2025, 2, 14), None),
])
def test_mapped_badges_become_holdings(catalog, name, status, item, confidence, how, issued,
                                       expires) -> None:
    badge, result = one(BADGES / name, catalog)
    assert (badge.status, badge.kind, badge.item_id, badge.confidence) == (status, *item, confidence)
    assert badge.match == how
    assert result.holdings == [Holding(item[0], item[1], issued, expires, str(BADGES / name))]
    assert f"-> {item[0]} {item[1]} by {how}" in badge.message
    assert badge.verified is False and "read, not verified" in badge.message


def test_expired_badge_is_kept_with_its_expiry_and_says_so(catalog) -> None:
    badge, result = one(BADGES / "ob2-ai-ethics-expired.json", catalog)
    assert result.holdings[0].expires == dt.date(2025, 3, 1)
    assert "expired 2025-03-01 (kept as an expired holding)" in badge.message
    assert "hosted badge" in badge.verification
    # the ESCO alignment becomes a skill at the level the course teaches
    assert result.skills == [SkillLevel(ETHICS, 2)]


def test_badge_expiry_overrides_badge_valid_months(catalog) -> None:
    # AU-AIE-1 has badge_valid_months: 36 (expiry 2025-03-01 by the catalog); the badge's own
    # expires wins whatever it says.
    data = json.loads((BADGES / "ob2-ai-ethics-expired.json").read_text())
    data["expires"] = "2030-01-31T00:00:00Z"
    path = BADGES.parent / "_tmp_override.json"
    try:
        path.write_text(json.dumps(data))
        badge, result = one(path, catalog)
    finally:
        path.unlink()
    assert badge.status == "valid" and result.holdings[0].expires == dt.date(2030, 1, 31)


def test_alignments_become_skills_with_stated_or_taught_levels(catalog) -> None:
    result = import_badge_files([BADGES / "ob3-data-analysis.json",
                                 BADGES / "ob3-fuzzy-visualisation.json"], catalog, today=TODAY)
    # UT-DA-101 teaches python at level 3 and analysis at 2; the visualisation badge states
    # level 3 in its alignment, which wins over the course's level 2. The alignment that names
    # the course itself (targetCode UT-DA-101) is not a skill.
    assert result.skills == [SkillLevel(PYTHON, 3), SkillLevel(ANALYSIS, 2), SkillLevel(REPORTS, 3)]


def test_unknown_achievement_is_reported_not_dropped(catalog) -> None:
    badge, result = one(BADGES / "ob3-unknown-achievement.json", catalog)
    assert badge.status == "valid" and badge.kind is None and badge.holding is None
    assert result.holdings == []
    assert "unmapped" in badge.message and "Sea Kayaking Level 1" in badge.message
    assert "set badge_id: https://badges.example.org/achievements/sea-kayak-1" in badge.message
    assert result.skills == [SkillLevel(COMMUNICATION, 1)]  # its skills still count


def test_not_yet_valid_badge_is_not_added(catalog) -> None:
    badge, result = one(BADGES / "ob3-not-yet-valid.json", catalog)
    assert badge.status == "not-yet-valid" and result.holdings == [] and result.skills == []
    assert "not yet valid (valid from 2031-01-01)" in badge.message


def test_revoked_badge_is_not_added(catalog) -> None:
    badge, result = one(BADGES / "ob2-revoked.json", catalog)
    assert badge.status == "revoked" and result.holdings == []
    assert "revoked (issued in error)" in badge.message


@pytest.mark.parametrize(("name", "expected"), [
    ("ob2-malformed.json", "not valid JSON (line 5, column 3: Expecting ',' delimiter)"),
    ("ob2-missing-issuedon.json", "an OB 2.0 assertion without issuedOn (required)"),
    ("ob3-missing-achievement.json",
     "an OB 3.0 credential without credentialSubject.achievement (required)"),
])
def test_malformed_badges_are_reported_clearly(catalog, name, expected) -> None:
    badge, result = one(BADGES / name, catalog)
    assert badge.status == "malformed" and result.problems == [badge]
    assert badge.message.startswith(f"{name}: ") and expected in badge.message
    assert badge.message.endswith("not imported")


def test_badge_class_url_maps_through_badge_id(catalog) -> None:
    badge, _ = one(BADGES / "ob2-badge-url-only.json", catalog)
    assert badge.kind is None and "not fetched offline" in badge.message
    data = catalog_to_data(catalog)
    for course in data["courses"]:
        if course["id"] == "UT-SQL-1":
            course["badge_id"] = "https://badges.example.org/badgeclasses/sql-for-analysts"
    with_id = catalog_from_data(data).catalog
    badge, result = one(BADGES / "ob2-badge-url-only.json", with_id)
    assert (badge.kind, badge.item_id, badge.confidence, badge.match) == (
        "course", "UT-SQL-1", "explicit", "badge class id = badge_id")
    assert result.holdings[0].date == dt.date(2024, 11, 20)


def test_equal_titles_are_told_apart_by_issuer_or_left_unmapped(tmp_path: Path) -> None:
    data = {"providers": [{"id": "a", "name": "Alpha College"}, {"id": "b", "name": "Beta U"}],
            "courses": [{"id": "A-1", "title": "Intro to SQL", "hours": 10, "provider": "a"},
                        {"id": "B-1", "title": "Intro to SQL", "hours": 12, "provider": "b"}]}
    cat = catalog_from_data(data).catalog
    credential = {"type": ["VerifiableCredential", "OpenBadgeCredential"], "validFrom": "2024-01-01",
                  "issuer": {"id": "https://x.example", "name": "Beta U"},
                  "credentialSubject": {"achievement": {"id": "https://x.example/a",
                                                        "name": "Intro to SQL"}}}
    path = tmp_path / "b.json"
    path.write_text(json.dumps(credential))
    badge = import_badge_files([path], cat, today=TODAY).badges[0]
    assert (badge.item_id, badge.confidence) == ("B-1", "high")
    credential["issuer"]["name"] = "Gamma Institute"
    path.write_text(json.dumps(credential))
    badge = import_badge_files([path], cat, today=TODAY).badges[0]
    assert badge.item_id is None and "matches several items (A-1, B-1)" in badge.message


def test_missing_and_binary_files_are_unreadable(tmp_path: Path, catalog) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)))
    result = import_badge_files([tmp_path / "nope.json", junk], catalog, today=TODAY)
    assert [b.status for b in result.badges] == ["unreadable", "unreadable"]
    assert "cannot read the file" in result.messages[0]
    assert "neither UTF-8 text nor a PNG or SVG image" in result.messages[1]


def test_a_badge_definition_is_not_a_holding(tmp_path: Path, catalog) -> None:
    path = tmp_path / "class.json"
    path.write_text(json.dumps({"@context": "https://w3id.org/openbadges/v2", "type": "BadgeClass",
                                "id": "https://x.example/b", "name": "Applied Statistics I"}))
    badge, _ = one(path, catalog)
    assert badge.status == "malformed" and "a badge definition, not a badge awarded" in badge.message
    with pytest.raises(CatalogError, match="badge definition"):
        read_badge(path)


# --------------------------------------------------------------------------- JWS and baked images
def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jws(payload: dict) -> str:
    header = _b64(json.dumps({"alg": "EdDSA", "typ": "JWT"}).encode())
    return f"{header}.{_b64(json.dumps(payload).encode())}.{_b64(b'not-a-real-signature')}"


def test_vc_jwt_is_read_but_not_verified(tmp_path: Path, catalog) -> None:
    credential = json.loads((BADGES / "ob3-vc11-sql.json").read_text())
    path = tmp_path / "sql.jwt"
    path.write_text(jws(credential))
    badge, _ = one(path, catalog)
    assert (badge.item_id, badge.version) == ("UT-SQL-1", "OB 3.0")
    assert "VC-JWT: the signature was not checked" in badge.message and not badge.verified
    # the VC 1.1 JWT style: the credential under "vc", dates in nbf / exp
    del credential["issuanceDate"], credential["expirationDate"]
    nbf = int(dt.datetime(2024, 4, 30, tzinfo=dt.UTC).timestamp())
    exp = int(dt.datetime(2027, 4, 30, tzinfo=dt.UTC).timestamp())
    path.write_text(jws({"vc": credential, "nbf": nbf, "exp": exp, "iss": "https://x.example"}))
    badge, _ = one(path, catalog)
    assert (badge.issued, badge.expires) == (dt.date(2024, 4, 30), dt.date(2027, 4, 30))


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(
        ">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def bake_png(text: str, keyword: str, *, compressed: bool = False) -> bytes:
    """A 1x1 PNG with the badge in an iTXt chunk, as the baking specifications describe."""
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    payload = zlib.compress(text.encode()) if compressed else text.encode()
    itxt = keyword.encode() + b"\0" + bytes([int(compressed), 0]) + b"\0" + b"\0" + payload
    idat = zlib.compress(b"\0\0")
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"iTXt", itxt)
            + _chunk(b"IDAT", idat) + _chunk(b"IEND", b""))


@pytest.mark.parametrize(("fixture", "keyword", "compressed", "item"), [
    ("ob2-ai-ethics-expired.json", "openbadges", False, "AU-AIE-1"),
    ("ob3-data-analysis.json", "openbadgecredential", False, "UT-DA-101"),
    ("ob3-vc11-sql.json", "openbadgecredential", True, "UT-SQL-1"),
])
def test_baked_png(tmp_path: Path, catalog, fixture, keyword, compressed, item) -> None:
    path = tmp_path / "badge.png"
    path.write_bytes(bake_png((BADGES / fixture).read_text(), keyword, compressed=compressed))
    badge, result = one(path, catalog)
    assert badge.item_id == item and result.holdings[0].source == str(path)


def test_png_without_a_badge_or_with_a_bad_chunk(tmp_path: Path, catalog) -> None:
    png = bake_png("{}", "Comment")
    path = tmp_path / "plain.png"
    path.write_bytes(png)
    badge, _ = one(path, catalog)
    assert badge.status == "malformed" and "PNG image without a baked badge" in badge.message
    broken = bytearray(bake_png((BADGES / "ob3-vc11-sql.json").read_text(), "openbadgecredential"))
    broken[60] ^= 0xFF  # inside the iTXt text: the CRC no longer matches
    path.write_bytes(bytes(broken))
    badge, _ = one(path, catalog)
    assert "corrupt PNG iTXt chunk (CRC mismatch)" in badge.message


def test_baked_svg_ob3_and_ob2(tmp_path: Path, catalog) -> None:
    credential = (BADGES / "ob3-data-analysis.json").read_text()
    svg3 = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<svg xmlns="http://www.w3.org/2000/svg" '
            'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0" viewBox="0 0 512 512">\n'
            f"  <openbadges:credential><![CDATA[{credential}]]></openbadges:credential>\n"
            '  <circle cx="256" cy="256" r="200"/>\n</svg>\n')
    path = tmp_path / "b3.svg"
    path.write_text(svg3)
    assert one(path, catalog)[0].item_id == "UT-DA-101"
    assertion = (BADGES / "ob2-ai-ethics-expired.json").read_text()
    svg2 = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
            '<openbadges:assertion verify="https://badges.example.org/assertions/aie-1/5f1c0e">'
            f"<![CDATA[{assertion}]]></openbadges:assertion></svg>")
    path.write_text(svg2)
    badge, _ = one(path, catalog)
    assert (badge.item_id, badge.version, badge.status) == ("AU-AIE-1", "OB 2.0", "expired")
    # a VC-JWT in the verify attribute, no body
    token = jws(json.loads((BADGES / "ob3-vc11-sql.json").read_text()))
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges='
                    f'"https://purl.imsglobal.org/ob/v3p0"><openbadges:credential verify="{token}"/></svg>')
    assert one(path, catalog)[0].item_id == "UT-SQL-1"


def test_svg_refusals(tmp_path: Path, catalog) -> None:
    path = tmp_path / "bomb.svg"
    path.write_text('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>')
    assert "entity declarations" in one(path, catalog)[0].message
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>')
    assert "SVG image without a baked badge" in one(path, catalog)[0].message
    with pytest.raises(CatalogError, match="without a baked badge"):
        extract_baked(path.read_bytes(), source=str(path))


# --------------------------------------------------------------------------- learner profiles
def test_profile_badges_list_goes_through_load_learner(tmp_path: Path, catalog) -> None:
    (tmp_path / "badges").mkdir()
    for name in ("ob3-data-analysis.json", "ob3-unknown-achievement.json"):
        shutil.copy(BADGES / name, tmp_path / "badges" / name)
    (tmp_path / "badges" / "sql.png").write_bytes(
        bake_png((BADGES / "ob3-vc11-sql.json").read_text(), "openbadgecredential"))
    profile = tmp_path / "learner.yaml"
    profile.write_text(textwrap.dedent("""\
        learner:
          id: sam
          completed:
            - {course: UT-DA-100, date: 2024-05-01}
          badges:
            - badges/ob3-data-analysis.json
            - badges/sql.png
            - badges/ob3-unknown-achievement.json
        """))
    learner = load_learner(profile, catalog)
    assert [(h.id, h.date) for h in learner.completed] == [
        ("UT-DA-100", dt.date(2024, 5, 1)), ("UT-DA-101", dt.date(2025, 6, 15)),
        ("UT-SQL-1", dt.date(2024, 4, 30))]
    assert learner.completed[1].expires == dt.date(2030, 6, 15)
    assert len(learner.notes) == 3 and "unmapped" in learner.notes[2]
    assert SkillLevel(COMMUNICATION, 1) in learner.skills


# --------------------------------------------------------------------------- export
def test_export_course_achievement(catalog) -> None:
    a = export_achievement(catalog, "UT-DA-101")
    assert a["id"] == achievement_id("course", "UT-DA-101") == "urn:pathways:course:UT-DA-101"
    assert a["type"] == ["Achievement"] and a["achievementType"] == "Course"
    assert a["name"] == "Data Analysis with Python" and a["humanCode"] == "UT-DA-101"
    assert "Prerequisites: UT-PY-1 and (UT-STAT-1 or UT-STAT-2)." in a["criteria"]["narrative"]
    assert [(x["targetUrl"], x["targetName"], x["targetDescription"]) for x in a["alignment"]] == [
        ("http://data.europa.eu/esco/skill/2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f",
         "perform data analysis", "Proficiency level 2 (1 basic .. 4 expert)"),
        ("http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d",
         "Python (computer programming)", "Proficiency level 3 (1 basic .. 4 expert)")]
    assert a["creator"]["name"] == "University of Toronto School of Continuing Studies"


@pytest.mark.parametrize(("item", "kind"), [
    ("UT-CERT-DA", "Certificate"), ("AU-AI-ETHICS", "MicroCredential"), ("UT-DIP-DATA", "Diploma")])
def test_export_credential_achievement_types(catalog, item, kind) -> None:
    a = export_achievement(catalog, item)
    assert a["achievementType"] == kind
    assert a["criteria"]["narrative"].startswith(f"Earn {catalog.credentials[item].title} ({item})")


def test_credential_alignment_uses_the_always_required_courses(catalog) -> None:
    a = export_achievement(catalog, "AU-AI-ETHICS")  # all of AU-AIE-1, AU-AIE-2
    codes = {x["targetCode"]: x["targetDescription"] for x in a["alignment"]}
    assert codes[ETHICS] == "Proficiency level 3 (1 basic .. 4 expert)"  # the higher of 2 and 3


def test_export_unknown_item(catalog) -> None:
    with pytest.raises(CatalogError, match="did you mean UT-DA-101"):
        export_achievement(catalog, "UT-DA-10l")


def test_issued_export_maps_back_explicitly(tmp_path: Path, catalog) -> None:
    achievement = export_achievement(catalog, "UT-VIZ-1")
    del achievement["@context"]
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:1", "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://x.example", "type": ["Profile"], "name": "UofT SCS"},
        "validFrom": "2025-09-01T00:00:00Z",
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": achievement}}
    path = tmp_path / "viz.json"
    path.write_text(json.dumps(credential))
    badge, result = one(path, catalog)
    assert (badge.item_id, badge.confidence) == ("UT-VIZ-1", "explicit")
    assert sorted(result.skills, key=lambda s: s.skill) == sorted(
        catalog.courses["UT-VIZ-1"].skills, key=lambda s: s.skill)
