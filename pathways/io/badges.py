"""Open Badges 2.0 and 3.0: a learner's badges as holdings, catalog items as achievements.

Import reads what a learner holds, in the forms the specifications define:

- Open Badges 2.0 assertions (JSON-LD ``Assertion`` with an embedded ``BadgeClass``, or with the
  badge class only as a URL, which is reported: pathways never fetches anything);
- Open Badges 3.0 ``OpenBadgeCredential`` / ``AchievementCredential`` JSON (Verifiable
  Credentials data model 2.0 names ``validFrom`` / ``validUntil``, and the 1.1 names
  ``issuanceDate`` / ``expirationDate``), or the compact JWS of a VC-JWT;
- baked images: a PNG ``iTXt`` chunk with keyword ``openbadges`` (2.0) or
  ``openbadgecredential`` (3.0), and an SVG ``<openbadges:assertion>`` (2.0) or
  ``<openbadges:credential>`` (3.0) element, read with the standard library.

Each badge is mapped to a course or credential of the catalog: explicitly first (the
achievement / badge class id, its ``humanCode``, or an alignment ``targetUrl`` /
``targetCode`` equal to a catalog id, to a course's or credential's ``badge_id``, or to the id
:func:`achievement_id` gives), else by its name (an exact match of the normalised title is
*high* confidence, a :mod:`difflib` ratio of at least 0.85 is *medium*), else it stays
unmapped and is reported. Alignments to ESCO (``http://data.europa.eu/esco/skill/<uuid>``
becomes ``esco:<uuid>``) or other frameworks become learner skills.

Signatures are **not** checked: OB 2.0 hosted and signed verification and OB 3.0 proofs need the
network (issuer keys, JSON-LD contexts) or JSON-LD canonicalisation, which pathways does not do.
Every message says "read, not verified" and why; nothing is claimed as verified.

Export writes a course or credential as an Open Badges 3.0 ``Achievement``
(:func:`export_achievement`), so that providers can issue badges that map back exactly.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import difflib
import json
import os
import re
import struct
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, unquote
from xml.etree import ElementTree

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from pathways.describe import prerequisite_text, requirement_lines
from pathways.domain import (
    AllOf,
    Catalog,
    Course,
    Credential,
    Holding,
    Node,
    Ref,
    SkillLevel,
)
from pathways.errors import CatalogError, Diagnostic
from pathways.io._jsonld import JSONProblem, load_json
from pathways.io._jsonld import text as _text
from pathways.io._yaml import read_regular_file

__all__ = [
    "MAX_BADGE_BYTES",
    "MAX_BADGE_TEXT",
    "BadgeImport",
    "BadgeRecord",
    "achievement_id",
    "export_achievement",
    "extract_baked",
    "import_badge_files",
    "read_badge",
]

#: Badge files larger than this are refused (a badge image is a few hundred kilobytes at most).
MAX_BADGE_BYTES = 20 * 1024 * 1024
#: Compressed badge text (a PNG ``iTXt`` chunk) is decompressed up to this many bytes, never
#: more: a zlib bomb is refused after reading at most this much.
MAX_BADGE_TEXT = 4 * 1024 * 1024
#: Badge dates outside these years are refused as malformed (timestamps in seconds or
#: milliseconds far out of range, year 9999 placeholders that break date arithmetic).
DATE_YEARS = (1900, 2999)

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_KEYWORDS = {"openbadges": "OB 2.0", "openbadgecredential": "OB 3.0"}
_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
_ESCO_SKILL = re.compile(r"^https?://data\.europa\.eu/esco/skill/([0-9a-fA-F-]{36})/?$")
_OUR_URN = re.compile(r"^urn:pathways:(course|credential):(.+)$")
_LEVEL_TEXT = re.compile(r"\blevel\s+([1-4])\b", re.IGNORECASE)
FUZZY_CUTOFF = 0.85

Status = Literal["valid", "expired", "not-yet-valid", "revoked", "malformed", "unreadable"]
Confidence = Literal["explicit", "high", "medium"]

#: OB 3.0 ``achievementType`` values (an extensible enumeration) for our kinds and levels.
ACHIEVEMENT_TYPES = {
    "course": "Course",
    "microcredential": "MicroCredential",
    "certificate": "Certificate",
    "diploma": "Diploma",
    "degree": "Degree",
    "other": "Achievement",
}


# --------------------------------------------------------------------------- results
@dataclass(frozen=True, slots=True)
class BadgeRecord:
    """What reading one badge file found, and what became of it.

    ``holding`` is the course or credential the badge counts as (``None`` when the badge is
    unmapped, not yet valid, revoked or unreadable); ``message`` is the one-line report.
    """

    source: str
    status: Status
    message: str
    version: str | None = None  # "OB 2.0" or "OB 3.0"
    name: str | None = None
    achievement_id: str | None = None
    issuer: str | None = None
    issued: dt.date | None = None
    expires: dt.date | None = None
    kind: Literal["course", "credential"] | None = None
    item_id: str | None = None
    match: str | None = None  # how it was mapped, e.g. "badge_id", "name"
    confidence: Confidence | None = None
    score: float | None = None  # difflib ratio of a fuzzy name match
    verified: bool = False
    verification: str = ""
    skills: tuple[SkillLevel, ...] = ()
    holding: Holding | None = None


@dataclass
class BadgeImport:
    """Badges read from files: the holdings and skills they give, one message per badge."""

    holdings: list[Holding] = field(default_factory=list)
    skills: list[SkillLevel] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    badges: list[BadgeRecord] = field(default_factory=list)

    @property
    def problems(self) -> list[BadgeRecord]:
        """The badges that could not be read at all (malformed or unreadable files)."""
        return [b for b in self.badges if b.status in ("malformed", "unreadable")]


class _BadgeProblem(Exception):
    """A badge that cannot be used; ``status`` says why (malformed or unreadable)."""

    def __init__(self, message: str, status: Status = "malformed", version: str | None = None):
        super().__init__(message)
        self.status: Status = status
        self.version = version


# --------------------------------------------------------------------------- pydantic edge
class _Loose(BaseModel):
    # The Open Badges specifications allow extensions: unknown keys are ignored, not errors.
    model_config = ConfigDict(extra="ignore")


def _listify(value: Any) -> Any:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


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


# --------------------------------------------------------------------------- small helpers
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


def _normalise(title: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a title.

    >>> _normalise("  Data Analysis with Python!  "), _normalise("Éthique de l'IA")
    ('data analysis with python', 'ethique de l ia')
    """
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def achievement_id(kind: Literal["course", "credential"], item_id: str) -> str:
    """The achievement id pathways gives a catalog item that has no ``badge_id``.

    Badges issued with this id map back to the item explicitly.

    >>> achievement_id("course", "UT-DA-101")
    'urn:pathways:course:UT-DA-101'
    """
    return f"urn:pathways:{kind}:{quote(item_id, safe='-._~:@!$&()*+,;=')}"


# --------------------------------------------------------------------------- baked images
def _inflate(data: bytes, key: str) -> bytes:
    """zlib data decompressed, at most :data:`MAX_BADGE_TEXT` bytes of it (streaming: a
    bomb stops after that much, whatever its size)."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_BADGE_TEXT + 1)
    except zlib.error as err:
        raise _BadgeProblem(f"the PNG's {key} chunk does not decompress: {err}") from None
    if len(out) > MAX_BADGE_TEXT:
        raise _BadgeProblem(f"the PNG's {key} chunk decompresses to more than "
                            f"{MAX_BADGE_TEXT:,} bytes (a decompression bomb, or not a badge)")
    if not inflater.eof:
        raise _BadgeProblem(f"the PNG's {key} chunk does not decompress: the data is truncated")
    return out


def _png_text(data: bytes, source: str) -> tuple[str, str]:
    """The Open Badges text of a baked PNG: ``(text, version)``."""
    pos = len(_PNG_SIGNATURE)
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        ctype = data[pos + 4:pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise _BadgeProblem("a truncated PNG (a chunk runs past the end of the file)")
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[end - 4:end])
        if ctype in (b"iTXt", b"tEXt") and zlib.crc32(ctype + body) & 0xFFFFFFFF != crc:
            raise _BadgeProblem(f"a corrupt PNG {ctype.decode()} chunk (CRC mismatch)")
        if ctype == b"iTXt":
            keyword, _, rest = body.partition(b"\0")
            key = keyword.decode("latin-1")
            if key in _PNG_KEYWORDS and len(rest) >= 2:
                compressed, _method = rest[0], rest[1]
                _lang, _, rest = rest[2:].partition(b"\0")
                _translated, _, text = rest.partition(b"\0")
                if compressed:
                    text = _inflate(text, key)
                try:
                    return text.decode("utf-8"), _PNG_KEYWORDS[key]
                except UnicodeDecodeError:
                    raise _BadgeProblem(f"the PNG's {key} chunk is not UTF-8 text") from None
        elif ctype == b"tEXt":
            keyword, _, text = body.partition(b"\0")
            if keyword == b"openbadges":  # Open Badges 1.0 baking: the URL of a hosted assertion
                return text.decode("latin-1"), "OB 1.0"
        elif ctype == b"IEND":
            break
        pos = end
    raise _BadgeProblem("a PNG image without a baked badge (no iTXt chunk with keyword "
                        "openbadges or openbadgecredential)")


def _parse_svg(data: bytes) -> ElementTree.Element:
    """The SVG's XML, parsed by :mod:`defusedxml` (entity declarations, external entities and
    DTD fetching refused by the parser itself, whatever the encoding)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as err:
        raise _BadgeProblem(f"an SVG with XML entity declarations or external references "
                            f"({type(err).__name__}), which pathways refuses to parse") from None
    except ElementTree.ParseError as err:
        raise _BadgeProblem(f"not well-formed XML ({err})") from None


def _svg_text(data: bytes, source: str) -> tuple[str, str]:
    """The Open Badges text of a baked SVG: ``(text, version)``."""
    root = _parse_svg(data)
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
        if local not in ("assertion", "credential"):
            continue
        if "openbadges" not in namespace and "imsglobal" not in namespace:
            continue
        version = "OB 3.0" if local == "credential" else "OB 2.0"
        # The body holds the JSON (in CDATA); ``verify`` a compact JWS or, for a hosted OB 2.0
        # badge, the assertion URL.
        verify = (element.get("verify") or "").strip()
        text = (element.text or "").strip()
        if text:
            return text, version
        if verify:
            return verify, version
        raise _BadgeProblem(f"the SVG's openbadges:{local} element is empty")
    raise _BadgeProblem("an SVG image without a baked badge (no openbadges:assertion or "
                        "openbadges:credential element)")


def extract_baked(data: bytes, *, source: str = "<image>") -> tuple[str, str]:
    """The badge text baked into a PNG or SVG image, and the Open Badges version it implies.

    Parameters
    ----------
    data
        The image bytes.
    source
        The file name, used in messages.

    Returns
    -------
    tuple of (str, str)
        The baked text (JSON, a compact JWS, or for Open Badges 1.0 a URL) and ``"OB 2.0"``,
        ``"OB 3.0"`` or ``"OB 1.0"``.

    Raises
    ------
    CatalogError
        When the image holds no badge or is damaged.

    Examples
    --------
    >>> svg = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges='
    ...        b'"https://purl.imsglobal.org/ob/v3p0"><openbadges:credential>'
    ...        b'<![CDATA[{"id": "x"}]]></openbadges:credential></svg>')
    >>> extract_baked(svg)
    ('{"id": "x"}', 'OB 3.0')
    """
    try:
        if data.startswith(_PNG_SIGNATURE):
            return _png_text(data, source)
        return _svg_text(data, source)
    except _BadgeProblem as problem:
        raise CatalogError(Diagnostic(str(problem), file=source)) from None


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


def _ob3(data: dict[str, Any], jws: bool) -> _Badge:
    if "vc" in data and isinstance(data["vc"], dict):  # VC-JWT in the VC 1.1 style
        claims, data = data, dict(data["vc"])
        if "expirationDate" not in data and "validUntil" not in data and "exp" in claims:
            data["validUntil"] = _timestamp(claims["exp"], "exp").isoformat()
        if "issuanceDate" not in data and "validFrom" not in data and "nbf" in claims:
            data["validFrom"] = _timestamp(claims["nbf"], "nbf").isoformat()
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
    if not types & {"OpenBadgeCredential", "AchievementCredential"}:
        notes.append("type lacks OpenBadgeCredential")
    keys = [("achievement id", achievement.id)]
    if achievement.humanCode:
        keys.append(("humanCode", achievement.humanCode))
    return _Badge(
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
    if isinstance(assertion.badge, str):
        return _Badge(version="OB 2.0", name=None, achievement_id=assertion.badge, issuer=None,
                      issued=issued, expires=expires, keys=[("badge class id", assertion.badge)],
                      alignments=[], verification=note, revoked=revoked,
                      notes=notes + ["the BadgeClass is only a URL, not fetched offline"])
    badge = assertion.badge
    keys = [("badge class id", badge.id)] if badge.id else []
    return _Badge(version="OB 2.0", name=_text(badge.name), achievement_id=badge.id,
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
    hint: str | None = None
    if raw.startswith(_PNG_SIGNATURE):
        text, hint = _png_text(raw, str(path))
    elif raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        text, hint = _svg_text(raw, str(path))
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


# --------------------------------------------------------------------------- mapping
class _Index:
    """Catalog lookups for mapping badges: explicit keys, normalised titles, skills."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.explicit: dict[str, tuple[str, str, str]] = {}
        self.titles: dict[str, list[tuple[str, str]]] = {}
        for kind, table in (("course", catalog.courses), ("credential", catalog.credentials)):
            for item in table.values():
                self.explicit.setdefault(item.id, (kind, item.id, "catalog id"))
                self.explicit.setdefault(achievement_id(kind, item.id),  # type: ignore[arg-type]
                                         (kind, item.id, "pathways id"))
                self.titles.setdefault(_normalise(item.title), []).append((kind, item.id))
        for kind, table in (("course", catalog.courses), ("credential", catalog.credentials)):
            for item in table.values():
                if item.badge_id:  # a badge_id wins over an id that happens to be equal
                    self.explicit[item.badge_id] = (kind, item.id, "badge_id")
        self.skill_names: dict[str, str] = {}
        for skill in catalog.skills.values():
            for name in (skill.label, *skill.alt_labels):
                self.skill_names.setdefault(_normalise(name), skill.id)

    def lookup(self, value: str | None) -> tuple[str, str, str] | None:
        if not value:
            return None
        found = self.explicit.get(value) or self.explicit.get(value.strip())
        if found is None:
            match = _OUR_URN.match(value.strip())
            if match:
                found = self.explicit.get(unquote(match.group(2)))
        return found

    def provider_name(self, kind: str, item_id: str) -> str:
        table = self.catalog.courses if kind == "course" else self.catalog.credentials
        item: Course | Credential = table[item_id]  # type: ignore[assignment]
        provider = self.catalog.providers.get(item.provider or "")
        return provider.name if provider else (item.provider or "")


def _map(badge: _Badge, index: _Index) -> tuple[tuple[str, str, str, Confidence, float | None] | None, str]:
    """``((kind, id, how, confidence, score) or None, why not)`` for one badge."""
    candidates = list(badge.keys)
    for a in badge.alignments:
        if a.targetType and "credential" not in a.targetType.lower():
            continue  # an alignment to a competency is a skill, not the item itself
        candidates += [("alignment targetUrl", a.targetUrl or ""), ("alignment targetCode", a.targetCode or "")]
    for how, value in candidates:
        found = index.lookup(value)
        if found:
            kind, item_id, via = found
            label = f"{how} = {via}" if via != "catalog id" else how
            return (kind, item_id, label, "explicit", None), ""
    if not badge.name:
        return None, "it has no name to match and no course or credential has its id as badge_id"
    name = _normalise(badge.name)
    exact = index.titles.get(name, [])
    if exact:
        chosen = _break_tie(exact, badge, index)
        if chosen is None:
            ids = ", ".join(i for _, i in exact)
            return None, f"its name matches several items ({ids}): set badge_id on the right one"
        return (chosen[0], chosen[1], "name", "high", 1.0), ""
    close = difflib.get_close_matches(name, index.titles, n=3, cutoff=FUZZY_CUTOFF)
    if close:
        best = close[0]
        score = difflib.SequenceMatcher(None, name, best).ratio()
        pool = [c for t in close
                if difflib.SequenceMatcher(None, name, t).ratio() == score for c in index.titles[t]]
        chosen = _break_tie(pool, badge, index)
        if chosen is None:
            ids = ", ".join(i for _, i in pool)
            return None, f"its name is equally close to several items ({ids}): set badge_id"
        return (chosen[0], chosen[1], "similar name", "medium", round(score, 2)), ""
    return None, "no course or credential of the catalog has this id or a similar name"


def _break_tie(pool: list[tuple[str, str]], badge: _Badge, index: _Index) -> tuple[str, str] | None:
    if len(pool) == 1:
        return pool[0]
    if badge.issuer:
        same = [p for p in pool if _normalise(index.provider_name(*p)) == _normalise(badge.issuer)]
        if len(same) == 1:
            return same[0]
    return None


def _skill_id(a: AlignmentIn, index: _Index) -> tuple[str, str] | None:
    """``(skill id, how)`` for an alignment to a skill, or ``None``."""
    if a.targetType and "credential" in a.targetType.lower():
        return None
    url = (a.targetUrl or "").strip()
    code = (a.targetCode or "").strip()
    match = _ESCO_SKILL.match(url)
    if match:
        return f"esco:{match.group(1).lower()}", "ESCO"
    if code.startswith("esco:") or code in index.catalog.skills:
        return code, "code"
    if url in index.catalog.skills:
        return url, "url"
    name = _text(a.targetName)
    if name and _normalise(name) in index.skill_names:
        return index.skill_names[_normalise(name)], "name"
    if url.startswith(("http://", "https://")):
        return url, "url"
    return None


def _skills(badge: _Badge, index: _Index, mapped: tuple[str, str] | None) -> tuple[SkillLevel, ...]:
    taught: dict[str, int] = {}
    if mapped and mapped[0] == "course":
        taught = {s.skill: s.level for s in index.catalog.courses[mapped[1]].skills}
    out: dict[str, int] = {}  # level: stated in the alignment, else taught by the course, else 1
    for a in badge.alignments:
        if index.lookup(a.targetUrl) or index.lookup(a.targetCode):
            continue  # this alignment named the item itself
        found = _skill_id(a, index)
        if found is None:
            continue
        skill = found[0]
        described = _LEVEL_TEXT.search(_text(a.targetDescription) or "")
        level = int(described.group(1)) if described else taught.get(skill, 1)
        out[skill] = max(level, out.get(skill, 0))
    return tuple(SkillLevel(s, lvl) for s, lvl in out.items())


# --------------------------------------------------------------------------- import
def _record(path: Path, index: _Index, today: dt.date) -> BadgeRecord:
    source = str(path)
    shown = path.name
    try:
        data, version, jws = _read(path)
        badge = _ob3(data, jws) if version == "OB 3.0" else _ob2(data, jws)
    except _BadgeProblem as problem:
        version = f"{problem.version} " if problem.version else ""
        what = "unreadable" if problem.status == "unreadable" else f"{version}malformed"
        return BadgeRecord(source=source, status=problem.status, version=problem.version,
                           message=f"{shown}: {what}: {problem}; not imported",
                           verification="not read")
    title = f"'{badge.name}'" if badge.name else f"<{badge.achievement_id}>"
    facts = [f"issued {badge.issued.isoformat()}"]
    if badge.issuer:
        facts.insert(0, badge.issuer)
    head = f"{shown}: {badge.version} {title} ({', '.join(facts)})"
    base: dict[str, Any] = {
        "source": source, "version": badge.version, "name": badge.name,
        "achievement_id": badge.achievement_id, "issuer": badge.issuer, "issued": badge.issued,
        "expires": badge.expires, "verification": badge.verification}
    mapping, why_not = _map(badge, index)
    mapped = (mapping[0], mapping[1]) if mapping else None
    skills = _skills(badge, index, mapped)
    notes = [*badge.notes]
    if skills:
        notes.append(f"skills {', '.join(f'{s.skill} (level {s.level})' for s in skills)}")
    tail = "".join(f"; {n}" for n in notes) + f"; {badge.verification}"
    if badge.revoked is not None:
        return BadgeRecord(status="revoked", skills=(),
                           message=f"{head}: revoked ({badge.revoked}); not added{tail}", **base)
    if badge.issued > today:
        return BadgeRecord(status="not-yet-valid", skills=(),
                           message=(f"{head}: not yet valid (valid from {badge.issued.isoformat()}); "
                                    f"not added{tail}"), **base)
    expired = badge.expires is not None and badge.expires <= today
    status: Status = "expired" if expired else "valid"
    if mapping is None:
        target = badge.achievement_id or badge.name
        hint = f" (set badge_id: {target} on the course or credential it stands for)" if target else ""
        return BadgeRecord(status=status, skills=skills,
                           message=f"{head}: unmapped: {why_not}{hint}; not added as a holding{tail}",
                           **base)
    kind, item_id, how, confidence, score = mapping
    holding = Holding(kind, item_id, badge.issued, badge.expires, source)  # type: ignore[arg-type]
    conf = ("explicit" if confidence == "explicit"
            else f"{confidence} confidence" + (f", ratio {score:.2f}" if score and score < 1 else ""))
    state = (f"; expired {badge.expires.isoformat()} (kept as an expired holding)" if expired  # type: ignore[union-attr]
             else f"; expires {badge.expires.isoformat()}" if badge.expires else "")
    return BadgeRecord(status=status, kind=kind, item_id=item_id, match=how,  # type: ignore[arg-type]
                       confidence=confidence, score=score, skills=skills, holding=holding,
                       message=f"{head} -> {kind} {item_id} by {how} ({conf}){state}{tail}", **base)


def import_badge_files(paths: Iterable[str | os.PathLike[str]], catalog: Catalog, *,
                       today: dt.date | None = None) -> BadgeImport:
    """Read badge files and map each badge to a course or credential of ``catalog``.

    Parameters
    ----------
    paths
        Badge files: Open Badges 2.0 assertion JSON, 3.0 credential JSON or compact JWS, or a
        baked PNG or SVG image.
    catalog
        The catalog whose courses and credentials the badges are mapped to.
    today
        The date that decides expired and not-yet-valid badges (default: today).

    Returns
    -------
    BadgeImport
        ``holdings`` (mapped badges, expired ones included with their expiry), ``skills``
        (from alignments, the highest level per skill), ``messages`` (one line per badge) and
        ``badges`` (a :class:`BadgeRecord` per file). Nothing is dropped silently: a badge that
        is malformed, unmapped, revoked or not yet valid has its message and record.

    Examples
    --------
    >>> from pathways.domain import Catalog, Course
    >>> import json, pathlib, tempfile
    >>> cat = Catalog(courses={"PY-1": Course("PY-1", "Python Basics", 20)})
    >>> badge = {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
    ...          "id": "https://example.org/a/1", "recipient": {"type": "email",
    ...          "identity": "a@example.org", "hashed": False}, "issuedOn": "2024-05-01",
    ...          "verification": {"type": "hosted"}, "badge": {"type": "BadgeClass",
    ...          "id": "https://example.org/b/py", "name": "Python basics"}}
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "py.json"
    >>> _ = path.write_text(json.dumps(badge))
    >>> result = import_badge_files([path], cat, today=dt.date(2025, 1, 1))
    >>> result.holdings[0].id, result.holdings[0].date, result.badges[0].confidence
    ('PY-1', datetime.date(2024, 5, 1), 'high')
    """
    index = _Index(catalog)
    day = today or dt.date.today()
    out = BadgeImport()
    best: dict[str, int] = {}
    seen: set[Holding] = set()
    for raw in paths:
        record = _record(Path(raw), index, day)
        out.badges.append(record)
        out.messages.append(record.message)
        if record.holding is not None and record.holding not in seen:
            seen.add(record.holding)
            out.holdings.append(record.holding)
        for s in record.skills:
            best[s.skill] = max(s.level, best.get(s.skill, 0))
    out.skills = [SkillLevel(s, lvl) for s, lvl in best.items()]
    return out


# --------------------------------------------------------------------------- export
def _always_required_courses(catalog: Catalog, node: Node, seen: set[str]) -> list[str]:
    """Courses every earner of a tree completes: leaves reached through ``all`` nodes only."""
    if isinstance(node, Ref):
        if node.id in catalog.courses:
            return [node.id]
        cred = catalog.credentials.get(node.id)
        if cred is not None and node.id not in seen:
            seen.add(node.id)
            return _always_required_courses(catalog, cred.requires, seen)
        return []
    if isinstance(node, AllOf):
        return [c for child in node.children for c in _always_required_courses(catalog, child, seen)]
    return []


def _criteria(catalog: Catalog, kind: str, item: Course | Credential) -> str:
    if isinstance(item, Course):
        text = f"Complete the course {item.title} ({item.id}, {item.hours:g} learning hours)."
        if item.prerequisites is not None:
            text += f" Prerequisites: {prerequisite_text(item.prerequisites)}."
        return text
    lines = requirement_lines(item.requires, catalog, indent="  ")
    bullets = "\n".join(re.sub(r"^(\s*)", r"\1- ", line, count=1) for line in lines)
    return f"Earn {item.title} ({item.id}) by meeting its requirements:\n\n{bullets}"


def export_achievement(catalog: Catalog, item_id: str, *, base_url: str | None = None) -> dict[str, Any]:
    """A course or credential as an Open Badges 3.0 ``Achievement`` (JSON data).

    Parameters
    ----------
    catalog
        The catalog holding the item.
    item_id
        A course or credential id.
    base_url
        When given, the achievement id is ``base_url + item id``; otherwise the item's
        ``badge_id``, else :func:`achievement_id`. Either way a badge issued for it maps back to
        the item explicitly (``humanCode`` carries the catalog id too).

    Returns
    -------
    dict
        ``@context``, ``id``, ``type`` ``["Achievement"]``, ``name``, ``description``,
        ``criteria.narrative`` (from the prerequisites or the requirement tree, Markdown),
        ``achievementType`` (``Course``, ``MicroCredential``, ``Certificate``, ``Diploma``,
        ``Degree`` or ``Achievement``), ``humanCode``, ``alignment`` (one per skill: its ESCO
        URI, the catalog label, the level in ``targetDescription``) and ``creator``.

    Raises
    ------
    CatalogError
        When the catalog has no course or credential ``item_id``.

    Examples
    --------
    >>> from pathways.domain import Catalog, Course, SkillLevel
    >>> cat = Catalog(courses={"PY-1": Course("PY-1", "Python Basics", 20, skills=(
    ...     SkillLevel("esco:ccd0a1d9-afda-43d9-b901-96344886e14d", 2),))})
    >>> a = export_achievement(cat, "PY-1")
    >>> a["id"], a["achievementType"], a["alignment"][0]["targetUrl"]
    ('urn:pathways:course:PY-1', 'Course', 'http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d')
    """
    kind: Literal["course", "credential"]
    item: Course | Credential
    if item_id in catalog.courses:
        kind, item = "course", catalog.courses[item_id]
    elif item_id in catalog.credentials:
        kind, item = "credential", catalog.credentials[item_id]
    else:
        close = difflib.get_close_matches(item_id, [*catalog.courses, *catalog.credentials], n=3)
        hint = f"did you mean {', '.join(close)}?" if close else "use a course or credential id"
        raise CatalogError(Diagnostic(f"{item_id} is neither a course nor a credential of the "
                                      "catalog", id=item_id, hint=hint))
    if base_url:
        ident = base_url + quote(item.id, safe="-._~")
    else:
        ident = item.badge_id or achievement_id(kind, item.id)
    if isinstance(item, Course):
        achievement_type = ACHIEVEMENT_TYPES["course"]
        skills = list(item.skills)
    else:
        achievement_type = ACHIEVEMENT_TYPES.get(item.level, "Achievement")
        best: dict[str, int] = {}
        for course_id in _always_required_courses(catalog, item.requires, set()):
            for s in catalog.courses[course_id].skills:
                best[s.skill] = max(s.level, best.get(s.skill, 0))
        skills = [SkillLevel(s, lvl) for s, lvl in best.items()]
    provider = catalog.providers.get(item.provider or "")
    if item.description:
        description = item.description
    else:
        what = f"a {item.hours:g}-hour course" if isinstance(item, Course) else f"a {item.level}"
        source = f" from {provider.name}" if provider else ""
        description = f"{item.title}: {what}{source}."
    out: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": ident,
        "type": ["Achievement"],
        "name": item.title,
        "description": description,
        "criteria": {"narrative": _criteria(catalog, kind, item)},
        "achievementType": achievement_type,
        "humanCode": item.id,
    }
    alignments = []
    for s in skills:
        esco = s.skill.startswith("esco:")
        url = (f"http://data.europa.eu/esco/skill/{s.skill[5:]}" if esco
               else s.skill if s.skill.startswith(("http://", "https://"))
               else f"urn:pathways:skill:{quote(s.skill, safe='-._~:')}")
        alignment = {"type": ["Alignment"], "targetName": catalog.skill_label(s.skill),
                     "targetUrl": url, "targetCode": s.skill, "targetType": "ceasn:Competency",
                     "targetDescription": f"Proficiency level {s.level} (1 basic .. 4 expert)"}
        if esco:
            alignment["targetFramework"] = "ESCO"
        alignments.append(alignment)
    if alignments:
        out["alignment"] = alignments
    if item.provider:
        out["creator"] = {"id": f"urn:pathways:provider:{quote(item.provider, safe='-._~:')}",
                          "type": ["Profile"],
                          "name": provider.name if provider else item.provider}
    return out


