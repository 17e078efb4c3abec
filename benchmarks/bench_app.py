"""The app's load times, each beside a baseline measured in the same run (issue 20, point 6).

1. **First load on a fresh server**: ``streamlit run app.py`` started anew (the time until it
   answers), then the plan page opened in headless Chromium: the time until the page heading
   shows (the first useful paint, target < 3 s) and until the plan's metrics show. Baseline: a bare
   Streamlit page (a title only) started and opened the same way, so the ratio is what pathways
   adds to Streamlit's own start.
2. **Later loads**: the same page opened again in a new browser session on the warm server;
   baseline: the bare page opened again.
3. **The job-ad reader** (needs ESCO v1.1.1 in ``$PATHWAYS_ESCO`` or ``../shared/data``):
   ``load_extractor()`` in a fresh process with an empty extractor cache (the first fit, and
   writing the cache), then again (loading it from disk, target < 2 s); the ratio is later /
   first. The ESCO taxonomy's own disk cache is kept, as on a server that read ESCO before.
4. **Page response after the first load** (streamlit's AppTest): every page visited for every
   sample learner to fill the caches, then each page timed again (target < 1 s).

Run from the repository root: ``python benchmarks/bench_app.py [--repeat 3] [--skip-fit]``.
Needs Debian's chromium and chromium-driver for 1 and 2.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["ui/plan.py", "ui/stacking_map.py", "ui/profile.py", "ui/skills_gap.py", "ui/overlap.py"]
BARE = 'import streamlit as st\nst.set_page_config(layout="wide")\nst.title("Plan your path")\n'


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser") or ""
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1400,1000"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver") or ""), options=options)


def _wait(driver, css: str, text: str | None, limit: float = 120) -> float:
    from selenium.webdriver.common.by import By

    end = time.perf_counter() + limit
    while time.perf_counter() < end:
        with contextlib.suppress(Exception):
            for el in driver.find_elements(By.CSS_SELECTOR, css):
                if text is None or text in el.text:
                    return time.perf_counter()
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {css} {text!r}")


def _serve(script: Path, cwd: Path) -> tuple[subprocess.Popen, str, float]:
    port = _port()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    while True:
        with contextlib.suppress(OSError), \
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
            if r.status == 200:
                return proc, url, started
        if time.perf_counter() - started > 90:
            proc.kill()
            raise SystemExit(f"{script} did not start")
        time.sleep(0.05)


def _loads(script: Path, cwd: Path, metric: str | None, repeat: int) -> dict[str, float]:
    """Times of a fresh server's first load and of later loads (new sessions) of ``script``."""
    driver = _browser()  # started before the server: the browser's own start is not counted
    proc, url, started = _serve(script, cwd)
    try:
        opened = time.perf_counter()
        driver.get(url)
        out = {"server start": opened - started,
               "first heading": _wait(driver, "h1", "Plan your path") - opened}
        if metric:
            out["first metrics"] = _wait(driver, '[data-testid="stMetric"]', metric) - opened
        later_h, later_m = [], []
        for _ in range(repeat):
            driver.get("about:blank")
            t0 = time.perf_counter()
            driver.get(url)
            later_h.append(_wait(driver, "h1", "Plan your path") - t0)
            if metric:
                later_m.append(_wait(driver, '[data-testid="stMetric"]', metric) - t0)
        out["later heading"] = statistics.median(later_h)
        if metric:
            out["later metrics"] = statistics.median(later_m)
        return out
    finally:
        driver.quit()
        proc.terminate()
        proc.wait(timeout=20)


def first_loads(repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE, encoding="utf-8")
        base = _loads(bare, Path(tmp), None, repeat)
    app = _loads(ROOT / "app.py", ROOT, "Total hours", repeat)
    print(f"{'app load (plan page, 1400x1000)':<34} {'s':>7} {'bare page s':>12} {'ratio':>7}")
    for name in ("server start", "first heading", "first metrics", "later heading",
                 "later metrics"):
        ref = base[name if name == "server start" else
                   "first heading" if name.startswith("first") else "later heading"]
        print(f"{name:<34} {app[name]:>7.2f} {ref:>12.2f} {app[name] / ref:>7.2f}")
    print("server start: until it answers; first: from opening the page on the fresh server "
          "(the heading is the first useful paint, target < 3 s); later: a new session on the "
          "warm server. Baseline: a bare Streamlit page with a title, served the same way")


def extractor_loads() -> None:
    sys.path.insert(0, str(ROOT))
    from pathways.io.esco import default_cache_dir, default_esco_dir, has_esco

    if not has_esco():
        print(f"job-ad reader: skipped, no ESCO v1.1.1 in {default_esco_dir()}")
        return
    code = ("import time; from pathways.skills import load_extractor; "  # imports not timed
            "t = time.perf_counter(); load_extractor(); print(time.perf_counter() - t)")
    with tempfile.TemporaryDirectory() as tmp:
        for f in default_cache_dir().glob("esco-*.pickle"):  # keep ESCO's own cache
            shutil.copy(f, tmp)
        env = {**os.environ, "PATHWAYS_CACHE_DIR": tmp}
        times = [float(subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT,
                                      capture_output=True, text=True, check=True).stdout)
                 for _ in range(2)]
    print(f"{'job-ad reader (fresh process)':<34} {'s':>7}")
    print(f"{'first fit, cache written':<34} {times[0]:>7.2f}")
    print(f"{'later start, from disk':<34} {times[1]:>7.2f}   ratio to the first fit "
          f"{times[1] / times[0]:.3f} (target < 2 s)")


def page_responses(repeat: int) -> None:
    from streamlit.testing.v1 import AppTest

    os.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    started = time.perf_counter()
    at.run()
    first = time.perf_counter() - started
    for learner in at.selectbox(key="learner_sample").options:
        at.selectbox(key="learner_sample").set_value(learner).run()
        for page in PAGES:
            at.switch_page(page).run()
    print(f"AppTest first run {first:.2f} s; load average {os.getloadavg()[0]:.1f}")
    print(f"{'page (warm caches)':<22} {'median s':>9} {'max s':>7}   target < 1 s; "
          f"baseline: the first AppTest run, {first:.2f} s")
    for page in PAGES:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            at.switch_page(page).run()
            times.append(time.perf_counter() - started)
            if at.exception:
                raise SystemExit(f"{page}: {at.exception}")
        med = statistics.median(times)
        print(f"{page:<22} {med:>9.3f} {max(times):>7.3f}   ratio {med / first:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-fit", action="store_true", help="skip the job-ad reader's fit")
    args = parser.parse_args()
    if shutil.which("chromium") and shutil.which("chromedriver"):
        first_loads(args.repeat)
    else:
        print("app loads: skipped, needs chromium and chromedriver")
    if not args.skip_fit:
        extractor_loads()
    page_responses(args.repeat)


if __name__ == "__main__":
    main()
