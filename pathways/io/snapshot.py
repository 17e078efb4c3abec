"""Validated-catalog snapshots: a large catalog is parsed and validated once, then opened fast.

Parsing and validating a 100k-course catalog takes about 33 s from YAML and 5 s from CSV;
every CLI call, every app start and every cohort worker paid it again. After a successful
validation, :func:`validate_catalog <pathways.io.validate_catalog>` writes a snapshot: one
Arrow IPC (Feather v2) table per collection and a small ``meta.json`` (files, warnings,
currency), in a folder named by the SHA-256 of the source files (names and bytes), the
format version and the package version, written into a temporary folder and renamed into
place (readers see a whole snapshot or none). The next open of the same files reads the
snapshot instead.

Why Arrow IPC rather than Parquet: a snapshot is a cache read back by the same library on the
same machine; Arrow IPC files are memory-mapped and open without decoding (Parquet decodes
every column on read), so opening costs little more than reading the id column.

Opening builds no domain objects: each collection is a :class:`Table`, a read-only mapping
whose items (frozen :class:`~pathways.domain.Course`, ... objects, equal to those the loader
builds) are made on first access, and all at once, column by column, when a collection is
iterated. A snapshot catalog pickles as its Arrow tables (not as millions of objects), so
shipping it to a worker is cheap.

Snapshots are used for catalogs whose files total at least :data:`MIN_BYTES` (smaller ones
validate faster than a snapshot pays for itself); ``$PATHWAYS_SNAPSHOTS`` = ``never`` /
``always`` overrides that, and ``$PATHWAYS_CACHE_DIR`` (else the user's cache folder) says
where they live. A snapshot that cannot be read or written only costs time: the catalog is
validated as usual.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pathways.domain import (
    Catalog,
    Course,
    Credential,
    Job,
    JobSkill,
    Provider,
    ReadOnlyMapping,
    Skill,
    SkillLevel,
)
from pathways.errors import Diagnostic

__all__ = [
    "FORMAT",
    "MIN_BYTES",
    "Table",
    "cache_dir",
    "columnar",
    "files_hash",
    "open_snapshot",
    "snapshot_path",
    "write_snapshot",
]

#: Version of the snapshot layout; a change makes old snapshots unused (not misread).
FORMAT = 2  # 2: courses hours_stated and details, credentials details
#: Catalogs whose files total fewer bytes are validated every time (about 0.1 s).
MIN_BYTES = 2_000_000


def cache_dir() -> Path:
    """Where snapshots live: ``$PATHWAYS_CACHE_DIR/catalogs``, else the user's cache folder."""
    env = os.environ.get("PATHWAYS_CACHE_DIR")
    if env:
        return Path(env) / "catalogs"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("pathways", appauthor=False)) / "catalogs"


def use_snapshots(total_bytes: int) -> bool:
    mode = os.environ.get("PATHWAYS_SNAPSHOTS", "auto").strip().lower()
    if mode in ("never", "0", "off", "no"):
        return False
    if mode in ("always", "1", "on", "yes"):
        return True
    return total_bytes >= MIN_BYTES


def files_hash(files: Sequence[Path]) -> str:
    """SHA-256 over the files' names and bytes, with the snapshot format and package version."""
    import pathways

    digest = hashlib.sha256(f"pathways-snapshot {FORMAT} {pathways.__version__}\n".encode())
    for path in files:
        digest.update(f"{path.name}\0{path.stat().st_size}\0".encode())
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def snapshot_path(files: Sequence[Path]) -> Path:
    return cache_dir() / files_hash(files)


# --------------------------------------------------------------------------- the columns
def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _course_columns(items: Sequence[Course]) -> dict[str, Any]:
    from pathways.io.dump import requirement_to_data

    return {
        "id": [c.id for c in items], "title": [c.title for c in items],
        "hours": [float(c.hours) for c in items], "provider": [c.provider for c in items],
        "cost": [float(c.cost) for c in items], "delivery": [c.delivery for c in items],
        "terms": [sorted(c.terms) if c.terms is not None else None for c in items],
        "prerequisites": [_json(requirement_to_data(c.prerequisites))
                          if c.prerequisites is not None else None for c in items],
        "skill_ids": [[s.skill for s in c.skills] for c in items],
        "skill_levels": [[s.level for s in c.skills] for c in items],
        "badge_valid_months": [c.badge_valid_months for c in items],
        "description": [c.description for c in items], "badge_id": [c.badge_id for c in items],
        "hours_stated": [c.hours_stated for c in items],
        "details": [_json(_details_data(c.details)) for c in items],
    }


def _credential_columns(items: Sequence[Credential]) -> dict[str, Any]:
    from pathways.io.dump import requirement_to_data

    return {
        "id": [c.id for c in items], "title": [c.title for c in items],
        "level": [c.level for c in items],
        "requires": [_json(requirement_to_data(c.requires)) for c in items],
        "provider": [c.provider for c in items], "recency_months": [c.recency_months for c in items],
        "exclusive": [c.exclusive for c in items], "description": [c.description for c in items],
        "badge_id": [c.badge_id for c in items],
        "details": [_json(_details_data(c.details)) for c in items],
    }


def _details_data(details: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, list[str]] | None:
    return {k: list(v) for k, v in details} if details else None


def _details(text: str | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return () if text is None else tuple((k, tuple(v)) for k, v in json.loads(text).items())


def _job_columns(items: Sequence[Job]) -> dict[str, Any]:
    return {
        "id": [j.id for j in items], "title": [j.title for j in items],
        "skill_ids": [[s.skill for s in j.skills] for j in items],
        "importance": [[float(s.importance) for s in j.skills] for j in items],
        "essential": [[s.essential for s in j.skills] for j in items],
        "levels": [[s.level for s in j.skills] for j in items],
        "description": [j.description for j in items],
    }


def _skill_columns(items: Sequence[Skill]) -> dict[str, Any]:
    return {"id": [s.id for s in items], "label": [s.label for s in items],
            "alt_labels": [list(s.alt_labels) for s in items],
            "description": [s.description for s in items]}


def _provider_columns(items: Sequence[Provider]) -> dict[str, Any]:
    return {"id": [p.id for p in items], "name": [p.name for p in items]}


class _Builder:
    """Turns a row (the column values, in column order) into a domain object; shares the small
    immutable parts (skill levels) between rows."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._levels: dict[tuple[str, int], SkillLevel] = {}
        self.build: Callable[..., Any] = getattr(self, "_" + kind)

    def _level(self, skill: str, level: int) -> SkillLevel:
        found = self._levels.get((skill, level))
        if found is None:
            found = self._levels[(skill, level)] = SkillLevel(skill, level)
        return found

    def _courses(self, cid: str, title: str, hours: float, provider: str | None, cost: float,
                 delivery: str | None, terms: list[str] | None, prerequisites: str | None,
                 skill_ids: list[str], skill_levels: list[int], badge_valid_months: int | None,
                 description: str, badge_id: str | None, hours_stated: bool,
                 details: str | None) -> Course:
        from pathways.io.trees import TreeProblem, parse_prerequisites

        tree = None
        if prerequisites is not None:
            tree = parse_prerequisites(json.loads(prerequisites))
            if isinstance(tree, TreeProblem):
                raise ValueError(f"snapshot: bad prerequisites of {cid}: {tree.message}")
        return Course(cid, title, hours, provider, cost, delivery,
                      None if terms is None else frozenset(terms), tree,  # type: ignore[arg-type]
                      tuple(map(self._level, skill_ids, skill_levels)), badge_valid_months,
                      description, badge_id, hours_stated, _details(details))

    def _credentials(self, cid: str, title: str, level: str, requires: str, provider: str | None,
                     recency_months: int | None, exclusive: bool, description: str,
                     badge_id: str | None, details: str | None) -> Credential:
        from pathways.io.trees import TreeProblem, parse_requirement

        tree = parse_requirement(json.loads(requires))
        if isinstance(tree, TreeProblem):
            raise ValueError(f"snapshot: bad requirement of {cid}: {tree.message}")
        return Credential(cid, title, level, tree, provider, recency_months, exclusive,
                          description, badge_id, _details(details))

    def _jobs(self, jid: str, title: str, skill_ids: list[str], importance: list[float],
              essential: list[bool], levels: list[int], description: str) -> Job:
        return Job(jid, title, tuple(map(JobSkill, skill_ids, importance, essential, levels)),
                   description)

    def _skills(self, sid: str, label: str, alt_labels: list[str], description: str) -> Skill:
        return Skill(sid, label, tuple(alt_labels), description)

    def _providers(self, pid: str, name: str) -> Provider:
        return Provider(pid, name)


_COLUMNS = {"courses": _course_columns, "credentials": _credential_columns,
            "jobs": _job_columns, "skills": _skill_columns, "providers": _provider_columns}


class Table(ReadOnlyMapping):
    """A collection of a snapshot catalog: id -> domain object, in file order, built on
    first access from an Arrow table (all at once, column by column, when iterated)."""

    __slots__ = ("_kind", "_table", "_ids", "_index", "_built", "_complete", "_builder", "_lock")

    def __init__(self, kind: str, table: Any) -> None:
        self._kind = kind
        self._table = table
        self._ids: list[str] = table.column("id").to_pylist()
        self._index = dict(zip(self._ids, range(len(self._ids))))
        self._built: dict[str, Any] = {}
        self._complete = False
        self._builder = _Builder(kind)
        self._lock = threading.Lock()

    def __getitem__(self, key: str) -> Any:
        found = self._built.get(key)
        if found is None:
            i = self._index[key]
            row = [column[i].as_py() for column in self._table.columns]
            found = self._built.setdefault(key, self._builder.build(*row))
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def _all(self) -> dict[str, Any]:
        """Every item, built column by column the first time (in file order)."""
        if not self._complete:
            with self._lock:
                if not self._complete:
                    columns = [column.to_pylist() for column in self._table.columns]
                    built, build = self._built, self._builder.build
                    self._built = {key: built.get(key) or build(*row)
                                   for key, row in zip(self._ids, zip(*columns))}
                    self._complete = True
        return self._built

    def values(self) -> Any:  # type: ignore[override]
        return self._all().values()

    def items(self) -> Any:  # type: ignore[override]
        return self._all().items()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (Table, dict)) and not hasattr(other, "items"):
            return NotImplemented
        return dict(self.items()) == dict(other.items())  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{self._kind}: {len(self)} from a snapshot>"

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as the Arrow table (IPC bytes), not as the objects built from it."""
        import pyarrow as pa

        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, self._table.schema) as writer:
            writer.write_table(self._table)
        return (_restore, (self._kind, sink.getvalue().to_pybytes()))


def _restore(kind: str, blob: bytes) -> Table:
    import pyarrow as pa

    return Table(kind, pa.ipc.open_stream(pa.py_buffer(blob)).read_all())


def _arrow_tables(catalog: Catalog) -> dict[str, Any]:
    import pyarrow as pa

    out = {}
    for kind, columns in _COLUMNS.items():
        items = list(getattr(catalog, kind).values())
        out[kind] = pa.table(columns(items)) if items else pa.table({"id": pa.array([], pa.string())})
    return out


def columnar(catalog: Catalog) -> Catalog:
    """The catalog with Arrow-backed collections (:class:`Table`), as a snapshot gives it: it
    pickles as columns (to ship to workers) and builds objects where they are used. A catalog
    that is columnar already is returned as it is.

    >>> from pathways.domain import Course
    >>> cat = columnar(Catalog(courses={"A": Course("A", "Alpha", 10.0)}))
    >>> type(cat.courses).__name__, cat.courses["A"].title
    ('Table', 'Alpha')
    """
    if all(isinstance(getattr(catalog, kind), Table) for kind in _COLUMNS):
        return catalog
    tables = {kind: Table(kind, table) for kind, table in _arrow_tables(catalog).items()}
    return Catalog(currency=catalog.currency, sources=catalog.sources, **tables)


# --------------------------------------------------------------------------- write and open
def write_snapshot(report: Any, target: Path) -> Path:
    """Write the validated catalog of ``report`` (a ValidationReport) to the folder ``target``,
    atomically: into a temporary folder beside it, then renamed into place."""
    import pyarrow.feather as feather

    catalog: Catalog = report.catalog
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for kind, table in _arrow_tables(catalog).items():
            feather.write_feather(table, str(work / f"{kind}.arrow"), compression="uncompressed")
        meta = {"format": FORMAT, "currency": catalog.currency, "sources": list(catalog.sources),
                "files": list(report.files),
                "warnings": [{f: getattr(w, f) for f in ("message", "file", "line", "path", "id",
                                                          "hint", "severity")}
                             for w in report.warnings]}
        (work / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        try:
            os.rename(work, target)
        except OSError:  # another process wrote the same snapshot first: theirs is as good
            shutil.rmtree(work, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target


def open_snapshot(path: Path, files: Sequence[str | os.PathLike[str]] | None = None) -> Any:
    """The ValidationReport kept in a snapshot folder (collections built on first use).

    ``files`` are the source files as this caller names them (the same files, in the same
    order, as the snapshot was made from, perhaps spelt another way): warnings, sources and
    files are reported under these names.

    Raises
    ------
    OSError, ValueError
        When the folder is missing, partial or of another format (the caller validates the
        source files instead).
    """
    import pyarrow.feather as feather

    from pathways.io._report import ValidationReport

    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        raise ValueError(f"snapshot format {meta.get('format')}, not {FORMAT}")
    tables = {kind: Table(kind, feather.read_table(str(path / f"{kind}.arrow"), memory_map=True))
              for kind in _COLUMNS}
    names = {old: str(new) for old, new in zip(meta["files"], files or meta["files"])}
    catalog = Catalog(currency=meta["currency"],
                      sources=tuple(names.get(f, f) for f in meta["sources"]), **tables)
    warnings = tuple(Diagnostic(**{**w, "file": names.get(w["file"], w["file"])})
                     for w in meta["warnings"])
    return ValidationReport(catalog, warnings, tuple(names.get(f, f) for f in meta["files"]))
