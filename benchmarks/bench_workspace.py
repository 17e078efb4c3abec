"""The advisor workspace at caseload size: SQLite and PostgreSQL side by side.

A caseload of ``--learners`` (default 300) learners is built from the sample learners of
``data/`` (each copied under a new id, with its completed courses thinned out so the learners
differ), half of them with a saved plan. Timed, per database:

- ``add``: adding them (validation included), per learner;
- ``caseload cold``: :func:`pathways.workspace.caseload` the first time in a process
  (readiness and a plan computed for every learner without a saved one);
- ``caseload warm``: the same call again (what the app and ``workspace list`` do after the
  first load; the target is < 1 s for 300 learners);
- baseline: ``Workspace.learners()`` of the same caseload (reading the rows, nothing computed),
  in the same run; the ratio is warm / baseline.

PostgreSQL runs when ``--pg URL`` or ``$PATHWAYS_TEST_POSTGRES_URL`` names a server (its tables
are dropped first: use a throwaway database).

    python benchmarks/bench_workspace.py [--learners 300] [--pg postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def profiles(n: int) -> list[str]:
    """``n`` learner files made from the sample learners (new ids, fewer holdings)."""
    samples = [yaml.safe_load(p.read_text(encoding="utf-8"))
               for p in sorted((REPO / "data" / "learners").glob("*.yaml"))]
    out = []
    for i in range(n):
        data = yaml.safe_load(yaml.safe_dump(samples[i % len(samples)]))
        body = data["learner"]
        body["id"] = f"{body['id']}-{i:04d}"
        body["name"] = f"{body.get('name', body['id'])} #{i}"
        done = body.get("completed", [])
        body["completed"] = done[: max(0, len(done) - (i // len(samples)) % (len(done) + 1))]
        body.pop("badges", None)
        out.append(yaml.safe_dump(data, sort_keys=False))
    return out


def run(url: str, label: str, n: int, repeat: int) -> dict[str, float]:
    import sqlalchemy as sa

    from pathways.io import load_catalog
    from pathways.workspace import Workspace, add_learner, caseload, make_plan
    from pathways.workspace import _advising

    if not url.startswith("sqlite"):
        engine = sa.create_engine(url)
        meta = sa.MetaData()
        meta.reflect(engine)
        meta.drop_all(engine)
        engine.dispose()
    catalog = load_catalog(REPO / "data")
    ws = Workspace.open(url, create=True)
    texts = profiles(n)
    start = time.perf_counter()
    for text in texts:
        add_learner(ws, text, catalog, by="bench", advisor="bench")
    add = (time.perf_counter() - start) / n
    day = dt.date(2026, 12, 6)
    for info in ws.learners()[::2]:
        make_plan(ws, catalog, info.id, by="bench", today=day, time_limit=5)
    _advising._CACHE.clear()
    start = time.perf_counter()
    rows = caseload(ws, catalog, "bench", today=day)
    cold = time.perf_counter() - start
    assert len(rows) == n
    warm, base = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        ws.learners("bench")
        base.append(time.perf_counter() - start)
        start = time.perf_counter()
        caseload(ws, catalog, "bench", today=day)
        warm.append(time.perf_counter() - start)
    ws.close()
    return {"add": add, "cold": cold, "warm": statistics.median(warm),
            "base": statistics.median(base)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pg", default=os.environ.get("PATHWAYS_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    targets = [("SQLite", "sqlite:///" + str(Path(tempfile.mkdtemp()) / "bench.db"))]
    if args.pg:
        targets.append(("PostgreSQL", args.pg))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"# {args.learners} learners (half with a saved plan), medians of {args.repeat}; "
          f"load average {load:.2f}")
    print("| database | add / learner ms | caseload cold s | caseload warm s | baseline: read "
          "the rows s | warm / baseline | warm < 1 s |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, url in targets:
        r = run(url, label, args.learners, args.repeat)
        print(f"| {label} | {1000 * r['add']:.1f} | {r['cold']:.2f} | {r['warm']:.3f} | "
              f"{r['base']:.3f} | {r['warm'] / r['base']:.1f} | {'yes' if r['warm'] < 1 else 'NO'} |")
    if not args.pg:
        print("(PostgreSQL skipped: pass --pg URL or set PATHWAYS_TEST_POSTGRES_URL)")


if __name__ == "__main__":
    main()
