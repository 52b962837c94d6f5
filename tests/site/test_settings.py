"""Settings from the environment, the deploy check, the CSP on every page, absurd ids, migrations."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

BASE = settings.BASE_DIR


def settings_with(env: dict, expr: str) -> str:
    """Evaluate `expr` against safety_academy.settings imported fresh under `env`."""
    code = f"import safety_academy.settings as s; print({expr})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=fresh_env(**env),
        cwd=BASE,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


# What the test run itself sets, which a fresh process must not inherit.
RUN_ONLY = {
    "DATABASE_URL",
    "REDIS_URL",
    "CACHE_URL",
    "TRUSTED_PROXY_COUNT",
    "PYTEST_VERSION",
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def fresh_env(**extra: str) -> dict:
    # No local .env either: a developer's checkout has one (make writes it), CI's fresh clone has none.
    return {**{k: v for k, v in os.environ.items() if k not in RUN_ONLY}, "DJANGO_ENV_FILE": "", **extra}


def test_embedded_default_is_sqlite_eager_celery_console_email():
    env = {"DJANGO_DEBUG": "1"}
    assert settings_with(env, "s.DATABASES['default']['ENGINE']") == "django.db.backends.sqlite3"
    assert settings_with(env, "s.CELERY_TASK_ALWAYS_EAGER") == "True"
    assert settings_with(env, "s.EMAIL_BACKEND") == "django.core.mail.backends.console.EmailBackend"
    assert settings_with(env, "s.CACHES['default']['BACKEND']").endswith("LocMemCache")


def test_database_url_selects_postgresql():
    env = {"DJANGO_DEBUG": "1", "DATABASE_URL": "postgres://app@db.internal:5432/academy"}
    assert settings_with(env, "s.DATABASES['default']['ENGINE']") == "django.db.backends.postgresql"
    assert settings_with(env, "s.DATABASES['default']['NAME']") == "academy"
    assert settings_with(env, "s.DATABASES['default']['HOST']") == "db.internal"


def test_redis_url_selects_a_real_broker_and_cache():
    env = {"DJANGO_DEBUG": "1", "REDIS_URL": "redis://cache.internal:6379/2"}
    assert settings_with(env, "s.CELERY_TASK_ALWAYS_EAGER") == "False"
    assert settings_with(env, "s.CELERY_BROKER_URL") == "redis://cache.internal:6379/2"
    assert settings_with(env, "s.CACHES['default']['BACKEND']") == "safety_academy.cache.FailOpenRedisCache"
    assert settings_with(env, "s.CACHES['default']['LOCATION']") == "redis://cache.internal:6379/2"


def test_cache_url_gives_the_cache_a_redis_of_its_own():
    env = {
        "DJANGO_DEBUG": "1",
        "REDIS_URL": "redis://broker.internal:6379/0",
        "CACHE_URL": "redis://cache.internal:6379/1",
    }
    assert settings_with(env, "s.CELERY_BROKER_URL") == "redis://broker.internal:6379/0"
    assert settings_with(env, "s.CACHES['default']['LOCATION']") == "redis://cache.internal:6379/1"
    # A cache without a broker: tasks still run eagerly.
    env = {"DJANGO_DEBUG": "1", "CACHE_URL": "redis://cache.internal:6379/1"}
    assert settings_with(env, "s.CELERY_TASK_ALWAYS_EAGER") == "True"
    assert settings_with(env, "s.CACHES['default']['BACKEND']") == "safety_academy.cache.FailOpenRedisCache"


def test_development_key_is_refused_with_debug_off():
    result = subprocess.run(
        [sys.executable, "-c", "import safety_academy.settings"],
        env=fresh_env(),
        cwd=BASE,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_with_debug_off_and_a_real_key(signing_key_pem):
    env = fresh_env(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k" * 20 + "-a-real-and-long-production-secret-8f3a9",
        CERTIFICATE_SIGNING_KEY=signing_key_pem,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=BASE,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_local_env_file_is_read_for_what_the_environment_does_not_set(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# development\nDJANGO_DEBUG=1\nexport SITE_URL='http://127.0.0.1:8102'\nSITE_NAME=From the file\n"
    )
    assert (
        settings_with({"DJANGO_ENV_FILE": str(env_file)}, "(s.DEBUG, s.SITE_URL)") == "(True, 'http://127.0.0.1:8102')"
    )
    assert settings_with({"DJANGO_ENV_FILE": str(env_file), "SITE_NAME": "From the environment"}, "s.SITE_NAME") == (
        "From the environment"  # the real environment wins
    )


def test_make_writes_the_env_file_that_makes_readme_commands_work_on_a_fresh_clone(tmp_path):
    env_file = tmp_path / ".env"
    made = subprocess.run(
        ["make", "--no-print-directory", f"ENV_FILE={env_file}", str(env_file)],
        cwd=BASE,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    assert "DJANGO_DEBUG=1" in env_file.read_text()
    # A README command, with nothing set by hand: no ImproperlyConfigured about DJANGO_SECRET_KEY.
    result = subprocess.run(
        [sys.executable, "manage.py", "verify_credential", "--help"],
        env=fresh_env(DJANGO_ENV_FILE=str(env_file)),
        cwd=BASE,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "--status-list" in result.stdout
    env_file.write_text("DJANGO_DEBUG=1\n# edited by hand\n")
    subprocess.run(["make", f"ENV_FILE={env_file}", str(env_file)], cwd=BASE, capture_output=True, check=True)
    assert "edited by hand" in env_file.read_text()  # written once, never overwritten


@pytest.mark.parametrize(
    ("args", "site_url", "bind"),
    [
        (["PORT=8102"], "http://127.0.0.1:8102", "127.0.0.1:8102"),
        (["HOST=0.0.0.0", "PORT=9000"], "http://127.0.0.1:9000", "0.0.0.0:9000"),
        (["HOST=localhost"], "http://localhost:8000", "localhost:8000"),
        (["SITE_URL=https://academy.example.org"], "https://academy.example.org", "127.0.0.1:8000"),
    ],
)
def test_make_run_points_site_url_at_the_address_it_serves(args, site_url, bind):
    dry_run = subprocess.run(
        ["make", "-n", "run", *args], cwd=BASE, capture_output=True, text=True, timeout=60, check=True
    ).stdout
    commands = [line for line in dry_run.splitlines() if "manage.py" in line]
    assert commands and all(f"SITE_URL={site_url} " in line for line in commands)
    assert commands[-1].endswith(f"runserver {bind}")


def test_every_html_response_carries_a_same_origin_csp(client, db):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_absurd_ids_in_urls_are_404s_not_overflows(client, staff_user, db):
    client.force_login(staff_user)
    huge = "9" * 30
    for url in (f"/teams/x/members/{huge}/", f"/topics/x/quiz/attempts/{huge}/", f"/api/v1/lessons/{huge}/completion/"):
        assert client.get(url).status_code == 404


def test_migrations_match_the_models(db):
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # exits non-zero when a migration is missing


@pytest.mark.parametrize(
    "url", ["/certificates/%00/", "/search/?q=%00", "/api/v1/topics/%00/", "/api/v1/topics/?category=a%00b"]
)
def test_a_nul_byte_in_the_path_or_query_is_a_400(client, db, url):
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json()["error"]["code"] == "invalid"
    else:
        assert "NUL byte" in response.content.decode()


def test_templates_are_compiled_once_with_the_cached_loader():
    from django.template import engines

    loaders = engines["django"].engine.template_loaders
    assert [type(loader).__module__ for loader in loaders] == ["django.template.loaders.cached"]
