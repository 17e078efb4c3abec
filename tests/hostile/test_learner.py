"""Point 1 (an uploaded profile never makes the server read a path) and point 9 (completion
dates in the future) of issue 16."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
import yaml

from pathways.domain import Catalog, Course
from pathways.errors import CatalogError
from pathways.io import learner_from_data, load_learner

CATALOG = Catalog(courses={"PY-1": Course("PY-1", "Python Basics", 20)})


def _badge(path: Path) -> Path:
    path.write_text(json.dumps({
        "@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
        "id": "https://example.org/a/1", "issuedOn": "2024-05-01",
        "recipient": {"type": "email", "identity": "a@example.org", "hashed": False},
        "verification": {"type": "hosted"},
        "badge": {"type": "BadgeClass", "id": "https://example.org/b/py", "name": "Python basics"}}))
    return path


def test_an_uploaded_profile_reads_no_badge_path_on_the_server(tmp_path: Path) -> None:
    ui_state = pytest.importorskip("ui.state")
    real = _badge(tmp_path / "real.json")  # a badge that would import if it were read
    fifo = tmp_path / "fifo"
    if hasattr(os, "mkfifo"):
        os.mkfifo(fifo)
    paths = [str(real), "../../../../../../etc/shadow", "/dev/zero", str(fifo)]
    upload = yaml.safe_dump({"learner": {"id": "me", "badges": paths}}).encode()
    profile = ui_state.parse_learner_upload("me.yaml", upload, CATALOG)
    assert profile.completed == ()  # the real badge was not read either
    assert len(profile.notes) == 1 and "not read" in profile.notes[0], profile.notes
    assert "upload" in profile.notes[0]
    assert "shadow" not in profile.notes[0] and "No such file" not in profile.notes[0]


def test_learner_from_data_without_reading_badges(tmp_path: Path) -> None:
    real = _badge(tmp_path / "real.json")
    data = {"learner": {"id": "me", "badges": [str(real)]}}
    read = learner_from_data(data, source=str(tmp_path / "me.yaml"), catalog=CATALOG)
    assert [h.id for h in read.completed] == ["PY-1"]
    unread = learner_from_data(data, source="me.yaml", catalog=CATALOG, read_badges=False)
    assert unread.completed == () and unread.badges == (str(real),)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_the_cli_reads_only_regular_badge_files(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / "me.yaml").write_text("learner:\n  id: me\n  badges: [pipe.json, /dev/zero]\n")
    profile = load_learner(tmp_path / "me.yaml", CATALOG)  # would block on the FIFO before
    assert profile.completed == ()
    assert any("FIFO" in n for n in profile.notes) and any("device" in n for n in profile.notes)


def test_a_completion_date_in_the_future_is_refused(tmp_path: Path) -> None:
    later = dt.date.today() + dt.timedelta(days=30)
    path = tmp_path / "me.yaml"
    path.write_text(f"learner:\n  id: me\n  completed:\n    - course: PY-1\n      date: {later}\n")
    with pytest.raises(CatalogError) as info:
        load_learner(path, CATALOG)
    (d,) = info.value.diagnostics
    assert "in the future" in d.message and d.line == 5 and str(later) in d.message, str(d)


def test_a_completion_today_counts(tmp_path: Path) -> None:
    data = {"learner": {"id": "me", "completed": [{"course": "PY-1", "date": dt.date.today()}]}}
    assert [h.id for h in learner_from_data(data, catalog=CATALOG).completed] == ["PY-1"]


def test_an_expiry_before_the_completion_is_refused() -> None:
    data = {"learner": {"id": "me", "completed": [
        {"course": "PY-1", "date": "2024-05-01", "expires": "2023-01-01"}]}}
    with pytest.raises(CatalogError, match="expires 2023-01-01 before it was completed"):
        learner_from_data(data, catalog=CATALOG)


def test_a_badge_path_with_a_nul_character_is_unreadable(tmp_path: Path) -> None:
    data = {"learner": {"id": "me", "badges": ["a\x00b.json"]}}
    profile = learner_from_data(data, source=str(tmp_path / "me.yaml"), catalog=CATALOG)
    assert profile.completed == () and "not a valid path" in profile.notes[0], profile.notes
