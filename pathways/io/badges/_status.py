"""Revocation and status lists a user downloaded, applied to badges offline.

A badge's ``credentialStatus`` (VC status lists: ``BitstringStatusListEntry``,
``StatusList2021Entry``, ``RevocationList2020Status``) names a list at a URL and the badge's
index in it; an Open Badges 2.0 issuer names a ``revocationList``. pathways never fetches
them: a badge is reported "revocation not checked offline: status list at URL" unless the
user gives the list's file (:meth:`RevocationLists.from_files`), which is then applied:

- a status list credential (``BitstringStatusListCredential``, ``StatusList2021Credential``,
  ``RevocationList2020Credential``; JSON or a VC-JWT): its ``credentialSubject.encodedList``
  (GZIP, base64url, with or without the multibase ``u``) is the bitstring; bit ``i`` (the
  left-most bit of the first byte is 0) set means the badge at index ``i`` is revoked
  (or suspended, by the list's ``statusPurpose``);
- an OB 2.0 ``RevocationList``: ``revokedAssertions``, ids or ``{id, revocationReason}``.

The list's ``id`` must equal the URL the badge names. Decompression stops at
:data:`MAX_STATUS_BYTES`.
"""

from __future__ import annotations

import base64
import binascii
import os
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pathways.errors import CatalogError, Diagnostic
from pathways.io._jsonld import JSONProblem, load_json
from pathways.io._yaml import read_regular_file

__all__ = ["MAX_STATUS_BYTES", "RevocationLists", "StatusCheck"]

#: A status list's bitstring is decompressed up to this many bytes (131 million entries).
MAX_STATUS_BYTES = 16 * 1024 * 1024
_LIST_TYPES = {"BitstringStatusListCredential", "StatusList2021Credential",
               "RevocationList2020Credential"}


@dataclass(frozen=True)
class StatusCheck:
    """What a badge's status entry says: ``state`` is ``revoked``, ``suspended``, ``valid``
    or ``not checked`` (the list was not given), with the list's URL."""

    state: str
    url: str
    reason: str = ""


def _types(value: Any) -> set[str]:
    return {t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)}


def _bits(encoded: str, where: str) -> bytes:
    text = encoded.strip()
    if text.startswith("u"):  # multibase base64url (Bitstring Status List v1.0)
        text = text[1:]
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise CatalogError(Diagnostic("the status list's encodedList is not base64url", file=where,
                                      hint="give the status list credential as downloaded")) from None
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(raw, MAX_STATUS_BYTES + 1)
    except zlib.error as err:
        raise CatalogError(Diagnostic(f"the status list's encodedList does not decompress ({err})",
                                      file=where, hint="give the status list credential as "
                                                       "downloaded")) from None
    if len(out) > MAX_STATUS_BYTES or not inflater.eof:
        raise CatalogError(Diagnostic(f"the status list decompresses to more than "
                                      f"{MAX_STATUS_BYTES:,} bytes, or is truncated", file=where,
                                      hint="give the status list credential as downloaded"))
    return out


def _payload(text: str) -> Any:
    stripped = text.strip()
    if stripped.count(".") == 2 and not stripped.startswith(("{", "[")):
        part = stripped.split(".")[1]
        try:
            stripped = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode("utf-8")
        except (binascii.Error, ValueError, UnicodeDecodeError):
            return None
    data = load_json(stripped)
    if isinstance(data, dict) and isinstance(data.get("vc"), dict):
        data = data["vc"]
    return data


@dataclass
class RevocationLists:
    """Status and revocation lists by URL (see the module docstring)."""

    bitstrings: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # url -> (bits, purpose)
    revoked_ids: dict[str, dict[str, str]] = field(default_factory=dict)  # url -> id -> reason

    @classmethod
    def from_files(cls, paths: Iterable[str | os.PathLike[str]]) -> RevocationLists:
        """Read downloaded lists (regular files, at most 20 MB each).

        Raises
        ------
        CatalogError
            When a file is not a status list credential or an OB 2.0 revocation list.
        """
        out = cls()
        for path in paths:
            where = str(path)
            raw = read_regular_file(path, limit=20 * 1024 * 1024)
            out.add(raw, where)
        return out

    def add(self, raw: bytes, where: str) -> None:
        """Add one list from its bytes (``where`` names it in messages)."""
        try:
            data = _payload(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, JSONProblem) as err:
            raise CatalogError(Diagnostic(f"not a status or revocation list: not JSON ({err})",
                                          file=where, hint="give the list's JSON as downloaded")) from None
        if not isinstance(data, dict):
            raise CatalogError(Diagnostic("not a status or revocation list", file=where,
                                          hint="give the list's JSON as downloaded"))
        types = _types(data.get("type")) | _types(data.get("@type"))
        ident = data.get("id")
        if types & _LIST_TYPES:
            subject = data.get("credentialSubject")
            subject = subject[0] if isinstance(subject, list) and subject else subject
            encoded = subject.get("encodedList") if isinstance(subject, dict) else None
            if not isinstance(ident, str) or not isinstance(encoded, str):
                raise CatalogError(Diagnostic("a status list credential without its id or "
                                              "credentialSubject.encodedList", file=where,
                                              hint="give the list's JSON as downloaded"))
            purpose = str(subject.get("statusPurpose") or "revocation")
            self.bitstrings[ident] = (_bits(encoded, where), purpose)
            return
        if "RevocationList" in types and isinstance(ident, str):
            revoked: dict[str, str] = {}
            for entry in data.get("revokedAssertions") or []:
                if isinstance(entry, str):
                    revoked[entry] = "no reason given"
                elif isinstance(entry, dict):
                    key = entry.get("id") or entry.get("uid")
                    if isinstance(key, str):
                        revoked[key] = str(entry.get("revocationReason") or "no reason given")
            self.revoked_ids[ident] = revoked
            return
        raise CatalogError(Diagnostic(
            "not a status or revocation list (no BitstringStatusListCredential, "
            "StatusList2021Credential or RevocationList type)", file=where,
            hint="give the status list credential, or the OB 2.0 revocation list, as downloaded"))

    def check(self, url: str, index: int | None, purpose: str, credential_id: str | None
              ) -> StatusCheck:
        """What the list at ``url`` says of the badge (``not checked`` when it was not given)."""
        if url in self.bitstrings and index is not None:
            bits, list_purpose = self.bitstrings[url]
            if index // 8 >= len(bits):
                return StatusCheck("not checked", url, f"index {index} is past the list's end")
            set_ = bits[index // 8] >> (7 - index % 8) & 1
            if not set_:
                return StatusCheck("valid", url)
            state = "suspended" if (list_purpose or purpose) == "suspension" else "revoked"
            return StatusCheck(state, url, f"{state} in the status list (index {index})")
        if url in self.revoked_ids:
            reason = self.revoked_ids[url].get(credential_id or "")
            return StatusCheck("revoked", url, reason) if reason else StatusCheck("valid", url)
        return StatusCheck("not checked", url)

