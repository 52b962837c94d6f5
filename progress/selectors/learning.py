"""Reads of a learner's own progress, computed with aggregates (never per-lesson loops)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import cache

from django.db.models import Count
from django.utils import timezone
from rest_framework.authtoken.models import Token

from courses.content_cache import content_cached
from courses.models import Lesson, Topic
from courses.selectors import topic_lessons
from progress.models import (
    Assignment,
    Enrollment,
    LessonProgress,
    Profile,
    TeamMembership,
    TopicCompletion,
    TopicProgress,
)
from safety_academy.db import fetch_rows
from safety_academy.links import site_path

# Lists that name lessons and topics never show their bodies, the largest columns by far: they stay unread.
BODIES_OF_LESSON_AND_TOPIC = (
    "lesson__body_markdown",
    "lesson__body_html",
    "lesson__topic__body_markdown",
    "lesson__topic__body_html",
)


class QuizState:
    """Where a learner stands on a topic's quiz, as progress bars word it."""

    NONE = ""  # no quiz, or not known on this page
    TO_TAKE = "to_take"
    FAILED = "failed"
    PASSED = "passed"

    @staticmethod
    def of(*, has_quiz: bool, standing) -> str:
        if standing is not None and standing.passed:
            return QuizState.PASSED
        if standing is not None and standing.attempts:
            return QuizState.FAILED
        return QuizState.TO_TAKE if has_quiz else QuizState.NONE


@dataclass(frozen=True)
class Progress:
    """Lessons done of a total, and for one topic what else remains: the quiz, or nothing once complete.
    Bars say what remains ("4 lessons + quiz left", "quiz not passed yet"); only a complete topic is green."""

    done: int
    total: int
    quiz: str = QuizState.NONE
    topic_complete: bool = False
    of_topic: bool = True  # False for sums over many topics (a category, the track)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        """Every lesson done (the topic may still need its quiz: see topic_complete)."""
        return self.total > 0 and self.done >= self.total

    @property
    def left(self) -> int:
        return max(self.total - self.done, 0)

    def for_topic(self, *, quiz: str, complete: bool) -> Progress:
        return replace(self, quiz=quiz, topic_complete=complete)

    @property
    def remaining(self) -> str:
        """What remains, in words."""
        if self.topic_complete:
            return "complete"
        if not self.complete:
            lessons = f"{self.left} lesson{'s' if self.left != 1 else ''}"
            quiz_left = self.of_topic and self.quiz in (QuizState.TO_TAKE, QuizState.FAILED)
            return f"{lessons} + quiz left" if quiz_left else f"{lessons} left"
        if not self.of_topic:
            return "every lesson done"
        if self.quiz == QuizState.FAILED:
            return "quiz not passed yet"
        return "quiz to take" if self.quiz != QuizState.PASSED else "every lesson done"

    @property
    def remaining_short(self) -> str:
        if self.topic_complete or not self.complete:
            return "complete" if self.topic_complete else f"{self.left} left"
        return self.remaining


def lesson_totals_by_topic(*, topic_ids=None) -> dict[int, int]:
    """Published lessons per published topic: content, so read from the cache while the content is unchanged."""
    totals = content_cached("lesson-totals", _lesson_totals)
    if topic_ids is None:
        return dict(totals)
    return {topic_id: totals[topic_id] for topic_id in topic_ids if topic_id in totals}


def _lesson_totals() -> dict[int, int]:
    qs = Lesson.objects.filter(is_published=True, topic__is_published=True)
    return dict(qs.values_list("topic_id").annotate(n=Count("id")).values_list("topic_id", "n"))


def lessons_done_by_topic(*, user, topic_ids=None) -> dict[int, int]:
    """Published lessons done per published topic, read from the learner's summary rows (TopicProgress)."""
    if not user.is_authenticated:
        return {}
    qs = TopicProgress.objects.filter(user=user, lessons_done__gt=0, topic__is_published=True)
    if topic_ids is not None:
        qs = qs.filter(topic_id__in=topic_ids)
    return dict(qs.values_list("topic_id", "lessons_done"))


def lessons_done_in_topic(*, user, topic_id: int) -> int:
    """Published lessons done in one topic, counted from the lesson rows themselves: what opening a quiz
    decides on, so the gate never rests on a derived figure."""
    return LessonProgress.objects.filter(
        user=user, completed_at__isnull=False, lesson__topic_id=topic_id, lesson__is_published=True
    ).count()


def topic_progress_map(*, user, topic_ids=None) -> dict[int, Progress]:
    """Lessons done and total for each topic (two grouped queries, whatever the number of topics)."""
    totals = lesson_totals_by_topic(topic_ids=topic_ids)
    done = lessons_done_by_topic(user=user, topic_ids=topic_ids)
    return {topic_id: Progress(done=done.get(topic_id, 0), total=total) for topic_id, total in totals.items()}


def topic_standings(*, user) -> dict[int, tuple[Progress, bool]]:
    """For each published topic with lessons: the learner's lesson progress, with the quiz's state, and whether
    they passed its quiz; read from their summary rows (one query), the totals from the cache."""
    totals = lesson_totals_by_topic()
    rows = fetch_rows(_sql("standings"), [user.pk])
    found = {topic_id: (done, attempts, bool(passed)) for topic_id, done, attempts, passed in rows}
    standings = {}
    for topic_id, total in totals.items():
        done, attempts, passed = found.get(topic_id, (0, 0, False))
        quiz = QuizState.PASSED if passed else QuizState.FAILED if attempts else QuizState.NONE
        standings[topic_id] = (Progress(done=done, total=total, quiz=quiz), passed)
    return standings


# The catalogue and /me/ read the learner's summary rows, completions and assignments on every request: in SQL,
# since building each statement through the ORM took longer than the database took to answer it. Table names
# come from the models; every value is a parameter.
@cache
def _sql(name: str) -> str:
    topic, progress, completion = Topic._meta.db_table, TopicProgress._meta.db_table, TopicCompletion._meta.db_table
    assignment, membership = Assignment._meta.db_table, TeamMembership._meta.db_table
    return {
        "standings": f"""
            SELECT p.topic_id, p.lessons_done, p.quiz_attempts, p.quiz_passed
            FROM {progress} p JOIN {topic} t ON t.id = p.topic_id
            WHERE p.user_id = %s AND t.is_published""",  # noqa: S608
        "completed": f"SELECT topic_id FROM {completion} WHERE user_id = %s",  # noqa: S608
        "assigned": f"""
            SELECT a.topic_id, MIN(a.due_on)
            FROM {assignment} a
            JOIN {membership} m ON m.team_id = a.team_id
            JOIN {topic} t ON t.id = a.topic_id
            WHERE m.user_id = %s AND m.role = %s AND t.is_published
            GROUP BY a.topic_id""",  # noqa: S608
    }[name]


@dataclass(frozen=True)
class TopicLessons:
    """A topic's lessons as this user may see them, which of them they have done, and their progress
    over the published ones (staff also see hidden lessons, which never count)."""

    lessons: list[Lesson]
    done_ids: set[int]
    progress: Progress
    opened_ids: frozenset[int] = frozenset()

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

    @property
    def minutes_left(self) -> int:
        return sum(item.minutes for item in self.lessons if item.is_published and item.pk not in self.done_ids)


def topic_lessons_for(*, user, topic) -> TopicLessons:
    """The lesson list every topic-scoped page shows (topic, lesson, completion fragments): two queries."""
    lessons = topic_lessons(user=user, topic=topic)
    done_ids, opened_ids = lesson_states(user=user, lesson_ids=[lesson.pk for lesson in lessons])
    published = [lesson for lesson in lessons if lesson.is_published]
    progress = Progress(done=sum(1 for lesson in published if lesson.pk in done_ids), total=len(published))
    return TopicLessons(lessons=lessons, done_ids=done_ids, progress=progress, opened_ids=frozenset(opened_ids))


def lesson_states(*, user, lesson_ids) -> tuple[set[int], set[int]]:
    """Which of these lessons the learner completed, and which they opened without completing (one query)."""
    if not user.is_authenticated:
        return set(), set()
    rows = LessonProgress.objects.filter(user=user, lesson_id__in=lesson_ids).values_list("lesson_id", "completed_at")
    done, opened = set(), set()
    for lesson_id, completed_at in rows:
        (done if completed_at else opened).add(lesson_id)
    return done, opened


def sum_progress(progress: list[Progress]) -> Progress:
    return Progress(done=sum(p.done for p in progress), total=sum(p.total for p in progress), of_topic=False)


def completed_topic_ids(*, user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return {topic_id for (topic_id,) in fetch_rows(_sql("completed"), [user.pk])}


def enrollments_of(*, user):
    if not user.is_authenticated:
        return Enrollment.objects.none()
    return Enrollment.objects.filter(user=user).select_related("topic").order_by("-enrolled_at")


def lesson_progress_of(*, user, lesson) -> LessonProgress | None:
    return LessonProgress.objects.filter(user=user, lesson=lesson).first()


def is_enrolled(*, user, topic_id: int) -> bool:
    return user.is_authenticated and Enrollment.objects.filter(user=user, topic_id=topic_id).exists()


def continue_lesson(*, user) -> Lesson | None:
    """The most recently opened lesson the learner has not finished, in a topic they are enrolled in."""
    row = (
        LessonProgress.objects.filter(
            user=user,
            completed_at__isnull=True,
            last_opened_at__isnull=False,
            lesson__is_published=True,
            lesson__topic__is_published=True,
            lesson__topic__enrollments__user=user,
        )
        .select_related("lesson", "lesson__topic")
        .defer(*BODIES_OF_LESSON_AND_TOPIC)
        .order_by("-last_opened_at")
        .first()
    )
    return row.lesson if row else None


def next_lesson_after_completed(*, user) -> Lesson | None:
    """When nothing is half-read: the first unfinished lesson of the most recently active enrolled topic."""
    last = (
        LessonProgress.objects.filter(
            user=user,
            completed_at__isnull=False,
            lesson__is_published=True,
            lesson__topic__is_published=True,
            lesson__topic__enrollments__user=user,
        )
        .select_related("lesson__topic")
        .defer(*BODIES_OF_LESSON_AND_TOPIC)
        .order_by("-completed_at")
        .first()
    )
    return None if last is None else next_lesson_in_topic(user=user, topic=last.lesson.topic)


def next_lesson_in_topic(*, user, topic: Topic) -> Lesson | None:
    """Where to pick a topic up: its most recently opened unfinished lesson, else its first unfinished one. The
    lessons come from the content cache; the learner's rows on them are one light query."""
    lessons = [lesson for lesson in topic_lessons(user=user, topic=topic) if lesson.is_published]
    rows = LessonProgress.objects.filter(user=user, lesson_id__in=[lesson.pk for lesson in lessons]).values_list(
        "lesson_id", "last_opened_at", "completed_at"
    )
    done = {lesson_id for lesson_id, _, completed_at in rows if completed_at}
    opened = {lesson_id: at for lesson_id, at, completed_at in rows if at and not completed_at}
    unfinished = [lesson for lesson in lessons if lesson.pk not in done]  # in the topic's order
    recent = max((lesson for lesson in unfinished if lesson.pk in opened), key=lambda x: opened[x.pk], default=None)
    chosen = recent or next(iter(unfinished), None)
    if chosen is not None:
        chosen.topic = topic  # its address names the topic; the cached lessons were read without theirs
    return chosen


@dataclass(frozen=True)
class ContinuePoint:
    """Where "Continue" sends a learner: a lesson, or the topic's quiz when every lesson is done."""

    topic: Topic
    lesson: Lesson | None
    due_on: dt.date | None = None  # set when it is the nearest-due assignment

    @property
    def url(self) -> str:
        if self.lesson is not None:
            return self.lesson.get_absolute_url()
        return site_path("quizzes:quiz", topic_slug=self.topic.slug)

    @property
    def title(self) -> str:
        return self.lesson.title if self.lesson is not None else f"Take the quiz: {self.topic.title}"

    @property
    def overdue(self) -> bool:
        return self.due_on is not None and self.due_on < timezone.localdate()


def nearest_due_assignment(*, user, exclude_topic_id: int | None = None) -> Assignment | None:
    """The learner's assigned topic (as a team member) due soonest that they have not completed yet."""
    return (
        Assignment.objects.filter(
            team__memberships__user=user, team__memberships__role=TeamMembership.Role.MEMBER, topic__is_published=True
        )
        .exclude(topic__completions__user=user)
        .exclude(topic_id=exclude_topic_id)
        .select_related("topic")
        .defer("topic__body_markdown", "topic__body_html")
        .order_by("due_on", "topic__position", "pk")
        .first()
    )


def nearest_due_among(assignments: list[Assignment], *, completed: set[int]) -> Assignment | None:
    """nearest_due_assignment, chosen from the learner's assignments in hand (each with its topic)."""
    open_ones = [a for a in assignments if a.topic_id not in completed]
    return min(open_ones, key=lambda a: (a.due_on, a.topic.position, a.pk), default=None)


def continue_point(
    *, user, assignments: list[Assignment] | None = None, completed: set[int] | None = None
) -> ContinuePoint | None:
    """/me/'s "Continue": the nearest-due assignment not yet complete first, then the last lesson opened in
    an enrolled topic, then the next lesson of the topic last worked on. A page that already holds the learner's
    assignments (with their topics) and completed topic ids passes them, and the first step costs no query."""
    if assignments is not None and completed is not None:
        assignment = nearest_due_among(assignments, completed=completed)
    else:
        assignment = nearest_due_assignment(user=user)
    if assignment is not None:
        lesson = next_lesson_in_topic(user=user, topic=assignment.topic)
        return ContinuePoint(topic=assignment.topic, lesson=lesson, due_on=assignment.due_on)
    lesson = continue_lesson(user=user) or next_lesson_after_completed(user=user)
    return ContinuePoint(topic=lesson.topic, lesson=lesson) if lesson else None


def next_topic_after(*, user, topic: Topic) -> Topic | None:
    """The topic to suggest once this one is done: the nearest-due assignment not yet complete, else the next
    published topic in the track's order (wrapping round) that the learner has not completed."""
    assignment = nearest_due_assignment(user=user, exclude_topic_id=topic.pk)
    if assignment is not None:
        return assignment.topic
    remaining = list(
        Topic.objects.filter(is_published=True)
        .exclude(pk=topic.pk)
        .exclude(completions__user=user)
        .select_related("category")
        .order_by("category__position", "position", "pk")
    )
    key = (topic.category.position, topic.position, topic.pk)
    after = [t for t in remaining if (t.category.position, t.position, t.pk) > key]
    return (after or remaining or [None])[0]


def assigned_topics(*, user) -> dict[int, dt.date]:
    """The topics assigned to the learner through their teams, each with its nearest due date (one query)."""
    if not user.is_authenticated:
        return {}
    rows = fetch_rows(_sql("assigned"), [user.pk, TeamMembership.Role.MEMBER.value])
    # SQLite's driver answers a date as its ISO text; PostgreSQL's as a date.
    return {topic_id: due if isinstance(due, dt.date) else dt.date.fromisoformat(due) for topic_id, due in rows}


def enrolled_topics(*, user) -> list[Enrollment]:
    return list(
        Enrollment.objects.filter(user=user, topic__is_published=True)
        .select_related("topic", "topic__category")
        .defer("topic__body_markdown", "topic__body_html")
        .order_by("topic__category__position", "topic__position")
    )


def recently_completed(*, user, limit: int = 8) -> list[LessonProgress]:
    return list(
        LessonProgress.objects.filter(user=user, completed_at__isnull=False, lesson__is_published=True)
        .select_related("lesson", "lesson__topic")
        .defer(*BODIES_OF_LESSON_AND_TOPIC)
        .order_by("-completed_at")[:limit]
    )


def api_token_of(*, user) -> Token | None:
    return Token.objects.filter(user=user).first()


def profile_for(*, user) -> Profile | None:
    return Profile.objects.filter(user=user).first()


def progress_summary(*, user, standings=None, enrollments=None) -> dict:
    """Counts for `/me/` and the API: lessons done, topics complete, the whole track. A page that already read
    the learner's `topic_standings` and `enrolled_topics` passes them, and spends no query on them again."""
    totals = lesson_totals_by_topic()
    if standings is not None:
        lessons_done = sum(progress.done for progress, _ in standings.values())
    else:
        lessons_done = sum(lessons_done_by_topic(user=user).values())
    if enrollments is not None:
        enrolled = len(enrollments)
    else:
        enrolled = Enrollment.objects.filter(user=user, topic__is_published=True).count()
    return {
        "lessons_completed": lessons_done,
        "lessons_total": sum(totals.values()),
        "topics_completed": TopicCompletion.objects.filter(user=user, topic__is_published=True).count(),
        "topics_total": len(totals),
        "topics_enrolled": enrolled,
    }
