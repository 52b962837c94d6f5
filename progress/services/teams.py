"""Writes for teams: invitations (one at a time or in bulk, emailed by a task), accepting them,
assignments, removing members, and reminder emails, daily or sent by a lead (at most one per person per day)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from courses.models import Category, Topic
from progress import page_versions
from progress.models import (
    Assignment,
    Invitation,
    Profile,
    ReminderLog,
    Team,
    TeamMembership,
    person_name,
)
from progress.selectors.renewal import team_expiring_certificates
from progress.selectors.teams import assignments_for_member, team_dashboard
from safety_academy.links import absolute_url, site_name

logger = logging.getLogger(__name__)


class TeamActionRefused(Exception):
    """The action cannot be done; the message says why, for the person who asked."""


@dataclass
class InviteReport:
    invited: list[str] = field(default_factory=list)
    already_members: list[str] = field(default_factory=list)
    invalid: list[tuple[int, str, str]] = field(default_factory=list)  # (line number, text, reason)


def parse_email_list(text: str) -> tuple[list[str], list[tuple[int, str, str]]]:
    """Emails from a pasted list or a CSV: every cell of every line, or only the 'email' column
    when the first line is a header. Returns the valid addresses (deduplicated, in order) and
    (line number, text, reason) for each entry that is not an address."""
    emails: list[str] = []
    invalid: list[tuple[int, str, str]] = []
    rows = list(csv.reader(io.StringIO(text.replace(";", ","))))
    column, first = None, 1
    if rows:
        header = [cell.strip().lower() for cell in rows[0]]
        named = [i for i, cell in enumerate(header) if cell in {"email", "e-mail", "email address"}]
        if named:
            column, first = named[0], 2
    for number, row in enumerate(rows, 1):
        if number < first:
            continue
        cells = [cell.strip() for cell in row if cell.strip()]
        if column is not None:
            cells = [row[column].strip()] if column < len(row) and row[column].strip() else []
            if not cells and any(c.strip() for c in row):
                invalid.append((number, ",".join(row), "no email in this line"))
        for cell in cells:
            candidate = cell.split()[-1].strip("<>").lower()  # "Ada Lovelace <ada@example.com>"
            try:
                validate_email(candidate)
            except ValidationError:
                invalid.append((number, cell, "not a valid email address"))
                continue
            if candidate not in emails:
                emails.append(candidate)
    return emails, invalid


def team_invite(*, team: Team, text: str, invited_by) -> InviteReport:
    """Invite each valid address (a fresh link replaces an open one); bad lines are reported, not fatal.
    The emails go out from a task once the invitations are committed."""
    emails, invalid = parse_email_list(text)
    report = InviteReport(invalid=invalid)
    if len(emails) > 5000:
        raise TeamActionRefused("At most 5,000 addresses at once; split the list.")
    members = set(
        get_user_model().objects.filter(team_memberships__team=team, email__in=emails).values_list("email", flat=True)
    )
    expires = timezone.now() + settings.TEAM_INVITATION_TTL
    to_send: list[Invitation] = []
    with transaction.atomic():
        Invitation.objects.filter(
            team=team, email__in=emails, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        for email in emails:
            if email in members:
                report.already_members.append(email)
                continue
            to_send.append(Invitation(team=team, email=email, invited_by=invited_by, expires_at=expires))
            report.invited.append(email)
        created = Invitation.objects.bulk_create(to_send)
        ids = [invitation.pk for invitation in created]
        if ids:
            transaction.on_commit(lambda: _queue_invitations(ids))
        page_versions.teams_changed([team.pk])  # written in bulk: the dashboard's open invitations
    return report


def _queue_invitations(invitation_ids: list[int]) -> None:
    from progress.tasks.teams import send_invitations  # tasks import services: import at use

    try:
        send_invitations.delay(invitation_ids)
    except Exception:  # a broker outage must not fail the lead's request; the invitations are saved
        logger.warning("could not queue %d invitation emails", len(invitation_ids), exc_info=True)


def invitations_send(*, invitation_ids: list[int]) -> int:
    """Email each open invitation its link (HTML and plain text, greeting the person by name when they already
    have an account); returns how many went out. One bad address never stops the rest."""
    sent = 0
    invitations = list(
        Invitation.objects.filter(pk__in=invitation_ids, accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("team", "invited_by__profile")
        .order_by("pk")
    )
    names = dict(
        Profile.objects.filter(user__email__in=[i.email for i in invitations])
        .exclude(full_name="")
        .values_list("user__email", "full_name")
    )
    for invitation in invitations:
        context = {
            "team": invitation.team,
            "link": absolute_url(invitation.get_absolute_url()),
            "site_name": site_name(),
            "site_url": settings.SITE_URL,
            "person_name": names.get(invitation.email, ""),
            "inviter": person_name(invitation.invited_by) if invitation.invited_by else "",
            "days": settings.TEAM_INVITATION_TTL.days,
        }
        message = EmailMultiAlternatives(
            f"You are invited to join {invitation.team.name} on {site_name()}",
            render_to_string("progress/teams/email/invitation.txt", context),
            None,
            [invitation.email],
        )
        message.attach_alternative(render_to_string("progress/teams/email/invitation.html", context), "text/html")
        try:
            message.send()
        except Exception:  # one unreachable address must not stop the others
            logger.warning("invitation email to %s failed", invitation.email, exc_info=True)
            continue
        sent += 1
    return sent


def invitation_revoke(*, invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(revoked_at=timezone.now())
    page_versions.teams_changed([invitation.team_id])


def invitation_accept(*, token: str, user) -> TeamMembership:
    """Join the team through an invitation addressed to this user's email."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("team").filter(token=token).first()
        if invitation is None or invitation.revoked_at is not None:
            raise TeamActionRefused("This invitation is not valid: it was withdrawn, or the link is wrong.")
        if invitation.accepted_at is not None:
            if invitation.accepted_by_id == user.pk:
                return TeamMembership.objects.get(team=invitation.team, user=user)
            raise TeamActionRefused("This invitation has already been used.")
        if invitation.expires_at <= timezone.now():
            raise TeamActionRefused("This invitation has expired. Ask your team lead for a new one.")
        if invitation.email.lower() != (user.email or "").lower():
            # Whoever holds a forwarded link must not learn whom it was for.
            raise TeamActionRefused(
                "This invitation was sent to another email address. Sign in with the address it was sent to."
            )
        membership, _ = TeamMembership.objects.get_or_create(
            team=invitation.team, user=user, defaults={"role": TeamMembership.Role.MEMBER}
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


MAX_LEAD_DAYS = 365


def assignment_create(
    *,
    team: Team,
    due_on: dt.date,
    assigned_by,
    topic: Topic | None = None,
    category: Category | None = None,
    lead_days: int | None = None,
) -> list[Assignment]:
    """Assign a topic, or every published topic of a category, with a due date (re-assigning moves the date)
    and optionally the days someone who joins late gets (else the team's default).

    Raises ValidationError keyed by field; forms and serializers show it as it is."""
    if (topic is None) == (category is None):
        raise ValidationError({"topic": "Choose a topic or a category, not both."})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": "The due date is in the past."})
    if lead_days is not None and not 1 <= lead_days <= MAX_LEAD_DAYS:
        raise ValidationError({"lead_days": f"Give between 1 and {MAX_LEAD_DAYS} days, or leave it empty."})
    if topic is not None and not topic.is_published:
        raise ValidationError({"topic": "This topic is not published."})
    topics = [topic] if topic else list(category.topics.filter(is_published=True))
    result = []
    with transaction.atomic():
        for t in topics:
            assignment, _ = Assignment.objects.update_or_create(
                team=team, topic=t, defaults={"due_on": due_on, "assigned_by": assigned_by, "lead_days": lead_days}
            )
            result.append(assignment)
    return result


def assignment_delete(*, team: Team, assignment_id: int) -> bool:
    deleted, _ = Assignment.objects.filter(team=team, pk=assignment_id).delete()
    return deleted > 0


def membership_remove(*, team: Team, user_id: int) -> bool:
    deleted, _ = TeamMembership.objects.filter(team=team, user_id=user_id).delete()
    return deleted > 0


def _open_work(user, *, until: dt.date | None = None):
    """A person's assignments not yet complete (due by `until` when given), as their reminder lists them."""
    return [
        item
        for item in assignments_for_member(user=user)
        if not item.cell.is_complete and (until is None or item.cell.due_on <= until)
    ]


def _claim_todays_reminder(*, user_id: int, today: dt.date, kind: str) -> bool:
    """Take the person's one reminder of the day; False when someone (the daily run, a lead) already did."""
    try:
        with transaction.atomic():
            ReminderLog.objects.create(user_id=user_id, sent_on=today, kind=kind)
    except IntegrityError:
        return False
    return True


def _reminder_body(**context) -> str:
    context.setdefault("due", [])
    context.setdefault("overdue_by_team", [])
    return render_to_string(
        "progress/teams/email/reminder.txt", {"site_url": settings.SITE_URL, "site_name": site_name(), **context}
    )


def assignment_reminders_send(*, today: dt.date | None = None) -> int:
    """Email each member whose assignment is due (for them) within the window or overdue, and each lead a
    digest of their teams' overdue work and of members' certificates expiring within the renewal window: one
    email per person per day, however often this runs."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.ASSIGNMENT_REMINDER_WINDOW_DAYS)
    already = set(ReminderLog.objects.filter(sent_on=today).values_list("user_id", flat=True))
    # Anyone due by the horizon is in a team with an assignment due by then (a late joiner's date is later).
    member_ids = set(
        TeamMembership.objects.filter(
            role=TeamMembership.Role.MEMBER, team__assignments__due_on__lte=horizon
        ).values_list("user_id", flat=True)
    )
    lead_ids = set(TeamMembership.objects.filter(role=TeamMembership.Role.LEAD).values_list("user_id", flat=True))
    sent = 0
    users = get_user_model().objects.filter(pk__in=(member_ids | lead_ids) - already, is_active=True)
    for user in users:
        due = _open_work(user, until=horizon) if user.pk in member_ids else []
        overdue_by_team, expiring_by_team = [], []
        if user.pk in lead_ids:
            for team in Team.objects.filter(memberships__user=user, memberships__role=TeamMembership.Role.LEAD):
                dashboard = team_dashboard(team=team, overdue_only=True)
                if dashboard.rows:
                    overdue_by_team.append(dashboard)
                if expiring := team_expiring_certificates(team=team, today=today):
                    expiring_by_team.append((team, expiring))
        if not due and not overdue_by_team and not expiring_by_team:
            continue
        kind = "lead" if overdue_by_team or expiring_by_team else "member"
        if not _claim_todays_reminder(user_id=user.pk, today=today, kind=kind):
            continue  # another run got here first today
        body = _reminder_body(
            user=user, due=due, overdue_by_team=overdue_by_team, expiring_by_team=expiring_by_team, today=today
        )
        send_mail(f"{site_name()}: training due", body, None, [user.email])
        sent += 1
    return sent


@dataclass
class ReminderReport:
    """What a lead's reminder did: who will get an email, who already had their one today, who has nothing open."""

    queued: list[str] = field(default_factory=list)
    already_today: list[str] = field(default_factory=list)
    nothing_open: list[str] = field(default_factory=list)


def team_reminders_send(*, team: Team, sent_by, user_id: int | None = None) -> ReminderReport:
    """A lead reminds one member (`user_id`) or every member with overdue work of their open assignments. The
    one-email-a-day rule holds whoever sends: a person already reminded today is reported, not emailed again.
    The emails go out from a task once the claims are committed."""
    board = team_dashboard(team=team)
    if user_id is not None:
        rows = [row for row in board.rows if row.membership.user_id == user_id]
        if not rows:
            raise ValidationError({"user": "This person is not a member of the team."})
    else:
        rows = [row for row in board.rows if row.overdue]
    today = timezone.localdate()
    report = ReminderReport()
    claimed: list[int] = []
    with transaction.atomic():
        for row in rows:
            email = row.membership.user.email
            if not row.has_open_work:
                report.nothing_open.append(email)
            elif _claim_todays_reminder(user_id=row.membership.user_id, today=today, kind="from_lead"):
                claimed.append(row.membership.user_id)
                report.queued.append(email)
            else:
                report.already_today.append(email)
        if claimed:
            sender_id = sent_by.pk if sent_by else None
            transaction.on_commit(lambda: _queue_reminders(claimed, team.pk, sender_id))
    return report


def _queue_reminders(user_ids: list[int], team_id: int, sender_id: int | None) -> None:
    from progress.tasks.teams import send_lead_reminders  # tasks import services: import at use

    try:
        send_lead_reminders.delay(user_ids, team_id, sender_id)
    except Exception:  # a broker outage must not fail the lead's request; the daily run still reminds tomorrow
        logger.warning("could not queue %d reminder emails", len(user_ids), exc_info=True)


def lead_reminders_deliver(*, user_ids: list[int], team_id: int, sender_id: int | None) -> int:
    """Email each person their open assignments, saying which lead asked; returns how many went out."""
    team = Team.objects.filter(pk=team_id).first()
    sender = get_user_model().objects.select_related("profile").filter(pk=sender_id).first() if sender_id else None
    sent = 0
    for user in get_user_model().objects.filter(pk__in=user_ids, is_active=True):
        due = _open_work(user)
        if not due or team is None:
            continue
        body = _reminder_body(
            user=user, due=due, today=timezone.localdate(), team=team, sender=person_name(sender) if sender else ""
        )
        try:
            send_mail(f"{site_name()}: a reminder from {team.name}", body, None, [user.email])
        except Exception:  # one unreachable address must not stop the others
            logger.warning("reminder email to %s failed", user.email, exc_info=True)
            continue
        sent += 1
    return sent
