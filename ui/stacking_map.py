"""Learner: how courses and credentials stack around one credential, coloured by what the
learner has completed, plans to take, or still lacks."""

from __future__ import annotations

import streamlit as st

from pathways.describe import requirement_lines
from pathways.graph import ladder, relevant_subgraph
from ui import engines
from ui.charts import legend_html, stacking_dot
from ui.state import context, keep, reset_on_change, sticky
from ui.views import md_escape

ctx = context()
catalog, G, learner = ctx.catalog, ctx.graph, ctx.learner

st.title("Stacking map")
st.caption("How courses stack into the chosen credential and what it stacks into. Arrows point "
           "upward: from a course to what it counts toward, from a prerequisite to the course "
           "that needs it.")

if not catalog.credentials:
    st.info("This catalog has no credentials to map.")
    st.stop()

credentials = list(catalog.credentials)
goal = next((g for g in (learner.goals.credentials if learner else ()) if g in catalog.credentials),
            credentials[0])
reset_on_change("map", ctx.learner_key, "map_credential")
sticky("map_credential", goal, valid=lambda v: v in catalog.credentials)
sticky("map_ladder", True)
left, right = st.columns([2, 1], vertical_alignment="bottom")
target = left.selectbox("Credential", credentials, key="map_credential",
                        format_func=lambda c: f"{c} · {catalog.credentials[c].title}")
show_ladder = right.toggle("Show what it stacks into", key="map_ladder")
keep("map_credential")
keep("map_ladder")

# What the learner holds and plans (the hours-optimal plan toward the credential).
status: dict[str, str] = {}
plan = None
if learner is not None:
    for h in learner.completed:
        status[h.id] = "held" if h.kind == "course" else "earned"
    found = engines.plan(ctx.catalog_key, ctx.learner_key, (target,), "hours", catalog, learner, G)
    if not isinstance(found, engines.Failed) and found.feasible:
        plan = found
        for course in plan.courses:
            status[course.id] = "planned"
        for renewal in plan.renewals:
            status[renewal] = "renew"

nodes = relevant_subgraph(G, target).nodes
above = ladder(G, target) if show_ladder else []
dot = stacking_dot(G, nodes, target, status=status, ladder=above)
used = {status.get(n, "lacking" if G.nodes[n]["kind"] == "course" else "credential")
        for n in list(nodes) + above if G.nodes[n]["kind"] in ("course", "credential")}
order = ["held", "planned", "renew", "lacking", "earned", "credential"]
st.html(legend_html([k for k in order if k in used]))
st.graphviz_chart(dot, width="stretch")

cred = catalog.credentials[target]
with st.expander(f"What {md_escape(target)} requires", expanded=False):
    if cred.description:
        st.caption(md_escape(cred.description))
    st.code("\n".join(requirement_lines(cred.requires, catalog)), language=None)
if plan is not None and learner is not None:
    n = len(plan.courses)
    st.caption(f"Blue courses: the plan with the fewest hours for {md_escape(learner.name or learner.id)} "
               f"({n} course{'s' if n != 1 else ''}, {plan.total_hours:g} h). "
               "Change targets and objective on the Plan page.")
