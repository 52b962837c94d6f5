"""Catalogue pages: the track, a topic, a lesson, search. Thin: selectors read, services write."""

from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from courses import search as search_index
from courses import selectors
from courses.content_cache import content_cached
from courses.models import Lesson, Topic
from progress.selectors import certificates as certificate_selectors
from progress.selectors import flow, learning
from progress.selectors import renewal as renewal_selectors
from progress.selectors.assessment import QUIZ_RULE, quiz_prerequisites
from progress.services.learning import lesson_open
from quizzes.selectors import quiz_allowance, quiz_standings
from safety_academy.markdown import section_headings
from safety_academy.ratelimit import rate_limited


@require_safe
def catalogue(request):
    track = selectors.track_for_pages()
    if request.user.is_authenticated:
        context = _catalogue_context(request.user)
    else:  # a visitor's catalogue is everyone's: rendered once per content version
        context = {
            "anonymous_body": mark_safe(  # our own template, rendered now or earlier from the same content
                content_cached(
                    "page:catalogue:anonymous",
                    lambda: render_to_string(
                        "courses/_catalogue.html", {**_catalogue_context(request.user), "track": track}, request=request
                    ),
                )
            )
        }
    return render(request, "courses/catalogue.html", {"track": track, **context})


def _catalogue_context(user) -> dict:
    categories = selectors.catalogue_categories(user=user)
    progress = learning.topic_progress_map(user=user)
    standings = quiz_standings(user=user)
    completed = learning.completed_topic_ids(user=user)
    assigned = learning.assigned_topics(user=user)
    today = timezone.localdate()
    sections = []
    for category in categories:
        topics = list(category.topics.all())
        if not topics:
            continue
        rows = [
            {
                "topic": topic,
                "progress": progress.get(topic.pk, learning.Progress(0, topic.lesson_count)).for_topic(
                    quiz=learning.QuizState.of(has_quiz=False, standing=standings.get(topic.pk)),
                    complete=topic.pk in completed,
                ),
                "quiz": standings.get(topic.pk),
                "complete": topic.pk in completed,
                "due_on": assigned.get(topic.pk),
                "overdue": topic.pk in assigned and assigned[topic.pk] < today and topic.pk not in completed,
            }
            for topic in topics
        ]
        sections.append(
            {
                "category": category,
                "topics": rows,
                "progress": learning.sum_progress([row["progress"] for row in rows]),
            }
        )
    return {
        "sections": sections,
        "track_progress": learning.sum_progress(list(progress.values())),
        "topics_completed": len(completed),
        "topic_count": sum(len(s["topics"]) for s in sections),
    }


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
        "quiz_allowance": quiz_allowance(user=user, quiz=quiz, since=round_start)
        if quiz and user.is_authenticated
        else None,
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


@require_safe
def lesson_detail(request, topic_slug: str, lesson_slug: str):
    try:
        lesson = selectors.lesson_get(user=request.user, topic_slug=topic_slug, lesson_slug=lesson_slug)
    except Lesson.DoesNotExist:
        raise Http404("No such lesson.") from None
    if request.user.is_authenticated:
        lesson_open(user=request.user, lesson=lesson)  # remembered as last opened; browsing never enrols
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


@require_safe
def framework_list(request):
    return render(request, "courses/frameworks.html", {"coverages": selectors.framework_coverages()})


@require_safe
def framework_detail(request, framework_slug: str):
    coverages = selectors.framework_coverages(slug=framework_slug)
    if not coverages:
        raise Http404("No such framework.")
    return render(request, "courses/framework.html", {"coverage": coverages[0]})
