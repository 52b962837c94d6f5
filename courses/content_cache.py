"""Shared, anonymous content in the cache, under keys that change whenever the content does.

Every cached catalogue read and template fragment is keyed by the content version: a random stamp kept in
the cache and replaced by `content_changed()`, which every write to the catalogue calls (the services'
bulk updates directly; saves and deletes of the catalogue's models through `courses.apps`), once at once and
again when the transaction commits, so a page read between the two cannot keep stale content. Nothing
cached here depends on who asks: learners' own progress is never part of a cached value. With the cache
down (safety_academy.cache fails open) every read misses and the content is read from the database.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable, Mapping
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "content:version"
TIMEOUT = 24 * 3600  # a fragment nobody asks for again expires; a content change replaces the key at once

T = TypeVar("T")


# The stamp as this process last read or wrote it, and when: a page asks for several cached parts, and one read
# of the stamp a second serves them all. A change made in this process is seen at once; one made in another
# process, within a second.
LOCAL_SECONDS = 1.0
_local: tuple[str, float] | None = None


def content_version() -> str:
    """The current content stamp (made on first use, and again after the cache lost it)."""
    global _local
    memo, now = _local, time.monotonic()
    if memo is not None and now - memo[1] < LOCAL_SECONDS:
        return memo[0]
    version = cache.get(VERSION_KEY)
    if version is None:
        fresh = secrets.token_hex(8)
        cache.add(VERSION_KEY, fresh, timeout=None)
        version = cache.get(VERSION_KEY) or fresh
    _local = (version, now)
    return version


def _bump() -> None:
    global _local
    version = secrets.token_hex(8)
    cache.set(VERSION_KEY, version, timeout=None)
    _local = (version, time.monotonic())


def content_changed() -> None:
    """The catalogue changed: every key made from the old version is abandoned (now and after commit)."""
    _bump()
    transaction.on_commit(_bump)


def content_cached(name: str, build: Callable[[], T], *, timeout: int = TIMEOUT) -> T:
    """The value cached under `name` for the current content version, built (and stored) on a miss; None is
    never stored. Only for values the same for everyone who may see them."""
    key = f"content:{content_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        if value is not None:  # nothing is kept for a miss: a stream of unknown addresses fills no cache
            cache.set(key, value, timeout=timeout)
    return value


# Holes in shared HTML: a page part cached once for everyone may mark the places where each request puts that
# person's own small fragments (their progress, their badges). The marks are control characters no text of the
# track uses; were one ever typed into content, it could only show the reader their own fragment, never another's.
_HOLE = re.compile("\x1e([^\x1e\x1f]{1,80})\x1f")


def hole(name: str, key: object = "") -> str:
    """The mark of one hole in shared HTML, filled by `fill_holes` from the fragment named `name:key`."""
    return f"\x1e{name}:{key}\x1f"


def fill_holes(html: str, fragments: Mapping[str, str]) -> str:
    """Shared HTML with each hole replaced by this person's fragment (an unknown hole becomes nothing)."""
    return _HOLE.sub(lambda match: fragments.get(match.group(1), ""), html)
