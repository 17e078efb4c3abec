"""Points 2 and 7 of issue 16 for the app's zip uploads (catalogs read by
:func:`pathways.io.catalog_from_archive`, CTDL zips by the same reader): what is actually decompressed is capped (streaming),
overlapping members are refused, a member name used twice is an error."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest

import pathways.io.archive as archive
from pathways.errors import CatalogError
from pathways.io import catalog_from_archive

from ._bounds import MB, measured

ui_state = pytest.importorskip("ui.state")

COURSES = b"courses:\n  - {id: A, title: One, hours: 2}\n"


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def _lie_about_sizes(data: bytes, size: int) -> bytes:
    """Every member declares ``size`` bytes (with the CRC of its first ``size`` bytes of
    spaces), whatever it holds."""
    out = bytearray(data)
    crc = zlib.crc32(b" " * size)
    for signature, crc_at, size_at in ((b"PK\x03\x04", 14, 22), (b"PK\x01\x02", 16, 24)):
        pos = out.find(signature)
        while pos >= 0:
            struct.pack_into("<I", out, pos + crc_at, crc)
            struct.pack_into("<I", out, pos + size_at, size)
            pos = out.find(signature, pos + 4)
    return bytes(out)


def test_sizes_the_archive_declares_are_not_trusted() -> None:
    bomb = _lie_about_sizes(_zip([("c.yaml", b" " * (256 * MB))]), 248)
    assert len(bomb) < 2 * MB
    with measured() as used:
        with pytest.raises(CatalogError) as info:
            catalog_from_archive("bomb.zip", bomb)
    assert "bomb.zip" in str(info.value) and "more than it declares" in str(info.value)
    assert used.peak_bytes < 64 * MB, used
    assert used.seconds < 30, used


def test_a_ctdl_zip_is_held_to_the_same_caps() -> None:
    from pathways.io.ctdl import catalog_from_ctdl_bytes

    bomb = _lie_about_sizes(_zip([("graph.json", b" " * (256 * MB))]), 248)
    with measured() as used:
        with pytest.raises(CatalogError) as info:
            catalog_from_ctdl_bytes([("registry.zip", bomb)])
    assert "registry.zip" in str(info.value) and "more than it declares" in str(info.value)
    assert used.peak_bytes < 64 * MB, used


def test_the_total_actually_decompressed_is_capped(monkeypatch) -> None:
    monkeypatch.setattr(archive, "MAX_ZIP_BYTES", 1 * MB)
    members = [(f"c{i}.yaml", COURSES + b"#" + b" " * (300 * 1024) + b"\n") for i in range(5)]
    with pytest.raises(CatalogError) as info:
        catalog_from_archive("big.zip", _zip(members))
    assert "unpacks to more than" in str(info.value), str(info.value)


def _overlapping(copies: int) -> bytes:
    """``copies`` central-directory entries that all point at one compressed member."""
    one = _zip([("a.yaml", COURSES)])
    local_end = one.find(b"PK\x01\x02")
    central_end = one.find(b"PK\x05\x06")
    central = one[local_end:central_end]
    body = one[:local_end]
    cds = []
    for i in range(copies):
        name = f"{i:02d}.yaml".encode()
        entry = bytearray(central)
        name_len = struct.unpack_from("<H", entry, 28)[0]
        entry[46:46 + name_len] = name
        struct.pack_into("<H", entry, 28, len(name))
        cds.append(bytes(entry))
    cd = b"".join(cds)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, copies, copies, len(cd), len(body), 0)
    return body + cd + end


def test_members_sharing_one_compressed_stream_are_refused() -> None:
    data = _overlapping(10)
    assert len(zipfile.ZipFile(io.BytesIO(data)).infolist()) == 10  # a valid-looking archive
    with pytest.raises(CatalogError) as info:
        catalog_from_archive("shared.zip", data)
    assert "overlap" in str(info.value), str(info.value)


def test_a_member_name_used_twice_is_an_error_naming_both() -> None:
    with pytest.warns(UserWarning, match="Duplicate name"):
        data = _zip([("cat/a.yaml", COURSES), ("cat/b.yaml", COURSES.replace(b"A", b"B")),
                     ("cat/a.yaml", COURSES.replace(b"A", b"C"))])
    with pytest.raises(CatalogError) as info:
        catalog_from_archive("dup.zip", data)
    message = str(info.value)
    assert "cat/a.yaml" in message and "twice" in message and "1" in message and "3" in message, message


def test_a_normal_zip_still_loads() -> None:
    report, learners = ui_state.parse_catalog_upload(
        "ok.zip", _zip([("cat/a.yaml", COURSES), ("cat/learners/me.yaml", b"learner: {id: me}\n")]))
    assert list(report.catalog.courses) == ["A"] and [s.label for s in learners] == ["me"]
