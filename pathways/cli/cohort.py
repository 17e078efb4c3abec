"""``pathways cohort``: plans, readiness, recommendations and a summary for many learners.

Work runs on a Dask LocalCluster (one worker process per core) unless ``--scheduler`` names
an existing cluster (``tcp://HOST:PORT``) or ``synchronous`` (this process, for debugging).
Output is written atomically, Parquet for ``.parquet`` files and CSV otherwise; Ctrl-C stops
the run and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from pathways.cli._common import CatalogOpt, app, console, fail, load, print_table, today, user_errors

__all__ = ["cohort_app"]

cohort_app = typer.Typer(
    help="Many learners at once: plans, readiness, recommendations and a summary (Dask).",
    no_args_is_help=True)
app.add_typer(cohort_app, name="cohort")

LearnersOpt = Annotated[str, typer.Option(
    "--learners", help="A folder of learner profiles, a .parquet/.csv table (columns: see "
                       "docs), a workspace database URL, or 'workspace' for the default one.")]
OutOpt = Annotated[Path, typer.Option("--out", "-o", help="Where to write (.parquet or .csv).")]
SchedulerOpt = Annotated[str, typer.Option(
    "--scheduler", help="local (a LocalCluster, default), synchronous (this process), or the "
                        "address of a running Dask scheduler (tcp://HOST:PORT).")]
WorkersOpt = Annotated[int | None, typer.Option(
    "--workers", help="Worker processes of the local cluster (default: one per core).", min=1)]
BatchOpt = Annotated[int | None, typer.Option(
    "--batch-size", help="Learners per task (default: about eight tasks per worker).", min=1)]


def _say(text: str) -> None:
    console.print(text, highlight=False, markup=False)


def _learners(source: str) -> list[Any]:
    from pathways.cohort import read_learners

    if source == "workspace":
        from pathways.workspace import default_url

        source = default_url()
    with user_errors():
        return read_learners(source)


@contextmanager
def _progress(what: str) -> Iterator[Callable[[int, int], None]]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task(what, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            yield update
        except KeyboardInterrupt:
            raise fail("stopped (Ctrl-C): the run was cancelled and nothing was written",
                       code=130) from None


def _compute(call: Callable[..., Any], what: str, catalog: Any, learners: str, scheduler: str,
             workers: int | None, batch_size: int | None, **options: Any) -> Any:
    """Load the catalog and the learners, then run one cohort function with a progress bar."""
    cat = load(catalog).catalog
    people = _learners(learners)
    with user_errors(), _progress(what) as progress:
        return call(cat, people, today=today(), scheduler=scheduler, workers=workers,
                    batch_size=batch_size, progress=progress, **options)


def _done(result: Any, what: str, out: Path | None) -> None:
    s = result.stats
    where = ("this process" if s.scheduler == "synchronous" else
             f"a LocalCluster of {s.workers} workers" if s.scheduler == "local" else
             f"{s.scheduler} ({s.workers} workers)")
    _say(f"{what}: {s.learners} learners on {where}, {s.tasks} tasks of up to {s.batch_size}, "
         f"{s.wall:.1f} s" + (f"; wrote {out}" if out else ""))


def _write(frame: Any, out: Path) -> None:
    from pathways.cohort import write_table

    with user_errors():
        write_table(frame, out)


@cohort_app.command("plan")
def plan(
    learners: LearnersOpt,
    out: OutOpt,
    catalog: CatalogOpt = None,
    target: Annotated[list[str] | None, typer.Option(
        "--target", "-t", help="Plan toward this credential (repeatable) instead of each "
                               "learner's goals.")] = None,
    objective: Annotated[str, typer.Option("--objective", "-o", help="hours, cost or terms.")] = "hours",
    time_limit: Annotated[float, typer.Option("--time-limit", help="Seconds per plan.", min=0.01)] = 10.0,
    scheduler: SchedulerOpt = "local",
    workers: WorkersOpt = None,
    batch_size: BatchOpt = None,
) -> None:
    """Plan every learner toward their goals: one row per learner and target."""
    from pathways.cohort import cohort_plan

    result = _compute(cohort_plan, "planning", catalog, learners, scheduler, workers, batch_size,
                      targets=target, objective=objective, time_limit=time_limit)
    _write(result.frame, out)
    frame = result.frame
    errors = int((frame["error"] != "").sum())
    feasible = int(frame["feasible"].fillna(False).astype(bool).sum())
    _done(result, f"planned {len(frame)} learner-targets ({feasible} feasible, {errors} errors)", out)


@cohort_app.command("readiness")
def readiness(
    learners: LearnersOpt,
    out: OutOpt,
    catalog: CatalogOpt = None,
    jobs: Annotated[list[Path] | None, typer.Option(
        "--jobs", help="More jobs: a catalog file or folder with jobs: (repeatable).")] = None,
    scheduler: SchedulerOpt = "local",
    workers: WorkersOpt = None,
    batch_size: BatchOpt = None,
) -> None:
    """Readiness (0-100) of every learner for every job: a row per learner, a column per job."""
    from pathways.cohort import cohort_readiness

    extra = list(load(jobs).catalog.jobs.values()) if jobs else []
    result = _compute(cohort_readiness, "scoring", catalog, learners, scheduler, workers,
                      batch_size, jobs=extra)
    _write(result.frame, out)
    _done(result, f"readiness for {result.frame.shape[1] - 2} jobs", out)


@cohort_app.command("recommend")
def recommend(
    learners: LearnersOpt,
    out: OutOpt,
    catalog: CatalogOpt = None,
    top: Annotated[int, typer.Option("--top", "-k", help="Courses per learner.", min=1)] = 10,
    scheduler: SchedulerOpt = "local",
    workers: WorkersOpt = None,
    batch_size: BatchOpt = None,
) -> None:
    """Each learner's top courses toward the goal job (readiness gained per hour)."""
    from pathways.cohort import cohort_recommend

    result = _compute(cohort_recommend, "recommending", catalog, learners, scheduler, workers,
                      batch_size, top=top)
    _write(result.frame, out)
    _done(result, f"{int(result.frame['course'].notna().sum())} suggestions", out)


@cohort_app.command("summary")
def summary(
    learners: LearnersOpt,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="A folder for the three tables (CSV and Parquet).")] = None,
    catalog: CatalogOpt = None,
    top: Annotated[int, typer.Option("--top", "-n", help="Rows per table.", min=1)] = 15,
    scheduler: SchedulerOpt = "local",
    workers: WorkersOpt = None,
    batch_size: BatchOpt = None,
) -> None:
    """What the cohort needs: missing essential skills, courses closing the most gaps, and
    the credentials most learners are nearest to."""
    from pathways.cohort import cohort_summary

    result = _compute(cohort_summary, "summarising", catalog, learners, scheduler, workers,
                      batch_size, top=top)
    tables = result.tables or {}
    if out is not None:
        if out.exists() and not out.is_dir():
            raise fail(f"--out {out} is a file; give a folder")
        for name, frame in tables.items():
            _write(frame, out / f"{name}.csv")
            _write(frame, out / f"{name}.parquet")
    counts = result.frame.iloc[0]
    print_table("Most missing essential skills (learners missing each, for their goal job)",
                ["job", "skill", "learners"],
                [(r.job_title, r.label, r.learners) for r in tables["missing_skills"].itertuples()],
                justify={"learners": "right"})
    print_table("Courses that close the most gaps (in the most learners' top five)",
                ["course", "title", "learners"],
                [(r.course, r.title, r.learners) for r in tables["courses"].itertuples()],
                justify={"learners": "right"})
    print_table("Credentials most learners are nearest to", ["credential", "title", "learners",
                                                               "median hours to go"],
                [(r.credential, r.title, r.learners, r.median_hours)
                 for r in tables["credentials"].itertuples()],
                justify={"learners": "right", "median hours to go": "right"})
    _done(result, f"summary of {int(counts['learners'])} learners ({int(counts['errors'])} with "
                  "profiles that do not fit)", out)
