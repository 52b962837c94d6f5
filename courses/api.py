"""Read-only catalogue endpoints: categories, topics and lessons (published only), and the frameworks
the track is mapped to with their items and mappings (public, like the catalogue)."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action

from courses import selectors
from courses.content_cache import content_cached
from courses.models import Category, Framework, FrameworkItem, FrameworkMapping, Lesson, Topic
from courses.selectors import visible_lessons, visible_topics
from safety_academy.api_support import errors
from safety_academy.learner_pages import cached_for_learner


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["slug", "title", "summary", "position"]


class TopicSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Topic
        fields = ["slug", "title", "summary", "category", "position", "url"]


class TopicDetailSerializer(TopicSerializer):
    class Meta(TopicSerializer.Meta):
        fields = [*TopicSerializer.Meta.fields, "body_html"]


class LessonSerializer(serializers.ModelSerializer):
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Lesson
        fields = ["id", "topic", "slug", "title", "minutes", "position", "objectives"]


class LessonDetailSerializer(LessonSerializer):
    class Meta(LessonSerializer.Meta):
        fields = [*LessonSerializer.Meta.fields, "body_html", "updated_at"]


@extend_schema_view(
    list=extend_schema(responses={200: CategorySerializer(many=True)}),
    retrieve=extend_schema(responses={200: CategorySerializer, **errors(404)}),
)
class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]
    serializer_class = CategorySerializer
    lookup_field = "slug"
    queryset = Category.objects.order_by("position")


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("category", str, description="A category slug")]),
    retrieve=extend_schema(responses={200: TopicDetailSerializer, **errors(404)}),
)
class TopicViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]
    lookup_field = "slug"

    def get_serializer_class(self):
        return TopicDetailSerializer if self.action == "retrieve" else TopicSerializer

    def get_queryset(self):
        qs = visible_topics(user=self.request.user).order_by("category__position", "position")
        if category := self.request.query_params.get("category"):
            qs = qs.filter(category__slug=category)
        return qs

    @cached_for_learner
    def list(self, request, *args, **kwargs):
        # The list is content only, the same for everyone who sees the same topics: serialised once per
        # content version, then filtered and paged in memory (a few hundred small rows at most).
        topics = content_cached(
            f"api:topics:{selectors.content_audience(request.user)}", lambda: _serialised_topics(user=request.user)
        )
        if category := request.query_params.get("category"):
            topics = [topic for topic in topics if topic["category"] == category]
        return self.get_paginated_response(self.paginate_queryset(topics))


def _serialised_topics(*, user) -> list[dict]:
    queryset = visible_topics(user=user).order_by("category__position", "position").defer("body_markdown", "body_html")
    return [dict(topic) for topic in TopicSerializer(queryset, many=True).data]


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("topic", str, description="A topic slug")]),
    retrieve=extend_schema(responses={200: LessonDetailSerializer, **errors(404)}),
)
class LessonViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]
    lookup_value_regex = r"[0-9]{1,18}"  # anything else is a 404 from the URL resolver, never a DB overflow

    def get_serializer_class(self):
        return LessonDetailSerializer if self.action == "retrieve" else LessonSerializer

    def get_queryset(self):
        qs = visible_lessons(user=self.request.user).order_by(
            "topic__category__position", "topic__position", "position"
        )
        if topic := self.request.query_params.get("topic"):
            qs = qs.filter(topic__slug=topic)
        if self.action == "list":
            qs = qs.defer("body_markdown", "body_html")
        return qs


class FrameworkSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    publisher_url = serializers.URLField(source="url", read_only=True)
    item_count = serializers.IntegerField(read_only=True, help_text="Items that can be mapped (groupings excluded).")
    covered_count = serializers.IntegerField(read_only=True, help_text="Of those, items published topics cover.")
    coverage_percent = serializers.SerializerMethodField()

    class Meta:
        model = Framework
        fields = [
            "key",
            "slug",
            "short_title",
            "title",
            "edition",
            "publisher",
            "publisher_url",
            "summary",
            "url",
            "item_count",
            "covered_count",
            "coverage_percent",
        ]

    def get_coverage_percent(self, framework) -> int:
        return round(100 * framework.covered_count / framework.item_count) if framework.item_count else 0


class CoveringTopicSerializer(serializers.Serializer):
    topic = serializers.SlugField()
    title = serializers.CharField()
    whole_topic = serializers.BooleanField(help_text="The topic as a whole maps the item.")
    lessons = serializers.ListField(child=serializers.SlugField(), help_text="Lessons that map the item.")


class FrameworkItemSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    mappable = serializers.BooleanField(source="is_mappable", read_only=True)
    covered_by = serializers.SerializerMethodField()

    class Meta:
        model = FrameworkItem
        fields = [
            "reference",
            "code",
            "label",
            "title",
            "kind",
            "parent",
            "description",
            "note",
            "mappable",
            "covered_by",
        ]

    @extend_schema_field(CoveringTopicSerializer(many=True))
    def get_covered_by(self, item) -> list[dict]:
        topics: dict[int, dict] = {}
        for mapping in item.published:
            entry = topics.setdefault(
                mapping.topic_id,
                {"topic": mapping.topic.slug, "title": mapping.topic.title, "whole_topic": False, "lessons": []},
            )
            if mapping.lesson_id is None:
                entry["whole_topic"] = True
            else:
                entry["lessons"].append(mapping.lesson.slug)
        return list(topics.values())


class FrameworkMappingSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="item.reference", read_only=True)
    framework = serializers.SlugField(source="item.framework.slug", read_only=True)
    item = serializers.CharField(source="item.code", read_only=True)
    label = serializers.CharField(source="item.label", read_only=True)
    topic = serializers.SlugField(source="topic.slug", read_only=True)
    lesson = serializers.SerializerMethodField()

    class Meta:
        model = FrameworkMapping
        fields = ["reference", "framework", "item", "label", "topic", "lesson"]

    def get_lesson(self, mapping) -> str | None:
        return mapping.lesson.slug if mapping.lesson_id else None


@extend_schema_view(
    list=extend_schema(responses={200: FrameworkSerializer(many=True)}),
    retrieve=extend_schema(responses={200: FrameworkSerializer, **errors(404)}),
)
class FrameworkViewSet(viewsets.ReadOnlyModelViewSet):
    """The frameworks the track is mapped to, with coverage: the share of their items published topics cover."""

    permission_classes = [permissions.AllowAny]
    serializer_class = FrameworkSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.frameworks_with_coverage()

    @extend_schema(responses={200: FrameworkItemSerializer(many=True), **errors(404)})
    @action(detail=True, methods=["get"], serializer_class=FrameworkItemSerializer)
    def items(self, request, slug=None):
        """A framework's items in order, each with the published topics and lessons covering it."""
        framework = selectors.framework_by_slug(slug=slug)
        if framework is None:
            raise Http404("No such framework.")
        page = self.paginate_queryset(selectors.framework_items(framework=framework))
        return self.get_paginated_response(FrameworkItemSerializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("framework", str, description="A framework slug"),
            OpenApiParameter("topic", str, description="A topic slug"),
        ]
    )
)
class FrameworkMappingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Which topic (or lesson) covers which framework item; published content only."""

    permission_classes = [permissions.AllowAny]
    serializer_class = FrameworkMappingSerializer

    def get_queryset(self):
        return selectors.framework_mappings(
            framework_slug=self.request.query_params.get("framework", ""),
            topic_slug=self.request.query_params.get("topic", ""),
        )
