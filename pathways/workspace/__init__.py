"""The advisor workspace: learners (versioned profiles), plans, notes, saved jobs and
caseloads kept in a database (SQLAlchemy 2, Alembic migrations; SQLite by default,
PostgreSQL for a shared deployment), and the caseload view built on them.

- :class:`Workspace` -- the store (:meth:`Workspace.open`, :meth:`Workspace.init`);
- :func:`add_learner`, :func:`update_learner` -- profiles validated by the loader, then saved;
- :func:`make_plan` -- plan a learner of the workspace and keep the plan as it was made;
- :func:`caseload` -- an advisor's learners with readiness, distance, next term and staleness.
"""

from pathways.workspace._advising import (
    CaseloadRow,
    add_learner,
    caseload,
    catalog_hash,
    keep_learner,
    make_plan,
    plan_changes,
    profile_of,
    replan,
    update_learner,
)
from pathways.workspace._store import (
    ConflictError,
    Event,
    LearnerInfo,
    NoteInfo,
    PlanInfo,
    VersionInfo,
    Workspace,
    WorkspaceError,
    as_url,
    default_url,
)

__all__ = [
    "CaseloadRow",
    "ConflictError",
    "Event",
    "LearnerInfo",
    "NoteInfo",
    "PlanInfo",
    "VersionInfo",
    "Workspace",
    "WorkspaceError",
    "add_learner",
    "as_url",
    "caseload",
    "catalog_hash",
    "default_url",
    "keep_learner",
    "make_plan",
    "plan_changes",
    "profile_of",
    "replan",
    "update_learner",
]
