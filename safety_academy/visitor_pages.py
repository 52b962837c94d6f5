"""Whole pages for visitors, served from the cache before sessions, authentication and the view run.

A visitor (no session, no pending messages) sees the catalogue, a topic, a lesson or a framework exactly as
every other visitor does: the page depends on the content alone. Views marked `@cached_for_visitors` have
their visitors' answers kept under the content version (courses.content_cache), so an edit shows at once;
a page is kept only when nothing of the request went into it: a 200 that sets no cookie (a CSRF token or a
session would set one) and is not marked private. Everyone signed in takes the usual path.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage  # where messages wait for a visitor
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.urls import Resolver404

from courses.content_cache import content_version
from safety_academy.links import site_route

# A content edit replaces every key at once; the timeout bounds how long a page outlives a deploy that changed
# its templates but not the content.
VISITOR_PAGE_SECONDS = 600


def cached_for_visitors(view):
    """Mark a page view whose answer to a visitor depends on the content alone."""
    view.cached_for_visitors = True
    return view


class VisitorPageCacheMiddleware:
    """Answer a visitor's GET of a marked page from the cache, and keep what the view answered on a miss.
    Placed before the session middleware: a hit costs a URL match and one cache read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = self.key(request)
        if key is None:
            return self.get_response(request)
        stored = cache.get(key)
        if stored is not None:
            return response_from(stored)
        response = self.get_response(request)
        if _keepable(response):
            cache.set(key, stored_answer(response), timeout=VISITOR_PAGE_SECONDS)
        return response

    @staticmethod
    def key(request) -> str | None:
        if request.method != "GET" or request.META.get("QUERY_STRING") or "HTTP_HX_REQUEST" in request.META:
            return None  # a query, or htmx asking for a part of a page: the usual path
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
            return None
        try:
            match = site_route(request.path_info)
            host = request.get_host()
        except (Resolver404, DisallowedHost):
            return None  # the usual path answers these (a 404, a 400)
        if not getattr(match.func, "cached_for_visitors", False):
            return None
        address = f"{request.scheme}://{host}{request.path}"
        return f"visitor-page:{content_version()}:{hashlib.sha256(address.encode()).hexdigest()}"


def _keepable(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def stored_answer(response) -> tuple[int, list[tuple[str, str]], bytes]:
    """What of a response is kept to answer again: its status, headers and body (never its cookies)."""
    return response.status_code, list(response.items()), response.content


def response_from(stored) -> HttpResponse:
    """The response a stored_answer() gives back."""
    status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response
