"""Every API list runs a fixed number of queries, whatever the amount of content or progress."""

import pytest

from courses.models import Lesson, Topic
from progress.services import learning
from tests.factories import topic_with_lessons


@pytest.fixture
def busy_learner(user, db):
    for lesson in Lesson.objects.filter(is_published=True, topic__is_published=True)[:250]:
        learning.lesson_complete(user=user, lesson=lesson)
    for topic in Topic.objects.all()[:30]:
        learning.enrollment_create(user=user, topic=topic)
    return user


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/categories/",
        "/api/v1/topics/",
        "/api/v1/lessons/",
        "/api/v1/enrollments/",
        "/api/v1/progress/",
        "/api/v1/certificates/",
        "/api/v1/attempts/",
        "/api/v1/teams/",
        "/api/v1/me/",
    ],
)
def test_api_lists_run_a_fixed_number_of_queries(api_client, busy_learner, django_assert_max_num_queries, url):
    api_client.force_authenticate(busy_learner)
    api_client.get(url)
    with django_assert_max_num_queries(8):
        assert api_client.get(url).status_code == 200
    for _ in range(3):
        topic_with_lessons(5)
    with django_assert_max_num_queries(8):
        assert api_client.get(url).status_code == 200
