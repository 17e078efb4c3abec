"""Requirement expressions: a requirement tree written on one line, and read back.

The CSV tables (:mod:`pathways.io.tables`) write a credential's ``requires`` and a course's
``prerequisites`` this way; :mod:`pathways.io.trees` reads the YAML shape of the same trees.

The syntax (a tiny grammar, parsed by :func:`parse_requirement_text`)::

    node  := [LABEL ":"] body
    body  := ID
           | "all" "(" node ("," node)* ")"
           | "any" "(" node ("," node)* ")"
           | "choose" K "of" "(" node ("," node)* ")"
           | "min_hours" H "from" "(" ID ("," ID)* ")"
    LABEL := a double-quoted string ("" for a quote inside)
    ID    := a word without spaces, commas, parentheses or quotes (not starting with ":"),
             or a single-quoted string

For example ``all(A-1, "Electives": choose 2 of (B, C, D), min_hours 40 from (E, F))``.

:func:`requirement_text` writes it; :func:`parse_requirement_text` reads it into domain nodes
(or, for the CSV reader, straight into the YAML shape the loader validates).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from pathways.domain import AllOf, AnyOf, Choose, MinHours, Node, Ref
from pathways.io.dump import choose_data, group_data, min_hours_data, number_text, ref_data
from pathways.io.trees import MAX_DEPTH

__all__ = [
    "RequirementSyntaxError",
    "parse_requirement_data",
    "parse_requirement_text",
    "requirement_text",
]

_KEYWORDS = {"all", "any", "choose", "min_hours", "of", "from"}
_BARE_ID = re.compile(r"[^\s(),\"']+")
_TOKEN = re.compile(r"""\s*(?:([(),:])|("(?:[^"]|"")*")|('(?:[^']|'')*')|([^\s(),"']+)|(\S))""")


def _id_text(item_id: str) -> str:
    if _BARE_ID.fullmatch(item_id) and item_id.lower() not in _KEYWORDS and item_id[0] != ":":
        return item_id
    return "'" + item_id.replace("'", "''") + "'"


def requirement_text(node: Node) -> str:
    """A requirement tree in the one-line syntax (the inverse of :func:`parse_requirement_text`).

    >>> from pathways.io.trees import parse_requirement
    >>> requirement_text(parse_requirement({"all": ["A-1", {"choose": 2, "from": ["B", "C", "D"],
    ...     "label": "Electives"}, {"min_hours": 40, "from": ["E", "F"]}]}))
    'all(A-1, "Electives": choose 2 of (B, C, D), min_hours 40 from (E, F))'
    """
    label = f'"{node.label.replace(chr(34), chr(34) * 2)}": ' if node.label is not None else ""
    if isinstance(node, Ref):
        return label + _id_text(node.id)
    if isinstance(node, MinHours):
        ids = ", ".join(_id_text(c) for c in node.courses)
        return f"{label}min_hours {number_text(node.hours)} from ({ids})"
    inner = ", ".join(requirement_text(c) for c in node.children)  # type: ignore[union-attr]
    if isinstance(node, AllOf):
        return f"{label}all({inner})"
    if isinstance(node, AnyOf):
        return f"{label}any({inner})"
    if isinstance(node, Choose):
        return f"{label}choose {node.k} of ({inner})"
    raise TypeError(f"not a requirement node: {node!r}")


class RequirementSyntaxError(ValueError):
    """A requirement text that does not follow the grammar; the message says where."""


class _Build(NamedTuple):
    """What :class:`_Parser` makes of each form: domain nodes, or the YAML shape directly
    (what the CSV reader hands to the loader, without building the nodes twice)."""

    ref: Callable[[str, str | None], Any]
    group: Callable[[str, list[Any], str | None], Any]  # "all" or "any"
    choose: Callable[[int, list[Any], str | None], Any]
    min_hours: Callable[[float, list[str], str | None], Any]


_NODES = _Build(
    ref=Ref,
    group=lambda kind, children, label: (AllOf if kind == "all" else AnyOf)(tuple(children), label),
    choose=lambda k, children, label: Choose(k, tuple(children), label),
    min_hours=lambda hours, ids, label: MinHours(float(hours), tuple(ids), label))
#: The YAML shape, built as requirement_to_data writes it (a test checks the two agree).
_DATA = _Build(ref=ref_data, group=group_data, choose=choose_data, min_hours=min_hours_data)


class _Parser:
    """Recursive descent over ``(kind, value)`` tokens: p(unct), l(abel), q(uoted id), w(ord)."""

    def __init__(self, text: str, build: _Build = _NODES) -> None:
        self.text = text
        self.build = build
        tokens: list[tuple[str, str]] = []
        for punct, label, qid, word, bad in _TOKEN.findall(text):
            if punct:
                tokens.append(("p", punct))
            elif word:
                tokens.append(("w", word))
            elif label:
                tokens.append(("l", label[1:-1].replace('""', '"')))
            elif qid:
                tokens.append(("q", qid[1:-1].replace("''", "'")))
            elif bad:
                self.tokens, self.pos = tokens, len(tokens)
                raise self.error(f"unexpected {bad!r}" + (" (a quote is not closed)" if bad in "\"'" else ""))
        self.tokens = tokens
        self.pos = 0
        self.depth = 0  # open groups

    def error(self, message: str) -> RequirementSyntaxError:
        starts = [m.start(m.lastindex or 0) for m in _TOKEN.finditer(self.text)]
        where = starts[self.pos] if self.pos < len(starts) else len(self.text)
        text = self.text if len(self.text) <= 200 else self.text[:197] + "..."
        return RequirementSyntaxError(f"{message} at character {where + 1} of {text!r}")

    def take(self, kind: str, value: str | None = None) -> str:
        pos = self.pos
        tok = self.tokens[pos] if pos < len(self.tokens) else None
        if tok is None or tok[0] != kind or (value is not None and tok[1].lower() != value):
            want = f'"{value}"' if value else {"w": "a number"}.get(kind, kind)
            found = f'"{tok[1]}"' if tok else "the end"
            raise self.error(f"expected {want}, found {found}")
        self.pos = pos + 1
        return tok[1]

    def parse(self) -> Any:
        if not self.tokens:
            raise self.error("the requirement is empty")
        node = self.node()
        if self.pos < len(self.tokens):
            raise self.error(f'unexpected "{self.tokens[self.pos][1]}" after the requirement')
        return node

    def number(self, integer: bool) -> float:
        text = self.take("w")
        try:
            value = int(text) if integer else float(text)
        except ValueError:
            self.pos -= 1
            raise self.error(f"expected {'a whole number' if integer else 'a number'}, "
                             f'found "{text}"') from None
        if not value > 0:  # also refuses nan
            self.pos -= 1
            raise self.error(f"{text} must be > 0")
        return value

    def group(self, item: Callable[[], Any]) -> list[Any]:
        self.take("p", "(")
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.pos -= 1
            raise self.error(f"groups nested more than {MAX_DEPTH} deep")
        items = [item()]
        tokens = self.tokens
        while self.pos < len(tokens) and tokens[self.pos] == ("p", ","):
            self.pos += 1
            items.append(item())
        self.take("p", ")")
        self.depth -= 1
        return items

    def ident(self) -> str:
        pos = self.pos
        if pos >= len(self.tokens) or self.tokens[pos][0] not in ("w", "q"):
            found = f', found "{self.tokens[pos][1]}"' if pos < len(self.tokens) else ""
            raise self.error("expected an id" + found)
        self.pos = pos + 1
        return self.tokens[pos][1]

    def node(self) -> Any:
        tokens, pos, build = self.tokens, self.pos, self.build
        label = None
        if pos < len(tokens) and tokens[pos][0] == "l":
            label = tokens[pos][1]
            self.pos = pos + 1
            self.take("p", ":")
            pos = self.pos
        if pos >= len(tokens):
            raise self.error("expected a requirement")
        kind, value = tokens[pos]
        nxt = tokens[pos + 1] if pos + 1 < len(tokens) else ("", "")
        if kind == "w":
            word = value.lower()
            if word in ("all", "any") and nxt == ("p", "("):
                self.pos = pos + 1
                return build.group(word, self.group(self.node), label)
            if word == "choose" and nxt[0] == "w":
                self.pos = pos + 1
                k = int(self.number(integer=True))
                self.take("w", "of")
                return build.choose(k, self.group(self.node), label)
            if word == "min_hours" and nxt[0] == "w":
                self.pos = pos + 1
                hours = self.number(integer=False)
                self.take("w", "from")
                return build.min_hours(hours, self.group(self.ident), label)
        return build.ref(self.ident(), label)


def parse_requirement_text(text: str) -> Node:
    """A requirement tree from the one-line syntax (see the module docstring).

    Raises
    ------
    RequirementSyntaxError
        Naming the character where the text stops following the grammar.

    Examples
    --------
    >>> parse_requirement_text("any(A, 'B C')")
    AnyOf(children=(Ref(id='A', label=None), Ref(id='B C', label=None)), label=None)
    >>> parse_requirement_text("choose 2 of (A, B")
    Traceback (most recent call last):
    ...
    pathways.io.expressions.RequirementSyntaxError: expected ")", found the end at character 18 of 'choose 2 of (A, B'
    """
    return _Parser(text).parse()


def parse_requirement_data(text: str) -> Any:
    """The YAML shape of a requirement expression (what :func:`pathways.io.requirement_to_data`
    writes), built without making domain nodes: the CSV reader hands it to the loader, which
    validates it like a YAML file's tree.

    >>> parse_requirement_data('"Core": all(A, min_hours 10 from (B, C))')
    {'all': ['A', {'min_hours': 10, 'from': ['B', 'C']}], 'label': 'Core'}

    Raises
    ------
    RequirementSyntaxError
        As :func:`parse_requirement_text`.
    """
    return _Parser(text, _DATA).parse()

