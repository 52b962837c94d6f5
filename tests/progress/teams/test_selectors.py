"""The lead's dashboard state: a status per member and assigned topic, filters and sorting."""

from progress.models import CellState
from progress.selectors.teams import team_dashboard
from tests.factories import UserFactory


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
