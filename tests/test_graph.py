"""Graph construction and queries on the format example."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

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
from pathways.io import load_catalog


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
