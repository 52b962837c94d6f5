"""Shared set-up for the benchmarks: a throwaway database (SQLite, or with DATABASE_URL a fresh
PostgreSQL database beside it, dropped at exit), a temporary media folder and signing key, eager
Celery, then django.setup()."""

import atexit
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup() -> Path:
    workdir = Path(tempfile.mkdtemp(prefix="safety-academy-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safety_academy.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    source = os.environ.get("DATABASE_URL", "")
    if source.startswith(("postgres://", "postgresql://")):
        from sidebyside.environment import postgres_drop, postgres_scratch

        # A run never writes to the database in DATABASE_URL itself, so it can run again.
        os.environ["DATABASE_URL"] = scratch = postgres_scratch(source, "_scripts")[0]
        atexit.register(_close_and_drop, scratch, postgres_drop)
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.pop("REDIS_URL", None)  # the task code runs in this process: we time it, not the broker
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["CERTIFICATE_SIGNING_KEY_FILE"] = str(workdir / "key.pem")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("generate_signing_key", verbosity=0)
    return workdir


def _close_and_drop(url: str, drop) -> None:
    from django.db import connections

    connections.close_all()
    drop(url)
