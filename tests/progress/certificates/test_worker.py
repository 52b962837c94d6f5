"""Certificates through a real Celery worker on a real Redis and PostgreSQL: the end-to-end path,
concurrent runs, a worker killed mid-task, and a broker that is down when a lesson is completed."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from pypdf import PdfReader

from progress.credentials import CredentialInvalid, verify_credential
from progress.models import Certificate, LessonProgress
from progress.services import certificates as certificate_services
from progress.services import learning
from progress.tasks.certificates import issue_certificate
from safety_academy.celery import app as celery_app
from tests.factories import UserFactory, topic_with_lessons

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_broker(settings):
    """Queue to the real Redis instead of running tasks in-process."""
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    yield
    celery_app.control.purge()


@pytest.fixture
def worker_factory(settings, signing_key_pem, real_broker):
    workers: list[Worker] = []

    def start(concurrency: int = 1) -> Worker:
        worker = Worker(Path(settings.MEDIA_ROOT), signing_key_pem, concurrency)
        workers.append(worker)
        _workers_started.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
    _workers_started.clear()


def complete_topic(user, topic):
    for lesson in topic.lessons.all():
        learning.lesson_complete(user=user, lesson=lesson)


class Worker:
    """A `celery worker` subprocess bound to the test database, media folder and signing key."""

    def __init__(self, media_root: Path, key_pem: str, concurrency: int = 1):
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "MEDIA_ROOT": str(media_root),
            "CERTIFICATE_SIGNING_KEY": key_pem,
            "SITE_URL": "http://testserver",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "worker-test-secret-key-long-enough-for-production-checks-123",
            "CELERY_VISIBILITY_TIMEOUT": "3",
            "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        }
        env.pop("PYTEST_VERSION", None)
        pool = ["--pool=solo"] if concurrency == 1 else ["--pool=prefork", f"--concurrency={concurrency}"]
        self.log = io.BytesIO()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "safety_academy",
                "worker",
                *pool,
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"test{time.monotonic_ns()}@%h",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()
        self.wait_for(b"ready", timeout=60)

    def _drain(self):
        for line in self.process.stdout:
            self.log.write(line)

    def wait_for(self, marker: bytes, timeout: float):
        deadline = time.monotonic() + timeout
        while marker not in self.log.getvalue():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"worker never said {marker!r}:\n{self.log.getvalue().decode()[-3000:]}")
            time.sleep(0.1)

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_until(predicate, timeout: float = 60, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    logs = "\n".join(w.log.getvalue().decode()[-2000:] for w in _workers_started)
    raise AssertionError(f"timed out waiting for {what}; worker output:\n{logs}")


_workers_started: list[Worker] = []


def test_worker_issues_the_certificate_end_to_end(client, worker_factory, settings):
    worker_factory()
    user = UserFactory()
    learning.profile_update(user=user, full_name="Katherine Johnson")
    topic = topic_with_lessons(2)
    complete_topic(user, topic)
    certificate = Certificate.objects.get(user=user, topic=topic)
    wait_until(lambda: Certificate.objects.get(pk=certificate.pk).status == "issued", what="the worker to issue")
    certificate.refresh_from_db()
    text = PdfReader(io.BytesIO(certificate.pdf.read())).pages[0].extract_text()
    assert "Katherine Johnson" in text and certificate.code in text
    page = client.get(f"/certificates/{certificate.code}/").content.decode()
    assert "Katherine Johnson" in page and "Valid" in page
    claims = verify_credential(certificate.credential)
    assert claims["credentialSubject"]["name"] == "Katherine Johnson"
    header, payload, signature = certificate.credential.split(".")
    flipped = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1]
    with pytest.raises(CredentialInvalid):
        verify_credential(f"{header}.{flipped}.{signature}")


def test_concurrent_runs_give_one_certificate_and_one_file(worker_factory, settings):
    worker_factory(concurrency=3)
    user = UserFactory()
    topic = topic_with_lessons(1)
    certificate = Certificate.objects.create(user=user, topic=topic)
    for _ in range(6):
        issue_certificate.delay(certificate.pk)
    wait_until(lambda: Certificate.objects.get(pk=certificate.pk).status == "issued", what="issue")
    time.sleep(2)  # let the other five runs finish too
    assert Certificate.objects.filter(user=user, topic=topic).count() == 1
    assert [p.name for p in (Path(settings.MEDIA_ROOT) / "certificates").iterdir()] == [f"{certificate.code}.pdf"]
    assert Certificate.objects.get(pk=certificate.pk).tries == 1


def test_a_worker_killed_mid_task_leaves_no_duplicate_and_another_worker_finishes(worker_factory, settings):
    user = UserFactory()
    topic = topic_with_lessons(1)
    certificate = Certificate.objects.create(user=user, topic=topic)
    first = worker_factory()
    lock_taken, release = threading.Event(), threading.Event()

    def hold_the_row():
        # The task blocks on this row lock, so the worker is killed while it is inside the task.
        with transaction.atomic():
            Certificate.objects.select_for_update().get(pk=certificate.pk)
            lock_taken.set()
            release.wait(30)
        connection.close()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    lock_taken.wait(10)
    issue_certificate.delay(certificate.pk)
    first.wait_for(b"] received", timeout=30)  # now inside the task, waiting on the row lock
    time.sleep(1)
    first.kill()
    release.set()
    holder.join()
    assert Certificate.objects.get(pk=certificate.pk).status == "pending"
    worker_factory()  # acks_late: the unacknowledged task comes back to a new worker
    wait_until(lambda: Certificate.objects.get(pk=certificate.pk).status == "issued", timeout=90, what="redelivery")
    assert Certificate.objects.filter(user=user, topic=topic).count() == 1
    assert len(list((Path(settings.MEDIA_ROOT) / "certificates").iterdir())) == 1


def test_broker_down_the_completion_is_saved_promptly_and_the_sweep_issues_later(client, worker_factory, settings):
    user = UserFactory()
    topic = topic_with_lessons(2)
    first, last = topic.lessons.order_by("position")
    learning.lesson_complete(user=user, lesson=first)
    client.force_login(user)
    good_broker = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there: the broker is down
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        started = time.monotonic()
        response = client.post(f"/topics/{topic.slug}/{last.slug}/complete/")
        elapsed = time.monotonic() - started
    finally:
        celery_app.conf.broker_url = good_broker
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
    assert response.status_code == 302
    assert elapsed < 10, f"the request waited {elapsed:.1f}s on a dead broker"
    assert LessonProgress.objects.get(user=user, lesson=last).completed_at is not None
    certificate = Certificate.objects.get(user=user, topic=topic)
    assert certificate.status == "pending"
    worker_factory()  # Redis is back
    queued = certificate_services.certificates_sweep(stale_after=__import__("datetime").timedelta(0))
    assert certificate.pk in queued
    wait_until(lambda: Certificate.objects.get(pk=certificate.pk).status == "issued", what="the sweep's issue")
