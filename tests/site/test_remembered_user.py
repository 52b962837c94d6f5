"""The signed-in account, remembered in the shared cache (safety_academy.auth_backends): no query for it on
each request, and any change to the account (deactivated, new password, deleted) takes effect at once."""

import pytest
from django.urls import reverse

from safety_academy.auth_backends import AuthenticationBackend, ModelBackend
from tests.factories import UserFactory


@pytest.fixture
def shared_cache(db, settings):
    settings.CACHE_URL = "redis://as-in-production"  # only its presence matters: the cache itself is the test's
    return settings


@pytest.mark.parametrize("backend", [ModelBackend(), AuthenticationBackend()])
def test_the_account_is_read_once_then_remembered(shared_cache, backend, django_assert_num_queries):
    user = UserFactory()
    with django_assert_num_queries(1):
        assert backend.get_user(user.pk) == user
    with django_assert_num_queries(0):
        remembered = backend.get_user(user.pk)
    assert remembered == user and remembered.email == user.email and remembered.is_active


def test_without_a_shared_cache_every_request_reads_the_account(db, settings, django_assert_num_queries):
    settings.CACHE_URL = ""
    user = UserFactory()
    for _ in range(2):
        with django_assert_num_queries(1):
            assert ModelBackend().get_user(user.pk) == user


def test_a_deactivated_account_is_signed_out_on_its_next_request(shared_cache, client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("progress:me")).status_code == 200  # the account is remembered now
    user.is_active = False
    user.save()  # the admin's save
    assert client.get(reverse("progress:me")).status_code == 302


def test_a_new_password_signs_out_other_sessions_at_once(shared_cache, client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("progress:me")).status_code == 200
    user.set_password("a new and long passphrase")
    user.save()
    assert client.get(reverse("progress:me")).status_code == 302


def test_a_deleted_account_is_gone_at_once(shared_cache, client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("progress:me")).status_code == 200
    user.delete()
    assert ModelBackend().get_user(user.pk) is None


def test_a_change_is_forgotten_again_when_its_transaction_commits(
    shared_cache, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """A request may read the row between the save and the commit; the copy it keeps is forgotten at commit."""
    user = UserFactory()
    backend = ModelBackend()
    with django_capture_on_commit_callbacks(execute=True):
        user.first_name = "Renamed"
        user.save()
        backend.get_user(user.pk)  # remembered mid-transaction
    with django_assert_num_queries(1):
        assert backend.get_user(user.pk).first_name == "Renamed"
