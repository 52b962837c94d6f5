"""An administrator without a second factor signs in at /admin/, is sent to set up an authenticator app
before anything else, does so, and reaches the admin; next time sign-in asks for the app's code."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from tests.e2e.helpers import field, log_out
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def code_for(secret: str, *, step: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def test_staff_set_up_two_factor_before_the_admin_and_use_it_to_sign_in(site, page):
    admin = UserFactory(is_staff=True, is_superuser=True, mfa=False)

    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/admin/$"))
    page.get_by_label(field("Email")).fill(admin.email)
    page.get_by_label(field("Password")).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    expect(page).to_have_url(re.compile(r"/accounts/2fa/$"))
    expect(page.get_by_text("Staff accounts need two-factor authentication")).to_be_visible()
    page.get_by_role("link", name="Activate").first.click()
    expect(page.get_by_role("heading", name="Confirm Access")).to_be_visible()  # allauth asks for the password again
    page.get_by_label(field("Password")).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Activate Authenticator App")).to_be_visible()
    expect(page.get_by_role("img")).to_be_visible()  # the QR code, allowed by the CSP
    secret = page.get_by_label(field("Authenticator secret")).input_value()
    page.get_by_label(field("Authenticator code")).fill(code_for(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_text("Authenticator app activated")).to_be_visible()

    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    page.goto("/")
    log_out(page)
    page.goto("/admin/")
    page.get_by_label(field("Email")).fill(admin.email)
    page.get_by_label(field("Password")).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    page.locator("input[name=code]").fill(code_for(secret, step=1))  # the activation used this step's code
    page.get_by_role("button", name="Sign In").first.click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
