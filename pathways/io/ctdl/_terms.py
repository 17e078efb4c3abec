"""The CTDL vocabulary pathways reads and writes: namespaces, class and term tables, CTIDs,
language maps and ISO 8601 durations (shared by :mod:`~pathways.io.ctdl._import` and
:mod:`~pathways.io.ctdl._export`)."""

from __future__ import annotations

import re
import uuid

from pathways.io.dump import number_text
from pathways.io.trees import MAX_DEPTH

__all__ = [
    "CTDL_CONTEXT",
    "ESCO_OCCUPATION",
    "ESCO_SKILL",
    "MAX_CTDL_DEPTH",
    "PATHWAYS_NS",
    "REGISTRY_BASE",
    "credential_level",
    "ctid",
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
