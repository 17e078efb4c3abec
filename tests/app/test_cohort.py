"""The Designer's Cohort needs page (Streamlit AppTest): the library's cohort summary, shown."""

from __future__ import annotations

import sys

import pandas as pd
from streamlit.testing.v1 import AppTest

from pathways.cohort import cohort_summary, read_learners
from pathways.io import load_catalog

from tests.conftest import REPO, SAMPLE

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def open_cohort_page() -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("ui/cohort.py").run()
    assert not at.exception, at.exception
    return at


def test_cohort_page_shows_the_summary_of_the_sample_learners() -> None:
    at = open_cohort_page()
    assert [t.value for t in at.title] == ["Cohort needs"]
    catalog = load_catalog(SAMPLE)
    expected = cohort_summary(catalog, read_learners(SAMPLE / "learners"),
                              scheduler="synchronous")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Learners"] == "7" and metrics["Profiles that do not fit the catalog"] == "0"
    shown = at.dataframe[0].value
    pd.testing.assert_frame_equal(shown.reset_index(drop=True),
                                  expected.tables["missing_skills"], check_dtype=False)


def test_an_uploaded_table_is_summarised_and_a_bad_one_explained() -> None:
    at = open_cohort_page()
    at.radio(key="cohort_source").set_value("Upload a table").run()
    table = ("id,name,goal_credentials,goal_job,completed\n"
             "a1,Ann,UT-MC-DA,esco-occ:d3edb8f8-3a06-47a0-8fb9-9b212c006aa2,UT-DA-100@2024-05-01\n"
             "b2,Bo,UT-CERT-DA,,NOPE-1@2024-01-01\n")
    at.file_uploader(key="cohort_upload").set_value(("cohort.csv", table.encode(), "text/csv")).run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Learners"] == "1" and metrics["Profiles that do not fit the catalog"] == "1"
    at.file_uploader(key="cohort_upload").set_value(("bad.csv", b"colour\nred\n", "text/csv")).run()
    assert not at.exception and any("no id column" in e.value for e in at.error)
