"""Chart builders for the pages: altair specs, and the stacking map's colours and legend
(the map itself is drawn by :mod:`ui.stacking`).

Display only: these functions draw what the engines computed; they decide nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import altair as alt
import pandas as pd

from pathways.domain import Term

__all__ = [
    "LEGEND_LABELS",
    "MAP_COLOURS",
    "distance_chart",
    "earned_frame",
    "gap_chart",
    "heatmap",
    "legend_html",
    "ranked_bars",
    "supply_demand_chart",
    "timeline_chart",
]

# fill, border, font: one entry per node status of the stacking map
MAP_COLOURS: dict[str, tuple[str, str, str]] = {
    "held": ("#c8e6c9", "#2e7d32", "#1b3d1d"),
    "planned": ("#bbdefb", "#1565c0", "#0d2f57"),
    "renew": ("#ffe0b2", "#e65100", "#5a2a00"),
    "lacking": ("#ffffff", "#9aa5ad", "#4a5660"),
    "credential": ("#ede7f6", "#5e35b1", "#2a1857"),
    "earned": ("#c8e6c9", "#2e7d32", "#1b3d1d"),
}
#: Calm categorical colours (no red: red reads as an error).
PALETTE = ["#4e79a7", "#59a14f", "#f28e2b", "#76b7b2", "#b07aa1", "#edc948", "#9c755f", "#bab0ac"]
LEGEND_LABELS = {
    "held": "Completed",
    "planned": "In the plan",
    "renew": "Expired: retake",
    "lacking": "Not taken",
    "credential": "Credential",
    "earned": "Credential held",
}


def legend_html(keys: Iterable[str]) -> str:
    """Coloured chips naming the node colours of the stacking map, plus the edge styles."""
    chips = []
    for key in keys:
        fill, border, _font = MAP_COLOURS[key]
        chips.append(
            f'<span style="display:inline-block;margin:0 14px 4px 0;white-space:nowrap">'
            f'<span style="display:inline-block;width:14px;height:14px;border-radius:3px;'
            f'background:{fill};border:2px solid {border};vertical-align:-2px;margin-right:5px">'
            f'</span>{LEGEND_LABELS[key]}</span>')
    chips.append('<span style="white-space:nowrap;margin-right:14px">'
                 '<span style="color:#8a969e">&#8594;</span> counts toward</span>')
    chips.append('<span style="white-space:nowrap"><span style="color:#b0513a">&#8674;</span> '
                 'is a prerequisite of (dotted: one option)</span>')
    return f'<div style="font-size:0.85rem;line-height:1.6">{"".join(chips)}</div>'


# --------------------------------------------------------------------------- plan timeline
def timeline_chart(courses: pd.DataFrame,
                   earned: Sequence[tuple[str, Term]] = ()) -> alt.Chart | alt.LayerChart:
    """Gantt-like bars: one row per course, spanning its term (columns ``id``, ``title``,
    ``term``, ``hours``, ``cost``, ``counts_toward``, ``reason``); ``earned`` (the plan's
    :attr:`~pathways.planner.Plan.earned`: ``(credential, term)``) marks the end of each term
    that earns a credential with a dashed rule and the credentials' names."""
    df = courses.copy()
    terms = [Term.parse(t) for t in df["term"]]
    df["start"] = [pd.Timestamp(t.start) for t in terms]
    df["end"] = [pd.Timestamp(t.end + dt.timedelta(days=1)) for t in terms]
    df["label"] = df["id"] + "  " + df["title"]
    order = df.sort_values(["start", "id"])["label"].tolist()
    height = max(160, 30 * len(df) + 110)  # room for the axis and the legend below
    base = alt.Chart(df).encode(
        y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=320, labelOverlap=False)),
        x=alt.X("start:T", title=None, axis=alt.Axis(format="%b %Y", tickCount="month")),
        x2="end:T",
    )
    bars = base.mark_bar(cornerRadius=4, height=22).encode(
        color=alt.Color("counts_toward:N", title="Counts toward",
                        scale=alt.Scale(range=PALETTE),
                        legend=alt.Legend(orient="bottom", labelLimit=400)),
        tooltip=[alt.Tooltip("id:N", title="Course"), alt.Tooltip("title:N"),
                 alt.Tooltip("term:N", title="Term"), alt.Tooltip("hours:Q", title="Hours"),
                 alt.Tooltip("cost:Q", title="Cost", format=",.0f"),
                 alt.Tooltip("reason:N", title="Why")],
    )
    text = base.mark_text(align="left", dx=6, color="#1b2a33", fontSize=11).encode(
        text=alt.Text("term:N"))
    chart = bars + text
    marks = earned_frame(earned)
    if not marks.empty:
        rules = alt.Chart(marks).mark_rule(strokeDash=[4, 3], color=MAP_COLOURS["earned"][1]).encode(
            x="at:T", tooltip=[alt.Tooltip("credentials:N", title="Earned"),
                               alt.Tooltip("term:N", title="After")])
        names = alt.Chart(marks).mark_text(align="right", baseline="top", dx=-4, dy=2,
                                           fontSize=11, color=MAP_COLOURS["earned"][2]).encode(
            x="at:T", y=alt.value(0), text="text:N")
        chart = chart + rules + names
    return chart.properties(height=height)


def earned_frame(earned: Sequence[tuple[str, Term]]) -> pd.DataFrame:
    """One row per term that earns credentials (the plan's
    :attr:`~pathways.planner.Plan.earned`): the day after the term (``at``), the term, the
    credentials and the text drawn on the timeline (``✓ UT-MC-DA``)."""
    by_term: dict[Term, list[str]] = {}
    for credential, term in earned:
        by_term.setdefault(term, []).append(credential)
    rows = [{"at": pd.Timestamp(term.end + dt.timedelta(days=1)), "term": str(term),
             "credentials": ", ".join(creds), "text": "✓ " + ", ".join(creds)}
            for term, creds in by_term.items()]
    return pd.DataFrame(rows, columns=["at", "term", "credentials", "text"])


def distance_chart(rows: pd.DataFrame) -> alt.Chart:
    """Hours still needed for each reachable credential, nearest first (columns
    ``credential``, ``title``, ``level``, ``hours``, ``courses``, ``summary``, ``exits``)."""
    df = rows.copy()
    df["label"] = df["credential"] + "  " + df["title"]
    df["note"] = [("held" if h == 0 and n == 0 else f"{n} course{'s' if n != 1 else ''}")
                  for h, n in zip(df["hours"], df["courses"])]
    order = df["label"].tolist()
    base = alt.Chart(df).encode(
        y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=360, labelOverlap=False)),
        x=alt.X("hours:Q", title="Hours still needed"),
        tooltip=[alt.Tooltip("credential:N", title="Credential"), alt.Tooltip("title:N", title=""),
                 alt.Tooltip("summary:N", title="Distance"), alt.Tooltip("exits:N", title="Exits")],
    )
    bars = base.mark_bar(cornerRadiusEnd=3, height=14).encode(
        color=alt.Color("level:N", title="Level", scale=alt.Scale(range=PALETTE),
                        legend=alt.Legend(orient="bottom")))
    text = base.mark_text(align="left", dx=4, fontSize=11, color="#4a5660").encode(text="note:N")
    # Streamlit fits the whole chart (axes and legend included) into the height when it
    # stretches the width, so the height leaves room for the x axis and the legend.
    return (bars + text).properties(height=max(160, 22 * len(df) + 110))


# --------------------------------------------------------------------------- skills gap
def gap_chart(skills: pd.DataFrame, *, max_rows: int = 25) -> alt.Chart:
    """Required vs held level per skill (columns ``label``, ``required_level``,
    ``held_level``, ``essential``), in the given order (essential first): two thin bars per
    skill, optional skills paler."""
    df = skills.head(max_rows).copy()
    df["need"] = df["essential"].map({True: "essential", False: "optional"})
    order = df["label"].tolist()
    long = pd.concat([
        df.assign(measure="required", level=df["required_level"]),
        df.assign(measure="held", level=df["held_level"]),
    ])
    height = max(160, 26 * len(df) + 90)  # room for the axis and the legend above
    top = int(max(df["required_level"].max(), df["held_level"].max(), 1)) if len(df) else 4
    return alt.Chart(long).mark_bar(cornerRadiusEnd=2).encode(
        y=alt.Y("label:N", sort=order, title=None,
                axis=alt.Axis(labelLimit=230, labelFontSize=11, labelOverlap=False)),
        yOffset=alt.YOffset("measure:N", sort=["required", "held"]),
        x=alt.X("level:Q", title="Level (1 basic … 4 expert)", scale=alt.Scale(domain=[0, top]),
                axis=alt.Axis(values=list(range(top + 1)), format="d", grid=True)),
        color=alt.Color("measure:N", title=None, sort=["required", "held"],
                        scale=alt.Scale(domain=["required", "held"], range=["#c5ced6", "#1f6f8b"]),
                        legend=alt.Legend(orient="top", direction="horizontal")),
        opacity=alt.Opacity("need:N", title=None, sort=["essential", "optional"],
                            scale=alt.Scale(domain=["essential", "optional"], range=[1.0, 0.45]),
                            legend=None),
        tooltip=[alt.Tooltip("label:N", title="Skill"), alt.Tooltip("need:N", title="Need"),
                 alt.Tooltip("required_level:Q", title="Required level"),
                 alt.Tooltip("held_level:Q", title="Held level")],
    ).properties(height=height)


# --------------------------------------------------------------------------- overlap
def heatmap(df: pd.DataFrame, *, x: str, y: str, value: str, title: str, fmt: str = ".2f",
            order: Sequence[str] | None = None, scheme: str = "blues",
            tooltip: Sequence[alt.Tooltip] = ()) -> alt.Chart:
    """A square heatmap of ``value`` over ``x`` x ``y`` (long format)."""
    axis = alt.Axis(labelLimit=160, labelFontSize=11, labelOverlap=False)
    n = len(order) if order is not None else df[x].nunique()
    size = min(600, max(240, 26 * n))
    return alt.Chart(df).mark_rect().encode(
        x=alt.X(f"{x}:N", sort=list(order) if order is not None else "ascending", title=None,
                axis=alt.Axis(labelLimit=160, labelFontSize=11, labelAngle=-50, labelOverlap=False)),
        y=alt.Y(f"{y}:N", sort=list(order) if order is not None else "ascending", title=None,
                axis=axis),
        color=alt.Color(f"{value}:Q", title=title, scale=alt.Scale(scheme=scheme),
                        legend=alt.Legend(orient="right")),
        tooltip=list(tooltip) or [alt.Tooltip(f"{y}:N"), alt.Tooltip(f"{x}:N"),
                                  alt.Tooltip(f"{value}:Q", format=fmt)],
    ).properties(width=size, height=size, autosize=alt.AutoSizeParams(type="pad"))


def supply_demand_chart(df: pd.DataFrame, *, top: int = 30) -> alt.Chart:
    """Demand (sum of job importance) against supply (courses teaching) per skill, as
    diverging bars (columns ``label``, ``demand``, ``courses``, ``status``)."""
    rows = df.head(top).copy()
    order = rows["label"].tolist()
    long = pd.concat([
        rows.assign(side="demanded by jobs", amount=rows["demand"]),
        rows.assign(side="taught by courses", amount=-rows["courses"].astype(float)),
    ])
    height = max(180, 22 * len(rows) + 100)  # room for the axis and the legend below
    return alt.Chart(long).mark_bar(height=12).encode(
        y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=260, labelOverlap=False)),
        x=alt.X("amount:Q", title="← courses teaching it      jobs demanding it (importance) →",
                axis=alt.Axis(tickMinStep=1, labelExpr="abs(datum.value)")),
        color=alt.Color("side:N", title=None,
                        scale=alt.Scale(domain=["demanded by jobs", "taught by courses"],
                                        range=["#c0504d", "#1f6f8b"]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("label:N", title="Skill"), alt.Tooltip("status:N", title="Status"),
                 alt.Tooltip("demand:Q", title="Demand"), alt.Tooltip("courses:Q", title="Courses")],
    ).properties(height=height)


def ranked_bars(frame: pd.DataFrame, *, label: str, value: str, title: str) -> alt.Chart:
    """Horizontal bars in the frame's order (its ranking), whole labels up to 420 px."""
    order = frame[label].tolist()
    return alt.Chart(frame).mark_bar(cornerRadiusEnd=3, height=14, color=PALETTE[0]).encode(
        y=alt.Y(f"{label}:N", sort=order, title=None,
                axis=alt.Axis(labelLimit=420, labelOverlap=False)),
        x=alt.X(f"{value}:Q", title=title, axis=alt.Axis(tickMinStep=1, format="d")),
        tooltip=[alt.Tooltip(f"{label}:N", title=""), alt.Tooltip(f"{value}:Q", title=title)],
    ).properties(height=max(120, 22 * len(frame) + 50))
