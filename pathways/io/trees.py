"""Parse requirement trees and prerequisite expressions from file data into domain nodes.

Problems are reported as :class:`TreeProblem` with the key path below the tree's root, so the
caller can turn them into diagnostics with file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pathways.domain import AllOf, AnyOf, Choose, MinHours, Node, Ref, leaf_ids

__all__ = [
    "MAX_DEPTH",
    "TreeProblem",
    "depth_problem",
    "parse_prerequisites",
    "parse_requirement",
    "requirement_tree",
]

#: A parsed tree with every id it names, in first-seen order (what :func:`leaf_ids` gives).
Parsed = tuple[Node, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class TreeProblem:
    keypath: tuple[str | int, ...]
    message: str
    hint: str


class _Bad(Exception):
    def __init__(self, keypath: tuple[str | int, ...], message: str, hint: str) -> None:
        super().__init__(message)
        self.problem = TreeProblem(keypath, message, hint)


#: Deepest nesting a requirement tree or prerequisite expression may have. Real ones nest a
#: few levels; the limit turns a pathological file into a clear error, not a RecursionError.
MAX_DEPTH = 50
_DEPTH_HINT = "flatten the requirement: nest all / any / choose groups at most {} levels deep"

_NODE_HINT = (
    "a requirement is an id, or a mapping with one of: all: [...], any: [...], "
    "choose: K with from: [...], min_hours: H with from: [course ids] (and an optional label)"
)
_PREREQ_HINT = (
    'write course ids joined by "and" / "or" with parentheses, e.g. "A-1 and (B-1 or B-2)", '
    "or {all: [...]} / {any: [...]}"
)


def _id(value: Any, keypath: tuple[str | int, ...], hint: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _Bad(keypath, f"expected an id, found {type(value).__name__} {value!r}", hint)
    text = str(value).strip()
    if not text:
        raise _Bad(keypath, "empty id", hint)
    return text


def _label(data: dict[str, Any], keypath: tuple[str | int, ...]) -> str | None:
    label = data.get("label")
    if label is None:
        return None
    if not isinstance(label, str):
        raise _Bad(keypath + ("label",), "label must be text", "quote the label")
    return label


def _children(value: Any, keypath: tuple[str | int, ...], parse: Any) -> tuple[Node, ...]:
    if not isinstance(value, list) or not value:
        raise _Bad(keypath, "expected a non-empty list", _NODE_HINT)
    if parse is _requirement:  # plain ids (most children) become leaves without a call
        return tuple(Ref(item) if type(item) is str and item and item.strip() == item
                     else parse(item, keypath + (i,)) for i, item in enumerate(value))
    return tuple(parse(item, keypath + (i,)) for i, item in enumerate(value))


#: The largest ``min_hours`` (see :data:`pathways.io.schema.MAX_TOTAL_HOURS`) and ``choose``.
MAX_TREE_NUMBER = 10_000_000


def _positive_number(value: Any, keypath: tuple[str | int, ...], what: str, *, integer: bool) -> Any:
    ok = isinstance(value, int) if integer else isinstance(value, (int, float))
    kind = "a whole number" if integer else "a number"
    if isinstance(value, bool) or not ok or not value > 0:  # also refuses nan
        raise _Bad(keypath, f"{what} must be {kind} > 0, found {value!r}", _NODE_HINT)
    if value > MAX_TREE_NUMBER:  # also refuses infinity
        raise _Bad(keypath, f"{what} must be at most {MAX_TREE_NUMBER:,}, found {value!r}",
                   _NODE_HINT)
    return value


def depth_problem() -> TreeProblem:
    """The problem of a tree nested deeper than :data:`MAX_DEPTH`, placed at the tree's root
    (a key path 50 levels long helps nobody); also used when the YAML parser itself refuses
    the nesting, so the message is the same whichever parser read the file."""
    return TreeProblem((), f"nested more than {MAX_DEPTH} levels deep", _DEPTH_HINT.format(MAX_DEPTH))


def _too_deep() -> _Bad:
    problem = depth_problem()
    return _Bad(problem.keypath, problem.message, problem.hint)


def _requirement(data: Any, keypath: tuple[str | int, ...]) -> Node:
    if not isinstance(data, dict):
        return Ref(_id(data, keypath, _NODE_HINT))
    if len(keypath) >= 2 * MAX_DEPTH:  # each level adds a key and an index
        raise _too_deep()
    keys = set(data) - {"label"}
    label = _label(data, keypath)
    if keys == {"all"}:
        return AllOf(_children(data["all"], keypath + ("all",), _requirement), label)
    if keys == {"any"}:
        return AnyOf(_children(data["any"], keypath + ("any",), _requirement), label)
    if keys == {"choose", "from"}:
        k = _positive_number(data["choose"], keypath + ("choose",), "choose", integer=True)
        return Choose(k, _children(data["from"], keypath + ("from",), _requirement), label)
    if keys == {"min_hours", "from"}:
        hours = _positive_number(data["min_hours"], keypath + ("min_hours",), "min_hours",
                                 integer=False)
        items = data["from"]
        if not isinstance(items, list) or not items:
            raise _Bad(keypath + ("from",), "min_hours needs a non-empty list of course ids",
                       _NODE_HINT)
        ids = tuple(_id(c, keypath + ("from", i), "min_hours lists course ids only")
                    for i, c in enumerate(items))
        return MinHours(float(hours), ids, label)
    if keys == {"id"}:
        return Ref(_id(data["id"], keypath + ("id",), _NODE_HINT), label)
    unknown = sorted(keys - {"all", "any", "choose", "from", "min_hours", "id"})
    if unknown:
        return _fail(keypath + (unknown[0],), f'unknown key "{unknown[0]}" in a requirement')
    return _fail(keypath, f"a requirement node cannot combine {', '.join(sorted(keys))}")


def _fail(keypath: tuple[str | int, ...], message: str) -> Node:
    raise _Bad(keypath, message, _NODE_HINT)


def parse_requirement(data: Any) -> Node | TreeProblem:
    """A requirement tree from file data, or the first problem in it.

    >>> parse_requirement({"all": ["A", {"choose": 1, "from": ["B", "C"]}]})
    AllOf(children=(Ref(id='A', label=None), Choose(k=1, children=(Ref(id='B', label=None), Ref(id='C', label=None)), label=None)), label=None)
    >>> parse_requirement({"choose": 0, "from": ["A"]}).message
    'choose must be a whole number > 0, found 0'
    """
    if isinstance(data, list):
        data = {"all": data}
    try:
        return _requirement(data, ())
    except _Bad as bad:
        return bad.problem


def requirement_tree(data: Any) -> Parsed | TreeProblem:
    """:func:`parse_requirement` with the ids the tree names (the loader needs both).

    >>> requirement_tree(["A", "B", "A"])
    (AllOf(children=(Ref(id='A', label=None), Ref(id='B', label=None), Ref(id='A', label=None)), label=None), ('A', 'B'))
    """
    items = data["all"] if isinstance(data, dict) and data.keys() == {"all"} else data
    refs = _plain_ids(items)
    if refs is not None:  # a plain list of ids, the common case
        return AllOf(refs), tuple(dict.fromkeys(items))
    tree = parse_requirement(data)
    return tree if isinstance(tree, TreeProblem) else (tree, leaf_ids(tree))


# --------------------------------------------------------------------------- prerequisites
_TOKEN = re.compile(r"\s*(\(|\)|[^\s()]+)")


class _ExprParser:
    """Recursive descent over ``expr := term (or term)*; term := factor (and factor)*``."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = [m.group(1) for m in _TOKEN.finditer(text)]
        self.pos = 0
        self.depth = 0  # open parentheses

    def error(self, message: str) -> _Bad:
        text = self.text if len(self.text) <= 80 else self.text[:77] + "..."
        return _Bad((), f'malformed prerequisite expression "{text}": {message}', _PREREQ_HINT)

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse(self) -> Node:
        if not self.tokens:
            raise self.error("it is empty")
        node = self.expr()
        if self.peek() is not None:
            raise self.error(f'unexpected "{self.peek()}"')
        return node

    def expr(self) -> Node:
        parts = [self.term()]
        while (tok := self.peek()) is not None and tok.lower() == "or":
            self.pos += 1
            parts.append(self.term())
        return parts[0] if len(parts) == 1 else AnyOf(tuple(parts))

    def term(self) -> Node:
        parts = [self.factor()]
        while (tok := self.peek()) is not None and tok.lower() == "and":
            self.pos += 1
            parts.append(self.factor())
        return parts[0] if len(parts) == 1 else AllOf(tuple(parts))

    def factor(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise self.error("it ends where a course id was expected")
        if tok == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.error(f"parentheses nested more than {MAX_DEPTH} deep")
            self.pos += 1
            node = self.expr()
            if self.peek() != ")":
                raise self.error('a "(" is not closed')
            self.pos += 1
            self.depth -= 1
            return node
        if tok == ")" or tok.lower() in ("and", "or"):
            raise self.error(f'expected a course id, found "{tok}"')
        self.pos += 1
        return Ref(tok)


_OPERATORS = frozenset(("and", "or"))


def _flat_expression(text: str) -> Node | None:
    """Fast path for expressions without parentheses (most of them); None when it does not apply.

    ``a and b or c`` is split on ``or`` and then ``and``; any irregularity (two ids in a row,
    a dangling operator) returns None so that the full parser reports it.
    """
    tokens = text.split()
    if len(tokens) == 1:  # one course id
        token = tokens[0]
        if "(" in token or ")" in token or token.lower() in _OPERATORS:
            return None
        return Ref(token)
    if not len(tokens) % 2 or "(" in text or ")" in text:
        return None
    ids, operators = tokens[::2], set(map(str.lower, tokens[1::2]))
    if not operators <= _OPERATORS or not _OPERATORS.isdisjoint(map(str.lower, ids)):
        return None
    if len(operators) == 1:  # only "and" or only "or"
        refs = tuple(map(Ref, ids))
        return AnyOf(refs) if "or" in operators else AllOf(refs)
    groups: list[list[Node]] = [[Ref(ids[0])]]
    for operator, course in zip(tokens[1::2], ids[1:]):
        if operator.lower() == "or":
            groups.append([])
        groups[-1].append(Ref(course))
    parts = [g[0] if len(g) == 1 else AllOf(tuple(g)) for g in groups]
    return AnyOf(tuple(parts))


def _parse_expression(text: str) -> Node | TreeProblem:
    tree = _flat_expression(text)
    if tree is None:
        try:
            tree = _ExprParser(text).parse()
        except _Bad as bad:
            return bad.problem
    return tree


def _plain_ids(items: Any) -> tuple[Node, ...] | None:
    """Refs for a list of plain course ids (the common case), else None for the full parser.

    Plain: text without whitespace or parentheses. The checks run on the joined text, not
    item by item.
    """
    if type(items) is not list or not items:
        return None
    try:
        joined = " ".join(items)
    except TypeError:  # not all text
        return None
    if "(" in joined or ")" in joined or joined.split() != items:  # whitespace, or an empty id
        return None
    return tuple(map(Ref, items))


def _flat_prereq(data: Any) -> Node | None:
    """Fast path: a list, or an ``all`` / ``any`` mapping, of plain course ids; else None."""
    kind, items = "all", data
    if isinstance(data, dict) and len(data) == 1:
        kind, items = next(iter(data.items()))
        if kind not in ("all", "any"):
            return None
    refs = _plain_ids(items)
    if refs is None or not _OPERATORS.isdisjoint(map(str.lower, items)):  # "and" is no course
        return None
    return refs[0] if len(refs) == 1 else (AllOf(refs) if kind == "all" else AnyOf(refs))


def _prereq(data: Any, keypath: tuple[str | int, ...]) -> Node:
    if isinstance(data, str):
        result = _parse_expression(data)
        if isinstance(result, TreeProblem):
            raise _Bad(keypath, result.message, result.hint)
        return result
    if len(keypath) >= 2 * MAX_DEPTH:  # a key and an index per level (an index in a plain list)
        raise _too_deep()
    flat = _flat_prereq(data)
    if flat is not None:
        return flat
    if isinstance(data, list):
        kind, items = "all", data
    elif isinstance(data, dict) and (data.keys() == {"all"} or data.keys() == {"any"}):
        (kind, items), = data.items()
        keypath += (kind,)
    elif isinstance(data, dict):
        raise _Bad(keypath, f"a prerequisite mapping has keys {sorted(data)}; expected all or any",
                   _PREREQ_HINT)
    else:
        return Ref(_id(data, keypath, _PREREQ_HINT))
    children = _children(items, keypath, _prereq)
    if len(children) == 1:  # a group of one is that one
        return children[0]
    return AllOf(children) if kind == "all" else AnyOf(children)


def parse_prerequisites(data: Any) -> Node | TreeProblem:
    """A prerequisite expression (string, list or all/any mapping) as a node tree.

    ``and`` binds tighter than ``or``:

    >>> parse_prerequisites("A or B and C")
    AnyOf(children=(Ref(id='A', label=None), AllOf(children=(Ref(id='B', label=None), Ref(id='C', label=None)), label=None)), label=None)
    >>> parse_prerequisites("A and (B or").message
    'malformed prerequisite expression "A and (B or": it ends where a course id was expected'
    """
    if isinstance(data, str):  # the flat fast path first, then the full parser
        return _parse_expression(data)
    try:
        return _prereq(data, ())
    except _Bad as bad:
        return bad.problem
