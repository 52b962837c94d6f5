"""axe-core (bundled by axe-playwright-python, nothing downloaded) checks the main pages against
WCAG 2.1 A and AA, in the light and the dark theme: no violation is allowed, contrast included (the
highlighted code of a lesson too, and its scroll regions), and the result page of a pass."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from courses.models import Lesson
from progress.models import Certificate, Team, TeamMembership
from progress.services.assessment import quiz_attempt_submit
from progress.services.learning import lesson_complete, lesson_open
from quizzes.services import quiz_attempt_start
from tests.e2e.helpers import log_in, topic_with_lessons
from tests.factories import (
    PASSWORD,
    AssignmentFactory,
    MembershipFactory,
    UserFactory,
    correct_answers,
    wrong_answers,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def violations(page) -> list[str]:
    response = Axe().run(page, options=WCAG_AA).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in response["violations"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_main_pages_meet_wcag_aa(site, new_page, track, scheme):
    topic, lessons = topic_with_lessons(track, at_least=2, with_quiz=True)
    other, other_lessons = topic_with_lessons(track.exclude(pk=topic.pk), at_least=1, with_quiz=True)
    learner = UserFactory()
    lesson_open(user=learner, lesson=lessons[0])
    for lesson in lessons + other_lessons:
        lesson_complete(user=learner, lesson=lesson)
    attempt = quiz_attempt_start(user=learner, quiz=topic.quiz)
    quiz_attempt_submit(attempt_id=attempt.pk, user=learner, answers=correct_answers(attempt))  # full review
    failed = quiz_attempt_start(user=learner, quiz=other.quiz)
    quiz_attempt_submit(attempt_id=failed.pk, user=learner, answers=wrong_answers(failed))  # verdicts only
    quiz_attempt_start(user=learner, quiz=other.quiz)  # an attempt in progress, for the quiz page
    team = Team.objects.create(slug="a11y", name="Accessibility")
    TeamMembership.objects.create(team=team, user=learner, role=TeamMembership.Role.LEAD)
    member = MembershipFactory(team=team).user
    member_attempt = quiz_attempt_start(user=member, quiz=other.quiz)  # a failure: the lead's reset form shows
    quiz_attempt_submit(attempt_id=member_attempt.pk, user=member, answers=wrong_answers(member_attempt))
    AssignmentFactory(team=team, topic=topic, due_on=timezone.localdate() + dt.timedelta(days=7))
    certificate = Certificate.objects.get(user=learner, topic=topic)
    with_code_and_table = (
        Lesson.objects.filter(body_html__contains="<pre", is_published=True, topic__is_published=True)
        .filter(body_html__contains="<table")
        .select_related("topic")
        .order_by("topic__category__position", "topic__position", "position")
        .first()
    )
    assert with_code_and_table is not None

    page = new_page(scheme)
    page.emulate_media(color_scheme=scheme)
    found = {}
    for url in ("/", "/accounts/login/", "/accounts/signup/"):
        page.goto(url)
        found[f"{url} (anonymous)"] = violations(page)
    log_in(page, email=learner.email, password=PASSWORD)
    for url in (
        "/",
        topic.get_absolute_url(),
        lessons[1].get_absolute_url(),
        with_code_and_table.get_absolute_url(),  # highlighted code and a table, in scroll regions
        f"/topics/{topic.slug}/quiz/",
        f"/topics/{topic.slug}/quiz/attempts/{attempt.pk}/",
        f"/topics/{other.slug}/quiz/",
        f"/topics/{other.slug}/quiz/attempts/{failed.pk}/",
        f"/teams/{team.slug}/members/{member.pk}/",
        "/me/",
        "/me/profile/",
        "/search/?q=hazard",
        "/search/?q=conformal+coverage&in=topics",
        f"/teams/{team.slug}/",
        f"/teams/{team.slug}/coverage/",
        "/frameworks/",
        "/frameworks/nist-ai-rmf/",
        f"/teams/{team.slug}/evidence/",
        f"/teams/{team.slug}/members/{member.pk}/",
        certificate.get_absolute_url(),
    ):
        page.goto(url)
        found[url] = violations(page)
    assert {url: v for url, v in found.items() if v} == {}
