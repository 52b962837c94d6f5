"""Writes to the catalogue: loading its categories, topics and lessons from the track files, the
frameworks they are mapped to, publishing.

Quizzes are synced by quizzes.services; progress.services.content runs the whole load.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from courses.frameworks import FrameworkSpec
from courses.models import Category, Framework, FrameworkItem, FrameworkMapping, Lesson, Topic, Track
from courses.search import index_ensure as search_index_ensure
from courses.track import LessonSpec, TopicSpec, TrackSpec


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unpublished: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # framework items and mappings no file names any more

    def summary(self) -> str:
        text = f"{len(self.created)} created, {len(self.updated)} updated, {len(self.unpublished)} unpublished"
        return text + (f", {len(self.removed)} removed" if self.removed else "")


def catalogue_load(*, spec: TrackSpec, report: LoadReport) -> dict[str, Topic]:
    """Upsert the track, its categories, topics and lessons by slug; returns the topics by slug.

    Rows whose source file has not changed since the last load are left alone, so a second
    run changes nothing and an admin's edit survives until its file changes. Lessons whose
    file disappeared are unpublished, never deleted: learners' progress refers to them.
    """
    loaded: dict[str, Topic] = {}
    with transaction.atomic():
        track, created = Track.objects.get_or_create(
            slug="ai-safety-engineering",
            defaults={"title": spec.title, "summary": spec.summary, "body_markdown": spec.body},
        )
        if created:
            report.created.append(f"track {track.title}")
        elif (track.title, track.summary, track.body_markdown) != (spec.title, spec.summary, spec.body):
            track.title, track.summary, track.body_markdown = spec.title, spec.summary, spec.body
            track.save()
            report.updated.append(f"track {track.title}")

        categories = {c.slug: c for c in Category.objects.all()}
        topics = {t.slug: t for t in Topic.objects.all()}
        lessons = {(lesson.topic_id, lesson.slug): lesson for lesson in Lesson.objects.all()}
        for cat_spec in spec.categories:
            category = categories.get(cat_spec.slug)
            values = {"title": cat_spec.title, "summary": cat_spec.summary, "position": cat_spec.position}
            if category is None:
                category = Category.objects.create(slug=cat_spec.slug, **values)
                report.created.append(f"category {cat_spec.slug}")
            elif any(getattr(category, k) != v for k, v in values.items()):
                Category.objects.filter(pk=category.pk).update(**values)
                report.updated.append(f"category {cat_spec.slug}")
            for topic_spec in cat_spec.topics:
                topic = _upsert_topic(topic_spec, category, topics.get(topic_spec.slug), report)
                kept = set()
                for lesson_spec in topic_spec.lessons:
                    _upsert_lesson(lesson_spec, topic, lessons.get((topic.pk, lesson_spec.slug)), report)
                    kept.add(lesson_spec.slug)
                for (topic_id, slug), lesson in lessons.items():
                    if topic_id == topic.pk and slug not in kept and lesson.retired_at is None:
                        Lesson.objects.filter(pk=lesson.pk).update(is_published=False, retired_at=timezone.now())
                        report.unpublished.append(f"lesson {topic.slug}/{slug}")
                loaded[topic.slug] = topic
    search_index_ensure()
    return loaded


def _upsert_topic(spec: TopicSpec, category: Category, topic: Topic | None, report: LoadReport) -> Topic:
    fingerprint = spec.fingerprint()
    if topic is None:
        topic = Topic.objects.create(
            category=category,
            slug=spec.slug,
            title=spec.title,
            summary=spec.summary,
            body_markdown=spec.body,
            position=spec.position,
            source_hash=fingerprint,
        )
        report.created.append(f"topic {spec.slug}")
    elif topic.source_hash != fingerprint or topic.category_id != category.pk:
        topic.category = category
        topic.title, topic.summary, topic.body_markdown = spec.title, spec.summary, spec.body
        topic.position, topic.source_hash = spec.position, fingerprint
        topic.save()
        report.updated.append(f"topic {spec.slug}")
    return topic


def _upsert_lesson(spec: LessonSpec, topic: Topic, lesson: Lesson | None, report: LoadReport) -> None:
    fingerprint = spec.fingerprint()
    if lesson is None:
        Lesson.objects.create(
            topic=topic,
            slug=spec.slug,
            title=spec.title,
            objectives=spec.objectives,
            body_markdown=spec.body,
            minutes=spec.minutes,
            position=spec.position,
            source_hash=fingerprint,
        )
        report.created.append(f"lesson {topic.slug}/{spec.slug}")
        return
    if lesson.source_hash == fingerprint and lesson.retired_at is None:
        return
    lesson.title, lesson.objectives, lesson.body_markdown = spec.title, spec.objectives, spec.body
    lesson.minutes, lesson.position, lesson.source_hash = spec.minutes, spec.position, fingerprint
    if lesson.retired_at is not None:  # its file is back: publish it again
        lesson.is_published, lesson.retired_at = True, None
    lesson.save()
    report.updated.append(f"lesson {topic.slug}/{spec.slug}")


def frameworks_load(*, spec: TrackSpec, topics: dict[str, Topic], report: LoadReport) -> None:
    """Upsert the frameworks and their items by key and code, then make the topic and lesson mappings
    exactly those the files name. Unchanged rows are left alone, so a second run changes nothing.
    Items and mappings no file names any more are deleted: no learner record refers to them."""
    with transaction.atomic():
        items: dict[str, FrameworkItem] = {}
        kept_frameworks = []
        for framework_spec in spec.frameworks:
            framework = _upsert_framework(framework_spec, report)
            kept_frameworks.append(framework.pk)
            items |= _upsert_items(framework_spec, framework, report)
        for framework in Framework.objects.exclude(pk__in=kept_frameworks):
            framework.delete()
            report.removed.append(f"framework {framework.key}")
        _sync_mappings(spec, topics, items, report)


def _upsert_framework(spec: FrameworkSpec, report: LoadReport) -> Framework:
    values = {
        "slug": spec.slug,
        "title": spec.title,
        "short_title": spec.short_title,
        "edition": spec.edition,
        "publisher": spec.publisher,
        "url": spec.url,
        "summary": spec.summary,
        "position": spec.position,
        "source_hash": spec.fingerprint(),
    }
    framework = Framework.objects.filter(key=spec.key).first()
    if framework is None:
        report.created.append(f"framework {spec.key}")
        return Framework.objects.create(key=spec.key, **values)
    if framework.source_hash != values["source_hash"]:
        Framework.objects.filter(pk=framework.pk).update(**values)
        report.updated.append(f"framework {spec.key}")
    return framework


def _upsert_items(spec: FrameworkSpec, framework: Framework, report: LoadReport) -> dict[str, FrameworkItem]:
    """The framework's items keyed by reference (KEY:CODE), created or updated from the file."""
    existing = {item.code: item for item in framework.items.all()}
    loaded: dict[str, FrameworkItem] = {}
    for item_spec in spec.items:  # parents come before their children in the file
        reference = f"{spec.key}:{item_spec.code}"
        values = {
            "parent": loaded[f"{spec.key}:{item_spec.parent}"] if item_spec.parent else None,
            "label": item_spec.label,
            "title": item_spec.title,
            "kind": item_spec.kind,
            "description": item_spec.description,
            "note": item_spec.note,
            "is_mappable": item_spec.mappable,
            "position": item_spec.position,
            "source_hash": item_spec.fingerprint(),
        }
        item = existing.pop(item_spec.code, None)
        if item is None:
            item = FrameworkItem.objects.create(framework=framework, code=item_spec.code, **values)
            report.created.append(f"framework item {reference}")
        elif item.source_hash != values["source_hash"]:
            for name, value in values.items():
                setattr(item, name, value)
            item.save()
            report.updated.append(f"framework item {reference}")
        loaded[reference] = item
    if existing:
        FrameworkItem.objects.filter(pk__in=[item.pk for item in existing.values()]).delete()
        report.removed += [f"framework item {spec.key}:{code}" for code in sorted(existing)]
    return loaded


def _sync_mappings(spec: TrackSpec, topics: dict[str, Topic], items: dict[str, FrameworkItem], report) -> None:
    lesson_ids = {
        (topic_id, slug): pk
        for pk, topic_id, slug in Lesson.objects.filter(topic__in=topics.values()).values_list("pk", "topic_id", "slug")
    }
    wanted: dict[tuple[int, int, int | None], str] = {}
    for topic_spec in spec.topics():
        topic = topics[topic_spec.slug]
        for reference in topic_spec.frameworks:
            wanted[(items[reference].pk, topic.pk, None)] = f"mapping {topic.slug} {reference}"
        for lesson_spec in topic_spec.lessons:
            lesson_id = lesson_ids[(topic.pk, lesson_spec.slug)]
            for reference in lesson_spec.frameworks:
                wanted[(items[reference].pk, topic.pk, lesson_id)] = (
                    f"mapping {topic.slug}/{lesson_spec.slug} {reference}"
                )
    stale = []
    for pk, *key in FrameworkMapping.objects.values_list("pk", "item_id", "topic_id", "lesson_id"):
        if wanted.pop(tuple(key), None) is None:
            stale.append(pk)
    if stale:
        FrameworkMapping.objects.filter(pk__in=stale).delete()
        report.removed.append(f"{len(stale)} mapping(s)")
    FrameworkMapping.objects.bulk_create(
        [FrameworkMapping(item_id=i, topic_id=t, lesson_id=lesson) for i, t, lesson in wanted]
    )
    report.created += list(wanted.values())


def lesson_set_publish(*, lesson_ids: list[int], published: bool) -> int:
    """Publish or hide lessons; returns how many changed. Call progress.services.content.lessons_publish,
    which also keeps learners' completions right."""
    return Lesson.objects.filter(pk__in=lesson_ids).exclude(is_published=published).update(is_published=published)


def topic_set_publish(*, topic_ids: list[int], published: bool) -> int:
    """Publish or hide topics; returns how many changed. A hidden topic keeps its completions and
    certificates; the certificate sweep grants the track certificate to anyone who now has every
    published topic."""
    return Topic.objects.filter(pk__in=topic_ids).exclude(is_published=published).update(is_published=published)
