"""Advisor: the caseload kept in the workspace database (learners, plans, notes, history)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

st.title("Caseload")  # first: it shows while the rest loads

from pathways.errors import PathwaysError
from pathways.io import dump_yaml, learner_to_data
from pathways.workspace import caseload, keep_learner, replan
from ui.state import BUILT_LEARNER, LearnerSource, context, request_learner_choice
from ui.views import md_escape
from ui.workspace import advisor_input, database_label, open_workspace

ctx = context()
catalog = ctx.catalog

st.caption("The learners you advise, kept in the workspace database with every profile "
           "version, plan and note: their readiness for their goal job, the hours to their goal "
           "credential, what they take next term, and whether their plan is out of date.")

ws = open_workspace()
if ws is None:
    st.info(f"There is no workspace at **{md_escape(database_label())}** yet "
            "(set `PATHWAYS_DB` for another database).", icon=":material/database:")
    if st.button("Create the workspace", key="caseload_init", icon=":material/add:"):
        if open_workspace(create=True) is not None:
            st.rerun()
        st.error(st.session_state.get("_workspace_error", ""), icon=":material/error:")
    st.stop()

who = advisor_input(help="Your name: the caseload shown, and who saves what.")
st.caption(f"Workspace: {database_label()}")

if ctx.learner is not None:
    learner = ctx.learner
    if st.button(f"Add {learner.name or learner.id} (the active learner) to this caseload",
                 key="caseload_add", icon=":material/person_add:"):
        try:
            info = keep_learner(ws, dump_yaml(learner_to_data(learner)), catalog, by=who,
                                advisor=who)
        except PathwaysError as err:
            st.error(str(err), icon=":material/error:")
        else:
            st.success(f"{info.id} is in {who}'s caseload (profile version {info.version}).",
                       icon=":material/check:")

try:
    rows = caseload(ws, catalog, who)
except PathwaysError as err:
    st.error(str(err), icon=":material/error:")
    st.stop()

if not rows:
    st.info("No learners in this caseload yet: choose a learner in the sidebar and add them.",
            icon=":material/group:")
    st.stop()

table = pd.DataFrame([{
    "learner": r.learner, "name": r.name, "version": r.version, "goal": r.goal,
    "readiness %": None if r.readiness is None else round(r.readiness, 1),
    "hours to goal": r.hours_to_goal,
    "next term": f"{r.next_term}: {', '.join(r.next_courses)}" if r.next_term else "",
    "plan": (f"{r.planned_at:%Y-%m-%d}" if r.planned_at else
             "not kept (computed now)" if r.computed else "none"),
    "status": ("profile does not fit the catalog" if r.problem else
               f"stale: {r.stale_why}" if r.stale else "up to date" if r.plan_id else ""),
} for r in rows])
st.subheader(f"{len(rows)} learners", divider="gray")
st.dataframe(table, hide_index=True, width="stretch", key="caseload_table")

by_id = {r.learner: r for r in rows}
chosen = st.selectbox("Learner", list(by_id), key="caseload_learner",
                      format_func=lambda i: f"{i} · {by_id[i].name}")
row = by_id[chosen]
if row.problem:
    st.error("This profile no longer fits the catalog:\n\n" + md_escape(row.problem),
             icon=":material/error:")
elif row.stale:
    st.warning(f"The plan of {row.planned_at:%Y-%m-%d} is out of date: {row.stale_why}.",
               icon=":material/update:")

c1, c2 = st.columns(2)
if not row.problem and c1.button("Re-plan and keep" if row.plan_id else "Plan and keep",
                                  key="caseload_replan", icon=":material/refresh:"):
    try:
        record, changes = replan(ws, catalog, chosen, by=who)
    except PathwaysError as err:
        st.error(str(err), icon=":material/error:")
    else:
        st.success(f"Kept plan {record.id}. What changed: " + "; ".join(changes),
                   icon=":material/check:")
if c2.button("Open this profile on every page", key="caseload_open",
             icon=":material/open_in_new:"):
    from pathways.io import parse_yaml

    info = ws.learner(chosen)
    st.session_state[BUILT_LEARNER] = LearnerSource(
        f"{chosen} (workspace v{info.version})", f"workspace:{chosen}",
        parse_yaml(info.profile, f"workspace:{chosen}"), info.profile)
    request_learner_choice("Build your own")
    st.rerun()

with st.form("caseload_note_form", clear_on_submit=True, border=False):
    note = st.text_area("Note", key="caseload_note", placeholder="What was decided or discussed")
    if st.form_submit_button("Keep the note", icon=":material/save:") and note.strip():
        try:
            ws.add_note(chosen, note, by=who, plan_id=row.plan_id)
        except PathwaysError as err:
            st.error(str(err), icon=":material/error:")

st.subheader(f"History of {chosen}", divider="gray")
events = ws.history(chosen)
st.dataframe(pd.DataFrame([{"when (UTC)": f"{e.at:%Y-%m-%d %H:%M}", "by": e.by, "what": e.kind,
                            "": e.text} for e in reversed(events)]),
             hide_index=True, width="stretch", key="caseload_history")
