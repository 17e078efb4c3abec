"""One exception tree for the package, and the diagnostics validation reports.

::

    PathwaysError                      every error pathways raises on purpose
    +-- CatalogError                   input that cannot be used (a Diagnostic per problem)
    +-- InvalidParameterError          a bad argument (also a ValueError)
    +-- WriteError                     an output that cannot be written
    +-- InfeasiblePlanError            no plan satisfies the request
    +-- PlanAuditError                 a plan failed the independent audit (a bug)

The shells (the command line and the app) catch :class:`PathwaysError` and show its message;
anything else is a bug.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "CatalogError",
    "Diagnostic",
    "InfeasiblePlanError",
    "InvalidParameterError",
    "PathwaysError",
    "PlanAuditError",
    "WriteError",
]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in user input: where it is, what is wrong, how to fix it.

    >>> str(Diagnostic("hours must be > 0", file="c.yaml", line=5, path="courses[0].hours",
    ...                id="A-1", hint="give the learning hours as a positive number"))
    'c.yaml:5: A-1 (courses[0].hours): hours must be > 0; give the learning hours as a positive number'
    """

    message: str
    file: str | None = None
    line: int | None = None
    path: str | None = None
    id: str | None = None
    hint: str | None = None
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line) if p is not None)
        what = " ".join(
            p for p in (self.id, f"({self.path})" if self.path else None) if p
        )
        head = ": ".join(p for p in (where, what) if p)
        text = f"{head}: {self.message}" if head else self.message
        return f"{text}; {self.hint}" if self.hint else text


class PathwaysError(Exception):
    """Base of every error pathways raises on purpose."""


class CatalogError(PathwaysError):
    """Input that cannot be used: each problem is a :class:`Diagnostic`."""

    def __init__(self, diagnostics: Sequence[Diagnostic] | Diagnostic | str) -> None:
        if isinstance(diagnostics, str):
            diagnostics = [Diagnostic(diagnostics)]
        elif isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        lines = [str(d) for d in self.diagnostics[:20]]
        if len(self.diagnostics) > 20:
            lines.append(f"... and {len(self.diagnostics) - 20} more problems")
        super().__init__("\n".join(lines))


class InvalidParameterError(PathwaysError, ValueError):
    """An argument out of its range or not one of its choices (``max_chain=0``,
    ``objective="fastest"``); the message names the parameter, the bad value and what is
    allowed. It is a :class:`ValueError` too, so code that expects one keeps working.

    >>> isinstance(InvalidParameterError("x must be >= 1, got 0"), ValueError)
    True
    """


class WriteError(PathwaysError):
    """An output file or folder that cannot be written (a directory where a file is expected,
    no permission, a full disk); the message names the path and what to do."""


class InfeasiblePlanError(PathwaysError):
    """No plan satisfies the request; the message names the blocking constraint."""


class PlanAuditError(PathwaysError):
    """A plan failed the independent audit: a bug, never the user's fault."""
