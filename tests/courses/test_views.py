"""Catalogue pages: what they show, who sees unpublished content, search, and query budgets."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from courses import selectors
from courses.models import Topic
from tests.factories import LessonFactory, TopicFactory, grow_everything, grow_framework_mappings


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


# lesson: opening it moves its times, two UPDATEs in a transaction of their own (a savepoint here)
PAGE_BUDGETS = {"catalogue": 4, "topic": 7, "lesson": 7}


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
    client.get(url)  # warm up again: the new content is a new content version, read once into the cache
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


def test_frameworks_page_lists_each_framework_its_items_topics_and_coverage(client, db):
    html = client.get("/frameworks/").content.decode()
    for name in ("NIST AI RMF 1.0", "ISO/IEC 42001:2023", "EU AI Act"):
        assert name in html
    assert "MEASURE 2.7" in html and "AI system verification and validation" in html
    assert "Adversarial Robustness" in html  # a topic covering MEASURE 2.7
    nist = selectors.framework_coverages(slug="nist-ai-rmf")[0]
    assert f"{nist.covered}/{nist.total} items · {nist.percent}%" in html
    assert "not a claim of compliance" in html.lower()


def test_framework_page_gives_item_level_detail(client, db):
    html = client.get("/frameworks/eu-ai-act/").content.decode()
    assert "Accuracy, robustness and cybersecurity" in html and 'id="item-Art-15"' in html
    card = html[html.index('id="item-Art-11"') : html.index('id="item-Art-12"')]
    assert 'href="/topics/safety-focused-model-cards/versioning-cards-across-releases/"' in card
    assert "Not covered by the track" in html[html.index('id="item-Art-50"') :]
    assert client.get("/frameworks/no-such-framework/").status_code == 404


def test_topic_page_shows_its_mappings(client, db):
    html = client.get("/topics/kill-switches-emergency-stop/").content.decode()
    section = html[html.index('id="frameworks"') :]
    assert "MANAGE 2.4" in section and "Article 14" in section and "Human oversight" in section
    lesson_level = client.get("/topics/safety-focused-model-cards/").content.decode()
    assert '(in <a href="/topics/safety-focused-model-cards/the-safety-section-template/">' in lesson_level


FRAMEWORK_PAGE_BUDGETS = {"/frameworks/": 4, "/frameworks/nist-ai-rmf/": 4}


@pytest.mark.parametrize("url", list(FRAMEWORK_PAGE_BUDGETS))
def test_framework_pages_run_a_fixed_number_of_queries(client, user, django_assert_num_queries, url):
    client.force_login(user)
    client.get(url)  # warm up
    with django_assert_num_queries(FRAMEWORK_PAGE_BUDGETS[url]):
        assert client.get(url).status_code == 200
    grow_framework_mappings()  # another framework, and a topic mapping items of every framework
    with django_assert_num_queries(FRAMEWORK_PAGE_BUDGETS[url]):
        assert client.get(url).status_code == 200


def test_search_page_shows_the_count_highlighted_snippets_and_pages(client, db):
    response = client.get(reverse("courses:search"), {"q": "hazard"})
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<strong>\d+ lessons</strong> match", html)
    assert "<mark>hazard" in html.lower() or "<mark>hazards" in html.lower()
    assert html.count('class="search-title"') == 20
    assert "Page 1 of" in html and 'rel="next" href="?q=hazard&amp;page=2"' in html
    second = client.get(reverse("courses:search"), {"q": "hazard", "page": 2}).content.decode()
    assert "Page 2 of" in second and 'rel="prev"' in second
    topics = client.get(reverse("courses:search"), {"q": "hazard", "in": "topics"}).content.decode()
    assert re.search(r"<strong>\d+ topics</strong> match", topics)


def test_search_page_with_nothing_to_find_says_so(client, db):
    html = client.get(reverse("courses:search"), {"q": "qwertyuiopzxcv"}).content.decode()
    assert "Nothing matches" in html
    assert client.get(reverse("courses:search"), {"q": "   "}).status_code == 200


def test_search_page_runs_a_fixed_number_of_queries(client, busy_learner, django_assert_num_queries):
    client.force_login(busy_learner)
    url = reverse("courses:search") + "?q=hazard"
    client.get(reverse("courses:search") + "?q=warm")  # the session and the templates, not this search
    with django_assert_num_queries(SEARCH_BUDGET):  # read from the index once per content version
        assert client.get(url).status_code == 200
    with django_assert_num_queries(CACHED_SEARCH_BUDGET):  # then from the cache: the session and the user only
        assert client.get(url).status_code == 200
    grow_everything(busy_learner)
    for lesson in Topic.objects.first().lessons.all()[:3]:
        LessonFactory(topic=lesson.topic, slug=f"more-{lesson.slug}", body_markdown="hazard " + lesson.body_markdown)
    with django_assert_num_queries(SEARCH_BUDGET):  # the content changed: read again, the same count
        assert client.get(url).status_code == 200
    with django_assert_num_queries(CACHED_SEARCH_BUDGET):
        assert client.get(url).status_code == 200


SEARCH_BUDGET = 7 if connection.vendor == "sqlite" else 3  # PostgreSQL counts in the page query
CACHED_SEARCH_BUDGET = 1  # the user (the session is read from the cache)
