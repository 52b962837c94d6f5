"""The cache the site runs on: Django's Redis cache, failing open when Redis cannot be reached.

Rate limits (DRF's throttles, allauth's login limits, search) keep their counters here. With Redis
down they must not take the API and sign-in with them: every operation then answers as an empty
cache would (nothing stored, every limit allows) and logs an error. After a failure the cache is
skipped for `CIRCUIT_SECONDS`, so a Redis that times out costs one timeout, not one per call.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger("safety_academy.cache")

CIRCUIT_SECONDS = 5.0


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, with one redis.Redis per connection pool made once: Django makes a new one for
    every operation, and its constructor costs several microseconds (a page makes several cache calls, a page
    served from the cache two). A redis.Redis is safe to share between threads; each command borrows a
    connection from the pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if pool not in self._clients:
            self._clients[pool] = self._client(connection_pool=pool)
        return self._clients[pool]


class FailOpenRedisCache(RedisCache):
    """RedisCache whose operations never raise for want of Redis; see the module docstring."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._down_until = 0.0

    def _guard(self, operation: str, call, fallback):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            result = call()
        except (RedisError, OSError) as exc:
            self._down_until = time.monotonic() + CIRCUIT_SECONDS
            logger.error(
                "cache unavailable (%s failed: %s); rate limits are failing open, retrying in %.0f s",
                operation,
                exc,
                CIRCUIT_SECONDS,
            )
            return fallback
        return result

    def is_available(self) -> bool:
        """Whether Redis answers now, for the readiness check (ignores the circuit)."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except (RedisError, OSError):
            return False

    # Reads find nothing; writes are dropped; `add` reports success so that a lock or a counter
    # that starts with it lets the request through.
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("add", lambda: super(FailOpenRedisCache, self).add(key, value, timeout, version), True)

    def get(self, key, default=None, version=None):
        return self._guard("get", lambda: super(FailOpenRedisCache, self).get(key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set", lambda: super(FailOpenRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("touch", lambda: super(FailOpenRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._guard("delete", lambda: super(FailOpenRedisCache, self).delete(key, version), False)

    def get_many(self, keys, version=None):
        return self._guard("get_many", lambda: super(FailOpenRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._guard("has_key", lambda: super(FailOpenRedisCache, self).has_key(key, version), False)

    def incr(self, key, delta=1, version=None):
        return self._guard("incr", lambda: super(FailOpenRedisCache, self).incr(key, delta, version), delta)

    def count_hit(self, key, timeout):
        """Add one to the counter at `key`, made with a lifetime of `timeout` seconds by its first hit; its new
        value. One round trip (SET NX EX, then INCR, in one pipeline), where add-then-incr takes three."""

        def call():
            name = self.make_and_validate_key(key)
            pipe = self._cache.get_client(name, write=True).pipeline()
            pipe.set(name, 0, ex=int(timeout), nx=True)
            pipe.incr(name)
            return pipe.execute()[1]

        return self._guard("count_hit", call, 1)

    def get_many_and_count(self, keys, counters):
        """get_many(keys), and count_hit() on each (counter key, lifetime) in `counters`: (the values found, the
        counters' new values), in one round trip (one pipeline)."""

        def call():
            names = {self.make_and_validate_key(key): key for key in keys}
            pipe = self._cache.get_client(None, write=True).pipeline(transaction=False)
            pipe.mget(list(names))
            for key, timeout in counters:
                name = self.make_and_validate_key(key)
                pipe.set(name, 0, ex=int(timeout), nx=True)
                pipe.incr(name)
            results = pipe.execute()
            loads = self._cache._serializer.loads
            found = {names[name]: loads(value) for name, value in zip(names, results[0], strict=True) if value}
            return found, results[2::2]

        return self._guard("get_many_and_count", call, ({}, [1] * len(counters)))

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set_many", lambda: super(FailOpenRedisCache, self).set_many(data, timeout, version), [])

    def delete_many(self, keys, version=None):
        return self._guard("delete_many", lambda: super(FailOpenRedisCache, self).delete_many(keys, version), None)

    def clear(self):
        return self._guard("clear", lambda: super(FailOpenRedisCache, self).clear(), False)
