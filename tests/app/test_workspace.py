"""The app's workspace: the Caseload page and keeping plans and notes from the plan page, on
an SQLite file the CLI reads too (Streamlit AppTest)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pathways.io import load_catalog, load_learner
from pathways.workspace import Workspace, caseload

from tests.conftest import REPO, SAMPLE

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
APP = str(REPO / "app.py")
MARIA = SAMPLE / "learners" / "career-changer-maria.yaml"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "w.db"
    monkeypatch.setenv("PATHWAYS_DB", str(path))
    monkeypatch.setenv("PATHWAYS_ADVISOR", "alice")
    from ui.workspace import _workspace

    _workspace.clear()
    return path


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_caseload_page_from_an_empty_database_to_a_kept_plan_and_note(db: Path) -> None:
    at = open_page("ui/caseload.py")
    assert [t.value for t in at.title] == ["Caseload"]
    assert any("There is no workspace" in i.value for i in at.info)
    assert not db.exists()  # showing the page wrote nothing
    at.button(key="caseload_init").click().run()
    assert not at.exception, at.exception
    assert db.exists() and Workspace.open(str(db)).revision() == "0002"

    at.button(key="caseload_add").click().run()  # the sidebar's learner: Maria (the default)
    assert not at.exception, at.exception
    assert any("maria is in alice's caseload (profile version 1)" in s.value for s in at.success)
    catalog = load_catalog(SAMPLE)
    frame = at.dataframe[0].value
    (row,) = caseload(Workspace.open(str(db)), catalog, "alice")
    assert list(frame["learner"]) == ["maria"]
    assert frame["hours to goal"].iloc[0] == row.hours_to_goal
    assert frame["plan"].iloc[0] == "not kept (computed now)"

    at.button(key="caseload_replan").click().run()
    assert not at.exception, at.exception
    assert any("Kept plan 1. What changed: first plan" in s.value for s in at.success)
    at.text_area(key="caseload_note").set_value("Prefers evening classes")
    at.button[[b.label for b in at.button].index("Keep the note")].click().run()
    assert not at.exception, at.exception
    history = at.dataframe[1].value
    assert list(history["what"]) == ["note", "plan", "version"]
    ws = Workspace.open(str(db))
    (note,) = ws.notes("maria")
    assert (note.text, note.created_by, note.plan_id) == ("Prefers evening classes", "alice", 1)

    # The browser closed and the server restarted (no session state, no cache): all is there.
    import streamlit as st

    from ui.workspace import _workspace

    st.cache_data.clear()
    st.cache_resource.clear()
    _workspace.clear()
    again = open_page("ui/caseload.py")
    frame = again.dataframe[0].value
    assert list(frame["learner"]) == ["maria"]
    assert frame["plan"].iloc[0] == f"{dt.date.today():%Y-%m-%d}"
    assert list(again.dataframe[1].value["what"]) == ["note", "plan", "version"]
    # the advisor's name is kept from page to page (the plan page draws the box again)
    again.text_input(key="workspace_advisor").set_value("bob").run()
    assert any("No learners in this caseload yet" in i.value for i in again.info)
    again.switch_page("ui/plan.py").run()
    assert not again.exception, again.exception
    assert again.text_input(key="workspace_advisor").value == "bob"
    again.switch_page("ui/caseload.py").run()
    assert again.text_input(key="workspace_advisor").value == "bob"


def test_the_plan_page_keeps_the_plan_the_cli_then_reads(db: Path) -> None:
    from pathways.planner import plan

    Workspace.open(str(db), create=True).close()
    at = open_page("ui/plan.py")
    at.text_area(key="keep_note_plan").set_value("Agreed to start in winter")
    at.button(key="keep_plan").click().run()
    assert not at.exception, at.exception
    assert any("Kept plan 1 for maria (profile version 1)" in s.value for s in at.success)
    ws = Workspace.open(str(db))
    (record,) = ws.plans("maria")
    catalog = load_catalog(SAMPLE)
    maria = load_learner(MARIA, catalog)
    expected = plan(catalog, maria, today=dt.date.today())
    assert record.result["courses"] == expected.to_dict()["courses"]
    assert ws.notes("maria")[0].plan_id == record.id
