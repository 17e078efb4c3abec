"""Small helpers for JSON-LD values (Open Badges and CTDL both use them)."""

from __future__ import annotations

import json
import math
from typing import Any

__all__ = ["MAX_JSON_DEPTH", "JSONProblem", "load_json", "text"]

#: Deepest nesting of lists and objects accepted in badge and CTDL JSON. Real documents nest
#: a handful of levels; anything deeper is refused before code that walks it recursively runs.
MAX_JSON_DEPTH = 64


class JSONProblem(ValueError):
    """JSON that pathways refuses: not JSON, nested too deep, a key written twice in one
    object, or a number that is not finite (``NaN``, ``Infinity``, ``1e400``). ``line`` is the
    1-based line when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None,
                 reason: str | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.reason = reason

    def describe(self) -> str:
        """One line for a message: ``not valid JSON (line 5, column 3: Expecting ...)``, or
        what else is wrong, with the line when known."""
        if self.reason is not None:
            return f"not valid JSON (line {self.line}, column {self.column}: {self.reason})"
        return f"{self}" + (f" (line {self.line})" if self.line else "")


def _no_constant(name: str) -> Any:
    raise JSONProblem(f"{name} is not a number JSON allows (write a finite number or a string)")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JSONProblem(f"the number {text[:40]} is too large (not finite)")
    return value


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise JSONProblem(f'the key "{key[:80]}" is written twice in one object; JSON '
                                  "readers keep only one of the two values")
            seen.add(key)
    return out


def _depth_site(text: str, limit: int) -> tuple[int, int] | None:
    """``(line, column)`` where ``text`` first nests more than ``limit`` lists or objects
    deep, outside strings; None when it never does. One pass, no recursion."""
    depth, line, start, in_string, escaped = 0, 1, 0, False, False
    for pos, ch in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return line, pos - start + 1
        elif ch in "]}":
            depth -= 1
        elif ch == "\n":
            line, start = line + 1, pos + 1
    return None


def load_json(text: str | bytes, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse untrusted JSON: lists and objects at most ``max_depth`` deep, every number finite,
    no key written twice in one object.

    >>> load_json('{"a": [1, 2.5]}')
    {'a': [1, 2.5]}
    >>> load_json('{"a": NaN}')
    Traceback (most recent call last):
    ...
    pathways.io._jsonld.JSONProblem: NaN is not a number JSON allows (write a finite number or a string)

    Raises
    ------
    JSONProblem
        With the line where the problem is, when known.
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    if text.count("[") + text.count("{") > max_depth:  # cheap test first: deep needs many
        site = _depth_site(text, max_depth)
        if site is not None:
            raise JSONProblem(f"lists or objects nested more than {max_depth} deep", line=site[0],
                              column=site[1])
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_no_constant,
                          parse_float=_finite)
    except JSONProblem:
        raise
    except json.JSONDecodeError as err:
        raise JSONProblem(f"not valid JSON: {err.msg} (column {err.colno})", line=err.lineno,
                          column=err.colno, reason=err.msg) from None
    except ValueError as err:  # e.g. an integer of more digits than Python converts
        raise JSONProblem(f"not valid JSON: {err}") from None
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise JSONProblem(f"lists or objects nested more than {max_depth} deep") from None


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
