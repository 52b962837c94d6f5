"""Reads of certificates: a learner's own, the public view of one by its code, and what the moment of
passing shows (the certificate's links, LinkedIn's add-to-profile link, the next topic to take)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import OuterRef, Subquery

from courses.models import Topic
from progress.models import Certificate, StatusList
from progress.selectors.learning import Progress, next_topic_after, topic_progress_map
from safety_academy.links import site_path

LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


def certificate_for_topic(*, user, topic_id: int | None) -> Certificate | None:
    if not user.is_authenticated:
        return None
    return Certificate.objects.filter(user=user, topic_id=topic_id).exclude(status=Certificate.Status.REVOKED).first()


def certificates_of(*, user):
    if not user.is_authenticated:
        return Certificate.objects.none()
    return Certificate.objects.filter(user=user).select_related("topic").order_by("-created_at")


def certificate_public(*, code: str) -> Certificate:
    """A certificate by its code, if it was ever issued (pending or failed ones are not public), with the one it
    renews and the code of the newest public certificate that renews it (`renewed_by_code`), in one query."""
    public = [Certificate.Status.ISSUED, Certificate.Status.REVOKED]
    renewed_by = Certificate.objects.filter(renews=OuterRef("pk"), status__in=public).order_by("-created_at")
    return (
        Certificate.objects.select_related("topic", "status_list", "renews")
        .annotate(renewed_by_code=Subquery(renewed_by.values("code")[:1]))
        .get(code=code, status__in=public)
    )


def status_list_get(*, list_id: int) -> StatusList:
    return StatusList.objects.get(pk=list_id)


def linkedin_add_to_profile_url(certificate: Certificate) -> str | None:
    """LinkedIn's documented "Add to profile" link for a certification: its name, the issuing organisation
    (by id when LINKEDIN_ORGANIZATION_ID is set, else by name), the month it was issued, and the public
    verification URL with the certificate's code as its ID. None until the certificate is issued."""
    if certificate.status != Certificate.Status.ISSUED or certificate.issued_at is None:
        return None
    params = {"startTask": "CERTIFICATION_NAME", "name": certificate.display_title}
    if settings.LINKEDIN_ORGANIZATION_ID:
        params["organizationId"] = settings.LINKEDIN_ORGANIZATION_ID
    else:
        params["organizationName"] = settings.CERTIFICATE_ISSUER_NAME
    params |= {
        "issueYear": certificate.issued_at.year,
        "issueMonth": certificate.issued_at.month,
        "certUrl": certificate.verification_url,
        "certId": certificate.code,
    }
    return f"{LINKEDIN_ADD_TO_PROFILE}?{urlencode(params)}"


@dataclass(frozen=True)
class PassMoment:
    """What the result page shows a learner who passed: the topic's certificate (or why there is none yet)
    with its links, and the topic to take next."""

    topic: Topic
    progress: Progress  # the topic's lessons: some may remain before the topic is complete
    certificate: Certificate | None
    next_topic: Topic | None

    @property
    def linkedin_url(self) -> str | None:
        return linkedin_add_to_profile_url(self.certificate) if self.certificate else None

    @property
    def pdf_download_url(self) -> str:
        return site_path("progress:certificate_pdf", code=self.certificate.code)

    @property
    def pdf_view_url(self) -> str:
        return site_path("progress:certificate_pdf_view", code=self.certificate.code)

    @property
    def preparing(self) -> bool:
        return self.certificate is not None and self.certificate.status == Certificate.Status.PENDING


def pass_moment(*, user, topic: Topic) -> PassMoment:
    progress = topic_progress_map(user=user, topic_ids=[topic.pk]).get(topic.pk, Progress(0, 0))
    return PassMoment(
        topic=topic,
        progress=progress,
        certificate=certificate_for_topic(user=user, topic_id=topic.pk),
        next_topic=next_topic_after(user=user, topic=topic),
    )
