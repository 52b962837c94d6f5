"""Quiz services: starting (shuffled, resumed, limited) and grading (set equality, exact pass mark)."""

import pytest

from progress.services.assessment import quiz_attempt_submit
from quizzes.models import Answer, Attempt, Choice, Question
from quizzes.services import AttemptRefused, quiz_attempt_start
from tests.concurrency import run_at_once
from tests.factories import (
    QuestionFactory,
    QuizFactory,
    UserFactory,
    correct_answers,
    topic_with_lessons,
    wrong_answers,
)


def test_start_records_the_order_shown_and_resumes_the_open_attempt(user, db):
    quiz = topic_with_lessons(2, quiz_questions=6).quiz
    attempt = quiz_attempt_start(user=user, quiz=quiz)
    assert sorted(attempt.question_order) == sorted(quiz.questions.values_list("pk", flat=True))
    for qid in attempt.question_order:
        assert sorted(attempt.choice_order[str(qid)]) == sorted(
            Choice.objects.filter(question_id=qid).values_list("pk", flat=True)
        )
    assert quiz_attempt_start(user=user, quiz=quiz).pk == attempt.pk
    assert attempt.pass_percent == quiz.pass_percent


def test_grading_scores_a_question_only_when_the_chosen_set_equals_the_correct_set(user, db):
    quiz = QuizFactory(pass_percent=50)
    multi = QuestionFactory(quiz=quiz, kind=Question.Kind.MULTIPLE)
    single = QuestionFactory(quiz=quiz, kind=Question.Kind.SINGLE)
    attempt = quiz_attempt_start(user=user, quiz=quiz)
    right_multi = list(multi.choices.filter(is_correct=True).values_list("pk", flat=True))
    answers = {
        multi.pk: right_multi[:1],
        single.pk: list(single.choices.filter(is_correct=True).values_list("pk", flat=True)),
    }
    result = quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=answers).attempt
    assert (result.correct_count, result.score_percent, result.passed) == (1, 50, True)
    assert Answer.objects.get(attempt=result, question=multi).is_correct is False


def test_pass_mark_is_compared_exactly(user, db):
    quiz = QuizFactory(pass_percent=67)
    questions = [QuestionFactory(quiz=quiz) for _ in range(3)]
    attempt = quiz_attempt_start(user=user, quiz=quiz)
    answers = correct_answers(attempt)
    answers[questions[0].pk] = list(questions[0].choices.filter(is_correct=False).values_list("pk", flat=True)[:1])
    result = quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=answers).attempt
    assert result.score_percent == 66 and result.passed is False  # 2/3 is 66.7%, below 67


def test_submitted_attempt_never_changes(user, db):
    quiz = topic_with_lessons(1, quiz_questions=3).quiz
    attempt = quiz_attempt_start(user=user, quiz=quiz)
    first = quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=wrong_answers(attempt))
    again = quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=correct_answers(attempt))
    assert first.newly_graded and not again.newly_graded
    assert again.attempt.score_percent == first.attempt.score_percent == 0
    assert Answer.objects.filter(attempt=attempt).count() == 3


def test_attempts_past_the_limit_are_refused_with_a_clear_message(user, db):
    quiz = topic_with_lessons(1, quiz_questions=2).quiz
    quiz.max_attempts = 2
    quiz.save()
    for _ in range(2):
        attempt = quiz_attempt_start(user=user, quiz=quiz)
        quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=wrong_answers(attempt))
    with pytest.raises(AttemptRefused, match="used all 2 attempts"):
        quiz_attempt_start(user=user, quiz=quiz)


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
