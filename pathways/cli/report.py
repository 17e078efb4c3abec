"""``pathways report``: the one-page advising report (HTML or PDF) for a learner, target and job.

Exit codes: 0 the report was written (an infeasible plan is reported, with its reason and what
would make it feasible); 1 a usage or input error, printed as one line on stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pathways.cli._common import CatalogOpt, app, console, fail, learner, load, styled, today, user_errors
from pathways.cli.plan import LearnerOpt, ObjectiveChoice, ObjectiveOpt, TargetOpt


@app.command("report")
def report_command(
    learner_path: LearnerOpt,
    out: Annotated[Path, typer.Option("--out", help="The file to write: *.pdf or *.html.")],
    target: TargetOpt = None,
    job: Annotated[str | None, typer.Option(
        "--job", "-j", help="Job id or title of the catalog; default: the learner's goal job.")] = None,
    objective: ObjectiveOpt = ObjectiveChoice.hours,
    catalog: CatalogOpt = None,
) -> None:
    """Write the advising report: the learner, the target, readiness for the job now and after
    the plan, the plan term by term with the reason for each course, the credentials earned
    along the way, the skills gap chart and the job data's sources, on one page."""
    from pathways.skills.report import advising_report, write_report

    if out.suffix.lower() not in (".pdf", ".html", ".htm"):
        raise fail(f"--out {out}: name the file *.pdf or *.html")
    cat = load(catalog).catalog
    person = learner(learner_path, cat)
    assert person is not None
    with user_errors():
        report = advising_report(cat, person, target or None, job,
                                 objective=objective.value, today=today())
        written = write_report(report, out)
    targets = ", ".join(k for k, _ in report.targets)
    state = "" if report.plan.feasible else " (no plan fits the learner's limits: the report says why)"
    console.print(styled("Wrote ", (str(written), "bold"), f": {report.learner} -> {targets}, "
                         f"{report.job_title}{state}"))
