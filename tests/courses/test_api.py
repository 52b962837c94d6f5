"""The catalogue API: public, published content only."""

from courses.models import Lesson
from tests.factories import LessonFactory, TopicFactory


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
