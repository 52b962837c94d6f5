"""Quiz API: who may start, nothing about correctness before the review, tokens scoped to the attempt,
verdicts after a failure, the full review after a pass, cooldowns and withdrawn quizzes as clear 400s."""

import json

import pytest

from progress.models import Certificate, TopicCompletion
from quizzes.models import Attempt, Choice
from tests.factories import UserFactory
from tests.quizzes.support import age_attempts, api_answers, ready_for_quiz, secrets_of


def start_url(quiz):
    return f"/api/v1/topics/{quiz.topic.slug}/quiz/attempts/"


def correct_tokens(body) -> dict[int, list[str]]:
    """Test-side knowledge of the key: each shown token's choice, looked up on the server."""
    attempt = Attempt.objects.get(pk=body["id"])
    correct = set(
        Choice.objects.filter(is_correct=True, question_id__in=attempt.question_order).values_list("pk", flat=True)
    )
    return {
        q["id"]: [c["id"] for c in q["choices"] if attempt.choice_tokens[c["id"]] in correct] for q in body["questions"]
    }


def wrong_pick(body):
    right = correct_tokens(body)
    return lambda q: [next(c["id"] for c in q["choices"] if c["id"] not in right[q["id"]])]


@pytest.fixture
def ready(learner_api, user, real_quiz):
    ready_for_quiz(user, real_quiz.topic)
    return learner_api


@pytest.fixture
def started(ready, real_quiz):
    body = ready.post(start_url(real_quiz)).json()
    return ready, body


def submit(api, body, pick):
    return api.post(f"/api/v1/attempts/{body['id']}/submit/", {"answers": api_answers(body, pick)}, format="json")


def test_the_quiz_opens_to_enrolled_learners_who_have_done_the_lessons(learner_api, user, real_quiz):
    refused = learner_api.post(start_url(real_quiz))
    assert refused.status_code == 400 and "Enrol in this topic" in refused.json()["error"]["detail"]
    status = learner_api.get(f"/api/v1/topics/{real_quiz.topic.slug}/quiz/").json()
    assert status["can_start"] is False and status["refusal"].startswith("Enrol") and "enrolled" in status["rule"]
    ready_for_quiz(user, real_quiz.topic)
    user.lesson_progress.filter(lesson__topic=real_quiz.topic).first().delete()
    refused = learner_api.post(start_url(real_quiz))
    assert refused.status_code == 400 and "Complete the 1 lesson left" in refused.json()["error"]["detail"]
    ready_for_quiz(user, real_quiz.topic)
    assert learner_api.post(start_url(real_quiz)).status_code == 201
    assert learner_api.post(start_url(real_quiz)).status_code == 200  # resumed
    assert Attempt.objects.filter(user=user).count() == 1


def test_start_and_read_before_submission_reveal_nothing(started, real_quiz):
    api, body = started
    for response_body in (body, api.get(f"/api/v1/attempts/{body['id']}/").json()):
        text = json.dumps(response_body)
        assert "is_correct" not in text and "explanation" not in text and "answered_correctly" not in text
        for explanation in secrets_of(real_quiz):
            assert explanation not in text
        assert len(response_body["questions"]) == min(real_quiz.draw_size, real_quiz.questions.count())
    choice_ids = set(Choice.objects.filter(question__quiz=real_quiz).values_list("pk", flat=True))
    for question in body["questions"]:
        for choice in question["choices"]:
            assert isinstance(choice["id"], str) and not choice["id"].isdigit()
            assert choice["id"] not in {str(pk) for pk in choice_ids}


def test_garbage_payloads_are_400s_with_field_errors(started):
    api, body = started
    url = f"/api/v1/attempts/{body['id']}/submit/"
    first_q, other_q = body["questions"][0], body["questions"][1]
    payloads = [
        {},
        {"answers": []},
        {"answers": "all of them"},
        {"answers": [{"question": "x", "choices": ["a"]}]},
        {"answers": [{"question": 999999999, "choices": ["a"]}]},
        {"answers": [{"question": first_q["id"], "choices": []}]},
        {"answers": [{"question": first_q["id"], "choices": [first_q["choices"][0]["id"]] * 2}]},
        {"answers": [{"question": first_q["id"], "choices": [other_q["choices"][0]["id"]]}]},
        {"answers": [{"question": first_q["id"], "choices": ["x" * 40]}]},
        {"answers": [{"question": first_q["id"], "choices": [{"id": 1}]}]},
        [1, 2, 3],
    ]
    for payload in payloads:
        response = api.post(url, payload, format="json")
        assert response.status_code == 400, payload
        assert response.json()["error"]["code"] == "invalid"
    assert api.post(url, "{not json", content_type="application/json").status_code == 400
    assert Attempt.objects.get(pk=body["id"]).submitted_at is None


def test_choice_database_ids_are_not_answers(started):
    api, body = started
    attempt = Attempt.objects.get(pk=body["id"])
    by_ids = [
        {"question": q, "choices": [str(attempt.choice_tokens[t]) for t in ts]}
        for q, ts in correct_tokens(body).items()
    ]
    response = api.post(f"/api/v1/attempts/{body['id']}/submit/", {"answers": by_ids}, format="json")
    assert response.status_code == 400 and "does not belong" in json.dumps(response.json())


def test_a_sent_score_is_ignored(started):
    api, body = started
    answers = api_answers(body, lambda q: [q["choices"][0]["id"]])
    result = api.post(
        f"/api/v1/attempts/{body['id']}/submit/",
        {"answers": answers, "score_percent": 100, "passed": True},
        format="json",
    ).json()
    right = correct_tokens(body)
    assert result["correct_count"] == sum(set(a["choices"]) == set(right[a["question"]]) for a in answers)
    assert Attempt.objects.get(pk=body["id"]).score_percent == result["score_percent"]


def test_another_learners_attempt_is_404(started, other_user, api_client):
    _, body = started
    api_client.force_authenticate(other_user)
    assert api_client.get(f"/api/v1/attempts/{body['id']}/").status_code == 404
    assert api_client.post(f"/api/v1/attempts/{body['id']}/submit/", {"answers": []}, format="json").status_code == 404


def test_submitting_again_returns_the_same_result(started):
    api, body = started
    first = submit(api, body, lambda q: [q["choices"][-1]["id"]]).json()
    second = submit(api, body, lambda q: [q["choices"][0]["id"]]).json()
    assert first == second


def test_a_failed_attempt_shows_verdicts_and_lessons_but_not_the_key(started, real_quiz):
    api, body = started
    result = submit(api, body, wrong_pick(body)).json()
    assert result["passed"] is False and result["review"] is False
    text = json.dumps(result)
    for explanation in secrets_of(real_quiz):
        assert explanation not in text
    for question in result["questions"]:
        assert question["answered_correctly"] is False and question["explanation_html"] is None
        assert question["lesson_title"] and question["lesson_url"].startswith(f"/topics/{real_quiz.topic.slug}/")
        assert [c["is_correct"] for c in question["choices"]] == [None] * len(question["choices"])
        assert sum(c["chosen"] for c in question["choices"]) == 1
    assert api.get(f"/api/v1/attempts/{body['id']}/").json() == result


def test_a_pass_opens_the_full_review_of_every_attempt(started, real_quiz, user):
    api, failed = started
    submit(api, failed, wrong_pick(failed))
    second = api.post(start_url(real_quiz)).json()
    right = correct_tokens(second)
    result = submit(api, second, lambda q: right[q["id"]]).json()
    assert result["passed"] is True and result["review"] is True and result["score_percent"] == 100
    for question in result["questions"]:
        assert question["explanation_html"]
        assert {c["id"] for c in question["choices"] if c["is_correct"]} == set(right[question["id"]])
    earlier = api.get(f"/api/v1/attempts/{failed['id']}/").json()
    assert earlier["review"] is True and all(q["explanation_html"] for q in earlier["questions"])
    assert TopicCompletion.objects.filter(user=user, topic=real_quiz.topic).exists()
    refused = api.post(start_url(real_quiz))
    assert refused.status_code == 400 and "passed this quiz" in refused.json()["error"]["detail"]


def test_replaying_a_failed_attempt_onto_the_next_fails(started, real_quiz):
    """Copying what attempt 1 showed onto attempt 2 gets nothing: no key was shown, and its tokens are not
    attempt 2's."""
    api, first = started
    replay = api_answers(first, wrong_pick(first))
    submit(api, first, wrong_pick(first))
    shown = api.get(f"/api/v1/attempts/{first['id']}/").json()
    assert not any(c["is_correct"] for q in shown["questions"] for c in q["choices"])
    second = api.post(start_url(real_quiz)).json()
    assert not {c["id"] for q in first["questions"] for c in q["choices"]} & {
        c["id"] for q in second["questions"] for c in q["choices"]
    }
    same = [a for a in replay if a["question"] in {q["id"] for q in second["questions"]}]
    response = api.post(f"/api/v1/attempts/{second['id']}/submit/", {"answers": same or replay}, format="json")
    assert response.status_code == 400
    assert Attempt.objects.get(pk=second["id"]).submitted_at is None


def test_the_cooldown_is_a_clear_400_and_the_status_says_how_long(started, real_quiz, user):
    api, body = started
    for _ in range(3):
        submit(api, body, wrong_pick(body))
        if _ < 2:
            body = api.post(start_url(real_quiz)).json()
    refused = api.post(start_url(real_quiz))
    assert refused.status_code == 400
    assert "failed 3 attempts in a row" in refused.json()["error"]["detail"]
    status = api.get(f"/api/v1/topics/{real_quiz.topic.slug}/quiz/").json()
    assert status["can_start"] is False and status["cooldown_until"] and status["cooldown_left"].startswith("2")
    assert status["attempts_since_reset"] == status["attempts_submitted"] == 3 and status["review_available"] is False
    age_attempts(user, real_quiz, hours=25)
    status = api.get(f"/api/v1/topics/{real_quiz.topic.slug}/quiz/").json()
    assert status["can_start"] is True and status["cooldown_until"] is None
    assert api.post(start_url(real_quiz)).status_code == 201


def test_the_attempt_limit_opens_the_review(started, real_quiz):
    real_quiz.max_attempts = 1
    real_quiz.save()
    api, body = started
    result = submit(api, body, wrong_pick(body)).json()
    assert result["review"] is True and all(q["explanation_html"] for q in result["questions"])
    refused = api.post(start_url(real_quiz))
    assert refused.status_code == 400 and "used all 1 attempts" in refused.json()["error"]["detail"]


@pytest.mark.parametrize("withdrawn", ["topic", "quiz"])
def test_an_open_attempt_at_a_withdrawn_quiz_is_refused_and_earns_nothing(started, real_quiz, user, withdrawn):
    api, body = started
    right = correct_tokens(body)
    target = real_quiz.topic if withdrawn == "topic" else real_quiz
    target.is_published = False
    target.save()
    response = submit(api, body, lambda q: right[q["id"]])
    assert response.status_code == 400 and "withdrawn" in response.json()["error"]["detail"]
    assert Attempt.objects.get(pk=body["id"]).submitted_at is None
    assert not Certificate.objects.filter(user=user).exists()
    assert not TopicCompletion.objects.filter(user=user).exists()


def random_guess_bound(attempts: list[dict]) -> tuple[float, float]:
    """Expected passes and their standard deviation if every answer were a uniform random guess
    (generously: a true/false question counts 0.6, the most its key may lean to one side)."""
    mean = variance = 0.0
    for body in attempts:
        chances = []
        for q in body["questions"]:
            n = len(q["choices"])
            chances.append({"single": 1 / n, "true_false": 0.6, "multiple": 1 / (2**n - 2)}[q["kind"]])
        total = len(chances)
        dist = [1.0] + [0.0] * total  # the number right, as a Poisson binomial
        for p in chances:
            dist = [dist[k] * (1 - p) + (dist[k - 1] * p if k else 0) for k in range(total + 1)]
        p_pass = sum(dist[k] for k in range(total + 1) if k * 100 >= body["pass_percent"] * total)
        mean += p_pass
        variance += p_pass * (1 - p_pass)
    return mean, variance**0.5


def test_the_id_order_attack_passes_no_more_than_guessing(api_client, track):
    """A fresh account that has done nothing but tick the lessons picks by identifier order alone (the second-lowest
    for single choice, "False" for true/false, the three lowest for multiple) on every quiz of the track."""
    attacker = UserFactory()
    ready_for_quiz(attacker, *track)
    api_client.force_authenticate(attacker)
    attempts, passes = [], 0
    quizzes = [t.quiz for t in track if hasattr(t, "quiz")]
    assert len(quizzes) == 50
    for quiz in quizzes:
        body = api_client.post(start_url(quiz)).json()
        attempts.append(body)

        def pick(q):
            ids = sorted(c["id"] for c in q["choices"])
            if q["kind"] == "true_false":
                return [next(c["id"] for c in q["choices"] if c["text"] == "False")]
            return ids[:3] if q["kind"] == "multiple" else [ids[1]]

        passes += submit(api_client, body, pick).json()["passed"]
    mean, sd = random_guess_bound(attempts)
    print(f"id-order attack: {passes} of {len(quizzes)} passed; guessing would pass {mean:.2f} ± {sd:.2f}")
    assert passes <= mean + 4 * sd + 1, (passes, mean, sd)


@pytest.mark.parametrize("endpoint", ["status", "resume", "open", "result", "resubmit"])
def test_quiz_endpoints_run_a_fixed_number_of_queries(api_client, busy_learner, django_assert_num_queries, endpoint):
    """Each quiz endpoint after a warm-up, then again once the learner's history has grown (more attempts,
    a reset, more content)."""
    from quizzes.services import quiz_attempt_start
    from tests.factories import grow_everything, wrong_answers

    failed = Attempt.objects.filter(user=busy_learner, passed=False).select_related("quiz__topic").first()
    quiz = failed.quiz
    ready_for_quiz(busy_learner, quiz.topic)
    api_client.force_authenticate(busy_learner)
    open_attempt = quiz_attempt_start(user=busy_learner, quiz=quiz)
    method, url = {
        "status": ("get", f"/api/v1/topics/{quiz.topic.slug}/quiz/"),
        "resume": ("post", start_url(quiz)),
        "open": ("get", f"/api/v1/attempts/{open_attempt.pk}/"),
        "result": ("get", f"/api/v1/attempts/{failed.pk}/"),
        "resubmit": ("post", f"/api/v1/attempts/{failed.pk}/submit/"),
    }[endpoint]
    # status, result and resubmit read the current certificate too (a renewal round counts only its attempts)
    budget = {"status": 6, "resume": 8, "open": 1, "result": 8, "resubmit": 9}[endpoint]

    def call():
        response = getattr(api_client, method)(url, {"answers": []} if endpoint == "resubmit" else None, format="json")
        assert response.status_code in (200, 201), response.content[:300]

    call()
    with django_assert_num_queries(budget):
        call()
    grow_everything(busy_learner)
    from progress.services.assessment import quiz_attempt_submit, quiz_reset_grant

    quiz_attempt_submit(attempt_id=open_attempt.pk, user=busy_learner, answers=wrong_answers(open_attempt))
    quiz_reset_grant(granted_by=UserFactory(is_staff=True), learner=busy_learner, quiz=quiz, reason="Grow")
    reopened = quiz_attempt_start(user=busy_learner, quiz=quiz)
    if endpoint == "open":
        url = f"/api/v1/attempts/{reopened.pk}/"
    if endpoint != "resubmit":  # resubmitting is refused the second time; the others answer the same again
        call()  # warm up again: new content is a new content version, read once into the cache
    with django_assert_num_queries(budget):
        call()
