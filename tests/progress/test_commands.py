"""The demo command: accounts that can sign in, a team with a member in every dashboard state; idempotent."""

from django.core.management import call_command

from progress.models import CellState, Team, TeamMembership
from progress.selectors.teams import team_dashboard


def test_seed_demo_makes_a_team_in_every_state_and_a_second_run_changes_nothing(client, db):
    call_command("seed_demo", verbosity=0)
    team = Team.objects.get(slug="model-platform")
    states = {cell.status for row in team_dashboard(team=team).rows for cell in row.cells}
    assert {CellState.NOT_STARTED, CellState.IN_PROGRESS, CellState.QUIZ_FAILED, CellState.COMPLETE} <= states
    assert CellState.OVERDUE in states
    counts = (TeamMembership.objects.count(), team.assignments.count())
    call_command("seed_demo", verbosity=0)
    assert (TeamMembership.objects.count(), team.assignments.count()) == counts
    assert client.login(username="lead@safety-academy.test", password="safety-academy-demo")
    assert client.get(team.get_absolute_url()).status_code == 200
    cooling = TeamMembership.objects.get(team=team, user__email="cal.cooling@safety-academy.test").user
    member_page = client.get(f"/teams/{team.slug}/members/{cooling.pk}/").content.decode()
    assert "Cooling down" in member_page and "Grant a reset" in member_page
