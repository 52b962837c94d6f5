"""A holder whose certificate expires within the renewal window renews it in the browser: /me/ offers Renew,
the quiz opens again, a pass issues a new certificate, and the old one's public page says it was renewed."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from progress.models import Certificate
from progress.services.assessment import quiz_attempt_begin, quiz_attempt_submit
from tests.e2e.helpers import log_in, topic_with_lessons
from tests.e2e.test_quiz import answer
from tests.factories import PASSWORD, UserFactory, correct_answers
from tests.quizzes.support import ready_for_quiz

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_holder_renews_an_expiring_certificate(site, page, track, settings):
    settings.CERTIFICATE_VALIDITY_MONTHS = 12
    topic, _ = topic_with_lessons(track, at_least=1, with_quiz=True)
    user = UserFactory()
    ready_for_quiz(user, topic)
    attempt = quiz_attempt_begin(user=user, quiz=topic.quiz)
    quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=correct_answers(attempt))
    old = Certificate.objects.get(user=user, topic=topic, status="issued")
    Certificate.objects.filter(pk=old.pk).update(valid_until=timezone.now() + dt.timedelta(days=20))

    log_in(page, email=user.email, password=PASSWORD)
    page.goto("/me/")
    renew_box = page.locator("section.renew-box")
    expect(renew_box).to_contain_text(topic.title)
    expect(renew_box).to_contain_text("expires on")
    renew_box.get_by_role("link", name="Renew").click()
    expect(page.get_by_role("heading", level=1, name=f"Quiz: {topic.title}")).to_be_visible()
    expect(page.get_by_text("Pass the quiz again to renew your certificate")).to_be_visible()
    page.get_by_role("button", name="Start the renewal").click()
    renewal, _ = answer(page, user, right=True)
    assert renewal.pk != attempt.pk
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Not passed this time")

    new = Certificate.objects.get(renews=old)
    assert new.status == "issued"
    page.goto(f"/certificates/{old.code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Valid certificate")
    expect(page.get_by_text("renewed by certificate")).to_be_visible()
    page.get_by_role("link", name=new.code[:13]).click()
    expect(page.get_by_text("renews certificate")).to_be_visible()
    page.goto("/me/")
    expect(page.locator("section.renew-box")).to_have_count(0)
