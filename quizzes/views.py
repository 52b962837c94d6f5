"""The quiz pages: start or resume an attempt, submit it, see the result and the history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from courses import selectors as course_selectors
from courses.models import Topic
from progress.selectors.assessment import QUIZ_RULE, quiz_allowance_for, quiz_prerequisites
from progress.selectors.renewal import renewal_standing
from progress.services.assessment import quiz_attempt_begin, quiz_attempt_submit
from quizzes import selectors
from quizzes.forms import answers_from_post
from quizzes.models import Attempt
from quizzes.services import AttemptRefused
from safety_academy.learner_pages import cached_for_learner, page_not_kept, page_valid_until


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


@cached_for_learner
@require_safe
@login_required
def quiz_page(request, topic_slug: str):
    """The quiz: the attempt in progress with its questions, or the rule, the allowance and the history."""
    topic, quiz = _topic_and_quiz(request, topic_slug)
    attempts = selectors.attempts_for(user=request.user, quiz=quiz)
    standing = renewal_standing(user=request.user, topic_id=topic.pk)
    allowance = quiz_allowance_for(user=request.user, quiz=quiz, attempts=attempts, standing=standing)
    if standing is not None:  # the quiz opens again for a renewal, and the certificate expires, at set moments
        page_valid_until(request, standing.certificate.renewal_opens_at, standing.certificate.valid_until)
    if allowance.cooldown_until is not None:
        page_not_kept(request)  # the cooldown counts down
    open_attempt = next((a for a in attempts if a.submitted_at is None), None)
    context = {
        "topic": topic,
        "quiz": quiz,
        "attempt": open_attempt,
        "questions": selectors.attempt_questions(attempt=open_attempt) if open_attempt else [],
        "history": [a for a in attempts if a.submitted_at is not None],
        "allowance": allowance,
        # Only asked when the page offers to start (no attempt open, quiz not passed).
        "prerequisites": None
        if open_attempt or allowance.passed
        else quiz_prerequisites(user=request.user, topic_id=topic.pk),
        "quiz_rule": QUIZ_RULE,
    }
    return render(request, "quizzes/quiz.html", context)


@login_required
@require_POST
def quiz_start(request, topic_slug: str):
    topic, quiz = _topic_and_quiz(request, topic_slug)
    try:
        quiz_attempt_begin(user=request.user, quiz=quiz)
    except AttemptRefused as exc:
        messages.error(request, exc.reason)
        return redirect("quizzes:quiz", topic_slug=topic.slug)
    return redirect(reverse("quizzes:quiz", kwargs={"topic_slug": topic.slug}) + "#questions")


@login_required
@require_POST
def quiz_submit(request, topic_slug: str, attempt_id: int):
    # The attempt is looked up as the learner's own, whatever the topic's state now, so an attempt at a
    # quiz withdrawn meanwhile gets a clear refusal rather than a missing page.
    try:
        attempt = selectors.attempt_get(user=request.user, attempt_id=attempt_id)
    except Attempt.DoesNotExist:
        raise Http404("No such attempt.") from None
    topic = attempt.quiz.topic
    if topic.slug != topic_slug:
        raise Http404("No such attempt.")
    result_url = reverse("quizzes:result", kwargs={"topic_slug": topic.slug, "attempt_id": attempt.pk})
    if attempt.submitted_at is not None:
        return redirect(result_url)
    answers, errors = answers_from_post(request.POST, attempt.question_order)
    if not errors:
        field_errors = selectors.attempt_answers_errors(attempt=attempt, answers=answers)
        errors = [e for messages_ in field_errors.values() for e in messages_]
    if not errors:
        try:
            quiz_attempt_submit(attempt_id=attempt.pk, user=request.user, answers=answers)
        except AttemptRefused as exc:
            return render(request, "quizzes/refused.html", {"topic": topic, "reason": exc.reason}, status=400)
        return redirect(result_url)
    return render(
        request,
        "quizzes/quiz.html",
        {
            "topic": topic,
            "quiz": attempt.quiz,
            "attempt": attempt,
            "questions": _with_chosen(selectors.attempt_questions(attempt=attempt), answers),
            "errors": sorted(set(errors)),
            "history": [],
            "quiz_rule": QUIZ_RULE,
        },
        status=400,
    )


def _with_chosen(questions, answers):
    for question in questions:
        for choice in question.choices:
            choice.chosen = choice.id in answers.get(question.id, [])
    return questions


@require_safe
@login_required
def quiz_result(request, topic_slug: str, attempt_id: int):
    """A submitted attempt: verdicts and lessons to revisit; the correct choices and explanations only once
    the review is open (after a pass, or when no attempt is left)."""
    topic, quiz, attempt = _own_attempt(request, topic_slug, attempt_id)
    if attempt.submitted_at is None:
        return redirect("quizzes:quiz", topic_slug=topic.slug)
    allowance = quiz_allowance_for(user=request.user, quiz=quiz)
    questions = selectors.attempt_questions(attempt=attempt, review=allowance.review_open)
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
            "review": allowance.review_open,
            "allowance": allowance,
        },
    )
