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

The package: :mod:`~pathways.io.ctdl._terms` (the vocabulary, CTIDs, durations),
:mod:`~pathways.io.ctdl._import` and :mod:`~pathways.io.ctdl._export`.
"""

from __future__ import annotations

from pathways.io.ctdl._export import catalog_to_ctdl, write_ctdl
from pathways.io.ctdl._import import catalog_from_ctdl, catalog_from_ctdl_bytes, import_ctdl, read_ctdl
from pathways.io.ctdl._terms import (
    CREDIT_UNIT_HOURS,
    CTDL_CONTEXT,
    CtdlOptions,
    MAX_CTDL_DEPTH,
    PATHWAYS_NS,
    REGISTRY_BASE,
    credential_level,
    ctid,
)

__all__ = [
    "CREDIT_UNIT_HOURS",
    "CTDL_CONTEXT",
    "CtdlOptions",
    "MAX_CTDL_DEPTH",
    "PATHWAYS_NS",
    "REGISTRY_BASE",
    "catalog_from_ctdl",
    "catalog_from_ctdl_bytes",
    "catalog_to_ctdl",
    "credential_level",
    "ctid",
    "import_ctdl",
    "read_ctdl",
    "write_ctdl",
]
