"""Curating quizzes in the admin: choices validated like the files; attempts read-only."""

from django.urls import reverse

from quizzes.models import Question, Quiz
from quizzes.services import quiz_attempt_start


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
