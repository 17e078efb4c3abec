"""The workspace's tables, as SQLAlchemy 2 typed ORM classes.

Nothing is overwritten: a learner's profile is a chain of :class:`LearnerVersion` rows (the
:class:`Learner` row holds the current version number, the optimistic lock); plans, notes and
saved jobs are only ever added. Times are UTC. The schema is created and changed only by the
Alembic migrations in ``migrations/versions`` (never by ``create_all``), so that a database
made by an older release is upgraded, not rebuilt.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "Base",
    "CaseloadEntry",
    "CatalogRecord",
    "Learner",
    "LearnerVersion",
    "NoteRecord",
    "PlanRecord",
    "SavedJob",
]

#: Longest id or name the tables take (learner, course and credential ids are short).
ID_LENGTH = 200


class Base(DeclarativeBase):
    type_annotation_map = {dt.datetime: DateTime(timezone=True)}


class CatalogRecord(Base):
    """A catalog plans were made with: its content hash (of the validated catalog, so the same
    catalog read from YAML, CSV or an upload has one hash), where it came from, when."""

    __tablename__ = "catalogs"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    loaded_at: Mapped[dt.datetime]


class Learner(Base):
    """A learner of the workspace; ``version`` is the current profile version (and the
    optimistic lock: a save names the version it started from)."""

    __tablename__ = "learners"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(ID_LENGTH), default="")
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str] = mapped_column(String(ID_LENGTH))
    updated_at: Mapped[dt.datetime]
    updated_by: Mapped[str] = mapped_column(String(ID_LENGTH))


class LearnerVersion(Base):
    """One version of a learner's profile, as the YAML text of a learner file."""

    __tablename__ = "learner_versions"

    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile: Mapped[str] = mapped_column(Text)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str] = mapped_column(String(ID_LENGTH))


class PlanRecord(Base):
    """A plan as it was made: the request, the result (``Plan.to_dict()``), the catalog hash,
    the learner version and the pathways version it was made with, when and by whom."""

    __tablename__ = "plans"
    __table_args__ = (Index("ix_plans_learner_created", "learner_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id"))
    learner_version: Mapped[int] = mapped_column(Integer)
    catalog_hash: Mapped[str] = mapped_column(ForeignKey("catalogs.hash"))
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    package_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str] = mapped_column(String(ID_LENGTH))


class NoteRecord(Base):
    """An advisor's note on a learner (optionally about one plan)."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"), default=None)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str] = mapped_column(String(ID_LENGTH))


class SavedJob(Base):
    """A job kept for later, e.g. the edited skills of a pasted job ad (``data`` is a job in
    the catalog format: id, title, skills with importance and level)."""

    __tablename__ = "saved_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    title: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    learner_id: Mapped[str | None] = mapped_column(ForeignKey("learners.id"), default=None)
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str] = mapped_column(String(ID_LENGTH))


class CaseloadEntry(Base):
    """An advisor's learner."""

    __tablename__ = "caseloads"

    advisor: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id"), primary_key=True)
    added_at: Mapped[dt.datetime]
