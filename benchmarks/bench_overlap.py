"""Benchmark course similarity on synthetic catalogs (run on demand).

    python benchmarks/bench_overlap.py [--sizes 10000 50000] [--repeat 3] [--top-k 10] [--seed 0]

For each size a synthetic catalog with descriptions (:func:`pathways.synth.synthetic_catalog`)
is generated once and handed to a fresh worker process, which times
``course_similarity(catalog, top_k=10)``: the top-10 most similar courses of every course, the
pairs above the default threshold and the near-duplicate clusters, explanations included.
Printed per size: median wall-clock and CPU (process) seconds over ``--repeat`` runs (on a
shared machine the wall clock includes waiting for a core, so the load average is printed), the
worker's peak resident memory (``ru_maxrss``: interpreter, libraries and the catalog included)
and how much of it the call added on top of the loaded catalog, the ``tracemalloc`` peak of one
extra call, and how many of the generator's planted near-duplicates (a course re-listed with
the same description plus one sentence) are among each other's top 10.

Targets: 50k courses under 30 s and 1 GB peak; 10k under 5 s.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

_PLANTED = "Offered in an accelerated format."


def _rss_mb() -> float:
    """Current resident memory of this process (Linux), in MB."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:  # not Linux: fall back to the peak so far
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak / 1e3


def _dump(n: int, seed: int, path: Path) -> float:
    from pathways.synth import synthetic_catalog

    start = time.perf_counter()
    cat = synthetic_catalog(n, seed=seed)
    elapsed = time.perf_counter() - start
    data = {f.name: (dict(getattr(cat, f.name)) if hasattr(getattr(cat, f.name), "keys")
                     else getattr(cat, f.name)) for f in fields(cat)}
    path.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    return elapsed


def _worker(path: Path, repeat: int, top_k: int) -> dict[str, Any]:
    from pathways.domain import Catalog
    from pathways.overlap import course_similarity

    cat = Catalog(**pickle.loads(path.read_bytes()))
    gc.collect()
    course_similarity(Catalog(courses=dict(list(cat.courses.items())[:50])))  # warm imports
    base_rss = _rss_mb()
    walls, cpus = [], []
    result = None
    for _ in range(repeat):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        result = course_similarity(cat, top_k=top_k)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    peak = _peak_mb()
    assert result is not None
    del result
    gc.collect()
    tracemalloc.start()
    result = course_similarity(cat, top_k=top_k)
    traced = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()

    ids = list(cat.courses)
    planted = [(ids[i - 1], ids[i]) for i, c in enumerate(cat.courses.values())
               if i and c.description.endswith(_PLANTED)]
    nb = result.neighbors
    ranks = dict(zip(zip(nb["course"], nb["other"]), nb["rank"]))
    found = [ranks.get(p) for p in planted]
    return {
        "courses": len(cat.courses), "wall": statistics.median(walls), "cpu": statistics.median(cpus),
        "walls": walls, "peak_rss": peak, "base_rss": base_rss, "traced": traced,
        "neighbours": len(nb), "pairs": len(result.pairs), "clusters": len(result.clusters),
        "vocabulary": result.params["vocabulary"], "max_df": result.params["max_df"],
        "planted": len(planted), "planted_top_k": sum(r is not None for r in found),
        "planted_first": sum(r == 1 for r in found),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 50000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--top-k", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        print(json.dumps(_worker(args.worker, args.repeat, args.top_k)))
        return 0

    print(f"course_similarity(top_k={args.top_k}), median of {args.repeat} runs, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    head = ("courses", "wall s", "cpu s", "peak RSS MB", "added MB", "traced MB", "pairs",
            "clusters", "vocab", "max_df", "planted in top-k", "gen s")
    print("  ".join(f"{h:>10}" for h in head))
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = Path(tmp) / f"catalog-{n}.pickle"
            gen = _dump(n, args.seed, path)
            proc = subprocess.run([sys.executable, __file__, "--worker", str(path),
                                   "--repeat", str(args.repeat), "--top-k", str(args.top_k)],
                                  capture_output=True, text=True)
            if proc.returncode:
                print(proc.stderr, file=sys.stderr)
                return proc.returncode
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            cells = (r["courses"], f"{r['wall']:.2f}", f"{r['cpu']:.2f}", f"{r['peak_rss']:.0f}",
                     f"{max(r['peak_rss'] - r['base_rss'], 0):.0f}", f"{r['traced']:.0f}",
                     r["pairs"], r["clusters"], r["vocabulary"], r["max_df"],
                     f"{r['planted_top_k']}/{r['planted']} ({r['planted_first']} 1st)",
                     f"{gen:.1f}")
            print("  ".join(f"{c:>10}" for c in cells), flush=True)
            path.unlink()
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
