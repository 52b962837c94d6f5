"""A lead's pages and endpoints: dashboard, exports, evidence, drill-down, assignments, invitations,
and fixed query counts for a team of 500."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from courses.models import Topic
from progress.models import Invitation, LessonProgress, TeamMembership, TopicCompletion
from progress.services.teams import (
    team_invite,
)
from tests.factories import (
    AssignmentFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
    bulk_members,
    grow_framework_mappings,
    topic_with_lessons,
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


def test_coverage_page_and_api_for_the_lead(client, api_client, team_in_every_state):
    team, lead = team_in_every_state["team"], team_in_every_state["lead"]
    kill = Topic.objects.get(slug="kill-switches-emergency-stop")
    AssignmentFactory(team=team, topic=kill)
    now = timezone.now()
    for user in team_in_every_state["people"].values():
        TopicCompletion.objects.create(user=user, topic=kill, completed_at=now, content_version=now)
    client.force_login(lead)
    dashboard = client.get("/teams/ops/").content.decode()
    assert 'href="/teams/ops/coverage/"' in dashboard
    html = client.get("/teams/ops/coverage/").content.decode()
    assert "Framework coverage: " in html and "NIST AI RMF 1.0" in html
    row = html[html.index("MANAGE 2.4") :]
    assert 'data-state="complete"' in row[:600] and "4 of 4" in row[:1200]
    api_client.force_authenticate(lead)
    body = api_client.get("/api/v1/teams/ops/coverage/").json()
    assert (body["member_count"], body["assignment_count"], body["complete_assignments"]) == (4, 3, 1)
    nist = next(fw for fw in body["frameworks"] if fw["key"] == "NIST-AI-RMF")
    item = next(i for i in nist["items"] if i["reference"] == "NIST-AI-RMF:MANAGE-2.4")
    assert item["state"] == "complete" and item["members_done"] == 4
    assert [a["topic"] for a in item["assignments"]] == [kill.slug]
    assert nist["complete"] + nist["open"] + nist["none"] == nist["total"] == len(nist["items"])


COVERAGE_BUDGETS = {"/teams/big/coverage/": 9, "/api/v1/teams/big/coverage/": 9}


@pytest.mark.parametrize("url", list(COVERAGE_BUDGETS))
def test_coverage_runs_a_fixed_number_of_queries(client, db, django_assert_num_queries, url):
    team = TeamFactory(slug="big")
    lead = MembershipFactory(team=team, role=TeamMembership.Role.LEAD).user
    topics = list(Topic.objects.filter(is_published=True).order_by("pk")[:6])
    client.force_login(lead)

    def grow(start, n, topics):
        for topic in topics:
            AssignmentFactory(team=team, topic=topic)
        for i, user in enumerate(bulk_members(team, n, start=start)):
            now = timezone.now()
            TopicCompletion.objects.create(
                user=user, topic=topics[i % len(topics)], completed_at=now, content_version=now
            )

    grow(0, 10, topics[:3])
    assert client.get(url).status_code == 200  # warm up
    with django_assert_num_queries(COVERAGE_BUDGETS[url]):
        assert client.get(url).status_code == 200
    grow(10, 200, topics[3:])
    grow_framework_mappings()
    with django_assert_num_queries(COVERAGE_BUDGETS[url]):
        assert client.get(url).status_code == 200


def test_evidence_csv_carries_the_mapping_columns(client, team_in_every_state):
    team, lead = team_in_every_state["team"], team_in_every_state["lead"]
    kill = Topic.objects.get(slug="kill-switches-emergency-stop")
    AssignmentFactory(team=team, topic=kill)
    member = team_in_every_state["people"]["not_started"]
    now = timezone.now()
    TopicCompletion.objects.create(user=member, topic=kill, completed_at=now, content_version=now)
    client.force_login(lead)
    text = b"".join(client.get("/teams/ops/evidence.csv").streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[-3:] == ["nist_ai_rmf_items", "iso_42001_items", "eu_ai_act_items"]
    row = next(r for r in rows if r["topic"] == kill.title)
    assert (row["nist_ai_rmf_items"], row["iso_42001_items"], row["eu_ai_act_items"]) == (
        "MANAGE 2.4",
        "",
        "Article 14",
    )
    unmapped = next(r for r in rows if r["topic"] == team_in_every_state["topic"].title)
    assert unmapped["nist_ai_rmf_items"] == ""  # a topic of no framework's mapping


def test_the_invitation_page_never_shows_the_address_to_someone_else(client, db):
    team = TeamFactory()
    team_invite(team=team, text="invited.person@example.com", invited_by=None)
    invitation = Invitation.objects.get(email="invited.person@example.com")
    client.force_login(UserFactory(email="holder.of.the.link@example.com"))
    page = client.get(f"/invitations/{invitation.token}/")
    assert page.status_code == 200 and "another email address" in page.content.decode()
    refused = client.post(f"/invitations/{invitation.token}/")
    assert refused.status_code == 400
    for response in (page, refused):
        assert "invited.person" not in response.content.decode()
    client.force_login(UserFactory(email="invited.person@example.com"))
    assert "invited.person@example.com" in client.get(f"/invitations/{invitation.token}/").content.decode()
