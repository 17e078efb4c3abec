"""The app's shared state: which catalog and learner are active, read from the sidebar.

Uploads go through plain functions (:func:`parse_catalog_upload`, :func:`parse_learner_upload`)
that take the file's name and bytes and call the library (:func:`pathways.io.catalog_from_archive`,
:func:`pathways.io.parse_yaml_bytes`), returning library objects or raising the loader's
:class:`~pathways.errors.CatalogError`; they know nothing about Streamlit, so tests call them
directly. The sidebar keeps the last good catalog in ``st.session_state`` and shows a bad
upload's diagnostics instead of replacing it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import networkx as nx
import streamlit as st

from pathways.domain import Catalog, LearnerProfile
from pathways.errors import CatalogError
from pathways.graph import build_graph
from pathways.io import (
    ValidationReport,
    catalog_from_archive,
    learner_from_data,
    parse_yaml_bytes,
    read_yaml,
    validate_catalog,
)
from pathways.io.badges import BadgeImport, import_badge_bytes, merge_badges
from pathways.io.ctdl import catalog_from_ctdl_bytes
from ui.views import md_escape

__all__ = [
    "SAMPLE_DIR",
    "ActiveCatalog",
    "Context",
    "LearnerSource",
    "context",
    "error_lines",
    "forget",
    "graph_for",
    "keep",
    "parse_badge_uploads",
    "parse_catalog_upload",
    "parse_ctdl_upload",
    "parse_learner_upload",
    "problem_rows",
    "render_sidebar",
    "request_learner_choice",
    "reset_on_change",
    "show_problems",
    "sample_catalog",
    "sticky",
]

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DIR = Path(os.environ.get("PATHWAYS_CATALOG", REPO / "data"))
DEFAULT_LEARNER = "career-changer-maria"

# session-state keys (widget keys are the ones the tests set)
CATALOG_CHOICE = "catalog_choice"
CATALOG_UPLOAD = "catalog_upload"
LEARNER_CHOICE = "learner_choice"
LEARNER_SAMPLE = "learner_sample"
LEARNER_UPLOAD = "learner_upload"
CTDL_UPLOAD = "ctdl_upload"
BADGE_UPLOAD = "badge_upload"
ACTIVE_CATALOG = "_active_catalog"
BUILT_LEARNER = "built_learner"  # YAML-shape data of the profile built on the profile page

CATALOG_OPTIONS = ("Sample catalog", "Upload", "CTDL")
LEARNER_OPTIONS = ("Sample", "Upload", "Build your own")


# =========================================================================== plain functions
@dataclass(frozen=True)
class LearnerSource:
    """A learner profile before validation: its YAML-shape data, name and text."""

    label: str
    source: str
    data: Any
    text: str | None = None

    @property
    def digest(self) -> str:
        blob = json.dumps([self.source, self.data], sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class ActiveCatalog:
    """A validated catalog with its cache key, a label for people and its sample learners."""

    key: str
    label: str
    report: ValidationReport
    learners: tuple[LearnerSource, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())  # what an import could not represent exactly

    @property
    def catalog(self) -> Catalog:
        return self.report.catalog

    @property
    def summary(self) -> str:
        c = self.catalog
        return f"{len(c.courses)} courses · {len(c.credentials)} credentials · {len(c.jobs)} jobs"


def error_lines(err: CatalogError) -> list[str]:
    """The loader's diagnostics, one readable line each (what :class:`CatalogError` prints)."""
    return str(err).splitlines() or ["the file could not be read"]


def parse_catalog_upload(name: str, data: bytes) -> tuple[ValidationReport, tuple[LearnerSource, ...]]:
    """Validate an uploaded catalog (:func:`pathways.io.catalog_from_archive`: one YAML file, or
    a zip of a catalog directory, whose ``learners/`` folder supplies sample learners).

    Raises
    ------
    CatalogError
        With the loader's diagnostics (file names as uploaded, with lines).
    """
    report, learners = catalog_from_archive(name, data)
    # a learner's document is named "<upload>:<path in the zip>"; its label is the file's stem
    return report, tuple(LearnerSource(PurePosixPath(d.file[len(name) + 1:]).stem, d.file,
                                       d.data, d.text) for d in learners)


def parse_ctdl_upload(files: list[tuple[str, bytes]]) -> tuple[ValidationReport, tuple[str, ...]]:
    """Import uploaded CTDL JSON-LD files (read together: references resolve across them;
    registry envelopes too) as a catalog, with the importer's notes
    (:func:`pathways.io.ctdl.catalog_from_ctdl_bytes`).

    Raises
    ------
    CatalogError
        When a file is not JSON-LD, nothing can be imported, or the catalog is not valid.
    """
    notes: list[str] = []
    report = catalog_from_ctdl_bytes(files, messages=notes)
    return report, tuple(notes)


def parse_badge_uploads(files: list[tuple[str, bytes]], learner: LearnerProfile,
                        catalog: Catalog) -> tuple[LearnerProfile, BadgeImport]:
    """``learner`` with the uploaded badge files applied (holdings and skills, one holding
    per course: :func:`pathways.io.badges.merge_badges`), and the import's report."""
    result = import_badge_bytes(files, catalog)
    replaced: list = []
    merged, _, _ = merge_badges(learner, result.holdings, result.skills, replaced=replaced)
    for dropped, kept in replaced:
        result.messages.append(f"{kept.kind} {kept.id} is held once: kept the holding of "
                               f"{kept.date.isoformat()}, not the one of {dropped.date.isoformat()}")
    return merged, result


def parse_learner_upload(name: str, data: bytes, catalog: Catalog) -> LearnerProfile:
    """Validate an uploaded learner profile against ``catalog``.

    Badge paths the profile lists are not read (they would name files of the server): a
    note says so.

    Raises
    ------
    CatalogError
        With the loader's diagnostics.
    """
    parsed, text = parse_yaml_bytes(data, name)
    return learner_from_data(parsed, source=name, catalog=catalog, text=text, read_badges=False)


def _sample_learners(folder: Path) -> tuple[LearnerSource, ...]:
    found = []
    for path in sorted(folder.glob("*.y*ml")):
        try:
            found.append(LearnerSource(path.stem, str(path), read_yaml(path)))
        except CatalogError:
            continue
    return tuple(found)


def learner_label(source: LearnerSource) -> str:
    """``Maria G. (career changer)`` from the profile's name and the file's stem."""
    body = source.data.get("learner", {}) if isinstance(source.data, dict) else {}
    name = body.get("name") or body.get("id") or source.label
    situation = source.label.rsplit("-", 1)[0].replace("-", " ") if "-" in source.label else ""
    return f"{name} ({situation})" if situation else str(name)


def blank_learner() -> LearnerSource:
    """A new learner with nothing completed: the starting point of "Build your own"."""
    return LearnerSource("new", "<new learner>", {"learner": {"id": "new", "name": "New learner"}})


# =========================================================================== cached loaders
@st.cache_resource(show_spinner="Loading the sample catalog…")
def sample_catalog(path: str = str(SAMPLE_DIR)) -> ActiveCatalog:
    """The sample catalog (``data/``) with its learner profiles; loaded once per process."""
    report = validate_catalog(path)
    return ActiveCatalog("sample:" + path, "Sample catalog", report,
                         _sample_learners(Path(path) / "learners"))


@st.cache_resource(show_spinner="Checking the uploaded catalog…", max_entries=16)
def _uploaded_catalog(name: str, digest: str, _data: bytes) -> ActiveCatalog | CatalogError:
    try:
        report, learners = parse_catalog_upload(name, _data)
    except CatalogError as err:
        return err
    return ActiveCatalog(f"upload:{digest}", name, report, learners)


@st.cache_resource(show_spinner="Importing the CTDL files…", max_entries=16)
def _uploaded_ctdl(digest: str, _files: tuple[tuple[str, bytes], ...]) -> ActiveCatalog | CatalogError:
    try:
        report, notes = parse_ctdl_upload(list(_files))
    except CatalogError as err:
        return err
    names = ", ".join(n for n, _ in _files[:2]) + (" …" if len(_files) > 2 else "")
    return ActiveCatalog(f"ctdl:{digest}", f"CTDL: {names}", report, (), notes)


@st.cache_resource(max_entries=16)
def graph_for(catalog_key: str, _catalog: Catalog) -> nx.DiGraph:
    """The catalog's frozen graph, built once per catalog."""
    return build_graph(_catalog)


@st.cache_resource(max_entries=64)
def _learner(catalog_key: str, digest: str, _catalog: Catalog, _source: LearnerSource
             ) -> LearnerProfile | CatalogError:
    try:
        # the app never reads badge paths named in a profile: they would be files of the
        # server, whoever wrote the profile (an upload, a zip's learners/, the form)
        return learner_from_data(_source.data, source=_source.source, catalog=_catalog,
                                 text=_source.text, read_badges=False)
    except CatalogError as err:
        return err


# =========================================================================== page widgets
_KEEP = "_keep_"


def sticky(key: str, default: Any, *, valid: Any = None) -> None:
    """Before drawing widget ``key``: give it its value from the last time it was drawn.

    Streamlit forgets a widget's value when a run does not draw it (another page is shown), so
    page widgets are restored from a copy kept by :func:`keep`; ``default`` is used the first
    time, or when ``valid(value)`` says the kept value no longer fits (e.g. another catalog).
    """
    ss = st.session_state
    value = ss[key] if key in ss else ss.get(_KEEP + key, default)
    if valid is not None and not valid(value):
        value = default
    ss[key] = value


def keep(key: str) -> None:
    """After drawing widget ``key``: keep its value for :func:`sticky`."""
    st.session_state[_KEEP + key] = st.session_state.get(key)


def forget(*keys: str) -> None:
    """Drop the kept values of widgets (they start from their defaults next time)."""
    for key in keys:
        st.session_state.pop(_KEEP + key, None)
        st.session_state.pop(key, None)


def reset_on_change(name: str, token: str, *keys: str) -> None:
    """:func:`forget` widgets ``keys`` when ``token`` (e.g. the learner key) differs from the
    one seen the last time under ``name``."""
    marker = f"_seen_{name}"
    if st.session_state.get(marker) != token:
        forget(*keys)
        st.session_state[marker] = token


# =========================================================================== the sidebar
@dataclass(frozen=True)
class Context:
    """What every page works on: the active catalog, its graph and the learner (or None)."""

    active: ActiveCatalog
    graph: nx.DiGraph
    learner: LearnerProfile | None
    learner_key: str

    @property
    def catalog(self) -> Catalog:
        return self.active.catalog

    @property
    def catalog_key(self) -> str:
        return self.active.key


PROBLEMS = "_upload_problems"  # what the sidebar found wrong in this run, shown on the page


def problem_rows(problem: CatalogError | Iterable[str]) -> list[dict[str, str]]:
    """One row per problem (file, line, where, what is wrong, what to do), from the loader's
    diagnostics; plain lines when there are none."""
    if isinstance(problem, CatalogError):
        return [{"file": d.file or "", "line": "" if d.line is None else str(d.line),
                 "where": " ".join(p for p in (d.id, f"({d.path})" if d.path else None) if p),
                 "problem": d.message, "fix": d.hint or ""} for d in problem.diagnostics]
    return [{"file": "", "line": "", "where": "", "problem": str(line), "fix": ""}
            for line in problem]


def _show_errors(title: str, problem: CatalogError | Iterable[str]) -> None:
    """A one-line note in the sidebar; the problems themselves go to the page
    (:func:`show_problems`), one row each."""
    rows = problem_rows(problem)
    st.session_state.setdefault(PROBLEMS, []).append((title, rows))
    n = len(rows)
    st.error(f"**{md_escape(title)}**: {n} problem{'s' if n != 1 else ''}, listed on the page.",
             icon=":material/error:")


def show_problems() -> None:
    """The problems the sidebar found in this run's uploads, in the main area: one row per
    problem, with the file, line and what to do (shown as text, never Markdown)."""
    for i, (title, rows) in enumerate(st.session_state.get(PROBLEMS, [])):
        with st.container(border=True, key=f"upload_problems_{i}"):
            st.error(f"**{md_escape(title)}**: the file was not used. Fix these problems and "
                     "upload it again.", icon=":material/error:")
            st.dataframe(rows, hide_index=True, width="stretch",
                         height=min(420, 38 + 35 * len(rows)),
                         column_config={
                             "file": st.column_config.TextColumn("File", width="small"),
                             "line": st.column_config.TextColumn("Line", width=60),
                             "where": st.column_config.TextColumn("Where", width="small"),
                             "problem": st.column_config.TextColumn("Problem", width="large"),
                             "fix": st.column_config.TextColumn("What to do", width="large"),
                         })


def _catalog_section() -> ActiveCatalog:
    ss = st.session_state
    choice = st.radio("Catalog", CATALOG_OPTIONS, key=CATALOG_CHOICE, horizontal=True)
    if ACTIVE_CATALOG not in ss:
        ss[ACTIVE_CATALOG] = sample_catalog()
    if choice == CATALOG_OPTIONS[0]:
        ss[ACTIVE_CATALOG] = sample_catalog()
    elif choice == CATALOG_OPTIONS[2]:
        uploads = st.file_uploader(
            "CTDL files", type=["json", "jsonld", "zip"], key=CTDL_UPLOAD,
            accept_multiple_files=True,
            help="Credential Engine CTDL JSON-LD: credentials, courses, pathways, registry "
                 "envelopes; several files (or a .zip of them) are read together.")
        if uploads:
            files = tuple((u.name, u.getvalue()) for u in uploads)
            digest = hashlib.sha256(b"".join(hashlib.sha256(n.encode() + b"\0" + d).digest()
                                             for n, d in files)).hexdigest()
            result = _uploaded_ctdl(digest, files)
            if isinstance(result, CatalogError):
                _show_errors("The CTDL files could not be imported", result)
                st.caption(f"Still using **{md_escape(ss[ACTIVE_CATALOG].label)}**.")
            else:
                ss[ACTIVE_CATALOG] = result
    else:
        upload = st.file_uploader(
            "Catalog file", type=["yaml", "yml", "zip"], key=CATALOG_UPLOAD,
            help="One pathways YAML file, or a .zip of a catalog directory "
                 "(with an optional learners/ folder of profiles).")
        if upload is not None:
            data = upload.getvalue()
            result = _uploaded_catalog(upload.name, hashlib.sha256(data).hexdigest(), data)
            if isinstance(result, CatalogError):
                _show_errors(f"{upload.name} is not a valid catalog", result)
                st.caption(f"Still using **{md_escape(ss[ACTIVE_CATALOG].label)}**.")
            else:
                ss[ACTIVE_CATALOG] = result
    active: ActiveCatalog = ss[ACTIVE_CATALOG]
    st.caption(f"**{md_escape(active.label)}**: {active.summary}")
    if active.notes:
        with st.expander(f"{len(active.notes)} import notes"):
            for note in active.notes:
                st.text(note)  # as text: a note quotes ids and URLs (did:key:...), never Markdown
    if active.report.warnings:
        with st.expander(f"{len(active.report.warnings)} warnings"):
            for w in active.report.warnings:
                st.caption(md_escape(str(w)))
    return active


def request_learner_choice(choice: str) -> None:
    """Select ``choice`` in the sidebar's learner radio on the next run (the radio has already
    been drawn in this one, so its value cannot change now)."""
    st.session_state["_pending_learner_choice"] = choice
    st.session_state["_profile_applied"] = True


def _learner_section(active: ActiveCatalog) -> tuple[LearnerProfile | None, str]:
    ss = st.session_state
    pending = ss.pop("_pending_learner_choice", None)
    if pending in LEARNER_OPTIONS:
        ss[LEARNER_CHOICE] = pending
    choice = st.radio("Learner", LEARNER_OPTIONS, key=LEARNER_CHOICE, horizontal=True)
    source: LearnerSource | None = None
    if choice == "Sample":
        samples = {s.label: s for s in active.learners}
        if not samples:
            st.caption("This catalog ships no learner profiles: planning for a new learner.")
            source = blank_learner()
        else:
            options = list(samples)
            if ss.get(LEARNER_SAMPLE) not in samples:
                ss[LEARNER_SAMPLE] = DEFAULT_LEARNER if DEFAULT_LEARNER in samples else options[0]
            label = st.selectbox("Profile", options, key=LEARNER_SAMPLE,
                                 format_func=lambda k: learner_label(samples[k]))
            source = samples[label]
    elif choice == "Upload":
        upload = st.file_uploader("Learner profile", type=["yaml", "yml"], key=LEARNER_UPLOAD,
                                  help="A pathways learner profile (YAML).")
        if upload is None:
            st.caption("Upload a profile, or pick a sample.")
            return None, ""
        try:
            parsed, text = parse_yaml_bytes(upload.getvalue(), upload.name)
        except CatalogError as err:
            _show_errors(f"{upload.name} is not a valid profile", err)
            return None, ""
        source = LearnerSource(upload.name, upload.name, parsed, text)
    else:
        source = ss.get(BUILT_LEARNER) or blank_learner()
        st.page_link("ui/profile.py", label="Edit the profile", icon=":material/edit:")

    result = _learner(active.key, source.digest, active.catalog, source)
    if isinstance(result, CatalogError):
        _show_errors("This profile does not fit the catalog", result)
        return None, ""
    key = f"{active.key}/{source.digest}"
    badges = st.file_uploader(
        "Badge files", type=["json", "jwt", "png", "svg"], key=BADGE_UPLOAD,
        accept_multiple_files=True,
        help="Open Badges 2.0 / 3.0 (JSON, JWS, baked PNG or SVG) to add to this learner; "
             "the badges a profile lists by path are never read here.")
    if badges:
        files = [(b.name, b.getvalue()) for b in badges]
        result, read = parse_badge_uploads(files, result, active.catalog)
        key += "/badges:" + hashlib.sha256(b"".join(d for _, d in files)).hexdigest()[:16]
        with st.expander(f"{len(read.badges)} badge file(s): {len(read.holdings)} holding(s)"):
            for message in read.messages:
                st.text(message)  # as text: ids such as did:key:... are not emoji codes
    goals = ", ".join(result.goals.credentials) or "no goal credential"
    st.caption(f"{len(result.completed)} completed · goal: {md_escape(goals)}")
    for note in result.notes:
        st.text(note)
    return result, key


def render_sidebar() -> Context:
    """Draw the catalog and learner pickers in the sidebar; return the active context."""
    st.session_state[PROBLEMS] = []
    with st.sidebar:
        active = _catalog_section()
        st.divider()
        learner, learner_key = _learner_section(active)
    ctx = Context(active, graph_for(active.key, active.catalog), learner, learner_key)
    st.session_state["_context"] = ctx
    show_problems()  # a bad upload's problems, one row each, at the top of the page
    return ctx


def context() -> Context:
    """The context :func:`render_sidebar` stored for this run, drawing the sidebar first when
    this run has not (pages call this after drawing their heading)."""
    ctx = st.session_state.get("_context")
    if ctx is None:  # a page run on its own (not through app.py)
        ctx = render_sidebar()
    return ctx
