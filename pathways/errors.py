"""One exception tree for the package, and the diagnostics validation reports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "CatalogError",
    "Diagnostic",
    "InfeasiblePlanError",
    "PathwaysError",
    "PlanAuditError",
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


class InfeasiblePlanError(PathwaysError):
    """No plan satisfies the request; the message names the blocking constraint."""


class PlanAuditError(PathwaysError):
    """A plan failed the independent audit: a bug, never the user's fault."""
