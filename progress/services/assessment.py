"""Taking a quiz, end to end: progress decides who may begin (enrolled, lessons done) and who may grant a
reset; quizzes draws, grades and keeps the cooldown; progress decides what a result means for the
learner's topic (completion, and with it the certificate)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from progress import access
from progress.selectors.assessment import quiz_prerequisites
from progress.selectors.renewal import renewal_round_start
from progress.services.learning import topic_completion_refresh
from progress.services.renewal import certificate_renew
from progress.services.summary import topic_progress_refresh
from quizzes.models import Attempt, AttemptReset, Quiz
from quizzes.services import AttemptRefused, SubmitResult, quiz_attempt_grade, quiz_attempt_start, quiz_attempts_reset


def quiz_attempt_begin(*, user, quiz: Quiz) -> Attempt:
    """Resume the learner's open attempt, or start one once they are enrolled and every lesson is done
    (AttemptRefused says what is missing; quizzes adds its own refusals: cooldown, limit, withdrawn). A holder
    whose certificate is open for renewal starts a renewal round: only its attempts count."""
    since = None  # resuming an open attempt needs no round
    if not Attempt.objects.filter(user=user, quiz=quiz, submitted_at__isnull=True).exists():
        unmet = quiz_prerequisites(user=user, topic_id=quiz.topic_id).unmet
        if unmet:
            raise AttemptRefused(unmet)
        since = renewal_round_start(user=user, topic_id=quiz.topic_id)
    return quiz_attempt_start(user=user, quiz=quiz, since=since)


def quiz_attempt_submit(*, attempt_id: int, user, answers: dict[int, list[str]]) -> SubmitResult:
    """Grade the attempt once and, on a pass, refresh the topic's completion in the same transaction; a pass
    in a renewal round earns a new certificate that renews the current one."""
    with transaction.atomic():
        result = quiz_attempt_grade(attempt_id=attempt_id, user=user, answers=answers)
        if result.newly_graded:
            topic_progress_refresh(user_id=user.pk, topic_id=result.attempt.quiz.topic_id)
        if result.newly_graded and result.attempt.passed:
            topic_completion_refresh(user=user, topic_id=result.attempt.quiz.topic_id)
            certificate_renew(user=user, topic_id=result.attempt.quiz.topic_id)
    return result


def quiz_reset_grant(*, granted_by, learner, quiz: Quiz, reason: str, team=None) -> AttemptReset:
    """Record a reset of the learner's failures on a quiz, by staff or by a lead of a team the learner is a
    member of (that team, when the lead acts from its pages)."""
    if granted_by.pk == learner.pk:
        raise ValidationError("Nobody can grant themselves a reset.")
    authority = access.reset_authority(user=granted_by, learner=learner, team=team)
    if authority is None:
        raise PermissionDenied("Only staff or a lead of the learner's team can grant a reset.")
    return quiz_attempts_reset(user=learner, quiz=quiz, granted_by=granted_by, granted_as=authority, reason=reason)
