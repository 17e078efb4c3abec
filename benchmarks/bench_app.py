"""Page response time of the Streamlit app on the sample catalog (issue 6: under a second after
the first load), measured with streamlit's AppTest: every page is visited once for every sample
learner to fill the caches, then each page is timed again.

Run from the repository root: ``python benchmarks/bench_app.py [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["ui/plan.py", "ui/stacking_map.py", "ui/profile.py", "ui/skills_gap.py", "ui/overlap.py"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    started = time.perf_counter()
    at.run()
    first = time.perf_counter() - started
    for learner in at.selectbox(key="learner_sample").options:
        at.selectbox(key="learner_sample").set_value(learner).run()
        for page in PAGES:
            at.switch_page(page).run()
    print(f"first load of the app: {first:.2f} s; load average {os.getloadavg()[0]:.1f}")
    print(f"{'page':<22} {'median s':>9} {'max s':>7}   target < 1 s after the first load")
    for page in PAGES:
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            at.switch_page(page).run()
            times.append(time.perf_counter() - started)
            if at.exception:
                raise SystemExit(f"{page}: {at.exception}")
        print(f"{page:<22} {statistics.median(times):>9.3f} {max(times):>7.3f}")


if __name__ == "__main__":
    main()
