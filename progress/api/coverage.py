"""A team's framework coverage for its lead (every lookup through progress.access)."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from progress import access
from progress.selectors.coverage import CoverageState, team_framework_coverage
from safety_academy.api_support import errors


class CoverageAssignmentSerializer(serializers.Serializer):
    topic = serializers.SlugField(source="topic.slug")
    due_on = serializers.DateField()


class CoverageItemSerializer(serializers.Serializer):
    reference = serializers.CharField(source="item.reference")
    label = serializers.CharField(source="item.label")
    title = serializers.CharField(source="item.title")
    state = serializers.ChoiceField(choices=CoverageState.choices)
    assignments = CoverageAssignmentSerializer(many=True, help_text="The team's assignments whose topic covers it.")
    members_done = serializers.IntegerField(help_text="Members who completed at least one of those topics.")


class CoverageFrameworkSerializer(serializers.Serializer):
    framework = serializers.SlugField(source="framework.slug")
    key = serializers.CharField(source="framework.key")
    short_title = serializers.CharField(source="framework.short_title")
    total = serializers.IntegerField(help_text="Items that can be mapped (groupings excluded).")
    complete = serializers.IntegerField(source="counts.complete")
    open = serializers.IntegerField(source="counts.open")
    none = serializers.IntegerField(source="counts.none")
    items = serializers.SerializerMethodField()

    @extend_schema_field(CoverageItemSerializer(many=True))
    def get_items(self, coverage) -> list[dict]:
        return CoverageItemSerializer([row for row in coverage.items if row.state], many=True).data


class TeamCoverageSerializer(serializers.Serializer):
    team = serializers.SlugField(source="team.slug")
    member_count = serializers.IntegerField()
    assignment_count = serializers.IntegerField()
    complete_assignments = serializers.IntegerField(help_text="Assignments every member has completed.")
    frameworks = CoverageFrameworkSerializer(many=True)


class TeamCoverageView(APIView):
    """Per framework, the items the team's assignments cover: completed by every member, open, or not at all."""

    serializer_class = TeamCoverageSerializer

    @extend_schema(responses={200: TeamCoverageSerializer, **errors(401, 403, 404)})
    def get(self, request, team_slug: str):
        team = access.team_for_lead(user=request.user, team_slug=team_slug)
        return Response(TeamCoverageSerializer(team_framework_coverage(team=team)).data)
