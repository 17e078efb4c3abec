"""The catalog as a networkx graph, and the queries the engines and shells ask of it.

Nodes are ids (courses, credentials, skills and jobs share one namespace, which validation
enforces) with a ``kind`` attribute: ``"course"``, ``"credential"``, ``"skill"`` or ``"job"``.
Edges carry ``kind``:

- ``"prerequisite"``: prerequisite course -> the course that needs it; ``alternative=True`` when
  the prerequisite is one option of an ``or``;
- ``"counts_toward"``: course or credential -> a credential whose requirement tree names it;
- ``"teaches"``: course -> skill, with ``level``;
- ``"requires"``: job -> skill, with ``importance``, ``essential`` and ``level``.

Every function takes the graph first. Graphs returned by :func:`build_graph` are frozen
(``nx.freeze``) so they can be shared and cached safely.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

import networkx as nx

from pathways.domain import AnyOf, Catalog, Choose, Node, Ref, iter_nodes, leaf_ids
from pathways.errors import PathwaysError
from pathways.io._yaml import gc_paused

__all__ = [
    "build_graph",
    "course_order",
    "credential_order",
    "ladder",
    "prerequisite_closure",
    "relevant_subgraph",
    "unlocks",
]


def _prerequisite_refs(tree: Node) -> Iterable[tuple[str, bool]]:
    """(course id, is an alternative) for every leaf of a prerequisite expression."""
    stack: list[tuple[Node, bool]] = [(tree, False)]
    while stack:
        node, alternative = stack.pop()
        if isinstance(node, Ref):
            yield node.id, alternative
        elif hasattr(node, "children"):
            alt = alternative or isinstance(node, AnyOf) or (isinstance(node, Choose) and node.k < len(node.children))
            stack.extend((child, alt) for child in node.children)  # type: ignore[union-attr]


def build_graph(catalog: Catalog) -> nx.DiGraph:
    """The catalog's graph (see the module docstring), frozen.

    >>> from pathways.domain import Catalog, Course, Credential, AllOf, Ref
    >>> cat = Catalog(courses={"A": Course("A", "A", 10), "B": Course("B", "B", 10,
    ...                        prerequisites=Ref("A"))},
    ...               credentials={"C": Credential("C", "C", "certificate", AllOf((Ref("B"),)))})
    >>> G = build_graph(cat)
    >>> sorted(G.edges(data="kind"))
    [('A', 'B', 'prerequisite'), ('B', 'C', 'counts_toward')]
    """
    with gc_paused():  # hundreds of thousands of attribute dicts, no cycles among them
        return nx.freeze(_build_graph(catalog))


def _build_graph(catalog: Catalog) -> nx.DiGraph:
    G = nx.DiGraph(currency=catalog.currency)
    G.add_nodes_from(
        (c.id, {"kind": "course", "title": c.title, "hours": c.hours, "cost": c.cost,
                "provider": c.provider})
        for c in catalog.courses.values())
    G.add_nodes_from(
        (c.id, {"kind": "credential", "title": c.title, "level": c.level, "provider": c.provider})
        for c in catalog.credentials.values())
    G.add_nodes_from(
        (s.id, {"kind": "skill", "title": s.label}) for s in catalog.skills.values())
    G.add_nodes_from((j.id, {"kind": "job", "title": j.title}) for j in catalog.jobs.values())

    edges: list[tuple[str, str, dict[str, object]]] = []
    skill_nodes: set[str] = set()
    for course in catalog.courses.values():
        if course.prerequisites is not None:
            alternatives: dict[str, bool] = {}
            for ref, alt in _prerequisite_refs(course.prerequisites):
                alternatives[ref] = alternatives.get(ref, True) and alt
            edges.extend((ref, course.id, {"kind": "prerequisite", "alternative": alt})
                         for ref, alt in alternatives.items())
        for s in course.skills:
            skill_nodes.add(s.skill)
            edges.append((course.id, s.skill, {"kind": "teaches", "level": s.level}))
    for cred in catalog.credentials.values():
        edges.extend((ref, cred.id, {"kind": "counts_toward"}) for ref in leaf_ids(cred.requires))
    for job in catalog.jobs.values():
        for s in job.skills:
            skill_nodes.add(s.skill)
            edges.append((job.id, s.skill, {"kind": "requires", "importance": s.importance,
                                            "essential": s.essential, "level": s.level}))
    G.add_nodes_from(
        (s, {"kind": "skill", "title": s}) for s in skill_nodes if s not in catalog.skills)
    G.add_edges_from(edges)
    return G


def _walk_back(G: nx.DiGraph, start: Iterable[str], edge_kind: str) -> set[str]:
    seen = set(start)
    queue = deque(seen)
    pred = G.pred
    while queue:
        node = queue.popleft()
        for parent, data in pred[node].items():
            if data["kind"] == edge_kind and parent not in seen:
                seen.add(parent)
                queue.append(parent)
    return seen


def prerequisite_closure(G: nx.DiGraph, courses: Iterable[str]) -> set[str]:
    """``courses`` and every course that is (transitively) a prerequisite option of one."""
    return _walk_back(G, courses, "prerequisite")


def relevant_subgraph(G: nx.DiGraph, targets: str | Iterable[str]) -> nx.DiGraph:
    """Everything that could count toward the target credential(s), with all prerequisites.

    The result is a read-only subgraph view holding the targets, the credentials and courses
    that count toward them (at any depth) and every course that is a prerequisite option of
    one of those courses.

    Raises
    ------
    PathwaysError
        If a target is not a credential of the graph.
    """
    targets = [targets] if isinstance(targets, str) else list(targets)
    for t in targets:
        if G.nodes.get(t, {}).get("kind") != "credential":
            raise PathwaysError(f"{t} is not a credential of the catalog")
    members = _walk_back(G, targets, "counts_toward")
    courses = {n for n in members if G.nodes[n]["kind"] == "course"}
    members |= prerequisite_closure(G, courses)
    return G.subgraph(members)


def unlocks(G: nx.DiGraph, course: str, *, transitive: bool = False) -> list[str]:
    """Courses that name ``course`` in their prerequisites (sorted); all descendants if
    ``transitive``."""
    found: set[str] = set()
    queue = deque([course])
    while queue:
        node = queue.popleft()
        for child, data in G.succ[node].items():
            if data["kind"] == "prerequisite" and child not in found:
                found.add(child)
                if transitive:
                    queue.append(child)
    return sorted(found)


def ladder(G: nx.DiGraph, credential: str) -> list[str]:
    """Credentials that ``credential`` counts toward, directly or through others, lowest first."""
    above: set[str] = set()
    queue = deque([credential])
    while queue:
        node = queue.popleft()
        for child, data in G.succ[node].items():
            if data["kind"] == "counts_toward" and child not in above:
                above.add(child)
                queue.append(child)
    sub = G.subgraph(above | {credential})
    order = credential_order(sub)
    return [c for c in order if c != credential]


def _order(G: nx.DiGraph, node_kind: str, edge_kind: str) -> list[str]:
    nodes = [n for n, k in G.nodes(data="kind") if k == node_kind]
    view = nx.DiGraph()
    view.add_nodes_from(nodes)
    view.add_edges_from((u, v) for u, v, k in G.edges(data="kind") if k == edge_kind
                        and u in view and v in view)
    try:
        return list(nx.lexicographical_topological_sort(view))
    except nx.NetworkXUnfeasible as err:
        raise PathwaysError(f"the {edge_kind} edges form a cycle") from err


def course_order(G: nx.DiGraph) -> list[str]:
    """Courses in a deterministic order in which every prerequisite comes first (ties by id)."""
    return _order(G, "course", "prerequisite")


def credential_order(G: nx.DiGraph) -> list[str]:
    """Credentials with the ones they stack from first (ties by id)."""
    return _order(G, "credential", "counts_toward")
