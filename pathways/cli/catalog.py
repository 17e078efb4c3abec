"""Commands on the catalog itself (registered on import): ``pathways validate`` and ``pathways show``."""

from __future__ import annotations

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
    load,
    print_table,
    styled,
)

if TYPE_CHECKING:
    from pathways.domain import Catalog


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Catalog files or directories.")],
    format: FormatOpt = Format.table,
    all_warnings: Annotated[bool, typer.Option("--all-warnings", help="List every warning.")] = False,
) -> None:
    """Check a catalog: exit 0 with a summary if it is valid, 1 with every error otherwise."""
    report = load(paths)
    cat = report.catalog
    counts = {
        "files": len(report.files), "providers": len(cat.providers), "courses": len(cat.courses),
        "credentials": len(cat.credentials), "jobs": len(cat.jobs), "skills listed": len(cat.skills),
        "warnings": len(report.warnings),
    }
    if format is Format.json:
        emit_json({"valid": True, "counts": counts,
                   "warnings": [{"message": w.message, "file": w.file, "line": w.line, "id": w.id}
                                for w in report.warnings]})
        return
    print_table(f"Valid catalog: {', '.join(report.files)}" if len(report.files) <= 3
                else f"Valid catalog: {len(report.files)} files",
                ["", "count"], list(counts.items()), justify={"count": "right"})
    shown = report.warnings if all_warnings else report.warnings[:10]
    for w in shown:
        console.print(styled(("warning:", "yellow"), f" {w}"))
    if len(shown) < len(report.warnings):
        console.print(f"... {len(report.warnings) - len(shown)} more warnings (--all-warnings)")


def _show_course(cat: Catalog, course_id: str) -> dict[str, object]:
    from pathways.describe import prerequisite_text
    from pathways.graph import build_graph, unlocks

    c = cat.courses[course_id]
    G = build_graph(cat)
    return {
        "id": c.id, "kind": "course", "title": c.title, "provider": c.provider, "hours": c.hours,
        "cost": c.cost, "currency": cat.currency, "delivery": c.delivery,
        "terms": sorted(c.terms) if c.terms is not None else "every term",
        "prerequisites": prerequisite_text(c.prerequisites) if c.prerequisites else None,
        "skills": [{"skill": s.skill, "label": cat.skill_label(s.skill), "level": s.level}
                   for s in c.skills],
        "badge_valid_months": c.badge_valid_months,
        "counts_toward": sorted(v for _, v, k in G.out_edges(c.id, data="kind") if k == "counts_toward"),
        "unlocks": unlocks(G, c.id),
        "description": c.description,
    }


def _show_credential(cat: Catalog, cred_id: str) -> dict[str, object]:
    from pathways.describe import requirement_lines
    from pathways.graph import build_graph, ladder

    c = cat.credentials[cred_id]
    G = build_graph(cat)
    return {
        "id": c.id, "kind": "credential", "title": c.title, "level": c.level,
        "provider": c.provider, "recency_months": c.recency_months, "exclusive": c.exclusive,
        "requires": requirement_lines(c.requires, cat),
        "stacks_into": ladder(G, c.id),
        "description": c.description,
    }


@app.command()
def show(
    item: Annotated[str, typer.Argument(help="A course or credential id.")],
    catalog: CatalogOpt = None,
    format: FormatOpt = Format.table,
) -> None:
    """Show one course or credential: requirements, prerequisites, what it stacks into."""
    cat = load(catalog).catalog
    if item in cat.courses:
        info = _show_course(cat, item)
    elif item in cat.credentials:
        info = _show_credential(cat, item)
    else:
        import difflib

        close = difflib.get_close_matches(item, list(cat.courses) + list(cat.credentials), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise fail(f"{item} is neither a course nor a credential of the catalog{hint}")
    if format is Format.json:
        emit_json(info)
        return
    console.print(styled((str(info["id"]), "bold"), f"  {info['title']}  ({info['kind']})"))
    for key, value in info.items():
        if key in ("id", "title", "kind") or value in (None, "", []):
            continue
        if key == "requires":
            console.print("requires:")
            for line in value:  # type: ignore[attr-defined]
                console.print(f"  {line}", highlight=False)
        elif key == "skills":
            console.print("skills: " + "; ".join(f"{s['label']} (level {s['level']})"
                                                 for s in value), highlight=False)  # type: ignore[attr-defined]
        elif isinstance(value, list):
            console.print(f"{key.replace('_', ' ')}: {', '.join(map(str, value))}", highlight=False)
        else:
            shown = f"{value:g}" if isinstance(value, float) else value
            console.print(f"{key.replace('_', ' ')}: {shown}", highlight=False)
