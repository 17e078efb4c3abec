"""pathways.io.checks: whole-catalog checks on domain catalogs built inline (cycles against
networkx's strongly connected components, credentials that can never be earned, unknown
references, warnings), located by :class:`~pathways.io.checks.NoLocation` (no files)."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.domain import AllOf, AnyOf, Catalog, Choose, Course, Credential, Job, JobSkill
from pathways.domain import MinHours, Ref, SkillLevel
from pathways.errors import Diagnostic
from pathways.io.checks import NoLocation, check_catalog, find_cycles, warn_catalog


def messages(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.message for d in diagnostics]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=16))
def test_find_cycles_names_one_cycle_per_cyclic_component(edges: list[tuple[int, int]]) -> None:
    ids = [str(i) for i in range(8)]
    succ: dict[str, list[str]] = {}
    for u, v in edges:
        succ.setdefault(str(u), []).append(str(v))
    G = nx.DiGraph()
    G.add_nodes_from(ids)
    G.add_edges_from((str(u), str(v)) for u, v in edges)
    cyclic = [c for c in nx.strongly_connected_components(G)
              if len(c) > 1 or any(G.has_edge(u, u) for u in c)]
    found = find_cycles(ids, succ)
    assert len(found) == len(cyclic)
    for cycle in found:
        assert cycle[0] == cycle[-1] and len(cycle) >= 2
        assert all(G.has_edge(u, v) for u, v in zip(cycle, cycle[1:]))
    # each cycle lies within one component, and each component has exactly one cycle
    owners = [next(i for i, comp in enumerate(cyclic) if set(cycle) <= comp) for cycle in found]
    assert sorted(owners) == list(range(len(cyclic)))


def test_a_valid_catalog_passes_and_warns_about_loose_courses() -> None:
    cat = Catalog(courses={"A": Course("A", "A", 10), "B": Course("B", "B", 10,
                                                                   prerequisites=Ref("A")),
                           "L": Course("L", "Loose", 5)},
                  credentials={"X": Credential("X", "X", "certificate", AllOf((Ref("B"),)))})
    assert check_catalog(cat, NoLocation()) == []
    warnings = warn_catalog(cat, NoLocation())
    assert messages(warnings) == ["course L counts toward no credential and is no prerequisite"]
    assert warnings[0].severity == "warning"  # A is a prerequisite: it leads somewhere


def test_credentials_that_can_never_be_earned_say_why() -> None:
    c = {i: Course(i, i, 10) for i in "ABC"}
    cat = Catalog(courses=c, credentials={
        "TOO-FEW": Credential("TOO-FEW", "t", "certificate", Choose(3, (Ref("A"), Ref("B")))),
        "REPEAT": Credential("REPEAT", "r", "certificate",
                             Choose(2, (Ref("A"), Ref("A")), label="Pick")),
        "HOURS": Credential("HOURS", "h", "certificate", MinHours(40, ("A", "B", "C"))),
        "NEEDS": Credential("NEEDS", "n", "diploma", AllOf((Ref("HOURS"), Ref("C")))),
        "FINE": Credential("FINE", "f", "certificate", AnyOf((Ref("TOO-FEW"), Ref("A"))))})
    found = messages(check_catalog(cat, NoLocation()))
    assert "credential TOO-FEW can never be earned: choose 3 from 2" in found
    assert ('credential REPEAT can never be earned: choose 2 ("Pick") but only 1 of its 2 '
            "options can be met (some options repeat the same course)") in found
    assert ("credential HOURS can never be earned: min_hours 40 but the listed courses total 30"
            in found)
    assert "credential NEEDS can never be earned: it needs HOURS, which can never be earned" in found
    assert not any(m.startswith("credential FINE") for m in found)  # A alone earns it


def test_unknown_references_are_named_with_a_suggestion() -> None:
    cat = Catalog(courses={"DA-101": Course("DA-101", "Data", 10, prerequisites=Ref("DA-10O"))},
                  credentials={"X": Credential("X", "X", "certificate",
                                               AllOf((Ref("DA-101"), Ref("NOPE"))))})
    found = " | ".join(messages(check_catalog(cat, NoLocation())))
    assert "DA-10O" in found and "did you mean DA-101?" in " | ".join(
        d.message + (d.hint or "") for d in check_catalog(cat, NoLocation()))
    assert "NOPE" in found


def test_prerequisite_cycles_are_errors_naming_the_cycle() -> None:
    cat = Catalog(courses={"A": Course("A", "A", 10, prerequisites=Ref("B")),
                           "B": Course("B", "B", 10, prerequisites=Ref("A")),
                           "C": Course("C", "C", 10)})
    found = messages(check_catalog(cat, NoLocation()))
    assert len(found) == 1 and "A" in found[0] and "B" in found[0] and "cycle" in found[0]


def test_a_credential_teaching_no_demanded_skill_is_a_warning() -> None:
    cat = Catalog(
        courses={"A": Course("A", "A", 10, skills=(SkillLevel("sql", 2),)),
                 "B": Course("B", "B", 10, skills=(SkillLevel("knots", 1),))},
        credentials={"DATA": Credential("DATA", "d", "certificate", AllOf((Ref("A"),))),
                     "SEA": Credential("SEA", "s", "certificate", AllOf((Ref("B"),)))},
        jobs={"J": Job("J", "analyst", (JobSkill("sql"),))})
    assert messages(warn_catalog(cat, NoLocation())) == [
        "credential SEA teaches no skill that a job of the catalog needs"]
