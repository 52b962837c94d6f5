"""Reads of the catalogue for pages and the API, with their joins and aggregates applied."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from courses import search as search_index
from courses.content_cache import content_cached
from courses.models import Category, Framework, FrameworkItem, FrameworkMapping, Lesson, Topic, Track


def sees_drafts(user) -> bool:
    """Staff see unpublished topics and lessons (previews); everyone else sees the same published content."""
    return bool(getattr(user, "is_staff", False))


def content_audience(user) -> str:
    """Whose view of the content a cached read is for: staff also see hidden topics, lessons and quizzes
    (never who asked)."""
    return "staff" if sees_drafts(user) else "everyone"


def visible_topics(*, user) -> QuerySet[Topic]:
    qs = Topic.objects.select_related("category")
    return qs if sees_drafts(user) else qs.filter(is_published=True)


def visible_lessons(*, user) -> QuerySet[Lesson]:
    qs = Lesson.objects.select_related("topic", "topic__category")
    if sees_drafts(user):
        return qs
    return qs.filter(is_published=True, topic__is_published=True)


def track_get() -> Track | None:
    return Track.objects.first()


def track_for_pages() -> Track | None:
    """The track as pages show it, from the cache while the content is unchanged (courses.content_cache)."""
    return content_cached("track", track_get)


def published_topic_by_slug(*, slug: str) -> Topic | None:
    return Topic.objects.filter(slug=slug, is_published=True).first()


def category_by_slug(*, slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first()


def catalogue_categories(*, user) -> list[Category]:
    """Categories with their visible topics, each topic annotated with its published lesson count and minutes.
    What everyone but staff sees is the same for all: it is read from the cache while the content is unchanged."""
    if sees_drafts(user):
        return _catalogue_categories(user=user)
    return content_cached("catalogue", lambda: _catalogue_categories(user=None))


def catalogue_outline(*, user) -> list[tuple[int, str, list[tuple[int, str, int]]]]:
    """The catalogue as plain values, (category id, title, [(topic id, title, published lessons)]), for pages
    that only name things: cheaper to take from the cache than the model instances."""

    def outline():
        return [
            (category.pk, category.title, [(t.pk, t.title, t.lesson_count) for t in category.topics.all()])
            for category in catalogue_categories(user=user)
        ]

    return content_cached(f"catalogue-outline:{content_audience(user)}", outline)


def _catalogue_categories(*, user) -> list[Category]:
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
    """The topic by slug with its category (raises Topic.DoesNotExist if absent or hidden from this user); from
    the cache while the content is unchanged."""
    found = content_cached(
        f"topic:{slug}:{content_audience(user)}", lambda: visible_topics(user=user).filter(slug=slug).first()
    )
    if found is None:
        raise Topic.DoesNotExist(f"No topic {slug} for this user.")
    return found


def topic_lessons(*, user, topic: Topic) -> list[Lesson]:
    """The topic's lessons in order, as this user may see them (from the cache while the content is unchanged)."""

    def read() -> list[Lesson]:
        qs = topic.lessons.order_by("position", "id")
        if not sees_drafts(user):
            qs = qs.filter(is_published=True)
        return list(qs.only("id", "topic_id", "slug", "title", "minutes", "position", "is_published"))

    return content_cached(f"topic-lessons:{topic.pk}:{content_audience(user)}", read)


def lesson_get(*, user, topic_slug: str, lesson_slug: str) -> Lesson:
    """The lesson with its topic and category (raises Lesson.DoesNotExist if absent or hidden from this user);
    from the cache while the content is unchanged. Slugs are bounded by their URL pattern."""
    found = content_cached(
        f"lesson:{topic_slug}:{lesson_slug}:{content_audience(user)}",
        lambda: visible_lessons(user=user).filter(topic__slug=topic_slug, slug=lesson_slug).first(),
    )
    if found is None:
        raise Lesson.DoesNotExist(f"No lesson {lesson_slug} in {topic_slug} for this user.")
    return found


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
    kind = search_index.result_kind(kind)
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


SEARCH_CACHE_SECONDS = 3600  # one entry per distinct query: they expire sooner than the catalogue's


def search_cache_name(*, user, query: str, page: int | str = 1, kind: str = "lessons") -> str:
    """The content cache's name for one page of `search` results: everything they depend on besides the
    content (the normalised query, page and kind, and whether drafts are visible), never who asks. Hashed,
    since the query is user input: the key's length is bounded and none of its characters reach the cache."""
    asked = (search_index.clean_query(query), str(search_index.requested_page(page)), search_index.result_kind(kind))
    return f"search:{content_audience(user)}:{hashlib.sha256(chr(0).join(asked).encode()).hexdigest()}"


# Bodies of topics and lessons are never needed when listing what covers what.
UNUSED_BODIES = ("topic__body_markdown", "topic__body_html", "lesson__body_markdown", "lesson__body_html")

# Frameworks: a mapping counts only where learners can see it (a published topic, and a published lesson
# when the mapping is a lesson's), so coverage is the same for everyone and never claims hidden content.
PUBLISHED_MAPPING = Q(topic__is_published=True) & (Q(lesson__isnull=True) | Q(lesson__is_published=True))


def published_mappings() -> QuerySet[FrameworkMapping]:
    return FrameworkMapping.objects.filter(PUBLISHED_MAPPING)


@dataclass
class Coverer:
    """A topic that covers an item: as a whole, or through the lessons listed."""

    topic: Topic
    lessons: list[Lesson] = field(default_factory=list)
    whole_topic: bool = False


@dataclass
class ItemCoverage:
    item: FrameworkItem
    depth: int
    coverers: list[Coverer] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return bool(self.coverers)

    @property
    def heading(self) -> int:
        """Its heading level on a framework's page, under the page's h1: groups nest, items sit below them."""
        return min(self.depth + 2, 6)


@dataclass
class FrameworkCoverage:
    framework: Framework
    items: list[ItemCoverage]

    @property
    def mappable(self) -> list[ItemCoverage]:
        return [entry for entry in self.items if entry.item.is_mappable]

    @property
    def total(self) -> int:
        return len(self.mappable)

    @property
    def covered(self) -> int:
        return sum(entry.covered for entry in self.mappable)

    @property
    def percent(self) -> int:
        return round(100 * self.covered / self.total) if self.total else 0

    @property
    def topic_count(self) -> int:
        return len({c.topic.pk for entry in self.items for c in entry.coverers})


def framework_coverages(*, slug: str | None = None) -> list[FrameworkCoverage]:
    """Every framework (or the one with `slug`) with its items in order and the published topics and
    lessons covering each; three queries however many items and mappings there are."""
    frameworks = list(Framework.objects.filter(slug=slug) if slug is not None else Framework.objects.all())
    if not frameworks:
        return []
    ids = [framework.pk for framework in frameworks]
    items = list(FrameworkItem.objects.filter(framework_id__in=ids).order_by("position"))
    mappings = (
        published_mappings()
        .filter(item__framework_id__in=ids)
        .select_related("topic", "lesson")
        .defer(*UNUSED_BODIES)
        .order_by("topic__category__position", "topic__position", "lesson__position")
    )
    coverers: dict[int, dict[int, Coverer]] = {}
    for mapping in mappings:
        coverer = coverers.setdefault(mapping.item_id, {}).setdefault(mapping.topic_id, Coverer(mapping.topic))
        if mapping.lesson_id is None:
            coverer.whole_topic = True
        else:
            coverer.lessons.append(mapping.lesson)
    depth: dict[int, int] = {}
    by_framework: dict[int, list[ItemCoverage]] = {pk: [] for pk in ids}
    frameworks_by_id = {framework.pk: framework for framework in frameworks}
    for item in items:
        item.framework = frameworks_by_id[item.framework_id]  # already loaded: item.reference costs no query
        depth[item.pk] = depth[item.parent_id] + 1 if item.parent_id else 0
        entry = ItemCoverage(item, depth[item.pk], list(coverers.get(item.pk, {}).values()))
        by_framework[item.framework_id].append(entry)
    return [FrameworkCoverage(framework, by_framework[framework.pk]) for framework in frameworks]


def topic_framework_items(*, topic: Topic) -> list[tuple[Framework, list[tuple[FrameworkItem, list[Lesson]]]]]:
    """The items a topic covers, by framework: each with the lessons that map it (empty: the whole topic)."""
    mappings = (
        FrameworkMapping.objects.filter(topic=topic)
        .filter(Q(lesson__isnull=True) | Q(lesson__is_published=True))
        .select_related("item__framework", "lesson")
        .defer("lesson__body_markdown", "lesson__body_html")
        .order_by("item__framework__position", "item__position", "lesson__position")
    )
    grouped: dict[int, tuple[Framework, dict[int, tuple[FrameworkItem, list[Lesson]]]]] = {}
    for mapping in mappings:
        framework = mapping.item.framework
        _, items = grouped.setdefault(framework.pk, (framework, {}))
        _, lessons = items.setdefault(mapping.item_id, (mapping.item, []))
        if mapping.lesson_id is not None:
            lessons.append(mapping.lesson)
    return [(framework, list(items.values())) for framework, items in grouped.values()]


def frameworks_with_coverage() -> QuerySet[Framework]:
    """Frameworks annotated with their mappable item count and how many of those published content covers."""
    mappable = Q(items__is_mappable=True)
    covered = (
        mappable
        & Q(items__mappings__topic__is_published=True)
        & (Q(items__mappings__lesson__isnull=True) | Q(items__mappings__lesson__is_published=True))
    )
    return Framework.objects.annotate(
        item_count=Count("items", filter=mappable, distinct=True),
        covered_count=Count("items", filter=covered, distinct=True),
    ).order_by("position", "key")


def framework_by_slug(*, slug: str) -> Framework | None:
    return Framework.objects.filter(slug=slug).first()


def framework_items(*, framework: Framework) -> QuerySet[FrameworkItem]:
    """A framework's items in order, each with its published mappings (topic and lesson) prefetched."""
    return (
        framework.items.select_related("parent", "framework")
        .prefetch_related(
            Prefetch(
                "mappings",
                queryset=published_mappings()
                .select_related("topic", "lesson")
                .defer(*UNUSED_BODIES)
                .order_by("topic__category__position", "topic__position", "lesson__position"),
                to_attr="published",
            )
        )
        .order_by("position")
    )


def framework_mappings(*, framework_slug: str = "", topic_slug: str = "") -> QuerySet[FrameworkMapping]:
    qs = published_mappings().select_related("item__framework", "topic", "lesson").defer(*UNUSED_BODIES)
    if framework_slug:
        qs = qs.filter(item__framework__slug=framework_slug)
    if topic_slug:
        qs = qs.filter(topic__slug=topic_slug)
    return qs.order_by("item__framework__position", "item__position", "topic__category__position", "topic__position")


def topic_framework_labels() -> tuple[list[Framework], dict[int, dict[int, list[str]]]]:
    """The frameworks, and for each topic the labels of the items it covers per framework (topic or lesson
    mappings alike), for exports; two queries."""
    frameworks = list(Framework.objects.order_by("position", "key"))
    labels: dict[int, dict[int, list[str]]] = {}
    rows = (
        published_mappings()
        .order_by("item__framework__position", "item__position")
        .values_list("topic_id", "item__framework_id", "item__label")
    )
    for topic_id, framework_id, label in rows:
        found = labels.setdefault(topic_id, {}).setdefault(framework_id, [])
        if label not in found:
            found.append(label)
    return frameworks, labels
