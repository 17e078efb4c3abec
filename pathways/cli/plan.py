"""Commands of the plan engine (registered on import): ``audit``, ``plan``, ``distances`` and
``what-if``.

Exit codes: 0 success; 1 a usage or input error (bad learner file, unknown target), printed as
one line on stderr; 2 for ``plan`` when no plan satisfies the request -- the reason (which
constraint blocks it) is printed on stdout (in the JSON as ``reason``), since it is the answer.
"""

from __future__ import annotations

import datetime as dt
import sys
from enum import Enum
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
    learner,
    load,
    finite,
    print_table,
    styled,
    today,
    user_errors,
)
from pathways.describe import money

if TYPE_CHECKING:
    from pathways.domain import Catalog, LearnerProfile
    from pathways.planner import Plan


class ObjectiveChoice(str, Enum):
    hours = "hours"
    cost = "cost"
    terms = "terms"


LearnerOpt = Annotated[Path, typer.Option("--learner", "-l", help="Learner profile (YAML).")]
TargetOpt = Annotated[
    list[str] | None,
    typer.Option("--target", "-t", help="Target credential id (repeatable); default: the "
                                        "learner's goal credentials."),
]
ObjectiveOpt = Annotated[ObjectiveChoice, typer.Option("--objective", "-o",
                                                       help="What to minimise first.")]
TimeOpt = Annotated[float, typer.Option("--time-limit", help="Seconds for the solver (>= 0).",
                                         callback=finite(0, 86_400))]


def _load(catalog: list[Path] | None, learner_path: Path) -> tuple[Catalog, LearnerProfile]:
    cat = load(catalog).catalog
    person = learner(learner_path, cat)
    assert person is not None
    return cat, person


def _csv(rows: list[dict[str, Any]]) -> None:
    from pathways.io.tables import rows_csv

    sys.stdout.write(rows_csv(rows))  # formula cells neutralised (safe_cell)


# --------------------------------------------------------------------------- audit
@app.command("audit")
def audit_command(
    learner_path: LearnerOpt,
    target: TargetOpt = None,
    catalog: CatalogOpt = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Date the counting is for "
                                              "(YYYY-MM-DD); default the start term's start.")] = None,
    format: FormatOpt = Format.table,
) -> None:
    """Audit credentials for a learner: each requirement met (✓), partly met (~) or not (✗)."""
    from pathways.planner import audit_many, resolve_targets

    cat, person = _load(catalog, learner_path)
    with user_errors():
        targets = resolve_targets(cat, person, target)
        when = None
        if as_of is not None:
            try:
                when = dt.date.fromisoformat(as_of)
            except ValueError:
                raise fail(f"--as-of {as_of!r} is not a date; write YYYY-MM-DD") from None
        # each credential on its own: its audit should not depend on the others listed
        results = [audit_many(cat, person, [t], as_of=when, today=today())[0] for t in targets]
    if format is Format.json:
        emit_json({"learner": person.id, "audits": [r.to_dict() for r in results]})
        return
    if format is Format.csv:
        raise fail("--format csv is not available for audit; use table or json")
    for i, result in enumerate(results):
        if i:
            console.print()
        for line in result.lines():
            console.print(line, highlight=False, markup=False)


# --------------------------------------------------------------------------- plan
def _print_plan(p: Plan) -> None:
    cur = p.currency
    head = f"Plan for {p.learner} -> {', '.join(p.targets)} (objective: {p.objective}; "
    head += ("optimal" if p.optimal else "time limit: best plan found, not proved optimal"
             if p.status == "time_limit" else p.status) + ")"
    console.print(styled((head, "bold")))
    console.print(p.start_note, highlight=False, markup=False)
    if not p.courses:
        met = ", ".join(p.already_met) or ", ".join(p.targets)
        console.print(f"Nothing to take: {met} already met at {p.start} "
                      "(claim the credential if it is not yet awarded).", highlight=False)
    else:
        rows: list[list[Any]] = []
        reasons: list[str] = []
        for term, courses in p.schedule():
            if not courses:
                rows.append(["", str(term), "", "(no course: waiting for an offering)", "", "", ""])
            for c in courses:
                reasons.append(f"{len(reasons) + 1}. {c.id}: {c.reason}")
                rows.append([len(reasons), str(term), c.id + (" (renewal)" if c.renewal else ""),
                             c.title, c.hours, money(c.cost, cur),
                             ", ".join(c.counts_toward) or "-"])
        print_table(None, ["#", "Term", "Course", "Title", "Hours", "Cost", "Counts toward"],
                    rows, justify={"#": "right", "Hours": "right", "Cost": "right"})
        n = len(p.courses)
        console.print(
            f"Total: {n} course{'s' if n != 1 else ''}, {p.total_hours:g} hours, "
            f"{money(p.total_cost, cur)}, {p.terms} term{'s' if p.terms != 1 else ''} "
            f"({p.start} to {max(c.term for c in p.courses)}; completes "
            f"{p.completion.isoformat() if p.completion else '?'})", highlight=False)
        if p.renewals:
            console.print(f"Renewals (expired or too old, retaken): {', '.join(p.renewals)}",
                          highlight=False)
        if p.earned:
            console.print("Credentials earned along the way:", style="bold")
            for line in p.earned_text():
                console.print(f"  {line}", highlight=False, markup=False)
        console.print("Why each course:", style="bold")
        for line in reasons:
            console.print(f"  {line}", highlight=False, markup=False)
    for a in p.audits:
        mark = "✓" if a.ok else "✗"
        console.print(f"Audit at completion: {mark} {a.credential} {a.title} "
                      f"({'held' if a.held else 'met' if a.met else 'not met'})",
                      highlight=False, markup=False)
    for note in p.notes:
        console.print(f"note: {note}", highlight=False, markup=False)


@app.command("plan")
def plan_command(
    learner_path: LearnerOpt,
    target: TargetOpt = None,
    objective: ObjectiveOpt = ObjectiveChoice.hours,
    catalog: CatalogOpt = None,
    audit: Annotated[bool, typer.Option("--audit", help="Also print each target's audit "
                                        "tree at the plan's completion.")] = False,
    time_limit: TimeOpt = 10.0,
    format: FormatOpt = Format.table,
) -> None:
    """The optimal plan, term by term, toward the target credentials (exit 2 if none exists)."""
    from pathways.planner import plan

    cat, person = _load(catalog, learner_path)
    with user_errors():
        p = plan(cat, person, target or None, objective=objective.value,
                 time_limit=time_limit, today=today())
    if format is Format.json:
        emit_json(p.to_dict())
    elif format is Format.csv:
        _csv([c.to_dict() for c in p.courses])
    elif not p.feasible:
        console.print(styled((f"No plan for {p.learner} -> {', '.join(p.targets)}", "bold"),
                             f" (objective: {p.objective})"))
        console.print(p.start_note, highlight=False, markup=False)
        console.print(f"Reason: {p.reason}", highlight=False, markup=False)
    else:
        _print_plan(p)
        if audit:
            for a in p.audits:
                console.print()
                for line in a.lines():
                    console.print(line, highlight=False, markup=False)
    if not p.feasible:
        raise typer.Exit(code=2)


# --------------------------------------------------------------------------- distances
@app.command("distances")
def distances_command(
    learner_path: LearnerOpt,
    catalog: CatalogOpt = None,
    format: FormatOpt = Format.table,
) -> None:
    """Every credential ranked by the hours the learner still needs, with the stacking exits."""
    from pathways.planner import distances

    cat, person = _load(catalog, learner_path)
    with user_errors():
        found = distances(cat, person, today=today())
    if format is Format.json:
        emit_json({"learner": person.id, "distances": [d.to_dict() for d in found]})
        return
    if format is Format.csv:
        _csv([{k: v for k, v in d.to_dict().items()} for d in found])
        return
    rows = []
    for i, d in enumerate(found, 1):
        rows.append([i, d.credential, d.level, d.summary,
                     d.hours if d.feasible else None,
                     money(d.cost, d.currency) if d.feasible else "",
                     d.terms if d.feasible else None, d.exits if d.feasible else ""])
    print_table(f"Distances for {person.id} (hours-optimal plans under the learner's "
                "constraints)", ["#", "Credential", "Level", "Distance", "Hours", "Cost",
                                 "Terms", "Exits"], rows,
                justify={"#": "right", "Hours": "right", "Cost": "right", "Terms": "right"})
    complete = [d.credential for d in found if d.feasible and d.complete]
    if complete:
        console.print(f"If you stop now you hold: {', '.join(complete)}", highlight=False)
    nearest = next((d for d in found if d.feasible and not d.complete), None)
    if nearest is not None:
        console.print(f"Next exit: {nearest.credential} ({nearest.summary})", highlight=False)


# --------------------------------------------------------------------------- what-if
@app.command("what-if")
def what_if_command(
    learner_path: LearnerOpt,
    scenario: Annotated[list[str], typer.Option(
        "--scenario", "-s", help="Targets of one scenario, comma-separated (repeatable); the "
                                 "first is the baseline.")],
    renew: Annotated[list[str] | None, typer.Option(
        "--renew", help="Held course or credential to treat as renewed (repeatable).")] = None,
    objective: ObjectiveOpt = ObjectiveChoice.hours,
    catalog: CatalogOpt = None,
    format: FormatOpt = Format.table,
) -> None:
    """Compare plans for alternative targets (and renewed badges) side by side."""
    from pathways.planner import resolve_targets, what_if

    cat, person = _load(catalog, learner_path)
    groups = [[t.strip() for t in s.split(",") if t.strip()] for s in scenario]
    with user_errors():
        for g in groups:
            resolve_targets(cat, person, g)
        result = what_if(cat, person, groups, objective=objective.value, renew=renew or (),
                         today=today())
    if format is Format.json:
        emit_json(result.to_dict())
        return
    if format is Format.csv:
        _csv(list(result.rows))
        return
    cur = cat.currency
    rows = []
    for r in result.rows:
        extra = ""
        if r["extra_hours"] is not None and r is not result.rows[0]:
            extra = (f"{r['extra_hours']:+g} h, {r['extra_cost']:+,.0f} {cur}, "
                     f"{r['extra_terms']:+d} terms")
        rows.append([r["scenario"], r["courses"] if r["feasible"] else "",
                     r["hours"] if r["feasible"] else None,
                     money(r["cost"], cur) if r["feasible"] else "",
                     r["terms"] if r["feasible"] else None, extra,
                     r["renewals"] if r["feasible"] else f"no plan: {r['reason']}"])
    print_table(f"What-if for {person.id} (objective: {objective.value}; first row is the "
                "baseline)", ["Scenario", "Courses", "Hours", "Cost", "Terms", "vs baseline",
                              "Renewals / reason"], rows,
                justify={"Courses": "right", "Hours": "right", "Cost": "right",
                         "Terms": "right"})
