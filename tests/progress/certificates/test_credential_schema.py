"""The credential conforms to 1EdTech's Open Badges 3.0 AchievementCredential JSON Schema (vendored
in vendor/, with the VC 2.0 `validFrom` in place of `issuanceDate`, as vendor/README.md explains)."""

import json
from datetime import datetime
from pathlib import Path

import pytest
from jsonschema import Draft201909Validator

from progress.credentials import verify_credential

SCHEMA_FILE = Path(__file__).parent / "vendor" / "ob_v3p0_achievementcredential_schema.json"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_FILE.read_text())
    assert schema["$id"].endswith("/ob_v3p0_achievementcredential_schema.json")
    required = schema["required"]
    schema["required"] = [("validFrom" if name == "issuanceDate" else name) for name in required]
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema)


def test_the_issued_credential_validates_against_the_open_badges_schema(completed, validator):
    claims = verify_credential(completed.credential)
    errors = sorted(validator.iter_errors(claims), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    assert datetime.fromisoformat(claims["validFrom"].replace("Z", "+00:00")).tzinfo is not None
    assert {"VerifiableCredential", "OpenBadgeCredential"} <= set(claims["type"])


def test_the_schema_check_can_fail(completed, validator):
    claims = verify_credential(completed.credential)
    del claims["credentialSubject"]["achievement"]["criteria"]
    claims["issuer"] = {"name": "no id, no type"}
    failing = {".".join(map(str, e.path)) or e.validator for e in validator.iter_errors(claims)}
    assert "credentialSubject.achievement" in failing and "issuer" in failing
