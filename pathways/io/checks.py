"""Whole-catalog checks: duplicates, references, cycles, credentials that can never be earned.

The checks work on the domain catalog and report through a ``where`` object (see
:class:`pathways.io.catalog._Where`) that turns an id into file, line and key path. Cycles are
found by Kahn's algorithm (linear time, plain dicts), and only what it cannot remove is handed
to networkx to split into strongly connected components and name a cycle in each.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any, Protocol

from pathways.domain import AllOf, AnyOf, Catalog, Choose, MinHours, Node, Ref, iter_nodes, leaf_ids
from pathways.errors import Diagnostic
from pathways.io._yaml import format_keypath

__all__ = ["NoLocation", "check_catalog", "find_cycles", "is_external_skill", "warn_catalog"]

#: Beyond this many warnings of one kind, they are summed up in one line without locations.
MAX_LOCATED_WARNINGS = 50

_EXTERNAL_SKILL_PREFIXES = ("esco:", "onet:", "onet-tech:", "http://", "https://")


class _Where(Protocol):
    def all(self, kind: str, item_id: str) -> list[tuple[str, Any]]: ...
    def duplicated(self, kind: str) -> list[str]: ...
    def line(self, file: str, keypath: Any) -> int | None: ...
    def diagnostic(self, kind: str, item_id: str, message: str, hint: str, *,
                   key: str | None = None, value: str | None = None,
                   severity: str = "error") -> Diagnostic: ...


class NoLocation:
    """A ``where`` for a catalog that comes from no files (built in code, or checked after
    loading): diagnostics name the id only, and no id is duplicated."""

    def all(self, kind: str, item_id: str) -> list[tuple[str, Any]]:
        return []

    def duplicated(self, kind: str) -> list[str]:
        return []

    def line(self, file: str, keypath: Any) -> int | None:
        return None

    def diagnostic(self, kind: str, item_id: str, message: str, hint: str, *,
                   key: str | None = None, value: str | None = None,
                   severity: str = "error") -> Diagnostic:
        return Diagnostic(message, id=item_id, hint=hint, severity=severity)  # type: ignore[arg-type]


class Facts:
    """Things several checks need, computed once: the ids each tree names, a credential order."""

    def __init__(self, catalog: Catalog,
                 requirement_ids: dict[str, tuple[str, ...]] | None = None, *,
                 invalid_ids: Collection[str] = ()) -> None:
        """``requirement_ids``: the ids of each credential's tree (in :func:`leaf_ids` form),
        when the caller has them already (the loader gets them while parsing the trees).
        ``invalid_ids``: ids of items the file has but that were left out of ``catalog`` for
        their own problems (already reported): references to them are not unknown, and what
        depends on them is not judged."""
        self.invalid_ids = frozenset(invalid_ids)
        #: course id -> the courses its prerequisites name (a mapping whose keys are the ids)
        self.prereq_ids: Mapping[str, Collection[str]] = catalog.prerequisite_refs
        self.requirement_ids: dict[str, tuple[str, ...]] = (
            requirement_ids if requirement_ids is not None else
            {c.id: leaf_ids(c.requires) for c in catalog.credentials.values()})
        self._order: list[str] | None = None
        self._catalog = catalog
        self._prerequisite_ids: set[str] | None = None
        self._course_skill_ids: set[str] | None = None

    def prerequisite_ids(self) -> set[str]:
        """Every course id that some course names as a prerequisite."""
        if self._prerequisite_ids is None:
            named: set[str] = set()
            for refs in self.prereq_ids.values():
                named.update(refs)
            self._prerequisite_ids = named
        return self._prerequisite_ids

    def course_skill_ids(self) -> set[str]:
        """Every skill id that some course teaches."""
        if self._course_skill_ids is None:
            self._course_skill_ids = {s.skill for c in self._catalog.courses.values()
                                      for s in c.skills}
        return self._course_skill_ids

    def credential_order(self) -> list[str]:
        """Credentials, each after every credential it requires (ties by file order)."""
        if self._order is None:
            creds = self._catalog.credentials
            order: list[str] = []
            state: dict[str, int] = {}  # 1 = in progress, 2 = done
            for root in creds:
                if root in state:
                    continue
                stack = [(root, iter(self.requirement_ids[root]))]
                state[root] = 1
                while stack:
                    node, children = stack[-1]
                    for child in children:
                        if child in creds and child not in state:
                            state[child] = 1
                            stack.append((child, iter(self.requirement_ids[child])))
                            break
                    else:
                        stack.pop()
                        state[node] = 2
                        order.append(node)
            self._order = order
        return self._order


def is_external_skill(skill_id: str) -> bool:
    """True for ids of an outside vocabulary (ESCO, O*NET), which need not be listed.

    >>> is_external_skill("esco:ccd0a1d9-afda-43d9-b901-96344886e14d"), is_external_skill("sql")
    (True, False)
    """
    return skill_id.startswith(_EXTERNAL_SKILL_PREFIXES)


def _suggest(name: str, options: Iterable[str]) -> str:
    from pathways.io.schema import bad_id_character

    hidden = bad_id_character(name)
    if hidden is not None:  # the name looks right but is not: say why
        return f" ({name!r} contains {hidden}, which is invisible or a control character)"
    pool = list(options)
    if len(pool) > 20000:
        return ""
    close = difflib.get_close_matches(name, pool, n=1, cutoff=0.75)
    return f" (did you mean {close[0]}?)" if close else ""


# --------------------------------------------------------------------------- duplicates
def _duplicates(where: _Where, kinds: Iterable[str]) -> list[Diagnostic]:
    out: list[Diagnostic] = []

    for kind in kinds:
        for item_id in where.duplicated(kind):
            found = where.all(kind, item_id)
            if len(found) < 2:
                continue
            (f0, k0), (f1, k1) = found[0], found[1]
            if f0 == f1:
                where_text = f"lines {where.line(f0, k0)} and {where.line(f1, k1)}"
            else:
                where_text = f"{f0}:{where.line(f0, k0)} and {f1}:{where.line(f1, k1)}"
            more = f", {len(found)} times in all" if len(found) > 2 else ""
            d = where.diagnostic(kind, item_id, f"duplicate {kind} id {item_id} ({where_text}{more})",
                                 f"give each {kind} its own id, or remove the repeated entry")
            out.append(Diagnostic(d.message, file=f1, line=where.line(f1, k1),
                                  path=format_keypath(k1),
                                  id=item_id, hint=d.hint))
    return out


def _shared_ids(catalog: Catalog, where: _Where) -> list[Diagnostic]:
    """Courses, credentials, skills and jobs share one namespace (graph nodes)."""
    out = []
    tables = [("course", catalog.courses), ("credential", catalog.credentials),
              ("skill", catalog.skills), ("job", catalog.jobs)]
    for i, (kind_a, table_a) in enumerate(tables):
        for kind_b, table_b in tables[i + 1:]:
            small, large = (table_a, table_b) if len(table_a) < len(table_b) else (table_b, table_a)
            for item_id in small:
                if item_id in large:
                    out.append(where.diagnostic(
                        kind_b, item_id,
                        f"id {item_id} is used by both a {kind_a} and a {kind_b}",
                        "ids must be unique across courses, credentials, skills and jobs"))
    return out


# --------------------------------------------------------------------------- references
def _references(catalog: Catalog, where: _Where, facts: Facts) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    courses, credentials = catalog.courses, catalog.credentials
    check_skills = bool(catalog.skills)

    invalid = facts.invalid_ids

    def provider(kind: str, item_id: str, prov: str | None) -> None:
        if prov is not None and catalog.providers and prov not in catalog.providers \
                and prov not in invalid:
            out.append(where.diagnostic(
                kind, item_id, f"unknown provider {prov}{_suggest(prov, catalog.providers)}",
                "use a provider id from the providers: list, or add the provider there",
                key="provider"))

    def skill(kind: str, item_id: str, skill_id: str) -> None:
        if check_skills and skill_id not in catalog.skills and not is_external_skill(skill_id) \
                and skill_id not in invalid:
            out.append(where.diagnostic(
                kind, item_id, f"unknown skill {skill_id}{_suggest(skill_id, catalog.skills)}",
                "list the skill under skills:, or use an ESCO id (esco:<uuid>)",
                key="skills", value=skill_id))

    for course in courses.values() if not _courses_all_known(catalog, facts) else ():
        provider("course", course.id, course.provider)
        for s in course.skills:
            skill("course", course.id, s.skill)
        for ref in facts.prereq_ids.get(course.id, ()):
            if ref in courses or ref in invalid:
                continue
            if ref in credentials:
                message = f"prerequisite {ref} is a credential; prerequisites name courses"
            else:
                message = f"unknown course {ref} in the prerequisites of {course.id}{_suggest(ref, courses)}"
            out.append(where.diagnostic("course", course.id, message,
                                        "name courses of the catalog in prerequisites",
                                        key="prerequisites", value=ref))
    for cred in credentials.values():
        provider("credential", cred.id, cred.provider)
        if all(map(courses.__contains__, facts.requirement_ids[cred.id])):
            continue  # only course ids: nothing unknown, and min_hours lists courses only
        for node in iter_nodes(cred.requires):
            if isinstance(node, Ref) and node.id not in courses and node.id not in credentials \
                    and node.id not in invalid:
                pool = list(courses) + list(credentials)
                out.append(where.diagnostic(
                    "credential", cred.id,
                    f"unknown id {node.id} in credential {cred.id}{_suggest(node.id, pool)}",
                    "name a course or credential of the catalog", key="requires", value=node.id))
            elif isinstance(node, MinHours):
                for ref in node.courses:
                    if ref not in courses and ref not in invalid:
                        kind = "a credential" if ref in credentials else "not a course of the catalog"
                        out.append(where.diagnostic(
                            "credential", cred.id,
                            f"min_hours lists {ref} in credential {cred.id}, which is {kind}",
                            "min_hours counts the hours of courses; list course ids only",
                            key="requires", value=ref))
    for job in catalog.jobs.values() if check_skills else ():
        for s in job.skills:
            skill("job", job.id, s.skill)
    return out


def _courses_all_known(catalog: Catalog, facts: Facts) -> bool:
    """True when every provider, skill and prerequisite that courses name exists: set
    operations over the whole catalog, so that only a catalog with a problem is walked course
    by course to place each one."""
    courses = catalog.courses
    if catalog.providers:
        named = {c.provider for c in courses.values()}
        named.discard(None)
        if not named <= catalog.providers.keys():
            return False
    if catalog.skills:
        unknown = facts.course_skill_ids().difference(catalog.skills)
        if any(not is_external_skill(s) for s in unknown):
            return False
    return facts.prerequisite_ids() <= courses.keys()


# --------------------------------------------------------------------------- cycles
def find_cycles(ids: Sequence[str], successors: Mapping[str, Collection[str]]) -> list[list[str]]:
    """One cycle (as a closed list of ids) per strongly connected component that has one.

    ``successors`` maps an id to the ids it points to; ids outside ``ids`` are ignored. Kahn's
    algorithm (plain dicts, linear) removes every id that lies on no cycle and leads from no
    cycle; a valid catalog stops there, without importing networkx (about 0.3 s of a CLI
    call). What remains goes to networkx, which splits it into strongly connected components
    and names one cycle in each, components ordered by their first id in ``ids``.

    >>> find_cycles(["a", "b", "c"], {"a": ["b"], "b": ["a", "c"]})
    [['a', 'b', 'a']]
    """
    rest = _on_or_after_cycles(ids, successors)
    if not rest:
        return []
    import networkx as nx

    G = nx.DiGraph()
    G.add_nodes_from(rest)
    G.add_edges_from((u, v) for u in rest for v in successors.get(u, ()) if v in rest)
    position = {item: i for i, item in enumerate(ids)}
    components = [c for c in nx.strongly_connected_components(G)
                  if len(c) > 1 or any(G.has_edge(u, u) for u in c)]
    cycles = []
    for component in sorted(components, key=lambda c: min(position[u] for u in c)):
        sub = G.subgraph(component)
        cycle = [u for u, _ in nx.find_cycle(sub, source=min(sub))]
        cycles.append(cycle + [cycle[0]])
    return cycles


def _on_or_after_cycles(ids: Sequence[str], successors: Mapping[str, Collection[str]]
                        ) -> set[str]:
    """The ids Kahn's algorithm cannot remove: those on a cycle or reachable from one."""
    indegree = dict.fromkeys(ids, 0)
    for u, targets in successors.items():
        if u in indegree:
            for v in targets:
                if v in indegree:
                    indegree[v] += 1
    ready = [u for u, d in indegree.items() if not d]
    removed = 0
    while ready:
        u = ready.pop()
        removed += 1
        for v in successors.get(u, ()):
            d = indegree.get(v)
            if d is not None:
                indegree[v] = d - 1
                if d == 1:
                    ready.append(v)
    if removed == len(indegree):
        return set()
    return {u for u, d in indegree.items() if d}


def _cycle_text(cycle: list[str]) -> tuple[str, str]:
    """The ids on a cycle ("A and B", or a sorted list) and the chain "A -> B -> A"."""
    members = sorted(set(cycle))
    return (" and " if len(members) <= 2 else ", ").join(members), " -> ".join(cycle)


def _cycle_diagnostics(catalog: Catalog, where: _Where, facts: Facts) -> list[Diagnostic]:
    out = []
    for cycle in find_cycles(list(catalog.courses), facts.prereq_ids):
        members, chain_text = _cycle_text(cycle)
        out.append(where.diagnostic(
            "course", cycle[0], f"prerequisite cycle between {members}: {chain_text} (each needs the next)",
            "remove one of these prerequisites so the chain has a start", key="prerequisites"))
    for cycle in find_cycles(list(catalog.credentials), facts.requirement_ids):
        members, chain_text = _cycle_text(cycle)
        out.append(where.diagnostic(
            "credential", cycle[0],
            f"requirement cycle between credentials {members}: {chain_text} (each requires the next)",
            "a credential cannot require itself, directly or through others; remove one link",
            key="requires"))
    return out


# --------------------------------------------------------------------------- feasibility
def _describe(node: Node) -> str:
    return f' ("{node.label}")' if getattr(node, "label", None) else ""


def _why_not(node: Node, catalog: Catalog, earnable: dict[str, bool]) -> str | None:
    """Why a requirement tree can never be met (None when it can); ``earnable`` holds the
    credentials checked so far (see :meth:`Facts.credential_order`).

    A module function, not a closure: a recursive closure refers to itself, and that cycle
    kept the whole catalog alive after loading until the garbage collector's next full pass.
    """
    if isinstance(node, Ref):
        # a credential not judged (it is on a cycle, or needs items left out) counts as earnable
        if node.id in catalog.credentials and not earnable.get(node.id, True):
            return f"it needs {node.id}, which can never be earned"
        return None
    if isinstance(node, MinHours):
        if not all(c in catalog.courses for c in node.courses):
            return None  # unknown or left-out courses: reported as such, hours not judged
        total = sum(catalog.courses[c].hours for c in dict.fromkeys(node.courses))
        if total < node.hours:
            return (f"min_hours {node.hours:g}{_describe(node)} but the listed courses "
                    f"total {total:g}")
        return None
    assert isinstance(node, (AllOf, AnyOf, Choose))
    reasons = [_why_not(child, catalog, earnable) for child in node.children]
    if isinstance(node, AllOf):
        return next((r for r in reasons if r), None)
    # distinct satisfiable options: one course fills one slot, so a repeated leaf counts once
    ok_keys = set()
    for child, reason in zip(node.children, reasons):
        if reason is None:
            ok_keys.add(("ref", child.id) if isinstance(child, Ref) else ("node", id(child)))
    if len(ok_keys) >= node.k:
        return None
    if len(node.children) < node.k:
        return f"choose {node.k}{_describe(node)} from {len(node.children)}"
    failing = next((r for r in reasons if r), None)
    detail = f"; {failing}" if failing else " (some options repeat the same course)"
    return (f"choose {node.k}{_describe(node)} but only {len(ok_keys)} of its "
            f"{len(node.children)} options can be met{detail}")


def _never_earnable(catalog: Catalog, where: _Where, facts: Facts, *,
                    judge: bool = True) -> list[Diagnostic]:
    """Credentials that can never be earned; with ``judge`` False (credentials on a cycle)
    only those that need no other credential are judged."""
    earnable: dict[str, bool] = {}
    out = []
    known = catalog.courses.keys() | catalog.credentials.keys()
    for cred_id in facts.credential_order():
        refs = facts.requirement_ids[cred_id]
        if not known.issuperset(refs) or (not judge and any(r in catalog.credentials for r in refs)):
            continue  # it names something unknown or left out, or it may be on a cycle
        reason = _why_not(catalog.credentials[cred_id].requires, catalog, earnable)
        earnable[cred_id] = reason is None
        if reason is not None:
            out.append(where.diagnostic(
                "credential", cred_id, f"credential {cred_id} can never be earned: {reason}",
                "fix the requirement so that the listed courses can meet it", key="requires"))
    return out


def check_catalog(catalog: Catalog, where: _Where, facts: Facts | None = None) -> list[Diagnostic]:
    """Every error in a parsed catalog, all found in one run: duplicates, references, cycles,
    and credentials that can never be earned (judged only where nothing they need is unknown,
    left out or on a cycle, so that one problem is not reported again as another)."""
    facts = facts or Facts(catalog)
    errors = _duplicates(where, ("provider", "skill", "course", "credential", "job"))
    errors += _shared_ids(catalog, where)
    errors += _references(catalog, where, facts)
    cycles = _cycle_diagnostics(catalog, where, facts)
    return errors + cycles + _never_earnable(catalog, where, facts, judge=not cycles)


# --------------------------------------------------------------------------- warnings
def _course_closure(catalog: Catalog, facts: Facts) -> dict[str, set[str]]:
    """Credential id -> every course that can count toward it, nested credentials included."""
    closure: dict[str, set[str]] = {}
    for cred_id in facts.credential_order():
        courses: set[str] = set()
        for ref in facts.requirement_ids[cred_id]:
            if ref in catalog.courses:
                courses.add(ref)
            elif ref in closure:
                courses |= closure[ref]
        closure[cred_id] = courses
    return closure


#: Alphabets whose letters look alike (Latin "a", Cyrillic "а", Greek "α"...): an id that
#: mixes them is most likely a look-alike of the id its author meant.
_LOOKALIKE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def mixed_scripts(text: str) -> tuple[str, ...]:
    """The look-alike alphabets (Latin, Cyrillic, Greek) whose letters ``text`` mixes, when it
    mixes two or more; ``()`` otherwise (plain ASCII is never examined).

    >>> mixed_scripts("UT-DA-100"), mixed_scripts("Курс 2")
    ((), ())
    >>> mixed_scripts("UT-D\u0410-100")  # a Cyrillic A
    ('Latin', 'Cyrillic')
    """
    if text.isascii():
        return ()
    found = {unicodedata.name(ch, "").split(" ")[0] for ch in text if ch.isalpha()}
    hits = tuple(s.title() for s in _LOOKALIKE_SCRIPTS if s in found)
    return hits if len(hits) > 1 else ()


def _lookalike_ids(catalog: Catalog, where: _Where) -> list[Diagnostic]:
    out = []
    for kind, table in (("course", catalog.courses), ("credential", catalog.credentials),
                        ("job", catalog.jobs)):
        for item_id in table:
            scripts = mixed_scripts(item_id)
            if scripts:
                out.append(where.diagnostic(
                    kind, item_id, f"{kind} id {item_id!r} mixes {' and '.join(scripts)} "
                    "letters, which look alike: it may not be the id you meant",
                    "retype the id in one alphabet", severity="warning"))
    return out


def warn_catalog(catalog: Catalog, where: _Where, facts: Facts | None = None) -> list[Diagnostic]:
    """Warnings: ids that mix look-alike alphabets, courses whose hours were not stated,
    courses that count toward nothing, credentials no job needs."""
    facts = facts or Facts(catalog)
    out = _lookalike_ids(catalog, where)
    unstated = [c for c in catalog.courses.values() if not c.hours_stated]
    hint = "find the course's learning hours and write them as hours: (then drop hours_stated)"
    if len(unstated) <= MAX_LOCATED_WARNINGS:
        out.extend(where.diagnostic(
            "course", c.id, f"course {c.id}: hours not stated (hours_stated: false); the "
            f"{c.hours:g} h in the catalog is a placeholder that plans and totals count as real",
            hint, severity="warning") for c in unstated)
    else:
        out.append(Diagnostic(
            f"{len(unstated)} courses have hours not stated (hours_stated: false, a placeholder "
            f"counted as real): {', '.join(c.id for c in unstated[:10])}, ...", hint=hint,
            severity="warning"))
    if catalog.credentials:
        counted = facts.prerequisite_ids().copy()  # a prerequisite leads somewhere too
        for refs in facts.requirement_ids.values():
            counted.update(refs)
        loose = [c for c in catalog.courses if c not in counted]
        hint = "fine for a standalone course; otherwise add it to a credential's requires"
        if len(loose) <= MAX_LOCATED_WARNINGS:
            out.extend(where.diagnostic(
                "course", course_id, f"course {course_id} counts toward no credential and is no prerequisite",
                hint, severity="warning") for course_id in loose)
        else:  # one line, not thousands (and no file re-read to place each of them)
            out.append(Diagnostic(
                f"{len(loose)} courses count toward no credential and are no prerequisite: "
                f"{', '.join(loose[:10])}, ...", hint=hint, severity="warning"))
    if catalog.jobs and catalog.credentials:
        demanded = {s.skill for job in catalog.jobs.values() for s in job.skills}
        closure = _course_closure(catalog, facts)
        teaches_demand = set()
        for course in catalog.courses.values():  # plain loops: 100k courses, 250k skills
            for s in course.skills:
                if s.skill in demanded:
                    teaches_demand.add(course.id)
                    break
        for cred_id, courses in closure.items():
            if teaches_demand.isdisjoint(courses):
                out.append(where.diagnostic(
                    "credential", cred_id,
                    f"credential {cred_id} teaches no skill that a job of the catalog needs",
                    "add the jobs it prepares for, or check the skills of its courses",
                    severity="warning"))
    return out
