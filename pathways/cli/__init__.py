"""The ``pathways`` command line (typer). The only package module that imports typer or rich."""

from __future__ import annotations

from pathways.cli import (  # noqa: F401  (register commands)
    app as _app_command,
    catalog,
    cohort,
    interop,
    overlap,
    plan,
    report,
    skills,
    workspace,
)
from pathways.cli._common import app, run_guarded

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``pathways`` console script."""
    run_guarded(app)
