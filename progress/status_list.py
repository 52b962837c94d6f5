"""Revocation anyone can check: the W3C Bitstring Status List v1.0 (a W3C Recommendation).

Each credential carries a `BitstringStatusListEntry` (purpose `revocation`, its index as a base-10
string, the list's URL). The list is itself a credential, `BitstringStatusListCredential`, whose
subject (`BitstringStatusList`) holds `encodedList`: the multibase base64url (prefix `u`, no padding)
of the GZIP-compressed bitstring, at least 131,072 bits, index 0 the left-most (most significant)
bit of the first byte. A set bit means revoked.
"""

from __future__ import annotations

import base64
import gzip
import secrets
from datetime import UTC, datetime

MIN_BITS = 131_072  # the specification's minimum: 16 KB of one-bit entries
PURPOSE = "revocation"
ENTRY_TYPE = "BitstringStatusListEntry"
LIST_CREDENTIAL_TYPE = "BitstringStatusListCredential"
LIST_TYPE = "BitstringStatusList"
TTL_SECONDS = 300  # how long a verifier may cache the list (the `ttl` claim and Cache-Control agree)
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"


class StatusUnavailable(Exception):
    """Revocation could not be checked; the message says why."""


def empty_bitstring(bits: int = MIN_BITS) -> bytes:
    return bytes(bits // 8)


def random_index(bits: int = MIN_BITS) -> int:
    """An unguessable position, so an index says nothing about when or in what order it was issued."""
    return secrets.randbelow(bits)


def with_bit_set(bitstring: bytes, index: int) -> bytes:
    data = bytearray(bitstring)
    data[index // 8] |= 0x80 >> (index % 8)
    return bytes(data)


def bit_is_set(bitstring: bytes, index: int) -> bool:
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def encode_list(bitstring: bytes) -> str:
    # mtime=0 keeps the encoding (and so the signed list) identical for identical bits.
    compressed = gzip.compress(bitstring, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode()


def decode_list(encoded: str) -> bytes:
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise StatusUnavailable("the status list's encodedList is not multibase base64url (it must start with 'u')")
    body = encoded[1:]
    try:
        compressed = base64.b64decode(body + "=" * (-len(body) % 4), altchars=b"-_", validate=True)
        bitstring = gzip.decompress(compressed)
    except (ValueError, OSError, EOFError) as exc:
        raise StatusUnavailable(f"the status list's encodedList cannot be decoded ({exc})") from exc
    if len(bitstring) * 8 < MIN_BITS:
        raise StatusUnavailable(f"the status list holds {len(bitstring) * 8} bits, fewer than the {MIN_BITS} required")
    return bitstring


def entry(*, list_url: str, index: int) -> dict:
    """The `credentialStatus` of a credential whose revocation bit is `index` of the list at `list_url`."""
    return {
        "id": f"{list_url}#{index}",
        "type": ENTRY_TYPE,
        "statusPurpose": PURPOSE,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def list_credential(*, list_url: str, issuer: dict, bitstring: bytes, valid_from: datetime) -> dict:
    """The unsigned BitstringStatusListCredential for one list."""
    return {
        "@context": [VC_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", LIST_CREDENTIAL_TYPE],
        "issuer": issuer,
        "validFrom": _iso(valid_from),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": LIST_TYPE,
            "statusPurpose": PURPOSE,
            "encodedList": encode_list(bitstring),
            "ttl": TTL_SECONDS * 1000,
        },
    }


def revocation_entry_of(claims: dict) -> dict | None:
    """The credential's revocation entry, if it has one (credentialStatus may be one object or a list)."""
    status = claims.get("credentialStatus")
    entries = status if isinstance(status, list) else [status] if status else []
    for item in entries:
        if isinstance(item, dict) and item.get("type") == ENTRY_TYPE and item.get("statusPurpose") == PURPOSE:
            return item
    return None


def is_revoked(status_entry: dict, list_claims: dict, *, now: datetime | None = None) -> bool:
    """Apply the specification's validation algorithm to an already signature-checked list credential."""
    types = list_claims.get("type") or []
    if LIST_CREDENTIAL_TYPE not in types:
        raise StatusUnavailable(f"the status list is not a {LIST_CREDENTIAL_TYPE}")
    url = status_entry.get("statusListCredential")
    if list_claims.get("id") and list_claims["id"] != url:
        raise StatusUnavailable(f"the status list given is {list_claims['id']}, not {url}")
    subject = list_claims.get("credentialSubject") or {}
    if subject.get("type") != LIST_TYPE:
        raise StatusUnavailable(f"the status list's subject is not a {LIST_TYPE}")
    purposes = subject.get("statusPurpose")
    purposes = purposes if isinstance(purposes, list) else [purposes]
    if status_entry.get("statusPurpose") not in purposes:
        raise StatusUnavailable(f"the status list is not for {status_entry.get('statusPurpose')!r}")
    valid_until = list_claims.get("validUntil")
    if valid_until and datetime.fromisoformat(valid_until.replace("Z", "+00:00")) < (now or datetime.now(UTC)):
        raise StatusUnavailable(f"the status list expired at {valid_until}")
    raw_index = status_entry.get("statusListIndex", "")
    if not (isinstance(raw_index, str) and raw_index.isdigit()):
        raise StatusUnavailable(f"the credential's statusListIndex {raw_index!r} is not a base-10 integer string")
    index = int(raw_index)
    bitstring = decode_list(subject.get("encodedList"))
    if index >= len(bitstring) * 8:
        raise StatusUnavailable(f"index {index} is outside the status list ({len(bitstring) * 8} entries)")
    return bit_is_set(bitstring, index)
