"""Writes to the catalogue: loading its categories, topics and lessons from the track files, publishing.

Quizzes are synced by quizzes.services; progress.services.content runs the whole load.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from courses.models import Category, Lesson, Topic, Track
from courses.search import index_ensure as search_index_ensure
from courses.track import LessonSpec, TopicSpec, TrackSpec


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unpublished: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{len(self.created)} created, {len(self.updated)} updated, {len(self.unpublished)} unpublished"


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


def lesson_set_publish(*, lesson_ids: list[int], published: bool) -> int:
    """Publish or hide lessons; returns how many changed. Call progress.services.content.lessons_publish,
    which also keeps learners' completions right."""
    return Lesson.objects.filter(pk__in=lesson_ids).exclude(is_published=published).update(is_published=published)


def topic_set_publish(*, topic_ids: list[int], published: bool) -> int:
    """Publish or hide topics; returns how many changed. A hidden topic keeps its completions and
    certificates; the certificate sweep grants the track certificate to anyone who now has every
    published topic."""
    return Topic.objects.filter(pk__in=topic_ids).exclude(is_published=published).update(is_published=published)
