"""Training the job-ad path on SkillSpan postings (used by ``scripts/train_skill_tagger.py``).

Everything here is deterministic: folds come from ``numpy.random.default_rng(seed)``, the
solvers are L-BFGS (no random state), the isotonic fit is exact, and candidates are ordered
by (score, column). Steps (:func:`train`):

1. Read the postings with their BIO tags (:func:`load_tagged`); tags are moved onto
   :func:`~pathways.skills._tagger.tokenize`'s tokens (a token inside a SkillSpan token
   continues its tag). Where a token is in both a skill and a knowledge span (0.4 % of the
   tokens, knowledge nested in skill), the skill tag wins.
2. Tagger: multinomial logistic regression over the hashed features; its out-of-fold
   probabilities (``n_folds`` folds by posting) feed the next steps, so that the scorer
   learns from the tagger's errors as they are on unseen ads.
3. Candidate pairs of every posting (:func:`~pathways.skills.jobad.read_ad`); a pair is
   positive when the skill matches, by the evaluation's rule (label overlap >= 0.5), a
   gold span that overlaps the phrase.
4. Per-skill priors: smoothed log-odds that a candidate of the skill is positive, computed
   out-of-fold (a posting's pairs use the other folds' counts).
5. Scorer: logistic regression over standardised :data:`~pathways.skills.jobad.FEATURES`.
6. Calibration: isotonic regression of "the skill matches a gold span of the posting" on
   ``P(any)`` of the skills the covering selection picks, out-of-fold.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from pathways.skills._phrases import content_tokens
from pathways.skills._tagger import Token, TokenTagger, token_features, tokenize
from pathways.skills.jobad import (
    FEATURES,
    JobAdModel,
    LabelIndex,
    Reading,
    choose,
    context_factor,
    name_floor,
    read_ad,
)

__all__ = ["TaggedPosting", "load_tagged", "train"]

_BRACKETS = re.compile(r"\([^)]*\)")
_TAG_ID = {("B", "skill"): 1, ("I", "skill"): 2, ("B", "knowledge"): 3, ("I", "knowledge"): 4}


@dataclass(frozen=True, eq=False)
class TaggedPosting:
    """A SkillSpan posting: text (one line per sentence, as
    :func:`pathways.skills.evaluate.load_job_ads`), tokens, tag ids per token (column of
    :data:`~pathways.skills._tagger.TAGS`) and gold spans ``(kind, start, end)``."""

    source: str
    idx: int
    text: str
    tokens: list[Token]
    tags: np.ndarray
    gold: tuple[tuple[str, int, int], ...]


def _layer_spans(cells: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    current: list[int] | None = None
    for start, end, tag in cells:
        if tag == "B" or (tag == "I" and current is None):
            current = [start, end]
            out.append(current)
        elif tag == "I" and current is not None:
            current[1] = end
        else:
            current = None
    return [(a, b) for a, b in out]


def load_tagged(path: str | os.PathLike[str]) -> list[TaggedPosting]:
    """Postings of a SkillSpan JSON-lines file with their tags, in file order."""
    groups: dict[tuple[str, int], list[dict[str, Any]]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                groups.setdefault((str(rec["source"]), int(rec["idx"])), []).append(rec)
    out = []
    for (source, idx), recs in groups.items():
        pos = 0
        cells: list[tuple[int, int, str, str]] = []
        gold: list[tuple[str, int, int]] = []
        lines = []
        for n, rec in enumerate(recs):
            if n:
                pos += 1
            row = []
            for k, (tok, ts, tk) in enumerate(zip(rec["tokens"], rec["tags_skill"],
                                                   rec["tags_knowledge"], strict=True)):
                if k:
                    pos += 1
                row.append((pos, pos + len(tok), ts, tk))
                pos += len(tok)
            for kind, col in (("skill", 2), ("knowledge", 3)):
                gold.extend((kind, a, b) for a, b in
                            _layer_spans([(r[0], r[1], r[col]) for r in row]))
            cells.extend(row)
            lines.append(" ".join(rec["tokens"]))
        text = "\n".join(lines)
        tokens = tokenize(text)
        starts = np.array([c[0] for c in cells])
        tags = np.zeros(len(tokens), dtype=np.int64)
        for i, t in enumerate(tokens):
            s, _, ts, tk = cells[int(np.searchsorted(starts, t.start, side="right")) - 1]
            inner = t.start != s
            for tag, kind in ((ts, "skill"), (tk, "knowledge")):
                if tag in ("B", "I"):
                    tags[i] = _TAG_ID[("I" if inner else tag, kind)]
                    break
        out.append(TaggedPosting(source, idx, text, tokens, tags, tuple(gold)))
    return out


# =========================================================================== tagger
def folds_of(n: int, n_folds: int, seed: int) -> np.ndarray:
    """Fold number of each of ``n`` postings: a seeded permutation, dealt round robin."""
    return np.random.default_rng(seed).permutation(n) % n_folds


def _fit_pass(X: sp.csr_matrix, y: np.ndarray, C: float, max_iter: int
              ) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression (L-BFGS): ``(coef.T, intercept)``."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=C, max_iter=max_iter, tol=1e-4)
    model.fit(X, y)
    if list(model.classes_) != list(range(5)):
        raise ValueError(f"the training postings lack some tags: {list(model.classes_)}")
    return model.coef_.T, model.intercept_.astype(np.float64)


def fit_tagger(postings: Sequence[TaggedPosting], *, bits: int, C: float,
               max_iter: int = 500) -> TokenTagger:
    """Multinomial logistic regression (L-BFGS) of the tags on the hashed features."""
    X = sp.vstack([token_features(p.tokens, bits) for p in postings], format="csr")
    coef, intercept = _fit_pass(X, np.concatenate([p.tags for p in postings]), C, max_iter)
    # float16 as shipped, so that out-of-fold predictions see the weights inference sees
    return TokenTagger(coef.astype(np.float16).astype(np.float32), intercept, bits)


# =========================================================================== pairs, targets
@dataclass(frozen=True, eq=False)
class Example:
    """A posting's reading with the targets of each candidate pair: ``y[:, 0]`` the match
    target, ``y[:, 1]`` the strict one (:func:`targets`); ``context`` the description
    path's rank of each pair's skill for the whole posting."""

    posting: TaggedPosting
    reading: Reading
    y: np.ndarray
    context: np.ndarray


def core_words(label: str) -> frozenset[str]:
    """The words of a label without its qualifiers in brackets.

    >>> sorted(core_words("Python (computer programming)"))
    ['python']
    """
    return frozenset(content_tokens(_BRACKETS.sub(" ", label))) or frozenset(
        content_tokens(label))


def targets(posting: TaggedPosting, reading: Reading,
            label_words: Sequence[Sequence[frozenset[str]]],
            label_cores: Sequence[Sequence[frozenset[str]]]) -> np.ndarray:
    """``(n_pairs, 2)`` booleans: does the pair's skill match a gold span that overlaps the
    phrase, by the evaluation's rule (at least half of the span's words in one label), and
    strictly (also at least half of that label's core words, :func:`core_words`, in the
    span)?"""
    gold = [(a, b, frozenset(content_tokens(posting.text[a:b])))
            for _, a, b in posting.gold]
    y = np.zeros((len(reading.pair_phrase), 2), dtype=bool)
    for r, (row, skill) in enumerate(zip(reading.pair_phrase.tolist(),
                                         reading.pair_skill.tolist(), strict=True)):
        p = reading.phrases[row]
        for a, b, words in gold:
            if not (a < p.end and p.start < b and words):
                continue
            if not y[r, 0] and any(len(words & lw) / len(words) >= 0.5
                                   for lw in label_words[skill]):
                y[r, 0] = True
            if any(len(words & lw) / len(words) >= 0.5 and len(words & lw) / len(lw) >= 0.5
                   for lw in label_cores[skill]):
                y[r] = True
                break
    return y


def matches_any(words_of_gold: Sequence[frozenset[str]], label_words: Sequence[frozenset[str]]
                ) -> bool:
    """Whether a skill (its labels' word sets) matches any gold span (the overlap rule)."""
    return any(g and any(len(g & lw) / len(g) >= 0.5 for lw in label_words)
               for g in words_of_gold)


# =========================================================================== priors
def prior_counts(examples: Sequence[Example], n_skills: int) -> tuple[np.ndarray, np.ndarray]:
    """Per skill column: positive candidate pairs ``(n_skills, 2)`` (one column per
    target) and all candidate pairs ``(n_skills,)``."""
    pos = np.zeros((n_skills, 2))
    cnt = np.zeros(n_skills)
    for ex in examples:
        np.add.at(cnt, ex.reading.pair_skill, 1.0)
        np.add.at(pos, ex.reading.pair_skill, ex.y.astype(float))
    return pos, cnt


def priors_from(pos: np.ndarray, cnt: np.ndarray, *, strength: float = 2.0
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Smoothed log-odds per skill and target (toward the overall rate), seen flags, and
    the overall log-odds per target."""
    base = np.clip(pos.sum(axis=0) / max(cnt.sum(), 1.0), 1e-6, 1 - 1e-6)
    prior = np.log((pos + strength * base) / (cnt[:, None] - pos + strength * (1.0 - base)))
    return prior, cnt > 0, np.log(base / (1.0 - base))


def _with_priors(X: np.ndarray, skills: np.ndarray, prior: np.ndarray, seen: np.ndarray
                 ) -> np.ndarray:
    out = X.copy()
    out[:, FEATURES.index("prior")] = prior[skills]
    out[:, FEATURES.index("prior_seen")] = seen[skills]
    return out


# =========================================================================== scorer
@dataclass(frozen=True)
class Scorer:
    coef: np.ndarray
    intercept: float
    mean: np.ndarray
    scale: np.ndarray

    def __call__(self, X: np.ndarray) -> np.ndarray:
        z = ((X - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


def fit_scorer(X: np.ndarray, y: np.ndarray, *, C: float = 1.0) -> Scorer:
    """Logistic regression (L-BFGS) on standardised features."""
    from sklearn.linear_model import LogisticRegression

    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    if len(np.unique(y)) < 2:  # a degenerate (tiny) training set: a constant rating
        rate = float(np.clip(np.mean(y) if len(y) else 0.5, 0.01, 0.99))
        return Scorer(np.zeros(X.shape[1]), float(np.log(rate / (1 - rate))), mean, scale)
    model = LogisticRegression(C=C, max_iter=2000, tol=1e-6)
    model.fit((X - mean) / scale, y)
    return Scorer(model.coef_[0].astype(np.float64), float(model.intercept_[0]), mean, scale)


def fit_isotonic(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Knots of the isotonic (increasing) regression of ``y`` on ``x``, from (0, .) to (1, .)."""
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(y_min=0.0, y_max=1.0, increasing=True, out_of_bounds="clip")
    iso.fit(x, y.astype(float))
    xs = np.r_[0.0, iso.X_thresholds_, 1.0]
    ys = np.r_[iso.predict([0.0]), iso.y_thresholds_, iso.predict([1.0])]
    # drop knots that change nothing (a flat run keeps its ends), round for the JSON file
    keep = np.ones(len(xs), dtype=bool)
    keep[1:-1] = ~((ys[1:-1] == ys[:-2]) & (ys[1:-1] == ys[2:]))
    return np.round(xs[keep], 6), np.round(ys[keep], 6)


# =========================================================================== the pipeline
@dataclass(frozen=True)
class Settings:
    """Training and inference settings (written into the model's ``settings``)."""

    bits: int = 17
    tagger_C: float = 0.15
    scorer_C: float = 1.0
    boost: float = 8.0
    per_phrase: int = 60
    top_k: int = 20
    blend: float = 0.25
    rank_blend: float = 0.25
    context_rank: float = 3000.0
    context_power: float = 1.0
    cover_power: float = 2.0
    n_folds: int = 5
    seed: int = 0


def make_examples(postings: Sequence[TaggedPosting], probas: Sequence[np.ndarray],
                  extractor: Any, index: LabelIndex,
                  label_words: Sequence[Sequence[frozenset[str]]],
                  label_cores: Sequence[Sequence[frozenset[str]]],
                  settings: Settings) -> list[Example]:
    """Readings of the postings from the given tagger probabilities, with pair targets."""
    zeros = np.zeros(len(extractor.skill_ids_))
    out = []
    for p, proba in zip(postings, probas, strict=True):
        dense = extractor._scores([p.text], [()])[0]
        rank = np.empty(len(dense))
        rank[np.argsort(-dense, kind="stable")] = np.arange(len(dense))
        reading = read_ad(p.text, proba, p.tokens, index,
                          char_vectors=extractor._char_vectors,
                          skill_char=extractor._skill_char_matrix(),
                          neighbour=extractor._neighbour_vector(p.text),
                          prior=zeros, prior_seen=zeros.astype(bool),
                          boost=settings.boost, per_phrase=settings.per_phrase)
        out.append(Example(p, reading, targets(p, reading, label_words, label_cores),
                           rank[reading.pair_skill]))
    return out


def span_metrics(examples: Sequence[Example], chosen: Sequence[Sequence[int]],
                 label_words: Sequence[Sequence[frozenset[str]]]) -> dict[str, float]:
    """Span recall (all, skill, knowledge) and precision of chosen skill columns, by the rule
    of :func:`pathways.skills.evaluate.evaluate_job_ads`."""
    found = {"skill": 0, "knowledge": 0}
    total = {"skill": 0, "knowledge": 0}
    n_chosen = n_right = 0
    for ex, cols in zip(examples, chosen, strict=True):
        text = ex.posting.text
        gold = [(kind, frozenset(content_tokens(text[a:b]))) for kind, a, b in ex.posting.gold]
        for kind, words in gold:
            total[kind] += 1
            found[kind] += int(any(matches_any([words], label_words[c]) for c in cols))
        n_chosen += len(cols)
        n_right += sum(matches_any([w for _, w in gold], label_words[c]) for c in cols)
    n = total["skill"] + total["knowledge"]
    return {"span recall": (found["skill"] + found["knowledge"]) / n if n else float("nan"),
            "skill-span recall": found["skill"] / max(total["skill"], 1),
            "knowledge-span recall": found["knowledge"] / max(total["knowledge"], 1),
            "precision": n_right / n_chosen if n_chosen else float("nan"),
            "postings": len(examples), "gold spans": n, "extracted": n_chosen}


def train(train_path: str | os.PathLike[str], taxonomy: Any, *,
          settings: Settings = Settings(), threshold: float = 0.15,
          log: Any = print) -> tuple[JobAdModel, dict[str, Any]]:
    """Train the job-ad model on SkillSpan ``train_path`` (see the module docstring).

    ``taxonomy`` is the taxonomy the model will serve (ESCO): a description-path
    :class:`~pathways.skills.text.SkillExtractor` fitted on it gives the character space and
    the neighbour scores, :class:`~pathways.skills.jobad.LabelIndex` the candidates.
    Returns the model and a report (cross-validated quality on the training postings, at
    ``threshold`` and ``settings.top_k``).
    """
    from pathways.skills.text import SkillExtractor

    extractor = SkillExtractor(job_ads="never").fit(taxonomy)
    skills = list(taxonomy.skills.values())
    index = LabelIndex.from_skills(skills, reuse_levels=getattr(taxonomy, "reuse_levels", None),
                                   skill_types=getattr(taxonomy, "skill_types", None))
    label_words = [[frozenset(content_tokens(x)) for x in (s.label, *s.alt_labels)]
                   for s in skills]
    label_cores = [[core_words(x) for x in (s.label, *s.alt_labels)] for s in skills]
    postings = load_tagged(train_path)
    n = len(postings)
    k_folds = settings.n_folds
    folds = folds_of(n, k_folds, settings.seed)
    log(f"{n} postings, {sum(len(p.tokens) for p in postings)} tokens, "
        f"{sum(len(p.gold) for p in postings)} gold spans; {k_folds} folds")

    probas: list[np.ndarray] = [np.zeros((0, 5))] * n
    for f in range(k_folds):
        tagger = fit_tagger([p for p, g in zip(postings, folds, strict=True) if g != f],
                            bits=settings.bits, C=settings.tagger_C)
        for i in np.flatnonzero(folds == f):
            probas[i] = tagger.predict_proba(postings[i].tokens)
        log(f"tagger, fold {f + 1}/{k_folds}")
    tagger = fit_tagger(postings, bits=settings.bits, C=settings.tagger_C)
    log("tagger, all postings")

    examples = make_examples(postings, probas, extractor, index, label_words, label_cores,
                             settings)
    n_skills = len(skills)
    counts = [prior_counts([e for e, g in zip(examples, folds, strict=True) if g == f],
                           n_skills) for f in range(k_folds)]

    def priors_without(excluded: set[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        pos = sum((c[0] for f, c in enumerate(counts) if f not in excluded),
                  np.zeros((n_skills, 2)))
        cnt = sum((c[1] for f, c in enumerate(counts) if f not in excluded),
                  np.zeros(n_skills))
        return priors_from(pos, cnt)

    def fit_both(excluded: set[int]) -> list[Scorer]:
        """The two scorers, trained without the ``excluded`` folds, priors out-of-fold."""
        out = []
        for k in range(2):
            Xs, ys = [], []
            for g in range(k_folds):
                if g in excluded:
                    continue
                prior, seen, _ = priors_without(excluded | {g})
                for ex in (e for e, h in zip(examples, folds, strict=True) if h == g):
                    Xs.append(_with_priors(ex.reading.X, ex.reading.pair_skill,
                                           prior[:, k], seen))
                    ys.append(ex.y[:, k])
            out.append(fit_scorer(np.vstack(Xs), np.concatenate(ys), C=settings.scorer_C))
        return out

    # names (one word, same case as in a label): right at about this rate per unit of
    # tagger probability (least squares through 0 of the blended targets)
    is_name = np.concatenate([e.reading.X[:, FEATURES.index("name_match")] > 0
                              for e in examples])
    tagged = np.concatenate([e.reading.X[:, FEATURES.index("tagger")] for e in examples])
    both = np.vstack([e.y for e in examples]).astype(float)
    blended = both[:, 0] ** (1 - settings.blend) * both[:, 1] ** settings.blend
    p_names = tagged[is_name]
    name_slope = (float(p_names @ blended[is_name] / (p_names @ p_names))
                  if is_name.any() else 0.0)
    log(f"names: {int(is_name.sum())} pairs, slope {name_slope:.3f}")

    def rate(ex: Example, scorers: list[Scorer], prior: np.ndarray, seen: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
        """The value and rank ratings of a posting's pairs, as inference makes them."""
        outputs = [sc(_with_priors(ex.reading.X, ex.reading.pair_skill, prior[:, k], seen))
                   for k, sc in enumerate(scorers)]
        factor = (context_factor(ex.context, settings.context_rank, settings.context_power)
                  if settings.context_rank > 0 else 1.0)
        return tuple(  # type: ignore[return-value]
            name_floor(outputs[0] ** (1 - b) * outputs[1] ** b, ex.reading.X, name_slope)
            * factor for b in (settings.blend, settings.rank_blend))

    # cross-validation: scorers and priors without the held-out fold
    held: list[Example] = []
    picks: list[list[tuple[int, float, float, int]]] = []
    for f in range(k_folds):
        scorers = fit_both({f})
        prior, seen, _ = priors_without({f})
        for ex in (e for e, g in zip(examples, folds, strict=True) if g == f):
            held.append(ex)
            q, rank = rate(ex, scorers, prior, seen)
            picks.append(choose(ex.reading, q, settings.top_k, rank=rank,
                                power=settings.cover_power))
        log(f"scorers, fold {f + 1}/{k_folds}")
    p_any = np.array([p for ps in picks for _, _, p, _ in ps])
    right = np.array([matches_any([frozenset(content_tokens(ex.posting.text[a:b]))
                                   for _, a, b in ex.posting.gold], label_words[c])
                      for ex, ps in zip(held, picks, strict=True) for c, _, _, _ in ps])
    calibration = fit_isotonic(p_any, right)
    cut = [[c for c, _, p, _ in ps if np.interp(p, *calibration) >= threshold] for ps in picks]
    report = {
        "cv": span_metrics(held, cut, label_words),
        "cv_top_k": span_metrics(held, [[c for c, _, _, _ in ps] for ps in picks],
                                 label_words),
        "cv_strict_precision": strict_precision(held, cut, label_cores),
    }
    log(f"cross-validated: {report['cv']}, strict precision "
        f"{report['cv_strict_precision']:.4f}")

    scorers = fit_both(set())
    prior, seen, default = priors_without(set())
    skill_ids = [s.id for s in skills]
    priors = {skill_ids[c]: (float(prior[c, 0]), float(prior[c, 1]))
              for c in np.flatnonzero(seen)}
    model = JobAdModel(
        tagger=tagger, coef=np.array([sc.coef for sc in scorers]),
        intercept=np.array([sc.intercept for sc in scorers]),
        mean=np.array([sc.mean for sc in scorers]),
        scale=np.array([sc.scale for sc in scorers]),
        priors=priors, default_prior=default, blend=settings.blend, calibration=calibration,
        settings={"boost": settings.boost, "per_phrase": settings.per_phrase,
                  "context_rank": settings.context_rank,
                  "context_power": settings.context_power,
                  "name_slope": round(name_slope, 6), "cover_power": settings.cover_power,
                  "rank_blend": settings.rank_blend},
        metadata={})
    n_pairs = sum(len(e.y) for e in examples)
    positive = np.sum([e.y.sum(axis=0) for e in examples], axis=0)
    return model, {**report, "settings": dict(settings.__dict__), "pairs": int(n_pairs),
                   "positive pairs": [int(x) for x in positive]}


def strict_precision(examples: Sequence[Example], chosen: Sequence[Sequence[int]],
                     label_cores: Sequence[Sequence[frozenset[str]]]) -> float:
    """Share of chosen skills that strictly match a gold span of their posting (half of
    the span's words in a label and half of that label's core words in the span)."""
    n = right = 0
    for ex, cols in zip(examples, chosen, strict=True):
        gold = [frozenset(content_tokens(ex.posting.text[a:b])) for _, a, b in ex.posting.gold]
        for c in cols:
            n += 1
            right += any(g and any(len(g & w) / len(g) >= 0.5 and len(g & w) / len(w) >= 0.5
                                   for w in label_cores[c]) for g in gold)
    return right / n if n else float("nan")


def routing_report(taxonomy: Any, postings: Sequence[TaggedPosting], *, min_words: int,
                   long_words: int, sizes: Sequence[int] = (40, 60, 100, 150)
                   ) -> dict[str, Any]:
    """How :func:`~pathways.skills.jobad.looks_like_job_ad` routes ESCO occupation
    descriptions (should be: never an ad), the training postings (always) and excerpts of
    them of about ``sizes`` words (whole lines, one every seven lines)."""
    from pathways.skills.jobad import looks_like_job_ad

    def is_ad(text: str) -> bool:
        return looks_like_job_ad(text, min_words=min_words, long_words=long_words)

    descriptions = [j.description for j in taxonomy.jobs.values() if j.description.strip()]
    out: dict[str, Any] = {
        "esco_descriptions_as_ads": sum(map(is_ad, descriptions)),
        "esco_descriptions": len(descriptions),
        "postings_as_ads": sum(is_ad(p.text) for p in postings),
        "postings": len(postings),
        "excerpts_as_ads": {},
    }
    for size in sizes:
        n = hits = 0
        for p in postings:
            lines = p.text.split("\n")
            for start in range(0, len(lines), 7):
                chunk: list[str] = []
                words = 0
                for line in lines[start:]:
                    chunk.append(line)
                    words += len(line.split())
                    if words >= size:
                        break
                if words >= size:
                    n += 1
                    hits += is_ad("\n".join(chunk))
        out["excerpts_as_ads"][str(size)] = round(hits / n, 4) if n else None
    return out
