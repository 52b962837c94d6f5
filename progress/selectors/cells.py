"""Where a member stands on an assigned topic (a dashboard cell), in two forms kept side by side: in Python over
the progress read for a page of members (ProgressState.cell), and as SQL over a whole team (cell_state_sql and
its helpers), so the database counts, filters and sorts every member while Python builds the cells of one page.
tests/progress/teams/test_cell_rule.py proves the two agree on every state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Case, CharField, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from progress.models import (
    COMPLETED_STATES,
    Assignment,
    CellState,
    TopicCompletion,
    TopicProgress,
    member_due_on,
)
from progress.selectors import renewal
from progress.selectors.learning import lesson_totals_by_topic

# A filter of the dashboard that is not a cell state: open work due within the reminder window.
DUE_SOON = "due_soon"


_LABELS = dict(CellState.choices)  # a dict, not CellState(…).label: a CSV reads thousands


def due_soon_days() -> int:
    return settings.ASSIGNMENT_REMINDER_WINDOW_DAYS


@dataclass
class Cell:
    status: str
    percent: int = 0
    completed_at: dt.datetime | None = None
    due_on: dt.date | None = None
    extended: bool = False  # the member joined late: their due date is later than the assignment's
    valid_until: dt.datetime | None = None  # the current certificate's date (complete, expiring, expired)
    outdated: bool = False  # the certificate was earned on an earlier content version of the topic

    @property
    def label(self) -> str:
        return _LABELS[self.status]

    @property
    def is_complete(self) -> bool:  # completed, whatever its certificate's validity since
        return self.status in COMPLETED_STATES

    def is_due_soon(self, today: dt.date) -> bool:
        open_ = self.status not in (*COMPLETED_STATES, CellState.OVERDUE)
        return open_ and self.due_on is not None and self.due_on <= today + dt.timedelta(days=due_soon_days())


def cell_matches(cell: Cell, status: str, today: dt.date) -> bool:
    """Whether a cell answers a dashboard filter: a cell state, or DUE_SOON."""
    return cell.is_due_soon(today) if status == DUE_SOON else cell.status == status


@dataclass(frozen=True)
class QuizRecord:
    """A learner's submitted attempts at one topic's quiz."""

    best_score: int | None
    attempts: int
    passed: bool


@dataclass
class ProgressState:
    """What a set of users has done on a set of topics, read in three queries (the summary rows, the
    completions and the lesson totals)."""

    totals: dict[int, int]
    done: dict[tuple[int, int], int]
    opened: dict[tuple[int, int], int]
    completions: dict[tuple[int, int], dt.datetime]
    quiz: dict[tuple[int, int], QuizRecord] = field(default_factory=dict)
    content_versions: dict[tuple[int, int], dt.datetime] = field(default_factory=dict)
    # The current certificate behind each completion: its date and whether it predates the topic's version.
    validity: dict[tuple[int, int], tuple[dt.datetime | None, bool]] = field(default_factory=dict)

    @classmethod
    def read(cls, user_ids, topic_ids, *, totals: dict[int, int] | None = None) -> ProgressState:
        """`totals`, the published lessons per topic, when the caller already read them."""
        if not user_ids or not topic_ids:
            return cls({}, {}, {}, {})
        done: dict[tuple[int, int], int] = {}
        opened: dict[tuple[int, int], int] = {}
        quiz: dict[tuple[int, int], QuizRecord] = {}
        # One row per member and topic from the summary (TopicProgress), instead of their lesson rows.
        for user_id, topic_id, n_done, n_opened, attempts, best, passed in TopicProgress.objects.filter(
            user_id__in=user_ids, topic_id__in=topic_ids
        ).values_list(
            "user_id", "topic_id", "lessons_done", "lessons_opened", "quiz_attempts", "quiz_best", "quiz_passed"
        ):
            key = (user_id, topic_id)
            done[key], opened[key] = n_done, n_opened
            if attempts:
                quiz[key] = QuizRecord(best, attempts, passed)
        completions, versions, validity = {}, {}, {}
        rows = TopicCompletion.objects.filter(user_id__in=user_ids, topic_id__in=topic_ids)
        for user_id, topic_id, completed_at, version, *current in renewal.with_current_certificate(rows).values_list(
            "user_id", "topic_id", "completed_at", "content_version", *renewal.CURRENT_CERTIFICATE_COLUMNS
        ):
            completions[(user_id, topic_id)], versions[(user_id, topic_id)] = completed_at, version
            validity[(user_id, topic_id)] = renewal.current_validity(*current)
        if totals is None:
            totals = lesson_totals_by_topic(topic_ids=topic_ids)
        return cls(totals, done, opened, completions, quiz, versions, validity)

    @property
    def failed(self) -> set[tuple[int, int]]:
        return {key for key, record in self.quiz.items() if not record.passed}

    def cell(
        self,
        *,
        user_id: int,
        assignment: Assignment,
        joined_at: dt.datetime | None,
        today: dt.date,
        joined_on: dt.date | None = None,
    ) -> Cell:
        """Complete wins (expiring or expired by its certificate's date); then past the member's due date is overdue;
        then a failed quiz; then any progress; else not started. The due date is member_due_on's.
        cell_state_sql is the same rule in SQL: change both together."""
        key = (user_id, assignment.topic_id)
        due_on = member_due_on(assignment=assignment, joined_at=joined_at, joined_on=joined_on)
        extended = due_on != assignment.due_on
        if key in self.completions:
            until, outdated = self.validity.get(key, (None, False))
            status = renewal.completed_state(valid_until=until, today=today)
            return Cell(status, 100, self.completions[key], due_on, extended, until, outdated)
        total, done = self.totals.get(assignment.topic_id, 0), self.done.get(key, 0)
        percent = round(100 * done / total) if total else 0
        if due_on < today:
            return Cell(CellState.OVERDUE, percent, None, due_on, extended)
        record = self.quiz.get(key)
        if record is not None and not record.passed:
            return Cell(CellState.QUIZ_FAILED, percent, None, due_on, extended)
        if done or self.opened.get(key):
            return Cell(CellState.IN_PROGRESS, percent, None, due_on, extended)
        return Cell(CellState.NOT_STARTED, 0, None, due_on, extended)


# --- The same rule in SQL, over TeamMembership rows (one expression per assignment) -----------------------------

OPEN_STATES = (CellState.NOT_STARTED, CellState.IN_PROGRESS, CellState.QUIZ_FAILED)


def member_due_before(assignment: Assignment, day: dt.date) -> Q | None:
    """The memberships whose own due date (member_due_on) is before `day`, as a condition on joined_at; None when
    nobody's is. max(due_on, localdate(joined_at) + lead) < day holds when due_on < day and joined_at falls before
    the local day `day - lead` begins: exact in any time zone, with no date arithmetic in SQL."""
    if assignment.due_on >= day:
        return None
    lead_days = assignment.lead_days if assignment.lead_days is not None else assignment.team.default_lead_days
    return Q(joined_at__lt=renewal.start_of_day(day - dt.timedelta(days=lead_days)))


def completion_sql(assignment: Assignment) -> Exists:
    return Exists(TopicCompletion.objects.filter(user=OuterRef("user_id"), topic_id=assignment.topic_id))


def _completed_state_sql(assignment: Assignment, today: dt.date) -> Coalesce:
    """renewal.completed_state by the current certificate's date (none, or no date: complete)."""
    start = renewal.start_of_day(today).astimezone(dt.UTC)  # the window in elapsed time, as completed_state's
    current = renewal.current_certificate_of(user=OuterRef("user_id"), topic_id=assignment.topic_id).annotate(
        state=Case(
            When(valid_until__lte=start, then=Value(CellState.EXPIRED.value)),
            When(
                valid_until__lte=start + dt.timedelta(days=settings.RENEWAL_WINDOW_DAYS),
                then=Value(CellState.EXPIRING.value),
            ),
            default=Value(CellState.COMPLETE.value),
        )
    )
    return Coalesce(Subquery(current.order_by().values("state")[:1]), Value(CellState.COMPLETE.value))


def _started_state_sql(assignment: Assignment):
    """Quiz failed, in progress or not started by the member's summary row (no row: not started)."""
    summary = TopicProgress.objects.filter(user=OuterRef("user_id"), topic_id=assignment.topic_id).annotate(
        state=Case(
            When(quiz_attempts__gt=0, quiz_passed=False, then=Value(CellState.QUIZ_FAILED.value)),
            When(Q(lessons_done__gt=0) | Q(lessons_opened__gt=0), then=Value(CellState.IN_PROGRESS.value)),
            default=Value(CellState.NOT_STARTED.value),
        )
    )
    return Coalesce(Subquery(summary.values("state")[:1]), Value(CellState.NOT_STARTED.value))


def cell_state_sql(assignment: Assignment, today: dt.date) -> Case:
    """ProgressState.cell's status for every membership of the assignment's team (needs `assignment.team`)."""
    whens = [When(completion_sql(assignment), then=_completed_state_sql(assignment, today))]
    if (overdue := member_due_before(assignment, today)) is not None:
        whens.append(When(overdue, then=Value(CellState.OVERDUE.value)))
    return Case(*whens, default=_started_state_sql(assignment), output_field=CharField())


def due_soon_window_sql(assignment: Assignment, today: dt.date) -> Q | None:
    """The memberships whose own due date is within the reminder window (on or before today + the window);
    None when nobody's is. Cell.is_due_soon adds: the cell is open (not completed, not overdue)."""
    return member_due_before(assignment, today + dt.timedelta(days=due_soon_days() + 1))
