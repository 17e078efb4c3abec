"""Catalogs, learners (versioned profiles), plans, notes and caseloads.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "catalogs",
        sa.Column("hash", sa.String(64), primary_key=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("loaded_at", _TIME, nullable=False),
    )
    op.create_table(
        "learners",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("updated_at", _TIME, nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "learner_versions",
        sa.Column("learner_id", sa.String(200), sa.ForeignKey("learners.id"), primary_key=True),
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column("profile", sa.Text(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("learner_id", sa.String(200), sa.ForeignKey("learners.id"), nullable=False),
        sa.Column("learner_version", sa.Integer(), nullable=False),
        sa.Column("catalog_hash", sa.String(64), sa.ForeignKey("catalogs.hash"), nullable=False),
        sa.Column("request", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("package_version", sa.String(40), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("learner_id", sa.String(200), sa.ForeignKey("learners.id"), nullable=False),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plans.id"), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_notes_learner_id", "notes", ["learner_id"])
    op.create_table(
        "caseloads",
        sa.Column("advisor", sa.String(200), primary_key=True),
        sa.Column("learner_id", sa.String(200), sa.ForeignKey("learners.id"), primary_key=True),
        sa.Column("added_at", _TIME, nullable=False),
    )


def downgrade() -> None:
    for table in ("caseloads", "notes", "plans", "learner_versions", "learners", "catalogs"):
        op.drop_table(table)
