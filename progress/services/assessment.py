"""Submitting a quiz attempt, end to end: quizzes grades it, progress decides what the result means
for the learner's topic (completion, and with it the certificate)."""

from __future__ import annotations

from django.db import transaction

from progress.services.learning import topic_completion_refresh
from quizzes.services import SubmitResult, quiz_attempt_grade


def quiz_attempt_submit(*, attempt_id: int, user, answers: dict[int, list[int]]) -> SubmitResult:
    """Grade the attempt once and, on a first pass, refresh the topic's completion in the same transaction."""
    with transaction.atomic():
        result = quiz_attempt_grade(attempt_id=attempt_id, user=user, answers=answers)
        if result.newly_graded and result.attempt.passed:
            topic_completion_refresh(user=user, topic_id=result.attempt.quiz.topic_id)
    return result
