"""A learner's pages and actions: `/me/`, the profile with the API token, enrolment, completion."""

from dataclasses import replace

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseLocation

from courses import selectors as course_selectors
from courses.models import Lesson, Topic
from progress.context_processors import forget_person_name
from progress.forms import ProfileForm
from progress.selectors import certificates as certificate_selectors
from progress.selectors import flow, learning, renewal
from progress.selectors import teams as team_selectors
from progress.services import learning as services
from safety_academy.learner_pages import cached_for_learner, page_valid_until


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


@cached_for_learner
@require_safe
@login_required
def me(request):
    user = request.user
    enrollments = learning.enrolled_topics(user=user)
    standings = learning.topic_standings(user=user)
    completed = learning.completed_topic_ids(user=user)
    certificates = list(certificate_selectors.certificates_of(user=user))
    for certificate in certificates:  # the page shows renewals due and certificates expired
        page_valid_until(request, certificate.renewal_opens_at, certificate.valid_until)
    assignments = team_selectors.assignments_for_member(user=user)
    no_lessons = (learning.Progress(0, 0), False)
    context = {
        "continue_point": learning.continue_point(
            user=user, assignments=[item.assignment for item in assignments], completed=completed
        ),
        "enrolled": [
            {
                "topic": e.topic,
                "progress": replace(standings.get(e.topic_id, no_lessons)[0], topic_complete=e.topic_id in completed),
                "complete": e.topic_id in completed,
            }
            for e in enrollments
        ],
        "recent": learning.recently_completed(user=user),
        "certificates": certificates,
        "renewals": renewal.renewals_among(certificates),
        "summary": learning.progress_summary(user=user, standings=standings, enrollments=enrollments),
        "assignments": assignments,
        "led_teams": list(team_selectors.teams_led_by(user=user)),
        "profile": learning.profile_for(user=user),
    }
    return render(request, "progress/learning/me.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def profile(request):
    current = learning.profile_for(user=request.user)
    form = ProfileForm(request.POST or None, initial={"full_name": current.full_name if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=request.user, full_name=form.cleaned_data["full_name"])
            forget_person_name(request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Your name is saved; new certificates will carry it.")
            return redirect("progress:profile")
    token = learning.api_token_of(user=request.user)
    new_token = request.session.pop("new_api_token", None)  # shown once, right after it is made
    return render(
        request,
        "progress/learning/profile.html",
        {"form": form, "token": token, "new_token": new_token, "mfa_enabled": is_mfa_enabled(request.user)},
    )


@login_required
@require_POST
def api_token_create(request):
    token = services.api_token_create(user=request.user)
    messages.success(request, "A new API token was created. Copy it now; treat it like a password.")
    request.session["new_api_token"] = token.key
    return redirect("progress:profile")


@login_required
@require_POST
def api_token_revoke(request):
    services.api_token_revoke(user=request.user)
    messages.success(request, "Your API token was revoked; requests using it are now refused.")
    return redirect("progress:profile")


def _topic_or_404(request, topic_slug: str) -> Topic:
    try:
        return course_selectors.topic_get(user=request.user, slug=topic_slug)
    except Topic.DoesNotExist:
        raise Http404("No such topic.") from None


@login_required
@require_POST
def enroll(request, topic_slug: str):
    topic = _topic_or_404(request, topic_slug)
    _, created = services.enrollment_create(user=request.user, topic=topic)
    if created:
        messages.success(request, f"You are enrolled in {topic.title}.")
    return redirect(_safe_next(request, topic.get_absolute_url()))


@login_required
@require_POST
def leave(request, topic_slug: str):
    topic = _topic_or_404(request, topic_slug)
    if services.enrollment_delete(user=request.user, topic=topic):
        messages.success(request, f"You left {topic.title}. Your completed lessons are kept.")
    return redirect(_safe_next(request, topic.get_absolute_url()))


@login_required
@require_POST
def lesson_completion(request, topic_slug: str, lesson_slug: str, done: bool):
    """Mark a lesson complete or undo it. "Complete and continue" then opens the next step (htmx: without a
    full reload); "Mark complete" and "Undo" swap the fragments in place (a plain form: a redirect)."""
    try:
        lesson = course_selectors.lesson_get(user=request.user, topic_slug=topic_slug, lesson_slug=lesson_slug)
    except Lesson.DoesNotExist:
        raise Http404("No such lesson.") from None
    if done:
        services.lesson_complete(user=request.user, lesson=lesson)
    else:
        services.lesson_uncomplete(user=request.user, lesson=lesson)
    if done and not request.POST.get("stay"):
        messages.success(request, f"“{lesson.title}” is complete. You can undo it from that lesson.")
        target = _safe_next(request, lesson.get_absolute_url())
        if request.htmx:
            return HttpResponseLocation(target, target="#main", select="#main", swap="outerHTML")
        return redirect(target)
    if request.htmx:
        context = {
            "lesson": lesson,
            "topic": lesson.topic,
            "flow": flow.topic_flow(user=request.user, topic=lesson.topic, current=lesson),
        }
        return render(request, "progress/learning/_lesson_completion_swap.html", context)
    if done:
        messages.success(request, "Lesson marked complete.")
    return redirect(_safe_next(request, lesson.get_absolute_url()))
