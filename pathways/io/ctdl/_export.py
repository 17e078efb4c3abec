"""A catalog as CTDL JSON-LD (:func:`catalog_to_ctdl`, :func:`write_ctdl`): CTDL terms wherever
CTDL has one, ``pathways:`` extension terms where it has none; importing the result
(:mod:`~pathways.io.ctdl._import`) restores the catalog exactly."""

from __future__ import annotations

import json
import os
from typing import Any

from pathways.domain import AllOf, AnyOf, Catalog, Course, Credential, MinHours, Node, Ref, leaf_ids
from pathways.io._yaml import atomic_write_text
from pathways.io.ctdl._terms import (
    _DELIVERY_NAMES,
    _DELIVERY_TO_CTDL,
    _LANG,
    _LEVEL_TO_TYPE,
    CTDL_CONTEXT,
    ESCO_OCCUPATION,
    PATHWAYS_NS,
    REGISTRY_BASE,
    _hours_duration,
    _lang,
    _skill_uri,
    ctid,
)
from pathways.io.dump import plain_number

__all__ = ["catalog_to_ctdl", "write_ctdl"]


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


def _details_text(details: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    """An item's ``details`` as the JSON text of ``pathways:details`` (CTDL has no term for
    what a record says that the catalog only keeps)."""
    return json.dumps({k: list(v) for k, v in details}, ensure_ascii=False)


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
        if c.hours_stated:
            out["ceterms:estimatedDuration"] = [{"@type": "ceterms:DurationProfile",
                                                 "ceterms:exactDuration": _hours_duration(c.hours)}]
        else:  # no CTDL duration: the record states none; the placeholder stays ours
            out["pathways:hoursStated"] = False
            out["pathways:placeholderHours"] = plain_number(c.hours)
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
        if c.details:
            out["pathways:details"] = _details_text(c.details)
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
        if cr.details:
            out["pathways:details"] = _details_text(cr.details)
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
