"""Catalogue pages: what they show, who sees unpublished content, search, and query budgets."""

import pytest
from django.urls import reverse

from courses.models import Topic
from tests.factories import LessonFactory, TopicFactory, grow_everything


def first_topic_with_lessons():
    return (
        Topic.objects.filter(is_published=True, lessons__is_published=True)
        .distinct()
        .order_by("category__position", "position")
        .first()
    )


def test_catalogue_lists_every_category_and_topic(client, db):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for topic in Topic.objects.all():
        assert topic.title.replace("&", "&amp;") in html
    assert "AI Safety Foundations" in html and "Frontier AI Safety" in html


def test_topic_page_shows_overview_and_lessons_in_order(client, db):
    topic = first_topic_with_lessons()
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    titles = [lesson.title for lesson in topic.lessons.filter(is_published=True).order_by("position")]
    positions = [html.index(t.replace("&", "&amp;").replace("'", "&#x27;")) for t in titles]
    assert positions == sorted(positions)


def test_topic_without_lessons_reads_well(client, db):
    topic = TopicFactory(title="An empty deep dive")
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    assert "Lessons in preparation" in response.content.decode()


def test_lesson_page_has_objectives_body_breadcrumb_and_pager(client, db):
    topic = first_topic_with_lessons()
    lessons = list(topic.lessons.filter(is_published=True).order_by("position"))
    response = client.get(lessons[1].get_absolute_url() if len(lessons) > 1 else lessons[0].get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-label="Breadcrumb"' in html
    assert "After this lesson you can" in html
    if len(lessons) > 2:
        assert lessons[0].get_absolute_url() in html and lessons[2].get_absolute_url() in html


def test_unpublished_content_is_404_for_learners_and_visible_to_staff(client, user, staff_user, db):
    hidden_topic = TopicFactory(is_published=False)
    hidden_lesson = LessonFactory(topic=first_topic_with_lessons(), is_published=False, slug="hidden-lesson")
    for url in (hidden_topic.get_absolute_url(), hidden_lesson.get_absolute_url()):
        assert client.get(url).status_code == 404
        client.force_login(user)
        assert client.get(url).status_code == 404
        client.force_login(staff_user)
        assert client.get(url).status_code == 200
        client.logout()


def test_unknown_pages_are_friendly_404s(client, db):
    response = client.get("/topics/no-such-topic/")
    assert response.status_code == 404
    assert "No such topic" in response.content.decode()


def test_search_finds_a_lesson_by_a_word_in_its_body(client, db):
    LessonFactory(
        topic=first_topic_with_lessons(),
        title="Plain title",
        slug="plain",
        body_markdown="The word zygomorphic appears only here.",
    )
    response = client.get(reverse("courses:search"), {"q": "zygomorphic"})
    assert response.status_code == 200
    assert "Plain title" in response.content.decode()


def test_search_does_not_reveal_unpublished_lessons(client, db):
    LessonFactory(
        topic=first_topic_with_lessons(),
        title="Secret draft",
        slug="secret-draft",
        body_markdown="quixotically hidden",
        is_published=False,
    )
    assert "Secret draft" not in client.get(reverse("courses:search"), {"q": "quixotically"}).content.decode()


PAGE_BUDGETS = {"catalogue": 9, "topic": 11, "lesson": 12}


@pytest.mark.parametrize("page", list(PAGE_BUDGETS))
def test_pages_run_a_fixed_number_of_queries(client, busy_learner, django_assert_num_queries, page):
    client.force_login(busy_learner)
    topic = Topic.objects.filter(enrollments__user=busy_learner).order_by("pk").first()
    url = {
        "catalogue": "/",
        "topic": topic.get_absolute_url(),
        "lesson": topic.lessons.filter(is_published=True).first().get_absolute_url(),
    }[page]
    client.get(url)  # warm up
    with django_assert_num_queries(PAGE_BUDGETS[page]):
        assert client.get(url).status_code == 200
    grow_everything(busy_learner)  # more content and more progress: the count must not change
    with django_assert_num_queries(PAGE_BUDGETS[page]):
        assert client.get(url).status_code == 200


def test_an_expired_form_gets_a_friendly_page(user, db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    topic = first_topic_with_lessons()
    response = client.post(reverse("progress:enroll", args=[topic.slug]))
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
