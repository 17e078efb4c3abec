"""The CTDL vocabulary pathways reads and writes: namespaces, class and term tables, CTIDs,
language maps and ISO 8601 durations (shared by :mod:`~pathways.io.ctdl._import` and
:mod:`~pathways.io.ctdl._export`)."""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from pathways.io.dump import number_text
from pathways.io.trees import MAX_DEPTH

__all__ = [
    "CREDIT_UNIT_HOURS",
    "CTDL_CONTEXT",
    "CtdlOptions",
    "ESCO_OCCUPATION",
    "ESCO_SKILL",
    "MAX_CTDL_DEPTH",
    "PATHWAYS_NS",
    "REGISTRY_BASE",
    "credential_level",
    "credit_unit",
    "ctid",
    "duration_parts",
]

CTDL_CONTEXT = "https://credreg.net/ctdl/schema/context/json"
#: Namespace of the extension terms (``pathways:operator`` ...): a URN, not a web address.
PATHWAYS_NS = "urn:pathways:terms:"
#: The default ``@id`` base: where the Credential Registry would publish a resource by its CTID.
REGISTRY_BASE = "https://credentialengineregistry.org/resources/"
ESCO_SKILL = "http://data.europa.eu/esco/skill/"
ESCO_OCCUPATION = "http://data.europa.eu/esco/occupation/"

#: Deepest nesting of lists and objects read from a CTDL file: a requirement tree of
#: :data:`~pathways.io.trees.MAX_DEPTH` levels takes two per level (a condition profile and its
#: list of members), plus the document's own few.
MAX_CTDL_DEPTH = 2 * MAX_DEPTH + 32

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:pathways")
_CTID = re.compile(r"ce-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_PREFIXES = {
    "http://purl.org/ctdl/terms/": "ceterms:",
    "https://purl.org/ctdl/terms/": "ceterms:",
    "http://purl.org/ctdlasn/terms/": "ceasn:",
    "https://purl.org/ctdlasn/terms/": "ceasn:",
    PATHWAYS_NS: "pathways:",
}
_LANG = "en-US"
_DELIVERY_TO_CTDL = {"online": "deliveryType:OnlineOnly", "in-person": "deliveryType:InPerson",
                     "hybrid": "deliveryType:BlendedDelivery"}
_DELIVERY_NAMES = {"online": "Online Only", "in-person": "In Person Only", "hybrid": "Blended Delivery"}
_DELIVERY_FROM_CTDL = {v.split(":")[1].lower(): k for k, v in _DELIVERY_TO_CTDL.items()}
_LEVEL_TO_TYPE = {"microcredential": "ceterms:MicroCredential", "certificate": "ceterms:Certificate",
                  "diploma": "ceterms:Diploma", "degree": "ceterms:Degree", "other": "ceterms:Credential"}
_COURSE_TYPES = {"Course", "LearningOpportunityProfile", "LearningOpportunity", "LearningProgram",
                 "AssessmentProfile"}
_ORG_TYPES = {"CredentialOrganization", "QACredentialOrganization", "Organization"}
_JOB_TYPES = {"Occupation", "Job", "WorkRole"}
_HOUR_UNITS = ("clockhour", "contacthour")
_CURRENCY_NAMES = {"us dollar": "USD", "canadian dollar": "CAD", "euro": "EUR",
                   "pound sterling": "GBP", "australian dollar": "AUD"}
_ISO_DURATION = re.compile(
    r"^P(?:(?P<Y>[\d.,]+)Y)?(?:(?P<Mo>[\d.,]+)M)?(?:(?P<W>[\d.,]+)W)?(?:(?P<D>[\d.,]+)D)?"
    r"(?:T(?:(?P<H>[\d.,]+)H)?(?:(?P<Mi>[\d.,]+)M)?(?:(?P<S>[\d.,]+)S)?)?$")


def ctid(item_id: str, kind: str = "item") -> str:
    """The deterministic CTID of a catalog id (``kind``: item, provider, skill or job).

    Courses and credentials share one id space, so their kind is ``item``.

    >>> ctid("UT-DA-101")
    'ce-81a9fac8-c35b-50e1-ae79-d6a13758d79c'
    >>> ctid("UT-DA-101") == ctid("UT-DA-101") != ctid("UT-DA-101", "provider")
    True
    """
    return f"ce-{uuid.uuid5(_NAMESPACE, f'{kind}:{item_id}')}"


def credential_level(ctdl_type: str) -> str | None:
    """Our credential level for a CTDL class, or ``None`` when the class is not a credential.

    >>> [credential_level(t) for t in ("ceterms:Badge", "ceterms:BachelorDegree",
    ...  "ceterms:ProfessionalCertificate", "ceterms:SecondarySchoolDiploma",
    ...  "ceterms:License", "ceterms:Course")]
    ['microcredential', 'degree', 'certificate', 'diploma', 'other', None]
    """
    name = ctdl_type.split(":")[-1]
    if name in ("MicroCredential", "Badge", "DigitalBadge", "OpenBadge"):
        return "microcredential"
    if "Degree" in name or "Doctorate" in name:
        return "degree"
    if "Diploma" in name or name == "GeneralEducationDevelopment":
        return "diploma"
    if "Certificate" in name or "Certification" in name:
        return "certificate"
    if name in ("Credential", "License", "QualityAssuranceCredential"):
        return "other"
    return None


def _lang(text: str) -> dict[str, str]:
    return {_LANG: text}




def _hours_duration(hours: float) -> str:
    """ISO 8601 duration of learning hours.

    >>> _hours_duration(36), _hours_duration(1.5)
    ('PT36H', 'PT1.5H')
    """
    return f"PT{number_text(hours)}H"


def _duration_hours(text: str) -> float | None:
    """Hours of an ISO 8601 duration with time parts only (``None`` for calendar time).

    >>> _duration_hours("PT36H"), _duration_hours("PT1H30M"), _duration_hours("P9M")
    (36.0, 1.5, None)
    """
    match = _ISO_DURATION.match(text.strip().upper())
    if not match or text.strip().upper() in ("P", "PT"):
        return None

    def part(name: str) -> float:
        value = match.group(name)
        return float(value.replace(",", ".")) if value else 0.0

    if any(part(n) for n in ("Y", "Mo", "W", "D")):
        return None
    hours = part("H") + part("Mi") / 60 + part("S") / 3600
    return hours if hours > 0 else None


def _skill_uri(skill_id: str, listed: bool, base: str) -> str:
    if skill_id.startswith("esco:"):
        return ESCO_SKILL + skill_id[5:]
    if skill_id.startswith(("http://", "https://")):
        return skill_id
    if listed:
        return base + ctid(skill_id, "skill")
    return "urn:pathways:skill:" + skill_id


#: Hours of one credit of each CTDL credit unit (``creditUnit:`` concepts, matched without
#: case, spaces or punctuation), used when a course states credits instead of hours. Each is a
#: definition in hours, not a guess: clock and contact hours are hours; a continuing education
#: unit is 10 contact hours (IACET); a semester hour is one hour of instruction a week over a
#: 15-week semester (the Carnegie credit hour: 15 contact hours), a quarter hour the same over
#: 10 weeks; a Carnegie unit is 120 contact hours; an ECTS credit is 25 to 30 hours of work (the
#: ECTS Users' Guide: 25 taken); an SCQF or CATS credit is 10 notional learning hours. Other
#: units (DegreeCredit, CertificateCredit, CompetencyCredit ...) have no size in hours: their
#: courses are "hours not stated" unless :attr:`CtdlOptions.hours_per_credit` gives one.
CREDIT_UNIT_HOURS: Mapping[str, float] = {
    "clockhour": 1.0, "contacthour": 1.0, "hour": 1.0, "hours": 1.0,
    "continuingeducationunit": 10.0, "ceu": 10.0,
    "semesterhour": 15.0, "semestercredithour": 15.0, "credithour": 15.0,
    "quarterhour": 10.0, "quartercredithour": 10.0,
    "carnegieunit": 120.0,
    "ects": 25.0, "europeancredittransfersystem": 25.0,
    "europeancredittransferandaccumulationsystem": 25.0, "ectscredit": 25.0,
    "scqf": 10.0, "scqfcredit": 10.0, "scqfcreditpoint": 10.0, "cats": 10.0, "catscredit": 10.0,
}

#: Weeks in a year and a month, for calendar durations (``P9M``) when an hours-per-week
#: figure is given: 52 and 52/12; a day is a seventh of a week.
WEEKS_PER_YEAR = 52.0


def credit_unit(text: str) -> str:
    """A credit unit's name as the key of :data:`CREDIT_UNIT_HOURS` (the last part of a
    ``creditUnit:`` concept or an IRI, lowercase letters and digits only).

    >>> credit_unit("creditUnit:SemesterHour"), credit_unit("Semester Hour")
    ('semesterhour', 'semesterhour')
    >>> credit_unit("https://purl.org/ctdl/vocabs/creditUnit/DegreeCredit")
    'degreecredit'
    """
    last = re.split(r"[:/#]", text.strip())[-1] or text
    return re.sub(r"[^a-z0-9]+", "", last.lower())


@dataclass(frozen=True)
class CtdlOptions:
    """How ``ctdl import`` turns what a record states into learning hours.

    Parameters
    ----------
    hours_per_credit
        Hours of one credit, by credit unit (``{"DegreeCredit": 15}``): added to, and
        overriding, :data:`CREDIT_UNIT_HOURS`. Keys are matched like :func:`credit_unit`.
    hours_per_week
        Learning hours in a week of a calendar duration (``P8W``, ``P9M``, ``P1Y``). ``None``
        (the default): a calendar duration is not learning hours, and a course with nothing
        else stated is "hours not stated".
    """

    hours_per_credit: Mapping[str, float] = field(default_factory=dict)
    hours_per_week: float | None = None

    def __post_init__(self) -> None:
        from pathways.errors import InvalidParameterError

        for unit, hours in self.hours_per_credit.items():
            if not credit_unit(str(unit)) or not isinstance(hours, (int, float)) \
                    or isinstance(hours, bool) or not math.isfinite(hours) or not 0 < hours <= 10_000:
                raise InvalidParameterError(
                    f"hours per credit of {unit!r} must be a number in (0, 10000], got {hours!r}")
        week = self.hours_per_week
        if week is not None and (isinstance(week, bool) or not isinstance(week, (int, float))
                                 or not math.isfinite(week) or not 0 < week <= 168):
            raise InvalidParameterError(f"hours per week must be in (0, 168], got {week!r}")

    def credit_hours(self, unit: str) -> float | None:
        """Hours of one credit of ``unit``, or ``None`` when it has no known size."""
        key = credit_unit(unit)
        given = {credit_unit(str(k)): float(v) for k, v in self.hours_per_credit.items()}
        return given.get(key, CREDIT_UNIT_HOURS.get(key))


def duration_parts(text: str) -> tuple[float, float] | None:
    """An ISO 8601 duration as ``(weeks of calendar time, hours of clock time)``, or ``None``
    when it is not one.

    >>> duration_parts("PT36H"), duration_parts("P8W"), duration_parts("P1Y6M")
    ((0.0, 36.0), (8.0, 0.0), (78.0, 0.0))
    >>> duration_parts("P2DT1H30M"), duration_parts("12 weeks")
    ((0.2857142857142857, 1.5), None)
    """
    upper = text.strip().upper()
    match = _ISO_DURATION.match(upper)
    if not match or upper in ("P", "PT") or upper.endswith("T"):
        return None

    def part(name: str) -> float:
        value = match.group(name)
        if not value:
            return 0.0
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            return math.nan
        return number

    parts = {n: part(n) for n in ("Y", "Mo", "W", "D", "H", "Mi", "S")}
    if any(math.isnan(v) or not math.isfinite(v) for v in parts.values()):
        return None
    weeks = (parts["Y"] * WEEKS_PER_YEAR + parts["Mo"] * WEEKS_PER_YEAR / 12 + parts["W"]
             + parts["D"] / 7)
    hours = parts["H"] + parts["Mi"] / 60 + parts["S"] / 3600
    return weeks, hours
