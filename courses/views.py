"""Catalogue pages: the track, a topic, a lesson, search. Thin: selectors read, services write."""

from django.http import Http404
from django.shortcuts import render

from courses import selectors
from courses.models import Lesson, Topic
from progress.selectors import certificates as certificate_selectors
from progress.selectors import learning
from progress.selectors.assessment import QUIZ_RULE, quiz_prerequisites
from progress.services.learning import lesson_open
from quizzes.selectors import quiz_allowance, quiz_for_topic, quiz_standings


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
    user = request.user
    lessons = learning.topic_lessons_for(user=user, topic=topic)
    enrolled = learning.is_enrolled(user=user, topic_id=topic.pk)
    quiz = quiz_for_topic(topic_id=topic.pk, user=user)
    context = {
        "topic": topic,
        "lessons": lessons.lessons,
        "done_ids": lessons.done_ids,
        "progress": lessons.progress,
        "minutes": lessons.minutes,
        "enrolled": enrolled,
        "quiz": quiz,
        "quiz_allowance": quiz_allowance(user=user, quiz=quiz) if quiz and user.is_authenticated else None,
        "quiz_prerequisites": quiz_prerequisites(
            user=user, topic_id=topic.pk, enrolled=enrolled, progress=lessons.progress
        ),
        "quiz_rule": QUIZ_RULE,
        "complete": topic.pk in learning.completed_topic_ids(user=user) if user.is_authenticated else False,
        "certificate": certificate_selectors.certificate_for_topic(user=user, topic_id=topic.pk),
        "continue_lesson": lessons.next_to_do,
    }
    return render(request, "courses/topic.html", context)


def lesson_detail(request, topic_slug: str, lesson_slug: str):
    try:
        lesson = selectors.lesson_get(user=request.user, topic_slug=topic_slug, lesson_slug=lesson_slug)
    except Lesson.DoesNotExist:
        raise Http404("No such lesson.") from None
    if request.user.is_authenticated:
        lesson_open(user=request.user, lesson=lesson)
    lessons = learning.topic_lessons_for(user=request.user, topic=lesson.topic)
    previous, following = lessons.neighbours(lesson)
    context = {
        "lesson": lesson,
        "topic": lesson.topic,
        "category": lesson.topic.category,
        "siblings": lessons.lessons,
        "previous": previous,
        "next": following,
        "done_ids": lessons.done_ids,
        "is_done": lesson.pk in lessons.done_ids,
        "topic_progress": lessons.progress,
        "quiz": quiz_for_topic(topic_id=lesson.topic_id, user=request.user) if following is None else None,
    }
    return render(request, "courses/lesson.html", context)


def search(request):
    query = request.GET.get("q", "").strip()
    topics, lessons = selectors.search(user=request.user, query=query) if query else ([], [])
    return render(request, "courses/search.html", {"query": query, "topics": topics, "lessons": lessons})
