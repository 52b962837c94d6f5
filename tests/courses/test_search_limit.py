"""Search is rate-limited per client address, with a clear page when the limit is reached."""

import pytest


@pytest.fixture
def three_searches_a_minute(settings):
    settings.SEARCH_RATE_LIMIT = "3/m"


def test_search_past_the_limit_is_a_429_page(client, db, three_searches_a_minute):
    statuses = [client.get("/search/", {"q": f"hazard {n}"}).status_code for n in range(3)]
    assert statuses == [200, 200, 200]
    refused = client.get("/search/", {"q": "hazard"})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    html = refused.content.decode()
    assert "Too many requests" in html and 'class="site-header"' in html


def test_the_search_limit_is_per_client_address(client, db, three_searches_a_minute):
    for _ in range(3):
        client.get("/search/", {"q": "hazard"}, REMOTE_ADDR="198.51.100.1")
    assert client.get("/search/", {"q": "hazard"}, REMOTE_ADDR="198.51.100.1").status_code == 429
    assert client.get("/search/", {"q": "hazard"}, REMOTE_ADDR="198.51.100.2").status_code == 200


def test_the_limit_counts_by_the_address_the_trusted_proxy_reports(client, db, settings, three_searches_a_minute):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(3):
        client.get("/search/", {"q": "hazard"}, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    assert client.get("/search/", {"q": "x"}, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1", **proxy).status_code == 429
    assert client.get("/search/", {"q": "x"}, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy).status_code == 200


def test_a_windows_counter_counts_each_hit_and_expires_with_its_window(db):
    from django.core.cache import cache

    from safety_academy.ratelimit import count_hit

    assert [count_hit("ratelimit:test:a", timeout=60) for _ in range(3)] == [1, 2, 3]
    assert count_hit("ratelimit:test:b", timeout=60) == 1
    cache.delete("ratelimit:test:a")  # the window's end
    assert count_hit("ratelimit:test:a", timeout=60) == 1


@pytest.mark.redis
def test_on_redis_the_counter_is_one_round_trip_and_expires(db):
    from django.core.cache import cache

    from safety_academy.ratelimit import count_hit

    assert hasattr(cache, "count_hit")
    assert [count_hit("ratelimit:test:redis", timeout=30) for _ in range(3)] == [1, 2, 3]
    client = cache._cache.get_client(write=True)
    name = cache.make_and_validate_key("ratelimit:test:redis")
    assert 0 < client.ttl(name) <= 30  # set by the first hit, not renewed by the later ones
    assert cache.get("ratelimit:test:redis") == 3  # Django's own reads see the same counter
