"""Where CTDL comes from: files, directories of files, uploaded bytes, and the Credential
Registry's envelopes around the JSON-LD (``decoded_resource``, or only the signed ``resource``)."""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pathways.errors import CatalogError, Diagnostic
from pathways.io._jsonld import JSONProblem, load_json
from pathways.io._yaml import read_regular_file
from pathways.io.ctdl._terms import MAX_CTDL_DEPTH

__all__ = ["CTDL_SUFFIXES", "MAX_CTDL_FILES", "documents_from_bytes", "documents_from_paths",
           "parse_ctdl_bytes", "unwrap"]

#: Suffixes of the files read from a directory given to ``ctdl import``.
CTDL_SUFFIXES = (".json", ".jsonld")
#: Most files one import reads (directories included).
MAX_CTDL_FILES = 10_000
#: Most bytes one import reads, all files together.
MAX_CTDL_BYTES = 512 * 1024 * 1024


def parse_ctdl_bytes(raw: bytes, name: str) -> Any:
    """Parse the bytes of a CTDL JSON-LD file (UTF-8, bounded nesting, no duplicate keys).

    Raises
    ------
    CatalogError
        When the bytes are not UTF-8 JSON (the message names ``name`` and the line).
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CatalogError(Diagnostic(f"not UTF-8 text ({err.reason} at byte {err.start})",
                                      file=name, hint="save the file as UTF-8")) from err
    try:
        return load_json(text, max_depth=MAX_CTDL_DEPTH)
    except JSONProblem as err:
        message = (f"not valid JSON: {err.reason} (column {err.column})" if err.reason
                   else str(err))
        raise CatalogError(Diagnostic(message, file=name, line=err.line,
                                      hint="CTDL is JSON-LD: check commas and brackets; nest "
                                           "objects a few levels, not hundreds")) from err


def _files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in CTDL_SUFFIXES
                           and not any(part.startswith(".") for part in p.relative_to(path).parts)
                           and p.is_file())
            if not found:
                raise CatalogError(Diagnostic("the directory holds no CTDL files (*.json, *.jsonld)",
                                              file=str(path), hint="give the JSON-LD files or "
                                                                   "their directory"))
            out.extend(found)
        else:
            out.append(path)
        if len(out) > MAX_CTDL_FILES:
            raise CatalogError(Diagnostic(f"more than {MAX_CTDL_FILES:,} files to import",
                                          file=str(path), hint="import a smaller set of files"))
    return out


def _unzipped(name: str, raw: bytes) -> list[tuple[str, bytes]]:
    """A file's ``(name, bytes)``; for a ``.zip``, those of its ``*.json`` / ``*.jsonld``
    members, in name order, each named ``archive.zip:path/in/it.json`` (the archive treated as
    hostile: :func:`pathways.io.archive.archive_members`)."""
    if not name.lower().endswith(".zip"):
        return [(name, raw)]
    from pathways.io.archive import archive_members

    members = archive_members(name, raw, CTDL_SUFFIXES)
    if not members:
        raise CatalogError(Diagnostic("the archive holds no CTDL files (*.json, *.jsonld)",
                                      file=name, hint="zip the folder of JSON-LD files"))
    return [(f"{name}:{path}", members[path]) for path in sorted(members)]


def documents_from_paths(paths: Iterable[str | os.PathLike[str]]) -> list[tuple[str, Any]]:
    """``(name, parsed JSON)`` of every file in ``paths`` (files, zip archives of them, and
    the ``*.json`` / ``*.jsonld`` files of directories, recursively, in name order); regular
    files only.

    Raises
    ------
    CatalogError
        When a file cannot be read or parsed; every such file is named, in one error.
    """
    docs, problems, total = [], [], 0
    for path in _files(paths):
        try:
            for shown, raw in _unzipped(str(path), read_regular_file(path)):
                total += len(raw)
                if total > MAX_CTDL_BYTES:
                    raise CatalogError(Diagnostic(f"the files total more than {MAX_CTDL_BYTES // 2**20} MB",
                                                  file=shown, hint="import fewer files at once"))
                try:
                    docs.append((shown, parse_ctdl_bytes(raw, shown)))
                except CatalogError as err:
                    problems.extend(err.diagnostics)
        except CatalogError as err:
            problems.extend(err.diagnostics)
    if problems:
        raise CatalogError(problems)
    return docs


def documents_from_bytes(files: Iterable[tuple[str, bytes]]) -> list[tuple[str, Any]]:
    """``(name, parsed JSON)`` of uploaded files (``(name, bytes)`` pairs; a ``.zip`` is
    read as its JSON-LD members), as :func:`documents_from_paths` reads files."""
    docs: list[tuple[str, Any]] = []
    problems: list[Diagnostic] = []
    total = count = 0
    for upload, data in files:
        try:
            unpacked = _unzipped(upload, data)
        except CatalogError as err:
            problems.extend(err.diagnostics)
            continue
        for name, raw in unpacked:
            count += 1
            total += len(raw)
            if count > MAX_CTDL_FILES or total > MAX_CTDL_BYTES:
                raise CatalogError(Diagnostic("too many files or bytes to import at once",
                                              file=name, hint="import fewer files at once"))
            try:
                docs.append((name, parse_ctdl_bytes(raw, name)))
            except CatalogError as err:
                problems.extend(err.diagnostics)
    if problems:
        raise CatalogError(problems)
    return docs


def _jwt_payload(token: str) -> Any:
    """The payload of a compact JWS, **without** checking its signature."""
    try:
        part = token.split(".")[1]
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        return load_json(raw, max_depth=MAX_CTDL_DEPTH)
    except (IndexError, ValueError, binascii.Error, JSONProblem):
        return None


def unwrap(data: Any, name: str, messages: list[str]) -> list[Any]:
    """The JSON-LD documents inside ``data``: the document itself, or the resources of
    Credential Registry envelopes (``decoded_resource``; else the payload of the signed
    ``resource``, whose signature is not checked), of a list of envelopes, or of a search
    result (``{"data": [...]}``)."""
    if isinstance(data, list) and data and all(isinstance(d, dict) and _is_envelope(d) for d in data):
        return [doc for d in data for doc in unwrap(d, name, messages)]
    if isinstance(data, dict) and not any(k.startswith("@") for k in data) \
            and isinstance(data.get("data"), list):
        return [doc for d in data["data"] for doc in unwrap(d, name, messages)]
    if isinstance(data, dict) and _is_envelope(data):
        decoded = data.get("decoded_resource")
        if isinstance(decoded, (dict, list)):
            return [decoded]
        token = data.get("resource")
        payload = _jwt_payload(token) if isinstance(token, str) else None
        if isinstance(payload, dict):
            messages.append(f"{name}: envelope {data.get('envelope_id') or ''} read from its signed "
                            "resource (the signature is not checked)")
            inner = payload.get("decoded_resource", payload)
            return [inner]
        messages.append(f"{name}: an envelope without a readable resource "
                        f"({data.get('envelope_id') or 'no envelope_id'}); skipped")
        return []
    return [data]


def _is_envelope(data: dict[str, Any]) -> bool:
    return "decoded_resource" in data or ("envelope_type" in data and "resource" in data) \
        or "envelope_ceterms_ctid" in data or "envelope_id" in data and "resource" in data
