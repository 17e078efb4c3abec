"""Commands of the skills engine (registered on import): ``gap``, ``recommend``, ``jobs``,
``skills-from-text`` and ``import``.

The ESCO folder is ``--esco``, else :func:`pathways.io.esco.default_esco_dir`; the fitted
text-to-skills extractor comes from :func:`pathways.skills.extractor.load_extractor` (cached on
disk, shared with the app)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

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
    user_errors,
)
from pathways.describe import money
from pathways.domain import Catalog, LearnerProfile

LearnerOpt = Annotated[Path, typer.Option("--learner", "-l", help="Learner profile (YAML).")]
JobOpt = Annotated[str | None, typer.Option("--job", "-j", help="Job id (default: the learner's goal job).")]
AsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", help="Date for badge expiry, YYYY-MM-DD (default: the learner's start term, else today).")]
EscoOpt = Annotated[Path | None, typer.Option(
    "--esco", help="ESCO v1.1.1 directory (default: $PATHWAYS_ESCO, else ../shared/data/esco-1.1.1).")]
UseCvOpt = Annotated[bool, typer.Option(
    "--use-cv", help="Also read skills (at level 1) from the profile's cv: text, with the ESCO "
    "text-to-skills extractor (see --esco).")]


def _esco_dir(esco: Path | None) -> Path:
    """``--esco``, else :func:`pathways.io.esco.default_esco_dir`; a usage error when missing."""
    from pathways.io.esco import default_esco_dir

    path = esco or default_esco_dir()
    if not path.is_dir():
        raise fail(f"ESCO data not found at {path}; pass --esco DIR or set PATHWAYS_ESCO "
                   "to the directory of the ESCO v1.1.1 zips")
    return path


def _no_csv(format: Format, command: str) -> None:
    if format is Format.csv:
        raise fail(f"--format csv is not available for {command}; use table or json")


def _as_of(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise fail(f"--as-of {text!r} is not a date; write it as YYYY-MM-DD") from None


def _learner(path: Path, cat: Catalog) -> LearnerProfile:
    if not path.exists():
        raise fail(f"learner file {path} does not exist")
    found = learner(path, cat)
    if found is None:  # pragma: no cover - a path was given
        raise fail(f"no learner in {path}")
    return found


def _read_text(path: Path) -> str:
    from pathways.io import read_text_file

    with user_errors():
        return read_text_file(path)


def _pct(value: float) -> str:
    return f"{value:.1f} %"


def _hours(value: float) -> str:
    return f"{value:g} h"


def _load_extractor(esco: Path | None, *, cache: bool = True) -> Any:
    """The text-to-skills extractor fitted on ESCO (:func:`pathways.skills.extractor.load_extractor`:
    cached on disk), or a clear error."""
    from pathways.skills import load_extractor

    path = _esco_dir(esco)
    with user_errors():
        return load_extractor(path, cache=cache)


def _cv_extractor(use_cv: bool, esco: Path | None, me: LearnerProfile) -> Any:
    if not use_cv:
        return None
    if not me.cv_text.strip():
        raise fail(f"--use-cv: the profile of {me.id} has no cv: text")
    return _load_extractor(esco)


# --------------------------------------------------------------------------- gap
@app.command()
def gap(
    learner_path: LearnerOpt,
    job: JobOpt = None,
    catalog: CatalogOpt = None,
    format: FormatOpt = Format.table,
    as_of: AsOfOpt = None,
    use_cv: UseCvOpt = False,
    esco: EscoOpt = None,
    job_ad: Annotated[Path | None, typer.Option(
        "--job-ad", help="A job ad (a text file): the job is every ESCO skill read in it, each "
        "essential at level 1 (with the text-to-skills extractor, see --esco); instead of --job.",
        )] = None,
) -> None:
    """What a job requires against what the learner holds, and the readiness (0-100 %).

    Readiness is the importance-weighted coverage of the job's skills: a skill held at level 1
    of a required 2 counts half. Essential gaps come first.
    """
    from pathways.skills import gap_analysis, job_from_skills

    _no_csv(format, "gap")
    if job_ad is not None and job is not None:
        raise fail("give --job or --job-ad, not both")
    cat = load(catalog).catalog
    me = _learner(learner_path, cat)
    ad_text = _read_text(job_ad) if job_ad is not None else None
    extractor = _cv_extractor(use_cv, esco, me)
    target: Any = job
    labels: dict[str, str] = {}
    evidence: dict[str, str] = {}
    if ad_text is not None:
        reader = extractor or _load_extractor(esco)
        with user_errors():
            found = reader.extract([ad_text])[0]
        if not found:
            raise fail(f"no ESCO skill was recognised in {job_ad}")
        target = job_from_skills([(f.skill_id, f.label, f.score) for f in found],
                                 title=f"the job ad {job_ad.name}")  # type: ignore[union-attr]
        labels = {f.skill_id: f.label for f in found}
        evidence = {f.skill_id: f.evidence for f in found}
    with user_errors():
        report = gap_analysis(cat, me, target, as_of=_as_of(as_of), extractor=extractor,
                              labels=labels)
    if format is Format.json:
        data = report.to_dict()
        if ad_text is not None:
            # each skill read from the ad with the ad's phrase it came from
            for row in data["skills"]:
                row["evidence"] = evidence.get(row["skill"], "")
        emit_json(data)
        return
    console.print(styled((me.name or me.id, "bold"), " for ", (report.title, "bold"),
                         f" ({report.job}): readiness {_pct(report.readiness)} "
                         f"({len(report.essential_gaps)} essential gaps, {len(report.gaps)} gaps "
                         f"in all; skills as of {report.held.as_of.isoformat()})"))
    rows = []
    for s in report.skills:
        need = "essential" if s.essential else f"{s.importance:g}"
        status = "met" if s.met else f"missing {s.deficit}"
        row = [s.label, need, s.required_level, s.held_level, status,
               s.held_from if s.held_level or s.held_from != "not held" else ""]
        if ad_text is not None:
            row.append(evidence.get(s.skill, ""))
        rows.append(row)
    columns = ["skill", "importance", "required", "held", "gap", "held because"]
    if ad_text is not None:
        columns.append("in the ad")
    print_table(None, columns, rows, justify={"required": "right", "held": "right"})


# --------------------------------------------------------------------------- recommend
@app.command()
def recommend(
    learner_path: LearnerOpt,
    job: JobOpt = None,
    catalog: CatalogOpt = None,
    format: FormatOpt = Format.table,
    optional: Annotated[bool, typer.Option(
        "--optional", help="Also close optional gaps, within the budget and --max-hours.")] = False,
    max_hours: Annotated[float | None, typer.Option(
        "--max-hours", help="Cap on the bundle's hours (with --optional).",
        callback=finite(0))] = None,
    prefer_credentials: Annotated[bool, typer.Option(
        "--prefer-credentials", help="Prefer a bundle that also earns a credential when it costs "
        "little extra.")] = False,
    max_extra_hours: Annotated[float | None, typer.Option(
        "--max-extra-hours", help="Extra hours allowed for --prefer-credentials and for 'nearly "
        "earned' credentials (default: 30 h or 25 % of the bundle, whichever is larger).",
        callback=finite(0))] = None,
    top: Annotated[int, typer.Option("--top", "-n", help="Single courses to rank.", min=0)] = 10,
    as_of: AsOfOpt = None,
    use_cv: UseCvOpt = False,
    esco: EscoOpt = None,
) -> None:
    """The courses that close the learner's gap for a job fastest, each explained.

    The bundle is the fewest-hours set of courses (with missing prerequisites) that closes every
    essential gap the catalog can close; single courses are ranked by readiness gained per hour.
    """
    from pathways.skills.recommend import recommend as _recommend

    _no_csv(format, "recommend")
    if max_hours is not None and max_hours < 0:
        raise fail(f"--max-hours must be >= 0, got {max_hours:g}")
    cat = load(catalog).catalog
    me = _learner(learner_path, cat)
    extractor = _cv_extractor(use_cv, esco, me)
    with user_errors():
        rec = _recommend(cat, me, job, optional=optional, max_hours=max_hours,
                         prefer_credentials=prefer_credentials, max_extra_hours=max_extra_hours,
                         top_k=top, as_of=_as_of(as_of), extractor=extractor)
    if format is Format.json:
        emit_json(rec.to_dict())
        return
    cur = rec.currency
    b = rec.bundle
    console.print(styled((me.name or me.id, "bold"), " for ", (rec.gap.title, "bold"),
                         f": readiness {_pct(rec.gap.readiness)} now, "
                         f"{_pct(b.readiness_after)} after this bundle"))
    what = {"hours": "fewest hours closing every essential gap that can be closed",
            "optional": "essential gaps, then as much optional gap as budget and hours allow",
            "credential": "essential gaps, also earning a credential"}.get(b.objective, b.objective)
    if b.items:
        print_table(f"Bundle ({what}): {_hours(b.total_hours)}, {money(b.total_cost, cur)}",
                    ["#", "course", "hours", "cost", "why"],
                    [[i + 1, f"{it.id}", it.hours, it.cost, it.reason] for i, it in enumerate(b.items)],
                    justify={"hours": "right", "cost": "right"})
    elif not rec.gap.essential_gaps:
        console.print("No essential gap: the learner already meets every essential skill.")
    else:
        console.print("No course closes an essential gap for this learner.")
    if rec.plain is not None and rec.plain is not b:
        console.print(f"The fewest-hours bundle would be {', '.join(rec.plain.ids) or 'empty'} "
                      f"({_hours(rec.plain.total_hours)}); this one takes {_hours(b.extra_hours)} more.",
                      highlight=False)
    for c in b.credentials:
        console.print(styled(("credential:", "green"), f" {c.text}"))
    for u in rec.unclosable:
        kind = "essential" if u.essential else "optional"
        console.print(styled(("not closable:", "yellow"),
                             f" {u.label} ({kind}, level {u.required_level}): {u.reason}"))
    for note in b.notes:
        console.print(f"note: {note}", highlight=False)
    if rec.ranked:
        per_cost = f"points/100 {cur}"
        print_table("Single courses by readiness gained per hour (prerequisites included)",
                    ["course", "hours", "cost", "points/h", per_cost, "why"],
                    [[r.id, r.total_hours, r.total_cost, round(r.per_hour, 3),
                      "free" if r.per_dollar is None else round(100 * r.per_dollar, 2), r.reason]
                     for r in rec.ranked],
                    justify={"hours": "right", "cost": "right", "points/h": "right", per_cost: "right"})


# --------------------------------------------------------------------------- jobs
@app.command()
def jobs(
    learner_path: LearnerOpt,
    catalog: CatalogOpt = None,
    format: FormatOpt = Format.table,
    top: Annotated[int, typer.Option("--top", "-n", help="Jobs to list (0: all).", min=0)] = 10,
    sort: Annotated[str, typer.Option("--sort", help="readiness or hours.")] = "readiness",
    exact_top: Annotated[int, typer.Option(
        "--exact-top", help="How many top jobs get exact bundle hours (others a greedy estimate).", min=0)] = 10,
    esco: Annotated[bool, typer.Option(
        "--all-esco", help="Rank every ESCO occupation instead of the catalog's jobs.")] = False,
    esco_dir: EscoOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Jobs ranked for the learner by readiness and by hours to ready (essential gaps closed)."""
    from pathways.skills.match import match_jobs

    _no_csv(format, "jobs")
    if sort not in ("readiness", "hours"):
        raise fail(f"--sort must be readiness or hours, got {sort!r}")
    cat = load(catalog).catalog
    me = _learner(learner_path, cat)
    pool = None
    if esco:
        from pathways.io.esco import load_esco

        path = _esco_dir(esco_dir)
        with user_errors():
            pool = list(load_esco(path).jobs.values())
    with user_errors():
        found = match_jobs(cat, me, pool, top=top or None, sort=sort,  # type: ignore[arg-type]
                           exact_top=exact_top, as_of=_as_of(as_of))
    if format is Format.json:
        emit_json({"learner": me.id, "jobs": [m.to_dict() for m in found]})
        return
    def hours(m: Any) -> str:
        if m.essential_gaps and m.unclosable == m.essential_gaps:
            return "no course"
        return _hours(m.hours_to_ready) + ("" if m.exact else " ~")

    print_table(f"Jobs for {me.name or me.id} (by {sort})",
                ["job", "readiness", "hours to ready", "essential gaps", "not closable", "courses"],
                [[m.title, _pct(m.readiness), hours(m), m.essential_gaps, m.unclosable,
                  ", ".join(m.courses)] for m in found],
                justify={"readiness": "right", "hours to ready": "right"})
    console.print("hours to ready: the fewest hours of courses (with prerequisites) closing every "
                  "essential gap a course can close; gaps no course closes stay open.")
    if any(not m.exact for m in found):
        console.print("~ greedy estimate (an upper bound); the others are exact.")


# --------------------------------------------------------------------------- skills-from-text
@app.command("skills-from-text")
def skills_from_text(
    files: Annotated[list[Path], typer.Argument(help="Text files (a CV, a job ad, a course description).")],
    top: Annotated[int, typer.Option("--top", "-k", help="Skills per file.")] = 10,
    esco: EscoOpt = None,
    format: FormatOpt = Format.table,
    cache: Annotated[bool, typer.Option(
        "--cache/--no-cache", help="Reuse the fitted extractor cached on disk.")] = True,
) -> None:
    """The ESCO skills a text asks for or shows, with scores and the phrase each came from.

    Job ads are read by a tagger trained on SkillSpan (each skill with the phrase of the ad it
    came from); short descriptions by TF-IDF over ESCO labels and similar occupations.

    The first run fits the extractor on all of ESCO (tens of seconds) and caches it on disk.
    """
    _no_csv(format, "skills-from-text")
    if top < 1:
        raise fail(f"--top must be at least 1, got {top}")
    texts = [_read_text(f) for f in files]
    extractor = _load_extractor(esco, cache=cache)
    extractor.set_params(top_k=top)
    with user_errors():
        extracted = extractor.extract(texts)
    out: list[dict[str, Any]] = [
        {"file": str(f), "skills": [{"skill": e.skill_id, "label": e.label,
                                     "score": round(float(e.score), 4), "evidence": e.evidence}
                                    for e in found[:top]]}
        for f, found in zip(files, extracted, strict=True)]
    if format is Format.json:
        emit_json(out)
        return
    for item in out:
        print_table(str(item["file"]), ["skill", "score", "from the text", "id"],
                    [[s["label"], s["score"], s["evidence"], s["skill"]] for s in item["skills"]],
                    justify={"score": "right"})


# --------------------------------------------------------------------------- import
@app.command("import")
def import_(
    source: Annotated[str, typer.Argument(help="esco or onet.")],
    path: Annotated[Path, typer.Argument(help="Directory of the downloaded taxonomy files.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The YAML file to write.")],
    occupation: Annotated[list[str] | None, typer.Option(
        "--occupation", help="Occupation id or title text (repeatable; default: all).")] = None,
    format: FormatOpt = Format.table,
) -> None:
    """Write occupations of ESCO or O*NET as jobs in the catalog format."""
    _no_csv(format, "import")
    if source not in ("esco", "onet"):
        raise fail(f"unknown source {source!r}; use esco or onet")
    if not path.is_dir():
        raise fail(f"{path} is not a directory of {source} files")
    from pathways.io.esco import import_jobs

    with user_errors():
        n = import_jobs(source, path, occupation or None, out)  # type: ignore[arg-type]
    if format is Format.json:
        emit_json({"source": source, "out": str(out), "jobs": n})
        return
    console.print(f"wrote {n} jobs to {out}", highlight=False)
