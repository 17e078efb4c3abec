"""Token tagger for skill and knowledge spans in job ads (a linear model over hashed features).

Texts are cut into tokens (:func:`tokenize`) that keep their character offsets, so every
span found can be shown as the exact text of the ad. Each token gets a row of hashed
indicator features (:func:`token_features`): its lowercased form and those of its two
neighbours on each side, two word bigrams, its shape (``Xx``, ``X``, ``d``...) and those of
its neighbours, a 3-character prefix and suffix, its place in the line, and the first words
of the section heading above it (a short line such as ``Requirements:``). A multinomial
logistic regression (:class:`TokenTagger`) turns a row into probabilities of the five tags
``O``, ``B-skill``, ``I-skill``, ``B-knowledge``, ``I-knowledge``, and a constrained Viterbi
pass (no ``I-x`` after anything but ``B-x``/``I-x``) reads the spans.

Features are hashed with CRC-32 and mixed with fixed 64-bit multipliers, so the feature
index of a token never depends on the Python hash seed, the platform or the scikit-learn
version; the weights are a plain ``float16`` matrix, ``(2**bits, 5)``.
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

__all__ = ["TAGS", "Token", "TokenTagger", "line_spans", "token_features", "tokenize",
           "viterbi_spans"]

#: The tag set, in the order of the model's columns.
TAGS = ("O", "B-skill", "I-skill", "B-knowledge", "I-knowledge")

_TOKEN = re.compile(r"\w+(?:[-'’.&]\w+)*[+#]*|[^\w\s]")
_LINE = re.compile(r"[^\n\r]+")
#: A sentence break inside a line: end punctuation, blanks, then an upper-case letter.
_SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z(\"'•*-])|\s[•·▪●◦]\s*")
_BULLET = frozenset("-*•·▪●◦>–—")
_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xC2B2AE3D27D4EB4F)
_M3 = np.uint64(0x165667B19E3779F9)
_PAD = 0x5F504144  # the hash of a position before the start or after the end of a line


class Token(NamedTuple):
    """A token: its text, its character offsets ``[start, end)`` and its line (segment)."""

    text: str
    start: int
    end: int
    line: int


def line_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of the segments of ``text``: lines, cut again at sentence breaks.

    >>> text = "Skills: SQL. Python!\\nExcel"
    >>> [text[a:b] for a, b in line_spans(text)]
    ['Skills: SQL.', 'Python!', 'Excel']
    """
    out: list[tuple[int, int]] = []
    for m in _LINE.finditer(text):
        start = m.start()
        for brk in _SENTENCE.finditer(m.group()):
            if brk.start() > 0:
                out.append((start, m.start() + brk.start()))
            start = m.start() + brk.end()
        if start < m.end():
            out.append((start, m.end()))
    return [(a, b) for a, b in out if text[a:b].strip()]


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` with offsets and segment numbers (:func:`line_spans`).

    Words keep inner hyphens, dots and apostrophes and trailing ``+``/``#``
    (``end-to-end``, ``node.js``, ``c++``); every other non-blank character is a token.

    >>> [t.text for t in tokenize("C++/C# and Node.js, end-to-end.")]
    ['C++', '/', 'C#', 'and', 'Node.js', ',', 'end-to-end', '.']
    """
    out: list[Token] = []
    for n, (a, b) in enumerate(line_spans(text)):
        out.extend(Token(m.group(), m.start(), m.end(), n)
                   for m in _TOKEN.finditer(text, a, b))
    return out


def _crc(s: str) -> int:
    return zlib.crc32(s.encode("utf-8"))


def _shape(word: str) -> str:
    out: list[str] = []
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out[:6])


#: Per-token attributes, in the order of the columns of :func:`_attributes`.
_ATTRIBUTES = ("lower", "shape", "prefix", "suffix")

_ATTR_CACHE: dict[str, tuple[int, int, int, int]] = {}


def _attributes(words: Sequence[str]) -> np.ndarray:
    """``(n, 4)`` uint64 CRC-32 hashes of each word's lowercased form, shape, prefix, suffix."""
    cache = _ATTR_CACHE
    if len(cache) > 200_000:
        cache.clear()
    rows = []
    for w in words:
        hit = cache.get(w)
        if hit is None:
            low = w.lower()
            hit = cache[w] = (_crc("w=" + low), _crc("s=" + _shape(w)), _crc("p=" + low[:3]),
                              _crc("x=" + low[-3:]))
        rows.append(hit)
    return np.asarray(rows, dtype=np.uint64).reshape(len(words), len(_ATTRIBUTES))


def _mix(*parts: np.ndarray) -> np.ndarray:
    """A 64-bit hash of the element-wise tuple ``parts`` (uint64 arrays, wrapping)."""
    h = np.full(parts[0].shape, _M3, dtype=np.uint64)
    for p in parts:
        h = (h ^ p) * _M1
        h ^= h >> np.uint64(29)
    return h * _M2


def _shifted(column: np.ndarray, lines: np.ndarray, offset: int) -> np.ndarray:
    """``column[i + offset]`` when that token is on the same segment as ``i``, else a pad."""
    n = len(column)
    out = np.full(n, _PAD + offset, dtype=np.uint64)
    if offset == 0 or n == 0:
        return column.copy() if offset == 0 else out
    if offset > 0:
        same = lines[offset:] == lines[:-offset] if offset < n else np.zeros(0, bool)
        idx = np.flatnonzero(same)
        out[idx] = column[idx + offset]
    else:
        k = -offset
        same = lines[:-k] == lines[k:] if k < n else np.zeros(0, bool)
        idx = np.flatnonzero(same) + k
        out[idx] = column[idx - k]
    return out


def _line_context(tokens: Sequence[Token]) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                      np.ndarray]:
    """Per token: position in its segment (bucketed), segment length (bucketed), whether the
    segment starts with a bullet, and the hash of the section heading above it."""
    n = len(tokens)
    pos = np.zeros(n, np.uint64)
    length = np.zeros(n, np.uint64)
    bullet = np.zeros(n, np.uint64)
    heading = np.zeros(n, np.uint64)
    i = 0
    current = _crc("h=")
    while i < n:
        j = i
        while j < n and tokens[j].line == tokens[i].line:
            j += 1
        words = [t.text for t in tokens[i:j]]
        size = j - i
        first = words[0]
        pos[i:j] = np.minimum(np.arange(size), 6).astype(np.uint64)
        length[i:j] = min(size, 4) if size < 4 else 4 + min((size - 4) // 8, 4)
        bullet[i:j] = int(first in _BULLET)
        alpha = [w.lower() for w in words if w[:1].isalnum()]
        if 0 < len(alpha) <= 4 and (words[-1] == ":" or size <= 4):
            # a heading: it labels the lines below it
            heading[i:j] = current
            current = _crc("h=" + " ".join(alpha[:2]))
        else:
            heading[i:j] = current
        i = j
    return pos, length, bullet, heading


def token_features(tokens: Sequence[Token], bits: int,
                   extra: Sequence[np.ndarray] = ()) -> sp.csr_matrix:
    """``(n_tokens, 2**bits)`` hashed binary features of ``tokens`` (see the module docstring).

    >>> X = token_features(tokenize("Strong SQL skills"), 12)
    >>> X.shape, int(X[0].sum()) == int(X[1].sum())
    ((3, 4096), True)
    """
    n = len(tokens)
    size = 1 << bits
    if n == 0:
        return sp.csr_matrix((0, size), dtype=np.float32)
    attrs = _attributes([t.text for t in tokens])
    lines = np.fromiter((t.line for t in tokens), dtype=np.int64, count=n)
    low, shape, prefix, suffix = (attrs[:, k] for k in range(4))
    pos, length, bullet, heading = _line_context(tokens)
    w = {o: _shifted(low, lines, o) for o in (-3, -2, -1, 0, 1, 2, 3)}
    x = {o: _shifted(suffix, lines, o) for o in (-1, 1)}
    starts = np.r_[0, np.flatnonzero(lines[1:] != lines[:-1]) + 1]
    first_word = np.repeat(low[starts], np.diff(np.r_[starts, n]))
    s = {o: _shifted(shape, lines, o) for o in (-1, 0, 1)}
    columns = [
        np.zeros(n, np.uint64),  # bias
        *(w[o] for o in (-2, -1, 0, 1, 2)),
        *(s[o] for o in (-1, 0, 1)),
        prefix, suffix,
        _mix(w[-1], w[0]), _mix(w[0], w[1]),
        _mix(s[-1], s[0], s[1]),
        _mix(pos, length), _mix(pos, w[0]), bullet, heading, _mix(heading, w[0]),
        w[-3], w[3], _mix(w[-2], w[-1]), _mix(w[1], w[2]), x[-1], x[1],
        first_word, _mix(first_word, w[0]),
        *extra,
    ]
    template = [*range(len(columns))]
    # bags of the words before and after (position-free): one template each
    for side, offsets in ((1001, range(-5, 0)), (1002, range(1, 6))):
        for o in offsets:
            columns.append(_shifted(low, lines, o))
            template.append(side)
    values = np.stack(columns, axis=1)
    tmpl = np.asarray(template, dtype=np.uint64)[None, :]
    hashed = _mix(values, np.broadcast_to(tmpl, values.shape))
    indices = (hashed >> np.uint64(64 - bits)).astype(np.int64)
    data = np.ones(indices.size, dtype=np.float32)
    indptr = np.arange(0, indices.size + 1, values.shape[1], dtype=np.int64)
    X = sp.csr_matrix((data, indices.ravel(), indptr), shape=(n, size))
    X.sum_duplicates()
    return X


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


@dataclass(frozen=True, eq=False)
class TokenTagger:
    """A fitted linear tagger: ``softmax(X @ weights + bias)`` over :data:`TAGS`, ``X`` the
    :func:`token_features` of the tokens.

    Parameters
    ----------
    weights : ndarray
        ``(2**bits, len(TAGS))`` feature weights.
    bias : ndarray
        ``(len(TAGS),)`` intercepts.
    bits : int
        Feature hash size (``2**bits`` buckets).
    """

    weights: np.ndarray
    bias: np.ndarray
    bits: int

    def predict_proba(self, tokens: Sequence[Token]) -> np.ndarray:
        """``(n_tokens, 5)`` tag probabilities, columns in :data:`TAGS` order."""
        X = token_features(tokens, self.bits)
        if X.shape[0] == 0:
            return np.zeros((0, len(TAGS)))
        return _softmax(np.asarray(X @ self.weights, dtype=np.float64) + self.bias)

    def decode(self, tokens: Sequence[Token], proba: np.ndarray | None = None
               ) -> list[tuple[int, int, str, float]]:
        """Spans ``(first, stop, kind, probability)`` of the best valid tag sequence.

        ``first``/``stop`` index ``tokens``; ``kind`` is ``"skill"`` or ``"knowledge"``;
        ``probability`` is the mean over the span's tokens of the probability that the token
        is inside a span of that kind. Spans never cross a segment.
        """
        if proba is None:
            proba = self.predict_proba(tokens)
        return viterbi_spans(proba, [t.line for t in tokens])


# allowed[i, j]: tag j may follow tag i (I-x only after B-x or I-x)
_ALLOWED = np.ones((5, 5), dtype=bool)
_ALLOWED[:, 2] = False
_ALLOWED[[1, 2], 2] = True
_ALLOWED[:, 4] = False
_ALLOWED[[3, 4], 4] = True
_START = np.array([True, True, False, True, False])
_KIND = {1: "skill", 3: "knowledge"}


def viterbi_spans(proba: np.ndarray, lines: Sequence[int]) -> list[tuple[int, int, str, float]]:
    """Spans of the most probable valid tag path of each segment (see :meth:`TokenTagger.decode`).

    >>> p = np.array([[.9, .05, 0, .05, 0], [.1, .1, 0, .7, .1], [.2, 0, 0, .1, .7]])
    >>> [(a, b, k) for a, b, k, _ in viterbi_spans(p, [0, 0, 0])]
    [(1, 3, 'knowledge')]
    """
    n = len(proba)
    if n == 0:
        return []
    logp = np.log(np.clip(proba, 1e-12, None))
    trans = np.where(_ALLOWED, 0.0, -np.inf)
    start_pen = np.where(_START, 0.0, -np.inf)
    tags = np.zeros(n, dtype=np.int64)
    line_arr = np.asarray(lines)
    bounds = np.flatnonzero(np.r_[True, line_arr[1:] != line_arr[:-1], True])
    for a, b in itertools.pairwise(bounds):
        score = logp[a] + start_pen
        back = np.zeros((b - a, 5), dtype=np.int64)
        for i in range(a + 1, b):
            cand = score[:, None] + trans
            back[i - a] = cand.argmax(axis=0)
            score = cand.max(axis=0) + logp[i]
        t = int(score.argmax())
        for i in range(b - 1, a - 1, -1):
            tags[i] = t
            t = int(back[i - a, t])
    spans: list[tuple[int, int, str, float]] = []
    i = 0
    while i < n:
        t = int(tags[i])
        if t in (1, 3):
            j = i + 1
            while j < n and tags[j] == t + 1 and line_arr[j] == line_arr[i]:
                j += 1
            inside = proba[i:j, t] + proba[i:j, t + 1]
            spans.append((i, j, _KIND[t], float(inside.mean())))
            i = j
        else:
            i += 1
    return spans
