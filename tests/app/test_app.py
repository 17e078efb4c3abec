"""The Streamlit app, driven page by page with ``streamlit.testing.v1.AppTest``.

Every expected number is computed here by calling the library on the same sample data the
app opens on, so the tests check that the pages show what the engines answer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import io
import json
import re
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from pathways.errors import CatalogError
from pathways.graph import build_graph, relevant_subgraph
from pathways.io import learner_from_data, load_learner, validate_catalog

from tests.conftest import REPO, SAMPLE

if str(REPO) not in sys.path:  # the app's ui/ package sits next to app.py, outside pathways/
    sys.path.insert(0, str(REPO))

from ui.forms import form_defaults, profile_data
from ui.state import parse_catalog_upload, parse_learner_upload
from ui.views import md_escape, plan_csv, plan_json

APP = str(REPO / "app.py")
PAGES = ["ui/plan.py", "ui/stacking_map.py", "ui/profile.py", "ui/skills_gap.py", "ui/overlap.py"]


# --------------------------------------------------------------------------- helpers
@pytest.fixture(scope="module")
def sample():
    report = validate_catalog(SAMPLE)
    catalog = report.catalog
    maria = load_learner(SAMPLE / "learners" / "career-changer-maria.yaml", catalog)
    return report, catalog, build_graph(catalog), maria


def open_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str) -> str:
    """The value of the first metric labelled ``label``."""
    for m in at.metric:
        if m.label == label:
            return m.value
    raise AssertionError(f"no metric {label!r}: {[m.label for m in at.metric]}")


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def tradeoff_table(at: AppTest) -> pd.DataFrame:
    """The plan page's table of the objectives side by side."""
    return next(tb.value for tb in at.table if "Same plan as" in tb.value.columns)


# --------------------------------------------------------------------------- plan
def test_plan_page_opens_with_the_sample_learners_goal_planned(sample):
    from pathways.planner import plan

    _, catalog, G, maria = sample
    at = open_app()
    assert [t.value for t in at.title] == ["Plan your path"]
    assert at.multiselect(key="plan_targets").value == list(maria.goals.credentials)
    expected = plan(catalog, maria, list(maria.goals.credentials), objective="hours", graph=G)
    assert expected.feasible and expected.courses
    assert metric(at, "Total hours") == f"{expected.total_hours:g}"
    assert metric(at, "Courses") == str(len(expected.courses))
    assert metric(at, "Terms") == str(expected.terms)
    assert metric(at, f"Total cost ({catalog.currency})") == f"{expected.total_cost:,.0f}"
    text = markdown(at)  # term by term: every course with the reason it is in the plan
    for course in expected.courses:
        assert f"**{course.id}**" in text and course.reason.split(";")[0] in text
    assert [b.label for b in at.get("download_button")] == [
        "Download CSV", "Download JSON", "Advising report (PDF)", "Advising report (HTML)"]
    # the report is written when its button is clicked (engines.report_download): the bytes
    # are the library's report (its content is checked in tests/skills/test_report.py,
    # rendered to PNG)
    from pathways.skills.report import advising_report, report_pdf
    from ui.engines import report_download

    made = report_download("pdf", catalog, maria, tuple(maria.goals.credentials),
                           maria.goals.job, "hours", G)()
    assert made == report_pdf(advising_report(catalog, maria, job=maria.goals.job))
    # the audit of the target is drawn as a tree with marks
    assert "UT-CERT-DA" in markdown(at) and "✔" in markdown(at)


def test_plan_page_objective_targets_distances_and_what_if(sample):
    from pathways.planner import distances, plan, what_if

    _, catalog, G, maria = sample
    at = open_app()
    at.segmented_control(key="plan_objective").set_value("cost").run()
    at.multiselect(key="plan_targets").set_value(["UT-MC-DA"]).run()
    assert not at.exception
    expected = plan(catalog, maria, ["UT-MC-DA"], objective="cost", graph=G)
    assert metric(at, "Total hours") == f"{expected.total_hours:g}"
    assert metric(at, f"Total cost ({catalog.currency})") == f"{expected.total_cost:,.0f}"

    dist = next(df.value for df in at.dataframe if "credential" in df.value.columns)
    want = distances(catalog, maria, graph=G)
    assert dist["credential"].tolist() == [d.credential for d in want]
    assert dist["summary"].tolist() == [d.summary for d in want]

    at.selectbox(key="whatif_a").set_value("UT-CERT-DA")
    at.selectbox(key="whatif_b").set_value("UT-DIP-DATA").run()
    assert not at.exception
    rows = what_if(catalog, maria, {"a": ["UT-CERT-DA"], "b": ["UT-DIP-DATA"]},
                   objective="cost", graph=G).rows
    hours = [m.value for m in at.metric if m.label == "Hours"]
    assert hours == [f"{rows[0]['hours']:g}", f"{rows[1]['hours']:g}"]


def test_plan_page_shows_the_objectives_side_by_side(sample):
    # issue 20: the objective switch must not look like it does nothing: the fewest-hours,
    # lowest-cost and fewest-terms plans side by side, "same plan" said plainly
    from pathways.planner import plan

    _, catalog, G, maria = sample
    at = open_app()
    table = tradeoff_table(at)
    assert table.index.tolist() == ["Fewest hours (shown)", "Lowest cost", "Fewest terms"]
    goals = list(maria.goals.credentials)
    for objective, (_, row) in zip(("hours", "cost", "terms"), table.iterrows()):
        p = plan(catalog, maria, goals, objective=objective, graph=G)
        assert (row["Hours"], row["Cost (CAD)"], row["Terms"]) == (
            f"{p.total_hours:g}", f"{p.total_cost:,.0f}", str(p.terms))
        assert row["Courses taken"] == ", ".join(c.id for c in p.courses)
    hours, cost = (plan(catalog, maria, goals, objective=o, graph=G) for o in ("hours", "cost"))
    assert cost.total_cost < hours.total_cost and cost.total_hours > hours.total_hours
    text = markdown(at)
    assert md_escape(f"The lowest-cost plan: {cost.total_hours - hours.total_hours:g} h more, "
                     f"{hours.total_cost - cost.total_cost:,.0f} CAD less") in text
    at.segmented_control(key="plan_objective").set_value("cost").run()
    assert not at.exception
    assert tradeoff_table(at).index.tolist()[1] == "Lowest cost (shown)"
    assert metric(at, "Total hours") == f"{cost.total_hours:g}"  # the switch changes the plan

    at.selectbox(key="learner_sample").set_value("tight-budget-sam").run()
    assert not at.exception
    assert ("The same plan is the fewest hours, the lowest cost and the fewest terms."
            in markdown(at))
    assert tradeoff_table(at)["Same plan as"].tolist()[0] == "lowest cost, fewest terms"


def test_infeasible_plan_says_why_what_would_fix_it_and_offers_no_download(sample):
    # issue 20: Jonas -> UT-DIP-DATA is over budget; it must not read as done
    from pathways.planner import plan, remedies

    _, catalog, G, _ = sample
    jonas = load_learner(SAMPLE / "learners" / "halfway-jonas.yaml", catalog)
    at = open_app()
    at.selectbox(key="learner_sample").set_value("halfway-jonas").run()
    at.multiselect(key="plan_targets").set_value(["UT-DIP-DATA"]).run()
    assert not at.exception
    blocked = plan(catalog, jonas, ["UT-DIP-DATA"], graph=G)
    assert not blocked.feasible
    errors = "\n".join(e.value for e in at.error)
    assert "No plan fits" in errors and md_escape(blocked.reason) in errors
    (fix,) = remedies(catalog, jonas, ["UT-DIP-DATA"], graph=G)
    text = markdown(at)
    assert "What would make a plan possible" in text and md_escape(fix.text) in text
    assert f"{fix.plan.total_hours:g} h" in text
    assert not at.get("download_button"), "no download of an empty plan"
    assert "No courses to take." not in text + "\n".join(i.value for i in at.info)
    assert [t.label for t in at.tabs] == ["Requirement audit", "Distance to every credential",
                                          "What if…"]
    links = at.get("page_link")
    assert any("learner profile" in link.proto.label for link in links)
    assert not at.get("metric") or "Total hours" not in [m.label for m in at.metric]


def test_plan_shows_renewals_of_expired_badges(sample):
    from pathways.planner import plan

    _, catalog, G, _ = sample
    li = load_learner(SAMPLE / "learners" / "expired-badge-li.yaml", catalog)
    at = open_app()
    at.selectbox(key="learner_sample").set_value("expired-badge-li").run()
    assert not at.exception
    expected = plan(catalog, li, list(li.goals.credentials), graph=G)
    assert expected.renewals
    warning = "\n".join(w.value for w in at.warning)
    assert "Expired badges to renew" in warning
    assert all(r in warning for r in expected.renewals)
    assert metric(at, "Total hours") == f"{expected.total_hours:g}"


def test_plan_downloads_hold_the_plan(sample):
    from pathways.planner import plan

    _, catalog, G, maria = sample
    result = plan(catalog, maria, graph=G)
    csv = pd.read_csv(io.StringIO(plan_csv(result)))
    assert csv["id"].tolist() == [c.id for c in result.courses]
    assert csv["hours"].sum() == result.total_hours
    assert json.loads(plan_json(result))["total_cost"] == result.total_cost


# --------------------------------------------------------------------------- stacking map
def map_svg(at: AppTest) -> str:
    """The stacking map's SVG (drawn in a component frame)."""
    (frame,) = [e for e in at.main if getattr(e, "type", "") == "iframe"]
    return frame.proto.srcdoc


def map_nodes(svg: str) -> dict[str, tuple[str, float, str]]:
    """Node id -> (status, top y, stroke width) as drawn."""
    found = re.findall(r'<g class="node" data-id="([^"]+)" data-status="([^"]+)">'
                       r'<title>[^<]*</title><rect x="[^"]+" y="([^"]+)"[^>]*stroke-width="([^"]+)"',
                       svg)
    return {n: (s, float(y), w) for n, s, y, w in found}


def test_stacking_map_draws_levels_and_the_learners_own_courses(sample):
    # issue 20: laid out by level (courses, microcredentials, certificates, diploma), courses
    # not on the learner's plan or record collapsed by default and shown on demand, pan/zoom
    from pathways.planner import plan

    _, catalog, G, _ = sample
    jonas = load_learner(SAMPLE / "learners" / "halfway-jonas.yaml", catalog)
    at = open_app()
    at.selectbox(key="learner_sample").set_value("halfway-jonas").run()
    goto(at, "ui/stacking_map.py")
    assert [t.value for t in at.title] == ["Stacking map"]
    assert at.selectbox(key="map_credential").value == jonas.goals.credentials[0]
    at.selectbox(key="map_credential").set_value("UT-CERT-DA").run()
    assert not at.exception
    nodes = map_nodes(map_svg(at))
    planned = {c.id for c in plan(catalog, jonas, ["UT-CERT-DA"], graph=G).courses}
    held = {h.id for h in jonas.completed if h.kind == "course"}
    assert planned and held
    for course in planned:
        assert nodes[course][0] == "planned"
    for course in held - planned:
        assert nodes[course][0] == "held"
    assert "SEN-DB-110" not in nodes  # neither held nor planned: collapsed
    assert nodes["UT-CERT-DA"][2] == "3.2"  # the chosen credential stands out
    assert "UT-DIP-DATA" in nodes  # what it stacks into
    # by level: every course below every microcredential, below the certificate and diploma
    y = {n: v[1] for n, v in nodes.items()}
    level = {n: G.nodes[n].get("level") for n in nodes}
    lowest_course = min(y[n] for n in nodes if G.nodes[n]["kind"] == "course")
    micro = [y[n] for n in nodes if level[n] == "microcredential"]
    assert micro and lowest_course > max(micro) > y["UT-CERT-DA"] > y["UT-DIP-DATA"]
    assert "Show every course" in [t.label for t in at.toggle]
    at.toggle(key="map_all").set_value(True).run()
    everything = map_nodes(map_svg(at))
    assert everything["SEN-DB-110"][0] == "lacking"
    assert {n for n, k in G.nodes(data="kind") if k == "course"} & set(everything) >= \
        {n for n in relevant_subgraph(G, "UT-CERT-DA").nodes if G.nodes[n]["kind"] == "course"}
    at.toggle(key="map_ladder").set_value(False).run()
    assert "UT-DIP-DATA" not in map_nodes(map_svg(at))
    legend = "\n".join(h.proto.body for h in at.get("html"))
    assert "Completed" in legend and "In the plan" in legend
    assert 'id="zin"' in map_svg(at) and "wheel" in map_svg(at)  # zoom buttons and wheel zoom


# --------------------------------------------------------------------------- profile form
def test_profile_form_round_trips_a_sample_learner(sample):
    _, catalog, _, maria = sample
    d = form_defaults(maria)
    data = profile_data(
        id=d["id"], name=d["name"], completed=d["completed"], skills=d["skills"],
        goal_credentials=d["goal_credentials"], goal_job=d["goal_job"], start=d["start"],
        max_courses_per_term=d["max_courses_per_term"], max_hours_per_term=d["max_hours_per_term"],
        budget=d["budget"], exclude_providers=d["exclude_providers"], delivery=d["delivery"])
    rebuilt = learner_from_data(data, source=maria.source, catalog=catalog)
    assert rebuilt == maria


def test_profile_page_builds_a_learner_used_by_every_page(sample):
    from pathways.planner import plan

    _, catalog, G, maria = sample
    at = open_app()
    goto(at, "ui/profile.py")
    assert [t.value for t in at.title] == ["Learner profile"]
    assert at.text_input(key="profile_name").value == maria.name
    at.text_input(key="profile_name").set_value("Test Learner")
    at.number_input(key="profile_budget").set_value(2500.0)
    at.button(key="profile_submit").click().run()
    assert not at.exception
    assert at.radio(key="learner_choice").value == "Build your own"
    assert any("Profile applied" in s.value for s in at.success)

    goto(at, "ui/plan.py")
    edited = dataclasses.replace(maria, name="Test Learner", source="<form>",
                                 constraints=dataclasses.replace(maria.constraints, budget=2500.0))
    expected = plan(catalog, edited, list(maria.goals.credentials), graph=G)
    assert "Test Learner" in "\n".join(c.value for c in at.caption)
    if expected.feasible:
        assert metric(at, f"Total cost ({catalog.currency})") == f"{expected.total_cost:,.0f}"
    else:
        assert any(md_escape(expected.reason) in w.value for w in at.warning)


def test_profile_form_problems_come_from_the_loader(sample):
    _, catalog, _, _ = sample
    data = profile_data(
        id="me", name="", completed=[{"kind": "course", "item": "UT-DA-100", "date": None}],
        skills=[], goal_credentials=[], goal_job=None, start=None, max_courses_per_term=None,
        max_hours_per_term=None, budget=None, exclude_providers=[], delivery=[])
    with pytest.raises(CatalogError, match=r"completed\[0\]\.date"):
        learner_from_data(data, source="<form>", catalog=catalog)


# --------------------------------------------------------------------------- skills gap
def test_skills_gap_page_shows_readiness_bundle_and_closest_jobs(sample):
    from pathways.skills.match import match_jobs
    from pathways.skills.recommend import recommend

    _, catalog, _, maria = sample
    at = open_app()
    goto(at, "ui/skills_gap.py")
    assert [t.value for t in at.title] == ["Skills gap"]
    assert at.selectbox(key="gap_job").value == maria.goals.job
    job = next(j for j in catalog.jobs.values() if j.title == "financial analyst")
    at.selectbox(key="gap_job").set_value(job.id).run()
    assert not at.exception
    rec = recommend(catalog, maria, job.id)
    assert metric(at, "Readiness") == f"{rec.gap.readiness:.0f}%"
    assert metric(at, "After the courses") == f"{rec.bundle.readiness_after:.0f}%"
    assert metric(at, "Courses to take") == f"{len(rec.bundle.items)} · {rec.bundle.total_hours:g} h"
    text = markdown(at)
    assert all(item.id in text for item in rec.bundle.items)
    jobs = at.dataframe[-1].value
    assert jobs["title"].tolist() == [m.title for m in match_jobs(catalog, maria, top=10)]
    assert at.get("vega_lite_chart"), "the gap chart is drawn"


def test_skills_gap_hides_esco_features_without_the_taxonomy(monkeypatch, tmp_path):
    monkeypatch.setenv("PATHWAYS_ESCO", str(tmp_path / "missing"))
    at = open_app()
    goto(at, "ui/skills_gap.py")
    assert at.segmented_control(key="gap_source").options == ["Catalog job"]
    assert any("ESCO v1.1.1 download" in c.value for c in at.caption)


# --------------------------------------------------------------------------- overlap
def test_overlap_page_shows_the_engines_numbers(sample):
    from pathways.overlap import (
        course_similarity,
        credential_overlap,
        health_report,
        skill_demand,
        stack_on,
    )

    report, catalog, _, _ = sample
    at = open_app()
    goto(at, "ui/overlap.py")
    assert [t.value for t in at.title] == ["Catalog overlap"]
    sim = course_similarity(catalog)  # the engine's defaults
    health = health_report(report)
    demand = skill_demand(catalog)
    assert metric(at, "Near-duplicate clusters") == str(len(sim.clusters))
    assert metric(at, "Health warnings") == str(int((health["severity"] == "warning").sum()))
    assert metric(at, "Skills no course teaches") == str(int((demand["status"] == "unmet").sum()))
    assert metric(at, f"Similar pairs (≥ {sim.params['threshold']:g})") == str(len(sim.pairs))
    at.slider(key="overlap_threshold").set_value(0.6).run()
    assert not at.exception
    stricter = course_similarity(catalog, threshold=0.6)
    assert f"**{len(stricter.pairs)} pairs scoring at least 0.60**" in markdown(at)
    assert sum("weakest link" in c.value for c in at.caption) == len(stricter.clusters)
    at.segmented_control(key="credential_matrix").set_value("hours").run()
    assert not at.exception
    best = stack_on(credential_overlap(catalog, use_planner=True), limit=15)
    table = next(df.value for df in at.dataframe if "covered_share" in df.value.columns)
    assert table[["a", "b"]].values.tolist() == best[["a", "b"]].values.tolist()
    counts = health.groupby("category").size()
    labels = [e.label for e in at.expander]
    for category, n in counts.items():
        assert any(label.endswith(f"({n})") for label in labels), (category, labels)
    text = markdown(at)
    assert all(md_escape(action) in text for action in health["action"].head(3))


# --------------------------------------------------------------------------- uploads
def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_catalog_upload_parsing():
    files = {f"data/{p.name}": p.read_bytes() for p in SAMPLE.glob("*.yaml")}
    files.update({f"data/learners/{p.name}": p.read_bytes() for p in (SAMPLE / "learners").glob("*.yaml")})
    report, learners = parse_catalog_upload("catalog.zip", _zip(files))
    assert len(report.catalog.courses) == 70 and len(report.catalog.credentials) == 22
    assert len(learners) == 7

    with pytest.raises(CatalogError, match=r"bad\.yaml:3: .*YAML syntax error"):
        parse_catalog_upload("bad.yaml", b"courses:\n  - id: A\n    title: [oops\n")
    with pytest.raises(CatalogError, match="not a zip archive"):
        parse_catalog_upload("catalog.zip", b"not a zip")
    with pytest.raises(CatalogError, match="holds no catalog files"):
        parse_catalog_upload("evil.zip", _zip({"../evil.yaml": b"courses: []\n"}))
    with pytest.raises(CatalogError, match="not a catalog file"):
        parse_catalog_upload("catalog.txt", b"")
    with pytest.raises(CatalogError, match="hours"):
        parse_catalog_upload("c.yaml", b"courses:\n  - {id: A, title: A, hours: -1}\n")


def test_invalid_catalog_upload_shows_the_error_and_keeps_the_catalog(sample):
    from pathways.planner import plan

    _, catalog, G, maria = sample
    at = open_app()
    at.radio(key="catalog_choice").set_value("Upload").run()
    bad = b"courses:\n  - id: A-1\n    title: Broken\n    hours: -5\n"
    at.file_uploader(key="catalog_upload").set_value(("broken.yaml", bad, "application/x-yaml")).run()
    assert not at.exception
    # issue 20: a short note in the sidebar, the problems on the page, one row each
    (note,) = [e.value for e in at.sidebar.error]
    assert "broken.yaml is not a valid catalog" in note and "listed on the page" in note
    with pytest.raises(CatalogError) as err:
        parse_catalog_upload("broken.yaml", bad)
    main_errors = [e.value for e in at.main.error]
    assert any("broken.yaml is not a valid catalog" in e for e in main_errors)
    table = next(df.value for df in at.main.dataframe if "fix" in df.value.columns)
    diagnostics = err.value.diagnostics
    assert len(table) == len(diagnostics) >= 1
    for (_, row), d in zip(table.iterrows(), diagnostics):
        assert row["file"] == "broken.yaml" and row["line"] == str(d.line)
        assert row["problem"] == d.message and row["fix"] == (d.hint or "")
        assert d.id is None or d.id in row["where"]
    assert at.session_state["_active_catalog"].label == "Sample catalog"
    assert metric(at, "Total hours") == f"{plan(catalog, maria, graph=G).total_hours:g}"


def test_valid_catalog_upload_replaces_the_catalog():
    one = b"""courses:
  - {id: A, title: Alpha, hours: 10, cost: 100}
  - {id: B, title: Beta, hours: 20, cost: 50, prerequisites: A}
credentials:
  - {id: X, title: Tiny certificate, level: certificate, requires: {all: [A, B]}}
"""
    at = open_app()
    at.radio(key="catalog_choice").set_value("Upload").run()
    at.file_uploader(key="catalog_upload").set_value(("tiny.yaml", one, "application/x-yaml")).run()
    assert not at.exception
    assert at.session_state["_active_catalog"].label == "tiny.yaml"
    # no learners ship with it: a new learner plans the only credential
    assert metric(at, "Total hours") == "30"
    assert at.multiselect(key="plan_targets").value == ["X"]
    # ... from the first term that has not begun today (the new learner sets no start)
    expected = _first_term_not_begun(dt.date.today())
    assert f"Starting {expected}, the next term." in "\n".join(c.value for c in at.caption)
    assert expected in markdown(at)  # the term-by-term view


def _first_term_not_begun(day: dt.date) -> str:
    """Written out independently of pathways: winter Jan-Apr, summer May-Aug, fall Sep-Dec."""
    if day.month <= 4:
        return f"{day.year}-summer"
    if day.month <= 8:
        return f"{day.year}-fall"
    return f"{day.year + 1}-winter"


def test_build_your_own_learner_starts_in_the_next_term(sample):
    at = open_app()
    at.radio(key="learner_choice").set_value("Build your own").run()
    goto(at, "ui/profile.py")
    start = at.selectbox(key="profile_start")
    expected = _first_term_not_begun(dt.date.today())
    assert start.value == expected and start.options[0] == expected


def test_invalid_learner_upload_shows_the_error(sample):
    _, catalog, _, _ = sample
    bad = b"learner:\n  id: me\n  completed:\n    - course: NOPE-1\n      date: 2024-01-01\n"
    with pytest.raises(CatalogError, match="unknown course NOPE-1"):
        parse_learner_upload("me.yaml", bad, catalog)
    at = open_app()
    at.radio(key="learner_choice").set_value("Upload").run()
    at.file_uploader(key="learner_upload").set_value(("me.yaml", bad, "application/x-yaml")).run()
    assert not at.exception
    assert any("is not a valid profile" in e.value or "does not fit" in e.value
               for e in at.sidebar.error)
    table = next(df.value for df in at.main.dataframe if "fix" in df.value.columns)
    assert any("unknown course NOPE-1" in p for p in table["problem"])
    assert any("Choose a learner" in i.value for i in at.info)


# --------------------------------------------------------------------------- every page
def test_every_page_works_for_every_sample_learner():
    """Page speed is measured by benchmarks/bench_app.py, not here."""
    at = open_app()
    learners = at.selectbox(key="learner_sample").options
    assert len(learners) == len(list((SAMPLE / "learners").glob("*.yaml")))
    for learner in learners:
        at.selectbox(key="learner_sample").set_value(learner).run()
        for page in PAGES:
            at.switch_page(page).run()
            assert not at.exception, (learner, page, at.exception)


# --------------------------------------------------------------------------- CLI
def test_pathways_app_runs_streamlit_on_the_app(monkeypatch):
    module = importlib.import_module("pathways.cli.app")
    from pathways.cli._common import app as cli

    calls = []
    monkeypatch.setattr(module.subprocess, "call", lambda cmd, cwd: calls.append((cmd, cwd)) or 0)
    result = CliRunner().invoke(cli, ["app", "--port", "8999"])
    assert result.exit_code == 0, result.output
    (cmd, cwd), = calls
    assert cmd[:4] == [sys.executable, "-m", "streamlit", "run"]
    assert Path(cmd[4]) == REPO / "app.py" and Path(cwd) == REPO
    assert cmd[5:] == ["--server.port", "8999", "--server.address", "127.0.0.1",
                       "--server.headless", "true"]  # this machine only unless --address


def test_plan_timeline_marks_the_credentials_earned_along_the_way(sample):
    # Maria's diploma: UT-MC-DA is in hand after 2027-summer (issue 15); the page says so
    # under the timeline, which draws a mark at the end of each such term
    from ui.charts import earned_frame, timeline_chart
    from ui.views import plan_courses_frame

    from pathways.planner import plan

    _, catalog, G, maria = sample
    at = open_app()
    at.multiselect(key="plan_targets").set_value(["UT-DIP-DATA"]).run()
    assert not at.exception, at.exception
    captions = "\n".join(c.value for c in at.caption)
    assert "Credentials earned along the way:" in captions
    assert "**UT-MC-DA** after 2027-summer" in captions
    result = plan(catalog, maria, ["UT-DIP-DATA"], graph=G)
    marks = earned_frame(result.earned)
    row = marks[marks["term"] == "2027-summer"].iloc[0]
    assert "UT-MC-DA" in row["credentials"] and str(row["at"].date()) == "2027-09-01"
    spec = timeline_chart(plan_courses_frame(result), result.earned).to_dict()
    assert len(spec["layer"]) == 4  # bars, term labels, the earned rules and their names


# --------------------------------------------------------------------------- skills gap (issue 20)
def test_gap_table_is_sorted_by_importance_and_gap_with_a_csv(sample):
    from pathways.skills import gap_analysis

    _, catalog, _, maria = sample
    # a job whose skills differ in importance and gap for Maria (ESCO's data analyst lists 25
    # essential skills at level 2 that she holds none of: there the order is by label)
    job = next(j for j in catalog.jobs.values()
               if len({(s.met, s.essential, s.deficit) for s in gap_analysis(catalog, maria, j).skills}) >= 3)
    at = open_app()
    goto(at, "ui/skills_gap.py")
    at.selectbox(key="gap_job").set_value(job.id).run()
    from pathways.skills.recommend import recommend

    gap = gap_analysis(catalog, maria, job)
    closes = set(recommend(catalog, maria, job.id).bundle.closes)
    table = next(df.value for df in at.dataframe if "held_from" in df.value.columns)
    by_label = {s.label: s for s in gap.skills}
    shown = [by_label[label] for label in table["label"]]
    assert sorted(s.skill for s in shown) == sorted(s.skill for s in gap.skills)
    # by importance and gap: unmet before met, essential before optional, larger gaps first,
    # and among equal gaps the ones the recommended courses close first
    keys = [(s.met, not s.essential, -s.importance, -s.deficit, s.skill not in closes)
            for s in shown]
    assert keys == sorted(keys) and table["label"].tolist() != sorted(table["label"].tolist())
    assert table["closed"].tolist() == [s.skill in closes for s in shown]
    assert any(b.label == "Download the gap (CSV)" for b in at.get("download_button"))
    chart = at.get("vega_lite_chart")[0]
    assert json.loads(chart.proto.spec)["encoding"]["y"]["sort"][:3] == [s.label for s in shown[:3]]


class _FakeReader:
    """Stands in for the ESCO-fitted extractor: reads SQL and Python in any text."""

    def __init__(self, catalog) -> None:
        from pathways.skills.jobad import ExtractedSkill

        sql = next(s for s in catalog.skills.values() if s.label == "SQL")
        py = next(s for s in catalog.skills.values() if s.label.startswith("Python"))
        self.found = [ExtractedSkill(sql.id, sql.label, 0.9, "strong SQL", 10, 20),
                      ExtractedSkill(py.id, py.label, 0.8, "Python scripting", 30, 46)]

    def extract(self, texts):
        return [list(self.found) for _ in texts]


def test_job_ad_skills_can_be_edited_before_the_gap(sample, monkeypatch):
    # issue 20: the advisor removes, adds (from ESCO by label) and re-levels the skills read
    # from a job ad; the gap and the bundle follow the edited job
    import ui.engines as engines

    from pathways.skills import gap_analysis
    from pathways.skills.jobedit import job_from_rows

    _, catalog, _, maria = sample
    reader = _FakeReader(catalog)
    monkeypatch.setattr(engines, "esco_available", lambda: True)
    monkeypatch.setattr(engines, "skill_extractor", lambda: reader)
    monkeypatch.setattr(engines, "esco_taxonomy", lambda: catalog)  # its skills stand for ESCO's
    at = open_app()
    goto(at, "ui/skills_gap.py")
    at.segmented_control(key="gap_source").set_value("ad").run()
    at.text_area(key="job_ad").set_value("We want strong SQL and Python scripting.").run()
    assert not at.exception, at.exception
    boxes = [c for c in at.checkbox if c.key and c.key.startswith("ad_keep_")]
    assert [b.label for b in boxes] == [r.label for r in reader.found]
    captions = "\n".join(c.value for c in at.caption)
    assert "“strong SQL”" in captions and "“Python scripting”" in captions  # the evidence
    sql, py = reader.found

    def readiness(rows):
        return f"{gap_analysis(catalog, maria, job_from_rows(rows), labels={}).readiness:.0f}%"

    assert metric(at, "Readiness") == readiness([{"skill": sql.skill_id}, {"skill": py.skill_id}])
    boxes[1].uncheck().run()  # the ad does not really ask for Python
    levels = [s for s in at.selectbox if s.key and s.key.startswith("ad_level_")]
    levels[0].set_value(3).run()
    assert metric(at, "Readiness") == readiness([{"skill": sql.skill_id, "level": 3}])
    # add a skill from ESCO by a word of its label
    query = next(t for t in at.text_input if t.key.startswith("ad_query_"))
    query.set_value("spreadsheet").run()
    pick = next(s for s in at.selectbox if s.key.startswith("ad_pick_"))
    added = pick.value
    next(b for b in at.button if b.key.startswith("ad_add_")).click().run()
    assert not at.exception, at.exception
    assert len([c for c in at.checkbox if c.key.startswith("ad_keep_")]) == 3
    assert metric(at, "Readiness") == readiness(
        [{"skill": sql.skill_id, "level": 3}, {"skill": added}])
    assert any(b.label == "Download the job (YAML)" for b in at.get("download_button"))
