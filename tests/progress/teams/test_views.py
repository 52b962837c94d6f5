"""A lead's pages and endpoints: dashboard, exports, evidence, drill-down, assignments, invitations,
and fixed query counts for a team of 500."""

import csv
import datetime as dt
import io

import pytest
from django.core import mail
from django.utils import timezone

from courses.models import Topic
from progress.models import Certificate, Invitation, LessonProgress, ReminderLog, TeamMembership, TopicCompletion
from progress.services.assessment import quiz_attempt_submit
from progress.services.summary import topic_progress_rebuild
from progress.services.teams import (
    team_invite,
)
from quizzes.models import AttemptReset
from quizzes.services import quiz_attempt_start
from tests.factories import (
    PASSWORD,
    AssignmentFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
    bulk_members,
    grow_framework_mappings,
    topic_with_lessons,
    wrong_answers,
)


def test_dashboard_page_and_csv(client, team_in_every_state):
    client.force_login(team_in_every_state["lead"])
    html = client.get("/teams/ops/?status=in_progress").content.decode()
    assert 'href="?status=in_progress&amp;sort=progress"' in html  # header sorting keeps the filter
    html = client.get("/teams/ops/").content.decode()
    assert "Quiz failed" in html and "Overdue" in html and "Complete" in html and "<svg" in html
    assert "joined late: due" in html and "Last active" in html
    response = client.get("/teams/ops/dashboard.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "member" and rows[0][-1] == "last_active" and len(rows) == 6
    late = next(row for row in rows if row[0] == "joined_late@example.com")
    assert late[2].startswith("Not started, due ")
    filtered = client.get("/teams/ops/dashboard.csv?status=complete")
    assert len(list(csv.reader(io.StringIO(b"".join(filtered.streaming_content).decode())))) == 2


def test_headline_strip_links_to_the_filtered_matrix(client, team_in_every_state):
    client.force_login(team_in_every_state["lead"])
    html = client.get("/teams/ops/").content.decode()
    for key, members in (("overdue", 4), ("due_soon", 4), ("quiz_failed", 1), ("not_started", 5)):
        assert f'<a href="?status={key}"><span class="value">{members}</span>' in html, key
    filtered = client.get("/teams/ops/?status=due_soon").content.decode()
    assert filtered.count('data-status="complete"') == 1  # the complete member is due soon on soon_topic
    assert "joined_late@example.com" not in filtered


def test_reminders_from_the_dashboard_keep_to_one_a_day(
    client, team_in_every_state, django_capture_on_commit_callbacks
):
    client.force_login(team_in_every_state["lead"])
    person = team_in_every_state["people"]["in_progress"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/teams/ops/reminders/", {"user": person.pk, "next": "/teams/ops/?sort=overdue"})
    assert response.status_code == 302 and response["Location"] == "/teams/ops/?sort=overdue"
    assert [m.to for m in mail.outbox] == [[person.email]]
    html = client.get("/teams/ops/").content.decode()
    assert "reminded today" in html and f"Reminder sent to {person.email}." in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/teams/ops/reminders/", {"scope": "overdue", "next": "https://elsewhere.example/"})
    assert len(mail.outbox) == 4  # the three other overdue members; not the one reminded already
    html = client.get("/teams/ops/").content.decode()
    assert f"Already reminded today (one email a day at most): {person.email}." in html
    member_page = client.get(f"/teams/ops/members/{person.pk}/").content.decode()
    assert "Reminded today" in member_page
    assert client.post("/teams/ops/reminders/", {"user": "x"}).status_code == 404
    outsider = UserFactory()
    assert client.post("/teams/ops/reminders/", {"user": outsider.pk}).status_code == 404


def test_evidence_report_as_csv_page_and_json(client, api_client, team_in_every_state):
    client.force_login(team_in_every_state["lead"])
    response = client.get("/teams/ops/evidence.csv")
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 15  # five members x three assigned topics
    assert {row["state"] for row in rows} == {"complete", "in_progress", "not_started", "overdue", "quiz_failed"}
    row = next(r for r in rows if r["state"] == "complete")
    assert row["member_email"] == "complete@example.com" and row["team"] == "Operations"
    assert row["topic"] == team_in_every_state["topic"].title
    assert row["best_quiz_score"] == "100" and row["quiz_attempts"] == "1" and row["certificate_code"]
    # A random code may begin with "-": the CSV then quotes it for spreadsheets with a leading apostrophe.
    code = row["certificate_code"].removeprefix("'")
    assert row["certificate_code"] in (code, f"'{code}") and (code[0] in "-=+@") == (row["certificate_code"] != code)
    assert row["verification_url"].endswith(f"/certificates/{code}/") and row["content_version"]
    assert row["quiz_resets"] == "0"
    failed = next(r for r in rows if r["state"] == "quiz_failed")
    assert failed["completed_at"] == "" and failed["due_on"] and failed["quiz_attempts"] == "1"

    page = b"".join(client.get("/teams/ops/evidence/").streaming_content).decode()
    assert code[:10] in page and "Training evidence" in page
    assert "EU AI Act, Article 4" in page and "ISO/IEC 42001, clause 7.2" in page
    assert "does not show that an organisation complies" in page
    assert "5 members of Operations \N{MULTIPLICATION SIGN} 3 assigned topics" in page and "all dates" in page
    assert "7% (1)" in page and "27% (4)" in page  # the team's coverage: complete, overdue

    api_client.force_authenticate(team_in_every_state["lead"])
    data = api_client.get("/api/v1/teams/ops/evidence/").json()
    assert data["count"] == 15
    assert code in {r["certificate_code"] for r in data["results"]}
    coverage = api_client.get("/api/v1/teams/ops/evidence/coverage/").json()
    assert coverage["team"]["percent_complete"] == 7 and len(coverage["assignments"]) == 3


def test_evidence_period_filter_and_bad_periods(client, api_client, team_in_every_state):
    client.force_login(team_in_every_state["lead"])
    today = timezone.localdate()
    period = {"from": (today - dt.timedelta(days=3)).isoformat(), "to": today.isoformat()}
    response = client.get("/teams/ops/evidence.csv", period)
    assert f"-from-{period['from']}-to-{period['to']}-" in response["Content-Disposition"]
    assert len(list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))) == 5
    page = b"".join(client.get("/teams/ops/evidence/", period).streaming_content).decode()
    assert f"rows due or completed from {today - dt.timedelta(days=3):%-d %B %Y}" in page
    assert f"evidence.csv?from={period['from']}&amp;to={period['to']}" in page
    backwards = {"from": period["to"], "to": period["from"]}
    bad = client.get("/teams/ops/evidence/", backwards)
    assert bad.status_code == 400 and "before its start" in bad.content.decode()
    assert client.get("/teams/ops/evidence.csv", {"from": "soon"}).status_code == 400
    api_client.force_authenticate(team_in_every_state["lead"])
    assert api_client.get("/api/v1/teams/ops/evidence/", period).json()["count"] == 5
    refused = api_client.get("/api/v1/teams/ops/evidence/coverage/", backwards)
    assert refused.status_code == 400 and "to" in refused.json()["error"]["fields"]
    assert api_client.get("/api/v1/teams/ops/evidence/", {"to": "2026-13-01"}).status_code == 400


def test_member_drill_down(client, team_in_every_state):
    client.force_login(team_in_every_state["lead"])
    member = team_in_every_state["people"]["complete"]
    Certificate.objects.create(
        user=member, topic=team_in_every_state["late_topic"], status="revoked", revoked_reason="issued in error"
    )
    html = client.get(f"/teams/ops/members/{member.pk}/").content.decode()
    assert team_in_every_state["topic"].title in html and "Passed" in html and "Issued" in html
    assert "Assignments in Operations" in html and html.count("data-status=") == 3
    assert 'data-status="overdue"' in html and "last active" in html and "Send a reminder" in html
    assert "Revoked" in html and "issued in error" in html
    late = team_in_every_state["people"]["joined_late"]
    html = client.get(f"/teams/ops/members/{late.pk}/").content.decode()
    assert "joined late; the team's date is" in html and "last active never" in html


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


BOARD_BUDGETS = {
    "/teams/big/": 12,  # the assignment form's topics come from the content cache
    # Every filter and sort is the database's: the same count, whatever the team's size.
    "/teams/big/?sort=progress": 12,
    "/teams/big/?sort=overdue&page=2": 12,
    "/teams/big/?sort=last_active&page=3": 12,
    "/teams/big/?status=in_progress": 12,
    "/teams/big/?status=due_soon&sort=progress": 12,
    "/teams/big/?status=in_progress&overdue=1&sort=last_active": 12,
    "/teams/big/?status=overdue&page=2": 12,
    "/teams/big/dashboard.csv": 8,  # no headline, no reminder dates
    "/teams/big/dashboard.csv?status=not_started&sort=last_active": 8,
    "/teams/big/dashboard.csv?overdue=1&sort=progress": 8,
    "/api/v1/teams/big/members/": 10,  # paged in the database: a COUNT, then only the page's members
    "/teams/big/evidence/": 9,
    "/teams/big/evidence.csv?from=2000-01-01": 10,  # the framework columns: two more
    "/api/v1/teams/big/evidence/": 8,
    "/api/v1/teams/big/evidence/coverage/": 8,
}


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
    topic_progress_rebuild(user_ids=[user.pk], topic_ids=[lesson.topic_id])


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
    members = len(team_in_every_state["people"])
    assert 'data-state="complete"' in row[:600] and f"{members} of {members}" in row[:1200]
    api_client.force_authenticate(lead)
    body = api_client.get("/api/v1/teams/ops/coverage/").json()
    assignments = team.assignments.count()
    assert (body["member_count"], body["assignment_count"], body["complete_assignments"]) == (members, assignments, 1)
    nist = next(fw for fw in body["frameworks"] if fw["key"] == "NIST-AI-RMF")
    item = next(i for i in nist["items"] if i["reference"] == "NIST-AI-RMF:MANAGE-2.4")
    assert item["state"] == "complete" and item["members_done"] == members
    assert [a["topic"] for a in item["assignments"]] == [kill.slug]
    assert nist["complete"] + nist["open"] + nist["none"] == nist["total"] == len(nist["items"])


COVERAGE_BUDGETS = {"/teams/big/coverage/": 8, "/api/v1/teams/big/coverage/": 8}


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


def test_leads_land_on_their_team_after_signing_in(client, db):
    first, second = TeamFactory(slug="first"), TeamFactory(slug="second")
    lead = MembershipFactory(team=first, role=TeamMembership.Role.LEAD).user
    learner = MembershipFactory(team=first).user

    def sign_in(user, **extra):
        client.logout()
        response = client.post("/accounts/login/" + extra.get("query", ""), {"login": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.content[:300]
        return response["Location"]

    assert sign_in(lead) == "/teams/first/"
    assert sign_in(learner) == "/me/"
    assert sign_in(lead, query="?next=/topics/") == "/topics/"  # a link they followed still wins
    MembershipFactory(team=second, user=lead, role=TeamMembership.Role.LEAD)
    assert sign_in(lead) == "/teams/"


def test_member_page_runs_a_fixed_number_of_queries(client, team_in_every_state, django_assert_num_queries):
    """Every list on the page holds something (assignments, topics, attempts, certificates, a reminder), and
    the count stays the same when each grows."""
    team, member = team_in_every_state["team"], team_in_every_state["people"]["complete"]
    ReminderLog.objects.create(user=member, sent_on=timezone.localdate(), kind="member")
    client.force_login(team_in_every_state["lead"])
    url = f"/teams/ops/members/{member.pk}/"
    html = client.get(url).content.decode()
    assert "Passed" in html and "Issued" in html and html.count("data-status=") == 3
    with django_assert_num_queries(18):
        assert client.get(url).status_code == 200
    more = topic_with_lessons(2, quiz_questions=3)
    AssignmentFactory(team=team, topic=more)
    for lesson in more.lessons.all():
        LessonProgress.objects.create(user=member, lesson=lesson, completed_at=timezone.now())
    Certificate.objects.create(user=member, topic=more, status="revoked")
    client.get(url)  # warm up again: new content is a new content version, read once into the cache
    with django_assert_num_queries(18):
        assert client.get(url).status_code == 200
    assert client.get(url).content.decode().count("data-status=") == 4


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
    with django_assert_num_queries(18):
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
    with django_assert_num_queries(18):
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


def test_the_assignment_form_offers_a_topic_published_after_it_was_cached(client, team_in_every_state):
    client.force_login(team_in_every_state["lead"])
    assert "Fresh topic" not in client.get("/teams/ops/").content.decode()  # the form's topics are now cached
    topic = topic_with_lessons(1, title="Fresh topic")
    html = client.get("/teams/ops/").content.decode()
    assert f'<option value="topic:{topic.pk}">— Fresh topic</option>' in html
