"""Shared fixtures: users and clients, factories, a temporary MEDIA_ROOT, a signing key, eager
Celery by default, and the real track loaded once into the test database."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from progress.credentials import generate_private_key_pem
from safety_academy.celery import app as celery_app
from tests.factories import UserFactory, make_busy_learner

# CI sets these, so a missing service or browser fails there instead of being skipped.
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
_skipped_for: dict[str, int] = {}


def _missing(item) -> tuple[str, bool] | None:
    """(why the test cannot run here, whether that must fail) or None."""
    if "postgres" in item.keywords and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return "needs PostgreSQL: set DATABASE_URL=postgres://… (.ci/run does)", REQUIRE_SERVICES
    if "redis" in item.keywords and not os.environ.get("REDIS_URL"):
        return "needs Redis: set REDIS_URL=redis://… (.ci/run does)", REQUIRE_SERVICES
    if "e2e" in item.keywords and not os.access(CHROMIUM, os.X_OK):
        return f"browser test skipped: no Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)", (
            REQUIRE_BROWSER
        )
    return None


def pytest_runtest_setup(item):
    missing = _missing(item)
    if missing:
        reason, must_fail = missing
        if must_fail:
            pytest.fail(f"{reason}; this run requires it", pytrace=False)
        _skipped_for[reason] = _skipped_for.get(reason, 0) + 1
        pytest.skip(reason)


def pytest_terminal_summary(terminalreporter):
    for reason, count in _skipped_for.items():
        terminalreporter.write_line(f"NOTE: {count} test(s) skipped: {reason}", yellow=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The whole real track, loaded once; each test's changes roll back around it."""
    with django_db_blocker.unblock():
        call_command("load_track", verbosity=0)


@pytest.fixture(scope="session")
def signing_key_pem() -> str:
    return generate_private_key_pem().decode()


@pytest.fixture(autouse=True)
def _isolated_environment(settings, tmp_path, signing_key_pem):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CERTIFICATE_SIGNING_KEY = signing_key_pem
    settings.SITE_URL = "http://testserver"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
    # The signed-in account is read on every request, whatever the cache, so query budgets are the same on every
    # machine; tests/site/test_remembered_user.py turns remembering on where it is the subject.
    settings.CACHE_URL = ""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True  # the real-worker tests switch this off themselves
    cache.clear()
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def track(db):
    """The loaded track (reloaded if a transactional test emptied the database)."""
    from courses.models import Topic

    if not Topic.objects.exists():
        call_command("load_track", verbosity=0)
    return Topic.objects.filter(is_published=True).order_by("category__position", "position")


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def busy_learner(user):
    """A learner with something in every list their pages and endpoints show (tests.factories)."""
    return make_busy_learner(user)


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def learner_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def learner_api(api_client, user):
    api_client.force_authenticate(user)
    return api_client


@pytest.fixture
def on_postgres():
    return connection.vendor == "postgresql"


class _VerboseConfig:
    """Makes pytest-django list every SQL statement when a query count is off (as Zulip's tests do)."""

    def __init__(self, config):
        self._config = config

    def getoption(self, name, *args, **kwargs):
        return 1 if name == "verbose" else self._config.getoption(name, *args, **kwargs)


@pytest.fixture
def django_assert_num_queries(pytestconfig):
    from functools import partial

    from pytest_django.fixtures import _assert_num_queries

    return partial(_assert_num_queries, _VerboseConfig(pytestconfig))


@pytest.fixture
def django_assert_max_num_queries(pytestconfig):
    from functools import partial

    from pytest_django.fixtures import _assert_num_queries

    return partial(_assert_num_queries, _VerboseConfig(pytestconfig), exact=False)
