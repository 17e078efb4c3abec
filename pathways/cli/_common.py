"""Shared pieces of the command line: the typer app, catalog options, output and errors."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console

from pathways.errors import PathwaysError

if TYPE_CHECKING:
    from pathways.domain import Catalog, LearnerProfile
    from pathways.io import ValidationReport

__all__ = [
    "CatalogOpt",
    "Format",
    "FormatOpt",
    "app",
    "console",
    "default_catalog",
    "emit_json",
    "fail",
    "load",
    "learner",
    "print_table",
    "today",
    "user_errors",
]

app = typer.Typer(
    name="pathways",
    help="Plan how microcredentials stack into credentials, and what to learn next.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(soft_wrap=True, width=int(os.environ.get("COLUMNS", "120")))
err_console = Console(stderr=True, soft_wrap=True)

T = TypeVar("T")


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def today() -> dt.date | None:
    """``$PATHWAYS_TODAY`` (YYYY-MM-DD) when set: the day plans are made for (a reproducible
    run, or a what-if "as if it were that day"); None for the real date."""
    text = os.environ.get("PATHWAYS_TODAY")
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise fail(f"PATHWAYS_TODAY={text!r} is not a date; write YYYY-MM-DD or unset it") from None


def default_catalog() -> Path:
    """The sample catalog: ``$PATHWAYS_CATALOG``, else the repository's ``data/``."""
    env = os.environ.get("PATHWAYS_CATALOG")
    if env:
        return Path(env)
    repo_data = Path(__file__).resolve().parents[2] / "data"
    return repo_data if repo_data.is_dir() else Path("data")


CatalogOpt = Annotated[
    list[Path] | None,
    typer.Option("--catalog", "-c", help="Catalog file or directory (repeatable); default: the sample data/."),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` (one problem a line) to stderr and return the exit to raise."""
    for line in str(message).splitlines():
        err_console.print(f"[bold red]error:[/] {line}", highlight=False, markup=True)
    return typer.Exit(code=code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn library errors into one readable message and exit code 1, never a traceback."""
    try:
        yield
    except PathwaysError as err:
        raise fail(str(err)) from None


def load(paths: Sequence[Path] | None) -> ValidationReport:
    from pathways.io import validate_catalog

    with user_errors():
        return validate_catalog(*(paths or [default_catalog()]))


def learner(path: Path | None, catalog: Catalog) -> LearnerProfile | None:
    from pathways.io import load_learner

    if path is None:
        return None
    with user_errors():
        return load_learner(path, catalog)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def print_table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]],
                *, justify: dict[str, str] | None = None) -> None:
    from rich.table import Table

    if title:
        console.print(f"[bold]{title}[/]", highlight=False)
    table = Table(show_lines=False, header_style="bold")
    for col in columns:
        table.add_column(col, justify=(justify or {}).get(col, "left"), overflow="fold")  # type: ignore[arg-type]
    for row in rows:
        table.add_row(*(_cell(v) for v in row))
    console.print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
    return str(value)


def run_guarded(func: Callable[[], T]) -> T:
    """Call the app; an unexpected exception becomes a short report instead of a traceback."""
    try:
        return func()
    except (typer.Exit, typer.Abort, SystemExit, KeyboardInterrupt):
        raise
    except Exception as err:  # pragma: no cover - the last line of defence
        if os.environ.get("PATHWAYS_DEBUG"):
            raise
        err_console.print(f"[bold red]internal error:[/] {type(err).__name__}: {err}\n"
                          "This is a bug in pathways; rerun with PATHWAYS_DEBUG=1 for details.")
        raise SystemExit(2) from None
