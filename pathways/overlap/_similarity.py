"""Course overlap: which courses teach the same thing.

Two signals, reported separately and combined:

skill similarity
    Level-weighted Jaccard of the skills two courses teach,
    ``sum_s min(level_a(s), level_b(s)) / sum_s max(level_a(s), level_b(s))`` (a skill a course
    does not teach has level 0). It is computed exactly with one sparse product: every
    ``(skill, level)`` is expanded into indicator columns ``(skill, 1) .. (skill, level)``, so the
    intersection of two expanded binary rows has ``sum min`` ones and their union ``sum max``;
    the product ``X @ X.T`` gives every intersection and ``|a| + |b| - |a & b|`` the union.
    Jaccard rather than cosine because it reads as "the share of the two courses' combined
    skill content they have in common" and is 1 only for identical skill lists.
text similarity
    Cosine of the TF-IDF vectors (scikit-learn
    :class:`~sklearn.feature_extraction.text.TfidfVectorizer`: word 1- to 3-grams, English stop
    words removed, sublinear term frequency) of each course's title and description, counting
    only the terms used by at most ``max_df`` courses. Common terms say little about
    duplication and they are what makes the all-pairs product quadratic (a term in ``d``
    courses adds ``d**2`` entries). The vectors are normalised over the whole vocabulary
    *before* the common terms are left out, so the value is the share of the full cosine that
    rare terms contribute: it never exceeds the full cosine, and a text made mostly of common
    words cannot look like a duplicate because of one rare word. When no term is dropped (small
    catalogs) it is the plain TF-IDF cosine. Word n-grams matter for catalogs whose texts reuse
    a small vocabulary: two courses built from the same words in another order share few
    2- and 3-grams, a re-listed course shares nearly all of them.
score
    ``skill_weight * skill_similarity + (1 - skill_weight) * text_similarity`` (the mean by
    default), in [0, 1].

Every course is compared with every other by sparse matrix products over chunks of rows (the
chunk size follows the number of entries the chunk's product can have, so memory stays flat);
each chunk keeps the top ``k`` neighbours per course and every pair at or above the threshold,
never a Python loop over pairs. Near-duplicate clusters are the connected components
(:func:`scipy.sparse.csgraph.connected_components`) of the pairs at or above
``cluster_threshold``, each explained by the skills and words its members share.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse import csr_array
from scipy.sparse import hstack as sparse_hstack
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer

from pathways.domain import Catalog, Course
from pathways.errors import InvalidParameterError

__all__ = ["OverlapResult", "course_similarity"]

#: Upper bound on the entries of one chunk's similarity products (sets the chunk size).
_CHUNK_ENTRIES = 2_000_000
#: With ``max_df=None``, terms in more than this many courses, or this share of them, are dropped.
_AUTO_MAX_DF_COUNT = 50
_AUTO_MAX_DF_SHARE = 0.002

_PAIR_COLUMNS = ["a", "b", "a_title", "b_title", "skill_similarity", "text_similarity", "score",
                 "shared_skills", "shared_words"]
_NEIGHBOR_COLUMNS = ["course", "rank", "other", "other_title", "skill_similarity",
                     "text_similarity", "score"]
_CLUSTER_COLUMNS = ["cluster", "size", "members", "titles", "min_score", "shared_skills",
                    "shared_words", "explanation", "action"]


@dataclass(frozen=True)
class OverlapResult:
    """What :func:`course_similarity` found.

    Attributes
    ----------
    pairs : pandas.DataFrame
        Every pair of courses scoring at least ``threshold``, most similar first: ``a``, ``b``
        (``a`` comes first in the catalog), their titles, ``skill_similarity``,
        ``text_similarity``, ``score``, ``shared_skills`` (labels of the skills both teach,
        with the level they share) and ``shared_words`` (their common TF-IDF terms, heaviest
        first).
    neighbors : pandas.DataFrame
        For every course its ``top_k`` most similar other courses (``rank`` 1 is the most
        similar); only courses with a positive score are listed.
    clusters : pandas.DataFrame
        Near-duplicate clusters, largest first: ``members`` (ids), ``titles``, ``min_score`` (the
        weakest pair link kept), ``shared_skills``, ``shared_words``, ``explanation`` (what the
        members share, in words) and ``action`` (what to do).
    params : dict
        The parameters used, including the effective ``max_df`` and the vocabulary size.
    """

    pairs: pd.DataFrame
    neighbors: pd.DataFrame
    clusters: pd.DataFrame
    params: dict[str, Any]

    def similar_to(self, course_id: str) -> pd.DataFrame:
        """The neighbours of one course, most similar first."""
        rows = self.neighbors[self.neighbors["course"] == course_id]
        return rows.reset_index(drop=True)


# --------------------------------------------------------------------------- feature matrices
def _skill_matrix(courses: Sequence[Course]) -> tuple[csr_array, np.ndarray, list[str]]:
    """Expanded (skill, level) indicator matrix, its row sums (sums of levels) and the skill ids.

    Column ``4 * j + l - 1`` is 1 when the course teaches skill ``j`` at level ``l`` or above.
    """
    skill_index: dict[str, int] = {}
    rows: list[int] = []
    skills: list[int] = []
    depths: list[int] = []
    for i, course in enumerate(courses):
        for s in course.skills:
            rows.append(i)
            skills.append(skill_index.setdefault(s.skill, len(skill_index)))
            depths.append(min(max(int(s.level), 1), 4))
    depth = np.asarray(depths, dtype=np.int64)
    # one entry per (course, skill, level <= depth): repeat each pair depth times
    rep_rows = np.repeat(np.asarray(rows, dtype=np.int64), depth)
    offsets = np.arange(len(rep_rows)) - np.repeat(np.cumsum(depth) - depth, depth)
    rep_cols = np.repeat(np.asarray(skills, dtype=np.int64) * 4, depth) + offsets
    X = csr_array((np.ones(len(rep_rows), dtype=np.int32), (rep_rows, rep_cols)),
                  shape=(len(courses), 4 * max(len(skill_index), 1)))
    X.sum_duplicates()
    X.data[:] = 1  # a skill listed twice counts once, at its highest level
    sizes = np.asarray(X.sum(axis=1)).ravel().astype(np.float64)
    return X, sizes, list(skill_index)


def _effective_max_df(max_df: float | int | None, n: int) -> int:
    """``max_df`` as an absolute number of courses (``None``: the automatic rule)."""
    if max_df is None:
        return max(_AUTO_MAX_DF_COUNT, math.ceil(_AUTO_MAX_DF_SHARE * n))
    if isinstance(max_df, float):
        if not 0.0 < max_df <= 1.0:
            raise InvalidParameterError(f"max_df as a share must be in (0, 1], got {max_df}")
        return max(1, math.floor(max_df * n))
    if max_df < 1:
        raise InvalidParameterError(f"max_df as a count must be >= 1, got {max_df}")
    return int(max_df)


class _Vocabulary:
    """The terms of the text matrix's columns, decoded from their n-gram keys on demand.

    Indexing with an array of column numbers gives their terms (n-grams joined by a space, as
    :class:`~sklearn.feature_extraction.text.TfidfVectorizer` names them).
    """

    def __init__(self, keys: np.ndarray, tokens: list[str], n_tokens: int, max_n: int) -> None:
        self.keys, self.tokens, self.n_tokens, self.max_n = keys, tokens, n_tokens, max_n

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, columns: np.ndarray) -> list[str]:
        out = []
        for key in self.keys[np.asarray(columns, dtype=np.int64)].tolist():
            key, n = divmod(key, self.max_n + 1)
            words = []
            for _ in range(n):
                key, tok = divmod(key, self.n_tokens)
                words.append(self.tokens[tok])
            out.append(" ".join(reversed(words)))
        return out


def _ngram_counts(docs: list[str], vectorizer: TfidfVectorizer) -> tuple[csr_array, _Vocabulary] | None:
    """The n-gram count matrix ``vectorizer`` would build, computed with numpy.

    The documents are preprocessed, tokenised and stripped of stop words by the vectorizer's
    own functions (one Python pass over the tokens); the n-grams are then integer keys formed
    with array arithmetic and counted with :func:`numpy.unique`, instead of one dictionary
    look-up per n-gram, which is what makes ``TfidfVectorizer.fit_transform`` slow on large
    catalogs. None when the keys would overflow 64 bits (a huge vocabulary).
    """
    preprocess = vectorizer.build_preprocessor()
    tokenize = vectorizer.build_tokenizer()
    stop = frozenset(vectorizer.get_stop_words() or ())
    lo, hi = vectorizer.ngram_range
    index: dict[str, int] = {}
    ids: list[int] = []
    lengths = np.zeros(len(docs), dtype=np.int64)
    for i, doc in enumerate(docs):
        toks = [index.setdefault(t, len(index)) for t in tokenize(preprocess(doc)) if t not in stop]
        ids.extend(toks)
        lengths[i] = len(toks)
    n_tok = max(len(index), 1)
    if float(n_tok) ** hi * (hi + 1) >= 2.0 ** 62:
        return None
    tok = np.asarray(ids, dtype=np.int64)
    del ids
    doc_of = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
    left = np.repeat(np.cumsum(lengths), lengths) - np.arange(len(tok), dtype=np.int64)
    blocks, all_keys = [], []
    for n in range(lo, hi + 1):  # one n-gram order at a time keeps the temporaries small
        at = np.flatnonzero(left >= n)  # n tokens left in the document from here
        key = tok[at]
        for j in range(1, n):
            key = key * n_tok + tok[at + j]
        uniq, cols = np.unique(key * (hi + 1) + n, return_inverse=True)
        block = csr_array((np.ones(len(at), dtype=np.float32), (doc_of[at], cols)),
                          shape=(len(docs), len(uniq)))
        block.sum_duplicates()
        blocks.append(block)
        all_keys.append(uniq)
        del at, key, cols
    counts = csr_array(sparse_hstack(blocks, format="csr")) if blocks else csr_array((len(docs), 0))
    uniq = np.concatenate(all_keys) if all_keys else np.array([], dtype=np.int64)
    return counts, _Vocabulary(uniq, list(index), n_tok, hi)


def _text_matrix(courses: Sequence[Course], max_df: int,
                 ngram_range: tuple[int, int]) -> tuple[csr_array, _Vocabulary | np.ndarray]:
    """TF-IDF rows of title + description over the terms in at most ``max_df`` courses, and
    those terms.

    The weights are those of ``TfidfVectorizer(stop_words="english", sublinear_tf=True,
    strip_accents="unicode", ngram_range=ngram_range)``: its analysis steps count the n-grams
    (see :func:`_ngram_counts`) and :class:`~sklearn.feature_extraction.text.TfidfTransformer`
    weights them. The rows are L2-normalised over the *whole* vocabulary before the common
    terms are dropped, so a product of two rows is the part of their full cosine that rare
    terms contribute (never more than the full cosine): a course whose text is mostly common
    words cannot look like a duplicate on the strength of one rare word.
    """
    docs = [f"{c.title}. {c.description}" for c in courses]
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, strip_accents="unicode",
                                 ngram_range=ngram_range, dtype=np.float32)
    fast = _ngram_counts(docs, vectorizer)
    vocab: _Vocabulary | np.ndarray
    if fast is None:
        try:
            X = csr_array(vectorizer.fit_transform(docs))
        except ValueError:  # sklearn: "empty vocabulary"
            X = csr_array((len(docs), 0), dtype=np.float32)
        vocab = vectorizer.get_feature_names_out() if X.shape[1] else np.array([], dtype=object)
    else:
        counts, vocab = fast
        if counts.shape[1]:
            tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
            X = csr_array(tfidf.transform(counts, copy=False))
        else:
            X = counts
    # a term in one course only adds to no product (but it did count in the norm)
    df = np.bincount(X.indices, minlength=X.shape[1])
    keep = np.flatnonzero((df >= 2) & (df <= max_df))
    if isinstance(vocab, _Vocabulary):
        vocab = _Vocabulary(vocab.keys[keep], vocab.tokens, vocab.n_tokens, vocab.max_n)
    else:
        vocab = vocab[keep]
    return csr_array(X[:, keep]), vocab


# --------------------------------------------------------------------------- chunked products
def _row_chunks(cost: np.ndarray, budget: int) -> Iterator[tuple[int, int]]:
    """Consecutive row ranges whose summed ``cost`` stays within ``budget`` (>= 1 row each)."""
    n = len(cost)
    cum = np.cumsum(cost)
    start = 0
    while start < n:
        base = cum[start - 1] if start else 0
        stop = int(np.searchsorted(cum, base + budget, side="right"))
        stop = min(max(stop, start + 1), n)
        yield start, stop
        start = stop


def _pair_dot(X: csr_array, rows: np.ndarray, cols: np.ndarray, batch: int = 50_000) -> np.ndarray:
    """Row dot products ``X[rows[i]] . X[cols[i]]``, in batches of pairs."""
    out = np.zeros(len(rows), dtype=np.float64)
    if X.nnz == 0:
        return out
    for lo in range(0, len(rows), batch):
        hi = min(lo + batch, len(rows))
        prod = X[rows[lo:hi]].multiply(X[cols[lo:hi]])
        out[lo:hi] = np.asarray(prod.sum(axis=1)).ravel()
    return out


def _top_k(C: csr_array, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, col) of the ``k`` largest entries of each row, sorted by row, then value
    (largest first), then column (catalog order, which breaks ties).

    Rows with more than ``k`` entries are cut with :func:`numpy.argpartition`, one call per
    such row (a loop over courses, not over pairs); the kept entries are sorted at once.
    """
    indptr, data = C.indptr, C.data
    counts = np.diff(indptr)
    if k <= 0 or C.nnz == 0:
        empty = np.array([], dtype=np.int64)
        return empty, empty
    keep = np.ones(C.nnz, dtype=bool)
    for r in np.flatnonzero(counts > k):
        lo, hi = indptr[r], indptr[r + 1]
        seg = data[lo:hi]
        # the k-th largest value; entries tied with it are kept and sorted out below
        kth = np.partition(seg, len(seg) - k)[len(seg) - k]
        keep[lo:hi] = seg >= kth
    rows = np.repeat(np.arange(C.shape[0], dtype=np.int64), counts)[keep]
    cols = C.indices[keep].astype(np.int64)
    vals = data[keep]
    order = np.lexsort((cols, -vals, rows))
    rows, cols = rows[order], cols[order]
    starts = np.searchsorted(rows, rows, side="left")
    first_k = (np.arange(len(rows)) - starts) < k
    return rows[first_k], cols[first_k]


def _scan(Xs: csr_array, sizes: np.ndarray, Xt: csr_array, *, top_k: int, threshold: float,
          skill_weight: float, budget: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """All-pairs scores by chunks of rows: (rows, cols) of each row's top ``k`` and (rows, cols)
    of the pairs scoring at least ``threshold`` (row < col)."""
    n = Xs.shape[0]
    XsT = Xs.T.tocsr()
    XtT = Xt.T.tocsr()
    # entries a row's products can have: the summed document frequency of its features
    cost = np.ones(n, dtype=np.int64)
    for X, XT in ((Xs, XsT), (Xt, XtT)):
        if X.nnz:
            df = np.diff(XT.indptr).astype(np.int64)
            cum = np.concatenate([[0], np.cumsum(df[X.indices])])
            cost += cum[X.indptr[1:]] - cum[X.indptr[:-1]]
    nb_r: list[np.ndarray] = []
    nb_c: list[np.ndarray] = []
    pr_r: list[np.ndarray] = []
    pr_c: list[np.ndarray] = []
    for start, stop in _row_chunks(cost, budget):
        # products come out without duplicates; their column order does not matter here
        inter = csr_array(Xs[start:stop] @ XsT)
        irows = np.repeat(np.arange(stop - start), np.diff(inter.indptr))
        union = sizes[start + irows] + sizes[inter.indices] - inter.data
        S = csr_array((inter.data / union, inter.indices, inter.indptr), shape=inter.shape)
        T = csr_array(Xt[start:stop] @ XtT) if Xt.shape[1] else csr_array(S.shape)
        C = csr_array(S * skill_weight + T * (1.0 - skill_weight))
        crow = np.repeat(np.arange(stop - start), np.diff(C.indptr))
        C.data[C.indices == crow + start] = 0.0  # a course is not its own neighbour
        C.eliminate_zeros()
        rows, cols = _top_k(C, top_k)
        nb_r.append(rows + start)
        nb_c.append(cols)
        rows, cols = _at_least(C, threshold, start)
        pr_r.append(rows + start)
        pr_c.append(cols)
    return (_cat(nb_r, np.int64), _cat(nb_c, np.int64), _cat(pr_r, np.int64),
            _cat(pr_c, np.int64))


def _signals(Xs: csr_array, sizes: np.ndarray, Xt: csr_array, rows: np.ndarray,
             cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(skill similarity, text similarity) of the pairs (rows[i], cols[i])."""
    inter = _pair_dot(Xs, rows, cols)
    union = sizes[rows] + sizes[cols] - inter
    skill = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
    return skill, np.minimum(_pair_dot(Xt, rows, cols), 1.0)


def _at_least(C: csr_array, threshold: float, offset: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, col) of entries >= ``threshold`` with col > the global row (each pair once)."""
    rows = np.repeat(np.arange(C.shape[0]), np.diff(C.indptr))
    keep = (C.data >= threshold - 1e-9) & (C.indices > rows + offset)
    return rows[keep], C.indices[keep].astype(np.int64)


def _cat(parts: list[np.ndarray], dtype: Any) -> np.ndarray:
    return np.concatenate(parts).astype(dtype) if parts else np.array([], dtype=dtype)


# --------------------------------------------------------------------------- explanations
def _groups(members: Sequence[np.ndarray], n: int) -> csr_array:
    """Indicator matrix (group x course) of the given member index lists."""
    sizes = np.array([len(m) for m in members], dtype=np.int64)
    rows = np.repeat(np.arange(len(members), dtype=np.int64), sizes)
    cols = np.concatenate(members).astype(np.int64) if len(members) else rows
    return csr_array((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(len(members), n))


def _split(group: np.ndarray, values: list[str], n_groups: int) -> list[list[str]]:
    """Values (sorted by group) split into one list per group."""
    bounds = np.searchsorted(group, np.arange(1, n_groups))
    out: list[list[str]] = []
    start = 0
    for stop in [*bounds.tolist(), len(values)]:
        out.append(values[start:stop])
        start = stop
    return out


def _common_skills(L: csr_array, Xs: csr_array, skill_ids: list[str],
                   labels: dict[str, str]) -> list[list[str]]:
    """Per group: the skills every member teaches, as ``label (level L)`` with the level all
    reach, highest first; for a group where no skill is shared by all, those taught by at least
    two members, as ``label (k of n)``."""
    n_groups = L.shape[0]
    if n_groups == 0 or Xs.nnz == 0:
        return [[] for _ in range(n_groups)]
    size = np.diff(L.indptr)
    counts = (L @ Xs).tocoo()
    g, col, cnt = counts.row.astype(np.int64), counts.col.astype(np.int64), counts.data
    skill = col // 4
    full = cnt == size[g]
    has_full = np.zeros(n_groups, dtype=bool)
    has_full[g[full]] = True
    # all members: the level is the number of levels every member reaches
    a = full & has_full[g]
    key_a, level = np.unique(g[a] * len(skill_ids) + skill[a], return_counts=True)
    # otherwise: skills (level-1 column) at least two members teach
    b = ~has_full[g] & (col % 4 == 0) & (cnt >= 2)
    grp = np.concatenate([key_a // len(skill_ids), g[b]])
    sk = np.concatenate([key_a % len(skill_ids), skill[b]])
    val = np.concatenate([level, cnt[b]]).astype(np.int64)
    names = [labels[skill_ids[i]] for i in range(len(skill_ids))]
    rank = np.empty(len(names), dtype=np.int64)
    rank[sorted(range(len(names)), key=lambda i: names[i].casefold())] = np.arange(len(names))
    order = np.lexsort((rank[sk], -val, grp))
    text = [f"{names[s]} (level {v})" if has_full[gr] else f"{names[s]} ({v} of {size[gr]})"
            for gr, s, v in zip(grp[order].tolist(), sk[order].tolist(), val[order].tolist())]
    return _split(grp[order], text, n_groups)


def _common_words(L: csr_array, Xt: csr_array, vocab: _Vocabulary | np.ndarray, limit: int) -> list[list[str]]:
    """Per group: up to ``limit`` words of the terms (n-grams) every member uses (else at least
    two), taken from the terms with most members and heaviest summed TF-IDF first."""
    n_groups = L.shape[0]
    if n_groups == 0 or Xt.nnz == 0:
        return [[] for _ in range(n_groups)]
    size = np.diff(L.indptr)
    present = Xt.copy()
    present.data = np.ones_like(present.data)
    counts = csr_array(L @ present)
    weights = csr_array(L @ Xt)
    if not (np.array_equal(counts.indptr, weights.indptr)
            and np.array_equal(counts.indices, weights.indices)):  # same pattern, same order
        counts.sort_indices()
        weights.sort_indices()
    g = np.repeat(np.arange(n_groups, dtype=np.int64), np.diff(counts.indptr))
    term, cnt, w = counts.indices.astype(np.int64), counts.data, weights.data
    full = cnt >= size[g] - 0.5
    has_full = np.zeros(n_groups, dtype=bool)
    has_full[g[full]] = True
    keep = np.where(has_full[g], full, cnt >= 2)
    g, term, cnt, w = g[keep], term[keep], cnt[keep], w[keep]
    order = np.lexsort((term, -w, -cnt, g))
    g, term = g[order], term[order]
    starts = np.searchsorted(g, g, side="left")
    first = (np.arange(len(g)) - starts) < 4 * limit
    phrases = _split(g[first], [str(t) for t in vocab[term[first]]], n_groups)
    return [_words(p, limit) for p in phrases]


def _words(phrases: list[str], limit: int) -> list[str]:
    """The distinct words of ``phrases`` (n-grams, heaviest first), in that order."""
    out: dict[str, None] = {}
    for phrase in phrases:
        for word in phrase.split():
            out.setdefault(word)
        if len(out) >= limit:
            break
    return list(out)[:limit]


DUPLICATE_ACTION = ("check whether they are the same course under two names: merge them, accept "
                    "one for the other in credentials, or make their descriptions say how they "
                    "differ")


def _explain_cluster(n: int, skills: list[str], words: list[str]) -> str:
    who = "both courses" if n == 2 else f"all {n} courses"
    parts = []
    if skills:
        verb = "teach" if "(level" in skills[0] else "share skills:"
        more = f" and {len(skills) - 5} more" if len(skills) > 5 else ""
        parts.append(f"{who} {verb} {', '.join(skills[:5])}{more}")
    if words:
        whose = "their" if parts else f"{who}:"
        parts.append(f"{whose} titles and descriptions share the words {', '.join(words[:6])}")
    return ("; ".join(parts) if parts else f"{who} are similar") + "."


# --------------------------------------------------------------------------- public API
def course_similarity(catalog: Catalog, *, top_k: int = 10, threshold: float = 0.4,
                      cluster_threshold: float | None = None, skill_weight: float = 0.5,
                      max_df: float | int | None = None, ngram_range: tuple[int, int] = (1, 3),
                      chunk_entries: int = _CHUNK_ENTRIES) -> OverlapResult:
    """Pairwise similarity of the catalog's courses, their top neighbours and duplicate clusters.

    Parameters
    ----------
    catalog : Catalog
        The catalog; every course is compared with every other.
    top_k : int, default 10
        Neighbours kept per course in ``neighbors`` (0: none).
    threshold : float, default 0.4
        Every pair with ``score >= threshold`` is listed in ``pairs``.
    cluster_threshold : float, optional
        Pairs with ``score >= cluster_threshold`` (default: ``threshold``) link courses into
        near-duplicate clusters (connected components, so a cluster can be a chain of close
        pairs).
    skill_weight : float, default 0.5
        Weight of the skill signal in ``score``; the text signal gets ``1 - skill_weight``.
    max_df : float or int, optional
        Leave out of the text signal the terms used by more than this many courses (an int) or
        this share of them (a float). Default: more than ``max(50, 0.2% of the courses)``,
        which keeps small catalogs' vocabularies whole and large ones fast.
    ngram_range : (int, int), default (1, 3)
        Word n-grams of the text signal (stop words removed): runs of up to three words tell
        apart texts built from the same common words.
    chunk_entries : int
        Upper bound on the entries of one chunk's products (memory versus overhead).

    Returns
    -------
    OverlapResult
        ``pairs``, ``neighbors``, ``clusters`` (DataFrames) and ``params``.

    Raises
    ------
    InvalidParameterError
        If a threshold or ``skill_weight`` is outside [0, 1], or ``max_df`` is out of range.

    Examples
    --------
    >>> from pathways.io import catalog_from_data
    >>> sql = [{"skill": "sql", "level": 2}]
    >>> cat = catalog_from_data({"courses": [
    ...     {"id": "A", "title": "SQL basics", "hours": 10, "skills": sql,
    ...      "description": "Write SQL queries: joins and aggregation."},
    ...     {"id": "B", "title": "Intro to SQL", "hours": 12, "skills": sql,
    ...      "description": "Writing SQL queries with joins and aggregation."},
    ...     {"id": "C", "title": "Pottery", "hours": 8, "description": "Throw a bowl."}]}).catalog
    >>> result = course_similarity(cat)
    >>> result.pairs[["a", "b", "skill_similarity", "shared_skills"]].to_dict("records")
    [{'a': 'A', 'b': 'B', 'skill_similarity': 1.0, 'shared_skills': ['sql (level 2)']}]
    >>> result.clusters["members"].tolist()
    [['A', 'B']]
    """
    if cluster_threshold is None:
        cluster_threshold = threshold
    for name, value in (("threshold", threshold), ("cluster_threshold", cluster_threshold),
                        ("skill_weight", skill_weight)):
        if not 0.0 <= value <= 1.0:
            raise InvalidParameterError(f"{name} must be in [0, 1], got {value}")
    courses = list(catalog.courses.values())
    n = len(courses)
    eff_max_df = _effective_max_df(max_df, n)
    Xs, sizes, skill_ids = _skill_matrix(courses)
    labels = {s: catalog.skill_label(s) for s in skill_ids}
    Xt, vocab = _text_matrix(courses, eff_max_df, ngram_range)
    nb_r, nb_c, pr_r, pr_c = _scan(Xs, sizes, Xt, top_k=top_k,
                                   threshold=min(threshold, cluster_threshold),
                                   skill_weight=skill_weight, budget=max(int(chunk_entries), 1))

    ids = np.array([c.id for c in courses], dtype=object)
    titles = np.array([c.title for c in courses], dtype=object)

    # neighbours: sorted by course, then score (highest first), then catalog order
    nb_s, nb_t = _signals(Xs, sizes, Xt, nb_r, nb_c)
    nb_score = skill_weight * nb_s + (1 - skill_weight) * nb_t
    order = np.lexsort((nb_c, -nb_score, nb_r))
    nb_r, nb_c, nb_s, nb_t, nb_score = (x[order] for x in (nb_r, nb_c, nb_s, nb_t, nb_score))
    starts = np.searchsorted(nb_r, nb_r, side="left")
    neighbors = pd.DataFrame({
        "course": ids[nb_r], "rank": (np.arange(len(nb_r)) - starts + 1).astype(np.int64),
        "other": ids[nb_c], "other_title": titles[nb_c], "skill_similarity": nb_s,
        "text_similarity": nb_t, "score": nb_score}, columns=_NEIGHBOR_COLUMNS)

    # pairs at or above the lower threshold, most similar first
    pr_s, pr_t = _signals(Xs, sizes, Xt, pr_r, pr_c)
    pr_score = skill_weight * pr_s + (1 - skill_weight) * pr_t
    order = np.lexsort((pr_c, pr_r, -pr_score))
    pr_r, pr_c, pr_s, pr_t, pr_score = (x[order] for x in (pr_r, pr_c, pr_s, pr_t, pr_score))

    listed = pr_score >= threshold - 1e-9
    a, b = pr_r[listed], pr_c[listed]
    L = _groups(list(np.stack([a, b], axis=1)), n) if len(a) else _groups([], n)
    pairs = pd.DataFrame({
        "a": ids[a], "b": ids[b], "a_title": titles[a], "b_title": titles[b],
        "skill_similarity": pr_s[listed], "text_similarity": pr_t[listed],
        "score": pr_score[listed],
        "shared_skills": _common_skills(L, Xs, skill_ids, labels),
        "shared_words": _common_words(L, Xt, vocab, limit=6),
    }, columns=_PAIR_COLUMNS)

    clusters = _clusters(courses, Xs, skill_ids, labels, Xt, vocab, pr_r, pr_c, pr_score,
                         cluster_threshold)
    params = {"top_k": top_k, "threshold": threshold, "cluster_threshold": cluster_threshold,
              "skill_weight": skill_weight, "max_df": eff_max_df,
              "ngram_range": list(ngram_range), "vocabulary": len(vocab), "courses": n}
    return OverlapResult(pairs=pairs, neighbors=neighbors, clusters=clusters, params=params)


def _clusters(courses: Sequence[Course], Xs: csr_array, skill_ids: list[str],
              labels: dict[str, str], Xt: csr_array, vocab: _Vocabulary | np.ndarray,
              rows: np.ndarray,
              cols: np.ndarray, score: np.ndarray, cluster_threshold: float) -> pd.DataFrame:
    n = len(courses)
    strong = score >= cluster_threshold - 1e-9
    if not strong.any():
        return pd.DataFrame(columns=_CLUSTER_COLUMNS)
    r, c, w = rows[strong], cols[strong], score[strong]
    graph = csr_array((np.ones(len(r), dtype=np.int8), (r, c)), shape=(n, n))
    _, labels_of = connected_components(graph, directed=False)
    linked = np.zeros(n, dtype=bool)
    linked[r] = linked[c] = True
    comp = labels_of[linked]
    members_idx = np.flatnonzero(linked)
    order = np.lexsort((members_idx, comp))
    comp, members_idx = comp[order], members_idx[order]
    bounds = np.flatnonzero(np.diff(comp)) + 1
    groups = np.split(members_idx, bounds)
    weakest = pd.Series(w).groupby(labels_of[r]).min()
    L = _groups(groups, n)
    skills = _common_skills(L, Xs, skill_ids, labels)
    words = _common_words(L, Xt, vocab, limit=8)
    records: list[dict[str, Any]] = []
    for members, sk, wd in zip(groups, skills, words):
        records.append({
            "size": len(members), "members": [courses[i].id for i in members],
            "titles": [courses[i].title for i in members],
            "min_score": float(weakest[labels_of[members[0]]]), "shared_skills": sk,
            "shared_words": wd, "explanation": _explain_cluster(len(members), sk, wd),
            "action": DUPLICATE_ACTION, "_first": int(members[0])})
    records.sort(key=lambda rec: (-int(rec["size"]), -float(rec["min_score"]), int(rec["_first"])))
    for i, rec in enumerate(records, start=1):
        rec["cluster"] = i
        del rec["_first"]
    return pd.DataFrame(records, columns=_CLUSTER_COLUMNS)
