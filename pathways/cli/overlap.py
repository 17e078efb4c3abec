"""Commands of the overlap engine (registered on import): ``overlap``, ``health``, ``demand``."""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pathways.cli._common import (
    CatalogOpt,
    Format,
    FormatOpt,
    app,
    console,
    emit_json,
    fail,
    load,
    finite,
    print_table,
    user_errors,
)
from pathways import overlap as engine  # lazy: the engines load on first use
from pathways.overlap import HEALTH_CATEGORIES

if TYPE_CHECKING:
    import pandas as pd

    from pathways.domain import Catalog, Job

LimitOpt = Annotated[int, typer.Option("--limit", "-n", help="Rows per table section (0: all).",
                                       min=0)]


# --------------------------------------------------------------------------- output helpers
def _short(text: Any, width: int = 40) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _join(items: Sequence[Any], width: int = 60) -> str:
    return _short("; ".join(map(str, items)), width)


def _native(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (list, tuple, dict, str)):
        value = value.item()
        return None if isinstance(value, float) and math.isnan(value) else value
    if isinstance(value, (list, tuple)):
        return [_native(v) for v in value]
    return value


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready rows: NaN becomes null, numpy scalars Python ones."""
    return [{k: _native(v) for k, v in row.items()} for row in df.to_dict("records")]


def _emit_csv(df: pd.DataFrame) -> None:
    from pathways.io.tables import frame_csv

    flat = df.copy()
    for col in flat.columns:
        if flat[col].map(lambda v: isinstance(v, (list, tuple))).any():
            flat[col] = flat[col].map(lambda v: "; ".join(map(str, v))
                                      if isinstance(v, (list, tuple)) else v)
    sys.stdout.write(frame_csv(flat))  # formula cells neutralised (safe_cell)


def _limit(df: pd.DataFrame, limit: int) -> pd.DataFrame:
    return df if limit <= 0 else df.head(limit)


def _more(total: int, shown: int, what: str) -> None:
    if shown < total:
        console.print(f"... {total - shown} more {what} (--limit 0 shows all, or --format csv/json)",
                      highlight=False)


def _named(catalog: Catalog, item_id: str, width: int = 34) -> str:
    title = catalog.title(item_id)
    return item_id if title == item_id else f"{item_id} {_short(title, width)}"


# --------------------------------------------------------------------------- overlap
@app.command()
def overlap(
    catalog: CatalogOpt = None,
    format: FormatOpt = Format.table,
    threshold: Annotated[float | None, typer.Option(
        help="List course pairs scoring at least this, 0..1 (default: the engine's, 0.4).",
        callback=finite(0, 1))] = None,
    cluster_threshold: Annotated[float | None, typer.Option(
        help="Link pairs scoring at least this into near-duplicate clusters (default: --threshold).",
        callback=finite(0, 1))] = None,
    top_k: Annotated[int, typer.Option("--top-k", "-k", help="Neighbours per course for --course.",
                                       min=1)] = 10,
    course: Annotated[str | None, typer.Option(
        "--course", help="Also list the courses most similar to this one.")] = None,
    credentials: Annotated[bool, typer.Option(
        "--credentials", help="Add credential overlap: shared courses and hours a holder of A "
        "still needs for B (with --format csv: output only that table).")] = False,
    limit: LimitOpt = 20,
) -> None:
    """Which courses teach the same thing, and (--credentials) how credentials overlap.

    Two signals per pair of courses: skill similarity (level-weighted Jaccard of the skills they
    teach) and text similarity (TF-IDF cosine of title and description); the score is their mean.
    """
    report = load(catalog)
    cat = report.catalog
    if course is not None and course not in cat.courses:
        import difflib

        close = difflib.get_close_matches(course, list(cat.courses), n=3)
        raise fail(f"{course} is not a course of the catalog"
                   + (f"; did you mean {', '.join(close)}?" if close else ""))
    options: dict[str, Any] = {"top_k": top_k, "cluster_threshold": cluster_threshold}
    if threshold is not None:
        options["threshold"] = threshold
    with user_errors():
        result = engine.course_similarity(cat, **options)
        cred = engine.credential_overlap(cat) if credentials else None

    if format is Format.csv:
        _emit_csv(cred if cred is not None else result.pairs)
        return
    if format is Format.json:
        data: dict[str, Any] = {
            "parameters": result.params,
            "pairs": _records(result.pairs),
            "clusters": _records(result.clusters),
        }
        if course is not None:
            data["similar_to"] = {"course": course, "neighbors": _records(result.similar_to(course))}
        if cred is not None:
            matrix = engine.overlap_matrix(cred)
            data["credentials"] = {
                "pairs": _records(cred),
                "stack_on": _records(engine.stack_on(cred, limit=None)),
                "hours_still_needed": {a: {b: _native(v) for b, v in row.items()}
                                       for a, row in matrix.iterrows()},
            }
        emit_json(data)
        return

    pairs = result.pairs
    shown = _limit(pairs, limit)
    print_table(
        f"Similar courses: {len(pairs)} pair{'s' if len(pairs) != 1 else ''} scoring >= "
        f"{result.params['threshold']:g} "
        f"of {len(cat.courses)} courses",
        ["course A", "course B", "skills", "text", "score", "shared skills"],
        [(_named(cat, r.a), _named(cat, r.b), round(r.skill_similarity, 2),
          round(r.text_similarity, 2), round(r.score, 2), _join(r.shared_skills, 50))
         for r in shown.itertuples()],
        justify={"skills": "right", "text": "right", "score": "right"})
    _more(len(pairs), len(shown), "pairs")
    console.print("skills: level-weighted Jaccard of the skills taught; text: TF-IDF cosine of "
                  "title and description; score: their mean.", highlight=False)
    clusters = result.clusters
    if len(clusters):
        shown_c = _limit(clusters, limit)
        print_table(
            f"Near-duplicate clusters (pairs scoring >= {result.params['cluster_threshold']:g}, linked)",
            ["#", "courses", "why"],
            [(r.cluster, "\n".join(_named(cat, m) for m in r.members), r.explanation)
             for r in shown_c.itertuples()])
        _more(len(clusters), len(shown_c), "clusters")
        console.print(f"what to do: {clusters.iloc[0]['action']}", highlight=False)
    else:
        console.print("No near-duplicate clusters at this threshold.")
    if course is not None:
        near = result.similar_to(course)
        print_table(f"Most similar to {_named(cat, course, 60)}",
                    ["#", "course", "skills", "text", "score"],
                    [(r.rank, _named(cat, r.other), round(r.skill_similarity, 2),
                      round(r.text_similarity, 2), round(r.score, 2)) for r in near.itertuples()],
                    justify={"skills": "right", "text": "right", "score": "right"})
    if cred is not None:
        _print_credentials(cat, cred, limit)


def _print_credentials(cat: Catalog, cred: pd.DataFrame, limit: int) -> None:
    best = engine.stack_on(cred, limit=None)
    shown = _limit(best, limit)
    planned = cred["hours_still_needed"].notna().any()
    if planned:
        print_table(
            "Best stack-on pairs: holders of A are this many hours from B",
            ["holder of A", "target B", "hours to B", "of B's", "covered", "A's courses B uses"],
            [(_named(cat, r.a, 28), _named(cat, r.b, 28), r.hours_still_needed,
              r.hours_from_scratch, f"{r.covered_share:.0%}", _join(r.reused_courses, 40))
             for r in shown.itertuples()],
            justify={"hours to B": "right", "of B's": "right", "covered": "right"})
        console.print("hours to B: the hours-optimal plan for B of a learner holding A and the "
                      "courses of A's own hours-optimal plan; of B's: the same from scratch; "
                      "A's courses B uses: those that count toward B or its prerequisites.",
                      highlight=False)
    else:
        print_table(
            "Credentials sharing courses (planner unavailable: no hours computed)",
            ["credential A", "credential B", "shared", "hours", "shared courses"],
            [(_named(cat, r.a, 28), _named(cat, r.b, 28), r.n_shared, r.shared_hours,
              _join(r.shared_courses, 50)) for r in shown.itertuples()],
            justify={"shared": "right", "hours": "right"})
    _more(len(best), len(shown), "pairs")
    ids = list(cat.credentials)
    if planned and len(ids) <= 8:
        matrix = engine.overlap_matrix(cred)
        print_table("Hours still needed (rows: held, columns: target)", ["holder of"] + ids,
                    [[a] + [None if v != v else float(v) for v in row]  # NaN: no plan
                     for a, row in matrix.iterrows()],
                    justify={i: "right" for i in ids})
    elif planned:
        console.print(f"The {len(ids)} x {len(ids)} hours matrix is in --format json "
                      "(credentials.hours_still_needed).", highlight=False)


# --------------------------------------------------------------------------- health
_CATEGORY_HELP = {
    "validation": "what validation warns about",
    "no-credential": "courses no credential counts",
    "single-path": "credentials only one set of courses can earn",
    "long-chain": "courses behind a long chain of prerequisites",
    "single-source-skill": "skills only one course teaches",
    "missing-prerequisite": "advanced skills no prerequisite prepares for",
}


@app.command()
def health(
    catalog: CatalogOpt = None,
    format: FormatOpt = Format.table,
    max_chain: Annotated[int, typer.Option(help="Report prerequisite chains of more courses than this.",
                                           min=1)] = 4,
    category: Annotated[list[str] | None, typer.Option(
        "--category", help=f"Only these categories (repeatable): {', '.join(HEALTH_CATEGORIES)}.")] = None,
    limit: LimitOpt = 10,
) -> None:
    """Catalog health: findings a program designer should check, each with what to do."""
    for c in category or []:
        if c not in HEALTH_CATEGORIES:
            raise fail(f"unknown category {c}; choose from {', '.join(HEALTH_CATEGORIES)}")
    report = load(catalog)
    with user_errors():
        df = engine.health_report(report, max_chain=max_chain)
    if category:
        df = df[df["category"].isin(category)].reset_index(drop=True)
    if format is Format.csv:
        _emit_csv(df)
        return
    if format is Format.json:
        counts = df.groupby(["category", "severity"]).size()
        emit_json({"summary": [{"category": c, "severity": s, "count": int(n)}
                               for (c, s), n in counts.items()],
                   "findings": _records(df)})
        return
    cat = report.catalog
    if not len(df):
        console.print(f"No findings in {len(cat.courses)} courses and {len(cat.credentials)} "
                      "credentials.")
        return
    summary = []
    for c in HEALTH_CATEGORIES:
        part = df[df["category"] == c]
        if len(part):
            sev = part["severity"].value_counts()
            summary.append((c, _CATEGORY_HELP[c], int(sev.get("warning", 0)), int(sev.get("info", 0))))
    print_table(f"Catalog health: {len(df)} findings in {len(cat.courses)} courses, "
                f"{len(cat.credentials)} credentials", ["category", "what", "warnings", "info"],
                summary, justify={"warnings": "right", "info": "right"})
    for c, *_ in summary:
        part = df[df["category"] == c]
        shown = _limit(part, limit)
        print_table(f"{c}: {_CATEGORY_HELP[c]}", ["severity", "message"],
                    [(r.severity, r.message) for r in shown.itertuples()])
        _more(len(part), len(shown), f"{c} findings")
        for action in dict.fromkeys(shown["action"]):
            console.print(f"  what to do: {action}", highlight=False)


# --------------------------------------------------------------------------- demand
def _extra_jobs(paths: Sequence[Path] | None) -> list[Job]:
    if not paths:
        return []
    with user_errors():
        from pathways.io import validate_catalog

        return list(validate_catalog(*paths).catalog.jobs.values())


@app.command()
def demand(
    catalog: CatalogOpt = None,
    format: FormatOpt = Format.table,
    jobs: Annotated[list[Path] | None, typer.Option(
        "--jobs", help="More jobs (a catalog file or directory with jobs:, e.g. imported "
        "occupations); repeatable.")] = None,
    oversupply_min: Annotated[int, typer.Option(
        help="A skill no job needs is oversupplied from this many courses on.", min=1)] = 2,
    limit: LimitOpt = 15,
) -> None:
    """Skills jobs demand against skills the courses teach: unmet, undersupplied, oversupplied."""
    report = load(catalog)
    cat = report.catalog
    extra = _extra_jobs(jobs)
    with user_errors():
        df = engine.skill_demand(cat, extra, oversupply_min_courses=oversupply_min)
    n_jobs = len({j.id for j in list(cat.jobs.values()) + extra})
    if format is Format.csv:
        _emit_csv(df)
        return
    counts = {s: int(n) for s, n in df["status"].value_counts().items()} if len(df) else {}
    if format is Format.json:
        emit_json({"summary": {"jobs": n_jobs, "courses": len(cat.courses), **counts},
                   "unmet": _records(df[df["status"] == "unmet"]),
                   "undersupplied": _records(df[df["status"] == "undersupplied"]),
                   "oversupply": _records(df[df["status"] == "oversupply"]),
                   "skills": _records(df)})
        return
    print_table(f"Skill supply and demand: {n_jobs} jobs, {len(cat.courses)} courses",
                ["status", "skills", "meaning"],
                [("unmet", counts.get("unmet", 0), "jobs need it, no course teaches it"),
                 ("undersupplied", counts.get("undersupplied", 0),
                  "taught, but below the level jobs require"),
                 ("oversupply", counts.get("oversupply", 0),
                  f"taught by {oversupply_min}+ courses, needed by no job"),
                 ("supplied", counts.get("supplied", 0), "needed and taught to the level"),
                 ("not demanded", counts.get("not demanded", 0), "taught by fewer, needed by no job")],
                justify={"skills": "right"})
    if n_jobs == 0:
        console.print("The catalog has no jobs: add jobs (or pass --jobs) to measure demand.")
    sections = [
        ("unmet", "Unmet demand: no course teaches these",
         ["skill", "jobs", "essential", "demand", "level", "needed by"],
         lambda r: (_short(r.label), r.jobs, r.essential_jobs, r.demand, r.required_level,
                    _join(r.top_jobs, 50))),
        ("undersupplied", "Undersupplied: taught below the level jobs need",
         ["skill", "jobs", "demand", "needed", "taught", "taught by"],
         lambda r: (_short(r.label), r.jobs, r.demand, r.required_level, r.max_level,
                    _join(r.taught_by, 40))),
        ("oversupply", "Oversupply: many courses, no job needs it",
         ["skill", "courses", "hours", "taught by"],
         lambda r: (_short(r.label), r.courses, r.hours, _join(r.taught_by, 50))),
    ]
    for status, title, columns, row in sections:
        part = df[df["status"] == status]
        if not len(part):
            continue
        shown = _limit(part, limit)
        print_table(f"{title} ({len(part)})", columns, [row(r) for r in shown.itertuples()],
                    justify={c: "right" for c in ("jobs", "essential", "demand", "level", "needed",
                                                  "taught", "courses", "hours")})
        _more(len(part), len(shown), f"{status} skills")
    console.print("demand: sum of importance over the jobs (essential 1, optional 0.5); "
                  "level: the highest a job requires.", highlight=False)
