"""Benchmark the stacking planner on synthetic catalogs (run on demand).

    python benchmarks/bench_plan.py [--suite all|catalogs|university] [--seed 0]
        [--sizes 1000 10000 100000] [--targets 100]          # the "catalogs" suite
        [--programs 40] [--per-term 5] [--explained-share 1.0]  # the "university" suite

**University programs** (``--suite university``): a university of :func:`pathways.synth.
university_catalog` (``--programs`` certificates, minors, majors and degrees over about 150
courses a department; groups of 20-300 options overlapping between groups, nested choose,
distribution areas, "k courses at the 300 level or above", hour thresholds over big lists,
prerequisite sequences 4-8 deep), graph built before timing. Every program is planned for three
learners: no holdings, and transcripts of 20 and 60 courses (:func:`pathways.synth.
university_learner`, aimed at the program), at most ``--per-term`` courses a term (a full-time
load; 0: no limit). For each the table shows, over all plans, the
median, p90, max and the count over 1 s of:

- ``plan``: :func:`pathways.planner.plan` with ``explain=False`` (objective hours; the reasons,
  the terms tie-break, the credentials earned along the way and the independent audit
  included);
- ``explained``: the same with ``explain=True`` (every optional course priced);
- ``reference``: a plain single-solve MILP written here (the baseline): one binary per course of
  the relevant subgraph, one per course leaf, the same counting rules (holdings by
  :class:`pathways.planner.validity.Validity`), hours and cost folded into one objective,
  solved once by ``scipy.optimize.milp``; no reductions, no tie-breaks, no audit, no schedule.

and the ratio of each to the reference (the ratio of the medians, and the median of the
per-plan ratios), all measured in the same run. Every plan's hours and cost are checked against
the reference's (``mismatches`` must be 0). A second table times :func:`pathways.planner.audit`
of the 60-course transcripts against each program (the program's largest group in options is
shown), beside one bipartite matching of the transcript to the program's leaves with
``scipy.sparse.csgraph.maximum_bipartite_matching`` (the least an exact audit must do).

Targets (issue 15): every plan < 1 s with explanations off and < 2 s with them; median < 50 ms
and within 3x of the reference; audits of 60-course transcripts < 50 ms.

**Catalogs** (``--suite catalogs``, the earlier suite):
for each catalog size the catalog is generated (:func:`pathways.synth.synthetic_catalog`) and
its graph built *before* timing; then hours-optimal plans (``explain=False``: reasons, audit and
tie-breaks included, no pricing of alternatives) are timed for a seeded sample of certificate
and diploma targets, for a learner with no holdings, starting 2027-winter, at most two courses
a term. The table shows wall-clock and CPU (process) time per plan: on a shared machine the
wall clock includes time waiting for a core, so the load average is printed too.

A second table times terms-optimal plans (the time-indexed MILP) of targets whose hours-optimal
plan has about 20 courses (pairs of diplomas when single targets are smaller), and a third the
fully explained plans (``explain=True``: one extra solve per optional course).

Targets on the 2-core development machine: proved-optimal hours plan of a certificate or
diploma: median under 50 ms and p95 under 200 ms at 10k courses, median under 100 ms at 100k;
a terms-optimal schedule of a 20-course plan under 1 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from pathways.domain import Constraints, LearnerProfile, Term
from pathways.graph import build_graph
from pathways.planner import Plan, plan


def _learner() -> LearnerProfile:
    return LearnerProfile("bench", constraints=Constraints(start=Term(2027, 0),
                                                           max_courses_per_term=2))


def _time(fn: Callable[[], Plan]) -> tuple[float, float, Plan]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _pct(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def _row(cells: Sequence[Any], widths: Sequence[int]) -> str:
    return "  ".join(str(c).rjust(w) for c, w in zip(cells, widths))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--suite", choices=["all", "catalogs", "university"], default="all")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--targets", type=int, default=100, help="targets per size")
    parser.add_argument("--explained", type=int, default=20, help="explained plans per size")
    parser.add_argument("--terms", type=int, default=10, help="terms-optimal plans (10k size)")
    parser.add_argument("--programs", type=int, default=40, help="university programs")
    parser.add_argument("--per-term", type=int, default=5,
                        help="courses a term for the university learners (0: no limit)")
    parser.add_argument("--explained-share", type=float, default=1.0,
                        help="share of the university plans also timed with explanations")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"pathways planner benchmark: {os.cpu_count()} cores, load average {load:.1f}, "
          f"Python {sys.version.split()[0]}")
    if args.suite in ("all", "university"):
        university(args.programs, args.seed, args.explained_share, args.per_term)
    if args.suite in ("all", "catalogs"):
        catalogs(args)
    return 0


# --------------------------------------------------------------------------- university suite
def reference_plan(catalog: Any, graph: Any, learner: LearnerProfile,
                   target: str) -> tuple[float, float] | None:
    """The baseline: a plain single-solve MILP (see the module docstring); (hours, cost) of its
    optimum, None when infeasible. Written here, independent of the planner's model."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_array

    from pathways.domain import AllOf, MinHours, Ref
    from pathways.graph import relevant_subgraph
    from pathways.planner.validity import Validity, credential_scope

    start = learner.constraints.start
    scope = credential_scope(catalog, [target])
    val = Validity(catalog, learner, scope, start.start)
    courses = sorted(n for n in relevant_subgraph(graph, target) if n in catalog.courses)
    n = 0
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lo: list[float] = []
    hi: list[float] = []

    def var() -> int:
        nonlocal n
        n += 1
        return n - 1

    def row(terms: dict[int, float], low: float = -np.inf, high: float = np.inf) -> None:
        for j, v in terms.items():
            rows.append(len(lo))
            cols.append(j)
            vals.append(v)
        lo.append(low)
        hi.append(high)

    x = {c: var() for c in courses
         if not (c in val.completed_courses and all(val.course_counts(c, k) for k in scope))}
    ONE, ZERO = "one", "zero"

    def at_least(children: list[Any], k: int) -> Any:
        kids = [c for c in children if c is not ZERO]
        need = k - sum(1 for c in kids if c is ONE)
        free = [c for c in kids if c is not ONE]
        if need <= 0:
            return ONE
        if len(free) < need:
            return ZERO
        s = var()
        terms = {s: float(need)}
        for v in free:
            terms[v] = terms.get(v, 0.0) - 1.0
        row(terms, high=0.0)
        return s

    slots: dict[tuple[str, str], list[int]] = {}
    earned: dict[str, Any] = {}

    def req(cred: str, node: Any) -> Any:
        if isinstance(node, Ref):
            if node.id in catalog.credentials:
                return ONE if val.credential_counts(node.id, cred) else earned[node.id]
            if val.course_counts(node.id, cred):
                y = var()
                slots.setdefault((cred, node.id), []).append(y)
                return y
            if node.id not in x:
                return ZERO
            y = var()
            row({y: 1.0, x[node.id]: -1.0}, high=0.0)
            slots.setdefault((cred, node.id), []).append(y)
            return y
        if isinstance(node, MinHours):
            terms: dict[int, float] = {}
            need = node.hours
            for c in set(node.courses):
                if val.course_counts(c, cred):
                    need -= catalog.courses[c].hours
                elif c in x:
                    terms[x[c]] = -catalog.courses[c].hours
            if need <= 0:
                return ONE
            s = var()
            terms[s] = need
            row(terms, high=0.0)
            return s
        kids = [req(cred, c) for c in node.children]
        return at_least(kids, len(kids) if isinstance(node, AllOf) else node.k)

    for cred in scope:
        earned[cred] = req(cred, catalog.credentials[cred].requires)
    root = earned[target]
    if val.credential_counts(target, None):
        return 0.0, 0.0
    if root is ZERO:
        return None
    if root is not ONE:
        row({root: 1.0}, low=1.0)
    for ys in slots.values():
        row({y: 1.0 for y in ys}, high=1.0)
    by_course: dict[str, list[str]] = {}
    for (cred, c) in slots:
        by_course.setdefault(c, []).append(cred)
    for c, creds in by_course.items():
        for k in creds:
            if catalog.credentials[k].exclusive:
                for other in creds:
                    if other != k and (not catalog.credentials[other].exclusive or other > k):
                        row({y: 1.0 for y in slots[(k, c)] + slots[(other, c)]}, high=1.0)

    def pre(node: Any) -> Any:
        if isinstance(node, Ref):
            return ONE if node.id in val.completed_courses else x.get(node.id, ZERO)
        kids = [pre(c) for c in node.children]
        return at_least(kids, len(kids) if isinstance(node, AllOf) else node.k)

    for c, j in x.items():
        p = catalog.courses[c].prerequisites
        if p is not None:
            v = pre(p)
            if v is ZERO:
                row({j: 1.0}, high=0.0)
            elif v is not ONE:
                row({j: 1.0, v: -1.0}, high=0.0)
    scale = sum(catalog.courses[c].cost for c in x) + 1.0
    objective = np.zeros(n)
    for c, j in x.items():
        objective[j] = catalog.courses[c].hours * scale + catalog.courses[c].cost
    a = csr_array((vals, (rows, cols)), shape=(len(lo), n))
    res = milp(objective, integrality=np.ones(n), bounds=Bounds(np.zeros(n), np.ones(n)),
               constraints=[LinearConstraint(a, lo, hi)] if lo else [],
               options={"time_limit": 60.0, "mip_rel_gap": 0.0})
    if res.status != 0:
        return None
    chosen = [c for c, j in x.items() if res.x[j] > 0.5]
    return (float(sum(catalog.courses[c].hours for c in chosen)),
            float(sum(catalog.courses[c].cost for c in chosen)))


def reference_audit(catalog: Any, learner: LearnerProfile, program: str) -> int:
    """The audit baseline: one maximum bipartite matching of the learner's courses to the leaves
    of the program's tree (nested credentials' leaves included)."""
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import maximum_bipartite_matching

    from pathways.domain import Ref, iter_nodes
    from pathways.planner.validity import credential_scope

    held = sorted({h.id for h in learner.completed if h.kind == "course"})
    index = {c: i for i, c in enumerate(held)}
    rows: list[int] = []
    cols: list[int] = []
    leaf = 0
    for cred in credential_scope(catalog, [program]):
        for node in iter_nodes(catalog.credentials[cred].requires):
            if isinstance(node, Ref) and node.id in index:
                rows.append(index[node.id])
                cols.append(leaf)
            if isinstance(node, Ref):
                leaf += 1
    graph = csr_array((np.ones(len(rows)), (rows, cols)), shape=(max(1, len(held)), max(1, leaf)))
    return int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum())


def _largest_group(catalog: Any, program: str) -> int:
    from pathways.domain import iter_nodes
    from pathways.planner.validity import credential_scope

    return max((len(getattr(node, "children", ()) or getattr(node, "courses", ()))
                for cred in credential_scope(catalog, [program])
                for node in iter_nodes(catalog.credentials[cred].requires)), default=0)


def _stats(values: Sequence[float]) -> list[str]:
    return [f"{statistics.median(values):.1f}", f"{_pct(values, 90):.1f}", f"{max(values):.1f}",
            str(sum(v > 1000 for v in values))]


def university(n_programs: int, seed: int, explained_share: float, per_term: int = 5) -> None:
    """The "university programs" suite (see the module docstring)."""
    from pathways.planner import audit
    from pathways.synth import university_catalog, university_learner

    t0 = time.perf_counter()
    cat = university_catalog(n_programs, seed=seed)
    G = build_graph(cat)
    print(f"\nUniversity programs: {len(cat.credentials)} programs over {len(cat.courses)} "
          f"courses (seed {seed}; generated and graph built in {time.perf_counter() - t0:.1f} s); "
          f"learners take at most {per_term or 'any number of'} courses a term")
    programs = sorted(cat.credentials)
    cons = Constraints(start=Term(2027, 0), max_courses_per_term=per_term or None)
    learners = {(p, n): (university_learner(cat, n, program=p, seed=seed + 1, constraints=cons)
                         if n else LearnerProfile("empty", constraints=cons))
                for p in programs for n in (0, 20, 60)}
    for p in programs[:3]:  # warm up imports and caches
        plan(cat, learners[(p, 0)], [p], graph=G, explain=False)
        reference_plan(cat, G, learners[(p, 0)], p)
    rng = np.random.default_rng(seed)
    times: dict[str, dict[int, list[float]]] = {k: {0: [], 20: [], 60: []}
                                                for k in ("plan", "explained", "reference")}
    ratios: dict[str, list[float]] = {"plan": [], "explained": []}
    sizes: list[int] = []
    mismatches: list[str] = []
    slow: list[str] = []
    for p in programs:
        for n in (0, 20, 60):
            me = learners[(p, n)]
            wall = time.perf_counter()
            ref = reference_plan(cat, G, me, p)
            t_ref = (time.perf_counter() - wall) * 1000
            wall = time.perf_counter()
            got = plan(cat, me, [p], graph=G, explain=False)
            t_plan = (time.perf_counter() - wall) * 1000
            times["reference"][n].append(t_ref)
            times["plan"][n].append(t_plan)
            ratios["plan"].append(t_plan / t_ref)
            sizes.append(len(got.courses))
            mine = (got.total_hours, got.total_cost) if got.feasible else None
            if mine != ref or not got.optimal:
                mismatches.append(f"{p}/{n}: plan {mine} ({got.status}) vs reference {ref}")
            if t_plan > 1000:
                slow.append(f"{p}/{n}: {t_plan:.0f} ms")
            if rng.random() < explained_share:
                wall = time.perf_counter()
                plan(cat, me, [p], graph=G, explain=True)
                t_exp = (time.perf_counter() - wall) * 1000
                times["explained"][n].append(t_exp)
                ratios["explained"].append(t_exp / t_ref)
    head = ["what", "holdings", "plans", "median ms", "p90 ms", "max ms", "> 1 s",
            "median / ref", "median ratio"]
    widths = [10, 8, 5, 9, 7, 8, 5, 12, 12]
    print(f"plans of {min(sizes)}-{max(sizes)} courses (median {statistics.median(sizes):g}); "
          "times per plan, wall clock; ratios to the reference MILP of the same run")
    print(_row(head, widths))
    every = {k: [v for n in (0, 20, 60) for v in times[k][n]] for k in times}
    for what in ("plan", "explained", "reference"):
        for n in (0, 20, 60, "all"):
            values = every[what] if n == "all" else times[what][n]  # type: ignore[index]
            if not values:
                continue
            refs = every["reference"] if n == "all" else times["reference"][n]  # type: ignore[index]
            ratio = statistics.median(values) / statistics.median(refs)
            per = ratios.get(what, [1.0] * len(values))
            cells = [what, n, len(values), *_stats(values), f"{ratio:.2f}x",
                     f"{statistics.median(per):.2f}x" if n == "all" else ""]
            print(_row(cells, widths))
    print(f"mismatches with the reference (hours, cost) or not proved optimal: {len(mismatches)}")
    for line in mismatches[:10]:
        print("  " + line)
    for line in slow[:10]:
        print("  over 1 s: " + line)

    print("\nAudits of 60-course transcripts against each program (audit(), no plan)")
    cols = [8, 9, 7, 8, 10, 12]
    print(_row(["programs", "median ms", "p90 ms", "max ms", "ref med ms", "median / ref"], cols))
    audits, bases, big = [], [], []
    for p in programs:
        me = learners[(p, 60)]
        wall = time.perf_counter()
        reference_audit(cat, me, p)
        bases.append((time.perf_counter() - wall) * 1000)
        wall = time.perf_counter()
        audit(cat, me, p)
        audits.append((time.perf_counter() - wall) * 1000)
        big.append(_largest_group(cat, p))
    print(_row([len(audits), f"{statistics.median(audits):.1f}", f"{_pct(audits, 90):.1f}",
                f"{max(audits):.1f}", f"{statistics.median(bases):.1f}",
                f"{statistics.median(audits) / statistics.median(bases):.2f}x"], cols))
    large = [a for a, g in zip(audits, big) if g >= 200]
    if large:
        print(f"programs with a group of 200+ options: {len(large)}, median "
              f"{statistics.median(large):.1f} ms, max {max(large):.1f} ms")


def catalogs(args: argparse.Namespace) -> None:
    """The earlier suite: certificates and diplomas of synthetic catalogs."""
    from pathways.synth import synthetic_catalog

    me = _learner()
    head = ["courses", "targets", "build s", "median ms", "p95 ms", "max ms", "cpu med ms",
            "cpu p95 ms", "optimal", "plan size", "subgraph"]
    widths = [8, 7, 7, 9, 8, 8, 10, 10, 8, 9, 8]
    rows: list[str] = []
    explained_rows: list[str] = []
    big_plans: list[tuple[Any, Any, list[str], int]] = []
    for n in args.sizes:
        t0 = time.perf_counter()
        cat = synthetic_catalog(n, seed=args.seed)
        G = build_graph(cat)
        build = time.perf_counter() - t0
        pool = sorted(c.id for c in cat.credentials.values()
                      if c.level in ("certificate", "diploma"))
        rng = np.random.default_rng(args.seed)
        targets = list(rng.choice(pool, size=min(args.targets, len(pool)), replace=False))
        for t in targets[:3]:  # warm up imports and caches
            plan(cat, me, [t], graph=G, explain=False)
        walls, cpus, sizes, optimal, subgraph = [], [], [], 0, []
        from pathways.graph import relevant_subgraph

        for t in targets:
            wall, cpu, p = _time(lambda t=t, cat=cat, G=G: plan(cat, me, [t], graph=G,
                                                                explain=False))
            walls.append(wall * 1000)
            cpus.append(cpu * 1000)
            sizes.append(len(p.courses))
            optimal += p.optimal
            subgraph.append(sum(1 for v in relevant_subgraph(G, t) if v in cat.courses))
            if 18 <= len(p.courses) <= 22:
                big_plans.append((cat, G, [t], len(p.courses)))
        rows.append(_row([n, len(targets), f"{build:.1f}", f"{statistics.median(walls):.1f}",
                          f"{_pct(walls, 95):.1f}", f"{max(walls):.1f}",
                          f"{statistics.median(cpus):.1f}", f"{_pct(cpus, 95):.1f}",
                          f"{optimal}/{len(targets)}", f"{statistics.median(sizes):g}",
                          f"{statistics.median(subgraph):g}"], widths))
        ew = []
        for t in targets[:args.explained]:
            wall, _, _ = _time(lambda t=t, cat=cat, G=G: plan(cat, me, [t], graph=G,
                                                              explain=True))
            ew.append(wall * 1000)
        explained_rows.append(_row([n, len(ew), f"{statistics.median(ew):.1f}",
                                    f"{_pct(ew, 95):.1f}", f"{max(ew):.1f}"],
                                   [8, 7, 9, 8, 8]))
        if n == 10000 or (n == args.sizes[-1] and not big_plans):
            # pairs of diplomas give bigger plans when single targets are too small
            diplomas = [c for c in pool if c.startswith("DIP")]
            for a, b in zip(diplomas[::2], diplomas[1::2]):
                if len(big_plans) >= args.terms:
                    break
                p = plan(cat, me, [a, b], graph=G, explain=False)
                if 18 <= len(p.courses) <= 22:
                    big_plans.append((cat, G, [a, b], len(p.courses)))

    print("\nHours-optimal plans (explain=False), times per plan")
    print(_row(head, widths))
    print("\n".join(rows))
    print("\nExplained plans (explain=True: prices every optional choice)")
    print(_row(["courses", "plans", "median ms", "p95 ms", "max ms"], [8, 7, 9, 8, 8]))
    print("\n".join(explained_rows))

    print("\nTerms-optimal plans of about 20 courses (lower bound shortcut or time-indexed MILP)")
    cols = [26, 7, 5, 11, 5, 8, 8, 7, 6]
    print(_row(["targets", "courses", "limit", "hours terms", "terms", "wall ms", "cpu ms",
                "optimal", "method"], cols))
    tw: dict[int, list[float]] = {2: [], 3: []}
    for cat, G, targets, _ in big_plans[:args.terms]:
        for limit in (2, 3):
            learner = LearnerProfile("bench", constraints=Constraints(
                start=Term(2027, 0), max_courses_per_term=limit))
            hours_plan = plan(cat, learner, targets, graph=G, explain=False)
            wall, cpu, p = _time(lambda cat=cat, learner=learner, targets=targets, G=G: plan(
                cat, learner, targets, objective="terms", graph=G, explain=False))
            tw[limit].append(wall * 1000)
            method = "bound" if any("lower bound" in n for n in p.notes) else "MILP"
            print(_row(["+".join(targets), len(p.courses), limit, hours_plan.terms, p.terms,
                        f"{wall * 1000:.0f}", f"{cpu * 1000:.0f}", p.optimal, method], cols))
    for limit, values in tw.items():
        if values:
            print(f"terms-optimal, {limit} courses a term: median {statistics.median(values):.0f} "
                  f"ms, max {max(values):.0f} ms over {len(values)} plans")
    if not big_plans:
        print("no target with a plan of about 20 courses was found")


if __name__ == "__main__":
    raise SystemExit(main())
