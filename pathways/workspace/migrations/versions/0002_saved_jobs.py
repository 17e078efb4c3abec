"""Saved jobs (e.g. the edited skills of a pasted job ad), and an index for a learner's
latest plans.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_jobs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("job_id", sa.String(200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("learner_id", sa.String(200), sa.ForeignKey("learners.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_plans_learner_created", "plans", ["learner_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_plans_learner_created", table_name="plans")
    op.drop_table("saved_jobs")
