"""{% dashboard_rows page.object_list board team %}: the dashboard's member rows (a <tr> each, its cells and
its reminder button) drawn in Python. Fifty rows of ten cells through the template language cost more than all
the rest of the page; the markup is the one the template had (tests/progress/teams/test_dashboard_table.py)."""

from django import template
from django.utils import dateformat, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from progress.models import CellState
from safety_academy.links import site_path

register = template.Library()

_WITH_PERCENT = (CellState.IN_PROGRESS, CellState.OVERDUE, CellState.QUIZ_FAILED)
_OUTDATED = (
    ' <span class="cell-marker" title="Certificate earned on an earlier content version" data-outdated="1">'
    "earlier version</span>"
)


def _day(value, pattern: str) -> str:
    if hasattr(value, "tzinfo"):  # a moment: shown on the local calendar, as the template's |date did
        value = timezone.localtime(value)
    return dateformat.format(value, pattern)


def cell_html(cell) -> str:
    """One cell. Everything in it is the platform's own (a state, its label, dates, a percent): nothing to escape."""
    status = cell.status
    if status == CellState.COMPLETE:
        detail = " " + _day(cell.completed_at, "j M") if cell.completed_at else " "
    elif status in (CellState.EXPIRING, CellState.EXPIRED):
        detail = " " + _day(cell.valid_until, "j M Y") if cell.valid_until else " "
    elif status in _WITH_PERCENT:
        detail = f" · {cell.percent}%"
    else:
        detail = ""
    html = f'<td><span class="cell cell-{status}" data-status="{status}">{cell.label}{detail}</span>'
    if cell.outdated:
        html += _OUTDATED
    if cell.extended and not cell.is_complete:
        html += f'<br><span class="muted small">joined late: due {_day(cell.due_on, "j M")}</span>'
    return html + "</td>"


def row_html(row, *, team, assignment_count: int, today) -> str:
    """One member's row; their name and email are escaped, everything else is the platform's own."""
    user_id, email, name = row.membership.user_id, escape(row.membership.user.email), escape(row.name)
    url = site_path("progress:team_member", team.slug, user_id)
    person = f'<th scope="row"><a href="{url}">{name}</a>'
    if name != email:
        person += f'<br><span class="muted">{email}</span>'
    if row.last_active:
        active = f'<time datetime="{_day(row.last_active, "c")}">{_day(row.last_active, "j M Y")}</time>'
    else:
        active = '<span class="muted">never</span>'
    if row.last_reminded == today:
        remind = '<span class="muted small">reminded today</span>'
    elif row.has_open_work:
        remind = (
            f'<button type="submit" form="remind-form" name="user" value="{user_id}" class="button-secondary '
            f'button-small" aria-label="Send a reminder to {name}">Remind</button>'
        )
        if row.last_reminded:
            remind += f'<br><span class="muted small">last {_day(row.last_reminded, "j M")}</span>'
    else:
        remind = ""
    cells = "\n      ".join(cell_html(cell) for cell in row.cells)
    return (
        f"    <tr>\n      {person}</th>\n      {cells}\n      <td>{row.complete}/{assignment_count}</td>\n"
        f"      <td>{active}</td>\n      <td>{remind}</td>\n    </tr>\n"
    )


@register.simple_tag
def dashboard_rows(rows, board, team) -> SafeString:
    count = len(board.assignments)
    return mark_safe("".join(row_html(r, team=team, assignment_count=count, today=board.today) for r in rows))
