"""How fast a large catalog loads and validates from CSV (the fast path for big catalogs).

Generates a synthetic catalog (``pathways.synth``), writes it as a CSV catalog directory
(``catalog.yaml`` + ``courses.csv`` + ``credentials.csv`` + ``jobs.csv``), then times
``--repeat`` runs of:

- ``read``: the CSV readers alone (pandas ``read_csv`` and building the catalog data);
- ``load+validate``: :func:`pathways.io.validate_catalog` on the directory, which is the whole
  path a user takes (reading, shape validation, domain objects, whole-catalog checks).

Each line gives the best and the median of the runs (this is a shared machine: compare CPU
seconds, which waiting for a core does not inflate).

The target is under 5 s for 100,000 courses. Run::

    python benchmarks/bench_csv.py              # 100k courses
    python benchmarks/bench_csv.py --courses 10000 --repeat 3
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pathways.io import catalog_to_data, validate_catalog
from pathways.io.tables import read_csv_file, write_csv_catalog
from pathways.synth import synthetic_catalog

TARGET_SECONDS = 5.0


def _runs(fn, repeat: int) -> tuple[list[float], list[float], object]:
    """Wall-clock and CPU seconds of ``repeat`` runs, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        gc.collect()
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return walls, cpus, result


def _line(walls: list[float], cpus: list[float]) -> str:
    return (f"best {min(walls):6.2f} s wall, {min(cpus):6.2f} s CPU; "
            f"median {statistics.median(walls):6.2f} s wall, {statistics.median(cpus):6.2f} s CPU")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--check", action="store_true",
                        help="also check that the loaded catalog equals the generated one")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    catalog = synthetic_catalog(args.courses, seed=args.seed)
    print(f"generated {len(catalog.courses):,} courses, {len(catalog.credentials):,} credentials, "
          f"{len(catalog.jobs):,} jobs in {time.perf_counter() - start:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) / "catalog"
        start = time.perf_counter()
        files = write_csv_catalog(catalog, directory)
        size = sum(f.stat().st_size for f in files)
        print(f"wrote {len(files)} files ({size / 1e6:.1f} MB) in {time.perf_counter() - start:.1f} s")

        read_walls, read_cpus, _ = _runs(
            lambda: [read_csv_file(f) for f in files if f.suffix == ".csv"], args.repeat)
        walls, cpus, report = _runs(lambda: validate_catalog(directory), args.repeat)
        loaded = report.catalog  # type: ignore[attr-defined]
        print(f"read CSV tables:  {_line(read_walls, read_cpus)}")
        print(f"load + validate:  {_line(walls, cpus)}")
        print(f"  (target < {TARGET_SECONDS:g} s for 100k courses, median wall; "
              f"{len(loaded.courses):,} courses loaded)")
        if args.check:
            same = catalog_to_data(loaded) == catalog_to_data(catalog)
            print(f"round trip lossless:  {same}")
            if not same:
                return 1
    return 0 if statistics.median(walls) < TARGET_SECONDS or args.courses < 100_000 else 1


if __name__ == "__main__":
    sys.exit(main())
