"""Who may see a team, as a matrix of roles and every team URL and endpoint."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from progress.models import Assignment, Invitation, TeamMembership
from tests.factories import MembershipFactory, TeamFactory, UserFactory, topic_with_lessons


def page_urls(w):
    t, m = w["team"].slug, w["member"].pk
    return [
        ("get", f"/teams/{t}/"),
        ("get", f"/teams/{t}/?status=overdue&overdue=1&sort=progress"),
        ("get", f"/teams/{t}/dashboard.csv"),
        ("get", f"/teams/{t}/dashboard.csv?status=complete"),
        ("get", f"/teams/{t}/evidence/"),
        ("get", f"/teams/{t}/evidence.csv"),
        ("get", f"/teams/{t}/coverage/"),
        ("get", f"/teams/{t}/evidence/?from=2026-01-01&to=2026-12-31"),
        ("get", f"/teams/{t}/evidence.csv?from=2026-01-01"),
        ("get", f"/teams/{t}/members/{m}/"),
        ("post", f"/teams/{t}/reminders/"),
        ("post", f"/teams/{t}/invitations/"),
        ("post", f"/teams/{t}/invitations/{w['invitation'].pk}/revoke/"),
        ("post", f"/teams/{t}/assignments/"),
        ("post", f"/teams/{t}/assignments/{w['assignment'].pk}/delete/"),
        ("post", f"/teams/{t}/members/{m}/quiz-resets/"),
        ("post", f"/teams/{t}/members/{m}/remove/"),
    ]


def api_urls(w):
    t = w["team"].slug
    return [
        ("get", f"/api/v1/teams/{t}/"),
        ("get", f"/api/v1/teams/{t}/members/"),
        ("get", f"/api/v1/teams/{t}/assignments/"),
        ("post", f"/api/v1/teams/{t}/assignments/"),
        ("get", f"/api/v1/teams/{t}/evidence/"),
        ("get", f"/api/v1/teams/{t}/coverage/"),
        ("get", f"/api/v1/teams/{t}/evidence/?from=2026-01-01"),
        ("get", f"/api/v1/teams/{t}/evidence/coverage/"),
        ("get", f"/api/v1/teams/{t}/members/{w['member'].pk}/quiz-resets/"),
    ]


@pytest.fixture
def world(db):
    team = TeamFactory(slug="alpha")
    other = TeamFactory(slug="beta")
    lead = MembershipFactory(team=team, role=TeamMembership.Role.LEAD).user
    member = MembershipFactory(team=team).user
    other_lead = MembershipFactory(team=other, role=TeamMembership.Role.LEAD).user
    MembershipFactory(team=other)
    topic = topic_with_lessons(1)
    assignment = Assignment.objects.create(team=team, topic=topic, due_on=timezone.localdate() + dt.timedelta(days=3))
    invitation = Invitation.objects.create(
        team=team, email="new@example.com", expires_at=timezone.now() + dt.timedelta(days=3)
    )
    users = {
        "anonymous": None,
        "member": member,
        "lead": lead,
        "other_lead": other_lead,
        "staff": UserFactory(is_staff=True),
        "staff_viewer": UserFactory(is_staff=True),
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }
    users["staff_viewer"].user_permissions.add(
        Permission.objects.get(codename="view_team", content_type__app_label="progress")
    )
    return {
        "team": team,
        "users": users,
        "member": member,
        "topic": topic,
        "assignment": assignment,
        "invitation": invitation,
    }


# What each role may do: pages and API alike. Anyone else gets a 404 (anonymous pages: to log in).
# Staff see every team only with the permission the admin asks for (progress.view_team), as superusers do.
ALLOWED = {
    "anonymous": False,
    "member": False,
    "lead": True,
    "other_lead": False,
    "staff": False,
    "staff_viewer": True,
    "superuser": True,
}


ROLES = list(ALLOWED)


@pytest.mark.parametrize("role", ROLES)
def test_team_pages_matrix(client, world, role):
    user = world["users"][role]
    if user:
        client.force_login(user)
    for method, url in page_urls(world):
        response = getattr(client, method)(
            url,
            {
                "emails": "x@example.com",
                "target": f"topic:{world['topic'].pk}",
                "due_on": (timezone.localdate() + dt.timedelta(days=9)).isoformat(),
            }
            if method == "post"
            else None,
        )
        if role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        elif ALLOWED[role]:
            assert response.status_code in (200, 302), (role, url, response.status_code)
            if response.status_code == 302:
                assert "/accounts/login/" not in response["Location"]
        else:
            assert response.status_code == 404, (role, url, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_team_api_matrix(api_client, world, role):
    user = world["users"][role]
    if user:
        api_client.force_authenticate(user)
    for method, url in api_urls(world):
        payload = {"topic": world["topic"].slug, "due_on": (timezone.localdate() + dt.timedelta(days=9)).isoformat()}
        response = getattr(api_client, method)(url, payload if method == "post" else None, format="json")
        if role == "anonymous":
            assert response.status_code in (401, 403), url
        elif ALLOWED[role]:
            assert response.status_code in (200, 201), (role, url, response.status_code, response.content[:200])
        else:
            assert response.status_code == 404, (role, url, response.status_code)


def test_team_list_shows_only_teams_led(api_client, world):
    api_client.force_authenticate(world["users"]["lead"])
    assert [t["slug"] for t in api_client.get("/api/v1/teams/").json()["results"]] == ["alpha"]
    api_client.force_authenticate(world["users"]["member"])
    assert api_client.get("/api/v1/teams/").json()["results"] == []
    api_client.force_authenticate(world["users"]["staff"])
    assert api_client.get("/api/v1/teams/").json()["results"] == []
    api_client.force_authenticate(world["users"]["staff_viewer"])
    assert {t["slug"] for t in api_client.get("/api/v1/teams/").json()["results"]} == {"alpha", "beta"}


@pytest.mark.parametrize(("role", "admin_status"), [("staff", 403), ("staff_viewer", 200), ("superuser", 200)])
def test_the_admin_applies_the_same_rule_to_teams(client, world, role, admin_status):
    client.force_login(world["users"][role])
    assert client.get("/admin/progress/team/").status_code == admin_status
    site_status = client.get("/teams/alpha/").status_code
    assert (site_status == 200) == (admin_status == 200)


def test_lead_of_a_cannot_reach_b_members_through_a(client, world):
    outsider = TeamMembership.objects.filter(team__slug="beta", role="member").first().user
    client.force_login(world["users"]["lead"])
    assert client.get(f"/teams/alpha/members/{outsider.pk}/").status_code == 404
    assert client.post(f"/teams/alpha/members/{outsider.pk}/remove/").status_code == 404
    assert TeamMembership.objects.filter(user=outsider).exists()


def test_removing_a_lead_takes_effect_on_the_next_request(client, world):
    lead = world["users"]["lead"]
    client.force_login(lead)
    assert client.get("/teams/alpha/").status_code == 200
    TeamMembership.objects.filter(user=lead, team=world["team"]).delete()
    assert client.get("/teams/alpha/").status_code == 404
    assert client.get("/teams/alpha/evidence.csv").status_code == 404


def test_a_member_sees_own_assignments_but_not_teammates(api_client, world):
    member = world["member"]
    api_client.force_authenticate(member)
    mine = api_client.get("/api/v1/me/assignments/").json()
    assert [a["topic"] for a in mine] == [world["topic"].slug]
    assert api_client.get("/api/v1/teams/alpha/members/").status_code == 404
