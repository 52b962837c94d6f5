"""The learner's API: catalogue, me, enrolments, lesson completion, progress; errors in one format."""

import pytest
from rest_framework.authtoken.models import Token

from courses.models import Lesson, Topic
from progress.models import Enrollment, LessonProgress
from progress.services import learning
from tests.factories import LessonFactory, TopicFactory, topic_with_lessons


def test_catalogue_is_public_and_published_only(api_client, db):
    hidden = TopicFactory(is_published=False)
    response = api_client.get("/api/v1/topics/", {"page_size": 200})
    assert response.status_code == 200
    slugs = {t["slug"] for t in response.json()["results"]}
    assert hidden.slug not in slugs and len(slugs) >= 50
    assert api_client.get(f"/api/v1/topics/{hidden.slug}/").status_code == 404
    assert api_client.get("/api/v1/categories/").json()["count"] >= 8


def test_lesson_detail_has_body_and_hidden_lessons_are_404(api_client, db):
    lesson = Lesson.objects.filter(is_published=True).first()
    body = api_client.get(f"/api/v1/lessons/{lesson.pk}/").json()
    assert body["title"] == lesson.title and "body_html" in body
    hidden = LessonFactory(is_published=False)
    assert api_client.get(f"/api/v1/lessons/{hidden.pk}/").status_code == 404
    assert api_client.get("/api/v1/lessons/99999999999999999999999/").status_code == 404


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


@pytest.fixture
def busy_learner(user, db):
    for lesson in Lesson.objects.filter(is_published=True, topic__is_published=True)[:250]:
        learning.lesson_complete(user=user, lesson=lesson)
    for topic in Topic.objects.all()[:30]:
        learning.enrollment_create(user=user, topic=topic)
    return user


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/categories/",
        "/api/v1/topics/",
        "/api/v1/lessons/",
        "/api/v1/enrollments/",
        "/api/v1/progress/",
        "/api/v1/certificates/",
        "/api/v1/attempts/",
        "/api/v1/teams/",
        "/api/v1/me/",
    ],
)
def test_api_lists_run_a_fixed_number_of_queries(api_client, busy_learner, django_assert_max_num_queries, url):
    api_client.force_authenticate(busy_learner)
    api_client.get(url)
    with django_assert_max_num_queries(8):
        assert api_client.get(url).status_code == 200
    for _ in range(3):
        topic_with_lessons(5)
    with django_assert_max_num_queries(8):
        assert api_client.get(url).status_code == 200
