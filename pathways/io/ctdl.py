"""CTDL (Credential Transparency Description Language) JSON-LD: import and export catalogs.

Import (:func:`import_ctdl`) reads a JSON-LD document (``@graph``, a list of objects or one
object; ``ceterms:`` / ``ceasn:`` prefixed keys or their full IRIs; language maps) and returns
catalog data in the YAML shape of the format doc, ready for
:func:`~pathways.io.catalog.catalog_from_data`:

- credentials: every CTDL credential class (``ceterms:Certificate``, ``ceterms:Badge``,
  ``ceterms:MicroCredential``, ``ceterms:Diploma``, ``ceterms:BachelorDegree`` ...) becomes a
  credential whose level follows the class (:func:`credential_level`);
- courses: ``ceterms:Course``, ``ceterms:LearningOpportunityProfile``, ``ceterms:LearningProgram``
  without parts and ``ceterms:AssessmentProfile``; hours from ``ceterms:estimatedDuration``
  (a ``DurationProfile``'s ``exactDuration`` such as ``PT36H``) or a ``creditValue`` in clock or
  contact hours; cost from ``ceterms:estimatedCost`` (``CostProfile`` ``price`` in
  ``currency``); delivery from ``ceterms:deliveryType``; skills from ``ceterms:teaches``;
  prerequisites from ``ceterms:entryCondition``;
- requirements: ``ceterms:requires`` condition profiles (several profiles = all of them), each
  with ``targetCredential`` / ``targetLearningOpportunity`` / ``targetAssessment``,
  ``requiredNumber`` (choose k), ``alternativeCondition`` (any of) and ``creditValue`` in hours
  (min_hours); a credential without them requires its ``hasPart`` (and the items that say
  ``isPartOf`` it);
- CTDL Pathways: ``ceterms:Pathway`` with its destination component, ``CourseComponent`` /
  ``CredentialComponent`` / ``BasicComponent`` ... and ``ceterms:ComponentCondition``
  (``requiredNumber`` of ``targetComponent`` and nested ``hasCondition``) become the
  requirement trees of the credentials the components stand for (``proxyFor``);
- organizations (``offeredBy`` / ``ownedBy``) become providers, ``ceasn:Competency`` nodes
  skills, ``ceterms:Occupation`` / ``ceterms:Job`` nodes jobs.

What cannot be represented is reported in ``messages`` (text-only conditions, durations that are
calendar time rather than learning hours, competency components ...), never dropped silently.

Export (:func:`catalog_to_ctdl`) writes the catalog as JSON-LD with CTDL terms wherever CTDL has
one, and a few extension terms under the ``pathways:`` prefix where it has none; a round trip
(export then import) restores the catalog exactly. Ids become CTIDs (``ce-`` + a UUID 5 of our
id, deterministic), with our id kept in ``ceterms:codedNotation``. See ``docs/interop.md`` for
the term-by-term mapping.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pathways.domain import (
    AllOf,
    AnyOf,
    Catalog,
    Choose,
    Course,
    Credential,
    MinHours,
    Node,
    Ref,
    leaf_ids,
)
from pathways.errors import CatalogError, Diagnostic
from pathways.io._jsonld import JSONProblem, load_json
from pathways.io._jsonld import text as _text
from pathways.io._yaml import atomic_write_text, read_regular_file
from pathways.io.catalog import ValidationReport, catalog_from_data
from pathways.io.dump import number_text, plain_number, requirement_to_data
from pathways.io.trees import MAX_DEPTH

__all__ = [
    "CTDL_CONTEXT",
    "PATHWAYS_NS",
    "REGISTRY_BASE",
    "catalog_from_ctdl",
    "catalog_to_ctdl",
    "credential_level",
    "ctid",
    "import_ctdl",
    "read_ctdl",
    "write_ctdl",
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


# --------------------------------------------------------------------------- shared helpers
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


# --------------------------------------------------------------------------- export
def _describe(node: Node, catalog: Catalog) -> str:
    def name(item_id: str) -> str:
        title = catalog.title(item_id)
        return f"{title} ({item_id})" if title != item_id else item_id

    if isinstance(node, Ref):
        return f"Complete {name(node.id)}."
    if isinstance(node, MinHours):
        return (f"At least {node.hours:g} learning hours from: "
                + "; ".join(name(c) for c in node.courses) + ".")
    what = {AllOf: "All of the following", AnyOf: "Any one of the following"}.get(type(node))
    if what is None:
        what = f"At least {node.k} of the following"
    parts = [name(c.id) if isinstance(c, Ref) else _describe(c, catalog).rstrip(".")
             for c in node.children]  # type: ignore[union-attr]
    return f"{what}: " + "; ".join(parts) + "."


class _Exporter:
    def __init__(self, catalog: Catalog, base: str) -> None:
        self.catalog = catalog
        self.base = base

    def iri(self, item_id: str, kind: str = "item") -> str:
        return self.base + ctid(item_id, kind)

    def profile(self, node: Node) -> dict[str, Any]:
        """One ``ceterms:ConditionProfile`` for a requirement node (nested ones inside)."""
        out: dict[str, Any] = {"@type": "ceterms:ConditionProfile"}
        if node.label is not None:
            out["ceterms:name"] = _lang(node.label)
        out["ceterms:description"] = _lang(_describe(node, self.catalog))
        if isinstance(node, Ref):
            out["pathways:operator"] = "ref"
            self._targets(out, [node.id])
            return out
        if isinstance(node, MinHours):
            out["pathways:operator"] = "min_hours"
            self._targets(out, list(node.courses))
            out["ceterms:creditValue"] = [{
                "@type": "ceterms:ValueProfile",
                "ceterms:creditUnitType": [{
                    "@type": "ceterms:CredentialAlignmentObject",
                    "ceterms:framework": "https://credreg.net/ctdl/terms/CreditUnit",
                    "ceterms:targetNode": "creditUnit:ClockHour",
                    "ceterms:targetNodeName": _lang("Clock Hour")}],
                "schema:minValue": plain_number(node.hours)}]
            return out
        operator = "all" if isinstance(node, AllOf) else "any" if isinstance(node, AnyOf) else "choose"
        out["pathways:operator"] = operator
        if operator != "all":
            out["ceterms:requiredNumber"] = node.k
        self._targets(out, [c.id for c in node.children if isinstance(c, Ref)])  # type: ignore[union-attr]
        out["pathways:members"] = [
            self.iri(c.id) if isinstance(c, Ref) and c.label is None else self.profile(c)
            for c in node.children]  # type: ignore[union-attr]
        return out

    def _targets(self, out: dict[str, Any], ids: list[str]) -> None:
        courses = [self.iri(i) for i in ids if i not in self.catalog.credentials]
        creds = [self.iri(i) for i in ids if i in self.catalog.credentials]
        if courses:
            out["ceterms:targetLearningOpportunity"] = list(dict.fromkeys(courses))
        if creds:
            out["ceterms:targetCredential"] = list(dict.fromkeys(creds))

    def profiles(self, node: Node) -> list[dict[str, Any]]:
        """``ceterms:requires`` profiles: an unlabelled top ``all`` is one profile per child."""
        if isinstance(node, AllOf) and node.label is None and len(node.children) >= 2:
            return [self.profile(child) for child in node.children]
        return [self.profile(node)]

    def alignment(self, skill_id: str) -> dict[str, Any]:
        listed = skill_id in self.catalog.skills
        out = {"@type": "ceterms:CredentialAlignmentObject",
               "ceterms:targetNode": _skill_uri(skill_id, listed, self.base),
               "ceterms:targetNodeName": _lang(self.catalog.skill_label(skill_id)),
               "ceterms:codedNotation": skill_id}
        if skill_id.startswith("esco:"):
            out["ceterms:framework"] = "http://data.europa.eu/esco/skill"
            out["ceterms:frameworkName"] = _lang("ESCO skills")
        return out

    def provider_ref(self, provider: str | None) -> dict[str, Any]:
        return {} if provider is None else {"ceterms:offeredBy": [self.iri(provider, "provider")]}

    def course(self, c: Course) -> dict[str, Any]:
        out: dict[str, Any] = {
            "@id": self.iri(c.id), "@type": "ceterms:Course", "ceterms:ctid": ctid(c.id),
            "ceterms:name": _lang(c.title), "ceterms:codedNotation": c.id}
        if c.description:
            out["ceterms:description"] = _lang(c.description)
        out.update(self.provider_ref(c.provider))
        out["ceterms:estimatedDuration"] = [{"@type": "ceterms:DurationProfile",
                                             "ceterms:exactDuration": _hours_duration(c.hours)}]
        if c.cost:
            out["ceterms:estimatedCost"] = [{
                "@type": "ceterms:CostProfile", "ceterms:description": _lang("Total cost"),
                "ceterms:directCostType": {"@type": "ceterms:CredentialAlignmentObject",
                                           "ceterms:targetNode": "costType:AggregateCost"},
                "ceterms:price": plain_number(c.cost), "ceterms:currency": self.catalog.currency}]
        if c.delivery is not None:
            out["ceterms:deliveryType"] = [{
                "@type": "ceterms:CredentialAlignmentObject",
                "ceterms:framework": "https://credreg.net/ctdl/terms/Delivery",
                "ceterms:targetNode": _DELIVERY_TO_CTDL[c.delivery],
                "ceterms:targetNodeName": _lang(_DELIVERY_NAMES[c.delivery])}]
        if c.prerequisites is not None:
            out["ceterms:entryCondition"] = self.profiles(c.prerequisites)
        if c.skills:
            out["ceterms:teaches"] = [dict(self.alignment(s.skill), **{"pathways:level": s.level})
                                      for s in c.skills]
        if c.terms is not None:
            out["pathways:terms"] = [s for s in ("winter", "summer", "fall") if s in c.terms]
        if c.badge_valid_months is not None:
            out["pathways:badgeValidMonths"] = c.badge_valid_months
        if c.badge_id is not None:
            out["pathways:badgeId"] = c.badge_id
        return out

    def credential(self, cr: Credential) -> dict[str, Any]:
        out: dict[str, Any] = {
            "@id": self.iri(cr.id), "@type": _LEVEL_TO_TYPE[cr.level], "ceterms:ctid": ctid(cr.id),
            "ceterms:name": _lang(cr.title), "ceterms:codedNotation": cr.id}
        if cr.description:
            out["ceterms:description"] = _lang(cr.description)
        if cr.provider is not None:
            out["ceterms:ownedBy"] = [self.iri(cr.provider, "provider")]
            out.update(self.provider_ref(cr.provider))
        out["ceterms:requires"] = self.profiles(cr.requires)
        out["ceterms:hasPart"] = [self.iri(i) for i in leaf_ids(cr.requires)]
        if cr.recency_months is not None:
            out["pathways:recencyMonths"] = cr.recency_months
        if cr.exclusive:
            out["pathways:exclusive"] = True
        if cr.badge_id is not None:
            out["pathways:badgeId"] = cr.badge_id
        return out

    def job(self, job_id: str) -> dict[str, Any]:
        j = self.catalog.jobs[job_id]
        out: dict[str, Any] = {
            "@id": self.iri(j.id, "job"), "@type": "ceterms:Occupation",
            "ceterms:ctid": ctid(j.id, "job"), "ceterms:name": _lang(j.title),
            "ceterms:codedNotation": j.id}
        if j.description:
            out["ceterms:description"] = _lang(j.description)
        if j.id.startswith("esco-occ:"):
            out["ceterms:occupationType"] = [{
                "@type": "ceterms:CredentialAlignmentObject",
                "ceterms:framework": "http://data.europa.eu/esco/occupation",
                "ceterms:targetNode": ESCO_OCCUPATION + j.id.split(":", 1)[1],
                "ceterms:targetNodeName": _lang(j.title)}]
        out["ceterms:skillEmbodied"] = [
            dict(self.alignment(s.skill), **{"ceterms:weight": plain_number(s.importance),
                                             "pathways:essential": s.essential,
                                             "pathways:level": s.level})
            for s in j.skills]
        return out


def catalog_to_ctdl(catalog: Catalog, *, base: str = REGISTRY_BASE) -> dict[str, Any]:
    """The catalog as a CTDL JSON-LD document (``@context`` and ``@graph``).

    Parameters
    ----------
    catalog
        The catalog to export.
    base
        Prefix of every ``@id`` (default: the Credential Registry's resource URL, so the ids are
        the ones the registry would give on publishing; a CTID follows the prefix).

    Returns
    -------
    dict
        JSON-LD: ``ceterms:CredentialOrganization`` per provider, ``ceasn:Competency`` per listed
        skill, ``ceterms:Course`` per course, a credential class per credential
        (``MicroCredential``, ``Certificate``, ``Diploma``, ``Degree``, ``Credential``),
        ``ceterms:Occupation`` per job, and a ``pathways:Catalog`` node with the currency.
        :func:`import_ctdl` restores the catalog exactly.

    Examples
    --------
    >>> from pathways.domain import Catalog, Course, Credential, Choose, Ref
    >>> cat = Catalog(courses={i: Course(i, i, 10) for i in "ABC"}, credentials={
    ...     "MC": Credential("MC", "Micro", "microcredential",
    ...                      Choose(2, (Ref("A"), Ref("B"), Ref("C"))))})
    >>> doc = catalog_to_ctdl(cat)
    >>> mc = doc["@graph"][-1]
    >>> mc["@type"], mc["ceterms:requires"][0]["ceterms:requiredNumber"]
    ('ceterms:MicroCredential', 2)
    """
    ex = _Exporter(catalog, base)
    graph: list[dict[str, Any]] = [{"@id": "urn:pathways:catalog", "@type": "pathways:Catalog",
                                    "pathways:format": "pathways/1",
                                    "pathways:currency": catalog.currency}]
    for p in catalog.providers.values():
        graph.append({
            "@id": ex.iri(p.id, "provider"), "@type": "ceterms:CredentialOrganization",
            "ceterms:ctid": ctid(p.id, "provider"), "ceterms:name": _lang(p.name),
            "ceterms:identifier": [{"@type": "ceterms:IdentifierValue",
                                    "ceterms:identifierTypeName": _lang("pathways provider id"),
                                    "ceterms:identifierValueCode": p.id}]})
    for s in catalog.skills.values():
        node: dict[str, Any] = {
            "@id": ex.iri(s.id, "skill"), "@type": "ceasn:Competency",
            "ceterms:ctid": ctid(s.id, "skill"), "ceasn:competencyLabel": _lang(s.label),
            "ceasn:competencyText": _lang(s.label), "ceasn:codedNotation": s.id}
        if s.id.startswith("esco:") or s.id.startswith(("http://", "https://")):
            node["ceasn:exactAlignment"] = [_skill_uri(s.id, True, base)]
        if s.alt_labels:
            node["skos:altLabel"] = {_LANG: list(s.alt_labels)}
        if s.description:
            node["ceasn:comment"] = _lang(s.description)
        graph.append(node)
    graph.extend(ex.course(c) for c in catalog.courses.values())
    graph.extend(ex.credential(c) for c in catalog.credentials.values())
    graph.extend(ex.job(j) for j in catalog.jobs)
    return {
        "@context": [CTDL_CONTEXT, {
            "pathways": PATHWAYS_NS, "skos": "http://www.w3.org/2004/02/skos/core#",
            "pathways:members": {"@type": "@id", "@container": "@list"}}],
        "@graph": graph,
    }


def write_ctdl(catalog: Catalog, path: str | os.PathLike[str], *, base: str = REGISTRY_BASE) -> None:
    """Write :func:`catalog_to_ctdl` as JSON, atomically."""
    text = json.dumps(catalog_to_ctdl(catalog, base=base), indent=2, ensure_ascii=False)
    atomic_write_text(path, text + "\n")


# --------------------------------------------------------------------------- import
def read_ctdl(path: str | os.PathLike[str]) -> Any:
    """Parse a CTDL JSON-LD file.

    Raises
    ------
    CatalogError
        When the file cannot be read or is not JSON (the message names file and line).
    """
    raw = read_regular_file(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CatalogError(Diagnostic(f"not UTF-8 text ({err.reason} at byte {err.start})",
                                      file=str(path), hint="save the file as UTF-8")) from err
    try:
        return load_json(text, max_depth=MAX_CTDL_DEPTH)
    except JSONProblem as err:
        message = (f"not valid JSON: {err.reason} (column {err.column})" if err.reason
                   else str(err))
        raise CatalogError(Diagnostic(message, file=str(path), line=err.line,
                                      hint="CTDL is JSON-LD: check commas and brackets; nest "
                                           "objects a few levels, not hundreds")) from err


def _key(key: str) -> str:
    for long, short in _PREFIXES.items():
        if key.startswith(long):
            return short + key[len(long):]
    return key


def _normalise(value: Any) -> Any:
    """Keys and ``@type`` values with full CTDL IRIs shortened to ``ceterms:`` / ``ceasn:``."""
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            k = _key(k)
            if k == "@type":
                v = [_key(t) for t in v] if isinstance(v, list) else _key(v) if isinstance(v, str) else v
            out[k] = _normalise(v)
        return out
    return value


def _texts(value: Any) -> list[str]:
    """Every string of a language map whose values may be lists (``skos:altLabel``)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    if isinstance(value, dict):
        if "@value" in value:
            return _texts(value["@value"])
        for k in (_LANG, "en", *value):
            if k in value:
                return _texts(value[k])
    return []


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _get(node: dict[str, Any], name: str) -> Any:
    """A property under ``ceterms:`` or ``ceasn:`` (CTDL uses both for some pathway terms)."""
    for prefix in ("ceterms:", "ceasn:"):
        if prefix + name in node:
            return node[prefix + name]
    return None


def _type_names(node: dict[str, Any]) -> list[str]:
    return [t.split(":")[-1] for t in _list(node.get("@type")) if isinstance(t, str)]


@dataclass
class _Item:
    kind: str  # course | credential | provider | skill | job | component | pathway | catalog
    node: dict[str, Any]
    id: str = ""
    level: str | None = None


@dataclass
class _Graph:
    """The JSON-LD nodes by ``@id`` (and by CTID), embedded nodes lifted out."""

    nodes: list[dict[str, Any]] = field(default_factory=list)
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_ctid: dict[str, dict[str, Any]] = field(default_factory=dict)
    blank: int = 0

    def add(self, node: dict[str, Any]) -> dict[str, Any]:
        if "@id" not in node:
            self.blank += 1
            node["@id"] = f"_:b{self.blank}"
        existing = self.by_id.get(node["@id"])
        if existing is not None:
            if existing is not node:
                for k, v in node.items():  # the same resource described twice: merge
                    existing.setdefault(k, v)
            return existing
        self.by_id[node["@id"]] = node
        code = node.get("ceterms:ctid")
        if isinstance(code, str):
            self.by_ctid[code.lower()] = node
        self.nodes.append(node)
        return node

    def resolve(self, ref: Any) -> dict[str, Any] | None:
        if isinstance(ref, dict):
            if "@type" in ref and len(ref) > 1:
                return self.add(ref)
            ref = ref.get("@id")
        if not isinstance(ref, str):
            return None
        node = self.by_id.get(ref)
        if node is None:
            match = _CTID.search(ref)
            if match:
                node = self.by_ctid.get(match.group(0).lower())
        return node


_RESOURCE_TYPES = (_COURSE_TYPES | _ORG_TYPES | _JOB_TYPES | {"Competency", "Pathway"})


def _is_resource(node: dict[str, Any]) -> bool:
    names = _type_names(node)
    return any(n in _RESOURCE_TYPES or n.endswith("Component") or credential_level(n)
               for n in names)


def _collect(data: Any) -> _Graph:
    data = _normalise(data)
    if isinstance(data, dict) and "@graph" in data:
        top = data["@graph"]
        if isinstance(top, dict) and not ("@id" in top or "@type" in top):
            raise CatalogError(Diagnostic(
                "@graph is an object, not a list of nodes: its members would be read as one "
                "node without a type, and nothing imported",
                hint='write "@graph": [ {...}, {...} ], each node with its "@id" and "@type"'))
        top = _list(top)
    elif isinstance(data, list):
        top = data
    elif isinstance(data, dict):
        top = [data]
    else:
        raise CatalogError(Diagnostic(f"the CTDL data is a {type(data).__name__}, not JSON-LD objects",
                                      hint="give a JSON-LD document with @graph, or a list of objects"))
    graph = _Graph()
    first: dict[str, int] = {}
    problems: list[Diagnostic] = []
    for index, node in enumerate(top):
        if not isinstance(node, dict):
            continue
        ident = node.get("@id")
        if isinstance(ident, str) and ident in first:
            existing = graph.by_id[ident]
            clash = sorted(k for k, v in node.items() if k in existing and existing[k] != v)
            if clash:
                problems.append(Diagnostic(
                    f"@id {ident} is described twice, differently (@graph[{first[ident]}] and "
                    f"@graph[{index}] disagree on {', '.join(clash[:3])}): one would be lost",
                    id=ident, hint="keep one description of each node, or give them "
                                   "different @id"))
                continue
        elif isinstance(ident, str):
            first[ident] = index
        graph.add(node)
    if problems:
        raise CatalogError(problems)
    # lift embedded resources (a course written inside a condition profile, ...)
    stack = list(graph.nodes)
    while stack:
        node = stack.pop()
        for key, value in node.items():
            if key.startswith("@"):
                continue
            for item in _list(value):
                if isinstance(item, dict):
                    if "@id" in item and "@type" in item and _is_resource(item) \
                            and item["@id"] not in graph.by_id:
                        graph.add(item)
                    stack.append(item)
    return graph


class _Importer:
    def __init__(self, data: Any, messages: list[str]) -> None:
        self.graph = _collect(data)
        self.messages = messages
        self.items: dict[str, _Item] = {}  # @id -> item
        self.ours = any("Catalog" in _type_names(n) and n.get("pathways:format") for n in self.graph.nodes)
        self.currencies: dict[str, int] = {}
        self.used_ids: dict[str, set[str]] = {}
        self.course_ids: set[str] = set()

    def note(self, text: str) -> None:
        self.messages.append(text)

    # ----------------------------------------------------------------- ids and kinds
    def our_id(self, node: dict[str, Any], kind: str) -> str:
        code = None
        if kind == "provider":
            for ident in _list(node.get("ceterms:identifier")):
                if isinstance(ident, dict) and ident.get("ceterms:identifierValueCode"):
                    code = str(ident["ceterms:identifierValueCode"])
                    break
            if code is None and not self.ours:  # a readable id from the organization's name
                name = _text(_get(node, "name"))
                code = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") if name else None
        else:
            code = _text(_get(node, "codedNotation"))
        candidates = [code, node.get("ceterms:ctid"), node.get("@id")]
        if not self.ours:
            candidates = [re.sub(r"[\s()]+", "-", c.strip()).strip("-") if isinstance(c, str) else c
                          for c in candidates]
        space = "item" if kind in ("course", "credential") else kind
        used = self.used_ids.setdefault(space, set())
        for cand in candidates:
            if isinstance(cand, str) and cand and cand not in used:
                if cand != candidates[0] and candidates[0]:
                    self.note(f"{node.get('@id')}: code {candidates[0]} is used twice; id {cand} instead")
                used.add(cand)
                return cand
        fallback = f"{space}-{len(used) + 1}"
        used.add(fallback)
        return fallback

    def classify(self) -> None:
        for node in self.graph.nodes:
            names = _type_names(node)
            kind, level = None, None
            if "Catalog" in names and node.get("pathways:format"):
                kind = "catalog"
            elif any(n in _ORG_TYPES for n in names):
                kind = "provider"
            elif "Competency" in names:
                kind = "skill"
            elif "Pathway" in names:
                kind = "pathway"
            elif any(n.endswith("Component") for n in names):
                kind = "component"
            elif any(n in _JOB_TYPES for n in names):
                kind = "job"
            elif any(credential_level(n) for n in names):
                kind = "credential"
                level = next(credential_level(n) for n in names if credential_level(n))
            elif "LearningProgram" in names and _get(node, "hasPart"):
                kind, level = "credential", "other"
                self.note(f"{_text(_get(node, 'name')) or node['@id']}: a LearningProgram with parts, "
                          "imported as a credential (level other) that requires its parts")
            elif any(n in _COURSE_TYPES for n in names):
                kind = "course"
            if kind is None:
                continue
            item = _Item(kind, node, level=level)
            if kind in ("course", "credential", "provider", "skill", "job"):
                item.id = self.our_id(node, kind)
            self.items[node["@id"]] = item

    def item(self, ref: Any) -> _Item | None:
        node = self.graph.resolve(ref)
        return self.items.get(node["@id"]) if node is not None else None

    # ----------------------------------------------------------------- values
    def hours(self, node: dict[str, Any], name: str) -> float:
        for profile in _list(_get(node, "estimatedDuration")):
            if not isinstance(profile, dict):
                continue
            for key in ("exactDuration", "maximumDuration", "minimumDuration"):
                text = _text(_get(profile, key))
                if text:
                    hours = _duration_hours(text)
                    if hours is not None:
                        return hours
                    self.note(f"{name}: duration {text} is calendar time, not learning hours")
        credit = self.credit_hours(node)
        if credit is not None:
            return credit
        self.note(f"{name}: no learning hours in the CTDL (an estimatedDuration such as PT36H, or a "
                  "creditValue in clock hours); hours set to 1, edit the catalog")
        return 1.0

    def credit_hours(self, node: dict[str, Any]) -> float | None:
        for value in _list(_get(node, "creditValue")):
            if not isinstance(value, dict):
                continue
            units = " ".join(
                (_text(u.get("ceterms:targetNode")) or "") + " " + (_text(u.get("ceterms:targetNodeName")) or "")
                if isinstance(u, dict) else str(u) for u in _list(_get(value, "creditUnitType")))
            if not any(h in units.lower().replace(" ", "") for h in _HOUR_UNITS):
                continue
            for key in ("schema:value", "schema:minValue", "ceterms:value", "ceterms:minValue"):
                number = value.get(key)
                if isinstance(number, (int, float)) and not isinstance(number, bool) and number > 0:
                    return float(number)
                if isinstance(number, str):
                    try:
                        return float(number)
                    except ValueError:
                        pass
        return None

    def cost(self, node: dict[str, Any], name: str) -> float | None:
        profiles = [p for p in _list(_get(node, "estimatedCost")) if isinstance(p, dict)]
        if not profiles:
            return None
        aggregate = [p for p in profiles
                     if "AggregateCost" in json.dumps(p.get("ceterms:directCostType", ""))]
        chosen = aggregate[:1] or profiles
        total = 0.0
        for p in chosen:
            price = p.get("ceterms:price")
            try:
                total += float(price)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                self.note(f"{name}: cost profile without a numeric price ({price!r}) ignored")
                continue
            currency = _text(p.get("ceterms:currency"))
            if currency:
                code = _CURRENCY_NAMES.get(currency.strip().lower(), currency.strip().upper())
                self.currencies[code] = self.currencies.get(code, 0) + 1
        return total

    def skill_id(self, alignment: dict[str, Any]) -> str | None:
        code = _text(alignment.get("ceterms:codedNotation"))
        if code:
            return code
        target = alignment.get("ceterms:targetNode")
        target = target.get("@id") if isinstance(target, dict) else target
        if isinstance(target, str):
            if target.startswith((ESCO_SKILL, ESCO_SKILL.replace("http:", "https:"))):
                return "esco:" + target.rstrip("/").rsplit("/", 1)[1]
            item = self.item(target)
            if item is not None and item.kind == "skill":
                return item.id
            return target
        name = _text(alignment.get("ceterms:targetNodeName"))
        return name

    def provider(self, node: dict[str, Any]) -> str | None:
        for key in ("offeredBy", "ownedBy"):
            for ref in _list(_get(node, key)):
                item = self.item(ref)
                if item is not None and item.kind == "provider":
                    return item.id
                iri = ref.get("@id") if isinstance(ref, dict) else ref
                if isinstance(iri, str):
                    return self.external_provider(iri)
        return None

    def external_provider(self, iri: str) -> str:
        """A provider for an organization that the document only links to."""
        node = {"@id": iri, "@type": "ceterms:CredentialOrganization"}
        match = _CTID.search(iri)
        if match:
            node["ceterms:ctid"] = match.group(0)
        node = self.graph.add(node)
        item = self.items.get(node["@id"])
        if item is None:
            item = _Item("provider", node, id=self.our_id(node, "provider"))
            self.items[node["@id"]] = item
            self.note(f"provider {iri} is only linked, not described: named by its id")
        return item.id

    # ----------------------------------------------------------------- conditions
    def ref_node(self, ref: Any, where: str) -> Node | None:
        item = self.item(ref)
        iri = ref.get("@id") if isinstance(ref, dict) else ref
        if item is None or item.kind not in ("course", "credential"):
            self.note(f"{where}: target {iri} is not a course or credential of the document; dropped")
            return None
        return Ref(item.id)

    def condition(self, profile: Any, where: str) -> Node | None:
        if isinstance(profile, str):
            resolved = self.graph.resolve(profile)
            profile = resolved if resolved is not None else {}
        if not isinstance(profile, dict):
            return None
        label = _text(_get(profile, "name"))
        operator = profile.get("pathways:operator")
        targets = [*_list(_get(profile, "targetLearningOpportunity")),
                   *_list(_get(profile, "targetCredential")), *_list(_get(profile, "targetAssessment"))]
        if operator == "ref":
            node = self.ref_node(targets[0], where) if targets else None
            return Ref(node.id, label) if isinstance(node, Ref) else None
        if operator == "min_hours":
            courses = [n.id for t in targets if isinstance(n := self.ref_node(t, where), Ref)]
            hours = self.credit_hours(profile)
            if not courses or hours is None:
                return None
            return MinHours(hours, tuple(courses), label)
        if operator in ("all", "any", "choose"):
            children = []
            for member in _list(profile.get("pathways:members")):
                child = (self.condition(member, where) if isinstance(member, dict) and "@type" in member
                         else self.ref_node(member, where))
                if child is not None:
                    children.append(child)
            if not children:
                return None
            if operator == "all":
                return AllOf(tuple(children), label)
            if operator == "any":
                return AnyOf(tuple(children), label)
            return Choose(int(profile.get("ceterms:requiredNumber", 1)), tuple(children), label)
        return self.foreign_condition(profile, targets, label, where)

    def foreign_condition(self, profile: dict[str, Any], targets: list[Any], label: str | None,
                          where: str) -> Node | None:
        children = [n for t in targets if (n := self.ref_node(t, where)) is not None]
        own: Node | None = None
        credit = self.credit_hours(profile)
        k = profile.get("ceterms:requiredNumber")
        if children and credit is not None:
            courses = tuple(c.id for c in children if isinstance(c, Ref) and c.id in self.course_ids)
            if len(courses) < len(children):
                self.note(f"{where}: min hours over credentials are not supported; those dropped")
            own = MinHours(credit, courses, label) if courses else None
        elif children and _get(profile, "creditValue") and k is None:
            self.note(f"{where}: a credit value in units other than hours cannot be planned; "
                      "read as any one of its targets")
            own = AnyOf(tuple(children), label)
        elif children and isinstance(k, (int, float)) and not isinstance(k, bool):
            k = int(k)
            own = AnyOf(tuple(children), label) if k == 1 else Choose(k, tuple(children), label)
        elif len(children) == 1:
            only = children[0]
            own = Ref(only.id, label) if isinstance(only, Ref) else only
        elif children:
            own = AllOf(tuple(children), label)
        alternatives = [n for alt in _list(_get(profile, "alternativeCondition"))
                        if (n := self.condition(alt, where)) is not None]
        if own is None and not alternatives:
            text = _text(_get(profile, "description")) or label or "a condition"
            self.note(f"{where}: condition without courses or credentials skipped ({text[:80]})")
            return None
        if not alternatives:
            return own
        options = ([own] if own is not None else []) + alternatives
        return options[0] if len(options) == 1 else AnyOf(tuple(options))

    def conditions(self, profiles: Any, where: str) -> Node | None:
        nodes = [n for p in _list(profiles) if (n := self.condition(p, where)) is not None]
        if not nodes:
            return None
        return nodes[0] if len(nodes) == 1 else AllOf(tuple(nodes))

    # ----------------------------------------------------------------- pathways
    def component_node(self, component: dict[str, Any], where: str, seen: frozenset[str]) -> Node | None:
        """The requirement a pathway component stands for (a course, a credential, a group)."""
        names = _type_names(component)
        proxy = self.item(_get(component, "proxyFor"))
        if proxy is not None and proxy.kind in ("course", "credential"):
            return Ref(proxy.id)
        if component["@id"] in self.items and self.items[component["@id"]].kind in ("course", "credential"):
            return Ref(self.items[component["@id"]].id)
        if any(n in ("CourseComponent", "AssessmentComponent", "CredentialComponent") for n in names):
            return Ref(self.component_item(component).id)
        if component["@id"] in seen:
            self.note(f"{where}: component cycle at {component['@id']}; cut")
            return None
        if len(seen) >= MAX_DEPTH:
            raise CatalogError(Diagnostic(
                f"{where}: pathway components nested more than {MAX_DEPTH} deep (at "
                f"{component['@id']})", id=str(component["@id"]),
                hint="a pathway's components nest a few levels; flatten the chain"))
        return self.component_requirement(component, where, seen | {component["@id"]}, label=True)

    def component_item(self, component: dict[str, Any]) -> _Item:
        """A course or credential made from a component that has no ``proxyFor`` resource."""
        names = _type_names(component)
        if "CredentialComponent" in names:
            ctype = _text(_get(component, "credentialType")) or "ceterms:Credential"
            item = _Item("credential", component, level=credential_level(ctype) or "other")
        else:
            item = _Item("course", component)
        item.id = self.our_id(component, item.kind)
        self.items[component["@id"]] = item
        if item.kind == "course":
            self.course_ids.add(item.id)
        return item

    def component_requirement(self, component: dict[str, Any], where: str, seen: frozenset[str],
                              *, label: bool = False) -> Node | None:
        conditions = _list(_get(component, "hasCondition"))
        if conditions:
            nodes = [n for c in conditions if (n := self.component_condition(c, where, seen)) is not None]
        else:
            nodes = [n for child in _list(_get(component, "hasChild"))
                     if (c := self.graph.resolve(child)) is not None
                     and (n := self.component_node(c, where, seen)) is not None]
            if nodes and len(nodes) > 1:
                nodes = [AllOf(tuple(nodes))]
        if not nodes:
            return None
        node = nodes[0] if len(nodes) == 1 else AllOf(tuple(nodes))
        name = _text(_get(component, "name")) if label else None
        if name and isinstance(node, (AllOf, AnyOf, Choose)) and node.label is None:
            node = _relabel(node, name)
        return node

    def component_condition(self, condition: Any, where: str, seen: frozenset[str]) -> Node | None:
        if isinstance(condition, str):
            condition = self.graph.resolve(condition) or {}
        if not isinstance(condition, dict):
            return None
        children: list[Node] = []
        for target in _list(_get(condition, "targetComponent")):
            component = self.graph.resolve(target)
            if component is None:
                self.note(f"{where}: target component {target} not found; dropped")
                continue
            if any(n in ("CompetencyComponent", "JobComponent", "WorkExperienceComponent",
                         "CocurricularComponent", "ExtracurricularComponent")
                   for n in _type_names(component)):
                self.note(f"{where}: {', '.join(_type_names(component))} "
                          f"{_text(_get(component, 'name')) or component['@id']} cannot be planned; dropped")
                continue
            node = self.component_node(component, where, seen)
            if node is not None:
                children.append(node)
        for sub in _list(_get(condition, "hasCondition")):
            node = self.component_condition(sub, where, seen)
            if node is not None:
                children.append(node)
        if not children:
            return None
        label = _text(_get(condition, "name"))
        k = condition.get("ceterms:requiredNumber")
        if isinstance(k, (int, float)) and not isinstance(k, bool) and 0 < int(k) < len(children):
            k = int(k)
            return AnyOf(tuple(children), label) if k == 1 else Choose(k, tuple(children), label)
        if isinstance(k, (int, float)) and int(k) > len(children):
            self.note(f"{where}: requiredNumber {k} but only {len(children)} targets")
            return Choose(int(k), tuple(children), label)
        if len(children) == 1:
            only = children[0]
            if label is None:
                return only
            return Ref(only.id, label) if isinstance(only, Ref) else _relabel(only, label)
        return AllOf(tuple(children), label)

    def pathways(self) -> dict[str, Node]:
        """Requirement trees from CTDL pathways, by credential id."""
        trees: dict[str, Node] = {}
        for node in self.graph.nodes:
            if "Pathway" not in _type_names(node):
                continue
            name = _text(_get(node, "name")) or node["@id"]
            destinations = [d for ref in _list(_get(node, "hasDestinationComponent"))
                            if (d := self.graph.resolve(ref)) is not None]
            destinations += [c for c in self.graph.nodes
                             if node["@id"] in [r.get("@id") if isinstance(r, dict) else r
                                                for r in _list(_get(c, "isDestinationComponentOf"))]
                             and c not in destinations]
            if not destinations:
                self.note(f"pathway {name}: no destination component; skipped")
                continue
            for dest in destinations:
                where = f"pathway {name}"
                proxy = self.item(_get(dest, "proxyFor"))
                if proxy is None and "CredentialComponent" not in _type_names(dest):
                    # a pathway to a basic goal: the pathway itself is the credential
                    target = self.items[node["@id"]]
                    if target.kind == "pathway":
                        target.kind, target.level = "credential", "other"
                        target.id = self.our_id(node, "credential")
                    tree = self.component_requirement(dest, where, frozenset({dest["@id"]}))
                else:
                    target = proxy if proxy is not None else self.items.get(dest["@id"]) \
                        or self.component_item(dest)
                    tree = self.component_requirement(dest, where, frozenset({dest["@id"]}))
                if target.kind != "credential":
                    self.note(f"{where}: the destination is a {target.kind}, not a credential; skipped")
                    continue
                if tree is not None:
                    trees.setdefault(target.id, tree)
                # intermediate credential components with conditions of their own
                for comp in self.graph.nodes:
                    if "CredentialComponent" in _type_names(comp) and comp is not dest \
                            and _get(comp, "hasCondition"):
                        item = self.item(_get(comp, "proxyFor")) or self.items.get(comp["@id"]) \
                            or self.component_item(comp)
                        sub = self.component_requirement(comp, where, frozenset({comp["@id"]}))
                        if sub is not None and item.kind == "credential":
                            trees.setdefault(item.id, sub)
        return trees

    # ----------------------------------------------------------------- assemble
    def run(self) -> dict[str, Any]:
        self.classify()
        self.course_ids = {i.id for i in self.items.values() if i.kind == "course"}
        pathway_trees = self.pathways()
        self.course_ids = {i.id for i in self.items.values() if i.kind == "course"}
        data: dict[str, Any] = {"format": "pathways/1"}
        catalog_node: dict[str, Any] | None = next(
            (i.node for i in self.items.values() if i.kind == "catalog"), None)
        items = list(self.items.values())
        order = {id(n): i for i, n in enumerate(self.graph.nodes)}
        items.sort(key=lambda i: order.get(id(i.node), len(order)))

        providers = [{"id": i.id, "name": _text(_get(i.node, "name")) or i.id}
                     for i in items if i.kind == "provider"]
        skills = []
        for i in items:
            if i.kind != "skill":
                continue
            entry: dict[str, Any] = {"id": i.id, "label": _text(_get(i.node, "competencyLabel"))
                                     or _text(_get(i.node, "competencyText")) or i.id}
            alt = _texts(i.node.get("skos:altLabel"))
            if alt:
                entry["alt_labels"] = alt
            description = _text(_get(i.node, "comment"))
            if description:
                entry["description"] = description
            skills.append(entry)
        parts = self.parts()
        courses = [self.course_data(i) for i in items if i.kind == "course"]
        credentials = []
        for i in items:
            if i.kind != "credential":
                continue
            made = self.credential_data(i, pathway_trees.get(i.id), parts.get(i.node["@id"], []))
            if made is not None:
                credentials.append(made)
        jobs = [self.job_data(i) for i in items if i.kind == "job"]
        if not (providers or skills or courses or credentials or jobs or self.ours):
            seen = len(self.graph.nodes)
            raise CatalogError(Diagnostic(
                f"no CTDL course, credential, competency, organization or occupation among the "
                f"{seen} node(s) read: nothing to import",
                hint="check the @type of the nodes (ceterms:Course, ceterms:Certificate ...) "
                     "and that the data is under @graph"))

        listed = {s["id"] for s in skills}
        for table in (courses, jobs):
            for entry in table:
                for s in entry.get("skills", []):
                    sid = s["skill"]
                    if sid not in listed and not sid.startswith(("esco:", "onet:", "onet-tech:",
                                                                "http://", "https://")):
                        skills.append({"id": sid, "label": s.pop("_label", None) or sid})
                        listed.add(sid)
                    s.pop("_label", None)
        currency = catalog_node.get("pathways:currency") if catalog_node else None
        if currency is None and self.currencies:
            currency = max(self.currencies, key=self.currencies.__getitem__)
            if len(self.currencies) > 1:
                self.note(f"costs in several currencies ({', '.join(self.currencies)}); the catalog "
                          f"uses {currency} and keeps the numbers as they are")
            if not re.fullmatch(r"[A-Z]{3}", currency):
                self.note(f"currency {currency!r} is not an ISO 4217 code; CAD assumed")
                currency = None
        if currency:
            data["currency"] = currency
        for key, table in (("providers", providers), ("skills", skills), ("courses", courses),
                           ("credentials", credentials), ("jobs", jobs)):
            if table:
                data[key] = table
        return data

    def parts(self) -> dict[str, list[str]]:
        """Credential @id -> ids of its parts, from ``hasPart`` and the inverse ``isPartOf``."""
        out: dict[str, list[str]] = {}
        for i in list(self.items.values()):
            if i.kind != "credential":
                continue
            for ref in _list(_get(i.node, "hasPart")):
                part = self.item(ref)
                if part is not None and part.kind in ("course", "credential"):
                    out.setdefault(i.node["@id"], []).append(part.id)
        for i in list(self.items.values()):
            for ref in _list(_get(i.node, "isPartOf")):
                whole = self.item(ref)
                if whole is not None and whole.kind == "credential" and i.kind in ("course", "credential"):
                    ids = out.setdefault(whole.node["@id"], [])
                    if i.id not in ids:
                        ids.append(i.id)
        return out

    def skills_of(self, node: dict[str, Any], key: str) -> list[dict[str, Any]]:
        out = []
        for a in _list(_get(node, key)):
            if not isinstance(a, dict):
                continue
            sid = self.skill_id(a)
            if not sid:
                continue
            entry: dict[str, Any] = {"skill": sid}
            level = a.get("pathways:level")
            if isinstance(level, int) and 1 <= level <= 4:
                entry["level"] = level
            entry["_label"] = _text(a.get("ceterms:targetNodeName"))
            out.append(entry)
        return out

    def course_data(self, i: _Item) -> dict[str, Any]:
        node = i.node
        title = _text(_get(node, "name")) or i.id
        out: dict[str, Any] = {"id": i.id, "title": title}
        provider = self.provider(node)
        if provider:
            out["provider"] = provider
        out["hours"] = plain_number(self.hours(node, f"course {i.id}"))
        cost = self.cost(node, f"course {i.id}")
        if cost:
            out["cost"] = plain_number(cost)
        for d in _list(_get(node, "deliveryType")):
            target = _text(d.get("ceterms:targetNode")) if isinstance(d, dict) else _text(d)
            mode = _DELIVERY_FROM_CTDL.get((target or "").split(":")[-1].lower())
            if mode:
                out["delivery"] = mode
                break
        terms = node.get("pathways:terms")
        if isinstance(terms, list):
            out["terms"] = terms
        prereq = self.conditions([*_list(_get(node, "entryCondition"))], f"course {i.id}")
        if prereq is not None:
            data = self.prerequisite_data(prereq, f"course {i.id}")
            if data is not None:
                out["prerequisites"] = data
        skills = self.skills_of(node, "teaches") + self.skills_of(node, "assesses")
        if skills:
            out["skills"] = skills
        for key, ours in (("pathways:badgeValidMonths", "badge_valid_months"),
                          ("pathways:badgeId", "badge_id")):
            if key in node:
                out[ours] = node[key]
        description = _text(_get(node, "description"))
        if description:
            out["description"] = description
        return out

    def prerequisite_data(self, node: Node, where: str) -> Any:
        if isinstance(node, Ref):
            if node.id not in self.course_ids:
                self.note(f"{where}: prerequisite {node.id} is not a course; dropped")
                return None
            return node.id
        if isinstance(node, MinHours):
            self.note(f"{where}: a minimum-hours prerequisite cannot be expressed; dropped")
            return None
        children = [d for c in node.children if (d := self.prerequisite_data(c, where)) is not None]  # type: ignore[union-attr]
        if not children:
            return None
        if isinstance(node, Choose) and 1 < node.k < len(node.children):
            self.note(f"{where}: prerequisite 'choose {node.k}' is read as any one of them")
        key = "all" if isinstance(node, AllOf) or (isinstance(node, Choose) and node.k >= len(
            node.children)) else "any"
        return children[0] if len(children) == 1 else {key: children}

    def credential_data(self, i: _Item, pathway_tree: Node | None, parts: list[str]) -> dict[str, Any] | None:
        node = i.node
        title = _text(_get(node, "name")) or i.id
        tree = self.conditions(_get(node, "requires"), f"credential {i.id}")
        if tree is None:
            tree = pathway_tree
        if tree is None and parts:
            tree = Ref(parts[0]) if len(parts) == 1 else AllOf(tuple(Ref(p) for p in parts))
        if tree is None:
            self.note(f"credential {i.id} ({title}): no requirements (no requires condition "
                      "naming courses or credentials, no hasPart, no pathway); skipped")
            return None
        out: dict[str, Any] = {"id": i.id, "title": title, "level": i.level or "other"}
        provider = self.provider(node)
        if provider:
            out["provider"] = provider
        out["requires"] = requirement_to_data(tree)
        if "pathways:recencyMonths" in node:
            out["recency_months"] = node["pathways:recencyMonths"]
        if node.get("pathways:exclusive"):
            out["exclusive"] = True
        if "pathways:badgeId" in node:
            out["badge_id"] = node["pathways:badgeId"]
        description = _text(_get(node, "description"))
        if description:
            out["description"] = description
        return out

    def job_data(self, i: _Item) -> dict[str, Any]:
        node = i.node
        out: dict[str, Any] = {"id": i.id, "title": _text(_get(node, "name")) or i.id}
        description = _text(_get(node, "description"))
        if description:
            out["description"] = description
        skills = []
        for a in _list(_get(node, "skillEmbodied")):
            if not isinstance(a, dict):
                continue
            sid = self.skill_id(a)
            if not sid:
                continue
            entry: dict[str, Any] = {"skill": sid, "_label": _text(a.get("ceterms:targetNodeName"))}
            weight = a.get("ceterms:weight")
            essential = a.get("pathways:essential")
            if isinstance(weight, (int, float)) and not isinstance(weight, bool) and 0 < weight <= 1:
                if essential is True and weight == 1:
                    entry["importance"] = "essential"
                elif essential is False and weight == 0.5:
                    entry["importance"] = "optional"
                else:
                    entry["importance"] = plain_number(weight)
            level = a.get("pathways:level")
            if isinstance(level, int) and 1 <= level <= 4:
                entry["level"] = level
            skills.append(entry)
        out["skills"] = skills
        return out


def _relabel(node: Node, label: str) -> Node:
    if isinstance(node, AllOf):
        return AllOf(node.children, label)
    if isinstance(node, AnyOf):
        return AnyOf(node.children, label)
    if isinstance(node, Choose):
        return Choose(node.k, node.children, label)
    return node


def import_ctdl(source: str | os.PathLike[str] | dict[str, Any] | list[Any], *,
                messages: list[str] | None = None) -> dict[str, Any]:
    """Catalog data (the YAML shape) from CTDL JSON-LD.

    Parameters
    ----------
    source
        A path to a JSON-LD file, or the parsed JSON (a document with ``@graph``, a list of
        objects, or one object).
    messages
        When given, receives one line per thing that could not be represented exactly
        (text-only conditions, calendar durations, unknown targets ...).

    Returns
    -------
    dict
        Catalog data for :func:`~pathways.io.catalog.catalog_from_data`; see the module doc for
        the mapping.

    Raises
    ------
    CatalogError
        When the file cannot be read or is not JSON-LD objects.

    Examples
    --------
    >>> doc = {"@context": "https://credreg.net/ctdl/schema/context/json", "@graph": [
    ...   {"@id": "https://example.org/c1", "@type": "ceterms:Course",
    ...    "ceterms:name": {"en-US": "Intro"}, "ceterms:codedNotation": "C-1",
    ...    "ceterms:estimatedDuration": [{"@type": "ceterms:DurationProfile",
    ...                                  "ceterms:exactDuration": "PT12H"}]},
    ...   {"@id": "https://example.org/b1", "@type": "ceterms:Badge",
    ...    "ceterms:name": {"en-US": "Intro badge"}, "ceterms:requires": [
    ...      {"@type": "ceterms:ConditionProfile",
    ...       "ceterms:targetLearningOpportunity": ["https://example.org/c1"]}]}]}
    >>> data = import_ctdl(doc)
    >>> data["courses"][0]["hours"], data["credentials"][0]["level"], data["credentials"][0]["requires"]
    (12, 'microcredential', 'C-1')
    """
    if isinstance(source, (str, os.PathLike)):
        data = read_ctdl(source)
    else:  # a private copy (nodes are merged in place), checked as a file would be
        try:
            data = load_json(json.dumps(source, allow_nan=False), max_depth=MAX_CTDL_DEPTH)
        except (JSONProblem, ValueError, TypeError, RecursionError) as err:
            raise CatalogError(Diagnostic(f"not usable as JSON-LD: {err}",
                                          hint="give JSON data: objects, lists, text and finite "
                                               "numbers, nested a few levels")) from None
    return _Importer(data, messages if messages is not None else []).run()


def catalog_from_ctdl(source: str | os.PathLike[str] | dict[str, Any] | list[Any], *,
                      messages: list[str] | None = None) -> ValidationReport:
    """Import CTDL (see :func:`import_ctdl`) and validate it as a catalog.

    Raises
    ------
    CatalogError
        When the file cannot be read, or the imported catalog is not valid.
    """
    name = str(source) if isinstance(source, (str, os.PathLike)) else "<ctdl>"
    return catalog_from_data(import_ctdl(source, messages=messages), source=name)
