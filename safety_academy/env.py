"""Reading settings from the environment, and from a local `.env` file for what the environment leaves unset."""

import os
from pathlib import Path


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or default


def read_env_file(path: Path) -> None:
    """KEY=VALUE lines from a local file, for variables the environment leaves unset (or empty).

    `make` writes `.env` (DJANGO_DEBUG=1) on a development checkout, so `python manage.py …` works
    there as the README shows; production sets the real environment and has no such file.
    """
    try:
        lines = path.read_text().splitlines()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return
    for line in lines:
        key, sep, value = line.strip().partition("=")
        key = key.removeprefix("export ").strip()
        if sep and key and not key.startswith("#") and not os.environ.get(key):
            os.environ[key] = value.strip().strip("'\"")
