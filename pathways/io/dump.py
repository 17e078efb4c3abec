"""Write catalogs and learner profiles back to the YAML shape of the format doc."""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any

from pathways.describe import prerequisite_text
from pathways.domain import AllOf, AnyOf, Catalog, Choose, LearnerProfile, MinHours, Node, Ref
from pathways.io._yaml import atomic_write_text, dump_yaml

__all__ = ["catalog_to_data", "learner_to_data", "requirement_to_data", "write_catalog",
           "write_learner"]


def plain_number(value: float) -> int | float:
    """A whole number as an int (``36``, not ``36.0``), as the files write it (CSV and CTDL too)."""
    return int(value) if float(value).is_integer() else value


def number_text(value: float) -> str:
    """Shortest exact decimal text of a number, never with an exponent.

    >>> number_text(36.0), number_text(12.5), number_text(1e-05)
    ('36', '12.5', '0.00001')
    """
    value = float(value)
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")


# The YAML shape of each requirement node, label last (the CSV reader builds trees with these too).
def ref_data(item_id: str, label: str | None = None) -> Any:
    return item_id if label is None else {"id": item_id, "label": label}


def _labelled(data: dict[str, Any], label: str | None) -> dict[str, Any]:
    if label is not None:
        data["label"] = label
    return data


def group_data(kind: str, children: list[Any], label: str | None = None) -> dict[str, Any]:
    """``all`` or ``any`` (``kind``) of the children."""
    return _labelled({kind: children}, label)


def choose_data(k: int, children: list[Any], label: str | None = None) -> dict[str, Any]:
    return _labelled({"choose": k, "from": children}, label)


def min_hours_data(hours: float, courses: list[str], label: str | None = None) -> dict[str, Any]:
    return _labelled({"min_hours": plain_number(hours), "from": courses}, label)


def requirement_to_data(node: Node) -> Any:
    """A requirement tree in the YAML shape (the inverse of ``parse_requirement``).

    >>> from pathways.io.trees import parse_requirement
    >>> data = {"all": ["A", {"choose": 1, "from": ["B", "C"], "label": "Pick"}]}
    >>> requirement_to_data(parse_requirement(data)) == data
    True
    """
    if isinstance(node, Ref):
        return ref_data(node.id, node.label)
    if isinstance(node, (AllOf, AnyOf)):
        kind = "all" if isinstance(node, AllOf) else "any"
        return group_data(kind, [requirement_to_data(c) for c in node.children], node.label)
    if isinstance(node, Choose):
        return choose_data(node.k, [requirement_to_data(c) for c in node.children], node.label)
    if isinstance(node, MinHours):
        return min_hours_data(node.hours, list(node.courses), node.label)
    raise TypeError(f"not a requirement node: {node!r}")


def _importance(importance: float, essential: bool) -> str | float:
    if essential and importance == 1.0:
        return "essential"
    if not essential and importance == 0.5:
        return "optional"
    return plain_number(importance)


def catalog_to_data(catalog: Catalog, *, fmt: bool = True) -> dict[str, Any]:
    """The catalog as plain data in the YAML shape; optional fields at their default are left out."""
    data: dict[str, Any] = {}
    if fmt:
        data["format"] = "pathways/1"
    data["currency"] = catalog.currency
    if catalog.providers:
        data["providers"] = [{"id": p.id, "name": p.name} for p in catalog.providers.values()]
    if catalog.skills:
        data["skills"] = [
            {"id": s.id, "label": s.label,
             **({"alt_labels": list(s.alt_labels)} if s.alt_labels else {}),
             **({"description": s.description} if s.description else {})}
            for s in catalog.skills.values()]
    courses = []
    for c in catalog.courses.values():
        item: dict[str, Any] = {"id": c.id, "title": c.title}
        if c.provider is not None:
            item["provider"] = c.provider
        item["hours"] = plain_number(c.hours)
        if c.cost:
            item["cost"] = plain_number(c.cost)
        if c.delivery is not None:
            item["delivery"] = c.delivery
        if c.terms is not None:
            item["terms"] = [s for s in ("winter", "summer", "fall") if s in c.terms]
        if c.prerequisites is not None:
            item["prerequisites"] = prerequisite_text(c.prerequisites)
        if c.skills:
            item["skills"] = [{"skill": s.skill, "level": s.level} for s in c.skills]
        if c.badge_valid_months is not None:
            item["badge_valid_months"] = c.badge_valid_months
        if c.badge_id is not None:
            item["badge_id"] = c.badge_id
        if c.description:
            item["description"] = c.description
        if not c.hours_stated:
            item["hours_stated"] = False
        if c.details:
            item["details"] = {k: list(v) for k, v in c.details}
        courses.append(item)
    if courses:
        data["courses"] = courses
    creds = []
    for cr in catalog.credentials.values():
        item = {"id": cr.id, "title": cr.title, "level": cr.level}
        if cr.provider is not None:
            item["provider"] = cr.provider
        item["requires"] = requirement_to_data(cr.requires)
        if cr.recency_months is not None:
            item["recency_months"] = cr.recency_months
        if cr.exclusive:
            item["exclusive"] = True
        if cr.badge_id is not None:
            item["badge_id"] = cr.badge_id
        if cr.description:
            item["description"] = cr.description
        if cr.details:
            item["details"] = {k: list(v) for k, v in cr.details}
        creds.append(item)
    if creds:
        data["credentials"] = creds
    if catalog.jobs:
        data["jobs"] = [
            {"id": j.id, "title": j.title,
             **({"description": j.description} if j.description else {}),
             "skills": [{"skill": s.skill, "importance": _importance(s.importance, s.essential),
                         "level": s.level} for s in j.skills]}
            for j in catalog.jobs.values()]
    return data


def learner_to_data(learner: LearnerProfile) -> dict[str, Any]:
    """A learner profile in the YAML shape (``{"learner": {...}}``)."""
    body: dict[str, Any] = {"id": learner.id}
    if learner.name:
        body["name"] = learner.name
    if learner.completed:
        body["completed"] = [
            {h.kind: h.id, "date": h.date.isoformat(),
             **({"expires": h.expires.isoformat()} if h.expires else {})}
            for h in learner.completed]
    if learner.skills:
        body["skills"] = [{"skill": s.skill, "level": s.level} for s in learner.skills]
    if learner.badges:
        body["badges"] = list(learner.badges)
    goals: dict[str, Any] = {}
    if learner.goals.credentials:
        goals["credentials"] = list(learner.goals.credentials)
    if learner.goals.job:
        goals["job"] = learner.goals.job
    if goals:
        body["goals"] = goals
    c = learner.constraints
    cons: dict[str, Any] = {}
    if c.start is not None:
        cons["start"] = str(c.start)
    for key in ("max_courses_per_term", "max_hours_per_term", "budget"):
        value = getattr(c, key)
        if value is not None:
            cons[key] = plain_number(value) if isinstance(value, float) else value
    if c.exclude_providers:
        cons["exclude_providers"] = sorted(c.exclude_providers)
    if c.delivery is not None:
        cons["delivery"] = sorted(c.delivery)
    if cons:
        body["constraints"] = cons
    if learner.cv_text:
        body["cv"] = learner.cv_text
    return {"learner": body}


def write_catalog(catalog: Catalog, path: str | os.PathLike[str], *, header: str = "") -> None:
    """Write ``catalog`` as one YAML file, atomically."""
    atomic_write_text(path, dump_yaml(catalog_to_data(catalog), header=header))


def write_learner(learner: LearnerProfile, path: str | os.PathLike[str], *, header: str = "") -> None:
    """Write a learner profile as YAML, atomically (the old file stays whole on failure)."""
    atomic_write_text(path, dump_yaml(learner_to_data(learner), header=header))
