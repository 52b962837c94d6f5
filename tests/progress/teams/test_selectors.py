"""The lead's dashboard state: a status per member and assigned topic, the headline counts, late joiners' own
due dates, last activity, filters and sorting; the training-evidence report's rows and coverage; and a team's
coverage of the frameworks."""

import datetime as dt

import pytest
from django.utils import timezone

from courses.models import Topic
from courses.selectors import published_mappings
from progress.models import (
    Assignment,
    CellState,
    Certificate,
    LessonProgress,
    ReminderLog,
    Team,
    TeamMembership,
    TopicCompletion,
    member_due_on,
)
from progress.selectors.coverage import CoverageState, team_framework_coverage
from progress.selectors.evidence import evidence_report
from progress.selectors.teams import DUE_SOON, assignments_for_member, team_dashboard
from tests.factories import AssignmentFactory, MembershipFactory, TeamFactory, UserFactory, topic_with_lessons


def statuses(board, team_in_every_state):
    topics = [a.topic for a in board.assignments]
    return {
        row.membership.user.email.split("@")[0]: dict(zip(topics, [c.status for c in row.cells], strict=True))
        for row in board.rows
    }


def test_cells_show_every_state(team_in_every_state):
    board = team_dashboard(team=team_in_every_state["team"])
    topic, late, soon = (team_in_every_state[k] for k in ("topic", "late_topic", "soon_topic"))
    assert [a.topic for a in board.assignments] == [late, soon, topic]  # soonest due first
    cells = statuses(board, team_in_every_state)
    assert cells["not_started"] == {topic: CellState.NOT_STARTED, late: CellState.OVERDUE, soon: "not_started"}
    assert cells["in_progress"][topic] == CellState.IN_PROGRESS
    assert cells["quiz_failed"][topic] == CellState.QUIZ_FAILED
    assert cells["complete"][topic] == CellState.COMPLETE
    # Joined yesterday, after late_topic's date: not overdue, due 14 days after joining (the team's default).
    assert set(cells["joined_late"].values()) == {CellState.NOT_STARTED}
    assert board.topic_totals == [0, 0, 1]
    assert [row.complete for row in board.rows if row.membership.user.email == "complete@example.com"] == [1]


def test_headline_counts_people_and_assignments_in_each_state(team_in_every_state):
    board = team_dashboard(team=team_in_every_state["team"])
    counts = {figure.key: (figure.members, figure.cells) for figure in board.headline}
    assert counts == {
        "overdue": (4, 4),  # every established member on late_topic; not the late joiner
        DUE_SOON: (4, 4),  # soon_topic, due in 5 days; the late joiner's own date is 13 days away
        "quiz_failed": (1, 1),
        "not_started": (5, 8),  # everyone on soon_topic, not_started and the late joiner on topic, late joiner x3
    }
    # Each figure links to the matrix filtered the same way, and filters never change the headline.
    for key, (members, _) in counts.items():
        filtered = team_dashboard(team=team_in_every_state["team"], status=key)
        assert len(filtered.rows) == members, key
        assert filtered.headline == board.headline


def test_late_joiners_due_date_counts_from_joining():
    team = Team(default_lead_days=14)
    due = dt.date(2026, 3, 1)
    assignment = Assignment(team=team, due_on=due)
    at = dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)
    assert member_due_on(assignment=assignment, joined_at=at) == dt.date(2026, 3, 24)  # team default
    assignment.lead_days = 30
    assert member_due_on(assignment=assignment, joined_at=at) == dt.date(2026, 4, 9)  # the assignment's own
    early = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
    assert member_due_on(assignment=assignment, joined_at=early) == due  # joined in time: the team's date
    just_before = dt.datetime(2026, 2, 25, 9, tzinfo=dt.UTC)
    assert member_due_on(assignment=assignment, joined_at=just_before) == dt.date(2026, 3, 27)  # too little time
    assert member_due_on(assignment=assignment, joined_at=None) == due


def test_late_joiner_sees_their_own_due_date_and_is_not_overdue(team_in_every_state):
    late_joiner = team_in_every_state["people"]["joined_late"]
    own = timezone.localdate() + dt.timedelta(days=13)
    items = assignments_for_member(user=late_joiner)
    assert {item.cell.due_on for item in items} == {own}
    assert {item.cell.status for item in items} == {CellState.NOT_STARTED}
    assert all(item.cell.extended for item in items)
    established = assignments_for_member(user=team_in_every_state["people"]["not_started"])
    assert [item.cell.due_on - timezone.localdate() for item in established] == [
        dt.timedelta(days=-2),
        dt.timedelta(days=5),
        dt.timedelta(days=10),
    ]


def test_last_active_and_sorting_by_it(team_in_every_state):
    people = team_in_every_state["people"]
    long_ago = timezone.now() - dt.timedelta(days=40)
    LessonProgress.objects.filter(user=people["in_progress"]).update(last_opened_at=long_ago, completed_at=long_ago)
    board = team_dashboard(team=team_in_every_state["team"], sort="last_active")
    order = [row.membership.user.email.split("@")[0] for row in board.rows]
    assert set(order[:2]) == {"joined_late", "not_started"}  # never active first
    assert order[2] == "in_progress"  # then the longest quiet
    active = {row.membership.user.email.split("@")[0]: row.last_active for row in board.rows}
    assert active["not_started"] is None and active["in_progress"] == long_ago
    assert active["quiz_failed"] > long_ago  # a quiz submitted today counts


def test_filters_and_sorting(team_in_every_state):
    team = team_in_every_state["team"]
    assert [r.membership.user.email for r in team_dashboard(team=team, status="quiz_failed").rows] == [
        "quiz_failed@example.com"
    ]
    assert len(team_dashboard(team=team, overdue_only=True).rows) == 4
    assert team_dashboard(team=team, sort="progress").rows[0].membership.user.email == "complete@example.com"


# --- Framework coverage for a seeded team -------------------------------------------------------------


def _mapped_references(topic_slug: str) -> set[str]:
    return {
        f"{key}:{code}"
        for key, code in published_mappings()
        .filter(topic__slug=topic_slug)
        .values_list("item__framework__key", "item__code")
    }


def _states(coverage) -> dict[str, tuple[str, int]]:
    return {
        row.item.reference: (row.state, row.members_done) for fw in coverage.frameworks for row in fw.items if row.state
    }


def test_coverage_of_a_seeded_team(db):
    team = TeamFactory(slug="coverage")
    lead = MembershipFactory(team=team, role=TeamMembership.Role.LEAD).user
    members = [MembershipFactory(team=team).user for _ in range(3)]
    kill = Topic.objects.get(slug="kill-switches-emergency-stop")
    telemetry = Topic.objects.get(slug="safety-telemetry-observability")
    soon = timezone.localdate() + dt.timedelta(days=20)
    AssignmentFactory(team=team, topic=kill, due_on=soon)
    AssignmentFactory(team=team, topic=telemetry, due_on=soon)
    now = timezone.now()
    for user in members:  # every member completed the kill-switch topic: that assignment is complete
        TopicCompletion.objects.create(user=user, topic=kill, completed_at=now, content_version=now)
    TopicCompletion.objects.create(user=members[0], topic=telemetry, completed_at=now, content_version=now)
    TopicCompletion.objects.create(user=lead, topic=telemetry, completed_at=now, content_version=now)  # not a member

    coverage = team_framework_coverage(team=team)
    assert (coverage.member_count, coverage.assignment_count, coverage.complete_assignments) == (3, 2, 1)
    states = _states(coverage)
    complete, open_only = (
        _mapped_references(kill.slug),
        _mapped_references(telemetry.slug) - _mapped_references(kill.slug),
    )
    assert complete == {"NIST-AI-RMF:MANAGE-2.4", "EU-AI-ACT:Art-14"}
    assert {ref for ref, (state, _) in states.items() if state == CoverageState.COMPLETE} == complete
    assert {ref for ref, (state, _) in states.items() if state == CoverageState.OPEN} == open_only
    assert states["NIST-AI-RMF:MANAGE-2.4"] == (CoverageState.COMPLETE, 3)
    assert states["ISO-42001:A.6.2.8"] == (CoverageState.OPEN, 1)  # the lead's own completion does not count
    assert states["NIST-AI-RMF:MEASURE-2.11"] == (CoverageState.NONE, 0)
    for fw in coverage.frameworks:
        assert fw.counts[CoverageState.COMPLETE] == len({r for r in complete if r.startswith(fw.framework.key + ":")})
        assert fw.total == sum(fw.counts.values()) == sum(1 for row in fw.items if row.state)

    # The last member finishing the telemetry topic completes that assignment too.
    for user in members[1:]:
        TopicCompletion.objects.create(user=user, topic=telemetry, completed_at=now, content_version=now)
    states = _states(team_framework_coverage(team=team))
    assert states["ISO-42001:A.6.2.8"] == (CoverageState.COMPLETE, 3)


def test_a_team_without_members_or_assignments_covers_nothing(db):
    team = TeamFactory()
    coverage = team_framework_coverage(team=team)
    assert all(fw.counts[CoverageState.NONE] == fw.total for fw in coverage.frameworks)
    AssignmentFactory(team=team, topic=Topic.objects.get(slug="kill-switches-emergency-stop"))
    states = _states(team_framework_coverage(team=team))
    assert states["NIST-AI-RMF:MANAGE-2.4"] == (CoverageState.OPEN, 0)  # no members: nothing is complete


def test_dashboard_says_when_each_member_was_last_reminded(team_in_every_state):
    person = team_in_every_state["people"]["in_progress"]
    ReminderLog.objects.create(user=person, sent_on=timezone.localdate() - dt.timedelta(days=3), kind="member")
    ReminderLog.objects.create(user=person, sent_on=timezone.localdate() - dt.timedelta(days=1), kind="from_lead")
    rows = {row.membership.user_id: row for row in team_dashboard(team=team_in_every_state["team"]).rows}
    assert rows[person.pk].last_reminded == timezone.localdate() - dt.timedelta(days=1)
    assert rows[team_in_every_state["people"]["complete"].pk].last_reminded is None


# --- The training-evidence report ------------------------------------------------------------------------


def test_evidence_rows_cover_every_member_and_assignment_in_every_state(team_in_every_state):
    report = evidence_report(team=team_in_every_state["team"])
    topic = team_in_every_state["topic"]
    assert len(report.rows) == 5 * 3 and report.member_count == 5
    on_topic = {row.member_email.split("@")[0]: row for row in report.rows if row.topic_slug == topic.slug}
    assert {name: row.state for name, row in on_topic.items()} == {
        "not_started": "not_started",
        "in_progress": "in_progress",
        "quiz_failed": "quiz_failed",
        "complete": "complete",
        "joined_late": "not_started",
    }
    complete, failed = on_topic["complete"], on_topic["quiz_failed"]
    assert complete.completed_at and complete.content_version and complete.best_score == 100
    assert complete.attempts == 1 and complete.certificate_status == Certificate.Status.ISSUED
    code = Certificate.objects.get(user=team_in_every_state["people"]["complete"], topic=topic).code
    assert complete.certificate_code == code and complete.verification_url.endswith(f"/certificates/{code}/")
    assert failed.completed_at is None and failed.best_score == 0 and failed.attempts == 1
    assert failed.certificate_code is None and failed.content_version is None
    assert on_topic["joined_late"].due_on == timezone.localdate() + dt.timedelta(days=13)
    assert on_topic["not_started"].due_on == timezone.localdate() + dt.timedelta(days=10)
    assert all(row.quiz_resets == 0 for row in report.rows)  # nobody was given a fresh start
    overdue = [row for row in report.rows if row.state == "overdue"]
    assert {row.topic_slug for row in overdue} == {team_in_every_state["late_topic"].slug} and len(overdue) == 4


def test_evidence_coverage_per_assignment_and_for_the_team(team_in_every_state):
    report = evidence_report(team=team_in_every_state["team"])
    by_title = {
        c.title: (c.rows, c.complete, c.overdue, c.percent_complete, c.percent_overdue) for c in report.coverage
    }
    assert by_title == {
        team_in_every_state["late_topic"].title: (5, 0, 4, 0, 80),
        team_in_every_state["soon_topic"].title: (5, 0, 0, 0, 0),
        team_in_every_state["topic"].title: (5, 1, 0, 20, 0),
    }
    team = report.team_coverage
    assert (team.rows, team.complete, team.overdue, team.percent_complete, team.percent_overdue) == (15, 1, 4, 7, 27)


def test_evidence_period_keeps_rows_due_or_completed_in_it(team_in_every_state):
    team, today = team_in_every_state["team"], timezone.localdate()
    # Only late_topic's date (two days ago) and the completion (today) fall in the last three days.
    report = evidence_report(team=team, period_from=today - dt.timedelta(days=3), period_to=today)
    assert {(row.member_email.split("@")[0], row.state) for row in report.rows} == {
        ("not_started", "overdue"),
        ("in_progress", "overdue"),
        ("quiz_failed", "overdue"),
        ("complete", "overdue"),
        ("complete", "complete"),
    }
    assert report.team_coverage.rows == 5 and report.team_coverage.complete == 1
    later = evidence_report(team=team, period_from=today + dt.timedelta(days=11))
    assert {row.member_email for row in later.rows} == {"joined_late@example.com"}  # only their own dates
    assert evidence_report(team=team, period_to=today - dt.timedelta(days=30)).rows == []


def test_evidence_shows_a_revoked_certificate_as_revoked(team_in_every_state):
    person, topic = team_in_every_state["people"]["complete"], team_in_every_state["topic"]
    Certificate.objects.filter(user=person, topic=topic).update(status=Certificate.Status.REVOKED)
    row = next(
        r
        for r in evidence_report(team=team_in_every_state["team"]).rows
        if r.member_email == person.email and r.topic_slug == topic.slug
    )
    assert row.certificate_status == "revoked" and row.verification_url


@pytest.mark.parametrize("lead_days,expected", [(None, 14), (3, 3)])
def test_a_new_member_of_an_overdue_assignment_gets_the_lead_time(db, lead_days, expected):
    team = TeamFactory()
    topic = topic_with_lessons(1)
    AssignmentFactory(team=team, topic=topic, due_on=timezone.localdate() - dt.timedelta(days=20), lead_days=lead_days)
    newcomer = UserFactory()
    MembershipFactory(team=team, user=newcomer, joined_at=timezone.now())
    [row] = team_dashboard(team=team).rows
    assert row.cells[0].status == CellState.NOT_STARTED
    assert row.cells[0].due_on == timezone.localdate() + dt.timedelta(days=expected)


def test_team_quiz_resets_lists_the_members_resets_with_who_and_why(team_in_every_state, cooling_member):
    from progress.selectors.assessment import member_quiz_standings, team_quiz_resets
    from progress.services.assessment import quiz_reset_grant

    quiz = team_in_every_state["topic"].quiz
    standing = member_quiz_standings(user=cooling_member)
    assert [s.quiz for s in standing] == [quiz] and standing[0].cooldown_until is not None
    lead = team_in_every_state["lead"]
    quiz_reset_grant(granted_by=lead, learner=cooling_member, quiz=quiz, reason="Was ill")
    elsewhere = UserFactory()  # a reset of someone outside the team is not the team's evidence
    resets = list(team_quiz_resets(team=team_in_every_state["team"]))
    assert [(r.user, r.quiz, r.granted_by, r.reason) for r in resets] == [(cooling_member, quiz, lead, "Was ill")]
    assert elsewhere not in {r.user for r in resets}
    assert member_quiz_standings(user=cooling_member)[0].can_start


def test_evidence_counts_the_resets_granted_on_each_row(team_in_every_state, cooling_member):
    from progress.services.assessment import quiz_reset_grant

    quiz = team_in_every_state["topic"].quiz
    quiz_reset_grant(granted_by=team_in_every_state["lead"], learner=cooling_member, quiz=quiz, reason="Was ill")
    rows = evidence_report(team=team_in_every_state["team"]).rows
    counted = {(row.member_email, row.topic_slug): row.quiz_resets for row in rows if row.quiz_resets}
    assert counted == {(cooling_member.email, quiz.topic.slug): 1}  # that member, that topic, nothing else
