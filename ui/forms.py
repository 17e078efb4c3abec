"""The learner form's values to and from the profile's YAML shape (no Streamlit here).

The form builds the same data a profile file holds, and the loader validates it
(:func:`pathways.io.learner_from_data`), so a profile built in the app and one written by hand
are checked by the same rules.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from pathways.domain import LearnerProfile, Term
from pathways.io import learner_to_data

__all__ = ["COMPLETED_COLUMNS", "SKILL_COLUMNS", "form_defaults", "profile_data", "term_options"]

COMPLETED_COLUMNS = ["kind", "item", "date", "expires"]
SKILL_COLUMNS = ["skill", "level"]


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _date(value: Any) -> str | None:
    if _blank(value):
        return None
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return pd.Timestamp(value).date().isoformat()
    return str(value)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def term_options(today: dt.date, *, extra: Iterable[str] = (), count: int = 10) -> list[str]:
    """Start terms to offer: the first term not yet begun on ``today`` (the default) and the
    next ``count - 1``, plus ``extra`` (e.g. a profile's start in the past, for a what-if).

    >>> term_options(dt.date(2026, 12, 6), count=3)
    ['2027-winter', '2027-summer', '2027-fall']
    >>> term_options(dt.date(2026, 12, 6), extra=["2026-fall"], count=2)
    ['2026-fall', '2027-winter', '2027-summer']
    """
    first = Term.first_not_begun(today)
    terms = {str(first.next(i)): first.next(i) for i in range(count)}
    for text in extra:
        try:
            terms.setdefault(text, Term.parse(text))
        except ValueError:
            continue
    return [t for t, _ in sorted(terms.items(), key=lambda kv: kv[1])]


def _dated(frame: pd.DataFrame) -> pd.DataFrame:
    """Date columns as datetimes, so an empty expiry shows as a blank cell, not "None"."""
    for column in ("date", "expires"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def form_defaults(learner: LearnerProfile | None) -> dict[str, Any]:
    """The form's starting values for ``learner`` (blank for None)."""
    body = learner_to_data(learner)["learner"] if learner is not None else {"id": "me"}
    completed = [
        {"kind": "course" if "course" in h else "credential",
         "item": h.get("course") or h.get("credential"),
         "date": dt.date.fromisoformat(h["date"]),
         "expires": dt.date.fromisoformat(h["expires"]) if h.get("expires") else None}
        for h in body.get("completed", [])]
    goals = body.get("goals", {})
    cons = body.get("constraints", {})
    return {
        "id": body["id"],
        "name": body.get("name", ""),
        "completed": _dated(pd.DataFrame(completed, columns=COMPLETED_COLUMNS)),
        "skills": pd.DataFrame(body.get("skills", []), columns=SKILL_COLUMNS),
        "goal_credentials": list(goals.get("credentials", [])),
        "goal_job": goals.get("job"),
        "start": cons.get("start"),
        "max_courses_per_term": cons.get("max_courses_per_term"),
        "max_hours_per_term": cons.get("max_hours_per_term"),
        "budget": cons.get("budget"),
        "exclude_providers": list(cons.get("exclude_providers", [])),
        "delivery": list(cons.get("delivery", [])),
        "cv": body.get("cv", ""),
        "badges": list(body.get("badges", [])),
    }


def profile_data(*, id: str, name: str, completed: pd.DataFrame | Sequence[Mapping[str, Any]],
                 skills: pd.DataFrame | Sequence[Mapping[str, Any]],
                 goal_credentials: Sequence[str], goal_job: str | None, start: str | None,
                 max_courses_per_term: int | None, max_hours_per_term: float | None,
                 budget: float | None, exclude_providers: Sequence[str],
                 delivery: Sequence[str], cv: str = "", badges: Sequence[str] = ()) -> dict[str, Any]:
    """The profile's YAML-shape data from the form's values; empty rows and fields are left out.

    >>> profile_data(id="me", name="Me", completed=[{"kind": "course", "item": "A",
    ...              "date": dt.date(2025, 1, 5), "expires": None}], skills=[],
    ...              goal_credentials=["X"], goal_job=None, start="2027-winter",
    ...              max_courses_per_term=2, max_hours_per_term=None, budget=None,
    ...              exclude_providers=[], delivery=[])["learner"]
    {'id': 'me', 'name': 'Me', 'completed': [{'course': 'A', 'date': '2025-01-05'}], 'goals': {'credentials': ['X']}, 'constraints': {'start': '2027-winter', 'max_courses_per_term': 2}}
    """
    rows = completed.to_dict("records") if isinstance(completed, pd.DataFrame) else list(completed)
    skill_rows = skills.to_dict("records") if isinstance(skills, pd.DataFrame) else list(skills)
    body: dict[str, Any] = {"id": (id or "me").strip() or "me"}
    if name.strip():
        body["name"] = name.strip()
    holdings = []
    for row in rows:
        item = row.get("item")
        if _blank(item) or not str(item).strip():
            continue
        kind = row.get("kind") if row.get("kind") in ("course", "credential") else "course"
        entry: dict[str, Any] = {kind: str(item).strip(), "date": _date(row.get("date"))}
        expires = _date(row.get("expires"))
        if expires:
            entry["expires"] = expires
        holdings.append(entry)
    if holdings:
        body["completed"] = holdings
    held = []
    for row in skill_rows:
        skill = row.get("skill")
        if _blank(skill) or not str(skill).strip():
            continue
        level = row.get("level")
        held.append({"skill": str(skill).strip(), "level": 1 if _blank(level) else int(level)})
    if held:
        body["skills"] = held
    if badges:
        body["badges"] = list(badges)
    goals: dict[str, Any] = {}
    if goal_credentials:
        goals["credentials"] = list(goal_credentials)
    if goal_job:
        goals["job"] = goal_job
    if goals:
        body["goals"] = goals
    cons: dict[str, Any] = {}
    if start:
        cons["start"] = start
    if not _blank(max_courses_per_term):
        cons["max_courses_per_term"] = int(max_courses_per_term)  # type: ignore[arg-type]
    if not _blank(max_hours_per_term):
        cons["max_hours_per_term"] = _number(max_hours_per_term)  # type: ignore[arg-type]
    if not _blank(budget):
        cons["budget"] = _number(budget)  # type: ignore[arg-type]
    if exclude_providers:
        cons["exclude_providers"] = list(exclude_providers)
    if delivery:
        cons["delivery"] = list(delivery)
    if cons:
        body["constraints"] = cons
    if cv.strip():
        body["cv"] = cv
    return {"learner": body}
