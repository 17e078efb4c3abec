"""Open Badges baked into images: the badge text of a PNG ``iTXt`` chunk or an SVG element.

Read with the standard library (PNG chunks, CRCs checked) and :mod:`defusedxml` (SVG), with
decompression capped at :data:`MAX_BADGE_TEXT` bytes; a damaged image or one without a badge is
a :class:`_BadgeProblem` (a :class:`~pathways.errors.CatalogError` from :func:`extract_baked`).
"""

from __future__ import annotations

import struct
import zlib
from typing import Literal
from xml.etree import ElementTree

from pathways.errors import CatalogError, Diagnostic

__all__ = ["MAX_BADGE_TEXT", "Status", "extract_baked"]

#: Compressed badge text (a PNG ``iTXt`` chunk) is decompressed up to this many bytes, never
#: more: a zlib bomb is refused after reading at most this much.
MAX_BADGE_TEXT = 4 * 1024 * 1024

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_KEYWORDS = {"openbadges": "OB 2.0", "openbadgecredential": "OB 3.0"}

#: What became of a badge file (:attr:`BadgeRecord.status <pathways.io.badges.BadgeRecord>`).
#: ``skipped``: a readable credential that is not a badge (an endorsement, another VC).
Status = Literal["valid", "expired", "not-yet-valid", "revoked", "malformed", "unreadable",
                 "skipped"]


class _BadgeProblem(Exception):
    """A badge that cannot be used; ``status`` says why (malformed or unreadable)."""

    def __init__(self, message: str, status: Status = "malformed", version: str | None = None):
        super().__init__(message)
        self.status: Status = status
        self.version = version


def _inflate(data: bytes, key: str) -> bytes:
    """zlib data decompressed, at most :data:`MAX_BADGE_TEXT` bytes of it (streaming: a
    bomb stops after that much, whatever its size)."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_BADGE_TEXT + 1)
    except zlib.error as err:
        raise _BadgeProblem(f"the PNG's {key} chunk does not decompress: {err}") from None
    if len(out) > MAX_BADGE_TEXT:
        raise _BadgeProblem(f"the PNG's {key} chunk decompresses to more than "
                            f"{MAX_BADGE_TEXT:,} bytes (a decompression bomb, or not a badge)")
    if not inflater.eof:
        raise _BadgeProblem(f"the PNG's {key} chunk does not decompress: the data is truncated")
    return out


def _png_text(data: bytes, source: str) -> tuple[str, str]:
    """The Open Badges text of a baked PNG: ``(text, version)``."""
    pos = len(_PNG_SIGNATURE)
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        ctype = data[pos + 4:pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise _BadgeProblem("a truncated PNG (a chunk runs past the end of the file)")
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[end - 4:end])
        if ctype in (b"iTXt", b"tEXt") and zlib.crc32(ctype + body) & 0xFFFFFFFF != crc:
            raise _BadgeProblem(f"a corrupt PNG {ctype.decode()} chunk (CRC mismatch)")
        if ctype == b"iTXt":
            keyword, _, rest = body.partition(b"\0")
            key = keyword.decode("latin-1")
            if key in _PNG_KEYWORDS and len(rest) >= 2:
                compressed, _method = rest[0], rest[1]
                _lang, _, rest = rest[2:].partition(b"\0")
                _translated, _, text = rest.partition(b"\0")
                if compressed:
                    text = _inflate(text, key)
                try:
                    return text.decode("utf-8"), _PNG_KEYWORDS[key]
                except UnicodeDecodeError:
                    raise _BadgeProblem(f"the PNG's {key} chunk is not UTF-8 text") from None
        elif ctype == b"tEXt":
            keyword, _, text = body.partition(b"\0")
            if keyword == b"openbadges":  # Open Badges 1.0 baking: the URL of a hosted assertion
                return text.decode("latin-1"), "OB 1.0"
        elif ctype == b"IEND":
            break
        pos = end
    raise _BadgeProblem("a PNG image without a baked badge (no iTXt chunk with keyword "
                        "openbadges or openbadgecredential)")


def _parse_svg(data: bytes) -> ElementTree.Element:
    """The SVG's XML, parsed by :mod:`defusedxml` (entity declarations, external entities and
    DTD fetching refused by the parser itself, whatever the encoding)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as err:
        raise _BadgeProblem(f"an SVG with XML entity declarations or external references "
                            f"({type(err).__name__}), which pathways refuses to parse") from None
    except ElementTree.ParseError as err:
        raise _BadgeProblem(f"not well-formed XML ({err})") from None


def _svg_text(data: bytes, source: str) -> tuple[str, str]:
    """The Open Badges text of a baked SVG: ``(text, version)``."""
    root = _parse_svg(data)
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
        if local not in ("assertion", "credential"):
            continue
        if "openbadges" not in namespace and "imsglobal" not in namespace:
            continue
        version = "OB 3.0" if local == "credential" else "OB 2.0"
        # The body holds the JSON (in CDATA); ``verify`` a compact JWS or, for a hosted OB 2.0
        # badge, the assertion URL.
        verify = (element.get("verify") or "").strip()
        text = (element.text or "").strip()
        if text:
            return text, version
        if verify:
            return verify, version
        raise _BadgeProblem(f"the SVG's openbadges:{local} element is empty")
    raise _BadgeProblem("an SVG image without a baked badge (no openbadges:assertion or "
                        "openbadges:credential element)")


def extract_baked(data: bytes, *, source: str = "<image>") -> tuple[str, str]:
    """The badge text baked into a PNG or SVG image, and the Open Badges version it implies.

    Parameters
    ----------
    data
        The image bytes.
    source
        The file name, used in messages.

    Returns
    -------
    tuple of (str, str)
        The baked text (JSON, a compact JWS, or for Open Badges 1.0 a URL) and ``"OB 2.0"``,
        ``"OB 3.0"`` or ``"OB 1.0"``.

    Raises
    ------
    CatalogError
        When the image holds no badge or is damaged.

    Examples
    --------
    >>> svg = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges='
    ...        b'"https://purl.imsglobal.org/ob/v3p0"><openbadges:credential>'
    ...        b'<![CDATA[{"id": "x"}]]></openbadges:credential></svg>')
    >>> extract_baked(svg)
    ('{"id": "x"}', 'OB 3.0')
    """
    try:
        if data.startswith(_PNG_SIGNATURE):
            return _png_text(data, source)
        return _svg_text(data, source)
    except _BadgeProblem as problem:
        raise CatalogError(Diagnostic(str(problem), file=source)) from None
