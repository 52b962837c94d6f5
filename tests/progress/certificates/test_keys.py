"""Signing keys: rotation keeps old credentials verifying, the key set lists every key with its kid,
a missing key is a 503 on the key set and an error under `check --deploy`."""

import io
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from progress import signing_keys
from progress.checks import signing_key_deployable, signing_key_present
from progress.credentials import CredentialInvalid, signed_by, verify_credential
from progress.models import Certificate
from progress.services import certificates as services
from tests.factories import topic_with_lessons


@pytest.fixture
def key_file(settings, tmp_path):
    """The active key in a file, as `make run` and the compose stack keep it."""
    settings.CERTIFICATE_SIGNING_KEY = ""
    settings.CERTIFICATE_SIGNING_KEY_FILE = tmp_path / "keys" / "certificate-signing-key.pem"
    settings.CERTIFICATE_RETIRED_KEYS_DIR = ""
    call_command("generate_signing_key", stdout=io.StringIO())
    return settings.CERTIFICATE_SIGNING_KEY_FILE


def _issue(user, title_lessons=1):
    certificate = Certificate.objects.create(user=user, topic=topic_with_lessons(title_lessons))
    return services.certificate_issue(certificate_id=certificate.pk)


def test_rotation_keeps_old_credentials_verifying_and_signs_new_ones_with_the_new_key(key_file, user, other_user):
    old = _issue(user)
    old_kid = signed_by(old.credential)
    out = io.StringIO()
    call_command("rotate_signing_key", stdout=out)
    assert f"Retired key kid {old_kid}" in out.getvalue()
    assert (key_file.parent / "retired-keys" / f"{old_kid}.pem").read_text().startswith("-----BEGIN PUBLIC KEY")
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    new = _issue(other_user)
    new_kid = signed_by(new.credential)
    assert new_kid != old_kid
    assert verify_credential(old.credential)["credentialSubject"]["name"]
    assert verify_credential(new.credential)["credentialSubject"]["name"]
    kids = [key["kid"] for key in signing_keys.jwks()["keys"]]
    assert kids == [new_kid, old_kid]  # the active key first, each with its kid
    call_command("rotate_signing_key", stdout=io.StringIO())  # and again: three keys, all still verify
    assert len(signing_keys.jwks()["keys"]) == 3
    assert verify_credential(old.credential) and verify_credential(new.credential)


def test_verification_is_by_kid_a_key_not_published_fails(key_file, user, tmp_path):
    old = _issue(user)
    call_command("rotate_signing_key", stdout=io.StringIO())
    for retired in (key_file.parent / "retired-keys").iterdir():
        retired.unlink()  # the old key withdrawn from the key set
    with pytest.raises(CredentialInvalid, match="unknown key"):
        verify_credential(old.credential)


def test_the_key_set_endpoint_lists_every_key(client, key_file, db):
    call_command("rotate_signing_key", stdout=io.StringIO())
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200 and response["Cache-Control"] == "public, max-age=300"
    assert response["Access-Control-Allow-Origin"] == "*"
    keys = response.json()["keys"]
    assert len(keys) == 2 and all(k["kid"] and k["kty"] == "OKP" and k["crv"] == "Ed25519" for k in keys)
    assert all("d" not in k for k in keys)  # public halves only


def test_retired_keys_from_the_environment_are_published(settings, signing_key_pem):
    other = signing_keys.generate_private_key_pem()
    other_public = signing_keys.public_key_pem(signing_keys._load_private_key(other).public_key()).decode()
    settings.CERTIFICATE_RETIRED_KEYS = (
        other_public + "\n" + "-----BEGIN PUBLIC KEY-----\nbroken\n-----END PUBLIC KEY-----"
    )
    kids = [key["kid"] for key in signing_keys.jwks()["keys"]]
    assert kids == [
        signing_keys.key_id(signing_keys.signing_key().public_key()),
        signing_keys.key_id(signing_keys._load_private_key(other).public_key()),
    ]


def test_rotation_with_the_key_in_the_environment_says_what_to_set(settings):
    out = io.StringIO()
    call_command("rotate_signing_key", stdout=out)
    text = out.getvalue()
    assert "Append this public key" in text and "CERTIFICATE_RETIRED_KEYS" in text
    assert "-----BEGIN PUBLIC KEY-----" in text and "-----BEGIN PRIVATE KEY-----" in text


def test_no_key_means_a_503_with_a_clear_body_not_a_500(client, settings, tmp_path, db):
    settings.CERTIFICATE_SIGNING_KEY = ""
    settings.CERTIFICATE_SIGNING_KEY_FILE = tmp_path / "missing.pem"
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 503
    body = response.json()
    assert body["error"] == "no_signing_key" and "generate_signing_key" in body["fix"]
    assert "missing.pem" in body["detail"]
    assert response["Cache-Control"] == "no-store"
    with pytest.raises(CommandError, match="no key to rotate"):
        call_command("rotate_signing_key")


@pytest.mark.parametrize("problem", ["missing", "unreadable", "not a key"])
def test_the_system_check_names_the_problem_and_the_command(settings, tmp_path, problem):
    settings.CERTIFICATE_SIGNING_KEY = ""
    path = tmp_path / "key.pem"
    settings.CERTIFICATE_SIGNING_KEY_FILE = path
    if problem == "unreadable":
        path.mkdir()  # exists, cannot be read as a file (permissions would not stop root)
    elif problem == "not a key":
        path.write_text("hello")
    errors = signing_key_deployable()
    assert [e.id for e in errors] == ["progress.E001"]
    assert "generate_signing_key" in errors[0].msg + errors[0].hint
    assert str(path) in errors[0].msg
    settings.DEBUG = True
    assert [w.id for w in signing_key_present()] == ["progress.W001"]
    settings.DEBUG = False
    assert signing_key_present() == []


def test_check_deploy_reports_a_missing_key_as_an_error(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "DATABASE_URL", "REDIS_URL"}},
        "DJANGO_ENV_FILE": "",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "k" * 50,
        "CERTIFICATE_SIGNING_KEY": "",
        "CERTIFICATE_SIGNING_KEY_FILE": str(tmp_path / "nowhere.pem"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "progress.E001" in result.stderr and "python manage.py generate_signing_key" in result.stderr
