"""The dashboard and the members API page their rows: 50 at a time, the filters and sort kept in the links,
the CSV complete, the API cut in the database."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from progress.models import LessonProgress, TeamMembership
from progress.services.summary import topic_progress_rebuild
from tests.factories import AssignmentFactory, MembershipFactory, TeamFactory, bulk_members, topic_with_lessons


@pytest.fixture
def big_team(db):
    team = TeamFactory(slug="big")
    lead = MembershipFactory(team=team, role=TeamMembership.Role.LEAD).user
    topics = [topic_with_lessons(2) for _ in range(10)]
    for i, topic in enumerate(topics):
        AssignmentFactory(team=team, topic=topic, due_on=timezone.localdate() + dt.timedelta(days=30 + i))
    members = bulk_members(team, 120)
    lesson = topics[0].lessons.first()
    # Every third member has opened a lesson: "in progress" filters 40 of them.
    LessonProgress.objects.bulk_create(
        [LessonProgress(user=u, lesson=lesson, last_opened_at=timezone.now()) for u in members[::3]]
    )
    topic_progress_rebuild(topic_ids=[topics[0].pk])  # written in bulk, past the services
    return {"team": team, "lead": lead, "members": members}


def _rows(html: str) -> int:
    return html.count('<th scope="row"><a href="/teams/big/members/')


def test_dashboard_shows_fifty_rows_a_page_and_keeps_filters_and_sort(client, big_team):
    client.force_login(big_team["lead"])
    first = client.get("/teams/big/").content.decode()
    assert _rows(first) == 50
    assert "Page 1 of 3" in first and 'href="?sort=name&amp;page=2"' in first
    last = client.get("/teams/big/?page=3").content.decode()
    assert _rows(last) == 20 and 'rel="prev" href="?sort=name&amp;page=2"' in last
    # The headline and the totals still count the whole team.
    assert '<span class="value">120</span><span class="label">members</span>' in last
    filtered = client.get("/teams/big/?status=in_progress&sort=progress").content.decode()
    assert _rows(filtered) == 40 and "Page 1" not in filtered  # one page: no pager
    # Everyone has a topic not started: three pages, and the links keep the filter and the sort.
    paged = client.get("/teams/big/?status=not_started&sort=last_active&overdue=&page=3").content.decode()
    assert _rows(paged) == 20 and 'href="?status=not_started&amp;sort=last_active&amp;page=2"' in paged


@pytest.mark.parametrize("page", ["0", "99", "x", "-1"])
def test_a_page_out_of_range_is_the_nearest_page_not_an_error(client, big_team, page):
    client.force_login(big_team["lead"])
    response = client.get(f"/teams/big/?page={page}")
    assert response.status_code == 200 and _rows(response.content.decode()) in (50, 20)


def test_the_csv_has_every_member_whatever_the_page(client, big_team):
    client.force_login(big_team["lead"])
    response = client.get("/teams/big/dashboard.csv?page=2")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1 + 120


def test_the_members_api_pages_in_the_database(client, big_team, django_assert_num_queries):
    client.force_login(big_team["lead"])
    first = client.get("/api/v1/teams/big/members/").json()
    assert first["count"] == 120 and len(first["results"]) == 50 and first["next"]
    emails = sorted(u.email for u in big_team["members"])
    assert [row["email"] for row in first["results"]] == emails[:50]
    last = client.get("/api/v1/teams/big/members/?page=3").json()
    assert [row["email"] for row in last["results"]] == emails[100:]
    assert all(len(row["cells"]) == 10 for row in last["results"])
    opened = {u.email for u in big_team["members"][::3]}
    states = {row["email"]: row["cells"][0]["status"] for row in first["results"] + last["results"]}
    assert all((state == "in_progress") == (email in opened) for email, state in states.items())
    assert client.get("/api/v1/teams/big/members/?page=9").status_code == 404


def test_first_dashboard_page_of_500_members_is_under_150_kb(client, big_team):
    bulk_members(big_team["team"], 400, start=1000)
    client.force_login(big_team["lead"])
    response = client.get("/teams/big/")
    assert response.status_code == 200 and len(response.content) < 150 * 1024
    assert "members 1\u201350 of 520" in response.content.decode()
