"""Liveness and readiness: /livez answers while the process runs, /healthz names each dependency."""

import pytest
from django.db import OperationalError


def test_livez_answers_without_touching_any_dependency(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_reports_each_dependency_with_everything_up(client, db, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "ok"
    expected_broker = "not used" if settings.CELERY_TASK_ALWAYS_EAGER else "ok"
    assert body["checks"]["broker"] == expected_broker


@pytest.mark.redis
def test_healthz_checks_the_real_redis_cache_and_broker(client, db, settings):
    assert settings.CACHES["default"]["BACKEND"] == "safety_academy.cache.FailOpenRedisCache"
    body = client.get("/healthz").json()
    assert body["checks"] == {"database": "ok", "cache": "ok", "broker": "ok"}


class _DownDatabase:
    def cursor(self):
        raise OperationalError("database is down")


def test_healthz_is_503_when_the_database_is_down(client, db, monkeypatch):
    monkeypatch.setattr("safety_academy.views.connection", _DownDatabase())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"


def test_health_checks_are_read_only(client, db):
    assert client.post("/healthz").status_code == 405
    assert client.post("/livez").status_code == 405
