"""Every page allows only the methods it serves: 405 for the rest, over every URL pattern of the site
(ours, the admin's, allauth's and the API's)."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests.factories import UserFactory

SAMPLES = {
    "slug": "sample",
    "str": "sample",
    "path": "1",
    "int": "1",
    "id": "1",
    "uuid": "00000000-0000-0000-0000-000000000000",
}
OUR_MODULES = ("courses.", "progress.", "quizzes.", "safety_academy.views")


def _route(pattern) -> str:
    text = str(pattern.pattern)
    if text.startswith("^") or text.endswith("$") or "(?P<" in text:  # a regex pattern
        text = text.lstrip("^").rstrip("$").replace("\\.", ".").replace("/?", "/")
        text = re.sub(r"\(\?P<format>[^)]*\)", "json", text)
        text = re.sub(r"\(\?P<\w+>[^)]*\)", "1", text)
        return text
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES.get(m.group(1) or "str", "sample"), text)


def every_url(resolvers=None, prefix=""):
    """(url, view function) for every pattern, with sample values in place of the arguments."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        route = prefix + _route(entry)
        if isinstance(entry, URLResolver):
            yield from every_url(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield "/" + route, entry.callback


ALL_URLS = sorted({url for url, _ in every_url()})
OUR_VIEWS = sorted(
    {
        (url, view.__module__)
        for url, view in every_url()
        if view.__module__.startswith(OUR_MODULES) and not url.startswith("/api/")
    }
)


def test_the_walk_covers_the_site():
    joined = " ".join(ALL_URLS)
    for expected in ("/admin/", "/accounts/login/", "/accounts/2fa/", "/api/v1/", "/teams/", "/search/", "/healthz"):
        assert expected in joined, expected
    assert len(OUR_VIEWS) >= 35


@pytest.mark.parametrize("url", [u for u in ALL_URLS if not u.startswith("/api/")])
def test_pages_refuse_methods_they_do_not_serve(client, db, staff_user, url):
    client.force_login(staff_user)
    for method in ("PUT", "PATCH", "DELETE", "TRACE", "OPTIONS", "BREW"):
        response = client.generic(method, url)
        assert response.status_code == 405, (method, url, response.status_code)
        assert set(response["Allow"].split(", ")) <= {"GET", "HEAD", "POST"}


@pytest.mark.parametrize("url", [u for u in ALL_URLS if u.startswith("/api/")])
def test_the_api_refuses_invented_methods_in_its_error_format(api_client, user, url):
    api_client.force_authenticate(user)
    for method in ("TRACE", "BREW"):
        response = api_client.generic(method, url)
        assert response.status_code in (405, 404), (method, url, response.status_code)
        if response.status_code == 405 and url.startswith("/api/v1/"):
            assert response.json()["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize(("url", "module"), OUR_VIEWS)
def test_each_of_our_views_declares_its_methods(db, url, module):
    """Called directly (below the site-wide guard), each view refuses what it does not serve and names
    what it does in Allow, so a GET-only page refuses POST too."""
    match = resolve(url)
    user = UserFactory()
    for method in ("PUT", "DELETE", "BREW"):
        request = RequestFactory().generic(method, url)
        request.user = user
        response = match.func(request, *match.args, **match.kwargs)
        assert response.status_code == 405, (method, url, response.status_code)
        allowed = set(response["Allow"].split(", "))
        assert allowed and allowed <= {"GET", "HEAD", "POST"}, (url, allowed)
    if "POST" not in allowed:
        request = RequestFactory().post(url)
        request.user, request._dont_enforce_csrf_checks = AnonymousUser(), True
        assert match.func(request, *match.args, **match.kwargs).status_code == 405, url
