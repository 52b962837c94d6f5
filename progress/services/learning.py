"""Writes for a learner's own account and progress: profile, API token, enrolment, opening and
completing lessons, and the topic-completion transition that earns a certificate."""

from __future__ import annotations

import time
from functools import cache

from django.core.cache import cache as shared_cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from rest_framework.authtoken.models import Token

from courses.models import Lesson, Topic
from progress import page_versions
from progress.certificate_pdf import certificate_name_problem
from progress.models import Enrollment, LessonProgress, Profile, TopicCompletion
from progress.services.certificates import certificate_request, certificates_retry_for
from progress.services.summary import topic_progress_refresh, topic_progress_touch
from quizzes.models import Attempt, Quiz
from safety_academy import learner_pages
from safety_academy.db import commit_without_waiting_for_disk, execute


def full_name_clean(full_name: str) -> str:
    """The name as certificates print it, runs of whitespace collapsed; ValidationError for a blank name or
    one the certificate font cannot print. The one rule for names, used by sign-up and the profile alike."""
    full_name = " ".join(full_name.split())
    if not full_name:
        raise ValidationError("Enter your name.")
    problem = certificate_name_problem(full_name)
    if problem:
        raise ValidationError(problem)
    return full_name


def profile_update(*, user, full_name: str) -> Profile:
    """Save the name printed on certificates (see full_name_clean)."""
    try:
        full_name = full_name_clean(full_name)
    except ValidationError as exc:
        raise ValidationError({"full_name": exc.messages}) from exc
    profile, _ = Profile.objects.update_or_create(user=user, defaults={"full_name": full_name})
    certificates_retry_for(user=user)  # one that failed on the old name is issued with the new one
    return profile


def api_token_create(*, user) -> Token:
    """A fresh personal API token, replacing any previous one (which stops working at once)."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)


def api_token_revoke(*, user) -> bool:
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted > 0


def account_password_set(*, user, password: str) -> None:
    """A new password (changed, reset or set) also revokes the API token: whoever knew the old
    password may have made one. Other sessions end through Django's session hash."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        Token.objects.filter(user=user).delete()


def enrollment_create(*, user, topic: Topic) -> tuple[Enrollment, bool]:
    """Enrol (idempotent): returns the enrolment and whether it is new."""
    try:
        with transaction.atomic():
            enrollment, created = Enrollment.objects.get_or_create(user=user, topic=topic)
            if created:
                topic_progress_refresh(user_id=user.pk, topic_id=topic.pk)
            return enrollment, created
    except IntegrityError:  # a concurrent request enrolled first
        return Enrollment.objects.get(user=user, topic=topic), False


def enrollment_delete(*, user, topic: Topic) -> bool:
    """Leave a topic; lesson progress is kept, so enrolling again picks up where it was."""
    with transaction.atomic():
        deleted, _ = Enrollment.objects.filter(user=user, topic=topic).delete()
        if deleted:
            topic_progress_refresh(user_id=user.pk, topic_id=topic.pk)
    return deleted > 0


def _progress_row(*, user, lesson: Lesson) -> LessonProgress:
    try:
        with transaction.atomic():
            row, _ = LessonProgress.objects.get_or_create(user=user, lesson=lesson)
    except IntegrityError:  # the unique constraint caught a concurrent insert: use the winner's row
        row = LessonProgress.objects.get(user=user, lesson=lesson)
    return row


def lesson_open(*, user, lesson: Lesson) -> None:
    """Record that the learner opened a lesson (first and last time). Browsing never enrols: only Start or
    Enrol (and marking a lesson complete) does. Opening again the lesson last opened, within a minute of the
    time recorded, records nothing: the times are kept to the minute, and a reload costs no write."""
    last = _last_opening(user.pk)
    if _opened_moments_ago(last, lesson_id=lesson.pk):
        return
    _lesson_open(user=user, lesson=lesson)
    _remember_opening(last, user_id=user.pk, lesson_id=lesson.pk)


def lesson_reopen(user_id: int, lesson_id: int, topic_id: int) -> None:
    """A lesson page served from the learner's kept pages (safety_academy.learner_pages) was opened again: record it
    as lesson_open does. The page was kept after an opening was recorded, so the row is there to move."""
    last = _last_opening(user_id)
    if _opened_moments_ago(last, lesson_id=lesson_id):
        return
    _reopened(user_id=user_id, lesson_id=lesson_id, topic_id=topic_id)
    _remember_opening(last, user_id=user_id, lesson_id=lesson_id)


def _reopened(*, user_id: int, lesson_id: int, topic_id: int) -> bool:
    """A lesson opened or done before (the usual case) only moves its times: two UPDATEs and no read, in one
    transaction that does not wait for the disk (a time of opening is worth less than a flush per page view).
    Both in SQL: this runs on every lesson view, and the ORM took longer to build the statements than the
    database took to run them. False when there was no such row."""
    now = timezone.now()
    moment = connection.ops.adapt_datetimefield_value(now)
    with transaction.atomic():
        commit_without_waiting_for_disk()
        moved = execute(_reopened_sql(), [moment, moment, user_id, lesson_id])
        if moved:
            topic_progress_touch(user_id=user_id, topic_id=topic_id, moment=now)
    return bool(moved)


# The learner's last recorded opening, (lesson id, when), kept in the cache: a shared cache only, like the pages.
OPENING_SECONDS = 60


def _opening_key(user_id) -> str:
    return f"lesson-opened:{user_id}"


def _last_opening(user_id: int) -> tuple[int, float] | None:
    return shared_cache.get(_opening_key(user_id)) if learner_pages.enabled() else None


def _opened_moments_ago(last, *, lesson_id: int) -> bool:
    return bool(last) and last[0] == lesson_id and time.time() - last[1] < OPENING_SECONDS


def _remember_opening(last, *, user_id: int, lesson_id: int) -> None:
    """After an opening is recorded (`last`: the one before): the last activity on the learner's teams' dashboards
    moved and, when it is not the lesson last opened, /me/'s continue point too."""
    if not learner_pages.enabled():
        return
    if not last or last[0] != lesson_id:
        page_versions.learners_changed([user_id])
    else:
        page_versions.activity_moved(user_id)
    shared_cache.set(_opening_key(user_id), (lesson_id, time.time()), timeout=learner_pages.VERSION_SECONDS)


def _lesson_open(*, user, lesson: Lesson) -> None:
    if _reopened(user_id=user.pk, lesson_id=lesson.pk, topic_id=lesson.topic_id):
        return
    now = timezone.now()
    row = _progress_row(user=user, lesson=lesson)
    opened = LessonProgress.objects.filter(pk=row.pk)
    if row.first_opened_at is None and row.completed_at is None:  # newly opened: the topic's counts move
        with transaction.atomic():
            opened.update(last_opened_at=now, first_opened_at=Coalesce(F("first_opened_at"), Value(now)))
            topic_progress_refresh(user_id=user.pk, topic_id=lesson.topic_id)
        return
    opened.update(last_opened_at=now, first_opened_at=Coalesce(F("first_opened_at"), Value(now)))
    topic_progress_touch(user_id=user.pk, topic_id=lesson.topic_id, moment=now)


@cache
def _reopened_sql() -> str:
    """A lesson seen before (opened or done) opened again: its last opening moves, its first stays."""
    return f"""
        UPDATE {LessonProgress._meta.db_table}
        SET last_opened_at = %s, first_opened_at = COALESCE(first_opened_at, %s)
        WHERE user_id = %s AND lesson_id = %s AND (first_opened_at IS NOT NULL OR completed_at IS NOT NULL)
    """  # noqa: S608 (a table name from the model; every value a parameter)


def lesson_complete(*, user, lesson: Lesson) -> bool:
    """Mark a lesson complete (idempotent, safe under concurrency); returns whether it changed."""
    with transaction.atomic():
        enrollment_create(user=user, topic=lesson.topic)
        now = timezone.now()
        row = _progress_row(user=user, lesson=lesson)
        changed = LessonProgress.objects.filter(pk=row.pk, completed_at__isnull=True).update(
            completed_at=now, first_opened_at=row.first_opened_at or now, last_opened_at=row.last_opened_at or now
        )
        if changed:
            topic_progress_refresh(user_id=user.pk, topic_id=lesson.topic_id)
            topic_completion_refresh(user=user, topic_id=lesson.topic_id)
    return bool(changed)


def lesson_uncomplete(*, user, lesson: Lesson) -> bool:
    """Undo a completion; returns whether it changed."""
    with transaction.atomic():
        changed = LessonProgress.objects.filter(user=user, lesson=lesson, completed_at__isnull=False).update(
            completed_at=None
        )
        if changed:
            topic_progress_refresh(user_id=user.pk, topic_id=lesson.topic_id)
            topic_completion_refresh(user=user, topic_id=lesson.topic_id)
    return bool(changed)


def topic_is_complete_for(*, user, topic_id: int) -> bool:
    """All published lessons done (at least one) and the quiz, if the topic has one, passed; never for a
    withdrawn (unpublished) topic."""
    published = Lesson.objects.filter(topic_id=topic_id, is_published=True, topic__is_published=True)
    total = published.count()
    if total == 0:
        return False
    done = LessonProgress.objects.filter(user=user, lesson__in=published, completed_at__isnull=False).count()
    if done < total:
        return False
    quiz = Quiz.objects.filter(topic_id=topic_id, is_published=True).first()
    return quiz is None or Attempt.objects.filter(user=user, quiz=quiz, passed=True).exists()


def topic_completion_refresh(*, user, topic_id: int) -> bool:
    """Bring the learner's completion record for a topic up to date; returns whether it is complete.

    Crossing into "complete" asks for the topic certificate (and, with the last topic, the
    track certificate); the task is queued only once the transaction commits. A withdrawn
    (unpublished) topic is left alone: it earns nothing new, and what was recorded stays.
    """
    if not Topic.objects.filter(pk=topic_id, is_published=True).exists():
        return False
    complete = topic_is_complete_for(user=user, topic_id=topic_id)
    existing = TopicCompletion.objects.filter(user=user, topic_id=topic_id)
    if not complete:
        existing.delete()
        return False
    if existing.exists():
        return True
    version = Lesson.objects.filter(topic_id=topic_id, is_published=True).aggregate(v=Max("updated_at"))["v"]
    try:
        with transaction.atomic():
            TopicCompletion.objects.create(
                user=user, topic_id=topic_id, completed_at=timezone.now(), content_version=version
            )
    except IntegrityError:  # recorded by a concurrent request
        return True
    certificate_request(user=user, topic_id=topic_id)
    published_topics = Topic.objects.filter(is_published=True).count()
    completed_topics = TopicCompletion.objects.filter(user=user, topic__is_published=True).count()
    if published_topics and completed_topics >= published_topics:
        certificate_request(user=user, topic_id=None)
    return True
