"""What changes to the content mean for learners: loading the track (catalogue and quizzes in one
transaction) and publishing or hiding lessons.

A topic completion is a record of an event (every lesson then published was done and the quiz
passed, with the content version at that moment), so publishing a new lesson never takes a
completion away. Hiding a lesson can complete a topic for learners who had done everything else:
those completions are caught up after the change commits, in the background.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from courses.models import Lesson
from courses.services import LoadReport, catalogue_load, frameworks_load, lesson_set_publish
from courses.track import read_track
from progress.models import LessonProgress, TopicCompletion
from progress.services.learning import topic_completion_refresh
from progress.services.summary import topic_progress_rebuild
from quizzes.services import quiz_sync


def track_load(*, root: Path, overwrite_admin_edits: bool = False) -> LoadReport:
    """Validate every file under `root` (TrackError before anything is written), then load it all in one
    transaction: the catalogue by slug, each topic's quiz, then the frameworks and their mappings. Topics
    and lessons edited in the admin are kept and reported unless `overwrite_admin_edits`."""
    spec = read_track(root)
    report = LoadReport()
    with transaction.atomic():
        unpublished_before = len(report.unpublished)
        topics = catalogue_load(spec=spec, report=report, overwrite_admin_edits=overwrite_admin_edits)
        for category in spec.categories:
            for topic_spec in category.topics:
                if topic_spec.quiz is None:
                    continue
                stems = {lesson.stem: lesson.slug for lesson in topic_spec.lessons}
                topic = topics[topic_spec.slug]
                outcome = quiz_sync(topic=topic, spec=topic_spec.quiz, lesson_slugs_by_stem=stems)
                if outcome:
                    getattr(report, outcome).append(f"quiz {topic.slug}")
        frameworks_load(spec=spec, topics=topics, report=report)
        if len(report.unpublished) > unpublished_before:
            retired = {item.split(" ", 1)[1].split("/", 1)[0] for item in report.unpublished[unpublished_before:]}
            _catch_up_after_commit([topics[slug].pk for slug in retired if slug in topics])
        if report.created or report.updated or len(report.unpublished) > unpublished_before:
            topic_progress_rebuild()  # lessons published, hidden or added: the counts of published lessons move
    return report


def lessons_publish(*, lesson_ids: list[int], published: bool) -> int:
    """Publish or hide lessons (the admin's actions and form); returns how many changed."""
    with transaction.atomic():
        topic_ids = sorted(set(Lesson.objects.filter(pk__in=lesson_ids).values_list("topic_id", flat=True)))
        changed = lesson_set_publish(lesson_ids=lesson_ids, published=published)
        if changed:
            topic_progress_rebuild(topic_ids=topic_ids)
        if changed and not published:
            _catch_up_after_commit(topic_ids)
    return changed


def topic_completions_catch_up(*, topic_ids: list[int]) -> int:
    """Record completions that became true without the learner doing anything (a lesson was hidden);
    returns how many learners now complete a topic."""
    caught = 0
    for topic_id in topic_ids:
        with_progress = LessonProgress.objects.filter(lesson__topic_id=topic_id, completed_at__isnull=False)
        completed = TopicCompletion.objects.filter(topic_id=topic_id)
        learners = (
            get_user_model()
            .objects.filter(pk__in=with_progress.values("user_id"))
            .exclude(pk__in=completed.values("user_id"))
        )
        for user in learners.iterator():
            with transaction.atomic():
                caught += topic_completion_refresh(user=user, topic_id=topic_id)
    return caught


def _catch_up_after_commit(topic_ids: list[int]) -> None:
    if not topic_ids:
        return
    from progress.tasks.learning import catch_up_topic_completions  # tasks import services: import at use

    transaction.on_commit(lambda: catch_up_topic_completions.delay(topic_ids))
