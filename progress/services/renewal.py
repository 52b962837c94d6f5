"""Writes for expiry and renewal: a passed renewal quiz earns a new certificate linked to the one it renews,
and holders are reminded before their certificates expire (within the one-email-a-day rule)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from progress.models import Certificate, ExpiryReminder
from progress.selectors.renewal import Standing, current_certificates, expiring_certificates
from progress.services.certificates import _enqueue
from progress.services.teams import _claim_todays_reminder
from safety_academy.links import site_name

logger = logging.getLogger(__name__)


def certificate_renew(*, user, topic_id: int) -> Certificate | None:
    """After a pass in a renewal round: supersede the learner's current certificate for the topic and ask for
    a new one that renews it (issued after commit). None when there is nothing to renew (no certificate, or one
    not open for renewal: a first pass earns its certificate through the topic's completion instead)."""
    with transaction.atomic():
        current = current_certificates(user=user, topic_ids=[topic_id]).select_for_update(of=("self",)).first()
        if current is None or not Standing(certificate=current, now=timezone.now()).renewable:
            return None
        current.superseded_at = timezone.now()
        current.save(update_fields=["superseded_at"])
        try:
            with transaction.atomic():
                renewal = Certificate.objects.create(user=user, topic_id=topic_id, renews=current)
        except IntegrityError:  # a concurrent pass renewed it first
            return None
    transaction.on_commit(lambda: _enqueue(renewal.pk))
    return renewal


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def reminder_threshold(certificate: Certificate, today: dt.date) -> int | None:
    """The threshold (days before expiry) a reminder for this certificate is due at today, if any: the
    smallest one reached, counting only thresholds that fell after the certificate was issued."""
    expires_on = _local_date(certificate.valid_until)
    days_left = (expires_on - today).days
    if days_left < 0:
        return None
    issued_on = _local_date(certificate.issued_at or certificate.created_at)
    reached = [
        days
        for days in settings.CERTIFICATE_EXPIRY_REMINDER_DAYS
        if days_left <= days and issued_on < expires_on - dt.timedelta(days=days)
    ]
    return min(reached) if reached else None


def expiry_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind holders whose certificates reach 60, 30 or 7 days before expiry: one email per person, listing
    each such certificate, and each threshold at most once per certificate (a missed larger threshold is not
    sent after a smaller one). A person who already had their one email today gets it on a later run.
    Returns how many emails went out."""
    today = today or timezone.localdate()
    thresholds = settings.CERTIFICATE_EXPIRY_REMINDER_DAYS
    certificates = list(expiring_certificates(today=today, within_days=max(thresholds)).filter(user__is_active=True))
    sent_at = {}
    for certificate_id, days in ExpiryReminder.objects.filter(
        certificate_id__in=[c.pk for c in certificates]
    ).values_list("certificate_id", "days_before"):
        sent_at.setdefault(certificate_id, set()).add(days)
    due_by_user: dict[int, list[tuple[Certificate, int]]] = {}
    for certificate in certificates:
        threshold = reminder_threshold(certificate, today)
        if threshold is None or any(days <= threshold for days in sent_at.get(certificate.pk, ())):
            continue
        due_by_user.setdefault(certificate.user_id, []).append((certificate, threshold))
    sent = 0
    for user_id, due in due_by_user.items():
        with transaction.atomic():
            if not _claim_todays_reminder(user_id=user_id, today=today, kind="expiry"):
                continue  # already emailed today: this goes on a later run
            ExpiryReminder.objects.bulk_create(
                [ExpiryReminder(certificate=c, days_before=days, sent_on=today) for c, days in due]
            )
        user = due[0][0].user
        body = render_to_string(
            "progress/certificates/email/expiry_reminder.txt",
            {"user": user, "due": due, "today": today, "site_url": settings.SITE_URL, "site_name": site_name()},
        )
        try:
            send_mail(f"{site_name()}: certificates to renew", body, None, [user.email])
        except Exception:  # one unreachable address must not stop the others
            logger.warning("expiry reminder to %s failed", user.email, exc_info=True)
            continue
        sent += 1
    return sent
