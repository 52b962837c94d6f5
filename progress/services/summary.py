"""The learner x topic summary (progress.models.TopicProgress): recomputed from the rows it sums, for one
learner and topic inside the write that changed them, or in bulk for topics whose lessons changed."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Count, Max, Q

from progress import page_versions
from progress.models import Enrollment, LessonProgress, TopicProgress
from quizzes.models import Attempt
from safety_academy import learner_pages
from safety_academy.db import execute

FIELDS = ("lessons_done", "lessons_opened", "quiz_attempts", "quiz_best", "quiz_passed", "enrolled", "last_activity")


def _later(*moments):
    present = [moment for moment in moments if moment is not None]
    return max(present) if present else None


def summaries_from_rows(*, user_ids=None, topic_ids=None) -> dict[tuple[int, int], dict]:
    """What each (user, topic) summary should hold, read from the lesson rows, attempts and enrolments in
    three grouped queries; pairs with nothing at all are absent."""
    lessons = LessonProgress.objects.filter(lesson__is_published=True)
    attempts = Attempt.objects.filter(submitted_at__isnull=False)
    enrolments = Enrollment.objects.all()
    if user_ids is not None:
        lessons, attempts = lessons.filter(user_id__in=user_ids), attempts.filter(user_id__in=user_ids)
        enrolments = enrolments.filter(user_id__in=user_ids)
    if topic_ids is not None:
        lessons = lessons.filter(lesson__topic_id__in=topic_ids)
        attempts = attempts.filter(quiz__topic_id__in=topic_ids)
        enrolments = enrolments.filter(topic_id__in=topic_ids)
    found: dict[tuple[int, int], dict] = {}

    def entry(key):
        return found.setdefault(
            key,
            {
                "lessons_done": 0,
                "lessons_opened": 0,
                "quiz_attempts": 0,
                "quiz_best": None,
                "quiz_passed": False,
                "enrolled": False,
                "last_activity": None,
            },
        )

    for row in lessons.values("user_id", "lesson__topic_id").annotate(
        done=Count("id", filter=Q(completed_at__isnull=False)),
        opened=Count("id"),
        last_opened=Max("last_opened_at"),
        last_completed=Max("completed_at"),
    ):
        item = entry((row["user_id"], row["lesson__topic_id"]))
        item.update(lessons_done=row["done"], lessons_opened=row["opened"])
        item["last_activity"] = _later(row["last_opened"], row["last_completed"])
    for row in attempts.values("user_id", "quiz__topic_id").annotate(
        n=Count("id"), best=Max("score_percent"), passed_n=Count("id", filter=Q(passed=True)), last=Max("submitted_at")
    ):
        item = entry((row["user_id"], row["quiz__topic_id"]))
        item.update(quiz_attempts=row["n"], quiz_best=row["best"], quiz_passed=row["passed_n"] > 0)
        item["last_activity"] = _later(item["last_activity"], row["last"])
    for user_id, topic_id in enrolments.values_list("user_id", "topic_id"):
        entry((user_id, topic_id))["enrolled"] = True
    return found


def topic_progress_refresh(*, user_id: int, topic_id: int) -> TopicProgress | None:
    """Bring one learner's summary of one topic up to date; called inside the transaction that changed the
    rows it sums (a completion, an undo, a first opening, a graded attempt, an enrolment)."""
    values = summaries_from_rows(user_ids=[user_id], topic_ids=[topic_id]).get((user_id, topic_id))
    page_versions.learners_changed([user_id])
    with transaction.atomic():
        if values is None:
            TopicProgress.objects.filter(user_id=user_id, topic_id=topic_id).delete()
            return None
        summary, _ = TopicProgress.objects.update_or_create(user_id=user_id, topic_id=topic_id, defaults=values)
    return summary


def topic_progress_touch(*, user_id: int, topic_id: int, moment) -> None:
    """A lesson opened again: only the last activity moves (one UPDATE, no aggregate; in SQL, as every lesson view
    makes it and the ORM took longer to build it than the database took to run it)."""
    table = TopicProgress._meta.db_table
    sql = f"UPDATE {table} SET last_activity = %s WHERE user_id = %s AND topic_id = %s"  # noqa: S608
    execute(sql, [connection.ops.adapt_datetimefield_value(moment), user_id, topic_id])


def topic_progress_rebuild(*, topic_ids=None, user_ids=None) -> int:
    """Recompute the summaries of these topics (or learners; everything when neither is given) from their
    rows in bulk: after lessons are published, hidden or loaded, and for rows written in bulk elsewhere."""
    values = summaries_from_rows(user_ids=user_ids, topic_ids=topic_ids)
    learner_pages.all_learners_changed()
    with transaction.atomic():
        stale = TopicProgress.objects.all()
        if topic_ids is not None:
            stale = stale.filter(topic_id__in=topic_ids)
        if user_ids is not None:
            stale = stale.filter(user_id__in=user_ids)
        stale.delete()
        TopicProgress.objects.bulk_create(
            [TopicProgress(user_id=u, topic_id=t, **fields) for (u, t), fields in values.items()], batch_size=2000
        )
    return len(values)
