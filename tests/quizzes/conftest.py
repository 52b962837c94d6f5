"""Fixtures shared by the quiz tests."""

import pytest

from courses.models import Topic


@pytest.fixture
def real_quiz(db):
    """A quiz from the real track, with its explanations and correct choices."""
    topic = Topic.objects.filter(quiz__isnull=False).order_by("category__position", "position").first()
    return topic.quiz
