"""Learner state kept up to date after content changes."""

from celery import shared_task

from progress.services import content as content_services


@shared_task(name="progress.tasks.catch_up_topic_completions", acks_late=True)
def catch_up_topic_completions(topic_ids: list[int]) -> int:
    return content_services.topic_completions_catch_up(topic_ids=topic_ids)
