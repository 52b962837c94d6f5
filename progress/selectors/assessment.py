"""Reads for taking a quiz as progress sees it: whether the learner has met the quiz's prerequisites
(enrolled, every lesson done), and the resets granted to a team's members (for leads and evidence)."""

from __future__ import annotations

from dataclasses import dataclass

from progress.models import TeamMembership
from progress.selectors.learning import (
    Progress,
    is_enrolled,
    lesson_totals_by_topic,
    lessons_done_in_topic,
)
from progress.selectors.renewal import renewal_standing
from quizzes.models import Quiz
from quizzes.selectors import Allowance, attempt_resets, attempted_quizzes, quiz_allowance, quiz_allowances

UNREAD = object()  # an argument the caller did not pass, as None is an answer (no standing)
QUIZ_RULE = "The quiz opens once you are enrolled in the topic and have completed all its lessons."


@dataclass(frozen=True)
class QuizPrerequisites:
    """What the learner still has to do before the quiz opens (see QUIZ_RULE)."""

    authenticated: bool
    enrolled: bool
    lessons_left: int

    @property
    def unmet(self) -> str | None:
        if not self.authenticated:
            return "Log in, enrol and complete the lessons to take the quiz."
        if not self.enrolled:
            return "Enrol in this topic to take its quiz."
        if self.lessons_left:
            s = "" if self.lessons_left == 1 else "s"
            return f"Complete the {self.lessons_left} lesson{s} left in this topic to open the quiz."
        return None

    @property
    def met(self) -> bool:
        return self.unmet is None


def quiz_prerequisites(
    *, user, topic_id: int, enrolled: bool | None = None, progress: Progress | None = None
) -> QuizPrerequisites:
    """Pass what the page already read (`enrolled`, the topic's `progress`) to spend no query on it."""
    if not user.is_authenticated:
        return QuizPrerequisites(authenticated=False, enrolled=False, lessons_left=0)
    if enrolled is None:
        enrolled = is_enrolled(user=user, topic_id=topic_id)
    if progress is None:
        total = lesson_totals_by_topic(topic_ids=[topic_id]).get(topic_id, 0)
        progress = Progress(done=lessons_done_in_topic(user=user, topic_id=topic_id), total=total)
    return QuizPrerequisites(authenticated=True, enrolled=enrolled, lessons_left=max(progress.total - progress.done, 0))


def quiz_allowance_for(*, user, quiz: Quiz, attempts: list | None = None, standing=UNREAD) -> Allowance:
    """The learner's allowance on a quiz as progress sees it: within a renewal round, only that round counts.
    `attempts`: every attempt of the learner's at the quiz, and `standing`: their renewal standing on its topic
    (renewal_standing), when the caller already read them."""
    if not user.is_authenticated:
        return quiz_allowance(user=user, quiz=quiz)
    if standing is UNREAD:
        standing = renewal_standing(user=user, topic_id=quiz.topic_id)
    since = standing.round_started_at if standing and standing.renewable else None
    return quiz_allowance(user=user, quiz=quiz, since=since, attempts=attempts)


def member_quiz_standings(*, user) -> list[Allowance]:
    """The learner's allowance on every quiz they attempted and have not passed (the member drill-down):
    three queries, whatever the history."""
    quizzes = attempted_quizzes(user=user)
    allowances = quiz_allowances(user=user, quizzes=quizzes)
    return [allowances[quiz.pk] for quiz in quizzes if not allowances[quiz.pk].passed]


def member_quiz_resets(*, user):
    """Resets granted to one learner, newest first (the member drill-down)."""
    return attempt_resets(user_ids=[user.pk])


def team_quiz_resets(*, team):
    """Resets granted to the team's members, newest first, with who granted them, in what capacity, and why
    (for the training evidence)."""
    members = TeamMembership.objects.filter(team=team, role=TeamMembership.Role.MEMBER).values("user_id")
    return attempt_resets(user_ids=members)
