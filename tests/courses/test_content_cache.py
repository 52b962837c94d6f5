"""Shared fragments in the cache: never one person's data shown to another, and gone when content changes."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.urls import reverse

from courses import search as search_index
from courses import selectors
from courses.api import TopicSerializer
from courses.content_cache import content_cached, content_changed, content_version, fill_holes, hole
from courses.models import Topic
from progress.services.content import lessons_publish
from progress.services.learning import lesson_complete
from tests.factories import LessonFactory, TopicFactory, UserFactory


@pytest.fixture
def topic(track):
    return Topic.objects.filter(is_published=True, lessons__is_published=True).order_by("position", "pk").first()


def test_no_cached_catalogue_fragment_shows_one_learners_progress_to_another(client, topic):
    ann, bob = UserFactory(), UserFactory()
    for lesson in topic.lessons.filter(is_published=True).order_by("position")[:2]:
        lesson_complete(user=ann, lesson=lesson)
    total = topic.lessons.filter(is_published=True).count()

    anonymous = client.get("/").content.decode()  # fills the visitors' cache first
    assert "Sign up to track your progress" in anonymous and "<progress" not in anonymous
    client.force_login(ann)
    ann_page = client.get("/").content.decode()
    assert f'aria-label="{topic.title}: 2 of {total} lessons done' in ann_page
    client.force_login(bob)
    bob_page = client.get("/").content.decode()
    assert f'aria-label="{topic.title}: 0 of {total} lessons done' in bob_page
    assert f"{topic.title}: 2 of" not in bob_page and "Sign up to track your progress" not in bob_page
    client.logout()
    again = client.get("/").content.decode()
    assert again == anonymous and "<progress" not in again and ann.email not in again


def test_a_content_change_replaces_the_cached_catalogue(client, topic):
    first = client.get("/").content.decode()
    assert topic.title in first
    version = content_version()
    Topic.objects.filter(pk=topic.pk).first().save()  # an admin save
    assert content_version() != version
    lessons = list(topic.lessons.filter(is_published=True).values_list("pk", flat=True))
    lessons_publish(lesson_ids=lessons, published=False)  # a bulk update, no save signal
    html = client.get("/").content.decode()
    assert "Lessons in preparation" in html and html != first


def test_the_anonymous_catalogue_runs_no_query_once_cached(client, topic, django_assert_num_queries):
    client.get("/")
    with django_assert_num_queries(0):
        assert client.get(reverse("courses:catalogue")).status_code == 200


def test_the_learners_catalogue_is_the_shared_part_with_each_learners_own_parts(client, topic):
    """The learners' catalogue is cached once for all of them; what differs between two learners is only their own
    progress, badges and assignment marks, and no hole mark ever reaches a page."""
    ann, bob = UserFactory(), UserFactory()
    lessons = list(topic.lessons.filter(is_published=True).order_by("position"))
    for lesson in lessons:
        lesson_complete(user=ann, lesson=lesson)
    client.force_login(ann)
    ann_page = client.get("/").content.decode()
    client.force_login(bob)
    bob_page = client.get("/").content.decode()
    assert "\x1e" not in ann_page + bob_page and "\x1f" not in ann_page + bob_page
    assert f'aria-label="Whole track: {len(lessons)} of' in ann_page and 'aria-label="Whole track: 0 of' in bob_page
    every = f'aria-label="{topic.title}: {len(lessons)} of {len(lessons)} lessons done'
    assert every in ann_page and every not in bob_page


def test_a_hidden_topic_cached_for_staff_never_reaches_learners(client, track):
    hidden = track.first()
    Topic.objects.filter(pk=hidden.pk).update(is_published=False)
    content_changed()  # a bulk update: the services call this themselves
    lesson = hidden.lessons.order_by("position").first()
    client.force_login(UserFactory(is_staff=True))
    assert hidden.title in client.get("/").content.decode()
    assert client.get(hidden.get_absolute_url()).status_code == 200
    assert client.get(lesson.get_absolute_url()).status_code == 200
    client.force_login(UserFactory())
    assert hidden.title not in client.get("/").content.decode()
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(lesson.get_absolute_url()).status_code == 404
    client.logout()
    assert hidden.title not in client.get("/").content.decode()
    assert client.get(lesson.get_absolute_url()).status_code == 404


def test_an_edited_lesson_shows_at_once(client, topic):
    lesson = topic.lessons.filter(is_published=True).order_by("position").first()
    client.force_login(UserFactory())
    assert "An edited passage" not in client.get(lesson.get_absolute_url()).content.decode()
    lesson.body_markdown += "\n\nAn edited passage."
    lesson.save()  # the admin's save
    assert "An edited passage" in client.get(lesson.get_absolute_url()).content.decode()


def test_a_miss_is_not_kept(db):
    """A stream of unknown addresses (lesson and topic slugs) must not fill the cache."""
    assert content_cached("lesson:no-such:thing:everyone", lambda: None) is None
    assert not cache.has_key(f"content:{content_version()}:lesson:no-such:thing:everyone")
    assert content_cached("found", lambda: 42) == 42 and cache.has_key(f"content:{content_version()}:found")


def test_holes_are_filled_from_this_persons_fragments_and_unknown_ones_vanish():
    html = f"<p{hole('card', 3)}>{hole('bar', 3)}|{hole('bar', 4)}</p>"
    assert fill_holes(html, {"card:3": ' class="mine"', "bar:3": "<b>3</b>"}) == '<p class="mine"><b>3</b>|</p>'


# --- Search results and the topics API: shared by everyone who sees the same content ---------------------


def search_page(client, query: str, **params) -> str:
    response = client.get(reverse("courses:search"), {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_a_draft_found_by_staff_is_never_shown_from_the_cache_to_anyone_else(client, user, staff_user, topic):
    LessonFactory(
        topic=topic, slug="draft", title="Secret draft lesson", body_markdown="xylophagous", is_published=False
    )
    TopicFactory(is_published=False, title="Secret xylophagous topic")
    client.force_login(staff_user)
    assert "Secret draft lesson" in search_page(client, "xylophagous")  # staff first: their results are cached
    assert "Secret xylophagous topic" in search_page(client, "xylophagous", **{"in": "topics"})
    client.force_login(user)
    for kind in ("lessons", "topics"):
        html = search_page(client, "xylophagous", **{"in": kind})
        assert "Nothing matches" in html and "Secret" not in html
    client.logout()
    assert "Secret" not in search_page(client, "xylophagous")
    client.force_login(staff_user)  # and the learners' cached page is not what staff get
    assert "Secret xylophagous topic" in search_page(client, "xylophagous", **{"in": "topics"})


def test_a_learner_and_a_visitor_share_results_that_show_nothing_of_either(client, user, topic):
    lesson = topic.lessons.filter(is_published=True).order_by("position").first()
    lesson_complete(user=user, lesson=lesson)
    client.force_login(user)
    learner = search_page(client, lesson.title)
    client.logout()
    visitor = search_page(client, lesson.title)
    start = learner.index("<h1>Search</h1>")  # the header above differs (signed in or not), the results do not
    results = visitor[visitor.index("<h1>Search</h1>") : visitor.index("</main>")]
    assert learner[start : learner.index("</main>")] == results
    assert user.email not in visitor


def test_a_lesson_edit_shows_in_the_next_search(client, topic):
    lesson = LessonFactory(topic=topic, slug="edited", title="Before the edit", body_markdown="Ocelots everywhere.")
    assert "Before the edit" in search_page(client, "ocelots")
    lesson.title = "After the edit"
    lesson.save()  # an admin save
    html = search_page(client, "ocelots")
    assert "After the edit" in html and "Before the edit" not in html
    lessons_publish(lesson_ids=[lesson.pk], published=False)  # a bulk update
    assert "Nothing matches" in search_page(client, "ocelots")


def test_search_cache_names_are_bounded_and_follow_the_normalised_request(user, staff_user):
    anyone = AnonymousUser()
    name = selectors.search_cache_name(user=anyone, query="robustness " * 1000 + "\n\x01 ☃ '\"", page="9" * 5000)
    assert name.isascii() and len(name) == len(selectors.search_cache_name(user=anyone, query="a"))
    same = selectors.search_cache_name(user=anyone, query=" a   b ", page="x", kind="nonsense")
    assert same == selectors.search_cache_name(user=user, query="a b", page=1, kind="lessons")
    different = [
        selectors.search_cache_name(user=anyone, query="a b", page=2),
        selectors.search_cache_name(user=anyone, query="a b", kind="topics"),
        selectors.search_cache_name(user=anyone, query="a B"),
        selectors.search_cache_name(user=staff_user, query="a b"),
    ]
    assert len({same, *different}) == 5


def test_odd_search_requests_answer_normally(client, db):
    assert client.get(reverse("courses:search"), {"q": "hazard " * 2000, "page": "9" * 5000}).status_code == 200
    last = search_page(client, "hazard", page="999999999999")
    assert last == search_page(client, "hazard", page=str(search_index.MAX_PAGE))


def test_the_topics_api_cached_for_staff_never_lists_hidden_topics_to_others(client, api_client, staff_user, user):
    hidden = TopicFactory(is_published=False)
    api_client.force_authenticate(staff_user)
    assert hidden.slug in topic_slugs(api_client)
    for who in (user, None):
        api_client.force_authenticate(who)
        assert hidden.slug not in topic_slugs(api_client)
    api_client.force_authenticate(staff_user)
    assert hidden.slug in topic_slugs(api_client)


def test_the_topics_api_says_what_it_said_before_it_was_cached(api_client, user, track):
    api_client.force_authenticate(user)
    category = track.first().category.slug
    pages = ({}, {"page_size": 20, "page": 2}, {"page_size": 7, "page": 3}, {"category": category}, {"category": "x"})
    for params in pages:
        topics = track.order_by("category__position", "position")
        if "category" in params:
            topics = topics.filter(category__slug=params["category"])
        expected = TopicSerializer(topics, many=True).data
        size = params.get("page_size", 50)
        start = (params.get("page", 1) - 1) * size
        for _ in range(2):  # from the database, then from the cache
            body = api_client.get("/api/v1/topics/", params).json()
            assert body["count"] == len(expected) and body["results"] == expected[start : start + size]
    assert api_client.get("/api/v1/topics/", {"page": 99}).status_code == 404


def test_a_topic_edit_shows_in_the_next_topics_list(api_client, topic):
    assert topic.title in {t["title"] for t in api_client.get("/api/v1/topics/", {"page_size": 200}).json()["results"]}
    topic.title = "A title just edited"
    topic.save()
    titles = {t["title"] for t in api_client.get("/api/v1/topics/", {"page_size": 200}).json()["results"]}
    assert "A title just edited" in titles


def topic_slugs(api_client) -> set[str]:
    return {t["slug"] for t in api_client.get("/api/v1/topics/", {"page_size": 200}).json()["results"]}
