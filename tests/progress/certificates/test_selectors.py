"""Reads of certificates: LinkedIn's add-to-profile link, built exactly as LinkedIn documents it."""

from urllib.parse import parse_qsl, urlsplit

from progress.models import Certificate
from progress.selectors.certificates import linkedin_add_to_profile_url


def test_linkedin_link_carries_the_name_issuer_date_and_verification_url(completed, settings):
    settings.CERTIFICATE_ISSUER_NAME = "Safety Academy & Co"
    url = linkedin_add_to_profile_url(completed)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.linkedin.com", "/profile/add")
    assert parse_qsl(parts.query) == [
        ("startTask", "CERTIFICATION_NAME"),
        ("name", completed.title),
        ("organizationName", "Safety Academy & Co"),
        ("issueYear", str(completed.issued_at.year)),
        ("issueMonth", str(completed.issued_at.month)),
        ("certUrl", f"http://testserver/certificates/{completed.code}/"),
        ("certId", completed.code),
    ]
    assert "Safety+Academy+%26+Co" in url  # encoded, so the & cannot start a parameter


def test_linkedin_link_uses_the_organisation_id_when_there_is_one(completed, settings):
    settings.LINKEDIN_ORGANIZATION_ID = "1337"
    query = dict(parse_qsl(urlsplit(linkedin_add_to_profile_url(completed)).query))
    assert query["organizationId"] == "1337" and "organizationName" not in query


def test_no_linkedin_link_before_the_certificate_is_issued(completed):
    Certificate.objects.filter(pk=completed.pk).update(status=Certificate.Status.PENDING, issued_at=None)
    completed.refresh_from_db()
    assert linkedin_add_to_profile_url(completed) is None
