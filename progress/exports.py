"""CSV exports for leads (the dashboard, the training evidence), streamed row by row and safe to open
in a spreadsheet: text a spreadsheet would run as a formula stays text."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone

from courses.selectors import topic_framework_labels
from progress.models import CellState
from progress.selectors.evidence import EvidenceReport
from progress.selectors.teams import Dashboard


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value):
        return value


def csv_cell(value):
    """Text a spreadsheet would run as a formula (=, +, -, @ first) is quoted so it stays text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_response(rows: Iterable[list], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow([csv_cell(value) for value in row]) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def when(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


def _day(value: dt.datetime | None) -> str:
    return str(timezone.localdate(value)) if value else ""


def dashboard_rows(board: Dashboard) -> Iterator[list]:
    yield (
        ["member", "name"]
        + [f"{a.topic.title} (due {a.due_on})" for a in board.assignments]
        + ["complete", "overdue", "last_active"]
    )
    for row in board.rows:
        cells = []
        for cell in row.cells:
            if cell.is_complete:
                text = f"{cell.label} {when(cell.completed_at)}".strip()
                if cell.valid_until:
                    text += f", valid until {timezone.localdate(cell.valid_until)}"
                if cell.outdated:
                    text += ", earlier content version"
            elif cell.status == CellState.NOT_STARTED:
                text = cell.label
            else:
                text = f"{cell.label} ({cell.percent}%)"
            if cell.extended and not cell.is_complete:
                text += f", due {cell.due_on}"  # joined late: their own due date
            cells.append(text)
        yield [row.membership.user.email, row.name, *cells, row.complete, row.overdue, when(row.last_active)]


EVIDENCE_HEADER = [
    "team",
    "member_email",
    "member_name",
    "topic",
    "state",
    "due_on",
    "completed_at",
    "certificate_code",
    "certificate_status",
    "certificate_issued_on",
    "certificate_valid_until",
    "verification_url",
    "best_quiz_score",
    "quiz_attempts",
    "quiz_resets",
    "content_version",
]


def framework_mapping_columns() -> tuple[list[str], Callable[[int | None], list[str]]]:
    """The evidence's framework columns (one per framework, e.g. `nist_ai_rmf_items`), and a function
    giving a topic's cells: the items it covers, as their publishers write them, joined by '; '."""
    frameworks, labels = topic_framework_labels()
    header = [f"{framework.key.lower().replace('-', '_')}_items" for framework in frameworks]

    def for_topic(topic_id: int | None) -> list[str]:
        by_framework = labels.get(topic_id, {})
        return ["; ".join(by_framework.get(framework.pk, [])) for framework in frameworks]

    return header, for_topic


def evidence_rows(report: EvidenceReport) -> Iterator[list]:
    mapping_header, mapping_columns = framework_mapping_columns()
    yield EVIDENCE_HEADER + mapping_header
    for row in report.rows:
        yield [
            report.team.name,
            row.member_email,
            row.member_name,
            row.topic_title,
            row.state,
            str(row.due_on),
            when(row.completed_at),
            row.certificate_code or "",
            row.certificate_status or "",
            _day(row.certificate_issued_at),
            _day(row.certificate_valid_until),
            row.verification_url or "",
            "" if row.best_score is None else row.best_score,
            row.attempts,
            row.quiz_resets,
            when(row.content_version),
            *mapping_columns(row.topic_id),
        ]
