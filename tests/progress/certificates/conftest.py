"""Fixtures shared by this folder's tests."""

import pytest

from progress.models import Certificate
from progress.services import learning
from tests.factories import topic_with_lessons


@pytest.fixture
def completed(user, db, django_capture_on_commit_callbacks):
    """A learner who completed a topic; its certificate issued eagerly after commit."""
    learning.profile_update(user=user, full_name="Ada Lovelace")
    topic = topic_with_lessons(2)
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in topic.lessons.all():
            learning.lesson_complete(user=user, lesson=lesson)
    return Certificate.objects.get(user=user, topic=topic)
