"""Celery tasks, a module per concern; importing this package registers them all (Celery's autodiscovery
imports `progress.tasks`). Each task is a thin wrapper over a service, safe to run twice, and keeps the
name it was first published under, so messages already queued still find it."""

from progress.tasks import certificates, learning, teams

__all__ = ["certificates", "learning", "teams"]
