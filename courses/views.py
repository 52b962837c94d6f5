"""Catalogue pages: the track, a topic, a lesson, search. Thin: selectors read, services write."""

from dataclasses import replace

from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from courses import search as search_index
from courses import selectors
from courses.content_cache import content_cached, fill_holes
from courses.models import Lesson, Topic
from progress.selectors import certificates as certificate_selectors
from progress.selectors import flow, learning
from progress.selectors import renewal as renewal_selectors
from progress.selectors.assessment import QUIZ_RULE, quiz_prerequisites
from progress.services.learning import lesson_open, lesson_reopen
from progress.templatetags.progress_bars import progress_bar
from quizzes.selectors import quiz_allowance
from safety_academy.learner_pages import cached_for_learner, page_not_kept, page_valid_until, replay_on_hit
from safety_academy.links import site_path
from safety_academy.markdown import section_headings
from safety_academy.ratelimit import rate_limited
from safety_academy.visitor_pages import cached_for_visitors


@cached_for_visitors
@cached_for_learner
@require_safe
def catalogue(request):
    """The track's categories and topics. The page's body is the same for everyone with the same view of the
    content (visitors, learners, staff), so it is rendered once per content version and audience; a learner's
    own progress and badges fill its holes on each request."""
    track = selectors.track_for_pages()
    user = request.user
    signed_in = "signed-in" if user.is_authenticated else "visitor"  # a visitor's page has no holes
    body = content_cached(  # rendered without the request, so nothing of the person asking can enter it
        f"page:catalogue:{selectors.content_audience(user)}:{signed_in}",
        lambda: render_to_string("courses/_catalogue.html", _catalogue_skeleton(user, track)),
    )
    if user.is_authenticated:
        body = fill_holes(body, catalogue_fragments(user))
    return render(request, "courses/catalogue.html", {"track": track, "catalogue_body": mark_safe(body)})


def _catalogue_skeleton(user, track) -> dict:
    sections = [
        {"category": category, "topics": [{"topic": topic} for topic in topics]}
        for category in selectors.catalogue_categories(user=user)
        if (topics := list(category.topics.all()))
    ]
    return {"track": track, "sections": sections, "signed_in": user.is_authenticated}


def catalogue_fragments(user) -> dict[str, str]:
    """A learner's own parts of the catalogue, keyed by the holes of courses/_catalogue.html: the track's and
    each category's progress bar, and each topic card's class, badges and bar (four queries in all)."""
    standings = learning.topic_standings(user=user)
    completed = learning.completed_topic_ids(user=user)
    assigned = learning.assigned_topics(user=user)
    today = timezone.localdate()
    fragments: dict[str, str] = {}
    topic_count = 0
    for category_id, category_title, topics in selectors.catalogue_outline(user=user):
        bars = []
        for topic_id, title, lesson_count in topics:
            topic_count += 1
            complete, due_on = topic_id in completed, assigned.get(topic_id)
            progress, quiz_passed = standings.get(topic_id, (learning.Progress(0, lesson_count), False))
            bar = replace(progress, topic_complete=complete)
            bars.append(bar)
            fragments[f"bar:{topic_id}"] = progress_bar(bar, title, compact=True)
            fragments[f"card:{topic_id}"] = " is-assigned" if due_on and not complete else ""
            fragments[f"badges:{topic_id}"] = _topic_badges(
                complete=complete, quiz_passed=quiz_passed, due_on=due_on, today=today
            )
        if bars:
            fragments[f"category:{category_id}"] = progress_bar(learning.sum_progress(bars), category_title)
    fragments["track:"] = format_html(
        '{}\n    <p class="muted small">{} of {} topics complete · <a href="{}">continue where you left off</a></p>',
        progress_bar(learning.sum_progress([progress for progress, _ in standings.values()]), "Whole track"),
        len(completed),
        topic_count,
        site_path("progress:me"),
    )
    return fragments


def _topic_badges(*, complete: bool, quiz_passed: bool, due_on, today) -> str:
    badges = []
    if complete:
        badges.append(mark_safe('<span class="badge badge-success">Complete</span>'))
    elif quiz_passed:
        badges.append(mark_safe('<span class="badge badge-success">Quiz passed</span>'))
    if due_on and not complete:
        overdue = due_on < today
        badges.append(
            format_html(
                '<span class="badge {}" data-testid="assigned">{} {}</span>',
                "badge-danger" if overdue else "badge-warning",
                "Overdue since" if overdue else "Assigned · due",
                date_format(due_on, "j M"),
            )
        )
    return "\n        ".join(badges)


@cached_for_visitors
@cached_for_learner
@require_safe
def topic_detail(request, topic_slug: str):
    try:
        topic = selectors.topic_get(user=request.user, slug=topic_slug)
    except Topic.DoesNotExist:
        raise Http404("No such topic.") from None
    user = request.user
    topic_flow = flow.topic_flow(user=user, topic=topic)
    quiz = topic_flow.quiz
    certificate = certificate_selectors.certificate_for_topic(user=user, topic_id=topic.pk)
    renewal = renewal_selectors.standing_of(certificate=certificate, topic=topic)
    round_start = renewal.round_started_at if renewal and renewal.renewable else None
    allowance = quiz_allowance(user=user, quiz=quiz, since=round_start) if quiz and user.is_authenticated else None
    _valid_while_shown(request, certificate=certificate, allowance=allowance)
    context = {
        "topic": topic,
        "flow": topic_flow,
        "lessons": topic_flow.lessons.lessons,
        "done_ids": topic_flow.lessons.done_ids,
        "progress": topic_flow.progress,
        "minutes": topic_flow.lessons.minutes,
        "enrolled": topic_flow.enrolled,
        "quiz": quiz,
        "quiz_standing": topic_flow.standing,
        "quiz_allowance": allowance,
        "quiz_prerequisites": quiz_prerequisites(
            user=user, topic_id=topic.pk, enrolled=topic_flow.enrolled, progress=topic_flow.lessons.progress
        ),
        "quiz_rule": QUIZ_RULE,
        "complete": topic_flow.complete,
        "certificate": certificate,
        "renewal": renewal,
        "continue_lesson": topic_flow.lessons.next_to_do,
        "framework_items": selectors.topic_framework_items(topic=topic),
    }
    return render(request, "courses/topic.html", context)


def _valid_while_shown(request, *, certificate, allowance) -> None:
    """A learner's topic page changes when their certificate's renewal opens or it expires, and by the minute
    while a quiz's cooldown runs (it counts down)."""
    if certificate is not None:
        page_valid_until(request, certificate.renewal_opens_at, certificate.valid_until)
    if allowance is not None and allowance.cooldown_until is not None:
        page_not_kept(request)


@cached_for_visitors
@cached_for_learner(replay=lesson_reopen)
@require_safe
def lesson_detail(request, topic_slug: str, lesson_slug: str):
    try:
        lesson = selectors.lesson_get(user=request.user, topic_slug=topic_slug, lesson_slug=lesson_slug)
    except Lesson.DoesNotExist:
        raise Http404("No such lesson.") from None
    if request.user.is_authenticated:
        lesson_open(user=request.user, lesson=lesson)  # remembered as last opened; browsing never enrols
        replay_on_hit(request, lesson.pk, lesson.topic_id)  # the page served again from the cache records it too
    sections = section_headings(lesson.body_html)
    context = {
        "lesson": lesson,
        "topic": lesson.topic,
        "category": lesson.topic.category,
        "flow": flow.topic_flow(user=request.user, topic=lesson.topic, current=lesson),
        "toc": sections if len(sections) > 3 else [],
    }
    return render(request, "courses/lesson.html", context)


@require_safe
@rate_limited("search", setting="SEARCH_RATE_LIMIT")
def search(request):
    query = search_index.clean_query(request.GET.get("q", ""))
    kind = search_index.result_kind(request.GET.get("in"))
    page = search_index.requested_page(request.GET.get("page", 1))
    context = {"query": query, "kind": kind}
    if query:  # results show nothing of the reader: rendered once per content version, query, page and kind
        context["results_html"] = mark_safe(  # our own template, rendered now or earlier from the same content
            content_cached(
                selectors.search_cache_name(user=request.user, query=query, page=page, kind=kind),
                lambda: _search_results_html(user=request.user, query=query, page=page, kind=kind),
                timeout=selectors.SEARCH_CACHE_SECONDS,
            )
        )
    return render(request, "courses/search.html", context)


def _search_results_html(*, user, query: str, page: int, kind: str) -> str:
    results = selectors.search(user=user, query=query, page=page, kind=kind)
    return render_to_string("courses/_search_results.html", {"query": results.query, "results": results})


@cached_for_visitors
@require_safe
def framework_list(request):
    return render(request, "courses/frameworks.html", {"coverages": selectors.framework_coverages()})


@cached_for_visitors
@require_safe
def framework_detail(request, framework_slug: str):
    coverages = selectors.framework_coverages(slug=framework_slug)
    if not coverages:
        raise Http404("No such framework.")
    return render(request, "courses/framework.html", {"coverage": coverages[0]})
