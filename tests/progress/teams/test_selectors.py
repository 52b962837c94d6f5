"""The lead's dashboard state: a status per member and assigned topic, filters and sorting; a team's
coverage of the frameworks."""

import datetime as dt

from django.utils import timezone

from courses.models import Topic
from courses.selectors import published_mappings
from progress.models import CellState, TeamMembership, TopicCompletion
from progress.selectors.coverage import CoverageState, team_framework_coverage
from progress.selectors.teams import team_dashboard
from tests.factories import AssignmentFactory, MembershipFactory, TeamFactory


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
