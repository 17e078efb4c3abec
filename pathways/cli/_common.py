"""Shared pieces of the command line: the typer app, catalog options, output and errors."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.text import Text

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
    "finite",
    "plain",
    "print_table",
    "styled",
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
#: Characters never sent to the terminal as they are: C0 controls but newline and tab (ESC
#: starts the sequences that set a window title or clear the screen), DEL, C1 controls
#: (U+009B is a one-character CSI) and the bidirectional overrides and isolates that reorder
#: what is shown. They are printed as ``\\x1b`` / ``\\u202e`` escapes.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def plain(text: Any) -> str:
    """``text`` for the terminal: control characters shown escaped (``\\x1b``), never sent.

    >>> plain("Evil \\x1b]0;pwned\\x07 title"), plain("two\\nlines")
    ('Evil \\\\x1b]0;pwned\\\\x07 title', 'two\\nlines')
    """
    return _CONTROL.sub(_escaped, str(text))


def styled(*parts: str | tuple[str, str]) -> Text:
    """Text made of plain parts and ``(text, style)`` parts; user text is never read as
    markup, so a title such as ``Excel [/basics]`` prints as written."""
    return Text.assemble(*(plain(p) if isinstance(p, str) else (plain(p[0]), p[1])
                           for p in parts))


class _TextConsole(Console):
    """A console that prints strings as text: markup is off (``[/basics]`` in a title is shown,
    not parsed, and cannot crash the print) and control characters are shown escaped
    (:func:`plain`). Styles come from :func:`styled` or ``style=``."""

    def print(self, *objects: Any, **kwargs: Any) -> None:  # type: ignore[override]
        kwargs["markup"] = False
        kwargs["emoji"] = False  # "did:key:z6Mk..." is an id, not the :key: emoji
        kwargs.setdefault("highlight", False)
        super().print(*(plain(o) if isinstance(o, str) else o for o in objects), **kwargs)


console = _TextConsole(soft_wrap=True, width=int(os.environ.get("COLUMNS", "120")),
                       markup=False, highlight=False)
err_console = _TextConsole(stderr=True, soft_wrap=True, markup=False, highlight=False)

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


def finite(low: float | None = None, high: float | None = None, *,
           above: bool = False) -> Callable[[Any], Any]:
    """A typer callback that accepts a number only when it is finite and within bounds
    (``low`` excluded when ``above``): ``--time-limit nan`` or ``-1`` is a usage error."""

    def check(value: Any) -> Any:
        if value is None:
            return value
        number = float(value)
        if not math.isfinite(number):
            raise typer.BadParameter(f"{value} is not a finite number")
        if low is not None and (number <= low if above else number < low):
            raise typer.BadParameter(f"{value} must be {'>' if above else '>='} {low:g}")
        if high is not None and number > high:
            raise typer.BadParameter(f"{value} must be <= {high:g}")
        return value

    return check


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
        err_console.print(styled(("error:", "bold red"), " ", line))
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
        person = load_learner(path, catalog)
    for note in person.notes:  # e.g. the badges its badges: list names, read and mapped
        err_console.print(f"note: {path.name}: {note}")
    return person


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def emit_json(data: Any) -> None:
    """Print ``data`` as JSON; the C1 and bidirectional controls JSON leaves as they are are
    written as ``\\u`` escapes too (they occur only inside strings: still the same JSON)."""
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    text = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    sys.stdout.write(text + "\n")


def print_table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]],
                *, justify: dict[str, str] | None = None) -> None:
    from rich.table import Table

    if title:
        console.print(styled((title, "bold")))
    table = Table(show_lines=False, header_style="bold")
    for col in columns:
        table.add_column(Text(plain(col)), justify=(justify or {}).get(col, "left"),  # type: ignore[arg-type]
                         overflow="fold")
    for row in rows:
        table.add_row(*(Text(plain(_cell(v))) for v in row))
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
        err_console.print(styled(("internal error:", "bold red"), f" {type(err).__name__}: {err}\n"
                                 "This is a bug in pathways; rerun with PATHWAYS_DEBUG=1 for "
                                 "details."))
        raise SystemExit(2) from None
