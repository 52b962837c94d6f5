"""Reads of a learner's progress: counts, query budgets, continue where you left off."""

import datetime as dt

from django.utils import timezone

from progress.models import LessonProgress
from progress.selectors import learning as selectors
from progress.services import learning
from tests.factories import LessonFactory, topic_with_lessons


def test_topic_progress_counts_published_lessons_only(user, db):
    topic = topic_with_lessons(4)
    hidden = LessonFactory(topic=topic, is_published=False)
    lessons = list(topic.lessons.filter(is_published=True))
    learning.lesson_complete(user=user, lesson=lessons[0])
    learning.lesson_complete(user=user, lesson=hidden)
    progress = selectors.topic_progress_map(user=user, topic_ids=[topic.pk])[topic.pk]
    assert (progress.done, progress.total, progress.percent) == (1, 4, 25)


def test_progress_map_runs_two_queries_whatever_the_number_of_topics(user, db, django_assert_num_queries):
    topics = [topic_with_lessons(3) for _ in range(5)]
    with django_assert_num_queries(2):
        selectors.topic_progress_map(user=user, topic_ids=[t.pk for t in topics])
    topics += [topic_with_lessons(3) for _ in range(10)]
    with django_assert_num_queries(2):
        selectors.topic_progress_map(user=user, topic_ids=[t.pk for t in topics])


def test_continue_is_the_most_recently_opened_unfinished_lesson(user, db):
    topic = topic_with_lessons(3)
    a, b, c = topic.lessons.order_by("position")
    learning.lesson_open(user=user, lesson=a)
    learning.lesson_open(user=user, lesson=b)
    learning.lesson_open(user=user, lesson=c)
    LessonProgress.objects.filter(user=user, lesson=b).update(last_opened_at=timezone.now() + dt.timedelta(minutes=1))
    assert selectors.continue_lesson(user=user) == b
    learning.lesson_complete(user=user, lesson=b)
    assert selectors.continue_lesson(user=user) == c


def test_when_nothing_is_half_read_continue_offers_the_next_lesson(user, db):
    topic = topic_with_lessons(3)
    first, second, _ = topic.lessons.order_by("position")
    learning.lesson_complete(user=user, lesson=first)
    assert selectors.continue_lesson(user=user) is None
    assert selectors.next_lesson_after_completed(user=user) == second
