"""The advising report: one page an advisor hands a learner, as HTML and as PDF.

:func:`advising_report` gathers what the page says, from the library's own answers: the learner,
the target credentials, the plan term by term with the reason for each course
(:func:`pathways.planner.plan`), the credentials earned along the way, what the other
objectives would give (:func:`pathways.planner.compare_objectives`), the readiness for a job
now and after the plan (:func:`pathways.skills.gap_analysis`, the plan's courses counted as
completed at the plan's end), the skills gap, and where the job's data comes from (ESCO or
O*NET, with their attribution; a job ad read by pathways). An infeasible plan gives its reason
and what would make it feasible (:func:`pathways.planner.remedies`) instead of a plan.

:func:`report_html` renders it as a self-contained HTML page (inline CSS and an inline SVG
chart, printable on one A4 page); :func:`report_pdf` as a one-page A4 PDF drawn with fpdf2 (a
Unicode TrueType font when the system has one, see :func:`pdf_font`; else the PDF core font
with the text transliterated). :func:`write_report` writes either, by the file's suffix,
atomically.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import os
import tempfile
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pathways.describe import money
from pathways.domain import Catalog, Holding, Job, LearnerProfile
from pathways.errors import InvalidParameterError, WriteError

__all__ = [
    "AdvisingReport",
    "ReportSkill",
    "advising_report",
    "job_sources",
    "pdf_font",
    "report_html",
    "report_pdf",
    "write_report",
]

#: Skills drawn in the report's chart (essential gaps first, the gap analysis' order).
CHART_SKILLS = 14
#: TrueType fonts tried for the PDF, regular and bold ($PATHWAYS_PDF_FONT first).
FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    ("/Library/Fonts/Arial Unicode.ttf", "/Library/Fonts/Arial Unicode.ttf"),
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),
)


@dataclass(frozen=True, slots=True)
class ReportSkill:
    """One skill of the job: the level required, held now and held after the plan."""

    label: str
    essential: bool
    required: int
    now: int
    after: int


@dataclass(frozen=True)
class AdvisingReport:
    """Everything the one-page report says (see :func:`advising_report`)."""

    learner: str
    learner_id: str
    made: dt.date
    targets: tuple[tuple[str, str], ...]  # (id, title)
    objective: str
    plan: Any  # pathways.planner.Plan
    currency: str
    job_title: str
    readiness_now: float
    readiness_after: float | None
    skills: tuple[ReportSkill, ...]
    skill_count: int
    earned: tuple[tuple[str, str, str], ...]  # (id, title, term)
    alternatives: str
    remedies: tuple[str, ...]
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"learner": self.learner, "learner_id": self.learner_id,
                "made": self.made.isoformat(), "targets": [list(t) for t in self.targets],
                "objective": self.objective, "plan": self.plan.to_dict(),
                "job": self.job_title, "readiness_now": round(self.readiness_now, 2),
                "readiness_after": (None if self.readiness_after is None
                                    else round(self.readiness_after, 2)),
                "skills": [dataclasses.asdict(s) for s in self.skills],
                "earned": [list(e) for e in self.earned], "alternatives": self.alternatives,
                "remedies": list(self.remedies), "sources": list(self.sources)}


def job_sources(job: Job, *, read_from_ad: bool = False) -> tuple[str, ...]:
    """Where a job's data comes from, with the source's required attribution.

    ESCO occupations (``esco-occ:`` ids) and ESCO skills read from a job ad cite ESCO v1.1.1;
    O*NET occupations (``onet:`` ids) cite O*NET 29.2; any other job is the catalog's own.

    >>> job_sources(Job("esco-occ:1", "data analyst"))[0]
    'Job: data analyst, ESCO v1.1.1 occupation and its occupation-skill relations (European Commission, https://esco.ec.europa.eu).'
    >>> job_sources(Job("j1", "analyst"))
    ('Job: analyst, from the catalog (not from ESCO or O*NET).',)
    """
    from pathways.io.esco import ESCO_ATTRIBUTION
    from pathways.io.onet import ONET_ATTRIBUTION

    if read_from_ad:
        return (f"Job: {job.title}, its skills read from the job ad's text by pathways "
                "(ESCO v1.1.1 skills; European Commission, https://esco.ec.europa.eu); check "
                "them against the ad.", ESCO_ATTRIBUTION)
    if job.id.startswith("esco"):
        return (f"Job: {job.title}, ESCO v1.1.1 occupation and its occupation-skill relations "
                "(European Commission, https://esco.ec.europa.eu).", ESCO_ATTRIBUTION)
    if job.id.startswith("onet"):
        return (f"Job: {job.title}, O*NET occupation and its skills.", ONET_ATTRIBUTION)
    return (f"Job: {job.title}, from the catalog (not from ESCO or O*NET).",)


def advising_report(catalog: Catalog, learner: LearnerProfile,
                    targets: Sequence[str] | str | None = None, job: Job | str | None = None, *,
                    objective: str = "hours", graph: Any = None, today: dt.date | None = None,
                    labels: Mapping[str, str] | None = None, read_from_ad: bool = False,
                    time_limit: float = 10.0) -> AdvisingReport:
    """What the advising report says for ``learner``, ``targets`` and ``job``.

    Parameters
    ----------
    catalog, learner, targets, objective, graph, today, time_limit
        As for :func:`pathways.planner.plan` (targets default to the learner's goals).
    job : Job or str, optional
        A job or a catalog job id; default the learner's goal job.
    labels : mapping, optional
        Skill labels for skills the catalog does not list (a job read from an ad).
    read_from_ad : bool
        The job's skills were read from a job ad (its sources say so).

    Raises
    ------
    PathwaysError
        For unknown targets or jobs, or a learner with neither.
    """
    from pathways.planner import compare_objectives, plan, remedies
    from pathways.skills.gap import gap_analysis, resolve_job

    made = today or dt.date.today()
    the_job = resolve_job(catalog, job, learner)
    result = plan(catalog, learner, targets, objective=objective, graph=graph,  # type: ignore[arg-type]
                  time_limit=time_limit, today=today)
    now = gap_analysis(catalog, learner, the_job, labels=labels)
    after = None
    alternatives = ""
    fixes: tuple[str, ...] = ()
    if result.feasible:
        end = result.completion or (result.start.start if result.start else made)
        done = tuple(Holding("course", c.id, end) for c in result.courses)
        later = dataclasses.replace(learner, completed=learner.completed + done)
        after = gap_analysis(catalog, later, the_job, as_of=end, labels=labels)
        if result.courses:
            alternatives = compare_objectives(
                catalog, learner, list(result.targets), graph=graph, explain=False,
                today=today, time_limit=time_limit).compared_to(objective)
    else:
        found = remedies(catalog, learner, list(result.targets), objective=objective,  # type: ignore[arg-type]
                         graph=graph, today=today, time_limit=2 * time_limit)
        fixes = tuple(r.text for r in found) + ((found.note,) if found.note else ())
    later_levels = {s.skill: s.held_level for s in after.skills} if after else {}
    skills = tuple(ReportSkill(s.label, s.essential, s.required_level, s.held_level,
                               later_levels.get(s.skill, s.held_level)) for s in now.skills)
    titles = {k: catalog.title(k) for k in result.targets}
    return AdvisingReport(
        learner=learner.name or learner.id, learner_id=learner.id, made=made,
        targets=tuple((k, titles[k]) for k in result.targets), objective=objective,
        plan=result, currency=catalog.currency, job_title=the_job.title,
        readiness_now=now.readiness,
        readiness_after=None if after is None else after.readiness,
        skills=skills, skill_count=len(skills),
        earned=tuple((k, catalog.title(k), str(t)) for k, t in result.earned),
        alternatives=alternatives, remedies=fixes,
        sources=job_sources(the_job, read_from_ad=read_from_ad) + (
            "Courses, credentials and prices: the catalog"
            + (f" ({', '.join(Path(s).name for s in catalog.sources[:3])})"
               if catalog.sources else "")
            + f"; plan made {made.isoformat()} by pathways.",))


# --------------------------------------------------------------------------- shared text
_OBJECTIVES = {"hours": "fewest hours", "cost": "lowest cost", "terms": "fewest terms"}


def _headline(r: AdvisingReport) -> str:
    p = r.plan
    if not p.feasible:
        return "No plan fits the learner's limits."
    if not p.courses:
        return "Every target is met already: nothing to take."
    last = max(c.term for c in p.courses)
    span = f" ({p.start} to {last})" if p.start is not None and p.start != last else f" ({last})"
    proof = "proven optimal" if p.optimal else "best found in the time limit"
    return (f"{len(p.courses)} courses, {p.total_hours:g} h, {money(p.total_cost, r.currency)}, "
            f"{p.terms} term{'s' if p.terms != 1 else ''}{span}; planned for "
            f"{_OBJECTIVES.get(r.objective, r.objective)}, {proof}.")


def _readiness(r: AdvisingReport) -> str:
    text = f"Readiness for {r.job_title}: {r.readiness_now:.0f}% now"
    if r.readiness_after is not None and r.plan.courses:
        text += f", {r.readiness_after:.0f}% after this plan"
    return text + "."


def _reason(text: str, limit: int = 150) -> str:
    """The first clauses of a course's reason, within ``limit`` characters."""
    parts = [p.strip() for p in text.split(";") if p.strip()]
    out = ""
    for part in parts:
        joined = f"{out}; {part}" if out else part
        if len(joined) > limit and out:
            break
        out = joined
    return out if len(out) <= limit else out[: limit - 1].rstrip() + "…"


def _chart_rows(r: AdvisingReport) -> list[ReportSkill]:
    return list(r.skills[:CHART_SKILLS])


_COLOURS = {"required": (197, 206, 214), "now": (31, 111, 139), "after the plan": (89, 161, 79)}


def _legend(r: AdvisingReport) -> list[tuple[tuple[int, int, int], str]]:
    """The chart's series: required and now, and after the plan when there is one."""
    names = ["required", "now"] + (["after the plan"] if r.readiness_after is not None else [])
    return [(_COLOURS[n], n) for n in names]


def _series(r: AdvisingReport, s: ReportSkill) -> list[tuple[int, tuple[int, int, int]]]:
    values = {"required": s.required, "now": s.now, "after the plan": s.after}
    return [(values[name], colour) for colour, name in _legend(r)]


def _hex(colour: tuple[int, int, int]) -> str:
    return "#%02x%02x%02x" % colour


# --------------------------------------------------------------------------- HTML
_CSS = """
@page { size: A4; margin: 14mm; }
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: #1b2a33;
       font-size: 12px; line-height: 1.35; max-width: 820px; margin: 24px auto; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 2px; } h2 { font-size: 14px; margin: 14px 0 4px;
     border-bottom: 1px solid #d5dbe0; padding-bottom: 2px; }
.meta { color: #4a5660; } .lead { font-size: 13px; margin: 8px 0; }
.box { border: 1px solid #d5dbe0; border-radius: 6px; padding: 8px 10px; background: #f6f8fa; }
.bad { border-color: #c0504d; background: #fdf1f0; }
table { border-collapse: collapse; width: 100%; font-size: 11px; }
th { text-align: left; color: #4a5660; font-weight: 600; border-bottom: 1px solid #c5ced6; }
td, th { padding: 3px 6px 3px 0; vertical-align: top; } td.num { text-align: right; }
td:first-child, th { white-space: nowrap; }
.why { color: #4a5660; } .small { font-size: 10px; color: #4a5660; }
@media print { body { margin: 0; max-width: none; } }
"""


def _chart_svg(r: AdvisingReport) -> str:
    rows = _chart_rows(r)
    if not rows:
        return "<p class='small'>The job lists no skills.</p>"
    top = max(4, *(max(s.required, s.now, s.after) for s in rows))
    label_w, bar_w, row_h = 250, 420, 22
    width, height = label_w + bar_w + 20, 30 + row_h * len(rows) + 24
    esc = html.escape
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="11">']
    for i, (rgb, name) in enumerate(_legend(r)):
        out.append(f'<rect x="{label_w + i * 120}" y="4" width="12" height="10" fill="{_hex(rgb)}"/>'
                   f'<text x="{label_w + i * 120 + 16}" y="13">{name}</text>')
    for level in range(top + 1):
        x = label_w + bar_w * level / top
        out.append(f'<line x1="{x:.1f}" y1="24" x2="{x:.1f}" y2="{height - 18}" '
                   f'stroke="#e3e8ec"/><text x="{x:.1f}" y="{height - 6}" '
                   f'text-anchor="middle" fill="#4a5660">{level}</text>')
    for i, s in enumerate(rows):
        y = 28 + i * row_h
        label = s.label if len(s.label) <= 34 else s.label[:33] + "…"
        weight = "bold" if s.essential else "normal"
        out.append(f'<text x="{label_w - 8}" y="{y + 13}" text-anchor="end" '
                   f'font-weight="{weight}">{esc(label)}</text>')
        for j, (value, rgb) in enumerate(_series(r, s)):
            out.append(f'<rect x="{label_w}" y="{y + 2 + j * 6}" width="{bar_w * value / top:.1f}"'
                       f' height="5" fill="{_hex(rgb)}"/>')
    out.append("</svg>")
    return "".join(out)


def report_html(r: AdvisingReport) -> str:
    """The report as a self-contained HTML page (every text escaped)."""
    esc = html.escape
    p = r.plan
    targets = "; ".join(f"{k} {t}" for k, t in r.targets)
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>Advising report: {esc(r.learner)}</title><style>{_CSS}</style></head><body>",
             "<h1>Advising report</h1>",
             f"<div class='meta'>For <b>{esc(r.learner)}</b> ({esc(r.learner_id)}) · "
             f"{r.made.isoformat()}<br>Target: <b>{esc(targets)}</b> · Job: "
             f"<b>{esc(r.job_title)}</b></div>"]
    box = "box bad" if not p.feasible else "box"
    parts.append(f"<div class='{box} lead'><b>{esc(_headline(r))}</b><br>{esc(_readiness(r))}")
    if not p.feasible:
        parts.append(f"<br>Why: {esc(p.reason or '')}")
        if r.remedies:
            parts.append("<br>What would make a plan possible:<ul>" + "".join(
                f"<li>{esc(t)}</li>" for t in r.remedies) + "</ul>")
    elif r.alternatives:
        parts.append(f"<br><span class='small'>{esc(r.alternatives)}</span>")
    parts.append("</div>")
    if p.feasible and p.courses:
        parts.append("<h2>The plan, term by term</h2><table><tr><th>Term</th><th>Course</th>"
                     f"<th>Hours</th><th>Cost ({esc(r.currency)})</th><th>Why</th></tr>")
        for term, courses in p.schedule():
            if not courses:
                parts.append(f"<tr><td>{term}</td><td colspan='4' class='why'>no course this "
                             "term</td></tr>")
            for c in courses:
                renew = " (renewal)" if c.renewal else ""
                parts.append(f"<tr><td>{term}</td><td><b>{esc(c.id)}</b> {esc(c.title)}{renew}</td>"
                             f"<td class='num'>{c.hours:g}</td><td class='num'>{c.cost:,.0f}</td>"
                             f"<td class='why'>{esc(_reason(c.reason, 400))}</td></tr>")
        parts.append("</table>")
        if r.earned:
            parts.append("<h2>Credentials earned along the way</h2><p>" + "; ".join(
                f"<b>{esc(k)}</b> {esc(t)} after {esc(term)}" for k, t, term in r.earned)
                + "</p>")
    after = " and after the plan" if r.readiness_after is not None else ""
    parts.append(f"<h2>Skills for {esc(r.job_title)}: required, now{after}</h2>")
    parts.append(_chart_svg(r))
    if r.skill_count > len(_chart_rows(r)):
        parts.append(f"<p class='small'>{len(_chart_rows(r))} of {r.skill_count} skills, "
                     "essential gaps first (bold: essential). Levels 1 basic to 4 expert.</p>")
    parts.append("<h2>Sources</h2><p class='small'>" + "<br>".join(esc(s) for s in r.sources)
                 + "</p></body></html>")
    return "".join(parts)


# --------------------------------------------------------------------------- PDF
def pdf_font() -> tuple[str, str] | None:
    """The regular and bold TrueType fonts the PDF uses: ``$PATHWAYS_PDF_FONT`` (one file for
    both), else the first of :data:`FONT_CANDIDATES` present; None when there is none (the PDF
    core font is used, its text transliterated to Latin-1)."""
    chosen = os.environ.get("PATHWAYS_PDF_FONT")
    if chosen and Path(chosen).is_file():
        return chosen, chosen
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).is_file():
            return regular, bold if Path(bold).is_file() else regular
    return None


_LATIN = {"Ł": "L", "ł": "l", "•": "-", "–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "✓": "",
          "→": "->", "≥": ">=", "≤": "<="}


def _latin(text: str) -> str:
    """``text`` for the PDF core font (Latin-1): other characters decomposed (``é`` stays,
    ``Ł`` becomes ``L``, ``…`` becomes ``...``), a few replaced, the rest shown as ``?``.

    >>> _latin("Łucja – Zoë… ✓")
    'Lucja - Zoë... '
    """
    out = []
    for ch in text:
        if ord(ch) < 256:
            out.append(ch)
        elif ch in _LATIN:
            out.append(_LATIN[ch])
        else:
            base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
            out.append(base or "?")
    return "".join(out)


def report_pdf(r: AdvisingReport) -> bytes:
    """The report as a one-page A4 PDF (long plans shrink their text to stay on the page)."""
    for size in (9.0, 8.0, 7.2, 6.5):
        pdf = _draw(r, size)
        if pdf.page_no() == 1 or size == 6.5:
            try:
                return bytes(pdf.output())
            finally:
                _close(pdf)
        _close(pdf)
    raise AssertionError("unreachable")  # pragma: no cover


def _close(pdf: Any) -> None:
    """Close the font files fpdf2 keeps open (fontTools reads them lazily)."""
    for font in getattr(pdf, "fonts", {}).values():
        ttf = getattr(font, "ttfont", None)
        if ttf is not None:
            ttf.close()


def _draw(r: AdvisingReport, base: float) -> Any:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(14, 12, 14)
    pdf.set_auto_page_break(True, margin=10)
    pdf.set_title(f"Advising report: {r.learner}")
    pdf.set_creator("pathways")
    # the same report gives the same bytes: dated by the day it is made, not the second
    pdf.set_creation_date(dt.datetime.combine(r.made, dt.time(), tzinfo=dt.timezone.utc))
    font = pdf_font()
    if font is not None:
        pdf.add_font("report", "", font[0])
        pdf.add_font("report", "B", font[1])
        family, clean = "report", (lambda s: s)
    else:
        family, clean = "helvetica", _latin
    pdf.add_page()
    ink, grey, rule = (27, 42, 51), (74, 86, 96), (197, 206, 214)
    line = base * 0.5  # mm per line at this size

    def text(value: str, *, size: float = base, bold: bool = False, colour: Any = ink,
             height: float | None = None, width: float = 0) -> None:
        pdf.set_font(family, "B" if bold else "", size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(width, height or size * 0.5, clean(value), align="L",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(value: str) -> None:
        pdf.ln(1.6)
        text(value, size=base + 1.5, bold=True)
        pdf.set_draw_color(*rule)
        pdf.line(pdf.l_margin, pdf.get_y() + 0.3, pdf.w - pdf.r_margin, pdf.get_y() + 0.3)
        pdf.ln(1.2)

    p = r.plan
    text("Advising report", size=base + 9, bold=True, height=(base + 9) * 0.45)
    targets = "; ".join(f"{k} {t}" for k, t in r.targets)
    text(f"For {r.learner} ({r.learner_id}) · {r.made.isoformat()}", colour=grey)
    text(f"Target: {targets} · Job: {r.job_title}", colour=grey)
    pdf.ln(1.5)
    top = pdf.get_y()
    fill = (253, 241, 240) if not p.feasible else (246, 248, 250)
    pdf.set_x(pdf.l_margin + 2.5)
    lines = [(_headline(r), True), (_readiness(r), False)]
    if not p.feasible:
        lines.append((f"Why: {p.reason or ''}", False))
        if r.remedies:
            lines.append(("What would make a plan possible:", False))
            lines.extend((f"  • {t}", False) for t in r.remedies)
    elif r.alternatives:
        lines.append((r.alternatives, False))
    # the box: draw the text once to measure, then the box under it
    with pdf.offset_rendering() as probe:
        for value, bold in lines:
            probe.set_x(pdf.l_margin + 2.5)
            probe.set_font(family, "B" if bold else "", base + 0.5)
            probe.multi_cell(pdf.epw - 5, (base + 0.5) * 0.5, clean(value), align="L",
                             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        bottom = probe.get_y()
    pdf.set_fill_color(*fill)
    pdf.set_draw_color(*((192, 80, 77) if not p.feasible else rule))
    pdf.rect(pdf.l_margin, top, pdf.epw, bottom - top + 3, style="DF", round_corners=True)
    pdf.set_y(top + 1.5)
    for value, bold in lines:
        pdf.set_x(pdf.l_margin + 2.5)
        text(value, size=base + 0.5, bold=bold, width=pdf.epw - 5)
    pdf.set_y(bottom + 3)

    if p.feasible and p.courses:
        heading("The plan, term by term")
        widths = (24, 60, 12, 17)
        why = pdf.epw - sum(widths)
        pdf.set_font(family, "B", base - 0.5)
        pdf.set_text_color(*grey)
        for w, name in zip((*widths, why), ("Term", "Course", "Hours", f"Cost ({r.currency})",
                                            "Why")):
            right = name == "Hours" or name.startswith("Cost")
            pdf.cell(w - 1.5, line, clean(name), align="R" if right else "L")
            pdf.cell(1.5, line, "")
        pdf.ln(line + 0.6)
        for term, courses in p.schedule():
            rows = courses or [None]
            for c in rows:
                cells = ([str(term), "no course this term", "", "", ""] if c is None else
                         [str(term), f"{c.id} {c.title}" + (" (renewal)" if c.renewal else ""),
                          f"{c.hours:g}", f"{c.cost:,.0f}", _reason(c.reason)])
                _row(pdf, family, clean, base - 0.5, line, (*widths, why), cells, ink, grey)
        if r.earned:
            heading("Credentials earned along the way")
            text("; ".join(f"{k} {t} after {term}" for k, t, term in r.earned))

    after = " and after the plan" if r.readiness_after is not None else ""
    heading(f"Skills for {r.job_title}: required, now{after}")
    _pdf_chart(pdf, family, clean, r, base)
    heading("Sources")
    for s in r.sources:
        text(s, size=base - 1.2, colour=grey)
    return pdf


def _row(pdf: Any, family: str, clean: Any, size: float, line: float, widths: Sequence[float],
         cells: Sequence[str], ink: Any, grey: Any) -> None:
    """One table row: every cell wrapped in its column, the row as tall as its tallest cell."""
    from fpdf.enums import XPos, YPos

    x0, y0 = pdf.l_margin, pdf.get_y()
    heights = []
    for w, value in zip(widths, cells):
        with pdf.offset_rendering() as probe:
            probe.set_font(family, "", size)
            probe.set_xy(x0, y0)
            probe.multi_cell(w - 1.5, line, clean(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            heights.append(probe.get_y() - y0)
    tall = max(heights)
    if y0 + tall > pdf.page_break_trigger:
        pdf.add_page()
        y0 = pdf.get_y()
    x = x0
    for i, (w, value) in enumerate(zip(widths, cells)):
        pdf.set_xy(x, y0)
        pdf.set_font(family, "B" if i == 1 else "", size)
        pdf.set_text_color(*(grey if i == 4 else ink))
        pdf.multi_cell(w - 1.5, line, clean(value), align="R" if i in (2, 3) else "L",
                       new_x=XPos.RIGHT, new_y=YPos.TOP)
        x += w
    pdf.set_xy(x0, y0 + tall + 0.8)


def _pdf_chart(pdf: Any, family: str, clean: Any, r: AdvisingReport, base: float) -> None:
    rows = _chart_rows(r)
    if not rows:
        pdf.set_font(family, "", base)
        pdf.cell(0, base * 0.5, "The job lists no skills.", new_x="LMARGIN", new_y="NEXT")
        return
    top = max(4, *(max(s.required, s.now, s.after) for s in rows))
    label_w = 62.0
    bar_w = pdf.epw - label_w - 4
    row_h = base * 0.52
    x0, y = pdf.l_margin, pdf.get_y()
    pdf.set_font(family, "", base - 1)
    for i, (colour, name) in enumerate(_legend(r)):
        pdf.set_fill_color(*colour)
        pdf.rect(x0 + label_w + i * 34, y + 0.6, 3, 2.2, style="F")
        pdf.set_text_color(27, 42, 51)
        pdf.set_xy(x0 + label_w + i * 34 + 4, y)
        pdf.cell(28, 3.4, name)
    y += 4.4
    pdf.set_draw_color(227, 232, 236)
    for level in range(top + 1):
        x = x0 + label_w + bar_w * level / top
        pdf.line(x, y, x, y + row_h * len(rows))
        pdf.set_xy(x - 3, y + row_h * len(rows) + 0.3)
        pdf.set_text_color(74, 86, 96)
        pdf.cell(6, 3, str(level), align="C")
    for i, s in enumerate(rows):
        ry = y + i * row_h
        pdf.set_font(family, "B" if s.essential else "", base - 1)
        label, cut = clean(s.label), len(s.label)
        while pdf.get_string_width(label) > label_w - 3 and cut > 4:
            cut -= 1
            label = clean(s.label[:cut].rstrip() + "…")
        pdf.set_text_color(27, 42, 51)
        pdf.set_xy(x0, ry)
        pdf.cell(label_w - 2, row_h, label, align="R")
        for j, (value, colour) in enumerate(_series(r, s)):
            if value:
                pdf.set_fill_color(*colour)
                pdf.rect(x0 + label_w, ry + 0.5 + j * row_h * 0.3, bar_w * value / top,
                         row_h * 0.26, style="F")
    pdf.set_y(y + row_h * len(rows) + 4)
    if r.skill_count > len(rows):
        pdf.set_font(family, "", base - 1.5)
        pdf.set_text_color(74, 86, 96)
        pdf.multi_cell(0, (base - 1.5) * 0.5, clean(
            f"{len(rows)} of {r.skill_count} skills, essential gaps first (bold: essential). "
            "Levels 1 basic to 4 expert."), new_x="LMARGIN", new_y="NEXT")


# --------------------------------------------------------------------------- files
def write_report(r: AdvisingReport, path: str | os.PathLike[str]) -> Path:
    """Write the report to ``path``: PDF for ``.pdf``, HTML for ``.html``/``.htm``; atomically
    (a temporary file beside it, then renamed).

    Raises
    ------
    InvalidParameterError
        For another suffix.
    WriteError
        When the file cannot be written (the old one, if any, is left as it was).
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".pdf":
        data = report_pdf(r)
    elif suffix in (".html", ".htm"):
        data = report_html(r).encode("utf-8")
    else:
        raise InvalidParameterError(f"cannot write a report as {target.name}: name the file "
                                    "*.pdf or *.html")
    if target.is_dir():
        raise WriteError(f"cannot write the report {path}: it is a directory; give a file name")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as err:
        if "tmp" in locals():
            Path(tmp).unlink(missing_ok=True)
        raise WriteError(f"cannot write the report {path}: {err.strerror or err}") from err
    return target
