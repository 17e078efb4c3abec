"""A catalog sent as bytes (an upload to the app): one YAML file, or a zip archive of a catalog
directory, read in memory with the archive treated as hostile.

What a zip may not do: hold more than :data:`MAX_ZIP_MEMBERS` files or unpack to more than
:data:`MAX_ZIP_BYTES` in all. The sizes the archive declares are not trusted: each member is
decompressed here, streaming (stored or deflate only; encrypted members refused), never past the
size its header declares nor past what is left of the total, and its CRC is checked. Members
whose compressed data overlap (one stream listed many times: a zip bomb) and names used twice
are refused; absolute paths, ``..`` and ``__MACOSX`` are skipped. Every refusal is a
:class:`~pathways.errors.CatalogError` naming the archive and the member.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import PurePosixPath

from pathways.errors import CatalogError, Diagnostic
from pathways.io._report import Document, ValidationReport
from pathways.io._yaml import parse_yaml_bytes
from pathways.io.catalog import catalog_from_data

__all__ = ["MAX_ZIP_BYTES", "MAX_ZIP_MEMBERS", "YAML_SUFFIXES", "archive_members",
           "catalog_from_archive"]

#: Most files a catalog archive may hold.
MAX_ZIP_MEMBERS = 500
#: Most bytes a catalog archive may unpack to, all members together (actually decompressed).
MAX_ZIP_BYTES = 50 * 1024 * 1024
#: Suffixes of the catalog files read from an archive (and of a YAML upload).
YAML_SUFFIXES = (".yaml", ".yml")


def _zip_problem(name: str, message: str, hint: str = "zip the catalog directory again") -> CatalogError:
    return CatalogError(Diagnostic(message, file=name, hint=hint))


def _member_bytes(name: str, data: bytes, info: zipfile.ZipInfo, budget: int) -> bytes:
    """One member's bytes, decompressed here (stored or deflate), streaming: never more than
    the size the archive declares for it, nor more than ``budget`` (what is left of
    :data:`MAX_ZIP_BYTES`); the CRC is checked."""
    shown = info.filename
    if info.flag_bits & 0x1:
        raise _zip_problem(name, f"{shown} is encrypted", "zip the catalog without a password")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _zip_problem(name, f"{shown} uses a compression method pathways does not unpack "
                           f"({info.compress_type})", "zip it with the usual (deflate) compression")
    start, stop = _member_span(name, data, info)
    raw = memoryview(data)[start:stop]
    limit = min(info.file_size, budget)
    if info.compress_type == zipfile.ZIP_STORED:
        out, complete = bytes(raw[:limit + 1]), True
    else:
        inflater = zlib.decompressobj(-15)
        pieces, size, pos = [], 0, 0
        while size <= limit:
            if inflater.unconsumed_tail:
                chunk = inflater.unconsumed_tail
            elif pos < len(raw):
                chunk, pos = raw[pos:pos + 65536], pos + 65536
            else:
                break
            piece = inflater.decompress(chunk, limit + 1 - size)
            pieces.append(piece)
            size += len(piece)
            if inflater.eof:
                break
        out, complete = b"".join(pieces), inflater.eof
    if len(out) > info.file_size:
        raise _zip_problem(name, f"{shown} unpacks to more than it declares "
                           f"({info.file_size:,} bytes): a damaged archive or a zip bomb")
    if len(out) > budget:
        raise _zip_problem(name, f"the archive unpacks to more than {MAX_ZIP_BYTES // 2**20} MB",
                           "zip only the catalog's files")
    if not complete or len(out) != info.file_size or zlib.crc32(out) != info.CRC:
        raise _zip_problem(name, f"cannot unpack {shown}: its data does not match its size or "
                           "checksum")
    return out


def _member_span(name: str, data: bytes, info: zipfile.ZipInfo) -> tuple[int, int]:
    """Where a member's compressed bytes are: after its local header."""
    at = info.header_offset
    header = data[at:at + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise _zip_problem(name, f"cannot unpack {info.filename}: no local header where the "
                           "archive's directory says")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    start = at + 30 + name_len + extra_len
    stop = start + info.compress_size
    if stop > len(data):
        raise _zip_problem(name, f"cannot unpack {info.filename}: it runs past the end of the "
                           "archive")
    return start, stop


def archive_members(name: str, data: bytes, suffixes: tuple[str, ...]) -> dict[str, bytes]:
    """The members of the zip archive ``data`` whose names end in one of ``suffixes``
    (``".json"``...; path in the archive -> bytes), with the checks of :func:`_zip_members`:
    what a hostile archive may not do is refused, whatever its members are."""
    return _zip_members(name, data, suffixes)


def _zip_members(name: str, data: bytes, suffixes: tuple[str, ...] = YAML_SUFFIXES
                 ) -> dict[str, bytes]:
    """The YAML members (or those ending in ``suffixes``) of a zip archive (path -> bytes),
    with size and path checks.

    The sizes the archive declares are not trusted: each member is decompressed here,
    streaming, and the archive is refused as soon as the bytes actually produced pass the size
    its member declares or :data:`MAX_ZIP_BYTES` in all; members whose compressed data overlap
    (one stream listed many times) and names used twice are refused.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        raise CatalogError(Diagnostic("not a zip archive", file=name,
                                      hint="upload a .zip of a catalog directory, or one YAML file")) from err
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > MAX_ZIP_MEMBERS:
        raise CatalogError(Diagnostic(f"the archive holds {len(infos)} files (at most {MAX_ZIP_MEMBERS})",
                                      file=name, hint="zip only the catalog directory"))
    if sum(i.file_size for i in infos) > MAX_ZIP_BYTES:
        raise CatalogError(Diagnostic(f"the archive unpacks to more than {MAX_ZIP_BYTES // 2**20} MB",
                                      file=name, hint="zip only the catalog's files"))
    spans = sorted((_member_span(name, data, i), i.filename) for i in infos)
    for (first, a), (second, b) in zip(spans, spans[1:]):
        if second[0] < first[1]:
            raise _zip_problem(name, f"members {a} and {b} overlap (one compressed stream "
                               "listed twice: a zip bomb)", "zip the catalog directory again")
    members: dict[str, bytes] = {}
    where: dict[str, int] = {}
    left = MAX_ZIP_BYTES
    for number, info in enumerate(infos, 1):
        path = PurePosixPath(info.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or not path.parts or path.parts[0] == "__MACOSX":
            continue
        if path.suffix.lower() not in suffixes or path.name.startswith("."):
            continue
        key = str(path)
        if key in where:
            raise _zip_problem(name, f"{key} is in the archive twice (members {where[key]} and "
                               f"{number}); only one could be read",
                               "remove one of the two copies and zip again")
        where[key] = number
        members[key] = _member_bytes(name, data, info, left)
        left -= len(members[key])
    return members


def catalog_from_archive(name: str, data: bytes) -> tuple[ValidationReport, tuple[Document, ...]]:
    """Validate a catalog sent as the bytes of one file: a YAML file, or a zip archive of a
    catalog directory (an upload: nothing is written to disk).

    In a zip, the catalog is the YAML files of the shallowest folder that holds any; its
    ``learners/`` subfolder, if present, supplies sample learner profiles (not validated here:
    each is a :class:`Document` to give :func:`~pathways.io.learner_from_data`).

    Parameters
    ----------
    name : str
        The file's name (its suffix says which kind it is); messages name the file, and the
        member inside a zip (``catalog.zip:courses.yaml``).
    data : bytes
        The file's bytes, untrusted: see the module docstring for what is refused.

    Returns
    -------
    (ValidationReport, learner documents)

    Raises
    ------
    CatalogError
        With the loader's diagnostics (file names as uploaded, with lines).
    """
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in YAML_SUFFIXES:
        parsed, text = parse_yaml_bytes(data, name)
        return catalog_from_data([Document(name, parsed, text)]), ()
    if suffix != ".zip":
        raise CatalogError(Diagnostic("not a catalog file", file=name,
                                      hint="upload a .yaml catalog file or a .zip of a catalog directory"))
    members = _zip_members(name, data)
    folders = sorted({str(PurePosixPath(p).parent) for p in members},
                     key=lambda f: (0 if f == "." else len(PurePosixPath(f).parts), f))
    if not folders:
        raise CatalogError(Diagnostic("the archive holds no catalog files (*.yaml)", file=name,
                                      hint="zip a directory that contains the catalog's YAML files"))
    root = folders[0]
    docs, learners, errors = [], [], []
    for path in sorted(members):
        parent = str(PurePosixPath(path).parent)
        if parent not in (root, str(PurePosixPath(root) / "learners")):
            continue
        shown = f"{name}:{path}"
        try:
            parsed, text = parse_yaml_bytes(members[path], shown)
        except CatalogError as err:
            errors.extend(err.diagnostics)
            continue
        if parent == root:
            docs.append(Document(shown, parsed, text))
        else:
            learners.append(Document(shown, parsed, text))
    if errors:
        raise CatalogError(errors)
    return catalog_from_data(docs), tuple(learners)
