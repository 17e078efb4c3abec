"""The overlap engine: course similarity, credential overlap, catalog health, skill demand."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from pathways.domain import Job, JobSkill
from pathways.io import catalog_from_data, load_catalog, validate_catalog
from pathways.overlap import (
    course_similarity,
    credential_courses,
    credential_overlap,
    health_report,
    minimal_course_sets,
    overlap_matrix,
    skill_demand,
    stack_on,
)
from pathways.overlap._similarity import _text_matrix

from tests.conftest import EXAMPLES

EXAMPLE = EXAMPLES / "catalog.yaml"

SQL = [{"skill": "sql", "level": 2}, {"skill": "databases", "level": 1}]


def course(cid: str, title: str, description: str = "", skills: Any = (), **kw: Any) -> dict[str, Any]:
    return {"id": cid, "title": title, "hours": kw.pop("hours", 20), "description": description,
            "skills": list(skills), **kw}


@pytest.fixture(scope="module")
def dup_catalog():
    return catalog_from_data({
        "skills": [{"id": "sql", "label": "SQL"}, {"id": "databases", "label": "use databases"},
                   {"id": "pottery", "label": "pottery"}, {"id": "stats", "label": "statistics"}],
        "courses": [
            course("UT-SQL", "SQL for Data Analysis",
                   "Write SQL queries against relational databases: selecting, filtering, joining "
                   "and aggregating tables to answer analytical questions.", SQL),
            course("SEN-SQL", "Introduction to SQL and Relational Databases",
                   "Write SQL queries against relational databases: selecting, filtering, joining "
                   "and aggregating tables, plus a first look at database systems.", SQL),
            course("POT-1", "Wheel Throwing", "Centre clay on the wheel and throw bowls and cups.",
                   [{"skill": "pottery", "level": 2}]),
            course("STAT-1", "Applied Statistics", "Sampling, hypothesis tests and regression.",
                   [{"skill": "stats", "level": 2}]),
        ]}).catalog


# --------------------------------------------------------------------------- course similarity
def test_duplicate_pair_found_with_both_signals(dup_catalog) -> None:
    result = course_similarity(dup_catalog)
    pairs = result.pairs
    assert list(zip(pairs["a"], pairs["b"])) == [("UT-SQL", "SEN-SQL")]
    row = pairs.iloc[0]
    assert row["skill_similarity"] == pytest.approx(1.0)
    assert row["text_similarity"] > 0.5
    assert row["score"] == pytest.approx((row["skill_similarity"] + row["text_similarity"]) / 2)
    assert row["shared_skills"] == ["SQL (level 2)", "use databases (level 1)"]
    assert {"sql", "queries", "relational", "databases"} <= set(row["shared_words"])
    clusters = result.clusters
    assert clusters["members"].tolist() == [["UT-SQL", "SEN-SQL"]]
    assert "SQL (level 2)" in clusters.iloc[0]["explanation"]


def test_unrelated_courses_are_not_paired(dup_catalog) -> None:
    result = course_similarity(dup_catalog, threshold=0.1)
    listed = set(result.pairs["a"]) | set(result.pairs["b"])
    assert not listed & {"POT-1", "STAT-1"}
    nb = result.similar_to("POT-1")
    assert nb.empty or (nb["score"] < 0.1).all()


def test_neighbors_are_ranked_top_k(dup_catalog) -> None:
    nb = course_similarity(dup_catalog, top_k=1).neighbors
    assert nb.groupby("course").size().max() == 1
    first = nb.set_index("course").loc["UT-SQL"]
    assert first["other"] == "SEN-SQL" and first["rank"] == 1


def random_catalog(n: int, seed: int):
    rng = np.random.default_rng(seed)
    words = ["data", "sql", "python", "cloud", "ethics", "finance", "audit", "design", "risk",
             "model", "team", "lead", "write", "speak", "tax", "law"]
    courses = []
    for i in range(n):
        skills = {f"s{k}": int(rng.integers(1, 5)) for k in rng.choice(8, rng.integers(0, 4), replace=False)}
        text = " ".join(rng.choice(words, rng.integers(0, 9)))
        courses.append(course(f"C{i:03d}", f"Course {i}", text,
                              [{"skill": s, "level": lv} for s, lv in skills.items()]))
    return catalog_from_data({"courses": courses}).catalog


def brute_force(catalog) -> tuple[np.ndarray, np.ndarray]:
    """Skill Jaccard and text cosine of every pair, by the definitions, with loops."""
    courses = list(catalog.courses.values())
    levels = [{s.skill: s.level for s in c.skills} for c in courses]
    n = len(courses)
    skill = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            keys = set(levels[i]) | set(levels[j])
            top = sum(max(levels[i].get(k, 0), levels[j].get(k, 0)) for k in keys)
            low = sum(min(levels[i].get(k, 0), levels[j].get(k, 0)) for k in keys)
            skill[i, j] = low / top if top else 0.0
    docs = [f"{c.title}. {c.description}" for c in courses]
    X = TfidfVectorizer(stop_words="english", sublinear_tf=True, strip_accents="unicode",
                        ngram_range=(1, 3)).fit_transform(docs)
    return skill, (X @ X.T).toarray()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_scores_match_the_definitions_across_chunks(seed: int) -> None:
    cat = random_catalog(40, seed)
    skill, text = brute_force(cat)
    n = len(cat.courses)
    # tiny chunks force many chunked products; max_df keeps every term (exact cosine)
    result = course_similarity(cat, top_k=n - 1, threshold=0.3, max_df=n, chunk_entries=50)
    index = {c: i for i, c in enumerate(cat.courses)}
    nb = result.neighbors
    i = nb["course"].map(index).to_numpy()
    j = nb["other"].map(index).to_numpy()
    np.testing.assert_allclose(nb["skill_similarity"], skill[i, j], atol=1e-6)
    np.testing.assert_allclose(nb["text_similarity"], text[i, j], atol=1e-5)
    # every pair with a positive score is a neighbour, and no course is its own
    score = (skill + text) / 2
    np.fill_diagonal(score, 0)
    assert len(nb) == int((score > 1e-9).sum())
    assert (i != j).all()
    # pairs: exactly those at or above the threshold, each once, best first
    expected = {(a, b) for a in range(n) for b in range(a + 1, n) if score[a, b] >= 0.3 - 1e-9}
    got = {(index[a], index[b]) for a, b in zip(result.pairs["a"], result.pairs["b"])}
    assert got == expected
    assert result.pairs["score"].is_monotonic_decreasing


def test_level_weighted_jaccard_by_hand() -> None:
    cat = catalog_from_data({"courses": [
        course("X", "X", skills=[{"skill": "a", "level": 3}, {"skill": "b", "level": 1}]),
        course("Y", "Y", skills=[{"skill": "a", "level": 1}, {"skill": "b", "level": 2},
                                 {"skill": "c", "level": 1}])]}).catalog
    row = course_similarity(cat, threshold=0).neighbors.iloc[0]
    # sum of min levels (1 + 1) over sum of max levels (3 + 2 + 1)
    assert row["skill_similarity"] == pytest.approx(2 / 6)


def test_text_matrix_is_tfidfvectorizer() -> None:
    cat = load_catalog(EXAMPLE)
    courses = list(cat.courses.values())
    docs = [f"{c.title}. {c.description}" for c in courses]
    ref = TfidfVectorizer(stop_words="english", sublinear_tf=True, strip_accents="unicode",
                          ngram_range=(1, 3), dtype=np.float32)
    expected = ref.fit_transform(docs)
    names = list(ref.get_feature_names_out())
    df = np.bincount(expected.indices, minlength=len(names))
    X, vocab = _text_matrix(courses, 10 ** 9, (1, 3))
    terms = vocab[np.arange(len(vocab))]
    # the same weights, normalised over every term; terms of one course only are left out
    assert sorted(terms) == sorted(t for t, d in zip(names, df) if d >= 2)
    columns = [names.index(t) for t in terms]
    np.testing.assert_allclose(X.toarray(), expected.toarray()[:, columns], atol=1e-6)


def test_dropping_common_terms_never_raises_the_text_score() -> None:
    cat = random_catalog(60, 5)
    full = course_similarity(cat, top_k=59, max_df=60).neighbors
    cut = course_similarity(cat, top_k=59, max_df=3).neighbors
    merged = cut.merge(full, on=["course", "other"], suffixes=("_cut", "_full"))
    assert len(merged) == len(cut)
    assert (merged["text_similarity_cut"] <= merged["text_similarity_full"] + 1e-6).all()


def test_courses_without_text_or_skills() -> None:
    cat = catalog_from_data({"courses": [course("A", "the"), course("B", "a")]}).catalog
    result = course_similarity(cat)
    assert result.pairs.empty and result.clusters.empty and result.neighbors.empty
    assert list(result.pairs.columns)[:7] == ["a", "b", "a_title", "b_title", "skill_similarity",
                                              "text_similarity", "score"]


@pytest.mark.parametrize("kw", [{"threshold": 1.5}, {"skill_weight": -0.1}, {"max_df": 0},
                                {"max_df": 1.5}])
def test_bad_parameters(dup_catalog, kw: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        course_similarity(dup_catalog, **kw)


def test_clusters_link_chains_and_explain() -> None:
    same = [{"skill": "k", "level": 2}]
    cat = catalog_from_data({"courses": [
        course("A", "Kiln firing basics", "kiln firing glaze", same),
        course("B", "Kiln firing", "kiln firing glaze temperature", same),
        course("C", "Kiln temperatures", "kiln temperature glaze", same),
        course("D", "Tax law", "income tax law", [{"skill": "t", "level": 1}])]}).catalog
    clusters = course_similarity(cat, threshold=0.5).clusters
    assert clusters["members"].tolist() == [["A", "B", "C"]]
    row = clusters.iloc[0]
    assert row["size"] == 3 and row["shared_skills"] == ["k (level 2)"]
    assert "kiln" in row["shared_words"] and "glaze" in row["shared_words"]
    assert row["explanation"].startswith("all 3 courses teach k (level 2)")


# --------------------------------------------------------------------------- credential overlap
@pytest.fixture(scope="module")
def example():
    return load_catalog(EXAMPLE)


@pytest.fixture(scope="module")
def example_overlap(example):
    return credential_overlap(example).set_index(["a", "b"])


def test_credential_courses_include_nested(example) -> None:
    closure = credential_courses(example)
    assert closure["UT-CERT-DA"] == {"UT-DA-101", "UT-STAT-2", "UT-ML-1", "UT-VIZ-1", "UT-CAP-1",
                                     "UT-CAP-2", "UT-CAP-3"}
    assert closure["UT-DIP-DATA"] == (closure["UT-CERT-DA"] | closure["UT-CERT-BI"]
                                      | closure["AU-AI-ETHICS"] | closure["DAL-COM-MC"])
    assert len(closure["UT-DIP-DATA"]) == 13


def test_shared_courses_by_hand(example_overlap) -> None:
    df = example_overlap
    # the certificate's seven courses all count toward the diploma that nests it
    assert df.loc[("UT-CERT-DA", "UT-DIP-DATA"), "shared_courses"] == [  # catalog order
        "UT-STAT-2", "UT-DA-101", "UT-ML-1", "UT-VIZ-1", "UT-CAP-1", "UT-CAP-2", "UT-CAP-3"]
    assert df.loc[("UT-CERT-DA", "UT-DIP-DATA"), "shared_hours"] == 36 + 30 + 40 + 24 + 20 + 30 + 40
    assert bool(df.loc[("UT-CERT-DA", "UT-DIP-DATA"), "b_nests_a"])
    assert bool(df.loc[("UT-DIP-DATA", "UT-CERT-DA"), "a_nests_b"])
    # BI certificate and reporting microcredential: SQL, visualization and BI courses
    assert df.loc[("UT-CERT-BI", "UT-MC-REPORTING"), "shared_courses"] == ["UT-SQL-1", "UT-VIZ-1",
                                                                           "UT-BI-1"]
    assert df.loc[("UT-CERT-BI", "UT-MC-REPORTING"), "shared_hours"] == 24 + 24 + 30
    assert df.loc[("UT-CERT-DA", "UT-CERT-BI"), "shared_courses"] == ["UT-VIZ-1"]
    assert df.loc[("UT-CERT-BI", "DAL-COM-MC"), "shared_courses"] == ["DAL-COM-1"]
    assert df.loc[("AU-AI-ETHICS", "UT-CERT-DA"), "n_shared"] == 0
    assert df.loc[("UT-CERT-BI", "UT-MC-REPORTING"), "shared_skills"] == [
        "business intelligence", "present reports", "SQL", "visual presentation techniques"]
    assert len(df) == 6 * 5


def test_hours_still_needed_by_hand(example_overlap) -> None:
    df = example_overlap
    # CERT-DA from scratch: DA-100 20 + PY-1 36 + STAT-1 30 + DA-101 36 + STAT-2 30 + VIZ-1 24
    # + CAP-3 40 = 216; the diploma adds AI ethics (50) and the communication pair (40) = 306
    row = df.loc[("UT-CERT-DA", "UT-DIP-DATA")]
    assert row["hours_from_scratch"] == 306 and row["hours_still_needed"] == 90
    assert row["covered_share"] == pytest.approx(216 / 306)
    assert row["method"] == "planner"
    assert row["summary"].startswith("holders of UT-CERT-DA are 90 hours from UT-DIP-DATA (71%")
    # a holder of CERT-DA took VIZ-1: the BI certificate needs SQL-1 and BI-1 only (24 + 30)
    assert df.loc[("UT-CERT-DA", "UT-CERT-BI"), "hours_still_needed"] == 54
    assert df.loc[("UT-CERT-DA", "UT-CERT-BI"), "hours_from_scratch"] == 74
    # CERT-BI's plan (SQL-1, BI-1, DAL-COM-1) already meets the reporting microcredential
    assert df.loc[("UT-CERT-BI", "UT-MC-REPORTING"), "hours_still_needed"] == 0
    # nothing of AI ethics helps the data certificate: its hours from scratch, without a plan
    assert df.loc[("AU-AI-ETHICS", "UT-CERT-DA"), "hours_still_needed"] == 216
    assert "from scratch" in df.loc[("AU-AI-ETHICS", "UT-CERT-DA"), "method"]


def test_stack_on_and_matrix(example_overlap) -> None:
    df = example_overlap.reset_index()
    best = stack_on(df, limit=None)
    assert not best["a_nests_b"].any()
    assert best["covered_share"].is_monotonic_decreasing
    assert ("UT-CERT-DA", "UT-DIP-DATA") in set(zip(best["a"], best["b"]))
    matrix = overlap_matrix(df)
    assert matrix.shape == (6, 6)
    assert matrix.loc["UT-CERT-DA", "UT-DIP-DATA"] == 90
    assert (np.diag(matrix.to_numpy()) == 0).all()


def test_without_planner_reports_shared_courses(example) -> None:
    df = credential_overlap(example, use_planner=False)
    assert (df["method"] == "shared courses (planner unavailable)").all()
    assert df["hours_still_needed"].isna().all()
    best = stack_on(df, limit=None)
    pairs = list(zip(best["a"], best["b"]))
    assert pairs[0] == ("UT-CERT-DA", "UT-DIP-DATA")  # most shared hours, in stacking direction
    assert len({frozenset(p) for p in pairs}) == len(pairs)  # one direction per pair


# --------------------------------------------------------------------------- health
@pytest.fixture(scope="module")
def example_health():
    return health_report(validate_catalog(EXAMPLE))


def by_category(df: pd.DataFrame, category: str) -> pd.DataFrame:
    return df[df["category"] == category]


def test_health_single_source_skills_by_hand(example_health) -> None:
    found = by_category(example_health, "single-source-skill")
    courses = {ids[1]: sev for ids, sev in zip(found["ids"], found["severity"])}
    # SQL and visual presentation are essential for the data analyst: warnings; BI is needed
    # with importance 0.4 only, the other three by no job
    assert courses == {"UT-SQL-1": "warning", "UT-VIZ-1": "warning", "UT-BI-1": "info",
                       "UT-ML-1": "info", "AU-AIE-1": "info", "UT-DA-100": "info"}
    assert found.iloc[0]["ids"][0] == "esco:598de5b0-5b58-4ea7-8058-a4bc4d18c742"  # needed: first


def test_health_missing_prerequisite_by_hand(example_health) -> None:
    found = by_category(example_health, "missing-prerequisite")
    # Capstone C teaches "present reports" at level 3; its prerequisite chain (DA-101, PY-1,
    # DA-100, STAT-1/2) never teaches it; VIZ-1 teaches it at level 2
    assert found["ids"].tolist() == [["UT-CAP-3", "UT-VIZ-1"]]
    assert "present reports at level 3" in found.iloc[0]["message"]
    assert "UT-VIZ-1 teaches it at level 2" in found.iloc[0]["message"]


def test_health_single_path_and_no_credential(example_health) -> None:
    single = by_category(example_health, "single-path")
    assert [ids[0] for ids in single["ids"]] == ["AU-AI-ETHICS", "DAL-COM-MC"]
    assert single.iloc[0]["ids"] == ["AU-AI-ETHICS", "AU-AIE-1", "AU-AIE-2"]
    none = by_category(example_health, "no-credential")
    assert {ids[0] for ids in none["ids"]} == {"UT-DA-100", "UT-STAT-1", "UT-PY-1"}
    assert set(none["severity"]) == {"info"}  # all three are prerequisites
    validation = by_category(example_health, "validation")
    assert {ids[0] for ids in validation["ids"]} == {"AU-AI-ETHICS", "DAL-COM-MC"}
    assert all("catalog.yaml:" in m for m in validation["message"])


def test_health_long_chains(example_health, example) -> None:
    assert by_category(example_health, "long-chain").empty  # the longest chain holds 4 courses
    chains = by_category(health_report(example, max_chain=3), "long-chain")
    assert {ids[-1] for ids in chains["ids"]} == {"UT-ML-1", "UT-CAP-1", "UT-CAP-2", "UT-CAP-3"}
    # the shortest chain a learner can take: STAT-1 or STAT-2 is an "or", the PY-1 chain is not
    assert chains.iloc[0]["ids"] == ["UT-DA-100", "UT-PY-1", "UT-DA-101", "UT-ML-1"]


def test_health_warnings_first_and_columns(example_health) -> None:
    assert list(example_health.columns) == ["category", "severity", "ids", "message", "action"]
    sev = example_health["severity"].tolist()
    assert sev == sorted(sev, key={"warning": 0, "info": 1}.__getitem__)
    assert example_health["action"].str.len().min() > 10


def test_health_standalone_course_is_reported_once() -> None:
    report = catalog_from_data({
        "courses": [course("A", "A"), course("B", "B"), course("LONE", "Lone")],
        "credentials": [{"id": "X", "title": "X", "level": "certificate",
                         "requires": {"choose": 1, "from": ["A", "B"]}}]})
    df = health_report(report)
    about_lone = df[df["ids"].map(lambda ids: "LONE" in ids)]
    assert about_lone["category"].tolist() == ["no-credential"]
    assert about_lone.iloc[0]["severity"] == "warning"
    assert by_category(df, "single-path").empty  # choose 1 of 2: two paths


def test_minimal_course_sets_respect_one_slot_per_course() -> None:
    cat = catalog_from_data({
        "courses": [course(c, c, hours=10) for c in "ABCD"],
        "credentials": [
            {"id": "X", "title": "X", "level": "certificate",
             "requires": {"all": ["A", {"any": ["A", "B"]}]}},
            {"id": "Y", "title": "Y", "level": "certificate",
             "requires": {"all": ["C", {"min_hours": 20, "from": ["C", "D"]}]}},
            {"id": "Z", "title": "Z", "level": "diploma", "requires": {"all": ["X", "Y"]}}]}).catalog
    # A fills one leaf only, so the "any" needs B
    assert minimal_course_sets(cat, "X") == [frozenset("AB")]
    # min_hours is a threshold, not a slot: C counts toward it and fills its own leaf
    assert minimal_course_sets(cat, "Y") == [frozenset("CD")]
    assert minimal_course_sets(cat, "Z") == [frozenset("ABCD")]
    singles = by_category(health_report(cat), "single-path")
    assert [ids[0] for ids in singles["ids"]] == ["X", "Y", "Z"]


# --------------------------------------------------------------------------- skill demand
def test_skill_demand_statuses() -> None:
    cat = catalog_from_data({
        "skills": [{"id": s, "label": s.upper()} for s in ("sql", "py", "knots", "ml", "r")],
        "courses": [course("A", "A", skills=[{"skill": "sql", "level": 1}]),
                    course("B", "B", skills=[{"skill": "knots", "level": 1}], hours=5),
                    course("C", "C", skills=[{"skill": "knots", "level": 2}], hours=7),
                    course("D", "D", skills=[{"skill": "ml", "level": 3}]),
                    course("E", "E", skills=[{"skill": "r", "level": 1}])],
        "jobs": [{"id": "J1", "title": "analyst", "skills": [
                    {"skill": "sql", "level": 2}, {"skill": "py", "importance": "optional"},
                    {"skill": "ml", "level": 2}]},
                 {"id": "J2", "title": "engineer", "skills": [{"skill": "py", "importance": 0.8}]}],
    }).catalog
    df = skill_demand(cat).set_index("skill")
    assert df["status"].to_dict() == {"py": "unmet", "sql": "undersupplied", "knots": "oversupply",
                                      "ml": "supplied", "r": "not demanded"}
    assert df.index.tolist() == ["py", "sql", "knots", "ml", "r"]  # ranked by status
    assert df.loc["py", "demand"] == pytest.approx(1.3) and df.loc["py", "jobs"] == 2
    assert df.loc["py", "essential_jobs"] == 0
    assert df.loc["knots", "courses"] == 2 and df.loc["knots", "hours"] == 12
    assert df.loc["knots", "taught_by"] == ["C", "B"]  # highest level first
    assert df.loc["sql", "label"] == "SQL" and df.loc["sql", "max_level"] == 1
    assert "no course teaches it" in df.loc["py", "explanation"]


def test_skill_demand_extra_jobs() -> None:
    cat = catalog_from_data({"courses": [course("A", "A", skills=[{"skill": "sql"}])]}).catalog
    assert skill_demand(cat)["status"].tolist() == ["not demanded"]
    extra = [Job("esco-occ:x", "data engineer", (JobSkill("sql"), JobSkill("spark", 0.5, False)))]
    df = skill_demand(cat, jobs=extra).set_index("skill")
    assert df["status"].to_dict() == {"spark": "unmet", "sql": "supplied"}
    assert df.loc["spark", "top_jobs"] == ["data engineer"]


def test_skill_demand_on_example(example) -> None:
    df = skill_demand(example).set_index("label")
    # data quality assessment: an essential skill of the data analyst that no course teaches
    assert df.loc["data quality assessment", "status"] == "unmet"
    assert df.loc["SQL", "status"] == "supplied"
    assert set(df[df["status"] == "oversupply"].index) == {"communication", "ethics",
                                                            "present reports"}
    assert not math.isnan(df["demand"].sum())
