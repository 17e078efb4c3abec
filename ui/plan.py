"""Learner: the optimal term-by-term plan toward the chosen credentials, why each course is in
it, the audit of each target, the distance to every credential and a what-if comparison."""

from __future__ import annotations

import streamlit as st

st.title("Plan your path")  # first: it shows while the rest loads

import pandas as pd
from pathways.describe import money
from pathways.graph import ladder
from ui import engines
from ui.charts import distance_chart, timeline_chart
from ui.state import context, keep, reset_on_change, sticky
from ui.views import (
    AUDIT_LEGEND,
    audit_markdown,
    md_escape,
    plan_courses_frame,
    plan_csv,
    plan_json,
    plan_markdown,
)
from ui.workspace import keep_panel

ctx = context()
catalog, learner, G = ctx.catalog, ctx.learner, ctx.graph

if learner is None:
    st.info("Choose a learner in the sidebar (a sample, an uploaded profile, or your own) to plan.",
            icon=":material/person:")
    st.stop()
who = md_escape(learner.name or learner.id)  # shown as text, never Markdown (issue 16)
st.caption(f"The shortest, cheapest or quickest way from what **{who}** has completed to the "
           "credentials they want, term by term, within their budget and limits.")
if not catalog.credentials:
    st.info("This catalog has no credentials to plan toward.")
    st.stop()

OBJECTIVES = {"hours": "Fewest hours", "cost": "Lowest cost", "terms": "Fewest terms"}
credentials = list(catalog.credentials)
# A new learner (or catalog) starts from their goal credentials.
reset_on_change("plan", ctx.learner_key, "plan_targets", "whatif_a", "whatif_b")
goals = [g for g in learner.goals.credentials if g in catalog.credentials]
sticky("plan_targets", goals or credentials[:1],
       valid=lambda v: isinstance(v, list) and all(t in catalog.credentials for t in v))
sticky("plan_objective", "hours", valid=lambda v: v in OBJECTIVES)
left, right = st.columns([1.35, 1], vertical_alignment="bottom")
targets = left.multiselect("Target credentials", credentials, key="plan_targets",
                           format_func=lambda c: f"{c} · {catalog.credentials[c].title}")
objective = right.segmented_control("Optimise for", list(OBJECTIVES), key="plan_objective",
                                    format_func=OBJECTIVES.get) or "hours"
keep("plan_targets")
keep("plan_objective")
if not targets:
    st.info("Pick at least one target credential.")
    st.stop()

result = engines.plan(ctx.catalog_key, ctx.learner_key, tuple(targets), objective, catalog, learner, G)
if isinstance(result, engines.Failed):
    st.error(result.message, icon=":material/error:")
    st.stop()
currency = result.currency

if not result.feasible:
    # An infeasible plan is not a plan: say what blocks it, what would make one possible and
    # where to change it; nothing to download (issue 20).
    with st.container(border=True):
        st.error(f"**No plan fits {who}'s limits.** {md_escape(result.reason or '')}",
                 icon=":material/block:")
        fixes = engines.remedies(ctx.catalog_key, ctx.learner_key, tuple(targets), objective,
                                 catalog, learner, G)
        if isinstance(fixes, engines.Failed):
            st.caption(md_escape(fixes.message))
        else:
            if fixes.items:
                st.markdown("**What would make a plan possible** (each change on its own, the "
                            "other limits kept):\n" + "\n".join(
                                f"- {md_escape(fix.text)}: then {len(fix.plan.courses)} courses, "
                                f"{fix.plan.total_hours:g} h, "
                                f"{md_escape(money(fix.plan.total_cost, currency))}, "
                                f"{fix.plan.terms} terms" for fix in fixes))
            if fixes.note:
                st.caption(md_escape(fixes.note[:1].upper() + fixes.note[1:]) + ".")
        st.page_link("ui/profile.py", label="Change the limits on the learner profile",
                     icon=":material/edit:")
else:
    m1, m2, m3, m4, m5 = st.columns(5)
    m1.metric("Courses", len(result.courses))
    m2.metric("Total hours", f"{result.total_hours:g}")
    m3.metric(f"Total cost ({currency})", f"{result.total_cost:,.0f}")
    m4.metric("Terms", result.terms)
    completion = result.completion.isoformat() if result.completion else None
    done = result.completion.strftime("%b %Y") if result.completion else "—"
    m5.metric("Done by", done, help=completion)
    if not result.courses:
        st.success(f"{who} already meets every target: nothing to take, only to claim "
                   f"{md_escape(', '.join(result.already_met or targets))}.",
                   icon=":material/verified:")
    status = ("Proven optimal." if result.optimal else
              "The best plan found in the time limit (not proven optimal).")
    start_note = result.start_note
    if result.start_in_past:
        st.info(f"{md_escape(start_note[:1].upper() + start_note[1:])}. Change the first term on the "
                "profile page to plan from the next term.", icon=":material/history:")
    elif start_note:
        status += f" {start_note[:1].upper()}{start_note[1:]}."
    st.caption(md_escape(status + " " + " ".join(result.notes)))
    if result.renewals:
        st.warning("**Expired badges to renew:** " + ", ".join(
            f"{md_escape(r)} ({md_escape(catalog.title(r))})" for r in result.renewals) +
            ". Their validity ran out, so the plan retakes them.", icon=":material/autorenew:")

    if result.courses:
        comparison = engines.compare_objectives(ctx.catalog_key, ctx.learner_key, tuple(targets),
                                                catalog, learner, G)
        if not isinstance(comparison, engines.Failed) and comparison.feasible:
            with st.container(border=True, key="plan_tradeoff"):
                st.markdown("**Fewest hours, lowest cost or fewest terms?** " +
                            md_escape(comparison.compared_to(objective)))
                rows = comparison.rows()
                st.table(pd.DataFrame({
                    "Optimised for": [r["label"][:1].upper() + r["label"][1:] +
                                      (" (shown)" if r["objective"] == objective else "")
                                      for r in rows],
                    "Hours": [f"{r['hours']:g}" for r in rows],
                    f"Cost ({currency})": [f"{r['cost']:,.0f}" for r in rows],
                    "Terms": [str(r["terms"]) for r in rows],
                    "Same plan as": [r["same_as"] or "—" for r in rows],
                    "Courses taken": [r["course_ids"] for r in rows],
                }).set_index("Optimised for"))

    d1, d2, d3, d4, _ = st.columns([1, 1, 1.3, 1.3, 0.4])
    name = f"plan-{learner.id}-{'-'.join(targets)}"
    d1.download_button("Download CSV", plan_csv(result), file_name=f"{name}.csv", mime="text/csv",
                       icon=":material/table:", key="plan_csv", on_click="ignore", width="stretch")
    d2.download_button("Download JSON", plan_json(result), file_name=f"{name}.json",
                       mime="application/json", icon=":material/data_object:", key="plan_json",
                       on_click="ignore", width="stretch")
    goal_job = learner.goals.job if learner.goals.job in catalog.jobs else None
    if goal_job is not None:  # the one-page advising report, for the learner's goal job
        report = f"advising-report-{learner.id}-{'-'.join(targets)}"
        args = (catalog, learner, tuple(targets), goal_job, objective, G)
        d3.download_button("Advising report (PDF)", engines.report_download("pdf", *args),
                           file_name=f"{report}.pdf", mime="application/pdf",
                           icon=":material/picture_as_pdf:", key="plan_report_pdf",
                           on_click="ignore", width="stretch",
                           help="One page for the learner: the plan, readiness for "
                                f"{catalog.jobs[goal_job].title}, the skills gap and sources.")
        d4.download_button("Advising report (HTML)", engines.report_download("html", *args),
                           file_name=f"{report}.html", mime="text/html",
                           icon=":material/description:", key="plan_report_html",
                           on_click="ignore", width="stretch")

    keep_panel(ctx, targets=list(targets), objective=objective, where="plan")

names = ["Requirement audit", "Distance to every credential", "What if…"]
if result.feasible and result.courses:
    tab_terms, tab_audit, tab_dist, tab_whatif = st.tabs(["Term by term", *names])
else:
    tab_audit, tab_dist, tab_whatif = st.tabs(names)
    tab_terms = None

if tab_terms is not None:
    with tab_terms:
        courses = plan_courses_frame(result)
        earned = result.earned
        st.altair_chart(timeline_chart(courses, earned), width="stretch")
        if earned:
            st.caption("Credentials earned along the way: " + "; ".join(
                f"**{md_escape(credential)}** after {term}" for credential, term in earned))
        st.markdown(plan_markdown(result, currency))

with tab_audit:
    st.caption("Each target's requirements, with what the learner has, what the plan adds and "
               "what is still missing. " + AUDIT_LEGEND)
    sticky("plan_audit_today", False)
    today = st.toggle("Without the plan (what is met today)", key="plan_audit_today")
    keep("plan_audit_today")
    audits = {a.credential: a for a in result.audits}
    for target in targets:
        a = (engines.audit(ctx.catalog_key, ctx.learner_key, target, catalog, learner, G)
             if today or target not in audits else audits[target])
        if isinstance(a, engines.Failed):
            st.error(md_escape(a.message))
            continue
        state = "held" if a.held else a.status
        with st.container(border=True):
            st.markdown(f"**{md_escape(a.credential)} · {md_escape(a.title)}** — {state} "
                        f"(as of {a.as_of.isoformat()})")
            st.markdown("\n".join(audit_markdown(a.root)))
            if a.missing and not a.met:
                st.markdown("**Missing:**\n" + "\n".join(f"- {md_escape(m)}" for m in a.missing))
            for n in a.not_counting:
                st.caption(md_escape(f"{n.id} does not count toward {n.credential}: {n.reason}"))
            for p in a.problems:
                st.warning(md_escape(p))

with tab_dist:
    st.caption(f"Every credential, nearest first: what {who} still needs for each on their own, "
               "and where the stack lets them stop with a credential in hand.")
    dist = engines.distances(ctx.catalog_key, ctx.learner_key, catalog, learner, G)
    if isinstance(dist, engines.Failed):
        st.error(dist.message)
    else:
        table = pd.DataFrame([d.to_dict() for d in dist])
        reachable = table[table["feasible"]]
        if not reachable.empty:
            st.altair_chart(distance_chart(reachable), width="stretch")
        st.dataframe(
            table[["credential", "summary", "cost", "terms", "exits"]],
            hide_index=True, width="stretch", height=min(420, 38 + 35 * len(table)),
            column_config={
                "credential": st.column_config.TextColumn("Credential", width="small"),
                "summary": st.column_config.TextColumn("Distance", width="medium"),
                "cost": st.column_config.NumberColumn(f"Cost ({currency})", format="%,.0f", width="small"),
                "terms": st.column_config.NumberColumn("Terms", width="small"),
                "exits": st.column_config.TextColumn("Exits on the way", width="large"),
            })

with tab_whatif:
    st.caption("Compare two targets: what the second costs in hours, money and terms over the first.")
    if len(credentials) < 2:
        st.info("This catalog has a single credential: nothing to compare it with.")
    else:
        first_default = targets[0]
        up = ladder(G, first_default)
        second_default = up[0] if up else next(c for c in credentials if c != first_default)
        for key, value in (("whatif_a", first_default), ("whatif_b", second_default)):
            sticky(key, value, valid=lambda v: v in catalog.credentials)
        w1, w2 = st.columns(2)
        first = w1.selectbox("Target A", credentials, key="whatif_a",
                             format_func=lambda c: f"{c} · {catalog.credentials[c].title}")
        second = w2.selectbox("Target B", credentials, key="whatif_b",
                              format_func=lambda c: f"{c} · {catalog.credentials[c].title}")
        keep("whatif_a")
        keep("whatif_b")
        if first == second:
            st.info("Pick two different targets.")
        else:
            comparison = engines.what_if(ctx.catalog_key, ctx.learner_key, first, second,
                                         objective, catalog, learner, G)
            if isinstance(comparison, engines.Failed):
                st.error(comparison.message)
            else:
                for column, row in zip((w1, w2), comparison.rows):
                    with column.container(border=True):
                        st.markdown(f"**{md_escape(row['targets'])}** · "
                                    f"{md_escape(catalog.title(row['targets']))}")
                        if not row["feasible"]:
                            st.warning(f"Not reachable: {md_escape(row['reason'])}")
                            continue
                        base = row is comparison.rows[0]
                        c1, c2, c3 = st.columns(3)
                        c1.metric("Hours", f"{row['hours']:g}",
                                  None if base else f"{row['extra_hours']:+g} h", delta_color="inverse")
                        c2.metric(f"Cost ({currency})", f"{row['cost']:,.0f}",
                                  None if base else f"{row['extra_cost']:+,.0f}", delta_color="inverse")
                        c3.metric("Terms", row["terms"],
                                  None if base else f"{row['extra_terms']:+d}", delta_color="inverse")
                        plan_b = comparison.plans.get(row["scenario"])
                        ids = [c.id for c in plan_b.courses] if plan_b is not None else []
                        st.caption(f"{row['courses']} courses: {md_escape(', '.join(ids)) or 'none'}")
