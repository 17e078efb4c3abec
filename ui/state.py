"""The app's shared state: which catalog and learner are active, read from the sidebar.

Uploads go through plain functions (:func:`parse_catalog_upload`, :func:`parse_learner_upload`)
that take the file's name and bytes and return library objects or raise the loader's
:class:`~pathways.errors.CatalogError`; they know nothing about Streamlit, so tests call them
directly. The sidebar keeps the last good catalog in ``st.session_state`` and shows a bad
upload's diagnostics instead of replacing it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import networkx as nx
import streamlit as st

from pathways.domain import Catalog, LearnerProfile
from pathways.errors import CatalogError, Diagnostic
from pathways.graph import build_graph
from pathways.io import (
    Document,
    ValidationReport,
    catalog_from_data,
    learner_from_data,
    read_yaml,
    validate_catalog,
)
from ui.views import md_escape

__all__ = [
    "ESCO_DIR",
    "SAMPLE_DIR",
    "ActiveCatalog",
    "Context",
    "LearnerSource",
    "context",
    "error_lines",
    "forget",
    "graph_for",
    "keep",
    "parse_catalog_upload",
    "parse_learner_upload",
    "render_sidebar",
    "request_learner_choice",
    "reset_on_change",
    "sample_catalog",
    "sticky",
]

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DIR = Path(os.environ.get("PATHWAYS_CATALOG", REPO / "data"))
ESCO_DIR = Path(os.environ.get("PATHWAYS_ESCO_DIR", REPO.parent / "shared" / "data" / "esco-1.1.1"))
DEFAULT_LEARNER = "career-changer-maria"

MAX_ZIP_MEMBERS = 500
MAX_ZIP_BYTES = 50 * 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")

# session-state keys (widget keys are the ones the tests set)
CATALOG_CHOICE = "catalog_choice"
CATALOG_UPLOAD = "catalog_upload"
LEARNER_CHOICE = "learner_choice"
LEARNER_SAMPLE = "learner_sample"
LEARNER_UPLOAD = "learner_upload"
ACTIVE_CATALOG = "_active_catalog"
BUILT_LEARNER = "built_learner"  # YAML-shape data of the profile built on the profile page

CATALOG_OPTIONS = ("Sample catalog", "Upload")
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


def _yaml_from_bytes(name: str, data: bytes) -> tuple[Any, str]:
    """Parse uploaded YAML with the loader's safe reader; errors name ``name`` and the line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CatalogError(Diagnostic(f"not UTF-8 text ({err.reason} at byte {err.start})",
                                      file=name, hint="save the file as UTF-8")) from err
    with tempfile.TemporaryDirectory(prefix="pathways-upload-") as tmp:
        path = Path(tmp) / "upload.yaml"
        path.write_text(text, encoding="utf-8")
        return read_yaml(path, display=name), text


def _zip_problem(name: str, message: str, hint: str = "zip the catalog directory again") -> CatalogError:
    return CatalogError(Diagnostic(message, file=name, hint=hint))


def _member_bytes(name: str, data: bytes, info: zipfile.ZipInfo, budget: int) -> bytes:
    """One member's bytes, decompressed here (stored or deflate), streaming: never more than
    the size the archive declares for it, nor more than ``budget`` (what is left of
    :data:`MAX_ZIP_BYTES`); the CRC is checked."""
    shown = info.filename
    if info.flag_bits & 0x1:
        raise _zip_problem(name, f"{shown} is encrypted", "zip the catalog without a password")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _zip_problem(name, f"{shown} uses a compression method pathways does not unpack "
                           f"({info.compress_type})", "zip it with the usual (deflate) compression")
    start, stop = _member_span(name, data, info)
    raw = memoryview(data)[start:stop]
    limit = min(info.file_size, budget)
    if info.compress_type == zipfile.ZIP_STORED:
        out, complete = bytes(raw[:limit + 1]), True
    else:
        inflater = zlib.decompressobj(-15)
        pieces, size, pos = [], 0, 0
        while size <= limit:
            if inflater.unconsumed_tail:
                chunk = inflater.unconsumed_tail
            elif pos < len(raw):
                chunk, pos = raw[pos:pos + 65536], pos + 65536
            else:
                break
            piece = inflater.decompress(chunk, limit + 1 - size)
            pieces.append(piece)
            size += len(piece)
            if inflater.eof:
                break
        out, complete = b"".join(pieces), inflater.eof
    if len(out) > info.file_size:
        raise _zip_problem(name, f"{shown} unpacks to more than it declares "
                           f"({info.file_size:,} bytes): a damaged archive or a zip bomb")
    if len(out) > budget:
        raise _zip_problem(name, f"the archive unpacks to more than {MAX_ZIP_BYTES // 2**20} MB",
                           "zip only the catalog's YAML files")
    if not complete or len(out) != info.file_size or zlib.crc32(out) != info.CRC:
        raise _zip_problem(name, f"cannot unpack {shown}: its data does not match its size or "
                           "checksum")
    return out


def _member_span(name: str, data: bytes, info: zipfile.ZipInfo) -> tuple[int, int]:
    """Where a member's compressed bytes are: after its local header."""
    at = info.header_offset
    header = data[at:at + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise _zip_problem(name, f"cannot unpack {info.filename}: no local header where the "
                           "archive's directory says")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    start = at + 30 + name_len + extra_len
    stop = start + info.compress_size
    if stop > len(data):
        raise _zip_problem(name, f"cannot unpack {info.filename}: it runs past the end of the "
                           "archive")
    return start, stop


def _zip_members(name: str, data: bytes) -> dict[str, bytes]:
    """The YAML members of a zip archive (path -> bytes), with size and path checks.

    The sizes the archive declares are not trusted: each member is decompressed here,
    streaming, and the archive is refused as soon as the bytes actually produced pass the size
    its member declares or :data:`MAX_ZIP_BYTES` in all; members whose compressed data overlap
    (one stream listed many times) and names used twice are refused.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        raise CatalogError(Diagnostic("not a zip archive", file=name,
                                      hint="upload a .zip of a catalog directory, or one YAML file")) from err
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > MAX_ZIP_MEMBERS:
        raise CatalogError(Diagnostic(f"the archive holds {len(infos)} files (at most {MAX_ZIP_MEMBERS})",
                                      file=name, hint="zip only the catalog directory"))
    if sum(i.file_size for i in infos) > MAX_ZIP_BYTES:
        raise CatalogError(Diagnostic(f"the archive unpacks to more than {MAX_ZIP_BYTES // 2**20} MB",
                                      file=name, hint="zip only the catalog's YAML files"))
    spans = sorted((_member_span(name, data, i), i.filename) for i in infos)
    for (first, a), (second, b) in zip(spans, spans[1:]):
        if second[0] < first[1]:
            raise _zip_problem(name, f"members {a} and {b} overlap (one compressed stream "
                               "listed twice: a zip bomb)", "zip the catalog directory again")
    members: dict[str, bytes] = {}
    where: dict[str, int] = {}
    left = MAX_ZIP_BYTES
    for number, info in enumerate(infos, 1):
        path = PurePosixPath(info.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or not path.parts or path.parts[0] == "__MACOSX":
            continue
        if path.suffix.lower() not in YAML_SUFFIXES or path.name.startswith("."):
            continue
        key = str(path)
        if key in where:
            raise _zip_problem(name, f"{key} is in the archive twice (members {where[key]} and "
                               f"{number}); only one could be read",
                               "remove one of the two copies and zip again")
        where[key] = number
        members[key] = _member_bytes(name, data, info, left)
        left -= len(members[key])
    return members


def parse_catalog_upload(name: str, data: bytes) -> tuple[ValidationReport, tuple[LearnerSource, ...]]:
    """Validate an uploaded catalog: one YAML file, or a zip of a catalog directory.

    In a zip, the catalog is the YAML files of the shallowest folder that holds any; its
    ``learners/`` subfolder, if present, supplies sample learner profiles.

    Returns
    -------
    (ValidationReport, sample learners)

    Raises
    ------
    CatalogError
        With the loader's diagnostics (file names as uploaded, with lines).
    """
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in YAML_SUFFIXES:
        parsed, text = _yaml_from_bytes(name, data)
        return catalog_from_data([Document(name, parsed, text)]), ()
    if suffix != ".zip":
        raise CatalogError(Diagnostic("not a catalog file", file=name,
                                      hint="upload a .yaml catalog file or a .zip of a catalog directory"))
    members = _zip_members(name, data)
    folders = sorted({str(PurePosixPath(p).parent) for p in members},
                     key=lambda f: (0 if f == "." else len(PurePosixPath(f).parts), f))
    if not folders:
        raise CatalogError(Diagnostic("the archive holds no catalog files (*.yaml)", file=name,
                                      hint="zip a directory that contains the catalog's YAML files"))
    root = folders[0]
    docs, learners, errors = [], [], []
    for path in sorted(members):
        parent = str(PurePosixPath(path).parent)
        if parent not in (root, str(PurePosixPath(root) / "learners")):
            continue
        shown = f"{name}:{path}"
        try:
            parsed, text = _yaml_from_bytes(shown, members[path])
        except CatalogError as err:
            errors.extend(err.diagnostics)
            continue
        if parent == root:
            docs.append(Document(shown, parsed, text))
        else:
            learners.append(LearnerSource(PurePosixPath(path).stem, shown, parsed, text))
    if errors:
        raise CatalogError(errors)
    return catalog_from_data(docs), tuple(learners)


def parse_learner_upload(name: str, data: bytes, catalog: Catalog) -> LearnerProfile:
    """Validate an uploaded learner profile against ``catalog``.

    Badge paths the profile lists are not read (they would name files of the server): a
    note says so.

    Raises
    ------
    CatalogError
        With the loader's diagnostics.
    """
    parsed, text = _yaml_from_bytes(name, data)
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


def _show_errors(title: str, lines: Iterable[str]) -> None:
    lines = list(lines)
    shown = "\n".join(f"- {md_escape(line)}" for line in lines[:12])
    more = f"\n\n… and {len(lines) - 12} more" if len(lines) > 12 else ""
    st.error(f"**{title}**\n\n{shown}{more}", icon=":material/error:")


def _catalog_section() -> ActiveCatalog:
    ss = st.session_state
    choice = st.radio("Catalog", CATALOG_OPTIONS, key=CATALOG_CHOICE, horizontal=True)
    if ACTIVE_CATALOG not in ss:
        ss[ACTIVE_CATALOG] = sample_catalog()
    if choice == CATALOG_OPTIONS[0]:
        ss[ACTIVE_CATALOG] = sample_catalog()
    else:
        upload = st.file_uploader(
            "Catalog file", type=["yaml", "yml", "zip"], key=CATALOG_UPLOAD,
            help="One pathways YAML file, or a .zip of a catalog directory "
                 "(with an optional learners/ folder of profiles).")
        if upload is not None:
            data = upload.getvalue()
            result = _uploaded_catalog(upload.name, hashlib.sha256(data).hexdigest(), data)
            if isinstance(result, CatalogError):
                _show_errors(f"{upload.name} is not a valid catalog", error_lines(result))
                st.caption(f"Still using **{md_escape(ss[ACTIVE_CATALOG].label)}**.")
            else:
                ss[ACTIVE_CATALOG] = result
    active: ActiveCatalog = ss[ACTIVE_CATALOG]
    st.caption(f"**{md_escape(active.label)}**: {active.summary}")
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
            parsed, text = _yaml_from_bytes(upload.name, upload.getvalue())
        except CatalogError as err:
            _show_errors(f"{upload.name} is not a valid profile", error_lines(err))
            return None, ""
        source = LearnerSource(upload.name, upload.name, parsed, text)
    else:
        source = ss.get(BUILT_LEARNER) or blank_learner()
        st.page_link("ui/profile.py", label="Edit the profile", icon=":material/edit:")

    result = _learner(active.key, source.digest, active.catalog, source)
    if isinstance(result, CatalogError):
        _show_errors("This profile does not fit the catalog", error_lines(result))
        return None, ""
    goals = ", ".join(result.goals.credentials) or "no goal credential"
    st.caption(f"{len(result.completed)} completed · goal: {md_escape(goals)}")
    for note in result.notes:
        st.caption(md_escape(note))
    return result, f"{active.key}/{source.digest}"


def render_sidebar() -> Context:
    """Draw the catalog and learner pickers in the sidebar; return the active context."""
    with st.sidebar:
        active = _catalog_section()
        st.divider()
        learner, learner_key = _learner_section(active)
    ctx = Context(active, graph_for(active.key, active.catalog), learner, learner_key)
    st.session_state["_context"] = ctx
    return ctx


def context() -> Context:
    """The context :func:`render_sidebar` stored for this run (pages call this)."""
    ctx = st.session_state.get("_context")
    if ctx is None:  # a page run on its own (not through app.py)
        ctx = render_sidebar()
    return ctx
