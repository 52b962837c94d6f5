"""Writes to the catalogue: loading its categories, topics and lessons from the track files, the
frameworks they are mapped to, publishing.

Quizzes are synced by quizzes.services; progress.services.content runs the whole load.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from courses.content_cache import content_changed
from courses.frameworks import FrameworkSpec
from courses.models import Category, Framework, FrameworkItem, FrameworkMapping, Lesson, Topic, Track
from courses.search import index_ensure as search_index_ensure
from courses.track_specs import LessonSpec, TopicSpec, TrackSpec


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unpublished: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # framework items and mappings no file names any more
    # Topics and lessons edited in the admin that differ from their files: left as they are.
    kept: list[str] = field(default_factory=list)
    # Admin edits replaced by their files (only when asked to overwrite); also listed in `updated`.
    overwritten: list[str] = field(default_factory=list)
    # Admin edits their files now match (export_track wrote them): only the fingerprint moved.
    reconciled: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{len(self.created)} created, {len(self.updated)} updated, {len(self.unpublished)} unpublished"
        if self.removed:
            text += f", {len(self.removed)} removed"
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
        content_changed()  # some of the above are bulk updates, which no save signal reports
    search_index_ensure()
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
            validity_months=spec.validity_months,
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
            topic.validity_months = spec.validity_months
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
    changed = Lesson.objects.filter(pk__in=lesson_ids).exclude(is_published=published).update(is_published=published)
    content_changed()
    return changed


def topic_set_publish(*, topic_ids: list[int], published: bool) -> int:
    """Publish or hide topics; returns how many changed. A hidden topic keeps its completions and
    certificates; the certificate sweep grants the track certificate to anyone who now has every
    published topic."""
    changed = Topic.objects.filter(pk__in=topic_ids).exclude(is_published=published).update(is_published=published)
    content_changed()
    return changed


def topic_recertification_require(*, topic_id: int) -> int:
    """Mark a material change to a topic's content: its content version goes up by one, so certificates
    earned on an earlier version are shown as such (holders are told, leads see who). Returns the new version."""
    with transaction.atomic():
        Topic.objects.filter(pk=topic_id).update(content_version=F("content_version") + 1)
        return Topic.objects.values_list("content_version", flat=True).get(pk=topic_id)


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
        content_changed()
    return True
