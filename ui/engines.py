"""Cached calls into the pathways engines, one per thing a page shows.

Catalog, learner and graph are passed with a leading underscore (not hashed) next to the
string keys that identify them (``catalog_key``, ``learner_key``), so every result is cached
per catalog, learner and widget values. Results are plain data (dicts, DataFrames) so they
can go through ``st.cache_data``.
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pandas as pd
import streamlit as st

from pathways.domain import Catalog, LearnerProfile
from pathways.errors import PathwaysError
from pathways.io import ValidationReport

__all__ = [
    "audit",
    "available",
    "course_similarity",
    "credential_overlap",
    "default_similarity_threshold",
    "distances",
    "esco_available",
    "esco_taxonomy",
    "extract_skills",
    "health_report",
    "match_jobs",
    "not_available",
    "plan",
    "recommend",
    "skill_demand",
    "skill_extractor",
    "stack_on",
    "what_if",
]


def available(module: str, name: str | None = None) -> bool:
    """Whether an engine module (and its function ``name``) can be imported."""
    try:
        found = importlib.import_module(module)
    except ImportError:
        return False
    return name is None or hasattr(found, name)


def not_available(what: str) -> None:
    """Say that an engine is missing, and stop the page there."""
    st.info(f"{what} is not available yet in this version of pathways.", icon=":material/construction:")
    st.stop()


# --------------------------------------------------------------------------- overlap
def default_similarity_threshold() -> float:
    """The overlap engine's own default threshold for similar pairs and clusters."""
    import inspect

    from pathways.overlap import course_similarity as run

    return float(inspect.signature(run).parameters["threshold"].default)


@st.cache_data(show_spinner="Comparing every pair of courses…", max_entries=32)
def course_similarity(catalog_key: str, threshold: float, _catalog: Catalog) -> Any:
    """Pairs and near-duplicate clusters at ``threshold``; every course's neighbours."""
    from pathways.overlap import course_similarity as run

    return run(_catalog, top_k=max(1, len(_catalog.courses) - 1), threshold=threshold)


@st.cache_data(show_spinner="Comparing credentials (with the planner: a few seconds)…", max_entries=8)
def credential_overlap(catalog_key: str, use_planner: bool, _catalog: Catalog, _graph: Any) -> pd.DataFrame:
    from pathways.overlap import credential_overlap as run

    return run(_catalog, use_planner=use_planner, graph=_graph)


@st.cache_data(max_entries=8)
def stack_on(catalog_key: str, _overlap: pd.DataFrame) -> pd.DataFrame:
    """The best stack-on pairs of a :func:`credential_overlap` table (with planner hours)."""
    from pathways.overlap import stack_on as run

    return run(_overlap, limit=15)


@st.cache_data(show_spinner="Checking the catalog…", max_entries=8)
def health_report(catalog_key: str, _report: ValidationReport) -> pd.DataFrame:
    from pathways.overlap import health_report as run

    return run(_report)


@st.cache_data(show_spinner="Counting skill supply and demand…", max_entries=8)
def skill_demand(catalog_key: str, _catalog: Catalog) -> pd.DataFrame:
    from pathways.overlap import skill_demand as run

    return run(_catalog)


# --------------------------------------------------------------------------- planner
def _guard(func: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """``func(...).to_dict()``, or ``{"error": message}`` for a library error."""
    try:
        return func(*args, **kwargs).to_dict()
    except PathwaysError as err:
        return {"error": str(err)}


# The planner's results depend on the day (a profile without a start plans from the first term
# not yet begun), so the day is part of every cache key: a server running past midnight on the
# last day of a term plans from the next one.
def plan(catalog_key: str, learner_key: str, targets: tuple[str, ...], objective: str,
         _catalog: Catalog, _learner: LearnerProfile, _graph: Any) -> dict[str, Any]:
    """The plan as :meth:`pathways.planner.Plan.to_dict`, or ``{"error": ...}``."""
    return _plan(catalog_key, learner_key, targets, objective, dt.date.today(), _catalog,
                 _learner, _graph)


@st.cache_data(show_spinner="Planning…", max_entries=256)
def _plan(catalog_key: str, learner_key: str, targets: tuple[str, ...], objective: str,
          today: dt.date, _catalog: Catalog, _learner: LearnerProfile, _graph: Any
          ) -> dict[str, Any]:
    from pathways.planner import plan as run

    return _guard(run, _catalog, _learner, list(targets), objective=objective, graph=_graph,
                  today=today)


def audit(catalog_key: str, learner_key: str, credential: str,
          _catalog: Catalog, _learner: LearnerProfile, _graph: Any) -> dict[str, Any]:
    """The audit of ``credential`` for the learner at the plan's first term, without a plan."""
    return _audit(catalog_key, learner_key, credential, dt.date.today(), _catalog, _learner,
                  _graph)


@st.cache_data(max_entries=256)
def _audit(catalog_key: str, learner_key: str, credential: str, today: dt.date,
           _catalog: Catalog, _learner: LearnerProfile, _graph: Any) -> dict[str, Any]:
    from pathways.planner import audit as run

    return _guard(run, _catalog, _learner, credential, graph=_graph, today=today)


def distances(catalog_key: str, learner_key: str, _catalog: Catalog, _learner: LearnerProfile,
              _graph: Any) -> list[dict[str, Any]] | dict[str, Any]:
    """Every credential, nearest first (:meth:`Distance.to_dict` rows), or ``{"error": ...}``."""
    return _distances(catalog_key, learner_key, dt.date.today(), _catalog, _learner, _graph)


@st.cache_data(show_spinner="Measuring the distance to every credential…", max_entries=64)
def _distances(catalog_key: str, learner_key: str, today: dt.date, _catalog: Catalog,
               _learner: LearnerProfile, _graph: Any) -> list[dict[str, Any]] | dict[str, Any]:
    from pathways.planner import distances as run

    try:
        return [d.to_dict() for d in run(_catalog, _learner, graph=_graph, today=today)]
    except PathwaysError as err:
        return {"error": str(err)}


def what_if(catalog_key: str, learner_key: str, first: str, second: str, objective: str,
            _catalog: Catalog, _learner: LearnerProfile, _graph: Any) -> dict[str, Any]:
    """Plans for two alternative targets side by side (:meth:`WhatIf.to_dict`)."""
    return _what_if(catalog_key, learner_key, first, second, objective, dt.date.today(),
                    _catalog, _learner, _graph)


@st.cache_data(show_spinner="Comparing the two targets…", max_entries=128)
def _what_if(catalog_key: str, learner_key: str, first: str, second: str, objective: str,
             today: dt.date, _catalog: Catalog, _learner: LearnerProfile, _graph: Any
             ) -> dict[str, Any]:
    from pathways.planner import what_if as run

    return _guard(run, _catalog, _learner, {first: [first], second: [second]},
                  objective=objective, graph=_graph, today=today)


# --------------------------------------------------------------------------- skills
@st.cache_data(show_spinner="Finding the courses that close the gap…", max_entries=128)
def recommend(catalog_key: str, learner_key: str, job_key: str, prefer_credentials: bool,
              _catalog: Catalog, _learner: LearnerProfile, _job: Any) -> dict[str, Any]:
    """The gap (``gap``: :meth:`GapReport.to_dict`) and the recommendation
    (:meth:`Recommendation.to_dict`) for one job, or ``{"error": ...}``."""
    from pathways.skills.recommend import recommend as run

    try:
        rec = run(_catalog, _learner, _job, prefer_credentials=prefer_credentials)
    except PathwaysError as err:
        return {"error": str(err)}
    return {**rec.to_dict(), "gap": rec.gap.to_dict()}


@st.cache_data(show_spinner="Ranking the jobs…", max_entries=64)
def match_jobs(catalog_key: str, learner_key: str, top: int, _catalog: Catalog,
               _learner: LearnerProfile) -> list[dict[str, Any]] | dict[str, Any]:
    """The catalog's jobs nearest first (:meth:`JobMatch.to_dict` rows)."""
    from pathways.skills.match import match_jobs as run

    try:
        return [m.to_dict() for m in run(_catalog, _learner, top=top)]
    except PathwaysError as err:
        return {"error": str(err)}


def esco_available() -> bool:
    """Whether the ESCO v1.1.1 download is on this machine (see ``ui.state.ESCO_DIR``)."""
    from ui.state import ESCO_DIR

    return (ESCO_DIR / "ESCO_dataset_v1.1.1_classification_en_csv.zip").is_file()


@st.cache_resource(show_spinner="Reading the ESCO taxonomy (about 15 s the first time)…")
def esco_taxonomy() -> Any:
    """The ESCO taxonomy, read once per process (and cached on disk by the loader)."""
    from pathways.io.esco import load_esco
    from ui.state import ESCO_DIR

    return load_esco(ESCO_DIR)


@st.cache_resource(show_spinner="Learning ESCO's 13,896 skills to read job ads "
                                "(once per server start; up to a minute)…")
def skill_extractor() -> Any:
    """A :class:`~pathways.skills.text.SkillExtractor` fitted on ESCO, shared by all sessions."""
    from pathways.skills.text import SkillExtractor

    return SkillExtractor().fit(esco_taxonomy())


@st.cache_data(max_entries=64)
def extract_skills(text: str) -> list[tuple[str, str, float]]:
    """The ESCO skills a text mentions or implies, best first: (id, label, score)."""
    return skill_extractor().predict([text])[0]
