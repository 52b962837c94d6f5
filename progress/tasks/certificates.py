"""Issuing certificates in the background, the sweep that catches anything missed, and expiry reminders."""

from celery import shared_task
from django.conf import settings

from progress.certificate_pdf import UnprintableName
from progress.services import certificates as certificate_services
from progress.services import credential_status
from progress.services import renewal as renewal_services


@shared_task(
    bind=True, name="progress.tasks.issue_certificate", acks_late=True, reject_on_worker_lost=True, max_retries=6
)
def issue_certificate(self, certificate_id: int) -> str:
    try:
        certificate = certificate_services.certificate_issue(certificate_id=certificate_id)
    except UnprintableName as exc:  # retrying cannot help until the learner changes the name
        certificate_services.certificate_record_failure(certificate_id=certificate_id, error=str(exc), final=True)
        return "failed"
    except Exception as exc:
        final = self.request.retries >= self.max_retries
        certificate_services.certificate_record_failure(
            certificate_id=certificate_id, error=f"{exc.__class__.__name__}: {exc}", final=final
        )
        if final:
            raise
        # Capped exponential backoff: 10 s, 20 s, 40 s … at most CERTIFICATE_RETRY_BACKOFF_MAX.
        countdown = min(10 * 2**self.request.retries, settings.CERTIFICATE_RETRY_BACKOFF_MAX)
        raise self.retry(exc=exc, countdown=countdown) from exc
    return certificate.status


# Credentials reissued per sweep for a revocation entry: a backlog drains over a few runs.
BACKFILL_PER_SWEEP = 200


@shared_task(name="progress.tasks.sweep_missing_certificates", acks_late=True)
def sweep_missing_certificates() -> int:
    queued = certificate_services.certificates_sweep()
    credential_status.credentials_backfill(limit=BACKFILL_PER_SWEEP)
    return len(queued)


@shared_task(name="progress.tasks.send_expiry_reminders", acks_late=True)
def send_expiry_reminders() -> int:
    return renewal_services.expiry_reminders_send()
