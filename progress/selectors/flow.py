"""What the topic and lesson pages show around the content: the topic's steps (its lessons, then its
quiz) with the learner's state on each, the time left, and the one next step to take."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from courses.models import Lesson, Topic
from progress.models import Enrollment, TopicCompletion
from progress.selectors.learning import Progress, QuizState, TopicLessons, topic_lessons_for
from quizzes.models import Attempt, Quiz
from quizzes.selectors import QuizStanding, quiz_for_topic
from safety_academy.db import fetch_rows
from safety_academy.links import site_path


@dataclass(frozen=True)
class Step:
    """One line of the topic's sidebar: a lesson or the quiz, and where the learner is with it."""

    title: str
    url: str
    state: str  # done, current, opened, todo (lessons); passed, failed, open, todo (the quiz)
    minutes: int | None = None
    is_quiz: bool = False
    hidden: bool = False
    is_current: bool = False

    @property
    def state_label(self) -> str:
        return {
            "done": "completed",
            "current": "you are here",
            "opened": "started",
            "passed": "passed",
            "failed": "not passed yet",
            "open": "in progress",
        }.get(self.state, "to do")


@dataclass(frozen=True)
class NextStep:
    url: str
    label: str
    is_quiz: bool = False


@dataclass(frozen=True)
class TopicFlow:
    topic: Topic
    lessons: TopicLessons
    quiz: Quiz | None
    standing: QuizStanding | None
    enrolled: bool
    complete: bool
    current: Lesson | None = None

    @property
    def quiz_state(self) -> str:
        return QuizState.of(has_quiz=self.quiz is not None, standing=self.standing)

    @property
    def progress(self) -> Progress:
        return self.lessons.progress.for_topic(quiz=self.quiz_state, complete=self.complete)

    @property
    def minutes_left(self) -> int:
        return self.lessons.minutes_left

    @property
    def quiz_url(self) -> str | None:
        return site_path("quizzes:quiz", topic_slug=self.topic.slug) if self.quiz else None

    def lesson_url(self, lesson: Lesson) -> str:
        # Built from the topic in hand: the lessons were loaded without theirs.
        return site_path("courses:lesson", topic_slug=self.topic.slug, lesson_slug=lesson.slug)

    def lesson_state(self, lesson: Lesson) -> str:
        if lesson.pk in self.lessons.done_ids:
            return "done"
        if self.current is not None and lesson.pk == self.current.pk:
            return "current"
        return "opened" if lesson.pk in self.lessons.opened_ids else "todo"

    @property
    def quiz_step_state(self) -> str:
        if self.quiz_state == QuizState.PASSED:
            return "passed"
        if self.standing is not None and self.standing.has_open_attempt:
            return "open"
        return "failed" if self.quiz_state == QuizState.FAILED else "todo"

    @property
    def steps(self) -> list[Step]:
        steps = [
            Step(
                title=lesson.title,
                url=self.lesson_url(lesson),
                state=self.lesson_state(lesson),
                minutes=lesson.minutes,
                hidden=not lesson.is_published,
                is_current=self.current is not None and lesson.pk == self.current.pk,
            )
            for lesson in self.lessons.lessons
        ]
        if self.quiz is not None:
            steps.append(Step(title="Quiz", url=self.quiz_url, state=self.quiz_step_state, is_quiz=True))
        return steps

    # --- the lesson page ---

    @property
    def previous(self) -> Lesson | None:
        return self.lessons.neighbours(self.current)[0] if self.current else None

    @property
    def next(self) -> Lesson | None:
        return self.lessons.neighbours(self.current)[1] if self.current else None

    @property
    def is_done(self) -> bool:
        return self.current is not None and self.current.pk in self.lessons.done_ids

    @property
    def quiz_to_take(self) -> bool:
        return self.quiz is not None and self.quiz_state != QuizState.PASSED

    @property
    def next_to_do(self) -> Lesson | None:
        """The first unfinished published lesson after this one, else before it (this one excluded)."""
        lessons = [item for item in self.lessons.lessons if item.is_published]
        index = next((i for i, item in enumerate(lessons) if self.current and item.pk == self.current.pk), -1)
        ordered = lessons[index + 1 :] + lessons[: max(index, 0)]
        return next((item for item in ordered if item.pk not in self.lessons.done_ids), None)

    @property
    def next_step(self) -> NextStep:
        """Where "Complete and continue" (and the button after completing) leads: the next lesson still to do,
        then the quiz until it is passed, then the topic."""
        following = self.next_to_do
        if following is not None:
            return NextStep(self.lesson_url(following), f"Next: {following.title}")
        if self.quiz_to_take:
            label = "Resume the quiz" if self.standing and self.standing.has_open_attempt else "Take the quiz"
            return NextStep(self.quiz_url, label, is_quiz=True)
        return NextStep(self.topic.get_absolute_url(), "Back to the topic")

    @property
    def continue_label(self) -> str:
        if self.next_to_do is not None:
            return "Complete and continue"
        return "Complete and take the quiz" if self.quiz_to_take else "Complete the topic"


def topic_flow(*, user, topic: Topic, current: Lesson | None = None) -> TopicFlow:
    """The topic's steps and the learner's place in them (two queries, whatever the topic's size; its lessons and
    quiz come from the content cache)."""
    quiz = quiz_for_topic(topic_id=topic.pk, user=user)
    standing = learner_on_topic(user=user, topic_id=topic.pk, quiz=quiz)
    return TopicFlow(
        topic=topic,
        lessons=topic_lessons_for(user=user, topic=topic),
        quiz=quiz,
        standing=standing.quiz,
        enrolled=standing.enrolled,
        complete=standing.complete,
        current=current,
    )


@dataclass(frozen=True)
class LearnerOnTopic:
    enrolled: bool = False
    complete: bool = False
    quiz: QuizStanding | None = None  # None until the learner has started the quiz


def learner_on_topic(*, user, topic_id: int, quiz: Quiz | None) -> LearnerOnTopic:
    """Whether the learner is enrolled in the topic and has completed it, and their standing on its quiz (as
    quizzes.selectors.quiz_standings gives it), in one query. Written in SQL: every lesson page asks, and the ORM
    took four times as long to build this statement as the database took to answer it."""
    if not user.is_authenticated:
        return LearnerOnTopic()
    params = [user.pk, topic_id, user.pk, topic_id, user.pk, quiz and quiz.pk]
    ((enrolled, complete, started, submitted, best, passes),) = fetch_rows(_learner_on_topic_sql(), params)
    standing = None
    if quiz is not None and started:
        standing = QuizStanding(
            quiz_id=quiz.pk,
            attempts=submitted,
            best_score=best,
            passed=passes > 0,
            has_open_attempt=started > submitted,
        )
    return LearnerOnTopic(enrolled=bool(enrolled), complete=bool(complete), quiz=standing)


@cache
def _learner_on_topic_sql() -> str:
    # Table names from the models; every value a parameter.
    return f"""
        SELECT
            EXISTS (SELECT 1 FROM {Enrollment._meta.db_table} WHERE user_id = %s AND topic_id = %s),
            EXISTS (SELECT 1 FROM {TopicCompletion._meta.db_table} WHERE user_id = %s AND topic_id = %s),
            COUNT(*),
            COUNT(submitted_at),
            MAX(score_percent),
            COUNT(CASE WHEN passed THEN 1 END)
        FROM {Attempt._meta.db_table}
        WHERE user_id = %s AND quiz_id = %s
    """  # noqa: S608
