"""Quiz services: the draw (recorded, stratified, different each time), grading by tokens against the key
recorded at the draw, the cooldown, the attempt limit, resets, and withdrawn quizzes."""

import datetime as dt
import itertools
import threading
import time

import pytest
from django.core.exceptions import ValidationError

from progress.services.assessment import quiz_attempt_submit
from quizzes.draw import draw_questions
from quizzes.models import Answer, Attempt, AttemptReset, Choice, Question
from quizzes.selectors import attempt_answers_errors, quiz_allowance
from quizzes.services import AttemptRefused, quiz_attempt_start, quiz_attempts_reset
from tests.concurrency import run_at_once
from tests.factories import (
    QuestionFactory,
    QuizFactory,
    UserFactory,
    correct_answers,
    topic_with_lessons,
    wrong_answers,
)
from tests.quizzes.support import age_attempts


def fail(user, quiz):
    attempt = quiz_attempt_start(user=user, quiz=quiz)
    return quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=wrong_answers(attempt)).attempt


def banked_quiz(lessons: int = 6, questions: int = 24, **settings):
    quiz = topic_with_lessons(lessons, quiz_questions=questions).quiz
    for name, value in settings.items():
        setattr(quiz, name, value)
    quiz.save()
    return quiz


def test_start_records_the_draw_and_resumes_the_open_attempt(user, db):
    quiz = banked_quiz()
    attempt = quiz_attempt_start(user=user, quiz=quiz)
    bank = set(quiz.questions.values_list("pk", flat=True))
    assert len(attempt.question_order) == 10 and set(attempt.question_order) <= bank
    lessons = set(Question.objects.filter(pk__in=attempt.question_order).values_list("lesson_id", flat=True))
    assert lessons == set(quiz.topic.lessons.values_list("pk", flat=True))
    for qid in attempt.question_order:
        tokens = attempt.choice_order[str(qid)]
        assert sorted(attempt.choice_tokens[t] for t in tokens) == sorted(
            Choice.objects.filter(question_id=qid).values_list("pk", flat=True)
        )
        key = {attempt.choice_tokens[t] for t in attempt.answer_key[str(qid)]}
        assert key == set(Choice.objects.filter(question_id=qid, is_correct=True).values_list("pk", flat=True))
        assert not any(t.isdigit() for t in tokens)
    assert quiz_attempt_start(user=user, quiz=quiz).pk == attempt.pk
    assert attempt.pass_percent == quiz.pass_percent


def test_each_attempt_draws_other_questions_and_tokens(user, db):
    quiz = banked_quiz(max_attempts=None, cooldown_failures=None)
    previous = None
    for _ in range(4):
        attempt = fail(user, quiz)
        if previous:
            assert not set(attempt.question_order) & set(previous.question_order)
            assert not set(attempt.choice_tokens) & set(previous.choice_tokens)
        previous = attempt


def test_the_draw_size_is_set_per_quiz_and_a_small_bank_is_drawn_whole(user, other_user, db):
    quiz = banked_quiz(questions=24, draw_size=6)
    assert len(quiz_attempt_start(user=user, quiz=quiz).question_order) == 6
    small = banked_quiz(lessons=3, questions=5)
    assert sorted(quiz_attempt_start(user=other_user, quiz=small).question_order) == sorted(
        small.questions.values_list("pk", flat=True)
    )


def test_grading_scores_a_question_only_when_the_chosen_tokens_equal_the_key(user, db):
    quiz = QuizFactory(pass_percent=50)
    multi = QuestionFactory(quiz=quiz, kind=Question.Kind.MULTIPLE)
    QuestionFactory(quiz=quiz, kind=Question.Kind.SINGLE)
    attempt = quiz_attempt_start(user=user, quiz=quiz)
    answers = correct_answers(attempt)
    answers[multi.pk] = answers[multi.pk][:1]  # one of the two right choices: not enough
    result = quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=answers).attempt
    assert (result.correct_count, result.score_percent, result.passed) == (1, 50, True)
    assert Answer.objects.get(attempt=result, question=multi).is_correct is False
    assert list(Answer.objects.get(attempt=result, question=multi).choices.values_list("is_correct", flat=True)) == [
        True
    ]


def test_the_pass_mark_applies_to_the_questions_drawn(user, db):
    quiz = banked_quiz(questions=24, pass_percent=70)
    attempt = quiz_attempt_start(user=user, quiz=quiz)
    answers, wrong = correct_answers(attempt), wrong_answers(attempt)
    for qid in attempt.question_order[:3]:
        answers[qid] = wrong[qid]
    result = quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=answers).attempt
    assert (result.correct_count, result.score_percent, result.passed) == (7, 70, True)  # 7 of 10, not of 24


def test_pass_mark_is_compared_exactly(user, db):
    quiz = QuizFactory(pass_percent=67)
    for _ in range(3):
        QuestionFactory(quiz=quiz)
    attempt = quiz_attempt_start(user=user, quiz=quiz)
    answers = correct_answers(attempt)
    answers[attempt.question_order[0]] = wrong_answers(attempt)[attempt.question_order[0]]
    result = quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=answers).attempt
    assert result.score_percent == 66 and result.passed is False  # 2/3 is 66.7%, below 67


def test_grading_uses_the_key_recorded_at_the_draw(user, db):
    quiz = topic_with_lessons(1, quiz_questions=3).quiz
    attempt = quiz_attempt_start(user=user, quiz=quiz)
    answers = correct_answers(attempt)
    Choice.objects.filter(question__quiz=quiz).update(is_correct=False)  # the bank is edited meanwhile
    Choice.objects.filter(question__quiz=quiz, position=3).update(is_correct=True)
    result = quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=answers).attempt
    assert result.correct_count == 3 and result.passed


def test_a_choice_deleted_from_the_bank_meanwhile_is_still_graded_by_the_draw(user, db):
    quiz = topic_with_lessons(1, quiz_questions=3).quiz
    attempt = quiz_attempt_start(user=user, quiz=quiz)
    answers = correct_answers(attempt)
    chosen = attempt.choice_tokens[answers[attempt.question_order[0]][0]]
    Choice.objects.filter(pk=chosen).delete()  # a reload of quiz.yaml dropped it
    result = quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=answers).attempt
    assert result.correct_count == 3 and result.passed


def test_tokens_of_another_attempt_and_choice_ids_belong_to_no_question(user, other_user, db):
    quiz = topic_with_lessons(1, quiz_questions=3).quiz
    mine = quiz_attempt_start(user=user, quiz=quiz)
    theirs = quiz_attempt_start(user=other_user, quiz=quiz)
    qid = mine.question_order[0]
    assert attempt_answers_errors(attempt=mine, answers={**correct_answers(mine), qid: correct_answers(theirs)[qid]})
    ids = {q: [str(mine.choice_tokens[t]) for t in ts] for q, ts in correct_answers(mine).items()}
    errors = attempt_answers_errors(attempt=mine, answers=ids)
    assert errors[str(qid)] == ["A choice does not belong to this question."]


def test_submitted_attempt_never_changes(user, db):
    quiz = topic_with_lessons(1, quiz_questions=3).quiz
    attempt = quiz_attempt_start(user=user, quiz=quiz)
    first = quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=wrong_answers(attempt))
    again = quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=correct_answers(attempt))
    assert first.newly_graded and not again.newly_graded
    assert again.attempt.score_percent == first.attempt.score_percent == 0
    assert Answer.objects.filter(attempt=attempt).count() == 3


def test_three_failures_start_a_cooldown_with_the_time_left(user, db):
    quiz = banked_quiz()  # the defaults: 3 failures, then 24 hours
    for _ in range(3):
        fail(user, quiz)
    with pytest.raises(AttemptRefused, match=r"failed 3 attempts in a row\. You can try again in 2[34] h"):
        quiz_attempt_start(user=user, quiz=quiz)
    allowance = quiz_allowance(user=user, quiz=quiz)
    assert allowance.cooldown_until is not None and not allowance.can_start and not allowance.review_open
    age_attempts(user, quiz, hours=23)
    with pytest.raises(AttemptRefused, match=r"try again in 1 h"):
        quiz_attempt_start(user=user, quiz=quiz)
    age_attempts(user, quiz, hours=1.01)
    fail(user, quiz)  # the cooldown is over: three more tries before the next one
    fail(user, quiz)
    fail(user, quiz)
    with pytest.raises(AttemptRefused, match="failed 3 attempts in a row"):
        quiz_attempt_start(user=user, quiz=quiz)


def test_the_cooldown_is_set_per_quiz(user, other_user, db):
    short = banked_quiz(cooldown_failures=2, cooldown_hours=1)
    for _ in range(2):
        fail(user, short)
    with pytest.raises(AttemptRefused, match=r"failed 2 attempts in a row\. You can try again in (1 h|59 min)"):
        quiz_attempt_start(user=user, quiz=short)
    relaxed = banked_quiz(cooldown_failures=None)
    for _ in range(6):
        fail(other_user, relaxed)
    assert quiz_allowance(user=other_user, quiz=relaxed).can_start


def test_the_attempt_limit_opens_the_review_and_asks_for_a_reset(user, db):
    quiz = banked_quiz(max_attempts=2, cooldown_failures=None)
    fail(user, quiz)
    assert quiz_allowance(user=user, quiz=quiz).attempts_left == 1
    assert not quiz_allowance(user=user, quiz=quiz).review_open
    fail(user, quiz)
    with pytest.raises(AttemptRefused, match=r"used all 2 attempts.*grant a reset"):
        quiz_attempt_start(user=user, quiz=quiz)
    assert quiz_allowance(user=user, quiz=quiz).review_open


def test_after_a_pass_there_is_nothing_more_to_take(user, db):
    quiz = banked_quiz()
    attempt = quiz_attempt_start(user=user, quiz=quiz)
    quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=correct_answers(attempt))
    with pytest.raises(AttemptRefused, match="passed this quiz"):
        quiz_attempt_start(user=user, quiz=quiz)
    assert quiz_allowance(user=user, quiz=quiz).review_open


def test_a_reset_lifts_the_cooldown_and_the_limit_and_is_recorded(user, staff_user, db):
    quiz = banked_quiz(max_attempts=4)
    for _ in range(3):
        fail(user, quiz)
    reset = quiz_attempts_reset(user=user, quiz=quiz, granted_by=staff_user, granted_as="Staff", reason=" Sick day ")
    assert (reset.granted_by, reset.granted_as, reset.reason) == (staff_user, "Staff", "Sick day")
    allowance = quiz_allowance(user=user, quiz=quiz)
    assert allowance.can_start and allowance.attempts_left == 4 and allowance.submitted_total == 3
    fail(user, quiz)  # counted from the reset: one failure, no cooldown
    assert quiz_allowance(user=user, quiz=quiz).can_start


def test_a_reset_needs_a_reason_something_to_reset_and_someone_else(user, staff_user, db):
    quiz = banked_quiz()
    kwargs = {"user": user, "quiz": quiz, "granted_by": staff_user, "granted_as": "Staff"}
    with pytest.raises(ValidationError, match="nothing to reset"):
        quiz_attempts_reset(**kwargs, reason="Because")
    fail(user, quiz)
    with pytest.raises(ValidationError) as blank:
        quiz_attempts_reset(**kwargs, reason="   ")
    assert "reason" in blank.value.message_dict
    with pytest.raises(ValidationError, match="themselves"):
        quiz_attempts_reset(**{**kwargs, "granted_by": user}, reason="Because")
    quiz_attempts_reset(**kwargs, reason="Because")
    with pytest.raises(ValidationError, match="nothing to reset"):
        quiz_attempts_reset(**kwargs, reason="Twice")
    assert AttemptReset.objects.filter(user=user).count() == 1


@pytest.mark.parametrize("withdrawn", ["topic", "quiz"])
def test_a_withdrawn_quiz_refuses_open_attempts_and_new_ones(user, db, withdrawn):
    quiz = topic_with_lessons(1, quiz_questions=3).quiz
    attempt = quiz_attempt_start(user=user, quiz=quiz)
    target = quiz.topic if withdrawn == "topic" else quiz
    target.is_published = False
    target.save()
    with pytest.raises(AttemptRefused, match="withdrawn"):
        quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=correct_answers(attempt))
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and not Answer.objects.filter(attempt=attempt).exists()
    with pytest.raises(AttemptRefused, match="withdrawn"):
        quiz_attempt_start(user=UserFactory(), quiz=quiz)


def test_someone_elses_attempt_cannot_be_submitted(user, other_user, db):
    quiz = topic_with_lessons(1, quiz_questions=2).quiz
    attempt = quiz_attempt_start(user=user, quiz=quiz)
    with pytest.raises(Attempt.DoesNotExist):
        quiz_attempt_submit(attempt_id=attempt.pk, user=other_user, answers=correct_answers(attempt))


def test_editing_the_quiz_later_does_not_rewrite_history(user, db):
    quiz = topic_with_lessons(1, quiz_questions=3).quiz
    attempt = quiz_attempt_start(user=user, quiz=quiz)
    quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=correct_answers(attempt))
    quiz.pass_percent = 100
    quiz.save()
    Choice.objects.filter(question__quiz=quiz).update(is_correct=False)
    attempt.refresh_from_db()
    assert attempt.passed and attempt.pass_percent == 70
    assert all(Answer.objects.filter(attempt=attempt).values_list("is_correct", flat=True))


def test_time_left_is_said_for_people():
    from quizzes.selectors import time_left_text

    assert time_left_text(dt.timedelta(hours=23, minutes=4, seconds=1)) == "23 h 5 min"
    assert time_left_text(dt.timedelta(hours=2)) == "2 h"
    assert time_left_text(dt.timedelta(seconds=5)) == "1 min"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_submission_from_many_threads_is_graded_once():
    user = UserFactory()
    quiz = topic_with_lessons(1, quiz_questions=4).quiz
    attempt = quiz_attempt_start(user=user, quiz=quiz)
    answers = correct_answers(attempt)
    results, errors = run_at_once(
        lambda: quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=answers), threads=6
    )
    assert errors == []
    assert sum(r.newly_graded for r in results) == 1
    assert {r.attempt.score_percent for r in results} == {100}
    assert Answer.objects.filter(attempt=attempt).count() == 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_starts_at_once_make_one_attempt_with_one_fresh_stratified_draw():
    user = UserFactory()
    quiz = banked_quiz()
    previous = fail(user, quiz)
    results, errors = run_at_once(lambda: quiz_attempt_start(user=user, quiz=quiz), threads=6)
    assert errors == []
    assert len({a.pk for a in results}) == 1
    attempt = Attempt.objects.get(user=user, quiz=quiz, submitted_at__isnull=True)
    assert Attempt.objects.filter(user=user, quiz=quiz).count() == 2
    assert not set(attempt.question_order) & set(previous.question_order)
    drawn_lessons = set(Question.objects.filter(pk__in=attempt.question_order).values_list("lesson_id", flat=True))
    assert drawn_lessons == set(quiz.topic.lessons.values_list("pk", flat=True))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_failure_that_starts_a_cooldown_cannot_be_raced_past(monkeypatch):
    """With two failures, one request starts and fails a third attempt while others try to start one: none of
    them gets a fourth. (A slow draw widens the window in which an unserialised start would slip through.)"""
    from quizzes import services

    user = UserFactory()
    quiz = banked_quiz()
    fail(user, quiz)
    fail(user, quiz)
    turns = itertools.count()
    failer = threading.local()

    def slow_draw(*args, **kwargs):
        if not getattr(failer, "me", False):
            time.sleep(0.3)
        return draw_questions(*args, **kwargs)

    monkeypatch.setattr(services, "draw_questions", slow_draw)

    def fail_or_start():
        if next(turns) == 0:
            failer.me = True
            attempt = quiz_attempt_start(user=user, quiz=quiz)
            return quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=wrong_answers(attempt)).attempt
        return quiz_attempt_start(user=user, quiz=quiz)

    results, errors = run_at_once(fail_or_start, threads=6)
    assert Attempt.objects.filter(user=user, quiz=quiz).count() == 3, "a start slipped past the cooldown"
    assert len({a.pk for a in results}) == 1  # a start before the failure resumed the third; after, was refused
    assert all(isinstance(e, AttemptRefused) and "in a row" in e.reason for e in errors), errors
    results, errors = run_at_once(lambda: quiz_attempt_start(user=user, quiz=quiz), threads=6)
    assert results == [] and len(errors) == 6
    assert Attempt.objects.filter(user=user, quiz=quiz).count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_resets_granted_at_once_record_one():
    user = UserFactory()
    quiz = banked_quiz()
    for _ in range(3):
        fail(user, quiz)
    granters = iter([UserFactory(is_staff=True) for _ in range(6)])
    lock = threading.Lock()

    def grant():
        with lock:
            granter = next(granters)
        return quiz_attempts_reset(user=user, quiz=quiz, granted_by=granter, granted_as="Staff", reason="Retry")

    results, errors = run_at_once(grant, threads=6)
    assert len(results) == 1 and len(errors) == 5
    assert all(isinstance(e, ValidationError) and "nothing to reset" in e.messages[0] for e in errors)
    assert AttemptReset.objects.filter(user=user, quiz=quiz).count() == 1
    assert quiz_allowance(user=user, quiz=quiz).can_start
