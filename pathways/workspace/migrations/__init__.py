"""Alembic migrations of the workspace database (applied by ``Workspace.init``)."""
