"""Issuing certificates: once after completion, a PDF and a signed credential that verifies offline
and fails when tampered with, the sweep, the track certificate."""

import base64
import io
import json

import pytest
from pypdf import PdfReader

from progress.certificate_pdf import credential_from_pdf
from progress.credentials import CredentialInvalid, verify_credential
from progress.models import Certificate, TopicCompletion
from progress.services import certificates as services
from progress.services import learning
from tests.factories import topic_with_lessons


def test_completion_issues_one_certificate_with_pdf_and_credential(completed):
    assert completed.status == "issued"
    assert len(completed.code) >= 22  # 24 random bytes, URL-safe: well over 128 bits
    pdf = completed.pdf.read()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Ada Lovelace" in text and completed.code in text and completed.topic.title in text
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    assert credential_from_pdf(pdf) == completed.credential


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


def test_sweep_issues_what_was_missed(user, db):
    topic = topic_with_lessons(1)
    for lesson in topic.lessons.all():  # no on_commit execution here: the message is "lost"
        learning.lesson_complete(user=user, lesson=lesson)
    Certificate.objects.filter(user=user).delete()
    assert TopicCompletion.objects.filter(user=user, topic=topic).exists()
    queued = services.certificates_sweep()
    assert len(queued) == 1
    assert Certificate.objects.get(pk=queued[0]).status == "issued"


def test_the_sweep_issues_nothing_for_a_withdrawn_topic(user, db):
    topic = topic_with_lessons(1)
    for lesson in topic.lessons.all():
        learning.lesson_complete(user=user, lesson=lesson)
    Certificate.objects.filter(user=user).delete()
    topic.is_published = False
    topic.save()
    assert services.certificates_sweep() == []
    assert not Certificate.objects.filter(user=user).exists()


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


def test_links_follow_site_url_so_make_run_port_8102_serves_them_on_8102(
    user, db, settings, mailoutbox, django_capture_on_commit_callbacks
):
    from progress.models import Team
    from progress.services import teams

    settings.SITE_URL = "http://127.0.0.1:8102"  # what `make run PORT=8102` sets
    certificate = Certificate.objects.create(user=user, topic=topic_with_lessons(1))
    certificate = services.certificate_issue(certificate_id=certificate.pk)
    text = PdfReader(io.BytesIO(certificate.pdf.read())).pages[0].extract_text()
    assert f"http://127.0.0.1:8102/certificates/{certificate.code}/" in text  # printed and in the QR code
    claims = verify_credential(certificate.credential)
    assert claims["id"].startswith("http://127.0.0.1:8102/")
    assert claims["credentialStatus"]["statusListCredential"].startswith("http://127.0.0.1:8102/credentials/status/")
    team = Team.objects.create(name="Platform", slug="platform")
    with django_capture_on_commit_callbacks(execute=True):
        teams.team_invite(team=team, text="new.person@example.com", invited_by=user)
    assert "http://127.0.0.1:8102/" in mailoutbox[-1].body
