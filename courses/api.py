"""Read-only catalogue endpoints: categories, topics and lessons (published only)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets

from courses.models import Category, Lesson, Topic
from courses.selectors import visible_lessons, visible_topics
from safety_academy.api_support import errors


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
        if self.action == "list":
            qs = qs.defer("body_markdown", "body_html")
        return qs


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
