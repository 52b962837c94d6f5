"""Reads of a learner's progress: counts, query budgets, continue where you left off."""

import datetime as dt

from django.utils import timezone

from progress.models import LessonProgress, TopicCompletion
from progress.selectors import learning as selectors
from progress.services import learning
from tests.factories import AssignmentFactory, LessonFactory, MembershipFactory, TeamFactory, topic_with_lessons


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
    learning.enrollment_create(user=user, topic=topic)
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


def test_a_lesson_only_glanced_at_is_not_where_the_learner_left_off(user, db):
    enrolled, glanced = topic_with_lessons(3), topic_with_lessons(3)
    learning.enrollment_create(user=user, topic=enrolled)
    first = enrolled.lessons.order_by("position").first()
    learning.lesson_open(user=user, lesson=first)
    learning.lesson_open(user=user, lesson=glanced.lessons.first())  # browsing, opened last
    assert selectors.continue_lesson(user=user) == first
    point = selectors.continue_point(user=user)
    assert (point.topic, point.lesson, point.due_on) == (enrolled, first, None)


def continue_point_from_the_page(user):
    """/me/'s way: from the assignments and completions the page has already read."""
    from progress.selectors.teams import assignments_for_member

    assignments = [item.assignment for item in assignments_for_member(user=user)]
    return selectors.continue_point(
        user=user, assignments=assignments, completed=selectors.completed_topic_ids(user=user)
    )


def test_continue_offers_the_nearest_due_assignment_first(user, db):
    soon, later, done = topic_with_lessons(3), topic_with_lessons(3), topic_with_lessons(1)
    team = TeamFactory()
    MembershipFactory(team=team, user=user)
    today = timezone.localdate()
    AssignmentFactory(team=team, topic=later, due_on=today + dt.timedelta(days=20))
    AssignmentFactory(team=team, topic=soon, due_on=today + dt.timedelta(days=5))
    AssignmentFactory(team=team, topic=done, due_on=today - dt.timedelta(days=1))
    learning.lesson_complete(user=user, lesson=done.lessons.get())  # complete: no quiz, so no longer due
    recent = topic_with_lessons(2)
    learning.enrollment_create(user=user, topic=recent)
    learning.lesson_open(user=user, lesson=recent.lessons.first())
    a, b, _ = soon.lessons.order_by("position")
    point = selectors.continue_point(user=user)
    assert (point.topic, point.lesson, point.due_on) == (soon, a, today + dt.timedelta(days=5))
    assert point == continue_point_from_the_page(user)
    learning.lesson_complete(user=user, lesson=a)
    learning.lesson_open(user=user, lesson=b)
    assert selectors.continue_point(user=user).lesson == b
    assert continue_point_from_the_page(user).lesson == b
    for lesson in soon.lessons.all():
        learning.lesson_complete(user=user, lesson=lesson)
    assert selectors.continue_point(user=user).topic == later == continue_point_from_the_page(user).topic
    assert selectors.assigned_topics(user=user) == {
        soon.pk: today + dt.timedelta(days=5),
        later.pk: today + dt.timedelta(days=20),
        done.pk: today - dt.timedelta(days=1),
    }


def test_continue_is_the_quiz_when_every_lesson_of_the_due_topic_is_done(user, db):
    topic = topic_with_lessons(2, quiz_questions=3)
    AssignmentFactory(team=MembershipFactory(user=user).team, topic=topic)
    for lesson in topic.lessons.all():
        learning.lesson_complete(user=user, lesson=lesson)
    point = selectors.continue_point(user=user)
    assert point.lesson is None and point.url == f"/topics/{topic.slug}/quiz/"
    assert point.title == f"Take the quiz: {topic.title}"


def test_the_next_topic_is_the_nearest_due_assignment_else_the_next_in_the_track(user, db, track):
    topics = list(track)
    current, following = topics[0], topics[1]
    assert selectors.next_topic_after(user=user, topic=current) == following
    TopicCompletion.objects.create(
        user=user, topic=following, completed_at=timezone.now(), content_version=timezone.now()
    )
    assert selectors.next_topic_after(user=user, topic=current) == topics[2]  # completed ones are skipped
    assert selectors.next_topic_after(user=user, topic=topics[-1]) == current  # wraps round to the start
    AssignmentFactory(team=MembershipFactory(user=user).team, topic=topics[10])
    assert selectors.next_topic_after(user=user, topic=current) == topics[10]
