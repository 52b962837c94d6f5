"""Quiz pages: the rule and the gate, nothing about correctness before the review, verdicts after a failure,
the full review after a pass or the last attempt, the cooldown's time left, withdrawn quizzes, query counts."""

import re

import pytest
from django.urls import reverse

from progress.services.assessment import quiz_attempt_submit
from quizzes.models import Attempt, Question
from quizzes.services import quiz_attempt_start
from tests.factories import correct_answers, grow_everything, wrong_answers
from tests.quizzes.support import ready_for_quiz, secrets_of


@pytest.fixture
def ready_client(client, user, real_quiz):
    ready_for_quiz(user, real_quiz.topic)
    client.force_login(user)
    return client


def fail(user, quiz):
    attempt = quiz_attempt_start(user=user, quiz=quiz)
    return quiz_attempt_submit(attempt_id=attempt.pk, user=user, answers=wrong_answers(attempt)).attempt


def test_the_topic_and_quiz_pages_state_the_rule_and_what_is_left(client, user, real_quiz):
    client.force_login(user)
    topic_html = client.get(real_quiz.topic.get_absolute_url()).content.decode()
    assert "The quiz opens once you are enrolled in the topic and have completed all its lessons." in topic_html
    assert "Enrol in this topic to take its quiz." in topic_html and "Take the quiz" not in topic_html
    quiz_html = client.get(reverse("quizzes:quiz", args=[real_quiz.topic.slug])).content.decode()
    assert "Enrol in this topic" in quiz_html and "Start the quiz" not in quiz_html
    response = client.post(reverse("quizzes:start", args=[real_quiz.topic.slug]), follow=True)
    assert "Enrol in this topic" in response.content.decode()
    assert not Attempt.objects.filter(user=user).exists()
    ready_for_quiz(user, real_quiz.topic)
    assert "Take the quiz" in client.get(real_quiz.topic.get_absolute_url()).content.decode()


def test_quiz_page_before_submission_reveals_no_answer_or_explanation(ready_client, user, real_quiz):
    ready_client.post(reverse("quizzes:start", args=[real_quiz.topic.slug]))
    html = ready_client.get(reverse("quizzes:quiz", args=[real_quiz.topic.slug])).content.decode()
    attempt = Attempt.objects.get(user=user, quiz=real_quiz)
    assert len(attempt.question_order) == min(real_quiz.draw_size, real_quiz.questions.count())
    for question in Question.objects.filter(quiz=real_quiz):
        assert (f'name="q{question.pk}"' in html) == (question.pk in attempt.question_order)
        assert question.explanation_html not in html
        assert question.explanation[:60] not in html
    assert "is_correct" not in html and "right answer" not in html
    assert "is-correct" not in html and "result-right" not in html and "result-wrong" not in html
    # Each answer input carries its type, name and value (the attempt's token), and nothing else.
    inputs = re.findall(r"<input ([^>]*name=\"q\d+\"[^>]*)>", html)
    assert len(inputs) == len(attempt.choice_tokens)
    for attributes in inputs:
        assert set(re.findall(r"([a-z-]+)=", attributes)) == {"type", "name", "value"}, attributes
        assert re.search(r'value="([^"]+)"', attributes).group(1) in attempt.choice_tokens


def submit_form(client, quiz, attempt, answers):
    post = {f"q{qid}": tokens for qid, tokens in answers.items()}
    return client.post(reverse("quizzes:submit", args=[quiz.topic.slug, attempt.pk]), post)


def test_a_failed_result_shows_verdicts_and_lessons_without_the_key(ready_client, user, real_quiz):
    attempt = quiz_attempt_start(user=user, quiz=real_quiz)
    response = submit_form(ready_client, real_quiz, attempt, wrong_answers(attempt))
    assert response.status_code == 302
    html = ready_client.get(response["Location"]).content.decode()
    assert "Not passed this time" in html and "Revisit before trying again" in html
    assert html.count("result-wrong") == len(attempt.question_order)
    for explanation in secrets_of(real_quiz):
        assert explanation not in html
    assert "right answer" not in html and "is-correct" not in html and "is-chosen-wrong" not in html
    assert "The correct answers and explanations are shown once you pass" in html
    lessons = Question.objects.filter(pk__in=attempt.question_order).values_list("lesson__title", flat=True)
    for title in set(lessons):
        assert title in html


def test_a_passed_result_shows_the_full_review(ready_client, user, real_quiz):
    attempt = quiz_attempt_start(user=user, quiz=real_quiz)
    response = submit_form(ready_client, real_quiz, attempt, correct_answers(attempt))
    html = ready_client.get(response["Location"]).content.decode()
    shown = Question.objects.filter(pk__in=attempt.question_order).values_list("explanation_html", flat=True)
    for explanation in shown:
        assert explanation in html
    assert html.count("right answer") >= len(attempt.question_order)


def test_the_last_attempt_opens_the_review(ready_client, user, real_quiz):
    real_quiz.max_attempts = 1
    real_quiz.save()
    attempt = fail(user, real_quiz)
    html = ready_client.get(reverse("quizzes:result", args=[real_quiz.topic.slug, attempt.pk])).content.decode()
    assert "right answer" in html and "is-chosen-wrong" in html
    page = ready_client.get(reverse("quizzes:quiz", args=[real_quiz.topic.slug])).content.decode()
    assert "used all 1 attempts" in page and "Start another attempt" not in page


def test_the_cooldown_shows_the_time_left_on_the_quiz_topic_and_result_pages(ready_client, user, real_quiz):
    attempts = [fail(user, real_quiz) for _ in range(3)]
    for url in (
        reverse("quizzes:quiz", args=[real_quiz.topic.slug]),
        real_quiz.topic.get_absolute_url(),
        reverse("quizzes:result", args=[real_quiz.topic.slug, attempts[-1].pk]),
    ):
        html = ready_client.get(url).content.decode()
        assert re.search(r"failed 3 attempts in a row\. You can try again in 2[34] h", html), url
        assert "Start another attempt" not in html and "Take the quiz" not in html


def test_an_open_attempt_at_a_withdrawn_topic_is_refused_with_a_page(ready_client, user, real_quiz):
    attempt = quiz_attempt_start(user=user, quiz=real_quiz)
    real_quiz.topic.is_published = False
    real_quiz.topic.save()
    response = submit_form(ready_client, real_quiz, attempt, correct_answers(attempt))
    assert response.status_code == 400 and "withdrawn" in response.content.decode()
    assert Attempt.objects.get(pk=attempt.pk).submitted_at is None


def test_another_learners_attempt_page_is_404(client, user, other_user, real_quiz):
    attempt = quiz_attempt_start(user=user, quiz=real_quiz)
    client.force_login(other_user)
    assert client.get(reverse("quizzes:result", args=[real_quiz.topic.slug, attempt.pk])).status_code == 404
    assert client.post(reverse("quizzes:submit", args=[real_quiz.topic.slug, attempt.pk]), {}).status_code == 404


def test_incomplete_form_submission_is_a_400_page_that_keeps_the_answers(ready_client, user, real_quiz):
    attempt = quiz_attempt_start(user=user, quiz=real_quiz)
    first = attempt.question_order[0]
    chosen = attempt.choice_order[str(first)][0]
    url = reverse("quizzes:submit", args=[real_quiz.topic.slug, attempt.pk])
    response = ready_client.post(url, {f"q{first}": [chosen]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Answer every question" in html
    assert f'value="{chosen}" checked' in html
    assert ready_client.post(url, {f"q{first}": ["x" * 40]}).status_code == 400
    choice_id = str(attempt.choice_tokens[chosen])
    bogus = ready_client.post(url, {f"q{qid}": [choice_id] for qid in attempt.question_order})
    assert bogus.status_code == 400 and "does not belong" in bogus.content.decode()


@pytest.mark.parametrize("page", ["quiz", "result"])
def test_quiz_pages_run_a_fixed_number_of_queries(client, busy_learner, django_assert_num_queries, page):
    """The quiz page with an attempt open, and a failed attempt's result, as the history grows."""
    failed = Attempt.objects.filter(user=busy_learner, passed=False).select_related("quiz__topic").first()
    quiz = failed.quiz
    ready_for_quiz(busy_learner, quiz.topic)
    client.force_login(busy_learner)
    url = {
        "quiz": reverse("quizzes:quiz", args=[quiz.topic.slug]),
        "result": reverse("quizzes:result", args=[quiz.topic.slug, failed.pk]),
    }[page]
    quiz_attempt_start(user=busy_learner, quiz=quiz)
    budget = {"quiz": 4, "result": 9}[page]  # each reads the current certificate (a renewal round)
    client.get(url)  # warm up
    with django_assert_num_queries(budget):
        assert client.get(url).status_code == 200
    grow_everything(busy_learner)
    open_attempt = Attempt.objects.get(user=busy_learner, quiz=quiz, submitted_at__isnull=True)
    quiz_attempt_submit(attempt_id=open_attempt.pk, user=busy_learner, answers=wrong_answers(open_attempt))
    quiz_attempt_start(user=busy_learner, quiz=quiz)
    client.get(url)  # warm up again: new content is a new content version, read once into the cache
    with django_assert_num_queries(budget):
        assert client.get(url).status_code == 200


def test_an_open_attempt_shows_a_question_edited_since_it_began(ready_client, user, real_quiz):
    """The questions an open attempt shows come from the cache; an edit in the admin replaces them at once."""
    attempt = quiz_attempt_start(user=user, quiz=real_quiz)
    url = reverse("quizzes:quiz", args=[real_quiz.topic.slug])
    assert "A reworded prompt" not in ready_client.get(url).content.decode()
    question = Question.objects.get(pk=attempt.question_order[0])
    question.prompt = "A reworded prompt"
    question.save()
    assert "A reworded prompt" in ready_client.get(url).content.decode()
