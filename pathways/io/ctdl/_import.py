"""CTDL JSON-LD read into catalog data (:func:`import_ctdl`, :func:`catalog_from_ctdl`): see
:mod:`pathways.io.ctdl` for what becomes what, and ``docs/interop.md`` term by term."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

from pathways.domain import AllOf, AnyOf, Choose, MinHours, Node, Ref
from pathways.errors import CatalogError, Diagnostic
from pathways.io._jsonld import JSONProblem, load_json
from pathways.io._jsonld import text as _text
from pathways.io._report import ValidationReport
from pathways.io._yaml import read_regular_file
from pathways.io.catalog import catalog_from_data
from pathways.io.ctdl._terms import (
    _COURSE_TYPES,
    _CTID,
    _CURRENCY_NAMES,
    _DELIVERY_FROM_CTDL,
    _HOUR_UNITS,
    _JOB_TYPES,
    _ORG_TYPES,
    _PREFIXES,
    _LANG,
    ESCO_SKILL,
    MAX_CTDL_DEPTH,
    _duration_hours,
    credential_level,
)
from pathways.io.dump import plain_number, requirement_to_data
from pathways.io.trees import MAX_DEPTH

__all__ = ["catalog_from_ctdl", "import_ctdl", "read_ctdl"]


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
