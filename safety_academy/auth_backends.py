"""Who is signed in, without a query on every request: the account row behind a session is kept in the shared
cache for a few minutes, and forgotten the moment the account is saved or deleted (deactivated, its password
or its staff flag changed), so a change takes effect on the very next request.

Only with a shared cache (Redis): with the local-memory cache each process would keep its own copy, which a save
in another process could not forget. A write that bypasses save() (a bulk update) is seen within
USER_SECONDS; the site makes none to accounts.
"""

from __future__ import annotations

from allauth.account import auth_backends as allauth_backends
from django.conf import settings
from django.contrib.auth import backends
from django.core.cache import cache
from django.db import transaction

USER_SECONDS = 300


def _key(user_id) -> str:
    return f"auth:user:{user_id}"


def _shared_cache() -> bool:
    return bool(settings.CACHE_URL)


class RememberedUser:
    """get_user() from the cache when the row is there; the backend's own lookup (one query) otherwise."""

    def get_user(self, user_id):
        if not _shared_cache():
            return super().get_user(user_id)
        user = cache.get(_key(user_id))
        if user is None:
            user = super().get_user(user_id)  # the backend's own lookup: None for no such or an inactive account
            if user is not None:
                cache.set(_key(user_id), user, timeout=USER_SECONDS)
            return user
        return user if self.user_can_authenticate(user) else None


class ModelBackend(RememberedUser, backends.ModelBackend):
    """Django's ModelBackend (password sign-in for the admin and the API's session), remembering the user."""


class AuthenticationBackend(RememberedUser, allauth_backends.AuthenticationBackend):
    """allauth's backend (email sign-in on the site), remembering the user."""


def forget_user(sender, instance, **kwargs):
    """An account was saved or deleted: forget it now, and again when the transaction commits (a request between
    the two may have read the row as it was before)."""
    if not _shared_cache():
        return  # nothing was remembered
    key = _key(instance.pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
