"""One trusted-proxy setting decides the client's address for allauth's limits, DRF's throttles and logs;
without it X-Forwarded-For is ignored, with it only the entries the proxies wrote are believed."""

import logging

import pytest
from django.test import RequestFactory
from django.urls import reverse

from safety_academy.api_guards import AnonRateThrottle
from safety_academy.client_ip import ClientIpLogFilter, client_ip
from tests.factories import PASSWORD, UserFactory
from tests.site.test_settings import settings_with

PROXY = "10.0.0.2"  # the address the site sees every request from, behind the proxy


def request_from(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "1.2.3.4", "203.0.113.9"),  # no proxy: the header is the client's invention
        (1, PROXY, "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # the proxy appended the real address
        (2, PROXY, "1.2.3.4, 198.51.100.7, 10.0.0.1", "198.51.100.7"),
        (1, PROXY, None, PROXY),  # a request that did not pass the proxy
        (1, PROXY, "not-an-address", PROXY),
        (3, PROXY, "198.51.100.7", "198.51.100.7"),  # fewer hops than proxies: the furthest one
    ],
)
def test_client_ip_follows_the_trusted_proxy_count(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request_from(remote, forwarded)) == expected


@pytest.fixture
def three_per_minute(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})


def test_a_forged_forwarded_header_does_not_escape_the_api_throttle(api_client, db, settings, three_per_minute):
    settings.TRUSTED_PROXY_COUNT = 0
    statuses = [api_client.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_behind_the_proxy_each_client_has_its_own_api_allowance(api_client, db, settings, three_per_minute):
    settings.TRUSTED_PROXY_COUNT = 1
    for client_address in ("198.51.100.7", "198.51.100.8"):
        for _ in range(3):
            response = api_client.get("/api/v1/topics/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)
            assert response.status_code == 200
    # A client that writes its own X-Forwarded-For is still counted by the entry the proxy appended.
    forged = api_client.get("/api/v1/topics/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7")
    assert forged.status_code == 429
    assert forged.json()["error"]["code"] == "throttled"


def test_behind_the_proxy_failed_logins_lock_out_only_their_client(client, db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.66"}
    for n in range(11):
        client.post(
            reverse("account_login"), {"login": f"made-up-{n}@example.com", "password": "guess-guess-guess"}, **attacker
        )
    blocked = client.post(reverse("account_login"), {"login": "made-up-x@example.com", "password": "guess"}, **attacker)
    assert blocked.status_code == 429 or "Too many" in blocked.content.decode()
    victim = UserFactory()
    response = client.post(
        reverse("account_login"),
        {"login": victim.email, "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 302, response.content.decode()[:500]


def test_log_records_carry_the_client_address(client, db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ACCESS_LOG = True
    seen = []

    class Collect(logging.Handler):
        def emit(self, record):
            seen.append(record)

    handler = Collect()
    handler.addFilter(ClientIpLogFilter())
    loggers = [logging.getLogger(name) for name in ("safety_academy.access", "django.request")]
    previous = [(logger, logger.level) for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    try:
        client.get("/livez", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7")
        client.get("/no-such-page/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.8")  # django.request warns
    finally:
        for logger, level in previous:
            logger.removeHandler(handler)
            logger.setLevel(level)
    lines = [(r.name, r.client_ip, r.getMessage()) for r in seen]
    assert lines[0][:2] == ("safety_academy.access", "198.51.100.7") and lines[0][2].startswith("GET /livez 200")
    assert ("django.request", "198.51.100.8") in [line[:2] for line in lines]


def test_the_proxy_header_for_https_is_believed_only_behind_a_proxy():
    assert settings_with({"DJANGO_DEBUG": "1"}, "getattr(s, 'SECURE_PROXY_SSL_HEADER', None)") == "None"
    assert settings_with({"DJANGO_DEBUG": "1", "TRUSTED_PROXY_COUNT": "1"}, "s.SECURE_PROXY_SSL_HEADER") == str(
        ("HTTP_X_FORWARDED_PROTO", "https")
    )
    assert settings_with({"DJANGO_DEBUG": "1", "TRUSTED_PROXY_COUNT": "1"}, "s.REST_FRAMEWORK['NUM_PROXIES']") == "1"
    assert settings_with({"DJANGO_DEBUG": "1", "TRUSTED_PROXY_COUNT": "1"}, "s.ALLAUTH_TRUSTED_PROXY_COUNT") == "1"


def test_a_throttled_api_call_says_when_to_come_back(api_client, db, settings, three_per_minute):
    settings.TRUSTED_PROXY_COUNT = 0
    for _ in range(3):
        assert api_client.get("/api/v1/topics/").status_code == 200
    refused = api_client.get("/api/v1/topics/")
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 60
