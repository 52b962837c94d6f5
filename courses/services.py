"""Writes to the catalogue: loading its categories, topics and lessons from the track files, publishing.

Quizzes are synced by quizzes.services; progress.services.content runs the whole load.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from courses.models import Category, Lesson, Topic, Track
from courses.track import LessonSpec, TopicSpec, TrackSpec


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unpublished: list[str] = field(default_factory=list)
    # Topics and lessons edited in the admin that differ from their files: left as they are.
    kept: list[str] = field(default_factory=list)
    # Admin edits replaced by their files (only when asked to overwrite); also listed in `updated`.
    overwritten: list[str] = field(default_factory=list)
    # Admin edits their files now match (export_track wrote them): only the fingerprint moved.
    reconciled: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{len(self.created)} created, {len(self.updated)} updated, {len(self.unpublished)} unpublished"
        if self.kept:
            text += f"; {len(self.kept)} edited in the admin kept (they differ from their files)"
        if self.overwritten:
            text += f"; {len(self.overwritten)} admin edits overwritten by their files"
        return text


def catalogue_load(*, spec: TrackSpec, report: LoadReport, overwrite_admin_edits: bool = False) -> dict[str, Topic]:
    """Upsert the track, its categories, topics and lessons by slug; returns the topics by slug.

    Rows whose source file has not changed since the last load are left alone, so a second run changes
    nothing. A topic or lesson edited in the admin since it was loaded (its content no longer matches the
    fingerprint of the file it came from) is left alone too, and listed in `report.kept`, unless
    `overwrite_admin_edits`; so is a lesson made in the admin, until export_track writes its file. Lessons
    whose file disappeared are unpublished, never deleted: learners' progress refers to them.
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
                topic = _upsert_topic(topic_spec, category, topics.get(topic_spec.slug), report, overwrite_admin_edits)
                in_files = set()
                for lesson_spec in topic_spec.lessons:
                    lesson = lessons.get((topic.pk, lesson_spec.slug))
                    _upsert_lesson(lesson_spec, topic, lesson, report, overwrite_admin_edits)
                    in_files.add(lesson_spec.slug)
                for (topic_id, slug), lesson in lessons.items():
                    if topic_id != topic.pk or slug in in_files or lesson.retired_at is not None:
                        continue
                    if not lesson.from_file:  # made in the admin and not exported yet: not the files' to retire
                        report.kept.append(f"lesson {topic.slug}/{slug}")
                        continue
                    Lesson.objects.filter(pk=lesson.pk).update(is_published=False, retired_at=timezone.now())
                    report.unpublished.append(f"lesson {topic.slug}/{slug}")
                loaded[topic.slug] = topic
    return loaded


def _take_file(row: Topic | Lesson, fingerprint: str, label: str, report: LoadReport, overwrite: bool) -> bool:
    """Whether a row takes its file's content: when the file changed and nobody edited the row since it was
    loaded, or when told to overwrite. An admin edit the file already matches only moves the fingerprint."""
    current = row.content_fingerprint()
    if current == fingerprint:
        if row.source_hash != fingerprint:
            type(row).objects.filter(pk=row.pk).update(source_hash=fingerprint)
            row.source_hash = fingerprint
            report.reconciled.append(label)
        return False
    if current != row.source_hash:  # edited in the admin since it was loaded (or made there)
        if not overwrite:
            report.kept.append(label)
            return False
        report.overwritten.append(label)
    return True


def _upsert_topic(
    spec: TopicSpec, category: Category, topic: Topic | None, report: LoadReport, overwrite: bool
) -> Topic:
    fingerprint = spec.fingerprint()
    label = f"topic {spec.slug}"
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
        report.created.append(label)
        return topic
    take_file = _take_file(topic, fingerprint, label, report, overwrite)
    # A topic's category is its folder: the files decide it (the admin does not offer to move one).
    if take_file or topic.category_id != category.pk:
        topic.category = category
        if take_file:
            topic.title, topic.summary, topic.body_markdown = spec.title, spec.summary, spec.body
            topic.position, topic.source_hash = spec.position, fingerprint
        topic.save()
        report.updated.append(label)
    return topic


def _upsert_lesson(spec: LessonSpec, topic: Topic, lesson: Lesson | None, report: LoadReport, overwrite: bool) -> None:
    fingerprint = spec.fingerprint()
    label = f"lesson {topic.slug}/{spec.slug}"
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
        report.created.append(label)
        return
    take_file = _take_file(lesson, fingerprint, label, report, overwrite)
    if not take_file and lesson.retired_at is None:
        return
    if take_file:
        lesson.title, lesson.objectives, lesson.body_markdown = spec.title, spec.objectives, spec.body
        lesson.minutes, lesson.position, lesson.source_hash = spec.minutes, spec.position, fingerprint
    if lesson.retired_at is not None:  # its file is back: publish it again
        lesson.is_published, lesson.retired_at = True, None
    lesson.save()
    report.updated.append(label)


def lesson_set_publish(*, lesson_ids: list[int], published: bool) -> int:
    """Publish or hide lessons; returns how many changed. Call progress.services.content.lessons_publish,
    which also keeps learners' completions right."""
    return Lesson.objects.filter(pk__in=lesson_ids).exclude(is_published=published).update(is_published=published)


def topic_set_publish(*, topic_ids: list[int], published: bool) -> int:
    """Publish or hide topics; returns how many changed. A hidden topic keeps its completions and
    certificates; the certificate sweep grants the track certificate to anyone who now has every
    published topic."""
    return Topic.objects.filter(pk__in=topic_ids).exclude(is_published=published).update(is_published=published)


def lesson_move(*, lesson_id: int, offset: int) -> bool:
    """Move a lesson one place up (-1) or down (+1) among its topic's lessons, then number them 1, 2, 3… in
    that order (their files' NN follows on export); False when it is already first or last. Lessons retired
    with their files keep their numbers out of the way."""
    if offset not in (-1, 1):
        raise ValidationError({"offset": "Move a lesson one place up or down."})
    with transaction.atomic():
        topic_id = Lesson.objects.filter(pk=lesson_id).values_list("topic_id", flat=True).first()
        if topic_id is None:
            raise ValidationError({"lesson": "No such lesson."})
        siblings = list(
            Lesson.objects.select_for_update()
            .filter(topic_id=topic_id, retired_at__isnull=True)
            .order_by("position", "pk")
        )
        i = [s.pk for s in siblings].index(lesson_id)
        j = i + offset
        if not 0 <= j < len(siblings):
            return False
        siblings[i], siblings[j] = siblings[j], siblings[i]
        moved = []
        for number, sibling in enumerate(siblings, 1):
            if sibling.position != number:
                sibling.position = number
                moved.append(sibling)
        Lesson.objects.bulk_update(moved, ["position"])
    return True
