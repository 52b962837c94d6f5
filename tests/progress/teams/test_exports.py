"""CSV exports keep spreadsheet formulas as text."""

import csv
import io

from progress.models import TeamMembership
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
