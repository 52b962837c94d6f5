"""A learner's own endpoints: profile, enrolments, progress per topic, lesson completion."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.models import Lesson, Topic
from courses.selectors import visible_lessons, visible_topics
from progress.context_processors import forget_person_name
from progress.selectors import learning
from progress.services import learning as services
from quizzes.selectors import quiz_standings
from safety_academy.api_support import errors


class ProgressSummarySerializer(serializers.Serializer):
    lessons_completed = serializers.IntegerField()
    lessons_total = serializers.IntegerField()
    topics_completed = serializers.IntegerField()
    topics_total = serializers.IntegerField()
    topics_enrolled = serializers.IntegerField()


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField(read_only=True)
    full_name = serializers.CharField(max_length=200)
    progress = ProgressSummarySerializer(read_only=True)


class MeView(APIView):
    serializer_class = MeSerializer

    def _payload(self, user) -> dict:
        profile = learning.profile_for(user=user)
        return {
            "email": user.email,
            "full_name": profile.full_name if profile else "",
            "progress": learning.progress_summary(user=user),
        }

    @extend_schema(responses={200: MeSerializer, **errors(401, 403)})
    def get(self, request):
        return Response(MeSerializer(self._payload(request.user)).data)

    @extend_schema(request=MeSerializer, responses={200: MeSerializer, **errors(400, 401, 403)})
    def patch(self, request):
        serializer = MeSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "full_name" in serializer.validated_data:
            services.profile_update(user=request.user, full_name=serializer.validated_data["full_name"])
            forget_person_name(request._request)  # the page header shows it
        return Response(MeSerializer(self._payload(request.user)).data)


class EnrollmentSerializer(serializers.Serializer):
    topic = serializers.SlugField(source="topic.slug", read_only=True)
    enrolled_at = serializers.DateTimeField(read_only=True)


class EnrollmentCreateSerializer(serializers.Serializer):
    topic = serializers.SlugField(max_length=80)

    def validate_topic(self, slug: str) -> Topic:
        topic = visible_topics(user=self.context["request"].user).filter(slug=slug).first()
        if topic is None:
            raise serializers.ValidationError("No published topic has this slug.")
        return topic


@extend_schema_view(
    list=extend_schema(responses={200: EnrollmentSerializer(many=True), **errors(401, 403)}),
    create=extend_schema(
        request=EnrollmentCreateSerializer,
        responses={201: EnrollmentSerializer, 200: EnrollmentSerializer, **errors(400, 401, 403)},
    ),
    destroy=extend_schema(responses={204: None, **errors(401, 403, 404)}),
)
class EnrollmentViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    serializer_class = EnrollmentSerializer
    lookup_field = "topic__slug"
    lookup_url_kwarg = "topic"

    def get_queryset(self):
        return learning.enrollments_of(user=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = EnrollmentCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        enrollment, created = services.enrollment_create(user=request.user, topic=serializer.validated_data["topic"])
        return Response(EnrollmentSerializer(enrollment).data, status=201 if created else 200)

    def destroy(self, request, *args, **kwargs):
        enrollment = self.get_object()
        services.enrollment_delete(user=request.user, topic=enrollment.topic)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TopicProgressSerializer(serializers.Serializer):
    topic = serializers.SlugField()
    title = serializers.CharField()
    lessons_completed = serializers.IntegerField()
    lessons_total = serializers.IntegerField()
    percent = serializers.IntegerField()
    quiz_passed = serializers.BooleanField()
    quiz_best_score = serializers.IntegerField(allow_null=True)
    complete = serializers.BooleanField()


class TopicProgressViewSet(viewsets.GenericViewSet):
    """Progress per topic: every published topic, or one by slug."""

    serializer_class = TopicProgressSerializer
    lookup_field = "slug"
    lookup_url_kwarg = "topic"

    def get_queryset(self):
        return (
            visible_topics(user=self.request.user).filter(is_published=True).order_by("category__position", "position")
        )

    def _rows(self, topics):
        ids = [t.pk for t in topics]
        progress = learning.topic_progress_map(user=self.request.user, topic_ids=ids)
        standings = quiz_standings(user=self.request.user, topic_ids=ids)
        completed = learning.completed_topic_ids(user=self.request.user)
        rows = []
        for topic in topics:
            p = progress.get(topic.pk, learning.Progress(0, 0))
            standing = standings.get(topic.pk)
            rows.append(
                {
                    "topic": topic.slug,
                    "title": topic.title,
                    "lessons_completed": p.done,
                    "lessons_total": p.total,
                    "percent": p.percent,
                    "quiz_passed": bool(standing and standing.passed),
                    "quiz_best_score": standing.best_score if standing else None,
                    "complete": topic.pk in completed,
                }
            )
        return rows

    @extend_schema(responses={200: TopicProgressSerializer(many=True), **errors(401, 403)})
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset().select_related(None).only("id", "slug", "title"))
        return self.get_paginated_response(self._rows(page))

    @extend_schema(responses={200: TopicProgressSerializer, **errors(401, 403, 404)})
    def retrieve(self, request, topic=None):
        return Response(self._rows([self.get_object()])[0])


class LessonCompletionSerializer(serializers.Serializer):
    lesson = serializers.IntegerField()
    completed = serializers.BooleanField()
    completed_at = serializers.DateTimeField(allow_null=True)
    topic_complete = serializers.BooleanField()


class LessonCompletionView(APIView):
    """Mark a lesson complete (idempotent POST) or undo it (DELETE)."""

    serializer_class = LessonCompletionSerializer

    def _lesson(self, request, lesson_id: int) -> Lesson:
        lesson = visible_lessons(user=request.user).filter(pk=lesson_id).first()
        if lesson is None:
            raise Http404("No such lesson.")
        return lesson

    def _payload(self, request, lesson: Lesson) -> dict:
        row = learning.lesson_progress_of(user=request.user, lesson=lesson)
        return {
            "lesson": lesson.pk,
            "completed": bool(row and row.completed_at),
            "completed_at": row.completed_at if row else None,
            "topic_complete": lesson.topic_id in learning.completed_topic_ids(user=request.user),
        }

    @extend_schema(request=None, responses={200: LessonCompletionSerializer, **errors(401, 403, 404)})
    def post(self, request, lesson_id: int):
        lesson = self._lesson(request, lesson_id)
        services.lesson_complete(user=request.user, lesson=lesson)
        return Response(self._payload(request, lesson))

    @extend_schema(responses={200: LessonCompletionSerializer, **errors(401, 403, 404)})
    def delete(self, request, lesson_id: int):
        lesson = self._lesson(request, lesson_id)
        services.lesson_uncomplete(user=request.user, lesson=lesson)
        return Response(self._payload(request, lesson))
