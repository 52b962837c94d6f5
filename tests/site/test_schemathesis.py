"""Schemathesis drives every operation of the OpenAPI schema with generated requests, as a learner
who also leads a team: no response may be a server error or break the schema. Bounded in examples."""

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance

from courses.models import Lesson
from progress.models import LessonProgress, TeamMembership
from progress.services.summary import topic_progress_rebuild
from tests.factories import MembershipFactory, TeamFactory, UserFactory


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: the app runs in-process inside the test's transaction, so the
    connection must survive the end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(db):
    user = UserFactory()
    now = timezone.now()
    LessonProgress.objects.bulk_create(
        [LessonProgress(user=user, lesson=x, completed_at=now) for x in Lesson.objects.filter(is_published=True)[:8]]
    )
    topic_progress_rebuild(user_ids=[user.pk])
    team = TeamFactory(slug="schema-team")
    MembershipFactory(team=team, user=user, role=TeamMembership.Role.LEAD)
    MembershipFactory(team=team)
    return Token.objects.create(user=user).key


schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=30,
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
