"""The issuing task: safe to run twice, failures recorded and retried."""

from progress.models import Certificate
from progress.services import certificates as services
from progress.tasks.certificates import issue_certificate
from tests.factories import topic_with_lessons


def test_task_run_twice_gives_one_certificate_and_one_file(completed, settings):
    issue_certificate.apply(args=[completed.pk])
    issue_certificate.apply(args=[completed.pk])
    assert Certificate.objects.filter(user=completed.user, topic=completed.topic).count() == 1
    files = list((settings.MEDIA_ROOT / "certificates").iterdir())
    assert [f.name for f in files] == [f"{completed.code}.pdf"]


def test_failures_are_recorded_and_retried(user, db, monkeypatch):
    topic = topic_with_lessons(1)
    certificate = Certificate.objects.create(user=user, topic=topic)

    def broken(*args, **kwargs):
        raise OSError("storage unavailable")

    monkeypatch.setattr(services, "render_certificate_pdf", broken)
    issue_certificate.apply(args=[certificate.pk])
    certificate.refresh_from_db()
    assert certificate.status == "failed" and "storage unavailable" in certificate.error
    assert certificate.tries == 7  # the first run and six retries, each recorded
    monkeypatch.undo()
    services.certificates_sweep()
    certificate.refresh_from_db()
    assert certificate.status == "issued" and certificate.error == ""
