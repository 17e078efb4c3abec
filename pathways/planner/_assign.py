"""The audit's assignment search: which course fills which leaf, exactly and within bounds.

Independent of the planner's MILP (it shares no model code with :mod:`pathways.planner.model`).

**One credential.** Within a credential a course fills at most one course leaf, so the question
"can these courses fill enough leaves?" is a bipartite *b-matching* between courses and the
tree's **groups**: a group is a node whose children are all course leaves (or constants: a
nested credential, a ``min_hours`` threshold), needing ``k`` of its distinct courses; a course
leaf directly under a mixed node is a group of its own. Whether a set ``M`` of groups can all
be satisfied together is a max-flow question, answered by augmenting paths (Kuhn's algorithm
with capacities) in polynomial time. Above the groups the tree is monotone (``all``, ``any``,
``choose k``), so the best assignment satisfies a set ``M`` that is maximal among the feasible
ones; the search looks for the one that meets the credential and, after that, the most nodes:

1. every group that can be satisfied on its own; if they can all be satisfied together (the
   usual case) that is the answer, after one matching;
2. otherwise a branch and bound over the contested groups (include / exclude), where each branch
   is first closed by trying all its undecided groups at once, and bounded by evaluating the tree
   as if every undecided group were satisfied. It stops after :data:`NODE_BUDGET` matching steps;
3. then a small MILP of the audit's own formulation (a 0-1 variable per group and per node, and a
   continuous transport of courses to groups, whose polytope is integral for fixed groups),
   solved with HiGHS until the deadline; when the deadline stops it, the best assignment found is
   kept and the result says it is not proved best.

Once ``M`` is chosen, the matching is augmented to a maximum one (augmenting paths never empty a
group), so every course that can fill a leaf does.

**Several credentials** (a plan's targets and everything nested in them) are solved children
first; they interact only through exclusive credentials, whose leaf courses may fill no leaf of
another credential. The courses in such a conflict choose a side (one exclusive credential, or
the others), by branch and bound with the same budget and then the scope-wide MILP.

The score kept is, in order: targets met, credentials met, nodes met, leaves filled (as the
format's audits: "the assignment that satisfies the most").
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pathways.domain import AnyOf, Catalog, Choose, MinHours, Node, Ref

if TYPE_CHECKING:
    from pathways._milp import Model, SolveResult

__all__ = ["NODE_BUDGET", "Solution", "solve_scope"]

Path = tuple[int, ...]

#: Matching steps (augmenting-path searches) the exact combinatorial search may spend per
#: audit before the MILP takes over.
NODE_BUDGET = 20000


# --------------------------------------------------------------------------- compiled trees
@dataclass
class _Group:
    path: Path
    k: int  # children needed in all
    leaves: dict[str, Path]  # course -> the first leaf of it in this group (every course)
    consts: list[Node]  # children that are nested credentials or min_hours thresholds
    real: bool  # a node of the tree (False: one course leaf under a mixed node)


@dataclass
class _Upper:
    k: int
    children: list[tuple[str, int]]  # ("group", i), ("upper", i), ("const", i)
    real: bool = True


@dataclass
class _Tree:
    """A credential's tree as groups, constants and the monotone nodes above them."""

    cred: str
    groups: list[_Group] = field(default_factory=list)
    uppers: list[_Upper] = field(default_factory=list)
    consts: list[Node] = field(default_factory=list)
    root: tuple[str, int] = ("const", -1)
    leaf_courses: set[str] = field(default_factory=set)


_TREES: dict[int, tuple[weakref.ref[Catalog], dict[str, _Tree]]] = {}


def compiled(catalog: Catalog, cred: str) -> _Tree:
    """The compiled tree of a credential, cached while the catalog lives."""
    key = id(catalog)
    hit = _TREES.get(key)
    if hit is None or hit[0]() is not catalog:
        def forget(_ref: object, key: int = key) -> None:
            _TREES.pop(key, None)

        hit = (weakref.ref(catalog, forget), {})
        _TREES[key] = hit
    trees = hit[1]
    if cred not in trees:
        trees[cred] = _compile(cred, catalog.credentials[cred].requires, catalog)
    return trees[cred]


def _compile(cred: str, tree: Node, catalog: Catalog) -> _Tree:
    out = _Tree(cred)

    def is_const(n: Node) -> bool:
        return isinstance(n, MinHours) or (isinstance(n, Ref) and n.id in catalog.credentials)

    def is_course(n: Node) -> bool:
        return isinstance(n, Ref) and n.id in catalog.courses

    def const(n: Node) -> tuple[str, int]:
        out.consts.append(n)
        return ("const", len(out.consts) - 1)

    def visit(node: Node, path: Path) -> tuple[str, int]:
        if is_const(node):
            return const(node)
        if isinstance(node, Ref):  # a course leaf on its own
            if node.id not in catalog.courses:
                return const(node)
            out.leaf_courses.add(node.id)
            out.groups.append(_Group(path, 1, {node.id: path}, [], False))
            return ("group", len(out.groups) - 1)
        children = node.children  # type: ignore[union-attr]
        k = node.k if isinstance(node, (AnyOf, Choose)) else len(children)
        if children and all(is_course(c) or is_const(c) for c in children) \
                and any(is_course(c) for c in children):
            leaves: dict[str, Path] = {}
            consts = []
            for i, c in enumerate(children):
                if is_course(c):
                    leaves.setdefault(c.id, path + (i,))  # type: ignore[union-attr]
                    out.leaf_courses.add(c.id)  # type: ignore[union-attr]
                else:
                    consts.append(c)
            out.groups.append(_Group(path, k, leaves, consts, True))
            return ("group", len(out.groups) - 1)
        kids = [visit(c, path + (i,)) for i, c in enumerate(children)]
        out.uppers.append(_Upper(k, kids))
        return ("upper", len(out.uppers) - 1)

    out.root = visit(tree, ())
    return out


# --------------------------------------------------------------------------- matching
class _Matcher:
    """Courses matched to groups, each group up to a capacity (augmenting paths).

    ``counter`` is shared by copies: it counts the augmenting-path searches of a whole search.
    """

    __slots__ = ("members", "owner", "load", "counter")

    def __init__(self, members: Sequence[Sequence[str]], counter: list[int] | None = None) -> None:
        self.members = members
        self.owner: dict[str, int] = {}
        self.load = [0] * len(members)
        self.counter = counter if counter is not None else [0]

    def copy(self) -> _Matcher:
        other = _Matcher(self.members, self.counter)
        other.owner = dict(self.owner)
        other.load = list(self.load)
        return other

    def _augment(self, g: int, seen: set[str]) -> bool:
        for c in self.members[g]:
            if c in seen:
                continue
            seen.add(c)
            h = self.owner.get(c)
            if h is None or self._augment(h, seen):
                self.owner[c] = g
                return True
        return False

    def grow(self, g: int) -> bool:
        """One more course for group ``g`` (re-routing others); False when none can come."""
        self.counter[0] += 1
        if self._augment(g, set()):
            self.load[g] += 1
            return True
        return False

    def demand(self, g: int, k: int) -> bool:
        while self.load[g] < k:
            if not self.grow(g):
                return False
        return True


# --------------------------------------------------------------------------- one credential
@dataclass
class CredResult:
    met: bool
    nodes: int
    leaves: int
    filled: set[tuple[str, Path]]


@dataclass
class _Cred:
    """One credential's problem: the courses each group may take and how many it needs."""

    tree: _Tree
    const_met: list[bool]  # the tree's constants (upper-level children)
    members: list[list[str]]
    need: list[int]  # courses each group still needs (its met constants subtracted)
    group_consts: list[int]  # met constants inside each group (nodes of their own)

    def evaluate(self, met_groups: Sequence[bool]) -> tuple[bool, int]:
        """(root met, nodes met: groups, nodes above them and constants; leaves not counted)."""
        tree = self.tree
        count = sum(self.const_met) + sum(self.group_consts)
        for i, g in enumerate(tree.groups):
            if met_groups[i] and g.real:
                count += 1
        upper_met: list[bool] = [False] * len(tree.uppers)
        for i, node in enumerate(tree.uppers):  # children come before parents
            n = 0
            for kind, j in node.children:
                n += (met_groups[j] if kind == "group" else upper_met[j] if kind == "upper"
                      else self.const_met[j])
            upper_met[i] = n >= node.k
            count += upper_met[i]
        kind, j = tree.root
        root = (met_groups[j] if kind == "group" else upper_met[j] if kind == "upper"
                else self.const_met[j])
        return bool(root), count


def _const_value(node: Node, have: frozenset[str], catalog: Catalog,
                 nested_met: Mapping[str, bool]) -> bool:
    if isinstance(node, MinHours):
        total = sum(catalog.courses[c].hours for c in set(node.courses) if c in have)
        return total >= node.hours - 1e-9
    if isinstance(node, Ref):
        return bool(nested_met.get(node.id, False))
    return False


# --------------------------------------------------------------------------- the scope
@dataclass
class Solution:
    """The chosen assignment: leaves filled and credentials met; ``exact`` is False when the
    deadline stopped the search before the best assignment was proved."""

    filled: set[tuple[str, Path]]
    met: dict[str, bool]
    exact: bool = True
    message: str = ""


class _Scope:
    def __init__(self, catalog: Catalog, scope: Sequence[str], targets: Sequence[str],
                 have: Mapping[str, frozenset[str]], held_counts: Mapping[tuple[str, str], bool],
                 deadline: float, budget: int) -> None:
        self.catalog = catalog
        self.scope = list(scope)
        self.targets = list(targets)
        self.have = have
        self.held_counts = held_counts
        self.deadline = deadline
        self.budget = budget
        self.counter = [0]
        self.trees = {k: compiled(catalog, k) for k in scope}
        self.exact = True
        self.message = ""
        self._memo: dict[tuple[object, ...], CredResult] = {}

    # -- one credential, given which courses are available and the nested results
    def nested(self, cred: str, met: Mapping[str, bool]) -> dict[str, bool]:
        out = {}
        for node in self.trees[cred].consts:
            if isinstance(node, Ref):
                out[node.id] = self.held_counts.get((node.id, cred), False) or met.get(node.id, False)
        for g in self.trees[cred].groups:
            for node in g.consts:
                if isinstance(node, Ref):
                    out[node.id] = self.held_counts.get((node.id, cred), False) or \
                        met.get(node.id, False)
        return out

    def solve_cred(self, cred: str, met: Mapping[str, bool],
                   available: frozenset[str] | None) -> CredResult:
        tree = self.trees[cred]
        have = self.have[cred]
        nested = self.nested(cred, met)
        key = (cred, tuple(sorted(nested.items())), available)
        hit = self._memo.get(key)
        if hit is not None:
            return hit
        members: list[list[str]] = []
        need: list[int] = []
        group_consts: list[int] = []
        for g in tree.groups:
            members.append([c for c in g.leaves if c in have
                            and (available is None or c in available)])
            met_consts = sum(_const_value(n, have, self.catalog, nested) for n in g.consts)
            need.append(g.k - met_consts)
            group_consts.append(met_consts)
        consts = [_const_value(n, have, self.catalog, nested) for n in tree.consts]
        result = self._best(_Cred(tree, consts, members, need, group_consts))
        self._memo[key] = result
        return result

    def _best(self, p: _Cred) -> CredResult:
        n = len(p.tree.groups)
        always = [p.need[i] <= 0 for i in range(n)]
        possible = [always[i] or len(p.members[i]) >= p.need[i] for i in range(n)]
        cand = [i for i in range(n) if possible[i] and not always[i]]
        # 1. everything that can be satisfied on its own, together (the usual case)
        trial = _Matcher(p.members, self.counter)
        if all(trial.demand(i, p.need[i]) for i in cand):
            return self._finish(p, trial, possible)
        # 2. branch and bound over the contested groups
        best: list[object] = [None, None, None]  # score, matcher, met groups
        exhausted = [False]

        def dfs(i: int, m: _Matcher, chosen: frozenset[int]) -> None:
            if exhausted[0]:
                return
            if self.counter[0] > self.budget or time.perf_counter() > self.deadline:
                exhausted[0] = True
                return
            rest = set(cand[i:])
            optimistic = p.evaluate([always[j] or j in chosen or j in rest for j in range(n)])
            if best[0] is not None and optimistic <= best[0]:  # type: ignore[operator]
                return
            trial = m.copy()
            if all(trial.demand(j, p.need[j]) for j in cand[i:]):
                groups = [always[j] or j in chosen or j in rest for j in range(n)]
                best[0], best[1], best[2] = optimistic, trial, groups
                return
            g = cand[i]
            with_g = m.copy()
            if with_g.demand(g, p.need[g]):
                dfs(i + 1, with_g, chosen | {g})
            dfs(i + 1, m, chosen)

        dfs(0, _Matcher(p.members, self.counter), frozenset())
        if exhausted[0]:
            got = self._milp_cred(p, always, cand)
            if got is not None:
                return got
        if best[1] is None:  # nothing beyond the groups that need no course
            return self._finish(p, _Matcher(p.members, self.counter), always)
        return self._finish(p, best[1], best[2])  # type: ignore[arg-type]

    def _finish(self, p: _Cred, m: _Matcher, met_groups: Sequence[bool]) -> CredResult:
        """Augment to a maximum matching and read the leaves filled."""
        tree = p.tree
        for i, courses in enumerate(p.members):
            while m.load[i] < len(courses) and m.grow(i):
                pass
        groups = [bool(met_groups[i]) or m.load[i] >= p.need[i] for i in range(len(tree.groups))]
        root, nodes = p.evaluate(groups)
        filled = {(tree.cred, tree.groups[g].leaves[c]) for c, g in m.owner.items()}
        return CredResult(root, nodes + len(filled), len(filled), filled)

    # -- the MILP of the audit's own formulation
    def _solve(self, model: Model, objective: dict[int, float]) -> SolveResult | None:
        """The MILP's result within the deadline, or None when it found nothing in time; a
        result not proven optimal marks the audit inexact (with the message shown)."""
        from pathways._milp import Deadline, solve

        r = solve(model, objective, deadline=Deadline.at_time(self.deadline))
        if not r.ok:
            self.exact = False
            self.message = "the audit's search was cut short by the time limit"
            return None
        if r.status != "optimal":
            self.exact = False
            self.message = "the audit's search was cut short by the time limit: the best " \
                           "assignment found is shown"
        return r

    def _milp_cred(self, p: _Cred, always: Sequence[bool],
                   cand: Sequence[int]) -> CredResult | None:
        from pathways._milp import Model

        tree = p.tree
        model = Model()
        gvar = {i: model.var() for i in cand}
        flows: dict[tuple[str, int], int] = {}
        per_course: dict[str, list[int]] = {}
        for i in cand:
            row: dict[int, float] = {gvar[i]: -float(p.need[i])}
            for c in p.members[i]:
                f = model.var(integer=False)
                flows[(c, i)] = f
                per_course.setdefault(c, []).append(f)
                row[f] = 1.0
            model.add(row, lo=0.0)
        for fs in per_course.values():
            model.add({f: 1.0 for f in fs}, hi=1.0)
        uvar: list[int | None] = []
        objective: dict[int, float] = {}
        for node in tree.uppers:
            u = model.var()
            uvar.append(u)
            row = {u: float(node.k)}
            const = 0.0
            for kind, j in node.children:
                if kind == "group":
                    if always[j]:
                        const += 1
                    elif j in gvar:
                        row[gvar[j]] = row.get(gvar[j], 0.0) - 1.0
                elif kind == "upper":
                    row[uvar[j]] = row.get(uvar[j], 0.0) - 1.0  # type: ignore[index]
                else:
                    const += p.const_met[j]
            model.add(row, hi=const)
            objective[u] = -1.0
        for i in cand:
            if tree.groups[i].real:
                objective[gvar[i]] = -1.0
        kind, j = tree.root
        root_var = gvar.get(j) if kind == "group" else uvar[j] if kind == "upper" else None
        if root_var is not None:
            objective[root_var] = objective.get(root_var, 0.0) - float(len(objective) + 2)
        r = self._solve(model, objective)
        if r is None:
            return None
        chosen = [i for i in cand if r.x[gvar[i]] > 0.5]  # type: ignore[index]
        m = _Matcher(p.members, self.counter)
        for i in chosen:
            if not m.demand(i, p.need[i]):  # pragma: no cover - the polytope is integral
                self.exact = False
                break
        return self._finish(p, m, [always[i] or i in chosen for i in range(len(tree.groups))])

    # -- all credentials, with exclusive sides
    def run(self) -> Solution:
        conflicts = self._conflicts()
        if not conflicts:
            met, filled, _ = self._evaluate({})
            return Solution(filled, met, self.exact, self.message)
        return self._sides(conflicts)

    def _conflicts(self) -> dict[str, list[str | None]]:
        """Conflict course -> its sides: an exclusive credential, or None (the others)."""
        cat = self.catalog
        where: dict[str, list[str]] = {}
        for k in self.scope:
            for c in self.trees[k].leaf_courses:
                if c in self.have[k]:
                    where.setdefault(c, []).append(k)
        out: dict[str, list[str | None]] = {}
        for c in sorted(where):
            creds = where[c]
            excl = [k for k in creds if cat.credentials[k].exclusive]
            if excl and len(creds) > 1:
                sides: list[str | None] = list(excl)
                if len(excl) < len(creds):
                    sides.append(None)
                out[c] = sides
        return out

    def _available(self, sides: Mapping[str, str | None], free: Iterable[str]) -> dict[str, frozenset[str] | None]:
        """Per credential, the courses it may use (None: all of its courses)."""
        cat = self.catalog
        free = set(free)
        out: dict[str, frozenset[str] | None] = {}
        blocked: dict[str, set[str]] = {k: set() for k in self.scope}
        for c, side in sides.items():
            if c in free:
                continue
            for k in self.scope:
                if c not in self.have[k]:
                    continue
                exclusive = cat.credentials[k].exclusive
                if side is None and exclusive:
                    blocked[k].add(c)
                elif side is not None and k != side:
                    blocked[k].add(c)
        for k in self.scope:
            out[k] = None if not blocked[k] else frozenset(self.have[k] - blocked[k])
        return out

    def _evaluate(self, sides: Mapping[str, str | None], free: Iterable[str] = ()
                  ) -> tuple[dict[str, bool], set[tuple[str, Path]], tuple[int, int, int, int]]:
        available = self._available(sides, free)
        met: dict[str, bool] = {}
        filled: set[tuple[str, Path]] = set()
        creds = nodes = leaves = 0
        for k in self.scope:  # children first
            r = self.solve_cred(k, met, available[k])
            met[k] = r.met
            filled |= r.filled
            creds += r.met
            nodes += r.nodes
            leaves += r.leaves
        targets = sum(met[t] or self.held_counts.get((t, ""), False) for t in self.targets)
        return met, filled, (targets, creds, nodes, leaves)

    def _sides(self, conflicts: dict[str, list[str | None]]) -> Solution:
        courses = list(conflicts)
        best: list[object] = [None, None, None]
        calls = [0]
        exhausted = [False]

        def dfs(i: int, sides: dict[str, str | None]) -> None:
            if exhausted[0]:
                return
            calls[0] += 1
            if calls[0] > self.budget // 50 + 1 or time.perf_counter() > self.deadline:
                exhausted[0] = True
                return
            if i == len(courses):
                met, filled, score = self._evaluate(sides)
                if best[0] is None or score > best[0]:  # type: ignore[operator]
                    best[0], best[1], best[2] = score, met, filled
                return
            c = courses[i]
            ranked = []
            for j, side in enumerate(conflicts[c]):
                trial = dict(sides)
                trial[c] = side
                _, _, bound = self._evaluate(trial, free=courses[i + 1:])
                ranked.append((bound, -j, side))
            ranked.sort(key=lambda r: (r[0], r[1]), reverse=True)
            for bound, _, side in ranked:
                if best[0] is not None and bound <= best[0]:  # type: ignore[operator]
                    break
                dfs(i + 1, {**sides, c: side})

        dfs(0, {})
        if exhausted[0]:
            got = self._milp_scope(conflicts)
            if got is not None:
                return got
        if best[1] is None:  # no side assignment was evaluated in time: a plain one
            met, filled, _ = self._evaluate({c: s[0] for c, s in conflicts.items()})
            self.exact = False
            self.message = "the audit's search was cut short by the time limit"
            return Solution(filled, met, False, self.message)
        return Solution(best[2], best[1], self.exact, self.message)  # type: ignore[arg-type]

    def _milp_scope(self, conflicts: dict[str, list[str | None]]) -> Solution | None:
        """Sides of the conflict courses by a MILP: side variables, and for every credential its
        groups, nodes and a transport of courses to groups (see the module docstring)."""
        from pathways._milp import Model

        cat = self.catalog
        model = Model()
        side_var: dict[tuple[str, str | None], int] = {}
        for c, sides in conflicts.items():
            for s in sides:
                side_var[(c, s)] = model.var()
            model.add({side_var[(c, s)]: 1.0 for s in sides}, hi=1.0)
        met_var: dict[str, tuple[float, dict[int, float]]] = {}
        objective: dict[int, float] = {}
        weight_nodes, weight_creds = 1.0, 0.0
        total_nodes = sum(len(t.groups) + len(t.uppers) for t in self.trees.values()) + 1
        weight_creds = float(total_nodes)
        weight_targets = weight_creds * (len(self.scope) + 1)
        for k in self.scope:
            tree = self.trees[k]
            have = self.have[k]
            nested: dict[str, tuple[float, dict[int, float]]] = {}
            for node in list(tree.consts) + [n for g in tree.groups for n in g.consts]:
                if isinstance(node, Ref):
                    if self.held_counts.get((node.id, k), False):
                        nested[node.id] = (1.0, {})
                    else:
                        nested[node.id] = met_var.get(node.id, (0.0, {}))

            def value(node: Node) -> tuple[float, dict[int, float]]:
                if isinstance(node, Ref):
                    return nested.get(node.id, (0.0, {}))
                return (1.0 if _const_value(node, have, cat, {}) else 0.0, {})

            gexpr: list[tuple[float, dict[int, float]]] = []
            per_course: dict[str, list[int]] = {}
            for g in tree.groups:
                v = model.var()
                row: dict[int, float] = {}
                const = 0.0
                for node in g.consts:
                    c0, lin = value(node)
                    const += c0
                    for j, a in lin.items():
                        row[j] = row.get(j, 0.0) + a
                for c in g.leaves:
                    if c not in have:
                        continue
                    f = model.var(integer=False)
                    per_course.setdefault(c, []).append(f)
                    row[f] = row.get(f, 0.0) + 1.0
                    if c in conflicts:
                        allowed = [side_var[(c, s)] for s in conflicts[c]
                                   if (s == k) or (s is None and not cat.credentials[k].exclusive)]
                        r2 = {f: 1.0}
                        for a in allowed:
                            r2[a] = r2.get(a, 0.0) - 1.0
                        model.add(r2, hi=0.0)
                row[v] = row.get(v, 0.0) - float(g.k)
                model.add(row, lo=-const)
                gexpr.append((0.0, {v: 1.0}))
                if g.real:
                    objective[v] = objective.get(v, 0.0) - weight_nodes
            for fs in per_course.values():
                model.add({f: 1.0 for f in fs}, hi=1.0)
            uexpr: list[tuple[float, dict[int, float]]] = []
            for node in tree.uppers:
                u = model.var()
                row = {u: float(node.k)}
                const = 0.0
                for kind, j in node.children:
                    e = gexpr[j] if kind == "group" else uexpr[j] if kind == "upper" \
                        else value(tree.consts[j])
                    const += e[0]
                    for col, a in e[1].items():
                        row[col] = row.get(col, 0.0) - a
                model.add(row, hi=const)
                uexpr.append((0.0, {u: 1.0}))
                objective[u] = objective.get(u, 0.0) - weight_nodes
            kind, j = tree.root
            root = gexpr[j] if kind == "group" else uexpr[j] if kind == "upper" \
                else value(tree.consts[j])
            met_var[k] = root
            for col, a in root[1].items():
                objective[col] = objective.get(col, 0.0) - weight_creds * a
                if k in self.targets:
                    objective[col] -= weight_targets * a
        r = self._solve(model, objective)
        if r is None:
            return None
        sides: dict[str, str | None] = {}
        for c, options in conflicts.items():
            chosen = [s for s in options if r.x[side_var[(c, s)]] > 0.5]  # type: ignore[index]
            sides[c] = chosen[0] if chosen else options[0]
        saved = self.budget
        self.budget = 1 << 60  # the sides are fixed: each credential is matched exactly
        try:
            met, filled, _ = self._evaluate(sides)
        finally:
            self.budget = saved
        return Solution(filled, met, self.exact, self.message)


def solve_scope(catalog: Catalog, scope: Sequence[str], targets: Sequence[str],
                have: Mapping[str, frozenset[str]], held_counts: Mapping[tuple[str, str], bool],
                *, deadline: float, budget: int | None = None) -> Solution:
    """The best assignment for ``scope`` (children first; see the module docstring).

    Parameters
    ----------
    catalog : Catalog
    scope : sequence of str
        Credential ids, children first.
    targets : sequence of str
    have : mapping
        Credential id -> the courses that count toward it (held and valid, or planned).
    held_counts : mapping
        ``(credential, parent)`` -> whether a held credential counts as a component of
        ``parent`` (``(target, "")``: a held target counts in its own right).
    deadline : float
        A ``time.perf_counter()`` value.
    budget : int, optional
        Matching steps before the MILP takes over (default :data:`NODE_BUDGET`); the side
        search of exclusive conflicts may evaluate ``budget // 50 + 1`` assignments.
    """
    return _Scope(catalog, scope, targets, have, held_counts, deadline,
                  NODE_BUDGET if budget is None else budget).run()
