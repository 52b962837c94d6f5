"""A topic's certificate validity (`validity_months` in topic.md): loaded, refused when malformed with the file
named, edited in the admin and written back by export_track; and the admin's "requires recertification"."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from courses.models import Topic
from courses.track_export import track_export
from progress.services.content import track_load
from tests.courses.test_services import add_front_matter_line, small_track  # noqa: F401 (a fixture)

TOPIC_MD = "01-cat/01-loader-topic/topic.md"


def test_validity_months_loads_and_a_second_load_changes_nothing(small_track, db, capsys):  # noqa: F811
    add_front_matter_line(small_track / TOPIC_MD, "validity_months: 24")
    track_load(root=small_track)
    topic = Topic.objects.get(slug="loader-topic")
    assert topic.validity_months == 24 and not topic.changed_since_loaded
    capsys.readouterr()
    call_command("load_track", str(small_track))
    assert "0 created, 0 updated" in capsys.readouterr().out


def test_zero_means_never_and_absent_means_the_site_default(small_track, db):  # noqa: F811
    track_load(root=small_track)
    assert Topic.objects.get(slug="loader-topic").validity_months is None
    add_front_matter_line(small_track / TOPIC_MD, "validity_months: 0")
    track_load(root=small_track)
    assert Topic.objects.get(slug="loader-topic").validity_months == 0


@pytest.mark.parametrize("value", ["-1", "601", "12.5", "true", "'twelve'", "[12]"])
def test_a_malformed_validity_is_refused_naming_the_file(small_track, db, value):  # noqa: F811
    add_front_matter_line(small_track / TOPIC_MD, f"validity_months: {value}")
    with pytest.raises(CommandError) as excinfo:
        call_command("load_track", str(small_track))
    message = str(excinfo.value)
    assert "01-loader-topic/topic.md" in message and "'validity_months' must be a whole number of months" in message
    assert not Topic.objects.filter(slug="loader-topic").exists()


def test_an_admin_edit_of_validity_is_exported_and_loads_back_unchanged(small_track, db, capsys):  # noqa: F811
    track_load(root=small_track)
    topic = Topic.objects.get(slug="loader-topic")
    topic.validity_months = 36
    topic.save()
    assert topic.changed_since_loaded  # the validity is part of what the file says
    track_export(root=small_track)
    assert "validity_months: 36" in (small_track / TOPIC_MD).read_text()
    capsys.readouterr()
    call_command("load_track", str(small_track))
    assert "0 created, 0 updated" in capsys.readouterr().out
    topic.refresh_from_db()
    assert not topic.changed_since_loaded
    topic.validity_months = None  # back to the site default: the key leaves the file
    topic.save()
    track_export(root=small_track)
    assert "validity_months" not in (small_track / TOPIC_MD).read_text()


def test_the_admin_edits_validity_and_marks_a_change_requiring_recertification(admin_client, db):
    topic = Topic.objects.filter(lessons__isnull=False).first()
    url = reverse("admin:courses_topic_change", args=[topic.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="validity_months"' in page and 'name="requires_recertification"' in page
    form = {
        "title": topic.title,
        "position": topic.position,
        "is_published": "on",
        "summary": topic.summary,
        "body_markdown": topic.body_markdown,
        "validity_months": "18",
        "lessons-TOTAL_FORMS": "0",
        "lessons-INITIAL_FORMS": "0",
    }
    assert admin_client.post(url, form).status_code == 302
    topic.refresh_from_db()
    assert (topic.validity_months, topic.content_version) == (18, 1)
    response = admin_client.post(url, {**form, "requires_recertification": "on"}, follow=True)
    topic.refresh_from_db()
    assert topic.content_version == 2
    assert "Content version 2" in response.content.decode()
    assert admin_client.post(url, {**form, "validity_months": "-3"}).status_code == 200  # a form error, no 500
