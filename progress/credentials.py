"""Signed, verifiable credentials: an Open Badges 3.0 achievement credential (W3C VC 2.0),
secured as VC-JOSE (a compact JWS, alg EdDSA) with the site's Ed25519 key."""

from __future__ import annotations

from dataclasses import dataclass

import jwt
from django.conf import settings

from progress import signing_keys, status_list
from progress.signing_keys import generate_private_key_pem, key_id, signing_key

__all__ = ["generate_private_key_pem", "jwks", "key_id", "signing_key"]

VC_MEDIA_TYPE = "vc+jwt"
CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def jwks() -> dict:
    return signing_keys.jwks()


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
    valid_until: str | None = None  # ISO 8601, UTC; None: it does not expire


def issuer_profile() -> dict:
    return {"id": issuer_id(), "type": ["Profile"], "name": settings.CERTIFICATE_ISSUER_NAME}


def build_credential(subject: CredentialSubject, *, status: dict | None = None) -> dict:
    """The Open Badges credential; `status` is its revocation entry (progress.status_list.entry)."""
    credential = {
        "@context": CONTEXTS,
        "id": subject.verification_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer_profile(),
        "validFrom": subject.valid_from,
        **({"validUntil": subject.valid_until} if subject.valid_until else {}),
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
    if status:
        credential["credentialStatus"] = status
    return credential


def status_list_jws(*, list_url: str, bits: bytes, valid_from) -> str:
    """The signed BitstringStatusListCredential for one list, as the site publishes it."""
    return sign_credential(
        status_list.list_credential(list_url=list_url, issuer=issuer_profile(), bitstring=bits, valid_from=valid_from)
    )


def sign_credential(credential: dict) -> str:
    key = signing_key()
    headers = {"kid": key_id(key.public_key()), "typ": VC_MEDIA_TYPE, "cty": "vc"}
    return jwt.encode(credential, key, algorithm="EdDSA", headers=headers)


class CredentialInvalid(Exception):
    """The credential does not verify; the message says exactly why."""


def signed_by(token: str) -> str | None:
    """The kid in a compact JWS header (unverified), to say which key a credential names."""
    try:
        return jwt.get_unverified_header(token.strip()).get("kid")
    except jwt.PyJWTError:
        return None


def verify_credential(token: str, keys: dict | None = None) -> dict:
    """Verify a compact JWS credential against a JWK set (the site's own by default); returns its claims.

    The key is chosen by the header's kid, so credentials signed by a retired key still verify.
    """
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
