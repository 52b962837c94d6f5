"""The learner x topic summary (TopicProgress) always equals what its rows say, through every service that
writes them: enrolment, opening, completing and undoing lessons, quiz results, publishing and hiding."""

import pytest

from progress.models import TopicProgress
from progress.selectors.learning import lessons_done_by_topic
from progress.services.assessment import quiz_attempt_begin, quiz_attempt_submit
from progress.services.content import lessons_publish
from progress.services.learning import (
    enrollment_create,
    enrollment_delete,
    lesson_complete,
    lesson_open,
    lesson_uncomplete,
)
from progress.services.summary import summaries_from_rows, topic_progress_rebuild
from tests.factories import UserFactory, correct_answers, topic_with_lessons, wrong_answers

FIELDS = ("lessons_done", "lessons_opened", "quiz_attempts", "quiz_best", "quiz_passed", "enrolled", "last_activity")


def stored() -> dict:
    return {(row.user_id, row.topic_id): {f: getattr(row, f) for f in FIELDS} for row in TopicProgress.objects.all()}


def assert_consistent():
    assert stored() == summaries_from_rows()


@pytest.fixture
def two_topics(db):
    return topic_with_lessons(3, quiz_questions=3), topic_with_lessons(2)


def test_every_write_keeps_the_summary_equal_to_its_rows(two_topics):
    quizzed, plain = two_topics
    ann, bob = UserFactory(), UserFactory()
    a1, a2, a3 = quizzed.lessons.order_by("position")
    b1, b2 = plain.lessons.order_by("position")

    enrollment_create(user=ann, topic=quizzed)
    assert_consistent()
    lesson_open(user=ann, lesson=a1)
    lesson_open(user=ann, lesson=a1)  # opened again: only the last activity moves
    lesson_open(user=bob, lesson=b1)  # browsing, not enrolled
    assert_consistent()
    for lesson in (a1, a2, a3):
        lesson_complete(user=ann, lesson=lesson)
    lesson_complete(user=bob, lesson=b2)
    assert_consistent()
    assert stored()[(ann.pk, quizzed.pk)]["lessons_done"] == 3
    lesson_uncomplete(user=ann, lesson=a2)
    assert_consistent()
    lesson_complete(user=ann, lesson=a2)

    attempt = quiz_attempt_begin(user=ann, quiz=quizzed.quiz)
    quiz_attempt_submit(attempt_id=attempt.pk, user=ann, answers=wrong_answers(attempt))
    assert_consistent()
    attempt = quiz_attempt_begin(user=ann, quiz=quizzed.quiz)
    quiz_attempt_submit(attempt_id=attempt.pk, user=ann, answers=correct_answers(attempt))
    assert_consistent()
    summary = stored()[(ann.pk, quizzed.pk)]
    assert summary["quiz_attempts"] == 2 and summary["quiz_passed"] and summary["quiz_best"] == 100

    lessons_publish(lesson_ids=[a3.pk, b2.pk], published=False)  # hidden lessons stop counting
    assert_consistent()
    assert stored()[(ann.pk, quizzed.pk)]["lessons_done"] == 2
    lessons_publish(lesson_ids=[a3.pk, b2.pk], published=True)
    assert_consistent()
    enrollment_delete(user=ann, topic=quizzed)
    assert_consistent()
    assert stored()[(ann.pk, quizzed.pk)]["enrolled"] is False


def test_pages_read_the_summary_and_a_rebuild_matches_it(two_topics):
    quizzed, _ = two_topics
    ann = UserFactory()
    for lesson in quizzed.lessons.all()[:2]:
        lesson_complete(user=ann, lesson=lesson)
    assert lessons_done_by_topic(user=ann) == {quizzed.pk: 2}
    before = stored()
    TopicProgress.objects.all().delete()
    assert topic_progress_rebuild() == 1
    assert stored() == before


def test_someone_with_nothing_on_a_topic_has_no_row(two_topics):
    quizzed, _ = two_topics
    ann = UserFactory()
    enrollment_create(user=ann, topic=quizzed)
    enrollment_delete(user=ann, topic=quizzed)
    assert not TopicProgress.objects.exists()
