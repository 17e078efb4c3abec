#!/usr/bin/env python3
"""Generate the sample catalog's ``data/jobs.yaml`` and ``data/skills.yaml`` from ESCO v1.1.1.

Reads the two official ESCO CSV downloads (unmodified zip files) straight from
``../shared/data/esco-1.1.1/`` (relative to the repository root; ``--esco DIR`` overrides) with
``zipfile`` + ``csv``. No manual conversion step, no network access.

This service uses the ESCO classification of the European Commission.
(ESCO v1.1.1, European Commission, https://esco.ec.europa.eu)

What it writes
--------------
``data/jobs.yaml``
    One job per occupation in :data:`OCCUPATIONS` (a hand-picked list of ESCO occupation URIs
    that the sample courses prepare for): ``id: esco-occ:<uuid>``, ``title`` = the ESCO preferred
    label, ``description`` = the ESCO description (shortened to about 300 characters at a
    sentence or word boundary) and ``skills`` = the REAL occupation-skill relations of
    ``occupationSkillRelations.csv``.

    * ``relationType`` essential -> ``importance: essential``, optional -> ``importance: optional``.
    * Only relations whose ``skillType`` is ``skill/competence`` or ``knowledge`` are used; the
      few rows with an empty ``skillType`` (an ESCO 1.1.1 quirk) are skipped and counted.
    * Cap: at most :data:`MAX_SKILLS_PER_JOB` (25) skills per job, to keep the sample readable.
      Skills are ranked essential first, then optional; within the same relation type, skills
      that more of the sample occupations share come first (they are the core vocabulary the
      sample courses teach), then the more specific ESCO ``reuseLevel`` (occupation-specific,
      sector-specific, cross-sector, transversal), then the label. Jobs with 25 or fewer
      essential relations keep all of them; the few with more (e.g. data scientist, 54) keep
      the 25 best-ranked essential ones; jobs with fewer are topped up with optional ones.
    * ``level`` (required proficiency, 1..4): ESCO has NO proficiency levels, so this script
      maps essential -> 2 (working proficiency) and optional -> 1 (basic). The choice is
      documented in ``data/README.md`` as well.

``data/skills.yaml``
    Every ESCO skill id (``esco:<uuid>``) used anywhere in ``data/`` -- the generated jobs plus
    every id found in the hand-written files (courses, credentials, providers, learner profiles
    in ``data/learners/``) -- with its ESCO ``label`` (preferredLabel) and up to
    :data:`MAX_ALT_LABELS` ``alt_labels`` (from the newline-separated ``altLabels`` column, in
    ESCO's order, without the preferred label itself). An id that is not an ESCO 1.1.1 skill is
    an error.

Deterministic: jobs are sorted by title, skills by label, the YAML is written with
``yaml.safe_dump(sort_keys=False, allow_unicode=True)``; running it again reproduces the
committed files byte for byte (``--check`` verifies exactly that without writing).

Usage (from the repository root)::

    python scripts/build_jobs.py                 # regenerate data/jobs.yaml, data/skills.yaml
    python scripts/build_jobs.py --check         # exit 1 if the committed files are stale
    python scripts/build_jobs.py --esco DIR --data DIR
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ESCO = REPO_ROOT.parent / "shared" / "data" / "esco-1.1.1"
DEFAULT_DATA = REPO_ROOT / "data"

CLASSIFICATION_ZIP = "ESCO_dataset_v1.1.1_classification_en_csv.zip"
RELATIONS_ZIP = "ESCO_dataset_v1.1.1_relations_csv.zip"
OCC_PREFIX = "http://data.europa.eu/esco/occupation/"
SKILL_PREFIX = "http://data.europa.eu/esco/skill/"

MAX_SKILLS_PER_JOB = 25
MAX_ALT_LABELS = 5
DESCRIPTION_CHARS = 300
LEVEL_FOR = {
    "essential": 2,
    "optional": 1,
}  # ESCO has no proficiency levels: see docstring
SKILL_TYPES = ("skill/competence", "knowledge")
REUSE_RANK = {
    "occupation-specific": 0,
    "sector-specific": 1,
    "cross-sector": 2,
    "transversal": 3,
}

# The occupations the sample courses prepare for, found by preferred label in
# occupations_en.csv (ESCO v1.1.1). Order is irrelevant: output is sorted by title.
OCCUPATIONS: dict[str, str] = {
    "d3edb8f8-3a06-47a0-8fb9-9b212c006aa2": "data analyst",
    "258e46f9-0075-4a2e-adae-1ff0477e0f30": "data scientist",
    "207d7b18-6540-432e-8aa6-785ed434572f": "business intelligence manager",
    "fe0fa514-b48d-4a53-9757-a283c0baacf0": "ICT business analyst",
    "f2b15a0e-e65a-438a-affb-29b9d50b77d1": "software developer",
    "b11e1742-5e28-4270-b081-b0193d85ee7d": "database developer",
    "c40a2919-48a9-40ea-b506-1f34f693496d": "web developer",
    "35553663-deab-4d9a-bf22-15c1625d28e8": "ICT intelligent systems designer",
    "349ee6f6-c295-4c38-9b98-48765b55280e": "cloud engineer",
    "0ce5a9f4-e00a-4bbe-b255-3c63407167a4": "ICT security engineer",
    "8b6388a4-4904-471b-9331-d3b1211f5525": "ICT project manager",
    "1619d7f3-7d95-407c-a20e-47745bfcde73": "data protection officer",
    "8d586ee9-0ab1-4155-a3b0-2ca786c8e48c": "financial analyst",
    "7a6ca615-a2bc-499d-8288-d186ce2594ea": "financial risk manager",
    "eda0d957-3c3c-4139-b89a-a18bc9e18897": "accountant",
    "cd7b838c-51f6-41ec-9067-bb974c0f991b": "communication manager",
    "c0489e22-6a1b-4e52-974a-eb71bbb42134": "public relations officer",
    "caf7b8fb-b2d6-46b7-bffa-bea7f8e4aed8": "policy officer",
}

ESCO_NOTICE = "This service uses the ESCO classification of the European Commission."
HEADER_COMMON = f"""\
# {ESCO_NOTICE}
# ESCO v1.1.1, European Commission, https://esco.ec.europa.eu
#
# GENERATED by scripts/build_jobs.py from the official ESCO v1.1.1 CSV downloads.
# Do not edit by hand: change the script (or the hand-written data files) and run
#     python scripts/build_jobs.py
"""
JOBS_HEADER = (
    HEADER_COMMON
    + f"""\
#
# Jobs: real ESCO occupations with their real occupation-skill relations
# (essential -> importance: essential, optional -> importance: optional), at most
# {MAX_SKILLS_PER_JOB} skills per job, essential first. ESCO has no proficiency levels: the
# required level is set to {LEVEL_FOR["essential"]} for essential and {LEVEL_FOR["optional"]} for optional skills.
"""
)
SKILLS_HEADER = (
    HEADER_COMMON
    + """\
#
# Skills: every ESCO skill id used in data/ (jobs, courses, learners), with the ESCO
# preferred label and a few alternative labels.
"""
)

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
SKILL_ID_RE = re.compile(r"\besco:(" + UUID_RE.pattern + r")")
SKILL_LINE_RE = re.compile(r"(?m)^\s*- skill: esco:(" + UUID_RE.pattern + r")$")
GENERATED = ("jobs.yaml", "skills.yaml")


# --------------------------------------------------------------------------- reading ESCO
def read_csv(zip_path: Path, member: str) -> Iterator[dict[str, str]]:
    """Rows of one CSV file inside an ESCO zip, as dicts."""
    with zipfile.ZipFile(zip_path) as zf, zf.open(member) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        yield from csv.DictReader(text)


def uuid_of(uri: str, prefix: str) -> str:
    if not uri.startswith(prefix):
        raise ValueError(f"unexpected ESCO URI {uri!r} (expected {prefix}...)")
    return uri[len(prefix) :]


def shorten(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """Collapse whitespace; cut at the last sentence end (else word) within ``limit`` chars."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:limit]
    end = max(head.rfind(". "), head.rfind("! "), head.rfind("? "))
    if end >= limit // 3:
        return head[: end + 1]
    return head[: head.rfind(" ")].rstrip(",;:") + "…"


def split_labels(cell: str) -> list[str]:
    return [line.strip() for line in cell.split("\n") if line.strip()]


# --------------------------------------------------------------------------- building
def build_jobs(
    occupations: dict[str, dict[str, str]],
    skills: dict[str, dict[str, str]],
    relations: list[dict[str, str]],
) -> list[dict]:
    by_occ: dict[str, list[tuple[str, str]]] = {u: [] for u in OCCUPATIONS}
    skipped = Counter()
    for row in relations:
        occ = uuid_of(row["occupationUri"], OCC_PREFIX)
        if occ not in by_occ:
            continue
        if row["skillType"] not in SKILL_TYPES:
            skipped[occ] += 1
            continue
        if row["relationType"] not in LEVEL_FOR:
            raise ValueError(f"unknown relationType {row['relationType']!r} for {occ}")
        skill = uuid_of(row["skillUri"], SKILL_PREFIX)
        if skill not in skills:
            raise ValueError(f"relation of {occ} names unknown skill {skill}")
        by_occ[occ].append((row["relationType"], skill))
    for occ, n in sorted(skipped.items()):
        print(
            f"note: skipped {n} relation(s) with an empty skillType for "
            f"{occupations[occ]['preferredLabel']}",
            file=sys.stderr,
        )

    shared = Counter(
        s for rels in by_occ.values() for s in {skill for _, skill in rels}
    )

    jobs = []
    for occ, expected_label in OCCUPATIONS.items():
        row = occupations.get(occ)
        if row is None:
            raise ValueError(
                f"occupation {occ} ({expected_label}) is not in occupations_en.csv"
            )
        if row["preferredLabel"] != expected_label:
            raise ValueError(
                f"occupation {occ}: ESCO label {row['preferredLabel']!r} != {expected_label!r}"
            )
        rels = sorted(
            set(by_occ[occ]),
            key=lambda rel: (
                rel[0] != "essential",
                -shared[rel[1]],
                REUSE_RANK.get(skills[rel[1]]["reuseLevel"], len(REUSE_RANK)),
                skills[rel[1]]["preferredLabel"].strip().lower(),
                rel[1],
            ),
        )
        chosen: list[tuple[str, str]] = []
        seen: set[str] = set()
        # a skill related both as essential and as optional: keep it once, as essential
        for relation_type, skill in rels:
            if skill not in seen:
                seen.add(skill)
                chosen.append((relation_type, skill))
        chosen = chosen[:MAX_SKILLS_PER_JOB]
        jobs.append(
            {
                "id": f"esco-occ:{occ}",
                "title": row["preferredLabel"],
                "description": shorten(row["description"]),
                "skills": [
                    {
                        "skill": f"esco:{skill}",
                        "importance": relation_type,
                        "level": LEVEL_FOR[relation_type],
                    }
                    for relation_type, skill in chosen
                ],
            }
        )
    jobs.sort(key=lambda j: (j["title"].lower(), j["id"]))
    return jobs


def hand_written_skill_ids(data_dir: Path) -> dict[str, list[str]]:
    """``esco:<uuid>`` skill ids in the hand-written YAML files of ``data_dir``, with where."""
    found: dict[str, list[str]] = {}
    files = sorted(p for p in data_dir.glob("*.yaml") if p.name not in GENERATED)
    files += sorted((data_dir / "learners").glob("*.yaml"))
    for path in files:
        for uuid in SKILL_ID_RE.findall(path.read_text(encoding="utf-8")):
            found.setdefault(uuid, []).append(path.relative_to(data_dir).as_posix())
    return found


def build_skills(
    jobs: list[dict], extra: dict[str, list[str]], skills: dict[str, dict[str, str]]
) -> list[dict]:
    used = {js["skill"].removeprefix("esco:") for job in jobs for js in job["skills"]}
    unknown = sorted(u for u in extra if u not in skills)
    if unknown:
        lines = [f"  esco:{u} (in {', '.join(sorted(set(extra[u])))})" for u in unknown]
        raise ValueError(
            "skill ids that are not ESCO v1.1.1 skills:\n" + "\n".join(lines)
        )
    used |= set(extra)
    out = []
    for uuid in used:
        row = skills[uuid]
        label = row["preferredLabel"].strip()
        alts: list[str] = []
        for alt in split_labels(row["altLabels"]):
            if alt.lower() != label.lower() and alt not in alts:
                alts.append(alt)
        entry: dict = {"id": f"esco:{uuid}", "label": label}
        if alts:
            entry["alt_labels"] = alts[:MAX_ALT_LABELS]
        out.append(entry)
    out.sort(key=lambda s: (s["label"].lower(), s["id"]))
    return out


def dump(
    header: str, key: str, items: list[dict], labels: dict[str, str] | None = None
) -> str:
    """YAML text; with ``labels``, each ``- skill: esco:<uuid>`` line gets a ``# label`` comment."""
    body = yaml.safe_dump({key: items}, sort_keys=False, allow_unicode=True, width=100)
    if labels:
        body = SKILL_LINE_RE.sub(
            lambda m: f"{m.group(0)}  # {labels[m.group(1)]}", body
        )
    return header + "\n" + body


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--esco",
        type=Path,
        default=DEFAULT_ESCO,
        help="folder holding the two ESCO v1.1.1 CSV zips",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help="catalog folder to write jobs.yaml / skills.yaml into",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if the files on disk differ",
    )
    args = parser.parse_args(argv)

    classification = args.esco / CLASSIFICATION_ZIP
    relations_zip = args.esco / RELATIONS_ZIP
    for path in (classification, relations_zip):
        if not path.is_file():
            parser.error(f"ESCO file not found: {path}")

    occupations = {
        uuid_of(r["conceptUri"], OCC_PREFIX): r
        for r in read_csv(classification, "occupations_en.csv")
    }
    skills = {
        uuid_of(r["conceptUri"], SKILL_PREFIX): r
        for r in read_csv(classification, "skills_en.csv")
    }
    relations = list(read_csv(relations_zip, "occupationSkillRelations.csv"))

    try:
        jobs = build_jobs(occupations, skills, relations)
        skill_list = build_skills(jobs, hand_written_skill_ids(args.data), skills)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    outputs = {
        args.data / "jobs.yaml": dump(
            JOBS_HEADER,
            "jobs",
            jobs,
            {u: r["preferredLabel"].strip() for u, r in skills.items()},
        ),
        args.data / "skills.yaml": dump(SKILLS_HEADER, "skills", skill_list),
    }

    stale = []
    for path, text in outputs.items():
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current != text:
            stale.append(path)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(text.encode("utf-8"))
    verb = "would change" if args.check else "wrote"
    for path in stale:
        print(f"{verb} {path}", file=sys.stderr)
    print(f"{len(jobs)} jobs, {len(skill_list)} skills", file=sys.stderr)
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
