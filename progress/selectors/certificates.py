"""Reads of certificates: a learner's own, and the public view of one by its code."""

from __future__ import annotations

from progress.models import Certificate, StatusList


def certificate_for_topic(*, user, topic_id: int | None) -> Certificate | None:
    if not user.is_authenticated:
        return None
    return Certificate.objects.filter(user=user, topic_id=topic_id).exclude(status=Certificate.Status.REVOKED).first()


def certificates_of(*, user):
    if not user.is_authenticated:
        return Certificate.objects.none()
    return Certificate.objects.filter(user=user).select_related("topic").order_by("-created_at")


def certificate_public(*, code: str) -> Certificate:
    """A certificate by its code, if it was ever issued (pending or failed ones are not public)."""
    return Certificate.objects.select_related("topic", "status_list").get(
        code=code, status__in=[Certificate.Status.ISSUED, Certificate.Status.REVOKED]
    )


def status_list_get(*, list_id: int) -> StatusList:
    return StatusList.objects.get(pk=list_id)
