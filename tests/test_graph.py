"""Graph construction and queries on the format example."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from pathways.domain import AllOf, AnyOf, Catalog, Course, Credential, Ref, SkillLevel, iter_nodes
from pathways.errors import PathwaysError
from pathways.graph import (
    build_graph,
    course_order,
    credential_order,
    ladder,
    prerequisite_closure,
    relevant_subgraph,
    unlocks,
)
from pathways.io import catalog_from_data, load_catalog
from pathways.synth import synthetic_data


@pytest.fixture(scope="module")
def G(examples_dir: Path) -> nx.DiGraph:
    return build_graph(load_catalog(examples_dir / "catalog.yaml"))


def test_nodes_and_edges_have_kinds(G: nx.DiGraph) -> None:
    kinds = nx.get_node_attributes(G, "kind")
    assert kinds["UT-DA-101"] == "course" and kinds["UT-CERT-DA"] == "credential"
    assert kinds["esco:598de5b0-5b58-4ea7-8058-a4bc4d18c742"] == "skill"
    assert kinds["esco-occ:d3edb8f8-3a06-47a0-8fb9-9b212c006aa2"] == "job"
    assert G.edges["UT-PY-1", "UT-DA-101"] == {"kind": "prerequisite", "alternative": False}
    assert G.edges["UT-STAT-1", "UT-DA-101"]["alternative"] is True
    assert G.edges["UT-STAT-2", "UT-DA-101"]["alternative"] is True
    assert G.edges["UT-CERT-DA", "UT-DIP-DATA"]["kind"] == "counts_toward"
    assert G.edges["UT-SQL-1", "esco:598de5b0-5b58-4ea7-8058-a4bc4d18c742"] == {"kind": "teaches", "level": 2}
    job_edge = G.edges["esco-occ:d3edb8f8-3a06-47a0-8fb9-9b212c006aa2",
                       "esco:143769cb-b61e-47d8-a61e-eedfbec1016c"]
    assert job_edge["kind"] == "requires" and job_edge["importance"] == 0.4


def test_graph_is_frozen(G: nx.DiGraph) -> None:
    assert nx.is_frozen(G)
    with pytest.raises(nx.NetworkXError):
        G.add_node("X")


def test_relevant_subgraph_has_everything_that_could_count_with_prerequisites(G: nx.DiGraph) -> None:
    sub = relevant_subgraph(G, "UT-CERT-DA")
    assert set(sub) == {"UT-CERT-DA", "UT-DA-101", "UT-STAT-2", "UT-ML-1", "UT-VIZ-1", "UT-CAP-1",
                        "UT-CAP-2", "UT-CAP-3", "UT-PY-1", "UT-DA-100", "UT-STAT-1"}
    diploma = relevant_subgraph(G, ["UT-DIP-DATA"])
    assert {"UT-CERT-BI", "AU-AI-ETHICS", "DAL-COM-MC", "AU-AIE-1", "DAL-COM-2"} <= set(diploma)
    assert "UT-MC-REPORTING" not in diploma
    with pytest.raises(PathwaysError, match="not a credential"):
        relevant_subgraph(G, "UT-DA-101")


def test_unlocks_and_closure(G: nx.DiGraph) -> None:
    assert unlocks(G, "UT-DA-100") == ["UT-PY-1", "UT-VIZ-1"]
    assert "UT-CAP-3" in unlocks(G, "UT-DA-100", transitive=True)
    assert prerequisite_closure(G, ["UT-ML-1"]) == {"UT-ML-1", "UT-DA-101", "UT-STAT-2", "UT-PY-1",
                                                    "UT-STAT-1", "UT-DA-100"}


def test_ladder_and_orders_are_deterministic(G: nx.DiGraph) -> None:
    assert ladder(G, "UT-CERT-BI") == ["UT-DIP-DATA"]
    assert ladder(G, "UT-DIP-DATA") == []
    order = course_order(G)
    position = {c: i for i, c in enumerate(order)}
    for u, v, kind in G.edges(data="kind"):
        if kind == "prerequisite":
            assert position[u] < position[v]
    assert order == course_order(G)
    creds = credential_order(G)
    assert creds.index("UT-CERT-DA") < creds.index("UT-DIP-DATA")
    assert creds[0] == "AU-AI-ETHICS"  # ties broken by id


def _reference_graph(catalog: Catalog) -> nx.DiGraph:
    """The graph the module docstring describes, built one node and edge at a time through
    networkx's public API (the slow, obvious way) to check the bulk construction against."""
    R = nx.DiGraph(currency=catalog.currency)
    for c in catalog.courses.values():
        R.add_node(c.id, kind="course", title=c.title, hours=c.hours, cost=c.cost,
                   provider=c.provider)
    for c in catalog.credentials.values():
        R.add_node(c.id, kind="credential", title=c.title, level=c.level, provider=c.provider)
    for s in catalog.skills.values():
        R.add_node(s.id, kind="skill", title=s.label)
    for j in catalog.jobs.values():
        R.add_node(j.id, kind="job", title=j.title)
    for skills in [c.skills for c in catalog.courses.values()] + [j.skills for j in catalog.jobs.values()]:
        for s in skills:
            if s.skill not in R:
                R.add_node(s.skill, kind="skill", title=s.skill)

    def must_and_options(node: object, alternative: bool, out: dict[str, bool]) -> None:
        if isinstance(node, Ref):
            out[node.id] = out.get(node.id, True) and alternative
        else:
            alt = alternative or isinstance(node, AnyOf)
            for child in node.children:  # type: ignore[attr-defined]
                must_and_options(child, alt, out)

    for c in catalog.courses.values():
        if c.prerequisites is not None:
            found: dict[str, bool] = {}
            must_and_options(c.prerequisites, False, found)
            for ref, alt in found.items():
                R.add_edge(ref, c.id, kind="prerequisite", alternative=alt)
        for s in c.skills:
            R.add_edge(c.id, s.skill, kind="teaches", level=s.level)
    for cred in catalog.credentials.values():
        for node in iter_nodes(cred.requires):
            for ref in [node.id] if isinstance(node, Ref) else getattr(node, "courses", ()):
                R.add_edge(ref, cred.id, kind="counts_toward")
    for j in catalog.jobs.values():
        for s in j.skills:
            R.add_edge(j.id, s.skill, kind="requires", importance=s.importance,
                       essential=s.essential, level=s.level)
    return R


def _same_graph_in_the_same_order(G: nx.DiGraph, R: nx.DiGraph) -> None:
    assert G.graph == R.graph
    assert list(G.nodes(data=True)) == list(R.nodes(data=True))
    assert list(G.edges(data=True)) == list(R.edges(data=True))
    assert {n: list(G.pred[n].items()) for n in G} == {n: list(R.pred[n].items()) for n in R}


@pytest.mark.parametrize("size, seed", [(300, 0), (1000, 7)])
def test_bulk_construction_equals_edge_by_edge_construction(size: int, seed: int,
                                                            examples_dir: Path) -> None:
    for catalog in (load_catalog(examples_dir / "catalog.yaml"),
                    catalog_from_data(synthetic_data(size, seed=seed)).catalog):
        _same_graph_in_the_same_order(build_graph(catalog), _reference_graph(catalog))


def test_graph_of_an_unvalidated_catalog_gets_bare_nodes_for_unknown_ids() -> None:
    cat = Catalog(courses={"A": Course("A", "A", 10, prerequisites=AnyOf((Ref("X"), Ref("A0")))),
                           "B": Course("B", "B", 5, skills=(SkillLevel("s", 2), SkillLevel("s", 3)))},
                  credentials={"C": Credential("C", "C", "certificate",
                                               AllOf((Ref("A"), Ref("B"), Ref("Y"))))})
    G = build_graph(cat)
    _same_graph_in_the_same_order(G, _reference_graph(cat))
    assert G.nodes["X"] == {} and G.edges["X", "A"] == {"kind": "prerequisite", "alternative": True}
    assert G.edges["B", "s"]["level"] == 3  # a repeated edge takes the later attributes


def test_a_catalog_reads_its_prerequisite_trees_once_for_the_checks_and_the_graph() -> None:
    from unittest import mock

    from pathways.domain import leaf_ids

    def musts(tree: object) -> set[str]:  # reached from the root through "all" groups only
        if isinstance(tree, Ref):
            return {tree.id}
        if isinstance(tree, AllOf):
            return set().union(*(musts(c) for c in tree.children))
        return set()

    catalog = catalog_from_data(synthetic_data(300, seed=2)).catalog
    assert "prerequisite_refs" in vars(catalog)  # computed once, by validation's checks
    refs = catalog.prerequisite_refs
    trees = {c.id: c.prerequisites for c in catalog.courses.values() if c.prerequisites is not None}
    assert {cid: list(named.items()) for cid, named in refs.items()} == {
        cid: [(i, i not in musts(t)) for i in leaf_ids(t)] for cid, t in trees.items()}
    assert any(True in named.values() for named in refs.values())  # options are among them
    with pytest.raises(TypeError):
        refs["X"] = {}  # type: ignore[index]
    with mock.patch("pathways.domain.prerequisite_refs", side_effect=AssertionError("walked again")):
        G = build_graph(catalog)  # reuses the mapping
    assert G.number_of_edges() > 0
