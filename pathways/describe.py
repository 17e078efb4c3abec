"""Plain-text renderings for people, shared by the engines, the CLI and the app: requirement
and prerequisite trees, and amounts of money."""

from __future__ import annotations

from pathways.domain import AllOf, AnyOf, Catalog, Choose, MinHours, Node, Ref

__all__ = ["money", "prerequisite_text", "requirement_lines"]


def money(value: float, currency: str) -> str:
    """An amount with its currency: whole amounts without cents (within 1e-9, so a sum of
    prices such as 0.7 + 0.3 counts as whole), others with two decimals.

    >>> money(1250, "CAD"), money(1250.5, "CAD"), money(0.7 + 0.3, "EUR")
    ('1,250 CAD', '1,250.50 CAD', '1 EUR')
    """
    if abs(value - round(value)) < 1e-9:
        return f"{value:,.0f} {currency}"
    return f"{value:,.2f} {currency}"


def prerequisite_text(node: Node, *, top: bool = True) -> str:
    """A prerequisite tree as an expression, ``and`` binding tighter than ``or``.

    >>> from pathways.io.trees import parse_prerequisites
    >>> prerequisite_text(parse_prerequisites("A and (B or C)"))
    'A and (B or C)'
    """
    if isinstance(node, Ref):
        return node.id
    if isinstance(node, AllOf):
        parts = [prerequisite_text(c, top=False) for c in node.children]
        return " and ".join(f"({p})" if " or " in p else p for p in parts)
    if isinstance(node, (AnyOf, Choose)):
        text = " or ".join(prerequisite_text(c, top=False) for c in node.children)
        return text
    raise TypeError(f"not a prerequisite node: {node!r}")


def _head(node: Node) -> str:
    label = getattr(node, "label", None)
    if isinstance(node, AllOf):
        text = "all of"
    elif isinstance(node, AnyOf):
        text = "any one of"
    elif isinstance(node, Choose):
        text = f"choose {node.k} of"
    elif isinstance(node, MinHours):
        text = f"at least {node.hours:g} hours from {', '.join(node.courses)}"
    else:
        raise TypeError(node)
    return f"{label}: {text}" if label else text


def requirement_lines(node: Node, catalog: Catalog | None = None, *, indent: str = "  ",
                      depth: int = 0) -> list[str]:
    """A requirement tree as indented lines (one node a line), titles from ``catalog``.

    >>> from pathways.io.trees import parse_requirement
    >>> print("\\n".join(requirement_lines(parse_requirement(
    ...     {"all": ["A", {"choose": 1, "from": ["B", "C"], "label": "Electives"}]}))))
    all of
      A
      Electives: choose 1 of
        B
        C
    """
    pad = indent * depth
    if isinstance(node, Ref):
        title = catalog.title(node.id) if catalog is not None else node.id
        return [f"{pad}{node.id}" + (f"  {title}" if title != node.id else "")]
    lines = [pad + _head(node)]
    if isinstance(node, (AllOf, AnyOf, Choose)):
        for child in node.children:
            lines.extend(requirement_lines(child, catalog, indent=indent, depth=depth + 1))
    return lines
