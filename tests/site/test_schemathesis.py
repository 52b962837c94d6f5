"""Schemathesis drives every operation of the OpenAPI schema with generated requests, as a learner
who also leads a team: no response may be a server error or break the schema. Bounded in examples."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance

from courses.models import Lesson
from progress.models import TeamMembership
from progress.services import learning
from tests.factories import MembershipFactory, TeamFactory, UserFactory


@pytest.fixture
def token(db):
    user = UserFactory()
    for lesson in Lesson.objects.filter(is_published=True)[:8]:
        learning.lesson_complete(user=user, lesson=lesson)
    team = TeamFactory(slug="schema-team")
    MembershipFactory(team=team, user=user, role=TeamMembership.Role.LEAD)
    MembershipFactory(team=team)
    return Token.objects.create(user=user).key


schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_never_errors_and_matches_its_schema(case, token):
    cache.clear()  # throttling counts would otherwise turn late examples into 429s
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"},
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
