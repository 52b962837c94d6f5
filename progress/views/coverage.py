"""A lead's view of the team's framework coverage: which items its assignments cover, done or open."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from progress import access
from progress.selectors.coverage import CoverageState, team_framework_coverage


@require_safe
@login_required
def team_coverage(request, team_slug: str):
    team = access.team_for_lead(user=request.user, team_slug=team_slug)
    coverage = team_framework_coverage(team=team)
    return render(
        request, "progress/teams/coverage.html", {"team": team, "coverage": coverage, "states": CoverageState}
    )
