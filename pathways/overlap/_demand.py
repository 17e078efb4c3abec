"""Skill supply against demand: which skills employers need that no course teaches.

Demand comes from jobs (the catalog's, plus any others passed in, e.g. imported ESCO or O*NET
occupations); supply from the catalog's courses. Skills are matched by id.

Per skill:

- ``jobs``: how many jobs require it; ``essential_jobs``: how many list it as essential;
  ``demand``: the sum of its importance over those jobs (essential 1.0, optional 0.5, or the
  number given), so a skill every job needs outranks one a single job lists as optional;
  ``required_level``: the highest level a job requires.
- ``courses``: how many courses teach it; ``hours``: the total hours of those courses (whole
  courses, not apportioned among their skills); ``max_level``: the highest level taught;
  ``taught_by``: up to five of those courses, highest level first.
- ``status``:

  ``unmet``
      demanded and taught by no course;
  ``undersupplied``
      demanded and taught, but no course reaches ``required_level``;
  ``oversupply``
      taught by at least ``oversupply_min_courses`` courses and demanded by no job;
  ``supplied``
      demanded and taught to the required level;
  ``not demanded``
      taught by fewer courses than the oversupply bar and demanded by no job.

Rows come ranked: unmet, then undersupplied (each by demand, highest first), oversupply (by
number of courses), supplied, not demanded.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from pathways.domain import Catalog, Job
from pathways.errors import InvalidParameterError

__all__ = ["SKILL_STATUSES", "skill_demand"]

SKILL_STATUSES = ("unmet", "undersupplied", "oversupply", "supplied", "not demanded")
_COLUMNS = ["skill", "label", "status", "jobs", "essential_jobs", "demand", "required_level",
            "courses", "hours", "max_level", "taught_by", "top_jobs", "explanation"]


def skill_demand(catalog: Catalog, jobs: Iterable[Job] | None = None, *,
                 include_catalog_jobs: bool = True,
                 oversupply_min_courses: int = 2) -> pd.DataFrame:
    """Skills demanded by jobs against skills taught by the catalog's courses.

    Parameters
    ----------
    catalog : Catalog
        Its courses are the supply; its jobs part of the demand; its skills give the labels.
    jobs : iterable of Job, optional
        More jobs (e.g. imported occupations); a job whose id is also a catalog job replaces it.
    include_catalog_jobs : bool, default True
        Count the catalog's own jobs.
    oversupply_min_courses : int, default 2
        A skill no job demands is ``oversupply`` from this many teaching courses on.

    Returns
    -------
    pandas.DataFrame
        One row per skill demanded or taught, with the columns described in the module
        docstring, ranked by status.

    Examples
    --------
    >>> from pathways.io import catalog_from_data
    >>> cat = catalog_from_data({
    ...     "courses": [{"id": "A", "title": "SQL", "hours": 10, "skills": [{"skill": "sql"}]},
    ...                 {"id": "B", "title": "Knots", "hours": 5, "skills": [{"skill": "knots"}]},
    ...                 {"id": "C", "title": "Knots II", "hours": 5, "skills": [{"skill": "knots"}]}],
    ...     "jobs": [{"id": "J", "title": "analyst", "skills": [
    ...         {"skill": "sql", "level": 2}, {"skill": "python", "importance": "optional"}]}]}).catalog
    >>> skill_demand(cat)[["skill", "status", "demand", "courses"]].to_dict("records")
    [{'skill': 'python', 'status': 'unmet', 'demand': 0.5, 'courses': 0}, {'skill': 'sql', 'status': 'undersupplied', 'demand': 1.0, 'courses': 1}, {'skill': 'knots', 'status': 'oversupply', 'demand': 0.0, 'courses': 2}]
    """
    if oversupply_min_courses < 1:
        raise InvalidParameterError(f"oversupply_min_courses must be >= 1, got {oversupply_min_courses}")
    all_jobs: dict[str, Job] = dict(catalog.jobs) if include_catalog_jobs else {}
    for job in jobs or ():
        all_jobs[job.id] = job

    demand: dict[str, dict[str, Any]] = {}
    for job in all_jobs.values():
        seen: dict[str, Any] = {}
        for js in job.skills:  # a job listing a skill twice counts it once, at its strongest
            prev = seen.get(js.skill)
            if prev is None or (js.importance, js.level) > (prev.importance, prev.level):
                seen[js.skill] = js
        for skill, js in seen.items():
            entry = demand.setdefault(skill, {"jobs": 0, "essential_jobs": 0, "demand": 0.0,
                                              "required_level": 0, "job_weights": []})
            entry["jobs"] += 1
            entry["essential_jobs"] += int(js.essential)
            entry["demand"] += float(js.importance)
            entry["required_level"] = max(entry["required_level"], int(js.level))
            entry["job_weights"].append((-float(js.importance), job.title))

    supply: dict[str, list[tuple[int, str, float]]] = {}
    for course in catalog.courses.values():
        levels: dict[str, int] = {}
        for s in course.skills:
            levels[s.skill] = max(levels.get(s.skill, 0), int(s.level))
        for skill, level in levels.items():
            supply.setdefault(skill, []).append((level, course.id, float(course.hours)))

    rows = []
    for skill in list(demand) + [s for s in supply if s not in demand]:
        d: dict[str, Any] | None = demand.get(skill)
        taught = sorted(supply.get(skill, []), key=lambda t: (-t[0], t[1]))
        n_courses = len(taught)
        max_level = taught[0][0] if taught else 0
        if d is None:
            status = "oversupply" if n_courses >= oversupply_min_courses else "not demanded"
        elif not taught:
            status = "unmet"
        elif max_level < d["required_level"]:
            status = "undersupplied"
        else:
            status = "supplied"
        top_jobs = [title for _, title in sorted(d["job_weights"])[:3]] if d else []
        row = {
            "skill": skill, "label": catalog.skill_label(skill), "status": status,
            "jobs": d["jobs"] if d else 0, "essential_jobs": d["essential_jobs"] if d else 0,
            "demand": round(d["demand"], 6) if d else 0.0,
            "required_level": d["required_level"] if d else 0,
            "courses": n_courses, "hours": float(sum(t[2] for t in taught)),
            "max_level": max_level, "taught_by": [t[1] for t in taught[:5]],
            "top_jobs": top_jobs}
        row["explanation"] = _explain(row)
        rows.append(row)

    df = pd.DataFrame(rows, columns=_COLUMNS)
    if not len(df):
        return df
    df = df.astype({"jobs": "int64", "essential_jobs": "int64", "demand": "float64",
                    "required_level": "int64", "courses": "int64", "hours": "float64",
                    "max_level": "int64"})
    rank = df["status"].map({s: i for i, s in enumerate(SKILL_STATUSES)})
    df = df.assign(_rank=rank, _key=df["label"].str.casefold())
    df = df.sort_values(["_rank", "demand", "courses", "jobs", "_key"],
                        ascending=[True, False, False, False, True], kind="stable")
    return df.drop(columns=["_rank", "_key"]).reset_index(drop=True)


def _explain(row: dict[str, Any]) -> str:
    jobs = row["jobs"]
    need = (f"{jobs} job{'s' if jobs != 1 else ''} need it"
            + (f" ({', '.join(row['top_jobs'])}{', ...' if jobs > 3 else ''})" if row["top_jobs"] else "")
            + f", up to level {row['required_level']}")
    n = row["courses"]
    status = row["status"]
    if status == "unmet":
        return f"{need}; no course teaches it: a gap to fill with a new course or module."
    if status == "undersupplied":
        return (f"{need}; {n} course{'s' if n != 1 else ''} teach it, but only up to level "
                f"{row['max_level']}: an advanced course is missing.")
    if status == "oversupply":
        return (f"{n} courses ({row['hours']:g} h) teach it but no job of the catalog needs it: "
                "check whether these courses can be consolidated, or add the jobs they prepare for.")
    if status == "supplied":
        return f"{need}; {n} course{'s' if n != 1 else ''} teach it up to level {row['max_level']}."
    return f"taught by {n} course{'s' if n != 1 else ''}, needed by no job of the catalog."
