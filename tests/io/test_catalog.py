"""Loading and validating catalogs: every rule of the format doc, with file, line and id."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.domain import AllOf, AnyOf, Choose, MinHours, Ref
from pathways.errors import CatalogError
from pathways.io import catalog_from_data, load_catalog, load_learner, read_yaml, validate_catalog


def write(tmp_path: Path, text: str, name: str = "catalog.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def errors_of(path: Path) -> str:
    with pytest.raises(CatalogError) as info:
        validate_catalog(path)
    return str(info.value)


# --------------------------------------------------------------------------- the spec examples
def test_example_catalog_loads_with_every_entity(examples_dir: Path) -> None:
    report = validate_catalog(examples_dir / "catalog.yaml")
    cat = report.catalog
    assert (len(cat.providers), len(cat.courses), len(cat.credentials), len(cat.jobs)) == (3, 16, 6, 1)
    assert cat.currency == "CAD"
    da101 = cat.courses["UT-DA-101"]
    assert da101.prerequisites == AllOf((Ref("UT-PY-1"), AnyOf((Ref("UT-STAT-1"), Ref("UT-STAT-2")))))
    assert cat.courses["UT-ML-1"].prerequisites == AllOf((Ref("UT-DA-101"), Ref("UT-STAT-2")))
    assert cat.courses["UT-VIZ-1"].prerequisites == Ref("UT-DA-100")
    assert cat.courses["UT-CAP-3"].terms == frozenset({"fall"})
    tree = cat.credentials["UT-CERT-DA"].requires
    assert isinstance(tree, AllOf)
    assert tree.children[1] == Choose(2, (Ref("UT-STAT-2"), Ref("UT-ML-1"), Ref("UT-VIZ-1")),
                                      "Methods electives")
    assert tree.children[2] == MinHours(40.0, ("UT-CAP-1", "UT-CAP-2", "UT-CAP-3"), "Capstone hours")
    job = cat.jobs["esco-occ:d3edb8f8-3a06-47a0-8fb9-9b212c006aa2"]
    importance = {s.skill.split("-")[0]: (s.importance, s.essential) for s in job.skills}
    assert importance["esco:143769cb"] == (0.4, False)
    assert importance["esco:ccd0a1d9"] == (0.5, False)
    assert importance["esco:2b92a5b2"] == (1.0, True)


EXPECTED = {
    "alias-bomb.yaml": ["alias expansion bomb"],
    "broken-yaml.yaml": ["broken-yaml.yaml:5:", "YAML syntax error"],
    "credential-cycle.yaml": ["requirement cycle between credentials C-1 and C-2"],
    "cycle.yaml": ["prerequisite cycle between A-2 and A-3"],
    "duplicate-id.yaml": ["duplicate course id A-1 (lines 3 and 4)"],
    "impossible-choose.yaml": ["credential C-1 can never be earned: choose 3 from 2"],
    "negative-hours.yaml": ["negative-hours.yaml:5:", "A-1", "hours must be > 0"],
    "typo-key.yaml": ["typo-key.yaml:5:", 'unknown key "hourz"', 'did you mean "hours"'],
    "unknown-reference.yaml": ["unknown-reference.yaml:9:", "unknown id NOPE-9 in credential C-1"],
    "unreachable-hours.yaml": [
        "credential C-1 can never be earned: min_hours 50 but the listed courses total 20"],
}


def test_every_invalid_example_is_covered(examples_dir: Path) -> None:
    assert sorted(p.name for p in (examples_dir / "invalid").glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_examples_are_rejected_with_their_message(examples_dir: Path, name: str) -> None:
    message = errors_of(examples_dir / "invalid" / name)
    for part in EXPECTED[name]:
        assert part in message, message
    assert "Traceback" not in message


def test_alias_bomb_is_rejected_fast_and_small(examples_dir: Path) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(CatalogError):
        validate_catalog(examples_dir / "invalid" / "alias-bomb.yaml")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # A correctness bound, not a benchmark: expanding the bomb would take minutes and GBs.
    assert elapsed < 1.0 and peak < 50_000_000, (elapsed, peak)


def test_modest_aliases_are_fine(tmp_path: Path) -> None:
    path = write(tmp_path, """
        skills_common: &common
          - {skill: s-1, level: 2}
        """)
    assert "unknown key" in errors_of(path)  # aliases parse; the unknown key is the problem
    ok = write(tmp_path, """
        courses:
          - {id: A-1, title: One, hours: 10, skills: &s [{skill: s-1, level: 2}]}
          - {id: A-2, title: Two, hours: 10, skills: *s}
        """, "ok.yaml")
    assert load_catalog(ok).courses["A-2"].skills[0].level == 2


def test_parsed_text_equals_pyyaml_and_repeated_short_text_is_one_object(tmp_path: Path) -> None:
    long_text = "A long description of what the course covers. " * 3
    path = write(tmp_path, f"""
        courses:
          - {{id: A-1, title: Shared title, hours: 10, provider: uni, description: "{long_text}"}}
          - {{id: A-2, title: Shared title, hours: 10, provider: uni, description: "{long_text}",
              prerequisites: A-1, badge_id: "", url: !!str 12}}
        """)
    data = read_yaml(path)
    assert data == yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    first, second = data["courses"]
    # ids, codes and keys are shared: a 100k-course file repeats them hundreds of thousands of times
    assert first["provider"] is second["provider"] and first["title"] is second["title"]
    assert second["prerequisites"] is first["id"]
    assert all(k1 is k2 for k1, k2 in zip(first, second))
    assert second["url"] == "12" and second["badge_id"] == ""
    assert first["description"] == second["description"] == long_text


# --------------------------------------------------------------------------- shape rules
@pytest.mark.parametrize(("body", "expected"), [
    ("courses:\n  - {id: A-1, title: One, hours: 10, cost: -1}\n", "cost must be >= 0"),
    ("courses:\n  - {id: A-1, title: One, hours: 0}\n", "hours must be > 0"),
    ("courses:\n  - {id: A-1, title: One, hours: 10, delivery: mail}\n", "delivery"),
    ("courses:\n  - {id: A-1, title: One, hours: 10, terms: [spring]}\n", "terms"),
    ("courses:\n  - {id: A-1, title: One, hours: 10, skills: [{skill: s, level: 7}]}\n",
     "level must be <= 4"),
    ("courses:\n  - {id: '', title: One, hours: 10}\n", "id"),
    ("courses:\n  - {id: A-1, hours: 10}\n", 'missing required key "title"'),
    ("format: pathways/2\n", "format"),
    ("- just a list\n", "not a mapping"),
    ("learner: {id: x}\n", "looks like a learner profile"),
    ("jobs:\n  - {id: J, title: J, skills: [{skill: s, importance: 2}]}\n", "importance"),
    ("courses:\n  - {id: A-1, title: One, hours: 10, badge_valid_months: 0}\n",
     "badge_valid_months must be > 0"),
])
def test_shape_errors_name_the_key_and_line(tmp_path: Path, body: str, expected: str) -> None:
    message = errors_of(write(tmp_path, body))
    assert expected in message
    assert "catalog.yaml:" in message


def test_all_shape_errors_are_reported_together(tmp_path: Path) -> None:
    message = errors_of(write(tmp_path, """
        courses:
          - {id: A-1, title: One, hours: -1}
          - {id: A-2, title: Two, hours: 10, hourz: 3}
        """))
    assert "catalog.yaml:2: A-1" in message and "catalog.yaml:3: A-2" in message


def test_file_that_is_not_utf8_or_missing(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("courses: [{id: A, title: caf\xe9, hours: 1}]".encode("latin-1"))
    assert "not UTF-8" in errors_of(bad)
    assert "no such file or directory" in errors_of(tmp_path / "nope.yaml")


# --------------------------------------------------------------------------- references
@pytest.mark.parametrize(("body", "expected"), [
    ("providers: [{id: p1, name: P}]\ncourses:\n  - {id: A-1, title: One, hours: 10, provider: p2}\n",
     "unknown provider p2"),
    ("courses:\n  - {id: A-1, title: One, hours: 10, prerequisites: A-9}\n",
     "unknown course A-9 in the prerequisites of A-1"),
    ("courses:\n  - {id: A-1, title: One, hours: 10}\ncredentials:\n"
     "  - {id: C-1, title: C, level: certificate, requires: {min_hours: 5, from: [A-1, A-7]}}\n",
     "min_hours lists A-7"),
    ("courses:\n  - {id: A-1, title: One, hours: 10}\ncredentials:\n"
     "  - {id: C-1, title: C, level: certificate, requires: [A-1]}\n"
     "  - {id: C-2, title: D, level: certificate, requires: {min_hours: 5, from: [A-1, C-1]}}\n",
     "min_hours lists C-1 in credential C-2, which is a credential"),
    ("skills: [{id: s-1, label: S}]\ncourses:\n"
     "  - {id: A-1, title: One, hours: 10, skills: [{skill: s-2}]}\n", "unknown skill s-2"),
    ("courses:\n  - {id: X, title: One, hours: 10}\ncredentials:\n"
     "  - {id: X, title: C, level: certificate, requires: X}\n",
     "id X is used by both a course and a credential"),
    ("courses:\n  - {id: A-1, title: One, hours: 10}\n  - {id: A-2, title: T, hours: 1, prerequisites: C-1}\n"
     "credentials:\n  - {id: C-1, title: C, level: certificate, requires: A-1}\n",
     "prerequisite C-1 is a credential"),
])
def test_reference_errors(tmp_path: Path, body: str, expected: str) -> None:
    assert expected in errors_of(write(tmp_path, body))


def test_unknown_reference_suggests_a_close_id(tmp_path: Path) -> None:
    message = errors_of(write(tmp_path, """
        courses:
          - {id: DATA-101, title: One, hours: 10}
        credentials:
          - {id: C-1, title: C, level: certificate, requires: [DATA-110]}
        """))
    assert "did you mean DATA-101?" in message


def test_every_problem_of_a_file_is_reported_in_one_run(tmp_path: Path) -> None:
    """A typo in one course does not hide an unknown id, a cycle or an impossible credential
    elsewhere; references to an item left out for its own problem are not reported again."""
    path = write(tmp_path, """
        courses:
          - id: A
            title: Alpha
            hours: 10
            prerequisits: B
          - id: C
            title: Gamma
            hours: 5
            skils: [sql]
            prerequisites: NOPE
          - id: D
            title: Delta
            hourz: 3
          - {id: E, title: Eps, hours: 1, prerequisites: F}
          - {id: F, title: Phi, hours: 1, prerequisites: E}
        credentials:
          - {id: X, title: X, level: certificate, requires: {all: [A, C, D, MISSING]}}
          - {id: Y, title: Y, level: certificate, requires: {choose: 3, from: [A, C]}}
          - {id: Z, title: Z, level: certificate, requires: {min_hours: 10, from: [D, C]}}
        """)
    with pytest.raises(CatalogError) as info:
        validate_catalog(path)
    found = [(d.line, d.id, d.message) for d in info.value.diagnostics]
    assert found == [
        (5, "A", 'unknown key "prerequisits" (did you mean "prerequisites"?)'),
        (9, "C", 'unknown key "skils" (did you mean "skills"?)'),
        (13, "D", 'unknown key "hourz" (did you mean "hours"?)'),
        (10, "C", "unknown course NOPE in the prerequisites of C"),
        (17, "X", "unknown id MISSING in credential X"),
        (14, "E", "prerequisite cycle between E and F: E -> F -> E (each needs the next)"),
        (18, "Y", "credential Y can never be earned: choose 3 from 2"),
    ]  # Z names D, which is left out for its typo: its hours are not judged


def test_unknown_keys_get_the_nearest_known_key_everywhere(tmp_path: Path) -> None:
    path = write(tmp_path, """
        skills: [{id: sql, label: SQL, alt_label: [structured query language]}]
        courses:
          - {id: A, title: Alpha, hours: 10, skills: [{skill: sql, levle: 2}], cots: 100}
        jobs:
          - {id: J, title: Analyst, skills: [{skill: sql, importanse: essential}]}
        """)
    with pytest.raises(CatalogError) as info:
        validate_catalog(path)
    found = {d.path: (d.message, d.hint) for d in info.value.diagnostics}
    assert found == {
        "skills[0].alt_label": ('unknown key "alt_label" (did you mean "alt_labels"?)', 'rename it to "alt_labels"'),
        "courses[0].skills[0].levle": ('unknown key "levle" (did you mean "level"?)', 'rename it to "level"'),
        "courses[0].cots": ('unknown key "cots" (did you mean "cost"?)', 'rename it to "cost"'),
        "jobs[0].skills[0].importanse": ('unknown key "importanse" (did you mean "importance"?)',
                                         'rename it to "importance"'),
    }
    far = errors_of(write(tmp_path, "courses:\n  - {id: A, title: A, hours: 1, zzzz: 1}\n"))
    assert 'unknown key "zzzz"; remove it or correct the spelling; allowed keys: id, title' in far


def test_many_problems_are_all_kept_and_the_message_shows_the_first_then_a_count(tmp_path: Path) -> None:
    body = "courses:\n" + "".join(f"  - {{id: A{i}, title: A, hours: 1, prerequisites: NOPE{i}}}\n"
                                   for i in range(60))
    with pytest.raises(CatalogError) as info:
        validate_catalog(write(tmp_path, body))
    assert len(info.value.diagnostics) == 60
    lines = str(info.value).splitlines()
    assert len(lines) == 21 and lines[-1] == "... and 40 more problems"
    assert "NOPE0" in lines[0] and "NOPE19" in lines[19]


def test_esco_skills_need_no_listing_but_local_ones_do(tmp_path: Path) -> None:
    path = write(tmp_path, """
        skills: [{id: s-1, label: S}]
        courses:
          - {id: A-1, title: One, hours: 10, skills: [{skill: s-1}, {skill: "esco:abc"}]}
        """)
    assert [s.skill for s in load_catalog(path).courses["A-1"].skills] == ["s-1", "esco:abc"]


# --------------------------------------------------------------------------- prerequisites
@pytest.mark.parametrize(("expr", "expected"), [
    ("A and or B", 'expected a course id, found "or"'),
    ("(A and B", 'a "(" is not closed'),
    ("A B", 'unexpected "B"'),
    ("", "it is empty"),
])
def test_malformed_prerequisite_expressions(tmp_path: Path, expr: str, expected: str) -> None:
    message = errors_of(write(tmp_path, f"""
        courses:
          - {{id: A, title: A, hours: 1}}
          - {{id: B, title: B, hours: 1}}
          - {{id: C, title: C, hours: 1, prerequisites: "{expr}"}}
        """))
    assert "malformed prerequisite expression" in message and expected in message
    assert "catalog.yaml:4:" in message


def test_a_bad_prerequisite_is_placed_inside_it_and_reported_with_the_other_problems(
        tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as info:
        load_catalog(write(tmp_path, """
            courses:
              - {id: A, title: A, hours: 1}
              - id: B
                title: B
                hours: -1
                prerequisites:
                  any:
                    - A
                    - {bogus: 1}
            """))
    found = {(d.path, d.line) for d in info.value.diagnostics}
    assert found == {("courses[1].hours", 5), ("courses[1].prerequisites.any[1]", 9)}
    message = next(d for d in info.value.diagnostics if d.path.endswith("any[1]"))
    assert "keys ['bogus']; expected all or any" in message.message and message.id == "B"


def test_prerequisite_forms_are_equivalent(tmp_path: Path) -> None:
    cat = load_catalog(write(tmp_path, """
        courses:
          - {id: A, title: A, hours: 1}
          - {id: B, title: B, hours: 1}
          - {id: C, title: C, hours: 1}
          - {id: D1, title: D, hours: 1, prerequisites: "A and (B or C)"}
          - {id: D2, title: D, hours: 1, prerequisites: {all: [A, {any: [B, C]}]}}
          - {id: D3, title: D, hours: 1, prerequisites: [A, {any: [B, C]}]}
          - {id: D4, title: D, hours: 1, prerequisites: "A AND (B OR C)"}
        """))
    trees = {cat.courses[d].prerequisites for d in ("D1", "D2", "D3", "D4")}
    assert trees == {AllOf((Ref("A"), AnyOf((Ref("B"), Ref("C")))))}


def test_self_prerequisite_is_a_cycle(tmp_path: Path) -> None:
    message = errors_of(write(tmp_path, "courses:\n  - {id: A, title: A, hours: 1, prerequisites: A}\n"))
    assert "prerequisite cycle" in message and "A -> A" in message


def test_long_cycle_is_named_in_order(tmp_path: Path) -> None:
    message = errors_of(write(tmp_path, """
        courses:
          - {id: A, title: A, hours: 1, prerequisites: C}
          - {id: B, title: B, hours: 1, prerequisites: A}
          - {id: C, title: C, hours: 1, prerequisites: "B or D"}
          - {id: D, title: D, hours: 1}
        """))
    assert "A -> C -> B -> A" in message


# --------------------------------------------------------------------------- never earnable
@pytest.mark.parametrize(("requires", "expected"), [
    ("{choose: 2, from: [A, A]}", "only 1 of its 2 options can be met"),
    ("{all: [A, {any: [C-0]}]}", "it needs C-0, which can never be earned"),
])
def test_requirements_that_can_never_be_met(tmp_path: Path, requires: str, expected: str) -> None:
    message = errors_of(write(tmp_path, f"""
        courses:
          - {{id: A, title: A, hours: 10}}
        credentials:
          - {{id: C-0, title: Z, level: microcredential, requires: {{min_hours: 11, from: [A]}}}}
          - {{id: C-1, title: C, level: certificate, requires: {requires}}}
        """))
    assert "credential C-1 can never be earned" in message and expected in message
    assert "credential C-0 can never be earned: min_hours 11" in message


def test_requirement_node_shape_errors(tmp_path: Path) -> None:
    message = errors_of(write(tmp_path, """
        courses:
          - {id: A, title: A, hours: 10}
        credentials:
          - id: C
            title: C
            level: certificate
            requires:
              all:
                - A
                - {choose: 1, form: [A]}
        """))
    assert 'unknown key "form"' in message and "catalog.yaml:10:" in message


# --------------------------------------------------------------------------- directories
def test_directory_concatenates_files_and_ignores_subfolders(tmp_path: Path) -> None:
    write(tmp_path, "format: pathways/1\ncurrency: EUR\nproviders: [{id: p, name: P}]\n", "a.yaml")
    write(tmp_path, "courses:\n  - {id: A, title: A, hours: 10, provider: p}\n", "b.yml")
    (tmp_path / "learners").mkdir()
    write(tmp_path / "learners", "learner: {id: x}\n", "x.yaml")
    cat = load_catalog(tmp_path)
    assert list(cat.courses) == ["A"] and cat.currency == "EUR"
    assert [Path(s).name for s in cat.sources] == ["a.yaml", "b.yml"]


def test_duplicates_across_files_name_both_files(tmp_path: Path) -> None:
    write(tmp_path, "courses:\n  - {id: A, title: A, hours: 10}\n", "a.yaml")
    write(tmp_path, "# second file\ncourses:\n  - {id: A, title: A2, hours: 10}\n", "b.yaml")
    message = errors_of(tmp_path)
    assert "a.yaml:2 and" in message and "b.yaml:3" in message


def test_currency_conflict(tmp_path: Path) -> None:
    write(tmp_path, "currency: CAD\n", "a.yaml")
    write(tmp_path, "currency: USD\n", "b.yaml")
    assert "disagree on the currency" in errors_of(tmp_path)


# --------------------------------------------------------------------------- warnings
def test_warnings_for_courses_counting_toward_nothing_and_unneeded_credentials() -> None:
    report = catalog_from_data({
        "courses": [
            {"id": "A", "title": "A", "hours": 10, "skills": [{"skill": "s1"}]},
            {"id": "B", "title": "B", "hours": 10, "skills": [{"skill": "s2"}]},
            {"id": "P", "title": "P", "hours": 10},
            {"id": "Q", "title": "Q", "hours": 10, "prerequisites": "P"},
            {"id": "Z", "title": "Z", "hours": 10},
        ],
        "credentials": [
            {"id": "C1", "title": "C1", "level": "certificate", "requires": ["A", "Q"]},
            {"id": "C2", "title": "C2", "level": "certificate", "requires": ["B"]},
        ],
        "jobs": [{"id": "J", "title": "J", "skills": [{"skill": "s1"}]}],
    })
    messages = [w.message for w in report.warnings]
    assert messages == [
        "course Z counts toward no credential and is no prerequisite",
        "credential C2 teaches no skill that a job of the catalog needs",
    ]
    assert all(w.severity == "warning" for w in report.warnings)


def test_many_standalone_courses_are_summed_up_in_one_warning() -> None:
    courses = [{"id": f"A-{i:03d}", "title": "A", "hours": 1} for i in range(60)]
    report = catalog_from_data({"courses": courses, "credentials": [
        {"id": "C", "title": "C", "level": "certificate", "requires": "A-000"}]})
    assert [w.message.split(":")[0] for w in report.warnings] == [
        "59 courses count toward no credential and are no prerequisite"]
    assert "A-001, A-002" in report.warnings[0].message


@pytest.mark.parametrize("data", [
    "A", "A or B and C", "A and (B or A)", ["A", "B", "A"], ["A"], [" A"], ["A", {"any": ["B", "C"]}],
    {"all": ["A", "B"]}, {"any": ["B"]}, {"any": ["A", {"all": ["B", "A"]}]}, 7, ["A (x)"],
])
def test_trees_come_with_the_ids_they_name(data: object) -> None:
    from pathways.domain import leaf_ids
    from pathways.io.trees import TreeProblem, parse_requirement, requirement_tree

    tree = parse_requirement(data)
    expected = tree if isinstance(tree, TreeProblem) else (tree, leaf_ids(tree))
    assert requirement_tree(data) == expected


_TOKENS = ["A", "B-1", "c", "and", "or", "AND", "Or", "(", ")", "A(x)", ""]
_SPACES = [" ", "  ", "\t", "\n "]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_TOKENS), st.sampled_from(_SPACES)), max_size=9),
       st.lists(st.one_of(st.sampled_from(_TOKENS + ["A B", " A", "B ", "A\tB"]), st.integers(0, 3),
                          st.just({"any": ["A", "B"]})), max_size=5))
def test_prerequisite_fast_paths_agree_with_the_full_parser(pieces: list[tuple[str, str]],
                                                            items: list[object]) -> None:
    from unittest import mock

    from pathways.io import trees

    text = "".join(token + space for token, space in pieces)
    data = [text, items, {"all": items}, {"any": items}]
    fast = [trees.parse_prerequisites(d) for d in data]
    with mock.patch.object(trees, "_flat_expression", return_value=None), \
            mock.patch.object(trees, "_plain_ids", return_value=None):
        full = [trees.parse_prerequisites(d) for d in data]
    assert fast == full


def test_leaf_ids_lists_every_id_once_in_depth_first_order() -> None:
    from pathways.domain import iter_nodes, leaf_ids
    from pathways.synth import synthetic_catalog

    def walk(tree: object) -> tuple[str, ...]:  # the plain definition, node by node
        seen: dict[str, None] = {}
        for node in iter_nodes(tree):  # type: ignore[arg-type]
            if isinstance(node, Ref):
                seen.setdefault(node.id)
            elif isinstance(node, MinHours):
                for course in node.courses:
                    seen.setdefault(course)
        return tuple(seen)

    catalog = synthetic_catalog(1500, seed=3)
    trees = [c.prerequisites for c in catalog.courses.values() if c.prerequisites is not None]
    trees += [c.requires for c in catalog.credentials.values()]
    trees.append(AnyOf((AllOf((Ref("B"), Ref("A"))), MinHours(5, ("C", "B")), Choose(1, (Ref("D"), Ref("B"))))))
    assert any(not isinstance(t, Ref) and not all(isinstance(c, Ref) for c in t.children)
               for t in trees if hasattr(t, "children"))  # nested trees are among them
    assert [leaf_ids(t) for t in trees] == [walk(t) for t in trees]
    assert leaf_ids(trees[-1]) == ("B", "A", "C", "D")


def test_courses_built_by_validation_equal_hand_built_ones_and_stay_frozen() -> None:
    import dataclasses

    from pathways.domain import Course, SkillLevel

    course = catalog_from_data({"courses": [
        {"id": " A ", "title": "A", "hours": 10, "cost": None, "terms": ["fall"], "url": "u",
         "prerequisites": None, "skills": [{"skill": "s", "level": 2}, {"skill": 7}]},
    ]}).catalog.courses["A"]
    assert course == Course("A", "A", 10.0, cost=0.0, terms=frozenset({"fall"}),
                            skills=(SkillLevel("s", 2), SkillLevel("7", 1)))
    assert hash(course) == hash(Course("A", "A", 10.0, terms=frozenset({"fall"}),
                                       skills=(SkillLevel("s", 2), SkillLevel("7"))))
    with pytest.raises(dataclasses.FrozenInstanceError):
        course.hours = 1  # type: ignore[misc]


def _parser_limit(loader: type, nest: Callable[[int], str]) -> int:
    """The deepest ``nest(depth)`` this YAML parser reads (binary search): libyaml in PyYAML
    >= 6.0.3 stops at 1000 flow levels, older releases never, the pure-Python parser when
    Python's stack runs out."""
    lo, hi = 1, 4000
    while lo < hi:
        mid = (lo + hi + 1) // 2
        try:
            yaml.load(nest(mid), Loader=loader)
        except (yaml.YAMLError, RecursionError):
            hi = mid - 1
        else:
            lo = mid
    return lo


@pytest.mark.parametrize("parser", ["libyaml", "pure-python"])
def test_requirements_nested_too_deep_get_a_clear_error_whichever_parser_reads_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parser: str) -> None:
    """A requirement tree or prerequisite expression nested too deep gets the loader's own
    message at the tree's root (file, line, id, what to do), both when the YAML parser reads
    the nesting (the loader's 50-level limit) and when the parser itself refuses it (just over
    its own limit: libyaml in PyYAML >= 6.0.3, the pure-Python parser's recursion)."""
    from pathways.domain import leaf_ids
    from pathways.io import _yaml
    from pathways.io.trees import MAX_DEPTH

    if parser == "libyaml" and not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML was built without libyaml")
    base = yaml.CSafeLoader if parser == "libyaml" else yaml.SafeLoader
    monkeypatch.setattr(_yaml, "_Loader", _yaml._make_loader(base))

    course = "courses:\n  - {id: A, title: A, hours: 1}\n"

    def credential(depth: int) -> str:
        return (course + "credentials:\n  - {id: C, title: C, level: certificate, requires: "
                + "{all: [" * depth + "A" + "]}" * depth + "}\n")

    def prerequisite(depth: int) -> str:
        return (course + "  - id: B\n    title: B\n    hours: 1\n    prerequisites: "
                + "{any: [" * depth + "A" + "]}" * depth + "\n")

    ok = load_catalog(write(tmp_path, credential(MAX_DEPTH), name="ok.yaml"))
    assert leaf_ids(ok.credentials["C"].requires) == ("A",)
    for nest, path, line in ((credential, "credentials[0].requires", 4),
                             (prerequisite, "courses[1].prerequisites", 6)):
        limit = _parser_limit(base, nest)
        assert limit > MAX_DEPTH
        for depth in sorted({MAX_DEPTH + 1, limit, limit + 1, 20 * MAX_DEPTH}):
            with pytest.raises(CatalogError) as info:
                load_catalog(write(tmp_path, nest(depth), name="deep.yaml"))
            (d,) = info.value.diagnostics
            assert (d.path, d.line, d.file) == (path, line, str(tmp_path / "deep.yaml")), (depth, d)
            assert d.message == f"nested more than {MAX_DEPTH} levels deep" and "flatten" in d.hint
            assert d.id == ("C" if path.startswith("credentials") else "B")

    # deep nesting anywhere else: a clear message with the place, never a traceback (the
    # parser's own refusal, or the key's type error where the parser reads that deep)
    def learner(depth: int) -> str:
        return "learner:\n  id: me\n  name: " + "[" * depth + "]" * depth + "\n"

    readable = _parser_limit(base, learner) >= 3000
    with pytest.raises(CatalogError) as info:
        load_learner(write(tmp_path, learner(3000), name="me.yaml"))
    (d,) = info.value.diagnostics
    assert d.path.startswith("learner.name") and d.line == 3 and d.id == "me"
    expected = "name: Input should be a valid string" if readable else "nested too deep to read"
    assert d.message.startswith(expected), d

    parens = "(" * 1000 + "A" + ")" * 1000
    with pytest.raises(CatalogError) as info:
        load_catalog(write(tmp_path, course + f'  - {{id: B, title: B, hours: 1, prerequisites: "{parens}"}}\n',
                           name="parens.yaml"))
    (d,) = info.value.diagnostics
    assert d.path == "courses[1].prerequisites" and f"parentheses nested more than {MAX_DEPTH} deep" in d.message
    assert len(d.message) < 300  # the expression is shortened, not echoed whole


def test_a_loaded_catalog_pickles_and_deep_copies() -> None:
    import copy
    import pickle
    from types import MappingProxyType

    from pathways.synth import synthetic_data

    catalog = catalog_from_data(synthetic_data(200, seed=4)).catalog
    assert catalog.prerequisite_refs  # a cached derived mapping, not part of the copy
    for copied in (pickle.loads(pickle.dumps(catalog)), copy.deepcopy(catalog)):
        assert copied == catalog and copied.courses is not catalog.courses
        assert isinstance(copied.courses, MappingProxyType)
        assert "prerequisite_refs" not in vars(copied)
        assert copied.prerequisite_refs == catalog.prerequisite_refs


def test_a_validated_catalog_is_freed_as_soon_as_it_is_dropped() -> None:
    """No reference cycle keeps a catalog alive after loading (at 100k courses it holds
    hundreds of MB, and in a long-running app it would wait for a full garbage collection)."""
    import gc

    from pathways.domain import Catalog
    from pathways.synth import synthetic_data

    data = synthetic_data(300, seed=5)
    catalog_from_data(data)  # one-time caches (imports, compiled patterns) are made here

    def alive() -> int:
        return sum(type(o) is Catalog for o in gc.get_objects())

    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        before = alive()
        report = catalog_from_data(data)
        assert report.catalog.credentials and alive() == before + 1
        del report
        assert alive() == before
    finally:
        if enabled:
            gc.enable()


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 7).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=18))))
def test_find_cycles_names_one_real_cycle_per_cyclic_component(graph: tuple[int, list[tuple[int, int]]]) -> None:
    from pathways.io.checks import find_cycles

    n, edges = graph
    ids = [f"n{i}" for i in range(n)]
    successors: dict[str, list[str]] = {}
    for u, v in edges:
        successors.setdefault(ids[u], []).append(ids[v])
    # brute force: transitive closure, components = mutual reachability
    reach = [[False] * n for _ in range(n)]
    for u, v in edges:
        reach[u][v] = True
    for k in range(n):
        for i in range(n):
            if reach[i][k]:
                for j in range(n):
                    reach[i][j] = reach[i][j] or reach[k][j]
    component = {i: frozenset(j for j in range(n) if i == j or (reach[i][j] and reach[j][i]))
                 for i in range(n)}
    cyclic = {component[i] for i in range(n) if reach[i][i]}
    cycles = find_cycles(ids, successors)
    assert len(cycles) == len(cyclic)
    seen = set()
    for cycle in cycles:
        assert cycle[0] == cycle[-1] and len(cycle) >= 2
        for a, b in zip(cycle, cycle[1:]):
            assert b in successors.get(a, [])
        (comp,) = {component[ids.index(x)] for x in cycle}
        assert comp in cyclic and comp not in seen
        seen.add(comp)
    firsts = [min(component[ids.index(c[0])]) for c in cycles]
    assert firsts == sorted(firsts)  # components in order of their first id
