"""The cell rule in SQL (progress.selectors.cells.cell_state_sql, read by the dashboard's board) and in Python
(ProgressState.cell) agree on a team in every state, in several time zones and at the edges of the due dates; and
the board's headline, filters and sorts give what computing every member's cells in Python gives."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from progress.models import Certificate, TeamMembership, TopicCompletion, TopicProgress
from progress.selectors.board import HEADLINE_KEYS, TeamBoard
from progress.selectors.cells import DUE_SOON, ProgressState, cell_matches
from progress.selectors.renewal import start_of_day
from progress.selectors.teams import DASHBOARD_SORTS, team_assignments, team_dashboard
from progress.views.teams import STATUS_FILTERS
from tests.factories import AssignmentFactory, MembershipFactory, TeamFactory, UserFactory, topic_with_lessons
from tests.progress.teams.support import python_listing, python_rows


def _member(team, name: str, joined_at, **user):
    person = UserFactory(email=f"{name}@example.com", **user)
    MembershipFactory(team=team, user=person, joined_at=joined_at)
    return person


def _certificate(user, topic, **fields):
    return Certificate.objects.create(user=user, topic=topic, status=Certificate.Status.ISSUED, **fields)


def varied_team():
    """Members in every state on four assignments: past due (team lead time), due in 5 days, due in 30, and long
    past due with a lead time of its own; joined long ago, yesterday, or on either side of a due-date edge."""
    now, today = timezone.now(), timezone.localdate()
    team = TeamFactory(slug="varied", default_lead_days=14)
    MembershipFactory(team=team, role=TeamMembership.Role.LEAD)
    topics = [topic_with_lessons(2) for _ in range(4)]
    past, soon, later, own_lead = topics
    AssignmentFactory(team=team, topic=past, due_on=today - dt.timedelta(days=2))
    AssignmentFactory(team=team, topic=soon, due_on=today + dt.timedelta(days=5))
    AssignmentFactory(team=team, topic=later, due_on=today + dt.timedelta(days=30))
    AssignmentFactory(team=team, topic=own_lead, due_on=today - dt.timedelta(days=20), lead_days=3)
    long_ago = now - dt.timedelta(days=90)

    nobody = _member(team, "none", long_ago)
    opened = _member(team, "opened", long_ago, first_name="Zed")
    doing = _member(team, "doing", long_ago)
    failed = _member(team, "failed", long_ago)
    done = _member(team, "done", long_ago)
    expiring = _member(team, "expiring", long_ago)
    expired = _member(team, "expired", long_ago)
    renewed = _member(team, "renewed", long_ago)
    _member(team, "late", now - dt.timedelta(days=1))
    # The edges: the local day joined decides the member's own due date (team lead time 14, own_lead's 3).
    _member(team, "edge-due-today", start_of_day(today - dt.timedelta(days=14)))
    _member(team, "edge-due-yesterday", start_of_day(today - dt.timedelta(days=14)) - dt.timedelta(seconds=1))
    _member(team, "edge-own-lead", start_of_day(today - dt.timedelta(days=3)) - dt.timedelta(seconds=1))
    _member(team, "edge-window-in", start_of_day(today - dt.timedelta(days=7)))
    _member(team, "edge-window-out", start_of_day(today - dt.timedelta(days=6)))

    for topic in (later, past):
        TopicProgress.objects.create(user=opened, topic=topic, lessons_opened=1)
    TopicProgress.objects.create(user=doing, topic=later, lessons_done=1, lessons_opened=1)
    TopicProgress.objects.create(user=doing, topic=soon, lessons_done=2, lessons_opened=2, quiz_attempts=1)
    TopicProgress.objects.create(user=failed, topic=later, lessons_done=2, lessons_opened=2, quiz_attempts=2)
    TopicProgress.objects.create(user=failed, topic=soon, quiz_attempts=1, quiz_best=10)  # failed, no lesson
    TopicProgress.objects.create(user=nobody, topic=later)  # a summary row with nothing in it
    for person in (done, expiring, expired, renewed):
        for topic in (later, past):
            TopicCompletion.objects.create(user=person, topic=topic, completed_at=long_ago, content_version=long_ago)
    _certificate(done, later, valid_until=None)
    _certificate(expiring, later, valid_until=now + dt.timedelta(days=10))
    _certificate(expiring, past, valid_until=start_of_day(today) + dt.timedelta(days=60))  # the window's last moment
    _certificate(expired, later, valid_until=now - dt.timedelta(days=1))
    _certificate(expired, past, valid_until=start_of_day(today))  # expired at the start of today
    old = _certificate(renewed, later, valid_until=now - dt.timedelta(days=5), superseded_at=now)
    _certificate(renewed, later, valid_until=now + dt.timedelta(days=300), renews=old)
    Certificate.objects.create(user=renewed, topic=past, status=Certificate.Status.REVOKED)  # no current one
    return team


ZONES = ["UTC", "Pacific/Auckland", "America/Los_Angeles"]


@pytest.mark.parametrize("zone", ZONES)
def test_sql_and_python_give_every_cell_the_same_state(db, zone):
    with override_settings(TIME_ZONE=zone):
        team = varied_team()
        assignments, today = team_assignments(team=team), timezone.localdate()
        board = TeamBoard(team=team, assignments=assignments, today=today)
        names = [f"cell_{i}" for i in range(len(assignments))]
        in_sql = {
            row[0]: list(row[1:]) for row in board.members.annotate(**board._cells).values_list("user_id", *names)
        }
        rows = python_rows(team)
        in_python = {row.membership.user_id: [c.status for c in row.cells] for row in rows}
        assert in_sql == in_python
        seen = {state for states in in_python.values() for state in states}
        assert seen == {"not_started", "in_progress", "quiz_failed", "complete", "overdue", "expiring", "expired"}
        by_email = {row.membership.user.email.split("@")[0]: [c.status for c in row.cells] for row in rows}
        # The edges fall where member_due_on puts them (assignments: past, soon, own_lead-before… by due date).
        order = [a.topic_id for a in assignments]
        past = order.index(assignments[1].topic_id)  # due two days ago (own_lead is first: twenty days ago)
        assert by_email["edge-due-today"][past] == "not_started" and by_email["edge-due-yesterday"][past] == "overdue"
        assert by_email["edge-own-lead"][0] == "overdue" and by_email["late"][0] == "not_started"


@pytest.mark.parametrize("zone", ZONES)
def test_headline_filters_and_sorts_are_what_every_row_in_python_gives(db, zone):
    with override_settings(TIME_ZONE=zone):
        team = varied_team()
        today = timezone.localdate()
        rows = python_rows(team)
        board = team_dashboard(team=team)
        expected = {
            key: (
                sum(any(cell_matches(c, key, today) for c in row.cells) for row in rows),
                sum(cell_matches(c, key, today) for row in rows for c in row.cells),
            )
            for key in HEADLINE_KEYS
        }
        assert {f.key: (f.members, f.cells) for f in board.headline} == expected
        assert expected[DUE_SOON][0] > 0 and expected["overdue"][0] > 0 and expected["quiz_failed"][0] > 0
        assert board.topic_totals == [sum(row.cells[i].is_complete for row in rows) for i in range(4)]
        assert board.member_count == len(rows)

        for status in ["", *STATUS_FILTERS]:
            for overdue_only in (False, True):
                for sort in DASHBOARD_SORTS:
                    got = team_dashboard(team=team, status=status, overdue_only=overdue_only, sort=sort)
                    assert [r.membership.user_id for r in got.rows] == python_listing(
                        rows, status=status, overdue_only=overdue_only, sort=sort
                    ), (
                        status,
                        overdue_only,
                        sort,
                    )


def test_a_team_without_assignments_lists_its_members_and_counts_nothing(db):
    team = TeamFactory()
    for i in range(3):
        MembershipFactory(team=team, user=UserFactory(email=f"m{i}@example.com"))
    board = team_dashboard(team=team, status="overdue", page=1)
    assert board.rows == [] and board.page.paginator.count == 0
    board = team_dashboard(team=team, sort="progress", page=1)
    assert [r.membership.user.email for r in board.rows] == ["m0@example.com", "m1@example.com", "m2@example.com"]
    assert {f.key: (f.members, f.cells) for f in board.headline} == dict.fromkeys(HEADLINE_KEYS, (0, 0))


def test_progress_state_read_takes_the_totals_it_is_given(db):
    topic = topic_with_lessons(4)
    user = UserFactory()
    TopicProgress.objects.create(user=user, topic=topic, lessons_done=1, lessons_opened=1)
    counted = ProgressState.read([user.pk], [topic.pk])
    assert counted.totals == {topic.pk: 4} == ProgressState.read([user.pk], [topic.pk], totals={topic.pk: 4}).totals
