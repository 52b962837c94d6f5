"""Names in every script the certificate font covers print as real, extractable text; names it
cannot print are refused with a clear message, never printed as boxes."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from progress.certificate_pdf import UnprintableName, certificate_name_problem
from progress.forms import SignupForm
from progress.models import Certificate, Profile
from progress.services import certificates as services
from progress.services import learning
from progress.tasks.certificates import issue_certificate
from tests.factories import topic_with_lessons

NAME = "Łukasz Żółć Αλέξης Дмитрий"


def test_a_name_in_latin_extended_greek_and_cyrillic_is_extractable_text(user, db, django_capture_on_commit_callbacks):
    learning.profile_update(user=user, full_name=NAME)
    topic = topic_with_lessons(1)
    with django_capture_on_commit_callbacks(execute=True):
        learning.lesson_complete(user=user, lesson=topic.lessons.get())
    certificate = Certificate.objects.get(user=user, topic=topic)
    assert certificate.status == "issued" and certificate.holder_name == NAME
    reader = PdfReader(io.BytesIO(certificate.pdf.read()))
    text = reader.pages[0].extract_text()
    assert NAME in text
    fonts = {str(font["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any("DejaVuSans" in font for font in fonts)  # embedded, not a base-14 font without these glyphs


@pytest.mark.parametrize("name", ["李小龍", "محمد علي", "Ada 李", "דוד"])
def test_scripts_the_font_cannot_print_are_refused_where_the_name_is_given(user, name):
    with pytest.raises(ValidationError) as refused:
        learning.profile_update(user=user, full_name=name)
    assert "Certificates print names in Latin, Greek and Cyrillic letters" in str(refused.value)
    assert not Profile.objects.filter(user=user, full_name=name).exists()
    form = SignupForm(data={"full_name": name})
    assert not form.is_valid() and "cannot print" in form.errors["full_name"][0]


def test_the_profile_page_shows_the_refusal_as_a_form_error(learner_client):
    response = learner_client.post(reverse("progress:profile"), {"full_name": "王小明"})
    assert response.status_code == 200
    assert "cannot print" in response.content.decode()


def test_at_issue_time_an_unprintable_name_fails_with_a_clear_message_and_no_retry(user, db):
    Profile.objects.update_or_create(user=user, defaults={"full_name": "王小明"})  # saved before this rule
    certificate = Certificate.objects.create(user=user, topic=topic_with_lessons(1))
    with pytest.raises(UnprintableName, match="cannot print"):
        services.certificate_issue(certificate_id=certificate.pk)
    assert issue_certificate.apply(args=[certificate.pk]).get() == "failed"
    certificate.refresh_from_db()
    assert certificate.status == "failed" and not certificate.pdf and "王" in certificate.error
    assert certificate.tries == 1  # given up at once: retrying cannot help


def test_changing_the_name_issues_the_certificate_that_failed(user, db, django_capture_on_commit_callbacks):
    Profile.objects.update_or_create(user=user, defaults={"full_name": "王小明"})
    certificate = Certificate.objects.create(user=user, topic=topic_with_lessons(1))
    issue_certificate.apply(args=[certificate.pk])
    with django_capture_on_commit_callbacks(execute=True):
        learning.profile_update(user=user, full_name="Wang Xiaoming")
    certificate.refresh_from_db()
    assert certificate.status == "issued" and certificate.holder_name == "Wang Xiaoming"


def test_supported_names_pass():
    for name in (NAME, "Zoë O'Brien-Ñúñez", "Ærøskøbing Şahin Đặng"):
        assert certificate_name_problem(name) is None, name
