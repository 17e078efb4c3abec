"""Where a cohort's learners come from: a folder of profiles, a table, or the workspace.

Learners travel as :class:`LearnerInput` (an id, where it came from, and the profile in the
YAML shape): they are validated against the catalog on the worker that plans them, so that
one bad profile becomes one error row, never a stopped batch.

A table (Parquet or CSV) has one learner a row, with these columns (only ``id`` is needed):

``id``, ``name``; ``goal_credentials`` (ids separated by ``;``), ``goal_job``;
``completed`` (``ID@YYYY-MM-DD`` items separated by ``;``, a course or a credential id);
``skills`` (``SKILL:LEVEL`` items separated by ``;``); ``start`` (``YYYY-MM`` or
``YYYY-season``), ``budget``, ``max_courses_per_term``, ``max_hours_per_term``; or a single
``profile`` column holding the text of a learner file.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pathways.domain import Catalog
from pathways.errors import CatalogError, Diagnostic

__all__ = ["LearnerInput", "learners_from_frame", "read_learners", "synthetic_learners"]

_TABLE_COLUMNS = ("id", "name", "goal_credentials", "goal_job", "completed", "skills", "start",
                  "budget", "max_courses_per_term", "max_hours_per_term", "profile")


@dataclass(frozen=True)
class LearnerInput:
    """One learner of a cohort before validation: ``data`` is a learner file's content (the
    YAML shape), ``source`` where it came from (for messages)."""

    id: str
    source: str
    data: Any


# --------------------------------------------------------------------------- readers
def read_learners(source: str | Path) -> list[LearnerInput]:
    """The learners of a folder of profiles (``*.yaml``), a table (``.parquet``, ``.csv``) or
    a workspace database (an SQLAlchemy URL, e.g. ``sqlite:///ws.db``), in a stable order.

    Raises
    ------
    CatalogError
        When the source cannot be read at all (a bad row is the worker's business).
    """
    text = str(source)
    if "://" in text:
        return _from_workspace(text)
    path = Path(source)
    if path.is_dir():
        return _from_folder(path)
    if path.suffix.lower() in (".parquet", ".csv"):
        return _from_table(path)
    if path.is_file() and path.suffix.lower() in (".yaml", ".yml"):
        return _from_files([path])
    raise CatalogError(Diagnostic(
        "not a cohort: expected a folder of learner profiles, a .parquet or .csv table, or a "
        "workspace database URL", file=text,
        hint="pass --learners DIR, --learners learners.parquet or --learners sqlite:///ws.db"))


def _from_folder(folder: Path) -> list[LearnerInput]:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml"))
    if not files:
        raise CatalogError(Diagnostic("the folder holds no learner profiles (*.yaml)",
                                      file=str(folder), hint="put one profile a file in it"))
    return _from_files(files)


def _from_files(files: Sequence[Path]) -> list[LearnerInput]:
    from pathways.io import read_yaml

    out = []
    for path in files:
        try:
            data = read_yaml(path)
        except CatalogError as err:  # kept: the worker reports it as this learner's error
            data = {"__error__": str(err)}
        body = data.get("learner") if isinstance(data, dict) else None
        learner_id = str(body.get("id")) if isinstance(body, dict) and body.get("id") else path.stem
        out.append(LearnerInput(learner_id, str(path), data))
    return out


def _split(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]


def _value(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _row_data(row: dict[str, Any]) -> Any:
    if _value(row.get("profile")) is not None:
        from pathways.io import parse_yaml

        return parse_yaml(str(row["profile"]), f"row {row.get('id')}")
    body: dict[str, Any] = {"id": str(row["id"])}
    if _value(row.get("name")) is not None:
        body["name"] = str(row["name"])
    completed = []
    for item in _split(row.get("completed")):
        ident, _, date = item.partition("@")
        completed.append({"course": ident.strip(), "date": date.strip()})
    if completed:
        body["completed"] = completed
    skills = []
    for item in _split(row.get("skills")):
        ident, _, level = item.rpartition(":")
        skills.append({"skill": ident.strip(), "level": int(level) if level.strip().isdigit() else level})
    if skills:
        body["skills"] = skills
    goals: dict[str, Any] = {}
    if _split(row.get("goal_credentials")):
        goals["credentials"] = _split(row.get("goal_credentials"))
    if _value(row.get("goal_job")) is not None:
        goals["job"] = str(row["goal_job"])
    if goals:
        body["goals"] = goals
    constraints = {k: _value(row.get(k)) for k in ("start", "budget", "max_courses_per_term",
                                                    "max_hours_per_term")
                   if _value(row.get(k)) is not None}
    if "start" in constraints:
        constraints["start"] = str(constraints["start"])
    if constraints:
        body["constraints"] = constraints
    return {"learner": body}


def _from_table(path: Path) -> list[LearnerInput]:
    import pandas as pd

    try:
        frame = (pd.read_parquet(path) if path.suffix.lower() == ".parquet"
                 else pd.read_csv(path, dtype=str, keep_default_na=False))
    except Exception as err:  # noqa: BLE001 - pyarrow and pandas raise many kinds
        raise CatalogError(Diagnostic(f"cannot read the table: {err}", file=str(path),
                                      hint="write a Parquet or UTF-8 CSV table")) from None
    return learners_from_frame(frame, str(path))


def learners_from_table_bytes(name: str, data: bytes) -> list[LearnerInput]:
    """The learners of a table sent as bytes (an upload): Parquet when ``name`` ends with
    ``.parquet``, else UTF-8 CSV (the columns of :func:`learners_from_frame`).

    Raises
    ------
    CatalogError
        When the bytes are not a readable table of that kind, naming ``name``.
    """
    import io

    import pandas as pd

    try:
        frame = (pd.read_parquet(io.BytesIO(data)) if name.lower().endswith(".parquet")
                 else pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False))
    except Exception as err:  # noqa: BLE001 - pyarrow and pandas raise many kinds on bad files
        raise CatalogError(Diagnostic(
            f"not a readable Parquet or CSV table ({type(err).__name__})", file=name,
            hint="upload a Parquet table, or a UTF-8 CSV table with an id column")) from None
    return learners_from_frame(frame, name)


def learners_from_frame(frame: Any, source: str) -> list[LearnerInput]:
    """The learners of a table already read (a pandas DataFrame with the columns above);
    ``source`` names it in messages."""
    path = source
    if "id" not in frame.columns:
        raise CatalogError(Diagnostic(
            "the table has no id column", file=str(path),
            hint=f"columns: {', '.join(_TABLE_COLUMNS)} (see docs/cohort or pathways.cohort)"))
    unknown = [c for c in frame.columns if c not in _TABLE_COLUMNS]
    if unknown:
        raise CatalogError(Diagnostic(
            f"unknown columns {', '.join(map(str, unknown))}", file=str(path),
            hint=f"use the columns {', '.join(_TABLE_COLUMNS)}"))
    out = []
    for i, row in enumerate(frame.to_dict("records")):
        row = {k: (None if v == "" else v) for k, v in row.items()}
        if row.get("id") is None:
            data: Any = {"__error__": f"{path}: row {i + 2} has no id"}
            out.append(LearnerInput(f"<row {i + 2}>", f"{path}:{i + 2}", data))
            continue
        try:
            data = _row_data(row)
        except (CatalogError, ValueError) as err:
            data = {"__error__": str(err)}
        out.append(LearnerInput(str(row["id"]), f"{path}:{i + 2}", data))
    return out


def _from_workspace(url: str) -> list[LearnerInput]:
    from pathways.io import parse_yaml
    from pathways.workspace import Workspace

    with Workspace.open(url) as ws:
        infos = ws.learners()
    out = []
    for info in infos:
        source = f"workspace:{info.id}@v{info.version}"
        try:
            data = parse_yaml(info.profile, source)
        except CatalogError as err:
            data = {"__error__": str(err)}
        out.append(LearnerInput(info.id, source, data))
    return out


# --------------------------------------------------------------------------- synthetic cohorts
def synthetic_learners(catalog: Catalog, n: int, *, seed: int = 0) -> list[LearnerInput]:
    """``n`` learners for ``catalog`` (seeded, deterministic): each aims at one credential and
    one job, has completed 0 to 4 courses (some of them toward that credential) and
    starts in 2027-winter.

    >>> from pathways.synth import synthetic_catalog
    >>> cat = synthetic_catalog(50, seed=1)
    >>> [x.id for x in synthetic_learners(cat, 3)]
    ['l000000', 'l000001', 'l000002']
    """
    from pathways.domain import leaf_ids

    rng = random.Random(seed)
    credentials = sorted(catalog.credentials)
    jobs = sorted(catalog.jobs)
    courses = sorted(catalog.courses)
    out = []
    for i in range(n):
        body: dict[str, Any] = {"id": f"l{i:06d}", "name": f"Learner {i}"}
        goals: dict[str, Any] = {}
        pool: list[str] = []
        if credentials:
            goal = rng.choice(credentials)
            goals["credentials"] = [goal]
            pool = [c for c in leaf_ids(catalog.credentials[goal].requires) if c in catalog.courses]
        if jobs:
            goals["job"] = rng.choice(jobs)
        body["goals"] = goals
        held = rng.sample(pool, min(len(pool), rng.randint(0, 2))) if pool else []
        if courses:
            held += rng.sample(courses, rng.randint(0, 2))
        body["completed"] = [{"course": c, "date": f"202{rng.randint(3, 5)}-0{rng.randint(1, 9)}-15"}
                             for c in dict.fromkeys(held)]
        body["constraints"] = {"start": "2027-01"}
        out.append(LearnerInput(body["id"], f"synthetic:{seed}:{i}", {"learner": body}))
    return out
