"""Writes of a learner's progress: enrolment, lessons, topic completion, profile, concurrency."""

import pytest

from progress.models import Certificate, Enrollment, LessonProgress, TopicCompletion, TopicProgress
from progress.services import learning
from progress.services.assessment import quiz_attempt_submit
from quizzes.services import quiz_attempt_start
from tests.concurrency import run_at_once
from tests.factories import LessonFactory, UserFactory, correct_answers, topic_with_lessons


def test_enrol_is_idempotent_and_leaving_keeps_progress(user, db):
    topic = topic_with_lessons(2)
    _, created = learning.enrollment_create(user=user, topic=topic)
    _, again = learning.enrollment_create(user=user, topic=topic)
    assert created and not again
    lesson = topic.lessons.first()
    learning.lesson_complete(user=user, lesson=lesson)
    assert learning.enrollment_delete(user=user, topic=topic)
    assert not Enrollment.objects.filter(user=user, topic=topic).exists()
    assert LessonProgress.objects.get(user=user, lesson=lesson).completed_at is not None


def test_opening_a_lesson_records_first_and_last_open_without_enrolling(user, db):
    lesson = LessonFactory()
    learning.lesson_open(user=user, lesson=lesson)
    row = LessonProgress.objects.get(user=user, lesson=lesson)
    first = row.first_opened_at
    assert not Enrollment.objects.filter(user=user, topic=lesson.topic).exists()
    learning.lesson_open(user=user, lesson=lesson)
    row.refresh_from_db()
    assert row.first_opened_at == first
    assert row.last_opened_at >= first


def test_complete_and_undo_are_idempotent(user, db):
    lesson = LessonFactory()
    assert learning.lesson_complete(user=user, lesson=lesson) is True
    assert learning.lesson_complete(user=user, lesson=lesson) is False
    assert LessonProgress.objects.filter(user=user, lesson=lesson).count() == 1
    assert learning.lesson_uncomplete(user=user, lesson=lesson) is True
    assert learning.lesson_uncomplete(user=user, lesson=lesson) is False
    assert LessonProgress.objects.get(user=user, lesson=lesson).completed_at is None


def test_topic_without_quiz_completes_when_every_published_lesson_is_done(user, db):
    topic = topic_with_lessons(3)
    LessonFactory(topic=topic, is_published=False)  # hidden lessons do not count
    lessons = list(topic.lessons.filter(is_published=True))
    for lesson in lessons[:-1]:
        learning.lesson_complete(user=user, lesson=lesson)
    assert not TopicCompletion.objects.filter(user=user, topic=topic).exists()
    learning.lesson_complete(user=user, lesson=lessons[-1])
    completion = TopicCompletion.objects.get(user=user, topic=topic)
    assert completion.content_version == max(lesson.updated_at for lesson in topic.lessons.filter(is_published=True))
    assert Certificate.objects.filter(user=user, topic=topic).count() == 1


def test_topic_with_quiz_needs_the_quiz_passed(user, db):
    topic = topic_with_lessons(2, quiz_questions=3)
    for lesson in topic.lessons.all():
        learning.lesson_complete(user=user, lesson=lesson)
    assert not TopicCompletion.objects.filter(user=user, topic=topic).exists()
    attempt = quiz_attempt_start(user=user, quiz=topic.quiz)
    quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=correct_answers(attempt))
    assert TopicCompletion.objects.filter(user=user, topic=topic).exists()


def test_a_withdrawn_topic_earns_no_completion_and_loses_none(user, db):
    topic = topic_with_lessons(2)
    lessons = list(topic.lessons.all())
    learning.lesson_complete(user=user, lesson=lessons[0])
    topic.is_published = False
    topic.save()
    learning.lesson_complete(user=user, lesson=lessons[1])
    assert not TopicCompletion.objects.filter(user=user).exists()
    assert not Certificate.objects.filter(user=user).exists()
    topic.is_published = True
    topic.save()
    learning.lesson_uncomplete(user=user, lesson=lessons[1])
    learning.lesson_complete(user=user, lesson=lessons[1])
    assert TopicCompletion.objects.filter(user=user, topic=topic).exists()
    topic.is_published = False
    topic.save()
    learning.lesson_uncomplete(user=user, lesson=lessons[0])  # the record of what was done stays
    assert TopicCompletion.objects.filter(user=user, topic=topic).exists()


def test_undoing_a_lesson_reopens_the_topic_but_keeps_the_certificate(user, db, django_capture_on_commit_callbacks):
    topic = topic_with_lessons(2)
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in topic.lessons.all():
            learning.lesson_complete(user=user, lesson=lesson)
    learning.lesson_uncomplete(user=user, lesson=topic.lessons.first())
    assert not TopicCompletion.objects.filter(user=user, topic=topic).exists()
    assert Certificate.objects.filter(user=user, topic=topic, status="issued").count() == 1
    learning.lesson_complete(user=user, lesson=topic.lessons.first())
    assert Certificate.objects.filter(user=user, topic=topic).count() == 1


def test_profile_name_is_normalised(user, db):
    assert learning.profile_update(user=user, full_name="  Ada   Lovelace ").full_name == "Ada Lovelace"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_completing_the_same_lesson_from_many_threads_yields_one_row():
    user = UserFactory()
    lesson = LessonFactory()

    def complete():
        learning.lesson_complete(user=user, lesson=lesson)
        learning.lesson_open(user=user, lesson=lesson)

    _, errors = run_at_once(complete, threads=8)
    assert errors == []
    assert LessonProgress.objects.filter(user=user, lesson=lesson).count() == 1
    assert Enrollment.objects.filter(user=user, topic=lesson.topic).count() == 1


def test_reopening_a_lesson_moves_only_its_last_open_and_the_topics_last_activity(user, db):
    lesson = LessonFactory()
    learning.lesson_complete(user=user, lesson=lesson)
    LessonProgress.objects.filter(user=user, lesson=lesson).update(first_opened_at=None)  # as rows written in bulk
    before = TopicProgress.objects.get(user=user, topic=lesson.topic)
    learning.lesson_open(user=user, lesson=lesson)
    row = LessonProgress.objects.get(user=user, lesson=lesson)
    after = TopicProgress.objects.get(user=user, topic=lesson.topic)
    assert row.first_opened_at == row.last_opened_at and row.completed_at is not None
    assert after.last_activity >= before.last_activity
    assert (after.lessons_done, after.lessons_opened) == (before.lessons_done, before.lessons_opened) == (1, 1)


@pytest.mark.postgres
def test_a_reopened_lesson_skips_the_disk_flush_of_its_own_transaction_only(transactional_db):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    user, lesson = UserFactory(), LessonFactory()
    learning.lesson_open(user=user, lesson=lesson)
    with CaptureQueriesContext(connection) as alone:
        learning.lesson_open(user=user, lesson=lesson)
    assert "SET LOCAL synchronous_commit TO OFF" in [q["sql"] for q in alone.captured_queries]
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"  # only that transaction was relaxed
    with transaction.atomic(), CaptureQueriesContext(connection) as nested:
        learning.lesson_open(user=user, lesson=lesson)  # part of a larger transaction: it keeps its durability
    assert not any("synchronous_commit" in q["sql"] for q in nested.captured_queries)
    assert LessonProgress.objects.get(user=user, lesson=lesson).last_opened_at is not None
