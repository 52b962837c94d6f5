"""A learner who has read every lesson of a topic takes its quiz in the browser, answers everything
right, passes with 100%, and gets a certificate whose public page says it is valid."""

import re

import pytest
from playwright.sync_api import expect

from progress.services.learning import lesson_complete
from quizzes.models import Choice, Question
from tests.e2e.helpers import log_in, topic_with_lessons
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_learner_passes_a_quiz_and_gets_a_valid_certificate(site, page, track):
    topic, lessons = topic_with_lessons(track, at_least=1, with_quiz=True)
    user = UserFactory()
    full_name = user.profile.full_name
    for lesson in lessons:
        lesson_complete(user=user, lesson=lesson)
    question_count = Question.objects.filter(quiz__topic=topic, is_active=True).count()

    log_in(page, email=user.email, password=PASSWORD)

    page.goto(f"/topics/{topic.slug}/quiz/")
    expect(page.get_by_role("heading", level=1, name=f"Quiz: {topic.title}")).to_be_visible()
    page.get_by_role("button", name="Start the quiz").click()

    form = page.locator("form#questions")
    expect(form.locator("fieldset")).to_have_count(question_count)
    inputs = form.locator("input[type=radio], input[type=checkbox]")
    values = [int(value) for value in inputs.evaluate_all("els => els.map(e => e.value)")]
    correct = set(Choice.objects.filter(pk__in=values, is_correct=True).values_list("pk", flat=True))
    assert correct, "no correct choice is offered"
    for value in values:
        if value in correct:
            form.locator(f'input[value="{value}"]').check()
    # Every question got at least one answer.
    for index in range(question_count):
        expect(form.locator("fieldset").nth(index).locator("input:checked")).not_to_have_count(0)
    page.get_by_role("button", name="Submit answers").click()

    # The result: passed, 100%, with the explanations.
    expect(page).to_have_url(re.compile(rf"/topics/{re.escape(topic.slug)}/quiz/attempts/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Passed")
    expect(page.locator(".score")).to_have_text("100%")
    expect(page.get_by_role("status")).to_contain_text(f"{question_count} of {question_count} correct")
    explanations = page.locator(".explanation")
    expect(explanations).to_have_count(question_count)
    for index in range(question_count):
        expect(explanations.nth(index)).to_have_text(re.compile(r"\S"))
    expect(page.locator("section.question.result-wrong")).to_have_count(0)

    # /me/ lists the certificate; its public page says it is valid and names the holder.
    page.goto("/me/")
    certificate_link = page.locator("#certificates").get_by_role("link")
    expect(certificate_link).to_have_count(1)
    expect(certificate_link).to_contain_text(topic.title)
    certificate_link.click()
    expect(page).to_have_url(re.compile(r"/certificates/[^/]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Valid certificate")
    expect(page.get_by_role("status")).to_contain_text("Valid")
    holder = page.locator("dt", has_text="Holder").locator("xpath=following-sibling::dd[1]")
    expect(holder).to_have_text(full_name)
    expect(page.locator("dt", has_text="Status").locator("xpath=following-sibling::dd[1]")).to_have_text("Valid")
