"""The lead's dashboard: a status per member and assigned topic, totals, filters, exports,
the evidence report, and a fixed query count for a team of 500."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from progress.models import CellState, TeamMembership
from progress.selectors.teams import team_dashboard
from progress.services import learning
from progress.services.assessment import quiz_attempt_submit
from quizzes.services import quiz_attempt_start
from tests.factories import (
    AssignmentFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
    correct_answers,
    topic_with_lessons,
    wrong_answers,
)


@pytest.fixture
def team_in_every_state(db, django_capture_on_commit_callbacks):
    team = TeamFactory(slug="ops")
    lead = MembershipFactory(team=team, role=TeamMembership.Role.LEAD).user
    topic = topic_with_lessons(2, quiz_questions=3)
    late_topic = topic_with_lessons(1)
    AssignmentFactory(team=team, topic=topic, due_on=timezone.localdate() + dt.timedelta(days=10))
    AssignmentFactory(team=team, topic=late_topic, due_on=timezone.localdate() - dt.timedelta(days=2))
    people = {}
    for state in ("not_started", "in_progress", "quiz_failed", "complete"):
        user = UserFactory(email=f"{state}@example.com")
        MembershipFactory(team=team, user=user)
        people[state] = user
        lessons = list(topic.lessons.order_by("position"))
        if state == "in_progress":
            learning.lesson_complete(user=user, lesson=lessons[0])
        if state in ("quiz_failed", "complete"):
            with django_capture_on_commit_callbacks(execute=True):
                for lesson in lessons:
                    learning.lesson_complete(user=user, lesson=lesson)
                attempt = quiz_attempt_start(user=user, quiz=topic.quiz)
                answers = correct_answers(attempt) if state == "complete" else wrong_answers(attempt)
                quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=answers)
    return {"team": team, "lead": lead, "topic": topic, "late_topic": late_topic, "people": people}


def test_cells_show_every_state(team_in_every_state):
    board = team_dashboard(team=team_in_every_state["team"])
    topic, late = team_in_every_state["topic"], team_in_every_state["late_topic"]
    assert [a.topic for a in board.assignments] == [late, topic]  # soonest due first
    by_email = {
        row.membership.user.email: dict(zip([late, topic], [c.status for c in row.cells], strict=True))
        for row in board.rows
    }
    assert by_email["not_started@example.com"] == {topic: CellState.NOT_STARTED, late: CellState.OVERDUE}
    assert by_email["in_progress@example.com"][topic] == CellState.IN_PROGRESS
    assert by_email["quiz_failed@example.com"][topic] == CellState.QUIZ_FAILED
    assert by_email["complete@example.com"][topic] == CellState.COMPLETE
    assert board.topic_totals == [0, 1]
    assert [row.complete for row in board.rows if row.membership.user.email == "complete@example.com"] == [1]


def test_filters_and_sorting(team_in_every_state):
    team = team_in_every_state["team"]
    assert [r.membership.user.email for r in team_dashboard(team=team, status="quiz_failed").rows] == [
        "quiz_failed@example.com"
    ]
    assert len(team_dashboard(team=team, overdue_only=True).rows) == 4
    assert team_dashboard(team=team, sort="progress").rows[0].membership.user.email == "complete@example.com"


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


@pytest.mark.parametrize("url", ["/teams/big/", "/teams/big/dashboard.csv", "/api/v1/teams/big/members/"])
def test_dashboard_for_500_members_runs_a_fixed_number_of_queries(client, db, django_assert_max_num_queries, url):
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

    for _ in range(20):
        MembershipFactory(team=team)
    fetch()
    with django_assert_max_num_queries(16):
        fetch()
    for i in range(480):
        MembershipFactory(team=team, user=UserFactory(email=f"bulk{i}@example.com"))
    with django_assert_max_num_queries(16):
        fetch()


def test_exports_keep_formulas_as_text(client, db):
    team = TeamFactory(slug="csv")
    lead = MembershipFactory(team=team, role=TeamMembership.Role.LEAD).user
    member = MembershipFactory(team=team).user
    learning.profile_update(user=member, full_name="=HYPERLINK(1)")
    topic = topic_with_lessons(1)
    AssignmentFactory(team=team, topic=topic)
    client.force_login(lead)
    rows = list(csv.reader(io.StringIO(b"".join(client.get("/teams/csv/dashboard.csv").streaming_content).decode())))
    assert rows[1][1] == "'=HYPERLINK(1)"
