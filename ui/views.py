"""Text renderings of engine results for the pages (Markdown), and download payloads.

They read the library's objects (a :class:`~pathways.planner.Plan`, an audited tree of
:class:`~pathways.planner.AuditNode`), never their JSON form, which only the JSON download uses.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from pathways.describe import money

if TYPE_CHECKING:
    import pandas as pd

    from pathways.planner import AuditNode, Plan

__all__ = [
    "AUDIT_LEGEND",
    "audit_markdown",
    "md_escape",
    "plan_courses_frame",
    "plan_csv",
    "plan_json",
    "plan_markdown",
]

_MARKS = {
    ("met", "held"): ":green[✔]",
    ("met", "earned"): ":green[✔]",
    ("met", "planned"): ":blue[◆]",
    ("met", None): ":green[✔]",
    ("partial", None): ":orange[◐]",
    ("not met", None): ":red[✘]",
}
AUDIT_LEGEND = (":green[✔] completed  ·  :blue[◆] in the plan  ·  :orange[◐] partly met  ·  "
                ":red[✘] missing  ·  :gray[○] an option not needed")


#: Characters escaped by :func:`md_escape` wherever they are (each becomes ``\\`` + itself).
_MD_SPECIAL = re.compile(r"[\\`*_\[\]#$~<>|:]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_AUTOLINK = re.compile(r"(?i)(?<![\w.])www(?=\.)")
_LINE_START = re.compile(r"(?m)^([ \t]*)(\d*)([-+=.)])")


def md_escape(text: str) -> str:
    """``text`` shown as written, never as Markdown: its special characters escaped (safe
    inside Streamlit directives too).

    Emphasis, code, headings, math, HTML, links and images (``[``, ``]``), every colon
    (Streamlit's ``:color[...]`` directives, ``:material/...:`` icons and ``:smile:`` emoji
    shortcodes, so ``did:key:z6Mk...`` stays an id) and table pipes are escaped everywhere;
    bare-URL autolinks are broken (``http\\://``, ``www\\.``) and list markers escaped at the
    start of a line, so a hostile catalog title cannot show a link or load a remote image.
    Control characters are dropped.

    >>> md_escape("[Free](http://evil.example) *now*")
    '\\\\[Free\\\\](http\\\\://evil.example) \\\\*now\\\\*'
    >>> md_escape("issuer did:key:z6Mk :smile:")
    'issuer did\\\\:key\\\\:z6Mk \\\\:smile\\\\:'
    >>> md_escape("UT-DA-100 www.x.org")
    'UT-DA-100 www\\\\.x.org'
    """
    text = _MD_SPECIAL.sub(r"\\\g<0>", _CONTROL.sub("", str(text)))
    text = _AUTOLINK.sub("\\g<0>\\\\", text)
    return _LINE_START.sub(_line_start, text)


def _line_start(m: re.Match[str]) -> str:
    """A list marker (``-``, ``+``, ``1.``) or setext underline at a line start, escaped."""
    if m.group(2) and m.group(3) not in ".)":
        return m.group()
    return m.group(1) + m.group(2) + "\\" + m.group(3)


_escape = md_escape


def _node_text(node: AuditNode) -> str:
    text = node.text
    if node.id and text.startswith(node.id):
        rest = text[len(node.id):].strip()
        text = f"**{_escape(node.id)}** {_escape(rest)}"
    else:
        text = _escape(text)
    return f"{text} — _{_escape(node.detail)}_" if node.detail else text


def audit_markdown(tree: AuditNode, *, depth: int = 0, needed: bool = True) -> list[str]:
    """An audited requirement tree (an :class:`~pathways.planner.AuditNode`) as nested
    Markdown list lines.

    Options of a met choice that are not needed are drawn as ``○`` and not expanded.
    """
    status = tree.status
    if not needed and status != "met":
        return [f"{'  ' * depth}- :gray[○ {_node_text(tree)}]"]
    source = tree.source if status == "met" else None
    mark = _MARKS.get((status, source), _MARKS.get((status, None), ""))
    lines = [f"{'  ' * depth}- {mark} {_node_text(tree)}"]
    if tree.kind == "credential" and status == "met" and tree.source == "held":
        return lines  # a held credential: its own requirements are not the point
    child_needed = status != "met" or tree.kind in ("all", "credential", "min_hours")
    for child in tree.children:
        lines.extend(audit_markdown(child, depth=depth + 1, needed=child_needed or child.status == "met"))
    return lines


def plan_courses_frame(plan: Plan) -> pd.DataFrame:
    """One row per planned course, in term order (the plan's own order)."""
    import pandas as pd

    rows = [{
        "term": str(c.term), "id": c.id, "title": c.title, "provider": c.provider or "",
        "hours": c.hours, "cost": c.cost, "counts_toward": ", ".join(c.counts_toward) or "—",
        "renewal": c.renewal, "reason": c.reason,
    } for c in plan.courses]
    return pd.DataFrame(rows, columns=["term", "id", "title", "provider", "hours", "cost",
                                       "counts_toward", "renewal", "reason"])


def plan_markdown(plan: Plan, currency: str) -> str:
    """The plan term by term: each course with its hours, cost and the reason it is there."""
    lines: list[str] = []
    for term, courses in plan.schedule():
        if not courses:
            lines.append(f"**{term}** · :gray[no course this term]\n")
            continue
        hours = sum(c.hours for c in courses)
        lines.append(f"**{term}** · :gray[{len(courses)} course{'s' if len(courses) != 1 else ''}, "
                     f"{hours:g} h]\n")
        for c in courses:
            renew = " · :orange[renewal]" if c.renewal else ""
            lines.append(f"- **{_escape(c.id)}** {_escape(c.title)} · {c.hours:g} h · "
                         f"{money(c.cost, currency)}{renew}  \n"
                         f"  :small[:gray[{_escape(c.reason)}]]")
        lines.append("")
    return "\n".join(lines)


def plan_csv(plan: Plan) -> str:
    """The plan's courses as CSV (one row per course, with the reason); cells a spreadsheet
    would run as formulas are quoted (:func:`pathways.io.tables.safe_cell`)."""
    from pathways.io.tables import frame_csv

    return frame_csv(plan_courses_frame(plan))  # formula cells neutralised (issue 16)


def plan_json(plan: Plan) -> str:
    """The whole plan (its JSON form, :meth:`Plan.to_dict`) as indented JSON."""
    return json.dumps(plan.to_dict(), indent=2, ensure_ascii=False, default=str)
