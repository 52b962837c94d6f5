"""Quizzes: one per topic, its questions and choices, and learners' attempts with their answers.

An attempt keeps what it was graded against (the questions drawn from the bank, the order shown,
the choices' opaque identifiers, the key at the draw, the pass mark, each answer's verdict), so
editing a quiz later never rewrites a learner's history.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from safety_academy.markdown import render_markdown


class Quiz(models.Model):
    topic = models.OneToOneField("courses.Topic", on_delete=models.PROTECT, related_name="quiz")
    pass_percent = models.PositiveSmallIntegerField(default=70)
    draw_size = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(1)],
        help_text="Questions drawn from the bank for each attempt (all of them when the bank is smaller).",
    )
    max_attempts = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=None,
        help_text="Attempts a learner may submit until a reset is granted; empty means no limit "
        "(the cooldown still applies).",
    )
    cooldown_failures = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=3,
        validators=[MinValueValidator(1)],
        help_text="Failed attempts in a row that start a cooldown; empty means no cooldown.",
    )
    cooldown_hours = models.PositiveSmallIntegerField(
        default=24, validators=[MinValueValidator(1)], help_text="How long a cooldown lasts."
    )
    shuffle = models.BooleanField(default=True, help_text="Shuffle questions and choices for each attempt.")
    is_published = models.BooleanField(default=True)
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "quizzes"
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_percent__gte=1) & Q(pass_percent__lte=100), name="quiz_pass_percent_range"
            ),
            models.CheckConstraint(condition=Q(draw_size__gte=1), name="quiz_draw_size_positive"),
            models.CheckConstraint(condition=Q(cooldown_hours__gte=1), name="quiz_cooldown_hours_positive"),
            models.CheckConstraint(
                condition=Q(cooldown_failures__isnull=True) | Q(cooldown_failures__gte=1),
                name="quiz_cooldown_failures_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"Quiz: {self.topic}"

    @property
    def questions_per_attempt(self) -> int:
        """The draw size, or the whole bank when it is smaller (needs the `question_count` annotation)."""
        return min(self.draw_size, getattr(self, "question_count", self.draw_size))


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Select all that apply"
        TRUE_FALSE = "true_false", "True or false"

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    lesson = models.ForeignKey(
        "courses.Lesson",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quiz_questions",
        help_text="The lesson this question checks; the result page points a learner back to it.",
    )
    prompt = models.TextField()
    prompt_html = models.TextField(editable=False, blank=True)
    explanation = models.TextField()
    explanation_html = models.TextField(editable=False, blank=True)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["quiz", "position", "id"]

    def __str__(self) -> str:
        return self.prompt[:80]

    def save(self, *args, **kwargs):
        self.prompt_html = render_markdown(self.prompt)
        self.explanation_html = render_markdown(self.explanation)
        super().save(*args, **kwargs)


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["question", "position", "id"]

    def __str__(self) -> str:
        return self.text


class Attempt(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The draw, as the learner was shown it: question ids in order; for each question its choices'
    # tokens in order; each token's choice (tokens are random and scoped to this attempt, so their
    # order says nothing); and the key at the draw (correct tokens), never sent before a review.
    question_order = models.JSONField(default=list)
    choice_order = models.JSONField(default=dict)
    choice_tokens = models.JSONField(default=dict)
    answer_key = models.JSONField(default=dict)
    pass_percent = models.PositiveSmallIntegerField(help_text="The pass mark when the attempt started.")
    score_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    correct_count = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            # At most one attempt in progress per learner and quiz: starting again resumes it.
            models.UniqueConstraint(
                fields=["user", "quiz"], condition=Q(submitted_at__isnull=True), name="one_open_attempt_per_quiz"
            )
        ]
        indexes = [models.Index(fields=["user", "quiz", "passed"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.quiz} · {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choices = models.ManyToManyField(Choice, related_name="answers", blank=True)
    is_correct = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question")]

    def __str__(self) -> str:
        return f"Answer to {self.question_id} in attempt {self.attempt_id}"


class AttemptReset(models.Model):
    """A fresh start on a quiz, granted by a team lead or staff: failures and attempts submitted before
    it no longer count towards the cooldown or the attempt limit. Kept as evidence of who and why."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_resets")
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="resets")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_as = models.CharField(max_length=250, help_text="The capacity: staff, or lead of which team.")
    reason = models.TextField()
    granted_at = models.DateTimeField()

    class Meta:
        ordering = ["-granted_at", "-id"]
        indexes = [models.Index(fields=["user", "quiz", "-granted_at"])]

    def __str__(self) -> str:
        return f"Reset of {self.quiz} for {self.user} on {self.granted_at:%Y-%m-%d}"
