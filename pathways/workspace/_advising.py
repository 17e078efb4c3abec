"""Advising on top of the store: profiles validated before they are kept, plans made and kept,
and the caseload view (readiness, distance, next term, staleness) for many learners at once.

A profile is kept as the text of a learner file, exactly as written (nothing is lost); it is
validated by the loader against the catalog at hand whenever it is used. A profile that no
longer validates (the catalog changed) is listed with the loader's message, never dropped.

What depends only on the catalog's content hash, a learner's profile version and the day
(readiness for the goal job; a plan computed for a learner who has no saved one) is cached
in memory for the process, so a caseload of hundreds of learners is listed quickly after the
first time. Saved plans are read from the database; a plan made with another catalog or an
older profile version is marked stale, and :func:`replan` makes a new one and says what
changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pathways.domain import Catalog, LearnerProfile
from pathways.errors import CatalogError, PathwaysError
from pathways.workspace._store import LearnerInfo, PlanInfo, Workspace, WorkspaceError

__all__ = [
    "CaseloadRow",
    "add_learner",
    "caseload",
    "catalog_hash",
    "keep_learner",
    "make_plan",
    "plan_changes",
    "profile_of",
    "replan",
    "update_learner",
]

_HASHES: dict[int, tuple[Catalog, str]] = {}
_CACHE: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_CACHE_SIZE = 20_000
_LOCK = threading.Lock()


def catalog_hash(catalog: Catalog) -> str:
    """The content hash of a validated catalog (SHA-256 of its canonical data), the same
    whichever files or upload it was read from."""
    with _LOCK:
        found = _HASHES.get(id(catalog))
        if found is not None and found[0] is catalog:
            return found[1]
    from pathways.io import catalog_to_data

    blob = json.dumps(catalog_to_data(catalog), sort_keys=True, ensure_ascii=False, default=str)
    digest = hashlib.sha256(blob.encode("utf-8")).hexdigest()
    with _LOCK:
        if len(_HASHES) > 64:
            _HASHES.clear()
        _HASHES[id(catalog)] = (catalog, digest)
    return digest


def _cached(key: tuple[Any, ...], compute: Any) -> Any:
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    value = compute()
    with _LOCK:
        _CACHE[key] = value
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return value


# --------------------------------------------------------------------------- profiles
def profile_of(info: LearnerInfo, catalog: Catalog) -> LearnerProfile:
    """The learner's kept profile, validated against ``catalog``.

    Raises
    ------
    CatalogError
        The loader's diagnostics, when the profile no longer fits the catalog.
    """
    return _validated(info.profile, f"workspace:{info.id}@v{info.version}", catalog)


def _validated(text: str, source: str, catalog: Catalog) -> LearnerProfile:
    """The profile in ``text`` checked against ``catalog``. Badge files a profile lists are
    not read: a kept profile's paths point nowhere on this machine (import badges into the
    profile's holdings with ``pathways badges import`` before adding it)."""
    from pathways.io import learner_from_data, parse_yaml

    data = parse_yaml(text, source)
    if isinstance(data, dict) and isinstance(data.get("learner"), dict) and "badges" in data["learner"]:
        data = {**data, "learner": {k: v for k, v in data["learner"].items() if k != "badges"}}
    return learner_from_data(data, source=source, catalog=catalog, text=text)


def add_learner(ws: Workspace, text: str, catalog: Catalog, *, by: str, source: str = "<profile>",
                advisor: str | None = None) -> LearnerInfo:
    """Validate a learner file's text against ``catalog`` and add it as a new learner (in
    ``advisor``'s caseload when given)."""
    learner = _validated(text, source, catalog)
    info = ws.save_learner(learner.id, text, by=by, name=learner.name)
    if advisor is not None:
        ws.assign(advisor, learner.id)
    return info


def update_learner(ws: Workspace, learner_id: str, text: str, catalog: Catalog, *, by: str,
                   base_version: int, source: str = "<profile>", comment: str = "") -> LearnerInfo:
    """Validate a changed profile and save it as the next version of ``learner_id``
    (:class:`~pathways.workspace.ConflictError` if someone saved after ``base_version``)."""
    learner = _validated(text, source, catalog)
    if learner.id != learner_id:
        raise WorkspaceError(f"the profile is for learner {learner.id}, not {learner_id}; "
                             "a learner's id cannot change")
    return ws.save_learner(learner_id, text, by=by, name=learner.name, base_version=base_version,
                           comment=comment)


def keep_learner(ws: Workspace, text: str, catalog: Catalog, *, by: str,
                 advisor: str | None = None, source: str = "<profile>") -> LearnerInfo:
    """The learner of ``text`` in the workspace: added when new, saved as the next version
    when the text differs from the newest one (an unchanged profile is not saved again), and
    put in ``advisor``'s caseload. A save that races another advisor's is a
    :class:`~pathways.workspace.ConflictError`, nothing lost."""
    learner = _validated(text, source, catalog)
    known = {i.id: i for i in ws.learners()}
    current = known.get(learner.id)
    if current is None:
        info = ws.save_learner(learner.id, text, by=by, name=learner.name)
    elif current.profile != text:
        info = ws.save_learner(learner.id, text, by=by, name=learner.name,
                               base_version=current.version)
    else:
        info = current
    if advisor is not None:
        ws.assign(advisor, learner.id)
    return info


# --------------------------------------------------------------------------- plans
def _package_version() -> str:
    import pathways

    return str(pathways.__version__)


def make_plan(ws: Workspace, catalog: Catalog, learner_id: str, *, by: str,
              targets: Sequence[str] | None = None, objective: str = "hours",
              time_limit: float = 10.0, today: dt.date | None = None,
              source: str = "") -> tuple[PlanInfo, Any]:
    """Plan the learner's newest profile on ``catalog`` and keep the plan as it was made (the
    request, the result, the catalog's hash, the profile version, the package version).

    Returns the kept record and the :class:`~pathways.planner.Plan`.
    """
    from pathways.planner import plan

    info = ws.learner(learner_id)
    learner = profile_of(info, catalog)
    day = today or dt.date.today()
    result = plan(catalog, learner, list(targets) if targets else None,
                  objective=objective,  # type: ignore[arg-type]
                  time_limit=time_limit, today=day)
    digest = catalog_hash(catalog)
    ws.register_catalog(digest, source or ", ".join(catalog.sources) or "<catalog>",
                        f"{len(catalog.courses)} courses, {len(catalog.credentials)} credentials")
    request = {"targets": list(targets) if targets else None, "objective": objective,
               "time_limit": time_limit, "today": day.isoformat()}
    record = ws.save_plan(learner_id, info.version, digest, request, result.to_dict(), by=by,
                          package_version=_package_version())
    return record, result


def plan_changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """What changed between two plans (their JSON), in plain sentences.

    >>> old = {"feasible": True, "courses": [{"id": "A", "term": "2027-winter"}],
    ...        "total_hours": 10, "total_cost": 100, "terms": 1, "currency": "CAD"}
    >>> new = {"feasible": True, "courses": [{"id": "B", "term": "2027-summer"}],
    ...        "total_hours": 12, "total_cost": 100, "terms": 2, "currency": "CAD"}
    >>> plan_changes(old, new)
    ['adds B (2027-summer)', 'drops A (was 2027-winter)', 'hours 10 -> 12', 'terms 1 -> 2']
    """
    if before is None:
        return ["first plan"]
    if before.get("feasible") != after.get("feasible"):
        return ["now feasible" if after.get("feasible") else
                f"no longer feasible: {after.get('reason', '')}"]
    old = {c["id"]: c["term"] for c in before.get("courses", [])}
    new = {c["id"]: c["term"] for c in after.get("courses", [])}
    out = [f"adds {c} ({t})" for c, t in new.items() if c not in old]
    out += [f"drops {c} (was {t})" for c, t in old.items() if c not in new]
    out += [f"moves {c} from {old[c]} to {t}" for c, t in new.items() if c in old and old[c] != t]
    currency = after.get("currency", "")
    for key, name, unit in (("total_hours", "hours", ""), ("total_cost", "cost", f" {currency}"),
                            ("terms", "terms", "")):
        a, b = before.get(key), after.get(key)
        if a != b:
            out.append(f"{name} {a:g}{unit} -> {b:g}{unit}")
    return out or ["no change"]


def replan(ws: Workspace, catalog: Catalog, learner_id: str, *, by: str,
           today: dt.date | None = None, source: str = "") -> tuple[PlanInfo, list[str]]:
    """Make a new plan with the same request as the learner's newest one (or the defaults),
    keep it, and say what changed."""
    previous = ws.latest_plans([learner_id]).get(learner_id)
    request = previous.request if previous else {}
    record, _ = make_plan(ws, catalog, learner_id, by=by, targets=request.get("targets"),
                          objective=request.get("objective", "hours"),
                          time_limit=request.get("time_limit", 10.0), today=today,
                          source=source)
    return record, plan_changes(previous.result if previous else None, record.result)


# --------------------------------------------------------------------------- caseload
@dataclass(frozen=True)
class CaseloadRow:
    """One learner of a caseload, as an advisor sees it."""

    learner: str
    name: str
    version: int
    goal: str = ""                      # goal credentials, comma-separated
    job: str | None = None              # goal job id
    readiness: float | None = None      # percent, for the goal job
    hours_to_goal: float | None = None  # of the newest plan (or one computed now)
    cost_to_goal: float | None = None
    next_term: str | None = None
    next_courses: tuple[str, ...] = ()
    plan_id: int | None = None          # the newest saved plan
    planned_at: dt.datetime | None = None
    stale: bool = False                 # the catalog or the profile changed since that plan
    stale_why: str = ""
    computed: bool = False              # the distance was computed now (no saved plan)
    feasible: bool | None = None
    problem: str = ""                   # the loader's message when the profile does not fit
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {"learner": self.learner, "name": self.name, "version": self.version,
                "goal": self.goal, "job": self.job,
                "readiness": None if self.readiness is None else round(self.readiness, 1),
                "hours_to_goal": self.hours_to_goal, "cost_to_goal": self.cost_to_goal,
                "next_term": self.next_term, "next_courses": list(self.next_courses),
                "plan_id": self.plan_id,
                "planned_at": self.planned_at.isoformat() if self.planned_at else None,
                "stale": self.stale, "stale_why": self.stale_why, "computed": self.computed,
                "feasible": self.feasible, "problem": self.problem}


def _next_term(result: dict[str, Any]) -> tuple[str | None, tuple[str, ...]]:
    for term in result.get("schedule", []):
        if term.get("courses"):
            return term["term"], tuple(term["courses"])
    return None, ()


def _readiness(catalog: Catalog, learner: LearnerProfile, day: dt.date) -> float | None:
    if learner.goals.job is None:
        return None
    from pathways.skills import gap_analysis

    try:
        return float(gap_analysis(catalog, learner, as_of=day).readiness)
    except PathwaysError:
        return None


def _computed_plan(catalog: Catalog, learner: LearnerProfile, day: dt.date) -> dict[str, Any] | None:
    if not learner.goals.credentials:
        return None
    from pathways.planner import plan

    try:
        return plan(catalog, learner, explain=False, today=day, time_limit=5.0).to_dict()
    except PathwaysError:
        return None


def caseload(ws: Workspace, catalog: Catalog, advisor: str | None = None, *,
             today: dt.date | None = None, compute_missing: bool = True) -> list[CaseloadRow]:
    """An advisor's learners (everyone's without ``advisor``) with readiness for their goal
    job, hours to their goal credentials, what they take next term and when the plan was
    made, by learner id. Reads only: nothing is written to the database.

    The distance comes from the learner's newest saved plan; it is ``stale`` when that plan
    was made with another catalog or an older profile version. A learner with no saved plan
    gets one computed now (``computed``; not kept) unless ``compute_missing`` is False.
    """
    day = today or dt.date.today()
    digest = catalog_hash(catalog)
    learners = ws.learners(advisor)
    plans = ws.latest_plans([i.id for i in learners])
    rows = []
    for info in learners:
        base = {"learner": info.id, "name": info.name, "version": info.version}
        try:
            learner = _cached(("profile", digest, info.id, info.version),
                              lambda info=info: profile_of(info, catalog))
        except CatalogError as err:
            rows.append(CaseloadRow(**base, problem=str(err)))
            continue
        readiness = _cached(("readiness", digest, info.id, info.version, day),
                            lambda learner=learner: _readiness(catalog, learner, day))
        saved = plans.get(info.id)
        result: dict[str, Any] | None = saved.result if saved else None
        stale_why = ""
        if saved is not None:
            reasons = []
            if saved.catalog_hash != digest:
                reasons.append("the catalog changed")
            if saved.learner_version != info.version:
                reasons.append(f"the profile changed (version {saved.learner_version} -> "
                               f"{info.version})")
            stale_why = " and ".join(reasons)
        computed = False
        if result is None and compute_missing:
            result = _cached(("plan", digest, info.id, info.version, day),
                             lambda learner=learner: _computed_plan(catalog, learner, day))
            computed = result is not None
        term, courses = _next_term(result) if result else (None, ())
        feasible = result.get("feasible") if result else None
        rows.append(CaseloadRow(
            **base, goal=", ".join(learner.goals.credentials), job=learner.goals.job,
            readiness=readiness,
            hours_to_goal=result.get("total_hours") if result and feasible else None,
            cost_to_goal=result.get("total_cost") if result and feasible else None,
            next_term=term, next_courses=courses,
            plan_id=saved.id if saved else None, planned_at=saved.created_at if saved else None,
            stale=bool(stale_why), stale_why=stale_why, computed=computed, feasible=feasible))
    return rows
