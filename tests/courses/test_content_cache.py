"""Shared fragments in the cache: never one person's data shown to another, and gone when content changes."""

import pytest
from django.urls import reverse

from courses.content_cache import content_version
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
