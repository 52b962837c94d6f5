"""Quiz endpoints: a learner's status on a quiz, start an attempt (questions without answers), submit it,
list and read attempts.

Choices are identified by tokens scoped to the attempt, never by database ids. Nothing here
serialises which choice is correct, or an explanation, before the review is open (after a pass, or
once no attempt is left); a failed attempt shows its verdicts and the lessons to revisit.
"""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.selectors import visible_topics
from progress.selectors.assessment import QUIZ_RULE, quiz_allowance_for, quiz_prerequisites
from progress.services.assessment import quiz_attempt_begin, quiz_attempt_submit
from quizzes import selectors
from quizzes.models import Attempt
from safety_academy.api_support import errors

CHOICE_ID_HELP = "The choice's token: random, and valid only within this attempt."


class ChoiceOutSerializer(serializers.Serializer):
    id = serializers.CharField(help_text=CHOICE_ID_HELP)
    text = serializers.CharField()


class QuestionOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    kind = serializers.CharField()
    prompt_html = serializers.CharField()
    choices = ChoiceOutSerializer(many=True)


class ChoiceResultSerializer(ChoiceOutSerializer):
    chosen = serializers.BooleanField()
    is_correct = serializers.BooleanField(allow_null=True, help_text="Null until the review is open.")


class QuestionResultSerializer(QuestionOutSerializer):
    choices = ChoiceResultSerializer(many=True)
    answered_correctly = serializers.BooleanField()
    explanation_html = serializers.CharField(allow_null=True, help_text="Null until the review is open.")
    lesson_title = serializers.CharField(allow_null=True, help_text="The lesson this question checks.")
    lesson_url = serializers.CharField(allow_null=True)


class AttemptSerializer(serializers.ModelSerializer):
    topic = serializers.SlugRelatedField(source="quiz.topic", slug_field="slug", read_only=True)

    class Meta:
        model = Attempt
        fields = ["id", "topic", "started_at", "submitted_at", "pass_percent", "score_percent", "passed"]


class AttemptInProgressSerializer(AttemptSerializer):
    """An attempt being taken: its drawn questions and choices in the order shown, nothing about answers."""

    questions = QuestionOutSerializer(many=True)

    class Meta(AttemptSerializer.Meta):
        fields = [*AttemptSerializer.Meta.fields, "questions"]


class AttemptResultSerializer(AttemptSerializer):
    """A submitted attempt: what was chosen and each question's verdict with its lesson; once the review is
    open, also the correct choices and the explanations."""

    questions = QuestionResultSerializer(many=True)
    correct_count = serializers.IntegerField()
    review = serializers.BooleanField(
        help_text="Whether correct choices and explanations are included: after a pass, or once no attempt is left."
    )

    class Meta(AttemptSerializer.Meta):
        fields = [*AttemptSerializer.Meta.fields, "correct_count", "review", "questions"]


def attempt_payload(attempt: Attempt, *, user) -> dict:
    """The right serializer for the attempt's state: verdicts once submitted, the key only in a review."""
    if attempt.submitted_at is None:
        attempt.questions = selectors.attempt_questions(attempt=attempt)
        return AttemptInProgressSerializer(attempt).data
    attempt.review = quiz_allowance_for(user=user, quiz=attempt.quiz).review_open
    attempt.questions = selectors.attempt_questions(attempt=attempt, review=attempt.review)
    return AttemptResultSerializer(attempt).data


class AnswerInSerializer(serializers.Serializer):
    question = serializers.IntegerField(min_value=1, max_value=2**53)
    choices = serializers.ListField(
        child=serializers.CharField(max_length=selectors.TOKEN_MAX_LENGTH, help_text=CHOICE_ID_HELP),
        allow_empty=False,
        max_length=10,
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


class QuizStatusSerializer(serializers.Serializer):
    topic = serializers.SlugField()
    rule = serializers.CharField(help_text="Who may take the quiz.")
    pass_percent = serializers.IntegerField()
    questions_per_attempt = serializers.IntegerField()
    bank_size = serializers.IntegerField(help_text="Questions in the bank each attempt draws from.")
    max_attempts = serializers.IntegerField(allow_null=True, help_text="Null: no limit (the cooldown applies).")
    cooldown_failures = serializers.IntegerField(allow_null=True, help_text="Failures in a row before a cooldown.")
    cooldown_hours = serializers.IntegerField()
    passed = serializers.BooleanField()
    best_score = serializers.IntegerField(allow_null=True)
    attempts_submitted = serializers.IntegerField()
    attempts_since_reset = serializers.IntegerField()
    attempts_left = serializers.IntegerField(allow_null=True)
    last_reset_at = serializers.DateTimeField(allow_null=True)
    cooldown_until = serializers.DateTimeField(allow_null=True)
    cooldown_left = serializers.CharField(allow_null=True, help_text="The time left, for people ('5 h 12 min').")
    open_attempt = serializers.IntegerField(allow_null=True, help_text="The attempt in progress, to resume.")
    can_start = serializers.BooleanField()
    refusal = serializers.CharField(allow_null=True, help_text="Why no attempt can start now.")
    review_available = serializers.BooleanField()


def _visible_quiz(request, topic: str):
    topic_obj = visible_topics(user=request.user).filter(slug=topic).first()
    quiz = selectors.quiz_for_topic(topic_id=topic_obj.pk, user=request.user) if topic_obj else None
    if quiz is None:
        raise Http404("This topic has no quiz.")
    return quiz


class QuizStatusView(APIView):
    """The caller's status on a topic's quiz: the rules, what is left, and whether (or when) an attempt can start."""

    serializer_class = QuizStatusSerializer

    @extend_schema(responses={200: QuizStatusSerializer, **errors(401, 403, 404)})
    def get(self, request, topic: str):
        quiz = _visible_quiz(request, topic)
        allowance = quiz_allowance_for(user=request.user, quiz=quiz)
        prerequisites = quiz_prerequisites(user=request.user, topic_id=quiz.topic_id)
        refusal = None if allowance.open_attempt_id else (prerequisites.unmet or allowance.refusal)
        data = {
            "topic": topic,
            "rule": QUIZ_RULE,
            "pass_percent": quiz.pass_percent,
            "questions_per_attempt": quiz.questions_per_attempt,
            "bank_size": quiz.question_count,
            "max_attempts": quiz.max_attempts,
            "cooldown_failures": quiz.cooldown_failures,
            "cooldown_hours": quiz.cooldown_hours,
            "passed": allowance.passed,
            "best_score": allowance.best_score,
            "attempts_submitted": allowance.submitted_total,
            "attempts_since_reset": allowance.attempts_used,
            "attempts_left": allowance.attempts_left,
            "last_reset_at": allowance.last_reset_at,
            "cooldown_until": allowance.cooldown_until,
            "cooldown_left": allowance.cooldown_left,
            "open_attempt": allowance.open_attempt_id,
            "can_start": refusal is None and allowance.open_attempt_id is None,
            "refusal": refusal,
            "review_available": allowance.review_open,
        }
        return Response(QuizStatusSerializer(data).data)


class AttemptStartView(APIView):
    """Start an attempt at a topic's quiz (enrolled, every lesson done, outside a cooldown), or resume the
    one in progress. Refusals are a 400 saying why (and, in a cooldown, for how long)."""

    serializer_class = AttemptInProgressSerializer

    @extend_schema(
        request=None,
        responses={201: AttemptInProgressSerializer, 200: AttemptInProgressSerializer, **errors(400, 401, 403, 404)},
    )
    def post(self, request, topic: str):
        quiz = _visible_quiz(request, topic)
        resumed = Attempt.objects.filter(user=request.user, quiz=quiz, submitted_at__isnull=True).exists()
        attempt = quiz_attempt_begin(user=request.user, quiz=quiz)  # AttemptRefused is a 400
        attempt = selectors.attempt_get(user=request.user, attempt_id=attempt.pk)
        return Response(attempt_payload(attempt, user=request.user), status=200 if resumed else 201)


@extend_schema_view(
    list=extend_schema(responses={200: AttemptSerializer(many=True), **errors(401, 403)}),
    retrieve=extend_schema(
        responses={200: AttemptResultSerializer, **errors(401, 403, 404)},
        description="A submitted attempt with its verdicts (and, once the review is open, the correct choices and "
        "explanations); an attempt in progress with its questions only (the same shape as starting one).",
    ),
)
class AttemptViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own attempts; anyone else's is a 404."""

    serializer_class = AttemptSerializer
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return Attempt.objects.filter(user=self.request.user).select_related("quiz__topic").order_by("-started_at")

    def retrieve(self, request, pk=None):
        return Response(attempt_payload(self.get_object(), user=request.user))

    @extend_schema(
        request=SubmitSerializer,
        responses={200: AttemptResultSerializer, **errors(400, 401, 403, 404)},
        description="Choices are the attempt's tokens. An open attempt at a quiz or topic withdrawn since it "
        "started is refused with a 400 saying so.",
    )
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
        return Response(attempt_payload(attempt, user=request.user))
