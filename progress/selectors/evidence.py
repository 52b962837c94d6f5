"""The training-evidence report: every member of a team x every topic assigned to it, with where they stand,
when they completed it (and the certificate) or when it is due, their quiz score and attempts, and the content
version they completed; coverage per assignment and for the team; optionally limited to a period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone

from progress.models import Assignment, CellState, Certificate, Team, certificate_verification_path, person_name
from progress.selectors.cells import ProgressState
from progress.selectors.teams import team_assignments, team_members
from quizzes.models import AttemptReset
from safety_academy.links import absolute_url


@dataclass(frozen=True)
class EvidenceRow:
    member_email: str
    member_name: str
    topic_title: str
    topic_slug: str
    topic_id: int
    state: str  # a CellState value
    due_on: dt.date  # the member's own due date (later than the assignment's for someone who joined late)
    completed_at: dt.datetime | None
    best_score: int | None
    attempts: int
    certificate_code: str | None
    certificate_status: str | None
    verification_url: str | None
    content_version: dt.datetime | None
    certificate_issued_at: dt.datetime | None = None
    certificate_valid_until: dt.datetime | None = None  # None: it does not expire
    # Fresh starts on this topic's quiz a lead or staff granted the member (the member page says who and why).
    quiz_resets: int = 0

    @property
    def state_label(self) -> str:
        return CellState(self.state).label


@dataclass(frozen=True)
class Coverage:
    """Of the rows in scope for an assignment (or the whole team): how many are complete, how many overdue."""

    title: str
    rows: int
    complete: int
    overdue: int

    @property
    def percent_complete(self) -> int:
        return round(100 * self.complete / self.rows) if self.rows else 0

    @property
    def percent_overdue(self) -> int:
        return round(100 * self.overdue / self.rows) if self.rows else 0


@dataclass
class EvidenceReport:
    team: Team
    generated_at: dt.datetime
    period_from: dt.date | None
    period_to: dt.date | None
    member_count: int
    assignments: list[Assignment]
    rows: list[EvidenceRow]
    coverage: list[Coverage]  # one per assignment, in the dashboard's order
    team_coverage: Coverage


# A certificate's public page says something an auditor can check once it was issued (and, later, revoked).
VERIFIABLE = {Certificate.Status.ISSUED, Certificate.Status.REVOKED}


def check_period(*, start: dt.date | None, end: dt.date | None) -> None:
    """A period runs forwards; raises ValidationError keyed by field otherwise."""
    if start and end and start > end:
        raise ValidationError({"to": "The end of the period is before its start."})


def _verification_url(code: str | None, status: str | None) -> str | None:
    return absolute_url(certificate_verification_path(code)) if code and status in VERIFIABLE else None


def in_period(*, due_on: dt.date, completed_at: dt.datetime | None, start: dt.date | None, end: dt.date | None):
    """A row belongs to a period when it fell due in it or was completed in it (either bound may be open)."""

    def within(day: dt.date) -> bool:
        return (start is None or day >= start) and (end is None or day <= end)

    return within(due_on) or (completed_at is not None and within(timezone.localdate(completed_at)))


def _certificates(user_ids, topic_ids) -> dict[tuple[int, int], tuple]:
    """The certificate each row points to: the newest issued one (a renewal, once issued) if there is one, else
    the newest (pending, failed or revoked), so a revoked certificate shows as such rather than vanishing.
    Values: (code, status, issued_at, valid_until)."""
    rank = {Certificate.Status.ISSUED: 0, Certificate.Status.PENDING: 1, Certificate.Status.FAILED: 2}
    chosen: dict[tuple[int, int], tuple] = {}
    rows = (
        Certificate.objects.filter(user_id__in=user_ids, topic_id__in=topic_ids)
        .order_by("-created_at")
        .values_list("user_id", "topic_id", "code", "status", "issued_at", "valid_until")
    )
    for user_id, topic_id, *certificate in rows:
        key, score = (user_id, topic_id), rank.get(certificate[1], 3)
        if key not in chosen or score < chosen[key][0]:
            chosen[key] = (score, *certificate)
    return {key: tuple(values[1:]) for key, values in chosen.items()}


def _reset_counts(user_ids, topic_ids) -> dict[tuple[int, int], int]:
    """How many quiz resets each member was granted on each topic: one grouped query."""
    rows = (
        AttemptReset.objects.filter(user_id__in=user_ids, quiz__topic_id__in=topic_ids)
        .values_list("user_id", "quiz__topic_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(user_id, topic_id): n for user_id, topic_id, n in rows}


def evidence_report(*, team: Team, period_from: dt.date | None = None, period_to: dt.date | None = None):
    """The whole report in a fixed number of queries (assignments, members, ProgressState's four, certificates,
    quiz resets) for any team size; rows ordered by member, then by assignment as the dashboard orders them."""
    today = timezone.localdate()
    assignments = team_assignments(team=team)
    memberships = list(team_members(team=team))
    user_ids, topic_ids = [m.user_id for m in memberships], [a.topic_id for a in assignments]
    state = ProgressState.read(user_ids, topic_ids)
    certificates = _certificates(user_ids, topic_ids) if user_ids and topic_ids else {}
    resets = _reset_counts(user_ids, topic_ids) if user_ids and topic_ids else {}
    rows: list[EvidenceRow] = []
    counts = {a.pk: [0, 0, 0] for a in assignments}  # rows, complete, overdue
    for membership in sorted(memberships, key=lambda m: person_name(m.user).lower()):
        name = person_name(membership.user)
        for assignment in assignments:
            cell = state.cell(
                user_id=membership.user_id, assignment=assignment, joined_at=membership.joined_at, today=today
            )
            if not in_period(due_on=cell.due_on, completed_at=cell.completed_at, start=period_from, end=period_to):
                continue
            key = (membership.user_id, assignment.topic_id)
            quiz = state.quiz.get(key)
            code, status, issued_at, valid_until = certificates.get(key, (None, None, None, None))
            rows.append(
                EvidenceRow(
                    member_email=membership.user.email,
                    member_name=name,
                    topic_title=assignment.topic.title,
                    topic_slug=assignment.topic.slug,
                    topic_id=assignment.topic_id,
                    state=cell.status,
                    due_on=cell.due_on,
                    completed_at=cell.completed_at,
                    best_score=quiz.best_score if quiz else None,
                    attempts=quiz.attempts if quiz else 0,
                    certificate_code=code,
                    certificate_status=status,
                    verification_url=_verification_url(code, status),
                    content_version=state.content_versions.get(key),
                    certificate_issued_at=issued_at,
                    certificate_valid_until=valid_until,
                    quiz_resets=resets.get(key, 0),
                )
            )
            tally = counts[assignment.pk]
            tally[0] += 1
            tally[1] += cell.is_complete
            tally[2] += cell.status == CellState.OVERDUE
    coverage = [Coverage(a.topic.title, *counts[a.pk]) for a in assignments]
    team_coverage = Coverage(
        team.name, sum(c.rows for c in coverage), sum(c.complete for c in coverage), sum(c.overdue for c in coverage)
    )
    return EvidenceReport(
        team=team,
        generated_at=timezone.now(),
        period_from=period_from,
        period_to=period_to,
        member_count=len(memberships),
        assignments=assignments,
        rows=rows,
        coverage=coverage,
        team_coverage=team_coverage,
    )
