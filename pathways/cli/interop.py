"""Commands of the interop engine (registered on import): badges, ctdl and csv.

``pathways badges import`` / ``export``, ``pathways ctdl import`` / ``export`` and
``pathways csv import`` / ``export``. Every command calls one library function of
:mod:`pathways.io` and writes its output file atomically: on bad input the old file stays whole.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from pathways.cli._common import (
    CatalogOpt,
    app,
    console,
    emit_json,
    fail,
    load,
    user_errors,
)

__all__ = ["badges_app", "csv_app", "ctdl_app"]

badges_app = typer.Typer(help="Open Badges: add a learner's badges to the profile, export achievements.",
                         no_args_is_help=True)
ctdl_app = typer.Typer(help="CTDL (Credential Engine) JSON-LD: import and export catalogs.",
                       no_args_is_help=True)
csv_app = typer.Typer(help="CSV tables: a catalog as spreadsheets, and back.", no_args_is_help=True)
app.add_typer(badges_app, name="badges")
app.add_typer(ctdl_app, name="ctdl")
app.add_typer(csv_app, name="csv")

OutFile = Annotated[Path, typer.Option("--out", "-o", help="The file to write (atomically).")]


def _say(line: str) -> None:
    console.print(line, highlight=False, markup=False, emoji=False)


# --------------------------------------------------------------------------- badges
@badges_app.command("import")
def badges_import(
    files: Annotated[list[Path], typer.Argument(help="Badge files: OB 2.0 / 3.0 JSON, a JWS, or a "
                                                     "baked PNG or SVG.")],
    learner: Annotated[Path, typer.Option("--learner", "-l", help="The learner profile to update.")],
    out: OutFile,
    catalog: CatalogOpt = None,
    today: Annotated[str | None, typer.Option(
        "--today", help="Date (YYYY-MM-DD) that decides expired and not-yet-valid badges; "
                        "default today.")] = None,
    revocation_list: Annotated[list[Path] | None, typer.Option(
        "--revocation-list", help="A status list credential (Bitstring / StatusList2021) or an "
                                  "OB 2.0 revocation list you downloaded, applied to the badges "
                                  "that name it (repeatable); pathways fetches nothing.")] = None,
) -> None:
    """Add badges to a learner profile as holdings (with their dates and expiry) and skills.

    Prints one line per badge: what it maps to and how sure the mapping is, expiry, and whether
    it was verified (pathways reads badges; it does not check signatures). Exits 1, writing
    nothing, when a badge file cannot be read.
    """
    from pathways.io.badges import RevocationLists, add_badges_to_profile

    cat = load(catalog).catalog
    day = None
    if today is not None:
        try:
            day = dt.date.fromisoformat(today)
        except ValueError:
            raise fail(f"--today {today!r} is not a date; write YYYY-MM-DD") from None
    with user_errors():
        lists = RevocationLists.from_files(revocation_list or [])
        done = add_badges_to_profile(learner, files, cat, out, today=day, revocations=lists)
    for note in done.notes:
        _say(f"{learner.name} (badges listed in the profile): {note}")
    for message in done.read.messages:
        _say(message)
    for dropped, kept in done.replaced:
        _say(f"{learner.name}: {kept.kind} {kept.id} is held once: kept the holding of "
             f"{kept.date.isoformat()}" + (f" (expires {kept.expires.isoformat()})" if kept.expires
                                           else "")
             + f", not the one of {dropped.date.isoformat()}"
             + (f" (expires {dropped.expires.isoformat()})" if dropped.expires else ""))
    if not done.written:
        problems = done.read.problems
        names = ", ".join(Path(b.source).name for b in problems)
        raise fail(f"{len(problems)} badge file(s) could not be read ({names}); "
                   f"{out} was not written")
    _say(f"added or updated {len(done.added)} holdings ({done.expired} expired) and "
         f"{done.skills_raised} skills; {done.unmapped} unmapped, {done.not_added} not added; "
         f"wrote {out}")


@badges_app.command("export")
def badges_export(
    item: Annotated[str, typer.Argument(help="A course or credential id.")],
    catalog: CatalogOpt = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the JSON here "
                                                                 "(default: print it).")] = None,
    base_url: Annotated[str | None, typer.Option(
        "--base-url", help="Achievement ids are this URL + the item id (default: the item's "
                           "badge_id, else urn:pathways:...).")] = None,
) -> None:
    """Print (or write) a course or credential as an Open Badges 3.0 Achievement."""
    from pathways.io import atomic_write_text
    from pathways.io.badges import export_achievement

    cat = load(catalog).catalog
    with user_errors():
        achievement = export_achievement(cat, item, base_url=base_url)
    if out is None:
        emit_json(achievement)
        return
    with user_errors():
        atomic_write_text(out, json.dumps(achievement, indent=2, ensure_ascii=False) + "\n")
    _say(f"wrote the {achievement['achievementType']} achievement {achievement['id']} to {out}")


# --------------------------------------------------------------------------- ctdl
def _counts(report: Any) -> str:
    c = report.catalog
    return (f"{len(c.providers)} providers, {len(c.skills)} skills, {len(c.courses)} courses, "
            f"{len(c.credentials)} credentials, {len(c.jobs)} jobs")


def _hours_per_credit(values: list[str] | None) -> dict[str, float]:
    out: dict[str, float] = {}
    for value in values or []:
        unit, sep, hours = value.partition("=")
        try:
            out[unit.strip()] = float(hours)
        except ValueError:
            raise fail(f"--hours-per-credit {value!r}: write UNIT=HOURS, e.g. "
                       "SemesterHour=45") from None
        if not sep or not unit.strip():
            raise fail(f"--hours-per-credit {value!r}: write UNIT=HOURS, e.g. SemesterHour=45")
    return out


@ctdl_app.command("import")
def ctdl_import(
    paths: Annotated[list[Path], typer.Argument(
        help="CTDL JSON-LD files, .zip archives or directories of them (read together: references resolve "
             "across all of them); registry envelopes, @graph documents, compacted or "
             "expanded JSON-LD.")],
    out: OutFile,
    hours_per_credit: Annotated[list[str] | None, typer.Option(
        "--hours-per-credit", help="Hours of one credit of a credit unit, as UNIT=HOURS "
                                   "(repeatable; e.g. SemesterHour=45, DegreeCredit=15). "
                                   "Defaults: see docs/interop.md.")] = None,
    hours_per_week: Annotated[float | None, typer.Option(
        "--hours-per-week", help="Learning hours in a week of a calendar duration (P8W, P9M); "
                                 "default: calendar durations are not converted.")] = None,
) -> None:
    """Convert CTDL JSON-LD (credentials, courses, condition profiles, pathways) to a catalog.

    Prints a note for everything that could not be represented exactly (records that the
    requirements name but the input lacks, hours not stated, what was not kept); writes the
    catalog only when it validates, and exits 1 when there is nothing to import.
    """
    from pathways.io import write_catalog
    from pathways.io.ctdl import CtdlOptions, catalog_from_ctdl

    messages: list[str] = []
    with user_errors():
        options = CtdlOptions(hours_per_credit=_hours_per_credit(hours_per_credit),
                              hours_per_week=hours_per_week)
        report = catalog_from_ctdl(paths, messages=messages, options=options)
    for message in messages:
        _say(f"note: {message}")
    names = ", ".join(p.name for p in paths[:3]) + (" ..." if len(paths) > 3 else "")
    with user_errors():
        write_catalog(report.catalog, out, header=f"Imported from {names} (CTDL JSON-LD) by "
                                                   "pathways ctdl import.")
    unstated = sum(1 for c in report.catalog.courses.values() if not c.hours_stated)
    tail = (f" ({unstated} course(s) with hours not stated: see pathways validate)"
            if unstated else "")
    _say(f"wrote {_counts(report)} to {out}{tail}")


@ctdl_app.command("export")
def ctdl_export(
    out: OutFile,
    catalog: CatalogOpt = None,
    base: Annotated[str | None, typer.Option(
        "--base", help="Prefix of the @id of every resource (default: the Credential Registry's "
                       "resources URL).")] = None,
) -> None:
    """Write the catalog as CTDL JSON-LD (a round trip through ctdl import restores it)."""
    from pathways.io.ctdl import REGISTRY_BASE, write_ctdl

    report = load(catalog)
    with user_errors():
        write_ctdl(report.catalog, out, base=base or REGISTRY_BASE)
    _say(f"wrote {_counts(report)} as CTDL JSON-LD to {out}")


# --------------------------------------------------------------------------- csv
@csv_app.command("export")
def csv_export(
    out: Annotated[Path, typer.Option("--out", "-o", help="The directory to write (new or empty).")],
    catalog: CatalogOpt = None,
) -> None:
    """Write the catalog as CSV tables (courses, credentials, jobs ...) in a directory."""
    from pathways.io.tables import write_csv_catalog

    report = load(catalog)
    with user_errors():
        files = write_csv_catalog(report.catalog, out)
    _say(f"wrote {', '.join(f.name for f in files)} to {out} ({_counts(report)})")


@csv_app.command("import")
def csv_import(
    sources: Annotated[list[Path], typer.Argument(help="A directory of CSV (and YAML) catalog "
                                                       "files, or CSV files.")],
    out: OutFile,
) -> None:
    """Read a catalog from CSV tables, validate it and write it as one YAML file."""
    from pathways.io import write_catalog

    report = load(sources)
    with user_errors():
        write_catalog(report.catalog, out, header="Imported from CSV by pathways csv import.")
    _say(f"wrote {_counts(report)} to {out}")
