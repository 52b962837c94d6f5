"""Catalogue reads: full-text search (every word in any order, ranked, highlighted, paged) on SQLite and
PostgreSQL alike, an index that follows every write; and framework coverage, computed the same way for
pages, the API and exports."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from courses import search as search_index
from courses import selectors
from courses.models import Framework, FrameworkMapping, Lesson, Topic
from courses.selectors import search
from tests.factories import LessonFactory, TopicFactory, framework_with_items, topic_with_lessons

ANONYMOUS = AnonymousUser()


def titles(results) -> list[str]:
    return [hit.item.title for hit in results.page.hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("conformal coverage", "conformal"),
        ("coverage conformal", "conformal"),
        ("STPA HAZOP", "hazop"),
        ("hazop stpa", "hazop"),
    ],
)
def test_every_word_in_any_order_finds_the_track_lessons(db, query, expected):
    results = search(user=ANONYMOUS, query=query)
    assert results.lesson_count >= 1, f"{query!r} found nothing"
    for hit in results.page.hits:  # every result holds every word (or a word of the same stem)
        lesson = Lesson.objects.get(pk=hit.item.pk)
        text = f"{lesson.title} {lesson.objectives} {lesson.body_markdown}".lower()
        assert all(word.lower()[:5] in text for word in query.split()), hit.item.title
    assert any(expected in (hit.item.title + str(hit.snippet)).lower() for hit in results.page.hits)


def test_results_are_ranked_title_first(db):
    topic = Topic.objects.filter(is_published=True).first()
    LessonFactory(topic=topic, slug="body-only", title="Plain", body_markdown="quokkas " * 3 + "elsewhere")
    LessonFactory(topic=topic, slug="in-title", title="Quokkas in the title", body_markdown="Nothing else.")
    assert titles(search(user=ANONYMOUS, query="quokkas")) == ["Quokkas in the title", "Plain"]


def test_snippets_escape_the_text_then_mark_the_matches(db):
    LessonFactory(
        topic=Topic.objects.filter(is_published=True).first(),
        slug="hostile",
        body_markdown='A <script>alert("x")</script> note on zygomorphic flowers & [links](https://example.com).',
    )
    snippet = str(search(user=ANONYMOUS, query="zygomorphic").page.hits[0].snippet)
    assert "<mark>zygomorphic</mark>" in snippet
    assert "<script" not in snippet and "&amp;" in snippet and "example.com" not in snippet


def test_highlight_escapes_everything_but_its_own_marks():
    start, stop = search_index.MARK_START, search_index.MARK_STOP
    html = str(search_index.highlight(f"<img src=x onerror=alert(1)> a {start}hazard{stop} & **more**"))
    assert html == "&lt;img src=x onerror=alert(1) a <mark>hazard</mark> &amp; more"


def test_a_query_is_never_read_as_fts_syntax(db):
    for query in ['"', "*", "AND", "NEAR(a b)", "title:hazard", "^x", "a -", "((", "-hazard", "'; DROP TABLE x"]:
        results = search(user=ANONYMOUS, query=query)
        assert results.page.count >= 0  # no error
    assert search_index.fts5_query('title:hazard "safety case" -draft NEAR(') == (
        '"title hazard" "safety case" "NEAR" NOT "draft"'
    )
    assert search_index.fts5_query("the of and") == ""


def test_results_come_twenty_to_a_page_with_the_count(db):
    results = search(user=ANONYMOUS, query="hazard")
    assert results.lesson_count > 40
    assert len(results.page.hits) == 20 and results.page.pages == -(-results.lesson_count // 20)
    second = search(user=ANONYMOUS, query="hazard", page=2)
    assert second.page.number == 2 and len(second.page.hits) == 20
    assert not set(titles(results)) & set(titles(second))
    assert second.topics_preview == []  # the best topics head the first page only
    last = search(user=ANONYMOUS, query="hazard", page=999)
    assert last.page.number == last.page.pages
    assert len(last.page.hits) == results.lesson_count - 20 * (last.page.pages - 1)
    assert search(user=ANONYMOUS, query="hazard", page="x").page.number == 1


def test_topics_are_searched_too(db):
    results = search(user=ANONYMOUS, query="hazard")
    assert results.topic_count >= 1 and 1 <= len(results.topics_preview) <= search_index.TOPIC_PREVIEW
    topics = search(user=ANONYMOUS, query="hazard", kind="topics")
    assert topics.kind == "topics" and topics.page.count == results.topic_count
    assert topics.lesson_count == results.lesson_count
    assert all(isinstance(hit.item, Topic) for hit in topics.page.hits)


def test_hidden_lessons_and_topics_are_found_by_staff_only(db, user, staff_user):
    hidden_topic = TopicFactory(is_published=False, title="Xylophagous hidden topic")
    LessonFactory(topic=hidden_topic, slug="in-hidden", title="In a hidden topic", body_markdown="xylophagous")
    published = Topic.objects.filter(is_published=True).first()
    LessonFactory(topic=published, slug="draft", is_published=False, body_markdown="xylophagous")
    for who in (ANONYMOUS, user):
        results = search(user=who, query="xylophagous")
        assert (results.lesson_count, results.topic_count) == (0, 0)
    staff = search(user=staff_user, query="xylophagous")
    assert (staff.lesson_count, staff.topic_count) == (2, 1)


def test_the_index_follows_every_write(db):
    topic = Topic.objects.filter(is_published=True).first()
    lesson = LessonFactory(topic=topic, slug="moving", body_markdown="A note about axolotls.")
    assert search(user=ANONYMOUS, query="axolotls").lesson_count == 1
    lesson.body_markdown = "Now about pangolins."
    lesson.save()
    assert search(user=ANONYMOUS, query="axolotls").lesson_count == 0
    assert search(user=ANONYMOUS, query="pangolins").lesson_count == 1
    Lesson.objects.filter(pk=lesson.pk).update(title="Narwhals", body_markdown="")
    assert search(user=ANONYMOUS, query="pangolins").lesson_count == 0
    assert search(user=ANONYMOUS, query="narwhals").lesson_count == 1
    lesson.delete()
    assert search(user=ANONYMOUS, query="narwhals").lesson_count == 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 triggers exist on SQLite only")
def test_the_loader_repairs_triggers_a_table_rebuild_dropped(db):
    assert search_index.index_ensure() is False  # the migrations installed every trigger
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER courses_lesson_fts_update")
    assert search_index.index_ensure() is True
    lesson = Lesson.objects.filter(is_published=True, topic__is_published=True).first()
    Lesson.objects.filter(pk=lesson.pk).update(title="Ocelots everywhere")
    assert search(user=ANONYMOUS, query="ocelots").lesson_count == 1


def _coverage(framework):
    return selectors.framework_coverages(slug=framework.slug)[0]


def test_coverage_counts_items_covered_by_published_topics_and_lessons(db):
    framework = framework_with_items(4)
    item = {i.code: i for i in framework.items.all()}
    topic = topic_with_lessons(2)
    lesson = topic.lessons.order_by("position").first()
    hidden_lesson = LessonFactory(topic=topic, position=9, is_published=False)
    FrameworkMapping.objects.create(item=item["ITEM-1"], topic=topic)
    FrameworkMapping.objects.create(item=item["ITEM-2"], topic=topic, lesson=lesson)
    FrameworkMapping.objects.create(item=item["ITEM-3"], topic=topic, lesson=hidden_lesson)

    coverage = _coverage(framework)
    assert (coverage.covered, coverage.total, coverage.percent, coverage.topic_count) == (2, 4, 50, 1)
    by_code = {entry.item.code: entry for entry in coverage.items}
    assert [entry.item.code for entry in coverage.items] == ["GROUP", "ITEM-1", "ITEM-2", "ITEM-3", "ITEM-4"]
    assert (by_code["GROUP"].depth, by_code["ITEM-1"].depth, by_code["ITEM-1"].heading) == (0, 1, 3)
    assert by_code["ITEM-1"].coverers[0].whole_topic and by_code["ITEM-1"].coverers[0].lessons == []
    assert by_code["ITEM-2"].coverers[0].lessons == [lesson] and not by_code["ITEM-2"].coverers[0].whole_topic
    assert not by_code["ITEM-3"].covered  # only a hidden lesson maps it
    annotated = selectors.frameworks_with_coverage().get(pk=framework.pk)
    assert (annotated.covered_count, annotated.item_count) == (2, 4)

    Topic.objects.filter(pk=topic.pk).update(is_published=False)
    assert _coverage(framework).covered == 0
    assert selectors.frameworks_with_coverage().get(pk=framework.pk).covered_count == 0


def test_the_real_tracks_coverage_is_the_same_for_pages_and_the_api(db):
    from_pages = {c.framework.key: (c.covered, c.total) for c in selectors.framework_coverages()}
    from_api = {f.key: (f.covered_count, f.item_count) for f in selectors.frameworks_with_coverage()}
    assert from_pages == from_api
    assert set(from_pages) == {"NIST-AI-RMF", "ISO-42001", "EU-AI-ACT"}
    assert all(0 < covered < total for covered, total in from_pages.values())  # honest: not everything


def test_a_topics_items_are_grouped_by_framework_with_their_lessons(db):
    topic = Topic.objects.get(slug="safety-focused-model-cards")
    grouped = selectors.topic_framework_items(topic=topic)
    assert [framework.key for framework, _ in grouped] == ["NIST-AI-RMF", "ISO-42001", "EU-AI-ACT"]
    eu = {item.code: lessons for item, lessons in grouped[2][1]}
    assert eu["Art-13"] == []  # the whole topic
    assert [lesson.slug for lesson in eu["Art-11"]] == [
        "model-cards-system-cards-and-their-readers",
        "versioning-cards-across-releases",
    ]


def test_export_labels_merge_topic_and_lesson_mappings(db):
    frameworks, labels = selectors.topic_framework_labels()
    assert [f.key for f in frameworks] == ["NIST-AI-RMF", "ISO-42001", "EU-AI-ACT"]
    topic = Topic.objects.get(slug="safety-focused-model-cards")
    eu = Framework.objects.get(key="EU-AI-ACT")
    assert labels[topic.pk][eu.pk] == ["Article 11", "Article 13", "Article 53"]
