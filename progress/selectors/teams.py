"""Reads for teams: the lead's dashboard (members x assigned topics, with its headline counts), a member's
drill-down, the completions chart, and a member's own assignments. The evidence report is in evidence.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from courses.models import Lesson, Topic
from progress.access import sees_every_team
from progress.models import (
    Assignment,
    CellState,
    Certificate,
    Invitation,
    Team,
    TeamMembership,
    TopicCompletion,
    person_name,
)
from progress.selectors.activity import last_activity, last_reminders
from progress.selectors.board import BOARD_SORTS, TeamBoard
from progress.selectors.cells import DUE_SOON, Cell, ProgressState
from progress.selectors.learning import topic_progress_map
from quizzes.models import Attempt


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
    page: Page | None = None  # the page shown, when one was asked for (its object_list: `rows`)


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


def team_members(*, team: Team):
    return (
        TeamMembership.objects.filter(team=team, role=TeamMembership.Role.MEMBER)
        .select_related("user", "user__profile")
        .order_by("user__email")
    )


def team_assignments(*, team: Team) -> list[Assignment]:
    """The team's assignments, soonest due first, each with its topic's published lesson count (`lesson_total`,
    what a cell's percent is of: ProgressState.read takes them instead of counting again)."""
    lessons = Lesson.objects.filter(topic=OuterRef("topic_id"), is_published=True, topic__is_published=True)
    total = Subquery(lessons.values("topic").annotate(n=Count("pk")).values("n"))
    return list(
        team.assignments.select_related("topic", "team")
        .annotate(lesson_total=Coalesce(total, 0))
        .order_by("due_on", "topic__position")
    )


def lesson_totals(assignments: list[Assignment]) -> dict[int, int]:
    return {a.topic_id: a.lesson_total for a in assignments}


def member_count(*, team: Team) -> int:
    return TeamMembership.objects.filter(team=team, role=TeamMembership.Role.MEMBER).count()


DASHBOARD_SORTS = BOARD_SORTS
DASHBOARD_PAGE_SIZE = 50


def _member_rows(memberships, assignments, today, *, reminders: bool = True) -> list[MemberRow]:
    """Each membership's cells over the assignments, with its counts (four queries for the progress, two for the
    activity and one for the reminders, over these members only)."""
    user_ids = [m.user_id for m in memberships]
    state = ProgressState.read(user_ids, [a.topic_id for a in assignments], totals=lesson_totals(assignments))
    active = last_activity(user_ids=user_ids)
    reminded = last_reminders(user_ids=user_ids) if reminders else {}
    rows = []
    for membership in memberships:
        user_id, joined_at = membership.user_id, membership.joined_at
        joined_on = timezone.localdate(joined_at)  # once a row, not once a cell
        cells = [
            state.cell(user_id=user_id, assignment=a, joined_at=joined_at, today=today, joined_on=joined_on)
            for a in assignments
        ]
        rows.append(
            MemberRow(
                membership=membership,
                cells=cells,
                complete=sum(c.is_complete for c in cells),
                overdue=sum(c.status == CellState.OVERDUE for c in cells),
                last_active=active.get(user_id),
                last_reminded=reminded.get(user_id),
            )
        )
    return rows


class _CountedPaginator(Paginator):
    """A paginator told its count (the board's figures already hold it), saving a COUNT query."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property


def _known(status: str, sort: str) -> tuple[str, str]:
    """The filter and the sort, an unknown one ignored (no link makes one)."""
    status = status if status in CellState.values or status == DUE_SOON else ""
    return status, sort if sort in DASHBOARD_SORTS else "name"


def team_dashboard(
    *, team: Team, status: str = "", overdue_only: bool = False, sort: str = "name", page: int | str | None = None
) -> Dashboard:
    """Members x assigned topics with a status per cell and the headline counts over the whole team. The database
    counts, filters and sorts every member; Python builds the cells of the rows shown: the `page` asked for
    (DASHBOARD_PAGE_SIZE members; a fixed number of queries for any team size), else every row."""
    today = timezone.localdate()
    assignments = team_assignments(team=team)
    board = TeamBoard(team=team, assignments=assignments, today=today)
    status, sort = _known(status, sort)
    figures = board.figures(status=status, overdue_only=overdue_only)
    listed = board.listed(status=status, overdue_only=overdue_only, sort=sort).select_related("user", "user__profile")
    shown = None
    if page is not None:
        shown = _CountedPaginator(listed, DASHBOARD_PAGE_SIZE, count=figures.listed).get_page(page)
        listed = shown.object_list
    rows = _member_rows(list(listed), assignments, today)
    if shown is not None:
        shown.object_list = rows
    return Dashboard(
        team=team,
        assignments=assignments,
        rows=rows,
        topic_totals=figures.topic_totals,
        member_count=figures.members,
        headline=[HeadlineCount(key, label, *figures.headline[key]) for key, label in HEADLINE],
        today=today,
        page=shown,
    )


def dashboard_export(*, team: Team, status: str = "", overdue_only: bool = False, sort: str = "name") -> Dashboard:
    """Every row the dashboard lists with these filters and sort, for the CSV: the database filters and sorts as
    for the page; no headline figures and no reminder dates (the CSV has neither)."""
    today = timezone.localdate()
    assignments = team_assignments(team=team)
    board = TeamBoard(team=team, assignments=assignments, today=today)
    status, sort = _known(status, sort)
    listed = board.listed(status=status, overdue_only=overdue_only, sort=sort).select_related("user", "user__profile")
    members = list(listed)
    rows = _member_rows(members, assignments, today, reminders=False)
    return Dashboard(team=team, assignments=assignments, rows=rows, member_count=len(rows), today=today)


def team_member_rows(*, team: Team, memberships) -> tuple[list[Assignment], list[MemberRow]]:
    """The assignments and the rows of these memberships only (a page of them, sliced in the database): the
    cost follows the page, not the team."""
    assignments = team_assignments(team=team)
    return assignments, _member_rows(list(memberships), assignments, timezone.localdate())


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
