"""The Ed25519 keys that sign credentials: one active key (it signs), and retired keys kept only to
verify what they signed. Keys live in PEM files or the environment, never in the database.

- active: CERTIFICATE_SIGNING_KEY (a PEM) or the file CERTIFICATE_SIGNING_KEY_FILE;
- retired: every *.pem in CERTIFICATE_RETIRED_KEYS_DIR (public keys) and the PEMs in
  CERTIFICATE_RETIRED_KEYS (one or more public keys, for deployments configured by environment).
"""

from __future__ import annotations

import base64
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from hashlib import sha256
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FIX_COMMAND = "python manage.py generate_signing_key"
_PEM_BLOCK = re.compile(r"-----BEGIN [A-Z ]+-----.+?-----END [A-Z ]+-----", re.S)


class SigningKeyMissing(ImproperlyConfigured):
    """There is no usable active signing key; the message says why and how to fix it."""


def generate_private_key_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def public_key_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


@lru_cache(maxsize=16)
def _load_private_key(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 private key")
    return key


@lru_cache(maxsize=64)
def _load_public_key(pem: bytes) -> Ed25519PublicKey:
    """A public key from a PEM holding either the public key or (for convenience) the private one."""
    if b"PRIVATE KEY" in pem:
        return _load_private_key(pem).public_key()
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    # RFC 7638 thumbprint of the OKP key: a stable id the verifier matches against the JWK set.
    canonical = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": _b64url(raw)}, separators=(",", ":"))
    return _b64url(sha256(canonical.encode()).digest())


def public_jwk(public_key: Ed25519PublicKey) -> dict:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(raw), "kid": key_id(public_key), "alg": "EdDSA", "use": "sig"}


def _active_pem() -> tuple[bytes, str]:
    """The active key's PEM and where it came from; SigningKeyMissing when there is none to read."""
    if settings.CERTIFICATE_SIGNING_KEY:
        return settings.CERTIFICATE_SIGNING_KEY.encode(), "CERTIFICATE_SIGNING_KEY"
    path = Path(settings.CERTIFICATE_SIGNING_KEY_FILE)
    if not path.exists():
        raise SigningKeyMissing(
            f"No certificate signing key: {path} does not exist and CERTIFICATE_SIGNING_KEY is not set. "
            f"Run `{FIX_COMMAND}` to create it."
        )
    try:
        return path.read_bytes(), str(path)
    except OSError as exc:
        raise SigningKeyMissing(
            f"The certificate signing key {path} cannot be read ({exc.strerror}). Fix its permissions, "
            f"or run `{FIX_COMMAND} --force` to replace it."
        ) from exc


def signing_key() -> Ed25519PrivateKey:
    """The active key: every new credential and status list is signed with it."""
    pem, source = _active_pem()
    try:
        return _load_private_key(pem)
    except ValueError as exc:
        raise SigningKeyMissing(
            f"The certificate signing key in {source} is not an Ed25519 private key in PEM ({exc}). "
            f"Run `{FIX_COMMAND} --force` to replace it."
        ) from exc


def signing_key_problem() -> str | None:
    """Why the site cannot sign credentials, or None when it can (for the system check)."""
    try:
        signing_key()
    except SigningKeyMissing as exc:
        return str(exc)
    return None


def retired_keys_dir() -> Path:
    configured = settings.CERTIFICATE_RETIRED_KEYS_DIR
    return Path(configured) if configured else Path(settings.CERTIFICATE_SIGNING_KEY_FILE).parent / "retired-keys"


@dataclass(frozen=True)
class RetiredKey:
    key: Ed25519PublicKey
    source: str


def retired_keys() -> list[RetiredKey]:
    """Keys that no longer sign but still verify; an unreadable one is skipped (the check reports it)."""
    found = []
    for block in _PEM_BLOCK.findall(settings.CERTIFICATE_RETIRED_KEYS or ""):
        try:
            found.append(RetiredKey(_load_public_key(block.encode()), "CERTIFICATE_RETIRED_KEYS"))
        except ValueError:
            continue
    directory = retired_keys_dir()
    if directory.is_dir():
        for path in sorted(directory.glob("*.pem")):
            try:
                found.append(RetiredKey(_load_public_key(path.read_bytes()), str(path)))
            except (OSError, ValueError):
                continue
    return found


def jwks() -> dict:
    """Every published key, the active one first, each with its kid. Empty when there is none."""
    keys, seen = [], set()
    try:
        candidates = [signing_key().public_key()]
    except SigningKeyMissing:
        candidates = []
    candidates += [retired.key for retired in retired_keys()]
    for public_key in candidates:
        jwk = public_jwk(public_key)
        if jwk["kid"] not in seen:
            seen.add(jwk["kid"])
            keys.append(jwk)
    return {"keys": keys}


@dataclass(frozen=True)
class Rotation:
    retired_kid: str
    retired_path: Path
    active_kid: str


def rotate_file_key() -> Rotation:
    """Retire the active key file's key (its public half goes to the retired keys directory) and
    write a fresh active key in its place. The old key's credentials keep verifying by their kid."""
    if settings.CERTIFICATE_SIGNING_KEY:
        raise ImproperlyConfigured("The active key comes from CERTIFICATE_SIGNING_KEY, not a file.")
    old = signing_key()
    old_kid = key_id(old.public_key())
    directory = retired_keys_dir()
    directory.mkdir(parents=True, exist_ok=True)
    retired_path = directory / f"{old_kid}.pem"
    retired_path.write_bytes(public_key_pem(old.public_key()))
    path = Path(settings.CERTIFICATE_SIGNING_KEY_FILE)
    new_pem = generate_private_key_pem()
    write_private_key(path, new_pem)
    new_kid = key_id(_load_private_key(new_pem).public_key())
    return Rotation(retired_kid=old_kid, retired_path=retired_path, active_kid=new_kid)


def write_private_key(path: Path, pem: bytes) -> None:
    """Write a private key readable by its owner only, replacing any file atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    os.replace(temporary, path)


def signing_keys_public() -> list[str]:
    """The kids of every published key, the active one first."""
    return [jwk["kid"] for jwk in jwks()["keys"]]
