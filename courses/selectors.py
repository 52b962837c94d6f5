"""Reads of the catalogue for pages and the API, with their joins and aggregates applied."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from courses.models import Category, Lesson, Topic, Track


def visible_topics(*, user) -> QuerySet[Topic]:
    qs = Topic.objects.select_related("category")
    return qs if getattr(user, "is_staff", False) else qs.filter(is_published=True)


def visible_lessons(*, user) -> QuerySet[Lesson]:
    qs = Lesson.objects.select_related("topic", "topic__category")
    if getattr(user, "is_staff", False):
        return qs
    return qs.filter(is_published=True, topic__is_published=True)


def track_get() -> Track | None:
    return Track.objects.first()


def published_topic_by_slug(*, slug: str) -> Topic | None:
    return Topic.objects.filter(slug=slug, is_published=True).first()


def category_by_slug(*, slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first()


def catalogue_categories(*, user) -> list[Category]:
    """Categories with their visible topics, each topic annotated with its published lesson count and minutes."""
    lesson_filter = Q(lessons__is_published=True)
    topics = (
        visible_topics(user=user)
        .annotate(
            lesson_count=Count("lessons", filter=lesson_filter),
            total_minutes=Sum("lessons__minutes", filter=lesson_filter),
        )
        .order_by("position")
    )
    return list(Category.objects.prefetch_related(Prefetch("topics", queryset=topics)).order_by("position"))


def topic_get(*, user, slug: str) -> Topic:
    """The topic by slug (raises Topic.DoesNotExist if absent or hidden from this user)."""
    return visible_topics(user=user).get(slug=slug)


def topic_lessons(*, user, topic: Topic) -> list[Lesson]:
    qs = topic.lessons.order_by("position", "id")
    if not getattr(user, "is_staff", False):
        qs = qs.filter(is_published=True)
    return list(qs.only("id", "topic_id", "slug", "title", "minutes", "position", "is_published"))


def lesson_get(*, user, topic_slug: str, lesson_slug: str) -> Lesson:
    return visible_lessons(user=user).get(topic__slug=topic_slug, slug=lesson_slug)


def search(*, user, query: str, limit: int = 30) -> tuple[list[Topic], list[Lesson]]:
    """Topics and lessons matching `query` by title, summary and body.

    PostgreSQL: full-text search with ranking (title weighs most). SQLite: a case-insensitive match.
    """
    query = " ".join(query.split())[:200]
    if not query:
        return [], []
    topics = visible_topics(user=user)
    lessons = visible_lessons(user=user).defer("body_html")
    if connection.vendor == "postgresql":
        search_query = SearchQuery(query, search_type="websearch", config="english")
        topic_vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector("summary", weight="B", config="english")
            + SearchVector("body_markdown", weight="C", config="english")
        )
        lesson_vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector("objectives", weight="B", config="english")
            + SearchVector("body_markdown", weight="C", config="english")
        )
        topics = (
            topics.annotate(rank=SearchRank(topic_vector, search_query))
            .filter(rank__gt=0.0)
            .order_by("-rank", "position")
        )
        lessons = (
            lessons.annotate(rank=SearchRank(lesson_vector, search_query))
            .filter(rank__gt=0.0)
            .order_by("-rank", "topic__position", "position")
        )
    else:
        topics = topics.filter(
            Q(title__icontains=query) | Q(summary__icontains=query) | Q(body_markdown__icontains=query)
        ).order_by("category__position", "position")
        lessons = lessons.filter(Q(title__icontains=query) | Q(body_markdown__icontains=query)).order_by(
            "topic__category__position", "topic__position", "position"
        )
    return list(topics[:limit]), list(lessons[:limit])
