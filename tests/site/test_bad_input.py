"""Hostile input to the API gets the API's own error format: JSON nested past the recursion limit, bodies
over the upload limit, NUL bytes in JSON fields; never a 500 and never the HTML error page."""

import json

import pytest

from tests.quizzes.support import ready_for_quiz

BIG = 3 * 1024 * 1024  # over Django's 2.5 MB DATA_UPLOAD_MAX_MEMORY_SIZE


def assert_api_error(response, status: int, code: str | None = None):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["status"] == status
    if code:
        assert error["code"] == code
    return error


@pytest.mark.parametrize("body", ["[" * 10_000, "[" * 10_000 + "]" * 10_000, '{"a":' * 10_000 + "1" + "}" * 10_000])
def test_deeply_nested_json_is_a_400(learner_api, user, track, body):
    topic = track.first()
    ready_for_quiz(user, topic)  # enrolled, every lesson done: the quiz opens
    attempt = learner_api.post(f"/api/v1/topics/{topic.slug}/quiz/attempts/").json()["id"]
    for method, url in (
        ("post", "/api/v1/enrollments/"),
        ("patch", "/api/v1/me/"),
        ("post", f"/api/v1/attempts/{attempt}/submit/"),
    ):
        response = getattr(learner_api, method)(url, body, content_type="application/json")
        error = assert_api_error(response, 400, "parse_error")
        assert "nested too deeply" in error["detail"]


def test_a_json_body_over_the_upload_limit_is_a_413_in_the_api_format(learner_api, db):
    body = json.dumps({"topic": "x" * BIG})
    assert_api_error(learner_api.post("/api/v1/enrollments/", body, content_type="application/json"), 413, "too_large")


def test_a_form_body_over_the_upload_limit_is_a_413_in_the_api_format(learner_api, db):
    body = "topic=" + "x" * BIG
    response = learner_api.post("/api/v1/enrollments/", body, content_type="application/x-www-form-urlencoded")
    assert_api_error(response, 413, "too_large")


def test_a_nul_byte_in_a_json_field_is_refused_cleanly(learner_api, db):
    response = learner_api.post("/api/v1/enrollments/", {"topic": "a\x00b"}, format="json")
    assert response.status_code in (400, 404)
    assert "error" in response.json()


def test_a_nul_byte_in_a_name_is_a_field_error_not_a_database_error(learner_api, learner_client, db):
    response = learner_api.patch("/api/v1/me/", {"full_name": "Ada\x00 Lovelace"}, format="json")
    assert assert_api_error(response, 400)["fields"]["full_name"]
    page = learner_client.post("/me/profile/", {"full_name": "Ada\x00 Lovelace"})
    assert page.status_code == 200 and "errorlist" in page.content.decode()


def test_a_nul_byte_in_an_invitation_list_is_skipped_as_an_invalid_line(client, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from progress.models import Invitation, TeamMembership
    from tests.factories import MembershipFactory

    lead = MembershipFactory(role=TeamMembership.Role.LEAD)
    client.force_login(lead.user)
    upload = SimpleUploadedFile("people.csv", b"email\nok@example.com\nbad\x00@example.com\n", "text/csv")
    response = client.post(f"/teams/{lead.team.slug}/invitations/", {"emails": "", "csv_file": upload})
    assert response.status_code == 302
    assert list(Invitation.objects.values_list("email", flat=True)) == ["ok@example.com"]
