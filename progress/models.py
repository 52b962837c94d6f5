"""Learner state, kept apart from content: profiles, enrolments, lesson progress, topic
completions, teams with their assignments and invitations, and certificates."""

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from progress import status_list as bitstring
from safety_academy.links import absolute_url

User = settings.AUTH_USER_MODEL


class Profile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    full_name = models.CharField(max_length=200, blank=True, help_text="The name printed on certificates.")

    def __str__(self) -> str:
        return self.full_name or str(self.user)


class Enrollment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrollments")
    topic = models.ForeignKey("courses.Topic", on_delete=models.CASCADE, related_name="enrollments")
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-enrolled_at"]
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="one_enrollment_per_topic")]

    def __str__(self) -> str:
        return f"{self.user} in {self.topic}"


class LessonProgress(models.Model):
    """One row per learner and lesson: when it was first and last opened, and when completed."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey("courses.Lesson", on_delete=models.CASCADE, related_name="progress")
    first_opened_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "lesson progress"
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="one_progress_row_per_lesson")]
        indexes = [
            models.Index(fields=["user", "-last_opened_at"]),
            models.Index(fields=["user", "-completed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.lesson}"


class TopicCompletion(models.Model):
    """A learner completed a topic: every published lesson done and its quiz passed.

    Recorded at the moment of the transition, with the content version they completed, as
    training evidence; removed if the learner undoes a lesson (the certificate stays).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="topic_completions")
    topic = models.ForeignKey("courses.Topic", on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField()
    content_version = models.DateTimeField(help_text="The topic's lesson set's last update at completion.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="one_completion_per_topic")]

    def __str__(self) -> str:
        return f"{self.user} completed {self.topic}"


class TopicProgress(models.Model):
    """A learner's standing on one topic, summed from their lesson rows and quiz attempts: the published
    lessons done and opened, the quiz's submitted attempts, best score and pass, enrolment and the last
    activity. Written by the progress services in the same transaction as the rows it sums (and rebuilt
    for a topic when its lessons are published or hidden), so pages read one row instead of aggregating."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="topic_progress")
    topic = models.ForeignKey("courses.Topic", on_delete=models.CASCADE, related_name="learner_progress")
    lessons_done = models.PositiveIntegerField(default=0)
    lessons_opened = models.PositiveIntegerField(default=0, help_text="Published lessons opened or done.")
    quiz_attempts = models.PositiveIntegerField(default=0, help_text="Submitted attempts at the topic's quiz.")
    quiz_best = models.PositiveSmallIntegerField(null=True, blank=True)
    quiz_passed = models.BooleanField(default=False)
    enrolled = models.BooleanField(default=False)
    last_activity = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "topic progress"
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="one_progress_summary_per_topic")]
        indexes = [models.Index(fields=["topic", "user"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.topic}: {self.lessons_done} done"


def person_name(user) -> str:
    """How the platform names a person: the name on their profile, else their account name, else their email.
    Uses `user.profile` when it was loaded with the user (select_related), so lists cost no extra query."""
    try:
        profile = user.profile
    except Profile.DoesNotExist:
        profile = None
    return (profile.full_name if profile else "") or user.get_full_name() or user.email


def certificate_verification_path(code: str) -> str:
    return reverse("progress:certificate_verify", kwargs={"code": code})


def new_certificate_code() -> str:
    return secrets.token_urlsafe(24)  # 192 bits: unguessable


def empty_status_bits() -> bytes:
    return bytes(131_072 // 8)  # progress.status_list.MIN_BITS, all clear


class StatusList(models.Model):
    """A published W3C Bitstring Status List of revocations: one bit per certificate, set when revoked."""

    purpose = models.CharField(max_length=20, default="revocation", editable=False)
    bits = models.BinaryField(default=empty_status_bits, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Status list {self.pk} ({self.purpose})"

    def get_absolute_url(self) -> str:
        return reverse("progress:status_list", kwargs={"list_id": self.pk})

    @property
    def size(self) -> int:
        return len(self.bits) * 8


class Certificate(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Being prepared"
        ISSUED = "issued", "Issued"
        FAILED = "failed", "Failed"
        REVOKED = "revoked", "Revoked"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="certificates")
    topic = models.ForeignKey(
        "courses.Topic",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        help_text="Empty for the whole-track certificate.",
    )
    code = models.CharField(max_length=64, unique=True, default=new_certificate_code, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    holder_name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to="certificates/", blank=True)
    credential = models.TextField(blank=True, help_text="The signed credential (VC-JOSE compact JWS).")
    error = models.TextField(blank=True)
    tries = models.PositiveSmallIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    status_list = models.ForeignKey(
        StatusList, on_delete=models.PROTECT, null=True, blank=True, related_name="certificates", editable=False
    )
    status_index = models.PositiveIntegerField(
        null=True, blank=True, editable=False, help_text="This certificate's bit in its revocation list (random)."
    )
    credential_reissued_at = models.DateTimeField(
        null=True, blank=True, help_text="When the credential was signed again to carry a revocation entry."
    )
    valid_until = models.DateTimeField(
        null=True, blank=True, help_text="Set at issue from the topic's validity (or the site's); empty: never expires."
    )
    renews = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
        help_text="The certificate this one renews (the learner passed the quiz again).",
    )
    superseded_at = models.DateTimeField(
        null=True, blank=True, help_text="When a renewal replaced it; it stays valid until its own date."
    )
    content_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The topic's content version it was earned on."
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["status_list", "status_index"], name="one_certificate_per_status_bit"),
            # One live certificate per learner and topic, and one live track certificate.
            # A renewal supersedes the certificate it renews, which stays verifiable until its own date.
            models.UniqueConstraint(
                fields=["user", "topic"],
                condition=~Q(status="revoked") & Q(topic__isnull=False) & Q(superseded_at__isnull=True),
                name="one_current_certificate_per_topic",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=~Q(status="revoked") & Q(topic__isnull=True),
                name="one_live_track_certificate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title or self.topic or 'Track'} · {self.user}"

    def get_absolute_url(self) -> str:
        return certificate_verification_path(self.code)

    @property
    def verification_url(self) -> str:
        return absolute_url(self.get_absolute_url())

    @property
    def revoked_in_status_list(self) -> bool | None:
        """What the published revocation list says (None: this certificate has no bit in one)."""
        if self.status_index is None or self.status_list is None:
            return None
        return bitstring.bit_is_set(self.status_list.bits, self.status_index)

    def is_expired(self, now: dt.datetime | None = None) -> bool:
        """Past its validity (a state of its own: an expired certificate is not revoked)."""
        return self.valid_until is not None and (now or timezone.now()) >= self.valid_until

    @property
    def expired(self) -> bool:
        return self.is_expired()

    @property
    def renewal_opens_at(self) -> dt.datetime | None:
        if self.valid_until is None:
            return None
        return self.valid_until - dt.timedelta(days=settings.RENEWAL_WINDOW_DAYS)

    @property
    def display_title(self) -> str:
        """The title the certificate bears, or will bear once issued."""
        if self.title:
            return self.title
        return self.topic.title if self.topic_id else "The whole track"

    @property
    def pdf_url(self) -> str:
        return absolute_url(reverse("progress:certificate_pdf", kwargs={"code": self.code}))

    @property
    def credential_url(self) -> str:
        return absolute_url(reverse("progress:certificate_credential", kwargs={"code": self.code}))


class CellState(models.TextChoices):
    """Where a member stands on an assigned topic, as a lead's dashboard shows it."""

    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    QUIZ_FAILED = "quiz_failed", "Quiz failed"
    COMPLETE = "complete", "Complete"
    OVERDUE = "overdue", "Overdue"
    EXPIRING = "expiring", "Expiring"  # complete, the certificate within the renewal window
    EXPIRED = "expired", "Expired"  # complete, the certificate past its date and not renewed


# Cells whose topic was completed (the certificate may have run out since): no open work, nothing overdue.
COMPLETED_STATES = (CellState.COMPLETE, CellState.EXPIRING, CellState.EXPIRED)


DEFAULT_LEAD_DAYS = 14


class Team(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    default_lead_days = models.PositiveSmallIntegerField(
        default=DEFAULT_LEAD_DAYS,
        help_text="Days a person who joins late gets to finish an assignment that has no lead time of its own.",
    )
    members = models.ManyToManyField(User, through="TeamMembership", related_name="teams")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("progress:team_dashboard", kwargs={"team_slug": self.slug})


class TeamMembership(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "Lead"
        MEMBER = "member", "Member"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="team_memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    # A default rather than auto_now: a membership imported from elsewhere keeps its real joining date.
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="one_membership_per_team")]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.team}"


class Assignment(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="assignments")
    topic = models.ForeignKey("courses.Topic", on_delete=models.CASCADE, related_name="assignments")
    due_on = models.DateField()
    lead_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Days a person who joins late gets to finish it; empty means the team's default.",
    )
    assigned_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "topic__position"]
        constraints = [models.UniqueConstraint(fields=["team", "topic"], name="one_assignment_per_team_topic")]

    def __str__(self) -> str:
        return f"{self.topic} for {self.team}, due {self.due_on}"


def member_due_on(
    *, assignment: Assignment, joined_at: dt.datetime | None, joined_on: dt.date | None = None
) -> dt.date:
    """The one due-date rule: the assignment's date, or for someone who joined too late to make it, the day
    they joined plus the assignment's lead time (else the team's default). Needs `assignment.team` loaded.
    `joined_on`, the local day of `joined_at`, when the caller already has it (a row of many cells)."""
    if joined_at is None:
        return assignment.due_on
    lead_days = assignment.lead_days if assignment.lead_days is not None else assignment.team.default_lead_days
    joined_on = joined_on or timezone.localdate(joined_at)
    return max(assignment.due_on, joined_on + dt.timedelta(days=lead_days))


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token, editable=False)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open invitation per address and team; inviting again refreshes it.
            models.UniqueConstraint(
                fields=["team", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.team}"

    def get_absolute_url(self) -> str:
        return reverse("progress:invitation_accept", kwargs={"token": self.token})


class ReminderLog(models.Model):
    """One reminder email per person per day, however often the task runs (the constraint enforces it)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    kind = models.CharField(max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "sent_on"], name="one_reminder_per_person_per_day")]

    def __str__(self) -> str:
        return f"{self.kind} reminder to {self.user_id} on {self.sent_on}"


class ExpiryReminder(models.Model):
    """An expiry reminder sent for a certificate at one threshold (days before its date); each goes once."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="expiry_reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["certificate", "days_before"], name="one_expiry_reminder_per_threshold")
        ]

    def __str__(self) -> str:
        return f"{self.days_before}-day expiry reminder for certificate {self.certificate_id}"
