"""A new learner signs up, verifies the email, enrols in a topic, completes a lesson in place
(htmx, no reload), moves on, and after logging out and in again is sent back where they left off."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import confirm_email, log_in, log_out, sign_up, topic_with_lessons

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "new.learner@example.com"
FULL_NAME = "Ada Learner"
PASSWORD = "a-long-browser-password-73"


def test_learner_signs_up_completes_a_lesson_and_continues_where_they_left_off(site, page, track):
    topic, lessons = topic_with_lessons(track, at_least=2)
    first, second = lessons[0], lessons[1]
    total = len(lessons)

    # Sign up and verify the address from the email: confirming it logs the new learner in.
    sign_up(page, email=EMAIL, full_name=FULL_NAME, password=PASSWORD)
    confirm_email(page, EMAIL)
    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    # The topic page: enrol.
    page.goto(topic.get_absolute_url())
    expect(page.get_by_role("heading", level=1, name=topic.title)).to_be_visible()
    progress = page.locator("#topic-progress .progress-text")
    expect(progress).to_have_text(re.compile(rf"^0/{total}\b"))
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_text(f"You are enrolled in {topic.title}.")).to_be_visible()
    expect(page.get_by_role("button", name="Leave this topic")).to_be_visible()

    # The first lesson, completed with the htmx button: the page is updated in place, not reloaded.
    page.locator("#lesson-list").get_by_role("link", name=first.title, exact=True).click()
    expect(page).to_have_url(site + first.get_absolute_url())
    expect(page.get_by_role("heading", level=1, name=first.title)).to_be_visible()
    expect(progress).to_have_text(re.compile(rf"^0/{total}\b"))
    page.wait_for_function("() => window.htmx !== undefined")  # htmx is loaded (deferred script)
    page.evaluate("window.__marker = 1")
    with page.expect_response(lambda r: r.url.endswith(f"/{first.slug}/complete/")) as completion:
        page.get_by_test_id("mark-complete").click()
    assert completion.value.status == 200
    expect(page.get_by_role("status").filter(has_text="You completed this lesson")).to_be_visible()
    expect(progress).to_have_text(re.compile(rf"^1/{total}\b"))
    expect(page.get_by_test_id("mark-complete")).to_have_count(0)
    assert page.evaluate("window.__marker") == 1, "marking the lesson complete reloaded the page"
    expect(page.locator("#lesson-nav li.step-done")).to_have_count(1)

    # The second lesson, opened and left unfinished: it is where the learner left off.
    page.get_by_role("link", name=re.compile(rf"^Next\s*{re.escape(second.title)}$")).click()
    expect(page).to_have_url(site + second.get_absolute_url())
    expect(page.get_by_role("heading", level=1, name=second.title)).to_be_visible()
    expect(progress).to_have_text(re.compile(rf"^1/{total}\b"))

    # Log out with the header button, log back in, and continue from /me/.
    log_out(page)
    log_in(page, email=EMAIL, password=PASSWORD)
    page.goto("/me/")
    continue_link = page.get_by_test_id("continue")
    expect(continue_link).to_have_text(second.title)
    continue_link.click()
    expect(page).to_have_url(site + second.get_absolute_url())
    expect(page.get_by_role("heading", level=1, name=second.title)).to_be_visible()
