"""Phrases of a tagged job ad: split the tagger's spans into parts, then sub-phrases.

A tagged span (:meth:`~pathways.skills._tagger.TokenTagger.decode`) such as
``"strong SQL and Excel"`` is cut into *parts* at commas, semicolons, slashes, brackets and
the words ``and``, ``or``, ``&``, ``as well as``, ``such as``, ``e.g.``, ``etc.``
(``"strong SQL"``, ``"Excel"``); a part with three or more content words is also tried as its
one- and two-word *sub-phrases*. A long list of names without commas (``"java python c++
javascript"``) is cut where each piece is a known label (:func:`split_list`).

Each part is a *slot*: one place in the ad that may name a skill. The job-ad scorer rates
(sub-phrase, skill) pairs; a slot's rating for a skill is the best of its sub-phrases.
Words are compared as in :func:`pathways.skills.evaluate.span_tokens`: lowercased
alphanumeric tokens (``c++``, ``c#`` kept) without English stop words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from pathways.skills._tagger import Token

__all__ = ["Phrase", "content_tokens", "phrases_of", "split_list"]

_WORD = re.compile(r"[a-z0-9]+[+#]*")
_SEPARATORS = frozenset({",", ";", "/", "(", ")", "[", "]", "|", "&", "+", ":", "and", "or",
                         "etc", "e.g", "i.e", "incl", "including", "plus", "nor", "•", "·"})
_SEP_PAIRS = frozenset({("as", "well"), ("such", "as")})
_STOP = ENGLISH_STOP_WORDS


def content_tokens(text: str) -> tuple[str, ...]:
    """The words of ``text`` that matching compares, in order (duplicates kept).

    >>> content_tokens("Experience with C++ and the AWS cloud!")
    ('experience', 'c++', 'aws', 'cloud')
    """
    return tuple(t for t in _WORD.findall(text.lower()) if t not in _STOP)


@dataclass(frozen=True, slots=True)
class Phrase:
    """A sub-phrase of a slot.

    ``slot`` numbers the part it belongs to; ``words`` its content tokens; ``first``/``stop``
    its token range in the tagged text; ``start``/``end`` its character range; ``span``
    the character range of the whole tagged span (the evidence shown to the user);
    ``probability`` the tagger's mean in-span probability over the part and ``knowledge``
    the share of it that is knowledge (vs skill); ``whole`` is False for a sub-phrase.
    """

    slot: int
    words: tuple[str, ...]
    first: int
    stop: int
    start: int
    end: int
    span: tuple[int, int]
    probability: float
    knowledge: float
    whole: bool


def _parts(tokens: Sequence[Token], first: int, stop: int) -> list[tuple[int, int]]:
    """Token ranges of ``tokens[first:stop]`` between separators."""
    out: list[tuple[int, int]] = []
    start = first
    i = first
    while i < stop:
        low = tokens[i].text.lower().rstrip(".")
        if low in _SEPARATORS or (
                i + 1 < stop and (low, tokens[i + 1].text.lower()) in _SEP_PAIRS):
            if start < i:
                out.append((start, i))
            i += 2 if low in ("as", "such") else 1
            start = i
            continue
        i += 1
    if start < stop:
        out.append((start, stop))
    return out


def split_list(words: Sequence[str], known: Callable[[tuple[str, ...]], bool],
               longest: int = 4) -> list[tuple[int, int]] | None:
    """Cut a comma-less list of names into known labels, or None when it is not one.

    Greedy longest match from the left against ``known`` (token tuples); words that start
    no known label become one-word pieces. The cut is used when at least two pieces are
    known labels and they cover at least 60 % of the words.

    >>> labels = {("java",), ("python",), ("c++",), ("google", "cloud")}
    >>> split_list(["java", "python", "google", "cloud", "c++"], labels.__contains__)
    [(0, 1), (1, 2), (2, 4), (4, 5)]
    >>> split_list(["design", "complex", "tests"], labels.__contains__) is None
    True
    """
    n = len(words)
    pieces: list[tuple[int, int]] = []
    n_known = covered = 0
    i = 0
    while i < n:
        for j in range(min(n, i + longest), i, -1):
            if known(tuple(words[i:j])):
                pieces.append((i, j))
                n_known += 1
                covered += j - i
                i = j
                break
        else:
            pieces.append((i, i + 1))
            i += 1
    if n_known >= 2 and covered >= 0.6 * n:
        return pieces
    return None


def phrases_of(text: str, tokens: Sequence[Token], spans: Sequence[tuple[int, int, float, float]],
               known: Callable[[tuple[str, ...]], bool]) -> list[Phrase]:
    """The parts and sub-phrases of ``spans`` (token ranges with their probabilities).

    Parameters
    ----------
    text : str
        The ad.
    tokens : sequence of Token
        Its tokens (:func:`~pathways.skills._tagger.tokenize`).
    spans : sequence of (first, stop, probability, knowledge)
        Tagged token ranges, the mean probability of being in a span, and the share of it
        that is knowledge.
    known : callable
        Whether a tuple of content words is a label (for :func:`split_list`).
    """
    out: list[Phrase] = []
    slot = 0
    for first, stop, prob, know in spans:
        span = (tokens[first].start, tokens[stop - 1].end)
        for a, b in _parts(tokens, first, stop):
            # content words with the token each comes from
            words: list[str] = []
            owner: list[int] = []
            for k in range(a, b):
                for w in content_tokens(tokens[k].text):
                    words.append(w)
                    owner.append(k)
            if not words:
                continue
            pieces = split_list(words, known) if len(words) >= 3 else None
            if pieces is None:
                pieces = [(0, len(words))]
            for pa, pb in pieces:
                ws = tuple(words[pa:pb])
                t0, t1 = owner[pa], owner[pb - 1] + 1
                out.append(Phrase(slot, ws, t0, t1, tokens[t0].start, tokens[t1 - 1].end,
                                  span, prob, know, True))
                if len(ws) >= 3:
                    seen = {ws}
                    for size in (1, 2):
                        for i in range(len(ws) - size + 1):
                            sub = ws[i:i + size]
                            if sub in seen:
                                continue
                            seen.add(sub)
                            s0, s1 = owner[pa + i], owner[pa + i + size - 1] + 1
                            out.append(Phrase(slot, sub, s0, s1, tokens[s0].start,
                                              tokens[s1 - 1].end, span, prob, know, False))
                slot += 1
    return out
