"""A learner's own pages, kept for them in the shared cache until something they see changes.

The catalogue, a topic, a lesson, a quiz and /me/ show a learner the content and their own rows (progress,
enrolments, attempts, certificates, their teams' assignments). Views marked `@cached_for_learner` have a signed-in
learner's answer kept under a key made of the content version (courses.content_cache, replaced by every edit of
the catalogue or a quiz), the local date (due dates, overdue badges and renewal windows move at midnight), and the
learner, their CSRF cookie (the page's forms carry a token made from it), the Accept header and the address. It
is kept with the version stamps it was rendered under, and served only while they are all still current:

- the learners' stamp, replaced by a bulk rewrite of progress rows (`all_learners_changed`);
- this learner's stamp, replaced whenever one of their rows changes (`learners_changed`: the services and the
  model signals connected in progress.apps call it, at once and again on commit);
- for a team's page (a lead's dashboard, the members API), the team's stamp, replaced by every write to the team
  or one of its members' rows.

The page and its stamps are read in one round trip.

A page that shows something due to change at a moment (a quiz's cooldown ending, a certificate expiring) says so
with `page_valid_until`, and is kept no longer. A hit skips authentication and the view: the middleware sits just
after the session middleware and reads the learner's id from the session. Whatever would change who that is
(signing out, a new password, a deactivated account) either ends the session or saves the account, which
replaces the learner's version. Staff, pending messages, htmx requests, query strings, API tokens and anything but
a 200 take the usual path. A view whose visit writes something (opening a lesson) names a `replay` that a hit runs
instead. The API's lists are marked on their viewset's action; a hit on them still counts against the caller's
rate limits.

Only with a shared cache (Redis): with the local-memory cache a write in another process (a Celery worker, a
management command) could not replace this process's version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Iterable
from types import SimpleNamespace
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.urls import Resolver404
from django.utils import timezone

from courses.content_cache import content_version
from safety_academy import ratelimit
from safety_academy.links import site_route
from safety_academy.visitor_pages import response_from, stored_answer

# A learner's version outlives every page kept under it; when it lapses the next page is rendered afresh.
VERSION_SECONDS = 24 * 60 * 60
ALL_LEARNERS_KEY = "learner-pages:all"


def enabled() -> bool:
    """A shared cache, and pages kept for some time (settings.LEARNER_PAGE_SECONDS, which also bounds what a deploy
    that changes templates but not content leaves behind)."""
    return bool(settings.CACHE_URL) and settings.LEARNER_PAGE_SECONDS > 0


def cached_for_learner(view=None, *, replay: Callable[..., None] | None = None, team_kwarg: str | None = None):
    """Mark a page view whose answer to a learner depends only on the content, their own rows and the date; with
    `team_kwarg`, on the rows of the team its URL names as well (a lead's dashboard). `replay(user_id, *data)` runs
    on a hit with what the view passed to `replay_on_hit` when it rendered."""

    def mark(view):
        view.cached_for_learner = True
        view.learner_page_replay = replay
        view.learner_page_team_kwarg = team_kwarg
        return view

    return mark(view) if view is not None else mark


def replay_on_hit(request, *data) -> None:
    """What a hit on this page must still do (with the view's `replay`): stored with the page."""
    request.learner_page_replay_data = data


def page_valid_until(request, *moments: dt.datetime | None) -> None:
    """The page shows something that changes at these moments (a certificate expiring, say): keep it no longer than
    the first still ahead. Moments passed (or None) change nothing: the page already shows what followed them."""
    now = timezone.now()
    ahead = [moment for moment in moments if moment is not None and moment > now]
    if not ahead:
        return
    moment = min(ahead)
    current = getattr(request, "learner_page_valid_until", None)
    if current is None or moment < current:
        request.learner_page_valid_until = moment


def page_not_kept(request) -> None:
    """The page shows something that changes by the minute (a countdown): render it afresh every time."""
    request.learner_page_valid_until = timezone.now()


# --- versions ------------------------------------------------------------------------------------------------------


def _learner_key(user_id) -> str:
    return f"learner-pages:learner:{user_id}"


def _current_stamps(keys: list[str], found: dict) -> tuple[str, ...] | None:
    """The version stamps under `keys`, from what one read `found`, each made when missing; None when the cache
    does not answer (nothing is then kept)."""
    stamps = []
    for key in keys:
        stamp = found.get(key)
        if stamp is None:
            fresh = secrets.token_hex(6)
            stamp = fresh if cache.add(key, fresh, timeout=VERSION_SECONDS) else cache.get(key)
            if stamp is None:
                return None  # the cache is down (or the stamp was replaced this instant: render afresh)
        stamps.append(stamp)
    return tuple(stamps)


def _replace(keys: list[str]) -> None:
    """Replace these version stamps: what was kept under them is never served again. Now, and again when the
    transaction commits (a request in between may have rendered the rows as they were and kept them under the
    new stamp)."""
    if not enabled() or not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def learners_changed(user_ids: Iterable[int]) -> None:
    """These learners' rows changed: their kept pages are never served again."""
    _replace([_learner_key(user_id) for user_id in set(user_ids) if user_id is not None])


def _team_key(team_slug) -> str:
    return f"learner-pages:team:{team_slug}"


def teams_changed(team_slugs: Iterable[str]) -> None:
    """These teams' rows, or their members', changed: their kept dashboards are never served again."""
    _replace([_team_key(slug) for slug in set(team_slugs)])


def all_learners_changed() -> None:
    """Progress rows were rewritten in bulk (a rebuild of the summaries): no kept learner page is served again."""
    _replace([ALL_LEARNERS_KEY])


class Lookup(NamedTuple):
    key: str  # the page's key; the page is kept with the stamps it was rendered under
    stamp_keys: tuple[str, ...]  # the learners', the learner's and (for a team's page) the team's version stamps
    user_id: str
    view: Callable  # the marked view (for an API viewset, its action)
    api_view: type | None  # the API view's class, whose throttles a hit still counts against


# --- the middleware ------------------------------------------------------------------------------------------------


class LearnerPageCacheMiddleware:
    """Answer a learner's GET of a marked page from the cache, and keep what the view answered on a miss.
    Placed just after the session middleware: a hit costs the session, a URL match and one cache read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = self.lookup(request) if enabled() else None
        if found is None:
            return self.get_response(request)
        # The page and its stamps in one round trip; for the API, the call counted against the rate limit in it too.
        throttles = _api_throttles(found.api_view, found.user_id) if found.api_view is not None else []
        if throttles is None:
            return self.get_response(request)
        read, counts = ratelimit.read_and_count([found.key, *found.stamp_keys], [c for _, c in throttles])
        request.counted_hits = {counter[0]: count for (_, counter), count in zip(throttles, counts, strict=True)}
        stored = self.kept_answer(found, read)
        if stored is not None:
            if any(count > throttle.num_requests for (throttle, _), count in zip(throttles, counts, strict=True)):
                return self.get_response(request)  # the usual path answers the 429 (with the count just made)
            answer, replay_data = stored
            if found.view.learner_page_replay is not None and replay_data is not None:
                found.view.learner_page_replay(found.user_id, *replay_data)
            return response_from(answer)
        stamps = _current_stamps(found.stamp_keys, read)  # read before the view, so a write during it shows
        response = self.get_response(request)
        timeout = self.keep_for(request, response, found.user_id) if stamps is not None else 0
        if timeout:
            replay_data = getattr(request, "learner_page_replay_data", None)
            cache.set(found.key, (stamps, stored_answer(response), replay_data), timeout=timeout)
        return response

    @staticmethod
    def kept_answer(found: Lookup, read: dict | None = None):
        """(the stored answer, replay data) kept for this request, if it was kept under the stamps current now;
        `read`: what one get_many of the page's key and its stamps' keys answered (read here when not given)."""
        if read is None:
            read = cache.get_many([found.key, *found.stamp_keys])
        stored = read.get(found.key)
        if stored is None or stored[0] != tuple(read.get(key) for key in found.stamp_keys):
            return None  # nothing kept, or kept before one of the stamps was replaced
        return stored[1:]

    @staticmethod
    def lookup(request):
        """Where this request's answer is kept, when it may be answered from a learner's kept pages, else None."""
        meta = request.META
        if request.method != "GET" or meta.get("QUERY_STRING") or "HTTP_HX_REQUEST" in meta:
            return None
        if "HTTP_AUTHORIZATION" in meta:
            return None  # an API token may name someone other than the session
        session = getattr(request, "session", None)
        csrf_cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
        if session is None or not csrf_cookie or request.COOKIES.get(CookieStorage.cookie_name):
            return None
        user_id = session.get(SESSION_KEY)
        if user_id is None or session.get(SessionStorage.session_key):
            return None  # a visitor, or messages waiting to be shown
        try:
            match = site_route(request.path_info)
            host = request.get_host()
        except (Resolver404, DisallowedHost):
            return None
        view = _marked(match.func)
        if view is None:
            return None
        stamp_keys = [ALL_LEARNERS_KEY, _learner_key(user_id)]
        if view.learner_page_team_kwarg:
            stamp_keys.append(_team_key(match.kwargs[view.learner_page_team_kwarg]))
        accept = meta.get("HTTP_ACCEPT", "")  # the API answers JSON or its browsable page
        address = f"{user_id}\n{csrf_cookie}\n{accept}\n{request.scheme}://{host}{request.path}"
        digest = hashlib.sha256(address.encode()).hexdigest()
        key = f"learner-page:{content_version()}:{timezone.localdate().isoformat()}:{digest}"
        return Lookup(key, tuple(stamp_keys), user_id, view, getattr(match.func, "cls", None))

    @staticmethod
    def keep_for(request, response, user_id) -> int:
        """Seconds to keep this answer (0: not at all): a whole 200 for the learner the session named, not staff,
        no messages left for the next page, nothing due to change before the page would be seen again."""
        user = getattr(request, "user", None)
        if (
            response.status_code != 200
            or response.streaming
            or user is None
            or not user.is_authenticated
            or str(user.pk) != str(user_id)
            or user.is_staff
            or user.is_superuser
            or CookieStorage.cookie_name in response.cookies
            or request.session.get(SessionStorage.session_key)
        ):
            return 0
        until = getattr(request, "learner_page_valid_until", None)
        if until is None:
            return settings.LEARNER_PAGE_SECONDS
        return max(0, min(settings.LEARNER_PAGE_SECONDS, int((until - timezone.now()).total_seconds())))


def _marked(func):
    """The view when marked @cached_for_learner; for an API viewset, the action a GET runs when it is marked."""
    if getattr(func, "cached_for_learner", False):
        return func
    view_class, actions = getattr(func, "cls", None), getattr(func, "actions", None) or {}
    action = getattr(view_class, actions.get("get", ""), None)
    return action if getattr(action, "cached_for_learner", False) else None


def _api_throttles(view_class, user_id) -> list | None:
    """The API view's throttles that count this caller, each with its counter (key, lifetime): a hit on a kept
    answer counts against the rate limits as the view's own throttles would."""
    caller = SimpleNamespace(user=SimpleNamespace(pk=user_id, is_authenticated=True), META={})
    counted = []
    for throttle in view_class().get_throttles():
        if not hasattr(throttle, "counter"):
            return None  # a throttle that counts in its own way: such a view takes the usual path
        counter = throttle.counter(caller, None)
        if counter is not None:
            counted.append((throttle, counter))
    return counted
