"""Designer: what a whole cohort of learners needs (pathways.cohort's summary)."""

from __future__ import annotations

import streamlit as st

st.title("Cohort needs")  # first: it shows while the rest loads

from pathways.cohort import table_csv
from pathways.errors import PathwaysError
from ui.charts import ranked_bars
from ui.state import context

#: Cohorts larger than this are for the command line (pathways cohort summary, on Dask).
MAX_APP_LEARNERS = 2000

ctx = context()
catalog = ctx.catalog

st.caption("For a whole cohort: the essential skills its learners miss most for their goal "
           "jobs, the courses that would close the most gaps for the most learners, and the "
           "credentials most learners are nearest to. For thousands of learners use "
           "`pathways cohort summary` (it runs on a Dask cluster).")

source = st.radio("Learners", ["The catalog's sample learners", "Upload a table"],
                  key="cohort_source", horizontal=True)


@st.cache_data(show_spinner="Reading the cohort…", max_entries=8)
def _summary(catalog_key: str, digest: str, _learners: list, _catalog: object) -> dict:
    from pathways.cohort import cohort_summary

    result = cohort_summary(_catalog, _learners, scheduler="synchronous")  # type: ignore[arg-type]
    return {"counts": result.frame, **(result.tables or {})}


learners = []
if source == "Upload a table":
    upload = st.file_uploader("Learners (Parquet or CSV, one learner a row)",
                              type=["parquet", "csv"], key="cohort_upload",
                              help="Columns: id, name, goal_credentials, goal_job, completed "
                                   "(ID@YYYY-MM-DD; ...), skills (SKILL:LEVEL; ...), start, budget.")
    if upload is None:
        st.info("Upload a table of learners, or use the sample learners.",
                icon=":material/upload_file:")
        st.stop()
    from pathways.cohort import learners_from_table_bytes

    raw = upload.getvalue()
    try:
        learners = learners_from_table_bytes(upload.name, raw)
    except PathwaysError as err:
        st.error(str(err), icon=":material/error:")
        st.stop()
    digest = f"{upload.name}:{len(raw)}:{hash(raw)}"
else:
    from pathways.cohort import LearnerInput

    learners = [LearnerInput(str(s.data.get("learner", {}).get("id", s.label)), s.source, s.data)
                for s in ctx.active.learners]
    digest = "sample"
if not learners:
    st.info("This catalog ships no sample learners: upload a table of learners.",
            icon=":material/group:")
    st.stop()
if len(learners) > MAX_APP_LEARNERS:
    st.warning(f"{len(learners):,} learners: the app summarises up to {MAX_APP_LEARNERS:,}. Run "
               "`pathways cohort summary --learners FILE` for this cohort.", icon=":material/warning:")
    st.stop()

try:
    tables = _summary(ctx.catalog_key, digest, learners, catalog)
except PathwaysError as err:
    st.error(str(err), icon=":material/error:")
    st.stop()

counts = tables["counts"].iloc[0]
m1, m2 = st.columns(2)
m1.metric("Learners", int(counts["learners"]))
m2.metric("Profiles that do not fit the catalog", int(counts["errors"]))

st.subheader("Essential skills missing most", divider="gray")
missing = tables["missing_skills"]
if len(missing):
    chart = missing.assign(skill=missing["label"] + " (" + missing["job_title"] + ")")
    st.altair_chart(ranked_bars(chart, label="skill", value="learners",
                                title="Learners missing it"), width="stretch")
    st.dataframe(missing, hide_index=True, width="stretch", key="cohort_missing_table")
else:
    st.caption("No learner misses an essential skill of their goal job.")

st.subheader("Courses that close the most gaps", divider="gray")
courses = tables["courses"]
if len(courses):
    st.altair_chart(ranked_bars(courses.assign(course=courses["course"] + " " + courses["title"]),
                                label="course", value="learners",
                                title="Learners whose gaps it closes"), width="stretch")
else:
    st.caption("No course closes a gap of these learners' goal jobs.")

st.subheader("Credentials most learners are nearest to", divider="gray")
st.dataframe(tables["credentials"], hide_index=True, width="stretch", key="cohort_credentials")
for name in ("missing_skills", "courses", "credentials"):
    st.download_button(f"Download {name.replace('_', ' ')} (CSV)",
                       table_csv(tables[name]).encode("utf-8"),
                       file_name=f"cohort-{name}.csv", mime="text/csv", key=f"cohort_dl_{name}",
                       on_click="ignore")
