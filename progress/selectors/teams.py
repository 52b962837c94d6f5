"""Reads for teams: the lead's dashboard (members x assigned topics), a member's drill-down, the
training evidence report, the completions chart, and a member's own assignments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import TruncWeek
from django.utils import timezone

from courses.models import Topic
from progress.access import sees_every_team
from progress.models import (
    Assignment,
    CellState,
    Certificate,
    Invitation,
    LessonProgress,
    Team,
    TeamMembership,
    TopicCompletion,
    certificate_verification_path,
    person_name,
)
from progress.selectors.learning import lesson_totals_by_topic, topic_progress_map
from quizzes.models import Attempt
from safety_academy.links import absolute_url


@dataclass
class Cell:
    status: str
    percent: int = 0
    completed_at: dt.datetime | None = None
    due_on: dt.date | None = None

    @property
    def label(self) -> str:
        return CellState(self.status).label


@dataclass
class MemberRow:
    membership: TeamMembership
    cells: list[Cell]
    complete: int = 0
    overdue: int = 0

    @property
    def name(self) -> str:
        return person_name(self.membership.user)


@dataclass
class Dashboard:
    team: Team
    assignments: list[Assignment]
    rows: list[MemberRow]
    topic_totals: list[int] = field(default_factory=list)
    member_count: int = 0


def teams_led_by(*, user):
    if not user.is_authenticated:
        return Team.objects.none()
    qs = Team.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__role=TeamMembership.Role.MEMBER), distinct=True)
    ).order_by("name")
    if sees_every_team(user):
        return qs
    return qs.filter(memberships__user=user, memberships__role=TeamMembership.Role.LEAD)


@dataclass
class ProgressState:
    """What a set of users has done on a set of topics, read in four grouped queries."""

    totals: dict[int, int]
    done: dict[tuple[int, int], int]
    opened: dict[tuple[int, int], int]
    completions: dict[tuple[int, int], dt.datetime]
    failed: set[tuple[int, int]]

    @classmethod
    def read(cls, user_ids, topic_ids) -> ProgressState:
        if not user_ids or not topic_ids:
            return cls({}, {}, {}, {}, set())
        done: dict[tuple[int, int], int] = {}
        opened: dict[tuple[int, int], int] = {}
        rows = (
            LessonProgress.objects.filter(
                user_id__in=user_ids, lesson__topic_id__in=topic_ids, lesson__is_published=True
            )
            .values("user_id", "lesson__topic_id")
            .annotate(done=Count("id", filter=Q(completed_at__isnull=False)), opened=Count("id"))
        )
        for row in rows:
            key = (row["user_id"], row["lesson__topic_id"])
            done[key], opened[key] = row["done"], row["opened"]
        completions = {
            (user_id, topic_id): completed_at
            for user_id, topic_id, completed_at in TopicCompletion.objects.filter(
                user_id__in=user_ids, topic_id__in=topic_ids
            ).values_list("user_id", "topic_id", "completed_at")
        }
        failed = {
            (row["user_id"], row["quiz__topic_id"])
            for row in Attempt.objects.filter(
                user_id__in=user_ids, quiz__topic_id__in=topic_ids, submitted_at__isnull=False
            )
            .values("user_id", "quiz__topic_id")
            .annotate(passed_n=Count("id", filter=Q(passed=True)))
            .filter(passed_n=0)
        }
        return cls(lesson_totals_by_topic(topic_ids=topic_ids), done, opened, completions, failed)

    def cell(self, *, user_id: int, assignment: Assignment, today: dt.date) -> Cell:
        """Complete wins; then past due is overdue; then a failed quiz; then any progress; else not started."""
        key = (user_id, assignment.topic_id)
        if key in self.completions:
            return Cell(CellState.COMPLETE, 100, self.completions[key], assignment.due_on)
        total, done = self.totals.get(assignment.topic_id, 0), self.done.get(key, 0)
        percent = round(100 * done / total) if total else 0
        if assignment.due_on < today:
            return Cell(CellState.OVERDUE, percent, None, assignment.due_on)
        if key in self.failed:
            return Cell(CellState.QUIZ_FAILED, percent, None, assignment.due_on)
        if done or self.opened.get(key):
            return Cell(CellState.IN_PROGRESS, percent, None, assignment.due_on)
        return Cell(CellState.NOT_STARTED, 0, None, assignment.due_on)


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


def team_dashboard(*, team: Team, status: str = "", overdue_only: bool = False, sort: str = "name") -> Dashboard:
    """Members x assigned topics with a status per cell; a fixed number of queries for any team size."""
    today = timezone.localdate()
    assignments = team_assignments(team=team)
    memberships = list(team_members(team=team))
    state = ProgressState.read([m.user_id for m in memberships], [a.topic_id for a in assignments])
    rows = []
    topic_totals = [0] * len(assignments)
    for membership in memberships:
        cells = [state.cell(user_id=membership.user_id, assignment=a, today=today) for a in assignments]
        for i, cell in enumerate(cells):
            if cell.status == CellState.COMPLETE:
                topic_totals[i] += 1
        row = MemberRow(
            membership=membership,
            cells=cells,
            complete=sum(c.status == CellState.COMPLETE for c in cells),
            overdue=sum(c.status == CellState.OVERDUE for c in cells),
        )
        rows.append(row)
    if status in CellState.values:
        rows = [r for r in rows if any(c.status == status for c in r.cells)]
    if overdue_only:
        rows = [r for r in rows if r.overdue]
    if sort == "progress":
        rows.sort(key=lambda r: (-r.complete, r.name.lower()))
    elif sort == "overdue":
        rows.sort(key=lambda r: (-r.overdue, r.name.lower()))
    else:
        rows.sort(key=lambda r: r.name.lower())
    return Dashboard(
        team=team, assignments=assignments, rows=rows, topic_totals=topic_totals, member_count=len(memberships)
    )


def member_detail(*, membership: TeamMembership) -> dict:
    """A member's drill-down for their lead: topics they have worked on, quiz attempts, certificates."""
    user = membership.user
    progress = topic_progress_map(user=user)
    completions = {c.topic_id: c for c in TopicCompletion.objects.filter(user=user).select_related("topic")}
    topics = (
        Topic.objects.filter(is_published=True).select_related("category").order_by("category__position", "position")
    )
    return {
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


@dataclass(frozen=True)
class EvidenceRow:
    member_email: str
    member_name: str
    topic_title: str
    completed_at: dt.datetime
    best_score: int | None
    certificate_code: str | None
    verification_url: str | None
    content_version: dt.datetime
    topic_id: int | None = None


def evidence_rows(*, team: Team) -> Iterator[EvidenceRow]:
    """Every completed topic of every member, streamed from one query with a server-side cursor."""
    best = (
        Attempt.objects.filter(user=OuterRef("user_id"), quiz__topic=OuterRef("topic_id"), submitted_at__isnull=False)
        .order_by("-score_percent")
        .values("score_percent")[:1]
    )
    certificate = (
        Certificate.objects.filter(user=OuterRef("user_id"), topic=OuterRef("topic_id"), status="issued")
        .order_by("-issued_at")
        .values("code")[:1]
    )
    qs = (
        TopicCompletion.objects.filter(
            user__team_memberships__team=team, user__team_memberships__role=TeamMembership.Role.MEMBER
        )
        .annotate(best_score=Subquery(best), certificate_code=Subquery(certificate))
        .values_list(
            "user__email",
            "user__profile__full_name",
            "topic__title",
            "completed_at",
            "best_score",
            "certificate_code",
            "content_version",
            "topic_id",
        )
        .order_by("user__email", "completed_at")
    )
    for email, name, title, completed_at, score, code, version, topic_id in qs.iterator(chunk_size=2000):
        yield EvidenceRow(
            member_email=email,
            member_name=name or "",
            topic_title=title,
            completed_at=completed_at,
            best_score=score,
            certificate_code=code,
            verification_url=absolute_url(certificate_verification_path(code)) if code else None,
            content_version=version,
            topic_id=topic_id,
        )


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
    """A member's assignments across their teams, soonest due first, with their own status."""
    if not user.is_authenticated:
        return []
    assignments = list(
        Assignment.objects.filter(
            team__memberships__user=user,
            team__memberships__role=TeamMembership.Role.MEMBER,
            topic__is_published=True,
        )
        .select_related("topic", "team")
        .order_by("due_on")
    )
    if not assignments:
        return []
    state = ProgressState.read([user.pk], list({a.topic_id for a in assignments}))
    today = timezone.localdate()
    result = [
        MemberAssignment(assignment=a, cell=state.cell(user_id=user.pk, assignment=a, today=today)) for a in assignments
    ]
    return result


def team_invitation(*, team: Team, invitation_id: int) -> Invitation | None:
    return Invitation.objects.filter(team=team, pk=invitation_id).first()


def invitation_by_token(*, token: str) -> Invitation | None:
    return Invitation.objects.select_related("team").filter(token=token).first()


def open_invitations(*, team: Team):
    return team.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at")
