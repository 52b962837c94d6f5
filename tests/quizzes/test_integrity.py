"""Nothing says which choice is right, or why, before an attempt is submitted: not a page, not the API.
Bad payloads get 400s with field errors; foreign attempts are 404s; a sent score is ignored."""

import json
import re

import pytest
from django.urls import reverse

from courses.models import Topic
from quizzes.models import Attempt, Choice, Question
from quizzes.services import quiz_attempt_start


@pytest.fixture
def real_quiz(db):
    """A quiz from the real track, with its explanations and correct choices."""
    topic = Topic.objects.filter(quiz__isnull=False).order_by("category__position", "position").first()
    return topic.quiz


def secrets_of(quiz):
    explanations = list(Question.objects.filter(quiz=quiz).values_list("explanation_html", flat=True))
    return explanations


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


def test_api_start_and_read_before_submission_reveal_nothing(api_client, user, real_quiz):
    api_client.force_authenticate(user)
    started = api_client.post(f"/api/v1/topics/{real_quiz.topic.slug}/quiz/attempts/")
    assert started.status_code == 201
    for response in (started, api_client.get(f"/api/v1/attempts/{started.json()['id']}/")):
        text = json.dumps(response.json())
        assert "is_correct" not in text and "explanation" not in text and "answered_correctly" not in text
        for explanation in secrets_of(real_quiz):
            assert explanation not in text
        assert len(response.json()["questions"]) == real_quiz.questions.count()


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


@pytest.fixture
def started(api_client, user, real_quiz):
    api_client.force_authenticate(user)
    body = api_client.post(f"/api/v1/topics/{real_quiz.topic.slug}/quiz/attempts/").json()
    return api_client, body


def test_garbage_payloads_are_400s_with_field_errors(started):
    api, body = started
    url = f"/api/v1/attempts/{body['id']}/submit/"
    first_q = body["questions"][0]
    other_q = body["questions"][1]
    payloads = [
        {},
        {"answers": []},
        {"answers": "all of them"},
        {"answers": [{"question": "x", "choices": [1]}]},
        {"answers": [{"question": 999999999, "choices": [1]}]},
        {"answers": [{"question": first_q["id"], "choices": []}]},
        {"answers": [{"question": first_q["id"], "choices": [first_q["choices"][0]["id"]] * 2}]},
        {"answers": [{"question": first_q["id"], "choices": [other_q["choices"][0]["id"]]}]},
        {"answers": [{"question": first_q["id"], "choices": [2**70]}]},
        [1, 2, 3],
    ]
    for payload in payloads:
        response = api.post(url, payload, format="json")
        assert response.status_code == 400, payload
        assert response.json()["error"]["code"] == "invalid"
    assert api.post(url, "{not json", content_type="application/json").status_code == 400
    assert Attempt.objects.get(pk=body["id"]).submitted_at is None


def test_a_sent_score_is_ignored(started):
    api, body = started
    answers = [{"question": q["id"], "choices": [q["choices"][0]["id"]]} for q in body["questions"]]
    result = api.post(
        f"/api/v1/attempts/{body['id']}/submit/",
        {"answers": answers, "score_percent": 100, "passed": True},
        format="json",
    ).json()
    attempt = Attempt.objects.get(pk=body["id"])
    assert result["score_percent"] == attempt.score_percent
    correct = sum(
        set(a["choices"])
        == set(Choice.objects.filter(question_id=a["question"], is_correct=True).values_list("pk", flat=True))
        for a in answers
    )
    assert attempt.correct_count == correct


def test_another_learners_attempt_is_404(started, other_user, api_client):
    _, body = started
    api_client.force_authenticate(other_user)
    assert api_client.get(f"/api/v1/attempts/{body['id']}/").status_code == 404
    assert api_client.post(f"/api/v1/attempts/{body['id']}/submit/", {"answers": []}, format="json").status_code == 404


def test_another_learners_attempt_page_is_404(client, user, other_user, real_quiz):
    attempt = quiz_attempt_start(user=user, quiz=real_quiz)
    client.force_login(other_user)
    assert client.get(reverse("quizzes:result", args=[real_quiz.topic.slug, attempt.pk])).status_code == 404
    assert client.post(reverse("quizzes:submit", args=[real_quiz.topic.slug, attempt.pk]), {}).status_code == 404


def test_submitting_again_returns_the_same_result(started):
    api, body = started
    answers = [{"question": q["id"], "choices": [q["choices"][-1]["id"]]} for q in body["questions"]]
    url = f"/api/v1/attempts/{body['id']}/submit/"
    first = api.post(url, {"answers": answers}, format="json").json()
    other = [{"question": q["id"], "choices": [q["choices"][0]["id"]]} for q in body["questions"]]
    second = api.post(url, {"answers": other}, format="json").json()
    assert first == second


def test_attempt_limit_via_api_is_a_clear_400(api_client, user, real_quiz):
    real_quiz.max_attempts = 1
    real_quiz.save()
    api_client.force_authenticate(user)
    body = api_client.post(f"/api/v1/topics/{real_quiz.topic.slug}/quiz/attempts/").json()
    answers = [{"question": q["id"], "choices": [q["choices"][0]["id"]]} for q in body["questions"]]
    api_client.post(f"/api/v1/attempts/{body['id']}/submit/", {"answers": answers}, format="json")
    refused = api_client.post(f"/api/v1/topics/{real_quiz.topic.slug}/quiz/attempts/")
    assert refused.status_code == 400
    assert "used all 1 attempts" in refused.json()["error"]["detail"]


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
