"""{% dashboard_rows %} draws each kind of cell and row as the template's markup did."""

import datetime as dt

from django.template import Context, Template
from django.utils import timezone

from progress.selectors.cells import Cell
from progress.templatetags.dashboard_table import cell_html

# The markup the dashboard template had for a cell, before the tag drew it.
TEMPLATE_CELL = Template(
    '<td><span class="cell cell-{{ cell.status }}" data-status="{{ cell.status }}">{{ cell.label }}'
    '{% if cell.status == "complete" %} {{ cell.completed_at|date:"j M" }}'
    '{% elif cell.status == "expiring" or cell.status == "expired" %} {{ cell.valid_until|date:"j M Y" }}'
    '{% elif cell.status == "in_progress" or cell.status == "overdue" or cell.status == "quiz_failed" %}'
    " · {{ cell.percent }}%{% endif %}</span>"
    '{% if cell.outdated %} <span class="cell-marker" title="Certificate earned on an earlier content version" '
    'data-outdated="1">earlier version</span>{% endif %}'
    '{% if cell.extended and not cell.is_complete %}<br><span class="muted small">joined late: due '
    '{{ cell.due_on|date:"j M" }}</span>{% endif %}</td>'
)


def test_every_kind_of_cell_is_drawn_as_the_template_drew_it(settings):
    settings.TIME_ZONE = "Pacific/Auckland"  # a moment late in the UTC day is the next day here
    late_utc = dt.datetime(2026, 3, 1, 22, 30, tzinfo=dt.UTC)
    due = dt.date(2026, 3, 9)
    cells = [
        Cell("not_started", 0, None, due),
        Cell("not_started", 0, None, due, extended=True),
        Cell("in_progress", 50, None, due),
        Cell("overdue", 0, None, due, extended=True),
        Cell("quiz_failed", 100, None, due),
        Cell("complete", 100, late_utc, due),
        Cell("complete", 100, late_utc, due, extended=True, outdated=True),
        Cell("expiring", 100, late_utc, due, valid_until=late_utc + dt.timedelta(days=20)),
        Cell("expired", 100, late_utc, due, valid_until=late_utc, outdated=True),
        Cell("expired", 100, late_utc, due, valid_until=None),
    ]
    with timezone.override("Pacific/Auckland"):
        for cell in cells:
            assert cell_html(cell) == TEMPLATE_CELL.render(Context({"cell": cell})), cell
    assert "2 Mar" in cell_html(cells[5])  # on the local calendar


def test_a_members_name_is_escaped_in_the_row_and_its_reminder_button(client, team_in_every_state):
    from progress.services import learning

    person = team_in_every_state["people"]["in_progress"]
    learning.profile_update(user=person, full_name="<b>Ann & 'Bo'</b>")
    client.force_login(team_in_every_state["lead"])
    html = client.get("/teams/ops/").content.decode()
    escaped = "&lt;b&gt;Ann &amp; &#x27;Bo&#x27;&lt;/b&gt;"
    assert f'>{escaped}</a><br><span class="muted">in_progress@example.com</span>' in html
    assert f'aria-label="Send a reminder to {escaped}"' in html and "<b>Ann" not in html
