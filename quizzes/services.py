"""Writes for quizzes: syncing a quiz from the track files, starting and submitting attempts."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.models import Lesson, Topic
from courses.track import QuizSpec
from quizzes.models import Answer, Attempt, Choice, Question, Quiz


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
    if spec.max_attempts is not None:
        quiz.max_attempts = spec.max_attempts
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


class AttemptRefused(Exception):
    """Starting or submitting an attempt is not allowed; the message says why, for the learner."""


@dataclass(frozen=True)
class SubmitResult:
    attempt: Attempt
    newly_graded: bool


def quiz_attempt_start(*, user, quiz: Quiz) -> Attempt:
    """The learner's attempt in progress, or a new one in its own shuffled order (within the limit)."""
    open_attempt = Attempt.objects.filter(user=user, quiz=quiz, submitted_at__isnull=True).first()
    if open_attempt:
        return open_attempt
    if quiz.max_attempts is not None:
        used = Attempt.objects.filter(user=user, quiz=quiz).count()
        if used >= quiz.max_attempts:
            raise AttemptRefused(
                f"You have used all {quiz.max_attempts} attempts at this quiz. "
                "Ask an administrator if you need another."
            )
    questions = list(quiz.questions.filter(is_active=True).prefetch_related("choices"))
    if not questions:
        raise AttemptRefused("This quiz has no questions yet.")
    rng = random.SystemRandom()
    if quiz.shuffle:
        rng.shuffle(questions)
    choice_order = {}
    for question in questions:
        ids = [c.pk for c in question.choices.all()]
        # True/false keeps its natural order; shuffling it helps nobody.
        if quiz.shuffle and question.kind != Question.Kind.TRUE_FALSE:
            rng.shuffle(ids)
        choice_order[str(question.pk)] = ids
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                user=user,
                quiz=quiz,
                pass_percent=quiz.pass_percent,
                question_order=[q.pk for q in questions],
                choice_order=choice_order,
            )
    except IntegrityError:
        # Another request started one at the same moment: resume that one.
        return Attempt.objects.get(user=user, quiz=quiz, submitted_at__isnull=True)


def quiz_attempt_grade(*, attempt_id: int, user, answers: dict[int, list[int]]) -> SubmitResult:
    """Grade an attempt once: the chosen set must equal the correct set for a question to score.

    `answers` maps question id to chosen choice ids and must already be validated against the
    attempt (see quizzes.selectors.attempt_answers_errors). A second submission of a graded
    attempt changes nothing and returns the stored result. What a pass means for the learner's
    topic is progress's business (progress.services.assessment).
    """
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt_id, user=user)
        if attempt.submitted_at is not None:
            return SubmitResult(attempt=attempt, newly_graded=False)
        correct_by_question: dict[int, set[int]] = {}
        for choice in Choice.objects.filter(question_id__in=attempt.question_order).only(
            "pk", "question_id", "is_correct"
        ):
            correct_by_question.setdefault(choice.question_id, set())
            if choice.is_correct:
                correct_by_question[choice.question_id].add(choice.pk)
        correct_count = 0
        through_rows = []
        for question_id in attempt.question_order:
            chosen = set(answers.get(question_id, []))
            is_correct = bool(chosen) and chosen == correct_by_question.get(question_id, set())
            correct_count += is_correct
            answer = Answer.objects.create(attempt=attempt, question_id=question_id, is_correct=is_correct)
            through_rows += [Answer.choices.through(answer_id=answer.pk, choice_id=cid) for cid in sorted(chosen)]
        Answer.choices.through.objects.bulk_create(through_rows)
        total = len(attempt.question_order)
        attempt.correct_count = correct_count
        attempt.score_percent = (100 * correct_count) // total if total else 0
        # Compare exactly: 2 of 3 is 66.67%, which must not round up past a 67% mark.
        attempt.passed = total > 0 and correct_count * 100 >= attempt.pass_percent * total
        attempt.submitted_at = timezone.now()
        attempt.save(update_fields=["correct_count", "score_percent", "passed", "submitted_at"])
    return SubmitResult(attempt=attempt, newly_graded=True)
