"""Cached calls into the pathways engines, one per thing a page shows.

Catalog, learner and graph are passed with a leading underscore (not hashed) next to the
string keys that identify them (``catalog_key``, ``learner_key``), so every result is cached
per catalog, learner and widget values. Results are the library's own objects (a
:class:`~pathways.planner.Plan`, a :class:`~pathways.skills.recommend.Recommendation`,
DataFrames): frozen and picklable, so they can go through ``st.cache_data``; pages read their
attributes. A library error is returned as a :class:`Failed` (its message), cached like a
result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from pathways.domain import Catalog, LearnerProfile
from pathways.errors import PathwaysError
from pathways.io import ValidationReport

if TYPE_CHECKING:  # the engines load on first use
    from pathways.planner import AuditResult, Distance, ObjectiveComparison, Plan, Remedies, WhatIf
    from pathways.skills import JobMatch
    from pathways.skills.recommend import Recommendation

__all__ = [
    "Failed",
    "audit",
    "compare_objectives",
    "course_similarity",
    "credential_overlap",
    "default_similarity_threshold",
    "distances",
    "esco_available",
    "esco_taxonomy",
    "extract_skills",
    "health_report",
    "match_jobs",
    "plan",
    "recommend",
    "remedies",
    "report_bytes",
    "report_download",
    "skill_demand",
    "skill_extractor",
    "stack_on",
    "what_if",
]


@dataclass(frozen=True)
class Failed:
    """What an engine said instead of a result: its :class:`~pathways.errors.PathwaysError`
    message, shown on the page."""

    message: str


def _guard(func: Any, *args: Any, **kwargs: Any) -> Any:
    """``func(...)``, or :class:`Failed` with the message of a library error."""
    try:
        return func(*args, **kwargs)
    except PathwaysError as err:
        return Failed(str(err))


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
# The planner's results depend on the day (a profile without a start plans from the first term
# not yet begun), so the day is part of every cache key: a server running past midnight on the
# last day of a term plans from the next one.
def plan(catalog_key: str, learner_key: str, targets: tuple[str, ...], objective: str,
         _catalog: Catalog, _learner: LearnerProfile, _graph: Any) -> Plan | Failed:
    """The plan (:func:`pathways.planner.plan`), or :class:`Failed`."""
    return _plan(catalog_key, learner_key, targets, objective, dt.date.today(), _catalog,
                 _learner, _graph)


@st.cache_data(show_spinner="Planning…", max_entries=256)
def _plan(catalog_key: str, learner_key: str, targets: tuple[str, ...], objective: str,
          today: dt.date, _catalog: Catalog, _learner: LearnerProfile, _graph: Any
          ) -> Plan | Failed:
    from pathways.planner import plan as run

    return _guard(run, _catalog, _learner, list(targets), objective=objective, graph=_graph,
                  today=today)


def compare_objectives(catalog_key: str, learner_key: str, targets: tuple[str, ...],
                       _catalog: Catalog, _learner: LearnerProfile, _graph: Any
                       ) -> ObjectiveComparison | Failed:
    """The fewest-hours, lowest-cost and fewest-terms plans side by side
    (:func:`pathways.planner.compare_objectives`), or :class:`Failed`."""
    return _compare(catalog_key, learner_key, targets, dt.date.today(), _catalog, _learner, _graph)


@st.cache_data(show_spinner="Comparing the objectives…", max_entries=128)
def _compare(catalog_key: str, learner_key: str, targets: tuple[str, ...], today: dt.date,
             _catalog: Catalog, _learner: LearnerProfile, _graph: Any
             ) -> ObjectiveComparison | Failed:
    from pathways.planner import compare_objectives as run

    # the page shows each objective's totals and courses, not their reasons: no explanations
    # (they re-solve once per course; 3x faster for Maria's certificate)
    return _guard(run, _catalog, _learner, list(targets), graph=_graph, today=today,
                  explain=False)


def remedies(catalog_key: str, learner_key: str, targets: tuple[str, ...], objective: str,
             _catalog: Catalog, _learner: LearnerProfile, _graph: Any) -> Remedies | Failed:
    """What change of the learner's limits would give a plan (:func:`pathways.planner.remedies`)."""
    return _remedies(catalog_key, learner_key, targets, objective, dt.date.today(), _catalog,
                     _learner, _graph)


@st.cache_data(show_spinner="Looking for what would make a plan possible…", max_entries=64)
def _remedies(catalog_key: str, learner_key: str, targets: tuple[str, ...], objective: str,
              today: dt.date, _catalog: Catalog, _learner: LearnerProfile, _graph: Any
              ) -> Remedies | Failed:
    from pathways.planner import remedies as run

    return _guard(run, _catalog, _learner, list(targets), objective=objective, graph=_graph,
                  today=today)


def audit(catalog_key: str, learner_key: str, credential: str,
          _catalog: Catalog, _learner: LearnerProfile, _graph: Any) -> AuditResult | Failed:
    """The audit of ``credential`` for the learner at the plan's first term, without a plan."""
    return _audit(catalog_key, learner_key, credential, dt.date.today(), _catalog, _learner,
                  _graph)


@st.cache_data(max_entries=256)
def _audit(catalog_key: str, learner_key: str, credential: str, today: dt.date,
           _catalog: Catalog, _learner: LearnerProfile, _graph: Any) -> AuditResult | Failed:
    from pathways.planner import audit as run

    return _guard(run, _catalog, _learner, credential, graph=_graph, today=today)


def distances(catalog_key: str, learner_key: str, _catalog: Catalog, _learner: LearnerProfile,
              _graph: Any) -> list[Distance] | Failed:
    """Every credential, nearest first (:func:`pathways.planner.distances`), or :class:`Failed`."""
    return _distances(catalog_key, learner_key, dt.date.today(), _catalog, _learner, _graph)


@st.cache_data(show_spinner="Measuring the distance to every credential…", max_entries=64)
def _distances(catalog_key: str, learner_key: str, today: dt.date, _catalog: Catalog,
               _learner: LearnerProfile, _graph: Any) -> list[Distance] | Failed:
    from pathways.planner import distances as run

    return _guard(run, _catalog, _learner, graph=_graph, today=today)


def what_if(catalog_key: str, learner_key: str, first: str, second: str, objective: str,
            _catalog: Catalog, _learner: LearnerProfile, _graph: Any) -> WhatIf | Failed:
    """Plans for two alternative targets side by side (:func:`pathways.planner.what_if`)."""
    return _what_if(catalog_key, learner_key, first, second, objective, dt.date.today(),
                    _catalog, _learner, _graph)


@st.cache_data(show_spinner="Comparing the two targets…", max_entries=128)
def _what_if(catalog_key: str, learner_key: str, first: str, second: str, objective: str,
             today: dt.date, _catalog: Catalog, _learner: LearnerProfile, _graph: Any
             ) -> WhatIf | Failed:
    from pathways.planner import what_if as run

    return _guard(run, _catalog, _learner, {first: [first], second: [second]},
                  objective=objective, graph=_graph, today=today)


# --------------------------------------------------------------------------- skills
@st.cache_data(show_spinner="Finding the courses that close the gap…", max_entries=128)
def recommend(catalog_key: str, learner_key: str, job_key: str, prefer_credentials: bool,
              _catalog: Catalog, _learner: LearnerProfile, _job: Any) -> Recommendation | Failed:
    """The gap and the courses that close it for one job
    (:func:`pathways.skills.recommend.recommend`), or :class:`Failed`."""
    from pathways.skills import recommend as run

    return _guard(run, _catalog, _learner, _job, prefer_credentials=prefer_credentials)


@st.cache_data(show_spinner="Ranking the jobs…", max_entries=64)
def match_jobs(catalog_key: str, learner_key: str, top: int, _catalog: Catalog,
               _learner: LearnerProfile) -> list[JobMatch] | Failed:
    """The catalog's jobs nearest first (:func:`pathways.skills.match_jobs`)."""
    from pathways.skills import match_jobs as run

    return _guard(run, _catalog, _learner, top=top)


def esco_available() -> bool:
    """Whether the ESCO v1.1.1 download is on this machine (:func:`pathways.io.esco.has_esco`
    in :func:`pathways.io.esco.default_esco_dir`: ``$PATHWAYS_ESCO``)."""
    from pathways.io.esco import has_esco

    return has_esco()


@st.cache_resource(show_spinner="Reading the ESCO taxonomy (about 15 s the first time)…")
def esco_taxonomy() -> Any:
    """The ESCO taxonomy, read once per process (and cached on disk by the loader)."""
    from pathways.io.esco import default_esco_dir, load_esco

    return load_esco(default_esco_dir())


@st.cache_resource(show_spinner=False)
def _fitted_extractor() -> Any:
    from pathways.skills import load_extractor

    return load_extractor()


_EXTRACTOR_READY = False  # set once this process holds the fitted extractor


def extractor_on_disk() -> bool:
    """Whether the fitted extractor is in the disk cache (loading it takes a second or two),
    rather than to be fitted (up to a minute)."""
    from pathways.io.esco import default_cache_dir, default_esco_dir
    from pathways.skills.extractor import extractor_cache_key
    from pathways.skills.text import SkillExtractor

    key = extractor_cache_key(default_esco_dir(), SkillExtractor())
    return (default_cache_dir() / f"extractor-{key}.pkl").is_file()


def skill_extractor() -> Any:
    """The text-to-skills extractor fitted on ESCO, shared by all sessions (and with the
    command line, through the disk cache of :func:`pathways.skills.extractor.load_extractor`).

    Nothing is fitted before a page needs it. The first time, the fit runs in a thread while a
    progress bar says what is happening and for how long (about a minute, once; later server
    starts load it from disk)."""
    global _EXTRACTOR_READY
    if _EXTRACTOR_READY:
        return _fitted_extractor()
    import threading
    import time

    on_disk = extractor_on_disk()
    expected = 3.0 if on_disk else 60.0
    what = ("Loading the job-ad reader from disk" if on_disk else
            "Learning ESCO's 13,896 skills to read job ads (once: later starts load it from "
            "disk in a few seconds)")
    done: dict[str, Any] = {}

    def work() -> None:
        try:
            done["value"] = _fitted_extractor()
        except BaseException as err:  # noqa: BLE001 - re-raised in the script thread
            done["error"] = err

    thread = threading.Thread(target=work, name="fit-extractor", daemon=True)
    started = time.perf_counter()
    thread.start()
    bar = st.progress(0.0, text=f"{what}…")
    while thread.is_alive():
        elapsed = time.perf_counter() - started
        bar.progress(min(0.95, elapsed / expected), text=f"{what}… {elapsed:.0f} s")
        thread.join(0.5)
    bar.empty()
    if "error" in done:
        raise done["error"]
    _EXTRACTOR_READY = True
    return done["value"]


@st.cache_data(show_spinner="Reading the skills the job ad asks for…", max_entries=64)
def _extract(text: str, _extractor: Any) -> list[tuple[str, str, float, str]]:
    return [(r.skill_id, r.label, r.score, r.evidence) for r in _extractor.extract([text])[0]]


def extract_skills(text: str) -> list[tuple[str, str, float, str]]:
    """The ESCO skills a text (a job ad) asks for, best first: (id, label, score, evidence),
    the evidence being the phrase of the text each was read from ("" when implied)."""
    return _extract(text, skill_extractor())


# --------------------------------------------------------------------------- advising report
def report_bytes(kind: str, catalog: Catalog, learner: LearnerProfile, targets: tuple[str, ...],
                 job: Any, objective: str, graph: Any = None, *,
                 labels: tuple[tuple[str, str], ...] = (), read_from_ad: bool = False,
                 today: dt.date | None = None) -> bytes:
    """The advising report (:func:`pathways.skills.report.advising_report`) as PDF (``kind``
    ``"pdf"``) or HTML bytes; a library error gives a short HTML page saying so."""
    from pathways.skills.report import advising_report, report_html, report_pdf

    try:
        found = advising_report(catalog, learner, list(targets) or None, job,
                                objective=objective, graph=graph, today=today or dt.date.today(),
                                labels=dict(labels), read_from_ad=read_from_ad)
    except PathwaysError as err:
        import html

        return f"<p>No report: {html.escape(str(err))}</p>".encode()
    return report_pdf(found) if kind == "pdf" else report_html(found).encode("utf-8")


def report_download(kind: str, catalog: Catalog, learner: LearnerProfile,
                    targets: tuple[str, ...], job: Any, objective: str, graph: Any = None,
                    **kwargs: Any) -> Any:
    """A callable for ``st.download_button(data=...)``: the report is written when the button
    is clicked (drawing the PDF takes a second or more), not on every run of the page."""

    def make() -> bytes:
        return report_bytes(kind, catalog, learner, targets, job, objective, graph, **kwargs)

    return make
