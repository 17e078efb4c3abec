"""Reading job ads: the skills an ad asks for, each with the phrase of the ad it came from.

The job-ad path of :class:`~pathways.skills.text.SkillExtractor` (chosen automatically for
ad-like texts, see :func:`looks_like_job_ad`), learned from the SkillSpan job postings:

1. **Tagging.** A token tagger (:mod:`pathways.skills._tagger`) marks the skill and
   knowledge spans of the ad (``"strong SQL and Excel"``, ``"communicate with clients"``);
   company text and boilerplate are mostly left out.
2. **Phrases.** Spans are cut into parts at commas, ``and``, ``/``... and inside long
   comma-less lists of names; long parts also give their one- and two-word sub-phrases
   (:mod:`pathways.skills._phrases`). Each part is a *slot*.
3. **Candidates.** For each phrase, the skills with a label (preferred or alternative) that
   shares at least half of the phrase's words, found through an inverted index of label
   words (:class:`LabelIndex`), plus the labels closest in character n-grams.
4. **Scoring.** A logistic regression rates each (phrase, skill) pair from word overlap
   both ways (plain and IDF-weighted), exact match, character cosine, the tagger's
   probability, the phrase's length and repetitions, the label's length, the skill's type
   and reuse level, and a per-skill prior learnt out-of-fold on the training postings:
   ``q`` estimates the probability that the skill names a gold span at that place.
5. **Covering selection.** Skills are picked greedily by marginal gain in the expected
   number of distinct slots covered, ``sum_slot r_slot q(slot, skill)`` where ``r_slot`` is
   the probability that no skill picked so far covers the slot; so one phrase does not fill
   five places. A skill's score is the calibrated probability that it names at least one
   span of the ad (isotonic, out-of-fold), so a minimum score keeps what is likely right.

Each result (:class:`ExtractedSkill`) carries the evidence: the tagged span of the ad that
gave the skill its best rating.

The model files (``pathways/skills/models/``) are written by ``scripts/train_skill_tagger.py``
from SkillSpan ``train.json`` (Zhang et al., NAACL 2022, MIT licence) and ESCO v1.1.1 (This
service uses the ESCO classification of the European Commission.); see
``pathways/skills/models/README.md``.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from pathways.skills._phrases import Phrase, content_tokens, phrases_of
from pathways.skills._tagger import Token, TokenTagger, viterbi_spans

__all__ = [
    "AD_WORDS",
    "FEATURES",
    "MODEL_DIR",
    "ExtractedSkill",
    "JobAdModel",
    "LabelIndex",
    "Reading",
    "ad_shape",
    "choose",
    "context_factor",
    "cover",
    "looks_like_job_ad",
    "name_floor",
    "read_ad",
]

#: Where the shipped model files live.
MODEL_DIR = Path(__file__).resolve().parent / "models"
MODEL_NAME = "jobad"

_NAME = re.compile(r"\w+(?:[-.']\w+)*[+#]*")

REUSE_LEVELS = ("transversal", "cross-sector", "sector-specific", "occupation-specific")


# =========================================================================== results
@dataclass(frozen=True, slots=True)
class ExtractedSkill:
    """A skill found in a text, with the phrase of the text it came from.

    Attributes
    ----------
    skill_id : str
        The skill's id in the taxonomy (``esco:<uuid>`` for ESCO).
    label : str
        Its preferred label.
    score : float
        In [0, 1]. On the job-ad path, the calibrated probability that the ad asks for it;
        on the description path, the blended similarity of the module
        :mod:`pathways.skills.text`.
    evidence : str
        The phrase of the text it came from (``"strong SQL and Excel"``), or ``""`` when the
        skill is implied rather than named (the description path's neighbour votes).
    start, end : int
        Character offsets of ``evidence`` in the text (``-1`` when there is none).
    """

    skill_id: str
    label: str
    score: float
    evidence: str = ""
    start: int = -1
    end: int = -1


# =========================================================================== path choice
#: Words that address the reader or speak for the employer: ads use them, ESCO occupation
#: descriptions (third person) almost never (one "you" in 3,007 descriptions).
AD_WORDS = frozenset({"you", "your", "yours", "we", "our", "ours", "us"})
_WORD_RE = re.compile(r"[A-Za-z]+")


def ad_shape(text: str) -> tuple[int, int, int]:
    """``(words, lines, ad words)``: word count, non-empty lines, and words of
    :data:`AD_WORDS` (``you``, ``we``, ``our``...).

    >>> ad_shape("We are hiring!\\nYou know SQL.")
    (6, 2, 2)
    """
    words = _WORD_RE.findall(text)
    lines = sum(1 for line in text.splitlines() if line.strip())
    return len(words), lines, sum(w.lower() in AD_WORDS for w in words)


def looks_like_job_ad(text: str, *, min_words: int = 40, long_words: int = 200) -> bool:
    """Whether ``text`` reads like a job ad rather than a short description.

    A text of ``long_words`` words or more is an ad; one of fewer than ``min_words`` is not;
    in between, it is an ad when it has at least four lines or addresses the reader (two
    or more of :data:`AD_WORDS`). Chosen on ESCO and the SkillSpan training postings: no
    ESCO occupation description is an ad by this rule (they have at most 165 words,
    three lines and one "you"), every training posting is.

    >>> looks_like_job_ad("Data analysts import, inspect, clean and model data.")
    False
    """
    words, lines, ad_words = ad_shape(text)
    if words >= long_words:
        return True
    if words < min_words:
        return False
    return lines >= 4 or ad_words >= 2


# =========================================================================== label index
@dataclass(frozen=True, eq=False)
class LabelIndex:
    """An inverted index of the label words of a taxonomy's skills.

    Built by :meth:`from_skills`. ``labels`` is the binary ``(n_labels, n_words)`` matrix of
    each label's content words (:func:`~pathways.skills._phrases.content_tokens`);
    ``label_skill`` the skill column of each label (the columns of
    :class:`~pathways.skills.text.SkillExtractor`); ``idf`` ``log(n_skills / df)`` of each
    word over the skills' label sets.
    """

    vocabulary: Mapping[str, int]
    idf: np.ndarray
    labels_t: sp.csr_matrix
    label_skill: np.ndarray
    label_preferred: np.ndarray
    label_size: np.ndarray
    label_idf: np.ndarray
    sequences: np.ndarray
    bigrams: np.ndarray
    names: np.ndarray
    reuse: np.ndarray
    knowledge: np.ndarray
    n_labels: np.ndarray

    @classmethod
    def from_skills(cls, skills: Sequence[Any], *, reuse_levels: Mapping[str, str] | None = None,
                    skill_types: Mapping[str, str] | None = None) -> LabelIndex:
        """Index ``skills`` (objects with ``id``, ``label``, ``alt_labels``)."""
        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        label_skill: list[int] = []
        preferred: list[bool] = []
        sequences: set[int] = set()
        bigrams: set[int] = set()
        names: set[int] = set()
        n_labels = np.zeros(len(skills), dtype=np.int32)
        df: dict[int, set[int]] = {}
        for c, s in enumerate(skills):
            seen: set[frozenset[str]] = set()
            for k, label in enumerate((s.label, *s.alt_labels)):
                words = content_tokens(label)
                key = frozenset(words)
                if not words or key in seen:
                    continue
                seen.add(key)
                if len(words) <= 4:
                    sequences.add(_hash_words(words))
                bigrams.update(_hash_words(words[i:i + 2]) for i in range(len(words) - 1))
                names.update(_hash_words((str(c), w)) for w in _NAME.findall(label)
                             if not w.islower())
                r = len(label_skill)
                label_skill.append(c)
                preferred.append(k == 0)
                for w in sorted(key):
                    j = vocabulary.setdefault(w, len(vocabulary))
                    rows.append(r)
                    cols.append(j)
                    df.setdefault(j, set()).add(c)
            n_labels[c] = len(seen)
        n_words = len(vocabulary)
        labels = sp.csr_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)),
                               shape=(len(label_skill), n_words))
        dfs = np.array([len(df[j]) for j in range(n_words)], dtype=np.float64)
        idf = np.log((len(skills) + 1.0) / (dfs + 1.0)) + 1.0
        reuse = np.zeros(len(skills), dtype=np.int8)
        knowledge = np.zeros(len(skills), dtype=bool)
        for c, s in enumerate(skills):
            level = (reuse_levels or {}).get(s.id, "")
            reuse[c] = REUSE_LEVELS.index(level) + 1 if level in REUSE_LEVELS else 0
            knowledge[c] = (skill_types or {}).get(s.id, "") == "knowledge"
        return cls(
            vocabulary=vocabulary, idf=idf, labels_t=labels.T.tocsr(),
            label_skill=np.asarray(label_skill, dtype=np.int64),
            label_preferred=np.asarray(preferred, dtype=bool),
            label_size=np.asarray(labels.sum(axis=1)).ravel(),
            label_idf=np.asarray(labels @ idf).ravel(),
            sequences=np.array(sorted(sequences), dtype=np.uint64),
            bigrams=np.array(sorted(bigrams), dtype=np.uint64),
            names=np.array(sorted(names), dtype=np.uint64),
            reuse=reuse, knowledge=knowledge, n_labels=n_labels)

    def is_label(self, words: tuple[str, ...]) -> bool:
        """Whether some label's content words are exactly ``words`` (up to four words)."""
        return _contains(self.sequences, _hash_words(words))

    def names_skill(self, name: str, column: int) -> bool:
        """Whether a label of the skill in ``column`` has the word ``name``, same case (a
        name such as ``Excel`` in ``Microsoft Office Excel``)."""
        return _contains(self.names, _hash_words((str(column), name)))

    def is_bigram(self, first: str, second: str) -> bool:
        """Whether some label has the content words ``first second`` next to each other."""
        return _contains(self.bigrams, _hash_words((first, second)))


def _hash_words(words: Sequence[str]) -> int:
    """A 64-bit hash of a word sequence (stable across runs and platforms)."""
    return int.from_bytes(hashlib.blake2b("\x1f".join(words).encode("utf-8"),
                                          digest_size=8).digest(), "little")


def _contains(sorted_hashes: np.ndarray, h: int) -> bool:
    i = int(np.searchsorted(sorted_hashes, np.uint64(h)))
    return i < len(sorted_hashes) and int(sorted_hashes[i]) == h


# =========================================================================== the model
#: The columns of the (phrase, skill) scorer's input, in order (see :func:`pair_features`).
FEATURES = (
    "overlap", "idf_overlap", "coverage", "idf_coverage", "exact", "preferred",
    "log_matching_labels", "log_label_words", "char_cosine", "tagger", "knowledge_phrase",
    "knowledge_skill", "knowledge_agree", "whole", "words_1", "words_2", "words_3plus",
    "log_repeats", "log_competitors", "reuse_transversal", "reuse_cross", "reuse_sector",
    "reuse_occupation", "prior", "prior_seen", "log_rank_in_phrase", "below_best",
    "neighbour", "log_neighbour", "shared_rarity", "name_match",
)


#: The two scorers: ``match`` rates whether the skill matches a gold span at the phrase by
#: the evaluation's rule (half of the span's words in a label); ``strict`` whether it also
#: says what the span says (half of the label's words, qualifiers in brackets left out, in
#: the span). Their geometric blend ranks the candidates.
SCORERS = ("match", "strict")


@dataclass(frozen=True, eq=False)
class JobAdModel:
    """The learnt parts of the job-ad path: tagger, scorers, priors, calibration.

    Load the shipped model with :meth:`load`; ``scripts/train_skill_tagger.py`` builds it.

    Attributes
    ----------
    tagger : TokenTagger
        The span tagger.
    coef, intercept, mean, scale : ndarray
        The (phrase, skill) scorers, one row per :data:`SCORERS` entry:
        ``sigmoid(((x - mean) / scale) @ coef + intercept)`` over :data:`FEATURES`, with the
        scorer's own prior in the ``prior`` column.
    priors : mapping of str to tuple of float
        Per skill id, the log-odds (one per scorer) that a candidate pair of that skill is
        positive, learnt on the training postings; skills absent get ``default_prior``.
    default_prior : ndarray
        The overall log-odds, one per scorer.
    blend : float
        Weight of the strict scorer: ``q = q_match ** (1 - blend) * q_strict ** blend``.
    calibration : tuple of ndarray
        Knots ``(x, y)`` of the isotonic map from a skill's raw ``P(any)`` to its score.
    settings : dict
        Inference settings: ``boost`` (tagger decoding) and ``per_phrase`` (candidates).
    metadata : dict
        Version, training data, attribution, measured quality.
    """

    tagger: TokenTagger
    coef: np.ndarray
    intercept: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    priors: Mapping[str, tuple[float, float]]
    default_prior: np.ndarray
    blend: float
    calibration: tuple[np.ndarray, np.ndarray]
    settings: Mapping[str, float] = field(default_factory=dict)
    metadata: Mapping[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ files
    @classmethod
    def load(cls, directory: str | Path | None = None, name: str = MODEL_NAME) -> JobAdModel:
        """Read ``<name>.json`` and ``<name>.npz`` from ``directory`` (default: shipped).

        Raises
        ------
        CatalogError
            When the files are missing, unreadable or of another model version.
        """
        folder = Path(directory) if directory is not None else MODEL_DIR
        return _load(str(folder.resolve()), name)

    def save(self, directory: str | Path, name: str = MODEL_NAME) -> list[Path]:
        """Write ``<name>.json`` and ``<name>.npz`` deterministically; returns the paths.

        The same model always gives the same bytes: keys sorted, floats rounded, the
        archive's entry stored uncompressed with a fixed timestamp.
        """
        from pathways.io._yaml import atomic_write_text

        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        doc = {
            "metadata": dict(self.metadata),
            "tagger": {"bits": self.tagger.bits, "bias": _floats(self.tagger.bias)},
            "scorers": {
                "names": list(SCORERS), "features": list(FEATURES), "blend": _round(self.blend),
                "coef": [_floats(r) for r in self.coef],
                "intercept": _floats(self.intercept),
                "mean": [_floats(r) for r in self.mean],
                "scale": [_floats(r) for r in self.scale],
            },
            "priors": {k: [_round(x, 3) for x in v] for k, v in sorted(self.priors.items())},
            "default_prior": _floats(self.default_prior),
            "calibration": {"x": _floats(self.calibration[0]),
                            "y": _floats(self.calibration[1])},
            "settings": {k: self.settings[k] for k in sorted(self.settings)},
        }
        text = json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        json_path = folder / f"{name}.json"
        atomic_write_text(json_path, text)
        npz_path = folder / f"{name}.npz"
        buf = io.BytesIO()
        arrays = {"tagger_weights": self.tagger.weights.astype(np.float16)}
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
            for key, arr in arrays.items():
                info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.external_attr = 0o644 << 16
                raw = io.BytesIO()
                np.lib.format.write_array(raw, np.ascontiguousarray(arr), allow_pickle=False)
                zf.writestr(info, raw.getvalue())
        tmp = npz_path.with_name(f".{npz_path.name}.tmp")
        tmp.write_bytes(buf.getvalue())
        tmp.replace(npz_path)
        return [json_path, npz_path]

    # ------------------------------------------------------------------ scoring
    def prior_vector(self, skill_ids: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Per column: the priors ``(n, 2)`` and whether the skill was seen in training."""
        get = self.priors.get
        vals = [get(s) for s in skill_ids]
        seen = np.array([v is not None for v in vals], dtype=bool)
        prior = np.array([self.default_prior if v is None else v for v in vals],
                         dtype=np.float64).reshape(len(vals), len(SCORERS))
        return prior, seen

    def phrase_scores(self, X: np.ndarray, skills: np.ndarray, prior: np.ndarray, *,
                      blend: float | None = None) -> np.ndarray:
        """Blended rating ``q`` of candidate pairs (rows of :data:`FEATURES`, skill columns)
        given the per-column priors of :meth:`prior_vector`: ``q_match ** (1 - blend) *
        q_strict ** blend`` (default ``blend``: the model's)."""
        if len(X) == 0:
            return np.zeros(0)
        b = self.blend if blend is None else blend
        match, strict = self.scorer_outputs(X, skills, prior).T
        return match ** (1.0 - b) * strict ** b

    def scorer_outputs(self, X: np.ndarray, skills: np.ndarray, prior: np.ndarray
                       ) -> np.ndarray:
        """``(n_pairs, 2)``: the match and strict scorers' probabilities."""
        column = FEATURES.index("prior")
        out = np.zeros((len(X), len(SCORERS)))
        for k in range(len(SCORERS)):
            Xk = X.copy()
            Xk[:, column] = prior[skills, k]
            z = ((Xk - self.mean[k]) / self.scale[k]) @ self.coef[k] + self.intercept[k]
            out[:, k] = 1.0 / (1.0 + np.exp(-z))
        return out

    def calibrate(self, raw: np.ndarray) -> np.ndarray:
        """The reported score of raw skill scores (isotonic map, linear between knots)."""
        x, y = self.calibration
        return np.interp(raw, x, y)


def _round(x: float, digits: int = 6) -> float:
    v = round(float(x), digits)
    return 0.0 if v == 0 else v


def _floats(a: Any, digits: int = 6) -> list[float]:
    return [_round(v, digits) for v in np.asarray(a, dtype=np.float64).ravel()]


@lru_cache(maxsize=4)
def _load(folder: str, name: str) -> JobAdModel:
    from pathways.errors import CatalogError, Diagnostic

    json_path = Path(folder) / f"{name}.json"
    npz_path = Path(folder) / f"{name}.npz"
    try:
        doc = json.loads(json_path.read_text(encoding="utf-8"))
        with np.load(npz_path, allow_pickle=False) as z:
            weights = z["tagger_weights"].astype(np.float32)
        tagger = TokenTagger(weights, np.asarray(doc["tagger"]["bias"], dtype=np.float64),
                             int(doc["tagger"]["bits"]))
        sc = doc["scorers"]
        if list(sc["features"]) != list(FEATURES) or list(sc["names"]) != list(SCORERS):
            raise ValueError("the scorers' features differ from this version's")
        if weights.shape != (1 << tagger.bits, len(tagger.bias)):
            raise ValueError(f"tagger weights of shape {weights.shape} for {tagger.bits} bits")
        return JobAdModel(
            tagger=tagger, coef=np.asarray(sc["coef"], dtype=np.float64),
            intercept=np.asarray(sc["intercept"], dtype=np.float64),
            mean=np.asarray(sc["mean"], dtype=np.float64),
            scale=np.asarray(sc["scale"], dtype=np.float64),
            priors={str(k): (float(v[0]), float(v[1])) for k, v in doc["priors"].items()},
            default_prior=np.asarray(doc["default_prior"], dtype=np.float64),
            blend=float(sc["blend"]),
            calibration=(np.asarray(doc["calibration"]["x"], dtype=np.float64),
                         np.asarray(doc["calibration"]["y"], dtype=np.float64)),
            settings=dict(doc.get("settings", {})), metadata=dict(doc.get("metadata", {})))
    except (OSError, ValueError, KeyError, TypeError, IndexError,
            zipfile.BadZipFile) as err:
        raise CatalogError(Diagnostic(
            f"cannot read the job-ad model: {err}", file=str(json_path),
            hint="reinstall pathways, or rebuild the model with "
                 "scripts/train_skill_tagger.py")) from err


# =========================================================================== reading an ad
@dataclass(frozen=True, eq=False)
class Reading:
    """What the job-ad path made of one text, before scoring.

    ``phrases`` are the candidate phrases; candidate pair *r* is phrase ``pair_phrase[r]``
    with skill column ``pair_skill[r]``, described by row *r* of ``X`` (:data:`FEATURES`).
    ``proba`` holds the tagger's ``(n_tokens, 5)`` probabilities.
    """

    text: str
    tokens: list[Token]
    proba: np.ndarray
    phrases: list[Phrase]
    pair_phrase: np.ndarray
    pair_skill: np.ndarray
    X: np.ndarray


def tag_spans(proba: np.ndarray, tokens: Sequence[Token], *, boost: float = 1.0
              ) -> list[tuple[int, int, float, float]]:
    """Spans ``(first, stop, probability, knowledge share)`` of tagged tokens.

    ``boost`` multiplies the in-span probabilities before decoding (> 1 finds more, weaker
    spans); ``probability`` is the mean in-span probability of the span's tokens.
    """
    if len(tokens) == 0:
        return []
    decode = proba
    if boost != 1.0:
        decode = proba.copy()
        decode[:, 1:] *= boost
        decode /= decode.sum(axis=1, keepdims=True)
    out = []
    for a, b, _, _ in viterbi_spans(decode, [t.line for t in tokens]):
        inside = proba[a:b, 1:]
        total = float(inside.sum())
        out.append((a, b, float(inside.sum(axis=1).mean()),
                    float(inside[:, 2:].sum()) / total if total > 0 else 0.0))
    return out


def extend_spans(tokens: Sequence[Token], spans: Sequence[tuple[int, int, float, float]],
                 index: LabelIndex, *, most: int = 2
                 ) -> list[tuple[int, int, float, float]]:
    """Spans grown by up to ``most`` words on each side where labels continue them.

    The tagger sometimes stops a span one word short (``"Monitor data"`` in ``"Monitor data
    quality, ..."``): a neighbouring word is taken in when it and the span's end word (or
    start word) stand side by side in some label (``"data quality assessment"``), it is
    on the same line, and it belongs to no other span.
    """
    taken = np.zeros(len(tokens), dtype=bool)
    for a, b, _, _ in spans:
        taken[a:b] = True
    out = []
    for a, b, p, k in spans:
        line = tokens[a].line
        for _ in range(most):
            words = content_tokens(tokens[b - 1].text)
            nxt = content_tokens(tokens[b].text) if b < len(tokens) else ()
            if not (words and nxt and tokens[b].line == line and not taken[b]
                    and index.is_bigram(words[-1], nxt[0])):
                break
            taken[b] = True
            b += 1
        for _ in range(most):
            words = content_tokens(tokens[a].text)
            prev = content_tokens(tokens[a - 1].text) if a > 0 else ()
            if not (words and prev and tokens[a - 1].line == line and not taken[a - 1]
                    and index.is_bigram(prev[-1], words[0])):
                break
            taken[a - 1] = True
            a -= 1
        out.append((a, b, p, k))
    return out


#: Columns of :func:`candidate_pairs`' features.
_OVERLAP_COLUMNS = ("overlap", "idf_overlap", "coverage", "idf_coverage", "exact",
                    "preferred", "matching_labels", "inverse_label_words", "shared_rarity")


def candidate_pairs(index: LabelIndex, phrases: Sequence[Phrase], *, per_phrase: int = 40
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate (phrase, skill) pairs and their word-overlap features.

    A skill is a candidate of a phrase with ``m`` distinct words when one of its labels
    shares at least ``m / 2`` of them (the rule by which a label would match the phrase in
    :func:`pathways.skills.evaluate.span_overlap`). Per phrase, the ``per_phrase``
    candidates with the highest IDF-weighted overlap plus coverage are kept.

    Returns
    -------
    (ndarray, ndarray, ndarray)
        Phrase rows, skill columns, and features per pair: over the skill's matching
        labels, the best ``overlap`` (shared / phrase words), ``idf_overlap``, ``coverage``
        (shared / label words), ``idf_coverage``, ``exact`` (same word sets),
        ``preferred`` (the preferred label matches), the number of matching labels and
        ``1 / words`` of the shortest matching label.
    """
    vocab = index.vocabulary
    rows: list[int] = []
    cols: list[int] = []
    sizes = np.zeros(len(phrases))
    idf_sums = np.zeros(len(phrases))
    ranks: list[float] = []  # 2 ** -(rank of the word in its phrase, rarest first)
    rarest: list[float] = []  # IDF of each phrase's known words, rarest first, end to end
    offset = np.zeros(len(phrases) + 1, dtype=np.int64)
    unknown_idf = float(index.idf.max()) if len(index.idf) else 1.0
    for i, p in enumerate(phrases):
        words = sorted(set(p.words))
        sizes[i] = len(words)
        known = sorted(((float(index.idf[j]), j) for j in
                        (vocab.get(w) for w in words) if j is not None), reverse=True)
        idf_sums[i] = sum(v for v, _ in known) + unknown_idf * (len(words) - len(known))
        rarest.extend(v for v, _ in known)
        offset[i + 1] = len(rarest)
        for r, (_, j) in enumerate(known):
            rows.append(i)
            cols.append(j)
            ranks.append(2.0 ** -r)
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64),
             np.zeros((0, len(_OVERLAP_COLUMNS))))
    if not rows:
        return empty
    shape = (len(phrases), len(vocab))
    # three products of the same sparsity pattern: shared words, their IDF mass, and
    # sum of 2 ** -rank over them (its leading power names the rarest shared word)
    products = []
    for data in (np.ones(len(rows)), index.idf[cols], np.asarray(ranks)):
        m = sp.csr_matrix((data, (rows, cols)), shape=shape) @ index.labels_t
        m.sort_indices()
        products.append(m)
    shared, shared_idf, shared_rank = products
    if not all(np.array_equal(shared.indices, m.indices) for m in products[1:]):
        raise AssertionError("label products differ in sparsity")  # pragma: no cover
    row_of = np.repeat(np.arange(shared.shape[0]), np.diff(shared.indptr))
    keep = shared.data >= sizes[row_of] / 2.0
    pr, lab, cnt = row_of[keep], shared.indices[keep].astype(np.int64), shared.data[keep]
    if len(pr) == 0:
        return empty
    sidf = shared_idf.data[keep]
    first = np.floor(-np.log2(shared_rank.data[keep]) + 1e-9).astype(np.int64)
    rarity = np.asarray(rarest)[offset[pr] + first] / unknown_idf
    overlap = cnt / sizes[pr]
    coverage = cnt / index.label_size[lab]
    feats = np.column_stack([
        overlap, sidf / idf_sums[pr], coverage, sidf / index.label_idf[lab],
        ((overlap >= 1.0) & (coverage >= 1.0)).astype(float),
        index.label_preferred[lab].astype(float), np.ones(len(pr)),
        1.0 / index.label_size[lab], rarity])
    skill = index.label_skill[lab]
    # per (phrase, skill): the best of each feature over the skill's matching labels
    key = pr.astype(np.int64) * len(index.reuse) + skill
    order = np.argsort(key, kind="stable")
    key, feats = key[order], feats[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    agg = np.maximum.reduceat(feats, starts, axis=0)
    agg[:, 6] = np.add.reduceat(feats[:, 6], starts)
    pr, skill = key[starts] // len(index.reuse), key[starts] % len(index.reuse)
    # the per_phrase best of each phrase (ties by column, for a deterministic order)
    order = np.lexsort((skill, -(agg[:, 1] + agg[:, 3]), pr))
    pr, skill, agg = pr[order], skill[order], agg[order]
    keep = _rank_within(pr) < per_phrase
    return pr[keep], skill[keep], agg[keep]


def _rank_within(groups: np.ndarray) -> np.ndarray:
    """0, 1, 2... within each run of equal values of a sorted array."""
    n = len(groups)
    if n == 0:
        return np.zeros(0, np.int64)
    first = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    return np.arange(n) - np.repeat(first, np.diff(np.r_[first, n]))


def pair_features(index: LabelIndex, phrases: Sequence[Phrase], pr: np.ndarray,
                  skill: np.ndarray, overlap: np.ndarray, char_cosine: np.ndarray,
                  neighbour: np.ndarray, prior: np.ndarray, prior_seen: np.ndarray,
                  name_match: np.ndarray) -> np.ndarray:
    """The :data:`FEATURES` matrix of candidate pairs.

    ``overlap`` is :func:`candidate_pairs`' feature block, ``char_cosine`` the character
    n-gram cosine of each pair, ``neighbour`` the description path's neighbour score of
    each skill column for the whole text, ``prior``/``prior_seen`` per skill column,
    ``name_match`` whether the pair is a one-word name found with its case in a label.
    """
    n = len(pr)
    if n == 0:
        return np.zeros((0, len(FEATURES)))
    prob = np.array([p.probability for p in phrases])[pr]
    know_p = np.array([p.knowledge for p in phrases])[pr]
    whole = np.array([p.whole for p in phrases], dtype=float)[pr]
    nwords = np.array([len(set(p.words)) for p in phrases])[pr]
    counts: dict[tuple[str, ...], int] = {}
    for p in phrases:
        if p.whole:
            counts[p.words] = counts.get(p.words, 0) + 1
    repeats = np.array([counts.get(p.words, 1) for p in phrases])[pr]
    competitors = np.bincount(pr, minlength=len(phrases))[pr]
    know_s = index.knowledge[skill].astype(float)
    reuse = index.reuse[skill]
    score = overlap[:, 1] + overlap[:, 3]
    order = np.lexsort((skill, -score, pr))
    rank = np.empty(n)
    rank[order] = _rank_within(pr[order])
    best = np.zeros(len(phrases))
    np.maximum.at(best, pr, score)
    near = neighbour[skill]
    X = np.column_stack([
        overlap[:, 0], overlap[:, 1], overlap[:, 2], overlap[:, 3], overlap[:, 4],
        overlap[:, 5], np.log1p(overlap[:, 6]), -np.log(overlap[:, 7]),
        char_cosine, prob, know_p, know_s, know_p * know_s + (1 - know_p) * (1 - know_s),
        whole, nwords == 1, nwords == 2, nwords >= 3, np.log(repeats),
        np.log1p(competitors), reuse == 1, reuse == 2, reuse == 3, reuse == 4,
        prior[skill], prior_seen[skill], np.log1p(rank), score - best[pr],
        near, np.log(near + 1e-3), overlap[:, 8], name_match,
    ]).astype(np.float64)
    return X


def read_ad(text: str, proba: np.ndarray, tokens: Sequence[Token], index: LabelIndex, *,
            char_vectors: Callable[[list[str]], sp.csr_matrix], skill_char: sp.csr_matrix,
            neighbour: np.ndarray, prior: np.ndarray, prior_seen: np.ndarray,
            boost: float, per_phrase: int) -> Reading:
    """Phrases, candidate pairs and their features for one ad (steps 2 to 4, unscored).

    Parameters
    ----------
    text, tokens, proba
        The ad, its tokens and the tagger's probabilities.
    index : LabelIndex
        The taxonomy's labels.
    char_vectors : callable
        Unit-length character n-gram vectors of phrases, in the space of ``skill_char``.
    skill_char : scipy.sparse.csr_matrix
        ``(n_skills, n_char_features)`` unit vectors of the skills' labels.
    neighbour : ndarray
        Neighbour score of each skill column for the whole text.
    prior, prior_seen : ndarray
        Per skill column (:meth:`JobAdModel.prior_vector`).
    boost, per_phrase
        Decoding boost (:func:`tag_spans`) and candidates kept per phrase.
    """
    spans = tag_spans(proba, tokens, boost=boost)
    spans = extend_spans(tokens, spans, index)
    phrases = phrases_of(text, tokens, spans, index.is_label)
    pr, skill, overlap = candidate_pairs(index, phrases, per_phrase=per_phrase)
    if len(pr):
        Qc = char_vectors([" ".join(p.words) for p in phrases])
        cosine = np.asarray(Qc[pr].multiply(skill_char[skill]).sum(axis=1)).ravel()
    else:
        cosine = np.zeros(0)
    names = np.zeros(len(pr))
    for r, (row, col) in enumerate(zip(pr.tolist(), skill.tolist(), strict=True)):
        p = phrases[row]
        if len(p.words) == 1 and p.stop - p.first == 1:
            word = text[p.start:p.end]
            if not word.islower() and index.names_skill(word, col):
                names[r] = 1.0
    X = pair_features(index, phrases, pr, skill, overlap, cosine, neighbour, prior,
                      prior_seen, names)
    return Reading(text, list(tokens), proba, phrases, pr, skill, X)


def name_floor(q: np.ndarray, X: np.ndarray, slope: float) -> np.ndarray:
    """Ratings raised to at least ``slope`` times the tagger's probability for one-word
    names found with their case in a label of the skill (``Excel`` in ``Microsoft Office
    Excel``, :data:`FEATURES` ``name_match``).

    Such pairs are right about as often as the tagger is sure of the name (measured on the
    training postings, ``slope`` is that rate over the probability), but they are rare and
    their skills' priors are learnt from the skills' other, weaker candidates.
    """
    if slope <= 0 or len(q) == 0:
        return q
    floor = slope * X[:, FEATURES.index("tagger")] * X[:, FEATURES.index("name_match")]
    return np.maximum(q, np.minimum(floor, 1.0))


def context_factor(rank: np.ndarray, scale: float, power: float = 1.0) -> np.ndarray:
    """``1 / (1 + (rank / scale) ** power)``: how much a pair's rating is kept given the rank
    of its skill among all skills for the whole text on the description path (0 = best).

    Skills that the text as a whole is about keep their rating; those far down the ranking
    (a word in common with the phrase, nothing in common with the ad) lose most of it.

    >>> context_factor(np.array([0.0, 1000.0, 3000.0]), 1000.0).round(2).tolist()
    [1.0, 0.5, 0.25]
    """
    return 1.0 / (1.0 + (np.maximum(rank, 0.0) / scale) ** power)


def slot_ratings(phrases: Sequence[Phrase], pr: np.ndarray, skill: np.ndarray, q: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Best rating per (slot, skill): ``(slots, skills, q, phrase row of the best)``."""
    if len(pr) == 0:
        z = np.zeros(0, np.int64)
        return z, z, np.zeros(0), z
    slot = np.array([p.slot for p in phrases], dtype=np.int64)[pr]
    order = np.lexsort((pr, -q, skill, slot))
    slot, sk, qq, pp = slot[order], skill[order], q[order], pr[order]
    first = np.r_[True, (slot[1:] != slot[:-1]) | (sk[1:] != sk[:-1])]
    return slot[first], sk[first], qq[first], pp[first]


def cover(slots: np.ndarray, skills: np.ndarray, q: np.ndarray, k: int, *,
          power: float = 2.0, rank: np.ndarray | None = None
          ) -> list[tuple[int, float, float]]:
    """Greedy covering: up to ``k`` skills ``(skill, gain, P(any))`` by marginal gain.

    A slot's best rating ``g = max_s q(slot, s)`` is taken as the chance that the slot is a
    real skill span; a skill then covers it with probability ``m = (r / max_s r) ** power``
    where ``r`` is the pair's ``rank`` rating (default ``q``): the best reading of the slot
    covers it for sure, weaker ones less. The value of a set ``S`` of skills is the
    expected number of slots covered, ``sum_slot g_slot (1 - prod_{s in S} (1 - m(slot,
    s)))``: a second skill for an already covered slot adds (almost) nothing, so one phrase
    does not fill five places. Each step adds the skill of largest marginal gain (ties: the
    smaller skill number); the loop stops early when nothing is left to gain. ``P(any)`` is
    ``1 - prod_slot (1 - q(slot, s))``, the chance that the skill is right somewhere in the
    text (calibrated by the caller).

    >>> [(s, round(g, 2), round(p, 2))
    ...  for s, g, p in cover(np.array([0, 0, 1]), np.array([5, 6, 5]),
    ...                       np.array([.9, .6, .5]), 2)]
    [(5, 1.4, 0.95)]
    """
    if len(slots) == 0 or k <= 0:
        return []
    uniq_skills, col = np.unique(skills, return_inverse=True)
    uniq_slots, row = np.unique(slots, return_inverse=True)
    qc = np.clip(q, 0.0, 1.0 - 1e-12)
    p_any = -np.expm1(np.bincount(col, weights=np.log1p(-qc), minlength=len(uniq_skills)))
    g = np.zeros(len(uniq_slots))
    np.maximum.at(g, row, qc)
    r = qc if rank is None else np.clip(rank, 0.0, None)
    top = np.zeros(len(uniq_slots))
    np.maximum.at(top, row, r)
    m = np.zeros(len(r))
    pos = top[row] > 0
    m[pos] = (r[pos] / top[row][pos]) ** power
    M = sp.csr_matrix((m, (col, row)), shape=(len(uniq_skills), len(uniq_slots)))
    remaining = g.copy()  # expected uncovered mass of each slot
    available = np.ones(len(uniq_skills), dtype=bool)
    chosen: list[tuple[int, float, float]] = []
    for _ in range(min(k, len(uniq_skills))):
        gains = M @ remaining
        gains[~available] = -1.0
        best = int(np.argmax(gains))
        if gains[best] <= 0:
            break
        chosen.append((int(uniq_skills[best]), float(gains[best]), float(p_any[best])))
        available[best] = False
        lo, hi = M.indptr[best], M.indptr[best + 1]
        remaining[M.indices[lo:hi]] *= 1.0 - M.data[lo:hi]
    return chosen


def choose(reading: Reading, q: np.ndarray, k: int, *, power: float = 2.0,
           rank: np.ndarray | None = None) -> list[tuple[int, float, float, int]]:
    """The covering selection of a scored reading: ``(skill column, gain, P(any), phrase
    row)``, in selection order (see :func:`cover`; ``q`` and ``rank`` per candidate pair).
    The phrase row is the evidence: the phrase of the slot that gives the skill most of its
    value (``g_slot * m(slot, skill)``)."""
    slots, skills, qq, rows = slot_ratings(reading.phrases, reading.pair_phrase,
                                           reading.pair_skill, q)
    rr = None
    if rank is not None:
        s2, k2, rr, _ = slot_ratings(reading.phrases, reading.pair_phrase,
                                     reading.pair_skill, rank)
        if not (np.array_equal(s2, slots) and np.array_equal(k2, skills)):
            raise AssertionError("slot ratings out of step")  # pragma: no cover
    # evidence: the slot that gives the skill most of its value, g_slot * m(slot, skill)
    best_row: dict[int, int] = {}
    if len(slots):
        r = qq if rr is None else rr
        uniq, row = np.unique(slots, return_inverse=True)
        g = np.zeros(len(uniq))
        np.maximum.at(g, row, qq)
        top = np.zeros(len(uniq))
        np.maximum.at(top, row, r)
        value = np.zeros(len(r))
        pos = top[row] > 0
        value[pos] = g[row][pos] * (r[pos] / top[row][pos]) ** power
        order = np.lexsort((rows, -value, skills))
        first = order[np.r_[True, skills[order][1:] != skills[order][:-1]]]
        best_row = dict(zip(skills[first].tolist(), rows[first].tolist(), strict=True))
    return [(s, gain, p, best_row[s])
            for s, gain, p in cover(slots, skills, qq, k, power=power, rank=rr)]
