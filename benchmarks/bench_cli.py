"""Whole-process times of the command line, each beside a bare interpreter in the same run.

Every command runs as a new process, as a user runs it: the ``pathways`` console script (or
``python -m pathways`` with ``--module``), from the repository root, output discarded. Runs are
interleaved (baseline, then each command, repeated), so the baseline ``python -c pass`` sees
the same machine as the commands; the table gives medians, the difference to the baseline and
the ratio.

Targets (issue 14): ``pathways --help`` within 0.3 s of a bare interpreter;
``pathways validate data`` < 1 s; ``pathways plan --learner data/learners/halfway-jonas.yaml``
< 1.5 s.

    python benchmarks/bench_cli.py [--repeat 7] [--module]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: (arguments, target): "+0.3" is a target relative to the baseline, "1.0" an absolute one.
COMMANDS = [
    (["--help"], "+0.3"),
    (["validate", "data"], "1.0"),
    (["plan", "--learner", "data/learners/halfway-jonas.yaml"], "1.5"),
]


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "PATHWAYS_TODAY": "2026-12-06"}, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7, help="runs of each command (median)")
    parser.add_argument("--module", action="store_true",
                        help="run python -m pathways instead of the console script")
    args = parser.parse_args()
    script = shutil.which("pathways")
    prefix = [sys.executable, "-m", "pathways"] if args.module or not script else [script]
    baseline = [sys.executable, "-c", "pass"]

    for argv in [baseline] + [prefix + a for a, _ in COMMANDS]:  # warm the file cache
        timed(argv)
    runs: dict[str, list[float]] = {"python -c pass": []}
    for _ in range(args.repeat):
        runs["python -c pass"].append(timed(baseline))
        for a, _ in COMMANDS:
            runs.setdefault("pathways " + " ".join(a), []).append(timed(prefix + a))

    base = statistics.median(runs["python -c pass"])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"# {args.repeat} runs each, interleaved; medians; load average {load:.2f}; "
          f"{'python -m pathways' if prefix[0] == sys.executable else prefix[0]}")
    print(f"| command | median s | min s | vs bare python | ratio | target | met |")
    print("|---|---:|---:|---:|---:|---|---|")
    print(f"| python -c pass (baseline) | {base:.3f} | {min(runs['python -c pass']):.3f} "
          "| | 1.0 | | |")
    for a, target in COMMANDS:
        name = "pathways " + " ".join(a)
        med = statistics.median(runs[name])
        if target.startswith("+"):
            met = med - base < float(target)
            shown = f"within {target[1:]} s of bare"
        else:
            met = med < float(target)
            shown = f"< {target} s"
        print(f"| {name} | {med:.3f} | {min(runs[name]):.3f} | +{med - base:.3f} | "
              f"{med / base:.1f} | {shown} | {'yes' if met else 'NO'} |")


if __name__ == "__main__":
    main()
