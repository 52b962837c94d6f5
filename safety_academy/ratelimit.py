"""A per-client rate limit for pages that cost the server more than they cost the caller (search).

Counts hits per client address (safety_academy.client_ip) in fixed windows in the cache. When the
cache is down it fails open with the cache (safety_academy.cache), so the page keeps answering.
"""

from __future__ import annotations

import functools
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from safety_academy.client_ip import client_ip

logger = logging.getLogger(__name__)

PERIODS = {"s": 1, "m": 60, "h": 3600}


def parse_rate(rate: str) -> tuple[int, int]:
    """'30/m' → (30, 60): hits allowed, per so many seconds."""
    amount, _, unit = rate.partition("/")
    return int(amount), PERIODS[unit[:1] or "m"]


def window(*, action: str, ident: str, period: int) -> tuple[str, int]:
    """The key of the client's counter in the current fixed window, and the seconds until that window ends."""
    now = time.time()
    number = int(now // period)
    return f"ratelimit:{action}:{ident}:{number}", max(1, int((number + 1) * period - now))


def hit(*, action: str, ident: str, limit: int, period: int) -> tuple[bool, int]:
    """Count one hit; (allowed, seconds until the window resets)."""
    key, retry_after = window(action=action, ident=ident, period=period)
    return count_hit(key, timeout=period + 1) <= limit, retry_after


def read_and_count(keys: list[str], counters: list[tuple[str, int]]) -> tuple[dict, list[int]]:
    """get_many(keys), and a hit on each (counter key, lifetime): in one round trip on Redis."""
    if hasattr(cache, "get_many_and_count"):
        return cache.get_many_and_count(keys, counters)
    return cache.get_many(keys), [count_hit(key, timeout=timeout) for key, timeout in counters]


def count_hit(key: str, *, timeout: int) -> int:
    """Add one to the counter at `key` (made with this lifetime by its first hit); its new value."""
    if hasattr(cache, "count_hit"):  # Redis (safety_academy.cache): one round trip
        return cache.count_hit(key, timeout)
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # the window expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def rate_limited(action: str, *, setting: str):
    """Answer 429 (with the site's page and Retry-After) to a client past the rate that the setting
    named `setting` gives (read on each request, so it can be changed in tests and by deployment)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            rate = getattr(settings, setting)
            limit, period = parse_rate(rate)
            ident = client_ip(request)
            allowed, retry_after = hit(action=action, ident=ident, limit=limit, period=period)
            if not allowed:
                logger.warning("rate limit: %s refused for %s (%s)", action, ident, rate)
                response = render(request, "429.html", {"retry_after": retry_after}, status=429)
                response["Retry-After"] = str(retry_after)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
