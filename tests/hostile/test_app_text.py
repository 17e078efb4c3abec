"""Point 9 of issue 16 in the app: catalog titles, learner names and notes are shown as text,
never as Markdown (a hostile catalog cannot show links or load remote images)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO

AppTest = pytest.importorskip("streamlit.testing.v1").AppTest

APP = str(REPO / "app.py")
LINK = "[Free certificate](http://evil.example)"
IMAGE = "![pixel](http://evil.example/t.png)"
CATALOG = f"""courses:
  - {{id: A, title: "{LINK} {IMAGE}", hours: 10, cost: 100,
      description: "{LINK}", skills: [{{skill: s, level: 1}}]}}
  - {{id: B, title: "**bold** :red[red] <b>html</b>", hours: 20, prerequisites: A}}
credentials:
  - {{id: X, title: "{LINK}", level: certificate, requires: {{all: [A, B]}},
      description: "{IMAGE}"}}
jobs:
  - {{id: J, title: "{LINK}", skills: [{{skill: s}}]}}
""".encode()


def _sources(at) -> list[str]:
    out = []
    for kind in ("markdown", "caption", "warning", "info", "success", "error"):
        out.extend(str(e.value) for e in getattr(at, kind))
    return out


_LIVE = re.compile(r"(?<!\\)\]\(http|(?<!\\)\*\*bold|:red\[red|(?<!\\)<b>")


def _no_live_markdown(at) -> None:
    """No link, image, emphasis, colour directive or HTML of the catalog's text is left
    unescaped in what the page renders as Markdown."""
    for source in _sources(at):
        assert not _LIVE.search(source), source


@pytest.mark.parametrize("page", ["ui/plan.py", "ui/stacking_map.py", "ui/skills_gap.py",
                                  "ui/overlap.py"])
def test_hostile_titles_are_shown_as_text(page: str) -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.radio(key="catalog_choice").set_value("Upload").run()
    at.file_uploader(key="catalog_upload").set_value(("evil.yaml", CATALOG, "application/x-yaml")).run()
    assert not at.exception, at.exception
    assert at.session_state["_active_catalog"].label == "evil.yaml"
    if page != "ui/plan.py":
        at.switch_page(page).run()
    assert not at.exception, at.exception
    _no_live_markdown(at)
    if page == "ui/plan.py":  # the titles are there, escaped
        assert any("Free certificate" in s for s in _sources(at))
