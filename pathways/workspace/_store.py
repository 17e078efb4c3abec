"""The workspace store: learners, plans, notes, saved jobs and caseloads in a database.

An embedded SQLite file by default (:func:`default_url`: ``$PATHWAYS_DB``, else
``workspace.db`` in the user's data folder), any SQLAlchemy URL for a shared deployment
(PostgreSQL is the one tested). Rules:

- **Only** :meth:`Workspace.init` creates or changes the schema (Alembic migrations); opening
  a database that is missing or at an older revision is an error that says to run ``pathways
  workspace init``. Reading never writes: the read methods run in transactions that are rolled
  back, and an SQLite file that does not exist is never created by a read.
- Every write is one transaction: it lands whole or not at all (a crash midway leaves the last
  committed state).
- Nothing is overwritten: a profile change adds a version. Saves are optimistic: a save names
  the version it started from (``base_version``) and fails with :class:`ConflictError`, which
  shows the other change, when someone saved a newer version in between.
- No SQL is built from strings: every statement is a SQLAlchemy construct with bound values.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, func, inspect, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from pathways.errors import PathwaysError
from pathways.workspace._models import (
    ID_LENGTH,
    CaseloadEntry,
    CatalogRecord,
    Learner,
    LearnerVersion,
    NoteRecord,
    PlanRecord,
    SavedJob,
)

__all__ = [
    "ConflictError",
    "Event",
    "LearnerInfo",
    "NoteInfo",
    "PlanInfo",
    "VersionInfo",
    "Workspace",
    "WorkspaceError",
    "default_url",
]

#: The schema revision this release works with (the newest migration).
HEAD = "0002"


class WorkspaceError(PathwaysError):
    """The workspace cannot do what was asked: missing or outdated database, unknown learner,
    a database error (the message says which, and what to do)."""


class ConflictError(WorkspaceError):
    """Someone saved a newer version of the learner since ``base_version``; nothing was saved.

    ``theirs`` is the newest version's profile text, ``changed_by`` / ``changed_at`` who saved
    it and when, ``diff`` the change between the version the save started from and theirs.
    """

    def __init__(self, learner_id: str, base_version: int, current: int, changed_by: str,
                 changed_at: dt.datetime, diff: str, theirs: str) -> None:
        self.learner_id, self.base_version, self.current_version = learner_id, base_version, current
        self.changed_by, self.changed_at, self.diff, self.theirs = changed_by, changed_at, diff, theirs
        super().__init__(
            f"learner {learner_id} was changed by {changed_by} at "
            f"{changed_at:%Y-%m-%d %H:%M} UTC (version {current}) after the version {base_version} "
            f"this save started from; nothing was saved. Their change:\n{diff or '(no change to the text)'}"
            f"\nReload version {current}, apply your change to it and save again.")


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class LearnerInfo:
    id: str
    name: str
    version: int
    profile: str
    created_at: dt.datetime
    created_by: str
    updated_at: dt.datetime
    updated_by: str


@dataclass(frozen=True)
class VersionInfo:
    learner_id: str
    version: int
    profile: str
    comment: str
    created_at: dt.datetime
    created_by: str


@dataclass(frozen=True)
class PlanInfo:
    id: int
    learner_id: str
    learner_version: int
    catalog_hash: str
    request: dict[str, Any]
    result: dict[str, Any]
    package_version: str
    created_at: dt.datetime
    created_by: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "learner": self.learner_id, "learner_version": self.learner_version,
                "catalog_hash": self.catalog_hash, "request": self.request, "result": self.result,
                "package_version": self.package_version,
                "created_at": self.created_at.isoformat(), "created_by": self.created_by}


@dataclass(frozen=True)
class NoteInfo:
    id: int
    learner_id: str
    text: str
    created_at: dt.datetime
    created_by: str
    plan_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "learner": self.learner_id, "text": self.text,
                "plan": self.plan_id, "created_at": self.created_at.isoformat(),
                "created_by": self.created_by}


@dataclass(frozen=True)
class Event:
    """One line of a learner's history: a profile version, a plan or a note."""

    at: dt.datetime
    by: str
    kind: str  # "version" | "plan" | "note"
    text: str


# --------------------------------------------------------------------------- helpers
def default_url() -> str:
    """``$PATHWAYS_DB`` (an SQLAlchemy URL, or a plain path of an SQLite file), else
    ``workspace.db`` in the user's data folder (platformdirs)."""
    env = os.environ.get("PATHWAYS_DB", "").strip()
    if env:
        return as_url(env)
    from platformdirs import user_data_dir

    return as_url(str(Path(user_data_dir("pathways", appauthor=False)) / "workspace.db"))


def as_url(text: str) -> str:
    """An SQLAlchemy URL for ``text``: a URL as it is, a file path as an SQLite URL.

    >>> as_url("postgresql+psycopg://u@localhost/db"), as_url("/tmp/w.db")
    ('postgresql+psycopg://u@localhost/db', 'sqlite:////tmp/w.db')
    """
    if "://" in text:
        return text
    return "sqlite:///" + str(Path(text).expanduser().absolute())


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _utc(value: dt.datetime) -> dt.datetime:
    """Times read back from SQLite have no zone: they were written in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def _check_name(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > ID_LENGTH:
        raise WorkspaceError(f"{what} must be 1 to {ID_LENGTH} characters, got {value!r}")
    return value


def _diff(before: str, after: str, a: str, b: str) -> str:
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), a, b, lineterm="", n=1)
    return "\n".join(lines)


# --------------------------------------------------------------------------- the store
class Workspace:
    """A workspace database (see the module docstring). Open one with :meth:`open`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> url = as_url(str(pathlib.Path(tempfile.mkdtemp()) / "w.db"))
    >>> ws = Workspace.open(url, create=True)
    >>> info = ws.save_learner("me", "learner:\\n  id: me\\n", by="alice")
    >>> (info.id, info.version), [e.kind for e in ws.history("me")]
    (('me', 1), ['version'])
    >>> ws.close()
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, url: str | None = None, *, create: bool = False) -> Workspace:
        """The workspace at ``url`` (default :func:`default_url`).

        With ``create`` the database (and an SQLite file's folder) is made and migrated to
        the newest schema; without it, a database that is missing or not at the newest
        schema is an error, and nothing is written.

        Raises
        ------
        WorkspaceError
            Missing, outdated or unreachable database, or a URL SQLAlchemy cannot use.
        """
        url = as_url(url or default_url())
        try:
            parsed = make_url(url)
        except Exception as err:  # noqa: BLE001 - SQLAlchemy raises ArgumentError and friends
            raise WorkspaceError(f"not a database URL: {url!r} ({err})") from None
        shown = parsed.render_as_string(hide_password=True)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            path = Path(parsed.database)
            if not path.exists():
                if not create:
                    raise WorkspaceError(f"no workspace at {path}; run `pathways workspace init` "
                                         "(or pass --db / set PATHWAYS_DB to an existing one)")
                path.parent.mkdir(parents=True, exist_ok=True)
        try:
            engine = create_engine(url, future=True)
        except NoSuchModuleError:
            raise WorkspaceError(
                f"unknown kind of database {parsed.drivername!r} in {shown}; use an SQLite file "
                "(sqlite:///PATH or a plain path) or PostgreSQL (postgresql+psycopg://USER@HOST/DB)"
            ) from None
        except Exception as err:  # noqa: BLE001 - a missing driver, a bad option
            raise WorkspaceError(f"cannot use the database {shown}: {err}") from None
        ws = cls(engine)
        if create:
            ws.init()
        else:
            found = ws.revision()
            if found != HEAD:
                ws.close()
                state = "has no workspace tables" if found is None else f"is at schema {found}"
                raise WorkspaceError(f"the database {shown} {state}, this release needs {HEAD}; "
                                     "run `pathways workspace init` to create or upgrade it")
        return ws

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def revision(self) -> str | None:
        """The schema revision of the database (None: no workspace tables)."""
        try:
            with self.engine.connect() as conn:
                if not inspect(conn).has_table("alembic_version"):
                    return None
                from alembic.runtime.migration import MigrationContext

                return MigrationContext.configure(conn).get_current_revision()
        except SQLAlchemyError as err:
            raise WorkspaceError(f"cannot read the database: {err.__class__.__name__}: "
                                 f"{str(err).splitlines()[0]}") from None

    def init(self, revision: str = "head") -> str | None:
        """Create the tables or upgrade them to ``revision`` (Alembic), in one transaction;
        the revision reached."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", "pathways.workspace:migrations")
        try:
            with self.engine.begin() as conn:
                config.attributes["connection"] = conn
                command.upgrade(config, revision)
        except SQLAlchemyError as err:
            raise WorkspaceError(f"cannot create or upgrade the workspace: {err}") from None
        return self.revision()

    # ------------------------------------------------------------------ sessions
    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error."""
        try:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                yield session
        except (WorkspaceError, KeyboardInterrupt):
            raise
        except IntegrityError as err:
            raise WorkspaceError(f"the save conflicts with the database: {err.orig}") from None
        except OperationalError as err:
            raise WorkspaceError(f"the database refused the write: {err.orig}") from None

    @contextmanager
    def _read(self) -> Iterator[Session]:
        """A read-only use: the transaction is rolled back, never committed."""
        try:
            with Session(self.engine) as session:
                try:
                    yield session
                finally:
                    session.rollback()
        except SQLAlchemyError as err:
            raise WorkspaceError(f"cannot read the database: {err.__class__.__name__}: "
                                 f"{str(err).splitlines()[0]}") from None

    # ------------------------------------------------------------------ catalogs
    def register_catalog(self, hash_: str, source: str, summary: str = "") -> None:
        """Record a catalog plans are made with (kept once per content hash)."""
        with self._write() as s:
            if s.get(CatalogRecord, hash_) is None:
                s.add(CatalogRecord(hash=hash_, source=source, summary=summary, loaded_at=_now()))

    def catalogs(self) -> list[tuple[str, str, str, dt.datetime]]:
        with self._read() as s:
            rows = s.scalars(select(CatalogRecord).order_by(CatalogRecord.loaded_at)).all()
            return [(r.hash, r.source, r.summary, _utc(r.loaded_at)) for r in rows]

    # ------------------------------------------------------------------ learners
    def save_learner(self, learner_id: str, profile: str, *, by: str, name: str = "",
                     base_version: int | None = None, comment: str = "") -> LearnerInfo:
        """Add a learner (``base_version`` None) or save a new version of its profile.

        ``profile`` is the text of a learner file (the caller validates it). A save of a
        learner that exists must name the version it started from; when that is no longer
        the newest, nothing is saved and :class:`ConflictError` shows the other change. A
        profile equal to the newest version is not saved again.

        Raises
        ------
        ConflictError
            Someone saved a newer version since ``base_version``.
        WorkspaceError
            A new learner whose id exists, or a version for one that does not.
        """
        learner_id = _check_name(learner_id, "a learner id")
        by = _check_name(by, "the advisor's name")
        now = _now()
        with self._write() as s:
            current = s.get(Learner, learner_id)
            if base_version is None:
                if current is not None:
                    raise WorkspaceError(
                        f"learner {learner_id} is already in the workspace (version "
                        f"{current.version}); to save a new version, say which version you "
                        f"changed (--base-version {current.version})")
                s.add(Learner(id=learner_id, name=name, version=1, created_at=now, created_by=by,
                              updated_at=now, updated_by=by))
                s.flush()
                s.add(LearnerVersion(learner_id=learner_id, version=1, profile=profile,
                                     comment=comment, created_at=now, created_by=by))
                return LearnerInfo(learner_id, name, 1, profile, now, by, now, by)
            if current is None:
                raise WorkspaceError(f"no learner {learner_id} in the workspace; add it first "
                                     "(without --base-version)")
            newest = s.get(LearnerVersion, (learner_id, current.version))
            assert newest is not None
            if current.version == base_version and newest.profile == profile:
                return self._info(current, newest)
            # the optimistic lock: the version moves on only from the version the save saw
            moved = s.execute(update(Learner)
                              .where(Learner.id == learner_id, Learner.version == base_version)
                              .values(version=base_version + 1, name=name or Learner.name,
                                      updated_at=now, updated_by=by))
            if moved.rowcount != 1:  # type: ignore[attr-defined]
                base = s.get(LearnerVersion, (learner_id, base_version))
                raise ConflictError(
                    learner_id, base_version, current.version, newest.created_by,
                    _utc(newest.created_at),
                    _diff(base.profile if base else "", newest.profile,
                          f"version {base_version}", f"version {current.version}"),
                    newest.profile)
            version = base_version + 1
            s.add(LearnerVersion(learner_id=learner_id, version=version, profile=profile,
                                 comment=comment, created_at=now, created_by=by))
            s.expire(current)
            return LearnerInfo(learner_id, name or current.name, version, profile,
                               _utc(current.created_at), current.created_by, now, by)

    @staticmethod
    def _info(row: Learner, version: LearnerVersion) -> LearnerInfo:
        return LearnerInfo(row.id, row.name, version.version, version.profile,
                           _utc(row.created_at), row.created_by, _utc(row.updated_at),
                           row.updated_by)

    def learner(self, learner_id: str, version: int | None = None) -> LearnerInfo:
        """A learner with the profile of ``version`` (default the newest)."""
        with self._read() as s:
            row = s.get(Learner, learner_id)
            if row is None:
                raise WorkspaceError(self._unknown(s, learner_id))
            found = s.get(LearnerVersion, (learner_id, version or row.version))
            if found is None:
                raise WorkspaceError(f"learner {learner_id} has no version {version} "
                                     f"(versions 1 to {row.version})")
            return self._info(row, found)

    def _unknown(self, s: Session, learner_id: str) -> str:
        ids = list(s.scalars(select(Learner.id)))
        close = difflib.get_close_matches(learner_id, ids, n=1)
        return (f"no learner {learner_id} in the workspace"
                + (f" (did you mean {close[0]}?)" if close else "")
                + "; `pathways workspace list` shows them")

    def learners(self, advisor: str | None = None) -> list[LearnerInfo]:
        """The newest version of every learner (of ``advisor``'s caseload), by id."""
        with self._read() as s:
            query = (select(Learner, LearnerVersion)
                     .join(LearnerVersion, (LearnerVersion.learner_id == Learner.id)
                           & (LearnerVersion.version == Learner.version))
                     .order_by(Learner.id))
            if advisor is not None:
                query = query.join(CaseloadEntry, CaseloadEntry.learner_id == Learner.id).where(
                    CaseloadEntry.advisor == advisor)
            return [self._info(row, version) for row, version in s.execute(query)]

    def versions(self, learner_id: str) -> list[VersionInfo]:
        """Every version of a learner's profile, oldest first."""
        with self._read() as s:
            self._must_exist(s, learner_id)
            rows = s.scalars(select(LearnerVersion).where(LearnerVersion.learner_id == learner_id)
                             .order_by(LearnerVersion.version))
            return [VersionInfo(v.learner_id, v.version, v.profile, v.comment,
                                _utc(v.created_at), v.created_by) for v in rows]

    def _must_exist(self, s: Session, learner_id: str) -> None:
        if s.get(Learner, learner_id) is None:
            raise WorkspaceError(self._unknown(s, learner_id))

    # ------------------------------------------------------------------ caseloads
    def assign(self, advisor: str, learner_id: str) -> bool:
        """Put a learner in an advisor's caseload; False when it was there already."""
        advisor = _check_name(advisor, "the advisor's name")
        with self._write() as s:
            self._must_exist(s, learner_id)
            if s.get(CaseloadEntry, (advisor, learner_id)) is not None:
                return False
            s.add(CaseloadEntry(advisor=advisor, learner_id=learner_id, added_at=_now()))
            return True

    def advisors(self) -> list[str]:
        with self._read() as s:
            return list(s.scalars(select(CaseloadEntry.advisor).distinct()
                                  .order_by(CaseloadEntry.advisor)))

    # ------------------------------------------------------------------ plans
    def save_plan(self, learner_id: str, learner_version: int, catalog_hash: str,
                  request: dict[str, Any], result: dict[str, Any], *, by: str,
                  package_version: str) -> PlanInfo:
        """Keep a plan as it was made (the catalog must be registered first)."""
        by = _check_name(by, "the advisor's name")
        now = _now()
        with self._write() as s:
            self._must_exist(s, learner_id)
            if s.get(CatalogRecord, catalog_hash) is None:
                raise WorkspaceError(f"catalog {catalog_hash[:12]} is not registered; "
                                     "register_catalog first")
            row = PlanRecord(learner_id=learner_id, learner_version=learner_version,
                             catalog_hash=catalog_hash, request=request, result=result,
                             package_version=package_version, created_at=now, created_by=by)
            s.add(row)
            s.flush()
            return self._plan_info(row)

    @staticmethod
    def _plan_info(row: PlanRecord) -> PlanInfo:
        return PlanInfo(row.id, row.learner_id, row.learner_version, row.catalog_hash,
                        dict(row.request), dict(row.result), row.package_version,
                        _utc(row.created_at), row.created_by)

    def plans(self, learner_id: str) -> list[PlanInfo]:
        """A learner's plans, oldest first."""
        with self._read() as s:
            self._must_exist(s, learner_id)
            rows = s.scalars(select(PlanRecord).where(PlanRecord.learner_id == learner_id)
                             .order_by(PlanRecord.created_at, PlanRecord.id))
            return [self._plan_info(r) for r in rows]

    def latest_plans(self, learner_ids: Sequence[str]) -> dict[str, PlanInfo]:
        """The newest plan of each learner that has one (one query for a whole caseload)."""
        if not learner_ids:
            return {}
        with self._read() as s:
            newest = (select(PlanRecord.learner_id, func.max(PlanRecord.id).label("id"))
                      .where(PlanRecord.learner_id.in_(list(learner_ids)))
                      .group_by(PlanRecord.learner_id).subquery())
            rows = s.scalars(select(PlanRecord).join(newest, PlanRecord.id == newest.c.id))
            return {r.learner_id: self._plan_info(r) for r in rows}

    # ------------------------------------------------------------------ notes and jobs
    def add_note(self, learner_id: str, text: str, *, by: str,
                 plan_id: int | None = None) -> NoteInfo:
        by = _check_name(by, "the advisor's name")
        if not text.strip():
            raise WorkspaceError("an empty note; write what was decided or discussed")
        now = _now()
        with self._write() as s:
            self._must_exist(s, learner_id)
            if plan_id is not None and s.get(PlanRecord, plan_id) is None:
                raise WorkspaceError(f"no plan {plan_id} in the workspace")
            row = NoteRecord(learner_id=learner_id, plan_id=plan_id, text=text, created_at=now,
                             created_by=by)
            s.add(row)
            s.flush()
            return NoteInfo(row.id, learner_id, text, now, by, plan_id)

    def notes(self, learner_id: str) -> list[NoteInfo]:
        with self._read() as s:
            self._must_exist(s, learner_id)
            rows = s.scalars(select(NoteRecord).where(NoteRecord.learner_id == learner_id)
                             .order_by(NoteRecord.created_at, NoteRecord.id))
            return [NoteInfo(r.id, r.learner_id, r.text, _utc(r.created_at), r.created_by,
                             r.plan_id) for r in rows]

    def save_job(self, job: dict[str, Any], *, by: str, learner_id: str | None = None) -> int:
        """Keep a job (catalog format: id, title, skills) for later; its record id."""
        by = _check_name(by, "the advisor's name")
        job_id = _check_name(str(job.get("id", "")), "a job id")
        with self._write() as s:
            if learner_id is not None:
                self._must_exist(s, learner_id)
            row = SavedJob(job_id=job_id, title=str(job.get("title", job_id)), data=job,
                           learner_id=learner_id, created_at=_now(), created_by=by)
            s.add(row)
            s.flush()
            return row.id

    def saved_jobs(self, learner_id: str | None = None) -> list[dict[str, Any]]:
        with self._read() as s:
            query = select(SavedJob).order_by(SavedJob.created_at, SavedJob.id)
            if learner_id is not None:
                query = query.where(SavedJob.learner_id == learner_id)
            return [{"id": r.id, "job": dict(r.data), "learner": r.learner_id,
                     "created_at": _utc(r.created_at).isoformat(), "created_by": r.created_by}
                    for r in s.scalars(query)]

    # ------------------------------------------------------------------ history and export
    def history(self, learner_id: str) -> list[Event]:
        """Everything that happened to a learner, oldest first."""
        events = [Event(v.created_at, v.created_by, "version",
                        f"profile version {v.version}" + (f": {v.comment}" if v.comment else ""))
                  for v in self.versions(learner_id)]
        for p in self.plans(learner_id):
            r = p.result
            what = (f"{len(r.get('courses', []))} courses, {r.get('total_hours', 0):g} h, "
                    f"{r.get('terms', 0)} terms" if r.get("feasible") else
                    f"no plan: {r.get('reason', '')}")
            events.append(Event(p.created_at, p.created_by, "plan",
                                f"plan {p.id} toward {', '.join(r.get('targets', []))} "
                                f"({what}; catalog {p.catalog_hash[:12]}, profile version "
                                f"{p.learner_version})"))
        events += [Event(n.created_at, n.created_by, "note", n.text) for n in self.notes(learner_id)]
        return sorted(events, key=lambda e: e.at)

    def export(self, learner_id: str) -> dict[str, Any]:
        """Everything kept about a learner, in open formats: the newest profile (YAML text),
        every version, every plan (as made, JSON), the notes and the saved jobs."""
        info = self.learner(learner_id)
        return {
            "learner": learner_id, "name": info.name, "version": info.version,
            "profile": info.profile,
            "versions": [{"version": v.version, "profile": v.profile, "comment": v.comment,
                          "created_at": v.created_at.isoformat(), "created_by": v.created_by}
                         for v in self.versions(learner_id)],
            "plans": [p.to_dict() for p in self.plans(learner_id)],
            "notes": [n.to_dict() for n in self.notes(learner_id)],
            "jobs": self.saved_jobs(learner_id),
        }
