"""A lead's team endpoints (every lookup through progress.access), and a member's own assignments."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from courses import selectors as course_selectors
from progress import access
from progress.models import CellState
from progress.selectors import assessment as assessment_selectors
from progress.selectors import evidence as evidence_selectors
from progress.selectors import teams as team_selectors
from progress.services import teams as team_services
from progress.services.assessment import quiz_reset_grant
from quizzes.selectors import quiz_for_topic
from safety_academy.api_support import errors
from safety_academy.learner_pages import cached_for_learner


class TeamSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    member_count = serializers.IntegerField()


class CellSerializer(serializers.Serializer):
    topic = serializers.SlugField()
    due_on = serializers.DateField()
    status = serializers.ChoiceField(choices=CellState.choices)
    percent = serializers.IntegerField()
    completed_at = serializers.DateTimeField(allow_null=True)


class MemberProgressSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField()
    complete = serializers.IntegerField()
    overdue = serializers.IntegerField()
    last_active = serializers.DateTimeField(allow_null=True)
    last_reminded = serializers.DateField(allow_null=True)
    cells = CellSerializer(many=True)


_MOMENT, _DAY = serializers.DateTimeField(), serializers.DateField()


def _moment(value):
    return None if value is None else _MOMENT.to_representation(value)


def _day(value):
    return None if value is None else _DAY.to_representation(value)


def member_progress_data(assignments, rows) -> list[dict]:
    """MemberProgressSerializer's output, written directly: fifty members of ten cells through the serializer cost
    more than the rest of the request. tests/progress/teams/test_paging.py checks both give the same JSON."""
    slugs = [a.topic.slug for a in assignments]
    return [
        {
            "user_id": row.membership.user_id,
            "email": row.membership.user.email,
            "name": row.name,
            "complete": row.complete,
            "overdue": row.overdue,
            "last_active": _moment(row.last_active),
            "last_reminded": _day(row.last_reminded),
            "cells": [
                {
                    "topic": slug,
                    "due_on": _day(cell.due_on),
                    "status": str(cell.status),
                    "percent": cell.percent,
                    "completed_at": _moment(cell.completed_at),
                }
                for slug, cell in zip(slugs, row.cells, strict=True)
            ],
        }
        for row in rows
    ]


class AssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    team = serializers.SlugField(source="team.slug")
    topic = serializers.SlugField(source="topic.slug")
    due_on = serializers.DateField()
    lead_days = serializers.IntegerField(allow_null=True, help_text="Days a late joiner gets; null: the team's.")
    created_at = serializers.DateTimeField()


class AssignmentCreateSerializer(serializers.Serializer):
    """The request's shape; the rules (one target, a date not past) are the service's."""

    topic = serializers.SlugField(required=False)
    category = serializers.SlugField(required=False)
    due_on = serializers.DateField()
    lead_days = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=32767)

    def validate_topic(self, slug: str):
        topic = course_selectors.published_topic_by_slug(slug=slug)
        if topic is None:
            raise serializers.ValidationError("No published topic has this slug.")
        return topic

    def validate_category(self, slug: str):
        category = course_selectors.category_by_slug(slug=slug)
        if category is None:
            raise serializers.ValidationError("No category has this slug.")
        return category


class EvidenceSerializer(serializers.Serializer):
    member_email = serializers.EmailField()
    member_name = serializers.CharField()
    topic = serializers.SlugField(source="topic_slug")
    topic_title = serializers.CharField()
    state = serializers.ChoiceField(choices=CellState.choices)
    due_on = serializers.DateField(help_text="The member's own due date (later for someone who joined late).")
    completed_at = serializers.DateTimeField(allow_null=True)
    certificate_code = serializers.CharField(allow_null=True)
    certificate_status = serializers.CharField(allow_null=True)
    verification_url = serializers.CharField(allow_null=True)
    best_score = serializers.IntegerField(allow_null=True)
    attempts = serializers.IntegerField()
    quiz_resets = serializers.IntegerField(help_text="Fresh starts on the quiz a lead or staff granted.")
    content_version = serializers.DateTimeField(allow_null=True)


class CoverageSerializer(serializers.Serializer):
    title = serializers.CharField()
    rows = serializers.IntegerField()
    complete = serializers.IntegerField()
    overdue = serializers.IntegerField()
    percent_complete = serializers.IntegerField()
    percent_overdue = serializers.IntegerField()


class EvidenceCoverageSerializer(serializers.Serializer):
    generated_at = serializers.DateTimeField()
    period_from = serializers.DateField(allow_null=True)
    period_to = serializers.DateField(allow_null=True)
    member_count = serializers.IntegerField()
    team = CoverageSerializer(source="team_coverage")
    assignments = CoverageSerializer(many=True, source="coverage")


class EvidencePeriodSerializer(serializers.Serializer):
    """The period in the query string: `from` and `to`, both optional dates."""

    def get_fields(self):
        return {"from": serializers.DateField(required=False), "to": serializers.DateField(required=False)}

    def validate(self, attrs):
        evidence_selectors.check_period(start=attrs.get("from"), end=attrs.get("to"))
        return attrs


PERIOD_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="Rows due or completed on or after this date."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Rows due or completed on or before this date."),
]


def _evidence_report(request, team):
    period = EvidencePeriodSerializer(data=request.query_params)
    period.is_valid(raise_exception=True)
    return evidence_selectors.evidence_report(
        team=team, period_from=period.validated_data.get("from"), period_to=period.validated_data.get("to")
    )


class QuizResetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    member = serializers.EmailField(source="user.email")
    topic = serializers.SlugField(source="quiz.topic.slug")
    granted_at = serializers.DateTimeField()
    granted_by = serializers.EmailField(source="granted_by.email", allow_null=True)
    granted_as = serializers.CharField(help_text="Staff, or lead of which team.")
    reason = serializers.CharField()


class QuizResetCreateSerializer(serializers.Serializer):
    """The request's shape; the rules (something to reset, not oneself) are the service's."""

    topic = serializers.SlugField(help_text="The topic whose quiz the member gets a fresh start on.")
    reason = serializers.CharField(max_length=2000, help_text="Why; kept as training evidence.")

    def validate_topic(self, slug: str):
        topic = course_selectors.published_topic_by_slug(slug=slug)
        quiz = quiz_for_topic(topic_id=topic.pk) if topic else None
        if quiz is None:
            raise serializers.ValidationError("No published topic with a quiz has this slug.")
        return quiz


MEMBER_ID = OpenApiParameter("user_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The member's user id.")


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
        team.member_count = team_selectors.member_count(team=team)
        return team

    @cached_for_learner(team_kwarg="slug")
    @extend_schema(responses={200: MemberProgressSerializer(many=True), **errors(401, 403, 404)})
    @action(detail=True, methods=["get"], serializer_class=MemberProgressSerializer)
    def members(self, request, slug=None):
        team = access.team_for_lead(user=request.user, team_slug=slug)
        # The page is cut in the database (LIMIT/OFFSET, with one COUNT); only its members' progress is read.
        page = self.paginate_queryset(team_selectors.team_members(team=team))
        assignments, board_rows = team_selectors.team_member_rows(team=team, memberships=page)
        return self.get_paginated_response(member_progress_data(assignments, board_rows))

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
                lead_days=data.get("lead_days"),
            )
            return Response(AssignmentSerializer(created, many=True).data, status=201)
        return Response(AssignmentSerializer(team_selectors.team_assignments(team=team), many=True).data)

    @extend_schema(
        methods=["get"],
        parameters=[MEMBER_ID],
        responses={200: QuizResetSerializer(many=True), **errors(401, 403, 404)},
    )
    @extend_schema(
        methods=["post"],
        parameters=[MEMBER_ID],
        request=QuizResetCreateSerializer,
        responses={201: QuizResetSerializer, **errors(400, 401, 403, 404)},
        description="Grant a member a reset of their failures on a topic's quiz (a lead of this team, or staff): the "
        "cooldown and the attempt limit count again from now. Refused (400) when there is nothing to reset.",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path=r"members/(?P<user_id>[0-9]{1,18})/quiz-resets",
        serializer_class=QuizResetSerializer,
        pagination_class=None,
    )
    def member_quiz_resets(self, request, slug=None, user_id=None):
        team = access.team_for_lead(user=request.user, team_slug=slug)
        membership = access.member_of_team(team=team, user_id=int(user_id))
        if request.method == "POST":
            serializer = QuizResetCreateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            try:
                reset = quiz_reset_grant(
                    granted_by=request.user,
                    learner=membership.user,
                    quiz=serializer.validated_data["topic"],
                    reason=serializer.validated_data["reason"],
                    team=team,
                )
            except PermissionDenied:
                raise Http404("No such member in this team.") from None
            return Response(QuizResetSerializer(reset).data, status=201)
        resets = assessment_selectors.member_quiz_resets(user=membership.user)
        return Response(QuizResetSerializer(resets, many=True).data)

    @extend_schema(
        parameters=PERIOD_PARAMETERS, responses={200: EvidenceSerializer(many=True), **errors(400, 401, 403, 404)}
    )
    @action(detail=True, methods=["get"], serializer_class=EvidenceSerializer)
    def evidence(self, request, slug=None):
        """The training-evidence report's rows: every member x assigned topic (in the period, if one is given)."""
        team = access.team_for_lead(user=request.user, team_slug=slug)
        page = self.paginate_queryset(_evidence_report(request, team).rows)
        return self.get_paginated_response(EvidenceSerializer(page, many=True).data)

    @extend_schema(
        parameters=PERIOD_PARAMETERS, responses={200: EvidenceCoverageSerializer, **errors(400, 401, 403, 404)}
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="evidence/coverage",
        serializer_class=EvidenceCoverageSerializer,
        pagination_class=None,
    )
    def evidence_coverage(self, request, slug=None):
        """The report's coverage: percent complete and overdue per assigned topic and for the team."""
        team = access.team_for_lead(user=request.user, team_slug=slug)
        return Response(EvidenceCoverageSerializer(_evidence_report(request, team)).data)


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
                    "due_on": i.cell.due_on,
                    "status": i.cell.status,
                    "percent": i.cell.percent,
                }
                for i in items
            ]
        )
