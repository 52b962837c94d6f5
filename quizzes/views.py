"""The quiz pages: start or resume an attempt, submit it, see the result and the history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from courses import selectors as course_selectors
from courses.models import Topic
from progress.services.assessment import quiz_attempt_submit
from quizzes import selectors, services
from quizzes.forms import answers_from_post
from quizzes.models import Attempt


def _topic_and_quiz(request, topic_slug: str):
    try:
        topic = course_selectors.topic_get(user=request.user, slug=topic_slug)
    except Topic.DoesNotExist:
        raise Http404("No such topic.") from None
    quiz = selectors.quiz_for_topic(topic_id=topic.pk, user=request.user)
    if quiz is None:
        raise Http404("This topic has no quiz yet.")
    return topic, quiz


def _own_attempt(request, topic_slug: str, attempt_id: int):
    """The topic, its quiz and the learner's own attempt at it; 404 for anyone else's."""
    topic, quiz = _topic_and_quiz(request, topic_slug)
    try:
        attempt = selectors.attempt_get(user=request.user, attempt_id=attempt_id)
    except Attempt.DoesNotExist:
        raise Http404("No such attempt.") from None
    if attempt.quiz_id != quiz.pk:
        raise Http404("No such attempt.")
    return topic, quiz, attempt


@require_safe
@login_required
def quiz_page(request, topic_slug: str):
    """The quiz: the attempt in progress with its questions, or the start button and history."""
    topic, quiz = _topic_and_quiz(request, topic_slug)
    attempts = selectors.attempts_for(user=request.user, quiz=quiz)
    open_attempt = next((a for a in attempts if a.submitted_at is None), None)
    submitted = [a for a in attempts if a.submitted_at is not None]
    context = {
        "topic": topic,
        "quiz": quiz,
        "attempt": open_attempt,
        "questions": selectors.attempt_questions(attempt=open_attempt) if open_attempt else [],
        "history": submitted,
        "attempts_left": None if quiz.max_attempts is None else max(quiz.max_attempts - len(attempts), 0),
        "passed": any(a.passed for a in submitted),
        "best": max((a.score_percent for a in submitted), default=None),
    }
    return render(request, "quizzes/quiz.html", context)


@login_required
@require_POST
def quiz_start(request, topic_slug: str):
    topic, quiz = _topic_and_quiz(request, topic_slug)
    try:
        services.quiz_attempt_start(user=request.user, quiz=quiz)
    except services.AttemptRefused as exc:
        messages.error(request, str(exc))
    return redirect(reverse("quizzes:quiz", kwargs={"topic_slug": topic.slug}) + "#questions")


@login_required
@require_POST
def quiz_submit(request, topic_slug: str, attempt_id: int):
    topic, quiz, attempt = _own_attempt(request, topic_slug, attempt_id)
    result_url = reverse("quizzes:result", kwargs={"topic_slug": topic.slug, "attempt_id": attempt.pk})
    if attempt.submitted_at is not None:
        return redirect(result_url)
    answers, errors = answers_from_post(request.POST, attempt.question_order)
    if not errors:
        field_errors = selectors.attempt_answers_errors(attempt=attempt, answers=answers)
        errors = [e for messages_ in field_errors.values() for e in messages_]
    if errors:
        return render(
            request,
            "quizzes/quiz.html",
            {
                "topic": topic,
                "quiz": quiz,
                "attempt": attempt,
                "questions": _with_chosen(selectors.attempt_questions(attempt=attempt), answers),
                "errors": sorted(set(errors)),
                "history": [],
                "attempts_left": None,
            },
            status=400,
        )
    quiz_attempt_submit(attempt_id=attempt.pk, user=request.user, answers=answers)
    return redirect(result_url)


def _with_chosen(questions, answers):
    for question in questions:
        for choice in question.choices:
            choice.chosen = choice.id in answers.get(question.id, [])
    return questions


@require_safe
@login_required
def quiz_result(request, topic_slug: str, attempt_id: int):
    topic, quiz, attempt = _own_attempt(request, topic_slug, attempt_id)
    if attempt.submitted_at is None:
        return redirect("quizzes:quiz", topic_slug=topic.slug)
    questions = selectors.attempt_questions(attempt=attempt)
    missed = [q for q in questions if not q.answered_correctly]
    revisit = {}
    for q in missed:
        if q.lesson_url:
            revisit[q.lesson_url] = q.lesson_title
    return render(
        request,
        "quizzes/result.html",
        {
            "topic": topic,
            "quiz": quiz,
            "attempt": attempt,
            "questions": questions,
            "missed": missed,
            "revisit": revisit,
        },
    )
