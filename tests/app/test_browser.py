"""The app in a real browser: ``streamlit run app.py`` on a free local port, every page loaded
in headless Chromium (Debian's ``chromium`` + ``chromedriver``, driven by Selenium), its text
checked and a 1400x1000 screenshot saved: to ``$PATHWAYS_SCREENSHOTS/<page>.png`` when that is set
(``PATHWAYS_SCREENSHOTS=docs/screenshots`` refreshes the README's pictures), else to pytest's
temporary directory, so that a test run leaves the working tree clean.

Skipped, with the reason, when chromium, chromedriver or selenium is missing. Never downloads a
browser: the driver and the binary are given by path, so Selenium Manager is not used.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

from tests.conftest import REPO

SHOTS_ENV = "PATHWAYS_SCREENSHOTS"
WIDTH, HEIGHT = 1400, 1000
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

# screenshot name, url path, heading, texts the page must show once rendered, what to wait for
PAGES = [
    ("plan", "", "Plan your path",
     ["Total hours", "Term by term", "Fewest hours, lowest cost or fewest terms?", "Lowest cost",
      "Advising report (PDF)"],
     '[data-testid="stVegaLiteChart"]'),
    ("map", "map", "Stacking map", ["In the plan", "counts toward", "Show every course"],
     'iframe'),
    ("profile", "profile", "Learner profile", ["Completed", "Goals", "Use this profile"],
     '[data-testid="stDataFrame"]'),
    ("gap", "gap", "Skills gap", ["Readiness", "Recommended courses", "Every skill"],
     '[data-testid="stVegaLiteChart"]'),
    ("caseload", "caseload", "Caseload", [], "h1"),
    ("overlap", "overlap", "Catalog overlap", ["Near-duplicate clusters", "Course similarity"],
     '[data-testid="stVegaLiteChart"]'),
    ("cohort", "cohort", "Cohort needs", [], "h1"),
]
#: The pages whose screenshots the README shows (the others are checked, and shot to a
#: temporary folder).
README_SHOTS = {"plan", "map", "profile", "gap", "overlap"}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=REPO, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text()}")
            with contextlib.suppress(OSError), \
                    urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer on {url} within 90 s:\n{log.read_text()}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip("needs Debian's chromium and chromium-driver (apt-get install chromium "
                    "chromium-driver); no browser is downloaded")
    webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (pip install selenium)")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--hide-scrollbars",
                 f"--window-size={WIDTH},{HEIGHT}", "--force-device-scale-factor=1",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})
        yield driver
    finally:
        driver.quit()


def _wait(driver: object, predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if predicate():  # type: ignore[operator]
                return
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _rendered(driver: object, heading: str, selector: str) -> None:
    """Wait until the page shows ``heading`` and ``selector``, and Streamlit has stopped running."""
    from selenium.webdriver.common.by import By

    def heading_shown() -> bool:
        return any(h.text.strip() == heading for h in driver.find_elements(By.TAG_NAME, "h1"))  # type: ignore[attr-defined]

    def idle() -> bool:
        status = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stStatusWidget"]')  # type: ignore[attr-defined]
        busy = driver.find_elements(  # type: ignore[attr-defined]
            By.CSS_SELECTOR, '[data-testid="stSpinner"], [data-testid="stSkeleton"]')
        return not any("Running" in s.text for s in status) and not busy

    _wait(driver, heading_shown, 90, f"the heading {heading!r}")
    _wait(driver, lambda: driver.find_elements(By.CSS_SELECTOR, selector), 60, selector)  # type: ignore[attr-defined]
    # idle for a full second (reruns triggered by widgets on load start after a short delay)
    quiet_since = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if idle():
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= 1.0:
                break
        else:
            quiet_since = None
        time.sleep(0.2)
    else:
        raise AssertionError("Streamlit kept running for 60 s")
    # rest the pointer on the page's caption: hover controls (sidebar collapse, heading
    # anchors) would otherwise show in the screenshot
    from selenium.webdriver.common.action_chains import ActionChains

    caption = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stCaptionContainer"]')  # type: ignore[attr-defined]
    if caption:
        ActionChains(driver).move_to_element(caption[0]).perform()
    driver.execute_script("document.activeElement && document.activeElement.blur()")  # type: ignore[attr-defined]
    time.sleep(0.8)  # let charts finish their transitions


def _open(driver: object, server: str, path: str) -> None:
    """Go to the page: through the sidebar navigation once the app is loaded (as a person
    would; it also spares reloading the app's scripts), else by its URL."""
    from selenium.webdriver.common.by import By

    url = f"{server}/{path}"
    if driver.current_url.startswith(server):  # type: ignore[attr-defined]
        for link in driver.find_elements(By.CSS_SELECTOR, '[data-testid="stSidebarNavLink"]'):  # type: ignore[attr-defined]
            if (link.get_attribute("href") or "").rstrip("/") == url.rstrip("/"):
                link.click()
                return
    driver.get(url)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("name", "path", "heading", "texts", "selector"), PAGES,
                         ids=[p[0] for p in PAGES])
def test_page_in_browser(server: str, browser: object, name: str, path: str, heading: str,
                         texts: list[str], selector: str,
                         tmp_path_factory: pytest.TempPathFactory) -> None:
    from selenium.webdriver.common.by import By

    _open(browser, server, path)
    _rendered(browser, heading, selector)
    body = browser.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]
    missing = [t for t in texts if t not in body]
    assert not missing, f"{name}: {missing} not on the page; it shows:\n{body[:3000]}"
    assert not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]'), body[:3000]  # type: ignore[attr-defined]
    assert "Traceback" not in body
    wanted = os.environ.get(SHOTS_ENV) if name in README_SHOTS else None
    shots = Path(wanted) if wanted else tmp_path_factory.mktemp("shots")
    shots.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(shots / f"{name}.png"))  # type: ignore[attr-defined]


def _shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wanted = os.environ.get(SHOTS_ENV)
    shots = Path(wanted) if wanted else tmp_path_factory.mktemp("shots")
    shots.mkdir(parents=True, exist_ok=True)
    return shots


def test_infeasible_plan_in_browser(server: str, browser: object,
                                    tmp_path_factory: pytest.TempPathFactory) -> None:
    """Jonas -> UT-DIP-DATA: the reason, what would make it possible, no downloads."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(browser, server, "")
    _rendered(browser, "Plan your path", '[data-testid="stVegaLiteChart"]')
    box = browser.find_element(By.CSS_SELECTOR, '[data-testid="stSidebar"] [data-testid="stSelectbox"] input')  # type: ignore[attr-defined]
    box.click()
    box.send_keys("Jonas")
    box.send_keys(Keys.ENTER)
    _wait(browser, lambda: "Jonas K." in browser.find_element(By.TAG_NAME, "body").text, 60, "Jonas")  # type: ignore[attr-defined]
    _rendered(browser, "Plan your path", '[data-testid="stMetric"]')
    targets = browser.find_element(By.CSS_SELECTOR, '[data-testid="stMultiSelect"] input')  # type: ignore[attr-defined]
    targets.click()
    targets.send_keys(Keys.BACKSPACE)  # drop UT-CERT-DA
    time.sleep(1.5)  # the page reruns without a target
    targets = browser.find_element(By.CSS_SELECTOR, '[data-testid="stMultiSelect"] input')  # type: ignore[attr-defined]
    targets.click()
    targets.send_keys("UT-DIP-DATA")
    time.sleep(1.0)  # the options are filtered
    option = next(o for o in browser.find_elements(By.CSS_SELECTOR, '[role="option"]')  # type: ignore[attr-defined]
                  if o.text.startswith("UT-DIP-DATA"))
    option.click()
    time.sleep(0.5)
    browser.find_element(By.TAG_NAME, "h1").click()  # type: ignore[attr-defined]  # close the menu
    _wait(browser, lambda: "What would make a plan possible" in browser.find_element(By.TAG_NAME, "body").text,  # type: ignore[attr-defined]
          90, "the remedies")
    _rendered(browser, "Plan your path", '[data-testid="stAlert"]')
    body = browser.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]
    assert "No plan fits" in body and "a budget of at least" in body and "UT-DIP-DATA" in body
    assert "UT-DIP-FIN" not in body.split("Optimise for")[0]  # the one target chosen
    assert "Change the limits on the learner profile" in body
    assert "Download CSV" not in body and "No courses to take" not in body
    assert browser.save_screenshot(str(_shots(tmp_path_factory) / "plan-infeasible.png"))  # type: ignore[attr-defined]


def test_report_first_page(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The advising report's first page, rendered from its PDF (what the app's button gives)."""
    import datetime as dt
    import subprocess

    from pathways.io import load_catalog, load_learner
    from pathways.skills.report import advising_report, write_report

    from tests.conftest import SAMPLE

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("needs Debian's poppler-utils (pdftoppm) to render the report")
    cat = load_catalog(SAMPLE)
    maria = load_learner(SAMPLE / "learners" / "career-changer-maria.yaml", cat)
    report = advising_report(cat, maria, ["UT-DIP-DATA"], today=dt.date(2026, 12, 6))
    work = tmp_path_factory.mktemp("report")
    pdf = write_report(report, work / "report.pdf")
    shots = _shots(tmp_path_factory)
    subprocess.run([pdftoppm, "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(shots / "report")], check=True)
    assert (shots / "report.png").stat().st_size > 10_000
