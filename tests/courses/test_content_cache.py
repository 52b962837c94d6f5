"""Shared fragments in the cache: never one person's data shown to another, and gone when content changes."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from courses.content_cache import content_cached, content_changed, content_version, fill_holes, hole
from courses.models import Topic
from progress.services.content import lessons_publish
from progress.services.learning import lesson_complete
from tests.factories import UserFactory


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
