"""The lead's dashboard state: a status per member and assigned topic, filters and sorting."""

from progress.models import CellState
from progress.selectors.teams import team_dashboard


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
