"""A learner's API: authentication, profile, enrolments, completion and progress, own data only."""

from rest_framework.authtoken.models import Token

from progress.models import Enrollment, LessonProgress
from progress.services import learning
from tests.factories import topic_with_lessons


def test_learner_endpoints_need_authentication_in_the_shared_error_format(api_client, db):
    response = api_client.get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert set(response.json()["error"]) == {"status", "code", "detail", "fields"}


def test_token_authentication(api_client, user, db):
    token = Token.objects.create(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api_client.get("/api/v1/me/").json()["email"] == user.email


def test_me_reads_and_updates_the_full_name(learner_api, user, db):
    assert learner_api.patch("/api/v1/me/", {"full_name": " Ada  Lovelace "}, format="json").json()["full_name"] == (
        "Ada Lovelace"
    )
    bad = learner_api.patch("/api/v1/me/", {"full_name": "   "}, format="json")
    assert bad.status_code == 400
    assert "full_name" in bad.json()["error"]["fields"]


def test_enrol_list_and_leave(learner_api, user, db):
    topic = topic_with_lessons(1)
    created = learner_api.post("/api/v1/enrollments/", {"topic": topic.slug}, format="json")
    assert created.status_code == 201
    assert learner_api.post("/api/v1/enrollments/", {"topic": topic.slug}, format="json").status_code == 200
    assert [e["topic"] for e in learner_api.get("/api/v1/enrollments/").json()["results"]] == [topic.slug]
    assert learner_api.delete(f"/api/v1/enrollments/{topic.slug}/").status_code == 204
    assert not Enrollment.objects.filter(user=user).exists()


def test_enrol_in_unknown_topic_is_a_400_with_field_errors(learner_api, db):
    response = learner_api.post("/api/v1/enrollments/", {"topic": "no-such-topic"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["topic"] == ["No published topic has this slug."]
    for payload in ({}, {"topic": ["a"]}, {"topic": "x" * 500}):
        assert learner_api.post("/api/v1/enrollments/", payload, format="json").status_code == 400
    assert learner_api.post("/api/v1/enrollments/", "garbage", content_type="application/json").status_code == 400


def test_lesson_completion_is_idempotent_and_undoable(learner_api, user, db):
    lesson = topic_with_lessons(2).lessons.first()
    url = f"/api/v1/lessons/{lesson.pk}/completion/"
    first = learner_api.post(url).json()
    second = learner_api.post(url).json()
    assert first["completed"] and first["completed_at"] == second["completed_at"]
    assert LessonProgress.objects.filter(user=user, lesson=lesson).count() == 1
    assert learner_api.delete(url).json()["completed"] is False
    assert learner_api.post("/api/v1/lessons/0/completion/").status_code == 404


def test_progress_per_topic(learner_api, user, db):
    topic = topic_with_lessons(4)
    learning.lesson_complete(user=user, lesson=topic.lessons.first())
    row = learner_api.get(f"/api/v1/progress/{topic.slug}/").json()
    assert (row["lessons_completed"], row["lessons_total"], row["percent"]) == (1, 4, 25)
    assert learner_api.get("/api/v1/progress/no-such-topic/").status_code == 404


def test_a_learner_never_sees_another_learners_data(learner_api, other_user, db):
    topic = topic_with_lessons(1)
    learning.enrollment_create(user=other_user, topic=topic)
    assert learner_api.get("/api/v1/enrollments/").json()["count"] == 0
    assert learner_api.delete(f"/api/v1/enrollments/{topic.slug}/").status_code == 404
    assert Enrollment.objects.filter(user=other_user).count() == 1
