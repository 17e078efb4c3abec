"""Advisor: how ready a learner is for a job, which skills are missing, and the courses
(and credentials) that close the gap."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from pathways.describe import money
from pathways.domain import Job
from pathways.skills import job_from_skills
from ui import engines
from ui.charts import gap_chart
from ui.state import context, keep, reset_on_change, sticky
from ui.views import md_escape
from ui.workspace import keep_panel

ctx = context()
catalog, learner = ctx.catalog, ctx.learner

st.title("Skills gap")
if learner is None:
    st.info("Choose a learner in the sidebar to see their skills gap.", icon=":material/person:")
    st.stop()
who = md_escape(learner.name or learner.id)
st.caption(f"How ready **{who}** is for a job: the skills it requires against the ones they hold "
           "(from completed courses, credentials and their profile), and the courses that close "
           "the gap.")
SOURCES = {"catalog": "Catalog job", "esco": "Any ESCO occupation", "ad": "Paste a job ad"}
esco = engines.esco_available()
options = list(SOURCES) if esco else ["catalog"]
reset_on_change("gap", ctx.learner_key, "gap_job", "esco_query")
sticky("gap_source", "catalog", valid=lambda v: v in options)
source = st.segmented_control("Job from", options, key="gap_source",
                              format_func=SOURCES.get) or "catalog"
keep("gap_source")
if not esco:
    st.caption("Searching all ESCO occupations and reading job ads need the ESCO v1.1.1 "
               "download (`../shared/data/esco-1.1.1`), which is not on this machine.")

job: Job | None = None
job_key = ""
labels: dict[str, str] = {}
if source == "catalog":
    if not catalog.jobs:
        st.info("This catalog has no jobs; try an ESCO occupation or a job ad.")
        st.stop()
    jobs = sorted(catalog.jobs, key=lambda j: catalog.jobs[j].title.casefold())
    goal = learner.goals.job
    sticky("gap_job", goal if goal in catalog.jobs else jobs[0], valid=lambda v: v in catalog.jobs)
    job_id = st.selectbox("Job", jobs, key="gap_job", format_func=lambda j: catalog.jobs[j].title)
    keep("gap_job")
    job, job_key = catalog.jobs[job_id], job_id
elif source == "esco":
    tax = engines.esco_taxonomy()
    default = catalog.jobs[learner.goals.job].title if learner.goals.job in catalog.jobs else ""
    sticky("esco_query", default)
    query = st.text_input("Search occupations", key="esco_query",
                          placeholder="e.g. data analyst, nurse, welder")
    keep("esco_query")
    found = tax.find_jobs(query)[:100] if query.strip() else []
    if not found:
        st.info("No ESCO occupation matches; try another word.")
        st.stop()
    ids = [j.id for j in found]
    sticky("esco_job", ids[0], valid=lambda v: v in ids)
    job_id = st.selectbox(f"Occupation ({len(found)} found)", ids,
                          key="esco_job", format_func=lambda j: tax.jobs[j].title)
    keep("esco_job")
    job, job_key = tax.jobs[job_id], job_id
    labels = {s.skill: tax.skills[s.skill].label for s in job.skills if s.skill in tax.skills}
else:
    sticky("job_ad", "")
    text = st.text_area("Job ad", key="job_ad", height=160,
                        placeholder="Paste the text of a job posting: its duties and requirements.")
    keep("job_ad")
    if not text.strip():
        st.info("Paste a job ad above: its skills are read against ESCO's 13,896 skills.")
        st.stop()
    found_skills = engines.extract_skills(text)
    if not found_skills:
        st.warning("No ESCO skill was recognised in this text.")
        st.stop()
    st.caption("Skills read from the ad (each counts as essential, level 1): " +
               ", ".join(md_escape(label) for _, label, _ in found_skills))
    job = job_from_skills(found_skills, title="the pasted job ad")
    job_key = "ad:" + hashlib.sha256(text.encode()).hexdigest()[:16]
    labels = {skill: label for skill, label, _ in found_skills}

sticky("gap_prefer_credentials", False)
prefer = st.toggle("Prefer a bundle that also earns a credential", key="gap_prefer_credentials",
                   help="When earning a related credential costs only a little more, recommend that bundle.")
keep("gap_prefer_credentials")
rec = engines.recommend(ctx.catalog_key, ctx.learner_key, job_key, prefer, catalog, learner, job)
if isinstance(rec, engines.Failed):
    st.error(md_escape(rec.message), icon=":material/error:")
    st.stop()
currency = rec.currency
bundle = rec.bundle
skills = pd.DataFrame([s.to_dict() for s in rec.gap.skills])
if labels and not skills.empty:
    skills["label"] = [labels.get(s, label) for s, label in zip(skills["skill"], skills["label"])]
label_of = dict(zip(skills["skill"], skills["label"])) if not skills.empty else {}

m1, m2, m3, m4 = st.columns(4)
m1.metric("Readiness", f"{rec.gap.readiness:.0f}%",
          help="Importance-weighted share of the job's skills held at the required level.")
m2.metric("After the courses", f"{bundle.readiness_after:.0f}%",
          f"{bundle.readiness_after - rec.gap.readiness:+.0f} points")
essential_gaps = int(((skills["deficit"] > 0) & skills["essential"]).sum()) if not skills.empty else 0
m3.metric("Essential gaps", essential_gaps)
m4.metric("Courses to take", f"{len(bundle.items)} · {bundle.total_hours:g} h",
          help=f"Total cost {money(bundle.total_cost, currency)}")

left, right = st.columns([1.15, 1], gap="large")
with left:
    st.subheader("Required vs held level")
    if skills.empty:
        st.info("This job lists no skills.")
    else:
        st.caption(f"Grey: the level {md_escape(rec.gap.title)} requires; blue: the level {who} holds. "
                   "Essential skills first; optional ones paler.")
        st.altair_chart(gap_chart(skills, max_rows=20), width="stretch")
        if len(skills) > 20:
            st.caption(f"The first 20 of {len(skills)} skills.")
with right:
    st.subheader("Recommended courses")
    if not bundle.items:
        st.success("No course needed: every gap the catalog can close is closed.")
    st.caption(f"{len(bundle.items)} courses, {bundle.total_hours:g} h, "
               f"{money(bundle.total_cost, currency)}, in the order to take them.")
    st.markdown("\n".join(
        f"{i}. **{md_escape(item.id)}** {md_escape(item.title)} · {item.hours:g} h · "
        f"{money(item.cost, currency)}  \n   :small[:gray[{md_escape(item.reason)}]]"
        for i, item in enumerate(bundle.items, 1)))
    for note in bundle.notes:
        st.warning(md_escape(note[:1].upper() + note[1:]), icon=":material/info:")
    earned = [c for c in bundle.credentials if c.earned]
    nearly = [c for c in bundle.credentials if not c.earned]
    if earned:
        st.markdown("**Credentials these courses earn:** " +
                    ", ".join(f"{md_escape(c.id)} ({md_escape(c.title)})" for c in earned))
    for c in nearly:
        st.caption(f"Nearly {md_escape(c.id)} ({md_escape(c.title)}): {md_escape(c.text)}")

tab_alt, tab_unclosable, tab_jobs = st.tabs(
    ["Ranked alternatives", "Gaps no course closes", "Closest jobs"])
with tab_alt:
    st.caption("Single courses (with any missing prerequisites) ranked by readiness points "
               "gained per hour.")
    ranked = pd.DataFrame([r.to_dict() for r in rec.ranked])
    if ranked.empty:
        st.info("No single course raises a missing skill.")
    else:
        st.dataframe(
            ranked[["id", "title", "gain", "total_hours", "total_cost", "prerequisites", "reason"]],
            hide_index=True, width="stretch",
            column_config={
                "id": st.column_config.TextColumn("Course", width="small"),
                "title": st.column_config.TextColumn("Title", width="medium"),
                "gain": st.column_config.NumberColumn("Readiness +", format="%.1f", width="small"),
                "total_hours": st.column_config.NumberColumn("Hours", format="%d h", width="small"),
                "total_cost": st.column_config.NumberColumn(f"Cost ({currency})", format="%,.0f", width="small"),
                "prerequisites": st.column_config.ListColumn("With prerequisites"),
                "reason": st.column_config.TextColumn("Why", width="large"),
            })
with tab_unclosable:
    gaps = pd.DataFrame([u.to_dict() for u in rec.unclosable])
    if gaps.empty:
        st.success("Every gap can be closed by the catalog's courses.")
    else:
        gaps["label"] = [labels.get(s, label) for s, label in zip(gaps["skill"], gaps["label"])]
        st.caption("Skills the job requires that no acceptable course teaches to the required "
                   "level: learn them on the job, elsewhere, or ask the program designers.")
        st.dataframe(
            gaps[["label", "essential", "required_level", "held_level", "reason"]],
            hide_index=True, width="stretch",
            column_config={
                "label": st.column_config.TextColumn("Skill", width="medium"),
                "essential": st.column_config.CheckboxColumn("Essential", width="small"),
                "required_level": st.column_config.NumberColumn("Needed", width="small"),
                "held_level": st.column_config.NumberColumn("Held", width="small"),
                "reason": st.column_config.TextColumn("Why not", width="large"),
            })
with tab_jobs:
    st.caption(f"The catalog's jobs {who} is closest to: readiness now, and the hours of courses "
               "that would close their essential gaps.")
    matches = engines.match_jobs(ctx.catalog_key, ctx.learner_key, 10, catalog, learner)
    if isinstance(matches, engines.Failed):
        st.error(md_escape(matches.message))
    elif not matches:
        st.info("This catalog has no jobs.")
    else:
        table = pd.DataFrame([m.to_dict() for m in matches])
        st.dataframe(
            table[["title", "readiness", "hours_to_ready", "essential_gaps", "unclosable", "courses"]],
            hide_index=True, width="stretch",
            column_config={
                "title": st.column_config.TextColumn("Job", width="medium"),
                "readiness": st.column_config.ProgressColumn("Readiness", min_value=0, max_value=100,
                                                             format="%.0f%%"),
                "hours_to_ready": st.column_config.NumberColumn("Hours to ready", format="%d h"),
                "essential_gaps": st.column_config.NumberColumn("Essential gaps"),
                "unclosable": st.column_config.NumberColumn("Not closable"),
                "courses": st.column_config.ListColumn("Courses"),
            })

keep_panel(ctx, where="gap")
