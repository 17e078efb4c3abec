"""CSV catalogs: the requirement syntax, the tables, catalog directories and round trips."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.domain import (
    AllOf,
    AnyOf,
    Catalog,
    Choose,
    Course,
    Credential,
    MinHours,
    Ref,
    Skill,
    SkillLevel,
)
from pathways.errors import CatalogError
from pathways.io import catalog_to_data, validate_catalog
from pathways.io.catalog import READERS
from pathways.io.expressions import (
    RequirementSyntaxError,
    parse_requirement_data,
    parse_requirement_text,
    requirement_text,
)
from pathways.io.tables import courses_frame, csv_line, read_csv_file, write_csv_catalog
from pathways.synth import synthetic_catalog

from tests.conftest import SAMPLE


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def assert_lossless(catalog: Catalog, directory: Path) -> None:
    write_csv_catalog(catalog, directory)
    assert catalog_to_data(validate_catalog(directory).catalog) == catalog_to_data(catalog)


# --------------------------------------------------------------------------- requirement syntax
def test_the_example_from_the_docs() -> None:
    text = 'all(A-1, "Electives": choose 2 of (B, C, D), min_hours 40 from (E, F))'
    tree = parse_requirement_text(text)
    assert tree == AllOf((Ref("A-1"), Choose(2, (Ref("B"), Ref("C"), Ref("D")), "Electives"),
                          MinHours(40.0, ("E", "F"))))
    assert requirement_text(tree) == text


def test_quoting_ids_and_labels() -> None:
    tree = AnyOf((Ref("has space"), Ref("it's"), Ref("all"), Ref("a,b"), Ref("x(y)")),
                 'Say "hi": now')
    text = requirement_text(tree)
    assert text == ('"Say ""hi"": now": any(\'has space\', \'it\'\'s\', \'all\', \'a,b\', '
                    "'x(y)')")
    assert parse_requirement_text(text) == tree
    assert parse_requirement_text("ALL(a, Any(b, c))") == AllOf((Ref("a"), AnyOf((Ref("b"), Ref("c")))))
    assert parse_requirement_text("all") == Ref("all")  # a keyword without "(" is an id
    assert requirement_text(Ref(":x")) == "':x'" and parse_requirement_text("a:b") == Ref("a:b")


@pytest.mark.parametrize(("text", "message"), [
    ("", "the requirement is empty"),
    ("all(A, B", 'expected ")", found the end'),
    ("all(A,, B)", 'expected an id, found ","'),
    ("choose two of (A, B)", 'expected a whole number, found "two" at character 8'),
    ("choose 0 of (A)", "0 must be > 0"),
    ("choose 2 from (A, B)", 'expected "of", found "from"'),
    ("min_hours 4O from (A)", 'expected a number, found "4O"'),
    ("A B", 'unexpected "B" after the requirement at character 3'),
    ('"unclosed: A', "a quote is not closed"),
    ('"label" A', 'expected ":", found "A"'),
])
def test_syntax_errors_say_where(text: str, message: str) -> None:
    with pytest.raises(RequirementSyntaxError) as info:
        parse_requirement_text(text)
    assert message in str(info.value)


ids = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
              max_size=6).filter(lambda s: s.strip() == s)
labels = st.none() | st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)


def _trees(children: st.SearchStrategy) -> st.SearchStrategy:
    kids = st.lists(children, min_size=1, max_size=4).map(tuple)
    return st.one_of(
        st.builds(AllOf, kids, labels), st.builds(AnyOf, kids, labels),
        st.builds(lambda k, c, lab: Choose(min(k, len(c)), c, lab), st.integers(1, 4), kids, labels))


trees = st.recursive(
    st.one_of(st.builds(Ref, ids, labels),
              st.builds(MinHours, st.floats(0.01, 1e4, allow_nan=False).map(float),
                        st.lists(ids, min_size=1, max_size=3).map(tuple), labels)),
    _trees, max_leaves=12)


def test_groups_nested_too_deep_are_a_syntax_error_not_a_recursion_error() -> None:
    from pathways.io.trees import MAX_DEPTH

    nested = "all(" * MAX_DEPTH + "A" + ")" * MAX_DEPTH
    assert parse_requirement_text(nested) is not None
    with pytest.raises(RequirementSyntaxError, match=f"groups nested more than {MAX_DEPTH} deep"):
        parse_requirement_text("all(" * 20 * MAX_DEPTH + "A" + ")" * 20 * MAX_DEPTH)


@settings(max_examples=200, deadline=None)
@given(trees)
def test_requirement_text_round_trips(tree) -> None:
    assert parse_requirement_text(requirement_text(tree)) == tree


@settings(max_examples=200, deadline=None)
@given(trees)
def test_the_reader_gets_the_yaml_shape_of_the_tree_straight_from_the_text(tree) -> None:
    from pathways.io.dump import requirement_to_data
    from pathways.io.trees import parse_requirement

    data = parse_requirement_data(requirement_text(tree))
    assert data == requirement_to_data(tree)
    assert repr(data) == repr(requirement_to_data(tree))  # same key order and number types
    assert parse_requirement(data) == tree


# --------------------------------------------------------------------------- directories
def test_reader_is_registered() -> None:
    assert READERS[".csv"] is read_csv_file


def test_courses_csv_beside_yaml(tmp_path: Path) -> None:
    write(tmp_path / "catalog.yaml", """
        format: pathways/1
        currency: EUR
        providers:
          - {id: p1, name: Provider One}
        credentials:
          - id: MC
            title: Micro
            level: microcredential
            requires: {all: [A-1, B-1]}
        """)
    write(tmp_path / "courses.csv", """
        id,title,provider,hours,cost,delivery,terms,prerequisites,skills,description
        A-1,Intro,p1,12,99.5,online,winter; fall,,esco:ccd0a1d9-afda-43d9-b901-96344886e14d=2,"Line one
        line two, with a comma"
        B-1,Next,p1,20,,hybrid,none,A-1,,
        """)
    catalog = validate_catalog(tmp_path).catalog
    a, b = catalog.courses["A-1"], catalog.courses["B-1"]
    assert (a.hours, a.cost, a.delivery, a.terms) == (12, 99.5, "online", frozenset({"winter", "fall"}))
    assert a.description == "Line one\nline two, with a comma"
    assert a.skills[0].level == 2 and b.terms == frozenset() and b.prerequisites == Ref("A-1")
    assert catalog.currency == "EUR" and set(catalog.credentials) == {"MC"}


@pytest.mark.parametrize(("name", "body", "expected"), [
    ("courses.csv", "id,title,hours\nA,One,abc\n", "courses.csv:2: A (hours): hours must be a number > 0 (found 'abc')"),
    ("courses.csv", "id,title,hours\nA,One,\n", "courses.csv:2: A (hours): missing hours"),
    ("courses.csv", "id,title,hours,delivery\nA,One,3,onlin\n", "delivery 'onlin' is not one of"),
    ("courses.csv", "id,title,hours,terms\nA,One,3,autumn\n", "unknown term 'autumn'"),
    ("courses.csv", "id,title,hours,badge_valid_months\nA,One,3,1.5\n", "must be a whole number > 0"),
    ("courses.csv", "id,title,hourz\nA,One,3\n", "unknown column hourz; missing column hours"),
    ("credentials.csv", "id,title,level,requires\nC,Cred,certificate,all(A\n",
     "credentials.csv:2: C (requires): requires: expected \")\", found the end"),
    ("credentials.csv", "id,title,level,requires\nC,Cred,cert,A\n", "level 'cert' is not one of"),
    ("credentials.csv", "id,title,level,requires,exclusive\nC,Cred,other,A,maybe\n",
     "exclusive 'maybe' is not true or false"),
    ("jobs.csv", "id,title,skill,importance\nJ,Job,s1,very\n", "importance 'very' is not essential"),
    ("jobs.csv", "id,title,skill\nJ,Job,s1\nJ,Other,s2\n", "job J has two titles"),
    ("modules.csv", "id\nA\n", 'a CSV file named "modules.csv"'),
])
def test_bad_cells_are_reported_with_file_line_and_id(tmp_path: Path, name: str, body: str,
                                                       expected: str) -> None:
    path = write(tmp_path / name, body)
    with pytest.raises(CatalogError) as info:
        read_csv_file(path)
    assert expected in str(info.value)


def test_a_bad_prerequisite_is_reported_with_the_other_bad_cells(tmp_path: Path) -> None:
    path = write(tmp_path / "courses.csv", "id,title,hours,prerequisites\nA,One,1,A and\nB,Two,x,\n"
                                           "C,Three,2,A or B\nD,Four,-1,or\n")
    with pytest.raises(CatalogError) as info:
        read_csv_file(path)
    assert [(d.line, d.id, d.path) for d in info.value.diagnostics] == [  # top to bottom
        (2, "A", "prerequisites"), (3, "B", "hours"), (5, "D", "hours"), (5, "D", "prerequisites")]
    assert "it ends where a course id was expected" in info.value.diagnostics[0].message


def test_lines_count_cells_that_span_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "courses.csv", 'id,title,hours,description\nA,One,1,"two\nlines"\nB,Two,x,\n')
    with pytest.raises(CatalogError, match=r"courses.csv:4: B \(hours\)"):
        read_csv_file(path)
    jobs = write(tmp_path / "jobs.csv", "id,title,skill\nJ,Job,s1\nK,Kob,s3\nJ,Job,s2\n")
    assert csv_line(jobs, ("jobs", 0, "skills", 1, "skill")) == 4
    assert csv_line(jobs, ("jobs", 1)) == 3 and csv_line(jobs, ("jobs",)) == 1


def test_an_empty_table_is_fine(tmp_path: Path) -> None:
    assert read_csv_file(write(tmp_path / "jobs.csv", "")) == {"jobs": []}
    assert read_csv_file(write(tmp_path / "courses.csv", "id,title,hours\n")) == {"courses": []}


def test_jobs_one_row_per_skill(tmp_path: Path) -> None:
    data = read_csv_file(write(tmp_path / "jobs.csv", """
        id,title,description,skill,importance,level
        J,Analyst,Looks at data,s1,essential,2
        J,Analyst,,s2,0.4,
        K,Empty,,,,
        """))
    assert data == {"jobs": [
        {"id": "J", "title": "Analyst", "description": "Looks at data",
         "skills": [{"skill": "s1", "importance": "essential", "level": 2},
                    {"skill": "s2", "importance": 0.4}]},
        {"id": "K", "title": "Empty", "skills": []}]}


def test_export_refuses_a_directory_with_other_catalog_files(tmp_path: Path) -> None:
    write(tmp_path / "old.yaml", "courses: []\n")
    catalog = Catalog(courses={"A": Course("A", "A", 1.0)})
    with pytest.raises(CatalogError, match=r"already holds other catalog files \(old.yaml\)"):
        write_csv_catalog(catalog, tmp_path)


def test_ids_with_separators_cannot_go_in_list_cells() -> None:
    catalog = Catalog(courses={"A": Course("A", "A", 1.0, skills=(SkillLevel("x;y", 1),))})
    with pytest.raises(CatalogError, match="contains ';' or '='"):
        courses_frame(catalog)


# --------------------------------------------------------------------------- round trips
def test_round_trip_example_catalog(tmp_path: Path, examples_dir: Path) -> None:
    assert_lossless(validate_catalog(examples_dir / "catalog.yaml").catalog, tmp_path / "out")


def test_round_trip_sample_data(tmp_path: Path) -> None:
    if not SAMPLE.is_dir():
        pytest.skip("the sample catalog data/ is not there")
    assert_lossless(validate_catalog(SAMPLE).catalog, tmp_path / "out")


def test_round_trip_edge_values(tmp_path: Path) -> None:
    catalog = Catalog(
        courses={"A": Course("A", "Ä \"quoted\", title", 0.1, cost=1e-05, terms=frozenset(),
                             description="multi\nline"),
                 "B": Course("B", "NA", 1e6, delivery="in-person")},
        credentials={"C": Credential("C", "C", "other", Choose(1, (Ref("A", "x, y"), Ref("B"))),
                                     recency_months=12, exclusive=True, badge_id="urn:x")},
        skills={"s": Skill("s", "S", ("semi; colon", "[bracket"), "desc")},
        currency="EUR")
    assert_lossless(catalog, tmp_path / "out")


def test_round_trip_keeps_hours_not_stated_and_details(tmp_path: Path) -> None:
    """What a CTDL import records (hours the source did not state, details it kept) survives
    a CSV export and import."""
    catalog = Catalog(
        courses={"A": Course("A", "Not in the import: urn:x", 1.0, hours_stated=False,
                             details=(("external", ("urn:x",)), ("renewal", ("every 3 years",)))),
                 "B": Course("B", "B", 2.0)},
        credentials={"C": Credential("C", "C", "certificate", AllOf((Ref("A"), Ref("B"))),
                                     details=(("costs", ("1,200 CAD tuition", "=fee")),))})
    assert_lossless(catalog, tmp_path / "out")
    text = (tmp_path / "out" / "courses.csv").read_text(encoding="utf-8")
    assert "false" in text and "every 3 years" in text


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(n=st.integers(1, 80), seed=st.integers(0, 10_000))
def test_round_trip_synthetic(tmp_path: Path, n: int, seed: int) -> None:
    assert_lossless(synthetic_catalog(n, seed=seed), tmp_path / f"out-{n}-{seed}")
