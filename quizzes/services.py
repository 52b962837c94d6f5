"""Writes for quizzes: syncing a quiz from the track files, starting (drawing) and grading attempts,
resetting a learner's count of failures."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.content_cache import content_changed
from courses.models import Lesson, Topic
from courses.track_specs import QuizSpec
from quizzes.draw import BankChoice, BankQuestion, draw_questions, lay_out
from quizzes.models import Answer, Attempt, AttemptReset, Choice, Question, Quiz
from quizzes.selectors import quiz_allowance


def quiz_sync(*, topic: Topic, spec: QuizSpec, lesson_slugs_by_stem: dict[str, str]) -> str | None:
    """Create or update a topic's quiz from its quiz.yaml; returns 'created', 'updated' or None.

    Questions and choices are matched by position and updated in place, so attempts already
    made keep pointing at the same rows; questions dropped from the file are deactivated.
    """
    fingerprint = spec.fingerprint()
    quiz = Quiz.objects.filter(topic=topic).first()
    if quiz is not None and quiz.source_hash == fingerprint:
        return None
    outcome = "updated" if quiz else "created"
    if quiz is None:
        quiz = Quiz(topic=topic)
    quiz.pass_percent = spec.pass_percent
    # Settings the file leaves out keep their value, so an admin's choice survives a reload.
    for name in ("max_attempts", "draw_size", "cooldown_failures", "cooldown_hours"):
        if getattr(spec, name) is not None:
            setattr(quiz, name, getattr(spec, name))
    quiz.shuffle = spec.shuffle
    quiz.source_hash = fingerprint
    quiz.save()

    lessons = {lesson.slug: lesson for lesson in Lesson.objects.filter(topic=topic)}
    existing = {q.position: q for q in quiz.questions.prefetch_related("choices")}
    for position, q_spec in enumerate(spec.questions, 1):
        question = existing.pop(position, None) or Question(quiz=quiz, position=position)
        question.kind = q_spec.kind
        question.lesson = lessons.get(lesson_slugs_by_stem.get(q_spec.lesson_stem, ""))
        question.prompt, question.explanation = q_spec.prompt, q_spec.explanation
        question.is_active = True
        question.save()
        choices = {c.position: c for c in question.choices.all()} if question.pk else {}
        for c_position, c_spec in enumerate(q_spec.choices, 1):
            choice = choices.pop(c_position, None) or Choice(question=question, position=c_position)
            choice.text, choice.is_correct = c_spec.text, c_spec.correct
            choice.save()
        Choice.objects.filter(pk__in=[c.pk for c in choices.values()]).delete()
    Question.objects.filter(pk__in=[q.pk for q in existing.values()]).update(is_active=False)
    content_changed()  # the bulk update above sends no save signal
    return outcome


def quiz_validate_question(*, kind: str, choices: list[tuple[str, bool]]) -> None:
    """The rules a question's choices must follow (the same as the track files'); raises ValidationError."""
    right = sum(1 for _, correct in choices if correct)
    texts = [text for text, _ in choices]
    if kind == Question.Kind.SINGLE and not (3 <= len(choices) <= 6 and right == 1):
        raise ValidationError("A single-choice question needs 3 to 6 choices with exactly one correct.")
    if kind == Question.Kind.MULTIPLE and not (4 <= len(choices) <= 6 and 2 <= right < len(choices)):
        raise ValidationError("A multiple-choice question needs 4 to 6 choices, at least two correct and one wrong.")
    if kind == Question.Kind.TRUE_FALSE and not (sorted(texts) == ["False", "True"] and right == 1):
        raise ValidationError("A true/false question needs exactly the choices 'True' and 'False', one correct.")
    if len(set(texts)) != len(texts):
        raise ValidationError("Two choices have the same text.")


class AttemptRefused(ValidationError):
    """Starting or submitting an attempt is not allowed; `reason` says why, for the learner."""

    def __init__(self, message: str):
        super().__init__(message, code="refused")

    @property
    def reason(self) -> str:
        return self.messages[0]


@dataclass(frozen=True)
class SubmitResult:
    attempt: Attempt
    newly_graded: bool


def _lock_learner(user) -> None:
    """Serialise a learner's starts and resets (a row lock on PostgreSQL; SQLite serialises writes anyway)."""
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))


def _refuse_if_withdrawn(quiz: Quiz) -> None:
    if not quiz.is_published or not Topic.objects.filter(pk=quiz.topic_id, is_published=True).exists():
        raise AttemptRefused(
            "This quiz has been withdrawn from the catalogue, so attempts at it can no longer be "
            "started or submitted, and it earns no certificate."
        )


def _bank(quiz: Quiz) -> list[BankQuestion]:
    questions = quiz.questions.filter(is_active=True).prefetch_related("choices").order_by("position", "id")
    return [
        BankQuestion(
            id=q.pk,
            lesson_id=q.lesson_id,
            position=q.position,
            keep_choice_order=q.kind == Question.Kind.TRUE_FALSE,
            choices=tuple(BankChoice(id=c.pk, is_correct=c.is_correct) for c in q.choices.all()),
        )
        for q in questions
    ]


def _seen_ago(*, user, quiz: Quiz) -> dict[int, int]:
    """For each question the learner was shown, how many attempts ago (1 = the previous attempt)."""
    seen: dict[int, int] = {}
    orders = Attempt.objects.filter(user=user, quiz=quiz).order_by("-started_at", "-id")
    for ago, order in enumerate(orders.values_list("question_order", flat=True), 1):
        for question_id in order:
            seen.setdefault(question_id, ago)
    return seen


def quiz_attempt_start(
    *, user, quiz: Quiz, rng: random.Random | None = None, since: dt.datetime | None = None
) -> Attempt:
    """The learner's attempt in progress, or a new one drawn from the bank (when the allowance permits).
    `since` starts a round (a renewal): the allowance counts only its attempts; the draw still prefers the
    questions least recently seen over the whole history, so a renewal gets fresh ones.

    Who may take the quiz at all (enrolment, lessons) is progress's rule: see
    progress.services.assessment.quiz_attempt_begin, which calls this.
    """
    rng = rng or random.SystemRandom()
    with transaction.atomic():
        _lock_learner(user)
        open_attempt = Attempt.objects.filter(user=user, quiz=quiz, submitted_at__isnull=True).first()
        if open_attempt:
            return open_attempt
        _refuse_if_withdrawn(quiz)
        refusal = quiz_allowance(user=user, quiz=quiz, since=since).refusal
        if refusal:
            raise AttemptRefused(refusal)
        bank = _bank(quiz)
        if not bank:
            raise AttemptRefused("This quiz has no questions yet.")
        drawn = draw_questions(bank, size=quiz.draw_size, seen_ago=_seen_ago(user=user, quiz=quiz), rng=rng)
        layout = lay_out(drawn, shuffle=quiz.shuffle, rng=rng)
        try:
            with transaction.atomic():
                return Attempt.objects.create(
                    user=user,
                    quiz=quiz,
                    pass_percent=quiz.pass_percent,
                    question_order=layout.question_order,
                    choice_order=layout.choice_order,
                    choice_tokens=layout.choice_tokens,
                    answer_key=layout.answer_key,
                )
        except IntegrityError:
            # Another request started one at the same moment: resume that one.
            return Attempt.objects.get(user=user, quiz=quiz, submitted_at__isnull=True)


def quiz_attempt_grade(*, attempt_id: int, user, answers: dict[int, list[str]]) -> SubmitResult:
    """Grade an attempt once: a question scores when the chosen tokens are exactly the key's.

    `answers` maps question id to chosen choice tokens and must already be validated against the
    attempt (see quizzes.selectors.attempt_answers_errors). The key is the one recorded at the draw,
    so editing the bank meanwhile changes nothing. A second submission of a graded attempt changes
    nothing and returns the stored result; an open attempt at a withdrawn quiz or topic is refused.
    What a pass means for the learner's topic is progress's business (progress.services.assessment).
    """
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt_id, user=user)
        if attempt.submitted_at is not None:
            return SubmitResult(attempt=attempt, newly_graded=False)
        _refuse_if_withdrawn(attempt.quiz)
        correct_count = 0
        through_rows = []
        # A choice deleted from the bank since the draw is graded by its token but cannot be linked.
        still_there = set(Choice.objects.filter(pk__in=attempt.choice_tokens.values()).values_list("pk", flat=True))
        for question_id in attempt.question_order:
            chosen = set(answers.get(question_id, []))
            key = set(attempt.answer_key.get(str(question_id), []))
            is_correct = bool(chosen) and chosen == key
            correct_count += is_correct
            answer = Answer.objects.create(attempt=attempt, question_id=question_id, is_correct=is_correct)
            choice_ids = sorted({attempt.choice_tokens[t] for t in chosen if t in attempt.choice_tokens} & still_there)
            through_rows += [Answer.choices.through(answer_id=answer.pk, choice_id=cid) for cid in choice_ids]
        Answer.choices.through.objects.bulk_create(through_rows)
        total = len(attempt.question_order)
        attempt.correct_count = correct_count
        attempt.score_percent = (100 * correct_count) // total if total else 0
        # Compare exactly: 2 of 3 is 66.67%, which must not round up past a 67% mark.
        attempt.passed = total > 0 and correct_count * 100 >= attempt.pass_percent * total
        attempt.submitted_at = timezone.now()
        attempt.save(update_fields=["correct_count", "score_percent", "passed", "submitted_at"])
    return SubmitResult(attempt=attempt, newly_graded=True)


def quiz_attempts_reset(*, user, quiz: Quiz, granted_by, granted_as: str, reason: str) -> AttemptReset:
    """Give a learner a fresh start on a quiz: earlier failures stop counting towards the cooldown and
    the attempt limit. Who may grant it is progress's rule (progress.services.assessment.quiz_reset_grant).

    Refused when there is nothing to reset (no failure since the last reset, or the quiz passed), so
    two people pressing the button at once record one reset.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the learner gets a fresh start; it is kept as evidence."})
    if granted_by is not None and granted_by.pk == user.pk:
        raise ValidationError("Nobody can grant themselves a reset.")
    with transaction.atomic():
        _lock_learner(user)
        allowance = quiz_allowance(user=user, quiz=quiz)
        if allowance.passed:
            raise ValidationError("This learner has passed the quiz; there is nothing to reset.")
        if allowance.attempts_used == 0:
            raise ValidationError("This learner has no failed attempt since the last reset; there is nothing to reset.")
        return AttemptReset.objects.create(
            user=user, quiz=quiz, granted_by=granted_by, granted_as=granted_as, reason=reason, granted_at=timezone.now()
        )
