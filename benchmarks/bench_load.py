"""Benchmark: parse, validate and build the graph for synthetic catalogs of 1k, 10k, 100k courses.

Run on demand (not part of the tests)::

    python benchmarks/bench_load.py                       # 1k, 10k and 100k courses
    python benchmarks/bench_load.py --sizes 1000 10000 --repeat 5
    python benchmarks/bench_load.py --sizes 100000 --profile   # cProfile of validate + graph

Each catalog comes from :func:`pathways.synth.synthetic_data` (seeded) and is written as one
YAML file in a temporary directory. The stages are timed separately:

``parse``          ``pathways.io.read_yaml`` on the file (libyaml ``CSafeLoader``)
``validate``       everything :func:`pathways.io.validate_catalog` does after parsing: pydantic,
                   domain objects, every check (cycles included) and the warnings, called as
                   ``catalog_from_data([Document(path, parsed)])`` so that diagnostics look up
                   lines in the file exactly as ``validate_catalog`` does
``graph``          :func:`pathways.graph.build_graph` on the validated catalog
``validate+graph`` the two above together: the issue's "once parsed" target
``end to end``     ``validate_catalog(path)`` then ``build_graph``

Times are medians over ``--repeat`` runs (wall clock, and CPU time of this process, which is
steadier on a shared machine). Peak memory is measured in one more run of each stage under
``tracemalloc``: the peak of Python allocations made by the stage (inputs that exist before
the stage, such as the parsed data, are not counted). Memory that C libraries allocate
themselves (libyaml's parser buffers) is not seen by tracemalloc.

Then the raw PyYAML loaders are compared on the 10k file, parse only: ``yaml.CSafeLoader``
(libyaml) against the pure-Python ``yaml.SafeLoader``.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pydantic
import yaml

from pathways.graph import build_graph
from pathways.io import (
    Document,
    atomic_write_text,
    catalog_from_data,
    dump_yaml,
    read_yaml,
    validate_catalog,
)
from pathways.synth import synthetic_data

#: The issue's targets (issue 2, "Done when").
TARGET_ONCE_PARSED_S = 3.0  # validate + graph, 100k courses
TARGET_ONCE_PARSED_MB = 500.0
TARGET_END_TO_END_1K_S = 0.5


@dataclass
class Result:
    size: int
    stage: str
    wall: float
    cpu: float
    peak_mb: float | None


def _measure(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(repeat):
        gc.collect()
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus)


def _peak_mb(fn: Callable[[], Any]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return (peak - base) / 2**20


def _write_catalog(size: int, directory: Path, seed: int) -> tuple[Path, float, float]:
    t0 = time.perf_counter()
    data = synthetic_data(size, seed=seed)
    generated = time.perf_counter() - t0
    t0 = time.perf_counter()
    path = directory / f"synthetic-{size}.yaml"
    atomic_write_text(path, dump_yaml(data, header=f"synthetic catalog: {size} courses, seed {seed}"))
    dumped = time.perf_counter() - t0
    return path, generated, dumped


def bench_size(path: Path, size: int, repeat: int) -> list[Result]:
    parsed = read_yaml(path)

    def validate() -> Any:
        return catalog_from_data([Document(str(path), parsed)])

    catalog = validate().catalog

    def validate_and_graph() -> Any:
        return build_graph(validate().catalog)

    def end_to_end() -> Any:
        return build_graph(validate_catalog(path).catalog)

    stages: list[tuple[str, Callable[[], Any]]] = [
        ("parse", lambda: read_yaml(path)),
        ("validate", validate),
        ("graph", lambda: build_graph(catalog)),
        ("validate+graph", validate_and_graph),
        ("end to end", end_to_end),
    ]
    results = []
    for name, fn in stages:
        wall, cpu = _measure(fn, repeat)
        results.append(Result(size, name, wall, cpu, _peak_mb(fn)))
        print(f"  {name:<15} {wall:8.3f} s wall {cpu:8.3f} s cpu  {results[-1].peak_mb:8.1f} MB",
              file=sys.stderr, flush=True)
    return results


def compare_pyyaml(path: Path, repeat: int) -> list[tuple[str, float, float]]:
    """Median wall and CPU seconds of each loader, all with the garbage collector paused.

    ``read_yaml`` pauses the collector itself; the raw loaders get the same treatment so that
    the comparison is about the parsers (with the collector on, its passes over the growing heap
    add about as much again, more in a process that already holds a large catalog).
    """
    text = path.read_text(encoding="utf-8")
    loaders: list[tuple[str, Callable[[], Any]]] = []
    if getattr(yaml, "CSafeLoader", None) is not None:
        loaders.append(("yaml.load(text, Loader=yaml.CSafeLoader)",
                        lambda: yaml.load(text, Loader=yaml.CSafeLoader)))
    loaders.append(("yaml.load(text, Loader=yaml.SafeLoader)  [pure Python]",
                    lambda: yaml.load(text, Loader=yaml.SafeLoader)))
    loaders.append(("pathways.io.read_yaml(path)", lambda: read_yaml(path)))
    out = []
    for name, fn in loaders:
        enabled = gc.isenabled()
        gc.disable()
        try:
            wall, cpu = _measure(fn, repeat)
        finally:
            if enabled:
                gc.enable()
        out.append((name, wall, cpu))
    return out


def profile_once_parsed(path: Path, top: int = 30) -> str:
    parsed = read_yaml(path)
    profiler = cProfile.Profile()
    profiler.enable()
    build_graph(catalog_from_data([Document(str(path), parsed)]).catalog)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def _revision() -> str:
    here = Path(__file__).resolve().parent
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=here,
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=here, capture_output=True, text=True, check=True).stdout
        return rev + (" (with uncommitted changes)" if dirty.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000],
                        help="catalog sizes in courses (default: 1000 10000 100000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per stage (median; default 3)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic catalogs")
    parser.add_argument("--keep", type=Path, default=None,
                        help="write the YAML files here instead of a temporary directory")
    parser.add_argument("--profile", action="store_true",
                        help="also print a cProfile of validate+graph at the largest size")
    args = parser.parse_args(argv)
    if args.repeat < 1 or any(s < 1 for s in args.sizes):
        parser.error("--repeat and --sizes must be positive")

    print(f"pathways {_revision()} | Python {platform.python_version()} | PyYAML {yaml.__version__} "
          f"(libyaml: {yaml.__with_libyaml__}) | pydantic {pydantic.VERSION} | "
          f"networkx {nx.__version__}")
    print(f"{os.cpu_count()} CPUs, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"at start; {args.repeat} run(s) per stage, median")

    with tempfile.TemporaryDirectory(prefix="pathways-bench-") as tmp:
        directory = args.keep or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        results: list[Result] = []
        files: dict[int, Path] = {}
        for size in args.sizes:
            path, generated, dumped = _write_catalog(size, directory, args.seed)
            files[size] = path
            print(f"{size:,} courses: generated in {generated:.2f} s, YAML written in "
                  f"{dumped:.2f} s, {path.stat().st_size / 2**20:.1f} MB", file=sys.stderr,
                  flush=True)
            results.extend(bench_size(path, size, args.repeat))

        print()
        print(f"{'courses':>9}  {'stage':<15} {'median s':>9} {'cpu s':>8} {'peak MB':>9}")
        for r in results:
            peak = f"{r.peak_mb:9.1f}" if r.peak_mb is not None else f"{'':>9}"
            print(f"{r.size:>9,}  {r.stage:<15} {r.wall:9.3f} {r.cpu:8.3f} {peak}")
        print("peak MB: tracemalloc peak of the Python allocations made by the stage (its inputs, "
              "e.g. the parsed data, excluded; libyaml's own C buffers not seen).")
        print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

        print()
        print("targets (issue 2):")
        by_key = {(r.size, r.stage): r for r in results}
        checks = []
        big = max(args.sizes)
        once = by_key.get((big, "validate+graph"))
        if once is not None:
            label = f"{big:,} courses" + ("" if big == 100_000 else " (target is for 100,000)")
            ok = once.wall < TARGET_ONCE_PARSED_S and (once.peak_mb or 0) < TARGET_ONCE_PARSED_MB
            checks.append(f"  validate+graph, {label}: {once.wall:.2f} s, {once.peak_mb:.0f} MB "
                          f"(target < {TARGET_ONCE_PARSED_S:g} s and < {TARGET_ONCE_PARSED_MB:g} MB)"
                          f": {'met' if ok else 'MISSED'}")
        small = by_key.get((1000, "end to end"))
        if small is not None:
            ok = small.wall < TARGET_END_TO_END_1K_S
            checks.append(f"  end to end, 1,000 courses: {small.wall:.3f} s "
                          f"(target < {TARGET_END_TO_END_1K_S:g} s): {'met' if ok else 'MISSED'}")
        print("\n".join(checks) or "  (run the 1,000 and 100,000 sizes to check them)")

        print()
        ref_size = 10_000
        ref = files.get(ref_size)
        if ref is None:
            ref, _, _ = _write_catalog(ref_size, directory, args.seed)
        print(f"raw PyYAML on the {ref_size:,}-course file ({ref.stat().st_size / 2**20:.1f} MB), "
              "parse only, garbage collector paused, median:")
        rows = compare_pyyaml(ref, min(args.repeat, 3))
        fastest = rows[0][2]
        print(f"  {'loader':<58} {'wall s':>8} {'cpu s':>8}")
        for name, wall, cpu in rows:
            print(f"  {name:<58} {wall:8.3f} {cpu:8.3f}  ({cpu / fastest:.1f}x cpu)")

        if args.profile:
            print()
            print(f"cProfile of validate+graph, {big:,} courses:")
            print(profile_once_parsed(files[big]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
