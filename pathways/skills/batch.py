"""Batch scoring with ``scipy.sparse``: many learners against many jobs and courses at once.

Skill levels are expanded into **level indicators**: a learner holding skill ``s`` at level
``h`` gets ones in the columns ``(s, 1) .. (s, h)`` of a learners x (skills * L) matrix
(L = :data:`MAX_LEVEL`). A job requiring ``s`` at level ``r`` with importance ``w`` gets
``w / (r * W)`` in the columns ``(s, 1) .. (s, r)``, where ``W`` is the job's total importance.
Since ``sum_{l <= r} [h >= l] = min(h, r)``, one sparse product gives the exact readiness::

    H @ R.T  ==  sum_s w_s * min(h_s, r_s) / r_s / W        (times 100 for percent)

the same number as :func:`pathways.skills.gap.readiness`. For course suggestions, the learner's
*remaining* gap ``G = R_goal - R_goal * H`` (elementwise) times the course indicator matrix
``C`` (``[course teaches s at >= l]``) gives each course's readiness gain exactly (a course
raises a skill to ``max(held, taught)``); dividing by the course hours ranks by gain per hour.
No Python loop runs per learner: the top-k selection works on blocks of rows.

A course whose prerequisites the learner lacks carries their hours: with the
:func:`prerequisite_chains` matrix ``P`` (cheapest chain of each course from scratch), the hours
still missing are ``P.sum(1) - held_courses @ P.T``, one more sparse product. This approximates
the single-learner recommender (:mod:`pathways.skills.recommend`), which finds the cheapest
prerequisites given exactly what the learner holds and explains each item.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from scipy import sparse

from pathways.domain import Catalog, Job

__all__ = [
    "MAX_LEVEL",
    "course_matrix",
    "encode_jobs",
    "encode_levels",
    "level_indicators",
    "prerequisite_chains",
    "readiness_matrix",
    "requirement_matrix",
    "top_courses",
]

#: Highest proficiency level (levels are 1 .. MAX_LEVEL).
MAX_LEVEL = 4


def _csr(x: object) -> sparse.csr_matrix:
    return x if isinstance(x, sparse.csr_matrix) else sparse.csr_matrix(x)


def _expand(shape: tuple[int, int], row: np.ndarray, col: np.ndarray, level: np.ndarray,
            weights: np.ndarray | None, max_level: int) -> sparse.csr_matrix:
    """Rows x (skills * max_level): each (row, s) entry of level v becomes v columns."""
    lv = np.clip(np.rint(level).astype(np.int64), 0, max_level)
    starts = np.cumsum(lv) - lv
    rep = np.repeat(np.arange(lv.size), lv)
    offset = np.arange(rep.size) - np.repeat(starts, lv)
    cols = col.astype(np.int64)[rep] * max_level + offset
    data = np.ones(rep.size, np.float32) if weights is None else weights[rep].astype(np.float32)
    return sparse.csr_matrix((data, (row[rep], cols)), shape=(shape[0], shape[1] * max_level))


def level_indicators(levels: object, *, max_level: int = MAX_LEVEL) -> sparse.csr_matrix:
    """Indicator matrix ``[level >= l]`` of a rows x skills matrix of levels (0 = not held).

    >>> level_indicators(np.array([[2, 0], [0, 1]]), max_level=2).toarray()
    array([[1., 1., 0., 0.],
           [0., 0., 1., 0.]], dtype=float32)
    """
    coo = _csr(levels).tocoo()
    return _expand(coo.shape, coo.row, coo.col, coo.data, None, max_level)


def requirement_matrix(required: object, importance: object, *,
                       max_level: int = MAX_LEVEL) -> sparse.csr_matrix:
    """Job x (skills * levels) weights ``importance / (required * total importance)``.

    ``required`` holds required levels (0 = not required) and ``importance`` the weights at
    the same positions. A row with no requirement stays empty.

    >>> requirement_matrix(np.array([[2, 1]]), np.array([[1.0, 0.5]]), max_level=2).toarray()
    array([[0.33333334, 0.33333334, 0.33333334, 0.        ]], dtype=float32)
    """
    req = _csr(required).tocoo()
    keep = req.data > 0
    row, col = req.row[keep], req.col[keep]
    w = np.asarray(_csr(importance)[row, col]).ravel().astype(np.float64)
    total = np.bincount(row, weights=w, minlength=req.shape[0])
    lv = np.clip(np.rint(req.data[keep]), 1, max_level)
    per_level = w / (lv * np.where(total[row] > 0, total[row], 1.0))
    return _expand(req.shape, row, col, lv, per_level, max_level)


def readiness_matrix(learner_levels: object, job_required: object, job_importance: object, *,
                     max_level: int = MAX_LEVEL) -> sparse.csr_matrix:
    """Readiness (0-100) of every learner for every job, as a sparse learners x jobs matrix.

    Parameters
    ----------
    learner_levels : sparse or dense matrix, learners x skills
        Held levels (0 = not held).
    job_required, job_importance : sparse or dense matrix, jobs x skills
        Required levels and importance weights (see :func:`encode_jobs`).

    Returns
    -------
    scipy.sparse.csr_matrix of float32
        Zero entries are learners with none of the job's skills (a job with no requirements
        also scores 0 here; :func:`pathways.skills.gap.readiness` calls it 100).

    Examples
    --------
    >>> H = np.array([[1, 0], [2, 2]])
    >>> readiness_matrix(H, np.array([[2, 1]]), np.array([[1.0, 0.5]])).toarray().round(2)
    array([[ 33.33],
           [100.  ]], dtype=float32)
    """
    H = level_indicators(learner_levels, max_level=max_level)
    R = requirement_matrix(job_required, job_importance, max_level=max_level)
    out = (H @ R.T.tocsr()).tocsr()
    out.data *= np.float32(100.0)
    return out


def encode_levels(items: Iterable[Mapping[str, int]], vocabulary: Sequence[str] | Mapping[str, int]
                  ) -> sparse.csr_matrix:
    """Skill-level mappings (one per row) as a rows x vocabulary matrix; unknown skills dropped.

    >>> encode_levels([{"b": 2}, {"a": 1, "z": 3}], ["a", "b"]).toarray()
    array([[0, 2],
           [1, 0]], dtype=int8)
    """
    index = vocabulary if isinstance(vocabulary, Mapping) else {s: i for i, s in enumerate(vocabulary)}
    rows, cols, vals = [], [], []
    n = 0
    for n_, item in enumerate(items):
        n = n_ + 1
        for skill, level in item.items():
            j = index.get(skill)
            if j is not None and level > 0:
                rows.append(n_)
                cols.append(j)
                vals.append(level)
    return sparse.csr_matrix((np.array(vals, np.int8), (rows, cols)), shape=(n, len(index)))


def encode_jobs(jobs: Iterable[Job], vocabulary: Sequence[str] | Mapping[str, int]
                ) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """Required levels and importances of ``jobs`` as two jobs x vocabulary matrices."""
    index = vocabulary if isinstance(vocabulary, Mapping) else {s: i for i, s in enumerate(vocabulary)}
    rows, cols, lv, imp = [], [], [], []
    n = 0
    for r, job in enumerate(jobs):
        n = r + 1
        best: dict[int, tuple[float, int]] = {}
        for s in job.skills:
            j = index.get(s.skill)
            if j is not None:
                best[j] = max(best.get(j, (0.0, 0)), (s.importance, s.level))
        for j, (w, level) in best.items():
            rows.append(r)
            cols.append(j)
            lv.append(level)
            imp.append(w)
    shape = (n, len(index))
    return (sparse.csr_matrix((np.array(lv, np.int8), (rows, cols)), shape=shape),
            sparse.csr_matrix((np.array(imp, np.float32), (rows, cols)), shape=shape))


def course_matrix(catalog: Catalog, vocabulary: Sequence[str] | None = None, *,
                  max_level: int = MAX_LEVEL
                  ) -> tuple[sparse.csr_matrix, list[str], list[str], np.ndarray, np.ndarray]:
    """The catalog's courses as level indicators ``[teaches s at >= l]``.

    Returns
    -------
    (matrix, vocabulary, course ids, hours, costs)
        ``vocabulary`` defaults to the catalog's listed skills, then every other taught skill,
        in first-seen order.
    """
    if vocabulary is None:
        vocab = dict.fromkeys(catalog.skills)
        for c in catalog.courses.values():
            vocab.update(dict.fromkeys(s.skill for s in c.skills))
        for job in catalog.jobs.values():
            vocab.update(dict.fromkeys(s.skill for s in job.skills))
        vocabulary = list(vocab)
    ids = list(catalog.courses)
    levels = encode_levels(({s.skill: s.level for s in catalog.courses[c].skills} for c in ids),
                           vocabulary)
    if levels.shape[0] != len(ids):  # an empty catalog
        levels = sparse.csr_matrix((len(ids), len(vocabulary)), dtype=np.int8)
    # keep the strongest level when a course lists a skill twice
    hours = np.array([catalog.courses[c].hours for c in ids], dtype=np.float64)
    costs = np.array([catalog.courses[c].cost for c in ids], dtype=np.float64)
    return level_indicators(levels, max_level=max_level), list(vocabulary), ids, hours, costs


def prerequisite_chains(catalog: Catalog, course_ids: Sequence[str] | None = None) -> sparse.csr_matrix:
    """Courses x courses: row ``c`` holds the hours of each course in the cheapest set that
    satisfies ``c``'s prerequisites from scratch (``or``-aware, fewest hours; ``c`` excluded).

    Used by :func:`top_courses` to charge the prerequisites a learner lacks:
    ``missing = chain hours - hours of the chain's courses the learner holds``. This is exact
    when the learner holds none of the alternatives the cheapest chain skipped, an upper bound
    otherwise.

    >>> from pathways.domain import Course, Ref, AnyOf
    >>> cat = Catalog(courses={"A": Course("A", "A", 10), "B": Course("B", "B", 30),
    ...     "C": Course("C", "C", 5, prerequisites=AnyOf((Ref("A"), Ref("B"))))})
    >>> prerequisite_chains(cat).toarray()
    array([[ 0.,  0.,  0.],
           [ 0.,  0.,  0.],
           [10.,  0.,  0.]])
    """
    from pathways.domain import AllOf, MinHours, Node, Ref

    ids = list(catalog.courses) if course_ids is None else list(course_ids)
    index = {c: i for i, c in enumerate(ids)}
    memo: dict[str, frozenset[str] | None] = {}

    def hours(group: frozenset[str]) -> float:
        return sum(catalog.courses[c].hours for c in group)

    def need(node: Node) -> frozenset[str] | None:
        if isinstance(node, Ref):
            if node.id not in catalog.courses:
                return None
            inner = package(node.id)
            return None if inner is None else inner | {node.id}
        if isinstance(node, MinHours):
            opts = sorted((hours(p | {c}), c, p | {c}) for c in node.courses
                          if c in catalog.courses and (p := package(c)) is not None)
            got: set[str] = set()
            for _, c, group in opts:
                if hours(frozenset(got)) >= node.hours:
                    break
                got |= group
            return frozenset(got)
        parts = [need(ch) for ch in node.children]  # type: ignore[union-attr]
        if isinstance(node, AllOf):
            return None if any(p is None for p in parts) else frozenset().union(*parts)  # type: ignore[arg-type]
        ok = sorted((p for p in parts if p is not None), key=hours)
        return frozenset().union(*ok[: node.k]) if len(ok) >= node.k else None  # type: ignore[union-attr]

    def package(cid: str) -> frozenset[str] | None:
        if cid not in memo:
            memo[cid] = None  # cycle guard
            pre = catalog.courses[cid].prerequisites
            memo[cid] = frozenset() if pre is None else need(pre)
        return memo[cid]

    rows, cols, vals = [], [], []
    for r, cid in enumerate(ids):
        for p in sorted(package(cid) or ()):
            if p in index and p != cid:
                rows.append(r)
                cols.append(index[p])
                vals.append(catalog.courses[p].hours)
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(ids), len(ids)), dtype=np.float64)


def _top_k_rows(S: sparse.csr_matrix, k: int, block: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the ``k`` largest stored entries (columns, values), -1 / 0 padded."""
    n = S.shape[0]
    idx = np.full((n, k), -1, np.int32)
    val = np.zeros((n, k), np.float32)
    lengths = np.diff(S.indptr)
    for a in range(0, n, block):
        b = min(n, a + block)
        lo, hi = S.indptr[a], S.indptr[b]
        lens = lengths[a:b]
        width = int(lens.max()) if lens.size else 0
        if width == 0:
            continue
        rows = np.repeat(np.arange(b - a), lens)
        pos = np.arange(hi - lo) - np.repeat(S.indptr[a:b] - lo, lens)
        P = np.full((b - a, width), -np.inf, np.float32)
        C = np.full((b - a, width), -1, np.int32)
        P[rows, pos] = S.data[lo:hi]
        C[rows, pos] = S.indices[lo:hi]
        kk = min(k, width)
        part = np.argpartition(-P, kk - 1, axis=1)[:, :kk] if kk < width else np.tile(np.arange(width), (b - a, 1))
        pv = np.take_along_axis(P, part, 1)
        pc = np.take_along_axis(C, part, 1)
        order = np.lexsort((pc, -pv), axis=1)  # best score first, ties by course index
        pv = np.take_along_axis(pv, order, 1)
        pc = np.take_along_axis(pc, order, 1)
        keep = np.isfinite(pv)
        idx[a:b, :kk] = np.where(keep, pc, -1)
        val[a:b, :kk] = np.where(keep, pv, 0.0)
    return idx, val


def top_courses(learner_levels: object, goal_requirements: object, courses: sparse.csr_matrix,
                hours: np.ndarray, *, held_courses: object = None, chains: object = None, k: int = 10,
                max_level: int = MAX_LEVEL, block: int = 20000) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` courses with the most readiness gain per hour, for every learner.

    Parameters
    ----------
    learner_levels : learners x skills matrix of held levels
    goal_requirements : learners x (skills * levels) matrix
        Each learner's goal job as a row of :func:`requirement_matrix` (e.g. ``R[goal_index]``).
    courses : courses x (skills * levels) indicator matrix (:func:`course_matrix`)
    hours : array of course hours
    held_courses : learners x courses matrix, optional
        Nonzero where the learner already holds the course (never suggested).
    chains : courses x courses matrix, optional
        :func:`prerequisite_chains`; when given, each course is charged the hours of the
        chain's courses the learner does not hold (a course whose prerequisites are missing
        carries their hours), otherwise only its own hours.
    k : int
        Suggestions per learner.

    Returns
    -------
    (indices, scores)
        learners x k arrays: course indices (-1 where fewer than k courses help) and readiness
        points per hour, best first (ties by course index).

    Examples
    --------
    >>> C = level_indicators(np.array([[2, 0], [0, 1], [1, 1]]))   # 3 courses, 2 skills
    >>> R = requirement_matrix(np.array([[2, 1]]), np.array([[1.0, 1.0]]))
    >>> idx, score = top_courses(np.array([[1, 0]]), R, C, np.array([10.0, 10.0, 40.0]), k=2)
    >>> idx, score.round(2)
    (array([[1, 0]], dtype=int32), array([[5. , 2.5]], dtype=float32))
    """
    H = level_indicators(learner_levels, max_level=max_level)
    R = _csr(goal_requirements).astype(np.float32)
    gap = (R - R.multiply(H)).tocsr()
    gap.eliminate_zeros()
    hours = np.asarray(hours, np.float64)
    held = _csr(held_courses).astype(bool).astype(np.float32) if held_courses is not None else None
    if chains is None:
        scale = sparse.diags((100.0 / hours).astype(np.float32))
        S = (gap @ (scale @ courses).T.tocsr()).tocsr()
        if held is not None:
            S = (S - S.multiply(held)).tocsr()
        S.eliminate_zeros()
        return _top_k_rows(S, k, block)
    # gain in readiness points, then divided by own hours + missing prerequisite hours
    G = (gap @ courses.T.tocsr()).tocsr()
    if held is not None:
        G = (G - G.multiply(held)).tocsr()
    G.eliminate_zeros()
    G.sort_indices()
    P = _csr(chains).astype(np.float32)
    full = hours + np.asarray(P.sum(axis=1)).ravel()
    cols = G.indices
    denom = full[cols].astype(np.float64)
    if held is not None:
        covered = (held @ P.T.tocsr()).tocsr()  # hours of chain courses held, per learner
        pattern = G.copy()
        pattern.data = np.ones_like(pattern.data)
        got = pattern.multiply(covered).tocsr()
        # align got's entries with G's (same pattern, zeros dropped)
        rows = np.repeat(np.arange(G.shape[0]), np.diff(G.indptr))
        key_g = rows.astype(np.int64) * G.shape[1] + cols
        got_rows = np.repeat(np.arange(got.shape[0]), np.diff(got.indptr))
        key_h = got_rows.astype(np.int64) * G.shape[1] + got.indices
        pos = np.searchsorted(key_g, key_h)
        denom[pos] -= got.data
    S = G.copy()
    S.data = (100.0 * G.data / np.maximum(denom, 1e-9)).astype(np.float32)
    return _top_k_rows(S, k, block)
