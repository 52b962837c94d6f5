"""Quiz pages: nothing about correctness before submission, the result after, foreign attempts 404."""

import re

from django.urls import reverse

from quizzes.models import Attempt, Question
from quizzes.services import quiz_attempt_start
from tests.quizzes.support import secrets_of


def test_quiz_page_before_submission_reveals_no_answer_or_explanation(client, user, real_quiz):
    client.force_login(user)
    client.post(reverse("quizzes:start", args=[real_quiz.topic.slug]))
    html = client.get(reverse("quizzes:quiz", args=[real_quiz.topic.slug])).content.decode()
    attempt = Attempt.objects.get(user=user, quiz=real_quiz)
    assert len(attempt.question_order) == real_quiz.questions.count()
    for question in Question.objects.filter(quiz=real_quiz):
        assert f'name="q{question.pk}"' in html
        assert question.explanation_html not in html
        assert question.explanation[:60] not in html
    assert "is_correct" not in html and "right answer" not in html
    assert "is-correct" not in html and "result-right" not in html and "result-wrong" not in html
    # Each answer input carries its type, name and value, and nothing that could hint at the key.
    inputs = re.findall(r"<input ([^>]*name=\"q\d+\"[^>]*)>", html)
    assert len(inputs) == sum(len(ids) for ids in attempt.choice_order.values())
    for attributes in inputs:
        assert set(re.findall(r"([a-z-]+)=", attributes)) == {"type", "name", "value"}, attributes


def test_result_after_submission_shows_answers_and_explanations(client, user, real_quiz):
    client.force_login(user)
    attempt = quiz_attempt_start(user=user, quiz=real_quiz)
    post = {f"q{qid}": [attempt.choice_order[str(qid)][0]] for qid in attempt.question_order}
    response = client.post(reverse("quizzes:submit", args=[real_quiz.topic.slug, attempt.pk]), post)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    for explanation in secrets_of(real_quiz):
        assert explanation in html
    assert "right answer" in html


def test_another_learners_attempt_page_is_404(client, user, other_user, real_quiz):
    attempt = quiz_attempt_start(user=user, quiz=real_quiz)
    client.force_login(other_user)
    assert client.get(reverse("quizzes:result", args=[real_quiz.topic.slug, attempt.pk])).status_code == 404
    assert client.post(reverse("quizzes:submit", args=[real_quiz.topic.slug, attempt.pk]), {}).status_code == 404


def test_incomplete_form_submission_is_a_400_page_that_keeps_the_answers(client, user, real_quiz):
    client.force_login(user)
    attempt = quiz_attempt_start(user=user, quiz=real_quiz)
    first = attempt.question_order[0]
    chosen = attempt.choice_order[str(first)][0]
    response = client.post(reverse("quizzes:submit", args=[real_quiz.topic.slug, attempt.pk]), {f"q{first}": [chosen]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Answer every question" in html
    assert f'value="{chosen}" checked' in html
    bogus = client.post(reverse("quizzes:submit", args=[real_quiz.topic.slug, attempt.pk]), {f"q{first}": ["abc"]})
    assert bogus.status_code == 400
