"""Fixtures shared by this folder's tests."""

import datetime as dt

import pytest
from django.utils import timezone

from progress.models import TeamMembership
from progress.services import learning
from progress.services.assessment import quiz_attempt_submit
from quizzes.services import quiz_attempt_start
from tests.factories import (
    AssignmentFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
    correct_answers,
    topic_with_lessons,
    wrong_answers,
)


@pytest.fixture
def team_in_every_state(db, django_capture_on_commit_callbacks):
    """A team whose members (joined 90 days ago) are in every state on `topic` (due in 10 days), all overdue on
    `late_topic` (due 2 days ago) and not started on `soon_topic` (due in 5 days); and one person who joined
    yesterday, after `late_topic`'s date, with nothing done."""
    team = TeamFactory(slug="ops", name="Operations")
    lead = MembershipFactory(team=team, role=TeamMembership.Role.LEAD).user
    topic = topic_with_lessons(2, quiz_questions=3)
    late_topic = topic_with_lessons(1)
    soon_topic = topic_with_lessons(1)
    today = timezone.localdate()
    AssignmentFactory(team=team, topic=topic, due_on=today + dt.timedelta(days=10))
    AssignmentFactory(team=team, topic=late_topic, due_on=today - dt.timedelta(days=2))
    AssignmentFactory(team=team, topic=soon_topic, due_on=today + dt.timedelta(days=5))
    people = {}
    for state in ("not_started", "in_progress", "quiz_failed", "complete"):
        user = UserFactory(email=f"{state}@example.com")
        MembershipFactory(team=team, user=user)
        people[state] = user
        lessons = list(topic.lessons.order_by("position"))
        if state == "in_progress":
            learning.lesson_complete(user=user, lesson=lessons[0])
        if state in ("quiz_failed", "complete"):
            with django_capture_on_commit_callbacks(execute=True):
                for lesson in lessons:
                    learning.lesson_complete(user=user, lesson=lesson)
                attempt = quiz_attempt_start(user=user, quiz=topic.quiz)
                answers = correct_answers(attempt) if state == "complete" else wrong_answers(attempt)
                quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=answers)
    people["joined_late"] = UserFactory(email="joined_late@example.com")
    MembershipFactory(team=team, user=people["joined_late"], joined_at=timezone.now() - dt.timedelta(days=1))
    return {
        "team": team,
        "lead": lead,
        "topic": topic,
        "late_topic": late_topic,
        "soon_topic": soon_topic,
        "people": people,
    }


@pytest.fixture
def cooling_member(team_in_every_state):
    """The member who failed the quiz, failed twice more: cooling down, with a reset to grant."""
    from tests.quizzes.support import ready_for_quiz

    user = team_in_every_state["people"]["quiz_failed"]
    quiz = team_in_every_state["topic"].quiz
    ready_for_quiz(user, quiz.topic)
    for _ in range(2):
        attempt = quiz_attempt_start(user=user, quiz=quiz)
        quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=wrong_answers(attempt))
    return user
