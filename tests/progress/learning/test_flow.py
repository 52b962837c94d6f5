"""The learner's place on a topic as the topic and lesson pages read it: one query giving what the separate
reads give (enrolment, completion, the quiz standing), in every state a learner can be in."""

import pytest
from django.utils import timezone

from progress.models import Enrollment, TopicCompletion
from progress.selectors.flow import learner_on_topic, topic_flow
from progress.selectors.learning import is_enrolled
from quizzes.models import Attempt
from quizzes.selectors import quiz_for_topic, quiz_standings
from tests.factories import QuizFactory, UserFactory, topic_with_lessons

# (submitted?, score, passed) for each attempt the learner has made
ATTEMPT_HISTORIES = {
    "none": [],
    "open": [(False, None, None)],
    "failed": [(True, 40, False)],
    "failed then open": [(True, 40, False), (False, None, None)],
    "failed then passed": [(True, 40, False), (True, 90, True)],
    "passed then open": [(True, 85, True), (False, None, None)],
}


@pytest.mark.parametrize("history", ATTEMPT_HISTORIES)
@pytest.mark.parametrize("enrolled", [False, True])
@pytest.mark.parametrize("complete", [False, True])
def test_one_read_agrees_with_the_separate_reads(db, history, enrolled, complete, django_assert_num_queries):
    topic = topic_with_lessons(2)
    quiz = QuizFactory(topic=topic)
    learner, someone_else = UserFactory(), UserFactory()
    for who in (learner, someone_else):  # another learner's rows never count
        for submitted, score, passed in ATTEMPT_HISTORIES[history]:
            Attempt.objects.create(
                user=who,
                quiz=quiz,
                pass_percent=70,
                submitted_at=timezone.now() if submitted else None,
                score_percent=score,
                passed=passed,
            )
    Enrollment.objects.create(user=someone_else, topic=topic)
    TopicCompletion.objects.create(
        user=someone_else, topic=topic, completed_at=timezone.now(), content_version=timezone.now()
    )
    if enrolled:
        Enrollment.objects.create(user=learner, topic=topic)
    if complete:
        TopicCompletion.objects.create(
            user=learner, topic=topic, completed_at=timezone.now(), content_version=timezone.now()
        )

    with django_assert_num_queries(1):
        standing = learner_on_topic(user=learner, topic_id=topic.pk, quiz=quiz)
    assert standing.enrolled == is_enrolled(user=learner, topic_id=topic.pk)
    assert standing.complete == TopicCompletion.objects.filter(user=learner, topic=topic).exists()
    assert standing.quiz == quiz_standings(user=learner, topic_ids=[topic.pk]).get(topic.pk)


def test_a_visitor_and_a_topic_without_a_quiz(db):
    from django.contrib.auth.models import AnonymousUser

    topic = topic_with_lessons(2)
    assert learner_on_topic(user=AnonymousUser(), topic_id=topic.pk, quiz=None).quiz is None
    learner = UserFactory()
    Enrollment.objects.create(user=learner, topic=topic)
    flow = topic_flow(user=learner, topic=topic)
    assert flow.enrolled and not flow.complete and flow.quiz is None and flow.standing is None
    assert quiz_for_topic(topic_id=topic.pk) is None


def test_the_catalogues_reads_in_sql_agree_with_the_models(db):
    """topic_standings, completed_topic_ids and assigned_topics are written in SQL: they answer as the ORM would."""
    import datetime as dt

    from progress.models import Assignment, TeamMembership, TopicProgress
    from progress.selectors.learning import (
        assigned_topics,
        completed_topic_ids,
        lesson_totals_by_topic,
        topic_standings,
    )
    from tests.factories import AssignmentFactory, MembershipFactory, TeamFactory

    learner, other = UserFactory(), UserFactory()
    shown, hidden, led = topic_with_lessons(2), topic_with_lessons(2, is_published=False), topic_with_lessons(1)
    for who in (learner, other):
        TopicProgress.objects.create(user=who, topic=shown, lessons_done=1, quiz_attempts=2, quiz_passed=True)
        TopicProgress.objects.create(user=who, topic=hidden, lessons_done=2)
    TopicCompletion.objects.create(
        user=learner, topic=shown, completed_at=timezone.now(), content_version=timezone.now()
    )
    today = timezone.localdate()
    first, second, leading = TeamFactory(), TeamFactory(), TeamFactory()
    for team, due in ((first, today + dt.timedelta(days=9)), (second, today + dt.timedelta(days=2))):
        MembershipFactory(team=team, user=learner)
        AssignmentFactory(team=team, topic=shown, due_on=due)
        AssignmentFactory(team=team, topic=hidden, due_on=due)
    MembershipFactory(team=leading, user=learner, role=TeamMembership.Role.LEAD)
    AssignmentFactory(team=leading, topic=led)  # led, not assigned to them

    standings = topic_standings(user=learner)
    assert set(standings) == set(lesson_totals_by_topic())
    progress, passed = standings[shown.pk]
    assert (progress.done, progress.total, passed) == (1, 2, True)
    assert completed_topic_ids(user=learner) == {shown.pk} and completed_topic_ids(user=other) == set()
    assigned = assigned_topics(user=learner)
    expected = Assignment.objects.filter(team__in=[first, second], topic=shown).order_by("due_on").first().due_on
    assert assigned == {shown.pk: expected} and isinstance(assigned[shown.pk], dt.date)
    assert assigned_topics(user=other) == {}
