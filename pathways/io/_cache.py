"""The on-disk cache of parsed taxonomies, shared by :mod:`pathways.io.esco` and
:mod:`pathways.io.onet` (and the fitted text-to-skills extractor's folder).

Reading the ESCO or O*NET downloads takes seconds to tens of seconds; the first load pickles the
taxonomy into :func:`default_cache_dir` (``cache_dir=``, else ``$PATHWAYS_CACHE_DIR``, else
``~/.cache/pathways``), named by the SHA-256 of the input files' bytes and
:data:`CACHE_FORMAT_VERSION`; a changed input file gives a new key, so a stale cache is never
read. Files are written atomically (a temporary file in the same directory, then
``os.replace``). The cache is a pickle: only point the cache at a directory you trust. An
unreadable or corrupt cache file is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from pathways.taxonomy import Taxonomy

__all__ = ["CACHE_FORMAT_VERSION", "cached_taxonomy", "default_cache_dir"]

log = logging.getLogger(__name__)

#: Bump when the pickled structure or the mapping changes: old cache files are then ignored.
CACHE_FORMAT_VERSION = 1

_HASH_CHUNK = 1 << 20


def default_cache_dir() -> Path:
    """``$PATHWAYS_CACHE_DIR`` if set, else ``~/.cache/pathways``."""
    env = os.environ.get("PATHWAYS_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "pathways"


def _digest(files: Sequence[Path], salt: str) -> str:
    """SHA-256 over ``salt`` and every file's name and full contents."""
    h = hashlib.sha256(salt.encode())
    for f in files:
        h.update(f.name.encode() + b"\0")
        with open(f, "rb") as fh:
            while chunk := fh.read(_HASH_CHUNK):
                h.update(chunk)
        h.update(b"\0")
    return h.hexdigest()


def _atomic_write_bytes(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cached_taxonomy(
    kind: str,
    files: Sequence[Path],
    build: Callable[[], Taxonomy],
    *,
    cache: bool,
    cache_dir: str | os.PathLike[str] | None,
    options: str = "",
) -> Taxonomy:
    """Load ``kind``'s taxonomy from the cache when its key matches, else ``build()`` and store.

    The key is the SHA-256 of the input ``files``, :data:`CACHE_FORMAT_VERSION` and
    ``options`` (loader arguments that change the result). Cache problems never fail a load:
    they are logged and the taxonomy is built from the files.
    """
    if not cache:
        return build()
    key = _digest(files, f"pathways-{kind}-cache-v{CACHE_FORMAT_VERSION}|{options}")
    directory = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    path = directory / f"{kind}-{key[:32]}.pickle"
    try:
        with open(path, "rb") as fh:
            payload = pickle.load(fh)
        if (
            isinstance(payload, dict)
            and payload.get("key") == key
            and isinstance(payload.get("taxonomy"), Taxonomy)
        ):
            log.debug("taxonomy cache hit: %s", path)
            return payload["taxonomy"]
        log.info("ignoring a taxonomy cache file with another key: %s", path)
    except FileNotFoundError:
        pass
    except Exception as err:  # noqa: BLE001 - a corrupt or foreign file is rebuilt
        log.info("ignoring unreadable taxonomy cache %s: %s", path, err)
    taxonomy = build()
    try:
        data = pickle.dumps({"key": key, "taxonomy": taxonomy}, protocol=pickle.HIGHEST_PROTOCOL)
        _atomic_write_bytes(path, data)
    except OSError as err:
        log.info("could not write the taxonomy cache %s: %s", path, err)
    return taxonomy
