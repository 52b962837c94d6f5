"""Whole pages for visitors from the cache (safety_academy.visitor_pages): the same bytes and headers as
the view's own answer, current with every content edit, and never a page that holds anything of a person."""

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from courses.models import Topic
from progress.services.learning import lesson_complete
from safety_academy.visitor_pages import VisitorPageCacheMiddleware
from tests.factories import UserFactory


@pytest.fixture
def lesson(track):
    topic = Topic.objects.filter(is_published=True, lessons__is_published=True).order_by("position", "pk").first()
    return topic.lessons.filter(is_published=True).order_by("position").first()


def visitor_pages(lesson):
    topic = lesson.topic
    framework = topic.framework_mappings.values_list("item__framework__slug", flat=True).first()
    pages = ["/", topic.get_absolute_url(), lesson.get_absolute_url(), reverse("courses:frameworks")]
    if framework:
        pages.append(reverse("courses:framework", args=[framework]))
    return pages


def test_a_visitor_gets_the_same_page_again_without_a_query(client, lesson, django_assert_num_queries):
    for path in visitor_pages(lesson):
        first = client.get(path)
        assert first.status_code == 200
        with django_assert_num_queries(0):
            again = client.get(path)
        assert again.content == first.content, path
        for header in ("Content-Type", "Content-Security-Policy", "X-Frame-Options", "Permissions-Policy"):
            assert again[header] == first[header], (path, header)
        assert again.has_header("Strict-Transport-Security") == first.has_header("Strict-Transport-Security")


def test_a_content_edit_reaches_visitors_at_once(client, lesson):
    assert "A freshly edited passage" not in client.get(lesson.get_absolute_url()).content.decode()
    lesson.body_markdown += "\n\nA freshly edited passage."
    lesson.save()  # the admin's save
    assert "A freshly edited passage" in client.get(lesson.get_absolute_url()).content.decode()
    Topic.objects.filter(pk=lesson.topic_id).update(title="A renamed topic")  # a bulk update...
    from courses.content_cache import content_changed

    content_changed()  # ...whose service says so itself
    assert "A renamed topic" in client.get("/").content.decode()


def test_signed_in_pages_are_never_kept_nor_served_from_the_visitors_cache(client, lesson):
    ann = UserFactory()
    lesson_complete(user=ann, lesson=lesson)
    client.force_login(ann)
    for path in visitor_pages(lesson):
        assert client.get(path).status_code == 200  # an empty cache: nothing of Ann may be kept
    client.logout()
    for path in visitor_pages(lesson):
        html = client.get(path).content.decode()
        assert 'data-testid="person-name"' not in html and ann.email not in html and "Log out" not in html, path
    client.force_login(ann)  # the visitors' pages are now cached; Ann still gets her own
    page = client.get(lesson.get_absolute_url())
    assert 'data-testid="person-name"' in page.content.decode() and "no-store" in page["Cache-Control"]


def test_only_a_visitors_plain_get_of_a_marked_page_is_looked_up(lesson):
    factory, path = RequestFactory(), lesson.get_absolute_url()
    assert VisitorPageCacheMiddleware.key(factory.get(path)) is not None
    other_asks = {
        "a query string": factory.get(path, {"utm_source": "mail"}),
        "htmx asking for a part": factory.get(path, headers={"HX-Request": "true"}),
        "a form sent": factory.post(path),
        "a session": factory.get(path, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}=abc"}),
        "messages waiting": factory.get(path, headers={"Cookie": "messages=abc"}),
        "an unmarked page": factory.get(reverse("account_login")),
        "search": factory.get(reverse("courses:search")),
        "the API": factory.get("/api/v1/topics/"),
        "no such page": factory.get("/no-such-page/"),
        "a host not allowed": factory.get(path, headers={"Host": "evil.example"}),
    }
    for what, request in other_asks.items():
        assert VisitorPageCacheMiddleware.key(request) is None, what


def test_a_visitor_with_a_session_or_waiting_messages_takes_the_usual_path(client, lesson):
    client.get("/")  # cached for visitors
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = storage._encode([_message("Your invitation has expired.")])
    assert "Your invitation has expired." in client.get("/").content.decode()
    assert "Your invitation has expired." not in client.get("/").content.decode()  # shown once, never kept


def _message(text):
    from django.contrib.messages.storage.base import Message

    return Message(constants.INFO, text)


def test_a_response_that_sets_a_cookie_or_is_private_is_not_kept(db):
    """A CSRF token or a session started by the page would set a cookie: such a page belongs to one visitor."""

    answers = {
        "sets a cookie": lambda: _with_cookie(HttpResponse("mine")),
        "private": lambda: _with_header(HttpResponse("mine"), "Cache-Control", "private"),
        "not a 200": lambda: HttpResponse("moved", status=302),
    }
    for what, answer in answers.items():
        calls = []

        def get_response(request, answer=answer, calls=calls):
            calls.append(request)
            return answer()

        middleware = VisitorPageCacheMiddleware(get_response)
        middleware(RequestFactory().get("/"))
        middleware(RequestFactory().get("/"))
        assert len(calls) == 2, what  # nothing was kept: the second request reached the view again


def _with_cookie(response):
    response.set_cookie("csrftoken", "x")
    return response


def _with_header(response, name, value):
    response[name] = value
    return response
