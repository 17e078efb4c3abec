"""Text to skills: the SkillExtractor estimator, the evaluation helpers and the notebook."""

from __future__ import annotations

import itertools
import json
import os
import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from pathways.domain import Catalog, Job, JobSkill, Skill
from pathways.skills import SkillExtractor, split_segments
from pathways.skills.evaluate import (
    _bio_spans,
    evaluate_job_ads,
    evaluate_occupations,
    load_job_ads,
    popularity_scores,
    ranking_metrics,
    sample_occupations,
    span_overlap,
)
from pathways.taxonomy import Taxonomy
from tests.conftest import REAL_DATA as DATA
from tests.conftest import REPO as ROOT

NOTEBOOK = ROOT / "notebooks" / "text_to_skills_eval.ipynb"
PYTHON = "esco:ccd0a1d9-afda-43d9-b901-96344886e14d"
SQL = "esco:598de5b0-5b58-4ea7-8058-a4bc4d18c742"


# =========================================================================== tiny taxonomy
def _tiny() -> Taxonomy:
    skills = {
        "py": Skill("py", "Python (computer programming)", ("python",),
                    "Writing software in the Python language."),
        "sql": Skill("sql", "SQL", ("structured query language",), "Querying databases."),
        "git": Skill("git", "use version control", ("git",), "Track changes to code."),
        "dough": Skill("dough", "knead dough", (), "Work flour and water by hand."),
        "oven": Skill("oven", "operate ovens", (), "Run industrial ovens."),
        "hygiene": Skill("hygiene", "food hygiene", (), "Keep food safe."),
    }
    jobs = {
        "dev": Job("dev", "software developer",
                   (JobSkill("py"), JobSkill("sql"), JobSkill("git", 0.5, False)),
                   "Software developers write and test programs."),
        "analyst": Job("analyst", "data analyst", (JobSkill("sql"), JobSkill("py", 0.5, False)),
                       "Data analysts query databases and report figures."),
        "baker": Job("baker", "baker", (JobSkill("dough"), JobSkill("oven")),
                     "Bakers bake bread and pastries early in the morning."),
        "pastry": Job("pastry", "pastry chef", (JobSkill("dough"), JobSkill("hygiene")),
                      "Pastry chefs bake pastries and cakes."),
    }
    return Taxonomy(skills, jobs, source="tiny")


@pytest.fixture(scope="module")
def tiny() -> Taxonomy:
    return _tiny()


@pytest.fixture(scope="module")
def fitted(tiny: Taxonomy) -> SkillExtractor:
    return SkillExtractor(threshold=0.01).fit(tiny)


def test_init_only_stores_params() -> None:
    ext = SkillExtractor(threshold=0.3, top_k=5, n_neighbors=3)
    params = ext.get_params()
    assert params["threshold"] == 0.3 and params["top_k"] == 5 and params["n_neighbors"] == 3
    assert not [k for k in vars(ext) if k.endswith("_")]
    clone(ext)  # sklearn's contract: clone reconstructs from get_params
    with pytest.raises(TypeError):
        SkillExtractor(0.3)  # type: ignore[misc]  # keyword-only


def test_not_fitted_raises() -> None:
    ext = SkillExtractor()
    for call in (ext.transform, ext.predict, ext.label_scores, ext.mention_scores):
        with pytest.raises(NotFittedError):
            call(["text"])


def test_fit_returns_self_and_learns_attributes(tiny: Taxonomy) -> None:
    ext = SkillExtractor()
    assert ext.fit(tiny) is ext
    assert list(ext.get_feature_names_out()) == list(tiny.skills)
    assert ext.requirements_.shape == (4, 6)
    assert ext.requirements_[0].toarray().tolist() == [[1.0, 1.0, pytest.approx(0.3), 0, 0, 0]]


def test_transform_shape_and_range(fitted: SkillExtractor) -> None:
    scores = fitted.transform(["python and sql", "", "bread"])
    assert sp.issparse(scores) and scores.shape == (3, 6)
    assert scores.data.min() >= 0 and scores.data.max() <= 1
    assert scores[1].nnz == 0  # empty text: no score
    assert fitted.transform([]).shape == (0, 6)


def test_predict_best_first_topk_threshold(tiny: Taxonomy) -> None:
    ext = SkillExtractor(threshold=0.0, top_k=2).fit(tiny)
    (result,) = ext.predict(["We need a Python developer who knows SQL"])
    assert [sid for sid, _, _ in result] == ["py", "sql"]
    assert result[0][1] == "Python (computer programming)"
    assert result[0][2] >= result[1][2] > 0
    strict = clone(ext).set_params(threshold=0.99).fit(tiny)
    assert strict.predict(["We need a Python developer"]) == [[]]


def test_exclusion_removes_own_requirements(tiny: Taxonomy) -> None:
    ext = SkillExtractor(threshold=0.0, mention_weight=0.0, char_weight=0.0,
                         segment_weight=0.0).fit(tiny)
    text = [tiny.jobs["baker"].description]
    col = list(ext.get_feature_names_out()).index("oven")
    # "operate ovens" is not in the text: only the baker's own requirements vote for it
    with_self = ext.transform(text).toarray()[0, col]
    without = ext.transform(text, exclude_occupations=["baker"]).toarray()[0, col]
    assert with_self > 0 and without == 0
    # the other bakery occupation still votes for kneading dough
    dough = list(ext.get_feature_names_out()).index("dough")
    assert ext.transform(text, exclude_occupations=[["baker"]]).toarray()[0, dough] > 0
    sims = ext.occupation_similarities(text, exclude_occupations=["baker"])
    assert sims[0, list(ext.occupation_ids_).index("baker")] == 0


def test_neighbours_need_requirements() -> None:
    catalog = Catalog(skills={"a": Skill("a", "welding"), "b": Skill("b", "painting")})
    ext = SkillExtractor(threshold=0.0).fit(catalog)  # a Catalog works too; no jobs
    assert ext.occupation_vectorizer_ is None and ext.requirements_.shape == (0, 2)
    assert ext.predict(["welding jobs"])[0][0][0] == "a"


def test_input_validation(fitted: SkillExtractor, tiny: Taxonomy) -> None:
    with pytest.raises(TypeError, match="not one string"):
        fitted.transform("python")
    with pytest.raises(TypeError, match=r"texts\[1\] is int"):
        fitted.transform(["a", 3])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="2 entries for 1 texts"):
        fitted.transform(["a"], exclude_occupations=["dev", "baker"])
    with pytest.raises(ValueError, match="label_weight must be in"):
        SkillExtractor(label_weight=2.0).fit(tiny)
    with pytest.raises(ValueError, match="no skills"):
        SkillExtractor().fit(Catalog())


def test_pickle_round_trip(fitted: SkillExtractor) -> None:
    texts = ["python and sql", "bakers knead dough"]
    fitted.predict(texts)  # fills the analyzer caches, which are not pickled
    copy = pickle.loads(pickle.dumps(fitted))
    assert copy.predict(texts) == fitted.predict(texts)
    assert "_analyzers" not in vars(pickle.loads(pickle.dumps(copy)))


def test_segments_and_mentions(fitted: SkillExtractor) -> None:
    assert split_segments("One. Two!\nThree; four") == ["One.", "Two!", "Three", "four"]
    m = fitted.mention_scores(["Git and Python", "nothing here"])
    cols = list(fitted.get_feature_names_out())
    assert m[0, cols.index("git")] == pytest.approx(0.8)  # alt label
    assert m[0, cols.index("py")] == pytest.approx(0.8)
    assert m[1].nnz == 0
    m2 = fitted.mention_scores(["We use SQL daily"])
    assert m2[0, cols.index("sql")] == pytest.approx(1.0)  # preferred label


# =========================================================================== evaluation helpers
def test_ranking_metrics() -> None:
    scores = np.array([[0.9, 0.8, 0.0, 0.7], [0.1, 0.2, 0.3, 0.4], [0.5, 0.5, 0.5, 0.5]])
    m = ranking_metrics(scores, [{1, 2}, {3}, set()], k=2)
    assert m["n"] == 2  # the row with nothing relevant is left out
    assert m["recall@2"] == pytest.approx((0.5 + 1.0) / 2)
    assert m["precision@2"] == pytest.approx((0.5 + 0.5) / 2)
    assert m["MAP"] == pytest.approx((0.5 / 2 + 1.0) / 2)
    assert ranking_metrics(sp.csr_matrix(scores), [{1, 2}, {3}, set()], k=2) == m


def test_span_overlap_and_bio() -> None:
    assert span_overlap("Python", "Python (computer programming)") == 1.0
    assert span_overlap("the", "anything") == 0.0  # stop words only: never matches
    assert span_overlap("SQL databases", "SQL") == 0.5
    assert span_overlap("C++", "C++") == 1.0
    tokens = ["Know", "Java", "and", "Spring", "Boot", "well"]
    assert _bio_spans(tokens, ["O", "B", "O", "B", "I", "O"]) == ["Java", "Spring Boot"]
    assert _bio_spans(tokens, ["I", "I", "O", "O", "O", "B"]) == ["Know Java", "well"]


def test_job_ads_on_tiny_data(tmp_path: Path, fitted: SkillExtractor, tiny: Taxonomy) -> None:
    rows = [
        {"idx": 1, "tokens": ["We", "want", "Python", "skills"], "tags_skill": ["O"] * 4,
         "tags_knowledge": ["O", "O", "B", "O"], "source": "tech"},
        {"idx": 1, "tokens": ["and", "git"], "tags_skill": ["O", "O"],
         "tags_knowledge": ["O", "B"], "source": "tech"},
        {"idx": 2, "tokens": ["Bake", "bread"], "tags_skill": ["B", "I"],
         "tags_knowledge": ["O", "O"], "source": "house"},
    ]
    path = tmp_path / "ads.json"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    ads = load_job_ads(path)
    assert [(a.source, a.idx) for a in ads] == [("tech", 1), ("house", 2)]
    assert ads[0].text == "We want Python skills\nand git"
    assert ads[0].spans == (("knowledge", "Python"), ("knowledge", "git"))
    summary, per = evaluate_job_ads(fitted.set_params(top_k=2), tiny, path, details=True)
    row = summary.iloc[0]
    assert row["gold spans"] == 3 and row["postings"] == 2
    assert 0 <= row["span recall"] <= 1 and 0 <= row["precision"] <= 1
    assert row["knowledge-span recall"] == 1.0  # Python and git both extracted
    assert len(per) == 2
    fitted.set_params(top_k=20)


def test_popularity_is_leave_one_out(tiny: Taxonomy) -> None:
    ids = ["dev", "baker"]
    scores = popularity_scores(tiny, ids, list(tiny.skills)).toarray()
    cols = list(tiny.skills)
    # dough is essential for baker and pastry: seen twice from dev, once from baker
    assert scores[0, cols.index("dough")] > scores[1, cols.index("dough")]
    assert sample_occupations(tiny) == ["dev", "analyst", "baker", "pastry"]
    assert len(sample_occupations(tiny, 2, seed=1)) == 2


def test_evaluate_occupations_tiny(tiny: Taxonomy) -> None:
    table = evaluate_occupations(tiny, SkillExtractor().fit(tiny), k=2)
    assert list(table.index) == ["extractor", "popularity", "plain TF-IDF"]
    assert ((table[["recall@2", "precision@2", "MAP"]] >= 0) &
            (table[["recall@2", "precision@2", "MAP"]] <= 1)).all().all()


# =========================================================================== real data
def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"real data not found at {path}")
    return path


@pytest.fixture(scope="module")
def esco() -> Taxonomy:
    from pathways.io.esco import load_esco

    return load_esco(_need(DATA / "esco-1.1.1"))


@pytest.fixture(scope="module")
def esco_extractor(esco: Taxonomy) -> SkillExtractor:
    return SkillExtractor().fit(esco)


@pytest.mark.realdata
def test_obvious_text_finds_python_and_sql(esco_extractor: SkillExtractor) -> None:
    (found,) = esco_extractor.predict(
        ["We need someone skilled in Python programming and SQL databases"])
    ids = [sid for sid, _, _ in found]
    assert PYTHON in ids[:5] and SQL in ids[:5]
    assert all(a[2] >= b[2] for a, b in itertools.pairwise(found))
    assert len(found) <= 20


@pytest.mark.realdata
def test_notebook_small_slice(esco: Taxonomy, esco_extractor: SkillExtractor,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the notebook's code cells in order (default small slice), reusing the fitted model."""
    _need(DATA / "job-ads-skillspan" / "dev.json")
    monkeypatch.delenv("PATHWAYS_EVAL_FULL", raising=False)
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    namespace: dict[str, Any] = {"__name__": "__notebook__", "taxonomy": esco,
                                 "extractor": esco_extractor}
    monkeypatch.chdir(ROOT / "notebooks")
    for cell in cells:
        if cell["cell_type"] == "code":
            code = compile("".join(cell["source"]), str(NOTEBOOK), "exec")
            exec(code, namespace)  # noqa: S102 - our own notebook, as a notebook runner would
    occupations = namespace["occupation_table"]
    assert occupations.loc["extractor", "n"] == 150
    metrics = occupations[["recall@20", "precision@20", "MAP"]]
    assert ((metrics >= 0) & (metrics <= 1)).all().all()
    assert (occupations.loc["extractor", "recall@20"]
            > occupations.loc["popularity", "recall@20"])
    assert occupations.loc["extractor", "recall@20"] >= 0.35
    ads = namespace["ads_table"]
    assert list(ads.index) == ["description path", "job-ad path"]
    assert (ads["postings"] == 30).all()
    for col in ("span recall", "skill-span recall", "knowledge-span recall", "precision"):
        assert ((ads[col] >= 0) & (ads[col] <= 1)).all()
    # the job-ad path finds more of the gold spans, and more precisely, than the old path
    assert ads.loc["job-ad path", "span recall"] > ads.loc["description path", "span recall"]
    assert ads.loc["job-ad path", "precision"] > ads.loc["description path", "precision"]
    cv = namespace["cv_table"].iloc[0]
    assert cv["postings"] == 140 and 0 < cv["span recall"] < 1
    assert os.environ.get("PATHWAYS_EVAL_FULL") is None
