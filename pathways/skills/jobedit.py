"""A job read from an ad, as an advisor edits it: find ESCO skills by label, build the job from
the edited rows, and write it as a catalog YAML file.

The skills read from a job ad (:meth:`pathways.skills.text.SkillExtractor.extract`) are a
starting point: the advisor removes what the ad does not ask for, adds what the reader missed
(:func:`search_skills` finds a skill by a word of its label), and sets each skill's level and
whether it is essential. :func:`job_from_rows` turns the rows into the
:class:`~pathways.domain.Job` the gap analysis and the recommender take, and :func:`job_yaml`
writes it (with the skills' labels) as a ``pathways/1`` catalog file that loads like any other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from pathways.domain import Job, JobSkill, Skill
from pathways.errors import InvalidParameterError

__all__ = ["job_from_rows", "job_yaml", "search_skills"]

_WORD = re.compile(r"\w+")


def search_skills(skills: Mapping[str, Skill], text: str, *, limit: int = 30) -> list[Skill]:
    """Skills whose preferred or alternative label contains every word of ``text`` (ignoring
    case), best first: the label itself, then labels starting with the text, then labels with
    a word starting with it, then the rest; shorter labels first within each.

    >>> skills = {s.id: s for s in (Skill("a", "SQL"), Skill("b", "use SQL databases"),
    ...                             Skill("c", "MySQL"), Skill("d", "Python", ("py",)))}
    >>> [s.id for s in search_skills(skills, "sql")]
    ['a', 'b', 'c']
    >>> [s.id for s in search_skills(skills, "PY")]
    ['d']
    """
    words = [w.casefold() for w in _WORD.findall(text)]
    if not words or limit < 1:
        return []
    phrase = " ".join(words)
    ranked: list[tuple[tuple[int, int, str], Skill]] = []
    for skill in skills.values():
        best = None
        for i, label in enumerate((skill.label, *skill.alt_labels)):
            low = label.casefold()
            if not all(w in low for w in words):
                continue
            if low == phrase:
                rank = 0
            elif low.startswith(phrase):
                rank = 1
            elif re.search(r"\b" + re.escape(words[0]), low):
                rank = 2
            else:
                rank = 3
            key = (rank + (4 if i else 0), len(label), skill.label.casefold())
            best = key if best is None or key < best else best
        if best is not None:
            ranked.append((best, skill))
    ranked.sort(key=lambda pair: pair[0])
    return [skill for _, skill in ranked[:limit]]


def job_from_rows(rows: Iterable[Mapping[str, Any]], *, job_id: str = "job-ad",
                  title: str = "the job ad", description: str = "") -> Job:
    """The job an advisor edited: one requirement per row with a ``skill`` id, ``essential``
    (true: importance 1, false: optional, 0.5) and ``level`` (1 basic .. 4 expert, default 1);
    rows without a skill are skipped, a skill given twice counts once (the first row).

    Raises
    ------
    InvalidParameterError
        For a level outside 1..4, naming the skill.

    >>> job = job_from_rows([{"skill": "esco:sql", "essential": True, "level": 2},
    ...                      {"skill": "esco:py", "essential": False},
    ...                      {"skill": "", "level": 3}], title="analyst")
    >>> [(s.skill, s.importance, s.essential, s.level) for s in job.skills]
    [('esco:sql', 1.0, True, 2), ('esco:py', 0.5, False, 1)]
    """
    skills: dict[str, JobSkill] = {}
    for row in rows:
        skill = str(row.get("skill") or "").strip()
        if not skill or skill in skills:
            continue
        raw = row.get("level")
        try:
            level = 1 if raw is None or raw != raw or raw == "" else int(raw)
        except (TypeError, ValueError):
            raise InvalidParameterError(f"level of {skill} must be a whole number from 1 to 4, "
                                        f"got {raw!r}") from None
        if not 1 <= level <= 4:
            raise InvalidParameterError(f"level of {skill} must be from 1 (basic) to 4 (expert), "
                                        f"got {level}")
        essential = bool(row.get("essential", True))
        skills[skill] = JobSkill(skill, 1.0 if essential else 0.5, essential, level)
    return Job(job_id, title, tuple(skills.values()), description)


def job_yaml(job: Job, labels: Mapping[str, str], *, source: str = "") -> str:
    """The job as a ``pathways/1`` catalog file: the job (importance ``essential`` or
    ``optional``, its level) and the labels of its skills, so that it loads on its own or
    beside a catalog. ``source`` (e.g. "read from a job ad by pathways") goes in the header,
    with ESCO's attribution when the skills are ESCO's.

    >>> print(job_yaml(Job("j", "analyst", (JobSkill("esco:1", 1.0, True, 2),)), {"esco:1": "SQL"}))
    ... # doctest: +ELLIPSIS
    # Job edited in pathways.
    # This service uses the ESCO classification of the European Commission.
    format: pathways/1
    jobs:
    - id: j
      title: analyst
      skills:
      - skill: esco:1
        importance: essential
        level: 2
    skills:
    - id: esco:1
      label: SQL
    <BLANKLINE>
    """
    from pathways.io import dump_yaml
    from pathways.io.esco import ESCO_ATTRIBUTION

    entry: dict[str, Any] = {"id": job.id, "title": job.title}
    if job.description:
        entry["description"] = job.description
    entry["skills"] = [{"skill": s.skill,
                        "importance": "essential" if s.essential else "optional",
                        "level": s.level} for s in job.skills]
    data: dict[str, Any] = {"format": "pathways/1", "jobs": [entry]}
    named = [{"id": s.skill, "label": labels[s.skill]} for s in job.skills if labels.get(s.skill)]
    if named:
        data["skills"] = named
    header = "Job edited in pathways" + (f", {source}" if source else "") + "."
    if any(s.skill.startswith("esco:") for s in job.skills):
        header += "\n" + ESCO_ATTRIBUTION
    return dump_yaml(data, header=header)
