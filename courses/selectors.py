"""Reads of the catalogue for pages and the API, with their joins and aggregates applied."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from courses import search as search_index
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


@dataclass
class SearchResults:
    """A page of lessons or of topics matching a query, and how many of each match in all."""

    query: str
    kind: str  # "lessons" or "topics": what `page` lists
    page: search_index.Page
    lesson_count: int
    topic_count: int
    topics_preview: list[search_index.Hit]  # the best topics, above the first page of lessons


def search(*, user, query: str, page: int | str = 1, kind: str = "lessons") -> SearchResults:
    """Lessons and topics matching every word of `query` in any order, ranked, 20 to a page."""
    query = search_index.clean_query(query)
    kind = "topics" if kind == "topics" else "lessons"
    empty = search_index.Page()
    if not query:
        return SearchResults(query, kind, empty, 0, 0, [])
    lessons = visible_lessons(user=user).defer("body_markdown", "body_html")
    topics = visible_topics(user=user).defer("body_markdown", "body_html")
    if kind == "topics":
        found = search_index.ranked(topics, search_index.TOPICS, query, page=page)
        lesson_count = search_index.ranked(lessons, search_index.LESSONS, query, page=1, size=0).count
        return SearchResults(query, kind, found, lesson_count, found.count, [])
    found = search_index.ranked(lessons, search_index.LESSONS, query, page=page)
    size = search_index.TOPIC_PREVIEW if found.number == 1 else 0
    preview = search_index.ranked(topics, search_index.TOPICS, query, page=1, size=size)
    return SearchResults(query, kind, found, found.count, preview.count, preview.hits)
