"""The job-ad path: tokens, tagger features, phrases, candidates, covering, the model files,
and SkillExtractor's routing and evidence (tiny data; the real ads are in test_jobad_ads)."""

from __future__ import annotations

import itertools
import json
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.domain import Skill
from pathways.errors import CatalogError
from pathways.skills import ExtractedSkill, SkillExtractor
from pathways.skills._phrases import content_tokens, phrases_of, split_list
from pathways.skills._tagger import (
    TAGS,
    TokenTagger,
    line_spans,
    token_features,
    tokenize,
    viterbi_spans,
)
from pathways.skills.evaluate import span_tokens
from pathways.skills.jobad import (
    FEATURES,
    MODEL_DIR,
    JobAdModel,
    LabelIndex,
    ad_shape,
    candidate_pairs,
    cover,
    looks_like_job_ad,
)
from pathways.taxonomy import Taxonomy

from .test_text import _tiny

AD = """Junior developer (m/f/d)

We are a small software company looking for a junior developer to join our team.

What you will do:
- Write Python and SQL for our reporting tools
- Use Git every day and review code with your colleagues

What you bring: strong SQL and Python skills, and you like baking bread on Fridays.
We offer a friendly team and flexible hours. Apply with your CV.
"""


# =========================================================================== tokens
def test_tokens_keep_their_offsets() -> None:
    text = "Skills:\n- C++/C# and Node.js, end-to-end tests.\nExcel"
    tokens = tokenize(text)
    assert [t.text for t in tokens][:9] == ["Skills", ":", "-", "C++", "/", "C#", "and",
                                            "Node.js", ","]
    assert all(text[t.start:t.end] == t.text for t in tokens)
    assert [t.line for t in tokens if t.text == "Excel"] == [2]


@given(st.text(alphabet=st.sampled_from(list("ab C+#.-/,\n:é1 ")), max_size=60))
@settings(max_examples=200, deadline=None)
def test_tokenize_covers_every_visible_character(text: str) -> None:
    tokens = tokenize(text)
    covered = set()
    for a, b in itertools.pairwise(tokens):
        assert a.end <= b.start and a.line <= b.line
    for t in tokens:
        assert text[t.start:t.end] == t.text and t.text.strip() == t.text
        covered.update(range(t.start, t.end))
    assert {i for i, ch in enumerate(text) if not ch.isspace()} == covered
    for a, b in line_spans(text):
        assert "\n" not in text[a:b]


@given(st.text(alphabet=st.sampled_from(list("aB c+#.-1 the and")), max_size=40))
@settings(max_examples=200, deadline=None)
def test_phrase_words_are_the_evaluation_words(text: str) -> None:
    assert frozenset(content_tokens(text)) == span_tokens(text)


def test_features_do_not_depend_on_the_hash_seed() -> None:
    code = ("import json\nfrom pathways.skills._tagger import tokenize, token_features\n"
            "X = token_features(tokenize('Strong SQL and Excel skills\\nPython'), 16)\n"
            "print(json.dumps(X.indices.tolist()))")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout
            for seed in ("1", "2")}
    assert len(runs) == 1
    X = token_features(tokenize("Strong SQL and Excel skills\nPython"), 16)
    assert X.shape == (6, 1 << 16) and X.indices.tolist() == json.loads(runs.pop())
    assert (X.data > 0).all()


# =========================================================================== decoding
def _valid(tags: list[int], lines: list[int]) -> bool:
    for i, t in enumerate(tags):
        if t in (2, 4) and (i == 0 or lines[i - 1] != lines[i] or tags[i - 1] not in (t - 1, t)):
            return False
    return True


@given(st.integers(1, 6).flatmap(lambda n: st.tuples(
    st.lists(st.lists(st.floats(0.01, 1.0), min_size=5, max_size=5), min_size=n, max_size=n),
    st.lists(st.integers(0, 1), min_size=n, max_size=n))))
@settings(max_examples=150, deadline=None)
def test_viterbi_is_the_best_valid_path(case: tuple[list[list[float]], list[int]]) -> None:
    rows, breaks = case
    proba = np.array(rows) / np.array(rows).sum(axis=1, keepdims=True)
    lines = list(itertools.accumulate(breaks))
    spans = viterbi_spans(proba, lines)
    tags = [0] * len(rows)
    for a, b, kind, _ in spans:
        assert len({lines[i] for i in range(a, b)}) == 1
        first = 1 if kind == "skill" else 3
        tags[a:b] = [first] + [first + 1] * (b - a - 1)
    assert _valid(tags, lines)
    logp = np.log(proba)

    def score(path: tuple[int, ...]) -> float:
        return float(sum(logp[i, t] for i, t in enumerate(path)))

    best = max(score(p) for p in itertools.product(range(5), repeat=len(rows))
               if _valid(list(p), lines))
    assert score(tuple(tags)) == pytest.approx(best)


# =========================================================================== phrases
def test_phrases_split_on_separators_and_lists() -> None:
    text = "strong SQL and Excel skills, Power BI/Tableau; java python c++ javascript"
    tokens = tokenize(text)
    known = {("sql",), ("excel",), ("java",), ("python",), ("c++",), ("javascript",),
             ("power", "bi"), ("tableau",)}
    phrases = phrases_of(text, tokens, [(0, len(tokens), 0.9, 0.5)], known.__contains__)
    wholes = [p.words for p in phrases if p.whole]
    assert wholes == [("strong", "sql"), ("excel", "skills"), ("power", "bi"), ("tableau",),
                      ("java",), ("python",), ("c++",), ("javascript",)]
    for p in phrases:
        assert p.span == (0, len(text)) and text[p.start:p.end]
        assert set(p.words) <= set(content_tokens(text[p.start:p.end]))
    # a long part also gives its one- and two-word sub-phrases, in the same slot
    text = "design complex end-to-end tests"
    tokens = tokenize(text)
    phrases = phrases_of(text, tokens, [(0, len(tokens), 0.8, 0.1)], lambda w: False)
    assert {p.slot for p in phrases} == {0}
    assert ("end", "end") in [p.words for p in phrases] and len(phrases[0].words) == 5
    assert split_list(["a", "b"], lambda w: True) is None  # too short to be a list


# =========================================================================== candidates
WORDS = ["sql", "data", "analysis", "excel", "python", "skills", "team"]


@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3), min_size=1,
                max_size=6),
       st.lists(st.sampled_from(WORDS), min_size=1, max_size=4))
@settings(max_examples=150, deadline=None)
def test_candidates_are_the_labels_sharing_half_the_words(labels: list[list[str]],
                                                           phrase: list[str]) -> None:
    skills = [Skill(f"s{i}", " ".join(words)) for i, words in enumerate(labels)]
    index = LabelIndex.from_skills(skills)
    text = " ".join(phrase)
    tokens = tokenize(text)
    phrases = phrases_of(text, tokens, [(0, len(tokens), 1.0, 0.0)], lambda w: False)
    whole = [p for p in phrases if p.whole]
    pr, sk, feats = candidate_pairs(index, whole, per_phrase=100)
    words = set(phrase)
    expected = {i for i, ws in enumerate(labels) if len(words & set(ws)) >= len(words) / 2}
    assert set(sk.tolist()) == expected and set(pr.tolist()) <= {0}
    for s, f in zip(sk.tolist(), feats, strict=True):
        shared = len(words & set(labels[s]))
        assert f[0] == pytest.approx(shared / len(words))  # overlap
        assert f[2] == pytest.approx(shared / len(set(labels[s])))  # coverage
        assert f[4] == float(words == set(labels[s]))  # exact


# =========================================================================== covering
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4), st.floats(0.0, 0.99)),
                min_size=1, max_size=12, unique_by=lambda t: (t[0], t[1])),
       st.integers(1, 3), st.sampled_from([0.0, 1.0, 2.0]))
@settings(max_examples=200, deadline=None)
def test_greedy_cover_against_brute_force(pairs: list[tuple[int, int, float]], k: int,
                                          power: float) -> None:
    slots = np.array([p[0] for p in pairs])
    skills = np.array([p[1] for p in pairs])
    q = np.array([p[2] for p in pairs])
    best = {sl: max(v for s2, _, v in pairs if s2 == sl) for sl, _, _ in pairs}

    def value(chosen: set[int]) -> float:  # the docstring's definition, written out
        miss = {sl: 1.0 for sl in best}
        for sl, sk, v in pairs:
            if sk in chosen and best[sl] > 0:
                miss[sl] *= 1.0 - (v / best[sl]) ** power
        return sum(best[sl] * (1.0 - m) for sl, m in miss.items())

    picked = cover(slots, skills, q, k, power=power)
    chosen = [s for s, _, _ in picked]
    assert len(set(chosen)) == len(chosen) <= k
    for i, (s, gain, p_any) in enumerate(picked):
        # each gain is the marginal value, the largest available at its step
        assert gain == pytest.approx(value(set(chosen[:i + 1])) - value(set(chosen[:i])))
        others = set(skills.tolist()) - set(chosen[:i])
        assert gain >= max(value(set(chosen[:i]) | {o}) for o in others) - value(
            set(chosen[:i])) - 1e-9
        rows = [v for sl, sk, v in pairs if sk == s]
        assert p_any == pytest.approx(1.0 - np.prod([1.0 - v for v in rows]))
    candidates = sorted(set(skills.tolist()))
    optimum = max(value(set(c)) for n in range(1, min(k, len(candidates)) + 1)
                  for c in itertools.combinations(candidates, n))
    # a coverage function: the greedy gets at least (1 - 1/e) of the best k skills
    assert value(set(chosen)) >= (1 - 1 / np.e) * optimum - 1e-9


def test_one_phrase_does_not_fill_five_places() -> None:
    # five skills read the same slot about as well; one skill reads another slot
    slots = np.array([0, 0, 0, 0, 0, 1])
    skills = np.array([1, 2, 3, 4, 5, 6])
    q = np.array([0.9, 0.88, 0.87, 0.86, 0.85, 0.5])
    order = [s for s, _, _ in cover(slots, skills, q, 3)]
    # the best reading covers slot 0: the other four add nothing and are not chosen
    assert order == [1, 6]


# =========================================================================== path choice
def test_ad_shape_and_routing() -> None:
    assert ad_shape(AD)[1] >= 3
    assert looks_like_job_ad(AD)
    assert not looks_like_job_ad("We need someone skilled in Python programming and SQL.")
    description = ("Data analysts import, inspect, clean, transform, validate, model, or "
                   "interpret collections of data with regard to the business goals of the "
                   "company. They ensure that the data sources and repositories provide "
                   "consistent and reliable data. Data analysts use different algorithms "
                   "and IT tools as demanded by the situation and the current data. They "
                   "might prepare reports in the form of visualisations such as graphs, "
                   "charts, and dashboards.")
    assert not looks_like_job_ad(description)
    assert looks_like_job_ad(" ".join([description] * 4))  # long: an ad by length alone


# =========================================================================== the model files
def test_shipped_model_loads_with_attribution() -> None:
    model = JobAdModel.load()
    assert model.tagger.weights.shape == (1 << model.tagger.bits, len(TAGS))
    assert model.coef.shape == (2, len(FEATURES))
    meta = model.metadata
    assert "This service uses the ESCO classification of the European Commission." in (
        meta["attribution"]["esco"])
    assert "MIT" in meta["attribution"]["skillspan"]
    assert meta["training_data"]["file"] == "job-ads-skillspan/train.json"
    x, y = model.calibration
    assert x[0] == 0.0 and x[-1] == 1.0 and (np.diff(y) >= 0).all()
    readme = (MODEL_DIR / "README.md").read_text(encoding="utf-8")
    assert "SkillSpan" in readme and "ESCO" in readme and meta["version"] in readme
    total = sum(p.stat().st_size for p in MODEL_DIR.iterdir())
    assert total < 4_000_000


def test_model_save_is_deterministic_and_round_trips(tmp_path: Path) -> None:
    model = JobAdModel.load()
    a = model.save(tmp_path / "a")
    b = model.save(tmp_path / "b")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    again = JobAdModel.load(tmp_path / "a")
    assert np.array_equal(again.tagger.weights, model.tagger.weights)
    assert np.allclose(again.coef, model.coef, atol=1e-6)
    assert again.priors.keys() == model.priors.keys()


def test_broken_model_files_are_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"jobad\.json.*cannot read the job-ad model"):
        JobAdModel.load(tmp_path)
    (tmp_path / "jobad.json").write_text("{}", encoding="utf-8")
    (tmp_path / "jobad.npz").write_bytes(b"not a zip")
    with pytest.raises(CatalogError, match="train_skill_tagger"):
        JobAdModel.load(tmp_path)


# =========================================================================== SkillExtractor
@pytest.fixture(scope="module")
def tiny() -> Taxonomy:
    return _tiny()


@pytest.fixture(scope="module")
def fitted(tiny: Taxonomy) -> SkillExtractor:
    return SkillExtractor(threshold=0.0).fit(tiny)


def test_routing_by_shape(fitted: SkillExtractor, tiny: Taxonomy) -> None:
    assert fitted.is_job_ad(AD)
    assert not fitted.is_job_ad("We want a Python programmer")
    never = SkillExtractor(job_ads="never").fit(tiny)
    assert never.jobad_model_ is None and not never.is_job_ad(AD)
    always = SkillExtractor(job_ads="always").fit(tiny)
    assert always.is_job_ad("Python")
    with pytest.raises(ValueError, match="job_ads must be one of"):
        SkillExtractor(job_ads="sometimes").fit(tiny)
    with pytest.raises(ValueError, match="ad_min_words"):
        SkillExtractor(ad_min_words=300, ad_long_words=200).fit(tiny)


def test_extract_gives_evidence_from_the_text(fitted: SkillExtractor) -> None:
    (found,) = fitted.extract([AD])
    assert found and all(isinstance(r, ExtractedSkill) for r in found)
    ids = [r.skill_id for r in found]
    assert "py" in ids and "sql" in ids and len(set(ids)) == len(ids)
    for r in found:
        assert r.evidence and AD[r.start:r.end] == r.evidence
        assert 0.0 <= r.score <= 1.0
    sql = next(r for r in found if r.skill_id == "sql")
    assert "SQL" in sql.evidence
    assert [s for s, _, _ in fitted.predict([AD])[0]] == ids
    assert all(a.score >= b.score for a, b in itertools.pairwise(found))
    with pytest.raises(AttributeError):
        found[0].score = 1.0  # type: ignore[misc]  # frozen


def test_description_path_evidence(fitted: SkillExtractor) -> None:
    (found,) = fitted.extract(["We want a Python programmer who knows SQL"])
    by_id = {r.skill_id: r for r in found}
    assert by_id["sql"].evidence == "SQL" and by_id["py"].evidence == "Python"
    text = "We want a Python programmer who knows SQL"
    assert text[by_id["sql"].start:by_id["sql"].end] == "SQL"
    unnamed = [r for r in found if r.skill_id not in ("sql", "py", "git")]
    assert all(r.evidence == "" and r.start == -1 for r in unnamed)


def test_transform_rows_of_ads_are_the_selection(fitted: SkillExtractor) -> None:
    scores = fitted.transform([AD, "bread"])
    (found,) = fitted.extract([AD])
    cols = list(fitted.get_feature_names_out())
    row = scores[0].toarray()[0]
    for r in found:
        assert row[cols.index(r.skill_id)] == pytest.approx(r.score)
    assert scores.shape == (2, len(cols))


def test_threshold_and_top_k_apply_to_ads(tiny: Taxonomy) -> None:
    ext = SkillExtractor(threshold=0.0, top_k=1).fit(tiny)
    assert len(ext.predict([AD])[0]) == 1
    strict = SkillExtractor(threshold=1.0).fit(tiny)
    assert all(s == 1.0 for _, _, s in strict.predict([AD])[0])


def test_pickle_keeps_the_job_ad_path(fitted: SkillExtractor) -> None:
    copy = pickle.loads(pickle.dumps(fitted))
    assert copy.extract([AD]) == fitted.extract([AD])


def test_empty_and_blank_ads(tiny: Taxonomy) -> None:
    ext = SkillExtractor(job_ads="always").fit(tiny)
    assert ext.extract(["", "   \n  "]) == [[], []]
    assert ext.transform([""]).nnz == 0


def test_token_tagger_shapes() -> None:
    tagger = TokenTagger(np.zeros((1 << 8, 5), dtype=np.float32), np.zeros(5), 8)
    proba = tagger.predict_proba(tokenize("a b c"))
    assert proba.shape == (3, 5) and np.allclose(proba, 0.2)
    assert tagger.predict_proba([]).shape == (0, 5)
