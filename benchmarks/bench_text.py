"""Benchmark the taxonomy import and text-to-skills extraction on the real data.

Prints two tables of medians (wall clock and process CPU time).

1. Imports: ESCO and O*NET import without cache (cold), with the cache (warm), hashing the
   input files.
2. Text to skills, each timing beside a baseline measured in the same run, with the ratio:
   ``SkillExtractor.fit`` on all of ESCO (baseline: the description path alone,
   ``job_ads="never"``); loading the shipped job-ad model (baseline: the cached ESCO
   import); single-text ``predict`` for a short sentence and an ESCO occupation description
   (both on the description path; baseline: the same with the job-ad path off), for the
   data-analyst ad of the tests (about 160 words) and for SkillSpan dev postings of 600 to
   800 words (job-ad path; baseline: the same texts on the description path).
   Targets: fit < 30 s, model load < 2 s, predict < 20 ms for a short text, < 100 ms for a
   700-word ad.

Usage::

    python benchmarks/bench_text.py [--data ../shared/data] [--repeat 3] [--queries 50]

CPU time is reported next to wall time because a busy shared machine inflates wall time; on
an idle machine the two agree.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pathways.io._cache import _digest
from pathways.io.esco import CLASSIFICATION_ZIP, RELATIONS_ZIP, load_esco
from pathways.io.onet import load_onet
from pathways.skills import jobad
from pathways.skills.evaluate import load_job_ads
from pathways.skills.text import SkillExtractor


def measure(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Median wall and CPU seconds of ``repeat`` calls, and the last result."""
    walls: list[float] = []
    cpus: list[float] = []
    result = None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), result


def per_query(ext: SkillExtractor, texts: list[str]) -> tuple[float, float]:
    """Median wall and CPU milliseconds of ``predict([text])`` over ``texts``."""
    ext.predict(texts[:1])  # warm the analyzer caches once
    walls: list[float] = []
    cpus: list[float] = []
    for t in texts:
        w, c = time.perf_counter(), time.process_time()
        ext.predict([t])
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args(argv)
    esco_dir, onet_dir = args.data / "esco-1.1.1", args.data / "onet-29.2"
    rows: list[tuple[str, float, float, str]] = []

    with tempfile.TemporaryDirectory() as cache:
        files = [esco_dir / CLASSIFICATION_ZIP, esco_dir / RELATIONS_ZIP]
        size = sum(f.stat().st_size for f in files) / 1e6
        w, c, _ = measure(lambda: _digest(files, ""), args.repeat)
        rows.append((f"sha-256 of the ESCO zips ({size:.1f} MB)", w, c, "s"))
        w, c, _ = measure(lambda: load_esco(esco_dir, cache=False), args.repeat)
        rows.append(("esco import (no cache)", w, c, "s"))
        w, c, _ = measure(lambda: load_esco(esco_dir, cache_dir=cache), 1)
        rows.append(("esco import (cold, writes cache)", w, c, "s"))
        w, c, taxonomy = measure(lambda: load_esco(esco_dir, cache_dir=cache), args.repeat)
        rows.append(("esco import (cached)", w, c, "s"))
        w, c, _ = measure(lambda: load_onet(onet_dir, cache=False), args.repeat)
        rows.append(("onet import (no cache)", w, c, "s"))
        load_onet(onet_dir, cache_dir=cache)
        w, c, _ = measure(lambda: load_onet(onet_dir, cache_dir=cache), args.repeat)
        rows.append(("onet import (cached)", w, c, "s"))

    print_table(rows, ["benchmark", "wall", "cpu", "unit"])
    print()

    # ----------------------------------------------------------------- text to skills
    cmp: list[tuple[str, float, float, str, float, float, str]] = []
    wb, cb, old = measure(lambda: SkillExtractor(job_ads="never").fit(taxonomy), args.repeat)
    w, c, ext = measure(lambda: SkillExtractor().fit(taxonomy), args.repeat)
    cmp.append(("fit SkillExtractor (ESCO)", w, c, "description path only", wb, cb, "s"))

    def load_model() -> Any:
        jobad._load.cache_clear()
        return jobad.JobAdModel.load()

    with tempfile.TemporaryDirectory() as cache:
        load_esco(esco_dir, cache_dir=cache)
        wb, cb, _ = measure(lambda: load_esco(esco_dir, cache_dir=cache), args.repeat)
    w, c, _ = measure(load_model, args.repeat)
    cmp.append(("load the job-ad model", w, c, "esco import (cached)", wb, cb, "s"))

    jobs = list(taxonomy.jobs.values())
    step = max(1, len(jobs) // args.queries)
    descriptions = [j.description for j in jobs[::step]][: args.queries]
    dev = [a.text for a in load_job_ads(args.data / "job-ads-skillspan" / "dev.json")]
    long_ads = [t for t in dev if 600 <= len(t.split()) <= 800][: args.queries]
    short = ["We need someone skilled in Python programming and SQL databases"] * args.queries
    analyst = [_analyst_ad()] * min(args.queries, 20)
    for name, texts, unit in (
        ("predict: short sentence (10 words)", short, "ms"),
        (f"predict: ESCO description (median {_words(descriptions)} words)", descriptions,
         "ms"),
        (f"predict: data-analyst ad ({_words(analyst)} words)", analyst, "ms"),
        (f"predict: job ad (median {_words(long_ads)} words, {len(long_ads)} ads)", long_ads,
         "ms"),
    ):
        w, c = per_query(ext, texts)
        wb, cb = per_query(old, texts)
        path = "job-ad" if ext.is_job_ad(texts[0]) else "description"
        cmp.append((f"{name} [{path} path]", w, c, "description path", wb, cb, unit))

    width = max(len(r[0]) for r in cmp)
    bwidth = max(len(r[3]) for r in cmp)
    print(f"{'benchmark':<{width}}  {'wall':>9}  {'cpu':>9}  {'baseline':<{bwidth}}  "
          f"{'wall':>9}  {'cpu':>9}  {'ratio':>6}  unit")
    print("-" * (width + bwidth + 58))
    for name, w, c, base, wb, cb, unit in cmp:
        print(f"{name:<{width}}  {w:>9.3f}  {c:>9.3f}  {base:<{bwidth}}  {wb:>9.3f}  "
              f"{cb:>9.3f}  {w / wb:>6.2f}  {unit}")
    print("ratio = wall time / baseline wall time")
    return 0


def print_table(rows: list[tuple[str, float, float, str]], header: list[str]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{header[0]:<{width}}  {header[1]:>9}  {header[2]:>9}  {header[3]}")
    print("-" * (width + 28))
    for name, w, c, unit in rows:
        print(f"{name:<{width}}  {w:>9.3f}  {c:>9.3f}  {unit}")


def _analyst_ad() -> str:
    """The data-analyst ad of ``tests/skills/test_jobad_ads.py``."""
    sys.path.insert(0, str(ROOT))
    from tests.skills.test_jobad_ads import DATA_ANALYST_AD

    return str(DATA_ANALYST_AD)


def _words(texts: list[str]) -> int:
    return int(statistics.median(len(t.split()) for t in texts))


if __name__ == "__main__":
    raise SystemExit(main())
