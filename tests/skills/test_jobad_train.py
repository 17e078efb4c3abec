"""Training the job-ad model (pathways.skills._train_jobad) on a tiny SkillSpan-format file:
tags land on the right tokens, the run is deterministic to the byte, the model serves."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pathways.domain import Skill
from pathways.skills import SkillExtractor
from pathways.skills._tagger import TAGS
from pathways.skills._train_jobad import (
    Settings,
    core_words,
    fit_isotonic,
    load_tagged,
    train,
)
from pathways.skills.jobad import JobAdModel
from pathways.taxonomy import Taxonomy

from .test_text import _tiny

SENTENCES = [
    (["We", "need", "Python", "and", "SQL", "skills", "."],
     ["O"] * 7, ["O", "O", "B", "O", "B", "O", "O"]),
    (["You", "will", "bake", "fresh", "bread", "daily", "."],
     ["O", "O", "B", "I", "I", "O", "O"], ["O"] * 7),
    (["Use", "Git", "and", "knead", "dough", "by", "hand"],
     ["O", "O", "O", "B", "I", "I", "I"], ["O", "B", "O", "O", "O", "O", "O"]),
    (["Our", "office", "is", "in", "Leeds", "."], ["O"] * 6, ["O"] * 6),
    (["Knowledge", "of", "food", "hygiene", "is", "a", "plus"],
     ["O"] * 7, ["O", "O", "B", "I", "O", "O", "O"]),
]


def _write(path: Path, n_postings: int = 8) -> Path:
    rows = []
    for idx in range(n_postings):
        for k in range(len(SENTENCES)):
            tokens, skill, know = SENTENCES[(idx + k) % len(SENTENCES)]
            rows.append({"idx": idx, "tokens": tokens, "tags_skill": skill,
                         "tags_knowledge": know, "source": "tech" if idx % 2 else "house"})
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_tags_move_onto_our_tokens(tmp_path: Path) -> None:
    rows = [{"idx": 0, "tokens": ["Strong", "C++/Java", "skills"], "tags_skill": ["O"] * 3,
             "tags_knowledge": ["O", "B", "O"], "source": "tech"}]
    path = tmp_path / "one.json"
    path.write_text(json.dumps(rows[0]) + "\n", encoding="utf-8")
    (posting,) = load_tagged(path)
    words = [t.text for t in posting.tokens]
    assert words == ["Strong", "C++", "/", "Java", "skills"]
    # a SkillSpan token split in three: its first part keeps B, the rest continue it (I)
    assert [TAGS[t] for t in posting.tags] == ["O", "B-knowledge", "I-knowledge",
                                               "I-knowledge", "O"]
    assert [(k, posting.text[a:b]) for k, a, b in posting.gold] == [("knowledge", "C++/Java")]


def test_core_words_and_isotonic() -> None:
    assert core_words("Python (computer programming)") == {"python"}
    assert core_words("use spreadsheets software") == {"use", "spreadsheets", "software"}
    x, y = fit_isotonic(np.array([0.1, 0.2, 0.8, 0.9]), np.array([0, 1, 0, 1]))
    assert x[0] == 0.0 and x[-1] == 1.0 and (np.diff(y) >= 0).all()
    assert np.interp(0.95, x, y) >= np.interp(0.15, x, y)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_training_is_deterministic_and_the_model_serves(tmp_path: Path) -> None:
    data = _write(tmp_path / "train.json")
    base = _tiny()
    # a skill that shares a word with a gold span without meaning it: a strict negative
    snakes = Skill("snakes", "handle python snakes", ("care for pythons",))
    tiny = Taxonomy({**base.skills, "snakes": snakes}, base.jobs, source="tiny")
    settings = Settings(bits=10, n_folds=2, top_k=5, boost=2.0, per_phrase=10,
                        context_rank=0.0)
    paths = []
    for run in ("a", "b"):
        model, report = train(data, tiny, settings=settings, log=lambda _: None)
        paths.append(model.save(tmp_path / run))
        assert 0.0 <= report["cv"]["span recall"] <= 1.0
        assert report["cv"]["postings"] == 8
    assert [p.read_bytes() for p in paths[0]] == [p.read_bytes() for p in paths[1]]
    loaded = JobAdModel.load(tmp_path / "a")
    assert loaded.tagger.bits == 10 and loaded.tagger.weights.shape == (1024, 5)
    ext = SkillExtractor(job_ads="always", model_dir=str(tmp_path / "a"),
                         threshold=0.0).fit(tiny)
    text = "We need Python and SQL skills.\nYou will bake fresh bread daily."
    (found,) = ext.extract([text])
    assert {r.skill_id for r in found} <= set(tiny.skills)
    assert all(text[r.start:r.end] == r.evidence for r in found)
