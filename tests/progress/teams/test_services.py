"""Team writes: invitations (parsing, bulk, refresh, acceptance) and daily reminders."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from progress.models import Invitation, ReminderLog, TeamMembership
from progress.services import learning
from progress.services.assessment import quiz_attempt_submit
from progress.services.teams import (
    TeamActionRefused,
    assignment_create,
    assignment_reminders_send,
    invitation_accept,
    parse_email_list,
    team_invite,
    team_reminders_send,
)
from quizzes.services import quiz_attempt_start
from tests.factories import (
    AssignmentFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
    topic_with_lessons,
    wrong_answers,
)


@pytest.fixture
def due_world(db):
    team = TeamFactory()
    lead = MembershipFactory(team=team, role="lead").user
    soon = topic_with_lessons(1)
    late = topic_with_lessons(1)
    far = topic_with_lessons(1)
    today = timezone.localdate()
    AssignmentFactory(team=team, topic=soon, due_on=today + dt.timedelta(days=5))
    AssignmentFactory(team=team, topic=late, due_on=today - dt.timedelta(days=1))
    AssignmentFactory(team=team, topic=far, due_on=today + dt.timedelta(days=30))
    busy = MembershipFactory(team=team).user
    done = MembershipFactory(team=team).user
    for topic in (soon, late):
        for lesson in topic.lessons.all():
            learning.lesson_complete(user=done, lesson=lesson)
    return {"team": team, "lead": lead, "busy": busy, "done": done, "soon": soon, "late": late, "far": far}


def test_parse_pasted_lists_and_csv_reports_bad_lines():
    emails, invalid = parse_email_list("a@example.com\nnot-an-email\nAda Lovelace <ADA@example.com>, b@example.com\n\n")
    assert emails == ["a@example.com", "ada@example.com", "b@example.com"]
    assert invalid == [(2, "not-an-email", "not a valid email address")]
    emails, invalid = parse_email_list("name,email\nAda,ada@example.com\nBob,\nEve,eve@@example\n")
    assert emails == ["ada@example.com"]
    assert [line for line, _, _ in invalid] == [3, 4]


def test_bulk_invite_sends_emails_and_skips_members(db, django_capture_on_commit_callbacks):
    team = TeamFactory()
    lead = MembershipFactory(team=team, role="lead").user
    member = MembershipFactory(team=team).user
    with django_capture_on_commit_callbacks(execute=True):
        report = team_invite(team=team, text=f"x@example.com\n{member.email}\ngarbage\ny@example.com", invited_by=lead)
    assert report.invited == ["x@example.com", "y@example.com"]
    assert report.already_members == [member.email]
    assert len(report.invalid) == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["x@example.com", "y@example.com"]
    assert "/invitations/" in mail.outbox[0].body


def test_inviting_again_replaces_the_open_invitation(db):
    team = TeamFactory()
    team_invite(team=team, text="x@example.com", invited_by=None)
    first = Invitation.objects.get(email="x@example.com")
    team_invite(team=team, text="x@example.com", invited_by=None)
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert Invitation.objects.filter(email="x@example.com", revoked_at__isnull=True).count() == 1


def test_accepting_requires_the_invited_address_and_a_live_link(db):
    team = TeamFactory()
    team_invite(team=team, text="new@example.com", invited_by=None)
    invitation = Invitation.objects.get(email="new@example.com")
    with pytest.raises(TeamActionRefused, match=r"sent to another email address") as refused:
        invitation_accept(token=invitation.token, user=UserFactory(email="someone@example.com"))
    assert "new@example.com" not in str(refused.value)  # whoever holds the link does not learn the address
    invitee = UserFactory(email="new@example.com")
    membership = invitation_accept(token=invitation.token, user=invitee)
    assert membership.role == TeamMembership.Role.MEMBER
    assert invitation_accept(token=invitation.token, user=invitee) == membership  # idempotent for the invitee
    team_invite(team=team, text="late@example.com", invited_by=None)
    late = Invitation.objects.get(email="late@example.com")
    Invitation.objects.filter(pk=late.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(TeamActionRefused, match="expired"):
        invitation_accept(token=late.token, user=UserFactory(email="late@example.com"))


def test_reminders_once_per_person_per_day(due_world):
    sent = assignment_reminders_send()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([due_world["busy"].email, due_world["lead"].email])
    body = next(m.body for m in mail.outbox if m.to[0] == due_world["busy"].email)
    assert due_world["soon"].title in body and due_world["late"].title in body
    assert due_world["far"].title not in body
    lead_body = next(m.body for m in mail.outbox if m.to[0] == due_world["lead"].email)
    assert "Overdue work" in lead_body
    assert sent == 2
    assert assignment_reminders_send() == 0  # again the same day: nothing more
    assert len(mail.outbox) == 2
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert assignment_reminders_send(today=tomorrow) == 2
    assert ReminderLog.objects.count() == 4


def test_invitations_are_html_and_text_with_the_names_of_inviter_and_invitee(db, django_capture_on_commit_callbacks):
    team = TeamFactory(name="Model Platform")
    lead = MembershipFactory(team=team, role="lead").user
    known = UserFactory()  # already has an account, and a name on it
    with django_capture_on_commit_callbacks(execute=True):
        team_invite(team=team, text=f"new@example.com\n{known.email}", invited_by=lead)
    by_address = {m.to[0]: m for m in mail.outbox}
    greeted = by_address[known.email]
    assert greeted.body.startswith(f"Hello {known.profile.full_name},")
    assert f"{lead.profile.full_name} invited you" in greeted.body and "Safety Academy" in greeted.body
    html, kind = greeted.alternatives[0]
    assert kind == "text/html" and "Accept the invitation" in html and "Model Platform" in html
    assert by_address["new@example.com"].body.startswith("Hello,")


# --- Reminders a lead sends, and late joiners in the daily run ----------------------------------------------


def test_a_lead_reminds_one_member_once_a_day_whoever_sends(team_in_every_state, django_capture_on_commit_callbacks):
    team, lead = team_in_every_state["team"], team_in_every_state["lead"]
    person = team_in_every_state["people"]["in_progress"]
    with django_capture_on_commit_callbacks(execute=True):
        report = team_reminders_send(team=team, sent_by=lead, user_id=person.pk)
    assert report.queued == [person.email] and not report.already_today
    [email] = mail.outbox
    assert email.to == [person.email] and team.name in email.subject
    assert team_in_every_state["topic"].title in email.body and team_in_every_state["late_topic"].title in email.body
    assert "asks you to catch up" in email.body
    assert ReminderLog.objects.get(user=person).kind == "from_lead"
    # The same day: neither the lead again nor the daily run emails them a second time.
    with django_capture_on_commit_callbacks(execute=True):
        again = team_reminders_send(team=team, sent_by=lead, user_id=person.pk)
    assert again.already_today == [person.email] and not again.queued
    assignment_reminders_send()
    assert [m.to for m in mail.outbox].count([person.email]) == 1


def test_a_lead_reminds_everyone_overdue(team_in_every_state, django_capture_on_commit_callbacks):
    team, lead, people = team_in_every_state["team"], team_in_every_state["lead"], team_in_every_state["people"]
    ReminderLog.objects.create(user=people["quiz_failed"], sent_on=timezone.localdate(), kind="member")
    with django_capture_on_commit_callbacks(execute=True):
        report = team_reminders_send(team=team, sent_by=lead)
    overdue = {people[k].email for k in ("not_started", "in_progress", "complete")}
    assert set(report.queued) == overdue  # the late joiner is not overdue
    assert report.already_today == [people["quiz_failed"].email]
    assert {m.to[0] for m in mail.outbox} == overdue


def test_nothing_to_remind_a_member_who_has_done_everything(db, django_capture_on_commit_callbacks):
    team = TeamFactory()
    member = MembershipFactory(team=team).user
    topic = topic_with_lessons(1)
    AssignmentFactory(team=team, topic=topic)
    learning.lesson_complete(user=member, lesson=topic.lessons.get())
    with django_capture_on_commit_callbacks(execute=True):
        report = team_reminders_send(team=team, sent_by=None, user_id=member.pk)
    assert report.nothing_open == [member.email] and not mail.outbox and not ReminderLog.objects.exists()
    with pytest.raises(ValidationError):
        team_reminders_send(team=team, sent_by=None, user_id=UserFactory().pk)


def test_daily_reminders_use_a_late_joiners_own_due_date(db):
    team = TeamFactory()
    topic = topic_with_lessons(1)
    AssignmentFactory(team=team, topic=topic, due_on=timezone.localdate() - dt.timedelta(days=3))
    MembershipFactory(team=team, user=UserFactory(email="old@example.com"))
    MembershipFactory(team=team, user=UserFactory(email="new@example.com"), joined_at=timezone.now())
    assignment_reminders_send()
    assert [m.to[0] for m in mail.outbox] == ["old@example.com"]  # the newcomer has 14 days
    later = timezone.localdate() + dt.timedelta(days=10)
    assignment_reminders_send(today=later)  # now within seven days of their own date
    body = next(m.body for m in mail.outbox if m.to[0] == "new@example.com")
    assert f"due {timezone.localdate() + dt.timedelta(days=14):%-d %b %Y}" in body


def test_assignments_carry_their_own_lead_time(db):
    team = TeamFactory()
    topic = topic_with_lessons(1)
    due = timezone.localdate() + dt.timedelta(days=5)
    [assignment] = assignment_create(team=team, due_on=due, assigned_by=None, topic=topic, lead_days=30)
    assert assignment.lead_days == 30
    with pytest.raises(ValidationError) as excinfo:
        assignment_create(team=team, due_on=due, assigned_by=None, topic=topic, lead_days=0)
    assert "lead_days" in excinfo.value.error_dict


def test_a_reset_is_granted_by_a_lead_of_the_members_team_or_staff(team_in_every_state, cooling_member):
    from django.core.exceptions import PermissionDenied, ValidationError

    from progress.services.assessment import quiz_reset_grant

    quiz = team_in_every_state["topic"].quiz
    team, lead = team_in_every_state["team"], team_in_every_state["lead"]
    other_lead = MembershipFactory(team=TeamFactory(name="Elsewhere"), role="lead").user
    co_lead = MembershipFactory(team=team, role="lead").user
    teammate = team_in_every_state["people"]["complete"]
    for outsider in (other_lead, teammate):
        with pytest.raises(PermissionDenied):
            quiz_reset_grant(granted_by=outsider, learner=cooling_member, quiz=quiz, reason="Please")
    with pytest.raises(PermissionDenied):  # leads reset members, not each other
        quiz_reset_grant(granted_by=lead, learner=co_lead, quiz=quiz, reason="Please")
    with pytest.raises(ValidationError, match="themselves"):
        quiz_reset_grant(granted_by=lead, learner=lead, quiz=quiz, reason="Please")
    reset = quiz_reset_grant(granted_by=lead, learner=cooling_member, quiz=quiz, reason="Was ill", team=team)
    assert (reset.granted_by, reset.granted_as, reset.reason) == (lead, f"Lead of {team.name}", "Was ill")
    for _ in range(3):
        attempt = quiz_attempt_start(user=cooling_member, quiz=quiz)
        quiz_attempt_submit(attempt_id=attempt.pk, user=cooling_member, answers=wrong_answers(attempt))
    staff = UserFactory(is_staff=True)
    assert quiz_reset_grant(granted_by=staff, learner=cooling_member, quiz=quiz, reason="Again").granted_as == "Staff"
