"""How long a certificate stays valid: the topic's `validity_months` (0 = never), else the site's
CERTIFICATE_VALIDITY_MONTHS (unset = never). Pure: no database."""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` later; the month's last day when it is shorter (31 Jan + 1 = 28/29 Feb)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def validity_months(topic) -> int | None:
    """Months a certificate for this topic (None: the track certificate) stays valid; None for never."""
    if topic is None:
        return None  # the whole-track certificate records the track's completion; it does not expire
    months = topic.validity_months if topic.validity_months is not None else settings.CERTIFICATE_VALIDITY_MONTHS
    return months or None


def valid_until(*, topic, issued_at: dt.datetime, renews_until: dt.datetime | None = None) -> dt.datetime | None:
    """The end of a new certificate's validity. A renewal made before the old certificate ran out runs from
    the old one's date, so renewing early costs the holder nothing."""
    months = validity_months(topic)
    if months is None:
        return None
    start = max(issued_at, renews_until) if renews_until is not None else issued_at
    return add_months(start, months)
