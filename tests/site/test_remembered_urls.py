"""The site's own addresses, remembered per process (safety_academy.links.site_path and the templates'
`{% url %}` and `{% static %}`, and site_route): every answer is the one Django's reverse(), static() and
resolve() give."""

import pytest
from django.http import HttpResponse
from django.template import Context, Template, TemplateSyntaxError
from django.templatetags.static import static
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, Resolver404, path, resolve, reverse

from safety_academy.links import _remembered, _route, site_path, site_route


def test_site_path_answers_as_reverse_does_and_remembers_plain_arguments():
    _remembered.cache_clear()
    assert site_path("courses:catalogue") == reverse("courses:catalogue")
    lesson = site_path("courses:lesson", topic_slug="a-topic", lesson_slug="a-lesson")
    assert lesson == reverse("courses:lesson", kwargs={"topic_slug": "a-topic", "lesson_slug": "a-lesson"})
    assert site_path("progress:team_member", "a-team", 7) == reverse("progress:team_member", args=["a-team", 7])
    site_path("courses:lesson", topic_slug="a-topic", lesson_slug="a-lesson")
    assert _remembered.cache_info().hits == 1 and _remembered.cache_info().currsize == 3


def test_site_path_does_not_remember_other_arguments_and_raises_as_reverse_does():
    class Slug:
        def __str__(self):
            return "from-an-object"

    _remembered.cache_clear()
    assert site_path("courses:topic", topic_slug=Slug()) == "/topics/from-an-object/"
    assert _remembered.cache_info().currsize == 0
    with pytest.raises(NoReverseMatch):
        site_path("courses:no-such-page")
    with pytest.raises(NoReverseMatch):
        site_path("courses:topic", topic_slug="not a slug")


def test_a_changed_script_prefix_is_a_different_address():
    assert site_path("courses:catalogue") == "/"
    with override_settings(FORCE_SCRIPT_NAME="/academy/"):
        from django.urls import set_script_prefix

        set_script_prefix("/academy/")
        try:
            assert site_path("courses:catalogue") == "/academy/"
        finally:
            set_script_prefix("/")
    assert site_path("courses:catalogue") == "/"


def test_site_route_answers_as_resolve_does_and_remembers_only_what_matched():
    _route.cache_clear()
    for address in ("/", "/topics/a-topic/a-lesson/", "/api/v1/teams/a-team/members/"):
        route, expected = site_route(address), resolve(address)
        assert (route.func, route.args, route.kwargs, route.view_name) == (
            expected.func,
            expected.args,
            expected.kwargs,
            expected.view_name,
        )
    assert site_route("/topics/a-topic/a-lesson/") is site_route("/topics/a-topic/a-lesson/")
    with pytest.raises(Resolver404):
        site_route("/no/such/address/")
    assert _route.cache_info().currsize == 3


def hello(request):
    return HttpResponse("hello")


urlpatterns = [path("", hello, name="hello")]  # this module is the urlconf of the test below


def test_site_route_forgets_what_it_remembered_when_the_urlconf_changes():
    assert site_route("/").url_name == "catalogue"
    with override_settings(ROOT_URLCONF=__name__):
        assert site_route("/").func is hello
    assert site_route("/").url_name == "catalogue"


def render(source: str, **context) -> str:
    request = RequestFactory().get("/")
    return Template(source).render(Context({"request": request, **context}))


def test_the_url_tag_answers_as_djangos_does():
    assert render("{% url 'courses:catalogue' %}") == "/"
    assert render("{% url 'courses:topic' slug %}", slug="a-topic") == "/topics/a-topic/"
    assert render("{% url 'courses:topic' topic_slug=slug %}", slug="a-topic") == "/topics/a-topic/"
    assert render("{% url 'courses:topic' 'x' as there %}[{{ there }}]") == "[/topics/x/]"
    assert render("{% url 'courses:no-such-page' as there %}[{{ there }}]") == "[]"
    with pytest.raises(NoReverseMatch):
        render("{% url 'courses:no-such-page' %}")
    with pytest.raises(TemplateSyntaxError):
        Template("{% url %}")
    member = render("{% url 'progress:team_member' team 3 %}", team="a-team")
    assert member == reverse("progress:team_member", args=["a-team", 3])


def test_the_static_tag_answers_as_djangos_does():
    assert render("{% static 'css/site.css' %}") == static("css/site.css")
    assert render("{% static 'css/site.css' as sheet %}<{{ sheet }}>") == f"<{static('css/site.css')}>"
    with override_settings(STATIC_URL="/assets/"):
        assert render("{% static 'css/site.css' %}") == "/assets/css/site.css"
