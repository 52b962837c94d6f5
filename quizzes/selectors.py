"""Reads for quizzes: a learner's standing on each quiz, attempts in the order shown, results."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Q

from quizzes.models import Attempt, Choice, Question, Quiz


@dataclass(frozen=True)
class QuizStanding:
    quiz_id: int
    attempts: int
    best_score: int | None
    passed: bool
    has_open_attempt: bool


def quiz_for_topic(*, topic_id: int, user=None) -> Quiz | None:
    qs = Quiz.objects.filter(topic_id=topic_id)
    if not getattr(user, "is_staff", False):
        qs = qs.filter(is_published=True)
    return qs.annotate(question_count=Count("questions", filter=Q(questions__is_active=True))).first()


def quiz_standings(*, user, topic_ids=None) -> dict[int, QuizStanding]:
    """Each quiz's standing for the learner, keyed by topic id (one grouped query)."""
    if not user.is_authenticated:
        return {}
    qs = Attempt.objects.filter(user=user)
    if topic_ids is not None:
        qs = qs.filter(quiz__topic_id__in=topic_ids)
    rows = qs.values("quiz_id", "quiz__topic_id").annotate(
        n=Count("id", filter=Q(submitted_at__isnull=False)),
        best=Max("score_percent"),
        passed_n=Count("id", filter=Q(passed=True)),
        open_n=Count("id", filter=Q(submitted_at__isnull=True)),
    )
    return {
        row["quiz__topic_id"]: QuizStanding(
            quiz_id=row["quiz_id"],
            attempts=row["n"],
            best_score=row["best"],
            passed=row["passed_n"] > 0,
            has_open_attempt=row["open_n"] > 0,
        )
        for row in rows
    }


def attempts_for(*, user, quiz: Quiz) -> list[Attempt]:
    return list(Attempt.objects.filter(user=user, quiz=quiz).order_by("-started_at"))


def attempt_get(*, user, attempt_id: int) -> Attempt:
    """The learner's own attempt (Attempt.DoesNotExist for anyone else's)."""
    return Attempt.objects.select_related("quiz", "quiz__topic").get(pk=attempt_id, user=user)


@dataclass
class ShownChoice:
    id: int
    text: str
    chosen: bool = False
    is_correct: bool | None = None  # filled only for a submitted attempt


@dataclass
class ShownQuestion:
    id: int
    number: int
    kind: str
    prompt_html: str
    choices: list[ShownChoice]
    # The rest only for a submitted attempt:
    answered_correctly: bool | None = None
    explanation_html: str | None = None
    lesson_title: str | None = None
    lesson_url: str | None = None


def attempt_questions(*, attempt: Attempt) -> list[ShownQuestion]:
    """The attempt's questions and choices in the order this learner was shown them.

    Before submission nothing is read that says which choice is right or why: the choice
    rows are fetched without `is_correct`, and explanations are not loaded at all.
    """
    submitted = attempt.submitted_at is not None
    fields = ["id", "kind", "prompt_html", "position"]
    if submitted:
        fields += ["explanation_html", "lesson__title", "lesson__slug", "lesson__topic__slug"]
    questions = {
        q.pk: q
        for q in Question.objects.filter(pk__in=attempt.question_order)
        .select_related(*(["lesson", "lesson__topic"] if submitted else []))
        .only(*fields)
    }
    choice_fields = ["id", "text", "question_id"] + (["is_correct"] if submitted else [])
    choices = {c.pk: c for c in Choice.objects.filter(question_id__in=attempt.question_order).only(*choice_fields)}
    chosen: dict[int, set[int]] = {}
    verdicts: dict[int, bool] = {}
    if submitted:
        for answer in attempt.answers.prefetch_related("choices"):
            chosen[answer.question_id] = {c.pk for c in answer.choices.all()}
            verdicts[answer.question_id] = answer.is_correct
    shown = []
    for number, question_id in enumerate(attempt.question_order, 1):
        question = questions.get(question_id)
        if question is None:
            continue
        shown_choices = []
        for choice_id in attempt.choice_order.get(str(question_id), []):
            choice = choices.get(choice_id)
            if choice is None:
                continue
            shown_choices.append(
                ShownChoice(
                    id=choice.pk,
                    text=choice.text,
                    chosen=choice.pk in chosen.get(question_id, set()),
                    is_correct=choice.is_correct if submitted else None,
                )
            )
        item = ShownQuestion(
            id=question.pk, number=number, kind=question.kind, prompt_html=question.prompt_html, choices=shown_choices
        )
        if submitted:
            item.answered_correctly = verdicts.get(question_id, False)
            item.explanation_html = question.explanation_html
            if question.lesson_id:
                item.lesson_title = question.lesson.title
                item.lesson_url = question.lesson.get_absolute_url()
        shown.append(item)
    return shown


def attempt_answers_errors(*, attempt: Attempt, answers: dict) -> dict[str, list[str]]:
    """Field errors for a submission, keyed by question id ('answers' for the whole)."""
    errors: dict[str, list[str]] = {}
    allowed = {int(qid): set(ids) for qid, ids in attempt.choice_order.items()}
    kinds = dict(Question.objects.filter(pk__in=attempt.question_order).values_list("id", "kind"))
    for question_id, chosen in answers.items():
        if question_id not in allowed:
            errors.setdefault("answers", []).append(f"Question {question_id} is not part of this attempt.")
            continue
        if len(chosen) != len(set(chosen)):
            errors.setdefault(str(question_id), []).append("A choice is listed twice.")
        if not set(chosen) <= allowed[question_id]:
            errors.setdefault(str(question_id), []).append("A choice does not belong to this question.")
        if kinds.get(question_id) != Question.Kind.MULTIPLE and len(set(chosen)) > 1:
            errors.setdefault(str(question_id), []).append("Choose exactly one answer to this question.")
    missing = [qid for qid in attempt.question_order if not answers.get(qid)]
    if missing:
        errors.setdefault("answers", []).append(
            f"Answer every question before submitting ({len(missing)} left unanswered)."
        )
    return errors
