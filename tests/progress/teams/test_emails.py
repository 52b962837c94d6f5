"""Plain-text emails are plain text: names with &, < or quotes arrive as written, not HTML-escaped."""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.utils import timezone

from progress.models import Assignment, TeamMembership
from progress.services.teams import assignment_reminders_send, team_invite
from tests.factories import MembershipFactory, TeamFactory, topic_with_lessons

ODD_NAME = 'R&D <Safety> "Core" O\'Brien'


def test_the_invitation_email_keeps_the_team_name_as_written(db, django_capture_on_commit_callbacks):
    team = TeamFactory(name=ODD_NAME)
    with django_capture_on_commit_callbacks(execute=True):
        team_invite(team=team, text="new@example.com", invited_by=None)
    body = mail.outbox[-1].body
    assert ODD_NAME in body
    assert "&amp;" not in body and "&lt;" not in body and "&#x27;" not in body


def test_the_reminder_email_keeps_names_as_written(db):
    team = TeamFactory(name=ODD_NAME)
    member = MembershipFactory(team=team, role=TeamMembership.Role.MEMBER).user
    topic = topic_with_lessons(1)
    topic.title = "Risk & Hazards"
    topic.save()
    Assignment.objects.create(team=team, topic=topic, due_on=timezone.localdate() + dt.timedelta(days=2))
    assignment_reminders_send()
    body = next(m.body for m in mail.outbox if m.to == [member.email])
    assert ODD_NAME in body and "Risk & Hazards" in body
    assert "&amp;" not in body


def test_every_plain_text_template_turns_autoescape_off():
    """A text email's variables come out as written: the template turns escaping off from its start, or,
    when it extends a layout (whose own text is covered by this test too), inside each block it fills."""
    for template in Path(settings.BASE_DIR, "templates").rglob("*.txt"):
        text = template.read_text()
        if "{{" not in text:
            continue
        if text.startswith("{% extends"):
            for block in text.split("{% block ")[1:]:
                body = block.split("%}", 1)[1]
                assert body.startswith("{% autoescape off %}"), template
        else:
            assert text.startswith("{% autoescape off %}"), template
