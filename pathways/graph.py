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
(``nx.freeze``) so they can be shared and cached safely; edges with equal attributes share one
attribute dict, so read edge data, never write to it (copy the graph to annotate it).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

import networkx as nx

from pathways._gc import gc_paused
from pathways.domain import Catalog, leaf_ids
from pathways.errors import PathwaysError

__all__ = [
    "build_graph",
    "course_order",
    "credential_order",
    "ladder",
    "prerequisite_closure",
    "relevant_subgraph",
    "unlocks",
]


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
    """Fill networkx's dict-of-dicts structure directly, in ``add_edges_from`` order.

    ``G.add_edges_from`` checks and updates one edge per call (1.7 of 2.6 s at 100k courses);
    here each edge is two dict stores, and edges with equal attributes share one read-only
    attribute dict (a few distinct ones instead of 460k; the graph is frozen). The result equals
    the graph that adding the same nodes and edges one by one gives (a test compares the two,
    node, edge and attribute order included).
    """
    G = nx.DiGraph(currency=catalog.currency)
    nodes: dict[str, dict[str, object]] = {
        c.id: {"kind": "course", "title": c.title, "hours": c.hours, "cost": c.cost,
               "provider": c.provider} for c in catalog.courses.values()}
    nodes.update((c.id, {"kind": "credential", "title": c.title, "level": c.level,
                         "provider": c.provider}) for c in catalog.credentials.values())
    nodes.update((s.id, {"kind": "skill", "title": s.label}) for s in catalog.skills.values())
    nodes.update((j.id, {"kind": "job", "title": j.title}) for j in catalog.jobs.values())
    for items in ((c.skills for c in catalog.courses.values()),
                  (j.skills for j in catalog.jobs.values())):
        for skills in items:  # skills named without being listed (ESCO ids) become nodes too
            for s in skills:
                if s.skill not in nodes:
                    nodes[s.skill] = {"kind": "skill", "title": s.skill}
    try:
        succ, pred = _adjacency(catalog, nodes)
    except KeyError:  # an id the catalog does not define (unvalidated data): a bare node
        nodes.update((n, {}) for n in _missing_ends(catalog, nodes))
        succ, pred = _adjacency(catalog, nodes)
    G._node.update(nodes)
    G._succ.update(succ)
    G._pred.update(pred)
    return G


_Attrs = dict[str, object]
_Adjacency = dict[str, dict[str, _Attrs]]


def _adjacency(catalog: Catalog, nodes: dict[str, _Attrs]) -> tuple[_Adjacency, _Adjacency]:
    """Successor and predecessor dicts, in ``add_edges_from`` order; KeyError: a missing node."""
    succ: dict[str, dict[str, _Attrs]] = {n: {} for n in nodes}
    pred: dict[str, dict[str, _Attrs]] = {n: {} for n in nodes}
    shared: dict[tuple[object, ...], _Attrs] = {}

    def attrs(**values: object) -> _Attrs:
        """One read-only dict per distinct set of edge attributes (a handful in all)."""
        return shared.setdefault(tuple(values.items()), values)

    def add(u: str, v: str, data: _Attrs) -> None:
        old = succ[u].get(v)
        if old is not None:  # a repeated edge keeps its place and takes the later attributes
            data = {**old, **data}
        succ[u][v] = pred[v][u] = data

    prerequisite = {alt: attrs(kind="prerequisite", alternative=alt) for alt in (False, True)}
    teaches = {lvl: attrs(kind="teaches", level=lvl) for lvl in range(1, 5)}
    counts_toward = attrs(kind="counts_toward")
    prerequisite_refs = catalog.prerequisite_refs
    for course in catalog.courses.values():
        cid = course.id
        if course.prerequisites is not None:
            before = pred[cid]
            for ref, alt in prerequisite_refs[cid].items():
                if ref in before:
                    add(ref, cid, prerequisite[alt])
                else:
                    succ[ref][cid] = before[ref] = prerequisite[alt]
        out = succ[cid]
        for s in course.skills:
            skill, data = s.skill, teaches.get(s.level) or attrs(kind="teaches", level=s.level)
            if skill in out:
                add(cid, skill, data)
            else:
                out[skill] = pred[skill][cid] = data
    for cred in catalog.credentials.values():
        into = pred[cred.id]
        for ref in leaf_ids(cred.requires):
            if ref in into:
                add(ref, cred.id, counts_toward)
            else:
                succ[ref][cred.id] = into[ref] = counts_toward
    for job in catalog.jobs.values():
        for s in job.skills:
            add(job.id, s.skill, attrs(kind="requires", importance=s.importance,
                                       essential=s.essential, level=s.level))
    return succ, pred


def _missing_ends(catalog: Catalog, nodes: dict[str, _Attrs]) -> list[str]:
    """Ids that edges name but no node has: none in a validated catalog (checked in bulk)."""
    named: dict[str, None] = {}  # in first-seen order, as add_edges_from would add them
    for refs in catalog.prerequisite_refs.values():
        named.update(dict.fromkeys(refs))
    for cred in catalog.credentials.values():
        named.update(dict.fromkeys(leaf_ids(cred.requires)))
    return [n for n in named if n not in nodes]


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
