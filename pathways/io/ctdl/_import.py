"""CTDL JSON-LD read into catalog data (:func:`import_ctdl`, :func:`catalog_from_ctdl`): see
:mod:`pathways.io.ctdl` for what becomes what, and ``docs/interop.md`` term by term.

Every document (a file, a directory's files, uploaded bytes, the resources inside Credential
Registry envelopes) is brought to one JSON-LD shape by PyLD (:mod:`~pathways.io.ctdl._context`),
its nodes put in one graph, and references are resolved across all of them (by ``@id``, and by
the CTID inside an ``@id``, so ``.../resources/ce-...`` and ``.../graph/ce-...`` meet).
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pathways.domain import AllOf, AnyOf, Choose, MinHours, Node, Ref, leaf_ids
from pathways.errors import CatalogError, Diagnostic
from pathways.io._jsonld import JSONProblem, load_json
from pathways.io._jsonld import text as _text
from pathways.io._report import ValidationReport
from pathways.io._yaml import read_regular_file
from pathways.io.catalog import catalog_from_data
from pathways.io.checks import find_cycles
from pathways.io.ctdl._context import compact_document
from pathways.io.ctdl._sources import (
    documents_from_bytes,
    documents_from_paths,
    parse_ctdl_bytes,
    unwrap,
)
from pathways.io.ctdl._terms import (
    _COURSE_TYPES,
    _CTID,
    _CURRENCY_NAMES,
    _DELIVERY_FROM_CTDL,
    _JOB_TYPES,
    _LANG,
    _ORG_TYPES,
    ESCO_SKILL,
    MAX_CTDL_DEPTH,
    CtdlOptions,
    credential_level,
    credit_unit,
    duration_parts,
)
from pathways.io.dump import plain_number, requirement_to_data
from pathways.io.trees import MAX_DEPTH

__all__ = ["catalog_from_ctdl", "catalog_from_ctdl_bytes", "import_ctdl", "read_ctdl"]

#: Most nodes one import reads (every document together).
MAX_CTDL_NODES = 200_000
#: Hours given to a course whose learning hours the record does not state (with
#: ``hours_stated: false``, so validation warns and nothing takes it for real).
PLACEHOLDER_HOURS = 1


def read_ctdl(path: str | os.PathLike[str]) -> Any:
    """Parse a CTDL JSON-LD file.

    Raises
    ------
    CatalogError
        When the file cannot be read or is not JSON (the message names file and line).
    """
    return parse_ctdl_bytes(read_regular_file(path), str(path))


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
    return [t.split(":")[-1].rsplit("/", 1)[-1] for t in _list(node.get("@type"))
            if isinstance(t, str)]


def _iri(ref: Any) -> str | None:
    ref = ref.get("@id") if isinstance(ref, dict) else ref
    return ref if isinstance(ref, str) and ref else None


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
        for k in (_LANG, _LANG.lower(), "en", *value):
            if k in value:
                return _texts(value[k])
    return []


def _number(value: Any) -> float | None:
    if isinstance(value, dict):
        value = value.get("@value")
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if 0 < value < 1e9 else None
    if isinstance(value, str):
        try:
            number = float(value.strip().replace(",", ""))
        except ValueError:
            return None
        return number if 0 < number < 1e9 else None
    return None


@dataclass
class _Item:
    kind: str  # course | credential | provider | skill | job | component | pathway | catalog
    node: dict[str, Any]
    id: str = ""
    level: str | None = None
    external: str | None = None  # the IRI a placeholder course stands for


@dataclass
class _Graph:
    """The JSON-LD nodes by ``@id`` (and by CTID), embedded nodes lifted out."""

    nodes: list[dict[str, Any]] = field(default_factory=list)
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_ctid: dict[str, dict[str, Any]] = field(default_factory=dict)
    blank: int = 0

    def add(self, node: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(node.get("@id"), str) or not node["@id"]:
            self.blank += 1
            node["@id"] = f"_:pathways{self.blank}"
        existing = self.by_id.get(node["@id"])
        if existing is not None:
            if existing is not node:
                for k, v in node.items():  # the same resource described twice: merge
                    existing.setdefault(k, v)
            return existing
        self.by_id[node["@id"]] = node
        code = node.get("ceterms:ctid")
        if isinstance(code, str) and code.strip():
            self.by_ctid.setdefault(code.strip().lower(), node)
        else:
            match = _CTID.search(node["@id"])
            if match:
                self.by_ctid.setdefault(match.group(0).lower(), node)
        self.nodes.append(node)
        return node

    def resolve(self, ref: Any) -> dict[str, Any] | None:
        if isinstance(ref, list):
            ref = ref[0] if len(ref) == 1 else None
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
#: Properties the importer reads, by where they are read: every other property of an imported
#: resource is counted in the "not kept" note.
_READ = frozenset({
    "@id", "@type", "@context", "ceterms:ctid", "ceterms:name", "ceterms:description",
    "ceterms:codedNotation", "ceasn:codedNotation", "ceterms:estimatedDuration",
    "ceterms:estimatedCost", "ceterms:commonCosts", "ceterms:deliveryType",
    "ceterms:learningDeliveryType", "ceterms:teaches", "ceterms:assesses", "ceterms:entryCondition",
    "ceterms:requires", "ceterms:hasPart", "ceterms:isPartOf", "ceterms:offeredBy",
    "ceterms:ownedBy", "ceterms:creditValue", "ceterms:creditHourValue", "ceterms:creditHourType",
    "ceterms:creditUnitValue", "ceterms:creditUnitType", "ceterms:renewal", "ceterms:corequisite",
    "ceterms:recommends", "ceterms:isPreparationFor", "ceterms:isRecommendedFor",
    "ceterms:isRequiredFor", "ceterms:isAdvancedStandingFor", "ceterms:occupationType",
    "ceterms:identifier", "ceterms:subjectWebpage", "ceterms:hasDestinationComponent",
    "ceterms:isDestinationComponentOf", "ceterms:hasChild", "ceterms:isChildOf",
    "ceterms:hasCondition", "ceterms:proxyFor", "ceterms:precedes", "ceterms:prerequisite",
    "ceterms:credentialType", "ceterms:skillEmbodied", "ceasn:competencyLabel",
    "ceasn:competencyText", "ceasn:comment", "ceasn:exactAlignment", "skos:altLabel",
    "ceterms:inLanguage", "ceterms:lifeCycleStatusType", "ceterms:dateEffective",
    "ceterms:hasComponent", "ceterms:isPartOfCredential", "ceterms:isPartOfLearningProgram",
})
_UNPLANNABLE_COMPONENTS = ("CompetencyComponent", "JobComponent", "WorkExperienceComponent",
                           "CocurricularComponent", "ExtracurricularComponent",
                           "SelectionComponent", "MultiComponent")


def _is_resource(node: dict[str, Any]) -> bool:
    names = _type_names(node)
    return any(n in _RESOURCE_TYPES or n.endswith("Component") or credential_level(n)
               for n in names)


def _nodes_of(name: str, data: Any, messages: list[str]) -> list[dict[str, Any]]:
    """The nodes of one parsed file: envelopes unwrapped, each document compacted."""
    out: list[dict[str, Any]] = []
    for doc in unwrap(data, name, messages):
        if isinstance(doc, dict) and "@graph" in doc:
            top = doc["@graph"]
            if isinstance(top, dict) and not ("@id" in top or "@type" in top):
                raise CatalogError(Diagnostic(
                    "@graph is an object, not a list of nodes: its members would be read as one "
                    "node without a type, and nothing imported", file=name,
                    hint='write "@graph": [ {...}, {...} ], each node with its "@id" and "@type"'))
        elif not isinstance(doc, (dict, list)):
            raise CatalogError(Diagnostic(
                f"the CTDL data is a {type(doc).__name__}, not JSON-LD objects", file=name,
                hint="give a JSON-LD document with @graph, or a list of objects"))
        out.extend(compact_document(doc, name, messages))
    return out


def _collect(documents: Sequence[tuple[str, Any]], messages: list[str]) -> _Graph:
    graph = _Graph()
    first: dict[str, str] = {}
    problems: list[Diagnostic] = []
    several = len(documents) > 1
    for name, data in documents:
        nodes = _nodes_of(name, data, messages)
        for index, node in enumerate(nodes):
            place = f"{name} @graph[{index}]" if several else f"@graph[{index}]"
            ident = node.get("@id")
            ident = ident if isinstance(ident, str) and ident else None
            if ident is not None and ident in first:
                existing = graph.by_id[ident]
                clash = sorted(k for k, v in node.items() if k in existing and existing[k] != v)
                if clash:
                    problems.append(Diagnostic(
                        f"@id {ident} is described twice, differently ({first[ident]} and "
                        f"{place} disagree on {', '.join(clash[:3])}): one would be lost",
                        id=ident, hint="keep one description of each node, or give them "
                                       "different @id"))
                    continue
            elif ident is not None:
                first[ident] = place
            graph.add(node)
            if len(graph.nodes) > MAX_CTDL_NODES:
                raise CatalogError(Diagnostic(f"more than {MAX_CTDL_NODES:,} JSON-LD nodes",
                                              file=name, hint="import fewer records at once"))
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
    def __init__(self, graph: _Graph, messages: list[str], options: CtdlOptions) -> None:
        self.graph = graph
        self.messages = messages
        self.options = options
        self.items: dict[str, _Item] = {}  # @id -> item
        self.ours = any("Catalog" in _type_names(n) and n.get("pathways:format") for n in graph.nodes)
        self.currencies: dict[str, int] = {}
        self.used_ids: dict[str, set[str]] = {}
        self.course_ids: set[str] = set()
        self.external: dict[str, _Item] = {}  # IRI -> placeholder course
        self.missing: dict[str, list[str]] = {}  # where -> IRIs not in the input
        self.converted: Counter[str] = Counter()  # how hours were converted -> courses
        self.unstated: list[str] = []
        self.pathway_prereqs: dict[str, list[str]] = {}  # course id -> course ids before it
        self.suggested_after: dict[str, list[str]] = {}  # the same, suggested (precedes)
        self.notes_by_kind: Counter[str] = Counter()

    def note(self, text: str) -> None:
        self.messages.append(text)

    # ----------------------------------------------------------------- ids and kinds
    def our_id(self, node: dict[str, Any], kind: str) -> str:
        code = None
        if kind == "provider":
            for ident in _list(node.get("ceterms:identifier")):
                if isinstance(ident, dict) and ident.get("ceterms:identifierValueCode"):
                    code = str(_text(ident["ceterms:identifierValueCode"]))
                    break
            if code is None and not self.ours:  # a readable id from the organization's name
                name = _text(_get(node, "name"))
                code = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") if name else None
        else:
            code = _text(_get(node, "codedNotation"))
        match = _CTID.search(node.get("@id", "")) if isinstance(node.get("@id"), str) else None
        candidates = [code, _text(node.get("ceterms:ctid")), match.group(0) if match else None,
                      node.get("@id")]
        if not self.ours:
            candidates = [re.sub(r"[\s()]+", "-", c.strip()).strip("-") if isinstance(c, str) else c
                          for c in candidates]
        space = "provider" if kind == "provider" else "item"  # one namespace for the rest
        used = self.used_ids.setdefault(space, set())
        for cand in candidates:
            if isinstance(cand, str) and cand and not cand.startswith("_:") and cand not in used:
                if cand != candidates[0] and candidates[0]:
                    self.note(f"{node.get('@id')}: code {candidates[0]} is used twice; id {cand} instead")
                used.add(cand)
                return cand
        fallback = f"{kind}-{len(used) + 1}"
        while fallback in used:
            fallback += "-x"
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
            elif "LearningProgram" in names and (_get(node, "hasPart") or _get(node, "requires")):
                kind, level = "credential", "other"
                self.note(f"{_text(_get(node, 'name')) or node['@id']}: a LearningProgram with "
                          "parts or requirements, imported as a credential (level other)")
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

    def placeholder(self, iri: str, where: str, *, title: str | None = None,
                    why: str = "not in the files read") -> _Item:
        """A course standing for a record the requirements name but the input lacks."""
        found = self.external.get(iri)
        if found is None:
            node = {"@id": iri, "@type": "ceterms:Course"}
            match = _CTID.search(iri)
            if match:
                node["ceterms:ctid"] = match.group(0)
            found = _Item("course", node, external=iri)
            found.id = self.our_id(node, "course")
            found.node["ceterms:name"] = title or f"Not in the import: {iri}"
            self.external[iri] = found
            self.items.setdefault(iri, found)
            self.course_ids.add(found.id)
        self.missing.setdefault(where, []).append(f"{iri} ({why})")
        return found

    # ----------------------------------------------------------------- values
    def credits(self, node: dict[str, Any]) -> list[tuple[float, str]]:
        """``(value, unit)`` of every credit value a node states (ValueProfile or the older
        credit-hour and credit-unit properties)."""
        out = []
        for value in _list(_get(node, "creditValue")):
            if not isinstance(value, dict):
                continue
            units = [(_text(u.get("ceterms:targetNode")) or _text(u.get("ceterms:targetNodeName")) or "")
                     if isinstance(u, dict) else str(u) for u in _list(_get(value, "creditUnitType"))]
            unit = next((u for u in units if u), "") or _text(value.get("schema:unitText")) or ""
            for key in ("ceterms:value", "schema:value", "qdata:value", "ceterms:minValue",
                        "schema:minValue", "ceterms:maxValue", "schema:maxValue"):
                number = _number(value.get(key))
                if number is not None:
                    out.append((number, unit))
                    break
        hour_value = _number(_get(node, "creditHourValue"))
        if hour_value is not None:
            out.append((hour_value, _text(_get(node, "creditHourType")) or "CreditHour"))
        unit_value = _number(_get(node, "creditUnitValue"))
        if unit_value is not None:
            unit_type = _get(node, "creditUnitType")
            unit_type = unit_type[0] if isinstance(unit_type, list) and unit_type else unit_type
            name = (_text(unit_type.get("ceterms:targetNode")) or _text(unit_type.get("ceterms:targetNodeName"))
                    if isinstance(unit_type, dict) else _text(unit_type)) or ""
            out.append((unit_value, name))
        return out

    def credit_hours(self, node: dict[str, Any]) -> float | None:
        """Hours of a credit value stated in clock or contact hours (as a ``min_hours``)."""
        for value, unit in self.credits(node):
            if credit_unit(unit) in ("clockhour", "contacthour", "hour", "hours"):
                return value
        return None

    def durations(self, node: dict[str, Any]) -> list[str]:
        out = []
        for profile in _list(_get(node, "estimatedDuration")):
            if not isinstance(profile, dict):
                continue
            for key in ("exactDuration", "maximumDuration", "minimumDuration"):
                text = _text(_get(profile, key))
                if text:
                    out.append(text)
            described = _text(_get(profile, "description"))
            if described and not out:
                out.append(described)
        return out

    def hours(self, node: dict[str, Any], name: str, details: dict[str, list[str]]) -> float | None:
        """Learning hours (stated, or converted as documented), or ``None`` when not stated."""
        calendar: list[tuple[str, float]] = []
        durations = self.durations(node)
        for text in durations:
            parts = duration_parts(text)
            if parts is None:
                continue
            weeks, clock = parts
            if clock > 0 and weeks == 0:
                return clock
            if weeks > 0:
                calendar.append((text, weeks + clock / (24 * 7)))
        credits = self.credits(node)
        for value, unit in credits:
            if credit_unit(unit) in ("clockhour", "contacthour", "hour", "hours"):
                if calendar:  # the calendar time the record states too
                    details["duration"] = [text for text, _ in calendar]
                return value
        if durations:
            details["duration"] = durations
        if credits:
            details["credits"] = [f"{plain_number(v)} {unit.split(':')[-1] or 'credits'}"
                                  for v, unit in credits]
        for value, unit in credits:
            per = self.options.credit_hours(unit) if unit else None
            if per is not None:
                hours = value * per
                how = f"{plain_number(value)} {unit.split(':')[-1]} x {plain_number(per)} h"
                details["hours"] = [f"{plain_number(hours)} h converted from {how}"]
                self.converted[f"credits in {unit.split(':')[-1]} at {plain_number(per)} h each"] += 1
                return hours
        if calendar and self.options.hours_per_week is not None:
            text, weeks = calendar[0]
            hours = weeks * self.options.hours_per_week
            details["hours"] = [f"{plain_number(round(hours, 2))} h converted from {text} at "
                                f"{plain_number(self.options.hours_per_week)} h a week"]
            self.converted[f"calendar durations at {plain_number(self.options.hours_per_week)} "
                           "h a week"] += 1
            return round(hours, 2)
        why = []
        if calendar:
            why.append(f"the duration {calendar[0][0]} is calendar time (give --hours-per-week "
                       "to convert it)")
        units = sorted({unit.split(":")[-1] or "credits" for _, unit in credits})
        if units:
            why.append(f"credits in {', '.join(units)} have no size in hours (give "
                       "--hours-per-credit UNIT=HOURS)")
        self.unstated.append(f"{name}" + (f": {'; '.join(why)}" if why else ""))
        return None

    def cost(self, node: dict[str, Any], name: str, details: dict[str, list[str]]) -> float | None:
        profiles = [p for p in _list(_get(node, "estimatedCost")) if isinstance(p, dict)]
        common = [_iri(c) for c in _list(_get(node, "commonCosts")) if _iri(c)]
        if common:
            details.setdefault("costs", []).extend(f"common costs {c} (not in the import)"
                                                   for c in common)
        if not profiles:
            return None
        texts = []
        for p in profiles:
            kind = p.get("ceterms:directCostType")
            kind_text = (_text(kind.get("ceterms:targetNodeName")) or _text(kind.get("ceterms:targetNode"))
                         if isinstance(kind, dict) else _text(kind)) or _text(_get(p, "description")) or "cost"
            price = _number(p.get("ceterms:price"))
            currency = _text(p.get("ceterms:currency")) or ""
            texts.append(f"{kind_text.split(':')[-1]}: {plain_number(price) if price else '?'} {currency}".strip())
        if len(profiles) > 1:
            details.setdefault("costs", []).extend(texts)
        aggregate = [p for p in profiles
                     if "AggregateCost" in json.dumps(p.get("ceterms:directCostType", ""))]
        chosen = aggregate[:1] or profiles
        total = 0.0
        for p in chosen:
            price = p.get("ceterms:price")
            number = _number(price)
            if number is None:
                self.note(f"{name}: cost profile without a numeric price ({price!r}) ignored")
                continue
            total += number
            currency = _text(p.get("ceterms:currency"))
            if currency:
                code = _CURRENCY_NAMES.get(currency.strip().lower(), currency.strip().upper())
                self.currencies[code] = self.currencies.get(code, 0) + 1
        return total

    def delivery(self, node: dict[str, Any], details: dict[str, list[str]]) -> str | None:
        modes, names = [], []
        for key in ("deliveryType", "learningDeliveryType"):
            for d in _list(_get(node, key)):
                target = _text(d.get("ceterms:targetNode")) if isinstance(d, dict) else _text(d)
                label = (_text(d.get("ceterms:targetNodeName")) if isinstance(d, dict) else None) \
                    or (target or "").split(":")[-1]
                names.append(f"{label}" + (" (learning delivery)" if key != "deliveryType" else ""))
                mode = _DELIVERY_FROM_CTDL.get((target or "").split(":")[-1].lower())
                if mode and key == "deliveryType":
                    modes.append(mode)
        if len(names) > len(modes[:1]):
            details["delivery"] = names
        return modes[0] if modes else None

    def targets_text(self, profile: dict[str, Any]) -> list[str]:
        out = []
        for key in ("targetLearningOpportunity", "targetCredential", "targetAssessment",
                    "targetCompetency"):
            for ref in _list(_get(profile, key)):
                item = self.item(ref)
                if item is not None and item.kind in ("course", "credential", "skill") and item.id:
                    out.append(item.id)
                elif isinstance(ref, dict) and _text(_get(ref, "name")):
                    out.append(str(_text(_get(ref, "name"))))
                elif _iri(ref):
                    out.append(str(_iri(ref)))
        return out

    def profile_texts(self, profiles: Any) -> list[str]:
        out = []
        for p in _list(profiles):
            if isinstance(p, str):
                p = self.graph.resolve(p) or {"ceterms:description": p}
            if not isinstance(p, dict):
                continue
            words = [w for w in (_text(_get(p, "name")), _text(_get(p, "description"))) if w]
            targets = self.targets_text(p)
            if targets:
                words.append("items: " + ", ".join(targets))
            for value, unit in self.credits(p):
                words.append(f"{plain_number(value)} {unit.split(':')[-1]}")
            if words:
                out.append("; ".join(words))
        return out

    def aliases(self, i: _Item, details: dict[str, list[str]]) -> None:
        """The record's CTID and ``@id``, kept so that badges aligned to the Registry
        resource map to the item (``details.aliases``)."""
        if self.ours:
            return
        node = i.node
        found = [_text(node.get("ceterms:ctid")), node.get("@id")]
        kept = [a for a in dict.fromkeys(found)
                if isinstance(a, str) and a and a != i.id and not a.startswith("_:")]
        if kept:
            details["aliases"] = kept

    def kept(self, node: dict[str, Any], details: dict[str, list[str]]) -> None:
        """What the planner does not use (yet), kept in ``details``."""
        for key, ours in (("renewal", "renewal"), ("corequisite", "corequisites"),
                          ("recommends", "recommended"), ("isPreparationFor", "prepares_for"),
                          ("isRecommendedFor", "recommended_for"),
                          ("isAdvancedStandingFor", "advanced_standing_for")):
            texts = self.profile_texts(_get(node, key))
            if texts:
                details[ours] = texts
        occupations = []
        for a in _list(_get(node, "occupationType")):
            if isinstance(a, dict):
                label = _text(a.get("ceterms:targetNodeName")) or ""
                target = _text(a.get("ceterms:targetNode")) or _text(a.get("ceterms:codedNotation")) or ""
                occupations.append(f"{label} ({target})" if label and target else label or target)
            elif _iri(a):
                occupations.append(str(_iri(a)))
        if occupations:
            details["occupations"] = [o for o in occupations if o]

    def skill_id(self, alignment: dict[str, Any]) -> str | None:
        code = _text(alignment.get("ceterms:codedNotation"))
        if code:
            return code
        target = _iri(alignment.get("ceterms:targetNode"))
        if target:
            if target.startswith((ESCO_SKILL, ESCO_SKILL.replace("http:", "https:"))):
                return "esco:" + target.rstrip("/").rsplit("/", 1)[1]
            item = self.item(target)
            if item is not None and item.kind == "skill":
                return item.id
            return target
        return _text(alignment.get("ceterms:targetNodeName"))

    def provider(self, node: dict[str, Any]) -> str | None:
        for key in ("offeredBy", "ownedBy"):
            for ref in _list(_get(node, key)):
                item = self.item(ref)
                if item is not None and item.kind == "provider":
                    return item.id
                iri = _iri(ref)
                if iri:
                    name = _text(_get(ref, "name")) if isinstance(ref, dict) else None
                    return self.linked_provider(iri, name)
        return None

    def linked_provider(self, iri: str, name: str | None) -> str:
        """A provider for an organization that the documents only link to."""
        node: dict[str, Any] = {"@id": iri, "@type": "ceterms:CredentialOrganization"}
        match = _CTID.search(iri)
        if match:
            node["ceterms:ctid"] = match.group(0)
        if name:
            node["ceterms:name"] = name
        node = self.graph.add(node)
        item = self.items.get(node["@id"])
        if item is None or item.kind != "provider":
            item = _Item("provider", node, id=self.our_id(node, "provider"))
            self.items[node["@id"]] = item
            if not name:
                node["ceterms:name"] = f"{item.id} (only linked: {iri})"
            self.note(f"provider {iri} is only linked, not described: a provider "
                      f"{item.id} named {_text(node['ceterms:name'])!r}")
        return item.id

    # ----------------------------------------------------------------- conditions
    def ref_node(self, ref: Any, where: str) -> Node | None:
        item = self.item(ref)
        iri = _iri(ref)
        if item is not None and item.kind in ("course", "credential"):
            return Ref(item.id)
        if item is not None and item.kind == "component":
            return self.component_node(item.node, where, frozenset())
        if item is None and iri and not iri.startswith("_:"):
            name = _text(_get(ref, "name")) if isinstance(ref, dict) else None
            return Ref(self.placeholder(iri, where, title=name and f"{name} (not in the import: {iri})").id)
        shown = iri or _text(_get(ref, "name")) if isinstance(ref, dict) else ref
        what = f"a {item.kind}" if item is not None else "not a record"
        self.note(f"{where}: target {shown} is {what}, not a course or credential; dropped")
        return None

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
        if isinstance(k, str) and k.strip().isdigit():
            k = int(k.strip())
        if children and credit is not None:
            courses = tuple(c.id for c in children if isinstance(c, Ref) and c.id in self.course_ids)
            if len(courses) < len(children):
                self.note(f"{where}: min hours over credentials are not supported; those dropped")
            own = MinHours(credit, courses, label) if courses else None
        elif children and self.credits(profile) and k is None:
            self.note(f"{where}: a credit value in units other than hours cannot be planned; "
                      "read as any one of its targets")
            own = AnyOf(tuple(children), label)
        elif children and isinstance(k, (int, float)) and not isinstance(k, bool) and k >= 1:
            k = int(k)
            own = (AnyOf(tuple(children), label) if k == 1 else AllOf(tuple(children), label)
                   if k == len(children) and len(children) > 1 else Choose(k, tuple(children), label))
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
    def stands_for(self, component: dict[str, Any], where: str) -> _Item | None:
        """The course or credential a component stands for: its ``proxyFor`` resource, a
        placeholder for a ``proxyFor`` not in the input, or an item made from the component
        (course and credential components without ``proxyFor``); ``None`` for a group."""
        names = _type_names(component)
        proxy_ref = _get(component, "proxyFor")
        proxy = self.item(proxy_ref)
        if proxy is not None and proxy.kind in ("course", "credential"):
            return proxy
        mine = self.items.get(component["@id"])
        if mine is not None and mine.kind in ("course", "credential"):
            return mine
        if "CredentialComponent" in names:
            return self.component_item(component)
        iri = _iri(proxy_ref[0] if isinstance(proxy_ref, list) and proxy_ref else proxy_ref)
        if any(n in ("CourseComponent", "AssessmentComponent") for n in names):
            if iri and proxy is None:
                name = _text(_get(component, "name"))
                return self.placeholder(iri, where, title=name and f"{name} (not in the import: {iri})")
            return self.component_item(component)
        return None

    def component_node(self, component: dict[str, Any], where: str, seen: frozenset[str]) -> Node | None:
        """The requirement a pathway component stands for (a course, a credential, a group)."""
        target = self.stands_for(component, where)
        if target is not None:
            return Ref(target.id)
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
        found = self.items.get(component["@id"])
        if found is not None and found.kind in ("course", "credential"):
            return found
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
            nodes = []
            for child in _list(_get(component, "hasChild")):
                resolved = self.graph.resolve(child)
                if resolved is None:
                    iri = _iri(child)
                    if iri:
                        nodes.append(Ref(self.placeholder(iri, where).id))
                    continue
                if self.unplannable(resolved, where):
                    continue
                node = self.component_node(resolved, where, seen)
                if node is not None:
                    nodes.append(node)
            if nodes and len(nodes) > 1:
                nodes = [AllOf(tuple(nodes))]
        if not nodes:
            return None
        node = nodes[0] if len(nodes) == 1 else AllOf(tuple(nodes))
        name = _text(_get(component, "name")) if label else None
        if name and isinstance(node, (AllOf, AnyOf, Choose)) and node.label is None:
            node = _relabel(node, name)
        return node

    def unplannable(self, component: dict[str, Any], where: str) -> bool:
        names = _type_names(component)
        if any(n in _UNPLANNABLE_COMPONENTS for n in names):
            self.note(f"{where}: {', '.join(names)} "
                      f"{_text(_get(component, 'name')) or component['@id']} cannot be planned; dropped")
            return True
        return False

    def component_condition(self, condition: Any, where: str, seen: frozenset[str]) -> Node | None:
        if isinstance(condition, str):
            condition = self.graph.resolve(condition) or {}
        if not isinstance(condition, dict):
            return None
        children: list[Node] = []
        for target in _list(_get(condition, "targetComponent")):
            component = self.graph.resolve(target)
            if component is None:
                iri = _iri(target)
                if iri and not iri.startswith("_:"):
                    children.append(Ref(self.placeholder(iri, where).id))
                else:
                    self.note(f"{where}: target component {target} not found; dropped")
                continue
            if self.unplannable(component, where):
                continue
            node = self.component_node(component, where, seen)
            if node is not None:
                children.append(node)
        for sub in _list(_get(condition, "hasCondition")):
            node = self.component_condition(sub, where, seen)
            if node is not None:
                children.append(node)
        if _get(condition, "hasConstraint"):
            self.note(f"{where}: a component condition's constraints (credit sums) are not "
                      "read; its required number is")
        if not children:
            return None
        label = _text(_get(condition, "name"))
        k = condition.get("ceterms:requiredNumber")
        if isinstance(k, str) and k.strip().isdigit():
            k = int(k.strip())
        if isinstance(k, (int, float)) and not isinstance(k, bool) and 0 < int(k) < len(children):
            k = int(k)
            return AnyOf(tuple(children), label) if k == 1 else Choose(k, tuple(children), label)
        if isinstance(k, (int, float)) and not isinstance(k, bool) and int(k) > len(children):
            self.note(f"{where}: requiredNumber {k} but only {len(children)} targets")
            return Choose(int(k), tuple(children), label)
        if len(children) == 1:
            only = children[0]
            if label is None:
                return only
            return Ref(only.id, label) if isinstance(only, Ref) else _relabel(only, label)
        return AllOf(tuple(children), label)

    def pathways(self) -> dict[str, Node]:
        """Requirement trees from CTDL pathways, by credential id (destination and
        intermediate credential components alike); components' ``prerequisite`` as
        prerequisites and ``precedes`` as a suggested order (course details)."""
        trees: dict[str, Node] = {}
        for node in list(self.graph.nodes):
            if "Pathway" not in _type_names(node):
                continue
            name = _text(_get(node, "name")) or node["@id"]
            where = f"pathway {name}"
            destinations = [d for ref in _list(_get(node, "hasDestinationComponent"))
                            if (d := self.graph.resolve(ref)) is not None]
            destinations += [c for c in self.graph.nodes
                             if node["@id"] in [_iri(r) for r in _list(_get(c, "isDestinationComponentOf"))]
                             and c not in destinations]
            if not destinations:
                self.note(f"pathway {name}: no destination component; skipped")
                continue
            members = self.pathway_components(node, destinations)
            for dest in destinations:
                target = self.stands_for(dest, where)
                if target is None:
                    # a pathway to a basic goal: the pathway itself is the credential
                    target = self.items[node["@id"]]
                    if target.kind == "pathway":
                        target.kind, target.level = "credential", "other"
                        target.id = self.our_id(node, "credential")
                if target.kind != "credential":
                    self.note(f"{where}: the destination stands for a {target.kind}, not a "
                              "credential; skipped")
                    continue
                tree = self.component_requirement(dest, where, frozenset({dest["@id"]}))
                if tree is not None:
                    trees.setdefault(target.id, tree)
            for comp in members:  # intermediate credential components with their own conditions
                if comp in destinations or not (_get(comp, "hasCondition") or _get(comp, "hasChild")):
                    continue
                item = self.stands_for(comp, where)
                if item is not None and item.kind == "credential":
                    sub = self.component_requirement(comp, where, frozenset({comp["@id"]}))
                    if sub is not None:
                        trees.setdefault(item.id, sub)
            self.sequence(members, where)
        return trees

    def pathway_components(self, pathway: dict[str, Any], destinations: list[dict[str, Any]]
                           ) -> list[dict[str, Any]]:
        """Every component of a pathway: reached from it and its destinations through
        ``hasChild``, conditions' ``targetComponent`` and ``precedes``, plus those that say
        they belong to it (``ceterms:isPartOf``)."""
        found: dict[str, dict[str, Any]] = {}
        stack = [pathway, *destinations]
        while stack and len(found) < MAX_CTDL_NODES:
            node = stack.pop()
            refs = [*_list(_get(node, "hasChild")), *_list(_get(node, "precedes")),
                    *_list(_get(node, "prerequisite"))]
            for cond in _list(_get(node, "hasCondition")):
                cond = self.graph.resolve(cond) if isinstance(cond, str) else cond
                if isinstance(cond, dict):
                    refs += _list(_get(cond, "targetComponent"))
                    stack.append(cond)
            for ref in refs:
                comp = self.graph.resolve(ref)
                if comp is not None and comp["@id"] not in found \
                        and any(n.endswith("Component") for n in _type_names(comp)):
                    found[comp["@id"]] = comp
                    stack.append(comp)
        for comp in self.graph.nodes:
            if pathway["@id"] in [_iri(r) for r in _list(_get(comp, "isPartOf"))] \
                    and any(n.endswith("Component") for n in _type_names(comp)):
                found.setdefault(comp["@id"], comp)
        for dest in destinations:
            found.setdefault(dest["@id"], dest)
        return list(found.values())

    def sequence(self, components: list[dict[str, Any]], where: str) -> None:
        """Orders between components standing for courses. ``B prerequisite A`` is a required
        order: A becomes a prerequisite of B's course. ``A precedes B`` is, in CTDL, a simple
        or suggested order ("if a required ordering is intended, use ceterms:prerequisite"):
        B's course keeps it as ``details.suggested_after``, and plans are not bound by it."""
        suggested = 0
        for comp in components:
            before = self.stands_for(comp, where)
            for ref in _list(_get(comp, "precedes")):
                after_node = self.graph.resolve(ref)
                after = self.stands_for(after_node, where) if after_node is not None else None
                suggested += self.add_sequence(before, after, where, self.suggested_after,
                                               "precedes")
            for ref in _list(_get(comp, "prerequisite")):
                first_node = self.graph.resolve(ref)
                first = self.stands_for(first_node, where) if first_node is not None else None
                self.add_sequence(first, self.stands_for(comp, where), where,
                                  self.pathway_prereqs, "is a prerequisite of")
        if suggested:
            self.note(f"{where}: {suggested} suggested order(s) (ceterms:precedes) kept in the "
                      "courses' details as suggested_after, not as prerequisites (a required "
                      "order is ceterms:prerequisite)")

    def add_sequence(self, before: _Item | None, after: _Item | None, where: str,
                     into: dict[str, list[str]], verb: str) -> int:
        """``before`` ahead of ``after`` in ``into`` (course id -> course ids before it);
        1 when it was added."""
        if before is None or after is None:
            return 0
        if before.kind != "course" or after.kind != "course":
            self.note(f"{where}: {before.id or before.node['@id']} {verb} "
                      f"{after.id or after.node['@id']}: an order between credentials is not "
                      "kept (the credentials' requirements are)")
            return 0
        listed = into.setdefault(after.id, [])
        if before.id not in listed and before.id != after.id:
            listed.append(before.id)
            return 1
        return 0

    # ----------------------------------------------------------------- assemble
    def run(self) -> dict[str, Any]:
        self.classify()
        self.course_ids = {i.id for i in self.items.values() if i.kind == "course"}
        pathway_trees = self.pathways()
        self.course_ids = {i.id for i in self.items.values() if i.kind == "course"}
        data: dict[str, Any] = {"format": "pathways/1"}
        catalog_node: dict[str, Any] | None = next(
            (i.node for i in self.items.values() if i.kind == "catalog"), None)
        order = {id(n): i for i, n in enumerate(self.graph.nodes)}

        def ordered() -> list[_Item]:
            return sorted(self.items.values(), key=lambda i: order.get(id(i.node), len(order)))

        skills = []
        for i in ordered():
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
        made: dict[str, tuple[_Item, Node | None]] = {}
        for i in ordered():
            if i.kind == "credential":
                where = f"credential {i.id}"
                tree = self.conditions(_get(i.node, "requires"), where)
                if tree is None:
                    tree = pathway_trees.get(i.id)
                if tree is None and parts.get(i.node["@id"]):
                    ids = parts[i.node["@id"]]
                    tree = Ref(ids[0]) if len(ids) == 1 else AllOf(tuple(Ref(p) for p in ids))
                made[i.id] = (i, tree)
        credentials = self.settle(made)
        courses = [self.course_data(i) for i in ordered() if i.kind == "course"]
        jobs = [self.job_data(i) for i in ordered() if i.kind == "job"]
        self.break_cycles(courses)
        providers = [{"id": i.id, "name": _text(_get(i.node, "name")) or i.id}
                     for i in ordered() if i.kind == "provider"]
        if not (courses or credentials or skills or jobs or self.ours):
            seen = len(self.graph.nodes)
            raise CatalogError(Diagnostic(
                f"no CTDL course, credential, competency or occupation among the {seen} node(s) "
                "read: nothing to import" + (f" ({len(providers)} organization(s) only)"
                                             if providers else ""),
                hint="check the @type of the nodes (ceterms:Course, ceterms:Certificate ...), "
                     "that the data is under @graph, and give the course records too"))
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
        self.summary()
        return data

    def settle(self, made: dict[str, tuple[_Item, Node | None]]) -> list[dict[str, Any]]:
        """Credential data; a credential without requirements is skipped, or, when another
        requirement names it, kept as a placeholder course (hours not stated) so that the
        requirement naming it still holds."""
        named = {ref for _, tree in made.values() if tree is not None for ref in leaf_ids(tree)}
        out = []
        for cred_id, (i, tree) in made.items():
            title = _text(_get(i.node, "name")) or i.id
            if tree is None:
                if cred_id in named:
                    i.kind, i.external = "course", i.node["@id"]
                    self.course_ids.add(i.id)
                    self.note(f"credential {i.id} ({title}): no requirements in the input; kept as "
                              "an external item (a course with hours not stated) because another "
                              "requirement names it")
                    continue
                self.note(f"credential {i.id} ({title}): no requirements (no requires condition "
                          "naming courses or credentials, no hasPart, no pathway); skipped")
                continue
            out.append(self.credential_data(i, tree))
        return out

    def summary(self) -> None:
        for where, iris in self.missing.items():
            shown = list(dict.fromkeys(iris))
            self.note(f"{where}: {len(shown)} required record(s) not in the input, kept as "
                      "external placeholder courses (hours not stated): " + ", ".join(shown[:8])
                      + (" ..." if len(shown) > 8 else "")
                      + "; import those records too to plan with them")
        for how, n in self.converted.items():
            self.note(f"{n} course(s): hours converted from {how} (see details.hours)")
        if self.unstated:
            self.note(f"{len(self.unstated)} course(s) without learning hours (hours_stated: false, "
                      f"{PLACEHOLDER_HOURS} h placeholder; validate and health list them): "
                      + "; ".join(self.unstated[:5]) + (" ..." if len(self.unstated) > 5 else ""))
        dropped: Counter[str] = Counter()
        for i in self.items.values():
            if i.kind in ("course", "credential") and not i.external:
                for key in i.node:
                    if key not in _READ and not key.startswith("pathways:"):
                        dropped[key] += 1
        if dropped:
            self.note("not kept (no place in the catalog): " + ", ".join(
                f"{k} ({n})" for k, n in sorted(dropped.items(), key=lambda kv: (-kv[1], kv[0]))[:20]))

    def break_cycles(self, courses: list[dict[str, Any]]) -> None:
        """Prerequisites that pathway components' ``prerequisite`` added and that close a cycle: dropped."""
        if not self.pathway_prereqs:
            return
        by_id = {c["id"]: c for c in courses}
        successors: dict[str, set[str]] = {}
        for c in courses:
            tree = c.get("prerequisites")
            ids = _prerequisite_ids(tree)
            for before in ids:
                successors.setdefault(before, set()).add(c["id"])
        cycles = find_cycles(list(by_id), successors)
        for cycle in cycles:
            for course_id in cycle:
                added = self.pathway_prereqs.get(course_id)
                if added and course_id in by_id:
                    self.note(f"course {course_id}: the order a pathway gives ({', '.join(added)} "
                              "first) closes a prerequisite cycle; dropped")
                    original = by_id[course_id].pop("_own_prerequisites", None)
                    if original is None:
                        by_id[course_id].pop("prerequisites", None)
                    else:
                        by_id[course_id]["prerequisites"] = original
        for c in courses:
            c.pop("_own_prerequisites", None)

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
                elif part is None and _iri(ref) and not str(_iri(ref)).startswith("_:"):
                    placeholder = self.placeholder(str(_iri(ref)), f"credential {i.id}")
                    out.setdefault(i.node["@id"], []).append(placeholder.id)
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
            if isinstance(level, int) and not isinstance(level, bool) and 1 <= level <= 4:
                entry["level"] = level
            entry["_label"] = _text(a.get("ceterms:targetNodeName"))
            out.append(entry)
        return out

    def course_data(self, i: _Item) -> dict[str, Any]:
        node = i.node
        title = _text(_get(node, "name")) or i.id
        out: dict[str, Any] = {"id": i.id, "title": title}
        details: dict[str, list[str]] = {}
        if i.external:
            out["hours"] = PLACEHOLDER_HOURS
            out["hours_stated"] = False
            out["description"] = (f"A record that a requirement names but the imported files do not "
                                  f"hold: {i.external}. Import it too (or edit this course).")
            out["details"] = {"external": [i.external]}
            self.kept(node, out["details"])
            return out
        provider = self.provider(node)
        if provider:
            out["provider"] = provider
        if self.ours and node.get("pathways:hoursStated") is False:
            hours = None
            placeholder = _number(node.get("pathways:placeholderHours"))
        else:
            placeholder = None
            hours = self.hours(node, f"course {i.id}", details)
        out["hours"] = plain_number(hours if hours is not None else placeholder or PLACEHOLDER_HOURS)
        cost = self.cost(node, f"course {i.id}", details)
        if cost:
            out["cost"] = plain_number(cost)
        mode = self.delivery(node, details)
        if mode:
            out["delivery"] = mode
        terms = node.get("pathways:terms")
        if terms is not None:
            out["terms"] = [t for t in _list(terms) if isinstance(t, str)]
        prereq = self.conditions([*_list(_get(node, "entryCondition"))], f"course {i.id}")
        own = self.prerequisite_data(prereq, f"course {i.id}") if prereq is not None else None
        added = self.pathway_prereqs.get(i.id, [])
        if own is not None:
            out["prerequisites"] = own
        if added:
            extra = [a for a in added if a in self.course_ids]
            if extra:
                merged = [own] if own is not None else []
                merged += [a for a in extra if a != own]
                out["prerequisites"] = merged[0] if len(merged) == 1 else {"all": merged}
                if own is not None:
                    out["_own_prerequisites"] = own
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
        if hours is None:
            out["hours_stated"] = False
        suggested = [a for a in self.suggested_after.get(i.id, []) if a in self.course_ids]
        if suggested:
            details["suggested_after"] = suggested
        self.kept(node, details)
        self.aliases(i, details)
        details.update(self.our_details(node))
        if details:
            out["details"] = details
        return out

    def our_details(self, node: dict[str, Any]) -> dict[str, list[str]]:
        """``details`` as pathways exported them (``pathways:details``): restored exactly."""
        text = node.get("pathways:details") if self.ours else None
        if not isinstance(text, str):
            return {}
        try:
            value = load_json(text)
        except JSONProblem:
            return {}
        if not isinstance(value, dict):
            return {}
        return {k: [t for t in v if isinstance(t, str)] for k, v in value.items()
                if isinstance(k, str) and isinstance(v, list)}

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

    def credential_data(self, i: _Item, tree: Node) -> dict[str, Any]:
        node = i.node
        title = _text(_get(node, "name")) or i.id
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
        details: dict[str, list[str]] = {}
        if not self.ours:
            cost = self.cost(node, f"credential {i.id}", details)
            if cost and "costs" not in details:
                currency = next(iter(self.currencies), "")
                details["costs"] = [f"{plain_number(cost)} {currency}".strip()]
            self.delivery(node, details)
            durations = self.durations(node)
            if durations:
                details["duration"] = durations
            credits = self.credits(node)
            if credits:
                details["credits"] = [f"{plain_number(v)} {u.split(':')[-1] or 'credits'}"
                                      for v, u in credits]
        self.kept(node, details)
        self.aliases(i, details)
        details.update(self.our_details(node))
        if details:
            out["details"] = details
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
            if isinstance(level, int) and not isinstance(level, bool) and 1 <= level <= 4:
                entry["level"] = level
            skills.append(entry)
        out["skills"] = skills
        return out


def _prerequisite_ids(tree: Any) -> list[str]:
    if tree is None:
        return []
    if isinstance(tree, str):
        return [tree]
    if isinstance(tree, dict):
        return [i for v in tree.values() for i in _prerequisite_ids(v)]
    if isinstance(tree, list):
        return [i for v in tree for i in _prerequisite_ids(v)]
    return []


def _relabel(node: Node, label: str) -> Node:
    if isinstance(node, AllOf):
        return AllOf(node.children, label)
    if isinstance(node, AnyOf):
        return AnyOf(node.children, label)
    if isinstance(node, Choose):
        return Choose(node.k, node.children, label)
    return node


def _documents(source: Any) -> list[tuple[str, Any]]:
    if isinstance(source, (str, os.PathLike)):
        return documents_from_paths([source])
    if isinstance(source, (list, tuple)) and source and all(
            isinstance(s, os.PathLike) for s in source):
        return documents_from_paths(source)
    try:  # a private copy (nodes are merged in place), checked as a file would be
        data = load_json(json.dumps(source, allow_nan=False), max_depth=MAX_CTDL_DEPTH)
    except (JSONProblem, ValueError, TypeError, RecursionError) as err:
        raise CatalogError(Diagnostic(f"not usable as JSON-LD: {err}",
                                      hint="give JSON data: objects, lists, text and finite "
                                           "numbers, nested a few levels")) from None
    return [("<ctdl>", data)]


def _import(documents: list[tuple[str, Any]], messages: list[str] | None,
            options: CtdlOptions | None) -> dict[str, Any]:
    notes = messages if messages is not None else []
    graph = _collect(documents, notes)
    return _Importer(graph, notes, options or CtdlOptions()).run()


def import_ctdl(source: str | os.PathLike[str] | Sequence[os.PathLike[str]] | dict[str, Any] | list[Any],
                *, messages: list[str] | None = None,
                options: CtdlOptions | None = None) -> dict[str, Any]:
    """Catalog data (the YAML shape) from CTDL JSON-LD.

    Parameters
    ----------
    source
        A path to a JSON-LD file or a directory of them, a list of :class:`~pathlib.Path`
        (files and directories, read together: references resolve across them), or parsed
        JSON (a document with ``@graph``, a list of objects, one object, or Credential
        Registry envelopes).
    messages
        When given, receives one line per thing that could not be represented exactly
        (text-only conditions, hours not stated, records not in the input ...).
    options
        How hours are converted from credits and calendar durations (:class:`CtdlOptions`).

    Returns
    -------
    dict
        Catalog data for :func:`~pathways.io.catalog.catalog_from_data`; see the module doc for
        the mapping.

    Raises
    ------
    CatalogError
        When a file cannot be read, is not JSON-LD, or holds nothing to import.

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
    return _import(_documents(source), messages, options)


def catalog_from_ctdl(source: str | os.PathLike[str] | Sequence[os.PathLike[str]] | dict[str, Any] | list[Any],
                      *, messages: list[str] | None = None,
                      options: CtdlOptions | None = None) -> ValidationReport:
    """Import CTDL (see :func:`import_ctdl`) and validate it as a catalog.

    Raises
    ------
    CatalogError
        When a file cannot be read, or the imported catalog is not valid.
    """
    if isinstance(source, (str, os.PathLike)):
        name = str(source)
    elif isinstance(source, (list, tuple)) and source and all(isinstance(s, os.PathLike) for s in source):
        name = ", ".join(str(s) for s in source[:3]) + (" ..." if len(source) > 3 else "")
    else:
        name = "<ctdl>"
    return catalog_from_data(import_ctdl(source, messages=messages, options=options), source=name)


def catalog_from_ctdl_bytes(files: Iterable[tuple[str, bytes]], *, messages: list[str] | None = None,
                            options: CtdlOptions | None = None) -> ValidationReport:
    """Import uploaded CTDL files (``(name, bytes)`` pairs, read together) and validate the
    catalog: what the app does with a CTDL upload. Nothing is read from disk, and no path
    named inside the files is opened.

    Raises
    ------
    CatalogError
        When a file is not JSON-LD, holds nothing to import, or the catalog is not valid.
    """
    pairs = list(files)
    documents = documents_from_bytes(pairs)
    name = ", ".join(n for n, _ in pairs[:3]) + (" ..." if len(pairs) > 3 else "")
    return catalog_from_data(_import(documents, messages, options), source=name or "<ctdl>")
