"""CTDL JSON-LD in one shape, by a real JSON-LD processor (PyLD): every document is expanded
with its own ``@context`` and compacted again with :data:`READ_CONTEXT`, so compacted and
expanded documents, full IRIs and prefixes, ``{"@id": ...}`` and plain strings, single values
and lists all come out alike (``ceterms:`` keys, language maps, references as strings).

Nothing is fetched: the document loader (:func:`_loader`) knows the Credential Registry's CTDL
and CTDL-ASN context URLs (it serves :data:`READ_CONTEXT`, written here from the CTDL terms
pathways reads) and refuses every other URL at once. A document whose ``@context`` names
another remote context is read with :data:`READ_CONTEXT` instead, and a note says so.
"""

from __future__ import annotations

import re
from typing import Any

from pathways.errors import CatalogError, Diagnostic
from pathways.io.ctdl._terms import CTDL_CONTEXT, PATHWAYS_NS

__all__ = ["KNOWN_CONTEXTS", "READ_CONTEXT", "compact_document"]

_CETERMS = "https://purl.org/ctdl/terms/"
_CEASN = "https://purl.org/ctdlasn/terms/"
#: Other spellings of the CTDL namespaces met in published data (``http:``): read as these.
_ALIASES = {"http://purl.org/ctdl/terms/": _CETERMS, "http://purl.org/ctdlasn/terms/": _CEASN,
            "http://credreg.net/ctdl/terms/": _CETERMS, "https://credreg.net/ctdl/terms/": _CETERMS,
            "http://credreg.net/ctdlasn/terms/": _CEASN,
            "https://credreg.net/ctdlasn/terms/": _CEASN}

#: Text properties (language maps in CTDL).
_TEXT_TERMS = ("ceterms:name", "ceterms:description", "ceterms:targetNodeName",
               "ceterms:frameworkName", "ceterms:identifierTypeName", "ceterms:alternateName",
               "ceterms:creditUnitTypeDescription", "ceterms:submissionOfDescription",
               "ceterms:experience", "ceasn:competencyLabel", "ceasn:competencyText",
               "ceasn:comment", "skos:altLabel")
#: Properties whose values are references (IRIs): a plain string is an ``@id``.
REFERENCE_TERMS = (
    "ceterms:targetLearningOpportunity", "ceterms:targetCredential", "ceterms:targetAssessment",
    "ceterms:targetCompetency", "ceterms:targetComponent", "ceterms:hasChild", "ceterms:isChildOf",
    "ceterms:precedes", "ceterms:prerequisite", "ceterms:proxyFor", "ceterms:hasDestinationComponent",
    "ceterms:isDestinationComponentOf", "ceterms:hasPart", "ceterms:isPartOf",
    "ceterms:offeredBy", "ceterms:ownedBy", "ceterms:accreditedBy", "ceterms:approvedBy",
    "ceterms:recognizedBy", "ceterms:regulatedBy", "ceterms:targetNode", "ceterms:commonCosts",
    "ceterms:commonConditions", "ceterms:hasPathway", "ceterms:targetPathway",
    "ceterms:isPartOfLearningProgram", "ceterms:hasComponent", "ceterms:isPartOfCredential",
    "ceasn:exactAlignment", "ceasn:isPartOf", "ceterms:subjectWebpage", "ceterms:hasProgressionModel",
)
_REFERENCE_IRIS = frozenset(t.replace("ceterms:", _CETERMS).replace("ceasn:", _CEASN)
                            for t in REFERENCE_TERMS)

#: The context every CTDL document is compacted with (and read with when it names none).
READ_CONTEXT: dict[str, Any] = {
    "ceterms": _CETERMS, "ceasn": _CEASN, "schema": "https://schema.org/",
    "qdata": "https://credreg.net/qdata/terms/", "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#", "pathways": PATHWAYS_NS,
    **{t: {"@container": "@language"} for t in _TEXT_TERMS},
    **{t: {"@type": "@id"} for t in REFERENCE_TERMS},
    "pathways:members": {"@type": "@id", "@container": "@list"},
    "pathways:terms": {"@container": "@set"},
}

#: Context URLs the loader serves (the Credential Registry's CTDL and CTDL-ASN contexts).
KNOWN_CONTEXTS = frozenset({
    CTDL_CONTEXT, CTDL_CONTEXT.replace("https:", "http:"),
    "https://credreg.net/ctdlasn/schema/context/json",
    "http://credreg.net/ctdlasn/schema/context/json",
    CTDL_CONTEXT + "/", "https://credreg.net/ctdl/schema/context/json?includemetaproperties=false",
})


def _loader(url: str, options: Any = None) -> dict[str, Any]:
    """PyLD's document loader: the known CTDL contexts from here, every other URL refused at
    once (pathways reads offline: nothing is fetched, nothing waits on a network)."""
    from pyld.jsonld import JsonLdError

    if url in KNOWN_CONTEXTS:
        return {"contextUrl": None, "documentUrl": url, "document": {"@context": READ_CONTEXT}}
    raise JsonLdError(f"the context {url} is not fetched: pathways reads offline",
                      "jsonld.LoadDocumentError", code="loading remote context failed")


def _remote(context: Any) -> list[str]:
    """The remote context URLs a ``@context`` value names (top level only)."""
    items = context if isinstance(context, list) else [context]
    return [c for c in items if isinstance(c, str)]


def _own_contexts(doc: Any, name: str, messages: list[str]) -> Any:
    """``doc`` with contexts the loader cannot serve replaced by :data:`READ_CONTEXT`; a
    document without a context is given it (bare ``ceterms:`` keys mean CTDL)."""
    if isinstance(doc, list):
        return {"@context": READ_CONTEXT, "@graph": doc}
    if not isinstance(doc, dict):
        return doc
    context = doc.get("@context")
    if context is None:
        return {**doc, "@context": READ_CONTEXT}
    unknown = [u for u in _remote(context) if u not in KNOWN_CONTEXTS]
    if not unknown:
        return doc
    messages.append(f"{name}: the context {', '.join(u[:120] for u in unknown)} is not fetched "
                    "(pathways reads offline): read with the CTDL context instead")
    items = context if isinstance(context, list) else [context]
    kept = [c for c in items if not (isinstance(c, str) and c in unknown)]
    return {**doc, "@context": [READ_CONTEXT, *kept]}


_LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_TEXT_LOCAL = frozenset(t.split(":", 1)[1] for t in _TEXT_TERMS)


def _language_maps(value: Any, depth: int = 0) -> Any:
    """Language maps written where no context declares them (``"http://purl.org/ctdl/terms/
    name": {"en": "..."}``, or any document without a context) as the value objects they
    mean; JSON-LD would read such an object as a node and drop the text."""
    if depth > 200:
        return value
    if isinstance(value, list):
        return [_language_maps(v, depth + 1) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        local = re.split(r"[:/#]", key)[-1] if isinstance(key, str) else key
        if (local in _TEXT_LOCAL and isinstance(item, dict) and item
                and all(isinstance(k, str) and _LANG_TAG.match(k) for k in item)):
            item = [{"@value": text, "@language": lang} for lang, texts in item.items()
                    for text in (texts if isinstance(texts, list) else [texts])
                    if isinstance(text, str)]
        out[key] = _language_maps(item, depth + 1)
    return out


def _tidy(value: Any) -> Any:
    """Expanded JSON-LD with the CTDL namespaces spelled one way and string values of
    reference properties made ``@id`` objects (a document whose context does not type them)."""
    if isinstance(value, list):
        return [_tidy(v) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        key = _alias(key)
        if key == "@type":
            item = [_alias(t) if isinstance(t, str) else t for t in item] \
                if isinstance(item, list) else item
        elif key in _REFERENCE_IRIS and isinstance(item, list):
            item = [{"@id": v["@value"]} if isinstance(v, dict) and set(v) <= {"@value", "@type",
                                                                              "@language"}
                    and isinstance(v.get("@value"), str) else v for v in item]
        out[key] = _tidy(item)
    return out


def _alias(iri: str) -> str:
    for old, new in _ALIASES.items():
        if iri.startswith(old):
            return new + iri[len(old):]
    return iri


def compact_document(doc: Any, name: str, messages: list[str]) -> list[dict[str, Any]]:
    """The nodes of one JSON-LD document, expanded with its own context and compacted with
    :data:`READ_CONTEXT` (see the module docstring).

    Raises
    ------
    CatalogError
        When the JSON-LD processor refuses the document (the message names ``name``).
    """
    from pyld import jsonld

    prepared = _own_contexts(_language_maps(doc), name, messages)
    # base None: relative @id values stay as written (PyLD would otherwise resolve them
    # against a placeholder base URL)
    options: dict[str, Any] = {"documentLoader": _loader, "base": None}
    try:
        expanded = _tidy(jsonld.expand(prepared, options))
        compacted = jsonld.compact(expanded, {"@context": READ_CONTEXT}, options)
    except RecursionError:
        raise CatalogError(Diagnostic("the JSON-LD nests too deep to read", file=name,
                                      hint="nest objects a few levels, not hundreds")) from None
    except Exception as err:  # noqa: BLE001 - PyLD raises its own and built-in errors on bad input
        raise CatalogError(Diagnostic(f"not JSON-LD that can be read: {_reason(err)}", file=name,
                                      hint="check the @context, @id and @type values")) from None
    if not isinstance(compacted, dict):
        return []
    compacted.pop("@context", None)
    if "@graph" in compacted:
        return [n for n in _as_list(compacted["@graph"]) if isinstance(n, dict)]
    return [compacted] if compacted else []


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _reason(err: Exception) -> str:
    message = getattr(err, "message", None) or str(err) or type(err).__name__
    cause = getattr(err, "cause", None)
    while cause is not None and getattr(cause, "message", None):
        message = f"{message}: {cause.message}" if cause.message not in message else message
        cause = getattr(cause, "cause", None)
    return " ".join(str(message).split())[:300]

