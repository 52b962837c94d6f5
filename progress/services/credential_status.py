"""Writes for revocation lists: giving a certificate its (random) bit in a status list, setting the
bit when it is revoked, and re-signing credentials issued before lists existed so they carry one."""

from __future__ import annotations

import logging

import jwt
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from progress import status_list
from progress.certificate_pdf import replace_credential
from progress.credentials import sign_credential
from progress.models import Certificate, StatusList
from safety_academy.links import absolute_url

logger = logging.getLogger(__name__)

# A list takes new certificates until half its bits are used, so a random draw rarely collides.
LIST_FILL_LIMIT = status_list.MIN_BITS // 2
DRAWS = 32


def _open_status_list() -> StatusList:
    current = StatusList.objects.defer("bits").order_by("-pk").first()
    if current is None or Certificate.objects.filter(status_list=current).count() >= LIST_FILL_LIMIT:
        current = StatusList.objects.create()
    return current


def status_entry_allocate(*, certificate: Certificate) -> dict:
    """The certificate's `credentialStatus` entry, drawing a random free bit on first use.

    Safe to run at once from two workers: the update only claims a certificate that has no bit yet,
    and the database refuses two certificates on one bit (the draw is then repeated).
    """
    if certificate.status_index is None:
        current = _open_status_list()
        for _ in range(DRAWS):
            index = status_list.random_index()
            try:
                with transaction.atomic():
                    claimed = Certificate.objects.filter(pk=certificate.pk, status_index__isnull=True).update(
                        status_list=current, status_index=index
                    )
            except IntegrityError:  # that bit belongs to another certificate
                continue
            break
        else:
            raise RuntimeError(f"no free bit found in status list {current.pk} after {DRAWS} draws")
        if claimed:
            certificate.status_list_id, certificate.status_index = current.pk, index
        else:  # another worker claimed one first: use theirs
            certificate.refresh_from_db(fields=["status_list", "status_index"])
    list_url = absolute_url(StatusList(pk=certificate.status_list_id).get_absolute_url())
    return status_list.entry(list_url=list_url, index=certificate.status_index)


def status_bit_set(*, certificate: Certificate) -> None:
    """Set the certificate's revocation bit; call it inside the revocation's transaction."""
    if certificate.status_index is None:
        return
    listed = StatusList.objects.select_for_update().get(pk=certificate.status_list_id)
    if not status_list.bit_is_set(listed.bits, certificate.status_index):
        listed.bits = status_list.with_bit_set(listed.bits, certificate.status_index)
        listed.save(update_fields=["bits", "updated_at"])


def _claims_of(token: str) -> dict:
    # Our own stored credential, read from the database: its content is re-signed as it stands.
    return jwt.decode(token, options={"verify_signature": False})


def certificate_credential_reissue(*, certificate_id: int) -> Certificate:
    """Sign the certificate's credential again, unchanged but for a revocation entry, and embed it
    in the PDF in place of the old one. The certificate (code, date, page) stays as it was, and the
    old credential keeps verifying: it simply cannot report a revocation."""
    certificate = Certificate.objects.get(pk=certificate_id)
    if certificate.status_index is not None or not certificate.credential:
        return certificate
    entry = status_entry_allocate(certificate=certificate)
    claims = {**_claims_of(certificate.credential), "credentialStatus": entry}
    jws = sign_credential(claims)
    stored = ""
    if certificate.pdf:
        try:
            with certificate.pdf.open("rb") as handle:
                pdf = replace_credential(handle.read(), jws)
        except FileNotFoundError:
            logger.warning("certificate %s has no PDF file; reissuing the credential only", certificate.code)
        else:
            name = certificate.pdf.name
            default_storage.delete(name)
            stored = default_storage.save(name, ContentFile(pdf))
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        certificate.credential = jws
        certificate.credential_reissued_at = timezone.now()
        if stored:
            certificate.pdf.name = stored
        certificate.save(update_fields=["credential", "credential_reissued_at", "pdf"])
        if certificate.status == Certificate.Status.REVOKED:
            status_bit_set(certificate=certificate)
    return certificate


def credentials_without_status():
    return Certificate.objects.filter(
        status__in=[Certificate.Status.ISSUED, Certificate.Status.REVOKED], status_index__isnull=True
    ).exclude(credential="")


def credentials_backfill(*, limit: int | None = None) -> list[int]:
    """Reissue, oldest first, the credentials that carry no revocation entry; returns their ids."""
    pending = credentials_without_status().order_by("issued_at", "pk").values_list("pk", flat=True)
    done = []
    for pk in pending[:limit] if limit else pending:
        certificate_credential_reissue(certificate_id=pk)
        done.append(pk)
    return done
