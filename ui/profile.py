"""Learner: build or edit a learner profile in a form; the loader validates it."""

from __future__ import annotations

import datetime as dt

import streamlit as st

st.title("Learner profile")  # first: it shows while the rest loads

from pathways.domain import DELIVERY_MODES
from pathways.errors import CatalogError
from pathways.io import dump_yaml, learner_from_data, learner_to_data
from ui.forms import form_defaults, profile_data, term_options
from ui.state import (
    BUILT_LEARNER,
    LearnerSource,
    context,
    error_lines,
    request_learner_choice,
)

ctx = context()
catalog, learner = ctx.catalog, ctx.learner

st.caption("What the learner has completed, the skills they bring, their goals and their limits. "
           "Edit the form and apply it to plan with this profile on every page; download it "
           "to keep it.")

# The form starts from the active learner; when that changes, the form's widgets start over.
PREFIX = "profile_"
if st.session_state.get("_profile_for") != ctx.learner_key:
    for key in [k for k in st.session_state if str(k).startswith(PREFIX)]:
        del st.session_state[key]
    st.session_state["_profile_for"] = ctx.learner_key
d = form_defaults(learner)

if learner is not None:
    st.download_button(
        "Download this profile (YAML)", dump_yaml(learner_to_data(learner)),
        file_name=f"{learner.id}.yaml", mime="application/x-yaml",
        icon=":material/download:", key="profile_download", on_click="ignore")

courses = list(catalog.courses)
credentials = list(catalog.credentials)
skills = list(catalog.skills)
skills += [row for row in d["skills"]["skill"] if row not in catalog.skills]
providers = list(catalog.providers)
jobs = list(catalog.jobs)


def _title(item: str) -> str:
    title = catalog.title(item)
    return f"{item} · {title}" if title != item else item


with st.form("profile_form", border=False):
    c1, c2 = st.columns([1, 2])
    pid = c1.text_input("Profile id", d["id"], key=PREFIX + "id",
                        help="A short id for the profile, e.g. a first name.")
    name = c2.text_input("Name", d["name"], key=PREFIX + "name")

    st.subheader("Completed", divider="gray")
    st.caption("Courses and credentials already earned, with the date (badges that expire are "
               "renewed by the planner). Add rows at the bottom of the table.")
    completed = st.data_editor(
        d["completed"], key=PREFIX + "completed", num_rows="dynamic", hide_index=True,
        width="stretch",
        column_config={
            "kind": st.column_config.SelectboxColumn("Kind", options=["course", "credential"],
                                                     default="course", required=True, width="small"),
            "item": st.column_config.SelectboxColumn("Course or credential", options=courses + credentials,
                                                     format_func=_title, required=True, width="large"),
            "date": st.column_config.DateColumn("Completed on", format="YYYY-MM-DD", required=True),
            "expires": st.column_config.DateColumn("Badge expires", format="YYYY-MM-DD",
                                                   help="Only if the badge states its own expiry."),
        })

    st.subheader("Skills", divider="gray")
    st.caption("Skills from work or study outside the catalog, at a level from 1 (basic) to 4 (expert).")
    held = st.data_editor(
        d["skills"], key=PREFIX + "skills", num_rows="dynamic", hide_index=True, width="stretch",
        column_config={
            "skill": st.column_config.SelectboxColumn("Skill", options=skills, required=True,
                                                      format_func=catalog.skill_label, width="large"),
            "level": st.column_config.NumberColumn("Level", min_value=1, max_value=4, step=1,
                                                   default=1, required=True, width="small"),
        })

    st.subheader("Goals", divider="gray")
    g1, g2 = st.columns(2)
    goal_credentials = g1.multiselect(
        "Credentials to earn", credentials, default=[c for c in d["goal_credentials"] if c in credentials],
        key=PREFIX + "goal_credentials", format_func=_title)
    goal_job = g2.selectbox(
        "Job to prepare for", [None, *jobs], key=PREFIX + "goal_job",
        index=([None, *jobs].index(d["goal_job"]) if d["goal_job"] in jobs else 0),
        format_func=lambda j: "—" if j is None else catalog.jobs[j].title)

    st.subheader("Limits", divider="gray")
    starts = term_options(dt.date.today(), extra=[d["start"]] if d["start"] else [])
    l1, l2, l3, l4 = st.columns(4)
    start = l1.selectbox("First term", starts, key=PREFIX + "start",
                         index=starts.index(d["start"]) if d["start"] in starts else 0)
    max_courses = l2.number_input("Courses per term (max)", min_value=1, max_value=10, step=1,
                                  value=d["max_courses_per_term"], key=PREFIX + "max_courses",
                                  placeholder="no limit")
    max_hours = l3.number_input("Hours per term (max)", min_value=1.0, max_value=2000.0, step=10.0,
                                value=None if d["max_hours_per_term"] is None else float(d["max_hours_per_term"]),
                                key=PREFIX + "max_hours", placeholder="no limit")
    budget = l4.number_input(f"Budget ({catalog.currency})", min_value=0.0, step=100.0,
                             value=None if d["budget"] is None else float(d["budget"]),
                             key=PREFIX + "budget", placeholder="no limit")
    p1, p2 = st.columns(2)
    exclude = p1.multiselect("Providers to avoid", providers,
                             default=[p for p in d["exclude_providers"] if p in providers],
                             key=PREFIX + "exclude", format_func=lambda p: catalog.providers[p].name)
    delivery = p2.multiselect("Delivery modes", list(DELIVERY_MODES), default=d["delivery"],
                              key=PREFIX + "delivery", placeholder="any mode")
    submitted = st.form_submit_button("Use this profile", type="primary", key=PREFIX + "submit",
                                      icon=":material/check:")

if submitted:
    data = profile_data(
        id=pid, name=name, completed=completed, skills=held, goal_credentials=goal_credentials,
        goal_job=goal_job, start=start, max_courses_per_term=max_courses,
        max_hours_per_term=max_hours, budget=budget, exclude_providers=exclude,
        delivery=delivery, cv=d["cv"], badges=d["badges"])
    try:
        learner_from_data(data, source="<form>", catalog=catalog)
    except CatalogError as err:
        st.error("**The profile has problems**\n\n" + "\n".join(f"- {line}" for line in error_lines(err)),
                 icon=":material/error:")
    else:
        st.session_state[BUILT_LEARNER] = LearnerSource("built", "<form>", data)
        request_learner_choice("Build your own")
        st.rerun()

if st.session_state.pop("_profile_applied", False):
    st.success("Profile applied: every page now plans for it.", icon=":material/check_circle:")
