"""Benchmark the taxonomy import and text-to-skills extraction on the real data.

Prints a table of medians (wall clock and process CPU time): ESCO and O*NET import without
cache (cold), with the cache (warm), hashing the input files, ``SkillExtractor.fit`` on all of
ESCO, and single-text ``predict`` for a short sentence, an ESCO occupation description and a
SkillSpan job ad. Targets: cached import < 2 s, fit < 30 s, predict < 20 ms per text.

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

from pathways.io.esco import CLASSIFICATION_ZIP, RELATIONS_ZIP, _digest, load_esco
from pathways.io.onet import load_onet
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

    w, c, ext = measure(lambda: SkillExtractor().fit(taxonomy), args.repeat)
    rows.append(("fit SkillExtractor (ESCO)", w, c, "s"))

    jobs = list(taxonomy.jobs.values())
    step = max(1, len(jobs) // args.queries)
    descriptions = [j.description for j in jobs[::step]][: args.queries]
    ads = [a.text for a in load_job_ads(args.data / "job-ads-skillspan" / "dev.json")]
    short = ["We need someone skilled in Python programming and SQL databases"] * args.queries
    for name, texts in (
        ("predict: short sentence (10 words)", short),
        (f"predict: ESCO description (median {_words(descriptions)} words)", descriptions),
        (f"predict: job ad (median {_words(ads)} words)", ads[: args.queries]),
    ):
        w, c = per_query(ext, texts)
        rows.append((name, w, c, "ms"))

    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark':<{width}}  {'wall':>9}  {'cpu':>9}  unit")
    print("-" * (width + 28))
    for name, w, c, unit in rows:
        print(f"{name:<{width}}  {w:>9.3f}  {c:>9.3f}  {unit}")
    return 0


def _words(texts: list[str]) -> int:
    return int(statistics.median(len(t.split()) for t in texts))


if __name__ == "__main__":
    raise SystemExit(main())
