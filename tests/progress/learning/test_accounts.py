"""Accounts (django-allauth): sign-up with verification, errors on the form, no address enumeration."""

import re

from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from progress.models import Profile


def test_signup_verify_and_login(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new.learner@example.com",
            "full_name": "New Learner",
            "password1": "correct-horse-battery-9",
            "password2": "correct-horse-battery-9",
        },
    )
    assert response.status_code == 302
    assert Profile.objects.get(user__email="new.learner@example.com").full_name == "New Learner"
    assert not EmailAddress.objects.get(email="new.learner@example.com").verified
    link = re.search(r"http://testserver(/accounts/confirm-email/[^\s]+)", mail.outbox[-1].body).group(1)
    client.post(link)
    assert EmailAddress.objects.get(email="new.learner@example.com").verified
    client.logout()
    login = client.post(
        reverse("account_login"), {"login": "new.learner@example.com", "password": "correct-horse-battery-9"}
    )
    assert login.status_code == 302
    assert client.get(reverse("progress:me")).status_code == 200


def test_signup_errors_are_shown_on_the_form(client, db):
    response = client.post(
        reverse("account_signup"), {"email": "not-an-email", "full_name": "", "password1": "x", "password2": "y"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "errorlist" in html or "Enter a valid email" in html


def test_password_reset_does_not_reveal_unknown_addresses(client, user, db):
    known = client.post(reverse("account_reset_password"), {"email": user.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_account_pages_use_the_site_layout(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert 'class="site-header"' in html and "/static/css/site.css" in html


def sign_up(client, email="grace@example.com", name="Grace Hopper"):
    password = "correct-horse-battery-9"
    client.post(
        reverse("account_signup"), {"email": email, "full_name": name, "password1": password, "password2": password}
    )
    return mail.outbox[-1]


def test_the_signup_email_names_the_site_and_the_person_in_html_and_text(client, db):
    message = sign_up(client)
    assert message.subject == "[Safety Academy] Welcome: confirm your email address"
    assert message.body.startswith("Hello Grace Hopper,")
    assert "Welcome to Safety Academy" in message.body and "127.0.0.1" not in message.body
    assert "Hello from" not in message.body and "grace@example.com has given" not in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert "Hello Grace Hopper," in html and "Confirm my address" in html and "/accounts/confirm-email/" in html


def test_the_reset_email_names_the_site_and_the_person(client, user, db):
    client.post(reverse("account_reset_password"), {"email": user.email})
    message = mail.outbox[-1]
    assert message.subject == "[Safety Academy] Reset your password"
    assert message.body.startswith(f"Hello {user.profile.full_name},")
    assert "your Safety Academy account" in message.body and "/accounts/password/reset/key/" in message.body
    assert "Choose a new password" in message.alternatives[0][0]


def test_a_confirmation_link_used_twice_says_the_address_is_already_confirmed(client, db):
    message = sign_up(client)
    link = re.search(r"http://testserver(/accounts/confirm-email/[^\s]+)", message.body).group(1)
    assert client.post(link).status_code == 302
    again = client.get(link)
    assert again.status_code == 200
    html = again.content.decode()
    assert "already confirmed" in html and "grace@example.com" in html and "expired or is invalid" not in html
    assert "already confirmed" in client.post(link).content.decode()  # pressing Confirm again, too
    assert "expired or is invalid" in client.get("/accounts/confirm-email/not-a-key/").content.decode()


def test_the_header_shows_the_persons_name_and_follows_a_change(client, user, db):
    client.force_login(user)
    header = client.get("/").content.decode()
    assert f'<span class="person-name">{user.profile.full_name}</span>' in header
    assert user.email not in header
    client.post(reverse("progress:profile"), {"full_name": "Ada Lovelace"})
    assert '<span class="person-name">Ada Lovelace</span>' in client.get("/").content.decode()
