"""CSV exports keep spreadsheet formulas as text; the dashboard's CSV is pinned byte for byte."""

import csv
import datetime as dt
import io

from django.utils import timezone

from progress.exports import when
from progress.models import TeamMembership, TopicCompletion, person_name
from progress.selectors.activity import last_activity
from progress.services import learning
from tests.factories import (
    AssignmentFactory,
    MembershipFactory,
    TeamFactory,
    topic_with_lessons,
)


def test_exports_keep_formulas_as_text(client, db):
    team = TeamFactory(slug="csv")
    lead = MembershipFactory(team=team, role=TeamMembership.Role.LEAD).user
    member = MembershipFactory(team=team).user
    learning.profile_update(user=member, full_name="=HYPERLINK(1)")
    topic = topic_with_lessons(1)
    AssignmentFactory(team=team, topic=topic)
    client.force_login(lead)
    rows = list(csv.reader(io.StringIO(b"".join(client.get("/teams/csv/dashboard.csv").streaming_content).decode())))
    assert rows[1][1] == "'=HYPERLINK(1)"


def test_the_dashboard_csv_is_pinned_byte_for_byte(client, team_in_every_state):
    """Every kind of cell the CSV writes, exactly: a late joiner's own date, percentages, a completion's time."""
    people, today = team_in_every_state["people"], timezone.localdate()
    topics = [team_in_every_state[k] for k in ("late_topic", "soon_topic", "topic")]
    due = [today - dt.timedelta(days=2), today + dt.timedelta(days=5), today + dt.timedelta(days=10)]
    own = today + dt.timedelta(days=13)
    completion = TopicCompletion.objects.get(user=people["complete"], topic=team_in_every_state["topic"])
    active = {name: when(last_activity(user_ids=[people[name].pk]).get(people[name].pk)) for name in people}
    done = when(completion.completed_at)
    header = ",".join(["member", "name", *(f"{t.title} (due {d})" for t, d in zip(topics, due, strict=True))])
    lines = [
        header + ",complete,overdue,last_active",
        f"not_started@example.com,{person_name(people['not_started'])},Overdue (0%),Not started,Not started,0,1,",
        f"in_progress@example.com,{person_name(people['in_progress'])},Overdue (0%),Not started,In progress (50%),"
        f"0,1,{active['in_progress']}",
        f"quiz_failed@example.com,{person_name(people['quiz_failed'])},Overdue (0%),Not started,Quiz failed (100%),"
        f"0,1,{active['quiz_failed']}",
        f"complete@example.com,{person_name(people['complete'])},Overdue (0%),Not started,Complete {done},1,1,"
        f"{active['complete']}",
        f'joined_late@example.com,{person_name(people["joined_late"])},"Not started, due {own}",'
        f'"Not started, due {own}","Not started, due {own}",0,0,',
    ]
    client.force_login(team_in_every_state["lead"])
    body = b"".join(client.get("/teams/ops/dashboard.csv").streaming_content)
    assert body == ("\r\n".join(lines) + "\r\n").encode()
    by_progress = b"".join(client.get("/teams/ops/dashboard.csv?sort=progress&status=overdue").streaming_content)
    assert by_progress.decode().split("\r\n")[1].startswith("complete@example.com,")  # most complete first
