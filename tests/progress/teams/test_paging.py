"""The dashboard and the members API page their rows: 50 at a time, the filters and sort kept in the links, each
page continuing the whole team's order, the CSV complete, the API cut in the database."""

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.utils import timezone

from progress.models import LessonProgress, TeamMembership, TopicCompletion
from progress.services.summary import topic_progress_rebuild
from tests.factories import AssignmentFactory, MembershipFactory, TeamFactory, bulk_members, topic_with_lessons
from tests.progress.teams.support import python_listing, python_rows


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


@pytest.fixture
def busy_team(db):
    """120 members, varied: completions, lessons opened, activity at different times, on a topic past due, one due
    in three days and one in a month."""
    team = TeamFactory(slug="big")
    lead = MembershipFactory(team=team, role=TeamMembership.Role.LEAD).user
    today, now = timezone.localdate(), timezone.now()
    topics = [topic_with_lessons(2) for _ in range(3)]
    for topic, days in zip(topics, (-2, 3, 30), strict=True):
        AssignmentFactory(team=team, topic=topic, due_on=today + dt.timedelta(days=days))
    members = bulk_members(team, 120)
    lessons = [topic.lessons.first() for topic in topics]
    rows = []
    for i, member in enumerate(members):
        for k, lesson in enumerate(lessons):
            if (i + k) % (k + 2) == 0:  # each topic a different share of the team
                at = now - dt.timedelta(hours=(i * 7 + k) % 300)
                rows.append(LessonProgress(user=member, lesson=lesson, last_opened_at=at, completed_at=at))
    LessonProgress.objects.bulk_create(rows)
    TopicCompletion.objects.bulk_create(
        [TopicCompletion(user=m, topic=topics[0], completed_at=now, content_version=now) for m in members[::5]]
        + [TopicCompletion(user=m, topic=topics[2], completed_at=now, content_version=now) for m in members[::7]]
    )
    topic_progress_rebuild(topic_ids=[t.pk for t in topics])
    return {"team": team, "lead": lead}


def _page_order(html: str) -> list[int]:
    return [int(user_id) for user_id in re.findall(r'<th scope="row"><a href="/teams/big/members/(\d+)/', html)]


@pytest.mark.parametrize(
    "query",
    ["sort=progress", "sort=overdue", "sort=last_active", "status=due_soon", "status=due_soon&sort=last_active"],
)
def test_each_page_continues_the_order_of_the_whole_team(client, busy_team, query):
    """The pages of a sort or a filter, one after the other, are exactly the whole team's rows in the Python order
    the dashboard used before (every member's cells computed, then filtered and sorted)."""
    team = busy_team["team"]
    params = dict(part.split("=") for part in query.split("&"))
    expected = python_listing(python_rows(team), status=params.get("status", ""), sort=params.get("sort", "name"))
    assert len(expected) > 50  # more than a page
    client.force_login(busy_team["lead"])
    shown = []
    for page in (1, 2, 3):
        shown += _page_order(client.get(f"/teams/big/?{query}&page={page}").content.decode())
    assert shown == expected


def test_the_members_api_writes_what_its_serializer_would(client, team_in_every_state):
    from progress.api.teams import MemberProgressSerializer, member_progress_data
    from progress.selectors.teams import team_member_rows, team_members

    team = team_in_every_state["team"]
    assignments, rows = team_member_rows(team=team, memberships=team_members(team=team))
    by_serializer = MemberProgressSerializer(
        [
            {
                "user_id": row.membership.user_id,
                "email": row.membership.user.email,
                "name": row.name,
                "complete": row.complete,
                "overdue": row.overdue,
                "last_active": row.last_active,
                "last_reminded": row.last_reminded,
                "cells": [
                    {
                        "topic": a.topic.slug,
                        "due_on": c.due_on,
                        "status": c.status,
                        "percent": c.percent,
                        "completed_at": c.completed_at,
                    }
                    for a, c in zip(assignments, row.cells, strict=True)
                ],
            }
            for row in rows
        ],
        many=True,
    ).data
    assert json.dumps(member_progress_data(assignments, rows)) == json.dumps(by_serializer)
    client.force_login(team_in_every_state["lead"])
    assert client.get("/api/v1/teams/ops/members/").json()["results"] == json.loads(json.dumps(by_serializer))
