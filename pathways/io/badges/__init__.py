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

The package: :mod:`~pathways.io.badges._extract` (baked PNG and SVG images),
:mod:`~pathways.io.badges._read` (JSON, JWS, OB 2.0 / 3.0 parsing),
:mod:`~pathways.io.badges._map` (mapping to the catalog, the import, :func:`merge_badges`),
:mod:`~pathways.io.badges._profile` (:func:`add_badges_to_profile`: badges into a profile file)
and :mod:`~pathways.io.badges._export` (achievements).
"""

from __future__ import annotations

from pathways.io.badges._export import ACHIEVEMENT_TYPES, export_achievement
from pathways.io.badges._extract import MAX_BADGE_TEXT, Status, extract_baked
from pathways.io.badges._map import (
    FUZZY_CUTOFF,
    BadgeImport,
    BadgeRecord,
    Confidence,
    achievement_id,
    better_holding,
    import_badge_bytes,
    import_badge_files,
    merge_badges,
)
from pathways.io.badges._profile import ProfileBadges, add_badges_to_profile
from pathways.io.badges._read import DATE_YEARS, MAX_BADGE_BYTES, read_badge
from pathways.io.badges._status import MAX_STATUS_BYTES, RevocationLists, StatusCheck

__all__ = [
    "ACHIEVEMENT_TYPES",
    "BadgeImport",
    "BadgeRecord",
    "Confidence",
    "DATE_YEARS",
    "FUZZY_CUTOFF",
    "MAX_BADGE_BYTES",
    "MAX_BADGE_TEXT",
    "MAX_STATUS_BYTES",
    "ProfileBadges",
    "RevocationLists",
    "Status",
    "StatusCheck",
    "achievement_id",
    "add_badges_to_profile",
    "better_holding",
    "export_achievement",
    "extract_baked",
    "import_badge_bytes",
    "import_badge_files",
    "merge_badges",
    "read_badge",
]
