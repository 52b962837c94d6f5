"""Helpers shared by this folder's tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from courses.models import Lesson
from progress.models import Enrollment, LessonProgress
from progress.services.summary import topic_progress_rebuild
from quizzes.models import Attempt, Question


def secrets_of(quiz):
    explanations = list(Question.objects.filter(quiz=quiz).values_list("explanation_html", flat=True))
    return explanations


def ready_for_quiz(user, *topics) -> None:
    """Enrol the learner and complete every published lesson of these topics (the quiz's prerequisites),
    written in bulk: no completion is recorded, as if the quiz were all that is left."""
    now = timezone.now()
    lessons = Lesson.objects.filter(topic__in=topics, is_published=True)
    LessonProgress.objects.bulk_create(
        [
            LessonProgress(user=user, lesson=x, first_opened_at=now, last_opened_at=now, completed_at=now)
            for x in lessons
        ],
        ignore_conflicts=True,
    )
    Enrollment.objects.bulk_create([Enrollment(user=user, topic=t) for t in topics], ignore_conflicts=True)
    topic_progress_rebuild(user_ids=[user.pk], topic_ids=[t.pk for t in topics])


def age_attempts(user, quiz, *, hours: float) -> None:
    """Move the learner's attempts at a quiz back in time, as if they had been made `hours` ago."""
    delta = dt.timedelta(hours=hours)
    for attempt in Attempt.objects.filter(user=user, quiz=quiz):
        Attempt.objects.filter(pk=attempt.pk).update(
            started_at=attempt.started_at - delta,
            submitted_at=attempt.submitted_at - delta if attempt.submitted_at else None,
        )


def api_answers(body: dict, pick) -> list[dict]:
    """An API submission: for each question of a started attempt, the tokens `pick(question)` returns."""
    return [{"question": q["id"], "choices": pick(q)} for q in body["questions"]]
