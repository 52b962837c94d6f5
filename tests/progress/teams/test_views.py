"""A lead's pages and endpoints: dashboard, exports, evidence, drill-down, assignments, invitations,
and fixed query counts for a team of 500."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from progress.models import Invitation, LessonProgress, TeamMembership, TopicCompletion
from progress.services.assessment import quiz_attempt_submit
from progress.services.teams import (
    team_invite,
)
from quizzes.models import AttemptReset
from quizzes.services import quiz_attempt_start
from tests.factories import (
    AssignmentFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
    bulk_members,
    topic_with_lessons,
    wrong_answers,
)


def test_dashboard_page_and_csv(client, team_in_every_state):
    client.force_login(team_in_every_state["lead"])
    html = client.get("/teams/ops/?status=in_progress").content.decode()
    assert 'href="?status=in_progress&amp;sort=progress"' in html  # header sorting keeps the filter
    html = client.get("/teams/ops/").content.decode()
    assert "Quiz failed" in html and "Overdue" in html and "Complete" in html and "<svg" in html
    response = client.get("/teams/ops/dashboard.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "member" and len(rows) == 5
    filtered = client.get("/teams/ops/dashboard.csv?status=complete")
    assert len(list(csv.reader(io.StringIO(b"".join(filtered.streaming_content).decode())))) == 2


def test_evidence_report_as_csv_page_and_json(client, api_client, team_in_every_state):
    client.force_login(team_in_every_state["lead"])
    response = client.get("/teams/ops/evidence.csv")
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["member_email"] == "complete@example.com"
    assert row["topic"] == team_in_every_state["topic"].title
    assert row["best_quiz_score"] == "100" and row["certificate_code"]
    assert row["verification_url"].endswith(f"/certificates/{row['certificate_code']}/") and row["content_version"]
    page = b"".join(client.get("/teams/ops/evidence/").streaming_content).decode()
    assert row["certificate_code"][:10] in page and "Training evidence" in page
    api_client.force_authenticate(team_in_every_state["lead"])
    data = api_client.get("/api/v1/teams/ops/evidence/").json()["results"]
    assert data[0]["certificate_code"] == row["certificate_code"]


def test_member_drill_down(client, team_in_every_state):
    client.force_login(team_in_every_state["lead"])
    member = team_in_every_state["people"]["complete"]
    html = client.get(f"/teams/ops/members/{member.pk}/").content.decode()
    assert team_in_every_state["topic"].title in html and "Passed" in html and "Issued" in html


def test_assignments_via_page_and_api(client, api_client, team_in_every_state):
    client.force_login(team_in_every_state["lead"])
    topic = topic_with_lessons(1)
    past = client.post("/teams/ops/assignments/", {"target": f"topic:{topic.pk}", "due_on": "2001-01-01"})
    assert past.status_code == 302
    assert not team_in_every_state["team"].assignments.filter(topic=topic).exists()
    due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    client.post("/teams/ops/assignments/", {"target": f"topic:{topic.pk}", "due_on": due})
    assert team_in_every_state["team"].assignments.filter(topic=topic).exists()
    api_client.force_authenticate(team_in_every_state["lead"])
    bad = api_client.post("/api/v1/teams/ops/assignments/", {"topic": "nope", "due_on": due}, format="json")
    assert bad.status_code == 400 and "topic" in bad.json()["error"]["fields"]
    garbage = api_client.post("/api/v1/teams/ops/assignments/", {"due_on": "soon"}, format="json")
    assert garbage.status_code == 400
    category = topic.category
    made = api_client.post("/api/v1/teams/ops/assignments/", {"category": category.slug, "due_on": due}, format="json")
    assert made.status_code == 201


def test_members_see_assignments_first_on_me(client, team_in_every_state):
    client.force_login(team_in_every_state["people"]["in_progress"])
    html = client.get("/me/").content.decode()
    assert "Assigned to you" in html and team_in_every_state["topic"].title in html
    assert html.index("Assigned to you") < html.index("Your topics")


BOARD_BUDGETS = {"/teams/big/": 13, "/teams/big/dashboard.csv": 9, "/api/v1/teams/big/members/": 9}


@pytest.mark.parametrize("url", list(BOARD_BUDGETS))
def test_dashboard_for_500_members_runs_a_fixed_number_of_queries(client, db, django_assert_num_queries, url):
    team = TeamFactory(slug="big")
    lead = MembershipFactory(team=team, role=TeamMembership.Role.LEAD).user
    topics = [topic_with_lessons(3) for _ in range(10)]
    for i, topic in enumerate(topics):
        AssignmentFactory(team=team, topic=topic, due_on=timezone.localdate() + dt.timedelta(days=i - 3))
    client.force_login(lead)

    def fetch():
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)

    def members(n, start):
        for i, member in enumerate(bulk_members(team, n, start=start), start):
            progress_in_every_state(member, topics, i)

    members(20, 0)
    fetch()
    with django_assert_num_queries(BOARD_BUDGETS[url]):
        fetch()
    members(480, 20)
    with django_assert_num_queries(BOARD_BUDGETS[url]):
        fetch()


def progress_in_every_state(user, topics, i):
    """Member i: by i % 4, nothing, a lesson opened, a lesson done, or a topic complete (bulk rows)."""
    lesson = topics[i % len(topics)].lessons.first()
    now = timezone.now()
    state = i % 4
    if state:
        LessonProgress.objects.create(
            user=user, lesson=lesson, last_opened_at=now, completed_at=now if state >= 2 else None
        )
    if state == 3:
        TopicCompletion.objects.create(user=user, topic=lesson.topic, completed_at=now, content_version=now)


def test_revoked_invitation_page_and_unknown_token(client, db):
    team = TeamFactory()
    team_invite(team=team, text="gone@example.com", invited_by=None)
    invitation = Invitation.objects.get(email="gone@example.com")
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    user = UserFactory(email="gone@example.com")
    client.force_login(user)
    refused = client.post(f"/invitations/{invitation.token}/")
    assert refused.status_code == 400 and "not valid" in refused.content.decode()
    assert client.get("/invitations/no-such-token/").status_code == 404
    assert not TeamMembership.objects.filter(user=user).exists()


def test_invitation_flow_through_the_pages(client, db):
    team = TeamFactory()
    lead = MembershipFactory(team=team, role="lead").user
    client.force_login(lead)
    client.post(f"/teams/{team.slug}/invitations/", {"emails": "joiner@example.com\nbroken"})
    invitation = Invitation.objects.get(team=team, email="joiner@example.com")
    joiner = UserFactory(email="joiner@example.com")
    client.force_login(joiner)
    assert "Join" in client.get(f"/invitations/{invitation.token}/").content.decode()
    assert client.post(f"/invitations/{invitation.token}/").status_code == 302
    assert TeamMembership.objects.filter(team=team, user=joiner).exists()


def test_a_lead_grants_a_reset_from_the_member_page(client, team_in_every_state, cooling_member):
    lead, quiz = team_in_every_state["lead"], team_in_every_state["topic"].quiz
    client.force_login(lead)
    page = f"/teams/ops/members/{cooling_member.pk}/"
    html = client.get(page).content.decode()
    assert "Cooling down" in html and "Grant a reset" in html and "No resets granted." in html
    url = f"/teams/ops/members/{cooling_member.pk}/quiz-resets/"
    blank = client.post(url, {"quiz": quiz.pk, "reason": "  "}, follow=True).content.decode()
    assert "Say why the learner gets a fresh start" in blank or "This field is required" in blank
    assert not AttemptReset.objects.exists()
    done = client.post(url, {"quiz": quiz.pk, "reason": "Back from leave"}, follow=True).content.decode()
    assert f"{cooling_member.email} can take the {quiz.topic.title} quiz again." in done
    assert "Back from leave" in done and lead.email in done and "Lead of" in done and "Cooling down" not in done
    again = client.post(url, {"quiz": quiz.pk, "reason": "Twice"}, follow=True).content.decode()
    assert "nothing to reset" in again and AttemptReset.objects.count() == 1
    assert client.post(url, {"quiz": "x", "reason": "Why"}).status_code == 302  # a form error, not a 500


def test_the_reset_endpoint_grants_and_lists(api_client, team_in_every_state, cooling_member):
    lead, topic = team_in_every_state["lead"], team_in_every_state["topic"]
    url = f"/api/v1/teams/ops/members/{cooling_member.pk}/quiz-resets/"
    api_client.force_authenticate(MembershipFactory(team=TeamFactory(slug="other"), role="lead").user)
    assert api_client.post(url, {"topic": topic.slug, "reason": "x"}, format="json").status_code == 404
    api_client.force_authenticate(lead)
    bad = api_client.post(url, {"topic": "nope", "reason": ""}, format="json")
    assert bad.status_code == 400 and {"topic", "reason"} <= set(bad.json()["error"]["fields"])
    made = api_client.post(url, {"topic": topic.slug, "reason": "Back from leave"}, format="json")
    assert made.status_code == 201
    body = made.json()
    assert (body["member"], body["topic"], body["granted_by"], body["reason"]) == (
        cooling_member.email,
        topic.slug,
        lead.email,
        "Back from leave",
    )
    again = api_client.post(url, {"topic": topic.slug, "reason": "Twice"}, format="json")
    assert again.status_code == 400 and "nothing to reset" in again.json()["error"]["detail"]
    assert [r["reason"] for r in api_client.get(url).json()] == ["Back from leave"]


def test_the_member_page_runs_a_fixed_number_of_queries(
    client, team_in_every_state, cooling_member, django_assert_num_queries
):
    from progress.services.assessment import quiz_reset_grant

    lead = team_in_every_state["lead"]
    client.force_login(lead)
    url = f"/teams/ops/members/{cooling_member.pk}/"
    client.get(url)
    with django_assert_num_queries(15):
        assert client.get(url).status_code == 200
    quiz = team_in_every_state["topic"].quiz
    quiz_reset_grant(granted_by=lead, learner=cooling_member, quiz=quiz, reason="One")
    other = topic_with_lessons(2, quiz_questions=3).quiz
    for target in (quiz, other):
        attempt = quiz_attempt_start(user=cooling_member, quiz=target)
        quiz_attempt_submit(attempt_id=attempt.pk, user=cooling_member, answers=wrong_answers(attempt))
    quiz_reset_grant(granted_by=lead, learner=cooling_member, quiz=other, reason="Two")
    html = client.get(url).content.decode()
    assert "One" in html and "Two" in html
    with django_assert_num_queries(15):
        assert client.get(url).status_code == 200


def test_the_reset_list_runs_a_fixed_number_of_queries(
    api_client, team_in_every_state, cooling_member, django_assert_num_queries
):
    from progress.services.assessment import quiz_reset_grant

    lead, quiz = team_in_every_state["lead"], team_in_every_state["topic"].quiz
    quiz_reset_grant(granted_by=lead, learner=cooling_member, quiz=quiz, reason="One")
    api_client.force_authenticate(lead)
    url = f"/api/v1/teams/ops/members/{cooling_member.pk}/quiz-resets/"
    api_client.get(url)
    with django_assert_num_queries(3):
        assert len(api_client.get(url).json()) == 1
    other = topic_with_lessons(2, quiz_questions=3).quiz
    attempt = quiz_attempt_start(user=cooling_member, quiz=other)
    quiz_attempt_submit(attempt_id=attempt.pk, user=cooling_member, answers=wrong_answers(attempt))
    quiz_reset_grant(granted_by=UserFactory(is_staff=True), learner=cooling_member, quiz=other, reason="Two")
    with django_assert_num_queries(3):
        assert len(api_client.get(url).json()) == 2
