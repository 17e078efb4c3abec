"""Advisor: how ready a learner is for a job, which skills are missing, and the courses
(and credentials) that close the gap."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

st.title("Skills gap")  # first: it shows while the rest loads

from pathways.describe import money
from pathways.domain import Job
from pathways.skills.jobedit import job_from_rows, job_yaml, search_skills
from ui import engines
from ui.charts import gap_chart
from ui.state import context, keep, reset_on_change, sticky
from ui.views import md_escape
from ui.workspace import keep_panel

ctx = context()
catalog, learner = ctx.catalog, ctx.learner

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
read_from_ad = False
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
        st.info("Paste a job ad above: its skills are read against ESCO's 13,896 skills, and you "
                "can edit them before the gap is computed.")
        st.stop()
    found_skills = engines.extract_skills(text)
    ad_key = hashlib.sha256(text.encode()).hexdigest()[:16]
    rows_key = f"_ad_rows_{ad_key}"
    if rows_key not in st.session_state:  # a new ad: start from what was read in it
        st.session_state[rows_key] = [
            {"skill": skill, "label": label, "evidence": evidence, "added": False}
            for skill, label, _, evidence in found_skills]
    rows = st.session_state[rows_key]
    if not rows:
        st.warning("No ESCO skill was recognised in this text: add the skills it asks for below.")
    edited = []
    with st.expander(f"Skills read from the ad ({len(rows)}): untick what it does not ask for, "
                     "set each skill's level and need", expanded=True):
        st.caption("Each skill with the phrase of the ad it was read from. Levels: 1 basic, "
                   "2 working, 3 advanced, 4 expert.")
        for i, row in enumerate(rows):
            c1, c2, c3 = st.columns([3.2, 1, 1.2], vertical_alignment="center")
            kept = c1.checkbox(md_escape(row["label"]), value=True, key=f"ad_keep_{ad_key}_{i}",
                               help=f"ESCO {row['skill']}")
            if row["evidence"]:
                c1.caption(f"“{md_escape(row['evidence'])}”")
            elif row["added"]:
                c1.caption("added by you")
            essential = c2.toggle("Essential", value=True, key=f"ad_essential_{ad_key}_{i}")
            level = c3.selectbox("Level", [1, 2, 3, 4], key=f"ad_level_{ad_key}_{i}",
                                 label_visibility="collapsed",
                                 format_func=lambda v: f"level {v}")
            if kept:
                edited.append({"skill": row["skill"], "essential": essential, "level": level})
        a1, a2 = st.columns([3, 1], vertical_alignment="bottom")
        query = a1.text_input("Add a skill from ESCO", key=f"ad_query_{ad_key}",
                              placeholder="a word of its label, e.g. SQL, budget, negotiate")
        matches = search_skills(engines.esco_taxonomy().skills, query) if query.strip() else []
        if matches:
            pick = a1.selectbox(f"{len(matches)} ESCO skills match", [s.id for s in matches],
                                key=f"ad_pick_{ad_key}",
                                format_func={s.id: s.label for s in matches}.get)
            if a2.button("Add", key=f"ad_add_{ad_key}", icon=":material/add:"):
                if all(r["skill"] != pick for r in rows):
                    skill = next(s for s in matches if s.id == pick)
                    rows.append({"skill": skill.id, "label": skill.label, "evidence": "",
                                 "added": True})
                st.rerun()
        elif query.strip():
            a1.caption("No ESCO skill label has these words.")
    if not edited:
        st.info("Keep or add at least one skill to compare the learner with.")
        st.stop()
    labels = {r["skill"]: r["label"] for r in rows}
    job = job_from_rows(edited, title="the pasted job ad", description=text)
    read_from_ad = True
    job_key = "ad:" + hashlib.sha256(
        (text + repr(sorted((r["skill"], r["essential"], r["level"]) for r in edited))).encode()
    ).hexdigest()[:16]
    st.download_button("Download the job (YAML)",
                       job_yaml(job, labels, source="read from a job ad and edited by an advisor"),
                       file_name="job-ad.yaml", mime="application/x-yaml",
                       icon=":material/download:", key="ad_job_yaml", on_click="ignore",
                       help="A catalog file with this job and its skills: load it beside a "
                            "catalog (pathways gap --catalog data --catalog job-ad.yaml --job job-ad).")

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
closes = set(rec.bundle.closes)
skills = pd.DataFrame([{**s.to_dict(), "closed": s.skill in closes} for s in rec.skills_by_gap()])
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
                   "By importance and gap: essential gaps first, largest first (those the "
                   "recommended courses close before the others), then optional gaps, then the "
                   "skills already met; optional ones paler.")
        st.altair_chart(gap_chart(skills, max_rows=20), width="stretch")
        if len(skills) > 20:
            st.caption(f"The 20 most important gaps of {len(skills)} skills; every skill is in "
                       "the table below.")
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
        text_note = md_escape(note[:1].upper() + note[1:])
        if bundle.credential and bundle.extra_hours <= 0 and note.startswith("prefers earning"):
            # good news: the credential comes at no extra hours
            st.success(f"{text_note}: this bundle also earns a credential, at no extra hours.",
                       icon=":material/workspace_premium:")
        else:
            st.info(text_note, icon=":material/info:")
    earned = [c for c in bundle.credentials if c.earned]
    nearly = [c for c in bundle.credentials if not c.earned]
    if earned:
        st.markdown("**Credentials these courses earn:** " +
                    ", ".join(f"{md_escape(c.id)} ({md_escape(c.title)})" for c in earned))
    for c in nearly:
        st.caption(f"Nearly {md_escape(c.id)} ({md_escape(c.title)}): {md_escape(c.text)}")

if not skills.empty:
    with st.expander(f"Every skill {md_escape(rec.gap.title)} requires ({len(skills)})"):
        table = skills[["label", "essential", "importance", "required_level", "held_level",
                        "deficit", "closed", "held_from"]]
        st.dataframe(table, hide_index=True, width="stretch",
                     column_config={
                         "label": st.column_config.TextColumn("Skill", width="medium"),
                         "essential": st.column_config.CheckboxColumn("Essential", width="small"),
                         "importance": st.column_config.NumberColumn("Importance", format="%.2g",
                                                                     width="small"),
                         "required_level": st.column_config.NumberColumn("Needed", width="small"),
                         "held_level": st.column_config.NumberColumn("Held", width="small"),
                         "deficit": st.column_config.NumberColumn("Gap", width="small"),
                         "closed": st.column_config.CheckboxColumn("Closed by the courses",
                                                                   width="small"),
                         "held_from": st.column_config.TextColumn("Held from", width="large"),
                     })
        from pathways.io.tables import frame_csv

        st.download_button("Download the gap (CSV)", frame_csv(skills),
                           file_name=f"gap-{learner.id}.csv", mime="text/csv",
                           icon=":material/table:", key="gap_csv", on_click="ignore")

if learner.goals.credentials:
    targets = tuple(g for g in learner.goals.credentials if g in catalog.credentials)
    if targets:
        name = f"advising-report-{learner.id}-{'-'.join(targets)}"
        args = (catalog, learner, targets, job, "hours", ctx.graph)
        extra = {"labels": tuple(sorted(labels.items())), "read_from_ad": read_from_ad}
        r1, r2, _ = st.columns([1.2, 1.2, 3])
        r1.download_button("Advising report (PDF)", engines.report_download("pdf", *args, **extra),
                           file_name=f"{name}.pdf", mime="application/pdf",
                           icon=":material/picture_as_pdf:", key="gap_report_pdf",
                           on_click="ignore", width="stretch",
                           help=f"One page: the plan toward {', '.join(targets)}, readiness for "
                                "this job now and after the plan, the skills gap and sources.")
        r2.download_button("Advising report (HTML)", engines.report_download("html", *args, **extra),
                           file_name=f"{name}.html", mime="text/html",
                           icon=":material/description:", key="gap_report_html",
                           on_click="ignore", width="stretch")

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
        # the reasons name skills by id ("no course teaches esco:3ec2..."): show their labels
        gaps["reason"] = [reason.replace(s, label) for s, label, reason
                          in zip(gaps["skill"], gaps["label"], gaps["reason"])]
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
