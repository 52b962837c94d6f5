"""A learner's endpoints (profile, enrolments, progress, lesson completion, certificates),
a lead's team endpoints, and public certificate verification."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.models import Category, Lesson, Topic
from courses.selectors import visible_lessons, visible_topics
from progress import access
from progress.models import Assignment, Certificate, Enrollment, LessonProgress, Team, TeamMembership
from progress.selectors import certificates as certificate_selectors
from progress.selectors import learning
from progress.selectors import teams as team_selectors
from progress.services import learning as services
from progress.services import teams as team_services
from quizzes.selectors import quiz_standings
from safety_academy.api_support import errors


# --- me ----------------------------------------------------------------------------------
class ProgressSummarySerializer(serializers.Serializer):
    lessons_completed = serializers.IntegerField()
    lessons_total = serializers.IntegerField()
    topics_completed = serializers.IntegerField()
    topics_total = serializers.IntegerField()
    topics_enrolled = serializers.IntegerField()


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField(read_only=True)
    full_name = serializers.CharField(max_length=200, allow_blank=False)
    progress = ProgressSummarySerializer(read_only=True)

    def validate_full_name(self, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise serializers.ValidationError("Enter your name.")
        return value


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
        return Response(MeSerializer(self._payload(request.user)).data)


# --- enrolments ----------------------------------------------------------------------------
class EnrollmentSerializer(serializers.ModelSerializer):
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Enrollment
        fields = ["topic", "enrolled_at"]


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
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Enrollment.objects.none()
        return Enrollment.objects.filter(user=self.request.user).select_related("topic").order_by("-enrolled_at")

    def create(self, request, *args, **kwargs):
        serializer = EnrollmentCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        enrollment, created = services.enrollment_create(user=request.user, topic=serializer.validated_data["topic"])
        return Response(EnrollmentSerializer(enrollment).data, status=201 if created else 200)

    def destroy(self, request, *args, **kwargs):
        enrollment = self.get_object()
        services.enrollment_delete(user=request.user, topic=enrollment.topic)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- progress ----------------------------------------------------------------------------
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
        row = LessonProgress.objects.filter(user=request.user, lesson=lesson).first()
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


# --- certificates --------------------------------------------------------------------------
class CertificateSerializer(serializers.ModelSerializer):
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    verification_url = serializers.CharField(read_only=True)
    pdf_url = serializers.SerializerMethodField()
    credential_url = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "code",
            "topic",
            "title",
            "holder_name",
            "status",
            "issued_at",
            "revoked_at",
            "revoked_reason",
            "verification_url",
            "pdf_url",
            "credential_url",
        ]

    def get_pdf_url(self, obj) -> str | None:
        return f"{obj.verification_url}pdf/" if obj.pdf else None

    def get_credential_url(self, obj) -> str | None:
        return f"{obj.verification_url}credential/" if obj.credential else None


class PublicCertificateSerializer(CertificateSerializer):
    class Meta(CertificateSerializer.Meta):
        fields = [
            "code",
            "title",
            "holder_name",
            "status",
            "issued_at",
            "revoked_at",
            "verification_url",
            "pdf_url",
            "credential_url",
        ]


@extend_schema_view(
    list=extend_schema(responses={200: CertificateSerializer(many=True), **errors(401, 403)}),
    retrieve=extend_schema(responses={200: CertificateSerializer, **errors(401, 403, 404)}),
)
class CertificateViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CertificateSerializer
    lookup_field = "code"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Certificate.objects.none()
        return certificate_selectors.certificates_of(user=self.request.user)


class CertificateVerifyView(APIView):
    """Public verification of a certificate by its code."""

    permission_classes = [permissions.AllowAny]
    serializer_class = PublicCertificateSerializer

    @extend_schema(responses={200: PublicCertificateSerializer, **errors(404)})
    def get(self, request, code: str):
        try:
            certificate = certificate_selectors.certificate_public(code=code)
        except Certificate.DoesNotExist:
            raise Http404("No certificate has this code.") from None
        return Response(PublicCertificateSerializer(certificate).data)


# --- teams ---------------------------------------------------------------------------------
class TeamSerializer(serializers.ModelSerializer):
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Team
        fields = ["slug", "name", "member_count"]


class CellSerializer(serializers.Serializer):
    topic = serializers.SlugField()
    due_on = serializers.DateField()
    status = serializers.ChoiceField(choices=list(team_selectors.CellStatus.LABELS))
    percent = serializers.IntegerField()
    completed_at = serializers.DateTimeField(allow_null=True)


class MemberProgressSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField()
    complete = serializers.IntegerField()
    overdue = serializers.IntegerField()
    cells = CellSerializer(many=True)


class AssignmentSerializer(serializers.ModelSerializer):
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    team = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "team", "topic", "due_on", "created_at"]


class AssignmentCreateSerializer(serializers.Serializer):
    topic = serializers.SlugField(required=False)
    category = serializers.SlugField(required=False)
    due_on = serializers.DateField()

    def validate(self, data):
        if bool(data.get("topic")) == bool(data.get("category")):
            raise serializers.ValidationError({"topic": ["Give a topic or a category, not both."]})
        if data["due_on"] < timezone.localdate():
            raise serializers.ValidationError({"due_on": ["The due date is in the past."]})
        if data.get("topic"):
            topic = Topic.objects.filter(slug=data["topic"], is_published=True).first()
            if topic is None:
                raise serializers.ValidationError({"topic": ["No published topic has this slug."]})
            data["topic"] = topic
        else:
            category = Category.objects.filter(slug=data["category"]).first()
            if category is None:
                raise serializers.ValidationError({"category": ["No category has this slug."]})
            data["category"] = category
        return data


class EvidenceSerializer(serializers.Serializer):
    member_email = serializers.EmailField()
    member_name = serializers.CharField()
    topic_title = serializers.CharField()
    completed_at = serializers.DateTimeField()
    best_score = serializers.IntegerField(allow_null=True)
    certificate_code = serializers.CharField(allow_null=True)
    verification_url = serializers.CharField(allow_null=True)
    content_version = serializers.DateTimeField()


@extend_schema_view(
    list=extend_schema(responses={200: TeamSerializer(many=True), **errors(401, 403)}),
    retrieve=extend_schema(responses={200: TeamSerializer, **errors(401, 403, 404)}),
)
class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    """Teams the caller leads (staff: all). Every team lookup goes through progress.access."""

    serializer_class = TeamSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return team_selectors.teams_led_by(user=self.request.user)

    def get_object(self):
        team = access.team_for_lead(user=self.request.user, team_slug=self.kwargs["slug"])
        team.member_count = TeamMembership.objects.filter(team=team, role=TeamMembership.Role.MEMBER).count()
        return team

    @extend_schema(responses={200: MemberProgressSerializer(many=True), **errors(401, 403, 404)})
    @action(detail=True, methods=["get"], serializer_class=MemberProgressSerializer)
    def members(self, request, slug=None):
        team = access.team_for_lead(user=request.user, team_slug=slug)
        board = team_selectors.team_dashboard(team=team)
        rows = [
            {
                "user_id": row.membership.user_id,
                "email": row.membership.user.email,
                "name": row.name,
                "complete": row.complete,
                "overdue": row.overdue,
                "cells": [
                    {
                        "topic": a.topic.slug,
                        "due_on": a.due_on,
                        "status": c.status,
                        "percent": c.percent,
                        "completed_at": c.completed_at,
                    }
                    for a, c in zip(board.assignments, row.cells, strict=True)
                ],
            }
            for row in board.rows
        ]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(MemberProgressSerializer(page, many=True).data)

    @extend_schema(methods=["get"], responses={200: AssignmentSerializer(many=True), **errors(401, 403, 404)})
    @extend_schema(
        methods=["post"],
        request=AssignmentCreateSerializer,
        responses={201: AssignmentSerializer(many=True), **errors(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"], serializer_class=AssignmentSerializer, pagination_class=None)
    def assignments(self, request, slug=None):
        team = access.team_for_lead(user=request.user, team_slug=slug)
        if request.method == "POST":
            serializer = AssignmentCreateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            created = team_services.assignment_create(
                team=team,
                due_on=data["due_on"],
                assigned_by=request.user,
                topic=data.get("topic"),
                category=data.get("category"),
            )
            return Response(AssignmentSerializer(created, many=True).data, status=201)
        qs = team.assignments.select_related("topic", "team").order_by("due_on")
        return Response(AssignmentSerializer(qs, many=True).data)

    @extend_schema(responses={200: EvidenceSerializer(many=True), **errors(401, 403, 404)})
    @action(detail=True, methods=["get"], serializer_class=EvidenceSerializer)
    def evidence(self, request, slug=None):
        team = access.team_for_lead(user=request.user, team_slug=slug)
        page = self.paginate_queryset(list(team_selectors.evidence_rows(team=team)))
        return self.get_paginated_response(EvidenceSerializer(page, many=True).data)


class MyAssignmentSerializer(serializers.Serializer):
    team = serializers.CharField()
    topic = serializers.SlugField()
    title = serializers.CharField()
    due_on = serializers.DateField()
    status = serializers.CharField()
    percent = serializers.IntegerField()


class MyAssignmentsView(APIView):
    serializer_class = MyAssignmentSerializer

    @extend_schema(responses={200: MyAssignmentSerializer(many=True), **errors(401, 403)})
    def get(self, request):
        items = team_selectors.assignments_for_member(user=request.user)
        return Response(
            [
                {
                    "team": i.assignment.team.slug,
                    "topic": i.assignment.topic.slug,
                    "title": i.assignment.topic.title,
                    "due_on": i.assignment.due_on,
                    "status": i.cell.status,
                    "percent": i.cell.percent,
                }
                for i in items
            ]
        )
