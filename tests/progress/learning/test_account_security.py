"""Sign-in that resists automation: 12-character passwords, admin sign-in through allauth with its
lockout, two-factor authentication (required of staff, offered to everyone), API tokens revoked with a
new password, and sign-up that does the same work whether or not the address has an account."""

import re
import time
from unittest import mock

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.urls import reverse
from rest_framework.authtoken.models import Token

from progress.models import TeamMembership
from tests.factories import PASSWORD, TOTP_SECRET, MembershipFactory, UserFactory


def totp_code() -> str:
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


def signup(client, email: str, password: str):
    return client.post(
        reverse("account_signup"),
        {"email": email, "full_name": "Sam Example", "password1": password, "password2": password},
    )


# --- Passwords ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("short-pass1", False),  # 11 characters
        ("twelve-chars", True),
        ("qwerty123456", False),  # common
        ("123456789012345", False),  # only digits
        ("sam.example.person", False),  # too like the address
    ],
)
def test_passwords_need_twelve_characters_and_pass_the_other_validators(client, db, password, accepted):
    response = signup(client, "sam.example.person@example.com", password)
    assert (response.status_code == 302) is accepted, response.content.decode()[-2000:]


# --- Admin sign-in -----------------------------------------------------------------------------


def test_admin_sign_in_goes_through_the_site_sign_in(client, staff_user):
    response = client.get("/admin/login/?next=/admin/progress/team/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/progress/team/"
    # The admin's own form is gone: posting the right password there signs nobody in.
    client.post("/admin/login/", {"username": staff_user.email, "password": PASSWORD})
    assert client.get("/admin/").status_code == 302


def test_thirty_wrong_passwords_lock_the_admin_account(client, staff_user):
    # Spread over many addresses, so only the lock on the account itself can stop them.
    for n in range(30):
        client.post(
            reverse("account_login"),
            {"login": staff_user.email, "password": "wrong-password-guess"},
            REMOTE_ADDR=f"198.51.100.{n + 1}",
        )
    response = client.post(
        reverse("account_login"), {"login": staff_user.email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.5"
    )
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get("/admin/").status_code == 302  # not signed in


def test_one_address_guessing_many_accounts_is_stopped(client, db):
    responses = [
        client.post(reverse("account_login"), {"login": f"guess{n}@example.com", "password": "wrong-guess-1"})
        for n in range(31)
    ]
    assert "Too many failed login attempts" in responses[10].content.decode()  # 10 failures a minute per address
    assert responses[30].status_code == 429  # and 30 sign-in attempts a minute per address
    assert "Too many requests" in responses[30].content.decode()


def test_a_signed_in_non_staff_user_is_told_rather_than_looped(learner_client):
    response = learner_client.get("/admin/login/?next=/admin/")
    assert response.status_code == 403
    assert "no access to the admin" in response.content.decode()


# --- Two-factor authentication ----------------------------------------------------------------


def test_staff_sign_in_asks_for_the_second_factor(client, staff_user):
    response = client.post(
        reverse("account_login") + "?next=/admin/", {"login": staff_user.email, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302  # not yet
    done = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert done.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_staff_without_a_second_factor_must_set_one_up_first(client, db):
    staff = UserFactory(is_staff=True, is_superuser=True, mfa=False)
    client.force_login(staff)
    for url in ("/admin/", "/admin/progress/team/", "/teams/", "/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("mfa_index"), url
    api = client.get("/api/v1/teams/")
    assert api.status_code == 403 and api.json()["error"]["code"] == "mfa_required"
    setup = client.get(reverse("mfa_index"))
    assert setup.status_code == 200
    assert client.get(reverse("mfa_activate_totp")).status_code in (200, 302)  # may ask to reauthenticate first


def test_everyone_is_offered_two_factor_on_the_profile(learner_client, user):
    html = learner_client.get(reverse("progress:profile")).content.decode()
    assert "Set up two-factor authentication" in html and reverse("mfa_index") in html


def test_leads_are_offered_two_factor_when_they_start(client, db):
    lead = MembershipFactory(role=TeamMembership.Role.LEAD).user
    client.force_login(lead)
    assert "set up two-factor authentication" in client.get("/teams/").content.decode()
    protected = MembershipFactory(role=TeamMembership.Role.LEAD, user=UserFactory(mfa=True)).user
    client.force_login(protected)
    assert "set up two-factor authentication" not in client.get("/teams/").content.decode()


def test_authenticator_setup_page_keeps_the_content_security_policy(client, db, user):
    client.force_login(user)
    response = client.get(reverse("mfa_index"))
    assert response.status_code == 200
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert 'class="site-header"' in response.content.decode()


# --- A new password revokes the API token -----------------------------------------------------


def test_changing_the_password_revokes_the_api_token_and_says_so(learner_client, user):
    Token.objects.create(user=user)
    page = learner_client.get(reverse("account_change_password")).content.decode()
    assert "revokes your API token" in page
    response = learner_client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "a-brand-new-password-77", "password2": "a-brand-new-password-77"},
    )
    assert response.status_code == 302
    assert not Token.objects.filter(user=user).exists()
    assert learner_client.get(reverse("progress:me")).status_code == 200  # this session goes on


def test_resetting_the_password_revokes_the_api_token(client, user):
    Token.objects.create(user=user)
    client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/[^\s]+)", mail.outbox[-1].body).group(1)
    form_url = client.get(link)["Location"]
    assert "revokes your API token" in client.get(form_url).content.decode()
    response = client.post(form_url, {"password1": "a-brand-new-password-77", "password2": "a-brand-new-password-77"})
    assert response.status_code == 302
    assert not Token.objects.filter(user=user).exists()


# --- Sign-up does the same work for new and existing addresses -------------------------------


def test_sign_up_hashes_the_password_whether_or_not_the_address_has_an_account(client, user):
    original = MD5PasswordHasher.encode
    with mock.patch.object(MD5PasswordHasher, "encode", autospec=True, side_effect=original) as encode:
        assert signup(client, "someone.new@example.com", "a-fine-new-password-1").status_code == 302
        new_account = encode.call_count
        client.logout()
        encode.reset_mock()
        assert signup(client, user.email, "a-fine-new-password-1").status_code == 302
        existing_account = encode.call_count
    assert new_account == existing_account >= 1
    # Both answers look the same to the caller: an email is on its way.
    assert len(mail.outbox) == 2


def test_a_password_set_in_the_admin_revokes_the_api_token(admin_client, user):
    Token.objects.create(user=user)
    response = admin_client.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": "a-brand-new-password-77", "password2": "a-brand-new-password-77", "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[-1500:]
    user.refresh_from_db()
    assert user.check_password("a-brand-new-password-77")
    assert not Token.objects.filter(user=user).exists()


def test_the_admins_own_password_change_is_the_sites(admin_client):
    response = admin_client.get("/admin/password_change/")
    assert response.status_code == 302 and response["Location"] == reverse("account_change_password")
