"""Catalogue pages: the track, a topic, a lesson, search. Thin: selectors read, services write."""

from django.http import Http404
from django.shortcuts import render

from courses import selectors
from courses.models import Lesson, Topic
from progress.selectors import certificates as certificate_selectors
from progress.selectors import learning
from progress.services.learning import lesson_open
from quizzes.selectors import quiz_for_topic, quiz_standings


def catalogue(request):
    categories = selectors.catalogue_categories(user=request.user)
    progress = learning.topic_progress_map(user=request.user)
    standings = quiz_standings(user=request.user)
    completed = learning.completed_topic_ids(user=request.user)
    sections = []
    for category in categories:
        topics = list(category.topics.all())
        if not topics:
            continue
        rows = [
            {
                "topic": topic,
                "progress": progress.get(topic.pk, learning.Progress(0, topic.lesson_count)),
                "quiz": standings.get(topic.pk),
                "complete": topic.pk in completed,
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
    return render(
        request,
        "courses/catalogue.html",
        {
            "track": selectors.track_get(),
            "sections": sections,
            "track_progress": learning.sum_progress(list(progress.values())),
            "topics_completed": len(completed),
            "topic_count": sum(len(s["topics"]) for s in sections),
        },
    )


def topic_detail(request, topic_slug: str):
    try:
        topic = selectors.topic_get(user=request.user, slug=topic_slug)
    except Topic.DoesNotExist:
        raise Http404("No such topic.") from None
    lessons = selectors.topic_lessons(user=request.user, topic=topic)
    done_ids = learning.completed_lesson_ids(user=request.user, lesson_ids=[lesson.pk for lesson in lessons])
    published_count = sum(1 for lesson in lessons if lesson.is_published)
    progress = learning.Progress(
        done=sum(1 for lesson in lessons if lesson.pk in done_ids and lesson.is_published), total=published_count
    )
    user = request.user
    context = {
        "topic": topic,
        "lessons": lessons,
        "done_ids": done_ids,
        "progress": progress,
        "minutes": sum(lesson.minutes for lesson in lessons),
        "enrolled": learning.is_enrolled(user=user, topic_id=topic.pk),
        "quiz": quiz_for_topic(topic_id=topic.pk, user=user),
        "quiz_standing": quiz_standings(user=user, topic_ids=[topic.pk]).get(topic.pk),
        "complete": topic.pk in learning.completed_topic_ids(user=user) if user.is_authenticated else False,
        "certificate": certificate_selectors.certificate_for_topic(user=user, topic_id=topic.pk),
        "continue_lesson": next(
            (lesson for lesson in lessons if lesson.pk not in done_ids and lesson.is_published), None
        ),
    }
    return render(request, "courses/topic.html", context)


def lesson_detail(request, topic_slug: str, lesson_slug: str):
    try:
        lesson = selectors.lesson_get(user=request.user, topic_slug=topic_slug, lesson_slug=lesson_slug)
    except Lesson.DoesNotExist:
        raise Http404("No such lesson.") from None
    if request.user.is_authenticated:
        lesson_open(user=request.user, lesson=lesson)
    siblings = selectors.topic_lessons(user=request.user, topic=lesson.topic)
    previous, following = selectors.lesson_neighbours(lesson, siblings)
    done_ids = learning.completed_lesson_ids(user=request.user, lesson_ids=[s.pk for s in siblings])
    published = [s for s in siblings if s.is_published]
    context = {
        "lesson": lesson,
        "topic": lesson.topic,
        "category": lesson.topic.category,
        "siblings": siblings,
        "previous": previous,
        "next": following,
        "done_ids": done_ids,
        "is_done": lesson.pk in done_ids,
        "topic_progress": learning.Progress(done=sum(1 for s in published if s.pk in done_ids), total=len(published)),
        "quiz": quiz_for_topic(topic_id=lesson.topic_id, user=request.user) if following is None else None,
    }
    return render(request, "courses/lesson.html", context)


def search(request):
    query = request.GET.get("q", "").strip()
    topics, lessons = selectors.search(user=request.user, query=query) if query else ([], [])
    return render(request, "courses/search.html", {"query": query, "topics": topics, "lessons": lessons})
