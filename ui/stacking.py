"""The stacking map as an SVG laid out by level, in a frame the user can pan and zoom.

Rows, bottom to top: courses (a course sits above its prerequisites), then microcredentials,
certificates, diplomas and degrees (a credential sits above every credential it requires).
Within a row, nodes are ordered to keep the lines short (a few barycentre sweeps, as layered
graph drawing does), at a fixed size and a fixed 13 px font, so the text stays readable however
large the map is: the frame starts at a readable scale around the chosen credential, and the
user zooms (wheel or buttons) and pans (drag) to see the rest.

Courses that are not on the learner's plan or record can be left out ("collapsed"): each
credential then says how many of its courses are not shown.

Display only: the library decides what counts toward what (the catalog graph); this module
decides where to draw it. Every text is XML-escaped.
"""

from __future__ import annotations

import html
import json
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx

from ui.charts import LEGEND_LABELS, MAP_COLOURS

__all__ = ["FONT_PX", "NODE_H", "NODE_W", "Layout", "hidden_courses", "stacking_html", "stacking_layout",
           "stacking_svg"]

NODE_W, NODE_H = 192, 64
GAP_X, GAP_Y = 22, 44
MARGIN_X, MARGIN_Y = 130, 24  # room on the left for the row names
FONT_PX = 13
#: Credential levels, lowest row first; other levels go with the microcredentials.
LEVEL_ROWS = {"microcredential": 0, "certificate": 1, "diploma": 2, "degree": 3}
ROW_NAMES = {0: "Microcredentials", 1: "Certificates", 2: "Diplomas", 3: "Degrees"}


@dataclass(frozen=True)
class Layout:
    """Where each node is drawn: ``pos`` node -> (x, y) of its top-left corner, ``rows`` the
    nodes of each row (bottom row first) and each row's name."""

    pos: Mapping[str, tuple[float, float]]
    rows: tuple[tuple[str, ...], ...]
    row_names: tuple[str, ...]
    width: float
    height: float
    edges: tuple[tuple[str, str, str], ...] = field(default=())  # (u, v, style)


def hidden_courses(G: nx.DiGraph, nodes: Iterable[str], status: Mapping[str, str]) -> set[str]:
    """The courses of ``nodes`` the learner neither holds nor plans (drawn only when the map is
    expanded)."""
    return {n for n in nodes if G.nodes[n].get("kind") == "course"
            and status.get(n, "lacking") == "lacking"}


def _course_rows(G: nx.DiGraph, courses: Sequence[str]) -> dict[str, int]:
    """Prerequisite depth among the drawn courses: 0 for a course with none drawn."""
    shown = set(courses)
    sub = nx.DiGraph()
    sub.add_nodes_from(courses)
    sub.add_edges_from((u, v) for u, v, k in G.edges(courses, data="kind")
                       if k == "prerequisite" and v in shown)
    depth: dict[str, int] = {}
    for n in nx.topological_sort(sub):
        depth[n] = max((depth[p] + 1 for p in sub.predecessors(n)), default=0)
    return depth


def _credential_rows(G: nx.DiGraph, credentials: Sequence[str]) -> dict[str, int]:
    """Row by level, raised above every drawn credential it requires."""
    shown = set(credentials)
    sub = nx.DiGraph()
    sub.add_nodes_from(credentials)
    sub.add_edges_from((u, v) for u, v, k in G.edges(credentials, data="kind")
                       if k == "counts_toward" and v in shown)
    row: dict[str, int] = {}
    for n in nx.topological_sort(sub):
        base = LEVEL_ROWS.get(str(G.nodes[n].get("level", "")), 0)
        row[n] = max([base] + [row[p] + 1 for p in sub.predecessors(n)])
    return row


def stacking_layout(G: nx.DiGraph, nodes: Iterable[str], *, hidden: Iterable[str] = (),
                    sweeps: int = 4) -> Layout:
    """Lay out the courses and credentials of ``nodes`` (minus ``hidden``) by level."""
    skip = set(hidden)
    shown = list(dict.fromkeys(n for n in nodes if n not in skip
                               and G.nodes[n].get("kind") in ("course", "credential")))
    courses = [n for n in shown if G.nodes[n]["kind"] == "course"]
    creds = [n for n in shown if G.nodes[n]["kind"] == "credential"]
    crow = _course_rows(G, courses)
    depth = max(crow.values(), default=-1) + 1
    krow = _credential_rows(G, creds)
    levels = sorted(set(krow.values()))
    row_of = {n: r for n, r in crow.items()}
    row_of.update({n: depth + levels.index(r) for n, r in krow.items()})
    count = depth + len(levels)
    names = ["Courses" if r == 0 else "" for r in range(depth)]
    names += [ROW_NAMES.get(lv, "Credentials") for lv in levels]
    members = set(shown)
    edges = []
    for u, v, k in G.edges(shown, data="kind"):
        if v not in members:
            continue
        if k == "counts_toward":
            edges.append((u, v, "counts"))
        elif k == "prerequisite":
            edges.append((u, v, "option" if G.edges[u, v].get("alternative") else "prereq"))
    rows: list[list[str]] = [sorted(n for n in shown if row_of[n] == r) for r in range(count)]
    below: dict[str, list[str]] = {n: [] for n in shown}
    above: dict[str, list[str]] = {n: [] for n in shown}
    for u, v, _ in edges:
        below[v].append(u)
        above[u].append(v)

    def place(row: list[str]) -> dict[str, float]:
        return {n: i - (len(row) - 1) / 2 for i, n in enumerate(row)}

    x = {}
    for row in rows:
        x.update(place(row))
    for _ in range(sweeps):  # barycentre ordering, upward then downward
        for seq, links in ((range(1, count), below), (range(count - 2, -1, -1), above)):
            for r in seq:
                key = {n: (sum(x[m] for m in links[n]) / len(links[n]) if links[n] else x[n])
                       for n in rows[r]}
                rows[r].sort(key=lambda n: (key[n], n))
                x.update(place(rows[r]))
    widest = max((len(r) for r in rows), default=1)
    width = 2 * MARGIN_X + widest * NODE_W + (widest - 1) * GAP_X
    height = 2 * MARGIN_Y + count * NODE_H + max(count - 1, 0) * GAP_Y
    pos = {}
    for r, row in enumerate(rows):
        top = height - MARGIN_Y - NODE_H - r * (NODE_H + GAP_Y)
        span = len(row) * NODE_W + (len(row) - 1) * GAP_X
        left = (width - span) / 2
        for i, n in enumerate(row):
            pos[n] = (left + i * (NODE_W + GAP_X), top)
    return Layout(pos, tuple(tuple(r) for r in rows), tuple(names), width, height,
                  tuple(sorted(edges)))


def _lines(text: str, width: int, limit: int) -> list[str]:
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > limit:
        lines = lines[:limit]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


def stacking_svg(G: nx.DiGraph, layout: Layout, target: str, *, status: Mapping[str, str],
                 not_shown: Mapping[str, int] | None = None) -> str:
    """The map as SVG text: a rounded box per node coloured by ``status`` (a key of
    :data:`ui.charts.MAP_COLOURS`; courses default to ``lacking``, credentials to
    ``credential``), ``target`` with a heavy border, ``not_shown`` credential -> the number of
    its courses left out; every box has a tooltip."""
    esc = html.escape
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{layout.width:.0f}" '
           f'height="{layout.height:.0f}" viewBox="0 0 {layout.width:.0f} {layout.height:.0f}" '
           f'font-family="Helvetica, Arial, sans-serif" font-size="{FONT_PX}">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
           'fill="#8a969e"/></marker><marker id="arrow-pre" viewBox="0 0 10 10" refX="9" '
           'refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
           '<path d="M 0 0 L 10 5 L 0 10 z" fill="#b0513a"/></marker></defs>']
    # row names and bands
    for r, name in enumerate(layout.row_names):
        if not name:
            continue
        y = layout.height - MARGIN_Y - NODE_H - r * (NODE_H + GAP_Y) + NODE_H / 2
        out.append(f'<text x="12" y="{y:.0f}" font-size="13" font-weight="bold" '
                   f'fill="#6b7780" dominant-baseline="middle">{esc(name)}</text>')
    for u, v, style in layout.edges:
        (ux, uy), (vx, vy) = layout.pos[u], layout.pos[v]
        x1, y1 = ux + NODE_W / 2, uy
        x2, y2 = vx + NODE_W / 2, vy + NODE_H
        mid = (y1 + y2) / 2
        if style == "counts":
            look = 'stroke="#8a969e" marker-end="url(#arrow)"'
        else:
            dash = "2 3" if style == "option" else "6 4"
            look = f'stroke="#b0513a" stroke-dasharray="{dash}" marker-end="url(#arrow-pre)"'
        out.append(f'<path class="edge" data-from="{esc(u)}" data-to="{esc(v)}" '
                   f'd="M {x1:.1f} {y1:.1f} C {x1:.1f} {mid:.1f}, {x2:.1f} {mid:.1f}, '
                   f'{x2:.1f} {y2:.1f}" fill="none" stroke-width="1.3" {look}/>')
    not_shown = not_shown or {}
    for n, (x, y) in layout.pos.items():
        data = G.nodes[n]
        kind = data["kind"]
        state = status.get(n, "lacking" if kind == "course" else "credential")
        fill, border, font = MAP_COLOURS[state]
        width = 3.2 if n == target else (1.8 if kind == "credential" else 1.2)
        title = str(data.get("title", n))
        if kind == "course":
            extra = f"{data.get('hours', 0):g} h"
        else:
            extra = f"{data.get('level', '')}"
            if not_shown.get(n):
                k = not_shown[n]
                extra = f"+{k} course{'s' if k != 1 else ''} not shown"
        tip = f"{n}: {title} ({LEGEND_LABELS.get(state, state)})"
        out.append(f'<g class="node" data-id="{esc(n)}" data-status="{esc(state)}">'
                   f'<title>{esc(tip)}</title>'
                   f'<rect x="{x:.1f}" y="{y:.1f}" width="{NODE_W}" height="{NODE_H}" rx="7" '
                   f'fill="{fill}" stroke="{border}" stroke-width="{width}"/>')
        lines = [(n, "bold")] + [(t, "normal") for t in _lines(title, 26, 2)] + [(extra, "small")]
        top = y + (NODE_H - 15 * len(lines)) / 2 + 11.5
        for i, (text, weight) in enumerate(lines):
            size = f' font-size="{FONT_PX - 1}" fill-opacity="0.8"' if weight == "small" else ""
            bold = ' font-weight="bold"' if weight == "bold" else ""
            out.append(f'<text x="{x + NODE_W / 2:.1f}" y="{top + 15 * i:.1f}" '
                       f'text-anchor="middle" fill="{font}"{bold}{size}>{esc(text)}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def stacking_html(svg: str, *, focus: tuple[float, float] | None = None, height: int = 640,
                  min_scale: float = 0.85) -> str:
    """A self-contained page (no external script) showing ``svg`` in a frame with zoom buttons,
    wheel zoom and drag to pan. It starts with the whole map when that keeps the scale at
    ``min_scale`` or more (the text at ``min_scale * FONT_PX`` pixels or larger), else at the
    largest such scale centred on ``focus`` (a point of the SVG, e.g. the chosen credential)."""
    focus_js = json.dumps(list(focus) if focus else None)
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
html,body{{margin:0;height:100%;font-family:Helvetica,Arial,sans-serif}}
#frame{{position:relative;width:100%;height:{height}px;overflow:hidden;border:1px solid #d5dbe0;
border-radius:8px;background:#fbfcfd;cursor:grab;touch-action:none}}
#frame.drag{{cursor:grabbing}}
#stage{{position:absolute;left:0;top:0;transform-origin:0 0}}
#tools{{position:absolute;right:10px;top:10px;display:flex;gap:6px;z-index:2}}
#tools button{{font-size:15px;min-width:34px;height:32px;border:1px solid #c5ced6;
border-radius:6px;background:#fff;cursor:pointer;color:#1b2a33}}
#hint{{position:absolute;left:12px;bottom:8px;font-size:12px;color:#6b7780;z-index:2;
background:rgba(251,252,253,.85);padding:2px 6px;border-radius:4px}}
</style></head><body><div id="frame"><div id="tools">
<button id="zin" title="Zoom in">+</button><button id="zout" title="Zoom out">−</button>
<button id="fit" title="Fit the whole map">Fit</button>
<button id="reset" title="Readable size, centred on the credential">Reset</button></div>
<div id="stage">{svg}</div><div id="hint">Scroll to zoom · drag to pan</div></div>
<script>
(function(){{
const frame=document.getElementById('frame'),stage=document.getElementById('stage');
const svg=stage.querySelector('svg');const W=+svg.getAttribute('width'),H=+svg.getAttribute('height');
const focus={focus_js};let s=1,tx=0,ty=0;
function apply(){{stage.style.transform=`translate(${{tx}}px,${{ty}}px) scale(${{s}})`;}}
function fit(){{const fw=frame.clientWidth,fh=frame.clientHeight;s=Math.min(fw/W,fh/H,1.2);
tx=(fw-W*s)/2;ty=(fh-H*s)/2;apply();}}
function reset(){{const fw=frame.clientWidth,fh=frame.clientHeight;
const fx=focus?focus[0]:W/2,fy=focus?focus[1]:H/2;const whole=Math.min(1,fw/W,fh/H);
s=whole>={min_scale}?whole:Math.max({min_scale},Math.min(1,fw/W));
tx=W*s<=fw?(fw-W*s)/2:Math.min(10,Math.max(fw-W*s-10,fw/2-fx*s));
ty=H*s<=fh?(fh-H*s)/2:Math.min(10,Math.max(fh-H*s-10,fh/2-fy*s));apply();}}
function zoom(f,cx,cy){{const ns=Math.max(0.2,Math.min(3,s*f));cx=cx??frame.clientWidth/2;
cy=cy??frame.clientHeight/2;tx=cx-(cx-tx)*ns/s;ty=cy-(cy-ty)*ns/s;s=ns;apply();}}
frame.addEventListener('wheel',e=>{{e.preventDefault();const r=frame.getBoundingClientRect();
zoom(Math.exp(-e.deltaY*0.0015),e.clientX-r.left,e.clientY-r.top);}},{{passive:false}});
let drag=null;frame.addEventListener('pointerdown',e=>{{if(e.target.closest('button'))return;
drag=[e.clientX-tx,e.clientY-ty];frame.classList.add('drag');frame.setPointerCapture(e.pointerId);}});
frame.addEventListener('pointermove',e=>{{if(!drag)return;tx=e.clientX-drag[0];ty=e.clientY-drag[1];apply();}});
frame.addEventListener('pointerup',()=>{{drag=null;frame.classList.remove('drag');}});
document.getElementById('zin').onclick=()=>zoom(1.25);
document.getElementById('zout').onclick=()=>zoom(0.8);
document.getElementById('fit').onclick=fit;document.getElementById('reset').onclick=reset;
reset();
}})();
</script></body></html>"""
