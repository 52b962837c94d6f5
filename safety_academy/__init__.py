"""Safety Academy: the learning platform for the AI Safety Engineering track."""

from .celery import app as celery_app

__all__ = ("celery_app",)
