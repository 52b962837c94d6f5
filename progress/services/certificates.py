"""Writes for certificates: asking for one when a topic (or the track) is completed, issuing it
(PDF and signed credential), recording failures, the sweep that catches anything missed, revoking."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from courses.models import Topic
from courses.selectors import track_get
from progress import page_versions
from progress.certificate_pdf import ISSUED_ON_FORMAT, CertificateContent, render_certificate_pdf
from progress.credentials import CredentialSubject, build_credential, sign_credential
from progress.models import Certificate, TopicCompletion, person_name
from progress.services.credential_status import status_bit_set, status_entry_allocate
from progress.validity import valid_until
from safety_academy.links import absolute_url

logger = logging.getLogger(__name__)


def _enqueue(certificate_id: int) -> None:
    """Hand the certificate to a worker; a broker that is down costs nothing but a log line (the sweep retries)."""
    from progress.tasks.certificates import issue_certificate  # tasks import services: import at use

    try:
        issue_certificate.delay(certificate_id)
    except Exception:  # kombu raises a variety of connection errors; none may fail the request
        logger.warning("could not queue certificate %s; the sweep will issue it", certificate_id, exc_info=True)


def certificate_request(*, user, topic_id: int | None) -> Certificate | None:
    """Create the pending certificate for a completed topic (or the track) and queue it after commit.

    Idempotent: a learner who already holds one, live or revoked, gets no new row.
    """
    if Certificate.objects.filter(user=user, topic_id=topic_id).exists():
        return None
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(user=user, topic_id=topic_id)
    except IntegrityError:  # a live one was created concurrently
        return None
    transaction.on_commit(lambda: _enqueue(certificate.pk))
    return certificate


def certificate_issue(*, certificate_id: int) -> Certificate:
    """Draw the PDF, sign the credential (with its revocation entry), store the file, then mark the
    certificate issued. A name the PDF cannot print raises UnprintableName before anything is stored.

    The slow part (rendering, signing, writing to storage) runs before the row lock, so slow
    storage never holds it; the lock covers only the state change. Safe to run twice, or at once
    from two workers: the second to take the lock finds it issued and discards its own file.
    """
    certificate = Certificate.objects.select_related("user", "user__profile", "topic", "renews").get(pk=certificate_id)
    if certificate.status in (Certificate.Status.ISSUED, Certificate.Status.REVOKED):
        return certificate
    now = timezone.now().replace(microsecond=0)
    topic = certificate.topic
    renews_until = certificate.renews.valid_until if certificate.renews else None
    expires = valid_until(topic=topic, issued_at=now, renews_until=renews_until)
    track = track_get()
    track_title = track.title if track else ""
    title = topic.title if topic else track_title
    holder = person_name(certificate.user)
    site = absolute_url("/")
    subject = CredentialSubject(
        verification_url=certificate.verification_url,
        holder_name=holder,
        achievement_id=absolute_url(topic.get_absolute_url()) if topic else site,
        achievement_name=title,
        achievement_description=topic.summary if topic else (track.summary if track else title),
        valid_from=_iso(now),
        valid_until=_iso(expires) if expires else None,
    )
    jws = sign_credential(build_credential(subject, status=status_entry_allocate(certificate=certificate)))
    pdf = render_certificate_pdf(
        CertificateContent(
            holder_name=holder,
            title=title,
            kind="topic" if topic else "track",
            track_title=track_title,
            issued_on=now.strftime(ISSUED_ON_FORMAT),
            valid_until=expires.strftime(ISSUED_ON_FORMAT) if expires else "",
            code=certificate.code,
            verification_url=certificate.verification_url,
            issuer=settings.CERTIFICATE_ISSUER_NAME,
            credential_jws=jws,
        )
    )
    name = f"certificates/{certificate.code}.pdf"
    if default_storage.exists(name):
        default_storage.delete(name)
    stored = default_storage.save(name, ContentFile(pdf))

    with transaction.atomic():
        certificate = Certificate.objects.select_for_update(of=("self",)).select_related("topic").get(pk=certificate_id)
        if certificate.status in (Certificate.Status.ISSUED, Certificate.Status.REVOKED):
            if certificate.pdf.name != stored:  # another worker finished first; keep its file
                default_storage.delete(stored)
            return certificate
        certificate.pdf.name = stored
        certificate.credential = jws
        certificate.holder_name, certificate.title = holder, title
        certificate.status = Certificate.Status.ISSUED
        certificate.issued_at = now
        certificate.valid_until = expires
        certificate.content_version = topic.content_version if topic else None
        certificate.error = ""
        certificate.tries += 1
        certificate.save()
    return certificate


def _iso(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def certificate_record_failure(*, certificate_id: int, error: str, final: bool) -> None:
    # Every failed run counts, so the sweep gives up on a certificate that keeps failing (max_tries).
    page_versions.learners_changed(Certificate.objects.filter(pk=certificate_id).values_list("user_id", flat=True))
    Certificate.objects.filter(pk=certificate_id).exclude(
        status__in=[Certificate.Status.ISSUED, Certificate.Status.REVOKED]
    ).update(
        error=error[:2000],
        status=Certificate.Status.FAILED if final else Certificate.Status.PENDING,
        tries=F("tries") + 1,
    )


def certificates_retry_for(*, user) -> list[int]:
    """Queue again, after commit, the learner's certificates that failed (e.g. on a name the PDF could not print)."""
    failed = list(Certificate.objects.filter(user=user, status=Certificate.Status.FAILED).values_list("pk", flat=True))
    if failed:
        Certificate.objects.filter(pk__in=failed).update(status=Certificate.Status.PENDING, tries=0, error="")
        page_versions.learners_changed([user.pk])
        for pk in failed:
            transaction.on_commit(lambda pk=pk: _enqueue(pk))
    return failed


def certificate_revoke(*, certificate: Certificate, reason: str) -> Certificate:
    """Revoke: the row and its bit in the published revocation list change in one transaction."""
    if not reason.strip():
        raise ValueError("Give a reason for the revocation.")
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.status != Certificate.Status.REVOKED:
            certificate.status = Certificate.Status.REVOKED
            certificate.revoked_at = timezone.now()
            certificate.revoked_reason = reason.strip()
            certificate.save(update_fields=["status", "revoked_at", "revoked_reason"])
        status_bit_set(certificate=certificate)
    return certificate


def certificates_sweep(*, stale_after: timedelta = timedelta(minutes=5), max_tries: int = 10) -> list[int]:
    """Issue what was missed: completions with no certificate at all, track completions likewise,
    and pending or failed certificates left behind (a lost message, a broker outage)."""
    missing = TopicCompletion.objects.filter(
        ~Exists(Certificate.objects.filter(user=OuterRef("user"), topic=OuterRef("topic"))),
        topic__is_published=True,  # a withdrawn topic earns no certificate
    ).values_list("user_id", "topic_id")
    created = []
    for user_id, topic_id in missing:
        with transaction.atomic():
            try:
                created.append(Certificate.objects.create(user_id=user_id, topic_id=topic_id).pk)
            except IntegrityError:
                continue
    published = Topic.objects.filter(is_published=True).count()
    if published:
        track_done = (
            TopicCompletion.objects.filter(topic__is_published=True)
            .filter(~Exists(Certificate.objects.filter(user=OuterRef("user"), topic__isnull=True)))
            .values("user_id")
            .annotate(n=Count("topic_id"))
            .filter(n__gte=published)
            .values_list("user_id", flat=True)
        )
        for user_id in track_done:
            try:
                with transaction.atomic():
                    created.append(Certificate.objects.create(user_id=user_id, topic=None).pk)
            except IntegrityError:
                continue
    stale = Certificate.objects.filter(
        Q(status=Certificate.Status.PENDING, created_at__lt=timezone.now() - stale_after)
        | Q(status=Certificate.Status.FAILED, tries__lt=max_tries)
    ).values_list("pk", flat=True)
    queued = sorted(set(created) | set(stale))
    for pk in queued:
        _enqueue(pk)
    return queued
