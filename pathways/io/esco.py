"""Read the official ESCO v1.1.1 CSV downloads into a :class:`~pathways.taxonomy.Taxonomy`.

Also home of the jobs import
(:func:`import_jobs`) behind ``pathways import esco|onet PATH --occupation TEXT --out FILE``.

Input files (unmodified, as downloaded from https://esco.ec.europa.eu/en/use-esco/download,
CSV, English) in one directory:

* ``ESCO_dataset_v1.1.1_classification_en_csv.zip``: ``skills_en.csv``,
  ``occupations_en.csv``, and optionally ``skillGroups_en.csv`` / ``skillsHierarchy_en.csv``
  (labels of the skill groups of the hierarchy);
* ``ESCO_dataset_v1.1.1_relations_csv.zip``: ``occupationSkillRelations.csv`` and
  ``broaderRelationsSkillPillar.csv``.

Mapping
-------
* skill ``http://data.europa.eu/esco/skill/<uuid>`` -> ``Skill("esco:<uuid>", preferredLabel,
  altLabels, description)``; ``skillType`` and ``reuseLevel`` kept in
  ``Taxonomy.skill_types`` / ``Taxonomy.reuse_levels``;
* occupation ``.../occupation/<uuid>`` -> ``Job("esco-occ:<uuid>", preferredLabel, skills,
  description)``, ISCO-08 unit group in ``Taxonomy.job_groups``, altLabels in
  ``Taxonomy.job_alt_titles``;
* relation ``essential`` -> ``JobSkill(importance=1.0, essential=True, level=1)``, ``optional``
  -> ``JobSkill(importance=0.5, essential=False, level=1)`` (ESCO has no proficiency levels).

Rows that cannot be used are skipped and counted in ``Taxonomy.skipped`` (reason -> rows):
in v1.1.1, 67 relations name an occupation (``a9e54177...``) missing from
``occupations_en.csv``, 5 relations have an empty ``skillType``, and 7 broader relations
between skill groups name a group that ``skillGroups_en.csv`` does not list.

Cache
-----
The first load pickles the taxonomy into the cache directory (``cache_dir=``, else the
environment variable ``PATHWAYS_CACHE_DIR``, else ``~/.cache/pathways``), named by the
SHA-256 of the input files' bytes; a changed input file gives a new key, so a stale cache is
never read (:mod:`pathways.io._cache`, shared with :mod:`pathways.io.onet`).

This service uses the ESCO classification of the European Commission.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Literal

import pandas as pd

from pathways.domain import Job, JobSkill, Skill
from pathways.errors import CatalogError, Diagnostic
from pathways.io._cache import (  # the cache shared with O*NET; names kept importable here
    CACHE_FORMAT_VERSION,
    cached_taxonomy,
    default_cache_dir,
)
from pathways.taxonomy import Taxonomy, short_id

__all__ = [
    "CACHE_FORMAT_VERSION",
    "CLASSIFICATION_ZIP",
    "ESCO_ATTRIBUTION",
    "RELATIONS_ZIP",
    "cached_taxonomy",
    "default_cache_dir",
    "default_esco_dir",
    "has_esco",
    "import_jobs",
    "jobs_to_catalog_dict",
    "load_esco",
    "select_jobs",
    "write_jobs_yaml",
]

CLASSIFICATION_ZIP = "ESCO_dataset_v1.1.1_classification_en_csv.zip"
RELATIONS_ZIP = "ESCO_dataset_v1.1.1_relations_csv.zip"
ESCO_ATTRIBUTION = "This service uses the ESCO classification of the European Commission."
ESCO_DOWNLOAD = "https://esco.ec.europa.eu/en/use-esco/download"


# =========================================================================== where it is
def default_esco_dir() -> Path:
    """The folder of the ESCO v1.1.1 zips, for the command line and the app alike:
    ``$PATHWAYS_ESCO``, else ``shared/data/esco-1.1.1`` beside the repository.

    ``$PATHWAYS_ESCO_DIR`` (what the app read before this function existed) is still read
    when ``$PATHWAYS_ESCO`` is not set; set ``PATHWAYS_ESCO`` instead, the old name will go.
    """
    env = os.environ.get("PATHWAYS_ESCO") or os.environ.get("PATHWAYS_ESCO_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "shared" / "data" / "esco-1.1.1"


def has_esco(path: str | os.PathLike[str] | None = None) -> bool:
    """Whether the ESCO download is in ``path`` (default :func:`default_esco_dir`): its
    classification zip, which every use of ESCO needs, is there."""
    folder = Path(path) if path is not None else default_esco_dir()
    return (folder / CLASSIFICATION_ZIP).is_file()

# =========================================================================== reading
def _missing(path: Path, what: str, hint: str) -> CatalogError:
    return CatalogError(Diagnostic(what, file=str(path), hint=hint))


def _read_member(zf: zipfile.ZipFile, zip_path: Path, name: str,
                    columns: Iterable[str]) -> pd.DataFrame:
    """One CSV of an ESCO zip as strings (empty cells are ``""``), checking its columns."""
    try:
        with zf.open(name) as fh:
            df = _read_csv(fh)
    except KeyError:
        raise _missing(zip_path, f"the zip has no {name}",
                       f"download the unmodified ESCO v1.1.1 CSV files from {ESCO_DOWNLOAD}") from None
    lacking = [c for c in columns if c not in df.columns]
    if lacking:
        raise _missing(zip_path, f"{name} lacks the column(s) {', '.join(lacking)}",
                       "use the ESCO v1.1.1 CSV download (English), not another version or format")
    return df


def _read_csv(fh: IO[bytes], **kwargs: Any) -> pd.DataFrame:
    return pd.read_csv(fh, dtype=str, keep_default_na=False, na_filter=False, **kwargs)


def _labels(cell: str, exclude: str = "") -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for part in cell.split("\n"):
        part = part.strip()
        if part and part != exclude:
            seen.setdefault(part)
    return tuple(seen)


def _input_files(path: str | os.PathLike[str]) -> tuple[Path, Path]:
    root = Path(path).expanduser()
    if not root.is_dir():
        raise _missing(root, "the ESCO directory does not exist",
                       f"give the directory that holds {CLASSIFICATION_ZIP} and {RELATIONS_ZIP}")
    files = (root / CLASSIFICATION_ZIP, root / RELATIONS_ZIP)
    for f in files:
        if not f.is_file():
            raise _missing(f, "ESCO file not found",
                           f"download ESCO v1.1.1 (CSV, English, classification and relations) "
                           f"from {ESCO_DOWNLOAD} and put both zips, unmodified, in {root}")
    return files


def load_esco(
    path: str | os.PathLike[str],
    *,
    cache: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
) -> Taxonomy:
    """Read ESCO v1.1.1 from the two official CSV zips in the directory ``path``.

    Parameters
    ----------
    path : path-like
        Directory holding :data:`CLASSIFICATION_ZIP` and :data:`RELATIONS_ZIP`.
    cache : bool, default True
        Use and fill the taxonomy cache (see the module docstring).
    cache_dir : path-like, optional
        Cache directory; default :func:`default_cache_dir`.

    Returns
    -------
    Taxonomy
        13,896 skills, 3,007 occupations, 123,783 requirements (64,890 essential) for v1.1.1,
        the skill hierarchy, and the counts of skipped rows in ``skipped``.

    Raises
    ------
    CatalogError
        When a zip, a member or a column is missing.
    """
    files = _input_files(path)
    return cached_taxonomy("esco", files, lambda: _build_esco(*files), cache=cache,
                           cache_dir=cache_dir)


def _build_esco(classification: Path, relations: Path) -> Taxonomy:
    skipped: dict[str, int] = {}

    def skip(reason: str, n: int) -> None:
        if n:
            skipped[reason] = skipped.get(reason, 0) + int(n)

    with zipfile.ZipFile(classification) as cz:
        sk = _read_member(cz, classification, "skills_en.csv",
                             ["conceptUri", "preferredLabel", "altLabels", "skillType",
                              "reuseLevel", "description"])
        oc = _read_member(cz, classification, "occupations_en.csv",
                             ["conceptUri", "preferredLabel", "altLabels", "iscoGroup",
                              "description"])
        names = set(cz.namelist())
        groups_df = (_read_member(cz, classification, "skillGroups_en.csv",
                                     ["conceptUri", "preferredLabel", "altLabels", "description"])
                     if "skillGroups_en.csv" in names else None)
        hierarchy = (_read_member(cz, classification, "skillsHierarchy_en.csv", [])
                     if "skillsHierarchy_en.csv" in names else None)
    with zipfile.ZipFile(relations) as rz:
        rel = _read_member(rz, relations, "occupationSkillRelations.csv",
                              ["occupationUri", "relationType", "skillType", "skillUri"])
        br = _read_member(rz, relations, "broaderRelationsSkillPillar.csv",
                             ["conceptUri", "broaderUri"])

    # ------------------------------------------------------------------ skills
    skills: dict[str, Skill] = {}
    skill_types: dict[str, str] = {}
    reuse_levels: dict[str, str] = {}
    for uri, label, alts, stype, reuse, desc in zip(
        sk["conceptUri"], sk["preferredLabel"], sk["altLabels"], sk["skillType"],
        sk["reuseLevel"], sk["description"], strict=True,
    ):
        if not uri.startswith("http") or not label.strip():
            skip("skill without URI or label", 1)
            continue
        sid = short_id(uri)
        if sid in skills:
            skip("duplicate skill row", 1)
            continue
        label = label.strip()
        skills[sid] = Skill(sid, label, _labels(alts, label), desc.strip())
        skill_types[sid] = stype.strip()
        reuse_levels[sid] = reuse.strip()

    # ------------------------------------------------------------------ skill groups
    groups: dict[str, Skill] = {}
    if groups_df is not None:
        for uri, label, alts, desc in zip(groups_df["conceptUri"], groups_df["preferredLabel"],
                                          groups_df["altLabels"], groups_df["description"],
                                          strict=True):
            gid = short_id(uri)
            if gid not in skills:
                groups[gid] = Skill(gid, label.strip(), _labels(alts, label.strip()), desc.strip())
    if hierarchy is not None:
        for level in range(4):
            ucol, lcol = f"Level {level} URI", f"Level {level} preferred term"
            if ucol in hierarchy.columns and lcol in hierarchy.columns:
                for uri, label in zip(hierarchy[ucol], hierarchy[lcol], strict=True):
                    gid = short_id(uri)
                    if uri and gid not in skills and gid not in groups:
                        groups[gid] = Skill(gid, label.strip())

    # ------------------------------------------------------------------ hierarchy
    child = br["conceptUri"].map(short_id)
    parent = br["broaderUri"].map(short_id)
    known = set(skills) | set(groups)
    ok = child.isin(known) & parent.isin(known)
    skip("broader relation with unknown concept", (~ok).sum())
    broader: dict[str, list[str]] = {}
    for c, p in zip(child[ok], parent[ok], strict=True):
        lst = broader.setdefault(c, [])
        if p not in lst:
            lst.append(p)

    # ------------------------------------------------------------------ occupations
    occ_ids = oc["conceptUri"].map(short_id)
    rel_occ = rel["occupationUri"].map(short_id)
    rel_skill = rel["skillUri"].map(short_id)
    rtype = rel["relationType"].str.strip()
    bad_occ = ~rel_occ.isin(set(occ_ids))
    bad_skill = ~bad_occ & ~rel_skill.isin(set(skills))
    bad_stype = ~bad_occ & ~bad_skill & (rel["skillType"].str.strip() == "")
    bad_rtype = ~bad_occ & ~bad_skill & ~bad_stype & ~rtype.isin(["essential", "optional"])
    skip("relation with unknown occupation", bad_occ.sum())
    skip("relation with unknown skill", bad_skill.sum())
    skip("relation with empty skillType", bad_stype.sum())
    skip("relation with unknown relationType", bad_rtype.sum())
    good = ~(bad_occ | bad_skill | bad_stype | bad_rtype)
    requirements: dict[str, dict[str, JobSkill]] = {}
    dup = 0
    for o, s, t in zip(rel_occ[good], rel_skill[good], rtype[good], strict=True):
        reqs = requirements.setdefault(o, {})
        if s in reqs:
            dup += 1
            continue
        reqs[s] = JobSkill(s, 1.0, True, 1) if t == "essential" else JobSkill(s, 0.5, False, 1)
    skip("duplicate relation", dup)

    jobs: dict[str, Job] = {}
    job_groups: dict[str, str] = {}
    alt_titles: dict[str, tuple[str, ...]] = {}
    for jid, title, alts, isco, desc in zip(occ_ids, oc["preferredLabel"], oc["altLabels"],
                                            oc["iscoGroup"], oc["description"], strict=True):
        if jid in jobs:
            skip("duplicate occupation row", 1)
            continue
        reqs = requirements.get(jid, {})
        ordered = sorted(reqs.values(), key=lambda r: not r.essential)  # stable: file order
        jobs[jid] = Job(jid, title.strip(), tuple(ordered), desc.strip())
        job_groups[jid] = isco.strip()
        alt_titles[jid] = _labels(alts, title.strip())

    return Taxonomy(
        skills, jobs, skill_types=skill_types, reuse_levels=reuse_levels, job_groups=job_groups,
        job_alt_titles=alt_titles, broader={k: tuple(v) for k, v in broader.items()},
        groups=groups, skipped=skipped, source="ESCO v1.1.1",
    )


# =========================================================================== jobs import
def _importance(req: JobSkill) -> str | float:
    if req.essential:
        return "essential"
    if req.importance == 0.5:
        return "optional"
    return round(float(req.importance), 3)


def jobs_to_catalog_dict(jobs: Iterable[Job], skills: Mapping[str, Skill]) -> dict[str, Any]:
    """A catalog document (format ``pathways/1``) with ``jobs`` and the ``skills`` they use.

    Requirements marked essential are written as ``essential`` (importance 1.0 when read back);
    non-essential ones with importance 0.5 as ``optional``; others as their importance number
    (O*NET), which the catalog reader takes as non-essential. Skills that ``skills`` does not
    list are referenced by id only.

    Examples
    --------
    >>> from pathways.domain import Job, JobSkill, Skill
    >>> doc = jobs_to_catalog_dict([Job("j", "analyst", (JobSkill("s", 0.3, False, 2),))],
    ...                            {"s": Skill("s", "SQL", ("sequel",))})
    >>> doc["skills"], doc["jobs"][0]["skills"]
    ([{'id': 's', 'label': 'SQL', 'alt_labels': ['sequel']}], [{'skill': 's', 'importance': 0.3, 'level': 2}])
    """
    jobs = list(jobs)
    used: dict[str, Skill] = {}
    for job in jobs:
        for req in job.skills:
            if req.skill in skills:
                used.setdefault(req.skill, skills[req.skill])
    skill_rows: list[dict[str, Any]] = []
    for s in used.values():
        row: dict[str, Any] = {"id": s.id, "label": s.label}
        if s.alt_labels:
            row["alt_labels"] = list(s.alt_labels)
        if s.description:
            row["description"] = s.description
        skill_rows.append(row)
    job_rows: list[dict[str, Any]] = []
    for job in jobs:
        row = {"id": job.id, "title": job.title}
        if job.description:
            row["description"] = job.description
        row["skills"] = [
            {"skill": r.skill, "importance": _importance(r), "level": int(r.level)}
            for r in job.skills
        ]
        job_rows.append(row)
    return {"format": "pathways/1", "skills": skill_rows, "jobs": job_rows}


def select_jobs(taxonomy: Taxonomy, occupations: Iterable[str] | None) -> list[Job]:
    """The occupations named by ``occupations`` (all of them when ``None``), without repeats.

    Each text is an occupation id, or else is matched against titles (case-insensitive
    substring); when no title contains it, alternative titles are searched.

    Raises
    ------
    CatalogError
        When a text matches no occupation (the message lists close titles).
    """
    if occupations is None:
        return list(taxonomy.jobs.values())
    chosen: dict[str, Job] = {}
    problems: list[Diagnostic] = []
    for text in occupations:
        if text in taxonomy.jobs:
            found = [taxonomy.jobs[text]]
        else:
            found = taxonomy.find_jobs(text, alt_titles=False) or taxonomy.find_jobs(text)
        if not found:
            words = [w for w in re.findall(r"\w+", text.casefold()) if len(w) > 2]
            near = [j.title for w in words for j in taxonomy.find_jobs(w, alt_titles=False)][:5]
            hint = "try a shorter part of the title"
            if near:
                hint += " (titles with these words: " + "; ".join(dict.fromkeys(near)) + ")"
            where = f" in {taxonomy.source}" if taxonomy.source else ""
            problems.append(Diagnostic(
                f"occupation text {text!r} matches no occupation title{where}", hint=hint))
        for job in found:
            chosen.setdefault(job.id, job)
    if problems:
        raise CatalogError(problems)
    return list(chosen.values())


def _header(taxonomy: Taxonomy) -> str:
    src = taxonomy.source or "a skills taxonomy"
    lines = [f"Jobs imported from {src} by pathways (format pathways/1)."]
    if src.startswith("ESCO"):
        lines.append(ESCO_ATTRIBUTION)
    elif src.startswith("O*NET"):
        lines.append("O*NET 29.2 Database by the U.S. Department of Labor, Employment and Training "
                     "Administration (USDOL/ETA). Used under the CC BY 4.0 license.")
    return "\n".join(lines)


def write_jobs_yaml(taxonomy: Taxonomy, occupations: Sequence[str] | None,
                    out_path: str | os.PathLike[str]) -> int:
    """Write the selected occupations (see :func:`select_jobs`) as a catalog YAML file.

    The file is written atomically (temporary file, then ``os.replace``) and starts with the
    data source's attribution as a comment.

    Returns
    -------
    int
        The number of jobs written.
    """
    from pathways.io import atomic_write_text, dump_yaml

    jobs = select_jobs(taxonomy, occupations)
    doc = jobs_to_catalog_dict(jobs, taxonomy.skills)
    atomic_write_text(out_path, dump_yaml(doc, header=_header(taxonomy)))
    return len(jobs)


def import_jobs(source: Literal["esco", "onet"], path: str | os.PathLike[str],
                occupations: Sequence[str] | None, out: str | os.PathLike[str]) -> int:
    """Read a taxonomy and write the occupations matching ``occupations`` to ``out``.

    Backs ``pathways import esco|onet PATH --occupation TEXT --out FILE.yaml``.

    Parameters
    ----------
    source : {"esco", "onet"}
        Which reader: :func:`load_esco` or :func:`pathways.io.onet.load_onet`.
    path : path-like
        The directory of the downloaded files.
    occupations : sequence of str or None
        Occupation ids or title texts (case-insensitive substrings); ``None`` = all.
    out : path-like
        The YAML file to write (``format: pathways/1``, ``skills:`` and ``jobs:``).

    Returns
    -------
    int
        The number of jobs written.

    Raises
    ------
    CatalogError
        When ``source`` is unknown, ``path`` lacks the expected files, or a text matches no
        occupation; nothing is written then.
    """
    if source == "esco":
        taxonomy = load_esco(path)
    elif source == "onet":
        from pathways.io.onet import load_onet

        taxonomy = load_onet(path)
    else:
        raise CatalogError(Diagnostic(f"unknown taxonomy source {source!r}",
                                      hint="use esco or onet"))
    return write_jobs_yaml(taxonomy, occupations, out)
