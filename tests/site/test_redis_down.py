"""With Redis unreachable (a URL on a closed port), pages, the API and sign-in keep answering: the cache
fails open and says so loudly, and the readiness check reports the cache and the broker down."""

import logging
import socket

import pytest
from django.core.cache import cache, caches
from django.urls import reverse

from safety_academy.cache import FailOpenRedisCache
from tests.factories import PASSWORD


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe closes


@pytest.fixture
def redis_down(settings):
    url = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "safety_academy.cache.FailOpenRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    return url


def test_the_cache_fails_open_and_logs_an_error(redis_down, caplog):
    with caplog.at_level(logging.ERROR, logger="safety_academy.cache"):
        assert cache.get("anything", "default") == "default"
        assert cache.add("lock", True) is True  # a lock or counter starting with add lets the request through
        cache.set("key", 1)
        assert cache.get_many(["a", "b"]) == {}
        assert cache.incr("counter") == 1
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert errors and "rate limits are failing open" in errors[0].getMessage()
    # After the first failure the cache is skipped for a few seconds rather than tried on every call.
    assert len(errors) == 1


def test_the_circuit_tries_redis_again_after_the_pause(redis_down, monkeypatch, caplog):
    import safety_academy.cache as module

    monkeypatch.setattr(module, "CIRCUIT_SECONDS", 0.0)
    with caplog.at_level(logging.ERROR, logger="safety_academy.cache"):
        cache.get("a")
        cache.get("b")
    assert len([r for r in caplog.records if r.levelno == logging.ERROR]) == 2


@pytest.fixture
def circuit_off(monkeypatch):
    """Every failure logged: creating the test's user already meets the closed port (it forgets a cached copy)."""
    import safety_academy.cache as module

    monkeypatch.setattr(module, "CIRCUIT_SECONDS", 0.0)


def test_the_api_answers_with_redis_down(redis_down, circuit_off, client, api_client, user, caplog):
    with caplog.at_level(logging.ERROR):
        assert api_client.get("/api/v1/topics/").status_code == 200  # the anonymous throttle reads the cache
        api_client.force_authenticate(user)
        assert api_client.get("/api/v1/me/").status_code == 200
    assert any("failing open" in r.getMessage() for r in caplog.records)


def test_sign_in_works_with_redis_down(redis_down, client, user):
    wrong = client.post(reverse("account_login"), {"login": user.email, "password": "not-the-password-at-all"})
    assert wrong.status_code == 200  # the form's error, not a 500
    right = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert right.status_code == 302
    assert client.get(reverse("progress:me")).status_code == 200


def test_pages_and_search_answer_with_redis_down(redis_down, client, db):
    assert client.get("/").status_code == 200
    assert client.get("/search/", {"q": "hazard"}).status_code == 200


def test_readiness_reports_the_cache_and_the_broker_down(redis_down, client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "unavailable", "broker": "unavailable"},
    }
    assert client.get("/livez").status_code == 200


def test_is_available_asks_redis_itself(redis_down):
    default = caches["default"]
    assert isinstance(default, FailOpenRedisCache)
    assert default.is_available() is False


def test_the_cache_makes_one_redis_client_per_connection_pool():
    backend = FailOpenRedisCache(f"redis://127.0.0.1:{closed_port()}/0;redis://127.0.0.1:{closed_port()}/1", {})
    writer, reader = backend._cache.get_client(write=True), backend._cache.get_client()
    assert writer is backend._cache.get_client(write=True) and reader is backend._cache.get_client()
    assert writer is not reader and reader.connection_pool is not writer.connection_pool
    assert backend.get("anything", "fallback") == "fallback"  # and it still fails open
