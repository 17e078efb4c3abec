"""Taxonomy model, ESCO and O*NET readers, the taxonomy cache and the jobs import."""

from __future__ import annotations

import gzip
import io
import pickle
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import pathways.io.esco as esco_mod
from pathways.domain import Job, JobSkill, Skill
from pathways.errors import CatalogError
from pathways.io.esco import (
    CLASSIFICATION_ZIP,
    RELATIONS_ZIP,
    import_jobs,
    jobs_to_catalog_dict,
    load_esco,
    write_jobs_yaml,
)
from pathways.io.onet import load_onet, map_importance, map_level, tech_skill_id
from pathways.taxonomy import Taxonomy, short_id

from tests.conftest import REAL_DATA

ESCO_DIR = REAL_DATA / "esco-1.1.1"
ONET_DIR = REAL_DATA / "onet-29.2"

PYTHON = "esco:ccd0a1d9-afda-43d9-b901-96344886e14d"
SQL = "esco:598de5b0-5b58-4ea7-8058-a4bc4d18c742"
QUERY_LANGUAGES = "esco:9cf681c7-89ec-470c-b651-7fe03786f586"
DATA_ANALYST = "esco-occ:d3edb8f8-3a06-47a0-8fb9-9b212c006aa2"


# =========================================================================== tiny taxonomy
@pytest.fixture
def tiny() -> Taxonomy:
    skills = {
        "s:py": Skill("s:py", "Python (computer programming)", ("Python", "py3")),
        "s:prog": Skill("s:prog", "computer programming", ("coding",)),
        "s:snake": Skill("s:snake", "handle snakes", ("python",)),
    }
    jobs = {
        "j:dev": Job("j:dev", "software developer",
                     (JobSkill("s:py"), JobSkill("s:prog", 0.5, False)), "Writes code."),
        "j:keeper": Job("j:keeper", "zookeeper", (JobSkill("s:snake"),), "Keeps animals."),
    }
    return Taxonomy(skills, jobs, broader={"s:py": ("s:prog", "g:ict")},
                    groups={"g:ict": Skill("g:ict", "ICT")},
                    job_alt_titles={"j:dev": ("programmer",)}, job_groups={"j:dev": "2512"},
                    skipped={"relation with unknown occupation": 2}, source="test")


def test_short_id() -> None:
    assert short_id("http://data.europa.eu/esco/skill/abc") == "esco:abc"
    assert short_id("http://data.europa.eu/esco/occupation/abc") == "esco-occ:abc"
    assert short_id("http://data.europa.eu/esco/isced-f/06") == "esco-isced-f:06"
    assert short_id("onet:2.A.1.a") == "onet:2.A.1.a"


def test_find_skills_is_exact_case_insensitive_preferred_first(tiny: Taxonomy) -> None:
    assert [s.id for s in tiny.find_skills("PYTHON")] == ["s:py", "s:snake"]
    assert [s.id for s in tiny.find_skills(" computer programming ")] == ["s:prog"]
    assert tiny.find_skills("programming") == []  # exact labels only, no substrings


def test_hierarchy_and_groups(tiny: Taxonomy) -> None:
    assert tiny.broader("s:py") == ("s:prog", "g:ict")
    assert tiny.broader("s:py", groups=False) == ("s:prog",)
    assert tiny.narrower("s:prog") == ("s:py",)
    assert tiny.narrower("g:ict") == ("s:py",)
    assert tiny.broader("s:snake") == () and tiny.narrower("s:snake") == ()
    assert tiny.skill("g:ict").label == "ICT"
    with pytest.raises(KeyError, match="no skill"):
        tiny.skill("nope")


def test_jobs_lookup(tiny: Taxonomy) -> None:
    assert [j.id for j in tiny.find_jobs("DEVELOPER")] == ["j:dev"]
    assert [j.id for j in tiny.find_jobs("programmer")] == ["j:dev"]  # alt title
    assert tiny.find_jobs("programmer", alt_titles=False) == []
    assert tiny.job("j:dev").title == "software developer"
    assert tiny.job_group("j:dev") == "2512" and tiny.job_group("j:keeper") == ""
    with pytest.raises(KeyError, match="no occupation"):
        tiny.job("j:none")
    assert tiny.relation_counts() == {"essential": 2, "optional": 1}
    assert list(tiny.skills_of(["j:dev"])) == ["s:py", "s:prog"]


def test_mappings_are_read_only(tiny: Taxonomy) -> None:
    with pytest.raises(TypeError):
        tiny.skills["x"] = Skill("x", "x")  # type: ignore[index]
    with pytest.raises(TypeError):
        tiny.skipped["x"] = 1  # type: ignore[index]


def test_pickle_round_trip(tiny: Taxonomy) -> None:
    tiny.find_skills("python")  # build the lazy index first: it must not be pickled
    copy = pickle.loads(pickle.dumps(tiny))
    assert dict(copy.skills) == dict(tiny.skills)
    assert dict(copy.jobs) == dict(tiny.jobs)
    assert dict(copy.groups) == dict(tiny.groups)
    assert copy.broader("s:py") == tiny.broader("s:py")
    assert dict(copy.skipped) == dict(tiny.skipped)
    assert [s.id for s in copy.find_skills("python")] == ["s:py", "s:snake"]
    assert copy._index is not None


# =========================================================================== synthetic ESCO
S = "http://data.europa.eu/esco/skill/"
O = "http://data.europa.eu/esco/occupation/"


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    import csv

    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def write_esco(root: Path, *, python_label: str = "Python (computer programming)") -> Path:
    """Two zips in the ESCO v1.1.1 layout with a few concepts and the known data quirks."""
    root.mkdir(parents=True, exist_ok=True)
    skills = [
        ["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels",
         "hiddenLabels", "status", "modifiedDate", "scopeNote", "definition", "inScheme",
         "description"],
        ["KnowledgeSkillCompetence", S + "py", "knowledge", "sector-specific", python_label,
         "Python\nPython3", "", "released", "", "", "", "", "Programming in Python."],
        ["KnowledgeSkillCompetence", S + "sql", "knowledge", "cross-sector", "SQL",
         "SEQUEL", "", "released", "", "", "", "", "A query language, with a comma, here."],
        ["KnowledgeSkillCompetence", S + "ql", "knowledge", "cross-sector", "query languages",
         "", "", "released", "", "", "", "", "Languages to query databases."],
        ["KnowledgeSkillCompetence", S + "cloud", "", "", "implement cloud security", "",
         "", "released", "", "", "", "", "Secure clouds."],
    ]
    occupations = [
        ["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels",
         "hiddenLabels", "status", "modifiedDate", "regulatedProfessionNote", "scopeNote",
         "definition", "inScheme", "description", "code"],
        ["Occupation", O + "analyst", "2511", "data analyst", "data analysis specialist", "",
         "released", "", "", "", "", "", "Data analysts import and analyse data.", "2511.4"],
        ["Occupation", O + "dev", "2512", "software developer", "programmer", "",
         "released", "", "", "", "", "", "Software developers write programs.", "2512.4"],
    ]
    relations = [
        ["occupationUri", "relationType", "skillType", "skillUri"],
        [O + "analyst", "essential", "knowledge", S + "sql"],
        [O + "analyst", "optional", "knowledge", S + "py"],
        [O + "dev", "essential", "knowledge", S + "py"],
        [O + "dev", "optional", "", S + "cloud"],  # empty skillType: skipped
        [O + "missing", "essential", "knowledge", S + "py"],  # unknown occupation: skipped
    ]
    broader = [
        ["conceptType", "conceptUri", "broaderType", "broaderUri"],
        ["KnowledgeSkillCompetence", S + "sql", "KnowledgeSkillCompetence", S + "ql"],
        ["KnowledgeSkillCompetence", S + "ql", "SkillGroup", S + "grp"],
        ["SkillGroup", S + "grp", "SkillGroup", S + "nowhere"],  # unknown concept: skipped
    ]
    groups = [
        ["conceptType", "conceptUri", "preferredLabel", "altLabels", "hiddenLabels", "status",
         "modifiedDate", "scopeNote", "inScheme", "description", "code"],
        ["SkillGroup", S + "grp", "computer use", "", "", "released", "", "", "", "", "S5"],
    ]
    with zipfile.ZipFile(root / CLASSIFICATION_ZIP, "w") as z:
        z.writestr("skills_en.csv", _csv(skills))
        z.writestr("occupations_en.csv", _csv(occupations))
        z.writestr("skillGroups_en.csv", _csv(groups))
    with zipfile.ZipFile(root / RELATIONS_ZIP, "w") as z:
        z.writestr("occupationSkillRelations.csv", _csv(relations))
        z.writestr("broaderRelationsSkillPillar.csv", _csv(broader))
    return root


def test_load_synthetic_esco(tmp_path: Path) -> None:
    tax = load_esco(write_esco(tmp_path / "esco"), cache=False)
    assert len(tax.skills) == 4 and len(tax.jobs) == 2
    assert dict(tax.skipped) == {"relation with unknown occupation": 1,
                                 "relation with empty skillType": 1,
                                 "broader relation with unknown concept": 1}
    py = tax.skill("esco:py")
    assert py.alt_labels == ("Python", "Python3") and py.description == "Programming in Python."
    assert tax.skill_types["esco:py"] == "knowledge" and tax.skill_types["esco:cloud"] == ""
    assert tax.reuse_levels["esco:sql"] == "cross-sector"
    analyst = tax.job("esco-occ:analyst")
    assert analyst.skills == (JobSkill("esco:sql", 1.0, True, 1),
                              JobSkill("esco:py", 0.5, False, 1))
    assert tax.job_group("esco-occ:analyst") == "2511"
    assert tax.job_alt_titles["esco-occ:dev"] == ("programmer",)
    assert tax.broader("esco:sql") == ("esco:ql",)
    assert tax.broader("esco:ql") == ("esco:grp",)
    assert tax.skill("esco:grp").label == "computer use"
    assert tax.narrower("esco:ql") == ("esco:sql",)
    assert tax.relation_counts() == {"essential": 2, "optional": 1}
    assert tax.source == "ESCO v1.1.1"


def test_cache_hit_skips_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_esco(tmp_path / "esco")
    cache = tmp_path / "cache"
    first = load_esco(root, cache_dir=cache)
    files = list(cache.glob("esco-*.pickle"))
    assert len(files) == 1
    mtime = files[0].stat().st_mtime_ns

    def boom(*args: object) -> Taxonomy:
        raise AssertionError("the cache should have been used")

    monkeypatch.setattr(esco_mod, "_build_esco", boom)
    second = load_esco(root, cache_dir=cache)
    assert dict(second.jobs) == dict(first.jobs) and dict(second.skills) == dict(first.skills)
    assert files[0].stat().st_mtime_ns == mtime  # not rewritten
    assert not list(cache.glob("*.tmp"))  # atomic write left nothing behind


def test_cache_invalidated_when_a_file_changes(tmp_path: Path) -> None:
    root = write_esco(tmp_path / "esco")
    cache = tmp_path / "cache"
    assert load_esco(root, cache_dir=cache).skill("esco:py").label.startswith("Python")
    # same size and timestamp tricks cannot fool a content hash: rewrite with a new label
    write_esco(root, python_label="Python (programming language)")
    again = load_esco(root, cache_dir=cache)
    assert again.skill("esco:py").label == "Python (programming language)"
    assert len(list(cache.glob("esco-*.pickle"))) == 2


def test_cache_env_var_disabled_and_corrupt(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_esco(tmp_path / "esco")
    env_cache = tmp_path / "env-cache"
    monkeypatch.setenv("PATHWAYS_CACHE_DIR", str(env_cache))
    load_esco(root, cache=False)
    assert not env_cache.exists()
    load_esco(root)
    (path,) = env_cache.glob("esco-*.pickle")
    path.write_bytes(b"not a pickle")
    assert len(load_esco(root).skills) == 4  # corrupt cache ignored, rebuilt
    assert pickle.loads(path.read_bytes())["taxonomy"].source == "ESCO v1.1.1"


def test_missing_esco_files_raise_catalog_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="does not exist"):
        load_esco(tmp_path / "nowhere", cache=False)
    (tmp_path / "empty").mkdir()
    with pytest.raises(CatalogError, match=CLASSIFICATION_ZIP) as err:
        load_esco(tmp_path / "empty", cache=False)
    assert "download" in str(err.value)
    root = write_esco(tmp_path / "esco")
    with zipfile.ZipFile(root / RELATIONS_ZIP, "w") as z:
        z.writestr("other.csv", "a,b\n")
    with pytest.raises(CatalogError, match="occupationSkillRelations.csv"):
        load_esco(root, cache=False)


# =========================================================================== jobs import
def test_jobs_to_catalog_dict() -> None:
    skills = {"a": Skill("a", "A", ("alpha",), "the letter"), "b": Skill("b", "B")}
    jobs = [Job("j", "J", (JobSkill("a"), JobSkill("b", 0.5, False, 2),
                           JobSkill("c", 0.3, False, 3)), "desc")]
    doc = jobs_to_catalog_dict(jobs, skills)
    assert doc == {
        "format": "pathways/1",
        "skills": [{"id": "a", "label": "A", "alt_labels": ["alpha"], "description": "the letter"},
                   {"id": "b", "label": "B"}],
        "jobs": [{"id": "j", "title": "J", "description": "desc", "skills": [
            {"skill": "a", "importance": "essential", "level": 1},
            {"skill": "b", "importance": "optional", "level": 2},
            {"skill": "c", "importance": 0.3, "level": 3}]}],
    }


def test_import_jobs_writes_a_loadable_catalog(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from pathways.io import load_catalog

    root = write_esco(tmp_path / "esco")
    out = tmp_path / "out" / "jobs.yaml"
    monkeypatch.setenv("PATHWAYS_CACHE_DIR", str(tmp_path / "cache"))
    n = import_jobs("esco", root, ["ANALYST", "esco-occ:dev", "data"], out)
    assert n == 2  # "data" matches the analyst again: no duplicates
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Jobs imported from ESCO v1.1.1")
    assert "This service uses the ESCO classification of the European Commission." in text
    doc = yaml.safe_load(text)
    assert [j["id"] for j in doc["jobs"]] == ["esco-occ:analyst", "esco-occ:dev"]
    assert {s["id"] for s in doc["skills"]} == {"esco:sql", "esco:py"}
    catalog = load_catalog(out)
    assert catalog.jobs["esco-occ:analyst"].skills[0] == JobSkill("esco:sql", 1.0, True, 1)
    assert catalog.jobs["esco-occ:analyst"].skills[1] == JobSkill("esco:py", 0.5, False, 1)
    assert catalog.skills["esco:py"].alt_labels == ("Python", "Python3")
    assert not list(out.parent.glob("*.tmp"))


def test_import_jobs_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATHWAYS_CACHE_DIR", str(tmp_path / "cache"))
    root = write_esco(tmp_path / "esco")
    out = tmp_path / "jobs.yaml"
    with pytest.raises(CatalogError, match="'astronaut' matches no occupation"):
        import_jobs("esco", root, ["astronaut"], out)
    with pytest.raises(CatalogError) as err:
        import_jobs("esco", root, ["software tester"], out)
    assert "software developer" in str(err.value)  # the hint lists titles with these words
    assert not out.exists()
    with pytest.raises(CatalogError, match="unknown taxonomy source"):
        import_jobs("isco", root, None, out)  # type: ignore[arg-type]
    with pytest.raises(CatalogError, match="Occupation Data.txt"):
        import_jobs("onet", root, None, out)


def test_write_all_jobs(tmp_path: Path, tiny: Taxonomy) -> None:
    out = tmp_path / "all.yaml"
    assert write_jobs_yaml(tiny, None, out) == 2
    assert len(yaml.safe_load(out.read_text())["jobs"]) == 2


# =========================================================================== O*NET
def _tsv(rows: list[list[str]]) -> str:
    return "\n".join("\t".join(r) for r in rows) + "\n"


RATING_HEADER = ["O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value", "N",
                 "Standard Error", "Lower CI Bound", "Upper CI Bound", "Recommend Suppress",
                 "Not Relevant", "Date", "Domain Source"]


def _rating(code: str, eid: str, name: str, scale: str, value: str, not_relevant: str
            ) -> list[str]:
    return [code, eid, name, scale, value, "8", "0.1", "0", "0", "N", not_relevant,
            "08/2023", "Analyst"]


def write_onet(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "Occupation Data.txt").write_text(_tsv([
        ["O*NET-SOC Code", "Title", "Description"],
        ["15-2051.00", "Data Scientists", "Develop and implement methods to analyze data."],
        ["15-1252.00", "Software Developers", "Research, design, and develop software."],
        ["15-1299.00", "Computer Occupations, All Other", "All others."],
    ]), encoding="utf-8")
    (root / "Skills.txt").write_text(_tsv([
        RATING_HEADER,
        _rating("15-2051.00", "2.A.1.a", "Reading Comprehension", "IM", "4.12", "n/a"),
        _rating("15-2051.00", "2.A.1.a", "Reading Comprehension", "LV", "4.62", "N"),
        _rating("15-2051.00", "2.A.1.b", "Active Listening", "IM", "1.00", "n/a"),
        _rating("15-2051.00", "2.A.1.b", "Active Listening", "LV", "0.00", "Y"),
    ]), encoding="utf-8")
    with gzip.open(root / "Knowledge.txt.gz", "wt", encoding="utf-8") as fh:
        fh.write(_tsv([
            RATING_HEADER,
            _rating("15-2051.00", "2.C.4.a", "Mathematics", "IM", "3.00", "n/a"),
            _rating("15-2051.00", "2.C.4.a", "Mathematics", "LV", "1.75", "N"),
        ]))
    (root / "Technology Skills.txt").write_text(_tsv([
        ["O*NET-SOC Code", "Example", "Commodity Code", "Commodity Title", "Hot Technology",
         "In Demand"],
        ["15-2051.00", "Python", "43232405", "Object or component oriented development software",
         "Y", "Y"],
        ["15-1252.00", "Python", "43232405", "Object or component oriented development software",
         "Y", "N"],
        ["15-1252.00", "Emacs", "43232402", "Development environment software", "N", "N"],
    ]), encoding="utf-8")
    return root


def test_load_synthetic_onet(tmp_path: Path) -> None:
    tax = load_onet(write_onet(tmp_path / "onet"), cache=False)
    assert set(tax.jobs) == {"onet:15-2051.00", "onet:15-1252.00"}
    assert dict(tax.skipped) == {"skill rated not relevant": 1,
                                 "occupation without skill, knowledge or technology data": 1}
    ds = {r.skill: r for r in tax.job("onet:15-2051.00").skills}
    assert ds["onet:2.A.1.a"] == JobSkill("onet:2.A.1.a", 0.78, True, 3)
    assert ds["onet:2.C.4.a"] == JobSkill("onet:2.C.4.a", 0.5, False, 1)
    assert ds["onet-tech:python"] == JobSkill("onet-tech:python", 0.75, True, 1)
    assert "onet:2.A.1.b" not in ds
    dev = {r.skill: r for r in tax.job("onet:15-1252.00").skills}
    assert dev == {"onet-tech:python": JobSkill("onet-tech:python", 0.5, False, 1),
                   "onet-tech:emacs": JobSkill("onet-tech:emacs", 0.25, False, 1)}
    assert tax.skill_flags["onet-tech:python"] == {"hot_technology"}
    assert tax.job_skill_flags[("onet:15-2051.00", "onet-tech:python")] == {"in_demand"}
    assert ("onet:15-1252.00", "onet-tech:python") not in tax.job_skill_flags
    assert tax.skill_types["onet:2.C.4.a"] == "knowledge"
    assert tax.skill("onet-tech:emacs").description == "Development environment software"
    assert tax.job_group("onet:15-2051.00") == "15-2051"
    assert tax.source == "O*NET"  # no Read Me.txt


def test_onet_missing_files(tmp_path: Path) -> None:
    root = write_onet(tmp_path / "onet")
    (root / "Skills.txt").unlink()
    with pytest.raises(CatalogError, match=r"Skills.txt \(or Skills.txt.gz\) not found"):
        load_onet(root, cache=False)


@given(st.floats(1.0, 5.0), st.floats(1.0, 5.0))
def test_map_importance_range_and_order(a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    assert 0.05 <= map_importance(lo) <= map_importance(hi) <= 1.0


@given(st.floats(0.0, 7.0), st.floats(0.0, 7.0))
def test_map_level_range_and_order(a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    assert 1 <= map_level(lo) <= map_level(hi) <= 4


def test_tech_skill_id() -> None:
    assert tech_skill_id("Oracle PL/SQL") == "onet-tech:oracle-pl-sql"
    assert tech_skill_id("C#") == "onet-tech:c#"


# =========================================================================== real data
def _need(path: Path) -> Path:
    if not path.is_dir():
        pytest.skip(f"real data not found at {path}")
    return path


@pytest.fixture(scope="module")
def esco() -> Taxonomy:
    return load_esco(_need(ESCO_DIR))  # default cache: only the first run pays the import


@pytest.fixture(scope="module")
def onet() -> Taxonomy:
    return load_onet(_need(ONET_DIR))


@pytest.mark.realdata
def test_esco_counts(esco: Taxonomy) -> None:
    assert len(esco.skills) == 13_896
    assert len(esco.jobs) == 3_007
    assert esco.relation_counts() == {"essential": 64_890, "optional": 58_893}
    assert sum(len(j.skills) for j in esco.jobs.values()) == 123_855 - 67 - 5
    # the 7 broader relations between groups missing from skillGroups_en.csv resolve through
    # skillsHierarchy_en.csv, so no broader relation is skipped
    assert dict(esco.skipped) == {"relation with unknown occupation": 67,
                                  "relation with empty skillType": 5}
    assert len(esco.groups) == 647
    types = list(esco.skill_types.values())
    assert (types.count("skill/competence"), types.count("knowledge"), types.count("")) == (
        10_831, 3_059, 6)
    assert sum(1 for v in esco.reuse_levels.values() if v == "transversal") == 440
    assert all(len(esco.job_group(j)) == 4 for j in esco.jobs)
    assert all(len(j.skills) > 0 for j in esco.jobs.values())


@pytest.mark.realdata
def test_esco_lookups(esco: Taxonomy) -> None:
    assert [s.id for s in esco.find_skills("python")] == [PYTHON]
    assert esco.skill(PYTHON).label == "Python (computer programming)"
    assert esco.find_skills("sql")[0].id == SQL
    assert QUERY_LANGUAGES in esco.broader(SQL)
    assert SQL in esco.narrower(QUERY_LANGUAGES)
    assert esco.skill(QUERY_LANGUAGES).label == "query languages"
    assert esco.broader(SQL, groups=False) == (QUERY_LANGUAGES,)
    analyst = esco.job(DATA_ANALYST)
    assert analyst.title == "data analyst" and esco.job_group(DATA_ANALYST) == "2511"
    assert esco.find_jobs("data analyst")[0].id == DATA_ANALYST
    assert (sum(r.essential for r in analyst.skills),
            sum(not r.essential for r in analyst.skills)) == (30, 22)
    assert any(esco.skill(r.skill).label == "data mining" and r.essential
               for r in analyst.skills)
    assert all(r.importance == (1.0 if r.essential else 0.5) and r.level == 1
               for r in analyst.skills)


@pytest.mark.realdata
def test_onet_counts(onet: Taxonomy) -> None:
    rated = [j for j in onet.jobs.values()
             if any(onet.skill_types[r.skill] != "technology" for r in j.skills)]
    assert len(rated) == 879
    assert len(onet.jobs) == 923  # + 44 occupations with technology skills only
    assert sum(1 for t in onet.skill_types.values() if t != "technology") == 35 + 33
    assert sum(1 for t in onet.skill_types.values() if t == "technology") == 8_768
    assert dict(onet.skipped) == {
        "skill rated not relevant": 3_302, "knowledge rated not relevant": 5_939,
        "occupation without skill, knowledge or technology data": 93}
    for job in rated:
        for r in job.skills:
            assert 0.0 < r.importance <= 1.0 and 1 <= r.level <= 4
            if onet.skill_types[r.skill] != "technology":
                assert r.essential == (r.importance >= map_importance(3.5))
    chief = {r.skill: r for r in onet.job("onet:11-1011.00").skills}
    assert chief["onet:2.A.1.a"] == JobSkill("onet:2.A.1.a", 0.78, True, 3)  # IM 4.12, LV 4.62
    devs = onet.job("onet:15-1252.00")
    assert devs.title == "Software Developers" and devs.skills
    assert {onet.skill_types[r.skill] for r in devs.skills} == {"technology"}
    assert "hot_technology" in onet.skill_flags["onet-tech:python"]


@pytest.mark.realdata
def test_import_real_jobs(tmp_path: Path, esco: Taxonomy) -> None:
    from pathways.io import load_catalog

    _need(ONET_DIR)

    def esco_job_skills(job_id: str) -> tuple[JobSkill, ...]:
        return esco.job(job_id).skills

    out = tmp_path / "esco.yaml"
    assert import_jobs("esco", ESCO_DIR, ["data analyst"], out) == 1
    catalog = load_catalog(out)
    job = catalog.jobs[DATA_ANALYST]
    assert job.skills == esco_job_skills(DATA_ANALYST)
    assert len(catalog.skills) == 52
    out2 = tmp_path / "onet.yaml"
    assert import_jobs("onet", ONET_DIR, ["software developers", "Data Scientists"], out2) == 2
    catalog = load_catalog(out2)
    assert set(catalog.jobs) == {"onet:15-1252.00", "onet:15-2051.00"}
    assert "CC BY 4.0" in out2.read_text(encoding="utf-8").splitlines()[1]
