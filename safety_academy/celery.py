"""The Celery app: configured from Django settings (the CELERY_ prefix), tasks found in each app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safety_academy.settings")

app = Celery("safety_academy")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
