"""Commands of the skills engine (registered on import)."""

from __future__ import annotations
