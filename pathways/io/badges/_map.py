"""Badges mapped to a catalog's courses and credentials, and imported as a learner's holdings.

Explicitly first (the achievement / badge class id, its ``humanCode``, or an alignment
``targetUrl`` / ``targetCode`` equal to a catalog id, to a ``badge_id``, or to the id
:func:`achievement_id` gives), else by name (an exact match of the normalised title is *high*
confidence, a :mod:`difflib` ratio of at least :data:`FUZZY_CUTOFF` is *medium*), else unmapped
and reported. Alignments to skills become learner skills. :func:`merge_badges` adds what an
import found to a learner profile.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, unquote

from pathways.domain import Catalog, Course, Credential, Holding, LearnerProfile, SkillLevel
from pathways.io._jsonld import text as _text
from pathways.io.badges._extract import Status, _BadgeProblem
from pathways.io.badges._read import AlignmentIn, NotABadge, _Badge, _ob2, _ob3, _read, _read_bytes
from pathways.io.badges._status import RevocationLists

__all__ = [
    "FUZZY_CUTOFF",
    "BadgeImport",
    "BadgeRecord",
    "Confidence",
    "achievement_id",
    "better_holding",
    "import_badge_bytes",
    "import_badge_files",
    "merge_badges",
]

_ESCO_SKILL = re.compile(r"^https?://data\.europa\.eu/esco/skill/([0-9a-fA-F-]{36})/?$")
_ONET = re.compile(r"^https?://(www\.)?(onetonline\.org|onetcenter\.org|services\.onetcenter\.org)/", re.I)
_CTID = re.compile(r"ce-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
#: ``targetType`` values (OB 3.0 AlignmentTargetType, and what wallets write) that name a
#: competency: an alignment of another type (``ceterms:Credential``, ``CTDL``, a rubric, a
#: level) is not a skill.
_COMPETENCY_TYPES = {"ceasn:competency", "competency", "competencydefinition", "skill",
                     "esco:skill", "onet:skill", "ext:competency"}
_SKILL_WORDS = re.compile(r"competenc|skill|knowledge|abilit", re.I)
_OUR_URN = re.compile(r"^urn:pathways:(course|credential):(.+)$")
_LEVEL_TEXT = re.compile(r"\blevel\s+([1-4])\b", re.IGNORECASE)
FUZZY_CUTOFF = 0.85

Confidence = Literal["explicit", "high", "medium"]


@dataclass(frozen=True, slots=True)
class BadgeRecord:
    """What reading one badge file found, and what became of it.

    ``holding`` is the course or credential the badge counts as (``None`` when the badge is
    unmapped, not yet valid, revoked or unreadable); ``message`` is the one-line report.
    """

    source: str
    status: Status
    message: str
    version: str | None = None  # "OB 2.0" or "OB 3.0"
    name: str | None = None
    achievement_id: str | None = None
    issuer: str | None = None
    issued: dt.date | None = None
    expires: dt.date | None = None
    kind: Literal["course", "credential"] | None = None
    item_id: str | None = None
    match: str | None = None  # how it was mapped, e.g. "badge_id", "name"
    confidence: Confidence | None = None
    score: float | None = None  # difflib ratio of a fuzzy name match
    verified: bool = False
    verification: str = ""
    skills: tuple[SkillLevel, ...] = ()
    holding: Holding | None = None


@dataclass
class BadgeImport:
    """Badges read from files: the holdings and skills they give, one message per badge."""

    holdings: list[Holding] = field(default_factory=list)
    skills: list[SkillLevel] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    badges: list[BadgeRecord] = field(default_factory=list)

    @property
    def problems(self) -> list[BadgeRecord]:
        """The badges that could not be read at all (malformed or unreadable files)."""
        return [b for b in self.badges if b.status in ("malformed", "unreadable")]


def _normalise(title: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a title.

    >>> _normalise("  Data Analysis with Python!  "), _normalise("Éthique de l'IA")
    ('data analysis with python', 'ethique de l ia')
    """
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def achievement_id(kind: Literal["course", "credential"], item_id: str) -> str:
    """The achievement id pathways gives a catalog item that has no ``badge_id``.

    Badges issued with this id map back to the item explicitly.

    >>> achievement_id("course", "UT-DA-101")
    'urn:pathways:course:UT-DA-101'
    """
    return f"urn:pathways:{kind}:{quote(item_id, safe='-._~:@!$&()*+,;=')}"


# --------------------------------------------------------------------------- mapping
class _Index:
    """Catalog lookups for mapping badges: explicit keys, normalised titles, skills."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.explicit: dict[str, tuple[str, str, str]] = {}
        self.titles: dict[str, list[tuple[str, str]]] = {}
        for kind, table in (("course", catalog.courses), ("credential", catalog.credentials)):
            for item in table.values():
                self.explicit.setdefault(item.id, (kind, item.id, "catalog id"))
                self.explicit.setdefault(achievement_id(kind, item.id),  # type: ignore[arg-type]
                                         (kind, item.id, "pathways id"))
                self.titles.setdefault(_normalise(item.title), []).append((kind, item.id))
        from pathways.io.ctdl._terms import ctid  # CTIDs of what ctdl export wrote

        for kind, table in (("course", catalog.courses), ("credential", catalog.credentials)):
            for item in table.values():
                aliases = [a for k, texts in item.details if k == "aliases" for a in texts]
                for alias in (*aliases, ctid(item.id)):
                    code = _CTID.search(alias)
                    key = code.group(0).lower() if code else alias
                    self.explicit.setdefault(key, (kind, item.id, "CTID" if code else "alias"))
        for kind, table in (("course", catalog.courses), ("credential", catalog.credentials)):
            for item in table.values():
                if item.badge_id:  # a badge_id wins over an id that happens to be equal
                    self.explicit[item.badge_id] = (kind, item.id, "badge_id")
        self.skill_names: dict[str, str] = {}
        for skill in catalog.skills.values():
            for name in (skill.label, *skill.alt_labels):
                self.skill_names.setdefault(_normalise(name), skill.id)

    def lookup(self, value: str | None) -> tuple[str, str, str] | None:
        if not value:
            return None
        found = self.explicit.get(value) or self.explicit.get(value.strip())
        if found is None:
            match = _OUR_URN.match(value.strip())
            if match:
                found = self.explicit.get(unquote(match.group(2)))
        if found is None:
            ctid = _CTID.search(value)
            if ctid:
                found = self.explicit.get(ctid.group(0).lower())
        return found

    def provider_name(self, kind: str, item_id: str) -> str:
        table = self.catalog.courses if kind == "course" else self.catalog.credentials
        item: Course | Credential = table[item_id]  # type: ignore[assignment]
        provider = self.catalog.providers.get(item.provider or "")
        return provider.name if provider else (item.provider or "")


def _map(badge: _Badge, index: _Index) -> tuple[tuple[str, str, str, Confidence, float | None] | None, str]:
    """``((kind, id, how, confidence, score) or None, why not)`` for one badge."""
    candidates = list(badge.keys)
    for a in badge.alignments:
        if _is_competency(a):
            continue  # an alignment to a competency is a skill, not the item itself
        candidates += [("alignment targetUrl", a.targetUrl or ""), ("alignment targetCode", a.targetCode or "")]
    for how, value in candidates:
        found = index.lookup(value)
        if found:
            kind, item_id, via = found
            label = f"{how} = {via}" if via != "catalog id" else how
            return (kind, item_id, label, "explicit", None), ""
    if not badge.name:
        return None, "it has no name to match and no course or credential has its id as badge_id"
    name = _normalise(badge.name)
    exact = index.titles.get(name, [])
    if exact:
        chosen = _break_tie(exact, badge, index)
        if chosen is None:
            ids = ", ".join(i for _, i in exact)
            return None, f"its name matches several items ({ids}): set badge_id on the right one"
        return (chosen[0], chosen[1], "name", "high", 1.0), ""
    close = difflib.get_close_matches(name, index.titles, n=3, cutoff=FUZZY_CUTOFF)
    if close:
        best = close[0]
        score = difflib.SequenceMatcher(None, name, best).ratio()
        pool = [c for t in close
                if difflib.SequenceMatcher(None, name, t).ratio() == score for c in index.titles[t]]
        chosen = _break_tie(pool, badge, index)
        if chosen is None:
            ids = ", ".join(i for _, i in pool)
            return None, f"its name is equally close to several items ({ids}): set badge_id"
        return (chosen[0], chosen[1], "similar name", "medium", round(score, 2)), ""
    return None, "no course or credential of the catalog has this id or a similar name"


def _break_tie(pool: list[tuple[str, str]], badge: _Badge, index: _Index) -> tuple[str, str] | None:
    if len(pool) == 1:
        return pool[0]
    if badge.issuer:
        same = [p for p in pool if _normalise(index.provider_name(*p)) == _normalise(badge.issuer)]
        if len(same) == 1:
            return same[0]
    return None


def _is_competency(a: AlignmentIn) -> bool:
    """Whether an alignment names a competency (a skill framework's item), by its type, its
    URL (ESCO skills, O*NET) or, for a CASE item, its framework's name."""
    kind = (a.targetType or "").strip().lower()
    if kind in _COMPETENCY_TYPES:
        return True
    url = (a.targetUrl or "").strip()
    if _ESCO_SKILL.match(url) or (not kind and _ONET.match(url)):
        return True
    if kind == "cfitem":  # CASE: items are competencies or anything else (degrees, levels)
        words = " ".join(str(_text(x) or "") for x in (a.targetFramework, a.targetDescription))
        return bool(_SKILL_WORDS.search(words))
    return False


def _skill_id(a: AlignmentIn, index: _Index) -> tuple[str, str] | None:
    """``(skill id, how)`` for an alignment to a competency, or ``None`` (see
    :func:`_is_competency`; an alignment to a skill of the catalog counts whatever its type)."""
    if a.targetType and "credential" in a.targetType.lower():
        return None
    url = (a.targetUrl or "").strip()
    code = (a.targetCode or "").strip()
    match = _ESCO_SKILL.match(url)
    if match:
        return f"esco:{match.group(1).lower()}", "ESCO"
    if code.startswith("esco:") or code in index.catalog.skills:
        return code, "code"
    if url in index.catalog.skills:
        return url, "url"
    name = _text(a.targetName)
    if name and _normalise(name) in index.skill_names:
        return index.skill_names[_normalise(name)], "name"
    if _is_competency(a) and url.startswith(("http://", "https://")):
        return url, "url"
    return None


def _skills(badge: _Badge, index: _Index, mapped: tuple[str, str] | None
            ) -> tuple[tuple[SkillLevel, ...], list[str]]:
    """The badge's skills, and the alignments not read as skills (each described)."""
    taught: dict[str, int] = {}
    if mapped and mapped[0] == "course":
        taught = {s.skill: s.level for s in index.catalog.courses[mapped[1]].skills}
    out: dict[str, int] = {}  # level: stated in the alignment, else taught by the course, else 1
    ignored: list[str] = []
    for a in badge.alignments:
        if index.lookup(a.targetUrl) or index.lookup(a.targetCode):
            continue  # this alignment named the item itself
        found = _skill_id(a, index)
        if found is None:
            shown = _text(a.targetName) or a.targetUrl or a.targetCode or "an alignment"
            kind = f"targetType {a.targetType}" if a.targetType else "no targetType"
            ignored.append(f"{shown} ({kind})")
            continue
        skill = found[0]
        described = _LEVEL_TEXT.search(_text(a.targetDescription) or "")
        level = int(described.group(1)) if described else taught.get(skill, 1)
        out[skill] = max(level, out.get(skill, 0))
    return tuple(SkillLevel(s, lvl) for s, lvl in out.items()), ignored


# --------------------------------------------------------------------------- import
def _record(source: str, raw: bytes | None, index: _Index, today: dt.date,
            lists: RevocationLists) -> BadgeRecord:
    """One badge's record: read from ``source`` (a path), or from ``raw`` (an upload's
    bytes, ``source`` its name)."""
    shown = Path(source).name
    try:
        data, version, jws = _read(Path(source)) if raw is None else _read_bytes(raw, source)
        badge = _ob3(data, jws) if version == "OB 3.0" else _ob2(data, jws)
    except NotABadge as why:
        return BadgeRecord(source=source, status="skipped", version="VC",
                           message=f"{shown}: skipped: {why}", verification="not read")
    except _BadgeProblem as problem:
        version = f"{problem.version} " if problem.version else ""
        what = "unreadable" if problem.status == "unreadable" else f"{version}malformed"
        return BadgeRecord(source=source, status=problem.status, version=problem.version,
                           message=f"{shown}: {what}: {problem}; not imported",
                           verification="not read")
    title = f"'{badge.name}'" if badge.name else f"<{badge.achievement_id}>"
    facts = [f"issued {badge.issued.isoformat()}"]
    if badge.issuer:
        facts.insert(0, badge.issuer)
    head = f"{shown}: {badge.version} {title} ({', '.join(facts)})"
    base: dict[str, Any] = {
        "source": source, "version": badge.version, "name": badge.name,
        "achievement_id": badge.achievement_id, "issuer": badge.issuer, "issued": badge.issued,
        "expires": badge.expires, "verification": badge.verification}
    mapping, why_not = _map(badge, index)
    mapped = (mapping[0], mapping[1]) if mapping else None
    skills, ignored = _skills(badge, index, mapped)
    notes = [*badge.notes]
    if skills:
        notes.append(f"skills {', '.join(f'{s.skill} (level {s.level})' for s in skills)}")
    if ignored:
        notes.append(f"alignments not read as skills (not competencies): {', '.join(ignored)}")
    revoked = badge.revoked
    for url, position, purpose in badge.status:
        check = lists.check(url, position, purpose, badge.credential_id)
        if check.state in ("revoked", "suspended"):
            revoked = revoked or f"{check.reason or check.state}: list {url}"
        elif check.state == "valid":
            notes.append(f"status checked: not revoked in the list {url}")
        else:
            notes.append(f"revocation not checked offline: status list at {url}"
                         + (f" ({check.reason})" if check.reason else "")
                         + " (download it and pass it with --revocation-list)")
    tail = "".join(f"; {n}" for n in notes) + f"; {badge.verification}"
    if revoked is not None:
        return BadgeRecord(status="revoked", skills=(),
                           message=f"{head}: revoked ({revoked}); not added{tail}", **base)
    if badge.issued > today:
        return BadgeRecord(status="not-yet-valid", skills=(),
                           message=(f"{head}: not yet valid (valid from {badge.issued.isoformat()}); "
                                    f"not added{tail}"), **base)
    expired = badge.expires is not None and badge.expires <= today
    status: Status = "expired" if expired else "valid"
    if mapping is None:
        target = badge.achievement_id or badge.name
        hint = f" (set badge_id: {target} on the course or credential it stands for)" if target else ""
        return BadgeRecord(status=status, skills=skills,
                           message=f"{head}: unmapped: {why_not}{hint}; not added as a holding{tail}",
                           **base)
    kind, item_id, how, confidence, score = mapping
    holding = Holding(kind, item_id, badge.issued, badge.expires, source)  # type: ignore[arg-type]
    conf = ("explicit" if confidence == "explicit"
            else f"{confidence} confidence" + (f", ratio {score:.2f}" if score and score < 1 else ""))
    state = (f"; expired {badge.expires.isoformat()} (kept as an expired holding)" if expired  # type: ignore[union-attr]
             else f"; expires {badge.expires.isoformat()}" if badge.expires else "")
    return BadgeRecord(status=status, kind=kind, item_id=item_id, match=how,  # type: ignore[arg-type]
                       confidence=confidence, score=score, skills=skills, holding=holding,
                       message=f"{head} -> {kind} {item_id} by {how} ({conf}){state}{tail}", **base)


def better_holding(a: Holding, b: Holding, today: dt.date) -> Holding:
    """The better of two holdings of one course or credential: a valid one over an expired
    one; then the later expiry (none is latest); then the later date.

    >>> old = Holding("course", "A", dt.date(2020, 1, 1), dt.date(2021, 1, 1))
    >>> new = Holding("course", "A", dt.date(2024, 1, 1), dt.date(2027, 1, 1))
    >>> better_holding(old, new, dt.date(2025, 1, 1)) is new
    True
    """
    def rank(h: Holding) -> tuple[bool, dt.date, dt.date]:
        valid = h.expires is None or h.expires > today
        return valid, h.expires or dt.date.max, h.date

    return b if rank(b) > rank(a) else a


def _best_holdings(records: list[BadgeRecord], today: dt.date, out: BadgeImport) -> None:
    """One holding per course or credential: the best (:func:`better_holding`) of the badges
    mapped to it; each one left out is reported."""
    best: dict[tuple[str, str], Holding] = {}
    for record in records:
        h = record.holding
        if h is None:
            continue
        key = (h.kind, h.id)
        if key not in best:
            best[key] = h
            continue
        kept = better_holding(best[key], h, today)
        dropped = h if kept is best[key] else best[key]
        best[key] = kept
        if dropped != kept:
            out.messages.append(
                f"{Path(dropped.source or '').name}: {h.kind} {h.id} is held once: the badge from "
                f"{Path(kept.source or '').name} (issued {kept.date.isoformat()}"
                + (f", expires {kept.expires.isoformat()}" if kept.expires else "")
                + ") is kept, this one (issued " + dropped.date.isoformat()
                + (f", expires {dropped.expires.isoformat()}" if dropped.expires else "")
                + ") is not")
    out.holdings = list(best.values())


def import_badge_files(paths: Iterable[str | os.PathLike[str]], catalog: Catalog, *,
                       today: dt.date | None = None,
                       revocations: RevocationLists | None = None) -> BadgeImport:
    """Read badge files and map each badge to a course or credential of ``catalog``.

    Parameters
    ----------
    paths
        Badge files: Open Badges 2.0 assertion JSON, 3.0 credential JSON or compact JWS, or a
        baked PNG or SVG image.
    catalog
        The catalog whose courses and credentials the badges are mapped to.
    today
        The date that decides expired and not-yet-valid badges (default: today).
    revocations
        Status and revocation lists the user downloaded (:class:`RevocationLists`), applied
        to the badges whose ``credentialStatus`` (or OB 2.0 issuer's ``revocationList``)
        names them; a badge whose list is not given is reported "revocation not checked
        offline".

    Returns
    -------
    BadgeImport
        ``holdings`` (mapped badges, expired ones included with their expiry), ``skills``
        (from alignments, the highest level per skill), ``messages`` (one line per badge) and
        ``badges`` (a :class:`BadgeRecord` per file). Nothing is dropped silently: a badge that
        is malformed, unmapped, revoked or not yet valid has its message and record.

    Examples
    --------
    >>> from pathways.domain import Catalog, Course
    >>> import json, pathlib, tempfile
    >>> cat = Catalog(courses={"PY-1": Course("PY-1", "Python Basics", 20)})
    >>> badge = {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
    ...          "id": "https://example.org/a/1", "recipient": {"type": "email",
    ...          "identity": "a@example.org", "hashed": False}, "issuedOn": "2024-05-01",
    ...          "verification": {"type": "hosted"}, "badge": {"type": "BadgeClass",
    ...          "id": "https://example.org/b/py", "name": "Python basics"}}
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "py.json"
    >>> _ = path.write_text(json.dumps(badge))
    >>> result = import_badge_files([path], cat, today=dt.date(2025, 1, 1))
    >>> result.holdings[0].id, result.holdings[0].date, result.badges[0].confidence
    ('PY-1', datetime.date(2024, 5, 1), 'high')
    """
    return _import([(str(p), None) for p in paths], catalog, today, revocations)


def import_badge_bytes(files: Iterable[tuple[str, bytes]], catalog: Catalog, *,
                       today: dt.date | None = None,
                       revocations: RevocationLists | None = None) -> BadgeImport:
    """:func:`import_badge_files` for uploaded files (``(name, bytes)`` pairs): nothing is
    read from disk."""
    return _import([(name, raw) for name, raw in files], catalog, today, revocations)


def _import(sources: list[tuple[str, bytes | None]], catalog: Catalog, today: dt.date | None,
            revocations: RevocationLists | None) -> BadgeImport:
    index = _Index(catalog)
    day = today or dt.date.today()
    lists = revocations or RevocationLists()
    out = BadgeImport()
    best: dict[str, int] = {}
    for source, raw in sources:
        record = _record(source, raw, index, day, lists)
        out.badges.append(record)
        out.messages.append(record.message)
        for s in record.skills:
            best[s.skill] = max(s.level, best.get(s.skill, 0))
    _best_holdings(out.badges, day, out)
    out.skills = [SkillLevel(s, lvl) for s, lvl in best.items()]
    return out


def merge_badges(profile: LearnerProfile, holdings: Iterable[Holding],
                 skills: Iterable[SkillLevel], *, today: dt.date | None = None,
                 replaced: list[tuple[Holding, Holding]] | None = None
                 ) -> tuple[LearnerProfile, list[Holding], int]:
    """The profile with the holdings and skills of badges added: ``(profile, holdings added or
    updated, skills raised)``.

    A holding already in the profile (same course or credential and date) gains the badge's
    expiry when it had none; a skill keeps the higher of its two levels. A course or
    credential is held once: of a profile's holding and a badge's for the same item on
    another date, the better (:func:`better_holding` at ``today``) stays; each
    ``(left out, kept)`` pair is appended to ``replaced`` when given.

    >>> me = LearnerProfile("me", completed=(Holding("course", "A", dt.date(2024, 1, 5)),),
    ...                     skills=(SkillLevel("sql", 2),))
    >>> merged, added, raised = merge_badges(
    ...     me, [Holding("course", "A", dt.date(2024, 1, 5), dt.date(2027, 1, 5)),
    ...          Holding("course", "B", dt.date(2024, 3, 1))],
    ...     [SkillLevel("sql", 1), SkillLevel("python", 2)])
    >>> [(h.id, h.expires) for h in merged.completed], len(added), raised
    ([('A', datetime.date(2027, 1, 5)), ('B', None)], 2, 1)
    """
    completed = list(profile.completed)
    where = {(h.kind, h.id, h.date): i for i, h in enumerate(completed)}
    item = {(h.kind, h.id): i for i, h in enumerate(completed)}
    day = today or dt.date.today()
    added: list[Holding] = []
    for h in holdings:
        i = where.get((h.kind, h.id, h.date))
        j = item.get((h.kind, h.id))
        if i is None and j is not None:  # one holding per item: the better one stays
            if better_holding(completed[j], h, day) is not h:
                if replaced is not None:
                    replaced.append((h, completed[j]))
                continue
            if replaced is not None:
                replaced.append((completed[j], h))
            del where[(completed[j].kind, completed[j].id, completed[j].date)]
            completed[j] = h
            where[(h.kind, h.id, h.date)] = j
            added.append(h)
        elif i is None:
            where[(h.kind, h.id, h.date)] = len(completed)
            item[(h.kind, h.id)] = len(completed)
            completed.append(h)
            added.append(h)
        elif completed[i].expires is None and h.expires is not None:
            completed[i] = dataclasses.replace(completed[i], expires=h.expires)
            added.append(h)
    levels = {s.skill: s.level for s in profile.skills}
    changed = 0
    for s in skills:
        if s.level > levels.get(s.skill, 0):
            levels[s.skill] = s.level
            changed += 1
    merged = dataclasses.replace(profile, completed=tuple(completed),
                                 skills=tuple(SkillLevel(k, v) for k, v in levels.items()))
    return merged, added, changed

