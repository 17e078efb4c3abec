"""Points 1, 2 and 9 of issue 16 for badge files: only regular files, size-capped; compressed
text capped on what is actually decompressed; nested JSON, NaN, far dates and XML entities give
a clear "malformed"/"unreadable" record, never an internal error."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import struct
import threading
import zlib
from pathlib import Path

import pytest

from pathways.domain import Catalog, Course
from pathways.io.badges import MAX_BADGE_BYTES, MAX_BADGE_TEXT, import_badge_files

from ._bounds import MB, measured

TODAY = dt.date(2026, 6, 1)
CATALOG = Catalog(courses={"PY-1": Course("PY-1", "Python Basics", 20)})


def _assertion(**extra) -> dict:
    return {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
            "id": "https://example.org/a/1", "issuedOn": "2024-05-01",
            "recipient": {"type": "email", "identity": "a@example.org", "hashed": False},
            "verification": {"type": "hosted"},
            "badge": {"type": "BadgeClass", "id": "https://example.org/b/py",
                      "name": "Python basics"}, **extra}


def _import(path: Path, timeout: float = 60.0):
    """import_badge_files in a thread: a read that blocks for ever fails the test instead of
    hanging it."""
    out: list = []
    worker = threading.Thread(target=lambda: out.append(import_badge_files([path], CATALOG,
                                                                           today=TODAY)),
                              daemon=True)
    worker.start()
    worker.join(timeout)
    assert not worker.is_alive(), f"reading {path} blocked for {timeout} s"
    (result,) = out
    (record,) = result.badges
    return record


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png(text_chunk: bytes) -> bytes:
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"iTXt", text_chunk)
            + _chunk(b"IEND", b""))


def _deflate_bomb(size: int) -> bytes:
    """zlib data that inflates to ``size`` bytes of spaces, made without holding them."""
    packer = zlib.compressobj(9)
    block = b" " * (1 << 20)
    parts = [packer.compress(block) for _ in range(size // len(block))]
    return b"".join(parts) + packer.flush()


# --------------------------------------------------------------------------- point 1
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "badge.json"
    os.mkfifo(fifo)
    record = _import(fifo)
    assert record.status == "unreadable" and "FIFO" in record.message, record.message


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_refused_without_reading_it() -> None:
    with measured() as used:
        record = _import(Path("/dev/zero"))
    assert record.status == "unreadable" and "device" in record.message, record.message
    assert used.peak_bytes < 8 * MB


def test_an_oversized_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as fh:  # sparse: no disk used
        fh.truncate(MAX_BADGE_BYTES + 1)
    with measured() as used:
        record = _import(big)
    assert record.status == "unreadable" and "too large" in record.message, record.message
    assert used.peak_bytes < 8 * MB


# --------------------------------------------------------------------------- point 2
def test_a_png_zlib_bomb_is_capped_on_what_is_decompressed(tmp_path: Path) -> None:
    bomb = _deflate_bomb(64 * MB)  # 64 KB that would inflate to 64 MB
    assert len(bomb) < MB
    path = tmp_path / "bomb.png"
    path.write_bytes(_png(b"openbadges\x00\x01\x00\x00\x00" + bomb))
    with measured() as used:
        record = _import(path)
    assert record.status == "malformed" and "decompress" in record.message, record.message
    assert f"{MAX_BADGE_TEXT:,}" in record.message
    assert used.peak_bytes < 4 * MAX_BADGE_TEXT + 4 * MB, used


def test_a_compressed_png_badge_within_the_cap_still_imports(tmp_path: Path) -> None:
    text = json.dumps(_assertion()).encode()
    path = tmp_path / "ok.png"
    path.write_bytes(_png(b"openbadges\x00\x01\x00\x00\x00" + zlib.compress(text)))
    record = _import(path)
    assert record.status == "valid" and record.item_id == "PY-1", record.message


# --------------------------------------------------------------------------- point 9
def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


def _jws(payload: str) -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    header = b64(b'{"alg": "none"}')
    return f"{header}.{b64(payload.encode())}."


@pytest.mark.parametrize("form", ["json", "jws", "png", "svg"])
@pytest.mark.parametrize("depth", [200, 100_000])
def test_deeply_nested_json_is_malformed_not_a_crash(tmp_path: Path, form: str, depth: int) -> None:
    text = '{"badge": ' + _deep(depth) + ', "issuedOn": "2024-01-01"}'
    if form == "json":
        data = text.encode()
    elif form == "jws":
        data = _jws(text).encode()
    elif form == "png":
        data = _png(b"openbadges\x00\x00\x00\x00\x00" + text.encode())
    else:
        data = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
                b"<openbadges:assertion><![CDATA[" + text.encode() + b"]]></openbadges:assertion></svg>")
    path = tmp_path / f"deep.{form}"
    path.write_bytes(data)
    record = _import(path)
    assert record.status in ("malformed", "unreadable"), record.message
    assert "nested" in record.message or "too large" in record.message, record.message


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_nan_and_infinite_numbers_in_badge_json_are_malformed(tmp_path: Path, value: str) -> None:
    text = json.dumps(_assertion()).replace('"2024-05-01"', value)
    path = tmp_path / "nan.json"
    path.write_text(text)
    record = _import(path)
    assert record.status == "malformed", record.message


@pytest.mark.parametrize("issued,expires", [
    ("9999-12-31", None), ("9999-12-31T23:59:59-23:59", None), (253402300800, None),
    (1e300, None), ("0001-01-01", None), ("2024-05-01", "9999-12-31T23:59:59+14:00"),
    ("2024-05-01", 10**20), ("2024-05-01", -(10**12)),
])
def test_dates_out_of_range_are_malformed(tmp_path: Path, issued, expires) -> None:
    data = _assertion(issuedOn=issued)
    if expires is not None:
        data["expires"] = expires
    path = tmp_path / "far.json"
    path.write_text(json.dumps(data))
    record = _import(path)
    assert record.status == "malformed" and "date" in record.message, record.message


def _svg(body: bytes, encoding: str = "utf-8") -> bytes:
    return body.decode().encode(encoding)


ENTITY_BOMB = (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "' + b"x" * 1000 + b'">'
               + b"".join(b'<!ENTITY a%d "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' % i for i in range(1))
               + b']><svg xmlns="http://www.w3.org/2000/svg"><text>&a0;</text></svg>')


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be"])
def test_svg_entities_are_refused_by_the_parser_in_any_encoding(tmp_path: Path, encoding: str) -> None:
    data = ENTITY_BOMB.decode()
    if encoding != "utf-8":  # no BOM, no encoding declaration: the parser detects it
        data = data.replace('<?xml version="1.0"?>', "")
    path = tmp_path / "bomb.svg"
    path.write_bytes(data.encode(encoding))
    with measured() as used:
        record = _import(path)
    assert record.status in ("malformed", "unreadable"), record.message
    assert used.peak_bytes < 16 * MB


def test_svg_with_a_doctype_but_no_entities_still_reads(tmp_path: Path) -> None:
    text = json.dumps(_assertion())
    svg = ('<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
           '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
           '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
           f"<openbadges:assertion><![CDATA[{text}]]></openbadges:assertion></svg>")
    path = tmp_path / "ok.svg"
    path.write_text(svg)
    record = _import(path)
    assert record.status == "valid" and record.item_id == "PY-1", record.message
