"""The app's CTDL and badge uploads (issue 19): a CTDL catalog made of several uploaded files,
and badge files applied to the learner, as plain functions and in the running app."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from pathways.domain import LearnerProfile
from pathways.errors import CatalogError
from pathways.io import validate_catalog

from tests.conftest import EXAMPLES, FIXTURES, REPO
from ui.state import parse_badge_uploads, parse_ctdl_upload
from ui.views import md_escape

APP = str(REPO / "app.py")
REGISTRY = FIXTURES / "ctdl" / "registry"
WALLET = FIXTURES / "badges" / "wallet"


def _files(folder):
    return [(p.name, p.read_bytes()) for p in sorted(folder.iterdir())]


def test_ctdl_upload_reads_the_files_together():
    report, notes = parse_ctdl_upload(_files(REGISTRY))
    degree = report.catalog.credentials["ce-7a000000-0000-4000-8000-0000000000d1"]
    assert len(degree.requires.children) == 5  # type: ignore[union-attr]
    assert any("required record(s) not in the input" in n for n in notes)
    with pytest.raises(CatalogError, match="not valid JSON"):
        parse_ctdl_upload([("bad.json", b"{oops")])


def test_badge_uploads_are_applied_to_the_learner():
    catalog = validate_catalog(EXAMPLES / "catalog.yaml").catalog
    files = [(n, (WALLET / n).read_bytes()) for n in (
        "ob3-data-analysis-aligned.json", "ob3-data-analysis-expired.json", "endorsement.json")]
    me, read = parse_badge_uploads(files, LearnerProfile("me"), catalog)
    assert [(h.id, h.date) for h in me.completed] == [("UT-DA-101", dt.date(2025, 6, 15))]
    assert [b.status for b in read.badges] == ["valid", "expired", "skipped"]
    assert any("is held once" in m for m in read.messages)


def test_the_app_imports_uploaded_ctdl_and_badges():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    at.radio(key="catalog_choice").set_value("CTDL").run()
    at.file_uploader(key="ctdl_upload").set_value(
        [(n, d, "application/json") for n, d in _files(REGISTRY)]).run()
    assert not at.exception, at.exception
    captions = " ".join(c.value for c in at.caption)
    assert md_escape("CTDL: ") in captions and "5 courses" in captions  # 4 records + 1 placeholder
    texts = " ".join(t.value for t in at.text)
    assert "required record(s) not in the input" in texts
    at.file_uploader(key="badge_upload").set_value(
        [("did.json", (WALLET / "ob3-registry-ctid.json").read_bytes(), "application/json")]).run()
    assert not at.exception, at.exception
    texts = " ".join(t.value for t in at.text)
    assert "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK" in texts
    assert "-> course STAT-102" in texts
    assert any("1 completed" in c.value for c in at.caption)
