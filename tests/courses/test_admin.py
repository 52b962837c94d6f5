"""Curating the catalogue in the admin: change lists, previews, publishing, objectives."""

import pytest
from django.urls import reverse

from courses.models import Lesson, Topic
from progress.models import Certificate, Team, TopicCompletion
from progress.services import learning
from quizzes.models import Attempt, Question, Quiz
from tests.factories import LessonFactory, topic_with_lessons


@pytest.mark.parametrize("model", [Topic, Lesson, Quiz, Question, Attempt, Certificate, Team])
def test_changelists_open(admin_client, model, db):
    opts = model._meta
    response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), {"q": "safety"})
    assert response.status_code == 200


def test_topic_and_lesson_change_pages_with_inline_and_preview(admin_client, db):
    topic = Topic.objects.filter(lessons__isnull=False).first()
    page = admin_client.get(reverse("admin:courses_topic_change", args=[topic.pk])).content.decode()
    assert topic.lessons.first().title.replace("'", "&#x27;") in page
    lesson = LessonFactory(body_markdown="## Heading\n\n<script>alert(1)</script>**visible**")
    page = admin_client.get(reverse("admin:courses_lesson_change", args=[lesson.pk])).content.decode()
    assert "<strong>visible</strong>" in page and "<script>alert(1)" not in page


def test_publish_and_unpublish_actions(admin_client, db):
    lessons = list(Lesson.objects.filter(is_published=True)[:3])
    url = reverse("admin:courses_lesson_changelist")
    admin_client.post(url, {"action": "unpublish", "_selected_action": [lesson.pk for lesson in lessons]})
    assert not Lesson.objects.filter(pk__in=[lesson.pk for lesson in lessons], is_published=True).exists()
    admin_client.post(url, {"action": "publish", "_selected_action": [lesson.pk for lesson in lessons]})
    assert Lesson.objects.filter(pk__in=[lesson.pk for lesson in lessons], is_published=True).count() == 3


def test_objectives_are_edited_one_per_line(admin_client, db):
    lesson = LessonFactory(objectives=["Explain a", "Build b"])
    url = reverse("admin:courses_lesson_change", args=[lesson.pk])
    assert "Explain a\nBuild b" in admin_client.get(url).content.decode()
    data = {
        "topic": lesson.topic_id,
        "title": lesson.title,
        "slug": lesson.slug,
        "position": 1,
        "minutes": 9,
        "is_published": "on",
        "objectives": "First\n\n  Second  \n",
        "body_markdown": "Body",
    }
    assert admin_client.post(url, data).status_code == 302
    lesson.refresh_from_db()
    assert lesson.objectives == ["First", "Second"]


def test_hiding_a_lesson_in_the_admin_completes_topics_it_was_holding_back(
    admin_client, user, django_capture_on_commit_callbacks
):
    """The publish rule: hiding a lesson catches up completions (its form and its action alike)."""
    topic = topic_with_lessons(3)
    first, second, third = topic.lessons.order_by("position")
    learning.lesson_complete(user=user, lesson=first)
    learning.lesson_complete(user=user, lesson=second)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/courses/lesson/",
            {"action": "unpublish", "_selected_action": [third.pk]},
        )
    assert TopicCompletion.objects.filter(user=user, topic=topic).exists()
    third.refresh_from_db()
    assert not third.is_published


def test_topics_are_published_through_actions_not_inline_edits(admin_client, db):
    topic = Topic.objects.first()
    admin_client.post("/admin/courses/topic/", {"action": "unpublish", "_selected_action": [topic.pk]})
    topic.refresh_from_db()
    assert not topic.is_published
    page = admin_client.get("/admin/courses/topic/").content.decode()
    assert 'name="form-0-is_published"' not in page
