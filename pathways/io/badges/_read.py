"""Open Badges 2.0 and 3.0 files read into badges: JSON, a compact JWS, or a baked image.

Untrusted JSON is parsed by tolerant pydantic models (the specifications allow extensions:
unknown keys are ignored) into a :class:`_Badge`; dates out of :data:`DATE_YEARS` and files
over :data:`MAX_BADGE_BYTES` are refused. Signatures are not checked (see
:mod:`pathways.io.badges`).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from pathways.errors import CatalogError, Diagnostic
from pathways.io._jsonld import JSONProblem, load_json
from pathways.io._jsonld import text as _text
from pathways.io._yaml import read_regular_file
from pathways.io.badges._extract import _PNG_SIGNATURE, _BadgeProblem, _png_text, _svg_text

__all__ = ["DATE_YEARS", "MAX_BADGE_BYTES", "read_badge"]

#: Badge files larger than this are refused (a badge image is a few hundred kilobytes at most).
MAX_BADGE_BYTES = 20 * 1024 * 1024
#: Badge dates outside these years are refused as malformed (timestamps in seconds or
#: milliseconds far out of range, year 9999 placeholders that break date arithmetic).
DATE_YEARS = (1900, 2999)

_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


def _listify(value: Any) -> Any:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _types(value: Any) -> set[str]:
    return {t for t in _listify(value) if isinstance(t, str)}


def _timestamp(value: Any, what: str) -> dt.date:
    """A Unix timestamp (seconds) as a date; one out of range is a malformed badge."""
    try:
        return dt.datetime.fromtimestamp(value, tz=dt.UTC).date()
    except (OverflowError, OSError, ValueError, TypeError):
        raise _BadgeProblem(f"{what} is not a date in range ({value!r})") from None


def _date(value: Any, what: str) -> dt.date:
    """An ISO 8601 date or date-time (or a Unix timestamp, as in Open Badges 1.x) as a date,
    within :data:`DATE_YEARS`."""
    if isinstance(value, bool):
        raise _BadgeProblem(f"{what} is not a date ({value!r})")
    if isinstance(value, (int, float)):
        day = _timestamp(value, what)
    else:
        text = str(value).strip()[:64]
        if text.isdigit():
            day = _timestamp(int(text), what)
        else:
            try:
                day = dt.datetime.fromisoformat(text.replace("z", "Z")).date()
            except (ValueError, OverflowError):
                try:
                    day = dt.date.fromisoformat(text[:10])
                except ValueError:
                    raise _BadgeProblem(f"{what} is not an ISO 8601 date ({text!r})") from None
    if not DATE_YEARS[0] <= day.year <= DATE_YEARS[1]:
        raise _BadgeProblem(f"{what} is a date out of range ({day.isoformat()}; pathways reads "
                            f"dates from {DATE_YEARS[0]} to {DATE_YEARS[1]})")
    return day


# --------------------------------------------------------------------------- pydantic edge
class _Loose(BaseModel):
    # The Open Badges specifications allow extensions: unknown keys are ignored, not errors.
    model_config = ConfigDict(extra="ignore")


class AlignmentIn(_Loose):
    targetName: Any = None
    targetUrl: str | None = None
    targetDescription: Any = None
    targetFramework: Any = None
    targetCode: str | None = None
    targetType: str | None = None

    @field_validator("targetCode", mode="before")
    @classmethod
    def _code_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


class BadgeClassIn(_Loose):
    """OB 2.0 ``BadgeClass`` (name, description, image, criteria and issuer are required)."""

    id: str | None = None
    name: Any
    description: Any = None
    criteria: Any = None
    issuer: Any = None
    image: Any = None
    alignment: list[AlignmentIn] = []

    @field_validator("alignment", mode="before")
    @classmethod
    def _alignment_list(cls, value: Any) -> Any:
        return _listify(value)


class AssertionIn(_Loose):
    """OB 2.0 ``Assertion``: ``badge`` and ``issuedOn`` are what pathways needs."""

    id: str | None = None
    badge: BadgeClassIn | str
    issuedOn: str | int | float
    expires: str | int | float | None = None
    recipient: Any = None
    verification: Any = None
    verify: Any = None  # Open Badges 1.x name of ``verification``
    revoked: bool | None = None
    revocationReason: str | None = None


class AchievementIn(_Loose):
    """OB 3.0 ``Achievement`` (id, type, criteria, description and name are required)."""

    id: str
    name: Any
    type: str | list[str] | None = None
    description: Any = None
    criteria: Any = None
    achievementType: str | None = None
    humanCode: str | None = None
    alignment: list[AlignmentIn] = []
    creator: Any = None

    @field_validator("alignment", mode="before")
    @classmethod
    def _alignment_list(cls, value: Any) -> Any:
        return _listify(value)


class SubjectIn(_Loose):
    achievement: AchievementIn


class CredentialIn(_Loose):
    """OB 3.0 ``OpenBadgeCredential``; the dates under VC 2.0 or 1.1 names."""

    id: str | None = None
    type: str | list[str]
    issuer: Any = None
    name: Any = None
    validFrom: str | None = None
    validUntil: str | None = None
    issuanceDate: str | None = None
    expirationDate: str | None = None
    credentialSubject: SubjectIn | list[SubjectIn]
    proof: Any = None
    credentialStatus: Any = None


_UNION_TAGS = re.compile(r"^(str|int|float|bool|list\[.*\]|[A-Z]\w*In)$")


def _pydantic_message(err: ValidationError, what: str) -> str:
    """One readable line for a pydantic error on badge data."""
    missing: list[str] = []
    other: list[str] = []
    for e in err.errors():
        path = ".".join(str(p) for p in e["loc"]
                        if not isinstance(p, int) and not _UNION_TAGS.match(str(p)))
        if e["type"] == "missing":
            missing.append(path)
        else:
            found = e.get("input")
            shown = type(found).__name__ if isinstance(found, (dict, list)) else repr(found)
            other.append(f"{path}: {e['msg'].rstrip('.')} (found {shown})")
    if missing:
        return f"{what} without {', '.join(dict.fromkeys(missing))} (required)"
    return f"{what} with an invalid value: " + "; ".join(list(dict.fromkeys(other))[:3])


# --------------------------------------------------------------------------- reading
@dataclass
class _Badge:
    """A parsed badge, before mapping."""

    version: str
    name: str | None
    achievement_id: str | None
    issuer: str | None
    issued: dt.date
    expires: dt.date | None
    keys: list[tuple[str, str]]  # (how, value) explicit mapping candidates, in priority order
    alignments: list[AlignmentIn]
    verification: str
    revoked: str | None = None
    notes: list[str] = field(default_factory=list)
    #: ``(status list URL, index, purpose)`` of each ``credentialStatus`` entry (VC status
    #: lists), or ``(revocation list URL, None, "revocation")`` for an OB 2.0 list.
    status: list[tuple[str, int | None, str]] = field(default_factory=list)
    credential_id: str | None = None  # the assertion's / credential's own id
    #: Other ids the achievement is known by (its ``@id`` / CTID when it names a CTDL
    #: resource): tried after :attr:`keys`.
    aliases: list[str] = field(default_factory=list)


def _decode_jws(token: str) -> dict[str, Any]:
    """The payload of a compact JWS, **without** checking its signature."""
    try:
        payload = token.split(".")[1]
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        data = load_json(raw)
    except JSONProblem as err:
        raise _BadgeProblem(f"a compact JWS whose payload is not usable JSON ({err})") from None
    except (IndexError, ValueError, binascii.Error) as err:
        raise _BadgeProblem(f"a compact JWS whose payload is not JSON ({err})") from None
    if not isinstance(data, dict):
        raise _BadgeProblem("a compact JWS whose payload is not a JSON object")
    return data


def _parse_text(text: str, version_hint: str | None) -> tuple[dict[str, Any], bool]:
    """Badge JSON from text: ``(data, came_from_a_jws)``."""
    stripped = text.strip().lstrip("\ufeff")
    if _JWS.match(stripped):
        return _decode_jws(stripped), True
    if stripped.startswith(("http://", "https://")) and len(stripped.split()) == 1:
        raise _BadgeProblem(f"only the URL of a hosted badge ({stripped}); pathways cannot fetch "
                            "it offline: download the assertion JSON and import that",
                            version=version_hint)
    try:
        data = load_json(stripped)
    except JSONProblem as err:
        raise _BadgeProblem(err.describe(), version=version_hint) from None
    if not isinstance(data, dict):
        raise _BadgeProblem(f"the JSON is a {type(data).__name__}, not a badge object",
                            version=version_hint)
    return data, False


def _issuer_name(issuer: Any) -> str | None:
    if isinstance(issuer, dict):
        return _text(issuer.get("name")) or _text(issuer.get("id"))
    return _text(issuer)


def _proof_note(proof: Any, jws: bool) -> str:
    if jws:
        return ("read, not verified (VC-JWT: the signature was not checked; the issuer's key "
                "is not available offline)")
    proofs = [p for p in _listify(proof) if isinstance(p, dict)]
    if not proofs:
        return "read, not verified (unsigned: no proof)"
    kinds = ", ".join(dict.fromkeys(
        " ".join(x for x in (str(p.get("type", "proof")), p.get("cryptosuite")) if x) for p in proofs))
    return (f"read, not verified ({kinds}: checking it needs JSON-LD canonicalisation with remote "
            "contexts and the issuer's key, which pathways does not do offline)")


class NotABadge(Exception):
    """A readable credential that is not a badge (an endorsement, another kind of VC)."""


_BADGE_TYPES = {"OpenBadgeCredential", "AchievementCredential"}
_STATUS_INDEX = ("statusListIndex", "revocationListIndex", "statusIndex")
_STATUS_LIST = ("statusListCredential", "revocationListCredential", "statusListUrl", "id")


def _status_entries(value: Any) -> list[tuple[str, int | None, str]]:
    """``(list URL, index, purpose)`` of each ``credentialStatus`` entry."""
    out = []
    for entry in _listify(value):
        if not isinstance(entry, dict):
            continue
        url = next((str(entry[k]) for k in _STATUS_LIST if isinstance(entry.get(k), str)), None)
        raw = next((entry[k] for k in _STATUS_INDEX if k in entry), None)
        try:
            index = int(raw) if raw is not None and not isinstance(raw, bool) else None
        except (TypeError, ValueError):
            index = None
        if index is not None and not 0 <= index < 2**31:
            index = None
        if isinstance(entry.get("statusListCredential"), str) or isinstance(
                entry.get("revocationListCredential"), str):
            url = str(entry.get("statusListCredential") or entry.get("revocationListCredential"))
        if url:
            out.append((url, index, str(entry.get("statusPurpose") or "revocation")))
    return out


def _ob3(data: dict[str, Any], jws: bool) -> _Badge:
    if "vc" in data and isinstance(data["vc"], dict):  # VC-JWT in the VC 1.1 style
        claims, data = data, dict(data["vc"])
        if "expirationDate" not in data and "validUntil" not in data and "exp" in claims:
            data["validUntil"] = _timestamp(claims["exp"], "exp").isoformat()
        if "issuanceDate" not in data and "validFrom" not in data and "nbf" in claims:
            data["validFrom"] = _timestamp(claims["nbf"], "nbf").isoformat()
    types = _types(data.get("type"))
    subject = data.get("credentialSubject")
    subjects = [s for s in _listify(subject) if isinstance(s, dict)]
    if not types & _BADGE_TYPES and not any("achievement" in s for s in subjects):
        kinds = ", ".join(sorted(t for t in types if t != "VerifiableCredential")) or "a credential"
        raise NotABadge(f"{kinds}: a verifiable credential that is not a badge (no achievement)")
    try:
        cred = CredentialIn.model_validate(data)
    except ValidationError as err:
        raise _BadgeProblem(_pydantic_message(err, "an OB 3.0 credential"), version="OB 3.0") from None
    subjects = _listify(cred.credentialSubject)
    if not subjects:
        raise _BadgeProblem("an OB 3.0 credential with an empty credentialSubject (the "
                            "achievement is needed)", version="OB 3.0")
    subject = subjects[0]
    achievement = subject.achievement
    issued_text = cred.validFrom or cred.issuanceDate
    if issued_text is None:
        raise _BadgeProblem("an OB 3.0 credential without validFrom (or issuanceDate); its "
                            "date is needed as the completion date", version="OB 3.0")
    issued = _date(issued_text, "validFrom" if cred.validFrom else "issuanceDate")
    until = cred.validUntil or cred.expirationDate
    expires = _date(until, "validUntil" if cred.validUntil else "expirationDate") if until else None
    notes = []
    types = _types(cred.type)
    if not types & _BADGE_TYPES:
        notes.append("type lacks OpenBadgeCredential")
    keys = [("achievement id", achievement.id)]
    if achievement.humanCode:
        keys.append(("humanCode", achievement.humanCode))
    return _Badge(
        status=_status_entries(cred.credentialStatus), credential_id=cred.id,
        version="OB 3.0", name=_text(achievement.name) or _text(cred.name),
        achievement_id=achievement.id,
        issuer=_issuer_name(cred.issuer) or _issuer_name(achievement.creator),
        issued=issued, expires=expires, keys=keys, alignments=list(achievement.alignment),
        verification=_proof_note(cred.proof, jws), notes=notes)


def _ob2(data: dict[str, Any], jws: bool) -> _Badge:
    try:
        assertion = AssertionIn.model_validate(data)
    except ValidationError as err:
        raise _BadgeProblem(_pydantic_message(err, "an OB 2.0 assertion"), version="OB 2.0") from None
    issued = _date(assertion.issuedOn, "issuedOn")
    expires = _date(assertion.expires, "expires") if assertion.expires is not None else None
    notes = [f"missing {name} (required by OB 2.0)"
             for name, value in (("recipient", assertion.recipient),
                                 ("verification", assertion.verification or assertion.verify))
             if value is None]
    verification = assertion.verification or assertion.verify
    vtype = str(verification.get("type", "")).lower() if isinstance(verification, dict) else ""
    if jws or vtype in ("signed", "signedbadge"):
        creator = verification.get("creator") if isinstance(verification, dict) else None
        note = ("read, not verified (signed badge: checking it needs the issuer's public key"
                + (f" from {creator}" if creator else "") + ", which pathways does not fetch)")
    elif vtype in ("hosted", "hostedbadge"):
        note = ("read, not verified (hosted badge: checking it means fetching "
                f"{assertion.id or 'the assertion URL'}, which pathways does not do offline)")
    else:
        note = "read, not verified (no verification object)"
    revoked = None
    if assertion.revoked:
        revoked = assertion.revocationReason or "no reason given"
    status: list[tuple[str, int | None, str]] = []
    issuer = assertion.badge.issuer if isinstance(assertion.badge, BadgeClassIn) else None
    if isinstance(issuer, dict) and isinstance(issuer.get("revocationList"), str):
        status.append((issuer["revocationList"], None, "revocation"))
    if isinstance(assertion.badge, str):
        return _Badge(status=status, credential_id=assertion.id, version="OB 2.0", name=None, achievement_id=assertion.badge, issuer=None,
                      issued=issued, expires=expires, keys=[("badge class id", assertion.badge)],
                      alignments=[], verification=note, revoked=revoked,
                      notes=notes + ["the BadgeClass is only a URL, not fetched offline"])
    badge = assertion.badge
    keys = [("badge class id", badge.id)] if badge.id else []
    return _Badge(status=status, credential_id=assertion.id,
                  version="OB 2.0", name=_text(badge.name), achievement_id=badge.id,
                  issuer=_issuer_name(badge.issuer), issued=issued, expires=expires, keys=keys,
                  alignments=list(badge.alignment), verification=note, revoked=revoked, notes=notes)


def _classify(data: dict[str, Any], version_hint: str | None) -> str:
    types = _types(data.get("type")) | _types(data.get("@type"))
    context = json.dumps(data.get("@context", ""))
    if "credentialSubject" in data or types & {"VerifiableCredential", "OpenBadgeCredential",
                                               "AchievementCredential"} or "vc" in data:
        return "OB 3.0"
    if "badge" in data or "Assertion" in types:
        return "OB 2.0"
    if types & {"BadgeClass", "Achievement"} or "ob/v3p0" in context and "achievementType" in data:
        what = "an OB 2.0 BadgeClass" if "BadgeClass" in types else "an OB 3.0 Achievement"
        raise _BadgeProblem(f"{what}: a badge definition, not a badge awarded to the learner",
                            version=version_hint)
    raise _BadgeProblem("JSON that is neither an Open Badges 2.0 assertion nor a 3.0 credential "
                        "(no badge or credentialSubject)", version=version_hint)


def read_badge(path: str | os.PathLike[str]) -> tuple[dict[str, Any], str, bool]:
    """Read one badge file: JSON, a compact JWS, or a baked PNG or SVG image.

    Parameters
    ----------
    path
        The badge file.

    Returns
    -------
    tuple
        ``(data, version, from_jws)``: the assertion or credential as JSON data, ``"OB 2.0"`` or
        ``"OB 3.0"``, and whether it came from a compact JWS (whose signature is not checked).

    Raises
    ------
    CatalogError
        When the file cannot be read or holds no usable badge; the message names the file.
    """
    try:
        return _read(Path(path))
    except _BadgeProblem as problem:
        raise CatalogError(Diagnostic(str(problem), file=str(path))) from None


def _read(path: Path) -> tuple[dict[str, Any], str, bool]:
    try:
        raw = read_regular_file(path, limit=MAX_BADGE_BYTES, what="file")
    except CatalogError as err:
        raise _BadgeProblem(err.diagnostics[0].message, status="unreadable") from None
    return _read_bytes(raw, str(path))


def _read_bytes(raw: bytes, path: str) -> tuple[dict[str, Any], str, bool]:
    """A badge from a file's bytes (an upload's too): ``(data, version, from_jws)``."""
    if len(raw) > MAX_BADGE_BYTES:
        raise _BadgeProblem(f"larger than {MAX_BADGE_BYTES // 2**20} MB", status="unreadable")
    hint: str | None = None
    if raw.startswith(_PNG_SIGNATURE):
        text, hint = _png_text(raw, path)
    elif raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        text, hint = _svg_text(raw, path)
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise _BadgeProblem(f"neither UTF-8 text nor a PNG or SVG image ({err.reason} at "
                                f"byte {err.start})", status="unreadable") from None
    if hint == "OB 1.0":
        raise _BadgeProblem(f"an Open Badges 1.0 baked image holding only the URL {text.strip()}; "
                            "pathways cannot fetch it offline", version="OB 1.0")
    data, jws = _parse_text(text, hint)
    return data, _classify(data, hint), jws
