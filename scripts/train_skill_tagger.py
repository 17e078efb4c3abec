"""Train the job-ad model of ``SkillExtractor`` and write it to ``pathways/skills/models/``.

Reads SkillSpan ``train.json`` (never ``dev.json``: dev is kept for the evaluation) and the
ESCO v1.1.1 zips from ``../shared/data`` (see its README), trains the tagger, the
(phrase, skill) scorer, the per-skill priors and the calibration
(:mod:`pathways.skills._train_jobad`), and writes ``jobad.json``, ``jobad.npz`` and
``README.md``. The run is deterministic: running it again on the same data, with the same
library versions and machine, rewrites the same bytes (``--check`` verifies that without
touching the shipped files).

Usage::

    python scripts/train_skill_tagger.py [--data ../shared/data] [--out DIR] [--check]

About ten minutes on two cores.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pathways.io.esco import CLASSIFICATION_ZIP, RELATIONS_ZIP, load_esco
from pathways.skills._train_jobad import (
    Settings,
    load_tagged,
    routing_report,
    train,
)
from pathways.skills.jobad import MODEL_DIR, MODEL_NAME
from pathways.skills.text import SkillExtractor

#: Bump when the model's meaning changes (features, targets, training data).
MODEL_VERSION = "1.0"

ATTRIBUTION = {
    "skillspan": "SkillSpan job postings: Mike Zhang, Kristian Nørgaard Jensen, Sif Dam "
                 "Sonniks and Barbara Plank, 'SkillSpan: Hard and Soft Skill Extraction "
                 "from English Job Postings', NAACL 2022; data under the MIT licence.",
    "esco": "This service uses the ESCO classification of the European Commission.",
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def readme(metadata: dict) -> str:
    cv = metadata["cross_validation"]
    s = metadata["settings"]
    td = metadata["training_data"]
    rp, r = metadata["routing_params"], metadata["routing"]
    excerpts = " / ".join(f"{v:.2f}" for v in r["excerpts_as_ads"].values())

    def para(text: str, indent: str = "") -> str:
        return textwrap.fill(text, width=92, initial_indent=indent,
                             subsequent_indent=" " * len(indent))

    return "\n".join([
        f"# Job-ad model of `SkillExtractor` (version {metadata['version']})",
        "",
        para(f"Files: `{MODEL_NAME}.json` (scorer weights, per-skill priors, calibration, "
             f"settings, metadata) and `{MODEL_NAME}.npz` (the tagger's `float16` weights, "
             f"`(2**{s['bits']}, 5)`). Read by `pathways.skills.jobad.JobAdModel.load`; how "
             "they are used: `pathways/skills/jobad.py`."),
        "",
        "## Training data and attribution",
        "",
        para(f"{ATTRIBUTION['skillspan']} Only `train.json` ({td['postings']} postings, "
             f"{td['gold_spans']} gold spans, sha-256 `{td['sha256'][:16]}...`) is used; "
             "`dev.json` is kept for the evaluation.", "- "),
        para("ESCO v1.1.1 (skills and occupations: candidate labels, reuse levels, "
             f"neighbour scores). {ATTRIBUTION['esco']}", "- "),
        "",
        f"## Quality: {s['n_folds']}-fold cross-validation on the training postings",
        "",
        para(f"Top {s['top_k']}, calibrated score >= 0.15 (the `SkillExtractor` defaults), "
             "evaluation rule of `pathways.skills.evaluate.evaluate_job_ads`:"),
        "",
        "| span recall | skill spans | knowledge spans | precision | extracted |",
        "|---|---|---|---|---|",
        (f"| {cv['span recall']:.4f} | {cv['skill-span recall']:.4f} | "
         f"{cv['knowledge-span recall']:.4f} | {cv['precision']:.4f} | {cv['extracted']} |"),
        "",
        "## Which texts take the job-ad path",
        "",
        para("`SkillExtractor(job_ads=\"auto\")` reads a text as an ad when "
             f"`looks_like_job_ad` says so (`ad_min_words={rp['min_words']}`, "
             f"`ad_long_words={rp['long_words']}`): {r['esco_descriptions_as_ads']} of "
             f"{r['esco_descriptions']} ESCO occupation descriptions and "
             f"{r['postings_as_ads']} of {r['postings']} training postings are ads; of "
             "excerpts of the training postings of 40 / 60 / 100 / 150 words, "
             f"{excerpts}."),
        "",
        "## Rebuild",
        "",
        "    python scripts/train_skill_tagger.py            # rewrites these files",
        "    python scripts/train_skill_tagger.py --check    # rebuilds elsewhere, compares",
        "",
        para("The run is deterministic (seeded folds, L-BFGS, fixed-order serialisation, a "
             "zip archive with fixed timestamps), so the same data and library versions "
             "give the same bytes."),
        "",
    ])


def build(data: Path, out: Path) -> dict:
    t0 = time.perf_counter()
    esco_dir = data / "esco-1.1.1"
    train_path = data / "job-ads-skillspan" / "train.json"
    taxonomy = load_esco(esco_dir, cache=False)
    settings = Settings()
    model, report = train(train_path, taxonomy, settings=settings,
                          log=lambda m: print(f"[{time.perf_counter() - t0:6.1f} s] {m}",
                                              flush=True))
    metadata = {
        "name": MODEL_NAME,
        "version": MODEL_VERSION,
        "built_by": "scripts/train_skill_tagger.py",
        "attribution": ATTRIBUTION,
        "training_data": {
            "file": "job-ads-skillspan/train.json", "sha256": sha256(train_path),
            "postings": report["cv"]["postings"], "gold_spans": report["cv"]["gold spans"],
        },
        "taxonomy": {"source": "ESCO v1.1.1",
                     "sha256": {f: sha256(esco_dir / f) for f in (CLASSIFICATION_ZIP,
                                                                  RELATIONS_ZIP)}},
        "tags": ["O", "B-skill", "I-skill", "B-knowledge", "I-knowledge"],
        "settings": dict(report["settings"]),
        "cross_validation": {k: (round(v, 4) if isinstance(v, float) else v)
                             for k, v in report["cv"].items()},
        "cross_validation_top_k": {k: (round(v, 4) if isinstance(v, float) else v)
                                   for k, v in report["cv_top_k"].items()},
        "pairs": report["pairs"], "positive_pairs": report["positive pairs"],
        "cross_validation_strict_precision": round(report["cv_strict_precision"], 4),
    }
    defaults = SkillExtractor().get_params()
    metadata["routing_params"] = {"min_words": defaults["ad_min_words"],
                                  "long_words": defaults["ad_long_words"]}
    metadata["routing"] = routing_report(taxonomy, load_tagged(train_path),
                                         min_words=defaults["ad_min_words"],
                                         long_words=defaults["ad_long_words"])
    model = type(model)(**{**model.__dict__, "metadata": metadata})
    paths = model.save(out)
    (out / "README.md").write_text(readme(metadata), encoding="utf-8")
    for p in [*paths, out / "README.md"]:
        print(f"wrote {p} ({p.stat().st_size / 1e6:.2f} MB, sha-256 {sha256(p)[:16]})")
    return metadata


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--check", action="store_true",
                        help="rebuild into a temporary folder and compare with --out")
    args = parser.parse_args(argv)
    if not (args.data / "job-ads-skillspan" / "train.json").is_file():
        print(f"SkillSpan train.json not found under {args.data}; pass --data", file=sys.stderr)
        return 2
    if not args.check:
        build(args.data, args.out)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        build(args.data, Path(tmp))
        names = [f"{MODEL_NAME}.json", f"{MODEL_NAME}.npz", "README.md"]
        same = True
        for name in names:
            new, old = Path(tmp) / name, args.out / name
            ok = old.is_file() and sha256(new) == sha256(old)
            same &= ok
            print(f"{name}: {'identical' if ok else 'DIFFERS'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
