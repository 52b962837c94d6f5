"""Signed, verifiable credentials: an Open Badges 3.0 achievement credential (W3C VC 2.0),
secured as VC-JOSE (a compact JWS, alg EdDSA) with the site's Ed25519 key."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from functools import lru_cache
from hashlib import sha256

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VC_MEDIA_TYPE = "vc+jwt"
CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def generate_private_key_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@lru_cache(maxsize=4)
def _load_private_key(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("The certificate signing key must be an Ed25519 private key.")
    return key


def signing_key() -> Ed25519PrivateKey:
    """The site's key: CERTIFICATE_SIGNING_KEY (PEM) or the file CERTIFICATE_SIGNING_KEY_FILE."""
    pem = settings.CERTIFICATE_SIGNING_KEY.encode()
    if not pem:
        path = settings.CERTIFICATE_SIGNING_KEY_FILE
        if not path.exists():
            raise ImproperlyConfigured(
                f"No certificate signing key: set CERTIFICATE_SIGNING_KEY or run "
                f"`python manage.py generate_signing_key` (writes {path})."
            )
        pem = path.read_bytes()
    return _load_private_key(pem)


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


def jwks() -> dict:
    return {"keys": [public_jwk(signing_key().public_key())]}


def issuer_id() -> str:
    return settings.SITE_URL + "/"


@dataclass(frozen=True)
class CredentialSubject:
    verification_url: str
    holder_name: str
    achievement_id: str
    achievement_name: str
    achievement_description: str
    valid_from: str  # ISO 8601, UTC


def build_credential(subject: CredentialSubject) -> dict:
    return {
        "@context": CONTEXTS,
        "id": subject.verification_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id(), "type": ["Profile"], "name": settings.CERTIFICATE_ISSUER_NAME},
        "validFrom": subject.valid_from,
        "name": f"{subject.achievement_name}: certificate of completion",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": subject.holder_name,
            "achievement": {
                "id": subject.achievement_id,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": subject.achievement_name,
                "description": subject.achievement_description,
                "criteria": {"narrative": "Completed every lesson of the topic and passed its quiz on Safety Academy."},
            },
        },
    }


def sign_credential(credential: dict) -> str:
    key = signing_key()
    headers = {"kid": key_id(key.public_key()), "typ": VC_MEDIA_TYPE, "cty": "vc"}
    return jwt.encode(credential, key, algorithm="EdDSA", headers=headers)


class CredentialInvalid(Exception):
    """The credential does not verify; the message says exactly why."""


def verify_credential(token: str, keys: dict | None = None) -> dict:
    """Verify a compact JWS credential against a JWK set (the site's own by default); returns its claims."""
    token = token.strip()
    keys = keys or jwks()
    try:
        header = jwt.get_unverified_header(token)
    except jwt.DecodeError as exc:
        raise CredentialInvalid(f"not a compact JWS: {exc}") from exc
    if header.get("alg") != "EdDSA":
        raise CredentialInvalid(f"unexpected algorithm {header.get('alg')!r}; credentials are signed with EdDSA")
    matching = [k for k in keys.get("keys", []) if k.get("kid") == header.get("kid")]
    if not matching:
        raise CredentialInvalid(f"signed by an unknown key (kid {header.get('kid')!r} is not in the issuer's key set)")
    public_key = jwt.PyJWK(matching[0]).key
    try:
        claims = jwt.decode(token, public_key, algorithms=["EdDSA"], options={"verify_aud": False})
    except jwt.InvalidSignatureError as exc:
        raise CredentialInvalid("the signature does not match the content: the credential was altered") from exc
    except jwt.PyJWTError as exc:
        raise CredentialInvalid(f"invalid credential: {exc}") from exc
    for claim in ("id", "issuer", "validFrom", "credentialSubject"):
        if claim not in claims:
            raise CredentialInvalid(f"the credential lacks '{claim}'")
    return claims
