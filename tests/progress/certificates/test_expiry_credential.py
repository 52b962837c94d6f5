"""`validUntil` in the credential: it conforms to the Open Badges schema, and verify_credential reports a date
in the future as such and an expired credential as EXPIRED, distinct from REVOKED."""

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from jsonschema import Draft201909Validator

from progress.credentials import CredentialSubject, build_credential, sign_credential, verify_credential
from progress.models import Certificate
from progress.services import certificates as services
from progress.services import learning
from tests.factories import topic_with_lessons

SCHEMA_FILE = Path(__file__).parent / "vendor" / "ob_v3p0_achievementcredential_schema.json"


def verify(*args) -> str:
    out = io.StringIO()
    call_command("verify_credential", *map(str, args), stdout=out)
    return out.getvalue()


@pytest.fixture
def expiring(user, db, settings, django_capture_on_commit_callbacks):
    """A topic certificate issued with twelve months' validity."""
    settings.CERTIFICATE_VALIDITY_MONTHS = 12
    learning.profile_update(user=user, full_name="Ada Lovelace")
    topic = topic_with_lessons(1)
    with django_capture_on_commit_callbacks(execute=True):
        learning.lesson_complete(user=user, lesson=topic.lessons.get())
    return Certificate.objects.get(user=user, topic=topic)


def test_the_credential_with_valid_until_conforms_to_the_schema(expiring):
    schema = json.loads(SCHEMA_FILE.read_text())
    schema["required"] = [("validFrom" if name == "issuanceDate" else name) for name in schema["required"]]
    claims = verify_credential(expiring.credential)
    assert dt.datetime.fromisoformat(claims["validUntil"].replace("Z", "+00:00")) == expiring.valid_until
    errors = list(Draft201909Validator(schema).iter_errors(claims))
    assert not errors, [e.message for e in errors]


def test_verify_credential_says_until_when_and_that_it_has_not_expired(expiring, tmp_path):
    path = tmp_path / "good.jwt"
    path.write_text(expiring.credential)
    output = verify(path, "--offline")
    assert f"valid until: {expiring.valid_until.isoformat().replace('+00:00', 'Z')}" in output
    assert "not expired (valid until" in output


def test_verify_credential_on_an_expired_certificate_says_expired_not_revoked(expiring, tmp_path, monkeypatch):
    path = tmp_path / "cert.pdf"
    path.write_bytes(expiring.pdf.read())
    later = expiring.valid_until + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with pytest.raises(CommandError) as excinfo:
        verify(path, "--offline")
    message = str(excinfo.value)
    assert message.startswith("EXPIRED: expired on") and expiring.valid_until.strftime("%d %B %Y") in message
    assert "not revoked" in message and "REVOKED:" not in message


def test_a_revoked_and_expired_credential_reports_the_revocation_first(expiring, tmp_path, client, monkeypatch):
    from django.urls import reverse

    services.certificate_revoke(certificate=expiring, reason="Issued in error")
    status = tmp_path / "status.jwt"
    status.write_bytes(client.get(reverse("progress:status_list", args=[expiring.status_list_id])).content)
    path = tmp_path / "cert.jwt"
    path.write_text(expiring.credential)
    later = expiring.valid_until + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with pytest.raises(CommandError, match=r"^REVOKED"):
        verify(path, "--status-list", status)


def test_a_signed_but_malformed_valid_until_is_not_valid(tmp_path, db):
    subject = CredentialSubject(
        verification_url="https://example.test/certificates/x/",
        holder_name="Ada",
        achievement_id="https://example.test/",
        achievement_name="A topic",
        achievement_description="About it",
        valid_from="2026-01-01T00:00:00Z",
        valid_until="next year",
    )
    path = tmp_path / "odd.jwt"
    path.write_text(sign_credential(build_credential(subject)))
    with pytest.raises(CommandError, match="validUntil 'next year' is not a date"):
        verify(path, "--offline")


def test_the_pdf_shows_valid_until_and_an_edited_date_fails(expiring, tmp_path):
    from progress.certificate_check import read_certificate_pdf, visible_fields
    from progress.certificate_pdf import CertificateContent, render_certificate_pdf

    genuine = expiring.pdf.read()
    shown = visible_fields(read_certificate_pdf(genuine).text)
    assert shown["valid until"] == expiring.valid_until.strftime("%d %B %Y")
    assert shown["date"] == expiring.issued_at.strftime("%d %B %Y")
    claims = verify_credential(expiring.credential)
    content = CertificateContent(
        holder_name="Ada Lovelace",
        title=expiring.title,
        kind="topic",
        track_title="AI Safety Engineering",
        issued_on=expiring.issued_at.strftime("%d %B %Y"),
        code=expiring.code,
        verification_url=claims["id"],
        issuer="Safety Academy",
        credential_jws=expiring.credential,
        valid_until="31 December 2099",  # the page edited to look valid for longer
    )
    edited = tmp_path / "edited.pdf"
    edited.write_bytes(render_certificate_pdf(content))
    with pytest.raises(CommandError, match="valid until: the PDF shows '31 December 2099'"):
        verify(edited, "--offline")
