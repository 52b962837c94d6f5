"""When people were last active on the platform and last sent a reminder: what a lead needs to see who has
gone quiet. Grouped queries over a list of people, whatever its length."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max

from progress.models import LessonProgress, ReminderLog
from quizzes.models import Attempt


def last_activity(*, user_ids) -> dict[int, dt.datetime]:
    """When each person last opened or completed a lesson or submitted a quiz, anywhere: two grouped queries."""
    if not user_ids:
        return {}
    latest: dict[int, dt.datetime] = {}

    def keep(user_id, *moments):
        for moment in moments:
            if moment is not None and (user_id not in latest or moment > latest[user_id]):
                latest[user_id] = moment

    for row in (
        LessonProgress.objects.filter(user_id__in=user_ids)
        .values("user_id")
        .annotate(opened=Max("last_opened_at"), completed=Max("completed_at"))
    ):
        keep(row["user_id"], row["opened"], row["completed"])
    for row in (
        Attempt.objects.filter(user_id__in=user_ids, submitted_at__isnull=False)
        .values("user_id")
        .annotate(submitted=Max("submitted_at"))
    ):
        keep(row["user_id"], row["submitted"])
    return latest


def last_reminders(*, user_ids) -> dict[int, dt.date]:
    """The day each person was last sent a reminder email (by the daily run or by a lead)."""
    if not user_ids:
        return {}
    return dict(
        ReminderLog.objects.filter(user_id__in=user_ids)
        .values("user_id")
        .annotate(last=Max("sent_on"))
        .values_list("user_id", "last")
    )
