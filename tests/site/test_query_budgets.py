"""Every API list runs an exact number of queries after a warm-up, with data in every list, and the same
number when content and progress grow."""

import pytest

from tests.factories import grow_everything

BUDGETS = {
    "/api/v1/categories/": 2,
    "/api/v1/topics/": 0,  # content only: read from the cache (courses.content_cache)
    "/api/v1/lessons/": 2,
    "/api/v1/enrollments/": 2,
    "/api/v1/progress/": 5,
    "/api/v1/certificates/": 2,
    "/api/v1/attempts/": 2,
    "/api/v1/teams/": 2,
    "/api/v1/me/": 4,
    "/api/v1/me/assignments/": 3,
}


@pytest.mark.parametrize("url", list(BUDGETS))
def test_api_lists_run_a_fixed_number_of_queries(api_client, busy_learner, django_assert_num_queries, url):
    api_client.force_authenticate(busy_learner)
    first = api_client.get(url)
    assert first.status_code == 200
    body = first.json()
    assert body.get("count", 1) if isinstance(body, dict) else body, f"{url} listed nothing"
    with django_assert_num_queries(BUDGETS[url]):
        assert api_client.get(url).status_code == 200
    grow_everything(busy_learner)
    api_client.get(url)  # warm up again: new content is a new content version, read once into the cache
    with django_assert_num_queries(BUDGETS[url]):
        assert api_client.get(url).status_code == 200
