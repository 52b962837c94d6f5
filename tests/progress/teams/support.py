"""The dashboard as it was computed before the database did it: every member's cells in Python, then the filters
and the sorts over them. The tests hold the database's answers to these."""

from django.utils import timezone

from progress.models import TeamMembership
from progress.selectors.cells import cell_matches
from progress.selectors.teams import _member_rows, team_assignments


def python_rows(team):
    """Every member's row, by email, with cells from ProgressState.cell."""
    memberships = list(
        TeamMembership.objects.filter(team=team, role=TeamMembership.Role.MEMBER)
        .select_related("user", "user__profile")
        .order_by("user__email")
    )
    return _member_rows(memberships, team_assignments(team=team), timezone.localdate())


def python_listing(rows, *, status: str = "", overdue_only: bool = False, sort: str = "name") -> list[int]:
    """The user ids the dashboard lists, in order, filtered and sorted in Python."""
    today = timezone.localdate()
    listed = [r for r in rows if not status or any(cell_matches(c, status, today) for c in r.cells)]
    listed = [r for r in listed if not overdue_only or r.overdue]
    listed.sort(key=lambda r: r.name.lower())
    if sort == "progress":
        listed.sort(key=lambda r: -r.complete)
    elif sort == "overdue":
        listed.sort(key=lambda r: -r.overdue)
    elif sort == "last_active":  # the longest inactive first, never active at the very top
        listed.sort(key=lambda r: r.last_active.timestamp() if r.last_active else float("-inf"))
    return [r.membership.user_id for r in listed]
