"""Framework coverage: which items published topics and lessons cover, computed the same way for pages,
the API and exports."""

from courses import selectors
from courses.models import Framework, FrameworkMapping, Topic
from tests.factories import LessonFactory, framework_with_items, topic_with_lessons


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
