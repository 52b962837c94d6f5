"""verify_credential checks a downloaded credential or PDF: the signature, what the PDF shows, and
revocation (online, or offline from a status list file); reissue_credentials backfills old ones."""

import http.server
import io
import json
import threading

import jwt
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from progress.certificate_pdf import CertificateContent, credential_from_pdf, render_certificate_pdf
from progress.credentials import jwks, sign_credential, verify_credential
from progress.models import Certificate
from progress.services import certificates as services
from progress.services import credential_status
from tests.factories import topic_with_lessons


def verify(*args) -> str:
    out = io.StringIO()
    call_command("verify_credential", *map(str, args), stdout=out)
    return out.getvalue()


@pytest.fixture
def offline_list(client, completed, tmp_path):
    """Downloads the certificate's status list as a verifier would, into a file."""

    def download():
        path = tmp_path / "status-list.jwt"
        path.write_bytes(client.get(reverse("progress:status_list", args=[completed.status_list_id])).content)
        return path

    return download


def test_verify_credential_command_offline(completed, tmp_path, offline_list):
    good = tmp_path / "good.jwt"
    good.write_text(completed.credential)
    output = verify(good, "--status-list", offline_list())
    assert "VALID" in output and "Ada Lovelace" in output and "not revoked" in output
    pdf = tmp_path / "cert.pdf"
    pdf.write_bytes(completed.pdf.read())
    assert "shows what the credential signs" in verify(pdf, "--offline")
    keys = tmp_path / "jwks.json"
    keys.write_text(json.dumps(jwks()))
    verify(good, "--jwks", keys, "--offline")
    tampered = tmp_path / "bad.jwt"
    tampered.write_text(completed.credential[:-4] + ("AAAA" if not completed.credential.endswith("AAAA") else "BBBB"))
    with pytest.raises(CommandError, match="NOT VALID"):
        call_command("verify_credential", str(tampered))


def test_revoke_sets_the_bit_and_verify_credential_says_revoked(completed, tmp_path, offline_list):
    good = tmp_path / "good.jwt"
    good.write_text(completed.credential)
    assert "not revoked" in verify(good, "--status-list", offline_list())
    services.certificate_revoke(certificate=completed, reason="Issued in error")
    with pytest.raises(CommandError, match=r"REVOKED: .*status-list\.jwt.*entry"):
        verify(good, "--status-list", offline_list())


def test_without_a_list_it_says_plainly_that_revocation_was_not_checked(completed, tmp_path, settings):
    good = tmp_path / "good.jwt"
    good.write_text(completed.credential)
    output = verify(good)  # the list's URL (http://testserver/…) cannot be fetched
    assert (
        "VALID" in output
        and "revocation:  NOT CHECKED — could not fetch http://testserver/credentials/status/" in output
    )
    assert "--status-list FILE" in output
    assert "NOT CHECKED — --offline" in verify(good, "--offline")


def test_online_it_fetches_the_status_list_over_http(client, user, settings):
    """A real HTTP server on this machine plays the issuer's site for the status list."""
    served = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = served["list"]
            self.send_response(200)
            self.send_header("Content-Type", "application/vc+jwt")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.SITE_URL = f"http://127.0.0.1:{server.server_port}"
        certificate = Certificate.objects.create(user=user, topic=topic_with_lessons(1))
        certificate = services.certificate_issue(certificate_id=certificate.pk)
        list_path = reverse("progress:status_list", args=[certificate.status_list_id])
        served["list"] = client.get(list_path).content
        path = certificate.pdf.path
        assert f"entry {certificate.status_index} of http://127.0.0.1:{server.server_port}{list_path} (online)" in (
            verify(path)
        )
        services.certificate_revoke(certificate=certificate, reason="Issued in error")
        served["list"] = client.get(list_path).content
        with pytest.raises(CommandError, match=r"REVOKED: .*\(online\)"):
            verify(path)
    finally:
        server.shutdown()


def test_a_forged_status_list_is_not_trusted(completed, tmp_path, offline_list):
    good = tmp_path / "good.jwt"
    good.write_text(completed.credential)
    forged = tmp_path / "forged.jwt"
    header, payload, signature = offline_list().read_text().split(".")
    forged.write_text(f"{header}.{payload[:-2]}AA.{signature}")
    with pytest.raises(CommandError, match="REVOCATION NOT CHECKED"):
        verify(good, "--status-list", forged)


def test_a_pdf_with_its_visible_name_edited_fails_naming_the_field(completed, tmp_path):
    genuine = completed.pdf.read()
    claims = verify_credential(credential_from_pdf(genuine))
    content = CertificateContent(
        holder_name="Mallory Impostor",  # the page edited; the embedded credential is the genuine one
        title=completed.title,
        kind="topic",
        track_title="AI Safety Engineering",
        issued_on=completed.issued_at.strftime("%d %B %Y"),
        code=completed.code,
        verification_url=claims["id"],
        issuer="Safety Academy",
        credential_jws=completed.credential,
    )
    edited = tmp_path / "edited.pdf"
    edited.write_bytes(render_certificate_pdf(content))
    with pytest.raises(CommandError) as failure:
        verify(edited, "--offline")
    message = str(failure.value)
    assert message.startswith("NOT VALID: the PDF was altered")
    assert "holder name: the PDF shows 'Mallory Impostor', the signed credential says 'Ada Lovelace'" in message
    assert "title" not in message and "code" not in message  # only what differs is named

    other_date = CertificateContent(**{**content.__dict__, "holder_name": "Ada Lovelace", "issued_on": "01 April 1999"})
    edited.write_bytes(render_certificate_pdf(other_date))
    with pytest.raises(CommandError, match="date: the PDF shows '01 April 1999'"):
        verify(edited, "--offline")


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda pdf: pdf[: len(pdf) // 2], "truncated"),
        (lambda pdf: b"%PDF-1.4\n" + b"\x00garbage" * 50 + b"\n%%EOF\n", "damaged"),
        (lambda pdf: pdf[:20] + bytes(len(pdf) - 40) + pdf[-20:], "damaged"),
    ],
)
def test_a_corrupt_or_truncated_pdf_gets_a_one_line_reason(completed, tmp_path, damage, reason):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(damage(completed.pdf.read()))
    with pytest.raises(CommandError) as failure:
        verify(broken)
    message = str(failure.value)
    assert message.startswith("NOT VALID:") and reason in message
    assert "\n" not in message and "Traceback" not in message


def test_reissue_gives_old_credentials_a_status_entry_and_old_ones_still_verify(completed, tmp_path, client):
    # As if issued before status lists: a credential without credentialStatus, no bit allocated.
    old_claims = {k: v for k, v in verify_credential(completed.credential).items() if k != "credentialStatus"}
    old_jws = sign_credential(old_claims)
    Certificate.objects.filter(pk=completed.pk).update(credential=old_jws, status_list=None, status_index=None)
    old_file = tmp_path / "old.jwt"
    old_file.write_text(old_jws)
    assert "NOT CHECKED — this credential carries no revocation entry" in verify(old_file)

    out = io.StringIO()
    call_command("reissue_credentials", stdout=out)
    assert "Reissued 1 credential(s)" in out.getvalue()
    completed.refresh_from_db()
    assert completed.credential_reissued_at is not None and completed.status_index is not None
    new_claims = verify_credential(completed.credential)
    assert new_claims["credentialStatus"]["statusListIndex"] == str(completed.status_index)
    assert {k: v for k, v in new_claims.items() if k != "credentialStatus"} == old_claims  # same content
    assert verify_credential(old_jws)  # the old one stays valid
    reissued_pdf = completed.pdf.read()
    assert credential_from_pdf(reissued_pdf) == completed.credential  # the PDF carries the new one
    assert completed.code in completed.pdf.name  # the same certificate, not a new one
    pdf = tmp_path / "cert.pdf"
    pdf.write_bytes(reissued_pdf)
    assert "shows what the credential signs" in verify(pdf, "--offline")
    out = io.StringIO()
    call_command("reissue_credentials", stdout=out)
    assert "already carries" in out.getvalue()


def test_the_sweep_reissues_too_and_a_revoked_one_gets_its_bit(completed):
    from progress.tasks.certificates import sweep_missing_certificates

    claims = {k: v for k, v in verify_credential(completed.credential).items() if k != "credentialStatus"}
    Certificate.objects.filter(pk=completed.pk).update(
        credential=sign_credential(claims), status_list=None, status_index=None
    )
    completed.refresh_from_db()
    services.certificate_revoke(certificate=completed, reason="Issued in error")  # revoked before it had a bit
    sweep_missing_certificates.apply()
    completed.refresh_from_db()
    assert completed.credential_reissued_at and completed.revoked_in_status_list is True
    assert not credential_status.credentials_without_status().exists()
    assert jwt.get_unverified_header(completed.credential)["kid"]
