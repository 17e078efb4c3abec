"""Commands of the interop engine (registered on import)."""

from __future__ import annotations
