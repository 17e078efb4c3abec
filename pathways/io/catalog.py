"""Load and validate catalogs and learner profiles (format ``pathways/1``).

Reading goes file -> safe YAML -> pydantic models (shape, types, unknown keys) -> domain objects
-> whole-catalog checks (duplicates, references, cycles, credentials that can never be earned).
Every problem becomes a :class:`~pathways.errors.Diagnostic` naming the file, line, key path or
id and what to do; all problems of a stage are reported together in one
:class:`~pathways.errors.CatalogError`.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pathways._gc import gc_paused
from pathways.domain import (
    Catalog,
    Constraints,
    Course,
    Credential,
    Goals,
    Holding,
    Job,
    JobSkill,
    LearnerProfile,
    Provider,
    Skill,
    SkillLevel,
    Term,
)
from pathways.errors import CatalogError, Diagnostic
from pathways.io import checks, schema
from pathways.io._report import Document, ValidationReport
from pathways.io._yaml import LineFinder, Locator, NestingTooDeep, format_keypath, read_yaml
from pathways.io.tables import csv_line_finder, read_csv_file
from pathways.io.trees import TreeProblem, depth_problem, requirement_tree

__all__ = [
    "Document",
    "ValidationReport",
    "catalog_from_data",
    "learner_from_data",
    "load_catalog",
    "load_learner",
    "validate_catalog",
]

#: The catalog file formats, by suffix: each reader returns one file's catalog data in the YAML
#: shape. A directory's files with these suffixes are its catalog.
READERS: dict[str, Callable[[Path], Any]] = {
    ".yaml": read_yaml,
    ".yml": read_yaml,
    ".csv": read_csv_file,
}
#: Where a diagnostic's key path is in a file that is not YAML, by suffix (see
#: :class:`pathways.io._yaml.Locator`).
LINE_FINDERS: dict[str, LineFinder] = {".csv": csv_line_finder}

KeyPath = tuple[str | int, ...]


class _Origins:
    """Where each item came from: kind -> id -> (file, collection, index); repeats kept apart.

    Collections are recorded whole (their id lists); the id -> place table is built only when
    a diagnostic asks for a place, which a valid catalog never does.
    """

    def __init__(self, docs: dict[str, Any]) -> None:
        self.docs = docs
        self.repeats: dict[str, dict[str, list[tuple[str, str, int]]]] = {}
        self._segments: dict[str, list[tuple[str, str, list[str]]]] = {}
        self._seen: dict[str, set[str]] = {}
        self._items: dict[str, dict[str, tuple[str, str, int]]] = {}

    def add_collection(self, kind: str, file: str, collection: str, ids: list[str]) -> set[int]:
        """Record a collection's ids in file order; the indexes of the repeated ones (ids seen
        before, in this collection or an earlier one), which the caller skips."""
        seen = self._seen.setdefault(kind, set())
        before = len(seen)
        seen.update(ids)
        repeated: set[int] = set()
        if len(seen) - before != len(ids):  # some id repeats: find which, in order
            first = dict(self._table(kind))
            for i, item_id in enumerate(ids):
                here = (file, collection, i)
                found = first.setdefault(item_id, here)
                if found is not here:
                    repeated.add(i)
                    self.repeats.setdefault(kind, {}).setdefault(item_id, [found]).append(here)
        self._segments.setdefault(kind, []).append((file, collection, ids))
        self._items.pop(kind, None)
        return repeated

    def _table(self, kind: str) -> dict[str, tuple[str, str, int]]:
        table = self._items.get(kind)
        if table is None:
            table = self._items[kind] = {}
            for file, collection, ids in self._segments.get(kind, ()):
                for i, item_id in enumerate(ids):
                    table.setdefault(item_id, (file, collection, i))
        return table

    def first(self, kind: str, item_id: str) -> tuple[str, KeyPath] | None:
        found = self._table(kind).get(item_id)
        return (found[0], found[1:]) if found else None

    def all(self, kind: str, item_id: str) -> list[tuple[str, KeyPath]]:
        found = self.repeats.get(kind, {}).get(item_id)
        if found is None:
            one = self.first(kind, item_id)
            return [one] if one else []
        return [(f, (c, i)) for f, c, i in found]

    def raw(self, file: str, keypath: KeyPath) -> Any:
        node = self.docs.get(file)
        for part in keypath:
            try:
                node = node[part]  # type: ignore[index]
            except (KeyError, IndexError, TypeError):
                return None
        return node


# --------------------------------------------------------------------------- files
def _catalog_files(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.iterdir()
                if p.is_file() and p.suffix in READERS
            )
            if not found:
                raise CatalogError(Diagnostic(
                    "the directory holds no catalog files (*.yaml)", file=str(path),
                    hint="pass a catalog YAML file, or a directory that contains some"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise CatalogError(Diagnostic(
                "no such file or directory", file=str(path),
                hint="check the path; a catalog is a YAML file or a directory of YAML files"))
    return files


def _read_documents(paths: Sequence[str | os.PathLike[str]]) -> list[Document]:
    docs: list[Document] = []
    errors: list[Diagnostic] = []
    for path in _catalog_files(paths):
        try:
            data = READERS.get(path.suffix, read_yaml)(path)
            docs.append(Document(str(path), data))
        except NestingTooDeep as err:
            errors.append(_nesting_diagnostic(err))
        except CatalogError as err:
            errors.extend(err.diagnostics)
    if errors:
        raise CatalogError(errors)
    return docs


#: The keys of catalog items that hold requirement trees (nested all / any / choose groups).
_TREE_KEYS = {("credentials", "requires"), ("courses", "prerequisites")}


def _nesting_diagnostic(err: NestingTooDeep) -> Diagnostic:
    """A file too deep for the YAML parser: inside a requirement tree, the same message (at
    the tree's root) as a tree the parser could read but nested more than the limit."""
    keypath, (diagnostic,) = err.keypath, err.diagnostics
    if len(keypath) >= 3 and isinstance(keypath[1], int) and (keypath[0], keypath[2]) in _TREE_KEYS:
        problem = depth_problem()
        return Diagnostic(problem.message, file=diagnostic.file, line=err.lines[2],
                          path=format_keypath(keypath[:3]), id=err.ids.get(2), hint=problem.hint)
    return diagnostic


# --------------------------------------------------------------------------- pydantic errors
_MODELS_BY_PATH: dict[tuple[str, ...], type] = {
    (): schema.CatalogFileIn,
    ("providers",): schema.ProviderIn,
    ("skills",): schema.SkillIn,
    ("courses",): schema.CourseIn,
    ("courses", "skills"): schema.SkillRefIn,
    ("credentials",): schema.CredentialIn,
    ("jobs",): schema.JobIn,
    ("jobs", "skills"): schema.JobSkillIn,
    ("learner",): schema.LearnerIn,
    ("learner", "completed"): schema.HoldingIn,
    ("learner", "skills"): schema.LearnerSkillIn,
    ("learner", "goals"): schema.GoalsIn,
    ("learner", "constraints"): schema.ConstraintsIn,
}

_COMPARISONS = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<",
                "less_than_equal": "<="}

_HINTS = {
    "hours": "give the learning hours as a number greater than 0",
    "cost": "give the cost as a number >= 0 (0 for free)",
    "level": "use a level from 1 (basic) to 4 (expert), or a credential level",
    "importance": "use essential, optional, or a number in (0, 1]",
    "date": "write dates as YYYY-MM-DD, e.g. 2024-05-01",
    "expires": "write dates as YYYY-MM-DD, e.g. 2027-05-01",
    "start": "write the first term as YYYY-MM (e.g. 2027-01) or YYYY-winter/summer/fall",
    "delivery": "use online, in-person or hybrid",
    "terms": "list terms from winter, summer, fall",
    "format": "use format: pathways/1, or leave the key out",
    "currency": "use a three-letter currency code such as CAD",
}


def _data_keypath(data: Any, loc: Sequence[Any]) -> KeyPath:
    """The part of a pydantic ``loc`` that exists in the data (drops union member tags)."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str):
            out.append(part)  # a missing key: still name it
            break
        else:
            break
        out.append(part)
    return tuple(out)


def _item_id(data: Any, keypath: KeyPath) -> str | None:
    if len(keypath) >= 2 and isinstance(keypath[1], int):
        item = _Origins({"d": data}).raw("d", keypath[:2])
        if isinstance(item, dict) and isinstance(item.get("id"), (str, int)):
            return str(item["id"])
    if keypath[:1] == ("learner",) and isinstance(data, dict):
        learner = data.get("learner")
        if isinstance(learner, dict) and isinstance(learner.get("id"), (str, int)):
            return str(learner["id"])
    return None


def _pydantic_diagnostics(err: ValidationError, doc: Document, locator: Locator) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: set[tuple[KeyPath, str]] = set()
    for e in err.errors():
        keypath = _data_keypath(doc.data, e["loc"])
        key = next((p for p in reversed(keypath) if isinstance(p, str)), "")
        kind = e["type"]
        if (keypath, kind) in seen:
            continue  # a union reports each member's failure: one message is enough
        seen.add((keypath, kind))
        parent = tuple(p for p in keypath[:-1] if isinstance(p, str))
        if kind == schema.TREE_ERROR:  # a malformed prerequisite expression, placed inside it
            ctx = e.get("ctx") or {}
            keypath = _data_keypath(doc.data, (*keypath, *ctx.get("keypath", ())))
            message, hint = ctx.get("message", e["msg"]), ctx.get("hint", "")
        elif kind in _UNKNOWN_KEY:
            model = _MODELS_BY_PATH.get(parent)
            fields = getattr(model, "model_fields", None) or getattr(model, "__annotations__", {})
            names = [k for k in fields if not k.startswith("__")]
            close = difflib.get_close_matches(str(key), names, n=1, cutoff=0.6)
            message = f'unknown key "{key}"'
            if close:
                message += f' (did you mean "{close[0]}"?)'
                hint = f'rename it to "{close[0]}"'
            else:
                hint = "remove it or correct the spelling" + (
                    f"; allowed keys: {', '.join(names)}" if names else "")
            if keypath == ("learner",):
                message, hint = f'unknown key "{key}"', ("this looks like a learner profile: "
                                                         "pass it as the learner, not the catalog")
        elif kind == "missing":
            message = f'missing required key "{key}"'
            hint = f"add {key}: to this entry"
        elif kind == "string_pattern_mismatch" and (e.get("ctx") or {}).get("pattern") == \
                schema.ID_PATTERN:
            found = str(e.get("input"))
            what = schema.bad_id_character(found) or "a character ids cannot hold"
            message = (f"{key or 'id'} {found!r} contains {what}, which is invisible or a "
                       "control character")
            hint = "retype the id with visible characters only (letters, digits, - _ . : /)"
        elif kind == "finite_number":
            message = f"{key or 'value'} must be a finite number (found {e.get('input')!r})"
            hint = _HINTS.get(key, "see docs/format.md for this key")
        elif kind in _COMPARISONS and isinstance(e.get("ctx"), dict):
            bound = next(iter(e["ctx"].values()))
            bound = f"{bound:g}" if isinstance(bound, (int, float)) else bound
            message = f"{key} must be {_COMPARISONS[kind]} {bound} (found {e.get('input')!r})"
            hint = _HINTS.get(key, "see docs/format.md for this key")
        else:
            found = e.get("input")
            shown = repr(found) if not isinstance(found, (dict, list)) else type(found).__name__
            text = "Input should be a valid dictionary" if kind == "dataclass_type" else e["msg"]
            message = f"{key or 'value'}: {text.rstrip('.')} (found {shown})"
            hint = _HINTS.get(key, "see docs/format.md for this key")
        out.append(Diagnostic(message, file=doc.file, line=locator.line(doc.file, keypath),
                              path=format_keypath(keypath), id=_item_id(doc.data, keypath),
                              hint=hint))
    return _merge_typos(out)


def _merge_typos(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """An unknown key that looks like a missing required key is one typo, not two problems."""
    missing = {(d.path.rpartition(".")[0], d.message.split('"')[1]): d for d in diagnostics
               if d.message.startswith("missing required key") and d.path}
    dropped: set[int] = set()
    out = []
    for d in diagnostics:
        if d.message.startswith("unknown key") and d.path:
            parent, key = d.path.rpartition(".")[0], d.message.split('"')[1]
            names = [name for (p, name) in missing if p == parent]
            close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
            if close:
                dropped.add(id(missing[(parent, close[0])]))
                d = Diagnostic(f'unknown key "{key}" (did you mean "{close[0]}"?)', file=d.file,
                               line=d.line, path=d.path, id=d.id,
                               hint=f'rename it to "{close[0]}"')
        out.append(d)
    return [d for d in out if id(d) not in dropped]


def _validate_shape(doc: Document, validate: Callable[[Any], Any], locator: Locator) -> Any:
    """``validate(data)`` (a pydantic validator), or the list of problems it found."""
    data = doc.data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return [Diagnostic(
            f"the top level is a {type(data).__name__}, not a mapping", file=doc.file, line=1,
            hint="start the file with keys such as courses:, credentials: (see docs/format.md)")]
    try:
        return validate(data)
    except ValidationError as err:
        return _pydantic_diagnostics(err, Document(doc.file, data, doc.text), locator)


_COLLECTIONS = ("providers", "skills", "courses", "credentials", "jobs")


def _well_formed(data: Any, invalid: set[str]) -> dict[str, Any] | None:
    """The well-formed part of a catalog file whose shape check failed: each collection with
    its bad items as None (so the others keep their index), the top-level values that are
    right; None when the top level itself is not a mapping. The ids of the bad items go to
    ``invalid`` (they exist, so references to them are not reported as unknown)."""
    if not isinstance(data, dict):
        return None
    kept: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _COLLECTIONS:
            try:
                kept.update(schema.CATALOG_FILE.validate_python({key: value}))
            except ValidationError:
                pass  # reported already; an unknown or bad top-level value is left out
            continue
        if not isinstance(value, list):
            continue
        items: list[Any] = []
        for item in value:
            good = _valid_item(key, item)
            items.append(good)
            if good is None and isinstance(item, dict) and isinstance(item.get("id"), (str, int)) \
                    and not isinstance(item.get("id"), bool):
                invalid.add(str(item["id"]).strip())
        kept[key] = items
    return kept


#: pydantic's error types for a key the model does not have (models, typed dicts, dataclasses)
_UNKNOWN_KEY = ("extra_forbidden", "unexpected_keyword_argument")


def _valid_item(collection: str, item: Any) -> Any:
    """One item of a collection validated, or None; an item whose only problems are unknown
    keys (a typo, reported already) is validated without them, so its other keys (its
    prerequisites, its skills) are still checked."""
    found = _without_unknown_keys({collection: [item]}, schema.CATALOG_FILE.validate_python)
    return None if found is None else found[collection][0]


def _without_unknown_keys(data: Any, validate: Callable[[Any], Any]) -> Any:
    """``validate(data)`` with the unknown keys pydantic reported removed, when those were its
    only problems; else None."""
    try:
        return validate(data)
    except ValidationError as err:
        problems = err.errors()
        if any(e["type"] not in _UNKNOWN_KEY for e in problems):
            return None
        data = copy.deepcopy(data)
        for e in problems:
            parent: Any = data
            *path, last = e["loc"]
            for part in path:
                parent = parent[part]
            del parent[last]
    try:
        return validate(data)
    except ValidationError:
        return None


def _raw_id(origins: _Origins, file: str, collection: str, index: int) -> str:
    """The id of an item that failed its shape check, as written (for duplicates and
    places), or a name no real id has."""
    item = origins.raw(file, (collection, index))
    if isinstance(item, dict) and isinstance(item.get("id"), (str, int)) \
            and not isinstance(item.get("id"), bool):
        return str(item["id"]).strip()
    return f"\x00{collection}[{index}]"


# --------------------------------------------------------------------------- conversion
def _tree_diagnostic(problem: TreeProblem, file: str, base: KeyPath, item_id: str,
                     locator: Locator) -> Diagnostic:
    keypath = base + problem.keypath
    return Diagnostic(problem.message, file=file, line=locator.line(file, keypath),
                      path=format_keypath(keypath), id=item_id, hint=problem.hint)


def _importance(value: str | float) -> tuple[float, bool]:
    if value == "essential":
        return 1.0, True
    if value == "optional":
        return 0.5, False
    return float(value), False


def _build(docs: list[Document]) -> ValidationReport:
    with gc_paused():
        return _build_catalog(docs)


def _build_catalog(docs: list[Document]) -> ValidationReport:
    locator = Locator({d.file: d.text for d in docs if d.text is not None},
                      data={d.file: d.data for d in docs}, finders=LINE_FINDERS)
    errors: list[Diagnostic] = []
    parsed: list[tuple[Document, schema.CatalogFileIn]] = []
    invalid: set[str] = set()  # ids of items left out for their shape problems
    for doc in docs:
        result = _validate_shape(doc, schema.CATALOG_FILE.validate_python, locator)
        if isinstance(result, list):
            errors.extend(result)
            # go on with the file's well-formed items, so that one typo does not hide the
            # problems of the others (an unknown id, a cycle): every problem in one run
            kept = _well_formed(doc.data, invalid)
            if kept is not None:
                parsed.append((doc, kept))
        else:
            parsed.append((doc, result))  # type: ignore[arg-type]

    origins = _Origins({d.file: d.data for d in docs})

    def unique(kind: str, file: str, collection: str, items: list[Any], ids: list[str] | None = None
               ) -> Iterable[tuple[int, Any]]:
        """The items with their index, repeated ids left out (reported by the checks), and
        the items of a file that failed its shape check (None) left out."""
        if ids is None:
            ids = [item["id"] if item is not None else _raw_id(origins, file, collection, i)
                   for i, item in enumerate(items)]
        repeated = origins.add_collection(kind, file, collection, ids)
        if not repeated and None not in items:
            return enumerate(items)
        return ((i, item) for i, item in enumerate(items)
                if i not in repeated and item is not None)

    providers: dict[str, Provider] = {}
    skills: dict[str, Skill] = {}
    courses: dict[str, Course] = {}
    credentials: dict[str, Credential] = {}
    jobs: dict[str, Job] = {}
    currencies: dict[str, str] = {}
    requirement_ids: dict[str, tuple[str, ...]] = {}

    for doc, f in parsed:
        file = doc.file
        if f.get("currency"):
            currencies.setdefault(f["currency"], file)
        for _, p in unique("provider", file, "providers", f.get("providers", [])):
            providers[p["id"]] = Provider(p["id"], p.get("name") or p["id"])
        for _, sk in unique("skill", file, "skills", f.get("skills", [])):
            skills[sk["id"]] = Skill(sk["id"], sk["label"], tuple(sk.get("alt_labels", ())),
                                     sk.get("description", ""))
        file_courses: list[Course] = f.get("courses", [])  # type: ignore[assignment]  # schema.Into
        course_ids = [c.id if c is not None else _raw_id(origins, file, "courses", i)
                      for i, c in enumerate(file_courses)]
        for _, c in unique("course", file, "courses", file_courses, course_ids):
            courses[c.id] = c
        for i, cr in unique("credential", file, "credentials", f.get("credentials", [])):
            parsed_tree = requirement_tree(cr["requires"])
            if isinstance(parsed_tree, TreeProblem):
                errors.append(_tree_diagnostic(parsed_tree, file, ("credentials", i, "requires"),
                                               cr["id"], locator))
                invalid.add(cr["id"])
                continue
            tree, requirement_ids[cr["id"]] = parsed_tree
            credentials[cr["id"]] = Credential(
                cr["id"], cr["title"], cr["level"], tree, cr.get("provider"),
                cr.get("recency_months"), cr.get("exclusive", False), cr.get("description", ""),
                cr.get("badge_id"), cr.get("details", ()))
        for _, j in unique("job", file, "jobs", f.get("jobs", [])):
            job_skills = []
            for sk in j.get("skills", ()):
                importance, essential = _importance(sk.get("importance", "essential"))
                job_skills.append(JobSkill(sk["skill"], importance, essential, sk.get("level", 1)))
            jobs[j["id"]] = Job(j["id"], j["title"], tuple(job_skills), j.get("description", ""))

    if len(currencies) > 1:
        names = ", ".join(f"{c} ({f})" for c, f in currencies.items())
        errors.append(Diagnostic(f"the files disagree on the currency: {names}",
                                 hint="use one currency for the whole catalog"))

    catalog = Catalog(courses=courses, credentials=credentials, providers=providers,
                      skills=skills, jobs=jobs, currency=next(iter(currencies), "CAD"),
                      sources=tuple(d.file for d in docs))
    where = _Where(origins, locator)
    facts = checks.Facts(catalog, requirement_ids, invalid_ids=invalid)
    errors += checks.check_catalog(catalog, where, facts)
    if errors:
        raise CatalogError(errors)
    warnings = checks.warn_catalog(catalog, where, facts)
    return ValidationReport(catalog, tuple(warnings), tuple(d.file for d in docs))


class _Where:
    """Turns (kind, id, what to find) into file, line and key path for the checks."""

    def __init__(self, origins: _Origins, locator: Locator) -> None:
        self.origins = origins
        self.locator = locator

    def all(self, kind: str, item_id: str) -> list[tuple[str, KeyPath]]:
        return self.origins.all(kind, item_id)

    def duplicated(self, kind: str) -> list[str]:
        return list(self.origins.repeats.get(kind, {}))

    def line(self, file: str, keypath: KeyPath) -> int | None:
        return self.locator.line(file, keypath)

    def diagnostic(self, kind: str, item_id: str, message: str, hint: str, *,
                   key: str | None = None, value: str | None = None,
                   severity: str = "error") -> Diagnostic:
        """A diagnostic at the item, at its ``key``, or at the first ``value`` below it."""
        origin = self.origins.first(kind, item_id)
        if origin is None:
            return Diagnostic(message, id=item_id, hint=hint, severity=severity)  # type: ignore[arg-type]
        file, keypath = origin
        if key is not None:
            keypath = keypath + (key,)
        if value is not None:
            found = _find_value(self.origins.raw(file, keypath), value)
            if found is not None:
                keypath = keypath + found
        return Diagnostic(message, file=file, line=self.locator.line(file, keypath),
                          path=format_keypath(keypath), id=item_id, hint=hint,
                          severity=severity)  # type: ignore[arg-type]


def _find_value(data: Any, value: str) -> KeyPath | None:
    """Key path of the first place below ``data`` that holds ``value`` (or a string naming it)."""
    stack: list[tuple[Any, KeyPath]] = [(data, ())]
    while stack:
        node, path = stack.pop(0)
        if isinstance(node, dict):
            stack.extend((v, path + (k,)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, path + (i,)) for i, v in enumerate(node))
        elif isinstance(node, (str, int, float)) and not isinstance(node, bool):
            text = str(node)
            if text == value or value in text.replace("(", " ").replace(")", " ").split():
                return path
    return None


# --------------------------------------------------------------------------- public loaders
def validate_catalog(*paths: str | os.PathLike[str]) -> ValidationReport:
    """Read and check a catalog from YAML files or directories of them.

    Parameters
    ----------
    *paths
        Catalog files or directories; the top-level lists of all files are concatenated.

    Returns
    -------
    ValidationReport
        The catalog, the warnings and the files read. For large catalogs (see
        :mod:`pathways.io.snapshot`) the validated catalog is kept as a snapshot keyed by the
        files' bytes, and later calls on unchanged files open it instead of validating again
        (its collections are then built on first use).

    Raises
    ------
    CatalogError
        With every problem found, each naming file, line and id.
    """
    if not paths:
        raise CatalogError("no catalog given; pass a catalog file or directory")
    files = _catalog_files(paths)
    snapshot = _snapshot_of(files)
    if snapshot is not None:
        from pathways.io.snapshot import open_snapshot

        try:
            return open_snapshot(snapshot, files)  # type: ignore[no-any-return]
        except (OSError, ValueError, KeyError):
            pass  # a snapshot that cannot be read is ignored: validate, and write a new one
    report = _build(_read_documents(files))
    if snapshot is not None:
        from pathways.io.snapshot import write_snapshot

        try:
            write_snapshot(report, snapshot)
        except OSError:
            pass  # a snapshot that cannot be written only costs time next time
    return report


def _snapshot_of(files: Sequence[Path]) -> Path | None:
    """Where the validated-catalog snapshot of these files is (or goes), for catalogs large
    enough to use one (:mod:`pathways.io.snapshot`); None otherwise."""
    from pathways.io import snapshot

    try:
        size = sum(f.stat().st_size for f in files)
        return snapshot.snapshot_path(files) if snapshot.use_snapshots(size) else None
    except OSError:
        return None


def load_catalog(*paths: str | os.PathLike[str]) -> Catalog:
    """The catalog in ``paths`` (see :func:`validate_catalog`), warnings ignored."""
    return validate_catalog(*paths).catalog


def catalog_from_data(data: dict[str, Any] | Iterable[Document], *,
                      source: str = "<data>") -> ValidationReport:
    """Validate catalog data already in memory (the YAML shape), e.g. a synthetic catalog."""
    if isinstance(data, dict):
        return _build([Document(source, data, text="")])
    return _build(list(data))


def load_learner(path: str | os.PathLike[str], catalog: Catalog | None = None) -> LearnerProfile:
    """Read a learner profile; with ``catalog``, its ids are checked against it.

    Raises
    ------
    CatalogError
        When the file is not a valid profile or names ids the catalog does not have.
    """
    p = Path(path)
    if not p.is_file():
        raise CatalogError(Diagnostic("no such learner file", file=str(p),
                                      hint="check the path of the learner profile"))
    return learner_from_data(read_yaml(p), source=str(p), catalog=catalog)


def learner_from_data(data: Any, *, source: str = "<learner>", catalog: Catalog | None = None,
                      text: str | None = None, read_badges: bool = True) -> LearnerProfile:
    """Build a learner profile from data in the YAML shape (see :func:`load_learner`).

    Parameters
    ----------
    data
        The parsed profile.
    source
        Its file name: messages name it, and ``badges:`` paths are relative to its folder.
    catalog
        When given, ids are checked against it and the badge files are read and mapped.
    text
        The source text, for line numbers when the data did not come from ``source`` on disk.
    read_badges
        Whether to read the files ``badges:`` lists (regular files only, size-capped). A
        server reading a profile someone uploaded passes ``False``: the paths name files on
        the server, never the uploader's; they are kept in the profile and a note says they
        were not read.

    Raises
    ------
    CatalogError
        When the data is not a valid profile, names ids the catalog does not have, or dates a
        completion in the future.
    """
    doc = Document(source, data, text)
    locator = Locator({source: text} if text is not None else None, data={source: data},
                      finders=LINE_FINDERS)
    result = _validate_shape(doc, schema.LearnerFileIn.model_validate, locator)
    errors: list[Diagnostic] = []
    if isinstance(result, list):
        # typos only (unknown keys): check the rest too, so every problem comes in one run
        errors = result
        result = _without_unknown_keys(data, schema.LearnerFileIn.model_validate)
        if result is None:
            raise CatalogError(errors)
    learner = result.learner  # type: ignore[attr-defined]

    def problem(keypath: KeyPath, message: str, hint: str) -> None:
        full = ("learner",) + keypath
        errors.append(Diagnostic(message, file=source, line=locator.line(source, full),
                                 path=format_keypath(full), id=learner.id, hint=hint))

    holdings = []
    today = dt.date.today()
    for i, h in enumerate(learner.completed):
        if (h.course is None) == (h.credential is None):
            problem(("completed", i), "each completed item names exactly one course: or credential:",
                    "write - course: ID (or credential: ID) with its date:")
            continue
        kind = "course" if h.course is not None else "credential"
        item = h.course or h.credential
        if h.date > today:
            problem(("completed", i, "date"), f"completion date {h.date.isoformat()} is in the "
                    f"future (today is {today.isoformat()}): not completed yet",
                    "give the date it was completed; something still to take belongs in goals")
            continue
        if h.expires is not None and h.expires < h.date:
            problem(("completed", i, "expires"), f"expires {h.expires.isoformat()} before it was "
                    f"completed ({h.date.isoformat()})", "check the two dates")
            continue
        holdings.append(Holding(kind, item, h.date, h.expires, source))  # type: ignore[arg-type]
        if catalog is not None:
            table = catalog.courses if kind == "course" else catalog.credentials
            if item not in table:
                problem(("completed", i, kind), f"unknown {kind} {item}",
                        f"use a {kind} id of the catalog ({len(table)} {kind}s)")
    c = learner.constraints
    start = c.start
    if start is not None and not isinstance(start, str):
        start = f"{start.year}-{start.month:02d}"
    constraints = Constraints(
        start=Term.parse(start) if start else None,
        max_courses_per_term=c.max_courses_per_term, max_hours_per_term=c.max_hours_per_term,
        budget=c.budget, exclude_providers=frozenset(c.exclude_providers),
        delivery=frozenset(c.delivery) if c.delivery is not None else None)
    goals = Goals(tuple(learner.goals.credentials), learner.goals.job)
    if catalog is not None:
        for i, cred in enumerate(goals.credentials):
            if cred not in catalog.credentials:
                problem(("goals", "credentials", i), f"unknown credential {cred}",
                        "name a credential id of the catalog as a goal")
        if goals.job is not None and goals.job not in catalog.jobs:
            problem(("goals", "job"), f"unknown job {goals.job}",
                    "name a job id of the catalog (or import it with pathways import)")
        for i, prov in enumerate(c.exclude_providers):
            if catalog.providers and prov not in catalog.providers:
                problem(("constraints", "exclude_providers", i), f"unknown provider {prov}",
                        "name a provider id of the catalog")
        for i, s in enumerate(learner.skills):
            if catalog.skills and not checks.is_external_skill(s.skill) and s.skill not in catalog.skills:
                problem(("skills", i, "skill"), f"unknown skill {s.skill}",
                        "use a skill id of the catalog's skills: list, or an esco:<uuid> id")
    if errors:
        raise CatalogError(errors)
    skills = [SkillLevel(s.skill, s.level) for s in learner.skills]
    notes: list[str] = []
    if learner.badges:
        if not read_badges:
            notes.append(f"{len(learner.badges)} badge file(s) listed in the profile not read: "
                         "here badges are read only from files you upload, never from paths")
        elif catalog is None:
            notes.append(f"{len(learner.badges)} badge files not read: no catalog to map them to")
        else:
            from pathways.io.badges._map import import_badge_files  # not the package: it needs us

            base = Path(source).parent
            result = import_badge_files([base / b for b in learner.badges], catalog)
            holdings.extend(result.holdings)
            skills.extend(result.skills)
            notes.extend(result.messages)
    return LearnerProfile(
        id=learner.id, name=learner.name, completed=tuple(holdings),
        skills=tuple(skills), notes=tuple(notes),
        goals=goals, constraints=constraints, badges=tuple(learner.badges),
        cv_text=learner.cv, source=source)
