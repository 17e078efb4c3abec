"""Alembic environment: runs the migrations on the connection ``Workspace.init`` passes in
``config.attributes["connection"]`` (there is no alembic.ini: the workspace is the only user)."""

from alembic import context

from pathways.workspace._models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
