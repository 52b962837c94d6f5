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
