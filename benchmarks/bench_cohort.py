"""Cohort planning on Dask, and validated-catalog snapshots.

1. ``--learners`` synthetic learners (default 10,000; :func:`pathways.cohort.synthetic_learners`,
   one goal credential each) on a ``--courses``-course synthetic catalog (default 10,000),
   planned three ways: in this process (``synchronous``, the baseline), and on a
   LocalCluster of 1 and of 2 worker processes (started before the clock; their start-up is
   reported apart). For each: wall seconds, learners per second, seconds inside tasks, and
   where the rest of the workers' time went (summed over workers, from each task's end time
   and duration): before a worker's first task (connecting, shipping the catalog), the gaps
   between tasks on a worker (the scheduling overhead: target < 5 % of the time in tasks) and
   after its last task (waiting for the other workers' last batches); for 2 workers, the
   scaling efficiency (speed-up over 1 worker / 2). All runs must give the same
   rows (checked).
2. Snapshot open time at 10k and 100k courses (``--snapshot-sizes``): the first
   ``validate_catalog`` of a YAML file (parse + validate + write the snapshot, the baseline)
   against the median of 3 later opens.
3. A projection for 1M learners on N workers from the measured per-learner cost, assuming the
   2-worker efficiency holds and plans cost what these synthetic ones do (real programs'
   plans cost 10-500 ms: the per-learner cost is printed so it can be scaled).

    python benchmarks/bench_cohort.py [--learners 10000] [--courses 10000]
                                      [--snapshot-sizes 10000 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

DAY = dt.date(2026, 12, 6)


def plans(catalog, learners) -> list[tuple[str, float, object]]:
    from distributed import LocalCluster

    from pathways.cohort import cohort_plan

    out = []
    start = time.perf_counter()
    base = cohort_plan(catalog, learners, scheduler="synchronous", today=DAY)
    out.append(("synchronous (baseline)", time.perf_counter() - start, base))
    for n in (1, 2):
        t0 = time.perf_counter()
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                          dashboard_address=":0", silence_logs=40) as cluster:
            started = time.perf_counter() - t0
            t1 = time.perf_counter()
            result = cohort_plan(catalog, learners, scheduler=cluster.scheduler_address, today=DAY)
            wall = time.perf_counter() - t1
        assert result.frame.equals(base.frame), "a cluster run differs from the synchronous one"
        out.append((f"LocalCluster, {n} worker{'s' if n > 1 else ''} (start-up {started:.1f} s)",
                    wall, result))
    return out


def snapshot_times(sizes: list[int]) -> list[tuple[int, float, float]]:
    from pathways.io import dump_yaml, validate_catalog
    from pathways.synth import synthetic_data

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PATHWAYS_CACHE_DIR"] = str(Path(tmp) / "cache")
        os.environ["PATHWAYS_SNAPSHOTS"] = "always"
        for n in sizes:
            path = Path(tmp) / f"catalog-{n}.yaml"
            path.write_text(dump_yaml(synthetic_data(n, seed=1)), encoding="utf-8")
            start = time.perf_counter()
            first = validate_catalog(path)
            cold = time.perf_counter() - start
            opens = []
            for _ in range(3):
                start = time.perf_counter()
                again = validate_catalog(path)
                opens.append(time.perf_counter() - start)
            assert len(again.catalog.courses) == len(first.catalog.courses) == n
            rows.append((n, cold, statistics.median(opens)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--courses", type=int, default=10_000)
    parser.add_argument("--snapshot-sizes", type=int, nargs="*", default=[10_000, 100_000])
    args = parser.parse_args()

    from pathways.cohort import synthetic_learners
    from pathways.io import catalog_from_data
    from pathways.synth import synthetic_data

    catalog = catalog_from_data(synthetic_data(args.courses, seed=1)).catalog
    learners = synthetic_learners(catalog, args.learners, seed=7)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"# {args.learners:,} learners, {args.courses:,}-course catalog; load average {load:.2f}; "
          f"{os.cpu_count()} cores")
    print("| run | wall s | learners/s | vs baseline | time in tasks s | tasks x size | "
          "before the first task s | gaps between tasks ms/task | scheduling share | "
          "after the last task s | time outside tasks |")
    print("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|")
    results = plans(catalog, learners)
    base_wall = results[0][1]
    walls = {}
    for label, wall, result in results:
        s = result.stats  # type: ignore[attr-defined]
        walls[s.workers if s.scheduler != "synchronous" else 0] = (wall, s)
        print(f"| {label} | {wall:.1f} | {len(learners) / wall:.0f} | {base_wall / wall:.2f}x | "
              f"{s.task_time:.1f} | {s.tasks} x {s.batch_size} | {s.head:.2f} | "
              f"{1000 * s.gaps / s.tasks:.1f} | {s.scheduling:.1%} | {s.tail:.2f} | "
              f"{s.overhead:.1%} |")
    w1, s1 = walls[1]
    w2, s2 = walls[2]
    efficiency = (w1 / w2) / 2
    per_learner = s2.task_time / len(learners)
    print(f"\nscaling efficiency 1 -> 2 workers: {efficiency:.0%}; time per learner in tasks "
          f"{1000 * per_learner:.1f} ms; scheduling overhead (2 workers: gaps between tasks / "
          f"time in tasks) {s2.scheduling:.1%} (target < 5 %); all worker time outside tasks "
          f"{s2.overhead:.1%} (before the first task {s2.head:.2f} s, after the last "
          f"{s2.tail:.2f} s, summed over workers)")
    print("\nprojection for 1,000,000 learners (same per-learner cost, the measured efficiency):")
    print("| workers | hours |")
    print("|---:|---:|")
    for n in (2, 8, 32, 128):
        print(f"| {n} | {1_000_000 * per_learner / (n * max(efficiency, 0.05)) / 3600:.2f} |")
    if args.snapshot_sizes:
        print("\n| courses | first open s (parse + validate + snapshot; baseline) | later open s "
              "(median of 3) | ratio | < 1 s |")
        print("|---:|---:|---:|---:|---|")
        for n, cold, warm in snapshot_times(args.snapshot_sizes):
            print(f"| {n:,} | {cold:.2f} | {warm:.3f} | {cold / warm:.0f}x | "
                  f"{'yes' if warm < 1 else 'NO'} |")


if __name__ == "__main__":
    main()
