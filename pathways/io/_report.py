"""What the loader reads and what it returns: :class:`Document` and :class:`ValidationReport`.

In a module of their own so that the loader (:mod:`pathways.io.catalog`) and the snapshots it
keeps (:mod:`pathways.io.snapshot`) both use them without importing each other. Both are
public as ``pathways.io.Document`` and ``pathways.io.ValidationReport``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pathways.domain import Catalog
from pathways.errors import Diagnostic

__all__ = ["Document", "ValidationReport"]


@dataclass(frozen=True)
class Document:
    """One input file's parsed data, with the name used in messages."""

    file: str
    data: Any
    text: str | None = None  # the source text, when it did not come from ``file`` on disk


@dataclass(frozen=True)
class ValidationReport:
    """A valid catalog, with the warnings found and the files read."""

    catalog: Catalog
    warnings: tuple[Diagnostic, ...] = ()
    files: tuple[str, ...] = ()
