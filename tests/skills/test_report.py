"""The advising report (skills/report.py): what it says comes from the planner and the gap
analysis, the PDF is one A4 page whose rendering (poppler's pdftoppm, to PNG) shows ink where
the text and chart are, and the HTML shows every text as text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pathways.domain import Holding
from pathways.errors import InvalidParameterError, WriteError
from pathways.io import load_catalog, load_learner
from pathways.planner import plan, remedies
from pathways.skills import gap_analysis
from pathways.skills.report import (
    advising_report,
    job_sources,
    pdf_font,
    report_html,
    report_pdf,
    write_report,
)
from tests.conftest import SAMPLE

DAY = dt.date(2026, 12, 6)
PDFTOPPM = shutil.which("pdftoppm")
PDFTOTEXT = shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(
    PDFTOPPM is None or PDFTOTEXT is None,
    reason="needs Debian's poppler-utils (pdftoppm, pdftotext) to render the PDF; .ci/run "
           "installs it")


@pytest.fixture(scope="module")
def sample():
    cat = load_catalog(SAMPLE)
    people = {p.stem.split("-")[-1]: load_learner(p, cat)
              for p in (SAMPLE / "learners").glob("*.yaml")}
    return cat, people


def test_the_report_says_what_the_engines_answer(sample) -> None:
    cat, people = sample
    maria = people["maria"]
    r = advising_report(cat, maria, today=DAY)
    expected = plan(cat, maria, today=DAY)
    assert r.plan == expected and r.targets == (("UT-CERT-DA", "Certificate in Data Analytics"),)
    gap = gap_analysis(cat, maria, maria.goals.job)
    assert r.readiness_now == gap.readiness and r.job_title == gap.title
    # after the plan: its courses counted as completed at the plan's end
    done = tuple(Holding("course", c.id, expected.completion) for c in expected.courses)
    later = gap_analysis(cat, dataclasses.replace(maria, completed=maria.completed + done),
                         maria.goals.job, as_of=expected.completion)
    assert r.readiness_after == later.readiness > r.readiness_now
    assert [s.label for s in r.skills] == [s.label for s in gap.skills]
    assert r.earned == tuple((k, cat.title(k), str(t)) for k, t in expected.earned)
    assert "The lowest-cost plan:" in r.alternatives
    assert any("ESCO" in s for s in r.sources)
    assert "This service uses the ESCO classification of the European Commission." in r.sources


def test_an_infeasible_plan_reports_why_and_what_would_fix_it(sample) -> None:
    cat, people = sample
    jonas = people["jonas"]
    r = advising_report(cat, jonas, ["UT-DIP-DATA"], today=DAY)
    assert not r.plan.feasible and r.readiness_after is None
    assert r.remedies == tuple(f.text for f in remedies(cat, jonas, ["UT-DIP-DATA"], today=DAY))
    page = report_html(r)
    assert "No plan fits" in page and "What would make a plan possible" in page
    assert "The plan, term by term" not in page


def test_job_sources_cite_the_data() -> None:
    from pathways.domain import Job
    from pathways.io.esco import ESCO_ATTRIBUTION
    from pathways.io.onet import ONET_ATTRIBUTION

    assert ONET_ATTRIBUTION in job_sources(Job("onet:15-2051.00", "Data Scientists"))
    ad = job_sources(Job("job-ad", "the job ad"), read_from_ad=True)
    assert "read from the job ad" in ad[0] and ESCO_ATTRIBUTION in ad


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_shows_text_as_text(sample) -> None:
    cat, people = sample
    hostile = dataclasses.replace(people["maria"], name="<script>alert('x')</script> & <b>Co</b>")
    r = advising_report(cat, hostile, today=DAY)
    page = report_html(r)
    parser = _Text()
    parser.feed(page)
    assert "script" not in parser.tags  # no element from the name
    assert "<script>alert('x')</script> & <b>Co</b>" in "".join(parser.text)
    for course in r.plan.courses:
        assert course.id in page
    assert page.count("<svg") == 1  # the chart, inline


@needs_poppler
@pytest.mark.parametrize(("who", "targets"), [("maria", None), ("maria", ["UT-DIP-DATA"]),
                                              ("jonas", ["UT-DIP-DATA"]), ("li", None)])
def test_pdf_is_one_page_that_renders_with_the_plan(sample, tmp_path: Path, who: str,
                                                   targets: list[str] | None) -> None:
    from PIL import Image

    cat, people = sample
    r = advising_report(cat, people[who], targets, today=DAY)
    out = write_report(r, tmp_path / "report.pdf")
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and data == report_pdf(r)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE) and "595.28 x 841.89" in info  # one A4 page
    text = subprocess.run([PDFTOTEXT, "-layout", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Advising report" in text and r.learner in text and r.job_title in text
    for course in r.plan.courses:
        assert course.id in text
    for credential, _, term in r.earned:
        assert credential in text
    assert ("No plan fits" in text) == (not r.plan.feasible)
    assert "ESCO" in text and "Sources" in text
    subprocess.run([PDFTOPPM, "-png", "-r", "60", "-singlefile", str(out), str(tmp_path / "page")],
                   check=True)
    with Image.open(tmp_path / "page.png") as png:
        image = png.convert("L")
    width, height = image.size
    assert abs(height / width - 841.89 / 595.28) < 0.01

    def inked(top: float, bottom: float) -> float:  # share of dark pixels in a band
        band = image.crop((0, int(top * height), width, int(bottom * height)))
        counts = band.histogram()  # grey levels 0..255
        return sum(counts[:200]) / sum(counts)

    assert inked(0.0, 0.1) > 0.01  # the heading and the learner
    assert inked(0.3, 0.6) > 0.005  # the plan, or the chart
    assert inked(0.975, 1.0) == 0  # the bottom margin stays blank: nothing ran off the page


def test_pdf_without_a_unicode_font_transliterates(sample, monkeypatch, tmp_path: Path) -> None:
    import pathways.skills.report as module

    cat, people = sample
    monkeypatch.setattr(module, "pdf_font", lambda: None)
    r = advising_report(cat, dataclasses.replace(people["maria"], name="Łucja Żółć ✓"), today=DAY)
    assert report_pdf(r).startswith(b"%PDF-")


def test_write_report_checks_the_name(sample, tmp_path: Path) -> None:
    cat, people = sample
    r = advising_report(cat, people["maria"], today=DAY)
    with pytest.raises(InvalidParameterError, match=r"\*\.pdf or \*\.html"):
        write_report(r, tmp_path / "report.docx")
    with pytest.raises(WriteError, match="is a directory"):
        (tmp_path / "dir.pdf").mkdir()
        write_report(r, tmp_path / "dir.pdf")
    html = write_report(r, tmp_path / "out" / "report.html")
    assert html.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert not list((tmp_path / "out").glob("*.tmp"))


def test_the_pdf_font_is_found_here() -> None:
    # this machine (and CI) has Debian's DejaVu fonts: the PDF embeds a Unicode font
    font = pdf_font()
    if font is None:
        pytest.skip("no TrueType font on this machine: the PDF uses the core font")
    assert Path(font[0]).is_file() and Path(font[1]).is_file()
