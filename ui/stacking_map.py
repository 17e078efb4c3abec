"""Learner: how courses and credentials stack around one credential, coloured by what the
learner has completed, plans to take, or still lacks."""

from __future__ import annotations

import streamlit as st

st.title("Stacking map")  # first: it shows while the rest loads

from pathways.describe import requirement_lines
from pathways.graph import ladder, relevant_subgraph
from ui import engines
from ui.charts import legend_html
from ui.stacking import (
    NODE_H,
    NODE_W,
    hidden_courses,
    stacking_html,
    stacking_layout,
    stacking_svg,
)
from ui.state import context, keep, reset_on_change, sticky
from ui.views import md_escape

ctx = context()
catalog, G, learner = ctx.catalog, ctx.graph, ctx.learner

st.caption("How courses stack into the chosen credential and what it stacks into, level by "
           "level: courses at the bottom, then microcredentials, certificates and diplomas. "
           "Arrows point upward: from a course to what it counts toward, from a prerequisite "
           "to the course that needs it.")

if not catalog.credentials:
    st.info("This catalog has no credentials to map.")
    st.stop()

credentials = list(catalog.credentials)
goal = next((g for g in (learner.goals.credentials if learner else ()) if g in catalog.credentials),
            credentials[0])
reset_on_change("map", ctx.learner_key, "map_credential", "map_all")
sticky("map_credential", goal, valid=lambda v: v in catalog.credentials)
sticky("map_ladder", True)
left, mid, right = st.columns([2, 1, 1], vertical_alignment="bottom")
target = left.selectbox("Credential", credentials, key="map_credential",
                        format_func=lambda c: f"{c} · {catalog.credentials[c].title}")
show_ladder = mid.toggle("Show what it stacks into", key="map_ladder")
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

nodes = list(relevant_subgraph(G, target).nodes)
above = ladder(G, target) if show_ladder else []
drawn = nodes + [c for c in above if c not in nodes]
others = hidden_courses(G, drawn, status)
has_own = len(others) < sum(1 for n in drawn if G.nodes[n]["kind"] == "course")
# By default only the learner's own courses (held or planned) are drawn, when there are any.
sticky("map_all", not has_own)
show_all = right.toggle("Show every course", key="map_all",
                        help="Also draw the courses the learner neither holds nor plans.")
keep("map_all")
hidden = set() if show_all else others
layout = stacking_layout(G, drawn, hidden=hidden)
not_shown = {c: sum(1 for u in G.predecessors(c) if u in hidden
                    and G.edges[u, c]["kind"] == "counts_toward")
             for c in drawn if G.nodes[c]["kind"] == "credential"}
svg = stacking_svg(G, layout, target, status=status, not_shown=not_shown)
x, y = layout.pos[target]
used = {status.get(n, "lacking" if G.nodes[n]["kind"] == "course" else "credential")
        for n in layout.pos}
order = ["held", "planned", "renew", "lacking", "earned", "credential"]
st.html(legend_html([k for k in order if k in used]))
height = int(min(700, max(280, layout.height + 20)))
# our own SVG (every catalog text escaped by stacking_svg) and pan/zoom script, in a frame
st.iframe(stacking_html(svg, focus=(x + NODE_W / 2, y + NODE_H / 2), height=height),
          height=height + 8)
if hidden:
    st.caption(f"{len(hidden)} courses that {md_escape(learner.name or learner.id) if learner else 'the learner'} "
               "neither holds nor plans are not drawn (each credential says how many of its "
               "own): switch on **Show every course** to see every option.")

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
