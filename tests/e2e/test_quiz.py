"""A learner who has read every lesson of a topic takes its quiz in the browser: a failed attempt shows
which questions were right and the lessons to revisit, never the key; the next attempt draws its own
questions; passing shows the full review and earns a certificate whose public page says it is valid."""

import re

import pytest
from playwright.sync_api import expect

from progress.services.learning import lesson_complete
from quizzes.models import Attempt, Choice, Question
from tests.e2e.helpers import log_in, topic_with_lessons
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def answer(page, user, *, right: bool) -> tuple[Attempt, int]:
    """Tick the right (or one wrong) choice of every question shown, by the tokens the page carries."""
    form = page.locator("form#questions")
    attempt = Attempt.objects.get(user=user, submitted_at__isnull=True)
    shown = len(attempt.question_order)
    expect(form.locator("fieldset")).to_have_count(shown)
    tokens = form.locator("input[type=radio], input[type=checkbox]").evaluate_all("els => els.map(e => e.value)")
    assert set(tokens) == set(attempt.choice_tokens), "the form carries the attempt's tokens, nothing else"
    correct = set(
        Choice.objects.filter(question_id__in=attempt.question_order, is_correct=True).values_list("pk", flat=True)
    )
    for question_id in attempt.question_order:
        choices = attempt.choice_order[str(question_id)]
        picks = [t for t in choices if (attempt.choice_tokens[t] in correct) == right]
        for token in picks if right else picks[:1]:
            form.locator(f'input[value="{token}"]').check()
    page.get_by_role("button", name="Submit answers").click()
    return attempt, shown


def test_learner_fails_then_passes_a_quiz_and_gets_a_valid_certificate(site, page, track):
    topic, lessons = topic_with_lessons(track, at_least=1, with_quiz=True)
    user = UserFactory()
    full_name = user.profile.full_name
    for lesson in lessons:
        lesson_complete(user=user, lesson=lesson)
    explanations = list(Question.objects.filter(quiz__topic=topic).values_list("explanation", flat=True))

    log_in(page, email=user.email, password=PASSWORD)
    page.goto(topic.get_absolute_url())
    expect(page.get_by_text("The quiz opens once you are enrolled in the topic")).to_be_visible()
    page.get_by_role("article").get_by_role("link", name="Take the quiz").click()  # the sidebar offers it too
    expect(page.get_by_role("heading", level=1, name=f"Quiz: {topic.title}")).to_be_visible()
    page.get_by_role("button", name="Start the quiz").click()

    # A failed attempt: verdicts and lessons to revisit, no key, no explanation.
    first, shown = answer(page, user, right=False)
    expect(page).to_have_url(re.compile(rf"/topics/{re.escape(topic.slug)}/quiz/attempts/{first.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Not passed this time")
    expect(page.get_by_role("status")).to_contain_text(f"0 of {shown} correct")
    expect(page.locator("#revisit").get_by_role("link")).not_to_have_count(0)
    expect(page.locator("section.question.result-wrong")).to_have_count(shown)
    expect(page.get_by_text("right answer")).to_have_count(0)
    expect(page.locator(".explanation")).to_have_count(0)
    body = page.locator("main").inner_text()
    assert not any(explanation[:60] in body for explanation in explanations)
    expect(page.locator("#next-attempt")).to_contain_text("You can try again")

    # The next attempt draws its own tokens (and, where the bank allows, its own questions); pass it.
    page.get_by_role("link", name="Back to the quiz").click()
    page.get_by_role("button", name="Start another attempt").click()
    second, shown = answer(page, user, right=True)
    assert not set(second.choice_tokens) & set(first.choice_tokens)
    expect(page.get_by_role("heading", level=1)).to_have_text("Passed")
    expect(page.locator(".score")).to_have_text("100%")
    expect(page.get_by_role("status")).to_contain_text(f"{shown} of {shown} correct")
    review = page.locator(".explanation")
    expect(review).to_have_count(shown)
    for index in range(shown):
        expect(review.nth(index)).to_have_text(re.compile(r"\S"))
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
