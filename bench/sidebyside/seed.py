"""The benchmark's data (issue 19): the full track, the demo team grown to 506 members with 10
assigned topics, a learner with 250 lessons done; then the same grown tenfold.

Generated rows are written in bulk, past the services, as a long history would have accumulated.
If the services come to keep derived rows (a per-learner summary, a search index), build them here
too after the bulk writes, or the pages will read an empty summary.
"""

from __future__ import annotations

import datetime as dt
import io
import string
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.middleware.csrf import CSRF_SECRET_LENGTH
from django.utils import timezone
from django.utils.crypto import get_random_string

from courses.models import Category, Lesson, Topic
from progress.models import Assignment, Enrollment, LessonProgress, Team, TeamMembership
from progress.services.summary import topic_progress_rebuild
from quizzes.models import Choice, Question, Quiz
from quizzes.services import quiz_attempt_start

TEAM_SLUG = "model-platform"  # seed_demo's team
LEARNER_EMAIL = "learner@safety-academy.test"  # seed_demo's accounts
LEAD_EMAIL = "lead@safety-academy.test"
SEARCH_TERM = "robustness"


@dataclass(frozen=True)
class World:
    """Who the benchmark logs in as, and the slugs its page paths need."""

    learner_id: int
    lead_id: int
    slugs: dict[str, str]


def seed_baseline(*, members: int = 500, lessons_done: int = 250, assigned: int = 10) -> World:
    """The 1× data. Expects the track loaded (load_track) into an otherwise empty database."""
    call_command("seed_demo", stdout=io.StringIO())
    team = Team.objects.get(slug=TEAM_SLUG)
    topics = list(Topic.objects.filter(is_published=True).order_by("category__position", "position")[:assigned])
    today = timezone.localdate()
    for i, topic in enumerate(topics):  # two already overdue, the rest due over the coming days
        Assignment.objects.update_or_create(
            team=team, topic=topic, defaults={"due_on": today + dt.timedelta(days=i - 2)}
        )
    call_command("seed_demo", members=members, stdout=io.StringIO())
    learner = get_user_model().objects.get(username=LEARNER_EMAIL)
    lead = get_user_model().objects.get(username=LEAD_EMAIL)
    lessons_complete(user=learner, total=lessons_done)
    topic = next(t for t in topics if hasattr(t, "quiz") and t.lessons.filter(is_published=True).count() >= 2)
    lesson = topic.lessons.filter(is_published=True).order_by("position")[1]
    quiz_attempt_start(user=learner, quiz=topic.quiz)  # the quiz page shows an attempt in progress
    return World(learner.pk, lead.pk, {"topic": topic.slug, "lesson": lesson.slug, "team": team.slug})


def grow(*, factor: int = 10, members: int = 5000, lessons_done: int = 2500) -> None:
    """The 10× data: the track copied until it is `factor` times its size, the team grown to
    `members` generated members, and the learner's history to `lessons_done` lessons."""
    track_multiply(factor=factor)
    call_command("seed_demo", members=members, stdout=io.StringIO())
    lessons_complete(user=get_user_model().objects.get(username=LEARNER_EMAIL), total=lessons_done)


@transaction.atomic
def lessons_complete(*, user, total: int) -> None:
    """Mark lessons done, in track order, until the user has `total` done; enrol them in those topics."""
    done = LessonProgress.objects.filter(user=user, completed_at__isnull=False).count()
    touched = LessonProgress.objects.filter(user=user).values("lesson_id")
    todo = (
        Lesson.objects.filter(is_published=True, topic__is_published=True)
        .exclude(pk__in=touched)
        .order_by("topic__category__position", "topic__position", "position")
        .values_list("pk", "topic_id")[: max(total - done, 0)]
    )
    now = timezone.now()
    rows = list(todo)
    LessonProgress.objects.bulk_create(
        [
            LessonProgress(user=user, lesson_id=pk, first_opened_at=now, last_opened_at=now, completed_at=now)
            for pk, _ in rows
        ],
        batch_size=2000,
    )
    Enrollment.objects.bulk_create(
        [Enrollment(user=user, topic_id=t) for t in sorted({t for _, t in rows})], ignore_conflicts=True
    )
    topic_progress_rebuild(user_ids=[user.pk])  # written in bulk: the learner x topic summary follows


def _clone(obj, **changes):
    """An unsaved copy of a row with every stored field (database-generated columns left out)."""
    fields = obj._meta.concrete_fields
    values = {f.attname: getattr(obj, f.attname) for f in fields if not f.primary_key and not f.generated}
    return type(obj)(**{**values, **changes})


@transaction.atomic
def track_multiply(*, factor: int) -> None:
    """Add factor - 1 copies of every category with its topics, lessons and quizzes (questions and
    choices too), so the catalogue, search and the API lists see a track `factor` times as large."""
    copies = range(1, factor)
    categories = list(Category.objects.all())
    topics = list(Topic.objects.all())
    lessons = list(Lesson.objects.all())
    quizzes = list(Quiz.objects.all())
    questions = list(Question.objects.all())
    choices = list(Choice.objects.all())
    step = max((c.position for c in categories), default=0) + 1

    def copy_all(rows, make):
        made = {(k, row.pk): make(k, row) for k in copies for row in rows}
        if made:
            model = type(next(iter(made.values())))
            model.objects.bulk_create(list(made.values()), batch_size=500)
        return {key: obj.pk for key, obj in made.items()}

    category_ids = copy_all(
        categories,
        lambda k, c: _clone(c, slug=f"{c.slug}-{k + 1}", title=f"{c.title} ({k + 1})", position=c.position + k * step),
    )
    topic_ids = copy_all(
        topics,
        lambda k, t: _clone(
            t, slug=f"{t.slug}-{k + 1}", title=f"{t.title} ({k + 1})", category_id=category_ids[k, t.category_id]
        ),
    )
    lesson_ids = copy_all(lessons, lambda k, x: _clone(x, topic_id=topic_ids[k, x.topic_id]))
    quiz_ids = copy_all(quizzes, lambda k, q: _clone(q, topic_id=topic_ids[k, q.topic_id]))
    question_ids = copy_all(
        questions,
        lambda k, q: _clone(
            q, quiz_id=quiz_ids[k, q.quiz_id], lesson_id=lesson_ids[k, q.lesson_id] if q.lesson_id else None
        ),
    )
    copy_all(choices, lambda k, c: _clone(c, question_id=question_ids[k, c.question_id]))


def browser_cookies(user_id: int) -> dict[str, str]:
    """The cookies a browser signed in as the user holds: a new session made with the configured SessionStore, and
    the CSRF cookie the first page with a form sets (a learner's kept pages are keyed by it)."""
    user = get_user_model().objects.get(pk=user_id)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[auth.SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[auth.BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[auth.HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    csrf_secret = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=string.ascii_letters + string.digits)
    return {settings.SESSION_COOKIE_NAME: store.session_key, settings.CSRF_COOKIE_NAME: csrf_secret}


def data_summary(world: World) -> dict[str, int]:
    """What the database holds now, in the terms of the issue."""
    team = Team.objects.get(slug=world.slugs["team"])
    return {
        "categories": Category.objects.count(),
        "topics": Topic.objects.filter(is_published=True).count(),
        "lessons": Lesson.objects.filter(is_published=True, topic__is_published=True).count(),
        "team members": TeamMembership.objects.filter(team=team, role=TeamMembership.Role.MEMBER).count(),
        "assigned topics": team.assignments.count(),
        "learner's lessons done": LessonProgress.objects.filter(
            user_id=world.learner_id, completed_at__isnull=False
        ).count(),
    }
