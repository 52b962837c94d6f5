"""The catalogue API: public, published content only."""

import pytest

from courses import selectors
from courses.models import Lesson
from tests.factories import LessonFactory, TopicFactory, grow_framework_mappings


def test_catalogue_is_public_and_published_only(api_client, db):
    hidden = TopicFactory(is_published=False)
    response = api_client.get("/api/v1/topics/", {"page_size": 200})
    assert response.status_code == 200
    slugs = {t["slug"] for t in response.json()["results"]}
    assert hidden.slug not in slugs and len(slugs) >= 50
    assert api_client.get(f"/api/v1/topics/{hidden.slug}/").status_code == 404
    assert api_client.get("/api/v1/categories/").json()["count"] >= 8


def test_lesson_detail_has_body_and_hidden_lessons_are_404(api_client, db):
    lesson = Lesson.objects.filter(is_published=True).first()
    body = api_client.get(f"/api/v1/lessons/{lesson.pk}/").json()
    assert body["title"] == lesson.title and "body_html" in body
    hidden = LessonFactory(is_published=False)
    assert api_client.get(f"/api/v1/lessons/{hidden.pk}/").status_code == 404
    assert api_client.get("/api/v1/lessons/99999999999999999999999/").status_code == 404


def test_frameworks_are_public_with_coverage(api_client, db):
    body = api_client.get("/api/v1/frameworks/").json()
    assert [f["key"] for f in body["results"]] == ["NIST-AI-RMF", "ISO-42001", "EU-AI-ACT"]
    nist = selectors.framework_coverages(slug="nist-ai-rmf")[0]
    detail = api_client.get("/api/v1/frameworks/nist-ai-rmf/").json()
    assert (detail["item_count"], detail["covered_count"], detail["coverage_percent"]) == (
        nist.total,
        nist.covered,
        nist.percent,
    )
    assert detail["url"] == "/frameworks/nist-ai-rmf/" and detail["publisher_url"].startswith("https://doi.org/")
    assert api_client.get("/api/v1/frameworks/nope/").status_code == 404


def test_framework_items_carry_the_topics_and_lessons_covering_them(api_client, db):
    body = api_client.get("/api/v1/frameworks/eu-ai-act/items/", {"page_size": 200}).json()
    items = {item["code"]: item for item in body["results"]}
    assert items["Art-15"]["reference"] == "EU-AI-ACT:Art-15" and items["Art-15"]["parent"] == "Chapter-III"
    assert items["Chapter-III"]["mappable"] is False and items["Chapter-III"]["covered_by"] == []
    cards = next(c for c in items["Art-11"]["covered_by"] if c["topic"] == "safety-focused-model-cards")
    assert cards["whole_topic"] is False and "versioning-cards-across-releases" in cards["lessons"]
    assert items["Art-50"]["covered_by"] == [] and items["Art-50"]["note"]
    assert api_client.get("/api/v1/frameworks/nope/items/").status_code == 404


def test_mappings_filter_by_topic_and_framework(api_client, db):
    body = api_client.get("/api/v1/framework-mappings/", {"topic": "kill-switches-emergency-stop"}).json()
    assert {(m["reference"], m["lesson"]) for m in body["results"]} == {
        ("NIST-AI-RMF:MANAGE-2.4", None),
        ("EU-AI-ACT:Art-14", None),
    }
    eu = api_client.get("/api/v1/framework-mappings/", {"framework": "eu-ai-act", "page_size": 200}).json()
    assert eu["count"] and {m["framework"] for m in eu["results"]} == {"eu-ai-act"}
    assert api_client.get("/api/v1/framework-mappings/", {"topic": "nope"}).json()["count"] == 0


def test_the_topics_list_reads_one_query_per_content_version(api_client, user, django_assert_num_queries):
    api_client.force_authenticate(user)
    for _ in range(2):
        with django_assert_num_queries(1):  # every visible topic, serialised into the cache
            assert api_client.get("/api/v1/topics/").status_code == 200
        with django_assert_num_queries(0):
            assert api_client.get("/api/v1/topics/", {"page": 2, "page_size": 10}).status_code == 200
        for _ in range(20):  # more topics: a new content version, the same count
            TopicFactory()


FRAMEWORK_API_BUDGETS = {
    "/api/v1/frameworks/": 2,
    "/api/v1/frameworks/iso-42001/": 1,
    "/api/v1/frameworks/iso-42001/items/": 4,
    "/api/v1/framework-mappings/": 2,
}


@pytest.mark.parametrize("url", list(FRAMEWORK_API_BUDGETS))
def test_framework_endpoints_run_a_fixed_number_of_queries(api_client, db, django_assert_num_queries, url):
    api_client.get(url)  # warm up
    with django_assert_num_queries(FRAMEWORK_API_BUDGETS[url]):
        assert api_client.get(url).status_code == 200
    grow_framework_mappings()
    with django_assert_num_queries(FRAMEWORK_API_BUDGETS[url]):
        assert api_client.get(url).status_code == 200
