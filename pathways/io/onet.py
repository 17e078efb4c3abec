"""Read the O*NET 29.2 database text files into a :class:`~pathways.taxonomy.Taxonomy`.

Input files (tab-separated, from https://www.onetcenter.org/database.html, text format) in one
directory: ``Occupation Data.txt``, ``Skills.txt`` and ``Knowledge.txt`` (each plain or
gzipped as ``.txt.gz``), optionally ``Technology Skills.txt`` and ``Alternate Titles.txt``.

Mapping
-------
Skills and knowledge
    Element ``2.A.1.a Reading Comprehension`` -> ``Skill("onet:2.A.1.a",
    "Reading Comprehension")``, type ``"skill"`` or ``"knowledge"``.
Occupations
    ``15-2051.00 Data Scientists`` -> ``Job("onet:15-2051.00", "Data Scientists", ...)`` with
    the O*NET description; group ``"15-2051"`` (the SOC code) in ``Taxonomy.job_groups``;
    alternate and short titles in ``Taxonomy.job_alt_titles``.
Importance (scale IM, 1..5)
    ``importance = max(0.05, (IM - 1) / 4)``, rounded to 3 decimals: 1 ("not important")
    becomes 0.05 (the catalog needs a value in (0, 1]), 3 becomes 0.5, 5 becomes 1.0.
Essential
    ``IM >= 3.5`` (between "important" 3 and "very important" 4; about 10 % of the ratings).
Level (scale LV, 0..7)
    ``level = clip(ceil(LV / 7 * 4), 1, 4)``: LV up to 1.75 -> 1 (basic), up to 3.5 -> 2, up to
    5.25 -> 3, above -> 4 (expert).
Not relevant
    A rating whose level row is flagged "Not Relevant" (``Y``) is no requirement of the
    occupation and is skipped (counted in ``Taxonomy.skipped``). "Recommend Suppress" flags
    (imprecise estimates) are kept: they are still O*NET's best estimate.
Technology skills
    Each example (``Python``) is a skill ``onet-tech:<slug>`` (slug: lowercase, runs of other
    characters than ``a-z0-9+#.`` replaced by ``-``), type ``"technology"``, description the
    commodity title; ``Hot Technology = Y`` sets the skill flag ``"hot_technology"``. A
    requirement is ``In Demand`` (flag ``"in_demand"`` on ``(job, skill)``): importance 0.75,
    essential; else hot: 0.5, or else 0.25, not essential. Level 1 (O*NET rates no level).
Occupations without ratings
    Kept when they have technology skills (e.g. 15-1252.00 Software Developers: technology
    only); occupations with neither ratings nor technology skills (the "All Other" ones) are
    skipped and counted.

The taxonomy is cached like ESCO's (see :mod:`pathways.io.esco`).

O*NET 29.2 Database by the U.S. Department of Labor, Employment and Training Administration
(USDOL/ETA). Used under the CC BY 4.0 license.
"""

from __future__ import annotations

import csv
import math
import os
import re
from pathlib import Path

import pandas as pd

from pathways.domain import Job, JobSkill, Skill
from pathways.errors import CatalogError, Diagnostic
from pathways.io._cache import cached_taxonomy
from pathways.taxonomy import Taxonomy

__all__ = [
    "ESSENTIAL_MIN_IMPORTANCE",
    "ONET_ATTRIBUTION",
    "load_onet",
    "map_importance",
    "map_level",
    "tech_skill_id",
]

ONET_ATTRIBUTION = (
    "O*NET 29.2 Database by the U.S. Department of Labor, Employment and Training "
    "Administration (USDOL/ETA). Used under the CC BY 4.0 license."
)
ONET_DOWNLOAD = "https://www.onetcenter.org/database.html"

#: An O*NET importance rating (IM, 1..5) at or above this makes a requirement essential.
ESSENTIAL_MIN_IMPORTANCE = 3.5

_RATING_COLUMNS = ("O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value",
                   "Not Relevant")


def map_importance(im: float) -> float:
    """O*NET importance 1..5 to (0, 1]: ``max(0.05, (IM - 1) / 4)``, 3 decimals.

    >>> map_importance(1.0), map_importance(3.0), map_importance(4.12), map_importance(5.0)
    (0.05, 0.5, 0.78, 1.0)
    """
    return round(min(1.0, max(0.05, (im - 1.0) / 4.0)), 3)


def map_level(lv: float) -> int:
    """O*NET level 0..7 to pathways 1..4: ``clip(ceil(LV / 7 * 4), 1, 4)``.

    >>> [map_level(v) for v in (0.0, 1.75, 1.8, 3.5, 4.62, 5.3, 7.0)]
    [1, 1, 2, 2, 3, 4, 4]
    """
    return int(min(4, max(1, math.ceil(round(lv / 7.0 * 4.0, 9)))))


def tech_skill_id(example: str) -> str:
    """The id of an O*NET technology example.

    >>> tech_skill_id("Microsoft SQL Server"), tech_skill_id("C++")
    ('onet-tech:microsoft-sql-server', 'onet-tech:c++')
    """
    return "onet-tech:" + re.sub(r"[^a-z0-9+#.]+", "-", example.lower()).strip("-")


def _find(root: Path, name: str, *, required: bool) -> Path | None:
    for candidate in (root / name, root / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    if required:
        raise CatalogError(Diagnostic(
            f"O*NET file {name} (or {name}.gz) not found", file=str(root),
            hint=f"download the O*NET 29.2 database in text format from {ONET_DOWNLOAD} and "
                 f"give the directory that holds Occupation Data.txt, Skills.txt and "
                 f"Knowledge.txt"))
    return None


def _read(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    df = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, na_filter=False,
                     quoting=csv.QUOTE_NONE, encoding="utf-8")
    lacking = [c for c in columns if c not in df.columns]
    if lacking:
        raise CatalogError(Diagnostic(
            f"missing column(s) {', '.join(lacking)}", file=str(path),
            hint="use the O*NET database text files (tab-separated), unmodified"))
    return df


def load_onet(
    path: str | os.PathLike[str],
    *,
    cache: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
    technology: bool = True,
) -> Taxonomy:
    """Read O*NET occupations, skills, knowledge and technology skills from ``path``.

    Parameters
    ----------
    path : path-like
        Directory of the O*NET text files (see the module docstring).
    cache : bool, default True
        Use and fill the taxonomy cache (see :mod:`pathways.io.esco`).
    cache_dir : path-like, optional
        Cache directory; default :func:`pathways.io._cache.default_cache_dir`.
    technology : bool, default True
        Also read ``Technology Skills.txt`` (when present) as skills and requirements.

    Returns
    -------
    Taxonomy
        For O*NET 29.2: 879 occupations with rated skills and knowledge (35 skills, 33
        knowledge areas) plus 44 with technology skills only; 8,768 technology skills.

    Raises
    ------
    CatalogError
        When a required file or column is missing.
    """
    root = Path(path).expanduser()
    if not root.is_dir():
        raise CatalogError(Diagnostic(
            "the O*NET directory does not exist", file=str(root),
            hint=f"download the O*NET database (text) from {ONET_DOWNLOAD} and give its folder"))
    occ = _find(root, "Occupation Data.txt", required=True)
    skills = _find(root, "Skills.txt", required=True)
    knowledge = _find(root, "Knowledge.txt", required=True)
    tech = _find(root, "Technology Skills.txt", required=False) if technology else None
    alt = _find(root, "Alternate Titles.txt", required=False)
    files = [p for p in (occ, skills, knowledge, tech, alt) if p is not None]
    return cached_taxonomy(
        "onet", files, lambda: _build_onet(occ, skills, knowledge, tech, alt),  # type: ignore[arg-type]
        cache=cache, cache_dir=cache_dir, options=f"technology={technology}",
    )


def _build_onet(occ_path: Path, skills_path: Path, knowledge_path: Path,
                tech_path: Path | None, alt_path: Path | None) -> Taxonomy:
    skipped: dict[str, int] = {}

    def skip(reason: str, n: int) -> None:
        if n:
            skipped[reason] = skipped.get(reason, 0) + int(n)

    occ = _read(occ_path, ("O*NET-SOC Code", "Title", "Description"))
    known_occ = set(occ["O*NET-SOC Code"])

    skills: dict[str, Skill] = {}
    skill_types: dict[str, str] = {}
    requirements: dict[str, list[JobSkill]] = {}
    flags: dict[str, frozenset[str]] = {}
    job_skill_flags: dict[tuple[str, str], frozenset[str]] = {}
    shared: dict[tuple[str, float, bool, int], JobSkill] = {}

    def requirement(job: str, skill: str, importance: float, essential: bool, level: int) -> None:
        key = (skill, importance, essential, level)
        js = shared.get(key)
        if js is None:
            js = shared[key] = JobSkill(*key)
        requirements.setdefault(job, []).append(js)

    for kind, p in (("skill", skills_path), ("knowledge", knowledge_path)):
        df = _read(p, _RATING_COLUMNS)
        value = pd.to_numeric(df["Data Value"], errors="coerce")
        bad = value.isna() | ~df["Scale ID"].isin(["IM", "LV"])
        unknown = ~bad & ~df["O*NET-SOC Code"].isin(known_occ)
        skip(f"{kind} rating with bad scale or value", bad.sum())
        skip(f"{kind} rating of an unknown occupation", unknown.sum())
        df = df.assign(value=value)[~bad & ~unknown]
        im = df[df["Scale ID"] == "IM"].set_index(["O*NET-SOC Code", "Element ID"])
        lv = df[df["Scale ID"] == "LV"].set_index(["O*NET-SOC Code", "Element ID"])
        both = im.join(
            lv[["value", "Not Relevant"]].rename(columns=lambda c: f"{c}_lv"), how="outer"
        )
        missing = both["value"].isna() | both["value_lv"].isna()
        skip(f"{kind} rating without both importance and level", missing.sum())
        both = both[~missing]
        not_relevant = both["Not Relevant_lv"] == "Y"
        skip(f"{kind} rated not relevant", not_relevant.sum())
        both = both[~not_relevant]
        for (code, element), name, imv, lvv in zip(
            both.index, both["Element Name"], both["value"], both["value_lv"], strict=True
        ):
            sid = f"onet:{element}"
            if sid not in skills:
                skills[sid] = Skill(sid, name.strip())
                skill_types[sid] = kind
            requirement(f"onet:{code}", sid, map_importance(imv),
                        bool(imv >= ESSENTIAL_MIN_IMPORTANCE), map_level(lvv))

    if tech_path is not None:
        df = _read(tech_path, ("O*NET-SOC Code", "Example", "Commodity Title", "Hot Technology",
                               "In Demand"))
        unknown = ~df["O*NET-SOC Code"].isin(known_occ)
        skip("technology skill of an unknown occupation", unknown.sum())
        empty = ~unknown & (df["Example"].str.strip() == "")
        skip("technology skill without a name", empty.sum())
        df = df[~unknown & ~empty]
        seen: set[tuple[str, str]] = set()
        dup = 0
        for code, example, commodity, hot, demand in zip(
            df["O*NET-SOC Code"], df["Example"], df["Commodity Title"], df["Hot Technology"],
            df["In Demand"], strict=True,
        ):
            sid = tech_skill_id(example)
            jid = f"onet:{code}"
            if (jid, sid) in seen:
                dup += 1
                continue
            seen.add((jid, sid))
            if sid not in skills:
                skills[sid] = Skill(sid, example.strip(), (), commodity.strip())
                skill_types[sid] = "technology"
            if hot == "Y":
                flags[sid] = frozenset({"hot_technology"})
            if demand == "Y":
                job_skill_flags[(jid, sid)] = frozenset({"in_demand"})
                requirement(jid, sid, 0.75, True, 1)
            else:
                requirement(jid, sid, 0.5 if hot == "Y" else 0.25, False, 1)
        skip("duplicate technology skill row", dup)

    alt_titles: dict[str, dict[str, None]] = {}
    if alt_path is not None:
        alt = _read(alt_path, ("O*NET-SOC Code", "Alternate Title"))
        short = alt["Short Title"] if "Short Title" in alt.columns else alt["Alternate Title"]
        for code, title, st in zip(alt["O*NET-SOC Code"], alt["Alternate Title"], short,
                                   strict=True):
            bucket = alt_titles.setdefault(f"onet:{code}", {})
            for t in (title.strip(), st.strip()):
                if t and t != "n/a":
                    bucket.setdefault(t)

    jobs: dict[str, Job] = {}
    job_groups: dict[str, str] = {}
    for code, title, desc in zip(occ["O*NET-SOC Code"], occ["Title"], occ["Description"],
                                 strict=True):
        jid = f"onet:{code}"
        reqs = requirements.get(jid)
        if not reqs:
            skip("occupation without skill, knowledge or technology data", 1)
            continue
        ordered = sorted(reqs, key=lambda r: (not r.essential, -r.importance))
        jobs[jid] = Job(jid, title.strip(), tuple(ordered), desc.strip())
        job_groups[jid] = code.split(".")[0]

    return Taxonomy(
        skills, jobs, skill_types=skill_types, job_groups=job_groups,
        job_alt_titles={j: tuple(t) for j, t in alt_titles.items() if j in jobs},
        skill_flags=flags, job_skill_flags=job_skill_flags, skipped=skipped,
        source=_release(occ_path.parent),
    )


def _release(root: Path) -> str:
    """``"O*NET 29.2"`` from the first line of ``Read Me.txt``, else ``"O*NET"``."""
    try:
        first = (root / "Read Me.txt").read_text(encoding="utf-8").splitlines()[0].strip()
    except (OSError, IndexError, UnicodeDecodeError):
        return "O*NET"
    m = re.match(r"O\*NET\s+([\d.]+)", first)
    return f"O*NET {m.group(1)}" if m else "O*NET"
