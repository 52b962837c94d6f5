"""Curating quizzes in the admin: choices validated like the files, the draw and the cooldown set per quiz;
attempts read-only, with an action that grants a reset (with a reason); resets kept as records."""

from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from progress.services.assessment import quiz_attempt_submit
from quizzes.models import AttemptReset, Question, Quiz
from quizzes.services import quiz_attempt_start
from tests.factories import UserFactory, topic_with_lessons, wrong_answers


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


def test_the_draw_size_and_the_cooldown_are_set_in_the_quiz_form(admin_client, staff_user, db):
    quiz = Quiz.objects.first()
    page = admin_client.get(reverse("admin:quizzes_quiz_change", args=[quiz.pk])).content.decode()
    for name in ("draw_size", "max_attempts", "cooldown_failures", "cooldown_hours"):
        assert f'name="{name}"' in page
    request = RequestFactory().get("/")
    request.user = staff_user
    form_class = site._registry[Quiz].get_form(request, quiz)
    data = {**form_class(instance=quiz).initial, "topic": quiz.topic_id, "max_attempts": "", "cooldown_failures": ""}
    refused = form_class(instance=Quiz.objects.get(pk=quiz.pk), data={**data, "draw_size": 0})
    assert "draw_size" in refused.errors
    form = form_class(instance=quiz, data={**data, "draw_size": 12, "cooldown_hours": 48})
    assert form.is_valid(), form.errors
    form.save()
    quiz.refresh_from_db()
    assert (quiz.draw_size, quiz.cooldown_hours, quiz.cooldown_failures) == (12, 48, None)


def test_attempts_are_read_only_and_keep_their_key_out_of_the_page(admin_client, user, db):
    attempt = quiz_attempt_start(user=user, quiz=Quiz.objects.first())
    url = reverse("admin:quizzes_attempt_change", args=[attempt.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert not any(token in page.content.decode() for token in attempt.choice_tokens)
    assert admin_client.post(url, {"score_percent": 100}).status_code == 403
    attempt.refresh_from_db()
    assert attempt.score_percent is None


def test_staff_grant_a_reset_from_the_attempts_with_a_reason(admin_client, staff_user, db):
    quiz = topic_with_lessons(2, quiz_questions=4).quiz
    learner, passed_nothing = UserFactory(), UserFactory()
    for _ in range(3):
        attempt = quiz_attempt_start(user=learner, quiz=quiz)
        quiz_attempt_submit(attempt_id=attempt.pk, user=learner, answers=wrong_answers(attempt))
    open_only = quiz_attempt_start(user=passed_nothing, quiz=quiz)  # nothing to reset for this one
    selected = [a.pk for a in learner.quiz_attempts.all()] + [open_only.pk]
    url = reverse("admin:quizzes_attempt_changelist")
    asked = admin_client.post(url, {"action": "grant_reset", "_selected_action": selected})
    assert asked.status_code == 200 and "Reason for the reset" in asked.content.decode()
    assert asked.content.decode().count(quiz.topic.title) == 2  # one line per learner and quiz
    done = admin_client.post(
        url, {"action": "grant_reset", "_selected_action": selected, "apply": "1", "reason": "Exam clash"}, follow=True
    )
    html = done.content.decode()
    assert "Granted 1 reset" in html and "nothing to reset" in html
    reset = AttemptReset.objects.get()
    assert (reset.user, reset.granted_by, reset.granted_as, reset.reason) == (
        learner,
        staff_user,
        "Staff",
        "Exam clash",
    )
    listing = admin_client.get(reverse("admin:quizzes_attemptreset_changelist")).content.decode()
    assert "Exam clash" in listing
    change = reverse("admin:quizzes_attemptreset_change", args=[reset.pk])
    assert admin_client.post(change, {"reason": "edited"}).status_code == 403
