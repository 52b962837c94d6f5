"""A learner starts a topic and goes through it with "Complete and continue" (htmx: each next lesson comes
in without a page load), lands on the quiz, passes it, and the result page offers the certificate: download,
copy link, LinkedIn, and the next topic."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from progress.models import Certificate, Enrollment
from progress.services.assessment import quiz_attempt_submit
from quizzes.services import quiz_attempt_start
from tests.e2e.helpers import log_in, topic_with_lessons
from tests.factories import PASSWORD, UserFactory, correct_answers

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_complete_and_continue_through_a_topic_then_pass_and_get_the_certificate(site, page, track):
    topic, lessons = topic_with_lessons(track, at_least=3, with_quiz=True)
    learner = UserFactory()
    log_in(page, email=learner.email, password=PASSWORD)

    # Reading is not enrolling; Start is.
    page.goto(lessons[1].get_absolute_url())
    expect(page.get_by_text("You are browsing this topic")).to_be_visible()
    assert not Enrollment.objects.filter(user=learner).exists()
    page.goto(topic.get_absolute_url())
    page.get_by_test_id("start").click()
    expect(page).to_have_url(site + lessons[0].get_absolute_url())
    expect(page.get_by_text(f"You are enrolled in {topic.title}.")).to_be_visible()
    assert Enrollment.objects.filter(user=learner, topic=topic).exists()

    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("window.__marker = 1")
    steps = page.locator("#lesson-nav li")
    total = len(lessons)
    for index, lesson in enumerate(lessons):
        expect(page.get_by_role("heading", level=1, name=lesson.title)).to_be_visible()
        expect(page.locator("#lesson-nav li.is-current")).to_contain_text(lesson.title)
        button = page.get_by_test_id("complete-and-continue")
        expect(button).to_have_text(
            re.compile("Complete and continue" if index + 1 < total else "Complete and take the quiz")
        )
        button.click()
        if index + 1 < total:
            expect(page).to_have_url(site + lessons[index + 1].get_absolute_url())
            expect(page).to_have_title(re.compile(re.escape(lessons[index + 1].title)))
            expect(page.locator("#lesson-nav li.step-done")).to_have_count(index + 1)
    expect(page).to_have_url(site + f"/topics/{topic.slug}/quiz/")
    assert page.evaluate("window.__marker") == 1, "Complete and continue reloaded the page instead of swapping"
    expect(page.get_by_role("status").filter(has_text="is complete")).to_have_count(0)  # messages are not status

    # Back on the last lesson, the quiz is the main button, and the sidebar says only the quiz is left.
    page.goto(lessons[-1].get_absolute_url())
    expect(page.get_by_test_id("next-step")).to_have_text("Take the quiz")
    expect(page.locator("#topic-progress .progress-text")).to_have_text(f"{total}/{total} lessons · quiz to take")
    expect(steps.last).to_contain_text("Quiz")

    # A pass: the result page offers the certificate.
    attempt = quiz_attempt_start(user=learner, quiz=topic.quiz)
    quiz_attempt_submit(attempt_id=attempt.pk, user=learner, answers=correct_answers(attempt))
    certificate = Certificate.objects.get(user=learner, topic=topic)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page.goto(reverse("quizzes:result", args=[topic.slug, attempt.pk]))
    expect(page.get_by_role("heading", name="You earned a certificate")).to_be_visible()
    expect(page.get_by_test_id("certificate-link")).to_have_attribute("href", certificate.get_absolute_url())
    linkedin = page.get_by_test_id("linkedin")
    expect(linkedin).to_have_attribute(
        "href", re.compile(r"^https://www\.linkedin\.com/profile/add\?startTask=CERTIFICATION_NAME&name=")
    )
    expect(page.get_by_test_id("next-topic")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_test_id("certificate-download").click()
    assert download.value.suggested_filename == f"certificate-{certificate.code}.pdf"
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == certificate.verification_url
    page.get_by_test_id("certificate-link").click()
    expect(page.get_by_role("heading", level=1, name="Valid certificate")).to_be_visible()
