"""pathways.planner._request: the relevant courses without a graph, and one audit per plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.graph import build_graph, relevant_subgraph
from pathways.planner._request import relevant_courses
from pathways.planner.validity import credential_scope
from pathways.synth import synthetic_catalog, university_catalog


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(5, 60))
def test_relevant_courses_are_the_relevant_subgraphs_courses(seed: int, size: int) -> None:
    cat = synthetic_catalog(size, seed=seed)
    G = build_graph(cat)
    for target in cat.credentials:
        expected = sorted(n for n in relevant_subgraph(G, [target]).nodes if n in cat.courses)
        assert relevant_courses(cat, credential_scope(cat, [target])) == expected


def test_relevant_courses_on_a_university_program() -> None:
    cat = university_catalog(seed=3)
    G = build_graph(cat)
    targets = sorted(cat.credentials)[:3]
    expected = sorted(n for n in relevant_subgraph(G, targets).nodes if n in cat.courses)
    assert relevant_courses(cat, credential_scope(cat, targets)) == expected


def test_one_audit_per_plan(monkeypatch: pytest.MonkeyPatch, sample_dir: Path) -> None:
    """The planner audits a finished plan once, for all its targets together."""
    import pathways.planner.core as core
    from pathways.io import load_catalog, load_learner

    calls: list[tuple[str, ...]] = []
    real = core.audit_many

    def counted(catalog: Any, learner: Any, targets: Any, **kw: Any) -> Any:
        calls.append(tuple(targets))
        return real(catalog, learner, targets, **kw)

    monkeypatch.setattr(core, "audit_many", counted)
    cat = load_catalog(sample_dir)
    maria = load_learner(sample_dir / "learners" / "career-changer-maria.yaml", cat)
    p = core.plan(cat, maria, ["UT-CERT-DA", "UT-DIP-DATA"])
    assert p.feasible and calls == [("UT-CERT-DA", "UT-DIP-DATA")]
    assert [a.credential for a in p.audits] == ["UT-CERT-DA", "UT-DIP-DATA"]
