"""Reads for teams: the lead's dashboard (members x assigned topics, with its headline counts), a member's
drill-down, the completions chart, and a member's own assignments. The evidence report is in evidence.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import TruncWeek
from django.utils import timezone

from courses.models import Topic
from progress.access import sees_every_team
from progress.models import (
    COMPLETED_STATES,
    Assignment,
    CellState,
    Certificate,
    Invitation,
    Team,
    TeamMembership,
    TopicCompletion,
    TopicProgress,
    member_due_on,
    person_name,
)
from progress.selectors import renewal
from progress.selectors.activity import last_activity, last_reminders
from progress.selectors.learning import lesson_totals_by_topic, topic_progress_map
from quizzes.models import Attempt

# A filter of the dashboard that is not a cell state: open work due within the reminder window.
DUE_SOON = "due_soon"


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
        return CellState(self.status).label

    @property
    def is_complete(self) -> bool:  # completed, whatever its certificate's validity since
        return self.status in COMPLETED_STATES

    def is_due_soon(self, today: dt.date) -> bool:
        open_ = self.status not in (*COMPLETED_STATES, CellState.OVERDUE)
        return open_ and self.due_on is not None and self.due_on <= today + dt.timedelta(days=due_soon_days())


def due_soon_days() -> int:
    return settings.ASSIGNMENT_REMINDER_WINDOW_DAYS


def cell_matches(cell: Cell, status: str, today: dt.date) -> bool:
    """Whether a cell answers a dashboard filter: a cell state, or DUE_SOON."""
    return cell.is_due_soon(today) if status == DUE_SOON else cell.status == status


@dataclass
class MemberRow:
    membership: TeamMembership
    cells: list[Cell]
    complete: int = 0
    overdue: int = 0
    last_active: dt.datetime | None = None
    last_reminded: dt.date | None = None

    @property
    def name(self) -> str:
        return person_name(self.membership.user)

    @property
    def has_open_work(self) -> bool:
        return any(not cell.is_complete for cell in self.cells)


@dataclass(frozen=True)
class HeadlineCount:
    """One figure of the dashboard's headline strip: how many members have at least one such cell, and how
    many cells that is. `key` is the dashboard filter the figure links to."""

    key: str
    label: str
    members: int
    cells: int


HEADLINE = [
    (CellState.OVERDUE.value, "Overdue"),
    (DUE_SOON, "Due in the next 7 days"),
    (CellState.QUIZ_FAILED.value, "Quiz failed"),
    (CellState.NOT_STARTED.value, "Not started"),
]


@dataclass
class Dashboard:
    team: Team
    assignments: list[Assignment]
    rows: list[MemberRow]
    topic_totals: list[int] = field(default_factory=list)
    member_count: int = 0
    headline: list[HeadlineCount] = field(default_factory=list)
    today: dt.date | None = None


def teams_led_by(*, user):
    if not user.is_authenticated:
        return Team.objects.none()
    qs = Team.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__role=TeamMembership.Role.MEMBER), distinct=True)
    ).order_by("name")
    if sees_every_team(user):
        return qs
    return qs.filter(memberships__user=user, memberships__role=TeamMembership.Role.LEAD)


def led_team_slugs(*, user) -> list[str]:
    """The slugs of the teams a person leads by membership (staff included only where they lead)."""
    return list(
        Team.objects.filter(memberships__user=user, memberships__role=TeamMembership.Role.LEAD)
        .order_by("name")
        .values_list("slug", flat=True)[:2]
    )


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
    def read(cls, user_ids, topic_ids) -> ProgressState:
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
        return cls(lesson_totals_by_topic(topic_ids=topic_ids), done, opened, completions, quiz, versions, validity)

    @property
    def failed(self) -> set[tuple[int, int]]:
        return {key for key, record in self.quiz.items() if not record.passed}

    def cell(self, *, user_id: int, assignment: Assignment, joined_at: dt.datetime | None, today: dt.date) -> Cell:
        """Complete wins (expiring or expired by its certificate's date); then past the member's due date is overdue;
        then a failed quiz; then any progress; else not started. The due date is member_due_on's."""
        key = (user_id, assignment.topic_id)
        due_on = member_due_on(assignment=assignment, joined_at=joined_at)
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


def team_members(*, team: Team):
    return (
        TeamMembership.objects.filter(team=team, role=TeamMembership.Role.MEMBER)
        .select_related("user", "user__profile")
        .order_by("user__email")
    )


def team_assignments(*, team: Team) -> list[Assignment]:
    return list(team.assignments.select_related("topic", "team").order_by("due_on", "topic__position"))


def member_count(*, team: Team) -> int:
    return TeamMembership.objects.filter(team=team, role=TeamMembership.Role.MEMBER).count()


DASHBOARD_SORTS = ("name", "progress", "overdue", "last_active")


def _member_rows(memberships, assignments, user_ids, today) -> tuple[list[MemberRow], list[int]]:
    """Each membership's cells over the assignments, with its counts; and how many completed each topic."""
    state = ProgressState.read(user_ids, [a.topic_id for a in assignments])
    active, reminded = last_activity(user_ids=user_ids), last_reminders(user_ids=user_ids)
    rows = []
    topic_totals = [0] * len(assignments)
    for membership in memberships:
        cells = [
            state.cell(user_id=membership.user_id, assignment=a, joined_at=membership.joined_at, today=today)
            for a in assignments
        ]
        for i, cell in enumerate(cells):
            if cell.is_complete:
                topic_totals[i] += 1
        rows.append(
            MemberRow(
                membership=membership,
                cells=cells,
                complete=sum(c.is_complete for c in cells),
                overdue=sum(c.status == CellState.OVERDUE for c in cells),
                last_active=active.get(membership.user_id),
                last_reminded=reminded.get(membership.user_id),
            )
        )
    return rows, topic_totals


def team_dashboard(*, team: Team, status: str = "", overdue_only: bool = False, sort: str = "name") -> Dashboard:
    """Members x assigned topics with a status per cell and the headline counts over the whole team; a fixed
    number of queries for any team size. Filters and sorting apply to the rows, never to the headline."""
    today = timezone.localdate()
    assignments = team_assignments(team=team)
    memberships = list(team_members(team=team))
    rows, topic_totals = _member_rows(memberships, assignments, [m.user_id for m in memberships], today)
    headline = [
        HeadlineCount(
            key=key,
            label=label,
            members=sum(any(cell_matches(c, key, today) for c in row.cells) for row in rows),
            cells=sum(cell_matches(c, key, today) for row in rows for c in row.cells),
        )
        for key, label in HEADLINE
    ]
    if status in CellState.values or status == DUE_SOON:
        rows = [r for r in rows if any(cell_matches(c, status, today) for c in r.cells)]
    if overdue_only:
        rows = [r for r in rows if r.overdue]
    rows.sort(key=lambda r: r.name.lower())
    if sort == "progress":
        rows.sort(key=lambda r: -r.complete)
    elif sort == "overdue":
        rows.sort(key=lambda r: -r.overdue)
    elif sort == "last_active":  # the longest inactive first, never active at the very top
        rows.sort(key=lambda r: r.last_active.timestamp() if r.last_active else float("-inf"))
    return Dashboard(
        team=team,
        assignments=assignments,
        rows=rows,
        topic_totals=topic_totals,
        member_count=len(memberships),
        headline=headline,
        today=today,
    )


def team_member_rows(*, team: Team, memberships) -> tuple[list[Assignment], list[MemberRow]]:
    """The assignments and the rows of these memberships only (a page of them, sliced in the database): the
    cost follows the page, not the team."""
    assignments = team_assignments(team=team)
    memberships = list(memberships)
    rows, _ = _member_rows(memberships, assignments, [m.user_id for m in memberships], timezone.localdate())
    return assignments, rows


def member_detail(*, membership: TeamMembership) -> dict:
    """A member's drill-down for their lead: the team's assignments with the member's due date and state, when
    they were last active, topics they have worked on, quiz attempts, and every certificate (revoked too)."""
    user, team = membership.user, membership.team
    assignments = team_assignments(team=team)
    state = ProgressState.read([user.pk], [a.topic_id for a in assignments])
    today, joined_at = timezone.localdate(), membership.joined_at
    progress = topic_progress_map(user=user)
    completions = {c.topic_id: c for c in TopicCompletion.objects.filter(user=user).select_related("topic")}
    topics = (
        Topic.objects.filter(is_published=True).select_related("category").order_by("category__position", "position")
    )
    return {
        "assignments": [
            MemberAssignment(
                assignment=a, cell=state.cell(user_id=user.pk, assignment=a, joined_at=joined_at, today=today)
            )
            for a in assignments
        ],
        "last_active": last_activity(user_ids=[user.pk]).get(user.pk),
        "last_reminded": last_reminders(user_ids=[user.pk]).get(user.pk),
        "rows": [
            {"topic": t, "progress": progress.get(t.pk), "completion": completions.get(t.pk)}
            for t in topics
            if progress.get(t.pk) and (progress[t.pk].done or t.pk in completions)
        ],
        "completions": completions,
        "attempts": list(
            Attempt.objects.filter(user=user, submitted_at__isnull=False)
            .select_related("quiz__topic")
            .order_by("-submitted_at")
        ),
        "certificates": list(Certificate.objects.filter(user=user).select_related("topic").order_by("-created_at")),
    }


def completions_by_week(*, team: Team, weeks: int = 26) -> list[tuple[dt.date, int]]:
    """Topic completions by the team's members per week, oldest first, zero-filled."""
    since = timezone.now() - dt.timedelta(weeks=weeks)
    counts = {
        row["week"].date() if hasattr(row["week"], "date") else row["week"]: row["n"]
        for row in TopicCompletion.objects.filter(
            user__team_memberships__team=team,
            user__team_memberships__role=TeamMembership.Role.MEMBER,
            completed_at__gte=since,
        )
        .annotate(week=TruncWeek("completed_at"))
        .values("week")
        .annotate(n=Count("id"))
    }
    start = timezone.localdate() - dt.timedelta(weeks=weeks - 1)
    start -= dt.timedelta(days=start.weekday())
    return [(start + dt.timedelta(weeks=i), counts.get(start + dt.timedelta(weeks=i), 0)) for i in range(weeks)]


@dataclass
class MemberAssignment:
    assignment: Assignment
    cell: Cell


def assignments_for_member(*, user) -> list[MemberAssignment]:
    """A member's assignments across their teams, soonest due (for them) first, with their own status."""
    if not user.is_authenticated:
        return []
    joined = TeamMembership.objects.filter(team=OuterRef("team_id"), user=user).values("joined_at")[:1]
    assignments = list(
        Assignment.objects.filter(
            team__memberships__user=user,
            team__memberships__role=TeamMembership.Role.MEMBER,
            topic__is_published=True,
        )
        .annotate(joined_at=Subquery(joined))
        .select_related("topic", "team")
        .defer("topic__body_markdown", "topic__body_html")
    )
    if not assignments:
        return []
    state = ProgressState.read([user.pk], list({a.topic_id for a in assignments}))
    today = timezone.localdate()
    result = [
        MemberAssignment(
            assignment=a, cell=state.cell(user_id=user.pk, assignment=a, joined_at=a.joined_at, today=today)
        )
        for a in assignments
    ]
    result.sort(key=lambda item: (item.cell.due_on, item.assignment.topic.title))
    return result


def team_invitation(*, team: Team, invitation_id: int) -> Invitation | None:
    return Invitation.objects.filter(team=team, pk=invitation_id).first()


def invitation_by_token(*, token: str) -> Invitation | None:
    return Invitation.objects.select_related("team").filter(token=token).first()


def open_invitations(*, team: Team):
    return team.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at")
