"""Property tests: on random small catalogs the planner's optimum equals a brute force.

The brute force is written independently of the package: it enumerates every subset of the
courses the learner may take, checks prerequisites and the budget directly, and decides whether
the targets are earned with its own exhaustive enumerator of course-to-leaf assignments over
the raw requirement data (not the audit), with its own reading of expiry, recency and
exclusivity. The audit itself is checked against the same enumerator, so neither the planner
nor the audit is tested with itself.

Holding dates are far from the plan's dates (1990 or December 2026, validity 240 months), so
which holdings count does not change while a plan runs; the planner's re-planning loop for
holdings that expire mid-plan has its own scenario test in ``test_planner.py``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pathways.domain import Constraints, Holding, LearnerProfile, Term
from pathways.errors import CatalogError
from pathways.graph import build_graph
from pathways.io import catalog_from_data
from pathways.planner import audit_many, plan

START = Term(2027, 0)
AS_OF = dt.date(2027, 1, 1)
RECENT = dt.date(2026, 12, 1)
OLD = dt.date(1990, 1, 1)
SEASONS = ("winter", "summer", "fall")
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                       HealthCheck.filter_too_much])


# --------------------------------------------------------------------------- strategies
@st.composite
def requirement(draw: Any, courses: list[str], creds: list[str], depth: int = 0) -> Any:
    kinds = ["ref", "ref", "min_hours"] + (["cred", "cred"] if creds else [])
    if depth < 2:
        kinds += ["all", "any", "choose"]
    kind = draw(st.sampled_from(kinds))
    if kind == "ref":
        return draw(st.sampled_from(courses))
    if kind == "cred":
        return draw(st.sampled_from(creds))
    if kind == "min_hours":
        listed = draw(st.lists(st.sampled_from(courses), min_size=1, max_size=3, unique=True))
        return {"min_hours": draw(st.sampled_from([5, 10, 20, 30])), "from": listed}
    children = draw(st.lists(requirement(courses, creds, depth + 1), min_size=1, max_size=3))
    if kind == "all":
        return {"all": children}
    if kind == "any":
        return {"any": children}
    return {"choose": draw(st.integers(1, len(children))), "from": children}


@st.composite
def scenario(draw: Any, max_courses: int = 8) -> dict[str, Any]:
    n = draw(st.integers(2, max_courses))
    ids = [f"C{i}" for i in range(n)]
    courses = []
    for i, cid in enumerate(ids):
        c: dict[str, Any] = {"id": cid, "title": cid,
                             "hours": draw(st.sampled_from([5, 10, 15, 20, 30, 40])),
                             "cost": draw(st.sampled_from([0, 100, 200, 300, 500])),
                             "provider": draw(st.sampled_from(["p0", "p0", "p1"]))}
        if i and draw(st.booleans()):
            pre = draw(st.lists(st.sampled_from(ids[:i]), min_size=1, max_size=2, unique=True))
            c["prerequisites"] = draw(st.sampled_from([" and ", " or "])).join(pre)
        delivery = draw(st.sampled_from([None, None, "online", "in-person"]))
        if delivery:
            c["delivery"] = delivery
        terms = draw(st.sampled_from([None, None, ["fall"], ["winter", "summer"]]))
        if terms:
            c["terms"] = terms
        if draw(st.sampled_from([False, False, True])):
            c["badge_valid_months"] = 240
        courses.append(c)
    creds = []
    for j in range(draw(st.integers(1, 4))):
        cid = f"K{j}"
        tree = draw(requirement(ids, [c["id"] for c in creds]))
        if creds and draw(st.booleans()):  # stack on an earlier credential
            tree = {draw(st.sampled_from(["all", "any"])): [draw(st.sampled_from(creds))["id"],
                                                            tree]}
        k: dict[str, Any] = {"id": cid, "title": cid, "level": "certificate", "requires": tree}
        if draw(st.sampled_from([False, False, True])):
            k["exclusive"] = True
        if draw(st.sampled_from([False, False, True])):
            k["recency_months"] = 240
        creds.append(k)
    data = {"providers": [{"id": "p0", "name": "P0"}, {"id": "p1", "name": "P1"}],
            "courses": courses, "credentials": creds}
    held = {cid: draw(st.sampled_from([None] * 6 + [RECENT, OLD])) for cid in ids}
    held.update({c["id"]: draw(st.sampled_from([None] * 8 + [RECENT, OLD])) for c in creds})
    cons = {
        "budget": draw(st.sampled_from([None, None, 300, 600, 1000])),
        "exclude_providers": draw(st.sampled_from([(), (), ("p1",)])),
        "delivery": draw(st.sampled_from([None, None, ("online",)])),
        "max_courses_per_term": draw(st.sampled_from([None, 1, 2])),
        "max_hours_per_term": draw(st.sampled_from([None, None, 25])),
    }
    targets = draw(st.lists(st.sampled_from([c["id"] for c in creds]), min_size=1, max_size=2,
                            unique=True))
    return {"data": data, "held": {k: v for k, v in held.items() if v}, "cons": cons,
            "targets": targets}


def build(s: dict[str, Any]):
    try:
        cat = catalog_from_data(s["data"]).catalog
    except CatalogError:
        assume(False)
    c = s["cons"]
    holdings = tuple(Holding("credential" if i.startswith("K") else "course", i, d)  # type: ignore[arg-type]
                     for i, d in sorted(s["held"].items()))
    learner = LearnerProfile("p", completed=holdings, constraints=Constraints(
        start=START, max_courses_per_term=c["max_courses_per_term"],
        max_hours_per_term=c["max_hours_per_term"], budget=c["budget"],
        exclude_providers=frozenset(c["exclude_providers"]),
        delivery=frozenset(c["delivery"]) if c["delivery"] else None))
    return cat, learner


# --------------------------------------------------------------------------- the brute force
class Brute:
    """An independent, deliberately simple reading of the rules on the raw data."""

    def __init__(self, s: dict[str, Any]) -> None:
        self.courses = {c["id"]: c for c in s["data"]["courses"]}
        self.creds = {k["id"]: k for k in s["data"]["credentials"]}
        self.held = s["held"]
        self.cons = s["cons"]

    # ---- rules on single items
    def eligible(self, cid: str) -> bool:
        c, cons = self.courses[cid], self.cons
        if c["provider"] in cons["exclude_providers"]:
            return False
        if cons["delivery"] and c.get("delivery") and c["delivery"] not in cons["delivery"]:
            return False
        if cons["max_hours_per_term"] and c["hours"] > cons["max_hours_per_term"]:
            return False
        return True

    def prereq_ok(self, cid: str, done: set[str]) -> bool:
        text = self.courses[cid].get("prerequisites")
        if not text:
            return True
        if " or " in text:
            return any(p in done for p in text.split(" or "))
        return all(p in done for p in text.split(" and "))

    @staticmethod
    def refs(tree: Any) -> list[str]:
        if isinstance(tree, str):
            return [tree]
        if "min_hours" in tree:
            return []
        kids = tree.get("all") or tree.get("any") or tree.get("from")
        return [r for k in kids for r in Brute.refs(k)]

    def scope(self, targets: list[str]) -> list[str]:
        out: list[str] = []

        def visit(k: str) -> None:
            if k not in out:
                out.append(k)
                for r in self.refs(self.creds[k]["requires"]):
                    if r in self.creds:
                        visit(r)

        for t in targets:
            visit(t)
        return out

    def window(self, k: str, scope: list[str]) -> int | None:
        """The strictest recency of k and everything above it within the scope."""
        months = [self.creds[k].get("recency_months")]
        for p in scope:
            if p != k and k in self.below(p):
                months.append(self.creds[p].get("recency_months"))
        found = [m for m in months if m]
        return min(found) if found else None

    def below(self, k: str) -> set[str]:
        out: set[str] = set()
        for r in self.refs(self.creds[k]["requires"]):
            if r in self.creds:
                out |= {r} | self.below(r)
        return out

    def counts(self, item: str, window: int | None) -> bool:
        date = self.held.get(item)
        if date is None:
            return False
        if item in self.courses and self.courses[item].get("badge_valid_months"):
            if date.replace(year=date.year + self.courses[item]["badge_valid_months"] // 12) < AS_OF:
                return False
        if window and date.replace(year=date.year + window // 12) < AS_OF:
            return False
        return True

    # ---- requirements
    def leaves(self, tree: Any, path: tuple[int, ...] = ()) -> list[tuple[tuple[int, ...], str]]:
        if isinstance(tree, str):
            return [(path, tree)] if tree in self.courses else []
        if "min_hours" in tree:
            return []
        kids = tree.get("all") or tree.get("any") or tree.get("from")
        return [leaf for i, k in enumerate(kids) for leaf in self.leaves(k, path + (i,))]

    def earned(self, targets: list[str], taken: set[str]) -> bool:
        """Whether some assignment of courses to leaves earns every target."""
        scope = self.scope(targets)
        windows = {k: self.window(k, scope) for k in scope}
        have = {k: {c for c in self.courses if c in taken or self.counts(c, windows[k])}
                for k in scope}
        pairs: dict[tuple[str, str], list[tuple[int, ...]]] = {}
        for k in scope:
            for path, c in self.leaves(self.creds[k]["requires"]):
                if c in have[k]:
                    pairs.setdefault((k, c), []).append(path)
        exclusive = {k for k in scope if self.creds[k].get("exclusive")}
        where: dict[str, set[str]] = {}
        for k, c in pairs:
            where.setdefault(c, set()).add(k)
        conflict = {c for c, ks in where.items() if ks & exclusive and len(ks) > 1}
        keys = sorted(pairs)
        options = [pairs[key] + ([None] if key[1] in conflict else []) for key in keys]
        for combo in itertools.product(*options):
            chosen = {key: path for key, path in zip(keys, combo) if path is not None}
            if any(any(key[1] == c and key[0] in exclusive for key in chosen)
                   and len({key[0] for key in chosen if key[1] == c}) > 1 for c in conflict):
                continue
            filled = {(k, path) for (k, _), path in chosen.items()}
            if self._all_met(targets, scope, windows, have, filled):
                return True
        return False

    def _all_met(self, targets: list[str], scope: list[str], windows: dict[str, int | None],
                 have: dict[str, set[str]], filled: set[tuple[str, tuple[int, ...]]]) -> bool:
        memo: dict[str, bool] = {}

        def met(k: str) -> bool:
            if k not in memo:
                memo[k] = sat(k, self.creds[k]["requires"], ())
            return memo[k]

        def sat(k: str, tree: Any, path: tuple[int, ...]) -> bool:
            if isinstance(tree, str):
                if tree in self.creds:
                    return self.counts(tree, windows[k]) or met(tree)
                return (k, path) in filled
            if "min_hours" in tree:
                return sum(self.courses[c]["hours"] for c in set(tree["from"])
                           if c in have[k]) >= tree["min_hours"]
            if "all" in tree:
                return all(sat(k, t, path + (i,)) for i, t in enumerate(tree["all"]))
            kids = tree.get("any") or tree["from"]
            need = tree.get("choose", 1)
            return sum(sat(k, t, path + (i,)) for i, t in enumerate(kids)) >= need

        return all(self.held.get(t) is not None or met(t) for t in targets)

    def assignments(self, targets: list[str]) -> int:
        """How many assignments the enumerator tries with every course (to bound the test)."""
        scope = self.scope(targets)
        total = 1
        for k in scope:
            counts: dict[str, int] = {}
            for _, c in self.leaves(self.creds[k]["requires"]):
                counts[c] = counts.get(c, 0) + 1
            for n in counts.values():
                total *= n + 1
        return total

    # ---- plans
    def feasible_sets(self, targets: list[str]) -> list[frozenset[str]]:
        eligible = sorted(c for c in self.courses if self.eligible(c))
        held = {c for c in self.courses if c in self.held}
        out = []
        for r in range(len(eligible) + 1):
            for subset in itertools.combinations(eligible, r):
                s = set(subset)
                cost = sum(self.courses[c]["cost"] for c in s)
                if self.cons["budget"] is not None and cost > self.cons["budget"]:
                    continue
                if not all(self.prereq_ok(c, held | s) for c in s):
                    continue
                out.append(frozenset(s))
        return out

    def optimum(self, targets: list[str], key: Any) -> tuple[float, ...] | None:
        best = None
        for s in sorted(self.feasible_sets(targets), key=key):
            if best is not None and key(s) > best:
                break
            if self.earned(targets, set(s)):
                return key(s)
        return best

    def min_terms(self, targets: list[str]) -> tuple[int, float] | None:
        """Fewest terms, then fewest hours: breadth first over the sets taken so far."""
        eligible = [c for c in self.courses if self.eligible(c)]
        held = {c for c in self.courses if c in self.held}
        maxc = self.cons["max_courses_per_term"] or len(eligible)
        maxh = self.cons["max_hours_per_term"]
        budget = self.cons["budget"]
        memo: dict[frozenset[str], bool] = {}

        def ok(d: frozenset[str]) -> bool:
            if d not in memo:
                cost = sum(self.courses[c]["cost"] for c in d)
                memo[d] = (budget is None or cost <= budget) and self.earned(targets, set(d))
            return memo[d]

        frontier = {frozenset()}
        if ok(frozenset()):
            return 0, 0.0
        for t in range(3 * len(eligible) + 3):
            season = SEASONS[t % 3]
            new = set()
            for d in frontier:
                avail = [c for c in eligible if c not in d
                         and season in self.courses[c].get("terms", SEASONS)
                         and self.prereq_ok(c, held | d)]
                for r in range(min(maxc, len(avail)) + 1):
                    for a in itertools.combinations(avail, r):
                        if maxh is None or sum(self.courses[c]["hours"] for c in a) <= maxh:
                            new.add(d | frozenset(a))
            frontier = new
            done = [d for d in frontier if ok(d)]
            if done:
                return t + 1, min(sum(self.courses[c]["hours"] for c in d) for d in done)
        return None


def hours_key(b: Brute) -> Any:
    return lambda s: (sum(b.courses[c]["hours"] for c in s), sum(b.courses[c]["cost"] for c in s))


def cost_key(b: Brute) -> Any:
    return lambda s: (sum(b.courses[c]["cost"] for c in s), sum(b.courses[c]["hours"] for c in s))


# --------------------------------------------------------------------------- the properties
@settings(max_examples=120, **SETTINGS)
@given(scenario())
def test_hours_plan_equals_brute_force(s: dict[str, Any]) -> None:
    b = Brute(s)
    assume(b.assignments(s["targets"]) <= 512)
    cat, learner = build(s)
    p = plan(cat, learner, s["targets"], graph=build_graph(cat), explain=False)
    best = b.optimum(s["targets"], hours_key(b))
    if best is None:
        assert not p.feasible, p.to_dict()
        assert p.reason
        return
    assert p.feasible, (p.reason, best)
    assert p.optimal
    assert (p.total_hours, p.total_cost) == best  # hours, then cost
    assert all(a.ok for a in p.audits)


@settings(max_examples=60, **SETTINGS)
@given(scenario())
def test_cost_plan_equals_brute_force(s: dict[str, Any]) -> None:
    b = Brute(s)
    assume(b.assignments(s["targets"]) <= 512)
    cat, learner = build(s)
    p = plan(cat, learner, s["targets"], objective="cost", explain=False)
    best = b.optimum(s["targets"], cost_key(b))
    assert p.feasible == (best is not None), (p.reason, best)
    if best is not None:
        assert (p.total_cost, p.total_hours) == best


@settings(max_examples=40, **SETTINGS)
@given(scenario(max_courses=6))
def test_terms_plan_equals_brute_force(s: dict[str, Any]) -> None:
    b = Brute(s)
    assume(b.assignments(s["targets"]) <= 128)
    cat, learner = build(s)
    p = plan(cat, learner, s["targets"], objective="terms", explain=False)
    best = b.min_terms(s["targets"])
    assert p.feasible == (best is not None), (p.reason, best)
    if best is not None:
        assert (p.terms, p.total_hours) == best
        assert p.optimal


@pytest.mark.parametrize("budget", [None, 0])
@settings(max_examples=120, **SETTINGS)
@given(s=scenario(), data=st.data())
def test_audit_agrees_with_the_enumerator(s: dict[str, Any], data: Any,
                                          budget: int | None) -> None:
    """``budget=0`` leaves the audit's combinatorial search no steps: contested credentials
    and exclusive sides are decided by its MILP, which must agree too."""
    b = Brute(s)
    assume(b.assignments(s["targets"]) <= 512)
    cat, learner = build(s)
    taken = data.draw(st.sets(st.sampled_from(sorted(b.courses))))
    check_audit_agrees(b, cat, learner, s["targets"], taken, budget)


def check_audit_agrees(b: Brute, cat: Any, learner: Any, targets: list[str], taken: set[str],
                       budget: int | None) -> None:
    """The audit of ``taken`` (planned in one term) against each target alone and all
    together agrees with the enumerator, exactly; ``budget`` replaces the search's
    ``NODE_BUDGET`` (None: the default)."""
    import pathways.planner._assign as assign

    planned = [(c, START) for c in sorted(taken)]
    saved = assign.NODE_BUDGET
    if budget is not None:
        assign.NODE_BUDGET = budget
    try:
        for t in targets:
            result = audit_many(cat, learner, [t], planned=planned, as_of=START.end,
                                check_schedule=False)[0]
            assert result.met == b.earned([t], taken), t
            assert result.exact
        joint = audit_many(cat, learner, targets, planned=planned, as_of=START.end,
                           check_schedule=False)
        assert all(r.met for r in joint) == b.earned(targets, taken)
    finally:
        assign.NODE_BUDGET = saved
