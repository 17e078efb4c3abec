"""Commands of the plan engine (registered on import)."""

from __future__ import annotations
