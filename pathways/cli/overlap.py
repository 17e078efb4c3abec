"""Commands of the overlap engine (registered on import)."""

from __future__ import annotations
