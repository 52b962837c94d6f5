"""Shared, anonymous content in the cache, under keys that change whenever the content does.

Every cached catalogue read and template fragment is keyed by the content version: a random stamp kept in
the cache and replaced by `content_changed()`, which every write to the catalogue calls (the services'
bulk updates directly; saves and deletes of the catalogue's models through `courses.apps`), once at once and
again when the transaction commits, so a page read between the two cannot keep stale content. Nothing
cached here depends on who asks: learners' own progress is never part of a cached value. With the cache
down (safety_academy.cache fails open) every read misses and the content is read from the database.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "content:version"
TIMEOUT = 24 * 3600  # a fragment nobody asks for again expires; a content change replaces the key at once

T = TypeVar("T")


def content_version() -> str:
    """The current content stamp (made on first use, and again after the cache lost it)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        fresh = secrets.token_hex(8)
        cache.add(VERSION_KEY, fresh, timeout=None)
        version = cache.get(VERSION_KEY) or fresh
    return version


def _bump() -> None:
    cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)


def content_changed() -> None:
    """The catalogue changed: every key made from the old version is abandoned (now and after commit)."""
    _bump()
    transaction.on_commit(_bump)


def content_cached(name: str, build: Callable[[], T], *, timeout: int = TIMEOUT) -> T:
    """The value cached under `name` for the current content version, built (and stored) on a miss.
    Only for values the same for everyone who may see them."""
    key = f"content:{content_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=timeout)
    return value
