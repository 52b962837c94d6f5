"""Reads for expiry and renewal: where a learner's current certificate for each topic stands (valid,
expiring, expired, or earned on an earlier content version), and when the quiz reopens for a renewal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from progress.models import CellState, Certificate, TeamMembership

VALID, EXPIRING, EXPIRED, OUTDATED = "valid", "expiring", "expired", "outdated"


@dataclass(frozen=True)
class Standing:
    """A learner's current certificate for a topic and what it means for renewing it."""

    certificate: Certificate
    now: dt.datetime

    @property
    def outdated(self) -> bool:
        """Earned on an earlier content version than the topic's (an admin marked a change as material)."""
        earned = self.certificate.content_version or 1
        return earned < self.certificate.topic.content_version

    @property
    def state(self) -> str:
        certificate = self.certificate
        if certificate.is_expired(self.now):
            return EXPIRED
        if certificate.renewal_opens_at is not None and self.now >= certificate.renewal_opens_at:
            return EXPIRING
        return OUTDATED if self.outdated else VALID

    @property
    def renewable(self) -> bool:
        """The quiz is open again for this holder: in the renewal window, after expiry, or for an old version."""
        return self.certificate.status == Certificate.Status.ISSUED and self.state != VALID

    @property
    def round_started_at(self) -> dt.datetime:
        """Attempts from here on are the renewal's (the pass that earned the certificate came before)."""
        return self.certificate.created_at


# For a TopicCompletion queryset: its current certificate's date and version, read in the same query.
CURRENT_CERTIFICATE_COLUMNS = ("current_valid_until", "current_version", "topic__content_version")


def current_certificate_of(*, user, topic_id):
    """The current certificate (issued, not superseded) of a learner for a topic; at most one row (the database
    allows one live certificate per learner and topic). For subqueries: `user` and `topic_id` may be OuterRefs."""
    return Certificate.objects.filter(
        user=user, topic_id=topic_id, status=Certificate.Status.ISSUED, superseded_at=None
    )


def with_current_certificate(completions):
    current = current_certificate_of(user=OuterRef("user_id"), topic_id=OuterRef("topic_id"))
    return completions.annotate(
        current_valid_until=Subquery(current.values("valid_until")[:1]),
        current_version=Subquery(current.values("content_version")[:1]),
    )


def current_validity(valid_until, earned_version, topic_version) -> tuple[dt.datetime | None, bool]:
    """(the date, whether it was earned on an earlier content version) from CURRENT_CERTIFICATE_COLUMNS."""
    return valid_until, earned_version is not None and earned_version < topic_version


def start_of_day(day: dt.date) -> dt.datetime:
    """The first moment of a local day: timezone.localdate(moment) < day exactly when moment < start_of_day(day)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def completed_state(*, valid_until: dt.datetime | None, today: dt.date) -> str:
    """A completed assignment's cell state by its current certificate's date, as of the start of `today`."""
    if valid_until is None:
        return CellState.COMPLETE
    start = start_of_day(today)
    if valid_until <= start:
        return CellState.EXPIRED
    if valid_until - dt.timedelta(days=settings.RENEWAL_WINDOW_DAYS) <= start:
        return CellState.EXPIRING
    return CellState.COMPLETE


def current_certificates(*, user, topic_ids=None):
    """The learner's current (not superseded, not revoked) topic certificates, with their topics."""
    qs = Certificate.objects.filter(user=user, topic__isnull=False, superseded_at__isnull=True).exclude(
        status=Certificate.Status.REVOKED
    )
    if topic_ids is not None:
        qs = qs.filter(topic_id__in=topic_ids)
    return qs.select_related("topic").defer("topic__body_markdown", "topic__body_html")  # never shown with them


def renewal_standings(*, user, topic_ids=None, now: dt.datetime | None = None) -> dict[int, Standing]:
    """Each topic's standing for the learner, keyed by topic id (one query; issued certificates only)."""
    if not user.is_authenticated:
        return {}
    now = now or timezone.now()
    return {
        certificate.topic_id: Standing(certificate=certificate, now=now)
        for certificate in current_certificates(user=user, topic_ids=topic_ids).filter(status=Certificate.Status.ISSUED)
    }


def renewal_standing(*, user, topic_id: int, now: dt.datetime | None = None) -> Standing | None:
    return renewal_standings(user=user, topic_ids=[topic_id], now=now).get(topic_id)


def renewal_round_start(*, user, topic_id: int) -> dt.datetime | None:
    """When the learner's renewal round on a topic's quiz began, if the quiz is open to them for a renewal."""
    standing = renewal_standing(user=user, topic_id=topic_id)
    return standing.round_started_at if standing and standing.renewable else None


def expiring_certificates(*, today: dt.date, within_days: int):
    """Current issued topic certificates whose date falls within `within_days` from `today` (not yet past)."""
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    return (
        Certificate.objects.filter(
            status=Certificate.Status.ISSUED,
            topic__isnull=False,
            superseded_at__isnull=True,
            valid_until__gte=start,
            valid_until__lt=start + dt.timedelta(days=within_days + 1),
        )
        .select_related("topic", "user", "user__profile")
        .order_by("valid_until")
    )


def team_expiring_certificates(*, team, today: dt.date) -> list[Certificate]:
    """The team's members' certificates for its assigned topics that expire within the renewal window
    (a lead's digest lists them)."""
    members = TeamMembership.objects.filter(team=team, role=TeamMembership.Role.MEMBER).values("user_id")
    return list(
        expiring_certificates(today=today, within_days=settings.RENEWAL_WINDOW_DAYS).filter(
            Q(user_id__in=members), Q(topic__assignments__team=team)
        )
    )


def standing_of(*, certificate: Certificate | None, topic) -> Standing | None:
    """The standing of a certificate already read for a page (no query: its topic is the page's)."""
    if certificate is None or certificate.topic_id != topic.pk or certificate.superseded_at is not None:
        return None
    if certificate.status != Certificate.Status.ISSUED:
        return None
    certificate.topic = topic
    return Standing(certificate=certificate, now=timezone.now())


def renewals_due(*, user) -> list[Standing]:
    """The learner's certificates open for renewal (expiring, expired, or for an earlier content version),
    the soonest to run out first (one query)."""
    return renewals_among(list(current_certificates(user=user)))


def renewals_among(certificates) -> list[Standing]:
    """renewals_due over certificates a page already read with their topics (no query)."""
    now = timezone.now()
    due = [
        Standing(certificate=c, now=now)
        for c in certificates
        if c.topic_id is not None and c.superseded_at is None and c.status == Certificate.Status.ISSUED
    ]
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    due = [standing for standing in due if standing.renewable]
    return sorted(due, key=lambda s: (s.certificate.valid_until or far, s.certificate.topic.title))
