"""Where a benchmark run keeps its data: a throwaway database (PostgreSQL beside DATABASE_URL's, or
a SQLite file), a work folder, and the environment that gives the project production settings."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

SCRATCH_SUFFIX = "_ratio"


@dataclass
class Environment:
    workdir: Path
    database_url: str
    database_label: str
    redis_url: str
    variables: dict[str, str] = field(default_factory=dict)
    scratch_database: str = ""  # the PostgreSQL database to drop at the end

    def cleanup(self, *, keep: bool) -> None:
        if self.scratch_database and not keep:
            postgres_drop(self.scratch_database)
        if not keep:
            shutil.rmtree(self.workdir, ignore_errors=True)


def _maintenance_url(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def _drop_database(maintenance_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def postgres_scratch(url: str, suffix: str = SCRATCH_SUFFIX) -> tuple[str, str, str]:
    """A fresh, empty database named after DATABASE_URL's (`<name><suffix>`) on the same server:
    (its URL, its name, the server's version). The database in DATABASE_URL is never written to."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + suffix
    maintenance = _maintenance_url(url)
    _drop_database(maintenance, name)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        version = conn.execute("SHOW server_version").fetchone()[0].split()[0]
    return urlunsplit(parts._replace(path="/" + name)), name, version


def postgres_drop(url: str) -> None:
    """Drop the scratch database at this URL (from postgres_scratch)."""
    _drop_database(_maintenance_url(url), urlsplit(url).path.lstrip("/"))


def prepare() -> Environment:
    """Create the work folder and the database, and set the environment (this process's and the
    servers'): debug off, a generated secret key, DATABASE_URL pointing at the throwaway database,
    REDIS_URL as given."""
    workdir = Path(tempfile.mkdtemp(prefix="ratio-bench-"))
    source = os.environ.get("DATABASE_URL", "")
    scratch = ""
    if source.startswith(("postgres://", "postgresql://")):
        database_url, name, version = postgres_scratch(source)
        label = f"PostgreSQL {version} (a throwaway database, {name})"
        scratch = database_url
    else:
        database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        label = "SQLite (a throwaway file; set DATABASE_URL=postgres://… for the real figures)"
    redis_url = os.environ.get("REDIS_URL", "")
    variables = {
        "DJANGO_SETTINGS_MODULE": "safety_academy.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback; every other production setting stays
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(workdir / "media"),
        "CERTIFICATE_SIGNING_KEY_FILE": str(workdir / "signing-key.pem"),
        # The throttles still run (a cache read and write per API call) but never refuse the load.
        "API_THROTTLE_USER": "1000000/second",
        "API_THROTTLE_ANON": "1000000/second",
        # Likewise search's own limit (30 a minute per address would refuse almost all of the load).
        "SEARCH_RATE_LIMIT": "1000000/s",
    }
    os.environ.update(variables)
    if not redis_url:
        os.environ.pop("REDIS_URL", None)
    return Environment(workdir, database_url, label, redis_url, variables, scratch)
