"""A skills/occupations taxonomy (ESCO, O*NET) held in memory, with lookups. No I/O here.

The readers in :mod:`pathways.io.esco` and :mod:`pathways.io.onet` build a :class:`Taxonomy`
from the official downloads; this module only stores and queries it. Skills are
:class:`~pathways.domain.Skill` objects and occupations are :class:`~pathways.domain.Job`
objects, so a taxonomy plugs into everything that takes a catalog's ``skills`` and ``jobs``.

Identifiers
-----------
ESCO concept URIs are shortened: ``http://data.europa.eu/esco/skill/<uuid>`` is
``esco:<uuid>`` and ``http://data.europa.eu/esco/occupation/<uuid>`` is ``esco-occ:<uuid>``
(:func:`short_id`). O*NET ids are ``onet:<Element ID>`` (skills and knowledge),
``onet-tech:<slug>`` (technology examples) and ``onet:<O*NET-SOC code>`` (occupations).

Examples
--------
>>> from pathways.domain import Job, JobSkill, Skill
>>> tax = Taxonomy(
...     skills={"esco:1": Skill("esco:1", "Python (computer programming)", ("python",)),
...             "esco:2": Skill("esco:2", "computer programming")},
...     jobs={"esco-occ:9": Job("esco-occ:9", "software developer", (JobSkill("esco:1"),))},
...     broader={"esco:1": ("esco:2",)},
... )
>>> [s.id for s in tax.find_skills("PYTHON")], tax.narrower("esco:2")
(['esco:1'], ('esco:1',))
>>> [j.title for j in tax.find_jobs("developer")]
['software developer']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar

from pathways.domain import Job, JobSkill, Skill

__all__ = ["ESCO_OCCUPATION_PREFIX", "ESCO_SKILL_PREFIX", "Taxonomy", "short_id"]

ESCO_SKILL_PREFIX = "http://data.europa.eu/esco/skill/"
ESCO_OCCUPATION_PREFIX = "http://data.europa.eu/esco/occupation/"
_SHORT_FORMS = (
    (ESCO_SKILL_PREFIX, "esco:"),
    (ESCO_OCCUPATION_PREFIX, "esco-occ:"),
    ("http://data.europa.eu/esco/isced-f/", "esco-isced-f:"),
    ("http://data.europa.eu/esco/isco/", "esco-isco:"),
)


def short_id(uri: str) -> str:
    """The compact id of an ESCO concept URI; other strings are returned unchanged.

    >>> short_id("http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d")
    'esco:ccd0a1d9-afda-43d9-b901-96344886e14d'
    >>> short_id("http://data.europa.eu/esco/occupation/d3edb8f8-3a06-47a0-8fb9-9b212c006aa2")
    'esco-occ:d3edb8f8-3a06-47a0-8fb9-9b212c006aa2'
    """
    for prefix, short in _SHORT_FORMS:
        if uri.startswith(prefix):
            return short + uri[len(prefix):]
    return uri


K = TypeVar("K")
V = TypeVar("V")


def _freeze(mapping: Mapping[K, V] | None) -> Mapping[K, V]:
    return MappingProxyType(dict(mapping or {}))


class Taxonomy:
    """Skills, occupations and their relations, read-only after construction.

    Built by the readers (:func:`pathways.io.esco.load_esco`,
    :func:`pathways.io.onet.load_onet`); every argument after ``skills`` and ``jobs`` is
    optional, so a tiny taxonomy can be written inline in tests.

    Parameters
    ----------
    skills : mapping of str to Skill
        The skill concepts (for ESCO: skills/competences and knowledge), keyed by id.
    jobs : mapping of str to Job
        Occupations with their skill requirements (``Job.skills``), keyed by id.
    skill_types : mapping of str to str, optional
        ``"skill/competence"`` or ``"knowledge"`` (ESCO), ``"skill"``, ``"knowledge"`` or
        ``"technology"`` (O*NET); ``""`` when the source leaves it empty.
    reuse_levels : mapping of str to str, optional
        ESCO reuse level: ``transversal``, ``cross-sector``, ``sector-specific``,
        ``occupation-specific`` (or ``""``).
    job_groups : mapping of str to str, optional
        Occupation id to its group code: the ISCO-08 unit group (ESCO, e.g. ``"2512"``) or the
        SOC detailed occupation (O*NET, e.g. ``"15-1252"``).
    job_alt_titles : mapping of str to tuple of str, optional
        Alternative titles of each occupation, searched by :meth:`find_jobs`.
    broader : mapping of str to tuple of str, optional
        Skill id to the ids of its broader concepts (skills or skill groups).
    groups : mapping of str to Skill, optional
        Skill groups of the hierarchy (ESCO skill pillar groups), which are not skills.
    skill_flags : mapping of str to frozenset of str, optional
        Per-skill flags, e.g. ``{"hot_technology"}`` for O*NET technology examples.
    job_skill_flags : mapping of (str, str) to frozenset of str, optional
        Per-requirement flags keyed by ``(job id, skill id)``, e.g. ``{"in_demand"}``.
    skipped : mapping of str to int, optional
        Rows the reader skipped, counted by reason.
    source : str, optional
        Where the data came from, e.g. ``"ESCO v1.1.1"``.
    """

    def __init__(
        self,
        skills: Mapping[str, Skill],
        jobs: Mapping[str, Job],
        *,
        skill_types: Mapping[str, str] | None = None,
        reuse_levels: Mapping[str, str] | None = None,
        job_groups: Mapping[str, str] | None = None,
        job_alt_titles: Mapping[str, tuple[str, ...]] | None = None,
        broader: Mapping[str, tuple[str, ...]] | None = None,
        groups: Mapping[str, Skill] | None = None,
        skill_flags: Mapping[str, frozenset[str]] | None = None,
        job_skill_flags: Mapping[tuple[str, str], frozenset[str]] | None = None,
        skipped: Mapping[str, int] | None = None,
        source: str = "",
    ) -> None:
        self.skills: Mapping[str, Skill] = _freeze(skills)
        self.jobs: Mapping[str, Job] = _freeze(jobs)
        self.skill_types: Mapping[str, str] = _freeze(skill_types)
        self.reuse_levels: Mapping[str, str] = _freeze(reuse_levels)
        self.job_groups: Mapping[str, str] = _freeze(job_groups)
        self.job_alt_titles: Mapping[str, tuple[str, ...]] = _freeze(job_alt_titles)
        self.groups: Mapping[str, Skill] = _freeze(groups)
        self.skill_flags: Mapping[str, frozenset[str]] = _freeze(skill_flags)
        self.job_skill_flags: Mapping[tuple[str, str], frozenset[str]] = _freeze(job_skill_flags)
        self.skipped: Mapping[str, int] = _freeze(skipped)
        self.source = source
        self._broader: Mapping[str, tuple[str, ...]] = _freeze(
            {k: tuple(v) for k, v in (broader or {}).items() if v}
        )
        self._index: dict[str, Any] | None = None

    # ------------------------------------------------------------------ pickling
    # Skills and jobs travel as plain tuples: unpickling 140k frozen slotted dataclasses through
    # their generic ``__setstate__`` is ~5x slower than calling their constructors.
    def __getstate__(self) -> dict[str, Any]:
        state = {k: (dict(v) if isinstance(v, MappingProxyType) else v)
                 for k, v in self.__dict__.items()}
        state["_index"] = None  # rebuilt lazily
        state["skills"] = [(s.id, s.label, s.alt_labels, s.description)
                           for s in self.skills.values()]
        state["groups"] = [(s.id, s.label, s.alt_labels, s.description)
                           for s in self.groups.values()]
        state["jobs"] = [
            (j.id, j.title, j.description,
             tuple((r.skill, r.importance, r.essential, r.level) for r in j.skills))
            for j in self.jobs.values()
        ]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        state["skills"] = {t[0]: Skill(*t) for t in state["skills"]}
        state["groups"] = {t[0]: Skill(*t) for t in state["groups"]}
        shared: dict[tuple[str, float, bool, int], JobSkill] = {}
        jobs: dict[str, Job] = {}
        for jid, title, desc, reqs in state["jobs"]:
            made = []
            for r in reqs:
                js = shared.get(r)
                if js is None:
                    js = shared[r] = JobSkill(*r)
                made.append(js)
            jobs[jid] = Job(jid, title, tuple(made), desc)
        state["jobs"] = jobs
        for key, value in state.items():
            if isinstance(value, dict) and key != "_index":
                value = MappingProxyType(value)
            self.__dict__[key] = value

    def __repr__(self) -> str:
        src = f" {self.source!r}" if self.source else ""
        return f"<Taxonomy{src}: {len(self.skills)} skills, {len(self.jobs)} jobs>"

    # ------------------------------------------------------------------ lazy indexes
    def _indexes(self) -> dict[str, Any]:
        if self._index is None:
            by_label: dict[str, list[str]] = {}
            for sid, skill in self.skills.items():
                for label in dict.fromkeys((skill.label, *skill.alt_labels)):
                    by_label.setdefault(label.casefold().strip(), []).append(sid)
            narrower: dict[str, list[str]] = {}
            for child, parents in self._broader.items():
                for parent in parents:
                    narrower.setdefault(parent, []).append(child)
            titles = [
                (jid, tuple(t.casefold() for t in (job.title, *self.job_alt_titles.get(jid, ()))))
                for jid, job in self.jobs.items()
            ]
            self._index = {
                "by_label": {k: tuple(v) for k, v in by_label.items()},
                "narrower": {k: tuple(v) for k, v in narrower.items()},
                "titles": titles,
            }
        return self._index

    # ------------------------------------------------------------------ skills
    def skill(self, skill_id: str) -> Skill:
        """The skill (or skill group) with this id.

        Raises
        ------
        KeyError
            When neither a skill nor a group has this id.
        """
        found = self.skills.get(skill_id) or self.groups.get(skill_id)
        if found is None:
            raise KeyError(f"no skill {skill_id!r} in {self!r}")
        return found

    def find_skills(self, label: str) -> list[Skill]:
        """Skills whose preferred or alternative label equals ``label``, ignoring case.

        Preferred-label matches come first, then alt-label matches, each in taxonomy order.
        """
        key = label.casefold().strip()
        hits = [self.skills[s] for s in self._indexes()["by_label"].get(key, ())]
        return sorted(hits, key=lambda s: s.label.casefold().strip() != key)

    def broader(self, skill_id: str, *, groups: bool = True) -> tuple[str, ...]:
        """Ids of the direct broader concepts of a skill (with ``groups=False``: skills only)."""
        parents = self._broader.get(skill_id, ())
        return parents if groups else tuple(p for p in parents if p in self.skills)

    def narrower(self, skill_id: str) -> tuple[str, ...]:
        """Ids of the skills (and groups) whose direct broader concept is ``skill_id``."""
        return self._indexes()["narrower"].get(skill_id, ())

    # ------------------------------------------------------------------ jobs
    def job(self, job_id: str) -> Job:
        """The occupation with this id.

        Raises
        ------
        KeyError
            When no occupation has this id.
        """
        try:
            return self.jobs[job_id]
        except KeyError:
            raise KeyError(f"no occupation {job_id!r} in {self!r}") from None

    def find_jobs(self, text: str, *, alt_titles: bool = True) -> list[Job]:
        """Occupations whose title (or an alternative title) contains ``text``, ignoring case.

        Title matches come first, then alt-title-only matches, each in taxonomy order.
        """
        needle = text.casefold().strip()
        first: list[Job] = []
        second: list[Job] = []
        for jid, titles in self._indexes()["titles"]:
            if needle in titles[0]:
                first.append(self.jobs[jid])
            elif alt_titles and any(needle in t for t in titles[1:]):
                second.append(self.jobs[jid])
        return first + second

    def job_group(self, job_id: str) -> str:
        """The occupation's group code (ISCO-08 for ESCO), ``""`` when unknown."""
        return self.job_groups.get(job_id, "")

    # ------------------------------------------------------------------ statistics
    def relation_counts(self) -> dict[str, int]:
        """How many job-skill requirements are essential and optional.

        >>> from pathways.domain import Job, JobSkill, Skill
        >>> t = Taxonomy({"s": Skill("s", "s")},
        ...              {"j": Job("j", "j", (JobSkill("s"), JobSkill("s", 0.5, False)))})
        >>> t.relation_counts()
        {'essential': 1, 'optional': 1}
        """
        counts = {"essential": 0, "optional": 0}
        for job in self.jobs.values():
            for req in job.skills:
                counts["essential" if req.essential else "optional"] += 1
        return counts

    def skills_of(self, job_ids: Iterable[str]) -> dict[str, Skill]:
        """The skills that the given occupations require, in first-seen order."""
        out: dict[str, Skill] = {}
        for jid in job_ids:
            for req in self.jobs[jid].skills:
                if req.skill not in out and req.skill in self.skills:
                    out[req.skill] = self.skills[req.skill]
        return out
