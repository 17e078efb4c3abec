"""CSV catalogs: courses, credentials and jobs as spreadsheets (pandas), and safe CSV output.

A catalog directory may hold ``courses.csv``, ``credentials.csv`` and ``jobs.csv`` beside its
YAML files: :data:`pathways.io.catalog.READERS` reads the ``.csv`` suffix with
:func:`read_csv_file`, so :func:`~pathways.io.validate_catalog` reads them.
This is also the fast path for large catalogs: the columns are read as text by
:func:`pandas.read_csv` and turned into catalog data column by column.

The tables (one row per item; a job has one row per required skill):

``courses.csv``
    ``id, title, provider, hours, cost, delivery, terms, prerequisites, skills,
    badge_valid_months, badge_id, description, hours_stated, details``. ``terms`` is
    ``winter; fall`` (empty: every term; ``none``: no term); ``prerequisites`` the expression
    of the format doc (``A-1 and (B-1 or B-2)``); ``skills`` is ``esco:...=2; esco:...=1``
    (skill id ``=`` level); ``hours_stated`` is ``false`` when the source stated no hours (empty
    otherwise); ``details`` a JSON object of lists of text (what an import kept), or empty.
``credentials.csv``
    ``id, title, level, provider, requires, recency_months, exclusive, badge_id, description,
    details``, with ``requires`` a requirement expression.
``jobs.csv``
    ``id, title, description, skill, importance, level``: one row per job and skill, the title on
    every row, the description on the first.

A ``requires`` or ``prerequisites`` cell is a requirement expression
(:mod:`pathways.io.expressions`), e.g. ``all(A-1, "Electives": choose 2 of (B, C, D))``.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pathways._gc import gc_paused
from pathways.describe import prerequisite_text
from pathways.domain import (
    CREDENTIAL_LEVELS,
    DELIVERY_MODES,
    SEASONS,
    Catalog,
)
from pathways.errors import CatalogError, Diagnostic
from pathways.io._yaml import atomic_folder, dump_yaml, output_path
from pathways.io.dump import number_text, plain_number
from pathways.io.expressions import (
    RequirementSyntaxError,
    parse_requirement_data,
    requirement_text,
)
from pathways.io.trees import TreeProblem, parse_prerequisites

if TYPE_CHECKING:  # pandas is imported when a CSV file is read or written, not with pathways
    import pandas as pd

__all__ = [
    "COURSE_COLUMNS",
    "CREDENTIAL_COLUMNS",
    "JOB_COLUMNS",
    "PROVIDER_COLUMNS",
    "SKILL_COLUMNS",
    "TABLES",
    "FORMULA_STARTS",
    "courses_frame",
    "credentials_frame",
    "csv_line",
    "csv_line_finder",
    "frame_csv",
    "jobs_frame",
    "providers_frame",
    "read_csv_file",
    "rows_csv",
    "safe_cell",
    "safe_frame",
    "skills_frame",
    "unquote_cell",
    "write_csv_catalog",
]

COURSE_COLUMNS = ("id", "title", "provider", "hours", "cost", "delivery", "terms", "prerequisites",
                  "skills", "badge_valid_months", "badge_id", "description", "hours_stated",
                  "details")
CREDENTIAL_COLUMNS = ("id", "title", "level", "provider", "requires", "recency_months", "exclusive",
                      "badge_id", "description", "details")
JOB_COLUMNS = ("id", "title", "description", "skill", "importance", "level")
PROVIDER_COLUMNS = ("id", "name")
SKILL_COLUMNS = ("id", "label", "alt_labels", "description")
_REQUIRED = {"courses": ("id", "title", "hours"), "credentials": ("id", "title", "level", "requires"),
             "jobs": ("id", "title"), "providers": ("id",), "skills": ("id", "label")}
_COLUMNS = {"courses": COURSE_COLUMNS, "credentials": CREDENTIAL_COLUMNS, "jobs": JOB_COLUMNS,
            "providers": PROVIDER_COLUMNS, "skills": SKILL_COLUMNS}
#: The tables :func:`write_csv_catalog` writes, in reading order.
TABLES = ("providers", "skills", "courses", "credentials", "jobs")
#: The file ``write_csv_catalog`` writes beside the tables: format, currency, providers, skills.
META_FILE = "catalog.yaml"


# --------------------------------------------------------------------------- formulas
#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV injection").
FORMULA_STARTS = frozenset("=+-@\t\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _needs_quote(text: str) -> bool:
    bare = text.lstrip("'")
    if not bare or bare[0] not in FORMULA_STARTS:
        return False
    return len(bare) != len(text) or not _PLAIN_NUMBER.fullmatch(bare)


def safe_cell(value: Any) -> Any:
    """A value for a CSV cell that no spreadsheet runs as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    single quote (OWASP's rule), as does text that already starts with quotes before one of
    those, so that :func:`unquote_cell` restores every text exactly. Numbers, and text that is
    a plain number (``-5``, ``+3``, ``-1e5``), stay as they are: a spreadsheet reads them as
    numbers, not formulas.

    >>> safe_cell("=1+1"), safe_cell("-5"), safe_cell(-5), safe_cell("a")
    ("'=1+1", '-5', -5, 'a')
    >>> unquote_cell(safe_cell("'=1")) == "'=1"
    True
    """
    if isinstance(value, str) and _needs_quote(value):
        return "'" + value
    return value


def unquote_cell(text: str) -> str:
    """The inverse of :func:`safe_cell` on text read from a cell."""
    if text.startswith("'") and _needs_quote(text[1:]):
        return text[1:]
    return text


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and column name) passed through
    :func:`safe_cell`; numeric columns unchanged."""
    import pandas as pd

    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if not pd.api.types.is_numeric_dtype(column):
            out[name] = pd.Series([safe_cell(v) for v in column.tolist()], index=out.index,
                                  dtype=object)
    out.columns = [safe_cell(str(c)) for c in out.columns]
    return out


# --------------------------------------------------------------------------- writing
def _join(values: list[str]) -> str:
    return "; ".join(values)


def _check_cell_ids(ids: Iterator[tuple[str, str]], what: str) -> None:
    bad = [(owner, i) for owner, i in ids if ";" in i or "=" in i]
    if bad:
        owner, i = bad[0]
        raise CatalogError(Diagnostic(f"{what} id {i!r} of {owner} contains ';' or '=', which the "
                                      "CSV list cells use as separators", id=owner,
                                      hint="export this catalog as YAML or CTDL instead"))


def courses_frame(catalog: Catalog) -> pd.DataFrame:
    """The courses as a table with :data:`COURSE_COLUMNS` (all cells text)."""
    import pandas as pd

    _check_cell_ids(((c.id, s.skill) for c in catalog.courses.values() for s in c.skills), "skill")
    rows = []
    for c in catalog.courses.values():
        if c.terms is None:
            terms = ""
        else:
            terms = _join([s for s in SEASONS if s in c.terms]) or "none"
        rows.append((
            c.id, c.title, c.provider or "", number_text(c.hours), number_text(c.cost) if c.cost else "",
            c.delivery or "", terms,
            prerequisite_text(c.prerequisites) if c.prerequisites is not None else "",
            _join([f"{s.skill}={s.level}" for s in c.skills]),
            str(c.badge_valid_months) if c.badge_valid_months is not None else "",
            c.badge_id or "", c.description, "" if c.hours_stated else "false",
            _details_text(c.details)))
    return pd.DataFrame(rows, columns=list(COURSE_COLUMNS), dtype=object)


def _details_text(details: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    """An item's ``details`` as JSON text in one cell (empty when it has none)."""
    if not details:
        return ""
    return json.dumps({key: list(texts) for key, texts in details}, ensure_ascii=False)


def _details_cells(cells: list[str], problems: _Problems, ids: list[str]) -> list[Any]:
    """The ``details`` column read back: a mapping of lists of text per cell, or None."""
    out: list[Any] = []
    for row, cell in enumerate(cells):
        text = (cell or "").strip()
        value: Any = None
        if text:
            try:
                value = json.loads(text)
            except ValueError:
                value = "?"
            if not isinstance(value, dict) or not all(
                    isinstance(v, list) and all(isinstance(t, str) for t in v) for v in value.values()):
                problems.add(row, "details is not a JSON object of lists of text",
                             'write e.g. {"renewal": ["every 3 years"]}, or leave it empty',
                             item_id=ids[row], column="details")
                value = None
        out.append(value)
    return out


def credentials_frame(catalog: Catalog) -> pd.DataFrame:
    """The credentials as a table with :data:`CREDENTIAL_COLUMNS` (all cells text)."""
    import pandas as pd

    rows = [(cr.id, cr.title, cr.level, cr.provider or "", requirement_text(cr.requires),
             str(cr.recency_months) if cr.recency_months is not None else "",
             "true" if cr.exclusive else "", cr.badge_id or "", cr.description,
             _details_text(cr.details))
            for cr in catalog.credentials.values()]
    return pd.DataFrame(rows, columns=list(CREDENTIAL_COLUMNS), dtype=object)


def jobs_frame(catalog: Catalog) -> pd.DataFrame:
    """The jobs as a table with :data:`JOB_COLUMNS`, one row per job and skill."""
    import pandas as pd

    rows = []
    for j in catalog.jobs.values():
        if not j.skills:
            rows.append((j.id, j.title, j.description, "", "", ""))
        for n, s in enumerate(j.skills):
            if s.essential and s.importance == 1.0:
                importance = "essential"
            elif not s.essential and s.importance == 0.5:
                importance = "optional"
            else:
                importance = number_text(s.importance)
            rows.append((j.id, j.title, j.description if n == 0 else "", s.skill, importance,
                         str(s.level)))
    return pd.DataFrame(rows, columns=list(JOB_COLUMNS), dtype=object)


def providers_frame(catalog: Catalog) -> pd.DataFrame:
    """The providers as a table with :data:`PROVIDER_COLUMNS`."""
    import pandas as pd

    rows = [(p.id, p.name) for p in catalog.providers.values()]
    return pd.DataFrame(rows, columns=list(PROVIDER_COLUMNS), dtype=object)


def _labels_cell(labels: tuple[str, ...]) -> str:
    """Alternative labels joined by ``; ``, or as a JSON list when that would be ambiguous."""
    if any(";" in label for label in labels) or (labels and labels[0].lstrip().startswith("[")) \
            or any(label != label.strip() or not label for label in labels):
        return json.dumps(list(labels), ensure_ascii=False)
    return _join(list(labels))


def skills_frame(catalog: Catalog) -> pd.DataFrame:
    """The listed skills as a table with :data:`SKILL_COLUMNS` (alternative labels ``a; b``)."""
    import pandas as pd

    rows = [(s.id, s.label, _labels_cell(s.alt_labels), s.description)
            for s in catalog.skills.values()]
    return pd.DataFrame(rows, columns=list(SKILL_COLUMNS), dtype=object)


def frame_csv(frame: pd.DataFrame) -> str:
    """CSV text of a table for people to open in a spreadsheet: formula cells neutralised
    (:func:`safe_frame`), lines ended by ``\\n``, no index. Python's CSV writer does not
    quote a carriage return inside a cell when lines end with ``\\n`` (the reader then splits
    the row there): a table holding one is written with every cell quoted.
    """
    import csv

    frame = safe_frame(frame)
    carriage = any(isinstance(v, str) and "\r" in v
                   for name in frame.columns if frame[name].dtype == object
                   for v in frame[name].tolist())
    return frame.to_csv(index=False, lineterminator="\n",
                        quoting=csv.QUOTE_ALL if carriage else csv.QUOTE_MINIMAL)


def rows_csv(rows: Iterable[dict[str, Any]]) -> str:
    """:func:`frame_csv` of rows (dicts with the same keys; lists and tuples joined by
    ``; ``)."""
    import pandas as pd

    flat = [{k: "; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v
             for k, v in row.items()} for row in rows]
    if not flat:
        return ""
    return frame_csv(pd.DataFrame(flat, columns=list(flat[0])))


def _frame_text(frame: pd.DataFrame) -> str:
    return frame_csv(frame)


def write_csv_catalog(catalog: Catalog, directory: str | os.PathLike[str]) -> list[Path]:
    """Write a catalog as a directory that :func:`~pathways.io.validate_catalog` reads back.

    ``catalog.yaml`` keeps the format and currency; ``providers.csv``, ``skills.csv``,
    ``courses.csv``, ``credentials.csv`` and ``jobs.csv`` hold the tables. The folder is
    written as a whole (:func:`~pathways.io._yaml.atomic_folder`): a kill or a full disk midway
    leaves the old folder, never a mix of old and new tables. Text cells a spreadsheet would
    run as formulas are quoted (:func:`safe_cell`).

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    CatalogError
        When the directory already holds other catalog files (they would be read together with
        these), or an id cannot be written in a list cell.
    WriteError
        When the folder cannot be written (a file of that name, permissions, a full disk).
    """
    target = output_path(directory)
    ours = {META_FILE, *(f"{t}.csv" for t in TABLES)}
    if target.is_dir():
        others = sorted(p.name for p in target.iterdir() if p.is_file() and p.name not in ours
                        and p.suffix in (".yaml", ".yml", ".csv"))
        if others:
            raise CatalogError(Diagnostic(
                f"the directory already holds other catalog files ({', '.join(others[:5])})",
                file=str(target), hint="export into an empty directory: the files of a catalog "
                                       "directory are read together"))
    meta = {"format": "pathways/1", "currency": catalog.currency}
    frames = {"providers": providers_frame, "skills": skills_frame, "courses": courses_frame,
              "credentials": credentials_frame, "jobs": jobs_frame}
    files = {META_FILE: dump_yaml(meta, header="Catalog metadata; the tables are the CSV files "
                                               "beside this file (see docs/interop.md).")}
    for table in TABLES:
        files[f"{table}.csv"] = _frame_text(frames[table](catalog))
    with atomic_folder(target) as tmp:
        for name, text in files.items():
            _write_file(tmp / name, text)
    return [target / name for name in files]


def _write_file(path: Path, text: str) -> None:
    """One file of a folder being written (see :func:`~pathways.io._yaml.atomic_folder`)."""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())


# --------------------------------------------------------------------------- reading
def _row_lines(path: str | os.PathLike[str]) -> list[int]:
    """The line on which each data row starts (a quoted cell may span several lines)."""
    import csv

    lines = []
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            start = 1
            for n, row in enumerate(reader):
                if n and any(row):
                    lines.append(start)
                start = reader.line_num + 1
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
    return lines


def csv_line(file: str | os.PathLike[str], keypath: tuple[str | int, ...]) -> int | None:
    """The line of a CSV table that holds the item at ``keypath`` of its catalog data.

    ``("courses", 3, "hours")`` is the fourth data row of ``courses.csv``; for ``jobs.csv``,
    ``("jobs", j, "skills", k)`` is the row of the job's k-th skill. For messages about
    problems found after reading (unknown references, cycles ...). To place many items of one
    file, use :func:`csv_line_finder`, which reads the file once.

    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "courses.csv"
    >>> _ = p.write_text('id,title,hours,description\\nA,One,1,"two\\nlines"\\nB,Two,2,\\n')
    >>> csv_line(p, ("courses", 1, "hours"))
    4
    """
    return csv_line_finder(file)(keypath)


def csv_line_finder(file: str | os.PathLike[str]) -> Callable[[tuple[str | int, ...]], int | None]:
    """:func:`csv_line` for one file, which reads the file (once) on the first question."""
    lines: list[int] | None = None
    job_rows: dict[int, list[int]] | None = None

    def job_row(index: int, skill: int) -> int | None:
        nonlocal job_rows
        if job_rows is None:
            import pandas as pd

            try:
                ids = pd.read_csv(file, dtype=object, usecols=["id"], keep_default_na=False,
                                  na_filter=False, encoding="utf-8-sig")["id"].str.strip().tolist()
            except (ValueError, OSError):
                ids = []
            by_id: dict[str, list[int]] = {}
            for row, job_id in enumerate(ids):
                by_id.setdefault(job_id, []).append(row)
            job_rows = dict(enumerate(by_id.values()))  # jobs in first-seen order
        rows = job_rows.get(index)
        return rows[min(skill, len(rows) - 1)] if rows else None

    def find(keypath: tuple[str | int, ...]) -> int | None:
        nonlocal lines
        if len(keypath) < 2 or not isinstance(keypath[1], int):
            return 1
        if lines is None:
            lines = _row_lines(file)
        index: int | None = keypath[1]
        if keypath[0] == "jobs":
            skill = keypath[3] if len(keypath) > 3 and isinstance(keypath[3], int) else 0
            index = job_row(keypath[1], skill)
        return lines[index] if index is not None and index < len(lines) else None

    return find


class _Problems:
    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[Diagnostic] = []
        self._lines: list[int] | None = None

    def add(self, row: int, message: str, hint: str, *, item_id: str | None = None,
            column: str | None = None) -> None:
        # row is 0-based over the data rows; line 1 is the header
        if self._lines is None:
            self._lines = _row_lines(self.file)
        line = self._lines[row] if row < len(self._lines) else row + 2
        self.items.append(Diagnostic(message, file=self.file, line=line, path=column,
                                     id=item_id or None, hint=hint))

    def raise_if_any(self) -> None:
        """All of the table's problems, top to bottom as in the sheet (a row's in column order)."""
        if self.items:
            raise CatalogError(sorted(self.items, key=lambda d: d.line or 0))


def _kind(path: Path) -> str:
    stem = path.stem.lower()
    for kind in TABLES:
        if stem.startswith(kind):
            return kind
    raise CatalogError(Diagnostic(
        f'a CSV file named "{path.name}": pathways reads providers*.csv, skills*.csv, '
        "courses*.csv, credentials*.csv and jobs*.csv",
        file=str(path), hint="rename the file after the table it holds"))


def _read_frame(path: Path, kind: str) -> pd.DataFrame:
    import pandas as pd

    import warnings

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            # index_col=False: a first row with more cells than the header must not turn the
            # first column into an index (every field would shift one column left)
            frame = pd.read_csv(path, dtype=object, keep_default_na=False, na_filter=False,
                                encoding="utf-8-sig", skip_blank_lines=True, index_col=False)
        if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
            raise CatalogError(_extra_cells(path, len(frame.columns)))
    except pd.errors.EmptyDataError:
        return pd.DataFrame(columns=list(_REQUIRED[kind]), dtype=object)
    except pd.errors.ParserError as err:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(err))
        if found:
            raise CatalogError(_extra_cells(path, int(found[1]))) from err
        raise CatalogError(Diagnostic(f"not a readable CSV table: {err}".splitlines()[0],
                                      file=str(path), hint="save the sheet as CSV (UTF-8, comma "
                                                           "separated)")) from err
    except (UnicodeDecodeError, ValueError) as err:
        raise CatalogError(Diagnostic(f"not a readable CSV table: {err}".splitlines()[0],
                                      file=str(path), hint="save the sheet as CSV (UTF-8, comma "
                                                           "separated)")) from err
    except OSError as err:
        raise CatalogError(Diagnostic(f"cannot read the file: {err.strerror or err}",
                                      file=str(path), hint="check the path")) from err
    frame.columns = [str(c).strip() for c in frame.columns]
    for name in frame.columns:  # cells an export quoted against formulas (see safe_cell)
        column = frame[name]
        quoted = column.str.startswith("'")
        if quoted.any():
            frame[name] = column.where(~quoted, column[quoted].map(unquote_cell))
    unknown = [c for c in frame.columns if c not in _COLUMNS[kind]]
    missing = [c for c in _REQUIRED[kind] if c not in frame.columns]
    if unknown or missing:
        problems = []
        if unknown:
            problems.append(f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
        if missing:
            problems.append(f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
        raise CatalogError(Diagnostic("; ".join(problems), file=str(path), line=1,
                                      hint=f"the columns of {kind}.csv are {', '.join(_COLUMNS[kind])}"))
    return frame


def _extra_cells(path: Path, columns: int) -> list[Diagnostic]:
    """A diagnostic for each row with more cells than the header (found with :mod:`csv`)."""
    import csv

    out = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        start = 1
        for row in reader:
            if len(row) > columns and start > 1:
                out.append(Diagnostic(
                    f"the row has {len(row)} cells, the header {columns}: the cells would "
                    "shift into the wrong columns", file=str(path), line=start,
                    id=row[0].strip() or None,
                    hint="quote cells that hold a comma (\"a, b\"), or remove the extra cells"))
            start = reader.line_num + 1
    return out or [Diagnostic(f"a row has more cells than the header's {columns}", file=str(path),
                              hint="quote cells that hold a comma, or remove the extra cells")]


def _column(frame: pd.DataFrame, name: str) -> list[str]:
    if name not in frame.columns:
        return [""] * len(frame)
    return frame[name].tolist()


def _strip_columns(frame: pd.DataFrame, names: Iterable[str]) -> pd.DataFrame:
    """A copy with the cells of ``names`` stripped of surrounding blanks, once for all the
    checks below (a list comprehension: pandas' ``.str.strip()`` calls a lambda per cell)."""
    import pandas as pd

    frame = frame.copy(deep=False)
    for name in names:
        if name in frame.columns:  # object dtype, as read (no conversion to a string array)
            frame[name] = pd.Series([v.strip() for v in frame[name].tolist()], dtype=object,
                                    index=frame.index)
    return frame


def _numbers(frame: pd.DataFrame, name: str, problems: _Problems, ids: list[str], *,
             integer: bool, positive: bool, hint: str) -> list[Any]:
    """A numeric column (stripped, see :func:`_strip_columns`): numbers where given, ``None``
    where empty; bad cells reported."""
    import pandas as pd

    raw = frame[name] if name in frame.columns else None
    if raw is None:
        return [None] * len(frame)
    values = pd.to_numeric(raw.where(raw != ""), errors="coerce")
    given = raw != ""
    infinite = given & values.isin([math.inf, -math.inf])  # 1e309 reads as infinity
    for row in infinite.to_numpy().nonzero()[0]:
        problems.add(int(row), f"{name} must be a finite number (found {raw.iloc[row]!r})", hint,
                     item_id=ids[row], column=name)
    bad = given & ~infinite & (values.isna() | (values <= 0 if positive else values < 0))
    if integer:
        bad |= given & values.notna() & (values % 1 != 0)
    for row in bad.to_numpy().nonzero()[0]:
        problems.add(int(row), f"{name} must be {'a whole number' if integer else 'a number'} "
                     f"{'> 0' if positive else '>= 0'} (found {raw.iloc[row]!r})", hint,
                     item_id=ids[row], column=name)
    out = values.tolist()
    if integer:
        return [int(v) if g and not math.isnan(v) else None for v, g in zip(out, given.tolist())]
    return [v if g and not math.isnan(v) else None for v, g in zip(out, given.tolist())]


def _skill_item(part: str) -> dict[str, Any] | None:
    part = part.strip()
    if not part:
        return None
    skill, sep, level = part.rpartition("=")
    if not sep:
        return {"skill": part}
    level = level.strip()
    return {"skill": skill.strip(), "level": int(level) if level.isdigit() else level}


def _skills_column(cells: list[str]) -> list[list[dict[str, Any]]]:
    """Parse ``id=level; id=level`` cells; equal items share one parsed dict (read-only)."""
    cache: dict[str, dict[str, Any] | None] = {}
    empty: list[dict[str, Any]] = []
    out = []
    for cell in cells:
        if not cell:
            out.append(empty)
            continue
        items = []
        for part in cell.split(";"):
            item = cache.get(part)
            if item is None:
                if part in cache:
                    continue
                item = cache[part] = _skill_item(part)
                if item is None:
                    continue
            items.append(item)
        out.append(items)
    return out


def _optional_text(frame: pd.DataFrame, name: str) -> list[str | None]:
    """A stripped text column (see :func:`_strip_columns`) with ``None`` for empty cells."""
    if name not in frame.columns:
        return [None] * len(frame)
    return [v if v else None for v in frame[name].tolist()]


def _bad_values(frame: pd.DataFrame, name: str, allowed: Iterable[str]) -> list[int]:
    if name not in frame.columns:
        return []
    column = frame[name]  # stripped (see _strip_columns)
    return (~column.isin([*allowed, ""])).to_numpy().nonzero()[0].tolist()


def _read_courses(path: Path, frame: pd.DataFrame) -> dict[str, Any]:
    # Column by column: the cells are checked with vectorised pandas operations, and each row
    # becomes one dict built by zip (optional keys hold None when the cell is empty).
    problems = _Problems(str(path))
    frame = _strip_columns(frame, ("id", "hours", "cost", "badge_valid_months", "delivery",
                                   "terms", "provider", "prerequisites", "badge_id"))
    ids = _column(frame, "id")
    hours = _numbers(frame, "hours", problems, ids, integer=False, positive=True,
                     hint="give the learning hours as a number greater than 0")
    for row in (frame["hours"] == "").to_numpy().nonzero()[0].tolist():
        problems.add(row, "missing hours", "give the learning hours as a number greater than 0",
                     item_id=ids[row], column="hours")
    for row in (frame["id"] == "").to_numpy().nonzero()[0].tolist():
        problems.add(row, "a course without an id", "fill in the id column", column="id")
    costs = _numbers(frame, "cost", problems, ids, integer=False, positive=False,
                     hint="give the cost as a number >= 0 (empty for free)")
    months = _numbers(frame, "badge_valid_months", problems, ids, integer=True, positive=True,
                      hint="give the badge validity in whole months, or leave it empty")
    deliveries = _optional_text(frame, "delivery")
    for row in _bad_values(frame, "delivery", DELIVERY_MODES):
        problems.add(row, f"delivery {deliveries[row]!r} is not one of {', '.join(DELIVERY_MODES)}",
                     "use online, in-person or hybrid", item_id=ids[row], column="delivery")
    terms_text = _optional_text(frame, "terms")
    term_lists: dict[str, list[str]] = {}
    for text in {t for t in terms_text if t is not None}:
        term_lists[text] = [] if text.lower() == "none" else [
            t.strip().lower() for t in text.split(";") if t.strip()]
    terms: list[list[str] | None] = [term_lists[t] if t is not None else None for t in terms_text]
    for row, listed in enumerate(terms):
        if listed is not None and not set(listed) <= set(SEASONS):
            wrong = next(t for t in listed if t not in SEASONS)
            problems.add(row, f"unknown term {wrong!r}", "list terms from winter, summer, fall "
                         "separated by ';' (empty: every term; none: no term)", item_id=ids[row],
                         column="terms")
    skills = _skills_column(_column(frame, "skills"))
    prerequisites = _optional_text(frame, "prerequisites")
    if problems.items:  # bad expressions too, in this one report (the loader checks them later)
        for row, text in enumerate(prerequisites):
            tree = parse_prerequisites(text) if text is not None else None
            if isinstance(tree, TreeProblem):
                problems.add(row, tree.message, tree.hint, item_id=ids[row], column="prerequisites")
    stated = []
    for row, cell in enumerate(_column(frame, "hours_stated")):
        flag = (cell or "").strip().lower()
        if flag not in ("", "true", "yes", "1", "false", "no", "0"):
            problems.add(row, f"hours_stated {cell!r} is not true or false",
                         "write false when the source states no hours, or leave it empty",
                         item_id=ids[row], column="hours_stated")
        stated.append(flag not in ("false", "no", "0"))
    details = _details_cells(_column(frame, "details"), problems, ids)
    problems.raise_if_any()
    columns = (ids, _column(frame, "title"), _optional_text(frame, "provider"), hours, costs,
               deliveries, terms, prerequisites, skills, months,
               _optional_text(frame, "badge_id"), _column(frame, "description"))
    keys = COURSE_COLUMNS[:len(columns)]
    courses = [dict(zip(keys, row)) for row in zip(*columns)]
    for course, stated_here, details_here in zip(courses, stated, details):
        if not stated_here:  # optional keys: left out unless the cell says something
            course["hours_stated"] = False
        if details_here:
            course["details"] = details_here
    return {"courses": courses}


def _read_credentials(path: Path, frame: pd.DataFrame) -> dict[str, Any]:
    problems = _Problems(str(path))
    frame = _strip_columns(frame, ("recency_months",))
    ids = [i.strip() for i in _column(frame, "id")]
    months = _numbers(frame, "recency_months", problems, ids, integer=True, positive=True,
                      hint="give the recency in whole months, or leave it empty")
    titles, levels, providers = _column(frame, "title"), _column(frame, "level"), _column(frame, "provider")
    requires, exclusive = _column(frame, "requires"), _column(frame, "exclusive")
    badge_ids, descriptions = _column(frame, "badge_id"), _column(frame, "description")
    details = _details_cells(_column(frame, "details"), problems, ids)
    out = []
    for row, item_id in enumerate(ids):
        level = levels[row].strip()
        if level not in CREDENTIAL_LEVELS:
            problems.add(row, f"level {level!r} is not one of {', '.join(CREDENTIAL_LEVELS)}",
                         "use microcredential, certificate, diploma, degree or other",
                         item_id=item_id, column="level")
        try:
            tree = parse_requirement_data(requires[row])  # the YAML shape, checked by the loader
        except RequirementSyntaxError as err:
            problems.add(row, f"requires: {err}", 'write e.g. all(A-1, choose 2 of (B, C, D), '
                         'min_hours 40 from (E, F)); see docs/interop.md', item_id=item_id,
                         column="requires")
            continue
        cred: dict[str, Any] = {"id": item_id, "title": titles[row], "level": level, "requires": tree}
        if providers[row].strip():
            cred["provider"] = providers[row].strip()
        if months[row] is not None:
            cred["recency_months"] = months[row]
        flag = exclusive[row].strip().lower()
        if flag in ("true", "yes", "1", "x"):
            cred["exclusive"] = True
        elif flag not in ("", "false", "no", "0"):
            problems.add(row, f"exclusive {exclusive[row]!r} is not true or false",
                         "write true, or leave it empty", item_id=item_id, column="exclusive")
        if badge_ids[row].strip():
            cred["badge_id"] = badge_ids[row].strip()
        if descriptions[row]:
            cred["description"] = descriptions[row]
        if details[row]:
            cred["details"] = details[row]
        out.append(cred)
    problems.raise_if_any()
    return {"credentials": out}


def _read_jobs(path: Path, frame: pd.DataFrame) -> dict[str, Any]:
    problems = _Problems(str(path))
    ids = [i.strip() for i in _column(frame, "id")]
    titles, descriptions = _column(frame, "title"), _column(frame, "description")
    skills, importances, levels = _column(frame, "skill"), _column(frame, "importance"), _column(frame, "level")
    jobs: dict[str, dict[str, Any]] = {}
    for row, job_id in enumerate(ids):
        job = jobs.get(job_id)
        if job is None:
            job = jobs[job_id] = {"id": job_id, "title": titles[row], "skills": []}
        elif titles[row] and job["title"] and titles[row] != job["title"]:
            problems.add(row, f"job {job_id} has two titles ({job['title']!r} and {titles[row]!r})",
                         "give each job one title", item_id=job_id, column="title")
        if not job["title"]:
            job["title"] = titles[row]
        if descriptions[row] and "description" not in job:
            job["description"] = descriptions[row]
        skill = skills[row].strip()
        if not skill:
            continue
        entry: dict[str, Any] = {"skill": skill}
        importance = importances[row].strip()
        if importance:
            try:
                entry["importance"] = importance if importance in ("essential", "optional") \
                    else plain_number(float(importance))
            except ValueError:
                problems.add(row, f"importance {importance!r} is not essential, optional or a number",
                             "use essential, optional, or a number in (0, 1]", item_id=job_id,
                             column="importance")
        level = levels[row].strip()
        if level:
            entry["level"] = int(level) if level.isdigit() else level
        job["skills"].append(entry)
    problems.raise_if_any()
    out = []
    for job in jobs.values():
        if "description" in job:  # the YAML key order: id, title, description, skills
            job = {"id": job["id"], "title": job["title"], "description": job["description"],
                   "skills": job["skills"]}
        out.append(job)
    return {"jobs": out}


def _read_providers(path: Path, frame: pd.DataFrame) -> dict[str, Any]:
    ids = [i.strip() for i in _column(frame, "id")]
    names = _column(frame, "name")
    return {"providers": [{"id": i, "name": n} for i, n in zip(ids, names)]}


def _labels(cell: str) -> list[str]:
    text = cell.strip()
    if text.startswith("["):
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return value
    return [part.strip() for part in text.split(";") if part.strip()]


def _read_skills(path: Path, frame: pd.DataFrame) -> dict[str, Any]:
    ids = [i.strip() for i in _column(frame, "id")]
    columns = (ids, _column(frame, "label"), [_labels(c) for c in _column(frame, "alt_labels")],
               _column(frame, "description"))
    return {"skills": [dict(zip(SKILL_COLUMNS, row)) for row in zip(*columns)]}


_READERS: dict[str, Callable[[Path, Any], dict[str, Any]]] = {
    "providers": _read_providers, "skills": _read_skills, "courses": _read_courses,
    "credentials": _read_credentials, "jobs": _read_jobs}


def read_csv_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Catalog data (the YAML shape) from one CSV table, chosen by the file name.

    ``providers*.csv``, ``skills*.csv``, ``courses*.csv``, ``credentials*.csv`` or ``jobs*.csv``;
    this is the reader registered for ``.csv`` files in catalog directories.

    Raises
    ------
    CatalogError
        With every bad cell, each naming file, line, column and id.
    """
    p = Path(path)
    kind = _kind(p)
    with gc_paused():
        frame = _read_frame(p, kind)
        return _READERS[kind](p, frame)

