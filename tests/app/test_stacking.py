"""The stacking map's layout (ui/stacking.py): by level, upward edges, no overlaps, readable
text at the scale the frame starts with, and text drawn as text."""

from __future__ import annotations

import re
import sys

import pytest

from pathways.graph import build_graph, relevant_subgraph
from pathways.io import catalog_from_data, load_catalog

from tests.conftest import REPO, SAMPLE

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from ui.stacking import (  # noqa: E402
    FONT_PX,
    NODE_H,
    NODE_W,
    hidden_courses,
    stacking_html,
    stacking_layout,
    stacking_svg,
)


@pytest.fixture(scope="module")
def G():
    return build_graph(load_catalog(SAMPLE))


@pytest.mark.parametrize("target", ["UT-DIP-DATA", "UBCX-MDS-CREDIT", "SEN-CERT-SWD", "AU-CERT-RAI"])
def test_layout_by_level_with_upward_edges_and_no_overlap(G, target: str) -> None:
    nodes = relevant_subgraph(G, target).nodes
    layout = stacking_layout(G, nodes)
    assert set(layout.pos) == {n for n in nodes if G.nodes[n]["kind"] in ("course", "credential")}
    row = {n: r for r, members in enumerate(layout.rows) for n in members}
    for u, v, _ in layout.edges:  # from below to above: a course under what it counts toward,
        assert row[u] < row[v], (u, v)  # a prerequisite under the course that needs it
        assert layout.pos[u][1] > layout.pos[v][1]
    courses = [r for n, r in row.items() if G.nodes[n]["kind"] == "course"]
    credentials = [r for n, r in row.items() if G.nodes[n]["kind"] == "credential"]
    assert max(courses) < min(credentials)  # every course row below every credential row
    boxes = sorted(layout.pos.values())
    for (x1, y1), (x2, y2) in zip(boxes, boxes[1:]):
        assert y1 != y2 or x2 - x1 >= NODE_W  # side by side in a row, never on top
    assert all(0 <= x and x + NODE_W <= layout.width and 0 <= y and y + NODE_H <= layout.height
               for x, y in layout.pos.values())


def test_levels_are_named_and_ordered(G) -> None:
    layout = stacking_layout(G, relevant_subgraph(G, "UT-DIP-DATA").nodes)
    names = [n for n in layout.row_names if n]
    assert names == ["Courses", "Microcredentials", "Certificates", "Diplomas"]


def test_collapsed_map_keeps_the_learners_courses(G) -> None:
    nodes = list(relevant_subgraph(G, "UT-DIP-DATA").nodes)
    status = {"UT-DA-100": "held", "UT-SQL-110": "planned"}
    hidden = hidden_courses(G, nodes, status)
    assert "UT-DA-100" not in hidden and "UT-SQL-110" not in hidden and "SEN-DB-110" in hidden
    layout = stacking_layout(G, nodes, hidden=hidden)
    drawn = {n for n in layout.pos if G.nodes[n]["kind"] == "course"}
    assert drawn == {"UT-DA-100", "UT-SQL-110"}
    assert len(layout.pos) < 20  # the diploma's ~50 nodes fold into a readable map


def test_text_is_escaped_and_readable() -> None:
    cat = catalog_from_data({"courses": [{"id": "A", "title": "<script>alert(1)</script> & co",
                                          "hours": 10}],
                             "credentials": [{"id": "X", "title": "X", "level": "certificate",
                                              "requires": "A"}]}).catalog
    G = build_graph(cat)
    layout = stacking_layout(G, ["A", "X"])
    svg = stacking_svg(G, layout, "X", status={})
    assert "<script>alert" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in svg
    page = stacking_html(svg, focus=(0, 0))
    assert page.count("<script>") == 1  # only the frame's own pan/zoom script
    # the frame never starts below 0.85 of the drawn size: text of at least 11 px
    scale = float(re.search(r"Math.max\(([0-9.]+),", page).group(1))
    assert FONT_PX * scale >= 11
