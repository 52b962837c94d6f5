"""Certificates in public and on a learner's pages: verification page, PDF, credential, key set."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

from progress.models import Certificate
from progress.selectors.certificates import linkedin_add_to_profile_url, pass_moment
from progress.services import certificates as services
from progress.services import credential_status, learning
from progress.services.assessment import quiz_attempt_submit
from quizzes.services import quiz_attempt_start
from tests.factories import UserFactory, correct_answers, topic_with_lessons


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


def test_the_public_page_checks_the_published_status_list(client, completed, django_assert_num_queries):
    url = reverse("progress:certificate_verify", args=[completed.code])
    client.get(url)  # warm-up
    with django_assert_num_queries(1):  # the certificate with its topic and status list, in one query
        html = client.get(url).content.decode()
    assert f'Not revoked in the <a href="/credentials/status/{completed.status_list_id}/">published list</a>' in html
    services.certificate_revoke(certificate=completed, reason="Issued in error")
    for _ in range(3):  # more certificates, more revocations: the page still costs one query
        other = Certificate.objects.create(user=UserFactory(), topic=topic_with_lessons(1), status="issued")
        credential_status.status_entry_allocate(certificate=other)
        services.certificate_revoke(certificate=other, reason="test")
    with django_assert_num_queries(1):
        html = client.get(url).content.decode()
    assert "Marked revoked in the" in html and "Revoked certificate" in html


def test_a_credential_from_before_status_lists_says_so_on_the_page(client, completed):
    Certificate.objects.filter(pk=completed.pk).update(status_list=None, status_index=None)
    html = client.get(reverse("progress:certificate_verify", args=[completed.code])).content.decode()
    assert "predates the published revocation lists" in html


def test_the_pdf_downloads_as_an_attachment_and_can_be_viewed_inline(client, completed):
    download = client.get(reverse("progress:certificate_pdf", args=[completed.code]))
    assert download["Content-Disposition"] == f'attachment; filename="certificate-{completed.code}.pdf"'
    view = client.get(reverse("progress:certificate_pdf_view", args=[completed.code]))
    assert view["Content-Type"] == "application/pdf"
    assert view["Content-Disposition"] == f'inline; filename="certificate-{completed.code}.pdf"'
    assert b"".join(view.streaming_content).startswith(b"%PDF")
    page = client.get(completed.get_absolute_url()).content.decode()
    assert reverse("progress:certificate_pdf_view", args=[completed.code]) in page


def test_passing_the_quiz_is_a_moment_with_the_certificate_links_and_the_next_topic(
    client, user, db, django_capture_on_commit_callbacks
):
    learning.profile_update(user=user, full_name="Ada Lovelace")
    topic = topic_with_lessons(2, quiz_questions=3)
    for lesson in topic.lessons.all():
        learning.lesson_complete(user=user, lesson=lesson)
    attempt = quiz_attempt_start(user=user, quiz=topic.quiz)
    with django_capture_on_commit_callbacks(execute=True):
        quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=correct_answers(attempt))
    certificate = Certificate.objects.get(user=user, topic=topic, status=Certificate.Status.ISSUED)
    client.force_login(user)
    html = client.get(reverse("quizzes:result", args=[topic.slug, attempt.pk])).content.decode()
    assert "You earned a certificate" in html
    assert f'href="/certificates/{certificate.code}/pdf/" download' in html
    assert f"/certificates/{certificate.code}/pdf/view/" in html
    assert f'<span id="certificate-url" class="token">{certificate.verification_url}</span>' in html
    assert 'data-copy="certificate-url"' in html
    assert escape(linkedin_add_to_profile_url(certificate)) in html
    assert 'data-testid="next-topic"' in html


def test_a_pass_with_lessons_left_says_what_remains(client, user, db):
    topic = topic_with_lessons(3, quiz_questions=3)
    learning.lesson_complete(user=user, lesson=topic.lessons.first())
    attempt = quiz_attempt_start(user=user, quiz=topic.quiz)
    quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=correct_answers(attempt))
    client.force_login(user)
    html = client.get(reverse("quizzes:result", args=[topic.slug, attempt.pk])).content.decode()
    assert "Quiz passed" in html and "Finish the 2 remaining lessons" in html


def test_while_the_certificate_is_prepared_the_moment_asks_again(client, user, db):
    topic = topic_with_lessons(1)
    pending = Certificate.objects.create(user=user, topic=topic)
    url = reverse("progress:certificate_moment", args=[topic.slug])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(user)
    polled = client.get(url)
    assert polled.status_code == 200 and "being prepared" in polled.content.decode()
    attempt_page = render_to_string(
        "progress/certificates/_moment.html", {"moment": pass_moment(user=user, topic=topic)}
    )
    assert 'hx-trigger="every 3s"' in attempt_page and 'hx-swap="innerHTML"' in attempt_page
    services.certificate_issue(certificate_id=pending.pk)
    ready = client.get(url)
    assert ready.status_code == 286 and "Download the PDF" in ready.content.decode()  # 286: htmx stops polling
    assert client.get(reverse("progress:certificate_moment", args=["no-such-topic"])).status_code == 404
