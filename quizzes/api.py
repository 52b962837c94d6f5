"""Quiz endpoints: start an attempt (questions without answers), submit it, list and read attempts.

Nothing here serialises `is_correct` or an explanation for an attempt that is not submitted.
"""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.selectors import visible_topics
from progress.services.assessment import quiz_attempt_submit
from quizzes import selectors, services
from quizzes.models import Attempt
from safety_academy.api_support import errors


class ChoiceOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()


class QuestionOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    kind = serializers.CharField()
    prompt_html = serializers.CharField()
    choices = ChoiceOutSerializer(many=True)


class ChoiceResultSerializer(ChoiceOutSerializer):
    chosen = serializers.BooleanField()
    is_correct = serializers.BooleanField()


class QuestionResultSerializer(QuestionOutSerializer):
    choices = ChoiceResultSerializer(many=True)
    answered_correctly = serializers.BooleanField()
    explanation_html = serializers.CharField()
    lesson_title = serializers.CharField(allow_null=True)
    lesson_url = serializers.CharField(allow_null=True)


class AttemptSerializer(serializers.ModelSerializer):
    topic = serializers.SlugRelatedField(source="quiz.topic", slug_field="slug", read_only=True)

    class Meta:
        model = Attempt
        fields = ["id", "topic", "started_at", "submitted_at", "pass_percent", "score_percent", "passed"]


class AttemptInProgressSerializer(AttemptSerializer):
    """An attempt being taken: its questions and choices in the order shown, nothing about answers."""

    questions = QuestionOutSerializer(many=True)

    class Meta(AttemptSerializer.Meta):
        fields = [*AttemptSerializer.Meta.fields, "questions"]


class AttemptResultSerializer(AttemptSerializer):
    """A submitted attempt: what was chosen, what was right, and why."""

    questions = QuestionResultSerializer(many=True)
    correct_count = serializers.IntegerField()

    class Meta(AttemptSerializer.Meta):
        fields = [*AttemptSerializer.Meta.fields, "correct_count", "questions"]


def attempt_payload(attempt: Attempt) -> dict:
    """The right serializer for the attempt's state: answers and explanations only once submitted."""
    attempt.questions = selectors.attempt_questions(attempt=attempt)
    serializer = AttemptResultSerializer if attempt.submitted_at else AttemptInProgressSerializer
    return serializer(attempt).data


class AnswerInSerializer(serializers.Serializer):
    question = serializers.IntegerField(min_value=1, max_value=2**53)
    choices = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**53), allow_empty=False, max_length=10
    )


class SubmitSerializer(serializers.Serializer):
    answers = AnswerInSerializer(many=True, allow_empty=False, max_length=200)

    def validate_answers(self, items):
        seen = set()
        for item in items:
            if item["question"] in seen:
                raise serializers.ValidationError(f"Question {item['question']} is answered twice.")
            seen.add(item["question"])
        return items


class AttemptStartView(APIView):
    """Start an attempt at a topic's quiz, or resume the one in progress."""

    serializer_class = AttemptInProgressSerializer

    @extend_schema(
        request=None,
        responses={201: AttemptInProgressSerializer, 200: AttemptInProgressSerializer, **errors(400, 401, 403, 404)},
    )
    def post(self, request, topic: str):
        topic_obj = visible_topics(user=request.user).filter(slug=topic).first()
        quiz = selectors.quiz_for_topic(topic_id=topic_obj.pk, user=request.user) if topic_obj else None
        if quiz is None:
            raise Http404("This topic has no quiz.")
        resumed = Attempt.objects.filter(user=request.user, quiz=quiz, submitted_at__isnull=True).exists()
        try:
            attempt = services.quiz_attempt_start(user=request.user, quiz=quiz)
        except services.AttemptRefused as exc:
            raise serializers.ValidationError({"non_field_errors": [str(exc)]}) from exc
        attempt = selectors.attempt_get(user=request.user, attempt_id=attempt.pk)
        return Response(attempt_payload(attempt), status=200 if resumed else 201)


@extend_schema_view(
    list=extend_schema(responses={200: AttemptSerializer(many=True), **errors(401, 403)}),
    retrieve=extend_schema(
        responses={200: AttemptResultSerializer, **errors(401, 403, 404)},
        description="A submitted attempt with answers and explanations; an attempt in progress with its "
        "questions only (the same shape as starting one).",
    ),
)
class AttemptViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own attempts; anyone else's is a 404."""

    serializer_class = AttemptSerializer
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return Attempt.objects.filter(user=self.request.user).select_related("quiz__topic").order_by("-started_at")

    def retrieve(self, request, pk=None):
        return Response(attempt_payload(self.get_object()))

    @extend_schema(request=SubmitSerializer, responses={200: AttemptResultSerializer, **errors(400, 401, 403, 404)})
    @action(detail=True, methods=["post"], serializer_class=SubmitSerializer)
    def submit(self, request, pk=None):
        attempt = self.get_object()
        if attempt.submitted_at is None:
            serializer = SubmitSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            answers = {item["question"]: item["choices"] for item in serializer.validated_data["answers"]}
            field_errors = selectors.attempt_answers_errors(attempt=attempt, answers=answers)
            if field_errors:
                raise serializers.ValidationError(field_errors)
            quiz_attempt_submit(attempt_id=attempt.pk, user=request.user, answers=answers)
        # Submitting a graded attempt again returns the stored result; what is sent is ignored.
        attempt = selectors.attempt_get(user=request.user, attempt_id=attempt.pk)
        return Response(attempt_payload(attempt))
