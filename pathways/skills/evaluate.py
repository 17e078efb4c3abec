"""How well :class:`~pathways.skills.text.SkillExtractor` finds skills in text, on real data.

Two benchmarks, each returning a :class:`pandas.DataFrame` (one row per method):

ESCO occupations (:func:`evaluate_occupations`)
    The query is an occupation's description; the relevant items are its essential skills.
    Leave-one-out: the occupation itself is excluded from the neighbours that vote, so its own
    requirements never help. Methods: the extractor, a *popularity* baseline (the skills most
    often essential among the other occupations) and *plain TF-IDF* (word TF-IDF cosine
    between the description and each skill's label, alt labels and description).
    Metrics, averaged over occupations with at least one essential skill:

    * ``recall@k`` = |relevant in top k| / |relevant|;
    * ``precision@k`` = |relevant in top k| / k;
    * ``MAP`` = mean average precision: AP = sum over relevant skills ranked at position r of
      precision@r, divided by |relevant|; the ranked list is the method's top
      ``n_candidates`` (200 by default), relevant skills beyond it add 0.

Job ads (:func:`evaluate_job_ads`)
    SkillSpan postings (``dev.json``/``train.json``: JSON lines with ``idx``, ``tokens``,
    ``tags_skill``, ``tags_knowledge``, ``source``; a posting is the lines sharing
    ``(source, idx)``, consecutive in the file) with gold skill and knowledge spans from their
    BIO tags. An extracted skill *matches* a span when the token overlap of the span with the
    skill's preferred label or any alt label is at least ``min_overlap`` (0.5)::

        overlap(span, label) = |T(span) & T(label)| / |T(span)|

    where ``T`` is the set of lowercased alphanumeric tokens (``[a-z0-9]+`` plus ``+``/``#``
    suffixes, as in ``c++``) that are not English stop words; a span with no such token never
    matches. ``span recall`` = matched gold spans / gold spans (over all postings);
    ``precision`` = extracted skills that match at least one gold span of their posting /
    extracted skills. The extractor's ``predict`` (``top_k``, ``threshold``) decides what is
    extracted.

:func:`tune_extractor` is the grid search that chose the extractor's defaults.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from pathways.errors import CatalogError, Diagnostic
from pathways.skills.text import SkillExtractor

__all__ = [
    "JobAd",
    "dev_test_split",
    "evaluate_job_ads",
    "evaluate_occupations",
    "load_job_ads",
    "popularity_scores",
    "ranking_metrics",
    "sample_occupations",
    "span_overlap",
    "span_tokens",
    "tune_extractor",
    "tune_threshold",
]

_TOKEN = re.compile(r"[a-z0-9]+[+#]*")


# =========================================================================== ranking metrics
def ranking_metrics(scores: sp.spmatrix | np.ndarray, relevant: Sequence[Iterable[int]],
                    *, k: int = 20) -> dict[str, float]:
    """Mean recall@k, precision@k and MAP of score rows against relevant column sets.

    Rows with no relevant column are left out. Within a row, columns are ranked by score
    (higher first; ties by column index); columns scoring 0 or absent from a sparse row are
    not ranked (a relevant one adds 0 to AP).

    >>> import numpy as np
    >>> m = ranking_metrics(np.array([[0.9, 0.8, 0.0, 0.7]]), [{1, 2}], k=2)
    >>> m["recall@2"], m["precision@2"], m["MAP"]
    (0.5, 0.5, 0.25)
    """
    csr = sp.csr_matrix(scores)
    recalls: list[float] = []
    precisions: list[float] = []
    aps: list[float] = []
    for i, rel in enumerate(relevant):
        rel = set(rel)
        if not rel:
            continue
        start, stop = csr.indptr[i], csr.indptr[i + 1]
        cols, vals = csr.indices[start:stop], csr.data[start:stop]
        keep = vals > 0
        cols, vals = cols[keep], vals[keep]
        order = cols[np.lexsort((cols, -vals))]
        hits = np.fromiter((c in rel for c in order), dtype=bool, count=len(order))
        top = hits[:k].sum()
        recalls.append(top / len(rel))
        precisions.append(top / k)
        if hits.any():
            ranks = np.flatnonzero(hits) + 1
            aps.append(float((np.arange(1, len(ranks) + 1) / ranks).sum() / len(rel)))
        else:
            aps.append(0.0)
    if not recalls:
        return {f"recall@{k}": float("nan"), f"precision@{k}": float("nan"), "MAP": float("nan"),
                "n": 0}
    return {f"recall@{k}": float(np.mean(recalls)), f"precision@{k}": float(np.mean(precisions)),
            "MAP": float(np.mean(aps)), "n": len(recalls)}


# =========================================================================== ESCO occupations
def sample_occupations(taxonomy: Any, n: int | None = None, *, seed: int = 0) -> list[str]:
    """Ids of occupations with a description and an essential skill; ``n`` of them at random.

    The sample is drawn with ``numpy.random.default_rng(seed)`` and returned in taxonomy order.
    """
    ids = [j.id for j in taxonomy.jobs.values()
           if j.description.strip() and any(r.essential and r.skill in taxonomy.skills
                                            for r in j.skills)]
    if n is None or n >= len(ids):
        return ids
    picked = set(np.random.default_rng(seed).choice(len(ids), size=n, replace=False).tolist())
    return [o for i, o in enumerate(ids) if i in picked]


def dev_test_split(taxonomy: Any, *, dev_fraction: float = 0.3, seed: int = 0
                   ) -> tuple[list[str], list[str]]:
    """The tuning (dev) and held-out (test) occupations of :func:`sample_occupations`.

    The dev split is ``sample_occupations(taxonomy, int(n * dev_fraction), seed=seed)``, the
    one the extractor defaults were tuned on; test is every other evaluable occupation.
    """
    ids = sample_occupations(taxonomy)
    dev = sample_occupations(taxonomy, max(1, int(len(ids) * dev_fraction)), seed=seed)
    chosen = set(dev)
    return dev, [o for o in ids if o not in chosen]


def _relevant(taxonomy: Any, ids: Sequence[str], column: dict[str, int]) -> list[set[int]]:
    return [{column[r.skill] for r in taxonomy.jobs[o].skills
             if r.essential and r.skill in column} for o in ids]


def popularity_scores(taxonomy: Any, occupation_ids: Sequence[str], skill_ids: Sequence[str],
                      *, n_candidates: int = 200) -> sp.csr_matrix:
    """Popularity baseline: how many *other* occupations hold each skill as essential.

    Row *i* counts essential requirements over all occupations except ``occupation_ids[i]``
    (leave-one-out), keeping the ``n_candidates`` most frequent skills.
    """
    column = {s: i for i, s in enumerate(skill_ids)}
    counts = np.zeros(len(skill_ids))
    for job in taxonomy.jobs.values():
        for r in job.skills:
            if r.essential and r.skill in column:
                counts[column[r.skill]] += 1
    # Only the best n_candidates + (own essential skills) columns can reach any row's top list.
    pool_size = min(len(skill_ids), n_candidates + max(
        (len(taxonomy.jobs[o].skills) for o in occupation_ids), default=0))
    pool = np.argsort(-counts, kind="stable")[:pool_size]
    rows = []
    for o in occupation_ids:
        own = {column[r.skill] for r in taxonomy.jobs[o].skills
               if r.essential and r.skill in column}
        vals = counts[pool] - np.fromiter((c in own for c in pool), dtype=float, count=len(pool))
        order = np.argsort(-vals, kind="stable")[:n_candidates]
        row = np.zeros(len(skill_ids))
        # 1 + count keeps zero-count ties rankable; scale to (0, 1]
        row[pool[order]] = (vals[order] + 1.0) / (counts.max() + 1.0)
        rows.append(sp.csr_matrix(row))
    return sp.vstack(rows, format="csr") if rows else sp.csr_matrix((0, len(skill_ids)))


def plain_tfidf(extractor: SkillExtractor) -> SkillExtractor:
    """The *plain TF-IDF* variant of an extractor: word cosine with skill texts only."""
    return clone(extractor).set_params(char_weight=0.0, segment_weight=0.0, n_neighbors=0,
                                       label_weight=1.0, mention_weight=0.0,
                                       word_ngram_range=(1, 1))


def evaluate_occupations(
    taxonomy: Any,
    extractor: SkillExtractor | None = None,
    *,
    occupations: Sequence[str] | None = None,
    n: int | None = None,
    seed: int = 0,
    k: int = 20,
    baselines: bool = True,
) -> pd.DataFrame:
    """Recover each occupation's essential skills from its description (leave-one-out).

    Parameters
    ----------
    taxonomy : Taxonomy
        With occupations, descriptions and requirements (ESCO).
    extractor : SkillExtractor, optional
        Fitted on ``taxonomy``; default ``SkillExtractor().fit(taxonomy)``.
    occupations : sequence of str, optional
        Occupation ids to evaluate; default :func:`sample_occupations` ``(n, seed)``.
    n, seed : int, optional
        Sample size (default all) and its seed, when ``occupations`` is not given.
    k : int, default 20
        Cut-off of recall@k and precision@k.
    baselines : bool, default True
        Also evaluate the popularity baseline and plain TF-IDF (fits one more vectorizer).

    Returns
    -------
    pandas.DataFrame
        Index ``method`` (``extractor``, ``popularity``, ``plain TF-IDF``); columns
        ``recall@k``, ``precision@k``, ``MAP``, ``n`` (occupations evaluated).
    """
    if extractor is None:
        extractor = SkillExtractor().fit(taxonomy)
    ids = list(occupations) if occupations is not None else sample_occupations(
        taxonomy, n, seed=seed)
    skill_ids = [str(s) for s in extractor.get_feature_names_out()]
    column = {s: i for i, s in enumerate(skill_ids)}
    relevant = _relevant(taxonomy, ids, column)
    texts = [taxonomy.jobs[o].description for o in ids]
    rows = {"extractor": ranking_metrics(
        extractor.transform(texts, exclude_occupations=ids), relevant, k=k)}
    if baselines:
        rows["popularity"] = ranking_metrics(
            popularity_scores(taxonomy, ids, skill_ids, n_candidates=extractor.n_candidates),
            relevant, k=k)
        plain = plain_tfidf(extractor).fit(taxonomy)
        rows["plain TF-IDF"] = ranking_metrics(plain.transform(texts), relevant, k=k)
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "method"
    return out


# =========================================================================== job ads
@dataclass(frozen=True, slots=True)
class JobAd:
    """One posting: its text (one line per sentence) and gold spans ``(kind, text)``."""

    source: str
    idx: int
    text: str
    spans: tuple[tuple[str, str], ...]


def _bio_spans(tokens: Sequence[str], tags: Sequence[str]) -> list[str]:
    spans: list[list[str]] = []
    current: list[str] | None = None
    for tok, tag in zip(tokens, tags, strict=True):
        if tag == "B" or (tag == "I" and current is None):
            current = [tok]
            spans.append(current)
        elif tag == "I" and current is not None:
            current.append(tok)
        else:
            current = None
    return [" ".join(s) for s in spans]


def load_job_ads(path: str | os.PathLike[str]) -> list[JobAd]:
    """Postings of a SkillSpan JSON-lines file, in file order.

    Raises
    ------
    CatalogError
        When the file is missing or a line is not a SkillSpan record.
    """
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise CatalogError(Diagnostic(f"cannot read the job ads: {err.strerror}", file=str(p),
                                      hint="give the SkillSpan dev.json or train.json")) from err
    groups: dict[tuple[str, int], tuple[list[str], list[tuple[str, str]]]] = {}
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            key = (str(rec["source"]), int(rec["idx"]))
            tokens = [str(t) for t in rec["tokens"]]
            skill_tags, know_tags = rec["tags_skill"], rec["tags_knowledge"]
            if not len(tokens) == len(skill_tags) == len(know_tags):
                raise ValueError("tokens and tags differ in length")
        except (ValueError, KeyError, TypeError) as err:
            raise CatalogError(Diagnostic(f"not a SkillSpan record: {err}", file=str(p), line=n,
                                          hint="each line must be a JSON object with idx, "
                                               "tokens, tags_skill, tags_knowledge, source"))
        sentences, spans = groups.setdefault(key, ([], []))
        sentences.append(" ".join(tokens))
        spans.extend(("skill", s) for s in _bio_spans(tokens, skill_tags))
        spans.extend(("knowledge", s) for s in _bio_spans(tokens, know_tags))
    return [JobAd(src, idx, "\n".join(sents), tuple(spans))
            for (src, idx), (sents, spans) in groups.items()]


def span_tokens(text: str) -> frozenset[str]:
    """Lowercased alphanumeric tokens of ``text`` without English stop words.

    >>> sorted(span_tokens("Experience with C++ and the AWS cloud!"))
    ['aws', 'c++', 'cloud', 'experience']
    """
    return frozenset(t for t in _TOKEN.findall(text.lower()) if t not in ENGLISH_STOP_WORDS)


def span_overlap(span: str, label: str) -> float:
    """``|T(span) & T(label)| / |T(span)|`` (see the module docstring); 0 for an empty span.

    >>> span_overlap("Python", "Python (computer programming)")
    1.0
    >>> span_overlap("relational databases", "database")
    0.0
    >>> span_overlap("communicate with stakeholders", "communicate with customers")
    0.5
    """
    t = span_tokens(span)
    return len(t & span_tokens(label)) / len(t) if t else 0.0


def evaluate_job_ads(
    extractor: SkillExtractor,
    taxonomy: Any,
    path: str | os.PathLike[str],
    *,
    n_postings: int | None = None,
    seed: int = 0,
    min_overlap: float = 0.5,
    details: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Span recall and extraction precision of ``extractor.predict`` on SkillSpan postings.

    Parameters
    ----------
    extractor : SkillExtractor
        Fitted on ``taxonomy``.
    taxonomy : Taxonomy
        Source of the extracted skills' labels and alt labels.
    path : path-like
        A SkillSpan JSON-lines file.
    n_postings : int, optional
        Evaluate a random sample (``numpy.random.default_rng(seed)``) of this many postings.
    min_overlap : float, default 0.5
        Span match threshold of :func:`span_overlap`.
    details : bool, default False
        Also return one row per posting.

    Returns
    -------
    pandas.DataFrame
        One row (index ``extractor``): ``span recall``, ``skill-span recall``,
        ``knowledge-span recall``, ``precision``, ``postings``, ``gold spans``, ``extracted``.
    """
    ads = load_job_ads(path)
    if n_postings is not None and n_postings < len(ads):
        picked = set(np.random.default_rng(seed).choice(len(ads), n_postings,
                                                        replace=False).tolist())
        ads = [a for i, a in enumerate(ads) if i in picked]
    predictions = extractor.predict([a.text for a in ads])
    label_tokens: dict[str, list[frozenset[str]]] = {}

    def tokens_of(skill_id: str) -> list[frozenset[str]]:
        if skill_id not in label_tokens:
            s = taxonomy.skills[skill_id]
            label_tokens[skill_id] = [span_tokens(x) for x in (s.label, *s.alt_labels)]
        return label_tokens[skill_id]

    per: list[dict[str, Any]] = []
    found = {"skill": 0, "knowledge": 0}
    total = {"skill": 0, "knowledge": 0}
    n_extracted = n_correct = 0
    for ad, pred in zip(ads, predictions, strict=True):
        spans = [(kind, span_tokens(text)) for kind, text in ad.spans]
        labels = [tokens_of(sid) for sid, _, _ in pred]

        def match(st: frozenset[str], lt: list[frozenset[str]]) -> bool:
            return bool(st) and any(len(st & t) / len(st) >= min_overlap for t in lt)

        matched_spans = [any(match(st, lt) for lt in labels) for _, st in spans]
        correct = sum(any(match(st, lt) for _, st in spans) for lt in labels)
        for (kind, _), m in zip(spans, matched_spans, strict=True):
            total[kind] += 1
            found[kind] += int(m)
        n_extracted += len(pred)
        n_correct += correct
        per.append({"source": ad.source, "idx": ad.idx, "gold spans": len(spans),
                    "found": sum(matched_spans), "extracted": len(pred), "correct": correct})
    gold = total["skill"] + total["knowledge"]
    row = {
        "span recall": (found["skill"] + found["knowledge"]) / gold if gold else float("nan"),
        "skill-span recall": found["skill"] / total["skill"] if total["skill"] else float("nan"),
        "knowledge-span recall": (found["knowledge"] / total["knowledge"]
                                  if total["knowledge"] else float("nan")),
        "precision": n_correct / n_extracted if n_extracted else float("nan"),
        "postings": len(ads), "gold spans": gold, "extracted": n_extracted,
    }
    summary = pd.DataFrame([row], index=pd.Index(["extractor"], name="method"))
    if details:
        return summary, pd.DataFrame(per)
    return summary


# =========================================================================== tuning
def tune_extractor(
    taxonomy: Any,
    *,
    dev_fraction: float = 0.3,
    seed: int = 0,
    n_neighbors: Sequence[int] = (10, 20, 40),
    label_weights: Sequence[float] = (0.3, 0.4, 0.5, 0.6),
    mention_weights: Sequence[float] = (0.0, 0.15, 0.3),
    k: int = 20,
    base: SkillExtractor | None = None,
) -> pd.DataFrame:
    """Grid search of the score blend on a seeded dev split of the occupations.

    The dev split is :func:`sample_occupations` with ``n = dev_fraction`` of them and
    ``seed``. The label, neighbour and mention scores are computed once and blended per grid
    point (``n_neighbors`` x ``label_weight`` x ``mention_weight``), so the search costs about
    one evaluation. Returns one row per grid point with ``recall@k``, ``precision@k`` and
    ``MAP`` (best recall first).
    """
    dev, _ = dev_test_split(taxonomy, dev_fraction=dev_fraction, seed=seed)
    ext = clone(base) if base is not None else SkillExtractor()
    ext.fit(taxonomy)
    skill_ids = [str(s) for s in ext.get_feature_names_out()]
    column = {s: i for i, s in enumerate(skill_ids)}
    relevant = _relevant(taxonomy, dev, column)
    texts = [taxonomy.jobs[o].description for o in dev]
    label = ext.label_scores(texts)
    mentions = ext.mention_scores(texts).toarray()
    sims = ext.occupation_similarities(texts, exclude_occupations=dev)
    rows = []
    cut = ext.n_candidates
    for nn in n_neighbors:
        neigh = ext.neighbour_scores(sims, nn)
        for lw in label_weights:
            for mw in mention_weights:
                scores = (1 - mw) * (lw * label + (1 - lw) * neigh) + mw * mentions
                top = np.argpartition(-scores, cut - 1, axis=1)[:, :cut]
                sparse = sp.csr_matrix(
                    (np.take_along_axis(scores, top, 1).ravel(),
                     (np.repeat(np.arange(len(dev)), cut), top.ravel())),
                    shape=scores.shape)
                rows.append({"n_neighbors": nn, "label_weight": lw, "mention_weight": mw,
                             **ranking_metrics(sparse, relevant, k=k)})
    return pd.DataFrame(rows).sort_values(f"recall@{k}", ascending=False, ignore_index=True)


def tune_threshold(
    taxonomy: Any,
    extractor: SkillExtractor,
    occupations: Sequence[str],
    *,
    thresholds: Sequence[float] = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3),
) -> pd.DataFrame:
    """Precision, recall and F1 of ``predict``-style output for each ``threshold``.

    For each occupation (leave-one-out, from its description) the predicted set is the
    ``extractor.top_k`` best skills scoring at least the threshold; the relevant set is its
    essential skills. Metrics are micro-averaged over the occupations. Returns one row per
    threshold.
    """
    skill_ids = [str(s) for s in extractor.get_feature_names_out()]
    column = {s: i for i, s in enumerate(skill_ids)}
    relevant = _relevant(taxonomy, occupations, column)
    scores = extractor.transform([taxonomy.jobs[o].description for o in occupations],
                                 exclude_occupations=list(occupations))
    ranked = []
    for i in range(scores.shape[0]):
        start, stop = scores.indptr[i], scores.indptr[i + 1]
        cols, vals = scores.indices[start:stop], scores.data[start:stop]
        order = np.lexsort((cols, -vals))[: extractor.top_k]
        ranked.append((cols[order], vals[order]))
    rows = []
    n_relevant = sum(len(r) for r in relevant)
    for t in thresholds:
        tp = n_pred = 0
        for (cols, vals), rel in zip(ranked, relevant, strict=True):
            chosen = cols[vals >= t]
            n_pred += len(chosen)
            tp += sum(int(c) in rel for c in chosen)
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_relevant if n_relevant else 0.0
        rows.append({"threshold": t, "precision": p, "recall": r,
                     "F1": 2 * p * r / (p + r) if p + r else 0.0, "predicted": n_pred})
    return pd.DataFrame(rows)
