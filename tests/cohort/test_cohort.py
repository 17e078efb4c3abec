"""Cohorts: the same rows in this process and on a Dask cluster, each checked against the
single-learner engines, every learner exactly once even when a worker dies mid-run."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pathways.cohort import (
    LearnerInput,
    cohort_plan,
    cohort_readiness,
    cohort_recommend,
    cohort_summary,
    read_learners,
    synthetic_learners,
    write_table,
)
from pathways.errors import CatalogError, PathwaysError
from pathways.io import catalog_from_data, learner_from_data, load_catalog

from tests.conftest import REPO

DAY = dt.date(2026, 12, 6)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(REPO / "data")


@pytest.fixture(scope="module")
def people():
    return read_learners(REPO / "data" / "learners")


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster of two worker processes, shared by the tests of this module."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0", silence_logs=40) as local:
        yield local.scheduler_address


# --------------------------------------------------------------------------- inputs
def test_learners_from_a_folder_a_table_and_the_workspace(tmp_path: Path, catalog, people) -> None:
    assert [p.id for p in people] == ["noor", "maria", "li", "jonas", "amara", "omar", "sam"]
    rows = [{"id": "a1", "name": "Ann", "goal_credentials": "UT-MC-DA", "goal_job": None,
             "completed": "UT-DA-100@2024-05-01; UT-SQL-110@2024-09-01", "skills": "",
             "start": "2027-01", "budget": 3000, "max_courses_per_term": 2,
             "max_hours_per_term": None, "profile": None}]
    for name in ("t.parquet", "t.csv"):
        path = tmp_path / name
        frame = pd.DataFrame(rows)
        frame.to_parquet(path) if name.endswith("parquet") else frame.to_csv(path, index=False)
        (item,) = read_learners(path)
        learner = learner_from_data(item.data, catalog=catalog)
        assert (learner.id, learner.name, [h.id for h in learner.completed]) == (
            "a1", "Ann", ["UT-DA-100", "UT-SQL-110"])
        assert learner.constraints.budget == 3000 and str(learner.constraints.start) == "2027-winter"
    pd.DataFrame([{"id": "x", "colour": "red"}]).to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(CatalogError, match="unknown columns colour"):
        read_learners(tmp_path / "bad.csv")
    with pytest.raises(CatalogError, match="not a cohort"):
        read_learners(tmp_path / "nothing.txt")

    from pathways.workspace import Workspace, add_learner, as_url

    url = as_url(str(tmp_path / "w.db"))
    with Workspace.open(url, create=True) as ws:
        add_learner(ws, (REPO / "data" / "learners" / "halfway-jonas.yaml").read_text(), catalog,
                    by="alice")
    assert [p.id for p in read_learners(url)] == ["jonas"]


def test_a_learner_twice_is_refused(catalog, people) -> None:
    with pytest.raises(PathwaysError, match="learner maria is in the cohort twice"):
        cohort_plan(catalog, people + [people[1]], scheduler="synchronous")


# --------------------------------------------------------------------------- results
def test_plans_match_the_planner_and_a_bad_profile_is_one_error_row(catalog, people) -> None:
    from pathways.planner import plan

    bad = LearnerInput("zed", "test", {"learner": {"id": "zed", "completed": [
        {"course": "NOPE-1", "date": "2024-01-01"}]}})
    result = cohort_plan(catalog, people + [bad], scheduler="synchronous", today=DAY, batch_size=3)
    frame = result.frame
    assert result.stats.tasks == 3 and list(frame["learner"]) == sorted(frame["learner"])
    zed = frame[frame["learner"] == "zed"]
    assert len(zed) == 1 and "unknown course NOPE-1" in zed["error"].iloc[0]
    for item in people:
        learner = learner_from_data(item.data, catalog=catalog)
        for target in learner.goals.credentials:
            expected = plan(catalog, learner, [target], explain=False, today=DAY)
            (row,) = frame[(frame["learner"] == item.id) & (frame["target"] == target)].itertuples()
            assert (row.feasible, row.hours, row.terms, list(row.courses)) == (
                expected.feasible, expected.total_hours, expected.terms,
                [c.id for c in expected.courses])


def test_readiness_matches_the_gap_analysis(catalog, people) -> None:
    from pathways.skills import gap_analysis

    frame = cohort_readiness(catalog, people, scheduler="synchronous", today=DAY).frame
    assert list(frame.columns) == ["learner", *sorted(catalog.jobs), "error"]
    for item in people:
        learner = learner_from_data(item.data, catalog=catalog)
        row = frame[frame["learner"] == item.id].iloc[0]
        for job in list(catalog.jobs)[:6]:
            expected = gap_analysis(catalog, learner, job, as_of=DAY).readiness
            assert row[job] == pytest.approx(expected, abs=0.01)


def test_recommendations_close_gaps_of_the_goal_job(catalog, people) -> None:
    frame = cohort_recommend(catalog, people, top=3, scheduler="synchronous", today=DAY).frame
    for item in people:
        learner = learner_from_data(item.data, catalog=catalog)
        mine = frame[frame["learner"] == item.id]
        assert list(mine["rank"]) == [1, 2, 3][: len(mine)]
        held = {h.id for h in learner.completed}
        job = catalog.jobs[learner.goals.job]
        needed = {s.skill for s in job.skills}
        for course in mine["course"]:
            assert course not in held
            assert needed & {s.skill for s in catalog.courses[course].skills}
        assert list(mine["points_per_hour"]) == sorted(mine["points_per_hour"], reverse=True)


def test_summary_counts_what_the_learners_miss(catalog, people) -> None:
    result = cohort_summary(catalog, people, scheduler="synchronous", today=DAY)
    assert int(result.frame["learners"].iloc[0]) == len(people)
    missing = result.tables["missing_skills"]
    # by hand: learners whose goal job needs the skill (essential) above the level they hold
    from pathways.skills import learner_skills

    top = missing.iloc[0]
    count = 0
    for item in people:
        learner = learner_from_data(item.data, catalog=catalog)
        if learner.goals.job != top["job"]:
            continue
        need = next(s for s in catalog.jobs[top["job"]].skills if s.skill == top["skill"])
        held = learner_skills(catalog, learner, as_of=DAY).levels.get(top["skill"], 0)
        count += held < need.level
    assert top["learners"] == count and list(missing["learners"]) == sorted(missing["learners"], reverse=True)
    assert result.tables["credentials"]["learners"].sum() <= len(people)


def _accounted(stats) -> None:
    """Every second of the workers' time is in a task, before the first, between two or after
    the last (the split the benchmark reports; same machine, so the clocks agree)."""
    parts = (stats.task_time, stats.head, stats.gaps, stats.tail)
    assert all(p >= 0 for p in parts)
    assert sum(parts) == pytest.approx(stats.wall * stats.workers, rel=0.02, abs=0.02)
    assert stats.scheduling == pytest.approx(stats.gaps / stats.task_time)


def test_a_cluster_gives_the_same_rows_as_this_process(catalog, people, cluster) -> None:
    calls = [(cohort_plan, {}), (cohort_readiness, {}), (cohort_recommend, {"top": 3})]
    for call, extra in calls:
        local = call(catalog, people, scheduler="synchronous", today=DAY, **extra)
        remote = call(catalog, people, scheduler=cluster, today=DAY, batch_size=2, **extra)
        assert remote.stats.workers == 2 and remote.stats.tasks == 4
        pd.testing.assert_frame_equal(local.frame, remote.frame)
        _accounted(local.stats)
        _accounted(remote.stats)
    a = cohort_summary(catalog, people, scheduler="synchronous", today=DAY)
    b = cohort_summary(catalog, people, scheduler=cluster, today=DAY, batch_size=2)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name])


def test_a_worker_killed_mid_run_loses_no_learner(tmp_path: Path) -> None:
    from distributed import Client, LocalCluster

    from pathways.synth import synthetic_data

    catalog = catalog_from_data(synthetic_data(300, seed=5)).catalog
    learners = synthetic_learners(catalog, 120, seed=3)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0", silence_logs=50) as local:
        with Client(local) as watcher:  # closed before the run: one client at a time
            pids = list(watcher.run(os.getpid).values())
        killed: list[int] = []

        def kill_one(done: int, total: int) -> None:
            if done == 2 and not killed:
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])

        result = cohort_plan(catalog, learners, scheduler=local.scheduler_address, today=DAY,
                             batch_size=4, progress=kill_one)
    assert killed, "the run ended before a worker could be killed"
    frame = result.frame
    per_learner = frame.groupby("learner")["target"].count()
    assert sorted(per_learner.index) == sorted(x.id for x in learners)
    assert (per_learner == 1).all()  # one goal each: exactly one row each, none twice
    reference = cohort_plan(catalog, learners, scheduler="synchronous", today=DAY).frame
    pd.testing.assert_frame_equal(frame, reference)


def test_write_table_parquet_round_trip_and_csv_formulas_quoted(tmp_path: Path) -> None:
    frame = pd.DataFrame([{"learner": "=cmd()", "courses": ["A", "B"], "hours": 3.0}])
    write_table(frame, tmp_path / "t.parquet")
    back = pd.read_parquet(tmp_path / "t.parquet")
    assert back["learner"].iloc[0] == "=cmd()" and list(back["courses"].iloc[0]) == ["A", "B"]
    write_table(frame, tmp_path / "t.csv")
    text = (tmp_path / "t.csv").read_text(encoding="utf-8")
    assert "'=cmd()" in text and "A; B" in text
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


# --------------------------------------------------------------------------- the CLI
def test_cli_cohort_commands_write_what_the_library_computes(tmp_path: Path, catalog, people) -> None:
    from pathways.cli import app

    runner = CliRunner()
    env = {"COLUMNS": "160", "PATHWAYS_TODAY": DAY.isoformat()}
    folder = str(REPO / "data" / "learners")
    out = tmp_path / "plans.parquet"
    result = runner.invoke(app, ["cohort", "plan", "--learners", folder, "--out", str(out),
                                 "--scheduler", "synchronous"], env=env)
    assert result.exit_code == 0, result.output
    assert "planned 8 learner-targets (8 feasible, 0 errors): 7 learners on this process" in result.output
    expected = cohort_plan(catalog, people, scheduler="synchronous", today=DAY).frame
    pd.testing.assert_frame_equal(pd.read_parquet(out), expected)
    summary = runner.invoke(app, ["cohort", "summary", "--learners", folder, "--out",
                                  str(tmp_path / "s"), "--scheduler", "synchronous"], env=env)
    assert summary.exit_code == 0, summary.output
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == [
        "courses.csv", "courses.parquet", "credentials.csv", "credentials.parquet",
        "missing_skills.csv", "missing_skills.parquet"]
    bad = runner.invoke(app, ["cohort", "plan", "--learners", str(tmp_path / "none"), "--out",
                              str(tmp_path / "x.parquet"), "--scheduler", "synchronous"], env=env)
    assert bad.exit_code == 1 and "not a cohort" in bad.output
    wrong = runner.invoke(app, ["cohort", "plan", "--learners", folder, "--out",
                                str(tmp_path / "x.parquet"), "--scheduler", "nowhere"], env=env)
    assert wrong.exit_code == 1 and "unknown scheduler 'nowhere'" in wrong.output


def test_ctrl_c_stops_the_run_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pathways.cli import app
    from pathways.cohort import _tasks

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(_tasks, "plan_batch", interrupted)
    out = tmp_path / "plans.parquet"
    result = CliRunner().invoke(app, ["cohort", "plan", "--learners", str(REPO / "data" / "learners"),
                                      "--out", str(out), "--scheduler", "synchronous"])
    assert result.exit_code == 130 and "stopped (Ctrl-C)" in result.output
    assert not out.exists() and sys.modules  # nothing written


def test_a_table_that_cannot_be_written_is_a_write_error(tmp_path: Path) -> None:
    from pathways.cohort import write_table
    from pathways.errors import WriteError

    (tmp_path / "out.csv").mkdir()  # a directory where the file should go
    with pytest.raises(WriteError, match="cannot write .*out.csv"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "out.csv")
    assert write_table(pd.DataFrame({"a": [1]}), tmp_path / "ok.csv").read_text() == "a\n1\n"
