"""The Celery tasks are thin wrappers: each runs its service and reports what it did (eager here; the
real-worker tests in certificates/test_worker.py run them on Redis)."""

import datetime as dt

from django.core import mail
from django.utils import timezone

from progress.models import Certificate, Invitation, TopicCompletion
from progress.services import learning
from progress.tasks.certificates import sweep_missing_certificates
from progress.tasks.learning import catch_up_topic_completions
from progress.tasks.teams import send_assignment_reminders, send_invitations
from tests.factories import AssignmentFactory, MembershipFactory, TeamFactory, topic_with_lessons


def test_sweep_task_queues_what_was_missed(user, db):
    topic = topic_with_lessons(1)
    now = timezone.now()
    TopicCompletion.objects.create(user=user, topic=topic, completed_at=now, content_version=now)
    assert sweep_missing_certificates.apply().get() == 1
    assert Certificate.objects.get(user=user, topic=topic).status == Certificate.Status.ISSUED


def test_reminder_task_sends_one_email_per_person(db):
    team = TeamFactory()
    member = MembershipFactory(team=team).user
    AssignmentFactory(team=team, topic=topic_with_lessons(1), due_on=timezone.localdate() + dt.timedelta(days=2))
    assert send_assignment_reminders.apply().get() == 1
    assert send_assignment_reminders.apply().get() == 0
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_invitation_task_emails_each_open_invitation(db):
    team = TeamFactory(name="Model Platform")
    expires = timezone.now() + dt.timedelta(days=1)
    open_one = Invitation.objects.create(team=team, email="new@example.com", expires_at=expires)
    withdrawn = Invitation.objects.create(team=team, email="gone@example.com", expires_at=expires, revoked_at=expires)
    assert send_invitations.apply(args=[[open_one.pk, withdrawn.pk]]).get() == 1
    assert mail.outbox[0].to == ["new@example.com"]
    assert open_one.get_absolute_url() in mail.outbox[0].body
    assert "Model Platform" in mail.outbox[0].subject


def test_catch_up_task_completes_topics_a_hidden_lesson_finished(user, db):
    topic = topic_with_lessons(2)
    first, second = topic.lessons.order_by("position")
    learning.lesson_complete(user=user, lesson=first)
    second.is_published = False
    second.save()
    assert catch_up_topic_completions.apply(args=[[topic.pk]]).get() == 1
    assert TopicCompletion.objects.filter(user=user, topic=topic).exists()
