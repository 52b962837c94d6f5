"""A learner's own pages kept for them in the shared cache (safety_academy.learner_pages): served again without a
query, never to anyone else, and never once something they show has changed."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from progress.models import Certificate, LessonProgress
from progress.services import learning
from progress.services import teams as team_services
from progress.services.assessment import quiz_attempt_begin, quiz_attempt_submit
from progress.services.learning import lesson_complete
from progress.services.summary import topic_progress_rebuild
from safety_academy import learner_pages
from safety_academy.api_guards import UserRateThrottle
from safety_academy.learner_pages import LearnerPageCacheMiddleware
from tests.factories import AssignmentFactory, MembershipFactory, UserFactory, topic_with_lessons, wrong_answers


@pytest.fixture
def shared_cache(db, settings):
    settings.CACHE_URL = "redis://as-in-production"  # only its presence matters: the cache itself is the test's
    return settings


@pytest.fixture
def topic(db):
    return topic_with_lessons(3, quiz_questions=3)


def pages(topic) -> list[str]:
    lesson = topic.lessons.order_by("position").first()
    return [
        reverse("courses:catalogue"),
        topic.get_absolute_url(),
        lesson.get_absolute_url(),
        reverse("quizzes:quiz", args=[topic.slug]),
        reverse("progress:me"),
    ]


def signed_in(client, user):
    """A browser as a learner has it: a session and the CSRF cookie the first page set."""
    client.force_login(user)
    client.get(reverse("progress:me"))
    return client


def test_a_learner_gets_their_page_again_without_a_query(shared_cache, client, topic, django_assert_num_queries):
    signed_in(client, UserFactory())
    for path in pages(topic):
        client.get(path)  # a lesson's first opening is a write, and what it changes is on the page
        first = client.get(path)
        assert first.status_code == 200, path
        with django_assert_num_queries(0):
            again = client.get(path)
        assert again.content == first.content, path
        for header in ("Content-Type", "Content-Security-Policy", "X-Frame-Options", "Cache-Control"):
            assert again[header] == first[header], (path, header)
        assert "no-store" in again["Cache-Control"] and "private" in again["Cache-Control"]


def test_no_learner_is_ever_served_another_ones_page(shared_cache, client, topic):
    """Two learners, each with their own name and progress, take turns on the same pages: each sees only their own,
    whoever came first, and a visitor sees no one's."""
    ada, bo = UserFactory(), UserFactory()
    learning.profile_update(user=ada, full_name="Ada Marker")
    learning.profile_update(user=bo, full_name="Bo Marker")
    lesson_complete(user=ada, lesson=topic.lessons.order_by("position").first())
    for _ in range(2):  # the second round is served from the cache
        for learner, name, other in ((ada, "Ada Marker", "Bo Marker"), (bo, "Bo Marker", "Ada Marker")):
            signed_in(client, learner)
            for path in pages(topic):
                page = client.get(path).content.decode()
                assert name in page and other not in page, (path, name)
            me = client.get(reverse("progress:me")).content.decode()
            assert ("1 of 3" in me or "33%" in me) == (learner == ada)
    client.logout()
    for path in pages(topic)[:3]:
        page = client.get(path).content.decode()
        assert "Ada Marker" not in page and "Bo Marker" not in page


def _unmasked(page: bytes) -> str:
    """A page with its CSRF tokens blanked: every render masks the same secret differently."""
    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+"|(data-csrf-token=")[^"]+"', r"\1\2", page.decode())


def test_every_write_a_page_shows_reaches_it_at_once(shared_cache, client, settings, topic):
    """After each kind of write, every page served is the page a fresh render gives (CSRF masks aside), and the
    write changed at least one of them."""
    learner = UserFactory()
    signed_in(client, learner)
    lessons = list(topic.lessons.order_by("position"))
    team = MembershipFactory(user=learner).team
    made = {}

    def served(path):
        client.get(path)  # kept, unless something the page shows is due to change
        return _unmasked(client.get(path).content)  # from the cache when kept

    def fresh(path):
        settings.CACHE_URL = ""
        try:
            return _unmasked(client.get(path).content)
        finally:
            settings.CACHE_URL = "redis://as-in-production"

    writes = [
        ("a new name", lambda: client.post(reverse("progress:profile"), {"full_name": "Ada Lovelace"})),
        ("an enrolment", lambda: learning.enrollment_create(user=learner, topic=topic)),
        ("a lesson done", lambda: lesson_complete(user=learner, lesson=lessons[0])),
        ("a lesson undone", lambda: learning.lesson_uncomplete(user=learner, lesson=lessons[0])),
        ("every lesson done", lambda: [lesson_complete(user=learner, lesson=x) for x in lessons]),
        ("an attempt opened", lambda: made.update(attempt=quiz_attempt_begin(user=learner, quiz=topic.quiz))),
        (
            "an attempt submitted",
            lambda: quiz_attempt_submit(
                attempt_id=made["attempt"].pk, user=learner, answers=wrong_answers(made["attempt"])
            ),
        ),
        ("a team assignment", lambda: made.update(assignment=AssignmentFactory(team=team, topic=topic))),
        ("the team renamed", lambda: rename(team, "Renamed Marker Team")),
        ("an assignment removed", lambda: made["assignment"].delete()),
    ]
    for what, write in writes:
        before = {path: served(path) for path in pages(topic)}
        write()
        after = {path: served(path) for path in pages(topic)}
        for path in pages(topic):
            assert after[path] == fresh(path), (what, path)
        assert after != before, what


def rename(team, name):
    team.name = name
    team.save()


def test_a_bulk_rebuild_of_the_summaries_reaches_every_page(shared_cache, client, topic):
    learner = UserFactory()
    signed_in(client, learner)
    before = client.get(topic.get_absolute_url()).content
    now = timezone.now()
    LessonProgress.objects.bulk_create(  # rows written past the services, as seed_demo does
        [LessonProgress(user=learner, lesson=x, first_opened_at=now, completed_at=now) for x in topic.lessons.all()]
    )
    assert client.get(topic.get_absolute_url()).content == before  # nothing told the cache...
    topic_progress_rebuild(user_ids=[learner.pk])  # ...until the rebuild every bulk write is followed by
    assert client.get(topic.get_absolute_url()).content != before


def test_a_lesson_served_from_the_cache_still_records_the_opening(shared_cache, client, topic, monkeypatch):
    monkeypatch.setattr(learning, "OPENING_SECONDS", 0)  # every opening recorded, not once a minute
    learner = UserFactory()
    signed_in(client, learner)
    lesson = topic.lessons.order_by("position").first()
    client.get(lesson.get_absolute_url())
    client.get(lesson.get_absolute_url())  # kept now
    recorded = LessonProgress.objects.get(user=learner, lesson=lesson).last_opened_at
    assert client.get(lesson.get_absolute_url()).status_code == 200  # a hit
    assert LessonProgress.objects.get(user=learner, lesson=lesson).last_opened_at > recorded


def test_reopening_the_same_lesson_within_a_minute_writes_nothing(shared_cache, topic, django_assert_num_queries):
    learner = UserFactory()
    lesson = topic.lessons.order_by("position").first()
    learning.lesson_open(user=learner, lesson=lesson)
    with django_assert_num_queries(0):
        learning.lesson_open(user=learner, lesson=lesson)
    other = topic.lessons.order_by("position").last()
    learning.lesson_open(user=learner, lesson=other)
    # The first lesson again, after another: its times move (two UPDATEs in a transaction, here a savepoint inside
    # the test's), and the learner's teams are looked up, as their dashboards show the last activity.
    with django_assert_num_queries(5):
        learning.lesson_open(user=learner, lesson=lesson)


def continue_link(page: bytes) -> str:
    return re.search(r'data-testid="continue" href="([^"]+)"', page.decode()).group(1)


def test_opening_another_lesson_moves_the_continue_point_on_me(shared_cache, client, topic):
    learner = UserFactory()
    signed_in(client, learner)
    first, last = topic.lessons.order_by("position")[0], topic.lessons.order_by("position")[2]
    learning.enrollment_create(user=learner, topic=topic)
    client.get(last.get_absolute_url())
    client.get(first.get_absolute_url())
    client.get(reverse("progress:me"))
    assert continue_link(client.get(reverse("progress:me")).content) == first.get_absolute_url()
    client.get(last.get_absolute_url())
    assert continue_link(client.get(reverse("progress:me")).content) == last.get_absolute_url()


def kept_page(client, path):
    """What the cache holds for this client's next request of `path` (None: nothing)."""
    request = RequestFactory().get(path)
    request.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}
    request.session = client.session
    found = LearnerPageCacheMiddleware.lookup(request)
    assert found is not None, "the request should have been looked up"
    return LearnerPageCacheMiddleware.kept_answer(found)


def test_staff_pages_are_never_kept(shared_cache, staff_user, user):
    """Staff see hidden content and pass the second-factor check on every page: their pages take the usual path."""
    for person, kept in ((staff_user, False), (user, True)):
        request = RequestFactory().get("/")
        request.user, request.session = person, {}
        timeout = LearnerPageCacheMiddleware.keep_for(request, HttpResponse("a page"), person.pk)
        assert bool(timeout) is kept, person


def test_a_page_with_messages_is_not_kept_and_messages_are_never_replayed(shared_cache, client, topic):
    learner = UserFactory()
    signed_in(client, learner)
    lesson = topic.lessons.order_by("position").first()
    client.get(reverse("progress:me"))
    client.post(reverse("progress:lesson_complete", args=[topic.slug, lesson.slug]))  # leaves "marked complete"
    shown = client.get(reverse("progress:me")).content.decode()
    again = client.get(reverse("progress:me")).content.decode()
    assert 'class="messages"' in shown and 'class="messages"' not in again


def test_a_signed_out_or_deactivated_learner_gets_no_kept_page(shared_cache, client, topic):
    learner = UserFactory()
    signed_in(client, learner)
    client.get(reverse("progress:me"))
    assert kept_page(client, reverse("progress:me")) is not None
    learner.is_active = False
    learner.save()
    assert client.get(reverse("progress:me")).status_code == 302
    other = UserFactory()
    signed_in(client, other)
    client.get(reverse("progress:me"))
    assert kept_page(client, reverse("progress:me")) is not None
    client.post(reverse("account_logout"))
    assert client.get(reverse("progress:me")).status_code == 302


def test_moments_ahead_bound_how_long_a_page_is_kept(db):
    request = RequestFactory().get("/")
    learner_pages.page_valid_until(request, timezone.now() - dt.timedelta(days=1), None)
    assert not hasattr(request, "learner_page_valid_until")  # a moment passed changes nothing
    soon = timezone.now() + dt.timedelta(seconds=90)
    learner_pages.page_valid_until(request, timezone.now() + dt.timedelta(days=2), soon)
    assert request.learner_page_valid_until == soon
    learner_pages.page_not_kept(request)
    assert request.learner_page_valid_until <= timezone.now()


def test_a_certificate_expiring_soon_keeps_me_no_longer(shared_cache, client, topic, monkeypatch):
    learner = UserFactory()
    signed_in(client, learner)
    Certificate.objects.create(
        user=learner, topic=topic, status=Certificate.Status.ISSUED, valid_until=timezone.now() + dt.timedelta(hours=1)
    )
    timeouts = []
    keep = learner_pages.cache.set

    def recording_set(key, value, timeout=None):
        timeouts.append(timeout)
        keep(key, value, timeout)

    monkeypatch.setattr(learner_pages.cache, "set", recording_set)
    client.get(reverse("progress:me"))
    assert timeouts == [shared_cache.LEARNER_PAGE_SECONDS]  # the renewal window opened long ago; expiry is an hour off
    Certificate.objects.filter(user=learner).update(valid_until=timezone.now() + dt.timedelta(seconds=30))
    learner_pages.learners_changed([learner.pk])
    client.get(reverse("progress:me"))
    assert 0 < timeouts[-1] <= 30


def test_without_a_shared_cache_every_request_renders_the_page(db, client, topic):
    signed_in(client, UserFactory())
    client.get(reverse("progress:me"))
    with CaptureQueriesContext(connection) as counted:
        client.get(reverse("progress:me"))
    assert not learner_pages.enabled() and len(counted) > 0


def test_a_quiz_in_its_cooldown_is_rendered_afresh(shared_cache, client, topic):
    learner = UserFactory()
    quiz = topic.quiz
    quiz.cooldown_failures, quiz.cooldown_hours = 1, 1
    quiz.save()
    for lesson in topic.lessons.all():
        lesson_complete(user=learner, lesson=lesson)
    attempt = quiz_attempt_begin(user=learner, quiz=quiz)
    quiz_attempt_submit(attempt_id=attempt.pk, user=learner, answers=wrong_answers(attempt))
    signed_in(client, learner)
    for path in (reverse("quizzes:quiz", args=[topic.slug]), topic.get_absolute_url()):
        client.get(path)
        assert "You can try again in" in client.get(path).content.decode()
        assert kept_page(client, path) is None
    client.get(reverse("progress:me"))
    assert kept_page(client, reverse("progress:me")) is not None  # the rest of the learner's pages are kept


def test_a_leads_dashboard_follows_every_write_of_the_team_and_its_members(shared_cache, client, topic, monkeypatch):
    """The dashboard is kept for its lead under the team's version too: after each kind of write to a member's rows
    or the team's, the dashboard served is the one a fresh render gives."""
    monkeypatch.setattr(learning, "OPENING_SECONDS", 0)  # every opening recorded, not once a minute
    lead_membership = MembershipFactory(role="lead")
    team, lead = lead_membership.team, lead_membership.user
    member = MembershipFactory(team=team).user
    other = UserFactory()
    lesson = topic.lessons.order_by("position").first()
    signed_in(client, lead)
    dashboard = reverse("progress:team_dashboard", args=[team.slug])
    due = timezone.localdate() + dt.timedelta(days=10)

    def served():
        client.get(dashboard)
        return _unmasked(client.get(dashboard).content)

    def fresh():
        with override_settings(LEARNER_PAGE_SECONDS=0):
            return _unmasked(client.get(dashboard).content)

    writes = [
        (
            "an assignment",
            lambda: team_services.assignment_create(team=team, topic=topic, due_on=due, assigned_by=lead),
        ),
        ("a member opens a lesson", lambda: learning.lesson_open(user=member, lesson=lesson)),
        ("and opens it again", lambda: learning.lesson_open(user=member, lesson=lesson)),  # last activity moves
        ("a member completes it", lambda: lesson_complete(user=member, lesson=lesson)),
        ("a member's new name", lambda: learning.profile_update(user=member, full_name="Renamed Member Marker")),
        ("an invitation", lambda: team_services.team_invite(team=team, text="new@example.com", invited_by=lead)),
        ("it is withdrawn", lambda: team_services.invitation_revoke(invitation=team.invitations.get())),
        ("a member joins", lambda: MembershipFactory(team=team, user=other)),
        ("a member leaves", lambda: team_services.membership_remove(team=team, user_id=member.pk)),
    ]
    assert client.get(dashboard).status_code == 200
    for what, write in writes:
        before = served()
        write()
        after = served()
        assert after == fresh(), what
        assert after != before, what


def test_a_member_opening_a_lesson_again_moves_only_the_dashboard(shared_cache, client, topic, monkeypatch):
    monkeypatch.setattr(learning, "OPENING_SECONDS", 0)
    membership = MembershipFactory()
    lesson = topic.lessons.order_by("position").first()
    learning.lesson_open(user=membership.user, lesson=lesson)
    signed_in(client, membership.user)
    client.get(reverse("progress:me"))
    kept = kept_page(client, reverse("progress:me"))
    assert kept is not None
    learning.lesson_open(user=membership.user, lesson=lesson)  # the same lesson: last activity moves
    assert kept_page(client, reverse("progress:me")) == kept


def test_the_api_lists_are_kept_too_and_still_count_against_the_rate_limit(shared_cache, client, topic, monkeypatch):
    lead_membership = MembershipFactory(role="lead")
    MembershipFactory(team=lead_membership.team)
    signed_in(client, lead_membership.user)
    lists = ["/api/v1/topics/", f"/api/v1/teams/{lead_membership.team.slug}/members/"]
    for path in lists:
        first = client.get(path, HTTP_ACCEPT="application/json")
        with CaptureQueriesContext(connection) as counted:
            again = client.get(path, HTTP_ACCEPT="application/json")
        assert again.status_code == 200 and again.json() == first.json() and len(counted) == 0, path
    browsable = client.get(lists[0], HTTP_ACCEPT="text/html")  # another Accept, another answer
    assert browsable["Content-Type"].startswith("text/html")

    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute", "anon": "3/minute"})
    cache.clear()  # the counters start again (and the kept answers go)
    statuses = [client.get(lists[1], HTTP_ACCEPT="application/json").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]  # the second and third were served from the cache, and counted


def test_an_api_token_is_never_answered_from_the_sessions_pages(shared_cache, client, topic):
    lead_membership = MembershipFactory(role="lead")
    signed_in(client, lead_membership.user)
    path = f"/api/v1/teams/{lead_membership.team.slug}/members/"
    client.get(path)
    assert client.get(path).status_code == 200  # kept for the session's lead
    someone = UserFactory()
    token = learning.api_token_create(user=someone)
    assert client.get(path, HTTP_AUTHORIZATION=f"Token {token.key}").status_code in (403, 404)


def test_the_members_api_follows_the_members_progress(shared_cache, client, topic):
    lead_membership = MembershipFactory(role="lead")
    member = MembershipFactory(team=lead_membership.team).user
    team_services.assignment_create(
        team=lead_membership.team, topic=topic, due_on=timezone.localdate(), assigned_by=lead_membership.user
    )
    signed_in(client, lead_membership.user)
    path = f"/api/v1/teams/{lead_membership.team.slug}/members/"

    def percent():
        client.get(path)
        rows = client.get(path).json()["results"]
        return next(row for row in rows if row["user_id"] == member.pk)["cells"][0]["percent"]

    assert percent() == 0
    lesson_complete(user=member, lesson=topic.lessons.order_by("position").first())
    assert percent() == 33


def test_with_the_cache_down_every_page_is_rendered_and_nothing_is_kept(shared_cache, client, topic, monkeypatch):
    """The cache fails open (safety_academy.cache): reads find nothing and writes are dropped, as here."""
    signed_in(client, UserFactory())
    kept = []
    monkeypatch.setattr(learner_pages.cache, "get_many", lambda keys: {})
    monkeypatch.setattr(learner_pages.cache, "add", lambda *args, **kwargs: False)
    monkeypatch.setattr(learner_pages.cache, "get", lambda *args, **kwargs: None)
    monkeypatch.setattr(learner_pages.cache, "set", lambda key, *args, **kwargs: kept.append(key))
    for path in pages(topic):
        with CaptureQueriesContext(connection) as counted:
            assert client.get(path).status_code == 200, path
        assert len(counted) > 0, path  # rendered
    assert not [key for key in kept if key.startswith("learner-page:")]
