"""Text to skills: which skills of a taxonomy a free text (job ad, CV, description) asks for.

:class:`SkillExtractor` is a scikit-learn estimator fitted on a taxonomy (any object with
``skills`` and ``jobs`` mappings: a :class:`~pathways.taxonomy.Taxonomy` or a
:class:`~pathways.domain.Catalog`). It reads each text on one of two paths, chosen by the
text's length and shape (:meth:`SkillExtractor.is_job_ad`, parameter ``job_ads``):

* the **job-ad path** (:mod:`pathways.skills.jobad`) for texts that read like job ads: a
  token tagger learned from the SkillSpan postings finds the skill and knowledge phrases,
  ESCO labels that share their words are the candidates, learned scorers rate each
  (phrase, skill) pair, and a covering selection picks skills so that each phrase is read
  once; each skill carries its evidence, the phrase of the ad it came from
  (:meth:`SkillExtractor.extract`);
* the **description path** (below) for short, description-like texts (ESCO occupation
  descriptions, CV summaries, a sentence).

Which path (``looks_like_job_ad``, ``ad_min_words=40``, ``ad_long_words=200``): an ad has
200 words or more, or 40 or more with four lines or two words such as "you"/"we"/"our".
No ESCO occupation description (at most 165 words, three lines and one "you" in all
3,007) is an ad; all 140 SkillSpan training postings are, as are 62 % / 85 % / 97 % /
99 % of their excerpts of 40 / 60 / 100 / 150 words.

Measured (SkillSpan ``dev.json``, 58 postings, 2,163 gold spans, never used for training
or tuning; top 20, ``pathways.skills.evaluate.evaluate_job_ads``):

=================  ===========  ===========  ===============  =========
path               span recall  skill spans  knowledge spans  precision
=================  ===========  ===========  ===============  =========
description path   0.266        0.126        0.404            0.566
job-ad path        0.446        0.323        0.565            0.699
=================  ===========  ===========  ===============  =========

(5-fold cross-validation of the job-ad path on ``train.json``: 0.465 / 0.323 / 0.572 at
precision 0.706.) ESCO occupation descriptions all take the description path, so its
leave-one-out recall@20 is unchanged (0.457 on the held-out 70 %).

The description path's score for skill *j* combines three signals:

label score ``L`` (what the text says)
    Cosine similarity of TF-IDF vectors of the text and of the skill, averaged over two
    spaces: word n-grams of the skill document (preferred label, alternative labels and, with
    ``use_descriptions``, the description) and character n-grams (within word boundaries) of
    the labels only, weighted ``1 - char_weight`` and ``char_weight``. Texts are also cut
    into segments (lines and sentences, :func:`split_segments`); the best cosine of any
    segment counts too: ``L = (1 - segment_weight) * cos(text) + segment_weight *
    max_segment cos(segment)``, so a short mention in a long job ad is not drowned.
neighbour score ``N`` (what similar occupations require)
    Word TF-IDF cosine of the text with every occupation's title, alternative titles and
    description; for the ``n_neighbors`` most similar occupations with similarities ``s_i``,
    ``N_j = sum_i s_i w_ij / sum_i s_i`` with ``w_ij`` = 1 if skill *j* is essential for
    occupation *i*, ``optional_weight`` if optional, else 0: a similarity-weighted
    frequency in [0, 1].
mention score ``M`` (exact names)
    1.0 when the text contains the skill's preferred label as a token sequence, 0.8 for an
    alternative label (one-word labels frequent in the skill texts, such as "language", and
    labels shared by more than three skills are ignored).

``score = (1 - mention_weight) * (label_weight * L + (1 - label_weight) * N)
+ mention_weight * M``, in [0, 1]. Without occupation requirements in the taxonomy the
neighbour part is left out (``label_weight`` taken as 1).

Defaults and how they were chosen (ESCO v1.1.1; dev split = a seeded 30 % of the
occupations, :func:`pathways.skills.evaluate.dev_test_split`; job ads = SkillSpan
``train.json``; the reported evaluation uses the other 70 % and ``dev.json``):

* ``n_neighbors=20``, ``label_weight=0.5``: :func:`~pathways.skills.evaluate.tune_extractor`
  on the dev split (recall@20 of the essential skills from the description, leave-one-out;
  mention weight 0.1) gives, for 10/20/30/50 neighbours x label weight 0.3/0.4/0.5/0.6:
  0.456/0.464/0.464/0.448, 0.463/0.467/0.459/0.430, 0.463/0.465/0.451/0.417,
  0.459/0.459/0.437/0.397. Label weight 0.5 is 0.008 below the peak (20, 0.4) but better on
  the job ads (span recall 0.287 vs 0.275, precision 0.53 vs 0.50 at threshold 0.1), so it
  is the default.
* ``mention_weight=0.1``: exact mentions matter for job ads (see below); 0.2-0.4 add
  little span recall there (+0.003) and cost ESCO recall (-0.006 to -0.008).
* ``threshold=0.15``: maximises the F1 of ``predict`` (top 20) against the essential skills
  on the dev split (:func:`~pathways.skills.evaluate.tune_threshold`: F1 0.458, precision
  0.54, recall 0.40).
* The other parts, each removed in turn from the defaults (ESCO dev recall@20 | job-ads
  train span recall / precision; defaults: 0.459 | 0.247 / 0.561): no exact mentions
  0.462 | 0.178 / 0.493; no segments 0.465 | 0.173 / 0.565; no character space
  0.457 | 0.233 / 0.570; ``optional_weight`` 0 0.457 | 0.229 / 0.552 and 0.6
  0.455 | 0.256 / 0.567. Segments and mentions cost ESCO descriptions 0.003-0.006 recall
  but are what finds the skills named in job ads, so they stay.

Leave-one-out: ``transform(texts, exclude_occupations=[...])`` removes, per text, the given
occupations from the neighbours, so that evaluating occupation *i* never uses its own
requirements.

Examples
--------
>>> from pathways.domain import Catalog, Job, JobSkill, Skill
>>> cat = Catalog(
...     skills={"py": Skill("py", "Python (computer programming)", ("python",)),
...             "sql": Skill("sql", "SQL", ("structured query language",)),
...             "cook": Skill("cook", "prepare meals", ("cooking",))},
...     jobs={"dev": Job("dev", "software developer", (JobSkill("py"), JobSkill("sql")),
...                      "Software developers write programs in Python and SQL."),
...           "chef": Job("chef", "chef", (JobSkill("cook"),), "Chefs prepare meals.")})
>>> ext = SkillExtractor().fit(cat)
>>> [sid for sid, label, score in ext.predict(["We want a Python programmer"])[0]]
['py', 'sql']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.utils.validation import check_is_fitted

from pathways.skills._tagger import tokenize
from pathways.skills.jobad import (
    ExtractedSkill,
    JobAdModel,
    LabelIndex,
    Reading,
    choose,
    context_factor,
    looks_like_job_ad,
    name_floor,
    read_ad,
)

__all__ = ["JOB_AD_MODES", "TOKEN_PATTERN", "ExtractedSkill", "SkillExtractor",
           "split_segments"]

#: Values of ``SkillExtractor(job_ads=...)``.
JOB_AD_MODES = ("auto", "always", "never")

#: Word tokens: the usual ``\w\w+`` plus ``c++`` / ``c#`` style names.
TOKEN_PATTERN = r"(?u)\b\w\w+\b|\b\w\+\+|\b\w#"
_tokenize = re.compile(TOKEN_PATTERN).findall

_SEGMENT_SPLIT = re.compile(r"[\n\r;•·|]+|(?<=[.!?])\s+")

#: Character n-grams in more than this fraction of the label documents are dropped: they
#: carry little signal and make queries slow.
CHAR_MAX_DF = 0.05


def split_segments(text: str, *, min_chars: int = 3) -> list[str]:
    """Lines and sentences of ``text`` (segments of at least ``min_chars`` characters).

    >>> split_segments("Skills: Python. SQL!\\n- Docker; Git")
    ['Skills: Python.', 'SQL!', '- Docker', 'Git']
    """
    return [s.strip() for s in _SEGMENT_SPLIT.split(text) if len(s.strip()) >= min_chars]


def _as_texts(texts: Any) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of strings, not one string; wrap it in a list")
    out = list(texts)
    for i, t in enumerate(out):
        if not isinstance(t, str):
            raise TypeError(f"texts[{i}] is {type(t).__name__}, not str")
    return out


def _exclusions(exclude: Sequence[Any] | None, n: int) -> list[tuple[str, ...]]:
    if exclude is None:
        return [()] * n
    exclude = list(exclude)
    if len(exclude) != n:
        raise ValueError(f"exclude_occupations has {len(exclude)} entries for {n} texts; "
                         "give one entry (None, an id or a list of ids) per text")
    out: list[tuple[str, ...]] = []
    for e in exclude:
        if e is None:
            out.append(())
        elif isinstance(e, str):
            out.append((e,))
        else:
            out.append(tuple(e))
    return out


def _top_rows(dense: np.ndarray, k: int) -> sp.csr_matrix:
    """Keep the ``k`` largest positive values of each row (a sparse matrix)."""
    n, m = dense.shape
    k = min(k, m)
    if k <= 0 or n == 0:
        return sp.csr_matrix((n, m), dtype=np.float64)
    idx = np.argpartition(-dense, k - 1, axis=1)[:, :k]
    vals = np.take_along_axis(dense, idx, axis=1)
    rows = np.repeat(np.arange(n), k)
    keep = vals.ravel() > 0
    return sp.csr_matrix((vals.ravel()[keep].astype(np.float64),
                          (rows[keep], idx.ravel()[keep])), shape=(n, m))


def _count(analyzer: Any, vocabulary: dict[str, int], docs: Sequence[str]) -> sp.csr_matrix:
    """Term counts of ``docs`` in a fitted vocabulary (``CountVectorizer.transform`` without
    its per-call validation, which dominates the cost of a one-text query)."""
    indptr = [0]
    indices: list[int] = []
    values: list[int] = []
    get = vocabulary.get
    for doc in docs:
        for term, n in Counter(analyzer(doc)).items():
            j = get(term)
            if j is not None:
                indices.append(j)
                values.append(n)
        indptr.append(len(indices))
    return sp.csr_matrix((np.asarray(values, dtype=np.float32), np.asarray(indices, np.int32),
                          np.asarray(indptr, np.int64)), shape=(len(docs), len(vocabulary)))


def _tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear TF x IDF, rows scaled to unit L2 norm (as ``TfidfTransformer``)."""
    out = counts.copy()
    out.data = (1.0 + np.log(out.data)) * idf[out.indices]
    rows = np.repeat(np.arange(out.shape[0]), np.diff(out.indptr))
    norms = np.sqrt(np.bincount(rows, weights=out.data.astype(np.float64) ** 2,
                                minlength=out.shape[0]))
    norms[norms == 0] = 1.0
    out.data = (out.data / norms[rows]).astype(np.float32)
    return out


def _char_vocabulary(docs: Sequence[str], ngram_range: tuple[int, int], *, min_df: int,
                     max_df: float) -> tuple[dict[str, int], sp.csr_matrix]:
    """``char_wb`` vocabulary and counts of ``docs``, as ``CountVectorizer(min_df, max_df)``.

    Equivalent to ``CountVectorizer(analyzer="char_wb").fit_transform`` (same n-grams, same
    document-frequency limits, features in sorted order) but analyses each distinct word once:
    labels repeat their words a lot, so this is several times faster.
    """
    probe = CountVectorizer(analyzer="char_wb", ngram_range=ngram_range)
    analyzer, preprocess = probe.build_analyzer(), probe.build_preprocessor()
    provisional: dict[str, int] = {}
    per_word: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    indptr = [0]
    idx_parts: list[np.ndarray] = []
    val_parts: list[np.ndarray] = []
    for doc in docs:
        idx_list: list[np.ndarray] = []
        val_list: list[np.ndarray] = []
        for word, n in Counter(preprocess(doc).split()).items():
            hit = per_word.get(word)
            if hit is None:
                grams = Counter(analyzer(word))
                ids = [provisional.setdefault(g, len(provisional)) for g in grams]
                hit = per_word[word] = (np.asarray(ids, np.int64),
                                        np.fromiter(grams.values(), np.float32, len(grams)))
            idx_list.append(hit[0])
            val_list.append(hit[1] * n)
        if idx_list:
            uniq, inverse = np.unique(np.concatenate(idx_list), return_inverse=True)
            idx_parts.append(uniq)
            val_parts.append(np.bincount(inverse, weights=np.concatenate(val_list)))
            indptr.append(indptr[-1] + len(uniq))
        else:
            indptr.append(indptr[-1])
    counts = sp.csr_matrix(
        (np.concatenate(val_parts).astype(np.float32) if val_parts else np.zeros(0, np.float32),
         np.concatenate(idx_parts) if idx_parts else np.zeros(0, np.int64),
         np.asarray(indptr, np.int64)), shape=(len(docs), len(provisional)))
    df = np.bincount(counts.indices, minlength=len(provisional))
    keep = (df >= min_df) & (df <= max_df * len(docs))
    names = np.array(list(provisional), dtype=object)
    kept = np.flatnonzero(keep)
    order = kept[np.argsort(names[kept].astype(str), kind="stable")]
    vocabulary = {str(names[i]): j for j, i in enumerate(order)}
    return vocabulary, counts[:, order].tocsr()


class SkillExtractor(BaseEstimator):
    """Score and extract the skills of a taxonomy that free texts mention or imply.

    Parameters
    ----------
    threshold : float, default 0.15
        ``predict`` keeps skills scoring at least this.
    top_k : int, default 20
        ``predict`` returns at most this many skills per text.
    word_ngram_range : tuple of int, default (1, 1)
        Word n-grams of the skill-document space.
    occupation_ngram_range : tuple of int, default (1, 2)
        Word n-grams of the occupation space (neighbour score).
    char_ngram_range : tuple of int, default (3, 5)
        Character n-grams (within word boundaries) of the label space.
    char_weight : float, default 0.5
        Weight of the character space in the label score (the word space gets the rest).
    use_descriptions : bool, default True
        Include skill descriptions in the word space (the character space uses labels only).
    segment_weight : float, default 0.5
        Weight of the best segment's cosine in the label score.
    n_neighbors : int, default 20
        Similar occupations whose requirements vote; 0 disables the neighbour score.
    label_weight : float, default 0.5
        Weight of the label score against the neighbour score.
    optional_weight : float, default 0.3
        Vote of an optional requirement (an essential one votes 1).
    mention_weight : float, default 0.1
        Weight of exact label mentions.
    max_mention_df : float, default 0.01
        One-word labels in more than this fraction of the skill documents (and more than 10
        of them) are not matched as mentions.
    n_candidates : int, default 200
        ``transform`` keeps this many best-scoring skills per text (the rest are 0).
    batch_size : int, default 256
        Texts scored at a time (bounds memory: dense ``batch_size x n_skills`` blocks).
    job_ads : {"auto", "always", "never"}, default "auto"
        Which texts take the job-ad path (:mod:`pathways.skills.jobad`): those that look
        like ads (:func:`~pathways.skills.jobad.looks_like_job_ad` with ``ad_min_words`` and
        ``ad_long_words``), all, or none (the description path only; the job-ad model is
        then not loaded).
    ad_min_words, ad_long_words : int, default 40 and 200
        Texts shorter than ``ad_min_words`` words are never ads; texts of ``ad_long_words``
        words or more always are; in between, four lines or two words such as "you"/"we"
        make an ad.
    model_dir : str, optional
        Folder of the job-ad model files (default: the model shipped in
        ``pathways/skills/models``).

    Attributes
    ----------
    skill_ids_ : ndarray of str
        The columns of ``transform``'s output (also :meth:`get_feature_names_out`).
    skill_labels_ : ndarray of str
        Preferred label of each column.
    occupation_ids_ : ndarray of str
        Occupations used for the neighbour score (those with at least one known requirement).
    requirements_ : scipy.sparse.csr_matrix
        ``(n_occupations, n_skills)`` votes: 1 essential, ``optional_weight`` optional.
    word_vectorizer_, char_vectorizer_, occupation_vectorizer_ : CountVectorizer or None
        The fitted tokenisers (None when the space is unused), each followed by a
        ``TfidfTransformer`` (``word_tfidf_``, ``char_tfidf_``, ``occupation_tfidf_``).
    jobad_model_ : JobAdModel or None
        The job-ad path's tagger, scorers and calibration (None with ``job_ads="never"``).
    jobad_index_ : LabelIndex or None
        The inverted index of the taxonomy's label words for the job-ad path.

    Notes
    -----
    Costs on ESCO v1.1.1 (13,896 skills, 3,007 occupations): see ``benchmarks/bench_text.py``.
    """

    def __init__(
        self,
        *,
        threshold: float = 0.15,
        top_k: int = 20,
        word_ngram_range: tuple[int, int] = (1, 1),
        occupation_ngram_range: tuple[int, int] = (1, 2),
        char_ngram_range: tuple[int, int] = (3, 5),
        char_weight: float = 0.5,
        use_descriptions: bool = True,
        segment_weight: float = 0.5,
        n_neighbors: int = 20,
        label_weight: float = 0.5,
        optional_weight: float = 0.3,
        mention_weight: float = 0.1,
        max_mention_df: float = 0.01,
        n_candidates: int = 200,
        batch_size: int = 256,
        job_ads: str = "auto",
        ad_min_words: int = 40,
        ad_long_words: int = 200,
        model_dir: str | None = None,
    ) -> None:
        self.threshold = threshold
        self.top_k = top_k
        self.word_ngram_range = word_ngram_range
        self.occupation_ngram_range = occupation_ngram_range
        self.char_ngram_range = char_ngram_range
        self.char_weight = char_weight
        self.use_descriptions = use_descriptions
        self.segment_weight = segment_weight
        self.n_neighbors = n_neighbors
        self.label_weight = label_weight
        self.optional_weight = optional_weight
        self.mention_weight = mention_weight
        self.max_mention_df = max_mention_df
        self.n_candidates = n_candidates
        self.batch_size = batch_size
        self.job_ads = job_ads
        self.ad_min_words = ad_min_words
        self.ad_long_words = ad_long_words
        self.model_dir = model_dir

    # ------------------------------------------------------------------ fit
    def _check_params(self) -> None:
        for name in ("threshold", "char_weight", "segment_weight", "label_weight",
                     "optional_weight", "mention_weight", "max_mention_df"):
            value = getattr(self, name)
            if not 0.0 <= float(value) <= 1.0:
                raise ValueError(f"{name} must be in [0, 1], got {value!r}")
        for name in ("top_k", "n_candidates", "batch_size"):
            value = getattr(self, name)
            if int(value) < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        if int(self.n_neighbors) < 0:
            raise ValueError(f"n_neighbors must be >= 0, got {self.n_neighbors!r}")
        if self.job_ads not in JOB_AD_MODES:
            raise ValueError(f"job_ads must be one of {', '.join(JOB_AD_MODES)}, "
                             f"got {self.job_ads!r}")
        if not 0 <= int(self.ad_min_words) <= int(self.ad_long_words):
            raise ValueError("need 0 <= ad_min_words <= ad_long_words, got "
                             f"{self.ad_min_words!r} and {self.ad_long_words!r}")

    def fit(self, taxonomy: Any, y: None = None) -> SkillExtractor:
        """Learn the skill and occupation vector spaces of ``taxonomy``.

        Parameters
        ----------
        taxonomy : Taxonomy or Catalog
            Anything with ``skills`` (id -> :class:`~pathways.domain.Skill`) and ``jobs``
            (id -> :class:`~pathways.domain.Job`) mappings; ``job_alt_titles`` is used when
            present. Requirements naming a skill that ``skills`` lacks are ignored.
        y : None
            Ignored (scikit-learn API).

        Returns
        -------
        SkillExtractor
            ``self``, fitted.

        Raises
        ------
        ValueError
            When the taxonomy has no skills, or a parameter is out of range.
        """
        self._check_params()
        self.__dict__.pop("_analyzers", None)
        self.__dict__.pop("_word_ngrams", None)
        self.__dict__.pop("_skill_char", None)
        skills = list(taxonomy.skills.values())
        if not skills:
            raise ValueError("the taxonomy has no skills to extract")
        self.skill_ids_ = np.array([s.id for s in skills], dtype=object)
        self.skill_labels_ = np.array([s.label for s in skills], dtype=object)
        column = {s.id: i for i, s in enumerate(skills)}
        label_docs = [" . ".join((s.label, *s.alt_labels)) for s in skills]
        word_docs = [f"{d} . {s.description}" if self.use_descriptions and s.description else d
                     for d, s in zip(label_docs, skills, strict=True)]

        self.word_vectorizer_ = CountVectorizer(
            ngram_range=tuple(self.word_ngram_range), stop_words="english",
            token_pattern=TOKEN_PATTERN, dtype=np.float32)
        counts = self.word_vectorizer_.fit_transform(word_docs)
        self.word_tfidf_ = TfidfTransformer(sublinear_tf=True).fit(counts)
        self._word_t = self.word_tfidf_.transform(counts).astype(np.float32).T.tocsr()

        if self.char_weight > 0:
            large = len(skills) >= 50
            vocabulary, counts = _char_vocabulary(
                label_docs, (int(self.char_ngram_range[0]), int(self.char_ngram_range[1])),
                min_df=2 if large else 1,
                max_df=CHAR_MAX_DF if large else 1.0)
            # a CountVectorizer with the learnt (fixed) vocabulary: same analyzer and API
            self.char_vectorizer_: Any = CountVectorizer(
                analyzer="char_wb", ngram_range=tuple(self.char_ngram_range),
                vocabulary=vocabulary, dtype=np.float32).fit([""])
            self.char_tfidf_: Any = TfidfTransformer(
                sublinear_tf=True).fit(counts)
            self._char_t = self.char_tfidf_.transform(counts).astype(np.float32).T.tocsr()
        else:
            self.char_vectorizer_ = self.char_tfidf_ = None
            self._char_t = None

        self._phrases, self._max_phrase = self._phrase_index(skills, word_docs)

        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        occ_ids: list[str] = []
        occ_docs: list[str] = []
        alt_titles = getattr(taxonomy, "job_alt_titles", None) or {}
        for job in taxonomy.jobs.values():
            votes: dict[int, float] = {}
            for r in job.skills:
                c = column.get(r.skill)
                if c is not None:
                    v = 1.0 if r.essential else float(self.optional_weight)
                    votes[c] = max(votes.get(c, 0.0), v)
            votes = {c: v for c, v in votes.items() if v > 0}
            if not votes:
                continue
            i = len(occ_ids)
            occ_ids.append(job.id)
            occ_docs.append(" . ".join((job.title, *alt_titles.get(job.id, ()),
                                        job.description)))
            rows.extend([i] * len(votes))
            cols.extend(votes)
            vals.extend(votes.values())
        self.occupation_ids_ = np.array(occ_ids, dtype=object)
        self._occupation_index = {o: i for i, o in enumerate(occ_ids)}
        self.requirements_ = sp.csr_matrix(
            (np.asarray(vals, dtype=np.float32), (rows, cols)),
            shape=(len(occ_ids), len(skills)))
        if occ_ids and self.n_neighbors > 0 and self.label_weight < 1:
            self.occupation_vectorizer_: Any = CountVectorizer(
                ngram_range=tuple(self.occupation_ngram_range), stop_words="english",
                token_pattern=TOKEN_PATTERN, min_df=2 if len(occ_docs) >= 50 else 1,
                dtype=np.float32)
            counts = self.occupation_vectorizer_.fit_transform(occ_docs)
            self.occupation_tfidf_: Any = TfidfTransformer(
                sublinear_tf=True).fit(counts)
            self._occupations_t = (
                self.occupation_tfidf_.transform(counts).astype(np.float32).T.tocsr())
        else:
            self.occupation_vectorizer_ = self.occupation_tfidf_ = None
            self._occupations_t = None

        self._labels = [(s.label, *s.alt_labels) for s in skills]
        if self.job_ads == "never":
            self.jobad_model_ = self.jobad_index_ = None
        else:
            self.jobad_model_ = JobAdModel.load(self.model_dir)
            self.jobad_index_ = LabelIndex.from_skills(
                skills, reuse_levels=getattr(taxonomy, "reuse_levels", None),
                skill_types=getattr(taxonomy, "skill_types", None))
            self._jobad_prior = self.jobad_model_.prior_vector(list(self.skill_ids_))
        return self

    def _phrase_index(self, skills: list[Any], docs: list[str]
                      ) -> tuple[dict[tuple[str, ...], list[tuple[int, float]]], int]:
        """Token sequence of each label -> [(skill column, weight)] for exact mentions."""
        vocabulary = self.word_vectorizer_.vocabulary_
        limit = max(self.max_mention_df * len(docs), 10.0)
        presence = self._word_t.getnnz(axis=1)  # documents containing each word (row = term)
        phrases: dict[tuple[str, ...], dict[int, float]] = {}
        for col, s in enumerate(skills):
            for n, label in enumerate((s.label, *s.alt_labels)):
                toks = tuple(_tokenize(label.lower()))
                if not toks:
                    continue
                if len(toks) == 1:
                    term = vocabulary.get(toks[0])
                    if term is None or presence[term] > limit:  # stop word or generic word
                        continue
                slot = phrases.setdefault(toks, {})
                slot[col] = max(slot.get(col, 0.0), 1.0 if n == 0 else 0.8)
        index = {k: list(v.items()) for k, v in phrases.items() if len(v) <= 3}
        # proper prefixes of the phrases map to [] so that a scan can stop early
        for key in list(index):
            for end in range(1, len(key)):
                index.setdefault(key[:end], [])
        return index, max((len(k) for k in index), default=0)

    def _analyzer(self, space: str) -> Any:
        """The fitted vectorizer's analyzer (cached; not pickled, it is rebuilt on demand)."""
        cache = self.__dict__.setdefault("_analyzers", {})
        if space not in cache:
            if space == "char_pre":
                cache[space] = self.char_vectorizer_.build_preprocessor()
            else:
                cache[space] = getattr(self, f"{space}_vectorizer_").build_analyzer()
        return cache[space]

    def __getstate__(self) -> dict[str, Any]:
        state = dict(super().__getstate__())
        state.pop("_analyzers", None)
        state.pop("_word_ngrams", None)
        state.pop("_skill_char", None)
        return state

    def _count_char(self, docs: Sequence[str]) -> sp.csr_matrix:
        """Character n-gram counts of ``docs``.

        ``char_wb`` n-grams never cross a word, so a document's counts are the sum of its
        words' counts; each distinct word is analysed once and remembered (up to 200,000
        words), which makes long texts several times cheaper than ``CountVectorizer``.
        """
        cache: dict[str, tuple[np.ndarray, np.ndarray]] = self.__dict__.setdefault(
            "_word_ngrams", {})
        if len(cache) > 200_000:
            cache.clear()
        vectorizer = self.char_vectorizer_
        analyzer = self._analyzer("char")
        preprocess = self._analyzer("char_pre")
        get = vectorizer.vocabulary_.get
        indptr = [0]
        parts_idx: list[np.ndarray] = []
        parts_val: list[np.ndarray] = []
        for doc in docs:
            idx_list: list[np.ndarray] = []
            val_list: list[np.ndarray] = []
            for word, n in Counter(preprocess(doc).split()).items():
                hit = cache.get(word)
                if hit is None:
                    feats: dict[int, int] = {}
                    for gram in analyzer(word):
                        j = get(gram)
                        if j is not None:
                            feats[j] = feats.get(j, 0) + 1
                    hit = cache[word] = (np.fromiter(feats, np.int32, len(feats)),
                                         np.fromiter(feats.values(), np.float32, len(feats)))
                idx_list.append(hit[0])
                val_list.append(hit[1] * n)
            if idx_list:
                idx = np.concatenate(idx_list)
                val = np.concatenate(val_list)
                uniq, inverse = np.unique(idx, return_inverse=True)
                parts_idx.append(uniq.astype(np.int32))
                parts_val.append(np.bincount(inverse, weights=val).astype(np.float32))
                indptr.append(indptr[-1] + len(uniq))
            else:
                indptr.append(indptr[-1])
        indices = np.concatenate(parts_idx) if parts_idx else np.zeros(0, np.int32)
        values = np.concatenate(parts_val) if parts_val else np.zeros(0, np.float32)
        return sp.csr_matrix((values, indices, np.asarray(indptr, np.int64)),
                             shape=(len(docs), len(vectorizer.vocabulary_)))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The skill ids: the columns of :meth:`transform`'s output."""
        check_is_fitted(self)
        return self.skill_ids_.copy()

    # ------------------------------------------------------------------ scoring parts
    def label_scores(self, texts: Iterable[str]) -> np.ndarray:
        """Dense ``(n_texts, n_skills)`` label scores ``L`` (see the module docstring)."""
        check_is_fitted(self)
        texts = _as_texts(texts)
        n = len(texts)
        if n == 0:
            return np.zeros((0, len(self.skill_ids_)), dtype=np.float32)
        segs: list[str] = []
        owner: list[int] = []
        for i, t in enumerate(texts):
            parts = split_segments(t) if self.segment_weight > 0 else []
            if len(parts) <= 1:
                parts = [t]
            segs.extend(parts)
            owner.extend([i] * len(parts))
        owner_arr = np.asarray(owner, dtype=np.int64)
        # counts of a whole text = sum of its segments' counts (unigrams and char_wb n-grams
        # never cross a segment boundary), so each text is tokenised once
        gather = sp.csr_matrix((np.ones(len(segs), dtype=np.float32),
                                (owner_arr, np.arange(len(segs)))), shape=(n, len(segs)))
        multi = np.bincount(owner_arr, minlength=n) > 1
        spaces = [(self._analyzer("word"), self.word_vectorizer_.vocabulary_,
                   self.word_tfidf_.idf_, self._word_t,
                   1.0 - self.char_weight if self.char_vectorizer_ is not None else 1.0)]
        if self.char_vectorizer_ is not None:
            spaces.append((None, self.char_vectorizer_.vocabulary_,
                           self.char_tfidf_.idf_, self._char_t, self.char_weight))
        whole = np.zeros((n, len(self.skill_ids_)), dtype=np.float32)
        best = np.zeros_like(whole) if multi.any() else None
        seg_rows = np.flatnonzero(multi[owner_arr])
        for analyzer, vocabulary, idf, matrix, weight in spaces:
            if analyzer is None:  # character space: n-grams of each distinct word, cached
                counts = self._count_char(segs)
            else:
                counts = _count(analyzer, vocabulary, segs)
            queries = _tfidf(gather @ counts, idf)
            if best is not None:  # one product for whole texts and their segments
                queries = sp.vstack([queries, _tfidf(counts[seg_rows], idf)], format="csr")
            scores = (queries @ matrix).toarray()
            scores *= weight
            whole += scores[:n]
            if best is not None:
                starts = np.flatnonzero(np.r_[True, np.diff(owner_arr[seg_rows]) != 0])
                best[np.unique(owner_arr[seg_rows])] += np.maximum.reduceat(
                    scores[n:], starts, axis=0)
        if best is None:
            return whole
        # a one-segment text is its own best segment
        best[~multi] = whole[~multi]
        return (1.0 - self.segment_weight) * whole + self.segment_weight * best

    def mention_scores(self, texts: Iterable[str]) -> sp.csr_matrix:
        """Sparse ``(n_texts, n_skills)`` exact-mention scores ``M`` (module docstring)."""
        check_is_fitted(self)
        texts = _as_texts(texts)
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        phrases, longest = self._phrases, self._max_phrase
        for i, text in enumerate(texts):
            best: dict[int, float] = {}
            for line in split_segments(text, min_chars=1) or [text]:
                toks = _tokenize(line.lower())
                for start in range(len(toks)):
                    for stop in range(start + 1, min(len(toks), start + longest) + 1):
                        hit = phrases.get(tuple(toks[start:stop]))
                        if hit is None:  # no label starts with these tokens
                            break
                        for c, w in hit:
                            if w > best.get(c, 0.0):
                                best[c] = w
            rows.extend([i] * len(best))
            cols.extend(best)
            vals.extend(best.values())
        return sp.csr_matrix((np.asarray(vals, dtype=np.float32), (rows, cols)),
                             shape=(len(texts), len(self.skill_ids_)))

    def occupation_similarities(
        self, texts: Iterable[str], *, exclude_occupations: Sequence[Any] | None = None
    ) -> np.ndarray:
        """Dense ``(n_texts, n_occupations)`` cosines to ``occupation_ids_``, exclusions zeroed.

        ``exclude_occupations`` as in :meth:`transform`.
        """
        check_is_fitted(self)
        texts = _as_texts(texts)
        excl = _exclusions(exclude_occupations, len(texts))
        if self.occupation_vectorizer_ is None:
            return np.zeros((len(texts), len(self.occupation_ids_)), dtype=np.float32)
        vectors = _tfidf(_count(self._analyzer("occupation"),
                                self.occupation_vectorizer_.vocabulary_, texts),
                         self.occupation_tfidf_.idf_)
        sims = (vectors @ self._occupations_t).toarray()
        for i, ids in enumerate(excl):
            for o in ids:
                j = self._occupation_index.get(o)
                if j is not None:
                    sims[i, j] = 0.0
        return sims

    def neighbour_scores(self, similarities: np.ndarray, n_neighbors: int | None = None
                         ) -> np.ndarray:
        """Dense neighbour scores ``N`` from :meth:`occupation_similarities`' output."""
        check_is_fitted(self)
        k = self.n_neighbors if n_neighbors is None else n_neighbors
        n, m = similarities.shape
        if k <= 0 or m == 0:
            return np.zeros((n, len(self.skill_ids_)), dtype=np.float32)
        k = min(k, m)
        idx = np.argpartition(-similarities, k - 1, axis=1)[:, :k]
        w = np.clip(np.take_along_axis(similarities, idx, axis=1), 0.0, None)
        weights = sp.csr_matrix((w.ravel(), (np.repeat(np.arange(n), k), idx.ravel())),
                                shape=(n, m))
        total = np.asarray(weights.sum(axis=1)).ravel()
        scores = (weights @ self.requirements_).toarray()
        nz = total > 0
        scores[nz] /= total[nz, None]
        return scores

    def _scores(self, texts: list[str], excl: Sequence[Any],
                neighbour: np.ndarray | None = None) -> np.ndarray:
        """Description-path scores; ``neighbour`` reuses already computed ``N`` rows."""
        scores = self.label_scores(texts)
        if self.occupation_vectorizer_ is not None and self.n_neighbors > 0:
            if neighbour is None:
                sims = self.occupation_similarities(texts, exclude_occupations=excl)
                neighbour = self.neighbour_scores(sims)
            scores = self.label_weight * scores + (1.0 - self.label_weight) * neighbour
        if self.mention_weight > 0:
            scores *= 1.0 - self.mention_weight
            mentions = self.mention_scores(texts).tocoo()
            scores[mentions.row, mentions.col] += self.mention_weight * mentions.data
        return scores

    # ------------------------------------------------------------------ job-ad path
    def _char_vectors(self, texts: list[str]) -> sp.csr_matrix:
        """Unit TF-IDF vectors of ``texts`` in the character space (zero without one)."""
        if self.char_vectorizer_ is None:
            return sp.csr_matrix((len(texts), 1), dtype=np.float32)
        return _tfidf(self._count_char(texts), self.char_tfidf_.idf_)

    def _skill_char_matrix(self) -> sp.csr_matrix:
        """``(n_skills, n_char_features)`` unit vectors of the skills' labels (cached)."""
        cached = self.__dict__.get("_skill_char")
        if cached is None:
            if self._char_t is None:
                cached = sp.csr_matrix((len(self.skill_ids_), 1), dtype=np.float32)
            else:
                cached = self._char_t.T.tocsr()
            self.__dict__["_skill_char"] = cached
        return cached

    def _neighbour_vector(self, text: str, exclude: Sequence[str] = ()) -> np.ndarray:
        """Neighbour score ``N`` of every skill for one text (zeros without neighbours)."""
        if self.occupation_vectorizer_ is None or self.n_neighbors <= 0:
            return np.zeros(len(self.skill_ids_))
        sims = self.occupation_similarities([text], exclude_occupations=[tuple(exclude)])
        return self.neighbour_scores(sims)[0].astype(np.float64)

    def is_job_ad(self, text: str) -> bool:
        """Whether ``predict`` reads ``text`` on the job-ad path (see ``job_ads``)."""
        check_is_fitted(self)
        if self.job_ads == "never" or getattr(self, "jobad_model_", None) is None:
            return False
        if self.job_ads == "always":
            return True
        return looks_like_job_ad(text, min_words=int(self.ad_min_words),
                                 long_words=int(self.ad_long_words))

    def read_job_ad(self, text: str, *, exclude_occupations: Sequence[str] = ()
                    ) -> tuple[Reading, np.ndarray, np.ndarray]:
        """The job-ad path's reading of ``text`` and two ratings per candidate pair.

        Returns ``(reading, q, rank)``: ``q`` rates whether the pair's skill is named at the
        phrase (it drives the covering's value), ``rank`` which candidate reads the phrase
        best (a blend that weighs the strict scorer more); both include the name floor and
        the context factor (module :mod:`pathways.skills.jobad`). For inspection:
        :func:`pathways.skills.jobad.choose` turns them into the selection.
        """
        check_is_fitted(self)
        model = self.jobad_model_
        if model is None:
            raise ValueError("the job-ad path is off (job_ads='never'); refit with "
                             "job_ads='auto' or 'always'")
        settings = model.settings
        tokens = tokenize(text)
        proba = model.tagger.predict_proba(tokens)
        prior, seen = self._jobad_prior
        neighbour = self._neighbour_vector(text, exclude_occupations)
        reading = read_ad(
            text, proba, tokens, self.jobad_index_, char_vectors=self._char_vectors,
            skill_char=self._skill_char_matrix(), neighbour=neighbour,
            prior=prior[:, 0], prior_seen=seen, boost=float(settings.get("boost", 1.0)),
            per_phrase=int(settings.get("per_phrase", 40)))
        outputs = model.scorer_outputs(reading.X, reading.pair_skill, prior)
        factor = np.ones(len(outputs))
        scale = float(settings.get("context_rank", 0.0))
        if scale > 0 and len(outputs):
            # how the description path ranks each skill for the whole text
            dense = self._scores([text], [tuple(exclude_occupations)],
                                 neighbour=neighbour[None, :].astype(np.float32))[0]
            order = np.empty(len(dense))
            order[np.argsort(-dense, kind="stable")] = np.arange(len(dense))
            factor = context_factor(order[reading.pair_skill], scale,
                                    float(settings.get("context_power", 1.0)))
        slope = float(settings.get("name_slope", 0.0))
        ratings = []
        for blend in (model.blend, float(settings.get("rank_blend", model.blend))):
            q = outputs[:, 0] ** (1.0 - blend) * outputs[:, 1] ** blend
            ratings.append(name_floor(q, reading.X, slope) * factor)
        return reading, ratings[0], ratings[1]

    def _extract_ad(self, text: str, k: int, exclude: Sequence[str]) -> list[ExtractedSkill]:
        """The covering selection of an ad: at most ``k`` skills, in selection order."""
        reading, q, rank = self.read_job_ad(text, exclude_occupations=exclude)
        picks = choose(reading, q, k, rank=rank,
                       power=float(self.jobad_model_.settings.get("cover_power", 2.0)))
        if not picks:
            return []
        scores = self.jobad_model_.calibrate(np.array([p for _, _, p, _ in picks]))
        out = []
        for (col, _, _, row), score in zip(picks, scores.tolist(), strict=True):
            a, b = reading.phrases[row].span
            out.append(ExtractedSkill(str(self.skill_ids_[col]), str(self.skill_labels_[col]),
                                      float(score), text[a:b], a, b))
        return out

    def _mention_of(self, text: str, lowered: str, col: int) -> tuple[str, int, int]:
        """The first place where ``text`` names one of the skill's labels (longest first)."""
        for label in sorted(self._labels[col], key=len, reverse=True):
            m = re.search(r"(?<!\w)" + re.escape(label.lower()) + r"(?!\w)", lowered)
            if m:
                return text[m.start():m.end()], m.start(), m.end()
        return "", -1, -1

    # ------------------------------------------------------------------ public API
    def transform(
        self, texts: Iterable[str], *, exclude_occupations: Sequence[Any] | None = None
    ) -> sp.csr_matrix:
        """Skill scores of each text, the ``n_candidates`` best per row (others 0).

        Texts that look like job ads (:meth:`is_job_ad`) are scored on the job-ad path: their
        row holds the calibrated scores of the first ``n_candidates`` skills of the covering
        selection (module :mod:`pathways.skills.jobad`).

        Parameters
        ----------
        texts : iterable of str
            The texts (a list, not a single string).
        exclude_occupations : sequence, optional
            One entry per text: None, an occupation id, or a collection of ids that must not
            vote as neighbours for that text (leave-one-out evaluation).

        Returns
        -------
        scipy.sparse.csr_matrix
            ``(n_texts, n_skills)`` scores in [0, 1]; columns are ``skill_ids_``.
        """
        check_is_fitted(self)
        texts = _as_texts(texts)
        excl = _exclusions(exclude_occupations, len(texts))
        ads = [self.is_job_ad(t) for t in texts]
        rows: list[sp.csr_matrix | None] = [None] * len(texts)
        plain = [i for i, ad in enumerate(ads) if not ad]
        for start in range(0, len(plain), self.batch_size):
            chunk = plain[start:start + self.batch_size]
            dense = self._scores([texts[i] for i in chunk], [excl[i] for i in chunk])
            block = _top_rows(dense, self.n_candidates)
            for j, i in enumerate(chunk):
                rows[i] = block[j]
        n_skills = len(self.skill_ids_)
        column = {sid: c for c, sid in enumerate(self.skill_ids_)}
        for i in (i for i, ad in enumerate(ads) if ad):
            found = self._extract_ad(texts[i], int(self.n_candidates), excl[i])
            rows[i] = sp.csr_matrix(
                (np.array([f.score for f in found], dtype=np.float64),
                 (np.zeros(len(found), dtype=np.int64),
                  np.array([column[f.skill_id] for f in found], dtype=np.int64))),
                shape=(1, n_skills))
        if not rows:
            return sp.csr_matrix((0, n_skills), dtype=np.float64)
        return sp.vstack(rows, format="csr").astype(np.float64)

    def extract(
        self, texts: Iterable[str], *, exclude_occupations: Sequence[Any] | None = None
    ) -> list[list[ExtractedSkill]]:
        """The skills of each text with their evidence, best first.

        At most ``top_k`` per text, each scoring at least ``threshold``. On the job-ad path
        (:meth:`is_job_ad`) the ``top_k`` are the first of the covering selection, sorted by
        their calibrated score, and each carries the phrase of the ad it came from; on the
        description path they are the best-scoring skills, with the first place where the
        text names one of their labels as evidence (``""`` when none is named). Ties are
        broken by column order. ``exclude_occupations`` as in :meth:`transform`.

        Returns
        -------
        list of list of ExtractedSkill
            One list per text.
        """
        check_is_fitted(self)
        texts = _as_texts(texts)
        excl = _exclusions(exclude_occupations, len(texts))
        out: list[list[ExtractedSkill]] = [[] for _ in texts]
        plain = []
        for i, text in enumerate(texts):
            if self.is_job_ad(text):
                found = self._extract_ad(text, int(self.top_k), excl[i])
                order = sorted(range(len(found)), key=lambda j: (-found[j].score, j))
                out[i] = [found[j] for j in order if found[j].score >= self.threshold]
            else:
                plain.append(i)
        for start in range(0, len(plain), self.batch_size):
            chunk = plain[start:start + self.batch_size]
            dense = self._scores([texts[i] for i in chunk], [excl[i] for i in chunk])
            scores = _top_rows(dense, self.n_candidates)
            for j, i in enumerate(chunk):
                a, b = scores.indptr[j], scores.indptr[j + 1]
                cols, vals = scores.indices[a:b], scores.data[a:b]
                order = np.lexsort((cols, -vals))[: self.top_k]
                lowered = texts[i].lower()
                row = []
                for c, v in zip(cols[order].tolist(), vals[order].tolist(), strict=True):
                    if v >= self.threshold:
                        phrase, s0, s1 = self._mention_of(texts[i], lowered, c)
                        row.append(ExtractedSkill(str(self.skill_ids_[c]),
                                                  str(self.skill_labels_[c]), float(v),
                                                  phrase, s0, s1))
                out[i] = row
        return out

    def predict(
        self, texts: Iterable[str], *, exclude_occupations: Sequence[Any] | None = None
    ) -> list[list[tuple[str, str, float]]]:
        """The skills of each text as ``(skill_id, label, score)``, best first.

        :meth:`extract` without the evidence: at most ``top_k`` per text, each scoring at
        least ``threshold``, on the path :meth:`is_job_ad` chooses.
        """
        return [[(r.skill_id, r.label, r.score) for r in row]
                for row in self.extract(texts, exclude_occupations=exclude_occupations)]
