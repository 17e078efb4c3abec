"""``pathways workspace``: learners, plans and notes kept in a database.

The database is ``--db`` (an SQLAlchemy URL or an SQLite file path), else ``$PATHWAYS_DB``,
else ``workspace.db`` in the user's data folder. Who does something is ``--by``, else
``$PATHWAYS_ADVISOR``, else the login name. Only ``init`` creates or upgrades the database;
``list``, ``show``, ``history`` and ``export`` only read.
"""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pathways.cli._common import (
    CatalogOpt,
    Format,
    FormatOpt,
    app,
    console,
    emit_json,
    fail,
    finite,
    load,
    print_table,
    today,
    user_errors,
)

if TYPE_CHECKING:
    from pathways.workspace import Workspace

__all__ = ["workspace_app"]

workspace_app = typer.Typer(
    help="Learners, plans and notes kept in a database (SQLite by default, or PostgreSQL).",
    no_args_is_help=True)
app.add_typer(workspace_app, name="workspace")

DbOpt = Annotated[str | None, typer.Option(
    "--db", help="Database: an SQLAlchemy URL (postgresql+psycopg://...) or an SQLite file; "
                 "default $PATHWAYS_DB, else workspace.db in your data folder.")]
ByOpt = Annotated[str | None, typer.Option(
    "--by", help="Who does this (default $PATHWAYS_ADVISOR, else your login name).")]
LearnerArg = Annotated[str, typer.Argument(help="A learner id of the workspace.")]


def _by(by: str | None) -> str:
    return by or os.environ.get("PATHWAYS_ADVISOR") or getpass.getuser()


def _open(db: str | None, *, create: bool = False) -> Workspace:
    from pathways.workspace import Workspace

    with user_errors():
        return Workspace.open(db, create=create)


def _say(line: str) -> None:
    console.print(line, highlight=False, markup=False)


@workspace_app.command("init")
def init(db: DbOpt = None) -> None:
    """Create the workspace database, or upgrade it to this release's schema."""
    from pathways.workspace import as_url, default_url

    ws = _open(db, create=True)
    with user_errors():
        revision = ws.revision()
    ws.close()
    from sqlalchemy.engine import make_url

    shown = make_url(as_url(db or default_url())).render_as_string(hide_password=True)
    _say(f"workspace ready at {shown} (schema {revision})")


@workspace_app.command("add")
def add(
    profile: Annotated[Path, typer.Argument(help="A learner profile (YAML).")],
    db: DbOpt = None,
    by: ByOpt = None,
    advisor: Annotated[str | None, typer.Option(
        "--advisor", help="Put the learner in this advisor's caseload (default: --by).")] = None,
    base_version: Annotated[int | None, typer.Option(
        "--base-version", help="Save the file as a new version of a learner already in the "
                               "workspace: the version you changed (a newer one is a conflict).")] = None,
    comment: Annotated[str, typer.Option("--comment", help="What changed (kept with the version).")] = "",
    catalog: CatalogOpt = None,
) -> None:
    """Add a learner profile (validated against the catalog), or save a new version of one."""
    from pathways.workspace import add_learner, update_learner

    cat = load(catalog).catalog
    from pathways.io import read_text_file

    with user_errors():
        text = read_text_file(profile, what="profile")
    ws = _open(db)
    who = _by(by)
    with user_errors():
        if base_version is None:
            info = add_learner(ws, text, cat, by=who, source=str(profile),
                               advisor=advisor or who)
            _say(f"added learner {info.id} ({info.name or 'no name'}), version 1, "
                 f"to the caseload of {advisor or who}")
        else:
            from pathways.io import learner_from_data, parse_yaml

            learner_id = learner_from_data(parse_yaml(text, str(profile)), source=str(profile)).id
            info = update_learner(ws, learner_id, text, cat, by=who, base_version=base_version,
                                  source=str(profile), comment=comment)
            _say(f"saved learner {info.id} version {info.version}"
                 + (" (unchanged)" if info.version == base_version else ""))
    ws.close()


@workspace_app.command("list")
def list_(
    db: DbOpt = None,
    advisor: Annotated[str | None, typer.Option(
        "--advisor", help="Whose caseload (default: --by); --all for every learner.")] = None,
    everyone: Annotated[bool, typer.Option("--all", help="Every learner of the workspace.")] = False,
    by: ByOpt = None,
    catalog: CatalogOpt = None,
    format: FormatOpt = Format.table,
) -> None:
    """A caseload: readiness for the goal job, hours to the goal, next term, the newest plan."""
    from pathways.workspace import caseload

    cat = load(catalog).catalog
    ws = _open(db)
    who = None if everyone else (advisor or _by(by))
    with user_errors():
        rows = caseload(ws, cat, who, today=today())
    ws.close()
    if format is Format.json:
        emit_json({"advisor": who, "learners": [r.to_dict() for r in rows]})
        return
    if format is Format.csv:
        from pathways.cli.plan import _csv

        _csv([{k: v for k, v in r.to_dict().items()} for r in rows])
        return
    table = []
    for r in rows:
        if r.problem:
            table.append([r.learner, r.name, r.version, "", "", "", "",
                          "profile does not fit the catalog: " + r.problem.splitlines()[0]])
            continue
        planned = (r.planned_at.strftime("%Y-%m-%d") + (" (stale: " + r.stale_why + ")" if r.stale else "")
                   if r.planned_at else ("not saved (computed now)" if r.computed else "none"))
        hours = (f"{r.hours_to_goal:g} h" if r.hours_to_goal is not None else
                 ("no plan fits" if r.feasible is False else ""))
        nxt = f"{r.next_term}: {', '.join(r.next_courses)}" if r.next_term else ""
        table.append([r.learner, r.name, r.version, r.goal,
                      f"{r.readiness:.0f} %" if r.readiness is not None else "", hours, nxt, planned])
    print_table(f"Caseload of {who}" if who else "Every learner", ["learner", "name", "v", "goal",
                "readiness", "to goal", "next term", "plan"], table,
                justify={"v": "right", "readiness": "right", "to goal": "right"})
    if not rows:
        _say("no learners yet: `pathways workspace add PROFILE.yaml`")


@workspace_app.command("show")
def show(
    learner: LearnerArg,
    db: DbOpt = None,
    version: Annotated[int | None, typer.Option("--version", help="An older version.")] = None,
    format: FormatOpt = Format.table,
) -> None:
    """A learner's profile (as kept), its newest plan and its notes."""
    ws = _open(db)
    with user_errors():
        info = ws.learner(learner, version)
        plans = ws.plans(learner)
        notes = ws.notes(learner)
    ws.close()
    if format is Format.json:
        emit_json({"learner": info.id, "name": info.name, "version": info.version,
                   "profile": info.profile, "plan": plans[-1].to_dict() if plans else None,
                   "notes": [n.to_dict() for n in notes]})
        return
    _say(f"{info.id} ({info.name or 'no name'}), version {info.version}, last changed "
         f"{info.updated_at:%Y-%m-%d %H:%M} UTC by {info.updated_by}")
    _say(info.profile.rstrip())
    if plans:
        p = plans[-1]
        r = p.result
        what = (f"{len(r.get('courses', []))} courses, {r.get('total_hours', 0):g} h, "
                f"{r.get('terms', 0)} terms" if r.get("feasible") else f"no plan: {r.get('reason')}")
        _say(f"newest plan: {p.id} of {p.created_at:%Y-%m-%d} by {p.created_by} toward "
             f"{', '.join(r.get('targets', []))}: {what}")
    for n in notes[-5:]:
        _say(f"note {n.created_at:%Y-%m-%d} {n.created_by}: {n.text}")


@workspace_app.command("plan")
def plan_(
    learner: LearnerArg,
    db: DbOpt = None,
    by: ByOpt = None,
    target: Annotated[list[str] | None, typer.Option(
        "--target", "-t", help="Target credential (repeatable); default the learner's goals, "
                               "or the targets of the newest plan.")] = None,
    objective: Annotated[str | None, typer.Option(
        "--objective", "-o", help="hours, cost or terms (default: as the newest plan).")] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", help="Seconds for the solver (>= 0).",
                                              callback=finite(0, 86_400))] = 10.0,
    catalog: CatalogOpt = None,
    format: FormatOpt = Format.table,
) -> None:
    """Plan a learner of the workspace, keep the plan, and say what changed since the last."""
    from pathways.workspace import make_plan, plan_changes

    report = load(catalog)
    ws = _open(db)
    with user_errors():
        previous = ws.latest_plans([learner]).get(learner)
        request = previous.request if previous else {}
        record, result = make_plan(
            ws, report.catalog, learner, by=_by(by),
            targets=target or request.get("targets"),
            objective=objective or request.get("objective", "hours"), time_limit=time_limit,
            today=today(), source=", ".join(report.files))
    ws.close()
    changes = plan_changes(previous.result if previous else None, record.result)
    if format is Format.json:
        emit_json({"plan": record.to_dict(), "changes": changes})
        return
    from pathways.cli.plan import _print_plan

    _print_plan(result)
    _say(f"kept as plan {record.id}; since the previous plan: {'; '.join(changes)}")


@workspace_app.command("note")
def note(
    learner: LearnerArg,
    text: Annotated[str, typer.Argument(help="The note.")],
    db: DbOpt = None,
    by: ByOpt = None,
    plan: Annotated[int | None, typer.Option("--plan", help="The plan the note is about.")] = None,
) -> None:
    """Keep a note on a learner (what was decided or discussed)."""
    ws = _open(db)
    with user_errors():
        n = ws.add_note(learner, text, by=_by(by), plan_id=plan)
    ws.close()
    _say(f"kept note {n.id} on {learner}")


@workspace_app.command("history")
def history(learner: LearnerArg, db: DbOpt = None, format: FormatOpt = Format.table) -> None:
    """Everything that happened to a learner: profile versions, plans and notes, oldest first."""
    ws = _open(db)
    with user_errors():
        events = ws.history(learner)
    ws.close()
    if format is Format.json:
        emit_json([{"at": e.at.isoformat(), "by": e.by, "kind": e.kind, "text": e.text}
                   for e in events])
        return
    print_table(f"History of {learner}", ["when (UTC)", "by", "what", ""],
                [[f"{e.at:%Y-%m-%d %H:%M}", e.by, e.kind, e.text] for e in events])


@workspace_app.command("export")
def export(
    out: Annotated[Path, typer.Option("--out", "-o", help="A directory to write into.")],
    learner: Annotated[list[str] | None, typer.Argument(
        help="Learner ids (default: every learner).")] = None,
    db: DbOpt = None,
) -> None:
    """Write learners out in open formats: the profile as YAML, every plan as JSON, and the
    versions, notes and saved jobs as JSON (nothing is locked in the database)."""
    from pathways.io import atomic_write_text

    ws = _open(db)
    with user_errors():
        ids = learner or [i.id for i in ws.learners()]
        data = [ws.export(i) for i in ids]
    ws.close()
    if out.exists() and not out.is_dir():
        raise fail(f"--out {out} is a file; give a directory")
    for d in data:
        name = _safe(d["learner"])
        atomic_write_text(out / f"{name}.yaml", d["profile"])
        atomic_write_text(out / f"{name}.plans.json",
                          json.dumps(d["plans"], indent=2, ensure_ascii=False) + "\n")
        rest = {k: v for k, v in d.items() if k not in ("profile", "plans")}
        atomic_write_text(out / f"{name}.history.json",
                          json.dumps(rest, indent=2, ensure_ascii=False) + "\n")
    _say(f"wrote {len(data)} learner(s) to {out} (profile .yaml, .plans.json, .history.json each)")


def _safe(name: str) -> str:
    """A file name for a learner id (ids are free text: keep letters, digits, - _ .)."""
    kept = "".join(c if c.isalnum() or c in "-_." else "_" for c in name).strip(".")
    return kept or "learner"
