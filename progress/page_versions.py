"""Whose kept pages (safety_academy.learner_pages) a write concerns: a learner's own, and their teams' leads'.

A learner's rows show on their own pages and on the dashboard of every team they belong to; a team's rows (its
assignments, invitations, memberships, the team itself) on that dashboard and on every member's pages. The
receivers below are connected in progress.apps to the rows written through save() and delete(): the account and
profile, enrolments, completions, certificates, quiz attempts and resets, memberships, assignments, invitations,
reminders and teams. Writes that bypass save() call `learners_changed` or `teams_changed` themselves (the
summary's refresh, the certificates' status updates, opening a lesson, invitations sent or withdrawn), and the
summary's bulk rebuild calls `learner_pages.all_learners_changed`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from progress.models import (
    Assignment,
    Certificate,
    Enrollment,
    Invitation,
    Profile,
    ReminderLog,
    Team,
    TeamMembership,
    TopicCompletion,
)
from quizzes.models import Attempt, AttemptReset
from safety_academy import learner_pages


def learners_changed(user_ids: Iterable[int]) -> None:
    """These learners' rows changed: their own pages, and their teams' dashboards."""
    if not learner_pages.enabled():
        return
    user_ids = [user_id for user_id in set(user_ids) if user_id is not None]
    learner_pages.learners_changed(user_ids)
    learner_pages.teams_changed(_teams_of(user_ids))


def activity_moved(user_id: int) -> None:
    """Only the learner's last activity moved (a lesson opened again): it shows on their teams' dashboards alone."""
    if learner_pages.enabled():
        learner_pages.teams_changed(_teams_of([user_id]))


def teams_changed(team_ids: Iterable[int], *, members: bool = False) -> None:
    """These teams' rows changed: their dashboards, and with `members` every member's pages too."""
    if not learner_pages.enabled():
        return
    team_ids = list(set(team_ids))
    learner_pages.teams_changed(Team.objects.filter(pk__in=team_ids).values_list("slug", flat=True))
    if members:
        _members_changed(team_ids)


def _members_changed(team_ids: list[int]) -> None:
    learner_pages.learners_changed(
        TeamMembership.objects.filter(team_id__in=team_ids).values_list("user_id", flat=True)
    )


def _teams_of(user_ids: list[int]) -> list[str]:
    if not user_ids:
        return []
    return list(TeamMembership.objects.filter(user_id__in=user_ids).values_list("team__slug", flat=True))


# --- receivers -----------------------------------------------------------------------------------------------------

# Rows that belong to one learner, by the field naming them.
OWN_ROWS = (Profile, Enrollment, TopicCompletion, Certificate, Attempt, AttemptReset)


def own_row_changed(sender, instance, **kwargs) -> None:
    learners_changed([instance.user_id])


def account_changed(sender, instance, **kwargs) -> None:
    learners_changed([instance.pk])


def membership_changed(sender, instance, **kwargs) -> None:
    """Joining, leaving or changing role: the learner's pages, and the team's dashboard (the learner may no longer
    be in it, so it is named here)."""
    learners_changed([instance.user_id])
    teams_changed([instance.team_id])


def team_row_changed(sender, instance, **kwargs) -> None:
    """An assignment or an invitation (the team's dashboard shows both; members see assignments)."""
    teams_changed([instance.team_id], members=isinstance(instance, Assignment))


def team_changed(sender, instance, **kwargs) -> None:
    """The team itself, renamed or deleted: named by the slug it had, as a deleted team's row is gone."""
    if learner_pages.enabled():
        learner_pages.teams_changed([instance.slug])
        _members_changed([instance.pk])


def reminder_logged(sender, instance, **kwargs) -> None:
    """A reminder sent: the dashboards show when each member was last reminded."""
    activity_moved(instance.user_id)


def connect() -> None:
    """Connect every receiver, once per process (progress.apps calls it at start-up)."""
    receivers = [(model, own_row_changed) for model in OWN_ROWS]
    receivers += [
        (settings.AUTH_USER_MODEL, account_changed),
        (TeamMembership, membership_changed),
        (Assignment, team_row_changed),
        (Invitation, team_row_changed),
        (Team, team_changed),
        (ReminderLog, reminder_logged),
    ]
    for model, receiver in receivers:
        label = model if isinstance(model, str) else model._meta.label
        for signal, name in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(receiver, sender=model, dispatch_uid=f"learner-pages-{label}-{name}")
