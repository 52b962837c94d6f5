"""Demo accounts (admin, team lead, learner) and a team with members in every state; idempotent."""

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from courses.models import Lesson, Topic
from progress.models import Assignment, LessonProgress, Team, TeamMembership, TopicCompletion
from progress.services import learning
from progress.services.assessment import quiz_attempt_begin, quiz_attempt_submit
from progress.services.summary import topic_progress_rebuild
from quizzes.models import Choice

DEMO_PASSWORD = "safety-academy-demo"  # noqa: S105 - printed for the demo, documented in the README
ACCOUNTS = [
    ("admin@safety-academy.test", "Avery Admin", {"is_staff": True, "is_superuser": True}),
    ("lead@safety-academy.test", "Lee Lead", {}),
    ("learner@safety-academy.test", "Lorna Learner", {}),
]
# (email, name, state) for the demo team: one member in each state the dashboard shows.
MEMBERS = [
    ("learner@safety-academy.test", "Lorna Learner", "in_progress"),
    ("sam.started@safety-academy.test", "Sam Started", "in_progress"),
    ("nia.new@safety-academy.test", "Nia New", "not_started"),
    ("fred.failed@safety-academy.test", "Fred Failed", "quiz_failed"),
    ("cal.cooling@safety-academy.test", "Cal Cooling", "cooling_down"),  # three failures: a reset to grant
    ("cora.complete@safety-academy.test", "Cora Complete", "complete"),
    ("otto.overdue@safety-academy.test", "Otto Overdue", "overdue"),
    ("lou.late@safety-academy.test", "Lou Late", "joined_late"),
]
# The demo team's members joined a month ago, except the one who joined yesterday, after a due date.
JOINED_DAYS_AGO = {"joined_late": 1}


def _user(email: str, name: str, **flags):
    user, created = get_user_model().objects.get_or_create(username=email, defaults={"email": email, **flags})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    learning.profile_update(user=user, full_name=name)
    return user, created


class Command(BaseCommand):
    help = "Create demo accounts and a demo team (run after load_track). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=0, help="also add N generated members (for benchmarks)")

    def handle(self, *args, members: int, **options):
        topics = list(Topic.objects.filter(is_published=True).order_by("category__position", "position"))
        if not topics:
            raise CommandError("Load the track first: python manage.py load_track")
        users = {email: _user(email, name, **flags)[0] for email, name, flags in ACCOUNTS}
        team, _ = Team.objects.get_or_create(slug="model-platform", defaults={"name": "Model Platform"})
        TeamMembership.objects.get_or_create(
            team=team, user=users["lead@safety-academy.test"], defaults={"role": TeamMembership.Role.LEAD}
        )
        today = timezone.localdate()
        with_lessons = [t for t in topics if t.lessons.filter(is_published=True).exists()][:3] or topics[:3]
        # The first assignment is where members sit in each state; the last is already past due.
        due = [today + dt.timedelta(days=21), today + dt.timedelta(days=5), today - dt.timedelta(days=3)]
        for topic, due_on in zip(with_lessons, due, strict=False):
            Assignment.objects.get_or_create(team=team, topic=topic, defaults={"due_on": due_on})

        for email, name, state in MEMBERS:
            user, _ = _user(email, name)
            joined_at = timezone.now() - dt.timedelta(days=JOINED_DAYS_AGO.get(state, 30))
            _, joined = TeamMembership.objects.get_or_create(team=team, user=user, defaults={"joined_at": joined_at})
            if joined:
                topic = with_lessons[-1] if state == "overdue" else with_lessons[0]
                self._put_in_state(user, topic, state)
        if members:
            self._bulk_members(team, members, [a.topic for a in team.assignments.select_related("topic")])

        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD}):"))
        for email, _name, flags in ACCOUNTS:
            role = (
                "admin" if flags.get("is_staff") else ("team lead of Model Platform" if "lead" in email else "learner")
            )
            self.stdout.write(f"  {email:34} {role}")

    def _put_in_state(self, user, topic: Topic, state: str) -> None:
        lessons = list(Lesson.objects.filter(topic=topic, is_published=True).order_by("position"))
        if state in ("not_started", "joined_late") or not lessons:
            return
        if state in ("in_progress", "overdue"):
            learning.lesson_open(user=user, lesson=lessons[0])
            learning.lesson_complete(user=user, lesson=lessons[0])
            if len(lessons) > 2:
                learning.lesson_open(user=user, lesson=lessons[1])
            return
        for lesson in lessons:
            learning.lesson_complete(user=user, lesson=lesson)
        quiz = getattr(topic, "quiz", None)
        if quiz is None:
            return
        tries = (quiz.cooldown_failures or 1) if state == "cooling_down" else 1
        for _ in range(tries):
            self._take_quiz(user, quiz, right=state == "complete")

    def _take_quiz(self, user, quiz, *, right: bool) -> None:
        attempt = quiz_attempt_begin(user=user, quiz=quiz)
        correct = set(
            Choice.objects.filter(question_id__in=attempt.question_order, is_correct=True).values_list("pk", flat=True)
        )
        answers = {}
        for question_id in attempt.question_order:
            tokens = attempt.choice_order[str(question_id)]  # the attempt's tokens, never the choices' ids
            if right:
                answers[question_id] = [t for t in tokens if attempt.choice_tokens[t] in correct]
            else:
                answers[question_id] = [next(t for t in tokens if attempt.choice_tokens[t] not in correct)]
        quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=answers)

    @transaction.atomic
    def _bulk_members(self, team: Team, count: int, topics: list[Topic]) -> None:
        """Many generated members with varied progress, written in bulk (benchmarks, not the demo)."""
        User = get_user_model()
        existing = TeamMembership.objects.filter(team=team, user__email__startswith="member-").count()
        lessons = {t.pk: list(Lesson.objects.filter(topic=t, is_published=True)) for t in topics}
        now = timezone.now()
        new_users = [
            User(username=f"member-{i:05d}@safety-academy.test", email=f"member-{i:05d}@safety-academy.test")
            for i in range(existing, count)
        ]
        User.objects.bulk_create(new_users)
        created = list(User.objects.filter(username__in=[u.username for u in new_users]))
        joined_at = now - dt.timedelta(days=30)
        TeamMembership.objects.bulk_create([TeamMembership(team=team, user=u, joined_at=joined_at) for u in created])
        progress, completions = [], []
        for i, user in enumerate(created):
            for j, topic in enumerate(topics):
                done = lessons[topic.pk][: (i + j) % (len(lessons[topic.pk]) + 1)]
                progress += [
                    LessonProgress(user=user, lesson=lesson, first_opened_at=now, last_opened_at=now, completed_at=now)
                    for lesson in done
                ]
                if done and len(done) == len(lessons[topic.pk]) and i % 2 == 0:
                    completions.append(TopicCompletion(user=user, topic=topic, completed_at=now, content_version=now))
        LessonProgress.objects.bulk_create(progress, batch_size=2000)
        TopicCompletion.objects.bulk_create(completions, batch_size=2000)
        topic_progress_rebuild(user_ids=[u.pk for u in created])  # the rows above bypass the services
        self.stdout.write(f"Added {len(created)} generated members to {team.name}.")
