"""Reads of a learner's own progress, computed with aggregates (never per-lesson loops)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from rest_framework.authtoken.models import Token

from courses.models import Lesson
from courses.selectors import topic_lessons
from progress.models import Enrollment, LessonProgress, Profile, TopicCompletion


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total


def lesson_totals_by_topic(*, topic_ids=None) -> dict[int, int]:
    qs = Lesson.objects.filter(is_published=True, topic__is_published=True)
    if topic_ids is not None:
        qs = qs.filter(topic_id__in=topic_ids)
    return dict(qs.values_list("topic_id").annotate(n=Count("id")).values_list("topic_id", "n"))


def lessons_done_by_topic(*, user, topic_ids=None) -> dict[int, int]:
    if not user.is_authenticated:
        return {}
    qs = LessonProgress.objects.filter(
        user=user, completed_at__isnull=False, lesson__is_published=True, lesson__topic__is_published=True
    )
    if topic_ids is not None:
        qs = qs.filter(lesson__topic_id__in=topic_ids)
    return dict(qs.values_list("lesson__topic_id").annotate(n=Count("id")).values_list("lesson__topic_id", "n"))


def topic_progress_map(*, user, topic_ids=None) -> dict[int, Progress]:
    """Lessons done and total for each topic (two grouped queries, whatever the number of topics)."""
    totals = lesson_totals_by_topic(topic_ids=topic_ids)
    done = lessons_done_by_topic(user=user, topic_ids=topic_ids)
    return {topic_id: Progress(done=done.get(topic_id, 0), total=total) for topic_id, total in totals.items()}


@dataclass(frozen=True)
class TopicLessons:
    """A topic's lessons as this user may see them, which of them they have done, and their progress
    over the published ones (staff also see hidden lessons, which never count)."""

    lessons: list[Lesson]
    done_ids: set[int]
    progress: Progress

    def neighbours(self, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
        ids = [item.pk for item in self.lessons]
        if lesson.pk not in ids:
            return None, None
        i = ids.index(lesson.pk)
        return (self.lessons[i - 1] if i > 0 else None), (self.lessons[i + 1] if i + 1 < len(ids) else None)

    @property
    def next_to_do(self) -> Lesson | None:
        return next((item for item in self.lessons if item.is_published and item.pk not in self.done_ids), None)

    @property
    def minutes(self) -> int:
        return sum(item.minutes for item in self.lessons)


def topic_lessons_for(*, user, topic) -> TopicLessons:
    """The lesson list every topic-scoped page shows (topic, lesson, completion fragments): two queries."""
    lessons = topic_lessons(user=user, topic=topic)
    done_ids = completed_lesson_ids(user=user, lesson_ids=[lesson.pk for lesson in lessons])
    published = [lesson for lesson in lessons if lesson.is_published]
    progress = Progress(done=sum(1 for lesson in published if lesson.pk in done_ids), total=len(published))
    return TopicLessons(lessons=lessons, done_ids=done_ids, progress=progress)


def sum_progress(progress: list[Progress]) -> Progress:
    return Progress(done=sum(p.done for p in progress), total=sum(p.total for p in progress))


def completed_lesson_ids(*, user, lesson_ids) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        LessonProgress.objects.filter(user=user, lesson_id__in=lesson_ids, completed_at__isnull=False).values_list(
            "lesson_id", flat=True
        )
    )


def completed_topic_ids(*, user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(TopicCompletion.objects.filter(user=user).values_list("topic_id", flat=True))


def enrollments_of(*, user):
    if not user.is_authenticated:
        return Enrollment.objects.none()
    return Enrollment.objects.filter(user=user).select_related("topic").order_by("-enrolled_at")


def lesson_progress_of(*, user, lesson) -> LessonProgress | None:
    return LessonProgress.objects.filter(user=user, lesson=lesson).first()


def is_enrolled(*, user, topic_id: int) -> bool:
    return user.is_authenticated and Enrollment.objects.filter(user=user, topic_id=topic_id).exists()


def continue_lesson(*, user) -> Lesson | None:
    """The most recently opened lesson the learner has not finished (published only)."""
    row = (
        LessonProgress.objects.filter(
            user=user,
            completed_at__isnull=True,
            last_opened_at__isnull=False,
            lesson__is_published=True,
            lesson__topic__is_published=True,
        )
        .select_related("lesson", "lesson__topic")
        .order_by("-last_opened_at")
        .first()
    )
    return row.lesson if row else None


def next_lesson_after_completed(*, user) -> Lesson | None:
    """When nothing is half-read: the first unfinished lesson of the most recently active enrolled topic."""
    last = (
        LessonProgress.objects.filter(user=user, completed_at__isnull=False, lesson__is_published=True)
        .order_by("-completed_at")
        .values_list("lesson__topic_id", flat=True)
        .first()
    )
    if last is None:
        return None
    return (
        Lesson.objects.filter(topic_id=last, is_published=True)
        .exclude(progress__user=user, progress__completed_at__isnull=False)
        .select_related("topic")
        .order_by("position")
        .first()
    )


def enrolled_topics(*, user) -> list[Enrollment]:
    return list(
        Enrollment.objects.filter(user=user, topic__is_published=True)
        .select_related("topic", "topic__category")
        .order_by("topic__category__position", "topic__position")
    )


def recently_completed(*, user, limit: int = 8) -> list[LessonProgress]:
    return list(
        LessonProgress.objects.filter(user=user, completed_at__isnull=False, lesson__is_published=True)
        .select_related("lesson", "lesson__topic")
        .order_by("-completed_at")[:limit]
    )


def api_token_of(*, user) -> Token | None:
    return Token.objects.filter(user=user).first()


def profile_for(*, user) -> Profile | None:
    return Profile.objects.filter(user=user).first()


def progress_summary(*, user) -> dict:
    """Counts for `/me/` and the API: lessons done, topics complete, the whole track."""
    totals = lesson_totals_by_topic()
    done = lessons_done_by_topic(user=user)
    return {
        "lessons_completed": sum(done.values()),
        "lessons_total": sum(totals.values()),
        "topics_completed": TopicCompletion.objects.filter(user=user, topic__is_published=True).count(),
        "topics_total": len(totals),
        "topics_enrolled": Enrollment.objects.filter(user=user, topic__is_published=True).count(),
    }
