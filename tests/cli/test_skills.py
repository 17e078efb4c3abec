"""The skills commands: gap, recommend, jobs, skills-from-text and import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pathways.cli import app

from tests.conftest import EXAMPLES, REAL_DATA, SAMPLE

ESCO = REAL_DATA / "esco-1.1.1"
CAT = ["--catalog", str(EXAMPLES / "catalog.yaml")]
PRIYA = ["--learner", str(EXAMPLES / "learner-priya.yaml")]
DQA = "esco:cc7370dd-69fa-4c67-a96f-d4d135d38700"
SQL = "esco:598de5b0-5b58-4ea7-8058-a4bc4d18c742"

runner = CliRunner()


def run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


def test_gap_json_and_table() -> None:
    data = json.loads(run("gap", *PRIYA, *CAT, "--format", "json"))
    assert data["job"] == "esco-occ:d3edb8f8-3a06-47a0-8fb9-9b212c006aa2"
    assert data["readiness"] == pytest.approx(25.42, abs=0.01)
    sql = next(s for s in data["skills"] if s["skill"] == SQL)
    assert (sql["label"], sql["required_level"], sql["held_level"], sql["deficit"],
            sql["importance"]) == ("SQL", 2, 1, 1, 1.0)
    assert data["skills"][0]["deficit"] > 0  # essential gaps first
    out = run("gap", *PRIYA, *CAT)
    assert "readiness 25.4 %" in out and "data quality assessment" in out


def test_recommend_json() -> None:
    data = json.loads(run("recommend", *PRIYA, *CAT, "--format", "json"))
    assert sorted(b["id"] for b in data["bundle"]) == ["UT-DA-101", "UT-PY-1", "UT-SQL-1", "UT-VIZ-1"]
    assert data["total_hours"] == 120 and data["total_cost"] == 2680
    assert data["unclosable"] == [DQA]
    assert {"id", "hours", "cost", "closes", "reason"} <= set(data["bundle"][0])
    assert any(c["id"] == "UT-MC-REPORTING" and c["status"] == "earned" for c in data["credentials"])
    assert data["ranked"][0]["id"] == "UT-VIZ-1" and "score" in data["ranked"][0]


def test_recommend_table_and_modes() -> None:
    out = run("recommend", *PRIYA, *CAT)
    assert "SQL for Analysts raises SQL from level 1 to 2" in out
    assert "not closable: data quality assessment" in out
    assert "120 h" in out
    out = run("recommend", *PRIYA, *CAT, "--prefer-credentials")
    assert "Certificate in Business Intelligence" in out and "30 h more" in out
    data = json.loads(run("recommend", *PRIYA, *CAT, "--optional", "--max-hours", "140",
                          "--format", "json"))
    assert data["total_hours"] == 120 and data["objective"] == "optional"


def test_jobs() -> None:
    data = json.loads(run("jobs", *PRIYA, *CAT, "--format", "json"))
    assert data["jobs"][0]["hours_to_ready"] == 120 and data["jobs"][0]["exact"]
    assert "data analyst" in run("jobs", *PRIYA, *CAT, "--top", "3")


def test_errors_are_one_line_exit_1(tmp_path: Path) -> None:
    out = run("gap", *PRIYA, *CAT, "--job", "nope", code=1)
    assert "not a job of the catalog" in out and "Traceback" not in out
    assert "does not exist" in run("recommend", "--learner", str(tmp_path / "x.yaml"), *CAT, code=1)
    assert "YYYY-MM-DD" in run("gap", *PRIYA, *CAT, "--as-of", "soon", code=1)
    assert "csv" in run("gap", *PRIYA, *CAT, "--format", "csv", code=1)
    assert "readiness or hours" in run("jobs", *PRIYA, *CAT, "--sort", "x", code=1)
    text = tmp_path / "cv.txt"
    text.write_text("I analyse data with SQL.")
    out = run("skills-from-text", str(text), "--esco", str(tmp_path / "no-esco"), code=1)
    assert "ESCO data not found" in out
    assert "unknown source" in run("import", "nope", str(tmp_path), "--out", str(tmp_path / "o.yaml"), code=1)
    assert "not a directory" in run("import", "esco", str(tmp_path / "none"), "--out",
                                    str(tmp_path / "o.yaml"), code=1)


@pytest.mark.skipif(not (SAMPLE / "learners").is_dir(), reason="no sample learners in data/")
@pytest.mark.parametrize("profile", sorted(p.name for p in (SAMPLE / "learners").glob("*.yaml")))
def test_sample_learners(profile: str) -> None:
    data = json.loads(run("recommend", "--learner", str(SAMPLE / "learners" / profile), "--format", "json"))
    assert data["total_hours"] == sum(b["hours"] for b in data["bundle"])
    assert all(b["reason"] for b in data["bundle"])
    assert set(data["unclosable"]) <= {s["skill"] for s in data["unclosable_detail"]}


@pytest.mark.realdata
@pytest.mark.skipif(not ESCO.is_dir(), reason=f"ESCO data not found at {ESCO}")
def test_skills_from_text_on_esco(tmp_path: Path) -> None:
    pytest.importorskip("pathways.skills.text")
    cv = tmp_path / "cv.txt"
    cv.write_text("Data analyst. I write SQL queries, build dashboards and use Python for "
                  "statistical analysis.")
    data = json.loads(run("skills-from-text", str(cv), "--top", "5", "--esco", str(ESCO),
                          "--no-cache", "--format", "json"))
    assert data[0]["file"] == str(cv) and len(data[0]["skills"]) <= 5
    assert {"skill", "label", "score", "evidence"} <= set(data[0]["skills"][0])


class _Fitted:
    fits = 0

    def __init__(self, top_k: int = 20) -> None:
        self.top_k = top_k

    def get_params(self) -> dict[str, int]:
        return {"top_k": self.top_k}

    def set_params(self, **params: int) -> _Fitted:
        self.top_k = params.get("top_k", self.top_k)
        return self

    def fit(self, taxonomy: object) -> _Fitted:
        type(self).fits += 1
        return self

    def predict(self, texts: list[str]) -> list[list[tuple[str, str, float]]]:
        return [[("esco:x", "SQL", 0.5), ("esco:y", "Python", 0.25)][: self.top_k] for _ in texts]

    def extract(self, texts: list[str]) -> list[list[object]]:
        """predict() with evidence: the label where the text names it (as the real one does)."""
        from pathways.skills.jobad import ExtractedSkill

        return [[ExtractedSkill(sid, label, score, label if label in text else "")
                 for sid, label, score in found]
                for text, found in zip(texts, self.predict(texts), strict=True)]


def _fake_esco(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, extractor: type) -> Path:
    """An ESCO folder whose taxonomy is a stand-in, read by ``extractor`` (cache in tmp_path)."""
    text = pytest.importorskip("pathways.skills.text")
    esco = pytest.importorskip("pathways.io.esco")
    monkeypatch.setattr(text, "SkillExtractor", extractor)
    monkeypatch.setattr(esco, "load_esco", lambda path: object())
    monkeypatch.setenv("PATHWAYS_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "esco").mkdir()
    return tmp_path / "esco"


def test_skills_from_text_caches_the_fitted_extractor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_esco(monkeypatch, tmp_path, _Fitted)
    (tmp_path / "esco" / "a.zip").write_bytes(b"zip")
    cv = tmp_path / "cv.txt"
    cv.write_text("SQL and Python")
    args = ("skills-from-text", str(cv), "--esco", str(tmp_path / "esco"), "--format", "json")
    first = json.loads(run(*args, "--top", "1"))
    assert first == [{"file": str(cv), "skills": [{"skill": "esco:x", "label": "SQL", "score": 0.5,
                                                   "evidence": "SQL"}]}]
    assert len(json.loads(run(*args))[0]["skills"]) == 2
    assert _Fitted.fits == 1 and len(list((tmp_path / "cache").glob("extractor-*.pkl"))) == 1
    (tmp_path / "esco" / "a.zip").write_bytes(b"new release")  # new files: refit
    run(*args)
    assert _Fitted.fits == 2


def test_gap_reads_the_cv_with_use_cv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class CvReader(_Fitted):
        def predict(self, texts: list[str]) -> list[list[tuple[str, str, float]]]:
            return [[(SQL, "SQL", 0.5)] for _ in texts]

    _fake_esco(monkeypatch, tmp_path, CvReader)
    me = tmp_path / "me.yaml"
    me.write_text("learner:\n  id: me\n  cv: I write SQL.\n")
    args = ("gap", "--learner", str(me), *CAT, "--job", "esco-occ:d3edb8f8-3a06-47a0-8fb9-9b212c006aa2",
            "--format", "json", "--esco", str(tmp_path / "esco"))
    without = json.loads(run(*args))
    with_cv = json.loads(run(*args, "--use-cv"))
    held = {s["skill"]: s for s in with_cv["skills"]}
    assert held[SQL]["held_level"] == 1 and "read from the CV" in held[SQL]["held_from"]
    assert with_cv["readiness"] > without["readiness"]
    out = run("gap", *PRIYA, *CAT, "--use-cv", "--esco", str(tmp_path / "esco"), code=1)
    assert "has no cv: text" in out


@pytest.mark.realdata
@pytest.mark.skipif(not ESCO.is_dir(), reason=f"ESCO data not found at {ESCO}")
def test_jobs_over_all_esco_and_import(tmp_path: Path) -> None:
    pytest.importorskip("pathways.io.esco")
    data = json.loads(run("jobs", *PRIYA, *CAT, "--all-esco", "--esco", str(ESCO), "--top", "5",
                          "--exact-top", "2", "--format", "json"))
    assert len(data["jobs"]) == 5
    assert [m["exact"] for m in data["jobs"][:2]] == [True, True]
    readiness = [m["readiness"] for m in data["jobs"]]
    assert readiness == sorted(readiness, reverse=True) and readiness[0] > 0
    out = tmp_path / "jobs.yaml"
    assert "wrote 1 jobs" in run("import", "esco", str(ESCO), "--occupation", "data analyst",
                                 "--out", str(out))
    assert "data analyst" in out.read_text()


def test_gap_reads_a_job_ad_with_job_ad(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``gap --job-ad FILE``: the job is every skill the extractor reads in the ad, essential
    at level 1; skills the catalog does not list are shown with the extractor's labels."""
    other = "esco:00000000-0000-0000-0000-000000000001"

    class AdReader(_Fitted):
        def predict(self, texts: list[str]) -> list[list[tuple[str, str, float]]]:
            return [[(SQL, "SQL", 0.9), (other, "a skill no course teaches", 0.4)]
                    for _ in texts]

    _fake_esco(monkeypatch, tmp_path, AdReader)
    ad = tmp_path / "ad.txt"
    ad.write_text("Analyst wanted: SQL every day.")
    args = ("gap", *PRIYA, *CAT, "--job-ad", str(ad), "--esco", str(tmp_path / "esco"))
    data = json.loads(run(*args, "--format", "json"))
    assert data["title"] == "the job ad ad.txt"
    skills = {s["skill"]: s for s in data["skills"]}
    assert set(skills) == {SQL, other}
    assert all(s["essential"] and s["required_level"] == 1 for s in skills.values())
    assert skills[SQL]["label"] == "SQL" and skills[SQL]["deficit"] == 0  # Priya holds SQL at 1
    assert skills[other]["label"] == "a skill no course teaches" and skills[other]["deficit"] == 1
    # each skill with the ad's phrase it was read from ("" when the ad does not name it)
    assert skills[SQL]["evidence"] == "SQL" and skills[other]["evidence"] == ""
    assert data["readiness"] == pytest.approx(50.0)
    table = run(*args)
    assert "a skill no course teaches" in table and "in the ad" in table
    assert "not both" in run(*args, "--job", "x", code=1)
    assert "cannot read" in run("gap", *PRIYA, *CAT, "--job-ad", str(tmp_path / "none.txt"),
                                "--esco", str(tmp_path / "esco"), code=1)
