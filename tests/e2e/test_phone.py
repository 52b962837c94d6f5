"""At a phone's width (390 px) no page scrolls sideways: the catalogue, search, login, the account pages
and lessons from every category (those with the widest code blocks and tables first); code and tables
scroll inside their own focusable regions, which axe accepts."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db.models import Q
from django.db.models.functions import Length

from courses.models import Category, Lesson
from tests.e2e.helpers import log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LESSONS_PER_CATEGORY = 2


def lessons_to_check() -> list[Lesson]:
    """Per category, its lessons with the longest code and table markup (where overflow starts), then others."""
    chosen = []
    for category in Category.objects.order_by("position"):
        lessons = (
            Lesson.objects.filter(topic__category=category, is_published=True, topic__is_published=True)
            .filter(Q(body_html__contains="<pre") | Q(body_html__contains="<table"))
            .select_related("topic")
            .order_by(-Length("body_html"), "pk")
        )
        chosen += list(lessons[:LESSONS_PER_CATEGORY])
    return chosen


def sideways_overflow(page) -> int:
    """How far the page scrolls sideways past the phone's width, in CSS pixels (0 when it fits)."""
    width = page.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    return max(0, width - PHONE["width"])


def widest_elements(page) -> list[str]:
    """What sticks out of the viewport, to say which element to fix when the check fails."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > 391)
            .filter(e => !e.closest('pre, .table-scroll, .table-wrap'))
            .slice(0, 5)
            .map(e => [e.tagName.toLowerCase(), ...e.classList].join('.')
                      + ` (${Math.round(e.getBoundingClientRect().right)}px)`)"""
    )


def test_no_page_scrolls_sideways_at_phone_width(site, browser, track):
    lessons = lessons_to_check()
    assert len(lessons) >= 12, "the track should offer at least 12 lessons with code or tables"
    learner = UserFactory()
    # Not is_mobile: a mobile viewport zooms out to fit a page that is too wide, hiding the overflow we measure.
    context = browser.new_context(base_url=site, viewport=PHONE)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        found = {}
        anonymous = ["/", "/search/?q=conformal+coverage", "/search/?q=hazard&page=2", "/accounts/login/"]
        anonymous += ["/accounts/signup/", "/accounts/password/reset/"]
        for url in anonymous:
            page.goto(url)
            found[url] = sideways_overflow(page)
        log_in(page, email=learner.email, password=PASSWORD)
        for url in ["/", "/me/", "/me/profile/", lessons[0].topic.get_absolute_url()]:
            page.goto(url)
            found[f"{url} (signed in)"] = sideways_overflow(page)
        for lesson in lessons:
            page.goto(lesson.get_absolute_url())
            found[lesson.get_absolute_url()] = sideways_overflow(page)
            if found[lesson.get_absolute_url()] > 0:
                found[lesson.get_absolute_url() + " sticks out"] = widest_elements(page)
        assert {url: px for url, px in found.items() if px} == {}
        assert errors == []

        # The wide code blocks and tables scroll in their own regions, which a keyboard can reach.
        page.goto(lessons[0].get_absolute_url())
        region = page.locator(".lesson-body [role=region][tabindex='0']").first
        region.focus()
        assert page.evaluate("() => document.activeElement.getAttribute('role')") == "region"
        response = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}}).response
        assert [v["id"] for v in response["violations"]] == []
    finally:
        context.close()
