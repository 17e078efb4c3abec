"""Catalog items as Open Badges 3.0 ``Achievement`` definitions (:func:`export_achievement`), so
that providers can issue badges that map back to the item exactly."""

from __future__ import annotations

import difflib
import re
from typing import Any, Literal
from urllib.parse import quote

from pathways.describe import prerequisite_text, requirement_lines
from pathways.domain import AllOf, Catalog, Course, Credential, Node, Ref, SkillLevel
from pathways.errors import CatalogError, Diagnostic
from pathways.io.badges._map import achievement_id

__all__ = ["ACHIEVEMENT_TYPES", "export_achievement"]

#: OB 3.0 ``achievementType`` values (an extensible enumeration) for our kinds and levels.
ACHIEVEMENT_TYPES = {
    "course": "Course",
    "microcredential": "MicroCredential",
    "certificate": "Certificate",
    "diploma": "Diploma",
    "degree": "Degree",
    "other": "Achievement",
}


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
