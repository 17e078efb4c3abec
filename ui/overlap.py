"""Designer: where courses duplicate each other, what credentials share, what to fix, and
which skills employers want that the catalog does not teach."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

st.title("Catalog overlap")  # first: it shows while the rest loads

from ui import engines
from ui.charts import heatmap, supply_demand_chart
from ui.state import context, keep, sticky
from ui.views import md_escape

ctx = context()
st.caption("For program designers: duplicated courses, what credentials share, what to fix in "
           "the catalog, and the skills jobs ask for that no course teaches.")

catalog = ctx.catalog
DEFAULT = engines.default_similarity_threshold()
HEATMAP_FLOOR = 0.3  # the heatmap shows the courses with a neighbour at least this similar
similar = engines.course_similarity(ctx.catalog_key, DEFAULT, catalog)
health = engines.health_report(ctx.catalog_key, ctx.active.report)
demand = engines.skill_demand(ctx.catalog_key, catalog)

c1, c2, c3, c4 = st.columns(4)
c1.metric("Near-duplicate clusters", len(similar.clusters),
          help=f"Groups of courses linked by similarity scores of at least {DEFAULT:g}.")
c2.metric(f"Similar pairs (≥ {DEFAULT:g})", len(similar.pairs))
c3.metric("Health warnings", int((health["severity"] == "warning").sum()),
          help="Findings worth fixing; the rest are for information.")
c4.metric("Skills no course teaches", int((demand["status"] == "unmet").sum()),
          help="Skills the catalog's jobs require that no course teaches.")

tab_sim, tab_cred, tab_health, tab_demand = st.tabs(
    ["Similar courses", "Credential overlap", "Health report", "Skill supply vs demand"])

# --------------------------------------------------------------------------- similar courses
with tab_sim:
    st.subheader("Course similarity")
    st.caption("Score = mean of the skills two courses share (level-weighted) and the words of "
               "their titles and descriptions. 1 means identical.")
    sticky("overlap_threshold", DEFAULT)
    min_score = st.slider("Similarity threshold", 0.2, 0.9, step=0.05, key="overlap_threshold",
                          help="Pairs scoring at least this are listed and linked into clusters.")
    keep("overlap_threshold")
    chosen = engines.course_similarity(ctx.catalog_key, round(min_score, 2), catalog)
    pairs = chosen.pairs
    left, right = st.columns([3, 2], gap="large")
    with left:
        cells = similar.neighbors[similar.neighbors["score"] >= HEATMAP_FLOOR]
        involved = set(cells["course"]) | set(cells["other"])
        order = [c for c in catalog.courses if c in involved]
        if order:
            both = pd.concat([cells, cells.rename(columns={"course": "other", "other": "course"})])
            grid = both.drop_duplicates(["course", "other"])[["course", "other", "score"]]
            grid["title"] = grid["course"].map(lambda c: catalog.courses[c].title)
            grid["other_title"] = grid["other"].map(lambda c: catalog.courses[c].title)
            st.altair_chart(heatmap(
                grid, x="other", y="course", value="score", title="Score", order=order,
                tooltip=[alt.Tooltip("course:N", title="Course"), alt.Tooltip("title:N", title=""),
                         alt.Tooltip("other:N", title="Similar to"),
                         alt.Tooltip("other_title:N", title=""),
                         alt.Tooltip("score:Q", format=".2f")]), width="content")
            st.caption(f"The {len(order)} courses with a neighbour scoring at least {HEATMAP_FLOOR}; "
                       "darker is more alike.")
        else:
            st.info("No two courses are similar.")
    with right:
        st.markdown(f"**Near-duplicate clusters (≥ {min_score:.2f})**")
        if chosen.clusters.empty:
            st.success(f"No near-duplicates: no pair scores {min_score:.2f} or more.")
        for row in chosen.clusters.itertuples():
            with st.container(border=True):
                st.markdown(" · ".join(f"**{md_escape(m)}** {md_escape(t)}"
                                       for m, t in zip(row.members, row.titles)))
                st.caption(f"{md_escape(row.explanation)} (weakest link {row.min_score:.2f})")
    st.markdown(f"**{len(pairs)} pairs scoring at least {min_score:.2f}**")
    st.dataframe(
        pairs[["a", "a_title", "b", "b_title", "score", "shared_skills", "shared_words"]],
        hide_index=True, width="stretch",
        column_config={
            "a": st.column_config.TextColumn("Course", width="small"),
            "a_title": st.column_config.TextColumn("Title"),
            "b": st.column_config.TextColumn("Similar course", width="small"),
            "b_title": st.column_config.TextColumn("Title"),
            "score": st.column_config.ProgressColumn("Score", min_value=0, max_value=1, format="%.2f"),
            "shared_skills": st.column_config.ListColumn("Skills both teach"),
            "shared_words": st.column_config.ListColumn("Words in common"),
        })

# --------------------------------------------------------------------------- credentials
MATRICES = {"shared": "Shared courses", "hours": "Hours still needed"}

with tab_cred:
    st.subheader("What credentials share")
    sticky("credential_matrix", "shared", valid=lambda v: v in MATRICES)
    view = st.segmented_control("Show", list(MATRICES), key="credential_matrix",
                                format_func=MATRICES.get) or "shared"
    keep("credential_matrix")
    tooltip = [alt.Tooltip("a:N", title="Holder of"), alt.Tooltip("a_title:N", title=""),
               alt.Tooltip("b:N", title="Aiming for"), alt.Tooltip("b_title:N", title=""),
               alt.Tooltip("n_shared:Q", title="Shared courses"),
               alt.Tooltip("shared_hours:Q", title="Shared hours"),
               alt.Tooltip("summary:N", title="")]
    if view == "shared":
        st.caption("Rows: the credential a learner holds. Columns: the one they aim for. A cell "
                   "counts the courses that can count toward both.")
        overlap = engines.credential_overlap(ctx.catalog_key, False, catalog, ctx.graph)
        shared = overlap[overlap["n_shared"] > 0]
        creds = [c for c in catalog.credentials if c in set(shared["a"]) | set(shared["b"])]
        if shared.empty:
            st.info("No two credentials share a course.")
        else:
            st.altair_chart(heatmap(
                shared.assign(a_title=shared["a"].map(catalog.title), b_title=shared["b"].map(catalog.title)),
                x="b", y="a", value="n_shared", title="Shared courses", order=creds, scheme="purples",
                tooltip=tooltip), width="content")
            table = shared[shared["a"] < shared["b"]].sort_values(
                ["shared_hours", "n_shared"], ascending=False)
            st.dataframe(
                table[["a", "b", "shared_courses", "shared_hours", "b_nests_a", "summary"]],
                hide_index=True, width="stretch",
                column_config={
                    "a": st.column_config.TextColumn("Credential", width="small"),
                    "b": st.column_config.TextColumn("and credential", width="small"),
                    "shared_courses": st.column_config.ListColumn("Courses counting toward both"),
                    "shared_hours": st.column_config.NumberColumn("Shared hours", format="%d h"),
                    "b_nests_a": st.column_config.CheckboxColumn("Stacks", help="The second requires the first."),
                    "summary": st.column_config.TextColumn("Summary"),
                })
    else:
        st.caption("Rows: the credential a learner holds. Columns: the one they aim for. A cell "
                   "is the hours of the shortest plan from the first to the second (paler is "
                   "closer); the table lists the best stack-on pairs.")
        overlap = engines.credential_overlap(ctx.catalog_key, True, catalog, ctx.graph)
        hours = overlap.dropna(subset=["hours_still_needed"])
        st.altair_chart(heatmap(
            hours.assign(a_title=hours["a"].map(catalog.title), b_title=hours["b"].map(catalog.title)),
            x="b", y="a", value="hours_still_needed", title="Hours", order=list(catalog.credentials),
            scheme="greens", fmt=".0f",
            tooltip=[*tooltip[:4], alt.Tooltip("hours_still_needed:Q", title="Hours still needed"),
                     alt.Tooltip("covered_share:Q", title="Already covered", format=".0%"),
                     tooltip[-1]]), width="content")
        best = engines.stack_on(ctx.catalog_key, overlap)
        st.markdown("**Best stack-on pairs**")
        st.dataframe(
            best[["a", "b", "covered_share", "hours_still_needed", "summary"]],
            hide_index=True, width="stretch",
            column_config={
                "a": st.column_config.TextColumn("Holder of", width="small"),
                "b": st.column_config.TextColumn("Aiming for", width="small"),
                "covered_share": st.column_config.ProgressColumn("Covered", min_value=0, max_value=1,
                                                                 format="percent", width="small"),
                "hours_still_needed": st.column_config.NumberColumn("Hours still needed", format="%d h",
                                                                    width="small"),
                "summary": st.column_config.TextColumn("Summary", width="large"),
            })

# --------------------------------------------------------------------------- health
CATEGORY_TITLES = {
    "validation": "Validation warnings",
    "no-credential": "Courses that count toward no credential",
    "single-path": "Credentials with a single path",
    "long-chain": "Long prerequisite chains",
    "single-source-skill": "Skills taught by one course only",
    "missing-prerequisite": "Advanced courses without a prerequisite",
}

with tab_health:
    st.subheader("Catalog health report")
    st.caption("What a designer should look at, by kind of finding; each says what was found "
               "and what to do about it.")
    if health.empty:
        st.success("Nothing to report: the catalog is in good health.")
    for category, rows in health.groupby("category", sort=False):
        warnings = int((rows["severity"] == "warning").sum())
        icon = ":material/warning:" if warnings else ":material/info:"
        title = CATEGORY_TITLES.get(str(category), str(category))
        with st.expander(f"{title} ({len(rows)})", icon=icon, expanded=False):
            st.markdown("\n".join(
                f"- {md_escape(row.message)}  \n  :small[:gray[→ {md_escape(row.action)}]]"
                for row in rows.itertuples()))

# --------------------------------------------------------------------------- demand
with tab_demand:
    st.subheader("Skill supply vs demand")
    st.caption("Demand: how much the catalog's jobs need a skill (essential counts 1, optional "
               "0.5, summed over jobs). Supply: how many courses teach it.")
    statuses = [s for s in ("unmet", "undersupplied", "oversupply", "supplied", "not demanded")
                if s in set(demand["status"])]
    sticky("demand_status", statuses[0] if statuses else None, valid=lambda v: v in statuses)
    status = st.segmented_control("Status", statuses, key="demand_status")
    keep("demand_status")
    rows = demand[demand["status"] == status] if status else demand
    st.altair_chart(supply_demand_chart(rows, top=25), width="stretch")
    if len(rows) > 25:
        st.caption(f"The top 25 of {len(rows)} skills; all are in the table.")
    st.dataframe(
        rows[["label", "demand", "jobs", "courses", "required_level", "max_level", "taught_by", "top_jobs"]],
        hide_index=True, width="stretch", height=min(420, 38 + 35 * max(1, len(rows))),
        column_config={
            "label": st.column_config.TextColumn("Skill", width="medium"),
            "demand": st.column_config.NumberColumn("Demand", format="%.1f", width="small"),
            "jobs": st.column_config.NumberColumn("Jobs", width="small"),
            "courses": st.column_config.NumberColumn("Courses", width="small"),
            "required_level": st.column_config.NumberColumn("Level needed", width="small"),
            "max_level": st.column_config.NumberColumn("Level taught", width="small"),
            "taught_by": st.column_config.ListColumn("Taught by"),
            "top_jobs": st.column_config.ListColumn("Jobs that need it"),
        })
