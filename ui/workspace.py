"""The workspace in the app: which database, who the advisor is, and the panel that keeps the
active learner's plan and notes (used on the plan and skills-gap pages).

The database is ``$PATHWAYS_DB`` (or the default in the user's data folder), the same records
the ``pathways workspace`` commands read and write. Nothing is written unless a button says so.
"""

from __future__ import annotations

import os
from typing import Any

import streamlit as st

from pathways.errors import PathwaysError
from pathways.io import dump_yaml, learner_to_data
from pathways.workspace import (
    Workspace,
    WorkspaceError,
    default_url,
    keep_learner,
    make_plan,
)

__all__ = ["advisor_input", "database_label", "keep_panel", "open_workspace"]

ADVISOR = "workspace_advisor"


def database_label() -> str:
    from sqlalchemy.engine import make_url

    return make_url(default_url()).render_as_string(hide_password=True)


@st.cache_resource(show_spinner=False)
def _workspace(url: str) -> Workspace:
    return Workspace.open(url)


def open_workspace(*, create: bool = False) -> Workspace | None:
    """The workspace, or None (with a message) when there is none yet or it cannot be used."""
    url = default_url()
    try:
        if create:
            Workspace.open(url, create=True).close()
            _workspace.clear()
        return _workspace(url)
    except WorkspaceError as err:
        st.session_state["_workspace_error"] = str(err)
        return None


#: Where the advisor's name is kept for the session. Not the widget's own key: Streamlit drops
#: a widget's state when a page does not draw it, so the name would be lost (an empty box) on
#: the way from a page without the box to one with it.
_ADVISOR_NAME = "_workspace_advisor_name"


def advisor_input(**kwargs: Any) -> str:
    """The advisor's name, in a text box (kept for the session; default
    ``$PATHWAYS_ADVISOR``); ``"advisor"`` when left empty."""
    ss = st.session_state
    if _ADVISOR_NAME not in ss:
        ss[_ADVISOR_NAME] = os.environ.get("PATHWAYS_ADVISOR", "advisor")
    ss[ADVISOR] = ss[_ADVISOR_NAME]  # the box shows the kept name on every page

    def changed() -> None:
        ss[_ADVISOR_NAME] = ss[ADVISOR]

    st.text_input("Advisor", key=ADVISOR, on_change=changed, **kwargs)
    return str(ss[_ADVISOR_NAME]).strip() or "advisor"


def keep_panel(ctx: Any, *, targets: list[str] | None = None, objective: str = "hours",
               where: str = "plan") -> None:
    """An expander that keeps the active learner (profile version), this plan and a note in
    the workspace."""
    learner = ctx.learner
    if learner is None:
        return
    with st.expander("Keep in the advisor workspace", icon=":material/save:"):
        ws = open_workspace()
        if ws is None:
            st.caption(f"No workspace yet at {database_label()}: create it on the Caseload page.")
            return
        who = advisor_input()
        note = st.text_area("Note (optional)", key=f"keep_note_{where}",
                            placeholder="What was decided or discussed")
        label = "Keep this plan" + (" and the note" if where == "plan" else "")
        if where == "plan" and st.button(label, key="keep_plan", icon=":material/save:"):
            try:
                info = keep_learner(ws, dump_yaml(learner_to_data(learner)), ctx.catalog,
                                    by=who, advisor=who)
                record, _ = make_plan(ws, ctx.catalog, info.id, by=who, targets=targets,
                                      objective=objective)
                if note.strip():
                    ws.add_note(info.id, note, by=who, plan_id=record.id)
            except PathwaysError as err:
                st.error(str(err), icon=":material/error:")
            else:
                st.success(f"Kept plan {record.id} for {info.id} (profile version "
                           f"{info.version}) in {who}'s caseload.", icon=":material/check:")
        if where != "plan" and st.button("Keep the note", key=f"keep_only_note_{where}",
                                         icon=":material/save:", disabled=not note.strip()):
            try:
                info = keep_learner(ws, dump_yaml(learner_to_data(learner)), ctx.catalog,
                                    by=who, advisor=who)
                ws.add_note(info.id, note, by=who)
            except PathwaysError as err:
                st.error(str(err), icon=":material/error:")
            else:
                st.success(f"Kept the note on {info.id}.", icon=":material/check:")
