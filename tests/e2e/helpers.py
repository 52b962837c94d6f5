"""What a person does in the browser, shared by the flows: sign up, confirm the email, log in and out;
and picking real topics of the loaded track to work on."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from playwright.sync_api import Page, expect

from tests.factories import TOTP_SECRET

CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+")
INVITATION_LINK = re.compile(r"https?://\S+/invitations/[^/\s]+/")


def field(text: str) -> re.Pattern:
    """A form label as Django renders it, with or without its label suffix (\"Email:\")."""
    return re.compile(rf"^\s*{re.escape(text)}:?\s*$")


def path_of(url: str) -> str:
    """The path (and query) of a URL, to reach it on the live server whatever host a link names."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def last_email_to(address: str):
    sent = [m for m in mail.outbox if address in m.to]
    assert sent, f"no email was sent to {address}; outbox: {[(m.to, m.subject) for m in mail.outbox]}"
    return sent[-1]


def link_in_last_email(address: str, pattern: re.Pattern) -> str:
    message = last_email_to(address)
    match = pattern.search(message.body)
    assert match, f"no link matching {pattern.pattern} in the email {message.subject!r}:\n{message.body}"
    return match.group(0)


def sign_up(page: Page, *, email: str, full_name: str, password: str, go: bool = True) -> None:
    """Fill in allauth's signup form (on the page already open when `go` is false)."""
    if go:
        page.goto("/accounts/signup/")
    page.get_by_label(field("Email")).fill(email)
    page.get_by_label(field("Full name")).fill(full_name)
    page.get_by_label(field("Password")).fill(password)
    page.get_by_label(field("Password (again)")).fill(password)
    page.get_by_role("button", name="Sign Up").click()
    # Verification is mandatory: allauth says an email was sent and does not log the person in.
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))


def confirm_email(page: Page, address: str) -> None:
    """Open the confirmation link of the last email to `address` and press Confirm."""
    link = link_in_last_email(address, CONFIRM_LINK)
    page.goto(path_of(link))
    expect(page.get_by_role("heading", name="Confirm Email Address")).to_be_visible()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text(f"You have confirmed {address}")).to_be_visible()


def log_in(page: Page, *, email: str, password: str, go: bool = True) -> None:
    """Log in through the login form (on the page already open when `go` is false)."""
    if go:
        page.goto("/accounts/login/")
    page.get_by_label(field("Email")).fill(email)
    page.get_by_label(field("Password")).fill(password)
    page.get_by_role("button", name="Sign In").click()
    code, logged_in = page.locator("input[name=code]"), page.get_by_role("button", name="Log out")
    expect(code.or_(logged_in).first).to_be_visible()
    if code.is_visible():  # staff have a second factor: the factories' authenticator app
        code.fill(format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30)))
        page.get_by_role("button", name="Sign In").first.click()
    expect(logged_in).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Log out").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Log in", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)


def topic_with_lessons(topics, *, at_least: int = 2, with_quiz: bool = False):
    """The first published topic of the track with enough published lessons (and a published quiz)."""
    from quizzes.models import Quiz

    for topic in topics:
        lessons = list(topic.lessons.filter(is_published=True).order_by("position"))
        if len(lessons) < at_least:
            continue
        if with_quiz and not Quiz.objects.filter(topic=topic, is_published=True, questions__is_active=True).exists():
            continue
        return topic, lessons
    raise AssertionError("the loaded track has no topic that fits this test")
