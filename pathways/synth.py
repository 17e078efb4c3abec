"""Synthetic catalogs at scale: seeded, deterministic and valid by construction.

The generator lays courses out the way real continuing-education catalogs are organised:

- **Subject areas** of 30-90 courses, each offered by one provider, with its own words and a
  window of the skill vocabulary (neighbouring areas share some skills).
- **Levels** 0..7 inside an area. A course's prerequisites name only courses of lower levels
  (rarely of the previous area), so the prerequisite graph is a DAG whose longest chain holds at
  most 8 courses. Prerequisites mix ``and``/``or`` strings, ``{all: ...}``/``{any: ...}``
  mappings and plain lists.
- **Credentials nested three levels deep**: microcredentials of 2-5 courses of one area,
  certificates that stack microcredentials with core courses, ``choose: k`` electives and
  ``min_hours`` thresholds drawn from one or two neighbouring areas, and diplomas that stack
  certificates of nearby areas. A certificate's relevant subgraph therefore stays local (tens
  to a few hundred courses), whatever the size of the catalog.
- **Jobs** that require 5-15 skills of one or two areas' vocabulary, weighted ``essential``,
  ``optional`` or by a number.

Every ``choose`` picks from distinct options, every ``min_hours`` is below the hours its
courses total, and ids are unique across kinds, so :func:`synthetic_catalog` always validates.
The same arguments give the same data: all randomness comes from
``np.random.default_rng(seed)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from pathways._gc import gc_paused
from pathways.domain import Catalog
from pathways.errors import InvalidParameterError
from pathways.io.catalog import catalog_from_data

__all__ = ["synthetic_catalog", "synthetic_data", "university_catalog", "university_data",
           "university_learner"]

T = TypeVar("T")

# --------------------------------------------------------------------------- vocabulary
#: (subject, id code, topics): the words an area's titles, skills and descriptions use.
_SUBJECTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Data Analytics", "DATA", ("Descriptive Statistics", "Dashboards", "SQL Queries",
                                "Data Cleaning", "Spreadsheet Modelling", "Data Storytelling",
                                "Business Intelligence", "Predictive Analytics")),
    ("Cybersecurity", "CYB", ("Network Defence", "Threat Modelling", "Incident Response",
                              "Security Auditing", "Cryptography", "Identity Management",
                              "Penetration Testing", "Cloud Security")),
    ("Project Management", "PM", ("Project Scheduling", "Risk Management", "Agile Delivery",
                                  "Stakeholder Engagement", "Project Budgeting",
                                  "Scope Management", "Quality Assurance", "Programme Governance")),
    ("Accounting", "ACC", ("Financial Accounting", "Managerial Accounting", "Taxation",
                           "Auditing", "Cost Analysis", "Financial Reporting", "Payroll",
                           "Bookkeeping")),
    ("Digital Marketing", "MKT", ("Search Engine Optimisation", "Social Media Marketing",
                                  "Content Strategy", "Marketing Analytics", "Email Campaigns",
                                  "Brand Management", "Customer Research", "Paid Advertising")),
    ("Software Development", "SWD", ("Python Programming", "Web Development", "Version Control",
                                     "Software Testing", "Object-Oriented Design", "APIs",
                                     "Databases", "DevOps Practices")),
    ("Cloud Computing", "CLD", ("Cloud Architecture", "Containers", "Serverless Computing",
                                "Infrastructure as Code", "Cloud Networking", "Cost Optimisation",
                                "Site Reliability", "Cloud Migration")),
    ("Machine Learning", "ML", ("Supervised Learning", "Neural Networks", "Model Evaluation",
                                "Feature Engineering", "Natural Language Processing",
                                "Computer Vision", "MLOps", "Reinforcement Learning")),
    ("AI Ethics", "AIE", ("Algorithmic Fairness", "Privacy Law", "Responsible AI",
                          "AI Governance", "Explainability", "Data Ethics", "Bias Auditing",
                          "AI Policy")),
    ("Strategic Communication", "COM", ("Public Speaking", "Technical Writing",
                                        "Inclusive Communication", "Crisis Communication",
                                        "Media Relations", "Persuasive Writing",
                                        "Intercultural Communication", "Presentation Design")),
    ("Leadership", "LDR", ("Team Leadership", "Coaching", "Change Management",
                           "Conflict Resolution", "Strategic Planning", "Decision Making",
                           "Emotional Intelligence", "Negotiation")),
    ("Supply Chain Management", "SCM", ("Logistics", "Procurement", "Inventory Control",
                                        "Demand Planning", "Warehouse Operations",
                                        "Supplier Relations", "Lean Operations",
                                        "Transportation Planning")),
    ("Human Resources", "HR", ("Talent Acquisition", "Employment Law", "Compensation",
                               "Performance Management", "Workplace Wellness",
                               "Labour Relations", "Training Design", "HR Analytics")),
    ("Finance", "FIN", ("Corporate Finance", "Investment Analysis", "Financial Modelling",
                        "Risk Analysis", "Portfolio Management", "Fintech", "Valuation",
                        "Financial Planning")),
    ("Health Informatics", "HIN", ("Electronic Health Records", "Clinical Data",
                                   "Health Data Standards", "Telehealth", "Patient Privacy",
                                   "Health Analytics", "Clinical Workflows", "Medical Coding")),
    ("UX Design", "UXD", ("User Research", "Wireframing", "Prototyping", "Usability Testing",
                          "Interaction Design", "Accessibility", "Information Architecture",
                          "Visual Design")),
    ("Sustainability", "SUS", ("Carbon Accounting", "Environmental Policy",
                               "Sustainable Procurement", "ESG Reporting", "Circular Economy",
                               "Energy Management", "Climate Risk", "Life Cycle Assessment")),
    ("Business Analysis", "BA", ("Requirements Elicitation", "Process Modelling",
                                 "Business Cases", "Use Cases", "Gap Analysis",
                                 "Solution Evaluation", "Stakeholder Analysis",
                                 "Process Improvement")),
    ("Networking", "NET", ("Network Fundamentals", "Routing", "Switching", "Wireless Networks",
                           "Network Monitoring", "Network Automation", "IP Addressing",
                           "Network Troubleshooting")),
    ("Entrepreneurship", "ENT", ("Business Planning", "Lean Startup", "Venture Finance",
                                 "Market Validation", "Pitching", "Growth Strategy",
                                 "Small Business Management", "Social Enterprise")),
    ("Early Childhood Education", "ECE", ("Child Development", "Play-Based Learning",
                                          "Inclusive Classrooms", "Family Engagement",
                                          "Curriculum Planning", "Child Health and Safety",
                                          "Observation and Documentation", "Early Literacy")),
    ("Construction Management", "CON", ("Building Codes", "Construction Scheduling",
                                        "Site Safety", "Cost Estimating", "Contract Administration",
                                        "Building Information Modelling", "Green Building",
                                        "Quality Control")),
)

def _lower(text: str) -> str:
    """Lower case for running text, keeping acronyms: ``"AI Policy"`` -> ``"AI policy"``."""
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in text.split())


_VERBS = ("apply", "analyse", "design", "manage", "evaluate", "implement", "communicate",
          "plan", "monitor", "improve")
_QUALIFIERS = ("in teams", "at scale", "in regulated settings", "for clients", "in the public sector",
               "with open-source tools")

#: Title patterns by level (levels scale onto these eight).
_TITLES = ("Introduction to {t}", "Foundations of {t}", "Applied {t}", "{t} in Practice",
           "Intermediate {t}", "Advanced {t}", "Topics in {t}", "Capstone: {t}")
_LEVEL_SENTENCES = (
    "No prior experience is needed.",
    "It assumes the introductory course and adds guided exercises.",
    "Case studies from Canadian employers anchor each module.",
    "Learners complete a portfolio piece reviewed by an instructor.",
    "It builds on the prerequisite courses with larger projects.",
    "Advanced methods are practised on realistic data and scenarios.",
    "Current research and industry practice are discussed in seminars.",
    "A capstone project is completed with an industry partner.",
)

_PLACES = ("Northbridge", "Lakeshore", "Prairie", "Maritime", "Laurentian", "Cascadia",
           "Fraser", "Boreal", "Huron", "Algonquin", "Rideau", "Okanagan", "Superior",
           "Chinook", "Tidewater", "Kootenay")
_PROVIDER_KINDS = (("University School of Continuing Studies", "university"),
                   ("College", "college"), ("Polytechnic", "poly"),
                   ("Open University", "open"), ("Skills Academy", "academy"),
                   ("Online Learning", "online"))
_ROLES = ("analyst", "specialist", "coordinator", "manager", "technician", "consultant",
          "developer", "officer", "advisor", "lead")

_HOURS = (10, 12, 14, 15, 16, 18, 20, 21, 24, 25, 28, 30, 32, 35, 36, 39, 40, 42, 45, 48, 50,
          52, 54, 56, 60)
_SEASONS = ("winter", "summer", "fall")
_BADGE_MONTHS = (12, 24, 36)
_RECENCY_MONTHS = (36, 48, 60, 84, 120)

#: Average number of courses in a subject area.
_AREA_SIZE = 60
_MAX_LEVELS = 8


# --------------------------------------------------------------------------- random stream
class _Stream:
    """Uniform numbers from one numpy generator, drawn in blocks and handed out one by one.

    A Python loop that needs a few random choices per item is much faster this way than with
    one generator call per choice, and the sequence depends only on the seed.
    """

    __slots__ = ("_buf", "_pos", "_rng")

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._buf: list[float] = []
        self._pos = 0

    def u(self) -> float:
        if self._pos == len(self._buf):
            self._buf = self._rng.random(1 << 15).tolist()
            self._pos = 0
        x = self._buf[self._pos]
        self._pos += 1
        return x

    def below(self, n: int) -> int:
        """An integer in ``0 .. n-1``."""
        return min(int(self.u() * n), n - 1)

    def between(self, lo: int, hi: int) -> int:
        """An integer in ``lo .. hi`` (both included)."""
        return lo + self.below(hi - lo + 1)

    def chance(self, p: float) -> bool:
        return self.u() < p

    def pick(self, seq: Sequence[T]) -> T:
        return seq[self.below(len(seq))]

    def sample(self, seq: Sequence[T], k: int) -> list[T]:
        """``k`` distinct elements of ``seq`` (fewer if it is shorter), in random order."""
        pool = list(seq)
        k = min(k, len(pool))
        for i in range(k):
            j = i + self.below(len(pool) - i)
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]


# --------------------------------------------------------------------------- layout
@dataclass
class _Area:
    index: int
    subject: int
    code: str
    provider: str
    provider_name: str
    skills: list[str]
    levels: int = 1
    courses: list[str] = field(default_factory=list)  # in level order
    by_level: list[list[str]] = field(default_factory=list)


def _provider_rows(n: int) -> list[dict[str, str]]:
    rows = []
    n_places, n_kinds = len(_PLACES), len(_PROVIDER_KINDS)
    for i in range(n):
        place = _PLACES[i % n_places]
        kind, slug = _PROVIDER_KINDS[(i // n_places) % n_kinds]
        repeat = i // (n_places * n_kinds)
        suffix = f"-{repeat + 1}" if repeat else ""
        rows.append({"id": f"{place.lower()}-{slug}{suffix}",
                     "name": f"{place} {kind}" + (f" (campus {repeat + 1})" if repeat else "")})
    return rows


def _skill_rows(n_skills: int, area_subjects: list[int], draw: _Stream) -> list[dict[str, Any]]:
    """The vocabulary: skill ``i`` belongs to the subject of the area whose slice holds it."""
    n_areas = len(area_subjects)
    per_area = n_skills / n_areas
    seen_per_subject = [0] * len(_SUBJECTS)
    rows: list[dict[str, Any]] = []
    for i in range(n_skills):
        subject = area_subjects[min(int(i / per_area), n_areas - 1)]
        topics = _SUBJECTS[subject][2]
        j = seen_per_subject[subject]
        seen_per_subject[subject] += 1
        topic = _lower(topics[j % len(topics)])
        verb = _VERBS[(j // len(topics)) % len(_VERBS)]
        rounds = j // (len(topics) * len(_VERBS))
        label = f"{verb} {topic}"
        if rounds:
            label += f" {_QUALIFIERS[(rounds - 1) % len(_QUALIFIERS)]}"
            if rounds > len(_QUALIFIERS):
                label += f" ({rounds // len(_QUALIFIERS) + 1})"
        row: dict[str, Any] = {"id": f"skill-{i:06d}", "label": label}
        if draw.chance(0.1):
            row["alt_labels"] = [topic]
        rows.append(row)
    return rows


def _area_sizes(n_courses: int, n_areas: int, draw: _Stream) -> list[int]:
    weights = [0.6 + 0.8 * draw.u() for _ in range(n_areas)]
    total = sum(weights)
    sizes = [int(w / total * n_courses) for w in weights]
    for i in range(n_courses - sum(sizes)):
        sizes[i % n_areas] += 1
    return sizes


def _levels(m: int, rng: np.random.Generator) -> tuple[int, list[int]]:
    """How many levels an area of ``m`` courses has, and each course's level (sorted).

    Every level has a course, so the longest prerequisite chain can be as deep as the levels;
    the rest follow a pyramid (fewer courses at higher levels).
    """
    n_levels = min(_MAX_LEVELS, max(1, (m + 2) // 4))
    weights = 0.8 ** np.arange(n_levels)
    cumulative = np.cumsum(weights) / weights.sum()
    extra = np.minimum(np.searchsorted(cumulative, rng.random(m - n_levels), side="right"),
                       n_levels - 1)
    levels = sorted(list(range(n_levels)) + extra.tolist())
    return n_levels, levels


def _prerequisite_expr(refs: list[str], x: float) -> Any:
    """One of the forms the format allows for 1-3 course ids, chosen by ``x`` in [0, 1)."""
    if len(refs) == 1:
        (a,) = refs
        return a if x < 0.7 else ([a] if x < 0.9 else {"all": [a]})
    if len(refs) == 2:
        a, b = refs
        forms: list[Any] = [f"{a} and {b}", f"{a} or {b}", [a, b], {"any": [a, b]},
                            {"all": [a, b]}]
        return forms[min(int(x * len(forms)), len(forms) - 1)]
    a, b, c = refs[:3]
    forms = [f"{a} and ({b} or {c})", f"({a} or {b}) and {c}", f"{a} and {b} or {c}",
             [a, b, c], {"all": [a, {"any": [b, c]}]}, {"any": [{"all": [a, b]}, c]}]
    return forms[min(int(x * len(forms)), len(forms) - 1)]


def _title(level: int, n_levels: int, topic: str) -> str:
    index = level * len(_TITLES) // max(n_levels, 1) if n_levels < len(_TITLES) else level
    if level == n_levels - 1 and n_levels >= 4:
        index = len(_TITLES) - 1
    return _TITLES[min(index, len(_TITLES) - 1)].format(t=topic)


# --------------------------------------------------------------------------- courses
#: Columns of the per-course block of uniform draws in :func:`_courses`.
(_U_TOPIC, _U_HOURS, _U_COST, _U_DELIVERY, _U_TERMS, _U_TERMS_WHICH, _U_HAS_PREREQ, _U_NREF_A,
 _U_NREF_B, _U_FIRST, _U_REF2, _U_REF3, _U_CROSS2, _U_CROSS3, _U_FORM, _U_NSKILLS, _U_SKILL0,
 _U_JITTER0, _U_BADGE, _U_BADGE_MONTHS, _U_WORDS) = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                                                    13, 14, 15, 16, 20, 24, 25, 26)
_U_COLUMNS = 29
_DELIVERY_CUTS = ((0.55, "online"), (0.78, "hybrid"), (0.9, "in-person"))
_TERM_CHOICES = (("winter",), ("summer",), ("fall",), ("winter", "fall"), ("winter", "summer"),
                 ("summer", "fall"))


def _courses(areas: list[_Area], skill_labels: dict[str, str], *, descriptions: bool,
             rng: np.random.Generator) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """Course rows, area by area; each area draws one block of uniforms (one row per course)."""
    rows: list[dict[str, Any]] = []
    hours_of: dict[str, float] = {}
    n_hours, n_top_hours = len(_HOURS), len(_HOURS) - 8
    for area in areas:
        subject, _, topics = _SUBJECTS[area.subject]
        subject_lower = _lower(subject)
        topics_lower = [_lower(t) for t in topics]
        n_topics = len(topics)
        n_levels = area.levels
        window = area.skills
        n_window = len(window)
        block = rng.random((len(area.courses), _U_COLUMNS)).tolist()
        below: list[str] = []  # courses of lower levels, for extra prerequisites
        prev_below: list[list[str]] = []  # the previous area's courses below each level
        if area.index > 0:
            prev = areas[area.index - 1]
            acc: list[str] = []
            for ids in prev.by_level:
                prev_below.append(list(acc))
                acc.extend(ids)
            prev_below.append(acc)
        i = 0
        for lvl, ids in enumerate(area.by_level):
            top = lvl == n_levels - 1 and n_levels > 2
            proficiency = 1 + lvl * 4 // max(n_levels, _MAX_LEVELS // 2)
            sentence = _LEVEL_SENTENCES[min(lvl * _MAX_LEVELS // n_levels, _MAX_LEVELS - 1)]
            lower = area.by_level[lvl - 1] if lvl else []
            for k, course_id in enumerate(ids):
                u = block[i]
                i += 1
                topic = topics[int(u[_U_TOPIC] * n_topics)]
                title = _title(lvl, n_levels, topic)
                hours = (_HOURS[8 + int(u[_U_HOURS] * n_top_hours)] if top
                         else _HOURS[int(u[_U_HOURS] * n_hours)])
                cost = 5 * (40 + int(u[_U_COST] * 261))
                if cost % 100 == 0 and cost > 200:
                    cost -= 5  # 795, not 800
                row: dict[str, Any] = {"id": course_id, "title": title, "provider": area.provider,
                                       "hours": hours, "cost": cost}
                x = u[_U_DELIVERY]
                for cut, mode in _DELIVERY_CUTS:
                    if x < cut:
                        row["delivery"] = mode
                        break
                if u[_U_TERMS] < 0.25:
                    row["terms"] = list(_TERM_CHOICES[int(u[_U_TERMS_WHICH] * 6)])
                if lvl and (k == 0 or u[_U_HAS_PREREQ] < 0.85):
                    refs = [lower[int(u[_U_FIRST] * len(lower))]]
                    n_refs = 1 + (u[_U_NREF_A] > 0.45) + (u[_U_NREF_B] > 0.6)
                    for col, cross in ((_U_REF2, _U_CROSS2), (_U_REF3, _U_CROSS3))[:n_refs - 1]:
                        pool = below
                        if prev_below and u[cross] < 0.04:
                            pool = prev_below[min(lvl, len(prev_below) - 1)] or below
                        ref = pool[int(u[col] * len(pool))]
                        if ref not in refs:
                            refs.append(ref)
                    row["prerequisites"] = _prerequisite_expr(refs, u[_U_FORM])
                taught: list[str] = []
                if n_window:
                    # a partial Fisher-Yates shuffle of the area's skills, 1-4 of them
                    n_taught = 1 + int(u[_U_NSKILLS] * min(4, n_window))
                    pool = list(window)
                    for j in range(n_taught):
                        r = j + int(u[_U_SKILL0 + j] * (n_window - j))
                        pool[j], pool[r] = pool[r], pool[j]
                    taught = pool[:n_taught]
                    row["skills"] = [
                        {"skill": s, "level": max(1, proficiency - (u[_U_JITTER0 + j] < 0.15))}
                        for j, s in enumerate(taught)]
                if u[_U_BADGE] < 0.1:
                    row["badge_valid_months"] = _BADGE_MONTHS[int(u[_U_BADGE_MONTHS] * 3)]
                if descriptions:
                    w = [topics_lower[int(u[_U_WORDS + j] * n_topics)] for j in range(3)]
                    text = (f"{title} covers {w[0]}, {w[1]} and {w[2]} for {subject_lower} "
                            "professionals.")
                    if taught:
                        text += (" Learners practise how to "
                                 f"{' and '.join(skill_labels[s] for s in taught[:2])}.")
                    row["description"] = f"{text} {sentence}"
                rows.append(row)
                hours_of[course_id] = hours
            below.extend(ids)
    return rows, hours_of


def _near_duplicates(rows: list[dict[str, Any]], draw: _Stream) -> None:
    """Make a few course pairs near-duplicates (a provider re-listing a course), for overlap
    analysis: the copy keeps the text and adds one sentence."""
    for _ in range(max(1, len(rows) // 250)):
        i = draw.below(len(rows) - 1)
        original, copy = rows[i], rows[i + 1]
        copy["description"] = original["description"] + " Offered in an accelerated format."


# --------------------------------------------------------------------------- credentials
def _nearest(by_area: list[list[str]], area: int, want: int) -> list[str]:
    """Items of ``area`` and then of areas further and further away, until ``want`` are found."""
    found = list(by_area[area])
    n = len(by_area)
    d = 1
    while len(found) < want and d < n:
        for a in (area - d, area + d):
            if 0 <= a < n:
                found.extend(by_area[a])
        d += 1
    return found


def _min_hours_value(total: float, draw: _Stream) -> int:
    """A threshold between 40% and 90% of ``total``, on a multiple of 5 when it can be."""
    h = int(total * (0.4 + 0.5 * draw.u()))
    if h >= 10:
        h -= h % 5
    return max(1, min(h, int(total)))


def _credentials(areas: list[_Area], hours_of: dict[str, float], n_credentials: int, *,
                 descriptions: bool, draw: _Stream) -> list[dict[str, Any]]:
    n_areas = len(areas)
    n_dip = max(1 if n_credentials >= 3 else 0, round(0.1 * n_credentials))
    n_cert = max(1 if n_credentials >= 2 else 0, round(0.3 * n_credentials))
    n_mc = n_credentials - n_dip - n_cert
    rows: list[dict[str, Any]] = []

    def base(cred_id: str, title: str, level: str, area: _Area, subject: str) -> dict[str, Any]:
        row: dict[str, Any] = {"id": cred_id, "title": title, "level": level,
                               "provider": area.provider}
        if descriptions:
            row["description"] = f"A {level} in {_lower(subject)} from {area.provider_name}."
        return row

    def extras(row: dict[str, Any]) -> None:
        if draw.chance(0.1):
            row["recency_months"] = draw.pick(_RECENCY_MONTHS)
        if row["level"] != "diploma" and draw.chance(0.05):
            row["exclusive"] = True

    # microcredentials: 2-5 courses of one area, each course in few of them
    mc_by_area: list[list[str]] = [[] for _ in areas]
    mc_courses: dict[str, list[str]] = {}
    unused: dict[int, list[str]] = {}
    position = {c: i for area in areas for i, c in enumerate(area.courses)}
    for j in range(n_mc):
        area = areas[j * n_areas // n_mc]
        subject, code, topics = _SUBJECTS[area.subject]
        size = min(draw.between(2, 5), len(area.courses))
        pool = unused.get(area.index, [])
        chosen: list[str] = []
        while len(chosen) < size:
            if not pool:
                pool = draw.sample([c for c in area.courses if c not in chosen], len(area.courses))
            c = pool.pop()
            if c not in chosen:
                chosen.append(c)
        unused[area.index] = pool
        chosen.sort(key=position.__getitem__)
        n = len(chosen)
        x = draw.u()
        requires: Any
        if n >= 4 and x < 0.25:
            k = draw.between(1, 2)
            requires = {"all": chosen[:n - 3] + [{"choose": k, "from": chosen[n - 3:],
                                                  "label": "Electives"}]}
        elif n >= 3 and x < 0.45:
            rest = chosen[1:]
            h = _min_hours_value(sum(hours_of[c] for c in rest), draw)
            requires = {"all": [chosen[0], {"min_hours": h, "from": rest}]}
        elif x < 0.7:
            requires = chosen
        else:
            requires = {"all": chosen}
        cred_id = f"MC-{code}{area.index + 1}-{len(mc_by_area[area.index]) + 1}"
        row = base(cred_id, f"Microcredential in {draw.pick(topics)}", "microcredential", area,
                   subject)
        row["requires"] = requires
        extras(row)
        rows.append(row)
        mc_by_area[area.index].append(cred_id)
        mc_courses[cred_id] = chosen

    # certificates: microcredentials, core courses, electives and hours of one or two areas
    cert_by_area: list[list[str]] = [[] for _ in areas]
    for j in range(n_cert):
        area = areas[j * n_areas // n_cert]
        subject, code, _ = _SUBJECTS[area.subject]
        used_areas = [area]
        if n_areas > 1 and draw.chance(0.3):
            used_areas.append(areas[area.index + 1 if area.index + 1 < n_areas else area.index - 1])
        candidates = [m for a in used_areas for m in mc_by_area[a.index]]
        if not candidates and n_mc:
            candidates = _nearest(mc_by_area, area.index, 1)
        mcs = draw.sample(candidates, draw.between(1, 3))
        taken = {c for m in mcs for c in mc_courses[m]}
        pool = draw.sample([c for a in used_areas for c in a.courses if c not in taken],
                           16)
        parts: list[Any] = []
        if len(mcs) >= 2 and draw.chance(0.3):
            parts.append({"choose": len(mcs) - 1, "from": mcs, "label": "Microcredentials"})
        else:
            parts.extend(mcs)
        n_core = draw.between(0 if mcs else 1, 2)
        parts.extend(pool[:n_core])
        pool = pool[n_core:]
        if len(pool) >= 3 and draw.chance(0.7):
            n_opts = min(len(pool), draw.between(3, 6))
            options, pool = pool[:n_opts], pool[n_opts:]
            parts.append({"choose": draw.between(1, n_opts - 1), "from": options,
                          "label": "Electives"})
        if len(pool) >= 2 and draw.chance(0.5):
            listed = pool[:draw.between(2, 5)]
            parts.append({"min_hours": _min_hours_value(sum(hours_of[c] for c in listed), draw),
                          "from": listed, "label": "Practicum hours"})
        if not parts:
            parts.append(area.courses[-1])
        cred_id = f"CERT-{code}{area.index + 1}-{len(cert_by_area[area.index]) + 1}"
        row = base(cred_id, f"Certificate in {subject}", "certificate", area, subject)
        row["requires"] = {"all": parts}
        extras(row)
        rows.append(row)
        cert_by_area[area.index].append(cred_id)

    # diplomas: two to four certificates of nearby areas, sometimes a capstone course
    dip_count: dict[int, int] = {}
    for j in range(n_dip):
        area = areas[j * n_areas // n_dip]
        subject, code, _ = _SUBJECTS[area.subject]
        want = draw.between(2, 4)
        certs = _nearest(cert_by_area, area.index, want)[: want + 2]
        certs = draw.sample(certs, want)
        parts = []
        if len(certs) >= 3 and draw.chance(0.4):
            parts.append(certs[0])
            parts.append({"choose": draw.between(1, len(certs) - 2), "from": certs[1:],
                          "label": "Specialisation"})
        else:
            parts.extend(certs)
        if draw.chance(0.5) or not parts:
            parts.append(area.by_level[-1][0])
        dip_count[area.index] = dip_count.get(area.index, 0) + 1
        cred_id = f"DIP-{code}{area.index + 1}-{dip_count[area.index]}"
        row = base(cred_id, f"Diploma in {subject}", "diploma", area, subject)
        row["requires"] = {"all": parts}
        extras(row)
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- jobs
def _jobs(areas: list[_Area], n_jobs: int, *, descriptions: bool,
          draw: _Stream) -> list[dict[str, Any]]:
    rows = []
    n_areas = len(areas)
    for j in range(n_jobs):
        area = areas[j * n_areas // n_jobs]
        subject, _, topics = _SUBJECTS[area.subject]
        pool = list(area.skills)
        if n_areas > 1 and draw.chance(0.5):
            other = areas[area.index + 1 if area.index + 1 < n_areas else area.index - 1]
            pool += [s for s in other.skills if s not in pool]
        needed = []
        for s in draw.sample(pool, draw.between(5, 15)):
            x = draw.u()
            importance: Any
            if x < 0.5:
                importance = "essential"
            elif x < 0.8:
                importance = "optional"
            else:
                importance = round(0.1 + 0.9 * draw.u(), 2)
            needed.append({"skill": s, "importance": importance,
                           "level": 1 + (draw.u() > 0.5) + (draw.u() > 0.8)})
        row: dict[str, Any] = {"id": f"job-{j + 1:05d}",
                               "title": f"{_lower(subject)} {draw.pick(_ROLES)}",
                               "skills": needed}
        if descriptions:
            row["description"] = (f"Works with {_lower(draw.pick(topics))} and "
                                  f"{_lower(draw.pick(topics))} in {_lower(subject)} teams.")
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- public API
def _count(name: str, value: int | None, default: int, *, minimum: int = 0) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise InvalidParameterError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return int(value)


def synthetic_data(n_courses: int, n_credentials: int | None = None, *,
                   n_skills: int | None = None, n_jobs: int | None = None,
                   n_providers: int | None = None, seed: int = 0,
                   descriptions: bool = True) -> dict[str, Any]:
    """Catalog data in the YAML shape of ``docs/format.md``, valid by construction.

    Parameters
    ----------
    n_courses : int
        Number of courses, at least 1.
    n_credentials : int, optional
        Number of credentials: about 60% microcredentials, 30% certificates and 10% diplomas
        (at least one of each from 3 on). Default ``round(n_courses / 8)``.
    n_skills : int, optional
        Size of the skill vocabulary (ids ``skill-000000`` ...). Default
        ``max(50, round(n_courses / 5))``.
    n_jobs : int, optional
        Number of jobs, each requiring 5-15 skills. Default ``max(3, round(n_courses / 50))``.
    n_providers : int, optional
        Number of providers. Default ``max(3, min(400, round(sqrt(n_courses) / 2)))``.
    seed : int
        Seed of ``np.random.default_rng``; the same arguments always give equal data.
    descriptions : bool
        Whether courses, credentials and jobs get a ``description`` (turn off for smaller
        files when only the structure matters).

    Returns
    -------
    dict
        With keys ``format``, ``currency``, ``providers``, ``skills``, ``courses``,
        ``credentials`` and ``jobs``, ready for :func:`pathways.io.dump_yaml` or
        :func:`pathways.io.catalog_from_data`.

    Raises
    ------
    InvalidParameterError
        If a count is negative or ``n_courses`` is less than 1.

    Examples
    --------
    >>> data = synthetic_data(40, seed=1)
    >>> len(data["courses"]), len(data["credentials"]), len(data["jobs"])
    (40, 5, 3)
    >>> sorted({c["level"] for c in data["credentials"]})
    ['certificate', 'diploma', 'microcredential']
    >>> synthetic_data(40, seed=1) == data
    True
    """
    n_courses = _count("n_courses", n_courses, 0, minimum=1)
    n_credentials = _count("n_credentials", n_credentials, max(0, round(n_courses / 8)))
    n_skills = _count("n_skills", n_skills, max(50, round(n_courses / 5)))
    n_jobs = _count("n_jobs", n_jobs, max(3, round(n_courses / 50)))
    n_providers = _count("n_providers", n_providers,
                         max(3, min(400, round(math.sqrt(n_courses) / 2))), minimum=1)

    with gc_paused():
        return _generate(n_courses, n_credentials, n_skills, n_jobs, n_providers, seed,
                         descriptions)


def _generate(n_courses: int, n_credentials: int, n_skills: int, n_jobs: int,
              n_providers: int, seed: int, descriptions: bool) -> dict[str, Any]:
    """The work of :func:`synthetic_data`, once the counts are checked."""
    rng_layout, rng_courses, rng_credentials, rng_jobs = np.random.default_rng(seed).spawn(4)
    draw = _Stream(rng_layout)

    n_areas = max(1, round(n_courses / _AREA_SIZE))
    providers = _provider_rows(n_providers)
    owner = rng_layout.permutation(n_areas) % n_providers
    area_subjects = [draw.below(len(_SUBJECTS)) for _ in range(n_areas)]
    skills = _skill_rows(n_skills, area_subjects, draw) if n_skills else []
    skill_ids = [s["id"] for s in skills]

    # an area's skills: its own slice of the vocabulary and a quarter more from the next one
    per_area = n_skills / n_areas
    window = int(min(max(round(1.25 * per_area), 6), 30, n_skills))
    areas: list[_Area] = []
    for a, size in enumerate(_area_sizes(n_courses, n_areas, draw)):
        subject = area_subjects[a]
        start = int(a * per_area)
        area = _Area(index=a, subject=subject, code=f"{_SUBJECTS[subject][1]}{a + 1}",
                     provider=providers[int(owner[a])]["id"],
                     provider_name=providers[int(owner[a])]["name"],
                     skills=[skill_ids[(start + i) % n_skills] for i in range(window)])
        area.levels, levels = _levels(size, rng_layout)
        area.by_level = [[] for _ in range(area.levels)]
        for lvl in levels:
            ids = area.by_level[lvl]
            ids.append(f"{area.code}-{lvl + 1}{len(ids):02d}")
        area.courses = [c for ids in area.by_level for c in ids]
        areas.append(area)

    labels = {s["id"]: s["label"] for s in skills}
    courses, hours_of = _courses(areas, labels, descriptions=descriptions, rng=rng_courses)
    if descriptions and len(courses) >= 20:
        _near_duplicates(courses, _Stream(rng_courses))
    credentials = _credentials(areas, hours_of, n_credentials, descriptions=descriptions,
                               draw=_Stream(rng_credentials))
    jobs = _jobs(areas, n_jobs, descriptions=descriptions, draw=_Stream(rng_jobs))
    return {"format": "pathways/1", "currency": "CAD", "providers": providers, "skills": skills,
            "courses": courses, "credentials": credentials, "jobs": jobs}


def synthetic_catalog(n_courses: int, n_credentials: int | None = None, *, seed: int = 0,
                      **kw: Any) -> Catalog:
    """A synthetic catalog (see :func:`synthetic_data`), validated into a :class:`Catalog`.

    Parameters
    ----------
    n_courses, n_credentials, seed
        As for :func:`synthetic_data`.
    **kw
        The other keyword arguments of :func:`synthetic_data`.

    Returns
    -------
    Catalog
        The catalog that :func:`pathways.io.catalog_from_data` builds from the data.

    Examples
    --------
    >>> cat = synthetic_catalog(60, seed=2)
    >>> len(cat.courses), len(cat.credentials)
    (60, 8)
    """
    data = synthetic_data(n_courses, n_credentials, seed=seed, **kw)
    return catalog_from_data(data, source=f"<synthetic {n_courses} seed={seed}>").catalog



# =========================================================================== university programs
#: Hours of a course by credit weight (13 contact hours a credit), and how often each occurs.
_UNI_HOURS = ((39, 0.74), (26, 0.1), (52, 0.11), (13, 0.05))
#: Share of a department's courses at the 100, 200, 300 and 400 levels.
_UNI_LEVEL_SHARES = (0.28, 0.3, 0.25, 0.17)
#: Tuition per contact hour by department: equal hours and rates make many exact ties, as in
#: real programs where every 3-credit course of a faculty costs the same.
_UNI_RATES = (22, 25, 25, 28, 30)
_UNI_TERMS = (("fall",), ("winter",), ("fall", "winter"), ("summer",), ("winter", "summer"))
#: Program kinds, cycled through by index (about 40% majors, 30% certificates, 20% minors).
_UNI_KINDS = ("major", "certificate", "minor", "major", "certificate", "major", "minor",
              "degree", "major", "certificate")
_UNI_PREFIX = {"certificate": "CERT", "minor": "MIN", "major": "MAJ", "degree": "DEG"}
_UNI_LEVEL_NAME = {"certificate": "certificate", "minor": "other", "major": "degree",
                   "degree": "degree"}


@dataclass
class _Dept:
    index: int
    code: str
    name: str
    rate: int
    by_level: list[list[str]] = field(default_factory=list)  # levels 1..4 -> course ids
    chains: list[list[str]] = field(default_factory=list)  # prerequisite sequences

    def level(self, *levels: int) -> list[str]:
        return [c for lv in levels for c in self.by_level[lv - 1]]


def _uni_key(course_id: str) -> tuple[int, int]:
    number = course_id.rsplit("-", 1)[1]
    return int(number[0]), int(number[1:])


def _uni_courses(n: int, size: int, draw: _Stream) -> tuple[list[_Dept], list[dict[str, Any]],
                                                            dict[str, float]]:
    """Departments and their courses, 100- to 400-level, with prerequisite sequences 4-8 deep.

    A course's prerequisites name lower-level courses (or, for a sequence, the course before
    it, which sorts before it), so the prerequisite graph is a DAG.
    """
    depts: list[_Dept] = []
    for d in range(n):
        name, code, _ = _SUBJECTS[d % len(_SUBJECTS)]
        if d >= len(_SUBJECTS):
            code += str(d // len(_SUBJECTS) + 1)
        dept = _Dept(d, code, name, draw.pick(_UNI_RATES))
        counts = [max(1, round(size * s)) for s in _UNI_LEVEL_SHARES]
        dept.by_level = [[f"{code}-{lv + 1}{j + 1:02d}" for j in range(counts[lv])]
                         for lv in range(4)]
        depts.append(dept)
    before: dict[str, str] = {}  # sequence course -> the course before it
    for dept in depts:
        for _ in range(draw.between(2, 3)):
            length = draw.between(4, 8)
            chain: list[str] = []
            for i in range(length):
                lv = 1 + i * 4 // length
                pool = [c for c in dept.by_level[lv - 1] if c not in before and c not in chain
                        and (not chain or _uni_key(c) > _uni_key(chain[-1]))]
                if pool:
                    chain.append(draw.pick(pool))
            if len(chain) >= 2:
                for a, b in zip(chain, chain[1:]):
                    before[b] = a
                dept.chains.append(chain)
    cuts = []
    total = 0.0
    for hours, p in _UNI_HOURS:
        total += p
        cuts.append((total, hours))
    rows: list[dict[str, Any]] = []
    hours_of: dict[str, float] = {}
    for dept in depts:
        for lv in range(1, 5):
            ids = dept.by_level[lv - 1]
            for j, cid in enumerate(ids):
                x = draw.u()
                hours = next((h for cut, h in cuts if x < cut), _UNI_HOURS[0][0])
                row: dict[str, Any] = {"id": cid, "title": f"{dept.name} {cid.rsplit('-', 1)[1]}",
                                       "provider": "synth-u", "hours": hours,
                                       "cost": hours * dept.rate}
                if draw.chance(0.28):
                    row["terms"] = list(draw.pick(_UNI_TERMS))
                refs: list[str] = []
                if cid in before:
                    refs.append(before[cid])
                elif lv == 1:
                    if j and draw.chance(0.15):
                        refs.append(ids[draw.below(j)])
                elif draw.chance(0.75):
                    other = depts[(dept.index + 1) % len(depts)]
                    refs.append(draw.pick(other.by_level[lv - 2] if draw.chance(0.1)
                                          else dept.by_level[lv - 2]))
                if refs and lv > 1 and draw.chance(0.35):
                    extra = draw.pick(dept.level(*range(1, lv)))
                    if extra not in refs:
                        refs.append(extra)
                if refs:
                    joiner = " or " if len(refs) > 1 and draw.chance(0.4) else " and "
                    row["prerequisites"] = joiner.join(refs)
                rows.append(row)
                hours_of[cid] = hours
    _cap_depth(rows, _MAX_LEVELS)
    return depts, rows, hours_of


def _cap_depth(rows: list[dict[str, Any]], most: int) -> None:
    """Drop the prerequisites that would make a chain longer than ``most`` courses (an
    ``and``/``or`` of plain ids, as :func:`_uni_courses` writes them)."""
    by_id = {r["id"]: r for r in rows}
    depth: dict[str, int] = {}

    def refs(row: dict[str, Any]) -> tuple[list[str], str]:
        text = row.get("prerequisites", "")
        joiner = " or " if " or " in text else " and "
        return ([r for r in text.split(joiner) if r] if text else []), joiner

    def visit(cid: str) -> int:
        if cid in depth:
            return depth[cid]
        depth[cid] = most  # guards against cycles (there are none)
        row = by_id[cid]
        ids, joiner = refs(row)
        kept = [r for r in ids if visit(r) < most]
        if kept != ids:
            if kept:
                row["prerequisites"] = joiner.join(kept)
            else:
                del row["prerequisites"]
        depth[cid] = 1 + max((depth[r] for r in kept), default=0)
        return depth[cid]

    for row in rows:
        visit(row["id"])


class _Programs:
    """Builds program requirement trees over the departments (see :func:`university_data`)."""

    def __init__(self, depts: list[_Dept], hours_of: dict[str, float], max_options: int,
                 draw: _Stream) -> None:
        self.depts = depts
        self.hours_of = hours_of
        self.max_options = max_options
        self.draw = draw
        self.nested: dict[str, dict[int, list[str]]] = {"certificate": {}, "minor": {}}

    # -- pieces
    def some(self, pool: Sequence[str], lo: int, hi: int) -> list[str]:
        """Between ``lo`` and ``hi`` (at most ``max_options``) distinct ids of ``pool``, sorted."""
        want = min(self.draw.between(lo, hi), self.max_options, len(pool))
        return sorted(self.draw.sample(pool, want), key=lambda c: (c.split("-")[0], _uni_key(c)))

    def near(self, dept: _Dept, d: int) -> _Dept:
        return self.depts[(dept.index + d) % len(self.depts)]

    def others(self, dept: _Dept, n: int) -> list[_Dept]:
        pool = [x for x in self.depts if x.index != dept.index] or [dept]
        return self.draw.sample(pool, n)

    def choose(self, k: int, options: list[Any], label: str) -> dict[str, Any]:
        k = max(1, min(k, len(options)))
        if k == 1:
            return {"any": options, "label": label}
        return {"choose": k, "from": options, "label": label}

    def all_of(self, ids: list[str], label: str) -> Any:
        return {"all": ids, "label": label} if len(ids) > 1 else ids[0]

    def hours(self, pool: list[str], label: str, courses: tuple[int, int]) -> dict[str, Any]:
        listed = self.some(pool, 100, 300)
        total = sum(self.hours_of[c] for c in listed)
        want = 39 * self.draw.between(*courses)
        return {"min_hours": max(1, min(want, int(total * 0.8))), "from": listed, "label": label}

    # -- groups
    def core(self, dept: _Dept, lo: int, hi: int) -> Any:
        pool = dept.level(1, 2)
        first = [ch[0] for ch in dept.chains if _uni_key(ch[0])[0] <= 2]
        n = self.draw.between(lo, hi)
        picked = self.draw.sample(first, min(1, len(first), n))
        picked += [c for c in self.draw.sample(pool, n) if c not in picked][:n - len(picked)]
        return self.all_of(sorted(picked, key=_uni_key), "Core courses")

    def upper(self, dept: _Dept, k: int) -> dict[str, Any]:
        return self.choose(k, self.some(dept.level(3, 4), 20, 300),
                           f"{k} courses at the 300 level or above")

    def electives(self, depts: list[_Dept], k: int, label: str) -> dict[str, Any]:
        pool = [c for x in depts for c in x.level(2, 3, 4)]
        return self.choose(k, self.some(pool, 50, 300), label)

    def distribution(self, dept: _Dept) -> dict[str, Any]:
        areas = []
        for x in self.others(dept, self.draw.between(4, 5)):
            areas.append({"any": self.some(x.level(1, 2), 20, 60), "label": f"Area: {x.name}"})
        return self.choose(self.draw.between(2, 3), areas, "Distribution requirement")

    def breadth(self, dept: _Dept) -> dict[str, Any]:
        pool = [c for x in self.others(dept, 4) for c in x.level(1, 2)]
        return self.hours(pool, "Breadth hours", (2, 4))

    def specialisation(self, dept: _Dept) -> dict[str, Any]:
        options: list[Any] = []
        chain = self.draw.pick(dept.chains) if dept.chains else []
        if len(chain) >= 3:
            i = self.draw.below(len(chain) - 1)
            options.append({"all": chain[i:i + 2], "label": "Sequence"})
        options.append(self.choose(2, self.some(dept.level(2, 3), 20, 40), "Methods"))
        options.append({"any": self.some(self.near(dept, 1).level(3, 4), 20, 40),
                        "label": "Applications"})
        return self.choose(2, options, "Specialisation")

    def capstone(self, dept: _Dept) -> dict[str, Any]:
        ends = [ch[-1] for ch in dept.chains if _uni_key(ch[-1])[0] == 4]
        pool = sorted(set(ends) | set(self.draw.sample(dept.level(4), 3)), key=_uni_key)
        return {"any": pool, "label": "Capstone"}

    def quantitative(self, dept: _Dept) -> dict[str, Any]:
        math = self.depts[(dept.index + len(self.depts) // 2) % len(self.depts)]
        return {"any": self.some(math.level(1, 2), 20, 40), "label": "Quantitative reasoning"}

    # -- programs
    def program(self, kind: str, dept: _Dept) -> tuple[Any, dict[str, Any]]:
        """The requirement tree of a program, and extra credential keys."""
        draw = self.draw
        extra: dict[str, Any] = {}
        if kind == "certificate":
            parts = [self.core(dept, 2, 2),
                     self.choose(2, self.some(dept.level(1, 2, 3), 20, 40),
                                 "Certificate electives")]
            if draw.chance(0.5):
                parts.append({"any": self.some(dept.level(2, 3), 20, 30),
                              "label": "Applied course"})
            if draw.chance(0.25):
                extra["recency_months"] = draw.pick((60, 84, 120))
            if draw.chance(0.08):
                extra["exclusive"] = True
        elif kind == "minor":
            parts = [self.core(dept, 1, 2), self.choose(3, self.some(dept.level(2, 3, 4), 20, 100),
                                                        "Courses at the 200 level or above"),
                     self.upper(dept, 1)]
            if draw.chance(0.4):
                parts.append(self.hours(dept.level(1, 2, 3, 4), "Minor hours", (4, 5)))
        elif kind == "major":
            parts = [self.core(dept, 3, 4), self.upper(dept, draw.between(2, 3)),
                     self.electives([dept, self.near(dept, 1)], draw.between(2, 3),
                                    "Program electives"),
                     self.capstone(dept)]
            optional: list[Any] = [
                lambda: self.distribution(dept), lambda: self.breadth(dept),
                lambda: self.specialisation(dept), lambda: self.quantitative(dept),
                lambda: self.electives([self.near(dept, -1)], 2, "Cognate electives"),
                lambda: self.choose(1, self.some(dept.level(4), 20, 60),
                                    "One course at the 400 level"),
                lambda: {"any": self.some(self.near(dept, 2).level(1), 20, 40),
                         "label": "Writing requirement"},
                lambda: self.hours(dept.level(2, 3, 4), "Discipline hours", (5, 7)),
            ]
            nested = self.nested["certificate"].get(dept.index, []) + \
                self.nested["minor"].get(self.near(dept, 1).index, [])
            if nested:
                optional.append(lambda: draw.pick(nested))
            for make in draw.sample(optional, draw.between(2, min(8, len(optional)))):
                parts.append(make())
        else:  # degree: a general degree that stacks a minor or certificate
            stacked = [c for group in self.nested.values() for ids in group.values() for c in ids]
            parts = []
            if stacked:
                parts.append(self.choose(1, self.draw.sample(stacked, 3), "Concentration"))
            parts.extend([self.distribution(dept), self.quantitative(dept),
                          {"any": self.some(self.near(dept, 2).level(1), 20, 40),
                           "label": "Writing requirement"}, self.breadth(dept)])
        return {"all": parts}, extra


def university_data(n_programs: int = 24, *, n_departments: int | None = None,
                    department_size: int = 150, max_options: int = 300,
                    seed: int = 0) -> dict[str, Any]:
    """A university's courses and programs in the YAML shape of ``docs/format.md``.

    The shapes of real university programs, for tests and benchmarks of the planner and audit:

    - **Departments** of ``department_size`` courses at the 100-400 levels (more at the lower
      levels), 13-52 hours, tuition by the hour (many exact ties), some offered in some terms
      only. Prerequisites name lower-level courses (``A``, ``A and B``, ``A or B``), and each
      department has two or three **sequences** 4-8 courses deep.
    - **Programs** (certificates, minors, majors and general degrees) of 2-14 requirement
      groups: core courses (``all``); ``choose k`` lists of 20-300 courses that overlap
      between groups (electives of the department and a neighbour, "k courses at the 300 level
      or above"); a nested ``choose 2`` of a sequence, a methods list and an applications
      list; distribution areas (``choose 2-3`` of labelled ``any`` lists of other departments);
      ``min_hours`` thresholds over lists of 100-300 courses; capstones at the end of a
      sequence; and stacked credentials (a major that includes a certificate of its department,
      a degree that includes a minor). Some certificates have a recency window, a few are
      exclusive.

    Parameters
    ----------
    n_programs : int
        Number of programs (credentials), at least 1.
    n_departments : int, optional
        Default ``max(4, min(30, n_programs))``.
    department_size : int
        Courses per department, at least 4.
    max_options : int
        The largest list of options a group may have (lower it for small test instances).
    seed : int
        Seed of ``np.random.default_rng``; equal arguments give equal data.

    Returns
    -------
    dict
        With ``format``, ``currency``, ``providers``, ``courses`` and ``credentials`` (programs
        nested ones first), ready for :func:`pathways.io.catalog_from_data`.

    Examples
    --------
    >>> data = university_data(6, department_size=40, seed=1)
    >>> len(data["courses"]), [c["id"] for c in data["credentials"]][:3]
    (240, ['U-CERT-CYB-1', 'U-CERT-MKT-1', 'U-MIN-PM-1'])
    >>> university_data(6, department_size=40, seed=1) == data
    True
    """
    n_programs = _count("n_programs", n_programs, 0, minimum=1)
    n_departments = _count("n_departments", n_departments, max(4, min(30, n_programs)),
                           minimum=1)
    department_size = _count("department_size", department_size, 0, minimum=4)
    max_options = _count("max_options", max_options, 0, minimum=2)
    rng_courses, rng_programs = np.random.default_rng(seed).spawn(2)
    with gc_paused():
        depts, courses, hours_of = _uni_courses(n_departments, department_size,
                                                _Stream(rng_courses))
        builder = _Programs(depts, hours_of, max_options, _Stream(rng_programs))
        kinds = [_UNI_KINDS[j % len(_UNI_KINDS)] for j in range(n_programs)]
        homes = {j: depts[j % n_departments] for j in range(n_programs)}
        order = {"certificate": 0, "minor": 1, "major": 2, "degree": 3}
        credentials: list[dict[str, Any]] = []
        counter: dict[tuple[str, str], int] = {}
        for j in sorted(range(n_programs), key=lambda j: (order[kinds[j]], j)):
            kind, dept = kinds[j], homes[j]
            requires, extra = builder.program(kind, dept)
            key = (kind, dept.code)
            counter[key] = counter.get(key, 0) + 1
            cred_id = f"U-{_UNI_PREFIX[kind]}-{dept.code}-{counter[key]}"
            credentials.append({"id": cred_id, "title": f"{kind.title()} in {dept.name}",
                                "level": _UNI_LEVEL_NAME[kind], "provider": "synth-u",
                                "requires": requires, **extra})
            if kind in builder.nested:
                builder.nested[kind].setdefault(dept.index, []).append(cred_id)
    return {"format": "pathways/1", "currency": "CAD",
            "providers": [{"id": "synth-u", "name": "Synthetic University"}],
            "courses": courses, "credentials": credentials}


def university_catalog(n_programs: int = 24, *, seed: int = 0, **kw: Any) -> Catalog:
    """The catalog of :func:`university_data`, validated.

    >>> cat = university_catalog(4, department_size=20, seed=3)
    >>> len(cat.courses), len(cat.credentials)
    (80, 4)
    """
    data = university_data(n_programs, seed=seed, **kw)
    return catalog_from_data(data, source=f"<university {n_programs} seed={seed}>").catalog


def university_learner(catalog: Catalog, n_courses: int, *, program: str | None = None,
                       seed: int = 0, start: Any = None, constraints: Any = None,
                       learner_id: str | None = None) -> Any:
    """A learner who has completed ``n_courses`` courses, as a transcript would show them.

    Courses are taken in an order their prerequisites allow, about 70% of them (while there are
    some) from the courses ``program`` names or needs as prerequisites; completion dates run
    term by term up to the term before ``start``, about four courses a term, so the oldest are
    years old (recency windows matter).

    Parameters
    ----------
    catalog : Catalog
    n_courses : int
        How many courses the transcript holds (fewer if the catalog has fewer).
    program : str, optional
        A credential id the learner is working toward (their goal).
    seed : int
    start : Term, optional
        The plan's first term (default 2027-winter).
    constraints : Constraints, optional
        Default: only the start term.
    learner_id : str, optional

    Returns
    -------
    LearnerProfile

    Examples
    --------
    >>> cat = university_catalog(4, department_size=20, seed=3)
    >>> me = university_learner(cat, 20, program="U-MAJ-DATA-1", seed=1)
    >>> len(me.completed), me.goals.credentials
    (20, ('U-MAJ-DATA-1',))
    """
    from dataclasses import replace as _replace

    from pathways.domain import (
        Constraints,
        Goals,
        Holding,
        LearnerProfile,
        Term,
        iter_nodes,
        leaf_ids,
    )

    n_courses = _count("n_courses", n_courses, 0)
    start = start if start is not None else Term(2027, 0)
    cons = constraints if constraints is not None else Constraints()
    if cons.start is None:
        cons = _replace(cons, start=start)
    draw = _Stream(np.random.default_rng(seed))
    relevant: set[str] = set()
    if program is not None:
        todo = [program]
        seen: set[str] = set()
        while todo:
            item = todo.pop()
            if item in seen:
                continue
            seen.add(item)
            if item in catalog.credentials:
                for node in iter_nodes(catalog.credentials[item].requires):
                    ids = getattr(node, "courses", None) or (
                        (node.id,) if hasattr(node, "id") else ())
                    todo.extend(ids)
            elif item in catalog.courses:
                relevant.add(item)
                pre = catalog.courses[item].prerequisites
                if pre is not None:
                    todo.extend(leaf_ids(pre))
    done: list[str] = []
    have: set[str] = set()
    remaining = sorted(catalog.courses)
    while len(done) < n_courses and remaining:
        ready = [c for c in remaining if _prerequisites_held(catalog.courses[c].prerequisites, have)]
        if not ready:
            break
        near = [c for c in ready if c in relevant]
        pick = draw.pick(near if near and draw.chance(0.7) else ready)
        done.append(pick)
        have.add(pick)
        remaining.remove(pick)
    per_term = 4
    n_terms = max(1, -(-len(done) // per_term))
    holdings = []
    for i, c in enumerate(done):
        term = start.next(-(n_terms - i // per_term))
        holdings.append(Holding("course", c, term.end))
    goals = Goals(credentials=(program,)) if program is not None else Goals()
    return LearnerProfile(learner_id or f"transcript-{n_courses}-{seed}", completed=tuple(holdings),
                          goals=goals, constraints=cons)


def _prerequisites_held(node: Any, have: set[str]) -> bool:
    if node is None:
        return True
    if hasattr(node, "id"):
        return node.id in have
    k = getattr(node, "k", None)
    met = sum(_prerequisites_held(c, have) for c in node.children)
    return met >= (k if k is not None else len(node.children))
