"""Small helpers for JSON-LD values (Open Badges and CTDL both use them)."""

from __future__ import annotations

from typing import Any

__all__ = ["text"]


def text(value: Any, lang: str = "en-US") -> str | None:
    """A plain string from a string, a number, a JSON-LD value object, a list of those, or a
    language map (``lang`` first, then other English tags, then any language).

    >>> text({"fr": "Éthique", "en-US": "Ethics"}), text({"@value": "x"}), text(None), text(36)
    ('Ethics', 'x', None, '36')
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        for item in value:
            found = text(item, lang)
            if found:
                return found
        return None
    if isinstance(value, dict):
        if "@value" in value:
            return text(value["@value"], lang)
        for key in (lang, "en", *sorted(k for k in value if k.lower().startswith("en")), *value):
            if key in value:
                found = text(value[key], lang)
                if found:
                    return found
    return None
