"""Credential overlap: what two credentials share, and how far a holder of one is from the other.

For every ordered pair of credentials (A, B):

- ``shared_courses``: the courses that can count toward both (each credential's requirement
  tree, nested credentials expanded, ``min_hours`` lists included), and ``shared_skills``: the
  skills both credentials' courses teach;
- ``hours_still_needed``: the learning hours a holder of A still needs for B. With the planner
  (:func:`pathways.planner.plan`) a *holder of A* is a learner who holds credential A and the
  courses of A's hours-optimal plan from scratch, all completed on ``as_of``; the hours are the
  ``total_hours`` of the hours-optimal plan for B for that learner, and ``hours_from_scratch``
  those of B for a learner holding nothing. ``covered_share = 1 - still / from scratch``.
  A plan is only computed for pairs where holding A can matter: A's plan has a course of
  B's relevant subgraph (a course that counts toward B or a prerequisite of one) or B nests A.
  Every other pair needs B's hours from scratch, exactly. Plans are cached per credential.
- With ``use_planner=False`` (no plans: quick) the hours are left empty
  and the pairs are ranked by the shared courses and their hours; the ``method`` column says
  which way each row was computed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from pathways.domain import Catalog, Holding, LearnerProfile, leaf_ids
from pathways.errors import PathwaysError
from pathways.graph import build_graph, credential_order, relevant_subgraph

__all__ = ["credential_courses", "credential_overlap", "overlap_matrix", "stack_on"]

_COLUMNS = ["a", "b", "a_title", "b_title", "shared_courses", "n_shared", "shared_hours",
            "shared_skills", "b_nests_a", "a_nests_b", "reused_courses", "hours_from_scratch",
            "hours_still_needed", "covered_share", "method", "summary"]

METHOD_PLANNER = "planner"
METHOD_SCRATCH = "planner (A irrelevant to B: hours from scratch)"
METHOD_SHARED = "shared courses (planner unavailable)"


def credential_courses(catalog: Catalog) -> dict[str, frozenset[str]]:
    """Every course that can count toward each credential, nested credentials included.

    Examples
    --------
    >>> from pathways.io import catalog_from_data
    >>> cat = catalog_from_data({
    ...     "courses": [{"id": c, "title": c, "hours": 10} for c in "ABC"],
    ...     "credentials": [
    ...         {"id": "X", "title": "X", "level": "certificate", "requires": {"all": ["A", "B"]}},
    ...         {"id": "Y", "title": "Y", "level": "diploma", "requires": {"all": ["X", "C"]}}]}).catalog
    >>> {k: sorted(v) for k, v in credential_courses(cat).items()}
    {'X': ['A', 'B'], 'Y': ['A', 'B', 'C']}
    """
    closure: dict[str, frozenset[str]] = {}
    G = build_graph(catalog)
    for cred_id in credential_order(G):
        courses: set[str] = set()
        for ref in leaf_ids(catalog.credentials[cred_id].requires):
            if ref in catalog.courses:
                courses.add(ref)
            elif ref in closure:
                courses |= closure[ref]
        closure[cred_id] = frozenset(courses)
    return {c: closure[c] for c in catalog.credentials}


def _nested(catalog: Catalog) -> dict[str, frozenset[str]]:
    """Credential id -> the credentials it requires, directly or through others."""
    G = build_graph(catalog)
    out: dict[str, frozenset[str]] = {}
    for cred_id in credential_order(G):
        inner: set[str] = set()
        for ref in leaf_ids(catalog.credentials[cred_id].requires):
            if ref in catalog.credentials:
                inner |= {ref} | out[ref]
        out[cred_id] = frozenset(inner)
    return {c: out[c] for c in catalog.credentials}


class _Plans:
    """Hours-optimal plans, cached: from scratch per credential, and per (holder of A, B)."""

    def __init__(self, plan: Callable[..., Any], catalog: Catalog, G: nx.DiGraph,
                 as_of: dt.date) -> None:
        self.plan, self.catalog, self.G, self.as_of = plan, catalog, G, as_of
        self.scratch: dict[str, Any] = {}

    def _run(self, learner: LearnerProfile, target: str) -> Any:
        try:
            result = self.plan(self.catalog, learner, [target], objective="hours", graph=self.G,
                               explain=False)
        except PathwaysError:
            return None
        return result if getattr(result, "feasible", False) else None

    def from_scratch(self, cred: str) -> Any:
        if cred not in self.scratch:
            self.scratch[cred] = self._run(LearnerProfile(id="overlap-scratch"), cred)
        return self.scratch[cred]

    def holder(self, cred: str) -> LearnerProfile | None:
        base = self.from_scratch(cred)
        if base is None:
            return None
        held = [Holding("credential", cred, self.as_of)]
        held += [Holding("course", c.id, self.as_of) for c in base.courses]
        return LearnerProfile(id=f"holder-of-{cred}", completed=tuple(held))

    def hours(self, learner: LearnerProfile, target: str) -> float | None:
        result = self._run(learner, target)
        return None if result is None else float(result.total_hours)


def credential_overlap(catalog: Catalog, *, use_planner: bool = True,
                       as_of: dt.date | None = None,
                       graph: nx.DiGraph | None = None) -> pd.DataFrame:
    """What every ordered pair of credentials (A, B) shares, and how far holders of A are from B.

    Parameters
    ----------
    catalog : Catalog
        The catalog.
    use_planner : bool, default True
        Use :func:`pathways.planner.plan` for the hours when it is importable; otherwise (or
        when False) only the shared courses are reported.
    as_of : datetime.date, optional
        Date of the holder's completions (default: today).
    graph : networkx.DiGraph, optional
        ``build_graph(catalog)``, when the caller has it already.

    Returns
    -------
    pandas.DataFrame
        One row per ordered pair A != B, with the columns ``a``, ``b``, ``a_title``,
        ``b_title``, ``shared_courses`` (ids, catalog order), ``n_shared``, ``shared_hours``
        (their hours), ``shared_skills`` (labels), ``b_nests_a`` (B requires A, directly or
        through another credential), ``a_nests_b`` (the reverse), ``reused_courses`` (courses
        of a holder of A that count toward B or are prerequisites of its courses), ``hours_from_scratch`` (of B), ``hours_still_needed``
        (for B by a holder of A), ``covered_share``, ``method`` and a one-line ``summary``.
        The hours are NaN without the planner, or when a plan does not exist.

    Examples
    --------
    >>> from pathways.io import catalog_from_data
    >>> cat = catalog_from_data({
    ...     "courses": [{"id": c, "title": c, "hours": 10} for c in "ABC"],
    ...     "credentials": [
    ...         {"id": "X", "title": "X", "level": "certificate", "requires": {"all": ["A", "B"]}},
    ...         {"id": "Y", "title": "Y", "level": "certificate", "requires": {"all": ["B", "C"]}}]}).catalog
    >>> df = credential_overlap(cat, use_planner=False)
    >>> df[["a", "b", "shared_courses", "shared_hours"]].to_dict("records")[0]
    {'a': 'X', 'b': 'Y', 'shared_courses': ['B'], 'shared_hours': 10.0}
    """
    G = graph if graph is not None else build_graph(catalog)
    closure = credential_courses(catalog)
    nested = _nested(catalog)
    order = {c: i for i, c in enumerate(catalog.courses)}
    skills = {cred: {s.skill for c in courses for s in catalog.courses[c].skills}
              for cred, courses in closure.items()}
    plans = None
    if use_planner:
        from pathways.planner import plan  # the engine that prices the pairs (loaded on use)

        plans = _Plans(plan, catalog, G, as_of or dt.date.today())
    relevant: dict[str, set[str]] = {}

    rows = []
    for a in catalog.credentials:
        holder = plans.holder(a) if plans is not None else None
        held = {h.id for h in holder.completed} if holder is not None else set()
        for b in catalog.credentials:
            if a == b:
                continue
            shared = sorted(closure[a] & closure[b], key=order.__getitem__)
            shared_hours = float(sum(catalog.courses[c].hours for c in shared))
            shared_skills = sorted((catalog.skill_label(s) for s in skills[a] & skills[b]),
                                   key=str.casefold)
            scratch = still = np.nan
            reused: list[str] = []
            if plans is None:
                method = METHOD_SHARED
            else:
                base = plans.from_scratch(b)
                scratch = float(base.total_hours) if base is not None else np.nan
                if holder is None or base is None:
                    method = f"{METHOD_PLANNER}: no plan for {a if holder is None else b}"
                else:
                    if b not in relevant:
                        relevant[b] = set(relevant_subgraph(G, b).nodes)
                    reused = sorted((c for c in held & relevant[b] if c in order),
                                    key=order.__getitem__)
                    if held & relevant[b]:
                        hours = plans.hours(holder, b)
                        still = hours if hours is not None else np.nan
                        method = METHOD_PLANNER if hours is not None else \
                            f"{METHOD_PLANNER}: no plan for {b} from {a}"
                    else:
                        still, method = scratch, METHOD_SCRATCH
            covered = 1.0 - still / scratch if scratch and not np.isnan(still) else np.nan
            rows.append({
                "a": a, "b": b, "a_title": catalog.credentials[a].title,
                "b_title": catalog.credentials[b].title, "shared_courses": shared,
                "n_shared": len(shared), "shared_hours": shared_hours,
                "shared_skills": shared_skills, "b_nests_a": a in nested[b],
                "a_nests_b": b in nested[a], "reused_courses": reused,
                "hours_from_scratch": scratch, "hours_still_needed": still,
                "covered_share": covered, "method": method,
                "summary": _summary(a, b, len(shared), shared_hours, still, covered, scratch,
                                    reused)})
    df = pd.DataFrame(rows, columns=_COLUMNS)
    return df.astype({"n_shared": "int64", "shared_hours": "float64", "b_nests_a": "bool", "a_nests_b": "bool",
                      "hours_from_scratch": "float64", "hours_still_needed": "float64",
                      "covered_share": "float64"})


def _summary(a: str, b: str, n_shared: int, shared_hours: float, still: float, covered: float,
             scratch: float, reused: list[str]) -> str:
    shares = (f"{n_shared} course{'s' if n_shared != 1 else ''} ({shared_hours:g} h) can count "
              "toward both" if n_shared else "no course counts toward both")
    if np.isnan(still):
        return f"{shares}."
    if still <= 0:
        return (f"holders of {a} already meet every requirement of {b} ({scratch:g} hours on its "
                f"own); {shares}.")
    via = ""
    if n_shared == 0 and covered > 0 and reused:
        via = (f" by {', '.join(reused[:4])}{' ...' if len(reused) > 4 else ''} from the "
               f"pathway to {a}")
    return (f"holders of {a} are {still:g} hours from {b} ({covered:.0%} of its {scratch:g} hours "
            f"already covered{via}); {shares}.")


def stack_on(overlap: pd.DataFrame, *, limit: int | None = 10) -> pd.DataFrame:
    """The best "stack-on" pairs: where holding A covers most of B.

    Ranked by ``covered_share`` (highest first), then ``hours_still_needed`` (fewest first);
    without planner hours, by ``shared_hours`` and ``n_shared``, one direction per pair (A
    stacking into B when it does). Left out: pairs that share nothing and save nothing, and
    pairs where A requires B (a holder of A already holds B).

    Parameters
    ----------
    overlap : pandas.DataFrame
        The result of :func:`credential_overlap`.
    limit : int, optional
        Keep at most this many rows (None: all).
    """
    overlap = overlap[~overlap["a_nests_b"]]
    has_hours = overlap["covered_share"].notna()
    planned = overlap[has_hours & (overlap["covered_share"] > 1e-9)]
    planned = planned.sort_values(["covered_share", "hours_still_needed", "a", "b"],
                                  ascending=[False, True, True, True], kind="stable")
    shared = overlap[~has_hours & (overlap["n_shared"] > 0)]
    shared = shared.sort_values(["shared_hours", "n_shared", "b_nests_a", "a", "b"],
                                ascending=[False, False, False, True, True], kind="stable")
    # without hours the two directions say the same: keep one (the one that stacks, if any)
    a, b = shared["a"].to_numpy(dtype=object), shared["b"].to_numpy(dtype=object)
    pair = pd.Series([min(x, y) + "\0" + max(x, y) for x, y in zip(a, b)], dtype=object)
    shared = shared[~pair.duplicated().to_numpy()]
    frames = [f for f in (planned, shared) if len(f)]
    out = pd.concat(frames) if len(frames) > 1 else (frames[0] if frames else planned)
    out = out.reset_index(drop=True)
    return out if limit is None else out.head(limit)


def overlap_matrix(overlap: pd.DataFrame, value: str = "hours_still_needed") -> pd.DataFrame:
    """A credential x credential table of one column of :func:`credential_overlap`.

    Rows are A (what the learner holds), columns B (the target). For ``hours_still_needed``
    the diagonal is 0 (a holder of B needs nothing more for B); for other values it is empty.
    """
    ids = list(dict.fromkeys(list(overlap["a"]) + list(overlap["b"])))
    matrix = overlap.pivot(index="a", columns="b", values=value).reindex(index=ids, columns=ids)
    if value == "hours_still_needed":
        for cred in ids:
            matrix.loc[cred, cred] = 0.0
    matrix.index.name, matrix.columns.name = "holder of", "target"
    return matrix
