"""Explained course recommendations that close a learner's skill gap for a job.

Three answers, every item explained in words a learner understands:

**Ranked single courses** (:meth:`CourseRecommender.rank`). Each course that raises a gap skill
is scored by the readiness points it adds (see :mod:`pathways.skills.gap`) per hour and per
dollar. A course whose prerequisites the learner lacks carries them: its *package* is the
course plus the cheapest set of missing prerequisites (``or``-aware, hours first; completed
courses count as satisfied, even with an expired badge), and the package's hours, cost and
readiness gain are what is scored.

**The optimal bundle** (:meth:`CourseRecommender.bundle`), exact with ``scipy.optimize.milp``.
A gap *closes* when a taken or held course teaches the skill at or above the required level.
By default the bundle is the fewest-hours set of courses, with their missing prerequisites, that
closes every essential gap the catalog can close; ties are broken by cost, then by the smallest
sum of id ranks (sorted ids). With ``optional=True`` essentials are closed first, then the
bundle closes as much importance-weighted remaining gap (optional skills, and partial progress on
essentials no course closes fully) as the learner's budget and ``max_hours`` allow; if the
essential bundle alone exceeds a cap, that cap is raised to the essential bundle (essentials
first) and a note says so. The model is built only over the relevant courses: those teaching a
gap skill above the held level, plus their prerequisite closure. Courses the learner holds
validly are never recommended; ``exclude_providers`` and ``delivery`` are respected (a course
with no stated delivery mode is acceptable to everyone). The budget is not a constraint of the
default bundle; going over it is reported.

**Credentials** (:attr:`Bundle.credentials`): for each bundle, the credentials it earns and
those it nearly earns (at most the tolerance of extra hours away). The requirement trees are
encoded by the planner's rules (:class:`pathways._milp.Requirements`: one course fills at most
one leaf of a credential, ``min_hours`` sums hours, nested and exclusive credentials) with the
planner's counting (:class:`pathways.planner.validity.Validity` at the as-of date: expired
badges do not count, and the strictest ``recency_months`` of a credential and those above it
applies), so whenever a bundle is said to earn a credential, the planner's audit of that bundle
agrees; a holding too old to count may be retaken. With
``prefer_credentials=True``, the bundle is instead the cheapest one that also earns a related
credential (one that counts a course teaching a gap skill), when that costs at most
``max_extra_hours`` more than the plain bundle (default: 30 h or 25 % of the plain bundle,
whichever is larger); the highest-level such credential wins, then the fewest extra hours.

Gaps that no course closes are listed as such (:attr:`Recommendation.unclosable`), with the
reason: no course teaches the skill at that level, the courses that do are excluded by the
learner's constraints, or their prerequisites cannot be met.

The result classes are in :mod:`pathways.skills.results`, the bundle model on the shared MILP
layer in :mod:`pathways.skills._bundle`, and one learner's view of the catalog (held, allowed,
prerequisite packages) in :mod:`pathways.skills._context`.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from pathways._milp import ZERO, Expr, Requirements
from pathways.describe import money
from pathways.domain import (
    CREDENTIAL_LEVELS,
    AllOf,
    Catalog,
    Job,
    LearnerProfile,
    MinHours,
    Node,
    Ref,
    leaf_ids,
)
from pathways.skills._bundle import (
    TOL,
    BundleModel,
    combine,
    cover_rows,
    optional_gain_vars,
    part,
    prereq_order,
)
from pathways.skills._context import Context
from pathways.skills.gap import GapReport, SkillGap, readiness
from pathways.skills.learner import LearnerSkills
from pathways.skills.results import (
    Bundle,
    BundleItem,
    CredentialProgress,
    RankedCourse,
    Recommendation,
    UnclosableGap,
)

__all__ = [
    "Bundle",
    "BundleItem",
    "CourseRecommender",
    "CredentialProgress",
    "RankedCourse",
    "Recommendation",
    "UnclosableGap",
    "recommend",
    "recommender_for",
]

_LEVEL_RANK = {lv: i for i, lv in enumerate(CREDENTIAL_LEVELS[:-1])}  # "other" lowest


# --------------------------------------------------------------------------- explanations
def _h(value: float) -> str:
    return f"{value:g} h"


def _raise_text(ctx: Context, skill: str, a: int, b: int) -> str:
    g = ctx.gap.skill(skill)
    why = "essential" if g.essential else ("optional" if g.importance == 0.5 else f"importance {g.importance:g}")
    label = ctx.cat.skill_label(skill)
    change = f"from level {a} to {b}" if a else f"to level {b}"
    need = "" if b >= g.required_level else f", {g.required_level} needed"
    return f"raises {label} {change} ({why} for {ctx.job.title}{need})"


def _course_name(cat: Catalog, course_id: str) -> str:
    return cat.courses[course_id].title


# --------------------------------------------------------------------------- the estimator
class CourseRecommender(BaseEstimator):
    """Recommend courses that close a learner's gap for a job (scikit-learn style).

    Parameters
    ----------
    top_k : int, default 10
        How many single courses :meth:`rank` returns.
    optional : bool, default False
        Also close optional gaps within budget and ``max_hours`` (see the module docstring).
    max_hours : float, optional
        Cap on the bundle's hours in ``optional`` mode.
    prefer_credentials : bool, default False
        Prefer a bundle that also earns a credential when it costs little extra.
    max_extra_hours : float, optional
        Tolerance for ``prefer_credentials`` and for "nearly earned" credentials; default
        ``max(30, 0.25 * plain bundle hours)``.
    time_limit : float, default 10.0
        Seconds per optimisation (its lexicographic stages together; :mod:`pathways._milp`).

    Attributes
    ----------
    catalog_ : Catalog
    teaches_ : dict
        Skill id -> ((course id, level), ...), strongest first.
    vocabulary_ : list of str
        Skill ids, the columns of the sparse matrices.
    course_ids_ : list of str
    course_matrix_ : scipy.sparse.csr_matrix
        Courses x (skills * levels) indicators ``[teaches skill at >= level]`` (see
        :mod:`pathways.skills.batch`).
    hours_, costs_ : numpy.ndarray

    Examples
    --------
    >>> from pathways.domain import Course, JobSkill, SkillLevel
    >>> cat = Catalog(courses={"A": Course("A", "Intro SQL", 10, skills=(SkillLevel("sql", 2),)),
    ...                        "B": Course("B", "SQL II", 20, skills=(SkillLevel("sql", 3),))},
    ...               jobs={"J": Job("J", "analyst", (JobSkill("sql", level=3),))})
    >>> rec = CourseRecommender(top_k=1).fit(cat)

    A gives the most readiness per hour (2 of 3 levels in 10 h), but only B closes the gap:

    >>> [r.id for r in rec.rank(LearnerProfile("me"), "J")], rec.bundle(LearnerProfile("me"), "J").ids
    (['A'], ('B',))
    """

    def __init__(self, *, top_k: int = 10, optional: bool = False, max_hours: float | None = None,
                 prefer_credentials: bool = False, max_extra_hours: float | None = None,
                 time_limit: float = 10.0) -> None:
        self.top_k = top_k
        self.optional = optional
        self.max_hours = max_hours
        self.prefer_credentials = prefer_credentials
        self.max_extra_hours = max_extra_hours
        self.time_limit = time_limit

    # -- sklearn contract
    def fit(self, catalog: Catalog, y: Any = None) -> CourseRecommender:
        """Index the catalog: skill -> teaching courses, and the sparse course matrix."""
        from pathways.skills.batch import course_matrix, prerequisite_chains

        teaches: dict[str, list[tuple[str, int]]] = {}
        for c in catalog.courses.values():
            for s in c.skills:
                teaches.setdefault(s.skill, []).append((c.id, s.level))
        self.catalog_ = catalog
        self.teaches_ = {s: tuple(sorted(v, key=lambda t: (-t[1], t[0]))) for s, v in teaches.items()}
        self.rank_ = {cid: i for i, cid in enumerate(sorted(catalog.courses))}
        self.hours_by_id_ = {cid: c.hours for cid, c in catalog.courses.items()}
        self.counted_by_ = self._counted_by(catalog)
        (self.course_matrix_, self.vocabulary_, self.course_ids_, self.hours_,
         self.costs_) = course_matrix(catalog)
        self.chains_ = prerequisite_chains(catalog, self.course_ids_)
        return self

    def _check(self) -> None:
        check_is_fitted(self, "catalog_")

    @staticmethod
    def _counted_by(catalog: Catalog) -> dict[str, tuple[str, ...]]:
        """Course or credential id -> credentials whose tree names it (directly)."""
        out: dict[str, list[str]] = {}
        for cred in catalog.credentials.values():
            for ref in leaf_ids(cred.requires):
                out.setdefault(ref, []).append(cred.id)
        return {k: tuple(v) for k, v in out.items()}

    def _context(self, learner: LearnerProfile | LearnerSkills, job: Job | str | None,
                 as_of: dt.date | None, extractor: Any) -> Context:
        self._check()
        return Context(self, learner, job, as_of=as_of, extractor=extractor)

    def gap(self, learner: LearnerProfile | LearnerSkills, job: Job | str | None = None, *,
            as_of: dt.date | None = None, extractor: Any = None) -> GapReport:
        """The gap analysis (see :func:`pathways.skills.gap.gap_analysis`)."""
        return self._context(learner, job, as_of, extractor).gap

    # -- ranked single courses
    def rank(self, learner: LearnerProfile | LearnerSkills, job: Job | str | None = None, *,
             top_k: int | None = None, as_of: dt.date | None = None,
             extractor: Any = None) -> list[RankedCourse]:
        """Single courses (each with its missing prerequisites) by readiness gain per hour.

        Ties are broken by gain per dollar, then fewer hours, then id.
        """
        return self._rank(self._context(learner, job, as_of, extractor), top_k)

    def _candidates(self, ctx: Context, gaps: Iterable[SkillGap]) -> dict[str, None]:
        """Takeable courses that raise one of ``gaps`` above the held level, in a stable order."""
        found: dict[str, None] = {}
        for g in gaps:
            for cid, level in self.teaches_.get(g.skill, ()):
                if level <= g.held_level:
                    break
                if cid not in found and ctx.takeable(cid):
                    found[cid] = None
        return found

    def _rank(self, ctx: Context, top_k: int | None) -> list[RankedCourse]:
        gaps = ctx.gap.gaps
        if not gaps or top_k == 0:
            return []
        base = ctx.gap.readiness
        items = []
        for cid in self._candidates(ctx, gaps):
            pkg = ctx.package(cid)
            if pkg is None:
                continue
            hours, ids = pkg
            after = ctx.levels_after(ids)
            gain = readiness(after, ctx.job) - base
            if gain <= 1e-12:
                continue
            course = ctx.cat.courses[cid]
            pre = tuple(sorted((p for p in ids if p != cid), key=lambda p: self.rank_[p]))
            before = dict(ctx.held.levels)
            for p in pre:
                for s in ctx.cat.courses[p].skills:
                    before[s.skill] = max(before.get(s.skill, 0), s.level)
            raises = tuple(ctx.raises(cid, before))
            if not raises:  # helps only through its prerequisites: they rank on their own
                continue
            items.append(RankedCourse(cid, course.title, course.hours, course.cost, hours,
                                      ctx._cost(ids), pre, raises, gain, ""))
        # rounded so that equal ratios computed differently tie, then per dollar decides
        items.sort(key=lambda r: (-round(r.per_hour, 9),
                                  -(round(r.per_dollar, 9) if r.per_dollar is not None else np.inf),
                                  r.total_hours, r.id))
        k = self.top_k if top_k is None else top_k
        return [replace(r, reason=self._rank_reason(ctx, r.id, r.prerequisites, r.raises,
                                                    r.total_hours, r.total_cost, r.gain))
                for r in (items[:k] if k is not None else items)]

    def _rank_reason(self, ctx: Context, cid: str, pre: tuple[str, ...],
                     raises: tuple[tuple[str, int, int], ...], hours: float, cost: float,
                     gain: float) -> str:
        cat = ctx.cat
        course = cat.courses[cid]
        what = "; ".join(_raise_text(ctx, *r) for r in raises)
        text = f"{course.title} {what}"
        if pre:
            names = ", ".join(f"{p} {_course_name(cat, p)} ({_h(cat.courses[p].hours)})" for p in pre)
            text += f"; needs {names} first, included"
        text += f"; {_h(hours)}, {money(cost, cat.currency)}" + (" in all" if pre else "")
        return text + f"; readiness +{gain:.1f} points"

    # -- the optimal bundle
    def bundle(self, learner: LearnerProfile | LearnerSkills, job: Job | str | None = None, *,
               optional: bool | None = None, max_hours: float | None = None,
               prefer_credentials: bool | None = None, max_extra_hours: float | None = None,
               credentials: bool = True, as_of: dt.date | None = None,
               extractor: Any = None) -> Bundle:
        """The optimal bundle (see the module docstring); keyword options override ``__init__``.
        ``credentials=False`` skips the credentials earned or nearly earned."""
        return self.recommend(learner, job, optional=optional, max_hours=max_hours,
                              prefer_credentials=prefer_credentials, max_extra_hours=max_extra_hours,
                              credentials=credentials, as_of=as_of, extractor=extractor,
                              top_k=0).bundle

    def recommend(self, learner: LearnerProfile | LearnerSkills, job: Job | str | None = None, *,
                  optional: bool | None = None, max_hours: float | None = None,
                  prefer_credentials: bool | None = None, max_extra_hours: float | None = None,
                  top_k: int | None = None, credentials: bool = True,
                  as_of: dt.date | None = None, extractor: Any = None) -> Recommendation:
        """Gap, ranked courses, the optimal bundle with its credentials, and unclosable gaps.

        Parameters
        ----------
        learner : LearnerProfile or LearnerSkills
            A learner skills object has no constraints (every course is acceptable).
        job : Job or str, optional
            Default: the learner's goal job.
        optional, max_hours, prefer_credentials, max_extra_hours, top_k
            Override the estimator's parameters for this call.
        credentials : bool, default True
            List the credentials the bundle earns or nearly earns (one small MILP each).
        as_of, extractor
            See :func:`pathways.skills.learner.learner_skills`.

        Raises
        ------
        PathwaysError
            If the job cannot be resolved, or a solve does not finish in ``time_limit``.
        """
        ctx = self._context(learner, job, as_of, extractor)
        optional = self.optional if optional is None else optional
        max_hours = self.max_hours if max_hours is None else max_hours
        prefer = self.prefer_credentials if prefer_credentials is None else prefer_credentials
        extra_tol = self.max_extra_hours if max_extra_hours is None else max_extra_hours
        ranked = self._rank(ctx, top_k)
        closable, unclosable = self._closability(ctx)
        plain = self._solve_bundle(ctx, closable, optional=optional, max_hours=max_hours)
        tolerance = extra_tol if extra_tol is not None else max(30.0, 0.25 * plain.total_hours)
        chosen = plain
        if prefer:
            chosen = self._prefer_credential(ctx, closable, plain, tolerance,
                                             optional=optional, max_hours=max_hours)
        if credentials:
            chosen = replace(chosen, credentials=self._credential_progress(ctx, chosen.ids, tolerance))
        if chosen is not plain and plain.ids == chosen.ids:
            chosen = replace(chosen, credential=None)
        plain_out = plain if chosen.credential is None or not credentials else replace(
            plain, credentials=self._credential_progress(ctx, plain.ids, tolerance))
        return Recommendation(ctx.gap, tuple(ranked), chosen, tuple(unclosable), ctx.cat.currency,
                              plain_out if chosen.credential is not None else chosen)

    # -- closability
    def _closability(self, ctx: Context) -> tuple[list[SkillGap], list[UnclosableGap]]:
        """Essential gaps some takeable course closes, and every gap that cannot be closed."""
        closable: list[SkillGap] = []
        unclosable: list[UnclosableGap] = []
        for g in ctx.gap.gaps:
            teachers = [cid for cid, lv in self.teaches_.get(g.skill, ()) if lv >= g.required_level]
            if any(ctx.package(cid) is not None for cid in teachers):
                if g.essential:
                    closable.append(g)
                continue
            label = ctx.cat.skill_label(g.skill)
            best = max((lv for _, lv in self.teaches_.get(g.skill, ())), default=0)
            if not teachers:
                reason = (f"no course in the catalog teaches {label}" if best == 0 else
                          f"no course in the catalog teaches {label} to level {g.required_level} "
                          f"(the most is level {best})")
            else:
                excluded = [c for c in teachers if not ctx.allowed(ctx.cat.courses[c])]
                if len(excluded) == len(teachers):
                    whys = "; ".join(f"{c} {ctx.why_not(ctx.cat.courses[c])}" for c in teachers[:3])
                    reason = f"the courses that teach it are excluded by your constraints ({whys})"
                else:
                    reason = (f"the courses that teach it ({', '.join(teachers[:3])}) need "
                              "prerequisites you cannot take under your constraints")
            unclosable.append(UnclosableGap(g.skill, label, g.essential, g.required_level,
                                            g.held_level, reason))
        return closable, unclosable

    # -- model building
    def _build(self, ctx: Context, courses: Iterable[str]) -> tuple[BundleModel, dict[str, int]]:
        """Binary variables for ``courses`` and their takeable prerequisite closure, with the
        prerequisite rows (``or``-aware)."""
        m = BundleModel()
        xs: dict[str, int] = {}
        queue = [c for c in courses if ctx.takeable(c)]
        for c in queue:
            if c not in xs:
                xs[c] = m.var()
        i = 0
        while i < len(queue):
            cid = queue[i]
            i += 1
            pre = ctx.cat.courses[cid].prerequisites
            if pre is None:
                continue
            for ref in leaf_ids(pre):
                if ref not in xs and ref not in ctx.completed and ctx.takeable(ref):
                    xs[ref] = m.var()
                    queue.append(ref)
        for cid in list(xs):
            pre = ctx.cat.courses[cid].prerequisites
            if pre is None:
                continue
            r = self._encode_pre(m, ctx, xs, pre)
            if r is False:
                m.ub[xs[cid]] = 0.0
            elif r is not True:
                m.row([(xs[cid], 1.0), (r, -1.0)], ub=0.0)
        return m, xs

    def _encode_pre(self, m: BundleModel, ctx: Context, xs: Mapping[str, int], node: Node) -> int | bool:
        if isinstance(node, Ref):
            if node.id in ctx.completed:
                return True
            return xs.get(node.id, False)
        if isinstance(node, MinHours):
            need = node.hours - ctx._hours(c for c in node.courses if c in ctx.completed)
            if need <= 0:
                return True
            terms = [(xs[c], ctx.cat.courses[c].hours) for c in node.courses if c in xs]
            if sum(h for _, h in terms) < need:
                return False
            s = m.var()
            m.row([(s, need)] + [(v, -h) for v, h in terms], ub=0.0)
            return s
        parts = [self._encode_pre(m, ctx, xs, ch) for ch in node.children]
        return combine(m, parts, node.k if not isinstance(node, AllOf) else len(parts))

    def _solve_bundle(self, ctx: Context, closable: Sequence[SkillGap], *, optional: bool,
                      max_hours: float | None, require: Node | None = None) -> Bundle:
        """Fewest hours closing ``closable`` (and earning ``require``, a credential ref); in
        ``optional`` mode then the most remaining gap within the caps."""
        essentials = list(closable)
        others = [g for g in ctx.gap.gaps if g not in essentials] if optional else []
        notes: list[str] = []
        caps: list[tuple[str, float]] = []
        if optional:
            base = self._solve_bundle(ctx, closable, optional=False, max_hours=None, require=require)
            if base.objective == "infeasible":
                return base
            if ctx.budget is not None:
                cap = ctx.budget
                if base.total_cost > cap + TOL:
                    notes.append(f"the essential courses alone cost {money(base.total_cost, ctx.cat.currency)}, "
                                 f"over your budget of {money(cap, ctx.cat.currency)}; "
                                 "no optional courses were added")
                    cap = base.total_cost
                caps.append(("cost", cap))
            if max_hours is not None:
                cap = max_hours
                if base.total_hours > cap + TOL:
                    notes.append(f"the essential courses alone take {_h(base.total_hours)}, over the "
                                 f"{_h(max_hours)} cap; no optional courses were added")
                    cap = base.total_hours
                caps.append(("hours", cap))
        courses = dict.fromkeys(self._candidates(ctx, essentials))
        if optional:
            courses.update(self._candidates(ctx, others))
        if require is not None:
            courses.update(dict.fromkeys(self._credential_courses(ctx, require)))
        m, xs = self._build(ctx, courses)
        cover_rows(m, ctx, xs, essentials, self.teaches_)
        if require is not None:
            r = self._encode_credential(m, ctx, xs, require.id)  # type: ignore[attr-defined]
            if r is False:
                return _empty_bundle(ctx, "infeasible")
            if r is not True:
                m.row([(r, 1.0)], lb=1.0)
        real = {c: i for c, i in xs.items() if not c.startswith("held:")}
        hours = {i: ctx.cat.courses[c].hours for c, i in real.items()}
        cost = {i: ctx.cat.courses[c].cost for c, i in real.items()}
        ranks = {i: float(self.rank_[c]) for c, i in real.items()}
        stages: list[Mapping[int, float]] = [hours, cost, ranks]
        if optional:
            for kind, cap in caps:
                m.row((hours if kind == "hours" else cost).items(), ub=cap + TOL)
            stages.insert(0, optional_gain_vars(m, ctx, real, others, self.teaches_))
        x = m.lexmin(stages, time_limit=self.time_limit) if m.lb else np.zeros(0)
        if x is None:
            return _empty_bundle(ctx, "infeasible")
        chosen = [c for c, i in real.items() if x[i] > 0.5]
        return self._make_bundle(ctx, chosen, "optional" if optional else "hours", notes)

    def _make_bundle(self, ctx: Context, chosen: Sequence[str], objective: str,
                     notes: list[str]) -> Bundle:
        cat = ctx.cat
        order = prereq_order(cat, chosen, self.rank_)
        levels = dict(ctx.held.levels)
        need = {g.skill: g for g in ctx.gap.gaps}
        closed: list[str] = []
        items = []
        chosen_set = set(chosen)
        for cid in order:
            course = cat.courses[cid]
            raises = ctx.raises(cid, levels)
            closes = tuple(s for s, _, b in raises if b >= need[s].required_level and s not in closed)
            closed.extend(closes)
            for s, _, b in raises:
                levels[s] = max(levels.get(s, 0), b)
            pre_for = tuple(o for o in order if o != cid and course.id in
                            leaf_ids(cat.courses[o].prerequisites or AllOf(())) and o in chosen_set)
            parts = [_raise_text(ctx, *r) for r in raises]
            if pre_for:
                parts.append("needed before " + ", ".join(f"{o} {_course_name(cat, o)}" for o in pre_for))
            if not parts:
                parts.append("counts toward the credential")
            reason = f"{course.title} " + "; ".join(parts) + f"; {_h(course.hours)}, {money(course.cost, cat.currency)}"
            items.append(BundleItem(cid, course.title, course.hours, course.cost, closes,
                                    tuple(raises), pre_for, reason))
        total_h = ctx._hours(chosen)
        total_c = ctx._cost(chosen)
        if objective != "optional" and ctx.budget is not None and total_c > ctx.budget + TOL:
            notes = notes + [f"costs {money(total_c, cat.currency)}, over your budget of "
                             f"{money(ctx.budget, cat.currency)}"]
        return Bundle(tuple(items), total_h, total_c, readiness(ctx.levels_after(chosen), ctx.job),
                      tuple(closed), objective=objective, notes=tuple(notes))

    # -- credentials
    def _encode_credential(self, m: BundleModel, ctx: Context, xs: dict[str, int],
                           cred_id: str) -> int | bool:
        """Whether ``cred_id`` is earned, encoded by the planner's rules
        (:class:`pathways._milp.Requirements`) with the planner's counting
        (:class:`pathways.planner.validity.Validity` at the learner's date, so the recency
        window of an enclosing credential applies to the credentials nested in it): a course
        that counts is 1, any other course is its variable (created with its prerequisites,
        a retake when the holding no longer counts), or 0 when the learner may not take it."""
        counting = ctx.counting(cred_id)
        if counting.credential_counts(cred_id, None):
            return True
        requirements = Requirements(m, ctx.cat, counting.scope, counting)

        def take(course_id: str) -> Expr:
            j = self._take_var(m, ctx, xs, course_id)
            return (0.0, {j: 1.0}) if j is not None else ZERO

        return part(m, requirements.encode(take)[cred_id])

    def _take_var(self, m: BundleModel, ctx: Context, xs: dict[str, int], course_id: str) -> int | None:
        """The variable of taking ``course_id`` for a credential (None when the learner may not):
        a new course with its prerequisites, or a retake of a holding that does not count."""
        if course_id in xs:
            return xs[course_id]
        course = ctx.cat.courses.get(course_id)
        if course is None or not ctx.allowed(course):
            return None
        if course_id in ctx.valid:  # held, but it does not count here (too old): retake it
            xs[course_id] = m.var()
            return xs[course_id]
        return self._course_var(m, ctx, xs, course_id)

    def _course_var(self, m: BundleModel, ctx: Context, xs: dict[str, int], course_id: str) -> int:
        """The variable of a course, creating it (fixed at 1 when held validly; with its
        prerequisites encoded when new and takeable)."""
        if course_id in xs:
            return xs[course_id]
        held_key = "held:" + course_id
        if course_id in ctx.valid:
            if held_key not in xs:
                xs[held_key] = m.var(1.0, 1.0)
            return xs[held_key]
        xs[course_id] = m.var()
        pre = ctx.cat.courses[course_id].prerequisites
        if pre is not None:
            for ref in leaf_ids(pre):
                if ref not in ctx.completed and ref not in xs and ctx.takeable(ref):
                    self._course_var(m, ctx, xs, ref)
            r = self._encode_pre(m, ctx, {k: v for k, v in xs.items() if not k.startswith("held:")}, pre)
            if r is False:
                m.ub[xs[course_id]] = 0.0
            elif r is not True:
                m.row([(xs[course_id], 1.0), (r, -1.0)], ub=0.0)
        return xs[course_id]

    def _credential_courses(self, ctx: Context, node: Node) -> list[str]:
        out: list[str] = []
        stack = list(leaf_ids(node))
        seen: set[str] = set()
        while stack:
            ref = stack.pop()
            if ref in seen:
                continue
            seen.add(ref)
            if ref in ctx.cat.credentials:
                if ref not in ctx.held.earned_credentials:
                    stack.extend(leaf_ids(ctx.cat.credentials[ref].requires))
            elif ctx.takeable(ref):
                out.append(ref)
        return out

    def _remaining(self, ctx: Context, cred_id: str, fixed: Sequence[str]) -> tuple[float, list[str]] | None:
        """Fewest extra hours to earn ``cred_id`` on top of ``fixed`` courses, and the courses."""
        m = BundleModel()
        xs: dict[str, int] = {}
        for c in fixed:
            xs[c] = m.var(1.0, 1.0)
        r = self._encode_credential(m, ctx, xs, cred_id)
        if r is False:
            return None
        if r is not True:
            m.row([(r, 1.0)], lb=1.0)
        fixed_set = set(fixed)
        free = {c: i for c, i in xs.items() if c not in fixed_set and not c.startswith("held:")}
        hours = {i: ctx.cat.courses[c].hours for c, i in free.items()}
        cost = {i: ctx.cat.courses[c].cost for c, i in free.items()}
        ranks = {i: float(self.rank_[c]) for c, i in free.items()}
        x = m.lexmin([hours, cost, ranks], time_limit=self.time_limit) if free else m.solve({}, time_limit=self.time_limit)
        if x is None:
            return None
        missing = [c for c, i in free.items() if x[i] > 0.5]
        return ctx._hours(missing), prereq_order(ctx.cat, missing, self.rank_)

    def _related_credentials(self, ctx: Context, courses: Iterable[str]) -> list[str]:
        """Credentials not yet earned that count one of ``courses`` (directly or by stacking)."""
        found: dict[str, None] = {}
        stack = [c for c in courses]
        seen: set[str] = set()
        while stack:
            ref = stack.pop()
            for cred in self.counted_by_.get(ref, ()):
                if cred not in seen:
                    seen.add(cred)
                    stack.append(cred)
                    if cred not in ctx.held.earned_credentials:
                        found[cred] = None
        return sorted(found)

    def _credential_progress(self, ctx: Context, bundle: Sequence[str],
                             tolerance: float) -> tuple[CredentialProgress, ...]:
        out = []
        for cred_id in self._related_credentials(ctx, bundle):
            got = self._remaining(ctx, cred_id, bundle)
            if got is None or got[0] > tolerance + TOL:
                continue
            hours, missing = got
            cred = ctx.cat.credentials[cred_id]
            if not missing:
                text = f"this bundle earns {cred.title} ({cred.level})"
            else:
                names = ", ".join(f"{c} {_course_name(ctx.cat, c)}" for c in missing)
                text = f"{_h(hours)} more ({names}) would earn {cred.title} ({cred.level})"
            out.append(CredentialProgress(cred_id, cred.title, cred.level, not missing, hours,
                                          tuple(missing), text))
        out.sort(key=lambda p: (not p.earned, p.remaining_hours, -_LEVEL_RANK.get(p.level, -1), p.id))
        return tuple(out)

    def _prefer_credential(self, ctx: Context, closable: Sequence[SkillGap], plain: Bundle,
                           tolerance: float, *, optional: bool, max_hours: float | None) -> Bundle:
        related = set(self._candidates(ctx, ctx.gap.gaps)) | set(plain.ids)
        options = []
        for cred_id in self._related_credentials(ctx, related):
            b = self._solve_bundle(ctx, closable, optional=optional, max_hours=max_hours,
                                   require=Ref(cred_id))
            if b.objective == "infeasible":
                continue
            extra = b.total_hours - plain.total_hours
            if extra <= tolerance + TOL:
                level = ctx.cat.credentials[cred_id].level
                options.append((-_LEVEL_RANK.get(level, -1), extra, b.total_cost, cred_id, b))
        if not options:
            return replace(plain, notes=plain.notes + (
                f"no related credential can be added for at most {_h(tolerance)} extra",))
        options.sort(key=lambda t: t[:4])
        _, extra, _, cred_id, best = options[0]
        cred = ctx.cat.credentials[cred_id]
        note = (f"prefers earning {cred.title} ({cred.level}): {_h(extra)} more than the "
                f"fewest-hours bundle ({_h(plain.total_hours)})")
        return replace(best, credential=cred_id, extra_hours=extra, objective="credential",
                       notes=best.notes + (note,))

    # -- batch prediction
    def predict(self, learner_levels: Any, gap_weights: Any, *, held_courses: Any = None,
                k: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k courses for many learners at once (see :func:`pathways.skills.batch.top_courses`).

        ``learner_levels`` is a learners x ``vocabulary_`` sparse matrix of held levels and
        ``gap_weights`` the learners' goal requirements as a learners x (skills * levels) matrix
        (:func:`pathways.skills.batch.requirement_matrix` rows, one per learner's goal job).
        """
        from pathways.skills.batch import top_courses

        self._check()
        return top_courses(learner_levels, gap_weights, self.course_matrix_, self.hours_,
                           held_courses=held_courses, chains=self.chains_,
                           k=self.top_k if k is None else k)


def _empty_bundle(ctx: Context, objective: str) -> Bundle:
    return Bundle((), 0.0, 0.0, ctx.gap.readiness, (), objective=objective)


# --------------------------------------------------------------------------- functional API
_CACHE: dict[int, tuple[weakref.ref[Catalog], CourseRecommender]] = {}


def recommender_for(catalog: Catalog) -> CourseRecommender:
    """A fitted :class:`CourseRecommender` for ``catalog``, cached while the catalog lives."""
    key = id(catalog)
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is catalog:
        return hit[1]
    rec = CourseRecommender().fit(catalog)
    def forget(_ref: object, key: int = key, cache: dict[int, Any] = _CACHE) -> None:
        cache.pop(key, None)

    _CACHE[key] = (weakref.ref(catalog, forget), rec)
    return rec


def recommend(catalog: Catalog, learner: LearnerProfile | LearnerSkills, job: Job | str | None = None,
              **options: Any) -> Recommendation:
    """Recommendations for ``learner`` and ``job`` (default: the goal job).

    Keyword options are those of :meth:`CourseRecommender.recommend`.

    Examples
    --------
    >>> from pathways.domain import Course, JobSkill, SkillLevel
    >>> cat = Catalog(courses={"A": Course("A", "Intro SQL", 10, cost=100,
    ...                                    skills=(SkillLevel("sql", 2),))},
    ...               jobs={"J": Job("J", "analyst", (JobSkill("sql", level=2),))})
    >>> rec = recommend(cat, LearnerProfile("me"), "J")
    >>> rec.bundle.ids, rec.bundle.total_hours, rec.gap.readiness
    (('A',), 10, 0.0)
    >>> rec.bundle.items[0].reason
    'Intro SQL raises sql to level 2 (essential for analyst); 10 h, 100 CAD'
    """
    return recommender_for(catalog).recommend(learner, job, **options)
