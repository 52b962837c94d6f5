"""What a signed-in person sees, the API and exports stay out of shared caches and off the disk; every
page states the browser features the site does without."""

import pytest

from progress.models import TeamMembership
from tests.factories import MembershipFactory


def private_no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


def test_signed_in_pages_are_private_and_not_stored(learner_client, db):
    for url in ("/", "/me/", "/me/profile/", "/search/?q=hazard"):
        assert private_no_store(learner_client.get(url)), url


def test_api_answers_are_private_and_not_stored(api_client, learner_api, db):
    assert private_no_store(api_client.get("/api/v1/topics/"))  # anonymous too
    assert private_no_store(learner_api.get("/api/v1/me/"))


def test_exports_are_private_and_not_stored(client, db):
    lead = MembershipFactory(role=TeamMembership.Role.LEAD)
    client.force_login(lead.user)
    for suffix in ("dashboard.csv", "evidence.csv", "evidence/"):
        response = client.get(f"/teams/{lead.team.slug}/{suffix}")
        assert response.status_code == 200
        assert private_no_store(response), suffix


def test_public_resources_stay_cacheable(learner_client, db):
    response = learner_client.get("/.well-known/jwks.json")
    assert "public" in response["Cache-Control"] and "private" not in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/api/v1/topics/", "/no-such-page/"])
def test_every_response_carries_a_permissions_policy(client, db, url):
    policy = client.get(url)["Permissions-Policy"]
    for denied in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert denied in policy
    assert "publickey-credentials-get=(self)" in policy  # security keys for two-factor sign-in
