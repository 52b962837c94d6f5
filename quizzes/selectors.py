"""Reads for quizzes: a learner's standing and allowance on each quiz, attempts in the order shown,
results (verdicts only, or the full review), resets."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.utils import timezone

from courses.content_cache import content_cached
from courses.selectors import content_audience, sees_drafts
from quizzes.models import Answer, Attempt, AttemptReset, Choice, Question, Quiz


@dataclass(frozen=True)
class QuizStanding:
    quiz_id: int
    attempts: int
    best_score: int | None
    passed: bool
    has_open_attempt: bool


def quiz_for_topic(*, topic_id: int, user=None) -> Quiz | None:
    """The topic's quiz with its active question count, as this user may see it; from the cache while the
    content is unchanged (quizzes.apps moves the content version on every quiz, question or choice write)."""

    def read() -> Quiz | None:
        qs = Quiz.objects.filter(topic_id=topic_id)
        if not sees_drafts(user):
            qs = qs.filter(is_published=True)
        return qs.annotate(question_count=Count("questions", filter=Q(questions__is_active=True))).first()

    return content_cached(f"topic-quiz:{topic_id}:{content_audience(user)}", read)


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


def time_left_text(delta: dt.timedelta) -> str:
    """'23 h 5 min', '40 min' (rounded up to the minute, so it never says 0 while time is left)."""
    minutes = max(1, math.ceil(delta.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


@dataclass(frozen=True)
class Allowance:
    """Where a learner stands on one quiz: whether an attempt may start now, and if not, why and until when.

    Only attempts submitted since the last reset count towards the attempt limit and the cooldown. A round
    (`since`, e.g. a renewal) counts only the attempts started in it: earlier ones, a pass among them, are history.
    """

    quiz: Quiz
    now: dt.datetime
    passed: bool
    best_score: int | None
    open_attempt_id: int | None
    submitted_total: int
    attempts_used: int  # submitted since the last reset
    cooldown_until: dt.datetime | None  # only while it lies ahead
    last_reset_at: dt.datetime | None
    round_since: dt.datetime | None = None  # a round (a renewal) counts only attempts started from then

    @property
    def attempts_left(self) -> int | None:
        if self.quiz.max_attempts is None:
            return None
        return max(self.quiz.max_attempts - self.attempts_used - (1 if self.open_attempt_id else 0), 0)

    @property
    def out_of_attempts(self) -> bool:
        return self.open_attempt_id is None and self.attempts_left == 0

    @property
    def cooldown_left(self) -> str | None:
        return time_left_text(self.cooldown_until - self.now) if self.cooldown_until else None

    @property
    def review_open(self) -> bool:
        """The full review (correct choices, explanations): after a pass, or once no attempt is left."""
        return self.passed or self.out_of_attempts

    @property
    def refusal(self) -> str | None:
        """Why a new attempt cannot start now (None if it can, or if one is open to resume)."""
        if self.open_attempt_id is not None:
            return None
        if self.passed:
            return "You have passed this quiz; there is nothing more to take."
        if self.out_of_attempts:
            return (
                f"You have used all {self.quiz.max_attempts} attempts at this quiz. "
                "Your team lead or an administrator can grant a reset."
            )
        if self.cooldown_until is not None:
            at = timezone.localtime(self.cooldown_until).strftime("%d %b %Y %H:%M")
            return (
                f"You have failed {self.quiz.cooldown_failures} attempts in a row. "
                f"You can try again in {self.cooldown_left} (from {at}), after revisiting the lessons."
            )
        return None

    @property
    def can_start(self) -> bool:
        return self.open_attempt_id is None and self.refusal is None


def _allowance(quiz: Quiz, rows, last_reset_at, now, since=None) -> Allowance:
    """rows: (submitted_at, passed, score_percent, id) of every attempt by the learner at this quiz."""
    open_id = next((pk for submitted, _, _, pk in rows if submitted is None), None)
    submitted = sorted(r[0] for r in rows if r[0] is not None)
    since_reset = [at for at in submitted if last_reset_at is None or at > last_reset_at]
    passed = any(r[1] for r in rows)
    cooldown_until = None
    every = quiz.cooldown_failures
    if not passed and every and since_reset and len(since_reset) % every == 0:
        until = since_reset[-1] + dt.timedelta(hours=quiz.cooldown_hours)
        cooldown_until = until if until > now else None
    scores = [r[2] for r in rows if r[2] is not None]
    return Allowance(
        quiz=quiz,
        now=now,
        passed=passed,
        best_score=max(scores) if scores else None,
        open_attempt_id=open_id,
        submitted_total=len(submitted),
        attempts_used=len(since_reset),
        cooldown_until=cooldown_until,
        last_reset_at=last_reset_at,
        round_since=since,
    )


def quiz_allowances(
    *, user, quizzes: list[Quiz], since: dict[int, dt.datetime] | None = None, attempts: list[Attempt] | None = None
) -> dict[int, Allowance]:
    """Each quiz's allowance for the learner, keyed by quiz id (two queries, whatever the history). `since`
    (by quiz id) starts a round: only attempts started from then on count (see Allowance). A page that already
    holds every attempt of the learner's at these quizzes passes them, and they are not read again."""
    now = timezone.now()
    since = since or {}
    ids = [quiz.pk for quiz in quizzes]
    rows: dict[int, list] = {pk: [] for pk in ids}
    if user.is_authenticated and ids:
        if attempts is None:
            found = Attempt.objects.filter(user=user, quiz_id__in=ids).values_list(
                "quiz_id", "started_at", "submitted_at", "passed", "score_percent", "id"
            )
        else:
            found = [(a.quiz_id, a.started_at, a.submitted_at, a.passed, a.score_percent, a.pk) for a in attempts]
        for quiz_id, started_at, *row in found:
            if quiz_id not in since or started_at >= since[quiz_id]:
                rows[quiz_id].append(tuple(row))
        resets = dict(
            AttemptReset.objects.filter(user=user, quiz_id__in=ids)
            .values("quiz_id")
            .annotate(last=Max("granted_at"))
            .values_list("quiz_id", "last")
        )
    else:
        resets = {}
    return {quiz.pk: _allowance(quiz, rows[quiz.pk], resets.get(quiz.pk), now, since.get(quiz.pk)) for quiz in quizzes}


def quiz_allowance(
    *, user, quiz: Quiz, since: dt.datetime | None = None, attempts: list[Attempt] | None = None
) -> Allowance:
    """One quiz's allowance (see quiz_allowances)."""
    rounds = {quiz.pk: since} if since else None
    return quiz_allowances(user=user, quizzes=[quiz], since=rounds, attempts=attempts)[quiz.pk]


def attempted_quizzes(*, user) -> list[Quiz]:
    """Quizzes the learner has attempted, in catalogue order, with their topics."""
    return list(
        Quiz.objects.filter(pk__in=Attempt.objects.filter(user=user).values("quiz_id"))
        .select_related("topic")
        .order_by("topic__category__position", "topic__position")
    )


def attempts_for(*, user, quiz: Quiz) -> list[Attempt]:
    return list(Attempt.objects.filter(user=user, quiz=quiz).order_by("-started_at"))


def attempt_get(*, user, attempt_id: int) -> Attempt:
    """The learner's own attempt (Attempt.DoesNotExist for anyone else's), with its quiz and topic."""
    return Attempt.objects.select_related("quiz", "quiz__topic").get(pk=attempt_id, user=user)


def attempt_resets(*, user_ids, quiz_ids=None):
    """Resets granted to these learners, newest first, with who granted them and on which quiz."""
    qs = AttemptReset.objects.filter(user_id__in=user_ids)
    if quiz_ids is not None:
        qs = qs.filter(quiz_id__in=quiz_ids)
    return qs.select_related("quiz__topic", "granted_by", "user").order_by("-granted_at", "-id")


@dataclass
class ShownChoice:
    id: str  # the attempt's token for the choice, never its database id
    text: str
    chosen: bool = False
    is_correct: bool | None = None  # only in a full review


@dataclass
class ShownQuestion:
    id: int
    number: int
    kind: str
    prompt_html: str
    choices: list[ShownChoice]
    # Once submitted: the verdict and the lesson to revisit; in a full review also the explanation.
    answered_correctly: bool | None = None
    explanation_html: str | None = None
    lesson_title: str | None = None
    lesson_url: str | None = None


def _question_bank(*, quiz_id: int) -> tuple[dict[int, Question], dict[int, str]]:
    """Every question of the quiz (retired ones too: an open attempt may hold one) with its kind and prompt, and
    every choice's text; never which choice is right. From the cache while the content is unchanged."""

    def read():
        questions = Question.objects.filter(quiz_id=quiz_id).only("id", "kind", "prompt_html", "position")
        return {q.pk: q for q in questions}, dict(
            Choice.objects.filter(question__quiz_id=quiz_id).values_list("id", "text")
        )

    return content_cached(f"quiz-bank:{quiz_id}", read)


def attempt_questions(*, attempt: Attempt, review: bool = False) -> list[ShownQuestion]:
    """The attempt's questions and choices in the order this learner was shown them.

    Before submission nothing says which choice is right or why: choices are read without
    `is_correct`, explanations are not loaded, and the attempt's key is not read. After a failed
    submission the verdicts and lessons are added; only with `review` (see Allowance.review_open)
    the correct choices and the explanations.
    """
    submitted = attempt.submitted_at is not None
    review = review and submitted
    fields = ["id", "kind", "prompt_html", "position"]
    if submitted:
        fields += ["lesson__title", "lesson__slug", "lesson__topic__slug"]
    if review:
        fields.append("explanation_html")
    if submitted:
        question_rows = Question.objects.filter(pk__in=attempt.question_order)
        # select_related() with no names would follow every foreign key
        questions = {q.pk: q for q in question_rows.select_related("lesson", "lesson__topic").only(*fields)}
        choices = dict(Choice.objects.filter(question_id__in=attempt.question_order).values_list("id", "text"))
    else:  # what an open attempt shows is content alone
        questions, choices = _question_bank(quiz_id=attempt.quiz_id)
    chosen: set[int] = set()
    verdicts: dict[int, bool] = {}
    if submitted:
        verdicts = dict(attempt.answers.values_list("question_id", "is_correct"))
        chosen = set(Answer.choices.through.objects.filter(answer__attempt=attempt).values_list("choice_id", flat=True))
    key = {token for tokens in attempt.answer_key.values() for token in tokens} if review else set()
    shown = []
    for number, question_id in enumerate(attempt.question_order, 1):
        question = questions.get(question_id)
        if question is None:
            continue
        shown_choices = []
        for token in attempt.choice_order.get(str(question_id), []):
            choice_id = attempt.choice_tokens.get(token)
            if choice_id not in choices:
                continue
            shown_choices.append(
                ShownChoice(
                    id=token,
                    text=choices[choice_id],
                    chosen=choice_id in chosen,
                    is_correct=(token in key) if review else None,
                )
            )
        item = ShownQuestion(
            id=question.pk, number=number, kind=question.kind, prompt_html=question.prompt_html, choices=shown_choices
        )
        if submitted:
            item.answered_correctly = verdicts.get(question_id, False)
            if question.lesson_id:
                item.lesson_title = question.lesson.title
                item.lesson_url = question.lesson.get_absolute_url()
        if review:
            item.explanation_html = question.explanation_html
        shown.append(item)
    return shown


TOKEN_MAX_LENGTH = 32


def attempt_answers_errors(*, attempt: Attempt, answers: dict) -> dict[str, list[str]]:
    """Field errors for a submission ({question id: [choice tokens]}), keyed by question id ('answers'
    for the whole). A token from another attempt, or a choice's database id, belongs to no question."""
    errors: dict[str, list[str]] = {}
    allowed = {int(qid): set(tokens) for qid, tokens in attempt.choice_order.items()}
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
