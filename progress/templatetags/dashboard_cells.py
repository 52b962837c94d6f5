"""{% dashboard_cells row.cells %}: a dashboard row's cells (<td> each) drawn in Python. Fifty rows of ten cells
through the template language cost more than all the rest of the page; the markup is the one the template had."""

from django import template
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString, mark_safe

from progress.models import CellState

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


@register.simple_tag
def dashboard_cells(cells) -> SafeString:
    return mark_safe("\n      ".join(cell_html(cell) for cell in cells))
