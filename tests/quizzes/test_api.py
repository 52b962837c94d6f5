"""Quiz API: nothing about correctness before submission, 400s with field errors, idempotent submit."""

import json

import pytest

from quizzes.models import Attempt, Choice
from tests.quizzes.support import secrets_of


@pytest.fixture
def started(api_client, user, real_quiz):
    api_client.force_authenticate(user)
    body = api_client.post(f"/api/v1/topics/{real_quiz.topic.slug}/quiz/attempts/").json()
    return api_client, body


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
