"""Who may see what, checked here and nowhere else: pages, exports and the API all call these.

A learner sees only their own progress; a lead sees the teams they lead; staff see every team when
they hold the `progress.view_team` permission, the same one the admin asks for (superusers hold every
permission). Anything a user may not see is a 404, so its existence is not revealed.
"""

from __future__ import annotations

from django.http import Http404

from progress.models import Team, TeamMembership


def sees_every_team(user) -> bool:
    """Staff with the admin's permission to view teams: one rule for the site, the API and the admin."""
    return user.is_authenticated and user.is_active and user.is_staff and user.has_perm("progress.view_team")


def team_for_lead(*, user, team_slug: str) -> Team:
    """The team if `user` leads it (or sees every team); Http404 otherwise, for every team URL and endpoint."""
    if not user.is_authenticated:
        raise Http404("No such team.")
    qs = Team.objects.all()
    if not sees_every_team(user):
        qs = qs.filter(memberships__user=user, memberships__role=TeamMembership.Role.LEAD)
    team = qs.filter(slug=team_slug).first()
    if team is None:
        raise Http404("No such team.")
    return team


def reset_authority(*, user, learner, team: Team | None = None) -> str | None:
    """In what capacity `user` may grant `learner` a quiz reset ("Staff", or "Lead of <team>" for a lead of
    a team the learner is a member of, that team when one is given); None when they may not."""
    if not user.is_authenticated or user.pk == learner.pk:
        return None
    if user.is_staff:
        return "Staff"
    led = Team.objects.filter(memberships__user=user, memberships__role=TeamMembership.Role.LEAD).filter(
        memberships__user=learner, memberships__role=TeamMembership.Role.MEMBER
    )
    if team is not None:
        led = led.filter(pk=team.pk)
    name = led.order_by("name").values_list("name", flat=True).first()
    return f"Lead of {name}" if name else None


def member_of_team(*, team: Team, user_id: int) -> TeamMembership:
    """A membership of a team the caller already leads; Http404 for anyone outside it."""
    membership = (
        TeamMembership.objects.select_related("user", "user__profile", "team")
        .filter(team=team, user_id=user_id)
        .first()
    )
    if membership is None:
        raise Http404("No such member in this team.")
    return membership
