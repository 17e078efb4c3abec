"""The text-to-skills extractor as the command line and the app use it: fitted on ESCO once
and cached on disk (:func:`load_extractor`), and jobs read from a job ad (:func:`job_from_text`).

Fitting :class:`~pathways.skills.text.SkillExtractor` on all of ESCO takes tens of seconds, so
the fitted extractor is pickled in the pathways cache directory (``$PATHWAYS_CACHE_DIR``, else
``~/.cache/pathways``: :func:`pathways.io.esco.default_cache_dir`) under a key that changes with
the ESCO files (names, sizes, modification times), the extractor's parameters, its code and
job-ad model files, and the scikit-learn release (:func:`extractor_cache_key`). The cache is a
pickle written by pathways itself: a stale or broken file is rebuilt, and a cache that cannot be
written only costs time.

A job read from a text asks for every skill the extractor finds in it, each essential at level 1
(a job ad rarely says how well): :func:`job_from_skills` makes the :class:`~pathways.domain.Job`
from the extractor's ``(skill id, label, score)`` triples, :func:`job_from_text` reads them first.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pathways.domain import Job, JobSkill
from pathways.errors import CatalogError, Diagnostic

__all__ = ["extractor_cache_key", "job_from_skills", "job_from_text", "load_extractor"]


#: The code a fitted extractor carries (its pickle holds their objects), beside text.py.
_EXTRACTOR_CODE = ("text.py", "jobad.py", "_tagger.py", "_phrases.py")


def extractor_cache_key(esco_dir: Path, extractor: Any) -> str:
    """The cache key of ``extractor`` fitted on the ESCO files of ``esco_dir``: it changes with
    the files (names, sizes, modification times), the extractor's parameters, the code of
    :mod:`pathways.skills.text` and of its job-ad path, the job-ad model files
    (``pathways/skills/models``) and the scikit-learn release."""
    import sklearn

    from pathways.skills import text

    h = hashlib.sha256()
    for f in sorted(Path(esco_dir).glob("*.zip")):
        st = f.stat()
        h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    h.update(repr(sorted(extractor.get_params().items())).encode())
    here = Path(text.__file__).parent
    for f in [here / name for name in _EXTRACTOR_CODE] + sorted((here / "models").glob("*")):
        if f.is_file():
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    h.update(sklearn.__version__.encode())
    return h.hexdigest()[:20]


def load_extractor(esco_dir: str | os.PathLike[str] | None = None, *, cache: bool = True) -> Any:
    """A :class:`~pathways.skills.text.SkillExtractor` fitted on the ESCO taxonomy.

    Parameters
    ----------
    esco_dir : path, optional
        The folder of the ESCO v1.1.1 zips; default :func:`pathways.io.esco.default_esco_dir`.
    cache : bool, default True
        Reuse (and keep) the fitted extractor pickled in the cache directory while the ESCO
        files, the extractor and scikit-learn stay the same (see the module docstring).

    Raises
    ------
    CatalogError
        When the folder does not exist, or its files cannot be read as ESCO.
    """
    from pathways.io import esco
    from pathways.skills import text

    path = Path(esco_dir) if esco_dir is not None else esco.default_esco_dir()
    if not path.is_dir():
        raise CatalogError(Diagnostic(
            "ESCO data not found: no such folder", file=str(path),
            hint="download ESCO v1.1.1 (CSV, English) and set PATHWAYS_ESCO to the folder of "
                 "its zips"))
    extractor = text.SkillExtractor()
    target = esco.default_cache_dir() / f"extractor-{extractor_cache_key(path, extractor)}.pkl"
    if cache and target.is_file():
        try:
            with target.open("rb") as fh:
                return pickle.load(fh)  # noqa: S301 - our own cache file
        except Exception:  # noqa: BLE001 - a stale or broken cache is rebuilt
            pass
    extractor.fit(esco.load_esco(path))
    if cache:
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with tmp.open("wb") as fh:
                pickle.dump(extractor, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)
        except Exception:  # noqa: BLE001 - a cache that cannot be written only costs time
            tmp.unlink(missing_ok=True)
    return extractor


def job_from_skills(found: Iterable[tuple[str, str, float]], *, job_id: str = "job-ad",
                    title: str = "the job ad", description: str = "") -> Job:
    """A job that requires each skill of ``found`` (the ``(skill id, label, score)`` triples of
    :meth:`SkillExtractor.predict <pathways.skills.text.SkillExtractor.predict>`), essential, at
    level 1, in the order found (a skill found twice counts once).

    >>> job = job_from_skills([("esco:sql", "SQL", 0.9), ("esco:py", "Python", 0.4)],
    ...                       title="a pasted ad")
    >>> job.title, [(s.skill, s.essential, s.level) for s in job.skills]
    ('a pasted ad', [('esco:sql', True, 1), ('esco:py', True, 1)])
    """
    skills = dict.fromkeys(skill for skill, _, _ in found)
    return Job(job_id, title, tuple(JobSkill(skill, 1.0, True, 1) for skill in skills),
               description)


def job_from_text(text: str, extractor: Any, *, job_id: str = "job-ad",
                  title: str = "the job ad") -> Job:
    """The job a text (a job ad) asks for: :func:`job_from_skills` of what ``extractor`` (a
    fitted :class:`~pathways.skills.text.SkillExtractor`, e.g. :func:`load_extractor`) reads in
    it; the text is kept as the job's description.

    >>> class Reader:  # any object with predict() as the extractor's
    ...     def predict(self, texts):
    ...         return [[("esco:sql", "SQL", 0.8)] for _ in texts]
    >>> [s.skill for s in job_from_text("We need SQL.", Reader()).skills]
    ['esco:sql']
    """
    return job_from_skills(extractor.predict([text])[0], job_id=job_id, title=title,
                           description=text)
