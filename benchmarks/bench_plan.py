"""Benchmark the stacking planner on synthetic catalogs (run on demand).

    python benchmarks/bench_plan.py [--sizes 1000 10000 100000] [--targets 100] [--seed 0]

For each catalog size the catalog is generated (:func:`pathways.synth.synthetic_catalog`) and
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
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--targets", type=int, default=100, help="targets per size")
    parser.add_argument("--explained", type=int, default=20, help="explained plans per size")
    parser.add_argument("--terms", type=int, default=10, help="terms-optimal plans (10k size)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    from pathways.synth import synthetic_catalog

    me = _learner()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"pathways planner benchmark: {os.cpu_count()} cores, load average {load:.1f}, "
          f"Python {sys.version.split()[0]}")
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
