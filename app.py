"""pathways in the browser: ``streamlit run app.py`` (or ``pathways app``).

A router: the page config, the pages (in ``ui/``), the sidebar that picks the catalog and the
learner (kept in ``st.session_state``), then the chosen page.

The sidebar is drawn here, before the page, so that its widgets are the same on every page
(Streamlit tells widgets apart by the page that draws them). Each page draws its heading
before it imports anything heavy (altair, the workspace, the engines), so the heading shows as
soon as the sidebar is drawn; nothing is fitted before a page needs it (the job-ad reader is
fitted, or loaded from disk, the first time an ad is read).
"""

import streamlit as st

st.set_page_config(page_title="pathways", page_icon="🧭", layout="wide",
                   initial_sidebar_state="expanded")

pages = {
    "Learner": [
        st.Page("ui/plan.py", title="Plan", icon=":material/event_note:", url_path="plan",
                default=True),
        st.Page("ui/stacking_map.py", title="Stacking map", icon=":material/account_tree:",
                url_path="map"),
        st.Page("ui/profile.py", title="Learner profile", icon=":material/person:",
                url_path="profile"),
    ],
    "Advisor": [
        st.Page("ui/skills_gap.py", title="Skills gap", icon=":material/work:", url_path="gap"),
        st.Page("ui/caseload.py", title="Caseload", icon=":material/groups:", url_path="caseload"),
    ],
    "Designer": [
        st.Page("ui/overlap.py", title="Catalog overlap", icon=":material/join_inner:",
                url_path="overlap"),
        st.Page("ui/cohort.py", title="Cohort needs", icon=":material/groups_3:",
                url_path="cohort"),
    ],
}
# Less empty space above the page title than Streamlit's default.
st.html("<style>[data-testid='stMainBlockContainer']{padding-top:2.5rem}</style>")
page = st.navigation(pages)
from ui.state import render_sidebar  # noqa: E402  (pathways is imported from here on)

render_sidebar()  # with a bad upload's problems, one row each, at the top of the page
page.run()
