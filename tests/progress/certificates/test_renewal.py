"""Expiry and renewal: a certificate's validity from the topic or the site, `validUntil` in the credential, the
public page, and the renewal flow end to end through the pages (Renew shown in the window, the quiz opens with
fresh questions, a pass issues a new certificate linked to the old one, which stays verifiable)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.services import topic_recertification_require
from progress.credentials import verify_credential
from progress.models import Certificate
from progress.selectors.renewal import renewal_standing
from progress.services.assessment import quiz_attempt_begin, quiz_attempt_submit
from progress.validity import add_months
from quizzes.models import Attempt
from quizzes.services import AttemptRefused
from tests.factories import correct_answers, topic_with_lessons, wrong_answers
from tests.quizzes.support import ready_for_quiz


@pytest.fixture
def holder(user, db, settings, django_capture_on_commit_callbacks):
    """A learner who passed a topic's quiz (24 questions, 10 drawn) and holds its certificate, valid 12 months."""
    settings.CERTIFICATE_VALIDITY_MONTHS = 12
    topic = topic_with_lessons(6, quiz_questions=24)
    ready_for_quiz(user, topic)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = quiz_attempt_begin(user=user, quiz=topic.quiz)
        quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=correct_answers(attempt))
    return Certificate.objects.get(user=user, topic=topic)


def move_expiry(certificate, days: float) -> Certificate:
    """Put the certificate's date `days` from now (negative: in the past)."""
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=timezone.now() + dt.timedelta(days=days))
    return Certificate.objects.get(pk=certificate.pk)


def test_validity_comes_from_the_topic_else_the_setting_and_is_kept_at_issue(holder, settings):
    assert holder.status == "issued"
    assert holder.valid_until == add_months(holder.issued_at, 12)
    claims = verify_credential(holder.credential)
    assert claims["validUntil"] == holder.valid_until.isoformat().replace("+00:00", "Z")
    settings.CERTIFICATE_VALIDITY_MONTHS = 1  # a later change of the setting rewrites nothing issued
    holder.refresh_from_db()
    assert holder.valid_until == add_months(holder.issued_at, 12)


@pytest.mark.parametrize(
    ("topic_months", "site_months", "expected"),
    [(None, None, None), (None, 24, 24), (6, 24, 6), (0, 24, None), (3, None, 3)],
)
def test_a_topic_value_overrides_the_site_default_and_zero_means_never(
    user, db, settings, django_capture_on_commit_callbacks, topic_months, site_months, expected
):
    settings.CERTIFICATE_VALIDITY_MONTHS = site_months
    topic = topic_with_lessons(1, validity_months=topic_months)
    from progress.services import learning

    with django_capture_on_commit_callbacks(execute=True):
        learning.lesson_complete(user=user, lesson=topic.lessons.get())
    certificate = Certificate.objects.get(user=user, topic=topic)
    claims = verify_credential(certificate.credential)
    if expected is None:
        assert certificate.valid_until is None and "validUntil" not in claims
    else:
        assert certificate.valid_until == add_months(certificate.issued_at, expected)
        assert "validUntil" in claims
    track = Certificate.objects.filter(user=user, topic=None).first()
    assert track is None or track.valid_until is None  # the track certificate does not expire


def test_months_are_added_to_the_calendar():
    utc = dt.UTC
    assert add_months(dt.datetime(2026, 1, 31, 9, tzinfo=utc), 1) == dt.datetime(2026, 2, 28, 9, tzinfo=utc)
    assert add_months(dt.datetime(2027, 11, 15, tzinfo=utc), 3) == dt.datetime(2028, 2, 15, tzinfo=utc)
    assert add_months(dt.datetime(2028, 2, 29, tzinfo=utc), 12) == dt.datetime(2029, 2, 28, tzinfo=utc)


def test_the_public_page_says_valid_until_then_expired_not_revoked(client, holder):
    url = reverse("progress:certificate_verify", args=[holder.code])
    page = client.get(url).content.decode()
    assert "Valid certificate" in page and f"valid until {holder.valid_until:%-d %B %Y}" in page
    expired = move_expiry(holder, -3)
    page = client.get(url).content.decode()
    assert "Expired certificate" in page
    assert f"expired on {expired.valid_until:%-d %B %Y}" in page
    assert "Revoked" not in page and "it was not revoked" in page


def test_a_holder_outside_the_window_cannot_take_the_quiz_again(holder, user):
    with pytest.raises(AttemptRefused, match="passed"):
        quiz_attempt_begin(user=user, quiz=holder.topic.quiz)


def test_renewal_end_to_end_through_the_pages(client, user, holder, django_capture_on_commit_callbacks):
    topic, quiz = holder.topic, holder.topic.quiz
    client.force_login(user)
    topic_url, me_url = topic.get_absolute_url(), reverse("progress:me")
    assert 'data-testid="renew"' not in client.get(topic_url).content.decode()
    assert "Certificates to renew" not in client.get(me_url).content.decode()

    old = move_expiry(holder, 20)  # inside the 60-day window
    page = client.get(topic_url).content.decode()
    assert 'data-testid="renew"' in page and f"expires on {old.valid_until:%-d %b %Y}" in page
    me = client.get(me_url).content.decode()
    assert "Certificates to renew" in me and 'data-testid="renew"' in me

    first = Attempt.objects.get(user=user, quiz=quiz)
    quiz_page = client.get(reverse("quizzes:quiz", args=[topic.slug])).content.decode()
    assert "Pass the quiz again to renew your certificate" in quiz_page and "Start the renewal" in quiz_page
    response = client.post(reverse("quizzes:start", args=[topic.slug]))
    assert response.status_code == 302
    renewal_attempt = Attempt.objects.get(user=user, quiz=quiz, submitted_at__isnull=True)
    assert not set(renewal_attempt.question_order) & set(first.question_order)  # drawn fresh from the bank
    answers = correct_answers(renewal_attempt)
    form = {f"q{qid}": tokens for qid, tokens in answers.items()}
    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(reverse("quizzes:submit", args=[topic.slug, renewal_attempt.pk]), form)
    assert submitted.status_code == 302

    old.refresh_from_db()
    new = Certificate.objects.get(renews=old)
    assert new.status == "issued" and old.status == "issued" and old.superseded_at is not None
    assert new.valid_until == add_months(old.valid_until, 12)  # renewed early: runs on from the old date
    assert renewal_standing(user=user, topic_id=topic.pk).certificate == new
    assert 'data-testid="renew"' not in client.get(topic_url).content.decode()
    assert "Certificates to renew" not in client.get(me_url).content.decode()

    old_page = client.get(reverse("progress:certificate_verify", args=[old.code])).content.decode()
    assert "Valid certificate" in old_page and "renewed by certificate" in old_page and new.code[:10] in old_page
    new_page = client.get(reverse("progress:certificate_verify", args=[new.code])).content.decode()
    assert "renews certificate" in new_page and old.code[:10] in new_page
    move_expiry(old, -1)
    old_page = client.get(reverse("progress:certificate_verify", args=[old.code])).content.decode()
    assert "Expired certificate" in old_page and "Revoked certificate" not in old_page
    assert "current certificate" in old_page


def test_after_expiry_the_renewal_round_counts_only_its_own_attempts(holder, user):
    quiz = holder.topic.quiz
    quiz.cooldown_failures = 2
    quiz.save()
    move_expiry(holder, -10)
    for _ in range(2):
        attempt = quiz_attempt_begin(user=user, quiz=quiz)
        quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=wrong_answers(attempt))
    with pytest.raises(AttemptRefused, match="failed 2 attempts in a row"):
        quiz_attempt_begin(user=user, quiz=quiz)
    assert Certificate.objects.filter(user=user).count() == 1  # failures renew nothing


def test_expired_stays_expired_and_a_late_renewal_runs_from_its_issue(holder, user, django_capture_on_commit_callbacks):
    old = move_expiry(holder, -30)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = quiz_attempt_begin(user=user, quiz=holder.topic.quiz)
        quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=correct_answers(attempt))
    new = Certificate.objects.get(renews=old)
    assert new.valid_until == add_months(new.issued_at, 12)
    old.refresh_from_db()
    assert old.status == "issued" and old.is_expired()


def test_a_material_content_change_opens_renewal_for_holders(client, user, holder):
    topic = holder.topic
    client.force_login(user)
    topic_recertification_require(topic_id=topic.pk)
    standing = renewal_standing(user=user, topic_id=topic.pk)
    assert standing.outdated and standing.state == "outdated" and standing.renewable
    me = client.get(reverse("progress:me")).content.decode()
    assert "the content changed since you earned it" in me
    assert "content changed since you earned your certificate" in client.get(topic.get_absolute_url()).content.decode()
    attempt = quiz_attempt_begin(user=user, quiz=topic.quiz)
    assert attempt.submitted_at is None
