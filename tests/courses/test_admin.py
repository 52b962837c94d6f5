"""Admin curation: every list and change page opens for staff, lessons publish and hide in bulk,
the preview shows the sanitised body, quiz questions are validated like the track files, and
attempts are read-only."""

import pytest
from django.urls import reverse

from courses.models import Lesson, Topic
from progress.models import Certificate, Team
from quizzes.models import Attempt, Question, Quiz
from quizzes.services import quiz_attempt_start
from tests.factories import LessonFactory


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


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


def test_question_choices_are_validated(admin_client, db):
    question = Question.objects.filter(kind="single").first()
    choices = list(question.choices.order_by("position"))
    data = {
        "quiz": question.quiz_id,
        "kind": "single",
        "lesson": question.lesson_id or "",
        "prompt": question.prompt,
        "explanation": question.explanation,
        "position": question.position,
        "is_active": "on",
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": len(choices),
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 1000,
    }
    for i, choice in enumerate(choices):
        data |= {
            f"choices-{i}-id": choice.pk,
            f"choices-{i}-question": question.pk,
            f"choices-{i}-text": choice.text,
            f"choices-{i}-position": choice.position,
            f"choices-{i}-is_correct": "on",
        }  # all correct: invalid
    response = admin_client.post(reverse("admin:quizzes_question_change", args=[question.pk]), data)
    assert response.status_code == 200
    assert "exactly one correct" in response.content.decode()
    assert question.choices.filter(is_correct=True).count() == 1


def test_attempts_are_read_only(admin_client, user, db):
    attempt = quiz_attempt_start(user=user, quiz=Quiz.objects.first())
    url = reverse("admin:quizzes_attempt_change", args=[attempt.pk])
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"score_percent": 100}).status_code == 403
    attempt.refresh_from_db()
    assert attempt.score_percent is None


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
