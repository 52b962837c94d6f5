"""Certificates: issued once after completion, a PDF with name, code and QR link, a signed credential
that verifies offline and fails when tampered with, a public page, revocation, and the sweep."""

import base64
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from progress.certificate_pdf import credential_from_pdf
from progress.credentials import CredentialInvalid, jwks, verify_credential
from progress.models import Certificate, TopicCompletion
from progress.services import certificates as services
from progress.services import learning
from progress.tasks.certificates import issue_certificate
from tests.factories import topic_with_lessons


@pytest.fixture
def completed(user, db, django_capture_on_commit_callbacks):
    """A learner who completed a topic; its certificate issued eagerly after commit."""
    learning.profile_update(user=user, full_name="Ada Lovelace")
    topic = topic_with_lessons(2)
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in topic.lessons.all():
            learning.lesson_complete(user=user, lesson=lesson)
    return Certificate.objects.get(user=user, topic=topic)


def test_completion_issues_one_certificate_with_pdf_and_credential(completed):
    assert completed.status == "issued"
    assert len(completed.code) >= 22  # 24 random bytes, URL-safe: well over 128 bits
    pdf = completed.pdf.read()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Ada Lovelace" in text and completed.code in text and completed.topic.title in text
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    assert credential_from_pdf(pdf) == completed.credential


def test_task_run_twice_gives_one_certificate_and_one_file(completed, settings):
    issue_certificate.apply(args=[completed.pk])
    issue_certificate.apply(args=[completed.pk])
    assert Certificate.objects.filter(user=completed.user, topic=completed.topic).count() == 1
    files = list((settings.MEDIA_ROOT / "certificates").iterdir())
    assert [f.name for f in files] == [f"{completed.code}.pdf"]


def test_rerun_after_a_crash_overwrites_rather_than_duplicates(completed, settings):
    Certificate.objects.filter(pk=completed.pk).update(status="pending")  # as if the worker died before commit
    services.certificate_issue(certificate_id=completed.pk)
    assert len(list((settings.MEDIA_ROOT / "certificates").iterdir())) == 1


def test_credential_verifies_and_tampering_fails_with_a_reason(completed):
    claims = verify_credential(completed.credential)
    assert claims["credentialSubject"]["name"] == "Ada Lovelace"
    assert claims["credentialSubject"]["achievement"]["name"] == completed.topic.title
    assert claims["id"].endswith(f"/certificates/{completed.code}/")
    assert "OpenBadgeCredential" in claims["type"]
    header, payload, signature = completed.credential.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=="))
    data["credentialSubject"]["name"] = "Mallory"
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    with pytest.raises(CredentialInvalid, match="altered"):
        verify_credential(f"{header}.{forged}.{signature}")


def test_verify_credential_command_offline(completed, tmp_path):
    good = tmp_path / "good.jwt"
    good.write_text(completed.credential)
    out = io.StringIO()
    call_command("verify_credential", str(good), stdout=out)
    assert "VALID" in out.getvalue() and "Ada Lovelace" in out.getvalue()
    pdf = tmp_path / "cert.pdf"
    pdf.write_bytes(completed.pdf.read())
    call_command("verify_credential", str(pdf), stdout=io.StringIO())
    keys = tmp_path / "jwks.json"
    keys.write_text(json.dumps(jwks()))
    call_command("verify_credential", str(good), "--jwks", str(keys), stdout=io.StringIO())
    tampered = tmp_path / "bad.jwt"
    tampered.write_text(completed.credential[:-4] + ("AAAA" if not completed.credential.endswith("AAAA") else "BBBB"))
    with pytest.raises(CommandError, match="NOT VALID"):
        call_command("verify_credential", str(tampered))


def test_public_page_pdf_credential_and_jwks(client, completed):
    page = client.get(reverse("progress:certificate_verify", args=[completed.code]))
    html = page.content.decode()
    assert page.status_code == 200 and "Ada Lovelace" in html and "Valid" in html and completed.topic.title in html
    pdf = client.get(reverse("progress:certificate_pdf", args=[completed.code]))
    assert pdf["Content-Type"] == "application/pdf"
    assert client.get(reverse("progress:certificate_credential", args=[completed.code])).content.decode() == (
        completed.credential
    )
    assert client.get("/.well-known/jwks.json").json()["keys"][0]["crv"] == "Ed25519"
    api = client.get(f"/api/v1/verify/{completed.code}/").json()
    assert api["holder_name"] == "Ada Lovelace" and api["status"] == "issued"


def test_unknown_code_is_a_plain_404(client, db):
    response = client.get("/certificates/not-a-real-code/")
    assert response.status_code == 404
    assert "No certificate has this code" in response.content.decode()
    assert client.get("/api/v1/verify/not-a-real-code/").status_code == 404


def test_revocation_shows_on_the_page_and_api_and_the_sweep_does_not_reissue(client, completed):
    services.certificate_revoke(certificate=completed, reason="Issued in error")
    html = client.get(reverse("progress:certificate_verify", args=[completed.code])).content.decode()
    assert "revoked on" in html
    assert client.get(f"/api/v1/verify/{completed.code}/").json()["status"] == "revoked"
    assert services.certificates_sweep() == []
    assert Certificate.objects.filter(user=completed.user, topic=completed.topic).count() == 1
    with pytest.raises(ValueError):
        services.certificate_revoke(certificate=completed, reason="  ")


def test_admin_revokes_with_a_reason(client, staff_user, completed):
    client.force_login(staff_user)
    url = reverse("admin:progress_certificate_changelist")
    asked = client.post(url, {"action": "revoke", "_selected_action": [completed.pk]})
    assert asked.status_code == 200 and "Reason for revocation" in asked.content.decode()
    client.post(url, {"action": "revoke", "_selected_action": [completed.pk], "apply": "1", "reason": "Fraud"})
    completed.refresh_from_db()
    assert completed.status == "revoked" and completed.revoked_reason == "Fraud"


def test_sweep_issues_what_was_missed(user, db):
    topic = topic_with_lessons(1)
    for lesson in topic.lessons.all():  # no on_commit execution here: the message is "lost"
        learning.lesson_complete(user=user, lesson=lesson)
    Certificate.objects.filter(user=user).delete()
    assert TopicCompletion.objects.filter(user=user, topic=topic).exists()
    queued = services.certificates_sweep()
    assert len(queued) == 1
    assert Certificate.objects.get(pk=queued[0]).status == "issued"


def test_failures_are_recorded_and_retried(user, db, monkeypatch):
    topic = topic_with_lessons(1)
    certificate = Certificate.objects.create(user=user, topic=topic)

    def broken(*args, **kwargs):
        raise OSError("storage unavailable")

    monkeypatch.setattr(services, "render_certificate_pdf", broken)
    issue_certificate.apply(args=[certificate.pk])
    certificate.refresh_from_db()
    assert certificate.status == "failed" and "storage unavailable" in certificate.error
    assert certificate.tries == 7  # the first run and six retries, each recorded
    monkeypatch.undo()
    services.certificates_sweep()
    certificate.refresh_from_db()
    assert certificate.status == "issued" and certificate.error == ""


def test_no_certificate_without_completion(client, user, db):
    topic = topic_with_lessons(2)
    learning.lesson_complete(user=user, lesson=topic.lessons.first())
    assert not Certificate.objects.filter(user=user).exists()
    client.force_login(user)
    assert client.get("/api/v1/certificates/").json()["count"] == 0
    assert services.certificates_sweep() == []
    pending = Certificate.objects.create(user=user, topic=topic)  # a pending one is not public either
    assert client.get(reverse("progress:certificate_verify", args=[pending.code])).status_code == 404
    assert client.get(reverse("progress:certificate_pdf", args=[pending.code])).status_code == 404


def test_me_and_topic_page_show_the_certificate(client, completed):
    client.force_login(completed.user)
    assert completed.get_absolute_url() in client.get(reverse("progress:me")).content.decode()
    assert completed.get_absolute_url() in client.get(completed.topic.get_absolute_url()).content.decode()
    listed = client.get("/api/v1/certificates/").json()["results"][0]
    assert listed["code"] == completed.code and listed["pdf_url"].endswith("/pdf/")


def test_topic_page_says_being_prepared_while_pending(client, user, db):
    topic = topic_with_lessons(1)
    Certificate.objects.create(user=user, topic=topic)
    client.force_login(user)
    assert "being prepared" in client.get(topic.get_absolute_url()).content.decode()


def test_the_sweep_gives_up_on_a_certificate_that_keeps_failing(user, db):
    certificate = Certificate.objects.create(user=user, topic=topic_with_lessons(1), status="failed", tries=10)
    assert certificate.pk not in services.certificates_sweep()


def test_completing_every_published_topic_earns_the_track_certificate(user, db, django_capture_on_commit_callbacks):
    from courses.models import Topic

    Topic.objects.update(is_published=False)  # the track, for this test, is the two topics below
    topics = [topic_with_lessons(1), topic_with_lessons(2)]
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in topics[0].lessons.all():
            learning.lesson_complete(user=user, lesson=lesson)
    assert not Certificate.objects.filter(user=user, topic__isnull=True).exists()
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in topics[1].lessons.all():
            learning.lesson_complete(user=user, lesson=lesson)
    track = Certificate.objects.get(user=user, topic__isnull=True)
    assert track.status == "issued" and track.title == "AI Safety Engineering"
    text = PdfReader(io.BytesIO(track.pdf.read())).pages[0].extract_text()
    assert "has completed the AI Safety Engineering track" in text
    assert services.certificates_sweep() == []  # nothing missing, nothing issued twice
